/* gridctl duplicates: reports that may be of the same incident (疑似重复). */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "limit", required_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    const char *limit = "20";
    long v;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "n:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_duplicates, c, optarg))
            continue;
        if (c != 'n')
            return cli_usage_error(cli, &cmd_duplicates);
        if ((code = cli_int(cli, "--limit", optarg, 1, 100, &v)))
            return code;
        limit = optarg;
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl duplicates REF"));
    const char *params[] = { argv[optind], limit };
    return cli_output(cli,
        "SELECT ref, status, title, distance_m, age, reporter_kind, version, grid, category"
        " FROM gd_duplicates($1, $2::int)",
        "SELECT ref, status, distance_m AS m, gd_duration(age) AS age,"
        " coalesce(reporter_kind, '') AS reporter, title FROM gd_duplicates($1, $2::int)",
        "title", 2, params);
}

const struct cli_cmd cmd_duplicates = {
    "duplicates", N_("open cases that may report the same incident"),
    { N_("usage: gridctl duplicates REF [--limit N] [--format table|csv|json] [-d CONNINFO]\n"
    "\n"
    "List the open cases that may report the same incident as case REF: the same\n"
    "category or line of work, within the category's distance (300 m unless set)\n"
    "and time window (48 h unless set) of REF's report; nearest first, then\n"
    "newest. At most N (default 20). Merge one with gridctl merge.\n") },
    run,
};
