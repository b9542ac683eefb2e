-- A lighter write path. Every report writes each index on cases, and every
-- step of a case writes them all again (a step changes the status, which
-- partial indexes are keyed on, so no step can be a HOT update). Each index
-- that stays names the query it serves in its comment, and
-- tests/cli/indexes.t checks, as the role that runs that query, that the
-- query does use it.
--
-- Dropped, as no query needed them:
--   cases_status    every open status is read through cases_queue, and a
--                   listing of one status walks cases_reported newest first
--   cases_district  a district is a seventh of the city: a window or a page
--                   filtered to it walks cases_queue or cases_reported
--   cases_category  likewise, a category is one of dozens
-- Narrowed to the cases that have a value: a new report has neither a
-- department nor a mediator, so it no longer writes these two.

DROP INDEX cases_status, cases_district, cases_category;

DROP INDEX cases_department;
CREATE INDEX cases_department ON cases (department_id) WHERE department_id IS NOT NULL;

DROP INDEX cases_mediator;
CREATE INDEX cases_mediator ON cases (mediator_id) WHERE mediator_id IS NOT NULL;

COMMENT ON INDEX cases_pkey IS
    'gd_queue_changes: the live feed reads each changed case by id';
COMMENT ON INDEX cases_ref_key IS
    'gd_case_detail and every rule: a case found by its reference';
COMMENT ON INDEX cases_queue IS
    'gd_queue: the console''s window, open cases in queue order';
COMMENT ON INDEX cases_reported IS
    'gd_case_list: the newest cases first, a page at a time';
COMMENT ON INDEX cases_open_stage IS
    'gd_simulate_act: the open case that has waited longest in its stage';
COMMENT ON INDEX cases_grid IS
    'gd_case_list --grid: one grid''s cases, a thousandth of the city';
COMMENT ON INDEX cases_department IS
    'gd_case_list --department: a department''s cases';
COMMENT ON INDEX cases_mediator IS
    'gd_case_list --mediator: a mediator''s cases';
