#!/usr/bin/env bash
# Dispatch from the console: a, Enter, Enter, Enter sends a dispute to the
# top department and mediator; a refused transition says why; another
# operator's change shows at once; acting on an old version writes nothing.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
# one login that both dispatches and accepts: an administrator (not the superuser)
TUI_USER=gd_admin
tag="派单$$"
ref=$(gridctl report --grid PJ01-01-01 --category 经济合同纠纷 --title "${tag}货款纠纷" --priority 1)
top=$(sql "SELECT staff_id FROM gd_suggest_mediators('$ref', 1)")
tui_start 100 24
tui_keys / "$tag" Enter
tui_wait "queue  1/1 "; ok $? "the case is in view"

tui_keys A
tui_wait "accept $ref\? Enter confirms, Esc cancels"; ok $? "A asks first, naming the case and the change"
is "$(sql "SELECT status || ' ' || version FROM cases WHERE ref = '$ref'")" "new 1" "the question alone writes nothing"
tui_keys Enter
tui_wait "case $ref is new: cannot accept"; ok $? "a refused transition says why in the status line"
is "$(sql "SELECT status || ' ' || version FROM cases WHERE ref = '$ref'")" "new 1" "and nothing is written"

tui_keys a
tui_wait "dispatch $ref  step 1/3: department"; ok $? "a opens the dispatch dialog"
tui_wait "step 1/3: department  \(Esc cancel, Enter next, Down Up choose\)"; ok $? "its header line names its keys, from the key table"
tui_wait "PJ-TJ +蓬江区人民调解委员会 +default for dispute.economic"; ok $? "the default department is offered first"
tui_keys Enter
tui_wait "step 2/3: mediator"; ok $? "Enter takes it; the mediators come next"
tui_wait "^  $top "; ok $? "the top-ranked mediator first"
tui_keys Enter
tui_wait "step 3/3: confirm"; ok $? "Enter takes the mediator"
tui_keys Enter
tui_wait "$ref dispatched \(version 2\)"; ok $? "Enter dispatches, and the status line says so"
is "$(sql "SELECT status || ' ' || d.code || ' ' || c.mediator_id FROM cases c JOIN departments d ON d.id = c.department_id WHERE ref = '$ref'")" \
   "dispatched PJ-TJ $top" "to the top suggestions"

tui_keys Enter
tui_wait "griddesk  case $ref"; ok $? "open the case"
tui_wait "^status +dispatched"; ok $? "dispatched"
gridctl accept "$ref" >/dev/null
tui_wait "^status +accepted"; ok $? "another operator's accept shows at once"
tui_wait "accepted +$TUI_USER"; ok $? "in the timeline too"

tui_keys n
tui_wait "^note on $ref:"; ok $? "n asks for a note on the case (taking the version as seen: 3)"
gridctl onsite "$ref" >/dev/null   # someone else moves the case meanwhile
tui_keys "迟到的备注" Enter
tui_wait "case $ref was changed by $TUI_USER at [0-9]{2}:[0-9]{2}; reload"; ok $? "acting on the old version is refused with who and when"
is "$(sql "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$ref' AND e.kind = 'note'")" 0 \
   "and nothing is written"

tui_keys r
tui_wait "^resolve $ref, outcome:"; ok $? "r asks for the outcome, naming the case"
tui_keys "已达成还款协议" Enter
tui_wait "$ref resolved"; ok $? "r resolves with the outcome typed"
tui_wait "^version +5$"; ok $? "the open case shows it resolved (version 5)"
tui_keys c
tui_wait "close $ref\? Enter confirms, Esc cancels"; ok $? "c asks first"
tui_keys Enter
tui_wait "$ref closed"; ok $? "c closes, once confirmed"
is "$(sql "SELECT string_agg(kind, ',' ORDER BY e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$ref'")" \
   "reported,dispatched,accepted,on_site,resolved,closed" "the whole timeline, from whistle to closed"

tui_wait "^status +closed"; ok $? "the open case shows it closed"
tui_keys a
tui_wait "dispatch $ref"; ok $? "a on a closed case opens the dialog"
tui_wait "step 1/3: department"; ok $? "at its first step"
tui_keys Enter
tui_wait "step 2/3: mediator"; ok $? "the department taken"
tui_keys Enter
tui_wait "step 3/3: confirm"; ok $? "the summary, where Enter dispatches"
tui_keys Enter
tui_wait "is closed: cannot dispatch"; ok $? "the dispatch is refused with the reason"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
