/* gridctl list: cases, newest first. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static const struct cli_listing listing = {
    .opts = { "status", "district", "grid", "category", "limit", "department", "mediator",
              "priority", "older-than", NULL },
    .defaults = { NULL, NULL, NULL, NULL, "100" },
    .sql = "SELECT * FROM gd_case_list($1, $2, $3, $4, $5::int, $6, $7, $8, $9)",
    .table_sql =
        "SELECT ref, to_char(reported_at, 'MM-DD HH24:MI') AS reported, priority AS p,"
        " status, category_name AS category, district_name AS district, grid, title,"
        " coalesce(department, '') AS department, coalesce(mediator_name, '') AS mediator"
        " FROM gd_case_list($1, $2, $3, $4, $5::int, $6, $7, $8, $9)",
    .elastic = "title",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_list, &listing, argc, argv);
}

const struct cli_cmd cmd_list = {
    "list", N_("list cases, newest first"),
    { N_("usage: gridctl list [FILTERS] [--limit N] [--format table|csv|json] [-d CONNINFO]\n"
    "\n"
    "List cases, newest first, at most N (default 100). FILTERS:\n"
    "\n"),
      cli_filter_help,
      N_("\n"
    "  --limit N        at most N cases (default 100)\n"
    "  --format F       table (default), csv or json; see gridctl(1) for the keys\n") },
    run,
};
