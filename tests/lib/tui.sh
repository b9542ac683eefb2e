# Drive the real console in a private tmux server at a fixed size.
# Sourced after tap.sh.

TMUX_N=0
TMUX_SOCK="gdtest_$$_0"
tmx() { tmux -L "$TMUX_SOCK" "$@"; }

# tui_start COLS ROWS [griddesk args...]: the console in a pane; when it exits
# the pane shows its exit status and whether the terminal was restored
tui_start() {
    local cols=$1 rows=$2; shift 2
    # a fresh tmux server each time: one that is still going away refuses
    # new sessions ("server exited unexpectedly")
    TMUX_N=$((TMUX_N + 1)); TMUX_SOCK="gdtest_$$_$TMUX_N"
    local env="PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=${TUI_USER:-gd_operator} PGDATABASE=$PGDATABASE"
    env="$env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=${TZ:-Asia/Shanghai} ASAN_OPTIONS=${ASAN_OPTIONS:-} ${TUI_ENV:-}"
    tmx -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
        "env $env $BIN/griddesk $* 2>/tmp/griddesk-stderr-$$; echo \"exit=\$?\"; stty -a | tr ' ' '\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' '; echo; cat /tmp/griddesk-stderr-$$; sleep 600"
    trap tui_cleanup EXIT
}

# at exit: the tmux server, the console's stderr and trace, the database
tui_cleanup() {
    tmx kill-server 2>/dev/null
    rm -f /tmp/griddesk-stderr-$$ ${TUI_TRACE:+"$TUI_TRACE"}
    dropdb --if-exists "$TEST_DB" >/dev/null 2>&1
}

# tui_trace: $trace, a file for the console's --trace, removed at exit
tui_trace() {
    trace=$(mktemp)
    TUI_TRACE=$trace
    trap tui_cleanup EXIT
}

tui_screen() { tmx capture-pane -p -t t; }
tui_keys() { tmx send-keys -t t "$@"; }
tui_resize() { tmx resize-window -t t -x "$1" -y "$2"; }
tui_pid() { tmx list-panes -t t -F '#{pane_pid}'; }

# tui_wait REGEX [SECONDS]: wait until the screen matches (exit 0) or time runs out
tui_wait() {
    local deadline=$(( $(date +%s%N) + ${2:-10} * 1000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        tui_screen | grep -qE -- "$1" && return 0
        sleep 0.05
    done
    echo "# screen did not show /$1/ in time:"; tui_screen | sed 's/^/#   /'
    return 1
}

# tui_start_sh COLS ROWS [griddesk args...]: as tui_start, but the console is
# started from an interactive shell in the pane, so job control works
# (Ctrl-Z, then fg). At each prompt after it the shell prints the same
# exit= and terminal-mode lines as tui_start (exit=148 when stopped).
tui_start_sh() {
    local cols=$1 rows=$2; shift 2
    TMUX_N=$((TMUX_N + 1)); TMUX_SOCK="gdtest_$$_$TMUX_N"
    local env="PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=${TUI_USER:-gd_operator} PGDATABASE=$PGDATABASE"
    env="$env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=${TZ:-Asia/Shanghai} ASAN_OPTIONS=${ASAN_OPTIONS:-} ${TUI_ENV:-}"
    cat >"/tmp/griddesk-rc-$$" <<RC
PS1='sh\$ '
gd() { env $env $BIN/griddesk "\$@" 2>/tmp/griddesk-stderr-$$; }
gd_report() {
    local s=\$?
    [ -n "\${gd_ran:-}" ] || return 0
    echo "exit=\$s"
    stty -a | tr ' ' '\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' '; echo
    cat /tmp/griddesk-stderr-$$
}
PROMPT_COMMAND=gd_report
RC
    tmx -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
        "bash --rcfile /tmp/griddesk-rc-$$ --noprofile -i"
    trap 'tmx kill-server 2>/dev/null; rm -f /tmp/griddesk-stderr-$$ /tmp/griddesk-rc-$$; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
    tui_wait '^sh\$ ' >/dev/null
    # the console is the job itself, so it stops only after its own
    # SIGTSTP handler has given the terminal back
    tui_keys -l "gd_ran=1; gd $*"
    tui_keys Enter
}

# tui_flag NAME: a tmux pane flag (keypad_cursor_flag, alternate_on, cursor_flag...)
tui_flag() { tmx display -p -t t "#{$1}"; }

# tui_wait_flag NAME VALUE [SECONDS]: wait until the pane flag has the value
tui_wait_flag() {
    local deadline=$(( $(date +%s%N) + ${3:-10} * 1000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        [ "$(tui_flag "$1")" = "$2" ] && return 0
        sleep 0.05
    done
    echo "# pane flag $1 is $(tui_flag "$1"), not $2"
    return 1
}

# tui_hex HEX...: raw bytes to the console, as a terminal would send them
tui_hex() { tmx send-keys -t t -H "$@"; }
