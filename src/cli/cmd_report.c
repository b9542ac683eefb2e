/* gridctl report: blow the whistle from a shell; prints the new reference. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_GRID, P_CATEGORY, P_TITLE, P_DESCRIPTION, P_PRIORITY, P_LOCATION, P_LAT, P_LON,
       P_RKIND, P_RNAME, P_RPHONE, P_COUNT };

static int check_coordinate(struct cli *cli, const char *opt, const char *arg, double lim)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end != '\0')
        return cli_fail(cli, CLI_USAGE, _("%s \"%s\" is not a number"), opt, arg);
    if (v < -lim || v > lim)
        return cli_fail(cli, CLI_USAGE, _("%s %s is out of range: -%g to %g"), opt, arg, lim, lim);
    return CLI_OK;
}

/* one option's value into its place, checked where it can be before
 * connecting */
static int take(struct cli *cli, int c, const char **p)
{
    long prio;
    int code;
    switch (c) {
    case 'g': p[P_GRID] = optarg; break;
    case 'c': p[P_CATEGORY] = optarg; break;
    case 't': p[P_TITLE] = optarg; break;
    case 'D': p[P_DESCRIPTION] = optarg; break;
    case 'l': p[P_LOCATION] = optarg; break;
    case 'K': p[P_RKIND] = optarg; break;
    case 'N': p[P_RNAME] = optarg; break;
    case 'P': p[P_RPHONE] = optarg; break;
    case 'p':
        if ((code = cli_int(cli, "--priority", optarg, 1, 4, &prio)))
            return code;
        p[P_PRIORITY] = optarg;
        break;
    case 'y':
        if ((code = check_coordinate(cli, "--lat", optarg, 90)))
            return code;
        p[P_LAT] = optarg;
        break;
    case 'x':
        if ((code = check_coordinate(cli, "--lon", optarg, 180)))
            return code;
        p[P_LON] = optarg;
        break;
    default:
        return cli_usage_error(cli, &cmd_report);
    }
    return CLI_OK;
}

/* what a report needs before it is sent */
static int complete(struct cli *cli, const char *const *p)
{
    if (!p[P_GRID])
        return cli_fail(cli, CLI_USAGE, _("--grid is required"));
    if (!p[P_CATEGORY])
        return cli_fail(cli, CLI_USAGE, _("--category is required"));
    if (!p[P_TITLE] || strspn(p[P_TITLE], " \t\n") == strlen(p[P_TITLE]))
        return cli_fail(cli, CLI_USAGE, _("--title is empty"));
    if (!p[P_LAT] != !p[P_LON])
        return cli_fail(cli, CLI_USAGE, _("--lat and --lon go together: give both or neither"));
    return CLI_OK;
}

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "grid", required_argument, NULL, 'g' },
        { "category", required_argument, NULL, 'c' },
        { "title", required_argument, NULL, 't' },
        { "description", required_argument, NULL, 'D' },
        { "priority", required_argument, NULL, 'p' },
        { "location", required_argument, NULL, 'l' },
        { "lat", required_argument, NULL, 'y' },
        { "lon", required_argument, NULL, 'x' },
        { "reporter-kind", required_argument, NULL, 'K' },
        { "reporter-name", required_argument, NULL, 'N' },
        { "reporter-phone", required_argument, NULL, 'P' },
        { NULL, 0, NULL, 0 },
    };
    const char *p[P_COUNT] = { 0 };
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "g:c:t:D:p:l:y:x:K:N:P:", opts,
                            NULL)) != -1)
        if (!cli_common_opt(cli, &cmd_report, c, optarg) && (code = take(cli, c, p)))
            return code;
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    if ((code = complete(cli, p)) || (code = cli_connect(cli)))
        return code;
    PGresult *res = cli_exec(cli,
        "SELECT gd_report($1, $2, $3, coalesce($4, ''), coalesce($5::int, 3), coalesce($6, ''),"
        " $7::float8, $8::float8, $9, $10, $11)", P_COUNT, p, &code);
    if (res == NULL)
        return code;
    puts(PQgetvalue(res, 0, 0));
    PQclear(res);
    return CLI_OK;
}

const struct cli_cmd cmd_report = {
    "report", N_("raise a case (blow the whistle)"),
    { N_("usage: gridctl report --grid CODE --category CODE --title TEXT [OPTIONS]\n"
    "\n"
    "Raise a new case and print its reference (e.g. JM-20261128-0042) alone on\n"
    "stdout. A grid or category may be named by its code or its exact Chinese name.\n"
    "\n"
    "  --grid CODE|NAME          where it happened (required)\n"
    "  --category CODE|NAME      what kind of case (required; gridctl categories)\n"
    "  --title TEXT              one line (required, at most 200 characters)\n"
    "  --description TEXT        the whole story\n"
    "  --priority N              1 urgent, 2 high, 3 normal (default), 4 low\n"
    "  --location TEXT           street address or landmark\n"
    "  --lat X --lon Y           position (default: the grid's centre)\n"
    "  --reporter-kind KIND      grid_worker, party_member, village_leader,\n"
    "                            auxiliary_police, volunteer, courier, ride_hailing,\n"
    "                            resident, other\n"
    "  --reporter-name NAME\n"
    "  --reporter-phone PHONE\n"
    "  -d, --dbname CONNINFO     database to use (as psql)\n") },
    run,
};
