/* gridctl export cases|grids|departments|staff: CSV that gridctl import
 * takes back, JSON lines, or (cases) Open311 GeoReport v2 service requests. Rows stream from the server: CSV
 * through COPY, JSON through a cursor, so memory stays flat however many. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"

#include <stdio.h>
#include <string.h>

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_OPEN311 };

#define EXPORT_ARGS "$1, $2, $3, $4, $5, $6, $7, $8, gd_centre_time($9), gd_centre_time($10)"

/* Lines of a cursor's single text column, 500 rows a fetch; open311
 * wraps them in one JSON array. */
static int stream_json(struct cli *cli, const char *sql, int n, const char *const *params,
                       int array)
{
    int code;
    PGresult *res = cli_exec(cli, "BEGIN", 0, NULL, &code);
    if (res == NULL)
        return code;
    PQclear(res);
    char decl[512];
    snprintf(decl, sizeof decl, "DECLARE gd_export NO SCROLL CURSOR FOR %s", sql);
    if ((res = cli_exec(cli, decl, n, params, &code)) == NULL)
        return code;
    PQclear(res);
    long rows = 0;
    for (int first = 1;; first = 0) {
        /* a bad filter shows at the first fetch: nothing is printed before it */
        if ((res = cli_exec(cli, "FETCH 500 FROM gd_export", 0, NULL, &code)) == NULL)
            return code;
        if (first && array)
            fputs("[", stdout);
        int got = PQntuples(res);
        for (int i = 0; i < got; i++, rows++) {
            if (array)
                fputs(rows ? ",\n" : "\n", stdout);
            fputs(PQgetvalue(res, i, 0), stdout);
            if (!array)
                putchar('\n');
        }
        PQclear(res);
        if (got == 0)
            break;
    }
    if (array)
        fputs(rows ? "\n]\n" : "]\n", stdout);
    PQclear(cli_exec(cli, "COMMIT", 0, NULL, &code));
    return code;
}

struct export {
    enum export_format format;
    const char *params[10]; /* the filters (cli_filter_opt), then --since and --until */
};

static int format_opt(struct cli *cli, const char *arg, struct export *e)
{
    static const char *const names[] = { [EXPORT_CSV] = "csv", [EXPORT_JSON] = "json",
                                          [EXPORT_OPEN311] = "open311" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(arg, names[i]) == 0) {
            e->format = (enum export_format)i;
            return CLI_OK;
        }
    return cli_fail(cli, CLI_USAGE, _("unknown --format \"%s\": one of csv, json, open311"), arg);
}

static int options(struct cli *cli, int argc, char **argv, struct export *e)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        CLI_FILTER_LONGOPTS,
        { "since", required_argument, NULL, 's' },
        { "until", required_argument, NULL, 'u' },
        { NULL, 0, NULL, 0 },
    };
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (c == 'F') {
            if ((code = format_opt(cli, optarg, e)))
                return code;
        } else if (c == 's' || c == 'u') {
            const char *name = c == 's' ? "since" : "until";
            if (*optarg == '\0')
                return cli_fail(cli, CLI_USAGE, _("--%s is empty"), name);
            if ((code = cli_check_value(cli, name, optarg)))
                return code;
            e->params[c == 's' ? 8 : 9] = optarg;
        } else if (!cli_common_opt(cli, &cmd_export, c, optarg)
                   && !cli_filter_opt(cli, c, optarg, e->params)) {
            return cli_usage_error(cli, &cmd_export);
        }
    }
    return CLI_OK;
}

/* the reference data's statements, whole: no name is ever formatted into SQL */
static const struct { const char *name, *csv, *json; } kinds[] = {
    { "cases", NULL, NULL },
    { "grids", "SELECT * FROM gd_export_grids()",
      "SELECT row_to_json(e)::text FROM gd_export_grids() e" },
    { "departments", "SELECT * FROM gd_export_departments()",
      "SELECT row_to_json(e)::text FROM gd_export_departments() e" },
    { "staff", "SELECT * FROM gd_export_staff()",
      "SELECT row_to_json(e)::text FROM gd_export_staff() e" },
};
enum { KINDS = sizeof kinds / sizeof *kinds };

static int export_reference(struct cli *cli, size_t k, const struct export *e)
{
    int code;
    for (int i = 0; i < 10; i++)
        if (e->params[i])
            return cli_fail(cli, CLI_USAGE, _("filters, --since and --until choose cases: "
                                              "gridctl export %s takes none"), kinds[k].name);
    if (e->format == EXPORT_OPEN311)
        return cli_fail(cli, CLI_USAGE, _("Open311 is for cases: gridctl export %s writes csv or json"),
                        kinds[k].name);
    if ((code = cli_connect(cli)))
        return code;
    return e->format == EXPORT_CSV ? cli_copy_out(cli, stdout, kinds[k].csv, 0, NULL)
                                   : stream_json(cli, kinds[k].json, 0, NULL, 0);
}

static int export_cases(struct cli *cli, const struct export *e)
{
    int code;
    if ((code = cli_connect(cli)))
        return code;
    switch (e->format) {
    case EXPORT_CSV:
        return cli_copy_out(cli, stdout, "SELECT * FROM gd_export_cases(" EXPORT_ARGS ")", 10,
                            e->params);
    case EXPORT_JSON:
        return stream_json(cli, "SELECT row_to_json(e)::text FROM gd_export_cases(" EXPORT_ARGS ") e",
                           10, e->params, 0);
    default:
        return stream_json(cli, "SELECT j::text FROM gd_export_open311(" EXPORT_ARGS ") j", 10,
                           e->params, 1);
    }
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct export e = { .format = EXPORT_CSV };
    int code = options(cli, argc, argv, &e);
    if (code)
        return code;
    const char *kind = optind < argc ? argv[optind] : "";
    size_t k = 0;
    while (k < KINDS && strcmp(kind, kinds[k].name) != 0)
        k++;
    if (k == KINDS)
        return cli_fail(cli, CLI_USAGE, _("export what? gridctl export cases|grids|departments|staff ..."));
    if (optind + 1 < argc)
        return cli_fail(cli, CLI_USAGE, _("unexpected argument \"%s\""), argv[optind + 1]);
    return k > 0 ? export_reference(cli, k, &e) : export_cases(cli, &e);
}

const struct cli_cmd cmd_export = {
    "export", N_("write cases, grids, departments or staff as CSV, JSON lines or Open311"),
    { N_("usage: gridctl export cases [FILTERS] [--since DATE] [--until DATE]\n"
    "                            [--format csv|json|open311] [-d CONNINFO]\n"
    "       gridctl export grids|departments|staff [--format csv|json] [-d CONNINFO]\n"
    "\n"
    "Write the cases the filters match on standard output, oldest first:\n"
    "  csv      (default) the columns gridctl import cases reads back unchanged\n"
    "  json     one JSON object a line, with the same keys\n"
    "  open311  a JSON array of Open311 GeoReport v2 service requests\n"
    "Grids (the city first, parents before children), departments and staff go\n"
    "out in the columns their import reads, lists joined by \"|\": a file\n"
    "exported imports into a new database as it was. Phones are masked unless\n"
    "your role may see them.\n"
    "\n"
    "FILTERS:\n"),
      cli_filter_help,
      N_("  --since DATE     reported at or after DATE (YYYY-MM-DD [HH:MM], the centre's calendar)\n"
    "  --until DATE     reported before DATE\n") },
    run,
};
