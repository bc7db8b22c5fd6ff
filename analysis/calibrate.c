#include "analysis/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_multimin.h>

#include "analysis/table.h"
#include "sim/error.h"

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
    t->lo = t->hi = NAN;
    t->scale = fabs(t->value);
    t->fit = true;
    snprintf(t->source, sizeof t->source, "command line");
    t->tag[0] = '\0';
    t->line = 0;
    return true;
}

bool calib_inside(const struct calib_target *t, double mean)
{
    return isnan(t->lo) || (mean >= t->lo && mean <= t->hi);
}

static const struct table_column target_columns[] = {
    {"metric", TABLE_TEXT}, {"target", TABLE_FINITE}, {"low", TABLE_FINITE}, {"high", TABLE_FINITE},
    {"use", TABLE_TEXT},    {"source", TABLE_TEXT},   {"tag", TABLE_TEXT},   {NULL, TABLE_TEXT}};

/* Row i of tb into *t. Returns 0, or -1 with err set. */
static int target_row(const struct table *tb, int i, struct calib_target *t, char *err,
                      size_t err_len)
{
    const char *metric = table_at(tb, i, table_col(tb, "metric"));
    const char *use = table_at(tb, i, table_col(tb, "use"));
    const char *tag = table_at(tb, i, table_col(tb, "tag"));
    int line = tb->line[i];

    *t = (struct calib_target){
        .value = table_num(tb, i, table_col(tb, "target")),
        .lo = table_num(tb, i, table_col(tb, "low")),
        .hi = table_num(tb, i, table_col(tb, "high")),
        .line = line,
    };
    if (strlen(metric) >= sizeof t->metric) {
        snprintf(err, err_len, "%s:%d: column 'metric': a name of at most %zu bytes is expected",
                 tb->path, line, sizeof t->metric - 1);
        return -1;
    }
    snprintf(t->metric, sizeof t->metric, "%s", metric);
    snprintf(t->source, sizeof t->source, "%s", table_at(tb, i, table_col(tb, "source")));
    if (strcmp(use, "fit") == 0 || strcmp(use, "check") == 0) {
        t->fit = use[0] == 'f';
    } else {
        snprintf(err, err_len,
                 "%s:%d: column 'use': '%.40s' is not a use (fit or check is expected)", tb->path,
                 line, use);
        return -1;
    }
    static const char *const tags[] = {"R", "S", "M", "D", "input"};
    bool known = false;
    for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
        known |= strcmp(tag, tags[k]) == 0;
    }
    if (!known) {
        snprintf(err, err_len,
                 "%s:%d: column 'tag': '%.40s' is not an evidence tag (R, S, M, D or input is "
                 "expected: read, secondary, unverified, derived, or a check of an input)",
                 tb->path, line, tag);
        return -1;
    }
    snprintf(t->tag, sizeof t->tag, "%s", tag);
    if (!(t->lo <= t->value && t->value <= t->hi && t->lo < t->hi)) {
        snprintf(err, err_len,
                 "%s:%d: columns 'low', 'target', 'high': %g, %g, %g are out of order "
                 "(low <= target <= high and low < high are expected)",
                 tb->path, line, t->lo, t->value, t->hi);
        return -1;
    }
    t->scale = (t->hi - t->lo) / 2.0;
    return 0;
}

int calib_targets_read(const char *path, struct calib_target *t, int *n, char *err, size_t err_len)
{
    struct table tb;
    int rc = table_read(path, &tb, err, err_len);

    if (rc == 1) {
        snprintf(err, err_len, "%s: no such file (a target file is expected)", path);
    }
    if (rc != 0) {
        return CCSIM_EINPUT;
    }
    rc = table_check_known(&tb, target_columns, err, err_len) != 0 ||
                 table_check(&tb, target_columns, err, err_len) != 0
             ? CCSIM_EINPUT
             : 0;
    if (rc == 0 && *n + tb.n_rows > CALIB_MAX_TARGETS) {
        snprintf(err, err_len,
                 "%s: %d targets where at most %d are allowed (with the command "
                 "line's)",
                 path, *n + tb.n_rows, CALIB_MAX_TARGETS);
        rc = CCSIM_EINPUT;
    }
    for (int i = 0; rc == 0 && i < tb.n_rows; i++) {
        for (int j = 0; j < *n && rc == 0; j++) {
            if (strcmp(t[j].metric, table_at(&tb, i, table_col(&tb, "metric"))) == 0) {
                snprintf(err, err_len,
                         "%s:%d: column 'metric': '%.60s' is a target twice (one "
                         "row a metric is expected)",
                         path, tb.line[i], t[j].metric);
                rc = CCSIM_EINPUT;
            }
        }
        if (rc == 0 && target_row(&tb, i, &t[*n], err, err_len) != 0) {
            rc = CCSIM_EINPUT;
        }
        if (rc == 0) {
            ++*n;
        }
    }
    table_free(&tb);
    return rc;
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
    double x[CALIB_MAX], means[CALIB_MAX_TARGETS];

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
