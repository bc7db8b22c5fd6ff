/* sweep and sensitivity: one scenario at many points, on the same random numbers. */
#include "cli/cli.h"

/* A variant's own overrides and label, allocated for as many variants as a command has. */
struct points {
    struct variant *v;
    struct override *ov;
    char **text; /* every string below, freed together */
    int n_text;
};

static char *keep(struct points *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *keep(struct points *p, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return p->text[p->n_text++] = xstrdup(buf);
}

static void points_init(struct points *p, long n_variants, long n_own)
{
    p->v = xcalloc((size_t)n_variants, sizeof *p->v);
    p->ov = xcalloc((size_t)(n_variants * n_own), sizeof *p->ov);
    p->text = xcalloc((size_t)(n_variants * (2 * n_own + 1)), sizeof *p->text);
    p->n_text = 0;
}

static void points_fini(struct points *p)
{
    for (int i = 0; i < p->n_text; i++) {
        free(p->text[i]);
    }
    free(p->text);
    free(p->ov);
    free(p->v);
}

/* sweep.csv into the folder, or to stdout without -o. */
static int write_sweep(struct folder *f, const struct run_opts *o, const struct sweep_axis *axes,
                       const struct runner *r)
{
    char path[4096] = "/dev/stdout";

    if (o->outdir) {
        folder_file(f, "sweep.csv", path, sizeof path);
    }
    const struct scenario *const *sc = (const struct scenario *const *)r->sc;
    int rc = sweep_write_csv_flags(path, axes, o->n_vary, r->n, sc, r->res, CSV_DESCRIBED);
    rc = results_wrote(f, rc, path);
    if (rc == 0 && o->outdir) {
        folder_file(f, "sweep_best.csv", path, sizeof path);
        rc = results_wrote(f, sweep_best_write_csv(path, axes, o->n_vary, r->n, sc, r->res), path);
    }
    if (rc == 0 && !o->is_quiet) {
        sweep_best_print(o->outdir ? stdout : stderr, axes, o->n_vary, r->n, sc, r->res);
    }
    return rc;
}

int cmd_sweep(int argc, char **argv)
{
    struct run_opts o = {.cmd = "sweep"};
    struct sweep_axis axes[SWEEP_MAX_KEYS];
    char err[1024];
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
    rc = check_outdir(&o);
    if (rc != 0) {
        return rc;
    }
    /* Point p: each varied key at its value, before the command line's overrides so that a
     * --set of the same key wins. */
    struct points pts;
    points_init(&pts, n, o.n_vary);
    for (long p = 0; p < n; p++) {
        struct override *ov = &pts.ov[p * o.n_vary];
        for (int k = 0; k < o.n_vary; k++) {
            ov[k].assign =
                keep(&pts, "%.255s=%.15g", axes[k].key, sweep_value(axes, o.n_vary, p, k));
            ov[k].origin = keep(&pts, "--vary %s", ov[k].assign);
        }
        pts.v[p] = (struct variant){.label = keep(&pts, "point %ld", p + 1),
                                    .path = o.scenario,
                                    .own = ov,
                                    .n_own = o.n_vary,
                                    .is_own_first = true};
    }
    struct setup s;
    struct runner r;
    struct folder f = {0};
    setup_init(&s, &o, "points");
    s.spec.report = RUNNER_REPORT_POINTS;
    s.spec.progress = RUNNER_PROGRESS_OVERALL;
    s.spec.budget = RUNNER_BUDGET_MANY;
    rc = runner_load(&r, &s.spec, pts.v, (int)n);
    if (rc == 0) {
        rc = results_begin(&f, &o, &r, argc, argv, o.scenario);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (rc == 0) {
        rc = write_sweep(&f, &o, axes, &r);
    }
    rc = results_end(&f, &o, &s, &r, rc);
    runner_fini(&r);
    setup_fini(&s);
    points_fini(&pts);
    return rc;
}

/* sensitivity.csv into the folder, or to stdout: variant 0 is the base, 1 + 2i parameter i at
 * the low end of its range and 2 + 2i at the high end. */
static int write_sensitivity(struct folder *f, const struct run_opts *o,
                             const struct sens_param *params, int n, const struct runner *r)
{
    char path[4096] = "/dev/stdout";
    struct experiment_result *low = xcalloc((size_t)n, sizeof *low);
    struct experiment_result *high = xcalloc((size_t)n, sizeof *high);

    for (int i = 0; i < n; i++) {
        low[i] = r->res[1 + 2 * i];
        high[i] = r->res[2 + 2 * i];
    }
    if (o->outdir) {
        folder_file(f, "sensitivity.csv", path, sizeof path);
    }
    int rc = sens_write_csv_flags(path, params, n, r->sc[0], &r->res[0], low, high, CSV_DESCRIBED);
    free(low);
    free(high);
    return results_wrote(f, rc, path);
}

int cmd_sensitivity(int argc, char **argv)
{
    struct run_opts o = {.cmd = "sensitivity"};
    struct setup s;
    struct runner base, r = {0};
    struct folder f = {0};
    struct points pts = {0};
    struct sens_param *params = NULL;
    int rc = parse_run(argc, argv, &o), n = 0;

    if (rc == 0) {
        rc = check_outdir(&o);
    }
    if (rc != 0) {
        return rc;
    }
    /* The base first: its parameters that declare a plausible range are the ones varied. */
    setup_init(&s, &o, "variants");
    struct variant v0 = {.label = "base", .path = o.scenario};
    rc = runner_load(&base,
                     &(struct runner_spec){.name = s.spec.name,
                                           .unit = s.spec.unit,
                                           .common = s.spec.common,
                                           .n_common = s.spec.n_common,
                                           .threads = s.spec.threads,
                                           .warnings = s.spec.warnings,
                                           .msgs = stderr},
                     &v0, 1);
    if (rc == 0) {
        params = sens_parameters(&base.cfg[0], &n);
        if (n == 0) {
            fprintf(stderr, "ccsim: sensitivity: no parameter of %s declares a plausible range\n",
                    o.scenario);
            rc = CCSIM_EINPUT;
        }
    }
    if (rc == 0) {
        points_init(&pts, 2L * n + 1, 1);
        pts.v[0] = v0;
        for (int k = 0; k < 2 * n; k++) {
            const struct sens_param *p = &params[k / 2];
            double x = k % 2 == 0 ? p->key->plausible_lo : p->key->plausible_hi;
            struct override *ov = &pts.ov[k + 1];
            ov->assign = keep(&pts, "%.511s=%.17g", p->path, x);
            ov->origin = keep(&pts, "sensitivity %s", ov->assign);
            pts.v[k + 1] =
                (struct variant){.label = keep(&pts, "%s %s", k % 2 == 0 ? "low" : "high", p->path),
                                 .path = o.scenario,
                                 .own = ov,
                                 .n_own = 1};
        }
        s.spec.report = RUNNER_REPORT_POINTS;
        s.spec.progress = RUNNER_PROGRESS_OVERALL;
        s.spec.budget = RUNNER_BUDGET_MANY;
        s.spec.unit = "runs";
        rc = runner_load(&r, &s.spec, pts.v, 2 * n + 1);
    }
    if (rc == 0) {
        rc = results_begin(&f, &o, &r, argc, argv, o.scenario);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (rc == 0) {
        rc = write_sensitivity(&f, &o, params, n, &r);
    }
    rc = results_end(&f, &o, &s, &r, rc);
    runner_fini(&r);
    runner_fini(&base);
    points_fini(&pts);
    free(params);
    setup_fini(&s);
    return rc;
}
