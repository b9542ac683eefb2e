/* libFuzzer: CSV record boundaries, as gridctl import finds them in any
 * bytes a file may hold. Records cover the input exactly, in order. */
#include "griddesk/records.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    size_t used = 0;
    struct record r;
    char name[64];
    while (record_next(buf + used, size - used, 1, &r)) {
        if (r.len == 0 || r.len > size - used || r.body > r.len || r.fields < 1)
            abort();
        for (int i = 0; i < r.fields && i < 8; i++)
            (void)record_field(buf + used, r.body, i, name, sizeof name);
        used += r.len;
    }
    if (used != size)
        abort();
    return 0;
}
