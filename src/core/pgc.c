#include "griddesk/pgc.h"
#include "griddesk/conn.h"
#include "griddesk/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CONNECT_TIMEOUT_MS = 10000, BACKOFF_FIRST_MS = 250, BACKOFF_MAX_MS = 8000 };

enum query_kind { Q_PLAIN, Q_PREPARE, Q_PREPARED };

struct pgc_query {
    struct pgc_query *next;
    enum query_kind kind;
    const char *name; /* of a prepared statement */
    const char *sql;  /* static text: queries are constants, values are params */
    int n;
    char **params;
    pgc_result_fn fn;
    void *arg;
    PGresult *last;
};

static void on_poll(uv_poll_t *h, int status, int events);
static void on_timer(uv_timer_t *t);
static void send_next(struct pgc *c);

static void set_error(struct pgc *c, const char *why)
{
    snprintf(c->error, sizeof c->error, "%s", why ? why : "");
    c->error[strcspn(c->error, "\n")] = '\0';
}

/* What the server says outside any query (the FATAL of a shutdown, a
 * NOTICE) would go to stderr, which is the console's terminal: written
 * behind curses' back, it scrolls the screen. It is kept as the
 * connection's last word instead, which the status line shows. */
static void on_notice(void *arg, const char *message)
{
    set_error(arg, message);
}

static void free_handle(uv_handle_t *h)
{
    free(h);
}

static void drop_poll(struct pgc *c)
{
    if (c->poll == NULL)
        return;
    uv_close((uv_handle_t *)c->poll, free_handle);
    c->poll = NULL;
    c->poll_events = 0;
}

/* Watch libpq's socket. A socket that changed number gets a new handle; one
 * that kept its number may still be a new socket (libpq closed and reopened
 * it), so `renew` re-registers it with the kernel. */
static void arm(struct pgc *c, int events, int renew)
{
    int fd = PQsocket(c->conn);
    if (fd < 0)
        return;
    if (c->poll && c->poll_fd != fd)
        drop_poll(c);
    if (c->poll == NULL) {
        c->poll = xmalloc(sizeof *c->poll);
        if (uv_poll_init(c->loop, c->poll, fd) != 0) {
            free(c->poll);
            c->poll = NULL;
            return;
        }
        c->poll->data = c;
        c->poll_fd = fd;
    } else if (renew) {
        uv_poll_stop(c->poll);
        c->poll_events = 0;
    }
    if (events != c->poll_events) {
        uv_poll_start(c->poll, events, on_poll);
        c->poll_events = events;
    }
}

static void set_state(struct pgc *c, enum pgc_state st)
{
    c->state = st;
    if (c->hooks->state)
        c->hooks->state(c->ctx, st);
}

static void free_query(struct pgc_query *q)
{
    for (int i = 0; i < q->n; i++)
        free(q->params[i]);
    free(q->params);
    PQclear(q->last);
    free(q);
}

/* Every query still queued learns that it will never run. */
static void fail_queue(struct pgc *c)
{
    while (c->head) {
        struct pgc_query *q = c->head;
        c->head = q->next;
        if (c->head == NULL)
            c->tail = NULL;
        if (q->fn)
            q->fn(q->arg, NULL);
        free_query(q);
    }
    c->busy = 0;
}

static void attempt(struct pgc *c);

static void schedule_retry(struct pgc *c)
{
    if (c->closing)
        return;
    c->backoff_ms = c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_FIRST_MS;
    if (c->backoff_ms > BACKOFF_MAX_MS)
        c->backoff_ms = BACKOFF_MAX_MS;
    c->retry_at = uv_now(c->loop) + (uint64_t)c->backoff_ms;
    uv_timer_start(&c->timer, on_timer, (uint64_t)c->backoff_ms, 0);
    set_state(c, PGC_DOWN);
}

static void lost(struct pgc *c, const char *why)
{
    set_error(c, why);
    c->state = PGC_DOWN; /* before the queue fails: callbacks may try to query */
    uv_timer_stop(&c->timer);
    drop_poll(c);
    PQfinish(c->conn);
    c->conn = NULL;
    fail_queue(c);
    schedule_retry(c);
}

static int enqueue(struct pgc *c, enum query_kind kind, const char *name, const char *sql,
                   int n, const char *const *params, pgc_result_fn fn, void *arg);

/* LISTEN, then each statement prepared; the last step done says "up" */
static void on_ready_step(void *arg, const PGresult *res)
{
    struct pgc *c = arg;
    if (res != NULL && PQresultStatus(res) != PGRES_COMMAND_OK)
        lost(c, PQresultErrorMessage(res));
}

static void on_ready(void *arg, const PGresult *res)
{
    struct pgc *c = arg;
    if (res == NULL)
        return;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        lost(c, PQresultErrorMessage(res));
        return;
    }
    if (c->hooks->up)
        c->hooks->up(c->ctx);
}

static void connect_step(struct pgc *c)
{
    switch (PQconnectPoll(c->conn)) {
    case PGRES_POLLING_READING:
        arm(c, UV_READABLE, 1);
        return;
    case PGRES_POLLING_WRITING:
        arm(c, UV_WRITABLE, 1);
        return;
    case PGRES_POLLING_OK: {
        uv_timer_stop(&c->timer);
        c->backoff_ms = 0;
        c->error[0] = '\0';
        set_state(c, PGC_UP);
        arm(c, UV_READABLE, 1);
        /* LISTEN first, then the caller catches up: nothing falls between */
        char *sql = PQescapeIdentifier(c->conn, c->listen, strlen(c->listen));
        static char listen_sql[128];
        snprintf(listen_sql, sizeof listen_sql, "LISTEN %s", sql ? sql : "griddesk_events");
        PQfreemem(sql);
        int steps = 0;
        for (const struct pgc_statement *st = c->prepare; st && st->name; st++)
            steps++;
        enqueue(c, Q_PLAIN, NULL, listen_sql, 0, NULL, steps ? on_ready_step : on_ready, c);
        for (const struct pgc_statement *st = c->prepare; st && st->name; st++)
            enqueue(c, Q_PREPARE, st->name, st->sql, 0, NULL,
                    st[1].name ? on_ready_step : on_ready, c);
        return;
    }
    default:
        lost(c, PQerrorMessage(c->conn));
    }
}

static void attempt(struct pgc *c)
{
    struct conn_params p;
    char *err = NULL;
    if (conn_params_init(&p, c->arg, "griddesk", &err) < 0) {
        set_error(c, err);
        free(err);
        schedule_retry(c);
        return;
    }
    c->conn = PQconnectStartParams(p.keys, p.values, 1);
    if (c->conn == NULL || PQstatus(c->conn) == CONNECTION_BAD) {
        lost(c, c->conn ? PQerrorMessage(c->conn) : "out of memory");
        return;
    }
    PQsetnonblocking(c->conn, 1);
    PQsetNoticeProcessor(c->conn, on_notice, c);
    set_state(c, PGC_CONNECTING);
    uv_timer_start(&c->timer, on_timer, CONNECT_TIMEOUT_MS, 0);
    arm(c, UV_WRITABLE, 1);
}

static void on_timer(uv_timer_t *t)
{
    struct pgc *c = t->data;
    if (c->state == PGC_CONNECTING)
        lost(c, "timed out connecting");
    else if (c->state == PGC_DOWN)
        attempt(c);
}

static void finish_head(struct pgc *c)
{
    struct pgc_query *q = c->head;
    c->head = q->next;
    if (c->head == NULL)
        c->tail = NULL;
    c->busy = 0;
    if (q->fn)
        q->fn(q->arg, q->last);
    free_query(q);
}

static void read_input(struct pgc *c)
{
    if (!PQconsumeInput(c->conn)) {
        lost(c, PQerrorMessage(c->conn));
        return;
    }
    while (c->conn && c->busy && !PQisBusy(c->conn)) {
        PGresult *r = PQgetResult(c->conn);
        if (r == NULL) {
            finish_head(c);
            if (c->conn)
                send_next(c);
            continue;
        }
        PQclear(c->head->last);
        c->head->last = r;
    }
    /* after every read, not only when listening: a notification that
     * arrived with a query's result must not wait for the next one */
    PGnotify *n;
    while (c->conn && (n = PQnotifies(c->conn)) != NULL) {
        if (c->hooks->notify)
            c->hooks->notify(c->ctx, n);
        PQfreemem(n);
    }
    if (c->conn && PQstatus(c->conn) == CONNECTION_BAD)
        lost(c, PQerrorMessage(c->conn));
}

static void flush(struct pgc *c)
{
    int r = PQflush(c->conn);
    if (r < 0)
        lost(c, PQerrorMessage(c->conn));
    else
        /* writable only while libpq has bytes queued, or the loop spins */
        arm(c, r == 1 ? UV_READABLE | UV_WRITABLE : UV_READABLE, 0);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
    struct pgc *c = h->data;
    if (c->conn == NULL || h != c->poll)
        return;
    if (c->state == PGC_CONNECTING) {
        connect_step(c);
        return;
    }
    if (status < 0) {
        lost(c, uv_strerror(status));
        return;
    }
    if (events & UV_WRITABLE) {
        flush(c);
        if (c->conn == NULL)
            return;
    }
    read_input(c);
}

static void send_next(struct pgc *c)
{
    if (c->busy || c->head == NULL || c->state != PGC_UP)
        return;
    struct pgc_query *q = c->head;
    const char *const *params = (const char *const *)q->params;
    int sent = q->kind == Q_PREPARE ? PQsendPrepare(c->conn, q->name, q->sql, 0, NULL)
             : q->kind == Q_PREPARED ? PQsendQueryPrepared(c->conn, q->name, q->n, params, NULL, NULL, 0)
             : PQsendQueryParams(c->conn, q->sql, q->n, NULL, params, NULL, NULL, 0);
    if (!sent) {
        lost(c, PQerrorMessage(c->conn));
        return;
    }
    c->busy = 1;
    flush(c);
}

static int enqueue(struct pgc *c, enum query_kind kind, const char *name, const char *sql,
                   int n, const char *const *params, pgc_result_fn fn, void *arg)
{
    if (c->state != PGC_UP || c->closing)
        return -1;
    struct pgc_query *q = xcalloc(1, sizeof *q);
    q->kind = kind;
    q->name = name;
    q->sql = sql;
    q->n = n;
    q->params = xcalloc((size_t)(n ? n : 1), sizeof *q->params);
    for (int i = 0; i < n; i++)
        q->params[i] = params[i] ? xstrdup(params[i]) : NULL;
    q->fn = fn;
    q->arg = arg;
    if (c->tail)
        c->tail->next = q;
    else
        c->head = q;
    c->tail = q;
    send_next(c);
    return 0;
}

int pgc_query(struct pgc *c, const char *sql, int n, const char *const *params,
              pgc_result_fn fn, void *arg)
{
    return enqueue(c, Q_PLAIN, NULL, sql, n, params, fn, arg);
}

int pgc_run(struct pgc *c, const char *name, int n, const char *const *params,
            pgc_result_fn fn, void *arg)
{
    return enqueue(c, Q_PREPARED, name, NULL, n, params, fn, arg);
}

int pgc_retry_in(const struct pgc *c)
{
    if (c->state != PGC_DOWN)
        return 0;
    uint64_t now = uv_now(c->loop);
    return c->retry_at > now ? (int)((c->retry_at - now + 999) / 1000) : 0;
}

void pgc_start(struct pgc *c, uv_loop_t *loop, const char *arg, const char *listen,
               const struct pgc_statement *prepare, const struct pgc_hooks *hooks, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->loop = loop;
    c->arg = arg;
    c->listen = listen;
    c->prepare = prepare;
    c->hooks = hooks;
    c->ctx = ctx;
    uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    attempt(c);
}

void pgc_stop(struct pgc *c)
{
    c->closing = 1;
    c->state = PGC_DOWN;
    fail_queue(c);
    drop_poll(c);
    PQfinish(c->conn);
    c->conn = NULL;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, NULL);
}
