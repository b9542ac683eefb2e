/* The shape every gridctl listing shares: filters in, rows out. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <string.h>

int cli_run_listing(struct cli *cli, const struct cli_cmd *cmd, const struct cli_listing *l,
                    int argc, char **argv)
{
    struct option opts[16] = { CLI_COMMON_LONGOPTS };
    const char *params[12] = { 0 };
    int n = 0, c, code;
    long v;

    for (; l->opts[n]; n++) {
        opts[3 + n] = (struct option){ l->opts[n], required_argument, NULL, 256 + n };
        params[n] = l->defaults[n];
    }
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (cli_common_opt(cli, cmd, c, optarg))
            continue;
        if (c < 256 || c >= 256 + n)
            return cli_usage_error(cli, cmd);
        const char *name = l->opts[c - 256];
        char flag[32];
        snprintf(flag, sizeof flag, "--%s", name);
        if (strcmp(name, "limit") == 0 && (code = cli_int(cli, flag, optarg, 1, 100000000, &v)))
            return code;
        if (*optarg == '\0')
            return cli_fail(cli, CLI_USAGE, _("%s is empty"), flag);
        if ((code = cli_check_value(cli, name, optarg)))
            return code;
        params[c - 256] = optarg;
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    return cli_output(cli, l->sql, l->table_sql, l->elastic, n, params);
}
