/* gridctl import: what the rules found, said to a person (each problem
 * with its line, column and value), written to a rejects file, and
 * summed up; then commit or roll back. */
#include "griddesk/import.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <errno.h>
#include <libintl.h>
#include <stdlib.h>
#include <string.h>

enum { SHOW_ERRORS = 20 };

static int show_errors(struct import *im, long rejected)
{
    int code;
    char limit[16];
    snprintf(limit, sizeof limit, "%d", SHOW_ERRORS);
    const char *params[] = { limit };
    PGresult *res = cli_exec(im->cli,
        "SELECT line, coalesce(col, '') AS col, coalesce(value, '') AS value, reason"
        " FROM pg_temp.gd_import_errors"
        " ORDER BY line, col LIMIT $1::int", 1, params, &code);
    if (res == NULL)
        return code;
    int c_line = PQfnumber(res, "line"), c_col = PQfnumber(res, "col"),
        c_value = PQfnumber(res, "value"), c_reason = PQfnumber(res, "reason");
    for (int i = 0; i < PQntuples(res); i++) {
        char *clean = text_clean(PQgetvalue(res, i, c_value), 0);
        char *value = text_ellipsize(clean, 40);
        char *said = i18n_server_text(PQgetvalue(res, i, c_reason));
        char *reason = text_clean(said, 0);
        const char *line = PQgetvalue(res, i, c_line), *col = PQgetvalue(res, i, c_col);
        free(said);
        if (*col)
            fprintf(stderr, _("%s:%s: column %s = \"%s\": %s\n"), im->path, line, col, value, reason);
        else
            fprintf(stderr, "%s:%s: %s: %s\n", im->path, line, reason, value);
        free(value);
        free(clean);
        free(reason);
    }
    if (rejected > 0 && PQntuples(res) == SHOW_ERRORS)
        fprintf(stderr, _("(the first %d problems are shown)\n"), SHOW_ERRORS);
    PQclear(res);
    return CLI_OK;
}

/* The bad rows, in the file's encoding, as the file had them plus why:
 * fix them and import the rejects file as it is. */
static int write_rejects(struct import *im)
{
    FILE *out = fopen(im->rejects, "w");
    if (out == NULL)
        return cli_fail(im->cli, CLI_USAGE, _("cannot write --rejects %s: %s"), im->rejects,
                        strerror(errno));
    size_t cap = 1024;
    char *sql = xmalloc(cap);
    /* the record itself rides along in the reason only where the columns
     * cannot hold it: more fields than the header, or a quote never closed */
    int len = snprintf(sql, cap,
        "COPY (SELECT s.gd_line AS rejected_line, e.cols AS rejected_column,"
        " e.reasons || CASE WHEN e.raw IS NOT NULL AND s.gd_fields NOT BETWEEN 1 AND %d"
        " THEN ': ' || e.raw ELSE '' END AS rejected_reason", im->ncols);
    for (int i = 0; i < im->ncols; i++)
        if (strncmp(im->cols[i], "rejected_", 9) != 0)
            len += snprintf(sql + len, cap - (size_t)len, ", s.%s", im->cols[i]);
    snprintf(sql + len, cap - (size_t)len,
        " FROM pg_temp.gd_import s JOIN (SELECT line, string_agg(col, ' ' ORDER BY col) AS cols,"
        " string_agg(reason, '; ' ORDER BY col) AS reasons,"
        " min(CASE WHEN col IS NULL THEN value END) AS raw FROM pg_temp.gd_import_errors GROUP BY line) e"
        " ON e.line = s.gd_line ORDER BY s.gd_line) TO STDOUT (FORMAT csv, HEADER, ENCODING '%s')",
        im->encoding);
    PGresult *res = PQexec(im->cli->conn, sql);
    free(sql);
    int code = CLI_OK;
    if (PQresultStatus(res) != PGRES_COPY_OUT) {
        code = cli_report(im->cli, res);
        PQclear(res);
        fclose(out);
        return code;
    }
    PQclear(res);
    char *buf;
    int n;
    while ((n = PQgetCopyData(im->cli->conn, &buf, 0)) > 0) {
        fwrite(buf, 1, (size_t)n, out);
        PQfreemem(buf);
    }
    while ((res = PQgetResult(im->cli->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && code == CLI_OK)
            code = cli_report(im->cli, res);
        PQclear(res);
    }
    if (fclose(out) != 0 && code == CLI_OK)
        code = cli_fail(im->cli, CLI_USAGE, _("cannot write --rejects %s: %s"), im->rejects,
                        strerror(errno));
    return code;
}

static int summary(struct import *im, long imported, long rejected, int committed)
{
    if (im->cli->format == CLI_JSON) {
        char a[24], b[24];
        snprintf(a, sizeof a, "%ld", imported);
        snprintf(b, sizeof b, "%ld", rejected);
        const char *params[] = { im->kind, a, b, im->dry_run ? "t" : "f", committed ? "t" : "f" };
        int code;
        PGresult *res = cli_exec(im->cli,
            "SELECT json_build_object('kind', $1::text, 'imported', $2::int, 'rejected', $3::int,"
            " 'dry_run', $4::boolean, 'committed', $5::boolean)", 5, params, &code);
        if (res == NULL)
            return code;
        puts(PQgetvalue(res, 0, 0));
        PQclear(res);
        return CLI_OK;
    }
    if (im->dry_run)
        printf(_("dry run: %ld %s would be imported, %ld rows are bad; nothing was changed\n"),
               imported, im->kind, rejected);
    else if (committed)
        printf(_("imported %ld %s from %s%s\n"), imported, im->kind, im->path,
               rejected ? _("; bad rows were left out") : "");
    return CLI_OK;
}

int import_finish(struct import *im)
{
    int code;
    char cols[16];
    snprintf(cols, sizeof cols, "%d", im->ncols);
    const char *params[] = { im->kind, cols };
    if (im->cli->tty_err)
        fprintf(stderr, _("gridctl import: checking and writing %zu rows...\n"), im->nrec);
    PGresult *res = cli_exec(im->cli, "SELECT imported, rejected FROM gd_import_run($1, $2::int)",
                             2, params, &code);
    if (res == NULL)
        return code;
    long imported = atol(PQgetvalue(res, 0, PQfnumber(res, "imported")));
    long rejected = atol(PQgetvalue(res, 0, PQfnumber(res, "rejected")));
    PQclear(res);
    if (rejected > 0 && (code = show_errors(im, rejected)))
        return code;
    if (im->rejects && (code = write_rejects(im)))
        return code;
    int commit = !im->dry_run && (rejected == 0 || im->skip_bad);
    res = cli_exec(im->cli, commit ? "COMMIT" : "ROLLBACK", 0, NULL, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    if ((code = summary(im, imported, rejected, commit)))
        return code;
    if (rejected > 0 && !im->skip_bad && !im->dry_run)
        return cli_fail(im->cli, CLI_REFUSED,
                        ngettext("%ld bad row in %s: nothing was imported (fix it, or --skip-bad"
                                 " --rejects FILE to import the rest)",
                                 "%ld bad rows in %s: nothing was imported (fix them, or --skip-bad"
                                 " --rejects FILE to import the rest)", (unsigned long)rejected),
                        rejected, im->path);
    if (rejected > 0 && im->skip_bad)
        fprintf(stderr, ngettext("gridctl import: %ld bad row written to %s\n",
                                 "gridctl import: %ld bad rows written to %s\n", (unsigned long)rejected),
                rejected, im->rejects);
    /* a dry run answers "would it import?": not as it is */
    if (rejected > 0 && !im->skip_bad && im->dry_run)
        return CLI_REFUSED;
    return CLI_OK;
}

