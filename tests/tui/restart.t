#!/usr/bin/env bash
# PostgreSQL restarts while reports keep coming: the console says so, keeps
# answering keys, reconnects, catches up, and loses no case.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 100 24
tag="重启$$"
tui_keys / "$tag" Enter
tui_wait "operator \| 0 cases"; ok $? "the console watches for the test's cases"

# a writer that keeps reporting through the outage, retrying what failed
(
    for i in $(seq 1 60); do
        until "$BIN/gridctl" report --grid PJ01-01-01 --category hazard.fall \
                --title "${tag}-$i" >/dev/null 2>&1; do sleep 0.05; done
    done
) &
writer=$!
tui_wait "operator \| [1-9][0-9]* cases"; ok $? "reports are arriving"

"$GRIDDESK_ROOT/tools/pgcluster" halt "$GRIDDESK_PGDIR"
tui_wait "reconnecting in [0-9]+ s"; ok $? "the console says the server is gone"
tui_keys '?'
tui_wait "griddesk  keys"; ok $? "and keeps answering keys"
tui_keys Escape
"$GRIDDESK_ROOT/tools/pgcluster" start "$GRIDDESK_PGDIR" >/dev/null
ok $? "the server is back"
wait $writer; ok $? "the writer got all 60 reports in"
is "$(sql "SELECT count(*) FROM cases WHERE title LIKE '${tag}-%'")" 60 "60 cases in the database"
tui_wait " live " 15; ok $? "the console is live again"
tui_wait "operator \| 60 cases" 10; ok $? "and shows every one of the 60"
# the server's farewell (FATAL: terminating connection) came outside any
# query: written to stderr, the terminal, it would scroll the screen
[ ! -s "/tmp/griddesk-stderr-$$" ]; ok $? "nothing went to the terminal behind the screen's back"
[ -s "/tmp/griddesk-stderr-$$" ] && sed 's/^/#   /' "/tmp/griddesk-stderr-$$"
tui_screen | head -n 1 | grep -q "^griddesk  queue"; ok $? "the header is still on the first line"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
