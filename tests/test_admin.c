/*
 * The care model's administration per client held (admin_hours_per_client, docs/model.md 2.2.4):
 * a unit's weekly contact hours are its posts' hours less admin_hours_per_client for each client
 * it holds, so the contact hours per client and a contact's effect fall faster as the caseload
 * grows, and run out when administration takes every hour.
 *
 * The checks are closed forms on a small region whose caseload cannot move once full: two posts
 * with a limit of 20, far more referrals than places, episodes of a hundred years and no loss
 * of contact, so after the warm-up every unit holds exactly 20 clients at every contact. Then
 *
 *     hours_per_client_week = W / 20 - a,
 *     contact_effect        = floor + (1 - floor) x min(1, (W - 20 a) / 20 / full_effect_hours),
 *
 * with W = hours_per_week x (1 - admin_share) x (1 - sickness) a post's hours and a the
 * administration per client. The tolerances only allow for rounding.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "models/model.h"
#include "sim/cfg.h"
#include "support.h"

#define BASELINE "tests/fixtures/care/region_30y.cfg"
#define REPS     2
#define LIMIT    20
#define HOURS    37.5
#define SHARE    0.2875
#define SICKNESS 0.0375
#define FULL     4.85
#define FLOOR    0.3

/* The small region with administration per client a (hours per client-week), on one thread. */
static void run_admin(struct support_run *r, double a)
{
    char admin[96];
    const char *const sets[] = {
        "horizon=420",
        "warmup=210",
        "coordination.models[0].posts=2",
        "coordination.models[0].caseload_limit=20",
        "coordination.models[0].hours_per_week=37.5",
        "coordination.models[0].admin_share=0.2875",
        "coordination.models[0].sickness=0.0375",
        "coordination.models[0].episode_days=36525",
        "coordination.models[0].episode_sd_days=1",
        "coordination.models[0].disengagement=0",
        "coordination.models[0].missed_disengage=0",
        "coordination.models[0].effect_shape=\"linear\"",
        "coordination.models[0].full_effect_hours=4.85",
        "coordination.models[0].effect_floor=0.3",
        admin,
        NULL,
    };

    snprintf(admin, sizeof admin, "coordination.models[0].admin_hours_per_client=%.17g", a);
    r->sc = support_load(&r->cfg, BASELINE, sets);
    support_run_replications(r, REPS, 7, 1);
}

/* A post's weekly hours after admin_share and sickness. */
static double post_hours(void)
{
    return HOURS * (1.0 - SHARE) * (1.0 - SICKNESS);
}

/* Contact hours per client and the effect of a contact follow the closed forms, and fall as
 * the administration per client grows. */
static void test_contact_hours_per_client_fall_with_admin_per_client(void **state)
{
    static const double admin[] = {0.0, 0.2375, 0.6125};
    double last_hours = INFINITY, last_effect = INFINITY;
    (void)state;

    for (size_t k = 0; k < sizeof admin / sizeof admin[0]; k++) {
        struct support_run r;
        run_admin(&r, admin[k]);
        double w = post_hours();
        double hours = w / LIMIT - admin[k];
        double x = fmin(1.0, (w - LIMIT * admin[k]) / LIMIT / FULL);
        double effect = FLOOR + (1.0 - FLOOR) * x;
        for (long i = 0; i < REPS; i++) {
            /* Full caseloads throughout: the closed forms hold only then. */
            assert_close(support_value(&r, i, "caseload"), 2.0 * LIMIT, 1e-9, 0);
            assert_close(support_value(&r, i, "hours_per_client_week"), hours, 1e-9, 1e-12);
            assert_close(support_value(&r, i, "contact_effect"), effect, 1e-9, 1e-12);
        }
        assert_true(hours < last_hours);
        assert_true(effect < last_effect);
        last_hours = hours;
        last_effect = effect;
        support_run_fini(&r);
    }
}

/* Administration that takes every hour of a full caseload (20 x 1.3875 > W, about 25.7): the
 * check warns, no contact happens, every contact due is missed, and no hours are left. */
static void test_admin_taking_every_hour_leaves_no_contacts(void **state)
{
    struct support_run r;
    (void)state;

    assert_true(LIMIT * 1.3875 > post_hours());
    run_admin(&r, 1.3875);
    assert_true(cfg_n_warnings(&r.cfg) >= 1);
    for (long i = 0; i < REPS; i++) {
        assert_close(support_value(&r, i, "caseload"), 2.0 * LIMIT, 1e-9, 0);
        assert_close(support_value(&r, i, "contacts_per_client_week"), 0.0, 0, 0);
        assert_close(support_value(&r, i, "missed_contacts_pct"), 100.0, 1e-12, 0);
        assert_close(support_value(&r, i, "hours_per_client_week"), 0.0, 0, 0);
        assert_true(isnan(support_value(&r, i, "contact_effect")));
    }
    support_run_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contact_hours_per_client_fall_with_admin_per_client),
        cmocka_unit_test(test_admin_taking_every_hour_leaves_no_contacts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
