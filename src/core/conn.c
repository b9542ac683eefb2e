#include "griddesk/conn.h"
#include "griddesk/xalloc.h"

#include <libpq-fe.h>
#include <limits.h>
#include <unistd.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static int looks_like_conninfo(const char *s)
{
    return strchr(s, '=') != NULL || strncmp(s, "postgresql://", 13) == 0
        || strncmp(s, "postgres://", 11) == 0;
}

static int env_set(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && *v != '\0';
}

/* Is the conninfo or URI well formed? -1, with libpq's first line, if not. */
static int conninfo_parses(const char *arg, char **err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(arg, &msg);
    if (opts == NULL) {
        char *nl;
        *err = xstrdup(msg ? msg : "out of memory");
        if ((nl = strchr(*err, '\n')) != NULL)
            *nl = '\0';
        PQfreemem(msg);
        return -1;
    }
    PQconninfoFree(opts);
    return 0;
}

int conn_params_init(struct conn_params *p, const char *arg, const char *appname, char **err)
{
    int n = 0;
    *err = NULL;
    memset(p, 0, sizeof *p);
    /* defaults first: the user's conninfo, expanded after them, wins */
    static const char *const defaults[][2] = {
        { "keepalives", "1" }, { "keepalives_idle", "10" }, { "keepalives_interval", "5" },
        { "keepalives_count", "3" }, { "tcp_user_timeout", "25000" },
    };
    for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) {
        p->keys[n] = defaults[i][0];
        p->values[n++] = defaults[i][1];
    }
    if (arg != NULL && *arg != '\0') {
        if (looks_like_conninfo(arg) && conninfo_parses(arg, err) < 0)
            return -1;
        p->keys[n] = "dbname";
        p->values[n++] = arg;
    }
    /* The default database goes where libpq looks last for one, as
     * PGDATABASE: below the -d string and below a service (-d service=NAME
     * or PGSERVICE) that names its own, as psql would have it. */
    if (!env_set("PGDATABASE"))
        setenv("PGDATABASE", CONN_DEFAULT_DBNAME, 1);
    p->keys[n] = "fallback_application_name";
    p->values[n++] = appname;
    p->keys[n] = "client_encoding";
    p->values[n++] = "UTF8";
    return 0;
}

int conn_params_add(struct conn_params *p, const char *key, const char *value)
{
    size_t n = 0, cap = sizeof p->keys / sizeof *p->keys;
    while (n < cap && p->keys[n])
        n++;
    if (n + 1 >= cap) /* one slot stays NULL: the end */
        return -1;
    p->keys[n] = key;
    p->values[n] = value;
    return 0;
}

const char *conn_local_zone(void)
{
    static char zone[PATH_MAX];
    const char *tz = getenv("TZ");
    if (env_set("PGTZ"))
        return NULL;
    if (tz && *tz) {
        snprintf(zone, sizeof zone, "%s", tz[0] == ':' ? tz + 1 : tz);
        return zone;
    }
    char link[PATH_MAX];
    ssize_t n = readlink("/etc/localtime", link, sizeof link - 1);
    if (n <= 0)
        return NULL;
    link[n] = '\0';
    const char *at = strstr(link, "zoneinfo/");
    if (at == NULL)
        return NULL;
    snprintf(zone, sizeof zone, "%s", at + strlen("zoneinfo/"));
    return zone;
}
