/*
 * The experiment runner (analysis/runner): a set of variants loads as a whole, with every
 * problem of every variant reported before anything runs; every variant runs the first one's
 * seed and replications (common random numbers), recorded in its resolved cfg; each variant's
 * results are those it gives run alone with that seed; two variants with one label are refused.
 *
 * The scenario is scenarios/verify/mm1.cfg cut to a short horizon, run from the project root as
 * make test does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/runner.h"
#include "sim/error.h"
#include "support.h"

#define MM1 "scenarios/verify/mm1.cfg"

static const struct override short_run[] = {{"horizon=2385.0", NULL}, {"warmup=100.0", NULL}};

/* Messages of the runner caught in memory. */
struct caught {
    char *text;
    size_t len;
    FILE *f;
};

static void catch_open(struct caught *c)
{
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
}

static const char *catch_close(struct caught *c)
{
    fclose(c->f);
    c->f = NULL;
    return c->text ? c->text : "";
}

static struct runner_spec spec_of(FILE *msgs)
{
    return (struct runner_spec){
        .name = "compare",
        .unit = "scenarios",
        .common = short_run,
        .n_common = 2,
        .threads = 2,
        .progress = RUNNER_PROGRESS_NONE,
        .report = RUNNER_REPORT_EACH,
        .budget = RUNNER_BUDGET_NONE,
        .msgs = msgs,
    };
}

/* The resolved text of cfg c (caller frees). */
static char *resolved(const struct cfg *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(cfg_write(c, f, NULL), 0);
    fclose(f);
    return text;
}

static void test_runner_applies_common_random_numbers(void **state)
{
    (void)state;
    static const struct override other[] = {{"seed=7919", NULL}, {"replications=5", NULL}};
    const struct variant v[] = {
        {.label = "first", .path = MM1},
        {.label = "second", .path = MM1, .own = other, .n_own = 2},
    };
    struct caught msgs;
    struct runner r;

    catch_open(&msgs);
    struct runner_spec spec = spec_of(msgs.f);
    assert_int_equal(runner_load(&r, &spec, v, 2), 0);
    assert_string_equal(catch_close(&msgs), "");
    free(msgs.text);
    assert_int_equal(r.n, 2);
    assert_true(r.sc[1]->seed == 7919 && r.sc[1]->replications == 5);
    assert_true(r.seed == 3 && r.replications == 10);

    /* The second variant's resolved scenario says what it ran with, and why. */
    char *text = resolved(&r.cfg[1]);
    assert_non_null(strstr(text, "seed = 3;"));
    assert_non_null(strstr(text, "replications = 10;"));
    assert_non_null(strstr(text, "compare (the first scenario's seed)"));
    assert_non_null(strstr(text, "compare (the first scenario's replications)"));
    free(text);
    text = resolved(&r.cfg[0]);
    assert_null(strstr(text, "the first scenario's"));
    free(text);

    assert_int_equal(runner_run(&r), 0);
    assert_int_equal(r.n_run, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r.res[i].replications, 10);
    }

    /* Each variant's results are those it gives alone, with the set's seed and replications. */
    static const struct override alone_ov[] = {
        {"seed=7919", NULL}, {"replications=5", NULL}, {"seed=3", NULL}, {"replications=10", NULL}};
    const struct variant alone = {.label = "alone", .path = MM1, .own = alone_ov, .n_own = 4};
    struct runner one;
    spec.threads = 1; /* and whatever the threads */
    assert_int_equal(runner_load(&one, &spec, &alone, 1), 0);
    assert_int_equal(runner_run(&one), 0);
    assert_int_equal(one.res[0].n_metrics, r.res[1].n_metrics);
    size_t n = (size_t)one.res[0].replications * (size_t)one.res[0].n_metrics;
    assert_memory_equal(one.res[0].metrics, r.res[1].metrics, n * sizeof(double));
    assert_true(one.n_events == r.res[1].n_events);
    runner_fini(&one);
    runner_fini(&r);
}

static void test_runner_reports_every_problem_of_every_variant(void **state)
{
    (void)state;
    static const struct override bad_a[] = {{"network.stations[0].servers=0", NULL}};
    static const struct override bad_b[] = {{"warmup=-2.385", NULL}};
    const struct variant v[] = {
        {.label = "a", .path = MM1, .own = bad_a, .n_own = 1},
        {.label = "b", .path = MM1, .own = bad_b, .n_own = 1},
    };
    struct caught msgs;
    struct runner r;

    catch_open(&msgs);
    struct runner_spec spec = spec_of(msgs.f);
    assert_int_equal(runner_load(&r, &spec, v, 2), CCSIM_EINPUT);
    const char *text = catch_close(&msgs);
    assert_non_null(strstr(text, "network.stations[0].servers"));
    assert_non_null(strstr(text, "warmup"));
    const char *first = strstr(text, "nothing was run");
    assert_non_null(first);
    assert_non_null(strstr(first + 1, "nothing was run"));
    assert_int_equal(r.n_bad, 2);
    assert_int_equal(r.n_run, 0);
    runner_fini(&r);
    free(msgs.text);

    /* Variants of one scenario: each distinct problem once, then a count. */
    const struct variant same[] = {
        {.label = "point 1", .path = MM1, .own = bad_a, .n_own = 1},
        {.label = "point 2", .path = MM1, .own = bad_a, .n_own = 1},
        {.label = "point 3", .path = MM1},
    };
    catch_open(&msgs);
    spec = spec_of(msgs.f);
    spec.report = RUNNER_REPORT_POINTS;
    spec.name = "sweep";
    spec.unit = "points";
    assert_int_equal(runner_load(&r, &spec, same, 3), CCSIM_EINPUT);
    text = catch_close(&msgs);
    const char *p = strstr(text, "0 is out of range");
    assert_non_null(p);
    assert_null(strstr(p + 1, "0 is out of range"));
    assert_non_null(strstr(text, "ccsim: sweep: 2 of 3 points have problems; nothing was run\n"));
    runner_fini(&r);
    free(msgs.text);
}

static void test_runner_refuses_duplicate_labels(void **state)
{
    (void)state;
    const struct variant v[] = {
        {.label = "mm1", .path = MM1},
        {.label = "mm1", .path = "tests/../" MM1},
    };
    struct caught msgs;
    struct runner r;

    catch_open(&msgs);
    struct runner_spec spec = spec_of(msgs.f);
    assert_int_equal(runner_load(&r, &spec, v, 2), CCSIM_EINPUT);
    const char *text = catch_close(&msgs);
    assert_non_null(strstr(text, "ccsim: compare: two scenarios are named 'mm1' (" MM1
                                 " and tests/../" MM1 "); rename one\n"));
    assert_int_equal(r.n_bad, 0);
    runner_fini(&r);
    free(msgs.text);
}

/* A scenario with eight warnings (tests/cli/warnings.sh lists them), loaded twice. */
static void test_runner_keeps_each_warning_once(void **state)
{
    (void)state;
    const struct variant v[] = {
        {.label = "a", .path = "tests/scenarios/good/warnings/planner_mistakes.cfg"},
        {.label = "b", .path = "tests/scenarios/good/warnings/planner_mistakes.cfg"},
    };
    struct warnings w;
    struct caught msgs;
    struct runner r;

    warnings_init(&w);
    catch_open(&msgs);
    struct runner_spec spec = spec_of(msgs.f);
    spec.common = NULL;
    spec.n_common = 0;
    spec.warnings = &w;
    assert_int_equal(runner_load(&r, &spec, v, 2), 0);
    const char *text = catch_close(&msgs);
    int n_lines = 0;
    for (const char *s = text; (s = strchr(s, '\n')); s++) {
        n_lines++;
    }
    assert_int_equal(w.n, 8);
    assert_int_equal(n_lines, 8);
    for (int i = 0; i < w.n; i++) {
        assert_non_null(strstr(w.lines[i], ": warning: "));
        for (int k = 0; k < i; k++) {
            assert_string_not_equal(w.lines[i], w.lines[k]);
        }
    }
    runner_fini(&r);
    warnings_fini(&w);
    free(msgs.text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner_applies_common_random_numbers),
        cmocka_unit_test(test_runner_reports_every_problem_of_every_variant),
        cmocka_unit_test(test_runner_refuses_duplicate_labels),
        cmocka_unit_test(test_runner_keeps_each_warning_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
