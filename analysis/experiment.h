/*
 * experiment — runs the replications of a scenario, on threads, reproducibly.
 *
 * Replication r always runs with seeds derived from (scenario seed, r), and its metrics land in
 * row r of the result matrix whatever thread ran it and whenever it finished, so the results
 * are byte-identical for any number of threads. Threads take the next replication from a shared
 * counter; nothing else is shared while running.
 *
 * Ownership: experiment_run() allocates res->metrics (reps x n_metrics, row-major); free it
 * with experiment_result_fini().
 */
#ifndef CCSIM_ANALYSIS_EXPERIMENT_H
#define CCSIM_ANALYSIS_EXPERIMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "models/model.h"

struct experiment_spec {
    const struct scenario *sc;
    long replications;
    uint64_t seed;
    int threads;        /* >= 1 */
    bool show_progress; /* draw a progress bar on stderr */
};

struct experiment_result {
    long replications;
    int n_metrics;
    double *metrics;       /* [r * n_metrics + m] */
    double *series;        /* [(r * n_series + s) * n_points + k], NULL when none */
    int n_series, n_points;
    uint64_t n_events;     /* over all replications */
    uint64_t n_entities;   /* completed after warm-up, over all replications */
    double wall_seconds;   /* elapsed time of the whole run */
    char err[256];         /* the first failure, in replication order */
};

/* Runs every replication. Returns 0, or 1 if a replication failed (res->err says which and
 * why; the lowest-numbered failure is reported whatever the thread count). */
int experiment_run(const struct experiment_spec *spec, struct experiment_result *res);
void experiment_result_fini(struct experiment_result *res);

#endif
