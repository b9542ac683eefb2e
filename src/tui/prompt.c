/* A one-line editor at the bottom of the screen, for / and f and the text
 * an action needs. Wide characters in, so operators can search in Chinese. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

void prompt_open(struct app *a, int target, const char *label,
                 void (*done)(struct app *a, const char *line))
{
    struct prompt *p = &a->prompt;
    memset(p, 0, sizeof *p);
    p->active = true;
    p->target = target;
    p->done = done;
    snprintf(p->label, sizeof p->label, "%s", label);
    if (target < FILTER_COUNT && a->filter[target])
        p->len = (int)mbstowcs(p->buf, a->filter[target], sizeof p->buf / sizeof *p->buf - 1);
    if (p->len < 0)
        p->len = 0;
    p->buf[p->len] = L'\0';
}

static void set_filter(struct app *a, int which, const char *value)
{
    free(a->filter[which]);
    a->filter[which] = value && *value ? xstrdup(value) : NULL;
}

/* "status=new,dispatched district=蓬江区": a key's first letter is enough */
static int apply_filters(struct app *a, char *line)
{
    for (char *tok = line + strspn(line, " "); *tok; tok += strspn(tok, " ")) {
        char *end = tok + strcspn(tok, " ");
        char *next = *end ? end + 1 : end;
        *end = '\0';
        char *eq = strchr(tok, '=');
        int which = -1;
        if (eq == NULL || eq == tok) {
            app_message(a, _("filter \"%s\": write key=value, e.g. district=蓬江区"), tok);
            return -1;
        }
        *eq = '\0';
        for (int i = FILTER_STATUS; i < FILTER_COUNT; i++)
            if (strncmp(filter_names[i], tok, strlen(tok)) == 0)
                which = i;
        if (which < 0) {
            app_message(a, _("unknown filter \"%s\": status, district, category or priority"), tok);
            return -1;
        }
        set_filter(a, which, eq + 1);
        tok = next;
    }
    return 0;
}

static void commit(struct app *a)
{
    struct prompt *p = &a->prompt;
    char line[sizeof p->buf * 2];
    p->buf[p->len] = L'\0';
    if (wcstombs(line, p->buf, sizeof line) == (size_t)-1)
        line[0] = '\0';
    if (p->done) {
        p->done(a, line);
        return;
    }
    for (int i = 0; i < FILTER_COUNT; i++) /* kept until the server accepts the change */
        a->undo[i] = a->filter[i] ? xstrdup(a->filter[i]) : NULL;
    a->undo_pending = true;
    int r = 0;
    if (p->target == FILTER_COUNT)
        r = apply_filters(a, line);
    else
        set_filter(a, p->target, line);
    if (r < 0) {
        queue_restore_filters(a);
        return;
    }
    a->sel = 0;
    a->sel_ref[0] = '\0';
    queue_top(a);
}

int prompt_key(struct app *a, wint_t ch, bool is_key)
{
    struct prompt *p = &a->prompt;
    bool enter = (is_key && ch == KEY_ENTER) || (!is_key && (ch == L'\r' || ch == L'\n'));
    /* An action's prompt names the case it changes: an Enter typed before
     * that was on the screen does not send it. A filter may be typed ahead. */
    if (enter && p->target >= PROMPT_ACTION && !p->shown)
        return KEY_NONE;
    if (enter) {
        p->active = false;
        commit(a);
    } else if (!is_key && ch == CH_ESC) {
        p->active = false;
    } else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == CH_DEL || ch == CH_BS))) {
        if (p->len > 0)
            p->len--;
    } else if (!is_key && ch == 21) { /* Ctrl-U */
        p->len = 0;
    } else if (!is_key && iswprint(ch) && p->len < (int)(sizeof p->buf / sizeof *p->buf) - 1) {
        p->buf[p->len++] = (wchar_t)ch;
    }
    p->buf[p->len] = L'\0';
    return KEY_REDRAW;
}

void prompt_draw(struct app *a)
{
    struct prompt *p = &a->prompt;
    char line[sizeof p->buf * 2];
    int y = a->rows - 1;
    if (wcstombs(line, p->buf, sizeof line) == (size_t)-1)
        line[0] = '\0';
    attrset(A_BOLD);
    draw_pad(y, 0, a->cols);
    int x = draw_text(y, 0, p->label, a->cols);
    /* show the end of a long line: that is where the typing is */
    int room = a->cols - x - 1, w = text_width(line);
    const char *shown = line;
    while (w > room && *shown) {
        shown++;
        while ((*shown & 0xc0) == 0x80)
            shown++;
        w = text_width(shown);
    }
    x += draw_text(y, x, shown, room);
    attrset(A_REVERSE);
    mvaddch(y, x, ' ');
    attrset(A_NORMAL);
    p->shown = true;
}
