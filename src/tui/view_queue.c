/* The queue, the home screen: one line a case, urgent first, then overdue,
 * then oldest waiting. On a narrow screen the title shrinks first, then
 * whole columns give way, least needed first (see give_way). */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct column {
    const char *head;
    int width;
    int min_cols; /* shown only on a screen at least this wide */
};

enum { C_MARK, C_REF, C_AGE, C_PRIO, C_STATUS, C_CATEGORY, C_DISTRICT, C_TITLE, C_DEPT,
       C_MEDIATOR, C_LEFT, C_COUNT };

static const struct column columns[C_COUNT] = {
    /* TRANSLATORS: column heads of the queue, cut to the width (2nd number) */
    [C_MARK] = { "", 1, 0 },              [C_REF] = { N_("REF"), 16, 0 },
    [C_AGE] = { N_("AGE"), 6, 0 },        [C_PRIO] = { N_("P"), 1, 0 },
    [C_STATUS] = { N_("STATUS"), 10, 0 }, [C_CATEGORY] = { N_("CATEGORY"), 8, 0 },
    [C_DISTRICT] = { N_("DISTRICT"), 6, 0 }, [C_TITLE] = { N_("TITLE"), 0, 0 },
    [C_DEPT] = { N_("DEPT"), 6, 100 },    [C_MEDIATOR] = { N_("MEDIATOR"), 8, 120 },
    [C_LEFT] = { N_("LEFT"), 6, 0 },
};

/* The priority column holds one digit, and its head must still show: in
 * Chinese that head is two columns wide. Other heads are cut to fit. */
static int col_width(int c)
{
    int head = c == C_PRIO ? text_width(_(columns[c].head)) : 0;
    return head > columns[c].width ? head : columns[c].width;
}

/* The reference is what operators read aloud: it shows whole, as wide as
 * the longest in the window on hand (a day's 10,000th case has a five-digit
 * counter, and the city prefix may be longer than "JM"). */
static int ref_width(const struct app *a)
{
    int w = 0;
    for (int r = 0; r < queue_rows(a); r++) {
        int rw = text_width(queue_get(a, r, "ref"));
        if (rw > w)
            w = rw;
    }
    return w;
}

/* The lead department, and how many departments assist it (联办) */
static void dept_text(const struct app *a, int row, char *out, size_t n)
{
    int assisting = atoi(queue_get(a, row, "assisting"));
    if (assisting > 0)
        snprintf(out, n, "%s+%d", queue_get(a, row, "department"), assisting);
    else
        snprintf(out, n, "%s", queue_get(a, row, "department"));
}

/* as wide as the widest in the window: the +N of joint handling shows whole */
static int dept_width(const struct app *a)
{
    int w = 0;
    char text[64];
    for (int r = 0; r < queue_rows(a); r++) {
        dept_text(a, r, text, sizeof text);
        if (text_width(text) > w)
            w = text_width(text);
    }
    return w;
}

enum { TITLE_MIN = 4, STATUS_MIN = 4, HIDDEN = -1 };

/* When the title is down to its minimum and the screen is still too narrow,
 * columns go in this order. The reference, priority, status and time left
 * stay longest (all four fit in 38 columns); below that the status is cut,
 * then goes, then the new-arrival mark and the priority (the order of the
 * rows still puts urgent cases first). The time left and the reference
 * stay to the end. */
static const int give_way[] = { C_MEDIATOR, C_DEPT, C_CATEGORY, C_DISTRICT, C_AGE, C_TITLE,
                                C_STATUS, C_MARK, C_PRIO, C_LEFT };

/* columns of a line: each shown column and the space after it, less the last space */
static int line_width(const int w[C_COUNT])
{
    int used = -1;
    for (int c = 0; c < C_COUNT; c++)
        if (w[c] != HIDDEN)
            used += w[c] + 1;
    return used;
}

/* this frame's column widths, HIDDEN for a column that gave way; the title
 * takes what the others leave */
static void layout(const struct app *a, int w[C_COUNT])
{
    for (int c = 0; c < C_COUNT; c++)
        w[c] = a->cols >= columns[c].min_cols ? col_width(c) : HIDDEN;
    int refs = ref_width(a), depts = dept_width(a);
    if (refs > w[C_REF])
        w[C_REF] = refs;
    if (w[C_DEPT] != HIDDEN && depts > w[C_DEPT])
        w[C_DEPT] = depts;
    w[C_TITLE] = TITLE_MIN;
    for (size_t i = 0; i < sizeof give_way / sizeof *give_way; i++) {
        int over = line_width(w) - a->cols, c = give_way[i];
        if (over <= 0)
            break;
        if (c == C_STATUS && w[c] != HIDDEN && w[c] - over >= STATUS_MIN) {
            w[c] -= over; /* cut, not gone: "dispatched" still reads "disp" */
            break;
        }
        w[c] = HIDDEN;
    }
    if (w[C_TITLE] != HIDDEN && line_width(w) < a->cols)
        w[C_TITLE] += a->cols - line_width(w);
}

static int cell(int y, int x, const int w[C_COUNT], int c, const char *text)
{
    draw_text(y, x, text, w[c]);
    return x + w[c] + 1;
}

static void draw_row(struct app *a, int y, int row, const int w[C_COUNT], double now,
                     uint64_t now_ms)
{
    char age[16], left[16], dept[64];
    bool selected = row == a->sel;
    int64_t id = strtoll(queue_get(a, row, "id"), NULL, 10);
    bool fresh = live_recent(a, id, now_ms);
    const char *due = queue_get(a, row, "due_epoch");
    bool overdue = *due && atof(due) < now;
    bool urgent = strcmp(queue_get(a, row, "priority"), "1") == 0;

    draw_format_age(age, sizeof age, now - atof(queue_get(a, row, "reported_epoch")));
    if (*due)
        draw_format_age(left, sizeof left, atof(due) - now);
    else
        left[0] = '\0';

    int base = selected ? A_REVERSE : A_NORMAL;
    if (fresh)
        base |= A_BOLD;
    attrset(base);
    draw_pad(y, 0, a->cols);
    int x = 0;
    for (int c = 0; c < C_COUNT; c++) {
        if (w[c] == HIDDEN)
            continue;
        int attr = base;
        if (c == C_PRIO && urgent)
            attr |= term_attr(a, PAIR_URGENT, A_BOLD);
        if (c == C_LEFT && overdue)
            attr = term_attr(a, PAIR_OVERDUE, A_REVERSE) | (selected ? A_BOLD : 0);
        if (c == C_MARK && fresh)
            attr |= term_attr(a, PAIR_NEW, A_BOLD);
        attrset(attr);
        const char *text = "";
        switch (c) {
        /* new for ten seconds; else another open report of the same
         * incident, which m merges (并案) */
        case C_MARK: text = fresh ? "*" : strcmp(queue_get(a, row, "duplicates"), "t") == 0 ? "≈" : " "; break;
        case C_REF: text = queue_get(a, row, "ref"); break;
        case C_AGE: text = age; break;
        case C_PRIO: text = queue_get(a, row, "priority"); break;
        case C_STATUS: text = i18n_status(queue_get(a, row, "status")); break;
        case C_CATEGORY: text = queue_get(a, row, "category_name"); break;
        case C_DISTRICT: text = queue_get(a, row, "district_name"); break;
        case C_TITLE: text = queue_get(a, row, "title"); break;
        case C_DEPT: dept_text(a, row, dept, sizeof dept); text = dept; break;
        case C_MEDIATOR: text = queue_get(a, row, "mediator_name"); break;
        case C_LEFT: text = left; break;
        }
        x = cell(y, x, w, c, text);
    }
    attrset(A_NORMAL);
}

static void draw_header(struct app *a, const int w[C_COUNT])
{
    char filters[256] = "";
    size_t len = 0;
    for (int i = 0; i < FILTER_COUNT; i++)
        if (a->filter[i] && len < sizeof filters)
            len += (size_t)snprintf(filters + len, sizeof filters - len, " %s=%s", filter_names[i],
                                    a->filter[i]);
    char where[48];
    long total = a->total;
    snprintf(where, sizeof where, "  %ld/%ld", total && queue_rows(a) ? a->above + a->sel + 1 : 0,
             total);
    attrset(A_BOLD);
    int x = draw_text(0, 0, _("griddesk  queue"), a->cols);
    x += draw_text(0, x, where, a->cols - x);
    if (len)
        x += draw_text(0, x, _("  | filter:"), a->cols - x),
        draw_text(0, x, filters, a->cols - x);
    else
        draw_text(0, x, _("  | open cases, urgent first"), a->cols - x);
    attrset(A_UNDERLINE);
    draw_pad(1, 0, a->cols);
    x = 0;
    for (int c = 0; c < C_COUNT; c++)
        if (w[c] != HIDDEN)
            x = cell(1, x, w, c, *columns[c].head ? _(columns[c].head) : "");
    attrset(A_NORMAL);
}

static void draw(struct app *a)
{
    int w[C_COUNT], n = queue_rows(a), body = a->rows - 3;
    layout(a, w);
    draw_header(a, w);
    if (body < 1)
        return;
    if (a->sel < a->top)
        a->top = a->sel;
    if (a->sel >= a->top + body)
        a->top = a->sel - body + 1;
    if (a->top < 0)
        a->top = 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
    uint64_t now_ms = uv_now(a->loop);
    for (int i = 0; i < body && a->top + i < n; i++)
        draw_row(a, 2 + i, a->top + i, w, now, now_ms);
    if (n == 0)
        draw_text(3, 2, a->queue ? _("no cases in this view") : _("loading…"), a->cols - 2);
}

static int key(struct app *a, wint_t ch, bool is_key)
{
    (void)a;
    (void)ch;
    (void)is_key;
    return KEY_NONE;
}

const struct view view_queue = { "queue", draw, key, NULL };
