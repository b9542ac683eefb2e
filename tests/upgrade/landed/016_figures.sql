-- The numbers the centre is judged by, and the people it sends, are right.
--
-- What happened in a period is read from the event log, where nothing
-- moves, so a past period's figures never change when a case moves again.
-- Today, this week and every date a person types mean the centre's
-- calendar (settings.timezone), whatever the operator's zone.
-- man/griddesk.7 (FIGURES) defines each figure; gd_stats computes them.

-- A time a person typed, read in the centre's calendar: "2026-12-01" is
-- midnight in the centre, whatever zone the session shows times in. A time
-- with its own offset keeps it.
CREATE FUNCTION gd_centre_time(p text) RETURNS timestamptz
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    was text := current_setting('TimeZone');
    t timestamptz;
BEGIN
    IF p IS NULL THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('TimeZone', (SELECT s.value FROM settings s WHERE s.key = 'timezone'), true);
    BEGIN
        t := p::timestamptz;
    EXCEPTION WHEN data_exception THEN
        PERFORM set_config('TimeZone', was, true);
        RAISE EXCEPTION '"%" is not a date or time: 2026-12-01, ''2026-12-01 08:00'', yesterday', p
            USING ERRCODE = 'GDV01';
    END;
    PERFORM set_config('TimeZone', was, true);
    RETURN t;
END
$$;

-- The start of the centre's day or week (Monday) that now falls in.
CREATE FUNCTION gd_centre_start(p_unit text) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF p_unit NOT IN ('day', 'week') THEN
        RAISE EXCEPTION 'unknown period "%": day or week', p_unit USING ERRCODE = 'GDV01';
    END IF;
    RETURN date_trunc(p_unit, now(), (SELECT s.value FROM settings s WHERE s.key = 'timezone'));
END
$$;

-- Figures read the log by time. The log is written in time order, so a
-- block range index finds a day's events for almost nothing on the write
-- path (a b-tree would add an index entry to every event).
CREATE INDEX events_at ON events USING brin (at) WITH (pages_per_range = 32, autosummarize = on);

-- Every transition says where the case stood when it happened: its
-- department and category (so a figure by department counts it where it
-- was, not where the case went later) and the deadline of the stage it
-- left (so "on site in time" is judged against the deadline of the day).
-- "department" is always there, null before any dispatch.
CREATE OR REPLACE FUNCTION gd__move(c cases, p_to text, p_kind text, p_data jsonb)
RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    t timestamptz := now();
BEGIN
    UPDATE cases SET
        status        = p_to,
        version       = version + 1,
        stage_since   = t,
        updated_at    = t,
        updated_by    = session_user,
        dispatched_at = CASE WHEN p_to = 'dispatched' THEN t ELSE dispatched_at END,
        accepted_at   = CASE WHEN p_to = 'accepted' THEN t ELSE accepted_at END,
        onsite_at     = CASE WHEN p_to = 'on_site' THEN t ELSE onsite_at END,
        resolved_at   = CASE WHEN p_to = 'resolved' THEN t ELSE resolved_at END,
        closed_at     = CASE WHEN p_to = 'closed' THEN t ELSE closed_at END,
        returned_at   = CASE WHEN p_to = 'returned' THEN t ELSE returned_at END,
        cancelled_at  = CASE WHEN p_to = 'cancelled' THEN t ELSE cancelled_at END
    WHERE id = c.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (c.id, p_kind,
            jsonb_build_object('from', c.status, 'to', p_to, 'version', c.version + 1,
                               'department', (SELECT d.code FROM departments d WHERE d.id = c.department_id),
                               'category', c.category)
            || CASE WHEN c.due_at IS NOT NULL THEN jsonb_build_object('due_at', c.due_at) ELSE '{}' END
            || coalesce(p_data, '{}'));
    RETURN c.version + 1;
END
$$;

-- An imported case's history rides on its "imported" event (the times it
-- came with, its department and category), so a later move in griddesk
-- cannot rewrite it; and no time of it may lie after the import.
CREATE OR REPLACE FUNCTION gd__import_cases_load(p_time text, p_num text, p_int text, today date,
                                      prefix text) RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    n int;
    ours text := prefix || '-';
    day text := to_char(today, 'YYYYMMDD');
BEGIN
    EXECUTE replace(replace(replace($q$
    WITH typed AS MATERIALIZED (
        SELECT v.line, v.t_ref, btrim(v.title) AS title, coalesce(v.description, '') AS description,
               coalesce(btrim(v.location), '') AS location, nullif(btrim(v.outcome), '') AS outcome,
               v.reporter_kind, v.reporter_name, v.reporter_phone, v.has_reporter,
               v.t_category, v.accept_within, v.onsite_within, v.resolve_within,
               v.t_grid, v.t_district, v.grid_lat, v.grid_lon, v.t_department, v.department_code, v.t_mediator,
               v.t_priority, v.t_status, v.t_reported, v.t_dispatched, v.t_accepted, v.t_onsite,
               v.t_resolved, v.t_closed, v.t_returned, v.t_cancelled, v.t_lat, v.t_lon,
               -- ids given here, so the inserts below can refer to each other; a
               -- bad row's ids are simply never used
               nextval('cases_id_seq') AS case_id,
               CASE WHEN v.has_reporter THEN nextval('reporters_id_seq') END AS reporter_id,
               array_remove(ARRAY[

                CASE WHEN length(v.t_ref) > 40 OR left(v.t_ref, 1) IN ('.', '_', '-')
                       OR translate(v.t_ref, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-', '') <> ''
                     THEN 'ref:form' END,
                CASE WHEN v.t_ref LIKE $1 || '%' AND substr(v.t_ref, length($1) + 1, 8) > $2
                      AND substr(v.t_ref, length($1) + 9, 1) = '-' THEN 'ref:future' END,
                CASE WHEN gd__blank(v.title) THEN 'title:empty' END,
                CASE WHEN octet_length(v.title) > 200 AND length(btrim(v.title)) > 200 THEN 'title:long' END,
                CASE WHEN octet_length(v.description) > 10000 AND length(v.description) > 10000 THEN 'description:long' END,
                CASE WHEN gd__blank(v.category) THEN 'category:empty' END,
                CASE WHEN NOT gd__blank(v.category) AND v.t_category IS NULL THEN 'category:unknown' END,
                CASE WHEN v.t_priority IS NULL THEN 'priority:range' END,
                CASE WHEN gd__blank(v.grid) THEN 'grid:empty' END,
                CASE WHEN NOT gd__blank(v.grid) AND v.t_grid IS NULL THEN 'grid:unknown' END,
                CASE WHEN octet_length(v.location) > 500 AND length(v.location) > 500 THEN 'location:long' END,
                CASE WHEN NOT gd__blank(v.lat) AND NOT coalesce(v.t_lat BETWEEN -90 AND 90, false) THEN 'lat:bad' END,
                CASE WHEN NOT gd__blank(v.lon) AND NOT coalesce(v.t_lon BETWEEN -180 AND 180, false) THEN 'lon:bad' END,
                CASE WHEN gd__blank(v.lat) <> gd__blank(v.lon) THEN 'lat:pair' END,
                CASE WHEN NOT gd__blank(v.reporter_kind) AND lower(btrim(v.reporter_kind)) NOT IN ('grid_worker',
                     'party_member', 'village_leader', 'auxiliary_police', 'volunteer', 'courier',
                     'ride_hailing', 'resident', 'other') THEN 'reporter_kind:unknown' END,
                CASE WHEN NOT gd__blank(v.reporter_phone)
                      AND (translate(btrim(v.reporter_phone), '0123456789 -', '') NOT IN ('', '+')
                           OR length(btrim(v.reporter_phone)) NOT BETWEEN 5 AND 20
                           OR strpos(substr(btrim(v.reporter_phone), 2), '+') > 0
                           OR left(btrim(v.reporter_phone), 1) IN (' ', '-'))
                     THEN 'reporter_phone:bad' END,
                CASE WHEN octet_length(v.reporter_name) > 100 AND length(v.reporter_name) > 100 THEN 'reporter_name:long' END,
                CASE WHEN v.t_status NOT IN ('new', 'dispatched', 'accepted', 'on_site', 'resolved',
                     'closed', 'returned', 'cancelled') THEN 'status:unknown' END,
                CASE WHEN NOT gd__blank(v.department) AND v.t_department IS NULL THEN 'department:unknown' END,
                CASE WHEN gd__blank(v.department) AND v.t_status IN ('dispatched', 'accepted', 'on_site',
                     'resolved', 'closed') THEN 'department:missing' END,
                CASE WHEN NOT gd__blank(v.mediator) AND v.t_mediator IS NULL THEN 'mediator:unknown' END,
                CASE WHEN gd__blank(v.outcome) AND v.t_status IN ('resolved', 'closed') THEN 'outcome:missing' END,
                CASE WHEN octet_length(v.outcome) > 2000 AND length(v.outcome) > 2000 THEN 'outcome:long' END,
                CASE WHEN gd__blank(v.reported_at) THEN 'reported_at:empty' END,
                CASE WHEN NOT gd__blank(v.reported_at) AND v.t_reported IS NULL THEN 'reported_at:bad' END,
                CASE WHEN v.t_reported > now() THEN 'reported_at:future' END,
                CASE WHEN NOT gd__blank(v.dispatched_at) AND v.t_dispatched IS NULL THEN 'dispatched_at:bad' END,
                CASE WHEN v.t_dispatched < v.t_reported THEN 'dispatched_at:early' END,
                CASE WHEN v.t_dispatched > now() THEN 'dispatched_at:future' END,
                CASE WHEN NOT gd__blank(v.accepted_at) AND v.t_accepted IS NULL THEN 'accepted_at:bad' END,
                CASE WHEN v.t_accepted < v.t_reported THEN 'accepted_at:early' END,
                CASE WHEN v.t_accepted > now() THEN 'accepted_at:future' END,
                CASE WHEN NOT gd__blank(v.onsite_at) AND v.t_onsite IS NULL THEN 'onsite_at:bad' END,
                CASE WHEN v.t_onsite < v.t_reported THEN 'onsite_at:early' END,
                CASE WHEN v.t_onsite > now() THEN 'onsite_at:future' END,
                CASE WHEN NOT gd__blank(v.resolved_at) AND v.t_resolved IS NULL THEN 'resolved_at:bad' END,
                CASE WHEN v.t_resolved < v.t_reported THEN 'resolved_at:early' END,
                CASE WHEN v.t_resolved > now() THEN 'resolved_at:future' END,
                CASE WHEN NOT gd__blank(v.closed_at) AND v.t_closed IS NULL THEN 'closed_at:bad' END,
                CASE WHEN v.t_closed < v.t_reported THEN 'closed_at:early' END,
                CASE WHEN v.t_closed > now() THEN 'closed_at:future' END,
                CASE WHEN NOT gd__blank(v.returned_at) AND v.t_returned IS NULL THEN 'returned_at:bad' END,
                CASE WHEN v.t_returned < v.t_reported THEN 'returned_at:early' END,
                CASE WHEN v.t_returned > now() THEN 'returned_at:future' END,
                CASE WHEN NOT gd__blank(v.cancelled_at) AND v.t_cancelled IS NULL THEN 'cancelled_at:bad' END,
                CASE WHEN v.t_cancelled < v.t_reported THEN 'cancelled_at:early' END,
                CASE WHEN v.t_cancelled > now() THEN 'cancelled_at:future' END
            ], NULL) AS problems
          FROM (SELECT s.gd_line AS line, s.ref, s.title, s.description, s.category, s.priority, s.grid,
                       s.location, s.lat, s.lon, s.reporter_kind, s.reporter_name,
                       s.reporter_phone, s.status, s.department, s.mediator, s.outcome,
                       s.reported_at, s.dispatched_at, s.accepted_at, s.onsite_at,
                       s.resolved_at, s.closed_at, s.returned_at, s.cancelled_at,
                       nullif(upper(btrim(s.ref)), '') AS t_ref,
                       coalesce(k1.code, k2.code) AS t_category,
                       coalesce(k1.accept_within, k2.accept_within) AS accept_within,
                       coalesce(k1.onsite_within, k2.onsite_within) AS onsite_within,
                       coalesce(k1.resolve_within, k2.resolve_within) AS resolve_within,
                       g.id AS t_grid, g.path[2] AS t_district, g.lat AS grid_lat, g.lon AS grid_lon,
                       d.id AS t_department, d.code AS department_code,
                       m.id AS t_mediator,
                       CASE WHEN btrim(coalesce(s.priority, '')) = '' THEN 3
                            WHEN btrim(s.priority) IN ('1', '2', '3', '4') THEN btrim(s.priority)::int
                       END AS t_priority,
                       coalesce(nullif(lower(btrim(s.status)), ''), 'new') AS t_status,
                       @time@(s.reported_at) AS t_reported,
                       @time@(s.dispatched_at) AS t_dispatched, @time@(s.accepted_at) AS t_accepted,
                       @time@(s.onsite_at) AS t_onsite, @time@(s.resolved_at) AS t_resolved,
                       @time@(s.closed_at) AS t_closed, @time@(s.returned_at) AS t_returned,
                       @time@(s.cancelled_at) AS t_cancelled,
                       @num@(s.lat) AS t_lat, @num@(s.lon) AS t_lon,
                       NOT (gd__blank(s.reporter_kind) AND gd__blank(s.reporter_name)
                            AND gd__blank(s.reporter_phone)) AS has_reporter
                  FROM pg_temp.gd_import s
                  LEFT JOIN categories k1 ON k1.code = lower(btrim(s.category))
                  LEFT JOIN categories k2 ON k2.name = btrim(s.category)
                  LEFT JOIN areas g ON g.code = upper(btrim(s.grid)) AND g.level = 'grid'
                  LEFT JOIN departments d ON d.code = upper(btrim(s.department))
                  LEFT JOIN staff m ON m.id = @int@(s.mediator)
                 WHERE s.gd_fields IS NULL
                   AND NOT EXISTS (SELECT FROM pg_temp.gd_import_errors e WHERE e.line = s.gd_line)
                OFFSET 0) v
    ), errors_in AS (
        INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
        SELECT b.line, split_part(b.code, ':', 1),
           CASE split_part(b.code, ':', 1)
               WHEN 'ref' THEN x.ref WHEN 'title' THEN x.title WHEN 'description' THEN left(x.description, 40)
               WHEN 'category' THEN x.category WHEN 'priority' THEN x.priority WHEN 'grid' THEN x.grid
               WHEN 'location' THEN left(x.location, 40) WHEN 'lat' THEN x.lat WHEN 'lon' THEN x.lon
               WHEN 'reporter_kind' THEN x.reporter_kind WHEN 'reporter_phone' THEN x.reporter_phone
               WHEN 'reporter_name' THEN left(x.reporter_name, 40)
               WHEN 'status' THEN x.status WHEN 'department' THEN x.department
               WHEN 'mediator' THEN x.mediator WHEN 'outcome' THEN left(x.outcome, 40)
               WHEN 'reported_at' THEN x.reported_at WHEN 'dispatched_at' THEN x.dispatched_at
               WHEN 'accepted_at' THEN x.accepted_at WHEN 'onsite_at' THEN x.onsite_at
               WHEN 'resolved_at' THEN x.resolved_at WHEN 'closed_at' THEN x.closed_at
               WHEN 'returned_at' THEN x.returned_at WHEN 'cancelled_at' THEN x.cancelled_at
           END,
           CASE b.code
               WHEN 'ref:form' THEN 'ref may hold letters, digits, ".", "_" and "-", at most 40'
               WHEN 'ref:future' THEN format('ref %s is dated after today', b.t_ref)
               WHEN 'title:empty' THEN 'title is empty'
               WHEN 'title:long' THEN format('title is %s characters, at most 200', length(btrim(x.title)))
               WHEN 'description:long' THEN format('description is %s characters, at most 10000', length(x.description))
               WHEN 'category:empty' THEN 'category is empty'
               WHEN 'category:unknown' THEN format('unknown category "%s": no such code or name', x.category)
               WHEN 'priority:range' THEN 'priority must be 1 (urgent), 2, 3 or 4'
               WHEN 'grid:empty' THEN 'grid is empty'
               WHEN 'grid:unknown' THEN format('unknown grid "%s": no such grid code', x.grid)
               WHEN 'location:long' THEN 'location is longer than 500 characters'
               WHEN 'lat:bad' THEN 'lat is not a latitude (-90 to 90)'
               WHEN 'lon:bad' THEN 'lon is not a longitude (-180 to 180)'
               WHEN 'lat:pair' THEN 'lat and lon go together: give both or neither'
               WHEN 'reporter_kind:unknown' THEN 'reporter_kind must be grid_worker, party_member, village_leader, auxiliary_police, volunteer, courier, ride_hailing, resident or other'
               WHEN 'reporter_phone:bad' THEN 'reporter_phone is not a phone number'
               WHEN 'reporter_name:long' THEN 'reporter_name is longer than 100 characters'
               WHEN 'status:unknown' THEN 'status must be new, dispatched, accepted, on_site, resolved, closed, returned or cancelled'
               WHEN 'department:unknown' THEN format('unknown department "%s": no such code', x.department)
               WHEN 'department:missing' THEN format('a case that is %s needs its department', b.t_status)
               WHEN 'mediator:unknown' THEN format('unknown mediator "%s": no such staff id', x.mediator)
               WHEN 'outcome:missing' THEN format('a case that is %s needs its outcome', b.t_status)
               WHEN 'outcome:long' THEN 'outcome is longer than 2000 characters'
               WHEN 'reported_at:empty' THEN 'reported_at is empty'
               WHEN 'reported_at:future' THEN 'reported_at is in the future'
               ELSE CASE split_part(b.code, ':', 2)
                   WHEN 'bad' THEN format('%s is not a date and time (YYYY-MM-DD HH:MM[:SS][+08])', split_part(b.code, ':', 1))
                   WHEN 'early' THEN format('%s is before reported_at', split_part(b.code, ':', 1))
                   WHEN 'future' THEN format('%s is in the future', split_part(b.code, ':', 1))
               END
           END
          FROM (SELECT t.line, t.t_ref, t.t_status, unnest(t.problems) AS code
                  FROM typed t WHERE t.problems <> '{}') b
          JOIN pg_temp.gd_import x ON x.gd_line = b.line
    ), good AS (
        SELECT t.* FROM typed t WHERE t.problems = '{}'
    ), reporters_in AS (
        INSERT INTO reporters (id, kind, name, phone)
        SELECT g.reporter_id, coalesce(nullif(lower(btrim(g.reporter_kind)), ''), 'other'),
               coalesce(btrim(g.reporter_name), ''),
               coalesce(replace(replace(btrim(g.reporter_phone), ' ', ''), '-', ''), '')
          FROM good g WHERE g.reporter_id IS NOT NULL
    ), cases_in AS (
        INSERT INTO cases (id, ref, title, description, category, priority, grid_id, district_id,
                           location, lat, lon, reporter_id, status, department_id, mediator_id,
                           outcome, reported_at, dispatched_at, accepted_at, onsite_at,
                           resolved_at, closed_at, returned_at, cancelled_at,
                           accept_by, onsite_by, resolve_by, stage_since)
        SELECT g.case_id,
               coalesce(g.t_ref, gd__next_ref($3)),
               g.title, g.description, g.t_category, g.t_priority,
               g.t_grid, g.t_district, g.location,
               coalesce(g.t_lat, g.grid_lat), coalesce(g.t_lon, g.grid_lon), g.reporter_id,
               g.t_status, g.t_department, g.t_mediator, g.outcome,
               g.t_reported, g.t_dispatched, g.t_accepted, g.t_onsite, g.t_resolved,
               g.t_closed, g.t_returned, g.t_cancelled,
               gd__deadline(g.t_reported, g.accept_within, g.t_priority),
               gd__deadline(g.t_reported, g.onsite_within, g.t_priority),
               gd__deadline(g.t_reported, g.resolve_within, g.t_priority),
               coalesce(CASE g.t_status WHEN 'dispatched' THEN g.t_dispatched
                                        WHEN 'accepted' THEN g.t_accepted
                                        WHEN 'on_site' THEN g.t_onsite
                                        WHEN 'resolved' THEN g.t_resolved
                                        WHEN 'closed' THEN g.t_closed
                                        WHEN 'returned' THEN g.t_returned
                                        WHEN 'cancelled' THEN g.t_cancelled END, g.t_reported)
          FROM good g
    )
    INSERT INTO events (case_id, kind, data)
    SELECT g.case_id, 'imported',
           jsonb_build_object('to', g.t_status, 'version', 1, 'line', g.line,
                              'department', g.department_code, 'category', g.t_category,
                              'history', jsonb_strip_nulls(jsonb_build_object(
                                  'reported_at', g.t_reported, 'dispatched_at', g.t_dispatched,
                                  'accepted_at', g.t_accepted, 'onsite_at', g.t_onsite,
                                  'resolved_at', g.t_resolved, 'closed_at', g.t_closed,
                                  'returned_at', g.t_returned, 'cancelled_at', g.t_cancelled)))
      FROM good g;
$q$, '@time@', p_time), '@num@', p_num), '@int@', p_int) USING ours, day, today;
    GET DIAGNOSTICS n = ROW_COUNT;

    -- a report later today must not be given a reference imported now
    PERFORM setval('case_ref_seq', gd__ref_base(today) + x.m)
       FROM (SELECT max(substr(r, length(ours) + 10)::bigint) AS m
               FROM (SELECT upper(btrim(ref)) AS r FROM gd_import) i
              WHERE r LIKE ours || day || '-%'
                AND translate(substr(r, length(ours) + 10), '0123456789', '') = ''
                AND length(r) BETWEEN length(ours) + 10 AND length(ours) + 16) x
      WHERE x.m IS NOT NULL AND gd__ref_base(today) + x.m > (SELECT last_value FROM case_ref_seq);
    RETURN n;
END
$$;

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

-- one case, stage_since included: every key of the listing
DROP FUNCTION gd_case_detail(text);
CREATE FUNCTION gd_case_detail(p_ref text)
RETURNS TABLE (ref text, status text, title text, description text,
               category text, category_name text, line text, field text, priority smallint,
               grid text, grid_name text, district text, district_name text,
               location text, lat double precision, lon double precision,
               department text, department_name text, mediator int, mediator_name text,
               outcome text, version int,
               reporter_kind text, reporter_name text, reporter_phone text,
               reported_at timestamptz, dispatched_at timestamptz, accepted_at timestamptz,
               onsite_at timestamptz, resolved_at timestamptz, closed_at timestamptz,
               returned_at timestamptz, cancelled_at timestamptz,
               accept_by timestamptz, onsite_by timestamptz, resolve_by timestamptz,
               due_at timestamptz, stage_since timestamptz, updated_at timestamptz, updated_by text)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT r.ref, r.status, r.title, r.description, r.category, r.category_name, r.line,
           r.field, r.priority, r.grid, r.grid_name, r.district, r.district_name,
           r.location, r.lat, r.lon, r.department, r.department_name, r.mediator,
           r.mediator_name, r.outcome, r.version,
           rc.kind, rc.name, rc.phone,
           r.reported_at, r.dispatched_at, r.accepted_at, r.onsite_at, r.resolved_at,
           r.closed_at, r.returned_at, r.cancelled_at,
           r.accept_by, r.onsite_by, r.resolve_by, r.due_at, r.stage_since, r.updated_at, r.updated_by
      FROM case_rows r
      LEFT JOIN reporter_contacts rc ON rc.id = r.reporter_id
     WHERE r.id = gd__case_id(p_ref)
$$;

-- One overdue mark per case, stage and deadline: two stages whose deadlines
-- coincide are two misses.
CREATE OR REPLACE FUNCTION gd_mark_overdue() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    n int;
BEGIN
    -- two clocks at once must not both write the same mark
    PERFORM pg_advisory_xact_lock(hashtext('griddesk.deadlines'));
    WITH due AS (
        SELECT c.id, c.status, c.due_at, c.version,
               CASE c.status WHEN 'accepted' THEN 'on_site' WHEN 'on_site' THEN 'resolve'
                             ELSE 'accept' END AS stage
          FROM cases c
         WHERE c.status NOT IN ('closed', 'cancelled', 'resolved')
           AND c.due_at < now()
           AND gd__grid_in_scope(c.grid_id, scope)
         ORDER BY c.id
           FOR UPDATE OF c SKIP LOCKED)
    INSERT INTO events (case_id, kind, data)
    SELECT d.id, 'overdue',
           jsonb_build_object('status', d.status, 'due_at', d.due_at, 'version', d.version,
                              'stage', d.stage)
      FROM due d
     WHERE NOT EXISTS (SELECT FROM events e
                        WHERE e.case_id = d.id AND e.kind = 'overdue'
                          AND e.data ->> 'stage' = d.stage
                          AND (e.data ->> 'due_at')::timestamptz = d.due_at)
     ORDER BY d.due_at, d.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- The centre's figures for a period, by district, department or category,
-- with a last row for the whole city ("all"); by department, "none" holds
-- what happened to cases without one (every report, for one). The
-- definitions are in griddesk(7), FIGURES; in short:
--   * what happened in the period (reported ... cancelled, the medians, on
--     site in time) is counted from the event log, each event under the
--     district, department and category the case had when it happened;
--   * fell_due and resolved_in_time follow each case's latest resolve
--     deadline: a case counts once, resolved in time only if it is resolved
--     or closed now, and was so by that deadline (a reopen sets a new
--     deadline and undoes the resolution);
--   * overdue_now is the open cases past their stage's deadline now.
DROP FUNCTION gd_stats(text, timestamptz, timestamptz);
CREATE FUNCTION gd_stats(p_by text DEFAULT 'district', p_since timestamptz DEFAULT NULL,
                         p_until timestamptz DEFAULT NULL)
RETURNS TABLE (key text, name text, reported bigint, dispatched bigint, resolved bigint,
               closed bigint, overdue_now bigint, median_accept_min numeric,
               median_onsite_min numeric, onsite_in_time_pct numeric, fell_due bigint,
               resolved_in_time bigint, resolution_rate_pct numeric,
               resolved_of_finished_pct numeric, reopened bigint, cancelled bigint)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    since timestamptz := coalesce(p_since, gd_centre_start('day'));
    until timestamptz := coalesce(p_until, now());
BEGIN
    IF p_by NOT IN ('district', 'department', 'category') THEN
        RAISE EXCEPTION 'cannot group by "%": district, department or category', p_by
            USING ERRCODE = 'GDV01';
    END IF;
    IF since >= until THEN
        RAISE EXCEPTION 'the period is empty: % is not before %', since, until USING ERRCODE = 'GDV01';
    END IF;
    RETURN QUERY
    WITH logged AS (
        SELECT e.id, e.case_id, e.kind AS what, e.at, e.data
          FROM events e
         WHERE e.at >= since AND e.at < until
           AND e.kind IN ('reported', 'dispatched', 'reopened', 'accepted', 'on_site',
                          'resolved', 'closed', 'cancelled')
    ), imported AS (
        -- the history an imported case came with, none of it after the
        -- import (an import before the history was kept: the case's times
        -- up to the import)
        SELECT NULL::bigint AS id, e.case_id, h.what, h.at, e.data
          FROM events e
          JOIN cases c ON c.id = e.case_id
         CROSS JOIN LATERAL (VALUES
               ('reported', 'reported_at', c.reported_at), ('dispatched', 'dispatched_at', c.dispatched_at),
               ('accepted', 'accepted_at', c.accepted_at), ('on_site', 'onsite_at', c.onsite_at),
               ('resolved', 'resolved_at', c.resolved_at), ('closed', 'closed_at', c.closed_at),
               ('cancelled', 'cancelled_at', c.cancelled_at)) v (what, col, col_at)
         CROSS JOIN LATERAL (
               SELECT v.what,
                      CASE WHEN e.data ? 'history' THEN (e.data -> 'history' ->> v.col)::timestamptz
                           WHEN v.col_at <= e.at THEN v.col_at END AS at) h
         WHERE e.kind = 'imported' AND e.at >= since
           AND h.at >= since AND h.at < until
    ), happened AS (
        SELECT h.what, h.at, h.data, c.reported_at, c.onsite_by,
               CASE p_by
                   WHEN 'district' THEN d.code
                   -- a report has no department; an event written before
                   -- events named theirs counts under the case's own
                   WHEN 'department' THEN CASE WHEN h.what = 'reported' THEN 'none'
                                               WHEN h.data ? 'department' THEN coalesce(h.data ->> 'department', 'none')
                                               ELSE coalesce(dep.code, 'none') END
                   ELSE coalesce(h.data ->> 'category', c.category)
               END AS k,
               -- a round of work starts at the report, or at the reopen
               -- that sent the case back
               CASE WHEN h.what IN ('accepted', 'on_site') THEN
                   coalesce((SELECT max(r.at) FROM events r
                              WHERE r.case_id = h.case_id AND r.kind = 'reopened' AND r.id < h.id),
                            c.reported_at)
               END AS round_start
          FROM (SELECT * FROM logged UNION ALL SELECT * FROM imported) h
          JOIN cases c ON c.id = h.case_id
          JOIN areas d ON d.id = c.district_id
          LEFT JOIN departments dep ON dep.id = c.department_id
    ), standing AS (
        SELECT CASE p_by WHEN 'district' THEN d.code WHEN 'department' THEN coalesce(dep.code, 'none')
                         ELSE c.category END AS k,
               c.status NOT IN ('closed', 'cancelled', 'resolved') AND c.due_at < now() AS overdue,
               c.resolve_by >= since AND c.resolve_by < until AND c.status <> 'cancelled' AS fell_due,
               c.resolve_by >= since AND c.resolve_by < until
                   AND c.status IN ('resolved', 'closed') AND c.resolved_at <= c.resolve_by AS in_time
          FROM cases c
          JOIN areas d ON d.id = c.district_id
          LEFT JOIN departments dep ON dep.id = c.department_id
         WHERE (c.status NOT IN ('closed', 'cancelled', 'resolved') AND c.due_at < now())
            OR (c.resolve_by >= since AND c.resolve_by < until)
    ), rows AS (
        SELECT h.k, h.what, h.at, h.data, h.onsite_by, h.round_start,
               false AS overdue, false AS fell_due, false AS in_time
          FROM happened h
        UNION ALL
        SELECT s.k, NULL, NULL, NULL, NULL, NULL, s.overdue, s.fell_due, s.in_time
          FROM standing s
    ), figures AS (
        SELECT r.k, GROUPING(r.k) AS city,
               count(*) FILTER (WHERE r.what = 'reported') AS reported,
               count(*) FILTER (WHERE r.what = 'dispatched') AS dispatched,
               count(*) FILTER (WHERE r.what = 'resolved') AS resolved,
               count(*) FILTER (WHERE r.what = 'closed') AS closed,
               count(*) FILTER (WHERE r.overdue) AS overdue_now,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.at - r.round_start))
                      FILTER (WHERE r.what = 'accepted') / 60)::numeric, 1) AS accept_min,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.at - r.round_start))
                      FILTER (WHERE r.what = 'on_site') / 60)::numeric, 1) AS onsite_min,
               round(100.0 * count(*) FILTER (WHERE r.what = 'on_site'
                                                AND r.at <= coalesce((r.data ->> 'due_at')::timestamptz, r.onsite_by))
                     / nullif(count(*) FILTER (WHERE r.what = 'on_site'), 0), 1) AS onsite_ok,
               count(*) FILTER (WHERE r.fell_due) AS fell_due,
               count(*) FILTER (WHERE r.in_time) AS in_time,
               count(*) FILTER (WHERE r.what = 'reopened') AS reopened,
               count(*) FILTER (WHERE r.what = 'cancelled') AS cancelled
          FROM rows r
         GROUP BY ROLLUP (r.k)
    )
    SELECT CASE WHEN f.city = 1 THEN 'all' ELSE f.k END,
           CASE WHEN f.city = 1 THEN '全市'
                WHEN p_by = 'district' THEN (SELECT a.name FROM areas a WHERE a.code = f.k)
                WHEN p_by = 'category' THEN (SELECT cat.name FROM categories cat WHERE cat.code = f.k)
                WHEN f.k = 'none' THEN '无部门'
                ELSE (SELECT dp.name FROM departments dp WHERE dp.code = f.k) END,
           f.reported, f.dispatched, f.resolved, f.closed, f.overdue_now,
           f.accept_min, f.onsite_min, f.onsite_ok, f.fell_due, f.in_time,
           round(100.0 * f.in_time / nullif(f.fell_due, 0), 1),
           round(100.0 * f.resolved / nullif(f.resolved + f.cancelled, 0), 1),
           f.reopened, f.cancelled
      FROM figures f
     ORDER BY f.city, f.k;
END
$$;

-- "all" and "none" are the figures' own keys: no code may take them.
CREATE FUNCTION gd__reserved_code() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF lower(NEW.code) IN ('all', 'none') THEN
        RAISE EXCEPTION 'the code "%" is reserved: the figures use it for the city and for no department',
            NEW.code USING ERRCODE = 'GDV01';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER areas_reserved_code BEFORE INSERT OR UPDATE OF code ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();
CREATE TRIGGER departments_reserved_code BEFORE INSERT OR UPDATE OF code ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();
CREATE TRIGGER categories_reserved_code BEFORE INSERT OR UPDATE OF code ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();

REVOKE EXECUTE ON FUNCTION gd_centre_time(text), gd_centre_start(text),
    gd_stats(text, timestamptz, timestamptz), gd_case_detail(text), gd__reserved_code() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_centre_time(text), gd_centre_start(text),
    gd_stats(text, timestamptz, timestamptz), gd_case_detail(text) TO griddesk_viewer;
