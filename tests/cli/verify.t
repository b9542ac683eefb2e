#!/usr/bin/env bash
# gridctl verify: the event log's chains and seals, recomputed. Tampering is
# done the way only the server's superuser can, with triggers off; verify
# runs as the city's administrator login.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db

out=$(gridctl verify); ok $? "an untouched log: exit 0"
like "$out" "the event log fits: [0-9]+ events of [0-9]+ cases, 0 seals checked" "and says so"
clock=$(PGUSER=gd_operator gridctl deadlines 2>&1 >/dev/null); ok $? "the deadline clock (an operator login) seals the log"
seal=$(printf '%s\n' "$clock" | sed -n 's/.*sealed [0-9]* events; seal \([0-9a-f]\{64\}\)$/\1/p')
like "$seal" "^[0-9a-f]{64}$" "and writes the seal's hash to its log (standard error)"
out=$(gridctl verify); like "$out" "1 seals checked" "verify checks the seal"
like "$out" "newest seal $seal" "and prints the same hash"
gridctl verify --seal "$seal" >/dev/null; ok $? "the hash kept outside is in the log"

err=$(PGUSER=jh_admin gridctl verify 2>&1); is $? 1 "a district's administrator may not verify the city's log"
like "$err" "only a city-wide administrator" "and is told why"
err=$(PGUSER=gd_operator gridctl verify 2>&1); is $? 1 "nor an operator"

tamper() { psql -U "$SUPER" -X -q -v ON_ERROR_STOP=1 -c "SET session_replication_role = replica; $1"; }
snapshot=t_verify_snap_$$
createdb -T "$TEST_DB" "$snapshot"
trap 'dropdb --if-exists "$TEST_DB" >/dev/null 2>&1; dropdb --if-exists "$snapshot" >/dev/null 2>&1' EXIT
restore() { dropdb "$TEST_DB" && createdb -T "$snapshot" "$TEST_DB"; }

victim=$(sql "SELECT id FROM events WHERE case_id = (SELECT case_id FROM events GROUP BY 1 HAVING count(*) > 3 ORDER BY 1 LIMIT 1) ORDER BY id LIMIT 1 OFFSET 1")
ref=$(sql "SELECT c.ref FROM events e JOIN cases c ON c.id = e.case_id WHERE e.id = $victim")
tamper "DELETE FROM events WHERE id = $victim"
err=$(gridctl verify 2>&1); is $? 1 "an event deleted from the middle of a case: exit 1"
like "$err" "tampered with: case $ref: its [0-9]+ events do not fit its chain of [0-9]+" "naming the case"
restore

tamper "UPDATE events SET data = jsonb_set(data, '{note}', '\"改过的\"') WHERE id = $victim"
err=$(gridctl verify 2>&1); is $? 1 "an event rewritten: exit 1"
like "$err" "case $ref: its" "naming its case"
restore

last=$(sql "SELECT max(id) FROM events WHERE case_id = (SELECT id FROM cases WHERE ref = '$ref')")
tamper "DELETE FROM events WHERE id = $last"
err=$(gridctl verify 2>&1); is $? 1 "a case's newest event deleted: exit 1"
like "$err" "case $ref: its ([0-9]+) events do not fit its chain of [0-9]+" "naming the case"
restore

tamper "UPDATE events SET id = -id WHERE id = $victim"
err=$(gridctl verify 2>&1); is $? 1 "events reordered: exit 1"
like "$err" "case $ref: its" "naming the case"
restore

tamper "DELETE FROM events WHERE case_id = (SELECT id FROM cases WHERE ref = '$ref');
        DELETE FROM event_chains WHERE case_id = (SELECT id FROM cases WHERE ref = '$ref');
        DELETE FROM cases WHERE ref = '$ref'"
err=$(gridctl verify 2>&1); is $? 1 "a case deleted whole, with its events and its chain: exit 1"
like "$err" "seal 1 of .* covered [0-9]+ events, the log now holds [0-9]+ there" "the seal finds it"
err=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 gridctl verify 2>&1)
like "$err" "事件日志被篡改：封存 1" "and says so in Chinese"
restore

since=$(sql "SELECT now()")
# the newest seal deleted: only the hash kept outside tells
tamper "DELETE FROM event_seals"
gridctl verify >/dev/null; ok $? "with every seal gone the log alone cannot tell"
err=$(gridctl verify --seal "$seal" 2>&1); is $? 1 "--seal with the hash kept outside can: exit 1"
like "$err" "seal $seal, kept outside, is not in the log" "naming it"
restore

gridctl note "$ref" --note 之后的备注 >/dev/null
out=$(gridctl verify --since "$since"); ok $? "--since checks what changed lately"
like "$out" "of 1 cases" "the one case with a new event"
err=$(gridctl verify --since 昨天 2>&1); is $? 2 "a --since that is no time is a usage error"
done_testing
