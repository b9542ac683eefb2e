#!/usr/bin/env bash
# A minute of torture (TORTURE_SECONDS): random resizes down to 1x1, key
# floods, SIGWINCH storms, and reports whose titles mix CJK, emoji,
# combining marks, bidi controls and control bytes arriving all the while.
# The console must survive, and then show the right count.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
secs=${TORTURE_SECONDS:-60}
tui_start 80 24
tui_wait " live "; ok $? "the console is up"
pid=$(pgrep -f "^$BIN/griddesk" -P "$(tui_pid)" | head -1)
[ -n "$pid" ]; ok $? "its process is found ($pid)"

titles=($'工地\e[31m红字\e[0m噪音' $'🚧🔥 井盖缺失 e\u0301\u0301\u0301' $'\u202e倒序标题\u202c 漏水' $'\a\b\x7f控制字符\t制表' \
        $'ﾀｲﾄﾙ半角 全角ＡＢＣ' $'\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 家庭纠纷')
(
    i=0
    while :; do
        "$BIN/gridctl" report --grid PJ01-01-01 --category hazard.fall \
            --title "${titles[$((i % ${#titles[@]}))]}$i" >/dev/null 2>&1 || true
        i=$((i + 1)); sleep 0.05
    done
) &
writer=$!
keys=(j k j j PgDn PgUp g G Enter Escape '?' Escape s s Escape / x Escape f Escape C-l)
end=$(( $(date +%s) + secs )); n=0
while [ "$(date +%s)" -lt "$end" ]; do
    tui_resize $(( RANDOM % 200 + 1 )) $(( RANDOM % 60 + 1 ))
    for _ in 1 2 3 4 5; do kill -WINCH "$pid" 2>/dev/null; done
    tui_keys "${keys[$((RANDOM % ${#keys[@]}))]}" "${keys[$((RANDOM % ${#keys[@]}))]}" \
             "${keys[$((RANDOM % ${#keys[@]}))]}"
    n=$((n + 1))
done
kill "$writer"; wait "$writer" 2>/dev/null
kill -0 "$pid" 2>/dev/null; ok $? "alive after $n rounds of resizes, key floods and SIGWINCH storms in ${secs} s"
tui_resize 80 24
tui_keys Escape Escape Escape
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
tui_wait "\| $total cases \|" 15; ok $? "and shows the right count ($total open cases)"
tui_wait "queue  [0-9]+/$total" 15; ok $? "in the header too"
tui_screen | grep -q $'\e'; is $? 1 "no raw escape reached the screen"
tui_keys q
tui_wait "exit=0"; ok $? "it quits cleanly"
tui_wait "icanon echo" 5; ok $? "and the terminal is restored"
done_testing
