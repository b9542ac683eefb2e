#!/usr/bin/env bash
# Colour where the terminal has it, none under NO_COLOR (reverse video and
# bold carry the meaning), and a plain 8-colour TERM works too.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
overdue=$(sql "SELECT count(*) FROM cases WHERE due_at < now() AND status NOT IN ('closed', 'cancelled')")
ok $([ "$overdue" -gt 0 ]; echo $?) "the demo city has overdue cases to show ($overdue)"

sgr() { tmx capture-pane -p -e -t t; }
for term in tmux-256color screen; do
    TUI_ENV="TERM=$term" tui_start 100 24
    tui_wait " live "; ok $? "TERM=$term: the console is up"
    out=$(sgr)
    printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*4[1-7]m|\e\\[[0-9;]*4[0-9];'; ok $? "TERM=$term: overdue deadlines and the status bar are coloured"
    tui_keys q; tui_wait "exit=0"; ok $? "TERM=$term: quits cleanly"
    tmx kill-server
done

TUI_ENV="NO_COLOR=1" tui_start 100 24
tui_wait " live "; ok $? "NO_COLOR: the console is up"
out=$(sgr)
printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|38;|48;)'; is $? 1 "NO_COLOR: no colour at all"
printf '%s' "$out" | grep -qE $'\e\\[[0-9;]*7m'; ok $? "NO_COLOR: reverse video marks the status bar and overdue cells"
tui_keys q; tui_wait "exit=0"; ok $? "NO_COLOR: quits cleanly"
done_testing
