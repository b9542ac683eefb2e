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
    "SELECT c.*, to_char(c.reported_at, 'YYYY-MM-DD HH24:MI') AS reported,"
    " to_char(c.due_at, 'YYYY-MM-DD HH24:MI') AS due,"
    " c.updated_by || ' ' || to_char(c.updated_at, 'YYYY-MM-DD HH24:MI') AS updated,"
    " m.merged_into, m.merged_refs, k.candidates, k.candidate_keys,"
    /* the cases a merged case follows: their events are in its timeline */
    " (WITH RECURSIVE ch (id, next_id, depth) AS ("
    "    SELECT x.id, x.merged_into, 0 FROM cases x WHERE x.ref = upper(btrim($1))"
    "    UNION ALL SELECT n.id, n.merged_into, ch.depth + 1 FROM ch JOIN cases n ON n.id = ch.next_id"
    "     WHERE ch.depth < 100)"
    "  SELECT string_agg(x.ref, ' ') FROM ch JOIN cases x ON x.id = ch.id WHERE ch.depth > 0)"
    "  AS follows,"
    /* the assisting departments' parts (联办), one line each */
    " (SELECT string_agg(concat_ws(' ', a.department, a.status,"
    "                              to_char(a.due_at, 'YYYY-MM-DD HH24:MI')), E'\\n'"
    "                    ORDER BY a.department)"
    "    FROM gd_case_parts($1) a) AS parts"
    " FROM gd_case_detail($1) c"
    /* what a merge joined, one read */
    " CROSS JOIN LATERAL ("
    "   SELECT string_agg(g.ref, ' ') FILTER (WHERE g.relation = 'into') AS merged_into,"
    "          string_agg(g.ref, ' ' ORDER BY g.at, g.ref) FILTER (WHERE g.relation = 'merged')"
    "              AS merged_refs"
    "     FROM gd_case_merges($1) g) m"
    /* the candidates m offers, numbered as shown, and their versions then:
     * one lookup, and only for a case that may still be merged */
    " CROSS JOIN LATERAL ("
    "   SELECT string_agg(format('[%s] %s %s m  %s', d.n, d.ref, d.distance_m, d.title), E'\\n'"
    "                     ORDER BY d.n) AS candidates,"
    "          string_agg(d.ref || ' ' || d.version, ' ' ORDER BY d.n) AS candidate_keys"
    "     FROM gd_duplicates($1, 5) WITH ORDINALITY"
    "          AS d(ref, status, title, distance_m, age, reporter_kind, version, grid, category, n)"
    "    WHERE c.status IN ('new', 'dispatched', 'returned')) k";
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

