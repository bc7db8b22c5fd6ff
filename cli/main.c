/*
 * ccsim — the command-line program.
 *
 * Exit status: 0 done; 1 failed while running (a replication failed, a file could not be
 * written); 2 bad command line or scenario (nothing is run and nothing is written). Every
 * command returns a code of sim/error.h, and ccsim_exit_status() alone turns it into the status.
 */
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
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/error.h"
#include "sim/fail.h"
#include "sim/xalloc.h"

static const char usage_main[] =
    "usage: ccsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg      run the replications of a scenario and summarise them\n"
    "  check SCENARIO.cfg    validate a scenario and show every resolved value and its origin\n"
    "  compare A.cfg B.cfg   the same clients under each scenario; paired differences\n"
    "  sweep SCENARIO.cfg    a grid over keys (--vary KEY=FROM:TO:STEP), each point with CIs\n"
    "  sensitivity SCENARIO.cfg  one-way low/high for every parameter with a plausible range\n"
    "  calibrate SCENARIO.cfg    fit --free parameters to --target outcomes\n"
    "  validate              published effects against simulated ones (scenarios/validation)\n"
    "  plot DIR              figures (PNG, SVG, PDF) from a results folder\n"
    "  report DIR [--pdf]    a self-contained HTML report of a results folder\n"
    "  keys                  print the reference of every scenario key (Markdown)\n"
    "\n"
    "options:\n"
    "  -h, --help            show this help (ccsim run --help: the options of run)\n"
    "  --version             show the version\n"
    "\n"
    "Exit status: 0 done, 1 failed while running, 2 bad command line or scenario.\n";

static const char usage_run[] =
    "usage: ccsim run SCENARIO.cfg [-o DIR] [--set KEY=VALUE]... [-r REPS] [-s SEED]\n"
    "                 [-j THREADS] [-q] [--force]\n"
    "\n"
    "Runs the scenario's replications and prints a summary table (mean, sd, 95% confidence\n"
    "interval across replications), or writes a results folder with -o.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        write the results folder DIR: summary.csv, replications.csv,\n"
    "                          scenario.resolved.cfg, manifest.json; DIR must not exist (see\n"
    "                          --force); it appears complete or not at all\n"
    "      --set KEY=VALUE     override a scenario key (dotted path, e.g.\n"
    "                          network.stations[0].servers=12); repeatable\n"
    "  -r, --replications N    replications, overriding the scenario (2..1000000)\n"
    "  -s, --seed N            scenario seed, overriding the scenario (integer\n"
    "                          0..9223372036854775807)\n"
    "  -j, --threads N         run replications on N threads (1..256); results do not depend\n"
    "                          on N\n"
    "      --precision P       add replications until every headline metric's 95% interval is\n"
    "                          within P x its mean (e.g. 0.05), starting from the scenario's\n"
    "                          replications\n"
    "      --max-reps N        the most replications --precision may run (default 1000)\n"
    "      --warmup auto       estimate the warm-up with MSER-5 on the weekly series of a pilot\n"
    "                          run, then run with it (reported, and in the resolved scenario)\n"
    "  -q, --quiet             no progress bar (it is shown only on a terminal anyway)\n"
    "      --force             replace DIR if it is a results folder that ccsim wrote, once the\n"
    "                          new results are complete (never a link, a file, a folder\n"
    "                          holding other files or an input of the run)\n"
    "      --no-plots          do not draw DIR/figures (drawn by default with -o; see plot)\n"
    "  -h, --help              show this help\n";

static const char usage_compare[] =
    "usage: ccsim compare A.cfg B.cfg [C.cfg ...] [-o DIR] [--set KEY=VALUE]... [-r REPS]\n"
    "                     [-s SEED] [-j THREADS] [-q] [--force]\n"
    "\n"
    "Runs every scenario on the same clients with the same random numbers and reports, for each\n"
    "metric, each scenario's mean and its difference from the first scenario with a 95%\n"
    "confidence interval from the paired replications. Replications and seed are the first\n"
    "scenario's unless given; --set applies to every scenario.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        write DIR/comparison.csv (metric,scenario,mean,ci_low,ci_high,\n"
    "                          diff,diff_ci_low,diff_ci_high), each scenario's\n"
    "                          NAME.replications.csv and NAME.resolved.cfg, and manifest.json\n"
    "  (the other options as for run)\n";

static const char usage_sweep[] =
    "usage: ccsim sweep SCENARIO.cfg --vary KEY=FROM:TO:STEP [--vary ...] [-o DIR]\n"
    "                   [--set KEY=VALUE]... [-r REPS] [-s SEED] [-j THREADS] [-q] [--force]\n"
    "\n"
    "Runs the scenario at every point of the grid of the varied keys (FROM, FROM+STEP, ... TO;\n"
    "several --vary give every combination, the last varying fastest), each point with the same\n"
    "seed and replications, and reports each metric with its 95% confidence interval. Every\n"
    "point is validated before anything runs.\n"
    "\n"
    "options:\n"
    "      --vary KEY=FROM:TO:STEP   a key to vary (dotted path as for --set); up to 8\n"
    "  -o, --output DIR        write DIR/sweep.csv (the varied keys, then metric,mean,ci_low,\n"
    "                          ci_high,n) and manifest.json\n"
    "  (the other options as for run)\n";

static const char usage_sensitivity[] =
    "usage: ccsim sensitivity SCENARIO.cfg [-o DIR] [--set KEY=VALUE]... [-r REPS] [-s SEED]\n"
    "                         [-j THREADS] [-q] [--force]\n"
    "\n"
    "One-way sensitivity: runs the scenario with each parameter that declares a plausible range\n"
    "(see docs/scenarios.md) at the low and at the high end of it, everything else as given, on\n"
    "the same random numbers, and reports each metric's paired difference from the base.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        write DIR/sensitivity.csv (parameter,low,high,metric,base,\n"
    "                          low_mean,high_mean,low_diff,...,high_diff_ci_high) and\n"
    "                          manifest.json\n"
    "  (the other options as for run)\n";

static const char usage_calibrate[] =
    "usage: ccsim calibrate SCENARIO.cfg --target METRIC=VALUE... --free KEY=LOW:HIGH...\n"
    "                       [-o DIR] [--max-iter N] [--set KEY=VALUE]... [-r REPS] [-s SEED]\n"
    "                       [-j THREADS] [-q] [--force]\n"
    "\n"
    "Fits the free parameters (real-valued keys, each within LOW..HIGH) so that the metrics'\n"
    "means over the replications come as close as possible to the targets (least squares of\n"
    "relative errors, Nelder-Mead simplex, the same random numbers at every evaluation), then\n"
    "reports the fit and writes the calibrated scenario.\n"
    "\n"
    "options:\n"
    "      --target METRIC=VALUE   an outcome to match; up to 8\n"
    "      --free KEY=LOW:HIGH     a parameter to fit; up to 8\n"
    "      --max-iter N            simplex iterations at most (default 60)\n"
    "  -o, --output DIR        write DIR/calibrated.cfg (loadable, the fitted values marked),\n"
    "                          fit.csv (metric,target,mean,ci_low,ci_high), evaluations.csv\n"
    "                          and manifest.json\n"
    "  (the other options as for run)\n";

static const char usage_check[] =
    "usage: ccsim check SCENARIO.cfg [--set KEY=VALUE]... [-r REPS] [-s SEED]\n"
    "\n"
    "Validates the scenario without running it. When it is valid, prints every resolved value\n"
    "(after base files, @include and overrides) with its unit and where it came from: file and\n"
    "line, a command-line option, or a built-in default with its published source. Every\n"
    "problem is reported otherwise.\n"
    "\n"
    "options:\n"
    "      --set KEY=VALUE     override a scenario key; repeatable\n"
    "  -r, --replications N    replications, overriding the scenario\n"
    "  -s, --seed N            scenario seed, overriding the scenario\n"
    "  -h, --help              show this help\n";

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
};

static const char *usage_cmd = "run";

struct run_opts;
struct manifest;
static void draw_after(const struct run_opts *o);
static int finish_results(struct outdir *od, const struct run_opts *o, struct manifest *m,
                          int write_rc, char *path, size_t path_len);

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ccsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'ccsim %s --help')\n", usage_cmd);
    return CCSIM_EUSAGE;
}

/* Parses a whole number in [lo, hi] for an option; prints the problem and returns false. */
static bool parse_count(const char *opt, const char *text, long long lo, long long hi,
                        long long *out)
{
    char *end;

    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno == ERANGE && end != text && *end == '\0') {
        fprintf(stderr, "ccsim: %s: %s is out of range (integer %lld..%lld)\n", opt, text, lo, hi);
        return false;
    }
    if (errno || end == text || *end != '\0') {
        fprintf(stderr, "ccsim: %s: '%s' is not a whole number (integer %lld..%lld)\n", opt, text,
                lo, hi);
        return false;
    }
    if (v < lo || v > hi) {
        fprintf(stderr, "ccsim: %s: %lld is out of range (integer %lld..%lld)\n", opt, v, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

/* Matches "-x VALUE", "-xVALUE", "--long VALUE" and "--long=VALUE". */
static bool take_value(int argc, char **argv, int *i, const char *shrt, const char *lng,
                       const char **value, bool *missing)
{
    const char *a = argv[*i];
    size_t ll = strlen(lng);

    *missing = false;
    if (strcmp(a, shrt) == 0 || strcmp(a, lng) == 0) {
        if (*i + 1 >= argc) {
            *missing = true;
            return true;
        }
        *value = argv[++*i];
        return true;
    }
    if (strncmp(a, lng, ll) == 0 && a[ll] == '=') {
        *value = a + ll + 1;
        return true;
    }
    if (shrt[0] && strncmp(a, shrt, 2) == 0 && a[1] != '-' && a[2] != '\0') {
        *value = a + 2;
        return true;
    }
    return false;
}

static int parse_run(int argc, char **argv, struct run_opts *o)
{
    bool is_compare = strcmp(o->cmd, "compare") == 0;
    bool is_sweep = strcmp(o->cmd, "sweep") == 0;
    bool is_sens = strcmp(o->cmd, "sensitivity") == 0;
    bool is_calib = strcmp(o->cmd, "calibrate") == 0;
    bool is_run = strcmp(o->cmd, "run") == 0 || is_compare || is_sweep || is_sens || is_calib;

    usage_cmd = o->cmd;
    o->reps = -1;
    o->seed = -1;
    o->threads = 1;
    o->max_reps = 1000;
    o->max_iter = 60;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        bool missing;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(is_calib     ? usage_calibrate
                  : is_sens    ? usage_sensitivity
                  : is_sweep   ? usage_sweep
                  : is_compare ? usage_compare
                  : is_run     ? usage_run
                               : usage_check,
                  stdout);
            exit(0);
        } else if (is_run && (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)) {
            o->is_quiet = true;
        } else if (is_run && strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (is_run && !is_calib && strcmp(a, "--no-plots") == 0) {
            o->no_plots = true;
        } else if (take_value(argc, argv, &i, "", "--set", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs KEY=VALUE", a);
            }
            if (o->n_sets >= MAX_SETS) {
                return usage_error("--set: at most %d overrides", MAX_SETS);
            }
            o->sets[o->n_sets++] = v;
        } else if (is_run && take_value(argc, argv, &i, "-o", "--output", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a folder name", a);
            }
            o->outdir = v;
        } else if (take_value(argc, argv, &i, "-r", "--replications", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-r", v, 2, 1000000, &o->reps)) {
                return CCSIM_EUSAGE;
            }
        } else if (take_value(argc, argv, &i, "-s", "--seed", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-s", v, 0, LLONG_MAX, &o->seed)) {
                return CCSIM_EUSAGE;
            }
        } else if (is_calib && take_value(argc, argv, &i, "", "--target", &v, &missing)) {
            if (missing || o->n_targets >= CALIB_MAX) {
                return usage_error("--target: METRIC=VALUE, at most %d", CALIB_MAX);
            }
            o->targets[o->n_targets++] = v;
        } else if (is_calib && take_value(argc, argv, &i, "", "--free", &v, &missing)) {
            if (missing || o->n_frees >= CALIB_MAX) {
                return usage_error("--free: KEY=LOW:HIGH, at most %d", CALIB_MAX);
            }
            o->frees[o->n_frees++] = v;
        } else if (is_calib && take_value(argc, argv, &i, "", "--max-iter", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("--max-iter", v, 1, 100000, &o->max_iter)) {
                return CCSIM_EUSAGE;
            }
        } else if (is_sweep && take_value(argc, argv, &i, "", "--vary", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs KEY=FROM:TO:STEP", a);
            }
            if (o->n_vary >= SWEEP_MAX_KEYS) {
                return usage_error("--vary: at most %d keys", SWEEP_MAX_KEYS);
            }
            o->vary[o->n_vary++] = v;
        } else if (strcmp(o->cmd, "run") == 0 &&
                   take_value(argc, argv, &i, "", "--precision", &v, &missing)) {
            char *end;
            if (missing) {
                return usage_error("%s: needs a fraction, e.g. 0.05", a);
            }
            o->precision = strtod(v, &end);
            if (end == v || *end != '\0' || !(o->precision > 0.0 && o->precision < 1.0)) {
                return usage_error("--precision: '%s' is not a fraction of the mean (real > 0 and "
                                   "< 1, e.g. 0.05 for 5%%)",
                                   v);
            }
        } else if (strcmp(o->cmd, "run") == 0 &&
                   take_value(argc, argv, &i, "", "--warmup", &v, &missing)) {
            if (missing || strcmp(v, "auto") != 0) {
                return usage_error("--warmup: only 'auto' (MSER-5 on a pilot run); give a fixed "
                                   "warm-up in the scenario or with --set warmup=DAYS");
            }
            o->warmup_auto = true;
        } else if (strcmp(o->cmd, "run") == 0 &&
                   take_value(argc, argv, &i, "", "--max-reps", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("--max-reps", v, 2, 1000000, &o->max_reps)) {
                return CCSIM_EUSAGE;
            }
        } else if (is_run && take_value(argc, argv, &i, "-j", "--threads", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-j", v, 1, 256, &o->threads)) {
                return CCSIM_EUSAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->scenario && !is_compare) {
            return usage_error("one scenario at a time ('%s' is extra)", a);
        } else if (o->n_scenarios >= MAX_SCENARIOS) {
            return usage_error("at most %d scenarios", MAX_SCENARIOS);
        } else {
            if (!o->scenario) {
                o->scenario = a;
            }
            o->scenarios[o->n_scenarios++] = a;
        }
    }
    if (!o->scenario) {
        return usage_error("%s: no scenario file given", o->cmd);
    }
    if (is_calib && (o->n_targets == 0 || o->n_frees == 0)) {
        return usage_error("calibrate: give at least one --target METRIC=VALUE and one --free "
                           "KEY=LOW:HIGH");
    }
    if (is_sweep && o->n_vary == 0) {
        return usage_error("sweep: give at least one --vary KEY=FROM:TO:STEP");
    }
    if (is_compare && o->n_scenarios < 2) {
        return usage_error("compare: at least two scenarios (the first is the reference)");
    }
    return 0;
}

/* ---- warnings: printed once each as scenarios load, and kept for warnings.txt ------------- */

static struct {
    char **lines;
    int n, cap;
} warnings;

/* Prints the warnings of a loaded scenario that were not printed yet (a sweep's points share
 * most of theirs), and keeps them for the results folder. */
static void note_warnings(const struct cfg *c)
{
    char *text = NULL;
    size_t len = 0;

    if (cfg_n_warnings(c) == 0) {
        return;
    }
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        cfg_print_warnings(c, stderr);
        return;
    }
    cfg_print_warnings(c, mem);
    fclose(mem);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        bool seen = false;
        for (int i = 0; i < warnings.n && !seen; i++) {
            seen = strcmp(warnings.lines[i], line) == 0;
        }
        if (seen) {
            continue;
        }
        fprintf(stderr, "%s\n", line);
        if (warnings.n == warnings.cap) {
            warnings.cap = warnings.cap ? 2 * warnings.cap : 16;
            warnings.lines =
                xreallocarray(warnings.lines, (size_t)warnings.cap, sizeof *warnings.lines);
        }
        warnings.lines[warnings.n++] = xstrdup(line);
    }
    free(text);
}

/* warnings.txt in the results folder, when there are warnings. Returns 0 or -errno. */
static int write_warnings(struct outdir *od)
{
    char path[4096];

    if (warnings.n == 0) {
        return 0;
    }
    FILE *f = fopen(outdir_file(od, "warnings.txt", path, sizeof path), "w");
    if (!f) {
        return -errno;
    }
    for (int i = 0; i < warnings.n; i++) {
        fprintf(f, "%s\n", warnings.lines[i]);
    }
    int rc = ferror(f) ? -EIO : 0;
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

/* Loads the scenario with the command line's overrides applied; prints every problem and
 * returns NULL when there is one. c is initialised here and finalised by the caller. */
static struct scenario *load_scenario(const struct run_opts *o, const char *path, struct cfg *c)
{
    struct scenario *sc = NULL;

    cfg_init(c);
    if (cfg_load_file(c, path)) {
        char assign[64], option[64];
        if (o->reps >= 0) {
            snprintf(assign, sizeof assign, "replications=%lld", o->reps);
            snprintf(option, sizeof option, "-r %lld", o->reps);
            cfg_set_as(c, assign, option);
        }
        if (o->seed >= 0) {
            snprintf(assign, sizeof assign, "seed=%lld", o->seed);
            snprintf(option, sizeof option, "-s %lld", o->seed);
            cfg_set_as(c, assign, option);
        }
        for (int i = 0; i < o->n_sets; i++) {
            cfg_set(c, o->sets[i]);
        }
        sc = scenario_load(c);
        if (sc && cfg_n_problems(c) > 0) {
            scenario_destroy(sc);
            sc = NULL;
        }
    }
    if (sc) {
        note_warnings(c);
    } else {
        diag_print(&c->diag, stderr);
        int n = cfg_n_problems(c);
        fprintf(stderr, "ccsim: %d problem%s in %s; nothing was run\n", n, n == 1 ? "" : "s", path);
    }
    return sc;
}

/* SIGINT, SIGTERM and SIGHUP: whatever is half-written goes, then the default action. */
static void on_signal(int sig)
{
    report_on_signal();
    plot_on_signal();
    outdir_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaddset(&sa.sa_mask, sigs[i]);
    }
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A hang-up ignored by whoever started ccsim (nohup) stays ignored. */
        if (sigs[i] == SIGHUP && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- the inputs of a run, which --force must never remove ---------------------------------- */

struct inputs {
    char **v;
    int n, cap;
};

static void inputs_add(struct inputs *in, const char *path)
{
    for (int i = 0; i < in->n; i++) {
        if (strcmp(in->v[i], path) == 0) {
            return;
        }
    }
    if (in->n == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 16;
        in->v = xreallocarray(in->v, (size_t)in->cap, sizeof *in->v);
    }
    in->v[in->n++] = xstrdup(path);
}

struct inputs_walk {
    const struct cfg *c;
    struct inputs *in;
};

/* A string value that names an existing file (a snapshot, say) is an input too. */
static void inputs_string(struct inputs_walk *w, const config_setting_t *s)
{
    const char *v = config_setting_get_string(s);
    char buf[PATH_MAX];
    struct stat st;

    if (v && v[0]) {
        cfg_resolve_path(w->c, s, v, buf, sizeof buf);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
            inputs_add(w->in, buf);
        }
    }
}

static void inputs_visit(void *ctx, const config_setting_t *s, const char *path,
                         const struct cfg_origin *o)
{
    struct inputs_walk *w = ctx;

    (void)path;
    if (o->kind == CFG_FROM_FILE && o->file) {
        inputs_add(w->in, o->file);
    }
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        inputs_string(w, s);
    } else if (config_setting_type(s) == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (e && config_setting_type(e) == CONFIG_TYPE_STRING) {
                inputs_string(w, e);
            }
        }
    }
}

/* With --force over an existing folder: refused (CCSIM_EEXIST) when the folder holds an input of
 * the run: the scenario, a base or included file, or a file a value names. */
static int check_inputs(const char *outdir, bool force, const char *scenario, const struct cfg *c)
{
    struct inputs in = {0};
    struct inputs_walk w = {.c = c, .in = &in};
    char err[1024];

    if (!outdir || !force) {
        return 0;
    }
    inputs_add(&in, scenario);
    cfg_walk(c, inputs_visit, &w);
    int rc = outdir_check_inputs(outdir, (const char *const *)in.v, in.n, err, sizeof err);
    for (int i = 0; i < in.n; i++) {
        free(in.v[i]);
    }
    free(in.v);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    return 0;
}

/* The memory and time an experiment needs, against what this machine has: refused
 * (CCSIM_EINPUT) when its results cannot fit, warned when large. */
static int check_budget(const struct budget *b)
{
    char msg[1024];
    enum budget_verdict v = budget_judge(b, msg, sizeof msg);

    if (v == BUDGET_REFUSE) {
        fprintf(stderr, "ccsim: the experiment %s; nothing was run\n", msg);
        return CCSIM_EINPUT;
    }
    if (v == BUDGET_WARN) {
        fprintf(stderr, "ccsim: warning: the experiment %s\n", msg);
    }
    return 0;
}

/* manifest.json, listing every file written into the folder (itself included). */
static int write_manifest(struct outdir *od, struct manifest *m, char *path, size_t path_len)
{
    outdir_file(od, "manifest.json", path, path_len);
    m->files = od->names;
    m->n_files = od->n_names;
    return manifest_write(path, m);
}

/* scenario.resolved.cfg: the scenario as run, loadable again. Returns 0 or -errno. */
static int write_resolved(const char *path, const struct cfg *c, const char *scenario)
{
    char header[8192];
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    char abs[PATH_MAX];
    if (realpath(scenario, abs)) {
        scenario = abs;
    }
    snprintf(header, sizeof header,
             "The scenario %s as ccsim %s ran it: base files, @include and command-line\n"
             "overrides resolved, every default filled in. Each value's origin follows it.\n"
             "Run it again with: ccsim run <this file>\n",
             scenario, CCSIM_VERSION);
    int rc = cfg_write(c, f, header);
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

static int write_results(struct outdir *od, const struct run_opts *o, struct cfg *c,
                         const struct scenario *sc, const struct experiment_result *res,
                         struct manifest *m)
{
    char err[1024], path[4096];
    int rc;

    rc = csv_write_summary(outdir_file(od, "summary.csv", path, sizeof path), sc, res);
    if (rc == 0) {
        rc =
            csv_write_replications(outdir_file(od, "replications.csv", path, sizeof path), sc, res);
    }
    if (rc == 0 && res->series) {
        rc = csv_write_timeseries(outdir_file(od, "timeseries.csv", path, sizeof path), sc, res);
    }
    if (rc == 0) {
        rc = write_resolved(outdir_file(od, "scenario.resolved.cfg", path, sizeof path), c,
                            o->scenario);
    }
    if (rc == 0) {
        rc = write_warnings(od);
    }
    if (rc == 0) {
        rc = write_manifest(od, m, path, sizeof path);
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", path, strerror(-rc));
        return CCSIM_ERUN;
    }
    if (outdir_commit(od, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EIO;
    }
    return 0;
}

/* --warmup auto: a pilot run of the scenario as given, MSER-5 on the mean of each weekly
 * series, and the scenario reloaded with the longest truncation as its warm-up. */
static int estimate_warmup(const struct run_opts *o, struct cfg *c, struct scenario **sc,
                           char *note, size_t note_len)
{
    if ((*sc)->n_series == 0 || (*sc)->n_points < 10) {
        fprintf(stderr,
                "ccsim: --warmup auto: the %s model publishes no weekly series to estimate it "
                "from; give warmup in the scenario\n",
                (*sc)->ops->name);
        return CCSIM_EINPUT;
    }
    struct experiment_spec pilot = {
        .sc = *sc,
        .replications = (*sc)->replications,
        .seed = (*sc)->seed,
        .threads = (int)o->threads,
        .show_progress = !o->is_quiet && progress_wanted(),
    };
    struct experiment_result res;
    if (experiment_run(&pilot, &res) != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", o->scenario, res.err);
        experiment_result_fini(&res);
        return CCSIM_ERUN;
    }
    int which;
    int points = warmup_estimate(&res, &which);
    double days = points * (*sc)->ops->series_period;
    experiment_result_fini(&res);
    bool at_cap = points >= 5 * (((*sc)->n_points / 5) / 2);
    snprintf(note, note_len,
             "warm-up estimated by MSER-5 on the weekly series: %g days (%d weeks, from %s)%s",
             days, points, scenario_series_name(*sc, which),
             at_cap ? "; this is the longest MSER-5 may choose (half the run): the series may not "
                      "settle within the horizon, so lengthen it or start from a snapshot"
                    : "");
    fprintf(stderr, "ccsim: %s\n", note);

    char assign[64];
    snprintf(assign, sizeof assign, "warmup=%.17g", days);
    cfg_set_as(c, assign, "--warmup auto (MSER-5)");
    scenario_destroy(*sc);
    *sc = scenario_load(c);
    if (!*sc) {
        diag_print(&c->diag, stderr);
        return CCSIM_EINPUT;
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.cmd = "run"};
    struct cfg c;
    struct outdir od;
    char err[1024];
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    struct scenario *sc = load_scenario(&o, o.scenario, &c);
    if (!sc) {
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    rc = check_inputs(o.outdir, o.force, o.scenario, &c);
    if (rc == 0) {
        struct budget b;
        budget_init(&b, (int)o.threads);
        budget_add(&b, sc, o.precision > 0 ? o.max_reps : sc->replications, 1, true);
        rc = check_budget(&b);
    }
    if (rc != 0) {
        scenario_destroy(sc);
        cfg_fini(&c);
        return rc;
    }
    char warmup_note[512] = "";
    if (o.warmup_auto) {
        rc = estimate_warmup(&o, &c, &sc, warmup_note, sizeof warmup_note);
        if (rc != 0) {
            scenario_destroy(sc);
            cfg_fini(&c);
            return rc;
        }
    }

    struct experiment_spec spec = {
        .sc = sc,
        .replications = sc->replications,
        .seed = sc->seed,
        .threads = (int)o.threads,
        .show_progress = !o.is_quiet && progress_wanted(),
    };
    struct manifest m = {
        .argc = argc,
        .argv = argv,
        .scenario = o.scenario,
        .model = sc->ops->name,
        .seed = spec.seed,
        .replications = spec.replications,
        .threads = spec.threads,
        .started = time(NULL),
    };
    /* The partial folder exists from here: an interrupted run removes it (signal handler) or,
     * if killed outright, leaves it, with its lock free, for the next run beside it to remove. */
    if (o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        scenario_destroy(sc);
        cfg_fini(&c);
        return CCSIM_ERUN;
    }
    struct experiment_result res;
    char report[512] = "";
    int failed;
    if (o.precision > 0) {
        bool reached;
        failed = experiment_run_precise(&spec, &res, o.precision, o.max_reps, &reached, report,
                                        sizeof report);
        m.replications = res.replications;
        m.note = report;
        /* The resolved scenario records the replications that ran, so that it reproduces the
         * results. */
        char assign[64];
        snprintf(assign, sizeof assign, "replications=%ld", res.replications);
        cfg_set_as(&c, assign, "--precision");
        if (!failed) {
            fprintf(stderr, "ccsim: %s\n", report);
        }
    } else {
        failed = experiment_run(&spec, &res);
    }
    if (warmup_note[0] && !m.note) {
        m.note = warmup_note;
    }
    if (failed) {
        fprintf(stderr, "ccsim: %s: %s\n", o.scenario, res.err);
        rc = CCSIM_ERUN;
        if (o.outdir) {
            outdir_abort(&od);
        }
    } else if (o.outdir) {
        m.finished = time(NULL);
        m.wall_seconds = res.wall_seconds;
        m.n_events = res.n_events;
        rc = write_results(&od, &o, &c, sc, &res, &m);
        if (rc != 0) {
            outdir_abort(&od);
        } else {
            draw_after(&o);
        }
    } else {
        csv_print_table(stdout, sc, &res);
    }
    experiment_result_fini(&res);
    scenario_destroy(sc);
    cfg_fini(&c);
    return rc;
}

/* ---- check -------------------------------------------------------------------------------- */

struct row {
    char *key, *value, *unit, *from;
};

struct rows {
    struct row *v;
    size_t n, cap;
};

static void add_row(void *ctx, const config_setting_t *s, const char *path,
                    const struct cfg_origin *o)
{
    struct rows *rows = ctx;
    char value[512], from[1024];

    if (rows->n == rows->cap) {
        rows->cap = rows->cap ? 2 * rows->cap : 64;
        rows->v = xrealloc(rows->v, rows->cap * sizeof *rows->v);
    }
    cfg_format_value(s, value, sizeof value);
    switch (o->kind) {
    case CFG_FROM_FILE:
        snprintf(from, sizeof from, "%s:%d", o->file, o->line);
        break;
    case CFG_FROM_SET:
        snprintf(from, sizeof from, "%s", o->file);
        break;
    case CFG_FROM_DEFAULT:
        if (o->source || (o->key && o->key->source)) {
            snprintf(from, sizeof from, "default (%s)", o->source ? o->source : o->key->source);
        } else {
            snprintf(from, sizeof from, "default");
        }
        break;
    }
    struct row *r = &rows->v[rows->n++];
    r->key = xstrdup(path);
    r->value = xstrdup(value);
    /* A distribution's parameters carry the unit of the quantity it describes. */
    const char *unit = o->key ? o->key->unit : NULL;
    int type = config_setting_type(s);
    if (!unit && config_setting_parent(s) &&
        (type == CONFIG_TYPE_FLOAT || type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)) {
        const struct cfg_origin *po = config_setting_get_hook(config_setting_parent(s));
        unit = po && po->key ? po->key->unit : NULL;
    }
    r->unit = xstrdup(unit ? unit : "");
    r->from = xstrdup(from);
}

static int cmd_sweep(int argc, char **argv)
{
    struct run_opts o = {.cmd = "sweep"};
    struct sweep_axis axes[SWEEP_MAX_KEYS];
    char err[1024], path[4096];
    struct outdir od;
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    for (int k = 0; k < o.n_vary; k++) {
        if (!sweep_parse_axis(o.vary[k], &axes[k], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim sweep --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    long n = sweep_n_points(axes, o.n_vary);
    if (n < 1 || n > 10000) {
        fprintf(stderr, "ccsim: sweep: too many points (at most 10000)\n");
        return CCSIM_EINPUT;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    /* Every point is loaded and validated before anything runs. */
    struct cfg *c = xcalloc((size_t)n, sizeof *c);
    struct scenario **sc = xcalloc((size_t)n, sizeof *sc);
    struct experiment_result *res = xcalloc((size_t)n, sizeof *res);
    long n_bad = 0, n_loaded = 0;
    for (long p = 0; p < n; p++) {
        cfg_init(&c[p]);
        n_loaded = p + 1;
        if (!cfg_load_file(&c[p], o.scenario)) {
            diag_print(&c[p].diag, stderr);
            n_bad = n;
            break;
        }
        for (int k = 0; k < o.n_vary; k++) {
            char assign[512], label[600];
            snprintf(assign, sizeof assign, "%.255s=%.15g", axes[k].key,
                     sweep_value(axes, o.n_vary, p, k));
            snprintf(label, sizeof label, "--vary %s", assign);
            cfg_set_as(&c[p], assign, label);
        }
        for (int i = 0; i < o.n_sets; i++) {
            cfg_set(&c[p], o.sets[i]);
        }
        if (o.reps >= 0) {
            char assign[64], option[64];
            snprintf(assign, sizeof assign, "replications=%lld", o.reps);
            snprintf(option, sizeof option, "-r %lld", o.reps);
            cfg_set_as(&c[p], assign, option);
        }
        if (o.seed >= 0) {
            char assign[64], option[64];
            snprintf(assign, sizeof assign, "seed=%lld", o.seed);
            snprintf(option, sizeof option, "-s %lld", o.seed);
            cfg_set_as(&c[p], assign, option);
        }
        sc[p] = scenario_load(&c[p]);
        if (!sc[p] || cfg_n_problems(&c[p]) > 0) {
            if (n_bad == 0) {
                diag_print(&c[p].diag, stderr);
            }
            n_bad++;
        } else {
            note_warnings(&c[p]);
        }
    }
    if (n_bad > 0) {
        fprintf(stderr, "ccsim: sweep: %ld of %ld points have problems%s; nothing was run\n",
                n_bad > n ? n : n_bad, n, n_bad > 1 ? " (the first shown)" : "");
        rc = CCSIM_EINPUT;
    }
    uint64_t seed = rc == 0 ? sc[0]->seed : 0;
    long reps = rc == 0 ? sc[0]->replications : 0;
    if (rc == 0) {
        rc = check_inputs(o.outdir, o.force, o.scenario, &c[0]);
    }
    if (rc == 0) {
        struct budget b;
        budget_init(&b, (int)o.threads);
        budget_add_many(&b, (const struct scenario *const *)sc, n, reps);
        rc = check_budget(&b);
    }
    struct manifest m = {.argc = argc,
                         .argv = argv,
                         .scenario = o.scenario,
                         .model = rc == 0 ? sc[0]->ops->name : "",
                         .seed = seed,
                         .replications = reps,
                         .threads = (int)o.threads,
                         .started = time(NULL)};
    if (rc == 0 && o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        rc = CCSIM_EIO;
    }
    bool has_dir = rc == 0 && o.outdir;
    struct progress bar;
    progress_init(&bar, rc == 0 && !o.is_quiet && progress_wanted(), n, "points");
    long n_run = 0;
    for (long p = 0; rc == 0 && p < n; p++) {
        struct experiment_spec spec = {
            .sc = sc[p], .replications = reps, .seed = seed, .threads = (int)o.threads};
        n_run = p + 1;
        if (experiment_run(&spec, &res[p]) != 0) {
            fprintf(stderr, "ccsim: sweep point %ld: %s\n", p + 1, res[p].err);
            rc = CCSIM_ERUN;
        }
        m.n_events += res[p].n_events;
        m.wall_seconds += res[p].wall_seconds;
        progress_step(&bar, 1);
    }
    progress_fini(&bar);
    if (rc == 0 && has_dir) {
        rc = sweep_write_csv(outdir_file(&od, "sweep.csv", path, sizeof path), axes, o.n_vary, n,
                             (const struct scenario *const *)sc, res);
        rc = finish_results(&od, &o, &m, rc, path, sizeof path);
    } else if (rc == 0) {
        if (sweep_write_csv("/dev/stdout", axes, o.n_vary, n, (const struct scenario *const *)sc,
                            res) != 0) {
            rc = CCSIM_ERUN;
        }
    } else if (has_dir) {
        outdir_abort(&od);
    }
    for (long p = 0; p < n_run; p++) {
        experiment_result_fini(&res[p]);
    }
    for (long p = 0; p < n_loaded; p++) {
        scenario_destroy(sc[p]);
        cfg_fini(&c[p]);
    }
    free(res);
    free(sc);
    free(c);
    return rc;
}

/* Loads the scenario with the command line's overrides and one more assignment (NULL for
 * none) under label; NULL after printing the problems when show is set. */
static struct scenario *load_variant(const struct run_opts *o, struct cfg *c, const char *assign,
                                     const char *label, bool show)
{
    cfg_init(c);
    if (!cfg_load_file(c, o->scenario)) {
        if (show) {
            diag_print(&c->diag, stderr);
        }
        return NULL;
    }
    char a[64], l[64];
    if (o->reps >= 0) {
        snprintf(a, sizeof a, "replications=%lld", o->reps);
        snprintf(l, sizeof l, "-r %lld", o->reps);
        cfg_set_as(c, a, l);
    }
    if (o->seed >= 0) {
        snprintf(a, sizeof a, "seed=%lld", o->seed);
        snprintf(l, sizeof l, "-s %lld", o->seed);
        cfg_set_as(c, a, l);
    }
    for (int i = 0; i < o->n_sets; i++) {
        cfg_set(c, o->sets[i]);
    }
    for (int i = 0; i < o->n_fitted; i++) {
        cfg_set_as(c, o->fitted[i], "calibrate (fitted)");
    }
    if (assign) {
        cfg_set_as(c, assign, label);
    }
    struct scenario *sc = scenario_load(c);
    if (sc && cfg_n_problems(c) > 0) {
        scenario_destroy(sc);
        sc = NULL;
    }
    if (!sc && show) {
        diag_print(&c->diag, stderr);
    }
    if (sc && show) {
        note_warnings(c);
    }
    return sc;
}

static int cmd_sensitivity(int argc, char **argv)
{
    struct run_opts o = {.cmd = "sensitivity"};
    char err[1024], path[4096];
    struct outdir od;
    int rc = parse_run(argc, argv, &o), n = 0;

    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    struct cfg c0;
    struct scenario *base = load_variant(&o, &c0, NULL, NULL, true);
    if (!base) {
        fprintf(stderr, "ccsim: problems in %s; nothing was run\n", o.scenario);
        cfg_fini(&c0);
        return CCSIM_EINPUT;
    }
    struct sens_param *params = sens_parameters(&c0, &n);
    if (n == 0) {
        fprintf(stderr, "ccsim: sensitivity: no parameter of %s declares a plausible range\n",
                o.scenario);
        free(params);
        scenario_destroy(base);
        cfg_fini(&c0);
        return CCSIM_EINPUT;
    }
    /* 2n variants, each validated before anything runs. */
    struct cfg *c = xcalloc((size_t)(2 * n), sizeof *c);
    struct scenario **sc = xcalloc((size_t)(2 * n), sizeof *sc);
    struct experiment_result *res = xcalloc((size_t)(2 * n), sizeof *res), base_res;
    for (int v = 0; v < 2 * n; v++) {
        const struct sens_param *p = &params[v / 2];
        double x = v % 2 == 0 ? p->key->plausible_lo : p->key->plausible_hi;
        char assign[640], label[700];
        snprintf(assign, sizeof assign, "%.511s=%.17g", p->path, x);
        snprintf(label, sizeof label, "sensitivity %s", assign);
        sc[v] = load_variant(&o, &c[v], assign, label, rc == 0);
        if (!sc[v]) {
            rc = CCSIM_EINPUT;
        }
    }
    uint64_t seed = base->seed;
    long reps = base->replications;
    if (rc == 0) {
        rc = check_inputs(o.outdir, o.force, o.scenario, &c0);
    }
    if (rc == 0) {
        struct budget b;
        budget_init(&b, (int)o.threads);
        const struct scenario **all = xcalloc((size_t)(2 * n + 1), sizeof *all);
        all[0] = base;
        for (int v = 0; v < 2 * n; v++) {
            all[v + 1] = sc[v];
        }
        budget_add_many(&b, all, 2L * n + 1, reps);
        free(all);
        rc = check_budget(&b);
    }
    struct manifest m = {.argc = argc,
                         .argv = argv,
                         .scenario = o.scenario,
                         .model = base->ops->name,
                         .seed = seed,
                         .replications = reps,
                         .threads = (int)o.threads,
                         .started = time(NULL)};
    if (rc == 0 && o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        rc = CCSIM_EIO;
    }
    bool has_dir = rc == 0 && o.outdir;
    struct progress bar;
    progress_init(&bar, rc == 0 && !o.is_quiet && progress_wanted(), 2 * n + 1, "runs");
    int n_run = 0;
    bool base_ran = false;
    for (int v = -1; rc == 0 && v < 2 * n; v++) {
        struct experiment_spec spec = {.sc = v < 0 ? base : sc[v],
                                       .replications = reps,
                                       .seed = seed,
                                       .threads = (int)o.threads};
        struct experiment_result *r = v < 0 ? &base_res : &res[v];
        if (v < 0) {
            base_ran = true;
        } else {
            n_run = v + 1;
        }
        if (experiment_run(&spec, r) != 0) {
            fprintf(stderr, "ccsim: sensitivity: %s\n", r->err);
            rc = CCSIM_ERUN;
        }
        m.n_events += r->n_events;
        m.wall_seconds += r->wall_seconds;
        progress_step(&bar, 1);
    }
    progress_fini(&bar);
    /* low[i] = res[2i], high[i] = res[2i + 1]: split into two arrays for the writer. */
    struct experiment_result *low = NULL, *high = NULL;
    if (rc == 0) {
        low = xcalloc((size_t)n, sizeof *low);
        high = xcalloc((size_t)n, sizeof *high);
        for (int i = 0; i < n; i++) {
            low[i] = res[2 * i];
            high[i] = res[2 * i + 1];
        }
    }
    if (rc == 0 && has_dir) {
        rc = sens_write_csv(outdir_file(&od, "sensitivity.csv", path, sizeof path), params, n, base,
                            &base_res, low, high);
        rc = finish_results(&od, &o, &m, rc, path, sizeof path);
    } else if (rc == 0) {
        if (sens_write_csv("/dev/stdout", params, n, base, &base_res, low, high) != 0) {
            rc = CCSIM_ERUN;
        }
    } else if (has_dir) {
        outdir_abort(&od);
    }
    free(low);
    free(high);
    if (base_ran) {
        experiment_result_fini(&base_res);
    }
    for (int v = 0; v < n_run; v++) {
        experiment_result_fini(&res[v]);
    }
    for (int v = 0; v < 2 * n; v++) {
        scenario_destroy(sc[v]);
        cfg_fini(&c[v]);
    }
    free(res);
    free(sc);
    free(c);
    free(params);
    scenario_destroy(base);
    cfg_fini(&c0);
    return rc;
}

struct calib_ctx {
    const struct run_opts *o;
    struct calib_free free_[CALIB_MAX];
    struct calib_target target[CALIB_MAX];
    bool show_problems;
};

/* The scenario with the free parameters at params, loaded into c (caller finalises). */
static struct scenario *calib_variant(struct calib_ctx *k, const double *params, struct cfg *c)
{
    struct run_opts o = *k->o;
    /* The fitted values go in after the command line's overrides. */
    char assign[CALIB_MAX][512];
    for (int i = 0; i < k->o->n_frees; i++) {
        snprintf(assign[i], sizeof assign[i], "%.255s=%.17g", k->free_[i].key, params[i]);
        o.fitted[i] = assign[i];
    }
    o.n_fitted = k->o->n_frees;
    return load_variant(&o, c, NULL, NULL, k->show_problems);
}

static double calib_eval(void *vctx, const double *params, double *means)
{
    struct calib_ctx *k = vctx;
    struct cfg c;
    double f = NAN;

    struct scenario *sc = calib_variant(k, params, &c);
    if (sc) {
        struct experiment_spec spec = {.sc = sc,
                                       .replications = sc->replications,
                                       .seed = sc->seed,
                                       .threads = (int)k->o->threads};
        struct experiment_result res;
        if (experiment_run(&spec, &res) == 0) {
            f = 0;
            for (int t = 0; t < k->o->n_targets; t++) {
                struct compare_entry e = {.sc = sc};
                int m = compare_metric_index(&e, k->target[t].metric);
                struct ci ci;
                ci_t(res.metrics + m, (size_t)res.replications, (size_t)res.n_metrics, 0.95, &ci);
                means[t] = ci.mean;
                double rel = (ci.mean - k->target[t].value) / k->target[t].value;
                f += rel * rel;
            }
        }
        experiment_result_fini(&res);
        scenario_destroy(sc);
    }
    cfg_fini(&c);
    return f;
}

static int cmd_calibrate(int argc, char **argv)
{
    struct run_opts o = {.cmd = "calibrate"};
    struct calib_ctx k = {.o = &o, .show_problems = true};
    char err[1024], path[4096];
    struct outdir od;
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    for (int i = 0; i < o.n_frees; i++) {
        if (!calib_parse_free(o.frees[i], &k.free_[i], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim calibrate --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    for (int i = 0; i < o.n_targets; i++) {
        if (!calib_parse_target(o.targets[i], &k.target[i], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim calibrate --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    /* Validate at both ends of every range, and the targets' metric names, before fitting. */
    double lo[CALIB_MAX], hi[CALIB_MAX];
    for (int i = 0; i < o.n_frees; i++) {
        lo[i] = k.free_[i].lo;
        hi[i] = k.free_[i].hi;
    }
    for (int end = 0; end < 2 && rc == 0; end++) {
        struct cfg c;
        struct scenario *sc = calib_variant(&k, end ? hi : lo, &c);
        if (!sc) {
            fprintf(stderr, "ccsim: problems at the %s end of the free ranges; nothing was run\n",
                    end ? "high" : "low");
            rc = CCSIM_EINPUT;
        } else if (end == 0) {
            rc = check_inputs(o.outdir, o.force, o.scenario, &c);
            struct budget b;
            budget_init(&b, (int)o.threads);
            budget_add(&b, sc, sc->replications, 1, false);
            if (rc == 0) {
                rc = check_budget(&b);
            }
        }
        for (int t = 0; sc && t < o.n_targets; t++) {
            struct compare_entry e = {.sc = sc};
            if (compare_metric_index(&e, k.target[t].metric) < 0) {
                fprintf(stderr, "ccsim: --target %s: the %s model has no metric '%s'\n",
                        o.targets[t], sc->ops->name, k.target[t].metric);
                rc = CCSIM_EINPUT;
            }
        }
        scenario_destroy(sc);
        cfg_fini(&c);
    }
    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EIO;
    }
    FILE *log = NULL;
    if (o.outdir) {
        log = fopen(outdir_file(&od, "evaluations.csv", path, sizeof path), "w");
        if (log) {
            fputs("evaluation", log);
            for (int i = 0; i < o.n_frees; i++) {
                fputc(',', log);
                csv_field(log, k.free_[i].key);
            }
            for (int i = 0; i < o.n_targets; i++) {
                fputc(',', log);
                csv_field(log, k.target[i].metric);
            }
            fputs(",objective\n", log);
        }
    }
    k.show_problems = false;
    struct calib_result best;
    time_t started = time(NULL);
    rc = calib_run(k.free_, o.n_frees, o.n_targets, calib_eval, &k, (int)o.max_iter, 1e-3, &best,
                   log);
    if (log && fclose(log) != 0) {
        rc = 1;
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: calibrate: no point of the free ranges could be evaluated\n");
        if (o.outdir) {
            outdir_abort(&od);
        }
        return CCSIM_ERUN;
    }
    /* The best point again, for its intervals and its resolved scenario. */
    struct cfg c;
    k.show_problems = true;
    struct scenario *sc = calib_variant(&k, best.params, &c);
    struct experiment_spec spec = {
        .sc = sc, .replications = sc->replications, .seed = sc->seed, .threads = (int)o.threads};
    struct experiment_result res;
    rc = experiment_run(&spec, &res) == 0 ? 0 : CCSIM_ERUN;
    FILE *out = stdout;
    if (o.outdir && rc == 0) {
        out = fopen(outdir_file(&od, "fit.csv", path, sizeof path), "w");
        rc = out ? 0 : CCSIM_ERUN;
    }
    if (rc == 0) {
        fprintf(stderr,
                "ccsim: calibrate: %s after %d iterations (%d evaluations); relative "
                "squared error %.3g\n",
                best.converged ? "converged" : "stopped", best.iterations, best.evaluations,
                best.objective);
        for (int i = 0; i < o.n_frees; i++) {
            fprintf(stderr, "  %s = %.6g\n", k.free_[i].key, best.params[i]);
        }
        fputs("metric,target,mean,ci_low,ci_high\n", out);
        for (int t = 0; t < o.n_targets; t++) {
            struct compare_entry e = {.sc = sc};
            int m = compare_metric_index(&e, k.target[t].metric);
            struct ci ci;
            ci_t(res.metrics + m, (size_t)res.replications, (size_t)res.n_metrics, 0.95, &ci);
            csv_field(out, k.target[t].metric);
            fprintf(out, ",%.10g,%.10g,%.10g,%.10g\n", k.target[t].value, ci.mean, ci.lo, ci.hi);
        }
    }
    if (o.outdir) {
        if (out && out != stdout && fclose(out) != 0) {
            rc = CCSIM_ERUN;
        }
        struct manifest m = {.argc = argc,
                             .argv = argv,
                             .scenario = o.scenario,
                             .model = sc->ops->name,
                             .seed = sc->seed,
                             .replications = sc->replications,
                             .threads = (int)o.threads,
                             .started = started,
                             .finished = time(NULL),
                             .n_events = res.n_events};
        if (rc == 0) {
            rc = write_resolved(outdir_file(&od, "calibrated.cfg", path, sizeof path), &c,
                                o.scenario) == 0
                     ? 0
                     : CCSIM_ERUN;
        }
        if (rc == 0) {
            rc = write_warnings(&od) == 0 ? 0 : CCSIM_ERUN;
        }
        if (rc == 0) {
            rc = write_manifest(&od, &m, path, sizeof path) == 0 ? 0 : CCSIM_ERUN;
        }
        if (rc == 0 && outdir_commit(&od, err, sizeof err) != 0) {
            fprintf(stderr, "ccsim: %s\n", err);
            rc = CCSIM_EIO;
        }
        if (rc != 0) {
            outdir_abort(&od);
        }
    }
    experiment_result_fini(&res);
    scenario_destroy(sc);
    cfg_fini(&c);
    return rc;
}

static const char usage_validate[] =
    "usage: ccsim validate [--dir DIR] [-o DIR] [-r REPS] [-s SEED] [-j THREADS] [-q] [--force]\n"
    "\n"
    "Runs the validation scenarios (default folder scenarios/validation) on the same clients and\n"
    "random numbers and prints, for each published effect, the published estimate with its 95%\n"
    "interval, the simulated effect with its paired 95% interval, and pass or fail. -o writes\n"
    "validation.csv and manifest.json. docs/validation.md explains every row.\n";

static int cmd_validate(int argc, char **argv)
{
    const char *dir = "scenarios/validation", *outdir = NULL;
    long long reps = -1, seed = -1, threads = 1;
    bool quiet = false, force = false;
    char err[1024], path[4096];

    usage_cmd = "validate";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        bool missing;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_validate, stdout);
            return 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(a, "--force") == 0) {
            force = true;
        } else if (take_value(argc, argv, &i, "", "--dir", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a folder", a);
            }
            dir = v;
        } else if (take_value(argc, argv, &i, "-o", "--output", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a folder name", a);
            }
            outdir = v;
        } else if (take_value(argc, argv, &i, "-r", "--replications", &v, &missing)) {
            if (missing || !parse_count("-r", v, 2, 1000000, &reps)) {
                return CCSIM_EUSAGE;
            }
        } else if (take_value(argc, argv, &i, "-s", "--seed", &v, &missing)) {
            if (missing || !parse_count("-s", v, 0, LLONG_MAX, &seed)) {
                return CCSIM_EUSAGE;
            }
        } else if (take_value(argc, argv, &i, "-j", "--threads", &v, &missing)) {
            if (missing || !parse_count("-j", v, 1, 256, &threads)) {
                return CCSIM_EUSAGE;
            }
        } else {
            return usage_error("validate: unexpected argument '%s'", a);
        }
    }
    if (outdir && outdir_check(outdir, force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    /* The distinct scenarios, each loaded once. */
    enum { MAXS = 16 };
    const char *files[MAXS];
    struct cfg c[MAXS];
    struct scenario *sc[MAXS] = {0};
    struct experiment_result res[MAXS];
    int n = 0, rc = 0;
    for (int r = 0; r < validate_n_rows; r++) {
        const char *pair[2] = {validate_rows[r].reference, validate_rows[r].treatment};
        for (int k = 0; k < 2; k++) {
            int found = -1;
            for (int i = 0; i < n; i++) {
                if (strcmp(files[i], pair[k]) == 0) {
                    found = i;
                }
            }
            if (found < 0 && n < MAXS) {
                files[n++] = pair[k];
            }
        }
    }
    struct run_opts o = {.cmd = "validate", .reps = reps, .seed = seed};
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        sc[i] = load_scenario(&o, path, &c[i]);
        if (!sc[i]) {
            rc = CCSIM_EINPUT;
        }
    }
    if (rc != 0) {
        for (int i = 0; i < n; i++) {
            scenario_destroy(sc[i]);
            cfg_fini(&c[i]);
        }
        return rc;
    }
    long nreps = sc[0]->replications;
    uint64_t s0 = sc[0]->seed;
    struct budget need;
    budget_init(&need, (int)threads);
    for (int i = 0; rc == 0 && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        rc = check_inputs(outdir, force, path, &c[i]);
        budget_add(&need, sc[i], nreps, 1, true);
    }
    if (rc == 0) {
        rc = check_budget(&need);
    }
    if (rc != 0) {
        for (int i = 0; i < n; i++) {
            scenario_destroy(sc[i]);
            cfg_fini(&c[i]);
        }
        return rc;
    }
    struct manifest m = {.argc = argc,
                         .argv = argv,
                         .scenario = dir,
                         .model = sc[0]->ops->name,
                         .seed = s0,
                         .replications = nreps,
                         .threads = (int)threads,
                         .started = time(NULL)};
    struct progress bar;
    progress_init(&bar, !quiet && progress_wanted(), n, "scenarios");
    int n_run = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct experiment_spec spec = {
            .sc = sc[i], .replications = nreps, .seed = s0, .threads = (int)threads};
        n_run = i + 1;
        if (experiment_run(&spec, &res[i]) != 0) {
            fprintf(stderr, "ccsim: %s: %s\n", files[i], res[i].err);
            rc = CCSIM_ERUN;
        }
        m.n_events += res[i].n_events;
        progress_step(&bar, 1);
    }
    progress_fini(&bar);
    struct outdir od;
    FILE *csv = NULL;
    if (rc == 0 && outdir) {
        if (outdir_begin(&od, outdir, force, err, sizeof err) != 0) {
            fprintf(stderr, "ccsim: %s\n", err);
            rc = CCSIM_EIO;
        } else if (!(csv = fopen(outdir_file(&od, "validation.csv", path, sizeof path), "w"))) {
            rc = CCSIM_ERUN;
        } else {
            fputs("row,source,published,published_low,published_high,simulated,simulated_low,"
                  "simulated_high,result\n",
                  csv);
        }
    }
    int passed = 0;
    if (rc == 0) {
        printf("validation: %ld replications, seed %llu, scenarios in %s\n\n", nreps,
               (unsigned long long)s0, dir);
        printf("%-62s %-24s %-26s %s\n", "published effect", "published (95% CI)",
               "simulated (95% CI)", "result");
    }
    for (int r = 0; rc == 0 && r < validate_n_rows; r++) {
        const struct validate_row *row = &validate_rows[r];
        int a = -1, b = -1;
        for (int i = 0; i < n; i++) {
            a = strcmp(files[i], row->reference) == 0 ? i : a;
            b = strcmp(files[i], row->treatment) == 0 ? i : b;
        }
        struct compare_entry ea = {.sc = sc[a]}, eb = {.sc = sc[b]};
        int ma = compare_metric_index(&ea, row->metric),
            mb = compare_metric_index(&eb, row->metric);
        if (ma < 0 || mb < 0) {
            fprintf(stderr, "ccsim: validate: no metric %s in %s\n", row->metric,
                    ma < 0 ? files[a] : files[b]);
            rc = CCSIM_EINPUT;
            break;
        }
        double *x = xcalloc((size_t)nreps, sizeof *x), *y = xcalloc((size_t)nreps, sizeof *y);
        for (long i = 0; i < nreps; i++) {
            x[i] = res[a].metrics[i * res[a].n_metrics + ma];
            y[i] = res[b].metrics[i * res[b].n_metrics + mb];
        }
        struct validate_outcome out;
        validate_effect(row, x, y, nreps, &out);
        free(x);
        free(y);
        passed += out.pass;
        char pub[64], sim[64];
        const char *kind = row->kind == VALIDATE_RR ? "RR" : "MD";
        if (row->rule == VALIDATE_NOT_BELOW) {
            snprintf(pub, sizeof pub, "%s >= %.3g (%.3g: %.3g-%.3g)", kind, row->lo, row->point,
                     row->lo, row->hi);
        } else {
            snprintf(pub, sizeof pub, "%s %.3g (%.3g to %.3g)", kind, row->point, row->lo, row->hi);
        }
        snprintf(sim, sizeof sim, "%s %.3g (%.3g to %.3g)", kind, out.point, out.lo, out.hi);
        printf("%-62s %-24s %-26s %s\n", row->label, pub, sim, out.pass ? "pass" : "FAIL");
        if (csv) {
            csv_field(csv, row->label);
            fputc(',', csv);
            csv_field(csv, row->source);
            fprintf(csv, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", row->point, row->lo, row->hi,
                    out.point, out.lo, out.hi, out.pass ? "pass" : "fail");
        }
    }
    if (rc == 0) {
        printf("\n%d of %d rows pass (see docs/validation.md for the reasons behind any "
               "failure)\n",
               passed, validate_n_rows);
    }
    if (csv) {
        if (fclose(csv) != 0 && rc == 0) {
            rc = CCSIM_ERUN;
        }
        m.finished = time(NULL);
        if (rc == 0 && (write_warnings(&od) || write_manifest(&od, &m, path, sizeof path))) {
            rc = CCSIM_ERUN;
        }
        if (rc == 0 && outdir_commit(&od, err, sizeof err) != 0) {
            fprintf(stderr, "ccsim: %s\n", err);
            rc = CCSIM_EIO;
        }
        if (rc != 0) {
            outdir_abort(&od);
        }
    }
    for (int i = 0; i < n_run; i++) {
        experiment_result_fini(&res[i]);
    }
    for (int i = 0; i < n; i++) {
        scenario_destroy(sc[i]);
        cfg_fini(&c[i]);
    }
    return rc;
}

/* Draws the figures of a results folder just written. The results are complete whatever
 * happens here: a missing gnuplot or a failed figure is reported and the run still succeeds. */
static void draw_after(const struct run_opts *o)
{
    char err[1024];
    if (!o->outdir || o->no_plots) {
        return;
    }
    int n = plot_folder(o->outdir, err, sizeof err);
    if (n < 0) {
        fprintf(stderr,
                "ccsim: no figures: %s; the results in %s are complete (draw them later "
                "with 'ccsim plot %s')\n",
                err, o->outdir, o->outdir);
    } else if (!o->is_quiet) {
        fprintf(stderr, "ccsim: %d figure%s in %s/figures (PNG, SVG, PDF)\n", n, n == 1 ? "" : "s",
                o->outdir);
    }
}

/* The end of a results folder whose own files are written (write_rc 0, or -errno for path):
 * the manifest, the rename into place and the figures; on any failure the partial folder is
 * removed. Returns 0 or CCSIM_EIO. */
static int finish_results(struct outdir *od, const struct run_opts *o, struct manifest *m,
                          int write_rc, char *path, size_t path_len)
{
    char err[1024];
    int rc = write_rc;

    m->finished = time(NULL);
    if (rc == 0) {
        rc = write_warnings(od);
    }
    if (rc == 0) {
        rc = write_manifest(od, m, path, path_len);
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", path, strerror(-rc));
        outdir_abort(od);
        return CCSIM_EIO;
    }
    if (outdir_commit(od, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        outdir_abort(od);
        return CCSIM_EIO;
    }
    draw_after(o);
    return 0;
}

static const char usage_plot[] =
    "usage: ccsim plot DIR\n"
    "\n"
    "Draws every figure the results folder DIR allows (from summary.csv, comparison.csv,\n"
    "timeseries.csv, sweep.csv, sensitivity.csv) into DIR/figures/ as PNG, SVG and PDF, with the\n"
    "gnuplot script and data of each beside it. run, compare, sweep and sensitivity draw their\n"
    "figures by default (--no-plots to skip). Needs gnuplot (make deps).\n";

/* plot_folder's codes (-1 the folder's content is unusable, -2 drawing failed) as error codes. */
static int plot_error(int n)
{
    return n == -2 ? CCSIM_ETOOL : CCSIM_EINPUT;
}

static int cmd_plot(int argc, char **argv)
{
    char err[1024];
    usage_cmd = "plot";
    if (argc >= 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
        fputs(usage_plot, stdout);
        return 0;
    }
    if (argc != 3) {
        return usage_error("plot: give one results folder");
    }
    int n = plot_folder(argv[2], err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "ccsim: plot: %s\n", err);
        return plot_error(n);
    }
    printf("%d figure%s in %s/figures (PNG, SVG, PDF, with their gnuplot scripts)\n", n,
           n == 1 ? "" : "s", argv[2]);
    return 0;
}

static const char usage_report[] =
    "usage: ccsim report DIR [--pdf]\n"
    "\n"
    "Writes DIR/report.html, one self-contained page (figures embedded): the question, the\n"
    "scenarios and what differs between them, the headline table with 95% intervals, the\n"
    "figures, every parameter with its source, the method and the validation status. --pdf\n"
    "also prints it to DIR/report.pdf with a headless Chromium (make deps-browser).\n";

/* report_write's codes (-1 the folder's content is unusable, otherwise writing or printing the
 * report failed) as error codes. */
static int report_error(int rc)
{
    return rc == -1 ? CCSIM_EINPUT : CCSIM_ETOOL;
}

static int cmd_report(int argc, char **argv)
{
    char err[1024];
    const char *dir = NULL;
    bool pdf = false;
    usage_cmd = "report";
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_report, stdout);
            return 0;
        } else if (strcmp(argv[i], "--pdf") == 0) {
            pdf = true;
        } else if (argv[i][0] == '-' || dir) {
            return usage_error("report: unexpected argument '%s'", argv[i]);
        } else {
            dir = argv[i];
        }
    }
    if (!dir) {
        return usage_error("report: give a results folder");
    }
    int rc = report_write(dir, pdf, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: report: %s\n", err);
        return report_error(rc);
    }
    printf("%s/report.html%s\n", dir, pdf ? " and report.pdf" : "");
    return 0;
}

/* The name a scenario goes by in a comparison: its file name without folder and ".cfg". */
static void scenario_label(const char *path, char *buf, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0) {
        len -= 4;
    }
    snprintf(buf, n, "%.*s", (int)len, base);
}

static int cmd_compare(int argc, char **argv)
{
    struct run_opts o = {.cmd = "compare"};
    struct cfg c[MAX_SCENARIOS];
    struct compare_entry e[MAX_SCENARIOS];
    char names[MAX_SCENARIOS][256], err[1024], path[4096], file[512];
    struct outdir od;
    int rc = parse_run(argc, argv, &o), n_loaded = 0;

    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    memset(e, 0, sizeof e);
    for (int i = 0; i < o.n_scenarios; i++) {
        scenario_label(o.scenarios[i], names[i], sizeof names[i]);
        for (int k = 0; k < i; k++) {
            if (strcmp(names[k], names[i]) == 0) {
                fprintf(stderr,
                        "ccsim: compare: two scenarios are named '%s' (%s and %s); "
                        "rename one\n",
                        names[i], o.scenarios[k], o.scenarios[i]);
                rc = CCSIM_EINPUT;
            }
        }
        e[i].name = names[i];
        e[i].sc = load_scenario(&o, o.scenarios[i], &c[i]);
        n_loaded = i + 1;
        if (!e[i].sc) {
            rc = CCSIM_EINPUT;
        }
    }
    /* Every scenario runs the first one's replications and seed: common random numbers. */
    long reps = rc == 0 ? e[0].sc->replications : 0;
    uint64_t seed = rc == 0 ? e[0].sc->seed : 0;
    struct budget b;
    budget_init(&b, (int)o.threads);
    for (int i = 0; rc == 0 && i < o.n_scenarios; i++) {
        rc = check_inputs(o.outdir, o.force, o.scenarios[i], &c[i]);
        budget_add(&b, e[i].sc, reps, 1, true);
    }
    if (rc == 0) {
        rc = check_budget(&b);
    }
    /* Each resolved scenario records the replications and seed it ran with. */
    for (int i = 1; rc == 0 && i < o.n_scenarios; i++) {
        char assign[64];
        if (e[i].sc->replications != reps) {
            snprintf(assign, sizeof assign, "replications=%ld", reps);
            cfg_set_as(&c[i], assign, "compare (the first scenario's replications)");
        }
        if (e[i].sc->seed != seed) {
            snprintf(assign, sizeof assign, "seed=%llu", (unsigned long long)seed);
            cfg_set_as(&c[i], assign, "compare (the first scenario's seed)");
        }
    }
    struct manifest m = {
        .argc = argc,
        .argv = argv,
        .scenario = o.scenario,
        .model = rc == 0 ? e[0].sc->ops->name : "",
        .seed = seed,
        .replications = reps,
        .threads = (int)o.threads,
        .started = time(NULL),
    };
    if (rc == 0 && o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        rc = CCSIM_EIO;
    }
    bool has_dir = rc == 0 && o.outdir;
    int n_run = 0;
    for (int i = 0; rc == 0 && i < o.n_scenarios; i++) {
        struct experiment_spec spec = {
            .sc = e[i].sc,
            .replications = reps,
            .seed = seed,
            .threads = (int)o.threads,
            .show_progress = !o.is_quiet && progress_wanted(),
        };
        if (spec.show_progress) {
            fprintf(stderr, "%s:\n", names[i]);
        }
        n_run = i + 1;
        if (experiment_run(&spec, &e[i].res) != 0) {
            fprintf(stderr, "ccsim: %s: %s\n", o.scenarios[i], e[i].res.err);
            rc = CCSIM_ERUN;
        }
        m.n_events += e[i].res.n_events;
        m.wall_seconds += e[i].res.wall_seconds;
    }
    if (rc == 0 && has_dir) {
        rc = compare_write_csv(outdir_file(&od, "comparison.csv", path, sizeof path), e,
                               o.n_scenarios);
        for (int i = 0; rc == 0 && i < o.n_scenarios; i++) {
            snprintf(file, sizeof file, "%.255s.replications.csv", names[i]);
            rc = csv_write_replications(outdir_file(&od, file, path, sizeof path), e[i].sc,
                                        &e[i].res);
            if (rc == 0) {
                snprintf(file, sizeof file, "%.255s.resolved.cfg", names[i]);
                rc = write_resolved(outdir_file(&od, file, path, sizeof path), &c[i],
                                    o.scenarios[i]);
            }
        }
        rc = finish_results(&od, &o, &m, rc, path, sizeof path);
    } else if (rc == 0) {
        compare_print_table(stdout, e, o.n_scenarios);
    } else if (has_dir) {
        outdir_abort(&od);
    }
    for (int i = 0; i < n_run; i++) {
        experiment_result_fini(&e[i].res);
    }
    for (int i = 0; i < n_loaded; i++) {
        scenario_destroy((struct scenario *)e[i].sc);
        cfg_fini(&c[i]);
    }
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    struct run_opts o = {.cmd = "check"};
    struct cfg c;
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    struct scenario *sc = load_scenario(&o, o.scenario, &c);
    if (!sc) {
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    struct budget b;
    char need[512];
    budget_init(&b, 1);
    budget_add(&b, sc, sc->replications, 1, true);
    if (check_budget(&b) != 0) {
        scenario_destroy(sc);
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    struct rows rows = {0};
    cfg_walk(&c, add_row, &rows);
    int wk = 3, wv = 5, wu = 4;
    for (size_t i = 0; i < rows.n; i++) {
        int k = (int)strlen(rows.v[i].key), v = (int)strlen(rows.v[i].value),
            u = (int)strlen(rows.v[i].unit);
        wk = k > wk ? k : wk;
        wv = v > wv && v <= 32 ? v : wv;
        wu = u > wu ? u : wu;
    }
    budget_describe(&b, need, sizeof need);
    printf("%s: valid; model \"%s\", %ld replications, seed %llu, %d metrics\n", o.scenario,
           sc->ops->name, sc->replications, (unsigned long long)sc->seed, sc->n_metrics);
    printf("a run needs %s\n\n", need);
    printf("%-*s  %-*s  %-*s  %s\n", wk, "key", wv, "value", wu, "unit", "from");
    for (size_t i = 0; i < rows.n; i++) {
        struct row *r = &rows.v[i];
        printf("%-*s  %-*s  %-*s  %s\n", wk, r->key, wv, r->value, wu, r->unit, r->from);
        free(r->key);
        free(r->value);
        free(r->unit);
        free(r->from);
    }
    free(rows.v);
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}

static int cmd_keys(int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            puts("usage: ccsim keys\n\nPrints the reference of every scenario key (Markdown), as "
                 "in docs/scenarios.md.");
            return 0;
        }
        usage_cmd = "keys";
        return usage_error("keys: unexpected argument '%s'", argv[i]);
    }
    if (reference_write_markdown(stdout) != 0) {
        fprintf(stderr, "ccsim: keys: cannot write: %s\n", strerror(errno));
        return CCSIM_EIO;
    }
    return 0;
}

int main(int argc, char **argv)
{
    sim_fail_install_gsl_handler();
    install_signals();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return ccsim_exit_status(CCSIM_EUSAGE);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ccsim %s (%s)\n", CCSIM_VERSION, CCSIM_GIT_REV);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } commands[] = {
        {"run", cmd_run},
        {"check", cmd_check},
        {"compare", cmd_compare},
        {"sweep", cmd_sweep},
        {"sensitivity", cmd_sensitivity},
        {"calibrate", cmd_calibrate},
        {"validate", cmd_validate},
        {"plot", cmd_plot},
        {"report", cmd_report},
        {"keys", cmd_keys},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) == 0) {
            return ccsim_exit_status(commands[i].fn(argc, argv));
        }
    }
    fprintf(stderr, "ccsim: unknown command '%s'\n%s", cmd, usage_main);
    return ccsim_exit_status(CCSIM_EUSAGE);
}
