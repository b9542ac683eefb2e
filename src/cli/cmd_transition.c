/* The transitions that take a case and at most one text: accept, return,
 * onsite, feedback, resolve, close, reopen, cancel, note, recategorize,
 * unmerge. One table, since they differ only in the SQL function and the
 * text they need. accept, onsite and feedback also take --department, for
 * an assisting department's own part (联办). */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/rules.h"

#include <stdio.h>
#include <string.h>

struct transition {
    const struct cli_cmd *cmd;
    const char *sql;      /* $1 ref, $2 version, $3 text */
    const char *text_opt; /* "reason", "note", "outcome", "category" or NULL */
    const char *part_sql; /* with --department: $1 ref, $2 version, $3 department, $4 text */
};

static int run_transition(struct cli *cli, const struct transition *t, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "expect-version", required_argument, NULL, 'v' },
        { "reason", required_argument, NULL, 'r' },
        { "note", required_argument, NULL, 'n' },
        { "outcome", required_argument, NULL, 'o' },
        { "category", required_argument, NULL, 'c' },
        { "department", required_argument, NULL, 'D' },
        { NULL, 0, NULL, 0 },
    };
    const char *version = NULL, *text = NULL, *dept = NULL;
    long v;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "v:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, t->cmd, c, optarg))
            continue;
        if (c == 'v') {
            if ((code = cli_int(cli, "--expect-version", optarg, 1, 2147483647, &v)))
                return code;
            version = optarg;
            continue;
        }
        if (c == 'D') {
            if (t->part_sql == NULL)
                return cli_fail(cli, CLI_USAGE, _("--%s does not go with %s"), "department", t->cmd->name);
            dept = optarg;
            continue;
        }
        const char *name = c == 'r' ? "reason" : c == 'n' ? "note" : c == 'o' ? "outcome"
                         : c == 'c' ? "category" : NULL;
        if (name == NULL)
            return cli_usage_error(cli, t->cmd);
        if (t->text_opt == NULL || strcmp(name, t->text_opt) != 0)
            return cli_fail(cli, CLI_USAGE, _("--%s does not go with %s"), name, t->cmd->name);
        text = optarg;
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl %s REF"), t->cmd->name);
    if (t->text_opt && (text == NULL || strspn(text, " \t\n") == strlen(text)))
        return cli_fail(cli, CLI_USAGE, _("--%s is required"), t->text_opt);
    const char *ref = argv[optind];
    const char *p[] = { ref, version, text };
    const char *part[] = { ref, version, dept, text };
    if ((code = cli_connect(cli)))
        return code;
    PGresult *res = dept ? cli_exec(cli, t->part_sql, t->text_opt ? 4 : 3, part, &code)
                         : cli_exec(cli, t->sql, t->text_opt ? 3 : 2, p, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    return cli_print_case_state(cli, ref);
}

#define TRANSITION(id, name, summary, sql, text, usage) \
    PART_TRANSITION(id, name, summary, sql, text, NULL, usage)

#define PART_TRANSITION(id, name, summary, sql, text, part_sql, usage)           \
    static int run_##id(struct cli *cli, int argc, char **argv);                  \
    const struct cli_cmd cmd_##id = { name, summary, { usage, transition_common }, run_##id }; \
    static const struct transition t_##id = { &cmd_##id, sql, text, part_sql };   \
    static int run_##id(struct cli *cli, int argc, char **argv)                   \
    {                                                                             \
        return run_transition(cli, &t_##id, argc, argv);                          \
    }

static const char transition_common[] = N_("  --expect-version N  refuse (exit 1) if the case changed since version N\n"
    "  --format F          how to print the case's new state (table, csv, json)\n");

PART_TRANSITION(accept, "accept", N_("a department takes the order"), rules_accept_sql, NULL,
           rules_part_accept_sql,
           N_("usage: gridctl accept REF [--department CODE] [--expect-version N]\n\n"
           "A department takes a dispatched case. With --department, an assisting\n"
           "department takes its own part (联办); a login whose area is only an assisting\n"
           "department's district takes that part without it.\n"))
TRANSITION(return, "return", N_("a department sends a case back to the centre"),
           rules_return_sql, "reason",
           N_("usage: gridctl return REF --reason TEXT [--expect-version N]\n\n"
           "Send a dispatched or accepted case back to the centre; the mediator is released.\n"))
PART_TRANSITION(onsite, "onsite", N_("the department is on site"), rules_onsite_sql, NULL,
           rules_part_onsite_sql,
           N_("usage: gridctl onsite REF [--department CODE] [--expect-version N]\n\n"
           "The department has reached the scene of an accepted case; with --department,\n"
           "an assisting department for its own part.\n"))
PART_TRANSITION(feedback, "feedback", N_("a department reports progress"),
           rules_feedback_sql, "note", rules_part_feedback_sql,
           N_("usage: gridctl feedback REF --note TEXT [--department CODE] [--expect-version N]\n\n"
           "A department or mediator reports progress (dispatched, accepted or on site);\n"
           "the case's version does not change. With --department, an assisting\n"
           "department reports what it did for its part, which finishes the part.\n"))
TRANSITION(resolve, "resolve", N_("the department reports the outcome"),
           rules_resolve_sql, "outcome",
           N_("usage: gridctl resolve REF --outcome TEXT [--expect-version N]\n\nResolve a case on site, with its outcome.\n"))
TRANSITION(close, "close", N_("the centre closes a resolved case"), rules_close_sql, NULL,
           N_("usage: gridctl close REF [--expect-version N]\n\nClose a resolved case.\n"))
TRANSITION(reopen, "reopen", N_("reopen a resolved or closed case"),
           rules_reopen_sql, "reason",
           N_("usage: gridctl reopen REF --reason TEXT [--expect-version N]\n\n"
           "Send a resolved or closed case back to its department, with fresh deadlines.\n"))
TRANSITION(cancel, "cancel", N_("cancel a duplicate or invalid case"),
           rules_cancel_sql, "reason",
           N_("usage: gridctl cancel REF --reason TEXT [--expect-version N]\n\nCancel a new or returned case (a duplicate, an invalid report).\n"))
TRANSITION(note, "note", N_("add a note to a case's timeline"), rules_note_sql, "note",
           N_("usage: gridctl note REF --note TEXT [--expect-version N]\n\n"
           "Add a note to the timeline, in any state; the version does not change.\n"))
TRANSITION(recategorize, "recategorize", N_("correct a misfiled report's category"),
           rules_recategorize_sql, "category",
           N_("usage: gridctl recategorize REF --category CODE|NAME [--expect-version N]\n\n"
           "Correct the category of a new or returned case. Its deadlines are counted\n"
           "again from the report, and gridctl suggest follows the new category.\n"))
TRANSITION(unmerge, "unmerge", N_("undo a merge: the report becomes a case of its own again"),
           rules_unmerge_sql, NULL,
           N_("usage: gridctl unmerge REF [--expect-version N]\n\n"
           "Take a merged report out of the case it was merged into: it goes back to\n"
           "the state it was merged from (new, dispatched or returned), with its\n"
           "department and deadlines as they were. Reports merged into it stay with it.\n"))
