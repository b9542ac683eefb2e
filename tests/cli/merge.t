#!/usr/bin/env bash
# Five whistles on one loose grille, end to end with gridctl as the people
# who do it: the operator finds the candidates and merges four reports into
# the first (one through a chain), the department resolves it, the centre
# closes it, and every reporter's record says how it ended. Read back by
# Python's json, as a script at the centre would.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
TMPDIR=$(mktemp -d); trap 'rm -rf "$TMPDIR"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
export PGUSER=gd_operator
kinds=(grid_worker courier resident ride_hailing party_member)
refs=()
for k in "${kinds[@]}"; do
    refs+=("$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "防盗网松动($k)" \
              --reporter-kind "$k" --reporter-phone 13800138000)")
done
ok $(( ${#refs[@]} != 5 )) "five reports of one grille"
a=${refs[0]}

gridctl duplicates "$a" --format json >"$TMPDIR/dups.json"
got=$(python3 - "$TMPDIR/dups.json" "${refs[@]:1}" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
want = {"ref", "status", "title", "distance_m", "age", "reporter_kind"}
assert all(want <= set(r) for r in rows), rows[0].keys()
print(sorted(r["ref"] for r in rows) == sorted(sys.argv[2:]),
      sorted(r["reporter_kind"] for r in rows))
PY
)
is "$got" "True ['courier', 'party_member', 'resident', 'ride_hailing']" \
   "duplicates lists the four others with the documented JSON keys"
gridctl duplicates "$a" | grep -q "^ref  *status  *m  *age  *reporter  *title"
ok $? "and a table for people"

gridctl merge "${refs[1]}" --into "$a" --into-version 1 >/dev/null; ok $? "merge one"
gridctl merge "${refs[2]}" --into "${refs[1]}" >/dev/null; ok $? "merge one into the merged one"
is "$(sql "SELECT m.ref FROM cases c JOIN cases m ON m.id = c.merged_into WHERE c.ref = '${refs[2]}'")" "$a" \
   "it went to the end of the chain"
gridctl merge "${refs[3]}" --into "$a" --expect-version 5 2>"$TMPDIR/err"
is "$?" 1 "a stale version is refused (exit 1)"
grep -q "was changed by" "$TMPDIR/err"; ok $? "saying who changed it"
gridctl merge "$a" --into "${refs[2]}" 2>"$TMPDIR/err"
is "$?" 1 "a merge that comes back round is refused"
grep -q "that would merge it into itself" "$TMPDIR/err"; ok $? "and says why"
gridctl merge "${refs[3]}" >/dev/null 2>&1; is "$?" 2 "--into is required (usage)"
gridctl merge "${refs[3]}" --into "$a" >/dev/null && gridctl merge "${refs[4]}" --into "$a" --format json >"$TMPDIR/m.json"
ok $? "merge the other two"
is "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["status"])' "$TMPDIR/m.json")" merged \
   "the new state, in JSON"
is "$(gridctl list --status open --grid PJ01-01-01 --format csv | grep -c "防盗网松动")" 1 \
   "one open case is left for the incident"

gridctl assign "$a" --department PJ-CG >/dev/null
PGUSER=gd_dept gridctl accept "$a" >/dev/null && PGUSER=gd_dept gridctl onsite "$a" >/dev/null \
  && PGUSER=gd_dept gridctl resolve "$a" --outcome "已拆除并加固防盗网" >/dev/null
ok $? "the department resolves the case"
gridctl close "$a" >/dev/null; ok $? "the centre closes it"

for r in "${refs[@]:1}"; do
    gridctl show "$r" --format json >"$TMPDIR/show.json"
    got=$(python3 - "$TMPDIR/show.json" "$a" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
heard = [e["data"] for e in case["events"] if e["kind"] == "followed"]
seen = [e for e in case["events"] if e["data"].get("on_case") == sys.argv[2]]
print(case["status"], case["merged_into"] is not None,
      [h["what"] for h in heard], heard[0].get("outcome"),
      any(e["kind"] == "on_site" for e in seen))
PY
)
    is "$got" "merged True ['resolved', 'closed'] 已拆除并加固防盗网 True" \
       "$r: the reporter's record shows the outcome and the case's steps"
done
gridctl show "$a" --format json >"$TMPDIR/a.json"
is "$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(len(c["merged"]), sorted(m["reporter_kind"] for m in c["merged"]))' "$TMPDIR/a.json")" \
   "4 ['courier', 'party_member', 'resident', 'ride_hailing']" "the case lists the four reports merged into it"

# unmerge, as the centre
r=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title 防盗网又松了)
b=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title 防盗网再报)
gridctl merge "$b" --into "$r" >/dev/null && gridctl unmerge "$b" >/dev/null
ok $? "unmerge"
is "$(sql "SELECT status || ' ' || (merged_into IS NULL) FROM cases WHERE ref = '$b'")" "new true" \
   "the report is a new case of its own again"
PGUSER=gd_dept gridctl merge "$b" --into "$r" 2>"$TMPDIR/err"; is "$?" 1 "a department may not merge"
PGUSER=jh_operator gridctl merge "$b" --into "$r" 2>"$TMPDIR/err"; is "$?" 1 "nor an operator of another district"
grep -q "no case" "$TMPDIR/err"; ok $? "who is told there is no such case"

done_testing
