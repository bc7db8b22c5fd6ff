/*
 * bench_mmc — kernel throughput and memory on the M/M/c reference workload (PEERS.md W1).
 *
 * W1a: Poisson arrivals at 9 per hour, 10 servers with exponential service of mean 1 hour,
 * FIFO, unlimited queue, horizon 80,000 h with 1,000 h warm-up; W1b the same at 9.5 per hour.
 * Each measurement runs one replication in a fresh process on one thread and times the
 * simulation call alone (scenario loading excluded), as the peers' figures do. Events are the
 * kernel's executed events (arrival and end of service: two per customer); customers are those
 * who completed service after warm-up... and before: the figure divides completions over the
 * whole run by the time of the whole run. Peak memory is the process's maximum resident set,
 * read from getrusage(); runs at 10x the horizon show whether it grows with the horizon.
 *
 * Usage: bench_mmc            the table (spawns itself once per row)
 *        bench_mmc ONE LAMBDA HORIZON   one row's measurement, printed as numbers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

#include "analysis/progress.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

static const char text_fmt[] =
    "model = \"network\"; horizon = %.17g; warmup = 1000.0; replications = 2; seed = 1;\n"
    "network = {\n"
    "  arrivals = ( { to = \"desk\"; interarrival = { dist = \"exponential\"; mean = %.17g; }; } "
    ");\n"
    "  stations = ( { name = \"desk\"; servers = 10;\n"
    "                 service = { dist = \"exponential\"; mean = 1.0; }; } );\n"
    "};\n";

static int measure(double lambda, double horizon)
{
    char text[1024];
    struct cfg c;

    snprintf(text, sizeof text, text_fmt, horizon, 1.0 / lambda);
    cfg_init(&c);
    struct scenario *sc = cfg_load_string(&c, "bench", text) ? scenario_load(&c) : NULL;
    if (!sc) {
        diag_print(&c.diag, stderr);
        return 1;
    }
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    struct model_run out = {.metrics = metrics};
    double t0 = progress_now();
    if (scenario_run(sc, sc->seed, 0, &out) != 0) {
        fprintf(stderr, "bench: %s\n", out.err);
        return 1;
    }
    double secs = progress_now() - t0;
    /* Completions over the whole run: throughput after warm-up times the horizon is within a
     * fraction of a percent of it; use the event count, two per customer, for the exact one. */
    double customers = (double)out.n_events / 2.0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.0f %llu %.6f %ld %.6f\n", customers, (unsigned long long)out.n_events, secs,
           ru.ru_maxrss, metrics[0]);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}

struct row {
    const char *name;
    double lambda;
    double horizon;
};

int main(int argc, char **argv)
{
    static const struct row rows[] = {
        {"W1a  rho 0.90", 9.0, 80000},
        {"W1b  rho 0.95", 9.5, 80000},
        {"W1a  rho 0.90", 9.0, 800000},
    };
    enum { REPEATS = 5 };

    sim_fail_install_gsl_handler();
    if (argc == 4 && strcmp(argv[1], "ONE") == 0) {
        return measure(atof(argv[2]), atof(argv[3]));
    }
    printf("ccsim kernel benchmark: M/M/10, one replication per process, one thread\n");
    printf("(median of %d runs; events and customers per second of simulation time)\n\n", REPEATS);
    printf("%-15s %9s %11s %12s %9s %13s %13s %9s %9s\n", "workload", "horizon", "customers",
           "events", "seconds", "events/s", "customers/s", "peak MB", "Wq (h)");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double secs[REPEATS], customers = 0, wq = 0;
        unsigned long long events = 0;
        long rss = 0;
        for (int k = 0; k < REPEATS; k++) {
            char cmd[4096];
            snprintf(cmd, sizeof cmd, "%s ONE %.17g %.17g", argv[0], rows[i].lambda,
                     rows[i].horizon);
            FILE *p = popen(cmd, "r");
            if (!p ||
                fscanf(p, "%lf %llu %lf %ld %lf", &customers, &events, &secs[k], &rss, &wq) != 5) {
                fprintf(stderr, "bench: measurement failed: %s\n", cmd);
                return 1;
            }
            pclose(p);
        }
        /* Median by insertion sort of five values. */
        for (int a = 1; a < REPEATS; a++) {
            for (int b = a; b > 0 && secs[b] < secs[b - 1]; b--) {
                double t = secs[b];
                secs[b] = secs[b - 1];
                secs[b - 1] = t;
            }
        }
        double s = secs[REPEATS / 2];
        printf("%-15s %9.0f %11.0f %12llu %9.3f %13.0f %13.0f %9.1f %9.4f\n", rows[i].name,
               rows[i].horizon, customers, events, s, (double)events / s, customers / s,
               (double)rss / 1024.0, wq);
    }
    printf("\nexact Wq: W1a 0.668732 h, W1b 1.651171 h (Erlang C)\n");
    return 0;
}
