-- One front door (联办): a case goes to a lead department (主办) and to any
-- number of assisting departments (协办). Each assisting department has a
-- part of its own: its own stage deadlines, counted from when it was
-- asked; its own accept, on site and feedback; released by the centre
-- with a reason. The lead resolves the case; the centre closes it only
-- when no part is still open.

CREATE TABLE case_parts (
    case_id       bigint NOT NULL REFERENCES cases (id),
    department_id int NOT NULL REFERENCES departments (id),
    status        text NOT NULL DEFAULT 'dispatched'
                  CHECK (status IN ('dispatched', 'accepted', 'on_site', 'fed_back', 'released')),
    dispatched_at timestamptz NOT NULL DEFAULT now(),
    accepted_at   timestamptz,
    onsite_at     timestamptz,
    feedback_at   timestamptz,
    released_at   timestamptz,
    accept_by     timestamptz NOT NULL,
    onsite_by     timestamptz NOT NULL,
    resolve_by    timestamptz NOT NULL,
    -- the deadline of the stage the part is in now; fed back or released,
    -- a part has none
    due_at        timestamptz GENERATED ALWAYS AS (
                      CASE status
                          WHEN 'dispatched' THEN accept_by
                          WHEN 'accepted' THEN onsite_by
                          WHEN 'on_site' THEN resolve_by
                      END) STORED,
    PRIMARY KEY (case_id, department_id)
);

-- a department's parts (supervision by department, and the guard that
-- keeps a department that still assists from being deleted)
CREATE INDEX case_parts_department ON case_parts (department_id);

-- the deadline clock: the open parts past their deadline
CREATE INDEX case_parts_due ON case_parts (due_at) WHERE due_at IS NOT NULL;

ALTER TABLE case_parts ENABLE ROW LEVEL SECURITY;

-- The districts of a case's assisting departments: their scoped users see
-- the case they work on. Kept on the case so that row-level security stays
-- one comparison a row (see definitions/02_scope.sql). NULL: none.
ALTER TABLE cases ADD COLUMN assist_districts int[];
