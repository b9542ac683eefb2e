/* gridctl assign: dispatch a case to a department and, if wanted, a
 * mediator and assisting departments; or add assisting departments to a
 * case already dispatched. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/rules.h"

#include <stdio.h>
#include <limits.h>
#include <string.h>

struct assign {
    const char *dept, *mediator, *note, *version, *assist;
};

static int options(struct cli *cli, int argc, char **argv, struct assign *o)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "department", required_argument, NULL, 'D' },
        { "mediator", required_argument, NULL, 'm' },
        { "note", required_argument, NULL, 'n' },
        { "expect-version", required_argument, NULL, 'v' },
        { "assist", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 },
    };
    long v;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "D:m:n:v:", opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_assign, c, optarg))
            continue;
        switch (c) {
        case 'D': o->dept = optarg; break;
        case 'a': o->assist = optarg; break;
        case 'n': o->note = optarg; break;
        case 'm':
            if (strcmp(optarg, "auto") != 0
                && (code = cli_int(cli, "--mediator", optarg, 1, INT_MAX, &v)))
                return code;
            o->mediator = optarg;
            break;
        case 'v':
            if ((code = cli_int(cli, "--expect-version", optarg, 1, INT_MAX, &v)))
                return code;
            o->version = optarg;
            break;
        default:
            return cli_usage_error(cli, &cmd_assign);
        }
    }
    if (optind + 1 != argc)
        return cli_fail(cli, CLI_USAGE, _("which case? gridctl assign REF --department CODE"));
    if (o->dept == NULL && o->assist == NULL)
        return cli_fail(cli, CLI_USAGE, _("--department is required"));
    if (o->dept == NULL && (o->mediator || o->note))
        return cli_fail(cli, CLI_USAGE, _("--mediator and --note go with --department"));
    return CLI_OK;
}

/* "auto": the top of the same ranking the console shows, read in the
 * dispatch's transaction */
static int auto_mediator(struct cli *cli, const char *ref, char chosen[16])
{
    int code;
    const char *p[] = { ref };
    PGresult *res = cli_exec(cli, "SELECT staff_id FROM gd_suggest_mediators($1, 1)", 1, p, &code);
    if (res == NULL)
        return code;
    if (PQntuples(res) == 0)
        code = cli_fail(cli, CLI_REFUSED, _("no mediator free for %s: none on duty, under "
                        "their load and covering its field"), ref);
    else
        snprintf(chosen, 16, "%s", PQgetvalue(res, 0, PQfnumber(res, "staff_id")));
    PQclear(res);
    return code;
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct assign o = { 0 };
    int code = options(cli, argc, argv, &o);
    if (code || (code = cli_connect(cli)))
        return code;
    const char *ref = argv[optind];
    PQclear(cli_exec(cli, "BEGIN", 0, NULL, &code));
    if (code)
        return code;
    char chosen[16] = "";
    if (o.mediator && strcmp(o.mediator, "auto") == 0) {
        if ((code = auto_mediator(cli, ref, chosen)))
            goto fail;
        o.mediator = chosen;
    }
    const char *p[] = { ref, o.version, o.dept, o.mediator, o.note, o.assist };
    const char *later[] = { ref, o.version, o.assist };
    PGresult *res = o.dept == NULL ? cli_exec(cli, rules_assist_sql, 3, later, &code)
                  : o.assist ? cli_exec(cli, rules_assign_joint_sql, 6, p, &code)
                             : cli_exec(cli, rules_assign_sql, 5, p, &code);
    if (res == NULL)
        goto fail;
    PQclear(res);
    PQclear(cli_exec(cli, "COMMIT", 0, NULL, &code));
    return code ? code : cli_print_case_state(cli, ref);
fail:
    PQclear(PQexec(cli->conn, "ROLLBACK"));
    return code;
}

const struct cli_cmd cmd_assign = {
    "assign", N_("dispatch a case to a department (and a mediator)"),
    { N_("usage: gridctl assign REF --department CODE [--mediator ID|auto] [--note TEXT]\n"
    "                      [--assist CODE[,CODE...]] [--expect-version N] [--format F]\n"
    "       gridctl assign REF --assist CODE[,CODE...] [--expect-version N]\n"
    "\n"
    "Dispatch case REF (new or returned) to a department, by code or Chinese\n"
    "name, and optionally to a talent-pool mediator: a staff id, or \"auto\" for\n"
    "the top of gridctl suggest. --assist names assisting departments (联办): each\n"
    "gets a part of its own, with its own deadlines, and accepts, goes on site\n"
    "and feeds back for it (gridctl accept|onsite|feedback REF --department CODE);\n"
    "the centre closes the case only once every part is done or released\n"
    "(gridctl release). Without --department, --assist adds assisting departments\n"
    "to a case already dispatched. With --expect-version, a case changed since\n"
    "that version is refused (exit 1) with who changed it and when; without it,\n"
    "the current version is used. Prints the case's new status and version.\n") },
    run,
};
