/* Drawing helpers: text by display width, and the status line. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int draw_text(int y, int x, const char *s, int cols)
{
    if (cols <= 0 || s == NULL)
        return 0;
    char *clean = text_clean(s, 0);
    int used;
    size_t n = text_fit(clean, cols, &used);
    mvaddnstr(y, x, clean, (int)n);
    free(clean);
    return used;
}

void draw_pad(int y, int x, int cols)
{
    for (int i = 0; i < cols; i++)
        mvaddch(y, x + i, ' ');
}

void draw_format_age(char *out, size_t n, double s)
{
    const char *sign = s < 0 ? "-" : "";
    if (s < 0)
        s = -s;
    enum { MINUTE = 60, HOUR = 3600, DAY = 86400 };
    if (s < HOUR)
        snprintf(out, n, "%s%dm", sign, (int)(s / MINUTE));
    else if (s < DAY)
        snprintf(out, n, "%s%dh%02d", sign, (int)(s / HOUR), (int)(s / MINUTE) % 60);
    else
        snprintf(out, n, "%s%dd%02dh", sign, (int)(s / DAY), (int)(s / HOUR) % 24);
}

/* The connection state, in three lengths; the shortest still tells live
 * from not. */
static void connection_label(const struct app *a, int len, char *buf, size_t n)
{
    bool up = a->db.state == PGC_UP, live = up && a->live;
    bool connecting = up || a->db.state == PGC_CONNECTING;
    if (live)
        snprintf(buf, n, "%s", len == 0 ? (a->may_write ? _(" live ") : _(" live, read-only "))
                               : len == 1 ? _(" live ") : _("live"));
    else if (connecting)
        snprintf(buf, n, "%s", len < 2 ? _(" connecting ") : _("wait"));
    else if (len == 0)
        snprintf(buf, n, _(" reconnecting in %d s "), pgc_retry_in(&a->db));
    else if (len == 1)
        snprintf(buf, n, _(" retry in %d s "), pgc_retry_in(&a->db));
    else
        snprintf(buf, n, "%s", _("retry"));
}

/* The figures on the right, from the widest form down: the role goes
 * first, then the case count, then the clock's seconds, then the words.
 * The overdue count and the clock stay to the end. */
static void figures(const struct app *a, int len, char *buf, size_t n)
{
    char clock[16];
    time_t now = time(NULL);
    strftime(clock, sizeof clock, len < 3 ? "%H:%M:%S" : "%H:%M", localtime(&now));
    if (len == 0)
        snprintf(buf, n, _(" %s | %ld cases | %ld overdue | %s "), a->role[0] ? a->role : "?",
                 a->total, a->overdue, clock);
    else if (len == 1)
        snprintf(buf, n, _(" %ld cases | %ld overdue | %s "), a->total, a->overdue, clock);
    else if (len < 4)
        snprintf(buf, n, _(" %ld overdue | %s "), a->overdue, clock);
    else
        snprintf(buf, n, _(" %ld late %s"), a->overdue, clock);
}

enum { ERROR_MIN = 12 };

/* the forms tried, widest first: lengths of the label and of the figures */
static const int forms[][2] = { { 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 3 }, { 1, 4 },
                                { 2, 4 } };

void draw_status(struct app *a)
{
    int y = a->rows - 1;
    char label[64], right[160];
    bool up = a->db.state == PGC_UP && a->live;
    size_t f = 0;
    for (;; f++) {
        connection_label(a, forms[f][0], label, sizeof label);
        figures(a, forms[f][1], right, sizeof right);
        if (f + 1 == sizeof forms / sizeof *forms
            || text_width(label) + text_width(right) <= a->cols)
            break;
    }

    attrset(term_attr(a, PAIR_BAR, A_REVERSE));
    draw_pad(y, 0, a->cols);
    attrset(up ? term_attr(a, PAIR_LIVE, A_BOLD | A_REVERSE)
               : term_attr(a, PAIR_DOWN, A_BOLD | A_REVERSE | A_BLINK));
    int x = draw_text(y, 0, label, a->cols);
    attrset(term_attr(a, PAIR_BAR, A_REVERSE));

    int rw = text_width(right), room = a->cols - x - rw - 1;
    if (a->db.state != PGC_UP && a->db.error[0] && room >= ERROR_MIN) /* else only a stub */
        draw_text(y, x + 1, a->db.error, room);
    /* a refusal must be read whole: it gets the line above the bar */
    if (uv_now(a->loop) < a->message_until && y > 0) {
        attrset(A_BOLD);
        draw_pad(y - 1, 0, a->cols);
        draw_text(y - 1, 0, a->message, a->cols);
        attrset(term_attr(a, PAIR_BAR, A_REVERSE));
    }
    /* the clock ends the line; the label keeps what is left of it */
    if (rw > a->cols - x)
        rw = a->cols - x;
    draw_text(y, a->cols - rw, right, rw);
    attrset(A_NORMAL);
}
