/* gridctl deadlines: the clock that marks cases overdue, once each. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/parse.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "every", required_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    double every = 0;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "e:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_deadlines, c, optarg))
            continue;
        if (c == 'e' && parse_duration(optarg, &every) == 0 && every >= 1)
            continue;
        if (c == 'e')
            return cli_fail(cli, CLI_USAGE, _("--every \"%s\" is not a duration of a second or more: e.g. 30s, 1m"), optarg);
        return cli_usage_error(cli, &cmd_deadlines);
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    if ((code = cli_connect(cli)))
        return code;
    cli_catch_stop();
    do {
        /* the clock also seals the event log: what it sealed, gridctl verify
         * can tell from a case deleted whole */
        PGresult *res = cli_exec(cli, "SELECT gd_mark_overdue() AS marked, s.sealed, s.hash FROM gd_seal() s",
                                 0, NULL, &code);
        if (res == NULL && PQstatus(cli->conn) != CONNECTION_OK && every > 0) {
            PQreset(cli->conn); /* a clock outlives a server restart */
        } else if (res == NULL) {
            return code;
        } else {
            const char *sealed = PQgetvalue(res, 0, PQfnumber(res, "sealed"));
            printf("%s\n", PQgetvalue(res, 0, PQfnumber(res, "marked")));
            fflush(stdout);
            /* the seal's hash goes to the log (the journal, under a service),
             * outside the database, for gridctl verify --seal */
            if (strcmp(sealed, "0") != 0)
                fprintf(stderr, _("gridctl deadlines: sealed %s events; seal %s\n"), sealed,
                        PQgetvalue(res, 0, PQfnumber(res, "hash")));
            PQclear(res);
        }
        struct timespec ts = { (time_t)every, (long)((every - (double)(time_t)every) * 1e9) };
        while (every > 0 && !cli_stopping() && nanosleep(&ts, &ts) != 0)
            ;
    } while (every > 0 && !cli_stopping());
    return CLI_OK;
}

const struct cli_cmd cmd_deadlines = {
    "deadlines", N_("mark cases whose deadline has passed (the centre's clock)"),
    { N_("usage: gridctl deadlines [--every DURATION] [-d CONNINFO]\n"
    "\n"
    "Write one \"overdue\" event for each case whose current stage's deadline has\n"
    "passed, once per case, stage and deadline however often it runs, and print how many\n"
    "it wrote. With --every (e.g. 30s, 1m) it keeps doing so until interrupted,\n"
    "reconnecting if the server restarts; run it once per centre (cron, a service,\n"
    "make demo), not per console. Each tick also seals the event log written since\n"
    "the last one and prints the seal's hash on standard error, for gridctl verify\n"
    "--seal. Needs the griddesk_operator role.\n") },
    run,
};
