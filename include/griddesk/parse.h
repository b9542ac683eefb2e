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

#endif
