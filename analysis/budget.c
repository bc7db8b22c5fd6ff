#include "analysis/budget.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "sim/xalloc.h"

/* The pilot stops doubling its horizon once a replication takes this much CPU time. */
#define PILOT_SECONDS 0.02
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
    double h = sc->horizon / 1048576.0;
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

void budget_add(struct budget *b, const struct scenario *sc, long reps, long copies, bool run_pilot)
{
    b->result_bytes += (double)copies * (double)reps * bytes_per_replication(sc);
    double per_thread = 8.0 * sc->n_series * (double)sc->n_points + 8.0 * sc->n_metrics;
    if (per_thread > b->thread_bytes) {
        b->thread_bytes = per_thread;
    }
    b->replications += copies * reps;
    /* No pilot for an experiment refused for its memory anyway. */
    double machine = machine_bytes();
    if (machine > 0 && b->result_bytes > machine) {
        run_pilot = false;
    }
    if (!run_pilot || b->seconds < 0) {
        if (!run_pilot) {
            b->seconds = -1;
            b->events = -1;
        }
        return;
    }
    double rate, cost;
    if (!pilot(sc, &rate, &cost)) {
        b->seconds = -1;
        b->events = -1;
        return;
    }
    double events = rate * sc->horizon * (double)reps * (double)copies;
    b->events += events;
    b->seconds += events * cost;
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
    if (par > (double)b->replications && b->replications > 0) {
        par = (double)b->replications;
    }
    return b->seconds / par;
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
    char mem[32], t[32], ev[48];
    bytes_text(total_bytes(b), mem, sizeof mem);
    count_text(b->events, ev, sizeof ev);
    if (b->seconds < 0) {
        snprintf(buf, n, "memory about %s for the results; time unknown (no pilot run)", mem);
        return;
    }
    time_text(wall_seconds(b), t, sizeof t);
    snprintf(buf, n,
             "memory about %s for the results, time about %s on %d thread%s (%s events, from a "
             "pilot replication)",
             mem, t, b->threads, b->threads == 1 ? "" : "s", ev);
}

enum budget_verdict budget_judge(const struct budget *b, char *msg, size_t n)
{
    char need[32], have[32], t[32], ev[48];
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
        snprintf(msg + len, n - len,
                 "%swill take about %s on %d thread%s (%s events, from a pilot replication); "
                 "lower the replications or the horizon, or add threads (-j)",
                 len ? ", and " : "", t, b->threads, b->threads == 1 ? "" : "s", ev);
        v = BUDGET_WARN;
    }
    return v;
}
