#include "griddesk/feed.h"
#include "griddesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* prepared once per connection: a notification costs no planning */
const char feed_sql[] = "SELECT * FROM gd_queue_changes($1::xid8, $2, $3, $4, $5, $6)";

void feed_init(struct feed *f)
{
    memset(f, 0, sizeof *f);
}

void feed_free(struct feed *f)
{
    free(f->seen);
    memset(f, 0, sizeof *f);
}

/* The applied set is kept in id order: a read returns its rows by id, so a
 * new id almost always goes at the end, and a burst of 10,000 events costs
 * 10,000 binary searches, not 50 million comparisons. */
int feed_take(struct feed *f, int64_t id, uint64_t xid)
{
    size_t lo = 0, hi = f->nseen;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->seen[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < f->nseen && f->seen[lo].id == id)
        return 0;
    if (f->nseen == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->seen = xrealloc(f->seen, f->cap * sizeof *f->seen);
    }
    memmove(f->seen + lo + 1, f->seen + lo, (f->nseen - lo) * sizeof *f->seen);
    f->seen[lo] = (struct feed_seen){ id, xid };
    f->nseen++;
    if (id > f->newest)
        f->newest = id;
    return 1;
}

/* compaction keeps the id order feed_take relies on */
void feed_advance(struct feed *f, uint64_t xmin)
{
    size_t keep = 0;
    for (size_t i = 0; i < f->nseen; i++)
        if (f->seen[i].xid >= xmin)
            f->seen[keep++] = f->seen[i];
    f->nseen = keep;
    if (xmin > f->horizon)
        f->horizon = xmin;
}
