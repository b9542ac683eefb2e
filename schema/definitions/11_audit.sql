-- The tamper-evident event log. Each case's events fold into a hash chain
-- whose head is kept per case (event_chains), and gd_seal() seals the whole
-- log now and then (event_seals). gd_verify() recomputes all of it.

-- The tamper-evident log.
--
-- Each case's events, in id order, fold into a chain: h1 = sha256(e1),
-- hk = sha256(h(k-1) || ek), where e is an event's content. event_chains
-- keeps each case's newest h and its count: changing, deleting or
-- reordering any event of a case, or adding one past the rules, changes
-- what its events fold into. A seal chains the content of every event
-- whose transaction ended before it, so a case deleted whole, with its
-- events and its chain, is found too. The chain is kept once per
-- statement, not per row (a million imported events fold in one pass),
-- and takes no lock beyond the case's own row, which every writer of
-- events holds already.
CREATE OR REPLACE FUNCTION gd__event_bytes(p_id bigint, p_case bigint, p_kind text, p_actor text,
                                p_at timestamptz, p_xid xid8, p_data jsonb) RETURNS bytea
LANGUAGE sql STABLE
BEGIN ATOMIC
    -- JSON with the time as epoch seconds: the same bytes whatever the
    -- session's TimeZone or DateStyle. Declared as stable as what it calls
    -- (jsonb_build_array is stable), so the planner inlines it into the
    -- chain's one pass; as immutable it was called, and planned, row by row.
    SELECT convert_to(jsonb_build_array(p_id, p_case, p_kind, p_actor,
                                        extract(epoch FROM p_at), p_xid::text, p_data)::text,
                      'UTF8');
END;

-- a chain from nothing (gd__chain) or on from a head (gd__chain_on: the
-- head rides along with every row, and the first row takes it up)
CREATE OR REPLACE FUNCTION gd__chain_step(p_state bytea, p_next bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT
RETURN sha256(p_state || p_next);

CREATE OR REPLACE AGGREGATE gd__chain(bytea) (SFUNC = gd__chain_step, STYPE = bytea, INITCOND = '');

CREATE OR REPLACE FUNCTION gd__chain_on_step(p_state bytea, p_head bytea, p_next bytea) RETURNS bytea
LANGUAGE sql IMMUTABLE
RETURN sha256(coalesce(p_state, p_head, '') || p_next);

CREATE OR REPLACE AGGREGATE gd__chain_on(bytea, bytea) (SFUNC = gd__chain_on_step, STYPE = bytea);

-- Once per statement that writes events: a scoped caller's events must all
-- be of cases in its area, or of cases a department of its district
-- assists with (联办), whatever function writes them (but the word the
-- rules send to merged reports, 并案, which stay in the district); and every
-- case's chain takes in its new events. One pass over the new rows does
-- both, as it is on every report's path.
CREATE OR REPLACE FUNCTION gd__events_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    scope int := gd__my_scope();
    outside bigint;
BEGIN
    IF scope IS NOT NULL THEN
        SELECT n.case_id INTO outside
          FROM new_events n JOIN cases c ON c.id = n.case_id JOIN areas a ON a.id = c.grid_id
         WHERE NOT scope = ANY (a.path) AND NOT scope = ANY (coalesce(c.assist_districts, '{}'))
           -- how a case ended reaches the reports merged into it, and an
           -- unmerge tells the case it left, wherever in the district they are
           AND n.kind NOT IN ('followed', 'merged_out')
         LIMIT 1;
        IF outside IS NOT NULL THEN
            RAISE EXCEPTION 'case id % is outside your area', outside USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    -- a new case's chain is a plain insert: ON CONFLICT would write a
    -- speculative insertion and its confirmation to the WAL of every report.
    -- No other writer can make the same case's chain meanwhile: a new case
    -- is its reporter's alone until commit, and an old one is locked.
    WITH folded AS (
        SELECT n.case_id,
               gd__chain_on(c.head, gd__event_bytes(n.id, n.case_id, n.kind, n.actor, n.at, n.xid, n.data)
                            ORDER BY n.id) AS head,
               count(*)::int AS events,
               bool_or(c.case_id IS NOT NULL) AS known
          FROM new_events n LEFT JOIN event_chains c ON c.case_id = n.case_id
         GROUP BY n.case_id),
    moved AS (
        UPDATE event_chains k SET head = f.head, events = k.events + f.events
          FROM folded f
         WHERE f.known AND k.case_id = f.case_id)
    INSERT INTO event_chains (case_id, head, events)
    SELECT case_id, head, events FROM folded WHERE NOT known;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER events_written AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_written();

CREATE OR REPLACE FUNCTION gd__seal_hash(p_prev bytea, p_from xid8, p_to xid8, OUT events bigint, OUT hash bytea)
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT count(*),
           sha256(p_prev || gd__chain(gd__event_bytes(e.id, e.case_id, e.kind, e.actor, e.at, e.xid, e.data)
                                      ORDER BY e.id))
      FROM events e WHERE e.xid >= p_from AND e.xid < p_to
$$;

-- Seal every event written since the last seal: how many, and the newest
-- seal's hash (the one to keep outside the database).
CREATE OR REPLACE FUNCTION gd_seal(OUT sealed bigint, OUT hash text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last event_seals;
    upto xid8 := pg_snapshot_xmin(pg_current_snapshot());
    s record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('griddesk.seal'));
    SELECT * INTO last FROM event_seals ORDER BY id DESC LIMIT 1;
    sealed := 0;
    hash := encode(last.hash, 'hex');
    IF last.xid_to >= upto THEN
        RETURN;
    END IF;
    SELECT * INTO s FROM gd__seal_hash(coalesce(last.hash, ''), coalesce(last.xid_to, '0'), upto);
    IF s.events = 0 THEN
        RETURN;
    END IF;
    INSERT INTO event_seals (xid_from, xid_to, events, hash)
    VALUES (coalesce(last.xid_to, '0'), upto, s.events, s.hash);
    sealed := s.events;
    hash := encode(s.hash, 'hex');
END
$$;

-- the cases a check since p_since covers: those with events or changes since
CREATE OR REPLACE FUNCTION gd__verify_cases(p_since timestamptz) RETURNS SETOF bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT e.case_id FROM events e WHERE e.at >= p_since
    UNION SELECT c.id FROM cases c WHERE c.updated_at >= p_since
$$;

CREATE OR REPLACE FUNCTION gd_verify(p_since timestamptz DEFAULT NULL, p_seal text DEFAULT NULL,
                          OUT events bigint, OUT cases bigint, OUT seals int,
                          OUT unsealed bigint, OUT problem text, OUT newest_seal text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
DECLARE
    -- only a check since a time needs the list; a whole check counts
    ids bigint[] := CASE WHEN p_since IS NOT NULL THEN ARRAY(SELECT gd__verify_cases(p_since)) END;
    bad record;
    prev event_seals;
    s event_seals;
    got record;
BEGIN
    IF gd__my_scope() IS NOT NULL THEN
        RAISE EXCEPTION 'verify reads the whole city''s log: only a city-wide administrator may run it'
            USING ERRCODE = '42501';
    END IF;
    cases := coalesce(cardinality(ids),
                      (SELECT count(*) FROM (SELECT id FROM cases UNION SELECT case_id FROM event_chains) x));
    seals := 0;
    SELECT count(*) INTO events FROM events e WHERE p_since IS NULL OR e.case_id = ANY (ids);

    -- each case's events against its chain; a case with no chain, or a
    -- chain with no case, is named too
    SELECT coalesce(k.case_id, l.case_id) AS case_id, k.events AS want, l.n AS got INTO bad
      FROM (SELECT * FROM event_chains WHERE p_since IS NULL OR case_id = ANY (ids)) k
      FULL JOIN (SELECT e.case_id, count(*) AS n,
                        gd__chain(gd__event_bytes(e.id, e.case_id, e.kind, e.actor, e.at, e.xid, e.data)
                                  ORDER BY e.id) AS head
                   FROM events e WHERE p_since IS NULL OR e.case_id = ANY (ids)
                  GROUP BY e.case_id) l ON l.case_id = k.case_id
     WHERE k.head IS DISTINCT FROM l.head
     ORDER BY 1 LIMIT 1;
    IF bad.case_id IS NULL THEN
        SELECT c.id AS case_id, 0 AS want, 0 AS got INTO bad
          FROM cases c
         WHERE (p_since IS NULL OR c.id = ANY (ids))
           AND NOT EXISTS (SELECT FROM event_chains k WHERE k.case_id = c.id)
         ORDER BY c.id LIMIT 1;
    END IF;
    IF bad.case_id IS NOT NULL THEN
        problem := format('case %s: its %s events do not fit its chain of %s: an event was changed, deleted, moved or added past the rules',
                          gd__case_name(bad.case_id), coalesce(bad.got, 0), coalesce(bad.want, 0));
        RETURN;
    END IF;

    -- each seal against the events it covers
    FOR s IN SELECT * FROM event_seals ORDER BY id LOOP
        IF prev.id IS NOT NULL AND s.xid_from <> prev.xid_to THEN
            problem := format('seal %s does not start where seal %s ended: a seal was deleted', s.id, prev.id);
            RETURN;
        END IF;
        IF p_since IS NULL OR s.sealed_at >= p_since THEN
            SELECT * INTO got FROM gd__seal_hash(coalesce(prev.hash, ''), s.xid_from, s.xid_to);
            IF got.hash IS DISTINCT FROM s.hash THEN
                problem := format('seal %s of %s covered %s events, the log now holds %s there: an event it sealed was deleted, changed or added',
                                  s.id, to_char(s.sealed_at, 'YYYY-MM-DD HH24:MI:SS'), s.events, got.events);
                RETURN;
            END IF;
            seals := seals + 1;
        END IF;
        prev := s;
    END LOOP;
    -- a seal's hash kept outside the database anchors the seals: one deleted
    -- or rewritten after it was written down is missed here
    IF p_seal IS NOT NULL AND NOT EXISTS (SELECT FROM event_seals x
                                           WHERE encode(x.hash, 'hex') = lower(btrim(p_seal))) THEN
        problem := format('seal %s, kept outside, is not in the log: seals were deleted or rewritten', p_seal);
        RETURN;
    END IF;
    SELECT count(*) INTO unsealed FROM events e WHERE e.xid >= coalesce(prev.xid_to, '0');
    newest_seal := encode(prev.hash, 'hex');
END
$$;

-- a case's reference, or what is left to name it by when its row is gone
CREATE OR REPLACE FUNCTION gd__case_name(p_id bigint) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT ref FROM cases WHERE id = p_id), format('id %s, no longer in cases', p_id))
$$;
