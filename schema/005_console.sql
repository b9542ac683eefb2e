-- What the console reads. The queue is a window: the first p_limit cases in
-- queue order (urgent first, overdue first within a priority, then oldest
-- waiting first), with the totals of the whole view beside each row.

CREATE INDEX cases_queue ON cases (priority, reported_at, id)
    WHERE status NOT IN ('closed', 'cancelled');

-- The cases of one view of the queue, with their place in queue order:
-- key = (priority, not overdue, reported_at, id).
CREATE FUNCTION gd__queue_set(p_statuses text[], p_district int, p_category text,
                              p_priority int, p_like text)
RETURNS TABLE (id bigint, priority smallint, not_over boolean, reported_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT c.id, c.priority, NOT coalesce(c.due_at < now(), false), c.reported_at
      FROM cases c
     WHERE (CASE WHEN p_statuses IS NULL THEN c.status NOT IN ('closed', 'cancelled')
                 ELSE c.status = ANY (p_statuses) END)
       AND (p_district IS NULL OR c.district_id = p_district)
       AND (p_category IS NULL OR c.category = p_category)
       AND (p_priority IS NULL OR c.priority = p_priority)
       AND (p_like IS NULL OR c.ref ILIKE p_like OR c.title ILIKE p_like
            OR c.location ILIKE p_like)
$$;

-- A window of the queue: p_limit cases from a key on (p_dir = 1: the first
-- at or after it; p_dir = -1: the window that ends just before it, or the
-- last one when the key is NULL; p_dir = 0: the top), with the totals of the
-- whole view and how many cases come before the window.
CREATE FUNCTION gd_queue(p_text text DEFAULT NULL, p_status text DEFAULT NULL,
                         p_district text DEFAULT NULL, p_category text DEFAULT NULL,
                         p_priority int DEFAULT NULL, p_limit int DEFAULT 500,
                         p_dir int DEFAULT 0, p_kprio int DEFAULT NULL,
                         p_knot_over boolean DEFAULT NULL, p_kreported timestamptz DEFAULT NULL,
                         p_kid bigint DEFAULT NULL)
RETURNS TABLE (id bigint, ref text, status text, priority smallint, category text,
               category_name text, district text, district_name text, grid text,
               title text, department text, mediator_name text, version int,
               reported_epoch double precision, due_epoch double precision,
               k_not_over boolean, k_reported text, total bigint, overdue bigint, above bigint)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    v_statuses text[] := gd_statuses(nullif(p_status, ''));
    v_district int;
    v_category text;
    v_like text;
    k_prio int;
    k_not_over boolean;
    k_reported timestamptz;
    k_id bigint;
BEGIN
    IF nullif(p_district, '') IS NOT NULL THEN
        v_district := gd_area_id(p_district, 'district');
    END IF;
    IF nullif(p_category, '') IS NOT NULL THEN
        v_category := gd_category_code(p_category);
    END IF;
    IF p_priority IS NOT NULL AND p_priority NOT BETWEEN 1 AND 4 THEN
        RAISE EXCEPTION 'priority % is out of range: 1 (urgent) to 4', p_priority
            USING ERRCODE = 'GDV01';
    END IF;
    IF nullif(p_text, '') IS NOT NULL THEN
        v_like := '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    END IF;
    IF p_dir = -1 THEN
        -- the window that ends before the key starts at this key
        SELECT q.priority, q.not_over, q.reported_at, q.id
          INTO k_prio, k_not_over, k_reported, k_id
          FROM (SELECT s.* FROM gd__queue_set(v_statuses, v_district, v_category, p_priority, v_like) s
                 WHERE p_kid IS NULL OR (s.priority, s.not_over, s.reported_at, s.id)
                                        < (p_kprio, p_knot_over, p_kreported, p_kid)
                 ORDER BY s.priority DESC, s.not_over DESC, s.reported_at DESC, s.id DESC
                 LIMIT p_limit) q
         ORDER BY q.priority, q.not_over, q.reported_at, q.id
         LIMIT 1;
    ELSIF p_dir = 1 THEN
        k_prio := p_kprio;
        k_not_over := p_knot_over;
        k_reported := p_kreported;
        k_id := p_kid;
    END IF;
    RETURN QUERY
    WITH s AS MATERIALIZED (
        SELECT * FROM gd__queue_set(v_statuses, v_district, v_category, p_priority, v_like)
    ), totals AS (
        SELECT count(*) AS total, count(*) FILTER (WHERE NOT s.not_over) AS overdue,
               count(*) FILTER (WHERE k_id IS NOT NULL AND (s.priority, s.not_over, s.reported_at, s.id)
                                      < (k_prio, k_not_over, k_reported, k_id)) AS above
          FROM s
    ), w AS (
        SELECT s.* FROM s
         WHERE k_id IS NULL OR (s.priority, s.not_over, s.reported_at, s.id)
                               >= (k_prio, k_not_over, k_reported, k_id)
         ORDER BY s.priority, s.not_over, s.reported_at, s.id
         LIMIT p_limit
    )
    SELECT c.id, c.ref, c.status, c.priority, c.category, cat.name, d.code, d.name, g.code,
           c.title, dep.code, st.name, c.version,
           extract(epoch FROM c.reported_at)::float8, extract(epoch FROM c.due_at)::float8,
           w.not_over, c.reported_at::text, t.total, t.overdue, t.above
      FROM w
      JOIN cases c ON c.id = w.id
      JOIN categories cat ON cat.code = c.category
      JOIN areas g ON g.id = c.grid_id
      JOIN areas d ON d.id = c.district_id
      LEFT JOIN departments dep ON dep.id = c.department_id
      LEFT JOIN staff st ON st.id = c.mediator_id
      CROSS JOIN totals t
     ORDER BY w.priority, w.not_over, w.reported_at, w.id;
    -- an empty window still reports the totals
    IF NOT FOUND THEN
        RETURN QUERY
        SELECT NULL::bigint, NULL, NULL, NULL::smallint, NULL, NULL, NULL, NULL, NULL, NULL,
               NULL, NULL, NULL::int, NULL::float8, NULL::float8, NULL::boolean, NULL,
               count(*), count(*) FILTER (WHERE NOT s.not_over), count(*)
          FROM gd__queue_set(v_statuses, v_district, v_category, p_priority, v_like) s
        HAVING count(*) > 0;
    END IF;
END
$$;

-- who is at the console, and what they may do
CREATE FUNCTION gd_whoami(OUT role text, OUT may_write boolean, OUT may_see_phone boolean)
LANGUAGE sql STABLE AS $$
    SELECT CASE
               WHEN pg_has_role(session_user, 'griddesk_admin', 'USAGE') THEN 'admin'
               WHEN pg_has_role(session_user, 'griddesk_operator', 'USAGE') THEN 'operator'
               WHEN pg_has_role(session_user, 'griddesk_dept', 'USAGE') THEN 'dept'
               ELSE 'viewer'
           END,
           pg_has_role(session_user, 'griddesk_operator', 'USAGE')
               OR pg_has_role(session_user, 'griddesk_dept', 'USAGE'),
           gd_may_see_phone()
$$;

REVOKE EXECUTE ON FUNCTION
    gd_queue(text, text, text, text, int, int, int, int, boolean, timestamptz, bigint),
    gd__queue_set(text[], int, text, int, text), gd_whoami() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    gd_queue(text, text, text, text, int, int, int, int, boolean, timestamptz, bigint),
    gd__queue_set(text[], int, text, int, text), gd_whoami() TO griddesk_viewer;
