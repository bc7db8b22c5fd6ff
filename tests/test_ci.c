/*
 * Confidence intervals: the t interval against a hand-worked example and GSL's t quantiles,
 * NaN handling, the paired interval, and the Welch interval.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "analysis/ci.h"
#include "support.h"

/* 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5) = 1.58113883, t(0.975; 4) = 2.776445105,
 * half-width 2.776445105 * 1.58113883 / sqrt(5) = 1.963243161. */
static void test_hand_example(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5};
    struct ci c;
    ci_t(x, 5, 1, 0.95, &c);
    assert_int_equal(c.n, 5);
    assert_close(c.mean, 3.0, 1e-15, 0);
    assert_close(c.sd, 1.58113883008419, 1e-13, 0);
    assert_close(c.lo, 3.0 - 1.963243161, 1e-9, 0);
    assert_close(c.hi, 3.0 + 1.963243161, 1e-9, 0);
}

/* Against GSL's quantile for several n and levels, with a stride and a NaN left out. */
static void test_against_gsl_quantiles(void **state)
{
    (void)state;
    double x[2 * 40];
    for (int n = 2; n <= 40; n += 7) {
        double sum = 0, ss = 0;
        for (int i = 0; i < n; i++) {
            x[2 * i] = sin(i * 1.7) * 10 + i;
            x[2 * i + 1] = -1e300; /* the stride skips these */
            sum += x[2 * i];
        }
        double mean = sum / n;
        for (int i = 0; i < n; i++) {
            ss += (x[2 * i] - mean) * (x[2 * i] - mean);
        }
        double sd = sqrt(ss / (n - 1));
        for (double level = 0.8; level < 1.0; level += 0.09) {
            struct ci c;
            ci_t(x, (size_t)n, 2, level, &c);
            double half = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, n - 1) * sd / sqrt(n);
            assert_close(c.mean, mean, 1e-12, 1e-12);
            assert_close(c.hi - c.mean, half, 1e-10, 0);
            assert_close(c.mean - c.lo, half, 1e-10, 0);
        }
    }
    const double y[] = {1, NAN, 3};
    struct ci c;
    ci_t(y, 3, 1, 0.95, &c);
    assert_int_equal(c.n, 2);
    assert_close(c.mean, 2.0, 1e-15, 0);
    ci_t(y, 1, 1, 0.95, &c);
    assert_true(isnan(c.lo) && isnan(c.hi));
}

/* Paired: differences 1, 1, 2, 2 -> mean 1.5, sd 0.57735, t(0.975; 3) = 3.182446305. */
static void test_paired(void **state)
{
    (void)state;
    const double a[] = {10, 20, 30, 40};
    const double b[] = {11, 21, 32, 42};
    struct ci d, w;
    ci_paired(a, 1, b, 1, 4, 0.95, &d);
    assert_close(d.mean, 1.5, 1e-15, 0);
    assert_close(d.sd, 0.577350269189626, 1e-12, 0);
    assert_close(d.hi - d.mean, 3.182446305 * 0.577350269189626 / 2.0, 1e-9, 0);
    /* Unpaired, the same samples look hopelessly noisy: the spread between replications
     * swamps the difference. */
    ci_welch(a, 1, b, 1, 4, 0.95, &w);
    assert_close(w.mean, 1.5, 1e-12, 0);
    assert_true(w.hi - w.mean > 10 * (d.hi - d.mean));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_example),
        cmocka_unit_test(test_against_gsl_quantiles),
        cmocka_unit_test(test_paired),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
