#!/usr/bin/env bash
# The console shows a case the moment gridctl reports it; the detail view
# shows its timeline; / filters; Esc clears; help lists every key.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
tui_start 80 24

tui_wait ' live ' ; ok $? "the console connects and says live"
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
tui_wait "operator \| $total cases" ; ok $? "the status line counts the open cases ($total)"
tui_wait "1/$total"; ok $? "the header shows where the selection is"

tag="标记$$"
ref=$(gridctl report --grid PJ01-01-01 --category 经济合同纠纷 --title "${tag}清仓促销货款纠纷" --priority 1)
tui_wait "operator \| $((total + 1)) cases" 5; ok $? "a reported case is counted at once"

tui_keys / "$tag" Enter
tui_wait "queue  1/1 .*filter: text=$tag" ; ok $? "/ filters by title and shows the filter"
tui_wait "^\* $ref +0m +1 new +经济合同 蓬江区 ${tag}清" ; ok $? "the new case is marked new, its columns aligned in Chinese"
tui_keys Enter
tui_wait "griddesk  case $ref"; ok $? "Enter opens the case"
tui_wait "^timeline"; ok $? "with its timeline"
tui_wait "reported +$PGUSER"; ok $? "naming who reported it"

psql -X -q -c "SELECT gd_note('$ref', NULL, '已电话联系上报人')" >/dev/null
tui_wait "note +$PGUSER"; ok $? "someone else's note shows in the open case at once"

tui_keys Escape
tui_wait "filter: text=$tag"; ok $? "Esc goes back to the filtered queue"
tui_keys Escape
tui_wait "queue  1/$((total + 1)) +\| open cases"; ok $? "Esc again clears the filter"

tui_keys f 'district=江海区 priority=1' Enter
n=$(sql "SELECT count(*) FROM cases c JOIN areas d ON d.id = c.district_id WHERE d.code = 'JH' AND priority = 1 AND status NOT IN ('closed', 'cancelled')")
tui_wait "queue  1/$n .*district=江海区 priority=1"; ok $? "f filters by district and priority ($n cases)"
tui_keys f 'district=火星区' Enter
tui_wait 'unknown district "火星区"'; ok $? "an unknown district is refused with a message"
tui_wait "district=江海区 priority=1"; ok $? "and the last good filter stays"
tui_keys Escape

# scrolling walks the whole view, a window at a time
tui_keys G
tui_wait "queue  $((total + 1))/$((total + 1)) "; ok $? "G goes to the last case of the view"
tui_keys g
tui_wait "queue  1/$((total + 1)) "; ok $? "g back to the first"
for _ in $(seq 1 12); do tui_keys PgDn; done
tui_wait "queue  $((12 * 20 + 1))/$((total + 1)) "; ok $? "12 pages down (20 rows each at 80x24) is case $((12 * 20 + 1)), past the first window"
for _ in $(seq 1 30); do tui_keys k; done
tui_wait "queue  $((12 * 20 + 1 - 30))/$((total + 1)) "; ok $? "30 up from there is case $((12 * 20 + 1 - 30))"
sel=$(tui_screen | sed -n 's/^.*\(JM-[0-9]\{8\}-[0-9]\{4,\}\).*$/\1/p' | head -1)
tui_keys '?'
tui_wait "keys"; ok $? "? shows the help"
for k in 'Down j' 'Up k' PgDn PgUp Enter / f Esc; do
    tui_screen | grep -qF -- "  $k "; ok $? "help lists $k"
done
tui_wait "more below: PgDn"; ok $? "help says there is more below"
# page down to the end, keeping every page: every key of every view is there,
# the dispatch dialog's and supervision's too, each with the views it works in
pages=$(tui_screen)
for _ in 1 2 3; do
    before=$(tui_screen)
    printf '%s\n' "$before" | grep -q "more below" || break
    tui_keys PgDn
    for _ in $(seq 200); do [ "$(tui_screen)" != "$before" ] && break; sleep 0.05; done
    pages="$pages
$(tui_screen)"
done
for k in a A b o r c n s q d 's Esc' 'Down Up' Backspace; do
    printf '%s\n' "$pages" | grep -qE -- "^  $k +[a-zA-Z]"; ok $? "paging down, help lists $k"
done
printf '%s\n' "$pages" | grep -qE -- "^  Backspace .*dispatch *$"; ok $? "the dialog's keys say where they work"
printf '%s\n' "$pages" | grep -qE -- "^  d .*supervision *$"; ok $? "and supervision's"
tui_keys q
tui_wait "exit=0"; ok $? "q quits with status 0"
tui_wait "icanon echo"; ok $? "and the terminal is restored"
done_testing
