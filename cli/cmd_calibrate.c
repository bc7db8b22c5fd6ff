/* calibrate: fit free parameters to target outcomes. */
#include "cli/cli.h"

struct calib_ctx {
    const struct run_opts *o;
    struct setup *s;
    struct calib_free free_[CALIB_MAX];
    struct calib_target target[CALIB_MAX_TARGETS];
    int n_targets;
};

/* A variant with the free parameters at params, after the command line's overrides (assign
 * and ov hold its overrides). */
static struct variant fitted(const struct calib_ctx *k, const double *params, const char *label,
                             char (*assign)[512], struct override *ov)
{
    for (int i = 0; i < k->o->n_frees; i++) {
        snprintf(assign[i], sizeof assign[i], "%.255s=%.17g", k->free_[i].key, params[i]);
        ov[i] = (struct override){assign[i], "calibrate (fitted)"};
    }
    return (struct variant){
        .label = label, .path = k->o->scenario, .own = ov, .n_own = k->o->n_frees};
}

/* The 95% interval of metric m of a run. */
static void metric_ci(const struct experiment_result *res, int m, struct ci *ci)
{
    ci_t(res->metrics + m, (size_t)res->replications, (size_t)res->n_metrics, 0.95, ci);
}

/* The objective at params: the sum of squared relative errors of the targets' means (NAN when
 * the point cannot be loaded or run; evaluations print nothing). */
static double calib_eval(void *vctx, const double *params, double *means)
{
    struct calib_ctx *k = vctx;
    char assign[CALIB_MAX][512];
    struct override ov[CALIB_MAX];
    struct variant v = fitted(k, params, "evaluation", assign, ov);
    struct runner_spec spec = k->s->spec;
    struct runner r;
    double f = NAN;

    spec.progress = RUNNER_PROGRESS_NONE;
    spec.budget = RUNNER_BUDGET_NONE;
    spec.outdir = NULL;
    spec.warnings = NULL;
    spec.msgs = NULL;
    if (runner_load(&r, &spec, &v, 1) == 0 && runner_run(&r) == 0) {
        f = 0;
        for (int t = 0; t < k->n_targets; t++) {
            struct ci ci;
            metric_ci(&r.res[0], runner_metric(&r, 0, k->target[t].metric), &ci);
            means[t] = ci.mean;
            double e = (ci.mean - k->target[t].value) / k->target[t].scale;
            f += k->target[t].fit ? e * e : 0.0;
        }
    }
    runner_fini(&r);
    return f;
}

/* Both ends of every range loaded and checked, and the targets' metric names, before fitting;
 * r keeps them (in v) for the manifest; the caller finalises it. Without free parameters (a
 * check of the scenario against its targets) r holds the scenario as it is, to be run. */
static int check_ends(struct calib_ctx *k, struct runner *r, struct variant *v,
                      char (*assign)[CALIB_MAX][512], struct override (*ov)[CALIB_MAX])
{
    double lo[CALIB_MAX], hi[CALIB_MAX];
    struct runner_spec spec = k->s->spec;
    int n = 2;

    for (int i = 0; i < k->o->n_frees; i++) {
        lo[i] = k->free_[i].lo;
        hi[i] = k->free_[i].hi;
    }
    if (k->o->n_frees == 0) {
        v[0] = (struct variant){.label = "scenario", .path = k->o->scenario};
        n = 1;
    } else {
        v[0] = fitted(k, lo, "low end", assign[0], ov[0]);
        v[1] = fitted(k, hi, "high end", assign[1], ov[1]);
        spec.report = RUNNER_REPORT_POINTS;
        spec.unit = "ends of the free ranges";
    }
    spec.budget = RUNNER_BUDGET_MEMORY;
    int rc = runner_load(r, &spec, v, n);
    for (int t = 0; rc == 0 && t < k->n_targets; t++) {
        if (runner_metric(r, 0, k->target[t].metric) < 0) {
            if (k->target[t].line > 0) {
                fprintf(stderr, "ccsim: %s:%d: column 'metric': the %s model has no metric '%s'\n",
                        k->o->target_file, k->target[t].line, r->sc[0]->ops->name,
                        k->target[t].metric);
            } else {
                fprintf(stderr, "ccsim: --target %s: the %s model has no metric '%s'\n",
                        k->o->targets[t], r->sc[0]->ops->name, k->target[t].metric);
            }
            rc = CCSIM_EINPUT;
        }
    }
    return rc;
}

/* evaluations.csv's header (the log calib_run() writes a row to per evaluation). */
static FILE *open_log(struct folder *f, const struct calib_ctx *k)
{
    char path[4096];

    if (!k->o->outdir) {
        return NULL;
    }
    FILE *log = fopen(folder_file(f, "evaluations.csv", path, sizeof path), "w");
    if (log) {
        fputs("evaluation", log);
        for (int i = 0; i < k->o->n_frees; i++) {
            fputc(',', log);
            csv_field(log, k->free_[i].key);
        }
        for (int i = 0; i < k->n_targets; i++) {
            fputc(',', log);
            csv_field(log, k->target[i].metric);
        }
        fputs(",objective\n", log);
    }
    return log;
}

/* A number for a table in words: NA when undefined. */
static void md_number(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
    } else {
        fprintf(out, "%.4g", x);
    }
}

/* calibration.md: the table of targets, sources and what the run gave, in Markdown. */
static void write_markdown(FILE *out, const struct calib_ctx *k, const struct runner *r)
{
    fputs("| outcome | target | range | source | tag | use | simulated (95% interval) | inside |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- |\n",
          out);
    for (int t = 0; t < k->n_targets; t++) {
        const struct calib_target *tg = &k->target[t];
        int m = runner_metric(r, 0, tg->metric);
        const struct metric_desc *d = scenario_metric(r->sc[0], m);
        struct ci ci;
        metric_ci(&r->res[0], m, &ci);
        fprintf(out, "| %s (`%s`) | ", d->label ? d->label : d->name, tg->metric);
        md_number(out, tg->value);
        fputs(" | ", out);
        md_number(out, tg->lo);
        fputs(" to ", out);
        md_number(out, tg->hi);
        fprintf(out, " | %s | %s | %s | ", tg->source, tg->tag[0] ? tg->tag : "-",
                tg->fit ? "fit" : "check");
        md_number(out, ci.mean);
        fputs(" (", out);
        md_number(out, ci.lo);
        fputs(" to ", out);
        md_number(out, ci.hi);
        fprintf(out, ") | %s |\n",
                isnan(tg->lo)               ? "-"
                : calib_inside(tg, ci.mean) ? "yes"
                                            : "**no**");
    }
}

/* The fit of the best point (or, best NULL, the check of the scenario): on stderr, and fit.csv
 * (or stdout), calibration.md and calibrated.cfg; with u (the fit's uncertainty, or NULL when it
 * could not be measured) the parameters' intervals, params.csv and the warning when the targets
 * do not identify them. *outside gets the targets outside their range. */
static int write_fit(struct folder *f, const struct calib_ctx *k, const struct calib_result *best,
                     const struct calib_uncert *u, const struct runner *r, int *outside)
{
    char path[4096] = "/dev/stdout";
    FILE *out = stdout;

    if (k->o->outdir && !(out = fopen(folder_file(f, "fit.csv", path, sizeof path), "w"))) {
        return results_wrote(f, -errno, path);
    }
    if (best) {
        fprintf(stderr,
                "ccsim: calibrate: %s after %d iterations (%d evaluations); squared error %.3g\n",
                best->converged ? "converged" : "stopped", best->iterations, best->evaluations,
                best->objective);
        for (int i = 0; i < k->o->n_frees; i++) {
            fprintf(stderr, "  %s = %.6g", k->free_[i].key, best->params[i]);
            if (u) {
                fprintf(stderr, " (95%% interval %.4g to %.4g of %g to %g)%s", u->ci_lo[i],
                        u->ci_hi[i], k->free_[i].lo, k->free_[i].hi,
                        u->problem[i] ? ": not identified" : "");
            }
            fputc('\n', stderr);
        }
    }
    *outside = 0;
    fputs("metric,target,low,high,mean,ci_low,ci_high,inside,use,tag,source\n", out);
    for (int t = 0; t < k->n_targets; t++) {
        const struct calib_target *tg = &k->target[t];
        struct ci ci;
        metric_ci(&r->res[0], runner_metric(r, 0, tg->metric), &ci);
        bool in = calib_inside(tg, ci.mean);
        *outside += !in;
        csv_field(out, tg->metric);
        fputc(',', out);
        csv_number(out, tg->value);
        fputc(',', out);
        csv_number(out, tg->lo);
        fputc(',', out);
        csv_number(out, tg->hi);
        fputc(',', out);
        csv_number(out, ci.mean);
        fputc(',', out);
        csv_number(out, ci.lo);
        fputc(',', out);
        csv_number(out, ci.hi);
        fprintf(out, ",%s,%s,",
                isnan(tg->lo) ? "NA"
                : in          ? "yes"
                              : "no",
                tg->fit ? "fit" : "check");
        csv_field(out, tg->tag[0] ? tg->tag : "NA");
        fputc(',', out);
        csv_field(out, tg->source);
        fputc('\n', out);
        if (isnan(ci.lo)) { /* one replication */
            fprintf(stderr, "  %-40s %10.4g (no interval)", tg->metric, ci.mean);
        } else {
            fprintf(stderr, "  %-40s %10.4g (%.4g to %.4g)", tg->metric, ci.mean, ci.lo, ci.hi);
        }
        if (isnan(tg->lo)) {
            fprintf(stderr, "  target %.4g\n", tg->value);
        } else {
            fprintf(stderr, "  target %.4g (%.4g to %.4g, %s): %s\n", tg->value, tg->lo, tg->hi,
                    tg->fit ? "fitted" : "checked", in ? "inside" : "OUTSIDE");
        }
    }
    if (*outside > 0) {
        fprintf(stderr, "ccsim: calibrate: %d of %d targets outside their range\n", *outside,
                k->n_targets);
    }
    if (u) {
        calib_uncert_warn(u, k->free_, stderr, "ccsim: calibrate: warning: ", "  ");
    }
    if (out == stdout) {
        return 0;
    }
    int rc = results_wrote(f, fclose(out) != 0 ? -errno : 0, path);
    if (rc == 0) {
        FILE *md = fopen(folder_file(f, "calibration.md", path, sizeof path), "w");
        if (md) {
            write_markdown(md, k, r);
            if (u) {
                calib_uncert_write_md(md, u, k->free_, k->target, best);
            }
        }
        rc = results_wrote(f, !md ? -errno : fclose(md) != 0 ? -errno : 0, path);
    }
    if (rc == 0 && u) {
        FILE *pc = fopen(folder_file(f, "params.csv", path, sizeof path), "w");
        if (pc) {
            calib_uncert_write_csv(pc, u, k->free_, best);
        }
        rc = results_wrote(f, !pc ? -errno : fclose(pc) != 0 ? -errno : 0, path);
    }
    if (rc == 0 && best &&
        folder_write_resolved(f, "calibrated.cfg", &r->cfg[0], k->o->scenario) != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
        rc = CCSIM_EIO;
    }
    return rc;
}

static int parse_ranges(struct calib_ctx *k, const struct run_opts *o)
{
    char err[1024];

    for (int i = 0; i < o->n_frees; i++) {
        if (!calib_parse_free(o->frees[i], &k->free_[i], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim calibrate --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    for (int i = 0; i < o->n_targets; i++) {
        if (!calib_parse_target(o->targets[i], &k->target[i], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim calibrate --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    k->n_targets = o->n_targets;
    if (o->target_file &&
        calib_targets_read(o->target_file, k->target, &k->n_targets, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EINPUT;
    }
    if (k->n_targets == 0) {
        fprintf(stderr, "ccsim: calibrate: give at least one --target METRIC=VALUE or a "
                        "--targets FILE\n(see 'ccsim calibrate --help')\n");
        return CCSIM_EUSAGE;
    }
    return 0;
}

/* Fits the free parameters (evaluations.csv into the folder as it goes), then runs the best
 * point again into r, for its intervals and its resolved scenario. */
static int fit(struct calib_ctx *k, struct folder *f, struct calib_result *best, struct runner *r,
               char (*assign)[512], struct override *ov)
{
    const struct run_opts *o = k->o;
    FILE *log = open_log(f, k);
    int rc = calib_run(k->free_, o->n_frees, k->n_targets, calib_eval, k, (int)o->max_iter, 1e-3,
                       best, log);

    if (log && fclose(log) != 0) {
        rc = 1;
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: calibrate: no point of the free ranges could be evaluated\n");
        return CCSIM_ERUN;
    }
    struct variant v = fitted(k, best->params, "fitted", assign, ov);
    k->s->spec.budget = RUNNER_BUDGET_NONE;
    rc = runner_load(r, &k->s->spec, &v, 1);
    if (rc == 0) {
        rc = runner_run(r);
    }
    return rc;
}

/* The fit's uncertainty at the best point (run into r): the Monte Carlo errors of its means,
 * then the sensitivities on the same random numbers. NULL when a point near the best could not
 * be evaluated. */
static const struct calib_uncert *uncertainty(struct calib_ctx *k, const struct runner *r,
                                              struct calib_result *best, struct calib_uncert *u)
{
    for (int t = 0; t < k->n_targets; t++) {
        struct ci ci;
        metric_ci(&r->res[0], runner_metric(r, 0, k->target[t].metric), &ci);
        best->se[t] = ci.n > 1 ? ci.sd / sqrt((double)ci.n) : NAN;
    }
    if (calib_uncertainty(k->free_, k->o->n_frees, k->target, k->n_targets, calib_eval, k, best,
                          u) != 0) {
        fprintf(stderr, "ccsim: calibrate: a point near the fitted one could not be run: no "
                        "intervals for the parameters\n");
        return NULL;
    }
    return u;
}

int cmd_calibrate(int argc, char **argv)
{
    struct run_opts o = {.cmd = "calibrate", .no_plots = true};
    struct setup s;
    struct calib_ctx k = {.o = &o, .s = &s};
    struct folder f = {0};
    struct calib_result best;
    struct calib_uncert unc;
    const struct calib_uncert *u = NULL;
    struct runner ends, r = {0};
    struct variant ends_v[2];
    char assign[2][CALIB_MAX][512];
    struct override ov[2][CALIB_MAX];
    int rc = parse_run(argc, argv, &o);

    if (rc == 0) {
        rc = parse_ranges(&k, &o);
    }
    if (rc == 0) {
        rc = check_outdir(&o);
    }
    if (rc != 0) {
        return rc;
    }
    setup_init(&s, &o, "scenarios");
    s.spec.progress = RUNNER_PROGRESS_NONE;
    rc = check_ends(&k, &ends, ends_v, assign, ov);
    /* The folder is begun before fitting: evaluations.csv grows while it runs. */
    if (rc == 0) {
        rc = results_begin(&f, &o, &ends, argc, argv, o.scenario);
    }
    if (rc == 0 && o.n_frees == 0) { /* a check: the scenario as it is */
        r = ends;
        memset(&ends, 0, sizeof ends);
        rc = runner_run(&r);
    } else if (rc == 0) {
        rc = fit(&k, &f, &best, &r, assign[0], ov[0]);
        if (rc == 0) {
            u = uncertainty(&k, &r, &best, &unc);
        }
    }
    runner_fini(&ends);
    int outside = 0;
    if (rc == 0) {
        f.m.seed = r.seed;
        f.m.replications = r.replications;
        f.m.model = r.sc[0]->ops->name;
        f.m.n_events = r.n_events;
        rc = write_fit(&f, &k, o.n_frees > 0 ? &best : NULL, u, &r, &outside);
    }
    rc = results_end(&f, &o, &s, NULL, rc);
    runner_fini(&r);
    setup_fini(&s);
    /* A target missed is the run's outcome, not an error: the folder is complete, and the
     * status says so (as ccsim validate does for a row that fails). */
    return rc == 0 && outside > 0 ? CCSIM_EMISSED : rc;
}
