/* calibrate: fit free parameters to target outcomes. */
#include "cli/cli.h"

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

int cmd_calibrate(int argc, char **argv)
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
