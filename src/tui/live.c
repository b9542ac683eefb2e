/* The database side of the console: who we are, the connection's hooks,
 * the feed past the watermark, and the open case. The queue window is
 * queue.c's; the prepared statements are live_sql.c's. At most one of each
 * query is in flight; requests that arrive meanwhile fold into one more
 * run. */
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

/* Does an event of case ref change what the case screen shows? Its own,
 * and, for a merged case, those of the cases it follows ("follows": their
 * references, space-separated), whose events its timeline shows. */
static bool in_timeline(const struct app *a, const char *ref)
{
    if (strcmp(ref, a->detail_ref) == 0)
        return true;
    if (a->detail == NULL || PQntuples(a->detail) != 1 || PQfnumber(a->detail, "follows") < 0)
        return false;
    const char *list = PQgetvalue(a->detail, 0, PQfnumber(a->detail, "follows"));
    size_t n = strlen(ref);
    for (const char *p = strstr(list, ref); n && p; p = strstr(p + 1, ref))
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
    return false;
}

static void on_fetch(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->fetch_busy = false;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* a filter the queue refused as well: it has been put back (the
         * window moved), so read again with the one before */
        if (a->fetch_seq != a->win_seq) {
            fetch(a);
            return;
        }
        app_server_message(a, res, NULL);
        return;
    }
    bool changed = false, detail = false, urgent = false;
    uint64_t xmin = 0;
    const int c_id = PQfnumber(res, "event_id"), c_case = PQfnumber(res, "case_id"),
              c_kind = PQfnumber(res, "kind"), c_prio = PQfnumber(res, "case_priority"),
              c_xid = PQfnumber(res, "xid"), c_xmin = PQfnumber(res, "xmin"),
              c_ref = PQfnumber(res, "case_ref");
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t id = strtoll(PQgetvalue(res, i, c_id), NULL, 10);
        uint64_t xid = strtoull(PQgetvalue(res, i, c_xid), NULL, 10);
        xmin = strtoull(PQgetvalue(res, i, c_xmin), NULL, 10);
        if (!feed_take(&a->feed, id, xid))
            continue;
        changed = true;
        if (in_timeline(a, PQgetvalue(res, i, c_ref)))
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
    /* one read per change: the window follows from the rows that came,
     * unless only the server can say what now belongs in it */
    if (!a->live || (changed && !queue_apply(a, res, a->fetch_seq)))
        queue_reload(a);
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
    const char *params[1 + FILTER_COUNT] = { horizon };
    for (int i = 0; i < FILTER_COUNT; i++)
        params[1 + i] = a->filter[i];
    if (pgc_run(&a->db, "feed", 1 + FILTER_COUNT, params, on_fetch, a) == 0) {
        a->fetch_busy = true;
        a->fetch_seq = a->win_seq;
    }
}

/* The first read starts at the present: what came before is in the queue
 * the console is about to load. */
static void on_horizon(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
        return;
    feed_advance(&a->feed, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
    queue_reload(a);
    fetch(a);
}

static void on_listen(void *arg, const PGresult *res)
{
    struct app *a = arg;
    a->listen_busy = false;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        /* still on the channel before (the queue says what was wrong);
         * try again with the next filters the queue takes */
        free(a->listen_for);
        a->listen_for = NULL;
        return;
    }
    app_trace(a, "listen", 0);
    /* what committed before the new channel was heard */
    if (a->feed.horizon != 0)
        fetch(a);
    live_follow_filters(a); /* the filters may have moved on meanwhile */
}

void live_follow_filters(struct app *a)
{
    const char *district = a->filter[FILTER_DISTRICT] ? a->filter[FILTER_DISTRICT] : "";
    if (a->listen_busy || (a->listen_for && strcmp(district, a->listen_for) == 0))
        return;
    const char *params[] = { district };
    if (pgc_run(&a->db, "listen", 1, params, on_listen, a) < 0)
        return;
    free(a->listen_for);
    a->listen_for = xstrdup(district);
    a->listen_busy = true;
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
    /* the connection listens to the whole city: narrow it to the console's area */
    a->listen_busy = false;
    free(a->listen_for);
    a->listen_for = NULL;
    live_follow_filters(a);
    if (a->feed.horizon == 0) {
        pgc_query(&a->db, horizon_sql, 0, NULL, on_horizon, a);
        return;
    }
    /* back after an outage: LISTEN is on again, so catch up past the
     * watermark and the notifications take it from there */
    fetch(a);
    queue_reload(a);
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
