#!/usr/bin/env bash
# From whistle to closed case with gridctl: every transition command, the
# refused ones, a stale version, and 50 operators dispatching one case at once.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
ref=$(gridctl report --grid PJ01-01-01 --category 经济合同纠纷 --title 货款纠纷 --priority 1)

json=$(gridctl suggest "$ref" --limit 3 --format json); ok $? "suggest"
for key in staff_id name tier fields distance_km load on_duty; do
    is "$(printf '%s' "$json" | json_get "exists \$d->[0]{$key} ? 1 : 0")" 1 "suggest JSON has key $key"
done
is "$(printf '%s' "$json" | json_get 'scalar @$d')" 3 "--limit 3 gives three"
top=$(printf '%s' "$json" | json_get '$d->[0]{staff_id}')
like "$(gridctl suggest "$ref" --departments | sed -n 2p)" '^ *1 +PJ-TJ ' "the default department first"

state() { sql "SELECT status || ' ' || version FROM cases WHERE ref = '${CUR:-$ref}'"; }
step() { # step EXPECTED-STATE DESCRIPTION -- ARGS
    local want=$1 desc=$2; shift 3
    local out; out=$(gridctl "$@" 2>&1); local rc=$?
    is "$rc" 0 "$desc"
    is "$(state)" "$want" "$desc: the case is $want"
}
refuse() { # refuse CODE PATTERN DESCRIPTION -- ARGS
    local code=$1 pat=$2 desc=$3; shift 4
    local before; before=$(sql "SELECT count(*) FROM events")
    local err; err=$(gridctl "$@" 2>&1 >/dev/null)
    is $? "$code" "$desc: exit $code"
    like "$err" "$pat" "$desc: says why"
    is "$(sql "SELECT count(*) FROM events")" "$before" "$desc: nothing written"
}

refuse 1 "is new: cannot accept" "accept a new case" -- accept "$ref"
refuse 1 "is new: cannot close" "close a new case" -- close "$ref"
refuse 2 "--department is required" "assign without a department" -- assign "$ref"
refuse 2 '--mediator "x" is not a whole number' "a mediator that is not an id" -- assign "$ref" --department PJ-TJ --mediator x
refuse 1 'unknown department "NOPE"' "an unknown department" -- assign "$ref" --department NOPE
refuse 1 "was changed by $PGUSER at [0-9]{2}:[0-9]{2}; reload" "a stale version" -- assign "$ref" --department PJ-TJ --expect-version 7
step "dispatched 2" "assign with the top mediator" -- assign "$ref" --department 蓬江区人民调解委员会 --mediator auto --expect-version 1
is "$(sql "SELECT mediator_id FROM cases WHERE ref = '$ref'")" "$top" "auto picked the top suggestion"
refuse 1 "was changed by $PGUSER.*reload" "acting on the version before the dispatch" -- accept "$ref" --expect-version 1
refuse 2 "--reason is required" "return without a reason" -- return "$ref"
step "returned 3" "return" -- return "$ref" --reason 不属于本部门
step "dispatched 4" "assign again" -- assign "$ref" --department PJ-SC
step "accepted 5" "accept" -- accept "$ref" --expect-version 4
refuse 1 "is accepted: cannot resolve" "resolve before going on site" -- resolve "$ref" --outcome x
step "on_site 6" "onsite" -- onsite "$ref"
step "on_site 6" "feedback keeps the version" -- feedback "$ref" --note 已到场
step "resolved 7" "resolve" -- resolve "$ref" --outcome 达成还款协议
step "closed 8" "close" -- close "$ref"
step "dispatched 9" "reopen" -- reopen "$ref" --reason 群众反映复发
step "dispatched 9" "note keeps the version" -- note "$ref" --note 已回访
refuse 2 "--outcome does not go with close" "an option that does not belong" -- close "$ref" --outcome x
is "$(sql "SELECT string_agg(e.kind, ',' ORDER BY e.id) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$ref'")" \
   "reported,dispatched,returned,dispatched,accepted,on_site,feedback,resolved,closed,reopened,note" "the timeline has every step"
json=$(gridctl accept "$ref" --format json); ok $? "accept --format json"
is "$(printf '%s' "$json" | json_get '$d->[0]{status} . " " . $d->[0]{version}')" "accepted 10" "prints the new state"

ref2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title 重复)
CUR=$ref2
step "cancelled 2" "cancel a duplicate" -- cancel "$ref2" --reason 重复上报
refuse 1 "is cancelled: cannot reopen" "reopen a cancelled case" -- reopen "$ref2" --reason x

# a misfiled report: correcting the category re-routes the suggestion
mis=$(gridctl report --grid PJ01-01-01 --category city.noise --title 噪声还是劳资)
like "$(gridctl suggest "$mis" --departments | sed -n 2p)" '^ *1 +PJ-ST ' "misfiled as noise: environment first"
CUR=$mis
step "new 2" "recategorize" -- recategorize "$mis" --category 劳资纠纷 --expect-version 1
like "$(gridctl suggest "$mis" --departments | sed -n 2p)" '^ *1 +PJ-RS ' "as a labour dispute: human resources first"
is "$(sql "SELECT data->>'from' || '>' || (data->>'to') FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$mis' AND kind = 'recategorized'")" \
   "city.noise>dispute.labour" "the timeline records the change"
refuse 1 "is already dispute.labour" "the same category again" -- recategorize "$mis" --category dispute.labour
refuse 1 'unknown category "nope"' "an unknown category" -- recategorize "$mis" --category nope
gridctl assign "$mis" --department PJ-RS >/dev/null
refuse 1 "is dispatched: cannot change the category" "after dispatch" -- recategorize "$mis" --category city.noise
unset CUR

# 50 operators press "dispatch" on the same case at the same version
race=$(gridctl report --grid PJ01-01-01 --category hazard.fall --title 竞争派单)
dir=$(mktemp -d)
for i in $(seq 1 50); do
    ( "$BIN/gridctl" assign "$race" --department PJ-CG --expect-version 1 >/dev/null 2>"$dir/$i.err"; echo $? >"$dir/$i.rc" ) &
done
wait
is "$(cat "$dir"/*.rc | grep -cx 0)" 1 "race: exactly one of 50 dispatches succeeds"
is "$(cat "$dir"/*.rc | grep -cx 1)" 49 "race: 49 are refused"
is "$(grep -l "was changed by $PGUSER at .*; reload" "$dir"/*.err | wc -l)" 49 "race: each refusal names who changed it"
is "$(sql "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.ref = '$race' AND kind = 'dispatched'")" 1 \
   "race: the log has one dispatch"
rm -rf "$dir"
done_testing
