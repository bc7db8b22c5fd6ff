#include "analysis/experiment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/progress.h"
#include "sim/xalloc.h"

struct shared {
    const struct experiment_spec *spec;
    struct experiment_result *res;
    struct progress progress;
    pthread_mutex_t lock;
    long next;        /* next replication to hand out */
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
        long r = sh->next < sh->res->replications ? sh->next++ : -1;
        pthread_mutex_unlock(&sh->lock);
        if (r < 0) {
            break;
        }
        size_t per = (size_t)sc->n_series * (size_t)sc->n_points;
        struct model_run out = {
            .metrics = sh->res->metrics + (size_t)r * (size_t)nm,
            .series = sh->res->series ? sh->res->series + (size_t)r * per : NULL,
        };
        int rc = scenario_run(sc, sh->spec->seed, (unsigned)r, &out);
        sh->events[r] = out.n_events;
        sh->entities[r] = out.n_entities;
        if (rc != 0) {
            memcpy(sh->errs[r], out.err, sizeof out.err);
            pthread_mutex_lock(&sh->lock);
            if (sh->first_fail < 0 || r < sh->first_fail) {
                sh->first_fail = r;
            }
            /* Stop handing out work: the run has failed. */
            sh->next = sh->res->replications;
            pthread_mutex_unlock(&sh->lock);
        }
        progress_step(&sh->progress, 1);
    }
    return NULL;
}

int experiment_run(const struct experiment_spec *spec, struct experiment_result *res)
{
    long reps = spec->replications;
    int nm = spec->sc->n_metrics;
    int threads = spec->threads < 1 ? 1 : spec->threads;
    struct shared sh = {.spec = spec, .res = res, .first_fail = -1};

    memset(res, 0, sizeof *res);
    res->replications = reps;
    res->n_metrics = nm;
    res->metrics = xcalloc((size_t)reps * (size_t)nm, sizeof *res->metrics);
    res->n_series = spec->sc->n_series;
    res->n_points = spec->sc->n_points;
    if (res->n_series > 0 && res->n_points > 0) {
        res->series = xcalloc((size_t)reps * (size_t)res->n_series * (size_t)res->n_points,
                              sizeof *res->series);
    }
    sh.events = xcalloc((size_t)reps, sizeof *sh.events);
    sh.entities = xcalloc((size_t)reps, sizeof *sh.entities);
    sh.errs = xcalloc((size_t)reps, sizeof *sh.errs);
    pthread_mutex_init(&sh.lock, NULL);
    progress_init(&sh.progress, spec->show_progress, reps, "replications");

    double t0 = progress_now();
    if (threads > reps) {
        threads = (int)reps;
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
    res->wall_seconds = progress_now() - t0;
    progress_fini(&sh.progress);

    /* Sums in replication order. */
    for (long r = 0; r < reps; r++) {
        res->n_events += sh.events[r];
        res->n_entities += sh.entities[r];
    }
    if (sh.first_fail >= 0) {
        snprintf(res->err, sizeof res->err, "%s", sh.errs[sh.first_fail]);
    }
    pthread_mutex_destroy(&sh.lock);
    free(sh.events);
    free(sh.entities);
    free(sh.errs);
    return sh.first_fail >= 0 ? 1 : 0;
}

void experiment_result_fini(struct experiment_result *res)
{
    free(res->metrics);
    res->metrics = NULL;
    free(res->series);
    res->series = NULL;
}
