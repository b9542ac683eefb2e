/* Width-aware truncation and sanitising: what keeps Chinese columns aligned
 * and hostile bytes off the terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "griddesk/text.h"

static void check_clean(const char *in, unsigned flags, const char *want)
{
    char *got = text_clean(in, flags);
    assert_string_equal(got, want);
    free(got);
}

static void clean_escapes_controls(void **state)
{
    (void)state;
    check_clean("\x1b[2J\x1b]0;pwned\x07title", 0, "\\x1b[2J\\x1b]0;pwned\\x07title");
    check_clean("a\rb\x7f", 0, "a\\x0db\\x7f");
    check_clean("c1:\xc2\x85\xc2\x9b", 0, "c1:\\x85\\x9b");
    check_clean("tab\there", 0, "tab here");
}

static void clean_newlines(void **state)
{
    (void)state;
    check_clean("one\ntwo", 0, "one two");
    check_clean("one\ntwo", TEXT_KEEP_NEWLINES, "one\ntwo");
}

static void clean_bidi_and_invalid(void **state)
{
    (void)state;
    check_clean("abc\xe2\x80\xae" "def", 0, "abc\\u202edef");
    check_clean("bad\xff" "byte", 0, "bad\xef\xbf\xbd" "byte");
    check_clean("cut\xe6\xb1", 0, "cut\xef\xbf\xbd\xef\xbf\xbd");
    check_clean(NULL, 0, "");
}

/* not UTF-8: each byte is one U+FFFD */
static void clean_strict_utf8(void **state)
{
    (void)state;
    check_clean("\xc0\xaf", 0, "\xef\xbf\xbd\xef\xbf\xbd");           /* overlong '/' */
    check_clean("\xed\xa0\x80", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
    check_clean("\xf4\x8f\xbf\xbf", 0, "\\u10ffff");                    /* the last, unassigned */
    check_clean("\xe2\x82", 0, "\xef\xbf\xbd\xef\xbf\xbd");           /* cut short */
    assert_int_equal(text_width("\xff" "a"), 2);
}

static void clean_keeps_chinese_and_emoji(void **state)
{
    (void)state;
    check_clean("江门市蓬江区 😀 e\xcc\x81", 0, "江门市蓬江区 😀 e\xcc\x81");
}

static void width_counts_columns(void **state)
{
    (void)state;
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("江门"), 4);
    assert_int_equal(text_width("e\xcc\x81"), 1);
    assert_int_equal(text_width("\xf0\x9f\x98\x80"), 2);
    assert_int_equal(text_width("A江b"), 4);
    assert_int_equal(text_width(""), 0);
}

static void fit_never_splits_wide(void **state)
{
    (void)state;
    int used;
    assert_int_equal(text_fit("江门市", 3, &used), 3);
    assert_int_equal(used, 2);
    assert_int_equal(text_fit("江门市", 4, &used), 6);
    assert_int_equal(used, 4);
    assert_int_equal(text_fit("江门市", 1, &used), 0);
    assert_int_equal(used, 0);
    assert_int_equal(text_fit("ab", 0, &used), 0);
}

static void fit_keeps_combining_marks(void **state)
{
    (void)state;
    int used;
    /* e + COMBINING ACUTE takes one column and travels together */
    assert_int_equal(text_fit("e\xcc\x81x", 1, &used), 3);
    assert_int_equal(used, 1);
}

static void ellipsize_fits(void **state)
{
    (void)state;
    char *s = text_ellipsize("江门市蓬江区", 7);
    assert_string_equal(s, "江门市…");
    assert_true(text_width(s) <= 7);
    free(s);
    s = text_ellipsize("江门市蓬江区", 6);
    assert_string_equal(s, "江门…");
    assert_int_equal(text_width(s), 5);
    free(s);
    s = text_ellipsize("short", 10);
    assert_string_equal(s, "short");
    free(s);
    s = text_ellipsize("江", 1);
    assert_string_equal(s, "…");
    free(s);
    s = text_ellipsize("abc", 0);
    assert_string_equal(s, "");
    free(s);
}

/* the lines of text_wrap as one string, "|" between them */
static void check_wrap(const char *in, int cols, const char *want)
{
    struct text_line *lines;
    size_t n = text_wrap(in, cols, &lines);
    char got[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%.*s", i ? "|" : "",
                                (int)lines[i].len, in + lines[i].off);
    free(lines);
    assert_string_equal(got, want);
}

static void wrap_by_columns(void **state)
{
    (void)state;
    check_wrap("abcdefg", 3, "abc|def|g");
    check_wrap("江门市蓬江区", 5, "江门|市蓬|江区");
    check_wrap("a江b", 2, "a|江|b");
    check_wrap("e\xcc\x81" "fg", 2, "e\xcc\x81" "f|g");
}

static void wrap_at_newlines(void **state)
{
    (void)state;
    check_wrap("one\ntwo", 10, "one|two");
    check_wrap("ab\n\ncd\n", 10, "ab||cd|");
    check_wrap("", 10, "");
    check_wrap("abcd\nef", 2, "ab|cd|ef");
}

static void wrap_too_narrow_still_ends(void **state)
{
    (void)state;
    check_wrap("江门", 1, "江|门");
    check_wrap("ab", 0, "a|b");
}

/* 1,000,000 characters, two in three ASCII, one Chinese; caller frees */
static char *big_text(size_t chars)
{
    char *s = malloc(chars * 3 + 1), *p = s;
    assert_non_null(s);
    for (size_t i = 0; i < chars; i++) {
        if (i % 3 == 2) {
            memcpy(p, "江", 3);
            p += 3;
        } else {
            *p++ = (char)('a' + i % 26);
        }
    }
    *p = '\0';
    return s;
}

static double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A million-character field froze the console: measuring called strlen for
 * every character. Linear, a megabyte takes milliseconds even under ASan;
 * quadratic, it took 16 s a call without. */
enum { BIG_CHARS = 1000000, BIG_BOUND_MS = 500 };

static void big_text_measures_in_linear_time(void **state)
{
    (void)state;
    char *s = big_text(BIG_CHARS);
    double t0 = ms_now();
    assert_int_equal(text_width(s), BIG_CHARS + BIG_CHARS / 3); /* a third is 江 */
    size_t n = text_fit(s, BIG_CHARS * 2, NULL);
    assert_int_equal(n, strlen(s));
    char *cut = text_ellipsize(s, 80);
    assert_true(text_width(cut) >= 79 && text_width(cut) <= 80); /* 江 is not split */
    double took = ms_now() - t0;
    free(cut);
    free(s);
    print_message("# measured and cut 1,000,000 characters in %.1f ms\n", took);
    assert_true(took < BIG_BOUND_MS);
}

static void big_text_wraps_in_linear_time(void **state)
{
    (void)state;
    char *s = big_text(BIG_CHARS);
    struct text_line *lines;
    double t0 = ms_now();
    size_t n = text_wrap(s, 67, &lines);
    double took = ms_now() - t0;
    /* the lines follow each other, each full but for the last */
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lines[i].off, at);
        at += lines[i].len;
        char keep = s[at];
        s[at] = '\0';
        int w = text_width(s + lines[i].off);
        s[at] = keep;
        assert_true(w <= 67 && (w >= 66 || i == n - 1));
    }
    assert_int_equal(at, strlen(s));
    free(lines);
    free(s);
    print_message("# wrapped 1,000,000 characters in %.1f ms\n", took);
    assert_true(took < BIG_BOUND_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_escapes_controls),
        cmocka_unit_test(clean_newlines),
        cmocka_unit_test(clean_bidi_and_invalid),
        cmocka_unit_test(clean_strict_utf8),
        cmocka_unit_test(clean_keeps_chinese_and_emoji),
        cmocka_unit_test(width_counts_columns),
        cmocka_unit_test(fit_never_splits_wide),
        cmocka_unit_test(fit_keeps_combining_marks),
        cmocka_unit_test(ellipsize_fits),
        cmocka_unit_test(wrap_by_columns),
        cmocka_unit_test(wrap_at_newlines),
        cmocka_unit_test(wrap_too_narrow_still_ends),
        cmocka_unit_test(big_text_measures_in_linear_time),
        cmocka_unit_test(big_text_wraps_in_linear_time),
    };
    text_locale_init();
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
