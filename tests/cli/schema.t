#!/usr/bin/env bash
# The schema as versioned changes and definitions (schema/README.md): each
# function, view, trigger and policy is defined in exactly one file; the
# changes stand alone; a database released at version 17 upgrades to the
# schema a fresh one gets; gridctl migrate applies what changed, all of it
# or nothing, and refuses a database newer than itself.
. "$(dirname "$0")/../lib/tap.sh"
empty_db
export PGUSER=$SUPER
root=$GRIDDESK_ROOT
work=$(mktemp -d)
dbs=("$TEST_DB" "${TEST_DB}_changes" "${TEST_DB}_17" "${TEST_DB}_edit")
trap 'for d in "${dbs[@]}"; do dropdb --if-exists "$d" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

# what each file defines: "kind name" per line, a trigger or policy with
# its table
defined() {
    perl -0777 -ne 's/--.*$//mg;
        print lc($1), " $2\n" while /^CREATE (?:OR REPLACE )?(FUNCTION|PROCEDURE|AGGREGATE|VIEW)\s+([\w.]+)/gmi;
        print lc($1), " $2 ON $3\n" while /^CREATE (?:OR REPLACE )?(?:CONSTRAINT )?(TRIGGER|POLICY)\s+("[^"]+"|\w+)[^;]*?\bON\s+(\w+)/gmi;' "$@"
}
twice=$(defined "$root"/schema/definitions/*.sql | sort | uniq -d)
is "$twice" "" "no function, view, trigger or policy is defined twice in definitions/"
made=$(defined "$root"/schema/changes/*.sql | grep -v ' pg_temp\.')
is "$made" "" "the versioned changes define none (a change's own helpers live in pg_temp)"

out=$(gridctl migrate); ok $? "a fresh database migrates"
is "$(printf '%s\n' "$out" | grep -c '^applied changes/')" "$(ls "$root"/schema/changes/*.sql | wc -l)" \
   "it prints each change applied"
is "$(printf '%s\n' "$out" | grep -c '^applied definitions/')" "$(ls "$root"/schema/definitions/*.sql | wc -l)" \
   "and each definitions file"
in_db=$(sql "SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
             UNION ALL SELECT 'view ' || viewname FROM pg_views WHERE schemaname = 'public'
             UNION ALL SELECT 'trigger ' || tgname || ' ON ' || tgrelid::regclass FROM pg_trigger WHERE NOT tgisinternal
             UNION ALL SELECT 'policy ' || policyname || ' ON ' || tablename FROM pg_policies
             ORDER BY 1")
is "$in_db" "$(defined "$root"/schema/definitions/*.sql | sed -E 's/^(function|procedure|aggregate) /function /' | sort)" \
   "what the database holds is exactly what definitions/ defines"

changes="${TEST_DB}_changes"
createdb "$changes"
cat "$root"/schema/changes/*.sql | PGOPTIONS="-c client_min_messages=warning" \
    psql -X -q -1 -v ON_ERROR_STOP=1 -d "$changes" >/dev/null 2>"$work/err"
ok $? "the changes alone apply to an empty database: none calls a definition"
sed 's/^/#   /' "$work/err"

# a database released at version 17, with cases, upgrades to the fresh schema
v17="${TEST_DB}_17"
createdb "$v17"
landed_schema 17 "$v17"; ok $? "the schema as released at version 17"
gridctl -d "$v17" seed demo --cases 200 --seed 5 >/dev/null; ok $? "seeded under it"
cases=$(psql -X -A -t -d "$v17" -c "SELECT md5(string_agg(concat_ws('|', id, ref, status, version), ',' ORDER BY id)) FROM cases")
out=$(gridctl -d "$v17" migrate); ok $? "today's gridctl migrates it"
is "$(printf '%s\n' "$out" | grep '^applied changes/' | tr '\n' ' ')" \
   "$(ls "$root/schema/changes" | awk -F_ '$1 + 0 > 17 { printf "applied changes/%s ", $0 }')" \
   "it applied the changes after 17, and only those"
is "$(schema_of "$v17")" "$(schema_of "$TEST_DB")" "its schema is a fresh database's, to the last grant"
is "$(psql -X -A -t -d "$v17" -c "SELECT md5(string_agg(concat_ws('|', id, ref, status, version), ',' ORDER BY id)) FROM cases")" \
   "$cases" "its cases are as they were"
gridctl -d "$v17" verify >/dev/null; ok $? "and its event chain verifies"

# migrate applies what changed, and only that
edit="${TEST_DB}_edit"
now=$(schema_version)
cp -r "$root/schema" "$work/schema"
createdb "$edit" && gridctl -d "$edit" migrate >/dev/null
out=$(gridctl -d "$edit" migrate); is "$out" "schema version $now" "migrating again applies nothing"
printf '\n-- a comment more\n' >>"$work/schema/definitions/05_console.sql"
out=$(GRIDDESK_SCHEMA_DIR=$work/schema gridctl -d "$edit" migrate)
is "$out" "applied definitions/05_console.sql
applied definitions/99_privileges.sql
schema version $now" "a definitions file whose text changed is applied again, and the privileges after it"
out=$(GRIDDESK_SCHEMA_DIR=$work/schema gridctl -d "$edit" migrate); is "$out" "schema version $now" "once"

# one transaction: a change and a broken definition leave nothing behind
cat >"$work/schema/changes/$(printf %03d $((now + 1)))_probe.sql" <<'SQL'
CREATE TABLE probe (id int);
SQL
printf '\nSELECT gd_no_such_function();\n' >>"$work/schema/definitions/06_dispatch.sql"
sums() { psql -X -A -t -d "$edit" -c "SELECT string_agg(name || checksum || applied_at, ',' ORDER BY name) FROM schema_definitions"; }
before=$(sums)
err=$(GRIDDESK_SCHEMA_DIR=$work/schema gridctl -d "$edit" migrate 2>&1 >/dev/null); is $? 3 "a definition that fails fails the migration"
like "$err" "definitions/06_dispatch.sql failed" "naming the file"
like "$err" "gd_no_such_function" "and what is wrong in it"
is "$(psql -X -A -t -d "$edit" -c "SELECT to_regclass('probe') IS NULL, max(version) FROM schema_migrations")" "t|$now" \
   "the change before it is undone: no table, version $now"
is "$(sums)" "$before" "and no definition is recorded as applied"

# a database migrated by a newer griddesk is left alone
psql -X -q -d "$edit" -c "INSERT INTO schema_migrations (version, name) VALUES (99, '099_future.sql')"
err=$(gridctl -d "$edit" migrate 2>&1); is $? 3 "a database newer than this griddesk is refused"
like "$err" "schema version 99, newer than this griddesk's $now" "and says so"
done_testing
