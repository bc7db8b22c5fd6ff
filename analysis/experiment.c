#include "analysis/experiment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "analysis/ci.h"
#include "analysis/par.h"
#include "analysis/progress.h"
#include "sim/xalloc.h"

struct shared {
    const struct experiment_spec *spec;
    struct experiment_result *res;
    struct progress progress;
    pthread_mutex_t lock;
    const long *mine; /* the replications this rank runs, in increasing order */
    long n_mine;
    long next;        /* the next of mine to hand out */
    long first_fail;  /* lowest failed replication, or -1 */
    uint64_t *events; /* per replication */
    uint64_t *entities;
    char (*errs)[256]; /* per replication */
};

static void *worker(void *arg)
{
    struct shared *sh = arg;
    const struct scenario *sc = sh->spec->sc;
    int nm = sc->n_metrics;

    for (;;) {
        pthread_mutex_lock(&sh->lock);
        long r = sh->next < sh->n_mine ? sh->mine[sh->next++] : -1;
        pthread_mutex_unlock(&sh->lock);
        if (r < 0) {
            break;
        }
        size_t per = (size_t)sh->res->n_series * (size_t)sh->res->n_points;
        struct model_run out = {
            .metrics = sh->res->metrics + (size_t)r * (size_t)nm,
            .series = sh->res->series ? sh->res->series + (size_t)r * per : NULL,
            .end_state = r == 0 ? sh->spec->end_state : NULL,
        };
        if (sh->spec->journey && r == sh->spec->journey_rep) {
            out.journey = sh->spec->journey;
            out.journey_ctx = sh->spec->journey_ctx;
        }
        struct unit_key key = {.variant = sh->spec->units_variant,
                               .replication = sh->spec->first_rep + (uint64_t)r,
                               .n_metrics = nm,
                               .n_series = sh->res->n_series,
                               .n_points = sh->res->n_points};
        struct unit_value kept = {.metrics = out.metrics, .series = out.series};
        bool is_kept = sh->spec->units && !out.end_state && !out.journey &&
                       unitstore_get(sh->spec->units, &key, &kept);
        int rc = 0;
        if (is_kept) {
            out.n_events = kept.n_events;
            out.n_entities = kept.n_entities;
        } else {
            rc = scenario_run(sc, sh->spec->seed, (unsigned)(sh->spec->first_rep + (uint64_t)r),
                              &out);
        }
        if (rc == 0 && !is_kept && sh->spec->units) {
            kept.n_events = out.n_events;
            kept.n_entities = out.n_entities;
            /* A unit that could not be kept is only run again by a resumed run. */
            (void)unitstore_put(sh->spec->units, &key, &kept);
        }
        sh->events[r] = out.n_events;
        sh->entities[r] = out.n_entities;
        if (rc != 0) {
            memcpy(sh->errs[r], out.err, sizeof out.err);
            pthread_mutex_lock(&sh->lock);
            if (sh->first_fail < 0 || r < sh->first_fail) {
                sh->first_fail = r;
            }
            /* Stop handing out work: the run has failed. */
            sh->next = sh->n_mine;
            pthread_mutex_unlock(&sh->lock);
        }
        progress_step(&sh->progress, 1);
    }
    return NULL;
}

int experiment_run(const struct experiment_spec *spec, struct experiment_result *res)
{
    memset(res, 0, sizeof *res);
    res->n_metrics = spec->sc->n_metrics;
    res->n_series = spec->no_series ? 0 : spec->sc->n_series;
    res->n_points = spec->no_series ? 0 : spec->sc->n_points;
    return experiment_extend(spec, res, spec->replications);
}

/* The rank that runs replication r of rows first..: every rank's share in turn, but the --trace
 * journey and the end state (row 0) on rank 0, which writes them. The one place where work is
 * divided among ranks. */
static int owner(const struct experiment_spec *spec, long first, long r)
{
    int size = par_size();
    if (size == 1 || r == 0 || (spec->journey && r == spec->journey_rep)) {
        return 0;
    }
    return (int)((r - first) % size);
}

/* The replications of rows first .. total - 1 that this rank runs, in increasing order, into
 * mine; returns how many. */
static long own_rows(const struct experiment_spec *spec, long first, long total, long *mine)
{
    int rank = par_rank();
    long n = 0;
    for (long r = first; r < total; r++) {
        if (owner(spec, first, r) == rank) {
            mine[n++] = r;
        }
    }
    return n;
}

/* Copies n_per values a row of the rows of rank k from (or, with is_out false, into) a packed
 * buffer, in row order. */
static void pack_rows(const struct experiment_spec *spec, long first, long total, int k,
                      double *rows, size_t n_per, double *packed, bool is_out)
{
    size_t at = 0;
    for (long r = first; r < total; r++) {
        if (owner(spec, first, r) != k) {
            continue;
        }
        double *row = rows + (size_t)r * n_per;
        if (is_out) {
            memcpy(packed + at, row, n_per * sizeof *row);
        } else {
            memcpy(row, packed + at, n_per * sizeof *row);
        }
        at += n_per;
    }
}

/* n_per doubles a row of rows first..total-1, each from the rank that ran it, to every rank. */
static void exchange_doubles(const struct experiment_spec *spec, long first, long total,
                             double *rows, size_t n_per)
{
    int size = par_size();
    size_t *counts = xcalloc((size_t)size * 2, sizeof *counts), *displs = counts + size;
    for (long r = first; r < total; r++) {
        counts[owner(spec, first, r)] += n_per;
    }
    for (int k = 1; k < size; k++) {
        displs[k] = displs[k - 1] + counts[k - 1];
    }
    size_t n_all = displs[size - 1] + counts[size - 1];
    double *send = xreallocarray(NULL, counts[par_rank()] + 1, sizeof *send);
    double *all = xreallocarray(NULL, n_all + 1, sizeof *all);
    pack_rows(spec, first, total, par_rank(), rows, n_per, send, true);
    par_allgatherv_doubles(send, counts[par_rank()], all, counts, displs);
    for (int k = 0; k < size; k++) {
        pack_rows(spec, first, total, k, rows, n_per, all + displs[k], false);
    }
    free(all);
    free(send);
    free(counts);
}

/* After the rows first..total-1 ran, each on its rank: every rank gets every row's metrics,
 * series, events and entities, and the lowest failed row (its message from the rank that ran
 * it). Returns the lowest failed row over the ranks, or -1. With one rank, nothing to do. */
static long exchange_rows(const struct experiment_spec *spec, struct experiment_result *res,
                          struct shared *sh, long first, long total)
{
    if (par_size() == 1) {
        return sh->first_fail;
    }
    size_t per = (size_t)res->n_series * (size_t)res->n_points;
    par_wait(); /* asleep until the slowest rank is done, then the exchanges at once */
    exchange_doubles(spec, first, total, res->metrics, (size_t)res->n_metrics);
    if (res->series) {
        exchange_doubles(spec, first, total, res->series, per);
    }
    /* The counts, as doubles would lose bits: one exchange of both per row. */
    int size = par_size();
    size_t *counts = xcalloc((size_t)size * 2, sizeof *counts), *displs = counts + size;
    for (long r = first; r < total; r++) {
        counts[owner(spec, first, r)] += 2;
    }
    for (int k = 1; k < size; k++) {
        displs[k] = displs[k - 1] + counts[k - 1];
    }
    uint64_t *send = xcalloc(counts[par_rank()] + 1, sizeof *send);
    uint64_t *all = xcalloc(displs[size - 1] + counts[size - 1] + 1, sizeof *all);
    for (long i = 0; i < sh->n_mine; i++) {
        send[2 * i] = sh->events[sh->mine[i]];
        send[2 * i + 1] = sh->entities[sh->mine[i]];
    }
    par_allgatherv_u64(send, counts[par_rank()], all, counts, displs);
    for (long r = first; r < total; r++) {
        int k = owner(spec, first, r);
        sh->events[r] = all[displs[k]];
        sh->entities[r] = all[displs[k] + 1];
        displs[k] += 2;
    }
    free(all);
    free(send);
    free(counts);

    long fail = par_min_long(sh->first_fail >= 0 ? sh->first_fail : total);
    if (fail >= total) {
        return -1;
    }
    par_bcast(sh->errs[fail], sizeof sh->errs[fail], owner(spec, first, fail));
    return fail;
}

int experiment_extend(const struct experiment_spec *spec, struct experiment_result *res, long total)
{
    long first = res->replications;
    long reps = total - first;
    int nm = spec->sc->n_metrics;
    int threads = spec->threads < 1 ? 1 : spec->threads;
    struct shared sh = {.spec = spec, .res = res, .first_fail = -1};
    size_t per = (size_t)res->n_series * (size_t)res->n_points;

    if (reps <= 0) {
        return 0;
    }
    res->replications = total;
    res->metrics = xreallocarray(res->metrics, (size_t)total * (size_t)nm, sizeof *res->metrics);
    if (per > 0) {
        res->series = xreallocarray(res->series, (size_t)total * per, sizeof *res->series);
    }
    sh.events = xcalloc((size_t)total, sizeof *sh.events);
    sh.entities = xcalloc((size_t)total, sizeof *sh.entities);
    sh.errs = xcalloc((size_t)total, sizeof *sh.errs);
    long *mine = xcalloc((size_t)reps, sizeof *mine);
    sh.mine = mine;
    sh.n_mine = own_rows(spec, first, total, mine);
    pthread_mutex_init(&sh.lock, NULL);
    progress_init(&sh.progress, spec->show_progress, sh.n_mine, "replications");

    double t0 = progress_now();
    if (threads > sh.n_mine) {
        threads = sh.n_mine > 0 ? (int)sh.n_mine : 1;
    }
    if (threads <= 1) {
        worker(&sh);
    } else {
        pthread_t *tid = xcalloc((size_t)threads, sizeof *tid);
        for (int i = 0; i < threads; i++) {
            if (pthread_create(&tid[i], NULL, worker, &sh) != 0) {
                fprintf(stderr, "ccsim: cannot start thread %d; continuing with %d\n", i + 1, i);
                threads = i;
                break;
            }
        }
        if (threads == 0) {
            worker(&sh);
        }
        for (int i = 0; i < threads; i++) {
            pthread_join(tid[i], NULL);
        }
        free(tid);
    }
    long fail = exchange_rows(spec, res, &sh, first, total);
    res->wall_seconds += progress_now() - t0;
    progress_fini(&sh.progress);

    /* Sums in replication order. */
    for (long r = first; r < total; r++) {
        res->n_events += sh.events[r];
        res->n_entities += sh.entities[r];
    }
    if (fail >= 0) {
        snprintf(res->err, sizeof res->err, "%s", sh.errs[fail]);
    }
    pthread_mutex_destroy(&sh.lock);
    free(mine);
    free(sh.events);
    free(sh.entities);
    free(sh.errs);
    return fail >= 0 ? 1 : 0;
}

void experiment_result_fini(struct experiment_result *res)
{
    free(res->metrics);
    res->metrics = NULL;
    free(res->series);
    res->series = NULL;
}

/* The widest relative half-width among the headline metrics; *which names it. */
static double widest(const struct experiment_spec *spec, const struct experiment_result *res,
                     int *which)
{
    double worst = 0.0;
    *which = -1;
    for (int m = 0; m < res->n_metrics; m++) {
        if (!scenario_is_headline(spec->sc, m)) {
            continue;
        }
        struct ci c;
        ci_t(res->metrics + m, (size_t)res->replications, (size_t)res->n_metrics, 0.95, &c);
        double rel;
        if (c.n < 2) {
            rel = INFINITY;
        } else if (c.sd == 0.0) {
            rel = 0.0; /* constant: nothing more to learn */
        } else {
            rel = ci_relative_halfwidth(&c);
        }
        if (*which < 0 || rel > worst) {
            worst = rel;
            *which = m;
        }
    }
    return worst;
}

int experiment_run_precise(const struct experiment_spec *spec, struct experiment_result *res,
                           double precision, long max_reps, bool *reached, char *report,
                           size_t report_len)
{
    struct experiment_spec first = *spec;
    int which;

    if (first.replications > max_reps) {
        first.replications = max_reps;
    }
    if (first.replications < 2) {
        first.replications = 2;
    }
    int rc = experiment_run(&first, res);
    double worst = rc == 0 ? widest(spec, res, &which) : 0.0;
    while (rc == 0 && worst > precision && res->replications < max_reps) {
        long n = res->replications;
        /* The half-width shrinks as 1/sqrt(n): aim a little past the estimate, at most 4x. */
        double want = ceil((double)n * (worst / precision) * (worst / precision) * 1.1);
        long next = isfinite(want) && want < 4.0 * (double)n ? (long)want : 4 * n;
        if (next < n + 2) {
            next = n + 2;
        }
        if (next > max_reps) {
            next = max_reps;
        }
        rc = experiment_extend(spec, res, next);
        if (rc == 0) {
            worst = widest(spec, res, &which);
        }
    }
    *reached = rc == 0 && worst <= precision;
    if (rc == 0) {
        const char *name = which >= 0 ? scenario_metric_name(spec->sc, which) : "-";
        if (*reached) {
            snprintf(report, report_len,
                     "precision %.3g%%: reached with %ld replications (widest: %s, +-%.3g%%)",
                     precision * 100, res->replications, name, worst * 100);
        } else {
            snprintf(report, report_len,
                     "precision %.3g%%: not reached with the cap of %ld replications (widest: "
                     "%s, +-%.3g%%)",
                     precision * 100, res->replications, name, worst * 100);
        }
    } else {
        snprintf(report, report_len, "precision %.3g%%: the run failed", precision * 100);
    }
    return rc;
}
