-- What clients read. The column names are the JSON keys of gridctl(1):
-- a stable contract, whatever the interface language.

CREATE VIEW case_rows AS
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

CREATE FUNCTION gd_case_list(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                             p_grid text DEFAULT NULL, p_category text DEFAULT NULL,
                             p_limit int DEFAULT NULL)
RETURNS TABLE (ref text, status text, title text, description text,
               category text, category_name text, priority smallint,
               grid text, grid_name text, district text, district_name text,
               location text, department text, department_name text,
               mediator int, mediator_name text, version int,
               reported_at timestamptz, stage_since timestamptz, due_at timestamptz,
               updated_at timestamptz, updated_by text)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    v_statuses text[] := gd_statuses(nullif(p_status, ''));
    v_district int;
    v_grid int;
    v_category text;
BEGIN
    IF nullif(p_district, '') IS NOT NULL THEN
        v_district := gd_area_id(p_district, 'district');
    END IF;
    IF nullif(p_grid, '') IS NOT NULL THEN
        v_grid := gd_area_id(p_grid, 'grid');
    END IF;
    IF nullif(p_category, '') IS NOT NULL THEN
        v_category := gd_category_code(p_category);
    END IF;
    IF p_limit IS NOT NULL AND p_limit < 1 THEN
        RAISE EXCEPTION 'limit % is out of range: at least 1', p_limit USING ERRCODE = 'GDV01';
    END IF;
    RETURN QUERY
    SELECT r.ref, r.status, r.title, r.description, r.category, r.category_name,
           r.priority, r.grid, r.grid_name, r.district, r.district_name, r.location,
           r.department, r.department_name, r.mediator, r.mediator_name, r.version,
           r.reported_at, r.stage_since, r.due_at, r.updated_at, r.updated_by
      FROM case_rows r
     WHERE (v_statuses IS NULL OR r.status = ANY (v_statuses))
       AND (v_district IS NULL OR r.district_id = v_district)
       AND (v_grid IS NULL OR r.grid_id = v_grid)
       AND (v_category IS NULL OR r.category = v_category)
     ORDER BY r.reported_at DESC, r.id DESC
     LIMIT p_limit;
END
$$;

CREATE FUNCTION gd__case_id(p_ref text) RETURNS bigint
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

-- one case with everything an operator may see of its reporter
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
               due_at timestamptz, updated_at timestamptz, updated_by text)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT r.ref, r.status, r.title, r.description, r.category, r.category_name, r.line,
           r.field, r.priority, r.grid, r.grid_name, r.district, r.district_name,
           r.location, r.lat, r.lon, r.department, r.department_name, r.mediator,
           r.mediator_name, r.outcome, r.version,
           rc.kind, rc.name, rc.phone,
           r.reported_at, r.dispatched_at, r.accepted_at, r.onsite_at, r.resolved_at,
           r.closed_at, r.returned_at, r.cancelled_at,
           r.accept_by, r.onsite_by, r.resolve_by, r.due_at, r.updated_at, r.updated_by
      FROM case_rows r
      LEFT JOIN reporter_contacts rc ON rc.id = r.reporter_id
     WHERE r.id = gd__case_id(p_ref)
$$;

CREATE FUNCTION gd_case_events(p_ref text)
RETURNS TABLE (id bigint, kind text, actor text, at timestamptz, data jsonb)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT e.id, e.kind, e.actor, e.at, e.data
      FROM events e
     WHERE e.case_id = gd__case_id(p_ref)
     ORDER BY e.id
$$;

-- row_to_json keeps the columns in order; the timeline rides along as "events"
CREATE FUNCTION gd_case_json(p_ref text) RETURNS json
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT row_to_json(x)
      FROM (SELECT d.*,
                   (SELECT coalesce(json_agg(e ORDER BY e.id), '[]')
                      FROM gd_case_events(p_ref) e) AS events
              FROM gd_case_detail(p_ref) d) x
$$;

-- "30 min", "4 h", "1 d 12 h": how an operator says a deadline
CREATE FUNCTION gd_duration(p interval) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(' ',
        CASE WHEN extract(epoch FROM p) >= 86400
             THEN floor(extract(epoch FROM p) / 86400) || ' d' END,
        CASE WHEN floor(extract(epoch FROM p))::bigint % 86400 >= 3600
             THEN floor(extract(epoch FROM p))::bigint % 86400 / 3600 || ' h' END,
        CASE WHEN floor(extract(epoch FROM p))::bigint % 3600 >= 60
             THEN floor(extract(epoch FROM p))::bigint % 3600 / 60 || ' min' END)
$$;

CREATE FUNCTION gd_grid_list(p_level text DEFAULT NULL, p_district text DEFAULT NULL)
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

CREATE FUNCTION gd_category_list()
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

CREATE FUNCTION gd_department_list(p_district text DEFAULT NULL)
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

CREATE FUNCTION gd_staff_list(p_field text DEFAULT NULL, p_tier text DEFAULT NULL,
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

-- who may do what: tables are read-only to everyone but the owner; changes go
-- through the SECURITY DEFINER functions above

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

GRANT SELECT ON settings, areas, lines_of_work, departments, mediation_fields, categories,
                category_routes, cases, events, case_rows, reporter_contacts, staff_contacts
    TO griddesk_viewer;
GRANT SELECT (id, name, tier, fields, lat, lon, pos, home_grid_id, district_id, on_duty,
              open_cases, load_limit) ON staff TO griddesk_viewer;
GRANT SELECT (id, kind) ON reporters TO griddesk_viewer;

GRANT EXECUTE ON FUNCTION
    gd_area_id(text, text), gd_category_code(text), gd_department_id(text), gd_statuses(text),
    gd_may_see_phone(), gd_mask_phone(text),
    gd_case_list(text, text, text, text, int), gd_case_detail(text), gd_case_events(text),
    gd_case_json(text), gd_grid_list(text, text), gd_category_list(),
    gd_department_list(text), gd_staff_list(text, text, text, int), gd_duration(interval),
    gd__case_id(text), gd__deadline(timestamptz, interval, int)
    TO griddesk_viewer;

GRANT EXECUTE ON FUNCTION
    gd_report(text, text, text, text, int, text, double precision, double precision, text, text, text),
    gd_assign(text, int, text, int, text), gd_close(text, int), gd_reopen(text, int, text),
    gd_cancel(text, int, text), gd_note(text, int, text)
    TO griddesk_operator;

GRANT EXECUTE ON FUNCTION
    gd_accept(text, int), gd_return(text, int, text), gd_onsite(text, int),
    gd_feedback(text, int, text), gd_resolve(text, int, text)
    TO griddesk_dept;

-- administrators keep the reference data true (imports, corrections)
GRANT SELECT ON ALL TABLES IN SCHEMA public TO griddesk_admin;
GRANT INSERT, UPDATE, DELETE ON areas, departments, categories, category_routes, staff,
                                mediation_fields, settings TO griddesk_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO griddesk_admin;
