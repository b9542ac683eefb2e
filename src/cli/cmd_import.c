/* gridctl import: a CSV file into the database, all or nothing.
 *
 * The file streams through COPY into a staging table (PostgreSQL parses the
 * CSV and converts the encoding); gd_import_run then checks every row in
 * SQL and inserts the good ones; we commit only when nothing was bad, or
 * when --skip-bad says to keep the good rows. This file only finds where
 * records end, so each row carries the line of the file it came from and a
 * record with the wrong number of fields is set aside instead of stopping
 * COPY. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/records.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

enum { MAX_COLS = 40, SHOW_ERRORS = 20, CHUNK = 1 << 20 };

struct import {
    struct cli *cli;
    const char *kind, *path, *encoding, *rejects;
    int dry_run, skip_bad;
    FILE *in;
    off_t size;              /* of the file, 0 when unknown (a pipe) */
    char *cols[MAX_COLS];    /* the header's columns, as the staging table names them */
    int ncols;
    long *lines;             /* file line of each record sent, for COPY's messages */
    size_t nrec, caprec;
    long line;               /* file line the next record starts on */
    /* the file's own lines of the first record whose non-ASCII bytes are
     * not valid in the declared encoding; and, when that is not UTF-8, of
     * the first that is UTF-8 and of the first that is not */
    long bad_line, utf8_line, other_line;
    iconv_t declared, utf8;
    double next_progress;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* On a terminal, a line that rewrites itself; nothing when piped. */
static void progress(struct import *im, off_t done, int final)
{
    if (!im->cli->tty_err || (!final && now_s() < im->next_progress))
        return;
    im->next_progress = now_s() + 0.2;
    fputc('\r', stderr);
    if (im->size > 0)
        fprintf(stderr, _("gridctl import: %zu rows read, %3d%%"), im->nrec,
                (int)(100.0 * (double)done / (double)im->size));
    else
        fprintf(stderr, _("gridctl import: %zu rows read"), im->nrec);
    fputs(final ? "\n" : "", stderr);
    fflush(stderr);
}

/* Do these bytes convert from cd's encoding? *euro is set when the text
 * holds "€", which glibc's GBK reads from byte 0x80 (Windows code page
 * 936, as Excel writes it) and PostgreSQL's GBK does not. */
static int converts(iconv_t cd, const char *s, size_t n, int *euro)
{
    char out[4096];
    char *inp = (char *)s, *outp;
    size_t inleft = n, outleft;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (inleft > 0) {
        outp = out;
        outleft = sizeof out;
        size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
        if (euro && memmem(out, (size_t)(outp - out), "\xe2\x82\xac", 3))
            *euro = 1;
        if (rc == (size_t)-1 && errno != E2BIG)
            return 0;
    }
    return 1;
}

/* COPY converts the file in chunks, so the line it names for bytes that do
 * not fit the encoding can be off by many: note the record ourselves. And
 * when the file is said to be GB18030 or GBK, a record that is valid UTF-8
 * would go in as plausible-looking nonsense (UTF-8 Chinese is valid GB18030,
 * read as other characters): note which records are UTF-8 and which not. */
static void check_bytes(struct import *im, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    if (i == n)
        return;
    int euro = 0;
    if (!im->bad_line && (!converts(im->declared, s + i, n - i, &euro)
                          || (euro && strcmp(im->encoding, "GBK") == 0)))
        im->bad_line = im->line;
    if (im->utf8 == (iconv_t)-1)
        return;
    if (converts(im->utf8, s + i, n - i, NULL)) {
        if (!im->utf8_line)
            im->utf8_line = im->line;
    } else if (!im->other_line) {
        im->other_line = im->line;
    }
}

static void remember_line(struct import *im)
{
    if (im->nrec == im->caprec) {
        im->caprec = im->caprec ? im->caprec * 2 : 4096;
        im->lines = xrealloc(im->lines, im->caprec * sizeof *im->lines);
    }
    im->lines[im->nrec++] = im->line;
}

struct outbuf {
    char *p;
    size_t len, cap;
};

static void put(struct outbuf *o, const char *s, size_t n)
{
    if (o->len + n > o->cap) {
        o->cap = (o->len + n) * 2;
        o->p = xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

/* A record as a staging row: "line,,," and the record; or, when it does not
 * have the header's fields, "line,fields,raw" and the fields it has in the
 * header's columns (a short one padded, a long one cut: the raw record keeps
 * the rest), so a rejects file shows the row where it belongs. A record
 * whose quote never closes has no fields to speak of: empty columns. */
static void stage(struct import *im, struct outbuf *o, const char *rec, const struct record *r)
{
    char head[48];
    remember_line(im);
    if (!r->open_quote && r->fields == im->ncols) {
        put(o, head, (size_t)snprintf(head, sizeof head, "%ld,,,", im->line));
        put(o, rec, r->body);
    } else {
        put(o, head, (size_t)snprintf(head, sizeof head, "%ld,%d,\"", im->line,
                                      r->open_quote ? 0 : r->fields));
        for (size_t i = 0; i < r->body; i++) {
            if (rec[i] == '"')
                put(o, "\"", 1);
            put(o, rec + i, 1);
        }
        put(o, "\",", 2);
        if (r->open_quote) {
            for (int i = 1; i < im->ncols; i++)
                put(o, ",", 1);
        } else {
            put(o, rec, record_prefix(rec, r->body, im->ncols));
            for (int i = r->fields; i < im->ncols; i++)
                put(o, ",", 1);
        }
    }
    put(o, "\n", 1);
    im->line += 1 + r->newlines;
}

static int send(struct import *im, struct outbuf *o)
{
    if (o->len == 0)
        return CLI_OK;
    if (PQputCopyData(im->cli->conn, o->p, (int)o->len) != 1)
        return cli_fail(im->cli, CLI_DB, _("sending %s: %s"), im->path,
                        PQerrorMessage(im->cli->conn));
    o->len = 0;
    return CLI_OK;
}

/* The header names the columns: each must be one the kind takes, once;
 * the required ones must be there. */
static int read_header(struct import *im, const char *body, size_t len, int fields,
                       PGresult *known)
{
    char name[64];
    for (int i = 0; i < fields; i++) {
        if (i >= MAX_COLS || record_field(body, len, i, name, sizeof name) < 0)
            return cli_fail(im->cli, CLI_REFUSED, _("%s:1: the header is not a list of column names"),
                            im->path);
        for (char *c = name; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        int ok = strncmp(name, "rejected_", 9) == 0 && (strcmp(name + 9, "line") == 0
                 || strcmp(name + 9, "column") == 0 || strcmp(name + 9, "reason") == 0);
        for (int k = 0; !ok && k < PQntuples(known); k++)
            ok = strcmp(name, PQgetvalue(known, k, 0)) == 0;
        if (!ok) {
            char *clean = text_clean(name, 0);
            cli_fail(im->cli, CLI_REFUSED, _("%s:1: unknown column \"%s\"; a %s file has:"), im->path,
                     clean, im->kind);
            free(clean);
            for (int k = 0; k < PQntuples(known); k++)
                fprintf(stderr, "%s%s%s", k ? ", " : "  ", PQgetvalue(known, k, 0),
                        strcmp(PQgetvalue(known, k, 1), "t") == 0 ? " (required)" : "");
            fputc('\n', stderr);
            return CLI_REFUSED;
        }
        for (int k = 0; k < im->ncols; k++)
            if (strcmp(im->cols[k], name) == 0)
                return cli_fail(im->cli, CLI_REFUSED, _("%s:1: column \"%s\" is named twice"),
                                im->path, name);
        im->cols[im->ncols++] = xstrdup(name);
    }
    for (int k = 0; k < PQntuples(known); k++) {
        if (strcmp(PQgetvalue(known, k, 1), "t") != 0)
            continue;
        int found = 0;
        for (int i = 0; i < im->ncols && !found; i++)
            found = strcmp(im->cols[i], PQgetvalue(known, k, 0)) == 0;
        if (!found)
            return cli_fail(im->cli, CLI_REFUSED, _("%s:1: the required column \"%s\" is missing"),
                            im->path, PQgetvalue(known, k, 0));
    }
    return CLI_OK;
}

static int start_copy(struct import *im)
{
    size_t cap = 256;
    for (int i = 0; i < im->ncols; i++)
        cap += strlen(im->cols[i]) + 4;
    char *sql = xmalloc(cap);
    /* the column names passed read_header: each is one the kind takes */
    int len = snprintf(sql, cap, "COPY pg_temp.gd_import (gd_line, gd_fields, gd_raw");
    for (int i = 0; i < im->ncols; i++)
        len += snprintf(sql + len, cap - (size_t)len, ", %s", im->cols[i]);
    snprintf(sql + len, cap - (size_t)len, ") FROM STDIN (FORMAT csv, ENCODING '%s')",
             im->encoding);
    PGresult *res = PQexec(im->cli->conn, sql);
    free(sql);
    int code = PQresultStatus(res) == PGRES_COPY_IN ? CLI_OK : cli_report(im->cli, res);
    PQclear(res);
    return code;
}

/* COPY's own complaints name a record of our stream ("line N"): give the
 * line of the file instead, and say what to do. */
static int copy_failed(struct import *im, const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
    const char *at = ctx ? strstr(ctx, "line ") : NULL;
    long k = at ? strtol(at + 5, NULL, 10) : 0;
    long line = k >= 1 && (size_t)k <= im->nrec ? im->lines[k - 1] : 0;
    char *msg = text_clean(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY), 0);
    int bad_bytes = state && (strcmp(state, "22021") == 0 || strcmp(state, "22P05") == 0);
    if (bad_bytes && im->utf8_line && !im->other_line) {
        free(msg);
        return cli_fail(im->cli, CLI_REFUSED,
                        _("%s:%ld: the file is UTF-8, not %s: import it without --encoding"),
                        im->path, im->utf8_line, im->encoding);
    }
    if (bad_bytes) {
        cli_fail(im->cli, CLI_REFUSED, _("%s:%ld: the file is not %s: %s"), im->path,
                 im->bad_line ? im->bad_line : line, im->encoding, msg);
        if (strcmp(im->encoding, "UTF8") != 0 && strstr(msg, "0x80 "))
            fprintf(stderr, _("  byte 0x80 is the euro sign (€) of Windows code page 936, as Excel "
                              "saves it, which GBK and GB18030 do not have; convert the file and "
                              "import that without --encoding:\n"
                              "  iconv -f CP936 -t UTF-8 '%s' > '%s.utf8.csv'\n"), im->path, im->path);
        else
            fprintf(stderr, "  %s\n", strcmp(im->encoding, "UTF8") == 0
                    ? _("files saved from Excel are often GB18030: try --encoding GB18030")
                    : _("name the file's encoding with --encoding UTF8, GB18030 or GBK"));
        free(msg);
        return CLI_REFUSED;
    }
    cli_fail(im->cli, CLI_REFUSED, "%s:%ld: %s", im->path, line, msg);
    free(msg);
    return CLI_REFUSED;
}

static int stream(struct import *im)
{
    size_t cap = CHUNK, n = 0;
    char *buf = xmalloc(cap);
    struct outbuf o = { 0 };
    int code = CLI_OK, header = 1, at_end = 0, copying = 0;
    off_t done = 0;
    PGresult *known = NULL;

    while (code == CLI_OK) {
        if (!at_end && n < cap) {
            size_t got = fread(buf + n, 1, cap - n, im->in);
            if (got == 0 && ferror(im->in)) {
                code = cli_fail(im->cli, CLI_REFUSED, _("cannot read %s: %s"), im->path,
                                strerror(errno));
                break;
            }
            at_end = got == 0;
            n += got;
        }
        size_t used = 0;
        struct record r;
        while (code == CLI_OK && record_next(buf + used, n - used, at_end, &r)) {
            const char *rec = buf + used;
            if (header && done == 0 && r.body >= 3 && memcmp(rec, "\xef\xbb\xbf", 3) == 0) {
                /* Excel's "CSV UTF-8" starts with a byte-order mark */
                if (strcmp(im->encoding, "UTF8") != 0 && !im->utf8_line)
                    im->utf8_line = im->line;
                rec += 3;
                r.body -= 3;
            }
            if (header) {
                header = 0;
                int err;
                const char *params[] = { im->kind };
                known = cli_exec(im->cli, "SELECT col, required FROM gd_import_begin($1)", 1,
                                 params, &err);
                code = known ? read_header(im, rec, r.body, r.fields, known) : err;
                if (code == CLI_OK && (code = start_copy(im)) == CLI_OK)
                    copying = 1;
                im->line += 1 + r.newlines;
            } else if (r.body == 0 && r.fields == 1) {
                im->line++; /* blank lines carry nothing */
            } else {
                check_bytes(im, rec, r.body);
                stage(im, &o, rec, &r);
            }
            used += r.len;
            done += (off_t)r.len;
        }
        if (code == CLI_OK && o.len >= CHUNK / 2)
            code = send(im, &o);
        memmove(buf, buf + used, n - used);
        n -= used;
        if (at_end && n == 0)
            break;
        if (n == cap) /* one record longer than the buffer */
            buf = xrealloc(buf, cap *= 2);
        progress(im, done, 0);
    }
    if (code == CLI_OK && header)
        code = cli_fail(im->cli, CLI_REFUSED, _("%s is empty: the first line must name the columns"),
                        im->path);
    if (code == CLI_OK)
        code = send(im, &o);
    PQclear(known);
    free(buf);
    free(o.p);
    if (!copying)
        return code;
    progress(im, done, 1);
    if (PQputCopyEnd(im->cli->conn, code == CLI_OK ? NULL : "gridctl import stopped") != 1)
        return cli_fail(im->cli, CLI_DB, "%s", PQerrorMessage(im->cli->conn));
    PGresult *res;
    int copy_code = CLI_OK;
    while ((res = PQgetResult(im->cli->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && code == CLI_OK && copy_code == CLI_OK)
            copy_code = copy_failed(im, res);
        PQclear(res);
    }
    if (code == CLI_OK && copy_code == CLI_OK && im->utf8_line && !im->other_line)
        code = cli_fail(im->cli, CLI_REFUSED,
                        _("%s:%ld: the file is UTF-8, not %s: import it without --encoding"),
                        im->path, im->utf8_line, im->encoding);
    if (code == CLI_OK && copy_code == CLI_OK && im->utf8_line && im->other_line) {
        code = cli_fail(im->cli, CLI_REFUSED,
                        _("%s:%ld: this row is UTF-8, but line %ld is not: the file mixes encodings"),
                        im->path, im->utf8_line, im->other_line);
        fprintf(stderr, "  %s\n", _("save the whole file again in one encoding (in Excel: "
                                    "Save As, CSV UTF-8) and import that"));
    }
    return code ? code : copy_code;
}

static int show_errors(struct import *im, long rejected)
{
    int code;
    char limit[16];
    snprintf(limit, sizeof limit, "%d", SHOW_ERRORS);
    const char *params[] = { limit };
    PGresult *res = cli_exec(im->cli,
        "SELECT line, coalesce(col, ''), coalesce(value, ''), reason FROM pg_temp.gd_import_errors"
        " ORDER BY line, col LIMIT $1::int", 1, params, &code);
    if (res == NULL)
        return code;
    for (int i = 0; i < PQntuples(res); i++) {
        char *clean = text_clean(PQgetvalue(res, i, 2), 0);
        char *value = text_ellipsize(clean, 40);
        char *said = i18n_server_text(PQgetvalue(res, i, 3));
        char *reason = text_clean(said, 0);
        free(said);
        if (*PQgetvalue(res, i, 1))
            fprintf(stderr, _("%s:%s: column %s = \"%s\": %s\n"), im->path, PQgetvalue(res, i, 0),
                    PQgetvalue(res, i, 1), value, reason);
        else
            fprintf(stderr, "%s:%s: %s: %s\n", im->path, PQgetvalue(res, i, 0), reason, value);
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

static int finish(struct import *im)
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
    long imported = atol(PQgetvalue(res, 0, 0)), rejected = atol(PQgetvalue(res, 0, 1));
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

static int encoding_name(struct cli *cli, const char *arg, const char **out)
{
    static const char *const names[][2] = {
        { "utf8", "UTF8" }, { "utf-8", "UTF8" }, { "gb18030", "GB18030" }, { "gbk", "GBK" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(arg, names[i][0]) == 0) {
            *out = names[i][1];
            return CLI_OK;
        }
    return cli_fail(cli, CLI_USAGE, _("unknown --encoding \"%s\": one of UTF8, GB18030, GBK"), arg);
}

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "encoding", required_argument, NULL, 'e' },
        { "dry-run", no_argument, NULL, 'n' },
        { "skip-bad", no_argument, NULL, 's' },
        { "rejects", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    struct import im = { .cli = cli, .encoding = "UTF8", .line = 1, .declared = (iconv_t)-1,
                          .utf8 = (iconv_t)-1 };
    int c, code;

    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_import, c, optarg))
            continue;
        switch (c) {
        case 'e':
            if ((code = encoding_name(cli, optarg, &im.encoding)))
                return code;
            break;
        case 'n':
            im.dry_run = 1;
            break;
        case 's':
            im.skip_bad = 1;
            break;
        case 'r':
            im.rejects = optarg;
            break;
        default:
            return cli_usage_error(cli, &cmd_import);
        }
    }
    if (argc - optind != 2)
        return cli_fail(cli, CLI_USAGE, _("name what to import and the file: "
                        "gridctl import grids|departments|staff|cases FILE"));
    im.kind = argv[optind];
    im.path = argv[optind + 1];
    if (strcmp(im.kind, "grids") && strcmp(im.kind, "departments") && strcmp(im.kind, "staff")
        && strcmp(im.kind, "cases"))
        return cli_fail(cli, CLI_USAGE, _("cannot import \"%s\": one of grids, departments, staff, cases"),
                        im.kind);
    if (im.skip_bad && !im.rejects)
        return cli_fail(cli, CLI_USAGE, _("--skip-bad needs --rejects FILE, so no bad row is lost"));
    if (cli->format == CLI_CSV)
        return cli_fail(cli, CLI_USAGE, _("import prints a summary: --format table or json"));

    if (strcmp(im.path, "-") == 0) {
        im.in = stdin;
        im.path = "stdin";
    } else if ((im.in = fopen(im.path, "rb")) == NULL) {
        return cli_fail(cli, CLI_USAGE, _("cannot open %s: %s"), im.path, strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(im.in), &st) == 0 && S_ISREG(st.st_mode))
        im.size = st.st_size;
    im.declared = iconv_open("UTF-8", strcmp(im.encoding, "UTF8") == 0 ? "UTF-8" : im.encoding);
    if (im.declared == (iconv_t)-1)
        return cli_fail(cli, CLI_DB, _("cannot read %s as %s: %s"), im.path, im.encoding,
                        strerror(errno));
    if (strcmp(im.encoding, "UTF8") != 0)
        im.utf8 = iconv_open("UTF-8", "UTF-8");

    code = cli_connect(cli);
    if (code == CLI_OK) {
        /* The staging table is temporary: it lives in the session's own
         * buffers, which are 8 MB unless asked for before its first use;
         * the checked rows are held once more while they are written. Room
         * for the file in both keeps a million rows off the disk. A pipe's
         * size is unknown: the server's defaults then. */
        long mb = (long)(im.size >> 20);
        if (mb > 0) {
            char buffers[24], mem[24];
            snprintf(buffers, sizeof buffers, "%ldMB", mb * 2 + 16 > 4096 ? 4096 : mb * 2 + 16);
            snprintf(mem, sizeof mem, "%ldMB", mb * 2 + 64 > 2048 ? 2048 : mb * 2 + 64);
            const char *params[] = { buffers, mem };
            PGresult *res = cli_exec(cli, "SELECT set_config('temp_buffers', $1, false),"
                                     " set_config('work_mem', $2, false)", 2, params, &code);
            PQclear(res);
        }
    }
    if (code == CLI_OK) {
        PGresult *res = cli_exec(cli, "BEGIN", 0, NULL, &code);
        PQclear(res);
    }
    if (code == CLI_OK && (code = stream(&im)) == CLI_OK) {
        code = finish(&im); /* says itself what it kept */
    } else {
        if (cli->conn && PQtransactionStatus(cli->conn) != PQTRANS_IDLE)
            PQclear(PQexec(cli->conn, "ROLLBACK"));
        if (code != CLI_USAGE)
            fprintf(stderr, _("gridctl import: nothing was changed\n"));
    }

    if (im.in != stdin)
        fclose(im.in);
    iconv_close(im.declared);
    if (im.utf8 != (iconv_t)-1)
        iconv_close(im.utf8);
    for (int i = 0; i < im.ncols; i++)
        free(im.cols[i]);
    free(im.lines);
    return code;
}

const struct cli_cmd cmd_import = {
    "import", N_("load grids, departments, staff or cases from a CSV file"),
    { N_("usage: gridctl import grids|departments|staff|cases FILE [--encoding E] [--dry-run]\n"
    "                      [--skip-bad --rejects FILE] [--format table|json] [-d CONNINFO]\n"
    "\n"
    "Load a CSV file with a header row naming its columns (any order; see\n"
    "gridctl(1) for each kind's columns). FILE - reads standard input.\n"
    "All or nothing: if any row is bad, each problem is printed with its line,\n"
    "column and value, and nothing changes. Imported cases get an event each,\n"
    "and open consoles show them at once.\n"
    "\n"
    "  --encoding E     UTF8 (default), GB18030 or GBK (files saved from Excel);\n"
    "                   a file in another encoding, or mixing UTF-8 rows with\n"
    "                   others, is refused, not imported\n"
    "  --dry-run        check everything and say what would happen; change nothing;\n"
    "                   exit 1 if it would not import (a bad row), 0 if it would\n"
    "  --skip-bad       import the good rows; needs --rejects\n"
    "  --rejects FILE   write the bad rows there, with the reason, in the file's\n"
    "                   columns and encoding: fix them and import that file\n"
    "  --format F       table (default) or json: the summary\n") },
    run,
};
