-- The numbers the centre is judged by, and the people it sends, are right.
--
-- What happened in a period is read from the event log, where nothing
-- moves, so a past period's figures never change when a case moves again.
-- Today, this week and every date a person types mean the centre's
-- calendar (settings.timezone), whatever the operator's zone.
-- man/griddesk.7 (FIGURES) defines each figure; gd_stats computes them.

-- Figures read the log by time. The log is written in time order, so a
-- block range index finds a day's events for almost nothing on the write
-- path (a b-tree would add an index entry to every event).
CREATE INDEX events_at ON events USING brin (at) WITH (pages_per_range = 32, autosummarize = on);

-- superseded: the definition of today is in definitions/
DROP FUNCTION IF EXISTS gd_case_detail(text);

-- superseded: the definition of today is in definitions/
DROP FUNCTION IF EXISTS gd_stats(text, timestamptz, timestamptz);
