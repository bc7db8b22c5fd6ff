/*
 * The sections of a report for a bid (analysis/report_bid.h), on fixture tables whose figures
 * are known: the summary says what was compared and gives each difference in words with its
 * interval and the right word for its sign ("fewer", "more", "no clear difference" when the
 * interval includes 0); the cost in the currency and at the prices of the table's unit, and a
 * cost per admission averted only where it has an interval; the counts, costs and year tables
 * hold the numbers of the table, formatted for people.
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

#include "analysis/report_bid.h"
#include "analysis/table.h"

#define UNIT "\"GBP a year, 2023 prices\""

static const char comparison_csv[] =
    "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,unit,label,headline\n"
    "crises_per_year,base,1600,1550,1650,NA,NA,NA,crises per year,Crises per year,0\n"
    "crises_per_year,act,1590,1540,1640,-10,-22,2,crises per year,Crises per year,0\n"
    "ed_visits_per_year,base,1100,1050,1150,NA,NA,NA,ED visits per year,ED visits,0\n"
    "ed_visits_per_year,act,1073,1030,1120,-27,-33,-21,ED visits per year,ED visits,0\n"
    "admissions_per_year,base,629,608,649,NA,NA,NA,admissions per year,Admissions,0\n"
    "admissions_per_year,act,592,570,610,-37,-43,-31,admissions per year,Admissions,0\n"
    "bed_days_per_year,base,20861,19918,21805,NA,NA,NA,bed-days per year,Bed-days,0\n"
    "bed_days_per_year,act,22061,21000,23000,1200,900,1500,bed-days per year,Bed-days,0\n"
    "wait_assessment_days,base,17,15,19,NA,NA,NA,days,Mean wait for assessment (days),1\n"
    "wait_assessment_days,act,16.5,14.5,18.5,-0.5,-1.25,0.25,days,Mean wait,1\n"
    "wait_coordination_days,base,20,18,22,NA,NA,NA,days,Mean wait for a coordinator,1\n"
    "wait_coordination_days,act,23,21,25,3,2.5,3.5,days,Mean wait for a coordinator,1\n"
    "by.transfer.others.wait_assessment_days,base,17,15,19,NA,NA,NA,days,Wait others,0\n"
    "by.transfer.others.wait_assessment_days,act,14,12,16,-3,-4,-2,days,Wait others,0\n"
    "by.transfer.others.wait_coordination_days,base,20,18,22,NA,NA,NA,days,Wait others,0\n"
    "by.transfer.others.wait_coordination_days,act,20,18,22,0.1,-0.5,0.7,days,Wait others,0\n"
    "cost_per_year,base,12300000,11900000,12700000,NA,NA,NA," UNIT ",Cost a year,0\n"
    "cost_per_year,act,12863661,12400000,13300000,563661,521967,605355," UNIT ",Cost a year,0\n"
    "cost_posts_per_year,base,2035000,2035000,2035000,NA,NA,NA," UNIT ",Posts,0\n"
    "cost_posts_per_year,act,2695000,2695000,2695000,660000,660000,660000," UNIT ",Posts,0\n"
    "year1.admissions_per_year,base,624,601,648,NA,NA,NA,admissions per year,Adm y1,0\n"
    "year1.admissions_per_year,act,600,580,620,-24,-30,-18,admissions per year,Adm y1,0\n"
    "year2.admissions_per_year,base,645,604,686,NA,NA,NA,admissions per year,Adm y2,0\n"
    "year2.admissions_per_year,act,610,590,630,-35,-40,-30,admissions per year,Adm y2,0\n";

static const char cost_effect_csv[] =
    "scenario,outcome,cost_diff,cost_diff_ci_low,cost_diff_ci_high,averted,averted_ci_low,"
    "averted_ci_high,cost_per_averted,ci_low,ci_high,unit,note\n"
    "act,admissions_per_year,563661,521967,605355,37,31,43,15234.1,13001.2,18200.7,"
    "\"GBP per admission averted, 2023 prices\",\n"
    "act,bed_days_per_year,563661,521967,605355,-1200,-1500,-900,NA,NA,NA,"
    "\"GBP per bed-day averted, 2023 prices\",the scenario adds to the outcome: no cost per "
    "unit averted\n";

/* Reads text as a table through a temporary file. */
static void read_text(const char *text, struct table *t)
{
    char path[] = "/tmp/ccsim-test-bid-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char err[512];
    assert_int_equal(table_read(path, t, err, sizeof err), 0);
    unlink(path);
}

/* What section writes for b, as a string (freed by the caller). */
static char *render(void (*section)(FILE *, const struct report_bid *), const struct report_bid *b)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    section(f, b);
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

static void test_comparison(void **state)
{
    (void)state;
    struct table cmp = {0}, ce = {0};
    read_text(comparison_csv, &cmp);
    read_text(cost_effect_csv, &ce);
    struct report_bid b = {.t = &cmp,
                           .is_compare = true,
                           .ce = &ce,
                           .replications = 20,
                           .validation = "A validation sentence.",
                           .steady = "A steady sentence."};
    char *s = render(report_bid_summary, &b);
    assert_has(s, "compares <strong>act</strong> with <strong>base</strong>, the reference");
    assert_has(s, "(20 replications)");
    assert_has(s, "37 fewer admissions a year (31 to 43)");
    assert_has(s, "1,200 more bed-days (900 to 1,500)");
    assert_has(s, "27 fewer ED visits (21 to 33)");
    assert_has(s, "no clear difference in crises (-22 to 2.0)");
    assert_has(s, "The mean wait for assessment: no clear difference (-1.2 to 0.25); for a "
                  "coordinator: 3.0 days longer (2.5 to 3.5).");
    assert_has(s, "For everyone else (the clients no transfer moved), the mean wait for "
                  "assessment: 3.0 days shorter (2.0 to 4.0); for a coordinator: no clear "
                  "difference (-0.5 to 0.7).");
    assert_has(s, "It costs GBP 563,661 more a year (521,967 to 605,355) at 2023 prices");
    assert_has(s, "GBP 15,234 spent per admission averted (13,001 to 18,201)");
    assert_has(s, "A validation sentence. A steady sentence.");
    free(s);

    s = render(report_bid_counts, &b);
    assert_has(s, "<td>admissions</td><td class=\"n\">629 (608 to 649)</td>");
    assert_has(s, "<td class=\"n\">592 (570 to 610)</td><td>37 fewer (31 to 43)</td>");
    free(s);

    s = render(report_bid_costs, &b);
    assert_has(s, "in GBP a year, 2023 prices");
    assert_has(s, "<td>coordinator posts</td><td class=\"n\">2.04 million");
    assert_has(s, "<td>660,000 more in every replication</td>");
    assert_has(s, "2.04 million (every replication)");
    assert_has(s, "no cost per bed-day averted: the scenario adds to the outcome");
    free(s);

    s = render(report_bid_years, &b);
    assert_has(s, "<h2>Year by year</h2>");
    assert_has(s, "<tr><td>2</td>");
    assert_has(s, "610 (590 to 630)");
    free(s);
    table_free(&cmp);
    table_free(&ce);
}

static const char summary_csv[] =
    "metric,mean,sd,ci_low,ci_high,n,unit,label,headline\n"
    "crises_per_year,1600,40,1550,1650,20,crises per year,Crises per year,0\n"
    "ed_visits_per_year,1100,40,1050,1150,20,ED visits per year,ED visits,0\n"
    "admissions_per_year,629,20,608,649,20,admissions per year,Admissions,0\n"
    "admissions_per_100k,251.6,8,243.2,259.6,20,per 100k,Admissions per 100k,0\n"
    "bed_days_per_year,20861,900,19918,21805,20,bed-days per year,Bed-days,0\n"
    "cost_per_year,NA,NA,NA,NA,20,currency a year,Cost a year,0\n";

/* A run without costs: the counts in a sentence, no cost, and a costs section that says why. */
static void test_run_without_costs(void **state)
{
    (void)state;
    struct table sum = {0};
    read_text(summary_csv, &sum);
    struct report_bid b = {.t = &sum, .validation = "", .steady = ""};
    char *s = render(report_bid_summary, &b);
    assert_has(s, "A year, the region has 629 (608 to 649) admissions, 20,861 (19,918 to 21,805) "
                  "bed-days, 1,100 (1,050 to 1,150) ED visits and 1,600 (1,550 to 1,650) crises.");
    assert_null(strstr(s, "It costs"));
    free(s);
    s = render(report_bid_counts, &b);
    assert_has(s, "<td class=\"n\">629 (608 to 649)</td><td class=\"n\">252 (243 to 260)</td>");
    free(s);
    s = render(report_bid_costs, &b);
    assert_has(s, "gives no unit costs");
    free(s);
    s = render(report_bid_years, &b);
    assert_string_equal(s, "");
    free(s);
    table_free(&sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparison),
        cmocka_unit_test(test_run_without_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
