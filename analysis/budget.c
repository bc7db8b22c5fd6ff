#include "analysis/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "analysis/par.h"
#include "sim/xalloc.h"

/* The pilot stops doubling its horizon once a replication takes this much CPU time. */
#define PILOT_SECONDS 0.02
/* At most this many points of a sweep or variants of a sensitivity analysis get a pilot. */
#define BUDGET_SAMPLE 8
/* Warn beyond this much estimated wall time. */
#define WARN_SECONDS 3600.0
/* Refuse results that need more than this share of the machine's memory (the rest is the
 * system's, the model's and the writer's), and warn beyond the second. */
#define REFUSE_SHARE 0.75
#define WARN_SHARE   0.4

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void budget_init(struct budget *b, int threads)
{
    memset(b, 0, sizeof *b);
    b->threads = threads < 1 ? 1 : threads;
}

/* Bytes one replication's results take in the experiment's result matrix. */
static double bytes_per_replication(const struct scenario *sc)
{
    return 8.0 * sc->n_metrics + 8.0 * sc->n_series * (double)sc->n_points + 8.0 + 8.0 + 256.0;
}

/* One replication over a short horizon, doubled until it costs PILOT_SECONDS: events per unit
 * of simulated time and CPU seconds per event into the budget's totals. Returns false when the
 * pilot could not run. */
static bool pilot(const struct scenario *sc, double *events_per_time, double *seconds_per_event)
{
    struct scenario p = *sc;
    /* From a short horizon whatever the full one (10^15 days must not make the pilot long):
     * a millionth of it, at most 64 time units, at least one period of the series. */
    double h = sc->horizon / 1048576.0;
    if (h > 64.0) {
        h = 64.0;
    }
    if (sc->ops->series_period > 0 && h < sc->ops->series_period) {
        h = sc->ops->series_period;
    }
    for (int step = 0; step < 64; step++) {
        if (h > sc->horizon) {
            h = sc->horizon;
        }
        p.horizon = h;
        p.warmup = 0;
        p.n_points = sc->n_series > 0 ? (int)floor(h / sc->ops->series_period) : 0;
        double *metrics = xcalloc((size_t)sc->n_metrics + 1, sizeof *metrics);
        double *series = p.n_points > 0
                             ? xcalloc((size_t)sc->n_series * (size_t)p.n_points, sizeof *series)
                             : NULL;
        struct model_run out = {.metrics = metrics, .series = series};
        double t0 = cpu_now();
        int rc = scenario_run(&p, sc->seed, 0, &out);
        double dt = cpu_now() - t0;
        free(metrics);
        free(series);
        if (rc != 0) {
            return false;
        }
        if (dt >= PILOT_SECONDS || h >= sc->horizon) {
            *events_per_time = (double)out.n_events / h;
            *seconds_per_event = out.n_events > 0 ? dt / (double)out.n_events : 0;
            if (out.n_events == 0) {
                *events_per_time = 0;
            }
            return true;
        }
        h *= 2;
    }
    return false;
}

static double machine_bytes(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (double)pages * (double)size : 0;
}

/* Memory for copies runs of reps replications of sc. */
static void add_memory(struct budget *b, const struct scenario *sc, long reps, long copies)
{
    b->result_bytes += (double)copies * (double)reps * bytes_per_replication(sc);
    double per_thread = 8.0 * sc->n_series * (double)sc->n_points + 8.0 * sc->n_metrics;
    if (per_thread > b->thread_bytes) {
        b->thread_bytes = per_thread;
    }
    b->replications += copies * reps;
}

/* Events and CPU seconds of one full replication of sc, from its pilot; false when unknown. */
static bool replication_cost(const struct scenario *sc, double *events, double *seconds)
{
    double rate, cost;
    if (!pilot(sc, &rate, &cost)) {
        return false;
    }
    *events = rate * sc->horizon;
    *seconds = *events * cost;
    return true;
}

static bool too_big_anyway(const struct budget *b)
{
    double machine = machine_bytes();
    return machine > 0 && b->result_bytes > machine;
}

void budget_add(struct budget *b, const struct scenario *sc, long reps, long copies, bool run_pilot)
{
    add_memory(b, sc, reps, copies);
    /* No pilot for an experiment refused for its memory anyway. */
    if (!run_pilot || too_big_anyway(b) || b->seconds < 0) {
        b->seconds = -1;
        b->events = -1;
        return;
    }
    double events, seconds;
    if (!replication_cost(sc, &events, &seconds)) {
        b->seconds = -1;
        b->events = -1;
        return;
    }
    b->events += events * (double)reps * (double)copies;
    b->seconds += seconds * (double)reps * (double)copies;
}

void budget_add_many(struct budget *b, const struct scenario *const *sc, long n, long reps)
{
    long longest = 0;
    for (long i = 0; i < n; i++) {
        add_memory(b, sc[i], reps, 1);
        longest = sc[i]->horizon > sc[longest]->horizon ? i : longest;
    }
    if (too_big_anyway(b) || b->seconds < 0 || n == 0) {
        b->seconds = -1;
        b->events = -1;
        return;
    }
    /* The points that differ most (first, last, longest) and a few between: their mean cost
     * stands for every point's. */
    long pick[BUDGET_SAMPLE];
    int k = 0;
    pick[k++] = 0;
    if (n > 1) {
        pick[k++] = n - 1;
    }
    if (longest != 0 && longest != n - 1) {
        pick[k++] = longest;
    }
    for (int j = 1; k < BUDGET_SAMPLE && j < BUDGET_SAMPLE - 2 && n > BUDGET_SAMPLE; j++) {
        pick[k++] = j * (n - 1) / (BUDGET_SAMPLE - 2);
    }
    if (n <= BUDGET_SAMPLE) {
        k = 0;
        for (long i = 0; i < n; i++) {
            pick[k++] = i;
        }
    }
    double events = 0, seconds = 0;
    for (int j = 0; j < k; j++) {
        double e, s;
        if (!replication_cost(sc[pick[j]], &e, &s)) {
            b->seconds = -1;
            b->events = -1;
            return;
        }
        events += e;
        seconds += s;
    }
    b->events += events / k * (double)n * (double)reps;
    b->seconds += seconds / k * (double)n * (double)reps;
}

static long n_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n;
}

static double wall_seconds(const struct budget *b)
{
    double par = b->threads;
    if (par > (double)n_cpus()) {
        par = (double)n_cpus();
    }
    par *= (double)par_size(); /* under MPI, ranks of as many threads each */
    if (par > (double)b->replications && b->replications > 0) {
        par = (double)b->replications;
    }
    return b->seconds / par;
}

/* "4 threads", or under MPI "3 ranks of 4 threads". */
static void workers_text(const struct budget *b, char *buf, size_t n)
{
    const char *s = b->threads == 1 ? "" : "s";
    if (par_size() > 1) {
        snprintf(buf, n, "%d ranks of %d thread%s", par_size(), b->threads, s);
    } else {
        snprintf(buf, n, "%d thread%s", b->threads, s);
    }
}

static void bytes_text(double x, char *buf, size_t n)
{
    static const char *const units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (x >= 1000.0 && u < 5) {
        x /= 1000.0;
        u++;
    }
    snprintf(buf, n, u == 0 ? "%.0f %s" : "%.3g %s", x, units[u]);
}

static void time_text(double s, char *buf, size_t n)
{
    if (s < 1) {
        snprintf(buf, n, "under a second");
    } else if (s < 90) {
        snprintf(buf, n, "%.0f s", s);
    } else if (s < 5400) {
        snprintf(buf, n, "%.0f min", s / 60);
    } else if (s < 2 * 86400) {
        snprintf(buf, n, "%.1f h", s / 3600);
    } else if (s < 3 * 365.25 * 86400) {
        snprintf(buf, n, "%.0f days", s / 86400);
    } else {
        snprintf(buf, n, "%.3g years", s / (365.25 * 86400));
    }
}

static void count_text(double x, char *buf, size_t n)
{
    static const char *const words[] = {"thousand", "million", "billion", "trillion"};
    if (x < 1e4) {
        snprintf(buf, n, "%.0f", x);
        return;
    }
    if (x >= 1e15) {
        snprintf(buf, n, "%.3g", x);
        return;
    }
    int w = -1;
    while (x >= 1000.0 && w < 3) {
        x /= 1000.0;
        w++;
    }
    snprintf(buf, n, "%.3g %s", x, words[w]);
}

static double total_bytes(const struct budget *b)
{
    return b->result_bytes + (double)b->threads * b->thread_bytes;
}

void budget_describe(const struct budget *b, char *buf, size_t n)
{
    char mem[32], t[32], ev[48], on[64];
    bytes_text(total_bytes(b), mem, sizeof mem);
    count_text(b->events, ev, sizeof ev);
    if (b->seconds < 0) {
        snprintf(buf, n, "memory about %s for the results; time unknown (no pilot run)", mem);
        return;
    }
    time_text(wall_seconds(b), t, sizeof t);
    workers_text(b, on, sizeof on);
    snprintf(buf, n,
             "memory about %s for the results, time about %s on %s (%s events, from a "
             "pilot replication)",
             mem, t, on, ev);
}

enum budget_verdict budget_judge(const struct budget *b, char *msg, size_t n)
{
    char need[32], have[32], t[32], ev[48], on[64];
    double machine = machine_bytes(), total = total_bytes(b);
    enum budget_verdict v = BUDGET_FINE;
    size_t len = 0;

    bytes_text(total, need, sizeof need);
    bytes_text(machine, have, sizeof have);
    msg[0] = '\0';
    if (machine > 0 && total > REFUSE_SHARE * machine) {
        snprintf(msg, n,
                 "needs about %s of memory to hold its results (%ld replications), more than this "
                 "machine can give it (%s in all): lower the replications or the horizon, or run "
                 "it in parts",
                 need, b->replications, have);
        return BUDGET_REFUSE;
    }
    if (machine > 0 && total > WARN_SHARE * machine) {
        len = (size_t)snprintf(msg, n,
                               "needs about %s of memory to hold its results (%ld replications), "
                               "a large part of this machine's %s",
                               need, b->replications, have);
        v = BUDGET_WARN;
    }
    if (b->seconds >= 0 && wall_seconds(b) > WARN_SECONDS && len < n) {
        time_text(wall_seconds(b), t, sizeof t);
        count_text(b->events, ev, sizeof ev);
        workers_text(b, on, sizeof on);
        snprintf(msg + len, n - len,
                 "%swill take about %s on %s (%s events, from a pilot replication); "
                 "lower the replications or the horizon, or add threads (-j)",
                 len ? ", and " : "", t, on, ev);
        v = BUDGET_WARN;
    }
    return v;
}
