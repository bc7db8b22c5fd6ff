/*
 * Unit tests of sim/tally: observation statistics (Welford mean and variance, min, max, P^2
 * quantiles) and time-weighted averages.
 *
 * Mean and variance are compared with a two-pass computation in long double, including data of
 * the form 1e9 + U(0, 1), where the textbook one-pass formula (sum of squares minus n mean^2)
 * loses every significant digit. Quantile estimates are compared with the exact quantiles of the
 * sampled distribution; the tolerances are several times the sampling standard error of a
 * quantile, sqrt(p (1 - p) / n) / f(x_p), so they leave room for P^2's own approximation error
 * but not for a misplaced marker. Time-weighted averages are checked against areas worked out
 * by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/rng.h"
#include "sim/tally.h"
#include "tests/support.h"

/* Two-pass mean and sample variance in long double. */
static void two_pass(const double *x, int n, double *mean, double *var)
{
    long double s = 0, ss = 0;

    for (int i = 0; i < n; i++) {
        s += x[i];
    }
    long double m = s / n;
    for (int i = 0; i < n; i++) {
        ss += (x[i] - m) * (x[i] - m);
    }
    *mean = (double)m;
    *var = (double)(ss / (n - 1));
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void test_tally_empty_and_single_observation(void **state)
{
    struct tally t;
    const double p = 0.5;

    (void)state;
    tally_init(&t, 1, &p);
    assert_int_equal(tally_count(&t), 0);
    assert_true(isnan(tally_mean(&t)));
    assert_true(isnan(tally_variance(&t)));
    assert_true(isnan(tally_sd(&t)));
    assert_true(isnan(tally_quantile(&t, 0)));

    tally_add(&t, 7.125);
    assert_int_equal(tally_count(&t), 1);
    assert_true(tally_mean(&t) == 7.125);
    assert_true(isnan(tally_variance(&t))); /* n - 1 = 0 */
    assert_true(t.min == 7.125 && t.max == 7.125);
    assert_true(tally_quantile(&t, 0) == 7.125);

    tally_add(&t, 2.375);
    /* Two values a, b: mean (a + b) / 2, sample variance (a - b)^2 / 2. */
    assert_true(tally_mean(&t) == (7.125 + 2.375) / 2);
    assert_close(tally_variance(&t), (7.125 - 2.375) * (7.125 - 2.375) / 2, 1e-15, 0);
    assert_close(tally_sd(&t), fabs(7.125 - 2.375) / sqrt(2.0), 1e-15, 0);
}

static void test_tally_mean_variance_min_max_match_two_pass(void **state)
{
    enum { N = 20000 };
    static double x[N];
    struct tally t;
    gsl_rng *r = rng_create(31);
    double lo = INFINITY, hi = -INFINITY;

    (void)state;
    tally_init(&t, 0, NULL);
    for (int i = 0; i < N; i++) {
        /* A skewed mixture with negative values. */
        x[i] = gsl_rng_uniform(r) < 0.3 ? -log(1 - gsl_rng_uniform(r)) * 40.0
                                        : gsl_rng_uniform(r) * 6.5 - 3.25;
        tally_add(&t, x[i]);
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
    }
    double mean, var;
    two_pass(x, N, &mean, &var);
    assert_int_equal(tally_count(&t), N);
    assert_close(tally_mean(&t), mean, 1e-12, 1e-12);
    assert_close(tally_variance(&t), var, 1e-12, 0);
    assert_close(tally_sd(&t), sqrt(var), 1e-12, 0);
    assert_true(t.min == lo);
    assert_true(t.max == hi);
    gsl_rng_free(r);
}

/* Values 1e9 + U(0, 1): the variance is about 1/12 while the squares are about 1e18, so the
 * one-pass sum-of-squares formula has an absolute error near 1e18 * n * 2^-53, far above 1/12.
 * Welford's update keeps a relative error of order n * eps * (mean / sd), about 1e-6 here. */
static void test_tally_badly_conditioned_values(void **state)
{
    enum { N = 100000 };
    static double x[N];
    struct tally t;
    gsl_rng *r = rng_create(32);

    (void)state;
    tally_init(&t, 0, NULL);
    for (int i = 0; i < N; i++) {
        x[i] = 1e9 + gsl_rng_uniform(r);
        tally_add(&t, x[i]);
    }
    double mean, var;
    two_pass(x, N, &mean, &var);
    assert_close(var, 1.0 / 12, 0.02, 0); /* the data are what they should be */
    /* The case is badly conditioned indeed: the one-pass formula misses by more than 100%. */
    double s = 0, ss = 0;
    for (int i = 0; i < N; i++) {
        s += x[i];
        ss += x[i] * x[i];
    }
    assert_true(fabs((ss - s * s / N) / (N - 1) - var) > var);
    assert_close(tally_mean(&t), mean, 1e-13, 0);
    assert_close(tally_variance(&t), var, 1e-5, 0);
    gsl_rng_free(r);
}

/* With at most five observations the markers hold them all, sorted, and a quantile is the
 * nearest-rank order statistic x_(ceil(p n)). */
static void test_tally_quantiles_exact_for_first_five_observations(void **state)
{
    const double p[3] = {0.1, 0.5, 0.9};
    const double obs[5] = {4.75, -1.25, 9.5, 3.125, 0.625};

    (void)state;
    struct tally t;
    tally_init(&t, 3, p);
    for (int n = 1; n <= 5; n++) {
        tally_add(&t, obs[n - 1]);
        double sorted[5];
        memcpy(sorted, obs, sizeof sorted);
        qsort(sorted, (size_t)n, sizeof sorted[0], cmp_double);
        for (int i = 0; i < 3; i++) {
            int rank = (int)ceil(p[i] * n); /* 1-based */
            if (tally_quantile(&t, i) != sorted[rank - 1]) {
                fail_msg("n = %d, p = %g: quantile %g, expected x_(%d) = %g", n, p[i],
                         tally_quantile(&t, i), rank, sorted[rank - 1]);
            }
        }
    }
}

/* U(0, 1), n = 10^5: the quantile's standard error is sqrt(p (1 - p) / n), 0.0016 at the median
 * and 0.0003 at p = 0.99. Allow 0.01 absolute. */
static void test_tally_quantiles_of_uniform_sample(void **state)
{
    const double p[3] = {0.5, 0.9, 0.99};
    struct tally t;
    gsl_rng *r = rng_create(33);

    (void)state;
    tally_init(&t, 3, p);
    for (int i = 0; i < 100000; i++) {
        tally_add(&t, gsl_rng_uniform(r));
    }
    for (int i = 0; i < 3; i++) {
        assert_close(tally_quantile(&t, i), p[i], 0.0, 0.01);
    }
    gsl_rng_free(r);
}

/* Exponential with mean m = 2.385, n = 10^5: x_p = -m ln(1 - p) and f(x_p) = (1 - p) / m, so
 * the relative standard error of the quantile is sqrt(p / ((1 - p) n)) / -ln(1 - p): 0.5% at
 * the median, 0.7% at p = 0.99. Allow 3% relative. A second tally with the same draws but
 * quantiles asked in another order gives the same estimates (the markers are independent). */
static void test_tally_quantiles_of_exponential_sample(void **state)
{
    const double p[3] = {0.5, 0.9, 0.99};
    const double p_rev[3] = {0.99, 0.9, 0.5};
    const double m = 2.385;
    struct tally t, u;
    gsl_rng *r = rng_create(34);

    (void)state;
    tally_init(&t, 3, p);
    tally_init(&u, 3, p_rev);
    for (int i = 0; i < 100000; i++) {
        double x = -m * log(1 - gsl_rng_uniform(r));
        tally_add(&t, x);
        tally_add(&u, x);
    }
    for (int i = 0; i < 3; i++) {
        assert_close(tally_quantile(&t, i), -m * log(1 - p[i]), 0.03, 0.0);
        assert_true(tally_quantile(&t, i) == tally_quantile(&u, 2 - i));
    }
    /* Estimates are ordered like their probabilities. */
    assert_true(tally_quantile(&t, 0) < tally_quantile(&t, 1));
    assert_true(tally_quantile(&t, 1) < tally_quantile(&t, 2));
    assert_close(tally_mean(&t), m, 0.0, 5 * m / sqrt(100000.0));
    gsl_rng_free(r);
}

static void test_tally_reset_forgets_observations_keeps_quantiles(void **state)
{
    const double p[2] = {0.25, 0.75};
    struct tally t, fresh;
    gsl_rng *r = rng_create(35);

    (void)state;
    tally_init(&t, 2, p);
    tally_init(&fresh, 2, p);
    for (int i = 0; i < 5000; i++) {
        tally_add(&t, 100.0 + gsl_rng_uniform(r) * 50.0); /* warm-up data, far from the rest */
    }
    tally_reset(&t);
    assert_int_equal(tally_count(&t), 0);
    assert_true(isnan(tally_mean(&t)));
    assert_true(isnan(tally_quantile(&t, 1)));
    assert_int_equal(t.n_quantiles, 2);
    assert_true(t.quant[0].p == 0.25 && t.quant[1].p == 0.75);
    for (int i = 0; i < 3000; i++) {
        double x = gsl_rng_uniform(r) * 3.0;
        tally_add(&t, x);
        tally_add(&fresh, x);
    }
    /* After the reset the tally is indistinguishable from a new one fed the same data. */
    assert_int_equal(tally_count(&t), 3000);
    assert_true(tally_mean(&t) == tally_mean(&fresh));
    assert_true(tally_variance(&t) == tally_variance(&fresh));
    assert_true(t.min == fresh.min && t.max == fresh.max);
    assert_true(t.max <= 3.0);
    assert_true(tally_quantile(&t, 0) == tally_quantile(&fresh, 0));
    assert_true(tally_quantile(&t, 1) == tally_quantile(&fresh, 1));
    gsl_rng_free(r);
}

/* A queue length that is 3 on [1.25, 4.5), 1 on [4.5, 5.0), 4 on [5.0, 9.75), then 2. */
static void test_twavg_matches_hand_computed_area(void **state)
{
    struct twavg w;

    (void)state;
    twavg_init(&w, 1.25, 3.0);
    assert_true(twavg_mean(&w, 1.25) == 3.0); /* empty window: the current value */
    twavg_set(&w, 4.5, 1.0);
    twavg_set(&w, 5.0, 4.0);
    double area = 3.0 * (4.5 - 1.25) + 1.0 * (5.0 - 4.5) + 4.0 * (7.0 - 5.0);
    assert_close(twavg_mean(&w, 7.0), area / (7.0 - 1.25), 1e-15, 0);
    twavg_add(&w, 9.75, -2.0);
    assert_true(w.value == 2.0);
    area = 3.0 * (4.5 - 1.25) + 1.0 * (5.0 - 4.5) + 4.0 * (9.75 - 5.0) + 2.0 * (12.5 - 9.75);
    assert_close(twavg_mean(&w, 12.5), area / (12.5 - 1.25), 1e-15, 0);
    assert_true(w.max == 4.0);
    /* Asking does not change anything. */
    assert_close(twavg_mean(&w, 12.5), area / (12.5 - 1.25), 1e-15, 0);
}

/* A value held for no time counts towards the maximum but not towards the area. */
static void test_twavg_instantaneous_values(void **state)
{
    struct twavg w;

    (void)state;
    twavg_init(&w, 0.0, 1.0);
    twavg_set(&w, 2.0, 9.0);
    twavg_set(&w, 2.0, 0.5);
    assert_true(w.max == 9.0);
    assert_close(twavg_mean(&w, 4.0), (1.0 * 2.0 + 0.5 * 2.0) / 4.0, 1e-15, 0);
}

static void test_twavg_reset_restarts_window_keeping_value(void **state)
{
    struct twavg w;

    (void)state;
    twavg_init(&w, 0.0, 6.0);
    twavg_set(&w, 3.0, 2.5);
    twavg_reset(&w, 10.0); /* end of warm-up */
    assert_true(w.value == 2.5);
    assert_true(w.max == 2.5);                /* the warm-up maximum 6 is forgotten */
    assert_true(twavg_mean(&w, 10.0) == 2.5); /* empty window */
    twavg_set(&w, 14.0, 0.75);
    /* Only [10, 16] counts: 2.5 for 4, then 0.75 for 2. */
    assert_close(twavg_mean(&w, 16.0), (2.5 * 4 + 0.75 * 2) / 6.0, 1e-15, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tally_empty_and_single_observation),
        cmocka_unit_test(test_tally_mean_variance_min_max_match_two_pass),
        cmocka_unit_test(test_tally_badly_conditioned_values),
        cmocka_unit_test(test_tally_quantiles_exact_for_first_five_observations),
        cmocka_unit_test(test_tally_quantiles_of_uniform_sample),
        cmocka_unit_test(test_tally_quantiles_of_exponential_sample),
        cmocka_unit_test(test_tally_reset_forgets_observations_keeps_quantiles),
        cmocka_unit_test(test_twavg_matches_hand_computed_area),
        cmocka_unit_test(test_twavg_instantaneous_values),
        cmocka_unit_test(test_twavg_reset_restarts_window_keeping_value),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
