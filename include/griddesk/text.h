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

/* One line of wrapped text: a range of bytes of the text it was cut from. */
struct text_line {
    size_t off, len;
};

/* Clean text (newlines kept or not) cut into lines of at most cols columns:
 * at each '\n', which no line includes, and before a character that would
 * not fit; text_fit's rules hold. A line too narrow for one character still
 * takes it, so wrapping always ends. An empty text, and an empty line, are
 * one empty line each. Returns the number of lines, at least one; *lines
 * receives them, and the caller frees it. Linear in the length of s. */
size_t text_wrap(const char *s, int cols, struct text_line **lines);

#endif
