#ifndef GRIDDESK_TUI_H
#define GRIDDESK_TUI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <uv.h>
#include <wchar.h>

#include "griddesk/feed.h"
#include "griddesk/pgc.h"

/* The console: one libuv loop owns the database socket, the keyboard,
 * signals and timers. Callbacks change the model and mark the screen dirty;
 * one frame timer draws at most every 17 ms. */

enum view_id { VIEW_QUEUE, VIEW_DETAIL, VIEW_HELP, VIEW_DISPATCH, VIEW_STATS, VIEW_COUNT };

/* what an operator or a department can do to the selected case */
enum action_id { ACT_ACCEPT, ACT_RETURN, ACT_ONSITE, ACT_FEEDBACK, ACT_RESOLVE, ACT_CLOSE,
                 ACT_REOPEN, ACT_CANCEL, ACT_NOTE, ACT_RECATEGORIZE, ACT_ASSIGN, ACT_MERGE,
                 ACT_ASSIGN_JOINT, ACT_COUNT };
enum { PROMPT_ACTION = 100 }; /* prompt targets from here on are actions */

/* what a key handler did */
enum { KEY_NONE = 0, KEY_REDRAW = 1, KEY_QUIT = 2 };
/* characters the keys are named by (ncurses names only KEY_ codes) */
enum { CH_BS = 8, CH_CTRL_L = 12, CH_ESC = 27, CH_DEL = 127 };

enum filter_id { FILTER_TEXT, FILTER_STATUS, FILTER_DISTRICT, FILTER_CATEGORY,
                 FILTER_PRIORITY, FILTER_COUNT };

struct app;
struct prompt {
    bool active;
    bool shown;          /* drawn on the screen: only then may Enter send an action */
    int target;          /* enum filter_id the line goes to, or PROMPT_ACTION + action */
    char ref[32], version[16]; /* an action's case, as seen when its key was pressed */
    char choices[400];   /* a merge's candidates then: "REF VERSION REF VERSION ..." */
    char label[160];
    wchar_t buf[128];
    int len;
    /* what Enter does with the line when it is not a filter's (an action's
     * text), or NULL */
    void (*done)(struct app *a, const char *line);
};

/* A change that needs no text (accept, on site, close) waits for Enter on a
 * question naming the case and the change. Enter counts only once the
 * question is on the screen, so an Enter typed ahead is not an answer. */
struct question {
    bool active;
    bool shown;
    enum action_id which;
    char ref[32], version[16]; /* as seen when its key was pressed */
};

/* Reading whole keys (input.c): a sequence ncurses did not decode is
 * collected here, so its bytes never act as keys of their own. */
enum input_kind { INPUT_NONE, INPUT_CHAR, INPUT_KEY, INPUT_SEQUENCE };
struct input {
    char seq[32];        /* the undecoded sequence so far, from its Esc */
    int len;
    bool linux_fkey;     /* Esc [ [ X: the Linux console's F1-F5 */
    uint64_t at_ms;      /* when its last byte came */
    bool held, held_key; /* a key read ahead of its turn, handed on next */
    wint_t held_ch;
    char name[48];       /* the ignored sequence, printable, for the status line */
};

/* the dispatch dialog: department, mediator, note, confirm */
struct dispatch {
    int step;
    char ref[32], version[16];
    bool dispute;
    struct pg_result *depts, *meds; /* owned copies */
    /* their columns, looked up when each arrives */
    struct { int code, name, reason; } dc;
    struct { int id, name, tier, km, minutes, reason; } mc;
    int sel;
    wchar_t filter[64];
    int flen;
    char dept[48], mediator[16], mediator_name[64], note[512];
    char assist[256]; /* assisting departments marked in step 1 (联办): "CODE,CODE" */
    int pending;    /* Enters typed before their list arrived, played when it does */
    bool replaying; /* one of those is being played now */
};

struct arrival {
    int64_t case_id;
    uint64_t at_ms;
};

struct app {
    uv_loop_t *loop;
    struct pgc db;
    struct feed feed;
    const char *dbname;

    /* model: a window of the queue and the open case; results are owned */
    struct pg_result *queue;       /* PGresult of gd_queue */
    struct pg_result *detail;      /* PGresult of gd_case_detail */
    struct pg_result *timeline;    /* PGresult of gd_case_events */
    unsigned detail_seq;           /* counts detail results: a new one is wrapped anew */
    struct detail_lines *detail_lines; /* the open case's fields, wrapped (view_detail.c) */
    char detail_ref[32];
    char *filter[FILTER_COUNT];    /* owned; NULL when unset */
    char *undo[FILTER_COUNT];      /* filters before the last change, restored
                                      if the server refuses the new ones */
    bool undo_pending;
    char sel_ref[32];              /* the selection follows its case across reloads */
    /* the window of the queue on hand: from the top, or from a key onwards
     * (dir 1), or ending before a key or at the bottom (dir -1) */
    int win_dir;
    char win_key[3][48];           /* priority, deadline key, id */
    long total, overdue, above;    /* of the whole view: read apart, at most twice a second */
    bool totals_busy, totals_again;
    uint64_t totals_at;
    /* a window on its way: where the selection goes in it (from its start,
     * or from its end when negative: -1 is the last row), and its place in
     * the view (above_minus_rows: `above` less the rows that come) */
    bool placing, above_minus_rows;
    int place;
    unsigned win_seq, queue_asked_seq; /* a result for an older request is dropped */
    unsigned fetch_seq;            /* win_seq when the feed read in flight was sent */
    int win_limit;                 /* rows the window on hand was asked for */
    bool totals_now;                   /* the view or the window moved: count at once */

    /* state of the work in flight: at most one of each, repeats folded */
    bool live, fetch_busy, fetch_again, queue_busy, queue_again, detail_busy, detail_again;
    char role[16];
    bool may_write, may_see_phone;

    enum view_id view, back; /* back: where the dispatch dialog returns */
    struct dispatch dispatch;
    struct pg_result *stats[2];   /* supervision: today, this week (owned) */
    uint64_t stats_at;
    int stats_busy;   /* its reads in flight */
    bool stats_again; /* asked for again meanwhile: read once more when they are back */
    bool stats_by_department;
    int sel, top, detail_top;
    struct prompt prompt;
    struct question question;
    struct input input;
    char message[200];
    uint64_t message_until;
    struct arrival arrivals[32];

    int64_t queue_asked_newest;    /* feed.newest when the queue in flight was asked for */
    int64_t screen_newest;         /* newest event the queue on hand reflects */

    /* the tables the console runs on, handed over by main: the views by
     * enum view_id, the key table, and what is drawn over every view (a
     * question or the prompt) */
    const struct view *const *views;
    const struct key_binding *bindings;
    void (*overlay)(struct app *a);
    /* the queue took the view's filters (live_follow_filters) */
    void (*filters_taken)(struct app *a);
    /* the district filter ("" for none) the console's channel was chosen
     * for; NULL when none was chosen on this connection yet (owned) */
    char *listen_for;
    bool listen_busy;

    bool dirty, bell, colour;
    int rows, cols;
    uint64_t last_frame_ms;
    FILE *trace;

    uv_poll_t keys;
    uv_timer_t frame, tick, totals;
    uv_signal_t sigwinch, sigterm, sigint, sighup, sigcont;
};

/* A view is opened through app_enter only. Its enter, if any, runs while
 * the view it is opened from is still the one on screen (it may take the
 * selected case from it) and starts what the view needs; false: it cannot
 * open, and the screen stays as it was. */
struct view {
    const char *name;
    void (*draw)(struct app *a);
    /* a view that takes typing sees every key first; KEY_NONE passes it on */
    int (*key)(struct app *a, wint_t ch, bool is_key);
    bool (*enter)(struct app *a);
};

extern const struct view view_queue, view_detail, view_help, view_dispatch, view_stats;

/* view_detail.c */
void detail_free(struct app *a);

/* view_stats.c */
void stats_tick(struct app *a);
void stats_free(struct app *a);
int stats_switch(struct app *a); /* by district or by department */
int stats_close(struct app *a);

/* app.c: the services every view uses; it calls no view, key or action
 * but through the tables main handed it */
void app_dirty(struct app *a);
void app_trace(struct app *a, const char *what, long long value);
void app_message(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* what the server said, in the interface language; else fallback, else
 * libpq's own words */
void app_server_message(struct app *a, const PGresult *res, const char *fallback);
void app_enter(struct app *a, enum view_id v);
void app_open_detail(struct app *a, const char *ref);

/* live.c: the database side (the connection's hooks, the feed, the open case) */
extern const struct pgc_hooks live_hooks;
void live_reload_detail(struct app *a);
/* listen to the channel of the login's scope or the district filter, then
 * read past the watermark: only that area's changes wake the console */
void live_follow_filters(struct app *a);
bool live_recent(const struct app *a, int64_t case_id, uint64_t now_ms);
/* live_sql.c: every statement, prepared on each connection, run by name */
extern const struct pgc_statement live_statements[];

/* term.c */
int term_check(void); /* before term_start: -1, said on stderr, if TERM cannot do */
void term_start(struct app *a);
void term_stop(void);
void term_resize(struct app *a);
void term_resume(struct app *a); /* after SIGCONT */
enum { PAIR_URGENT = 1, PAIR_OVERDUE, PAIR_NEW, PAIR_BAR, PAIR_LIVE, PAIR_DOWN };
int term_attr(const struct app *a, int pair, int mono);

/* draw.c */
int draw_text(int y, int x, const char *s, int cols);  /* cleans; returns columns used */
void draw_pad(int y, int x, int cols);
void draw_status(struct app *a);
void draw_format_age(char *out, size_t n, double seconds);

/* keys.c: the one key table, every view's keys; read through a->keys */
struct key_binding {
    int key;
    const char *name;    /* as shown in help */
    unsigned views;      /* bit per enum view_id */
    const char *help;
    int (*act)(struct app *a);
    const char *hint;    /* a word or two for the view's header line, or NULL */
};
extern const struct key_binding key_table[];

/* keymap.c: a whole key for the view on screen, the view first (a view
 * that takes typing sees every key), then the key table; is_key: ch is a
 * KEY_ code from ncurses, not a character */
int keymap_key(struct app *a, wint_t ch, bool is_key);
void keymap_name(wint_t ch, char *out, size_t n); /* a KEY_ code as people know it */
/* "Esc cancel, Enter next": the view's keys that have a hint, for its header */
void keymap_hint(const struct app *a, enum view_id v, char *out, size_t n);

/* input.c */
enum input_kind input_read(struct input *in, uint64_t now_ms, wint_t *ch);

/* actions.c: the selected case's ref and version as the operator saw them */
bool actions_selected(const struct app *a, char ref[32], char version[16]);
int actions_start(struct app *a, enum action_id which);
int actions_answer(struct app *a, wint_t ch, bool is_key); /* a key while a question is up */
void actions_draw_question(struct app *a);
void actions_send(struct app *a, enum action_id which, const char *ref, const char *version,
                  const char *const *args, int nargs);
void dispatch_free(struct app *a);
int dispatch_cancel(struct app *a);
int dispatch_enter(struct app *a);
int dispatch_down(struct app *a);
int dispatch_up(struct app *a);
int dispatch_erase(struct app *a);
int dispatch_assist(struct app *a);

/* prompt.c */
/* done: what Enter does with the line; NULL for a filter (target) */
void prompt_open(struct app *a, int target, const char *label,
                 void (*done)(struct app *a, const char *line));
int prompt_key(struct app *a, wint_t ch, bool is_key);
void prompt_draw(struct app *a);

/* queue.c: the queue's window of cases, its selection and its totals */
void queue_reload(struct app *a);
int queue_rows(const struct app *a);
/* "" for a row or column that is not there */
const char *queue_get(const struct app *a, int row, const char *col);
/* move the selection by rows, fetching another window past either end */
void queue_move(struct app *a, long by);
void queue_top(struct app *a);
void queue_bottom(struct app *a);
/* the filters as they were before the last change (a->undo), which the
 * server or the prompt refused */
void queue_restore_filters(struct app *a);
/* The changed cases of a feed read (gd_queue_changes), put into the window
 * on hand by their queue keys; false when only a new read of the window can
 * say what it now holds (then nothing was changed). seq: win_seq when the
 * read was sent. */
bool queue_apply(struct app *a, const PGresult *changes, unsigned seq);
extern const char *const filter_names[FILTER_COUNT];

#endif
