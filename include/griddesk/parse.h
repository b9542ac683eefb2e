#ifndef GRIDDESK_PARSE_H
#define GRIDDESK_PARSE_H

/* Parsers of values people type on the command line. Each returns 0 and
 * the value, or -1 when the text is not one (nothing is written then). */

/* "90", "90s", "10m", "2h", "7d", "1.5h": seconds, at least 0 */
int parse_duration(const char *s, double *seconds);

/* "200", "200/s", "30/m", "0.5/s": events a second, more than 0 */
int parse_rate(const char *s, double *per_second);

/* "hazard:30,dispute:40": names of [a-z_] and weights >= 0, at least one
 * weight above 0. */
int parse_mix(const char *s);

/* The filters' values, as the database reads them; checked before anything
 * is sent so that a typing mistake is a usage error, database or not.
 * Each returns 0 when s is one, -1 when not. */

/* "open", "new,dispatched": known states separated by commas, any case */
int parse_statuses(const char *s);

/* "1" (urgent) to "4" */
int parse_priority(const char *s);

/* "90m", "2h", "7d", "1w", "1.5 h": a number of up to six digits and three
 * decimals, and a unit s, m, h, d or w (seconds without one) */
int parse_age(const char *s);

/* A time a person types: 2026-12-01 or 2026/12/1, a time of day HH:MM or
 * HH:MM:SS[.frac] after a space or "T", an offset Z, +08, +0800 or +08:00;
 * or today, yesterday, tomorrow, now. A real day of a real month. */
int parse_when(const char *s);

#endif
