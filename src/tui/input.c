/* Whole keys from the keyboard.
 *
 * ncurses decodes the key sequences the terminfo entry for TERM names (Up is
 * Esc O A on xterm, Esc [ A on the Linux console). A sequence the entry does
 * not name - Ctrl-Up (Esc [ 1 ; 5 A) under screen, Home under vt100, an
 * arrow sent before keypad mode was back after Ctrl-Z - comes back from
 * ncurses as a bare Esc followed by its other bytes, one character each,
 * and the last of them is often a letter with a meaning of its own here
 * (A accepts, F asks for feedback). So after a bare Esc, if more bytes came
 * with it, the sequence is collected whole by the ECMA-48 grammar and
 * handed on as one key that is ignored:
 *
 *   CSI  Esc [ parameters 0x30-0x3F, intermediates 0x20-0x2F, final 0x40-0x7E
 *   SS3  Esc O parameters 0x30-0x3F (some terminals put modifiers here), final
 *
 * plus the Linux console's F1-F5, Esc [ [ A-E, whose second '[' would
 * otherwise end the CSI early. ncurses does not do this for us: it only
 * knows the sequences terminfo lists. Decoding stays ncurses' job; this only
 * keeps an undecoded sequence in one piece. */
#include "griddesk/tui.h"

#include <curses.h>
#include <string.h>

/* The rest of a sequence split across reads (a slow link) joins it when it
 * comes within this time; later bytes are keys of their own. ncurses waits
 * ESCDELAY for the same reason between Esc and what follows it. */
enum { SEQ_WAIT_MS = 100 };

/* the next key: one read ahead of its turn first, else from ncurses */
static int next_key(struct input *in, wint_t *ch, bool *is_key)
{
    if (in->held) {
        in->held = false;
        *ch = in->held_ch;
        *is_key = in->held_key;
        return OK;
    }
    int r = get_wch(ch);
    *is_key = r == KEY_CODE_YES;
    return r == ERR ? ERR : OK;
}

static void hold(struct input *in, wint_t ch, bool is_key)
{
    in->held = true;
    in->held_ch = ch;
    in->held_key = is_key;
}

/* the sequence collected, shown as "Esc[1;5A", and forgotten */
static enum input_kind finish(struct input *in)
{
    snprintf(in->name, sizeof in->name, "Esc%.*s", in->len - 1, in->seq + 1);
    in->len = 0;
    in->linux_fkey = false;
    return INPUT_SEQUENCE;
}

/* Does ch end the sequence (1), continue it (0), or not belong (-1)? */
static int grammar(const struct input *in, wint_t ch, bool is_key)
{
    if (is_key || ch < 0x20 || ch > 0x7e)
        return -1;
    if (in->linux_fkey) /* Esc [ [ and one letter */
        return 1;
    char last = in->seq[in->len - 1];
    bool intermediates = last >= 0x20 && last <= 0x2f;
    if (ch >= 0x40)
        return 1;
    if (ch >= 0x30) /* a parameter: not after an intermediate */
        return intermediates ? -1 : 0;
    return 0; /* an intermediate */
}

/* one more character of the sequence being collected */
static enum input_kind collect(struct input *in, wint_t ch, bool is_key)
{
    int g = grammar(in, ch, is_key);
    if (g < 0) { /* broken off: drop what came, the stranger is a key of its own */
        hold(in, ch, is_key);
        return finish(in);
    }
    if (in->len == 2 && in->seq[1] == '[' && ch == '[') {
        in->linux_fkey = true;
        g = 0;
    }
    if (in->len < (int)sizeof in->seq - 1) /* a longer one is still eaten whole */
        in->seq[in->len++] = (char)ch;
    return g == 1 ? finish(in) : INPUT_NONE;
}

/* After a bare Esc: the start of a sequence, or Esc the key? Only bytes
 * that came with it can start a sequence; Esc typed alone stays Esc. */
static enum input_kind after_esc(struct input *in, uint64_t now_ms)
{
    wint_t ch;
    bool is_key;
    if (next_key(in, &ch, &is_key) == ERR)
        return INPUT_CHAR;
    if (!is_key && (ch == '[' || ch == 'O')) {
        in->seq[0] = CH_ESC;
        in->seq[1] = (char)ch;
        in->len = 2;
        in->at_ms = now_ms;
        return INPUT_NONE;
    }
    hold(in, ch, is_key); /* Esc, then a key of its own (Esc Esc, Esc q) */
    return INPUT_CHAR;
}

/* The next whole key: INPUT_CHAR or INPUT_KEY with *ch, INPUT_SEQUENCE for
 * an undecoded sequence (named in in->name), INPUT_NONE when no more input
 * is waiting. A sequence cut short by the end of the input is kept for the
 * next call. */
enum input_kind input_read(struct input *in, uint64_t now_ms, wint_t *ch)
{
    bool is_key;
    while (next_key(in, ch, &is_key) != ERR) {
        if (in->len > 0 && now_ms - in->at_ms > SEQ_WAIT_MS) {
            hold(in, *ch, is_key); /* too late to belong: the old one is done */
            return finish(in);
        }
        if (in->len > 0) {
            in->at_ms = now_ms;
            enum input_kind k = collect(in, *ch, is_key);
            if (k != INPUT_NONE)
                return k;
            continue;
        }
        if (is_key)
            return INPUT_KEY;
        if (*ch != CH_ESC)
            return INPUT_CHAR;
        enum input_kind k = after_esc(in, now_ms);
        if (k != INPUT_NONE)
            return k;
    }
    return INPUT_NONE;
}
