#include "tests/support.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

bool support_close(double a, double b, double rel_tol, double abs_tol, const char *expr,
                   const char *file, int line)
{
    if (fabs(a - b) <= abs_tol + rel_tol * fabs(b)) {
        return true;
    }
    fprintf(stderr, "%s:%d: %s = %.12g, expected %.12g (rel %g, abs %g)\n", file, line, expr, a, b,
            rel_tol, abs_tol);
    return false;
}

bool support_inside(double x, double lo, double hi, const char *expr, const char *file, int line)
{
    if (x >= lo && x <= hi) {
        return true;
    }
    fprintf(stderr, "%s:%d: %s = %.12g, outside [%.12g, %.12g]\n", file, line, expr, x, lo, hi);
    return false;
}

/* Reads the scenario of c once its text is loaded (is_loaded) and its overrides applied. */
static struct scenario *read_scenario(struct cfg *c, bool is_loaded, const char *what)
{
    struct scenario *sc = is_loaded ? scenario_load(c) : NULL;
    if (!sc) {
        diag_print(&c->diag, stderr);
        fail_msg("%s does not load", what);
    }
    return sc;
}

struct scenario *support_load(struct cfg *c, const char *path, const char *const *sets)
{
    bool is_loaded;

    cfg_init(c);
    is_loaded = cfg_load_file(c, path);
    for (int i = 0; is_loaded && sets && sets[i]; i++) {
        is_loaded = cfg_set(c, sets[i]);
    }
    return read_scenario(c, is_loaded, path);
}

struct scenario *support_load_text(struct cfg *c, const char *name, const char *text)
{
    cfg_init(c);
    return read_scenario(c, cfg_load_string(c, name, text), name);
}

void support_run_replications(struct support_run *r, long replications, uint64_t seed, int threads)
{
    struct experiment_spec spec = {
        .sc = r->sc, .replications = replications, .seed = seed, .threads = threads};
    if (replications == 0) {
        spec.replications = r->sc->replications;
        spec.seed = r->sc->seed;
    }
    if (experiment_run(&spec, &r->res) != 0) {
        fail_msg("%s", r->res.err);
    }
}

void support_run_load(struct support_run *r, const char *path, const char *const *sets,
                      long replications, uint64_t seed)
{
    r->sc = support_load(&r->cfg, path, sets);
    support_run_replications(r, replications, seed, SUPPORT_THREADS);
}

void support_run_fini(struct support_run *r)
{
    experiment_result_fini(&r->res);
    scenario_destroy(r->sc);
    cfg_fini(&r->cfg);
}

const char *const *support_sets_join(const char **out, size_t cap, const char *const *a,
                                     const char *const *b)
{
    size_t n = 0;

    for (int i = 0; a && a[i]; i++) {
        assert_true(n + 1 < cap);
        out[n++] = a[i];
    }
    for (int i = 0; b && b[i]; i++) {
        assert_true(n + 1 < cap);
        out[n++] = b[i];
    }
    assert_true(n < cap);
    out[n] = NULL;
    return out;
}

void support_paired_t(const double *d, long n, double tail, double *mean, double *half)
{
    double m = 0, v = 0;

    for (long i = 0; i < n; i++) {
        m += d[i] / (double)n;
    }
    for (long i = 0; i < n; i++) {
        v += (d[i] - m) * (d[i] - m) / (double)(n - 1);
    }
    *mean = m;
    *half = gsl_cdf_tdist_Qinv(tail, (double)(n - 1)) * sqrt(v / (double)n);
}

int support_metric_index(const struct scenario *sc, const char *name)
{
    for (int m = 0; m < sc->n_metrics; m++) {
        if (strcmp(scenario_metric_name(sc, m), name) == 0) {
            return m;
        }
    }
    fail_msg("no metric %s", name);
    return -1;
}

double support_value(const struct support_run *r, long rep, const char *name)
{
    return r->res.metrics[rep * r->sc->n_metrics + support_metric_index(r->sc, name)];
}
