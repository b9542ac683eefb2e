-- Every login is what its job needs, inside its place.
--
-- The rules of this schema, for every function written from here on:
--
--   * Everything belongs to griddesk_owner, a NOLOGIN role that is neither
--     superuser nor BYPASSRLS. gridctl migrate hands every object to it after
--     each change, whoever ran the change.
--   * A SECURITY DEFINER function trusts nothing the caller can make: no
--     temp table it did not make and check itself, no search path of the
--     caller's (every function has a fixed search_path, or an SQL-standard
--     body whose names were bound when it was created), and it checks the
--     caller's scope through gd__my_scope().
--   * Integrity guards read as the owner, past row-level security: a guard
--     that sees only the caller's rows answers "not used" for the others.
--   * The event log is chained: each case's events fold into a hash chain
--     whose head is kept per case, and gd_seal() seals the whole log now
--     and then. gd_verify() recomputes all of it.
--
-- tests/sql/security.pg checks these for every function in the schema, and
-- tests/privileges.tsv lists what each griddesk role may do.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_owner') THEN
        CREATE ROLE griddesk_owner NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEROLE;
    END IF;
    -- Making logins needs CREATEROLE, which on PostgreSQL 15 reaches far (a
    -- role with it may grant itself any role but a superuser's). So it
    -- belongs to a role of its own that owns one function, gd_user_add,
    -- and nothing else.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_usermgr') THEN
        CREATE ROLE griddesk_usermgr NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT CREATEROLE;
    END IF;
END
$$;

-- Caps on every text a function stores, the same for reports, imports and
-- direct writes. NOT VALID: rows written before the caps keep what they
-- hold. A phone is a "+" and up to 20 digits, as gd_report reads it.
ALTER TABLE reporters
    ADD CONSTRAINT "reporter name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID,
    ADD CONSTRAINT "reporter phone: at most 21 characters" CHECK (length(phone) <= 21) NOT VALID;
ALTER TABLE cases
    ADD CONSTRAINT "outcome: at most 2000 characters" CHECK (length(outcome) <= 2000) NOT VALID;
ALTER TABLE areas
    ADD CONSTRAINT "area code: at most 40 characters" CHECK (length(code) <= 40) NOT VALID,
    ADD CONSTRAINT "area name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID;
ALTER TABLE departments
    ADD CONSTRAINT "department code: at most 40 characters" CHECK (length(code) <= 40) NOT VALID,
    ADD CONSTRAINT "department name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID;
ALTER TABLE staff
    ADD CONSTRAINT "staff name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID,
    ADD CONSTRAINT "staff phone: at most 21 characters" CHECK (length(phone) <= 21) NOT VALID;
ALTER TABLE categories
    ADD CONSTRAINT "category code: at most 40 characters" CHECK (length(code) <= 40) NOT VALID,
    ADD CONSTRAINT "category name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID;
ALTER TABLE mediation_fields
    ADD CONSTRAINT "mediation field code: at most 40 characters" CHECK (length(code) <= 40) NOT VALID,
    ADD CONSTRAINT "mediation field name: at most 100 characters" CHECK (length(name) <= 100) NOT VALID;
ALTER TABLE settings
    ADD CONSTRAINT "setting: at most 200 characters" CHECK (length(value) <= 200) NOT VALID;

-- Reporters are seen with their case: the grid is kept beside them so that
-- row-level security can say so without an index on cases.reporter_id.
ALTER TABLE reporters ADD COLUMN grid_id int;
UPDATE reporters r SET grid_id = c.grid_id FROM cases c WHERE c.reporter_id = r.id;

CREATE FUNCTION gd__reporter_grid() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE reporters r SET grid_id = n.grid_id
      FROM new_cases n
     WHERE r.id = n.reporter_id AND r.grid_id IS DISTINCT FROM n.grid_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER cases_reporter_grid AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION gd__reporter_grid();

ALTER TABLE reporters ENABLE ROW LEVEL SECURITY;
CREATE POLICY reporters_in_scope ON reporters
    USING ((SELECT gd__my_scope()) IS NULL
           OR EXISTS (SELECT FROM areas a
                       WHERE a.id = reporters.grid_id AND (SELECT gd__my_scope()) = ANY (a.path)));

-- The view masks phones, so it reads as its owner; it applies the scope
-- itself, and security_barrier keeps a caller's function from seeing the
-- rows it filters out.
CREATE OR REPLACE VIEW reporter_contacts WITH (security_barrier) AS
    SELECT r.id, r.kind, r.name, gd_mask_phone(r.phone) AS phone
      FROM reporters r
     WHERE (SELECT gd__my_scope()) IS NULL
        OR EXISTS (SELECT FROM areas a
                    WHERE a.id = r.grid_id AND (SELECT gd__my_scope()) = ANY (a.path));

-- Writes are held to the scope at the table, whoever writes: a rules
-- function, a bulk edit, an import. The functions check first and say it
-- better; these make sure nothing slips past them.
CREATE TRIGGER cases_update_scope AFTER UPDATE ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION gd__report_scope();

-- Reference data: a scoped administrator keeps its own area's grids,
-- departments, routes and staff; what the whole city shares (categories,
-- mediation fields, settings) only a city-wide one may change. A grid or
-- staff member is placed by its grid when it has one, so a street's
-- administrator keeps its own; a department or route by its district.
CREATE FUNCTION gd__row_in_scope(p_table text, p_row jsonb, p_scope int) RETURNS boolean
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
CREATE FUNCTION gd__reference_rules() RETURNS trigger
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
CREATE TRIGGER areas_rules BEFORE INSERT OR UPDATE OR DELETE ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER departments_rules BEFORE INSERT OR UPDATE OR DELETE ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER category_routes_rules BEFORE INSERT OR UPDATE OR DELETE ON category_routes
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER staff_rules BEFORE INSERT OR DELETE
    OR UPDATE OF id, name, tier, fields, lat, lon, home_grid_id, district_id, on_duty, load_limit, phone
    ON staff FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER categories_rules BEFORE INSERT OR UPDATE OR DELETE ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER mediation_fields_rules BEFORE INSERT OR UPDATE OR DELETE ON mediation_fields
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();
CREATE TRIGGER settings_rules BEFORE INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION gd__reference_rules();

-- "Is this row still named by a case?" must see every case, and names
-- only a case the caller may see.
-- TG_ARGV: the key column, then pairs of (table, column) that refer to it
CREATE OR REPLACE FUNCTION gd__still_used() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    old_key text := to_jsonb(OLD) ->> TG_ARGV[0];
    hit text;
    hit_grid int;
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) ->> TG_ARGV[0] IS NOT DISTINCT FROM old_key THEN
        RETURN NEW;
    END IF;
    FOR i IN 1 .. (TG_NARGS - 1) / 2 LOOP
        EXECUTE format('SELECT %1$I::text, %2$s FROM %3$I WHERE %4$I::text = $1 LIMIT 1',
                       CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'ref' ELSE 'case_id' END,
                       CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'grid_id' ELSE 'NULL::int' END,
                       TG_ARGV[2 * i - 1], TG_ARGV[2 * i])
           INTO hit, hit_grid USING old_key;
        IF hit IS NOT NULL THEN
            RAISE EXCEPTION '% % is still used by % (% %)', TG_TABLE_NAME, old_key,
                CASE WHEN TG_ARGV[2 * i - 1] <> 'cases' THEN 'the event log'
                     WHEN gd__grid_in_scope(hit_grid, gd__my_scope()) THEN 'case ' || hit
                     ELSE 'a case outside your area' END,
                TG_ARGV[2 * i - 1], TG_ARGV[2 * i]
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

-- The deadline clock marks what the caller may see, and locks each case it
-- marks, as every other writer of events does, so a case's chain follows
-- the order of its event ids. A case someone is changing right now is
-- marked on the next tick.
CREATE OR REPLACE FUNCTION gd_mark_overdue() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    n int;
BEGIN
    -- two clocks at once must not both write the same mark
    PERFORM pg_advisory_xact_lock(hashtext('griddesk.deadlines'));
    WITH due AS (
        SELECT c.id, c.status, c.due_at, c.version
          FROM cases c
         WHERE c.status NOT IN ('closed', 'cancelled', 'resolved')
           AND c.due_at < now()
           AND gd__grid_in_scope(c.grid_id, scope)
           AND NOT EXISTS (SELECT FROM events e
                            WHERE e.case_id = c.id AND e.kind = 'overdue'
                              AND (e.data ->> 'due_at')::timestamptz = c.due_at)
         ORDER BY c.id
           FOR UPDATE OF c SKIP LOCKED)
    INSERT INTO events (case_id, kind, data)
    SELECT d.id, 'overdue',
           jsonb_build_object('status', d.status, 'due_at', d.due_at, 'version', d.version,
                              'stage', CASE d.status WHEN 'accepted' THEN 'on_site'
                                                     WHEN 'on_site' THEN 'resolve'
                                                     ELSE 'accept' END)
      FROM due d
     ORDER BY d.due_at, d.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- A bulk edit touches only cases the caller may see: any other id is, as
-- for a reader outside the scope, no case at all. An id given twice counts
-- once.
ALTER FUNCTION gd_bulk_apply(text, bigint[], int[], text, text, text, int)
    RENAME TO gd__bulk_apply;
CREATE FUNCTION gd_bulk_apply(p_action text, p_ids bigint[], p_versions int[],
                              p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                              p_reason text DEFAULT NULL, p_priority int DEFAULT NULL,
                              OUT changed int, OUT "left" text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    ids bigint[];
    versions int[];
    unseen text[];
BEGIN
    IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_versions) THEN
        RAISE EXCEPTION 'ids and versions differ in number' USING ERRCODE = 'GDV01';
    END IF;
    SELECT coalesce(array_agg(t.id ORDER BY t.n) FILTER (WHERE seen), '{}'),
           coalesce(array_agg(t.v ORDER BY t.n) FILTER (WHERE seen), '{}'),
           coalesce(array_agg(format('case id %s: no such case', t.id) ORDER BY t.n)
                    FILTER (WHERE NOT seen), '{}')
      INTO ids, versions, unseen
      FROM (SELECT DISTINCT ON (t.id) t.*,
                   EXISTS (SELECT FROM cases c
                            WHERE c.id = t.id AND gd__grid_in_scope(c.grid_id, scope)) AS seen
              FROM unnest(p_ids, p_versions) WITH ORDINALITY AS t(id, v, n)
             ORDER BY t.id, t.n) t;
    SELECT a.changed, unseen || a."left" INTO changed, "left"
      FROM gd__bulk_apply(p_action, ids, versions, p_department, p_mediator, p_reason,
                          p_priority) a;
END
$$;

-- Users: a scoped administrator adds and moves users inside its own area
-- only, and can narrow its own scope but never widen it.
CREATE FUNCTION gd__area_for_scope(p_area text) RETURNS int
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

-- may the caller give a user this area (NULL: the whole city)?
CREATE FUNCTION gd__may_scope(p_area int) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT gd__my_scope() IS NULL
        OR (p_area IS NOT NULL
            AND EXISTS (SELECT FROM areas a WHERE a.id = p_area AND gd__my_scope() = ANY (a.path)))
$$;

-- only griddesk's own logins are managed here, never another role
CREATE FUNCTION gd__griddesk_login(p_name text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT FROM pg_roles r
                    WHERE r.rolname = p_name AND r.rolcanlogin AND NOT r.rolsuper
                      AND EXISTS (SELECT FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                                   WHERE m.member = r.oid AND g.rolname LIKE 'griddesk\_%'))
$$;

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
ALTER FUNCTION gd_user_add(text, text, text) OWNER TO griddesk_usermgr;
GRANT SELECT ON areas TO griddesk_usermgr;
GRANT SELECT, INSERT ON role_scopes TO griddesk_usermgr;
GRANT EXECUTE ON FUNCTION gd__my_scope(), gd__area_for_scope(text), gd__may_scope(int)
    TO griddesk_usermgr;

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

-- Imports: gd_import_run reads only staging tables that gd_import_begin
-- made in this session, as the owner, untouched: a caller's own
-- pg_temp.gd_import (with a trigger of its own, say) is refused.
CREATE FUNCTION gd__import_staged() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM pg_class c
         WHERE c.relnamespace = pg_my_temp_schema()
           AND c.relname IN ('gd_import', 'gd_import_errors')
           AND c.relowner = current_user::regrole AND c.relkind = 'r'
           AND NOT c.relhastriggers AND NOT c.relhasrules AND NOT c.relrowsecurity
           AND NOT c.relhassubclass AND NOT EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = c.oid)) <> 2
    THEN
        RAISE EXCEPTION 'no import in progress: gd_import_begin makes the staging tables'
            USING ERRCODE = 'GDV01';
    END IF;
END
$$;

-- the names' cap, as a problem of the line rather than an error that stops
-- the file (grids check theirs already)
CREATE FUNCTION gd__import_caps(p_kind text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF p_kind IN ('departments', 'staff') THEN
        INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
        SELECT s.gd_line, 'name', left(s.name, 100) || '…',
               format('name is %s characters, at most 100', length(btrim(s.name)))
          FROM pg_temp.gd_import s
         WHERE s.gd_fields IS NULL AND length(btrim(s.name)) > 100;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION gd_import_run(p_kind text, p_columns int, OUT imported int, OUT rejected int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
BEGIN
    PERFORM gd__import_staged();
    -- the planner knows nothing of a table just filled: without this it
    -- expects a few hundred rows and looks each reference up by index
    ANALYZE pg_temp.gd_import;
    PERFORM gd__import_shape(p_columns);
    PERFORM gd__import_caps(p_kind);
    imported := CASE p_kind
        WHEN 'grids' THEN gd__import_grids()
        WHEN 'departments' THEN gd__import_departments()
        WHEN 'staff' THEN gd__import_staff()
        WHEN 'cases' THEN gd__import_cases()
    END;
    SELECT count(DISTINCT line) INTO rejected FROM pg_temp.gd_import_errors;
END
$$;

-- The tamper-evident log.
--
-- Each case's events, in id order, fold into a chain: h1 = sha256(e1),
-- hk = sha256(h(k-1) || ek), where e is an event's content. event_chains
-- keeps each case's newest h and its count: changing, deleting or
-- reordering any event of a case, or adding one past the rules, changes
-- what its events fold into. A seal chains the content of every event
-- whose transaction ended before it, so a case deleted whole, with its
-- events and its chain, is found too. The chain is kept once per
-- statement, not per row (a million imported events fold in one pass),
-- and takes no lock beyond the case's own row, which every writer of
-- events holds already.
CREATE FUNCTION gd__event_bytes(p_id bigint, p_case bigint, p_kind text, p_actor text,
                                p_at timestamptz, p_xid xid8, p_data jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    -- JSON with the time as epoch seconds: the same bytes whatever the
    -- session's TimeZone or DateStyle
    SELECT convert_to(jsonb_build_array(p_id, p_case, p_kind, p_actor,
                                        extract(epoch FROM p_at), p_xid::text, p_data)::text,
                      'UTF8');
END;

-- a chain from nothing (gd__chain) or on from a head (gd__chain_on: the
-- head rides along with every row, and the first row takes it up)
CREATE FUNCTION gd__chain_step(p_state bytea, p_next bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
RETURN sha256(p_state || p_next);
CREATE AGGREGATE gd__chain(bytea) (SFUNC = gd__chain_step, STYPE = bytea, INITCOND = '');

CREATE FUNCTION gd__chain_on_step(p_state bytea, p_head bytea, p_next bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE
RETURN sha256(coalesce(p_state, p_head, '') || p_next);
CREATE AGGREGATE gd__chain_on(bytea, bytea) (SFUNC = gd__chain_on_step, STYPE = bytea);

CREATE TABLE event_chains (
    case_id bigint PRIMARY KEY,
    head    bytea NOT NULL,
    events  int NOT NULL
);
INSERT INTO event_chains (case_id, head, events)
SELECT case_id, gd__chain(gd__event_bytes(id, case_id, kind, actor, at, xid, data) ORDER BY id),
       count(*)
  FROM events GROUP BY case_id;

-- Once per statement that writes events: a scoped caller's events must all
-- be of cases in its area (whatever function writes them), and every
-- case's chain takes in its new events. One pass over the new rows does
-- both, as it is on every report's path.
CREATE FUNCTION gd__events_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    outside bigint;
BEGIN
    IF scope IS NOT NULL THEN
        SELECT n.case_id INTO outside
          FROM new_events n JOIN cases c ON c.id = n.case_id JOIN areas a ON a.id = c.grid_id
         WHERE NOT scope = ANY (a.path) LIMIT 1;
        IF outside IS NOT NULL THEN
            RAISE EXCEPTION 'case id % is outside your area', outside USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    INSERT INTO event_chains AS k (case_id, head, events)
    SELECT n.case_id,
           gd__chain_on(c.head, gd__event_bytes(n.id, n.case_id, n.kind, n.actor, n.at, n.xid, n.data)
                        ORDER BY n.id),
           count(*)
      FROM new_events n LEFT JOIN event_chains c ON c.case_id = n.case_id
     GROUP BY n.case_id
    ON CONFLICT (case_id) DO UPDATE SET head = excluded.head, events = k.events + excluded.events;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_written AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_written();

-- Seal k covers the events whose transactions have id in [xid_from,
-- xid_to): xid_to is the oldest transaction still running when it was
-- made, so no event can ever join a range once it is sealed.
CREATE TABLE event_seals (
    id        serial PRIMARY KEY,
    xid_from  xid8 NOT NULL,
    xid_to    xid8 NOT NULL,
    events    bigint NOT NULL,
    hash      bytea NOT NULL,
    sealed_at timestamptz NOT NULL DEFAULT now(),
    sealed_by text NOT NULL DEFAULT session_user
);

CREATE FUNCTION gd__seal_hash(p_prev bytea, p_from xid8, p_to xid8, OUT events bigint, OUT hash bytea)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT count(*),
           sha256(p_prev || gd__chain(gd__event_bytes(e.id, e.case_id, e.kind, e.actor, e.at, e.xid, e.data)
                                      ORDER BY e.id))
      FROM events e WHERE e.xid >= p_from AND e.xid < p_to
$$;

-- Seal every event written since the last seal: how many, and the newest
-- seal's hash (the one to keep outside the database).
CREATE FUNCTION gd_seal(OUT sealed bigint, OUT hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last event_seals;
    upto xid8 := pg_snapshot_xmin(pg_current_snapshot());
    s record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('griddesk.seal'));
    SELECT * INTO last FROM event_seals ORDER BY id DESC LIMIT 1;
    sealed := 0;
    hash := encode(last.hash, 'hex');
    IF last.xid_to >= upto THEN
        RETURN;
    END IF;
    SELECT * INTO s FROM gd__seal_hash(coalesce(last.hash, ''), coalesce(last.xid_to, '0'), upto);
    IF s.events = 0 THEN
        RETURN;
    END IF;
    INSERT INTO event_seals (xid_from, xid_to, events, hash)
    VALUES (coalesce(last.xid_to, '0'), upto, s.events, s.hash);
    sealed := s.events;
    hash := encode(s.hash, 'hex');
END
$$;

-- the cases a check since p_since covers: those with events or changes since
CREATE FUNCTION gd__verify_cases(p_since timestamptz) RETURNS SETOF bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT e.case_id FROM events e WHERE e.at >= p_since
    UNION SELECT c.id FROM cases c WHERE c.updated_at >= p_since
$$;

CREATE FUNCTION gd_verify(p_since timestamptz DEFAULT NULL, p_seal text DEFAULT NULL,
                          OUT events bigint, OUT cases bigint, OUT seals int,
                          OUT unsealed bigint, OUT problem text, OUT newest_seal text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
DECLARE
    -- only a check since a time needs the list; a whole check counts
    ids bigint[] := CASE WHEN p_since IS NOT NULL THEN ARRAY(SELECT gd__verify_cases(p_since)) END;
    bad record;
    prev event_seals;
    s event_seals;
    got record;
BEGIN
    IF gd__my_scope() IS NOT NULL THEN
        RAISE EXCEPTION 'verify reads the whole city''s log: only a city-wide administrator may run it'
            USING ERRCODE = '42501';
    END IF;
    cases := coalesce(cardinality(ids),
                      (SELECT count(*) FROM (SELECT id FROM cases UNION SELECT case_id FROM event_chains) x));
    seals := 0;
    SELECT count(*) INTO events FROM events e WHERE p_since IS NULL OR e.case_id = ANY (ids);

    -- each case's events against its chain; a case with no chain, or a
    -- chain with no case, is named too
    SELECT coalesce(k.case_id, l.case_id) AS case_id, k.events AS want, l.n AS got INTO bad
      FROM (SELECT * FROM event_chains WHERE p_since IS NULL OR case_id = ANY (ids)) k
      FULL JOIN (SELECT e.case_id, count(*) AS n,
                        gd__chain(gd__event_bytes(e.id, e.case_id, e.kind, e.actor, e.at, e.xid, e.data)
                                  ORDER BY e.id) AS head
                   FROM events e WHERE p_since IS NULL OR e.case_id = ANY (ids)
                  GROUP BY e.case_id) l ON l.case_id = k.case_id
     WHERE k.head IS DISTINCT FROM l.head
     ORDER BY 1 LIMIT 1;
    IF bad.case_id IS NULL THEN
        SELECT c.id AS case_id, 0 AS want, 0 AS got INTO bad
          FROM cases c
         WHERE (p_since IS NULL OR c.id = ANY (ids))
           AND NOT EXISTS (SELECT FROM event_chains k WHERE k.case_id = c.id)
         ORDER BY c.id LIMIT 1;
    END IF;
    IF bad.case_id IS NOT NULL THEN
        problem := format('case %s: its %s events do not fit its chain of %s: an event was changed, deleted, moved or added past the rules',
                          gd__case_name(bad.case_id), coalesce(bad.got, 0), coalesce(bad.want, 0));
        RETURN;
    END IF;

    -- each seal against the events it covers
    FOR s IN SELECT * FROM event_seals ORDER BY id LOOP
        IF prev.id IS NOT NULL AND s.xid_from <> prev.xid_to THEN
            problem := format('seal %s does not start where seal %s ended: a seal was deleted', s.id, prev.id);
            RETURN;
        END IF;
        IF p_since IS NULL OR s.sealed_at >= p_since THEN
            SELECT * INTO got FROM gd__seal_hash(coalesce(prev.hash, ''), s.xid_from, s.xid_to);
            IF got.hash IS DISTINCT FROM s.hash THEN
                problem := format('seal %s of %s covered %s events, the log now holds %s there: an event it sealed was deleted, changed or added',
                                  s.id, to_char(s.sealed_at, 'YYYY-MM-DD HH24:MI:SS'), s.events, got.events);
                RETURN;
            END IF;
            seals := seals + 1;
        END IF;
        prev := s;
    END LOOP;
    -- a seal's hash kept outside the database anchors the seals: one deleted
    -- or rewritten after it was written down is missed here
    IF p_seal IS NOT NULL AND NOT EXISTS (SELECT FROM event_seals x
                                           WHERE encode(x.hash, 'hex') = lower(btrim(p_seal))) THEN
        problem := format('seal %s, kept outside, is not in the log: seals were deleted or rewritten', p_seal);
        RETURN;
    END IF;
    SELECT count(*) INTO unsealed FROM events e WHERE e.xid >= coalesce(prev.xid_to, '0');
    newest_seal := encode(prev.hash, 'hex');
END
$$;

-- a case's reference, or what is left to name it by when its row is gone
CREATE FUNCTION gd__case_name(p_id bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT ref FROM cases WHERE id = p_id), format('id %s, no longer in cases', p_id))
$$;

-- Every function without a fixed search_path gets one; an SQL function
-- that the planner inlines into its caller gets its body bound now
-- instead (an SQL-standard body), which a SET clause would forbid.
DO $$
DECLARE
    f record;
    def text;
    body text;
BEGIN
    FOR f IN SELECT p.oid, p.oid::regprocedure AS sig, l.lanname, p.prosrc
               FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
              WHERE p.pronamespace = 'public'::regnamespace AND p.proconfig IS NULL
                AND p.prosqlbody IS NULL AND p.prokind = 'f'
                AND NOT EXISTS (SELECT FROM pg_depend d
                                 WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                   AND d.deptype = 'e')
    LOOP
        IF f.lanname <> 'sql' THEN
            EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f.sig);
            CONTINUE;
        END IF;
        def := pg_get_functiondef(f.oid);
        body := regexp_replace(f.prosrc, '[\s;]+$', '');
        EXECUTE left(def, strpos(def, 'AS $function$') - 1)
                || E'BEGIN ATOMIC\n' || body || E';\nEND';
    END LOOP;
END
$$;

-- who may do what with all of the above
REVOKE ALL ON event_chains, event_seals FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION gd__reporter_grid(), gd__reference_rules(),
    gd__bulk_apply(text, bigint[], int[], text, text, text, int),
    gd_bulk_apply(text, bigint[], int[], text, text, text, int),
    gd__area_for_scope(text), gd__may_scope(int), gd__griddesk_login(text),
    gd__import_staged(), gd__import_caps(text), gd__event_bytes(bigint, bigint, text, text, timestamptz, xid8, jsonb),
    gd__chain_step(bytea, bytea), gd__chain(bytea), gd__chain_on_step(bytea, bytea, bytea),
    gd__chain_on(bytea, bytea), gd__events_written(),
    gd__seal_hash(bytea, xid8, xid8), gd_seal(), gd_verify(timestamptz, text), gd__case_name(bigint),
    gd__verify_cases(timestamptz), gd__row_in_scope(text, jsonb, int)
    FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION gd__bulk_apply(text, bigint[], int[], text, text, text, int)
    FROM griddesk_admin;
GRANT EXECUTE ON FUNCTION gd_bulk_apply(text, bigint[], int[], text, text, text, int)
    TO griddesk_admin;
GRANT EXECUTE ON FUNCTION gd_verify(timestamptz, text) TO griddesk_admin;
GRANT EXECUTE ON FUNCTION gd_seal() TO griddesk_operator;
-- supervision's "today" for everyone who reads the figures
GRANT EXECUTE ON FUNCTION gd__today() TO griddesk_viewer;
-- the reference data's guard runs as the administrator who writes
GRANT EXECUTE ON FUNCTION gd__row_in_scope(text, jsonb, int) TO griddesk_admin;
-- what tests/privileges.tsv showed was wider than any job needs: trigger
-- functions are never called by people, and nobody but the rules numbers
-- cases, events and reporters
REVOKE EXECUTE ON FUNCTION gd__mediator_load_insert(), gd__mediator_load_update() FROM PUBLIC;
REVOKE USAGE ON SEQUENCE case_ref_seq, cases_id_seq, events_id_seq, reporters_id_seq
    FROM griddesk_admin;

-- Advisory locks are the rules' own: a login holding one of their keys would
-- stall the deadline clock, the seal, or each day's first report, city-wide.
-- Only a superuser may take them from PUBLIC (they are pg_catalog's).
DO $$
DECLARE
    f regprocedure;
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE WARNING 'advisory locks stay open to every login: run gridctl migrate as a superuser once to close them';
        RETURN;
    END IF;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'pg_catalog'::regnamespace
                AND p.proname ~ '^pg_(try_)?advisory_(xact_)?lock(_shared)?$'
    LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO griddesk_owner', f);
    END LOOP;
END
$$;
