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
