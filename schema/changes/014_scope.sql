-- Access scoped by place. A login role may be limited to a part of the grid
-- tree: a district centre sees its district, a street centre its street,
-- the city centre (no scope) everything. Row-level security enforces it
-- for every reader, psql included; the rules functions, which run as the
-- owner, check it themselves for the case they act on.

CREATE TABLE role_scopes (
    role    name PRIMARY KEY,
    area_id int NOT NULL REFERENCES areas (id)
);

-- the policies are in definitions/02_scope.sql
ALTER TABLE cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
