/* gridctl staff: the talent pool. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static const struct cli_listing listing = {
    .opts = { "field", "tier", "district", "limit", NULL },
    .defaults = { NULL, NULL, NULL, "100" },
    .sql = "SELECT * FROM gd_staff_list($1, $2, $3, $4::int)",
    .table_sql = "SELECT staff_id AS id, name, tier, array_to_string(fields, ',') AS fields,"
                 " district_name AS district, home_grid,"
                 " CASE WHEN on_duty THEN 'yes' ELSE 'no' END AS on_duty,"
                 " load || '/' || load_limit AS load, phone"
                 " FROM gd_staff_list($1, $2, $3, $4::int)",
    .elastic = "fields",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_staff, &listing, argc, argv);
}

const struct cli_cmd cmd_staff = {
    "staff", N_("list the talent pool"),
    { N_("usage: gridctl staff [--field F] [--tier T] [--district D] [--limit N]\n"
    "                     [--format F] [-d CONNINFO]\n"
    "\n"
    "List talent-pool staff, at most N (default 100).\n"
    "\n"
    "  --field F      mediation field: family, neighbour, property, labour,\n"
    "                 consumer, economic, medical, traffic, land, environment\n"
    "  --tier T       grassroots, specialist or expert\n"
    "  --district D   district code or Chinese name\n"
    "Phone numbers are masked unless your role may see them.\n") },
    run,
};
