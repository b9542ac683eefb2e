/* One case: every field, the reporter (masked unless the role may see the
 * phone), and the timeline, kept live by the feed. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* label shown (translated), column of gd_case_detail */
static const char *const fields[][2] = {
    { N_("ref"), "ref" },           { N_("status"), "status" },
    { N_("merged into"), "merged_into" }, { N_("merged"), "merged_refs" },
    { N_("title"), "title" },       { N_("category"), "category_name" },
    { N_("priority"), "priority" }, { N_("district"), "district_name" },
    { N_("grid"), "grid" },         { N_("location"), "location" },
    { N_("department"), "department_name" },
    /* TRANSLATORS: the assisting departments (协办), each with its part's state and deadline */
    { N_("assisting"), "parts" },
    { N_("mediator"), "mediator_name" },
    { N_("reporter"), "reporter_name" }, { N_("phone"), "reporter_phone" },
    { N_("kind"), "reporter_kind" }, { N_("reported"), "reported" },
    { N_("due"), "due" },           { N_("outcome"), "outcome" },
    { N_("version"), "version" },   { N_("updated"), "updated" },
    { N_("description"), "description" },
    /* TRANSLATORS: open cases that may report the same incident (疑似重复) */
    { N_("duplicates?"), "candidates" },
};

/* the assisting departments' parts, a line each ("CODE STATUS DUE"), with
 * each state named in the interface language */
static const char *shown_parts(const char *value)
{
    static char out[2048];
    char code[64], status[32];
    size_t len = 0;
    int used;
    out[0] = '\0';
    while (len < sizeof out && sscanf(value, "%63s %31s%n", code, status, &used) == 2) {
        value += used;
        const char *eol = strchr(value, '\n');
        int rest = eol ? (int)(eol - value) : (int)strlen(value);
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s %s%.*s", len ? "\n" : "", code,
                                i18n_status(status), rest, value);
        value += rest + (eol != NULL);
    }
    return out;
}

/* codes shown by their names in the interface language */
static const char *shown_value(const char *column, const char *value)
{
    static char prio[64];
    if (strcmp(column, "priority") == 0) {
        snprintf(prio, sizeof prio, "%s %s", value, i18n_priority(value));
        return prio;
    }
    if (strcmp(column, "parts") == 0)
        return shown_parts(value);
    return i18n_value(column, value);
}

/* The fields of the open case, cleaned and wrapped once for each result
 * and width: a field can hold a megabyte, and a frame draws only the lines
 * that show. */
struct detail_line {
    const char *label; /* translated, or "" on a field's later lines */
    size_t off;        /* of the line's text in text */
};

struct detail_lines {
    unsigned seq; /* a->detail_seq and the width they were wrapped for */
    int width;
    struct detail_line *lines;
    size_t n;
    char *text; /* every line, each ending in '\0' */
    size_t len;
};

void detail_free(struct app *a)
{
    if (a->detail_lines == NULL)
        return;
    free(a->detail_lines->lines);
    free(a->detail_lines->text);
    free(a->detail_lines);
    a->detail_lines = NULL;
}

/* one field's lines, appended to d */
static void wrap_field(struct detail_lines *d, const char *label, const char *value)
{
    /* a description keeps its lines; each is still cleaned */
    char *clean = text_clean(value, TEXT_KEEP_NEWLINES);
    struct text_line *cut;
    size_t n = text_wrap(clean, d->width, &cut);
    d->lines = xrealloc(d->lines, (d->n + n) * sizeof *d->lines);
    d->text = xrealloc(d->text, d->len + strlen(clean) + n + 1);
    for (size_t i = 0; i < n; i++) {
        d->lines[d->n++] = (struct detail_line){ i == 0 ? label : "", d->len };
        memcpy(d->text + d->len, clean + cut[i].off, cut[i].len);
        d->len += cut[i].len;
        d->text[d->len++] = '\0';
    }
    free(cut);
    free(clean);
}

/* the lines of the case on hand at this width, wrapped only when either
 * changed since the last frame */
static const struct detail_lines *wrapped(struct app *a)
{
    int width = a->cols - 13 > 1 ? a->cols - 13 : 1;
    struct detail_lines *d = a->detail_lines;
    if (d && d->seq == a->detail_seq && d->width == width)
        return d;
    detail_free(a);
    d = a->detail_lines = xcalloc(1, sizeof *d);
    d->seq = a->detail_seq;
    d->width = width;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        int f = PQfnumber(a->detail, fields[i][1]);
        if (f < 0 || PQgetisnull(a->detail, 0, f) || !*PQgetvalue(a->detail, 0, f))
            continue;
        wrap_field(d, _(fields[i][0]), shown_value(fields[i][1], PQgetvalue(a->detail, 0, f)));
    }
    return d;
}

static void put_line(struct app *a, int y, const char *label, const char *value)
{
    attrset(A_BOLD);
    draw_text(y, 0, label, 12);
    attrset(A_NORMAL);
    draw_text(y, 13, value, a->cols - 13);
}

/* line i of the screen's text: the fields, a blank, then the timeline */
static void draw_line(struct app *a, const struct detail_lines *d, size_t i, int y)
{
    if (i < d->n) {
        put_line(a, y, d->lines[i].label, d->text + d->lines[i].off);
        return;
    }
    if (i == d->n + 1)
        put_line(a, y, _("timeline"), "");
    if (i < d->n + 2)
        return;
    int r = (int)(i - d->n - 2);
    char what[512];
    const PGresult *t = a->timeline;
    const char *kind = i18n_event(PQgetvalue(t, r, PQfnumber(t, "kind")));
    /* the kind padded to 10 columns of display width, Chinese or not */
    int pad = 10 - text_width(kind);
    snprintf(what, sizeof what, "%s%*s %s  %s", kind, pad > 0 ? pad : 0, "",
             PQgetvalue(t, r, PQfnumber(t, "actor")), PQgetvalue(t, r, PQfnumber(t, "details")));
    put_line(a, y, PQgetvalue(t, r, PQfnumber(t, "at")), what);
}

static void draw(struct app *a)
{
    attrset(A_BOLD);
    int x = draw_text(0, 0, _("griddesk  case "), a->cols);
    draw_text(0, x, a->detail_ref, a->cols - x);
    attrset(A_NORMAL);
    if (a->detail == NULL || PQntuples(a->detail) != 1
        || strcmp(PQgetvalue(a->detail, 0, PQfnumber(a->detail, "ref")), a->detail_ref) != 0) {
        draw_text(2, 2, _("loading…"), a->cols - 2);
        return;
    }
    const struct detail_lines *d = wrapped(a);
    size_t lines = d->n + 2 + (a->timeline ? (size_t)PQntuples(a->timeline) : 0);
    size_t body = a->rows > 2 ? (size_t)a->rows - 2 : 1; /* between the header and the bar */
    /* scrolling stops where the last page is full */
    if (a->detail_top < 0 || lines <= body)
        a->detail_top = 0;
    else if ((size_t)a->detail_top > lines - body)
        a->detail_top = (int)(lines - body);
    for (size_t i = 0; i < body && (size_t)a->detail_top + i < lines; i++)
        draw_line(a, d, (size_t)a->detail_top + i, 1 + (int)i);
}

static int key(struct app *a, wint_t ch, bool is_key)
{
    (void)a;
    (void)ch;
    (void)is_key;
    return KEY_NONE;
}

/* the open case is read afresh each time the view is entered */
static bool enter(struct app *a)
{
    live_reload_detail(a);
    return true;
}

const struct view view_detail = { "case", draw, key, enter };
