#!/usr/bin/env bash
# The console in Chinese at 80x24, a night-shift terminal: every screen
# speaks the centre's words, and the longer or shorter labels still fit.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../lib/tui.sh"
fresh_db
TUI_ENV="LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE="
tui_start 80 24
tui_wait " 实时 "; ok $? "the status line says live, in Chinese"
tui_wait "griddesk  案件列表"; ok $? "the queue's title"
tui_wait "编号 +已过 +级 +状态 +类别 +区县 +标题 +剩余"; ok $? "column heads, each in its column"
tui_wait "(已到场|已接单|已发令|待派单|已退回|已处置)"; ok $? "states by their Chinese names"
total=$(sql "SELECT count(*) FROM cases WHERE status NOT IN ('closed', 'cancelled')")
tui_wait "\| $total 件 \| 超时 [0-9]+ \| [0-9]{2}:[0-9]{2}:[0-9]{2} *$"; ok $? "the status line fits 80 columns: $total cases, overdue, 24-hour clock"
row=$(tui_screen | sed -n 3p)
like "$row" "^ +JM-[0-9]{8}-[0-9]{4} +[0-9]" "a row: reference, then age"

tui_keys Enter
tui_wait "griddesk  案件 JM-"; ok $? "Enter opens the case"
tui_wait "^状态 +(已到场|已接单|已发令|待派单|已退回|已处置)"; ok $? "labels and the state in Chinese"
tui_wait "^等级 +[1-4] (特急|紧急|一般|较缓)"; ok $? "the priority named"
tui_wait "^时间线"; ok $? "the timeline"
tui_wait "吹哨上报"; ok $? "events named as the centre names them"
tui_wait "^上报时间 +20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}$"; ok $? "dates as YYYY-MM-DD HH:MM"

tui_keys Escape
tui_wait "griddesk  案件列表"; ok $? "Esc goes back"
tui_keys '?'
tui_wait "griddesk  按键"; ok $? "help in Chinese"
tui_wait "发令派单：部门、调解员、备注"; ok $? "the key table's words"
tui_keys Escape
tui_keys s
tui_wait "督办统计·按区县"; ok $? "supervision in Chinese"
tui_wait "^区县 +新报 +发令 +已处置 +办结 +超时 +接单 +到场 +按时率 +化解率"; ok $? "its column heads, each over its column"
tui_wait "^今日"; ok $? "today"
tui_keys s
ref=$(sql "SELECT ref FROM cases WHERE status = 'new' ORDER BY id LIMIT 1")
tui_keys /; tui_keys "$ref" Enter
tui_wait "筛选：.*$ref"; ok $? "the text filter"
tui_keys a
tui_wait "发令派单 $ref  第 1/3 步：主办部门"; ok $? "the dispatch dialog in Chinese: step 1 chooses the lead (主办)"
tui_wait "的默认部门"; ok $? "the departments with their reasons"
tui_keys Enter
tui_wait "第 2/3 步：调解员"; ok $? "step two: the mediator"
tui_wait "(不派调解员|公里 约[0-9]+分钟)"; ok $? "mediators with distance and time"
tui_keys Enter
tui_wait "第 3/3 步：确认"; ok $? "step three"
tui_wait "回车发令，Esc 取消"; ok $? "says how to finish"
tui_keys Escape
tui_wait "已取消派单：未作任何更改"; ok $? "leaving it says nothing changed"
tui_keys c
tui_wait "办结 $ref？回车确认，Esc 取消"; ok $? "c asks first, in Chinese"
tui_keys Enter
tui_wait "案件 $ref 当前为 待派单：不能 close"; ok $? "a rule's refusal, from the server, in Chinese"
tui_keys q
tui_wait "exit=0"; ok $? "quits cleanly"
done_testing
