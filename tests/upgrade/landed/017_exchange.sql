-- Data that other software can trust: exports in the order the manual
-- gives (oldest first: reported_at, then reference), and Open311 requests
-- true to the specification.

CREATE OR REPLACE FUNCTION gd_export_cases(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                                           p_grid text DEFAULT NULL, p_category text DEFAULT NULL,
                                           p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                                           p_priority text DEFAULT NULL, p_older_than text DEFAULT NULL,
                                           p_since timestamptz DEFAULT NULL, p_until timestamptz DEFAULT NULL)
RETURNS TABLE (ref text, title text, description text, category text, priority smallint,
               grid text, location text, lat double precision, lon double precision,
               reporter_kind text, reporter_name text, reporter_phone text,
               status text, department text, mediator int, outcome text,
               reported_at timestamptz, dispatched_at timestamptz, accepted_at timestamptz,
               onsite_at timestamptz, resolved_at timestamptz, closed_at timestamptz,
               returned_at timestamptz, cancelled_at timestamptz)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.ref, c.title, c.description, c.category, c.priority,
           (SELECT g.code FROM areas g WHERE g.id = c.grid_id), c.location,
           c.lat, c.lon, r.kind, r.name, r.phone, c.status,
           (SELECT d.code FROM departments d WHERE d.id = c.department_id),
           c.mediator_id, c.outcome,
           c.reported_at, c.dispatched_at, c.accepted_at, c.onsite_at, c.resolved_at,
           c.closed_at, c.returned_at, c.cancelled_at
      FROM gd__case_filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than) f
     CROSS JOIN LATERAL gd__filtered_cases(f.statuses, f.district, f.grid, f.category,
                                           f.department, f.mediator, f.priority, f.older) c
      LEFT JOIN LATERAL (SELECT rc.kind, rc.name, rc.phone FROM reporter_contacts rc
                          WHERE rc.id = c.reporter_id) r ON true
     WHERE (p_since IS NULL OR c.reported_at >= p_since)
       AND (p_until IS NULL OR c.reported_at < p_until)
     ORDER BY c.reported_at, c.ref;
END;

-- Open311 GeoReport v2: a finished request was last updated when it
-- finished (for an imported case too, not when it was imported); a
-- description holds at most 4,000 characters (cut with a marker); a
-- cancelled request's notes say why, in the words of whoever cancelled it.
CREATE OR REPLACE FUNCTION gd_export_open311(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                                             p_grid text DEFAULT NULL, p_category text DEFAULT NULL,
                                             p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                                             p_priority text DEFAULT NULL, p_older_than text DEFAULT NULL,
                                             p_since timestamptz DEFAULT NULL, p_until timestamptz DEFAULT NULL)
RETURNS SETOF json
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT json_strip_nulls(json_build_object(
               'service_request_id', c.ref,
               'status', CASE WHEN c.status IN ('closed', 'cancelled') THEN 'closed' ELSE 'open' END,
               'status_notes', CASE WHEN c.status = 'cancelled'
                                    THEN coalesce((SELECT e.data ->> 'reason' FROM events e
                                                    WHERE e.case_id = c.id AND e.kind = 'cancelled'
                                                    ORDER BY e.id DESC LIMIT 1), '已撤销')
                                    ELSE c.outcome END,
               'service_name', (SELECT k.name FROM categories k WHERE k.code = c.category),
               'service_code', c.category,
               'description', CASE WHEN length(d.text) <= 4000 THEN d.text
                                   ELSE left(d.text, 3999) || '…' END,
               'agency_responsible', (SELECT dp.name FROM departments dp WHERE dp.id = c.department_id),
               'requested_datetime', c.reported_at,
               'updated_datetime', CASE c.status WHEN 'closed' THEN coalesce(c.closed_at, c.updated_at)
                                                 WHEN 'cancelled' THEN coalesce(c.cancelled_at, c.updated_at)
                                                 ELSE c.updated_at END,
               'expected_datetime', CASE WHEN c.status NOT IN ('closed', 'cancelled', 'resolved')
                                         THEN c.resolve_by END,
               'address', (SELECT concat_ws(' ', g.name, nullif(c.location, ''))
                             FROM areas g WHERE g.id = c.grid_id),
               'address_id', (SELECT g.code FROM areas g WHERE g.id = c.grid_id),
               'lat', c.lat,
               'long', c.lon))
      FROM gd__case_filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than) f
     CROSS JOIN LATERAL gd__filtered_cases(f.statuses, f.district, f.grid, f.category,
                                           f.department, f.mediator, f.priority, f.older) c
     CROSS JOIN LATERAL (SELECT CASE WHEN c.description = '' THEN c.title
                                     ELSE c.title || E'\n' || c.description END AS text) d
     WHERE (p_since IS NULL OR c.reported_at >= p_since)
       AND (p_until IS NULL OR c.reported_at < p_until)
     ORDER BY c.reported_at, c.ref;
END;

-- A time in a file without an offset is the centre's, as a date typed on
-- the command line is (gd_centre_time): the rows are read with the
-- session's TimeZone set to the centre's zone, and it is put back after.
CREATE OR REPLACE FUNCTION gd_import_run(p_kind text, p_columns int, OUT imported int, OUT rejected int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
DECLARE
    was text := current_setting('TimeZone');
BEGIN
    PERFORM gd__import_staged();
    -- the planner knows nothing of a table just filled: without this it
    -- expects a few hundred rows and looks each reference up by index
    ANALYZE pg_temp.gd_import;
    PERFORM gd__import_shape(p_columns);
    PERFORM gd__import_caps(p_kind);
    PERFORM set_config('TimeZone', (SELECT s.value FROM settings s WHERE s.key = 'timezone'), true);
    imported := CASE p_kind
        WHEN 'grids' THEN gd__import_grids()
        WHEN 'departments' THEN gd__import_departments()
        WHEN 'staff' THEN gd__import_staff()
        WHEN 'cases' THEN gd__import_cases()
    END;
    PERFORM set_config('TimeZone', was, true);
    SELECT count(DISTINCT line) INTO rejected FROM pg_temp.gd_import_errors;
END
$$;

-- Every kind goes out as it comes in: gridctl export grids, departments and
-- staff write the columns gridctl import reads, lists joined by "|" and
-- sorted (as import stores them), so a file exported imports back and
-- exports again byte for byte. The city row comes first, parents before
-- children, and imports into a new database as its root.
CREATE FUNCTION gd_export_grids()
RETURNS TABLE (code text, name text, level text, parent text, lat double precision, lon double precision)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT a.code, a.name, a.level, p.code, a.lat, a.lon
      FROM areas a LEFT JOIN areas p ON p.id = a.parent_id
     ORDER BY a.path;
END;

CREATE FUNCTION gd_export_departments()
RETURNS TABLE (code text, name text, kind text, district text, lines text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT d.code, d.name, d.kind, a.code, array_to_string(ARRAY(SELECT l FROM unnest(d.lines) l ORDER BY l), '|')
      FROM departments d JOIN areas a ON a.id = d.district_id
     ORDER BY d.code;
END;

-- phones as the caller may see them (masked for a viewer)
CREATE FUNCTION gd_export_staff()
RETURNS TABLE (name text, tier text, fields text, lat double precision, lon double precision,
               home_grid text, district text, on_duty text, load_limit int, phone text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT s.name, s.tier, array_to_string(ARRAY(SELECT f FROM unnest(s.fields) f ORDER BY f), '|'),
           s.lat, s.lon, g.code, d.code, CASE WHEN s.on_duty THEN 'true' ELSE 'false' END,
           s.load_limit, c.phone
      FROM staff s
      JOIN staff_contacts c ON c.id = s.id
      LEFT JOIN areas g ON g.id = s.home_grid_id
      LEFT JOIN areas d ON d.id = s.district_id
     ORDER BY s.id;
END;

-- a new database gets its city from a grids file (a row of level "city")
CREATE OR REPLACE FUNCTION gd__import_grids() RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    lvl text;
    n int := 0;
    k int;
BEGIN
    PERFORM gd__import_dupes('code', 'code');
    INSERT INTO gd_import_errors (line, col, value, reason)
    SELECT s.gd_line, p.col, p.value, p.reason
      FROM gd_import s
     CROSS JOIN LATERAL (
        SELECT * FROM gd__problem(gd__blank(s.code), 'code', s.code, 'code is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.code)
                  AND btrim(s.code) !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 'code', s.code,
                  'code may hold letters, digits, ".", "_" and "-", at most 40')
        UNION ALL SELECT * FROM gd__problem(EXISTS (SELECT FROM areas a WHERE a.code = upper(btrim(s.code))),
                  'code', s.code, format('code "%s" is already in the database', upper(btrim(s.code))))
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.name), 'name', s.name, 'name is empty')
        UNION ALL SELECT * FROM gd__problem(length(s.name) > 100, 'name', s.name, 'name is longer than 100 characters')
        UNION ALL SELECT * FROM gd__problem(coalesce(lower(btrim(s.level)), '') NOT IN ('city', 'district', 'street', 'community', 'grid'),
                  'level', s.level, 'level must be city, district, street, community or grid')
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.parent) AND lower(btrim(s.level)) <> 'city',
                  'parent', s.parent, 'parent is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.parent) AND lower(btrim(s.level)) = 'city',
                  'parent', s.parent, 'a city has no parent: leave parent empty')
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'city'
                  AND EXISTS (SELECT FROM areas a WHERE a.level = 'city' AND a.code <> upper(btrim(s.code))),
                  'level', s.level, format('the database holds a city already (%s): one city a database',
                                           (SELECT a.code FROM areas a WHERE a.level = 'city')))
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'city'
                  AND (SELECT count(*) FROM gd_import o WHERE lower(btrim(o.level)) = 'city') > 1,
                  'level', s.level, 'more than one city in the file: one city a database')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.lat) AND NOT (gd__is_num(s.lat) AND gd__num(s.lat) BETWEEN -90 AND 90),
                  'lat', s.lat, 'lat is not a latitude (-90 to 90)')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.lon) AND NOT (gd__is_num(s.lon) AND gd__num(s.lon) BETWEEN -180 AND 180),
                  'lon', s.lon, 'lon is not a longitude (-180 to 180)')
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.lat) <> gd__blank(s.lon), 'lat', s.lat,
                  'lat and lon go together: give both or neither')
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'grid' AND (gd__blank(s.lat) OR gd__blank(s.lon)),
                  'lat', s.lat, 'a grid needs lat and lon')
     ) p
     WHERE s.gd_fields IS NULL;

    -- a new database's city, the root of the tree
    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    SELECT upper(btrim(s.code)), btrim(s.name), 'city', NULL, gd__num(s.lat), gd__num(s.lon)
      FROM gd_import s
     WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = 'city'
       AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line);
    GET DIAGNOSTICS n = ROW_COUNT;

    -- level by level, so a row can name a parent from an earlier line or a
    -- later one, and a row under a rejected parent is rejected too
    FOREACH lvl IN ARRAY ARRAY['district', 'street', 'community', 'grid'] LOOP
        INSERT INTO gd_import_errors (line, col, value, reason)
        SELECT s.gd_line, 'parent', s.parent,
               format('parent "%s" is not a %s in the database or in the good rows of this file',
                      s.parent, CASE lvl WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                                         WHEN 'community' THEN 'street' ELSE 'community' END)
          FROM gd_import s
         WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = lvl AND NOT gd__blank(s.parent)
           AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
           AND NOT EXISTS (
               SELECT FROM areas a
                WHERE a.code = upper(btrim(s.parent))
                  AND a.level = CASE lvl WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                                         WHEN 'community' THEN 'street' ELSE 'community' END);
        INSERT INTO areas (code, name, level, parent_id, lat, lon)
        SELECT upper(btrim(s.code)), btrim(s.name), lvl, a.id, gd__num(s.lat), gd__num(s.lon)
          FROM gd_import s JOIN areas a ON a.code = upper(btrim(s.parent))
         WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = lvl
           AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
         ORDER BY s.gd_line;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    RETURN n;
END
$$;

REVOKE EXECUTE ON FUNCTION gd_export_grids(), gd_export_departments(), gd_export_staff() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_export_grids(), gd_export_departments(), gd_export_staff() TO griddesk_viewer;

-- The demo city's history ends now: a case cancelled at its dispatch time
-- was, for the newest reports, cancelled in the future, which its own
-- export then could not import (no time after the import). Such a case
-- is still new.
CREATE OR REPLACE FUNCTION gd__seed_demo_cases(p_cases int, p_now timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET max_parallel_workers_per_gather = 0
SET search_path = public, pg_temp AS $$
DECLARE
    ngrids int := (SELECT count(*) FROM demo_grids);
    tz text := (SELECT value FROM settings WHERE key = 'timezone');
BEGIN
    CREATE TEMP TABLE demo_weights ON COMMIT DROP AS
    SELECT code, titles, field,
           sum(weight) OVER (ORDER BY code) - weight AS lo,
           sum(weight) OVER (ORDER BY code) AS hi,
           sum(weight) OVER () AS total
      FROM demo_categories;

    CREATE TEMP TABLE demo_cases ON COMMIT DROP AS
    SELECT g.k,
           -- most reports are recent; the history thins out towards 30 days ago
           p_now - (power(random(), 1.6) * interval '30 days') - interval '1 minute' AS reported_at,
           random() AS pick_cat, random() AS pick_grid, random() AS pick_prio,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           random() AS fate, random() AS pick_title, random() AS pick_staff,
           floor(random() * 9)::int AS reporter_kind, random() AS pick_name,
           floor(random() * 1000000000)::bigint AS phone
      FROM generate_series(1, p_cases) g (k)
     ORDER BY g.k;

    CREATE TEMP TABLE demo_plan ON COMMIT DROP AS
    SELECT dc.k, dc.reported_at, w.code AS category, w.field,
           replace(w.titles[1 + floor(dc.pick_title * cardinality(w.titles))::int], '%s',
                   cm.name) AS title,
           gr.id AS grid_id, gr.district_id, gr.lat, gr.lon, cm.name AS community, st.name AS street,
           CASE WHEN dc.pick_prio < 0.08 THEN 1 WHEN dc.pick_prio < 0.30 THEN 2
                WHEN dc.pick_prio < 0.85 THEN 3 ELSE 4 END AS priority,
           cat.accept_within, cat.onsite_within, cat.resolve_within,
           dc.r1, dc.r2, dc.r3, dc.r4, dc.r5, dc.fate, dc.pick_staff, dc.reporter_kind,
           dc.pick_name, dc.phone
      FROM demo_cases dc
      JOIN demo_weights w ON dc.pick_cat * w.total >= w.lo AND dc.pick_cat * w.total < w.hi
      JOIN demo_grids gr ON gr.i = 1 + floor(dc.pick_grid * ngrids)::int
      JOIN areas gcell ON gcell.id = gr.id
      JOIN areas cm ON cm.id = gcell.parent_id
      JOIN areas st ON st.id = cm.parent_id
      JOIN categories cat ON cat.code = w.code;

    -- stage times: most stages finish inside their deadline, some run late
    CREATE TEMP TABLE demo_times ON COMMIT DROP AS
    SELECT p.*,
           gd__deadline(p.reported_at, p.accept_within, p.priority) AS accept_by,
           gd__deadline(p.reported_at, p.onsite_within, p.priority) AS onsite_by,
           gd__deadline(p.reported_at, p.resolve_within, p.priority) AS resolve_by,
           p.reported_at + p.accept_within * (0.05 + 0.25 * p.r1) AS t_dispatch,
           p.reported_at + p.accept_within * (0.2 + 0.9 * p.r2) AS t_accept,
           p.reported_at + p.accept_within + (p.onsite_within - p.accept_within) * (0.1 + 1.0 * p.r3) AS t_onsite,
           p.reported_at + p.onsite_within + (p.resolve_within - p.onsite_within) * (0.05 + 0.9 * p.r4 * p.r4) AS t_resolve,
           interval '2 hours' + interval '3 days' * p.r5 AS close_after
      FROM demo_plan p;

    CREATE TEMP TABLE demo_final ON COMMIT DROP AS
    SELECT t.*,
           CASE
               WHEN t.fate < 0.02 AND t.t_dispatch <= p_now THEN 'cancelled'
               WHEN t.fate < 0.04 AND t.t_dispatch <= p_now THEN 'returned'
               WHEN t.t_dispatch > p_now THEN 'new'
               WHEN t.t_accept > p_now THEN 'dispatched'
               WHEN t.t_onsite > p_now THEN 'accepted'
               WHEN t.t_resolve > p_now OR t.fate > 0.985 THEN 'on_site'
               WHEN t.t_resolve + t.close_after > p_now THEN 'resolved'
               ELSE 'closed'
           END AS status,
           (SELECT dep.id FROM category_routes cr JOIN departments dep ON dep.id = cr.department_id
             WHERE cr.category = t.category AND cr.district_id = t.district_id) AS department_id
      FROM demo_times t;

    CREATE TEMP TABLE demo_pools ON COMMIT DROP AS
    SELECT s.district_id, f AS field, array_agg(s.id ORDER BY s.id) AS ids
      FROM staff s CROSS JOIN LATERAL unnest(s.fields) f
     GROUP BY s.district_id, f;

    INSERT INTO reporters (id, kind, name, phone)
    SELECT f.k,
           (ARRAY['grid_worker','party_member','village_leader','auxiliary_police','volunteer',
                  'courier','ride_hailing','resident','other'])[1 + f.reporter_kind],
           (ARRAY['陈','李','黄','梁','张','王','林','吴','刘','何'])[1 + floor(f.pick_name * 10)::int]
               || (ARRAY['先生','女士','伯','姨','师傅'])[1 + floor(f.r5 * 5)::int],
           '13' || lpad(f.phone::text, 9, '0')
      FROM demo_final f ORDER BY f.k;
    PERFORM setval(pg_get_serial_sequence('reporters', 'id'), greatest(p_cases, 1));

    INSERT INTO cases (id, ref, title, description, category, priority, grid_id, district_id,
                       location, lat, lon, reporter_id, status, department_id, mediator_id,
                       outcome, version, reported_at, dispatched_at, accepted_at, onsite_at,
                       resolved_at, closed_at, returned_at, cancelled_at,
                       accept_by, onsite_by, resolve_by, stage_since, updated_at, updated_by)
    SELECT f.k,
           gd__ref((f.reported_at AT TIME ZONE tz)::date,
                   row_number() OVER (PARTITION BY (f.reported_at AT TIME ZONE tz)::date
                                      ORDER BY f.reported_at, f.k)),
           f.title,
           f.title || '。' || '上报人在' || f.street || f.community || '发现，请尽快处理。',
           f.category, f.priority, f.grid_id, f.district_id,
           f.street || f.community || (1 + floor(f.r1 * 120))::int || '号',
           round((f.lat + (f.r2 - 0.5) * 0.004)::numeric, 6),
           round((f.lon + (f.r3 - 0.5) * 0.004)::numeric, 6),
           f.k, f.status,
           CASE WHEN f.status IN ('new', 'cancelled') THEN NULL ELSE f.department_id END,
           CASE WHEN f.field IS NOT NULL AND f.status IN ('dispatched', 'accepted', 'on_site',
                                                          'resolved', 'closed')
                THEN (SELECT pl.ids[1 + floor(f.pick_staff * cardinality(pl.ids))::int]
                        FROM demo_pools pl
                       WHERE pl.district_id = f.district_id AND pl.field = f.field) END,
           CASE WHEN f.status IN ('resolved', 'closed') THEN '已现场处置，当事人表示满意' END,
           CASE f.status WHEN 'new' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'dispatched' THEN 2
                         WHEN 'returned' THEN 3 WHEN 'accepted' THEN 3 WHEN 'on_site' THEN 4
                         WHEN 'resolved' THEN 5 ELSE 6 END,
           f.reported_at,
           CASE WHEN f.status NOT IN ('new', 'cancelled') THEN f.t_dispatch END,
           CASE WHEN f.status IN ('accepted', 'on_site', 'resolved', 'closed')
                  OR (f.status = 'returned' AND f.t_accept <= p_now) THEN f.t_accept END,
           CASE WHEN f.status IN ('on_site', 'resolved', 'closed') THEN f.t_onsite END,
           CASE WHEN f.status IN ('resolved', 'closed') THEN f.t_resolve END,
           CASE WHEN f.status = 'closed' THEN f.t_resolve + f.close_after END,
           CASE WHEN f.status = 'returned' THEN least(f.t_accept, p_now) END,
           CASE WHEN f.status = 'cancelled' THEN f.t_dispatch END,
           f.accept_by, f.onsite_by, f.resolve_by,
           CASE f.status
               WHEN 'new' THEN f.reported_at
               WHEN 'dispatched' THEN f.t_dispatch
               WHEN 'accepted' THEN f.t_accept
               WHEN 'on_site' THEN f.t_onsite
               WHEN 'resolved' THEN f.t_resolve
               WHEN 'closed' THEN f.t_resolve + f.close_after
               WHEN 'returned' THEN least(f.t_accept, p_now)
               ELSE f.t_dispatch END,
           CASE f.status
               WHEN 'new' THEN f.reported_at
               WHEN 'dispatched' THEN f.t_dispatch
               WHEN 'accepted' THEN f.t_accept
               WHEN 'on_site' THEN f.t_onsite
               WHEN 'resolved' THEN f.t_resolve
               WHEN 'closed' THEN f.t_resolve + f.close_after
               WHEN 'returned' THEN least(f.t_accept, p_now)
               ELSE f.t_dispatch END,
           'wang.li'
      FROM demo_final f
     ORDER BY f.k;
    PERFORM setval(pg_get_serial_sequence('cases', 'id'), greatest(p_cases, 1));

    -- today's live reports number on after today's history
    PERFORM setval('case_ref_seq', gd__ref_base(gd__today()) + count(*))
       FROM cases WHERE (reported_at AT TIME ZONE tz)::date = gd__today()
      HAVING count(*) > 0;

    -- one timeline per case, one statement: one notification for the lot
    INSERT INTO events (case_id, kind, actor, at, data)
    SELECT e.case_id, e.kind, e.actor, e.at, e.data
      FROM (
        SELECT c.id AS case_id, s.ord, s.kind, s.actor, s.at, s.data
          FROM cases c
          CROSS JOIN LATERAL (VALUES
              (1, 'reported', 'gridctl', c.reported_at,
               jsonb_build_object('to', 'new', 'version', 1, 'priority', c.priority,
                                  'category', c.category)),
              (2, 'dispatched', 'wang.li', c.dispatched_at,
               jsonb_build_object('from', 'new', 'to', 'dispatched', 'version', 2,
                                  'department', (SELECT code FROM departments WHERE id = c.department_id))),
              (3, 'accepted', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.accepted_at, jsonb_build_object('from', 'dispatched', 'to', 'accepted', 'version', 3)),
              (4, 'returned', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.returned_at, jsonb_build_object('to', 'returned', 'version', 3,
                                                'reason', '不属于本部门职责范围')),
              (4, 'on_site', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.onsite_at, jsonb_build_object('from', 'accepted', 'to', 'on_site', 'version', 4)),
              (5, 'resolved', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.resolved_at, jsonb_build_object('from', 'on_site', 'to', 'resolved', 'version', 5,
                                                'outcome', c.outcome)),
              (6, 'closed', 'chen.min', c.closed_at,
               jsonb_build_object('from', 'resolved', 'to', 'closed', 'version', 6)),
              (2, 'cancelled', 'wang.li', c.cancelled_at,
               jsonb_build_object('from', 'new', 'to', 'cancelled', 'version', 2,
                                  'reason', '重复上报'))
          ) s (ord, kind, actor, at, data)
         WHERE s.at IS NOT NULL
      ) e
     ORDER BY e.at, e.case_id, e.ord;
END
$$;
