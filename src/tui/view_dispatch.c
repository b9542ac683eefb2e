/* The dispatch dialog: a department (suggestions first, type to filter;
 * Tab marks assisting departments, 联办), a mediator (ranked; "none" first
 * unless the case is a dispute), then the summary with a note field, where
 * Enter dispatches. The common path is a, Enter, Enter, Enter. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

enum { STEP_DEPT, STEP_MEDIATOR, STEP_NOTE };

enum { MAX_CHOICES = 128, MAX_TYPED = 63 };

/* Over SSH "a Enter Enter Enter" can arrive in one packet, before the lists
 * do: the Enters wait for them instead of being lost. */
static void play_pending(struct app *a)
{
    while (a->view == VIEW_DISPATCH && a->dispatch.pending > 0) {
        int before = a->dispatch.pending;
        a->dispatch.pending--;
        a->dispatch.replaying = true;
        dispatch_enter(a);
        if (a->view != VIEW_DISPATCH) /* it dispatched: the dialog is gone */
            return;
        a->dispatch.replaying = false;
        if (a->dispatch.pending >= before) /* the next list has not come yet */
            break;
    }
}

static void on_depts(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || a->view != VIEW_DISPATCH)
        return;
    struct dispatch *d = &a->dispatch;
    PQclear(d->depts);
    d->depts = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    d->dc.code = PQfnumber(res, "code");
    d->dc.name = PQfnumber(res, "name");
    d->dc.reason = PQfnumber(res, "reason");
    play_pending(a);
    app_dirty(a);
}

static void on_meds(void *arg, const PGresult *res)
{
    struct app *a = arg;
    if (res == NULL || a->view != VIEW_DISPATCH)
        return;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        app_server_message(a, res, _("the ranking failed"));
        return;
    }
    struct dispatch *d = &a->dispatch;
    PQclear(d->meds);
    d->meds = PQcopyResult(res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES);
    d->mc.id = PQfnumber(res, "staff_id");
    d->mc.name = PQfnumber(res, "name");
    d->mc.tier = PQfnumber(res, "tier");
    d->mc.km = PQfnumber(res, "distance_km");
    d->mc.minutes = PQfnumber(res, "travel_min");
    d->mc.reason = PQfnumber(res, "reason");
    d->dispute = PQntuples(res) > 0 && strcmp(PQgetvalue(res, 0, PQfnumber(res, "dispute")), "t") == 0;
    play_pending(a);
    app_dirty(a);
}

void dispatch_free(struct app *a)
{
    PQclear(a->dispatch.depts);
    PQclear(a->dispatch.meds);
    memset(&a->dispatch, 0, sizeof a->dispatch);
}

/* opened on the selected case of the view on screen */
static bool enter(struct app *a)
{
    char ref[32], version[16];
    if (!actions_selected(a, ref, version))
        return false;
    a->back = a->view;
    dispatch_free(a);
    struct dispatch *d = &a->dispatch;
    snprintf(d->ref, sizeof d->ref, "%s", ref);
    snprintf(d->version, sizeof d->version, "%s", version);
    const char *params[] = { ref };
    pgc_run(&a->db, "dispatch_depts", 1, params, on_depts, a);
    pgc_run(&a->db, "dispatch_meds", 1, params, on_meds, a);
    return true;
}

static void close_dialog(struct app *a)
{
    dispatch_free(a);
    app_enter(a, a->back);
}

static void filter_text(const struct dispatch *d, char *out, size_t n)
{
    wchar_t w[64];
    memcpy(w, d->filter, sizeof w);
    w[d->flen] = L'\0';
    if (wcstombs(out, w, n) == (size_t)-1)
        out[0] = '\0';
}

/* the departments the typed text matches, by code or name */
static int dept_matches(const struct app *a, int *idx, int max)
{
    const struct dispatch *d = &a->dispatch;
    char f[256];
    int n = 0;
    filter_text(d, f, sizeof f);
    for (int i = 0; d->depts && i < PQntuples(d->depts) && n < max; i++)
        if (!*f || strcasestr(PQgetvalue(d->depts, i, d->dc.code), f)
            || strstr(PQgetvalue(d->depts, i, d->dc.name), f))
            idx[n++] = i;
    return n;
}

/* the mediator choices: -1 is "no mediator" */
static int mediator_choices(const struct app *a, int *idx)
{
    const struct dispatch *d = &a->dispatch;
    int n = 0, m = d->meds ? PQntuples(d->meds) : 0;
    if (!d->dispute)
        idx[n++] = -1;
    for (int i = 0; i < m; i++)
        idx[n++] = i;
    if (d->dispute)
        idx[n++] = -1;
    return n;
}

/* Is code among the assisting departments marked ("A,B,C")? */
static bool marked(const struct dispatch *d, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = strstr(d->assist, code); n && p; p = strstr(p + 1, code))
        if ((p == d->assist || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

/* a list of codes ("A,B,C") without one of them; returns its length */
static size_t list_without(const char *list, const char *drop, char *out, size_t n)
{
    char copy[256];
    size_t len = 0;
    snprintf(copy, sizeof copy, "%s", list);
    out[0] = '\0';
    for (char *save = NULL, *code = strtok_r(copy, ",", &save); code; code = strtok_r(NULL, ",", &save))
        if (strcmp(code, drop) != 0 && len < n)
            len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "," : "", code);
    return len;
}

/* the assisting departments without the lead, should it have been marked too */
static void assisting_without_lead(const struct dispatch *d, char *out, size_t n)
{
    list_without(d->assist, d->dept, out, n);
}

static void confirm(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    char assist[sizeof d->assist];
    assisting_without_lead(d, assist, sizeof assist);
    const char *args[] = { d->dept, d->mediator[0] ? d->mediator : NULL,
                           d->note[0] ? d->note : NULL, assist };
    actions_send(a, assist[0] ? ACT_ASSIGN_JOINT : ACT_ASSIGN, d->ref, d->version, args,
                 assist[0] ? 4 : 3);
    close_dialog(a);
}

/* Tab on a department of step 1: mark it as assisting, or unmark it */
int dispatch_assist(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    int idx[MAX_CHOICES], n = d->step == STEP_DEPT ? dept_matches(a, idx, MAX_CHOICES) : 0;
    if (n == 0)
        return KEY_NONE;
    const char *code = PQgetvalue(d->depts, idx[d->sel < n ? d->sel : 0], d->dc.code);
    char list[sizeof d->assist];
    size_t len = list_without(d->assist, code, list, sizeof list);
    if (!marked(d, code) && len + strlen(code) + 2 < sizeof list)
        snprintf(list + len, sizeof list - len, "%s%s", len ? "," : "", code);
    snprintf(d->assist, sizeof d->assist, "%s", list);
    return KEY_REDRAW;
}

/* The dialog's keys are in the key table (keys.c), which ? lists and the
 * header line is made from; typing is the view's own. */

int dispatch_cancel(struct app *a)
{
    close_dialog(a);
    app_message(a, _("dispatch cancelled: nothing was changed"));
    return KEY_REDRAW;
}

/* how many choices the step offers, their rows in idx */
static int choices(const struct app *a, int *idx, int max)
{
    switch (a->dispatch.step) {
    case STEP_DEPT: return dept_matches(a, idx, max);
    case STEP_MEDIATOR: return mediator_choices(a, idx);
    default: return 0;
    }
}

int dispatch_enter(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    int idx[MAX_CHOICES], n = choices(a, idx, MAX_CHOICES);
    bool waiting = (d->step == STEP_DEPT && d->depts == NULL)
                || (d->step == STEP_MEDIATOR && d->meds == NULL);
    /* later Enters queue behind earlier ones, so they apply in order */
    if (waiting || (!d->replaying && d->pending > 0)) {
        d->pending++;
        return KEY_REDRAW;
    }
    switch (d->step) {
    case STEP_DEPT:
        if (n == 0)
            break;
        snprintf(d->dept, sizeof d->dept, "%s",
                 PQgetvalue(d->depts, idx[d->sel < n ? d->sel : 0], d->dc.code));
        d->step = STEP_MEDIATOR;
        d->sel = 0;
        break;
    case STEP_MEDIATOR: {
        int i = idx[d->sel < n ? d->sel : 0];
        d->mediator[0] = d->mediator_name[0] = '\0';
        if (i >= 0) {
            snprintf(d->mediator, sizeof d->mediator, "%s", PQgetvalue(d->meds, i, d->mc.id));
            snprintf(d->mediator_name, sizeof d->mediator_name, "%s",
                     PQgetvalue(d->meds, i, d->mc.name));
        }
        d->step = STEP_NOTE;
        d->flen = 0;
        break;
    }
    default:
        filter_text(d, d->note, sizeof d->note);
        confirm(a);
    }
    return KEY_REDRAW;
}

int dispatch_down(struct app *a)
{
    int idx[MAX_CHOICES];
    if (a->dispatch.sel + 1 < choices(a, idx, MAX_CHOICES))
        a->dispatch.sel++;
    return KEY_REDRAW;
}

int dispatch_up(struct app *a)
{
    if (a->dispatch.sel > 0)
        a->dispatch.sel--;
    return KEY_REDRAW;
}

int dispatch_erase(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    if (d->step != STEP_MEDIATOR && d->flen > 0) {
        d->flen--;
        d->sel = 0;
    }
    return KEY_REDRAW;
}

/* Typing filters the departments and writes the note. Every other
 * character stays in the dialog too: a "q" typed here is not a quit. */
static int key(struct app *a, wint_t ch, bool is_key)
{
    struct dispatch *d = &a->dispatch;
    if (is_key || !iswprint(ch))
        return KEY_NONE;
    if (d->step != STEP_MEDIATOR && d->flen < MAX_TYPED) {
        d->filter[d->flen++] = (wchar_t)ch;
        d->sel = 0;
    }
    return KEY_REDRAW;
}

static void row(struct app *a, int y, bool selected, const char *left, const char *right)
{
    attrset(selected ? A_REVERSE : A_NORMAL);
    draw_pad(y, 0, a->cols);
    int x = 2 + draw_text(y, 2, left, a->cols / 2);
    draw_text(y, x + 2, right, a->cols - x - 2);
    attrset(A_NORMAL);
}

/* the body's rows start below the header, the step's line and a blank */
enum { BODY_Y = 3 };

static void draw_departments(struct app *a, int body)
{
    struct dispatch *d = &a->dispatch;
    char f[256];
    int idx[MAX_CHOICES];
    filter_text(d, f, sizeof f);
    int x = draw_text(1, 0, _("Tab marks assisting (+); type to filter by code or name: "), a->cols);
    draw_text(1, x, f, a->cols - x);
    if (d->depts == NULL) {
        draw_text(BODY_Y, 2, _("loading…"), a->cols - 2);
        return;
    }
    int n = dept_matches(a, idx, MAX_CHOICES);
    int top = d->sel >= body ? d->sel - body + 1 : 0;
    for (int i = top; i < n && i - top < body; i++) {
        char left[128];
        const char *code = PQgetvalue(d->depts, idx[i], d->dc.code);
        /* TRANSLATORS: the mark of an assisting department (协办) in the dispatch dialog */
        snprintf(left, sizeof left, "%s %-8s %s", marked(d, code) ? _("+") : " ", code,
                 PQgetvalue(d->depts, idx[i], d->dc.name));
        char *why = i18n_server_parts(PQgetvalue(d->depts, idx[i], d->dc.reason));
        row(a, BODY_Y + i - top, i == d->sel, left, why);
        free(why);
    }
}

/* names are two to four Chinese characters, tiers a word or two: both are
 * padded by display width */
enum { NAME_COLS = 8, TIER_COLS = 10 };

static void draw_mediators(struct app *a, int body)
{
    struct dispatch *d = &a->dispatch;
    int idx[MAX_CHOICES];
    draw_text(1, 0, d->dispute ? _("a dispute: the best-fitting mediator first; Up/Down, Enter")
                               : _("not a dispute: no mediator first; Up/Down, Enter"), a->cols);
    if (d->meds == NULL) {
        draw_text(BODY_Y, 2, _("loading…"), a->cols - 2);
        return;
    }
    int n = mediator_choices(a, idx);
    for (int i = 0; i < n && i < body; i++) {
        if (idx[i] < 0) {
            row(a, BODY_Y + i, i == d->sel, _("— no mediator —"), "");
            continue;
        }
        const char *name = PQgetvalue(d->meds, idx[i], d->mc.name);
        const char *tier = i18n_tier(PQgetvalue(d->meds, idx[i], d->mc.tier));
        int pad = NAME_COLS - text_width(name), tpad = TIER_COLS - text_width(tier);
        char left[160];
        /* TRANSLATORS: staff id, name, padding, tier, padding, km, minutes */
        snprintf(left, sizeof left, _("%-6s %s%*s %s%*s %5s km ~%s min"),
                 PQgetvalue(d->meds, idx[i], d->mc.id), name, pad > 0 ? pad : 0, "", tier,
                 tpad > 0 ? tpad : 0, "", PQgetvalue(d->meds, idx[i], d->mc.km),
                 PQgetvalue(d->meds, idx[i], d->mc.minutes));
        char *why = i18n_server_parts(PQgetvalue(d->meds, idx[i], d->mc.reason));
        row(a, BODY_Y + i, i == d->sel, left, why);
        free(why);
    }
}

static void draw_summary(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    char line[640], f[256];
    snprintf(line, sizeof line, _("dispatch %s to %s"), d->ref, d->dept);
    draw_text(2, 2, line, a->cols - 2);
    snprintf(line, sizeof line, _("mediator: %s"), d->mediator[0] ? d->mediator_name : _("none"));
    draw_text(3, 2, line, a->cols - 2);
    char assist[sizeof d->assist];
    assisting_without_lead(d, assist, sizeof assist);
    snprintf(line, sizeof line, _("assisting (协办): %s"), assist[0] ? assist : _("none"));
    draw_text(4, 2, line, a->cols - 2);
    filter_text(d, f, sizeof f);
    int x = 2 + draw_text(6, 2, _("note (optional): "), a->cols - 2);
    attrset(A_BOLD);
    draw_text(6, x, f, a->cols - x - 1);
    draw_text(8, 2, _("Enter to dispatch, Esc to cancel"), a->cols - 2);
    attrset(A_NORMAL);
}

static void draw(struct app *a)
{
    struct dispatch *d = &a->dispatch;
    static const char *const steps[] = { N_("department"), N_("mediator"), N_("confirm") };
    char head[256], keys[160];
    keymap_hint(a, VIEW_DISPATCH, keys, sizeof keys);
    snprintf(head, sizeof head, _("griddesk  dispatch %s  step %d/3: %s  (%s)"), d->ref,
             d->step + 1, _(steps[d->step]), keys);
    attrset(A_BOLD);
    draw_text(0, 0, head, a->cols);
    attrset(A_NORMAL);
    int body = a->rows - BODY_Y - 1;
    if (d->step == STEP_DEPT)
        draw_departments(a, body);
    else if (d->step == STEP_MEDIATOR)
        draw_mediators(a, body);
    else
        draw_summary(a);
}

const struct view view_dispatch = { "dispatch", draw, key, enter };
