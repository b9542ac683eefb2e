/* Where the catalogues are: beside the binary in a build tree, else installed. */
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static int has_catalogue(const char *dir)
{
    char *mo = xasprintf("%s/zh_CN/LC_MESSAGES/griddesk.mo", dir);
    struct stat st;
    int ok = stat(mo, &st) == 0;
    free(mo);
    return ok;
}

void i18n_init(void)
{
    char exe[PATH_MAX];
    const char *dir = LOCALEDIR;
    char *found = NULL;

    text_locale_init();
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* ./gridctl and build/asan/gridctl both sit in a tree with build/locale */
        const char *tries[] = { "/build/locale", "/../locale", "/locale" };
        const char *bin = dirname(exe);
        for (size_t i = 0; i < sizeof tries / sizeof *tries && !found; i++) {
            char *d = xasprintf("%s%s", bin, tries[i]);
            if (has_catalogue(d))
                found = d;
            else
                free(d);
        }
    }
    bindtextdomain("griddesk", found ? found : dir);
    bind_textdomain_codeset("griddesk", "UTF-8");
    textdomain("griddesk");
    free(found);
}

const char *i18n_context(const char *key)
{
    const char *t = gettext(key);
    return t != key ? t : strchr(key, '\004') + 1;
}

struct label {
    const char *code, *shown; /* shown: NC_(context, English) */
};

static const char *lookup(const struct label *l, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(l[i].code, code) == 0)
            return i18n_context(l[i].shown);
    return code ? code : "";
}

#define LOOKUP(table, code) lookup(table, sizeof table / sizeof *table, code)

const char *i18n_status(const char *code)
{
    static const struct label t[] = {
        { "new", NC_("status", "new") },
        { "dispatched", NC_("status", "dispatched") },
        { "accepted", NC_("status", "accepted") },
        { "on_site", NC_("status", "on site") },
        { "resolved", NC_("status", "resolved") },
        { "closed", NC_("status", "closed") },
        { "returned", NC_("status", "returned") },
        { "cancelled", NC_("status", "cancelled") },
        { "merged", NC_("status", "merged") },
        /* an assisting department's part (联办) */
        { "fed_back", NC_("status", "done") },
        { "released", NC_("status", "released") },
    };
    return LOOKUP(t, code);
}

const char *i18n_priority(const char *code)
{
    static const struct label t[] = {
        { "1", NC_("priority", "urgent") },
        { "2", NC_("priority", "high") },
        { "3", NC_("priority", "normal") },
        { "4", NC_("priority", "low") },
    };
    return LOOKUP(t, code);
}

const char *i18n_tier(const char *code)
{
    static const struct label t[] = {
        { "grassroots", NC_("tier", "grassroots") },
        { "specialist", NC_("tier", "specialist") },
        { "expert", NC_("tier", "expert") },
    };
    return LOOKUP(t, code);
}

const char *i18n_event(const char *code)
{
    static const struct label t[] = {
        { "reported", NC_("event", "reported") },
        { "dispatched", NC_("event", "dispatched") },
        { "accepted", NC_("event", "accepted") },
        { "returned", NC_("event", "returned") },
        { "on_site", NC_("event", "on site") },
        { "feedback", NC_("event", "feedback") },
        { "resolved", NC_("event", "resolved") },
        { "closed", NC_("event", "closed") },
        { "reopened", NC_("event", "reopened") },
        { "cancelled", NC_("event", "cancelled") },
        { "note", NC_("event", "note") },
        { "recategorized", NC_("event", "recategorized") },
        { "overdue", NC_("event", "overdue") },
        { "reassigned", NC_("event", "reassigned") },
        { "priority", NC_("event", "priority") },
        { "imported", NC_("event", "imported") },
        { "merged", NC_("event", "merged") },
        { "merged_in", NC_("event", "merged in") },
        { "merged_out", NC_("event", "merge undone") },
        { "unmerged", NC_("event", "unmerged") },
        { "followed", NC_("event", "outcome heard") },
        { "assist_dispatched", NC_("event", "assist asked") },
        { "assist_accepted", NC_("event", "assist accepted") },
        { "assist_on_site", NC_("event", "assist on site") },
        { "assist_fed_back", NC_("event", "assist done") },
        { "assist_released", NC_("event", "assist released") },
    };
    return LOOKUP(t, code);
}

const char *i18n_reporter_kind(const char *code)
{
    static const struct label t[] = {
        { "grid_worker", NC_("reporter", "grid worker") },
        { "party_member", NC_("reporter", "party member") },
        { "village_leader", NC_("reporter", "village leader") },
        { "auxiliary_police", NC_("reporter", "auxiliary police") },
        { "volunteer", NC_("reporter", "volunteer") },
        { "courier", NC_("reporter", "courier") },
        { "ride_hailing", NC_("reporter", "ride-hailing driver") },
        { "resident", NC_("reporter", "resident") },
        { "other", NC_("reporter", "other") },
    };
    return LOOKUP(t, code);
}

const char *i18n_value(const char *column, const char *value)
{
    if (strcmp(column, "status") == 0)
        return i18n_status(value);
    if (strcmp(column, "tier") == 0)
        return i18n_tier(value);
    if (strcmp(column, "reporter_kind") == 0)
        return i18n_reporter_kind(value);
    if (strcmp(column, "kind") == 0)
        return i18n_event(value);
    return value;
}
