/*
 * model — the narrow interface between a model and the experiments that run it.
 *
 * A scenario file names its model (`model = "network";`). scenario_load() reads the keys every
 * scenario shares (horizon, warm-up, replications, seed), finds the model by name and lets it
 * read its own keys, collecting every problem in the cfg's diagnostics. The loaded scenario is
 * immutable and may be shared by threads: model_run() reads it and writes only into its own
 * struct model_run, so replications may run side by side in any order with identical results.
 *
 * A model publishes a fixed list of metrics (per replication, after warm-up), each described by
 * a struct metric_desc (name, unit, label, headline, better direction); analysis/ sees nothing
 * else of it.
 *
 * Ownership: scenario_load() returns a struct scenario the caller frees with scenario_destroy().
 */
#ifndef CCSIM_MODELS_MODEL_H
#define CCSIM_MODELS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/cfg.h"

/* Testing hook (tests/test_streams.c): a model may report each random draw of an entity
 * (MODEL_TRACE_DRAW: what is the model's decision, value the variate) and each step of its
 * journey (MODEL_TRACE_STAGE: what is the stage entered) at time t. Off (NULL) in normal runs;
 * a run with it set produces the same results. */
enum model_trace_kind { MODEL_TRACE_DRAW, MODEL_TRACE_STAGE };
typedef void model_trace_fn(void *ctx, enum model_trace_kind kind, uint32_t entity, int what,
                            double t, double value);

/* A client's journey (ccsim run --trace): each thing that happens to an entity, in the order
 * the model does it. event, stage, model and service are the model's codes, named by
 * model_ops.journey_name(); -1 where none applies (no model, no service). Numbers only: the
 * names are looked up when the file is written. */
struct model_event {
    double t;        /* days from the start of the replication, warm-up included */
    uint32_t entity; /* the client's serial number (its referral index) */
    uint8_t event;
    int8_t stage, model, service;
};
/* Called for every event of every entity of one replication, in order; the run's results do not
 * depend on whether it is set. Off (NULL) in normal runs. */
typedef void model_journey_fn(void *ctx, const struct model_event *e);

/* What model_ops.journey_name() names. */
enum model_journey_field {
    MODEL_JOURNEY_EVENT,
    MODEL_JOURNEY_STAGE,
    MODEL_JOURNEY_MODEL,
    MODEL_JOURNEY_SERVICE
};

/* What one replication produced. metrics has room for the scenario's n_metrics values. */
/* Which way a metric is better, for figures and reports that mark the preferred direction. */
enum metric_better { METRIC_LOWER_BETTER = -1, METRIC_NEITHER = 0, METRIC_HIGHER_BETTER = 1 };

/* What a metric or a series is, in words. Owned by the model's params (or static), valid as long
 * as the scenario is. */
struct metric_desc {
    const char *name;  /* "crises", "standard.caseload": dotted, unique within the scenario;
                          "by.KIND.GROUP.METRIC" is METRIC for one group of clients (severity
                          high, an attribute's level), which groups.csv lists apart */
    const char *unit;  /* in words: "per 100 client-years", "days", "clients", "share" */
    const char *label; /* in words for a figure or a report: "Crises per 100 client-years" */
    bool is_headline;  /* a headline outcome (--precision, report headline table, figures) */
    enum metric_better better;
    const char *metric; /* a series only: the metric it follows week by week (its name), or
                           NULL; the stationarity check names that metric when it drifts */
};

struct model_run {
    double *metrics;       /* per metric; NaN where undefined (no customers, say) */
    double *series;        /* [s * n_points + k]: series s at point k; NULL when none */
    uint64_t n_events;     /* events executed, warm-up included */
    uint64_t n_entities;   /* customers or clients that completed after warm-up */
    char err[256];         /* why the run failed, when model_run() returns nonzero */
    model_trace_fn *trace; /* testing hook, NULL in normal runs (see model_trace_fn) */
    void *trace_ctx;       /* passed to trace */
    FILE *end_state;       /* when set, the model writes its state at the horizon there, as a
                              start its scenarios can read (see model_ops.end_state); borrowed */

    /* When set, every event of every entity, with journey_ctx (model_ops.journey_name; never
     * called by a model without journeys). NULL in normal runs. */
    model_journey_fn *journey;
    void *journey_ctx;
};

struct model_ops {
    const char *name;
    const char *help; /* one line, for docs */
    /* The model's keys at the root of a scenario (its top-level groups). */
    const struct cfg_table *root_table;
    /* Every table the model declares, root first, NULL-terminated (for docs). */
    const struct cfg_table *const *tables;
    /* Reads the model's part of the scenario; NULL after recording problems in c. */
    void *(*load)(struct cfg *c, const config_setting_t *root);
    void (*destroy)(void *params);
    /* Metrics, fixed once loaded: metric(params, i) for i < n_metrics describes metric i. */
    int (*n_metrics)(const void *params);
    const struct metric_desc *(*metric)(const void *params, int i);
    /* Time series (optional: n_series NULL for none): point k is the value over or at the end
     * of period k (k = 0 .. floor(horizon / period) - 1), from time 0, warm-up included.
     * series(params, i) for i < n_series describes series i (its is_headline is unused; its
     * metric names the metric it follows, if any). */
    int (*n_series)(const void *params);
    const struct metric_desc *(*series)(const void *params, int i);
    double series_period;
    /* The unit of time of horizon, warm-up and series_period, in words, plural ("days"); NULL:
     * "time units" (a model whose time has no unit, such as the queueing network). */
    const char *time_unit;
    /* End state (optional: NULL for none): the name of the file ("end_state.csv") the scenario
     * asks a run to write into its results folder, or NULL when it asks for none. The caller
     * opens it, passes it as model_run.end_state to replication 0 only, and closes it. */
    const char *(*end_state)(const void *params);
    /* Journeys (optional: NULL for a model that reports none): the name of code i of a field
     * of struct model_event ("crisis", "coordinated", a model's or a service's name), or NULL
     * when i is not one. */
    const char *(*journey_name)(const void *params, enum model_journey_field field, int i);
    /* Runs one replication; returns 0, or nonzero with out->err set. */
    int (*run)(const void *params, uint64_t seed, unsigned replication, double warmup,
               double horizon, struct model_run *out);
};

struct scenario {
    const struct model_ops *ops;
    void *params;   /* the model's own, owned */
    double horizon; /* end of each replication, in the model's time unit */
    double warmup;  /* statistics are reset at this time */
    long replications;
    uint64_t seed;
    int n_metrics;
    int n_series; /* 0 when the model has none */
    int n_points; /* points per series */
};

/* The keys every scenario shares, for docs. */
extern const struct cfg_table scenario_table;
/* Kernel groups any model may use (distributions, schedules), NULL-terminated, for docs. */
extern const struct cfg_table *const shared_tables[];

/* Reads a loaded cfg into a scenario; NULL when c has recorded problems (all of them). */
struct scenario *scenario_load(struct cfg *c);
void scenario_destroy(struct scenario *s);

/* Metric i (0 <= i < s->n_metrics) of s: name, unit, label, headline, direction. Cannot fail. */
static inline const struct metric_desc *scenario_metric(const struct scenario *s, int i)
{
    return s->ops->metric(s->params, i);
}

/* Series i (0 <= i < s->n_series) of s. Cannot fail. */
static inline const struct metric_desc *scenario_series(const struct scenario *s, int i)
{
    return s->ops->series(s->params, i);
}

static inline const char *scenario_metric_name(const struct scenario *s, int i)
{
    return scenario_metric(s, i)->name;
}

static inline bool scenario_is_headline(const struct scenario *s, int i)
{
    return scenario_metric(s, i)->is_headline;
}

static inline const char *scenario_series_name(const struct scenario *s, int i)
{
    return scenario_series(s, i)->name;
}

/* The end-state file s asks for (model_ops.end_state), or NULL. Cannot fail. */
static inline const char *scenario_end_state(const struct scenario *s)
{
    return s->ops->end_state ? s->ops->end_state(s->params) : NULL;
}

/* Runs replication r of s with the scenario seed; see struct model_run. */
int scenario_run(const struct scenario *s, uint64_t seed, unsigned replication,
                 struct model_run *out);

/* The model registry: NULL-terminated. */
extern const struct model_ops *const model_registry[];

#endif
