#!/usr/bin/env bash
# gridctl bulk: the issue's three examples, the confirmation rules, one
# transaction with an event per case and one notification, and a bulk edit
# racing an operator: the operator's change is kept and reported.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db

events() { sql "SELECT count(*) FROM events"; }

# a mediator goes off shift: move their open cases to the nearest qualified
m=$(sql "SELECT mediator_id FROM cases WHERE status IN ('dispatched', 'accepted') AND mediator_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
n=$(sql "SELECT count(*) FROM cases WHERE mediator_id = $m AND status IN ('dispatched', 'accepted')")
sql "UPDATE staff SET on_duty = false WHERE id = $m"
before=$(events)
out=$(gridctl bulk reassign --mediator "$m" --status dispatched,accepted --to-mediator auto --yes)
ok $? "bulk reassign --to-mediator auto"
like "$out" "^$n cases? (was|were) given another mediator" "says how many"
is "$(sql "SELECT count(*) FROM cases WHERE mediator_id = $m AND status IN ('dispatched', 'accepted')")" 0 \
   "none left with the mediator off shift"
is "$(( $(events) - before ))" "$n" "one event per case"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'reassigned' AND (data->>'from_mediator')::int = $m AND data ? 'mediator'")" "$n" \
   "each event names the old and the new mediator"
is "$(sql "SELECT open_cases FROM staff WHERE id = $m")" \
   "$(sql "SELECT count(*) FROM cases WHERE mediator_id = $m AND status IN ('dispatched', 'accepted', 'on_site')")" \
   "the mediator's load follows"
is "$(sql "SELECT count(*) FROM staff s WHERE open_cases <> (SELECT count(*) FROM cases c WHERE c.mediator_id = s.id AND c.status IN ('dispatched', 'accepted', 'on_site'))")" 0 \
   "every mediator's load is right afterwards"

# resolved a week ago and never closed
sql "UPDATE cases SET stage_since = now() - interval '8 days' WHERE id IN (SELECT id FROM cases WHERE status = 'resolved' ORDER BY id LIMIT 30)"
n=$(sql "SELECT count(*) FROM cases WHERE status = 'resolved' AND stage_since < now() - interval '7 days'")
out=$(gridctl bulk close --status resolved --older-than 7d --dry-run); ok $? "dry run"
like "$out" "^$n cases would be closed" "dry run: how many"
like "$out" "JM-[0-9]{8}-[0-9]+ +resolved" "dry run: the first few"
like "$out" "dry run: nothing was changed" "dry run says so"
is "$(sql "SELECT count(*) FROM cases WHERE status = 'resolved' AND stage_since < now() - interval '7 days'")" "$n" \
   "dry run changed nothing"
err=$(gridctl bulk close --status resolved --older-than 7d </dev/null 2>&1 >/dev/null)
is $? 1 "more than 20 and no terminal: refused without --yes"
like "$err" "$n cases would change and nobody is at a terminal to confirm: add --yes" "says why"
is "$(sql "SELECT count(*) FROM cases WHERE status = 'resolved' AND stage_since < now() - interval '7 days'")" "$n" \
   "nothing closed"
before=$(events)
gridctl bulk close --status resolved --older-than 7d --yes >/dev/null; ok $? "bulk close --older-than 7d --yes"
is "$(sql "SELECT count(*) FROM cases WHERE status = 'resolved' AND stage_since < now() - interval '7 days'")" 0 "all closed"
is "$(( $(events) - before ))" "$n" "an event each"

# a typhoon warning: everything new or dispatched in 江海区 of one category goes urgent
cat=$(sql "SELECT category FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'JH') AND status IN ('new', 'dispatched') AND priority > 1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
n=$(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'JH') AND category = '$cat' AND status IN ('new', 'dispatched') AND priority <> 1")
probe=$(sql "SELECT ref FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'JH') AND category = '$cat' AND status IN ('new', 'dispatched') AND priority = 3 ORDER BY id LIMIT 1")
span() { sql "SELECT extract(epoch FROM resolve_by - reported_at)::int FROM cases WHERE ref = '$probe'"; }
was=$(span)
out=$(gridctl bulk priority 1 --district 江海区 --category "$cat" --status new,dispatched 2>&1 </dev/null)
if [ "$n" -gt 20 ]; then
    is $? 1 "priority without --yes above 20 and no terminal: refused"
    gridctl bulk priority 1 --district 江海区 --category "$cat" --status new,dispatched --yes >/dev/null
fi
ok $? "bulk priority 1 --district 江海区 --category $cat"
is "$(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'JH') AND category = '$cat' AND status IN ('new', 'dispatched') AND priority <> 1")" 0 \
   "all $n are urgent now"
[ -z "$probe" ] || is "$(span)" "$(( was / 2 ))" "an urgent case gets half the time to resolve"

# assign, cancel; and the small edit that needs no --yes
g=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id WHERE c.status = 'new' ORDER BY c.id LIMIT 1")
n=$(sql "SELECT count(*) FROM cases WHERE status = 'new' AND grid_id = (SELECT id FROM areas WHERE code = '$g')")
out=$(gridctl bulk assign --department PJ-TJ --mediator auto --grid "$g" --status new </dev/null)
ok $? "bulk assign of $n new cases in one grid: no --yes needed up to 20"
like "$out" "$n cases? would be dispatched" "it still shows what it will do first"
is "$(sql "SELECT count(*) FROM cases WHERE grid_id = (SELECT id FROM areas WHERE code = '$g') AND status = 'dispatched' AND department_id = (SELECT id FROM departments WHERE code = 'PJ-TJ') AND mediator_id IS NOT NULL AND updated_at > now() - interval '1 minute'")" "$n" \
   "dispatched to the department, each with a mediator"
ref=$(sql "SELECT ref FROM cases WHERE status = 'new' ORDER BY id LIMIT 1")
g=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id WHERE c.ref = '$ref'")
err=$(gridctl bulk cancel --grid "$g" --status new 2>&1); is $? 2 "cancel without --reason: usage error"
gridctl bulk cancel --grid "$g" --status new --reason 重复上报 --yes >/dev/null; ok $? "bulk cancel --reason"
is "$(sql "SELECT status || ':' || (SELECT data->>'reason' FROM events WHERE case_id = c.id ORDER BY id DESC LIMIT 1) FROM cases c WHERE ref = '$ref'")" \
   "cancelled:重复上报" "cancelled with the reason in its event"

# one notification for the whole edit, however many cases
n=$(sql "SELECT count(*) FROM cases WHERE status IN ('new', 'returned', 'dispatched', 'accepted', 'on_site') AND priority <> 4")
out=$(psql -X -q -A -t <<SQL
LISTEN griddesk_events;
\\! "$BIN/gridctl" bulk priority 4 --status open --yes >/dev/null && echo edited
SELECT 'left=' || count(*) FROM cases WHERE status IN ('new', 'returned', 'dispatched', 'accepted', 'on_site') AND priority <> 4;
SQL
)
like "$out" "edited" "bulk priority over $n cases"
like "$out" "left=0" "all $n changed"
is "$(printf '%s\n' "$out" | grep -c 'Asynchronous notification "griddesk_events"')" 1 "one notification for $n changed cases"

# racing an operator: the plan is read, then an operator changes a case,
# then the edit runs; the operator's change stays, and is named
ref=$(sql "SELECT ref FROM cases WHERE status = 'resolved' ORDER BY id LIMIT 1")
n=$(sql "SELECT count(*) FROM cases WHERE status = 'resolved'")
plan=$(sql "SELECT ids::text || '|' || versions::text FROM gd_bulk_plan('close', 'resolved')")
gridctl reopen "$ref" --reason 当事人反映未解决 >/dev/null; ok $? "an operator reopens one of the cases"
res=$(sql "SELECT changed || '|' || cardinality(\"left\") || '|' || \"left\"[1] FROM gd_bulk_apply('close', '${plan%%|*}'::bigint[], '${plan#*|}'::int[])")
is "${res%%|*}" "$(( n - 1 ))" "the others are closed"
like "$res" "\|1\|$ref was changed by .* it is now dispatched" "the reopened one is left as it is, and named"
is "$(sql "SELECT status FROM cases WHERE ref = '$ref'")" dispatched "the operator's change stands"

# the same race through gridctl: exit 1 and the message
ref=$(sql "SELECT ref FROM cases WHERE status = 'new' ORDER BY id LIMIT 1")
g=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id WHERE c.ref = '$ref'")
# hold the case's row lock so that gridctl has read its plan and waits to
# apply it; change the case meanwhile; let go
out=$(mktemp)
coproc HOLD { psql -U "$SUPER" -X -q -A -t 2>&1; }
echo "BEGIN; SELECT 1 FROM cases WHERE ref = '$ref' FOR UPDATE; SELECT 'held';" >&"${HOLD[1]}"
read -r _ <&"${HOLD[0]}"; read -r line <&"${HOLD[0]}"
gridctl bulk priority 2 --grid "$g" --status new --yes > "$out" 2> "$out.err" &
bulk=$!
for _ in $(seq 1 200); do
    [ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%gd_bulk_apply%'")" = 1 ] && break
    sleep 0.05
done
echo "UPDATE cases SET version = version + 1, updated_by = 'li.ming', updated_at = now() WHERE ref = '$ref'; COMMIT; SELECT 'done';" >&"${HOLD[1]}"
wait $bulk; is $? 1 "gridctl bulk exits 1 when a case was changed meanwhile"
like "$(cat "$out.err")" "left as it was: $ref was changed by li.ming" "and names it"
echo '\q' >&"${HOLD[1]}"
rm -f "$out" "$out.err"

# at a terminal, more than 20 cases: it asks, and only "y" goes ahead
. "$(dirname "$0")/../lib/tui.sh"
trap 'tmx kill-server 2>/dev/null; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
at_terminal() { # at_terminal ANSWER: run a bulk edit in a terminal and answer its question
    tmx kill-server 2>/dev/null
    TMUX_N=$((TMUX_N + 1)); TMUX_SOCK="gdtest_$$_$TMUX_N"
    tmx -f /dev/null new-session -d -s t -x 120 -y 40 \
        "env PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=${PGUSER:-postgres} PGDATABASE=$PGDATABASE ASAN_OPTIONS=${ASAN_OPTIONS:-} $BIN/gridctl bulk priority 2 --status open; echo exit=\$?; sleep 600"
    tui_wait 'Change [0-9]+ cases\? \[y/N\]'; ok $? "at a terminal it asks before changing more than 20"
    tui_keys "$1" Enter
    tui_wait 'exit=[0-9]'
}
n=$(sql "SELECT count(*) FROM cases WHERE status IN ('new', 'returned', 'dispatched', 'accepted', 'on_site') AND priority <> 2")
at_terminal n
like "$(tui_screen)" 'nothing was changed' "answering n changes nothing"
is "$(sql "SELECT count(*) FROM cases WHERE status IN ('new', 'returned', 'dispatched', 'accepted', 'on_site') AND priority <> 2")" "$n" "nothing changed"
at_terminal y
like "$(tui_screen)" "$n cases were given the new priority" "answering y goes ahead"
like "$(tui_screen)" 'exit=0' "and exits 0"

err=$(gridctl bulk explode --status new 2>&1); is $? 2 "unknown action: usage error"
err=$(gridctl bulk reassign --status accepted 2>&1); is $? 2 "reassign needs --to-mediator"
err=$(gridctl bulk close --older-than soon --yes 2>&1); is $? 2 "a bad duration is a usage error"
like "$err" '--older-than "soon" is not a number with a unit' "and named"
err=$(gridctl bulk priority 7 --status new 2>&1); is $? 2 "priority out of range"
done_testing
