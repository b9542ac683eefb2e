#ifndef GRIDDESK_RULES_H
#define GRIDDESK_RULES_H

/* The calls to the rules' SQL functions that change a case, as gridctl and
 * the console both send them: $1 the reference, $2 the version the person
 * acted on (NULL: the current one), then the action's own values. Written
 * once, so the two programs cannot drift apart. */

extern const char rules_accept_sql[], rules_return_sql[], rules_onsite_sql[],
    rules_feedback_sql[], rules_resolve_sql[], rules_close_sql[], rules_reopen_sql[],
    rules_cancel_sql[], rules_note_sql[], rules_recategorize_sql[],
    rules_assign_sql[], /* $3 department, $4 mediator, $5 note */
    rules_merge_sql[],  /* $3 the case it goes into, $4 that case's version seen */
    rules_unmerge_sql[],
    /* joint handling (联办): $3 departments, comma-separated */
    rules_assist_sql[],
    rules_assign_joint_sql[], /* as assign, then $6 the assisting departments */
    rules_release_sql[],      /* $3 department, $4 reason */
    /* an assisting department's own part: $3 department (, $4 note) */
    rules_part_accept_sql[], rules_part_onsite_sql[], rules_part_feedback_sql[];

/* after a change: the case as it now stands */
extern const char rules_case_state_sql[];

#endif
