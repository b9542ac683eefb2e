#!/usr/bin/env bash
# A case reported with gridctl shows up in list and show; every bad input is
# refused with a message naming it, and changes nothing.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db

ref=$(gridctl report --grid PJ01-01-01 --category 经济合同纠纷 --title '商铺清仓促销引发货款纠纷' \
      --description '门前聚集多人' --priority 1 --location '环市街道某商铺' \
      --reporter-kind resident --reporter-name 李女士 --reporter-phone 13912345678)
ok $? "report exits 0"
like "$ref" '^JM-[0-9]{8}-[0-9]{4}$' "prints the new reference alone"

out=$(gridctl list --limit 5); ok $? "list"
like "$out" "$ref .* 商铺清仓促销引发货款纠纷" "the new case is listed first, with its title"
json=$(gridctl list --status new --district PJ --format json)
printf '%s' "$json" | json_ok; ok $? "list --format json is JSON"
is "$(printf '%s' "$json" | json_get '$d->[0]{ref}')" "$ref" "list JSON has the case"
for key in ref status title description category priority grid district department mediator version reported_at; do
    is "$(printf '%s' "$json" | json_get "exists \$d->[0]{$key} ? 1 : 0")" 1 "list JSON has key $key"
done

json=$(gridctl show "$ref" --format json); ok $? "show --format json"
is "$(printf '%s' "$json" | json_get '$d->{status}')" new "show JSON: status"
is "$(printf '%s' "$json" | json_get '$d->{category}')" dispute.economic "show JSON: category code"
is "$(printf '%s' "$json" | json_get '$d->{district}')" PJ "show JSON: district code"
is "$(printf '%s' "$json" | json_get '$d->{reporter_phone}')" 13912345678 "the owner role sees the phone"
is "$(printf '%s' "$json" | json_get 'scalar @{$d->{events}}')" 1 "one event so far"
is "$(printf '%s' "$json" | json_get 'join ",", map { exists $d->{events}[0]{$_} ? $_ : () } qw(kind actor at)')" \
   "kind,actor,at" "events have kind, actor, at"
out=$(gridctl show "$ref"); ok $? "show as a table"
like "$out" "timeline" "with its timeline"
like "$out" "reported +$PGUSER" "naming who reported"
csv=$(gridctl show "$ref" --format csv); ok $? "show --format csv"
like "$(printf '%s' "$csv" | head -1)" '^ref,status,title' "CSV header carries the stable keys"

# hostile text is stored as given and shown harmlessly
esc=$'\e[2J\e]0;owned\a'
ref2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title "${esc}坠物")
ok $? "a title full of escape sequences is accepted as text"
out=$(gridctl list --limit 1)
printf '%s' "$out" | grep -q $'\e'; is $? 1 "no raw ESC reaches the terminal"
like "$out" '\\x1b\[2J' "the escape shows as \\x1b"

count() { sql "SELECT (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM events)"; }
before=$(count)
refuse() { # refuse CODE PATTERN DESCRIPTION -- ARGS...
    local code=$1 pat=$2 desc=$3; shift 4
    local err; err=$(gridctl "$@" 2>&1 >/dev/null)
    is $? "$code" "$desc: exit $code"
    like "$err" "$pat" "$desc: says so"
}
refuse 1 'unknown grid "NOPE": no such code or name' "unknown grid" -- report --grid NOPE --category hazard.fall --title t
refuse 1 'unknown category "no.such"' "unknown category" -- report --grid PJ01-01-01 --category no.such --title t
refuse 2 '--title is empty' "empty title" -- report --grid PJ01-01-01 --category hazard.fall --title ' '
refuse 2 '--priority 9 is out of range: 1 to 4' "priority out of range" -- report --grid PJ01-01-01 --category hazard.fall --title t --priority 9
refuse 2 '--priority "high" is not a whole number' "priority not a number" -- report --grid PJ01-01-01 --category hazard.fall --title t --priority high
refuse 2 '--grid is required' "no grid" -- report --category hazard.fall --title t
refuse 2 '--lat and --lon go together' "lat without lon" -- report --grid PJ01-01-01 --category hazard.fall --title t --lat 22.6
refuse 2 '--lat 100 is out of range' "lat off the globe" -- report --grid PJ01-01-01 --category hazard.fall --title t --lat 100 --lon 113
refuse 1 'reporter phone "call-me" is not a phone number' "bad phone" -- report --grid PJ01-01-01 --category hazard.fall --title t --reporter-phone call-me
refuse 2 'invalid --dbname "host=.x port=.": unterminated quoted string' "malformed conninfo" -- -d "host=.x port='" list
refuse 3 'cannot connect' "no server there" -- -d "host=/nonexistent dbname=x" list
refuse 1 'no case "JM-19000101-0001"' "unknown case" -- show JM-19000101-0001
refuse 2 '--status "bogus": one or more of new' "unknown status (a usage error, said before connecting)" -- list --status bogus
refuse 1 'unknown district "火星区"' "unknown district" -- list --district 火星区
refuse 2 '--limit 0 is out of range' "limit 0" -- list --limit 0
refuse 2 'unknown --format "xml"' "unknown format" -- list --format xml
is "$(count)" "$before" "refused commands changed nothing"
done_testing
