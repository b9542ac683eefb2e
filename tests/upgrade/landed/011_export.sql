-- Export: cases for spreadsheets (the CSV that gridctl import takes back),
-- JSON lines, and Open311 GeoReport v2 service requests for other civic
-- systems. Plain SQL functions the planner inlines, so a million rows
-- stream out without being gathered first. Names are looked up case by case
-- (subqueries on primary keys, which the planner cannot turn into joins):
-- the filter's "x IS NULL OR ..." conditions make it expect a handful of
-- rows, and with joins it chose to scan the grid table once per case, 87 s
-- for a million.

-- The case columns of the CSV, shared with the import: names are the header.
CREATE FUNCTION gd_export_cases(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
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
LANGUAGE sql STABLE AS $$
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
     ORDER BY c.id
$$;

-- Open311 GeoReport v2 "service request" objects, one per case.
CREATE FUNCTION gd_export_open311(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                                  p_grid text DEFAULT NULL, p_category text DEFAULT NULL,
                                  p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                                  p_priority text DEFAULT NULL, p_older_than text DEFAULT NULL,
                                  p_since timestamptz DEFAULT NULL, p_until timestamptz DEFAULT NULL)
RETURNS SETOF json
LANGUAGE sql STABLE AS $$
    SELECT json_strip_nulls(json_build_object(
               'service_request_id', c.ref,
               'status', CASE WHEN c.status IN ('closed', 'cancelled') THEN 'closed' ELSE 'open' END,
               'status_notes', coalesce(c.outcome, CASE c.status WHEN 'cancelled' THEN 'cancelled' END),
               'service_name', (SELECT k.name FROM categories k WHERE k.code = c.category),
               'service_code', c.category,
               'description', CASE WHEN c.description = '' THEN c.title
                                   ELSE c.title || E'\n' || c.description END,
               'agency_responsible', (SELECT d.name FROM departments d WHERE d.id = c.department_id),
               'requested_datetime', c.reported_at,
               'updated_datetime', c.updated_at,
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
     WHERE (p_since IS NULL OR c.reported_at >= p_since)
       AND (p_until IS NULL OR c.reported_at < p_until)
     ORDER BY c.id
$$;

REVOKE EXECUTE ON FUNCTION
    gd_export_cases(text, text, text, text, text, text, text, text, timestamptz, timestamptz),
    gd_export_open311(text, text, text, text, text, text, text, text, timestamptz, timestamptz)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    gd_export_cases(text, text, text, text, text, text, text, text, timestamptz, timestamptz),
    gd_export_open311(text, text, text, text, text, text, text, text, timestamptz, timestamptz)
    TO griddesk_viewer;
