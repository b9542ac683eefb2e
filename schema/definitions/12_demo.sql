-- The demo city and its live traffic. Jiangmen's seven county-level
-- divisions, their streets and towns, generated communities and grids,
-- departments, the talent pool and a history of cases, deterministic for a
-- given seed; and the simulator, only another client of the same rules,
-- with the caller's rights and in the caller's transaction.

CREATE OR REPLACE FUNCTION gd_seed_demo(p_cases int DEFAULT 20000, p_seed int DEFAULT 1)
RETURNS TABLE (what text, n bigint)
LANGUAGE plpgsql
-- a parallel plan would draw random() in a different order on each run
SET max_parallel_workers_per_gather = 0
SET search_path = public, pg_temp AS $$
DECLARE
    city_id int;
    base timestamptz := date_trunc('minute', now());
BEGIN
    IF EXISTS (SELECT FROM areas) THEN
        RAISE EXCEPTION 'the database already holds a city: seed a fresh database'
            USING ERRCODE = 'GDV01';
    END IF;
    IF p_cases < 0 OR p_cases > 5000000 THEN
        RAISE EXCEPTION 'cases % is out of range: 0 to 5000000', p_cases USING ERRCODE = 'GDV01';
    END IF;
    PERFORM setseed(((p_seed::bigint % 1000003) / 1000003.0)::float8);

    INSERT INTO areas (code, name, level, lat, lon) VALUES ('JM', '江门市', 'city', 22.58, 113.08)
        RETURNING id INTO city_id;

    CREATE TEMP TABLE demo_districts ON COMMIT DROP AS
    SELECT * FROM (VALUES
        ('PJ', '蓬江区', 22.62, 113.05, 0.06,
         ARRAY['环市街道', '潮连街道', '白沙街道', '北街街道', '堤东街道', '杜阮镇', '棠下镇', '荷塘镇']),
        ('JH', '江海区', 22.56, 113.13, 0.04,
         ARRAY['江南街道', '外海街道', '礼乐街道']),
        ('XH', '新会区', 22.46, 113.03, 0.12,
         ARRAY['会城街道', '大泽镇', '司前镇', '罗坑镇', '双水镇', '崖门镇', '沙堆镇', '古井镇',
               '三江镇', '睦洲镇', '大鳌镇']),
        ('TS', '台山市', 22.25, 112.79, 0.20,
         ARRAY['台城街道', '大江镇', '水步镇', '四九镇', '白沙镇', '三合镇', '冲蒌镇', '斗山镇',
               '都斛镇', '赤溪镇', '端芬镇', '广海镇', '海宴镇', '汶村镇', '深井镇', '北陡镇', '川岛镇']),
        ('KP', '开平市', 22.38, 112.65, 0.15,
         ARRAY['长沙街道', '三埠街道', '月山镇', '水口镇', '沙塘镇', '苍城镇', '龙胜镇', '大沙镇',
               '马冈镇', '塘口镇', '赤坎镇', '百合镇', '蚬冈镇', '金鸡镇', '赤水镇']),
        ('HS', '鹤山市', 22.76, 112.90, 0.12,
         ARRAY['沙坪街道', '雅瑶镇', '古劳镇', '龙口镇', '桃源镇', '鹤城镇', '共和镇', '址山镇',
               '宅梧镇', '双合镇']),
        ('EP', '恩平市', 22.18, 112.30, 0.14,
         ARRAY['恩城街道', '横陂镇', '圣堂镇', '良西镇', '沙湖镇', '牛江镇', '君堂镇', '大槐镇',
               '东成镇', '大田镇', '那吉镇'])
    ) v (code, name, lat, lon, spread, streets);

    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    SELECT code, name, 'district', city_id, lat, lon FROM demo_districts ORDER BY code;

    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    SELECT d.code || lpad(s.i::text, 2, '0'), s.name, 'street', a.id,
           round((d.lat + (random() - 0.5) * d.spread)::numeric, 5),
           round((d.lon + (random() - 0.5) * d.spread)::numeric, 5)
      FROM demo_districts d
      JOIN areas a ON a.code = d.code
      CROSS JOIN LATERAL unnest(d.streets) WITH ORDINALITY s (name, i)
     ORDER BY d.code, s.i;

    -- communities: street-side ones are 社区, township ones mostly 村
    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    SELECT st.code || '-' || lpad(k::text, 2, '0'),
           (ARRAY['东','南','西','北','新','龙','凤','华','和','平','安','乐','康','福','兴','隆',
                  '江','海','湖','山','桥','沙','石','田','岗','塘','涌','围','冈','水','美','丰',
                  '荣','庆','益','泰','永','富','金','银','莲','荷','桂','榕','松','梅','竹','仁'])
               [1 + ((st.id * 7 + k * 13) % 48)]
           || (ARRAY['华','安','城','和','溪','塘','岭','洲','边','湾','园','苑','景','桥','头','坑'])
               [1 + ((st.id * 5 + k * 3) % 16)]
           || CASE WHEN st.name LIKE '%街道' OR k % 3 = 0 THEN '社区' ELSE '村' END,
           'community', st.id,
           round((st.lat + (random() - 0.5) * 0.05)::numeric, 5),
           round((st.lon + (random() - 0.5) * 0.05)::numeric, 5)
      FROM areas st
      CROSS JOIN LATERAL generate_series(1, 4 + (st.id % 4)) k
     WHERE st.level = 'street'
     ORDER BY st.code, k;

    INSERT INTO areas (code, name, level, parent_id, lat, lon)
    -- a grid's name is unique in the city, as the centre writes it on orders
    SELECT cm.code || '-' || lpad(k::text, 2, '0'), st.name || cm.name || '第' || k || '网格',
           'grid', cm.id,
           round((cm.lat + (random() - 0.5) * 0.012)::numeric, 5),
           round((cm.lon + (random() - 0.5) * 0.012)::numeric, 5)
      FROM areas cm
      JOIN areas st ON st.id = cm.parent_id
      CROSS JOIN LATERAL generate_series(1, 4 + (cm.id % 5)) k
     WHERE cm.level = 'community'
     ORDER BY cm.code, k;
    RAISE NOTICE 'grid tree: % areas', (SELECT count(*) FROM areas);

    CREATE TEMP TABLE demo_dept_kinds ON COMMIT DROP AS
    SELECT * FROM (VALUES
        ('CG', '城市管理和综合执法局', 'functional', ARRAY['city']),
        ('ZJ', '住房和城乡建设局', 'functional', ARRAY['city']),
        ('YJ', '应急管理局', 'functional', ARRAY['governance', 'city']),
        ('SC', '市场监督管理局', 'functional', ARRAY['governance']),
        ('RS', '人力资源和社会保障局', 'functional', ARRAY['governance']),
        ('MZ', '民政局', 'functional', ARRAY['civil']),
        ('ZR', '自然资源局', 'functional', ARRAY['governance']),
        ('ST', '生态环境分局', 'functional', ARRAY['city']),
        ('WJ', '卫生健康局', 'functional', ARRAY['governance']),
        ('XF', '信访局', 'functional', ARRAY['petition']),
        ('DQ', '党群服务中心', 'functional', ARRAY['party']),
        ('TJ', '人民调解委员会', 'mediation', ARRAY['governance', 'petition']),
        ('FY', '法律援助中心', 'legal_aid', ARRAY['petition', 'governance']),
        ('SS', '人民法院诉讼服务中心', 'litigation', ARRAY['petition']),
        ('SG', '社会工作服务站', 'social_work', ARRAY['civil']),
        ('GA', '公安分局警务联络室', 'police', ARRAY['governance'])
    ) v (suffix, name, kind, lines);

    INSERT INTO departments (code, name, kind, district_id, lines)
    SELECT d.code || '-' || k.suffix, d.name || k.name, k.kind, d.id, k.lines
      FROM areas d CROSS JOIN demo_dept_kinds k
     WHERE d.level = 'district'
     ORDER BY d.code, k.suffix;

    CREATE TEMP TABLE demo_categories ON COMMIT DROP AS
    SELECT * FROM (VALUES
        ('hazard.fall', '高空坠物隐患', 'city', NULL, 'CG', '30 min', '1 hour', '1 day', 6,
         ARRAY['%s一住户四楼阳台防盗网松动，暴雨中随时可能坠落',
               '%s临街商铺广告牌松脱摇晃', '%s楼顶花盆摆放在护栏外，存在坠落危险']),
        ('hazard.building', '危房安全隐患', 'city', NULL, 'ZJ', '1 hour', '4 hours', '3 days', 3,
         ARRAY['%s一栋老旧民房外墙开裂', '%s祠堂屋顶瓦片掉落', '%s出租屋承重墙被擅自拆改']),
        ('hazard.fire', '消防安全隐患', 'governance', NULL, 'YJ', '30 min', '2 hours', '2 days', 5,
         ARRAY['%s楼道堆放杂物堵塞消防通道', '%s电动车在楼道内充电', '%s小作坊私拉电线']),
        ('hazard.gas', '燃气安全隐患', 'governance', NULL, 'YJ', '15 min', '1 hour', '1 day', 2,
         ARRAY['%s餐馆后厨闻到燃气味', '%s居民楼液化气瓶违规存放']),
        ('hazard.flood', '内涝积水', 'city', NULL, 'CG', '30 min', '2 hours', '1 day', 4,
         ARRAY['%s路段积水没过膝盖，车辆无法通行', '%s地下车库入口积水倒灌']),
        ('city.road', '道路设施损坏', 'city', NULL, 'ZJ', '2 hours', '1 day', '7 days', 5,
         ARRAY['%s路面塌陷出现大坑', '%s井盖缺失', '%s人行道护栏倒伏']),
        ('city.sanitation', '环境卫生', 'city', NULL, 'CG', '2 hours', '12 hours', '3 days', 7,
         ARRAY['%s垃圾桶满溢无人清运', '%s河涌漂浮大量垃圾', '%s空地被倾倒建筑垃圾']),
        ('city.stall', '占道经营', 'city', NULL, 'CG', '2 hours', '12 hours', '3 days', 4,
         ARRAY['%s夜市摊档占用人行道', '%s水果摊占道经营影响通行']),
        ('city.construction', '违法建设', 'city', NULL, 'CG', '4 hours', '2 days', '15 days', 3,
         ARRAY['%s楼顶加建铁皮房', '%s村民在耕地上违规建房']),
        ('city.noise', '噪声扰民', 'city', NULL, 'ST', '2 hours', '12 hours', '3 days', 4,
         ARRAY['%s工地夜间施工噪声扰民', '%s广场舞音响音量过大']),
        ('governance.security', '治安隐患', 'governance', NULL, 'GA', '30 min', '1 hour', '1 day', 3,
         ARRAY['%s有可疑人员夜间撬锁', '%s出租屋人员频繁出入形迹可疑']),
        ('dispute.family', '婚姻家庭纠纷', 'governance', 'family', 'TJ', '1 hour', '4 hours', '15 days', 4,
         ARRAY['%s一对夫妻因离婚财产分割争吵不休', '%s兄弟因赡养老人问题发生争执']),
        ('dispute.neighbour', '邻里纠纷', 'governance', 'neighbour', 'TJ', '1 hour', '4 hours', '15 days', 7,
         ARRAY['%s楼上漏水引发邻里争执', '%s两户因宅基地界址发生口角', '%s邻居私占公共楼道引发矛盾']),
        ('dispute.property', '物业纠纷', 'governance', 'property', 'TJ', '1 hour', '4 hours', '15 days', 5,
         ARRAY['%s业主与物业公司因停车费发生纠纷', '%s小区电梯长期故障业主集体投诉']),
        ('dispute.labour', '劳资纠纷', 'governance', 'labour', 'RS', '1 hour', '4 hours', '15 days', 5,
         ARRAY['%s工厂拖欠工人三个月工资', '%s工地农民工讨薪聚集']),
        ('dispute.consumer', '消费纠纷', 'governance', 'consumer', 'SC', '1 hour', '4 hours', '15 days', 4,
         ARRAY['%s健身房突然停业会员无法退费', '%s顾客与商家因商品质量发生争执']),
        ('dispute.economic', '经济合同纠纷', 'governance', 'economic', 'TJ', '30 min', '1 hour', '15 days', 4,
         ARRAY['%s一商铺清仓促销引发货款纠纷，门前聚集多人', '%s合伙经营分账不清引发争执']),
        ('dispute.medical', '医疗纠纷', 'governance', 'medical', 'WJ', '1 hour', '4 hours', '15 days', 2,
         ARRAY['%s患者家属对诊疗结果不满在诊所争吵', '%s卫生院医疗费用争议']),
        ('dispute.traffic', '交通事故纠纷', 'governance', 'traffic', 'GA', '30 min', '2 hours', '15 days', 3,
         ARRAY['%s两车刮碰后双方就赔偿争执不下', '%s电动车与行人相撞赔偿纠纷']),
        ('dispute.land', '土地房屋纠纷', 'governance', 'land', 'ZR', '2 hours', '1 day', '30 days', 3,
         ARRAY['%s村民因土地承包边界发生纠纷', '%s祖屋继承分配引发家族矛盾']),
        ('dispute.environment', '环境污染纠纷', 'governance', 'environment', 'ST', '1 hour', '4 hours', '15 days', 2,
         ARRAY['%s养殖场异味影响周边居民', '%s餐馆油烟直排引发邻居不满']),
        ('civil.assistance', '困难群众帮扶', 'civil', NULL, 'MZ', '4 hours', '2 days', '7 days', 3,
         ARRAY['%s独居老人多日未出门需上门探访', '%s困难家庭申请临时救助']),
        ('civil.social', '心理疏导与社工服务', 'civil', NULL, 'SG', '4 hours', '1 day', '7 days', 2,
         ARRAY['%s一名青少年情绪低落需要心理疏导', '%s留守儿童无人照看']),
        ('party.service', '党员志愿服务需求', 'party', NULL, 'DQ', '1 day', '3 days', '15 days', 1,
         ARRAY['%s社区需要党员志愿者协助防疫宣传', '%s村委请求组织党员帮扶孤寡老人']),
        ('petition.general', '信访诉求', 'petition', NULL, 'XF', '1 day', '3 days', '30 days', 3,
         ARRAY['%s村民反映征地补偿款未到位', '%s居民反映旧改项目进度缓慢']),
        ('petition.legal', '法律咨询与援助', 'petition', NULL, 'FY', '4 hours', '1 day', '7 days', 3,
         ARRAY['%s居民咨询房屋租赁合同纠纷如何维权', '%s老人咨询遗嘱订立事宜']),
        ('petition.litigation', '诉讼服务', 'petition', NULL, 'SS', '1 day', '3 days', '30 days', 1,
         ARRAY['%s群众咨询立案流程', '%s当事人申请诉前调解'])
    ) v (code, name, line, field, dept, accept_within, onsite_within, resolve_within, weight, titles);

    INSERT INTO categories (code, name, line, field, accept_within, onsite_within, resolve_within)
    SELECT code, name, line, field, accept_within::interval, onsite_within::interval,
           resolve_within::interval
      FROM demo_categories ORDER BY code;

    INSERT INTO demo_profile (category, weight, titles)
    SELECT code, weight, titles FROM demo_categories ORDER BY code;

    INSERT INTO category_routes (category, district_id, department_id)
    SELECT c.code, d.id, dep.id
      FROM demo_categories c
      CROSS JOIN areas d
      JOIN departments dep ON dep.code = d.code || '-' || c.dept
     WHERE d.level = 'district';

    -- the talent pool: about 13,000 people; most are grassroots service staff
    CREATE TEMP TABLE demo_grids ON COMMIT DROP AS
    SELECT row_number() OVER (ORDER BY code) AS i, id, lat, lon, path[2] AS district_id
      FROM areas WHERE level = 'grid';

    INSERT INTO staff (name, tier, fields, lat, lon, home_grid_id, district_id, on_duty,
                       load_limit, phone)
    SELECT (ARRAY['陈','李','黄','梁','张','王','林','吴','刘','何','谭','关','冯','邓','余',
                  '区','甄','司徒','伍','郑','周','罗','叶','麦','钟','朱','许','胡','谢','卢'])
               [1 + floor(random() * 30)::int]
           || (ARRAY['伟','芳','敏','强','丽','军','静','杰','娟','涛','明','霞','华','辉','玲',
                     '健','红','斌','燕','波','志','秀','俊','丹','锋','萍','勇','婷','海','琳'])
               [1 + floor(random() * 30)::int]
           || CASE WHEN random() < 0.6
                   THEN (ARRAY['文','国','家','建','荣','嘉','永','子','美','宝','兴','德'])
                        [1 + floor(random() * 12)::int]
                   ELSE '' END,
           t.tier,
           CASE t.tier
               WHEN 'grassroots' THEN
                   CASE WHEN random() < 0.5
                        THEN ARRAY[(ARRAY['neighbour','family','property'])[1 + floor(random() * 3)::int]]
                        ELSE '{}'::text[] END
               ELSE (SELECT array_agg(f ORDER BY f) FROM (
                         SELECT DISTINCT (ARRAY['family','neighbour','property','labour','consumer',
                                                'economic','medical','traffic','land','environment'])
                                         [1 + floor(random() * 10)::int] AS f
                           FROM generate_series(1, CASE t.tier WHEN 'expert' THEN 4 ELSE 2 END
                                                   + (g.k % 2))
                          WHERE g.k IS NOT NULL) ff)
           END,
           round((gr.lat + (random() - 0.5) * 0.02)::numeric, 5),
           round((gr.lon + (random() - 0.5) * 0.02)::numeric, 5),
           gr.id, gr.district_id,
           random() < 0.65,
           CASE t.tier WHEN 'grassroots' THEN 5 WHEN 'specialist' THEN 8 ELSE 4 END,
           '13' || lpad(floor(random() * 1000000000)::bigint::text, 9, '0')
      FROM generate_series(1, 13000) g (k)
      CROSS JOIN LATERAL (SELECT CASE WHEN g.k % 200 = 0 THEN 'expert'
                                      WHEN g.k % 200 < 22 THEN 'specialist'
                                      ELSE 'grassroots' END AS tier) t
      JOIN demo_grids gr ON gr.i = 1 + (g.k * 7919) % (SELECT count(*) FROM demo_grids)
     ORDER BY g.k;
    RAISE NOTICE 'talent pool: % staff', (SELECT count(*) FROM staff);

    PERFORM gd__seed_demo_cases(p_cases, base);
    RAISE NOTICE 'cases: %', (SELECT count(*) FROM cases);

    ANALYZE areas; ANALYZE departments; ANALYZE staff; ANALYZE cases; ANALYZE events;
    RETURN QUERY
        SELECT 'districts', count(*) FROM areas WHERE level = 'district'
        UNION ALL SELECT 'streets', count(*) FROM areas WHERE level = 'street'
        UNION ALL SELECT 'communities', count(*) FROM areas WHERE level = 'community'
        UNION ALL SELECT 'grids', count(*) FROM areas WHERE level = 'grid'
        UNION ALL SELECT 'departments', count(*) FROM departments
        UNION ALL SELECT 'categories', count(*) FROM categories
        UNION ALL SELECT 'staff', count(*) FROM staff
        UNION ALL SELECT 'cases', count(*) FROM cases
        UNION ALL SELECT 'events', count(*) FROM events;
END
$$;

-- A history of p_cases cases over the last 30 days, each moved through its
-- stages with plausible times; the newest are still open. Uses the temp
-- tables of gd_seed_demo. The history ends now: a case cancelled at its
-- dispatch time was, for the newest reports, cancelled in the future,
-- which its own export then could not import; such a case is still new.
CREATE OR REPLACE FUNCTION gd__seed_demo_cases(p_cases int, p_now timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp SET max_parallel_workers_per_gather = 0
SET search_path = public, pg_temp AS $$
DECLARE
    ngrids int := (SELECT count(*) FROM demo_grids);
    tz text := (SELECT value FROM settings WHERE key = 'timezone');
BEGIN
    CREATE TEMP TABLE demo_weights ON COMMIT DROP AS
    SELECT code, titles, field,
           sum(weight) OVER (ORDER BY code) - weight AS lo,
           sum(weight) OVER (ORDER BY code) AS hi,
           sum(weight) OVER () AS total
      FROM demo_categories;

    CREATE TEMP TABLE demo_cases ON COMMIT DROP AS
    SELECT g.k,
           -- most reports are recent; the history thins out towards 30 days ago
           p_now - (power(random(), 1.6) * interval '30 days') - interval '1 minute' AS reported_at,
           random() AS pick_cat, random() AS pick_grid, random() AS pick_prio,
           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           random() AS fate, random() AS pick_title, random() AS pick_staff,
           floor(random() * 9)::int AS reporter_kind, random() AS pick_name,
           floor(random() * 1000000000)::bigint AS phone
      FROM generate_series(1, p_cases) g (k)
     ORDER BY g.k;

    CREATE TEMP TABLE demo_plan ON COMMIT DROP AS
    SELECT dc.k, dc.reported_at, w.code AS category, w.field,
           replace(w.titles[1 + floor(dc.pick_title * cardinality(w.titles))::int], '%s',
                   cm.name) AS title,
           gr.id AS grid_id, gr.district_id, gr.lat, gr.lon, cm.name AS community, st.name AS street,
           CASE WHEN dc.pick_prio < 0.08 THEN 1 WHEN dc.pick_prio < 0.30 THEN 2
                WHEN dc.pick_prio < 0.85 THEN 3 ELSE 4 END AS priority,
           cat.accept_within, cat.onsite_within, cat.resolve_within,
           dc.r1, dc.r2, dc.r3, dc.r4, dc.r5, dc.fate, dc.pick_staff, dc.reporter_kind,
           dc.pick_name, dc.phone
      FROM demo_cases dc
      JOIN demo_weights w ON dc.pick_cat * w.total >= w.lo AND dc.pick_cat * w.total < w.hi
      JOIN demo_grids gr ON gr.i = 1 + floor(dc.pick_grid * ngrids)::int
      JOIN areas gcell ON gcell.id = gr.id
      JOIN areas cm ON cm.id = gcell.parent_id
      JOIN areas st ON st.id = cm.parent_id
      JOIN categories cat ON cat.code = w.code;

    -- stage times: most stages finish inside their deadline, some run late
    CREATE TEMP TABLE demo_times ON COMMIT DROP AS
    SELECT p.*,
           gd__deadline(p.reported_at, p.accept_within, p.priority) AS accept_by,
           gd__deadline(p.reported_at, p.onsite_within, p.priority) AS onsite_by,
           gd__deadline(p.reported_at, p.resolve_within, p.priority) AS resolve_by,
           p.reported_at + p.accept_within * (0.05 + 0.25 * p.r1) AS t_dispatch,
           p.reported_at + p.accept_within * (0.2 + 0.9 * p.r2) AS t_accept,
           p.reported_at + p.accept_within + (p.onsite_within - p.accept_within) * (0.1 + 1.0 * p.r3) AS t_onsite,
           p.reported_at + p.onsite_within + (p.resolve_within - p.onsite_within) * (0.05 + 0.9 * p.r4 * p.r4) AS t_resolve,
           interval '2 hours' + interval '3 days' * p.r5 AS close_after
      FROM demo_plan p;

    CREATE TEMP TABLE demo_final ON COMMIT DROP AS
    SELECT t.*,
           CASE
               WHEN t.fate < 0.02 AND t.t_dispatch <= p_now THEN 'cancelled'
               WHEN t.fate < 0.04 AND t.t_dispatch <= p_now THEN 'returned'
               WHEN t.t_dispatch > p_now THEN 'new'
               WHEN t.t_accept > p_now THEN 'dispatched'
               WHEN t.t_onsite > p_now THEN 'accepted'
               WHEN t.t_resolve > p_now OR t.fate > 0.985 THEN 'on_site'
               WHEN t.t_resolve + t.close_after > p_now THEN 'resolved'
               ELSE 'closed'
           END AS status,
           (SELECT dep.id FROM category_routes cr JOIN departments dep ON dep.id = cr.department_id
             WHERE cr.category = t.category AND cr.district_id = t.district_id) AS department_id
      FROM demo_times t;

    CREATE TEMP TABLE demo_pools ON COMMIT DROP AS
    SELECT s.district_id, f AS field, array_agg(s.id ORDER BY s.id) AS ids
      FROM staff s CROSS JOIN LATERAL unnest(s.fields) f
     GROUP BY s.district_id, f;

    INSERT INTO reporters (id, kind, name, phone, grid_id)
    SELECT f.k,
           (ARRAY['grid_worker','party_member','village_leader','auxiliary_police','volunteer',
                  'courier','ride_hailing','resident','other'])[1 + f.reporter_kind],
           (ARRAY['陈','李','黄','梁','张','王','林','吴','刘','何'])[1 + floor(f.pick_name * 10)::int]
               || (ARRAY['先生','女士','伯','姨','师傅'])[1 + floor(f.r5 * 5)::int],
           '13' || lpad(f.phone::text, 9, '0'),
           f.grid_id
      FROM demo_final f ORDER BY f.k;
    PERFORM setval(pg_get_serial_sequence('reporters', 'id'), greatest(p_cases, 1));

    INSERT INTO cases (id, ref, title, description, category, priority, grid_id, district_id,
                       location, lat, lon, reporter_id, status, department_id, mediator_id,
                       outcome, version, reported_at, dispatched_at, accepted_at, onsite_at,
                       resolved_at, closed_at, returned_at, cancelled_at,
                       accept_by, onsite_by, resolve_by, stage_since, updated_at, updated_by)
    SELECT f.k,
           gd__ref((f.reported_at AT TIME ZONE tz)::date,
                   row_number() OVER (PARTITION BY (f.reported_at AT TIME ZONE tz)::date
                                      ORDER BY f.reported_at, f.k)),
           f.title,
           f.title || '。' || '上报人在' || f.street || f.community || '发现，请尽快处理。',
           f.category, f.priority, f.grid_id, f.district_id,
           f.street || f.community || (1 + floor(f.r1 * 120))::int || '号',
           round((f.lat + (f.r2 - 0.5) * 0.004)::numeric, 6),
           round((f.lon + (f.r3 - 0.5) * 0.004)::numeric, 6),
           f.k, f.status,
           CASE WHEN f.status IN ('new', 'cancelled') THEN NULL ELSE f.department_id END,
           CASE WHEN f.field IS NOT NULL AND f.status IN ('dispatched', 'accepted', 'on_site',
                                                          'resolved', 'closed')
                THEN (SELECT pl.ids[1 + floor(f.pick_staff * cardinality(pl.ids))::int]
                        FROM demo_pools pl
                       WHERE pl.district_id = f.district_id AND pl.field = f.field) END,
           CASE WHEN f.status IN ('resolved', 'closed') THEN '已现场处置，当事人表示满意' END,
           CASE f.status WHEN 'new' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'dispatched' THEN 2
                         WHEN 'returned' THEN 3 WHEN 'accepted' THEN 3 WHEN 'on_site' THEN 4
                         WHEN 'resolved' THEN 5 ELSE 6 END,
           f.reported_at,
           CASE WHEN f.status NOT IN ('new', 'cancelled') THEN f.t_dispatch END,
           CASE WHEN f.status IN ('accepted', 'on_site', 'resolved', 'closed')
                  OR (f.status = 'returned' AND f.t_accept <= p_now) THEN f.t_accept END,
           CASE WHEN f.status IN ('on_site', 'resolved', 'closed') THEN f.t_onsite END,
           CASE WHEN f.status IN ('resolved', 'closed') THEN f.t_resolve END,
           CASE WHEN f.status = 'closed' THEN f.t_resolve + f.close_after END,
           CASE WHEN f.status = 'returned' THEN least(f.t_accept, p_now) END,
           CASE WHEN f.status = 'cancelled' THEN f.t_dispatch END,
           f.accept_by, f.onsite_by, f.resolve_by,
           CASE f.status
               WHEN 'new' THEN f.reported_at
               WHEN 'dispatched' THEN f.t_dispatch
               WHEN 'accepted' THEN f.t_accept
               WHEN 'on_site' THEN f.t_onsite
               WHEN 'resolved' THEN f.t_resolve
               WHEN 'closed' THEN f.t_resolve + f.close_after
               WHEN 'returned' THEN least(f.t_accept, p_now)
               ELSE f.t_dispatch END,
           CASE f.status
               WHEN 'new' THEN f.reported_at
               WHEN 'dispatched' THEN f.t_dispatch
               WHEN 'accepted' THEN f.t_accept
               WHEN 'on_site' THEN f.t_onsite
               WHEN 'resolved' THEN f.t_resolve
               WHEN 'closed' THEN f.t_resolve + f.close_after
               WHEN 'returned' THEN least(f.t_accept, p_now)
               ELSE f.t_dispatch END,
           'wang.li'
      FROM demo_final f
     ORDER BY f.k;
    PERFORM setval(pg_get_serial_sequence('cases', 'id'), greatest(p_cases, 1));

    -- today's live reports number on after today's history
    PERFORM setval('case_ref_seq', gd__ref_base(gd__today()) + count(*))
       FROM cases WHERE (reported_at AT TIME ZONE tz)::date = gd__today()
      HAVING count(*) > 0;

    -- one timeline per case, one statement: one notification for the lot
    INSERT INTO events (case_id, kind, actor, at, data)
    SELECT e.case_id, e.kind, e.actor, e.at, e.data
      FROM (
        SELECT c.id AS case_id, s.ord, s.kind, s.actor, s.at, s.data
          FROM cases c
          CROSS JOIN LATERAL (VALUES
              (1, 'reported', 'gridctl', c.reported_at,
               jsonb_build_object('to', 'new', 'version', 1, 'priority', c.priority,
                                  'category', c.category)),
              (2, 'dispatched', 'wang.li', c.dispatched_at,
               jsonb_build_object('from', 'new', 'to', 'dispatched', 'version', 2,
                                  'department', (SELECT code FROM departments WHERE id = c.department_id))),
              (3, 'accepted', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.accepted_at, jsonb_build_object('from', 'dispatched', 'to', 'accepted', 'version', 3)),
              (4, 'returned', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.returned_at, jsonb_build_object('to', 'returned', 'version', 3,
                                                'reason', '不属于本部门职责范围')),
              (4, 'on_site', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.onsite_at, jsonb_build_object('from', 'accepted', 'to', 'on_site', 'version', 4)),
              (5, 'resolved', 'dept.' || lower((SELECT code FROM departments WHERE id = c.department_id)),
               c.resolved_at, jsonb_build_object('from', 'on_site', 'to', 'resolved', 'version', 5,
                                                'outcome', c.outcome)),
              (6, 'closed', 'chen.min', c.closed_at,
               jsonb_build_object('from', 'resolved', 'to', 'closed', 'version', 6)),
              (2, 'cancelled', 'wang.li', c.cancelled_at,
               jsonb_build_object('from', 'new', 'to', 'cancelled', 'version', 2,
                                  'reason', '重复上报'))
          ) s (ord, kind, actor, at, data)
         WHERE s.at IS NOT NULL
      ) e
     ORDER BY e.at, e.case_id, e.ord;
END
$$;

-- p_random seeds the choices (the caller's generator keeps runs repeatable);
-- p_mix weighs groups of categories, e.g. 'hazard:30,dispute:40'.
CREATE OR REPLACE FUNCTION gd_simulate_report(p_random double precision, p_mix text DEFAULT NULL,
                                   p_title_prefix text DEFAULT '')
RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    mix jsonb := '{}';
    pick record;
    grid record;
    again record;
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

    -- Anyone may blow the whistle, so an incident often comes twice: one
    -- report in twelve is of a case still new in the last hour, from
    -- another whistle in the same grid (并案 at the console).
    IF random() < 1.0 / 12 THEN
        SELECT g.code, c.name AS community, s.name AS street, cs.category, cs.title INTO again
          FROM cases cs JOIN areas g ON g.id = cs.grid_id
          JOIN areas c ON c.id = g.parent_id JOIN areas s ON s.id = c.parent_id
         WHERE cs.status = 'new' AND cs.status NOT IN ('closed', 'cancelled', 'merged')
           AND cs.stage_since > now() - interval '1 hour'
         ORDER BY cs.stage_since DESC LIMIT 1;
        IF FOUND THEN
            RETURN gd_report(again.code, again.category, again.title,
                '群众通过一键上报反映：' || again.street || again.community || '。', 3,
                again.street || again.community, NULL, NULL,
                (ARRAY['courier', 'ride_hailing', 'resident', 'volunteer'])[1 + floor(random() * 4)::int],
                NULL, NULL);
        END IF;
    END IF;

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
CREATE OR REPLACE FUNCTION gd_simulate_act(p_random double precision) RETURNS text
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    c record;
    part record;
    dept text;
    med int;
    assist text;
BEGIN
    PERFORM setseed(p_random * 2 - 1);
    SELECT cs.id, cs.ref, cs.status, cs.version, cs.category, cs.district_id, cat.field INTO c
      FROM cases cs JOIN categories cat ON cat.code = cs.category
     WHERE cs.status NOT IN ('closed', 'cancelled', 'merged')
     ORDER BY cs.stage_since
     OFFSET floor(random() * 20) LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- an assisting department (联办) takes a step of its own part, half the
    -- time, and always before the centre can close the case
    SELECT d.code, p.status INTO part
      FROM case_parts p JOIN departments d ON d.id = p.department_id
     WHERE p.case_id = c.id AND p.status IN ('dispatched', 'accepted', 'on_site')
     ORDER BY d.code LIMIT 1;
    IF FOUND AND (c.status = 'resolved' OR random() < 0.5) THEN
        CASE part.status
        WHEN 'dispatched' THEN PERFORM gd_part_accept(c.ref, NULL, part.code);
        WHEN 'accepted' THEN PERFORM gd_part_onsite(c.ref, NULL, part.code);
        ELSE PERFORM gd_part_feedback(c.ref, NULL, part.code, '已配合主办部门完成本部门职责');
        END CASE;
        RETURN c.ref || ' ' || part.code || ' ' || part.status;
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
        dept := coalesce(dept, (SELECT code FROM departments LIMIT 1));
        -- one dispatch in ten asks one or two other departments of the
        -- district to assist (联办)
        IF random() < 0.1 THEN
            SELECT string_agg(x.code, ',') INTO assist
              FROM (SELECT d.code FROM departments d
                     WHERE d.district_id = c.district_id AND d.code <> dept
                       AND NOT EXISTS (SELECT FROM case_parts p
                                        WHERE p.case_id = c.id AND p.department_id = d.id)
                     ORDER BY random() LIMIT 1 + (random() < 0.3)::int) x;
        END IF;
        IF assist IS NOT NULL THEN
            PERFORM gd_assist(c.ref, gd_assign(c.ref, c.version, dept, med, NULL), assist);
            RETURN c.ref || ' dispatched with ' || assist;
        END IF;
        PERFORM gd_assign(c.ref, c.version, dept, med, NULL);
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
