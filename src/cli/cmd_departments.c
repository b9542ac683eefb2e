/* gridctl departments: who can be sent an order, per district. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

static const struct cli_listing listing = {
    .opts = { "district", NULL },
    .sql = "SELECT * FROM gd_department_list($1)",
    .table_sql = "SELECT code, name, kind, district_name AS district,"
                 " array_to_string(lines, ',') AS lines FROM gd_department_list($1)",
};

static int run(struct cli *cli, int argc, char **argv)
{
    return cli_run_listing(cli, &cmd_departments, &listing, argc, argv);
}

const struct cli_cmd cmd_departments = {
    "departments", N_("list departments, optionally of one district"),
    { N_("usage: gridctl departments [--district D] [--format F] [-d CONNINFO]\n"
    "\n"
    "List the departments cases are dispatched to: functional departments,\n"
    "people's mediation committees, legal aid, litigation service, social work\n"
    "and police liaison, with the lines of work each handles.\n") },
    run,
};
