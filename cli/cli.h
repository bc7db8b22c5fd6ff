/*
 * cli — what the files of the command-line program share: the options struct every command's
 * table fills (tables.c), and the helpers that load scenarios, check inputs and write results
 * folders. Internal to cli/.
 */
#ifndef CCSIM_CLI_CLI_H
#define CCSIM_CLI_CLI_H

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>
#include <unistd.h>

#include "analysis/budget.h"
#include "analysis/calibrate.h"
#include "analysis/ci.h"
#include "analysis/compare.h"
#include "analysis/csv.h"
#include "analysis/experiment.h"
#include "analysis/manifest.h"
#include "analysis/outdir.h"
#include "analysis/plot.h"
#include "analysis/progress.h"
#include "analysis/reference.h"
#include "analysis/report.h"
#include "analysis/sensitivity.h"
#include "analysis/sweep.h"
#include "analysis/validate.h"
#include "analysis/warmup.h"
#include "cli/options.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/error.h"
#include "sim/fail.h"
#include "sim/xalloc.h"

#define MAX_SETS 256

#define MAX_SCENARIOS 16

struct run_opts {
    const char *cmd;      /* "run", "check" or "compare" */
    const char *scenario; /* the first */
    const char *scenarios[MAX_SCENARIOS];
    int n_scenarios;
    const char *outdir;
    const char *sets[MAX_SETS];
    int n_sets;
    long long reps; /* -1: from the scenario */
    long long seed; /* -1: from the scenario */
    long long threads;
    bool is_quiet;
    bool force;
    const char *vary[SWEEP_MAX_KEYS];
    int n_vary;
    const char *targets[CALIB_MAX], *frees[CALIB_MAX];
    int n_targets, n_frees;
    const char *fitted[CALIB_MAX]; /* calibrate: KEY=VALUE of the point being evaluated */
    int n_fitted;
    long long max_iter;
    bool no_plots;
    double precision; /* 0: a fixed number of replications */
    bool warmup_auto;
    long long max_reps;
    const char *dir; /* validate: the folder of the validation scenarios */
    bool pdf;        /* report --pdf */
};

struct manifest;

/* The option tables of the commands (tables.c), in the order ccsim --help lists them. */
extern const struct command cmd_spec_run, cmd_spec_check, cmd_spec_compare, cmd_spec_sweep,
    cmd_spec_sensitivity, cmd_spec_calibrate, cmd_spec_validate, cmd_spec_plot, cmd_spec_report,
    cmd_spec_keys;
extern const struct command *const cmd_specs[];
extern const int n_cmd_specs;

/* The commands: each returns 0 or a code of sim/error.h. */
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_keys(int argc, char **argv);

/* cmd_run.c: parses the options of o->cmd (run, check, compare, sweep, sensitivity, calibrate)
 * into o; prints the help and exits 0 for --help. Returns 0 or CCSIM_EUSAGE. */
int parse_run(int argc, char **argv, struct run_opts *o);

/* inputs.c */
void note_warnings(const struct cfg *c);
int write_warnings(struct outdir *od);
/* The command line's overrides (-r, -s, every --set, in that order) applied to a loaded cfg:
 * the one place every command takes them from. */
void apply_overrides(const struct run_opts *o, struct cfg *c);
struct scenario *load_scenario(const struct run_opts *o, const char *path, struct cfg *c);
void install_signals(void);
int check_inputs(const char *outdir, bool force, const char *scenario, const struct cfg *c);
int check_budget(const struct budget *b);

/* results.c */
int write_manifest(struct outdir *od, struct manifest *m, char *path, size_t path_len);
int write_resolved(const char *path, const struct cfg *c, const char *scenario);
int write_results(struct outdir *od, const struct run_opts *o, struct cfg *c,
                  const struct scenario *sc, const struct experiment_result *res,
                  struct manifest *m);
void draw_after(const struct run_opts *o);
int finish_results(struct outdir *od, const struct run_opts *o, struct manifest *m, int write_rc,
                   char *path, size_t path_len);

/* cmd_sweep.c */
struct scenario *load_variant(const struct run_opts *o, struct cfg *c, const char *assign,
                              const char *label, bool show);

#endif
