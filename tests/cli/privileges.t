#!/usr/bin/env bash
# The privilege matrix: for every table, view, sequence and function of the
# schema, exactly what each griddesk role (and any login at all) may do,
# against tests/privileges.tsv. Asked as a viewer login: the catalogue is
# readable by everyone, and asking as the superuser would prove nothing more.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
want=$(grep -v '^#' "$GRIDDESK_ROOT/tests/privileges.tsv")
got=$(PGUSER=gd_viewer psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -f "$GRIDDESK_ROOT/tests/lib/privileges.sql")
ok $? "the matrix is read as a viewer login"
diff=$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got"))
is "$diff" "" "every object's grants are exactly as tests/privileges.tsv says (< file, > database)"
n=$(printf '%s\n' "$got" | wc -l)
ok $(( n < 100 )) "it covers the whole schema ($n objects)"
is "$(printf '%s\n' "$got" | awk -F'\t' '$3 != "-"' | cut -f1,2)" "" "PUBLIC may do nothing with any of it"
done_testing
