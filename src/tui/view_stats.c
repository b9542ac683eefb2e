/* Supervision: today and this week of the centre's calendar by district or
 * by department (d switches), as gridctl stats reports them, with the
 * resolution rate drawn as a bar. Refreshed every 5 s while open. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

enum { REFRESH_MS = 5000, BAR = 20 };

static void reload(struct app *a);

static void on_stats(struct app *a, int which, const PGresult *res)
{
    if (a->stats_busy > 0 && --a->stats_busy == 0 && a->stats_again) {
        a->stats_again = false;
        if (a->view == VIEW_STATS)
            reload(a);
    }
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        app_server_message(a, res, _("the figures could not be read"));
        return;
    }
    PQclear(a->stats[which]);
    a->stats[which] = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    app_dirty(a);
}

static void on_today(void *arg, const PGresult *res) { on_stats(arg, 0, res); }
static void on_week(void *arg, const PGresult *res) { on_stats(arg, 1, res); }

/* The figures are the dearest read the console makes (a week of the
 * city's log): while one is in flight, asking again (s pressed over and
 * over, d, the refresh) waits for it and reads once more, rather than
 * queueing reads the live feed would wait behind. */
static void reload(struct app *a)
{
    if (a->stats_busy > 0) {
        a->stats_again = true;
        return;
    }
    const char *by[] = { a->stats_by_department ? "department" : "district" };
    a->stats_at = uv_now(a->loop);
    if (pgc_run(&a->db, "stats_today", 1, by, on_today, a) == 0)
        a->stats_busy++;
    if (pgc_run(&a->db, "stats_week", 1, by, on_week, a) == 0)
        a->stats_busy++;
}

static bool enter(struct app *a)
{
    a->back = a->view == VIEW_STATS ? VIEW_QUEUE : a->view;
    reload(a);
    return true;
}

void stats_tick(struct app *a)
{
    if (a->view == VIEW_STATS && uv_now(a->loop) - a->stats_at >= REFRESH_MS)
        reload(a);
}

void stats_free(struct app *a)
{
    for (int i = 0; i < 2; i++) {
        PQclear(a->stats[i]);
        a->stats[i] = NULL;
    }
}

/* a bar of eighths: 87.5 % of 20 columns is 17½ cells */
static void bar(int y, int x, double pct, int attr)
{
    static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
    int eighths = (int)(pct / 100.0 * BAR * 8 + 0.5);
    attrset(attr);
    move(y, x);
    for (int i = 0; i < eighths / 8; i++)
        addstr("█");
    addstr(part[eighths % 8]);
    attrset(A_NORMAL);
}

enum { NCOLS = 10 };

static int block(struct app *a, int y, const char *title, const PGresult *r)
{
    static const char *const cols[NCOLS] = {
        "name", "reported", "dispatched", "resolved", "closed", "overdue_now",
        "median_accept_min", "median_onsite_min", "onsite_in_time_pct", "resolution_rate_pct" };
    /* TRANSLATORS: column heads of supervision, at most 5, 5, 8, 6, 7, 7, 8, 7, 7 columns wide */
    const char *heads[NCOLS] = { a->stats_by_department ? _("DEPARTMENT") : _("DISTRICT"),
                                 _("NEW"), _("SENT"), _("RESOLVED"), _("CLOSED"), _("OVERDUE"),
                                 _("ACCEPT"), _("ON SITE"), _("ON TIME"), _("RATE") };
    /* department names run long: the code, and the name cut to fit */
    const int widths[NCOLS] = { a->stats_by_department ? 24 : 8, 5, 5, 8, 6, 7, 7, 8, 7, 7 };
    /* an incident counts once: the reports merged into another case, by the title */
    char head[160];
    if (r && PQntuples(r) > 0 && PQfnumber(r, "merged") >= 0)
        snprintf(head, sizeof head, _("%s   merged: %s reports into the case of the same incident"), title,
                 PQgetvalue(r, PQntuples(r) - 1, PQfnumber(r, "merged")));
    else
        snprintf(head, sizeof head, "%s", title);
    attrset(A_BOLD);
    draw_text(y++, 0, head, a->cols);
    attrset(A_UNDERLINE);
    draw_pad(y, 0, a->cols);
    for (int c = 0, x = 0; c < NCOLS; x += widths[c] + 1, c++) {
        int room = widths[c] - text_width(heads[c]);
        draw_text(y, x + (c && room > 0 ? room : 0), heads[c], widths[c]);
    }
    attrset(A_NORMAL);
    y++;
    if (r == NULL) {
        draw_text(y, 2, _("loading…"), a->cols - 2);
        return y + 2;
    }
    for (int i = 0; i < PQntuples(r) && y < a->rows - 3; i++, y++) {
        const char *k = PQgetvalue(r, i, PQfnumber(r, "key"));
        bool all = strcmp(k, "all") == 0;
        bool none = strcmp(k, "none") == 0; /* no department: its name says so */
        attrset(all ? A_BOLD : A_NORMAL);
        int x = 0;
        for (int c = 0; c < NCOLS; x += widths[c] + 1, c++) {
            char v[96];
            const char *raw = PQgetvalue(r, i, PQfnumber(r, cols[c]));
            if (c == 0 && a->stats_by_department && !all && !none)
                snprintf(v, sizeof v, "%s %s", k, raw);
            else if ((c == 6 || c == 7) && *raw)
                snprintf(v, sizeof v, "%sm", raw);
            else if (c >= 8 && *raw)
                snprintf(v, sizeof v, "%s%%", raw);
            else
                snprintf(v, sizeof v, "%s", *raw ? raw : "-");
            int w = text_width(v);
            draw_text(y, c ? x + widths[c] - (w < widths[c] ? w : widths[c]) : x, v, widths[c]);
        }
        const char *rate = PQgetvalue(r, i, PQfnumber(r, "resolution_rate_pct"));
        if (*rate && a->cols > x + BAR)
            bar(y, x + 1, atof(rate), atof(rate) < 90 ? term_attr(a, PAIR_URGENT, A_BOLD)
                                                      : term_attr(a, PAIR_NEW, A_NORMAL));
    }
    attrset(A_NORMAL);
    return y + 1;
}

static void draw(struct app *a)
{
    attrset(A_BOLD);
    char head[256], keys[160];
    keymap_hint(a, VIEW_STATS, keys, sizeof keys);
    snprintf(head, sizeof head, "%s  (%s)", a->stats_by_department
             ? _("griddesk  supervision by department") : _("griddesk  supervision by district"), keys);
    draw_text(0, 0, head, a->cols);
    attrset(A_NORMAL);
    int y = block(a, 1, _("today"), a->stats[0]);
    y = block(a, y, _("this week"), a->stats[1]);
    if (y < a->rows - 2) {
        const PGresult *r = a->stats[1] ? a->stats[1] : a->stats[0];
        char note[512];
        snprintf(note, sizeof note, "%s",
                 _("RATE: resolved within the deadline / every case that fell due, open overdue "
                   "included; every figure: man 7 griddesk, FIGURES"));
        if (r && PQntuples(r) > 0) {
            int last = PQntuples(r) - 1;
            snprintf(note, sizeof note, _("RATE: resolved within the deadline / every case that fell due "
                     "(open overdue included); resolved / finished, this week: %s%%; "
                     "every figure: man 7 griddesk, FIGURES"),
                     PQgetvalue(r, last, PQfnumber(r, "resolved_of_finished_pct")));
        }
        draw_text(y, 0, note, a->cols);
    }
}

int stats_switch(struct app *a)
{
    a->stats_by_department = !a->stats_by_department;
    stats_free(a);
    reload(a);
    return KEY_REDRAW;
}

int stats_close(struct app *a)
{
    stats_free(a);
    app_enter(a, a->back);
    return KEY_REDRAW;
}

/* its keys are in the key table (keys.c) */
static int key(struct app *a, wint_t ch, bool is_key)
{
    (void)a;
    (void)ch;
    (void)is_key;
    return KEY_NONE;
}

const struct view view_stats = { "supervision", draw, key, enter };
