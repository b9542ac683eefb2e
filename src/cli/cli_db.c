/* gridctl's connection and error reporting: one place that turns a libpq
 * failure into a message naming what failed and an exit code. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/conn.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_fail(struct cli *cli, int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "gridctl%s%s: ", cli->cmd ? " " : "", cli->cmd ? cli->cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

/* libpq's message whole, each line made safe for a terminal: its later
 * lines say which server was tried, which password file was read */
static char *libpq_message(const PGconn *conn)
{
    const char *msg = conn ? PQerrorMessage(conn) : "";
    size_t cap = strlen(msg) * 4 + 16, len = 0;
    char *out = xmalloc(cap);
    out[0] = '\0';
    while (*msg) {
        size_t n = strcspn(msg, "\n");
        char *line = xmalloc(n + 1);
        memcpy(line, msg, n);
        line[n] = '\0';
        char *clean = text_clean(line, 0);
        free(line);
        size_t need = strlen(clean) + 4;
        if (len + need >= cap)
            out = xrealloc(out, cap = (len + need) * 2);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "\n  " : "", clean);
        free(clean);
        msg += n;
        while (*msg == '\n')
            msg++;
    }
    return out;
}

static void notice_to_stderr(void *arg, const PGresult *res)
{
    const struct cli *cli = arg;
    /* progress notes are for a person watching, not for a log file */
    if (!cli->tty_err)
        return;
    char *msg = text_clean(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), 0);
    fprintf(stderr, "gridctl %s: %s\n", cli->cmd, msg);
    free(msg);
}

static int connect_failed(struct cli *cli)
{
    char *msg = libpq_message(cli->conn);
    int rc = cli_fail(cli, CLI_DB, _("cannot connect: %s"), msg);
    free(msg);
    return rc;
}

int cli_connect(struct cli *cli)
{
    if (cli->conn)
        return CLI_OK;
    struct conn_params p;
    char *err = NULL;
    if (conn_params_init(&p, cli->dbname, "gridctl", &err) < 0) {
        int rc = cli_fail(cli, CLI_USAGE, _("invalid --dbname \"%s\": %s"), cli->dbname, err);
        free(err);
        return rc;
    }
    cli->conn = PQconnectdbParams(p.keys, p.values, 1);
    /* as psql: the server wants a password and a person is at the terminal */
    if (PQstatus(cli->conn) != CONNECTION_OK && PQconnectionNeedsPassword(cli->conn)
        && isatty(STDIN_FILENO)) {
        char prompt[256];
        snprintf(prompt, sizeof prompt, _("Password for user %s: "), PQuser(cli->conn));
        char *typed = getpass(prompt);
        if (typed && *typed && conn_params_add(&p, "password", typed) == 0) {
            PQfinish(cli->conn);
            cli->conn = PQconnectdbParams(p.keys, p.values, 1);
        }
        if (typed)
            explicit_bzero(typed, strlen(typed));
    }
    if (PQstatus(cli->conn) != CONNECTION_OK)
        return connect_failed(cli);
    PQsetNoticeReceiver(cli->conn, notice_to_stderr, cli);
    /* CSV and JSON are read by other programs (and by import): the same
     * bytes whatever DateStyle, IntervalStyle or extra_float_digits the
     * session would otherwise take from PGDATESTYLE, PGOPTIONS or the role */
    PGresult *pin = PQexec(cli->conn, "SELECT set_config('DateStyle', 'ISO, YMD', false),"
                                      " set_config('IntervalStyle', 'postgres', false),"
                                      " set_config('extra_float_digits', '1', false)");
    int pinned = PQresultStatus(pin) == PGRES_TUPLES_OK;
    PQclear(pin);
    if (!pinned)
        return connect_failed(cli);
    /* times are shown in the operator's zone */
    const char *zone = conn_local_zone();
    if (zone) {
        const char *params[] = { zone };
        PGresult *res = PQexecParams(cli->conn, "SELECT set_config('TimeZone', $1, false)",
                                     1, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            fprintf(stderr, _("gridctl: ignoring time zone \"%s\": the server does not know it\n"), zone);
        PQclear(res);
    }
    return CLI_OK;
}

/* A rule refused, or the user named something that is not there: exit 1.
 * Everything else is the database failing: exit 3. */
static int code_for(const char *sqlstate)
{
    if (sqlstate == NULL)
        return CLI_DB;
    if (strncmp(sqlstate, "GD", 2) == 0)
        return CLI_REFUSED;
    if (strncmp(sqlstate, "22", 2) == 0 || strncmp(sqlstate, "23", 2) == 0
        || strcmp(sqlstate, "42501") == 0)
        return CLI_REFUSED;
    return CLI_DB;
}

int cli_report(struct cli *cli, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char *shown = primary ? i18n_server_text(primary) : NULL;
    char *msg = shown ? text_clean(shown, 0) : libpq_message(cli->conn);
    free(shown);
    int code = code_for(state);
    if (state && strcmp(state, "42501") == 0)
        cli_fail(cli, code, _("%s: your role may not do this"), msg);
    else
        cli_fail(cli, code, "%s", msg);
    free(msg);
    const char *fields[] = { res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL,
                             res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL };
    for (size_t i = 0; i < 2; i++) {
        if (fields[i] == NULL)
            continue;
        char *text = i18n_server_text(fields[i]);
        char *clean = text_clean(text, 0);
        fprintf(stderr, "  %s\n", clean);
        free(clean);
        free(text);
    }
    return code;
}

PGresult *cli_exec(struct cli *cli, const char *sql, int n, const char *const *params, int *code)
{
    PGresult *res = PQexecParams(cli->conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
        *code = CLI_OK;
        return res;
    }
    *code = cli_report(cli, res);
    PQclear(res);
    return NULL;
}
