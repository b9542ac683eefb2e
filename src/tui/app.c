/* The application's services that every view uses: the frame (drawn at
 * once when none went out within the frame interval, else at its end),
 * messages on the status line, the trace, and opening a view. main
 * (griddesk.c) wires the loop to these and hands over the view and key
 * tables; this file calls no view but through them. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* 17 ms: at most 58 frames a second, under the 60 a slow link is promised */
enum { FRAME_MS = 17, MESSAGE_MS = 5000 };

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
        a->views[a->view]->draw(a);
        draw_status(a);
        /* a question or prompt marks itself shown: the doupdate below puts
         * it on the terminal before another key is read */
        a->overlay(a);
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

void app_enter(struct app *a, enum view_id v)
{
    if (a->views[v]->enter && !a->views[v]->enter(a))
        return;
    a->view = v;
    app_dirty(a);
}

void app_open_detail(struct app *a, const char *ref)
{
    snprintf(a->detail_ref, sizeof a->detail_ref, "%s", ref);
    a->detail_top = 0;
    app_enter(a, VIEW_DETAIL);
}
