-- Who may do what: the whole of it, stated afresh whenever any definition
-- is applied. A function made anew may be called by PUBLIC until someone
-- says otherwise, and a grant left over from an older release would outlive
-- the line that made it; so every right of every griddesk role goes first,
-- in this transaction, and exactly what each job needs comes back. The
-- owner, griddesk_owner, keeps its own rights: it runs the SECURITY DEFINER
-- rules. tests/privileges.tsv lists the result, role by role.

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, griddesk_viewer, griddesk_operator, griddesk_dept, griddesk_admin, griddesk_usermgr;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, griddesk_viewer, griddesk_operator, griddesk_dept, griddesk_admin, griddesk_usermgr;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC, griddesk_viewer, griddesk_operator, griddesk_dept, griddesk_admin, griddesk_usermgr;

-- Making logins needs CREATEROLE, which belongs to griddesk_usermgr alone:
-- it owns gd_user_add and nothing else (changes/015_security.sql makes the role).
ALTER FUNCTION gd_user_add(text, text, text) OWNER TO griddesk_usermgr;

-- Everyone who reads: the queue, listings, figures, exports.
GRANT SELECT ON TABLE areas, case_parts, case_rows, cases, categories, category_routes,
    demo_profile, departments, events, lines_of_work, mediation_fields,
    reporter_contacts, settings, staff_contacts TO griddesk_viewer;
GRANT EXECUTE ON FUNCTION
    gd__case_id(text), gd__channel(integer), gd__channel_name(text),
    gd__filter(text,text,text,text,text,text,text,text,text),
    gd__deadline(timestamp with time zone,interval,integer),
    gd__filtered_cases(text[],integer,integer,text,integer,integer,integer,interval),
    gd__grid_in_scope(integer,integer),
    gd__km_point(double precision,double precision), gd__my_scope(),
    gd__queue_ids(record,integer,integer,boolean,integer,timestamp with time zone,bigint),
    gd__queue_set(text[],integer,text,integer,text), gd__today(),
    gd_area_id(text,text), gd_case_detail(text), gd_case_events(text),
    gd_case_json(text), gd_case_merges(text), gd_case_parts(text), gd_duplicates(text,integer),
    gd__candidates(bigint[],integer), gd__with_candidates(bigint[]),
    gd__place_time(double precision,double precision,timestamp with time zone),
    gd__near_box(double precision,double precision,timestamp with time zone,integer,interval),
    gd_case_list(text,text,text,text,integer,text,text,text,text),
    gd_category_code(text), gd_category_list(), gd_centre_start(text),
    gd_centre_time(text), gd_department_id(text), gd_department_list(text),
    gd_duration(interval), gd_duration_in(text),
    gd_export_cases(text,text,text,text,text,text,text,text,timestamp with time zone,timestamp with time zone),
    gd_export_departments(), gd_export_grids(),
    gd_export_open311(text,text,text,text,text,text,text,text,timestamp with time zone,timestamp with time zone),
    gd_export_staff(), gd_feed_listen(text), gd_grid_list(text,text), gd_mask_phone(text),
    gd_may_see_phone(),
    gd_queue(text,text,text,text,integer,integer,integer,integer,timestamp with time zone,bigint),
    gd_queue_changes(xid8,text,text,text,text,text), gd__queue_rows(bigint[],bigint[]),
    gd__in_queue(cases,text[],integer,text,integer,text),
    gd_queue_totals(text,text,text,text,integer,integer,timestamp with time zone,bigint),
    gd_staff_list(text,text,text,integer),
    gd_stats(text,timestamp with time zone,timestamp with time zone),
    gd_statuses(text), gd_suggest_departments(text),
    gd_suggest_mediators(text,integer), gd_whoami() TO griddesk_viewer;
GRANT SELECT (id, kind) ON reporters TO griddesk_viewer;
GRANT SELECT (tier, fields, lat, open_cases, load_limit, id, pos, home_grid_id,
    district_id, on_duty, lon, name) ON staff TO griddesk_viewer;

-- The centre: reports, dispatch, every step of a case, the deadline clock.
GRANT EXECUTE ON FUNCTION gd_assign(text,integer,text,integer,text),
    gd_cancel(text,integer,text), gd_close(text,integer), gd_mark_overdue(),
    gd_merge(text,integer,text,integer), gd_unmerge(text,integer),
    gd_assist(text,integer,text), gd_release(text,integer,text,text),
    gd_note(text,integer,text), gd_recategorize(text,integer,text),
    gd_reopen(text,integer,text),
    gd_report(text,text,text,text,integer,text,double precision,double precision,text,text,text),
    gd_seal() TO griddesk_operator;

-- A department: the steps that are its own.
GRANT EXECUTE ON FUNCTION gd_accept(text,integer),
    gd_feedback(text,integer,text), gd_onsite(text,integer),
    gd_part_accept(text,integer,text), gd_part_feedback(text,integer,text,text),
    gd_part_onsite(text,integer,text),
    gd_resolve(text,integer,text),
    gd_return(text,integer,text) TO griddesk_dept;

-- Administrators: the reference data, imports, bulk edits, logins.
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE areas, categories,
    category_routes, departments, mediation_fields, settings,
    staff TO griddesk_admin;
GRANT SELECT ON TABLE case_parts, case_rows, cases, events, lines_of_work,
    reporter_contacts, reporters, schema_definitions, schema_migrations,
    staff_contacts TO griddesk_admin;
GRANT EXECUTE ON FUNCTION gd__bulk_allowed(text), gd__parts_open(bigint),
    gd__row_in_scope(text,jsonb,integer),
    gd_bulk_apply(text,bigint[],integer[],text,text,text,integer),
    gd_bulk_plan(text,text,text,text,text,text,text,text,text,integer),
    gd_import_begin(text), gd_import_run(text,integer),
    gd_simulate_act(double precision),
    gd_simulate_report(double precision,text,text), gd_user_add(text,text,text),
    gd_user_list(), gd_user_scope(text,text),
    gd_verify(timestamp with time zone,text) TO griddesk_admin;
GRANT USAGE ON SEQUENCE areas_id_seq, departments_id_seq,
    staff_id_seq TO griddesk_admin;

-- gd_user_add, which runs as griddesk_usermgr, reads what it checks.
GRANT INSERT, SELECT ON TABLE role_scopes TO griddesk_usermgr;
GRANT SELECT ON TABLE areas TO griddesk_usermgr;
GRANT EXECUTE ON FUNCTION gd__area_for_scope(text), gd__may_scope(integer),
    gd__my_scope(), gd_user_add(text,text,text) TO griddesk_usermgr;
