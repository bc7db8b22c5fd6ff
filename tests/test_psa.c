/*
 * The summaries of a probabilistic sensitivity analysis (analysis/psa.h) on values set by hand:
 * the mean and 2.5%/97.5% points over the draws, the probability of being better and best (ties
 * shared), Spearman's rank correlation of a parameter with a difference, the acceptability of
 * each scenario at a willingness to pay (the cheaper wins at 0, the one with fewer admissions
 * when an admission is worth more than the cost difference), the choice of the curve's range,
 * and the files' rows.
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
#include <unistd.h>

#include "analysis/psa.h"
#include "tests/support.h"

enum { DRAWS = 200, SCEN = 2, PARAMS = 2 };

static const struct metric_desc ADM = {.name = "admissions_per_year",
                                       .unit = "admissions a year",
                                       .label = "Admissions per year",
                                       .is_headline = true,
                                       .better = METRIC_LOWER_BETTER};
static const struct metric_desc BED = {.name = "bed_days_per_year",
                                       .unit = "bed-days a year",
                                       .label = "Bed-days per year",
                                       .better = METRIC_LOWER_BETTER};
static const struct metric_desc COST = {.name = "cost_per_year",
                                        .unit = "GBP a year, 2023 prices",
                                        .label = "Cost per year",
                                        .better = METRIC_LOWER_BETTER};
static const struct metric_desc SEEN = {.name = "seen",
                                        .unit = "clients",
                                        .label = "Clients seen",
                                        .is_headline = true,
                                        .better = METRIC_NEITHER};

static const char *const NAMES[SCEN] = {"baseline", "icm"};
static const char *const PARAM[PARAMS] = {"a.effect", "b.noise"};

/* Draw d: the reference has 100 admissions; the what-if has 100 - 20 * effect, where effect
 * runs 0 .. 1 over the draws (the last fifth below 0.2 fewer, so not all draws are better);
 * it costs 1,000 more a year; the noise parameter plays no part. */
static void fill(struct psa *p)
{
    const struct metric_desc *desc[] = {&ADM, &BED, &COST, &SEEN};
    psa_init(p, SCEN, NAMES, DRAWS, PARAMS, PARAM, 4, desc);
    for (long d = 0; d < DRAWS; d++) {
        double effect = (double)d / (DRAWS - 1) - 0.1; /* -0.1 .. 0.9 */
        double noise = (double)((d * 7919) % DRAWS);   /* a permutation of the draws */
        p->x[d * PARAMS + 0] = effect;
        p->x[d * PARAMS + 1] = noise;
        *psa_at(p, d, 0, 0) = 100.0;
        *psa_at(p, d, 1, 0) = 100.0 - 20.0 * effect;
        *psa_at(p, d, 0, 1) = 1000.0;
        *psa_at(p, d, 1, 1) = 1000.0 - 100.0 * effect;
        *psa_at(p, d, 0, 2) = 50000.0;
        *psa_at(p, d, 1, 2) = 51000.0;
        *psa_at(p, d, 0, 3) = 10.0;
        *psa_at(p, d, 1, 3) = d % 2 ? 10.0 : NAN;
    }
}

static void test_psa_intervals_and_probabilities(void **state)
{
    struct psa p;
    double mean, lo, hi;

    (void)state;
    fill(&p);
    psa_interval(&p, 1, 0, true, &mean, &lo, &hi);
    /* Differences -20 * effect, effect uniform on a grid from -0.1 to 0.9: mean -8. */
    assert_close(mean, -8.0, 1e-12, 0);
    /* The 2.5% point of the sorted differences (type 7 quantile): -18 + 20 * 0.975 * ... */
    double step = 1.0 / (DRAWS - 1), h = 0.025 * (DRAWS - 1);
    double e_hi = 0.9 - h * step, e_lo = -0.1 + h * step;
    assert_close(lo, -20.0 * e_hi, 1e-9, 0);
    assert_close(hi, -20.0 * e_lo, 1e-9, 0);
    psa_interval(&p, 0, 0, true, &mean, &lo, &hi);
    assert_true(isnan(mean) && isnan(lo) && isnan(hi)); /* the reference has no difference */
    psa_interval(&p, 0, 0, false, &mean, &lo, &hi);
    assert_close(mean, 100.0, 1e-12, 0);
    assert_close(lo, 100.0, 1e-12, 0);

    /* Better (fewer admissions) where effect > 0: draws 20 .. 199 of 200 (effect(d) > 0 from
     * d = 20, since effect(19) = 19/199 - 0.1 < 0). */
    long better = 0;
    for (long d = 0; d < DRAWS; d++) {
        better += (double)d / (DRAWS - 1) - 0.1 > 0.0;
    }
    assert_close(psa_p_better(&p, 1, 0), (double)better / DRAWS, 1e-12, 0);
    assert_true(isnan(psa_p_better(&p, 0, 0)));
    assert_true(isnan(psa_p_better(&p, 1, 3))); /* neither direction better */
    /* Best of the two: the same draws, and the reference best in the others; no draw ties. */
    assert_close(psa_p_best(&p, 1, 0), (double)better / DRAWS, 1e-12, 0);
    assert_close(psa_p_best(&p, 0, 0) + psa_p_best(&p, 1, 0), 1.0, 1e-12, 0);
    /* Costs: the reference is always cheaper. */
    assert_close(psa_p_best(&p, 0, 2), 1.0, 1e-12, 0);
    psa_fini(&p);
}

static void test_psa_ties_are_shared(void **state)
{
    struct psa p;
    const struct metric_desc *desc[] = {&ADM};

    (void)state;
    psa_init(&p, SCEN, NAMES, 4, 0, NULL, 1, desc);
    for (long d = 0; d < 4; d++) {
        *psa_at(&p, d, 0, 0) = 10.0;
        *psa_at(&p, d, 1, 0) = d == 0 ? 9.0 : 10.0; /* better once, tied three times */
    }
    assert_close(psa_p_best(&p, 1, 0), (1.0 + 3 * 0.5) / 4.0, 1e-12, 0);
    assert_close(psa_p_better(&p, 1, 0), 0.25, 1e-12, 0);
    psa_fini(&p);
}

static void test_psa_rank_correlation_finds_the_driver(void **state)
{
    struct psa p;

    (void)state;
    fill(&p);
    /* The difference falls as effect rises, exactly: rank correlation -1. */
    assert_close(psa_rank_correlation(&p, 0, 1, 0), -1.0, 1e-12, 0);
    /* The noise is a permutation unrelated to the draws' order: far from -1. */
    assert_true(fabs(psa_rank_correlation(&p, 1, 1, 0)) < 0.3);
    /* The metric defined in every other draw, with no difference in any: no correlation. */
    assert_true(isnan(psa_rank_correlation(&p, 0, 1, 3)));
    psa_fini(&p);
}

static void test_psa_acceptability(void **state)
{
    struct psa p;

    (void)state;
    fill(&p);
    int adm = psa_metric(&p, "admissions_per_year");
    assert_int_equal(adm, 0);
    assert_true(psa_has_costs(&p));
    /* At 0 the cheaper reference is cost-effective in every draw. */
    assert_close(psa_p_cost_effective(&p, 0, adm, 0.0), 1.0, 1e-12, 0);
    /* At a willingness to pay of w per admission averted, the what-if wins where
     * 20 * effect * w > 1000, i.e. effect > 50 / w. */
    double w = 200.0;
    long win = 0;
    for (long d = 0; d < DRAWS; d++) {
        double effect = (double)d / (DRAWS - 1) - 0.1;
        win += 20.0 * effect * w > 1000.0;
    }
    assert_close(psa_p_cost_effective(&p, 1, adm, w), (double)win / DRAWS, 1e-12, 0);
    assert_close(psa_p_cost_effective(&p, 0, adm, w) + psa_p_cost_effective(&p, 1, adm, w), 1.0,
                 1e-12, 0);
    /* The curve's range: the mean cost per admission averted is 1000 / 8 = 125; the reference's
     * cost per admission 500; twice the larger, 1,000, is already a round number. */
    assert_close(psa_choose_wtp(&p, 0), 1000.0, 1e-9, 0);
    /* Bed-days: 1000 / 40 = 25 per bed-day averted, the reference 50 a bed-day: 2 x 50 = 100. */
    assert_close(psa_choose_wtp(&p, 1), 100.0, 1e-9, 0);
    psa_fini(&p);
}

static void test_psa_files(void **state)
{
    struct psa p;
    char path[] = "/tmp/ccsim_psa_XXXXXX";
    char line[4096];

    (void)state;
    fill(&p);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

    assert_int_equal(psa_write_csv(path, &p), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "draw,scenario,metric,value,difference,unit,label,headline,better\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "0,baseline,admissions_per_year,100,NA,admissions a year,"
                              "Admissions per year,1,lower\n");
    for (int i = 0; i < 4; i++) {
        assert_non_null(fgets(line, sizeof line, f));
    }
    /* Draw 0, icm, admissions: 100 - 20 * -0.1 = 102, difference 2. */
    assert_string_equal(line, "0,icm,admissions_per_year,102,2,admissions a year,"
                              "Admissions per year,1,lower\n");
    long rows = 6;
    while (fgets(line, sizeof line, f)) {
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 1 + DRAWS * SCEN * 4);

    assert_int_equal(psa_write_summary(path, &p), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "admissions_per_year,baseline,100,100,100,NA,NA,NA,NA,0.1,"
                              "admissions a year,Admissions per year,1,lower\n");
    fclose(f);

    assert_int_equal(psa_write_ceac(path, &p, "GBP, 2023 prices"), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    rows = 0;
    while (fgets(line, sizeof line, f)) {
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, 1 + 2 * PSA_CEAC_POINTS * SCEN);

    assert_int_equal(psa_write_drivers(path, &p), 0);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "admissions_per_year,icm,a.effect,-1,admissions a year,"
                              "Admissions per year,1,lower\n");
    fclose(f);
    remove(path);
    psa_fini(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psa_intervals_and_probabilities),
        cmocka_unit_test(test_psa_ties_are_shared),
        cmocka_unit_test(test_psa_rank_correlation_finds_the_driver),
        cmocka_unit_test(test_psa_acceptability),
        cmocka_unit_test(test_psa_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
