-- One set of case filters for list, export and bulk edits, so that a bulk
-- edit touches exactly the cases the same options list.

-- "90m", "2h", "7d", "1w": how long a case has been in its current state
CREATE FUNCTION gd_duration_in(p text) RETURNS interval
LANGUAGE plpgsql IMMUTABLE AS $$
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

CREATE FUNCTION gd__case_filter(p_status text, p_district text, p_grid text, p_category text,
                                p_department text, p_mediator text, p_priority text,
                                p_older_than text,
                                OUT statuses text[], OUT district int, OUT grid int,
                                OUT category text, OUT department int, OUT mediator int,
                                OUT priority int, OUT older interval)
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
END
$$;

-- The cases a filter matches. Plain SQL without a SET clause, so the
-- planner inlines it into the caller's query: an export of a million cases
-- streams instead of being gathered first.
CREATE FUNCTION gd__filtered_cases(f_statuses text[], f_district int, f_grid int,
                                   f_category text, f_department int, f_mediator int,
                                   f_priority int, f_older interval)
RETURNS SETOF cases
LANGUAGE sql STABLE AS $$
    SELECT c.* FROM cases c
     WHERE (f_statuses IS NULL OR c.status = ANY (f_statuses))
       AND (f_district IS NULL OR c.district_id = f_district)
       AND (f_grid IS NULL OR c.grid_id = f_grid)
       AND (f_category IS NULL OR c.category = f_category)
       AND (f_department IS NULL OR c.department_id = f_department)
       AND (f_mediator IS NULL OR c.mediator_id = f_mediator)
       AND (f_priority IS NULL OR c.priority = f_priority)
       AND (f_older IS NULL OR c.stage_since < now() - f_older)
$$;

-- list gains the bulk edits' filters; the first five parameters keep their
-- places so existing callers still work
DROP FUNCTION gd_case_list(text, text, text, text, int);
CREATE FUNCTION gd_case_list(p_status text DEFAULT NULL, p_district text DEFAULT NULL,
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
    f record := gd__case_filter(p_status, p_district, p_grid, p_category, p_department,
                                p_mediator, p_priority, p_older_than);
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

REVOKE EXECUTE ON FUNCTION gd_duration_in(text),
    gd__filtered_cases(text[], int, int, text, int, int, int, interval),
    gd__case_filter(text, text, text, text, text, text, text, text),
    gd_case_list(text, text, text, text, int, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_duration_in(text),
    gd__filtered_cases(text[], int, int, text, int, int, int, interval),
    gd__case_filter(text, text, text, text, text, text, text, text),
    gd_case_list(text, text, text, text, int, text, text, text, text) TO griddesk_viewer;
