#!/usr/bin/env bash
# cmocka unit tests of src/core/parse.c
exec "${GRIDDESK_UNIT:?}/test_parse"
