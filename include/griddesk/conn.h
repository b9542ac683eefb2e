#ifndef GRIDDESK_CONN_H
#define GRIDDESK_CONN_H

/* Connection parameters, exactly like psql: -d takes a database name, a
 * conninfo string or a URI; everything it leaves out comes from the libpq
 * environment (PGHOST, PGSERVICE, PGPASSFILE, ...). When nothing names a
 * database (the argument, a service, PGDATABASE), it is "griddesk": set as
 * PGDATABASE in the process's environment, the lowest of libpq's sources. TCP keepalives are on by default (a dropped
 * link is noticed in about 25 s, not hours), unless the conninfo says
 * otherwise. The arrays feed PQconnectdbParams or PQconnectStartParams with
 * expand_dbname = 1. */

#define CONN_DEFAULT_DBNAME "griddesk"

struct conn_params {
    const char *keys[12];
    const char *values[12];
};

/* Fill p from the -d argument (NULL if none). The strings p points to must
 * outlive p: arg and appname are borrowed. Returns 0, or -1 when arg is not a
 * valid conninfo or URI; then *err (caller frees) says why. */
int conn_params_init(struct conn_params *p, const char *arg, const char *appname, char **err);

/* Add key = value after the rest, where it wins (a password typed at a
 * prompt). value is borrowed. Returns 0, or -1 when p is full. */
int conn_params_add(struct conn_params *p, const char *key, const char *value);

/* The operator's time zone name, for the session's TimeZone: $TZ (without
 * a leading ':'), else the zone /etc/localtime points to, else NULL. PGTZ,
 * when set, has already told libpq, and then this returns NULL too.
 * Returns a static buffer. */
const char *conn_local_zone(void);

#endif
