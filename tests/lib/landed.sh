# landed_build VERSION DB: the database as the gridctl of a landed release
# left it at VERSION: each frozen file of tests/upgrade/landed in a
# transaction of its own, as the connecting user (PGUSER). Sourced by the
# tests (tap.sh) and by tests/bench/chain.
landed_build() {
    local f n dir
    dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../upgrade/landed" && pwd)"
    psql -X -q -d "$2" -v ON_ERROR_STOP=1 -c "CREATE TABLE schema_migrations (
        version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),
        applied_by text NOT NULL DEFAULT session_user)" || return 1
    for f in "$dir"/[0-9][0-9][0-9]_*.sql; do
        n=$(basename "$f")
        [ $((10#${n:0:3})) -le "$1" ] || continue
        { echo "SET client_min_messages = warning;"; cat "$f";
          echo "INSERT INTO schema_migrations (version, name) VALUES (${n:0:3}, '$n');"; } \
            | psql -X -q -1 -d "$2" -v ON_ERROR_STOP=1 >/dev/null || { echo "# $n failed"; return 1; }
    done
}
