/* uncertain — parameter uncertainty on numeric scenario keys (uncertain.h). */
#include "analysis/uncertain.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "sim/rng.h"
#include "sim/xalloc.h"

/* The two-sided 95% normal quantile the intervals are read with. */
#define Z975 1.959963984540054
/* Probability outside the key's allowed range a distribution may put there (clipped draws). */
#define MAX_OUTSIDE 0.001
/* Relative error allowed between an interval and the fitted distribution's quantiles. */
#define FIT_TOLERANCE 1e-6

/* ---- the scenario syntax: declared tables, for the reference and the checks ---------------- */

static const char *const dist_names[] = {"beta", "gamma", "lognormal", "normal", NULL};

enum { G_DEFAULTS, G_PARAMETERS, G_CORRELATIONS, N_GKEYS };
enum { P_KEY, P_DIST, P_FROM_CI, P_MEAN, P_SD, P_SOURCE, N_PKEYS };
enum { C_KEYS, C_RHO, N_CKEYS };

static const struct cfg_key group_keys[N_GKEYS] = {
    [G_DEFAULTS] = {.name = "defaults",
                    .type = CFG_BOOL,
                    .def = 1,
                    .help = "also draw the keys that keep their default value from the default "
                            "uncertainty their evidence gives (the keys whose source cites a "
                            "published interval); false: only the parameters declared here"},
    [G_PARAMETERS] = {.name = "parameters",
                      .type = CFG_LIST,
                      .help = "the uncertain keys: ( { key = \"PATH\"; dist = \"lognormal\"; "
                              "from_ci = [LO, HI]; source = \"...\"; }, ... )"},
    [G_CORRELATIONS] = {.name = "correlations",
                        .type = CFG_LIST,
                        .help = "parameters that move together: ( { keys = [\"PATH\", "
                                "\"PATH\"]; rho = 0.5; }, ... ), a Gaussian copula"},
};

static const struct cfg_key param_keys[N_PKEYS] = {
    [P_KEY] = {.name = "key",
               .type = CFG_STRING,
               .is_required = true,
               .help = "the key's dotted path, as --set takes it (crisis_team.gatekeeping_or, "
                       "coordination.models[0].detect): a real or integer key the scenario reads"},
    [P_DIST] = {.name = "dist",
                .type = CFG_CHOICE,
                .is_required = true,
                .choices = dist_names,
                .help = "beta for probabilities, gamma or lognormal for rates, lengths and "
                        "ratios, normal for differences"},
    [P_FROM_CI] = {.name = "from_ci",
                   .type = CFG_LIST,
                   .help = "[LO, HI]: a published 95% interval the distribution is fitted to "
                           "(its 2.5% and 97.5% quantiles); or mean and sd"},
    [P_MEAN] = {.name = "mean",
                .type = CFG_REAL,
                .lo = -HUGE_VAL,
                .hi = HUGE_VAL,
                .def_str = "none",
                .help = "the distribution's mean, with sd (method of moments), instead of "
                        "from_ci"},
    [P_SD] = {.name = "sd",
              .type = CFG_REAL,
              .lo = 0.0,
              .hi = HUGE_VAL,
              .flags = CFG_LO_OPEN,
              .def_str = "none",
              .help = "the distribution's standard deviation, with mean"},
    [P_SOURCE] = {.name = "source",
                  .type = CFG_STRING,
                  .help = "where the interval comes from (an EVIDENCE.md entry, a paper), shown "
                          "by ccsim check"},
};

static const struct cfg_key corr_keys[N_CKEYS] = {
    [C_KEYS] = {.name = "keys",
                .type = CFG_LIST,
                .is_required = true,
                .help = "[\"PATH\", \"PATH\"]: two uncertain keys (declared, or taking their "
                        "default uncertainty)"},
    [C_RHO] = {.name = "rho",
               .type = CFG_REAL,
               .is_required = true,
               .lo = -1.0,
               .hi = 1.0,
               .flags = CFG_LO_OPEN | CFG_HI_OPEN,
               .help = "the correlation of the two keys' normal scores"},
};

static const struct cfg_table group_table = {
    .path = "uncertainty",
    .help = "parameter uncertainty for ccsim psa: which keys are uncertain and how (docs/psa.md, "
            "\"Declaring uncertainty\"); a run ignores it",
    .keys = group_keys,
    .n_keys = N_GKEYS,
};
static const struct cfg_table param_table = {
    .path = "uncertainty.parameters[]",
    .help = "one uncertain key: its distribution, from a 95% interval (from_ci) or from mean and "
            "sd",
    .keys = param_keys,
    .n_keys = N_PKEYS,
};
static const struct cfg_table corr_table = {
    .path = "uncertainty.correlations[]",
    .help = "a correlation between two uncertain keys; the matrix they form must be positive "
            "definite",
    .keys = corr_keys,
    .n_keys = N_CKEYS,
};

const struct cfg_table *const unc_tables[] = {&group_table, &param_table, &corr_table, NULL};

/* ---- distributions ------------------------------------------------------------------------- */

const char *unc_dist_name(enum unc_dist dist)
{
    switch (dist) {
    case UNC_BETA:
        return "beta";
    case UNC_GAMMA:
        return "gamma";
    case UNC_LOGNORMAL:
        return "lognormal";
    case UNC_NORMAL:
        return "normal";
    }
    return "?";
}

int unc_dist_parse(const char *name, enum unc_dist *out)
{
    for (int i = 0; dist_names[i]; i++) {
        if (strcmp(name, dist_names[i]) == 0) {
            *out = (enum unc_dist)i;
            return 0;
        }
    }
    return -1;
}

/* Beyond this point of a unit-scale gamma of shape a the upper tail is below 1e-300 (about 690
 * standard deviations past the mean): gsl_cdf_gamma_P and _Q are not asked there (far out,
 * GSL's asymptotic series reports an error, which ccsim treats as a bug). */
static double gamma_far(double a)
{
    return a + 40 * sqrt(a) + 800;
}

static double gamma_P(double x, double a)
{
    return x >= gamma_far(a) ? 1 : gsl_cdf_gamma_P(x, a, 1);
}

static double gamma_Q(double x, double a)
{
    return x >= gamma_far(a) ? 0 : gsl_cdf_gamma_Q(x, a, 1);
}

static double cdf(enum unc_dist dist, double a, double b, double x)
{
    switch (dist) {
    case UNC_BETA:
        return x <= 0 ? 0 : x >= 1 ? 1 : gsl_cdf_beta_P(x, a, b);
    case UNC_GAMMA:
        return x <= 0 ? 0 : gamma_P(x / b, a);
    case UNC_LOGNORMAL:
        return x <= 0 ? 0 : gsl_cdf_lognormal_P(x, a, b);
    case UNC_NORMAL:
        return gsl_cdf_gaussian_P(x - a, b);
    }
    return NAN;
}

/* The upper tail, 1 - cdf, computed as such (no cancellation). */
static double tail(enum unc_dist dist, double a, double b, double x)
{
    switch (dist) {
    case UNC_BETA:
        return x <= 0 ? 1 : x >= 1 ? 0 : gsl_cdf_beta_Q(x, a, b);
    case UNC_GAMMA:
        return x <= 0 ? 1 : gamma_Q(x / b, a);
    case UNC_LOGNORMAL:
        return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, a, b);
    case UNC_NORMAL:
        return gsl_cdf_gaussian_Q(x - a, b);
    }
    return NAN;
}

/* The quantile of a beta (x = 1 / (1 + e^-t)) or a unit-scale gamma (x = e^t), found in t: the
 * log of the cdf, or of the upper tail for q > 1/2 (so that a quantile near 1 keeps its digits),
 * is nearly linear in t, and the Illinois variant of regula falsi (with bisection while a bound
 * is infinite) converges on it in a few dozen steps to a relative 1e-15.
 * gsl_cdf_beta_Pinv() and gsl_cdf_gamma_Pinv() are not used: they fail to converge at some
 * shapes (a GSL error, which ccsim treats as a bug). */
struct inv {
    enum unc_dist dist;
    double a, b, log_target;
    bool is_upper;
};

static double inv_x(const struct inv *v, double t)
{
    return v->dist == UNC_BETA ? 1 / (1 + exp(-t)) : exp(t);
}

/* Increasing in t, 0 at the quantile. */
static double inv_g(const struct inv *v, double t)
{
    double x = inv_x(v, t), f;

    if (v->dist == UNC_BETA) {
        f = v->is_upper ? gsl_cdf_beta_Q(x, v->a, v->b) : gsl_cdf_beta_P(x, v->a, v->b);
    } else {
        f = v->is_upper ? gamma_Q(x, v->a) : gamma_P(x, v->a);
    }
    double lf = f > 0 ? log(f) : -HUGE_VAL;
    return v->is_upper ? v->log_target - lf : lf - v->log_target;
}

static double invert(enum unc_dist dist, double a, double b, double q)
{
    struct inv v = {.dist = dist, .a = a, .b = b, .is_upper = q > 0.5};
    v.log_target = log(v.is_upper ? 1 - q : q);
    double lo = -745, hi = dist == UNC_BETA ? 40 : log(gamma_far(a));
    double glo = inv_g(&v, lo), ghi = inv_g(&v, hi);
    int side = 0;

    if (!(glo < 0)) {
        return inv_x(&v, lo);
    }
    if (!(ghi > 0)) {
        return inv_x(&v, hi);
    }
    for (int i = 0; i < 400; i++) {
        /* Halving while the bracket is wide or a bound infinite, then regula falsi. */
        double t = hi - lo < 4 && isfinite(glo) && isfinite(ghi)
                       ? (lo * ghi - hi * glo) / (ghi - glo)
                       : 0.5 * (lo + hi);
        if (!(t > lo && t < hi)) {
            t = 0.5 * (lo + hi);
        }
        if (!(t > lo && t < hi)) {
            break;
        }
        double g = inv_g(&v, t);
        if (g == 0) {
            return inv_x(&v, t);
        }
        if (g < 0) {
            lo = t;
            glo = g;
            if (side < 0) {
                ghi *= 0.5;
            }
            side = -1;
        } else {
            hi = t;
            ghi = g;
            if (side > 0) {
                glo *= 0.5;
            }
            side = 1;
        }
        if (hi - lo <= 1e-15 * fmax(1.0, fabs(t))) {
            break;
        }
    }
    return inv_x(&v, 0.5 * (lo + hi));
}

static double quantile(enum unc_dist dist, double a, double b, double q)
{
    switch (dist) {
    case UNC_BETA:
        return invert(UNC_BETA, a, b, q);
    case UNC_GAMMA:
        return b * invert(UNC_GAMMA, a, b, q);
    case UNC_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(q, a, b);
    case UNC_NORMAL:
        return a + gsl_cdf_gaussian_Pinv(q, b);
    }
    return NAN;
}

double unc_quantile(const struct unc_param *p, double q)
{
    return quantile(p->dist, p->a, p->b, q);
}

/* ---- fitting ------------------------------------------------------------------------------- */

/* Bisection of f(x) = target over [lo, hi] for an f that crosses target once there (either
 * direction): 200 halvings or until the bracket stops shrinking. Returns NaN when target is not
 * bracketed. */
static double bisect(double (*f)(double, const void *), const void *ctx, double lo, double hi,
                     double target)
{
    double flo = f(lo, ctx) - target, fhi = f(hi, ctx) - target;

    if (flo == 0) {
        return lo;
    }
    if (fhi == 0) {
        return hi;
    }
    if ((flo < 0) == (fhi < 0) || isnan(flo) || isnan(fhi)) {
        return NAN;
    }
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi)) {
            break;
        }
        double fm = f(mid, ctx) - target;
        if (fm == 0) {
            return mid;
        }
        if ((fm < 0) == (flo < 0)) {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

/* Gamma: the ratio of the 97.5% and 2.5% quantiles of a unit-scale gamma of shape exp(t), which
 * falls from infinity to 1 as the shape grows. */
static double gamma_ratio(double t, const void *ctx)
{
    (void)ctx;
    double k = exp(t);
    return log(quantile(UNC_GAMMA, k, 1.0, 0.975)) - log(quantile(UNC_GAMMA, k, 1.0, 0.025));
}

/* Shapes the gamma fit searches: a ratio hi/lo wider than shape 0.05 gives (about 10^30) or
 * narrower than shape 10^5 (1.0125) has no gamma here (use a lognormal or a normal); GSL's
 * incomplete gamma function fails beyond. */
#define GAMMA_SHAPE_MAX    1e5
#define GAMMA_LOG_SHAPE_LO (-3.0)   /* shape 0.0498 */
#define GAMMA_LOG_SHAPE_HI (11.512) /* shape 10^5 */

/* Beta: for a concentration s = a + b, the mean m whose 2.5% quantile is lo (the cdf at lo falls
 * as m grows), then the cdf at hi of that beta, which rises towards 1 as s grows. */
struct beta_ctx {
    double lo, hi, s;
};

static double beta_cdf_lo(double m, const void *ctx)
{
    const struct beta_ctx *b = ctx;
    return gsl_cdf_beta_P(b->lo, m * b->s, (1 - m) * b->s);
}

static double beta_mean_for(const struct beta_ctx *b)
{
    return bisect(beta_cdf_lo, b, 1e-12, 1 - 1e-12, 0.025);
}

static double beta_cdf_hi(double t, const void *ctx)
{
    struct beta_ctx b = *(const struct beta_ctx *)ctx;
    b.s = exp(t);
    double m = beta_mean_for(&b);
    if (isnan(m)) {
        return NAN;
    }
    return gsl_cdf_beta_P(b.hi, m * b.s, (1 - m) * b.s);
}

#define BETA_LOG_S_LO (-2.3) /* a + b = 0.1 */
#define BETA_LOG_S_HI 23.0   /* a + b = 10^10 */

int unc_fit_ci(enum unc_dist dist, double lo, double hi, double *a, double *b, char *why, size_t n)
{
    *a = *b = NAN;
    if (!(isfinite(lo) && isfinite(hi) && lo < hi)) {
        snprintf(why, n, "the interval [%.15g, %.15g] is not two finite numbers with lo < hi", lo,
                 hi);
        return -1;
    }
    switch (dist) {
    case UNC_NORMAL:
        *a = 0.5 * (lo + hi);
        *b = (hi - lo) / (2 * Z975);
        break;
    case UNC_LOGNORMAL:
        if (!(lo > 0)) {
            snprintf(why, n,
                     "a lognormal's interval must be positive: [%.15g, %.15g] (0 < lo < hi)", lo,
                     hi);
            return -1;
        }
        *a = 0.5 * (log(lo) + log(hi));
        *b = (log(hi) - log(lo)) / (2 * Z975);
        break;
    case UNC_GAMMA: {
        if (!(lo > 0)) {
            snprintf(why, n, "a gamma's interval must be positive: [%.15g, %.15g] (0 < lo < hi)",
                     lo, hi);
            return -1;
        }
        double t =
            bisect(gamma_ratio, NULL, GAMMA_LOG_SHAPE_LO, GAMMA_LOG_SHAPE_HI, log(hi) - log(lo));
        if (isnan(t)) {
            snprintf(why, n,
                     "no gamma has the interval [%.15g, %.15g] (a ratio hi/lo of %.6g; a gamma "
                     "of shape 0.05 to 10^5 gives 1.0125 to about 10^30): use a lognormal or a "
                     "normal",
                     lo, hi, hi / lo);
            return -1;
        }
        *a = exp(t);
        *b = lo / quantile(UNC_GAMMA, *a, 1.0, 0.025);
        break;
    }
    case UNC_BETA: {
        if (!(lo > 0 && hi < 1)) {
            snprintf(why, n,
                     "a beta's interval must lie within (0, 1): [%.15g, %.15g] (0 < lo < hi < 1)",
                     lo, hi);
            return -1;
        }
        struct beta_ctx ctx = {.lo = lo, .hi = hi};
        double t = bisect(beta_cdf_hi, &ctx, BETA_LOG_S_LO, BETA_LOG_S_HI, 0.975);
        if (isnan(t)) {
            snprintf(why, n,
                     "no beta has the interval [%.15g, %.15g] as its 2.5%% and 97.5%% quantiles "
                     "(a + b from 0.1 to 10^10 searched): give mean and sd, or another "
                     "distribution",
                     lo, hi);
            return -1;
        }
        ctx.s = exp(t);
        double m = beta_mean_for(&ctx);
        *a = m * ctx.s;
        *b = (1 - m) * ctx.s;
        break;
    }
    }
    /* The fit reproduces the interval, or it is refused. */
    double q_lo = quantile(dist, *a, *b, 0.025), q_hi = quantile(dist, *a, *b, 0.975);
    double scale = fabs(hi) > fabs(lo) ? fabs(hi) : fabs(lo);
    if (!(fabs(q_lo - lo) <= FIT_TOLERANCE * scale) ||
        !(fabs(q_hi - hi) <= FIT_TOLERANCE * scale)) {
        snprintf(why, n,
                 "no %s reproduces the interval [%.15g, %.15g] (the closest found has %.10g to "
                 "%.10g): use another distribution, or mean and sd",
                 unc_dist_name(dist), lo, hi, q_lo, q_hi);
        *a = *b = NAN;
        return -1;
    }
    return 0;
}

int unc_fit_moments(enum unc_dist dist, double mean, double sd, double *a, double *b, char *why,
                    size_t n)
{
    *a = *b = NAN;
    if (!(isfinite(mean) && isfinite(sd) && sd > 0)) {
        snprintf(why, n, "mean %.15g and sd %.15g are not finite with sd > 0", mean, sd);
        return -1;
    }
    switch (dist) {
    case UNC_NORMAL:
        *a = mean;
        *b = sd;
        return 0;
    case UNC_LOGNORMAL: {
        if (!(mean > 0)) {
            snprintf(why, n, "a lognormal's mean must be positive: %.15g (mean > 0)", mean);
            return -1;
        }
        double s2 = log1p((sd / mean) * (sd / mean));
        *a = log(mean) - 0.5 * s2;
        *b = sqrt(s2);
        return 0;
    }
    case UNC_GAMMA:
        if (!(mean > 0)) {
            snprintf(why, n, "a gamma's mean must be positive: %.15g (mean > 0)", mean);
            return -1;
        }
        *a = (mean / sd) * (mean / sd);
        *b = sd * sd / mean;
        if (!(*a >= 0.05 && *a <= GAMMA_SHAPE_MAX)) {
            snprintf(why, n,
                     "mean %.15g and sd %.15g give a gamma of shape %.6g (0.05 to 10^5, sd from "
                     "0.32%% to 4.5 times the mean): use a lognormal or a normal",
                     mean, sd, *a);
            *a = *b = NAN;
            return -1;
        }
        return 0;
    case UNC_BETA: {
        double v = sd * sd;
        if (!(mean > 0 && mean < 1 && v < mean * (1 - mean))) {
            snprintf(why, n,
                     "no beta has mean %.15g and sd %.15g (0 < mean < 1, sd < sqrt(mean (1 - "
                     "mean)))",
                     mean, sd);
            return -1;
        }
        double c = mean * (1 - mean) / v - 1;
        *a = mean * c;
        *b = (1 - mean) * c;
        return 0;
    }
    }
    return -1;
}

/* ---- reading the declarations -------------------------------------------------------------- */

/* A numeric setting of the resolved tree, as the walk found it. */
struct entry {
    char *path;
    const config_setting_t *s;
    struct cfg_origin o;
    double value;
    bool is_numeric; /* an integer or real (the others are kept for messages) */
};

struct index {
    struct entry *v;
    int n, cap;
};

static void index_visit(void *ctx, const config_setting_t *s, const char *path,
                        const struct cfg_origin *o)
{
    struct index *ix = ctx;
    int type = config_setting_type(s);

    if (strncmp(path, "uncertainty.", 12) == 0) {
        return;
    }
    if (ix->n == ix->cap) {
        ix->cap = ix->cap ? 2 * ix->cap : 256;
        ix->v = xrealloc(ix->v, (size_t)ix->cap * sizeof *ix->v);
    }
    struct entry *e = &ix->v[ix->n++];
    e->path = xstrdup(path);
    e->s = s;
    e->o = *o;
    e->is_numeric =
        type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 || type == CONFIG_TYPE_FLOAT;
    e->value = !e->is_numeric              ? NAN
               : type == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                           : (double)config_setting_get_int64(s);
}

static const struct entry *index_find(const struct index *ix, const char *path)
{
    for (int i = 0; i < ix->n; i++) {
        if (strcmp(ix->v[i].path, path) == 0) {
            return &ix->v[i];
        }
    }
    return NULL;
}

static void index_fini(struct index *ix)
{
    for (int i = 0; i < ix->n; i++) {
        free(ix->v[i].path);
    }
    free(ix->v);
}

/* Where problems go, and the declaration being read. */
struct reader {
    const struct cfg *c;
    struct diag *d;
    int n_problems;
};

/* The file and line setting s came from (an @include'd file's own lines included). */
static void where(const struct cfg *c, const config_setting_t *s, const char **file, int *line)
{
    struct cfg_origin o;

    cfg_origin_of(c, s, &o);
    *file = o.file ? o.file : c->path;
    *line = o.line;
}

static void problem(struct reader *r, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct reader *r, const config_setting_t *s, const char *fmt, ...)
{
    char path[512], text[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cfg_path(s, path, sizeof path);
    const char *file;
    int line;
    where(r->c, s, &file, &line);
    diag_add(r->d, file, line, path, "%s", text);
    r->n_problems++;
}

/* Reports the members of group that t does not declare, as cfg_check_keys() does. */
static void check_members(struct reader *r, const config_setting_t *group,
                          const struct cfg_table *t)
{
    for (int i = 0; i < config_setting_length(group); i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        if (!name || cfg_table_key(t, name)) {
            continue;
        }
        const char *best = NULL;
        int best_d = (int)strlen(name) / 3 + 1;
        char allowed[512] = "";
        size_t len = 0;
        for (size_t k = 0; k < t->n_keys; k++) {
            int dist = cfg_edit_distance(name, t->keys[k].name);
            if (dist <= best_d && (!best || dist < best_d)) {
                best = t->keys[k].name;
                best_d = dist;
            }
            len += (size_t)snprintf(allowed + len, sizeof allowed - len, "%s%s", k ? ", " : "",
                                    t->keys[k].name);
        }
        if (best) {
            problem(r, s, "unknown key, did you mean '%s'? (allowed here: %s)", best, allowed);
        } else {
            problem(r, s, "unknown key (allowed here: %s)", allowed);
        }
    }
}

static bool is_number(const config_setting_t *s)
{
    int type = config_setting_type(s);
    return type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 || type == CONFIG_TYPE_FLOAT;
}

static double number_of(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
                                                       : (double)config_setting_get_int64(s);
}

static bool is_sequence(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_ARRAY ||
           config_setting_type(s) == CONFIG_TYPE_LIST;
}

/* The string member name of g, or NULL (a problem when present and not a string, or when
 * required and absent). */
static const char *member_string(struct reader *r, const config_setting_t *g, const char *name,
                                 bool is_required, const char *what)
{
    const config_setting_t *s = config_setting_get_member(g, name);
    if (!s) {
        if (is_required) {
            char path[512];
            const char *file;
            int line;
            cfg_path(g, path, sizeof path);
            where(r->c, g, &file, &line);
            diag_add(r->d, file, line, path, "missing required key '%s' (%s)", name, what);
            r->n_problems++;
        }
        return NULL;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        problem(r, s, "not a string (%s)", what);
        return NULL;
    }
    return config_setting_get_string(s);
}

/* For a path want that names no numeric key: the nearest numeric key's path into best ("" when
 * none is near), and into list the numeric keys of the deepest group of want that holds any
 * ("numeric keys in crisis_team: p_admit, places, ..."), or the top-level groups that do. */
static void nearby(const struct index *ix, const char *want, char *best, size_t nb, char *list,
                   size_t nl)
{
    best[0] = list[0] = '\0';
    /* The nearest path by edit distance, within about a third of the name. */
    int best_d = (int)strlen(want) / 3 + 1;
    for (int i = 0; i < ix->n; i++) {
        if (!ix->v[i].o.key || !ix->v[i].is_numeric) {
            continue;
        }
        int d = cfg_edit_distance(want, ix->v[i].path);
        if (d < best_d) {
            best_d = d;
            snprintf(best, nb, "%s", ix->v[i].path);
        }
    }
    /* The keys of the deepest group of want that holds numeric keys. */
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s", want);
    for (;;) {
        char *dot = strrchr(prefix, '.');
        char *bracket = strrchr(prefix, '[');
        char *cut = dot > bracket ? dot : bracket;
        if (!cut) {
            break;
        }
        *cut = '\0';
        size_t lp = strlen(prefix), len = 0;
        char names[1024] = "";
        int shown = 0, more = 0;
        for (int i = 0; i < ix->n; i++) {
            const char *p = ix->v[i].path;
            if (!ix->v[i].o.key || !ix->v[i].is_numeric || strncmp(p, prefix, lp) != 0 ||
                p[lp] != '.' || strchr(p + lp + 1, '.') || strchr(p + lp + 1, '[')) {
                continue;
            }
            if (shown < 12 && len < sizeof names) {
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", shown ? ", " : "",
                                        p + lp + 1);
                shown++;
            } else {
                more++;
            }
        }
        if (shown) {
            if (more && len < sizeof names) {
                snprintf(names + len, sizeof names - len, " and %d more", more);
            }
            snprintf(list, nl, "numeric keys in %.200s: %.780s", prefix, names);
            return;
        }
    }
    /* No group of want exists: the top-level groups that hold numeric keys. */
    size_t len = (size_t)snprintf(list, nl, "top-level groups with numeric keys: ");
    char seen[64][64];
    int n_seen = 0;
    for (int i = 0; i < ix->n && n_seen < 64; i++) {
        const char *p = ix->v[i].path;
        size_t l = strcspn(p, ".[");
        if (!ix->v[i].o.key || !ix->v[i].is_numeric || !p[l]) {
            continue;
        }
        bool dup = false;
        for (int k = 0; k < n_seen; k++) {
            dup |= strlen(seen[k]) == l && strncmp(seen[k], p, l) == 0;
        }
        if (!dup && l < 64) {
            snprintf(seen[n_seen], 64, "%.*s", (int)l, p);
            if (len < nl) {
                len += (size_t)snprintf(list + len, nl - len, "%s%s", n_seen ? ", " : "",
                                        seen[n_seen]);
            }
            n_seen++;
        }
    }
}

/* Keys that describe the experiment rather than the system: never uncertain. */
static bool is_experiment_key(const char *path)
{
    static const char *const names[] = {"horizon", "warmup", "replications", "seed", NULL};
    for (int i = 0; names[i]; i++) {
        if (strcmp(path, names[i]) == 0) {
            return true;
        }
    }
    return false;
}

static void allowed_of(const struct cfg_key *k, char *buf, size_t n)
{
    cfg_allowed(k, buf, n);
}

static bool bound_is_finite(double x)
{
    return isfinite(x) && fabs(x) < 9.2e18;
}

/* The probability the fitted distribution of p puts outside its key's allowed range. */
static double outside(const struct unc_param *p)
{
    double out = 0;
    if (bound_is_finite(p->allowed_lo)) {
        out += cdf(p->dist, p->a, p->b, p->allowed_lo);
    }
    if (bound_is_finite(p->allowed_hi)) {
        out += tail(p->dist, p->a, p->b, p->allowed_hi);
    }
    return out;
}

static void param_fill_key(struct unc_param *p, const struct entry *e)
{
    const struct cfg_key *k = e->o.key;
    p->path = xstrdup(e->path);
    p->value = e->value;
    p->is_int = k->type == CFG_INT;
    p->key = k;
    p->allowed_lo = k->lo;
    p->allowed_hi = k->hi;
    p->is_lo_open = (k->flags & CFG_LO_OPEN) != 0;
    p->is_hi_open = (k->flags & CFG_HI_OPEN) != 0;
}

/* Checks the fitted p against its key's range: at most MAX_OUTSIDE outside it. Returns false
 * with the reason in why. */
static bool range_ok(struct unc_param *p, char *why, size_t n)
{
    char allowed[256];

    p->p_outside = outside(p);
    if (p->p_outside < MAX_OUTSIDE) {
        return true;
    }
    allowed_of(p->key, allowed, sizeof allowed);
    if (p->dist == UNC_NORMAL) {
        snprintf(why, n,
                 "a normal puts %.3g%% of its probability outside the key's allowed range "
                 "(%s): use beta, gamma or lognormal (a normal may put at most 0.1%% outside a "
                 "bounded key)",
                 100 * p->p_outside, allowed);
    } else {
        snprintf(why, n,
                 "a %s puts %.3g%% of its probability outside the key's allowed range (%s): at "
                 "most 0.1%% may fall outside (beta for a key within 0..1, gamma or lognormal "
                 "for a key >= 0, normal for an unbounded one)",
                 unc_dist_name(p->dist), 100 * p->p_outside, allowed);
    }
    return false;
}

static void describe_dist(const struct unc_param *p, char *buf, size_t n)
{
    if (!isnan(p->ci_lo)) {
        snprintf(buf, n, "%s from the 95%% interval %.6g to %.6g", unc_dist_name(p->dist), p->ci_lo,
                 p->ci_hi);
    } else {
        snprintf(buf, n, "%s", unc_dist_name(p->dist));
    }
}

static void add_param(struct unc_set *u, int *cap, const struct unc_param *p)
{
    if (u->n == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        u->p = xrealloc(u->p, (size_t)*cap * sizeof *u->p);
    }
    u->p[u->n++] = *p;
}

static void add_note(struct unc_set *u, const char *text)
{
    u->notes = xrealloc(u->notes, (size_t)(u->n_notes + 1) * sizeof *u->notes);
    u->notes[u->n_notes++] = xstrdup(text);
}

static void param_free(struct unc_param *p)
{
    free(p->path);
    free(p->source);
    free(p->origin);
}

/* Reads declaration e (element i of parameters) into p. Returns false after reporting. */
static bool read_param(struct reader *r, const struct index *ix, const config_setting_t *e,
                       struct unc_param *p)
{
    char why[1024];
    int before = r->n_problems;

    memset(p, 0, sizeof *p);
    p->ci_lo = p->ci_hi = NAN;
    check_members(r, e, &param_table);
    const char *path = member_string(r, e, "key", true, "a numeric key's dotted path");
    const char *dname = member_string(r, e, "dist", true,
                                      "one of \"beta\", \"gamma\", "
                                      "\"lognormal\", \"normal\"");
    const char *source = member_string(r, e, "source", false, "where the interval comes from");
    const config_setting_t *ks = config_setting_get_member(e, "key");
    const config_setting_t *ds = config_setting_get_member(e, "dist");
    if (dname && unc_dist_parse(dname, &p->dist) != 0) {
        problem(r, ds,
                "\"%s\" is not a distribution of parameter uncertainty (one of \"beta\", "
                "\"gamma\", \"lognormal\", \"normal\")",
                dname);
        dname = NULL;
    }
    const struct entry *en = NULL;
    if (path) {
        en = index_find(ix, path);
        if (!en) {
            char best[512], list[1024];
            nearby(ix, path, best, sizeof best, list, sizeof list);
            if (best[0]) {
                problem(r, ks,
                        "\"%s\" names no numeric key of the scenario, did you mean '%s'? (%s)",
                        path, best, list);
            } else {
                problem(r, ks, "\"%s\" names no numeric key of the scenario (%s)", path, list);
            }
        } else if (!en->o.key) {
            problem(r, ks,
                    "\"%s\" is not a key the model reads (a real or integer key of the "
                    "scenario's reference, docs/scenarios.md)",
                    path);
            en = NULL;
        } else if (!en->is_numeric || (en->o.key->type != CFG_REAL && en->o.key->type != CFG_INT)) {
            char allowed[256];
            allowed_of(en->o.key, allowed, sizeof allowed);
            problem(r, ks,
                    "\"%s\" is not a numeric key (it is %s; a real or integer key may be "
                    "uncertain)",
                    path, allowed);
            en = NULL;
        } else if (is_experiment_key(path)) {
            problem(r, ks,
                    "\"%s\" describes the experiment, not the system: it cannot be uncertain "
                    "(a real or integer key of the model, not horizon, warmup, replications or "
                    "seed)",
                    path);
            en = NULL;
        } else if (en->o.key->flags & CFG_NOT_VARIED) {
            problem(r, ks,
                    "\"%s\" is a key ccsim never varies (its plausible range only guards "
                    "against mistakes; sensitivity leaves it too): it cannot be uncertain",
                    path);
            en = NULL;
        }
    }
    /* The interval, or the moments. */
    const config_setting_t *ci = config_setting_get_member(e, "from_ci");
    const config_setting_t *ms = config_setting_get_member(e, "mean");
    const config_setting_t *ss = config_setting_get_member(e, "sd");
    double lo = NAN, hi = NAN, mean = NAN, sd = NAN;
    bool have = false;
    if (ci && (ms || ss)) {
        problem(r, ci,
                "from_ci and mean/sd both given (one of them: from_ci = [LO, HI]; or mean "
                "and sd)");
    } else if (ci) {
        if (!is_sequence(ci) || config_setting_length(ci) != 2 ||
            !is_number(config_setting_get_elem(ci, 0)) ||
            !is_number(config_setting_get_elem(ci, 1))) {
            problem(r, ci, "not a 95%% interval ([LO, HI], two numbers with LO < HI)");
        } else {
            lo = number_of(config_setting_get_elem(ci, 0));
            hi = number_of(config_setting_get_elem(ci, 1));
            if (!(lo < hi)) {
                problem(r, ci, "the interval [%.15g, %.15g] is empty (LO < HI)", lo, hi);
            } else {
                have = true;
            }
        }
    } else if (ms || ss) {
        if (!ms || !ss) {
            problem(r, ms ? ms : ss, "mean and sd go together (both, or from_ci = [LO, HI])");
        } else if (!is_number(ms) || !is_number(ss)) {
            problem(r, is_number(ms) ? ss : ms, "not a number (mean and sd: numbers, sd > 0)");
        } else {
            mean = number_of(ms);
            sd = number_of(ss);
            if (!(sd > 0) || !isfinite(sd) || !isfinite(mean)) {
                problem(r, ss, "%.15g is not a standard deviation (a finite real > 0)", sd);
            } else {
                have = true;
            }
        }
    } else {
        char gp[512];
        const char *file;
        int line;
        cfg_path(e, gp, sizeof gp);
        where(r->c, e, &file, &line);
        diag_add(r->d, file, line, gp,
                 "no interval (from_ci = [LO, HI], a 95%% interval; or mean and sd)");
        r->n_problems++;
    }
    if (r->n_problems > before || !en || !dname || !have) {
        return false;
    }
    param_fill_key(p, en);
    int rc;
    if (ci) {
        p->ci_lo = lo;
        p->ci_hi = hi;
        rc = unc_fit_ci(p->dist, lo, hi, &p->a, &p->b, why, sizeof why);
    } else {
        rc = unc_fit_moments(p->dist, mean, sd, &p->a, &p->b, why, sizeof why);
    }
    if (rc != 0) {
        problem(r, ci ? ci : ms, "%s: %s", path, why);
        free(p->path);
        p->path = NULL;
        return false;
    }
    if (!range_ok(p, why, sizeof why)) {
        problem(r, ds, "%s: %s", path, why);
        free(p->path);
        p->path = NULL;
        return false;
    }
    char origin[1024];
    const char *file;
    int line;
    where(r->c, e, &file, &line);
    snprintf(origin, sizeof origin, "%s:%d", file, line);
    p->origin = xstrdup(origin);
    p->source = xstrdup(source ? source : "the scenario's declaration (no source given)");
    return true;
}

/* The default uncertainty of entry e, when its key has one and the value is still the key's own
 * default. */
static bool keeps_default(const struct entry *e)
{
    const struct cfg_key *k = e->o.key;
    return k && k->uncertain && e->o.kind == CFG_FROM_DEFAULT && !k->def_str &&
           (!e->o.source || e->o.source == k->source) && e->value == k->def;
}

static void origin_text(const struct entry *e, char *buf, size_t n)
{
    switch (e->o.kind) {
    case CFG_FROM_FILE:
        snprintf(buf, n, "set at %s:%d", e->o.file ? e->o.file : "?", e->o.line);
        break;
    case CFG_FROM_SET:
        snprintf(buf, n, "set by %s", e->o.file ? e->o.file : "--set");
        break;
    case CFG_FROM_DEFAULT:
        snprintf(buf, n, "given a default of its own (%s)",
                 e->o.source ? e->o.source : "derived from other keys");
        break;
    }
}

static void read_defaults(struct reader *r, struct unc_set *u, int *cap, const struct index *ix,
                          bool use, const config_setting_t *flag)
{
    char why[1024], text[2048], desc[256];

    for (int i = 0; i < ix->n; i++) {
        const struct entry *e = &ix->v[i];
        const struct cfg_key *k = e->o.key;
        if (!k || !k->uncertain || !e->is_numeric || !(k->type == CFG_REAL || k->type == CFG_INT)) {
            continue;
        }
        bool declared = false;
        for (int j = 0; j < u->n && !declared; j++) {
            declared = strcmp(u->p[j].path, e->path) == 0;
        }
        if (declared) {
            continue;
        }
        struct unc_param p = {0};
        param_fill_key(&p, e);
        p.ci_lo = k->uncertain->lo;
        p.ci_hi = k->uncertain->hi;
        if (unc_dist_parse(k->uncertain->dist, &p.dist) != 0) {
            diag_add(r->d, NULL, 0, e->path,
                     "the default uncertainty names no distribution (\"%s\")", k->uncertain->dist);
            r->n_problems++;
            free(p.path);
            continue;
        }
        describe_dist(&p, desc, sizeof desc);
        if (!keeps_default(e)) {
            char from[1024];
            origin_text(e, from, sizeof from);
            snprintf(text, sizeof text,
                     "%s: %s, so its default uncertainty (%s) is not used; declare it in "
                     "uncertainty.parameters to draw it",
                     e->path, from, desc);
            add_note(u, text);
            free(p.path);
            continue;
        }
        if (!use) {
            const char *file;
            int line;
            where(r->c, flag, &file, &line);
            snprintf(text, sizeof text,
                     "%s: its default uncertainty (%s) is not used: uncertainty.defaults is false "
                     "(%s%s%.0d)",
                     e->path, desc, file, line > 0 ? ":" : "", line);
            add_note(u, text);
            free(p.path);
            continue;
        }
        if (unc_fit_ci(p.dist, p.ci_lo, p.ci_hi, &p.a, &p.b, why, sizeof why) != 0 ||
            !range_ok(&p, why, sizeof why)) {
            diag_add(r->d, NULL, 0, e->path, "its default uncertainty: %s", why);
            r->n_problems++;
            free(p.path);
            continue;
        }
        p.source = xstrdup(k->uncertain->source ? k->uncertain->source : "the key's default");
        p.origin = xstrdup("default");
        add_param(u, cap, &p);
    }
}

/* The index in u of path, or -1. */
static int find_param(const struct unc_set *u, const char *path)
{
    for (int i = 0; i < u->n; i++) {
        if (strcmp(u->p[i].path, path) == 0) {
            return i;
        }
    }
    return -1;
}

static void read_correlations(struct reader *r, struct unc_set *u, const config_setting_t *list)
{
    int n = u->n;
    double *rho = xcalloc((size_t)n * (size_t)(n ? n : 1), sizeof *rho);
    const config_setting_t **at = xcalloc((size_t)n * (size_t)(n ? n : 1), sizeof *at);
    bool any = false;
    int before = r->n_problems;

    for (int i = 0; i < n; i++) {
        rho[i * n + i] = 1;
    }
    for (int c = 0; c < config_setting_length(list); c++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)c);
        if (!config_setting_is_group(e)) {
            problem(r, e, "not a correlation (a group { keys = [\"PATH\", \"PATH\"]; rho = R; })");
            continue;
        }
        check_members(r, e, &corr_table);
        const config_setting_t *ks = config_setting_get_member(e, "keys");
        const config_setting_t *rs = config_setting_get_member(e, "rho");
        char gp[512];
        const char *file;
        int line;
        cfg_path(e, gp, sizeof gp);
        where(r->c, e, &file, &line);
        if (!ks || !rs) {
            diag_add(r->d, file, line, gp,
                     "missing required key '%s' (keys = [\"PATH\", \"PATH\"]; rho = R, -1 < R < 1)",
                     ks ? "rho" : "keys");
            r->n_problems++;
            continue;
        }
        if (!is_sequence(ks) || config_setting_length(ks) != 2 ||
            config_setting_type(config_setting_get_elem(ks, 0)) != CONFIG_TYPE_STRING ||
            config_setting_type(config_setting_get_elem(ks, 1)) != CONFIG_TYPE_STRING) {
            problem(r, ks, "not two keys ([\"PATH\", \"PATH\"], two uncertain keys)");
            continue;
        }
        if (!is_number(rs)) {
            problem(r, rs, "not a number (a correlation, -1 < rho < 1)");
            continue;
        }
        double v = number_of(rs);
        if (!(v > -1 && v < 1)) {
            problem(r, rs, "%.15g is out of range (a correlation, -1 < rho < 1)", v);
            continue;
        }
        int idx[2];
        bool ok = true;
        for (int k = 0; k < 2; k++) {
            const char *path = config_setting_get_string(config_setting_get_elem(ks, k));
            idx[k] = find_param(u, path);
            if (idx[k] < 0) {
                problem(r, ks,
                        "\"%s\" is not an uncertain parameter (a key declared in "
                        "uncertainty.parameters, or one taking its default uncertainty)",
                        path);
                ok = false;
            }
        }
        if (!ok) {
            continue;
        }
        if (idx[0] == idx[1]) {
            problem(r, ks, "a key correlated with itself (two different keys)");
            continue;
        }
        const config_setting_t *prev = at[idx[0] * n + idx[1]];
        if (prev) {
            const char *pfile;
            int pline;
            where(r->c, prev, &pfile, &pline);
            problem(r, e, "the correlation of %s and %s is given twice (first at %s:%d)",
                    u->p[idx[0]].path, u->p[idx[1]].path, pfile, pline);
            continue;
        }
        at[idx[0] * n + idx[1]] = at[idx[1] * n + idx[0]] = e;
        rho[idx[0] * n + idx[1]] = rho[idx[1] * n + idx[0]] = v;
        any = true;
    }
    if (!any || r->n_problems > before) {
        free(rho);
        free(at);
        return;
    }
    /* Positive definite: the smallest eigenvalue clear of 0. */
    gsl_matrix *m = gsl_matrix_alloc((size_t)n, (size_t)n);
    gsl_vector *eval = gsl_vector_alloc((size_t)n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc((size_t)n);
    for (int i = 0; i < n * n; i++) {
        m->data[i] = rho[i];
    }
    gsl_eigen_symm(m, eval, w);
    double min = gsl_vector_min(eval);
    gsl_eigen_symm_free(w);
    gsl_vector_free(eval);
    if (!(min > 1e-10)) {
        problem(r, list,
                "the correlations do not form a positive definite matrix (its smallest "
                "eigenvalue is %.3g): they contradict one another (weaken them; for three keys, "
                "rho(a,c) must lie within rho(a,b) rho(b,c) +- sqrt((1 - rho(a,b)^2)(1 - "
                "rho(b,c)^2)))",
                min);
        gsl_matrix_free(m);
        free(rho);
        free(at);
        return;
    }
    for (int i = 0; i < n * n; i++) {
        m->data[i] = rho[i];
    }
    gsl_linalg_cholesky_decomp1(m);
    u->chol = xcalloc((size_t)n * (size_t)n, sizeof *u->chol);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
            u->chol[i * n + j] = gsl_matrix_get(m, (size_t)i, (size_t)j);
        }
    }
    gsl_matrix_free(m);
    u->rho = rho;
    free(at);
}

int unc_set_load(struct unc_set *u, const struct cfg *c, struct diag *d)
{
    struct reader r = {.c = c, .d = d};
    struct index ix = {0};
    int cap = 0;

    memset(u, 0, sizeof *u);
    const config_setting_t *root = cfg_root(c);
    const config_setting_t *g = config_setting_get_member(root, "uncertainty");
    if (g && !config_setting_is_group(g)) {
        problem(&r, g, "not a group (uncertainty = { parameters = ( ... ); })");
        return -1;
    }
    cfg_walk(c, index_visit, &ix);
    bool use_defaults = true;
    const config_setting_t *flag = NULL, *params = NULL, *corr = NULL;
    if (g) {
        check_members(&r, g, &group_table);
        flag = config_setting_get_member(g, "defaults");
        if (flag && config_setting_type(flag) != CONFIG_TYPE_BOOL) {
            problem(&r, flag, "not true or false (true: also the keys' default uncertainty)");
        } else if (flag) {
            use_defaults = config_setting_get_bool(flag) != 0;
        }
        params = config_setting_get_member(g, "parameters");
        if (params && !(config_setting_type(params) == CONFIG_TYPE_LIST ||
                        (config_setting_type(params) == CONFIG_TYPE_ARRAY &&
                         config_setting_length(params) == 0))) {
            problem(&r, params,
                    "not a list of parameters (( { key = \"PATH\"; dist = ...; "
                    "from_ci = [LO, HI]; }, ... ))");
            params = NULL;
        }
        corr = config_setting_get_member(g, "correlations");
        if (corr && !(config_setting_type(corr) == CONFIG_TYPE_LIST ||
                      (config_setting_type(corr) == CONFIG_TYPE_ARRAY &&
                       config_setting_length(corr) == 0))) {
            problem(&r, corr,
                    "not a list of correlations (( { keys = [\"PATH\", \"PATH\"]; rho "
                    "= R; }, ... ))");
            corr = NULL;
        }
    }
    for (int i = 0; params && i < config_setting_length(params); i++) {
        const config_setting_t *e = config_setting_get_elem(params, (unsigned)i);
        if (!config_setting_is_group(e)) {
            problem(&r, e,
                    "not a parameter (a group { key = \"PATH\"; dist = ...; from_ci = [LO, "
                    "HI]; })");
            continue;
        }
        struct unc_param p;
        if (!read_param(&r, &ix, e, &p)) {
            continue;
        }
        int j = find_param(u, p.path);
        if (j >= 0) {
            problem(&r, config_setting_get_member(e, "key"),
                    "%s is declared twice (first at %s; one declaration a key)", p.path,
                    u->p[j].origin);
            param_free(&p);
            continue;
        }
        add_param(u, &cap, &p);
    }
    read_defaults(&r, u, &cap, &ix, use_defaults, flag);
    if (corr && config_setting_length(corr) > 0 && r.n_problems == 0) {
        read_correlations(&r, u, corr);
    }
    index_fini(&ix);
    if (r.n_problems > 0) {
        unc_set_fini(u);
        return -1;
    }
    return 0;
}

void unc_set_fini(struct unc_set *u)
{
    for (int i = 0; i < u->n; i++) {
        param_free(&u->p[i]);
    }
    free(u->p);
    free(u->chol);
    free(u->rho);
    for (int i = 0; i < u->n_notes; i++) {
        free(u->notes[i]);
    }
    free(u->notes);
    memset(u, 0, sizeof *u);
}

/* ---- draws --------------------------------------------------------------------------------- */

/* The smallest and largest probabilities a draw inverts: a uniform of the generator is a
 * multiple of 2^-53 in [0, 1), and 0 would give an infinite normal score. */
#define P_MIN 0x1.0p-60
#define P_MAX (1.0 - 0x1.0p-53)

static double clamp_p(double q)
{
    return q < P_MIN ? P_MIN : q > P_MAX ? P_MAX : q;
}

/* x clipped into p's allowed range (open bounds: the nearest value inside), after rounding an
 * integer key's draw to the nearest integer. */
static double clip(const struct unc_param *p, double x)
{
    double lo = p->allowed_lo, hi = p->allowed_hi;

    if (p->is_int) {
        x = nearbyint(x);
        double ilo = p->is_lo_open ? floor(lo) + 1 : ceil(lo);
        double ihi = p->is_hi_open ? ceil(hi) - 1 : floor(hi);
        x = x < ilo ? ilo : x > ihi ? ihi : x;
        return x;
    }
    if (x < lo || (p->is_lo_open && x <= lo)) {
        x = p->is_lo_open ? nextafter(lo, HUGE_VAL) : lo;
    }
    if (x > hi || (p->is_hi_open && x >= hi)) {
        x = p->is_hi_open ? nextafter(hi, -HUGE_VAL) : hi;
    }
    return x;
}

double unc_uniform(const struct unc_param *p, uint64_t seed, uint64_t draw)
{
    return rng_first_uniform(
        rng_seed_derive(seed, draw, STREAM_PARAMETER, rng_key_string(p->path)));
}

void unc_draw(const struct unc_set *u, uint64_t seed, uint64_t draw, double *x)
{
    int n = u->n;

    if (!u->chol) {
        for (int k = 0; k < n; k++) {
            double q = clamp_p(unc_uniform(&u->p[k], seed, draw));
            x[k] = clip(&u->p[k], unc_quantile(&u->p[k], q));
        }
        return;
    }
    /* Normal scores, correlated by the Cholesky factor L (y = L z), back to probabilities. A
     * parameter correlated with none has a unit row in L and keeps its own uniform exactly. */
    double *z = xcalloc((size_t)n, sizeof *z);
    for (int k = 0; k < n; k++) {
        z[k] = gsl_cdf_ugaussian_Pinv(clamp_p(unc_uniform(&u->p[k], seed, draw)));
    }
    for (int k = 0; k < n; k++) {
        const double *row = u->chol + (size_t)k * (size_t)n;
        bool is_unit = row[k] == 1.0;
        for (int j = 0; j < k && is_unit; j++) {
            is_unit = row[j] == 0.0;
        }
        double q;
        if (is_unit) {
            q = clamp_p(unc_uniform(&u->p[k], seed, draw));
        } else {
            double y = 0;
            for (int j = 0; j <= k; j++) {
                y += row[j] * z[j];
            }
            q = clamp_p(gsl_cdf_ugaussian_P(y));
        }
        x[k] = clip(&u->p[k], unc_quantile(&u->p[k], q));
    }
    free(z);
}

int unc_assign(const struct unc_param *p, double x, char *buf, size_t n)
{
    if (p->is_int) {
        return snprintf(buf, n, "%s=%lld", p->path, (long long)llround(x));
    }
    return snprintf(buf, n, "%s=%.17g", p->path, x);
}

void unc_describe(const struct unc_param *p, char *buf, size_t n)
{
    switch (p->dist) {
    case UNC_BETA:
        snprintf(buf, n, "beta(a %.4g, b %.4g)", p->a, p->b);
        break;
    case UNC_GAMMA:
        snprintf(buf, n, "gamma(shape %.4g, scale %.4g)", p->a, p->b);
        break;
    case UNC_LOGNORMAL:
        snprintf(buf, n, "lognormal(mu %.4g, sigma %.4g)", p->a, p->b);
        break;
    case UNC_NORMAL:
        snprintf(buf, n, "normal(mean %.4g, sd %.4g)", p->a, p->b);
        break;
    }
}
