#!/usr/bin/env bash
# One front door (联办), end to end with gridctl as the people who do it: the
# centre dispatches a falling-facade case to the city bureau with two
# assisting departments, one of them in another district; each department
# takes its own part with its own login; one is late, one is released; the
# case closes only then. Read back by Python's json, as a script would.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
TMPDIR=$(mktemp -d); trap 'rm -rf "$TMPDIR"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
export PGUSER=gd_operator
ref=$(gridctl report --grid PJ01-01-01 --category hazard.building --priority 2 --title 临街危楼外墙开裂)
gridctl assign "$ref" --department PJ-CG --assist PJ-ZJ,JH-GA >/dev/null
ok $? "assign --department --assist: one lead, two assisting departments"
gridctl show "$ref" --format json >"$TMPDIR/show.json"
got=$(python3 - "$TMPDIR/show.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
keys = {"department", "status", "accepted_at", "onsite_at", "feedback_at", "due_at"}
parts = case["assisting"]
assert all(keys <= set(p) for p in parts), parts
print(case["department"], case["version"], [(p["department"], p["status"], p["due_at"] is not None) for p in parts])
PY
)
is "$got" "PJ-CG 2 [('JH-GA', 'dispatched', True), ('PJ-ZJ', 'dispatched', True)]" \
   "show --format json: assisting, each with the documented keys and its own deadline"
gridctl assign "$ref" --assist PJ-CG 2>"$TMPDIR/err"; is $? 1 "the lead cannot also assist"
grep -q "leads case" "$TMPDIR/err"; ok $? "and says so"
gridctl assign "$ref" --mediator auto 2>/dev/null; is $? 2 "--mediator without --department is a usage error"

# each department its own part; JH's login takes JH-GA's part without naming it
PGUSER=gd_dept gridctl accept "$ref" >/dev/null; ok $? "the lead accepts"
PGUSER=gd_dept gridctl accept "$ref" --department PJ-ZJ >/dev/null; ok $? "PJ-ZJ accepts its part"
PGUSER=gd_dept gridctl onsite "$ref" --department PJ-ZJ >/dev/null && \
PGUSER=gd_dept gridctl feedback "$ref" --department PJ-ZJ --note 已拉设警戒线并疏导行人 >/dev/null
ok $? "PJ-ZJ goes on site and feeds back: its part is done"
is "$(PGUSER=jh_dept gridctl list --grid PJ01-01-01 --format csv | grep -c "$ref")" 1 \
   "a JH department login sees the PJ case JH-GA assists with"
out=$(psql -X -q -A -t <<SQL
LISTEN $(sql "SELECT gd__channel_name('JH')");
\! PGUSER=jh_dept "$BIN/gridctl" accept "$ref" >/dev/null
SELECT 'newest=' || max(id) FROM events;
SQL
)
newest=$(printf '%s\n' "$out" | sed -n 's/^newest=//p')
like "$out" "Asynchronous notification \"griddesk_events_jh\" with payload \"$newest\" received" \
     "JH's channel hears the PJ case it assists with, so JH's consoles see it at once"
is "$(sql "SELECT p.status FROM case_parts p JOIN departments d ON d.id = p.department_id JOIN cases c ON c.id = p.case_id WHERE c.ref = '$ref' AND d.code = 'JH-GA'")" \
   accepted "a JH login's accept took JH-GA's part"
PGUSER=jh_dept gridctl resolve "$ref" --outcome x 2>/dev/null; is $? 1 "but cannot resolve the case"

# late: JH-GA misses its on-site deadline
sql "UPDATE case_parts SET onsite_by = now() - interval '1 minute' WHERE department_id = (SELECT id FROM departments WHERE code = 'JH-GA')" >/dev/null
gridctl deadlines >/dev/null 2>&1; ok $? "the clock runs"
PGUSER=gd_viewer gridctl stats --by department --format json >"$TMPDIR/stats.json"
is "$(python3 -c 'import json,sys; r={x["key"]: x for x in json.load(open(sys.argv[1]))}; print(r["JH-GA"]["overdue_now"])' "$TMPDIR/stats.json")" \
   1 "stats --by department: JH-GA late in its own row"

PGUSER=gd_dept gridctl onsite "$ref" >/dev/null && PGUSER=gd_dept gridctl resolve "$ref" --outcome 外墙已加固 >/dev/null
ok $? "the lead resolves"
gridctl close "$ref" 2>"$TMPDIR/err"; is $? 1 "the centre cannot close it while JH-GA's part is open"
like "$(cat "$TMPDIR/err")" "assisting parts still open: JH-GA" "and names the part"
like "$(cat "$TMPDIR/err")" "gridctl release $ref --department CODE --reason TEXT" "and the command that releases it"
gridctl release "$ref" --department JH-GA >/dev/null 2>&1; is $? 2 "release needs a reason (usage)"
gridctl release "$ref" --department JH-GA --reason 已移交派出所另案处理 >/dev/null; ok $? "release JH-GA, with a reason"
gridctl close "$ref" --format json >"$TMPDIR/closed.json"; ok $? "now the case closes"
gridctl show "$ref" --format json >"$TMPDIR/show.json"
got=$(python3 - "$TMPDIR/show.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
print(case["status"], sorted((p["department"], p["status"]) for p in case["assisting"]),
      [e["kind"] for e in case["events"] if e["kind"].startswith("assist_")])
PY
)
is "$got" "closed [('JH-GA', 'released'), ('PJ-ZJ', 'fed_back')] ['assist_dispatched', 'assist_dispatched', 'assist_accepted', 'assist_on_site', 'assist_fed_back', 'assist_accepted', 'assist_released']" \
   "the record: every part's end, and one event for every step"
done_testing
