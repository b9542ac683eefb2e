-- Live traffic for demos and benchmarks: realistic reports across the demo
-- city, and departments and operators moving cases along. Each call is the
-- caller's own transaction and uses the caller's rights: the simulator is
-- only another client of the same rules.

CREATE INDEX cases_open_stage ON cases (stage_since)
    WHERE status NOT IN ('closed', 'cancelled');

-- p_random seeds the choices (the caller's generator keeps runs repeatable);
-- p_mix weighs groups of categories, e.g. 'hazard:30,dispute:40'.
CREATE FUNCTION gd_simulate_report(p_random double precision, p_mix text DEFAULT NULL,
                                   p_title_prefix text DEFAULT '')
RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    mix jsonb := '{}';
    pick record;
    grid record;
    ngrids int;
    r double precision;
    bad text;
BEGIN
    PERFORM setseed(p_random * 2 - 1);
    IF nullif(p_mix, '') IS NOT NULL THEN
        SELECT jsonb_object_agg(btrim(split_part(kv, ':', 1)),
                                nullif(btrim(split_part(kv, ':', 2)), '')::numeric)
          INTO mix FROM unnest(string_to_array(p_mix, ',')) kv;
        SELECT k INTO bad FROM jsonb_object_keys(mix) k
         WHERE k NOT IN (SELECT split_part(code, '.', 1) FROM categories) LIMIT 1;
        IF bad IS NOT NULL THEN
            RAISE EXCEPTION 'unknown group "%" in the mix: one of %', bad,
                (SELECT string_agg(DISTINCT split_part(code, '.', 1), ', ') FROM categories)
                USING ERRCODE = 'GDV01';
        END IF;
    END IF;
    r := random();
    SELECT x.category, x.titles INTO pick FROM (
        SELECT w.category, w.titles, sum(w.w) OVER (ORDER BY w.category) AS upto,
               sum(w.w) OVER () AS total
          FROM (SELECT p.category, p.titles,
                       CASE WHEN mix = '{}' THEN p.weight
                            ELSE coalesce((mix ->> split_part(p.category, '.', 1))::numeric, 0)
                       END AS w
                  FROM demo_profile p) w
         WHERE w.w > 0
    ) x WHERE x.upto > r * x.total ORDER BY x.upto LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'nothing to simulate: seed the demo city first, and give --mix groups among %',
            (SELECT string_agg(DISTINCT split_part(code, '.', 1), ', ') FROM categories)
            USING ERRCODE = 'GDV01';
    END IF;

    SELECT count(*) INTO ngrids FROM areas WHERE level = 'grid';
    SELECT g.code, c.name AS community, s.name AS street INTO grid
      FROM areas g JOIN areas c ON c.id = g.parent_id JOIN areas s ON s.id = c.parent_id
     WHERE g.level = 'grid' ORDER BY g.id OFFSET floor(random() * ngrids) LIMIT 1;

    RETURN gd_report(
        grid.code, pick.category,
        coalesce(p_title_prefix, '')
            || replace(pick.titles[1 + floor(random() * cardinality(pick.titles))::int], '%s', grid.community),
        '群众通过一键上报反映：' || grid.street || grid.community || '。',
        CASE WHEN random() < 0.08 THEN 1 WHEN random() < 0.25 THEN 2
             WHEN random() < 0.85 THEN 3 ELSE 4 END,
        grid.street || grid.community || (1 + floor(random() * 120))::int || '号',
        NULL, NULL,
        (ARRAY['grid_worker', 'party_member', 'village_leader', 'auxiliary_police', 'volunteer',
               'courier', 'ride_hailing', 'resident'])[1 + floor(random() * 8)::int],
        (ARRAY['陈', '李', '黄', '梁', '张', '王'])[1 + floor(random() * 6)::int]
            || (ARRAY['先生', '女士', '师傅'])[1 + floor(random() * 3)::int],
        '13' || lpad(floor(random() * 1000000000)::bigint::text, 9, '0'));
END
$$;

-- Move one waiting case one step along, as the centre or a department
-- would. Returns what it did, or NULL when nothing was waiting.
CREATE FUNCTION gd_simulate_act(p_random double precision) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    c record;
    dept text;
    med int;
BEGIN
    PERFORM setseed(p_random * 2 - 1);
    SELECT cs.ref, cs.status, cs.version, cs.category, cs.district_id, cat.field INTO c
      FROM cases cs JOIN categories cat ON cat.code = cs.category
     WHERE cs.status NOT IN ('closed', 'cancelled')
     ORDER BY cs.stage_since
     OFFSET floor(random() * 20) LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    CASE c.status
    WHEN 'new', 'returned' THEN
        SELECT d.code INTO dept FROM category_routes r JOIN departments d ON d.id = r.department_id
         WHERE r.category = c.category AND r.district_id = c.district_id;
        IF c.field IS NOT NULL THEN
            SELECT s.id INTO med FROM staff s
             WHERE s.district_id = c.district_id AND c.field = ANY (s.fields) AND s.on_duty
               AND s.open_cases < s.load_limit
             ORDER BY s.open_cases, s.id LIMIT 1;
        END IF;
        PERFORM gd_assign(c.ref, c.version, coalesce(dept, (SELECT code FROM departments LIMIT 1)),
                          med, NULL);
        RETURN c.ref || ' dispatched';
    WHEN 'dispatched' THEN
        IF random() < 0.05 THEN
            PERFORM gd_return(c.ref, c.version, '不属于本部门职责，请重新派单');
            RETURN c.ref || ' returned';
        END IF;
        PERFORM gd_accept(c.ref, c.version);
        RETURN c.ref || ' accepted';
    WHEN 'accepted' THEN
        PERFORM gd_onsite(c.ref, c.version);
        RETURN c.ref || ' on site';
    WHEN 'on_site' THEN
        PERFORM gd_resolve(c.ref, c.version, '已到现场处置，当事人表示满意');
        RETURN c.ref || ' resolved';
    ELSE
        PERFORM gd_close(c.ref, c.version);
        RETURN c.ref || ' closed';
    END CASE;
EXCEPTION WHEN SQLSTATE 'GDS01' THEN
    RETURN NULL; /* someone else moved it first: fine */
END
$$;

REVOKE EXECUTE ON FUNCTION gd_simulate_report(double precision, text, text),
                           gd_simulate_act(double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gd_simulate_report(double precision, text, text),
                          gd_simulate_act(double precision) TO griddesk_admin;
GRANT SELECT ON demo_profile TO griddesk_viewer;
