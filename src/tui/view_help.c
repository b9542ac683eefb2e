/* Help: drawn from the key table the dispatcher reads. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"

#include <curses.h>

static void draw(struct app *a)
{
    static const char *const view_names[VIEW_COUNT] = { N_("queue"), N_("case"), N_("help"),
                                                        N_("dispatch"), N_("supervision") };
    attrset(A_BOLD);
    draw_text(0, 0, _("griddesk  keys  (Esc or ? to go back)"), a->cols);
    attrset(A_NORMAL);
    int lines = 0, body = a->rows - 4; /* the last row is for "more below" */
    for (const struct key_binding *k = a->bindings; k->act; k++)
        lines += k->name != NULL;
    /* scrolling stops where the last page is full */
    if (a->detail_top > lines - body)
        a->detail_top = lines - body > 0 ? lines - body : 0;
    int line = 0;
    for (const struct key_binding *k = a->bindings; k->act; k++) {
        if (k->name == NULL)
            continue;
        int y = 2 + line++ - a->detail_top;
        if (y < 2 || y >= a->rows - 2)
            continue;
        char where[32] = "";
        int n = 0;
        for (int v = 0; v < VIEW_COUNT; v++)
            if (k->views & (1u << v))
                n += snprintf(where + n, sizeof where - (size_t)n, "%s%s", n ? "," : "",
                              _(view_names[v]));
        attrset(A_BOLD);
        draw_text(y, 2, k->name, 10);
        attrset(A_NORMAL);
        draw_text(y, 13, _(k->help), a->cols - 34);
        if (a->cols > 60)
            draw_text(y, a->cols - 18, where, 18);
    }
    if (2 + line - a->detail_top > a->rows - 2) {
        attrset(A_BOLD);
        draw_text(a->rows - 2, 2, _("more below: PgDn or j"), a->cols - 2);
        attrset(A_NORMAL);
    }
}

static int key(struct app *a, wint_t ch, bool is_key)
{
    (void)a;
    (void)ch;
    (void)is_key;
    return KEY_NONE;
}

const struct view view_help = { "help", draw, key, NULL };
