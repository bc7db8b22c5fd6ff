/*
 * Referral sources that carry their own severity mix and urgent share (referrals.sources[]),
 * and the order of the waiting lists (assessment.priority, coordination.priority).
 *
 * Source tests use closed forms: a region whose only source refers complex clients signposts
 * none (standard care accepts moderate to complex severity, and tightened triage turns away only
 * the lowest severity it accepts), one whose only source refers low severity signposts all, and a
 * source's urgent share of 1 or 0 makes every or no referral urgent. Priority tests run the
 * baseline with a loaded coordination list (30 posts for about 37 posts' demand), 5 years with 2
 * of warm-up, and compare mean waits with a paired 99% confidence interval over the replications.
 * Every run passes the conservation audit, abandonment included (experiment_run() fails
 * otherwise).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/model.h"
#include "sim/cfg.h"
#include "support.h"

#define BASELINE "tests/fixtures/care/region_30y.cfg"
#define REPS     8

/* Loads the baseline over `days` (a third of them warm-up) with the overrides (NULL-terminated)
 * and runs REPS replications. */
static void run_with(struct support_run *r, const char *days, const char *const *sets)
{
    char horizon[64], warmup[64];
    const char *const length[] = {horizon, warmup, NULL};
    const char *all[16];

    snprintf(horizon, sizeof horizon, "horizon=%s", days);
    snprintf(warmup, sizeof warmup, "warmup=%.1f", atof(days) / 3.0);
    support_run_load(r, BASELINE, support_sets_join(all, 16, length, sets), REPS, 29);
}

/* The paired 99% interval of metric b minus metric a over the replications of r, in [lo, hi]. */
static void paired(const struct support_run *r, const char *a, const char *b, double *lo,
                   double *hi)
{
    double d[REPS], m, half;
    for (long i = 0; i < REPS; i++) {
        d[i] = support_value(r, i, b) - support_value(r, i, a);
    }
    support_paired_t(d, REPS, 0.005, &m, &half);
    *lo = m - half;
    *hi = m + half;
    printf("  %-34s - %-34s %10.4g +- %.3g\n", b, a, m, half);
}

/* The shorter coordination list of the loaded baseline: 30 posts, no tightened triage and no
 * discharge under pressure (each shortens the list), the patience of the baseline. */
#define LOADED                                                                                     \
    "coordination.models[0].posts=30", "referrals.tighten_max=0", "coordination.pressure_factor=1"

/* Issue 12: a source's own severity mix replaces the region's for its referrals. */
static void test_source_severity_replaces_the_region_mix(void **state)
{
    (void)state;
    struct support_run r;
    const char *const complex[] = {
        "referrals.sources=({ name = \"ward\"; share = 1.0; severity = [0.0, 0.0, 0.0, 1.0]; "
        "urgent = 1.0; })",
        NULL};
    run_with(&r, "730", complex);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&r, i, "signposted_pct") == 0.0);
        assert_true(support_value(&r, i, "urgent_referrals_pct") == 100.0);
        assert_true(isnan(support_value(&r, i, "wait_coordination_days_low")));
        assert_true(isnan(support_value(&r, i, "wait_coordination_days_routine")));
    }
    support_run_fini(&r);

    const char *const low[] = {
        "referrals.sources=({ name = \"gp\"; share = 1.0; severity = [1.0, 0.0, 0.0, 0.0]; })",
        "referrals.urgent=0", NULL};
    run_with(&r, "730", low);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&r, i, "signposted_pct") == 100.0);
        assert_true(support_value(&r, i, "caseload") == 0.0);
        assert_true(support_value(&r, i, "urgent_referrals_pct") == 0.0);
    }
    support_run_fini(&r);

    /* Without its own mix a source takes the region's: some signposted, not all. */
    const char *const plain[] = {"referrals.sources=({ name = \"gp\"; share = 1.0; })", NULL};
    run_with(&r, "730", plain);
    for (long i = 0; i < REPS; i++) {
        assert_inside(support_value(&r, i, "signposted_pct"), 1.0, 99.0);
    }
    support_run_fini(&r);
}

/* Under FIFO urgency orders nothing: every metric but the urgent/routine breakdown is the same
 * bytes with or without urgent referrals, and urgent and routine referrals wait alike. */
static void test_fifo_ignores_urgency(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const none[] = {LOADED, "referrals.urgent=0", "referrals.sources[1].urgent=0",
                                "referrals.sources[2].urgent=0", NULL};
    const char *const some[] = {LOADED, "referrals.urgent=0.3", NULL};
    run_with(&a, "1826", none);
    run_with(&b, "1826", some);
    int compared = 0;
    for (int m = 0; m < a.sc->n_metrics; m++) {
        const char *name = scenario_metric_name(a.sc, m);
        if (strstr(name, "urgent") || strstr(name, "routine")) {
            continue;
        }
        for (long i = 0; i < REPS; i++) {
            double x = support_value(&a, i, name), y = support_value(&b, i, name);
            if (!(x == y || (isnan(x) && isnan(y)))) {
                fail_msg("%s, replication %ld: %.17g without urgent referrals, %.17g with", name, i,
                         x, y);
            }
        }
        compared++;
    }
    assert_true(compared > 20);
    double lo, hi;
    paired(&b, "wait_coordination_days_routine", "wait_coordination_days_urgent", &lo, &hi);
    assert_true(lo < 0 && hi > 0);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* urgent_first on a loaded list: urgent referrals wait less than routine ones, on both lists;
 * the waits of everyone together barely move (the same slots, another order). */
static void test_urgent_first_shortens_the_urgent_wait(void **state)
{
    (void)state;
    struct support_run r;
    const char *const sets[] = {LOADED, "coordination.priority=\"urgent_first\"",
                                "assessment.priority=\"urgent_first\"", "assessment.assessors=3",
                                NULL};
    run_with(&r, "1826", sets);
    double lo, hi;
    paired(&r, "wait_coordination_days_routine", "wait_coordination_days_urgent", &lo, &hi);
    assert_true(hi < 0);
    paired(&r, "wait_assessment_days_routine", "wait_assessment_days_urgent", &lo, &hi);
    assert_true(hi < 0);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&r, i, "wait_coordination_days_routine") >
                    1.0); /* a loaded list */
    }
    support_run_fini(&r);
}

/* severity and risk orders, with short patience so that many give up while waiting: the
 * conservation audit holds (queue_remove by handle under a priority order), clients give up,
 * and the complex wait less than the moderate. */
static void test_priority_orders_with_abandonment(void **state)
{
    (void)state;
    const char *const orders[] = {"coordination.priority=\"severity\"",
                                  "coordination.priority=\"risk\""};
    for (int k = 0; k < 2; k++) {
        struct support_run r;
        const char *const sets[] = {LOADED,
                                    orders[k],
                                    "assessment.priority=\"severity\"",
                                    "assessment.assessors=3",
                                    "coordination.models[0].patience.mean=20.0",
                                    "assessment.patience.mean=10.0",
                                    NULL};
        run_with(&r, "1826", sets);
        for (long i = 0; i < REPS; i++) {
            assert_true(support_value(&r, i, "abandoned_waits") > 0);
        }
        double lo, hi;
        paired(&r, "wait_coordination_days_moderate", "wait_coordination_days_complex", &lo, &hi);
        assert_true(hi < 0);
        support_run_fini(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_severity_replaces_the_region_mix),
        cmocka_unit_test(test_fifo_ignores_urgency),
        cmocka_unit_test(test_urgent_first_shortens_the_urgent_wait),
        cmocka_unit_test(test_priority_orders_with_abandonment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
