/* CSV record boundaries for gridctl import; see records.h. */
#include "griddesk/records.h"

#include <string.h>

int record_next(const char *buf, size_t n, int at_end, struct record *r)
{
    int in_quote = 0;
    memset(r, 0, sizeof *r);
    r->fields = 1;
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '"') {
            in_quote = !in_quote;
        } else if (c == '\n') {
            if (in_quote) {
                r->newlines++;
                continue;
            }
            r->len = i + 1;
            r->body = i > 0 && buf[i - 1] == '\r' ? i - 1 : i;
            return 1;
        } else if (c == ',' && !in_quote) {
            r->fields++;
        }
    }
    if (!at_end || n == 0)
        return 0;
    r->len = n;
    r->body = buf[n - 1] == '\r' ? n - 1 : n;
    r->open_quote = in_quote;
    return 1;
}

int record_field(const char *body, size_t len, int i, char *out, size_t cap)
{
    size_t start = 0, end;
    int in_quote = 0, k = 0;
    for (end = 0; end <= len; end++) {
        if (end < len && body[end] == '"')
            in_quote = !in_quote;
        if (end < len && (body[end] != ',' || in_quote))
            continue;
        if (k++ == i)
            break;
        start = end + 1;
    }
    if (end > len)
        return -1;
    while (start < end && (body[start] == ' ' || body[start] == '\t'))
        start++;
    while (end > start && (body[end - 1] == ' ' || body[end - 1] == '\t'))
        end--;
    if (end - start >= 2 && body[start] == '"' && body[end - 1] == '"') {
        start++;
        end--;
    }
    if (end - start >= cap)
        return -1;
    memcpy(out, body + start, end - start);
    out[end - start] = '\0';
    return 0;
}

size_t record_prefix(const char *body, size_t len, int nfields)
{
    int in_quote = 0, k = 0;
    for (size_t i = 0; i < len; i++) {
        if (body[i] == '"')
            in_quote = !in_quote;
        else if (body[i] == ',' && !in_quote && ++k == nfields)
            return i;
    }
    return len;
}
