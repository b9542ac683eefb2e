#!/usr/bin/env bash
# s shows today and this week by district, the rate as bars; s goes back.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 100 40
tui_wait " live "; ok $? "the console is up"
tui_keys s
tui_wait "griddesk  supervision"; ok $? "s opens supervision"
tui_wait "supervision by district  \(d district/department, s Esc back\)"; ok $? "its header line names its keys, from the key table"
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

# Today and this week are the centre's, on a console whose TZ is another
# day: the city's new cases since the centre's midnight and Monday, as the
# event log has them.
city_new() { # the NEW figure of the city in block TITLE (its line may go on: the merges), once drawn
    tui_screen | awk -v t="$1" '$0 ~ "^" t "( |$)" { on = 1; next } on && /^全市 / { print $2; exit }'
}
for reader in UTC America/Los_Angeles; do
    zone=$(centre_zone_unlike "$reader")
    sql "UPDATE settings SET value = '$zone' WHERE key = 'timezone'"
    midnight=$(sql "SELECT (now() AT TIME ZONE '$zone')::date::timestamp AT TIME ZONE '$zone'")
    monday=$(sql "SELECT ((now() AT TIME ZONE '$zone')::date - (extract(isodow FROM now() AT TIME ZONE '$zone')::int - 1))::timestamp AT TIME ZONE '$zone'")
    TZ=$reader tui_start 100 40
    tui_wait " live "; ok $? "TZ=$reader: the console is up (centre in $zone)"
    tui_keys s
    tui_wait "^this week" >/dev/null
    for _ in $(seq 100); do [ -n "$(city_new 'this week')" ] && break; sleep 0.05; done
    is "$(city_new today)" "$(sql "SELECT count(*) FROM events WHERE kind = 'reported' AND at >= '$midnight'")" \
       "TZ=$reader: today is the centre's day"
    is "$(city_new 'this week')" "$(sql "SELECT count(*) FROM events WHERE kind = 'reported' AND at >= '$monday'")" \
       "TZ=$reader: this week starts on the centre's Monday"
    tui_keys s
    tui_wait "griddesk  queue" >/dev/null
    tui_keys q
    tui_wait "exit=0"; ok $? "TZ=$reader: quits cleanly"
done
done_testing
