#ifndef GRIDDESK_FEED_H
#define GRIDDESK_FEED_H

#include <stddef.h>
#include <stdint.h>

/* The live feed's watermark. Event ids are taken at insert and become
 * visible at commit, so "id > highest seen" would skip a slow writer for
 * ever. Instead each event carries its writing transaction's id (xid8), and
 * the reader keeps the horizon: the snapshot xmin of its previous read.
 * Every transaction below it has ended, so its events were visible to that
 * read; each read asks for events with xid >= horizon and skips the ids it
 * has already applied. The overlap is only the transactions in flight. */

struct feed_seen {
    int64_t id;
    uint64_t xid;
};

struct feed {
    uint64_t horizon;        /* 0 until the first read */
    struct feed_seen *seen;  /* applied events with xid >= horizon, by id; owned */
    size_t nseen, cap;
    int64_t newest;          /* highest event id applied */
};

void feed_init(struct feed *f);
void feed_free(struct feed *f);

/* Was this event applied already? If not, remember it and return 1. */
int feed_take(struct feed *f, int64_t id, uint64_t xid);

/* The read is complete and its snapshot xmin was xmin: forget what lies
 * below it and move the horizon. */
void feed_advance(struct feed *f, uint64_t xmin);

/* The SQL of one read, as the console sends it: $1 is the horizon
 * (decimal), $2 to $6 the view's filters (gd_queue_changes). */
extern const char feed_sql[];

#endif
