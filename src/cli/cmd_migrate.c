/* gridctl migrate: apply schema/NNN_*.sql in order, each in its own
 * transaction, recorded in schema_migrations; a second run changes nothing. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SCHEMADIR
#define SCHEMADIR "/usr/local/share/griddesk/schema"
#endif

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* GRIDDESK_SCHEMA_DIR, else schema/ beside the binary (a build tree), else the
 * installed copy. Caller frees. */
static char *schema_dir(void)
{
    const char *env = getenv("GRIDDESK_SCHEMA_DIR");
    if (env && *env)
        return xstrdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *dir = xasprintf("%s/schema", dirname(exe));
        if (is_dir(dir))
            return dir;
        free(dir);
    }
    return xstrdup(SCHEMADIR);
}

static int is_migration(const struct dirent *d)
{
    const char *s = d->d_name;
    size_t n = strlen(s);
    return n > 8 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
        && s[2] >= '0' && s[2] <= '9' && s[3] == '_' && strcmp(s + n - 4, ".sql") == 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 8192, len = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2)
            buf = xrealloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* Whoever migrates (a superuser, or the database's owner), everything
 * griddesk made belongs to griddesk_owner afterwards, in the same
 * transaction: SECURITY DEFINER functions then run with that role's rights,
 * never a superuser's. Extensions' objects stay with whoever made them, and
 * what a migration gave to griddesk_usermgr (gd_user_add) stays there. */
static const char OWN_SQL[] =
    "DO $own$\n"
    "DECLARE o record;\n"
    "BEGIN\n"
    "  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'griddesk_owner') THEN RETURN; END IF;\n"
    "  FOR o IN\n"
    "    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'\n"
    "                          WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END AS kind,\n"
    "           c.oid::regclass::text AS name\n"
    "      FROM pg_class c\n"
    "     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c', 'f')\n"
    "       AND c.relowner <> 'griddesk_owner'::regrole\n"
    "       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass\n"
    "                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))\n"
    "    UNION ALL\n"
    "    SELECT CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END, p.oid::regprocedure::text\n"
    "      FROM pg_proc p\n"
    "     WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> 'griddesk_owner'::regrole\n"
    "       AND p.proowner NOT IN (SELECT oid FROM pg_roles WHERE rolname = 'griddesk_usermgr')\n"
    "       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass\n"
    "                          AND d.objid = p.oid AND d.deptype = 'e')\n"
    "  LOOP\n"
    "    EXECUTE format('ALTER %s %s OWNER TO griddesk_owner', o.kind, o.name);\n"
    "  END LOOP;\n"
    "END\n"
    "$own$";

static int applied(struct cli *cli, const char *version, int *code)
{
    const char *params[] = { version };
    PGresult *res = cli_exec(cli, "SELECT 1 FROM schema_migrations WHERE version = $1::int",
                             1, params, code);
    if (res == NULL)
        return -1;
    int yes = PQntuples(res) > 0;
    PQclear(res);
    return yes;
}

static int apply(struct cli *cli, const char *dir, const char *file)
{
    int code;
    char version[4] = { file[0], file[1], file[2], '\0' };
    int done = applied(cli, version, &code);
    if (done != 0)
        return done < 0 ? code : CLI_OK;

    char *path = xasprintf("%s/%s", dir, file);
    char *sql = read_file(path);
    if (sql == NULL) {
        code = cli_fail(cli, CLI_DB, _("cannot read %s"), path);
        free(path);
        return code;
    }
    PQclear(PQexec(cli->conn, "BEGIN"));
    /* the file is the project's own SQL, never user text */
    PGresult *res = PQexec(cli->conn, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
        fprintf(stderr, _("gridctl migrate: %s failed\n"), file);
        code = cli_report(cli, res);
        PQclear(res);
        PQclear(PQexec(cli->conn, "ROLLBACK"));
        goto out;
    }
    PQclear(res);
    const char *params[] = { version, file };
    res = cli_exec(cli, "INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)",
                   2, params, &code);
    PQclear(res);
    if (code == CLI_OK)
        PQclear(cli_exec(cli, OWN_SQL, 0, NULL, &code));
    PQclear(PQexec(cli->conn, code ? "ROLLBACK" : "COMMIT"));
    if (code == CLI_OK && cli->tty_err)
        fprintf(stderr, _("applied %s\n"), file);
out:
    free(sql);
    free(path);
    return code;
}

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1)
        if (!cli_common_opt(cli, &cmd_migrate, c, optarg))
            return cli_usage_error(cli, &cmd_migrate);
    if (optind < argc)
        return cli_usage_error(cli, &cmd_migrate);
    if ((code = cli_connect(cli)))
        return code;

    char *dir = schema_dir();
    struct dirent **files = NULL;
    int n = scandir(dir, &files, is_migration, alphasort);
    if (n < 0) {
        code = cli_fail(cli, CLI_DB, _("cannot read the schema folder %s"), dir);
        free(dir);
        return code;
    }
    /* one migrator at a time; the lock goes with the session */
    static const char *const setup[] = {
        "SET client_min_messages = warning",
        "SELECT pg_advisory_lock(hashtext('griddesk.migrate'))",
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version int PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now(),"
        " applied_by text NOT NULL DEFAULT session_user)",
    };
    PGresult *res;
    for (size_t i = 0; i < sizeof setup / sizeof *setup && code == CLI_OK; i++)
        PQclear(cli_exec(cli, setup[i], 0, NULL, &code));
    for (int i = 0; i < n && code == CLI_OK; i++)
        code = apply(cli, dir, files[i]->d_name);
    for (int i = 0; i < n; i++)
        free(files[i]);
    free(files);
    free(dir);
    if (code)
        return code;
    res = cli_exec(cli, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL, &code);
    if (res == NULL)
        return code;
    printf(_("schema version %s\n"), PQgetvalue(res, 0, 0));
    PQclear(res);
    return CLI_OK;
}

const struct cli_cmd cmd_migrate = {
    "migrate", N_("bring the database schema up to date"),
    { N_("usage: gridctl migrate [-d CONNINFO]\n"
    "\n"
    "Apply the numbered files of the schema folder that the database has not had\n"
    "yet, in order, each in one transaction, and print the schema version.\n"
    "Running it again changes nothing. The folder is $GRIDDESK_SCHEMA_DIR, else\n"
    "schema/ beside the gridctl binary, else the installed one.\n") },
    run,
};
