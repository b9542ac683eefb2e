#!/usr/bin/env bash
# A short run of every fuzzer (make fuzz runs them longer): the parsers of
# outside input survive whatever bytes come, under ASan and UBSan.
root=${GRIDDESK_ROOT:?tests/run sets GRIDDESK_ROOT}
secs=${FUZZ_CHECK_SECONDS:-3}
n=0; failed=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in parse text records conn server_text; do
    n=$((n + 1))
    bin=$root/build/fuzz/fuzz_$f
    if [ ! -x "$bin" ]; then
        echo "not ok $n - fuzz_$f is built (make fuzzers)"; failed=1; continue
    fi
    mkdir -p "$tmp/$f"
    # new inputs go to a scratch corpus; the committed one is only read
    if ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -print_final_stats=1 \
            -artifact_prefix="$tmp/" "$tmp/$f" "$root/tests/fuzz/corpus/$f" >"$tmp/$f.log" 2>&1; then
        runs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$tmp/$f.log")
        echo "ok $n - fuzz_$f: $runs inputs in ${secs} s, nothing crashed"
    else
        echo "not ok $n - fuzz_$f crashed"; failed=1
        grep -E "ERROR|SUMMARY|Test unit written" "$tmp/$f.log" | sed 's/^/#   /' | head -10
    fi
done
echo "1..$n"
exit $failed
