#!/usr/bin/env bash
# A login with a password: gridctl asks for it at a terminal, as psql does,
# and never echoes it; without a terminal it says so and exits 3; libpq's
# whole message comes through (which password file was read).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
user=t_pw_$$
hba=$(sql "SHOW hba_file")
cp "$hba" "$hba.$$"
restore() { cat "$hba.$$" >"$hba"; rm -f "$hba.$$"; sql "SELECT pg_reload_conf()" >/dev/null
            sql "DROP ROLE IF EXISTS $user" >/dev/null; tmx kill-server 2>/dev/null
            dropdb --if-exists "$TEST_DB" >/dev/null 2>&1; rm -f "$pgpass"; }
pgpass=$(mktemp); trap restore EXIT
sql "CREATE ROLE $user LOGIN PASSWORD 'geheim-口令' IN ROLE griddesk_viewer" >/dev/null
# this login, and only it, must give a password on the socket
{ echo "local all $user scram-sha-256"; cat "$hba.$$"; } >"$hba"
sql "SELECT pg_reload_conf()" >/dev/null

err=$(PGUSER=$user gridctl list --limit 1 </dev/null 2>&1); is $? 3 "no terminal, no password: cannot connect (exit 3)"
like "$err" 'no password supplied' "libpq says why"
printf '*:*:*:%s:wrong\n' "$user" >"$pgpass"; chmod 600 "$pgpass"
err=$(PGPASSFILE=$pgpass PGUSER=$user gridctl list --limit 1 </dev/null 2>&1)
like "$err" "password retrieved from file \"$pgpass\"" "libpq's whole message: which password file was read"

# at a terminal: gridctl alone in a tmux pane
TMUX_SOCK="gdtest_$$_pw"
tmx -f /dev/null new-session -d -s t -x 100 -y 20 \
    "env PGUSER=$user PGHOST=$PGHOST PGPORT=$PGPORT PGDATABASE=$PGDATABASE LC_ALL=C.UTF-8 $BIN/gridctl list --limit 1 --format csv; echo rc=\$?; sleep 600"
tui_wait "^Password for user $user:"; ok $? "at a terminal it asks for the password, as psql does"
tui_keys -l 'geheim-口令'; tui_keys Enter
tui_wait "^rc=0"; ok $? "and connects with it"
tui_wait "^ref,status"; ok $? "and reads"
tui_screen | grep -q 'geheim'; is $? 1 "the password is never shown"
done_testing
