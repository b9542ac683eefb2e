/* One case: every field, the reporter (masked unless the role may see the
 * phone), and the timeline, kept live by the feed. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* label shown (translated), column of gd_case_detail */
static const char *const fields[][2] = {
    { N_("ref"), "ref" },           { N_("status"), "status" },
    { N_("title"), "title" },       { N_("category"), "category_name" },
    { N_("priority"), "priority" }, { N_("district"), "district_name" },
    { N_("grid"), "grid" },         { N_("location"), "location" },
    { N_("department"), "department_name" }, { N_("mediator"), "mediator_name" },
    { N_("reporter"), "reporter_name" }, { N_("phone"), "reporter_phone" },
    { N_("kind"), "reporter_kind" }, { N_("reported"), "reported" },
    { N_("due"), "due" },           { N_("outcome"), "outcome" },
    { N_("version"), "version" },   { N_("updated"), "updated" },
    { N_("description"), "description" },
};

/* codes shown by their names in the interface language */
static const char *shown_value(const char *column, const char *value)
{
    static char prio[64];
    if (strcmp(column, "priority") == 0) {
        snprintf(prio, sizeof prio, "%s %s", value, i18n_priority(value));
        return prio;
    }
    return i18n_value(column, value);
}

static int put_line(struct app *a, int *line, const char *label, const char *value)
{
    int y = 1 + *line - a->detail_top;
    (*line)++;
    if (y < 1 || y >= a->rows - 1)
        return 0;
    attrset(A_BOLD);
    draw_text(y, 0, label, 12);
    attrset(A_NORMAL);
    return draw_text(y, 13, value, a->cols - 13);
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
    int line = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        int f = PQfnumber(a->detail, fields[i][1]);
        if (f < 0 || PQgetisnull(a->detail, 0, f) || !*PQgetvalue(a->detail, 0, f))
            continue;
        /* a description keeps its lines; each is still cleaned */
        char *text = text_clean(shown_value(fields[i][1], PQgetvalue(a->detail, 0, f)),
                                TEXT_KEEP_NEWLINES);
        const char *label = _(fields[i][0]);
        for (char *s = text; s;) {
            char *nl = strchr(s, '\n');
            if (nl)
                *nl = '\0';
            /* wrap by display width, never inside a character */
            const char *rest = s;
            do {
                size_t cut = text_fit(rest, a->cols - 13 > 1 ? a->cols - 13 : 1, NULL);
                if (cut == 0)
                    cut = strlen(rest);
                char keep = rest[cut];
                ((char *)rest)[cut] = '\0';
                put_line(a, &line, label, rest);
                ((char *)rest)[cut] = keep;
                label = "";
                rest += cut;
            } while (*rest);
            s = nl ? nl + 1 : NULL;
        }
        free(text);
    }
    line++;
    put_line(a, &line, _("timeline"), "");
    for (int r = 0; a->timeline && r < PQntuples(a->timeline); r++) {
        char what[512];
        const char *kind = i18n_event(PQgetvalue(a->timeline, r, 1));
        /* the kind padded to 10 columns of display width, Chinese or not */
        int pad = 10 - text_width(kind);
        snprintf(what, sizeof what, "%s%*s %s  %s", kind, pad > 0 ? pad : 0, "",
                 PQgetvalue(a->timeline, r, 2), PQgetvalue(a->timeline, r, 3));
        put_line(a, &line, PQgetvalue(a->timeline, r, 0), what);
    }
    if (a->detail_top > line - 1)
        a->detail_top = line > 0 ? line - 1 : 0;
}

static int key(struct app *a, wint_t ch, bool is_key)
{
    (void)a;
    (void)ch;
    (void)is_key;
    return KEY_NONE;
}

const struct view view_detail = { "case", draw, key };
