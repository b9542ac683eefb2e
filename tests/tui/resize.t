#!/usr/bin/env bash
# Resizes: right at 80x24, degraded but alive down to 1x1, right again after.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 80 24
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")

tui_wait "operator \| $total cases"; ok $? "80x24: the status line fits"
is "$(tui_screen | head -2 | tail -1 | grep -o 'LEFT$')" LEFT "80x24: every column header fits"
for size in "40 10" "20 5" "1 1" "200 60" "40 10" "80 24"; do
    tui_resize $size
    kill -0 "$(tui_pid)" 2>/dev/null; ok $? "alive after resize to ${size/ /x}"
done
tui_wait "queue  1/$total"; ok $? "back at 80x24 the header is drawn again"
tui_wait "operator \| $total cases"; ok $? "and the status line"
tui_resize 40 10
tui_wait "live"; ok $? "40x10 still shows the connection state"
tui_resize 1 1
tui_resize 30 4
tui_wait "griddesk"; ok $? "a tiny window still draws"
tui_resize 19 2
tui_wait "window too small"; ok $? "below that it says the window is too small"
tui_resize 80 24
tui_keys j j Enter
tui_wait "griddesk  case JM-"; ok $? "keys still work after the storm"
tui_keys q
tui_wait "exit=0"; ok $? "and it quits cleanly"
done_testing
