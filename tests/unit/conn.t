#!/usr/bin/env bash
# cmocka unit tests of src/core/conn.c
exec "${GRIDDESK_UNIT:?}/test_conn"
