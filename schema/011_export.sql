-- Export: cases for spreadsheets (the CSV that gridctl import takes back),
-- JSON lines, and Open311 GeoReport v2 service requests for other civic
-- systems. Plain SQL functions the planner inlines, so a million rows
-- stream out without being gathered first.

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
    SELECT c.ref, c.title, c.description, c.category, c.priority, g.code, c.location,
           c.lat, c.lon, r.kind, r.name, r.phone, c.status, d.code, c.mediator_id, c.outcome,
           c.reported_at, c.dispatched_at, c.accepted_at, c.onsite_at, c.resolved_at,
           c.closed_at, c.returned_at, c.cancelled_at
      FROM gd__case_filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than) f
     CROSS JOIN LATERAL gd__filtered_cases(f.statuses, f.district, f.grid, f.category,
                                           f.department, f.mediator, f.priority, f.older) c
      JOIN areas g ON g.id = c.grid_id
      LEFT JOIN departments d ON d.id = c.department_id
      LEFT JOIN reporter_contacts r ON r.id = c.reporter_id
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
               'service_name', k.name,
               'service_code', k.code,
               'description', CASE WHEN c.description = '' THEN c.title
                                   ELSE c.title || E'\n' || c.description END,
               'agency_responsible', d.name,
               'requested_datetime', c.reported_at,
               'updated_datetime', c.updated_at,
               'expected_datetime', CASE WHEN c.status NOT IN ('closed', 'cancelled', 'resolved')
                                         THEN c.resolve_by END,
               'address', concat_ws(' ', g.name, nullif(c.location, '')),
               'address_id', g.code,
               'lat', c.lat,
               'long', c.lon))
      FROM gd__case_filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than) f
     CROSS JOIN LATERAL gd__filtered_cases(f.statuses, f.district, f.grid, f.category,
                                           f.department, f.mediator, f.priority, f.older) c
      JOIN areas g ON g.id = c.grid_id
      JOIN categories k ON k.code = c.category
      LEFT JOIN departments d ON d.id = c.department_id
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
