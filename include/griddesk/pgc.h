#ifndef GRIDDESK_PGC_H
#define GRIDDESK_PGC_H

#include <libpq-fe.h>
#include <uv.h>

/* One PostgreSQL connection driven by a libuv loop, never blocking: it
 * connects with PQconnectStart/PQconnectPoll (rebuilding the poll handle
 * when the socket changes), sends queries with PQsendQueryParams one at a
 * time from a queue, drains notifications after every read, and reconnects
 * with backoff when the server goes away. */

enum pgc_state { PGC_CONNECTING, PGC_UP, PGC_DOWN };

/* Called once per query with its last result (NULL when the connection was
 * lost first). The result belongs to pgc: copy what you keep. */
typedef void (*pgc_result_fn)(void *arg, const PGresult *res);

struct pgc_hooks {
    void (*state)(void *ctx, enum pgc_state st); /* also after every backoff tick */
    void (*up)(void *ctx);                       /* connected and LISTENing */
    void (*notify)(void *ctx, const PGnotify *n);
};

struct pgc_query;

/* A statement prepared on every connection, after LISTEN: planned once,
 * then run by name. */
struct pgc_statement {
    const char *name;
    const char *sql;
};

struct pgc {
    uv_loop_t *loop;
    const char *arg;          /* -d argument, borrowed */
    const char *listen;       /* channel to LISTEN on after each connect */
    const struct pgc_hooks *hooks;
    const struct pgc_statement *prepare; /* NULL-terminated; borrowed */
    void *ctx;
    PGconn *conn;
    uv_poll_t *poll;          /* owned; replaced when PQsocket changes */
    int poll_fd, poll_events;
    uv_timer_t timer;         /* connect timeout, then retry backoff */
    enum pgc_state state;
    int backoff_ms;
    uint64_t retry_at;        /* loop time of the next attempt */
    char error[256];          /* why the last attempt or connection failed */
    struct pgc_query *head, *tail;
    int busy;                 /* the head query has been sent */
    int closing;
};

/* prepare (may be NULL) lists the statements to prepare on each connection */
void pgc_start(struct pgc *c, uv_loop_t *loop, const char *arg, const char *listen,
               const struct pgc_statement *prepare, const struct pgc_hooks *hooks, void *ctx);

/* Queue a query; params are copied. Returns -1 (and calls nothing) when the
 * connection is not up. */
int pgc_query(struct pgc *c, const char *sql, int n, const char *const *params,
              pgc_result_fn fn, void *arg);

/* The same for a statement of the prepare list, by name. */
int pgc_run(struct pgc *c, const char *name, int n, const char *const *params,
            pgc_result_fn fn, void *arg);

/* Seconds until the next reconnect attempt (when PGC_DOWN). */
int pgc_retry_in(const struct pgc *c);

/* Close everything; the loop may then end. */
void pgc_stop(struct pgc *c);

#endif
