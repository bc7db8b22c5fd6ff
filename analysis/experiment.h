/*
 * experiment — runs the replications of a scenario, on threads, reproducibly.
 *
 * Replication r always runs with seeds derived from (scenario seed, r), and its metrics land in
 * row r of the result matrix whatever thread ran it and whenever it finished, so the results
 * are byte-identical for any number of threads. Threads take the next replication from a shared
 * counter; nothing else is shared while running.
 *
 * With a store of kept replications (spec->units, analysis/unitstore.h), a row whose unit is
 * there is copied from it instead of run, and every row run is added to it as it finishes, so
 * that an experiment killed part-way resumes with the same results, byte for byte.
 *
 * Under MPI (analysis/par.h) each experiment's replications are divided among the ranks here
 * and nowhere else: rank k runs every P-th row from the first new one (the end state's row 0 and
 * the --trace journey on rank 0, which writes them), on its own threads, then the ranks exchange
 * their rows (metrics, series, events and entities, exact doubles) and the lowest failure, so
 * that every rank holds the whole result, as one process with -j 1 would, and takes the same
 * next decision (--precision, calibrate's simplex).
 *
 * Ownership: experiment_run() allocates res->metrics (reps x n_metrics, row-major); free it
 * with experiment_result_fini().
 */
#ifndef CCSIM_ANALYSIS_EXPERIMENT_H
#define CCSIM_ANALYSIS_EXPERIMENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/unitstore.h"
#include "models/model.h"

struct experiment_spec {
    const struct scenario *sc;
    long replications;
    uint64_t seed;
    int threads;        /* >= 1 */
    bool show_progress; /* draw a progress bar on stderr */
    FILE *end_state;    /* replication 0 writes its end state there (model_run.end_state); NULL:
                           none; borrowed */
    model_journey_fn *journey; /* replication journey_rep reports every event there
                                  (model_run.journey, --trace); NULL: none */
    void *journey_ctx;
    long journey_rep;
    uint64_t first_rep; /* the model's replication number of row 0 (a PSA draw's clients: its
                           draw times its replications); 0 for every other experiment */
    bool no_series;     /* keep no time series (res->series stays NULL) */
    /* Finished replications kept and reused (analysis/unitstore.h), NULL: none. A row whose
     * unit is in the store is copied from it instead of run; a row run is added to it (the
     * rows with a side output, the end state or a journey, are always run). */
    struct unitstore *units;
    uint64_t units_variant; /* with units: unitstore_fingerprint() of the scenario */
};

struct experiment_result {
    long replications;
    int n_metrics;
    double *metrics; /* [r * n_metrics + m] */
    double *series;  /* [(r * n_series + s) * n_points + k], NULL when none */
    int n_series, n_points;
    uint64_t n_events;   /* over all replications */
    uint64_t n_entities; /* completed after warm-up, over all replications */
    double wall_seconds; /* elapsed time of the whole run */
    char err[256];       /* the first failure, in replication order */
};

/* Runs every replication. Returns 0, or 1 if a replication failed (res->err says which and
 * why; the lowest-numbered failure is reported whatever the thread count). */
int experiment_run(const struct experiment_spec *spec, struct experiment_result *res);
/* Runs replications res->replications .. total - 1 of the same experiment and appends them, so
 * that a run can grow until it is precise enough; rows already there are untouched, and the
 * result is the same as one experiment_run() of total replications. */
int experiment_extend(const struct experiment_spec *spec, struct experiment_result *res,
                      long total);
void experiment_result_fini(struct experiment_result *res);

/* Precision on demand: runs spec->replications, then adds replications until the 95% interval
 * of every headline metric (scenario_is_headline()) has a half-width within precision x |mean|
 * (a metric that is exactly constant counts as precise), or max_reps is reached. The
 * replications added depend only on the results so far, so the outcome is the same for any
 * thread count. Writes a one-line account of how it ended into report. Returns as
 * experiment_run(). */
int experiment_run_precise(const struct experiment_spec *spec, struct experiment_result *res,
                           double precision, long max_reps, bool *reached, char *report,
                           size_t report_len);

#endif
