#!/usr/bin/env bash
# Many whistles, one incident (并案), at the console: the queue marks a case
# that has another open report of the same incident, the case screen lists
# them numbered, and m merges the open case into one, by its number (at the
# version it had when m was pressed) or by a reference.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
export PGUSER=gd_operator
TUI_USER=gd_operator
tag="并案$$"
r1=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "${tag}防盗网松动")
r2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "${tag}防盗网快掉了")
r3=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "${tag}防盗网摇晃")
r4=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "${tag}防盗网要掉")
lone=$(gridctl report --grid PJ01-01-01 --category dispute.family --title "${tag}家事")
state() { sql "SELECT c.status || ' ' || coalesce(m.ref, '-') FROM cases c LEFT JOIN cases m ON m.id = c.merged_into WHERE c.ref = '$1'"; }

tui_start 100 24
tui_keys / "$tag" Enter
tui_wait "queue  1/5 .*filter: text=$tag"; ok $? "the five reports are in view"
tui_wait "^≈ $r1 "; ok $? "a report of an incident reported again is marked ≈"
tui_wait "^  $lone "; ok $? "one with no other report of its kind is not"

# the case screen lists the candidates, numbered; m 1 merges into the first
tui_keys j Enter
tui_wait "griddesk  case $r2"; ok $? "open $r2"
tui_wait "^duplicates\? +\[1\] JM-"; ok $? "the case screen lists the candidates, numbered"
first=$(tui_screen | sed -n 's/^duplicates? *\[1\] \(JM-[0-9-]*\) .*/\1/p')
tui_wait "\[3\] JM-.* 0 m  ${tag}"; ok $? "each with its distance and title"
tui_keys m
tui_wait "^merge $r2 into \(a candidate's number, or a reference\):"; ok $? "m asks into which, naming the case"
tui_keys 1 Enter
tui_wait "$r2 merged \(version 2\)"; ok $? "1 Enter merges it into the first candidate"
is "$(state "$r2")" "merged $first" "merged into the first candidate listed ($first)"
tui_wait "^status +merged"; ok $? "the open case shows its new state"
tui_wait "^merged into +$first"; ok $? "and the case it went into"
tui_wait "^duplicates\?" 1 >/dev/null; ok $(( ! $? )) "a merged case offers no candidates"
# the merged case follows the case it went into, live
gridctl note "$first" --note "已通知物业" >/dev/null
tui_wait "note +gd_operator +\[$first\] 已通知物业"; ok $? "a change to that case shows in its timeline at once, marked with its reference"
tui_keys Escape
tui_wait "queue  [0-9]/4 .*filter: text=$tag"; ok $? "the merged report left the queue"

# by reference
tui_keys g
tui_wait "queue  1/4 "
target=$r1; [ "$first" = "$r1" ] || target=$first
other=$(for r in $r1 $r3 $r4; do [ "$r" = "$target" ] || echo "$r"; done | head -1)
tui_keys / C-u "$other" Enter
tui_wait "queue  1/1 .*filter: text=$other"; ok $? "find $other"
tui_keys Enter
tui_wait "griddesk  case $other"
tui_wait "^duplicates\? "
tui_keys m
tui_wait "^merge $other into"
tui_keys "$target" Enter
tui_wait "$other merged \(version 2\)"; ok $? "a reference typed merges into that case"
is "$(state "$other")" "merged $target" "into $target"

# the version seen: a candidate changed after m was pressed is refused
last=$(for r in $r1 $r3 $r4; do [ "$r" = "$target" ] || [ "$r" = "$other" ] || echo "$r"; done | head -1)
tui_keys Escape / C-u "$last" Enter
tui_wait "queue  1/1 .*filter: text=$last"
tui_keys Enter
tui_wait "griddesk  case $last"
tui_wait "^duplicates\? +\[1\] $target "; ok $? "$last's candidate is $target"
tui_keys m
tui_wait "^merge $last into"
gridctl assign "$target" --department PJ-CG >/dev/null
tui_keys 1 Enter
tui_wait "$target was changed by gd_operator at [0-9:]+; reload"; ok $? "a candidate changed since m was pressed is refused"
is "$(state "$last")" "new -" "and nothing was merged"

# supervision counts the merges of the day
tui_keys s
tui_wait "^today   merged: 2 reports into the case of the same incident"
ok $? "the supervision screen shows how many reports were merged today"
tui_wait "^this week   merged: 2 reports"; ok $? "and this week"

# a viewer may only look
tui_keys Escape Escape q
TUI_USER=gd_viewer tui_start 100 24
tui_keys / "$last" Enter
tui_wait "queue  1/1 "
tui_keys m
tui_wait "your role \(viewer\) may only look"; ok $? "a viewer cannot merge"
tui_keys q
tui_wait "exit=0"; ok $? "the console exits cleanly"

done_testing
