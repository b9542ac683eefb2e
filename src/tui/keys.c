/* The one key table: every key of every view, with its help and the views
 * it works in. main hands it to the application (a->bindings); the dispatcher,
 * the help screen and the views' header lines all read it there (keymap.c),
 * so help cannot drift from what the keys do. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V_QUEUE (1u << VIEW_QUEUE)
#define V_DETAIL (1u << VIEW_DETAIL)
#define V_HELP (1u << VIEW_HELP)
#define V_DISPATCH (1u << VIEW_DISPATCH)
#define V_STATS (1u << VIEW_STATS)
#define V_ALL (V_QUEUE | V_DETAIL | V_HELP)
#define V_CASE (V_QUEUE | V_DETAIL) /* acting on the selected or open case */

/* further than any case's text or the help can scroll: the clamp stops it */
enum { SCROLL_ALL = 1000000 };

static int page(const struct app *a)
{
    return a->rows > 4 ? a->rows - 4 : 1;
}

static int move_sel(struct app *a, int by)
{
    if (a->view == VIEW_DETAIL || a->view == VIEW_HELP) {
        a->detail_top += by;
        if (a->detail_top < 0)
            a->detail_top = 0;
        return KEY_REDRAW;
    }
    queue_move(a, by);
    return KEY_REDRAW;
}

static int act_down(struct app *a) { return move_sel(a, 1); }
static int act_up(struct app *a) { return move_sel(a, -1); }
static int act_pgdn(struct app *a) { return move_sel(a, page(a)); }
static int act_pgup(struct app *a) { return move_sel(a, -page(a)); }
static int act_top(struct app *a)
{
    if (a->view != VIEW_QUEUE)
        return move_sel(a, -SCROLL_ALL);
    queue_top(a);
    return KEY_REDRAW;
}

static int act_bottom(struct app *a)
{
    if (a->view != VIEW_QUEUE)
        return move_sel(a, SCROLL_ALL);
    queue_bottom(a);
    return KEY_REDRAW;
}

static int act_open(struct app *a)
{
    char ref[32], version[16];
    if (!actions_selected(a, ref, version)) {
        app_message(a, _("no case to open: this view is empty"));
        return KEY_REDRAW;
    }
    app_open_detail(a, ref);
    return KEY_REDRAW;
}

static bool any_filter(const struct app *a)
{
    for (int i = 0; i < FILTER_COUNT; i++)
        if (a->filter[i])
            return true;
    return false;
}

static int act_back(struct app *a)
{
    if (a->view != VIEW_QUEUE) {
        a->detail_ref[0] = '\0';
        app_enter(a, VIEW_QUEUE);
        return KEY_REDRAW;
    }
    if (!any_filter(a))
        return KEY_NONE;
    for (int i = 0; i < FILTER_COUNT; i++) {
        free(a->filter[i]);
        a->filter[i] = NULL;
    }
    queue_top(a);
    app_message(a, _("filters cleared"));
    return KEY_REDRAW;
}

static int act_search(struct app *a)
{
    prompt_open(a, FILTER_TEXT, "/", NULL);
    return KEY_REDRAW;
}

static int act_filter(struct app *a)
{
    prompt_open(a, FILTER_COUNT, _("filter (status= district= category= priority=): "), NULL);
    return KEY_REDRAW;
}

static int act_help(struct app *a)
{
    a->detail_top = 0;
    app_enter(a, a->view == VIEW_HELP ? VIEW_QUEUE : VIEW_HELP);
    return KEY_REDRAW;
}

static int act_refresh(struct app *a)
{
    clearok(curscr, TRUE);
    queue_reload(a);
    live_reload_detail(a);
    return KEY_REDRAW;
}

static int act_assign(struct app *a) { return actions_start(a, ACT_ASSIGN); }
static int act_accept(struct app *a) { return actions_start(a, ACT_ACCEPT); }
static int act_return(struct app *a) { return actions_start(a, ACT_RETURN); }
static int act_onsite(struct app *a) { return actions_start(a, ACT_ONSITE); }
static int act_feedback(struct app *a) { return actions_start(a, ACT_FEEDBACK); }
static int act_resolve(struct app *a) { return actions_start(a, ACT_RESOLVE); }
static int act_close(struct app *a) { return actions_start(a, ACT_CLOSE); }
static int act_reopen(struct app *a) { return actions_start(a, ACT_REOPEN); }
static int act_cancel(struct app *a) { return actions_start(a, ACT_CANCEL); }
static int act_note(struct app *a) { return actions_start(a, ACT_NOTE); }
static int act_recategorize(struct app *a) { return actions_start(a, ACT_RECATEGORIZE); }
static int act_merge(struct app *a) { return actions_start(a, ACT_MERGE); }

static int act_stats(struct app *a)
{
    app_enter(a, VIEW_STATS);
    return KEY_REDRAW;
}

static int act_quit(struct app *a)
{
    (void)a;
    return KEY_QUIT;
}

const struct key_binding key_table[] = {
    { KEY_DOWN, "Down j", V_ALL, N_("next case / scroll down"), act_down, NULL },
    { 'j', NULL, V_ALL, NULL, act_down, NULL },
    { KEY_UP, "Up k", V_ALL, N_("previous case / scroll up"), act_up, NULL },
    { 'k', NULL, V_ALL, NULL, act_up, NULL },
    { KEY_NPAGE, "PgDn", V_ALL, N_("a page down"), act_pgdn, NULL },
    { KEY_PPAGE, "PgUp", V_ALL, N_("a page up"), act_pgup, NULL },
    { 'g', "g", V_QUEUE, N_("first case"), act_top, NULL },
    { KEY_HOME, NULL, V_QUEUE, NULL, act_top, NULL },
    { 'G', "G", V_QUEUE, N_("last case"), act_bottom, NULL },
    { KEY_END, NULL, V_QUEUE, NULL, act_bottom, NULL },
    { '\r', "Enter", V_QUEUE, N_("open the case: every field and its timeline"), act_open, NULL },
    { '\n', NULL, V_QUEUE, NULL, act_open, NULL },
    { KEY_ENTER, NULL, V_QUEUE, NULL, act_open, NULL },
    { '/', "/", V_QUEUE, N_("filter by text (reference, title, location)"), act_search, NULL },
    { 'f', "f", V_QUEUE, N_("filter by status, district, category, priority"), act_filter, NULL },
    { CH_ESC, "Esc", V_ALL, N_("back to the queue; in the queue, clear the filters"), act_back, NULL },
    { 'a', "a", V_CASE, N_("dispatch: department, mediator, note (a Enter Enter Enter)"), act_assign, NULL },
    { 'A', "A", V_CASE, N_("accept the order (department); Enter confirms"), act_accept, NULL },
    { 'b', "b", V_CASE, N_("send back to the centre, with a reason (department)"), act_return, NULL },
    { 'o', "o", V_CASE, N_("on site (department); Enter confirms"), act_onsite, NULL },
    { 'F', "F", V_CASE, N_("feedback: a progress note (department)"), act_feedback, NULL },
    { 'r', "r", V_CASE, N_("resolve, with the outcome (department)"), act_resolve, NULL },
    { 'c', "c", V_CASE, N_("close a resolved case; Enter confirms"), act_close, NULL },
    { 'O', "O", V_CASE, N_("reopen a resolved or closed case, with a reason"), act_reopen, NULL },
    { 'X', "X", V_CASE, N_("cancel a duplicate or invalid case, with a reason"), act_cancel, NULL },
    { 'n', "n", V_CASE, N_("add a note to the timeline"), act_note, NULL },
    { 't', "t", V_CASE, N_("correct a misfiled report's category (type)"), act_recategorize, NULL },
    { 'm', "m", V_CASE, N_("merge into the case of the same incident: a candidate's number, or a reference"),
      act_merge, NULL },
    { 's', "s", V_CASE, N_("supervision: today and this week by district"), act_stats, NULL },
    /* the dispatch dialog; typing filters the departments, then writes the note */
    { CH_ESC, "Esc", V_DISPATCH, N_("dispatch: cancel, nothing is changed"), dispatch_cancel, N_("cancel") },
    { '\r', "Enter", V_DISPATCH, N_("dispatch: take the highlighted choice; on the note, send"),
      dispatch_enter, N_("next") },
    { '\n', NULL, V_DISPATCH, NULL, dispatch_enter, NULL },
    { KEY_ENTER, NULL, V_DISPATCH, NULL, dispatch_enter, NULL },
    { KEY_DOWN, "Down Up", V_DISPATCH, N_("dispatch: the next or previous department or mediator"),
      dispatch_down, N_("choose") },
    { KEY_UP, NULL, V_DISPATCH, NULL, dispatch_up, NULL },
    { '\t', "Tab", V_DISPATCH, N_("dispatch: mark the highlighted department as assisting (协办), again to unmark"),
      dispatch_assist, NULL },
    { KEY_BACKSPACE, "Backspace", V_DISPATCH, N_("dispatch: erase the last character typed"),
      dispatch_erase, NULL },
    { CH_DEL, NULL, V_DISPATCH, NULL, dispatch_erase, NULL },
    { CH_BS, NULL, V_DISPATCH, NULL, dispatch_erase, NULL },
    /* supervision */
    { 'd', "d", V_STATS, N_("supervision: by district or by department"), stats_switch,
      N_("district/department") },
    { 's', "s Esc", V_STATS, N_("supervision: back where it was opened"), stats_close, N_("back") },
    { CH_ESC, NULL, V_STATS, NULL, stats_close, NULL },
    { '?', "?", V_ALL | V_STATS, N_("this help"), act_help, NULL },
    { CH_CTRL_L, "Ctrl-L", V_ALL | V_STATS, N_("redraw the screen and reload"), act_refresh, NULL },
    { 'q', "q", V_ALL | V_STATS, N_("quit"), act_quit, NULL },
    { 0, NULL, 0, NULL, NULL, NULL },
};
