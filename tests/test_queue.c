/*
 * Unit tests of sim/queue: a waiting line with FIFO or priority discipline and abandonment.
 *
 * The contract checked here (sim/queue.h): FIFO serves in order of joining whatever the
 * priorities; PRIORITY serves the lowest number first and, among equals, in order of joining
 * (checked against a stable sort of random arrivals); any entry can leave by its handle, once;
 * the limit makes queue_is_full() true at max_len and never refuses by itself; and the
 * time-weighted length and its maximum agree with a hand computation, restarted by
 * queue_reset() without losing entries.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/queue.h"
#include "sim/rng.h"
#include "tests/support.h"

static void test_queue_fifo_serves_in_order_of_joining(void **state)
{
    struct queue q;
    /* Priorities that a FIFO queue must ignore. */
    const double prio[6] = {5.0, -2.0, 3.5, 0.0, 9.25, -7.5};

    (void)state;
    queue_init(&q, QUEUE_FIFO, 0, 0.0);
    for (int i = 0; i < 6; i++) {
        queue_push(&q, 0.5 * i, 100 + (uint64_t)i, prio[i]);
    }
    assert_int_equal(queue_length(&q), 6);
    for (int i = 0; i < 6; i++) {
        struct queue_entry e;
        assert_true(queue_pop(&q, 10.0 + i, &e));
        assert_int_equal(e.item, 100 + (uint64_t)i);
        assert_true(e.t_enter == 0.5 * i);
    }
    struct queue_entry e = {.item = 42};
    assert_false(queue_pop(&q, 20.0, &e));
    assert_int_equal(e.item, 42);
    assert_int_equal(queue_length(&q), 0);
    queue_fini(&q);
}

struct arrival {
    uint64_t item;
    double prio;
};

static int by_prio(const void *a, const void *b)
{
    const struct arrival *x = a, *y = b;

    /* Stable by construction: ties are broken by arrival order (the item number). */
    if (x->prio != y->prio) {
        return x->prio < y->prio ? -1 : 1;
    }
    return x->item < y->item ? -1 : x->item > y->item;
}

static void test_queue_priority_lowest_first_fifo_among_equals(void **state)
{
    enum { N = 2000 };
    static struct arrival arr[N];
    struct queue q;
    gsl_rng *r = rng_create(123);

    (void)state;
    queue_init(&q, QUEUE_PRIORITY, 0, 0.0);
    for (int i = 0; i < N; i++) {
        /* Four priority levels, so that most entries tie with many others. */
        arr[i].item = (uint64_t)i;
        arr[i].prio = (double)gsl_rng_uniform_int(r, 4) - 1.5;
        queue_push(&q, (double)i, arr[i].item, arr[i].prio);
    }
    qsort(arr, N, sizeof arr[0], by_prio);
    for (int i = 0; i < N; i++) {
        struct queue_entry e;
        assert_true(queue_pop(&q, (double)N, &e));
        assert_int_equal(e.item, arr[i].item);
        assert_true(e.t_enter == (double)arr[i].item);
    }
    gsl_rng_free(r);
    queue_fini(&q);
}

/* Pushes and pops interleaved: a later arrival of a better priority overtakes those waiting,
 * an equal one queues behind them. */
static void test_queue_priority_with_interleaved_arrivals(void **state)
{
    struct queue q;
    struct queue_entry e;

    (void)state;
    queue_init(&q, QUEUE_PRIORITY, 0, 0.0);
    queue_push(&q, 0.0, 1, 2.0);
    queue_push(&q, 0.5, 2, 1.0);
    queue_push(&q, 1.0, 3, 1.0);
    assert_true(queue_pop(&q, 1.5, &e));
    assert_int_equal(e.item, 2);
    queue_push(&q, 2.0, 4, 1.0); /* behind 3 */
    queue_push(&q, 2.5, 5, 0.0); /* ahead of everyone */
    const uint64_t order[] = {5, 3, 4, 1};
    for (int i = 0; i < 4; i++) {
        assert_true(queue_pop(&q, 3.0, &e));
        assert_int_equal(e.item, order[i]);
    }
    queue_fini(&q);
}

static void test_queue_remove_by_handle_abandons_once(void **state)
{
    struct queue q;
    struct queue_entry e;
    uint64_t h[5];

    (void)state;
    queue_init(&q, QUEUE_FIFO, 0, 0.0);
    for (int i = 0; i < 5; i++) {
        h[i] = queue_push(&q, 1.0 + i, 10 + (uint64_t)i, 0.0);
    }
    assert_true(queue_remove(&q, 6.5, h[2], &e));
    assert_int_equal(e.item, 12);
    assert_true(e.t_enter == 3.0);
    assert_false(queue_remove(&q, 7.0, h[2], &e)); /* already left */
    assert_true(queue_remove(&q, 7.0, h[0], NULL));
    assert_int_equal(queue_length(&q), 3);

    assert_true(queue_pop(&q, 8.0, &e));
    assert_int_equal(e.item, 11);
    assert_false(queue_remove(&q, 8.5, h[1], &e)); /* served: too late to abandon */
    assert_true(queue_pop(&q, 9.0, &e));
    assert_int_equal(e.item, 13);
    assert_true(queue_pop(&q, 9.0, &e));
    assert_int_equal(e.item, 14);
    assert_false(queue_pop(&q, 9.0, &e));
    queue_fini(&q);
}

/* The FIFO ring against a priority queue with one priority for all (a heap: in order of
 * joining among equals), under random joins, services and abandonments that make the ring wrap
 * and grow: the same entries leave in the same order, and the lengths agree throughout. */
static void test_queue_fifo_ring_matches_heap_among_equals(void **state)
{
    struct queue fifo, heap;
    enum { OPS = 30000, MAXH = 30000 };
    uint64_t *hf = calloc(MAXH, sizeof *hf), *hh = calloc(MAXH, sizeof *hh);
    int n_handles = 0, removed = 0;
    gsl_rng *g = rng_create(11);

    (void)state;
    assert_non_null(hf);
    assert_non_null(hh);
    queue_init(&fifo, QUEUE_FIFO, 0, 0.0);
    queue_init(&heap, QUEUE_PRIORITY, 0, 0.0);
    for (int op = 0; op < OPS; op++) {
        double now = (double)op;
        double u = gsl_rng_uniform(g);
        /* Joins outnumber services early on (the ring grows), then fall behind (it empties). */
        double join = op < OPS / 2 ? 0.6 : 0.4;
        if (u < join && n_handles < MAXH) {
            hf[n_handles] = queue_push(&fifo, now, (uint64_t)op, 0.0);
            hh[n_handles] = queue_push(&heap, now, (uint64_t)op, 1.0);
            n_handles++;
        } else if (u < join + 0.25) {
            struct queue_entry a, b;
            bool got = queue_pop(&fifo, now, &a);
            assert_int_equal(got, queue_pop(&heap, now, &b));
            if (got) {
                assert_int_equal(a.item, b.item);
                assert_true(a.t_enter == b.t_enter);
            }
        } else if (n_handles > 0) {
            int k = (int)gsl_rng_uniform_int(g, (unsigned long)n_handles);
            struct queue_entry a, b;
            bool gone = queue_remove(&fifo, now, hf[k], &a);
            assert_int_equal(gone, queue_remove(&heap, now, hh[k], &b));
            if (gone) {
                assert_int_equal(a.item, b.item);
                removed++;
            }
        }
        assert_int_equal(queue_length(&fifo), queue_length(&heap));
    }
    assert_true(removed > 1000);
    assert_true(fifo.fifo.mask + 1 > 64); /* the ring grew */
    assert_false(queue_remove(&fifo, 0.0, 0, NULL));
    assert_true(twavg_mean(&fifo.len_tw, (double)OPS) == twavg_mean(&heap.len_tw, (double)OPS));
    queue_fini(&fifo);
    queue_fini(&heap);
    gsl_rng_free(g);
    free(hf);
    free(hh);
}

static void test_queue_max_len_marks_full_without_refusing(void **state)
{
    struct queue bounded, unbounded;
    struct queue_entry e;

    (void)state;
    queue_init(&bounded, QUEUE_FIFO, 3, 0.0);
    queue_init(&unbounded, QUEUE_FIFO, 0, 0.0);
    for (int i = 0; i < 3; i++) {
        assert_false(queue_is_full(&bounded));
        queue_push(&bounded, i, (uint64_t)i, 0.0);
    }
    assert_true(queue_is_full(&bounded));
    /* Refusing is the caller's decision: a push past the limit still joins. */
    queue_push(&bounded, 3.0, 3, 0.0);
    assert_int_equal(queue_length(&bounded), 4);
    assert_true(queue_is_full(&bounded));
    assert_true(queue_pop(&bounded, 4.0, &e));
    assert_true(queue_is_full(&bounded)); /* 3 waiting: still at the limit */
    assert_true(queue_pop(&bounded, 4.0, &e));
    assert_false(queue_is_full(&bounded));

    for (int i = 0; i < 1000; i++) {
        queue_push(&unbounded, i, (uint64_t)i, 0.0);
        assert_false(queue_is_full(&unbounded));
    }
    queue_fini(&bounded);
    queue_fini(&unbounded);
}

/* Length 0 on [0.5, 1.25), 1 on [1.25, 2.0), 2 on [2.0, 3.5), 3 on [3.5, 4.0), 2 on [4.0, 6.75),
 * 1 on [6.75, 8.0): hand-computed area. */
static void test_queue_length_time_average_by_hand(void **state)
{
    struct queue q;
    struct queue_entry e;

    (void)state;
    queue_init(&q, QUEUE_FIFO, 0, 0.5);
    uint64_t a = queue_push(&q, 1.25, 1, 0.0);
    queue_push(&q, 2.0, 2, 0.0);
    queue_push(&q, 3.5, 3, 0.0);
    assert_true(queue_remove(&q, 4.0, a, NULL));
    assert_true(queue_pop(&q, 6.75, &e));
    double area = 0 * 0.75 + 1 * 0.75 + 2 * 1.5 + 3 * 0.5 + 2 * 2.75 + 1 * 1.25;
    assert_close(twavg_mean(&q.len_tw, 8.0), area / (8.0 - 0.5), 1e-15, 0);
    assert_true(q.len_tw.max == 3.0);
    /* A failed pop or remove changes nothing. */
    assert_false(queue_remove(&q, 8.0, a, NULL));
    assert_close(twavg_mean(&q.len_tw, 8.0), area / (8.0 - 0.5), 1e-15, 0);

    /* Reset: the window restarts at 8 with the one entry still waiting. */
    queue_reset(&q, 8.0);
    assert_int_equal(queue_length(&q), 1);
    assert_true(q.len_tw.max == 1.0);
    queue_push(&q, 9.0, 4, 0.0);
    assert_close(twavg_mean(&q.len_tw, 10.0), (1 * 1.0 + 2 * 1.0) / 2.0, 1e-15, 0);
    assert_true(q.len_tw.max == 2.0);
    assert_true(queue_pop(&q, 10.0, &e));
    assert_int_equal(e.item, 3);
    queue_fini(&q);
}

/* Little's law on a queue driven at random: the time-average length equals the arrival rate
 * times the mean wait, exactly, when the window starts and ends empty. */
static void test_queue_length_average_obeys_littles_law(void **state)
{
    struct queue q;
    gsl_rng *r = rng_create(321);
    double now = 0.0, total_wait = 0.0;
    int n_served = 0;

    (void)state;
    queue_init(&q, QUEUE_PRIORITY, 0, 0.0);
    for (int i = 0; i < 20000; i++) {
        now += gsl_rng_uniform(r);
        if (gsl_rng_uniform(r) < 0.52 || queue_length(&q) == 0) {
            queue_push(&q, now, (uint64_t)i, (double)gsl_rng_uniform_int(r, 3));
        } else {
            struct queue_entry e;
            assert_true(queue_pop(&q, now, &e));
            total_wait += now - e.t_enter;
            n_served++;
        }
    }
    while (queue_length(&q) > 0) {
        struct queue_entry e;
        now += 0.5;
        assert_true(queue_pop(&q, now, &e));
        total_wait += now - e.t_enter;
        n_served++;
    }
    /* Area under the length curve = sum of the waits. */
    assert_close(twavg_mean(&q.len_tw, now) * now, total_wait, 1e-9, 0);
    assert_true(n_served > 10000);
    gsl_rng_free(r);
    queue_fini(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_fifo_serves_in_order_of_joining),
        cmocka_unit_test(test_queue_priority_lowest_first_fifo_among_equals),
        cmocka_unit_test(test_queue_priority_with_interleaved_arrivals),
        cmocka_unit_test(test_queue_remove_by_handle_abandons_once),
        cmocka_unit_test(test_queue_fifo_ring_matches_heap_among_equals),
        cmocka_unit_test(test_queue_max_len_marks_full_without_refusing),
        cmocka_unit_test(test_queue_length_time_average_by_hand),
        cmocka_unit_test(test_queue_length_average_obeys_littles_law),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
