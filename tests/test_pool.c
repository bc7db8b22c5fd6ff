/*
 * Unit tests of sim/pool (a pool of identical servers) and sim/schedule (a capacity repeating
 * over a period).
 *
 * The contract checked here (sim/pool.h, sim/schedule.h): busy and free servers are counted
 * exactly; utilisation is the time-average busy over the time-average on duty, checked against
 * areas worked out by hand; a scheduled pool's capacity follows its schedule piece by piece over
 * hundreds of periods, calls on_more exactly when capacity rises and never pre-empts when it
 * falls; schedule lookups are piecewise constant and periodic, and every schedule problem is
 * reported at load with its message.
 *
 * The week used below is the one in sim/schedule.h's example extended by a fourth piece:
 * period 7, pieces starting at 0, 0.375, 0.708 and 2.5 with values 2, 10, 3 and 6. The start
 * times are not exact binary fractions, so cycle + at[i] rounds, which is where a lookup and the
 * change times can disagree.
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

#include "sim/cfg.h"
#include "sim/pool.h"
#include "sim/schedule.h"
#include "sim/sim.h"
#include "tests/support.h"

static double week_at[4] = {0.0, 0.375, 0.708, 2.5};
static int week_value[4] = {2, 10, 3, 6};
static const struct schedule week = {.period = 7.0, .n = 4, .at = week_at, .value = week_value};

/* The end of piece i of sch within the cycle. */
static double piece_end(const struct schedule *sch, int i)
{
    return i + 1 < sch->n ? sch->at[i + 1] : sch->period;
}

/* ---- schedule ---- */

static void test_schedule_value_is_piecewise_constant_and_periodic(void **state)
{
    (void)state;
    for (int w = 0; w < 300; w++) {
        double cycle = 7.0 * w;
        for (int i = 0; i < 4; i++) {
            double a = week_at[i], b = piece_end(&week, i);
            /* Points well inside the piece: a quarter, half and nine tenths of the way. */
            assert_int_equal(schedule_value_at(&week, cycle + a + 0.25 * (b - a)), week_value[i]);
            assert_int_equal(schedule_value_at(&week, cycle + a + 0.5 * (b - a)), week_value[i]);
            assert_int_equal(schedule_value_at(&week, cycle + a + 0.9 * (b - a)), week_value[i]);
        }
    }
}

/* With start times and period that are exact in binary, the boundaries themselves can be
 * checked: a piece holds from its start (inclusive) to the next start (exclusive). */
static void test_schedule_boundaries_belong_to_the_piece_they_start(void **state)
{
    double at[3] = {0.0, 1.5, 4.25};
    int value[3] = {5, 1, 7};
    const struct schedule s = {.period = 8.0, .n = 3, .at = at, .value = value};

    (void)state;
    for (int w = 0; w < 50; w++) {
        double cycle = 8.0 * w;
        for (int i = 0; i < 3; i++) {
            assert_int_equal(schedule_value_at(&s, cycle + at[i]), value[i]);
            if (cycle + at[i] == 0.0) {
                continue; /* no time before 0 */
            }
            assert_int_equal(schedule_value_at(&s, nextafter(cycle + at[i], -HUGE_VAL)),
                             value[(i + 2) % 3]);
        }
    }
    assert_int_equal(schedule_value_at(&s, 0.0), 5);
}

/* Walking the change times from 0 visits every boundary of every cycle in turn, each strictly
 * later than the last, and each change time is the first time at which the new piece's value
 * is in force. */
static void test_schedule_next_change_visits_every_boundary(void **state)
{
    double t = 0.0;

    (void)state;
    for (int k = 1; k <= 4000; k++) {
        int w = k / 4, i = k % 4;
        double expect = 7.0 * w + week_at[i];
        double next = schedule_next_change(&week, t);
        assert_true(next > t);
        assert_close(next, expect, 1e-14, 0.0);
        if (schedule_value_at(&week, next) != week_value[i]) {
            fail_msg("change %d at t = %.17g: value %d in force, expected %d", k, next,
                     schedule_value_at(&week, next), week_value[i]);
        }
        /* ... and not a moment earlier: just before it, the previous piece holds. */
        assert_int_equal(schedule_value_at(&week, nextafter(next, -HUGE_VAL)),
                         week_value[(i + 3) % 4]);
        t = next;
    }
}

static void test_schedule_next_change_from_inside_a_piece(void **state)
{
    double at[1] = {0.0};
    int value[1] = {4};
    const struct schedule flat = {.period = 7.0, .n = 1, .at = at, .value = value};

    (void)state;
    assert_close(schedule_next_change(&week, 1.0), 2.5, 1e-15, 0.0);
    assert_close(schedule_next_change(&week, 3.0), 7.0, 1e-15, 0.0);
    assert_close(schedule_next_change(&week, 7.0 * 11 + 0.5), 7.0 * 11 + 0.708, 1e-15, 0.0);
    /* From a boundary, the next one. */
    assert_close(schedule_next_change(&week, 2.5), 7.0, 1e-15, 0.0);
    /* One piece: the value never changes; the next "change" is the next cycle. */
    assert_close(schedule_next_change(&flat, 3.25), 7.0, 1e-15, 0.0);
    assert_close(schedule_next_change(&flat, 7.0), 14.0, 1e-15, 0.0);
    assert_int_equal(schedule_value_at(&flat, 123.456), 4);
}

static void test_schedule_mean_by_hand(void **state)
{
    (void)state;
    double area = 2 * 0.375 + 10 * (0.708 - 0.375) + 3 * (2.5 - 0.708) + 6 * (7.0 - 2.5);
    assert_close(schedule_mean(&week), area / 7.0, 1e-15, 0);
}

static void test_schedule_load_reads_a_schedule(void **state)
{
    struct cfg c;
    struct schedule s;

    (void)state;
    cfg_init(&c);
    /* An integer period and integer start times are accepted. */
    assert_true(cfg_load_string(&c, "t.cfg",
                                "s = { period = 7; at = (0, 0.375, 2); value = [2, 10, 0]; };"));
    assert_true(schedule_load(&c, config_setting_get_member(cfg_root(&c), "s"), 0, 50, &s));
    assert_int_equal(cfg_n_problems(&c), 0);
    assert_true(s.period == 7.0);
    assert_int_equal(s.n, 3);
    assert_true(s.at[0] == 0.0 && s.at[1] == 0.375 && s.at[2] == 2.0);
    assert_int_equal(s.value[0], 2);
    assert_int_equal(s.value[1], 10);
    assert_int_equal(s.value[2], 0);
    assert_int_equal(schedule_value_at(&s, 7.5), 10);
    schedule_fini(&s);
    assert_null(s.at);
    assert_null(s.value);
    cfg_fini(&c);
}

struct bad {
    const char *text;
    const char *expect[3];
};

static void test_schedule_load_rejects_bad_schedules_with_message(void **state)
{
    const struct bad bad[] = {
        {"s = { period = 7.0; at = [0.5, 1.0]; value = [2, 3]; };",
         {"t.cfg:1: s.at[0]: the first piece starts at 0.5 (it must start at 0)"}},
        {"s = { period = 7.0; at = [0.0, 2.0, 2.0]; value = [2, 3, 4]; };",
         {"t.cfg:1: s.at[2]: 2 does not come after 2 (start times strictly increasing)"}},
        {"s = { period = 7.0; at = [0.0, 3.0, 1.0]; value = [2, 3, 4]; };",
         {"t.cfg:1: s.at[2]: 1 does not come after 3 (start times strictly increasing)"}},
        {"s = { period = 7.0; at = [0.0, 7.0]; value = [2, 3]; };",
         {"t.cfg:1: s.at[1]: 7 is not inside the period (0 <= at < 7)"}},
        {"s = { period = 7.0; at = [0.0, 1.0]; value = [2, 60]; };",
         {"t.cfg:1: s.value[1]: 60 is out of range (integer 0..50)"}},
        {"s = { period = 7.0; at = [0.0, 1.0]; value = [-1, 3]; };",
         {"t.cfg:1: s.value[0]: -1 is out of range (integer 0..50)"}},
        {"s = { period = 7.0; at = [0.0, 1.0]; value = [2.5, 3.0]; };",
         {"t.cfg:1: s.value[0]: not an integer (integer 0..50)",
          "t.cfg:1: s.value[1]: not an integer (integer 0..50)"}},
        {"s = { period = 7.0; at = [0.0, 1.0]; value = [2, 3, 4]; };",
         {"t.cfg:1: s.value: 3 values for 2 start times (one value per start time)"}},
        {"s = { period = 7.0; at = []; value = []; };",
         {"t.cfg:1: s.at: empty list (at least one piece, starting at 0)"}},
        {"s = { period = 0.0; at = [0.0]; value = [1]; };",
         {"t.cfg:1: s.period: 0 is out of range (real > 0)"}},
        {"s = { period = 7.0; at = [0.0]; };",
         {"t.cfg:1: s.value: missing required key (list ( ... ))"}},
        {"s = { period = 7.0; at = 0.0; value = [1]; };",
         {"t.cfg:1: s.at: a real where a list belongs (list ( ... ))"}},
        {"s = 5;",
         {"t.cfg:1: s: not a schedule (a group { period = ...; at = [...]; value = [...]; })"}},
        {"s = { peroid = 7.0; at = [0.0]; value = [1]; };",
         {"t.cfg:1: s.peroid: unknown key, did you mean 'period'? (allowed here: period, at, "
          "value)",
          "t.cfg:1: s.period: missing required key (real > 0)"}},
    };

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cfg c;
        struct schedule s;
        int n_expect = 0;
        while (n_expect < 3 && bad[i].expect[n_expect]) {
            n_expect++;
        }
        cfg_init(&c);
        assert_true(cfg_load_string(&c, "t.cfg", bad[i].text));
        bool ok = schedule_load(&c, config_setting_get_member(cfg_root(&c), "s"), 0, 50, &s);
        if (ok || cfg_n_problems(&c) != n_expect) {
            diag_print(&c.diag, stderr);
            fail_msg("case %zu (%s): schedule_load %s with %d problems, expected %d", i,
                     bad[i].text, ok ? "accepted" : "refused", cfg_n_problems(&c), n_expect);
        }
        for (int k = 0; k < n_expect; k++) {
            assert_string_equal(c.diag.msgs[k], bad[i].expect[k]);
        }
        assert_null(s.at); /* nothing to free after a refusal */
        assert_null(s.value);
        cfg_fini(&c);
    }
}

/* ---- pool ---- */

struct fixture {
    struct sim sim;
    struct pool pool;
    int n_more;        /* on_more calls */
    int cap_at_more;   /* capacity seen by the last on_more */
    bool take_all;     /* on_more starts work on every free server */
    int n_mismatch;    /* observer: capacity differed from the schedule */
    double mismatch_t; /* ... first at this time */
};

static int setup_sim(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f) {
        return -1;
    }
    sim_init(&f->sim, 1);
    *state = f;
    return 0;
}

static int teardown_sim(void **state)
{
    struct fixture *f = *state;

    sim_fini(&f->sim);
    free(f);
    return 0;
}

static void on_more(struct sim *sim, void *owner)
{
    struct fixture *f = owner;

    f->n_more++;
    f->cap_at_more = f->pool.capacity;
    while (f->take_all && pool_has_free(&f->pool)) {
        pool_acquire(&f->pool, sim->now);
    }
}

static void test_pool_counts_busy_and_free_servers(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;

    pool_init(p, &f->sim, 3, NULL, NULL, NULL);
    assert_int_equal(p->capacity, 3);
    assert_int_equal(p->busy, 0);
    assert_int_equal(calendar_size(&f->sim.cal), 0); /* fixed capacity: no events */
    for (int i = 1; i <= 3; i++) {
        assert_true(pool_has_free(p));
        pool_acquire(p, 0.5 * i);
        assert_int_equal(p->busy, i);
    }
    assert_false(pool_has_free(p));
    pool_release(p, 2.0);
    assert_true(pool_has_free(p));
    assert_int_equal(p->busy, 2);
    pool_acquire(p, 2.5);
    assert_false(pool_has_free(p));
    pool_fini(p, &f->sim);
}

/* Capacity 4 from t = 0; busy 1 on [1, 2.5), 2 on [2.5, 3), 3 on [3, 6), 1 on [6, 10). */
static void test_pool_utilisation_by_hand(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;

    pool_init(p, &f->sim, 4, NULL, NULL, NULL);
    assert_true(pool_utilisation(p, 0.0) == 0.0);
    pool_acquire(p, 1.0);
    pool_acquire(p, 2.5);
    pool_acquire(p, 3.0);
    pool_release(p, 6.0);
    pool_release(p, 6.0);
    double busy_area = 1 * 1.5 + 2 * 0.5 + 3 * 3.0 + 1 * 4.0;
    assert_close(pool_utilisation(p, 10.0), busy_area / (4 * 10.0), 1e-15, 0);
    assert_close(twavg_mean(&p->busy_tw, 10.0), busy_area / 10.0, 1e-15, 0);
    assert_true(p->busy_tw.max == 3.0);

    /* After a reset at 10 only what follows counts: 1 busy on [10, 12), 0 on [12, 15). */
    pool_reset(p, 10.0);
    pool_release(p, 12.0);
    assert_close(pool_utilisation(p, 15.0), (1 * 2.0) / (4 * 5.0), 1e-15, 0);
    assert_true(p->busy_tw.max == 1.0);
    pool_fini(p, &f->sim);
}

static void test_pool_with_nobody_on_duty_has_zero_utilisation(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;

    pool_init(p, &f->sim, 0, NULL, NULL, NULL);
    assert_false(pool_has_free(p));
    assert_true(pool_utilisation(p, 5.0) == 0.0);
    pool_fini(p, &f->sim);
}

/* Checks, at the middle of every piece, that the pool's capacity is the schedule's. */
static void observe(struct sim *sim, void *obj, uint64_t arg)
{
    struct fixture *f = obj;
    int expect = week_value[arg];

    if (f->pool.capacity != expect) {
        if (f->n_mismatch == 0) {
            f->mismatch_t = sim->now;
        }
        f->n_mismatch++;
    }
}

static void test_pool_capacity_follows_schedule_over_many_weeks(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;
    const int weeks = 500;

    pool_init(p, &f->sim, 0, &week, on_more, f);
    assert_int_equal(p->capacity, 2);
    assert_int_equal(calendar_size(&f->sim.cal), 1); /* the next capacity change */
    for (int w = 0; w < weeks; w++) {
        for (uint64_t i = 0; i < 4; i++) {
            double mid = 7.0 * w + (week_at[i] + piece_end(&week, (int)i)) / 2;
            sim_schedule_at(&f->sim, mid, observe, f, i);
        }
    }
    sim_run(&f->sim, 7.0 * weeks);
    if (f->n_mismatch) {
        fail_msg("capacity differed from the schedule %d times, first at t = %.17g", f->n_mismatch,
                 f->mismatch_t);
    }
    /* Capacity rises twice a week (2 -> 10 at 0.375, 3 -> 6 at 2.5); the falls (10 -> 3,
     * 6 -> 2) call nobody. The last rise seen was to 6. */
    assert_int_equal(f->n_more, 2 * weeks);
    assert_int_equal(f->cap_at_more, 6);
    /* The time-average on duty over whole weeks is the schedule's mean. */
    assert_close(twavg_mean(&p->cap_tw, 7.0 * weeks), schedule_mean(&week), 1e-9, 0);
    assert_true(p->cap_tw.max == 10.0);
    pool_fini(p, &f->sim);
    assert_int_equal(calendar_size(&f->sim.cal), 0);
}

/* When capacity falls below the number busy, nobody is pre-empted; no new work starts until
 * busy < capacity again. */
static void test_pool_capacity_fall_does_not_preempt(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;

    f->take_all = true;
    pool_init(p, &f->sim, 0, &week, on_more, f);
    pool_acquire(p, 0.0);
    pool_acquire(p, 0.0);
    sim_run(&f->sim, 0.5); /* capacity 10: on_more fills it */
    assert_int_equal(f->n_more, 1);
    assert_int_equal(f->cap_at_more, 10);
    assert_int_equal(p->busy, 10);
    sim_run(&f->sim, 1.0); /* capacity 3 */
    assert_int_equal(p->capacity, 3);
    assert_int_equal(p->busy, 10);
    assert_false(pool_has_free(p));
    for (int i = 0; i < 7; i++) {
        pool_release(p, 1.5);
        assert_false(pool_has_free(p));
    }
    pool_release(p, 1.75);
    assert_true(pool_has_free(p));
    assert_int_equal(p->busy, 2);
    /* At 2.5 capacity rises to 6 and on_more takes the 4 free servers. */
    sim_run(&f->sim, 3.0);
    assert_int_equal(f->n_more, 2);
    assert_int_equal(p->busy, 6);
    /* Utilisation by hand over [0, 3]: busy 2 on [0, 0.375), 10 on [0.375, 1.5), 9..3 released
     * one by one at 1.5, 2 from 1.75, 6 from 2.5; on duty 2, 10, 3, 6 as scheduled. */
    double busy =
        2 * 0.375 + 10 * (1.5 - 0.375) + 3 * (1.75 - 1.5) + 2 * (2.5 - 1.75) + 6 * (3.0 - 2.5);
    double duty = 2 * 0.375 + 10 * (0.708 - 0.375) + 3 * (2.5 - 0.708) + 6 * (3.0 - 2.5);
    assert_close(pool_utilisation(p, 3.0), busy / duty, 1e-12, 0);
    pool_fini(p, &f->sim);
}

/* A pool created in the middle of a piece starts with that piece's value and changes at the
 * piece's end. */
static void test_pool_created_mid_schedule(void **state)
{
    struct fixture *f = *state;
    struct pool *p = &f->pool;

    sim_run(&f->sim, 7.0 * 3 + 1.25);
    pool_init(p, &f->sim, 99, &week, on_more, f);
    assert_int_equal(p->capacity, 3); /* the fixed capacity is ignored */
    assert_close(calendar_due(&f->sim.cal, p->change_ev), 7.0 * 3 + 2.5, 1e-15, 0);
    sim_run(&f->sim, 7.0 * 3 + 3.0);
    assert_int_equal(p->capacity, 6);
    assert_int_equal(f->n_more, 1);
    /* On duty: 3 for 1.25, then 6 for 0.5. */
    assert_close(twavg_mean(&p->cap_tw, f->sim.now), (3 * 1.25 + 6 * 0.5) / 1.75, 1e-12, 0);
    pool_fini(p, &f->sim);
    /* After fini the pending change is gone: running on touches nothing. */
    assert_int_equal(calendar_size(&f->sim.cal), 0);
    int cap = p->capacity;
    sim_run(&f->sim, 100.0);
    assert_int_equal(p->capacity, cap);
    assert_int_equal(f->n_more, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_value_is_piecewise_constant_and_periodic),
        cmocka_unit_test(test_schedule_boundaries_belong_to_the_piece_they_start),
        cmocka_unit_test(test_schedule_next_change_visits_every_boundary),
        cmocka_unit_test(test_schedule_next_change_from_inside_a_piece),
        cmocka_unit_test(test_schedule_mean_by_hand),
        cmocka_unit_test(test_schedule_load_reads_a_schedule),
        cmocka_unit_test(test_schedule_load_rejects_bad_schedules_with_message),
        cmocka_unit_test_setup_teardown(test_pool_counts_busy_and_free_servers, setup_sim,
                                        teardown_sim),
        cmocka_unit_test_setup_teardown(test_pool_utilisation_by_hand, setup_sim, teardown_sim),
        cmocka_unit_test_setup_teardown(test_pool_with_nobody_on_duty_has_zero_utilisation,
                                        setup_sim, teardown_sim),
        cmocka_unit_test_setup_teardown(test_pool_capacity_follows_schedule_over_many_weeks,
                                        setup_sim, teardown_sim),
        cmocka_unit_test_setup_teardown(test_pool_capacity_fall_does_not_preempt, setup_sim,
                                        teardown_sim),
        cmocka_unit_test_setup_teardown(test_pool_created_mid_schedule, setup_sim, teardown_sim),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
