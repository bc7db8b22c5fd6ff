/*
 * The readers of a results folder (analysis/table.c, and plot.c and report.c, which read
 * through it) and the CSV writers' quoting (analysis/csv.c).
 *
 * Each bad content gives CCSIM_EINPUT from plot_folder_flags() and report_write_flags() (dry runs:
 * no gnuplot, no Chromium) and a message naming the file and line; files saved by a spreadsheet
 * (UTF-8 byte order mark, CRLF line ends) read the same as ccsim's own; names with commas, quotes
 * and line ends go through csv_field() and table_read() unchanged; a FIFO or a folder in place of a
 * file is refused without blocking (an alarm guards it). Finally the results fuzzer's regression
 * inputs and seeds (tests/fuzz/results_regressions/, results_seeds/) are replayed through the
 * harness's own one-input function. The writers' descriptive columns (unit, label, headline)
 * round-trip through table_read(), and a report uses them (labels and units in words, headline rows
 * only) while a folder without them still reports every metric by its name. Run from the project
 * root, as `make test` does.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/compare.h"
#include "analysis/csv.h"
#include "analysis/folder.h"
#include "analysis/manifest.h"
#include "analysis/plot.h"
#include "analysis/report.h"
#include "analysis/sensitivity.h"
#include "analysis/sweep.h"
#include "analysis/table.h"
#include "analysis/warnings.h"
#include "sim/error.h"
#include "support.h"

#define FUZZ_RESULTS_NO_ENTRY
#include "fuzz/fuzz_results.c"

static const char summary_clean[] = "metric,mean,sd,ci_low,ci_high,n\n"
                                    "crises,12.385,1.25,11.02,13.75,8\n"
                                    "ed_visits,NA,NA,NA,NA,8\n"
                                    "wait_coordination_days,3.875,0.5,3.4,4.35,8\n";

static const char manifest_ok[] = "{\n  \"ccsim_version\": \"0.1.0\",\n"
                                  "  \"scenario\": \"scenarios/verify/mm1.cfg\",\n"
                                  "  \"model\": \"network\",\n  \"seed\": 7\n}\n";

static const char comparison_clean[] =
    "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\n"
    "crises,a,12.385,11.02,13.75,NA,NA,NA\n"
    "crises,b,10.25,9.5,11,-2.135,-2.9,-1.37\n";

struct fixture {
    char dir[256];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/ccsim-test-results-XXXXXX");
    if (!fx || !mkdtemp(fx->dir)) {
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    fuzz_results_remove(fx->dir, 0);
    free(fx);
    return 0;
}

static void put(const struct fixture *fx, const char *name, const char *text, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void put_text(const struct fixture *fx, const char *name, const char *text)
{
    put(fx, name, text, strlen(text));
}

static void path_of(const struct fixture *fx, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", fx->dir, name);
}

/* The text with every LF as CRLF and a byte order mark in front, as a spreadsheet saves it. */
static char *spreadsheet(const char *text, size_t *len)
{
    char *out = malloc(2 * strlen(text) + 4);
    size_t k = 0;
    assert_non_null(out);
    memcpy(out, "\xEF\xBB\xBF", 3);
    k = 3;
    for (const char *c = text; *c; c++) {
        if (*c == '\n') {
            out[k++] = '\r';
        }
        out[k++] = *c;
    }
    out[k] = '\0';
    *len = k;
    return out;
}

static void assert_tables_equal(const struct table *a, const struct table *b)
{
    assert_int_equal(a->n_cols, b->n_cols);
    assert_int_equal(a->n_rows, b->n_rows);
    for (int c = 0; c < a->n_cols; c++) {
        assert_string_equal(a->header[c], b->header[c]);
    }
    for (int r = 0; r < a->n_rows; r++) {
        assert_int_equal(a->line[r], b->line[r]);
        for (int c = 0; c < a->n_cols; c++) {
            assert_string_equal(table_at(a, r, c), table_at(b, r, c));
        }
    }
}

/* ---- descriptive columns: a model of two metrics and one series ------------------------------ */

static const struct metric_desc fake_metrics[] = {
    {"waits", "days", "Mean wait, first contact (days)", true, METRIC_LOWER_BETTER, NULL},
    {"served", "clients", "Clients served", false, METRIC_HIGHER_BETTER, NULL},
};
static const struct metric_desc fake_series[] = {
    {"queue", "clients", "Clients queueing at the week's end", false, METRIC_NEITHER, NULL},
};

static int fake_n_metrics(const void *params)
{
    (void)params;
    return 2;
}

static const struct metric_desc *fake_metric(const void *params, int i)
{
    (void)params;
    return &fake_metrics[i];
}

static int fake_n_series(const void *params)
{
    (void)params;
    return 1;
}

static const struct metric_desc *fake_one_series(const void *params, int i)
{
    (void)params;
    return &fake_series[i];
}

static const struct model_ops fake_ops = {.name = "fake",
                                          .n_metrics = fake_n_metrics,
                                          .metric = fake_metric,
                                          .n_series = fake_n_series,
                                          .series = fake_one_series};
static const struct scenario fake_sc = {
    .ops = &fake_ops, .replications = 2, .n_metrics = 2, .n_series = 1, .n_points = 2};
static double fake_values[] = {3.0, 10.0, 5.0, 12.0}; /* [r * 2 + m] */
static double fake_points[] = {1.0, 2.0, 3.0, 4.0};   /* [r * 2 + k] */

static struct experiment_result fake_result(void)
{
    return (struct experiment_result){.replications = 2,
                                      .n_metrics = 2,
                                      .metrics = fake_values,
                                      .series = fake_points,
                                      .n_series = 1,
                                      .n_points = 2};
}

static void read_fixture(const struct fixture *fx, const char *name, struct table *t)
{
    char path[512], err[512];
    path_of(fx, name, path, sizeof path);
    if (table_read(path, t, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
}

static char *slurp_fixture(const struct fixture *fx, const char *name)
{
    char path[512], err[512];
    size_t len;
    path_of(fx, name, path, sizeof path);
    char *text = table_slurp(path, 1 << 22, &len, err, sizeof err);
    if (!text) {
        fail_msg("%s", err);
    }
    return text;
}

static void test_descriptive_columns_round_trip(void **state)
{
    struct fixture *fx = *state;
    struct experiment_result res = fake_result();
    struct compare_entry e[2] = {{"a", &fake_sc, fake_result()}, {"b", &fake_sc, fake_result()}};
    char path[512];
    struct table t;

    (void)res;
    path_of(fx, "summary.csv", path, sizeof path);
    assert_int_equal(csv_write_summary_flags(path, &fake_sc, &res, CSV_DESCRIBED), 0);
    char *text = slurp_fixture(fx, "summary.csv");
    assert_string_equal(text, "metric,mean,sd,ci_low,ci_high,n,unit,label,headline,better\n"
                              "waits,4,1.414213562,-8.706204736,16.70620474,2,days,"
                              "\"Mean wait, first contact (days)\",1,lower\n"
                              "served,11,1.414213562,-1.706204736,23.70620474,2,clients,"
                              "Clients served,0,higher\n");
    free(text);
    read_fixture(fx, "summary.csv", &t);
    struct table_meta mm;
    table_metric_meta(&t, table_col(&t, "metric"), "waits", &mm);
    assert_string_equal(mm.unit, "days");
    assert_string_equal(mm.label, "Mean wait, first contact (days)");
    assert_true(mm.is_headline);
    table_metric_meta(&t, table_col(&t, "metric"), "served", &mm);
    assert_false(mm.is_headline);
    const char *h[4];
    assert_int_equal(table_headlines(&t, table_col(&t, "metric"), h, 4), 1);
    assert_string_equal(h[0], "waits");
    table_free(&t);

    /* Without CSV_DESCRIBED, the file is as before the columns existed. */
    assert_int_equal(csv_write_summary(path, &fake_sc, &res), 0);
    text = slurp_fixture(fx, "summary.csv");
    assert_non_null(strstr(text, "metric,mean,sd,ci_low,ci_high,n\nwaits,4,"));
    free(text);
    read_fixture(fx, "summary.csv", &t);
    table_metric_meta(&t, table_col(&t, "metric"), "served", &mm);
    assert_string_equal(mm.unit, "");
    assert_string_equal(mm.label, "served");
    assert_true(mm.is_headline);
    assert_int_equal(table_headlines(&t, table_col(&t, "metric"), h, 4), 2);
    table_free(&t);

    path_of(fx, "timeseries.csv", path, sizeof path);
    assert_int_equal(csv_write_timeseries_flags(path, &fake_sc, &res, CSV_DESCRIBED), 0);
    read_fixture(fx, "timeseries.csv", &t);
    assert_int_equal(t.n_rows, 2);
    assert_string_equal(table_at(&t, 1, table_col(&t, "unit")), "clients");
    assert_string_equal(table_at(&t, 1, table_col(&t, "label")),
                        "Clients queueing at the week's end");
    assert_int_equal(table_col(&t, "headline"), -1);
    table_free(&t);

    path_of(fx, "comparison.csv", path, sizeof path);
    assert_int_equal(compare_write_csv_flags(path, e, 2, CSV_DESCRIBED), 0);
    read_fixture(fx, "comparison.csv", &t);
    assert_string_equal(t.header[8], "unit");
    assert_string_equal(t.header[9], "label");
    assert_string_equal(t.header[10], "headline");
    assert_string_equal(t.header[11], "better");
    assert_int_equal(t.n_cols, 12);
    assert_int_equal(t.n_rows, 4);
    assert_string_equal(table_at(&t, 3, 0), "served");
    assert_string_equal(table_at(&t, 3, 8), "clients");
    assert_string_equal(table_at(&t, 3, 10), "0");
    assert_string_equal(table_at(&t, 3, 11), "higher");
    table_free(&t);
}

/* A report of a folder with the columns: the label and unit in words, headline rows only. */
static void test_report_uses_labels_units_and_headlines(void **state)
{
    struct fixture *fx = *state;
    struct experiment_result res = fake_result();
    char path[512], err[1024];

    path_of(fx, "summary.csv", path, sizeof path);
    assert_int_equal(csv_write_summary_flags(path, &fake_sc, &res, CSV_DESCRIBED), 0);
    put_text(fx, "manifest.json", manifest_ok);
    int rc = report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err);
    if (rc != 0) {
        fail_msg("report: %d %s", rc, err);
    }
    char *page = slurp_fixture(fx, "report.html");
    assert_non_null(strstr(page, "<td>Mean wait, first contact (days)</td><td>days</td>"
                                 "<td>waits</td><td class=\"n\">4.0</td>"));
    assert_null(strstr(page, "<td>served</td>")); /* not a headline metric */
    free(page);
}

/* A folder written before the columns existed: every metric, by its name. */
static void test_report_of_an_old_folder_shows_every_metric(void **state)
{
    struct fixture *fx = *state;
    char err[1024];

    put_text(fx, "summary.csv", summary_clean);
    put_text(fx, "manifest.json", manifest_ok);
    assert_true(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err) >= 1);
    assert_int_equal(report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err), 0);
    char *page = slurp_fixture(fx, "report.html");
    assert_non_null(strstr(page, "<td>crises</td><td></td><td>crises</td>"));
    assert_non_null(strstr(page, "<td>ed_visits</td>"));
    assert_non_null(strstr(page, "<td>wait_coordination_days</td>"));
    free(page);
}

/* Figures of a folder with the columns: titles are the labels, axes the units, headline metrics
 * only. Drawn for real, when gnuplot is here. */
static void test_plot_uses_labels_units_and_headlines(void **state)
{
    struct fixture *fx = *state;
    struct experiment_result res = fake_result();
    struct compare_entry e[2] = {{"a", &fake_sc, fake_result()}, {"b", &fake_sc, fake_result()}};
    char path[512], err[1024];

    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        skip();
    }
    path_of(fx, "comparison.csv", path, sizeof path);
    assert_int_equal(compare_write_csv_flags(path, e, 2, CSV_DESCRIBED), 0);
    path_of(fx, "timeseries.csv", path, sizeof path);
    assert_int_equal(csv_write_timeseries_flags(path, &fake_sc, &res, CSV_DESCRIBED), 0);
    put_text(fx, "manifest.json", manifest_ok);
    int n = plot_folder(fx->dir, err, sizeof err);
    if (n < 0) {
        fail_msg("plot: %s", err);
    }
    char *gp = slurp_fixture(fx, "figures/outcomes.gp");
    assert_non_null(strstr(gp, "set title \"Mean wait, first contact (days)\""));
    assert_non_null(strstr(gp, "set ylabel \"days\""));
    assert_null(strstr(gp, "Clients served")); /* not a headline metric */
    free(gp);
    gp = slurp_fixture(fx, "figures/differences.gp");
    /* The sign in words, the unit, and the better direction the metric declares. */
    assert_non_null(strstr(gp, "title \"Change from a: b minus a\\n"));
    assert_non_null(
        strstr(gp, "set xlabel \"change from a (days)\\n\xe2\x86\x90 lower is better\""));
    free(gp);
    gp = slurp_fixture(fx, "figures/timeseries.gp");
    assert_non_null(strstr(gp, "set title \"Clients queueing at the week's end\""));
    assert_non_null(strstr(gp, "set ylabel \"clients\""));
    free(gp);
}

/* ---- compare: the union of the metrics, settings that differ, each scenario's files -------- */

/* A second model with a metric the first has not, between the two it shares (as an ACT model's
 * act.* metrics sit among a scenario's), and a horizon, warm-up and seed of its own. */
static const struct metric_desc fake2_metrics[] = {
    {"waits", "days", "Mean wait, first contact (days)", true, METRIC_LOWER_BETTER, NULL},
    {"act.caseload", "clients", "ACT clients (time average)", false, METRIC_NEITHER, NULL},
    {"served", "clients", "Clients served", false, METRIC_HIGHER_BETTER, NULL},
};

static int fake2_n_metrics(const void *params)
{
    (void)params;
    return 3;
}

static const struct metric_desc *fake2_metric(const void *params, int i)
{
    (void)params;
    return &fake2_metrics[i];
}

static const struct model_ops fake2_ops = {.name = "fake2",
                                           .n_metrics = fake2_n_metrics,
                                           .metric = fake2_metric,
                                           .n_series = fake_n_series,
                                           .series = fake_one_series,
                                           .time_unit = "days"};
static double fake2_values[] = {2.0, 40.0, 11.0, 3.0, 50.0, 14.0}; /* [r * 3 + m] */

static struct experiment_result fake2_result(void)
{
    return (struct experiment_result){.replications = 2,
                                      .n_metrics = 3,
                                      .metrics = fake2_values,
                                      .series = fake_points,
                                      .n_series = 1,
                                      .n_points = 2};
}

/* Metrics only the second scenario has are kept, with its values; NA for the first and no
 * difference; the shared ones keep their paired differences. */
static void test_compare_keeps_metrics_only_the_second_has(void **state)
{
    struct fixture *fx = *state;
    const struct scenario b_sc = {
        .ops = &fake2_ops, .replications = 2, .n_metrics = 3, .n_series = 1, .n_points = 2};
    struct compare_entry e[2] = {{"a", &fake_sc, fake_result()}, {"b", &b_sc, fake2_result()}};
    char path[512];
    struct table t;

    struct compare_metrics u;
    compare_metrics_init(&u, e, 2);
    assert_int_equal(u.n, 3);
    assert_string_equal(u.desc[0]->name, "waits");
    assert_string_equal(u.desc[1]->name, "act.caseload");
    assert_string_equal(u.desc[2]->name, "served");
    assert_int_equal(u.index[1 * 2 + 0], -1);
    assert_int_equal(u.index[1 * 2 + 1], 1);
    assert_int_equal(u.index[2 * 2 + 1], 2);
    compare_metrics_fini(&u);

    path_of(fx, "comparison.csv", path, sizeof path);
    assert_int_equal(compare_write_csv_flags(path, e, 2, CSV_DESCRIBED), 0);
    read_fixture(fx, "comparison.csv", &t);
    assert_int_equal(t.n_rows, 6);
    int cm = table_col(&t, "metric"), cs = table_col(&t, "scenario"), cmean = table_col(&t, "mean"),
        cd = table_col(&t, "diff"), clo = table_col(&t, "diff_ci_low"),
        chi = table_col(&t, "diff_ci_high"), cl = table_col(&t, "label");
    /* act.caseload: NA for a, b's own mean (40 and 50), no difference, b's description. */
    assert_string_equal(table_at(&t, 2, cm), "act.caseload");
    assert_string_equal(table_at(&t, 2, cs), "a");
    for (int c = cmean; c <= chi; c++) {
        assert_string_equal(table_at(&t, 2, c), "NA");
    }
    assert_string_equal(table_at(&t, 2, cl), "ACT clients (time average)");
    assert_string_equal(table_at(&t, 3, cm), "act.caseload");
    assert_string_equal(table_at(&t, 3, cs), "b");
    assert_close(strtod(table_at(&t, 3, cmean), NULL), 45.0, 1e-9, 0);
    assert_string_equal(table_at(&t, 3, cd), "NA");
    assert_string_equal(table_at(&t, 3, clo), "NA");
    /* waits: b minus a in each replication is -1 and -2: mean -1.5. served: 11 - 10, 14 - 12. */
    assert_string_equal(table_at(&t, 1, cm), "waits");
    assert_close(strtod(table_at(&t, 1, cd), NULL), -1.5, 1e-9, 0);
    assert_true(strtod(table_at(&t, 1, clo), NULL) < -1.5);
    assert_string_equal(table_at(&t, 5, cm), "served");
    assert_close(strtod(table_at(&t, 5, cmean), NULL), 12.5, 1e-9, 0);
    assert_close(strtod(table_at(&t, 5, cd), NULL), 1.5, 1e-9, 0);
    table_free(&t);

    /* The same with the scenarios the other way round: served of the first, act.caseload of
     * the second, all six rows again. */
    struct compare_entry r[2] = {{"b", &b_sc, fake2_result()}, {"a", &fake_sc, fake_result()}};
    assert_int_equal(compare_write_csv_flags(path, r, 2, 0), 0);
    read_fixture(fx, "comparison.csv", &t);
    assert_int_equal(t.n_rows, 6);
    assert_string_equal(table_at(&t, 3, cm), "act.caseload");
    assert_string_equal(table_at(&t, 3, cs), "a");
    assert_string_equal(table_at(&t, 3, cmean), "NA");
    table_free(&t);

    /* The terminal: the table shows b's act.caseload and NA for a; the summary names it. */
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    compare_print_table(out, e, 2);
    compare_print_summary(out, e, 2);
    fclose(out);
    assert_non_null(strstr(text, "act.caseload"));
    assert_non_null(strstr(text, "(the scenario has no such metric)"));
    assert_non_null(strstr(text, "45"));
    assert_non_null(strstr(text, "b against a (b minus a; 95% intervals from 2 paired"));
    /* b minus a is -1 and -2: 1.5 lower, whose interval of two replications (-7.9 to 4.9)
     * allows no decimal. */
    assert_non_null(strstr(text,
                           "  Mean wait, first contact (days): 2 lower (8 lower to 5 higher), "
                           "no clear difference\n"));
    assert_non_null(strstr(text, "only b has act.caseload (NA for a)"));
    free(text);
}

/* The differences in words: the size, fewer/more for a count a year, the interval rounded to
 * its precision, and better or worse by the metric's direction. */
static void test_compare_describes_differences_in_words(void **state)
{
    (void)state;
    const struct metric_desc adm = {"admissions_per_year", "admissions per year",
                                    "Admissions per year", false,
                                    METRIC_LOWER_BETTER,   NULL};
    const struct metric_desc need = {"linked_pct",         "percent", "Needs met (%)", true,
                                     METRIC_HIGHER_BETTER, NULL};
    const struct metric_desc refs = {
        "referrals_per_year", "referrals per year", "Referrals", false, METRIC_NEITHER, NULL};
    char buf[256];

    compare_describe_diff(&adm, &(struct ci){.mean = -37.2, .lo = -43.1, .hi = -31.4}, buf,
                          sizeof buf);
    assert_string_equal(buf, "37 fewer (31 to 43), better");
    compare_describe_diff(&adm, &(struct ci){.mean = 37.2, .lo = 31.4, .hi = 43.1}, buf,
                          sizeof buf);
    assert_string_equal(buf, "37 more (31 to 43), worse");
    compare_describe_diff(&adm, &(struct ci){.mean = -5.2, .lo = -12.3, .hi = 1.9}, buf,
                          sizeof buf);
    assert_string_equal(buf, "5 fewer (12 fewer to 2 more), no clear difference");
    compare_describe_diff(&adm, &(struct ci){.mean = -1234.4, .lo = -1500.2, .hi = -968.0}, buf,
                          sizeof buf);
    assert_string_equal(buf, "1,230 fewer (970 to 1,500), better");
    compare_describe_diff(&need, &(struct ci){.mean = 2.34, .lo = 2.06, .hi = 2.62}, buf,
                          sizeof buf);
    assert_string_equal(buf, "2.3 higher (2.1 to 2.6), better");
    compare_describe_diff(&refs, &(struct ci){.mean = 34.4, .lo = 13.4, .hi = 55.4}, buf,
                          sizeof buf);
    assert_string_equal(buf, "34 more (13 to 55)");
    compare_describe_diff(&refs, &(struct ci){.mean = 0, .lo = 0, .hi = 0}, buf, sizeof buf);
    assert_string_equal(buf, "no change in any replication");
    compare_describe_diff(&adm, &(struct ci){.mean = 4.0, .lo = NAN, .hi = NAN}, buf, sizeof buf);
    assert_string_equal(buf, "4.00 more (no interval: fewer than two replications)");
}

/* The warning when horizons, warm-ups or seeds differ: both values in days and years, printed
 * once and kept; none when they agree. */
static void test_compare_warns_when_settings_differ(void **state)
{
    (void)state;
    const struct scenario a_sc = {.ops = &fake2_ops,
                                  .horizon = 1100,
                                  .warmup = 365,
                                  .seed = 1,
                                  .replications = 2,
                                  .n_metrics = 3};
    struct scenario b_sc = a_sc;
    struct compare_entry e[2] = {{"baseline", &a_sc, fake2_result()},
                                 {"act", &b_sc, fake2_result()}};
    struct warnings w;
    char *text = NULL;
    size_t len = 0;

    warnings_init(&w);
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(compare_warn_settings(e, 2, &w, out), 0);
    fflush(out);
    assert_int_equal(w.n, 0);
    assert_int_equal(len, 0);

    b_sc.horizon = 3652.5;
    assert_int_equal(compare_warn_settings(e, 2, &w, out), 1);
    assert_int_equal(compare_warn_settings(e, 2, &w, out), 1); /* printed and kept once */
    fclose(out);
    assert_int_equal(w.n, 1);
    assert_string_equal(text, "ccsim: compare: warning: the horizons differ: act runs 3652.5 days "
                              "(10.0 years), baseline 1100 days (3.0 years); the paired "
                              "differences then set runs of different lengths against each "
                              "other, so give every scenario the same horizon (--set "
                              "horizon=...)\n");
    free(text);

    b_sc.horizon = a_sc.horizon;
    b_sc.warmup = 100;
    b_sc.seed = 7;
    assert_int_equal(compare_warn_settings(e, 2, &w, NULL), 2);
    assert_int_equal(w.n, 3);
    assert_non_null(strstr(w.lines[1], "the warm-ups differ: act discards its first 100 days, "
                                       "baseline its first 365 days (1.0 year)"));
    assert_non_null(strstr(w.lines[2], "the seeds differ: act's scenario gives seed 7, "
                                       "baseline's seed 1; act ran with seed 1"));
    warnings_fini(&w);

    /* A model whose time has no unit says so. */
    const struct scenario n_sc = {.ops = &fake_ops, .horizon = 500, .n_metrics = 2};
    const struct scenario m_sc = {.ops = &fake_ops, .horizon = 800, .n_metrics = 2};
    struct compare_entry q[2] = {{"x", &n_sc, fake_result()}, {"y", &m_sc, fake_result()}};
    warnings_init(&w);
    assert_int_equal(compare_warn_settings(q, 2, &w, NULL), 1);
    assert_non_null(strstr(w.lines[0], "y runs 800 time units, x 500 time units"));
    warnings_fini(&w);
}

/* compare_write_files(): comparison.csv and each scenario's replications and weekly series,
 * under its name, the series as `ccsim run` writes them. */
static void test_compare_writes_each_scenarios_series(void **state)
{
    struct fixture *fx = *state;
    const struct scenario b_sc = {
        .ops = &fake2_ops, .replications = 2, .n_metrics = 3, .n_series = 1, .n_points = 2};
    struct compare_entry e[2] = {{"a", &fake_sc, fake_result()}, {"b", &b_sc, fake2_result()}};
    struct folder f = {0};
    char dest[512], path[4096], want[512];
    struct stat st;

    path_of(fx, "cmp", dest, sizeof dest);
    assert_int_equal(folder_begin(&f, dest, false), 0);
    int rc = compare_write_files(&f, e, 2);
    if (rc != 0) {
        fail_msg("%s", f.err);
    }
    static const char *const files[] = {"comparison.csv", "a.replications.csv", "a.timeseries.csv",
                                        "b.replications.csv", "b.timeseries.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        folder_file(&f, files[i], path, sizeof path);
        assert_int_equal(stat(path, &st), 0);
        assert_true(st.st_size > 0);
    }
    /* a's series is the timeseries.csv of a run of a alone. */
    path_of(fx, "timeseries.csv", want, sizeof want);
    struct experiment_result res = fake_result();
    assert_int_equal(csv_write_timeseries_flags(want, &fake_sc, &res, CSV_DESCRIBED), 0);
    char *one = slurp_fixture(fx, "timeseries.csv");
    size_t len;
    char err[512];
    folder_file(&f, "a.timeseries.csv", path, sizeof path);
    char *two = table_slurp(path, 1 << 22, &len, err, sizeof err);
    assert_non_null(two);
    assert_string_equal(one, two);
    free(one);
    free(two);
    folder_abort(&f);
    assert_int_not_equal(stat(dest, &st), 0);
}

/* ---- manifest.json: written and read back with jansson ------------------------------------- */

static void test_manifest_round_trips(void **state)
{
    struct fixture *fx = *state;
    char *argv[] = {"build/ccsim",
                    "sweep",
                    "scenarios/verify/mm1.cfg",
                    "--set",
                    "network.stations[0].servers=12",
                    "--note",
                    "say \"hi\" \\ back\tslash\nand é",
                    "--vary",
                    "x=1:2:1]"};
    char *files[] = {"sweep.csv", "manifest.json"};
    struct manifest m = {.argc = (int)(sizeof argv / sizeof argv[0]),
                         .argv = argv,
                         .scenario = "scenarios/verify/mm1.cfg",
                         .model = "network",
                         .seed = UINT64_C(9223372036854775807),
                         .replications = 7,
                         .threads = 2,
                         .started = 1764547200,  /* 2025-12-01T00:00:00Z */
                         .finished = 1764547261, /* a minute and a second later */
                         .wall_seconds = 61.23456,
                         .n_events = UINT64_C(123456789012),
                         .note = "precision 5%: reached",
                         .files = files,
                         .n_files = 2};
    char path[512], err[1024];
    struct manifest_info r;

    path_of(fx, "manifest.json", path, sizeof path);
    assert_int_equal(manifest_write(path, &m), 0);
    if (manifest_read(path, &r, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
    assert_int_equal(r.argc, m.argc);
    for (int i = 0; i < m.argc; i++) {
        assert_string_equal(r.argv[i], argv[i]);
    }
    assert_string_equal(r.scenario, m.scenario);
    char *abs = realpath(m.scenario, NULL);
    assert_non_null(abs);
    assert_string_equal(r.scenario_file, abs);
    free(abs);
    assert_string_equal(r.model, "network");
    assert_true(r.seed == 9223372036854775807LL);
    assert_int_equal(r.replications, 7);
    assert_int_equal(r.threads, 2);
    assert_string_equal(r.started, "2025-12-01T00:00:00Z");
    assert_string_equal(r.finished, "2025-12-01T00:01:01Z");
    assert_true(r.wall_seconds == 61.235); /* to the millisecond */
    assert_true(r.n_events == 123456789012LL);
    assert_non_null(r.host);
    assert_non_null(r.ccsim_version);
    assert_non_null(r.git_revision);
    assert_string_equal(r.note, m.note);
    assert_int_equal(r.n_files, 2);
    assert_string_equal(r.files[0], "sweep.csv");
    assert_string_equal(r.files[1], "manifest.json");
    manifest_info_free(&r);

    /* Keys in the documented order, ccsim_version first (what --force looks for). */
    char *text = slurp_fixture(fx, "manifest.json");
    const char *keys[] = {"ccsim_version", "git_revision", "command",  "scenario",
                          "scenario_file", "model",        "seed",     "replications",
                          "threads",       "started",      "finished", "wall_seconds",
                          "events",        "host",         "note",     "files"};
    const char *at = text;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char pat[64];
        snprintf(pat, sizeof pat, "\n  \"%s\": ", keys[k]);
        const char *p = strstr(text, pat);
        if (!p || p < at) {
            fail_msg("key %s missing or out of order in:\n%s", keys[k], text);
        }
        at = p;
    }
    assert_int_equal(strncmp(text, "{\n  \"ccsim_version\": \"", 22), 0);
    free(text);

    /* A string that is not UTF-8: written as valid JSON, its bytes beyond ASCII as '?'. */
    char *bad_argv[] = {"ccsim", "run", "caf\xe9.cfg"};
    m.argv = bad_argv;
    m.argc = 3;
    m.scenario = "caf\xe9.cfg";
    assert_int_equal(manifest_write(path, &m), 0);
    if (manifest_read(path, &r, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
    assert_string_equal(r.argv[2], "caf?.cfg");
    assert_string_equal(r.scenario, "caf?.cfg");
    assert_null(r.scenario_file);
    manifest_info_free(&r);
}

static void test_manifest_command_line_is_quoted_for_the_shell(void **state)
{
    (void)state;
    char *argv[] = {"ccsim",  "sweep", "--set", "network.stations[0].servers=12",
                    "--note", "it's",  ""};
    struct manifest_info m = {.argc = 7, .argv = argv};
    char buf[256];

    manifest_command_line(&m, buf, sizeof buf);
    assert_string_equal(buf, "ccsim sweep --set 'network.stations[0].servers=12' --note "
                             "'it'\\''s' ''");
    manifest_command_line(&m, buf, 12); /* cut, still terminated */
    assert_string_equal(buf, "ccsim sweep");
    m.argc = 0;
    manifest_command_line(&m, buf, sizeof buf);
    assert_string_equal(buf, "");
}

/* ---- sweep and sensitivity reports: their results tables ------------------------------------ */

/* The declaration of key name in the care model's table at path. */
static const struct cfg_key *care_key(const char *path, const char *name)
{
    for (int i = 0; model_registry[i]; i++) {
        if (strcmp(model_registry[i]->name, "care") != 0) {
            continue;
        }
        for (const struct cfg_table *const *t = model_registry[i]->tables; *t; t++) {
            if (strcmp((*t)->path, path) == 0) {
                return cfg_table_key(*t, name);
            }
        }
    }
    return NULL;
}

/* Three points of a sweep over one key, waits 4, 5 and 6 days on average at them. */
static double sweep_values[3][4] = {{3, 10, 5, 12}, {4, 10, 6, 12}, {5, 10, 7, 12}};

static void test_sweep_report_has_the_command_and_a_results_table(void **state)
{
    struct fixture *fx = *state;
    char *argv[] = {"ccsim",
                    "sweep",
                    "scenarios/verify/mm1.cfg",
                    "--vary",
                    "hospital.beds=40:44:2",
                    "--set",
                    "network.stations[0].servers=12",
                    "-o",
                    "out"};
    char *files[] = {"sweep.csv"};
    struct manifest m = {.argc = 9,
                         .argv = argv,
                         .scenario = "scenarios/verify/mm1.cfg",
                         .model = "care",
                         .seed = 5,
                         .replications = 2,
                         .threads = 1,
                         .files = files,
                         .n_files = 1};
    struct sweep_axis axis;
    char path[512], err[1024];

    assert_true(sweep_parse_axis("hospital.beds=40:44:2", &axis, err, sizeof err));
    const struct scenario *sc[3] = {&fake_sc, &fake_sc, &fake_sc};
    struct experiment_result res[3];
    for (int p = 0; p < 3; p++) {
        res[p] = fake_result();
        res[p].metrics = sweep_values[p];
    }
    path_of(fx, "sweep.csv", path, sizeof path);
    assert_int_equal(sweep_write_csv_flags(path, &axis, 1, 3, sc, res, CSV_DESCRIBED), 0);
    path_of(fx, "manifest.json", path, sizeof path);
    assert_int_equal(manifest_write(path, &m), 0);
    int rc = report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err);
    if (rc != 0) {
        fail_msg("report: %d %s", rc, err);
    }
    char *page = slurp_fixture(fx, "report.html");
    /* The command line whole, as a shell reads it back. */
    assert_non_null(strstr(page, "<th>command</th><td>ccsim sweep scenarios/verify/mm1.cfg "
                                 "--vary hospital.beds=40:44:2 --set "
                                 "'network.stations[0].servers=12' -o out</td>"));
    /* The grid in words (the key's help and unit, as the care model declares them), the
     * metric's label and unit, each point's mean and interval. */
    const struct cfg_key *beds = care_key("hospital", "beds");
    assert_non_null(beds);
    char want[1024];
    snprintf(want, sizeof want, "<code>hospital.beds</code> (%s; 3 values, 40 to 44 %s)",
             beds->help, beds->unit);
    if (!strstr(page, want)) {
        fail_msg("no '%s' in the page", want);
    }
    const char *h = strstr(page, "<h3>Mean wait, first contact (days)</h3>");
    assert_non_null(h);
    snprintf(want, sizeof want,
             "<tr><th>%s<br><code>hospital.beds</code> (%s)</th><th>mean (days)</th>"
             "<th>95%% CI</th><th>replications</th></tr>",
             beds->help, beds->unit);
    if (!strstr(h, want)) {
        fail_msg("no '%s' in the table", want);
    }
    const char *row[3] = {
        "<tr><td class=\"n\">40</td><td class=\"n\">4.0</td><td class=\"n\">-8.71 to 16.7</td>"
        "<td class=\"n\">2</td></tr>",
        "<tr><td class=\"n\">42</td><td class=\"n\">5.0</td><td class=\"n\">-7.71 to 17.7</td>",
        "<tr><td class=\"n\">44</td><td class=\"n\">6.0</td><td class=\"n\">-6.71 to 18.7</td>"};
    const char *at = h;
    for (int p = 0; p < 3; p++) {
        const char *q = strstr(at, row[p]);
        if (!q) {
            fail_msg("point %d not after point %d in the table:\n%s", p + 1, p, h);
        }
        at = q;
    }
    assert_null(strstr(page, "<h3>Clients served")); /* not a headline metric */
    assert_non_null(strstr(page, "<h1>Sweep</h1>"));
    free(page);
}

static const struct cfg_key beds_key = {.name = "beds", .plausible_lo = 40, .plausible_hi = 50};
static const struct cfg_key scale_key = {.name = "scale", .plausible_lo = 0.5, .plausible_hi = 2};
/* Runs at the low and high end of each parameter: beds moves waits by +1 and +5 days, scale by 0
 * and +0.5, on every replication (so each change's interval is the change itself). */
static double sens_low[2][4] = {{4, 10, 6, 12}, {3, 10, 5, 12}};
static double sens_high[2][4] = {{8, 10, 10, 12}, {3.5, 10, 5.5, 12}};

static void test_sensitivity_report_has_a_results_table(void **state)
{
    struct fixture *fx = *state;
    struct sens_param params[2] = {{"risk.scale", &scale_key, 1.0},
                                   {"hospital.beds", &beds_key, 44}};
    struct experiment_result base = fake_result(), low[2], high[2];
    char path[512], err[1024];

    for (int i = 0; i < 2; i++) {
        low[i] = fake_result();
        high[i] = fake_result();
        low[i].metrics = sens_low[1 - i];
        high[i].metrics = sens_high[1 - i];
    }
    path_of(fx, "sensitivity.csv", path, sizeof path);
    assert_int_equal(
        sens_write_csv_flags(path, params, 2, &fake_sc, &base, low, high, CSV_DESCRIBED), 0);
    put_text(fx, "manifest.json", manifest_ok);
    int rc = report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err);
    if (rc != 0) {
        fail_msg("report: %d %s", rc, err);
    }
    char *page = slurp_fixture(fx, "report.html");
    const char *h = strstr(page, "<h3>Mean wait, first contact (days)</h3>");
    assert_non_null(h);
    assert_non_null(strstr(h, "<p>Base: 4.0 days.</p>"));
    /* beds first: its range moves the wait most (the file has scale first). */
    const char *beds = strstr(h, "<tr><td><code>hospital.beds</code></td><td class=\"n\">40 to "
                                 "50</td><td class=\"n\">5.0</td><td class=\"n\">1.0</td>"
                                 "<td class=\"n\">1.0 to 1.0</td><td class=\"n\">9.0</td>"
                                 "<td class=\"n\">5.0</td><td class=\"n\">5.0 to 5.0</td></tr>");
    const char *scale = strstr(h, "<tr><td><code>risk.scale</code></td><td class=\"n\">0.5 to "
                                  "2</td><td class=\"n\">4.0</td><td class=\"n\">0.0</td>");
    if (!beds || !scale || scale < beds) {
        fail_msg("the parameters are not in the table widest first:\n%s", h);
    }
    assert_null(strstr(page, "<h3>Clients served"));
    assert_non_null(strstr(page, "<h1>One-way sensitivity</h1>"));
    free(page);
}

/* ---- the reader --------------------------------------------------------------------------- */

static void test_table_spreadsheet_file_reads_as_clean(void **state)
{
    struct fixture *fx = *state;
    struct table a, b;
    char err[512], pa[512], pb[512];
    size_t len;
    char *mangled = spreadsheet(summary_clean, &len);

    put_text(fx, "clean.csv", summary_clean);
    put(fx, "mangled.csv", mangled, len);
    free(mangled);
    path_of(fx, "clean.csv", pa, sizeof pa);
    path_of(fx, "mangled.csv", pb, sizeof pb);
    assert_int_equal(table_read(pa, &a, err, sizeof err), 0);
    assert_int_equal(table_read(pb, &b, err, sizeof err), 0);
    assert_tables_equal(&a, &b);
    assert_int_equal(table_col(&b, "metric"), 0);
    assert_int_equal(b.n_rows, 3);
    table_free(&a);
    table_free(&b);
}

static void test_plot_and_report_accept_spreadsheet_summary(void **state)
{
    struct fixture *fx = *state;
    char err[1024];
    size_t len;
    char *mangled = spreadsheet(summary_clean, &len);

    put(fx, "summary.csv", mangled, len);
    free(mangled);
    put_text(fx, "manifest.json", manifest_ok);
    assert_true(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err) >= 1);
    int rc = report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err);
    if (rc != 0) {
        fail_msg("report: %d %s", rc, err);
    }
    char page[512];
    path_of(fx, "report.html", page, sizeof page);
    FILE *f = fopen(page, "r");
    assert_non_null(f);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "<td>crises</td><td class=\"n\">12.4</td>"));
    assert_non_null(strstr(buf, "<td>wait_coordination_days</td>"));
}

static void test_table_quoted_fields(void **state)
{
    struct fixture *fx = *state;
    struct table t;
    char err[512], p[512];

    put_text(fx, "q.csv",
             "name,x\r\n"
             "\"a,b\",1\r\n"
             "\"say \"\"hi\"\"\",2\n"
             "\"two\r\nlines\",3\n"
             "\"\",4\n"
             "plain,5\n");
    path_of(fx, "q.csv", p, sizeof p);
    assert_int_equal(table_read(p, &t, err, sizeof err), 0);
    assert_int_equal(t.n_rows, 5);
    assert_string_equal(table_at(&t, 0, 0), "a,b");
    assert_string_equal(table_at(&t, 1, 0), "say \"hi\"");
    assert_string_equal(table_at(&t, 2, 0), "two\nlines");
    assert_string_equal(table_at(&t, 3, 0), "");
    assert_string_equal(table_at(&t, 4, 0), "plain");
    assert_int_equal(t.line[3], 6); /* the two-line field counts as two lines */
    assert_int_equal(t.line[4], 7);
    table_free(&t);
}

static void test_csv_field_round_trip(void **state)
{
    struct fixture *fx = *state;
    static const char *const names[] = {"crises",    "a,b",    "q\"uote", "\"",
                                        "line\nend", "cr\rlf", ",,",      "",
                                        " spaced ",  "x\"\"y", NULL};
    char p[512], err[512];
    path_of(fx, "rt.csv", p, sizeof p);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("name,value\n", f);
    for (int i = 0; names[i]; i++) {
        csv_field(f, names[i]);
        fputc(',', f);
        csv_number(f, 2.385 * i);
        fputc('\n', f);
    }
    assert_int_equal(fclose(f), 0);
    struct table t;
    assert_int_equal(table_read(p, &t, err, sizeof err), 0);
    int n = 0;
    for (int i = 0; names[i]; i++) {
        /* An empty name on an otherwise empty line would be a blank line: it is ",0" here. */
        const char *want = strcmp(names[i], "cr\rlf") == 0 ? "cr\nlf" : names[i];
        assert_string_equal(table_at(&t, n, 0), want);
        assert_close(table_num(&t, n, 1), 2.385 * i, 1e-9, 1e-12);
        n++;
    }
    assert_int_equal(t.n_rows, n);
    table_free(&t);

    /* Quoted only when needed: a plain name is written as it is. */
    char buf[64];
    FILE *m = fmemopen(buf, sizeof buf, "w");
    csv_field(m, "wait_coordination_days");
    fputc('|', m);
    csv_field(m, "a,b");
    fclose(m);
    assert_string_equal(buf, "wait_coordination_days|\"a,b\"");
}

/* ---- bad content: CCSIM_EINPUT and FILE:LINE from every reader ---------------------------- */

struct bad_case {
    const char *file;    /* written with text */
    const char *text;    /* NULL: a folder; "|": a FIFO */
    size_t len;          /* 0: strlen(text) */
    const char *message; /* expected in err after the folder's path */
    bool is_report_only; /* plot does not read it */
};

#define LONG_LINE_BYTES (TABLE_MAX_LINE + 10)

static void run_bad_case(const struct fixture *fx, const struct bad_case *c)
{
    char err[1024], want[1024];
    char path[512];

    fuzz_results_remove(fx->dir, 0);
    assert_int_equal(mkdir(fx->dir, 0700), 0);
    if (strcmp(c->file, "manifest.json") != 0) {
        put_text(fx, "manifest.json", manifest_ok);
    }
    if (strcmp(c->file, "summary.csv") != 0 && strcmp(c->file, "comparison.csv") != 0) {
        put_text(fx, "summary.csv", summary_clean);
    }
    path_of(fx, c->file, path, sizeof path);
    if (!c->text) {
        assert_int_equal(mkdir(path, 0700), 0);
    } else if (strcmp(c->text, "|") == 0) {
        assert_int_equal(mkfifo(path, 0600), 0);
    } else {
        put(fx, c->file, c->text, c->len ? c->len : strlen(c->text));
    }
    snprintf(want, sizeof want, "%s/%s", fx->dir, c->message);
    alarm(10); /* a reader that blocks fails the test instead of hanging it */
    if (!c->is_report_only) {
        err[0] = '\0';
        int rc = plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err);
        if (rc != CCSIM_EINPUT || !strstr(err, want)) {
            fail_msg("plot, %s: returned %d with '%s', expected CCSIM_EINPUT with '%s'", c->file,
                     rc, err, want);
        }
    }
    err[0] = '\0';
    int rc = report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err);
    alarm(0);
    if (rc != CCSIM_EINPUT || !strstr(err, want)) {
        fail_msg("report, %s: returned %d with '%s', expected CCSIM_EINPUT with '%s'", c->file, rc,
                 err, want);
    }
    path_of(fx, "report.html", path, sizeof path);
    assert_int_equal(access(path, F_OK), -1);
}

static const char nul_summary[] = "metric,mean,sd,ci_low,ci_high,n\ncri\0ses,1,1,1,1,8\n";
static const char png_junk[] = "\x89PNG\r\n\x1a\n\x01\x02";
static const char nul_manifest[] = "{\n\"ccsim_version\": \"0.1\"\0}\n";

static void test_bad_content_is_reported_with_file_and_line(void **state)
{
    struct fixture *fx = *state;
    char *long_line = malloc(LONG_LINE_BYTES + 64);
    assert_non_null(long_line);
    strcpy(long_line, "metric,mean,sd,ci_low,ci_high,n\n");
    size_t k = strlen(long_line);
    memset(long_line + k, 'x', LONG_LINE_BYTES);
    strcpy(long_line + k + LONG_LINE_BYTES, ",1,1,1,1,1\n");

    const struct bad_case cases[] = {
        {"summary.csv", "", 0, "summary.csv:1: empty file (a header line is expected)", false},
        {"summary.csv", "\xEF\xBB\xBF\r\n\r\n", 0, "summary.csv:1: empty file", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\n", 0,
         "summary.csv:2: no rows after the header (at least one row is expected)", false},
        {"summary.csv", "\xEF\xBB\xBFmetric,mean,sd,ci_low,ci_high,n\r\n", 0,
         "summary.csv:2: no rows after the header", false},
        {"summary.csv", "metric,mean\ncrises,1\n", 0,
         "summary.csv:1: no column 'ci_low' (the columns metric, mean, ci_low, ci_high", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high\ncrises,1,1,1,1\n", 0,
         "summary.csv:1: no column 'n'", true},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1,1,1,1,8\nx,abc,1,1,1,8\n", 0,
         "summary.csv:3: column 'mean': 'abc' is not a number (a number or NA is expected)", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,nan,1,1,1,8\n", 0,
         "summary.csv:2: column 'mean': 'nan' is not a finite number", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1,1,-inf,1,8\n", 0,
         "summary.csv:2: column 'ci_low': '-inf' is not a finite number", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1e999,1,1,1,8\n", 0,
         "summary.csv:2: column 'mean': '1e999' is not a finite number", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1e300,1,1,1,8\n", 0,
         "summary.csv:2: column 'mean': '1e300' is out of range", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1,1,1,1,2.5\n", 0,
         "summary.csv:2: column 'n': '2.5' is not a count", true},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\n,1,1,1,1,8\n", 0,
         "summary.csv:2: column 'metric' is empty (a name is expected)", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1,1,1,1,8\n\nx,1,1,1,1\n", 0,
         "summary.csv:4: 5 fields where the header has 6 (one field per column is expected)",
         false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncrises,1,1,1,1,8,9\n", 0,
         "summary.csv:2: 7 fields where the header has 6", false},
        {"summary.csv", nul_summary, sizeof nul_summary - 1,
         "summary.csv:2: a NUL byte (a text file is expected)", false},
        {"summary.csv", png_junk, sizeof png_junk - 1,
         "summary.csv:2: a control character (a text file is expected)", false},
        {"summary.csv", long_line, 0, "summary.csv:2: a line longer than 65536 bytes", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\n\"crises,1,1,1,1,8\n", 0,
         "summary.csv:2: a quoted field is not closed", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\n\"cri\"ses,1,1,1,1,8\n", 0,
         "summary.csv:2: text after a closing quote", false},
        {"summary.csv", "metric,mean,sd,ci_low,ci_high,n\ncri\"ses,1,1,1,1,8\n", 0,
         "summary.csv:2: a quote inside an unquoted field", false},
        {"summary.csv", "metric,mean,mean,ci_low,ci_high,n\ncrises,1,1,1,1,8\n", 0,
         "summary.csv:1: column 'mean' appears twice", false},
        {"summary.csv", "metric,,sd\ncrises,1,1\n", 0, "summary.csv:1: column 2 has no name",
         false},
        {"summary.csv", NULL, 0, "summary.csv: a folder, not a file (a regular file is expected)",
         false},
        {"summary.csv", "|", 0, "summary.csv: not a regular file (a regular file is expected)",
         false},
        {"comparison.csv", "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\n", 0,
         "comparison.csv:2: no rows after the header", false},
        {"comparison.csv",
         "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\n"
         "crises,../../x,1,1,1,NA,NA,NA\n",
         0, "comparison.csv:2: column 'scenario': '../../x' is not a scenario name", false},
        {"timeseries.csv", "week,metric,mean,ci_low,ci_high\n", 0,
         "timeseries.csv:2: no rows after the header", false},
        {"timeseries.csv", "week,metric,mean,ci_low,ci_high\n1.5,crises,1,1,1\n", 0,
         "timeseries.csv:2: column 'week': '1.5' is not a count", false},
        {"sweep.csv", "metric,mean,ci_low,ci_high,n\ncrises,1,1,1,3\n", 0,
         "sweep.csv:1: no varied key before 'metric'", false},
        {"sweep.csv", "hospital.beds,metric,mean,ci_low,ci_high,n\nNA,crises,1,1,1,3\n", 0,
         "sweep.csv:2: column 'hospital.beds': 'NA' is not a number (a number is expected)", false},
        {"sensitivity.csv", "parameter,low,high,metric,low_diff,high_diff\n", 0,
         "sensitivity.csv:2: no rows after the header", false},
        {"sensitivity.csv",
         "parameter,low,high,metric,low_diff,high_diff\nrisk.scale,0.5,1e16,crises,1,2\n", 0,
         "sensitivity.csv:2: column 'high': '1e16' is out of range", false},
        {"validation.csv", "row,published\nx,1\n", 0, "validation.csv:1: no column", true},
        {"manifest.json", "not json at all\n", 0,
         "manifest.json:1: not a JSON object (ccsim's manifest", false},
        {"manifest.json", "{\"model\": \"care\"}\n", 0, "manifest.json:1: no \"ccsim_version\"",
         false},
        {"manifest.json", nul_manifest, sizeof nul_manifest - 1, "manifest.json:2: a NUL byte",
         false},
        {"manifest.json", "|", 0, "manifest.json: not a regular file", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_bad_case(fx, &cases[i]);
    }
    free(long_line);
}

static void test_report_without_manifest_or_results(void **state)
{
    struct fixture *fx = *state;
    char err[1024];
    assert_int_equal(report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err), CCSIM_EINPUT);
    assert_non_null(strstr(err, "manifest.json is missing"));
    put_text(fx, "manifest.json", manifest_ok);
    assert_int_equal(report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err), CCSIM_EINPUT);
    assert_non_null(strstr(err, "holds no results to report"));
    assert_int_equal(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err), CCSIM_EINPUT);
    assert_non_null(strstr(err, "holds no file to draw from"));
}

/* ---- staging: all or nothing -------------------------------------------------------------- */

static int count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    }
    closedir(d);
    return n;
}

static void test_dry_run_leaves_nothing_and_removes_stale_staging(void **state)
{
    struct fixture *fx = *state;
    char err[1024], stale[512], path[600];

    put_text(fx, "summary.csv", summary_clean);
    put_text(fx, "comparison.csv", comparison_clean);
    put_text(fx, "manifest.json", manifest_ok);
    /* What a SIGKILLed plot and report left behind. */
    path_of(fx, ".figures.ccsim-partial-Ab3xYz", stale, sizeof stale);
    assert_int_equal(mkdir(stale, 0700), 0);
    snprintf(path, sizeof path, "%s/outcomes.png", stale);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    path_of(fx, ".report.ccsim-partial-Qw9rTy", stale, sizeof stale);
    assert_int_equal(mkdir(stale, 0700), 0);
    path_of(fx, ".figures.ccsim-lock", path, sizeof path);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);

    assert_int_equal(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err), 2);
    assert_int_equal(count_entries(fx->dir, ".figures.ccsim"), 0);
    assert_int_equal(report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err), 0);
    assert_int_equal(count_entries(fx->dir, ".report.ccsim"), 0);
    assert_int_equal(count_entries(fx->dir, "figures"), 0); /* a dry run draws nothing */
    assert_int_equal(count_entries(fx->dir, "report.html"), 1);
}

static void test_a_second_drawing_of_the_folder_is_refused(void **state)
{
    struct fixture *fx = *state;
    char err[1024];
    struct plot_stage held;

    put_text(fx, "summary.csv", summary_clean);
    assert_int_equal(plot_stage_begin(&held, fx->dir, "figures", err, sizeof err), 0);
    assert_int_equal(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err), CCSIM_ETOOL);
    assert_non_null(strstr(err, "another ccsim is writing there now"));
    assert_int_equal(count_entries(fx->dir, ".figures.ccsim-partial-"), 1); /* the live one */
    plot_stage_end(&held);
    assert_int_equal(count_entries(fx->dir, ".figures.ccsim"), 0);
}

static void test_signal_cleanup_removes_staging(void **state)
{
    struct fixture *fx = *state;
    char err[1024], path[PLOT_PATH_MAX + 20];
    struct plot_stage s;

    assert_int_equal(plot_stage_begin(&s, fx->dir, "figures", err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/outcomes.png", s.tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("half a figure", f);
    fclose(f);
    plot_on_signal();
    assert_int_equal(count_entries(fx->dir, ".figures.ccsim"), 0);
    plot_stage_end(&s); /* after the handler: nothing left to do, and no harm */
    report_on_signal(); /* nothing armed: a no-op */
}

static void test_swap_replaces_figures_and_keeps_them_on_failure(void **state)
{
    struct fixture *fx = *state;
    char err[1024], path[PLOT_PATH_MAX + 40];
    struct plot_stage s;

    path_of(fx, "figures", path, sizeof path);
    assert_int_equal(mkdir(path, 0700), 0);
    put_text(fx, "figures/old.png", "old");
    /* A drawing that fails (ended without a swap) leaves the old figures. */
    assert_int_equal(plot_stage_begin(&s, fx->dir, "figures", err, sizeof err), 0);
    plot_stage_end(&s);
    path_of(fx, "figures/old.png", path, sizeof path);
    assert_int_equal(access(path, F_OK), 0);
    /* One that succeeds replaces them whole. */
    assert_int_equal(plot_stage_begin(&s, fx->dir, "figures", err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/new.png", s.tmp);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(plot_stage_swap(&s, "figures", err, sizeof err), 0);
    plot_stage_end(&s);
    path_of(fx, "figures/new.png", path, sizeof path);
    assert_int_equal(access(path, F_OK), 0);
    path_of(fx, "figures/old.png", path, sizeof path);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(count_entries(fx->dir, ".figures.ccsim"), 0);
    /* A killed two-rename replacement (old folder aside, no figures/) is put back. */
    char aside[512];
    path_of(fx, "figures", path, sizeof path);
    path_of(fx, ".figures.ccsim-partial-Zz9Zz9.old", aside, sizeof aside);
    assert_int_equal(rename(path, aside), 0);
    assert_int_equal(plot_stage_begin(&s, fx->dir, "figures", err, sizeof err), 0);
    plot_stage_end(&s);
    path_of(fx, "figures/new.png", path, sizeof path);
    assert_int_equal(access(path, F_OK), 0);
}

/* ---- names that break CSV, gnuplot or HTML ------------------------------------------------ */

static void test_report_escapes_names(void **state)
{
    struct fixture *fx = *state;
    char err[1024], page[512];

    put_text(fx, "manifest.json", manifest_ok);
    put_text(fx, "comparison.csv",
             "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\n"
             "crises,\"a,b\",12.385,11.02,13.75,NA,NA,NA\n"
             "crises,\"q\"\"<x>\",10.25,9.5,11,-2.135,-2.9,-1.37\n");
    assert_int_equal(plot_folder_flags(fx->dir, PLOT_DRY_RUN, err, sizeof err), 2);
    assert_int_equal(report_write_flags(fx->dir, REPORT_DRY_RUN, err, sizeof err), 0);
    path_of(fx, "report.html", page, sizeof page);
    FILE *f = fopen(page, "r");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "<td>a,b</td>"));
    assert_non_null(strstr(buf, "<td>q&quot;&lt;x&gt;</td>"));
    assert_null(strstr(buf, "<x>"));
}

/* A name with a backquote or '@' reaches gnuplot as text: it never runs a command (gnuplot
 * substitutes `...` anywhere on a line). Drawn for real, when gnuplot is here. */
static void test_plot_names_run_nothing(void **state)
{
    struct fixture *fx = *state;
    char err[1024], path[600];

    if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
        skip();
    }
    put_text(fx, "manifest.json", manifest_ok);
    put_text(fx, "comparison.csv",
             "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\n"
             "crises,base,12.385,11.02,13.75,NA,NA,NA\n"
             "crises,x`touch PWNED`@y,10.25,9.5,11,-2.135,-2.9,-1.37\n");
    int n = plot_folder(fx->dir, err, sizeof err);
    assert_true(n >= 1);
    path_of(fx, "figures/PWNED", path, sizeof path);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_not_equal(access("PWNED", F_OK), 0);
    path_of(fx, "figures/outcomes.gp", path, sizeof path);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    buf[got] = '\0';
    fclose(f);
    assert_null(strchr(buf, '`'));
    assert_non_null(strstr(buf, "x\\140touch PWNED\\140\\100y"));
}

/* ---- the fuzzer's inputs ------------------------------------------------------------------ */

static void replay_folder(const char *dir, const char *base, int *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[1024];
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        uint8_t *data = malloc((size_t)st.st_size + 1);
        assert_non_null(data);
        size_t got = fread(data, 1, (size_t)st.st_size, f);
        fclose(f);
        alarm(20);
        fuzz_results_one(data, got, base);
        alarm(0);
        free(data);
        (*n)++;
    }
    closedir(d);
}

static void test_fuzz_results_inputs_replay(void **state)
{
    struct fixture *fx = *state;
    int n = 0;
    replay_folder("tests/fuzz/results_regressions", fx->dir, &n);
    replay_folder("tests/fuzz/results_seeds", fx->dir, &n);
    print_message("replayed %d results-fuzzer inputs\n", n);
    assert_true(n > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_table_spreadsheet_file_reads_as_clean, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_plot_and_report_accept_spreadsheet_summary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_table_quoted_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_field_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_content_is_reported_with_file_and_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_without_manifest_or_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dry_run_leaves_nothing_and_removes_stale_staging,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_second_drawing_of_the_folder_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_signal_cleanup_removes_staging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swap_replaces_figures_and_keeps_them_on_failure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_escapes_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_names_run_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fuzz_results_inputs_replay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descriptive_columns_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_uses_labels_units_and_headlines, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_of_an_old_folder_shows_every_metric, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_plot_uses_labels_units_and_headlines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_keeps_metrics_only_the_second_has, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_compare_describes_differences_in_words, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_compare_warns_when_settings_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare_writes_each_scenarios_series, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_round_trips, setup, teardown),
        cmocka_unit_test(test_manifest_command_line_is_quoted_for_the_shell),
        cmocka_unit_test_setup_teardown(test_sweep_report_has_the_command_and_a_results_table,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sensitivity_report_has_a_results_table, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
