-- Included by the pgTAP files: run a statement as another role and return
-- its result, or "ERROR <sqlstate>: <message>". pgTAP's own bookkeeping stays
-- with the superuser that runs the file.
CREATE FUNCTION pg_temp.as_role(p_role text, p_sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    EXECUTE format('SET SESSION AUTHORIZATION %I', p_role);
    BEGIN
        EXECUTE p_sql INTO r;
    EXCEPTION WHEN OTHERS THEN
        r := 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
    END;
    RESET SESSION AUTHORIZATION;
    RETURN r;
END
$$;
