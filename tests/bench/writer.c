/* Benchmark writer: reports at a steady rate, one transaction each, and
 * prints "commit SENT_NS DONE_NS EVENT_ID" per report (CLOCK_REALTIME), so
 * a listener's or the console's trace can be matched to it. With "spread",
 * the reports go round every grid of the city; else all to one grid. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int ok(PGconn *c, PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "writer: %s", PQerrorMessage(c));
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fputs("usage: writer RATE SECONDS TAG [spread]\n", stderr);
        return 2;
    }
    int spread = argc > 4 && strcmp(argv[4], "spread") == 0;
    double rate = atof(argv[1]), secs = atof(argv[2]);
    const char *tag = argv[3];
    PGconn *c = PQconnectdb("");
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "writer: %s", PQerrorMessage(c));
        return 3;
    }
    long n = (long)(rate * secs);
    /* a stride through the grids that visits every district and street in
     * turn, not one street's grids after another */
    PGresult *grids = PQexec(c, spread ? "SELECT code FROM areas WHERE level = 'grid' ORDER BY code"
                                       : "SELECT 'PJ01-01-01'");
    if (!ok(c, grids))
        return 3;
    int ngrids = PQntuples(grids);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long i = 0; i < n; i++) {
        char title[64];
        snprintf(title, sizeof title, "%s-%ld", tag, i);
        const char *p[] = { title, PQgetvalue(grids, (int)((i * 7919) % ngrids), 0) };
        PGresult *r = PQexec(c, "BEGIN");
        if (!ok(c, r))
            return 3;
        PQclear(r);
        r = PQexecParams(c, "SELECT gd_report($2, 'hazard.fall', $1),"
                            " currval('events_id_seq')", 2, NULL, p, NULL, NULL, 0);
        if (!ok(c, r))
            return 3;
        char id[32];
        snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 1));
        PQclear(r);
        unsigned long long sent = now_ns();
        r = PQexec(c, "COMMIT");
        unsigned long long done = now_ns();
        if (!ok(c, r))
            return 3;
        PQclear(r);
        printf("commit %llu %llu %s\n", sent, done, id);
        long ns = next.tv_nsec + (long)(1e9 / rate);
        next.tv_sec += ns / 1000000000L;
        next.tv_nsec = ns % 1000000000L;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) != 0)
            ;
    }
    PQclear(grids);
    PQfinish(c);
    return 0;
}
