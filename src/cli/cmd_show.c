/* gridctl show: one case and its timeline. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>

static const char detail_sql[] = "SELECT * FROM gd_case_detail($1)";

static const char record_sql[] =
    "SELECT ref, status, title, description, category || ' ' || category_name AS category,"
    " priority, district || ' ' || district_name AS district, grid || ' ' || grid_name AS grid,"
    " nullif(location, '') AS location, lat || ', ' || lon AS position,"
    " department || ' ' || department_name AS department,"
    " mediator || ' ' || mediator_name AS mediator, outcome,"
    " nullif(concat_ws(' ', reporter_kind, reporter_name, reporter_phone), '') AS reporter,"
    " to_char(reported_at, 'YYYY-MM-DD HH24:MI') AS reported,"
    " to_char(due_at, 'YYYY-MM-DD HH24:MI') AS due,"
    " version, updated_by || ' ' || to_char(updated_at, 'YYYY-MM-DD HH24:MI') AS updated"
    " FROM gd_case_detail($1)";

static const char timeline_sql[] =
    "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at, kind, actor,"
    " concat_ws(' ', data->>'department', data->>'mediator_name', data->>'reason',"
    "           data->>'note', data->>'outcome') AS details"
    " FROM gd_case_events($1)";

static int run(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1)
        if (!cli_common_opt(cli, &cmd_show, c, optarg))
            return cli_usage_error(cli, &cmd_show);
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl show REF"));
    const char *params[] = { argv[optind] };
    if ((code = cli_connect(cli)))
        return code;
    if (cli->format == CLI_CSV)
        return cli_output(cli, detail_sql, NULL, NULL, 1, params);
    if (cli->format == CLI_JSON) {
        PGresult *res = cli_exec(cli, "SELECT gd_case_json($1)", 1, params, &code);
        if (res == NULL)
            return code;
        puts(PQgetvalue(res, 0, 0));
        PQclear(res);
        return CLI_OK;
    }
    PGresult *res = cli_exec(cli, record_sql, 1, params, &code);
    if (res == NULL)
        return code;
    cli_print_record(res, 0);
    PQclear(res);
    puts(_("\ntimeline"));
    res = cli_exec(cli, timeline_sql, 1, params, &code);
    if (res == NULL)
        return code;
    cli_print_table(cli, res, "details");
    PQclear(res);
    return CLI_OK;
}

const struct cli_cmd cmd_show = {
    "show", N_("show one case and its timeline"),
    { N_("usage: gridctl show REF [--format table|csv|json] [-d CONNINFO]\n"
    "\n"
    "Show every field of case REF (e.g. JM-20261128-0042) and its timeline: each\n"
    "event with its kind, actor and time. The reporter's phone is masked unless\n"
    "your role may see it. JSON adds an \"events\" array (kind, actor, at, data).\n") },
    run,
};
