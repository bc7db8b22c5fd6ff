#include "analysis/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>

#include "analysis/csv.h"
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
    for (int i = 0; i < CALIB_MAX_TARGETS; i++) {
        out->se[i] = NAN;
    }
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

/* The 0.975 quantile of the standard normal: a 95% interval is -+ Z95 standard deviations. */
#define Z95 1.959963984540054

/* The singular value decomposition of the m x n matrix a (row-major, m >= n): s[0..n-1], the
 * largest first, and v (row-major n x n), column i the right singular vector of s[i]. */
static void svd(const double *a, int m, int n, double *s, double *v)
{
    gsl_matrix *A = gsl_matrix_alloc((size_t)m, (size_t)n);
    gsl_matrix *V = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_vector *S = gsl_vector_alloc((size_t)n);
    int order[CALIB_MAX];

    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            gsl_matrix_set(A, (size_t)i, (size_t)j, a[i * n + j]);
        }
    }
    gsl_linalg_SV_decomp_jacobi(A, V, S);
    for (int i = 0; i < n; i++) {
        order[i] = i;
    }
    for (int i = 0; i < n; i++) { /* largest first, whatever order GSL leaves them in */
        for (int k = i + 1; k < n; k++) {
            if (gsl_vector_get(S, (size_t)order[k]) > gsl_vector_get(S, (size_t)order[i])) {
                int o = order[i];
                order[i] = order[k];
                order[k] = o;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        s[i] = gsl_vector_get(S, (size_t)order[i]);
        for (int j = 0; j < n; j++) {
            v[j * n + i] = gsl_matrix_get(V, (size_t)j, (size_t)order[i]);
        }
    }
    gsl_matrix_free(A);
    gsl_matrix_free(V);
    gsl_vector_free(S);
}

/* The Jacobian of the fit targets' errors by central differences at best (clamped inside the
 * bounds). Returns 0, or 1 when a point could not be evaluated (its columns NaN). */
static int jacobian(const struct calib_free *free_, int n_free, const struct calib_target *t,
                    calib_eval_fn *eval, void *ctx, const struct calib_result *best,
                    struct calib_uncert *out)
{
    double x[CALIB_MAX], m_lo[CALIB_MAX_TARGETS], m_hi[CALIB_MAX_TARGETS];
    int rc = 0;

    for (int j = 0; j < n_free; j++) {
        const struct calib_free *f = &free_[j];
        double h = CALIB_FD_SHARE * (f->hi - f->lo);
        out->x_lo[j] = fmax(f->lo, best->params[j] - h);
        out->x_hi[j] = fmin(f->hi, best->params[j] + h);
        memcpy(x, best->params, sizeof x);
        x[j] = out->x_lo[j];
        bool ok = !isnan(eval(ctx, x, m_lo));
        x[j] = out->x_hi[j];
        ok = !isnan(eval(ctx, x, m_hi)) && ok;
        out->evaluations += 2;
        rc |= !ok;
        for (int i = 0; i < out->n_fit; i++) {
            int k = out->fit[i];
            out->jacobian[i][j] =
                ok ? (m_hi[k] - m_lo[k]) / (t[k].scale * (out->x_hi[j] - out->x_lo[j])) : NAN;
        }
    }
    return rc;
}

/* The standard deviation a fit target is given, in its own unit (struct calib_uncert). */
static double target_sd(const struct calib_target *t, double se)
{
    bool has_se = isfinite(se) && se > 0;
    if (isnan(t->lo)) {
        return has_se ? se : t->scale / Z95;
    }
    double s = (t->hi - t->lo) / 2.0 / Z95;
    return has_se ? hypot(s, se) : s;
}

/* The covariance of the parameters, (A^T A)^-1 for the Jacobian A of the means in units of
 * their standard deviations, through the singular values of A: sd, correlations, intervals. A
 * direction of A with no singular value (or one below 1e-9 of the largest) has no finite
 * variance: the parameters in it get an infinite sd, and their correlations are those of that
 * direction (1e-9 of the largest standing in for its singular value). */
static void covariance(const struct calib_free *free_, const struct calib_target *t,
                       const struct calib_result *best, struct calib_uncert *u)
{
    int n = u->n_free, m = u->n_fit > n ? u->n_fit : n;
    double a[CALIB_MAX_TARGETS * CALIB_MAX] = {0}, s[CALIB_MAX], v[CALIB_MAX * CALIB_MAX];
    double cov[CALIB_MAX][CALIB_MAX];
    bool is_infinite[CALIB_MAX] = {false};

    for (int i = 0; i < u->n_fit; i++) {
        const struct calib_target *tg = &t[u->fit[i]];
        for (int j = 0; j < n; j++) {
            a[i * n + j] = u->jacobian[i][j] * tg->scale / u->target_sd[i];
        }
    }
    svd(a, m, n, s, v);
    double floor_ = s[0] > 0 ? 1e-9 * s[0] : 1.0; /* no target moves: nothing is estimable */
    for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
            cov[j][k] = 0;
            for (int i = 0; i < n; i++) {
                double si = s[i] > floor_ ? s[i] : floor_;
                cov[j][k] += v[j * n + i] * v[k * n + i] / (si * si);
            }
        }
        for (int i = 0; i < n; i++) {
            is_infinite[j] |= !(s[i] > floor_) && v[j * n + i] * v[j * n + i] > 1e-6;
        }
    }
    for (int j = 0; j < n; j++) {
        const struct calib_free *f = &free_[j];
        double x = best->params[j];
        u->sd[j] = s[0] > 0 && !is_infinite[j] ? sqrt(cov[j][j]) : INFINITY;
        u->width[j] = 2.0 * Z95 * u->sd[j] / (f->hi - f->lo);
        u->ci_lo[j] = fmax(f->lo, x - Z95 * u->sd[j]);
        u->ci_hi[j] = fmin(f->hi, x + Z95 * u->sd[j]);
        for (int k = 0; k < n; k++) {
            u->corr[j][k] = s[0] > 0 ? cov[j][k] / sqrt(cov[j][j] * cov[k][k]) : NAN;
        }
    }
}

/* The singular values of the Jacobian with every column across its parameter's range, the
 * condition number, and each parameter's share of the weak directions. */
static void conditioning(const struct calib_free *free_, struct calib_uncert *u)
{
    int n = u->n_free, m = u->n_fit > n ? u->n_fit : n;
    double a[CALIB_MAX_TARGETS * CALIB_MAX] = {0}, v[CALIB_MAX * CALIB_MAX];

    for (int i = 0; i < u->n_fit; i++) {
        for (int j = 0; j < n; j++) {
            a[i * n + j] = u->jacobian[i][j] * (free_[j].hi - free_[j].lo);
        }
    }
    svd(a, m, n, u->singular, v);
    double last = u->singular[n - 1];
    u->condition = u->singular[0] > 0 && last > 0 ? u->singular[0] / last : INFINITY;
    for (int i = 0; i < n; i++) {
        if (!(u->singular[i] * CALIB_MAX_CONDITION >= u->singular[0]) || !(u->singular[0] > 0)) {
            for (int j = 0; j < n; j++) {
                u->weak[j] += v[j * n + i] * v[j * n + i];
            }
        }
    }
}

int calib_uncertainty(const struct calib_free *free_, int n_free, const struct calib_target *t,
                      int n_targets, calib_eval_fn *eval, void *ctx,
                      const struct calib_result *best, struct calib_uncert *out)
{
    memset(out, 0, sizeof *out);
    out->n_free = n_free;
    for (int k = 0; k < n_targets; k++) {
        if (t[k].fit) {
            out->target_sd[out->n_fit] = target_sd(&t[k], best->se[k]);
            out->fit[out->n_fit++] = k;
        }
    }
    if (jacobian(free_, n_free, t, eval, ctx, best, out) != 0) {
        for (int j = 0; j < n_free; j++) {
            out->sd[j] = out->width[j] = out->ci_lo[j] = out->ci_hi[j] = NAN;
            out->singular[j] = out->weak[j] = NAN;
            for (int k = 0; k < n_free; k++) {
                out->corr[j][k] = NAN;
            }
        }
        out->condition = NAN;
        return 1;
    }
    covariance(free_, t, best, out);
    conditioning(free_, out);
    for (int j = 0; j < n_free; j++) {
        if (out->n_fit < n_free) {
            out->problems |= CALIB_FEW_TARGETS;
        }
        if (out->weak[j] > CALIB_WEAK_SHARE) {
            out->problem[j] |= CALIB_ILL_COND | (out->n_fit < n_free ? CALIB_FEW_TARGETS : 0);
        }
        for (int k = 0; k < n_free; k++) {
            if (k != j && !(fabs(out->corr[j][k]) <= CALIB_MAX_CORR)) {
                out->problem[j] |= CALIB_CORRELATED;
            }
        }
        if (!(out->width[j] <= CALIB_MAX_WIDTH)) {
            out->problem[j] |= CALIB_WIDE;
        }
        out->problems |= out->problem[j];
    }
    return 0;
}

/* "a", "a and b", "a, b and c": the parameters whose problem has any bit of mask. */
static void names(FILE *out, const struct calib_uncert *u, const struct calib_free *free_,
                  unsigned mask)
{
    int n = 0, seen = 0;
    for (int j = 0; j < u->n_free; j++) {
        n += (u->problem[j] & mask) != 0;
    }
    for (int j = 0; j < u->n_free; j++) {
        if (u->problem[j] & mask) {
            seen++;
            fprintf(out, "%s%s", seen == 1 ? "" : seen == n ? " and " : ", ", free_[j].key);
        }
    }
}

int calib_uncert_warn(const struct calib_uncert *u, const struct calib_free *free_, FILE *out,
                      const char *head, const char *item)
{
    int lines = 0;

    if (u->problems == 0) {
        return 0;
    }
    fprintf(out, "%sthe targets do not identify the free parameters separately:\n", head);
    if (u->problems & CALIB_FEW_TARGETS) {
        fprintf(out,
                "%s%d fit target%s for %d free parameters: a parameter needs a target of its "
                "own (%s %s not pinned down)\n",
                item, u->n_fit, u->n_fit == 1 ? "" : "s", u->n_free, "at least",
                u->n_free - u->n_fit == 1 ? "one is" : "some are");
        lines++;
    }
    if (u->problems & CALIB_ILL_COND) {
        int n_weak = 0;
        for (int j = 0; j < u->n_free; j++) {
            n_weak += (u->problem[j] & CALIB_ILL_COND) != 0;
        }
        fprintf(out, "%s", item);
        names(out, u, free_, CALIB_ILL_COND);
        fprintf(out, "%s: condition number ",
                n_weak == 1 ? " hardly moves the targets"
                            : ": a combination of them hardly moves the targets");
        if (isfinite(u->condition)) {
            fprintf(out, "%.3g", u->condition);
        } else {
            fputs("infinite", out);
        }
        fprintf(out, " (above %g; singular values", CALIB_MAX_CONDITION);
        for (int i = 0; i < u->n_free; i++) {
            fprintf(out, "%s %.3g", i ? "," : "", u->singular[i]);
        }
        fputs(")\n", out);
        lines++;
    }
    for (int j = 0; j < u->n_free; j++) {
        for (int k = j + 1; k < u->n_free; k++) {
            if (!(fabs(u->corr[j][k]) <= CALIB_MAX_CORR)) {
                fprintf(out, "%s%s and %s: correlation %.3f (beyond -+%.2f)\n", item, free_[j].key,
                        free_[k].key, u->corr[j][k], CALIB_MAX_CORR);
                lines++;
            }
        }
    }
    for (int j = 0; j < u->n_free; j++) {
        if (u->problem[j] & CALIB_WIDE) {
            fprintf(out, "%s%s: its 95%% interval spans ", item, free_[j].key);
            if (u->width[j] >= 1) {
                fputs("more than its whole range", out);
            } else {
                fprintf(out, "%.3g%% of its range", 100 * u->width[j]);
            }
            fprintf(out, " %g to %g (more than %.0f%%)\n", free_[j].lo, free_[j].hi,
                    100 * CALIB_MAX_WIDTH);
            lines++;
        }
    }
    fprintf(out, "%sadd a target that separates ", item);
    names(out, u, free_, ~0u);
    fputs(", or fix one of them (a value of its own rather than a range) and fit the others\n",
          out);
    return lines + 2;
}

/* The problems of one parameter, in words for a CSV field ("NA" for none). */
static void problem_words(FILE *out, unsigned p)
{
    static const struct {
        unsigned bit;
        const char *word;
    } words[] = {{CALIB_FEW_TARGETS, "few targets"},
                 {CALIB_ILL_COND, "ill-conditioned"},
                 {CALIB_CORRELATED, "correlated"},
                 {CALIB_WIDE, "wide"}};
    char text[128] = "";
    size_t len = 0;

    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (p & words[i].bit) {
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", len ? "; " : "",
                                    words[i].word);
        }
    }
    csv_field(out, len ? text : "NA");
}

void calib_uncert_write_csv(FILE *out, const struct calib_uncert *u, const struct calib_free *free_,
                            const struct calib_result *best)
{
    fputs("param,value,ci_low,ci_high,lo,hi,sd,identified,problem\n", out);
    for (int j = 0; j < u->n_free; j++) {
        csv_field(out, free_[j].key);
        fprintf(out, ",%.10g,", best->params[j]);
        csv_number(out, u->ci_lo[j]);
        fputc(',', out);
        csv_number(out, u->ci_hi[j]);
        fprintf(out, ",%.10g,%.10g,", free_[j].lo, free_[j].hi);
        if (isinf(u->sd[j])) {
            fputs("Inf", out); /* as R and pandas read it */
        } else {
            csv_number(out, u->sd[j]);
        }
        fprintf(out, ",%s,", u->problem[j] ? "no" : "yes");
        problem_words(out, u->problem[j]);
        fputc('\n', out);
    }
}

static void md_num(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
    } else if (isinf(x)) {
        fputs("infinite", out);
    } else {
        fprintf(out, "%.4g", x);
    }
}

void calib_uncert_write_md(FILE *out, const struct calib_uncert *u, const struct calib_free *free_,
                           const struct calib_target *t, const struct calib_result *best)
{
    int n = u->n_free;

    fputs("\n## Uncertainty of the fitted parameters\n\n", out);
    fprintf(out,
            "Approximate 95%% intervals from the sensitivity of the %d fit target%s at the "
            "fitted point (Gauss-Newton: the covariance (J'WJ)^-1, a target's half-range taken "
            "as its 95%% interval, with the Monte Carlo error of its mean; central differences "
            "of %.0f%% of each range either way, on the same random numbers), clamped to the "
            "ranges searched.\n\n",
            u->n_fit, u->n_fit == 1 ? "" : "s", 100 * CALIB_FD_SHARE);
    fputs("| parameter | fitted | 95% interval | range searched | identified |\n"
          "| --- | --- | --- | --- | --- |\n",
          out);
    for (int j = 0; j < n; j++) {
        fprintf(out, "| `%s` | ", free_[j].key);
        md_num(out, best->params[j]);
        fputs(" | ", out);
        md_num(out, u->ci_lo[j]);
        fputs(" to ", out);
        md_num(out, u->ci_hi[j]);
        fprintf(out, " | %g to %g | %s |\n", free_[j].lo, free_[j].hi,
                u->problem[j] ? "**no**" : "yes");
    }
    if (n > 1) {
        fputs("\nCorrelations of the parameters:\n\n|", out);
        for (int j = 0; j < n; j++) {
            fprintf(out, " | `%s`", free_[j].key);
        }
        fputs(" |\n| ---", out);
        for (int j = 0; j < n; j++) {
            fputs(" | ---", out);
        }
        fputs(" |\n", out);
        for (int j = 0; j < n; j++) {
            fprintf(out, "| `%s`", free_[j].key);
            for (int k = 0; k < n; k++) {
                fprintf(out, " | ");
                if (isnan(u->corr[j][k])) {
                    fputs("NA", out);
                } else {
                    fprintf(out, "%.3f", u->corr[j][k]);
                }
            }
            fputs(" |\n", out);
        }
    }
    fputs("\nSensitivity of each fit target: the change of its error, in its unit (half its "
          "range; the target's size for a target without a range), when one parameter moves "
          "across its whole range:\n\n| target | unit",
          out);
    for (int j = 0; j < n; j++) {
        fprintf(out, " | `%s`", free_[j].key);
    }
    fputs(" |\n| --- | ---", out);
    for (int j = 0; j < n; j++) {
        fputs(" | ---", out);
    }
    fputs(" |\n", out);
    for (int i = 0; i < u->n_fit; i++) {
        const struct calib_target *tg = &t[u->fit[i]];
        fprintf(out, "| `%s` | %.4g", tg->metric, tg->scale);
        for (int j = 0; j < n; j++) {
            fputs(" | ", out);
            md_num(out, u->jacobian[i][j] * (free_[j].hi - free_[j].lo));
        }
        fputs(" |\n", out);
    }
    fputs("\nSingular values of that table:", out);
    for (int j = 0; j < n; j++) {
        fputs(j ? ", " : " ", out);
        md_num(out, u->singular[j]);
    }
    fputs("; condition number ", out);
    md_num(out, u->condition);
    fprintf(out,
            " (above %g, or a correlation beyond -+%.2f, or an interval wider than %.0f%% of "
            "its range, or fewer fit targets than parameters: the targets do not identify the "
            "parameters separately).\n\n",
            CALIB_MAX_CONDITION, CALIB_MAX_CORR, 100 * CALIB_MAX_WIDTH);
    if (calib_uncert_warn(u, free_, out, "**Warning**: ", "- ") == 0) {
        fputs("The targets identify every free parameter separately.\n", out);
    }
}
