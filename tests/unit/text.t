#!/usr/bin/env bash
# cmocka unit tests of src/core/text.c (TAP from cmocka itself)
exec "${GRIDDESK_UNIT:?}/test_text"
