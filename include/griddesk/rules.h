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
    rules_unmerge_sql[];

/* after a change: the case as it now stands */
extern const char rules_case_state_sql[];

#endif
