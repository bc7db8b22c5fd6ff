/*
 * Random-stream discipline of the care model (models/care_int.h, enum care_draw): each random
 * decision of a client has its own substream, so two scenarios of a comparison stay in step.
 *
 * The model's test hook (struct model_run.trace) records every draw of every client and every
 * stage it enters. Two runs of the baseline region, same seed and replication, differ only in
 * the length distribution (a gamma, rejection-sampled) of one service whose places are never
 * all taken: that service's lengths then change nothing else, so
 *   (a) every client's journey (stages entered and their times) is byte-identical, and
 *   (b) every other draw of every client, in order, is byte-identical; only the service's own
 *       lengths differ.
 * Before the fix the gamma shared the client's care stream, so the first length drawn threw
 * every later decision of that client (and through shared resources, of others) out of step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "models/care_int.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define BASELINE "tests/fixtures/care/region_30y.cfg"
#define HOUSING  2 /* services[2] in the baseline, gamma lengths */

struct rec {
    uint32_t entity;
    int kind;
    int what;
    double t;
    double value;
};

struct trace {
    struct rec *r;
    size_t n, cap;
};

static void record(void *ctx, enum model_trace_kind kind, uint32_t entity, int what, double t,
                   double value)
{
    struct trace *tr = ctx;

    if (tr->n == tr->cap) {
        tr->cap = tr->cap ? 2 * tr->cap : 1 << 16;
        tr->r = realloc(tr->r, tr->cap * sizeof *tr->r);
        assert_non_null(tr->r);
    }
    tr->r[tr->n++] = (struct rec){entity, (int)kind, what, t, value};
}

/* Runs replication 0 of the baseline (3 years, 1 of warm-up) with the overrides, tracing. */
static void run_traced(const char *const *sets, struct trace *tr)
{
    static const char *const three_years[] = {
        "horizon=1095.75", "warmup=365.25",
        /* Housing never full: its lengths then touch nothing but themselves. */
        "services[2].places=100000", NULL};
    const char *all[8];
    struct cfg c;
    struct scenario *sc = support_load(&c, BASELINE, support_sets_join(all, 8, three_years, sets));
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    struct model_run out = {.metrics = metrics, .trace = record, .trace_ctx = tr};
    assert_int_equal(scenario_run(sc, 7, 0, &out), 0);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
}

/* The records of one kind, for one client ordering: each client's records keep their order. */
static size_t select_kind(const struct trace *tr, int kind, struct rec *out)
{
    size_t n = 0;

    for (size_t i = 0; i < tr->n; i++) {
        if (tr->r[i].kind == kind) {
            out[n++] = tr->r[i];
        }
    }
    return n;
}

static const char *const longer[] = {"services[2].length.mean=240.0", "services[2].length.sd=150.0",
                                     NULL};

static void test_service_length_changes_no_journey(void **state)
{
    (void)state;
    struct trace a = {0}, b = {0};

    run_traced(NULL, &a);
    run_traced(longer, &b);
    struct rec *sa = calloc(a.n, sizeof *sa), *sb = calloc(b.n, sizeof *sb);
    size_t na = select_kind(&a, MODEL_TRACE_STAGE, sa);
    size_t nb = select_kind(&b, MODEL_TRACE_STAGE, sb);
    printf("  %zu journey steps\n", na);
    assert_true(na > 1000);
    assert_int_equal(na, nb);
    assert_memory_equal(sa, sb, na * sizeof *sa);
    free(sa);
    free(sb);
    free(a.r);
    free(b.r);
}

static void test_gamma_parameters_change_no_other_draw(void **state)
{
    (void)state;
    struct trace a = {0}, b = {0};

    run_traced(NULL, &a);
    run_traced(longer, &b);
    struct rec *da = calloc(a.n, sizeof *da), *db = calloc(b.n, sizeof *db);
    size_t na = select_kind(&a, MODEL_TRACE_DRAW, da);
    size_t nb = select_kind(&b, MODEL_TRACE_DRAW, db);
    assert_int_equal(na, nb);
    size_t n_lengths = 0, n_changed = 0;
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(da[i].entity, db[i].entity);
        assert_int_equal(da[i].what, db[i].what);
        assert_true(da[i].t == db[i].t);
        if (da[i].what == CARE_DRAW_SERVICE_LENGTH + HOUSING) {
            n_lengths++;
            n_changed += da[i].value != db[i].value;
        } else if (memcmp(&da[i].value, &db[i].value, sizeof da[i].value) != 0) {
            fail_msg("draw %zu (client %u, decision %d) changed: %.17g -> %.17g", i, da[i].entity,
                     da[i].what, da[i].value, db[i].value);
        }
    }
    printf("  %zu draws, %zu housing lengths (%zu changed)\n", na, n_lengths, n_changed);
    assert_true(n_lengths > 20);
    assert_int_equal(n_changed, n_lengths);
    free(da);
    free(db);
    free(a.r);
    free(b.r);
}

/* A run with the hook gives the same metrics as a run without it. */
static void test_trace_changes_no_result(void **state)
{
    (void)state;
    static const char *const two_years[] = {"horizon=730.5", "warmup=365.25", NULL};
    struct cfg c;
    struct trace tr = {0};
    struct scenario *sc = support_load(&c, BASELINE, two_years);
    double *m1 = calloc((size_t)sc->n_metrics, sizeof *m1);
    double *m2 = calloc((size_t)sc->n_metrics, sizeof *m2);
    struct model_run plain = {.metrics = m1};
    struct model_run traced = {.metrics = m2, .trace = record, .trace_ctx = &tr};
    assert_int_equal(scenario_run(sc, 3, 1, &plain), 0);
    assert_int_equal(scenario_run(sc, 3, 1, &traced), 0);
    assert_memory_equal(m1, m2, (size_t)sc->n_metrics * sizeof *m1);
    assert_true(tr.n > 0);
    free(tr.r);
    free(m1);
    free(m2);
    scenario_destroy(sc);
    cfg_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_length_changes_no_journey),
        cmocka_unit_test(test_gamma_parameters_change_no_other_draw),
        cmocka_unit_test(test_trace_changes_no_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
