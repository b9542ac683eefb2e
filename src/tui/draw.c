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
    if (s < 3600)
        snprintf(out, n, "%s%dm", sign, (int)(s / 60));
    else if (s < 86400)
        snprintf(out, n, "%s%dh%02d", sign, (int)(s / 3600), (int)(s / 60) % 60);
    else
        snprintf(out, n, "%s%dd%02dh", sign, (int)(s / 86400), (int)(s / 3600) % 24);
}

static const char *connection_label(const struct app *a, char *buf, size_t n)
{
    if (a->db.state == PGC_UP && a->live)
        return a->may_write ? _(" live ") : _(" live, read-only ");
    if (a->db.state == PGC_UP || a->db.state == PGC_CONNECTING)
        return _(" connecting ");
    snprintf(buf, n, _(" reconnecting in %d s "), pgc_retry_in(&a->db));
    return buf;
}

void draw_status(struct app *a)
{
    int y = a->rows - 1;
    char conn[64], right[160], clock[16];
    const char *label = connection_label(a, conn, sizeof conn);
    bool up = a->db.state == PGC_UP && a->live;

    attrset(term_attr(a, PAIR_BAR, A_REVERSE));
    draw_pad(y, 0, a->cols);
    attrset(up ? term_attr(a, PAIR_LIVE, A_BOLD | A_REVERSE)
               : term_attr(a, PAIR_DOWN, A_BOLD | A_REVERSE | A_BLINK));
    int x = draw_text(y, 0, label, a->cols);
    attrset(term_attr(a, PAIR_BAR, A_REVERSE));

    time_t now = time(NULL);
    strftime(clock, sizeof clock, "%H:%M:%S", localtime(&now));
    snprintf(right, sizeof right, _(" %s | %ld cases | %ld overdue | %s "),
             a->role[0] ? a->role : "?", a->total, a->overdue, clock);
    int rw = text_width(right);
    if (a->db.state != PGC_UP && a->db.error[0])
        draw_text(y, x + 1, a->db.error, a->cols - x - rw - 1);
    /* a refusal must be read whole: it gets the line above the bar */
    if (uv_now(a->loop) < a->message_until && y > 0) {
        attrset(A_BOLD);
        draw_pad(y - 1, 0, a->cols);
        draw_text(y - 1, 0, a->message, a->cols);
        attrset(term_attr(a, PAIR_BAR, A_REVERSE));
    }
    if (a->cols - rw > x)
        draw_text(y, a->cols - rw, right, rw);
    attrset(A_NORMAL);
}
