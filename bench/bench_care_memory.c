/*
 * bench_care_memory — peak memory of one care-model replication against the horizon.
 *
 * Runs one replication of scenarios/care/baseline.cfg (its seed, replication 0, warm-up 365
 * days) at horizons of 10, 100 and 1,000 years (3,652, 36,525 and 365,250 days), each in a fresh
 * process, and prints the clients referred, the events, the time of the simulation call and the
 * peak memory of the process (maximum resident set from getrusage(): the C library, GSL, the
 * loaded scenario and the replication's weekly series included, 5 values a week). The target is
 * memory flat in the horizon: peak at 100 and 1,000 years within 1.5x of that at 10 years.
 * The last column is the weekly series' share, the one part of a replication that grows with
 * the horizon by design. bench/memory_care.sh runs this beside a build of another revision.
 *
 * Usage: bench_care_memory [SCENARIO]               the table (spawns itself once per row)
 *        bench_care_memory ONE SCENARIO HORIZON     one row's measurement, printed as numbers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

#include "analysis/progress.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

static int measure(const char *path, const char *horizon)
{
    char set[64];
    struct cfg c;

    cfg_init(&c);
    bool ok = cfg_load_file(&c, path);
    snprintf(set, sizeof set, "horizon=%s", horizon);
    ok = ok && cfg_set(&c, set) && cfg_set(&c, "warmup=365.0");
    struct scenario *sc = ok ? scenario_load(&c) : NULL;
    if (!sc) {
        diag_print(&c.diag, stderr);
        return 1;
    }
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    double *series = calloc((size_t)sc->n_series * (size_t)sc->n_points + 1, sizeof *series);
    struct model_run out = {.metrics = metrics, .series = sc->n_series > 0 ? series : NULL};
    double t0 = progress_now();
    if (!metrics || !series || scenario_run(sc, sc->seed, 0, &out) != 0) {
        fprintf(stderr, "bench_care_memory: %s\n", out.err);
        return 1;
    }
    double secs = progress_now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double series_mb = (double)sc->n_series * (double)sc->n_points * sizeof *series / 1048576.0;
    printf("%llu %llu %.6f %ld %.3f\n", (unsigned long long)out.n_entities,
           (unsigned long long)out.n_events, secs, ru.ru_maxrss, series_mb);
    free(series);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const horizons[] = {"3652.0", "36525.0", "365250.0"};
    const char *path = argc == 2 ? argv[1] : "tests/fixtures/care/region_30y.cfg";

    sim_fail_install_gsl_handler();
    if (argc == 4 && strcmp(argv[1], "ONE") == 0) {
        return measure(argv[2], argv[3]);
    }
    printf("care model, %s: one replication per process, warm-up 365 days\n\n", path);
    printf("%-6s %10s %10s %12s %9s %9s %8s %10s\n", "years", "horizon", "clients", "events",
           "seconds", "peak MB", "vs 10 y", "series MB");
    double first = 0;
    for (size_t i = 0; i < sizeof horizons / sizeof horizons[0]; i++) {
        char cmd[4096];
        unsigned long long clients = 0, events = 0;
        double secs = 0, series_mb = 0;
        long rss = 0;
        snprintf(cmd, sizeof cmd, "%s ONE %s %s", argv[0], path, horizons[i]);
        FILE *p = popen(cmd, "r");
        if (!p ||
            fscanf(p, "%llu %llu %lf %ld %lf", &clients, &events, &secs, &rss, &series_mb) != 5) {
            fprintf(stderr, "bench_care_memory: measurement failed: %s\n", cmd);
            return 1;
        }
        pclose(p);
        double mb = (double)rss / 1024.0;
        if (i == 0) {
            first = mb;
        }
        printf("%-6.0f %10s %10llu %12llu %9.2f %9.1f %7.2fx %10.1f\n", atof(horizons[i]) / 365.25,
               horizons[i], clients, events, secs, mb, mb / first, series_mb);
    }
    return 0;
}
