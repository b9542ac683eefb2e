#!/usr/bin/env bash
# A centre's database that has been in use upgrades: built with the schema
# as it was released before ownership, scope of reporters and the event
# chain (version 14, frozen in tests/upgrade/landed), worked in for a while,
# then migrated by today's gridctl. Its cases, events, reporters, logins and
# scopes are all still there, everything belongs to griddesk_owner, the
# chain fits its old events, its people work in gridctl and in the console,
# and its schema is the one a fresh database gets. Kept for every release.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
empty_db
fresh="${TEST_DB}_fresh"
cleanup() {
    tmx kill-server 2>/dev/null; rm -f /tmp/griddesk-stderr-$$
    dropdb --if-exists "$TEST_DB" >/dev/null 2>&1; dropdb --if-exists "$fresh" >/dev/null 2>&1
    psql -U "$SUPER" -X -q -c "DROP ROLE IF EXISTS up_jh_$$" postgres >/dev/null 2>&1
}
trap cleanup EXIT

as_super() { PGUSER=$SUPER "$@"; }
# the old schema as the gridctl of its day applied it: each file in a
# transaction as the superuser, who then owned everything
landed_schema 14; ok $? "the schema as released at version 14"
is "$(sql "SELECT (SELECT max(version) FROM schema_migrations) || ' '
             || (SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'gd_report')")" \
   "14 $SUPER" "the old schema, owned by the superuser"
as_super gridctl seed demo --cases 300 --seed 11 >/dev/null; ok $? "seeded under it"
as_super gridctl user add up_jh_$$ --role operator --scope JH >/dev/null
# a day's work before the upgrade: reports with reporters, a dispatch, a note
ref=$(as_super gridctl report --grid JH01-01-01 --category hazard.fall --title 升级前上报 \
      --reporter-kind resident --reporter-name 升级前 --reporter-phone 13700000001)
as_super gridctl assign "$ref" --department JH-CG >/dev/null && as_super gridctl note "$ref" --note 升级前备注 >/dev/null
ok $? "a case worked before the upgrade"
fingerprint() {
    sql "SELECT md5(string_agg(concat_ws('|', c.id, c.ref, c.status, c.version, r.name, r.phone), ',' ORDER BY c.id))
           || ':' || (SELECT md5(string_agg(concat_ws('|', id, case_id, kind, actor, at, data), ',' ORDER BY id)) FROM events)
           FROM cases c LEFT JOIN reporters r ON r.id = c.reporter_id"
}
users() { sql "SELECT string_agg(concat_ws('|', s.role, a.code), ',' ORDER BY s.role) FROM role_scopes s JOIN areas a ON a.id = s.area_id"; }
before=$(fingerprint); users_before=$(users)

out=$(as_super gridctl migrate); ok $? "today's gridctl migrates it"
like "$out" "applied changes/015_security.sql" "applying the changes it has not had"
like "$out" "applied definitions/03_rules.sql" "and today's definitions"
is "$(printf '%s\n' "$out" | tail -n 1)" "schema version $(schema_version)" "to today's schema version"
is "$(fingerprint)" "$before" "every case, reporter and event is as it was"
is "$(users)" "$users_before" "every login's scope is as it was"
createdb "$fresh" && as_super gridctl -d "$fresh" migrate >/dev/null
is "$(schema_of "$TEST_DB")" "$(schema_of "$fresh")" "its schema is a fresh database's, to the last grant"
is "$(sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace
             AND relkind IN ('r', 'v', 'S') AND relowner <> 'griddesk_owner'::regrole")" 0 \
   "every table, view and sequence now belongs to griddesk_owner"
is "$(sql "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace
             AND proowner <> 'griddesk_owner'::regrole AND proname <> 'gd_user_add'")" 0 "and every function (gd_user_add: griddesk_usermgr)"
out=$(gridctl verify); ok $? "the old events are chained: verify finds the log as it was"
like "$out" "fits: [0-9]+ events of 301 cases" "all of them"
is "$(sql "SELECT count(*) FROM reporters r JOIN cases c ON c.reporter_id = r.id WHERE r.grid_id IS DISTINCT FROM c.grid_id")" 0 \
   "each old reporter knows its case's grid"
jh=$(sql "SELECT count(*) FROM reporters r JOIN cases c ON c.reporter_id = r.id JOIN areas d ON d.id = c.district_id WHERE d.code = 'JH'")
is "$(PGUSER=up_jh_$$ psql -X -A -t -c "SELECT count(*) FROM reporter_contacts" 2>&1)" "$jh" \
   "a 江海区 operator made before the upgrade sees 江海区's reporters only ($jh)"
out=$(PGUSER=up_jh_$$ gridctl show "$ref" --format json | json_get '$d->{reporter_name}'); is "$out" 升级前 \
   "and works the old case"
PGUSER=up_jh_$$ gridctl note "$ref" --note 升级后备注 >/dev/null; ok $? "adds to its timeline"
gridctl verify >/dev/null; ok $? "whose chain goes on from the old events"
# the console, as the scoped operator made before the upgrade
TUI_USER=up_jh_$$
tui_start 100 24
tui_wait " live "; ok $? "the console opens on the upgraded database"
tui_keys / "$ref" Enter
tui_wait " $ref .*升级前上报"; ok $? "and lists the old case"
tui_keys Enter
tui_wait "升级后备注"; ok $? "whose timeline holds the notes of before and after"
tui_screen | grep -q "升级前备注"; ok $? "both of them"
out=$(as_super gridctl migrate); is "$out" "schema version $(schema_version)" "migrating again changes nothing"
done_testing
