#!/usr/bin/env bash
# cmocka unit tests of src/core/records.c
exec "${GRIDDESK_UNIT:?}/test_records"
