/* CSV record boundaries: what COPY would take as one record, and its fields. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "griddesk/records.h"

static void plain_lines(void **state)
{
    (void)state;
    const char *s = "a,b,c\nd,e\n";
    struct record r;
    assert_int_equal(record_next(s, strlen(s), 0, &r), 1);
    assert_int_equal(r.len, 6);
    assert_int_equal(r.body, 5);
    assert_int_equal(r.fields, 3);
    assert_int_equal(record_next(s + 6, strlen(s) - 6, 0, &r), 1);
    assert_int_equal(r.fields, 2);
    assert_int_equal(r.len, 4);
}

static void quotes_hold_commas_and_lines(void **state)
{
    (void)state;
    const char *s = "1,\"a, \"\"b\"\"\nc\",3\r\nnext";
    struct record r;
    assert_int_equal(record_next(s, strlen(s), 0, &r), 1);
    assert_int_equal(r.fields, 3);
    assert_int_equal(r.newlines, 1);
    assert_int_equal(r.len, strlen("1,\"a, \"\"b\"\"\nc\",3\r\n"));
    assert_int_equal(r.body, r.len - 2);
}

static void waits_for_more(void **state)
{
    (void)state;
    struct record r;
    assert_int_equal(record_next("a,b", 3, 0, &r), 0);
    assert_int_equal(record_next("a,\"b\n", 5, 0, &r), 0);
    assert_int_equal(record_next("", 0, 1, &r), 0);
    assert_int_equal(record_next("a,b", 3, 1, &r), 1);
    assert_int_equal(r.len, 3);
    assert_int_equal(r.fields, 2);
    assert_int_equal(r.open_quote, 0);
}

static void unclosed_quote_at_end(void **state)
{
    (void)state;
    struct record r;
    const char *s = "a,\"b\nc,d\n";
    assert_int_equal(record_next(s, strlen(s), 1, &r), 1);
    assert_int_equal(r.open_quote, 1);
    assert_int_equal(r.len, strlen(s));
}

static void gb18030_bytes_are_not_separators(void **state)
{
    (void)state;
    /* 张,王 in GB18030: 0xD5 0xC5 and 0xCD 0xF5 */
    const char s[] = "\xd5\xc5,\xcd\xf5\n";
    struct record r;
    assert_int_equal(record_next(s, sizeof s - 1, 0, &r), 1);
    assert_int_equal(r.fields, 2);
}

static void header_fields(void **state)
{
    (void)state;
    const char *h = " ref ,\"title\",,grid";
    char out[16];
    assert_int_equal(record_field(h, strlen(h), 0, out, sizeof out), 0);
    assert_string_equal(out, "ref");
    assert_int_equal(record_field(h, strlen(h), 1, out, sizeof out), 0);
    assert_string_equal(out, "title");
    assert_int_equal(record_field(h, strlen(h), 2, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(record_field(h, strlen(h), 3, out, sizeof out), 0);
    assert_string_equal(out, "grid");
    assert_int_equal(record_field(h, strlen(h), 4, out, sizeof out), -1);
    assert_int_equal(record_field(h, strlen(h), 1, out, 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_lines),
        cmocka_unit_test(quotes_hold_commas_and_lines),
        cmocka_unit_test(waits_for_more),
        cmocka_unit_test(unclosed_quote_at_end),
        cmocka_unit_test(gb18030_bytes_are_not_separators),
        cmocka_unit_test(header_fields),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
