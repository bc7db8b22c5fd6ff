/*
 * The uncertainty of a fit (analysis/calibrate: calib_uncertainty) on synthetic objectives,
 * with no simulation: a linear pair of targets whose intervals, correlation and singular values
 * are worked by hand; the same with a Monte Carlo error on one mean; a parameter at its bound
 * (one-sided difference, interval clamped); targets that depend on the parameters only through
 * their product (not identified: a weak direction, correlation -1, intervals across the range);
 * two nearly parallel targets (condition number above the limit); fewer targets than
 * parameters; and a point that cannot be evaluated.
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

#include "analysis/calibrate.h"

enum shape { LINEAR, PRODUCT, NEAR_PARALLEL, ONE_TARGET, FAILS };

struct synth {
    enum shape shape;
    int calls;
};

/* The means of the targets at p = (a, b): the shape's functions, then a check target. */
static double synth_eval(void *vctx, const double *p, double *means)
{
    struct synth *s = vctx;
    double a = p[0], b = p[1];

    s->calls++;
    switch (s->shape) {
    case LINEAR:
        means[0] = a + b;
        means[1] = a - b;
        break;
    case PRODUCT:
        means[0] = a * b;
        means[1] = (a * b) * (a * b);
        break;
    case NEAR_PARALLEL:
        means[0] = a + b;
        means[1] = a + 1.02 * b;
        break;
    case ONE_TARGET:
        means[0] = a + b;
        means[1] = 0;
        break;
    case FAILS:
        if (a > 1.0) {
            return NAN;
        }
        means[0] = a + b;
        means[1] = a - b;
        break;
    }
    means[2] = 100 * a; /* a check target: never in the Jacobian */
    return 0.0;
}

static struct calib_target target(const char *metric, double value, double lo, double hi, bool fit)
{
    struct calib_target t = {.value = value, .lo = lo, .hi = hi, .fit = fit};
    snprintf(t.metric, sizeof t.metric, "%s", metric);
    t.scale = (hi - lo) / 2.0;
    return t;
}

static const struct calib_free free_ab[2] = {{"alpha", -5.0, 5.0}, {"beta", -5.0, 5.0}};

static struct calib_result at(double a, double b)
{
    struct calib_result r = {.params = {a, b}};
    for (int i = 0; i < CALIB_MAX_TARGETS; i++) {
        r.se[i] = NAN;
    }
    return r;
}

/* a + b = 3 and a - b = -1, each within -+1, at a = 1, b = 2: the mean of target t has the
 * standard deviation 1 / 1.96, A = 1.96 [[1, 1], [1, -1]], A'A = 2 x 1.96^2 I, so each
 * parameter's sd is 1 / (1.96 sqrt 2) and its 95% interval -+ 1 / sqrt 2, uncorrelated; across
 * the ranges (10) the sensitivities are 10 [[1, 1], [1, -1]], singular values 10 sqrt 2 twice. */
static void linear_matches_the_analytic_interval(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", 3, 2, 4, true), target("diff", -1, -2, 0, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {LINEAR, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    assert_int_equal(u.n_fit, 2);
    assert_int_equal(u.evaluations, 4);
    assert_int_equal(s.calls, 4);
    assert_true(fabs(u.x_lo[0] - (1.0 - 10 * CALIB_FD_SHARE)) < 1e-12);
    assert_true(fabs(u.x_hi[1] - (2.0 + 10 * CALIB_FD_SHARE)) < 1e-12);
    assert_true(fabs(u.jacobian[0][0] - 1.0) < 1e-9 && fabs(u.jacobian[1][1] + 1.0) < 1e-9);
    double half = 1.0 / sqrt(2.0);
    assert_true(fabs(u.sd[0] - 1.0 / (1.959963984540054 * sqrt(2.0))) < 1e-9);
    assert_true(fabs(u.ci_lo[0] - (1.0 - half)) < 1e-9 && fabs(u.ci_hi[0] - (1.0 + half)) < 1e-9);
    assert_true(fabs(u.ci_lo[1] - (2.0 - half)) < 1e-9 && fabs(u.ci_hi[1] - (2.0 + half)) < 1e-9);
    assert_true(fabs(u.width[0] - 2 * half / 10) < 1e-9);
    assert_true(fabs(u.corr[0][1]) < 1e-9 && fabs(u.corr[0][0] - 1.0) < 1e-12);
    assert_true(fabs(u.singular[0] - 10 * sqrt(2.0)) < 1e-9);
    assert_true(fabs(u.singular[1] - 10 * sqrt(2.0)) < 1e-9);
    assert_true(fabs(u.condition - 1.0) < 1e-9);
    assert_int_equal(u.problems, 0);
    assert_int_equal(u.problem[0] | u.problem[1], 0);

    FILE *out = tmpfile();
    assert_non_null(out);
    assert_int_equal(calib_uncert_warn(&u, free_ab, out, "w: ", "- "), 0);
    assert_int_equal(ftell(out), 0);
    fclose(out);
}

/* The same with a Monte Carlo error of 0.5 on the first mean: weights w0 = 1 / (1/1.96^2 +
 * 0.25), w1 = 1.96^2; A'A = [[w0 + w1, w0 - w1], [w0 - w1, w0 + w1]], so var(a) = var(b) =
 * (w0 + w1) / (4 w0 w1) and cov(a, b) = -(w0 - w1) / (4 w0 w1). */
static void monte_carlo_error_widens_the_interval(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", 3, 2, 4, true), target("diff", -1, -2, 0, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {LINEAR, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    best.se[0] = 0.5;
    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    double z = 1.959963984540054, w0 = 1.0 / (1.0 / (z * z) + 0.25), w1 = z * z;
    double var = (w0 + w1) / (4 * w0 * w1), cov = -(w0 - w1) / (4 * w0 * w1);
    assert_true(fabs(u.target_sd[0] - sqrt(1.0 / (z * z) + 0.25)) < 1e-12);
    assert_true(fabs(u.sd[0] - sqrt(var)) < 1e-9 && fabs(u.sd[1] - sqrt(var)) < 1e-9);
    assert_true(fabs(u.corr[0][1] - cov / var) < 1e-9);
    assert_true(u.corr[0][1] > 0); /* the sum is the less certain: a and b move together */
}

/* At its lower bound the difference is one-sided, still exact for a line, and the interval
 * stops at the bound. */
static void bound_clamps_difference_and_interval(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", -3, -4, -2, true), target("diff", -7, -8, -6, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {LINEAR, 0};
    struct calib_result best = at(-5.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    assert_true(u.x_lo[0] == -5.0);
    assert_true(fabs(u.x_hi[0] - (-5.0 + 10 * CALIB_FD_SHARE)) < 1e-12);
    assert_true(fabs(u.jacobian[0][0] - 1.0) < 1e-9);
    assert_true(u.ci_lo[0] == -5.0);
    assert_true(fabs(u.ci_hi[0] - (-5.0 + 1.0 / sqrt(2.0))) < 1e-9);
}

/* Targets that see only a x b: the direction (a, -b) moves none of them. */
static void product_is_not_identified(void **state)
{
    (void)state;
    const struct calib_free f[2] = {{"risk.scale", 0.5, 4.0}, {"risk.crisis_rate", 0.5, 4.0}};
    struct calib_target t[3] = {target("crises", 2, 1.8, 2.2, true),
                                target("admissions", 4, 3.6, 4.4, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {PRODUCT, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(f, 2, t, 3, synth_eval, &s, &best, &u), 0);
    assert_true(u.singular[1] < 1e-6 * u.singular[0]);
    assert_true(u.condition > CALIB_MAX_CONDITION);
    assert_true(u.corr[0][1] < -CALIB_MAX_CORR);
    for (int j = 0; j < 2; j++) {
        assert_true(u.problem[j] & CALIB_ILL_COND);
        assert_true(u.problem[j] & CALIB_CORRELATED);
        assert_true(u.problem[j] & CALIB_WIDE);
        assert_true(u.ci_lo[j] == f[j].lo && u.ci_hi[j] == f[j].hi);
    }
    assert_false(u.problems & CALIB_FEW_TARGETS);

    char text[4096] = "";
    FILE *out = tmpfile();
    assert_non_null(out);
    assert_true(calib_uncert_warn(&u, f, out, "w: ", "- ") >= 4);
    rewind(out);
    size_t n = fread(text, 1, sizeof text - 1, out);
    text[n] = '\0';
    fclose(out);
    assert_non_null(strstr(text, "w: the targets do not identify the free parameters separately"));
    assert_non_null(strstr(text, "- risk.scale and risk.crisis_rate: a combination of them"));
    assert_non_null(strstr(text, "- risk.scale and risk.crisis_rate: correlation -1.000"));
    assert_non_null(strstr(text, "- add a target that separates risk.scale and risk.crisis_rate"));

    out = tmpfile();
    assert_non_null(out);
    calib_uncert_write_csv(out, &u, f, &best);
    rewind(out);
    n = fread(text, 1, sizeof text - 1, out);
    text[n] = '\0';
    fclose(out);
    assert_non_null(strstr(text, "param,value,ci_low,ci_high,lo,hi,sd,identified,problem\n"));
    assert_non_null(strstr(text, "risk.scale,1,0.5,4,0.5,4,"));
    assert_non_null(strstr(text, ",no,ill-conditioned; correlated; wide\n"));
}

/* a + b and a + 1.02 b: both targets are seen, but their difference is small against their
 * range (singular values about 2 and 0.01 per unit, condition about 200). */
static void near_parallel_targets_are_ill_conditioned(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("one", 3, 2, 4, true), target("two", 3.04, 2.04, 4.04, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {NEAR_PARALLEL, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    /* J'J = [[2, 2.02], [2.02, 2.0404]]: its eigenvalues give the condition number. */
    double tr = 4.0404, det = 2 * 2.0404 - 2.02 * 2.02;
    double l1 = tr / 2 + sqrt(tr * tr / 4 - det), l2 = det / l1;
    assert_true(fabs(u.condition - sqrt(l1 / l2)) < 1e-3 * sqrt(l1 / l2));
    assert_true(u.condition > CALIB_MAX_CONDITION);
    assert_true((u.problem[0] & CALIB_ILL_COND) && (u.problem[1] & CALIB_ILL_COND));
    assert_true(u.corr[0][1] < -CALIB_MAX_CORR);
}

/* One fit target for two parameters: its gradient (1, 1) leaves (1, -1) unseen. */
static void fewer_targets_than_parameters(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", 3, 2, 4, true), target("zero", 0, -1, 1, false),
                                target("check", 100, 0, 200, false)};
    struct synth s = {ONE_TARGET, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    assert_int_equal(u.n_fit, 1);
    assert_true(u.problems & CALIB_FEW_TARGETS);
    assert_true(isinf(u.condition));
    assert_true(isinf(u.sd[0]) && isinf(u.sd[1]));
    assert_true(fabs(u.weak[0] - 0.5) < 1e-9 && fabs(u.weak[1] - 0.5) < 1e-9);

    char text[2048] = "";
    FILE *out = tmpfile();
    assert_non_null(out);
    assert_true(calib_uncert_warn(&u, free_ab, out, "", "") > 0);
    rewind(out);
    text[fread(text, 1, sizeof text - 1, out)] = '\0';
    fclose(out);
    assert_non_null(strstr(text, "1 fit target for 2 free parameters"));
}

/* Only check targets: nothing bounds the parameters. */
static void no_fit_target_bounds_nothing(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", 3, 2, 4, false), target("diff", -1, -2, 0, false),
                                target("check", 100, 0, 200, false)};
    struct synth s = {LINEAR, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 0);
    assert_int_equal(u.n_fit, 0);
    for (int j = 0; j < 2; j++) {
        assert_true(isinf(u.sd[j]));
        assert_true(u.ci_lo[j] == -5.0 && u.ci_hi[j] == 5.0);
        assert_true((u.problem[j] & CALIB_FEW_TARGETS) && (u.problem[j] & CALIB_WIDE));
    }
    assert_true(isinf(u.condition));
}

static void failed_point_is_reported(void **state)
{
    (void)state;
    struct calib_target t[3] = {target("sum", 3, 2, 4, true), target("diff", -1, -2, 0, true),
                                target("check", 100, 0, 200, false)};
    struct synth s = {FAILS, 0};
    struct calib_result best = at(1.0, 2.0);
    struct calib_uncert u;

    assert_int_equal(calib_uncertainty(free_ab, 2, t, 3, synth_eval, &s, &best, &u), 1);
    assert_true(isnan(u.jacobian[0][0]) && isnan(u.sd[0]) && isnan(u.condition));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_matches_the_analytic_interval),
        cmocka_unit_test(monte_carlo_error_widens_the_interval),
        cmocka_unit_test(bound_clamps_difference_and_interval),
        cmocka_unit_test(product_is_not_identified),
        cmocka_unit_test(near_parallel_targets_are_ill_conditioned),
        cmocka_unit_test(fewer_targets_than_parameters),
        cmocka_unit_test(no_fit_target_bounds_nothing),
        cmocka_unit_test(failed_point_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
