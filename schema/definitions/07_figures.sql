-- Supervision: deadlines that passed, and the figures the centre is judged
-- by. What happened in a period is read from the event log, where nothing
-- moves, so a past period's figures never change when a case moves again.
-- Today, this week and every date a person types mean the centre's
-- calendar (settings.timezone), whatever the operator's zone.
-- man/griddesk.7 (FIGURES) defines each figure; gd_stats computes them.

-- Write one "overdue" event for each case whose current stage's deadline
-- has passed and has not been marked yet: once per case, stage and deadline
-- (two stages whose deadlines coincide are two misses), whoever runs the
-- clock and however often (gridctl deadlines). One statement, so one
-- notification however many cases fall due together. The clock marks what
-- the caller may see, and locks each case it marks, as every other writer
-- of events does, so a case's chain follows the order of its event ids. A
-- case someone is changing right now is marked on the next tick.
CREATE OR REPLACE FUNCTION gd_mark_overdue() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    n int;
    parts int;
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
                        WHERE e.case_id = d.id AND e.kind = 'overdue' AND NOT e.data ? 'part'
                          AND e.data ->> 'stage' = d.stage
                          AND (e.data ->> 'due_at')::timestamptz = d.due_at)
     ORDER BY d.due_at, d.id;
    GET DIAGNOSTICS n = ROW_COUNT;
    -- an assisting department late with its own part (联办) is marked the
    -- same way, once per part, stage and deadline, under its own name
    WITH due AS (
        SELECT p.case_id, p.status, p.due_at, c.version, dep.code AS department,
               CASE p.status WHEN 'accepted' THEN 'on_site' WHEN 'on_site' THEN 'feedback'
                             ELSE 'accept' END AS stage
          FROM case_parts p
          JOIN cases c ON c.id = p.case_id
          JOIN departments dep ON dep.id = p.department_id
         WHERE p.due_at < now()
           AND c.status NOT IN ('closed', 'cancelled', 'merged')
           AND gd__grid_in_scope(c.grid_id, scope)
         ORDER BY p.case_id
           FOR UPDATE OF c SKIP LOCKED)
    INSERT INTO events (case_id, kind, data)
    SELECT d.case_id, 'overdue',
           jsonb_build_object('status', d.status, 'due_at', d.due_at, 'version', d.version,
                              'stage', d.stage, 'department', d.department, 'part', true)
      FROM due d
     WHERE NOT EXISTS (SELECT FROM events e
                        WHERE e.case_id = d.case_id AND e.kind = 'overdue'
                          AND e.data ->> 'department' = d.department AND e.data ? 'part'
                          AND e.data ->> 'stage' = d.stage
                          AND (e.data ->> 'due_at')::timestamptz = d.due_at)
     ORDER BY d.due_at, d.case_id, d.department;
    GET DIAGNOSTICS parts = ROW_COUNT;
    RETURN n + parts;
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
--   * overdue_now is the open cases past their stage's deadline now;
--   * an incident counts once: a report merged into another case (并案) is
--     counted as reported and as merged, and never falls due of its own;
--   * by department, an assisting department's part (联办) is overdue,
--     falls due and is resolved in time in that department's own row, by
--     its own deadlines (its feedback resolves it).
-- Its columns grew (merged): made anew, as no SQL-standard body names it.
DROP FUNCTION IF EXISTS gd_stats(text, timestamptz, timestamptz);
CREATE FUNCTION gd_stats(p_by text DEFAULT 'district', p_since timestamptz DEFAULT NULL,
                         p_until timestamptz DEFAULT NULL)
RETURNS TABLE (key text, name text, reported bigint, dispatched bigint, resolved bigint,
               closed bigint, overdue_now bigint, median_accept_min numeric,
               median_onsite_min numeric, onsite_in_time_pct numeric, fell_due bigint,
               resolved_in_time bigint, resolution_rate_pct numeric,
               resolved_of_finished_pct numeric, reopened bigint, cancelled bigint,
               merged bigint)
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
                          'resolved', 'closed', 'cancelled', 'merged')
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
               c.resolve_by >= since AND c.resolve_by < until AND c.status NOT IN ('cancelled', 'merged') AS fell_due,
               c.resolve_by >= since AND c.resolve_by < until
                   AND c.status IN ('resolved', 'closed') AND c.resolved_at <= c.resolve_by AS in_time
          FROM cases c
          JOIN areas d ON d.id = c.district_id
          LEFT JOIN departments dep ON dep.id = c.department_id
         WHERE (c.status NOT IN ('closed', 'cancelled', 'resolved') AND c.due_at < now())
            OR (c.resolve_by >= since AND c.resolve_by < until)
        UNION ALL
        -- by department, each assisting department's part counts in its
        -- own row against its own deadlines: late is late, and its
        -- feedback by its resolve deadline is its resolution in time
        SELECT dep.code,
               p.due_at < now(),
               p.resolve_by >= since AND p.resolve_by < until AND p.status <> 'released',
               p.resolve_by >= since AND p.resolve_by < until
                   AND p.status = 'fed_back' AND p.feedback_at <= p.resolve_by
          FROM case_parts p
          JOIN departments dep ON dep.id = p.department_id
         WHERE p_by = 'department'
           AND (p.due_at < now() OR (p.resolve_by >= since AND p.resolve_by < until))
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
               count(*) FILTER (WHERE r.what = 'cancelled') AS cancelled,
               count(*) FILTER (WHERE r.what = 'merged') AS merged
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
           f.reopened, f.cancelled, f.merged
      FROM figures f
     ORDER BY f.city, f.k;
END
$$;

-- A time a person typed, read in the centre's calendar: "2026-12-01" is
-- midnight in the centre, whatever zone the session shows times in. A time
-- with its own offset keeps it.
CREATE OR REPLACE FUNCTION gd_centre_time(p text) RETURNS timestamptz
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
CREATE OR REPLACE FUNCTION gd_centre_start(p_unit text) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF p_unit NOT IN ('day', 'week') THEN
        RAISE EXCEPTION 'unknown period "%": day or week', p_unit USING ERRCODE = 'GDV01';
    END IF;
    RETURN date_trunc(p_unit, now(), (SELECT s.value FROM settings s WHERE s.key = 'timezone'));
END
$$;
