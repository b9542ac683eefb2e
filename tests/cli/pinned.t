#!/usr/bin/env bash
# Machine output is the same bytes whatever the session's DateStyle,
# IntervalStyle or extra_float_digits, and what export writes under any of
# them imports back.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
hostile() { PGDATESTYLE=SQL,DMY PGOPTIONS="-c IntervalStyle=iso_8601 -c extra_float_digits=0" "$@"; }
for cmd in "export cases --format csv" "export cases --format json" "list --format csv --limit 50" \
           "categories --format csv" "categories --format json" "staff --format csv --limit 50" \
           "stats --by category --format json"; do
    # shellcheck disable=SC2086
    a=$(gridctl $cmd | md5sum); b=$(hostile gridctl $cmd | md5sum)
    is "$b" "$a" "gridctl $cmd: the same bytes under DateStyle SQL,DMY, IntervalStyle iso_8601, extra_float_digits 0"
done
like "$(hostile gridctl export cases --format csv | sed -n 2p)" ',[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+\+08,' "times are ISO 8601"
like "$(hostile gridctl categories --format csv | sed -n 2p)" ',(([0-9]+ days?)|[0-9]{2}:[0-9]{2}:[0-9]{2}),' "intervals as PostgreSQL writes them"

# the export, written under those settings, imports back as it was
csv=$(mktemp); trap 'rm -f "$csv"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
hostile gridctl export cases --status closed --format csv >"$csv"
n=$(($(wc -l <"$csv") - 1))
sed -i '2,$ s/^JM-/JX-/' "$csv"  # the same cases again, under references of their own
hostile gridctl import cases "$csv" >/dev/null
ok $? "an export written under DateStyle SQL,DMY imports ($n closed cases)"
is "$(sql "SELECT count(*) FROM cases a JOIN cases b ON b.ref = 'JX-' || substr(a.ref, 4)
            WHERE a.ref LIKE 'JM-%' AND a.reported_at = b.reported_at AND a.closed_at = b.closed_at
              AND a.title = b.title")" "$n" \
   "every one of them, its times and title unchanged"
done_testing
