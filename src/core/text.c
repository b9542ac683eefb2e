#include "griddesk/text.h"
#include "griddesk/xalloc.h"

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
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

char *text_clean(const char *s, unsigned flags)
{
    struct buf b = { xmalloc(64), 0, 64 };
    b.p[0] = '\0';
    if (s == NULL)
        return b.p;
    size_t left = strlen(s);
    mbstate_t st;
    memset(&st, 0, sizeof st);
    while (left > 0) {
        wchar_t wc;
        size_t r = mbrtowc(&wc, s, left, &st);
        if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
            put(&b, "\xef\xbf\xbd", 3);
            memset(&st, 0, sizeof st);
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

/* Columns of the character at s (length r), never negative: clean text has
 * no controls, and anything the locale cannot measure takes one column. */
static int char_width(const char *s, size_t *r)
{
    wchar_t wc;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    *r = mbrtowc(&wc, s, strlen(s), &st);
    if (*r == (size_t)-1 || *r == (size_t)-2 || *r == 0) {
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

size_t text_fit(const char *s, int cols, int *used)
{
    size_t bytes = 0;
    int taken = 0;
    while (s[bytes]) {
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

char *text_ellipsize(const char *s, int cols)
{
    if (cols <= 0)
        return xstrdup("");
    if (text_width(s) <= cols)
        return xstrdup(s);
    size_t n = text_fit(s, cols - 1, NULL);
    char *out = xmalloc(n + sizeof "\xe2\x80\xa6");
    memcpy(out, s, n);
    memcpy(out + n, "\xe2\x80\xa6", sizeof "\xe2\x80\xa6");
    return out;
}
