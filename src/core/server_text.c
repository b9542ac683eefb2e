/* What the server says, in the interface language, for gridctl and the
 * console alike. The rules in the
 * database refuse with English messages built from templates ("unknown grid
 * \"%s\": no such code or name"); each template is listed here, marked for
 * translation, and a message that fits one is rebuilt from its translation
 * with the same values. tests/cli/i18n.t fails when a RAISE in schema/ has
 * no template here. */
#include "griddesk/i18n.h"
#include "griddesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const templates[] = {
    /* the parts of a suggestion's reason (gd_suggest_mediators, _departments) */
    N_("covers %s"),
    N_("%s fits priority %s"),
    N_("%s below what priority %s wants"),
    N_("%s fits a repeat of %s"),
    N_("%s below what a repeat of %s wants"),
    N_("%s kept for harder cases"),
    N_("load %s"),
    N_("%s km"),
    N_("default for %s"),
    N_("default for %s next door (within 1.5 km)"),
    N_("handles %s"),
    /* refusals and problems */
    N_("grid %s is outside your area"),
    N_("%s %s is outside your area"),
    N_("area \"%s\" is outside your area"),
    N_("case id %s is outside your area"),
    N_("case id %s: no such case"),
    N_("only a city-wide administrator may change %s"),
    N_("no import in progress: gd_import_begin makes the staging tables"),
    N_("the name or code of %s %s is already the code or name of %s %s: lookups would be ambiguous"),
    N_("unknown line of work \"%s\""),
    N_("unknown mediation field \"%s\""),
    N_("name is %s characters, at most 100"),
    /* merging (gd_merge) */
    N_("case %s cannot be merged into %s: that would merge it into itself"),
    N_("case %s is %s: nothing can be merged into it"),
    N_("merge into a case that is still open; reopen it first if the incident is back"),
    /* joint handling (gd_assist, gd_release, the parts' steps, gd_close, imports) */
    N_("unknown assisting department \"%s\": no such code"),
    N_("the lead department cannot also assist"),
    N_("assisting departments need a lead: the case has no department"),
    N_("case %s has assisting parts still open: %s"),
    N_("release each with gridctl release %s --department CODE --reason TEXT"),
    N_("department %s does not assist with case %s"),
    N_("it leads the case: leave out --department"),
    N_("the part of %s in case %s is %s: cannot %s"),
    N_("department %s leads case %s: it cannot also assist"),
    N_("department %s already assists with case %s"),
    N_("release it first: gridctl release %s --department %s --reason TEXT"),
    N_("%s has assisting parts still open"),
    N_("the merges from case %s go on for more than 1000 cases"),
    N_("case %s is in %s, case %s in %s: reports are merged within one district"),
    /* gridctl verify */
    N_("verify reads the whole city's log: only a city-wide administrator may run it"),
    N_("case %s: its %s events do not fit its chain of %s: an event was changed, deleted, moved or added past the rules"),
    N_("seal %s does not start where seal %s ended: a seal was deleted"),
    N_("seal %s, kept outside, is not in the log: seals were deleted or rewritten"),
    N_("seal %s of %s covered %s events, the log now holds %s there: an event it sealed was deleted, changed or added"),
    N_("user name \"%s\" must be lower-case letters, digits, \".\", \"_\" or \"-\""),
    N_("unknown role \"%s\": one of viewer, operator, dept, admin"),
    N_("user \"%s\" already exists"),
    N_("no user \"%s\""),
    N_("unknown area \"%s\": no district, street or community of that code or name"),
    N_("%s \"%s\" is also on line %s"),
    N_("%s %s is still used by %s (%s %s)"),
    N_("%s fields where the header has %s"),
    N_("%s is allowed from %s"),
    N_("%s is before reported_at"),
    N_("%s is in the future"),
    N_("\"%s\" is not a date or time: 2026-12-01, '2026-12-01 08:00', yesterday"),
    N_("unknown period \"%s\": day or week"),
    N_("the code \"%s\" is reserved: the figures use it for the city and for no department"),
    N_("%s is empty"),
    N_("%s is not a date and time (YYYY-MM-DD HH:MM[:SS][+08])"),
    N_("%s is too long: %s characters, at most %s"),
    N_("%s name \"%s\" is ambiguous: use one of the codes %s"),
    N_("%s was changed by %s at %s; it is now %s, version %s"),
    N_("%s: no qualified mediator on duty with room nearby"),
    N_("a %s must sit under a %s, not under %s"),
    N_("a case that is %s needs its department"),
    N_("a case that is %s needs its outcome"),
    N_("a grid needs lat and lon"),
    N_("a quoted field that starts on this line is not closed by the end of the file"),
    N_("a staff member with this phone is already in the database"),
    N_("cannot group by \"%s\": district, department or category"),
    N_("case %s is %s: cannot %s"),
    N_("case %s is already %s"),
    N_("case %s is already in the database"),
    N_("case %s was changed by %s at %s; reload"),
    N_("cases %s is out of range: 0 to 5000000"),
    N_("category is empty"),
    N_("code \"%s\" is already in the database"),
    N_("code is empty"),
    N_("code may hold letters, digits, \".\", \"_\" and \"-\", at most 40"),
    N_("department is empty"),
    N_("department name \"%s\" is ambiguous: use one of the codes %s"),
    N_("description is %s characters, at most 10000"),
    N_("district is empty"),
    N_("district name \"%s\" is ambiguous: use its code"),
    N_("duration \"%s\" is not a number with a unit s, m, h, d or w (e.g. 90m, 2h, 7d)"),
    N_("fields are mediation field codes separated by \"|\": %s"),
    N_("grid is empty"),
    N_("ids and versions differ in number"),
    N_("kind must be functional, mediation, legal_aid, litigation, social_work or police"),
    N_("lat and lon go together: give both or neither"),
    N_("lat is not a latitude (-90 to 90)"),
    N_("level must be district, street, community or grid"),
    N_("level must be city, district, street, community or grid"),
    N_("a city has no parent: leave parent empty"),
    N_("the database holds a city already (%s): one city a database"),
    N_("more than one city in the file: one city a database"),
    N_("limit %s is out of range: 1 to 100"),
    N_("limit %s is out of range: at least 1"),
    N_("lines are codes of lines of work separated by \"|\": %s"),
    N_("load_limit must be a whole number from 1 to 1000"),
    N_("location is longer than 500 characters"),
    N_("lon is not a longitude (-180 to 180)"),
    N_("mediator \"%s\" is not a staff id (a whole number)"),
    N_("mediator \"%s\" is not a staff id or auto"),
    N_("name is empty"),
    N_("name is longer than 100 characters"),
    N_("no case \"%s\""),
    N_("nothing to simulate: seed the demo city first, and give --mix groups among %s"),
    N_("on_duty must be true or false"),
    N_("outcome is longer than 2000 characters"),
    N_("parent \"%s\" is not a %s in the database or in the good rows of this file"),
    N_("parent is empty"),
    N_("phone is not a phone number"),
    N_("position %s, %s is not on Earth"),
    N_("priority \"%s\" is out of range: 1 (urgent) to 4"),
    N_("priority %s is out of range: 1 (urgent) to 4"),
    N_("priority must be 1 (urgent), 2, 3 or 4"),
    N_("reassign needs a mediator: a staff id or auto"),
    N_("ref %s is dated after today"),
    N_("ref may hold letters, digits, \".\", \"_\" and \"-\", at most 40"),
    N_("reported_at is empty"),
    N_("reported_at is in the future"),
    N_("reporter phone \"%s\" is not a phone number"),
    N_("reporter_kind must be grid_worker, party_member, village_leader, auxiliary_police, volunteer, courier, ride_hailing, resident or other"),
    N_("reporter_name is longer than 100 characters"),
    N_("reporter_phone is not a phone number"),
    N_("status must be new, dispatched, accepted, on_site, resolved, closed, returned or cancelled"),
    N_("the database already holds a city: seed a fresh database"),
    N_("the event log is append-only: %s refused"),
    N_("the period is empty: %s is not before %s"),
    N_("tier must be grassroots, specialist or expert"),
    N_("title is %s characters, at most 200"),
    N_("title is empty"),
    N_("unknown %s \"%s\": no such code or name"),
    N_("unknown bulk action \"%s\": one of assign, reassign, close, cancel, priority"),
    N_("unknown category \"%s\": no such code or name"),
    N_("unknown department \"%s\": no such code"),
    N_("unknown department \"%s\": no such code or name"),
    N_("unknown district \"%s\": no such code or name"),
    N_("unknown field \"%s\": one of %s"),
    N_("unknown grid \"%s\""),
    N_("unknown grid \"%s\": no such grid code"),
    N_("unknown group \"%s\" in the mix: one of %s"),
    N_("unknown import \"%s\": one of grids, departments, staff, cases"),
    N_("unknown level \"%s\": one of city, district, street, community, grid"),
    N_("unknown mediator \"%s\": no such staff id"),
    N_("unknown mediator %s: no such staff id"),
    N_("unknown reporter kind \"%s\": one of grid_worker, party_member, village_leader, auxiliary_police, volunteer, courier, ride_hailing, resident, other"),
    N_("unknown status \"%s\": one of new, dispatched, accepted, on_site, resolved, closed, returned, cancelled, merged, open"),
    N_("unknown tier \"%s\": one of grassroots, specialist, expert"),
    N_("you acted on version %s; it is now version %s (%s)"),
};

enum { MAX_VALUES = 8 };

/* Does msg fit tmpl, each %s standing for some text? The values found are
 * kept as [start, end) pairs into msg. */
static int fits(const char *tmpl, const char *msg, const char *start[], const char *end[], int *n)
{
    *n = 0;
    const char *m = msg;
    for (const char *t = tmpl; *t;) {
        if (t[0] == '%' && t[1] == 's') {
            const char *lit = t + 2, *next = strstr(lit, "%s");
            size_t len = next ? (size_t)(next - lit) : strlen(lit);
            if (*n == MAX_VALUES)
                return 0;
            start[*n] = m;
            if (len == 0 && !next) { /* the value runs to the end */
                m += strlen(m);
            } else {
                /* the last literal must end the message; others come first */
                const char *at = NULL;
                if (next) {
                    char *want = xstrndup(lit, len);
                    at = len ? strstr(m, want) : m;
                    free(want);
                } else if (strlen(m) >= len && strcmp(m + strlen(m) - len, lit) == 0) {
                    at = m + strlen(m) - len;
                }
                if (at == NULL)
                    return 0;
                m = at;
            }
            end[(*n)++] = m;
            t += 2;
            continue;
        }
        if (*m != *t)
            return 0;
        m++;
        t++;
    }
    return *m == '\0';
}

/* The translation with the values put back: %s in order, or %N$s by number. */
static char *fill(const char *tr, const char *start[], const char *end[], int n)
{
    size_t cap = strlen(tr) + 1;
    for (int i = 0; i < n; i++)
        cap += (size_t)(end[i] - start[i]);
    char *out = xmalloc(cap), *o = out;
    int next = 0;
    for (const char *t = tr; *t;) {
        int k = -1;
        if (t[0] == '%' && t[1] == 's') {
            k = next++;
            t += 2;
        } else if (t[0] == '%' && t[1] >= '1' && t[1] <= '9' && t[2] == '$' && t[3] == 's') {
            k = t[1] - '1';
            t += 4;
        } else {
            *o++ = *t++;
            continue;
        }
        if (k < n) {
            /* a state or a tier among the values is named as on screen */
            char *v = xstrndup(start[k], (size_t)(end[k] - start[k]));
            const char *shown = i18n_status(v);
            if (shown == v)
                shown = i18n_tier(v);
            size_t len = strlen(shown);
            if (len > (size_t)(end[k] - start[k])) {
                size_t at = (size_t)(o - out);
                cap += len;
                out = xrealloc(out, cap);
                o = out + at;
            }
            memcpy(o, shown, len);
            o += len;
            free(v);
        }
    }
    *o = '\0';
    return out;
}

char *i18n_server_text(const char *msg)
{
    const char *start[MAX_VALUES], *end[MAX_VALUES];
    int n;
    /* whole sentences first ("title is empty"), then templates ("%s is empty") */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; msg && i < sizeof templates / sizeof *templates; i++) {
            if ((strchr(templates[i], '%') != NULL) != pass)
                continue;
            const char *tr = _(templates[i]);
            if (tr == templates[i] || !fits(templates[i], msg, start, end, &n))
                continue;
            return fill(tr, start, end, n);
        }
    return xstrdup(msg ? msg : "");
}

char *i18n_server_parts(const char *msg)
{
    const char *sep = _("; ");
    size_t cap = 1, n = 0;
    char *out = xstrdup("");
    for (const char *p = msg ? msg : ""; *p;) {
        const char *end = strstr(p, "; ");
        char *part = xstrndup(p, end ? (size_t)(end - p) : strlen(p));
        char *said = i18n_server_text(part);
        size_t need = strlen(said) + (n ? strlen(sep) : 0);
        out = xrealloc(out, cap += need);
        if (n++)
            strcat(out, sep);
        strcat(out, said);
        free(part);
        free(said);
        p = end ? end + 2 : p + strlen(p);
    }
    return out;
}
