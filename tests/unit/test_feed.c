/* The watermark: each event applied once, whatever order commits come in,
 * and only what can still be read again is remembered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "griddesk/feed.h"

static void each_event_once(void **state)
{
    (void)state;
    struct feed f;
    feed_init(&f);
    assert_int_equal(feed_take(&f, 101, 500), 1);
    assert_int_equal(feed_take(&f, 102, 501), 1);
    assert_int_equal(feed_take(&f, 101, 500), 0);
    /* a writer that took id 100 commits last: it is new, not skipped */
    assert_int_equal(feed_take(&f, 100, 499), 1);
    assert_int_equal(feed_take(&f, 100, 499), 0);
    assert_int_equal(f.newest, 102);
    for (size_t i = 1; i < f.nseen; i++)
        assert_true(f.seen[i - 1].id < f.seen[i].id);
    feed_free(&f);
}

static void advance_forgets_what_cannot_come_back(void **state)
{
    (void)state;
    struct feed f;
    feed_init(&f);
    feed_take(&f, 10, 100);
    feed_take(&f, 11, 105);
    feed_take(&f, 12, 110);
    feed_advance(&f, 105);
    assert_int_equal(f.horizon, 105);
    assert_int_equal(f.nseen, 2);
    /* a read past the horizon returns 11 and 12 again: not new */
    assert_int_equal(feed_take(&f, 11, 105), 0);
    assert_int_equal(feed_take(&f, 12, 110), 0);
    feed_advance(&f, 90); /* a horizon never moves back */
    assert_int_equal(f.horizon, 105);
    feed_free(&f);
}

static void a_burst_stays_in_order(void **state)
{
    (void)state;
    struct feed f;
    feed_init(&f);
    for (int64_t id = 1; id <= 10000; id++)
        assert_int_equal(feed_take(&f, id, 7), 1);
    for (int64_t id = 10000; id >= 1; id -= 997)
        assert_int_equal(feed_take(&f, id, 7), 0);
    assert_int_equal(f.nseen, 10000);
    feed_advance(&f, 8);
    assert_int_equal(f.nseen, 0);
    feed_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_event_once),
        cmocka_unit_test(advance_forgets_what_cannot_come_back),
        cmocka_unit_test(a_burst_stays_in_order),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
