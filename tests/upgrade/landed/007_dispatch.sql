-- Dispatch: which department, and which person from the talent pool.
-- One query each, so the console and gridctl rank the same way.

-- kilometres on the plane of staff.pos (see 001): good enough within a city
CREATE FUNCTION gd__km_point(p_lat double precision, p_lon double precision) RETURNS point
LANGUAGE sql IMMUTABLE AS $$
    SELECT point(p_lon * 111.32 * cos(radians(22.6)), p_lat * 110.57)
$$;

-- Mediators for a case, best first. The nearest qualified people come off
-- the GiST index (on duty, covering the case's field, under their load
-- limit: filters the index scan honours while it walks outwards), then the
-- few nearest are ranked: a tier that fits the case first, then distance.
-- Urgent and high-priority cases, and repeated disputes (another case of
-- the same field in the same grid within 30 days), call for a specialist or
-- a senior expert; others for grassroots staff or a specialist, keeping
-- experts free.
CREATE FUNCTION gd_suggest_mediators(p_ref text, p_limit int DEFAULT 5)
RETURNS TABLE (rank int, staff_id int, name text, tier text, fields text[],
               distance_km numeric, travel_min int, load int, load_limit int,
               on_duty boolean, tier_fits boolean, reason text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    c record;
    here point;
    wanted text[];
BEGIN
    SELECT cs.id, cs.priority, cs.lat, cs.lon, cs.grid_id, cs.reported_at, cat.field
      INTO c
      FROM cases cs JOIN categories cat ON cat.code = cs.category
     WHERE cs.id = gd__case_id(p_ref);
    IF p_limit IS NULL OR p_limit < 1 OR p_limit > 100 THEN
        RAISE EXCEPTION 'limit % is out of range: 1 to 100', p_limit USING ERRCODE = 'GDV01';
    END IF;
    here := gd__km_point(c.lat, c.lon);
    wanted := CASE
        WHEN c.priority <= 2 OR EXISTS (
                SELECT FROM cases o JOIN categories oc ON oc.code = o.category
                 WHERE o.grid_id = c.grid_id AND o.id <> c.id AND oc.field = c.field
                   AND o.reported_at > c.reported_at - interval '30 days')
        THEN ARRAY['specialist', 'expert']
        ELSE ARRAY['grassroots', 'specialist'] END;
    RETURN QUERY
    SELECT (row_number() OVER (ORDER BY n.tier <> ALL (wanted), n.d, n.id))::int,
           n.id, n.name, n.tier, n.fields, round(n.d::numeric, 1),
           -- straight line at a city's 25 km/h, and five minutes to set off
           (5 + ceil(n.d / 25.0 * 60))::int,
           n.open_cases, n.load_limit, n.on_duty, n.tier = ANY (wanted),
           concat_ws('; ',
               CASE WHEN c.field IS NOT NULL THEN 'covers ' || c.field END,
               n.tier || CASE WHEN n.tier = ANY (wanted) THEN ' fits priority ' ELSE ' below what priority ' END
                      || c.priority || CASE WHEN n.tier = ANY (wanted) THEN '' ELSE ' wants' END,
               'load ' || n.open_cases || '/' || n.load_limit,
               round(n.d::numeric, 1) || ' km')
      FROM (SELECT s.id, s.name, s.tier, s.fields, s.open_cases, s.load_limit, s.on_duty,
                   s.pos <-> here AS d
              FROM staff s
             WHERE s.on_duty AND s.open_cases < s.load_limit
               AND (c.field IS NULL OR s.fields @> ARRAY[c.field])
             ORDER BY s.pos <-> here
             LIMIT 40) n
     ORDER BY n.tier <> ALL (wanted), n.d, n.id
     LIMIT p_limit;
END
$$;

-- Departments for a case, best first: the category's default department in
-- the case's district; the default of a neighbouring district when the case
-- lies within 1.5 km of one of its grids; then the district's other
-- departments that handle the category's line of work.
CREATE FUNCTION gd_suggest_departments(p_ref text)
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

REVOKE EXECUTE ON FUNCTION gd_suggest_mediators(text, int), gd_suggest_departments(text),
    gd__km_point(double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_suggest_mediators(text, int), gd_suggest_departments(text),
    gd__km_point(double precision, double precision) TO griddesk_viewer;

-- A misfiled report: the centre corrects its category before dispatching
-- it. Deadlines are counted again from the report under the new category,
-- and the suggestions follow, since they are worked out from the category.
CREATE FUNCTION gd_recategorize(p_ref text, p_version int, p_category text) RETURNS int
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
REVOKE EXECUTE ON FUNCTION gd_recategorize(text, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_recategorize(text, int, text) TO griddesk_operator;
