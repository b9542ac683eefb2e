#!/usr/bin/env bash
# A dropped SSH link (SIGHUP) or a SIGTERM: the terminal is restored and the
# console exits cleanly.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
for sig in HUP TERM; do
    tui_start 80 24
    tui_wait " live "; ok $? "SIG$sig: the console is up"
    tui_keys /  half-typed   # a dialog half filled: nothing is written anyway
    pkill -$sig -f "$BIN/griddesk" -P "$(tui_pid)" || kill -$sig "$(pgrep -f "$BIN/griddesk" | head -1)"
    tui_wait "exit=0"; ok $? "SIG$sig: exits with status 0"
    tui_wait "icanon echo"; ok $? "SIG$sig: the terminal is back in canonical mode with echo"
    tmx kill-server
done
out=$("$BIN/griddesk" </dev/null 2>&1); is $? 2 "without a terminal it refuses"
like "$out" "needs a terminal" "and says why"
out=$("$BIN/griddesk" --help); ok $? "--help"
like "$out" "^usage: griddesk" "shows the usage"
like "$("$BIN/griddesk" --version)" "^griddesk [0-9]+\.[0-9]+" "--version"
"$BIN/griddesk" --bogus >/dev/null 2>&1; is $? 2 "a bad option exits 2"
err=$("$BIN/griddesk" -d "host='x" 2>&1 </dev/null); is $? 2 "a malformed conninfo exits 2"
like "$err" 'invalid --dbname' "and says so"
done_testing
