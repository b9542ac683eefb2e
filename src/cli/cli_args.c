/* Option handling every gridctl subcommand shares. */
#include "griddesk/cli.h"
#include "griddesk/i18n.h"
#include "griddesk/parse.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(struct cli *cli, const struct cli_cmd *cmd)
{
    fprintf(stderr, _("Try 'gridctl %s --help'.\n"), cmd->name);
    (void)cli;
    return CLI_USAGE;
}

int cli_common_opt(struct cli *cli, const struct cli_cmd *cmd, int c, const char *arg)
{
    switch (c) {
    case 'd':
        cli->dbname = arg;
        return 1;
    case 'h':
        cli_print_usage(cmd, stdout);
        exit(CLI_OK);
    case 'F':
        if (strcmp(arg, "table") == 0)
            cli->format = CLI_TABLE;
        else if (strcmp(arg, "csv") == 0)
            cli->format = CLI_CSV;
        else if (strcmp(arg, "json") == 0)
            cli->format = CLI_JSON;
        else
            exit(cli_fail(cli, CLI_USAGE, _("unknown --format \"%s\": one of table, csv, json"), arg));
        return 1;
    default:
        return 0;
    }
}

int cli_check_value(struct cli *cli, const char *name, const char *arg)
{
    if (strcmp(name, "status") == 0 && parse_statuses(arg) < 0)
        return cli_fail(cli, CLI_USAGE, _("--status \"%s\": one or more of new, dispatched, accepted, "
                        "on_site, resolved, closed, returned, cancelled, open, with commas"), arg);
    if (strcmp(name, "priority") == 0 && parse_priority(arg) < 0)
        return cli_fail(cli, CLI_USAGE, _("--priority \"%s\" is out of range: 1 (urgent) to 4"), arg);
    if (strcmp(name, "older-than") == 0 && parse_age(arg) < 0)
        return cli_fail(cli, CLI_USAGE, _("--older-than \"%s\" is not a number with a unit s, m, h, d "
                        "or w (e.g. 90m, 2h, 7d)"), arg);
    if ((strcmp(name, "since") == 0 || strcmp(name, "until") == 0) && parse_when(arg) < 0)
        return cli_fail(cli, CLI_USAGE, _("--%s \"%s\" is not a date or time: 2026-12-01, "
                        "'2026-12-01 08:00', yesterday"), name, arg);
    return CLI_OK;
}

int cli_int(struct cli *cli, const char *opt, const char *arg, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || end == arg || *end != '\0')
        return cli_fail(cli, CLI_USAGE, _("%s \"%s\" is not a whole number"), opt, arg);
    if (v < lo || v > hi)
        return cli_fail(cli, CLI_USAGE, _("%s %ld is out of range: %ld to %ld"), opt, v, lo, hi);
    *out = v;
    return CLI_OK;
}

static volatile sig_atomic_t stop_asked;

static void on_stop(int sig)
{
    (void)sig;
    stop_asked = 1;
}

void cli_catch_stop(void)
{
    struct sigaction sa = { .sa_handler = on_stop };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_stopping(void)
{
    return stop_asked;
}

const char *const cli_filter_names[CLI_NFILTERS] = {
    "status", "district", "grid", "category", "department", "mediator", "priority", "older-than",
};

int cli_filter_opt(struct cli *cli, int c, const char *arg, const char *v[CLI_NFILTERS])
{
    if (c < CLI_FILTER_OPT || c >= CLI_FILTER_OPT + CLI_NFILTERS)
        return 0;
    if (*arg == '\0')
        exit(cli_fail(cli, CLI_USAGE, _("--%s is empty"), cli_filter_names[c - CLI_FILTER_OPT]));
    int code = cli_check_value(cli, cli_filter_names[c - CLI_FILTER_OPT], arg);
    if (code)
        exit(code);
    v[c - CLI_FILTER_OPT] = arg;
    return 1;
}

const char cli_filter_help[] = N_("  --status S       new, dispatched, accepted, on_site, resolved, closed, returned,\n"
    "                   cancelled, or open (every state but closed and cancelled);\n"
    "                   several with commas\n"
    "  --district D     district code or Chinese name (e.g. PJ or 蓬江区)\n"
    "  --grid G         grid code or Chinese name\n"
    "  --category C     category code or Chinese name\n"
    "  --department D   department code or Chinese name\n"
    "  --mediator ID    staff id of the mediator\n"
    "  --priority N     1 (urgent) to 4\n"
    "  --older-than D   in the current state longer than D: 90m, 2h, 7d, 1w\n");

void cli_print_usage(const struct cli_cmd *cmd, FILE *out)
{
    for (int i = 0; i < 4 && cmd->usage[i]; i++)
        fputs(_(cmd->usage[i]), out);
}
