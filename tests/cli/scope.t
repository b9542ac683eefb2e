#!/usr/bin/env bash
# gridctl user: login roles scoped by place, held to it everywhere: gridctl,
# psql's plain SELECT, and the console.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
u=pj$$; s=st$$; v=vw$$; c=cy$$
trap 'tmx kill-server 2>/dev/null; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1; for r in $u $s $v $c; do psql -X -q -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1; done' EXIT
gridctl user add "$u" --role operator --scope 蓬江区; ok $? "user add, scoped to a district by its Chinese name"
gridctl user add "$s" --role dept --scope PJ01; ok $? "a department user scoped to a street"
gridctl user add "$v" --role viewer --scope PJ01-01; ok $? "a viewer scoped to a community"
gridctl user add "$c" --role operator; ok $? "an operator for the whole city"
out=$(gridctl user list --format csv); ok $? "user list"
like "$out" "$u,operator,PJ,蓬江区" "lists role and scope"
like "$out" "$c,operator,city,全市" "and the city-wide one"
err=$(gridctl user add "$u" --role operator 2>&1); is $? 1 "a name already taken is refused"
err=$(gridctl user add "Bad Name" --role operator 2>&1); is $? 1 "so is a bad name"
err=$(gridctl user add x$$ --role boss 2>&1); is $? 1 "and an unknown role"
err=$(gridctl user scope "$u" 火星区 2>&1); is $? 1 "and an unknown area"
err=$(gridctl user add y$$ 2>&1); is $? 2 "--role is required"

pj=$(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'PJ')")
st=$(sql "SELECT count(*) FROM cases c JOIN areas g ON g.id = c.grid_id WHERE (SELECT id FROM areas WHERE code = 'PJ01') = ANY (g.path)")
cm=$(sql "SELECT count(*) FROM cases c JOIN areas g ON g.id = c.grid_id WHERE (SELECT id FROM areas WHERE code = 'PJ01-01') = ANY (g.path)")
all=$(sql "SELECT count(*) FROM cases")
as() { PGUSER=$1 psql -X -A -t -c "$2"; }
is "$(as "$u" "SELECT count(*) FROM cases")" "$pj" "psql as the district user: its $pj cases only"
is "$(as "$u" "SELECT count(*) FROM cases WHERE district_id <> (SELECT id FROM areas WHERE code = 'PJ')")" 0 "asking for others finds none"
is "$(as "$s" "SELECT count(*) FROM cases")" "$st" "the street user: $st"
is "$(as "$v" "SELECT count(*) FROM cases")" "$cm" "the community viewer: $cm"
is "$(as "$c" "SELECT count(*) FROM cases")" "$all" "the city user: all $all"
is "$(PGUSER=$u gridctl list --limit 100000 --format json | json_get 'scalar @$d')" "$pj" "gridctl list as the district user"
other=$(sql "SELECT ref FROM cases WHERE district_id <> (SELECT id FROM areas WHERE code = 'PJ') ORDER BY id LIMIT 1")
err=$(PGUSER=$u gridctl show "$other" 2>&1); is $? 1 "a case outside the scope cannot be shown"
like "$err" "no case \"$other\"" "it is simply not there"
err=$(PGUSER=$u gridctl note "$other" --note 越界 2>&1); is $? 1 "nor noted"
gridctl user scope "$u" city; ok $? "the scope widened to the city"
is "$(as "$u" "SELECT count(*) FROM cases")" "$all" "now it sees everything"
gridctl user scope "$u" PJ >/dev/null

open=$(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'PJ') AND status NOT IN ('closed', 'cancelled')")
TUI_ENV="PGUSER=$u"
tui_start 100 30
tui_wait "\| $open cases \|" 15; ok $? "the district user's console counts only its district's open cases ($open)"
gridctl report --grid XH01-01-01 --category hazard.fall --title 别区新案$$ >/dev/null
gridctl report --grid PJ01-01-01 --category hazard.fall --title 本区新案$$ >/dev/null
tui_wait "\| $((open + 1)) cases \|" 10; ok $? "a report in its district shows; one elsewhere does not"
tui_screen | grep -q "别区新案$$"; is $? 1 "the other district's title never reaches the screen"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
