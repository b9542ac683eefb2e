#!/usr/bin/env bash
# gridctl deadlines and stats.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
n=$(gridctl deadlines); ok $? "deadlines runs"
is "$n" "$(sql "SELECT count(*) FROM events WHERE kind = 'overdue'")" "it prints how many cases it marked"
is "$(gridctl deadlines)" 0 "a second run marks none"
gridctl deadlines --every 0.5s >/dev/null 2>&1; is $? 2 "--every under a second is a usage error"

json=$(gridctl stats --format json); ok $? "stats"
for key in key name reported dispatched resolved closed overdue_now median_accept_min median_onsite_min onsite_in_time_pct fell_due resolved_in_time resolution_rate_pct resolved_of_finished_pct; do
    is "$(printf '%s' "$json" | json_get "exists \$d->[0]{$key} ? 1 : 0")" 1 "stats JSON has key $key"
done
is "$(printf '%s' "$json" | json_get 'scalar @$d')" 8 "seven districts and the city"
is "$(printf '%s' "$json" | json_get '$d->[-1]{key}')" all "the city last"
is "$(printf '%s' "$json" | json_get 'my $s = 0; $s += $_->{reported} for @$d[0..6]; $s == $d->[-1]{reported} ? 1 : 0')" 1 \
   "the districts add up to the city"
like "$(gridctl stats --by category --since 2026-01-01 --format csv | head -2 | tail -1)" '^[a-z]+\.[a-z]+,' "by category since a date"
like "$(gridctl stats --by department --since '7 days ago' 2>&1)" '"7 days ago" is not a date or time' "a date PostgreSQL cannot read is refused, named"
err=$(gridctl stats --by planet 2>&1); is $? 1 "an unknown grouping exits 1"
like "$err" 'cannot group by "planet"' "and names it"
done_testing
