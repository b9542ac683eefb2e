/* Acting on the selected case: each action is the SQL function gridctl
 * calls, sent at the version the operator saw, so a case someone else has
 * changed meanwhile is refused ("was changed by X at HH:MM; reload") and
 * nothing is written. The rules stay in the database: a refusal comes back
 * as the server's message in the status line. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct action {
    const char *stmt;  /* prepared statement (live.c) */
    const char *done;  /* said in the status line on success */
    const char *ask;   /* the text it needs, or NULL */
};

static const struct action actions[ACT_COUNT] = {
    [ACT_ACCEPT] = { "act_accept", N_("accepted"), NULL },
    [ACT_RETURN] = { "act_return", N_("returned to the centre"), N_("return: reason? ") },
    [ACT_ONSITE] = { "act_onsite", N_("on site"), NULL },
    [ACT_FEEDBACK] = { "act_feedback", N_("feedback noted"), N_("feedback: ") },
    [ACT_RESOLVE] = { "act_resolve", N_("resolved"), N_("resolve: outcome? ") },
    [ACT_CLOSE] = { "act_close", N_("closed"), NULL },
    [ACT_REOPEN] = { "act_reopen", N_("reopened"), N_("reopen: reason? ") },
    [ACT_CANCEL] = { "act_cancel", N_("cancelled"), N_("cancel: reason? ") },
    [ACT_NOTE] = { "act_note", N_("note added"), N_("note: ") },
    [ACT_RECATEGORIZE] = { "act_recategorize", N_("recategorized"), N_("category (code or name): ") },
    [ACT_ASSIGN] = { "act_assign", N_("dispatched"), NULL },
};

bool actions_selected(const struct app *a, char ref[32], char version[16])
{
    if (a->view == VIEW_DETAIL) {
        if (a->detail == NULL || PQntuples(a->detail) != 1)
            return false;
        snprintf(ref, 32, "%s", PQgetvalue(a->detail, 0, PQfnumber(a->detail, "ref")));
        snprintf(version, 16, "%s", PQgetvalue(a->detail, 0, PQfnumber(a->detail, "version")));
        return true;
    }
    if (a->view != VIEW_QUEUE || queue_rows(a) == 0)
        return false;
    snprintf(ref, 32, "%s", queue_get(a, a->sel, "ref"));
    snprintf(version, 16, "%s", queue_get(a, a->sel, "version"));
    return true;
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
    else {
        const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        char *said = m ? i18n_server_text(m) : NULL;
        app_message(a, "%s", said ? said : PQresultErrorMessage(res));
        free(said);
    }
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

int actions_start(struct app *a, enum action_id which)
{
    char ref[32], version[16];
    if (!actions_selected(a, ref, version))
        return KEY_NONE;
    if (!a->may_write) {
        app_message(a, _("your role (%s) may only look"), a->role);
        return KEY_REDRAW;
    }
    if (which == ACT_ASSIGN) {
        dispatch_open(a);
        return KEY_REDRAW;
    }
    if (actions[which].ask) {
        prompt_open(a, PROMPT_ACTION + which, _(actions[which].ask));
        /* the case and version are taken now, as seen, not when Enter is pressed */
        snprintf(a->prompt.ref, sizeof a->prompt.ref, "%s", ref);
        snprintf(a->prompt.version, sizeof a->prompt.version, "%s", version);
        return KEY_REDRAW;
    }
    actions_send(a, which, ref, version, NULL, 0);
    return KEY_REDRAW;
}
