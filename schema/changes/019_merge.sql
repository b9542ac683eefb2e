-- Many whistles, one incident (并案). A report of an incident the centre
-- already has is merged into that case: it takes the state "merged",
-- keeps its reporter, place and words, and follows the case it was merged
-- into (merged_into) until that case is finished.

ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check
    CHECK (status IN ('new', 'dispatched', 'accepted', 'on_site', 'resolved',
                      'closed', 'returned', 'cancelled', 'merged'));

ALTER TABLE cases ADD COLUMN merged_into bigint REFERENCES cases (id);

-- How near and how recent another report must be to be the same incident,
-- per category: a grille hangs over one doorway, smoke is seen from afar.
ALTER TABLE categories
    ADD COLUMN duplicate_within_m int NOT NULL DEFAULT 300
        CHECK (duplicate_within_m BETWEEN 1 AND 10000),
    ADD COLUMN duplicate_window interval NOT NULL DEFAULT '48 hours'
        CHECK (duplicate_window > interval '0' AND duplicate_window <= interval '90 days');

-- A merged case has no deadline of its own and no place in the queue: the
-- two partial indexes over the cases still moving leave it out.
DROP INDEX cases_queue;
CREATE INDEX cases_queue ON cases (priority, (coalesce(due_at, 'infinity'::timestamptz)), id)
    WHERE status NOT IN ('closed', 'cancelled', 'merged');

DROP INDEX cases_open_stage;
CREATE INDEX cases_open_stage ON cases (stage_since)
    WHERE status NOT IN ('closed', 'cancelled', 'merged');

-- Candidates for merging are found by place and time at once, in three
-- dimensions: the case's point on the kilometre plane of staff.pos
-- (gd__km_point spells the same two coordinates) and its report time in
-- hours, over the cases still being worked. By place alone, a probe in a
-- dense district read every open case there to keep the few of the last
-- two days (1 to 5 ms among 200,000 cases); a GiST index of cubes (the
-- cube extension, trusted, shipped with PostgreSQL) keeps it to them
-- (0.15 ms). In a schema of its own, so that the rules' schema holds only
-- griddesk's functions.
CREATE SCHEMA IF NOT EXISTS griddesk_ext;
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA griddesk_ext;
-- the rules read the index as its owner (gd__candidates)
GRANT USAGE ON SCHEMA griddesk_ext TO griddesk_owner;
CREATE INDEX cases_nearby ON cases USING gist (griddesk_ext.cube(ARRAY[
        lon * 111.32 * cos(radians(22.6)), lat * 110.57,
        extract(epoch FROM reported_at - '2000-01-01 00:00+00'::timestamptz) / 3600]))
    WHERE status IN ('new', 'dispatched', 'accepted', 'on_site', 'returned');

-- Only merged cases have a value: a report writes nothing here.
CREATE INDEX cases_merged_into ON cases (merged_into) WHERE merged_into IS NOT NULL;

COMMENT ON INDEX cases_queue IS
    'gd_queue: the console''s window, open cases in queue order';
COMMENT ON INDEX cases_open_stage IS
    'gd_simulate_act: the open case that has waited longest in its stage';
COMMENT ON INDEX cases_nearby IS
    'gd_duplicates: open cases near a report, candidates for merging';
COMMENT ON INDEX cases_merged_into IS
    'gd_case_merges and gd__follow: the reports merged into a case';
