#!/usr/bin/env bash
# Every way out gives the terminal back whole: the main screen (not the
# alternate one), the cursor shown, keypad mode off, canonical mode with
# echo. SIGTERM, SIGINT and SIGHUP end the console cleanly (status 0);
# SIGQUIT (Ctrl-\) and a fatal error (abort(): out of memory, a failed libuv
# assertion) end it with their signal's status, after the terminal is back.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db

console_pid() { pgrep -f "^$BIN/griddesk" -P "$(tui_pid)" | head -1; }
taken_over() { # what the console does to the terminal while it runs
    tui_wait_flag alternate_on 1 && tui_wait_flag cursor_flag 0 && tui_wait_flag keypad_cursor_flag 1
}
given_back() { # WHAT
    is "$(tui_flag alternate_on)" 0 "$1: back on the main screen"
    is "$(tui_flag cursor_flag)" 1 "$1: the cursor is shown"
    is "$(tui_flag keypad_cursor_flag)$(tui_flag keypad_flag)" 00 "$1: keypad mode is off"
    tui_wait "icanon echo"; ok $? "$1: canonical mode with echo"
}

for case in TERM:0 INT:0 HUP:0 QUIT:131 ABRT:134; do
    sig=${case%%:*} status=${case#*:}
    TUI_ENV="TERM=xterm" tui_start 80 24
    tui_wait " live "; ok $? "SIG$sig: the console is up"
    taken_over; ok $? "SIG$sig: on the alternate screen, cursor hidden, keypad mode on"
    tui_keys / half-typed   # a prompt open: nothing is written anyway
    pid=$(console_pid)
    kill -"$sig" "$pid"; ok $? "SIG$sig sent to $pid"
    tui_wait "exit=$status"; ok $? "SIG$sig: exits with status $status"
    given_back "SIG$sig"
    tmx kill-server
done

# Ctrl-\ typed, from a shell with job control (only the console gets it)
TUI_ENV="TERM=xterm" tui_start_sh 80 24
tui_wait " live "; ok $? "Ctrl-\\: the console is up"
taken_over; ok $? "Ctrl-\\: the terminal taken over"
tui_keys 'C-\'
tui_wait "exit=131"; ok $? "Ctrl-\\ quits with SIGQUIT's status"
given_back "Ctrl-\\"
tui_wait "^sh\\$"; ok $? "Ctrl-\\: the shell prompt is back"
tmx kill-server

# a terminal without an alternate screen or keypad mode (linux): what it
# has is given back all the same
TUI_ENV="TERM=linux" tui_start 80 24
tui_wait " live "; ok $? "TERM=linux: the console is up"
kill -QUIT "$(console_pid)"
tui_wait "exit=131"; ok $? "TERM=linux: SIGQUIT ends it"
is "$(tui_flag cursor_flag)" 1 "TERM=linux: the cursor is shown"
tui_wait "icanon echo"; ok $? "TERM=linux: canonical mode with echo"
done_testing
