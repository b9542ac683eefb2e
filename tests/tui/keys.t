#!/usr/bin/env bash
# Whole keys: every escape sequence a terminal may send - xterm, vt100, vt220,
# the Linux console and rxvt forms of arrows with Ctrl/Alt/Shift, Home/End,
# PgUp/PgDn, F1-F12 - reaches the console as one key, under the TERM
# entries operators use (xterm, screen-256color, tmux-256color, vt100,
# linux). A sequence ncurses does not decode is ignored whole and named in
# the status line; never do its bytes act as keys (the A of Ctrl-Up would
# accept a case, the F of Ctrl-End ask for feedback, its Esc clear the
# filters). The same after Ctrl-Z and fg, when keypad mode must be back
# before the first key is read.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tag="键$$"
r1=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 --title "${tag}一")
r2=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 --title "${tag}二")
events() { sql "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id WHERE c.title LIKE '${tag}%'"; }
is "$(events)" 2 "two cases, one event each"

# name, then the bytes in hex
sequences=(
    "xterm Ctrl-Up"       "1b 5b 31 3b 35 41"   "xterm Ctrl-Down"     "1b 5b 31 3b 35 42"
    "xterm Ctrl-Right"    "1b 5b 31 3b 35 43"   "xterm Ctrl-Left"     "1b 5b 31 3b 35 44"
    "xterm Alt-Up"        "1b 5b 31 3b 33 41"   "xterm Alt-Down"      "1b 5b 31 3b 33 42"
    "xterm Shift-Up"      "1b 5b 31 3b 32 41"   "xterm Shift-Left"    "1b 5b 31 3b 32 44"
    "xterm Ctrl-Shift-Up" "1b 5b 31 3b 36 41"   "xterm Ctrl-Home"     "1b 5b 31 3b 35 48"
    "xterm Ctrl-End"      "1b 5b 31 3b 35 46"   "xterm Alt-End"       "1b 5b 31 3b 33 46"
    "xterm Home"          "1b 5b 48"            "xterm End"           "1b 5b 46"
    "xterm SS3 Home"      "1b 4f 48"            "xterm SS3 End"       "1b 4f 46"
    "xterm F1"            "1b 4f 50"            "xterm F2"            "1b 4f 51"
    "xterm F3"            "1b 4f 52"            "xterm F4"            "1b 4f 53"
    "xterm F5"            "1b 5b 31 35 7e"      "xterm F6"            "1b 5b 31 37 7e"
    "xterm F7"            "1b 5b 31 38 7e"      "xterm F8"            "1b 5b 31 39 7e"
    "xterm F9"            "1b 5b 32 30 7e"      "xterm F10"           "1b 5b 32 31 7e"
    "xterm F11"           "1b 5b 32 33 7e"      "xterm F12"           "1b 5b 32 34 7e"
    "xterm Shift-F1"      "1b 5b 31 3b 32 50"   "xterm Ctrl-F5"       "1b 5b 31 35 3b 35 7e"
    "xterm Alt-F12"       "1b 5b 32 34 3b 33 7e" "old xterm Ctrl-Up"  "1b 4f 35 41"
    "xterm PgUp"          "1b 5b 35 7e"         "xterm PgDn"          "1b 5b 36 7e"
    "xterm Insert"        "1b 5b 32 7e"         "xterm Delete"        "1b 5b 33 7e"
    "normal-mode Up"      "1b 5b 41"            "normal-mode Down"    "1b 5b 42"
    "vt100 Up"            "1b 4f 41"            "vt100 Down"          "1b 4f 42"
    "vt100 F5"            "1b 4f 74"            "vt100 F10"           "1b 4f 78"
    "vt100 keypad 1"      "1b 4f 71"            "vt100 keypad ."      "1b 4f 6e"
    "vt220 Home"          "1b 5b 31 7e"         "vt220 End"           "1b 5b 34 7e"
    "linux F1"            "1b 5b 5b 41"         "linux F2"            "1b 5b 5b 42"
    "linux F3"            "1b 5b 5b 43"         "linux F4"            "1b 5b 5b 44"
    "linux F5"            "1b 5b 5b 45"         "rxvt Ctrl-Up"        "1b 4f 61"
    "rxvt Shift-Up"       "1b 5b 61"            "rxvt Ctrl-Home"      "1b 5b 37 5e"
    "xterm focus in"      "1b 5b 49"            "private mode reply"  "1b 5b 3f 31 3b 32 63"
)

in_queue="queue  [12]/2 .*filter: text=$tag"

# After each sequence comes a ?: help opens only if nothing before it was
# taken for a question, a prompt, a dialog or quitting; back in the queue,
# the filter must still be there (a stray Esc clears it).
try_all() { # TERM
    local i name hex
    for ((i = 0; i < ${#sequences[@]}; i += 2)); do
        name=${sequences[i]}; hex=${sequences[i + 1]}
        # shellcheck disable=SC2086
        tui_hex $hex 3f
        tui_wait "griddesk  keys" 5 >/dev/null
        ok $? "TERM=$1: $name ($hex) is one key, and the next key works"
        tui_keys '?'
        tui_wait "$in_queue" 5 >/dev/null
        ok $? "TERM=$1: $name: back in the queue, the filter still in force"
        tui_screen | grep -q "$in_queue" || { tui_keys Escape Escape / "$tag" Enter; tui_wait "$in_queue" 5 >/dev/null; }
    done
}

for term in xterm screen-256color tmux-256color vt100 linux; do
    TUI_ENV="TERM=$term" tui_start 80 24
    tui_wait " live "; ok $? "TERM=$term: the console is up"
    tui_keys / "$tag" Enter
    tui_wait "$in_queue"; ok $? "TERM=$term: two cases in view"
    case $term in
    xterm | tmux-256color)
        tui_hex 1b 5b 31 3b 35 41
        tui_wait "kUP5 does nothing here; \? lists the keys"; ok $? "TERM=$term: Ctrl-Up, known to $term, is named and does nothing" ;;
    *)
        tui_hex 1b 5b 31 3b 35 41
        tui_wait "ignored key Esc\[1;5A \(unknown to TERM=$term\)"; ok $? "TERM=$term: Ctrl-Up is ignored whole and named" ;;
    esac
    tui_hex 1b 5b 31 3b 35 46
    tui_wait "(kEND5 does nothing here|ignored key Esc\[1;5F)"; ok $? "TERM=$term: Ctrl-End is one key too, not F (feedback)"
    try_all "$term"
    tui_screen | grep -q $'\e'; is $? 1 "TERM=$term: no raw escape reached the screen"
    is "$(events)" 2 "TERM=$term: nothing was written"
    tui_keys q
    tui_wait "exit=0"; ok $? "TERM=$term: quits cleanly"
    tmx kill-server
done

# Ctrl-Z and fg: ncurses turns keypad mode off when it suspends; it must be
# on again as soon as the console runs, before any key comes, or the first
# arrow arrives in the other form (Esc [ A, whose A would accept a case).
at_prompt() { # the shell's prompt is the last line on the screen
    local deadline=$(( $(date +%s%N) + 10 * 1000000000 ))
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        tui_screen | grep -v '^ *$' | tail -1 | grep -qx 'sh\$ *' && return 0
        sleep 0.05
    done
    tui_screen | sed 's/^/#   /'
    return 1
}
for term in xterm vt100; do
    TUI_ENV="TERM=$term" tui_start_sh 80 24
    tui_wait " live "; ok $? "TERM=$term, from a shell: the console is up"
    tui_keys / "$tag" Enter
    tui_wait "queue  1/2 .*filter: text=$tag"; ok $? "TERM=$term: two cases in view"
    tui_wait_flag keypad_cursor_flag 1; ok $? "TERM=$term: keypad mode on"
    tui_keys C-z
    at_prompt; ok $? "TERM=$term: Ctrl-Z stops it, back at the shell"
    tui_wait "exit=148"; ok $? "TERM=$term: stopped (148)"
    tui_wait "icanon echo"; ok $? "TERM=$term: the terminal is the shell's while it is stopped"
    is "$(tui_flag keypad_cursor_flag)$(tui_flag alternate_on)" 00 "TERM=$term: keypad mode off, main screen"
    tui_keys fg Enter
    tui_wait "queue  1/2 .*filter: text=$tag"; ok $? "TERM=$term: fg brings it back"
    tui_wait_flag keypad_cursor_flag 1; ok $? "TERM=$term: keypad mode is on again before any key"
    tui_keys Down   # tmux sends it in the form keypad mode asks for
    tui_wait "queue  2/2 "; ok $? "TERM=$term: the first arrow after fg moves the selection"
    tui_hex 1b 5b 41 3f   # an Up sent in the other mode, then ?
    tui_wait "griddesk  keys"; ok $? "TERM=$term: an arrow in the other mode is one ignored key"
    tui_keys '?'
    tui_wait "queue  2/2 .*filter: text=$tag"; ok $? "TERM=$term: nothing else happened"
    tui_keys C-z
    at_prompt; ok $? "TERM=$term: stopped again"
    tui_keys fg Enter
    tui_wait_flag keypad_cursor_flag 1; ok $? "TERM=$term: keypad mode on again"
    tui_keys Up
    tui_wait "queue  1/2 "; ok $? "TERM=$term: Up works after the second fg"
    is "$(events)" 2 "TERM=$term: nothing was written"
    tui_keys q
    tui_wait "exit=0"; ok $? "TERM=$term: quits cleanly"
    tmx kill-server
done
done_testing
