#!/usr/bin/env bash
# Exports as outside readers see them: oldest first, and Open311 requests
# true to the specification (finished when they finished, a description
# within 4,000 characters, a cancelled request's reason as its notes).
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
csv=$(mktemp); trap 'rm -f "$csv"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
# an old closed case, imported now: the newest id, the oldest report
long=$(python3 -c "print('长' * 4500)")
{ printf 'ref,title,description,category,grid,status,department,outcome,reported_at,dispatched_at,accepted_at,onsite_at,resolved_at,closed_at\n'
  printf 'JM-20200101-0001,旧案,%s,hazard.fall,JH01-01-01,closed,JH-CG,已处理,2020-01-01 08:00,2020-01-01 08:10,2020-01-01 08:20,2020-01-01 09:00,2020-01-02 10:00,2020-01-03 11:00\n' "$long"
} >"$csv"
gridctl import cases "$csv" >/dev/null; ok $? "an old closed case is imported"

order=$(gridctl export cases --format csv | python3 -c '
import csv, sys
from datetime import datetime
rows = list(csv.DictReader(sys.stdin))
key = [(datetime.fromisoformat(r["reported_at"]), r["ref"]) for r in rows]
print("sorted" if key == sorted(key) else "unsorted", rows[0]["ref"])')
is "$order" "sorted JM-20200101-0001" "export cases is oldest first (reported_at, then ref), as Python's csv reads it"
like "$(gridctl export cases --format json | head -1)" '"ref":"JM-20200101-0001"' "the JSON lines too"

ref=$(gridctl report --grid JH01-01-01 --category hazard.fall --title 撤销测试)
gridctl cancel "$ref" --reason 与JM-20200101-0001重复 >/dev/null
check=$(gridctl export cases --format open311 --status closed,cancelled | python3 -c '
import json, sys
reqs = {r["service_request_id"]: r for r in json.load(sys.stdin)}
old, gone = reqs["JM-20200101-0001"], reqs[sys.argv[1]]
print(old["updated_datetime"][:16], len(old["description"]), old["description"][-1], "|", gone["status_notes"])' "$ref")
is "$check" "2020-01-03T11:00 4000 … | 与JM-20200101-0001重复" \
   "Open311: closed when it closed, a description of 4,000 characters ending in a marker, a cancelled request's reason"
is "$(gridctl export cases --format open311 | python3 "$GRIDDESK_ROOT/tests/lib/open311_check.py" "$GRIDDESK_ROOT/tests/open311/georeport-v2-requests.schema.json")" \
   "valid $(sql "SELECT count(*) FROM cases")" "every request valid against the GeoReport v2 schema (Python's jsonschema)"

# a time in a file without an offset is the centre's, whatever TZ the
# administrator's machine has; Excel's 2026/11/21 8:05 is read too
printf 'ref,title,category,grid,reported_at\nTZ-2025-0001,时区,hazard.fall,JH01-01-01,2026-11-20 09:30\nTZ-2025-0002,斜杠,hazard.fall,JH01-01-01,2026/11/21 8:05\nTZ-2025-0003,带时差,hazard.fall,JH01-01-01,2026-11-20 09:30+00\n' >"$csv"
TZ=UTC gridctl import cases "$csv" >/dev/null; ok $? "imported on a machine whose TZ is UTC"
is "$(sql "SELECT string_agg(to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), ' ' ORDER BY ref)
             FROM cases WHERE ref LIKE 'TZ-2025-%'")" "2026-11-20 09:30 2026-11-21 08:05 2026-11-20 17:30" \
   "read in the centre's zone (Asia/Shanghai), and an offset kept"
is "$(TZ=America/Los_Angeles gridctl show TZ-2025-0001 --format json | json_get '$d->{reported_at}')" "2026-11-19T17:30:00-08:00" \
   "and shown in the reader's zone"

# every kind round-trips: exported, imported into a new database (its city
# from the grids file), exported again, byte for byte; as Python reads it
new=${TEST_DB}_new; createdb "$new"; trap 'rm -f "$csv" "$csv".*; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1; dropdb --if-exists "$new" >/dev/null 2>&1' EXIT
PGUSER=$SUPER gridctl -d "$new" migrate >/dev/null; ok $? "a new, empty database"
for kind in grids departments staff; do
    gridctl export "$kind" >"$csv.$kind"; ok $? "export $kind"
    gridctl -d "$new" import "$kind" "$csv.$kind" >/dev/null; ok $? "imports into the new database"
    cmp -s "$csv.$kind" <(gridctl -d "$new" export "$kind"); ok $? "and exports from it byte for byte the same"
done
# cases with assisting departments (联办) round-trip too: their codes in one
# column, joined by ";"
PGUSER=gd_operator gridctl report --grid JH01-01-02 --category hazard.building --title 联办往返 >"$csv.ref"
joint=$(cat "$csv.ref")
PGUSER=gd_operator gridctl assign "$joint" --department JH-CG --assist JH-ZJ,PJ-GA >/dev/null
ok $? "a case with two assisting departments"
gridctl export cases --grid JH01-01-02 >"$csv.cases"; ok $? "export the grid's cases"
is "$(python3 -c 'import csv, sys; print([r["assisting"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["ref"] == sys.argv[2]])' "$csv.cases" "$joint")" \
   "['JH-ZJ;PJ-GA']" "the assisting column, codes joined by ; (Python's csv)"
# the categories come with the city's setup, not with an import
pg_dump -U "$SUPER" --data-only -t categories "$TEST_DB" | psql -U "$SUPER" -X -q -d "$new" >/dev/null
gridctl -d "$new" import cases "$csv.cases" >/dev/null; ok $? "imports into the new database"
cmp -s "$csv.cases" <(gridctl -d "$new" export cases --grid JH01-01-02); ok $? "and exports from it byte for byte the same"
is "$(PGUSER=$SUPER psql -X -A -t -d "$new" -c "SELECT string_agg(d.code || ' ' || p.status, ',' ORDER BY d.code) FROM case_parts p JOIN departments d ON d.id = p.department_id JOIN cases c ON c.id = p.case_id WHERE c.ref = '$joint'")" \
   "JH-ZJ dispatched,PJ-GA dispatched" "each assisting department has its part there"
printf 'title,category,grid,reported_at,status,department,assisting\n坏协办,hazard.fall,JH01-01-01,2026-11-20 09:30,dispatched,JH-CG,JH-ZJ;NO-SUCH\n' >"$csv.bad"
err=$(gridctl import cases "$csv.bad" 2>&1); is $? 1 "an unknown assisting department is refused"
like "$err" 'unknown assisting department "NO-SUCH": no such code' "and named"

is "$(python3 -c 'import csv, sys; r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"))); print(r[0]["level"], r[0]["parent"] == "", sum(x["level"] == "grid" for x in r))' "$csv.grids")" \
   "city True $(sql "SELECT count(*) FROM areas WHERE level = 'grid'")" "the city first, with no parent; every grid"
is "$(python3 -c 'import csv, sys; r = [x for x in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if "|" in x["fields"]]; print(r[0]["fields"].split("|") == sorted(r[0]["fields"].split("|")), r[0]["on_duty"] in ("true", "false"))' "$csv.staff")" \
   "True True" "a person's fields joined by |, on duty true or false"
err=$(gridctl export staff --status new 2>&1); is $? 2 "a case filter on staff: usage error"
like "$err" "choose cases" "says filters choose cases"
err=$(gridctl -d "$new" import grids "$csv.grids" 2>&1); is $? 1 "a second city is refused"
like "$err" "the database holds a city already \(JM\)|already in the database" "and named"

# a bad value is a usage error (2), said before anything is sent: the same
# with the database down
for args in "list --priority 9" "list --status opne" "list --older-than 2x" "bulk close --status resolvd --dry-run" \
            "stats --since 2026-02-30" "export cases --until yesterday-ish" "verify --since 昨天"; do
    # shellcheck disable=SC2086
    err=$(PGHOST=/nonexistent "$BIN/gridctl" $args 2>&1); is $? 2 "gridctl $args, database down: usage error"
    unlike_db=$(printf '%s' "$err" | grep -c 'cannot connect' || true)
    is "$unlike_db" 0 "  and no connection tried"
done
done_testing
