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

ALTER TABLE reporters ENABLE ROW LEVEL SECURITY;

-- The bulk edit's worker, which administrators called directly until now,
-- becomes gd__bulk_apply behind a scope-checking gd_bulk_apply
-- (definitions/08_bulk.sql). Only a database that has the worker under its
-- old name has anything to rename.
DO $$
BEGIN
    IF to_regprocedure('gd_bulk_apply(text, bigint[], int[], text, text, text, int)') IS NOT NULL
       AND to_regprocedure('gd__bulk_apply(text, bigint[], int[], text, text, text, int)') IS NULL THEN
        ALTER FUNCTION gd_bulk_apply(text, bigint[], int[], text, text, text, int)
            RENAME TO gd__bulk_apply;
    END IF;
END
$$;

CREATE TABLE event_chains (
    case_id bigint PRIMARY KEY,
    head    bytea NOT NULL,
    events  int NOT NULL
);

-- The chains of the events written before this change. The event's bytes
-- and the fold are spelled out here, as gd__event_bytes and gd__chain
-- (definitions/11_audit.sql) computed them on the day, so that this change
-- means the same whenever it runs.
CREATE FUNCTION pg_temp.event_bytes(p_id bigint, p_case bigint, p_kind text, p_actor text,
                                    p_at timestamptz, p_xid xid8, p_data jsonb) RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(jsonb_build_array(p_id, p_case, p_kind, p_actor,
                                        extract(epoch FROM p_at), p_xid::text, p_data)::text,
                      'UTF8')
$$;
CREATE FUNCTION pg_temp.chain_step(p_state bytea, p_next bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT sha256(p_state || p_next) $$;
CREATE AGGREGATE pg_temp.chain(bytea) (SFUNC = pg_temp.chain_step, STYPE = bytea, INITCOND = '');
INSERT INTO event_chains (case_id, head, events)
SELECT case_id, pg_temp.chain(pg_temp.event_bytes(id, case_id, kind, actor, at, xid, data) ORDER BY id),
       count(*)
  FROM events GROUP BY case_id;
DROP AGGREGATE pg_temp.chain(bytea);
DROP FUNCTION pg_temp.chain_step(bytea, bytea), pg_temp.event_bytes(bigint, bigint, text, text, timestamptz, xid8, jsonb);

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
