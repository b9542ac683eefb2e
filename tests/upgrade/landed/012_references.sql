-- Cases and events without per-row foreign keys.
--
-- A foreign key checks every inserted row with a query of its own: loading
-- a million cases spent most of its time in seven million such checks (six
-- references per case and one per event). Every writer of cases and events
-- is a function of this schema that resolves its references before writing
-- (gd_report looks up the grid and category, gd_assign the department and
-- mediator, the import joins each column against its table for the whole
-- file at once), so the insert-side check was doing the same work again.
-- What a foreign key also did, refusing to delete or renumber a row that
-- cases still name, these guards keep doing. (Reporters have no index on
-- cases: nobody but the owner deletes them, and one more index would cost
-- every insert and every bulk edit.)

ALTER TABLE cases
    DROP CONSTRAINT cases_category_fkey,
    DROP CONSTRAINT cases_grid_id_fkey,
    DROP CONSTRAINT cases_district_id_fkey,
    DROP CONSTRAINT cases_reporter_id_fkey,
    DROP CONSTRAINT cases_department_id_fkey,
    DROP CONSTRAINT cases_mediator_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_case_id_fkey;

-- TG_ARGV: the key column, then pairs of (table, column) that refer to it
CREATE FUNCTION gd__still_used() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_key text := to_jsonb(OLD) ->> TG_ARGV[0];
    hit text;
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) ->> TG_ARGV[0] IS NOT DISTINCT FROM old_key THEN
        RETURN NEW;
    END IF;
    FOR i IN 1 .. (TG_NARGS - 1) / 2 LOOP
        EXECUTE format('SELECT %1$I::text FROM %2$I WHERE %3$I::text = $1 LIMIT 1',
                       CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'ref' ELSE 'case_id' END,
                       TG_ARGV[2 * i - 1], TG_ARGV[2 * i])
           INTO hit USING old_key;
        IF hit IS NOT NULL THEN
            RAISE EXCEPTION '% % is still used by % (% %)', TG_TABLE_NAME, old_key,
                CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'case ' || hit ELSE 'the event log' END,
                TG_ARGV[2 * i - 1], TG_ARGV[2 * i]
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER areas_still_used BEFORE DELETE OR UPDATE OF id ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'grid_id', 'cases', 'district_id');
CREATE TRIGGER categories_still_used BEFORE DELETE OR UPDATE OF code ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('code', 'cases', 'category');
CREATE TRIGGER departments_still_used BEFORE DELETE OR UPDATE OF id ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'department_id');
CREATE TRIGGER staff_still_used BEFORE DELETE OR UPDATE OF id ON staff
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'mediator_id');
CREATE TRIGGER reporters_still_used BEFORE DELETE OR UPDATE OF id ON reporters
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'reporter_id');
CREATE TRIGGER cases_still_used BEFORE DELETE OR UPDATE OF id ON cases
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'events', 'case_id');

REVOKE EXECUTE ON FUNCTION gd__still_used() FROM PUBLIC;
