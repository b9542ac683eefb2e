#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <langinfo.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void text_locale_init(void)
{
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

static int is_bidi_control(wchar_t wc)
{
    return (wc >= 0x202a && wc <= 0x202e) || (wc >= 0x2066 && wc <= 0x2069)
        || wc == 0x200e || wc == 0x200f || wc == 0x061c;
}

struct buf {
    char *p;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put_escape(struct buf *b, wchar_t wc)
{
    char tmp[16];
    int n = wc < 0x100 ? snprintf(tmp, sizeof tmp, "\\x%02x", (unsigned)wc)
                       : snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)wc);
    put(b, tmp, (size_t)n);
}

/* The character at s, of at most n bytes, into *wc; returns its length,
 * or 0 where the bytes are no character. n bounds what mbrtowc may read:
 * the rest of the text, or MB_CUR_MAX, never strlen of the rest (that made
 * measuring a megabyte field quadratic). The locale's CTYPE is UTF-8 (see
 * text_locale_init), as the database's text is. */
static size_t decode(const char *s, size_t n, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t r = mbrtowc(wc, s, n, &st);
    return r == (size_t)-1 || r == (size_t)-2 ? 0 : r;
}

char *text_clean(const char *s, unsigned flags)
{
    struct buf b = { xmalloc(64), 0, 64 };
    b.p[0] = '\0';
    if (s == NULL)
        return b.p;
    size_t left = strlen(s);
    while (left > 0) {
        /* printable ASCII, the bulk of most text, goes through undecoded */
        size_t plain = 0;
        while (plain < left && s[plain] >= 0x20 && s[plain] < 0x7f)
            plain++;
        if (plain > 0) {
            put(&b, s, plain);
            s += plain;
            left -= plain;
            continue;
        }
        wchar_t wc;
        size_t r = decode(s, left, &wc);
        if (r == 0) {
            put(&b, "\xef\xbf\xbd", 3);
            s++;
            left--;
            continue;
        }
        if (wc == '\n' && (flags & TEXT_KEEP_NEWLINES))
            put(&b, "\n", 1);
        else if (wc == '\t' || wc == '\n')
            put(&b, " ", 1);
        else if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0) || is_bidi_control(wc)
                 || wcwidth(wc) < 0)
            put_escape(&b, wc);
        else
            put(&b, s, r);
        s += r;
        left -= r;
    }
    return b.p;
}

/* Columns of the character at s, never negative: clean text has no
 * controls, and anything the locale cannot measure takes one column. *r
 * receives its length in bytes. Only that character is read, never the
 * rest of s (strlen there made measuring quadratic in the text). */
static int char_width(const char *s, size_t *r)
{
    /* ASCII needs no decoding: one byte, one column (a control, never in
     * clean text, would take one too) */
    if ((unsigned char)*s < 0x80) {
        *r = 1;
        return 1;
    }
    wchar_t wc;
    *r = decode(s, MB_CUR_MAX, &wc);
    if (*r == 0) {
        *r = 1;
        return 1;
    }
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
    int cols = 0;
    while (s != NULL && *s) {
        size_t r;
        cols += char_width(s, &r);
        s += r;
    }
    return cols;
}

/* text_fit within the first n bytes of s; a character never straddles n
 * when n ends at a NUL or a newline, as neither is part of a longer one */
static size_t fit_within(const char *s, size_t n, int cols, int *used)
{
    size_t bytes = 0;
    int taken = 0;
    while (bytes < n && s[bytes]) {
        size_t r;
        int w = char_width(s + bytes, &r);
        if (taken + w > cols)
            break;
        taken += w;
        bytes += r;
    }
    if (used)
        *used = taken;
    return bytes;
}

size_t text_fit(const char *s, int cols, int *used)
{
    return fit_within(s, SIZE_MAX, cols, used);
}

char *text_ellipsize(const char *s, int cols)
{
    if (cols <= 0)
        return xstrdup("");
    /* fits whole? asked of the prefix only, so a long text costs no more */
    size_t all = text_fit(s, cols, NULL);
    if (s[all] == '\0')
        return xstrdup(s);
    size_t n = text_fit(s, cols - 1, NULL);
    char *out = xmalloc(n + sizeof "\xe2\x80\xa6");
    memcpy(out, s, n);
    memcpy(out + n, "\xe2\x80\xa6", sizeof "\xe2\x80\xa6");
    return out;
}

/* one line more, the array doubling as it fills */
static void add_line(struct text_line **lines, size_t *n, size_t *cap, size_t off, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *lines = xrealloc(*lines, *cap * sizeof **lines);
    }
    (*lines)[(*n)++] = (struct text_line){ off, len };
}

size_t text_wrap(const char *s, int cols, struct text_line **lines)
{
    size_t n = 0, cap = 0, at = 0, end = strlen(s);
    *lines = NULL;
    if (cols < 1)
        cols = 1;
    for (;;) {
        const char *nl = memchr(s + at, '\n', end - at);
        size_t stop = nl ? (size_t)(nl - s) : end;
        /* each piece of the line goes once through fit_within: linear */
        do {
            size_t cut = fit_within(s + at, stop - at, cols, NULL);
            if (cut == 0 && at < stop) /* too narrow for one character: take it anyway */
                char_width(s + at, &cut);
            add_line(lines, &n, &cap, at, cut);
            at += cut;
        } while (at < stop);
        if (nl == NULL)
            return n;
        at = stop + 1;
    }
}
