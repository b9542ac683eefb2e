#!/usr/bin/env bash
# The terminals griddesk(1) lists, each showing what the manual says it
# shows: colour on xterm, screen, tmux and the Linux console; bold and
# reverse video only on vt100 and vt220. A terminal that cannot address the
# cursor (dumb), an unknown TERM or none at all is refused with a message
# naming TERM and a value to try, and exit status 2.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
sgr() { tmx capture-pane -p -e -t t; }

for term in xterm xterm-256color screen screen-256color tmux-256color linux vt100 vt220; do
    TUI_ENV="TERM=$term" tui_start 100 24
    tui_wait "operator \| $total cases \| [0-9]+ overdue"; ok $? "TERM=$term: the console is up"
    screen=$(tui_screen)
    like "$(printf '%s\n' "$screen" | head -1)" "^griddesk  queue  1/$total " "TERM=$term: the header on the first line"
    like "$(printf '%s\n' "$screen" | tail -1)" "^ live .* [0-9]{2}:[0-9]{2}:[0-9]{2} *$" "TERM=$term: the status line on the last"
    out=$(sgr)
    case $term in
    vt100 | vt220)
        printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;|48;)'; is $? 1 "TERM=$term: no colour"
        printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*7m'; ok $? "TERM=$term: reverse video for the bar, the selection and overdue deadlines"
        printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*1[;m]'; ok $? "TERM=$term: bold for the header" ;;
    *)
        printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*4[1-7]m|\e\\[[0-9;]*4[0-9];'; ok $? "TERM=$term: colour (the bar, overdue deadlines)" ;;
    esac
    tui_keys j
    tui_wait "queue  2/$total "; ok $? "TERM=$term: keys work"
    tui_keys q; tui_wait "exit=0"; ok $? "TERM=$term: quits cleanly"
    tmx kill-server
done

refused() { # TERM-VALUE REGEX WHAT
    TUI_ENV="TERM=$1 ${LOCALE_ENV:-}" tui_start 200 24   # the message on one line
    tui_wait "exit=2"; ok $? "$3: exit status 2"
    tui_wait "$2"; ok $? "$3: says why, naming TERM and a value to try"
    tui_screen | grep -q "Error opening terminal"; is $? 1 "$3: not ncurses' bare error"
    tui_screen | grep -q "griddesk  queue"; is $? 1 "$3: draws nothing"
    tmx kill-server
}
refused dumb "griddesk: TERM=dumb cannot move the cursor.*TERM=xterm-256color" "TERM=dumb"
refused "nosuch-$$" "griddesk: unknown terminal type TERM=nosuch-$$ .*try TERM=xterm-256color" "an unknown TERM"
refused "" "griddesk: TERM is not set.*TERM=xterm-256color" "TERM unset"
LOCALE_ENV="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=" \
    refused dumb "griddesk：TERM=dumb 无法移动光标.*TERM=xterm-256color" "TERM=dumb, in Chinese"
done_testing
