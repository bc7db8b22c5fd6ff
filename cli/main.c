/*
 * ccsim — the command-line program.
 *
 * Exit status: 0 done; 1 failed while running (a replication failed, a file could not be
 * written); 2 bad command line or scenario (nothing is run and nothing is written).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/experiment.h"
#include "analysis/outdir.h"
#include "analysis/progress.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

#define EXIT_RUN_FAILED 1
#define EXIT_USAGE 2

static const char usage_main[] =
    "usage: ccsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg    run the replications of a scenario and summarise them\n"
    "\n"
    "options:\n"
    "  -h, --help          show this help (ccsim run --help: the options of run)\n"
    "  --version           show the version\n"
    "\n"
    "Exit status: 0 done, 1 failed while running, 2 bad command line or scenario.\n";

static const char usage_run[] =
    "usage: ccsim run SCENARIO.cfg [-o DIR] [-r REPS] [-s SEED] [-j THREADS] [-q] [--force]\n"
    "\n"
    "Runs the scenario's replications and prints a summary table (mean, sd, 95% confidence\n"
    "interval across replications), or writes it to a results folder with -o.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR        write DIR/summary.csv and DIR/replications.csv; DIR must not\n"
    "                          exist (see --force); it appears complete or not at all\n"
    "  -r, --replications N    replications, overriding the scenario (2..1000000)\n"
    "  -s, --seed N            scenario seed, overriding the scenario (integer >= 0)\n"
    "  -j, --threads N         run replications on N threads (1..256); results do not depend\n"
    "                          on N\n"
    "  -q, --quiet             no progress bar (it is shown only on a terminal anyway)\n"
    "      --force             replace DIR if it exists\n"
    "  -h, --help              show this help\n";

struct run_opts {
    const char *scenario;
    const char *outdir;
    long long reps; /* -1: from the scenario */
    long long seed; /* -1: from the scenario */
    long long threads;
    bool is_quiet;
    bool force;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ccsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'ccsim run --help')\n");
    return EXIT_USAGE;
}

/* Parses a whole number in [lo, hi] for an option; prints the problem and returns false. */
static bool parse_count(const char *opt, const char *text, long long lo, long long hi,
                        long long *out)
{
    char *end;

    errno = 0;
    long long v = strtoll(text, &end, 10);
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
    o->reps = -1;
    o->seed = -1;
    o->threads = 1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        bool missing;

        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_run, stdout);
            exit(0);
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->is_quiet = true;
        } else if (strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (take_value(argc, argv, &i, "-o", "--output", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a folder name", a);
            }
            o->outdir = v;
        } else if (take_value(argc, argv, &i, "-r", "--replications", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-r", v, 2, 1000000, &o->reps)) {
                return EXIT_USAGE;
            }
        } else if (take_value(argc, argv, &i, "-s", "--seed", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-s", v, 0, LLONG_MAX, &o->seed)) {
                return EXIT_USAGE;
            }
        } else if (take_value(argc, argv, &i, "-j", "--threads", &v, &missing)) {
            if (missing) {
                return usage_error("%s: needs a number", a);
            }
            if (!parse_count("-j", v, 1, 256, &o->threads)) {
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->scenario) {
            return usage_error("one scenario at a time ('%s' is extra)", a);
        } else {
            o->scenario = a;
        }
    }
    if (!o->scenario) {
        return usage_error("%s", "run: no scenario file given");
    }
    return 0;
}

static void on_signal(int sig)
{
    outdir_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int write_results(const struct run_opts *o, const struct scenario *sc,
                         const struct experiment_result *res)
{
    struct outdir od;
    char err[1024], path[4096];
    int rc;

    if (outdir_begin(&od, o->outdir, o->force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    rc = csv_write_summary(outdir_file(&od, "summary.csv", path, sizeof path), sc, res);
    if (rc == 0) {
        rc = csv_write_replications(outdir_file(&od, "replications.csv", path, sizeof path), sc,
                                    res);
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", path, strerror(-rc));
        outdir_abort(&od);
        return EXIT_RUN_FAILED;
    }
    if (outdir_commit(&od, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        outdir_abort(&od);
        return EXIT_RUN_FAILED;
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    struct cfg c;
    char err[1024];
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return EXIT_USAGE;
    }
    cfg_init(&c);
    struct scenario *sc = cfg_load_file(&c, o.scenario) ? scenario_load(&c) : NULL;
    if (!sc) {
        diag_print(&c.diag, stderr);
        int n = cfg_n_problems(&c);
        fprintf(stderr, "ccsim: %d problem%s in %s; nothing was run\n", n, n == 1 ? "" : "s",
                o.scenario);
        cfg_fini(&c);
        return EXIT_USAGE;
    }

    struct experiment_spec spec = {
        .sc = sc,
        .replications = o.reps > 0 ? o.reps : sc->replications,
        .seed = o.seed >= 0 ? (uint64_t)o.seed : sc->seed,
        .threads = (int)o.threads,
        .show_progress = !o.is_quiet && progress_wanted(),
    };
    struct experiment_result res;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (experiment_run(&spec, &res) != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", o.scenario, res.err);
        rc = EXIT_RUN_FAILED;
    } else if (o.outdir) {
        rc = write_results(&o, sc, &res);
    } else {
        csv_print_table(stdout, sc, &res);
    }
    experiment_result_fini(&res);
    scenario_destroy(sc);
    cfg_fini(&c);
    return rc;
}

int main(int argc, char **argv)
{
    sim_fail_install_gsl_handler();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
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
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc, argv);
    }
    fprintf(stderr, "ccsim: unknown command '%s'\n%s", cmd, usage_main);
    return EXIT_USAGE;
}
