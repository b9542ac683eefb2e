/* -d and the libpq environment, as psql reads them; "griddesk" when nothing
 * names a database. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "griddesk/conn.h"

static const char *dbnames(const struct conn_params *p, int which)
{
    int seen = 0;
    for (int i = 0; p->keys[i]; i++)
        if (strcmp(p->keys[i], "dbname") == 0 && seen++ == which)
            return p->values[i];
    return NULL;
}

static const char *value_of(const struct conn_params *p, const char *key)
{
    const char *v = NULL;
    for (int i = 0; p->keys[i]; i++)
        if (strcmp(p->keys[i], key) == 0)
            v = p->values[i];
    return v;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("PGDATABASE");
    unsetenv("PGSERVICE");
    return 0;
}

static void nothing_named_means_griddesk(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, NULL, "t", &err), 0);
    assert_null(dbnames(&p, 0));
    assert_string_equal(getenv("PGDATABASE"), "griddesk");
}

static void plain_name_is_a_database(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, "city", "t", &err), 0);
    assert_string_equal(dbnames(&p, 0), "city");
    assert_null(dbnames(&p, 1));
}

static void conninfo_without_dbname_gets_default(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, "host=/tmp port=5433", "t", &err), 0);
    assert_string_equal(dbnames(&p, 0), "host=/tmp port=5433");
    assert_null(dbnames(&p, 1));
    assert_string_equal(getenv("PGDATABASE"), "griddesk");
}

/* The database libpq would go to with these parameters (no server needed:
 * a connection that cannot start still has its options resolved). */
static char *resolved_db(const char *arg)
{
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, arg, "t", &err), 0);
    PGconn *c = PQconnectStartParams(p.keys, p.values, 1);
    assert_non_null(c);
    char *db = strdup(PQdb(c) ? PQdb(c) : "");
    PQfinish(c);
    return db;
}

static void a_service_names_its_own_database(void **state)
{
    (void)state;
    char dir[] = "/tmp/gdconnXXXXXX", file[64];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/pg_service.conf", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("[gd2]\nhost=/nonexistent\ndbname=gd2\n[nodb]\nhost=/nonexistent\n", f);
    fclose(f);
    setenv("PGSERVICEFILE", file, 1);
    char *db = resolved_db("service=gd2");
    assert_string_equal(db, "gd2");  /* -d service=NAME: the service's database */
    free(db);
    unsetenv("PGDATABASE");
    setenv("PGSERVICE", "gd2", 1);
    db = resolved_db(NULL);
    assert_string_equal(db, "gd2");  /* PGSERVICE: the same */
    free(db);
    unsetenv("PGDATABASE");
    setenv("PGSERVICE", "nodb", 1);
    db = resolved_db(NULL);
    assert_string_equal(db, "griddesk");  /* a service without one: the default */
    free(db);
    unsetenv("PGDATABASE");
    db = resolved_db("service=gd2 dbname=other");
    assert_string_equal(db, "other");  /* the string over the service */
    free(db);
    unsetenv("PGSERVICE");
    unsetenv("PGSERVICEFILE");
    unlink(file);
    rmdir(dir);
}

static void uri_with_dbname_is_kept(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, "postgresql://h/other", "t", &err), 0);
    assert_string_equal(dbnames(&p, 0), "postgresql://h/other");
    assert_null(dbnames(&p, 1));
}

static void environment_wins_over_default(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    setenv("PGDATABASE", "fromenv", 1);
    assert_int_equal(conn_params_init(&p, NULL, "t", &err), 0);
    assert_null(dbnames(&p, 0));
    assert_string_equal(getenv("PGDATABASE"), "fromenv");
    unsetenv("PGDATABASE");
}

static void keepalives_come_before_the_users_conninfo(void **state)
{
    (void)state;
    struct conn_params p;
    char *err;
    assert_int_equal(conn_params_init(&p, "host=x keepalives=0", "t", &err), 0);
    assert_string_equal(value_of(&p, "keepalives"), "1");
    int ka = -1, db = -1;
    for (int i = 0; p.keys[i]; i++) {
        if (strcmp(p.keys[i], "keepalives") == 0)
            ka = i;
        if (strcmp(p.keys[i], "dbname") == 0 && db < 0)
            db = i;
    }
    assert_true(ka >= 0 && db > ka); /* the expanded conninfo comes later and wins */
}

static void malformed_conninfo_is_refused(void **state)
{
    (void)state;
    struct conn_params p;
    char *err = NULL;
    assert_int_equal(conn_params_init(&p, "host='unterminated", "t", &err), -1);
    assert_non_null(err);
    assert_null(strchr(err, '\n'));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(nothing_named_means_griddesk, setup),
        cmocka_unit_test_setup(plain_name_is_a_database, setup),
        cmocka_unit_test_setup(conninfo_without_dbname_gets_default, setup),
        cmocka_unit_test_setup(uri_with_dbname_is_kept, setup),
        cmocka_unit_test_setup(a_service_names_its_own_database, setup),
        cmocka_unit_test_setup(environment_wins_over_default, setup),
        cmocka_unit_test_setup(keepalives_come_before_the_users_conninfo, setup),
        cmocka_unit_test_setup(malformed_conninfo_is_refused, setup),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
