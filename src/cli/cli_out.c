/* gridctl output: an aligned table for people, CSV and JSON for scripts.
 * PostgreSQL writes the CSV (COPY) and the JSON (json_agg); this file only
 * lays out the table. */
#include "griddesk/cli.h"
#include "griddesk/rules.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_FLOAT4 = 700, OID_FLOAT8 = 701,
       OID_NUMERIC = 1700 };

static int is_number(Oid t)
{
    return t == OID_INT8 || t == OID_INT2 || t == OID_INT4 || t == OID_FLOAT4
        || t == OID_FLOAT8 || t == OID_NUMERIC;
}

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    return env && atoi(env) > 0 ? atoi(env) : 80;
}

static void pad(int n)
{
    for (; n > 0; n--)
        putchar(' ');
}

static void put_cell(const char *clean, int width, int right, int last)
{
    char *cut = text_ellipsize(clean, width);
    int w = text_width(cut);
    if (right)
        pad(width - w);
    fputs(cut, stdout);
    if (!right && !last)
        pad(width - w);
    free(cut);
}

/* The table and record views are for people: column names and the codes
 * of states, tiers and event kinds in the interface language. CSV and JSON
 * keep the stable codes. */
static const char *const column_names[] = {
    NC_("column", "ref"), NC_("column", "reported"), NC_("column", "p"),
    NC_("column", "status"), NC_("column", "category"), NC_("column", "district"),
    NC_("column", "grid"), NC_("column", "title"), NC_("column", "department"),
    NC_("column", "mediator"), NC_("column", "code"), NC_("column", "name"),
    NC_("column", "line"), NC_("column", "field"), NC_("column", "accept"),
    NC_("column", "on_site"), NC_("column", "resolve"), NC_("column", "kind"),
    NC_("column", "lines"), NC_("column", "id"), NC_("column", "tier"),
    NC_("column", "fields"), NC_("column", "home_grid"), NC_("column", "on_duty"),
    NC_("column", "load"), NC_("column", "phone"), NC_("column", "key"),
    NC_("column", "new"), NC_("column", "dispatched"), NC_("column", "resolved"),
    NC_("column", "closed"), NC_("column", "overdue"), NC_("column", "accept_min"),
    NC_("column", "onsite_min"), NC_("column", "onsite_ok_pct"), NC_("column", "fell_due"),
    NC_("column", "rate_pct"), NC_("column", "of_finished_pct"), NC_("column", "rank"),
    NC_("column", "km"), NC_("column", "min"), NC_("column", "reason"),
    NC_("column", "description"), NC_("column", "priority"), NC_("column", "location"),
    NC_("column", "position"), NC_("column", "reporter"), NC_("column", "due"),
    NC_("column", "version"), NC_("column", "updated"), NC_("column", "at"),
    NC_("column", "actor"), NC_("column", "details"), NC_("column", "what"),
    NC_("column", "n"), NC_("column", "level"), NC_("column", "parent"),
    NC_("column", "role"), NC_("column", "scope"), NC_("column", "scope_name"),
};

static const char *shown_name(const char *name)
{
    for (size_t i = 0; i < sizeof column_names / sizeof *column_names; i++)
        if (strcmp(strchr(column_names[i], '\004') + 1, name) == 0)
            return i18n_context(column_names[i]);
    return name;
}

void cli_print_table(struct cli *cli, const PGresult *res, const char *elastic)
{
    int nf = PQnfields(res), nr = PQntuples(res);
    char **cells = xcalloc((size_t)(nr + 1) * (size_t)nf, sizeof *cells);
    int *width = xcalloc((size_t)nf, sizeof *width);
    int total = 0, flex = -1;

    for (int f = 0; f < nf; f++) {
        cells[f] = text_clean(shown_name(PQfname(res, f)), 0);
        width[f] = text_width(cells[f]);
        if (elastic && strcmp(PQfname(res, f), elastic) == 0)
            flex = f;
    }
    for (int r = 0; r < nr; r++)
        for (int f = 0; f < nf; f++) {
            char *c;
            if (strcmp(PQfname(res, f), "reason") == 0) {
                char *why = i18n_server_parts(PQgetvalue(res, r, f));
                c = text_clean(why, 0);
                free(why);
            } else {
                c = text_clean(i18n_value(PQfname(res, f), PQgetvalue(res, r, f)), 0);
            }
            int w = text_width(c);
            cells[(size_t)(r + 1) * nf + f] = c;
            if (w > width[f])
                width[f] = w;
        }
    for (int f = 0; f < nf; f++)
        total += width[f] + (f ? 2 : 0);
    if (cli->tty_out && flex >= 0) {
        int over = total - terminal_columns();
        if (over > 0)
            width[flex] = width[flex] - over > 8 ? width[flex] - over : 8;
    }
    for (int r = 0; r <= nr; r++) {
        for (int f = 0; f < nf; f++) {
            if (f)
                fputs("  ", stdout);
            put_cell(cells[(size_t)r * nf + f], width[f], r > 0 && is_number(PQftype(res, f)),
                     f == nf - 1);
        }
        putchar('\n');
    }
    if (cli->tty_out)
        printf(ngettext("(%d row)\n", "(%d rows)\n", (unsigned long)nr), nr);
    for (size_t i = 0; i < (size_t)(nr + 1) * nf; i++)
        free(cells[i]);
    free(cells);
    free(width);
}

void cli_print_record(const PGresult *res, int row)
{
    int nf = PQnfields(res), label = 0;
    for (int f = 0; f < nf; f++) {
        int w = text_width(shown_name(PQfname(res, f)));
        if (w > label)
            label = w;
    }
    for (int f = 0; f < nf; f++) {
        if (PQgetisnull(res, row, f))
            continue;
        char *name = text_clean(shown_name(PQfname(res, f)), 0);
        char *value = text_clean(i18n_value(PQfname(res, f), PQgetvalue(res, row, f)), 0);
        fputs(name, stdout);
        pad(label - text_width(name) + 2);
        puts(value);
        free(name);
        free(value);
    }
}

static int output_json(struct cli *cli, const char *sql, int n, const char *const *params)
{
    int code;
    /* sql is a command's own constant query; the values travel as params */
    char *q = xasprintf("SELECT coalesce(json_agg(q), '[]'::json) FROM (%s) q", sql);
    PGresult *res = cli_exec(cli, q, n, params, &code);
    free(q);
    if (res == NULL)
        return code;
    puts(PQgetvalue(res, 0, 0));
    PQclear(res);
    return CLI_OK;
}

/* COPY takes no parameters, so each one travels as a transaction-local
 * setting and the query reads it back: user text still never enters SQL. */
static char *copy_query(const char *sql)
{
    size_t cap = strlen(sql) * 4 + 128, len = 0;
    char *out = xmalloc(cap);
    len += (size_t)snprintf(out, cap, "COPY (");
    for (const char *s = sql; *s;) {
        if (*s == '$' && s[1] >= '1' && s[1] <= '9') {
            char *end;
            long k = strtol(s + 1, &end, 10);
            char piece[80];
            int m = snprintf(piece, sizeof piece,
                             "nullif(current_setting('griddesk.arg%ld'), '')", k);
            if (len + (size_t)m + 1 > cap)
                out = xrealloc(out, cap = (len + (size_t)m) * 2);
            memcpy(out + len, piece, (size_t)m);
            len += (size_t)m;
            s = end;
            continue;
        }
        if (len + 2 > cap)
            out = xrealloc(out, cap *= 2);
        out[len++] = *s++;
    }
    const char *tail = ") TO STDOUT WITH (FORMAT csv, HEADER)";
    out = xrealloc(out, len + strlen(tail) + 1);
    memcpy(out + len, tail, strlen(tail) + 1);
    return out;
}

int cli_copy_out(struct cli *cli, FILE *out, const char *sql, int n, const char *const *params)
{
    int code = CLI_OK;
    PGresult *res = cli_exec(cli, "BEGIN", 0, NULL, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "griddesk.arg%d", i + 1);
        const char *kv[] = { name, params[i] ? params[i] : "" };
        res = cli_exec(cli, "SELECT set_config($1, $2, true)", 2, kv, &code);
        if (res == NULL)
            return code;
        PQclear(res);
    }
    char *q = copy_query(sql);
    res = PQexec(cli->conn, q);
    free(q);
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        code = cli_report(cli, res);
        PQclear(res);
        PQclear(PQexec(cli->conn, "ROLLBACK"));
        return code;
    }
    PQclear(res);
    char *buf;
    int len;
    while ((len = PQgetCopyData(cli->conn, &buf, 0)) > 0) {
        fwrite(buf, 1, (size_t)len, out);
        PQfreemem(buf);
    }
    res = PQgetResult(cli->conn);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        code = cli_report(cli, res);
    PQclear(res);
    while ((res = PQgetResult(cli->conn)) != NULL)
        PQclear(res);
    int end_code;
    PQclear(cli_exec(cli, code ? "ROLLBACK" : "COMMIT", 0, NULL, &end_code));
    return code ? code : end_code;
}

int cli_output(struct cli *cli, const char *sql, const char *table_sql, const char *elastic,
               int n, const char *const *params)
{
    int code = cli_connect(cli);
    if (code)
        return code;
    if (cli->format == CLI_JSON)
        return output_json(cli, sql, n, params);
    if (cli->format == CLI_CSV)
        return cli_copy_out(cli, stdout, sql, n, params);
    PGresult *res = cli_exec(cli, table_sql ? table_sql : sql, n, params, &code);
    if (res == NULL)
        return code;
    cli_print_table(cli, res, elastic);
    PQclear(res);
    return CLI_OK;
}

/* after a change: the case as it now stands, in the chosen format */
int cli_print_case_state(struct cli *cli, const char *ref)
{
    const char *params[] = { ref };
    return cli_output(cli, rules_case_state_sql, NULL, NULL, 1, params);
}

/* one value the server made (a JSON object, a reference), on a line */
int cli_print_scalar(struct cli *cli, const char *sql, int n, const char *const *params)
{
    int code;
    PGresult *res = cli_exec(cli, sql, n, params, &code);
    if (res == NULL)
        return code;
    puts(PQgetvalue(res, 0, 0));
    PQclear(res);
    return CLI_OK;
}
