#!/usr/bin/env bash
# Consoles are woken only for their area: a scoped login listens to its
# district's channel, a city console filtered to a district to that
# district's, and an unfiltered one to the whole city. Reports elsewhere
# send them nothing, and every report of their area still arrives.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_trace
tag="CHN$$"
listens() { grep -c '^listen ' "$trace"; }
wait_listens() { # N: the trace shows N channel changes
    local deadline=$(( $(date +%s%N) + 10000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        [ "$(listens)" -ge "$1" ] && return 0
        sleep 0.05
    done
    echo "# the console listened $(listens) times, not $1"; return 1
}
event_of() { sql "SELECT max(e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$1'"; }
heard() { awk -v id="$1" '$1 == "notify" && $3 == id { n++ } END { print n + 0 }' "$trace"; }
report() { gridctl report --grid "$1" --category hazard.fall --priority 2 --title "$tag $2"; }

# a 江海区 operator
TUI_USER=jh_operator
tui_start 120 30 --trace "$trace"
tui_wait " live "; ok $? "a 江海区 operator's console is up"
wait_listens 1; ok $? "and listens to its district's channel"
tui_keys / "$tag" Enter
tui_wait "filter: text=$tag"
elsewhere=$(report PJ01-01-01 蓬江); here=$(report JH01-01-01 江海)
tui_wait " $here "; ok $? "a report of 江海区 arrives"
is "$(heard "$(event_of "$here")")" 1 "woken by its notification"
is "$(heard "$(event_of "$elsewhere")")" 0 "a report of 蓬江区 sent it nothing"
tmx kill-server

# a city operator, filtered to 蓬江区, then not
: >"$trace"
TUI_USER=gd_operator
tui_start 120 30 --trace "$trace"
tui_wait " live "; ok $? "a city operator's console is up"
wait_listens 1
tui_keys f "district=蓬江区" Enter
tui_wait "district=蓬江区"; ok $? "filtered to 蓬江区"
wait_listens 2; ok $? "it changes to 蓬江区's channel"
elsewhere=$(report JH01-01-01 江海); here=$(report PJ01-01-01 蓬江)
tui_wait " $here "; ok $? "a report of 蓬江区 arrives"
is "$(heard "$(event_of "$elsewhere")")" 0 "a report of 江海区 sent it nothing"
tui_keys Escape
tui_wait "filters cleared"; ok $? "the filters cleared"
wait_listens 3; ok $? "back on the city's channel"
tui_keys / "$tag" Enter
tui_wait "filter: text=$tag"
other=$(report JH01-01-01 江海又一)
tui_wait " $other "; ok $? "a report of 江海区 arrives"
is "$(heard "$(event_of "$other")")" 1 "woken by it"

# a district no one knows: refused, and the channel stays
tui_keys f "district=无此区" Enter
tui_wait "无此区"; ok $? "an unknown district is refused"
n=$(listens)
late=$(report EP01-01-01 恩平)
tui_wait " $late "; ok $? "and the console still hears the whole city"
is "$(listens)" "$n" "without changing channel"
done_testing
