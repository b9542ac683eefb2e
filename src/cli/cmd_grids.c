/* gridctl grids: the grid tree, one level at a time. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static const struct cli_listing listing = {
    .opts = { "level", "district", NULL },
    .sql = "SELECT * FROM gd_grid_list($1, $2)",
    .table_sql = "SELECT code, name, level, parent, parent_name, district_name AS district,"
                 " lat, lon FROM gd_grid_list($1, $2)",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_grids, &listing, argc, argv);
}

const struct cli_cmd cmd_grids = {
    "grids", N_("list the grid tree (grids, communities, streets, districts)"),
    { N_("usage: gridctl grids [--level L] [--district D] [--format F] [-d CONNINFO]\n"
    "\n"
    "List one level of the grid tree: city, district, street, community or grid\n"
    "(default grid), optionally within one district (code or Chinese name).\n") },
    run,
};
