/* gridctl release: the centre lets an assisting department go (联办). */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/rules.h"

#include <limits.h>
#include <string.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "department", required_argument, NULL, 'D' },
        { "reason", required_argument, NULL, 'r' },
        { "expect-version", required_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    const char *dept = NULL, *reason = NULL, *version = NULL;
    long v;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "v:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_release, c, optarg))
            continue;
        if (c == 'D') {
            dept = optarg;
        } else if (c == 'r') {
            reason = optarg;
        } else if (c == 'v') {
            if ((code = cli_int(cli, "--expect-version", optarg, 1, INT_MAX, &v)))
                return code;
            version = optarg;
        } else {
            return cli_usage_error(cli, &cmd_release);
        }
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl release REF --department CODE --reason TEXT"));
    if (dept == NULL || *dept == '\0')
        return cli_fail(cli, CLI_USAGE, _("--department is required"));
    if (reason == NULL || strspn(reason, " \t\n") == strlen(reason))
        return cli_fail(cli, CLI_USAGE, _("--%s is required"), "reason");
    const char *ref = argv[optind];
    const char *p[] = { ref, version, dept, reason };
    if ((code = cli_connect(cli)))
        return code;
    PGresult *res = cli_exec(cli, rules_release_sql, 4, p, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    return cli_print_case_state(cli, ref);
}

const struct cli_cmd cmd_release = {
    "release", N_("let an assisting department go, with a reason"),
    { N_("usage: gridctl release REF --department CODE --reason TEXT [--expect-version N]\n"
    "                       [--format F] [-d CONNINFO]\n"
    "\n"
    "The centre releases an assisting department's part of case REF (联办), with\n"
    "the reason: the part no longer keeps the case from being closed. The case's\n"
    "version does not change. The department can be asked again with\n"
    "gridctl assign REF --assist CODE.\n") },
    run,
};
