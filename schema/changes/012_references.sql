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
