/* gridctl: the administrators' command line. One table of subcommands; each
 * lives in its own cmd_*.c. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/text.h"
#include "griddesk/version.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct cli_cmd *const commands[] = {
    &cmd_migrate, &cmd_seed, &cmd_report, &cmd_list, &cmd_show,
    &cmd_suggest, &cmd_assign, &cmd_accept, &cmd_return, &cmd_onsite, &cmd_feedback,
    &cmd_resolve, &cmd_close, &cmd_reopen, &cmd_cancel, &cmd_note,
    &cmd_recategorize, &cmd_duplicates, &cmd_merge, &cmd_unmerge, &cmd_release, &cmd_stats, &cmd_deadlines, &cmd_import, &cmd_export, &cmd_bulk, &cmd_user, &cmd_verify,
    &cmd_grids, &cmd_categories, &cmd_departments, &cmd_staff, &cmd_simulate,
};

static void usage(FILE *out)
{
    fputs(_("usage: gridctl [-d CONNINFO] COMMAND [OPTIONS]\n"
          "\n"
          "The griddesk administrators' tool: schema, demo data, reports, listings.\n"
          "\n"
          "Commands:\n"), out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-12s %s\n", commands[i]->name, _(commands[i]->summary));
    fputs(_("\n"
          "Options:\n"
          "  -d, --dbname CONNINFO  database name, conninfo string or URI (as psql);\n"
          "                         default: the libpq environment, else dbname=griddesk\n"
          "  -h, --help             this help; 'gridctl COMMAND --help' for a command\n"
          "  -V, --version          print the version\n"
          "\n"
          "Exit status: 0 done, 1 refused by a rule or not found, 2 usage error,\n"
          "3 cannot connect or database error. See gridctl(1).\n"), out);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dbname", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct cli cli = { .tty_out = isatty(STDOUT_FILENO), .tty_err = isatty(STDERR_FILENO) };
    int c;

    i18n_init();
    while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cli.dbname = optarg;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        case 'V':
            puts("gridctl (griddesk) " GRIDDESK_VERSION);
            return CLI_OK;
        default:
            fputs(_("Try 'gridctl --help'.\n"), stderr);
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(commands[i]->name, name) != 0)
            continue;
        cli.cmd = name;
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        optind = 0; /* GNU getopt: start afresh for the subcommand */
        int rc = commands[i]->run(&cli, sub_argc, sub_argv);
        if (cli.conn)
            PQfinish(cli.conn);
        if (fflush(stdout) != 0 && rc == CLI_OK)
            rc = cli_fail(&cli, CLI_DB, _("cannot write the output"));
        return rc;
    }
    fprintf(stderr, _("gridctl: unknown command \"%s\"\nTry 'gridctl --help'.\n"), name);
    return CLI_USAGE;
}
