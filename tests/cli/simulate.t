#!/usr/bin/env bash
# gridctl simulate: realistic reports at a rate, departments acting, bad
# values refused before anything is written.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
before=$(sql "SELECT count(*) FROM cases")
out=$(gridctl simulate --rate 50/s --duration 2s --seed 5 --tag SIMTAG); ok $? "simulate for 2 s at 50/s"
n=$(sql "SELECT count(*) FROM cases WHERE title LIKE 'SIMTAG%'")
like "$out" "^reported $n moved 0 failed 0$" "it says what it did ($n reports)"
ok $([ "$n" -ge 80 ] && [ "$n" -le 101 ]; echo $?) "about 100 reports in 2 s at 50/s (got $n)"
is "$(sql "SELECT count(DISTINCT district_id) FROM cases WHERE title LIKE 'SIMTAG%'")" 7 "spread over all seven districts"
is "$(sql "SELECT count(*) FROM cases WHERE title LIKE 'SIMTAG%' AND title !~ '[一-龥]'")" 0 "with Chinese titles"
ok $([ "$(sql "SELECT count(DISTINCT category) FROM cases WHERE title LIKE 'SIMTAG%'")" -ge 10 ]; echo $?) "of many categories"

gridctl simulate --rate 50 --duration 1 --mix dispute:1 --tag MIXTAG >/dev/null
is "$(sql "SELECT count(*) FROM cases WHERE title LIKE 'MIXTAG%' AND category NOT LIKE 'dispute.%'")" 0 "--mix dispute:1 raises only disputes"

moved=$(sql "SELECT count(*) FROM events WHERE kind <> 'reported'")
out=$(gridctl simulate --rate 20 --duration 1 --act 3); ok $? "with --act"
like "$out" "moved [1-9]" "cases are moved along"
ok $([ "$(sql "SELECT count(*) FROM events WHERE kind <> 'reported'")" -gt "$moved" ]; echo $?) "their events are in the log"

count=$(sql "SELECT count(*) FROM cases")
err=$(gridctl simulate --mix planet:3 --duration 5 2>&1); is $? 1 "an unknown mix group is refused"
like "$err" 'unknown group "planet" in the mix' "naming it"
gridctl simulate --rate fast >/dev/null 2>&1; is $? 2 "a rate that is not one is a usage error"
gridctl simulate --duration 5x >/dev/null 2>&1; is $? 2 "so is a bad duration"
gridctl simulate --mix hazard >/dev/null 2>&1; is $? 2 "and a malformed mix"
is "$(sql "SELECT count(*) FROM cases")" "$count" "refused runs report nothing"
done_testing
