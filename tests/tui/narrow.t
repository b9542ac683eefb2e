#!/usr/bin/env bash
# Narrow screens: the title shrinks first, then columns give way in the
# order griddesk(1) states (mediator, department, category, district, age,
# title, then the status is cut and goes, then the mark and the priority);
# the reference, priority, status and time left stay down to 38 columns,
# the reference and the time left to 24. The status line keeps the
# connection state, the overdue count and the clock to the narrowest width
# the console draws at (20 columns): the role goes first, then the case
# count, the seconds, the words.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")

heads() { tui_screen | sed -n 2p; }
status_line() { tui_screen | tail -1; }
row() { tui_screen | sed -n 3p; }

# width, the column heads, the status line
layouts=(
    120 "^  REF +AGE +P STATUS +CATEGORY DISTRI TITLE +DEPT +MEDIATOR LEFT$"
        "^ live +operator \| $total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    100 "^  REF +AGE +P STATUS +CATEGORY DISTRI TITLE +DEPT +LEFT$"
        "^ live +operator \| $total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    80  "^  REF +AGE +P STATUS +CATEGORY DISTRI TITLE +LEFT$"
        "^ live +operator \| $total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    60  "^  REF +AGE +P STATUS +DISTRI TITLE +LEFT$"
        "^ live +operator \| $total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    50  "^  REF +AGE +P STATUS +TITL LEFT$"
        "^ live +$total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    45  "^  REF +P STATUS +TITLE +LEFT$"
        "^ live +$total cases \| [0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    40  "^  REF +P STATUS +LEFT$"
        "^ live +[0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    38  "^  REF +P STATUS +LEFT$"
        "^ live +[0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    33  "^  REF +P STATU LEFT$"
        "^ live +[0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    30  "^  REF +P LEFT$"
        "^ live +[0-9]+ overdue \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"
    26  "^REF +P LEFT$"
        "^ live +[0-9]+ overdue \| [0-9]{2}:[0-9]{2} *$"
    24  "^REF +LEFT$"
        "^ live +[0-9]+ late [0-9]{2}:[0-9]{2}$"
    20  "^REF$"
        "^ live +[0-9]+ late [0-9]{2}:[0-9]{2}$"
)

tui_start 120 24
tui_wait "operator \| $total cases"; ok $? "the console is up at 120 columns"
for ((i = 0; i < ${#layouts[@]}; i += 3)); do
    w=${layouts[i]}
    tui_resize "$w" 24
    tui_wait "${layouts[i + 1]}" 5; ok $? "$w columns: the heads $(heads | tr -s ' ')"
    tui_wait "${layouts[i + 2]}" 5; ok $? "$w columns: the status line keeps what matters: $(status_line | tr -s ' ')"
    like "$(row)" "^([ *] )?JM-[0-9]{8}-[0-9]{4,}( |$)" "$w columns: the reference whole"
    if [ "$w" -ge 24 ]; then
        like "$(row)" " -?[0-9]+[mhd][0-9hm]* *$" "$w columns: the time left ends the row"
    fi
done
tui_resize 80 24
tui_wait "^  REF +AGE +P STATUS +CATEGORY DISTRI TITLE +LEFT$"; ok $? "80 columns again: every column back"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
tmx kill-server

# not connected: the state and its countdown keep their place too
tui_start 100 24 -d "'host=/tmp/griddesk-nohost-$$ port=5432 dbname=griddesk'"
tui_wait "^ reconnecting in [0-9]+ s "; ok $? "a console with no server says it is reconnecting"
for case in "40:^ reconnecting in [0-9]+ s +0 overdue \| [0-9]{2}:[0-9]{2} *$" \
            "30:^ retry in [0-9]+ s +0 late [0-9]{2}:[0-9]{2}$" \
            "20:^retry +0 late [0-9]{2}:[0-9]{2}$"; do
    w=${case%%:*}
    tui_resize "$w" 24
    tui_wait "${case#*:}" 5; ok $? "$w columns, not connected: $(status_line)"
    status_line | grep -q '\?'; is $? 1 "$w columns: no stub of the error text"
done
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
tmx kill-server

# in Chinese the heads and labels are wider: the same order
TUI_ENV="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=" tui_start 40 24
tui_wait "^  编号 +级 状态 +剩余$"; ok $? "Chinese, 40 columns: reference, priority, status, time left"
tui_wait "^ 实时 +$total 件 \| 超时 [0-9]+ \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"; ok $? "Chinese, 40 columns: live, the count, overdue, clock"
tui_resize 20 24
tui_wait "^ 实时 +超时[0-9]+ [0-9]{2}:[0-9]{2}$"; ok $? "Chinese, 20 columns: still live, overdue, clock"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
