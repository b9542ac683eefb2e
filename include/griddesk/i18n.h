#ifndef GRIDDESK_I18N_H
#define GRIDDESK_I18N_H

/* The interface language: gettext, text domain "griddesk". Strings people
 * read go through _(); strings in tables initialised at compile time are
 * marked N_() and translated where they are shown. JSON and CSV keys and
 * values never are: scripts read them. */
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* A word whose translation depends on what it names ("new" the state, not
 * "new" anything else): gettext's context, as xgettext's C_:1c,2 marks it. */
#define C_(ctx, s) i18n_context(ctx "\004" s)
#define NC_(ctx, s) ctx "\004" s
/* key is "context\004text": its translation, else the text */
const char *i18n_context(const char *key);

/* The shown name of a stable code: a case's status, a priority (1-4), a
 * staff tier, a reporter kind. Unknown codes are shown as they are. */
const char *i18n_status(const char *code);
const char *i18n_priority(const char *code);
const char *i18n_tier(const char *code);
const char *i18n_event(const char *code);

/* A message from the server (a rule's refusal, an import problem) in the
 * interface language when it fits a known template; else a copy. The
 * caller frees it. */
char *i18n_server_text(const char *msg);

/* The same for a list of such parts joined by "; " (a suggestion's reason). */
char *i18n_server_parts(const char *msg);
const char *i18n_reporter_kind(const char *code);

/* The shown name of a value of a column that holds such codes (status,
 * tier, reporter_kind, kind: an event's); any other value as it is. */
const char *i18n_value(const char *column, const char *value);

/* Set the locale from the environment (keeping UTF-8 for the terminal) and
 * find the catalogues: the installed ones, or those of the build tree the
 * program was started from, so an uninstalled build speaks Chinese too. */
void i18n_init(void);

#endif
