-- Included by the pgTAP files. pg_prove connects as the superuser only so
-- that a file can become the login it is about (SET SESSION AUTHORIZATION
-- is the superuser's alone); everything a test asserts runs as that login.

-- as_role: run one statement as another login and return its result, or
-- "ERROR <sqlstate>: <message>"; then be whoever we were before.
CREATE FUNCTION pg_temp.as_role(p_role text, p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    was text := session_user;
    r text;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', p_role);
    BEGIN
        EXECUTE p_sql INTO r;
    EXCEPTION WHEN OTHERS THEN
        r := 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
    END;
    EXECUTE format('SET SESSION AUTHORIZATION %I', was);
    RETURN r;
END
$$;

-- login: be this login for the rest of the file. Call it after plan():
-- pgTAP keeps its bookkeeping in temp tables that plan() makes, which the
-- login must be able to write.
CREATE FUNCTION pg_temp.login(p_role text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
              WHERE c.relnamespace = pg_my_temp_schema() AND c.relkind IN ('r', 'S') LOOP
        EXECUTE format('GRANT ALL ON %s %s TO PUBLIC',
                       CASE t.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, t.name);
    END LOOP;
    EXECUTE format('SET SESSION AUTHORIZATION %I', p_role);
END
$$;
