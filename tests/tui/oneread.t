#!/usr/bin/env bash
# One read per change: the feed's read brings each changed case as the view
# shows it, and the window follows from it; the window is read again only
# when a case leaves a full window, whose next row only the server knows.
# The console's trace says which: "window" (from the feed) or "queue" (a
# read of the window).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_trace
tag="ONE$$"
count() { grep -c "^$1 " "$trace"; }
report() { gridctl report --grid PJ01-01-01 --category hazard.fall --priority "$1" --title "$tag $2"; }
version() { sql "SELECT version FROM cases WHERE ref = '$1'"; }

TUI_USER=gd_operator
tui_start 120 30 --trace "$trace"
tui_wait " live "; ok $? "the console is up"
tui_keys / "$tag" Enter
tui_wait "filter: text=$tag"; ok $? "filtered to this test's cases"
tui_wait "no cases in this view"
reads=$(count queue)

r1=$(report 2 一)
tui_wait " $r1 .* new "; ok $? "a report arrives"
is "$(count queue)" "$reads" "without a read of the window"
[ "$(count window)" -ge 1 ]; ok $? "the window followed from the feed"
r2=$(report 1 二)
tui_wait " $r2 "
row1=$(tui_screen | grep -n " $r1 " | cut -d: -f1); row2=$(tui_screen | grep -n " $r2 " | cut -d: -f1)
[ "$row2" -lt "$row1" ]; ok $? "an urgent one takes its place above"
gridctl assign "$r1" --department PJ-CG >/dev/null
tui_wait " $r1 .* dispatched "; ok $? "a case dispatched shows its new state"
gridctl cancel "$r2" --reason "重复" >/dev/null
tui_wait "queue  1/1"; ok $? "a cancelled case leaves the view"
tui_screen | grep -q " $r2 "; is $? 1 "and the screen"
is "$(count queue)" "$reads" "all of it without reading the window again"

# a full window: the whole open queue
tui_keys Escape
tui_wait "filters cleared"
tui_wait " $r1 " 10 >/dev/null || true
rows=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
[ "$rows" -gt 60 ]; ok $? "the open queue ($rows cases) fills more than the window"
refs_on_screen() { tui_screen | grep -oE '[A-Z]+-[0-9]{8}-[0-9]+'; }
first=$(refs_on_screen | head -n 1)
shown=$(refs_on_screen | wc -l)
reads=$(count queue)
late=$(report 4 末)
tui_wait "$rows|$((rows + 1)) cases" 5 >/dev/null
is "$(refs_on_screen | head -n 1)" "$first" "a low-priority report past the window's end leaves the top as it was"
v=$(version "$first")
gridctl cancel "$first" --reason "无效" --expect-version "$v" >/dev/null
wait_gone() { # REF: the screen no longer shows it
    local deadline=$(( $(date +%s%N) + 10000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        tui_screen | grep -q " $1 " || return 0
        sleep 0.05
    done
    return 1
}
wait_gone "$first"; ok $? "the first case, cancelled, leaves the top"
[ "$(count queue)" -gt "$reads" ]; ok $? "a case leaving a full window: the window is read again"
is "$(refs_on_screen | wc -l)" "$shown" "and the screen is as full as before"
done_testing
