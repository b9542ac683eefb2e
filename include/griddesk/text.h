#ifndef GRIDDESK_TEXT_H
#define GRIDDESK_TEXT_H

#include <stddef.h>

/* Text from the database is written by the public: it may hold escape
 * sequences, C1 codes, bidi overrides or broken UTF-8. Everything drawn on a
 * terminal goes through text_clean first; widths are display columns, so
 * Chinese (two columns a character) lines up. */

enum {
    TEXT_KEEP_NEWLINES = 1 << 0, /* keep '\n' (multi-line fields); else a space */
};

/* Make the C library decode UTF-8 even under LANG=C: the database always
 * speaks UTF-8 to us (client_encoding is set on connect). */
void text_locale_init(void);

/* A copy of s that is safe to send to a terminal: control characters become
 * \xNN, bidi controls \uNNNN, invalid UTF-8 U+FFFD. Caller frees. */
char *text_clean(const char *s, unsigned flags);

/* Display columns of clean text. */
int text_width(const char *s);

/* Bytes of the longest prefix of clean text that fits in cols columns; a
 * double-width character is never cut, combining marks stay with their base.
 * *used (may be NULL) receives the columns that prefix takes. */
size_t text_fit(const char *s, int cols, int *used);

/* Clean text cut to at most cols columns, ending in "…" when cut. Caller frees. */
char *text_ellipsize(const char *s, int cols);

#endif
