/* libFuzzer: what the terminal is shown of outside text. Whatever goes in,
 * what comes out holds no control byte and fits the width asked for. */
#include "griddesk/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        text_locale_init();
        ready = 1;
    }
    if (size == 0)
        return 0;
    int width = data[0] % 40;
    char *s = malloc(size);
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    for (int keep = 0; keep <= TEXT_KEEP_NEWLINES; keep += TEXT_KEEP_NEWLINES) {
        char *clean = text_clean(s, keep);
        for (const unsigned char *p = (const unsigned char *)clean; *p; p++)
            if ((*p < 0x20 && !(keep && *p == '\n')) || *p == 0x7f)
                abort();
        char *cut = text_ellipsize(clean, width);
        if (text_width(cut) > width)
            abort();
        size_t fit = text_fit(clean, width, NULL);
        if (fit > strlen(clean))
            abort();
        free(cut);
        free(clean);
    }
    free(s);
    return 0;
}
