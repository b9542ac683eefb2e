/* Reading the key table main handed over (a->bindings): a whole key for the
 * view on screen, the header hints of a view, and a key's name. */
#include "griddesk/tui.h"
#include "griddesk/i18n.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

/* A character and a KEY_ code may share a number (U+0102 is KEY_DOWN):
 * the table's entries at KEY_MIN and above are KEY_ codes. */
static int from_table(struct app *a, wint_t ch, bool is_key)
{
    for (const struct key_binding *k = a->bindings; k->act; k++)
        if ((wint_t)k->key == ch && (k->key >= KEY_MIN) == is_key
            && (k->views & (1u << a->view)))
            return k->act(a);
    if (!is_key)
        return KEY_NONE;
    /* a function key ncurses knows but we do not use: say so, since the
     * operator pressed it for a reason */
    char name[32];
    keymap_name(ch, name, sizeof name);
    app_message(a, _("%s does nothing here; ? lists the keys"), name);
    return KEY_REDRAW;
}

void keymap_hint(const struct app *a, enum view_id v, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (const struct key_binding *k = a->bindings; k->act && len < n; k++)
        if (k->hint && k->name && (k->views & (1u << v)))
            len += (size_t)snprintf(out + len, n - len, "%s%s %s", len ? ", " : "", k->name, _(k->hint));
}

void keymap_name(wint_t ch, char *out, size_t n)
{
    if (ch >= KEY_F(1) && ch <= KEY_F(63)) {
        snprintf(out, n, "F%d", (int)(ch - KEY_F0));
        return;
    }
    const char *name = keyname((int)ch);
    if (name == NULL)
        name = "?";
    if (strncmp(name, "KEY_", 4) == 0)
        name += 4;
    snprintf(out, n, "%s", name);
}

int keymap_key(struct app *a, wint_t ch, bool is_key)
{
    int done = a->views[a->view]->key(a, ch, is_key);
    return done != KEY_NONE ? done : from_table(a, ch, is_key);
}
