-- One set of case filters for list, export and bulk edits, so that a bulk
-- edit touches exactly the cases the same options list.

-- superseded: the definition of today is in definitions/
DROP FUNCTION IF EXISTS gd_case_list(text, text, text, text, int);
