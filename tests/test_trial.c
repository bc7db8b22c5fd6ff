/*
 * A randomised trial emulated in the region (the `trial` group, models/care_trial.c), on the
 * baseline region from its own state: the two arms of a trial enrol the same participants on
 * common random numbers; the criteria select whom they say; the subgroups partition the
 * participants by their use before enrolment; a crisis trial's comparator arm keeps its
 * participants from the crisis team; an arm that moves the participants to a model with more
 * contacts and 24-hour cover admits fewer of them. Every run passes the conservation audit.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tests/support.h"

#define TRIAL "tests/fixtures/care/trial.cfg"
#define REPS  4
#define SEED  20261201

/* The two arms of the fixture's trial: usual care, and the participants moved to "act". */
static void test_arms_enrol_the_same_participants(void **state)
{
    (void)state;
    /* Strong detection (both arms), so that ACT's four times as many contacts must show. */
    static const char *const usual[] = {"coordination.detect=0.9", NULL};
    static const char *const act[] = {"coordination.detect=0.9", "trial.arm=\"act\"", NULL};
    struct support_run ref, trt;
    support_run_load(&ref, TRIAL, usual, REPS, SEED);
    support_run_load(&trt, TRIAL, act, REPS, SEED);

    double d[REPS], mean, half;
    for (long i = 0; i < REPS; i++) {
        double n = support_value(&ref, i, "trial.participants");
        assert_true(n >= 30);
        assert_close(support_value(&trt, i, "trial.participants"), n, 0, 0);
        assert_close(support_value(&trt, i, "trial.baseline_bed_days_per_month"),
                     support_value(&ref, i, "trial.baseline_bed_days_per_month"), 0, 0);
        /* Nobody but the participants reaches act, and they all do in the act arm. */
        assert_close(support_value(&ref, i, "act.caseload"), 0, 0, 0);
        assert_true(support_value(&trt, i, "act.caseload") > 0.5 * n);
        assert_inside(support_value(&ref, i, "trial.admitted_pct"), 0, 100);
        assert_inside(support_value(&ref, i, "trial.lost_pct"), 0, 100);
        assert_inside(support_value(&ref, i, "trial.bed_days_per_month"), 0, 366.0 / 12);
        d[i] = support_value(&trt, i, "trial.admitted_pct") -
               support_value(&ref, i, "trial.admitted_pct");
    }
    /* ACT's contacts and 24-hour cover admit fewer participants: a paired 95% interval wholly
     * below 0. */
    support_paired_t(d, REPS, 0.025, &mean, &half);
    assert_true(mean + half < 0);
    support_run_fini(&ref);
    support_run_fini(&trt);
}

/* Eligibility by bed-days: every participant had at least min_bed_days in the window, so their
 * mean use before enrolment is at least that per month; nobody meets an impossible criterion. */
static void test_criteria_select(void **state)
{
    (void)state;
    static const char *const beds[] = {"trial.min_admissions=0", "trial.min_bed_days=60.0", NULL};
    static const char *const none[] = {"trial.min_admissions=50", NULL};
    struct support_run r, z;
    support_run_load(&r, TRIAL, beds, 2, SEED);
    support_run_load(&z, TRIAL, none, 2, SEED);
    for (long i = 0; i < 2; i++) {
        assert_true(support_value(&r, i, "trial.participants") > 0);
        assert_true(support_value(&r, i, "trial.baseline_bed_days_per_month") >=
                    60.0 / (365.0 / (365.25 / 12.0)) - 1e-9);
        assert_close(support_value(&z, i, "trial.participants"), 0, 0, 0);
        assert_true(isnan(support_value(&z, i, "trial.admitted_pct")));
    }
    support_run_fini(&r);
    support_run_fini(&z);
}

/* Subgroups by use before enrolment partition the participants, and the high-use subgroup used
 * at least the threshold, the low-use one less. */
static void test_subgroups_partition(void **state)
{
    (void)state;
    static const char *const sub[] = {"trial.subgroup_bed_days=2.0", NULL};
    struct support_run r;
    support_run_load(&r, TRIAL, sub, 2, SEED);
    for (long i = 0; i < 2; i++) {
        double lo = support_value(&r, i, "trial.low_use.participants");
        double hi = support_value(&r, i, "trial.high_use.participants");
        assert_close(lo + hi, support_value(&r, i, "trial.participants"), 0, 0);
        assert_true(lo > 0 && hi > 0);
        assert_true(support_value(&r, i, "trial.high_use.baseline_bed_days_per_month") >= 2.0);
        assert_true(support_value(&r, i, "trial.low_use.baseline_bed_days_per_month") < 2.0);
    }
    support_run_fini(&r);
}

/* A crisis trial: enrolled at a first crisis; the arm without the crisis team sends its
 * participants' crises elsewhere, so the crisis team (with places to spare, so that nobody else
 * takes the places freed) sees fewer contacts, and the same
 * participants are enrolled in both arms (their enrolling crisis comes before any difference). */
static void test_crisis_trial_comparator(void **state)
{
    (void)state;
    static const char *const crt[] = {"trial.population=\"crisis\"", "trial.min_admissions=0",
                                      "trial.follow_up=56.0",        "trial.enrol_days=300.0",
                                      "crisis_team.places=1000",     NULL};
    static const char *const no_crt[] = {"trial.population=\"crisis\"",
                                         "trial.min_admissions=0",
                                         "trial.follow_up=56.0",
                                         "trial.enrol_days=300.0",
                                         "crisis_team.places=1000",
                                         "trial.crisis_team=false",
                                         NULL};
    struct support_run a, b;
    support_run_load(&a, TRIAL, crt, 2, SEED);
    support_run_load(&b, TRIAL, no_crt, 2, SEED);
    for (long i = 0; i < 2; i++) {
        assert_true(support_value(&a, i, "trial.participants") > 100);
        assert_true(support_value(&b, i, "trial.participants") >=
                    0.95 * support_value(&a, i, "trial.participants"));
        assert_true(support_value(&b, i, "crisis_team_contacts") <
                    support_value(&a, i, "crisis_team_contacts"));
    }
    support_run_fini(&a);
    support_run_fini(&b);
}

/* A model that refers on what it detects and does not avert (refer_detected: broker case
 * management) brings those deteriorations to crisis services at once: on the same clients, more
 * crises and more admissions than when they are left to recover or go on. */
static void test_detected_and_referred_on(void **state)
{
    (void)state;
    static const char *const keep[] = {"coordination.detect=0.9", "coordination.resolve=0.2", NULL};
    static const char *const refer[] = {"coordination.detect=0.9", "coordination.resolve=0.2",
                                        "coordination.models[0].refer_detected=true", NULL};
    struct support_run a, b;
    support_run_load(&a, TRIAL, keep, REPS, SEED);
    support_run_load(&b, TRIAL, refer, REPS, SEED);
    double d[REPS], mean, half;
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&b, i, "standard.crises") >
                    support_value(&a, i, "standard.crises"));
        d[i] = support_value(&b, i, "standard.admissions") -
               support_value(&a, i, "standard.admissions");
    }
    support_paired_t(d, REPS, 0.025, &mean, &half);
    assert_true(mean - half > 0);
    support_run_fini(&a);
    support_run_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arms_enrol_the_same_participants),
        cmocka_unit_test(test_criteria_select),
        cmocka_unit_test(test_subgroups_partition),
        cmocka_unit_test(test_crisis_trial_comparator),
        cmocka_unit_test(test_detected_and_referred_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
