#!/usr/bin/env bash
# A service names its database, as for psql: -d service=NAME and PGSERVICE
# go where the service file says; "griddesk" only when nothing names one.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
dir=$(mktemp -d); trap 'rm -rf "$dir"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
cat >"$dir/pg_service.conf" <<CONF
[gd2]
host=$PGHOST
port=$PGPORT
dbname=$TEST_DB
[nodb]
host=$PGHOST
port=$PGPORT
CONF
export PGSERVICEFILE=$dir/pg_service.conf
want=$(psql -X -A -t -d service=gd2 -c "SELECT current_database()")
is "$want" "$TEST_DB" "psql goes to the service's database"
out=$(env -u PGDATABASE "$BIN/gridctl" -d service=gd2 grids --level district --format csv 2>&1)
ok $? "gridctl -d service=gd2 connects"
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 7 "to the service's database, the demo city's seven districts"
out=$(env -u PGDATABASE PGSERVICE=gd2 "$BIN/gridctl" grids --level district --format csv 2>&1)
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 7 "PGSERVICE=gd2 goes there too"
err=$(env -u PGDATABASE PGSERVICE=nodb "$BIN/gridctl" grids 2>&1); is $? 3 "a service without a database: cannot connect (exit 3)"
like "$err" 'database "griddesk" does not exist' "goes to griddesk, the default, and says so"
out=$(PGDATABASE=$TEST_DB PGSERVICE=nodb "$BIN/gridctl" grids --level district --format csv 2>&1)
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 7 "PGDATABASE names it when the service does not"
done_testing
