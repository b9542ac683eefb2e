/* The application's services that every view uses: the frame (drawn at
 * once when none went out within the frame interval, else at its end),
 * messages on the status line, the trace, and opening a view. main
 * (griddesk.c) wires the loop to these; views never call main's file. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { FRAME_MS = 16, MESSAGE_MS = 5000 };

static const struct view *const views[VIEW_COUNT] = { &view_queue, &view_detail, &view_help,
                                                      &view_dispatch, &view_stats };

static uint64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void draw_frame(struct app *a)
{
    a->dirty = false;
    a->last_frame_ms = uv_now(a->loop);
    erase();
    if (a->rows < 3 || a->cols < 20) {
        draw_text(0, 0, _("window too small"), a->cols);
    } else {
        views[a->view]->draw(a);
        draw_status(a);
        /* these mark themselves shown: the doupdate below puts them on the
         * terminal before another key is read */
        if (a->question.active)
            actions_draw_question(a);
        else if (a->prompt.active)
            prompt_draw(a);
    }
    wnoutrefresh(stdscr);
    doupdate();
    app_trace(a, "frame", a->screen_newest);
}

/* --trace: one line per event of interest, CLOCK_REALTIME nanoseconds */
void app_trace(struct app *a, const char *what, long long value)
{
    if (a->trace)
        fprintf(a->trace, "%s %llu %lld\n", what, (unsigned long long)wall_ns(), value);
}

static void on_frame(uv_timer_t *t)
{
    struct app *a = t->data;
    if (a->dirty)
        draw_frame(a);
}

void app_dirty(struct app *a)
{
    if (a->dirty)
        return;
    a->dirty = true;
    uint64_t since = uv_now(a->loop) - a->last_frame_ms;
    uv_timer_start(&a->frame, on_frame, since >= FRAME_MS ? 0 : FRAME_MS - since, 0);
}

void app_message(struct app *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->message, sizeof a->message, fmt, ap);
    va_end(ap);
    a->message_until = uv_now(a->loop) + MESSAGE_MS;
    app_dirty(a);
}

void app_server_message(struct app *a, const PGresult *res, const char *fallback)
{
    const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    char *said = m ? i18n_server_text(m) : NULL;
    app_message(a, "%s", said ? said : fallback ? fallback : PQresultErrorMessage(res));
    free(said);
}

void app_open_detail(struct app *a, const char *ref)
{
    snprintf(a->detail_ref, sizeof a->detail_ref, "%s", ref);
    a->view = VIEW_DETAIL;
    a->detail_top = 0;
    live_reload_detail(a);
    app_dirty(a);
}

/* one whole key for the view on screen: the view first (a view that takes
 * typing sees every key), then the key table */
int app_key(struct app *a, wint_t ch, bool is_key)
{
    int done = views[a->view]->key(a, ch, is_key);
    return done != KEY_NONE ? done : keys_dispatch(a, ch, is_key);
}
