/*
 * cli — what the files of the command-line program share: the options struct every command's
 * table fills (tables.c), and the helpers that hand a command's options to the experiment runner
 * (analysis/runner.h) and begin and end its results folder (analysis/folder.h). Internal to cli/.
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
#include "analysis/costeff.h"
#include "analysis/csv.h"
#include "analysis/experiment.h"
#include "analysis/folder.h"
#include "analysis/manifest.h"
#include "analysis/outdir.h"
#include "analysis/par.h"
#include "analysis/plot.h"
#include "analysis/progress.h"
#include "analysis/reference.h"
#include "analysis/report.h"
#include "analysis/runner.h"
#include "analysis/sensitivity.h"
#include "analysis/stationarity.h"
#include "analysis/sweep.h"
#include "analysis/sweep_best.h"
#include "analysis/trace.h"
#include "analysis/uncertain.h"
#include "analysis/unitstore.h"
#include "analysis/validate.h"
#include "analysis/warmup.h"
#include "analysis/warnings.h"
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
    const char *resume; /* --resume DIR: outdir is DIR, and the units kept for it are used */
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
    long long max_iter;
    bool no_plots;
    bool report;      /* --report: write DIR/report.html once the results are complete */
    double precision; /* 0: a fixed number of replications */
    bool warmup_auto;
    long long max_reps;
    const char *dir;         /* validate: the folder of the validation scenarios */
    const char *target_file; /* calibrate: --targets FILE */
    const char *status_file; /* validate: --status FILE */
    bool is_loo;             /* validate: --leave-one-out */
    bool pdf;                /* report --pdf */
    const char *paper;       /* report --paper: "a4" (default) or "letter" */
    long long trace_rep;     /* run --trace: the replication traced, -1 for none */
    long long trace_rows;    /* run --trace-rows: the most rows of trace.csv */
    long long draws;         /* psa --draws */
    long long wtp_max;       /* psa --wtp-max; 0: chosen from the results */
};

/* The option tables of the commands (tables.c), in the order ccsim --help lists them. */
extern const struct command cmd_spec_run, cmd_spec_check, cmd_spec_compare, cmd_spec_sweep,
    cmd_spec_sensitivity, cmd_spec_psa, cmd_spec_calibrate, cmd_spec_validate, cmd_spec_plot,
    cmd_spec_report, cmd_spec_keys, cmd_spec_scenarios;
extern const struct command *const cmd_specs[];
extern const int n_cmd_specs;

/* The commands: each returns 0 or a code of sim/error.h. */
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_psa(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_keys(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);

/* cmd_scenarios.c: the file of the scenario argument arg into path: arg itself when it is a
 * file (or an explicit path: absolute, ./ or ../), otherwise the scenario of that name in the
 * scenarios folder (analysis/catalog.h); 0, or CCSIM_EINPUT after printing where it looked. */
int scenario_resolve(const char *arg, char *path, size_t n);
/* The folder arg when it is one (or an explicit path), otherwise the folder of that name (a
 * leading "scenarios/" dropped) in the scenarios folder when there is one there, in path. */
const char *scenarios_folder_resolve(const char *arg, char *path, size_t n);
/* The lines of ccsim --help that say where the scenarios and documents are. */
void scenarios_help(FILE *f);

/* inputs.c: parses the options of o->cmd (run, check, compare, sweep, sensitivity, calibrate)
 * into o; prints the help and exits 0 for --help. Returns 0 or CCSIM_EUSAGE. */
int parse_run(int argc, char **argv, struct run_opts *o);

/* What a command hands the runner: the command line's overrides (-r, -s, every --set, in that
 * order: the one place every command takes them from), the warnings of the scenarios it loads,
 * and a runner spec with the command line's settings (threads, progress, -o and --force) and
 * the usual choices (problems of each variant reported, a bar per variant, a budget per
 * variant), which the command changes where it differs. */
struct setup {
    struct override common[MAX_SETS + 2];
    char text[4][64];
    struct warnings warnings;
    struct runner_spec spec;
    struct timespec started; /* when the command began (setup_init), for the closing line */
    /* With -o DIR or --resume DIR: the finished replications kept beside DIR until it is
     * complete (spec.units), or NULL. */
    struct unitstore *units;
    bool is_resume;
};

/* With an output folder, setup_init() also opens the store of its finished replications
 * (analysis/unitstore.h): with --resume, using what an interrupted run kept; without, only
 * counting it (results_begin() says which). */
void setup_init(struct setup *s, const struct run_opts *o, const char *unit);
/* Closes the store, leaving its folder (results_end() removes it once the folder is complete). */
void setup_fini(struct setup *s);

/* -o DIR checked before anything is loaded: 0, or the code after printing why. --resume DIR
 * first becomes -o DIR (given both, they must name the same folder). */
int check_outdir(struct run_opts *o);

/* cmd_compare.c: the name a scenario goes by in a comparison (and a psa): its file name without
 * folder and ".cfg", into buf. */
void scenario_label(const char *path, char *buf, size_t n);
/* Each variant of r as it ran, NAME.resolved.cfg (NAME its label) in the open folder f; 0, or
 * CCSIM_EIO after printing why. */
int results_resolved(struct folder *f, const struct runner *r);

/* results.c: the results folder of o (nothing when o has no -o): begun with the manifest of
 * r's set (its first scenario, seed, replications), then, on stderr, what r's store of kept
 * replications found ("ccsim: resuming DIR: N replications kept from an interrupted run"; with
 * nothing kept, that the run starts from the beginning; without --resume, a note that an
 * interrupted run kept some); 0 or CCSIM_EIO after printing why. */
int results_begin(struct folder *f, const struct run_opts *o, const struct runner *r, int argc,
                  char **argv, const char *scenario);
/* The end of the folder: with rc 0, the events and time of r (when not NULL) in the manifest,
 * then (with --resume) "ccsim: K of N replications kept from an interrupted run, N - K run
 * now" (each distinct replication counted once), then
 * folder_commit(), the kept replications' folder removed, the figures, the report (--report)
 * and, unless -q, the closing line
 * "ccsim: wrote DIR in N s" (the time since setup_init()); otherwise the partial folder removed.
 * Returns rc, or CCSIM_EIO after printing why the folder could not be completed. */
int results_end(struct folder *f, const struct run_opts *o, const struct setup *s,
                const struct runner *r, int rc);
/* The outcome rc of a writer of path as a code, printing "ccsim: path: reason" on failure. */
int results_wrote(struct folder *f, int rc, const char *path);
/* The stationarity check of one scenario's run (analysis/stationarity.h), when its model has
 * weekly series: a line on stderr for each drifting series (prefixed with label when not NULL)
 * and one saying what to do, each kept for warnings.txt; and, with the folder open, its
 * diagnostics written to the file name. Returns 0 or CCSIM_EIO after printing why. */
int results_steady(struct folder *f, struct setup *s, const struct scenario *sc,
                   const struct experiment_result *res, const char *label, const char *name);

#endif
