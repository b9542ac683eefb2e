/* The database side of the console: who we are, the feed past the
 * watermark, and reloading what is on screen. At most one of each query is
 * in flight; requests that arrive meanwhile fold into one more run. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/conn.h"
#include "griddesk/rules.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { ARRIVAL_MARK_MS = 10000 };

static const char whoami_sql[] = "SELECT role, may_write, may_see_phone FROM gd_whoami()";
static const char horizon_sql[] = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";
/* a window of two screens: the whole open queue could be any size, and
 * every row read costs time on the way from a commit to the screen */
static const char queue_sql[] =
    "SELECT * FROM gd_queue($1, $2, $3, $4, $5::int, $10::int, $6::int, $7::int,"
    " $8::timestamptz, $9::bigint)";
static const char totals_sql[] =
    "SELECT * FROM gd_queue_totals($1, $2, $3, $4, $5::int, $6::int, $7::timestamptz, $8::bigint)";
enum { TOTALS_EVERY_MS = 500 };

static const char detail_sql[] =
    "SELECT *, to_char(reported_at, 'YYYY-MM-DD HH24:MI') AS reported,"
    " to_char(due_at, 'YYYY-MM-DD HH24:MI') AS due,"
    " updated_by || ' ' || to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated"
    " FROM gd_case_detail($1)";
static const char timeline_sql[] =
    "SELECT to_char(at, 'MM-DD HH24:MI') AS at, kind, actor,"
    " concat_ws(' ', data->>'department', data->>'mediator_name', data->>'reason',"
    "           data->>'note', data->>'outcome',"
    "           'P' || (data->>'from_priority') || ' -> P' || (data->>'priority')) AS details"
    " FROM gd_case_events($1)";

/* prepared on every connection; run by name */
const struct pgc_statement live_statements[] = {
    { "feed", feed_sql },
    { "queue", queue_sql },
    { "totals", totals_sql },
    { "detail", detail_sql },
    { "timeline", timeline_sql },
    /* the dispatch dialog: every department, the suggestions first */
    { "dispatch_depts",
      "SELECT code, name, reason FROM ("
      " SELECT rank, code, name, reason FROM gd_suggest_departments($1)"
      " UNION ALL SELECT 1000, d.code, d.name, '' FROM departments d"
      "  WHERE d.code NOT IN (SELECT code FROM gd_suggest_departments($1))) x"
      " ORDER BY rank, code" },
    { "dispatch_meds",
      "SELECT staff_id, name, tier, distance_km, travel_min, load, load_limit, reason,"
      " (SELECT d.field IS NOT NULL FROM gd_case_detail($1) d) AS dispute"
      " FROM gd_suggest_mediators($1, 9)" },
    /* supervision: today, and this week, in the centre's calendar */
    { "stats_today", "SELECT * FROM gd_stats($1)" },
    { "stats_week", "SELECT * FROM gd_stats($1, gd_centre_start('week'))" },
    /* actions: $1 ref, $2 the version the operator saw */
    { "act_accept", rules_accept_sql },
    { "act_return", rules_return_sql },
    { "act_onsite", rules_onsite_sql },
    { "act_feedback", rules_feedback_sql },
    { "act_resolve", rules_resolve_sql },
    { "act_close", rules_close_sql },
    { "act_reopen", rules_reopen_sql },
    { "act_cancel", rules_cancel_sql },
    { "act_note", rules_note_sql },
    { "act_recategorize", rules_recategorize_sql },
    { "act_assign", rules_assign_sql },
    { NULL, NULL },
};

static void fetch(struct app *a);

bool live_recent(const struct app *a, int64_t case_id, uint64_t now_ms)
{
    for (size_t i = 0; i < sizeof a->arrivals / sizeof *a->arrivals; i++)
        if (a->arrivals[i].case_id == case_id && now_ms - a->arrivals[i].at_ms < ARRIVAL_MARK_MS)
            return true;
    return false;
}

static void mark_arrival(struct app *a, int64_t case_id)
{
    size_t oldest = 0;
    for (size_t i = 1; i < sizeof a->arrivals / sizeof *a->arrivals; i++)
        if (a->arrivals[i].at_ms < a->arrivals[oldest].at_ms)
            oldest = i;
    a->arrivals[oldest] = (struct arrival){ case_id, uv_now(a->loop) };
}

/* ---- the queue ---- */

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
    live_reload_queue(a);
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

static void restore_filters(struct app *a)
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
            restore_filters(a);
            queue_top(a);
        }
        return;
    }
    if (a->queue_asked_seq != a->win_seq) { /* superseded: the newer request follows */
        if (a->queue_again) {
            a->queue_again = false;
            live_reload_queue(a);
        }
        return;
    }
    drop_undo(a);
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
        live_reload_queue(a);
    }
}

void live_reload_queue(struct app *a)
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
    snprintf(size, sizeof size, "%d", 2 * a->rows > 30 ? 2 * a->rows : 30);
    params[FILTER_COUNT + 4] = size;
    if (pgc_run(&a->db, "queue", FILTER_COUNT + 5, params, on_queue, a) == 0) {
        a->queue_busy = true;
        a->queue_asked_newest = a->feed.newest;
        a->queue_asked_seq = a->win_seq;
    }
}

/* ---- the open case ---- */

static void on_timeline(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->detail_busy = false;
    if (res == NULL)
        return;
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
        PQclear(a->timeline);
        a->timeline = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
        app_dirty(a);
    }
    if (a->detail_again) {
        a->detail_again = false;
        live_reload_detail(a);
    }
}

static void on_detail(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        app_server_message(a, res, NULL);
        return;
    }
    PQclear(a->detail);
    a->detail = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    a->detail_seq++;
    app_trace(a, "detail", PQgetlength(res, 0, 0));
    app_dirty(a);
}

void live_reload_detail(struct app *a)
{
    if (a->detail_ref[0] == '\0')
        return;
    if (a->detail_busy) {
        a->detail_again = true;
        return;
    }
    const char *params[] = { a->detail_ref };
    /* both go in order on the one connection; the second closes the pair */
    if (pgc_run(&a->db, "detail", 1, params, on_detail, a) == 0
        && pgc_run(&a->db, "timeline", 1, params, on_timeline, a) == 0)
        a->detail_busy = true;
}

/* ---- the feed ---- */

static void on_fetch(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->fetch_busy = false;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        app_server_message(a, res, NULL);
        return;
    }
    bool changed = false, detail = false, urgent = false;
    uint64_t xmin = 0;
    const int c_id = PQfnumber(res, "id"), c_case = PQfnumber(res, "case_id"),
              c_kind = PQfnumber(res, "kind"), c_prio = PQfnumber(res, "priority"),
              c_xid = PQfnumber(res, "xid"), c_xmin = PQfnumber(res, "xmin"),
              c_ref = PQfnumber(res, "ref");
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t id = strtoll(PQgetvalue(res, i, c_id), NULL, 10);
        uint64_t xid = strtoull(PQgetvalue(res, i, c_xid), NULL, 10);
        xmin = strtoull(PQgetvalue(res, i, c_xmin), NULL, 10);
        if (!feed_take(&a->feed, id, xid))
            continue;
        changed = true;
        if (strcmp(PQgetvalue(res, i, c_ref), a->detail_ref) == 0)
            detail = true;
        /* arrivals before the first picture, or during an outage, are not news */
        if (a->live && strcmp(PQgetvalue(res, i, c_kind), "reported") == 0) {
            mark_arrival(a, strtoll(PQgetvalue(res, i, c_case), NULL, 10));
            urgent |= strcmp(PQgetvalue(res, i, c_prio), "1") == 0;
        }
    }
    if (PQntuples(res) > 0)
        feed_advance(&a->feed, xmin);
    if (urgent && a->bell)
        beep();
    if (changed || !a->live)
        live_reload_queue(a);
    if (detail)
        live_reload_detail(a);
    if (a->fetch_again) {
        a->fetch_again = false;
        fetch(a);
    }
}

static void fetch(struct app *a)
{
    if (a->fetch_busy) {
        a->fetch_again = true;
        return;
    }
    char horizon[24];
    snprintf(horizon, sizeof horizon, "%" PRIu64, a->feed.horizon);
    const char *params[] = { horizon };
    if (pgc_run(&a->db, "feed", 1, params, on_fetch, a) == 0)
        a->fetch_busy = true;
}

/* The first read starts at the present: what came before is in the queue
 * the console is about to load. */
static void on_horizon(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
        return;
    feed_advance(&a->feed, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
    live_reload_queue(a);
    fetch(a);
}

static void on_whoami(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
        if (res)
            app_server_message(a, res, NULL);
        return;
    }
    snprintf(a->role, sizeof a->role, "%s", PQgetvalue(res, 0, PQfnumber(res, "role")));
    a->may_write = strcmp(PQgetvalue(res, 0, PQfnumber(res, "may_write")), "t") == 0;
    a->may_see_phone = strcmp(PQgetvalue(res, 0, PQfnumber(res, "may_see_phone")), "t") == 0;
}

static void on_up(void *ctx)
{
    struct app *a = ctx;
    app_trace(a, "up", 0);
    a->fetch_busy = a->fetch_again = a->queue_busy = a->queue_again = false;
    a->detail_busy = a->detail_again = a->totals_busy = a->totals_again = false;
    const char *zone = conn_local_zone(); /* the operator's clock and the server's agree */
    if (zone) {
        const char *params[] = { zone };
        pgc_query(&a->db, "SELECT set_config('TimeZone', $1, false)", 1, params, NULL, NULL);
    }
    pgc_query(&a->db, whoami_sql, 0, NULL, on_whoami, a);
    if (a->feed.horizon == 0) {
        pgc_query(&a->db, horizon_sql, 0, NULL, on_horizon, a);
        return;
    }
    /* back after an outage: LISTEN is on again, so catch up past the
     * watermark and the notifications take it from there */
    fetch(a);
    live_reload_queue(a);
    live_reload_detail(a);
}

static void on_state(void *ctx, enum pgc_state st)
{
    struct app *a = ctx;
    if (st != PGC_UP)
        a->live = false;
    app_dirty(a);
}

static void on_notify(void *ctx, const PGnotify *n)
{
    struct app *a = ctx;
    app_trace(a, "notify", atoll(n->extra));
    if (a->feed.horizon != 0)
        fetch(a);
}

const struct pgc_hooks live_hooks = { on_state, on_up, on_notify };
