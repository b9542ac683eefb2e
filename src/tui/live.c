/* The database side of the console: who we are, the feed past the
 * watermark, and reloading what is on screen. At most one of each query is
 * in flight; requests that arrive meanwhile fold into one more run. */
#include "griddesk/tui.h"
#include "griddesk/conn.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ARRIVAL_MARK_MS = 10000 };

static const char whoami_sql[] = "SELECT role, may_write, may_see_phone FROM gd_whoami()";
static const char horizon_sql[] = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";
/* a window of a few screens: the whole open queue could be any size */
static const char queue_sql[] =
    "SELECT * FROM gd_queue($1, $2, $3, $4, $5::int, 200, $6::int, $7::int, $8::boolean,"
    " $9::timestamptz, $10::bigint)";
static const char detail_sql[] =
    "SELECT *, to_char(reported_at, 'YYYY-MM-DD HH24:MI') AS reported,"
    " to_char(due_at, 'YYYY-MM-DD HH24:MI') AS due,"
    " updated_by || ' ' || to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated"
    " FROM gd_case_detail($1)";
static const char timeline_sql[] =
    "SELECT to_char(at, 'MM-DD HH24:MI') AS at, kind, actor,"
    " concat_ws(' ', data->>'department', data->>'mediator_name', data->>'reason',"
    "           data->>'note', data->>'outcome') AS details"
    " FROM gd_case_events($1)";

static void fetch(struct app *a);

static uint64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void server_message(struct app *a, const PGresult *res)
{
    const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    app_message(a, "%s", m ? m : PQresultErrorMessage(res));
}

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
    /* an empty window comes back as one row of totals with no case */
    if (a->queue == NULL || PQntuples(a->queue) == 0 || PQgetisnull(a->queue, 0, 0))
        return 0;
    return PQntuples(a->queue);
}

long queue_total(const struct app *a)
{
    return a->queue && PQntuples(a->queue) ? atol(queue_get(a, 0, "total")) : 0;
}

long queue_above(const struct app *a)
{
    return queue_rows(a) ? atol(queue_get(a, 0, "above")) : 0;
}

void queue_window(struct app *a, int dir, int row, long want_abs)
{
    a->win_dir = dir;
    if (dir != 0 && row >= 0 && row < queue_rows(a)) {
        snprintf(a->win_key[0], sizeof a->win_key[0], "%s", queue_get(a, row, "priority"));
        snprintf(a->win_key[1], sizeof a->win_key[1], "%s", queue_get(a, row, "k_not_over"));
        snprintf(a->win_key[2], sizeof a->win_key[2], "%s", queue_get(a, row, "k_reported"));
        snprintf(a->win_key[3], sizeof a->win_key[3], "%s", queue_get(a, row, "id"));
    } else {
        for (int i = 0; i < 4; i++)
            a->win_key[i][0] = '\0';
    }
    a->want_abs = want_abs;
    live_reload_queue(a);
}

const char *queue_get(const struct app *a, int row, const char *col)
{
    int f = PQfnumber(a->queue, col);
    return f < 0 ? "" : PQgetvalue(a->queue, row, f);
}

static void keep_selection(struct app *a)
{
    int n = queue_rows(a);
    for (int i = 0; a->sel_ref[0] && i < n; i++)
        if (strcmp(queue_get(a, i, "ref"), a->sel_ref) == 0) {
            a->sel = i;
            return;
        }
    if (a->sel >= n)
        a->sel = n > 0 ? n - 1 : 0;
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
        server_message(a, res);
        if (a->undo_pending) { /* the new filter was refused: back to the last good one */
            restore_filters(a);
            live_reload_queue(a);
        }
        return;
    }
    drop_undo(a);
    PQclear(a->queue);
    a->queue = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    if (queue_rows(a) == 0 && queue_total(a) > 0 && a->win_dir != 0) {
        /* the window fell off the end (cases closed meanwhile): show the last one */
        queue_window(a, -1, -1, queue_total(a) - 1);
        return;
    }
    long rel = a->want_abs - queue_above(a);
    if (a->want_abs >= 0 && rel >= queue_rows(a) && queue_above(a) + queue_rows(a) < queue_total(a)) {
        /* more keys came while it travelled: the place is further on */
        queue_window(a, 1, queue_rows(a) > 40 ? queue_rows(a) - 40 : 0, a->want_abs);
        return;
    }
    if (a->want_abs >= 0 && rel < 0 && queue_above(a) > 0) {
        queue_window(a, -1, 0, a->want_abs);
        return;
    }
    if (a->want_abs >= 0) {
        a->sel = (int)(a->want_abs - queue_above(a));
        a->want_abs = -1;
        if (a->sel < 0)
            a->sel = 0;
        if (a->sel >= queue_rows(a))
            a->sel = queue_rows(a) ? queue_rows(a) - 1 : 0;
        a->sel_ref[0] = '\0';
        if (queue_rows(a))
            snprintf(a->sel_ref, sizeof a->sel_ref, "%s", queue_get(a, a->sel, "ref"));
    } else {
        keep_selection(a);
    }
    /* hold on to where the window starts, unless it is the top: the top
     * stays the top, so a new urgent case shows up there */
    if (queue_above(a) > 0 && queue_rows(a) > 0) {
        a->win_dir = 1;
        for (int i = 0; i < 4; i++)
            snprintf(a->win_key[i], sizeof a->win_key[i], "%s",
                     queue_get(a, 0, (const char *[]){ "priority", "k_not_over", "k_reported",
                                                       "id" }[i]));
    } else {
        a->win_dir = 0;
    }
    a->live = true;
    app_dirty(a);
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
    char dir[4];
    for (int i = 0; i < FILTER_COUNT; i++)
        params[i] = a->filter[i];
    snprintf(dir, sizeof dir, "%d", a->win_dir);
    params[FILTER_COUNT] = dir;
    for (int i = 0; i < 4; i++)
        params[FILTER_COUNT + 1 + i] = a->win_dir && a->win_key[i][0] ? a->win_key[i] : NULL;
    if (pgc_query(&a->db, queue_sql, FILTER_COUNT + 5, params, on_queue, a) == 0)
        a->queue_busy = true;
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
        server_message(a, res);
        return;
    }
    PQclear(a->detail);
    a->detail = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
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
    if (pgc_query(&a->db, detail_sql, 1, params, on_detail, a) == 0
        && pgc_query(&a->db, timeline_sql, 1, params, on_timeline, a) == 0)
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
        server_message(a, res);
        return;
    }
    bool changed = false, detail = false, urgent = false;
    uint64_t xmin = 0;
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
        uint64_t xid = strtoull(PQgetvalue(res, i, 4), NULL, 10);
        xmin = strtoull(PQgetvalue(res, i, 5), NULL, 10);
        if (!feed_take(&a->feed, id, xid))
            continue;
        changed = true;
        if (strcmp(PQgetvalue(res, i, 6), a->detail_ref) == 0)
            detail = true;
        /* arrivals before the first picture, or during an outage, are not news */
        if (a->live && strcmp(PQgetvalue(res, i, 2), "reported") == 0) {
            mark_arrival(a, strtoll(PQgetvalue(res, i, 1), NULL, 10));
            urgent |= strcmp(PQgetvalue(res, i, 3), "1") == 0;
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
    if (pgc_query(&a->db, feed_sql, 1, params, on_fetch, a) == 0)
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
            server_message(a, res);
        return;
    }
    snprintf(a->role, sizeof a->role, "%s", PQgetvalue(res, 0, 0));
    a->may_write = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
    a->may_see_phone = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
}

static void on_up(void *ctx)
{
    struct app *a = ctx;
    a->fetch_busy = a->fetch_again = a->queue_busy = a->queue_again = false;
    a->detail_busy = a->detail_again = false;
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
    if (a->trace)
        fprintf(a->trace, "notify %" PRIu64 " %s\n", wall_ns(), n->extra);
    if (a->feed.horizon != 0)
        fetch(a);
}

const struct pgc_hooks live_hooks = { on_state, on_up, on_notify };
