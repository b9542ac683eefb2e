#!/usr/bin/env bash
# grids, categories, departments, staff: filters, formats, masked phones.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
viewer="cli_viewer_$$"
sql "CREATE ROLE $viewer LOGIN IN ROLE griddesk_viewer"
trap 'dropdb --if-exists "$TEST_DB"; psql -U "$SUPER" -X -q -c "DROP ROLE IF EXISTS $viewer" postgres' EXIT

out=$(gridctl grids --level district --format csv); ok $? "grids --level district"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f2 | sort | tr '\n' ' ')" \
   "台山市 开平市 恩平市 新会区 江海区 蓬江区 鹤山市 " "the seven districts of Jiangmen"
json=$(gridctl grids --district 江海区 --format json); ok $? "grids of one district by Chinese name"
is "$(printf '%s' "$json" | json_get 'scalar grep { $_->{district} ne "JH" } @$d')" 0 "all in 江海区"
is "$(printf '%s' "$json" | json_get 'scalar @$d > 100 ? 1 : 0')" 1 "and there are many"
gridctl grids --level planet >/dev/null 2>&1; is $? 1 "an unknown level is refused"

out=$(gridctl categories --format csv); ok $? "categories"
like "$(printf '%s' "$out" | head -1)" '^code,name,line' "CSV keys"
like "$out" 'dispute.economic,经济合同纠纷,governance' "a dispute category with its line of work"
out=$(gridctl categories); like "$out" 'hazard.gas +燃气安全隐患 +综治 +7 h 30 min|hazard.gas +燃气安全隐患 +综治 +15 min' "deadlines read like a person says them"

json=$(gridctl departments --district PJ --format json); ok $? "departments of PJ"
is "$(printf '%s' "$json" | json_get 'scalar @$d')" 16 "16 departments"
like "$(gridctl departments --district 蓬江区)" 'PJ-TJ +蓬江区人民调解委员会 +mediation' "a mediation committee"

json=$(gridctl staff --field labour --tier expert --limit 5 --format json); ok $? "staff by field and tier"
is "$(printf '%s' "$json" | json_get 'scalar grep { $_->{tier} ne "expert" || !grep { $_ eq "labour" } @{$_->{fields}} } @$d')" 0 \
   "every one an expert in labour disputes"
for key in staff_id name tier fields on_duty load; do
    is "$(printf '%s' "$json" | json_get "exists \$d->[0]{$key} ? 1 : 0")" 1 "staff JSON has key $key"
done
like "$(printf '%s' "$json" | json_get '$d->[0]{phone}')" '^1[0-9]{10}$' "the owner sees staff phones"
json=$(gridctl -d "dbname=$TEST_DB user=$viewer" staff --limit 3 --format json); ok $? "a viewer lists staff"
like "$(printf '%s' "$json" | json_get '$d->[0]{phone}')" '^1[0-9]{2}\*{4}[0-9]{4}$' "a viewer sees phones masked"
err=$(gridctl -d "dbname=$TEST_DB user=$viewer" report --grid PJ01-01-01 --category hazard.fall --title t 2>&1)
is $? 1 "a viewer cannot report"
like "$err" 'permission denied.*your role may not do this' "and is told so"
gridctl staff --field astrology >/dev/null 2>&1; is $? 1 "an unknown field is refused"

out=$(gridctl list --status open --district 蓬江区 --category dispute.neighbour --format csv); ok $? "list with every filter"
is "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f2 | grep -cvE '^(new|dispatched|accepted|on_site|resolved|returned)$')" 0 \
   "open means every state but closed and cancelled"
is "$(printf '%s\n' "$out" | tail -n +2 | grep -cv ',PJ,蓬江区,')" 0 "all in 蓬江区"
grid=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id ORDER BY c.id LIMIT 1")
n=$(gridctl list --grid "$grid" --limit 1000 --format csv | tail -n +2 | wc -l)
is "$n" "$(sql "SELECT count(*) FROM cases c JOIN areas g ON g.id = c.grid_id WHERE g.code = '$grid'")" "list --grid counts right"
done_testing
