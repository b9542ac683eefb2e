#!/usr/bin/env bash
# A key that changes a case asks first, on the status line, naming the case
# and the change; only Enter on a question already on the screen answers
# it, Esc cancels, and keys pressed again meanwhile do nothing more. The
# actions that take text ask for it under a label that names the case, and
# an Enter typed before that label showed does not send it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
TUI_USER=gd_admin   # a login that may both dispatch and act as a department
tag="确认$$"
r1=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 --title "${tag}一")
r2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 --title "${tag}二")
gridctl assign "$r1" --department PJ-CG >/dev/null && gridctl assign "$r2" --department PJ-CG >/dev/null
ok $? "two cases dispatched to a department"
state() { sql "SELECT status || ' ' || version FROM cases WHERE ref = '$1'"; }
kinds() { sql "SELECT string_agg(kind, ',' ORDER BY e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$1'"; }

# screen-256color does not name Ctrl-Up: it comes as Esc [ 1 ; 5 A
TUI_ENV="TERM=screen-256color" tui_start 100 24
tui_keys / "$tag" Enter
tui_wait "queue  1/2 .*filter: text=$tag"; ok $? "the two cases are in view"
tui_wait "^.? $r1 "; ok $? "$r1 first"

# asking, and cancelling
tui_keys A
tui_wait "^accept $r1\? Enter confirms, Esc cancels"; ok $? "A asks on the status line, naming the case"
is "$(state "$r1")" "dispatched 2" "asking writes nothing"
tui_keys A A o c j
tui_hex 1b 5b 31 3b 35 41 3f   # Ctrl-Up: its Esc is no answer, nor its A; nor is ?
tui_wait "ignored key Esc\[1;5A"; ok $? "a key sequence meanwhile is ignored whole"
tui_wait "^accept $r1\? Enter confirms"; ok $? "keys pressed again, or others, change nothing: the same question"
tui_wait "queue  1/2 "; ok $? "and the selection did not move"
is "$(state "$r1")" "dispatched 2" "nothing written"
tui_keys Escape
tui_wait "$r1: cancelled, nothing was changed"; ok $? "Esc cancels and says nothing was changed"
tui_wait " live .*admin \| 2 cases"; ok $? "the status line is back"
is "$(state "$r1")" "dispatched 2" "nothing written"

# an Enter typed ahead of the question is no answer
tui_hex 41 0d   # A and Enter in one write: read before any frame is drawn
tui_wait "^accept $r1\? Enter confirms"; ok $? "A and Enter together: the question shows"
is "$(state "$r1")" "dispatched 2" "and the Enter typed with it did not answer it"
tui_keys Enter
tui_wait "$r1 accepted \(version 3\)"; ok $? "Enter on the question on the screen accepts"
is "$(kinds "$r1")" "reported,dispatched,accepted" "once"

tui_keys o
tui_wait "^$r1 on site\? Enter confirms, Esc cancels"; ok $? "o asks, naming the case and the change"
tui_keys o o
is "$(state "$r1")" "accepted 3" "o again writes nothing"
tui_keys Enter
tui_wait "$r1 on site \(version 4\)"; ok $? "Enter confirms it"

# text: the label names the case; an Enter typed ahead does not send it
tui_hex 72 e5 b7 b2 e4 bf ae e5 a4 8d 0d   # r, 已修复, Enter in one write
tui_wait "^resolve $r1, outcome: 已修复"; ok $? "r asks for the outcome, naming the case; the text typed ahead is kept"
is "$(state "$r1")" "on_site 4" "the Enter typed ahead did not send it"
tui_keys Enter
tui_wait "$r1 resolved \(version 5\)"; ok $? "Enter on the prompt on the screen resolves"

tui_keys c
tui_wait "^close $r1\? Enter confirms, Esc cancels"; ok $? "c asks"
tui_keys Enter
tui_wait "$r1 closed \(version 6\)"; ok $? "Enter closes"
is "$(kinds "$r1")" "reported,dispatched,accepted,on_site,resolved,closed" "each change once, none unasked"

# in the case screen the question names the open case
tui_wait "queue  1/1 "; ok $? "the closed case left the view"
tui_keys Enter
tui_wait "griddesk  case $r2"; ok $? "open $r2"
tui_wait "^status +dispatched"; ok $? "loaded"
tui_keys A
tui_wait "^accept $r2\? Enter confirms"; ok $? "A in the case screen names the open case"
tui_keys Enter
tui_wait "^status +accepted"; ok $? "Enter accepts it"
tui_keys n
tui_wait "^note on $r2:"; ok $? "n asks for a note on the case"
tui_keys Escape
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
tmx kill-server

# a role that may only look is told so, and asked nothing
TUI_USER=gd_viewer tui_start 100 24
tui_keys / "$tag" Enter
tui_wait "queue  1/1 .*filter: text=$tag"; ok $? "viewer: the case is in view"
tui_keys A
tui_wait "your role \(viewer\) may only look"; ok $? "viewer: A says the role may only look"
tui_screen | grep -q "Enter confirms"; is $? 1 "viewer: and asks nothing"
tui_keys q
tui_wait "exit=0"; ok $? "viewer: quits cleanly"
is "$(kinds "$r2")" "reported,dispatched,accepted" "$r2 changed only when confirmed"
done_testing
