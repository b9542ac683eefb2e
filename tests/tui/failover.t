#!/usr/bin/env bash
# Failover: a primary and a synchronous streaming standby on this machine.
# Reports keep arriving; the primary is stopped hard; the standby is
# promoted; the simulator and the console, both given the two hosts with
# target_session_attrs=read-write, follow to the new primary by themselves,
# and the console then shows every case committed on either side.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
root=$GRIDDESK_ROOT
work=$(mktemp -d /tmp/griddesk-failover.XXXXXX); chmod 755 "$work"
sim=
# timestamps in the TAP output show where the time goes
stamp() { echo "# $(date +%T.%N | cut -c1-12) $*" >&2; }
finish() {
    [ -n "$sim" ] && kill "$sim" 2>/dev/null
    tmx kill-server 2>/dev/null
    "$root/tools/pgcluster" stop "$work/s"; "$root/tools/pgcluster" stop "$work/p"
    rm -rf "$work"
}
trap finish EXIT

stamp "primary starts"; "$root/tools/pgcluster" start "$work/p" >/dev/null
p_port=$(cat "$work/p/port")
export PGHOST=$work/p PGPORT=$p_port PGUSER=postgres PGDATABASE=griddesk
createdb griddesk
gridctl migrate >/dev/null && gridctl seed demo --cases 50 >/dev/null \
    && gridctl user add fo_admin --role admin >/dev/null; ok $? "the primary holds the demo city and an administrator login"
stamp "standby made"; "$root/tools/pgcluster" standby "$work/s" "$work/p" >/dev/null; ok $? "a standby streams from it (pg_basebackup)"
s_port=$(cat "$work/s/port")
for _ in $(seq 1 100); do
    [ "$(psql -X -A -t -c "SELECT sync_state FROM pg_stat_replication")" = sync ] && break; sleep 0.1
done
is "$(psql -X -A -t -c "SELECT sync_state FROM pg_stat_replication")" sync "and the primary waits for it at each commit"

both="host=$work/p,$work/s port=$p_port,$s_port user=fo_admin dbname=griddesk target_session_attrs=read-write connect_timeout=2"
tag="FO$$"
stamp "simulator starts"; "$BIN/gridctl" -d "$both" simulate --rate 20/s --tag "$tag" --seed 5 >"$work/sim.out" 2>"$work/sim.err" &
sim=$!
TEST_DB=
tui_start 120 30 -d "'$both'"
trap finish EXIT # tui_start set its own
tui_wait " live "; ok $? "the console is live on the primary"
tui_keys / "$tag" Enter
count() { psql -X -A -t -h "$1" -p "$2" -c "SELECT count(*) FROM cases WHERE title LIKE '$tag%'" 2>/dev/null; }
for _ in $(seq 1 200); do [ "$(count "$work/p" "$p_port")" -ge 40 ] && break; sleep 0.1; done
before=$(count "$work/p" "$p_port")
[ "$before" -ge 40 ]; ok $? "reports arrive on the primary ($before so far)"

stamp "primary crashes"; "$root/tools/pgcluster" crash "$work/p"; ok $? "the primary is stopped hard"
tui_wait "reconnecting" 10; ok $? "the console says it is reconnecting"
stamp "standby promoted"; "$root/tools/pgcluster" promote "$work/s"; ok $? "the standby is promoted"
for _ in $(seq 1 300); do [ "$(count "$work/s" "$s_port")" -ge $((before + 40)) ] && break; sleep 0.1; done
after=$(count "$work/s" "$s_port")
[ "$after" -ge $((before + 40)) ]; ok $? "the simulator writes on the new primary ($after in all)"
stamp "simulator stops"; kill -INT "$sim"; wait "$sim"; sim=
acked=$(sed -n 's/^reported \([0-9]*\) .*/\1/p' "$work/sim.out")
total=$(count "$work/s" "$s_port")
[ -n "$acked" ] && [ "$total" -ge "$acked" ]; ok $? "every acknowledged report survived the failover ($acked acknowledged, $total on the new primary)"
stamp "console follows"; tui_wait " live " 20; ok $? "the console is live again, on the new primary"
tui_wait "queue  [0-9]+/$total .*filter: text=$tag" 20; ok $? "and shows every case committed on either side ($total)"
tui_wait "\| [0-9]+ cases \|" 5; ok $? "its status line counts them"
stamp "a new report"; gridctl -d "$both" report --grid PJ01-01-01 --category hazard.fall --title "${tag}之后" >/dev/null
tui_wait "queue  [0-9]+/$((total + 1)) " 10; ok $? "a report made after the failover shows at once"
echo "# failover: $before reports on the primary before the crash, $acked acknowledged, $total on the new primary" >&2
done_testing
