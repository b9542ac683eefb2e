#include "griddesk/feed.h"
#include "griddesk/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* prepared once per connection: a notification costs no planning */
const char feed_sql[] =
    "SELECT e.id, e.case_id, e.kind, c.priority, e.xid::text,"
    " pg_snapshot_xmin(pg_current_snapshot())::text, c.ref"
    " FROM events e JOIN cases c ON c.id = e.case_id"
    " WHERE e.xid >= $1::xid8 ORDER BY e.id";

void feed_init(struct feed *f)
{
    memset(f, 0, sizeof *f);
}

void feed_free(struct feed *f)
{
    free(f->seen);
    memset(f, 0, sizeof *f);
}

int feed_take(struct feed *f, int64_t id, uint64_t xid)
{
    for (size_t i = 0; i < f->nseen; i++)
        if (f->seen[i].id == id)
            return 0;
    if (f->nseen == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->seen = xrealloc(f->seen, f->cap * sizeof *f->seen);
    }
    f->seen[f->nseen++] = (struct feed_seen){ id, xid };
    if (id > f->newest)
        f->newest = id;
    return 1;
}

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
