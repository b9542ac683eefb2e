/* gridctl verify: recompute the event log's hash chains and seals, so that
 * a change made past every privilege (a superuser with triggers off) shows. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <stdlib.h>

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "since", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *since = NULL;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "s:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_verify, c, optarg))
            continue;
        if (c == 's') {
            since = optarg;
            continue;
        }
        return cli_usage_error(cli, &cmd_verify);
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    if ((code = cli_connect(cli)))
        return code;
    const char *params[] = { since };
    PGresult *res = cli_exec(cli,
        "SELECT events, cases, seals, unsealed, problem, newest_seal"
        " FROM gd_verify($1::timestamptz)", 1, params, &code);
    if (res == NULL)
        return code;
    if (!PQgetisnull(res, 0, 4)) {
        char *why = i18n_server_text(PQgetvalue(res, 0, 4));
        code = cli_fail(cli, CLI_REFUSED, _("the event log was tampered with: %s"), why);
        free(why);
        PQclear(res);
        return code;
    }
    printf(_("the event log fits: %s events of %s cases, %s seals checked; %s events not sealed yet\n"),
           PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2),
           PQgetvalue(res, 0, 3));
    if (!PQgetisnull(res, 0, 5))
        printf(_("newest seal %s\n"), PQgetvalue(res, 0, 5));
    PQclear(res);
    return CLI_OK;
}

const struct cli_cmd cmd_verify = {
    "verify", N_("check that nobody changed the event log behind griddesk's back"),
    { N_("usage: gridctl verify [--since TIME] [-d CONNINFO]\n"
    "\n"
    "Recompute every event's hash from its content and the hash of the event\n"
    "before it in its case, each case's newest hash, and every seal over the\n"
    "whole log (gridctl deadlines seals at each tick). Exit 0 when all of it\n"
    "fits, printing the newest seal's hash: keep it somewhere the database's\n"
    "administrators cannot write (the journal, another machine), because whoever\n"
    "holds the server's keys could recompute every hash. Exit 1 naming the first\n"
    "event, case or seal that does not fit: an event changed, deleted or moved,\n"
    "a case deleted with its events. With --since, only the cases that had events\n"
    "since TIME and the seals made since then. Needs a city-wide griddesk_admin.\n") },
    run,
};
