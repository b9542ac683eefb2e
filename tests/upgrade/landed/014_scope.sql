-- Access scoped by place. A login role may be limited to a part of the grid
-- tree: a district centre sees its district, a street centre its street,
-- the city centre (no scope) everything. Row-level security enforces it
-- for every reader, psql included; the rules functions, which run as the
-- owner, check it themselves for the case they act on.

CREATE TABLE role_scopes (
    role    name PRIMARY KEY,
    area_id int NOT NULL REFERENCES areas (id)
);

-- The caller's scope: an area id, or NULL for the whole city. session_user,
-- not current_user: inside a rules function current_user is the owner.
CREATE FUNCTION gd__my_scope() RETURNS int
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT area_id FROM role_scopes WHERE role = session_user
$$;

-- May the caller see a case in this grid? (for the rules functions)
CREATE FUNCTION gd__grid_in_scope(p_grid int, p_scope int) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT p_scope IS NULL
        OR EXISTS (SELECT FROM areas a WHERE a.id = p_grid AND p_scope = ANY (a.path))
$$;

-- The policy spells the same test out: the scope is read once per query
-- (an InitPlan), so an unscoped reader pays one comparison a row and keeps
-- parallel scans; wrapped in a function it cost a call a row (counting a
-- million cases went from 0.3 s to 1.3 s).
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
CREATE POLICY cases_in_scope ON cases
    USING ((SELECT gd__my_scope()) IS NULL
           OR EXISTS (SELECT FROM areas a
                       WHERE a.id = cases.grid_id AND (SELECT gd__my_scope()) = ANY (a.path)));

-- an event is seen with its case: a notification's event id then leads to
-- nothing outside the scope
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_in_scope ON events
    USING ((SELECT gd__my_scope()) IS NULL OR EXISTS (SELECT FROM cases c WHERE c.id = events.case_id));

-- the listings' view reads as its caller, so the policies apply through it
ALTER VIEW case_rows SET (security_invoker = true);

-- The rules functions lock a case as the owner, past the policies: the
-- scope is checked here, and a case outside it is "no case", as a reader
-- outside the scope would find.
CREATE OR REPLACE FUNCTION gd__lock(p_ref text, p_version int) RETURNS cases
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    c cases;
BEGIN
    SELECT * INTO c FROM cases WHERE ref = upper(btrim(p_ref)) FOR UPDATE;
    IF NOT FOUND OR NOT gd__grid_in_scope(c.grid_id, gd__my_scope()) THEN
        RAISE EXCEPTION 'no case "%"', p_ref USING ERRCODE = 'GDN01';
    END IF;
    IF p_version IS NOT NULL AND c.version <> p_version THEN
        RAISE EXCEPTION 'case % was changed by % at %; reload', c.ref, c.updated_by,
            to_char(c.updated_at AT TIME ZONE current_setting('TimeZone'), 'HH24:MI')
            USING ERRCODE = 'GDS01',
                  DETAIL = format('you acted on version %s; it is now version %s (%s)',
                                  p_version, c.version, c.status);
    END IF;
    RETURN c;
END
$$;

-- a report into a grid outside the scope is refused, and nothing is
-- written: checked once per statement, so an import pays nothing a row
CREATE FUNCTION gd__report_scope() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    outside text;
BEGIN
    IF scope IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT a.code INTO outside FROM new_cases n JOIN areas a ON a.id = n.grid_id
     WHERE NOT scope = ANY (a.path) LIMIT 1;
    IF outside IS NOT NULL THEN
        RAISE EXCEPTION 'grid % is outside your area', outside USING ERRCODE = 'GDV01';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_report_scope AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION gd__report_scope();

-- Who may log in, with what role and where. Administrators only.
CREATE FUNCTION gd_user_add(p_name text, p_role text, p_area text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
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
    -- no password: TLS client certificates, or \password later (never on a command line)
    EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_name, 'griddesk_' || p_role);
    PERFORM gd_user_scope(p_name, p_area);
END
$$;

-- p_area: a district, street or community (code or name), or NULL / 'city'
-- for everything
CREATE FUNCTION gd_user_scope(p_name text, p_area text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    area int;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION 'no user "%"', p_name USING ERRCODE = 'GDN01';
    END IF;
    DELETE FROM role_scopes WHERE role = p_name;
    IF p_area IS NULL OR lower(btrim(p_area)) IN ('', 'city') THEN
        RETURN;
    END IF;
    SELECT id INTO area FROM areas
     WHERE level IN ('district', 'street', 'community')
       AND (code = upper(btrim(p_area)) OR name = btrim(p_area))
     ORDER BY array_length(path, 1) LIMIT 1;
    IF area IS NULL THEN
        RAISE EXCEPTION 'unknown area "%": no district, street or community of that code or name', p_area
            USING ERRCODE = 'GDV01';
    END IF;
    INSERT INTO role_scopes VALUES (p_name, area);
END
$$;

CREATE FUNCTION gd_user_list()
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
     WHERE r.rolcanlogin AND EXISTS (
           SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
            WHERE m.member = r.oid AND g.rolname LIKE 'griddesk\_%')
     ORDER BY r.rolname
$$;

REVOKE ALL ON role_scopes FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION gd__my_scope(), gd__grid_in_scope(int, int), gd__report_scope(),
    gd_user_add(text, text, text), gd_user_scope(text, text), gd_user_list() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd__my_scope(), gd__grid_in_scope(int, int) TO griddesk_viewer;
GRANT EXECUTE ON FUNCTION gd_user_add(text, text, text), gd_user_scope(text, text), gd_user_list()
    TO griddesk_admin;
