#!/usr/bin/env bash
# gridctl import: a new district's grids, departments, staff and historical
# cases from CSV; every bad row kind stops the import with its line, column
# and value and changes nothing; --skip-bad keeps the good rows and writes
# the bad ones out; encodings are named or refused.
. "$(dirname "$0")/../lib/tap.sh"
fresh_db
data=$GRIDDESK_ROOT/tests/cli/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; dropdb --if-exists "$TEST_DB" >/dev/null 2>&1' EXIT

counts() { sql "SELECT (SELECT count(*) FROM areas) || '/' || (SELECT count(*) FROM departments)
                || '/' || (SELECT count(*) FROM staff) || '/' || (SELECT count(*) FROM cases)
                || '/' || (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM reporters)"; }

# --- a new district, parents after children in the file ---
out=$(gridctl import grids "$data/grids.csv"); ok $? "grids import"
is "$out" "imported 5 grids from $data/grids.csv" "says how many"
is "$(sql "SELECT string_agg(code || ':' || level || ':' || array_length(path, 1), ',' ORDER BY code) FROM areas WHERE code LIKE 'XQ%'")" \
   "XQ:district:2,XQ01:street:3,XQ01-01:community:4,XQ01-01-01:grid:5,XQ01-01-02:grid:5" \
   "the tree is built whatever the order of the lines"
out=$(gridctl import departments "$data/departments.csv" --format json); ok $? "departments import"
is "$(printf '%s' "$out" | json_get '$d->{imported}')" 2 "JSON summary: imported"
is "$(printf '%s' "$out" | json_get '$d->{committed} ? 1 : 0')" 1 "JSON summary: committed"
is "$(sql "SELECT district_id = (SELECT id FROM areas WHERE code = 'XQ') FROM departments WHERE code = 'XQ-CG'")" t \
   "a district named by its Chinese name is found"
gridctl import staff "$data/staff.csv" >/dev/null; ok $? "staff import"
is "$(sql "SELECT string_agg(name || ':' || tier || ':' || array_to_string(fields, '|') || ':' || on_duty || ':' || load_limit, ',' ORDER BY name) FROM staff WHERE phone LIKE '1380013800%'")" \
   "吴志强:grassroots::true:5,黄丽萍:specialist:family|neighbour:true:6" "staff with fields, duty and load limits (defaults filled)"

before=$(sql "SELECT count(*) FROM events")
gridctl import cases "$data/cases.csv" >/dev/null; ok $? "cases import"
is "$(sql "SELECT count(*) FROM cases WHERE ref LIKE 'HX-2025-%'")" 3 "three historical cases"
is "$(sql "SELECT count(*) FROM events WHERE kind = 'imported'")" 3 "each gets an 'imported' event"
is "$(sql "SELECT count(*) - $before FROM events")" 3 "and no other event"
is "$(sql "SELECT status || ':' || to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ':' || outcome FROM cases WHERE ref = 'HX-2025-0001'")" \
   "closed:2025-06-04 09:00:双方达成赔偿协议" "stage times and outcome kept"
is "$(sql "SELECT description FROM cases WHERE ref = 'HX-2025-0001'")" $'楼上住户装修后漏水，\n楼下多次协商未果' \
   "a quoted field keeps its line break"
is "$(sql "SELECT category || ':' || priority FROM cases WHERE ref = 'HX-2025-0003'")" "city.stall:3" \
   "a category given by its Chinese name"
is "$(sql "SELECT to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') FROM cases WHERE ref = 'HX-2025-0002'")" \
   "2025-06-02 08:15" "slashes in dates, the centre's time zone"
is "$(sql "SELECT phone FROM reporters r JOIN cases c ON c.reporter_id = r.id WHERE c.ref = 'HX-2025-0001'")" \
   13900000001 "the reporter is kept"

# --- all or nothing: every bad row kind, and nothing changes ---
base=$(counts)
bad() { # bad DESCRIPTION PATTERN KIND -- CSV lines (first is the header)
    local desc=$1 pat=$2 kind=$3; shift 4
    printf '%s\n' "$@" > "$tmp/bad.csv"
    local err; err=$(gridctl import "$kind" "$tmp/bad.csv" 2>&1 >/dev/null)
    is $? 1 "$desc: exit 1"
    like "$err" "$pat" "$desc: names line, column and value"
    like "$err" "nothing was (imported|changed)" "$desc: says nothing changed"
    is "$(counts)" "$base" "$desc: nothing changed"
}
H='ref,title,category,grid,reported_at'
bad "wrong column count" 'bad.csv:3: 4 fields where the header has 5: T-2,x,hazard.fall,PJ01-01-01' cases -- \
    "$H" "T-1,ok,hazard.fall,PJ01-01-01,2025-01-01" "T-2,x,hazard.fall,PJ01-01-01"
bad "unknown grid" 'bad.csv:2: column grid = "ZZ99": unknown grid "ZZ99"' cases -- \
    "$H" "T-1,t,hazard.fall,ZZ99,2025-01-01"
bad "unknown category" 'bad.csv:2: column category = "no.such": unknown category' cases -- \
    "$H" "T-1,t,no.such,PJ01-01-01,2025-01-01"
bad "bad date" 'bad.csv:2: column reported_at = "2025-02-30": reported_at is not a date' cases -- \
    "$H" "T-1,t,hazard.fall,PJ01-01-01,2025-02-30"
bad "a date PostgreSQL would read as Chicago's" 'column reported_at = "2025-02-01 10:00 CST"' cases -- \
    "$H" "T-1,t,hazard.fall,PJ01-01-01,2025-02-01 10:00 CST"
bad "a date in the future" 'reported_at is in the future' cases -- \
    "$H" "T-1,t,hazard.fall,PJ01-01-01,2099-01-01"
bad "duplicate key in the file" 'bad.csv:3: column ref = "T-1": ref "T-1" is also on line 2' cases -- \
    "$H" "T-1,t,hazard.fall,PJ01-01-01,2025-01-01" "t-1,t,hazard.fall,PJ01-01-01,2025-01-01"
bad "duplicate key in the database" 'column ref = "HX-2025-0001": case HX-2025-0001 is already in the database' cases -- \
    "$H" "HX-2025-0001,t,hazard.fall,PJ01-01-01,2025-01-01"
bad "empty required field" 'bad.csv:2: column title = "": title is empty' cases -- \
    "$H" "T-1,,hazard.fall,PJ01-01-01,2025-01-01"
bad "priority out of range" 'column priority = "9"' cases -- \
    "ref,title,category,grid,reported_at,priority" "T-1,t,hazard.fall,PJ01-01-01,2025-01-01,9"
bad "bad latitude" 'column lat = "north": lat is not a latitude' cases -- \
    "ref,title,category,grid,reported_at,lat,lon" "T-1,t,hazard.fall,PJ01-01-01,2025-01-01,north,113"
bad "status needs its department" 'a case that is dispatched needs its department' cases -- \
    "ref,title,category,grid,reported_at,status" "T-1,t,hazard.fall,PJ01-01-01,2025-01-01,dispatched"
bad "a line break in a quoted field counts" 'bad.csv:4: column grid = "NOPE"' cases -- \
    "$H" 'T-1,"two' 'lines",hazard.fall,PJ01-01-01,2025-01-01' "T-2,t,hazard.fall,NOPE,2025-01-01"
bad "an unclosed quote" 'bad.csv:2: a quoted field that starts on this line is not closed' cases -- \
    "$H" 'T-1,"never closed,hazard.fall,PJ01-01-01,2025-01-01' "T-2,t,hazard.fall,PJ01-01-01,2025-01-01"
bad "grid under an unknown parent" 'column parent = "NOPE01": parent "NOPE01" is not a community' grids -- \
    "code,name,level,parent,lat,lon" "NP01-01-01,某网格,grid,NOPE01,22.5,113.1"
bad "grid code taken" 'code "PJ01-01-01" is already in the database' grids -- \
    "code,name,level,parent,lat,lon" "PJ01-01-01,某网格,grid,PJ01-01,22.5,113.1"
bad "department kind" 'column kind = "court": kind must be' departments -- \
    "code,name,kind,district" "ZZ-1,某部门,court,PJ"
bad "staff tier" 'column tier = "boss": tier must be' staff -- \
    "name,tier,lat,lon" "某人,boss,22.5,113.1"
bad "a staff name over the cap is a line's problem, not the file's end" 'bad.csv:2: column name = .*name is 101 characters, at most 100' staff -- \
    "name,tier,lat,lon" "名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名,grassroots,22.5,113.1"
bad "so is a department's" 'bad.csv:2: column name = .*name is 101 characters, at most 100' departments -- \
    "code,name,kind,district" "ZZ-2,名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名,functional,PJ"
bad "a phone of a + and 20 digits goes in as far as the checks" 'bad.csv:3: column tier' staff -- \
    "name,tier,lat,lon,phone" "某甲,grassroots,22.5,113.1,+12345678901234567890" "某乙,boss,22.5,113.1,"

err=$(printf 'ref,title,category,grid,reported_at,colour\n' | gridctl import cases - 2>&1)
is $? 1 "unknown column: exit 1"
like "$err" 'stdin:1: unknown column "colour"; a cases file has:' "unknown column: named, with the columns a file may have"
err=$(printf 'ref,title,grid,reported_at\n' | gridctl import cases - 2>&1)
like "$err" 'stdin:1: the required column "category" is missing' "a missing required column is named"
err=$(: | gridctl import cases - 2>&1)
like "$err" 'stdin is empty' "an empty file is refused"
is "$(counts)" "$base" "header problems changed nothing"
err=$(gridctl import cases "$data/cases.csv" --skip-bad 2>&1); is $? 2 "--skip-bad without --rejects: usage error"
like "$err" '--skip-bad needs --rejects FILE' "so no bad row is lost"
err=$(gridctl import people "$data/cases.csv" 2>&1); is $? 2 "unknown kind: usage error"
err=$(gridctl import cases /nonexistent.csv 2>&1); is $? 2 "missing file: usage error"
like "$err" 'cannot open /nonexistent.csv' "names the file"

# --- --dry-run and --skip-bad ---
printf '%s\n' "$H" "D-1,好行,hazard.fall,PJ01-01-01,2025-01-01" "D-2,坏行,hazard.fall,ZZ99,2025-01-01" \
    "D-3,好行二,hazard.fall,PJ01-01-01,2025-01-02" "D-4,短行" > "$tmp/mixed.csv"
out=$(gridctl import cases "$tmp/mixed.csv" --dry-run 2>/dev/null); is $? 1 "a dry run of a file with bad rows exits 1: it would not import"
is "$out" "dry run: 2 cases would be imported, 2 rows are bad; nothing was changed" "dry run says what would happen"
is "$(counts)" "$base" "dry run changed nothing"
gridctl import cases "$tmp/mixed.csv" --skip-bad --rejects "$tmp/rejects.csv" >/dev/null 2>&1
ok $? "--skip-bad imports the rest"
is "$(sql "SELECT string_agg(ref, ',' ORDER BY ref) FROM cases WHERE ref LIKE 'D-%'")" "D-1,D-3" "the good rows went in"
is "$(head -1 "$tmp/rejects.csv")" "rejected_line,rejected_column,rejected_reason,ref,title,category,grid,reported_at" \
   "rejects: why, then the file's columns"
is "$(sed -n 2p "$tmp/rejects.csv")" '3,grid,"unknown grid ""ZZ99"": no such grid code",D-2,坏行,hazard.fall,ZZ99,2025-01-01' \
   "rejects: the bad row with its line and reason"
is "$(sed -n 3p "$tmp/rejects.csv")" '5,,2 fields where the header has 5,D-4,短行,,,' "rejects: the short row, its fields in their columns"
sed -i 's/,ZZ99,/,PJ01-01-02,/' "$tmp/rejects.csv"
sed -i '$d' "$tmp/rejects.csv"
gridctl import cases "$tmp/rejects.csv" --dry-run >/dev/null; ok $? "a dry run of a corrected file exits 0: it would import"
gridctl import cases "$tmp/rejects.csv" >/dev/null; ok $? "a corrected rejects file imports as it is"
is "$(sql "SELECT grid_id = (SELECT id FROM areas WHERE code = 'PJ01-01-02') FROM cases WHERE ref = 'D-2'")" t "with the correction"

# --- encodings ---
iconv -f UTF-8 -t GB18030 "$data/cases.csv" | sed 's/HX-2025/GB-2025/' > "$tmp/gb.csv"
base=$(counts)
err=$(gridctl import cases "$tmp/gb.csv" 2>&1); is $? 1 "a GB18030 file read as UTF-8: refused"
like "$err" 'gb.csv:2: the file is not UTF8: invalid byte sequence for encoding "UTF8"' "names the line and the encoding"
like "$err" 'try --encoding GB18030' "and says what to try"
is "$(counts)" "$base" "nothing went in as garbage"
gridctl import cases "$tmp/gb.csv" --encoding GB18030 >/dev/null; ok $? "--encoding GB18030"
is "$(sql "SELECT title FROM cases WHERE ref = 'GB-2025-0001'")" "银湖小区楼上漏水纠纷" "Chinese text arrives intact"
sed 's/HX-2025/GK-2025/' "$data/cases.csv" > "$tmp/utf8.csv"
base=$(counts)
err=$(gridctl import cases "$tmp/utf8.csv" --encoding GBK 2>&1); is $? 1 "a UTF-8 file named GBK: refused"
like "$err" 'utf8.csv:2: the file is UTF-8, not GBK: import it without --encoding' "says which it is"
is "$(counts)" "$base" "nothing went in as garbage"
printf '\xef\xbb\xbf' > "$tmp/bom.csv"; sed 's/HX-2025/BM-2025/' "$data/cases.csv" >> "$tmp/bom.csv"
gridctl import cases "$tmp/bom.csv" >/dev/null; ok $? "Excel's UTF-8 byte-order mark is skipped"
err=$(gridctl import cases "$data/cases.csv" --encoding latin1 2>&1); is $? 2 "unknown encoding: usage error"

# a row with too many fields: its first fields in the columns, the whole
# record in the reason (the columns cannot hold the rest); Python reads it
printf '%s\n' "$H" 'L-1,长行,hazard.fall,PJ01-01-01,2025-01-02,多余,"又,多"' > "$tmp/long.csv"
gridctl import cases "$tmp/long.csv" --skip-bad --rejects "$tmp/long-rejects.csv" >/dev/null 2>&1
is "$(python3 -c 'import csv, sys; r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))[0]; print(r["ref"], r["reported_at"], "|", r["rejected_reason"])' "$tmp/long-rejects.csv")" \
   'L-1 2025-01-02 | 7 fields where the header has 5: L-1,长行,hazard.fall,PJ01-01-01,2025-01-02,多余,"又,多"' "rejects: a long row's fields in the columns, the record in the reason"

# a file that mixes encodings: UTF-8 rows and then one in GBK (two saves
# pasted together), said to be GB18030, would go in as nonsense
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
head = "ref,title,category,grid,reported_at\n"
rows = ["MX-2025-000%d,%s,hazard.fall,JH01-01-01,2025-01-01 08:00\n" % (i, t)
        for i, t in ((1, "井盖缺失"), (2, "路灯不亮"), (3, "占道经营"))]
open(d + "/mixed.csv", "wb").write((head + rows[0] + rows[1]).encode("utf-8") + rows[2].encode("gbk"))
# a GBK byte on line 4, after a quoted field whose CRLF spans lines 2 and 3
b = ("ref,title,description,category,grid,reported_at\r\n"
     "BL-2025-0001,一,\"第一行\r\n第二行\",hazard.fall,JH01-01-01,2025-01-01 08:00\r\n").encode()
b += "BL-2025-0002,坏字节".encode("gbk") + b",,hazard.fall,JH01-01-01,2025-01-01 08:00\r\n"
open(d + "/badline.csv", "wb").write(b)
# the same, the bad byte on the last line, after 300 good rows
rows = "".join("BL-2025-1%03d,第%d行,,hazard.fall,JH01-01-01,2025-01-01 08:00\n" % (i, i) for i in range(300))
open(d + "/badlast.csv", "wb").write(("ref,title,description,category,grid,reported_at\n" + rows).encode()
                                     + "BL-2025-1999,坏".encode("gbk") + b",,hazard.fall,JH01-01-01,2025-01-01 08:00\n")
PY
base=$(counts)
err=$(gridctl import cases "$tmp/mixed.csv" --encoding GB18030 2>&1); is $? 1 "UTF-8 rows in a file said to be GB18030: refused"
like "$err" 'mixed.csv:2: this row is UTF-8, but line 4 is not: the file mixes encodings' "naming the first UTF-8 row and a row that is not"
like "$err" 'in one encoding' "and what to do"
is "$(counts)" "$base" "nothing went in as garbage"
err=$(gridctl import cases "$tmp/badline.csv" 2>&1); is $? 1 "a GBK byte in a UTF-8 file: refused"
like "$err" 'badline.csv:4: the file is not UTF8' "on the file's own line, after a quoted line break"
err=$(gridctl import cases "$tmp/badlast.csv" 2>&1)
like "$err" 'badlast.csv:302: the file is not UTF8' "and on the last line"
# Excel's code page 936 writes the euro sign as byte 0x80, which GBK lacks:
# refused on its own line, with the way to convert the file
python3 - "$tmp" <<'PY'
import sys
rows = "".join("EU-%d,第%d行,,hazard.fall,JH01-01-01,2025-01-01 08:00\n" % (i, i) for i in range(3000))
open(sys.argv[1] + "/euro.csv", "wb").write(("ref,title,description,category,grid,reported_at\n" + rows).encode("gbk")
                                            + "EU-X,价格".encode("gbk") + b"10\x80,,hazard.fall,JH01-01-01,2025-01-01 08:00\n")
PY
err=$(gridctl import cases "$tmp/euro.csv" --encoding GBK 2>&1); is $? 1 "a code page 936 euro sign, said to be GBK: refused"
like "$err" 'euro.csv:3002: the file is not GBK' "on its own line"
like "$err" 'euro sign .* code page 936' "says what the byte is"
like "$err" "iconv -f CP936 -t UTF-8 '$tmp/euro.csv'" "and how to convert the file"
iconv -f CP936 -t UTF-8 "$tmp/euro.csv" > "$tmp/euro.utf8.csv"
gridctl import cases "$tmp/euro.utf8.csv" >/dev/null; ok $? "converted so, it imports"
is "$(sql "SELECT title FROM cases WHERE ref = 'EU-X'")" "价格10€" "the euro sign and all"
printf '\xef\xbb\xbf' > "$tmp/bom-gbk.csv"; sed 's/HX-2025/BG-2025/' "$data/cases.csv" >> "$tmp/bom-gbk.csv"
err=$(gridctl import cases "$tmp/bom-gbk.csv" --encoding GBK 2>&1)
like "$err" 'bom-gbk.csv:1: the file is UTF-8, not GBK' "a UTF-8 byte-order mark named GBK: line 1, where the mark is"

# --- as the roles: an administrator imports, an operator may not ---
sql "CREATE ROLE t_imp_admin_$$ LOGIN IN ROLE griddesk_admin; CREATE ROLE t_imp_op_$$ LOGIN IN ROLE griddesk_operator" >/dev/null
printf 'name,tier,lat,lon,phone\n区管理员录入,grassroots,22.5,113.1,13800138099\n' > "$tmp/one.csv"
PGUSER=t_imp_admin_$$ gridctl import staff "$tmp/one.csv" >/dev/null; ok $? "a griddesk_admin login imports"
is "$(sql "SELECT count(*) FROM staff WHERE phone = '13800138099'")" 1 "and the row is there"
err=$(PGUSER=t_imp_op_$$ gridctl import staff "$tmp/one.csv" 2>&1); is $? 1 "an operator may not import"
like "$err" "your role may not do this" "and is told so"
sql "DROP ROLE t_imp_admin_$$; DROP ROLE t_imp_op_$$" >/dev/null

# --- round trip: export, import into an empty centre, export again ---
gridctl export cases --district PJ > "$tmp/out.csv"; ok $? "export"
rt="rt_$$"
createdb "$rt"
PGUSER=$SUPER gridctl -d "$rt" migrate >/dev/null && PGUSER=$SUPER gridctl -d "$rt" seed demo --cases 0 --seed 7 >/dev/null
gridctl -d "$rt" import cases "$tmp/out.csv" >/dev/null; ok $? "the export imports into another database"
gridctl -d "$rt" export cases > "$tmp/again.csv"
cmp -s "$tmp/out.csv" "$tmp/again.csv"; ok $? "and exports again byte for byte"
is "$(wc -l < "$tmp/out.csv")" "$(( $(sql "SELECT count(*) FROM cases WHERE district_id = (SELECT id FROM areas WHERE code = 'PJ')") + 1 ))" \
   "every case of the district, and the header"
is "$(psql -U "$SUPER" -X -A -t -d "$rt" -c "SELECT count(*) FROM staff WHERE open_cases > 0")" \
   "$(psql -U "$SUPER" -X -A -t -d "$rt" -c "SELECT count(DISTINCT mediator_id) FROM cases WHERE status IN ('dispatched', 'accepted', 'on_site')")" \
   "mediators' loads follow the imported open cases"
dropdb "$rt"
done_testing
