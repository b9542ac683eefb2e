#include "griddesk/parse.h"

#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

/* Does s match the extended regular expression re, case aside? Fills up to
 * n sub-matches. */
static int matches(const char *re, const char *s, regmatch_t *m, size_t n)
{
    regex_t rx;
    if (s == NULL || regcomp(&rx, re, REG_EXTENDED | REG_ICASE | (n ? 0 : REG_NOSUB)) != 0)
        return 0;
    int ok = regexec(&rx, s, n, m, 0) == 0;
    regfree(&rx);
    return ok;
}

int parse_statuses(const char *s)
{
    static const char state[] = "(new|dispatched|accepted|on_site|resolved|closed|returned|cancelled|open)";
    char re[512];
    snprintf(re, sizeof re, "^[[:space:]]*%s[[:space:]]*(,[[:space:]]*(%s[[:space:]]*)?)*$", state, state);
    return matches(re, s, NULL, 0) ? 0 : -1;
}

int parse_priority(const char *s)
{
    return matches("^[[:space:]]*[1-4][[:space:]]*$", s, NULL, 0) ? 0 : -1;
}

int parse_age(const char *s)
{
    return matches("^[[:space:]]*[0-9]{1,6}(\\.[0-9]{1,3})?[[:space:]]*[smhdw]?[[:space:]]*$", s, NULL, 0)
        ? 0 : -1;
}

/* the number at s + m.rm_so */
static int field(const char *s, regmatch_t m)
{
    return m.rm_so < 0 ? 0 : atoi(s + m.rm_so);
}

int parse_when(const char *s)
{
    if (matches("^[[:space:]]*(today|yesterday|tomorrow|now)[[:space:]]*$", s, NULL, 0))
        return 0;
    regmatch_t m[12];
    if (!matches("^[[:space:]]*([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})"
                 "([ T]([0-9]{1,2}):([0-9]{2})(:([0-9]{2})(\\.[0-9]{1,6})?)?)?"
                 "[[:space:]]*(z|[-+][0-9]{2}(:?[0-9]{2})?)?[[:space:]]*$", s, m, 12))
        return -1;
    /* a real day: timegm moves 2026-02-30 to March; a real one stays */
    struct tm t = { .tm_year = field(s, m[1]) - 1900, .tm_mon = field(s, m[2]) - 1,
                    .tm_mday = field(s, m[3]), .tm_hour = field(s, m[5]), .tm_min = field(s, m[6]) };
    int month = t.tm_mon, day = t.tm_mday;
    if (month < 0 || month > 11 || day < 1 || t.tm_hour > 23 || t.tm_min > 59 || field(s, m[8]) > 59
        || timegm(&t) == (time_t)-1
        || t.tm_mon != month || t.tm_mday != day)
        return -1;
    return 0;
}
