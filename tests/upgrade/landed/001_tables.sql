-- The centre's data: the grid tree, departments, categories, the talent pool,
-- reporters, cases and the append-only event log. Rules live in 002.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_viewer') THEN
        CREATE ROLE griddesk_viewer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_operator') THEN
        CREATE ROLE griddesk_operator NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_dept') THEN
        CREATE ROLE griddesk_dept NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_admin') THEN
        CREATE ROLE griddesk_admin NOLOGIN;
    END IF;
END
$$;

GRANT griddesk_viewer TO griddesk_operator, griddesk_dept;
GRANT griddesk_operator, griddesk_dept TO griddesk_admin;

CREATE TABLE settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO settings VALUES
    ('city_prefix', 'JM'),
    ('timezone', 'Asia/Shanghai');

-- city › district › street/town › community/village › grid
CREATE TABLE areas (
    id        serial PRIMARY KEY,
    code      text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    name      text NOT NULL CHECK (btrim(name) <> ''),
    level     text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community', 'grid')),
    parent_id int REFERENCES areas (id),
    -- ancestors and self, root first: scoping and "which district" without recursion
    path      int[] NOT NULL,
    lat       double precision CHECK (lat BETWEEN -90 AND 90),
    lon       double precision CHECK (lon BETWEEN -180 AND 180),
    CHECK ((level = 'city') = (parent_id IS NULL)),
    CHECK (level <> 'grid' OR (lat IS NOT NULL AND lon IS NOT NULL))
);
CREATE INDEX areas_parent ON areas (parent_id);
CREATE INDEX areas_name ON areas (name);
CREATE INDEX areas_level ON areas (level);

CREATE FUNCTION gd__area_path() RETURNS trigger
LANGUAGE plpgsql AS $$
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
CREATE TRIGGER areas_path BEFORE INSERT OR UPDATE OF parent_id ON areas
    FOR EACH ROW EXECUTE FUNCTION gd__area_path();

-- the line of work a category belongs to: "one network" of grids
CREATE TABLE lines_of_work (
    code text PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO lines_of_work VALUES
    ('party', '党建'),
    ('governance', '综治'),
    ('civil', '民政'),
    ('city', '城管'),
    ('petition', '信访');

CREATE TABLE departments (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    name        text NOT NULL CHECK (btrim(name) <> ''),
    kind        text NOT NULL CHECK (kind IN ('functional', 'mediation', 'legal_aid',
                                              'litigation', 'social_work', 'police')),
    district_id int NOT NULL REFERENCES areas (id),
    lines       text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX departments_district ON departments (district_id);
CREATE INDEX departments_name ON departments (name);

CREATE TABLE mediation_fields (
    code text PRIMARY KEY,
    name text NOT NULL
);
INSERT INTO mediation_fields VALUES
    ('family', '婚姻家庭'),
    ('neighbour', '邻里关系'),
    ('property', '物业管理'),
    ('labour', '劳动争议'),
    ('consumer', '消费维权'),
    ('economic', '经济合同'),
    ('medical', '医疗纠纷'),
    ('traffic', '交通事故'),
    ('land', '土地房屋'),
    ('environment', '环境污染');

CREATE TABLE categories (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9._-]*$'),
    name           text NOT NULL UNIQUE,
    line           text NOT NULL REFERENCES lines_of_work (code),
    field          text REFERENCES mediation_fields (code),
    -- deadlines counted from the report, for a priority-3 case (see gd__deadline)
    accept_within  interval NOT NULL,
    onsite_within  interval NOT NULL,
    resolve_within interval NOT NULL,
    CHECK (accept_within <= onsite_within AND onsite_within <= resolve_within)
);

-- the default department for a category in a district
CREATE TABLE category_routes (
    category      text NOT NULL REFERENCES categories (code),
    district_id   int NOT NULL REFERENCES areas (id),
    department_id int NOT NULL REFERENCES departments (id),
    PRIMARY KEY (category, district_id)
);

-- the talent pool
CREATE TABLE staff (
    id           serial PRIMARY KEY,
    name         text NOT NULL CHECK (btrim(name) <> ''),
    tier         text NOT NULL CHECK (tier IN ('grassroots', 'specialist', 'expert')),
    fields       text[] NOT NULL DEFAULT '{}',
    lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon          double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- kilometres on a plane tangent at Jiangmen's latitude: a GiST index on raw
    -- (lon, lat) ranks neighbours wrongly this far from the equator
    pos          point GENERATED ALWAYS AS
                     (point(lon * 111.32 * cos(radians(22.6)), lat * 110.57)) STORED,
    home_grid_id int REFERENCES areas (id),
    district_id  int REFERENCES areas (id),
    on_duty      boolean NOT NULL DEFAULT true,
    open_cases   int NOT NULL DEFAULT 0 CHECK (open_cases >= 0),
    load_limit   int NOT NULL DEFAULT 5 CHECK (load_limit > 0),
    phone        text NOT NULL DEFAULT ''
);
CREATE INDEX staff_pos ON staff USING gist (pos);
CREATE INDEX staff_fields ON staff USING gin (fields);
CREATE INDEX staff_district ON staff (district_id);

CREATE TABLE reporters (
    id    bigserial PRIMARY KEY,
    kind  text NOT NULL CHECK (kind IN ('grid_worker', 'party_member', 'village_leader',
                                        'auxiliary_police', 'volunteer', 'courier',
                                        'ride_hailing', 'resident', 'other')),
    name  text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT ''
);

-- case references count within a day: see gd__next_ref
CREATE SEQUENCE case_ref_seq;

CREATE TABLE cases (
    id            bigserial PRIMARY KEY,
    ref           text NOT NULL UNIQUE,
    title         text NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 200),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    category      text NOT NULL REFERENCES categories (code),
    priority      smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
    grid_id       int NOT NULL REFERENCES areas (id),
    district_id   int NOT NULL REFERENCES areas (id),
    location      text NOT NULL DEFAULT '' CHECK (length(location) <= 500),
    lat           double precision CHECK (lat BETWEEN -90 AND 90),
    lon           double precision CHECK (lon BETWEEN -180 AND 180),
    reporter_id   bigint REFERENCES reporters (id),
    status        text NOT NULL DEFAULT 'new'
                  CHECK (status IN ('new', 'dispatched', 'accepted', 'on_site', 'resolved',
                                    'closed', 'returned', 'cancelled')),
    department_id int REFERENCES departments (id),
    mediator_id   int REFERENCES staff (id),
    outcome       text,
    version       int NOT NULL DEFAULT 1,
    reported_at   timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz,
    accepted_at   timestamptz,
    onsite_at     timestamptz,
    resolved_at   timestamptz,
    closed_at     timestamptz,
    returned_at   timestamptz,
    cancelled_at  timestamptz,
    accept_by     timestamptz NOT NULL,
    onsite_by     timestamptz NOT NULL,
    resolve_by    timestamptz NOT NULL,
    -- the deadline of the stage the case is in now
    due_at        timestamptz GENERATED ALWAYS AS (
                      CASE status
                          WHEN 'new' THEN accept_by
                          WHEN 'returned' THEN accept_by
                          WHEN 'dispatched' THEN accept_by
                          WHEN 'accepted' THEN onsite_by
                          WHEN 'on_site' THEN resolve_by
                      END) STORED,
    stage_since   timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text NOT NULL DEFAULT session_user
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_district ON cases (district_id);
CREATE INDEX cases_grid ON cases (grid_id);
CREATE INDEX cases_category ON cases (category);
CREATE INDEX cases_reported ON cases (reported_at DESC, id DESC);
CREATE INDEX cases_department ON cases (department_id);
CREATE INDEX cases_mediator ON cases (mediator_id);

CREATE TABLE events (
    id      bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id),
    kind    text NOT NULL,
    actor   text NOT NULL DEFAULT session_user,
    at      timestamptz NOT NULL DEFAULT now(),
    -- the writing transaction: a reader advances its watermark only past
    -- transactions that can no longer commit (see DESIGN.md, live feed)
    xid     xid8 NOT NULL DEFAULT pg_current_xact_id(),
    data    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX events_xid ON events (xid);

-- One notification per statement, carrying the newest event id only: a bulk
-- edit of 100,000 cases wakes each console once, and no text leaves the table.
CREATE FUNCTION gd__events_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    newest bigint;
BEGIN
    SELECT max(id) INTO newest FROM new_events;
    IF newest IS NOT NULL THEN
        PERFORM pg_notify('griddesk_events', newest::text);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_notify();

-- Privileges keep people out; these triggers keep out the owner too.
CREATE FUNCTION gd__events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only: % refused', TG_OP
        USING ERRCODE = 'GDA01';
END
$$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION gd__events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION gd__events_append_only();
