/*
 * MSER-5 on series with a known transient: a step that ends at a known point, an exponential
 * decay, and a stationary series (which needs no truncation).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>

#include "analysis/warmup.h"
#include "sim/rng.h"
#include "support.h"

#define N 600

static void test_step_transient(void **state)
{
    (void)state;
    double x[N];
    gsl_rng *r = rng_create(1);
    for (int i = 0; i < N; i++) {
        x[i] = (i < 100 ? 5.0 : 0.0) + gsl_ran_gaussian(r, 1.0);
    }
    size_t d = warmup_mser5(x, N);
    printf("  step at 100: truncation %zu\n", d);
    assert_inside((double)d, 95, 110);
    gsl_rng_free(r);
}

static void test_exponential_transient(void **state)
{
    (void)state;
    double x[N];
    gsl_rng *r = rng_create(2);
    for (int i = 0; i < N; i++) {
        x[i] = 20.0 * exp(-i / 30.0) + gsl_ran_gaussian(r, 1.0);
    }
    size_t d = warmup_mser5(x, N);
    printf("  decay with time constant 30: truncation %zu\n", d);
    /* The bias is below the noise's standard error after about 3 to 6 time constants. */
    assert_inside((double)d, 60, 200);
    gsl_rng_free(r);
}

static void test_stationary_needs_little(void **state)
{
    (void)state;
    double x[N];
    gsl_rng *r = rng_create(3);
    for (int i = 0; i < N; i++) {
        x[i] = 7.0 + gsl_ran_gaussian(r, 1.0);
    }
    size_t d = warmup_mser5(x, N);
    printf("  stationary: truncation %zu\n", d);
    assert_true(d <= N / 10);
    assert_int_equal(warmup_mser5(x, 9), 0);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_step_transient),
        cmocka_unit_test(test_exponential_transient),
        cmocka_unit_test(test_stationary_needs_little),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
