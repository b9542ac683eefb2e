/* Benchmark listeners: N connections on one libuv loop, through the same
 * pgc module as the console. Mode "bare" only LISTENs; mode "fetch" also
 * runs the console's feed read past its watermark on each wake-up, as a
 * console would. Mode "areas" is a city's staffing: of every 20, one
 * city-wide, four scoped to a district and fifteen to a street, as the
 * logins bench_<code> (made by the caller), each on its area's channel
 * (gd_feed_listen), reading what its scope shows. Prints "recv NS EVENT_ID
 * CONN" when an event becomes known to a connection (bare: the
 * notification; else the read's rows). Runs until SIGTERM or SIGINT. */
#include "griddesk/feed.h"
#include "griddesk/pgc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct listener {
    struct pgc db;
    struct feed feed;
    int idx, busy, again, ready;
};

static int fetch_mode, areas_mode, nready, count;
static struct listener *all;

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static void fetch(struct listener *l);

static void on_fetch(void *arg, const PGresult *res)
{
    struct listener *l = arg;
    unsigned long long t = now_ns();
    l->busy = 0;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK)
        return;
    uint64_t xmin = 0;
    int c_id = PQfnumber(res, "event_id"), c_xid = PQfnumber(res, "xid"), c_xmin = PQfnumber(res, "xmin");
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t id = strtoll(PQgetvalue(res, i, c_id), NULL, 10);
        xmin = strtoull(PQgetvalue(res, i, c_xmin), NULL, 10);
        if (feed_take(&l->feed, id, strtoull(PQgetvalue(res, i, c_xid), NULL, 10)) && l->ready)
            printf("recv %llu %" PRId64 " %d\n", t, id, l->idx);
    }
    if (PQntuples(res))
        feed_advance(&l->feed, xmin);
    if (!l->ready) {
        l->ready = 1;
        if (++nready == count)
            fprintf(stderr, "listeners: %d ready\n", count);
    }
    if (l->again) {
        l->again = 0;
        fetch(l);
    }
}

static void fetch(struct listener *l)
{
    if (l->busy) {
        l->again = 1;
        return;
    }
    char h[24];
    snprintf(h, sizeof h, "%" PRIu64, l->feed.horizon);
    const char *p[] = { h, NULL, NULL, NULL, NULL, NULL }; /* no filter: the whole view */
    if (pgc_run(&l->db, "feed", 6, p, on_fetch, l) == 0)
        l->busy = 1;
}

static void on_horizon(void *arg, const PGresult *res)
{
    struct listener *l = arg;
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK)
        feed_advance(&l->feed, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
    fetch(l);
}

static void on_up(void *ctx)
{
    struct listener *l = ctx;
    if (areas_mode) /* before the horizon: what commits after it is heard */
        pgc_query(&l->db, "SELECT gd_feed_listen(NULL)", 0, NULL, NULL, NULL);
    if (fetch_mode) {
        pgc_query(&l->db, "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", 0, NULL,
                  on_horizon, l);
        return;
    }
    l->ready = 1;
    if (++nready == count)
        fprintf(stderr, "listeners: %d ready\n", count);
}

static void on_notify(void *ctx, const PGnotify *n)
{
    struct listener *l = ctx;
    if (fetch_mode)
        fetch(l);
    else if (l->ready)
        printf("recv %llu %s %d\n", now_ns(), n->extra, l->idx);
}

static const struct pgc_hooks hooks = { NULL, on_up, on_notify };
static const struct pgc_statement statements[] = { { "feed", feed_sql }, { NULL, NULL } };

/* "areas": each listener's conninfo, round the districts and streets */
static char **logins(int n)
{
    PGconn *c = PQconnectdb("");
    PGresult *d = PQexec(c, "SELECT lower(code) FROM areas WHERE level = 'district' ORDER BY code");
    PGresult *s = PQexec(c, "SELECT lower(code) FROM areas WHERE level = 'street' ORDER BY code");
    char **who = NULL;
    if (PQresultStatus(d) != PGRES_TUPLES_OK || PQresultStatus(s) != PGRES_TUPLES_OK
        || PQntuples(d) == 0 || PQntuples(s) == 0) {
        fprintf(stderr, "listeners: %s", PQerrorMessage(c));
        goto out;
    }
    who = calloc((size_t)n, sizeof *who);
    for (int i = 0, nd = 0, ns = 0; i < n; i++) {
        int k = i % 20;
        const char *code = k == 0 ? NULL
                         : k < 5 ? PQgetvalue(d, nd++ % PQntuples(d), 0)
                         : PQgetvalue(s, ns++ % PQntuples(s), 0);
        char buf[96];
        snprintf(buf, sizeof buf, "user=bench_%s", code ? code : "");
        who[i] = code ? strdup(buf) : NULL; /* the caller's own login: the city */
    }
out:
    PQclear(d);
    PQclear(s);
    PQfinish(c);
    return who;
}

static void on_signal(uv_signal_t *s, int sig)
{
    (void)sig;
    uv_stop(s->loop);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: listeners N bare|fetch|areas\n", stderr);
        return 2;
    }
    count = atoi(argv[1]);
    areas_mode = strcmp(argv[2], "areas") == 0;
    fetch_mode = areas_mode || strcmp(argv[2], "fetch") == 0;
    char **who = areas_mode ? logins(count) : NULL;
    if (areas_mode && who == NULL)
        return 3;
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    uv_loop_t *loop = uv_default_loop();
    all = calloc((size_t)count, sizeof *all);
    for (int i = 0; i < count; i++) {
        all[i].idx = i;
        feed_init(&all[i].feed);
        pgc_start(&all[i].db, loop, who ? who[i] : NULL, "griddesk_events",
                  fetch_mode ? statements : NULL, &hooks, &all[i]);
    }
    uv_signal_t term, intr;
    uv_signal_init(loop, &term);
    uv_signal_start(&term, on_signal, SIGTERM);
    uv_signal_init(loop, &intr);
    uv_signal_start(&intr, on_signal, SIGINT);
    uv_run(loop, UV_RUN_DEFAULT);
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        pgc_stop(&all[i].db);
        feed_free(&all[i].feed);
    }
    free(all);
    for (int i = 0; who && i < count; i++)
        free(who[i]);
    free(who);
    return 0;
}
