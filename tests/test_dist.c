/*
 * Unit tests of sim/dist: distributions read from scenario text and drawn through GSL.
 *
 * Moments. For each form, n = 200000 draws; the sample mean must lie within 5 standard errors
 * (sqrt(variance / n)) of dist_mean(), and the sample variance within 5 standard errors of
 * dist_variance(), the standard error of a sample variance being sqrt((mu4 - sigma^4) / n) with
 * the fourth central moment mu4 estimated from the same sample (the delta method). A correct
 * sampler fails such a check with probability below 10^-6; a wrong parameterisation (rate for
 * mean, sd for variance, a truncation that clamps) misses by many standard errors. dist_mean()
 * and dist_variance() are themselves checked against closed forms written out here with libm.
 *
 * Shapes. Moments do not pin a distribution, so each continuous form is also put through a
 * Kolmogorov-Smirnov test against its distribution function (10^5 draws, sqrt(n) D < 1.95,
 * p = 0.001 under the null), and the empirical form through its table frequencies.
 *
 * Loading. dist_load() must accept every form (integers where reals are expected) and reject
 * every invalid parameter with one diagnostic in the project's format, at the offending setting
 * or, for a missing key, at its group's line.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "sim/cfg.h"
#include "sim/dist.h"
#include "sim/rng.h"
#include "tests/support.h"

enum { N_MOMENTS = 200000, N_KS = 100000 };

/* One configuration under test and its mean and variance worked out independently. */
struct form {
    const char *label;
    enum dist_kind kind;
    double p0, p1, p2;
};

static const struct form forms[] = {
    {"fixed", DIST_FIXED, 2.385, 0, 0},
    {"exponential", DIST_EXPONENTIAL, 2.385, 0, 0},
    {"uniform", DIST_UNIFORM, 0.75, 4.125, 0},
    {"triangular", DIST_TRIANGULAR, 1.5, 2.0, 6.25},
    {"triangular mode at min", DIST_TRIANGULAR, 0.0, 0.0, 3.5},
    {"triangular mode at max", DIST_TRIANGULAR, 1.0, 4.5, 4.5},
    {"normal, little truncation", DIST_NORMAL, 10.3, 2.1, 0},
    {"normal, heavy truncation", DIST_NORMAL, 0.8, 1.5, 0},
    {"lognormal", DIST_LOGNORMAL, 3.7, 1.9, 0},
    {"gamma, shape 9", DIST_GAMMA, 12.0, 4.0, 0},
    {"gamma, shape < 1", DIST_GAMMA, 1.6, 2.4, 0},
    {"weibull, shape 1.5", DIST_WEIBULL, 1.5, 2.385, 0},
    {"weibull, shape 0.8", DIST_WEIBULL, 0.8, 1.3, 0},
};
#define N_FORMS (sizeof forms / sizeof forms[0])

static double phi(double x)
{
    return exp(-x * x / 2) / 2.506628274631000502; /* sqrt(2 pi) */
}

static double big_phi(double x)
{
    return 0.5 * erfc(-x / sqrt(2.0));
}

/* Closed forms (Johnson, Kotz and Balakrishnan), written out independently of dist.c. */
static void closed_form(const struct form *f, double *mean, double *var)
{
    double a = f->p0, b = f->p1, c = f->p2;

    switch (f->kind) {
    case DIST_FIXED:
        *mean = a;
        *var = 0;
        return;
    case DIST_EXPONENTIAL:
        *mean = a;
        *var = a * a;
        return;
    case DIST_UNIFORM:
        *mean = (a + b) / 2;
        *var = (b - a) * (b - a) / 12;
        return;
    case DIST_TRIANGULAR:
        *mean = (a + b + c) / 3;
        *var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
        return;
    case DIST_NORMAL: {
        /* Normal(mu, s) conditioned on X > 0: with z = mu / s and r = phi(z) / Phi(z),
         * E = mu + s r and Var = s^2 (1 - z r - r^2). */
        double z = a / b, r = phi(z) / big_phi(z);
        *mean = a + b * r;
        *var = b * b * (1 - z * r - r * r);
        return;
    }
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        *mean = a;
        *var = b * b;
        return;
    case DIST_WEIBULL: {
        double g1 = tgamma(1 + 1 / a), g2 = tgamma(1 + 2 / a);
        *mean = b * g1;
        *var = b * b * (g2 - g1 * g1);
        return;
    }
    case DIST_EMPIRICAL:
        break;
    }
    *mean = NAN;
    *var = NAN;
    fail_msg("no closed form for %s", f->label);
}

/* The distribution function of each continuous form, for the KS test. */
static double cdf(const struct form *f, double x)
{
    double a = f->p0, b = f->p1, c = f->p2;

    switch (f->kind) {
    case DIST_EXPONENTIAL:
        return x <= 0 ? 0 : 1 - exp(-x / a);
    case DIST_UNIFORM:
        return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a);
    case DIST_TRIANGULAR:
        if (x <= a) {
            return 0;
        }
        if (x >= c) {
            return 1;
        }
        if (x <= b) {
            return (x - a) * (x - a) / ((c - a) * (b - a));
        }
        return 1 - (c - x) * (c - x) / ((c - a) * (c - b));
    case DIST_NORMAL: {
        double p0 = big_phi(-a / b);
        return x <= 0 ? 0 : (big_phi((x - a) / b) - p0) / (1 - p0);
    }
    case DIST_LOGNORMAL: {
        double s2 = log(1 + b * b / (a * a));
        return gsl_cdf_lognormal_P(x, log(a) - s2 / 2, sqrt(s2));
    }
    case DIST_GAMMA:
        return gsl_cdf_gamma_P(x, a * a / (b * b), b * b / a);
    case DIST_WEIBULL:
        return x <= 0 ? 0 : 1 - exp(-pow(x / b, a));
    default:
        break;
    }
    fail_msg("no distribution function for %s", f->label);
    return NAN;
}

static void make(const struct form *f, struct dist *d)
{
    if (!dist_set(d, f->kind, f->p0, f->p1, f->p2)) {
        fail_msg("dist_set refused %s", f->label);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

struct sample {
    double mean, var, m4;
};

static struct sample sample_moments(const struct dist *d, gsl_rng *r, double *x, int n)
{
    struct sample s = {0, 0, 0};

    for (int i = 0; i < n; i++) {
        x[i] = dist_draw(d, r);
        s.mean += x[i];
    }
    s.mean /= n;
    for (int i = 0; i < n; i++) {
        double e = x[i] - s.mean;
        s.var += e * e;
        s.m4 += e * e * e * e;
    }
    s.var /= n - 1;
    s.m4 /= n;
    return s;
}

/* Asserts that the sample's mean and variance are within 5 standard errors of mean and var. */
static void assert_moments(const char *label, struct sample s, double mean, double var, int n)
{
    double se_mean = sqrt(var / n);
    double se_var = sqrt(fmax(s.m4 - s.var * s.var, 0.0) / n);

    if (fabs(s.mean - mean) > 5 * se_mean || fabs(s.var - var) > 5 * se_var) {
        fprintf(stderr,
                "%s: sample mean %.6g (expected %.6g, se %.3g), variance %.6g "
                "(expected %.6g, se %.3g)\n",
                label, s.mean, mean, se_mean, s.var, var, se_var);
    }
    assert_close(s.mean, mean, 0.0, 5 * se_mean);
    assert_close(s.var, var, 0.0, 5 * se_var);
}

/* ---- dist_set, dist_mean, dist_variance ---- */

static void test_dist_mean_and_variance_match_closed_forms(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FORMS; i++) {
        struct dist d;
        double mean, var;
        make(&forms[i], &d);
        closed_form(&forms[i], &mean, &var);
        assert_close(dist_mean(&d), mean, 1e-12, 1e-15);
        assert_close(dist_variance(&d), var, 1e-12, 1e-15);
        dist_fini(&d);
    }
}

static void test_dist_set_rejects_invalid_parameters(void **state)
{
    struct dist d;

    (void)state;
    assert_false(dist_set(&d, DIST_FIXED, -0.5, 0, 0));
    assert_false(dist_set(&d, DIST_EXPONENTIAL, 0.0, 0, 0));
    assert_false(dist_set(&d, DIST_EXPONENTIAL, -2.0, 0, 0));
    assert_false(dist_set(&d, DIST_EXPONENTIAL, NAN, 0, 0));
    assert_false(dist_set(&d, DIST_UNIFORM, 2.0, 2.0, 0));
    assert_false(dist_set(&d, DIST_UNIFORM, -1.0, 2.0, 0));
    assert_false(dist_set(&d, DIST_TRIANGULAR, 1.0, 0.5, 3.0));
    assert_false(dist_set(&d, DIST_TRIANGULAR, 1.0, 3.5, 3.0));
    assert_false(dist_set(&d, DIST_TRIANGULAR, 2.0, 2.0, 2.0));
    assert_false(dist_set(&d, DIST_NORMAL, 1.0, 0.0, 0));
    assert_false(dist_set(&d, DIST_LOGNORMAL, 0.0, 1.0, 0));
    assert_false(dist_set(&d, DIST_GAMMA, 2.0, -1.0, 0));
    assert_false(dist_set(&d, DIST_WEIBULL, 0.0, 1.0, 0));
    assert_false(dist_set(&d, DIST_EMPIRICAL, 1.0, 1.0, 0));
    /* The boundary cases that are allowed. */
    assert_true(dist_set(&d, DIST_FIXED, 0.0, 0, 0));
    assert_true(dist_set(&d, DIST_UNIFORM, 0.0, 1e-9, 0));
    assert_true(dist_set(&d, DIST_TRIANGULAR, 2.0, 2.0, 2.5));
}

/* ---- Draws ---- */

static void test_dist_sample_moments_match_mean_and_variance(void **state)
{
    double *x = malloc(N_MOMENTS * sizeof *x);

    (void)state;
    assert_non_null(x);
    for (size_t i = 0; i < N_FORMS; i++) {
        struct dist d;
        gsl_rng *r = rng_create(rng_seed_derive(404, 0, STREAM_SERVICE, i));
        make(&forms[i], &d);
        struct sample s = sample_moments(&d, r, x, N_MOMENTS);
        if (forms[i].kind == DIST_FIXED) {
            /* Exactly the value, every time. */
            for (int k = 0; k < N_MOMENTS; k++) {
                assert_true(x[k] == forms[i].p0);
            }
        } else {
            assert_moments(forms[i].label, s, dist_mean(&d), dist_variance(&d), N_MOMENTS);
        }
        gsl_rng_free(r);
    }
    free(x);
}

static void test_dist_lognormal_and_gamma_reproduce_given_mean_and_sd(void **state)
{
    double *x = malloc(N_MOMENTS * sizeof *x);
    const struct form given[] = {
        {"lognormal", DIST_LOGNORMAL, 3.7, 1.9, 0},
        {"lognormal, cv 0.25", DIST_LOGNORMAL, 45.0, 11.25, 0},
        {"gamma", DIST_GAMMA, 12.0, 4.0, 0},
        {"gamma, cv 1.5", DIST_GAMMA, 1.6, 2.4, 0},
    };

    (void)state;
    assert_non_null(x);
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++) {
        struct dist d;
        gsl_rng *r = rng_create(rng_seed_derive(405, 0, STREAM_CLIENT, i));
        make(&given[i], &d);
        struct sample s = sample_moments(&d, r, x, N_MOMENTS);
        /* Against the parameters as written in the scenario, not against dist_mean(). */
        assert_moments(given[i].label, s, given[i].p0, given[i].p1 * given[i].p1, N_MOMENTS);
        if (given[i].kind == DIST_LOGNORMAL) {
            /* The logarithm is normal with variance ln(1 + cv^2) and mean ln m - variance / 2. */
            double cv = given[i].p1 / given[i].p0, s2 = log1p(cv * cv);
            double sum = 0;
            for (int k = 0; k < N_MOMENTS; k++) {
                sum += log(x[k]);
            }
            assert_close(sum / N_MOMENTS, log(given[i].p0) - s2 / 2, 0.0, 5 * sqrt(s2 / N_MOMENTS));
        }
        gsl_rng_free(r);
    }
    free(x);
}

static void test_dist_continuous_forms_follow_their_distribution_functions(void **state)
{
    double *x = malloc(N_KS * sizeof *x);

    (void)state;
    assert_non_null(x);
    for (size_t i = 0; i < N_FORMS; i++) {
        if (forms[i].kind == DIST_FIXED) {
            continue;
        }
        struct dist d;
        gsl_rng *r = rng_create(rng_seed_derive(406, 0, STREAM_ARRIVALS, i));
        make(&forms[i], &d);
        for (int k = 0; k < N_KS; k++) {
            x[k] = dist_draw(&d, r);
        }
        qsort(x, N_KS, sizeof *x, cmp_double);
        double dmax = 0;
        for (int k = 0; k < N_KS; k++) {
            double f = cdf(&forms[i], x[k]);
            dmax = fmax(dmax, fmax((double)(k + 1) / N_KS - f, f - (double)k / N_KS));
        }
        if (!(sqrt((double)N_KS) * dmax < 1.95)) {
            fprintf(stderr, "%s: KS statistic sqrt(n) D = %.4g\n", forms[i].label,
                    sqrt((double)N_KS) * dmax);
        }
        assert_true(sqrt((double)N_KS) * dmax < 1.95);
        gsl_rng_free(r);
    }
    free(x);
}

/* Truncation excludes the negative part (conditioning), it does not pile it up at 0. With mean
 * 0.8 and sd 1.5, 30% of the untruncated mass is below 0; clamping would put it all at 0. */
static void test_dist_normal_truncated_at_zero_is_never_negative(void **state)
{
    struct dist d;
    gsl_rng *r = rng_create(rng_seed_derive(407, 0, STREAM_PATIENCE, 0));
    int n_zero = 0, n_below_half = 0;
    double lo = INFINITY;

    (void)state;
    assert_true(dist_set(&d, DIST_NORMAL, 0.8, 1.5, 0));
    for (int i = 0; i < N_MOMENTS; i++) {
        double x = dist_draw(&d, r);
        lo = fmin(lo, x);
        n_zero += x == 0.0;
        n_below_half += x < 0.5;
    }
    assert_true(lo >= 0.0);
    assert_true(n_zero < 10);
    /* P(X < 0.5 | X > 0) = (Phi((0.5 - 0.8) / 1.5) - Phi(-0.8 / 1.5)) / (1 - Phi(-0.8 / 1.5)). */
    double p0 = big_phi(-0.8 / 1.5);
    double p = (big_phi(-0.3 / 1.5) - p0) / (1 - p0);
    assert_close((double)n_below_half / N_MOMENTS, p, 0.0, 5 * sqrt(p * (1 - p) / N_MOMENTS));
    gsl_rng_free(r);
}

static void test_dist_triangular_respects_bounds_and_mode(void **state)
{
    const double tri[][3] = {{1.5, 2.0, 6.25}, {0.0, 0.0, 3.5}, {1.0, 4.5, 4.5}, {2.0, 3.0, 4.0}};

    (void)state;
    for (size_t t = 0; t < sizeof tri / sizeof tri[0]; t++) {
        struct dist d;
        gsl_rng *r = rng_create(rng_seed_derive(408, 0, STREAM_SERVICE, t));
        double a = tri[t][0], m = tri[t][1], b = tri[t][2];
        double lo = INFINITY, hi = -INFINITY;
        int n_below_mode = 0;
        const int n = 100000;
        assert_true(dist_set(&d, DIST_TRIANGULAR, a, m, b));
        for (int i = 0; i < n; i++) {
            double x = dist_draw(&d, r);
            lo = fmin(lo, x);
            hi = fmax(hi, x);
            n_below_mode += x <= m;
        }
        assert_true(lo >= a && hi <= b);
        /* The draws come close to both ends (within a few percent of the range). */
        assert_true(lo < a + 0.05 * (b - a) && hi > b - 0.05 * (b - a));
        /* F(mode) = (mode - min) / (max - min). */
        double p = (m - a) / (b - a);
        assert_close((double)n_below_mode / n, p, 0.0, 5 * sqrt(p * (1 - p) / n) + 1e-12);
        gsl_rng_free(r);
    }
}

/* Inversion consumes exactly one uniform per draw for every form but gamma, so a stream shared
 * by several quantities stays in step whichever forms a scenario picks (common random numbers).
 * After k draws the generator must be where a fresh one is after k uniforms. */
static void test_dist_draws_use_one_uniform_each_except_gamma(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_FORMS; i++) {
        if (forms[i].kind == DIST_GAMMA) {
            continue;
        }
        struct dist d;
        struct rng_sub a, b;
        make(&forms[i], &d);
        rng_sub_init(&a, 8080 + i);
        rng_sub_init(&b, 8080 + i);
        for (int k = 0; k < 100; k++) {
            (void)dist_draw(&d, &a.r);
            (void)gsl_rng_uniform(&b.r);
        }
        if (gsl_rng_get(&a.r) != gsl_rng_get(&b.r)) {
            fail_msg("%s: a draw does not consume exactly one uniform", forms[i].label);
        }
    }
}

/* Inversion is monotone in the uniform: two exponentials with different means fed the same
 * uniforms give proportional draws, and two normals draws in the same order. */
static void test_dist_inversion_keeps_common_random_numbers_in_step(void **state)
{
    struct dist e1, e2, n1, n2;
    struct rng_sub a, b, c, dd;

    (void)state;
    assert_true(dist_set(&e1, DIST_EXPONENTIAL, 2.0, 0, 0));
    assert_true(dist_set(&e2, DIST_EXPONENTIAL, 3.0, 0, 0));
    assert_true(dist_set(&n1, DIST_NORMAL, 5.0, 1.0, 0));
    assert_true(dist_set(&n2, DIST_NORMAL, 6.0, 2.0, 0));
    rng_sub_init(&a, 99);
    rng_sub_init(&b, 99);
    rng_sub_init(&c, 99);
    rng_sub_init(&dd, 99);
    double prev1 = -1, prev2 = -1;
    for (int k = 0; k < 1000; k++) {
        double x1 = dist_draw(&e1, &a.r), x2 = dist_draw(&e2, &b.r);
        assert_close(x2, 1.5 * x1, 1e-12, 1e-300);
        double y1 = dist_draw(&n1, &c.r), y2 = dist_draw(&n2, &dd.r);
        if (k > 0) {
            assert_true((y1 < prev1) == (y2 < prev2));
        }
        prev1 = y1;
        prev2 = y2;
    }
}

/* ---- Empirical ---- */

static const char empirical_text[] = "d = { dist = \"empirical\";\n"
                                     "      values = [0.5, 1.75, 2.385, 9.0];\n"
                                     "      probs = [0.15, 0.5, 0.0, 0.35]; };\n";

static void test_dist_empirical_frequencies_match_table(void **state)
{
    const double values[4] = {0.5, 1.75, 2.385, 9.0};
    const double probs[4] = {0.15, 0.5, 0.0, 0.35};
    struct cfg c;
    struct dist d;
    int count[4] = {0};
    const int n = N_MOMENTS;

    (void)state;
    cfg_init(&c);
    assert_true(cfg_load_string(&c, "t.cfg", empirical_text));
    assert_true(dist_load(&c, config_setting_get_member(cfg_root(&c), "d"), &d));
    assert_int_equal(cfg_n_problems(&c), 0);
    assert_int_equal(d.kind, DIST_EMPIRICAL);
    assert_int_equal(d.n, 4);

    double mean = 0, var = 0;
    for (int i = 0; i < 4; i++) {
        mean += probs[i] * values[i];
    }
    for (int i = 0; i < 4; i++) {
        var += probs[i] * (values[i] - mean) * (values[i] - mean);
    }
    assert_close(dist_mean(&d), mean, 1e-12, 0);
    assert_close(dist_variance(&d), var, 1e-12, 0);

    gsl_rng *r = rng_create(rng_seed_derive(409, 0, STREAM_ROUTING, 0));
    for (int k = 0; k < n; k++) {
        double x = dist_draw(&d, r);
        int j = 0;
        while (j < 4 && values[j] != x) {
            j++;
        }
        if (j == 4) {
            fail_msg("drew %g, which is not in the table", x);
        }
        count[j]++;
    }
    for (int j = 0; j < 4; j++) {
        double p = probs[j];
        assert_close((double)count[j] / n, p, 0.0, 5 * sqrt(p * (1 - p) / n));
    }
    assert_int_equal(count[2], 0); /* probability 0: never drawn */
    gsl_rng_free(r);
    dist_fini(&d);
    assert_null(d.values);
    assert_null(d.cum);
    dist_fini(&d); /* twice is harmless */
    cfg_fini(&c);
}

/* A single-value table and a table whose first entry has probability 0. */
static void test_dist_empirical_edge_tables(void **state)
{
    struct cfg c;
    struct dist one, skip;
    gsl_rng *r = rng_create(410);

    (void)state;
    cfg_init(&c);
    assert_true(cfg_load_string(&c, "t.cfg",
                                "one = { dist = \"empirical\"; values = [4.25]; probs = [1]; };\n"
                                "skip = { dist = \"empirical\"; values = (7, 8.5); "
                                "probs = (0, 1.0); };\n"));
    assert_true(dist_load(&c, config_setting_get_member(cfg_root(&c), "one"), &one));
    assert_true(dist_load(&c, config_setting_get_member(cfg_root(&c), "skip"), &skip));
    for (int i = 0; i < 10000; i++) {
        assert_true(dist_draw(&one, r) == 4.25);
        assert_true(dist_draw(&skip, r) == 8.5);
    }
    assert_true(dist_mean(&skip) == 8.5);
    assert_true(dist_variance(&one) == 0.0);
    dist_fini(&one);
    dist_fini(&skip);
    gsl_rng_free(r);
    cfg_fini(&c);
}

/* ---- Loading ---- */

struct good {
    const char *text;
    enum dist_kind kind;
    double p[3];
};

static void test_dist_load_reads_every_form(void **state)
{
    /* Integers are accepted where reals are expected (mean = 3). */
    const struct good good[] = {
        {"d = { dist = \"fixed\"; value = 2.385; };", DIST_FIXED, {2.385, 0, 0}},
        {"d = { dist = \"fixed\"; value = 0; };", DIST_FIXED, {0, 0, 0}},
        {"d = { dist = \"exponential\"; mean = 3; };", DIST_EXPONENTIAL, {3, 0, 0}},
        {"d = { dist = \"uniform\"; min = 0; max = 4.125; };", DIST_UNIFORM, {0, 4.125, 0}},
        {"d = { dist = \"triangular\"; min = 1.5; mode = 2; max = 6.25; };",
         DIST_TRIANGULAR,
         {1.5, 2, 6.25}},
        {"d = { dist = \"normal\"; mean = 10.3; sd = 2.1; };", DIST_NORMAL, {10.3, 2.1, 0}},
        {"d = { dist = \"lognormal\"; sd = 1.9; mean = 3.7; };", DIST_LOGNORMAL, {3.7, 1.9, 0}},
        {"d = { dist = \"gamma\"; mean = 12; sd = 4; };", DIST_GAMMA, {12, 4, 0}},
        {"d = { dist = \"weibull\"; scale = 2.385; shape = 1.5; };", DIST_WEIBULL, {1.5, 2.385, 0}},
    };

    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct cfg c;
        struct dist d, ref;
        cfg_init(&c);
        assert_true(cfg_load_string(&c, "t.cfg", good[i].text));
        if (!dist_load(&c, config_setting_get_member(cfg_root(&c), "d"), &d)) {
            diag_print(&c.diag, stderr);
            fail_msg("refused: %s", good[i].text);
        }
        assert_int_equal(cfg_n_problems(&c), 0);
        assert_int_equal(d.kind, good[i].kind);
        for (int k = 0; k < 3; k++) {
            assert_true(d.p[k] == good[i].p[k]);
        }
        /* Loading and dist_set() agree on everything the draws use. */
        assert_true(dist_set(&ref, good[i].kind, good[i].p[0], good[i].p[1], good[i].p[2]));
        assert_true(dist_mean(&d) == dist_mean(&ref));
        assert_true(dist_variance(&d) == dist_variance(&ref));
        struct rng_sub a, b;
        rng_sub_init(&a, 5);
        rng_sub_init(&b, 5);
        for (int k = 0; k < 100; k++) {
            assert_true(dist_draw(&d, &a.r) == dist_draw(&ref, &b.r));
        }
        dist_fini(&d);
        cfg_fini(&c);
    }
}

/* Each form's name, as written in a scenario, loads as that form. */
static void test_dist_kind_names_round_trip(void **state)
{
    const char *params[] = {
        [DIST_FIXED] = "value = 1.0;",
        [DIST_EXPONENTIAL] = "mean = 1.0;",
        [DIST_UNIFORM] = "min = 0.0; max = 1.0;",
        [DIST_TRIANGULAR] = "min = 0.0; mode = 0.5; max = 1.0;",
        [DIST_NORMAL] = "mean = 1.0; sd = 1.0;",
        [DIST_LOGNORMAL] = "mean = 1.0; sd = 1.0;",
        [DIST_GAMMA] = "mean = 1.0; sd = 1.0;",
        [DIST_WEIBULL] = "shape = 1.0; scale = 1.0;",
        [DIST_EMPIRICAL] = "values = [1.0]; probs = [1.0];",
    };

    (void)state;
    for (int k = DIST_FIXED; k <= DIST_EMPIRICAL; k++) {
        char text[256];
        struct cfg c;
        struct dist d;
        snprintf(text, sizeof text, "d = { dist = \"%s\"; %s };", dist_kind_name(k), params[k]);
        cfg_init(&c);
        assert_true(cfg_load_string(&c, "t.cfg", text));
        assert_true(dist_load(&c, config_setting_get_member(cfg_root(&c), "d"), &d));
        assert_int_equal(d.kind, k);
        dist_fini(&d);
        cfg_fini(&c);
    }
}

struct bad {
    const char *text;      /* a scenario holding group d */
    const char *expect[3]; /* the diagnostics, in order */
};

static const char all_forms[] = "one of \"fixed\", \"exponential\", \"uniform\", \"triangular\", "
                                "\"normal\", \"lognormal\", \"gamma\", \"weibull\", \"empirical\"";

static void test_dist_load_rejects_invalid_parameters_with_message(void **state)
{
    char unknown_dist[512], missing_dist[512], typo[512];
    snprintf(unknown_dist, sizeof unknown_dist,
             "t.cfg:1: d.dist: \"gama\" is not a known value (%s)", all_forms);
    snprintf(missing_dist, sizeof missing_dist, "t.cfg:1: d.dist: missing required key (%s)",
             all_forms);
    snprintf(typo, sizeof typo,
             "t.cfg:1: d.mena: unknown key, did you mean 'mean'? (allowed here: dist, value, mean, "
             "sd, min, max, mode, shape, scale, values, probs)");
    const struct bad bad[] = {
        {"d = { dist = \"exponential\"; mean = -2.5; };",
         {"t.cfg:1: d.mean: -2.5 is out of range (real > 0)"}},
        {"d = { dist = \"exponential\"; mean = 0; };",
         {"t.cfg:1: d.mean: 0 is out of range (real > 0)"}},
        {"d = { dist = \"gamma\"; mean = 12.0; sd = 0.0; };",
         {"t.cfg:1: d.sd: 0 is out of range (real > 0)"}},
        {"d = { dist = \"lognormal\"; mean = -1.0; sd = -2.0; };",
         {"t.cfg:1: d.mean: -1 is out of range (real > 0)",
          "t.cfg:1: d.sd: -2 is out of range (real > 0)"}},
        {"d = { dist = \"normal\"; mean = \"high\"; sd = 1.0; };",
         {"t.cfg:1: d.mean: a string where a number belongs (real > 0)"}},
        {"d = { dist = \"uniform\"; min = 3.5; max = 2.0; };",
         {"t.cfg:1: d.max: max 2 is not above min 3.5 (min < max)"}},
        {"d = { dist = \"uniform\"; min = 2; max = 2.0; };",
         {"t.cfg:1: d.max: max 2 is not above min 2 (min < max)"}},
        {"d = { dist = \"uniform\"; min = -1.0; max = 2.0; };",
         {"t.cfg:1: d.min: -1 is out of range (real >= 0)"}},
        {"d = { dist = \"triangular\"; min = 1.0; mode = 9.5; max = 5.0; };",
         {"t.cfg:1: d.mode: 9.5 is outside [min, max] = [1, 5] (min <= mode <= max)"}},
        {"d = { dist = \"triangular\"; min = 3.0; mode = 3.0; max = 3.0; };",
         {"t.cfg:1: d.max: max 3 is not above min 3 (min < max)"}},
        {"d = { dist = \"weibull\"; shape = -1.5; scale = 2.0; };",
         {"t.cfg:1: d.shape: -1.5 is out of range (real > 0)"}},
        {"d = { dist = \"weibull\"; shape = 1.5; scale = 0.0; };",
         {"t.cfg:1: d.scale: 0 is out of range (real > 0)"}},
        {"d = { dist = \"fixed\"; value = -0.25; };",
         {"t.cfg:1: d.value: -0.25 is out of range (real >= 0)"}},
        {"d = { dist = \"gama\"; mean = 2.0; sd = 1.0; };", {unknown_dist}},
        {"d = { mean = 2.0; };", {missing_dist}},
        {"d = { dist = 3; mean = 2.0; };",
         {"t.cfg:1: d.dist: an integer where a string belongs (one of \"fixed\", \"exponential\", "
          "\"uniform\", \"triangular\", \"normal\", \"lognormal\", \"gamma\", \"weibull\", "
          "\"empirical\")"}},
        {"d = { dist = \"exponential\"; mean = 0.8; sd = 0.2; };",
         {"t.cfg:1: d.sd: does not apply to dist \"exponential\" (it takes: mean)"}},
        {"d = { dist = \"triangular\"; min = 0.5; max = 2.0; value = 1.0; };",
         {"t.cfg:1: d.value: does not apply to dist \"triangular\" (it takes: min, mode, max)",
          "t.cfg:1: d.mode: missing required key (real >= 0)"}},
        {"d = { dist = \"exponential\"; mena = 2.0; };",
         {typo, "t.cfg:1: d.mean: missing required key (real > 0)"}},
        {"d = 3.5;",
         {"t.cfg:1: d: not a distribution (a group such as { dist = \"exponential\"; "
          "mean = 2.0; })"}},
        {"d = { dist = \"empirical\"; values = [0.5, 1.0]; probs = [0.2, 0.3, 0.5]; };",
         {"t.cfg:1: d.probs: 3 probabilities for 2 values (as many probabilities as values)"}},
        {"d = { dist = \"empirical\"; values = [0.5, 1.0]; probs = [0.5, 0.4]; };",
         {"t.cfg:1: d.probs: probabilities sum to 0.9 (they must sum to 1)"}},
        {"d = { dist = \"empirical\"; values = [0.5, 1.0]; probs = [1.5, -0.5]; };",
         {"t.cfg:1: d.probs[0]: 1.5 is out of range (probability 0..1)",
          "t.cfg:1: d.probs[1]: -0.5 is out of range (probability 0..1)"}},
        {"d = { dist = \"empirical\"; values = [-1.0, 2.0]; probs = [0.5, 0.5]; };",
         {"t.cfg:1: d.values[0]: -1 is out of range (real >= 0)"}},
        {"d = { dist = \"empirical\"; values = (\"a\", 2.0); probs = [0.5, 0.5]; };",
         {"t.cfg:1: d.values[0]: a string where a number belongs (real)"}},
        {"d = { dist = \"empirical\"; values = []; probs = []; };",
         {"t.cfg:1: d.values: empty list (at least one value)"}},
        {"d = { dist = \"empirical\"; values = 3.0; probs = [1.0]; };",
         {"t.cfg:1: d.values: not a list (a list of numbers, e.g. [1.0, 2.5])"}},
        {"d = { dist = \"empirical\"; values = [1.0]; probs = { p = 1.0; }; };",
         {"t.cfg:1: d.probs: not a list (a list of probabilities, e.g. [0.4, 0.6])"}},
        {"d = { dist = \"empirical\"; values = [1.0, 2.0]; };",
         {"t.cfg:1: d.probs: missing required key (a list of numbers, as many as values)"}},
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cfg c;
        struct dist d;
        int n_expect = 0;
        while (n_expect < 3 && bad[i].expect[n_expect]) {
            n_expect++;
        }
        cfg_init(&c);
        assert_true(cfg_load_string(&c, "t.cfg", bad[i].text));
        bool ok = dist_load(&c, config_setting_get_member(cfg_root(&c), "d"), &d);
        if (ok || cfg_n_problems(&c) != n_expect) {
            diag_print(&c.diag, stderr);
            fail_msg("case %zu (%s): dist_load %s with %d problems, expected %d", i, bad[i].text,
                     ok ? "accepted" : "refused", cfg_n_problems(&c), n_expect);
        }
        for (int k = 0; k < n_expect; k++) {
            assert_string_equal(c.diag.msgs[k], bad[i].expect[k]);
        }
        /* Nothing to free after a refusal. */
        assert_null(d.values);
        assert_null(d.cum);
        cfg_fini(&c);
    }
}

/* A missing parameter is reported at the line of its group, not at the end of the file. */
static void test_dist_missing_parameter_reported_at_group_line(void **state)
{
    struct cfg c;
    struct dist d;
    const char *text = "# a comment\n"
                       "outer = {\n"
                       "  service = {\n"
                       "    dist = \"gamma\";\n"
                       "    mean = 2.5;\n"
                       "  };\n"
                       "};\n";

    (void)state;
    cfg_init(&c);
    assert_true(cfg_load_string(&c, "stations.cfg", text));
    const config_setting_t *outer = config_setting_get_member(cfg_root(&c), "outer");
    assert_false(dist_load(&c, config_setting_get_member(outer, "service"), &d));
    assert_int_equal(cfg_n_problems(&c), 1);
    assert_string_equal(c.diag.msgs[0],
                        "stations.cfg:3: outer.service.sd: missing required key (real > 0)");
    cfg_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dist_mean_and_variance_match_closed_forms),
        cmocka_unit_test(test_dist_set_rejects_invalid_parameters),
        cmocka_unit_test(test_dist_sample_moments_match_mean_and_variance),
        cmocka_unit_test(test_dist_lognormal_and_gamma_reproduce_given_mean_and_sd),
        cmocka_unit_test(test_dist_continuous_forms_follow_their_distribution_functions),
        cmocka_unit_test(test_dist_normal_truncated_at_zero_is_never_negative),
        cmocka_unit_test(test_dist_triangular_respects_bounds_and_mode),
        cmocka_unit_test(test_dist_draws_use_one_uniform_each_except_gamma),
        cmocka_unit_test(test_dist_inversion_keeps_common_random_numbers_in_step),
        cmocka_unit_test(test_dist_empirical_frequencies_match_table),
        cmocka_unit_test(test_dist_empirical_edge_tables),
        cmocka_unit_test(test_dist_load_reads_every_form),
        cmocka_unit_test(test_dist_kind_names_round_trip),
        cmocka_unit_test(test_dist_load_rejects_invalid_parameters_with_message),
        cmocka_unit_test(test_dist_missing_parameter_reported_at_group_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
