-- The demo city: Jiangmen's seven county-level divisions, their streets and
-- towns, generated communities and grids, departments, the talent pool and a
-- history of cases. Deterministic for a given seed: the same seed gives the
-- same city, so tests and benchmarks can name what they expect.

-- how often each category is reported, and the titles people write: kept
-- after seeding for the traffic simulator
CREATE TABLE demo_profile (
    category text PRIMARY KEY REFERENCES categories (code),
    weight   int NOT NULL CHECK (weight >= 0),
    titles   text[] NOT NULL
);
