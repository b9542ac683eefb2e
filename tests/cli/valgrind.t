#!/usr/bin/env bash
# gridctl frees what it allocates and touches nothing it should not, on its
# ordinary commands and on refused ones (the plain build, under valgrind).
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
plain=${GRIDDESK_ROOT:?}/gridctl
[ -x "$plain" ] || { echo "1..0 # SKIP no plain build"; exit 0; }
ref=$("$plain" list --limit 1 --format csv | tail -1 | cut -d, -f1)
while IFS= read -r args; do
    eval "set -- $args"
    valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
        --error-exitcode=99 -q "$plain" "$@" >/dev/null 2>"$TEST_DB.vg"
    rc=$?
    ok $([ $rc -ne 99 ] && ! grep -q '==[0-9]*==' "$TEST_DB.vg"; echo $?) "valgrind clean: gridctl $args (exit $rc)"
    [ $rc -ne 99 ] || sed 's/^/#   /' "$TEST_DB.vg" | head -20
    rm -f "$TEST_DB.vg"
done <<ARGS
list --limit 5
list --format csv --status open --district PJ
list --format json --limit 3
show $ref
show $ref --format json
staff --limit 3 --field labour
categories
report --grid PJ01-01-01 --category hazard.fall --title leak-check
report --grid NOPE --category hazard.fall --title leak-check
simulate --rate 20 --duration 1
migrate
deadlines
verify
verify --seal 00 --since 2026-01-01
-d "host='x" list
list --status bogus --format csv
ARGS
done_testing
