/*
 * The stationarity check on synthetic weekly series with a known answer: a flat noisy series is
 * steady, a linear ramp drifts by its slope, a transient that ends inside the warm-up is steady,
 * a drift too small to matter is steady, a step shows in the halves, a nearly empty queue is not
 * a large relative drift, and a run of steady series is called drifting at most about 5% of the
 * time however many series it has (the simultaneous intervals).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>

#include "analysis/stationarity.h"
#include "sim/rng.h"
#include "support.h"

#define REPS   10
#define WEEKS  520 /* ten years of weeks */
#define PERIOD 7.0 /* days */
#define WARMUP 260 /* points: five years */

/* Series of REPS replications: base + slope x k + transient(k) + gaussian noise of sd. */
static double *make(unsigned long seed, double base, double slope, double transient, double tau,
                    double sd)
{
    double *x = malloc(sizeof(double) * REPS * WEEKS);
    gsl_rng *r = rng_create(seed);
    for (int rep = 0; rep < REPS; rep++) {
        for (int k = 0; k < WEEKS; k++) {
            x[rep * WEEKS + k] = base + slope * k + transient * exp(-k / tau) +
                                 (sd > 0 ? gsl_ran_gaussian(r, sd) : 0.0);
        }
    }
    gsl_rng_free(r);
    return x;
}

static void test_stationarity_flat_noisy_series_is_steady(void **state)
{
    (void)state;
    double *x = make(11, 48.7, 0.0, 0.0, 1.0, 6.3);
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    printf("  flat: level %g, drift %g a year (%g to %g), %s\n", st.level, st.drift_per_year,
           st.drift_low, st.drift_high, stationarity_verdict_name(st.verdict));
    assert_int_equal(st.verdict, STATIONARITY_STEADY);
    assert_int_equal(st.n_reps, REPS);
    assert_int_equal(st.n_points, WEEKS - WARMUP);
    assert_close(st.level, 48.7, 0.01, 0.0);
    assert_true(st.drift_low <= 0 && st.drift_high >= 0);
    free(x);
}

static void test_stationarity_linear_ramp_drifts_by_its_slope(void **state)
{
    (void)state;
    double slope = 0.0385; /* per week */
    double *x = make(12, 21.3, slope, 0.0, 1.0, 2.4);
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    double per_year = slope * 365.25 / 7.0; /* 2.009 a year */
    /* The level is the value at the observed period's middle point, (260 + 519) / 2. */
    double level = 21.3 + slope * (WARMUP + WEEKS - 1) / 2.0;
    printf("  ramp: drift %g a year (%g to %g; true %g), relative %g, halves %g -> %g, %s\n",
           st.drift_per_year, st.drift_low, st.drift_high, per_year, st.relative_drift_per_year,
           st.first_half, st.second_half, stationarity_verdict_name(st.verdict));
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    assert_true(st.drift_low <= per_year && per_year <= st.drift_high);
    assert_close(st.drift_per_year, per_year, 0.02, 0.0);
    assert_close(st.level, level, 0.01, 0.0);
    assert_close(st.relative_drift_per_year, per_year / level, 0.03, 0.0);
    /* The halves' midpoints are 130 weeks apart. */
    assert_close(st.second_half - st.first_half, slope * 130, 0.05, 0.0);
    free(x);
}

static void test_stationarity_falling_ramp_drifts_down(void **state)
{
    (void)state;
    double *x = make(13, 400.0, -0.2, 0.0, 1.0, 3.0);
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 1, &st);
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    assert_true(st.drift_high < 0);
    assert_close(st.drift_per_year, -0.2 * 365.25 / 7.0, 0.02, 0.0);
    free(x);
}

static void test_stationarity_transient_inside_warmup_is_steady(void **state)
{
    (void)state;
    /* Fills from 30 to 130 with a time constant of 20 weeks: settled long before week 260. */
    double *x = make(14, 130.0, 0.0, -100.0, 20.0, 4.1);
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_STEADY);
    /* The same series with no warm-up left out drifts. */
    stationarity_test(x, REPS, WEEKS, WEEKS, 0, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    free(x);
}

static void test_stationarity_drift_below_the_threshold_is_steady(void **state)
{
    (void)state;
    /* 0.1% of the level a year, measured precisely (the interval excludes zero). */
    double slope = 1000.0 * 0.001 * 7.0 / 365.25;
    double *x = make(15, 1000.0, slope, 0.0, 1.0, 0.5);
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_true(st.drift_low > 0);
    assert_close(st.relative_drift_per_year, 0.001, 0.1, 0.0);
    assert_int_equal(st.verdict, STATIONARITY_STEADY);
    /* Four times the threshold drifts. */
    free(x);
    x = make(15, 1000.0, 4 * STATIONARITY_MAX_DRIFT * slope / 0.001, 0.0, 1.0, 0.5);
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    free(x);
}

static void test_stationarity_step_shows_in_the_halves(void **state)
{
    (void)state;
    double *x = make(16, 50.0, 0.0, 0.0, 1.0, 2.0);
    for (int rep = 0; rep < REPS; rep++) {
        for (int k = 390; k < WEEKS; k++) {
            x[rep * WEEKS + k] += 10.0;
        }
    }
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    printf("  step: halves %g -> %g (%g to %g), relative %g a year\n", st.first_half,
           st.second_half, st.half_low, st.half_high, st.relative_half_per_year);
    assert_close(st.first_half, 50.0, 0.01, 0.0);
    assert_close(st.second_half, 60.0, 0.01, 0.0);
    assert_true(st.half_low > 9.0 && st.half_high < 11.0);
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    free(x);
}

static void test_stationarity_nearly_empty_queue_is_steady(void **state)
{
    (void)state;
    /* A queue that is empty but for a client now and then (a Poisson count of mean 0.04). */
    double *x = malloc(sizeof(double) * REPS * WEEKS);
    gsl_rng *r = rng_create(17);
    for (int i = 0; i < REPS * WEEKS; i++) {
        x[i] = (double)gsl_ran_poisson(r, 0.04);
    }
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_true(st.scale > 4 * fabs(st.level)); /* the spread, not the level */
    assert_int_equal(st.verdict, STATIONARITY_STEADY);
    gsl_rng_free(r);
    free(x);
}

static void test_stationarity_edge_cases(void **state)
{
    (void)state;
    double *x = make(18, 0.0, 0.0, 0.0, 1.0, 0.0); /* every point 0 */
    struct stationarity st;
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_STEADY);
    assert_close(st.relative_drift_per_year, 0.0, 0.0, 0.0);
    /* One replication, or too few observed points: untested. */
    stationarity_test(x, 1, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_UNTESTED);
    assert_true(isnan(st.drift_per_year));
    stationarity_test(x, REPS, WEEKS, WEEKS, WEEKS - 3, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_UNTESTED);
    stationarity_test(x, REPS, WEEKS, WEEKS, WEEKS + 5, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_UNTESTED);
    assert_int_equal(st.n_points, 0);
    free(x);
    /* Undefined points (a week with nothing to average) are left out. */
    x = make(19, 21.3, 0.0385, 0.0, 1.0, 2.4);
    for (int i = 0; i < REPS * WEEKS; i += 3) {
        x[i] = NAN;
    }
    stationarity_test(x, REPS, WEEKS, WEEKS, WARMUP, PERIOD, 5, &st);
    assert_int_equal(st.verdict, STATIONARITY_DRIFTING);
    assert_close(st.drift_per_year, 0.0385 * 365.25 / 7.0, 0.03, 0.0);
    free(x);
}

static void test_stationarity_family_false_alarms_at_most_5pct(void **state)
{
    (void)state;
    /* 400 runs of 12 steady series, each of 5 replications of 40 noisy points, so noisy that
     * the threshold never decides: only the intervals do. Bonferroni bounds the share of runs
     * with any series called drifting by 5%; 40 of 400 would be 6 standard errors above it. */
    enum { RUNS = 400, SERIES = 12, R = 5, K = 40 };
    double x[R * K];
    gsl_rng *r = rng_create(20);
    int alarms = 0;
    for (int run = 0; run < RUNS; run++) {
        bool any = false;
        for (int s = 0; s < SERIES; s++) {
            for (int i = 0; i < R * K; i++) {
                x[i] = 1.0 + gsl_ran_gaussian(r, 3.0);
            }
            struct stationarity st;
            stationarity_test(x, R, K, K, 0, PERIOD, SERIES, &st);
            any |= st.verdict == STATIONARITY_DRIFTING;
        }
        alarms += any;
    }
    printf("  %d of %d steady runs of %d series called drifting\n", alarms, RUNS, SERIES);
    assert_true(alarms < 40);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stationarity_flat_noisy_series_is_steady),
        cmocka_unit_test(test_stationarity_linear_ramp_drifts_by_its_slope),
        cmocka_unit_test(test_stationarity_falling_ramp_drifts_down),
        cmocka_unit_test(test_stationarity_transient_inside_warmup_is_steady),
        cmocka_unit_test(test_stationarity_drift_below_the_threshold_is_steady),
        cmocka_unit_test(test_stationarity_step_shows_in_the_halves),
        cmocka_unit_test(test_stationarity_nearly_empty_queue_is_steady),
        cmocka_unit_test(test_stationarity_edge_cases),
        cmocka_unit_test(test_stationarity_family_false_alarms_at_most_5pct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
