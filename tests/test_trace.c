/*
 * The journeys of one replication (ccsim run --trace; analysis/trace.h, the care model's
 * journey hook in models/care.c):
 *   - the rows counted after the warm-up are the counts the replication's metrics are made of:
 *     crises, admissions, ED visits and referrals a year times the observed years, gatekeeping
 *     diversions, out-of-area placements and disengagements through the rates' client-years,
 *     the contacts missed and the discharges followed up as percentages; with either crisis
 *     process;
 *   - tracing changes no result (every metric and series bit for bit), and the rows are in time
 *     order with a name for every code;
 *   - a start from a snapshot gives one "initial" row per client of it;
 *   - the row limit keeps the first rows, counts the rest and says so in the file and in words.
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

#include "analysis/trace.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define FIXTURE "tests/fixtures/care/trace.cfg"
#define SEED    11

/* A loaded scenario, one replication run with or without a trace. */
struct traced {
    struct cfg cfg;
    struct scenario *sc;
    double *metrics, *series;
    struct trace tr;
};

static void run_one(struct traced *t, const char *path, const char *const *sets, unsigned rep,
                    bool trace, size_t limit)
{
    memset(t, 0, sizeof *t);
    t->sc = support_load(&t->cfg, path, sets);
    t->metrics = calloc((size_t)t->sc->n_metrics, sizeof *t->metrics);
    size_t points = (size_t)t->sc->n_series * (size_t)t->sc->n_points;
    t->series = calloc(points ? points : 1, sizeof *t->series);
    assert_non_null(t->metrics);
    assert_non_null(t->series);
    trace_init(&t->tr, (long)rep, limit);
    struct model_run out = {.metrics = t->metrics, .series = points ? t->series : NULL};
    if (trace) {
        out.journey = trace_record;
        out.journey_ctx = &t->tr;
    }
    assert_int_equal(scenario_run(t->sc, SEED, rep, &out), 0);
}

static void traced_fini(struct traced *t)
{
    trace_fini(&t->tr);
    free(t->metrics);
    free(t->series);
    scenario_destroy(t->sc);
    cfg_fini(&t->cfg);
}

static double metric(const struct traced *t, const char *name)
{
    for (int i = 0; i < t->sc->n_metrics; i++) {
        if (strcmp(scenario_metric_name(t->sc, i), name) == 0) {
            return t->metrics[i];
        }
    }
    fail_msg("no metric %s", name);
    return NAN;
}

/* The code of the event called name, failing the test when the model has none. */
static int event_code(const struct scenario *sc, const char *name)
{
    for (int i = 0; i < 256; i++) {
        const char *s = sc->ops->journey_name(sc->params, MODEL_JOURNEY_EVENT, i);
        if (s && strcmp(s, name) == 0) {
            return i;
        }
    }
    fail_msg("no event %s", name);
    return -1;
}

/* Rows of event name at or after the warm-up (the metrics count from then on). */
static double rows(const struct traced *t, const char *name)
{
    int code = event_code(t->sc, name);
    uint64_t n = 0;
    for (size_t i = 0; i < t->tr.n; i++) {
        n += t->tr.ev[i].event == code && t->tr.ev[i].t >= t->sc->warmup;
    }
    return (double)n;
}

/* Counts are whole: a count from a metric is its nearest integer, within rounding. */
static void assert_count(double from_metric, double counted)
{
    assert_close(from_metric, round(from_metric), 0.0, 1e-6 * fmax(1.0, from_metric));
    assert_close(counted, round(from_metric), 0.0, 0.0);
}

static void check_counts(const struct traced *t, bool states)
{
    double years = (t->sc->horizon - t->sc->warmup) / 365.25;
    double crises = rows(t, "crisis");

    assert_true(t->tr.n > 1000);
    assert_true(crises > 20 && rows(t, "admission") > 5 && rows(t, "ed_visit") > 5);
    assert_count(metric(t, "crises_per_year") * years, crises);
    assert_count(metric(t, "admissions_per_year") * years, rows(t, "admission"));
    assert_count(metric(t, "ed_visits_per_year") * years, rows(t, "ed_visit"));
    assert_count(metric(t, "referrals_per_year") * years, rows(t, "referral"));
    assert_count(metric(t, "crisis_team_diversions_per_year") * years, rows(t, "home_treatment"));
    /* Client-years in the service, from the crisis rate: the rates' denominator. */
    double cy = 100.0 * crises / metric(t, "crises");
    assert_count(metric(t, "out_of_area_placements") * cy / 100.0, rows(t, "out_of_area"));
    assert_count(metric(t, "crisis_team_contacts") * cy / 100.0, rows(t, "crisis_team"));
    assert_count(metric(t, "team_crisis_responses") * cy / 100.0, rows(t, "team_response"));
    double missed = rows(t, "missed_contact") + rows(t, "contact_no_hours");
    double due = missed + rows(t, "contact");
    assert_close(metric(t, "missed_contacts_pct"), 100.0 * missed / due, 1e-12, 0.0);
    if (states) {
        assert_count(metric(t, "disengaged") * cy / 100.0, rows(t, "disengaged"));
        assert_close(metric(t, "followup_7d_pct"),
                     100.0 * rows(t, "followed_up") / rows(t, "discharge"), 1e-12, 0.0);
        assert_true(rows(t, "home_treatment") > 0); /* the fixture gatekeeps */
        assert_true(rows(t, "boarding") > 0);       /* and has few beds */
    }
}

static void test_counts_match_the_metrics(void **state)
{
    (void)state;
    struct traced t;

    run_one(&t, FIXTURE, NULL, 1, true, TRACE_DEFAULT_ROWS);
    check_counts(&t, true);
    assert_int_equal(t.tr.n_dropped, 0);
    traced_fini(&t);
}

static void test_counts_match_with_crisis_journeys(void **state)
{
    (void)state;
    static const char *const poisson[] = {"risk.process=\"poisson\"", "risk.poisson_rate=2.0",
                                          NULL};
    struct traced t;

    run_one(&t, FIXTURE, poisson, 2, true, TRACE_DEFAULT_ROWS);
    check_counts(&t, false);
    traced_fini(&t);
}

static void test_trace_changes_no_result(void **state)
{
    (void)state;
    struct traced a, b;

    run_one(&a, FIXTURE, NULL, 0, false, TRACE_DEFAULT_ROWS);
    run_one(&b, FIXTURE, NULL, 0, true, TRACE_DEFAULT_ROWS);
    assert_int_equal(a.tr.n, 0); /* off: nothing recorded */
    assert_true(b.tr.n > 1000);
    assert_memory_equal(a.metrics, b.metrics, (size_t)a.sc->n_metrics * sizeof *a.metrics);
    assert_memory_equal(a.series, b.series,
                        (size_t)a.sc->n_series * (size_t)a.sc->n_points * sizeof *a.series);
    /* In time order, every code named. */
    for (size_t i = 0; i < b.tr.n; i++) {
        const struct model_event *e = &b.tr.ev[i];
        assert_true(i == 0 || e->t >= b.tr.ev[i - 1].t);
        assert_non_null(b.sc->ops->journey_name(b.sc->params, MODEL_JOURNEY_EVENT, e->event));
        assert_non_null(b.sc->ops->journey_name(b.sc->params, MODEL_JOURNEY_STAGE, e->stage));
        assert_true(e->model == -1 ||
                    b.sc->ops->journey_name(b.sc->params, MODEL_JOURNEY_MODEL, e->model));
        assert_true(e->service == -1 ||
                    b.sc->ops->journey_name(b.sc->params, MODEL_JOURNEY_SERVICE, e->service));
    }
    traced_fini(&a);
    traced_fini(&b);
}

/* The shipped baseline starts from its snapshot: one "initial" row per client of it, at day 0. */
static void test_snapshot_clients_start_the_trace(void **state)
{
    (void)state;
    static const char *const short_run[] = {"horizon=30", "warmup=0", NULL};
    struct traced t;

    run_one(&t, "scenarios/care/baseline.cfg", short_run, 0, true, TRACE_DEFAULT_ROWS);
    FILE *f = fopen("scenarios/care/baseline_state.csv", "r");
    assert_non_null(f);
    long lines = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF) {
        lines += ch == '\n';
    }
    fclose(f);
    /* The snapshot's clients are the first serial numbers: each one's first row is its
     * "initial" row, at day 0, and no other client has one. */
    int code = event_code(t.sc, "initial");
    long n = lines - 1; /* less the header */
    char *seen = calloc((size_t)n, 1);
    long n_initial = 0;
    assert_non_null(seen);
    for (size_t i = 0; i < t.tr.n; i++) {
        const struct model_event *e = &t.tr.ev[i];
        if (e->event == code) {
            assert_true(e->t == 0.0);
            assert_true(e->entity < (uint32_t)n && !seen[e->entity]);
            n_initial++;
        } else {
            assert_true(e->entity >= (uint32_t)n || seen[e->entity]);
        }
        if (e->entity < (uint32_t)n) {
            seen[e->entity] = 1;
        }
    }
    assert_int_equal(n_initial, n);
    free(seen);
    traced_fini(&t);
}

static void test_limit_keeps_the_first_rows_and_says_so(void **state)
{
    (void)state;
    struct traced all, cut;
    char path[] = "/tmp/ccsim_trace_XXXXXX", line[512];

    run_one(&all, FIXTURE, NULL, 0, true, TRACE_DEFAULT_ROWS);
    run_one(&cut, FIXTURE, NULL, 0, true, 100);
    assert_int_equal(cut.tr.n, 100);
    assert_int_equal(cut.tr.n_dropped, all.tr.n - 100);
    assert_memory_equal(cut.tr.ev, all.tr.ev, 100 * sizeof *cut.tr.ev);
    assert_true(cut.tr.t_dropped == all.tr.ev[100].t);
    assert_memory_equal(cut.metrics, all.metrics, (size_t)all.sc->n_metrics * sizeof *all.metrics);
    assert_false(trace_truncation(&all.tr, "trace.csv", line, sizeof line));
    assert_true(trace_truncation(&cut.tr, "trace.csv", line, sizeof line));
    assert_non_null(strstr(line, "trace.csv is truncated"));
    assert_non_null(strstr(line, "--trace-rows"));

    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(trace_write(path, cut.sc, &cut.tr), 0);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char row[256], last[256] = "";
    int n = 0;
    assert_non_null(fgets(row, sizeof row, f));
    assert_string_equal(row, "replication,time_days,client,event,stage,model,service\n");
    while (fgets(row, sizeof row, f)) {
        int commas = 0;
        for (char *s = row; *s; s++) {
            commas += *s == ',';
        }
        assert_int_equal(commas, 6);
        snprintf(last, sizeof last, "%s", row);
        n++;
    }
    fclose(f);
    remove(path);
    assert_int_equal(n, 101);
    char want[128];
    snprintf(want, sizeof want, "0,%.10g,,truncated,,,\n", cut.tr.t_dropped);
    assert_string_equal(last, want);
    traced_fini(&all);
    traced_fini(&cut);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_the_metrics),
        cmocka_unit_test(test_counts_match_with_crisis_journeys),
        cmocka_unit_test(test_trace_changes_no_result),
        cmocka_unit_test(test_snapshot_clients_start_the_trace),
        cmocka_unit_test(test_limit_keeps_the_first_rows_and_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
