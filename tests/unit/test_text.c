/* Width-aware truncation and sanitising: what keeps Chinese columns aligned
 * and hostile bytes off the terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_escapes_controls),
        cmocka_unit_test(clean_newlines),
        cmocka_unit_test(clean_bidi_and_invalid),
        cmocka_unit_test(clean_keeps_chinese_and_emoji),
        cmocka_unit_test(width_counts_columns),
        cmocka_unit_test(fit_never_splits_wide),
        cmocka_unit_test(fit_keeps_combining_marks),
        cmocka_unit_test(ellipsize_fits),
    };
    text_locale_init();
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
