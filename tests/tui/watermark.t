#!/usr/bin/env bash
# Event ids are taken at insert and visible at commit. A writer that takes an
# id, then commits after others with higher ids, must still reach the screen.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 100 24
tag="慢$$"
tui_keys / "$tag" Enter
tui_wait "filter: text=$tag"; ok $? "the console watches for the test's cases"
tui_wait "operator \| 0 cases"; ok $? "none yet"

fifo=$(mktemp -u); mkfifo "$fifo"; marker=$(mktemp -u)
psql -X -q -v ON_ERROR_STOP=1 <"$fifo" >/dev/null &
writer=$!
exec 3>"$fifo"
echo "BEGIN; SELECT gd_report('PJ01-01-01', 'hazard.fall', '${tag}-slow');" >&3
echo "SELECT max(id) FROM events \\g $marker" >&3
for _ in $(seq 100); do [ -s "$marker" ] && break; sleep 0.05; done
slow_id=$(grep -Eo '[0-9]+' "$marker" | head -1)
ok $([ -n "$slow_id" ]; echo $?) "the slow writer holds an open transaction with event $slow_id"

for i in 1 2 3; do
    gridctl report --grid PJ01-01-01 --category hazard.fall --title "${tag}-fast$i" >/dev/null
done
fast_min=$(sql "SELECT min(e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.title LIKE '${tag}-fast%'")
ok $([ "$fast_min" -gt "$slow_id" ]; echo $?) "the fast writers' events have higher ids ($fast_min > $slow_id)"
tui_wait "operator \| 3 cases"; ok $? "the three fast cases are on screen"
tui_screen | grep -q -- "${tag}-slow"; is $? 1 "the slow one is not: it has not committed"

echo "COMMIT;" >&3
exec 3>&-
wait $writer; ok $? "the slow writer commits"
tui_wait "operator \| 4 cases"; ok $? "the console shows all four"
tui_wait "${tag}-slow"; ok $? "including the late committer"
rm -f "$fifo" "$marker"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
