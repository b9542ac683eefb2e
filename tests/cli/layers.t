#!/usr/bin/env bash
# The console's files call each other in layers, never in a circle: read
# from the built objects (what each file defines, what it uses), so a call
# added anywhere counts, whatever the headers say.
. "$(dirname "$0")/../lib/tap.sh"
objs=$(ls "$GRIDDESK_ROOT"/build/src/tui/*.o 2>/dev/null)
[ -n "$objs" ]; ok $? "the console's objects are built"
out=$(python3 - $objs <<'PY'
import os, subprocess, sys
defs, uses = {}, {}
for o in sys.argv[1:]:
    name = os.path.basename(o)[:-2]
    uses[name] = set()
    for line in subprocess.run(['nm', o], capture_output=True, text=True, check=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'TDBR':
            defs[p[2]] = name
        elif len(p) == 2 and p[0] == 'U':
            uses[name].add(p[1])
calls = {f: {defs[u] for u in us if u in defs and defs[u] != f} for f, us in uses.items()}
def reach(f):
    seen, todo = set(), [f]
    while todo:
        for g in calls[todo.pop()]:
            if g not in seen:
                seen.add(g)
                todo.append(g)
    return seen
print(len(calls))
for f in sorted(calls):
    back = sorted(g for g in calls[f] if f in reach(g))
    for g in back:
        print(f"{f} -> {g} -> ... -> {f}")
print("callers of main's file:", sorted(f for f in calls if 'griddesk' in calls[f]))
print("app calls:", sorted(calls.get('app', ())))
PY
)
files=$(printf '%s\n' "$out" | head -n 1)
[ "$files" -ge 10 ]; ok $? "read $files files"
circles=$(printf '%s\n' "$out" | grep -- ' -> ')
is "$circles" "" "no file reaches back to one that calls it"
like "$out" "callers of main's file: \[\]" "nothing calls main's file"
like "$out" "app calls: \['draw'\]" "the application's services call no view, key or action: only draw"
done_testing
