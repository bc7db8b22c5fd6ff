/*
 * Counts and costs for a planner (docs/model.md 1.2, docs/scenarios.md "Costs"): the counts a
 * year equal the rates times their denominators; every cost component equals the hand
 * calculation from the counts and unit costs of the same replication, and the total their sum;
 * the cost metrics carry the scenario's currency and price year; the year-by-year counts add up
 * to the whole; and the cost per unit of an outcome averted (analysis/costeff.h) has a Fieller
 * interval whose ends solve its defining equation, and no interval where the outcome's
 * difference is not distinguished from 0.
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

#include "analysis/costeff.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define REGION "tests/fixtures/care/region_30y.cfg"
#define REPS   2
#define SEED   29

/* Unit costs unlike the region's own, so that a test cannot pass on the shipped figures. */
static const char *const priced[] = {"horizon=1461",  /* 1 year of warm-up, then 3 of 365.25 days */
                                     "warmup=365.25", /* */
                                     "output.per_year=true",   /* */
                                     "hospital.beds=40",       /* */
                                     "costs.currency=\"EUR\"", /* */
                                     "costs.price_year=2019",  /* */
                                     "costs.bed_day=400",      /* */
                                     "costs.out_of_area_bed_day=900",
                                     "costs.ed_visit=250",
                                     "costs.crisis_team_contact=1200",
                                     "costs.coordinator_post=50000",
                                     NULL};

/* One run of the priced region serves the tests that read it. */
static struct support_run priced_run;

static int run_priced(void **state)
{
    (void)state;
    support_run_load(&priced_run, REGION, priced, REPS, SEED);
    return 0;
}

static int free_priced(void **state)
{
    (void)state;
    support_run_fini(&priced_run);
    return 0;
}

static void test_counts_are_rates_times_denominators(void **state)
{
    (void)state;
    const struct support_run *rp = &priced_run;
    static const char *const pairs[][2] = {{"crises", "crises_per_year"},
                                           {"admissions", "admissions_per_year"},
                                           {"ed_visits", "ed_visits_per_year"},
                                           {"bed_days", "bed_days_per_year"}};
    for (long i = 0; i < REPS; i++) {
        double in_service = support_value(rp, i, "clients_in_service");
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
            double rate = support_value(rp, i, pairs[k][0]);
            double count = support_value(rp, i, pairs[k][1]);
            assert_true(count > 0);
            assert_close(count, rate * in_service / 100.0, 1e-9, 1e-9);
        }
        /* The three observed years' counts a year average to the whole's. */
        static const char *const counts[] = {"admissions_per_year", "bed_days_per_year",
                                             "ed_visits_per_year", "crises_per_year"};
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            char name[64];
            double sum = 0;
            for (int y = 1; y <= 3; y++) {
                snprintf(name, sizeof name, "year%d.%s", y, counts[k]);
                sum += support_value(rp, i, name);
            }
            assert_close(sum / 3.0, support_value(rp, i, counts[k]), 1e-9, 1e-9);
        }
    }
}

static void test_cost_components_by_hand(void **state)
{
    (void)state;
    const struct support_run *rp = &priced_run;
    const double days_a_year = 365.25, beds = 40, posts = 37;
    for (long i = 0; i < REPS; i++) {
        double local = support_value(rp, i, "bed_occupancy") * beds * days_a_year;
        double all = support_value(rp, i, "bed_days_per_year");
        double in_service = support_value(rp, i, "clients_in_service");
        double crt = support_value(rp, i, "crisis_team_contacts") * in_service / 100.0 +
                     support_value(rp, i, "crisis_team_diversions_per_year");
        double want_beds = 400 * local, want_oap = 900 * (all - local);
        double want_ed = 250 * support_value(rp, i, "ed_visits_per_year");
        double want_crt = 1200 * crt, want_posts = 50000 * posts;
        assert_close(support_value(rp, i, "cost_beds_per_year"), want_beds, 1e-9, 1e-6);
        assert_close(support_value(rp, i, "cost_out_of_area_per_year"), want_oap, 1e-9, 1e-3);
        assert_close(support_value(rp, i, "cost_ed_per_year"), want_ed, 1e-9, 1e-6);
        assert_close(support_value(rp, i, "cost_crisis_team_per_year"), want_crt, 1e-9, 1e-6);
        assert_close(support_value(rp, i, "cost_posts_per_year"), want_posts, 1e-12, 1e-6);
        assert_close(support_value(rp, i, "standard.cost_posts_per_year"), want_posts, 1e-12, 1e-6);
        double total = want_beds + want_oap + want_ed + want_crt + want_posts;
        assert_close(support_value(rp, i, "cost_per_year"), total, 1e-9, 1e-3);
        assert_close(support_value(rp, i, "cost_per_100_clients_year"), 100 * total / in_service,
                     1e-9, 1e-3);
    }
    /* Every cost metric is in the scenario's currency at its price year. */
    int n = rp->sc->n_metrics, costs = 0;
    for (int m = 0; m < n; m++) {
        const struct metric_desc *d = scenario_metric(rp->sc, m);
        if (strncmp(d->name, "cost_", 5) == 0 || strstr(d->name, ".cost_")) {
            costs++;
            assert_non_null(strstr(d->unit, "EUR"));
            assert_non_null(strstr(d->unit, "2019 prices"));
        }
    }
    assert_int_equal(costs, 8);
}

/* Without costs every cost metric is NA and the rest of the run is unchanged. */
static void test_no_costs_no_cost_figures(void **state)
{
    (void)state;
    struct support_run w;
    static const char *const w2[] = {"horizon=11000", NULL};
    support_run_load(&w, "scenarios/verify/w2_care.cfg", w2, 2, SEED);
    assert_true(isnan(support_value(&w, 0, "cost_per_year")));
    assert_true(isnan(support_value(&w, 0, "cost_beds_per_year")));
    assert_false(isnan(support_value(&w, 0, "admissions_per_year")));
    support_run_fini(&w);
}

/* Posts that change during the run (coordination.posts_plan[]) cost their time average: 1 post
 * for 50 days, then 10 for 30, is 4.375 posts a year at the region's 55,000. */
static void test_posts_cost_their_time_average(void **state)
{
    (void)state;
    struct support_run r;
    support_run_load(&r, "tests/fixtures/care/posts_step.cfg", NULL, 2, SEED);
    double want = (50.0 * 1 + 30.0 * 10) / 80.0 * 55000.0;
    for (long i = 0; i < 2; i++) {
        assert_close(support_value(&r, i, "cost_posts_per_year"), want, 1e-12, 1e-6);
        assert_close(support_value(&r, i, "standard.cost_posts_per_year"), want, 1e-12, 1e-6);
    }
    support_run_fini(&r);
}

/* (d - R a)^2 - t^2 var(d - R a), over the replications' paired differences. */
static double fieller_gap(const double *d, const double *a, size_t n, double t, double r)
{
    double md = 0, ma = 0;
    for (size_t i = 0; i < n; i++) {
        md += d[i] / n;
        ma += a[i] / n;
    }
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        double x = (d[i] - md) - r * (a[i] - ma);
        v += x * x;
    }
    v /= (double)(n - 1) * (double)n;
    return (md - r * ma) * (md - r * ma) - t * t * v;
}

static void test_fieller_interval(void **state)
{
    (void)state;
    /* Scenario A's cost and admissions, then B's: B costs about 100,000 more and averts about
     * 20 admissions, with noise that correlates the two. */
    const double cost_a[] = {1.00e6, 1.02e6, 0.99e6, 1.01e6, 1.03e6, 0.98e6};
    const double cost_b[] = {1.10e6, 1.13e6, 1.08e6, 1.12e6, 1.12e6, 1.09e6};
    const double adm_a[] = {600, 610, 590, 605, 615, 595};
    const double adm_b[] = {580, 588, 572, 586, 593, 577};
    const size_t n = 6;
    double d[6], a[6];
    for (size_t i = 0; i < n; i++) {
        d[i] = cost_b[i] - cost_a[i];
        a[i] = adm_a[i] - adm_b[i];
    }
    struct costeff ce;
    costeff_paired(cost_a, cost_b, adm_a, adm_b, 1, n, 0.95, &ce);
    assert_int_equal(ce.kind, COSTEFF_RATIO);
    double md = 0, ma = 0;
    for (size_t i = 0; i < n; i++) {
        md += d[i] / n;
        ma += a[i] / n;
    }
    assert_close(ce.dc, md, 1e-12, 1e-9);
    assert_close(ce.da, ma, 1e-12, 1e-9);
    assert_close(ce.ratio, md / ma, 1e-12, 1e-9);
    assert_true(ce.lo < ce.ratio && ce.ratio < ce.hi);
    double t = gsl_cdf_tdist_Pinv(0.975, (double)n - 1);
    /* The ends solve the defining equation; the point lies inside it. */
    assert_close(fieller_gap(d, a, n, t, ce.lo), 0.0, 0, 1e-3 * md * md);
    assert_close(fieller_gap(d, a, n, t, ce.hi), 0.0, 0, 1e-3 * md * md);
    assert_true(fieller_gap(d, a, n, t, ce.ratio) < 0);
    assert_true(fieller_gap(d, a, n, t, 2 * ce.hi) > 0);

    /* An outcome difference that straddles 0: no finite interval. */
    const double adm_c[] = {610, 600, 600, 600, 625, 585};
    costeff_paired(cost_a, cost_b, adm_a, adm_c, 1, n, 0.95, &ce);
    assert_int_equal(ce.kind, COSTEFF_UNBOUNDED);
    assert_true(isnan(ce.ratio) && isnan(ce.lo) && isnan(ce.hi));
    /* A scenario that adds admissions has no cost per admission averted. */
    costeff_paired(cost_a, cost_b, adm_b, adm_a, 1, n, 0.95, &ce);
    assert_int_equal(ce.kind, COSTEFF_NOT_AVERTED);
    assert_true(ce.da < 0 && isnan(ce.ratio));
}

int main(void)
{
    const struct CMUnitTest priced_tests[] = {
        cmocka_unit_test(test_counts_are_rates_times_denominators),
        cmocka_unit_test(test_cost_components_by_hand),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_costs_no_cost_figures),
        cmocka_unit_test(test_posts_cost_their_time_average),
        cmocka_unit_test(test_fieller_interval),
    };
    int failed = cmocka_run_group_tests(priced_tests, run_priced, free_priced);
    return failed + cmocka_run_group_tests(tests, NULL, NULL);
}
