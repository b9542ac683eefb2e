/* The queue: a window of two screens of the open cases, read straight off
 * a partial index in queue order, the selection kept on its case while the
 * window moves under it, and the view's totals, read at most twice a
 * second. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TOTALS_EVERY_MS = 500, MIN_WINDOW = 30, MAX_COLUMNS = 32 };

int queue_rows(const struct app *a)
{
    return a->queue ? PQntuples(a->queue) : 0;
}

const char *queue_get(const struct app *a, int row, const char *col)
{
    if (row < 0 || row >= queue_rows(a))
        return "";
    int f = PQfnumber(a->queue, col);
    return f < 0 ? "" : PQgetvalue(a->queue, row, f);
}

/* There is always a selection when the window has rows: a row of it, the
 * first if nothing was chosen (a view that was empty when cases came). */
static void clamp_selection(struct app *a)
{
    int n = queue_rows(a);
    a->sel = n == 0 || a->sel < 0 ? 0 : a->sel >= n ? n - 1 : a->sel;
}

static void key_of(const struct app *a, int row, char key[3][48])
{
    static const char *const cols[3] = { "priority", "k_due", "id" };
    for (int i = 0; i < 3; i++)
        snprintf(key[i], 48, "%s", row >= 0 && row < queue_rows(a) ? queue_get(a, row, cols[i]) : "");
}

static void send_totals(struct app *a);

static void on_totals(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->totals_busy = false;
    a->totals_at = uv_now(a->loop);
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        a->total = atol(PQgetvalue(res, 0, PQfnumber(res, "total")));
        a->overdue = atol(PQgetvalue(res, 0, PQfnumber(res, "overdue")));
        a->above = atol(PQgetvalue(res, 0, PQfnumber(res, "above")));
        app_dirty(a);
    }
    if (a->totals_again) {
        a->totals_again = false;
        send_totals(a);
    }
}

static void send_totals(struct app *a)
{
    if (a->totals_busy) {
        a->totals_again = true;
        return;
    }
    char key[3][48];
    key_of(a, 0, key);
    const char *params[FILTER_COUNT + 3];
    for (int i = 0; i < FILTER_COUNT; i++)
        params[i] = a->filter[i];
    for (int i = 0; i < 3; i++)
        params[FILTER_COUNT + i] = key[i][0] ? key[i] : NULL;
    if (pgc_run(&a->db, "totals", FILTER_COUNT + 3, params, on_totals, a) == 0)
        a->totals_busy = true;
}

static void on_totals_timer(uv_timer_t *t)
{
    send_totals(t->data);
}

/* Counting the whole view costs more than reading the window: at most
 * twice a second while the feed runs. */
static void want_totals(struct app *a)
{
    uint64_t since = uv_now(a->loop) - a->totals_at;
    if (since >= TOTALS_EVERY_MS && !uv_is_active((uv_handle_t *)&a->totals))
        send_totals(a);
    else if (!uv_is_active((uv_handle_t *)&a->totals))
        uv_timer_start(&a->totals, on_totals_timer,
                       since >= TOTALS_EVERY_MS ? 0 : TOTALS_EVERY_MS - since, 0);
}

static void remember_selection(struct app *a)
{
    clamp_selection(a);
    snprintf(a->sel_ref, sizeof a->sel_ref, "%s", queue_get(a, a->sel, "ref"));
}

static void keep_selection(struct app *a)
{
    int n = queue_rows(a);
    for (int i = 0; a->sel_ref[0] && i < n; i++)
        if (strcmp(queue_get(a, i, "ref"), a->sel_ref) == 0) {
            a->sel = i;
            return;
        }
    clamp_selection(a); /* gone: the row now in its place */
    if (a->sel_ref[0] == '\0') /* none yet (the view was empty): the first */
        remember_selection(a);
}

/* dir 0: the top; 1: from the key of row on; -1: the window ending before
 * the key of row (row -1: the bottom of the view) */
static void window(struct app *a, int dir, int row, int place, long above, bool minus_rows)
{
    a->win_dir = dir;
    key_of(a, dir != 0 ? row : -1, a->win_key);
    a->placing = true;
    a->place = place;
    a->above = above;
    a->above_minus_rows = minus_rows;
    a->win_seq++;
    a->totals_now = true;
    queue_reload(a);
}

void queue_top(struct app *a)
{
    window(a, 0, -1, 0, 0, false);
}

void queue_bottom(struct app *a)
{
    window(a, -1, -1, -1, a->total, true);
}

void queue_move(struct app *a, long by)
{
    int n = queue_rows(a);
    if (a->placing) { /* a window is on its way: count from where it will land */
        a->place += (int)by;
        return;
    }
    long target = a->sel + by;
    if (target >= n && a->above + n < a->total && n > 0) {
        /* keep a page of context above the selection */
        int from = n - 1 - (a->rows > 4 ? a->rows - 4 : 1);
        from = from > 0 ? from : 0;
        window(a, 1, from, (int)(target - from), a->above + from, false);
        return;
    }
    if (target < 0 && a->above > 0 && n > 0) {
        window(a, -1, 0, (int)target, a->above, true);
        return;
    }
    a->sel = (int)(target >= n ? n - 1 : target < 0 ? 0 : target);
    remember_selection(a); /* an empty window leaves row 0, not -1 */
}

static void place_selection(struct app *a)
{
    int n = queue_rows(a);
    long sel = a->place >= 0 ? a->place : n + a->place;
    a->placing = false;
    if (a->above_minus_rows)
        a->above = a->above - n > 0 ? a->above - n : 0;
    if (a->win_dir == 0)
        a->above = 0;
    a->sel = sel < 0 ? 0 : sel >= n ? (n ? n - 1 : 0) : (int)sel;
    remember_selection(a);
    /* keys pressed while it travelled may reach past this window too */
    if (sel >= n && a->above + n < a->total)
        queue_move(a, sel - a->sel);
    else if (sel < 0 && a->above > 0)
        queue_move(a, sel);
}

/* as operators type them after f, and as the header shows them */
const char *const filter_names[FILTER_COUNT] = {
    [FILTER_TEXT] = "text", [FILTER_STATUS] = "status", [FILTER_DISTRICT] = "district",
    [FILTER_CATEGORY] = "category", [FILTER_PRIORITY] = "priority",
};

void queue_restore_filters(struct app *a)
{
    for (int i = 0; i < FILTER_COUNT; i++) {
        free(a->filter[i]);
        a->filter[i] = a->undo[i];
        a->undo[i] = NULL;
    }
    a->undo_pending = false;
}

static void drop_undo(struct app *a)
{
    for (int i = 0; i < FILTER_COUNT; i++) {
        free(a->undo[i]);
        a->undo[i] = NULL;
    }
    a->undo_pending = false;
}

static void on_queue(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->queue_busy = false;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        app_server_message(a, res, NULL);
        if (a->undo_pending) { /* the new filter was refused: back to the last good one */
            queue_restore_filters(a);
            queue_top(a);
        }
        return;
    }
    if (a->queue_asked_seq != a->win_seq) { /* superseded: the newer request follows */
        if (a->queue_again) {
            a->queue_again = false;
            queue_reload(a);
        }
        return;
    }
    drop_undo(a);
    a->filters_taken(a);
    a->screen_newest = a->queue_asked_newest;
    app_trace(a, "queue", PQntuples(res));
    PQclear(a->queue);
    a->queue = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    a->live = true;
    app_dirty(a);
    if (queue_rows(a) == 0 && a->win_dir == 1) {
        /* the window fell off the end (cases closed meanwhile): show the last one */
        queue_bottom(a);
        return;
    }
    if (a->placing)
        place_selection(a);
    else
        keep_selection(a);
    /* hold on to where the window starts, unless it is the top: the top
     * stays the top, so a new urgent case shows up there */
    if (a->above > 0 && queue_rows(a) > 0) {
        a->win_dir = 1;
        key_of(a, 0, a->win_key);
    } else {
        a->win_dir = 0;
    }
    if (a->totals_now) {
        a->totals_now = false;
        send_totals(a);
    } else {
        want_totals(a);
    }
    if (a->queue_again) {
        a->queue_again = false;
        queue_reload(a);
    }
}

void queue_reload(struct app *a)
{
    if (a->queue_busy) {
        a->queue_again = true;
        return;
    }
    const char *params[FILTER_COUNT + 5];
    char dir[4], size[16];
    for (int i = 0; i < FILTER_COUNT; i++)
        params[i] = a->filter[i];
    snprintf(dir, sizeof dir, "%d", a->win_dir);
    params[FILTER_COUNT] = dir;
    for (int i = 0; i < 3; i++)
        params[FILTER_COUNT + 1 + i] = a->win_dir && a->win_key[i][0] ? a->win_key[i] : NULL;
    a->win_limit = 2 * a->rows > MIN_WINDOW ? 2 * a->rows : MIN_WINDOW;
    snprintf(size, sizeof size, "%d", a->win_limit);
    params[FILTER_COUNT + 4] = size;
    if (pgc_run(&a->db, "queue", FILTER_COUNT + 5, params, on_queue, a) == 0) {
        a->queue_busy = true;
        a->queue_asked_newest = a->feed.newest;
        a->queue_asked_seq = a->win_seq;
    }
}


/* ---- the window from the feed's rows ---- */

/* a row's place in queue order: priority, then the stage's deadline (none
 * last), then id */
struct qkey {
    int priority;
    double due;
    long long id;
};

static struct qkey key_in(const PGresult *r, int row, int c_prio, int c_due, int c_id)
{
    struct qkey k = { atoi(PQgetvalue(r, row, c_prio)), HUGE_VAL, atoll(PQgetvalue(r, row, c_id)) };
    if (!PQgetisnull(r, row, c_due))
        k.due = strtod(PQgetvalue(r, row, c_due), NULL);
    return k;
}

static int key_cmp(const struct qkey *x, const struct qkey *y)
{
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* a row of the new window: from the window on hand, or from the feed */
struct qrow {
    struct qkey key;
    const PGresult *from;
    int row;
};

static int qrow_cmp(const void *x, const void *y)
{
    return key_cmp(&((const struct qrow *)x)->key, &((const struct qrow *)y)->key);
}

/* the feed's newest row of each changed case that is in the view; *changed
 * gets every changed case id, in or out */
static int changed_cases(const PGresult *res, long long *changed, int *nchanged, int *shown)
{
    int c_case = PQfnumber(res, "case_id"), c_in = PQfnumber(res, "in_view"), n = 0, m = 0;
    for (int i = PQntuples(res) - 1; i >= 0; i--) {
        long long id = atoll(PQgetvalue(res, i, c_case));
        bool seen = false;
        for (int j = 0; j < m && !seen; j++)
            seen = changed[j] == id;
        if (seen)
            continue;
        changed[m++] = id;
        if (strcmp(PQgetvalue(res, i, c_in), "t") == 0)
            shown[n++] = i;
    }
    *nchanged = m;
    return n;
}

/* the new window's rows as a result of the window's own columns; the
 * feed's columns are found by name once, not for every row */
static PGresult *window_of(const PGresult *like, const PGresult *feed, const struct qrow *rows, int n)
{
    PGresult *r = PQcopyResult(like, PG_COPYRES_ATTRS);
    int nf = PQnfields(like), in_feed[MAX_COLUMNS];
    for (int f = 0; f < nf; f++)
        in_feed[f] = PQfnumber(feed, PQfname(like, f));
    for (int i = 0; i < n; i++) {
        const PGresult *from = rows[i].from;
        for (int f = 0; f < nf; f++) {
            int src = from == like ? f : in_feed[f];
            bool null = src < 0 || PQgetisnull(from, rows[i].row, src);
            PQsetvalue(r, i, f, null ? NULL : PQgetvalue(from, rows[i].row, src),
                       null ? -1 : PQgetlength(from, rows[i].row, src));
        }
    }
    return r;
}

bool queue_apply(struct app *a, const PGresult *res, unsigned seq)
{
    int n = queue_rows(a), m = PQntuples(res);
    if (a->queue == NULL || a->queue_busy || a->placing || seq != a->win_seq
        || m > a->win_limit || PQnfields(a->queue) > MAX_COLUMNS)
        return false;
    const int q_prio = PQfnumber(a->queue, "priority"), q_due = PQfnumber(a->queue, "due_epoch"),
              q_id = PQfnumber(a->queue, "id");
    const int c_prio = PQfnumber(res, "priority"), c_due = PQfnumber(res, "due_epoch"),
              c_id = PQfnumber(res, "id");
    long long *changed = xcalloc((size_t)m + 1, sizeof *changed);
    int *shown = xcalloc((size_t)m + 1, sizeof *shown), nchanged;
    int nshown = changed_cases(res, changed, &nchanged, shown);
    struct qrow *rows = xcalloc((size_t)(n + nshown) + 1, sizeof *rows);
    /* the window covers keys from its first row (or the top of the view)
     * to its last (or the end of the view, when it is not full) */
    bool full = n >= a->win_limit, top = a->win_dir == 0 && a->above == 0;
    struct qkey lo = n ? key_in(a->queue, 0, q_prio, q_due, q_id) : (struct qkey){ 0, 0, 0 };
    struct qkey hi = n ? key_in(a->queue, n - 1, q_prio, q_due, q_id) : lo;
    int k = 0;
    for (int i = 0; i < n; i++) {
        long long id = atoll(PQgetvalue(a->queue, i, q_id));
        bool moved = false;
        for (int j = 0; j < nchanged && !moved; j++)
            moved = changed[j] == id;
        if (!moved)
            rows[k++] = (struct qrow){ key_in(a->queue, i, q_prio, q_due, q_id), a->queue, i };
    }
    for (int i = 0; i < nshown; i++) {
        struct qkey key = key_in(res, shown[i], c_prio, c_due, c_id);
        if ((top || n == 0 || key_cmp(&key, &lo) >= 0) && (!full || key_cmp(&key, &hi) <= 0))
            rows[k++] = (struct qrow){ key, res, shown[i] };
    }
    bool known = !(full && k < n) && !(n == 0 && !top);
    if (known) {
        qsort(rows, (size_t)k, sizeof *rows, qrow_cmp);
        PGresult *next = window_of(a->queue, res, rows, k < a->win_limit ? k : a->win_limit);
        PQclear(a->queue);
        a->queue = next;
        a->screen_newest = a->feed.newest;
        app_trace(a, "window", queue_rows(a));
        keep_selection(a);
        app_dirty(a);
        want_totals(a);
    }
    free(rows);
    free(shown);
    free(changed);
    return known;
}
