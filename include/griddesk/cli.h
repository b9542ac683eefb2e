#ifndef GRIDDESK_CLI_H
#define GRIDDESK_CLI_H

#include <libpq-fe.h>
#include <getopt.h>
#include <stdio.h>

/* gridctl: one subcommand per src/cli/cmd_*.c, all listed in one table. */

enum cli_exit {
    CLI_OK = 0,
    CLI_REFUSED = 1, /* a rule said no, or the thing named does not exist */
    CLI_USAGE = 2,   /* the command line is wrong */
    CLI_DB = 3,      /* cannot connect, or the database failed */
};

enum cli_format { CLI_TABLE, CLI_CSV, CLI_JSON };

struct cli {
    const char *cmd;      /* subcommand name, for messages */
    const char *dbname;   /* -d argument, borrowed from argv */
    enum cli_format format;
    PGconn *conn;         /* opened by cli_connect, closed by main */
    int tty_out, tty_err; /* stdout / stderr are terminals */
};

struct cli_cmd {
    const char *name;
    const char *summary; /* one line for gridctl --help */
    /* the text of gridctl NAME --help, in parts each translated on its own
     * (shared blocks such as the filters' help are parts of several) */
    const char *usage[4];
    int (*run)(struct cli *cli, int argc, char **argv);
};

extern const struct cli_cmd cmd_migrate, cmd_seed, cmd_report, cmd_list, cmd_show,
    cmd_grids, cmd_categories, cmd_departments, cmd_staff, cmd_simulate, cmd_suggest,
    cmd_assign, cmd_accept, cmd_return, cmd_onsite, cmd_feedback, cmd_resolve, cmd_close,
    cmd_reopen, cmd_cancel, cmd_note, cmd_recategorize, cmd_stats, cmd_deadlines,
    cmd_import, cmd_export, cmd_bulk, cmd_user, cmd_verify, cmd_duplicates, cmd_merge,
    cmd_unmerge, cmd_release;

/* Print the case's status and version after a change (cli_out.c). */
int cli_print_case_state(struct cli *cli, const char *ref);
/* Print the one value a query returns, on a line (cli_out.c). */
int cli_print_scalar(struct cli *cli, const char *sql, int n, const char *const *params);

/* Options every subcommand takes: -d/--dbname, -h/--help, -F/--format. */
#define CLI_COMMON_LONGOPTS                                   \
    { "dbname", required_argument, NULL, 'd' },               \
    { "help", no_argument, NULL, 'h' },                       \
    { "format", required_argument, NULL, 'F' }
#define CLI_COMMON_SHORTOPTS "d:hF:"

/* Handle a common option; returns 1 if c was one, 0 if not. Exits on --help
 * (0) and on a bad --format (2). */
int cli_common_opt(struct cli *cli, const struct cli_cmd *cmd, int c, const char *arg);

/* Print "gridctl CMD: message" on stderr and return code. */
int cli_fail(struct cli *cli, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* For getopt's '?' and stray arguments. */
int cli_usage_error(struct cli *cli, const struct cli_cmd *cmd);

/* Print gridctl NAME --help in the interface language. */
void cli_print_usage(const struct cli_cmd *cmd, FILE *out);

/* Long-running commands (simulate, deadlines): SIGINT and SIGTERM ask them
 * to finish the statement in hand and stop. */
void cli_catch_stop(void);
int cli_stopping(void);

/* Parse an integer option in [lo, hi]; on error prints what and where. */
int cli_int(struct cli *cli, const char *opt, const char *arg, long lo, long hi, long *out);
/* The value of --NAME (status, priority, older-than, since, until), checked
 * as the database would read it: CLI_OK, or a usage error said. */
int cli_check_value(struct cli *cli, const char *name, const char *arg);

/* Open the connection (once). Returns 0 or an exit code after a message. */
int cli_connect(struct cli *cli);

/* Run one parameterised statement. On failure print the server's message and
 * return NULL with *code set (1 for a rule, 3 for the database). Caller
 * PQclear()s the result. */
PGresult *cli_exec(struct cli *cli, const char *sql, int n, const char *const *params, int *code);

/* Print a failed result's message (and detail, hint) on stderr; return the
 * exit code it calls for. */
int cli_report(struct cli *cli, const PGresult *res);

/* Print the rows of sql in cli->format. table_sql (may be NULL: sql) is the
 * human view of the same rows; elastic names the column that gives way when
 * the table is wider than the terminal. Returns an exit code. */
int cli_output(struct cli *cli, const char *sql, const char *table_sql, const char *elastic,
               int n, const char *const *params);

/* Print one row as "label  value" lines, labels padded by display width. */
void cli_print_record(const PGresult *res, int row);

/* Print res as an aligned table (display widths; numbers to the right). */
void cli_print_table(struct cli *cli, const PGresult *res, const char *elastic);

/* A listing: long options that become $1..$n of one SQL query, in order.
 * Options named "limit" must be whole numbers of at least 1. */
struct cli_listing {
    const char *opts[12];     /* long option names, NULL-terminated */
    const char *defaults[12]; /* value when the option is absent (NULL: none) */
    const char *sql;         /* stable keys: JSON and CSV */
    const char *table_sql;   /* the people's view; NULL: sql */
    const char *elastic;     /* column that shrinks to fit the terminal */
};

/* The case filters that list, export and bulk share, in the order the SQL
 * functions take them: --status --district --grid --category --department
 * --mediator --priority --older-than. */
enum { CLI_NFILTERS = 8, CLI_FILTER_OPT = 0x200 };
extern const char *const cli_filter_names[CLI_NFILTERS];
#define CLI_FILTER_LONGOPTS                                                   \
    { "status", required_argument, NULL, CLI_FILTER_OPT + 0 },                \
    { "district", required_argument, NULL, CLI_FILTER_OPT + 1 },              \
    { "grid", required_argument, NULL, CLI_FILTER_OPT + 2 },                  \
    { "category", required_argument, NULL, CLI_FILTER_OPT + 3 },              \
    { "department", required_argument, NULL, CLI_FILTER_OPT + 4 },            \
    { "mediator", required_argument, NULL, CLI_FILTER_OPT + 5 },              \
    { "priority", required_argument, NULL, CLI_FILTER_OPT + 6 },              \
    { "older-than", required_argument, NULL, CLI_FILTER_OPT + 7 }
extern const char cli_filter_help[];

/* Store a filter option (c from CLI_FILTER_LONGOPTS) in v[]; returns 1 if
 * c was one, 0 if not; exits 2 on an empty value. */
int cli_filter_opt(struct cli *cli, int c, const char *arg, const char *v[CLI_NFILTERS]);

/* COPY the rows of sql (a command's constant query with $n parameters) to
 * out as CSV with a header, streaming; encoding NULL: the client's. */
int cli_copy_out(struct cli *cli, FILE *out, const char *sql, int n, const char *const *params);

int cli_run_listing(struct cli *cli, const struct cli_cmd *cmd, const struct cli_listing *l,
                    int argc, char **argv);

#endif
