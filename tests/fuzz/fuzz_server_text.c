/* libFuzzer: a server message rebuilt in the interface language. Any
 * message comes back as some string, and one no template fits comes back
 * as it was. */
#include "griddesk/i18n.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    char *out = i18n_server_text(s);
    char *parts = i18n_server_parts(s);
    if (out == NULL || parts == NULL)
        abort();
    free(out);
    free(parts);
    free(s);
    return 0;
}
