#!/usr/bin/env bash
# A committed report wakes listeners on griddesk_events with its event id and
# nothing else.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db

out=$(psql -X -q -A -t <<SQL
LISTEN griddesk_events;
\! "$BIN/gridctl" report --grid PJ01-01-01 --category hazard.fall --title '私密标题' >/dev/null
SELECT 'newest=' || max(id) FROM events;
SQL
)
ok $? "a listener ran while a case was reported"
newest=$(printf '%s\n' "$out" | sed -n 's/^newest=//p')
like "$out" "Asynchronous notification \"griddesk_events\" with payload \"$newest\" received" \
     "the payload is the new event's id"
printf '%s' "$out" | grep -q '私密标题'; is $? 1 "the case text never travels in the notification"

n=$(psql -U "$SUPER" -X -q -A -t <<SQL | grep -c 'Asynchronous notification'
LISTEN griddesk_events;
INSERT INTO events (case_id, kind) SELECT id, 'note' FROM cases ORDER BY id LIMIT 500;
SELECT 1;
SQL
)
is "$n" 1 "500 events in one statement wake a listener once"
done_testing
