-- What griddesk no longer has. Each object is dropped here, after the
-- definitions that stopped using it were applied (an SQL body that names a
-- function keeps it from being dropped until it names another), so an old
-- database loses it and a fresh one never had it.

-- the console's filter and list's, export's and bulk's: both are gd__filter
DROP FUNCTION IF EXISTS gd__queue_filter(text, text, text, int, text);
DROP FUNCTION IF EXISTS gd__case_filter(text, text, text, text, text, text, text, text);

-- the five triggers on cases that one statement's write now keeps in one
-- call (gd__cases_written)
DROP TRIGGER IF EXISTS cases_mediator_load_insert ON cases;
DROP TRIGGER IF EXISTS cases_mediator_load_update ON cases;
DROP TRIGGER IF EXISTS cases_report_scope ON cases;
DROP TRIGGER IF EXISTS cases_reporter_grid ON cases;
DROP TRIGGER IF EXISTS cases_update_scope ON cases;
DROP FUNCTION IF EXISTS gd__mediator_load_insert();
DROP FUNCTION IF EXISTS gd__mediator_load_update();
DROP FUNCTION IF EXISTS gd__report_scope();
DROP FUNCTION IF EXISTS gd__reporter_grid();
