#!/usr/bin/env bash
# s shows today and this week by district, the rate as bars; s goes back.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 100 40
tui_wait " live "; ok $? "the console is up"
tui_keys s
tui_wait "griddesk  supervision"; ok $? "s opens supervision"
tui_wait "^today"; ok $? "today"
tui_wait "^this week"; ok $? "this week"
rate=$(sql "SELECT resolution_rate_pct FROM gd_stats('district') WHERE key = 'all'")
tui_wait "^全市 .* ${rate}%"; ok $? "the city's rate as the database has it ($rate%)"
tui_wait "蓬江区 .*%  █"; ok $? "drawn as a bar"
tui_keys d
tui_wait "supervision by department"; ok $? "d switches to departments"
tui_wait "^EP-CG 恩平市城市管理.* +[0-9]+ +[0-9]+ "; ok $? "each department a row, its code and name"
tui_keys s
tui_wait "griddesk  queue"; ok $? "s goes back to the queue"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
