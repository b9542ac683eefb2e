/* gridctl merge: many whistles, one incident (并案). */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/rules.h"

#include <limits.h>
#include <stdio.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "into", required_argument, NULL, 'i' },
        { "expect-version", required_argument, NULL, 'v' },
        { "into-version", required_argument, NULL, 'I' },
        { NULL, 0, NULL, 0 },
    };
    const char *into = NULL, *version = NULL, *into_version = NULL;
    long v;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "i:v:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_merge, c, optarg))
            continue;
        if (c == 'i') {
            into = optarg;
        } else if (c == 'v' || c == 'I') {
            if ((code = cli_int(cli, c == 'v' ? "--expect-version" : "--into-version", optarg, 1,
                                INT_MAX, &v)))
                return code;
            *(c == 'v' ? &version : &into_version) = optarg;
        } else {
            return cli_usage_error(cli, &cmd_merge);
        }
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl merge REF --into REF"));
    if (into == NULL || *into == '\0')
        return cli_fail(cli, CLI_USAGE, _("--into is required"));
    const char *ref = argv[optind];
    const char *p[] = { ref, version, into, into_version };
    if ((code = cli_connect(cli)))
        return code;
    PGresult *res = cli_exec(cli, rules_merge_sql, 4, p, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    return cli_print_case_state(cli, ref);
}

const struct cli_cmd cmd_merge = {
    "merge", N_("merge a report into the case of the same incident"),
    { N_("usage: gridctl merge REF --into REF [--expect-version N] [--into-version N]\n"
    "                     [--format F] [-d CONNINFO]\n"
    "\n"
    "Merge case REF (new, dispatched or returned) into the case that reports the\n"
    "same incident (see gridctl duplicates). It takes the state \"merged\": it leaves\n"
    "the queue, keeps its reporter, place and words, and its timeline follows the\n"
    "other case, whose outcome reaches it. Into a case that is itself merged, it\n"
    "goes to the end of that chain; a merge that would come back to REF is\n"
    "refused. --expect-version and --into-version refuse (exit 1) if either case\n"
    "changed since the version seen. Undo with gridctl unmerge.\n") },
    run,
};
