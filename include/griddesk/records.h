#ifndef GRIDDESK_RECORDS_H
#define GRIDDESK_RECORDS_H

#include <stddef.h>

/* Where one CSV record ends and how many fields it has, so that gridctl
 * import can set aside a record with the wrong number of fields and name
 * the line of the file it is on. Values are never split or unquoted here:
 * PostgreSQL's COPY parses every record that goes in. The rules are COPY's
 * defaults for CSV: "," between fields, '"' quotes and doubles a quote, a
 * line end inside quotes belongs to the field. Safe for UTF-8, GB18030 and
 * GBK alike: none of them uses the bytes of '"', ',' or '\n' inside a
 * character. */
struct record {
    size_t len;     /* bytes of the record, its line end included */
    size_t body;    /* bytes without the line end ("\n" or "\r\n") */
    int fields;     /* fields in it */
    int newlines;   /* line ends inside quoted fields */
    int open_quote; /* the input ended inside a quoted field */
};

/* The record at the start of buf[0..n). Returns 1 and fills *r; 0 when buf
 * holds no whole record yet and more input may follow (at_end = 0); at the
 * end of input (at_end = 1) what remains is the last record; 0 when n = 0. */
int record_next(const char *buf, size_t n, int at_end, struct record *r);

/* Field i (from 0) of a header record: its bytes with surrounding spaces
 * and one pair of quotes removed, copied into out (at most cap - 1 bytes).
 * Returns 0, or -1 when there is no such field or it does not fit. */
int record_field(const char *body, size_t len, int i, char *out, size_t cap);

/* The bytes of the first nfields fields of a record's body, the comma after
 * them left out (all of it when it has no more). */
size_t record_prefix(const char *body, size_t len, int nfields);

#endif
