-- Dispatch: which department, and which person from the talent pool.
-- One query each, so the console and gridctl rank the same way.

-- kilometres on the plane of staff.pos (see changes/001_tables.sql): good enough within a city
CREATE OR REPLACE FUNCTION gd__km_point(p_lat double precision, p_lon double precision) RETURNS point
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT point(p_lon * 111.32 * cos(radians(22.6)), p_lat * 110.57);
END;

-- Mediators for a case, best first: a tier that fits the case first, then
-- distance, over every qualified person (on duty, covering the case's
-- field, under their load limit).
-- Urgent and high-priority cases, and repeated disputes (an earlier,
-- not cancelled case of the same field in the same grid within 30 days),
-- call for a specialist or a senior expert; others for grassroots staff or
-- a specialist, keeping experts for harder cases. Each reason is true of
-- the case and the person.
CREATE OR REPLACE FUNCTION gd_suggest_mediators(p_ref text, p_limit int DEFAULT 5)
RETURNS TABLE (rank int, staff_id int, name text, tier text, fields text[],
               distance_km numeric, travel_min int, load int, load_limit int,
               on_duty boolean, tier_fits boolean, reason text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    c record;
    here point;
    wanted text[];
    repeat_of text;
    ids int[];
    more int[];
BEGIN
    SELECT cs.id, cs.priority, cs.lat, cs.lon, cs.grid_id, cs.reported_at, cat.field
      INTO c
      FROM cases cs JOIN categories cat ON cat.code = cs.category
     WHERE cs.id = gd__case_id(p_ref);
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
        RAISE EXCEPTION 'limit % is out of range: 1 to 100', p_limit USING ERRCODE = 'GDV01';
    END IF;
    here := gd__km_point(c.lat, c.lon);
    IF c.priority > 2 AND c.field IS NOT NULL THEN
        SELECT o.ref INTO repeat_of
          FROM cases o JOIN categories oc ON oc.code = o.category
         WHERE o.grid_id = c.grid_id AND o.id <> c.id AND oc.field = c.field
           AND o.status <> 'cancelled'
           AND o.reported_at < c.reported_at AND o.reported_at > c.reported_at - interval '30 days'
         ORDER BY o.reported_at DESC, o.id DESC
         LIMIT 1;
    END IF;
    wanted := CASE WHEN c.priority <= 2 OR repeat_of IS NOT NULL THEN ARRAY['specialist', 'expert']
                   ELSE ARRAY['grassroots', 'specialist'] END;

    -- each tier group nearest first off the GiST index, the others only
    -- when the fitting ones are too few: the walk stops at the last person
    -- it returns (it crosses the whole pool only when a group it needs is
    -- empty, which is rare and still bounded by the pool)
    SELECT array_agg(x.id ORDER BY x.d, x.id) INTO ids
      FROM (SELECT s.id, s.pos <-> here AS d FROM staff s
             WHERE s.on_duty AND s.open_cases < s.load_limit
               AND (c.field IS NULL OR s.fields @> ARRAY[c.field]) AND s.tier = ANY (wanted)
             ORDER BY s.pos <-> here LIMIT p_limit) x;
    IF coalesce(cardinality(ids), 0) < p_limit THEN
        SELECT array_agg(x.id ORDER BY x.d, x.id) INTO more
          FROM (SELECT s.id, s.pos <-> here AS d FROM staff s
                 WHERE s.on_duty AND s.open_cases < s.load_limit
                   AND (c.field IS NULL OR s.fields @> ARRAY[c.field]) AND s.tier <> ALL (wanted)
                 ORDER BY s.pos <-> here LIMIT p_limit - coalesce(cardinality(ids), 0)) x;
        ids := coalesce(ids, '{}') || coalesce(more, '{}');
    END IF;

    RETURN QUERY
    SELECT p.n::int, s.id, s.name, s.tier, s.fields, round(d.km::numeric, 1),
           -- straight line at a city's 25 km/h, and five minutes to set off
           (5 + ceil(d.km / 25.0 * 60))::int,
           s.open_cases, s.load_limit, s.on_duty, s.tier = ANY (wanted),
           concat_ws('; ',
               CASE WHEN c.field IS NOT NULL THEN 'covers ' || c.field END,
               CASE WHEN s.tier = ANY (wanted) AND repeat_of IS NOT NULL
                        THEN s.tier || ' fits a repeat of ' || repeat_of
                    WHEN s.tier = ANY (wanted) THEN s.tier || ' fits priority ' || c.priority
                    WHEN s.tier = 'expert' THEN s.tier || ' kept for harder cases'
                    WHEN repeat_of IS NOT NULL THEN s.tier || ' below what a repeat of ' || repeat_of || ' wants'
                    ELSE s.tier || ' below what priority ' || c.priority || ' wants' END,
               'load ' || s.open_cases || '/' || s.load_limit,
               round(d.km::numeric, 1) || ' km')
      FROM unnest(ids) WITH ORDINALITY AS p (id, n)
      JOIN staff s ON s.id = p.id
     CROSS JOIN LATERAL (SELECT s.pos <-> here AS km) d
     ORDER BY p.n;
END
$$;

-- Departments for a case, best first: the category's default department in
-- the case's district; the default of a neighbouring district when the case
-- lies within 1.5 km of one of its grids; then the district's other
-- departments that handle the category's line of work.
CREATE OR REPLACE FUNCTION gd_suggest_departments(p_ref text)
RETURNS TABLE (rank int, code text, name text, kind text, district text, reason text)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    WITH c AS (
        SELECT cs.id, cs.category, cs.district_id, cs.lat, cs.lon, cat.line
          FROM cases cs JOIN categories cat ON cat.code = cs.category
         WHERE cs.id = gd__case_id(p_ref)
    ), near AS (
        SELECT DISTINCT g.path[2] AS district_id
          FROM c, areas g
         WHERE g.level = 'grid' AND g.path[2] <> c.district_id
           AND gd__km_point(g.lat, g.lon) <-> gd__km_point(c.lat, c.lon) < 1.5
    ), ranked AS (
        SELECT 1 AS tier, d.id, 'default for ' || c.category AS reason
          FROM c JOIN category_routes r ON r.category = c.category AND r.district_id = c.district_id
          JOIN departments d ON d.id = r.department_id
        UNION ALL
        SELECT 2, d.id, 'default for ' || c.category || ' next door (within 1.5 km)'
          FROM c JOIN near n ON true
          JOIN category_routes r ON r.category = c.category AND r.district_id = n.district_id
          JOIN departments d ON d.id = r.department_id
        UNION ALL
        SELECT 3, d.id, 'handles ' || c.line
          FROM c JOIN departments d ON d.district_id = c.district_id AND c.line = ANY (d.lines)
    ), best AS (
        SELECT DISTINCT ON (id) tier, id, reason FROM ranked ORDER BY id, tier
    )
    SELECT (row_number() OVER (ORDER BY b.tier, d.code))::int, d.code, d.name, d.kind,
           a.code, b.reason
      FROM best b JOIN departments d ON d.id = b.id JOIN areas a ON a.id = d.district_id
     ORDER BY b.tier, d.code
$$;

-- A misfiled report: the centre corrects its category before dispatching
-- it. Deadlines are counted again from the report under the new category,
-- and the suggestions follow, since they are worked out from the category.
CREATE OR REPLACE FUNCTION gd_recategorize(p_ref text, p_version int, p_category text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    cat categories;
    wanted text := gd_category_code(p_category);
BEGIN
    PERFORM gd__refuse(c, 'change the category', ARRAY['new', 'returned']);
    SELECT * INTO cat FROM categories k WHERE k.code = wanted;
    IF cat.code = c.category THEN
        RAISE EXCEPTION 'case % is already %', c.ref, cat.code USING ERRCODE = 'GDV01';
    END IF;
    UPDATE cases SET category = cat.code,
           accept_by = gd__deadline(c.reported_at, cat.accept_within, c.priority),
           onsite_by = gd__deadline(c.reported_at, cat.onsite_within, c.priority),
           resolve_by = gd__deadline(c.reported_at, cat.resolve_within, c.priority),
           version = version + 1, updated_at = now(), updated_by = session_user
     WHERE id = c.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (c.id, 'recategorized', jsonb_build_object('from', c.category, 'to', cat.code,
                                                      'version', c.version + 1));
    RETURN c.version + 1;
END
$$;

-- A case as a point of cases_nearby: its place on the kilometre plane
-- and its report time in hours (changes/019_merge.sql spells the index
-- with this expression; inlined, the two match). A candidate's point lies
-- in the box around the case: the square around the category's distance,
-- and its time window either side of the report.
CREATE OR REPLACE FUNCTION gd__place_time(p_lat double precision, p_lon double precision,
                                          p_at timestamptz) RETURNS griddesk_ext.cube
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT griddesk_ext.cube(ARRAY[p_lon * 111.32 * cos(radians(22.6)), p_lat * 110.57,
                                   extract(epoch FROM p_at - '2000-01-01 00:00+00'::timestamptz) / 3600]);
END;

CREATE OR REPLACE FUNCTION gd__near_box(p_lat double precision, p_lon double precision,
                                        p_at timestamptz, p_metres int, p_window interval)
RETURNS griddesk_ext.cube
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT griddesk_ext.cube(
        ARRAY[p_lon * 111.32 * cos(radians(22.6)) - p_metres / 1000.0, p_lat * 110.57 - p_metres / 1000.0,
              extract(epoch FROM p_at - p_window - '2000-01-01 00:00+00'::timestamptz) / 3600],
        ARRAY[p_lon * 111.32 * cos(radians(22.6)) + p_metres / 1000.0, p_lat * 110.57 + p_metres / 1000.0,
              extract(epoch FROM p_at + p_window - '2000-01-01 00:00+00'::timestamptz) / 3600]);
END;

-- The candidates of each case of p_ids that the caller may see, nearest
-- first, at most p_limit a case: one probe of cases_nearby each (the box),
-- then the exact distance. As the owner, past the policies, and checking
-- the scope itself: the index's operators are not leakproof, so under
-- row-level security the index could not be used and every lookup read
-- the whole table (40 ms among 200,000 cases). The probe is kept apart
-- (OFFSET 0): the planner otherwise ANDed it with a walk of cases_reported
-- over the time window (4 ms, against 0.15).
CREATE OR REPLACE FUNCTION gd__candidates(p_ids bigint[], p_limit int)
RETURNS TABLE (case_id bigint, id bigint, metres double precision)
-- one plan kept per connection: planning it cost 2 ms, ten times the probe
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    scope int := gd__my_scope();
BEGIN
    RETURN QUERY
    SELECT c.id, n.id, n.metres
      FROM cases c
      JOIN categories cat ON cat.code = c.category
     CROSS JOIN LATERAL (
           SELECT o.id, (gd__km_point(o.lat, o.lon) <-> gd__km_point(c.lat, c.lon)) * 1000 AS metres
             FROM (SELECT o.id, o.lat, o.lon, o.category, o.reported_at, o.grid_id
                     FROM cases o
                    WHERE o.status IN ('new', 'dispatched', 'accepted', 'on_site', 'returned')
                      AND gd__place_time(o.lat, o.lon, o.reported_at) OPERATOR(griddesk_ext.<@)
                          gd__near_box(c.lat, c.lon, c.reported_at, cat.duplicate_within_m, cat.duplicate_window)
                   OFFSET 0) o
             JOIN categories oc ON oc.code = o.category
            WHERE o.id <> c.id
              AND gd__km_point(o.lat, o.lon) <-> gd__km_point(c.lat, c.lon) <= cat.duplicate_within_m / 1000.0
              AND (o.category = c.category OR oc.line = cat.line)
              AND (scope IS NULL OR gd__grid_in_scope(o.grid_id, scope))
            ORDER BY 2, o.reported_at DESC, o.id
            LIMIT p_limit) n
     WHERE c.id = ANY (p_ids)
       AND (scope IS NULL OR gd__grid_in_scope(c.grid_id, scope));
END
$$;

-- Which cases of p_ids have a candidate: the queue's sign, for a whole
-- window in one call; the test of gd__candidates, stopping at the first
-- (0.05 ms a case, where listing them cost 0.12). A plain index scan, not
-- a bitmap: a bitmap gathers every case in the box before the first is
-- looked at, and a burst of reports of one place made each probe read
-- hundreds (the console fell minutes behind).
CREATE OR REPLACE FUNCTION gd__with_candidates(p_ids bigint[])
RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
SET plan_cache_mode = force_generic_plan SET enable_bitmapscan = off AS $$
DECLARE
    scope int := gd__my_scope();
BEGIN
    RETURN QUERY
    SELECT c.id
      FROM cases c
      JOIN categories cat ON cat.code = c.category
     WHERE c.id = ANY (p_ids)
       AND (scope IS NULL OR gd__grid_in_scope(c.grid_id, scope))
       AND EXISTS (
           SELECT FROM (SELECT o.id, o.lat, o.lon, o.category, o.grid_id
                          FROM cases o
                         WHERE o.status IN ('new', 'dispatched', 'accepted', 'on_site', 'returned')
                           AND gd__place_time(o.lat, o.lon, o.reported_at) OPERATOR(griddesk_ext.<@)
                               gd__near_box(c.lat, c.lon, c.reported_at, cat.duplicate_within_m,
                                            cat.duplicate_window)
                        OFFSET 0) o
             JOIN categories oc ON oc.code = o.category
            WHERE o.id <> c.id
              AND gd__km_point(o.lat, o.lon) <-> gd__km_point(c.lat, c.lon) <= cat.duplicate_within_m / 1000.0
              AND (o.category = c.category OR oc.line = cat.line)
              AND (scope IS NULL OR gd__grid_in_scope(o.grid_id, scope)));
END
$$;

-- Reports of the same incident (疑似重复): open cases of the same category
-- or line of work, within the category's distance of the case and its
-- time window of the case's report, nearest first, then newest. One probe
-- of cases_nearby (the circle), whatever the size of the city. Read as
-- the caller: a scoped operator is offered only cases it may see.
CREATE OR REPLACE FUNCTION gd_duplicates(p_ref text, p_limit int DEFAULT 20)
RETURNS TABLE (ref text, status text, title text, distance_m int, age interval,
               reporter_kind text, version int, grid text, category text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    case_id bigint := gd__case_id(p_ref);
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
        RAISE EXCEPTION 'limit % is out of range: 1 to 100', p_limit USING ERRCODE = 'GDV01';
    END IF;
    RETURN QUERY
    SELECT o.ref, o.status, o.title, round(k.metres)::int,
           date_trunc('minute', now() - o.reported_at), r.kind, o.version, g.code, o.category
      FROM gd__candidates(ARRAY[case_id], p_limit) k
      JOIN cases o ON o.id = k.id
      JOIN areas g ON g.id = o.grid_id
      LEFT JOIN reporters r ON r.id = o.reporter_id
     ORDER BY k.metres, o.reported_at DESC, o.id;
END
$$;
