/* inputs — a command's options as the runner takes them: overrides, settings, -o checked. */
#include "cli/cli.h"

int parse_run(int argc, char **argv, struct run_opts *o)
{
    const struct command *cmd = &cmd_spec_run;

    for (int i = 0; i < n_cmd_specs; i++) {
        if (strcmp(cmd_specs[i]->name, o->cmd) == 0) {
            cmd = cmd_specs[i];
        }
    }
    o->reps = -1; /* from the scenario; the other defaults are the table's */
    o->seed = -1;
    int rc = options_parse(cmd, argc, argv, o, o->scenarios, &o->n_scenarios);
    if (rc == OPTIONS_HELP) {
        exit(0);
    }
    /* A scenario named rather than given as a file: its file in the scenarios folder. One
     * command line is parsed per process, so the found paths live as long as it. */
    static char found[MAX_SCENARIOS][4096];
    for (int i = 0; rc == 0 && i < o->n_scenarios && i < MAX_SCENARIOS; i++) {
        rc = scenario_resolve(o->scenarios[i], found[i], sizeof found[i]);
        o->scenarios[i] = found[i];
    }
    o->scenario = o->n_scenarios > 0 ? o->scenarios[0] : NULL;
    return rc;
}

/* -j unless given: one thread per online core, within the option's range (1..256). */
/* One thread per online processor; under MPI, per processor this rank is bound to (several
 * ranks share a machine). */
static int default_threads(void)
{
    if (par_size() > 1) {
        return par_cpus();
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

/* The store of the finished replications of a run into o->outdir (unitstore.h); what it
 * found is said when the folder is begun (results_begin()). */
static void open_units(struct setup *s, const struct run_opts *o)
{
    char *folder = outdir_units_folder(o->outdir);

    s->is_resume = o->resume != NULL;
    s->units = unitstore_create(folder, s->is_resume);
    s->spec.units = s->units;
    free(folder);
}

void setup_init(struct setup *s, const struct run_opts *o, const char *unit)
{
    int n = 0;

    memset(s, 0, sizeof *s);
    clock_gettime(CLOCK_MONOTONIC, &s->started);
    if (o->reps >= 0) {
        snprintf(s->text[0], sizeof s->text[0], "replications=%lld", o->reps);
        snprintf(s->text[1], sizeof s->text[1], "-r %lld", o->reps);
        s->common[n++] = (struct override){s->text[0], s->text[1]};
    }
    if (o->seed >= 0) {
        snprintf(s->text[2], sizeof s->text[2], "seed=%lld", o->seed);
        snprintf(s->text[3], sizeof s->text[3], "-s %lld", o->seed);
        s->common[n++] = (struct override){s->text[2], s->text[3]};
    }
    for (int i = 0; i < o->n_sets; i++) {
        s->common[n++] = (struct override){o->sets[i], NULL};
    }
    warnings_init(&s->warnings);
    s->spec = (struct runner_spec){
        .name = o->cmd,
        .unit = unit,
        .common = s->common,
        .n_common = n,
        .threads = o->threads > 0 ? (int)o->threads : default_threads(),
        .show_progress = !o->is_quiet && progress_wanted(),
        .progress = RUNNER_PROGRESS_EACH,
        .report = RUNNER_REPORT_EACH,
        .budget = RUNNER_BUDGET_EACH,
        .outdir = o->outdir,
        .force = o->force,
        .warnings = &s->warnings,
        .msgs = stderr,
    };
    if (o->outdir) {
        open_units(s, o);
    }
}

void setup_fini(struct setup *s)
{
    unitstore_destroy(s->units);
    s->units = NULL;
    warnings_fini(&s->warnings);
}

int check_outdir(struct run_opts *o)
{
    char err[1024];
    struct stat st;

    if (o->resume) {
        if (o->outdir && strcmp(o->outdir, o->resume) != 0) {
            return usage_error("--resume %s writes the results to %s: give -o the same folder, "
                               "or leave -o out",
                               o->resume, o->resume);
        }
        o->outdir = o->resume;
    }
    if (!o->outdir) {
        return 0;
    }
    /* Under MPI, rank 0's view of the folder decides for every rank (analysis/par.h). */
    int rc = par_is_root() ? outdir_check(o->outdir, o->force, err, sizeof err) : 0;
    char why[512];
    if (rc == CCSIM_EEXIST && o->resume && !o->force && lstat(o->outdir, &st) == 0 &&
        S_ISDIR(st.st_mode) && outdir_is_results(o->outdir, why, sizeof why)) {
        fprintf(stderr,
                "ccsim: --resume %s: the folder exists already, so its run was not interrupted: "
                "nothing to resume (add --force to run it again and replace it)\n",
                o->outdir);
    } else if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
    }
    return par_root_int(rc);
}
