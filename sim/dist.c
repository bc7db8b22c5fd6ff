#include "sim/dist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>

#include "sim/fail.h"
#include "sim/xalloc.h"

static const char *const kind_names[] = {
    "fixed",     "exponential", "uniform", "triangular", "normal",
    "lognormal", "gamma",       "weibull", "empirical",  NULL,
};

/* The parameters each form takes, in the order stored in d->p. */
static const char *const kind_params[][4] = {
    [DIST_FIXED] = {"value"},
    [DIST_EXPONENTIAL] = {"mean"},
    [DIST_UNIFORM] = {"min", "max"},
    [DIST_TRIANGULAR] = {"min", "mode", "max"},
    [DIST_NORMAL] = {"mean", "sd"},
    [DIST_LOGNORMAL] = {"mean", "sd"},
    [DIST_GAMMA] = {"mean", "sd"},
    [DIST_WEIBULL] = {"shape", "scale"},
    [DIST_EMPIRICAL] = {"values", "probs"},
};

#define R(name_, lo_, flags_, help_)                                                               \
    {                                                                                              \
        .name = name_, .type = CFG_REAL, .is_required = true, .lo = lo_, .hi = HUGE_VAL,           \
        .flags = flags_, .help = help_                                                             \
    }

static const struct cfg_key dist_keys[] = {
    {.name = "dist",
     .type = CFG_CHOICE,
     .is_required = true,
     .choices = kind_names,
     .help = "form of the distribution"},
    R("value", 0.0, 0, "fixed: the value"),
    R("mean", 0.0, CFG_LO_OPEN,
      "exponential, lognormal, gamma: mean; normal: mean before truncation"),
    R("sd", 0.0, CFG_LO_OPEN, "normal, lognormal, gamma: standard deviation"),
    R("min", 0.0, 0, "uniform, triangular: lower bound"),
    R("max", 0.0, 0, "uniform, triangular: upper bound"),
    R("mode", 0.0, 0, "triangular: most likely value"),
    R("shape", 0.0, CFG_LO_OPEN, "weibull: shape k"),
    R("scale", 0.0, CFG_LO_OPEN, "weibull: scale lambda"),
    {.name = "values", .type = CFG_LIST, .help = "empirical: the values (each >= 0)"},
    {.name = "probs", .type = CFG_LIST, .help = "empirical: their probabilities, summing to 1"},
};

#undef R

const struct cfg_table dist_table = {
    .path = "<distribution>",
    .help = "a probability distribution: dist names the form, the other keys its parameters",
    .keys = dist_keys,
    .n_keys = sizeof dist_keys / sizeof dist_keys[0],
};

const char *dist_kind_name(enum dist_kind kind)
{
    return kind_names[kind];
}

static bool takes(enum dist_kind kind, const char *name)
{
    for (int i = 0; i < 4 && kind_params[kind][i]; i++) {
        if (strcmp(kind_params[kind][i], name) == 0) {
            return true;
        }
    }
    return false;
}

static void param_list(enum dist_kind kind, char *buf, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 0; i < 4 && kind_params[kind][i] && len < n; i++) {
        int w = snprintf(buf + len, n - len, "%s%s", i ? ", " : "", kind_params[kind][i]);
        len += w > 0 ? (size_t)w : 0;
    }
}

/* Derives the constants dist_draw() needs from d->p. */
static void derive(struct dist *d)
{
    double m = d->p[0], sd = d->p[1];

    switch (d->kind) {
    case DIST_NORMAL:
        /* Truncation at 0 by inversion: draw u in [P(X < 0), 1). */
        d->a = gsl_cdf_ugaussian_P(-m / sd);
        break;
    case DIST_LOGNORMAL: {
        /* If X is lognormal with mean m and sd s, log X is normal with variance
         * ln(1 + s^2/m^2) and mean ln m - variance/2. */
        double s2 = log1p((sd * sd) / (m * m));
        d->a = log(m) - s2 / 2;
        d->b = sqrt(s2);
        break;
    }
    case DIST_GAMMA:
        /* Shape k and scale theta with k*theta = m and k*theta^2 = s^2. */
        d->a = (m * m) / (sd * sd);
        d->b = (sd * sd) / m;
        break;
    case DIST_TRIANGULAR:
        d->a = (d->p[1] - d->p[0]) / (d->p[2] - d->p[0]); /* F(mode) */
        break;
    default:
        break;
    }
}

bool dist_set(struct dist *d, enum dist_kind kind, double p0, double p1, double p2)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->p[0] = p0;
    d->p[1] = p1;
    d->p[2] = p2;
    switch (kind) {
    case DIST_FIXED:
        if (!(p0 >= 0)) {
            return false;
        }
        break;
    case DIST_EXPONENTIAL:
        if (!(p0 > 0)) {
            return false;
        }
        break;
    case DIST_UNIFORM:
        if (!(p0 >= 0 && p1 > p0)) {
            return false;
        }
        break;
    case DIST_TRIANGULAR:
        if (!(p0 >= 0 && p0 <= p1 && p1 <= p2 && p0 < p2)) {
            return false;
        }
        break;
    case DIST_NORMAL:
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
    case DIST_WEIBULL:
        if (!(p0 > 0 && p1 > 0)) {
            return false;
        }
        break;
    case DIST_EMPIRICAL:
        return false;
    }
    derive(d);
    return true;
}

static bool load_table(struct cfg *c, const config_setting_t *s, struct dist *d)
{
    const config_setting_t *vs = config_setting_get_member(s, "values");
    const config_setting_t *ps = config_setting_get_member(s, "probs");
    bool ok = true;

    if (!vs || !ps) {
        cfg_error_key(c, s, vs ? "probs" : "values",
                      "missing required key (a list of numbers, as many as %s)",
                      vs ? "values" : "probs");
        return false;
    }
    if (!config_setting_is_aggregate(vs) || config_setting_is_group(vs)) {
        cfg_error(c, vs, "not a list (a list of numbers, e.g. [1.0, 2.5])");
        ok = false;
    }
    if (!config_setting_is_aggregate(ps) || config_setting_is_group(ps)) {
        cfg_error(c, ps, "not a list (a list of probabilities, e.g. [0.4, 0.6])");
        ok = false;
    }
    if (!ok) {
        return false;
    }
    int n = config_setting_length(vs);
    if (n == 0) {
        cfg_error(c, vs, "empty list (at least one value)");
        return false;
    }
    if (config_setting_length(ps) != n) {
        cfg_error(c, ps, "%d probabilities for %d values (as many probabilities as values)",
                  config_setting_length(ps), n);
        return false;
    }
    double *values = xcalloc((size_t)n, sizeof *values);
    double *cum = xcalloc((size_t)n, sizeof *cum);
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *v = config_setting_get_elem(vs, (unsigned)i);
        const config_setting_t *p = config_setting_get_elem(ps, (unsigned)i);
        double x, q;
        if (cfg_number(c, v, &x)) {
            if (x < 0) {
                cfg_error(c, v, "%g is out of range (real >= 0)", x);
                ok = false;
            }
            values[i] = x;
        } else {
            ok = false;
        }
        if (cfg_number(c, p, &q)) {
            if (q < 0 || q > 1) {
                cfg_error(c, p, "%g is out of range (probability 0..1)", q);
                ok = false;
            }
            sum += q;
            cum[i] = sum;
        } else {
            ok = false;
        }
    }
    if (ok && fabs(sum - 1.0) > 1e-6) {
        cfg_error(c, ps, "probabilities sum to %.9g (they must sum to 1)", sum);
        ok = false;
    }
    if (!ok) {
        free(values);
        free(cum);
        return false;
    }
    /* Normalise the rounding away so that the last cumulative value is exactly 1. */
    for (int i = 0; i < n; i++) {
        cum[i] /= sum;
    }
    cum[n - 1] = 1.0;
    d->n = (size_t)n;
    d->values = values;
    d->cum = cum;
    return true;
}

bool dist_load(struct cfg *c, const config_setting_t *s, struct dist *d)
{
    int kind;
    bool ok;

    memset(d, 0, sizeof *d);
    if (!config_setting_is_group(s)) {
        cfg_error(c, s,
                  "not a distribution (a group such as { dist = \"exponential\"; mean = "
                  "2.0; })");
        return false;
    }
    ok = cfg_check_keys(c, s, &dist_table);
    if (!cfg_get_choice(c, s, &dist_table.keys[0], &kind)) {
        return false;
    }
    d->kind = (enum dist_kind)kind;

    char takes_list[64];
    param_list(d->kind, takes_list, sizeof takes_list);
    for (size_t i = 1; i < dist_table.n_keys; i++) {
        const char *name = dist_table.keys[i].name;
        const config_setting_t *m = config_setting_get_member(s, name);
        if (m && !takes(d->kind, name)) {
            cfg_error(c, m, "does not apply to dist \"%s\" (it takes: %s)", kind_names[kind],
                      takes_list);
            ok = false;
        }
    }
    if (d->kind == DIST_EMPIRICAL) {
        return load_table(c, s, d) && ok;
    }

    for (int i = 0; i < 4 && kind_params[kind][i]; i++) {
        /* The parameters are declared required: they are read only for the forms they apply
         * to. */
        const struct cfg_key *k = cfg_table_key(&dist_table, kind_params[kind][i]);
        if (!cfg_get_real(c, s, k, &d->p[i])) {
            ok = false;
        }
    }
    if (!ok) {
        return false;
    }
    /* Cross-field rules. */
    if (d->kind == DIST_UNIFORM && !(d->p[1] > d->p[0])) {
        cfg_error(c, config_setting_get_member(s, "max"), "max %g is not above min %g (min < max)",
                  d->p[1], d->p[0]);
        return false;
    }
    if (d->kind == DIST_TRIANGULAR) {
        double lo = d->p[0], mode = d->p[1], hi = d->p[2];
        if (!(lo < hi)) {
            cfg_error(c, config_setting_get_member(s, "max"),
                      "max %g is not above min %g (min < max)", hi, lo);
            return false;
        }
        if (!(lo <= mode && mode <= hi)) {
            cfg_error(c, config_setting_get_member(s, "mode"),
                      "%g is outside [min, max] = [%g, %g] (min <= mode <= max)", mode, lo, hi);
            return false;
        }
    }
    derive(d);
    return true;
}

void dist_fini(struct dist *d)
{
    free(d->values);
    free(d->cum);
    d->values = NULL;
    d->cum = NULL;
    d->n = 0;
}

static double draw_empirical(const struct dist *d, double u)
{
    size_t lo = 0, hi = d->n - 1;

    /* The first index whose cumulative probability exceeds u. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->cum[mid] > u) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return d->values[lo];
}

double dist_draw(const struct dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_FIXED:
        /* Spend the one uniform every other inversion form spends, so that a stream shared by
         * several quantities stays in step when a scenario makes one of them fixed. */
        (void)gsl_rng_uniform(r);
        return d->p[0];
    case DIST_EXPONENTIAL:
        /* Inversion: -mean * ln(1 - u), u in [0, 1). u is a multiple of 2^-53, so 1 - u is
         * exact and log() loses nothing against the slower log1p(). */
        return -d->p[0] * log(1.0 - gsl_rng_uniform(r));
    case DIST_UNIFORM:
        return d->p[0] + (d->p[1] - d->p[0]) * gsl_rng_uniform(r);
    case DIST_TRIANGULAR: {
        double u = gsl_rng_uniform(r), lo = d->p[0], mode = d->p[1], hi = d->p[2];
        if (u < d->a) {
            return lo + sqrt(u * (hi - lo) * (mode - lo));
        }
        return hi - sqrt((1 - u) * (hi - lo) * (hi - mode));
    }
    case DIST_NORMAL: {
        double u = d->a + (1 - d->a) * gsl_rng_uniform_pos(r);
        double x = d->p[0] + d->p[1] * gsl_cdf_ugaussian_Pinv(u);
        return x > 0 ? x : 0.0;
    }
    case DIST_LOGNORMAL:
        return exp(d->a + d->b * gsl_cdf_ugaussian_Pinv(gsl_rng_uniform_pos(r)));
    case DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case DIST_WEIBULL:
        /* Inversion: scale * (-ln(1 - u))^(1/shape). */
        return d->p[1] * pow(-log(1.0 - gsl_rng_uniform(r)), 1.0 / d->p[0]);
    case DIST_EMPIRICAL:
        return draw_empirical(d, gsl_rng_uniform(r));
    }
    sim_fail(__FILE__, __LINE__, "dist: unknown form %d", (int)d->kind);
}

/* Truncated normal moments: with alpha = -mean/sd and lambda = phi(alpha) / (1 - Phi(alpha)),
 * E = mean + sd*lambda and Var = sd^2 (1 + alpha*lambda - lambda^2). */
static double trunc_lambda(const struct dist *d, double *alpha)
{
    *alpha = -d->p[0] / d->p[1];
    return gsl_ran_ugaussian_pdf(*alpha) / gsl_cdf_ugaussian_Q(*alpha);
}

double dist_mean(const struct dist *d)
{
    double alpha, m = 0.0;

    switch (d->kind) {
    case DIST_FIXED:
    case DIST_EXPONENTIAL:
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        return d->p[0];
    case DIST_UNIFORM:
        return (d->p[0] + d->p[1]) / 2;
    case DIST_TRIANGULAR:
        return (d->p[0] + d->p[1] + d->p[2]) / 3;
    case DIST_NORMAL:
        return d->p[0] + d->p[1] * trunc_lambda(d, &alpha);
    case DIST_WEIBULL:
        return d->p[1] * gsl_sf_gamma(1 + 1 / d->p[0]);
    case DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n; i++) {
            m += d->values[i] * (d->cum[i] - (i ? d->cum[i - 1] : 0.0));
        }
        return m;
    }
    return NAN;
}

double dist_variance(const struct dist *d)
{
    double alpha, lambda, m, v = 0.0;
    double lo = d->p[0], mid = d->p[1], hi = d->p[2];

    switch (d->kind) {
    case DIST_FIXED:
        return 0.0;
    case DIST_EXPONENTIAL:
        return d->p[0] * d->p[0];
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        return d->p[1] * d->p[1];
    case DIST_UNIFORM:
        return (mid - lo) * (mid - lo) / 12;
    case DIST_TRIANGULAR:
        return (lo * lo + mid * mid + hi * hi - lo * mid - lo * hi - mid * hi) / 18;
    case DIST_NORMAL:
        lambda = trunc_lambda(d, &alpha);
        return d->p[1] * d->p[1] * (1 + alpha * lambda - lambda * lambda);
    case DIST_WEIBULL: {
        double g1 = gsl_sf_gamma(1 + 1 / d->p[0]);
        return d->p[1] * d->p[1] * (gsl_sf_gamma(1 + 2 / d->p[0]) - g1 * g1);
    }
    case DIST_EMPIRICAL:
        m = dist_mean(d);
        for (size_t i = 0; i < d->n; i++) {
            double x = d->values[i] - m;
            v += x * x * (d->cum[i] - (i ? d->cum[i - 1] : 0.0));
        }
        return v;
    }
    return NAN;
}
