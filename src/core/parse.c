#include "griddesk/parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* a finite number at s, no sign, at least 0; *end after it */
static int number(const char *s, double *v, char **end)
{
    if (!((*s >= '0' && *s <= '9') || *s == '.'))
        return -1;
    errno = 0;
    double x = strtod(s, end);
    if (*end == s || errno || !isfinite(x) || x < 0)
        return -1;
    *v = x;
    return 0;
}

int parse_duration(const char *s, double *seconds)
{
    char *end;
    double v, unit = 1;
    if (s == NULL || number(s, &v, &end) < 0)
        return -1;
    if (*end != '\0') {
        switch (*end) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return -1;
        }
        if (end[1] != '\0')
            return -1;
    }
    if (v * unit > 100.0 * 365 * 86400)
        return -1;
    *seconds = v * unit;
    return 0;
}

int parse_rate(const char *s, double *per_second)
{
    char *end;
    double v, per = 1;
    if (s == NULL || number(s, &v, &end) < 0)
        return -1;
    if (*end == '/') {
        if (strcmp(end + 1, "s") == 0)
            per = 1;
        else if (strcmp(end + 1, "m") == 0)
            per = 60;
        else if (strcmp(end + 1, "h") == 0)
            per = 3600;
        else
            return -1;
    } else if (*end != '\0') {
        return -1;
    }
    if (v <= 0 || v / per > 1e6)
        return -1;
    *per_second = v / per;
    return 0;
}

int parse_mix(const char *s)
{
    int positive = 0;
    if (s == NULL || *s == '\0')
        return -1;
    for (;;) {
        size_t name = strspn(s, "abcdefghijklmnopqrstuvwxyz_");
        if (name == 0 || s[name] != ':')
            return -1;
        char *end;
        double w;
        if (number(s + name + 1, &w, &end) < 0 || w > 1e6)
            return -1;
        positive |= w > 0;
        if (*end == '\0')
            break;
        if (*end != ',')
            return -1;
        s = end + 1;
    }
    return positive ? 0 : -1;
}
