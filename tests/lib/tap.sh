# Minimal TAP for the shell tests; prove reads what these print.
# Sourced by tests/*/*.t. Each test gets a database of its own, cloned from
# the template that tests/run migrated and seeded.

set -u
_tap_n=0
_tap_failed=0

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
    _tap_n=$((_tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $_tap_n - $2"
    else
        echo "not ok $_tap_n - $2"
        _tap_failed=$((_tap_failed + 1))
    fi
}

is() { # is GOT WANT DESCRIPTION
    local r=0
    [ "$1" = "$2" ] || r=1
    ok $r "$3"
    [ $r -eq 0 ] || printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
}

like() { # like GOT REGEX DESCRIPTION
    local r=0
    printf '%s' "$1" | grep -qE -- "$2" || r=1
    ok $r "$3"
    [ $r -eq 0 ] || printf '#   got:  %s\n#   want: /%s/\n' "$1" "$2"
}

done_testing() {
    echo "1..$_tap_n"
    [ $_tap_failed -eq 0 ]
}

BIN=${GRIDDESK_BIN:?tests/run sets GRIDDESK_BIN}
gridctl() { "$BIN/gridctl" "$@"; }

# Programs under test connect as PGUSER, a griddesk login (tests/run sets
# gd_admin; a test about another role sets that role's login). Only making
# databases, and the oracle sql() that sets up data and checks results from
# outside, use the superuser.
SUPER=${GRIDDESK_SUPERUSER:-postgres}
createdb() { command createdb -U "$SUPER" "$@"; }
dropdb() { command dropdb -U "$SUPER" "$@"; }

# a fresh database for this test file, dropped when it ends
fresh_db() {
    TEST_DB="t_$(basename "$0" .t | tr -c 'a-z0-9\n' '_')_$$"
    createdb -T griddesk_template "$TEST_DB"
    export PGDATABASE=$TEST_DB
    trap 'dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
}

# an empty database (no schema), for migration tests
empty_db() {
    TEST_DB="e_$(basename "$0" .t | tr -c 'a-z0-9\n' '_')_$$"
    createdb "$TEST_DB"
    export PGDATABASE=$TEST_DB
    trap 'dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
}

sql() { psql -U "$SUPER" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

# landed_schema VERSION [DB]: the database (default the test's) as a landed
# release left it (tests/lib/landed.sh), built by the superuser
. "$(dirname "${BASH_SOURCE[0]}")/landed.sh"
landed_schema() { PGUSER=$SUPER landed_build "$1" "${2:-$PGDATABASE}"; }

# the schema version this griddesk migrates to: its newest change's number
schema_version() { ls "$GRIDDESK_ROOT/schema/changes" | sed -n 's/^0*\([0-9][0-9]*\)_.*/\1/p' | sort -n | tail -n 1; }

# schema_of DB: the database's schema as pg_dump writes it, owners and
# rights included, without pg_dump's per-run \restrict key
schema_of() { pg_dump -U "$SUPER" -s "$1" | grep -vE '^\\(un)?restrict '; }

# centre_zone_unlike TZ: a time zone for the centre whose date now differs
# from TZ's, so a reader's "today" and the centre's cannot be mistaken for
# each other: Asia/Shanghai when its date differs, else one that does; away
# from a midnight of either when it can be, so a test's seconds cross none.
centre_zone_unlike() {
    sql "SELECT z FROM unnest(ARRAY['Asia/Shanghai', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) WITH ORDINALITY AS t(z, n)
          WHERE (now() AT TIME ZONE z)::date <> (now() AT TIME ZONE '$1')::date
          ORDER BY ((now() + interval '5 minutes') AT TIME ZONE z)::date <> (now() AT TIME ZONE z)::date
                   OR ((now() + interval '5 minutes') AT TIME ZONE '$1')::date <> (now() AT TIME ZONE '$1')::date,
                   n
          LIMIT 1"
}

# valid JSON? (core Perl: no extra package)
json_ok() { perl -MJSON::PP -e 'local $/; decode_json(<STDIN>)' 2>/dev/null; }
json_get() { # json_get PERL-EXPR-ON-$d  (reads JSON on stdin)
    perl -MJSON::PP -CO -e 'local $/; my $d = decode_json(<STDIN>); my $v = eval $ARGV[0]; print defined $v ? $v : "null"' "$1"
}
