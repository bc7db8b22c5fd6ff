/*
 * trace — the journeys of one replication (ccsim run --trace): every event of every client that
 * the model reports (struct model_event, models/model.h), kept in memory as numbers while the
 * replication runs and written as trace.csv once it has ended.
 *
 * trace.csv: "replication,time_days,client,event,stage,model,service", one row per event in the
 * order the model did them (time order; events at the same time in the order of their causes).
 * time_days is in days from the start of the replication, warm-up included, printed as the
 * other results files print numbers ("%.10g"); client is the client's serial number; event,
 * stage, model and service are the model's names for its codes (model_ops.journey_name), empty
 * where none applies. No field is ever quoted unless a name of the scenario holds a comma or a
 * quote (csv_field()).
 *
 * Bounded: at most `limit` rows are kept. Events past it are counted, not kept, and the file
 * then ends with one more row, "REP,TIME,,truncated,,,", TIME the day of the first event not
 * kept; trace_truncation() says so in words for stderr and warnings.txt.
 *
 * Ownership: trace_init() / trace_fini() on a struct of the caller's; trace_record() is the
 * model_journey_fn to hand a replication, with the struct as its context (one replication, one
 * thread, at a time).
 */
#ifndef CCSIM_ANALYSIS_TRACE_H
#define CCSIM_ANALYSIS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/model.h"

#define TRACE_FILE         "trace.csv"
#define TRACE_DEFAULT_ROWS 5000000

struct trace {
    long replication;       /* the replication traced (as numbered in replications.csv) */
    size_t limit;           /* the most rows kept */
    struct model_event *ev; /* [n] kept, in order */
    size_t n, cap;          /* kept, allocated */
    uint64_t n_dropped;     /* events past the limit, not kept */
    double t_dropped;       /* the time of the first of them */
};

/* An empty trace of replication `replication` keeping at most limit (>= 1) rows. Allocates
 * nothing until the first event. */
void trace_init(struct trace *t, long replication, size_t limit);
void trace_fini(struct trace *t);
/* A model_journey_fn: ctx is the struct trace. Keeps e, or counts it past the limit. */
void trace_record(void *ctx, const struct model_event *e);
/* Writes the trace of sc's model to path as described above. Returns 0 or -errno. */
int trace_write(const char *path, const struct scenario *sc, const struct trace *t);
/* Whether rows were left out; if so, a sentence saying how many, from when, and what to do, for
 * file `name`, in buf. */
bool trace_truncation(const struct trace *t, const char *name, char *buf, size_t n);

#endif
