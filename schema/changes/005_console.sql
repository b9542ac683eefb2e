-- What the console reads. The queue is a window: p_limit cases in queue
-- order, read straight off an index so that its cost does not grow with the
-- number of open cases. Queue order: urgent first; within a priority, by
-- the deadline of the stage the case is in, so overdue cases lead (the most
-- overdue first) and then those due soonest; resolved cases, which have no
-- deadline left, wait at the end for the centre to close them.
-- The totals of a view are a separate, dearer read (gd_queue_totals).

CREATE INDEX cases_queue ON cases (priority, (coalesce(due_at, 'infinity'::timestamptz)), id)
    WHERE status NOT IN ('closed', 'cancelled');
