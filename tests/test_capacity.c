/*
 * The capacity of the coordination team's own work (docs/model.md 2.2.5 and 2.2.7): in-house
 * places of the services a model provides itself, the coordinator hours a linkage takes, and the
 * hours the team's own crisis response takes. Each cost is made to bind, and to vanish, on the
 * small fixture region (tests/fixtures/care/region_30y.cfg) and on W2's controlled scenario:
 * the runs' conservation audit holds throughout (support_run_load() fails a replication whose
 * audit fails), and the same scenario and seed give the same bytes.
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

#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define REGION "tests/fixtures/care/region_30y.cfg"
#define MOVES  "tests/fixtures/care/in_house_moves.cfg"
#define W2     "scenarios/verify/w2_care.cfg"
#define REPS   3
#define SEED   13

/* Eight years of the small region, four observed, with the overrides of extra. */
static void run_region(struct support_run *r, const char *const *extra)
{
    static const char *const short_run[] = {"horizon=2922", "warmup=1461", NULL};
    const char *sets[24];

    support_run_load(r, REGION, support_sets_join(sets, 24, short_run, extra), REPS, SEED);
}

static double total(const struct support_run *r, const char *name)
{
    double s = 0;
    for (long i = 0; i < r->res.replications; i++) {
        s += support_value(r, i, name);
    }
    return s;
}

/* In-house places without limit and in-house places too many to fill give the same run: a
 * place is taken as the need is met, and its length comes from a substream of its own. */
static void test_ample_in_house_places_change_nothing(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const unlimited[] = {"coordination.models[0].in_house_places=\"\"", NULL};
    const char *const ample[] = {
        "coordination.models[0].in_house_places=\"psychiatry: 1000, therapy: 1000\"", NULL};

    run_region(&a, unlimited);
    run_region(&b, ample);
    const char *const same[] = {"crises",
                                "admissions",
                                "bed_days",
                                "unmet_need_days",
                                "wait_coordination_days",
                                "needs_linked_30d_pct"};
    for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
        for (long i = 0; i < REPS; i++) {
            assert_close(support_value(&b, i, same[k]), support_value(&a, i, same[k]), 0, 0);
        }
    }
    assert_close(total(&a, "in_house_starts_per_year"), 0.0, 0, 0);
    assert_true(total(&b, "in_house_starts_per_year") > 0);
    assert_close(total(&b, "in_house_full"), 0.0, 0, 0);
    assert_close(total(&b, "standard.in_house_waiting"), 0.0, 0, 0);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* With no in-house places, needs met in house wait on the team's own list ("wait") or go to
 * the service's list ("refer"); with places, fewer needs find them full and unmet need falls. */
static void test_full_in_house_places_wait_or_refer(void **state)
{
    (void)state;
    struct support_run none_wait, none_refer, some;
    const char *const w[] = {"coordination.models[0].in_house_places=\"psychiatry: 0, therapy: 0\"",
                             "coordination.models[0].in_house_full=\"wait\"", NULL};
    const char *const r[] = {"coordination.models[0].in_house_places=\"psychiatry: 0, therapy: 0\"",
                             "coordination.models[0].in_house_full=\"refer\"", NULL};
    const char *const s[] = {
        "coordination.models[0].in_house_places=\"psychiatry: 20, therapy: 2\"",
        "coordination.models[0].in_house_full=\"wait\"", NULL};

    run_region(&none_wait, w);
    run_region(&none_refer, r);
    run_region(&some, s);
    for (long i = 0; i < REPS; i++) {
        /* Waiting: nothing is met in house or by the services, the team's list grows. */
        assert_close(support_value(&none_wait, i, "in_house_starts_per_year"), 0.0, 0, 0);
        assert_close(support_value(&none_wait, i, "psychiatry.starts_per_year"), 0.0, 0, 0);
        assert_close(support_value(&none_wait, i, "therapy.starts_per_year"), 0.0, 0, 0);
        assert_true(support_value(&none_wait, i, "in_house_full") > 0);
        assert_true(support_value(&none_wait, i, "standard.in_house_waiting") > 10);
        /* Referring: the services take them, the team's list stays empty. */
        assert_close(support_value(&none_refer, i, "standard.in_house_waiting"), 0.0, 0, 0);
        assert_true(support_value(&none_refer, i, "psychiatry.starts_per_year") > 0);
        assert_true(support_value(&none_refer, i, "therapy.starts_per_year") > 0);
        assert_true(support_value(&none_refer, i, "in_house_full") > 0);
        /* Places: some are taken, and fewer needs stay unmet than with none. */
        assert_true(support_value(&some, i, "in_house_starts_per_year") > 0);
        assert_true(support_value(&some, i, "unmet_need_days") <
                    support_value(&none_wait, i, "unmet_need_days"));
    }
    support_run_fini(&none_wait);
    support_run_fini(&none_refer);
    support_run_fini(&some);
}

/* A linkage that needs more hours than a post ever has waits for ever: nothing is linked;
 * without a cost, nothing waits for hours. */
static void test_linkage_waits_when_hours_are_spent(void **state)
{
    (void)state;
    struct support_run never, free_;
    const char *const too_long[] = {"coordination.models[0].linkage_hours=40", NULL};
    const char *const off[] = {"coordination.models[0].linkage_hours=0", NULL};

    run_region(&never, too_long);
    run_region(&free_, off);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&never, i, "linkages_without_hours") > 0);
        assert_close(support_value(&never, i, "needs_linked_30d_pct"), 0.0, 0, 0);
        assert_close(support_value(&never, i, "in_house_starts_per_year"), 0.0, 0, 0);
        assert_close(support_value(&free_, i, "linkages_without_hours"), 0.0, 0, 0);
        assert_true(support_value(&free_, i, "needs_linked_30d_pct") > 0);
        assert_true(support_value(&never, i, "unmet_need_days") >
                    support_value(&free_, i, "unmet_need_days"));
    }
    support_run_fini(&never);
    support_run_fini(&free_);
}

/* W2's controlled scenario with the team covering every hour. A crisis response comes before the
 * week's routine contacts and may leave the unit owing up to a week's hours (15 posts of 18.75
 * contact hours): one of 40 hours would owe more, so it is never available and every crisis goes
 * on to the ED (W2 has no crisis team); with no cost the team answers every one; one of 20 hours
 * is answered while the unit has at least 1.25 hours left that week, and then not until the
 * next week. */
static void run_w2_cover(struct support_run *r, const char *hours)
{
    const char *const sets[] = {"horizon=4652.5", /* 10 years after 1,000 days */
                                "coordination.models[0].crisis_cover=\"24h\"", hours, NULL};
    support_run_load(r, W2, sets, REPS, SEED);
}

static void test_crisis_goes_on_when_the_unit_has_no_hours(void **state)
{
    (void)state;
    struct support_run never, always, some;

    run_w2_cover(&never, "coordination.models[0].crisis_response_hours=40");
    run_w2_cover(&always, "coordination.models[0].crisis_response_hours=0");
    run_w2_cover(&some, "coordination.models[0].crisis_response_hours=20");
    for (long i = 0; i < REPS; i++) {
        double crises = support_value(&never, i, "crises");
        assert_true(crises > 0);
        assert_close(support_value(&never, i, "team_crisis_responses"), 0.0, 0, 0);
        assert_close(support_value(&never, i, "team_response_unavailable_pct"), 100.0, 0, 0);
        assert_close(support_value(&never, i, "ed_visits"), crises, 1e-12, 0);
        /* The same crises (common random numbers), all answered by the team. */
        assert_close(support_value(&always, i, "crises"), crises, 1e-12, 0);
        assert_close(support_value(&always, i, "team_crisis_responses"), crises, 1e-12, 0);
        assert_close(support_value(&always, i, "team_response_unavailable_pct"), 0.0, 0, 0);
        assert_close(support_value(&always, i, "ed_visits"), 0.0, 0, 0);
        double pct = support_value(&some, i, "team_response_unavailable_pct");
        assert_true(pct > 0 && pct < 100);
        assert_close(support_value(&some, i, "team_crisis_responses") +
                         support_value(&some, i, "ed_visits"),
                     support_value(&some, i, "crises"), 1e-9, 0);
    }
    support_run_fini(&never);
    support_run_fini(&always);
    support_run_fini(&some);
}

/* Needs waiting for in-house places move with their clients, posts cut shrink the places, and
 * the audit of every replication holds; the same seed gives the same bytes, on one thread or
 * two. */
static void test_moves_and_cuts_keep_the_audit_and_reproduce(void **state)
{
    (void)state;
    struct support_run a, b;

    support_run_load(&a, MOVES, NULL, REPS, SEED);
    b.sc = support_load(&b.cfg, MOVES, NULL);
    support_run_replications(&b, REPS, SEED, 1);
    assert_int_equal(a.sc->n_metrics, b.sc->n_metrics);
    size_t n = (size_t)REPS * (size_t)a.sc->n_metrics;
    assert_memory_equal(a.res.metrics, b.res.metrics, n * sizeof *a.res.metrics);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&a, i, "standard.in_house_waiting") > 0);
        assert_true(support_value(&a, i, "other.caseload") > 0);
        assert_close(support_value(&a, i, "other.in_house_waiting"), 0.0, 0, 0);
    }
    support_run_fini(&a);
    support_run_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ample_in_house_places_change_nothing),
        cmocka_unit_test(test_full_in_house_places_wait_or_refer),
        cmocka_unit_test(test_linkage_waits_when_hours_are_spent),
        cmocka_unit_test(test_crisis_goes_on_when_the_unit_has_no_hours),
        cmocka_unit_test(test_moves_and_cuts_keep_the_audit_and_reproduce),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
