/* The rules' calls; see rules.h. */
#include "griddesk/rules.h"

const char rules_accept_sql[] = "SELECT gd_accept($1, $2::int)";
const char rules_return_sql[] = "SELECT gd_return($1, $2::int, $3)";
const char rules_onsite_sql[] = "SELECT gd_onsite($1, $2::int)";
const char rules_feedback_sql[] = "SELECT gd_feedback($1, $2::int, $3)";
const char rules_resolve_sql[] = "SELECT gd_resolve($1, $2::int, $3)";
const char rules_close_sql[] = "SELECT gd_close($1, $2::int)";
const char rules_reopen_sql[] = "SELECT gd_reopen($1, $2::int, $3)";
const char rules_cancel_sql[] = "SELECT gd_cancel($1, $2::int, $3)";
const char rules_note_sql[] = "SELECT gd_note($1, $2::int, $3)";
const char rules_recategorize_sql[] = "SELECT gd_recategorize($1, $2::int, $3)";
const char rules_assign_sql[] = "SELECT gd_assign($1, $2::int, $3, $4::int, $5)";
const char rules_case_state_sql[] = "SELECT ref, status, version, updated_by FROM gd_case_detail($1)";
const char rules_merge_sql[] = "SELECT gd_merge($1, $2::int, $3, $4::int)";
const char rules_unmerge_sql[] = "SELECT gd_unmerge($1, $2::int)";
const char rules_assist_sql[] = "SELECT gd_assist($1, $2::int, $3)";
/* the dispatch and its assisting departments in one statement: the
 * version the dispatch returns is the one the assisting step checks */
const char rules_assign_joint_sql[] =
    "SELECT gd_assist($1, gd_assign($1, $2::int, $3, $4::int, $5), $6)";
const char rules_release_sql[] = "SELECT gd_release($1, $2::int, $3, $4)";
const char rules_part_accept_sql[] = "SELECT gd_part_accept($1, $2::int, $3)";
const char rules_part_onsite_sql[] = "SELECT gd_part_onsite($1, $2::int, $3)";
const char rules_part_feedback_sql[] = "SELECT gd_part_feedback($1, $2::int, $3, $4)";
