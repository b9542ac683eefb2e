-- Bulk edits: many cases in one transaction, one event per case, and one
-- notification for the lot (events_notify is per statement).

-- the states each bulk action may change a case from
CREATE OR REPLACE FUNCTION gd__bulk_allowed(p_action text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
    RETURN CASE p_action
        WHEN 'assign' THEN ARRAY['new', 'returned']
        WHEN 'reassign' THEN ARRAY['dispatched', 'accepted', 'on_site']
        WHEN 'close' THEN ARRAY['resolved']
        WHEN 'cancel' THEN ARRAY['new', 'returned']
        WHEN 'priority' THEN ARRAY['new', 'returned', 'dispatched', 'accepted', 'on_site']
    END;
END
$$;

-- What a bulk edit would change: the cases matching the filters that the
-- action applies to, with the versions seen now, so that gd_bulk_apply can
-- leave alone any case someone changes in the meantime. "others" counts the
-- cases the filters match but the action does not apply to.
CREATE OR REPLACE FUNCTION gd_bulk_plan(p_action text, p_status text DEFAULT NULL,
                             p_district text DEFAULT NULL, p_grid text DEFAULT NULL,
                             p_category text DEFAULT NULL, p_department text DEFAULT NULL,
                             p_mediator text DEFAULT NULL, p_priority text DEFAULT NULL,
                             p_older_than text DEFAULT NULL, p_new_priority int DEFAULT NULL,
                             OUT cases int, OUT others int, OUT ids bigint[], OUT versions int[])
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    f record := gd__filter(p_status, p_district, p_grid, p_category, p_department,
                           p_mediator, p_priority, p_older_than, NULL);
    allowed text[] := gd__bulk_allowed(p_action);
BEGIN
    IF allowed IS NULL THEN
        RAISE EXCEPTION 'unknown bulk action "%": one of assign, reassign, close, cancel, priority',
            p_action USING ERRCODE = 'GDV01';
    END IF;
    SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok),
           coalesce(array_agg(id ORDER BY id) FILTER (WHERE ok), '{}'),
           coalesce(array_agg(version ORDER BY id) FILTER (WHERE ok), '{}')
      INTO cases, others, ids, versions
      FROM (SELECT c.id, c.version,
                   c.status = ANY (allowed)
                   AND (p_action <> 'priority' OR c.priority IS DISTINCT FROM p_new_priority)
                   AND (p_action <> 'close' OR NOT gd__parts_open(c.id)) AS ok
              FROM gd__filtered_cases(f.statuses, f.district, f.grid, f.category,
                                      f.department, f.mediator, f.priority, f.older) c) m;
END
$$;

CREATE OR REPLACE FUNCTION gd__prio_factor(p int) RETURNS numeric
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE p WHEN 1 THEN 0.5 WHEN 2 THEN 0.75 WHEN 3 THEN 1.0 ELSE 1.5 END;
END;

-- Rows of a bulk edit, set-based; auto mediators call these one case at a
-- time so each choice sees the loads the previous ones added.
CREATE OR REPLACE FUNCTION gd__bulk_dispatch(p_ids bigint[], p_meds int[], p_department int) RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    UPDATE cases c SET status = 'dispatched', department_id = p_department,
           mediator_id = t.med, outcome = NULL, version = c.version + 1,
           stage_since = now(), updated_at = now(), updated_by = session_user,
           dispatched_at = now()
      FROM unnest(p_ids, p_meds) AS t(id, med)
     WHERE c.id = t.id;
END;

CREATE OR REPLACE FUNCTION gd__bulk_remediate(p_ids bigint[], p_meds int[]) RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    UPDATE cases c SET mediator_id = t.med, version = c.version + 1,
           updated_at = now(), updated_by = session_user
      FROM unnest(p_ids, p_meds) AS t(id, med)
     WHERE c.id = t.id;
END;

-- Apply a planned bulk edit. Cases are locked in id order; a case whose
-- version moved since the plan, or that the action no longer applies to, is
-- left as it is and named in "left". Returns how many changed.
CREATE OR REPLACE FUNCTION gd__bulk_apply(p_action text, p_ids bigint[], p_versions int[],
                              p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                              p_reason text DEFAULT NULL, p_priority int DEFAULT NULL,
                              OUT changed int, OUT "left" text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    allowed text[] := gd__bulk_allowed(p_action);
    dept departments;
    med staff;
    auto boolean := lower(btrim(coalesce(p_mediator, ''))) = 'auto';
    why text;
    ids bigint[];
    refs text[];
    froms text[];
    vers int[];
    old_meds int[];
    old_prios int[];
    new_meds int[];
    done boolean[];
    pick int;
BEGIN
    IF allowed IS NULL THEN
        RAISE EXCEPTION 'unknown bulk action "%": one of assign, reassign, close, cancel, priority',
            p_action USING ERRCODE = 'GDV01';
    END IF;
    IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_versions) THEN
        RAISE EXCEPTION 'ids and versions differ in number' USING ERRCODE = 'GDV01';
    END IF;
    IF p_action = 'assign' THEN
        SELECT * INTO dept FROM departments WHERE id = gd_department_id(p_department);
    END IF;
    IF p_action = 'reassign' AND nullif(btrim(coalesce(p_mediator, '')), '') IS NULL THEN
        RAISE EXCEPTION 'reassign needs a mediator: a staff id or auto' USING ERRCODE = 'GDV01';
    END IF;
    IF p_action IN ('assign', 'reassign') AND NOT auto AND nullif(btrim(coalesce(p_mediator, '')), '') IS NOT NULL THEN
        IF p_mediator !~ '^\s*[0-9]{1,9}\s*$' THEN
            RAISE EXCEPTION 'mediator "%" is not a staff id or auto', p_mediator USING ERRCODE = 'GDV01';
        END IF;
        SELECT * INTO med FROM staff WHERE id = p_mediator::int;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown mediator %: no such staff id', btrim(p_mediator) USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    IF p_action = 'cancel' THEN
        why := gd__text(p_reason, 'reason', 2000);
    END IF;
    IF p_action = 'priority' AND (p_priority IS NULL OR p_priority NOT BETWEEN 1 AND 4) THEN
        RAISE EXCEPTION 'priority % is out of range: 1 (urgent) to 4', p_priority USING ERRCODE = 'GDV01';
    END IF;

    -- one pass locks the cases in id order (two edits cannot deadlock) and
    -- reads them as they are once locked: the ones to change, and why the
    -- others are left
    WITH locked AS (
        SELECT c.id, c.ref, c.status, c.version, c.mediator_id, c.priority, c.updated_by,
               c.updated_at,
               c.version = t.v AND c.status = ANY (allowed)
                   AND NOT (p_action = 'priority' AND c.priority = p_priority) AS fits,
               p_action = 'close' AND gd__parts_open(c.id) AS parts_open
          FROM cases c JOIN unnest(p_ids, p_versions) AS t(id, v) ON c.id = t.id
         ORDER BY c.id
           FOR UPDATE OF c),
    judged AS (SELECT l.*, l.fits AND NOT l.parts_open AS to_change FROM locked l)
    SELECT coalesce(array_agg(CASE WHEN l.fits AND l.parts_open
                                   THEN format('%s has assisting parts still open', l.ref)
                                   ELSE format('%s was changed by %s at %s; it is now %s, version %s',
                                               l.ref, l.updated_by,
                                               to_char(l.updated_at, 'HH24:MI'), l.status, l.version) END
                              ORDER BY l.id) FILTER (WHERE NOT l.to_change), '{}'),
           array_agg(l.id ORDER BY l.id) FILTER (WHERE l.to_change),
           array_agg(l.ref ORDER BY l.id) FILTER (WHERE l.to_change),
           array_agg(l.status ORDER BY l.id) FILTER (WHERE l.to_change),
           array_agg(l.version ORDER BY l.id) FILTER (WHERE l.to_change),
           array_agg(l.mediator_id ORDER BY l.id) FILTER (WHERE l.to_change),
           array_agg(l.priority::int ORDER BY l.id) FILTER (WHERE l.to_change)
      INTO "left", ids, refs, froms, vers, old_meds, old_prios
      FROM judged l;
    changed := 0;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    done := array_fill(true, ARRAY[cardinality(ids)]);
    new_meds := array_fill(med.id, ARRAY[cardinality(ids)]);

    IF p_action IN ('assign', 'reassign') AND auto THEN
        FOR i IN 1 .. cardinality(ids) LOOP
            SELECT s.staff_id INTO pick FROM gd_suggest_mediators(refs[i], 3) s
             WHERE s.staff_id IS DISTINCT FROM old_meds[i] ORDER BY s.rank LIMIT 1;
            IF pick IS NULL THEN
                done[i] := false;
                "left" := "left" || format('%s: no qualified mediator on duty with room nearby', refs[i]);
                CONTINUE;
            END IF;
            new_meds[i] := pick;
            IF p_action = 'assign' THEN
                PERFORM gd__bulk_dispatch(ARRAY[ids[i]], ARRAY[pick], dept.id);
            ELSE
                PERFORM gd__bulk_remediate(ARRAY[ids[i]], ARRAY[pick]);
            END IF;
        END LOOP;
    ELSIF p_action = 'assign' THEN
        PERFORM gd__bulk_dispatch(ids, new_meds, dept.id);
    ELSIF p_action = 'reassign' THEN
        PERFORM gd__bulk_remediate(ids, new_meds);
    ELSIF p_action IN ('close', 'cancel') THEN
        UPDATE cases c SET status = CASE p_action WHEN 'close' THEN 'closed' ELSE 'cancelled' END,
               version = c.version + 1, stage_since = now(), updated_at = now(),
               updated_by = session_user,
               closed_at = CASE WHEN p_action = 'close' THEN now() ELSE c.closed_at END,
               cancelled_at = CASE WHEN p_action = 'cancel' THEN now() ELSE c.cancelled_at END
         WHERE c.id = ANY (ids);
    ELSE
        -- the deadlines scale with the priority, whatever time they ran from
        UPDATE cases c SET priority = p_priority,
               accept_by = c.accept_by + k.accept_within * (gd__prio_factor(p_priority) - gd__prio_factor(c.priority)),
               onsite_by = c.onsite_by + k.onsite_within * (gd__prio_factor(p_priority) - gd__prio_factor(c.priority)),
               resolve_by = c.resolve_by + k.resolve_within * (gd__prio_factor(p_priority) - gd__prio_factor(c.priority)),
               version = c.version + 1, updated_at = now(), updated_by = session_user
          FROM categories k
         WHERE k.code = c.category AND c.id = ANY (ids);
    END IF;

    -- one statement, so one notification for the whole edit
    INSERT INTO events (case_id, kind, data)
    SELECT t.id,
           CASE p_action WHEN 'assign' THEN 'dispatched' WHEN 'reassign' THEN 'reassigned'
                         WHEN 'close' THEN 'closed' WHEN 'cancel' THEN 'cancelled'
                         ELSE 'priority' END,
           jsonb_strip_nulls(jsonb_build_object(
               'from', CASE WHEN p_action IN ('assign', 'close', 'cancel') THEN t.st END,
               'to', CASE p_action WHEN 'assign' THEN 'dispatched' WHEN 'close' THEN 'closed'
                                   WHEN 'cancel' THEN 'cancelled' END,
               'version', t.v + 1,
               'department', CASE WHEN p_action = 'assign' THEN dept.code END,
               'mediator', CASE WHEN p_action IN ('assign', 'reassign') THEN t.nm END,
               'mediator_name', s.name,
               'from_mediator', CASE WHEN p_action = 'reassign' THEN t.om END,
               'from_priority', CASE WHEN p_action = 'priority' THEN t.op END,
               'priority', CASE WHEN p_action = 'priority' THEN p_priority END,
               'reason', why,
               'bulk', true))
      FROM unnest(ids, froms, vers, old_meds, old_prios, new_meds, done)
               AS t(id, st, v, om, op, nm, ok)
      LEFT JOIN staff s ON s.id = t.nm AND p_action IN ('assign', 'reassign')
     WHERE t.ok;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF p_action IN ('close', 'cancel') THEN
        -- as gd_cancel does: nothing is left for an assisting department
        PERFORM gd__part_step(c.ref, NULL, d.code, 'release', why)
           FROM case_parts p JOIN cases c ON c.id = p.case_id JOIN departments d ON d.id = p.department_id
          WHERE p_action = 'cancel' AND p.case_id = ANY (ids)
            AND p.status IN ('dispatched', 'accepted', 'on_site')
          ORDER BY p.case_id, d.code;
        -- and the reports merged into these cases hear how they ended
        PERFORM gd__follow(c, CASE p_action WHEN 'close' THEN 'closed' ELSE 'cancelled' END,
                           jsonb_strip_nulls(jsonb_build_object('reason', why)))
           FROM cases c
          WHERE c.id = ANY (ids) AND EXISTS (SELECT FROM cases m WHERE m.merged_into = c.id)
          ORDER BY c.id;
    END IF;
END
$$;

-- A bulk edit touches only cases the caller may see: any other id is, as
-- for a reader outside the scope, no case at all. An id given twice counts
-- once.
CREATE OR REPLACE FUNCTION gd_bulk_apply(p_action text, p_ids bigint[], p_versions int[],
                              p_department text DEFAULT NULL, p_mediator text DEFAULT NULL,
                              p_reason text DEFAULT NULL, p_priority int DEFAULT NULL,
                              OUT changed int, OUT "left" text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    ids bigint[];
    versions int[];
    unseen text[];
BEGIN
    IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_versions) THEN
        RAISE EXCEPTION 'ids and versions differ in number' USING ERRCODE = 'GDV01';
    END IF;
    SELECT coalesce(array_agg(t.id ORDER BY t.n) FILTER (WHERE seen), '{}'),
           coalesce(array_agg(t.v ORDER BY t.n) FILTER (WHERE seen), '{}'),
           coalesce(array_agg(format('case id %s: no such case', t.id) ORDER BY t.n)
                    FILTER (WHERE NOT seen), '{}')
      INTO ids, versions, unseen
      FROM (SELECT DISTINCT ON (t.id) t.*, c.id IS NOT NULL AS seen
              FROM unnest(p_ids, p_versions) WITH ORDINALITY AS t(id, v, n)
              -- the ids' own cases, and the scope asked only of a scoped caller:
              -- as a subquery a row it was asked of every case in the city
              LEFT JOIN cases c ON c.id = t.id
                               AND (scope IS NULL OR gd__grid_in_scope(c.grid_id, scope))
             ORDER BY t.id, t.n) t;
    SELECT a.changed, unseen || a."left" INTO changed, "left"
      FROM gd__bulk_apply(p_action, ids, versions, p_department, p_mediator, p_reason,
                          p_priority) a;
END
$$;
