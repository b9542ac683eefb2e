#!/usr/bin/env bash
# One front door (联办) at the console: Tab in the dispatch dialog marks
# assisting departments and Enter Enter Enter sends the case to the lead
# with them; the queue shows the lead and +N, the case screen each part
# with its state and deadline. In the other district, its department's
# console sees the case and A takes its own part, live on the centre's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
export PGUSER=gd_operator
tag="联办$$"
ref=$(gridctl report --grid PJ01-01-01 --category hazard.building --priority 1 --title "${tag}危楼外墙开裂")
part() { sql "SELECT p.status FROM case_parts p JOIN departments d ON d.id = p.department_id JOIN cases c ON c.id = p.case_id WHERE c.ref = '$ref' AND d.code = '$1'"; }

TUI_USER=gd_operator tui_start 120 30
tui_keys / "$tag" Enter
tui_wait "queue  1/1 .*filter: text=$tag"; ok $? "the case is in view"
tui_keys a
tui_wait "step 1/3: department"; ok $? "a opens the dispatch dialog"
tui_wait "^Tab marks assisting"; ok $? "the dialog says Tab marks assisting departments"
tui_keys J H - G A
tui_wait "^  +JH-GA "; ok $? "typing finds another district's department"
tui_keys Tab
tui_wait "^  \+ JH-GA "; ok $? "Tab marks it +"
tui_keys BSpace BSpace BSpace BSpace BSpace P J - C G Tab
tui_wait "^  \+ PJ-CG "; ok $? "and a second one"
tui_keys BSpace BSpace BSpace BSpace BSpace
tui_wait "^  \+ PJ-CG "; ok $? "the filter cleared, the marks stay"
tui_keys Enter Enter
tui_wait "dispatch $ref to PJ-ZJ"; ok $? "Enter Enter still takes the default department as the lead"
tui_wait "assisting \(协办\): JH-GA,PJ-CG"; ok $? "the summary names the assisting departments"
tui_keys Enter
tui_wait "$ref dispatched with assisting departments \(version 2\)"; ok $? "Enter dispatches, and says so"
is "$(sql "SELECT d.code FROM cases c JOIN departments d ON d.id = c.department_id WHERE c.ref = '$ref'") $(part JH-GA) $(part PJ-CG)" \
   "PJ-ZJ dispatched dispatched" "to the lead, each assisting department with its part"
tui_wait "PJ-ZJ\+2 "; ok $? "the queue shows the lead and +2"

tui_keys Enter
tui_wait "griddesk  case $ref"; ok $? "open the case"
tui_wait "^assisting +JH-GA dispatched [0-9-]+ [0-9:]+"; ok $? "the case screen lists each part with its state and deadline"
tui_wait "^ +PJ-CG dispatched"; ok $? "both"

# JH's department, in its own console: it sees the PJ case and takes its part
TMUX_SAVE=$TMUX_SOCK
TUI_USER=jh_dept tui_start 120 30
tui_keys / "$tag" Enter
tui_wait "queue  1/1 .*filter: text=$tag"; ok $? "a JH department console sees the PJ case JH-GA assists with"
tui_keys A
tui_wait "^accept $ref\? Enter confirms"; ok $? "A asks"
tui_keys Enter
tui_wait "$ref accepted \(version 2\)"; ok $? "Enter accepts JH-GA's part; the case's version stays"
is "$(part JH-GA) $(sql "SELECT status FROM cases WHERE ref = '$ref'")" "accepted dispatched" "its part, not the case"
tui_keys q
tui_wait "exit=0"; ok $? "the JH console exits cleanly"
tmx kill-server
TMUX_SOCK=$TMUX_SAVE
tui_wait "^assisting +JH-GA accepted"; ok $? "the centre's case screen shows it at once"
tui_wait "assist accepted +jh_dept +JH-GA"; ok $? "in the timeline too"
tui_keys q
tui_wait "exit=0"; ok $? "the console exits cleanly"
done_testing
