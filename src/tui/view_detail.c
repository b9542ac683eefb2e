/* One case: every field, the reporter (masked unless the role may see the
 * phone), and the timeline, kept live by the feed. */
#include "griddesk/tui.h"
#include "griddesk/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

static const char *const fields[][2] = {
    { "ref", "ref" },           { "status", "status" },
    { "title", "title" },       { "category", "category_name" },
    { "priority", "priority" }, { "district", "district_name" },
    { "grid", "grid" },         { "location", "location" },
    { "department", "department_name" }, { "mediator", "mediator_name" },
    { "reporter", "reporter_name" }, { "phone", "reporter_phone" },
    { "kind", "reporter_kind" }, { "reported", "reported" },
    { "due", "due" },           { "outcome", "outcome" },
    { "version", "version" },   { "updated", "updated" },
    { "description", "description" },
};

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
    int x = draw_text(0, 0, "griddesk  case ", a->cols);
    draw_text(0, x, a->detail_ref, a->cols - x);
    attrset(A_NORMAL);
    if (a->detail == NULL || PQntuples(a->detail) != 1
        || strcmp(PQgetvalue(a->detail, 0, PQfnumber(a->detail, "ref")), a->detail_ref) != 0) {
        draw_text(2, 2, "loading…", a->cols - 2);
        return;
    }
    int line = 0;
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        int f = PQfnumber(a->detail, fields[i][1]);
        if (f < 0 || PQgetisnull(a->detail, 0, f) || !*PQgetvalue(a->detail, 0, f))
            continue;
        /* a description keeps its lines; each is still cleaned */
        char *text = text_clean(PQgetvalue(a->detail, 0, f), TEXT_KEEP_NEWLINES);
        const char *label = fields[i][0];
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
    put_line(a, &line, "timeline", "");
    for (int r = 0; a->timeline && r < PQntuples(a->timeline); r++) {
        char what[512];
        snprintf(what, sizeof what, "%-10s %s  %s", PQgetvalue(a->timeline, r, 1),
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
