#!/usr/bin/env bash
# migrate twice changes nothing; the demo city is deterministic for a seed.
. "$(dirname "$0")/../lib/tap.sh"
empty_db
# migrating and seeding are the superuser's (or the database owner's) work,
# the only work in the tests that is; an administrator login may not
err=$(gridctl migrate 2>&1); ok $(( $? == 0 )) "an administrator login cannot migrate an empty database"
export PGUSER=$SUPER
other="${TEST_DB}_b"; third="${TEST_DB}_c"
trap 'dropdb --if-exists "$TEST_DB"; dropdb --if-exists "$other"; dropdb --if-exists "$third"' EXIT

out=$(gridctl migrate); ok $? "migrate on an empty database"
is "$(printf "%s\n" "$out" | tail -n 1)" "schema version $(schema_version)" "prints the schema version"
like "$out" "applied changes/001_tables.sql" "after the files it applied"
before=$(sql "SELECT string_agg(version || name || applied_at, ',' ORDER BY version) FROM schema_migrations")$(sql "SELECT string_agg(name || checksum || applied_at, ',' ORDER BY name) FROM schema_definitions")
out=$(gridctl migrate); ok $? "migrate again"
is "$out" "schema version $(schema_version)" "still the same version"
after=$(sql "SELECT string_agg(version || name || applied_at, ',' ORDER BY version) FROM schema_migrations")$(sql "SELECT string_agg(name || checksum || applied_at, ',' ORDER BY name) FROM schema_definitions")
is "$after" "$before" "the second run applied nothing"

out=$(gridctl seed demo --cases 500 --seed 3 --format csv); ok $? "seed demo"
like "$out" "grids,2[0-9]{3}" "a few thousand grids"
like "$out" "staff,13000" "13,000 talent-pool staff"
like "$out" "cases,500" "the number of cases asked for"
is "$(sql "SELECT count(DISTINCT status) FROM cases")" 8 "cases in every state"
is "$(sql "SELECT count(*) FROM cases WHERE greatest(reported_at, dispatched_at, accepted_at, onsite_at,
            resolved_at, closed_at, returned_at, cancelled_at) > now()") $(sql "SELECT count(*) FROM events WHERE at > now()")" "0 0" \
   "the demo's history ends now: no case or event in the future"
err=$(gridctl seed demo --cases 10 2>&1); is $? 1 "seeding twice is refused"
like "$err" "already holds a city" "and says why"
gridctl seed demo --cases -1 >/dev/null 2>&1; is $? 2 "a negative --cases is a usage error"
gridctl seed nonsense >/dev/null 2>&1; is $? 2 "an unknown data set is a usage error"

fingerprint() {
    psql -X -A -t -d "$1" -c "SELECT md5(string_agg(concat_ws('|', title, grid_id, category, priority,
        status, department_id, mediator_id), ',' ORDER BY id)) FROM cases"
}
createdb "$other"; createdb "$third"
gridctl -d "$other" migrate >/dev/null && gridctl -d "$other" seed demo --cases 500 --seed 3 >/dev/null
ok $? "a second database seeded with the same seed"
is "$(fingerprint "$other")" "$(fingerprint "$TEST_DB")" "the same seed gives the same cases"
gridctl -d "$third" migrate >/dev/null && gridctl -d "$third" seed demo --cases 500 --seed 4 >/dev/null
ok $? "a third seeded with another seed"
[ "$(fingerprint "$third")" != "$(fingerprint "$TEST_DB")" ]; ok $? "another seed gives other cases"
done_testing
