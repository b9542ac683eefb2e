-- Live traffic for demos and benchmarks: realistic reports across the demo
-- city, and departments and operators moving cases along. Each call is the
-- caller's own transaction and uses the caller's rights: the simulator is
-- only another client of the same rules.

CREATE INDEX cases_open_stage ON cases (stage_since)
    WHERE status NOT IN ('closed', 'cancelled');
