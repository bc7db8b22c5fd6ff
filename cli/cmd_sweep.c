/* sweep and sensitivity: one scenario at many points, on the same random numbers. */
#include "cli/cli.h"

int cmd_sweep(int argc, char **argv)
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
        /* After the point's values, so that a --set of the same key wins as before. */
        apply_overrides(&o, &c[p]);
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
        rc = sweep_write_csv_flags(outdir_file(&od, "sweep.csv", path, sizeof path), axes, o.n_vary,
                                   n, (const struct scenario *const *)sc, res, CSV_DESCRIBED);
        rc = finish_results(&od, &o, &m, rc, path, sizeof path);
    } else if (rc == 0) {
        if (sweep_write_csv_flags("/dev/stdout", axes, o.n_vary, n,
                                  (const struct scenario *const *)sc, res, CSV_DESCRIBED) != 0) {
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
struct scenario *load_variant(const struct run_opts *o, struct cfg *c, const char *assign,
                              const char *label, bool show)
{
    cfg_init(c);
    if (!cfg_load_file(c, o->scenario)) {
        if (show) {
            diag_print(&c->diag, stderr);
        }
        return NULL;
    }
    apply_overrides(o, c);
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

int cmd_sensitivity(int argc, char **argv)
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
        rc = sens_write_csv_flags(outdir_file(&od, "sensitivity.csv", path, sizeof path), params, n,
                                  base, &base_res, low, high, CSV_DESCRIBED);
        rc = finish_results(&od, &o, &m, rc, path, sizeof path);
    } else if (rc == 0) {
        if (sens_write_csv_flags("/dev/stdout", params, n, base, &base_res, low, high,
                                 CSV_DESCRIBED) != 0) {
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
