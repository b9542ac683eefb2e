/* Acting on the selected case: each action is the SQL function gridctl
 * calls, sent at the version the operator saw, so a case someone else has
 * changed meanwhile is refused ("was changed by X at HH:MM; reload") and
 * nothing is written. The rules stay in the database: a refusal comes back
 * as the server's message in the status line. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct action {
    const char *stmt;  /* prepared statement (live.c) */
    const char *done;  /* said in the status line on success */
    bool text;         /* asks for text (a prompt), else a question Enter answers */
};

static const struct action actions[ACT_COUNT] = {
    [ACT_ACCEPT] = { "act_accept", N_("accepted"), false },
    [ACT_RETURN] = { "act_return", N_("returned to the centre"), true },
    [ACT_ONSITE] = { "act_onsite", N_("on site"), false },
    [ACT_FEEDBACK] = { "act_feedback", N_("feedback noted"), true },
    [ACT_RESOLVE] = { "act_resolve", N_("resolved"), true },
    [ACT_CLOSE] = { "act_close", N_("closed"), false },
    [ACT_REOPEN] = { "act_reopen", N_("reopened"), true },
    [ACT_CANCEL] = { "act_cancel", N_("cancelled"), true },
    [ACT_NOTE] = { "act_note", N_("note added"), true },
    [ACT_RECATEGORIZE] = { "act_recategorize", N_("recategorized"), true },
    [ACT_ASSIGN] = { "act_assign", N_("dispatched"), false },
    [ACT_MERGE] = { "act_merge", N_("merged"), true },
    [ACT_ASSIGN_JOINT] = { "act_assign_joint", N_("dispatched with assisting departments"), false },
};

/* What an action asks, naming the case: the question Enter answers, or the
 * prompt for its text. A switch of literals, so each format is checked. */
static void ask(enum action_id which, const char *ref, char *out, size_t n)
{
    switch (which) {
    case ACT_ACCEPT: snprintf(out, n, _("accept %s? Enter confirms, Esc cancels"), ref); return;
    case ACT_ONSITE: snprintf(out, n, _("%s on site? Enter confirms, Esc cancels"), ref); return;
    case ACT_CLOSE: snprintf(out, n, _("close %s? Enter confirms, Esc cancels"), ref); return;
    case ACT_RETURN: snprintf(out, n, _("return %s to the centre, reason: "), ref); return;
    case ACT_FEEDBACK: snprintf(out, n, _("feedback on %s: "), ref); return;
    case ACT_RESOLVE: snprintf(out, n, _("resolve %s, outcome: "), ref); return;
    case ACT_REOPEN: snprintf(out, n, _("reopen %s, reason: "), ref); return;
    case ACT_CANCEL: snprintf(out, n, _("cancel %s, reason: "), ref); return;
    case ACT_NOTE: snprintf(out, n, _("note on %s: "), ref); return;
    case ACT_RECATEGORIZE: snprintf(out, n, _("category of %s (code or name): "), ref); return;
    case ACT_MERGE:
        snprintf(out, n, _("merge %s into (a candidate's number, or a reference): "), ref);
        return;
    case ACT_ASSIGN:
    case ACT_ASSIGN_JOINT:
    case ACT_COUNT: break;
    }
    snprintf(out, n, "%s", ref);
}

bool actions_selected(const struct app *a, char ref[32], char version[16])
{
    if (a->view == VIEW_DETAIL) {
        if (a->detail == NULL || PQntuples(a->detail) != 1)
            return false;
        snprintf(ref, 32, "%s", PQgetvalue(a->detail, 0, PQfnumber(a->detail, "ref")));
        snprintf(version, 16, "%s", PQgetvalue(a->detail, 0, PQfnumber(a->detail, "version")));
        /* until the open case has come, what is on hand is the one before */
        return strcmp(ref, a->detail_ref) == 0;
    }
    if (a->view != VIEW_QUEUE || a->sel < 0 || a->sel >= queue_rows(a))
        return false;
    snprintf(ref, 32, "%s", queue_get(a, a->sel, "ref"));
    snprintf(version, 16, "%s", queue_get(a, a->sel, "version"));
    return ref[0] != '\0' && version[0] != '\0';
}

struct pending {
    struct app *a;
    enum action_id which;
    char ref[32];
};

static void on_done(void *arg, const PGresult *res)
{
    struct pending *p = arg;
    struct app *a = p->a;
    if (res == NULL)
        app_message(a, _("%s: the connection dropped; nothing was changed"), p->ref);
    else if (PQresultStatus(res) == PGRES_TUPLES_OK)
        app_message(a, _("%s %s (version %s)"), p->ref, _(actions[p->which].done),
                    PQgetvalue(res, 0, 0));
    else
        app_server_message(a, res, NULL);
    free(p);
}

void actions_send(struct app *a, enum action_id which, const char *ref, const char *version,
                  const char *const *args, int nargs)
{
    const char *params[6] = { ref, version };
    for (int i = 0; i < nargs && i < 4; i++)
        params[2 + i] = args[i];
    struct pending *p = xcalloc(1, sizeof *p);
    p->a = a;
    p->which = which;
    snprintf(p->ref, sizeof p->ref, "%s", ref);
    if (pgc_run(&a->db, actions[which].stmt, 2 + nargs, params, on_done, p) < 0) {
        app_message(a, _("not connected: nothing was changed"));
        free(p);
    }
}

/* Enter on an action's prompt: the text goes with the case and version
 * taken when its key was pressed */
static void send_text(struct app *a, const char *line)
{
    const struct prompt *p = &a->prompt;
    const char *args[] = { line };
    actions_send(a, (enum action_id)(p->target - PROMPT_ACTION), p->ref, p->version, args, 1);
}

/* candidate n (from 1) of "REF VERSION REF VERSION ..." */
static bool pick_choice(const char *choices, long n, char into[32], char version[16])
{
    int used = 0;
    for (long i = 1; sscanf(choices, "%31s %15s%n", into, version, &used) == 2; i++) {
        if (i == n)
            return true;
        choices += used;
    }
    return false;
}

/* Enter on the merge prompt: a number picks that candidate of the case
 * view, at the version it had when m was pressed; a reference is taken as
 * it is now */
static void send_merge(struct app *a, const char *line)
{
    const struct prompt *p = &a->prompt;
    char into[32] = "", version[16] = "";
    char *end;
    long n = strtol(line, &end, 10);
    if (end != line && *end == '\0') {
        if (!pick_choice(p->choices, n, into, version)) {
            app_message(a, _("no candidate %ld: nothing was changed"), n);
            return;
        }
    } else {
        snprintf(into, sizeof into, "%s", line);
    }
    const char *args[] = { into, version[0] ? version : NULL };
    actions_send(a, ACT_MERGE, p->ref, p->version, args, 2);
}

/* nothing selected: say why, rather than do nothing */
static int nothing_selected(struct app *a)
{
    if (a->view == VIEW_DETAIL)
        app_message(a, _("the case is still loading: nothing was changed"));
    else if (a->view == VIEW_QUEUE)
        app_message(a, _("no case to act on: this view is empty"));
    return KEY_REDRAW;
}

/* the candidates the case view shows, numbered from 1 */
static const char *merge_choices(const struct app *a)
{
    if (a->view != VIEW_DETAIL || a->detail == NULL || PQntuples(a->detail) != 1)
        return "";
    int f = PQfnumber(a->detail, "candidate_keys");
    return f < 0 ? "" : PQgetvalue(a->detail, 0, f);
}

int actions_start(struct app *a, enum action_id which)
{
    char ref[32], version[16];
    if (!actions_selected(a, ref, version))
        return nothing_selected(a);
    if (!a->may_write) {
        app_message(a, _("your role (%s) may only look"), a->role);
        return KEY_REDRAW;
    }
    if (which == ACT_ASSIGN) { /* the dialog's own steps confirm */
        app_enter(a, VIEW_DISPATCH);
        return KEY_REDRAW;
    }
    char label[160];
    ask(which, ref, label, sizeof label);
    if (actions[which].text) {
        prompt_open(a, PROMPT_ACTION + which, label, which == ACT_MERGE ? send_merge : send_text);
        /* the case and version are taken now, as seen, not when Enter is pressed */
        snprintf(a->prompt.ref, sizeof a->prompt.ref, "%s", ref);
        snprintf(a->prompt.version, sizeof a->prompt.version, "%s", version);
        snprintf(a->prompt.choices, sizeof a->prompt.choices, "%s",
                 which == ACT_MERGE ? merge_choices(a) : "");
        return KEY_REDRAW;
    }
    struct question *q = &a->question;
    *q = (struct question){ .active = true, .which = which };
    snprintf(q->ref, sizeof q->ref, "%s", ref);
    snprintf(q->version, sizeof q->version, "%s", version);
    return KEY_REDRAW;
}

/* While a question is up only Enter and Esc count: a key pressed again, or
 * any other, does nothing more. */
int actions_answer(struct app *a, wint_t ch, bool is_key)
{
    struct question *q = &a->question;
    bool enter = (is_key && ch == KEY_ENTER) || (!is_key && (ch == L'\r' || ch == L'\n'));
    if (enter && q->shown) {
        q->active = false;
        actions_send(a, q->which, q->ref, q->version, NULL, 0);
        return KEY_REDRAW;
    }
    if (!is_key && ch == CH_ESC) {
        q->active = false;
        app_message(a, _("%s: cancelled, nothing was changed"), q->ref);
        return KEY_REDRAW;
    }
    return KEY_NONE;
}

void actions_draw_question(struct app *a)
{
    struct question *q = &a->question;
    char line[200];
    ask(q->which, q->ref, line, sizeof line);
    attrset(A_BOLD);
    draw_pad(a->rows - 1, 0, a->cols);
    draw_text(a->rows - 1, 0, line, a->cols);
    attrset(A_NORMAL);
    q->shown = true;
}
