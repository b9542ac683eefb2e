#!/usr/bin/env bash
# The Chinese catalogue is complete, and no console string people read
# bypasses gettext. English stays the default; scripts' keys never change.
. "$(dirname "$0")/../lib/tap.sh"
root=$GRIDDESK_ROOT
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

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

# the console: a string literal shown to people must go through _()
lint=$(perl -ne '
    next if /^\s*(\/\/|\/?\*)/;
    while (/\b(app_message|draw_text|prompt_open|put_line|fputs|fprintf|printf|puts|row)\s*\((?:[^"()]|\([^()]*\))*?("(?:[^"\\]|\\.)*[A-Za-z]{2}(?:[^"\\]|\\.)*")/g) {
        my ($f, $lit) = ($1, $2);
        # formats alone (trace lines) and the program'"'"'s name are not words to translate
        next if $lit =~ /^"((%[-0-9.*]*[a-z]+)|\s|\\n)+"$/ || $lit =~ /^"grid(desk|ctl) "$/;
        print "$ARGV:$.: $f($lit\n";
    }
    close ARGV if eof;' "$root"/src/tui/*.c)
is "$lint" "" "every console string people read goes through gettext"

# English by default, Chinese when asked; stable keys either way
out=$(LANG=C.UTF-8 LC_ALL=C.UTF-8 "$BIN/griddesk" --help); like "$out" '^usage: griddesk' "English by default"
out=$(LANGUAGE= LC_ALL=zh_CN.UTF-8 "$BIN/griddesk" --help); like "$out" '^用法：griddesk' "griddesk --help in Chinese under zh_CN.UTF-8"
like "$out" '实时调度台' "in the centre's words"
done_testing
