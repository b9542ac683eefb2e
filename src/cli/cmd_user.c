/* gridctl user: who may log in, with which role, over which part of the city. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <string.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "role", required_argument, NULL, 'r' },
        { "scope", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *role = NULL, *scope = NULL;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_user, c, optarg))
            continue;
        if (c == 'r')
            role = optarg;
        else if (c == 's')
            scope = optarg;
        else
            return cli_usage_error(cli, &cmd_user);
    }
    const char *what = optind < argc ? argv[optind] : "";
    if (strcmp(what, "list") == 0 && optind + 1 == argc)
        return cli_output(cli, "SELECT * FROM gd_user_list()", NULL, NULL, 0, NULL);
    if (strcmp(what, "add") == 0 && optind + 2 == argc) {
        if (!role)
            return cli_fail(cli, CLI_USAGE, _("user add needs --role viewer|operator|dept|admin"));
        if ((code = cli_connect(cli)))
            return code;
        const char *params[] = { argv[optind + 1], role, scope };
        PGresult *res = cli_exec(cli, "SELECT gd_user_add($1, $2, $3)", 3, params, &code);
        PQclear(res);
        return code;
    }
    if (strcmp(what, "scope") == 0 && optind + 3 == argc) {
        if ((code = cli_connect(cli)))
            return code;
        const char *params[] = { argv[optind + 1], argv[optind + 2] };
        PGresult *res = cli_exec(cli, "SELECT gd_user_scope($1, $2)", 2, params, &code);
        PQclear(res);
        return code;
    }
    return cli_fail(cli, CLI_USAGE, _("gridctl user add NAME --role R [--scope AREA] | "
                                      "user scope NAME AREA|city | user list"));
}

const struct cli_cmd cmd_user = {
    "user", N_("who may log in, with which role, over which part of the city"),
    { N_("usage: gridctl user add NAME --role viewer|operator|dept|admin [--scope AREA]\n"
         "       gridctl user scope NAME AREA|city\n"
         "       gridctl user list [--format table|csv|json]\n"
         "\n"
         "Add a login role in one of griddesk's roles, limited to a district, street\n"
         "or community (code or Chinese name), or to the whole city (no --scope, or\n"
         "city). Row-level security holds every reader to it, psql included: cases\n"
         "and their events outside the area are not there for that user. No password\n"
         "is set here: use TLS client certificates, or psql's \\password. Needs the\n"
         "griddesk_admin role (and a database owner allowed to create roles).\n"),
      NULL },
    run,
};
