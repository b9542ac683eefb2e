/* libFuzzer: the -d argument, as gridctl and griddesk pass it to libpq. */
#include "griddesk/conn.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    struct conn_params p;
    char *err = NULL;
    /* the arrays borrow from s: nothing to free on success */
    if (conn_params_init(&p, s, "fuzz", &err) < 0 && err == NULL)
        abort(); /* a refusal always says why */
    free(err);
    free(s);
    return 0;
}
