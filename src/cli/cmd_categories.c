/* gridctl categories: the catalogue of case kinds and their deadlines. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static const struct cli_listing listing = {
    .opts = { NULL },
    .sql = "SELECT * FROM gd_category_list()",
    .table_sql = "SELECT code, name, line_name AS line, coalesce(field_name, '') AS field,"
                 " gd_duration(accept_within) AS accept, gd_duration(onsite_within) AS on_site,"
                 " gd_duration(resolve_within) AS resolve FROM gd_category_list()",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_categories, &listing, argc, argv);
}

const struct cli_cmd cmd_categories = {
    "categories", N_("list case categories, their line of work and deadlines"),
    { N_("usage: gridctl categories [--format F] [-d CONNINFO]\n"
    "\n"
    "List the categories a case can have: code, Chinese name, line of work,\n"
    "mediation field for disputes, and the deadlines to accept, be on site and\n"
    "resolve, counted from the report for a normal-priority case (urgent cases\n"
    "get half, high three quarters, low one and a half times).\n") },
    run,
};
