/* gridctl bulk: one change to every case the filters match, in one
 * transaction, an event per case and one notification for the lot. The plan
 * (which cases, at which versions) is read first and shown; the change then
 * leaves alone any case someone else changed in between, and says so. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { ASK_ABOVE = 20, SHOW_CASES = 5, SHOW_LEFT = 20 };

struct bulk {
    const char *action;
    const char *filters[CLI_NFILTERS];
    const char *department, *mediator, *reason, *priority;
    int dry_run, yes;
};

/* "3 cases were ...": what the action does to a case */
static const char *past(const char *action)
{
    return strcmp(action, "assign") == 0 ? _("dispatched")
         : strcmp(action, "reassign") == 0 ? _("given another mediator")
         : strcmp(action, "close") == 0 ? _("closed")
         : strcmp(action, "cancel") == 0 ? _("cancelled")
         : _("given the new priority");
}

static int preview(struct cli *cli, const struct bulk *b, const char *ids, long n, long others)
{
    int code;
    printf(ngettext("%ld case would be %s.\n", "%ld cases would be %s.\n", (unsigned long)n), n,
           past(b->action));
    if (others > 0)
        printf(_("%ld more match the filters but are in a state %s does not apply to; they stay "
               "as they are.\n"), others, b->action);
    if (n == 0)
        return CLI_OK;
    const char *params[] = { ids };
    PGresult *res = cli_exec(cli,
        "SELECT ref, status, priority AS p, district_name AS district,"
        " coalesce(mediator::text, '') AS mediator, title"
        " FROM case_rows WHERE id = ANY ($1::bigint[]) ORDER BY id LIMIT 5", 1, params, &code);
    if (res == NULL)
        return code;
    cli_print_table(cli, res, "title");
    PQclear(res);
    if (n > SHOW_CASES)
        printf(_("... and %ld more\n"), n - SHOW_CASES);
    return CLI_OK;
}

/* More than ASK_ABOVE cases: a person at a terminal says yes; a script
 * must have said --yes. */
static int confirmed(struct cli *cli, const struct bulk *b, long n)
{
    if (b->yes || n <= ASK_ABOVE)
        return CLI_OK;
    if (!isatty(STDIN_FILENO) || !cli->tty_out)
        return cli_fail(cli, CLI_REFUSED, _("%ld cases would change and nobody is at a terminal to "
                        "confirm: add --yes"), n);
    printf(_("Change %ld cases? [y/N] "), n);
    fflush(stdout);
    char line[16];
    if (fgets(line, sizeof line, stdin) && (line[0] == 'y' || line[0] == 'Y'))
        return CLI_OK;
    return cli_fail(cli, CLI_REFUSED, _("nothing was changed"));
}

static int apply(struct cli *cli, const struct bulk *b, const char *ids, const char *versions)
{
    int code;
    const char *params[] = { b->action, ids, versions, b->department, b->mediator, b->reason,
                             b->priority };
    PGresult *res = cli_exec(cli,
        "SELECT changed, cardinality(\"left\") AS left_count, m.said,"
        " json_build_object('action', $1::text, 'changed', changed, 'left', \"left\") AS json"
        " FROM gd_bulk_apply($1, $2::bigint[], $3::int[], $4, $5, $6, $7::int)"
        " LEFT JOIN LATERAL unnest(\"left\"[1:20]) AS m(said) ON true",
        7, params, &code);
    if (res == NULL)
        return code;
    long changed = atol(PQgetvalue(res, 0, PQfnumber(res, "changed")));
    long left = atol(PQgetvalue(res, 0, PQfnumber(res, "left_count")));
    if (cli->format == CLI_JSON) {
        puts(PQgetvalue(res, 0, PQfnumber(res, "json")));
    } else {
        printf(ngettext("%ld case was %s.\n", "%ld cases were %s.\n", (unsigned long)changed),
               changed, past(b->action));
        if (left > 0) {
            /* a row each of the first messages */
            for (int i = 0; i < PQntuples(res); i++) {
                char *said = i18n_server_text(PQgetvalue(res, i, PQfnumber(res, "said")));
                char *clean = text_clean(said, 0);
                free(said);
                fprintf(stderr, _("left as it was: %s\n"), clean);
                free(clean);
            }
            if (left > SHOW_LEFT)
                fprintf(stderr, _("... and %ld more left as they were\n"), left - SHOW_LEFT);
        }
    }
    PQclear(res);
    return left > 0 ? CLI_REFUSED : CLI_OK;
}

static int action_opt(struct cli *cli, struct bulk *b, int c, const char *arg)
{
    int assign = strcmp(b->action, "assign") == 0;
    switch (c) {
    case 'y':
        b->yes = 1;
        return 1;
    case 'n':
        b->dry_run = 1;
        return 1;
    case 'r':
        b->reason = arg;
        return 1;
    case 't':
        b->mediator = arg;
        return 1;
    case CLI_FILTER_OPT + 4: /* assign --department: where to, not a filter */
        if (!assign)
            return 0;
        b->department = arg;
        return 1;
    case CLI_FILTER_OPT + 5:
        if (!assign)
            return 0;
        b->mediator = arg;
        return 1;
    default:
        (void)cli;
        return 0;
    }
}

/* Each action takes only its own options. */
static int check_action(struct cli *cli, const struct bulk *b, int to_mediator_given)
{
    const char *a = b->action;
    if (strcmp(a, "assign") == 0 && !b->department)
        return cli_fail(cli, CLI_USAGE, _("bulk assign needs --department CODE"));
    if (strcmp(a, "reassign") == 0 && !to_mediator_given)
        return cli_fail(cli, CLI_USAGE, _("bulk reassign needs --to-mediator ID|auto"));
    if (strcmp(a, "reassign") != 0 && to_mediator_given)
        return cli_fail(cli, CLI_USAGE, _("--to-mediator belongs to bulk reassign"));
    if (strcmp(a, "cancel") == 0 && !b->reason)
        return cli_fail(cli, CLI_USAGE, _("bulk cancel needs --reason TEXT"));
    if (strcmp(a, "cancel") != 0 && b->reason)
        return cli_fail(cli, CLI_USAGE, _("--reason belongs to bulk cancel"));
    return CLI_OK;
}

/* The action word: "gridctl bulk close --status resolved". Returns 0 and
 * sets b->action; -1 when it printed the help instead; else an exit code. */
static int action_word(struct cli *cli, int argc, char **argv, struct bulk *b)
{
    static const char *const actions[] = { "assign", "reassign", "close", "cancel", "priority" };
    if (argc < 2 || argv[1][0] == '-') {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            cli_print_usage(&cmd_bulk, stdout);
            return -1;
        }
        return cli_fail(cli, CLI_USAGE, _("name the action: assign, reassign, close, cancel or priority"));
    }
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
        if (strcmp(argv[1], actions[i]) == 0)
            b->action = actions[i];
    if (!b->action)
        return cli_fail(cli, CLI_USAGE, _("unknown action \"%s\": one of assign, reassign, close, "
                        "cancel, priority"), argv[1]);
    return CLI_OK;
}

/* the options after the action word (argv[0] is the action there, where
 * getopt expects a program name) */
static int options(struct cli *cli, int argc, char **argv, struct bulk *b)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        CLI_FILTER_LONGOPTS,
        { "to-mediator", required_argument, NULL, 't' },
        { "reason", required_argument, NULL, 'r' },
        { "dry-run", no_argument, NULL, 'n' },
        { "yes", no_argument, NULL, 'y' },
        { NULL, 0, NULL, 0 },
    };
    int c, code, to_mediator = 0;
    long v;
    optind = 0;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (c == 't')
            to_mediator = 1;
        if (!cli_common_opt(cli, &cmd_bulk, c, optarg) && !action_opt(cli, b, c, optarg)
            && !cli_filter_opt(cli, c, optarg, b->filters))
            return cli_usage_error(cli, &cmd_bulk);
    }
    if (strcmp(b->action, "priority") == 0) {
        if (optind >= argc)
            return cli_fail(cli, CLI_USAGE, _("bulk priority needs the new priority: 1 (urgent) to 4"));
        if ((code = cli_int(cli, "priority", argv[optind], 1, 4, &v)))
            return code;
        b->priority = argv[optind++];
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    return check_action(cli, b, to_mediator);
}

/* what the plan found: shown, then (unless a dry run) confirmed and applied */
static int carry_out(struct cli *cli, const struct bulk *b, const PGresult *plan)
{
    int code = CLI_OK;
    long n = atol(PQgetvalue(plan, 0, PQfnumber(plan, "cases")));
    long others = atol(PQgetvalue(plan, 0, PQfnumber(plan, "others")));
    const char *ids = PQgetvalue(plan, 0, PQfnumber(plan, "ids"));
    const char *versions = PQgetvalue(plan, 0, PQfnumber(plan, "versions"));
    if ((!b->yes || b->dry_run) && cli->format != CLI_JSON)
        code = preview(cli, b, ids, n, others);
    const char *params[] = { b->action, PQgetvalue(plan, 0, PQfnumber(plan, "cases")),
                             PQgetvalue(plan, 0, PQfnumber(plan, "others")) };
    if (code == CLI_OK && b->dry_run) {
        if (cli->format == CLI_JSON)
            code = cli_print_scalar(cli, "SELECT json_build_object('action', $1::text, 'dry_run', true,"
                                         " 'cases', $2::bigint, 'others', $3::bigint)", 3, params);
        else
            puts(_("dry run: nothing was changed"));
    } else if (code == CLI_OK && n > 0 && (code = confirmed(cli, b, n)) == CLI_OK) {
        code = apply(cli, b, ids, versions);
    } else if (code == CLI_OK && n == 0 && cli->format == CLI_JSON) {
        code = cli_print_scalar(cli, "SELECT json_build_object('action', $1::text, 'changed', 0,"
                                     " 'left', '[]'::json)", 1, params);
    }
    return code;
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct bulk b = { 0 };
    int code = action_word(cli, argc, argv, &b);
    if (code)
        return code < 0 ? CLI_OK : code;
    if ((code = options(cli, argc - 1, argv + 1, &b)) || (code = cli_connect(cli)))
        return code;
    const char *params[] = { b.action, b.filters[0], b.filters[1], b.filters[2], b.filters[3],
                             b.filters[4], b.filters[5], b.filters[6], b.filters[7], b.priority };
    PGresult *plan = cli_exec(cli,
        "SELECT cases, others, ids, versions"
        " FROM gd_bulk_plan($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::int)", 10, params, &code);
    if (plan == NULL)
        return code;
    code = carry_out(cli, &b, plan);
    PQclear(plan);
    return code;
}

const struct cli_cmd cmd_bulk = {
    "bulk", N_("change many cases at once: assign, reassign, close, cancel, priority"),
    { N_("usage: gridctl bulk ACTION [ACTION OPTIONS] [FILTERS] [--dry-run] [--yes]\n"
    "                    [--format table|json] [-d CONNINFO]\n"
    "\n"
    "Change every case the FILTERS match (as gridctl list), in one transaction,\n"
    "with an event for each case and one notification for all of them.\n"
    "\n"
    "Actions:\n"
    "  assign --department CODE [--mediator ID|auto]   dispatch new and returned cases\n"
    "  reassign --to-mediator ID|auto   move dispatched, accepted and on-site cases to\n"
    "                                   another mediator (auto: the nearest qualified)\n"
    "  close                            close resolved cases\n"
    "  cancel --reason TEXT             cancel new and returned cases\n"
    "  priority N                       set the priority, 1 (urgent) to 4; deadlines follow\n"
    "\n"
    "Without --yes it first shows how many cases would change and the first few;\n"
    "above 20 it asks on a terminal, and refuses when there is no terminal to ask.\n"
    "A case someone changed after that is left as it is and named (exit 1).\n"
    "\n"
    "  --dry-run        show what would change, change nothing\n"
    "  --yes            do not show or ask first\n"
    "\n"
    "FILTERS:\n"),
      cli_filter_help },
    run,
};
