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
    trap 'tmx kill-server 2>/dev/null; rm -f /tmp/griddesk-stderr-$$; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT
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
