/*
 * runner — an experiment: a set of variants, each a scenario file with ordered overrides and a
 * label, loaded and validated together, run on common random numbers, with results per variant.
 *
 * Every command that runs scenarios (run, check, compare, sweep, sensitivity, calibrate,
 * validate) builds a list of variants and reduces the results of one runner:
 *
 *   runner_load()  loads every variant (cfg_init, cfg_load_file, the overrides in order,
 *                  scenario_load) and reports every problem of every variant, and any two
 *                  variants with the same label, before anything runs; then fixes the seed and
 *                  replications once (below), checks that --force would remove none of the
 *                  inputs, and checks the memory and time the whole set needs (analysis/budget).
 *   runner_run()   runs each variant's replications on the thread pool (analysis/experiment).
 *   runner_fini()  frees every scenario, cfg and result.
 *
 * Common random numbers, the one rule: every variant runs the first variant's seed and
 * replications (which are those of -r and -s when the command line fixes them, since every
 * variant has them among its overrides), so variant k's replication r sees the same clients and
 * random numbers in every variant. A variant whose own scenario says otherwise has the values it
 * ran with recorded in its resolved cfg, as set by "NAME (the first scenario's seed)", so that its
 * resolved scenario reproduces its results alone.
 *
 * Messages (problems, warnings, failures) go to spec->msgs, one line each, as ccsim prints them;
 * with msgs NULL nothing is printed (a calibration's evaluations). Warnings go through
 * spec->warnings: each printed once and kept for warnings.txt (NULL: neither).
 *
 * Ownership: the variants, their overrides and the spec's strings are borrowed and must outlive
 * the runner; the runner owns its cfgs, scenarios and results.
 */
#ifndef CCSIM_ANALYSIS_RUNNER_H
#define CCSIM_ANALYSIS_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/budget.h"
#include "analysis/experiment.h"
#include "analysis/warnings.h"
#include "models/model.h"
#include "sim/cfg.h"

/* One assignment to a scenario key. */
struct override {
    const char *assign; /* "KEY=VALUE", as for --set */
    const char *origin; /* how the resolved scenario names its source ("-r 5", "--vary k=2");
                           NULL: a --set */
};

struct variant {
    const char *label;          /* names it in messages, progress and file names; unique in a set */
    const char *path;           /* the scenario file */
    const struct override *own; /* the variant's own overrides, in order */
    int n_own;
    bool is_own_first; /* own before the set's common overrides (a sweep point: a --set of the
                          same key wins); otherwise after them */
};

/* How the problems of a set are reported. */
enum runner_report {
    /* Scenarios of their own: each bad one's problems, then "ccsim: N problems in PATH; nothing
     * was run". */
    RUNNER_REPORT_EACH,
    /* Variants of one scenario (points, ends of ranges): each distinct problem once, then
     * "ccsim: NAME: K of N UNIT have problems; nothing was run". */
    RUNNER_REPORT_POINTS,
};

enum runner_progress {
    RUNNER_PROGRESS_NONE,
    RUNNER_PROGRESS_EACH,    /* a bar of replications per variant, under its label if several */
    RUNNER_PROGRESS_OVERALL, /* one bar over the variants, counted in spec->unit */
};

/* What runner_load() counts against the machine's memory and time. */
enum runner_budget {
    RUNNER_BUDGET_NONE,
    RUNNER_BUDGET_EACH,   /* every variant, each with its own pilot */
    RUNNER_BUDGET_MANY,   /* every variant's memory, the time from a sample (budget_add_many) */
    RUNNER_BUDGET_MEMORY, /* the first variant's memory only (one evaluation of a calibration) */
};

struct runner_spec {
    const char *name; /* the command, in messages: "compare", "sweep" */
    const char *unit; /* what the variants are, in messages and the bar: "points", "scenarios" */
    const struct override *common; /* the command line's: -r, -s, then every --set */
    int n_common;
    int threads;        /* >= 1 */
    bool show_progress; /* a terminal and no -q */
    enum runner_progress progress;
    enum runner_report report;
    enum runner_budget budget;
    long budget_reps;          /* replications the budget counts; 0: the set's */
    double precision;          /* > 0: runner_run() adds replications until precise (--precision) */
    long max_reps;             /* with precision: the most replications */
    const char *outdir;        /* with force: the folder --force would replace, or NULL */
    bool force;                /* --force */
    struct warnings *warnings; /* printed once and kept; NULL: not printed */
    FILE *msgs;                /* where messages go (stderr); NULL: nowhere */
    uint64_t first_rep;        /* the model's replication number of the first (experiment_spec) */
    bool no_series;            /* keep no time series */
    bool one_rep_ok;           /* one replication is no cause for a note (psa: its intervals are
                                  over parameter draws) */
    /* Finished replications kept and reused (analysis/unitstore.h; -o DIR and --resume DIR),
     * NULL: none; borrowed. Each variant's are keyed by its resolved cfg as it runs. */
    struct unitstore *units;
};

struct runner {
    struct runner_spec spec;
    const struct variant *v;
    int n;
    struct cfg *cfg;               /* [n], each as loaded and overridden */
    struct scenario **sc;          /* [n], NULL where a variant has problems */
    struct experiment_result *res; /* [n], filled by runner_run() */
    int n_loaded, n_bad, n_run;    /* variants whose cfg is initialised, bad, run */
    long replications;             /* every variant's, by the rule above */
    uint64_t seed;                 /* every variant's */
    struct budget budget;          /* what the set needs (spec->budget) */
    uint64_t n_events;             /* over every variant run */
    double wall_seconds;           /* over every variant run */
    char note[512];                /* how --precision ended, or "" */
    FILE *end_state; /* set by the caller before runner_run(): where replication 0 of variant 0
                        writes its end state (scenario_end_state()), or NULL; borrowed */
    /* Set by the caller before runner_run(): where replication journey_rep of variant 0 reports
     * its events (model_run.journey), or NULL; borrowed */
    model_journey_fn *journey;
    void *journey_ctx;
    long journey_rep;
};

/* Loads and checks the n variants as described above; a set of one replication (without
 * precision) is said once to have no confidence interval ("ccsim: note: ..." on msgs, and kept
 * with the warnings). Returns 0; CCSIM_EINPUT after printing
 * every problem (or a duplicate label, or a budget refused); CCSIM_EEXIST when --force would
 * remove an input of the set. runner_fini() is needed whatever it returns. */
int runner_load(struct runner *r, const struct runner_spec *spec, const struct variant *v, int n);

/* Runs every variant in order, each with the set's seed and replications (with
 * spec->precision, as many as needed, recorded in its cfg as set by "--precision"). Stops at the
 * first failure: prints "ccsim: PATH: why" (points: "ccsim: NAME LABEL: why") and returns
 * CCSIM_ERUN. Returns 0 otherwise. */
int runner_run(struct runner *r);

/* --warmup auto for every variant: a pilot run of it as loaded, MSER-5 on the mean of each
 * weekly series, and the variant reloaded with the longest truncation as its warm-up (recorded as
 * set by "--warmup auto (MSER-5)"). The account of the estimate goes to msgs and to note.
 * Returns 0, CCSIM_EINPUT (a model without weekly series) or CCSIM_ERUN (the pilot failed). */
int runner_warmup_auto(struct runner *r, char *note, size_t note_len);

/* Index of metric name in variant i's scenario, or -1. */
int runner_metric(const struct runner *r, int i, const char *name);

void runner_fini(struct runner *r);

#endif
