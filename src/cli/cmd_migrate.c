/* gridctl migrate: the schema is versioned changes (tables, columns,
 * indexes, data fixes: changes/NNN_*.sql, applied once each, in order,
 * recorded in schema_migrations) and definitions (functions, views,
 * triggers, policies, privileges: definitions/NN_*.sql, one file per
 * module, applied again whenever their text changes, recorded with a
 * checksum in schema_definitions). All of it in one transaction; a second
 * run changes nothing. */
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

/* changes/NNN_name.sql */
static int is_change(const struct dirent *d)
{
    const char *s = d->d_name;
    size_t n = strlen(s);
    return n > 8 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
        && s[2] >= '0' && s[2] <= '9' && s[3] == '_' && strcmp(s + n - 4, ".sql") == 0;
}

/* definitions/NN_module.sql */
static int is_definition(const struct dirent *d)
{
    const char *s = d->d_name;
    size_t n = strlen(s);
    return n > 7 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'
        && s[2] == '_' && strcmp(s + n - 4, ".sql") == 0;
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

/* The privileges are stated whole by one definition file (every right
 * revoked, then exactly what each job needs granted): it is applied again
 * whenever anything else was, since a new function or table starts with
 * rights nobody chose. */
#define PRIVILEGES_FILE "99_privileges.sql"

struct folder {
    char *path;
    struct dirent **files;
    int n;
};

static int folder_read(struct folder *f, const char *dir, const char *sub,
                       int (*filter)(const struct dirent *))
{
    f->path = xasprintf("%s/%s", dir, sub);
    f->n = scandir(f->path, &f->files, filter, alphasort);
    return f->n;
}

static void folder_free(struct folder *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->files[i]);
    free(f->files);
    free(f->path);
}

/* One file of the schema, read whole; NULL (said) when it cannot be. */
static char *schema_file(struct cli *cli, const struct folder *f, const char *file)
{
    char *path = xasprintf("%s/%s", f->path, file);
    char *text = read_file(path);
    if (text == NULL)
        cli_fail(cli, CLI_DB, _("cannot read %s"), path);
    free(path);
    return text;
}

/* Run a file's text (the project's own SQL, never user text) in the
 * migration's transaction. A file of comments only is an empty query. */
static int run_sql(struct cli *cli, const char *text, const char *shown)
{
    PGresult *res = PQexec(cli->conn, text);
    ExecStatusType st = PQresultStatus(res);
    int code = CLI_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        fflush(stdout); /* what was applied before, then what failed, in order */
        fprintf(stderr, _("gridctl migrate: %s failed\n"), shown);
        code = cli_report(cli, res);
    }
    PQclear(res);
    return code;
}

/* Run it, record it with the statement given ($1 and $2 its params), and
 * say so. */
static int apply(struct cli *cli, const char *text, const char *shown, const char *record,
                 const char *const params[2], int *applied)
{
    int code = run_sql(cli, text, shown);
    if (code == CLI_OK)
        PQclear(cli_exec(cli, record, 2, params, &code));
    if (code == CLI_OK) {
        printf(_("applied %s\n"), shown);
        (*applied)++;
    }
    return code;
}

/* The versioned changes the database has not had yet, in order. */
static int apply_changes(struct cli *cli, const struct folder *f, int *applied)
{
    int code = CLI_OK;
    for (int i = 0; i < f->n && code == CLI_OK; i++) {
        const char *file = f->files[i]->d_name;
        char version[4] = { file[0], file[1], file[2], '\0' };
        const char *params[] = { version, file };
        PGresult *res = cli_exec(cli, "SELECT 1 FROM schema_migrations WHERE version = $1::int",
                                 1, params, &code);
        if (res == NULL)
            break;
        int done = PQntuples(res) > 0;
        PQclear(res);
        if (done)
            continue;
        char *text = schema_file(cli, f, file), *shown = xasprintf("changes/%s", file);
        code = text == NULL ? CLI_DB
             : apply(cli, text, shown, "INSERT INTO schema_migrations (version, name)"
                                       " VALUES ($1::int, $2)", params, applied);
        free(shown);
        free(text);
    }
    return code;
}

/* Has the database had this definition file as it reads now? */
static int definition_current(struct cli *cli, const char *file, const char *text, int *code)
{
    const char *params[] = { file, text };
    PGresult *res = cli_exec(cli, "SELECT EXISTS (SELECT FROM schema_definitions"
                                  " WHERE name = $1 AND checksum = md5($2))", 2, params, code);
    if (res == NULL)
        return -1;
    int yes = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    return yes;
}

/* Every definition file whose content changed since the database had it;
 * the privileges file too when anything at all was applied. */
static int apply_definitions(struct cli *cli, const struct folder *f, int *applied)
{
    int code = CLI_OK;
    for (int i = 0; i < f->n && code == CLI_OK; i++) {
        const char *file = f->files[i]->d_name;
        char *text = schema_file(cli, f, file);
        if (text == NULL)
            return CLI_DB;
        int current = definition_current(cli, file, text, &code);
        if (current == 1 && *applied > 0 && strcmp(file, PRIVILEGES_FILE) == 0)
            current = 0;
        if (current == 0) {
            char *shown = xasprintf("definitions/%s", file);
            const char *params[] = { file, text };
            code = apply(cli, text, shown, "INSERT INTO schema_definitions (name, checksum)"
                                           " VALUES ($1, md5($2)) ON CONFLICT (name) DO UPDATE"
                                           " SET checksum = excluded.checksum,"
                                           " applied_at = now(), applied_by = session_user",
                         params, applied);
            free(shown);
        }
        free(text);
    }
    return code;
}

/* A database that has had a change this schema does not know was migrated
 * by a newer griddesk: going on would put older rules over newer tables. */
static int check_not_newer(struct cli *cli, const struct folder *changes)
{
    int code = CLI_OK;
    PGresult *res = cli_exec(cli, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL, &code);
    if (res == NULL)
        return code;
    int have = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    int know = changes->n > 0 ? atoi(changes->files[changes->n - 1]->d_name) : 0;
    if (have > know)
        return cli_fail(cli, CLI_DB, _("the database is at schema version %d, newer than this "
                                       "griddesk's %d: use the griddesk that migrated it"), have, know);
    return CLI_OK;
}

/* One transaction: pending changes, then changed definitions, then
 * ownership. Another migrator waits for the lock and then finds nothing to
 * do. */
static int migrate(struct cli *cli, const struct folder *changes, const struct folder *defs)
{
    static const char *const setup[] = {
        "BEGIN",
        "SET LOCAL client_min_messages = warning",
        "SELECT pg_advisory_xact_lock(hashtext('griddesk.migrate'))",
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version int PRIMARY KEY, name text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now(),"
        " applied_by text NOT NULL DEFAULT session_user)",
        "CREATE TABLE IF NOT EXISTS schema_definitions ("
        " name text PRIMARY KEY, checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now(),"
        " applied_by text NOT NULL DEFAULT session_user)",
    };
    int code = CLI_OK, applied = 0;
    for (size_t i = 0; i < sizeof setup / sizeof *setup && code == CLI_OK; i++)
        PQclear(cli_exec(cli, setup[i], 0, NULL, &code));
    if (code == CLI_OK)
        code = check_not_newer(cli, changes);
    if (code == CLI_OK)
        code = apply_changes(cli, changes, &applied);
    if (code == CLI_OK)
        code = apply_definitions(cli, defs, &applied);
    if (code == CLI_OK && applied > 0)
        PQclear(cli_exec(cli, OWN_SQL, 0, NULL, &code));
    if (code == CLI_OK)
        PQclear(cli_exec(cli, "COMMIT", 0, NULL, &code));
    else
        PQclear(PQexec(cli->conn, "ROLLBACK"));
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

    char *dir = schema_dir();
    struct folder changes = { 0 }, defs = { 0 };
    if (folder_read(&changes, dir, "changes", is_change) < 0) {
        code = cli_fail(cli, CLI_DB, _("cannot read the schema folder %s"), changes.path);
        goto out;
    }
    if (folder_read(&defs, dir, "definitions", is_definition) < 0) {
        code = cli_fail(cli, CLI_DB, _("cannot read the schema folder %s"), defs.path);
        goto out;
    }
    if ((code = cli_connect(cli)) || (code = migrate(cli, &changes, &defs)))
        goto out;
    PGresult *res = cli_exec(cli, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0, NULL, &code);
    if (res == NULL)
        goto out;
    printf(_("schema version %s\n"), PQgetvalue(res, 0, 0));
    PQclear(res);
out:
    folder_free(&changes);
    folder_free(&defs);
    free(dir);
    return code;
}

const struct cli_cmd cmd_migrate = {
    "migrate", N_("bring the database schema up to date"),
    { N_("usage: gridctl migrate [-d CONNINFO]\n"
    "\n"
    "Apply, in one transaction, the versioned changes (changes/NNN_*.sql) that the\n"
    "database has not had yet, in order, then every definition file\n"
    "(definitions/NN_*.sql) whose content differs from what the database had;\n"
    "print each file applied and the schema version. Running it again changes\n"
    "nothing. The folder is $GRIDDESK_SCHEMA_DIR, else schema/ beside the gridctl\n"
    "binary, else the installed one.\n") },
    run,
};
