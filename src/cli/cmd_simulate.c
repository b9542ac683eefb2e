/* gridctl simulate: live traffic for demos and benchmarks, one transaction
 * per report, paced to a rate; survives a server restart. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* splitmix64: the same seed gives the same traffic */
static double next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A lost connection is retried, not fatal: a simulator outlives restarts. */
static int call(struct cli *cli, const char *sql, int n, const char *const *params,
                long *failed)
{
    PGresult *res = PQexecParams(cli->conn, sql, n, NULL, params, NULL, NULL, 0);
    int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!ok && PQstatus(cli->conn) != CONNECTION_OK) {
        PQclear(res);
        for (int wait_ms = 100; !cli_stopping(); wait_ms = wait_ms < 2000 ? wait_ms * 2 : 2000) {
            PQreset(cli->conn);
            if (PQstatus(cli->conn) == CONNECTION_OK)
                break;
            usleep((useconds_t)wait_ms * 1000);
        }
        return -1; /* the statement did not happen; the caller tries the next one */
    }
    int rc = ok ? 0 : -1;
    if (!ok) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (*failed == 0)
            cli_report(cli, res);
        (*failed)++;
        /* a bad value will fail every time: stop rather than spin */
        if (state && strcmp(state, "GDV01") == 0)
            rc = -2;
    }
    PQclear(res);
    return rc;
}

static void progress(const struct cli *cli, long reports, long moves, long failed, double secs,
                     int last)
{
    if (!cli->tty_err)
        return;
    fputc('\r', stderr);
    fprintf(stderr, _("simulate: %ld reports (%.1f/s), %ld moves, %ld failed  %s"), reports,
            secs > 0 ? (double)reports / secs : 0.0, moves, failed, last ? "\n" : "");
}

struct simulation {
    double rate, duration;
    long seed, act;
    const char *mix, *tag;
    long reports, moves, failed;
};

static int options(struct cli *cli, struct simulation *sim, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "rate", required_argument, NULL, 'r' },
        { "duration", required_argument, NULL, 'D' },
        { "seed", required_argument, NULL, 's' },
        { "mix", required_argument, NULL, 'm' },
        { "act", required_argument, NULL, 'a' },
        { "tag", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "r:D:s:m:a:t:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_simulate, c, optarg))
            continue;
        switch (c) {
        case 'r':
            if (parse_rate(optarg, &sim->rate) < 0)
                return cli_fail(cli, CLI_USAGE, _("--rate \"%s\" is not a rate: e.g. 200/s, 30/m"), optarg);
            break;
        case 'D':
            if (parse_duration(optarg, &sim->duration) < 0)
                return cli_fail(cli, CLI_USAGE, _("--duration \"%s\" is not a duration: e.g. 90s, 10m, 2h"), optarg);
            break;
        case 's':
            if ((code = cli_int(cli, "--seed", optarg, 0, 2147483647, &sim->seed)))
                return code;
            break;
        case 'a':
            if ((code = cli_int(cli, "--act", optarg, 0, 100, &sim->act)))
                return code;
            break;
        case 'm':
            if (parse_mix(optarg) < 0)
                return cli_fail(cli, CLI_USAGE, _("--mix \"%s\" is not a mix: e.g. hazard:30,dispute:40"), optarg);
            sim->mix = optarg;
            break;
        case 't':
            sim->tag = optarg;
            break;
        default:
            return cli_usage_error(cli, &cmd_simulate);
        }
    }
    if (optind < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind]);
    return CLI_OK;
}

/* One report, then as many moves as asked: -2 when the role may not. */
static int one_tick(struct cli *cli, struct simulation *sim, uint64_t *state)
{
    char r[32];
    snprintf(r, sizeof r, "%.17g", next_random(state));
    const char *rp[] = { r, sim->mix, sim->tag };
    int got = call(cli, "SELECT gd_simulate_report($1::float8, $2, $3)", 3, rp, &sim->failed);
    if (got == -2)
        return -2;
    if (got == 0)
        sim->reports++;
    for (long i = 0; i < sim->act && !cli_stopping(); i++) {
        snprintf(r, sizeof r, "%.17g", next_random(state));
        const char *ap[] = { r };
        if (call(cli, "SELECT gd_simulate_act($1::float8)", 1, ap, &sim->failed) == 0)
            sim->moves++;
    }
    return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct simulation sim = { .rate = 5, .seed = 1, .tag = "" };
    int code = options(cli, &sim, argc, argv);
    if (code || (code = cli_connect(cli)))
        return code;

    cli_catch_stop();
    uint64_t state = (uint64_t)sim.seed;
    struct timespec t0, next;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    next = t0;
    double shown = 0, step = 1.0 / sim.rate;
    while (!cli_stopping() && (sim.duration == 0 || since(&t0) < sim.duration)) {
        if (one_tick(cli, &sim, &state) == -2)
            return CLI_REFUSED;
        double secs = since(&t0);
        if (secs - shown >= 0.5) {
            progress(cli, sim.reports, sim.moves, sim.failed, secs, 0);
            shown = secs;
        }
        /* pace against absolute times, so a slow call is made up for */
        long ns = next.tv_nsec + (long)(step * 1e9);
        next.tv_sec += ns / 1000000000L;
        next.tv_nsec = ns % 1000000000L;
        if (since(&next) > 1.0) /* far behind (an outage): do not burst to catch up */
            clock_gettime(CLOCK_MONOTONIC, &next);
        while (!cli_stopping() && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
            ;
    }
    progress(cli, sim.reports, sim.moves, sim.failed, since(&t0), 1);
    printf(_("reported %ld moved %ld failed %ld\n"), sim.reports, sim.moves, sim.failed);
    return CLI_OK;
}

const struct cli_cmd cmd_simulate = {
    "simulate", N_("raise realistic live traffic across the demo city"),
    { N_("usage: gridctl simulate [--rate N/s] [--duration D] [--seed S] [--mix G:W,...]\n"
    "                        [--act N] [--tag TEXT] [-d CONNINFO]\n"
    "\n"
    "Report cases across the demo city at a steady rate, each in its own\n"
    "transaction, until the duration is up or it is interrupted. Reconnects\n"
    "when the server goes away. Prints a progress line on a terminal and, at\n"
    "the end, \"reported N moved M failed F\".\n"
    "\n"
    "  --rate N/s      reports a second (also N/m, N/h); default 5/s\n"
    "  --duration D    how long: 90s, 10m, 2h; default until interrupted\n"
    "  --seed S        the same seed gives the same traffic; default 1\n"
    "  --mix G:W,...   weights by group of category: hazard, city, governance,\n"
    "                  dispute, civil, party, petition (e.g. hazard:30,dispute:40)\n"
    "  --act N         after each report, move N waiting cases one step along\n"
    "                  (dispatch, accept, on site, resolve, close) as the centre\n"
    "                  and departments would; default 0\n"
    "  --tag TEXT      put TEXT before every title (to find a run's cases)\n"
    "Needs the griddesk_admin role (it reports and acts for departments).\n") },
    run,
};
