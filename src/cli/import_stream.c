/* gridctl import: the file into COPY, record by record. PostgreSQL parses
 * the CSV and converts the encoding; this part only finds where records
 * end, so each staged row carries the line it came from, sets aside a
 * record with the wrong number of fields instead of stopping COPY, and
 * notes the bytes that do not fit the encoding named. */
#include "griddesk/import.h"
#include "griddesk/i18n.h"
#include "griddesk/records.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CHUNK = 1 << 20 };

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
        if (i >= IMPORT_MAX_COLS || record_field(body, len, i, name, sizeof name) < 0)
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

/* The header: the columns checked against what the kind takes, then COPY
 * started with them. known holds the kind's columns until the end. */
static int begin(struct import *im, const char *rec, const struct record *r, PGresult **known)
{
    int err;
    const char *params[] = { im->kind };
    *known = cli_exec(im->cli, "SELECT col, required FROM gd_import_begin($1)", 1, params, &err);
    int code = *known ? read_header(im, rec, r->body, r->fields, *known) : err;
    if (code == CLI_OK)
        code = start_copy(im);
    im->line += 1 + r->newlines;
    return code;
}

/* COPY's end, and what it said; then what the bytes of the whole file say */
static int end_copy(struct import *im, int code)
{
    if (PQputCopyEnd(im->cli->conn, code == CLI_OK ? NULL : "gridctl import stopped") != 1)
        return cli_fail(im->cli, CLI_DB, "%s", PQerrorMessage(im->cli->conn));
    PGresult *res;
    int copy_code = CLI_OK;
    while ((res = PQgetResult(im->cli->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && code == CLI_OK && copy_code == CLI_OK)
            copy_code = copy_failed(im, res);
        PQclear(res);
    }
    if (code != CLI_OK || copy_code != CLI_OK)
        return code ? code : copy_code;
    if (im->utf8_line && !im->other_line)
        return cli_fail(im->cli, CLI_REFUSED,
                        _("%s:%ld: the file is UTF-8, not %s: import it without --encoding"),
                        im->path, im->utf8_line, im->encoding);
    if (im->utf8_line && im->other_line) {
        code = cli_fail(im->cli, CLI_REFUSED,
                        _("%s:%ld: this row is UTF-8, but line %ld is not: the file mixes encodings"),
                        im->path, im->utf8_line, im->other_line);
        fprintf(stderr, "  %s\n", _("save the whole file again in one encoding (in Excel: "
                                    "Save As, CSV UTF-8) and import that"));
    }
    return code;
}

/* where the stream stands: the header read yet, the COPY begun, the bytes
 * of the file done */
struct stream {
    struct outbuf o;
    PGresult *known; /* the columns the server knows for this kind */
    int header, copying;
    off_t done;
};

/* The whole records at the start of buf: the header begins the COPY, the
 * others are staged. Returns the bytes they took. */
static size_t take_records(struct import *im, struct stream *st, const char *buf, size_t n,
                           int at_end, int *code)
{
    size_t used = 0;
    struct record r;
    while (*code == CLI_OK && record_next(buf + used, n - used, at_end, &r)) {
        const char *rec = buf + used;
        if (st->header && st->done == 0 && r.body >= 3 && memcmp(rec, "\xef\xbb\xbf", 3) == 0) {
            /* Excel's "CSV UTF-8" starts with a byte-order mark */
            if (strcmp(im->encoding, "UTF8") != 0 && !im->utf8_line)
                im->utf8_line = im->line;
            rec += 3;
            r.body -= 3;
        }
        if (st->header) {
            st->header = 0;
            st->copying = (*code = begin(im, rec, &r, &st->known)) == CLI_OK;
        } else if (r.body == 0 && r.fields == 1) {
            im->line++; /* blank lines carry nothing */
        } else {
            check_bytes(im, rec, r.body);
            stage(im, &st->o, rec, &r);
        }
        used += r.len;
        st->done += (off_t)r.len;
    }
    return used;
}

/* more of the file after the n bytes on hand; *at_end once it has no more */
static int fill(struct import *im, char *buf, size_t cap, size_t *n, int *at_end)
{
    size_t got = fread(buf + *n, 1, cap - *n, im->in);
    if (got == 0 && ferror(im->in))
        return cli_fail(im->cli, CLI_REFUSED, _("cannot read %s: %s"), im->path, strerror(errno));
    *at_end = got == 0;
    *n += got;
    return CLI_OK;
}

int import_stream(struct import *im)
{
    size_t cap = CHUNK, n = 0;
    char *buf = xmalloc(cap);
    struct stream st = { .header = 1 };
    int code = CLI_OK, at_end = 0;

    while (code == CLI_OK) {
        if (!at_end && n < cap && (code = fill(im, buf, cap, &n, &at_end)))
            break;
        size_t used = take_records(im, &st, buf, n, at_end, &code);
        if (code == CLI_OK && st.o.len >= CHUNK / 2)
            code = send(im, &st.o);
        memmove(buf, buf + used, n - used);
        n -= used;
        if (at_end && n == 0)
            break;
        if (n == cap) /* one record longer than the buffer */
            buf = xrealloc(buf, cap *= 2);
        progress(im, st.done, 0);
    }
    if (code == CLI_OK && st.header)
        code = cli_fail(im->cli, CLI_REFUSED, _("%s is empty: the first line must name the columns"),
                        im->path);
    if (code == CLI_OK)
        code = send(im, &st.o);
    PQclear(st.known);
    free(buf);
    free(st.o.p);
    if (!st.copying)
        return code;
    progress(im, st.done, 1);
    return end_copy(im, code);
}

