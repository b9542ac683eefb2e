#!/usr/bin/env bash
# A case whose description and reporter name are a million characters each
# opens at once, scrolls to its end and back, and leaves the console
# answering; a day's 10,000th case shows its five-digit reference whole in
# the queue at 80x24.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db

tag="巨案$$"
ref=$(gridctl report --grid PJ01-01-01 --category hazard.fall --priority 1 \
          --title "${tag}楼道堆放杂物堵塞消防通道" --reporter-kind resident --reporter-name 张三)
ok $? "a case is reported"
big_ref=JM-20261201-10004

# Set up as the superuser, past the caps the schema puts on what functions
# store: the console must not rely on them (rows from before a cap, another
# client, a restored dump), so this private database drops them.
sql "DO \$\$
DECLARE c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
              WHERE contype = 'c'
                AND ((conrelid = 'cases'::regclass AND pg_get_constraintdef(oid) LIKE '%description%')
                  OR (conrelid = 'reporters'::regclass AND pg_get_constraintdef(oid) LIKE '%name%'))
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
    END LOOP;
END
\$\$"
# 1,000,000 characters each, ASCII and Chinese mixed, their ends marked
sql "UPDATE cases SET ref = '$big_ref',
            description = repeat('ab江 ', 249998) || 'DESC-END'
      WHERE ref = '$ref'"
sql "UPDATE reporters SET name = 'NAME-START ' || repeat('张x', 499990) || ' NAME-END'
      WHERE id = (SELECT reporter_id FROM cases WHERE ref = '$big_ref')"
is "$(sql "SELECT length(c.description) || ' ' || length(r.name)
             FROM cases c JOIN reporters r ON r.id = c.reporter_id WHERE c.ref = '$big_ref'")" \
   "1000000 1000000" "its description and reporter name are 1,000,000 characters each"

tui_trace
tui_start 80 24 --trace "$trace"
tui_wait "operator \| [0-9]+ cases"; ok $? "the console is up, as an operator"

tui_keys / "$tag" Enter
tui_wait "queue  1/1"; ok $? "/ selects the big case by its title"
screen=$(tui_screen)
like "$screen" "^[ *] $big_ref +[0-9]+[mhd]" "its five-digit reference shows whole at 80 columns"
like "$screen" "REF +AGE +P +STATUS" "the heads stand over their columns"
like "$screen" "^[ *] $big_ref .*${tag}.* +-?[0-9]+[mhd][0-9]* *$" "the title gives way; LEFT still shows"

# the time from the key to the case on screen, polled closely
opened() { # REGEX SECONDS
    local deadline=$(( $(date +%s%N) + $2 * 1000000000 ))
    until tui_screen | grep -qE -- "$1"; do
        [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    done
}
t0=$(date +%s%N)
tui_keys Enter
opened "^reporter +NAME-START 张x张x" 5; ok $? "Enter opens the case within 5 s"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# the console's own account: from the key to the frame that drew the case
own=$(awk '$1 == "key" && $3 == 13 { k = $2 } $1 == "detail" && k { d = 1 }
           $1 == "frame" && d { printf "%.0f", ($2 - k) / 1e6; exit }' "$trace")
echo "# opened a case with a 1,000,000-character field in $ms ms on screen, $own ms by the console's trace"
tui_wait "griddesk  case $big_ref"; ok $? "the header names it"

# PgDn a chunk at a time until the end shows: some 40,000 lines at 80x24
pages() { # KEY UNTIL-REGEX
    local keys=()
    for _ in $(seq 1 250); do keys+=("$1"); done
    for _ in $(seq 1 20); do
        tui_keys "${keys[@]}"
        tui_wait "$2" 1 >/dev/null && return 0
    done
    tui_wait "$2" 10
}
pages PgDn "^timeline"; ok $? "PgDn scrolls to the end: the timeline"
screen=$(tui_screen)
like "$screen" "ab江 ab江 DESC-END" "the description's last line"
like "$screen" "reported +" "and its first event"
pages PgUp "^ref +$big_ref"; ok $? "PgUp scrolls back to the top"
tui_wait "^reporter +NAME-START"; ok $? "the reporter's name from its start"

tui_keys Escape
tui_wait "queue  1/1"; ok $? "the console still answers: Esc back to the queue"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
