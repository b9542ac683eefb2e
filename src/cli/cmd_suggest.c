/* gridctl suggest: the departments and mediators the console would offer. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "limit", required_argument, NULL, 'n' },
        { "departments", no_argument, NULL, 'D' },
        { NULL, 0, NULL, 0 },
    };
    const char *limit = "5";
    int c, code, departments = 0;
    long v;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "n:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_suggest, c, optarg))
            continue;
        if (c == 'n') {
            if ((code = cli_int(cli, "--limit", optarg, 1, 100, &v)))
                return code;
            limit = optarg;
        } else if (c == 'D') {
            departments = 1;
        } else {
            return cli_usage_error(cli, &cmd_suggest);
        }
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl suggest REF"));
    const char *params[] = { argv[optind], limit };
    if (departments)
        return cli_output(cli, "SELECT * FROM gd_suggest_departments($1)", NULL, "name", 1, params);
    return cli_output(cli, "SELECT * FROM gd_suggest_mediators($1, $2::int)",
                      "SELECT rank, staff_id AS id, name, tier, array_to_string(fields, ',') AS fields,"
                      " distance_km AS km, travel_min AS min, load || '/' || load_limit AS load,"
                      " reason FROM gd_suggest_mediators($1, $2::int)",
                      "reason", 2, params);
}

const struct cli_cmd cmd_suggest = {
    "suggest", N_("rank mediators (or departments) for a case"),
    { N_("usage: gridctl suggest REF [--limit N] [--departments] [--format F] [-d CONNINFO]\n"
    "\n"
    "Print the ranking the console offers when dispatching case REF.\n"
    "Mediators (default): on duty, under their load limit, covering the case's\n"
    "mediation field; a tier fitting the case first (urgent, high-priority and\n"
    "repeated disputes call for a specialist or expert), then the nearest, with\n"
    "the straight-line distance and a rough travel time. At most N (default 5).\n"
    "With --departments: the category's default department in the case's\n"
    "district, a neighbouring district's when the case is within 1.5 km of it,\n"
    "then the district's other departments for the same line of work.\n") },
    run,
};
