#!/usr/bin/env bash
# Every screen in English at 80x24, as chinese.t does in Chinese: the labels
# fit, the heads stand over their columns.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 80 24
tui_wait " live "; ok $? "the console is up"
tui_wait "REF +AGE +P +STATUS +CATEGORY +DISTRI +TITLE +LEFT"; ok $? "queue heads"
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
tui_wait "\| $total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"; ok $? "the status line fits"
tui_keys Enter
tui_wait "^status +(new|dispatched|accepted|on site|resolved|returned)"; ok $? "the case screen"
tui_wait "^priority +[1-4] (urgent|high|normal|low)"; ok $? "the priority named"
tui_keys Escape '?'
tui_wait "griddesk  keys"; ok $? "help"
tui_wait "more below: PgDn or j"; ok $? "says there is more below at 24 rows"
tui_keys Escape s
tui_wait "^DISTRICT +NEW +SENT +RESOLVED +CLOSED +OVERDUE +ACCEPT +ON SITE +ON TIME +RATE"; ok $? "supervision heads over their columns"
tui_keys s
ref=$(sql "SELECT ref FROM cases WHERE status = 'new' ORDER BY id LIMIT 1")
tui_keys /; tui_keys "$ref" Enter
tui_wait "filter: text=$ref"; ok $? "filtered to one new case"
tui_keys a
tui_wait "dispatch $ref  step 1/3: department"; ok $? "the dispatch dialog"
tui_wait "default for "; ok $? "the departments with their reasons"
tui_keys Enter
tui_wait "step 2/3: mediator"; ok $? "step two"
tui_keys Enter
tui_wait "step 3/3: confirm"; ok $? "step three"
tui_wait "Enter to dispatch, Esc to cancel"; ok $? "says how to finish"
tui_keys Escape
tui_wait "dispatch cancelled: nothing was changed"; ok $? "cancelled"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
