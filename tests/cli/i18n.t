#!/usr/bin/env bash
# The Chinese catalogue is complete, and no console string people read
# bypasses gettext. English stays the default; scripts' keys never change.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
root=$GRIDDESK_ROOT
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT

# every message of the sources is in po/zh_CN.po, translated, none fuzzy
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
    --keyword=NC_:1c,2 --no-location -o "$tmp/now.pot" $(ls "$root"/src/*/*.c "$root"/include/griddesk/*.h | sort)
ok $? "xgettext reads the sources"
msgcmp "$root/po/zh_CN.po" "$tmp/now.pot" 2>"$tmp/cmp.err"; ok $? "every message in the sources is in the catalogue"
[ -s "$tmp/cmp.err" ] && sed 's/^/#   /' "$tmp/cmp.err" | head -20
stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$root/po/zh_CN.po" 2>&1)
ok $? "msgfmt --check accepts the catalogue"
like "$stats" '^[0-9]+ translated messages\.$' "nothing untranslated or fuzzy ($stats)"
obsolete=$(grep -c '^#~' "$root/po/zh_CN.po" || true)
is "$obsolete" 0 "no obsolete entries left behind"

# a string literal shown to people must go through _(), in both programs
lint=$(perl -ne '
    next if /^\s*(\/\/|\/?\*)/;
    while (/\b(app_message|draw_text|prompt_open|put_line|fputs|fprintf|printf|puts|row|cli_fail)\s*\(((?:[^"()]|\([^()]*\))*?)("(?:[^"\\]|\\.)*[A-Za-z]{2}(?:[^"\\]|\\.)*")/g) {
        my ($f, $before, $lit) = ($1, $2, $3);
        next if $before =~ /\b_\(/;    # the message went through gettext; this is a value
        # formats alone, the programs'"'"' names, and JSON are not words to translate
        next if $lit =~ /^"((%[-0-9.*]*[a-z]+)|[\s:]|\\n)+"$/;
        next if $lit =~ /^"grid(desk|ctl)[ %(]/ || $lit =~ /^"\{/;
        print "$ARGV:$.: $f($lit\n";
    }
    close ARGV if eof;' "$root"/src/tui/*.c "$root"/src/cli/*.c)
is "$lint" "" "every string people read goes through gettext"

# English by default, Chinese when asked; stable keys either way
out=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 "$BIN/griddesk" --help); like "$out" '^usage: griddesk' "English by default"
out=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/griddesk" --help); like "$out" '^用法：griddesk' "griddesk --help in Chinese under zh_CN.UTF-8"
like "$out" '实时调度台' "in the centre's words"
out=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/gridctl" --help); like "$out" '^用法：gridctl' "gridctl --help in Chinese"
like "$out" 'bulk +批量更改案件' "with every command's summary"
out=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/gridctl" import --help); like "$out" '要么全部导入，要么一行不导' "and each command's help"
err=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/gridctl" bulk explode 2>&1); like "$err" '未知的操作“explode”' "errors in Chinese"
out=$(LANGUAGE= LC_ALL=C.UTF-8 "$BIN/gridctl" bulk --help); like "$out" '^usage: gridctl bulk' "and English under C"

# every refusal a rule in schema/ raises has its template in the programs,
# so it reaches a Chinese operator or administrator in Chinese
missing=$(perl -0777 -ne '
    while (/RAISE EXCEPTION \x27((?:[^\x27]|\x27\x27)*)\x27/g) {
        (my $t = $1) =~ s/\x27\x27/\x27/g; $t =~ s/%/%s/g; $t =~ s/(["\\])/\\$1/g;
        print "$t\n";
    }' "$root"/schema/*/*.sql | sort -u | while IFS= read -r t; do
        grep -qF "N_(\"$t\")" "$root/src/core/server_text.c" || echo "$t"; done)
is "$missing" "" "every RAISE template of schema/ is known to the programs"

# scripts read the same keys and codes whatever the language
zh() { LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/gridctl" "$@"; }
en() { LANGUAGE= LC_ALL=C.UTF-8 "$BIN/gridctl" "$@"; }
is "$(zh list --status new --limit 3 --format json)" "$(en list --status new --limit 3 --format json)" "list JSON is the same in Chinese"
is "$(zh list --status new --limit 3 --format csv)" "$(en list --status new --limit 3 --format csv)" "and CSV"
like "$(zh list --status new --limit 1 --format json)" '"status":"new"' "states stay codes in JSON"
out=$(zh list --status new --limit 1)
like "$out" '^编号 +上报时间 +级 +状态' "the table's heads in Chinese"
like "$out" '待派单' "and its states"
ref=$(sql "SELECT ref FROM cases ORDER BY id LIMIT 1")
like "$(zh show "$ref")" '时间线' "show in Chinese"
like "$(zh show "$ref")" '吹哨上报' "with its events named"
err=$(zh list --district 火星区 2>&1); like "$err" '未知的 district“火星区”：没有这个编码或名称' "a rule's refusal in Chinese"
v=$(sql "SELECT version FROM cases WHERE ref = '$ref'")
sql "SELECT gd_note('$ref', NULL, 'x')" >/dev/null
err=$(zh note "$ref" --note y --expect-version $((v - 1)) 2>&1)
like "$err" "案件 $ref 已被 .* 改动，请重新读取" "a stale version in Chinese"
err=$(en list --district 火星区 2>&1); like "$err" 'unknown district "火星区": no such code or name' "and in English under C"
done_testing
