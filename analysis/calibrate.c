#include "analysis/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multimin.h>

bool calib_parse_free(const char *text, struct calib_free *f, char *err, size_t err_len)
{
    const char *eq = strchr(text, '=');
    char *end;
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof f->key) {
        snprintf(err, err_len, "--free %s: not KEY=LOW:HIGH", text);
        return false;
    }
    snprintf(f->key, sizeof f->key, "%.*s", (int)(eq - text), text);
    f->lo = strtod(eq + 1, &end);
    if (end == eq + 1 || *end != ':') {
        snprintf(err, err_len, "--free %s: not KEY=LOW:HIGH with two numbers", text);
        return false;
    }
    const char *h = end + 1;
    f->hi = strtod(h, &end);
    if (end == h || *end != '\0' || !isfinite(f->lo) || !isfinite(f->hi) || !(f->hi > f->lo)) {
        snprintf(err, err_len, "--free %s: needs LOW < HIGH, two numbers", text);
        return false;
    }
    return true;
}

bool calib_parse_target(const char *text, struct calib_target *t, char *err, size_t err_len)
{
    const char *eq = strchr(text, '=');
    char *end;
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof t->metric) {
        snprintf(err, err_len, "--target %s: not METRIC=VALUE", text);
        return false;
    }
    snprintf(t->metric, sizeof t->metric, "%.*s", (int)(eq - text), text);
    t->value = strtod(eq + 1, &end);
    if (end == eq + 1 || *end != '\0' || !isfinite(t->value) || t->value == 0.0) {
        snprintf(err, err_len, "--target %s: the value must be a non-zero number", text);
        return false;
    }
    return true;
}

struct state {
    const struct calib_free *free_;
    int n_free, n_targets;
    calib_eval_fn *eval;
    void *ctx;
    struct calib_result *best;
    FILE *log;
};

static void to_params(const struct state *st, const gsl_vector *u, double *x)
{
    for (int i = 0; i < st->n_free; i++) {
        const struct calib_free *f = &st->free_[i];
        x[i] = f->lo + (f->hi - f->lo) / (1.0 + exp(-gsl_vector_get(u, (size_t)i)));
    }
}

static double objective(const gsl_vector *u, void *vst)
{
    struct state *st = vst;
    double x[CALIB_MAX], means[CALIB_MAX];

    to_params(st, u, x);
    double f = st->eval(st->ctx, x, means);
    st->best->evaluations++;
    if (st->log) {
        fprintf(st->log, "%d", st->best->evaluations);
        for (int i = 0; i < st->n_free; i++) {
            fprintf(st->log, ",%.10g", x[i]);
        }
        for (int i = 0; i < st->n_targets; i++) {
            fprintf(st->log, ",%.10g", means[i]);
        }
        fprintf(st->log, ",%.10g\n", f);
    }
    if (!isnan(f) && (isnan(st->best->objective) || f < st->best->objective)) {
        st->best->objective = f;
        memcpy(st->best->params, x, sizeof x);
        memcpy(st->best->means, means, sizeof means);
    }
    return isnan(f) ? HUGE_VAL : f;
}

int calib_run(const struct calib_free *free_, int n_free, int n_targets, calib_eval_fn *eval,
              void *ctx, int max_iter, double tol, struct calib_result *out, FILE *log)
{
    struct state st = {free_, n_free, n_targets, eval, ctx, out, log};
    gsl_multimin_function fn = {.f = objective, .n = (size_t)n_free, .params = &st};
    gsl_vector *u = gsl_vector_calloc((size_t)n_free); /* the middle of every range */
    gsl_vector *step = gsl_vector_alloc((size_t)n_free);
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, (size_t)n_free);

    memset(out, 0, sizeof *out);
    out->objective = NAN;
    gsl_vector_set_all(step, 1.0);
    gsl_multimin_fminimizer_set(m, &fn, u, step);
    int status = GSL_CONTINUE;
    while (status == GSL_CONTINUE && out->iterations < max_iter) {
        out->iterations++;
        if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) {
            break;
        }
        status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), tol);
    }
    out->converged = status == GSL_SUCCESS;
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(u);
    gsl_vector_free(step);
    return isnan(out->objective) ? 1 : 0;
}
