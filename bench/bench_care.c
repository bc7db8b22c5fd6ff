/*
 * bench_care — the care-coordination model on the shipped baseline region.
 *
 * Runs tests/fixtures/care/region_30y.cfg (the baseline region from empty, with its values
 * before calibration, kept fixed so that the figures stay comparable) for 10 simulated years
 * (5 of warm-up, 5 observed: the fixture's own 30 years would make this the longest benchmark)
 * with 20 replications on 1 and on 2 threads, and prints wall time, events, events per second,
 * clients simulated and peak memory (maximum resident set from getrusage()). Scenario loading
 * is excluded from the time; writing results is not part of it either.
 *
 * Usage: bench_care [SCENARIO]
 */
#include <stdio.h>
#include <stdlib.h>

#include <sys/resource.h>

#include "analysis/experiment.h"
#include "analysis/progress.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "tests/fixtures/care/region_30y.cfg";
    struct cfg c;

    sim_fail_install_gsl_handler();
    cfg_init(&c);
    bool ok =
        cfg_load_file(&c, path) && cfg_set(&c, "horizon=3652.5") && cfg_set(&c, "warmup=1826.25");
    struct scenario *sc = ok ? scenario_load(&c) : NULL;
    if (!sc) {
        diag_print(&c.diag, stderr);
        return 1;
    }
    printf("care model, %s: horizon %.0f days (warm-up %.0f), 20 replications\n\n", path,
           sc->horizon, sc->warmup);
    printf("%-8s %10s %14s %14s %12s %10s\n", "threads", "seconds", "events", "events/s", "clients",
           "peak MB");
    for (int threads = 1; threads <= 2; threads++) {
        struct experiment_spec spec = {
            .sc = sc, .replications = 20, .seed = sc->seed, .threads = threads};
        struct experiment_result res;
        double t0 = progress_now();
        if (experiment_run(&spec, &res) != 0) {
            fprintf(stderr, "bench_care: %s\n", res.err);
            return 1;
        }
        double secs = progress_now() - t0;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("%-8d %10.3f %14llu %14.3g %12llu %10.1f\n", threads, secs,
               (unsigned long long)res.n_events, (double)res.n_events / secs,
               (unsigned long long)res.n_entities, ru.ru_maxrss / 1024.0);
        experiment_result_fini(&res);
    }
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}
