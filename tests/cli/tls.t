#!/usr/bin/env bash
# A remote deployment as the README describes it: TLS, sslmode=verify-full,
# and a client certificate instead of a password. gridctl and the console
# connect; a server whose certificate the client cannot verify is refused.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
root=$GRIDDESK_ROOT
work=$(mktemp -d /tmp/griddesk-tls.XXXXXX); chmod 755 "$work"
trap 'tmx kill-server 2>/dev/null; "$root/tools/pgcluster" stop "$work/pg"; rm -rf "$work"' EXIT
command -v openssl >/dev/null || { echo "1..0 # SKIP no openssl"; exit 0; }
cd "$work"
quiet() { "$@" >/dev/null 2>&1; }
# a CA, the server's certificate for the name clients use, a person's certificate
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=griddesk test CA" -keyout ca.key -out ca.crt
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr
printf 'subjectAltName=DNS:localhost\n' > san.ext
quiet openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.crt
user=tls$$
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=$user" -keyout client.key -out client.csr
quiet openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt
chmod 600 client.key
# another CA, which signed nothing this server shows
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=other CA" -keyout other.key -out other.crt
[ -s client.crt ] && [ -s server.crt ]; ok $? "certificates made"

GRIDDESK_PG_LISTEN=127.0.0.1 "$root/tools/pgcluster" start "$work/pg" >/dev/null
data=$work/pg/data
owner=$(stat -c %U "$data")
install -m 600 -o "$owner" server.key "$data/server.key"
install -m 644 -o "$owner" server.crt "$data/server.crt"
install -m 644 -o "$owner" ca.crt "$data/ca.crt"
cat >> "$data/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.crt'
CONF
# over TCP only TLS with a certificate whose name is the role; the socket stays for setup
printf 'local all all trust\nhostssl all all 127.0.0.1/32 cert\n' > "$data/pg_hba.conf"
chown "$owner" "$data/pg_hba.conf"
"$root/tools/pgcluster" restart "$work/pg"
eval "$("$root/tools/pgcluster" env "$work/pg")"
port=$PGPORT
createdb griddesk
"$BIN/gridctl" -d griddesk migrate >/dev/null && "$BIN/gridctl" -d griddesk seed demo --cases 20 >/dev/null
psql -X -q -d griddesk -c "CREATE ROLE \"$user\" LOGIN IN ROLE griddesk_operator"
tls="host=localhost port=$port dbname=griddesk user=$user sslmode=verify-full sslrootcert=$work/ca.crt sslcert=$work/client.crt sslkey=$work/client.key"
out=$(env -u PGHOST -u PGPORT -u PGUSER "$BIN/gridctl" -d "$tls" list --limit 1 --format csv 2>&1)
ok $? "gridctl connects with sslmode=verify-full and a client certificate"
like "$out" '^ref,' "and reads"
is "$(env -u PGHOST -u PGPORT -u PGUSER psql -X -A -t -d "$tls" -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" t "the session is encrypted"
err=$(env -u PGHOST -u PGPORT -u PGUSER "$BIN/gridctl" -d "${tls/ca.crt/other.crt}" list 2>&1); is $? 3 "a server the client cannot verify is refused"
like "$err" 'certificate verify failed' "and says why"
err=$(env -u PGHOST -u PGPORT -u PGUSER "$BIN/gridctl" -d "host=localhost port=$port dbname=griddesk user=$user sslmode=disable" list 2>&1)
is $? 3 "without TLS the server refuses"
TEST_DB= PGDATABASE=griddesk
tui_start 100 30 -d "'$tls'"
trap 'tmx kill-server 2>/dev/null; "$root/tools/pgcluster" stop "$work/pg"; rm -rf "$work"' EXIT
tui_wait " live " 15; ok $? "the console is live over TLS"
tui_keys q
tui_wait "exit=0"; ok $? "and quits cleanly"
done_testing
