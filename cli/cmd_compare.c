/* compare: the same clients under each scenario, paired differences. */
#include "cli/cli.h"

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

int cmd_compare(int argc, char **argv)
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
        rc = compare_write_csv_flags(outdir_file(&od, "comparison.csv", path, sizeof path), e,
                                     o.n_scenarios, CSV_DESCRIBED);
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
