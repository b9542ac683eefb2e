#!/usr/bin/env bash
# There is always a selected case when the view has rows: after a filter
# that matched nothing, cases that then arrive and match are selected from
# the first, Enter opens a real case and A names it; on the empty view,
# keys that act on a case say the view is empty and form no request.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
TUI_USER=gd_admin
tag="ZZQ$$"
tui_trace
tui_start 100 24 --trace "$trace"
tui_wait " live "; ok $? "the console is up"
# the path as operators met it: a filter that matches nothing, no key
# pressed, then matching cases arrive
tui_keys / "$tag" Enter
tui_wait "queue  0/0 .*filter: text=$tag"; ok $? "a filter that matches nothing: 0/0"
tui_wait "no cases in this view"; ok $? "and says so"
r1=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 2 --title "${tag}一")
r2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 2 --title "${tag}二")
tui_wait "queue  1/2 .*filter: text=$tag"; ok $? "cases that arrive and match: 1/2, not 0/2"
tui_wait "^\* $r1 "; ok $? "the first is listed"
row=$(tui_screen | grep -n "$r1" | cut -d: -f1)
sgr=$(tmx capture-pane -p -e -t t | sed -n "${row}p")
printf '%s' "$sgr" | grep -q $'\e\\[[0-9;]*7m'; ok $? "and selected (reverse video)"
tui_keys Enter
tui_wait "griddesk  case $r1"; ok $? "Enter opens it, not \"case (null)\""
tui_screen | grep -q "(null)"; is $? 1 "no (null) anywhere"
tui_keys Escape
tui_wait "queue  1/2 "; ok $? "back to the queue"
tui_keys j
tui_wait "queue  2/2 "; ok $? "j selects the second"
tui_keys A
tui_wait "^accept $r2\? Enter confirms"; ok $? "A names the selected case"
tui_keys Escape
tui_wait "$r2: cancelled, nothing was changed"; ok $? "Esc cancels"

# on an empty view, every key that moves or acts
tag2="YYQ$$"
tui_keys Escape / "$tag2" Enter
tui_wait "queue  0/0 .*filter: text=$tag2"; ok $? "another filter that matches nothing"
tui_keys j k G g PgDn PgUp Down Up End Home
tui_keys Enter
tui_wait "no case to open: this view is empty"; ok $? "Enter on the empty view says so"
tui_keys A
tui_wait "no case to act on: this view is empty"; ok $? "A on the empty view says so"
# each key, then ?: help opens only if the key opened no question, prompt
# or dialog
for k in A a b o F r c O X n t; do
    tui_keys "$k" '?'
    tui_wait "griddesk  keys" 5; ok $? "$k on the empty view asks nothing, opens nothing"
    tui_keys '?'
    tui_wait "queue  0/0 .*filter: text=$tag2" 5; ok $? "$k: still the empty view"
done
tui_keys j k G
y1=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 2 --title "${tag2}一")
gridctl report --grid PJ01-01-01 --category hazard.fall --priority 2 --title "${tag2}二" >/dev/null
tui_wait "queue  1/2 .*filter: text=$tag2"; ok $? "after those keys, arrivals are selected from the first: 1/2"
tui_keys Enter
tui_wait "griddesk  case $y1"; ok $? "and Enter opens the first"
tui_keys Escape Escape / "$tag" Enter
tui_wait "queue  [12]/2 .*filter: text=$tag"; ok $? "back to the first filter"

# the same when the cases under the selection leave and another comes
gridctl cancel "$r1" --reason 重复 >/dev/null && gridctl cancel "$r2" --reason 重复 >/dev/null
ok $? "both are cancelled elsewhere"
tui_wait "queue  0/0 "; ok $? "the view is empty again"
r3=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 2 --title "${tag}三")
tui_wait "queue  1/1 "; ok $? "after the others left, the newcomer is selected: 1/1"
tui_keys Enter
tui_wait "griddesk  case $r3"; ok $? "and Enter opens it"
tui_keys Escape q
tui_wait "exit=0"; ok $? "quits cleanly"
grep -q "(null)" /tmp/griddesk-stderr-$$ "$trace"; is $? 1 "nothing said (null)"
is "$(sql "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.title LIKE '${tag}%' AND e.kind NOT IN ('reported', 'cancelled')")" 0 \
   "the console wrote no change"
done_testing
