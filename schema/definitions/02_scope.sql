-- Access scoped by place. A login role may be limited to a part of the grid
-- tree: a district centre sees its district, a street centre its street,
-- the city centre (no scope) everything. Row-level security enforces it
-- for every reader, psql included; the rules functions, which run as the
-- owner, check it themselves for the case they act on. Also here: who may
-- log in, with what role and where, and the rules every writer of the
-- reference data keeps.

-- The caller's scope: an area id, or NULL for the whole city. session_user,
-- not current_user: inside a rules function current_user is the owner.
-- PL/pgSQL keeps its plan for the session; as SQL it was planned afresh on
-- every call, twice per report.
CREATE OR REPLACE FUNCTION gd__my_scope() RETURNS int
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT area_id FROM role_scopes WHERE role = session_user);
END
$$;

-- May the caller see a case in this grid? (for the rules functions)
CREATE OR REPLACE FUNCTION gd__grid_in_scope(p_grid int, p_scope int) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT p_scope IS NULL
        OR EXISTS (SELECT FROM areas a WHERE a.id = p_grid AND p_scope = ANY (a.path));
END;

-- The policy spells the same test out: the scope is read once per query
-- (an InitPlan), so an unscoped reader pays one comparison a row and keeps
-- parallel scans; wrapped in a function it cost a call a row (counting a
-- million cases went from 0.3 s to 1.3 s). A case is also seen in the
-- district of a department that assists with it (联办): its users work on
-- it, wherever it is.
DROP POLICY IF EXISTS cases_in_scope ON cases;
CREATE POLICY cases_in_scope ON cases
    USING ((SELECT gd__my_scope()) IS NULL
           OR EXISTS (SELECT FROM areas a
                       WHERE a.id = cases.grid_id AND (SELECT gd__my_scope()) = ANY (a.path))
           OR (SELECT gd__my_scope()) = ANY (cases.assist_districts));

-- an assisting department's part is seen with its case
DROP POLICY IF EXISTS case_parts_in_scope ON case_parts;
CREATE POLICY case_parts_in_scope ON case_parts
    USING ((SELECT gd__my_scope()) IS NULL
           OR EXISTS (SELECT FROM cases c WHERE c.id = case_parts.case_id));

-- an event is seen with its case: a notification's event id then leads to
-- nothing outside the scope
DROP POLICY IF EXISTS events_in_scope ON events;
CREATE POLICY events_in_scope ON events
    USING ((SELECT gd__my_scope()) IS NULL OR EXISTS (SELECT FROM cases c WHERE c.id = events.case_id));

-- Who may log in, with what role and where. Administrators only.
CREATE OR REPLACE FUNCTION gd_user_add(p_name text, p_role text, p_area text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    area int := coalesce(gd__area_for_scope(p_area), gd__my_scope());
BEGIN
    IF p_name !~ '^[a-z][a-z0-9._-]{1,62}$' THEN
        RAISE EXCEPTION 'user name "%" must be lower-case letters, digits, ".", "_" or "-"', p_name
            USING ERRCODE = 'GDV01';
    END IF;
    IF p_role NOT IN ('viewer', 'operator', 'dept', 'admin') THEN
        RAISE EXCEPTION 'unknown role "%": one of viewer, operator, dept, admin', p_role
            USING ERRCODE = 'GDV01';
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION 'user "%" already exists', p_name USING ERRCODE = 'GDV01';
    END IF;
    IF NOT gd__may_scope(area) THEN
        RAISE EXCEPTION 'area "%" is outside your area', p_area USING ERRCODE = '42501';
    END IF;
    -- no password: TLS client certificates, or \password later (never on a command line)
    EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_name, 'griddesk_' || p_role);
    IF area IS NOT NULL THEN
        INSERT INTO role_scopes VALUES (p_name, area);
    END IF;
END
$$;

-- p_area: a district, street or community (code or name), or NULL / 'city'
-- for everything
CREATE OR REPLACE FUNCTION gd_user_scope(p_name text, p_area text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    area int := gd__area_for_scope(p_area);
    now_at int;
BEGIN
    IF NOT gd__griddesk_login(p_name) THEN
        RAISE EXCEPTION 'no user "%"', p_name USING ERRCODE = 'GDN01';
    END IF;
    SELECT area_id INTO now_at FROM role_scopes WHERE role = p_name;
    IF NOT gd__may_scope(now_at) THEN
        RAISE EXCEPTION 'no user "%"', p_name USING ERRCODE = 'GDN01';
    END IF;
    IF NOT gd__may_scope(area) THEN
        RAISE EXCEPTION 'area "%" is outside your area', coalesce(p_area, 'city')
            USING ERRCODE = '42501';
    END IF;
    DELETE FROM role_scopes WHERE role = p_name;
    IF area IS NOT NULL THEN
        INSERT INTO role_scopes VALUES (p_name, area);
    END IF;
END
$$;

-- only griddesk's own logins are managed here, never another role
CREATE OR REPLACE FUNCTION gd__griddesk_login(p_name text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT FROM pg_roles r
                    WHERE r.rolname = p_name AND r.rolcanlogin AND NOT r.rolsuper
                      AND EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                                   WHERE m.member = r.oid AND g.rolname LIKE 'griddesk\_%'))
$$;

-- may the caller give a user this area (NULL: the whole city)?
CREATE OR REPLACE FUNCTION gd__may_scope(p_area int) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT gd__my_scope() IS NULL
        OR (p_area IS NOT NULL
            AND EXISTS (SELECT FROM areas a WHERE a.id = p_area AND gd__my_scope() = ANY (a.path)))
$$;

CREATE OR REPLACE FUNCTION gd_user_list()
RETURNS TABLE (name name, role text, scope text, scope_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT r.rolname,
           (SELECT string_agg(replace(g.rolname, 'griddesk_', ''), ',' ORDER BY g.rolname)
              FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
             WHERE m.member = r.oid AND g.rolname LIKE 'griddesk\_%'),
           coalesce(a.code, 'city'), coalesce(a.name, '全市')
      FROM pg_roles r
      LEFT JOIN role_scopes s ON s.role = r.rolname
      LEFT JOIN areas a ON a.id = s.area_id
     WHERE gd__griddesk_login(r.rolname) AND gd__may_scope(s.area_id)
     ORDER BY r.rolname
$$;

DROP POLICY IF EXISTS reporters_in_scope ON reporters;
CREATE POLICY reporters_in_scope ON reporters
    USING ((SELECT gd__my_scope()) IS NULL
           OR EXISTS (SELECT FROM areas a
                       WHERE a.id = reporters.grid_id AND (SELECT gd__my_scope()) = ANY (a.path)));

-- Reference data: a scoped administrator keeps its own area's grids,
-- departments, routes and staff; what the whole city shares (categories,
-- mediation fields, settings) only a city-wide one may change. A grid or
-- staff member is placed by its grid when it has one, so a street's
-- administrator keeps its own; a department or route by its district.
CREATE OR REPLACE FUNCTION gd__row_in_scope(p_table text, p_row jsonb, p_scope int) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT CASE p_table
        WHEN 'areas' THEN (p_row -> 'path') @> to_jsonb(p_scope)
        ELSE EXISTS (SELECT FROM areas a
                      WHERE a.id = coalesce((p_row ->> 'home_grid_id')::int, (p_row ->> 'district_id')::int)
                        AND p_scope = ANY (a.path))
    END
$$;

-- The rules every writer of reference data keeps, whoever it is: the
-- scope above, and what a CHECK cannot see. A name that is another row's
-- code would make that code ambiguous to every lookup in the city, and a
-- line of work or mediation field must be one the city knows.
CREATE OR REPLACE FUNCTION gd__reference_rules() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    bad text;
BEGIN
    IF scope IS NOT NULL AND TG_TABLE_NAME NOT IN ('areas', 'departments', 'category_routes', 'staff') THEN
        RAISE EXCEPTION 'only a city-wide administrator may change %', TG_TABLE_NAME
            USING ERRCODE = '42501';
    END IF;
    IF scope IS NOT NULL
       AND NOT ((old_row IS NULL OR gd__row_in_scope(TG_TABLE_NAME, old_row, scope))
                AND (new_row IS NULL OR gd__row_in_scope(TG_TABLE_NAME, new_row, scope))) THEN
        RAISE EXCEPTION '% % is outside your area', TG_TABLE_NAME,
            coalesce(new_row ->> 'code', new_row ->> 'name', old_row ->> 'code', old_row ->> 'name',
                     new_row ->> 'category', old_row ->> 'category')
            USING ERRCODE = '42501';
    END IF;
    IF new_row IS NULL THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'areas' THEN
        SELECT x.code INTO bad FROM areas x
         WHERE x.id <> NEW.id AND (x.code = upper(btrim(NEW.name)) OR x.name = NEW.code) LIMIT 1;
    ELSIF TG_TABLE_NAME = 'departments' THEN
        SELECT x.code INTO bad FROM departments x
         WHERE x.id <> NEW.id AND (x.code = upper(btrim(NEW.name)) OR x.name = NEW.code) LIMIT 1;
        IF bad IS NULL THEN
            SELECT l INTO bad FROM unnest(NEW.lines) l WHERE l NOT IN (SELECT code FROM lines_of_work);
            IF bad IS NOT NULL THEN
                RAISE EXCEPTION 'unknown line of work "%"', bad USING ERRCODE = 'GDV01';
            END IF;
        END IF;
    ELSIF TG_TABLE_NAME = 'staff' THEN
        SELECT f INTO bad FROM unnest(NEW.fields) f WHERE f NOT IN (SELECT code FROM mediation_fields);
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'unknown mediation field "%"', bad USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'the name or code of % % is already the code or name of % %: lookups would be ambiguous',
            TG_TABLE_NAME, NEW.code, TG_TABLE_NAME, bad USING ERRCODE = 'GDV01';
    END IF;
    RETURN NEW;
END
$$;

-- BEFORE the guards (*_still_used), so a row outside the scope is refused
-- before anything is said about the cases that name it; after areas_path,
-- which fills in the path being checked. The mediators' loads are the
-- rules' own bookkeeping, and do not fire it.
CREATE OR REPLACE TRIGGER areas_rules BEFORE INSERT OR UPDATE OR DELETE ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER departments_rules BEFORE INSERT OR UPDATE OR DELETE ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER category_routes_rules BEFORE INSERT OR UPDATE OR DELETE ON category_routes
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER staff_rules BEFORE INSERT OR DELETE
    OR UPDATE OF id, name, tier, fields, lat, lon, home_grid_id, district_id, on_duty, load_limit, phone
    ON staff FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER categories_rules BEFORE INSERT OR UPDATE OR DELETE ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER mediation_fields_rules BEFORE INSERT OR UPDATE OR DELETE ON mediation_fields
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

CREATE OR REPLACE TRIGGER settings_rules BEFORE INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

-- Users: a scoped administrator adds and moves users inside its own area
-- only, and can narrow its own scope but never widen it.
CREATE OR REPLACE FUNCTION gd__area_for_scope(p_area text) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    area int;
BEGIN
    IF p_area IS NULL OR lower(btrim(p_area)) IN ('', 'city') THEN
        RETURN NULL;
    END IF;
    SELECT id INTO area FROM areas
     WHERE level IN ('district', 'street', 'community')
       AND (code = upper(btrim(p_area)) OR name = btrim(p_area))
     ORDER BY array_length(path, 1) LIMIT 1;
    IF area IS NULL THEN
        RAISE EXCEPTION 'unknown area "%": no district, street or community of that code or name', p_area
            USING ERRCODE = 'GDV01';
    END IF;
    RETURN area;
END
$$;
