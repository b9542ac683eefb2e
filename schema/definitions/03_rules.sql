-- The state machine. Every change is one call of one of these functions: it
-- checks the version the caller saw and the transition, writes the case and
-- its event in the caller's transaction, and refuses anything else.
--
-- SQLSTATEs the clients read (gridctl exits 1 on these):
--   GDN01 not found   GDS01 stale version   GDT01 transition refused
--   GDV01 bad value   GDA01 append-only log

-- resolvers: a code or an exact Chinese name, never a guess
CREATE OR REPLACE FUNCTION gd_area_id(p_name text, p_level text) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    ids int[];
    codes text[];
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION '% is empty', p_level USING ERRCODE = 'GDV01';
    END IF;
    -- a code, as every program that reports sends it: one probe of the
    -- unique index. No name may be another area's code
    -- (gd__reference_rules), so a code that matches is the only match.
    SELECT array_agg(id) INTO ids FROM areas WHERE code = p_name AND level = p_level;
    IF ids IS NOT NULL THEN
        RETURN ids[1];
    END IF;
    SELECT array_agg(id ORDER BY code), array_agg(code ORDER BY code) INTO ids, codes
      FROM areas
     WHERE level = p_level AND (code = p_name OR code = upper(p_name) OR name = p_name);
    IF ids IS NULL THEN
        RAISE EXCEPTION 'unknown % "%": no such code or name', p_level, p_name
            USING ERRCODE = 'GDV01';
    END IF;
    IF cardinality(ids) > 1 THEN
        RAISE EXCEPTION '% name "%" is ambiguous: use one of the codes %', p_level, p_name,
            array_to_string(codes[1:5], ', ') USING ERRCODE = 'GDV01';
    END IF;
    RETURN ids[1];
END
$$;

CREATE OR REPLACE FUNCTION gd_category_code(p_name text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    found text;
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION 'category is empty' USING ERRCODE = 'GDV01';
    END IF;
    SELECT code INTO found FROM categories WHERE code = lower(p_name) OR name = p_name;
    IF found IS NULL THEN
        RAISE EXCEPTION 'unknown category "%": no such code or name', p_name
            USING ERRCODE = 'GDV01';
    END IF;
    RETURN found;
END
$$;

CREATE OR REPLACE FUNCTION gd_department_id(p_name text) RETURNS int
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    ids int[];
    codes text[];
BEGIN
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION 'department is empty' USING ERRCODE = 'GDV01';
    END IF;
    SELECT array_agg(id ORDER BY code), array_agg(code ORDER BY code) INTO ids, codes
      FROM departments
     WHERE code = p_name OR code = upper(p_name) OR name = p_name;
    IF ids IS NULL THEN
        RAISE EXCEPTION 'unknown department "%": no such code or name', p_name
            USING ERRCODE = 'GDV01';
    END IF;
    IF cardinality(ids) > 1 THEN
        RAISE EXCEPTION 'department name "%" is ambiguous: use one of the codes %', p_name,
            array_to_string(codes[1:5], ', ') USING ERRCODE = 'GDV01';
    END IF;
    RETURN ids[1];
END
$$;

CREATE OR REPLACE FUNCTION gd_statuses(p_list text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    wanted text[];
    bad text;
BEGIN
    IF p_list IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(DISTINCT lower(btrim(s))) INTO wanted
      FROM unnest(string_to_array(p_list, ',')) s WHERE btrim(s) <> '';
    SELECT s INTO bad FROM unnest(wanted) s
     WHERE s <> ALL (ARRAY['new', 'dispatched', 'accepted', 'on_site', 'resolved',
                           'closed', 'returned', 'cancelled', 'merged', 'open'])
     LIMIT 1;
    IF wanted IS NULL OR bad IS NOT NULL THEN
        RAISE EXCEPTION 'unknown status "%": one of new, dispatched, accepted, on_site, resolved, closed, returned, cancelled, merged, open',
            coalesce(bad, p_list) USING ERRCODE = 'GDV01';
    END IF;
    -- "open" is every state a case can still move out of towards closure
    IF 'open' = ANY (wanted) THEN
        wanted := wanted || ARRAY['new', 'dispatched', 'accepted', 'on_site', 'resolved', 'returned'];
    END IF;
    RETURN wanted;
END
$$;

-- personal data
CREATE OR REPLACE FUNCTION gd_may_see_phone() RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT pg_has_role(session_user, 'griddesk_operator', 'USAGE')
        OR pg_has_role(session_user, 'griddesk_dept', 'USAGE');
END;

CREATE OR REPLACE FUNCTION gd_mask_phone(p_phone text) RETURNS text
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE
        WHEN p_phone IS NULL OR p_phone = '' THEN p_phone
        WHEN gd_may_see_phone() THEN p_phone
        WHEN length(p_phone) >= 8 THEN left(p_phone, 3) || '****' || right(p_phone, 4)
        ELSE '****'
    END;
END;

-- The view masks phones, so it reads as its owner; it applies the scope
-- itself, and security_barrier keeps a caller's function from seeing the
-- rows it filters out.
CREATE OR REPLACE VIEW reporter_contacts WITH (security_barrier) AS
    SELECT r.id, r.kind, r.name, gd_mask_phone(r.phone) AS phone
      FROM reporters r
     WHERE (SELECT gd__my_scope()) IS NULL
        OR EXISTS (SELECT FROM areas a
                    WHERE a.id = r.grid_id AND (SELECT gd__my_scope()) = ANY (a.path));

CREATE OR REPLACE VIEW staff_contacts AS
    SELECT id, name, gd_mask_phone(phone) AS phone FROM staff;

-- deadlines: urgent cases get half the time, low-priority ones half again more.
-- Stable, not immutable: adding an interval to a time depends on the time
-- zone; declared immutable, the planner refused to inline it, and a
-- million-row import called it three million times as a function.
CREATE OR REPLACE FUNCTION gd__deadline(p_from timestamptz, p_within interval, p_priority int)
RETURNS timestamptz LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT p_from + p_within * CASE p_priority WHEN 1 THEN 0.5 WHEN 2 THEN 0.75
                                               WHEN 3 THEN 1.0 ELSE 1.5 END;
END;

-- JM-20261128-0042: the sequence runs in a range of its own each day
-- (day number x 10,000,000), and the first report of a day moves it there.
-- nextval never waits for another transaction, so one slow writer cannot
-- hold up the city's reports; the advisory lock only covers the move, and
-- is released at once, not at commit.
CREATE OR REPLACE FUNCTION gd__ref_base(p_day date) RETURNS bigint
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT (p_day - date '2000-01-01')::bigint * 10000000;
END;

-- JM-20261128-0042; a day's 10,000th case is JM-20261128-10000.
-- This and gd__today are on every report's path and read a setting: in
-- PL/pgSQL the read is planned once a session, where an SQL function with
-- a subquery cannot be inlined and was planned afresh on every call
-- (0.17 ms of a report).
CREATE OR REPLACE FUNCTION gd__ref(p_day date, p_n bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (SELECT value FROM settings WHERE key = 'city_prefix') || '-'
           || to_char(p_day, 'YYYYMMDD') || '-'
           || CASE WHEN p_n < 10000 THEN lpad(p_n::text, 4, '0') ELSE p_n::text END;
END
$$;

CREATE OR REPLACE FUNCTION gd__next_ref(p_day date) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    base bigint := gd__ref_base(p_day);
    n bigint := nextval('case_ref_seq');
BEGIN
    IF n <= base THEN
        PERFORM pg_advisory_lock(hashtext('griddesk.ref_day'));
        IF (SELECT last_value FROM case_ref_seq) < base THEN
            PERFORM setval('case_ref_seq', base);
        END IF;
        PERFORM pg_advisory_unlock(hashtext('griddesk.ref_day'));
        n := nextval('case_ref_seq');
    END IF;
    RETURN gd__ref(p_day, n - base);
END
$$;

CREATE OR REPLACE FUNCTION gd__today() RETURNS date
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    RETURN (now() AT TIME ZONE (SELECT value FROM settings WHERE key = 'timezone'))::date;
END
$$;

CREATE OR REPLACE FUNCTION gd__text(p_value text, p_what text, p_max int) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF p_value IS NULL OR btrim(p_value) = '' THEN
        RAISE EXCEPTION '% is empty', p_what USING ERRCODE = 'GDV01';
    END IF;
    IF length(p_value) > p_max THEN
        RAISE EXCEPTION '% is too long: % characters, at most %', p_what, length(p_value), p_max
            USING ERRCODE = 'GDV01';
    END IF;
    RETURN btrim(p_value);
END
$$;

-- the whistle
CREATE OR REPLACE FUNCTION gd_report(
    p_grid text, p_category text, p_title text,
    p_description text DEFAULT '', p_priority int DEFAULT 3, p_location text DEFAULT '',
    p_lat double precision DEFAULT NULL, p_lon double precision DEFAULT NULL,
    p_reporter_kind text DEFAULT NULL, p_reporter_name text DEFAULT NULL,
    p_reporter_phone text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    grid areas;
    cat categories;
    grid_id int := gd_area_id(p_grid, 'grid');
    cat_code text := gd_category_code(p_category);
    reporter bigint;
    new_ref text;
    new_id bigint;
    t timestamptz := now();
    prio int := coalesce(p_priority, 3);
BEGIN
    SELECT * INTO grid FROM areas WHERE id = grid_id;
    SELECT * INTO cat FROM categories WHERE code = cat_code;
    PERFORM gd__text(p_title, 'title', 200);
    IF prio NOT BETWEEN 1 AND 4 THEN
        RAISE EXCEPTION 'priority % is out of range: 1 (urgent) to 4', prio USING ERRCODE = 'GDV01';
    END IF;
    IF (p_lat IS NULL) <> (p_lon IS NULL) THEN
        RAISE EXCEPTION 'lat and lon go together: give both or neither' USING ERRCODE = 'GDV01';
    END IF;
    IF p_lat NOT BETWEEN -90 AND 90 OR p_lon NOT BETWEEN -180 AND 180 THEN
        RAISE EXCEPTION 'position %, % is not on Earth', p_lat, p_lon USING ERRCODE = 'GDV01';
    END IF;
    IF p_reporter_phone IS NOT NULL AND p_reporter_phone !~ '^\+?[0-9][0-9 -]{4,19}$' THEN
        RAISE EXCEPTION 'reporter phone "%" is not a phone number', p_reporter_phone
            USING ERRCODE = 'GDV01';
    END IF;
    IF p_reporter_kind IS NOT NULL OR p_reporter_name IS NOT NULL OR p_reporter_phone IS NOT NULL THEN
        IF coalesce(p_reporter_kind, 'other') NOT IN ('grid_worker', 'party_member',
                'village_leader', 'auxiliary_police', 'volunteer', 'courier',
                'ride_hailing', 'resident', 'other') THEN
            RAISE EXCEPTION 'unknown reporter kind "%": one of grid_worker, party_member, village_leader, auxiliary_police, volunteer, courier, ride_hailing, resident, other',
                p_reporter_kind USING ERRCODE = 'GDV01';
        END IF;
        INSERT INTO reporters (kind, name, phone, grid_id)
        VALUES (coalesce(p_reporter_kind, 'other'), coalesce(btrim(p_reporter_name), ''),
                coalesce(regexp_replace(p_reporter_phone, '[ -]', '', 'g'), ''), grid.id)
        RETURNING id INTO reporter;
    END IF;

    new_ref := gd__next_ref(gd__today());
    INSERT INTO cases (ref, title, description, category, priority, grid_id, district_id,
                       location, lat, lon, reporter_id, reported_at, stage_since, updated_at,
                       accept_by, onsite_by, resolve_by)
    VALUES (new_ref, btrim(p_title), coalesce(p_description, ''), cat.code, prio, grid.id,
            grid.path[2], coalesce(btrim(p_location), ''),
            coalesce(p_lat, grid.lat), coalesce(p_lon, grid.lon), reporter, t, t, t,
            gd__deadline(t, cat.accept_within, prio), gd__deadline(t, cat.onsite_within, prio),
            gd__deadline(t, cat.resolve_within, prio))
    RETURNING id INTO new_id;
    INSERT INTO events (case_id, kind, data)
    VALUES (new_id, 'reported', jsonb_build_object('to', 'new', 'version', 1,
            'priority', prio, 'category', cat.code, 'grid', grid.code));
    RETURN new_ref;
END
$$;

-- The rules functions lock a case as the owner, past the policies: the
-- scope is checked here, and a case outside it is "no case", as a reader
-- outside the scope would find.
CREATE OR REPLACE FUNCTION gd__lock(p_ref text, p_version int) RETURNS cases
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    c cases;
BEGIN
    SELECT * INTO c FROM cases WHERE ref = upper(btrim(p_ref)) FOR UPDATE;
    IF NOT FOUND OR NOT gd__grid_in_scope(c.grid_id, gd__my_scope()) THEN
        RAISE EXCEPTION 'no case "%"', p_ref USING ERRCODE = 'GDN01';
    END IF;
    PERFORM gd__seen(c, p_version);
    RETURN c;
END
$$;

-- the version the caller acted on is the case's now (NULL: whatever it is)
CREATE OR REPLACE FUNCTION gd__seen(c cases, p_version int) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF p_version IS NOT NULL AND c.version <> p_version THEN
        RAISE EXCEPTION 'case % was changed by % at %; reload', c.ref, c.updated_by,
            to_char(c.updated_at AT TIME ZONE current_setting('TimeZone'), 'HH24:MI')
            USING ERRCODE = 'GDS01',
                  DETAIL = format('you acted on version %s; it is now version %s (%s)',
                                  p_version, c.version, c.status);
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION gd__refuse(c cases, p_action text, p_allowed text[]) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF c.status <> ALL (p_allowed) THEN
        RAISE EXCEPTION 'case % is %: cannot %', c.ref, c.status, p_action
            USING ERRCODE = 'GDT01',
                  HINT = format('%s is allowed from %s', p_action, array_to_string(p_allowed, ', '));
    END IF;
END
$$;

-- Every transition says where the case stood when it happened: its
-- department and category (so a figure by department counts it where it
-- was, not where the case went later) and the deadline of the stage it
-- left (so "on site in time" is judged against the deadline of the day).
-- "department" is always there, null before any dispatch.
-- Move a locked case to p_to and log it; callers set their own extra columns first.
CREATE OR REPLACE FUNCTION gd__move(c cases, p_to text, p_kind text, p_data jsonb)
RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    t timestamptz := now();
BEGIN
    UPDATE cases SET
        status        = p_to,
        version       = version + 1,
        stage_since   = t,
        updated_at    = t,
        updated_by    = session_user,
        dispatched_at = CASE WHEN p_to = 'dispatched' THEN t ELSE dispatched_at END,
        accepted_at   = CASE WHEN p_to = 'accepted' THEN t ELSE accepted_at END,
        onsite_at     = CASE WHEN p_to = 'on_site' THEN t ELSE onsite_at END,
        resolved_at   = CASE WHEN p_to = 'resolved' THEN t ELSE resolved_at END,
        closed_at     = CASE WHEN p_to = 'closed' THEN t ELSE closed_at END,
        returned_at   = CASE WHEN p_to = 'returned' THEN t ELSE returned_at END,
        cancelled_at  = CASE WHEN p_to = 'cancelled' THEN t ELSE cancelled_at END
    WHERE id = c.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (c.id, p_kind,
            jsonb_build_object('from', c.status, 'to', p_to, 'version', c.version + 1,
                               'department', (SELECT d.code FROM departments d WHERE d.id = c.department_id),
                               'category', c.category)
            || CASE WHEN c.due_at IS NOT NULL THEN jsonb_build_object('due_at', c.due_at) ELSE '{}' END
            || coalesce(p_data, '{}'));
    IF p_kind IN ('resolved', 'closed', 'reopened', 'cancelled') THEN
        PERFORM gd__follow(c, p_kind, p_data);
    END IF;
    RETURN c.version + 1;
END
$$;

-- The reports merged into a case (and into those, as a chain) hear how it
-- ends: each gets a "followed" event of its own, so every reporter's
-- record says what came of the incident. They are locked in id order, as
-- every writer of events locks the case it writes to.
CREATE OR REPLACE FUNCTION gd__follow(c cases, p_kind text, p_data jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    ids bigint[];
BEGIN
    WITH RECURSIVE merged AS (
        SELECT m.id FROM cases m WHERE m.merged_into = c.id
        UNION
        SELECT m.id FROM cases m JOIN merged ON m.merged_into = merged.id
    )
    SELECT array_agg(id ORDER BY id) INTO ids FROM merged;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM 1 FROM cases WHERE id = ANY (ids) ORDER BY id FOR UPDATE;
    INSERT INTO events (case_id, kind, data)
    SELECT m.id, 'followed',
           jsonb_build_object('case', c.ref, 'what', p_kind, 'version', m.version)
           || jsonb_strip_nulls(jsonb_build_object('outcome', p_data ->> 'outcome',
                                                   'reason', p_data ->> 'reason'))
      FROM cases m WHERE m.id = ANY (ids) ORDER BY m.id;
END
$$;

-- transitions
CREATE OR REPLACE FUNCTION gd_assign(p_ref text, p_version int, p_department text,
                          p_mediator int DEFAULT NULL, p_note text DEFAULT NULL)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    dept departments;
    dept_id int;
    med staff;
BEGIN
    PERFORM gd__refuse(c, 'dispatch', ARRAY['new', 'returned']);
    dept_id := gd_department_id(p_department);
    SELECT * INTO dept FROM departments WHERE id = dept_id;
    IF EXISTS (SELECT FROM case_parts p WHERE p.case_id = c.id AND p.department_id = dept_id
                  AND p.status IN ('dispatched', 'accepted', 'on_site')) THEN
        RAISE EXCEPTION 'department % already assists with case %', dept.code, c.ref
            USING ERRCODE = 'GDV01',
                  HINT = format('release it first: gridctl release %s --department %s --reason TEXT',
                                c.ref, dept.code);
    END IF;
    IF p_mediator IS NOT NULL THEN
        SELECT * INTO med FROM staff WHERE id = p_mediator;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unknown mediator %: no such staff id', p_mediator USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    IF p_note IS NOT NULL THEN
        PERFORM gd__text(p_note, 'note', 2000);
    END IF;
    UPDATE cases SET department_id = dept.id, mediator_id = med.id, outcome = NULL WHERE id = c.id;
    RETURN gd__move(c, 'dispatched', 'dispatched',
        jsonb_strip_nulls(jsonb_build_object('department', dept.code, 'mediator', med.id,
                                             'mediator_name', med.name, 'note', btrim(p_note))));
END
$$;

-- A department's steps. A department whose district is not the case's
-- but assists with it (联办) takes the step for its own part: the same key
-- in the console, the same command, whoever leads.
CREATE OR REPLACE FUNCTION gd_accept(p_ref text, p_version int DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part text := gd__my_part(p_ref);
    c cases;
BEGIN
    IF part IS NOT NULL THEN
        RETURN gd__part_step(p_ref, p_version, part, 'accept', NULL);
    END IF;
    c := gd__lock(p_ref, p_version);
    PERFORM gd__refuse(c, 'accept', ARRAY['dispatched']);
    RETURN gd__move(c, 'accepted', 'accepted', NULL);
END
$$;

CREATE OR REPLACE FUNCTION gd_return(p_ref text, p_version int, p_reason text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    why text;
BEGIN
    PERFORM gd__refuse(c, 'return', ARRAY['dispatched', 'accepted']);
    why := gd__text(p_reason, 'reason', 2000);
    -- the centre re-dispatches: the mediator is released, the department kept
    -- so the queue can say who sent it back
    UPDATE cases SET mediator_id = NULL WHERE id = c.id;
    RETURN gd__move(c, 'returned', 'returned', jsonb_build_object('reason', why));
END
$$;

CREATE OR REPLACE FUNCTION gd_onsite(p_ref text, p_version int DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part text := gd__my_part(p_ref);
    c cases;
BEGIN
    IF part IS NOT NULL THEN
        RETURN gd__part_step(p_ref, p_version, part, 'onsite', NULL);
    END IF;
    c := gd__lock(p_ref, p_version);
    PERFORM gd__refuse(c, 'go on site', ARRAY['accepted']);
    RETURN gd__move(c, 'on_site', 'on_site', NULL);
END
$$;

CREATE OR REPLACE FUNCTION gd_resolve(p_ref text, p_version int, p_outcome text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    what text;
BEGIN
    PERFORM gd__refuse(c, 'resolve', ARRAY['on_site']);
    what := gd__text(p_outcome, 'outcome', 2000);
    UPDATE cases SET outcome = what WHERE id = c.id;
    RETURN gd__move(c, 'resolved', 'resolved', jsonb_build_object('outcome', what));
END
$$;

CREATE OR REPLACE FUNCTION gd_close(p_ref text, p_version int DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    open_parts text;
BEGIN
    PERFORM gd__refuse(c, 'close', ARRAY['resolved']);
    -- the lead resolved it; an assisting part still open keeps it open
    SELECT string_agg(d.code, ', ' ORDER BY d.code) INTO open_parts
      FROM case_parts p JOIN departments d ON d.id = p.department_id
     WHERE p.case_id = c.id AND p.status IN ('dispatched', 'accepted', 'on_site');
    IF open_parts IS NOT NULL THEN
        RAISE EXCEPTION 'case % has assisting parts still open: %', c.ref, open_parts
            USING ERRCODE = 'GDT01',
                  HINT = format('release each with gridctl release %s --department CODE --reason TEXT',
                                c.ref);
    END IF;
    RETURN gd__move(c, 'closed', 'closed', NULL);
END
$$;

CREATE OR REPLACE FUNCTION gd_reopen(p_ref text, p_version int, p_reason text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    cat categories;
    why text;
    t timestamptz := now();
BEGIN
    PERFORM gd__refuse(c, 'reopen', ARRAY['resolved', 'closed']);
    why := gd__text(p_reason, 'reason', 2000);
    SELECT * INTO cat FROM categories WHERE code = c.category;
    -- back to the department that had it, with fresh deadlines from now
    UPDATE cases SET outcome = NULL,
           accept_by = gd__deadline(t, cat.accept_within, c.priority),
           onsite_by = gd__deadline(t, cat.onsite_within, c.priority),
           resolve_by = gd__deadline(t, cat.resolve_within, c.priority)
     WHERE id = c.id;
    RETURN gd__move(c, 'dispatched', 'reopened', jsonb_build_object('reason', why));
END
$$;

CREATE OR REPLACE FUNCTION gd_cancel(p_ref text, p_version int, p_reason text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    why text;
BEGIN
    PERFORM gd__refuse(c, 'cancel', ARRAY['new', 'returned']);
    why := gd__text(p_reason, 'reason', 2000);
    -- nothing is left for an assisting department to do
    PERFORM gd__part_step(c.ref, NULL, d.code, 'release', why)
       FROM case_parts p JOIN departments d ON d.id = p.department_id
      WHERE p.case_id = c.id AND p.status IN ('dispatched', 'accepted', 'on_site')
      ORDER BY d.code;
    RETURN gd__move(c, 'cancelled', 'cancelled', jsonb_build_object('reason', why));
END
$$;

-- Many whistles, one incident (并案): a new, dispatched or returned case
-- goes into the case it reports again, at the versions the operator saw
-- of both. It takes the state "merged" and keeps its reporter, place and
-- words; the case it joins gets a "merged_in" event and keeps its version,
-- so nobody's pending action on it is refused. Into a case that is itself
-- merged, it goes to the end of that chain; a chain that would come back
-- to the case is refused. Both cases are locked in id order, so two
-- operators merging the same pair opposite ways cannot deadlock.
CREATE OR REPLACE FUNCTION gd_merge(p_ref text, p_version int, p_into text,
                                    p_into_version int DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    c cases;
    target cases;
    hops int := 0;
    reporter_kind text;
BEGIN
    IF gd__case_id_any(p_into) <= gd__case_id_any(p_ref) THEN
        target := gd__lock(p_into, p_into_version);
        c := gd__lock(p_ref, p_version);
    ELSE
        c := gd__lock(p_ref, p_version);
        target := gd__lock(p_into, p_into_version);
    END IF;
    PERFORM gd__refuse(c, 'merge', ARRAY['new', 'dispatched', 'returned']);
    WHILE target.status = 'merged' AND target.id <> c.id LOOP
        hops := hops + 1;
        IF hops > 1000 THEN
            RAISE EXCEPTION 'the merges from case % go on for more than 1000 cases', upper(btrim(p_into))
                USING ERRCODE = 'GDT01';
        END IF;
        SELECT * INTO target FROM cases WHERE id = target.merged_into FOR UPDATE;
    END LOOP;
    IF target.id = c.id THEN
        RAISE EXCEPTION 'case % cannot be merged into %: that would merge it into itself', c.ref,
            upper(btrim(p_into)) USING ERRCODE = 'GDT01';
    END IF;
    IF NOT gd__grid_in_scope(target.grid_id, scope) THEN
        RAISE EXCEPTION 'no case "%"', p_into USING ERRCODE = 'GDN01';
    END IF;
    -- A merged report follows its case, events and all: both stay in one
    -- district, where the same people may see both.
    IF target.district_id <> c.district_id THEN
        RAISE EXCEPTION 'case % is in %, case % in %: reports are merged within one district',
            c.ref, (SELECT a.name FROM areas a WHERE a.id = c.district_id), target.ref,
            (SELECT a.name FROM areas a WHERE a.id = target.district_id) USING ERRCODE = 'GDT01';
    END IF;
    IF target.status IN ('closed', 'cancelled') THEN
        RAISE EXCEPTION 'case % is %: nothing can be merged into it', target.ref, target.status
            USING ERRCODE = 'GDT01',
                  HINT = 'merge into a case that is still open; reopen it first if the incident is back';
    END IF;
    SELECT r.kind INTO reporter_kind FROM reporters r WHERE r.id = c.reporter_id;
    -- its assisting departments' work is the other case's now
    PERFORM gd__part_step(c.ref, NULL, d.code, 'release', 'merged into ' || target.ref)
       FROM case_parts p JOIN departments d ON d.id = p.department_id
      WHERE p.case_id = c.id AND p.status IN ('dispatched', 'accepted', 'on_site')
      ORDER BY d.code;
    UPDATE cases SET merged_into = target.id WHERE id = c.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (target.id, 'merged_in',
            jsonb_strip_nulls(jsonb_build_object('case', c.ref, 'version', target.version,
                                                 'reporter_kind', reporter_kind)));
    RETURN gd__move(c, 'merged', 'merged',
                    jsonb_build_object('into', target.ref, 'into_status', target.status));
END
$$;

-- Undo a merge: the case goes back to the state it was merged from, with
-- its department and deadlines as they were, and the case it had joined
-- is told. Reports merged into this one stay with it.
CREATE OR REPLACE FUNCTION gd_unmerge(p_ref text, p_version int DEFAULT NULL) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases;
    target cases;
    back text;
BEGIN
    SELECT * INTO target FROM cases
     WHERE id = (SELECT merged_into FROM cases WHERE id = gd__case_id_any(p_ref));
    IF target.id IS NOT NULL AND target.id < gd__case_id_any(p_ref) THEN
        PERFORM 1 FROM cases WHERE id = target.id FOR UPDATE;
    END IF;
    c := gd__lock(p_ref, p_version);
    PERFORM gd__refuse(c, 'unmerge', ARRAY['merged']);
    SELECT * INTO target FROM cases WHERE id = c.merged_into FOR UPDATE;
    SELECT e.data ->> 'from' INTO back FROM events e
     WHERE e.case_id = c.id AND e.kind = 'merged' ORDER BY e.id DESC LIMIT 1;
    UPDATE cases SET merged_into = NULL WHERE id = c.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (target.id, 'merged_out', jsonb_build_object('case', c.ref, 'version', target.version));
    RETURN gd__move(c, coalesce(back, 'new'), 'unmerged', jsonb_build_object('from_case', target.ref));
END
$$;

-- a case's id by reference whoever may see it, for lock ordering only:
-- gd__lock says "no case" to a caller outside its scope
CREATE OR REPLACE FUNCTION gd__case_id_any(p_ref text) RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT id FROM cases WHERE ref = upper(btrim(p_ref))), 0)
$$;

-- progress without a change of state: the version stays, so nobody's
-- pending action is refused because of a comment
CREATE OR REPLACE FUNCTION gd__comment(p_ref text, p_version int, p_kind text, p_text text,
                            p_allowed text[]) RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    what text;
BEGIN
    IF p_allowed IS NOT NULL THEN
        PERFORM gd__refuse(c, 'give feedback', p_allowed);
    END IF;
    what := gd__text(p_text, 'note', 2000);
    INSERT INTO events (case_id, kind, data)
    VALUES (c.id, p_kind, jsonb_build_object('note', what, 'version', c.version));
    RETURN c.version;
END
$$;

CREATE OR REPLACE FUNCTION gd_feedback(p_ref text, p_version int, p_note text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part text := gd__my_part(p_ref);
BEGIN
    IF part IS NOT NULL THEN
        RETURN gd__part_step(p_ref, p_version, part, 'feedback', p_note);
    END IF;
    RETURN gd__comment(p_ref, p_version, 'feedback', p_note, ARRAY['dispatched', 'accepted', 'on_site']);
END
$$;

CREATE OR REPLACE FUNCTION gd_note(p_ref text, p_version int, p_note text) RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT gd__comment(p_ref, p_version, 'note', p_note, NULL)
$$;

-- A mediator's load follows the cases per statement, not per row: a bulk
-- edit of 100,000 cases updates each mediator once. Staff rows are locked in
-- id order so two edits moving loads in opposite directions cannot deadlock.
CREATE OR REPLACE FUNCTION gd__add_load(p_ids int[], p_deltas int[]) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    ids int[];
    deltas int[];
BEGIN
    SELECT array_agg(id ORDER BY id), array_agg(d ORDER BY id) INTO ids, deltas
      FROM (SELECT id, sum(d)::int AS d FROM unnest(p_ids, p_deltas) AS t(id, d)
             GROUP BY id HAVING sum(d) <> 0) n;
    IF ids IS NULL THEN
        RETURN;
    END IF;
    PERFORM 1 FROM staff WHERE id = ANY (ids) ORDER BY id FOR UPDATE;
    UPDATE staff s SET open_cases = greatest(s.open_cases + n.d, 0)
      FROM unnest(ids, deltas) AS n(id, d)
     WHERE s.id = n.id;
END
$$;

-- What every write of cases keeps, once per statement, whoever writes (a
-- rules function, a bulk edit, an import):
--   * a scoped caller's cases stay in its area. The functions check first
--     and say it better; this makes sure nothing slips past them, and a
--     report outside the area writes nothing;
--   * a new case's reporter is placed by its grid. Every writer (report,
--     import, demo seed) inserts the reporter placed, so this only mends
--     one that did not: a second version of each reporter row was the
--     price of leaving it all to the trigger;
--   * each mediator's count of open cases follows its cases.
-- One trigger function for the three, as it is on every report's and every
-- step's path: a trigger call cost a report more than the work it did.
CREATE OR REPLACE FUNCTION gd__cases_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    outside text;
    ids int[];
    deltas int[];
BEGIN
    IF scope IS NOT NULL THEN
        SELECT a.code INTO outside FROM new_cases n JOIN areas a ON a.id = n.grid_id
         WHERE NOT scope = ANY (a.path) LIMIT 1;
        IF outside IS NOT NULL THEN
            RAISE EXCEPTION 'grid % is outside your area', outside USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        UPDATE reporters r SET grid_id = n.grid_id
          FROM new_cases n
         WHERE r.id = n.reporter_id AND r.grid_id IS DISTINCT FROM n.grid_id;
        SELECT array_agg(mediator_id), array_agg(n) INTO ids, deltas
          FROM (SELECT mediator_id, count(*)::int AS n FROM new_cases
                 WHERE mediator_id IS NOT NULL AND status IN ('dispatched', 'accepted', 'on_site')
                 GROUP BY 1) x;
    ELSE
        SELECT array_agg(id), array_agg(d) INTO ids, deltas
          FROM (SELECT mediator_id AS id, 1 AS d FROM new_cases
                 WHERE mediator_id IS NOT NULL AND status IN ('dispatched', 'accepted', 'on_site')
                UNION ALL
                SELECT mediator_id, -1 FROM old_cases
                 WHERE mediator_id IS NOT NULL AND status IN ('dispatched', 'accepted', 'on_site')) x;
    END IF;
    IF ids IS NOT NULL THEN
        PERFORM gd__add_load(ids, deltas);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER cases_inserted AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION gd__cases_written();

CREATE OR REPLACE TRIGGER cases_updated AFTER UPDATE ON cases
    REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
    FOR EACH STATEMENT EXECUTE FUNCTION gd__cases_written();

-- Joint handling (联办): a lead department and assisting ones, each
-- assisting department with a part of its own (changes/020_joint.sql).
-- A part's steps and its release are events of the case and leave the
-- case's version alone, as feedback does: nobody's pending action on the
-- case is refused because another department took a step of its own.

-- Has the case an assisting department's part still open?
CREATE OR REPLACE FUNCTION gd__parts_open(p_case bigint) RETURNS boolean
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT EXISTS (SELECT FROM case_parts p
                    WHERE p.case_id = p_case AND p.status IN ('dispatched', 'accepted', 'on_site'));
END;

-- The caller's own open part of a case: when the case is not in the
-- caller's area but an assisting department's district is. NULL otherwise
-- (the caller acts on the case itself).
CREATE OR REPLACE FUNCTION gd__my_part(p_ref text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    found text;
BEGIN
    IF scope IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT d.code INTO found
      FROM cases c
      JOIN case_parts p ON p.case_id = c.id
      JOIN departments d ON d.id = p.department_id
     WHERE c.ref = upper(btrim(p_ref)) AND NOT gd__grid_in_scope(c.grid_id, scope)
       AND p.status IN ('dispatched', 'accepted', 'on_site')
       AND gd__grid_in_scope(d.district_id, scope)
     ORDER BY d.code
     LIMIT 1;
    RETURN found;
END
$$;

-- One step of an assisting department's part: accept, onsite, feedback
-- (which finishes the part) or release (the centre's, with a reason). The
-- caller's area holds the case's place or the department's district.
CREATE OR REPLACE FUNCTION gd__part_step(p_ref text, p_version int, p_department text,
                                         p_step text, p_text text) RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    c cases;
    dept departments;
    p case_parts;
    allowed text[];
    to_status text;
    what text;
    t timestamptz := now();
BEGIN
    SELECT * INTO c FROM cases WHERE ref = upper(btrim(p_ref)) FOR UPDATE;
    SELECT * INTO dept FROM departments WHERE id = gd_department_id(p_department);
    SELECT * INTO p FROM case_parts WHERE case_id = c.id AND department_id = dept.id FOR UPDATE;
    -- outside the caller's area, a case is there only for the part of a
    -- department of the caller's district
    IF c.id IS NULL OR NOT (gd__grid_in_scope(c.grid_id, scope)
                            OR (p.case_id IS NOT NULL AND gd__grid_in_scope(dept.district_id, scope))) THEN
        RAISE EXCEPTION 'no case "%"', p_ref USING ERRCODE = 'GDN01';
    END IF;
    PERFORM gd__seen(c, p_version);
    -- a part is worked while its case is; a release also lets go of the
    -- parts of a case that is over
    IF p_step <> 'release' AND c.status NOT IN ('dispatched', 'accepted', 'on_site', 'resolved', 'returned') THEN
        RAISE EXCEPTION 'case % is %: cannot %', c.ref, c.status,
            CASE p_step WHEN 'onsite' THEN 'go on site' WHEN 'feedback' THEN 'give feedback' ELSE p_step END
            USING ERRCODE = 'GDT01';
    END IF;
    IF p.case_id IS NULL AND dept.id = c.department_id THEN
        RAISE EXCEPTION 'department % does not assist with case %', dept.code, c.ref
            USING ERRCODE = 'GDT01', HINT = 'it leads the case: leave out --department';
    ELSIF p.case_id IS NULL THEN
        RAISE EXCEPTION 'department % does not assist with case %', dept.code, c.ref
            USING ERRCODE = 'GDT01';
    END IF;
    CASE p_step
        WHEN 'accept' THEN allowed := ARRAY['dispatched']; to_status := 'accepted';
        WHEN 'onsite' THEN allowed := ARRAY['accepted']; to_status := 'on_site';
        WHEN 'feedback' THEN allowed := ARRAY['accepted', 'on_site']; to_status := 'fed_back';
        ELSE allowed := ARRAY['dispatched', 'accepted', 'on_site']; to_status := 'released';
    END CASE;
    IF p.status <> ALL (allowed) THEN
        RAISE EXCEPTION 'the part of % in case % is %: cannot %', dept.code, c.ref, p.status,
            CASE p_step WHEN 'onsite' THEN 'go on site' WHEN 'feedback' THEN 'give feedback' ELSE p_step END
            USING ERRCODE = 'GDT01',
                  HINT = format('%s is allowed from %s', p_step, array_to_string(allowed, ', '));
    END IF;
    IF p_step = 'feedback' THEN
        what := gd__text(p_text, 'note', 2000);
    ELSIF p_step = 'release' THEN
        what := gd__text(p_text, 'reason', 2000);
    END IF;
    UPDATE case_parts SET
        status      = to_status,
        accepted_at = CASE WHEN to_status = 'accepted' THEN t ELSE accepted_at END,
        onsite_at   = CASE WHEN to_status = 'on_site' THEN t ELSE onsite_at END,
        feedback_at = CASE WHEN to_status = 'fed_back' THEN t ELSE feedback_at END,
        released_at = CASE WHEN to_status = 'released' THEN t ELSE released_at END
     WHERE case_id = c.id AND department_id = dept.id;
    INSERT INTO events (case_id, kind, data)
    VALUES (c.id, 'assist_' || CASE p_step WHEN 'onsite' THEN 'on_site' WHEN 'feedback' THEN 'fed_back'
                                            WHEN 'release' THEN 'released' ELSE 'accepted' END,
            jsonb_build_object('department', dept.code, 'from', p.status, 'to', to_status,
                               'version', c.version)
            || CASE WHEN p.due_at IS NOT NULL THEN jsonb_build_object('due_at', p.due_at) ELSE '{}' END
            || CASE WHEN p_step = 'feedback' THEN jsonb_build_object('note', what)
                    WHEN p_step = 'release' THEN jsonb_build_object('reason', what) ELSE '{}' END);
    RETURN c.version;
END
$$;

-- Ask departments to assist with a case its lead is working on: each gets
-- a part with deadlines counted from now, as a dispatch would have, and
-- one event. A released department may be asked again. p_departments:
-- codes or names, separated by commas.
CREATE OR REPLACE FUNCTION gd_assist(p_ref text, p_version int, p_departments text) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
    cat categories;
    dept departments;
    had case_parts;
    t timestamptz := now();
    wanted text[] := ARRAY(SELECT btrim(x) FROM unnest(string_to_array(p_departments, ',')) x
                            WHERE btrim(x) <> '');
BEGIN
    PERFORM gd__refuse(c, 'add an assisting department', ARRAY['dispatched', 'accepted', 'on_site']);
    IF cardinality(wanted) = 0 THEN
        RAISE EXCEPTION 'department is empty' USING ERRCODE = 'GDV01';
    END IF;
    SELECT * INTO cat FROM categories WHERE code = c.category;
    FOR i IN 1 .. cardinality(wanted) LOOP
        SELECT * INTO dept FROM departments WHERE id = gd_department_id(wanted[i]);
        IF dept.id = c.department_id THEN
            RAISE EXCEPTION 'department % leads case %: it cannot also assist', dept.code, c.ref
                USING ERRCODE = 'GDV01';
        END IF;
        SELECT * INTO had FROM case_parts WHERE case_id = c.id AND department_id = dept.id FOR UPDATE;
        IF FOUND AND had.status <> 'released' THEN
            RAISE EXCEPTION 'department % already assists with case %', dept.code, c.ref
                USING ERRCODE = 'GDV01';
        END IF;
        DELETE FROM case_parts WHERE case_id = c.id AND department_id = dept.id;
        INSERT INTO case_parts (case_id, department_id, dispatched_at, accept_by, onsite_by, resolve_by)
        VALUES (c.id, dept.id, t, gd__deadline(t, cat.accept_within, c.priority),
                gd__deadline(t, cat.onsite_within, c.priority),
                gd__deadline(t, cat.resolve_within, c.priority));
        INSERT INTO events (case_id, kind, data)
        VALUES (c.id, 'assist_dispatched',
                jsonb_build_object('department', dept.code, 'to', 'dispatched', 'version', c.version,
                                   'lead', (SELECT l.code FROM departments l WHERE l.id = c.department_id)));
    END LOOP;
    UPDATE cases SET assist_districts = x.districts
      FROM (SELECT array_agg(DISTINCT d.district_id ORDER BY d.district_id) AS districts
              FROM case_parts p JOIN departments d ON d.id = p.department_id
             WHERE p.case_id = c.id) x
     WHERE id = c.id AND assist_districts IS DISTINCT FROM x.districts;
    RETURN c.version;
END
$$;

-- A department's part, by name: for a caller who could act on the case
-- itself as well (gridctl accept|onsite|feedback REF --department CODE).
CREATE OR REPLACE FUNCTION gd_part_accept(p_ref text, p_version int, p_department text) RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT gd__part_step(p_ref, p_version, p_department, 'accept', NULL)
$$;

CREATE OR REPLACE FUNCTION gd_part_onsite(p_ref text, p_version int, p_department text) RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT gd__part_step(p_ref, p_version, p_department, 'onsite', NULL)
$$;

CREATE OR REPLACE FUNCTION gd_part_feedback(p_ref text, p_version int, p_department text, p_note text)
RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT gd__part_step(p_ref, p_version, p_department, 'feedback', p_note)
$$;

-- The centre lets an assisting department go, with a reason: its part no
-- longer keeps the case from being closed.
CREATE OR REPLACE FUNCTION gd_release(p_ref text, p_version int, p_department text, p_reason text)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    c cases := gd__lock(p_ref, p_version);
BEGIN
    RETURN gd__part_step(c.ref, p_version, p_department, 'release', p_reason);
END
$$;
