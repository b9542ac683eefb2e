/* gridctl seed demo: the demo city, deterministic for a seed. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "cases", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *cases = "20000", *seed = "1";
    long dummy;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "n:s:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_seed, c, optarg))
            continue;
        if (c == 'n' && (code = cli_int(cli, "--cases", optarg, 0, 5000000, &dummy)))
            return code;
        if (c == 's' && (code = cli_int(cli, "--seed", optarg, 0, 2147483647, &dummy)))
            return code;
        if (c == 'n')
            cases = optarg;
        else if (c == 's')
            seed = optarg;
        else
            return cli_usage_error(cli, &cmd_seed);
    }
    if (optind + 1 != argc || strcmp(argv[optind], "demo") != 0) {
        if (optind < argc)
            return cli_fail(cli, CLI_USAGE, _("unknown data set \"%s\": only \"demo\""), argv[optind]);
        return cli_fail(cli, CLI_USAGE, _("which data set? gridctl seed demo"));
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    const char *params[] = { cases, seed };
    code = cli_output(cli, "SELECT what, n FROM gd_seed_demo($1::int, $2::int)", NULL, NULL,
                      2, params);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (code == CLI_OK && cli->tty_err)
        fprintf(stderr, _("seeded in %.1f s\n"),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return code;
}

const struct cli_cmd cmd_seed = {
    "seed", N_("load the demo city (gridctl seed demo)"),
    { N_("usage: gridctl seed demo [--cases N] [--seed S] [-d CONNINFO] [--format F]\n"
    "\n"
    "Build Jiangmen's seven districts with their streets, communities and grids,\n"
    "departments, about 13,000 talent-pool staff and a history of N cases\n"
    "(default 20000) in every state. The same seed (default 1) gives the same city.\n"
    "Refused on a database that already holds a city.\n") },
    run,
};
