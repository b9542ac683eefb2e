-- Import: gridctl COPYs a CSV file into a staging table made here, then one
-- call checks every row in SQL and inserts the good ones. gridctl commits
-- only when nothing was bad (or --skip-bad was given), so an import is all
-- or nothing. Nothing here raises on a bad value: each check is an
-- expression, and every problem becomes a row of gd_import_errors naming
-- the line, the column and the value.

CREATE OR REPLACE FUNCTION gd__import_columns(p_kind text) RETURNS TABLE (col text, required boolean)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT c, c = ANY (r)
      FROM (VALUES
        ('grids', ARRAY['code', 'name', 'level', 'parent', 'lat', 'lon'],
                  ARRAY['code', 'name', 'level', 'parent']),
        ('departments', ARRAY['code', 'name', 'kind', 'district', 'lines'],
                        ARRAY['code', 'name', 'kind', 'district']),
        ('staff', ARRAY['name', 'tier', 'fields', 'lat', 'lon', 'home_grid', 'district',
                        'on_duty', 'load_limit', 'phone'],
                  ARRAY['name', 'tier', 'lat', 'lon']),
        ('cases', ARRAY['ref', 'title', 'description', 'category', 'priority', 'grid',
                        'location', 'lat', 'lon', 'reporter_kind', 'reporter_name',
                        'reporter_phone', 'status', 'department', 'mediator', 'outcome',
                        'reported_at', 'dispatched_at', 'accepted_at', 'onsite_at',
                        'resolved_at', 'closed_at', 'returned_at', 'cancelled_at', 'assisting'],
                  ARRAY['title', 'category', 'grid', 'reported_at'])
      ) k(kind, cols, r), unnest(cols) WITH ORDINALITY u(c, n)
     WHERE k.kind = p_kind
     ORDER BY n;
END;

-- Make the staging table for one import and say which columns it takes.
-- It belongs to this function's owner, so the checks below can read it; the
-- caller may only COPY into it. gd_line is the line of the file a row
-- started on; gd_fields is set, and gd_raw holds the record, when the
-- record had the wrong number of fields and could not be split into columns.
CREATE OR REPLACE FUNCTION gd_import_begin(p_kind text) RETURNS TABLE (col text, required boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM gd__import_columns(p_kind)) THEN
        RAISE EXCEPTION 'unknown import "%": one of grids, departments, staff, cases', p_kind
            USING ERRCODE = 'GDV01';
    END IF;
    DROP TABLE IF EXISTS pg_temp.gd_import, pg_temp.gd_import_errors;
    -- rejected_*: the columns a rejects file adds, so a corrected one can be
    -- imported as it is
    EXECUTE format('CREATE TEMP TABLE gd_import (gd_line int NOT NULL, gd_fields int, gd_raw text, %s,'
                   ' rejected_line text, rejected_column text, rejected_reason text) ON COMMIT DROP',
                   (SELECT string_agg(format('%I text', c.col), ', ') FROM gd__import_columns(p_kind) c));
    CREATE TEMP TABLE gd_import_errors (line int NOT NULL, col text, value text, reason text NOT NULL)
        ON COMMIT DROP;
    EXECUTE format('GRANT INSERT, SELECT ON pg_temp.gd_import TO %I', session_user);
    EXECUTE format('GRANT SELECT ON pg_temp.gd_import_errors TO %I', session_user);
    RETURN QUERY SELECT * FROM gd__import_columns(p_kind);
END
$$;

-- checks that never raise
CREATE OR REPLACE FUNCTION gd__blank(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC SELECT p IS NULL OR btrim(p) = '';
END;

CREATE OR REPLACE FUNCTION gd__is_num(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC SELECT p ~ '^\s*[-+]?[0-9]{1,9}(\.[0-9]{1,15})?\s*$';
END;

CREATE OR REPLACE FUNCTION gd__is_int(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC SELECT p ~ '^\s*[0-9]{1,9}\s*$';
END;

-- 2026-11-28, 2026/11/28 14:05, 2026-11-28T14:05:09.5+08, with a real day
-- of the month. One expression (no FROM), so the planner inlines it: a
-- million rows cost a few regular-expression matches each, not a function
-- call each.
CREATE OR REPLACE FUNCTION gd__is_time(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE
        WHEN p !~ ('^\s*[0-9]{4}[-/](0?[1-9]|1[0-2])[-/](0?[1-9]|[12][0-9]|3[01])'
                   '([ T]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?'
                   '(Z|[-+]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?\s*$') THEN false
        WHEN substring(p from '^\s*[0-9]{4}[-/][0-9]{1,2}[-/]([0-9]{1,2})')::int <= 28 THEN true
        ELSE substring(p from '^\s*[0-9]{4}[-/][0-9]{1,2}[-/]([0-9]{1,2})')::int
             <= extract(day from make_date(substring(p from '^\s*([0-9]{4})')::int,
                                           substring(p from '^\s*[0-9]{4}[-/]([0-9]{1,2})')::int, 1)
                                 + interval '1 month - 1 day')
    END;
END;

CREATE OR REPLACE FUNCTION gd__time(p text) RETURNS timestamptz
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE WHEN gd__is_time(p) THEN replace(btrim(p), '/', '-')::timestamptz END;
END;

CREATE OR REPLACE FUNCTION gd__num(p text) RETURNS double precision
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE WHEN gd__is_num(p) THEN btrim(p)::double precision END;
END;

CREATE OR REPLACE FUNCTION gd__int(p text) RETURNS int
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT CASE WHEN gd__is_int(p) AND btrim(p)::bigint <= 2147483647 THEN btrim(p)::int END;
END;

-- The fast forms: a plain cast, which raises on a bad value. A file is
-- read with these first; only when one raises is it read again with the
-- exact forms above, which match a long regular expression a value (ten
-- times dearer) and turn a bad value into NULL for the checks to report.
-- A date must start with its four-digit year and hold no letters but the
-- ISO "T" and "Z", so that what else PostgreSQL takes ("now", "epoch",
-- month-first dates, "CST", which it reads as Chicago's) is refused.
CREATE OR REPLACE FUNCTION gd__time_fast(p text) RETURNS timestamptz
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CASE WHEN btrim(p) = '' THEN NULL
                WHEN p ~ '^\s*[0-9]{4}[-/][-0-9/:.+ TZ]*$' THEN p::timestamptz END;
END;

CREATE OR REPLACE FUNCTION gd__num_fast(p text) RETURNS double precision
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT nullif(btrim(p), '')::double precision;
END;

CREATE OR REPLACE FUNCTION gd__int_fast(p text) RETURNS int
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT nullif(btrim(p), '')::int;
END;

-- one problem, or nothing
CREATE OR REPLACE FUNCTION gd__problem(p_bad boolean, p_col text, p_value text, p_reason text)
RETURNS TABLE (col text, value text, reason text)
LANGUAGE sql IMMUTABLE
BEGIN ATOMIC
    SELECT p_col, p_value, p_reason WHERE p_bad;
END;

-- the record could not be split into the header's columns
CREATE OR REPLACE FUNCTION gd__import_shape(p_columns int) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
    SELECT gd_line, NULL, gd_raw,
           CASE WHEN gd_fields = 0 THEN 'a quoted field that starts on this line is not closed by the end of the file'
                ELSE format('%s fields where the header has %s', gd_fields, p_columns) END
      FROM pg_temp.gd_import WHERE gd_fields IS NOT NULL;
END
$$;

CREATE OR REPLACE FUNCTION gd__import_dupes(p_col text, p_what text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    -- the repeated keys first (a hash of the keys, no sort of every row),
    -- then the lines that repeat them
    EXECUTE format($q$
        INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
        SELECT s.gd_line, %1$L, d.v, format('%2$s "%%s" is also on line %%s', d.v, d.first)
          FROM (SELECT upper(btrim(%1$I)) AS v, min(gd_line) AS first
                  FROM pg_temp.gd_import
                 WHERE gd_fields IS NULL AND NOT gd__blank(%1$I)
                 GROUP BY 1 HAVING count(*) > 1) d
          JOIN pg_temp.gd_import s ON upper(btrim(s.%1$I)) = d.v AND s.gd_line <> d.first
         WHERE s.gd_fields IS NULL$q$, p_col, p_what);
END
$$;

-- grids: districts, streets, communities and grids, parents before
-- children; a new database gets its city from a grids file (a row of level
-- "city")
CREATE OR REPLACE FUNCTION gd__import_grids() RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    lvl text;
    n int := 0;
    k int;
BEGIN
    PERFORM gd__import_dupes('code', 'code');
    INSERT INTO gd_import_errors (line, col, value, reason)
    SELECT s.gd_line, p.col, p.value, p.reason
      FROM gd_import s
     CROSS JOIN LATERAL (
        SELECT * FROM gd__problem(gd__blank(s.code), 'code', s.code, 'code is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.code)
                  AND btrim(s.code) !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 'code', s.code,
                  'code may hold letters, digits, ".", "_" and "-", at most 40')
        UNION ALL SELECT * FROM gd__problem(EXISTS (SELECT FROM areas a WHERE a.code = upper(btrim(s.code))),
                  'code', s.code, format('code "%s" is already in the database', upper(btrim(s.code))))
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.name), 'name', s.name, 'name is empty')
        UNION ALL SELECT * FROM gd__problem(length(s.name) > 100, 'name', s.name, 'name is longer than 100 characters')
        UNION ALL SELECT * FROM gd__problem(coalesce(lower(btrim(s.level)), '') NOT IN ('city', 'district', 'street', 'community', 'grid'),
                  'level', s.level, 'level must be city, district, street, community or grid')
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.parent) AND lower(btrim(s.level)) <> 'city',
                  'parent', s.parent, 'parent is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.parent) AND lower(btrim(s.level)) = 'city',
                  'parent', s.parent, 'a city has no parent: leave parent empty')
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'city'
                  AND EXISTS (SELECT FROM areas a WHERE a.level = 'city' AND a.code <> upper(btrim(s.code))),
                  'level', s.level, format('the database holds a city already (%s): one city a database',
                                           (SELECT a.code FROM areas a WHERE a.level = 'city')))
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'city'
                  AND (SELECT count(*) FROM gd_import o WHERE lower(btrim(o.level)) = 'city') > 1,
                  'level', s.level, 'more than one city in the file: one city a database')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.lat) AND NOT (gd__is_num(s.lat) AND gd__num(s.lat) BETWEEN -90 AND 90),
                  'lat', s.lat, 'lat is not a latitude (-90 to 90)')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.lon) AND NOT (gd__is_num(s.lon) AND gd__num(s.lon) BETWEEN -180 AND 180),
                  'lon', s.lon, 'lon is not a longitude (-180 to 180)')
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.lat) <> gd__blank(s.lon), 'lat', s.lat,
                  'lat and lon go together: give both or neither')
        UNION ALL SELECT * FROM gd__problem(lower(btrim(s.level)) = 'grid' AND (gd__blank(s.lat) OR gd__blank(s.lon)),
                  'lat', s.lat, 'a grid needs lat and lon')
     ) p
     WHERE s.gd_fields IS NULL;

    -- a new database's city, the root of the tree
    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    SELECT upper(btrim(s.code)), btrim(s.name), 'city', NULL, gd__num(s.lat), gd__num(s.lon)
      FROM gd_import s
     WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = 'city'
       AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line);
    GET DIAGNOSTICS n = ROW_COUNT;

    -- level by level, so a row can name a parent from an earlier line or a
    -- later one, and a row under a rejected parent is rejected too
    FOREACH lvl IN ARRAY ARRAY['district', 'street', 'community', 'grid'] LOOP
        INSERT INTO gd_import_errors (line, col, value, reason)
        SELECT s.gd_line, 'parent', s.parent,
               format('parent "%s" is not a %s in the database or in the good rows of this file',
                      s.parent, CASE lvl WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                                         WHEN 'community' THEN 'street' ELSE 'community' END)
          FROM gd_import s
         WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = lvl AND NOT gd__blank(s.parent)
           AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
           AND NOT EXISTS (
               SELECT FROM areas a
                WHERE a.code = upper(btrim(s.parent))
                  AND a.level = CASE lvl WHEN 'district' THEN 'city' WHEN 'street' THEN 'district'
                                         WHEN 'community' THEN 'street' ELSE 'community' END);
        INSERT INTO areas (code, name, level, parent_id, lat, lon)
        SELECT upper(btrim(s.code)), btrim(s.name), lvl, a.id, gd__num(s.lat), gd__num(s.lon)
          FROM gd_import s JOIN areas a ON a.code = upper(btrim(s.parent))
         WHERE s.gd_fields IS NULL AND lower(btrim(s.level)) = lvl
           AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
         ORDER BY s.gd_line;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION gd__import_departments() RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    n int;
BEGIN
    PERFORM gd__import_dupes('code', 'code');
    INSERT INTO gd_import_errors (line, col, value, reason)
    SELECT s.gd_line, p.col, p.value, p.reason
      FROM gd_import s
      LEFT JOIN LATERAL (SELECT array_agg(a.id) AS ids FROM areas a
                          WHERE a.level = 'district'
                            AND (a.code = upper(btrim(s.district)) OR a.name = btrim(s.district))) d ON true
     CROSS JOIN LATERAL (
        SELECT * FROM gd__problem(gd__blank(s.code), 'code', s.code, 'code is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.code)
                  AND btrim(s.code) !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$', 'code', s.code,
                  'code may hold letters, digits, ".", "_" and "-", at most 40')
        UNION ALL SELECT * FROM gd__problem(EXISTS (SELECT FROM departments x WHERE x.code = upper(btrim(s.code))),
                  'code', s.code, format('code "%s" is already in the database', upper(btrim(s.code))))
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.name), 'name', s.name, 'name is empty')
        UNION ALL SELECT * FROM gd__problem(coalesce(lower(btrim(s.kind)), '') NOT IN ('functional', 'mediation',
                  'legal_aid', 'litigation', 'social_work', 'police'), 'kind', s.kind,
                  'kind must be functional, mediation, legal_aid, litigation, social_work or police')
        UNION ALL SELECT * FROM gd__problem(gd__blank(s.district), 'district', s.district, 'district is empty')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.district) AND d.ids IS NULL, 'district', s.district,
                  format('unknown district "%s": no such code or name', s.district))
        UNION ALL SELECT * FROM gd__problem(cardinality(d.ids) > 1, 'district', s.district,
                  format('district name "%s" is ambiguous: use its code', s.district))
        UNION ALL SELECT * FROM gd__problem(EXISTS (
                      SELECT FROM unnest(string_to_array(coalesce(s.lines, ''), '|')) l
                       WHERE btrim(l) <> '' AND NOT EXISTS (SELECT FROM lines_of_work w WHERE w.code = lower(btrim(l)))),
                  'lines', s.lines, 'lines are codes of lines of work separated by "|": '
                  || (SELECT string_agg(code, ', ' ORDER BY code) FROM lines_of_work))
     ) p
     WHERE s.gd_fields IS NULL;

    INSERT INTO departments (code, name, kind, district_id, lines)
    SELECT upper(btrim(s.code)), btrim(s.name), lower(btrim(s.kind)), a.id,
           coalesce((SELECT array_agg(DISTINCT lower(btrim(l))) FROM unnest(string_to_array(s.lines, '|')) l
                      WHERE btrim(l) <> ''), '{}')
      FROM gd_import s
      JOIN areas a ON a.level = 'district' AND (a.code = upper(btrim(s.district)) OR a.name = btrim(s.district))
     WHERE s.gd_fields IS NULL AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
     ORDER BY s.gd_line;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION gd__import_staff() RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    n int;
BEGIN
    PERFORM gd__import_dupes('phone', 'phone');
    INSERT INTO gd_import_errors (line, col, value, reason)
    SELECT s.gd_line, p.col, p.value, p.reason
      FROM gd_import s
      LEFT JOIN areas g ON g.level = 'grid' AND g.code = upper(btrim(s.home_grid))
      LEFT JOIN LATERAL (SELECT array_agg(a.id) AS ids FROM areas a
                          WHERE a.level = 'district'
                            AND (a.code = upper(btrim(s.district)) OR a.name = btrim(s.district))) d ON true
     CROSS JOIN LATERAL (
        SELECT * FROM gd__problem(gd__blank(s.name), 'name', s.name, 'name is empty')
        UNION ALL SELECT * FROM gd__problem(coalesce(lower(btrim(s.tier)), '') NOT IN ('grassroots', 'specialist', 'expert'),
                  'tier', s.tier, 'tier must be grassroots, specialist or expert')
        UNION ALL SELECT * FROM gd__problem(EXISTS (
                      SELECT FROM unnest(string_to_array(coalesce(s.fields, ''), '|')) f
                       WHERE btrim(f) <> '' AND NOT EXISTS (SELECT FROM mediation_fields m WHERE m.code = lower(btrim(f)))),
                  'fields', s.fields, 'fields are mediation field codes separated by "|": '
                  || (SELECT string_agg(code, ', ' ORDER BY code) FROM mediation_fields))
        UNION ALL SELECT * FROM gd__problem(NOT (gd__is_num(s.lat) AND gd__num(s.lat) BETWEEN -90 AND 90),
                  'lat', s.lat, 'lat is not a latitude (-90 to 90)')
        UNION ALL SELECT * FROM gd__problem(NOT (gd__is_num(s.lon) AND gd__num(s.lon) BETWEEN -180 AND 180),
                  'lon', s.lon, 'lon is not a longitude (-180 to 180)')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.home_grid) AND g.id IS NULL, 'home_grid', s.home_grid,
                  format('unknown grid "%s"', s.home_grid))
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.district) AND d.ids IS NULL, 'district', s.district,
                  format('unknown district "%s": no such code or name', s.district))
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.on_duty)
                  AND lower(btrim(s.on_duty)) NOT IN ('true', 'false', 't', 'f', 'yes', 'no', '1', '0', '是', '否'),
                  'on_duty', s.on_duty, 'on_duty must be true or false')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.load_limit)
                  AND NOT (gd__is_int(s.load_limit) AND btrim(s.load_limit)::int BETWEEN 1 AND 1000),
                  'load_limit', s.load_limit, 'load_limit must be a whole number from 1 to 1000')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.phone) AND s.phone !~ '^\s*\+?[0-9][0-9 -]{4,19}\s*$',
                  'phone', s.phone, 'phone is not a phone number')
        UNION ALL SELECT * FROM gd__problem(NOT gd__blank(s.phone) AND EXISTS (
                      SELECT FROM staff x WHERE x.phone = regexp_replace(btrim(s.phone), '[ -]', '', 'g')),
                  'phone', s.phone, 'a staff member with this phone is already in the database')
     ) p
     WHERE s.gd_fields IS NULL;

    INSERT INTO staff (name, tier, fields, lat, lon, home_grid_id, district_id, on_duty,
                       load_limit, phone)
    SELECT btrim(s.name), lower(btrim(s.tier)),
           coalesce((SELECT array_agg(DISTINCT lower(btrim(f))) FROM unnest(string_to_array(s.fields, '|')) f
                      WHERE btrim(f) <> ''), '{}'),
           gd__num(s.lat), gd__num(s.lon), g.id,
           coalesce(d.id, g.path[2]),
           coalesce(lower(btrim(s.on_duty)) IN ('true', 't', 'yes', '1', '是'), true),
           coalesce(nullif(btrim(s.load_limit), '')::int, 5),
           coalesce(regexp_replace(btrim(s.phone), '[ -]', '', 'g'), '')
      FROM gd_import s
      LEFT JOIN areas g ON g.level = 'grid' AND g.code = upper(btrim(s.home_grid))
      LEFT JOIN areas d ON d.level = 'district' AND (d.code = upper(btrim(s.district)) OR d.name = btrim(s.district))
     WHERE s.gd_fields IS NULL AND NOT EXISTS (SELECT FROM gd_import_errors e WHERE e.line = s.gd_line)
     ORDER BY s.gd_line;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- An imported case's history rides on its "imported" event (the times it
-- came with, its department and category), so a later move in griddesk
-- cannot rewrite it; and no time of it may lie after the import.
-- cases: one statement reads the staging table once, types every value
-- and lists each row's problems; the bad rows become messages, the good ones
-- cases, reporters and events. @time@, @num@ and @int@ stand for the readers
-- of times, numbers and whole numbers (see gd__time_fast).
--
CREATE OR REPLACE FUNCTION gd__import_cases_load(p_time text, p_num text, p_int text, today date,
                                      prefix text) RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    n int;
    ours text := prefix || '-';
    day text := to_char(today, 'YYYYMMDD');
BEGIN
    EXECUTE replace(replace(replace($q$
    WITH typed AS MATERIALIZED (
        SELECT v.line, v.t_ref, btrim(v.title) AS title, coalesce(v.description, '') AS description,
               coalesce(btrim(v.location), '') AS location, nullif(btrim(v.outcome), '') AS outcome,
               v.reporter_kind, v.reporter_name, v.reporter_phone, v.has_reporter,
               v.t_category, v.accept_within, v.onsite_within, v.resolve_within,
               v.t_grid, v.t_district, v.grid_lat, v.grid_lon, v.t_department, v.department_code, v.t_mediator,
               v.t_priority, v.t_status, v.t_reported, v.t_dispatched, v.t_accepted, v.t_onsite,
               v.t_resolved, v.t_closed, v.t_returned, v.t_cancelled, v.t_lat, v.t_lon,
               v.t_assist, v.assist_unknown,
               -- ids given here, so the inserts below can refer to each other; a
               -- bad row's ids are simply never used
               nextval('cases_id_seq') AS case_id,
               CASE WHEN v.has_reporter THEN nextval('reporters_id_seq') END AS reporter_id,
               array_remove(ARRAY[

                CASE WHEN length(v.t_ref) > 40 OR left(v.t_ref, 1) IN ('.', '_', '-')
                       OR translate(v.t_ref, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-', '') <> ''
                     THEN 'ref:form' END,
                CASE WHEN v.t_ref LIKE $1 || '%' AND substr(v.t_ref, length($1) + 1, 8) > $2
                      AND substr(v.t_ref, length($1) + 9, 1) = '-' THEN 'ref:future' END,
                CASE WHEN gd__blank(v.title) THEN 'title:empty' END,
                CASE WHEN octet_length(v.title) > 200 AND length(btrim(v.title)) > 200 THEN 'title:long' END,
                CASE WHEN octet_length(v.description) > 10000 AND length(v.description) > 10000 THEN 'description:long' END,
                CASE WHEN gd__blank(v.category) THEN 'category:empty' END,
                CASE WHEN NOT gd__blank(v.category) AND v.t_category IS NULL THEN 'category:unknown' END,
                CASE WHEN v.t_priority IS NULL THEN 'priority:range' END,
                CASE WHEN gd__blank(v.grid) THEN 'grid:empty' END,
                CASE WHEN NOT gd__blank(v.grid) AND v.t_grid IS NULL THEN 'grid:unknown' END,
                CASE WHEN octet_length(v.location) > 500 AND length(v.location) > 500 THEN 'location:long' END,
                CASE WHEN NOT gd__blank(v.lat) AND NOT coalesce(v.t_lat BETWEEN -90 AND 90, false) THEN 'lat:bad' END,
                CASE WHEN NOT gd__blank(v.lon) AND NOT coalesce(v.t_lon BETWEEN -180 AND 180, false) THEN 'lon:bad' END,
                CASE WHEN gd__blank(v.lat) <> gd__blank(v.lon) THEN 'lat:pair' END,
                CASE WHEN NOT gd__blank(v.reporter_kind) AND lower(btrim(v.reporter_kind)) NOT IN ('grid_worker',
                     'party_member', 'village_leader', 'auxiliary_police', 'volunteer', 'courier',
                     'ride_hailing', 'resident', 'other') THEN 'reporter_kind:unknown' END,
                CASE WHEN NOT gd__blank(v.reporter_phone)
                      AND (translate(btrim(v.reporter_phone), '0123456789 -', '') NOT IN ('', '+')
                           OR length(btrim(v.reporter_phone)) NOT BETWEEN 5 AND 20
                           OR strpos(substr(btrim(v.reporter_phone), 2), '+') > 0
                           OR left(btrim(v.reporter_phone), 1) IN (' ', '-'))
                     THEN 'reporter_phone:bad' END,
                CASE WHEN octet_length(v.reporter_name) > 100 AND length(v.reporter_name) > 100 THEN 'reporter_name:long' END,
                CASE WHEN v.t_status NOT IN ('new', 'dispatched', 'accepted', 'on_site', 'resolved',
                     'closed', 'returned', 'cancelled') THEN 'status:unknown' END,
                CASE WHEN NOT gd__blank(v.department) AND v.t_department IS NULL THEN 'department:unknown' END,
                CASE WHEN gd__blank(v.department) AND v.t_status IN ('dispatched', 'accepted', 'on_site',
                     'resolved', 'closed') THEN 'department:missing' END,
                CASE WHEN NOT gd__blank(v.mediator) AND v.t_mediator IS NULL THEN 'mediator:unknown' END,
                CASE WHEN gd__blank(v.outcome) AND v.t_status IN ('resolved', 'closed') THEN 'outcome:missing' END,
                CASE WHEN octet_length(v.outcome) > 2000 AND length(v.outcome) > 2000 THEN 'outcome:long' END,
                CASE WHEN gd__blank(v.reported_at) THEN 'reported_at:empty' END,
                CASE WHEN NOT gd__blank(v.reported_at) AND v.t_reported IS NULL THEN 'reported_at:bad' END,
                CASE WHEN v.t_reported > now() THEN 'reported_at:future' END,
                CASE WHEN NOT gd__blank(v.dispatched_at) AND v.t_dispatched IS NULL THEN 'dispatched_at:bad' END,
                CASE WHEN v.t_dispatched < v.t_reported THEN 'dispatched_at:early' END,
                CASE WHEN v.t_dispatched > now() THEN 'dispatched_at:future' END,
                CASE WHEN NOT gd__blank(v.accepted_at) AND v.t_accepted IS NULL THEN 'accepted_at:bad' END,
                CASE WHEN v.t_accepted < v.t_reported THEN 'accepted_at:early' END,
                CASE WHEN v.t_accepted > now() THEN 'accepted_at:future' END,
                CASE WHEN NOT gd__blank(v.onsite_at) AND v.t_onsite IS NULL THEN 'onsite_at:bad' END,
                CASE WHEN v.t_onsite < v.t_reported THEN 'onsite_at:early' END,
                CASE WHEN v.t_onsite > now() THEN 'onsite_at:future' END,
                CASE WHEN NOT gd__blank(v.resolved_at) AND v.t_resolved IS NULL THEN 'resolved_at:bad' END,
                CASE WHEN v.t_resolved < v.t_reported THEN 'resolved_at:early' END,
                CASE WHEN v.t_resolved > now() THEN 'resolved_at:future' END,
                CASE WHEN NOT gd__blank(v.closed_at) AND v.t_closed IS NULL THEN 'closed_at:bad' END,
                CASE WHEN v.t_closed < v.t_reported THEN 'closed_at:early' END,
                CASE WHEN v.t_closed > now() THEN 'closed_at:future' END,
                CASE WHEN NOT gd__blank(v.returned_at) AND v.t_returned IS NULL THEN 'returned_at:bad' END,
                CASE WHEN v.t_returned < v.t_reported THEN 'returned_at:early' END,
                CASE WHEN v.t_returned > now() THEN 'returned_at:future' END,
                CASE WHEN NOT gd__blank(v.cancelled_at) AND v.t_cancelled IS NULL THEN 'cancelled_at:bad' END,
                CASE WHEN v.t_cancelled < v.t_reported THEN 'cancelled_at:early' END,
                CASE WHEN v.t_cancelled > now() THEN 'cancelled_at:future' END,
                CASE WHEN v.assist_unknown IS NOT NULL THEN 'assisting:unknown' END,
                CASE WHEN v.t_department = ANY (v.t_assist) THEN 'assisting:lead' END,
                CASE WHEN v.t_assist IS NOT NULL AND v.t_department IS NULL THEN 'assisting:nolead' END
            ], NULL) AS problems
          FROM (SELECT s.gd_line AS line, s.ref, s.title, s.description, s.category, s.priority, s.grid,
                       s.location, s.lat, s.lon, s.reporter_kind, s.reporter_name,
                       s.reporter_phone, s.status, s.department, s.mediator, s.outcome,
                       s.reported_at, s.dispatched_at, s.accepted_at, s.onsite_at,
                       s.resolved_at, s.closed_at, s.returned_at, s.cancelled_at, s.assisting,
                       nullif(upper(btrim(s.ref)), '') AS t_ref,
                       coalesce(k1.code, k2.code) AS t_category,
                       coalesce(k1.accept_within, k2.accept_within) AS accept_within,
                       coalesce(k1.onsite_within, k2.onsite_within) AS onsite_within,
                       coalesce(k1.resolve_within, k2.resolve_within) AS resolve_within,
                       g.id AS t_grid, g.path[2] AS t_district, g.lat AS grid_lat, g.lon AS grid_lon,
                       d.id AS t_department, d.code AS department_code,
                       m.id AS t_mediator,
                       CASE WHEN btrim(coalesce(s.priority, '')) = '' THEN 3
                            WHEN btrim(s.priority) IN ('1', '2', '3', '4') THEN btrim(s.priority)::int
                       END AS t_priority,
                       coalesce(nullif(lower(btrim(s.status)), ''), 'new') AS t_status,
                       @time@(s.reported_at) AS t_reported,
                       @time@(s.dispatched_at) AS t_dispatched, @time@(s.accepted_at) AS t_accepted,
                       @time@(s.onsite_at) AS t_onsite, @time@(s.resolved_at) AS t_resolved,
                       @time@(s.closed_at) AS t_closed, @time@(s.returned_at) AS t_returned,
                       @time@(s.cancelled_at) AS t_cancelled,
                       @num@(s.lat) AS t_lat, @num@(s.lon) AS t_lon,
                       NOT (gd__blank(s.reporter_kind) AND gd__blank(s.reporter_name)
                            AND gd__blank(s.reporter_phone)) AS has_reporter,
                       -- the assisting departments (联办): codes joined by ";",
                       -- looked up only when there are any
                       CASE WHEN NOT gd__blank(s.assisting) THEN
                           (SELECT array_agg(DISTINCT ad.id) FROM unnest(string_to_array(s.assisting, ';')) a
                              JOIN departments ad ON ad.code = upper(btrim(a))) END AS t_assist,
                       CASE WHEN NOT gd__blank(s.assisting) THEN
                           (SELECT btrim(a) FROM unnest(string_to_array(s.assisting, ';')) a
                             WHERE NOT EXISTS (SELECT FROM departments ad WHERE ad.code = upper(btrim(a)))
                             LIMIT 1) END AS assist_unknown
                  FROM pg_temp.gd_import s
                  LEFT JOIN categories k1 ON k1.code = lower(btrim(s.category))
                  LEFT JOIN categories k2 ON k2.name = btrim(s.category)
                  LEFT JOIN areas g ON g.code = upper(btrim(s.grid)) AND g.level = 'grid'
                  LEFT JOIN departments d ON d.code = upper(btrim(s.department))
                  LEFT JOIN staff m ON m.id = @int@(s.mediator)
                 WHERE s.gd_fields IS NULL
                   AND NOT EXISTS (SELECT FROM pg_temp.gd_import_errors e WHERE e.line = s.gd_line)
                OFFSET 0) v
    ), errors_in AS (
        INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
        SELECT b.line, split_part(b.code, ':', 1),
           CASE split_part(b.code, ':', 1)
               WHEN 'ref' THEN x.ref WHEN 'title' THEN x.title WHEN 'description' THEN left(x.description, 40)
               WHEN 'category' THEN x.category WHEN 'priority' THEN x.priority WHEN 'grid' THEN x.grid
               WHEN 'location' THEN left(x.location, 40) WHEN 'lat' THEN x.lat WHEN 'lon' THEN x.lon
               WHEN 'reporter_kind' THEN x.reporter_kind WHEN 'reporter_phone' THEN x.reporter_phone
               WHEN 'reporter_name' THEN left(x.reporter_name, 40)
               WHEN 'status' THEN x.status WHEN 'department' THEN x.department
               WHEN 'mediator' THEN x.mediator WHEN 'outcome' THEN left(x.outcome, 40)
               WHEN 'reported_at' THEN x.reported_at WHEN 'dispatched_at' THEN x.dispatched_at
               WHEN 'accepted_at' THEN x.accepted_at WHEN 'onsite_at' THEN x.onsite_at
               WHEN 'resolved_at' THEN x.resolved_at WHEN 'closed_at' THEN x.closed_at
               WHEN 'returned_at' THEN x.returned_at WHEN 'cancelled_at' THEN x.cancelled_at
               WHEN 'assisting' THEN x.assisting
           END,
           CASE b.code
               WHEN 'ref:form' THEN 'ref may hold letters, digits, ".", "_" and "-", at most 40'
               WHEN 'ref:future' THEN format('ref %s is dated after today', b.t_ref)
               WHEN 'title:empty' THEN 'title is empty'
               WHEN 'title:long' THEN format('title is %s characters, at most 200', length(btrim(x.title)))
               WHEN 'description:long' THEN format('description is %s characters, at most 10000', length(x.description))
               WHEN 'category:empty' THEN 'category is empty'
               WHEN 'category:unknown' THEN format('unknown category "%s": no such code or name', x.category)
               WHEN 'priority:range' THEN 'priority must be 1 (urgent), 2, 3 or 4'
               WHEN 'grid:empty' THEN 'grid is empty'
               WHEN 'grid:unknown' THEN format('unknown grid "%s": no such grid code', x.grid)
               WHEN 'location:long' THEN 'location is longer than 500 characters'
               WHEN 'lat:bad' THEN 'lat is not a latitude (-90 to 90)'
               WHEN 'lon:bad' THEN 'lon is not a longitude (-180 to 180)'
               WHEN 'lat:pair' THEN 'lat and lon go together: give both or neither'
               WHEN 'reporter_kind:unknown' THEN 'reporter_kind must be grid_worker, party_member, village_leader, auxiliary_police, volunteer, courier, ride_hailing, resident or other'
               WHEN 'reporter_phone:bad' THEN 'reporter_phone is not a phone number'
               WHEN 'reporter_name:long' THEN 'reporter_name is longer than 100 characters'
               WHEN 'status:unknown' THEN 'status must be new, dispatched, accepted, on_site, resolved, closed, returned or cancelled'
               WHEN 'department:unknown' THEN format('unknown department "%s": no such code', x.department)
               WHEN 'department:missing' THEN format('a case that is %s needs its department', b.t_status)
               WHEN 'mediator:unknown' THEN format('unknown mediator "%s": no such staff id', x.mediator)
               WHEN 'outcome:missing' THEN format('a case that is %s needs its outcome', b.t_status)
               WHEN 'outcome:long' THEN 'outcome is longer than 2000 characters'
               WHEN 'reported_at:empty' THEN 'reported_at is empty'
               WHEN 'reported_at:future' THEN 'reported_at is in the future'
               WHEN 'assisting:unknown' THEN format('unknown assisting department "%s": no such code', b.assist_unknown)
               WHEN 'assisting:lead' THEN 'the lead department cannot also assist'
               WHEN 'assisting:nolead' THEN 'assisting departments need a lead: the case has no department'
               ELSE CASE split_part(b.code, ':', 2)
                   WHEN 'bad' THEN format('%s is not a date and time (YYYY-MM-DD HH:MM[:SS][+08])', split_part(b.code, ':', 1))
                   WHEN 'early' THEN format('%s is before reported_at', split_part(b.code, ':', 1))
                   WHEN 'future' THEN format('%s is in the future', split_part(b.code, ':', 1))
               END
           END
          FROM (SELECT t.line, t.t_ref, t.t_status, t.assist_unknown, unnest(t.problems) AS code
                  FROM typed t WHERE t.problems <> '{}') b
          JOIN pg_temp.gd_import x ON x.gd_line = b.line
    ), good AS (
        SELECT t.* FROM typed t WHERE t.problems = '{}'
    ), reporters_in AS (
        -- placed by their case's grid at once (see gd__cases_written)
        INSERT INTO reporters (id, kind, name, phone, grid_id)
        SELECT g.reporter_id, coalesce(nullif(lower(btrim(g.reporter_kind)), ''), 'other'),
               coalesce(btrim(g.reporter_name), ''),
               coalesce(replace(replace(btrim(g.reporter_phone), ' ', ''), '-', ''), ''),
               g.t_grid
          FROM good g WHERE g.reporter_id IS NOT NULL
    ), cases_in AS (
        INSERT INTO cases (id, ref, title, description, category, priority, grid_id, district_id,
                           location, lat, lon, reporter_id, status, department_id, mediator_id,
                           outcome, reported_at, dispatched_at, accepted_at, onsite_at,
                           resolved_at, closed_at, returned_at, cancelled_at,
                           accept_by, onsite_by, resolve_by, stage_since, assist_districts)
        SELECT g.case_id,
               coalesce(g.t_ref, gd__next_ref($3)),
               g.title, g.description, g.t_category, g.t_priority,
               g.t_grid, g.t_district, g.location,
               coalesce(g.t_lat, g.grid_lat), coalesce(g.t_lon, g.grid_lon), g.reporter_id,
               g.t_status, g.t_department, g.t_mediator, g.outcome,
               g.t_reported, g.t_dispatched, g.t_accepted, g.t_onsite, g.t_resolved,
               g.t_closed, g.t_returned, g.t_cancelled,
               gd__deadline(g.t_reported, g.accept_within, g.t_priority),
               gd__deadline(g.t_reported, g.onsite_within, g.t_priority),
               gd__deadline(g.t_reported, g.resolve_within, g.t_priority),
               coalesce(CASE g.t_status WHEN 'dispatched' THEN g.t_dispatched
                                        WHEN 'accepted' THEN g.t_accepted
                                        WHEN 'on_site' THEN g.t_onsite
                                        WHEN 'resolved' THEN g.t_resolved
                                        WHEN 'closed' THEN g.t_closed
                                        WHEN 'returned' THEN g.t_returned
                                        WHEN 'cancelled' THEN g.t_cancelled END, g.t_reported),
               (SELECT array_agg(DISTINCT ad.district_id ORDER BY ad.district_id)
                  FROM departments ad WHERE ad.id = ANY (g.t_assist))
          FROM good g
    ), parts_in AS (
        -- a part came with its department only: it is done with a case the
        -- lead finished, let go with a cancelled one, and open otherwise,
        -- its deadlines counted from the dispatch
        INSERT INTO case_parts (case_id, department_id, status, dispatched_at, feedback_at,
                                released_at, accept_by, onsite_by, resolve_by)
        SELECT g.case_id, a.id,
               CASE WHEN g.t_status IN ('resolved', 'closed') THEN 'fed_back'
                    WHEN g.t_status = 'cancelled' THEN 'released' ELSE 'dispatched' END,
               coalesce(g.t_dispatched, g.t_reported),
               CASE WHEN g.t_status IN ('resolved', 'closed') THEN coalesce(g.t_resolved, g.t_closed) END,
               CASE WHEN g.t_status = 'cancelled' THEN g.t_cancelled END,
               gd__deadline(coalesce(g.t_dispatched, g.t_reported), g.accept_within, g.t_priority),
               gd__deadline(coalesce(g.t_dispatched, g.t_reported), g.onsite_within, g.t_priority),
               gd__deadline(coalesce(g.t_dispatched, g.t_reported), g.resolve_within, g.t_priority)
          FROM good g CROSS JOIN LATERAL unnest(g.t_assist) AS a(id)
    )
    INSERT INTO events (case_id, kind, data)
    SELECT g.case_id, 'imported',
           jsonb_build_object('to', g.t_status, 'version', 1, 'line', g.line,
                              'department', g.department_code, 'category', g.t_category,
                              'history', jsonb_strip_nulls(jsonb_build_object(
                                  'reported_at', g.t_reported, 'dispatched_at', g.t_dispatched,
                                  'accepted_at', g.t_accepted, 'onsite_at', g.t_onsite,
                                  'resolved_at', g.t_resolved, 'closed_at', g.t_closed,
                                  'returned_at', g.t_returned, 'cancelled_at', g.t_cancelled)))
      FROM good g;
$q$, '@time@', p_time), '@num@', p_num), '@int@', p_int) USING ours, day, today;
    GET DIAGNOSTICS n = ROW_COUNT;

    -- a report later today must not be given a reference imported now
    PERFORM setval('case_ref_seq', gd__ref_base(today) + x.m)
       FROM (SELECT max(substr(r, length(ours) + 10)::bigint) AS m
               FROM (SELECT upper(btrim(ref)) AS r FROM gd_import) i
              WHERE r LIKE ours || day || '-%'
                AND translate(substr(r, length(ours) + 10), '0123456789', '') = ''
                AND length(r) BETWEEN length(ours) + 10 AND length(ours) + 16) x
      WHERE x.m IS NOT NULL AND gd__ref_base(today) + x.m > (SELECT last_value FROM case_ref_seq);
    RETURN n;
END
$$;

CREATE OR REPLACE FUNCTION gd__import_cases() RETURNS int
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    today date := gd__today();
    prefix text := (SELECT value FROM settings WHERE key = 'city_prefix');
BEGIN
    PERFORM gd__import_dupes('ref', 'ref');
    -- a join, not a lookup a row: a million rows against a million cases
    INSERT INTO gd_import_errors (line, col, value, reason)
    SELECT s.gd_line, 'ref', s.ref, format('case %s is already in the database', c.ref)
      FROM gd_import s JOIN cases c ON c.ref = upper(btrim(s.ref))
     WHERE s.gd_fields IS NULL;
    BEGIN
        RETURN gd__import_cases_load('gd__time_fast', 'gd__num_fast', 'gd__int_fast', today, prefix);
    EXCEPTION WHEN data_exception THEN
        -- some value did not cast: read the file again the exact way
        RETURN gd__import_cases_load('gd__time', 'gd__num', 'gd__int', today, prefix);
    END;
END
$$;

-- A time in a file without an offset is the centre's, as a date typed on
-- the command line is (gd_centre_time): the rows are read with the
-- session's TimeZone set to the centre's zone, and it is put back after.
-- Check and load the staged rows; the problems are in gd_import_errors.
-- Returns how many rows went in; the caller commits or rolls back.
-- jit is off: compiling the checks' large expressions took longer than
-- running them. Memory is the caller's to set (gridctl sizes it to the file).
--
CREATE OR REPLACE FUNCTION gd_import_run(p_kind text, p_columns int, OUT imported int, OUT rejected int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp SET jit = off AS $$
DECLARE
    was text := current_setting('TimeZone');
BEGIN
    PERFORM gd__import_staged();
    -- the planner knows nothing of a table just filled: without this it
    -- expects a few hundred rows and looks each reference up by index
    ANALYZE pg_temp.gd_import;
    PERFORM gd__import_shape(p_columns);
    PERFORM gd__import_caps(p_kind);
    PERFORM set_config('TimeZone', (SELECT s.value FROM settings s WHERE s.key = 'timezone'), true);
    imported := CASE p_kind
        WHEN 'grids' THEN gd__import_grids()
        WHEN 'departments' THEN gd__import_departments()
        WHEN 'staff' THEN gd__import_staff()
        WHEN 'cases' THEN gd__import_cases()
    END;
    PERFORM set_config('TimeZone', was, true);
    SELECT count(DISTINCT line) INTO rejected FROM pg_temp.gd_import_errors;
END
$$;

-- Imports: gd_import_run reads only staging tables that gd_import_begin
-- made in this session, as the owner, untouched: a caller's own
-- pg_temp.gd_import (with a trigger of its own, say) is refused.
CREATE OR REPLACE FUNCTION gd__import_staged() RETURNS void
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF (SELECT count(*) FROM pg_class c
         WHERE c.relnamespace = pg_my_temp_schema()
           AND c.relname IN ('gd_import', 'gd_import_errors')
           AND c.relowner = current_user::regrole AND c.relkind = 'r'
           AND NOT c.relhastriggers AND NOT c.relhasrules AND NOT c.relrowsecurity
           AND NOT c.relhassubclass AND NOT EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = c.oid)) <> 2
    THEN
        RAISE EXCEPTION 'no import in progress: gd_import_begin makes the staging tables'
            USING ERRCODE = 'GDV01';
    END IF;
END
$$;

-- the names' cap, as a problem of the line rather than an error that stops
-- the file (grids check theirs already)
CREATE OR REPLACE FUNCTION gd__import_caps(p_kind text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF p_kind IN ('departments', 'staff') THEN
        INSERT INTO pg_temp.gd_import_errors (line, col, value, reason)
        SELECT s.gd_line, 'name', left(s.name, 100) || '…',
               format('name is %s characters, at most 100', length(btrim(s.name)))
          FROM pg_temp.gd_import s
         WHERE s.gd_fields IS NULL AND length(btrim(s.name)) > 100;
    END IF;
END
$$;
