/* Durations, rates and mixes as people type them, and what is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "griddesk/parse.h"

static void durations(void **state)
{
    (void)state;
    double s = -1;
    assert_int_equal(parse_duration("90", &s), 0);
    assert_true(s == 90);
    assert_int_equal(parse_duration("90m", &s), 0);
    assert_true(s == 5400);
    assert_int_equal(parse_duration("2h", &s), 0);
    assert_true(s == 7200);
    assert_int_equal(parse_duration("7d", &s), 0);
    assert_true(s == 604800);
    assert_int_equal(parse_duration("1.5h", &s), 0);
    assert_true(s == 5400);
    assert_int_equal(parse_duration("0s", &s), 0);
    assert_true(s == 0);
}

static void bad_durations(void **state)
{
    (void)state;
    double s = 42;
    const char *bad[] = { "", "h", "-5m", "5 m", "5mm", "5w", "1e400", "nan", "inf", " 5", "5m ",
                          "999999999d", NULL };
    for (int i = 0; bad[i]; i++)
        assert_int_equal(parse_duration(bad[i], &s), -1);
    assert_int_equal(parse_duration(NULL, &s), -1);
    assert_true(s == 42);
}

static void rates(void **state)
{
    (void)state;
    double r = -1;
    assert_int_equal(parse_rate("200", &r), 0);
    assert_true(r == 200);
    assert_int_equal(parse_rate("200/s", &r), 0);
    assert_true(r == 200);
    assert_int_equal(parse_rate("30/m", &r), 0);
    assert_true(r == 0.5);
    assert_int_equal(parse_rate("0.5/s", &r), 0);
    const char *bad[] = { "0", "0/s", "-1", "fast", "5/x", "5/", "/s", "5/ss", "2000000", NULL };
    for (int i = 0; bad[i]; i++)
        assert_int_equal(parse_rate(bad[i], &r), -1);
}

static void mixes(void **state)
{
    (void)state;
    assert_int_equal(parse_mix("hazard:30,dispute:40"), 0);
    assert_int_equal(parse_mix("dispute:1"), 0);
    assert_int_equal(parse_mix("hazard:0,dispute:2.5"), 0);
    const char *bad[] = { "", "hazard", "hazard:", ":3", "hazard:0", "Hazard:3", "hazard:3,",
                          "hazard:3,,dispute:1", "hazard:-3", "hazard:3;dispute:1", "危险:3", NULL };
    for (int i = 0; bad[i]; i++)
        assert_int_equal(parse_mix(bad[i]), -1);
    assert_int_equal(parse_mix(NULL), -1);
}

static void filters(void **state)
{
    (void)state;
    assert_int_equal(parse_statuses("open"), 0);
    assert_int_equal(parse_statuses(" New, dispatched ,on_site"), 0);
    assert_int_equal(parse_statuses("resolved,"), 0);
    assert_int_equal(parse_statuses(""), -1);
    assert_int_equal(parse_statuses(",open"), -1);
    assert_int_equal(parse_statuses("opne"), -1);
    assert_int_equal(parse_statuses("open;new"), -1);
    assert_int_equal(parse_priority("1"), 0);
    assert_int_equal(parse_priority(" 4 "), 0);
    assert_int_equal(parse_priority("0"), -1);
    assert_int_equal(parse_priority("5"), -1);
    assert_int_equal(parse_priority("12"), -1);
    assert_int_equal(parse_age("90m"), 0);
    assert_int_equal(parse_age("1.5 h"), 0);
    assert_int_equal(parse_age("2w"), 0);
    assert_int_equal(parse_age("30"), 0);
    assert_int_equal(parse_age("2x"), -1);
    assert_int_equal(parse_age("-1d"), -1);
    assert_int_equal(parse_age("1.2345h"), -1);
    assert_int_equal(parse_age("1234567d"), -1);
}

static void whens(void **state)
{
    (void)state;
    const char *good[] = { "2026-12-01", "2026/12/1", "2026-12-01 08:00", "2026-12-01T08:00:30",
                           "2026-12-01 08:00:30.25+08", "2026-12-01 08:00+0800", "2026-12-01T00:00Z",
                           "2024-02-29", "yesterday", " Today ", "now", "tomorrow" };
    const char *bad[] = { "", "7 days ago", "2026-02-30", "2025-02-29", "2026-13-01", "2026-12-00",
                          "2026-12-01 24:00", "2026-12-01 08:60", "2026-12-01 08:00:61", "12/01/2026",
                          "2026-12-01 CST", "epoch", "2026-12-01; DROP TABLE cases" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(parse_when(good[i]), 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(parse_when(bad[i]), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(durations),
        cmocka_unit_test(bad_durations),
        cmocka_unit_test(rates),
        cmocka_unit_test(mixes),
        cmocka_unit_test(filters),
        cmocka_unit_test(whens),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
