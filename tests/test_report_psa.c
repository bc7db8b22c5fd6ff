/*
 * The section "Parameter uncertainty" of a report on a probabilistic sensitivity analysis
 * (analysis/report_psa.h), on fixture tables whose numbers are known: each scenario's
 * difference from the reference in words with its 95% uncertainty interval and the right words
 * for its sign ("fewer", "more", "12 fewer to 5 more" when the interval includes 0), the share of
 * draws in which it is better (never rounded to 0% or 100% when it is not) and, with three
 * scenarios, the best; each parameter's median and 2.5% and 97.5% points over its draws; the
 * willingness to pay at which an acceptability curve first reaches 50% and 95%, or that it does
 * not; the drivers in order of absolute rank correlation; the caveat on the parameters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "analysis/manifest.h"
#include "analysis/psa.h"
#include "analysis/report.h"
#include "analysis/report_psa.h"
#include "analysis/table.h"

#define DESC_ADM  "admissions per year,Admissions per year,0,lower"
#define DESC_COST "\"GBP a year, 2023 prices\",Cost a year,0,lower"
#define DESC_CRI  "per 100 client-years,Crises per 100 client-years,1,lower"
#define DESC_WAIT "days,Mean wait (days),1,lower"
#define DESC_REF  "referrals per year,Referrals,1,neither"

static const char summary_csv[] =
    "metric,scenario,mean,lower,upper,difference,difference_lower,difference_upper,"
    "probability_better,probability_best,unit,label,headline,better\n"
    "admissions_per_year,base,630,600,660,NA,NA,NA,NA,0.01," DESC_ADM "\n"
    "admissions_per_year,icm,593,560,620,-37,-61,-12,0.97,0.6," DESC_ADM "\n"
    "admissions_per_year,act,625,590,650,-5,-12,5.2,0.6,0.39," DESC_ADM "\n"
    "cost_per_year,base,12300000,11000000,13500000,NA,NA,NA,NA,0.2," DESC_COST "\n"
    "cost_per_year,icm,12863661,11500000,14100000,563661,120000,1005355,0.002,0.3," DESC_COST "\n"
    "cost_per_year,act,12100000,10900000,13300000,-200000,-450000,30000,0.998,0.5," DESC_COST "\n"
    "crises,base,98,90,106,NA,NA,NA,NA,0.1," DESC_CRI "\n"
    "crises,icm,95.5,88,103,-2.5,-5.3,-0.52,1,0.75," DESC_CRI "\n"
    "crises,act,97,89,105,-1,-3,1.5,0.7,0.15," DESC_CRI "\n"
    "wait_coordination_days,base,20,18,22,NA,NA,NA,NA,0.9," DESC_WAIT "\n"
    "wait_coordination_days,icm,23,21,25,3,2.5,3.5,0,0," DESC_WAIT "\n"
    "wait_coordination_days,act,21,19,23,1,0.5,1.5,0,0.1," DESC_WAIT "\n"
    "referrals_per_year,base,960,900,1000,NA,NA,NA,NA,NA," DESC_REF "\n"
    "referrals_per_year,icm,960,900,1000,0,0,0,NA,NA," DESC_REF "\n"
    "referrals_per_year,act,961,901,1001,1,-2,4,NA,NA," DESC_REF "\n";

/* Three draws of each parameter... of 41: risk.scale takes 1, 2, ..., 41 (in a shuffled
 * order), so its median is 21, its 2.5% point 1 + 40 * 0.025 = 2 and its 97.5% point 40. */
static char *parameters_csv(void)
{
    static char buf[8192];
    size_t k = (size_t)snprintf(buf, sizeof buf, "draw,parameter,value\n");
    for (int d = 0; d < 41; d++) {
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%d,risk.scale,%d\n%d,costs.bed_day,%g\n", d,
                              (d * 17) % 41 + 1, d, 400.0 + d * 2.5);
    }
    return buf;
}

static const char drivers_csv[] =
    "metric,scenario,parameter,rank_correlation,unit,label,headline,better\n"
    "crises,icm,risk.scale,0.2," DESC_CRI "\n"
    "crises,icm,coordination.outreach,-0.61," DESC_CRI "\n"
    "crises,icm,risk.crisis_rate,0.45," DESC_CRI "\n"
    "crises,act,risk.scale,0.1," DESC_CRI "\n";

static const char ceac_csv[] =
    "outcome,willingness_to_pay,scenario,probability_cost_effective,currency\n"
    "admissions,0,base,0.2,\"GBP, 2023 prices\"\n"
    "admissions,0,icm,0.3,\"GBP, 2023 prices\"\n"
    "admissions,0,act,0.5,\"GBP, 2023 prices\"\n"
    "admissions,10000,base,0.1,\"GBP, 2023 prices\"\n"
    "admissions,10000,icm,0.45,\"GBP, 2023 prices\"\n"
    "admissions,10000,act,0.45,\"GBP, 2023 prices\"\n"
    "admissions,20000,base,0.05,\"GBP, 2023 prices\"\n"
    "admissions,20000,icm,0.55,\"GBP, 2023 prices\"\n"
    "admissions,20000,act,0.4,\"GBP, 2023 prices\"\n"
    "admissions,30000,base,0,\"GBP, 2023 prices\"\n"
    "admissions,30000,icm,0.8,\"GBP, 2023 prices\"\n"
    "admissions,30000,act,0.2,\"GBP, 2023 prices\"\n";

/* Reads text as a table through a temporary file. */
static void read_text(const char *text, struct table *t)
{
    char path[] = "/tmp/ccsim-test-psa-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char err[512];
    assert_int_equal(table_read(path, t, err, sizeof err), 0);
    unlink(path);
}

static char *render(const struct report_psa *p)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    report_psa_section(f, p);
    fclose(f);
    return buf;
}

#define assert_has(text, want)                                                                     \
    do {                                                                                           \
        if (!strstr((text), (want))) {                                                             \
            print_error("missing: %s\nin: %s\n", (want), (text));                                  \
            fail();                                                                                \
        }                                                                                          \
    } while (0)

/* The figures the section asks for, in order, into ctx. */
static void record_figure(FILE *f, void *ctx, const char *name, const char *caption)
{
    (void)f;
    (void)caption;
    char *names = ctx;
    strcat(names, name);
    strcat(names, " ");
}

static void test_three_scenarios(void **state)
{
    (void)state;
    struct table sum = {0}, par = {0}, drv = {0}, ceac = {0};
    read_text(summary_csv, &sum);
    read_text(parameters_csv(), &par);
    read_text(drivers_csv, &drv);
    read_text(ceac_csv, &ceac);
    char figures[256] = "";
    struct report_psa p = {.summary = &sum,
                           .parameters = &par,
                           .drivers = &drv,
                           .ceac = &ceac,
                           .draws = 999, /* psa_parameters.csv says 41 */
                           .replications = 2,
                           .figure = record_figure,
                           .ctx = figures};
    assert_int_equal(report_psa_draws(&p), 41);
    char *s = render(&p);
    assert_has(s, "<h2>Parameter uncertainty</h2>");
    assert_has(s, "over 41 parameter draws");
    assert_has(s, "(2 replications a draw)");
    /* The brief's sentence, from the numbers. */
    assert_has(s, "Over 41 parameter draws, <strong>icm</strong> had 37 fewer admissions a year "
                  "than base (95% uncertainty interval 12 to 61 fewer); it was better in 97% of "
                  "draws.");
    assert_has(s, "It cost GBP 563,661 more a year (95% uncertainty interval GBP 120,000 to "
                  "1.01 million more) at 2023 prices; it cost less in under 1% of draws.");
    /* An interval across 0, and a share that rounds to 100% but is not all. */
    assert_has(s, "<strong>act</strong> had 5.0 fewer admissions a year than base (95% uncertainty "
                  "interval 12 fewer to 5.2 more); it was better in 60% of draws.");
    assert_has(s, "It cost GBP 200,000 less a year (95% uncertainty interval GBP 450,000 less to "
                  "30,000 more) at 2023 prices; it cost less in over 99% of draws.");
    /* Headline metrics, with the best of three; none for a metric without a better side. */
    assert_has(s, "<li>Crises per 100 client-years: 2.5 lower than base (95% uncertainty interval "
                  "0.52 to 5.3 lower); better in 100% of draws, the best of the 3 scenarios in "
                  "75%.</li>");
    assert_has(s, "<li>Mean wait (days): 3.0 higher than base (95% uncertainty interval 2.5 to 3.5 "
                  "higher); better in 0% of draws, the best of the 3 scenarios in 0%.</li>");
    assert_has(s, "<li>Referrals: no difference in any draw.</li>");
    assert_has(s, "<li>Referrals: 1.0 higher than base (95% uncertainty interval 2.0 lower to 4.0 "
                  "higher).</li>");
    /* The table: the reference's best share, a scenario's difference. */
    assert_has(s, "<td>base</td><td class=\"n\">630 (600 to 660)</td><td class=\"n\"></td><td "
                  "class=\"n\"></td><td class=\"n\">1%</td>");
    assert_has(s, "<td>icm</td><td class=\"n\">593 (560 to 620)</td><td class=\"n\">-37 (-61 to "
                  "-12)</td><td class=\"n\">97%</td><td class=\"n\">60%</td>");
    /* What was drawn. */
    assert_has(s, "2 parameters were drawn afresh in each of the 41 draws");
    assert_has(s, "<code>risk.scale</code></td><td class=\"n\">21</td><td class=\"n\">2</td><td "
                  "class=\"n\">40</td><td class=\"n\">41</td>");
    /* costs.bed_day: 400 + 2.5 d, d = 0..40: median 450, 2.5% 402.5, 97.5% 497.5. */
    assert_has(s, "<code>costs.bed_day</code></td><td class=\"n\">450</td><td class=\"n\">402.5"
                  "</td><td class=\"n\">497.5</td>");
    /* The acceptability curves. */
    assert_has(s, "<li>Per admission averted: <strong>icm</strong> costs least in 30% of draws (a "
                  "willingness to pay of 0); its probability of being cost-effective first "
                  "reaches 50% at GBP 20,000 per admission averted; it does not reach 95% up to "
                  "GBP 30,000 per admission averted (at most 80%), on a grid in steps of GBP "
                  "10,000.</li>");
    assert_has(s, "<strong>act</strong> costs least in 50% of draws (a willingness to pay of 0); "
                  "its probability of being cost-effective is at or above 50% from 0; it does not "
                  "reach 95% up to GBP 30,000 per admission averted (at most 50%)");
    /* The drivers: largest absolute correlation first. */
    assert_has(s, "For <strong>icm</strong>'s difference in Crises per 100 client-years, the "
                  "parameter that matters most is <code>coordination.outreach</code> (rank "
                  "correlation -0.61), then <code>risk.crisis_rate</code> (0.45).");
    assert_has(s, "<td>Crises per 100 client-years</td><td>icm</td><td><code>coordination.outreach"
                  "</code> -0.61; <code>risk.crisis_rate</code> 0.45; <code>risk.scale</code> "
                  "0.20</td>");
    /* The limits of chance for 41 draws: 1.96 / sqrt(40) = 0.31. */
    assert_has(s, "With 41 draws, a correlation between -0.31 and 0.31 is what chance alone gives "
                  "when a parameter has no link with the difference");
    assert_string_equal(figures, "psa_intervals psa_plane psa_ceac psa_drivers ");
    free(s);

    /* Correlations all within those limits: the sentence says no parameter goes beyond chance,
     * not which "matters most". */
    struct table weak = {0};
    read_text("metric,scenario,parameter,rank_correlation,unit,label,headline,better\n"
              "crises,icm,risk.scale,0.2," DESC_CRI "\n"
              "crises,icm,coordination.outreach,-0.29," DESC_CRI "\n",
              &weak);
    p.drivers = &weak;
    s = render(&p);
    assert_has(s, "For <strong>icm</strong>'s difference in Crises per 100 client-years, no "
                  "parameter's draws go with it beyond chance: the largest rank correlation, "
                  "<code>coordination.outreach</code>'s -0.29, is within &plusmn;0.31.");
    assert_null(strstr(s, "matters most"));
    free(s);
    table_free(&weak);
    p.drivers = &drv;

    char caveat[600];
    report_psa_caveat(&p, caveat, sizeof caveat);
    assert_has(caveat, "include the uncertainty of the 2 parameters drawn from their "
                       "distributions, over 41 draws");
    table_free(&sum);
    table_free(&par);
    table_free(&drv);
    table_free(&ceac);
}

/* Without costs and parameters: the draws from the manifest, a note that there are no costs,
 * the plane still asked for (the joint plot of two differences). */
static void test_without_costs(void **state)
{
    (void)state;
    struct table sum = {0};
    read_text(summary_csv, &sum);
    char figures[256] = "";
    struct report_psa p = {.summary = &sum, .draws = 200, .figure = record_figure, .ctx = figures};
    char *s = render(&p);
    assert_has(s, "Over 200 parameter draws, <strong>icm</strong> had 37 fewer admissions");
    assert_has(s, "The scenarios give no costs");
    assert_null(strstr(s, "What was drawn"));
    assert_null(strstr(s, "acceptability curve gives"));
    assert_string_equal(figures, "psa_intervals psa_plane ");
    free(s);
    table_free(&sum);
}

/* The whole way: a folder written by analysis/psa.h's writers (and a manifest of `ccsim psa`),
 * read back and reported by report_write_flags(), as `ccsim report` does. Draw d of 40: the
 * parameter a.effect is d / 39; icm has 20 + 40 x effect fewer admissions than baseline (the 2.5%
 * point of the difference, at (n - 1) 0.025 = 0.975 of the way from the first, is -59; the
 * 97.5% point -21; the mean -40) and costs GBP 400,000 more in every draw. */
static const struct metric_desc ADM = {.name = "admissions_per_year",
                                       .unit = "admissions per year",
                                       .label = "Admissions per year",
                                       .better = METRIC_LOWER_BETTER};
static const struct metric_desc BED = {.name = "bed_days_per_year",
                                       .unit = "bed-days per year",
                                       .label = "Bed-days per year",
                                       .better = METRIC_LOWER_BETTER};
static const struct metric_desc COST = {.name = "cost_per_year",
                                        .unit = "GBP a year, 2023 prices",
                                        .label = "Cost a year",
                                        .better = METRIC_LOWER_BETTER};
static const struct metric_desc CRI = {.name = "crises",
                                       .unit = "per 100 client-years",
                                       .label = "Crises per 100 client-years",
                                       .is_headline = true,
                                       .better = METRIC_LOWER_BETTER};

static void test_folder_of_the_writers(void **state)
{
    (void)state;
    enum { DRAWS = 40 };
    static const char *const names[] = {"baseline", "icm"}, *const params[] = {"a.effect"};
    const struct metric_desc *desc[] = {&ADM, &BED, &COST, &CRI};
    struct psa p;
    psa_init(&p, 2, names, DRAWS, 1, params, 4, desc);
    for (long d = 0; d < DRAWS; d++) {
        double e = (double)d / (DRAWS - 1);
        p.x[d] = e;
        *psa_at(&p, d, 0, 0) = 600.0;
        *psa_at(&p, d, 1, 0) = 600.0 - 20.0 - 40.0 * e;
        *psa_at(&p, d, 0, 1) = 20000.0;
        *psa_at(&p, d, 1, 1) = 20000.0 - 30.0 * (20.0 + 40.0 * e);
        *psa_at(&p, d, 0, 2) = 1e7;
        *psa_at(&p, d, 1, 2) = 1e7 + 400000.0;
        *psa_at(&p, d, 0, 3) = 100.0;
        *psa_at(&p, d, 1, 3) = 100.0 - 2.0 * e;
    }
    char dir[] = "/tmp/ccsim-test-psa-folder-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    static const char *const files[] = {"psa.csv",         "psa_parameters.csv", "psa_summary.csv",
                                        "psa_drivers.csv", "psa_ceac.csv",       "manifest.json"};
    int (*const writers[])(const char *, const struct psa *) = {
        psa_write_csv, psa_write_parameters, psa_write_summary, psa_write_drivers};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        assert_int_equal(writers[i](path, &p), 0);
    }
    snprintf(path, sizeof path, "%s/psa_ceac.csv", dir);
    assert_int_equal(psa_write_ceac(path, &p, "GBP, 2023 prices"), 0);
    char *const argv[] = {"ccsim", "psa", "baseline.cfg", "icm.cfg", "--draws", "40", "-r", "2"};
    struct manifest m = {.argc = 8,
                         .argv = argv,
                         .scenario = "baseline.cfg",
                         .model = "care",
                         .seed = 1,
                         .replications = 2,
                         .threads = 1,
                         .files = (char *const *)files,
                         .n_files = 6};
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    assert_int_equal(manifest_write(path, &m), 0);
    psa_fini(&p);

    char err[1024];
    assert_int_equal(report_write_flags(dir, REPORT_DRY_RUN, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/report.html", dir);
    size_t n;
    char *s = table_slurp(path, 1 << 24, &n, err, sizeof err);
    assert_non_null(s);
    assert_has(s, "<h1>Probabilistic sensitivity analysis</h1>");
    assert_has(s, "Over 40 parameter draws, <strong>icm</strong> had 40 fewer admissions a year "
                  "than baseline (95% uncertainty interval 21 to 59 fewer); it was better in "
                  "100% of draws.");
    assert_has(s, "It cost GBP 400,000 more a year in every draw at 2023 prices; it cost less in "
                  "0% of draws.");
    assert_has(s, "<code>a.effect</code></td><td class=\"n\">0.5</td><td class=\"n\">0.025</td>"
                  "<td class=\"n\">0.975</td><td class=\"n\">40</td>");
    assert_has(s, "<strong>icm</strong> costs least in 0% of draws (a willingness to pay of 0); "
                  "its probability of being cost-effective first reaches 50% at GBP ");
    /* Spearman of a.effect with the crises difference -2 x effect: -1. */
    assert_has(s, "the parameter that matters most is <code>a.effect</code> (rank correlation "
                  "-1.00)");
    assert_has(s, "include the uncertainty of the 1 parameter drawn from its distribution, over "
                  "40 draws");
    assert_null(strstr(s, "the parameters are taken as known, though"));
    free(s);
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_scenarios),
        cmocka_unit_test(test_without_costs),
        cmocka_unit_test(test_folder_of_the_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
