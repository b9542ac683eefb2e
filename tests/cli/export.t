#!/usr/bin/env bash
# gridctl export cases: CSV with a header, JSON lines with the same keys, and
# Open311 GeoReport v2 service requests; filters as list; memory flat.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db

total=$(sql "SELECT count(*) FROM cases")
csv=$(gridctl export cases); ok $? "export cases (CSV by default)"
is "$(printf '%s\n' "$csv" | head -1)" \
   "ref,title,description,category,priority,grid,location,lat,lon,reporter_kind,reporter_name,reporter_phone,status,department,mediator,outcome,reported_at,dispatched_at,accepted_at,onsite_at,resolved_at,closed_at,returned_at,cancelled_at,assisting" \
   "the header is the import's columns"
is "$(gridctl export cases | psql -X -q -A -t -c "CREATE TEMP TABLE x (LIKE cases); SELECT 1" >/dev/null; echo ok)" ok "CSV read back by psql"
n=$(gridctl export cases --format json | wc -l)
is "$n" "$total" "JSON lines: one line a case"
line=$(gridctl export cases --format json | head -1)
printf '%s' "$line" | json_ok; ok $? "each line is JSON"
is "$(printf '%s' "$line" | json_get 'join ",", sort keys %$d')" \
   "accepted_at,assisting,cancelled_at,category,closed_at,department,description,dispatched_at,grid,lat,location,lon,mediator,onsite_at,outcome,priority,ref,reported_at,reporter_kind,reporter_name,reporter_phone,resolved_at,returned_at,status,title" \
   "with the CSV's keys"
like "$(printf '%s' "$line" | json_get '$d->{reported_at}')" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+\+08:00$' "times in ISO 8601 with the offset"

o=$(gridctl export cases --format open311 --status open); ok $? "export --format open311"
printf '%s' "$o" | json_ok; ok $? "an Open311 JSON array"
is "$(printf '%s' "$o" | json_get 'scalar @$d')" "$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")" "every open case"
is "$(printf '%s' "$o" | json_get 'join ",", sort keys %{$d->[0]}' | tr ',' '\n' | grep -cxE 'service_request_id|status|service_name|service_code|description|requested_datetime|updated_datetime|address|lat|long')" \
   10 "GeoReport v2 fields"
is "$(printf '%s' "$o" | json_get 'join ",", sort { $a cmp $b } keys %{{ map { $_->{status} => 1 } @$d }}')" open "open cases say open"
c=$(gridctl export cases --format open311 --status closed,cancelled)
is "$(printf '%s' "$c" | json_get 'join ",", sort { $a cmp $b } keys %{{ map { $_->{status} => 1 } @$d }}')" closed "closed and cancelled say closed"
ref=$(sql "SELECT ref FROM cases WHERE department_id IS NOT NULL ORDER BY id LIMIT 1")
g=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id WHERE c.ref = '$ref'")
is "$(gridctl export cases --format open311 --grid "$g" | json_get "join '', map { \$_->{agency_responsible} } grep { \$_->{service_request_id} eq '$ref' } @\$d")" \
   "$(sql "SELECT d.name FROM cases c JOIN departments d ON d.id = c.department_id WHERE c.ref = '$ref'")" \
   "agency_responsible is the department"
is "$(gridctl export cases --format open311 --grid NOPE 2>&1)" 'gridctl export: unknown grid "NOPE": no such code or name' "a bad filter is named"

# filters as list
is "$(gridctl export cases --district PJ --status open | tail -n +2 | wc -l)" \
   "$(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'PJ') AND status NOT IN ('closed', 'cancelled')")" \
   "--district --status"
day=$(sql "SELECT to_char(min(reported_at) AT TIME ZONE 'Asia/Shanghai' + interval '2 days', 'YYYY-MM-DD') FROM cases")
is "$(gridctl export cases --since "$day" --format json | wc -l)" \
   "$(sql "SELECT count(*) FROM cases WHERE reported_at >= '$day'::timestamp AT TIME ZONE 'Asia/Shanghai'")" "--since DATE"
is "$(gridctl export cases --until "$day" --format json | wc -l)" \
   "$(sql "SELECT count(*) FROM cases WHERE reported_at < '$day'::timestamp AT TIME ZONE 'Asia/Shanghai'")" "--until DATE"
err=$(gridctl export cases --since yesterday-ish 2>&1); is $? 2 "a bad --since is a usage error"
like "$err" 'yesterday-ish' "and named"
m=$(sql "SELECT mediator_id FROM cases WHERE mediator_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
is "$(gridctl export cases --mediator "$m" --format json | wc -l)" "$(sql "SELECT count(*) FROM cases WHERE mediator_id = $m")" "--mediator"
is "$(gridctl export cases --priority 1 --format json | wc -l)" "$(sql "SELECT count(*) FROM cases WHERE priority = 1")" "--priority"
is "$(gridctl list --priority 1 --limit 100000 --format json | json_get 'scalar @$d')" "$(sql "SELECT count(*) FROM cases WHERE priority = 1")" "list takes the same filters"
is "$(gridctl list --older-than 2d --status open --limit 100000 --format json | json_get 'scalar @$d')" \
   "$(sql "SELECT count(*) FROM cases WHERE stage_since < now() - interval '2 days' AND status NOT IN ('closed', 'cancelled')")" "list --older-than"
err=$(gridctl export people 2>&1); is $? 2 "only cases can be exported"
err=$(gridctl export cases --format xml 2>&1); is $? 2 "unknown format"

# streams: memory does not grow with the rows. Measured on the plain build:
# the sanitizer's quarantine keeps freed memory on purpose.
plain=$GRIDDESK_ROOT/gridctl; [ -x "$plain" ] || plain=$BIN/gridctl
rss() { ASAN_OPTIONS= /usr/bin/time -f '%M' "$plain" export cases "$@" 2>&1 >/dev/null | tail -1; }
few=$(sql "SELECT count(*) FROM cases WHERE priority = 1")
small=$(rss --format json --priority 1)
bytes=$(gridctl export cases --format json | wc -c)
big=$(rss --format json)
[ "$big" -lt $(( small + 800 )) ]; ok $? "JSON export: $total cases ($((bytes / 1024)) KB) peak at ${big} KB, $few at ${small} KB"
big=$(rss)
[ "$big" -lt $(( small + 800 )) ]; ok $? "CSV export: $total cases peak at ${big} KB"
done_testing
