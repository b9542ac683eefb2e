/* The console's prepared statements, by name: prepared on every
 * connection, so a notification costs no planning. */
#include "griddesk/tui.h"
#include "griddesk/feed.h"
#include "griddesk/rules.h"

/* a window of two screens: the whole open queue could be any size, and
 * every row read costs time on the way from a commit to the screen */
static const char queue_sql[] =
    "SELECT * FROM gd_queue($1, $2, $3, $4, $5::int, $10::int, $6::int, $7::int,"
    " $8::timestamptz, $9::bigint)";
static const char totals_sql[] =
    "SELECT * FROM gd_queue_totals($1, $2, $3, $4, $5::int, $6::int, $7::timestamptz, $8::bigint)";

static const char detail_sql[] =
    "SELECT *, to_char(reported_at, 'YYYY-MM-DD HH24:MI') AS reported,"
    " to_char(due_at, 'YYYY-MM-DD HH24:MI') AS due,"
    " updated_by || ' ' || to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated,"
    /* what a merge joined, and the candidates m offers, numbered as shown */
    " (SELECT string_agg(m.ref, ' ') FROM gd_case_merges($1) m WHERE m.relation = 'into')"
    "  AS merged_into,"
    " (SELECT string_agg(m.ref, ' ' ORDER BY m.at, m.ref) FROM gd_case_merges($1) m"
    "   WHERE m.relation = 'merged') AS merged_refs,"
    /* the cases a merged case follows: their events are in its timeline */
    " (WITH RECURSIVE ch (id, next_id, depth) AS ("
    "    SELECT c.id, c.merged_into, 0 FROM cases c WHERE c.ref = upper(btrim($1))"
    "    UNION ALL SELECT n.id, n.merged_into, ch.depth + 1 FROM ch JOIN cases n ON n.id = ch.next_id"
    "     WHERE ch.depth < 100)"
    "  SELECT string_agg(c.ref, ' ') FROM ch JOIN cases c ON c.id = ch.id WHERE ch.depth > 0)"
    "  AS follows,"
    /* only a case that may still be merged has candidates to offer */
    " CASE WHEN status IN ('new', 'dispatched', 'returned') THEN"
    " (SELECT string_agg(format('[%s] %s %s m  %s', d.n, d.ref, d.distance_m, d.title), E'\\n'"
    "                    ORDER BY d.n)"
    "    FROM gd_duplicates($1, 5) WITH ORDINALITY"
    "         AS d(ref, status, title, distance_m, age, reporter_kind, version, grid, category, n))"
    " END AS candidates,"
    " CASE WHEN status IN ('new', 'dispatched', 'returned') THEN"
    " (SELECT string_agg(d.ref || ' ' || d.version, ' ' ORDER BY d.n)"
    "    FROM gd_duplicates($1, 5) WITH ORDINALITY"
    "         AS d(ref, status, title, distance_m, age, reporter_kind, version, grid, category, n))"
    " END AS candidate_keys,"
    /* the assisting departments' parts (联办), one line each */
    " (SELECT string_agg(concat_ws(' ', a.department, a.status,"
    "                              to_char(a.due_at, 'YYYY-MM-DD HH24:MI')), E'\\n'"
    "                    ORDER BY a.department)"
    "    FROM gd_case_parts($1) a) AS parts"
    " FROM gd_case_detail($1)";
static const char timeline_sql[] =
    "SELECT to_char(at, 'MM-DD HH24:MI') AS at, kind, actor,"
    " concat_ws(' ', '[' || (data->>'on_case') || ']', data->>'into', data->>'case',"
    "           data->>'from_case', data->>'what',"
    "           data->>'department', data->>'mediator_name', data->>'reason',"
    "           data->>'note', data->>'outcome',"
    "           'P' || (data->>'from_priority') || ' -> P' || (data->>'priority')) AS details"
    " FROM gd_case_events($1)";

/* prepared on every connection; run by name */
const struct pgc_statement live_statements[] = {
    /* the feed: the events past the watermark, each with its case as the
     * view shows it ($2.. the view's filters), so the window follows
     * without a read of its own */
    { "feed", feed_sql },
    /* the channel of the console's scope or district filter, instead of the city's */
    { "listen", "SELECT gd_feed_listen($1)" },
    { "queue", queue_sql },
    { "totals", totals_sql },
    { "detail", detail_sql },
    { "timeline", timeline_sql },
    /* the dispatch dialog: every department, the suggestions first */
    { "dispatch_depts",
      "SELECT code, name, reason FROM ("
      " SELECT rank, code, name, reason FROM gd_suggest_departments($1)"
      " UNION ALL SELECT 1000, d.code, d.name, '' FROM departments d"
      "  WHERE d.code NOT IN (SELECT code FROM gd_suggest_departments($1))) x"
      " ORDER BY rank, code" },
    { "dispatch_meds",
      "SELECT staff_id, name, tier, distance_km, travel_min, load, load_limit, reason,"
      " (SELECT d.field IS NOT NULL FROM gd_case_detail($1) d) AS dispute"
      " FROM gd_suggest_mediators($1, 9)" },
    /* supervision: today, and this week, in the centre's calendar */
    { "stats_today", "SELECT * FROM gd_stats($1)" },
    { "stats_week", "SELECT * FROM gd_stats($1, gd_centre_start('week'))" },
    /* actions: $1 ref, $2 the version the operator saw */
    { "act_accept", rules_accept_sql },
    { "act_return", rules_return_sql },
    { "act_onsite", rules_onsite_sql },
    { "act_feedback", rules_feedback_sql },
    { "act_resolve", rules_resolve_sql },
    { "act_close", rules_close_sql },
    { "act_reopen", rules_reopen_sql },
    { "act_cancel", rules_cancel_sql },
    { "act_note", rules_note_sql },
    { "act_recategorize", rules_recategorize_sql },
    { "act_assign", rules_assign_sql },
    { "act_merge", rules_merge_sql },
    { "act_assign_joint", rules_assign_joint_sql },
    { NULL, NULL },
};

