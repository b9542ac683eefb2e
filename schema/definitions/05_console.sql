-- What the console reads. The queue is a window: p_limit cases in queue
-- order, read straight off an index (cases_queue) so that its cost does not
-- grow with the number of open cases. Queue order: urgent first; within a
-- priority, by the deadline of the stage the case is in, so overdue cases
-- lead (the most overdue first) and then those due soonest; resolved cases,
-- which have no deadline left, wait at the end for the centre to close
-- them. The totals of a view are a separate, dearer read (gd_queue_totals).

-- Is the case in the view? The one test of a case against the console's
-- filters (resolved by gd__filter): the queue's set below, and the changed
-- cases the feed brings, both ask it. Inlined into its caller.
CREATE OR REPLACE FUNCTION gd__in_queue(c cases, p_statuses text[], p_district int, p_category text,
                                        p_priority int, p_like text)
RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT (CASE WHEN p_statuses IS NULL THEN c.status NOT IN ('closed', 'cancelled', 'merged')
                 ELSE c.status = ANY (p_statuses) END)
       AND (p_district IS NULL OR c.district_id = p_district)
       AND (p_category IS NULL OR c.category = p_category)
       AND (p_priority IS NULL OR c.priority = p_priority)
       AND (p_like IS NULL OR c.ref ILIKE p_like OR c.title ILIKE p_like
            OR c.location ILIKE p_like);
END;

-- The cases of a view with their queue keys. The default view (statuses
-- NULL) names the partial index's predicate literally so the index serves it.
CREATE OR REPLACE FUNCTION gd__queue_set(p_statuses text[], p_district int, p_category text,
                              p_priority int, p_like text)
RETURNS TABLE (id bigint, priority smallint, due timestamptz)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.id, c.priority, coalesce(c.due_at, 'infinity'::timestamptz)
      FROM cases c
     WHERE p_statuses IS NULL AND c.status NOT IN ('closed', 'cancelled', 'merged')
       AND gd__in_queue(c, p_statuses, p_district, p_category, p_priority, p_like)
    UNION ALL
    SELECT c.id, c.priority, coalesce(c.due_at, 'infinity'::timestamptz)
      FROM cases c
     WHERE p_statuses IS NOT NULL
       AND gd__in_queue(c, p_statuses, p_district, p_category, p_priority, p_like);
END;

-- The ids of a window in queue order: p_limit cases at or after the key
-- (descending: before it). Two literal shapes, so that the default view (no
-- status named) is read off the partial index in order and stops at p_limit.
CREATE OR REPLACE FUNCTION gd__queue_ids(f record, p_priority int, p_limit int, p_desc boolean,
                              p_kprio int, p_kdue timestamptz, p_kid bigint)
RETURNS bigint[]
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    ids bigint[];
BEGIN
    IF f.statuses IS NULL AND NOT p_desc THEN
        SELECT array_agg(x.id) INTO ids FROM (
            SELECT c.id FROM cases c
             WHERE c.status NOT IN ('closed', 'cancelled', 'merged')
               AND gd__in_queue(c, NULL, f.district, f.category, p_priority, f.pattern)
               AND (p_kid IS NULL OR (c.priority, coalesce(c.due_at, 'infinity'::timestamptz), c.id)
                                     >= (p_kprio, p_kdue, p_kid))
             ORDER BY c.priority, coalesce(c.due_at, 'infinity'::timestamptz), c.id
             LIMIT p_limit) x;
    ELSIF f.statuses IS NULL THEN
        SELECT array_agg(x.id) INTO ids FROM (
            SELECT c.id FROM cases c
             WHERE c.status NOT IN ('closed', 'cancelled', 'merged')
               AND gd__in_queue(c, NULL, f.district, f.category, p_priority, f.pattern)
               AND (p_kid IS NULL OR (c.priority, coalesce(c.due_at, 'infinity'::timestamptz), c.id)
                                     < (p_kprio, p_kdue, p_kid))
             ORDER BY c.priority DESC, coalesce(c.due_at, 'infinity'::timestamptz) DESC, c.id DESC
             LIMIT p_limit) x;
    ELSE
        -- a named status may be a closed one: no index holds those in queue order
        SELECT array_agg(x.id) INTO ids FROM (
            SELECT s.id FROM gd__queue_set(f.statuses, f.district, f.category, p_priority, f.pattern) s
             WHERE p_kid IS NULL
                OR (NOT p_desc AND (s.priority, s.due, s.id) >= (p_kprio, p_kdue, p_kid))
                OR (p_desc AND (s.priority, s.due, s.id) < (p_kprio, p_kdue, p_kid))
             ORDER BY CASE WHEN p_desc THEN -s.priority ELSE s.priority END,
                      CASE WHEN p_desc THEN NULL ELSE s.due END, s.due DESC,
                      CASE WHEN p_desc THEN -s.id ELSE s.id END
             LIMIT p_limit) x;
    END IF;
    RETURN coalesce(ids, '{}');
END
$$;

-- What the console shows of each case, in the order of p_ids: the
-- window's rows (gd_queue), and the changed cases the feed brings
-- (gd_queue_changes), alike. "duplicates": a case that could still be
-- merged has another open report of the same incident (gd__with_candidates),
-- asked only for the cases of p_signed: the window's, and of the feed's
-- changes only new reports, at most 20 a read. Asked for every change, the
-- probe ran once per console per change: 200 consoles at 100 reports a
-- second could not keep up. "assisting": how many departments assist the
-- lead (联办), released ones aside.
-- Its columns grew, so it and the two functions that return its rows are
-- made anew, theirs first (an older gd_queue_changes was an SQL-standard
-- body that named it); no SQL-standard body names them now.
DROP FUNCTION IF EXISTS gd_queue_changes(xid8, text, text, text, text, text);
DROP FUNCTION IF EXISTS gd_queue(text, text, text, text, int, int, int, int, timestamptz, bigint);
DROP FUNCTION IF EXISTS gd__queue_rows(bigint[]);
DROP FUNCTION IF EXISTS gd__queue_rows(bigint[], bigint[]);
CREATE FUNCTION gd__queue_rows(p_ids bigint[], p_signed bigint[])
RETURNS TABLE (id bigint, ref text, status text, priority smallint, category text,
               category_name text, district text, district_name text, grid text,
               title text, department text, mediator_name text, version int,
               reported_epoch double precision, due_epoch double precision, k_due text,
               duplicates boolean, assisting int)
-- PL/pgSQL with one plan kept per connection, whatever the ids: inlined
-- into the feed's read, or planned for each array, its six joins were
-- planned again at every read (4 ms, for a 0.1 ms read)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    RETURN QUERY
    SELECT c.id, c.ref, c.status, c.priority, c.category, cat.name, d.code, d.name, g.code,
           c.title, dep.code, st.name, c.version,
           extract(epoch FROM c.reported_at)::float8, extract(epoch FROM c.due_at)::float8,
           coalesce(c.due_at, 'infinity'::timestamptz)::text,
           c.status IN ('new', 'dispatched', 'returned') AND dup.id IS NOT NULL,
           -- looked up only for a case that has had an assisting department
           CASE WHEN c.assist_districts IS NULL THEN 0
                ELSE (SELECT count(*)::int FROM case_parts p
                       WHERE p.case_id = c.id AND p.status <> 'released') END
      FROM unnest(p_ids) WITH ORDINALITY u (id, n)
      JOIN cases c ON c.id = u.id
      JOIN categories cat ON cat.code = c.category
      JOIN areas g ON g.id = c.grid_id
      JOIN areas d ON d.id = c.district_id
      LEFT JOIN departments dep ON dep.id = c.department_id
      LEFT JOIN staff st ON st.id = c.mediator_id
      LEFT JOIN gd__with_candidates(p_signed) dup (id) ON dup.id = c.id
     ORDER BY u.n;
END
$$;

-- A window of the queue: p_limit cases from a key on (p_dir = 1: the first
-- at or after it; p_dir = -1: the window that ends just before it, or the
-- last one when the key is NULL; p_dir = 0: the top).
CREATE FUNCTION gd_queue(p_text text DEFAULT NULL, p_status text DEFAULT NULL,
                         p_district text DEFAULT NULL, p_category text DEFAULT NULL,
                         p_priority int DEFAULT NULL, p_limit int DEFAULT 200,
                         p_dir int DEFAULT 0, p_kprio int DEFAULT NULL,
                         p_kdue timestamptz DEFAULT NULL, p_kid bigint DEFAULT NULL)
RETURNS TABLE (id bigint, ref text, status text, priority smallint, category text,
               category_name text, district text, district_name text, grid text,
               title text, department text, mediator_name text, version int,
               reported_epoch double precision, due_epoch double precision, k_due text,
               duplicates boolean, assisting int)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    f record := gd__filter(p_status, p_district, NULL, p_category, NULL, NULL, p_priority::text,
                           NULL, p_text);
    ids bigint[];
BEGIN
    IF p_dir = -1 THEN
        ids := gd__queue_ids(f, p_priority, p_limit, true, p_kprio, p_kdue, p_kid);
        ids := ARRAY(SELECT u.id FROM unnest(ids) WITH ORDINALITY u (id, n) ORDER BY u.n DESC);
    ELSE
        ids := gd__queue_ids(f, p_priority, p_limit, false,
                             CASE WHEN p_dir = 1 THEN p_kprio END,
                             CASE WHEN p_dir = 1 THEN p_kdue END,
                             CASE WHEN p_dir = 1 THEN p_kid END);
    END IF;
    RETURN QUERY SELECT * FROM gd__queue_rows(ids, ids);
END
$$;

-- How many cases the view holds, how many are overdue, and how many come
-- before the key (the window's first case).
CREATE OR REPLACE FUNCTION gd_queue_totals(p_text text DEFAULT NULL, p_status text DEFAULT NULL,
                                p_district text DEFAULT NULL, p_category text DEFAULT NULL,
                                p_priority int DEFAULT NULL, p_kprio int DEFAULT NULL,
                                p_kdue timestamptz DEFAULT NULL, p_kid bigint DEFAULT NULL,
                                OUT total bigint, OUT overdue bigint, OUT above bigint)
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    f record := gd__filter(p_status, p_district, NULL, p_category, NULL, NULL, p_priority::text,
                           NULL, p_text);
BEGIN
    SELECT count(*), count(*) FILTER (WHERE s.due < now()),
           count(*) FILTER (WHERE p_kid IS NOT NULL
                                  AND (s.priority, s.due, s.id) < (p_kprio, p_kdue, p_kid))
      INTO total, overdue, above
      FROM gd__queue_set(f.statuses, f.district, f.category, p_priority, f.pattern) s;
END
$$;

-- The console's one read per change: the events past its watermark
-- (p_horizon, see feed.h), each with its case as the view shows it, or
-- in_view false when the case is not (or no longer) in the view. The
-- console updates its window from these rows, and reads the window again
-- only when they cannot tell it what now belongs there. Row-level security
-- applies as to any read: a scoped console gets its area's events only.
--
-- One plan kept per connection, whatever the horizon: planned for each
-- read (it was plain SQL, inlined into the console's prepared statement)
-- it cost 4.5 ms of planning for a 0.5 ms read, and a console at 100
-- reports a second spent a core on it. A plan kept for any horizon cannot
-- know how few events lie past it, and joined them to the cases by
-- scanning all cases; so the events come first, by events_xid, and the
-- cases are then looked up for that list, which the planner takes to be
-- short, as it nearly always is.
CREATE FUNCTION gd_queue_changes(p_horizon xid8, p_text text DEFAULT NULL,
                                            p_status text DEFAULT NULL, p_district text DEFAULT NULL,
                                            p_category text DEFAULT NULL, p_priority text DEFAULT NULL)
RETURNS TABLE (event_id bigint, case_id bigint, kind text, case_ref text, case_priority smallint,
               xid text, xmin text, in_view boolean,
               id bigint, ref text, status text, priority smallint, category text,
               category_name text, district text, district_name text, grid text,
               title text, department text, mediator_name text, version int,
               reported_epoch double precision, due_epoch double precision, k_due text,
               duplicates boolean, assisting int)
-- STABLE: both statements read with the caller's snapshot, whose xmin it
-- returns as the console's next horizon
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    ids bigint[];
    case_ids bigint[];
    kinds text[];
    xids xid8[];
BEGIN
    -- planned for this horizon each time (a one-off plan, cheap to make):
    -- a plan kept for any horizon checked a scoped reader's row security
    -- against every case of the city at once (250 ms a read), where this
    -- one checks the few events past the horizon, one by one
    EXECUTE 'SELECT array_agg(e.id ORDER BY e.id), array_agg(e.case_id ORDER BY e.id),
                    array_agg(e.kind ORDER BY e.id), array_agg(e.xid ORDER BY e.id)
               FROM events e
              WHERE e.xid >= $1'
       INTO ids, case_ids, kinds, xids
      USING p_horizon;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT ev.id, ev.case_id, ev.kind, c.ref, c.priority, ev.xid::text,
           pg_snapshot_xmin(pg_current_snapshot())::text, r.id IS NOT NULL, r.*
      FROM unnest(ids, case_ids, kinds, xids) AS ev(id, case_id, kind, xid)
      JOIN cases c ON c.id = ev.case_id
      LEFT JOIN gd__queue_rows(ARRAY(
                SELECT DISTINCT s.id
                  FROM gd__filter(p_status, p_district, NULL, p_category, NULL, NULL, p_priority,
                                  NULL, p_text) f
                 CROSS JOIN unnest(case_ids) AS changed(id)
                  JOIN cases s ON s.id = changed.id
                 WHERE gd__in_queue(s, f.statuses, f.district, f.category, f.priority, f.pattern)),
                ARRAY(SELECT DISTINCT n.id FROM unnest(case_ids, kinds) AS n(id, kind)
                       WHERE n.kind = 'reported' LIMIT 20)) r
        ON r.id = ev.case_id
     ORDER BY ev.id;
END
$$;

-- The console's channel, listened to instead of any other, and its name:
-- the login's scope, which no filter widens; else the district the console
-- is filtered to; else the whole city (gd__channel). The console reads past
-- its watermark after this commits, so nothing falls between two channels.
CREATE OR REPLACE FUNCTION gd_feed_listen(p_district text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
    channel text := gd__channel(coalesce(gd__my_scope(),
        (gd__filter(NULL, p_district, NULL, NULL, NULL, NULL, NULL, NULL, NULL)).district));
BEGIN
    UNLISTEN *;
    EXECUTE format('LISTEN %I', channel);
    RETURN channel;
END
$$;

-- who is at the console, and what they may do
CREATE OR REPLACE FUNCTION gd_whoami(OUT role text, OUT may_write boolean, OUT may_see_phone boolean)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE
               WHEN pg_has_role(session_user, 'griddesk_admin', 'USAGE') THEN 'admin'
               WHEN pg_has_role(session_user, 'griddesk_operator', 'USAGE') THEN 'operator'
               WHEN pg_has_role(session_user, 'griddesk_dept', 'USAGE') THEN 'dept'
               ELSE 'viewer'
           END,
           pg_has_role(session_user, 'griddesk_operator', 'USAGE')
               OR pg_has_role(session_user, 'griddesk_dept', 'USAGE'),
           gd_may_see_phone();
END;
