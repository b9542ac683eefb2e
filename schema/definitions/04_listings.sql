-- What clients read. The column names are the JSON keys of gridctl(1):
-- a stable contract, whatever the interface language. One set of case
-- filters serves list, export and bulk edits, so that a bulk edit touches
-- exactly the cases the same options list.

-- the listings' view reads as its caller, so the policies apply through it
CREATE OR REPLACE VIEW case_rows WITH (security_invoker = true) AS
SELECT c.id, c.ref, c.status, c.title, c.description,
       c.category, cat.name AS category_name, cat.line, cat.field,
       c.priority,
       g.code AS grid, g.name AS grid_name,
       d.code AS district, d.name AS district_name,
       c.location, c.lat, c.lon,
       dep.code AS department, dep.name AS department_name,
       c.mediator_id AS mediator, s.name AS mediator_name,
       c.outcome, c.version,
       c.reported_at, c.dispatched_at, c.accepted_at, c.onsite_at, c.resolved_at,
       c.closed_at, c.returned_at, c.cancelled_at,
       c.accept_by, c.onsite_by, c.resolve_by, c.due_at, c.stage_since,
       c.updated_at, c.updated_by,
       c.reporter_id, c.grid_id, c.district_id, c.department_id
  FROM cases c
  JOIN categories cat ON cat.code = c.category
  JOIN areas g ON g.id = c.grid_id
  JOIN areas d ON d.id = c.district_id
  LEFT JOIN departments dep ON dep.id = c.department_id
  LEFT JOIN staff s ON s.id = c.mediator_id;

-- list gains the bulk edits' filters; the first five parameters keep their
-- places so existing callers still work
CREATE OR REPLACE FUNCTION gd_case_list(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                             p_grid text DEFAULT NULL, p_category text DEFAULT NULL,
                             p_limit int DEFAULT NULL, p_department text DEFAULT NULL,
                             p_mediator text DEFAULT NULL, p_priority text DEFAULT NULL,
                             p_older_than text DEFAULT NULL)
RETURNS TABLE (ref text, status text, title text, description text,
               category text, category_name text, priority smallint,
               grid text, grid_name text, district text, district_name text,
               location text, department text, department_name text,
               mediator int, mediator_name text, version int,
               reported_at timestamptz, stage_since timestamptz, due_at timestamptz,
               updated_at timestamptz, updated_by text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    f record := gd__filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than, NULL);
BEGIN
    IF p_limit IS NOT NULL AND p_limit < 1 THEN
        RAISE EXCEPTION 'limit % is out of range: at least 1', p_limit USING ERRCODE = 'GDV01';
    END IF;
    RETURN QUERY
    SELECT r.ref, r.status, r.title, r.description, r.category, r.category_name,
           r.priority, r.grid, r.grid_name, r.district, r.district_name, r.location,
           r.department, r.department_name, r.mediator, r.mediator_name, r.version,
           r.reported_at, r.stage_since, r.due_at, r.updated_at, r.updated_by
      FROM case_rows r
     WHERE r.id IN (SELECT m.id FROM gd__filtered_cases(f.statuses, f.district, f.grid,
                        f.category, f.department, f.mediator, f.priority, f.older) m)
     ORDER BY r.reported_at DESC, r.id DESC
     LIMIT p_limit;
END
$$;

CREATE OR REPLACE FUNCTION gd__case_id(p_ref text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    found bigint;
BEGIN
    SELECT id INTO found FROM cases WHERE ref = upper(btrim(p_ref));
    IF found IS NULL THEN
        RAISE EXCEPTION 'no case "%"', p_ref USING ERRCODE = 'GDN01';
    END IF;
    RETURN found;
END
$$;

-- one case with everything an operator may see of its reporter, and
-- stage_since: every key of the listing
CREATE OR REPLACE FUNCTION gd_case_detail(p_ref text)
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

-- A case's timeline. A merged case follows the case it went into: that
-- case's events from the merge on come too (and, down a chain, the next
-- one's from its own merge), each with "on_case" naming whose it is. How the
-- incident ended each merged case has as a "followed" event of its own, so
-- the chain's resolved and closed are not shown twice.
CREATE OR REPLACE FUNCTION gd_case_events(p_ref text)
RETURNS TABLE (id bigint, kind text, actor text, at timestamptz, data jsonb)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    WITH RECURSIVE chain AS (
        SELECT c.id, c.ref, c.merged_into, c.stage_since AS merged_at,
               NULL::timestamptz AS since, 0 AS depth
          FROM cases c WHERE c.id = gd__case_id(p_ref)
        UNION ALL
        SELECT n.id, n.ref, n.merged_into, n.stage_since,
               greatest(ch.since, ch.merged_at), ch.depth + 1
          FROM chain ch JOIN cases n ON n.id = ch.merged_into
         WHERE ch.depth < 100
    )
    SELECT e.id, e.kind, e.actor, e.at,
           CASE WHEN ch.depth = 0 THEN e.data ELSE e.data || jsonb_build_object('on_case', ch.ref) END
      FROM chain ch
      JOIN events e ON e.case_id = ch.id
     WHERE ch.depth = 0
        OR (e.at >= ch.since AND e.kind NOT IN ('resolved', 'closed', 'followed'))
     ORDER BY e.id
$$;

-- What a merge joined: the case this one went into ("into"), and the
-- reports merged into this one ("merged"), oldest first.
CREATE OR REPLACE FUNCTION gd_case_merges(p_ref text)
RETURNS TABLE (relation text, ref text, status text, title text, reporter_kind text,
               at timestamptz)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT x.relation, x.ref, x.status, x.title, x.reporter_kind, x.at
      FROM (SELECT 'into' AS relation, t.ref, t.status, t.title, r.kind AS reporter_kind,
                   c.stage_since AS at
              FROM cases c
              JOIN cases t ON t.id = c.merged_into
              LEFT JOIN reporters r ON r.id = t.reporter_id
             WHERE c.id = gd__case_id(p_ref)
            UNION ALL
            SELECT 'merged', m.ref, m.status, m.title, r.kind, m.stage_since
              FROM cases m
              LEFT JOIN reporters r ON r.id = m.reporter_id
             WHERE m.merged_into = gd__case_id(p_ref)) x
     ORDER BY x.relation DESC, x.at, x.ref
$$;

-- The assisting departments of a case (联办), each with its part: its
-- state, its steps' times and the deadline of the stage it is in.
CREATE OR REPLACE FUNCTION gd_case_parts(p_ref text)
RETURNS TABLE (department text, department_name text, status text, dispatched_at timestamptz,
               accepted_at timestamptz, onsite_at timestamptz, feedback_at timestamptz,
               released_at timestamptz, due_at timestamptz)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT d.code, d.name, p.status, p.dispatched_at, p.accepted_at, p.onsite_at, p.feedback_at,
           p.released_at, p.due_at
      FROM case_parts p
      JOIN departments d ON d.id = p.department_id
     WHERE p.case_id = gd__case_id(p_ref)
     ORDER BY d.code
$$;

-- row_to_json keeps the columns in order; the timeline rides along as
-- "events", what a merge joined as "merged_into" and "merged", and the
-- assisting departments' parts as "assisting"
CREATE OR REPLACE FUNCTION gd_case_json(p_ref text) RETURNS json
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT row_to_json(x)
      FROM (SELECT d.*,
                   (SELECT coalesce(json_agg(json_build_object(
                               'department', a.department, 'status', a.status,
                               'accepted_at', a.accepted_at, 'onsite_at', a.onsite_at,
                               'feedback_at', a.feedback_at, 'due_at', a.due_at)
                               ORDER BY a.department), '[]')
                      FROM gd_case_parts(p_ref) a) AS assisting,
                   m.merged_into, m.merged,
                   (SELECT coalesce(json_agg(e ORDER BY e.id), '[]')
                      FROM gd_case_events(p_ref) e) AS events
              FROM gd_case_detail(p_ref) d
             CROSS JOIN LATERAL (
                   SELECT max(g.ref) FILTER (WHERE g.relation = 'into') AS merged_into,
                          coalesce(json_agg(json_build_object('ref', g.ref, 'title', g.title,
                                                              'reporter_kind', g.reporter_kind,
                                                              'at', g.at) ORDER BY g.at, g.ref)
                                   FILTER (WHERE g.relation = 'merged'), '[]') AS merged
                     FROM gd_case_merges(p_ref) g) m) x
$$;

-- "30 min", "4 h", "1 d 12 h": how an operator says a deadline
CREATE OR REPLACE FUNCTION gd_duration(p interval) RETURNS text
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT concat_ws(' ',
        CASE WHEN extract(epoch FROM p) >= 86400
             THEN floor(extract(epoch FROM p) / 86400) || ' d' END,
        CASE WHEN floor(extract(epoch FROM p))::bigint % 86400 >= 3600
             THEN floor(extract(epoch FROM p))::bigint % 86400 / 3600 || ' h' END,
        CASE WHEN floor(extract(epoch FROM p))::bigint % 3600 >= 60
             THEN floor(extract(epoch FROM p))::bigint % 3600 / 60 || ' min' END);
END;

CREATE OR REPLACE FUNCTION gd_grid_list(p_level text DEFAULT NULL, p_district text DEFAULT NULL)
RETURNS TABLE (code text, name text, level text, parent text, parent_name text,
               district text, district_name text, lat double precision, lon double precision)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    lvl text := coalesce(nullif(p_level, ''), 'grid');
    v_district int;
BEGIN
    IF lvl NOT IN ('city', 'district', 'street', 'community', 'grid') THEN
        RAISE EXCEPTION 'unknown level "%": one of city, district, street, community, grid', lvl
            USING ERRCODE = 'GDV01';
    END IF;
    IF nullif(p_district, '') IS NOT NULL THEN
        v_district := gd_area_id(p_district, 'district');
    END IF;
    RETURN QUERY
    SELECT a.code, a.name, a.level, p.code, p.name, d.code, d.name, a.lat, a.lon
      FROM areas a
      LEFT JOIN areas p ON p.id = a.parent_id
      LEFT JOIN areas d ON d.id = a.path[2]
     WHERE a.level = lvl
       AND (v_district IS NULL OR a.path[2] = v_district)
     ORDER BY a.code;
END
$$;

CREATE OR REPLACE FUNCTION gd_category_list()
RETURNS TABLE (code text, name text, line text, line_name text, field text, field_name text,
               accept_within interval, onsite_within interval, resolve_within interval)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT c.code, c.name, c.line, l.name, c.field, f.name,
           c.accept_within, c.onsite_within, c.resolve_within
      FROM categories c
      JOIN lines_of_work l ON l.code = c.line
      LEFT JOIN mediation_fields f ON f.code = c.field
     ORDER BY c.line, c.code
$$;

CREATE OR REPLACE FUNCTION gd_department_list(p_district text DEFAULT NULL)
RETURNS TABLE (code text, name text, kind text, district text, district_name text,
               lines text[])
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    v_district int;
BEGIN
    IF nullif(p_district, '') IS NOT NULL THEN
        v_district := gd_area_id(p_district, 'district');
    END IF;
    RETURN QUERY
    SELECT dep.code, dep.name, dep.kind, d.code, d.name, dep.lines
      FROM departments dep
      JOIN areas d ON d.id = dep.district_id
     WHERE v_district IS NULL OR dep.district_id = v_district
     ORDER BY dep.code;
END
$$;

CREATE OR REPLACE FUNCTION gd_staff_list(p_field text DEFAULT NULL, p_tier text DEFAULT NULL,
                              p_district text DEFAULT NULL, p_limit int DEFAULT NULL)
RETURNS TABLE (staff_id int, name text, tier text, fields text[], district text,
               district_name text, home_grid text, on_duty boolean, load int,
               load_limit int, lat double precision, lon double precision, phone text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    v_district int;
BEGIN
    IF nullif(p_field, '') IS NOT NULL
       AND NOT EXISTS (SELECT FROM mediation_fields mf WHERE mf.code = p_field OR mf.name = p_field) THEN
        RAISE EXCEPTION 'unknown field "%": one of %', p_field,
            (SELECT string_agg(mf.code, ', ' ORDER BY mf.code) FROM mediation_fields mf)
            USING ERRCODE = 'GDV01';
    END IF;
    IF nullif(p_tier, '') IS NOT NULL AND p_tier NOT IN ('grassroots', 'specialist', 'expert') THEN
        RAISE EXCEPTION 'unknown tier "%": one of grassroots, specialist, expert', p_tier
            USING ERRCODE = 'GDV01';
    END IF;
    IF nullif(p_district, '') IS NOT NULL THEN
        v_district := gd_area_id(p_district, 'district');
    END IF;
    IF p_limit IS NOT NULL AND p_limit < 1 THEN
        RAISE EXCEPTION 'limit % is out of range: at least 1', p_limit USING ERRCODE = 'GDV01';
    END IF;
    RETURN QUERY
    SELECT s.id, s.name, s.tier, s.fields, d.code, d.name, g.code, s.on_duty, s.open_cases,
           s.load_limit, s.lat, s.lon, sc.phone
      FROM staff s
      JOIN staff_contacts sc ON sc.id = s.id
      LEFT JOIN areas d ON d.id = s.district_id
      LEFT JOIN areas g ON g.id = s.home_grid_id
     WHERE (nullif(p_field, '') IS NULL
            OR (SELECT mf.code FROM mediation_fields mf
                 WHERE mf.code = p_field OR mf.name = p_field) = ANY (s.fields))
       AND (nullif(p_tier, '') IS NULL OR s.tier = p_tier)
       AND (v_district IS NULL OR s.district_id = v_district)
     ORDER BY s.id
     LIMIT p_limit;
END
$$;

-- "90m", "2h", "7d", "1w": how long a case has been in its current state
CREATE OR REPLACE FUNCTION gd_duration_in(p text) RETURNS interval
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    m text[] := regexp_match(p, '^\s*([0-9]{1,6}(?:\.[0-9]{1,3})?)\s*(s|m|h|d|w)?\s*$');
BEGIN
    IF m IS NULL THEN
        RAISE EXCEPTION 'duration "%" is not a number with a unit s, m, h, d or w (e.g. 90m, 2h, 7d)', p
            USING ERRCODE = 'GDV01';
    END IF;
    RETURN m[1]::numeric * CASE coalesce(m[2], 's')
        WHEN 's' THEN interval '1 second' WHEN 'm' THEN interval '1 minute'
        WHEN 'h' THEN interval '1 hour' WHEN 'd' THEN interval '1 day'
        ELSE interval '7 days' END;
END
$$;

-- The one filter: every reader of cases (the console's queue, list,
-- export, bulk edits) resolves what a person typed here, with one set of
-- messages. Codes or exact Chinese names, never a guess; an empty text is
-- no filter. p_text matches inside a reference, title or location, as
-- typed (LIKE's own characters are escaped).
CREATE OR REPLACE FUNCTION gd__filter(p_status text, p_district text, p_grid text, p_category text,
                           p_department text, p_mediator text, p_priority text,
                           p_older_than text, p_text text,
                           OUT statuses text[], OUT district int, OUT grid int,
                           OUT category text, OUT department int, OUT mediator int,
                           OUT priority int, OUT older interval, OUT pattern text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    statuses := gd_statuses(nullif(p_status, ''));
    IF nullif(p_district, '') IS NOT NULL THEN
        district := gd_area_id(p_district, 'district');
    END IF;
    IF nullif(p_grid, '') IS NOT NULL THEN
        grid := gd_area_id(p_grid, 'grid');
    END IF;
    IF nullif(p_category, '') IS NOT NULL THEN
        category := gd_category_code(p_category);
    END IF;
    IF nullif(p_department, '') IS NOT NULL THEN
        department := gd_department_id(p_department);
    END IF;
    IF nullif(p_mediator, '') IS NOT NULL THEN
        IF p_mediator !~ '^\s*[0-9]{1,9}\s*$' THEN
            RAISE EXCEPTION 'mediator "%" is not a staff id (a whole number)', p_mediator
                USING ERRCODE = 'GDV01';
        END IF;
        mediator := p_mediator::int;
        IF NOT EXISTS (SELECT FROM staff WHERE id = mediator) THEN
            RAISE EXCEPTION 'unknown mediator %: no such staff id', mediator USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    IF nullif(p_priority, '') IS NOT NULL THEN
        IF p_priority !~ '^\s*[1-4]\s*$' THEN
            RAISE EXCEPTION 'priority "%" is out of range: 1 (urgent) to 4', p_priority
                USING ERRCODE = 'GDV01';
        END IF;
        priority := p_priority::int;
    END IF;
    IF nullif(p_older_than, '') IS NOT NULL THEN
        older := gd_duration_in(p_older_than);
    END IF;
    IF nullif(p_text, '') IS NOT NULL THEN
        pattern := '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    END IF;
END
$$;

-- The cases a filter matches. Plain SQL without a SET clause, so the
-- planner inlines it into the caller's query: an export of a million cases
-- streams instead of being gathered first.
CREATE OR REPLACE FUNCTION gd__filtered_cases(f_statuses text[], f_district int, f_grid int,
                                   f_category text, f_department int, f_mediator int,
                                   f_priority int, f_older interval)
RETURNS SETOF cases
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.* FROM cases c
     WHERE (f_statuses IS NULL OR c.status = ANY (f_statuses))
       AND (f_district IS NULL OR c.district_id = f_district)
       AND (f_grid IS NULL OR c.grid_id = f_grid)
       AND (f_category IS NULL OR c.category = f_category)
       AND (f_department IS NULL OR c.department_id = f_department)
       AND (f_mediator IS NULL OR c.mediator_id = f_mediator)
       AND (f_priority IS NULL OR c.priority = f_priority)
       AND (f_older IS NULL OR c.stage_since < now() - f_older);
END;
