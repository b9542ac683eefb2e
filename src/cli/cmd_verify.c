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
        { "seal", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    const char *since = NULL, *seal = NULL;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "s:S:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_verify, c, optarg))
            continue;
        if (c == 's' && (code = cli_check_value(cli, "since", optarg)))
            return code;
        if (c == 's' || c == 'S') {
            *(c == 's' ? &since : &seal) = optarg;
            continue;
        }
        return cli_usage_error(cli, &cmd_verify);
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    if ((code = cli_connect(cli)))
        return code;
    const char *params[] = { since, seal };
    PGresult *res = cli_exec(cli,
        "SELECT events, cases, seals, unsealed, problem, newest_seal"
        " FROM gd_verify(gd_centre_time($1), $2)", 2, params, &code);
    if (res == NULL)
        return code;
    int problem = PQfnumber(res, "problem"), newest = PQfnumber(res, "newest_seal");
    if (!PQgetisnull(res, 0, problem)) {
        char *why = i18n_server_text(PQgetvalue(res, 0, problem));
        code = cli_fail(cli, CLI_REFUSED, _("the event log was tampered with: %s"), why);
        free(why);
        PQclear(res);
        return code;
    }
    printf(_("the event log fits: %s events of %s cases, %s seals checked; %s events not sealed yet\n"),
           PQgetvalue(res, 0, PQfnumber(res, "events")), PQgetvalue(res, 0, PQfnumber(res, "cases")),
           PQgetvalue(res, 0, PQfnumber(res, "seals")), PQgetvalue(res, 0, PQfnumber(res, "unsealed")));
    if (!PQgetisnull(res, 0, newest))
        printf(_("newest seal %s\n"), PQgetvalue(res, 0, newest));
    PQclear(res);
    return CLI_OK;
}

const struct cli_cmd cmd_verify = {
    "verify", N_("check that nobody changed the event log behind griddesk's back"),
    { N_("usage: gridctl verify [--since TIME] [--seal HASH] [-d CONNINFO]\n"
    "\n"
    "Fold each case's events, in order, into a hash chain (each step the hash of\n"
    "the step before and the event's content) and check it against the head and\n"
    "length kept for the case; and check every seal over the whole log (gridctl\n"
    "deadlines seals at each tick and prints each seal's hash on standard error).\n"
    "Exit 0 when all of it fits, printing the newest seal's hash. Exit 1 naming\n"
    "the first case or seal that does not fit: an event changed, deleted or\n"
    "moved, a case deleted with its events. Whoever holds the server's keys could\n"
    "delete the newest seals, or recompute every hash: --seal HASH, a seal's hash\n"
    "kept where the database's administrators cannot write (the journal, another\n"
    "machine), must still be in the log. With --since, only the cases that had\n"
    "events since TIME and the seals made since then. Needs a city-wide\n"
    "griddesk_admin.\n") },
    run,
};
