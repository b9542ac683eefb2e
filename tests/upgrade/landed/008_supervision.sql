-- Supervision: deadlines that passed, and the figures the centre is judged by.

-- Write one "overdue" event for each case whose current stage's deadline
-- has passed and has not been marked yet: once per case and deadline,
-- whoever runs the clock and however often (gridctl deadlines). One
-- statement, so one notification however many cases fall due together.
CREATE FUNCTION gd_mark_overdue() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n int;
BEGIN
    -- two clocks at once must not both write the same mark
    PERFORM pg_advisory_xact_lock(hashtext('griddesk.deadlines'));
    INSERT INTO events (case_id, kind, data)
    SELECT c.id, 'overdue',
           jsonb_build_object('status', c.status, 'due_at', c.due_at, 'version', c.version,
                              'stage', CASE c.status WHEN 'accepted' THEN 'on_site'
                                                     WHEN 'on_site' THEN 'resolve'
                                                     ELSE 'accept' END)
      FROM cases c
     WHERE c.status NOT IN ('closed', 'cancelled', 'resolved')
       AND c.due_at < now()
       AND NOT EXISTS (SELECT FROM events e
                        WHERE e.case_id = c.id AND e.kind = 'overdue'
                          AND (e.data ->> 'due_at')::timestamptz = c.due_at)
     ORDER BY c.due_at, c.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- The centre's figures for a period, by district, department or category,
-- with a last row for the whole city ("all").
--   resolution_rate: cases resolved within their deadline, over every case
--     whose resolve deadline fell in the period (cancelled ones aside), open
--     overdue cases included: the honest rate.
--   resolved_of_finished: resolved over resolved + cancelled in the period:
--     the flattering one, shown beside it and labelled so.
CREATE FUNCTION gd_stats(p_by text DEFAULT 'district', p_since timestamptz DEFAULT NULL,
                         p_until timestamptz DEFAULT NULL)
RETURNS TABLE (key text, name text, reported bigint, dispatched bigint, resolved bigint,
               closed bigint, overdue_now bigint, median_accept_min numeric,
               median_onsite_min numeric, onsite_in_time_pct numeric, fell_due bigint,
               resolved_in_time bigint, resolution_rate_pct numeric,
               resolved_of_finished_pct numeric)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    since timestamptz := coalesce(p_since, gd__today()::timestamp
                                           AT TIME ZONE (SELECT s.value FROM settings s WHERE s.key = 'timezone'));
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
    WITH c AS (
        SELECT cs.*,
               CASE p_by WHEN 'district' THEN d.code WHEN 'department' THEN dep.code
                         ELSE cs.category END AS k,
               CASE p_by WHEN 'district' THEN d.name WHEN 'department' THEN dep.name
                         ELSE cat.name END AS kname
          FROM cases cs
          JOIN areas d ON d.id = cs.district_id
          JOIN categories cat ON cat.code = cs.category
          LEFT JOIN departments dep ON dep.id = cs.department_id
         WHERE cs.reported_at < until
           AND (cs.reported_at >= since OR cs.status NOT IN ('closed', 'cancelled')
                OR cs.closed_at >= since OR cs.resolved_at >= since OR cs.resolve_by >= since
                OR cs.cancelled_at >= since)
    )
    SELECT coalesce(c.k, 'all'), CASE WHEN GROUPING(c.k) = 1 THEN '全市' ELSE max(c.kname) END,
           count(*) FILTER (WHERE c.reported_at >= since),
           count(*) FILTER (WHERE c.dispatched_at >= since AND c.dispatched_at < until),
           count(*) FILTER (WHERE c.resolved_at >= since AND c.resolved_at < until),
           count(*) FILTER (WHERE c.closed_at >= since AND c.closed_at < until),
           count(*) FILTER (WHERE c.status NOT IN ('closed', 'cancelled', 'resolved')
                              AND c.due_at < now()),
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.accepted_at - c.reported_at))
                  FILTER (WHERE c.accepted_at >= since AND c.accepted_at < until) / 60)::numeric, 1),
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.onsite_at - c.reported_at))
                  FILTER (WHERE c.onsite_at >= since AND c.onsite_at < until) / 60)::numeric, 1),
           round(100.0 * count(*) FILTER (WHERE c.onsite_at >= since AND c.onsite_at < until
                                            AND c.onsite_at <= c.onsite_by)
                 / nullif(count(*) FILTER (WHERE c.onsite_at >= since AND c.onsite_at < until), 0), 1),
           count(*) FILTER (WHERE c.resolve_by >= since AND c.resolve_by < until
                              AND c.status <> 'cancelled'),
           count(*) FILTER (WHERE c.resolve_by >= since AND c.resolve_by < until
                              AND c.status <> 'cancelled' AND c.resolved_at <= c.resolve_by),
           round(100.0 * count(*) FILTER (WHERE c.resolve_by >= since AND c.resolve_by < until
                                            AND c.status <> 'cancelled' AND c.resolved_at <= c.resolve_by)
                 / nullif(count(*) FILTER (WHERE c.resolve_by >= since AND c.resolve_by < until
                                             AND c.status <> 'cancelled'), 0), 1),
           round(100.0 * count(*) FILTER (WHERE c.resolved_at >= since AND c.resolved_at < until)
                 / nullif(count(*) FILTER (WHERE (c.resolved_at >= since AND c.resolved_at < until)
                                             OR (c.cancelled_at >= since AND c.cancelled_at < until)), 0), 1)
      FROM c
     GROUP BY ROLLUP (c.k)
     ORDER BY GROUPING(c.k), c.k;
END
$$;

REVOKE EXECUTE ON FUNCTION gd_mark_overdue(), gd_stats(text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_mark_overdue() TO griddesk_operator;
GRANT EXECUTE ON FUNCTION gd_stats(text, timestamptz, timestamptz) TO griddesk_viewer;
