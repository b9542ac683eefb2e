#!/usr/bin/env bash
# cmocka unit tests of src/core/feed.c
exec "${GRIDDESK_UNIT:?}/test_feed"
