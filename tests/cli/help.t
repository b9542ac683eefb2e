#!/usr/bin/env bash
# --help, --version and bad options behave for gridctl and every subcommand.
. "$(dirname "$0")/../lib/tap.sh"

out=$(gridctl --help); ok $? "gridctl --help exits 0"
like "$out" "^usage: gridctl" "--help starts with usage"
out=$(gridctl --version); ok $? "--version exits 0"
like "$out" "^gridctl \(griddesk\) [0-9]+\.[0-9]+" "--version names the version"
gridctl --bogus >/dev/null 2>&1; is $? 2 "a bad option exits 2"
err=$(gridctl frobnicate 2>&1); is $? 2 "an unknown command exits 2"
like "$err" 'unknown command "frobnicate"' "and names it"
gridctl >/dev/null 2>&1; is $? 2 "no command exits 2"

for cmd in migrate seed report list show grids categories departments staff simulate suggest assign accept return onsite feedback resolve close reopen cancel note recategorize duplicates merge unmerge stats deadlines verify import export bulk user; do
    like "$(gridctl --help)" "^  $cmd " "gridctl --help lists $cmd"
    out=$(gridctl $cmd --help); ok $? "gridctl $cmd --help exits 0"
    like "$out" "^usage: gridctl $cmd" "gridctl $cmd --help shows its usage"
    gridctl $cmd --no-such-option >/dev/null 2>&1; is $? 2 "gridctl $cmd with a bad option exits 2"
    grep -qE "^\.It Cm ($cmd|.*, Cm $cmd)( |$)" "$GRIDDESK_ROOT/man/gridctl.1"; ok $? "gridctl(1) describes $cmd"
    grep -qE "^\.It Cm ($cmd|.*, Cm $cmd)( |$)" "$GRIDDESK_ROOT/man/zh_CN/gridctl.1"; ok $? "and its Chinese page"
done
done_testing
