-- What griddesk no longer has. Each object is dropped here, after the
-- definitions that stopped using it were applied (an SQL body that names a
-- function keeps it from being dropped until it names another), so an old
-- database loses it and a fresh one never had it.

-- the console's filter and list's, export's and bulk's: both are gd__filter
DROP FUNCTION IF EXISTS gd__queue_filter(text, text, text, int, text);
DROP FUNCTION IF EXISTS gd__case_filter(text, text, text, text, text, text, text, text);
