#!/usr/bin/env bash
# Every index on cases is written by every report and every step of a case,
# so each must earn its place: its comment names the query it serves, and
# that query, run by the login whose job it is, reads through it. An index
# nobody names here fails the test, as does one its query stopped using.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
# a live centre's statistics: the planner chooses as it would there
sql "ANALYZE"

# uses INDEX LOGIN SQL: the index scans the statement made, as that login,
# counted by the server for this transaction alone
uses() {
    PGUSER=$2 psql -X -q -A -t -v ON_ERROR_STOP=1 <<SQL
BEGIN;
SELECT pg_stat_get_xact_numscans('$1'::regclass) AS before \gset
\o /dev/null
$3;
\o
SELECT pg_stat_get_xact_numscans('$1'::regclass) - :before;
ROLLBACK;
SQL
}

ref=$(sql "SELECT ref FROM cases ORDER BY id DESC LIMIT 1")
grid=$(sql "SELECT g.code FROM cases c JOIN areas g ON g.id = c.grid_id ORDER BY c.id LIMIT 1")
dept=$(sql "SELECT d.code FROM cases c JOIN departments d ON d.id = c.department_id ORDER BY c.id LIMIT 1")
mediator=$(sql "SELECT mediator_id FROM cases WHERE mediator_id IS NOT NULL ORDER BY id LIMIT 1")
# the feed's read after an operator's report: the changes since just before it
horizon=$(sql "SELECT pg_current_xact_id()")
PGUSER=gd_operator gridctl report --grid PJ01-01-01 --category hazard.fall --title 索引 >/dev/null
reported=$(sql "SELECT ref FROM cases ORDER BY id DESC LIMIT 1")

checks=(
    "cases_pkey|gd_viewer|SELECT * FROM gd_queue_changes('$horizon')"
    "cases_ref_key|gd_viewer|SELECT * FROM gd_case_detail('$ref')"
    "cases_queue|gd_viewer|SELECT * FROM gd_queue(p_limit => 100)"
    "cases_queue|jh_viewer|SELECT * FROM gd_queue(p_limit => 100)"
    "cases_reported|gd_viewer|SELECT * FROM gd_case_list(p_limit => 50)"
    "cases_open_stage|gd_admin|SELECT gd_simulate_act(0.5)"
    "cases_grid|gd_viewer|SELECT * FROM gd_case_list(p_grid => '$grid', p_limit => 50)"
    "cases_department|gd_dept|SELECT * FROM gd_case_list(p_department => '$dept', p_limit => 50)"
    "cases_mediator|gd_viewer|SELECT * FROM gd_case_list(p_mediator => '$mediator', p_limit => 50)"
    "cases_nearby|gd_operator|SELECT * FROM gd_duplicates('$reported')"
    "cases_nearby|jh_viewer|SELECT * FROM gd_queue(p_limit => 100)"
    "cases_merged_into|gd_viewer|SELECT * FROM gd_case_merges('$ref')"
)
named=" "
for check in "${checks[@]}"; do
    IFS='|' read -r index login query <<<"$check"
    named+="$index "
    got=$(uses "$index" "$login" "$query")
    ok $(( $? != 0 || ${got:-0} < 1 )) "$index serves $login: $query (scans: ${got:-error})"
done

# every index on cases is named above, and its comment says what for
while IFS='|' read -r index comment; do
    case "$named" in *" $index "*) ok 0 "$index is justified above" ;;
                     *) ok 1 "$index is justified above" ;; esac
    ok $(( ${#comment} < 10 )) "$index names its query in its comment: $comment"
done < <(sql "SELECT i.indexrelid::regclass, coalesce(obj_description(i.indexrelid, 'pg_class'), '')
                FROM pg_index i WHERE i.indrelid = 'cases'::regclass ORDER BY 1")

done_testing
