#!/usr/bin/env bash
# The figures the centre is judged by: a past period never changes when a
# case moves again; today and this week are the centre's, whatever TZ the
# reader has; an imported case's history stays its own; and, standing, the
# figures of a simulated day and week equal what the event log says,
# computed here without the functions under test.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
export PGUSER=gd_operator
stat() { # stat JSON-KEY ROW-KEY [gridctl stats args...] -> one figure
    local col=$1 row=$2; shift 2
    PGUSER=gd_viewer gridctl stats --format json "$@" | json_get "(grep { \$_->{key} eq '$row' } @\$d)[0]{$col}"
}

# ---- a re-dispatch leaves the first dispatch where it happened ----
t0=$(sql "SELECT clock_timestamp()")
ref=$(gridctl report --grid JH01-01-01 --category hazard.fall --title 重派测试 --priority 3)
gridctl assign "$ref" --department JH-CG >/dev/null
t1=$(sql "SELECT clock_timestamp()")
first=$(stat dispatched JH --since "$t0" --until "$t1")
is "$first" 1 "the dispatch counts in its minute"
PGUSER=gd_dept gridctl return "$ref" --reason 不属于本部门 >/dev/null; ok $? "the department sends it back"
gridctl assign "$ref" --department JH-SC >/dev/null; ok $? "and the centre dispatches it again"
is "$(stat dispatched JH --since "$t0" --until "$t1")" "$first" "the first minute still counts its dispatch"
is "$(stat dispatched JH --since "$t1")" 1 "the second dispatch counts where it happened"
is "$(stat dispatched JH-CG --by department --since "$t0" --until "$t1")" 1 \
   "by department, the first dispatch stays with the department it went to"
is "$(stat dispatched JH-SC --by department --since "$t1")" 1 "and the second with the other"

# ---- the centre's calendar, whatever the reader's TZ ----
for reader in UTC America/Los_Angeles; do
    zone=$(centre_zone_unlike "$reader")
    sql "UPDATE settings SET value = '$zone' WHERE key = 'timezone'"
    day=$(sql "SELECT to_char(now() AT TIME ZONE '$zone', 'YYYY-MM-DD')")
    midnight=$(sql "SELECT ((now() AT TIME ZONE '$zone')::date::timestamp AT TIME ZONE '$zone')")
    monday=$(sql "SELECT (((now() AT TIME ZONE '$zone')::date - (extract(isodow FROM now() AT TIME ZONE '$zone')::int - 1))::timestamp AT TIME ZONE '$zone')")
    want_today=$(sql "SELECT count(*) FROM events WHERE kind = 'reported' AND at >= '$midnight'")
    want_week=$(sql "SELECT count(*) FROM events WHERE kind = 'reported' AND at >= '$monday'")
    is "$(TZ=$reader stat reported all)" "$want_today" "TZ=$reader, centre in $zone: today is the centre's day"
    out=$(TZ=$reader PGUSER=gd_viewer gridctl stats --since "$day" --format json 2>&1); ok $? "TZ=$reader: --since $day (the centre's today) is a period"
    is "$(printf '%s' "$out" | json_get '$d->[-1]{reported}')" "$want_today" "TZ=$reader: --since $day means midnight in $zone"
    is "$(TZ=$reader PGUSER=gd_viewer psql -X -A -t -c "SELECT reported FROM gd_stats('district', gd_centre_start('week')) WHERE key = 'all'")" \
       "$want_week" "TZ=$reader: this week starts on the centre's Monday"
    like "$(TZ=$reader PGUSER=gd_viewer gridctl show "$ref")" "reported +$(TZ=$reader date +%Y-%m-%d) " \
       "TZ=$reader: times are still shown in the reader's zone"
done
sql "UPDATE settings SET value = 'Asia/Shanghai' WHERE key = 'timezone'"

# ---- stage_since in show's JSON, as in list's ----
keys() { json_get 'join " ", sort keys %{ ref $d eq "ARRAY" ? $d->[0] : $d }'; }
missing=$(comm -23 <(gridctl list --limit 1 --format json | keys | tr ' ' '\n') \
                   <(gridctl show "$ref" --format json | keys | tr ' ' '\n'))
is "$missing" "" "show --format json carries every key of list (stage_since included)"

# ---- an imported case keeps the history it came with ----
csv=$(mktemp); trap 'rm -f "$csv"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
back=$(sql "SELECT to_char(now() - interval '3 days', 'YYYY-MM-DD HH24:MI:SSOF')")
back2=$(sql "SELECT to_char(now() - interval '3 days' + interval '10 minutes', 'YYYY-MM-DD HH24:MI:SSOF')")
back3=$(sql "SELECT to_char(now() - interval '3 days' + interval '20 minutes', 'YYYY-MM-DD HH24:MI:SSOF')")
s=$(sql "SELECT '$back'::timestamptz - interval '1 minute'"); u=$(sql "SELECT '$back3'::timestamptz + interval '1 minute'")
figs() { echo "$(stat dispatched JH --since "$s" --until "$u") $(stat dispatched JH-CG --by department --since "$s" --until "$u") $(stat reported none --by department --since "$s" --until "$u")"; }
read -r d0 dd0 r0 <<<"$(figs)"
printf 'ref,title,category,grid,status,department,reported_at,dispatched_at,returned_at\n' >"$csv"
printf 'JM-20000101-0001,导入退回,hazard.fall,JH01-01-01,returned,JH-CG,%s,%s,%s\n' "$back" "$back2" "$back3" >>"$csv"
PGUSER=gd_admin gridctl import cases "$csv" >/dev/null; ok $? "a returned case with its history is imported"
read -r d1 dd1 r1 <<<"$(figs)"
is "$d1" $((d0 + 1)) "its dispatch counts three days back"
is "$dd1" $((dd0 + 1)) "under the department it was imported with"
is "$r1" $((r0 + 1)) "and its report under none"
gridctl assign JM-20000101-0001 --department JH-CG >/dev/null; ok $? "dispatched again today"
is "$(figs)" "$d1 $dd1 $r1" "three days back is as it was"
printf 'ref,title,category,grid,status,department,reported_at,dispatched_at\n' >"$csv"
printf 'JM-20000101-0002,未来发令,hazard.fall,JH01-01-01,dispatched,JH-CG,%s,2999-01-01 08:00\n' "$back" >>"$csv"
err=$(PGUSER=gd_admin gridctl import cases "$csv" 2>&1); is $? 1 "a time after the import is refused"
like "$err" "dispatched_at is in the future" "and named"

# ---- standing cross-check: a simulated day and week against the log ----
PGUSER=gd_admin gridctl simulate --rate 40/s --duration 3s --act 3 --seed 13 >/dev/null
ok $? "a few seconds of simulated traffic"
# the moves the simulation does not make: returns, re-dispatches, reopens, cancels, overdue marks
for r in $(sql "SELECT ref FROM cases WHERE status = 'dispatched' ORDER BY id DESC LIMIT 3"); do
    PGUSER=gd_dept gridctl return "$r" --reason 退回核实 >/dev/null && gridctl assign "$r" --department "$(sql "SELECT a.code || '-CG' FROM cases c JOIN areas a ON a.id = c.district_id WHERE c.ref = '$r'")" >/dev/null
done
for r in $(sql "SELECT ref FROM cases WHERE status = 'resolved' ORDER BY id DESC LIMIT 3"); do
    gridctl reopen "$r" --reason 群众不满意 >/dev/null
done
for r in $(sql "SELECT ref FROM cases WHERE status = 'new' ORDER BY id DESC LIMIT 2"); do
    gridctl cancel "$r" --reason 重复上报 >/dev/null
done
gridctl deadlines >/dev/null 2>&1
until_t=$(sql "SELECT clock_timestamp()")
week_start=$(sql "SELECT date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'")
day_start=$(sql "SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'")

# The event log's own account of [S, T), by district, written from the
# definitions in griddesk(7) and nothing of gd_stats: each happening is an
# event; a round of work starts at the report or the latest reopen; a case
# is resolved in time when its latest "resolved" event follows its latest
# "reopened" one and is within its resolve deadline.
oracle() {
    psql -U "$SUPER" -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -v s="$1" -v t="$2" <<'SQL'
WITH ev AS (
    SELECT d.code AS k, e.kind, e.at, c.onsite_by, e.data,
           coalesce((SELECT max(r.at) FROM events r WHERE r.case_id = e.case_id
                        AND r.kind = 'reopened' AND r.id < e.id), c.reported_at) AS start
      FROM events e JOIN cases c ON c.id = e.case_id JOIN areas d ON d.id = c.district_id
     WHERE e.at >= :'s' AND e.at < :'t'
), last AS (
    SELECT c.id, d.code AS k, c.status, c.resolve_by, c.due_at,
           (SELECT max(e.at) FROM events e WHERE e.case_id = c.id AND e.kind = 'resolved') AS resolved,
           (SELECT max(e.at) FROM events e WHERE e.case_id = c.id AND e.kind = 'reopened') AS reopened
      FROM cases c JOIN areas d ON d.id = c.district_id
), per_case AS (
    SELECT k,
           count(*) FILTER (WHERE status IN ('new', 'dispatched', 'returned', 'accepted', 'on_site')
                              AND due_at < now()) AS overdue,
           count(*) FILTER (WHERE resolve_by >= :'s' AND resolve_by < :'t' AND status <> 'cancelled') AS fell,
           count(*) FILTER (WHERE resolve_by >= :'s' AND resolve_by < :'t' AND status <> 'cancelled'
                              AND resolved IS NOT NULL AND resolved > coalesce(reopened, '-infinity')
                              AND resolved <= resolve_by) AS in_time
      FROM last GROUP BY k
), per_event AS (
    SELECT k,
           count(*) FILTER (WHERE kind = 'reported') AS reported,
           count(*) FILTER (WHERE kind = 'dispatched') AS dispatched,
           count(*) FILTER (WHERE kind = 'resolved') AS resolved,
           count(*) FILTER (WHERE kind = 'closed') AS closed,
           count(*) FILTER (WHERE kind = 'reopened') AS reopened,
           count(*) FILTER (WHERE kind = 'cancelled') AS cancelled,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM at - start))
                  FILTER (WHERE kind = 'accepted') / 60)::numeric, 1) AS accept_min,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM at - start))
                  FILTER (WHERE kind = 'on_site') / 60)::numeric, 1) AS onsite_min,
           count(*) FILTER (WHERE kind = 'on_site') AS onsite,
           count(*) FILTER (WHERE kind = 'on_site' AND at <= coalesce((data ->> 'due_at')::timestamptz, onsite_by)) AS onsite_ok
      FROM ev GROUP BY k
)
SELECT a.code, coalesce(e.reported, 0), coalesce(e.dispatched, 0), coalesce(e.resolved, 0),
       coalesce(e.closed, 0), coalesce(e.reopened, 0), coalesce(e.cancelled, 0),
       coalesce(p.overdue, 0), coalesce(p.fell, 0), coalesce(p.in_time, 0),
       coalesce(e.accept_min::float8::text, '-'), coalesce(e.onsite_min::float8::text, '-'),
       coalesce(round(100.0 * e.onsite_ok / nullif(e.onsite, 0), 1)::float8::text, '-')
  FROM areas a
  LEFT JOIN per_event e ON e.k = a.code
  LEFT JOIN per_case p ON p.k = a.code
 WHERE a.level = 'district'
 ORDER BY a.code
SQL
}
figures() {
    PGUSER=gd_viewer gridctl stats --since "$1" --until "$2" --format json | json_get '
        join "", map { my $r = $_; join(" ", map { defined $r->{$_} ? $r->{$_} : "-" }
            qw(key reported dispatched resolved closed reopened cancelled overdue_now fell_due
               resolved_in_time median_accept_min median_onsite_min onsite_in_time_pct)) . "\n" }
        grep { $_->{key} ne "all" } @$d'
}
for period in "today $day_start" "week $week_start"; do
    set -- $period
    for try in 1 2 3; do  # a deadline passing between the two readings: read again
        want=$(oracle "$2" "$until_t"); got=$(figures "$2" "$until_t"); again=$(oracle "$2" "$until_t")
        [ "$want" = "$again" ] && break
    done
    is "$got" "$want" "this $1's figures, by district, are the event log's"
    ok "$([ "$(printf '%s\n' "$want" | awk '{ n += $3 } END { print n }')" -gt 0 ] && echo 0 || echo 1)" \
       "(and the $1 had dispatches to count)"
done
is "$(stat reopened all --until "$until_t")" 3 "today's three reopens are counted"
done_testing
