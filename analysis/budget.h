/*
 * budget — the memory and time an experiment will need, estimated before anything starts.
 *
 * Memory is counted, not guessed: the results an experiment holds until it writes them (every
 * replication's metrics and weekly series, per scenario or point) plus one replication's series
 * buffer per thread. Time comes from a pilot: one replication of the scenario over a short
 * horizon, doubled until it takes about 20 ms of CPU or reaches the full horizon, gives events
 * per unit of simulated time and seconds per event; the experiment's events are scaled from it.
 * A model whose event rate grows as its caseload fills (the care model from empty) is
 * underestimated by a short pilot: the time is "about", never a promise.
 *
 * budget_judge() refuses an experiment whose results need more than three quarters of this
 * machine's memory (it would fail with "out of memory" after its start, or drive the machine
 * into swap) and warns when it needs more than 40% of it, or more than an hour.
 */
#ifndef CCSIM_ANALYSIS_BUDGET_H
#define CCSIM_ANALYSIS_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "models/model.h"

struct budget {
    double result_bytes; /* held in memory at once */
    double thread_bytes; /* per thread, while a replication runs */
    double events;       /* estimated, over every replication; < 0 when no pilot ran */
    double seconds;      /* estimated CPU seconds over every replication; < 0 when unknown */
    long replications;   /* over every scenario or point */
    int threads;
};

enum budget_verdict { BUDGET_FINE, BUDGET_WARN, BUDGET_REFUSE };

/* Starts an estimate for an experiment on threads threads. */
void budget_init(struct budget *b, int threads);
/* Adds copies runs of reps replications of sc (a sweep's points are alike: one pilot for all).
 * With pilot false, only the memory is counted. */
void budget_add(struct budget *b, const struct scenario *sc, long reps, long copies, bool pilot);
/* The verdict for this machine, and a sentence for the user (what is needed, against what the
 * machine has, and what to change) into msg. */
enum budget_verdict budget_judge(const struct budget *b, char *msg, size_t n);
/* Adds one run of reps replications of each of the n scenarios (a sweep's points, a
 * sensitivity analysis's variants): memory for every one, time from the pilots of a few (the
 * first, the last, the longest and some between), their mean standing for every point. */
void budget_add_many(struct budget *b, const struct scenario *const *sc, long n, long reps);
/* One line: "memory about 12 MB, time about 3 s on 2 threads (pilot: ...)". */
void budget_describe(const struct budget *b, char *buf, size_t n);

#endif
