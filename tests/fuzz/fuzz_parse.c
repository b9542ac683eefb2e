/* libFuzzer: the parsers of values people type (durations, rates, mixes). */
#include "griddesk/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    double v = -1;
    if (parse_duration(s, &v) == 0 && !(v >= 0))
        abort(); /* a duration that parses is a number of seconds, never negative */
    if (parse_rate(s, &v) == 0 && !(v > 0))
        abort();
    (void)parse_mix(s);
    free(s);
    return 0;
}
