#!/usr/bin/env bash
# Titles made of escape sequences, C1 codes, bidi overrides and CR leave the
# screen intact: they are shown as text, never sent to the terminal.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 100 24
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
tui_wait "operator \| $total cases"; ok $? "the console is up"

tag="恶意$$"
gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 \
    --title "${tag}"$'\e[2J\e[H\e]0;pwned\a\e[31mRED\r\xc2\x9b1m\xe2\x80\xaeevil\x7f' \
    --description $'line1\e[5m\nline2\e[?1049h' >/dev/null
ok $? "a hostile report is stored"
tui_wait "operator \| $((total + 1)) cases"; ok $? "it arrives"
tui_keys / "$tag" Enter
tui_wait "queue  1/1"; ok $? "filter to it"
screen=$(tui_screen)
like "$screen" '\\x1b\[2J\\x1b\[H\\x1b\]0;pw' "the escapes show as \\x1b text"
like "$(tmx display -p -t t '#{pane_title}')" '^[^p]*$' "the window title was not changed"
like "$(printf '%s\n' "$screen" | tail -1)" "operator \| 1 cases" "the status line is intact"
like "$(printf '%s\n' "$screen" | head -1)" '^griddesk  queue' "the header is intact"
tui_keys Enter
tui_wait "griddesk  case"; ok $? "the detail view opens"
tui_wait "^description"; ok $? "with the case loaded"
screen=$(tui_screen)
like "$screen" 'RED\\x0d\\x9b1m\\u202eevil\\x7f' "CR, C1, bidi override and DEL are shown as codes"
like "$screen" 'line1\\x1b\[5m' "a description keeps its lines"
like "$screen" 'line2\\x1b\[\?1049h' "and its second line, escapes shown"
like "$(printf '%s\n' "$screen" | tail -1)" "operator" "the status line is intact in the detail view"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
