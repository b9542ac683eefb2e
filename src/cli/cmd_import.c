/* gridctl import: a CSV file into the database, all or nothing.
 *
 * The file streams through COPY into a staging table (import_stream.c);
 * gd_import_run then checks every row in SQL and inserts the good ones, and
 * we commit only when nothing was bad, or when --skip-bad says to keep the
 * good rows (import_report.c). This file reads the options and sets up the
 * session. */
#include "griddesk/import.h"
#include "griddesk/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int encoding_name(struct cli *cli, const char *arg, const char **out)
{
    static const char *const names[][2] = {
        { "utf8", "UTF8" }, { "utf-8", "UTF8" }, { "gb18030", "GB18030" }, { "gbk", "GBK" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(arg, names[i][0]) == 0) {
            *out = names[i][1];
            return CLI_OK;
        }
    return cli_fail(cli, CLI_USAGE, _("unknown --encoding \"%s\": one of UTF8, GB18030, GBK"), arg);
}

/* The options into im: CLI_OK, or a usage error said. */
static int options(struct import *im, int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_LONGOPTS,
        { "encoding", required_argument, NULL, 'e' },
        { "dry-run", no_argument, NULL, 'n' },
        { "skip-bad", no_argument, NULL, 's' },
        { "rejects", required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    struct cli *cli = im->cli;
    int c, code;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS, opts, NULL)) != -1) {
        if (cli_common_opt(cli, &cmd_import, c, optarg))
            continue;
        switch (c) {
        case 'e':
            if ((code = encoding_name(cli, optarg, &im->encoding)))
                return code;
            break;
        case 'n': im->dry_run = 1; break;
        case 's': im->skip_bad = 1; break;
        case 'r': im->rejects = optarg; break;
        default: return cli_usage_error(cli, &cmd_import);
        }
    }
    if (argc - optind != 2)
        return cli_fail(cli, CLI_USAGE, _("name what to import and the file: "
                        "gridctl import grids|departments|staff|cases FILE"));
    im->kind = argv[optind];
    im->path = argv[optind + 1];
    if (strcmp(im->kind, "grids") && strcmp(im->kind, "departments") && strcmp(im->kind, "staff")
        && strcmp(im->kind, "cases"))
        return cli_fail(cli, CLI_USAGE, _("cannot import \"%s\": one of grids, departments, staff, cases"),
                        im->kind);
    if (im->skip_bad && !im->rejects)
        return cli_fail(cli, CLI_USAGE, _("--skip-bad needs --rejects FILE, so no bad row is lost"));
    if (cli->format == CLI_CSV)
        return cli_fail(cli, CLI_USAGE, _("import prints a summary: --format table or json"));
    return CLI_OK;
}

/* The file, its size when it has one, and the converters that check its
 * bytes (import_stream.c). */
static int open_input(struct import *im)
{
    if (strcmp(im->path, "-") == 0) {
        im->in = stdin;
        im->path = "stdin";
    } else if ((im->in = fopen(im->path, "rb")) == NULL) {
        return cli_fail(im->cli, CLI_USAGE, _("cannot open %s: %s"), im->path, strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(im->in), &st) == 0 && S_ISREG(st.st_mode))
        im->size = st.st_size;
    im->declared = iconv_open("UTF-8", strcmp(im->encoding, "UTF8") == 0 ? "UTF-8" : im->encoding);
    if (im->declared == (iconv_t)-1)
        return cli_fail(im->cli, CLI_DB, _("cannot read %s as %s: %s"), im->path, im->encoding,
                        strerror(errno));
    if (strcmp(im->encoding, "UTF8") != 0)
        im->utf8 = iconv_open("UTF-8", "UTF-8");
    return CLI_OK;
}

/* Connected, with room for the staging table, inside the transaction. The
 * staging table is temporary: it lives in the session's own buffers, which
 * are 8 MB unless asked for before its first use; the checked rows are held
 * once more while they are written. Room for the file in both keeps a
 * million rows off the disk. A pipe's size is unknown: the server's
 * defaults then. */
static int prepare_session(struct import *im)
{
    int code = cli_connect(im->cli);
    long mb = (long)(im->size >> 20);
    if (code == CLI_OK && mb > 0) {
        char buffers[24], mem[24];
        snprintf(buffers, sizeof buffers, "%ldMB", mb * 2 + 16 > 4096 ? 4096 : mb * 2 + 16);
        snprintf(mem, sizeof mem, "%ldMB", mb * 2 + 64 > 2048 ? 2048 : mb * 2 + 64);
        const char *params[] = { buffers, mem };
        PQclear(cli_exec(im->cli, "SELECT set_config('temp_buffers', $1, false),"
                         " set_config('work_mem', $2, false)", 2, params, &code));
    }
    if (code == CLI_OK)
        PQclear(cli_exec(im->cli, "BEGIN", 0, NULL, &code));
    return code;
}

static void import_free(struct import *im)
{
    if (im->in && im->in != stdin)
        fclose(im->in);
    if (im->declared != (iconv_t)-1)
        iconv_close(im->declared);
    if (im->utf8 != (iconv_t)-1)
        iconv_close(im->utf8);
    for (int i = 0; i < im->ncols; i++)
        free(im->cols[i]);
    free(im->lines);
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct import im = { .cli = cli, .encoding = "UTF8", .line = 1, .declared = (iconv_t)-1,
                          .utf8 = (iconv_t)-1 };
    int code = options(&im, argc, argv);
    if (code == CLI_OK)
        code = open_input(&im);
    if (code == CLI_OK)
        code = prepare_session(&im);
    if (code == CLI_OK && (code = import_stream(&im)) == CLI_OK) {
        code = import_finish(&im); /* says itself what it kept */
    } else if (code != CLI_USAGE) {
        if (cli->conn && PQtransactionStatus(cli->conn) != PQTRANS_IDLE)
            PQclear(PQexec(cli->conn, "ROLLBACK"));
        fprintf(stderr, _("gridctl import: nothing was changed\n"));
    }
    import_free(&im);
    return code;
}

const struct cli_cmd cmd_import = {
    "import", N_("load grids, departments, staff or cases from a CSV file"),
    { N_("usage: gridctl import grids|departments|staff|cases FILE [--encoding E] [--dry-run]\n"
    "                      [--skip-bad --rejects FILE] [--format table|json] [-d CONNINFO]\n"
    "\n"
    "Load a CSV file with a header row naming its columns (any order; see\n"
    "gridctl(1) for each kind's columns). FILE - reads standard input.\n"
    "All or nothing: if any row is bad, each problem is printed with its line,\n"
    "column and value, and nothing changes. Imported cases get an event each,\n"
    "and open consoles show them at once.\n"
    "\n"
    "  --encoding E     UTF8 (default), GB18030 or GBK (files saved from Excel);\n"
    "                   a file in another encoding, or mixing UTF-8 rows with\n"
    "                   others, is refused, not imported\n"
    "  --dry-run        check everything and say what would happen; change nothing;\n"
    "                   exit 1 if it would not import (a bad row), 0 if it would\n"
    "  --skip-bad       import the good rows; needs --rejects\n"
    "  --rejects FILE   write the bad rows there, with the reason, in the file's\n"
    "                   columns and encoding: fix them and import that file\n"
    "  --format F       table (default) or json: the summary\n") },
    run,
};
