#ifndef GRIDDESK_IMPORT_H
#define GRIDDESK_IMPORT_H

/* gridctl import, in three parts: finding where records end
 * (records.h), streaming them into COPY with each record's line and bytes
 * checked (import_stream.c), and reporting what the rules found
 * (import_report.c). cmd_import.c reads the options and holds it together. */

#include "griddesk/cli.h"

#include <iconv.h>
#include <stdio.h>
#include <sys/types.h>

enum { IMPORT_MAX_COLS = 40 };

struct import {
    struct cli *cli;
    const char *kind, *path, *encoding, *rejects;
    int dry_run, skip_bad;
    FILE *in;
    off_t size;              /* of the file, 0 when unknown (a pipe) */
    char *cols[IMPORT_MAX_COLS];    /* the header's columns, as the staging table names them */
    int ncols;
    long *lines;             /* file line of each record sent, for COPY's messages */
    size_t nrec, caprec;
    long line;               /* file line the next record starts on */
    /* the file's own lines of the first record whose non-ASCII bytes are
     * not valid in the declared encoding; and, when that is not UTF-8, of
     * the first that is UTF-8 and of the first that is not */
    long bad_line, utf8_line, other_line;
    iconv_t declared, utf8;
    double next_progress;
};

/* The file through COPY into the staging table: the header checked against
 * the kind's columns, each record staged with its line. CLI_OK, or a
 * refusal said. */
int import_stream(struct import *im);

/* Run the rules over the staged rows, report the bad ones, write the
 * rejects file, commit or roll back, and print the summary. */
int import_finish(struct import *im);

#endif
