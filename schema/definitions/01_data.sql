-- What the tables keep themselves, whoever writes: each area's path, the
-- event log that only grows and announces every new event (LISTEN griddesk),
-- rows that cases still name, and
-- the codes that mean "all" and "none" to the figures.

CREATE OR REPLACE FUNCTION gd__area_path() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    parent areas;
    want text;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := ARRAY[NEW.id];
        RETURN NEW;
    END IF;
    SELECT * INTO parent FROM areas WHERE id = NEW.parent_id;
    want := CASE NEW.level WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                           WHEN 'community' THEN 'street' WHEN 'grid' THEN 'community' END;
    IF parent.level IS DISTINCT FROM want THEN
        RAISE EXCEPTION 'a % must sit under a %, not under %', NEW.level, want, coalesce(parent.level, 'nothing')
            USING ERRCODE = 'GDV01';
    END IF;
    NEW.path := parent.path || NEW.id;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER areas_path BEFORE INSERT OR UPDATE OF parent_id ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__area_path();

-- The channel of a district or street: griddesk_events_ and the area's
-- code in lower case (as an unquoted LISTEN in psql spells it), or the md5
-- of a code too long for a channel name (63 bytes). Plain SQL with no
-- settings of its own, so the planner inlines it into the notify trigger's
-- query: called as a function it cost every report 0.15 ms.
CREATE OR REPLACE FUNCTION gd__channel_name(p_code text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN 'griddesk_events_' || CASE WHEN octet_length(p_code) <= 47 THEN lower(p_code) ELSE md5(p_code) END;

-- The channel an area is heard on. The city, or no area, is
-- griddesk_events itself; a community or grid is heard on its street's
-- channel.
CREATE OR REPLACE FUNCTION gd__channel(p_area int) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    -- an area's path holds itself and every area above it
    SELECT coalesce((SELECT gd__channel_name(c.code)
                       FROM areas a
                       JOIN areas c ON c.id = ANY (a.path)
                                   AND c.level = CASE a.level WHEN 'district' THEN 'district' ELSE 'street' END
                      WHERE a.id = p_area AND a.level <> 'city'),
                    'griddesk_events')
$$;

-- One notification per statement and channel: on griddesk_events (the
-- whole city), and on the channel of each district and street its cases
-- are in, so a bulk edit of 100,000 cases wakes each console once, and a
-- console scoped or filtered to an area is woken only by its area. The
-- payload is the newest event id and nothing more: LISTEN has no
-- permissions, so a payload must never carry what a scope hides.
CREATE OR REPLACE FUNCTION gd__events_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    -- by grid first: a bulk edit of 100,000 cases spreads over a few
    -- thousand grids, and only those are looked up among the areas. The
    -- districts of a case's assisting departments (联办) hear it too: their
    -- consoles listen to their own district.
    PERFORM pg_notify(channel, max(id)::text)
       FROM (SELECT 'griddesk_events' AS channel, id FROM new_events
             UNION ALL
             SELECT gd__channel_name(a.code), n.id
               FROM (SELECT c.grid_id, c.assist_districts, max(e.id) AS id
                       FROM new_events e JOIN cases c ON c.id = e.case_id
                      GROUP BY c.grid_id, c.assist_districts) n
               JOIN areas g ON g.id = n.grid_id
               JOIN areas a ON (a.id = ANY (g.path) AND a.level IN ('district', 'street'))
                            OR a.id = ANY (n.assist_districts)) heard
      GROUP BY channel;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER events_notify AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_notify();

-- Privileges keep people out; these triggers keep out the owner too.
CREATE OR REPLACE FUNCTION gd__events_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP
        USING ERRCODE = 'GDA01';
END
$$;

CREATE OR REPLACE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gd__events_append_only();

CREATE OR REPLACE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_append_only();

-- "Is this row still named by a case?" must see every case, and names
-- only a case the caller may see.
-- TG_ARGV: the key column, then pairs of (table, column) that refer to it
CREATE OR REPLACE FUNCTION gd__still_used() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    old_key text := to_jsonb(OLD) ->> TG_ARGV[0];
    hit text;
    hit_grid int;
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) ->> TG_ARGV[0] IS NOT DISTINCT FROM old_key THEN
        RETURN NEW;
    END IF;
    FOR i IN 1 .. (TG_NARGS - 1) / 2 LOOP
        EXECUTE format('SELECT %1$I::text, %2$s FROM %3$I WHERE %4$I::text = $1 LIMIT 1',
                       CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'ref' ELSE 'case_id' END,
                       CASE WHEN TG_ARGV[2 * i - 1] = 'cases' THEN 'grid_id' ELSE 'NULL::int' END,
                       TG_ARGV[2 * i - 1], TG_ARGV[2 * i])
           INTO hit, hit_grid USING old_key;
        IF hit IS NOT NULL THEN
            RAISE EXCEPTION '% % is still used by % (% %)', TG_TABLE_NAME, old_key,
                CASE WHEN TG_ARGV[2 * i - 1] <> 'cases' THEN 'the event log'
                     WHEN gd__grid_in_scope(hit_grid, gd__my_scope()) THEN 'case ' || hit
                     ELSE 'a case outside your area' END,
                TG_ARGV[2 * i - 1], TG_ARGV[2 * i]
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    END LOOP;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE OR REPLACE TRIGGER areas_still_used BEFORE DELETE OR UPDATE OF id ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'grid_id', 'cases', 'district_id');

CREATE OR REPLACE TRIGGER categories_still_used BEFORE DELETE OR UPDATE OF code ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('code', 'cases', 'category');

CREATE OR REPLACE TRIGGER departments_still_used BEFORE DELETE OR UPDATE OF id ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'department_id');

CREATE OR REPLACE TRIGGER staff_still_used BEFORE DELETE OR UPDATE OF id ON staff
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'mediator_id');

CREATE OR REPLACE TRIGGER reporters_still_used BEFORE DELETE OR UPDATE OF id ON reporters
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'cases', 'reporter_id');

CREATE OR REPLACE TRIGGER cases_still_used BEFORE DELETE OR UPDATE OF id ON cases
    FOR EACH ROW EXECUTE FUNCTION gd__still_used('id', 'events', 'case_id');

-- "all" and "none" are the figures' own keys: no code may take them.
CREATE OR REPLACE FUNCTION gd__reserved_code() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF lower(NEW.code) IN ('all', 'none') THEN
        RAISE EXCEPTION 'the code "%" is reserved: the figures use it for the city and for no department',
            NEW.code USING ERRCODE = 'GDV01';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER areas_reserved_code BEFORE INSERT OR UPDATE OF code ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();

CREATE OR REPLACE TRIGGER departments_reserved_code BEFORE INSERT OR UPDATE OF code ON departments
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();

CREATE OR REPLACE TRIGGER categories_reserved_code BEFORE INSERT OR UPDATE OF code ON categories
    FOR EACH ROW EXECUTE FUNCTION gd__reserved_code();
