/*
 * Unit tests of sim/calendar (the future event list) and sim/sim (the clock and the event loop).
 *
 * The contract checked here (sim/calendar.h, sim/sim.h): events run in (time, scheduling order),
 * so equal times run first-in first-out, also for events scheduled while the loop runs; the
 * clock moves to each event's time and then to the end of the run; cancelling removes exactly
 * the event named and a stale handle is harmless; sim_stop() returns after the current event;
 * and a run in steady state allocates nothing (the calendar's arrays stop growing).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/calendar.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "tests/support.h"

/* What the events of a test did, in order. */
struct log {
    uint64_t arg[4096];
    double t[4096];
    int n;
};

static void record(struct sim *sim, void *obj, uint64_t arg)
{
    struct log *lg = obj;

    assert_true(lg->n < 4096);
    lg->arg[lg->n] = arg;
    lg->t[lg->n] = sim->now;
    lg->n++;
}

static void nothing(struct sim *sim, void *obj, uint64_t arg)
{
    (void)sim;
    (void)obj;
    (void)arg;
}

struct fixture {
    struct sim sim;
    struct log log;
};

static int setup_sim(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f) {
        return -1;
    }
    sim_init(&f->sim, 3);
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

static void test_calendar_pops_by_time_then_scheduling_order(void **state)
{
    struct calendar cal;
    const double t[] = {4.5, 1.25, 4.5, 0.0, 9.75, 1.25, 4.5, 0.0};
    /* Expected order of the indices above: by time, ties in the order scheduled. */
    const uint64_t order[] = {3, 7, 1, 5, 0, 2, 6, 4};

    (void)state;
    calendar_init(&cal);
    for (uint64_t i = 0; i < 8; i++) {
        calendar_schedule(&cal, t[i], nothing, &cal, i);
    }
    assert_int_equal(calendar_size(&cal), 8);
    for (int i = 0; i < 8; i++) {
        struct cal_event ev;
        double due;
        assert_true(calendar_peek_time(&cal) == t[order[i]]);
        assert_true(calendar_pop(&cal, &due, &ev));
        assert_int_equal(ev.arg, order[i]);
        assert_true(due == t[order[i]]);
        assert_ptr_equal(ev.obj, &cal);
        assert_true(ev.fn == nothing);
    }
    struct cal_event ev;
    double due;
    assert_false(calendar_pop(&cal, &due, &ev));
    calendar_fini(&cal);
}

static void test_calendar_cancel_and_stale_handles(void **state)
{
    struct calendar cal;

    (void)state;
    calendar_init(&cal);
    uint64_t a = calendar_schedule(&cal, 2.5, nothing, NULL, 1);
    uint64_t b = calendar_schedule(&cal, 1.5, nothing, NULL, 2);
    uint64_t c = calendar_schedule(&cal, 3.5, nothing, NULL, 3);

    assert_true(a != CALENDAR_NONE && b != CALENDAR_NONE && c != CALENDAR_NONE);
    assert_true(calendar_is_pending(&cal, a));
    assert_true(calendar_due(&cal, a) == 2.5);
    assert_true(calendar_due(&cal, c) == 3.5);
    assert_true(calendar_cancel(&cal, a));
    assert_false(calendar_is_pending(&cal, a));
    assert_false(calendar_cancel(&cal, a)); /* twice */
    assert_false(calendar_cancel(&cal, CALENDAR_NONE));
    assert_int_equal(calendar_size(&cal), 2);

    struct cal_event ev;
    double due;
    assert_true(calendar_pop(&cal, &due, &ev));
    assert_int_equal(ev.arg, 2);
    assert_false(calendar_is_pending(&cal, b)); /* it has run */
    assert_false(calendar_cancel(&cal, b));
    /* A new event may reuse the slot of a finished one; the finished one's handle stays stale. */
    uint64_t d = calendar_schedule(&cal, 0.5, nothing, NULL, 4);
    assert_false(calendar_cancel(&cal, b));
    assert_false(calendar_cancel(&cal, a));
    assert_true(calendar_is_pending(&cal, d));
    assert_int_equal(calendar_size(&cal), 2);
    assert_true(calendar_pop(&cal, &due, &ev));
    assert_int_equal(ev.arg, 4);
    assert_true(calendar_pop(&cal, &due, &ev));
    assert_int_equal(ev.arg, 3);
    calendar_fini(&cal);
}

/* The 32-bit scheduling sequence is numbered again before it wraps: events at equal times
 * scheduled on both sides of the wrap still run in the order scheduled. */
static void test_calendar_keeps_fifo_across_sequence_wrap(void **state)
{
    struct calendar cal;
    enum { N = 300 };
    uint64_t handle[N];

    (void)state;
    calendar_init(&cal);
    /* Half the events before the wrap, a few cancelled, half after it. */
    for (uint64_t i = 0; i < N / 2; i++) {
        handle[i] = calendar_schedule(&cal, (double)(i % 3), nothing, NULL, i);
    }
    cal.next_seq = UINT32_MAX - 7;
    for (uint64_t i = N / 2; i < N; i++) {
        handle[i] = calendar_schedule(&cal, (double)(i % 3), nothing, NULL, i);
    }
    assert_true(cal.next_seq < N + 1); /* numbered again */
    for (int i = 0; i < N; i += 10) {
        assert_true(calendar_cancel(&cal, handle[i]));
    }
    uint64_t last_arg = 0;
    double last_t = -1.0;
    int popped = 0;
    struct cal_event ev;
    double t;
    while (calendar_pop(&cal, &t, &ev)) {
        assert_true(ev.arg % 10 != 0);
        assert_true(t == (double)(ev.arg % 3));
        if (t == last_t) {
            assert_true(ev.arg > last_arg); /* equal times: in scheduling order */
        } else {
            assert_true(t > last_t);
        }
        last_t = t;
        last_arg = ev.arg;
        popped++;
    }
    assert_int_equal(popped, N - N / 10);
    calendar_fini(&cal);
}

/* Random schedules and cancels against a reference list kept in (time, sequence) order. With
 * near_limit > 0 the near heap is kept that small, so that nearly every operation moves the
 * boundary between the near and far heaps (split and refill); with far_share > 0 that share of
 * the events is due far ahead (a care model's risk events), the rest on a grid close to now.
 * With hold, half the pops hold their event's node (the event loop's calendar_pop_held()), so
 * that the next schedule, pop or cancel, or a settle, meets a held node. */
static void check_against_reference(uint32_t near_limit, double far_share, bool hold, uint64_t seed)
{
    struct calendar cal;
    enum { OPS = 20000 };
    struct {
        double t;
        uint64_t seq, handle, arg;
    } *ref = calloc(OPS, sizeof *ref);
    int n = 0;
    uint64_t seq = 0;
    gsl_rng *g = rng_create(seed);
    double now = 0.0;
    bool split = false;

    assert_non_null(ref);
    calendar_init(&cal);
    if (near_limit > 0) {
        cal.near_limit = near_limit;
    }
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(g);
        if (u < 0.5 || n == 0) {
            /* Times on a grid of 1/8 after now, so that equal times are frequent. */
            double t = now + (double)gsl_rng_uniform_int(g, 40) * 0.125;
            if (gsl_rng_uniform(g) < far_share) {
                t = now + 50.0 + (double)gsl_rng_uniform_int(g, 400) * 0.25;
            }
            uint64_t arg = (uint64_t)op;
            uint64_t hd = calendar_schedule(&cal, t, nothing, NULL, arg);
            ref[n].t = t;
            ref[n].seq = seq++;
            ref[n].handle = hd;
            ref[n].arg = arg;
            n++;
        } else if (u < 0.75) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (ref[i].t < ref[best].t ||
                    (ref[i].t == ref[best].t && ref[i].seq < ref[best].seq)) {
                    best = i;
                }
            }
            struct cal_event ev;
            double t;
            if (hold && gsl_rng_uniform(g) < 0.5) {
                assert_true(calendar_pop_held(&cal, &t, &ev));
            } else {
                assert_true(calendar_pop(&cal, &t, &ev));
            }
            assert_true(t == ref[best].t);
            assert_int_equal(ev.arg, ref[best].arg);
            assert_false(calendar_is_pending(&cal, ref[best].handle));
            now = t;
            ref[best] = ref[--n];
        } else {
            int i = (int)gsl_rng_uniform_int(g, (unsigned long)n);
            uint64_t hd = ref[i].handle;
            assert_true(calendar_due(&cal, hd) == ref[i].t);
            assert_true(calendar_cancel(&cal, hd));
            assert_false(calendar_cancel(&cal, hd));
            ref[i] = ref[--n];
        }
        if (hold && gsl_rng_uniform(g) < 0.1) {
            calendar_settle(&cal);
            assert_int_equal(cal.held, UINT32_MAX);
        }
        assert_int_equal(calendar_size(&cal), n);
        split = split || cal.far.n > 0;
        /* The near heap is empty only with the far one. */
        assert_true(cal.near.n > 0 || cal.far.n == 0);
    }
    /* The far heap was used whenever the near one was kept small. */
    assert_true(split == (near_limit > 0));
    gsl_rng_free(g);
    free(ref);
    calendar_fini(&cal);
}

static void test_calendar_matches_reference_under_random_schedule_and_cancel(void **state)
{
    (void)state;
    check_against_reference(0, 0.0, false, 7);
    check_against_reference(0, 0.3, false, 8);
    check_against_reference(0, 0.3, true, 12);
}

static void test_calendar_matches_reference_with_near_and_far_heaps(void **state)
{
    (void)state;
    check_against_reference(8, 0.0, false, 9);
    check_against_reference(8, 0.3, false, 10);
    check_against_reference(64, 0.5, false, 11);
    check_against_reference(8, 0.3, true, 13);
    check_against_reference(64, 0.5, true, 14);
}

static void test_sim_run_executes_in_time_order_and_advances_clock(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;

    assert_true(sim->now == 0.0);
    sim_schedule(sim, 3.75, record, &f->log, 1);
    sim_schedule_at(sim, 1.5, record, &f->log, 2);
    sim_schedule(sim, 1.5, record, &f->log, 3);
    sim_schedule(sim, 12.0, record, &f->log, 4);
    sim_schedule(sim, 0.0, record, &f->log, 5);

    uint64_t ran = sim_run(sim, 5.0);
    assert_int_equal(ran, 4);
    assert_int_equal(sim->n_events, 4);
    assert_int_equal(f->log.n, 4);
    const uint64_t order[] = {5, 2, 3, 1};
    const double when[] = {0.0, 1.5, 1.5, 3.75};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(f->log.arg[i], order[i]);
        assert_true(f->log.t[i] == when[i]);
    }
    /* With no event left before until, the clock ends at until; the later event waits. */
    assert_true(sim->now == 5.0);
    assert_int_equal(calendar_size(&sim->cal), 1);

    /* An event exactly at until runs. */
    ran = sim_run(sim, 12.0);
    assert_int_equal(ran, 1);
    assert_int_equal(f->log.arg[4], 4);
    assert_true(sim->now == 12.0);
    assert_int_equal(sim->n_events, 5);

    /* Delays are relative to the clock as it is now. */
    sim_schedule(sim, 0.5, record, &f->log, 6);
    sim_run(sim, 100.0);
    assert_true(f->log.t[5] == 12.5);
    assert_true(sim->now == 100.0);
}

/* An event that schedules others: those at the current time run after everything already due
 * at that time (they were scheduled later), and before anything due later. */
struct chain {
    struct log *log;
    int spawned;
};

static void spawn(struct sim *sim, void *obj, uint64_t arg)
{
    struct chain *c = obj;

    record(sim, c->log, arg);
    if (arg == 10) {
        sim_schedule(sim, 0.0, record, c->log, 11);
        sim_schedule(sim, 0.0, record, c->log, 12);
        sim_schedule(sim, 0.25, record, c->log, 13);
        c->spawned = 3;
    }
}

static void test_sim_events_scheduled_during_run_keep_fifo_among_equal_times(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;
    struct chain c = {.log = &f->log};

    sim_schedule(sim, 2.0, spawn, &c, 10);
    sim_schedule(sim, 2.0, record, &f->log, 20);
    sim_schedule(sim, 2.25, record, &f->log, 21);
    sim_schedule(sim, 2.0, record, &f->log, 22);
    sim_run(sim, 10.0);
    assert_int_equal(c.spawned, 3);
    const uint64_t order[] = {10, 20, 22, 11, 12, 21, 13};
    assert_int_equal(f->log.n, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(f->log.arg[i], order[i]);
    }
    assert_true(f->log.t[6] == 2.25);
}

/* One event cancels another due at the same time; the cancelled one must not run. */
struct canceller {
    struct log *log;
    uint64_t victim;
    bool was_pending;
};

static void cancel_victim(struct sim *sim, void *obj, uint64_t arg)
{
    struct canceller *c = obj;

    record(sim, c->log, arg);
    c->was_pending = sim_cancel(sim, c->victim);
}

static void test_sim_cancelled_event_does_not_run(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;
    struct canceller c = {.log = &f->log};

    sim_schedule(sim, 1.0, cancel_victim, &c, 1);
    c.victim = sim_schedule(sim, 1.0, record, &f->log, 2);
    uint64_t kept = sim_schedule(sim, 1.5, record, &f->log, 3);
    uint64_t gone = sim_schedule(sim, 0.5, record, &f->log, 4);

    assert_true(sim_cancel(sim, gone));
    assert_false(sim_cancel(sim, gone));
    assert_int_equal(sim_run(sim, 5.0), 2);
    assert_true(c.was_pending);
    assert_int_equal(f->log.n, 2);
    assert_int_equal(f->log.arg[0], 1);
    assert_int_equal(f->log.arg[1], 3);
    /* Owners need not clear handles: cancelling an event that has run is harmless. */
    assert_false(sim_cancel(sim, kept));
    assert_false(sim_cancel(sim, c.victim));
    assert_int_equal(calendar_size(&sim->cal), 0);
}

static void stop_at_three(struct sim *sim, void *obj, uint64_t arg)
{
    record(sim, obj, arg);
    if (arg == 3) {
        sim_stop(sim);
    }
}

static void test_sim_stop_returns_after_current_event(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;

    for (uint64_t i = 1; i <= 6; i++) {
        sim_schedule(sim, 0.5 * (double)i, stop_at_three, &f->log, i);
    }
    /* Event 40 is due at the same time as event 3 but was scheduled later: stopping must not
     * run it. */
    sim_schedule(sim, 1.5, stop_at_three, &f->log, 40);

    uint64_t ran = sim_run(sim, 10.0);
    assert_int_equal(ran, 3);
    assert_int_equal(f->log.n, 3);
    assert_int_equal(f->log.arg[2], 3);
    assert_true(sim->now == 1.5); /* stopped: the clock stays at the last event */
    assert_true(sim->is_stopped);
    assert_int_equal(calendar_size(&sim->cal), 4);

    /* A new run carries on where the last one stopped. */
    ran = sim_run(sim, 10.0);
    assert_int_equal(ran, 4);
    const uint64_t rest[] = {40, 4, 5, 6};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(f->log.arg[3 + i], rest[i]);
    }
    assert_false(sim->is_stopped);
    assert_true(sim->now == 10.0);
    assert_int_equal(sim->n_events, 7);
}

/* Hold model in the event loop: each event schedules its successor after a random delay, with
 * 500 events pending throughout. After the first round no array may grow, and the clock never
 * goes backwards. */
struct hold {
    gsl_rng *g;
    double last;
    uint64_t n_backwards;
};

static void hold_event(struct sim *sim, void *obj, uint64_t arg)
{
    struct hold *h = obj;

    if (sim->now < h->last) {
        h->n_backwards++;
    }
    h->last = sim->now;
    sim_schedule(sim, -log(1.0 - gsl_rng_uniform(h->g)) * 2.385, hold_event, h, arg + 1);
}

static void test_sim_hold_model_allocates_nothing_in_steady_state(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;
    struct hold h = {.g = rng_create(2024), .last = 0.0};

    for (int i = 0; i < 500; i++) {
        sim_schedule(sim, gsl_rng_uniform(h.g), hold_event, &h, 0);
    }
    sim_run(sim, 50.0); /* warm-up */
    uint32_t cap = sim->cal.cap;
    const void *nodes = sim->cal.near.node;
    const void *events = sim->cal.ev;
    uint64_t ran = sim_run(sim, 2000.0);
    assert_true(ran > 100000);
    assert_int_equal(calendar_size(&sim->cal), 500);
    assert_int_equal(sim->cal.cap, cap);
    assert_ptr_equal(sim->cal.near.node, nodes);
    assert_ptr_equal(sim->cal.ev, events);
    assert_int_equal(h.n_backwards, 0);
    /* Rate check of the loop itself: 500 streams of mean gap 2.385 over 1950 time units. */
    double expected = 500.0 * 1950.0 / 2.385;
    assert_close((double)ran, expected, 0.02, 0.0);
    gsl_rng_free(h.g);
}

static void test_sim_run_on_empty_calendar_moves_clock_only(void **state)
{
    struct fixture *f = *state;
    struct sim *sim = &f->sim;

    assert_int_equal(sim_run(sim, 7.25), 0);
    assert_true(sim->now == 7.25);
    /* until in the past leaves the clock alone. */
    assert_int_equal(sim_run(sim, 3.0), 0);
    assert_true(sim->now == 7.25);
    assert_int_equal(sim->replication, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_pops_by_time_then_scheduling_order),
        cmocka_unit_test(test_calendar_cancel_and_stale_handles),
        cmocka_unit_test(test_calendar_keeps_fifo_across_sequence_wrap),
        cmocka_unit_test(test_calendar_matches_reference_under_random_schedule_and_cancel),
        cmocka_unit_test(test_calendar_matches_reference_with_near_and_far_heaps),
        cmocka_unit_test_setup_teardown(test_sim_run_executes_in_time_order_and_advances_clock,
                                        setup_sim, teardown_sim),
        cmocka_unit_test_setup_teardown(
            test_sim_events_scheduled_during_run_keep_fifo_among_equal_times, setup_sim,
            teardown_sim),
        cmocka_unit_test_setup_teardown(test_sim_cancelled_event_does_not_run, setup_sim,
                                        teardown_sim),
        cmocka_unit_test_setup_teardown(test_sim_stop_returns_after_current_event, setup_sim,
                                        teardown_sim),
        cmocka_unit_test_setup_teardown(test_sim_hold_model_allocates_nothing_in_steady_state,
                                        setup_sim, teardown_sim),
        cmocka_unit_test_setup_teardown(test_sim_run_on_empty_calendar_moves_clock_only, setup_sim,
                                        teardown_sim),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
