/* gridctl stats: the figures the centre is judged by. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <string.h>

static const struct cli_listing listing = {
    .opts = { "by", "since", "until", NULL },
    .defaults = { "district", NULL, NULL },
    .sql = "SELECT * FROM gd_stats($1, gd_centre_time($2), gd_centre_time($3))",
    .table_sql =
        "SELECT key, name, reported AS new, dispatched, resolved, closed, overdue_now AS overdue,"
        " median_accept_min AS accept_min, median_onsite_min AS onsite_min,"
        " onsite_in_time_pct AS onsite_ok_pct, fell_due, resolution_rate_pct AS rate_pct,"
        " resolved_of_finished_pct AS of_finished_pct"
        " FROM gd_stats($1, gd_centre_time($2), gd_centre_time($3))",
    .elastic = "name",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_stats, &listing, argc, argv);
}

const struct cli_cmd cmd_stats = {
    "stats", N_("the centre's figures: volumes, times, the resolution rate"),
    { N_("usage: gridctl stats [--by district|department|category] [--since DATE] [--until DATE]\n"
    "                     [--format F] [-d CONNINFO]\n"
    "\n"
    "Figures for the period (default: today, in the centre's calendar), one row\n"
    "per district, department or category and a last row \"all\" for the city\n"
    "(by department, \"none\" holds what happened to cases without one):\n"
    "cases reported, dispatched, resolved and closed in the period; open cases\n"
    "overdue now; median minutes from report to accepted and to on site; the\n"
    "share on site within the deadline; and the resolution rate stated honestly:\n"
    "cases resolved within their deadline over every case whose deadline fell in\n"
    "the period, open overdue ones included (rate_pct). The flattering \"resolved\n"
    "over resolved and cancelled\" is beside it, labelled of_finished_pct.\n"
    "DATE is a day, a time of day and an offset if wanted (2026-11-01,\n"
    "2026/11/1, '2026-11-28 08:00', 2026-11-28T08:00+08), or today, yesterday,\n"
    "tomorrow, now; without an offset it means the centre's calendar (its time\n"
    "zone is a setting in the database), whatever TZ says; times print in TZ.\n"
    "Each figure is defined in griddesk(7), FIGURES.\n") },
    run,
};
