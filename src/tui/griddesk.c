/* griddesk: the dispatch console. main: the options, then the loop wired to
 * the keyboard, signals, the timers and the database connection; the
 * services views use are in app.c. */
#include "griddesk/tui.h"
#include "griddesk/conn.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/version.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the clock, the deadline colours and supervision's refresh move once a second */
enum { TICK_MS = 1000 };

static void quit(struct app *a)
{
    uv_stop(a->loop);
}

/* one whole key: a question, then a prompt, then the view, then the table */
static int on_key(struct app *a, wint_t ch, bool is_key)
{
    app_trace(a, "key", (long long)ch);
    if (a->question.active)
        return actions_answer(a, ch, is_key);
    if (a->prompt.active)
        return prompt_key(a, ch, is_key);
    if (is_key && ch == KEY_RESIZE)
        return KEY_REDRAW;
    return keymap_key(a, ch, is_key);
}

/* drawn over every view: a question waiting for Enter, else the prompt */
static void draw_overlay(struct app *a)
{
    if (a->question.active)
        actions_draw_question(a);
    else if (a->prompt.active)
        prompt_draw(a);
}

static const struct view *const views[VIEW_COUNT] = {
    [VIEW_QUEUE] = &view_queue, [VIEW_DETAIL] = &view_detail, [VIEW_HELP] = &view_help,
    [VIEW_DISPATCH] = &view_dispatch, [VIEW_STATS] = &view_stats,
};

/* A sequence the terminal description does not name: nothing to do, but the
 * operator pressed something, and a wrong TERM is the usual reason. */
static int on_sequence(struct app *a)
{
    const char *term = getenv("TERM");
    app_message(a, _("ignored key %s (unknown to TERM=%s)"), a->input.name, term ? term : "");
    return KEY_REDRAW;
}

static void on_keys(uv_poll_t *h, int status, int events)
{
    struct app *a = h->data;
    (void)events;
    if (status < 0) { /* the terminal went away */
        quit(a);
        return;
    }
    wint_t ch;
    enum input_kind k;
    while ((k = input_read(&a->input, uv_now(a->loop), &ch)) != INPUT_NONE) {
        int done = k == INPUT_SEQUENCE ? on_sequence(a) : on_key(a, ch, k == INPUT_KEY);
        if (done & KEY_QUIT) {
            quit(a);
            return;
        }
        if (done & KEY_REDRAW)
            app_dirty(a);
    }
}

static void on_tick(uv_timer_t *t)
{
    stats_tick(t->data);
    app_dirty(t->data); /* clocks, ages, deadlines and the retry countdown move */
}

static void on_signal(uv_signal_t *s, int signum)
{
    struct app *a = s->data;
    if (signum == SIGWINCH) {
        term_resize(a);
        app_dirty(a);
        return;
    }
    if (signum == SIGCONT) { /* back from Ctrl-Z */
        term_resume(a);
        app_dirty(a);
        return;
    }
    quit(a); /* SIGTERM, SIGINT, SIGHUP: a dropped SSH link ends us cleanly */
}

static void usage(FILE *out)
{
    fputs(_("usage: griddesk [-d CONNINFO] [--trace FILE] [--no-bell]\n"
          "\n"
          "The live dispatch console: every case the moment it is committed.\n"
          "\n"
          "  -d, --dbname CONNINFO  database name, conninfo string or URI (as psql);\n"
          "                         default: the libpq environment, else dbname=griddesk\n"
          "      --trace FILE       append a line per notification and per frame drawn\n"
          "                         (CLOCK_REALTIME nanoseconds, newest event id on screen)\n"
          "      --no-bell          do not ring the bell for urgent arrivals\n"
          "  -h, --help             this help\n"
          "  -V, --version          print the version\n"
          "\n"
          "Press ? in the console for the keys. See griddesk(1).\n"), out);
}

static void start_signal(struct app *a, uv_signal_t *s, int signum)
{
    uv_signal_init(a->loop, s);
    s->data = a;
    uv_signal_start(s, on_signal, signum);
}

static void close_cb(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void free_model(struct app *a)
{
    dispatch_free(a);
    stats_free(a);
    detail_free(a);
    PQclear(a->queue);
    PQclear(a->detail);
    PQclear(a->timeline);
    for (int i = 0; i < FILTER_COUNT; i++)
        free(a->filter[i]);
    free(a->listen_for);
    feed_free(&a->feed);
}

/* The options, and the checks made before the terminal is taken: 0 to go
 * on, or -1 with the exit status in *status (0 after --help or --version,
 * 2 for a mistake). */
static int options(struct app *a, int argc, char **argv, int *status)
{
    static const struct option opts[] = {
        { "dbname", required_argument, NULL, 'd' },
        { "trace", required_argument, NULL, 't' },
        { "no-bell", no_argument, NULL, 'b' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *trace = NULL;
    int c;
    *status = 2;
    while ((c = getopt_long(argc, argv, "d:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->dbname = optarg; break;
        case 't': trace = optarg; break;
        case 'b': a->bell = false; break;
        case 'h': usage(stdout); *status = 0; return -1;
        case 'V': puts("griddesk " GRIDDESK_VERSION); *status = 0; return -1;
        default: fputs(_("Try 'griddesk --help'.\n"), stderr); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, _("griddesk: unexpected argument \"%s\"\nTry 'griddesk --help'.\n"),
                argv[optind]);
        return -1;
    }
    struct conn_params p;
    char *err = NULL;
    if (conn_params_init(&p, a->dbname, "griddesk", &err) < 0) {
        fprintf(stderr, _("griddesk: invalid --dbname \"%s\": %s\n"), a->dbname, err);
        free(err);
        return -1;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fputs(_("griddesk: needs a terminal (for scripts, use gridctl)\n"), stderr);
        return -1;
    }
    if (term_check() < 0)
        return -1;
    if (trace && (a->trace = fopen(trace, "a")) == NULL) {
        fprintf(stderr, _("griddesk: cannot open --trace file %s\n"), trace);
        return -1;
    }
    if (a->trace)
        setvbuf(a->trace, NULL, _IOLBF, 0);
    return 0;
}

/* The loop's sources: keys, the frame and tick timers, signals, and the
 * database connection. */
static void start_loop(struct app *a)
{
    a->loop = uv_default_loop();
    term_start(a);
    uv_poll_init(a->loop, &a->keys, STDIN_FILENO);
    /* libuv made stdin non-blocking; it shares the file with stdout, and
     * curses writes must not fail with EAGAIN */
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) & ~O_NONBLOCK);
    a->keys.data = a;
    uv_poll_start(&a->keys, UV_READABLE, on_keys);
    uv_timer_init(a->loop, &a->frame);
    a->frame.data = a;
    uv_timer_init(a->loop, &a->tick);
    a->tick.data = a;
    uv_timer_init(a->loop, &a->totals);
    a->totals.data = a;
    uv_timer_start(&a->tick, on_tick, TICK_MS, TICK_MS);
    start_signal(a, &a->sigwinch, SIGWINCH);
    start_signal(a, &a->sigterm, SIGTERM);
    start_signal(a, &a->sigint, SIGINT);
    start_signal(a, &a->sighup, SIGHUP);
    start_signal(a, &a->sigcont, SIGCONT);
    feed_init(&a->feed);
    pgc_start(&a->db, a->loop, a->dbname, "griddesk_events", live_statements, &live_hooks, a);
    app_dirty(a);
}

int main(int argc, char **argv)
{
    struct app a = { .bell = true, .views = views, .bindings = key_table, .overlay = draw_overlay,
                     .filters_taken = live_follow_filters };
    int status;
    i18n_init();
    if (options(&a, argc, argv, &status) < 0)
        return status;
    start_loop(&a);

    uv_run(a.loop, UV_RUN_DEFAULT);

    term_stop();
    pgc_stop(&a.db);
    uv_walk(a.loop, close_cb, NULL);
    uv_run(a.loop, UV_RUN_DEFAULT);
    uv_loop_close(a.loop);
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) & ~O_NONBLOCK);
    free_model(&a);
    if (a.trace)
        fclose(a.trace);
    return 0;
}
