/*
 * Unit tests of sim/heap: the indexed binary min-heap with handles under the calendar and the
 * queues.
 *
 * The contract checked here (sim/heap.h): entries leave in (key, insertion sequence) order,
 * remove-by-handle takes out exactly the entry named, a stale or NONE handle is rejected without
 * effect, payloads travel with their entries, and the arrays grow only when the number of
 * entries reaches a new high. The randomised test drives a few thousand pushes, pops and removes
 * from a fixed seed and compares every result with a plain array kept in the same order.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim/heap.h"
#include "sim/rng.h"
#include "tests/support.h"

struct payload {
    uint64_t id;
    double tag;
};

static int setup_heap(void **state)
{
    struct heap *h = malloc(sizeof *h);

    if (!h) {
        return -1;
    }
    heap_init(h, sizeof(struct payload), 0);
    *state = h;
    return 0;
}

static int teardown_heap(void **state)
{
    struct heap *h = *state;

    heap_fini(h);
    free(h);
    return 0;
}

static uint64_t push_id(struct heap *h, double key, uint64_t id)
{
    struct payload p = {.id = id, .tag = key * 3.25 + (double)id};

    return heap_push(h, key, &p);
}

static void test_heap_new_heap_is_empty(void **state)
{
    struct heap *h = *state;
    struct payload p = {.id = 77};
    double key = 4.5;

    assert_int_equal(heap_size(h), 0);
    assert_false(heap_pop(h, &key, &p));
    /* A failed pop leaves the outputs alone. */
    assert_true(key == 4.5);
    assert_int_equal(p.id, 77);
    assert_false(heap_contains(h, HEAP_NONE));
    assert_false(heap_remove(h, HEAP_NONE, NULL, NULL));
}

static void test_heap_pops_in_key_order_with_payloads(void **state)
{
    struct heap *h = *state;
    const double keys[] = {5.25, -1.5, 3.0, 12.75, 0.0, 7.125, -8.5, 2.385, 9.0, 1e-9};
    const size_t n = sizeof keys / sizeof keys[0];
    double sorted[sizeof keys / sizeof keys[0]];

    for (size_t i = 0; i < n; i++) {
        push_id(h, keys[i], i);
        sorted[i] = keys[i];
    }
    assert_int_equal(heap_size(h), n);
    /* Insertion sort of the reference keys. */
    for (size_t i = 1; i < n; i++) {
        double x = sorted[i];
        size_t j = i;
        while (j > 0 && sorted[j - 1] > x) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = x;
    }
    for (size_t i = 0; i < n; i++) {
        struct payload p;
        double key;
        assert_true(heap_top_key(h) == sorted[i]);
        assert_true(heap_pop(h, &key, &p));
        assert_true(key == sorted[i]);
        /* The payload is the one pushed with this key. */
        assert_true(keys[p.id] == key);
        assert_true(p.tag == key * 3.25 + (double)p.id);
    }
    assert_int_equal(heap_size(h), 0);
    assert_false(heap_pop(h, NULL, NULL));
}

static void test_heap_equal_keys_leave_in_insertion_order(void **state)
{
    struct heap *h = *state;
    uint64_t next_id[3] = {0, 0, 0};
    const double keys[3] = {2.5, 1.25, 2.5 + 1e-12};

    /* Interleave three keys, two of them almost equal, so that ties are spread over the heap. */
    for (int i = 0; i < 300; i++) {
        int k = (i * 7 + i / 5) % 3;
        push_id(h, keys[k], (uint64_t)k * 1000 + next_id[k]++);
    }
    const int order[3] = {1, 0, 2}; /* by key */
    for (int o = 0; o < 3; o++) {
        int k = order[o];
        for (uint64_t j = 0; j < next_id[k]; j++) {
            struct payload p;
            double key;
            assert_true(heap_pop(h, &key, &p));
            assert_true(key == keys[k]);
            assert_int_equal(p.id, (uint64_t)k * 1000 + j);
        }
    }
    assert_int_equal(heap_size(h), 0);
}

static void test_heap_remove_by_handle_takes_that_entry(void **state)
{
    struct heap *h = *state;
    uint64_t hd[8];

    for (int i = 0; i < 8; i++) {
        hd[i] = push_id(h, 10.0 - i * 1.5, (uint64_t)i);
        assert_true(hd[i] != HEAP_NONE);
    }
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < i; j++) {
            assert_true(hd[i] != hd[j]);
        }
    }
    struct payload p;
    double key;
    /* The top (id 7, key -0.5), a middle entry and a leaf. */
    assert_true(heap_remove(h, hd[7], &key, &p));
    assert_true(key == -0.5);
    assert_int_equal(p.id, 7);
    assert_true(heap_remove(h, hd[3], &key, &p));
    assert_true(key == 5.5);
    assert_int_equal(p.id, 3);
    assert_true(heap_remove(h, hd[0], NULL, NULL));
    assert_int_equal(heap_size(h), 5);
    const int left[] = {6, 5, 4, 2, 1};
    for (int i = 0; i < 5; i++) {
        assert_true(heap_contains(h, hd[left[i]]));
        assert_true(heap_key(h, hd[left[i]]) == 10.0 - left[i] * 1.5);
    }
    for (int i = 0; i < 5; i++) {
        assert_true(heap_pop(h, &key, &p));
        assert_int_equal(p.id, left[i]);
    }
}

static void test_heap_stale_handles_are_rejected_without_effect(void **state)
{
    struct heap *h = *state;
    uint64_t a = push_id(h, 1.5, 1);
    uint64_t b = push_id(h, 2.5, 2);

    assert_true(heap_remove(h, a, NULL, NULL));
    /* Removing twice: the second is stale. */
    assert_false(heap_contains(h, a));
    assert_false(heap_remove(h, a, NULL, NULL));
    assert_int_equal(heap_size(h), 1);

    /* The freed slot is reused by the next push; the old handle must not name the new entry. */
    uint64_t c = push_id(h, 0.5, 3);
    assert_true(c != a);
    assert_false(heap_contains(h, a));
    assert_false(heap_remove(h, a, NULL, NULL));
    assert_true(heap_contains(h, c));
    assert_int_equal(heap_size(h), 2);

    /* A popped entry's handle is stale too. */
    struct payload p;
    assert_true(heap_pop(h, NULL, &p));
    assert_int_equal(p.id, 3);
    assert_false(heap_contains(h, c));
    assert_false(heap_remove(h, c, NULL, NULL));

    /* Handles that never existed: NONE, a slot beyond the arrays, a free slot's generation. */
    assert_false(heap_remove(h, HEAP_NONE, NULL, NULL));
    assert_false(heap_contains(h, ((uint64_t)1 << 32) | 0xfffffu));
    assert_false(heap_contains(h, b + ((uint64_t)1 << 32))); /* even generation: free */
    assert_false(heap_contains(h, b + ((uint64_t)2 << 32))); /* a later life of the slot */
    assert_true(heap_contains(h, b));
    assert_int_equal(heap_size(h), 1);
    assert_true(heap_pop(h, NULL, &p));
    assert_int_equal(p.id, 2);
}

static void test_heap_payload_is_writable_in_place(void **state)
{
    struct heap *h = *state;
    uint64_t a = push_id(h, 3.5, 10);

    push_id(h, 1.5, 11);
    struct payload *pp = heap_payload(h, a);
    assert_int_equal(pp->id, 10);
    pp->id = 4242;
    pp->tag = -6.75;

    struct payload p;
    assert_true(heap_pop(h, NULL, &p));
    assert_int_equal(p.id, 11);
    assert_true(heap_pop(h, NULL, &p));
    assert_int_equal(p.id, 4242);
    assert_true(p.tag == -6.75);
}

static void test_heap_clear_makes_handles_stale_and_keeps_memory(void **state)
{
    struct heap *h = *state;
    uint64_t hd[200];

    for (int i = 0; i < 200; i++) {
        hd[i] = push_id(h, (double)((i * 37) % 101), (uint64_t)i);
    }
    uint32_t cap = h->cap;
    heap_clear(h);
    assert_int_equal(heap_size(h), 0);
    assert_int_equal(h->cap, cap);
    for (int i = 0; i < 200; i++) {
        assert_false(heap_contains(h, hd[i]));
        assert_false(heap_remove(h, hd[i], NULL, NULL));
    }
    /* The heap works as new after clearing, in the same memory. */
    for (int i = 0; i < 200; i++) {
        push_id(h, 200.0 - i, (uint64_t)i);
    }
    assert_int_equal(h->cap, cap);
    for (int i = 199; i >= 0; i--) {
        struct payload p;
        assert_true(heap_pop(h, NULL, &p));
        assert_int_equal(p.id, (uint64_t)i);
    }
}

/* The reference model: live entries in an array, the least (key, seq) found by a scan. */
struct ref_entry {
    double key;
    uint64_t seq;
    uint64_t handle;
    uint64_t id;
};

struct ref {
    struct ref_entry *e;
    size_t n;
};

static size_t ref_min(const struct ref *r)
{
    size_t best = 0;

    for (size_t i = 1; i < r->n; i++) {
        if (r->e[i].key < r->e[best].key ||
            (r->e[i].key == r->e[best].key && r->e[i].seq < r->e[best].seq)) {
            best = i;
        }
    }
    return best;
}

static void ref_take(struct ref *r, size_t i)
{
    r->e[i] = r->e[--r->n];
}

static void test_heap_matches_sorted_reference_under_random_operations(void **state)
{
    struct heap *h = *state;
    enum { OPS = 6000 };
    struct ref r = {.e = calloc(OPS, sizeof(struct ref_entry)), .n = 0};
    uint64_t *dead = calloc(OPS, sizeof *dead);
    size_t n_dead = 0;
    gsl_rng *g = rng_create(20240611);
    uint64_t seq = 0;

    assert_non_null(r.e);
    assert_non_null(dead);
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(g);
        /* Pushes outnumber removals early on, so the heap grows to a few hundred entries, and
         * keys come from a small set so that ties are common. */
        double p_push = op < OPS / 2 ? 0.6 : 0.4;
        if (u < p_push || r.n == 0) {
            double key = (double)gsl_rng_uniform_int(g, 50) * 0.25 - 3.0;
            uint64_t id = (uint64_t)op;
            uint64_t hd = push_id(h, key, id);
            r.e[r.n++] = (struct ref_entry){.key = key, .seq = seq++, .handle = hd, .id = id};
        } else if (u < p_push + 0.3) {
            size_t i = ref_min(&r);
            struct payload p;
            double key;
            assert_true(heap_top_key(h) == r.e[i].key);
            assert_true(heap_pop(h, &key, &p));
            assert_true(key == r.e[i].key);
            assert_int_equal(p.id, r.e[i].id);
            dead[n_dead++] = r.e[i].handle;
            ref_take(&r, i);
        } else {
            size_t i = gsl_rng_uniform_int(g, r.n);
            struct payload p;
            double key;
            assert_true(heap_remove(h, r.e[i].handle, &key, &p));
            assert_true(key == r.e[i].key);
            assert_int_equal(p.id, r.e[i].id);
            dead[n_dead++] = r.e[i].handle;
            ref_take(&r, i);
        }
        /* Now and then, a stale handle must be refused and change nothing. */
        if (n_dead > 0 && op % 7 == 0) {
            uint64_t stale = dead[gsl_rng_uniform_int(g, n_dead)];
            assert_false(heap_contains(h, stale));
            assert_false(heap_remove(h, stale, NULL, NULL));
        }
        assert_int_equal(heap_size(h), r.n);
        if (op % 500 == 0) {
            for (size_t i = 0; i < r.n; i++) {
                assert_true(heap_contains(h, r.e[i].handle));
                assert_true(heap_key(h, r.e[i].handle) == r.e[i].key);
                const struct payload *pp = heap_payload(h, r.e[i].handle);
                assert_int_equal(pp->id, r.e[i].id);
            }
        }
    }
    /* Drain: the rest leaves in reference order. */
    while (r.n > 0) {
        size_t i = ref_min(&r);
        struct payload p;
        assert_true(heap_pop(h, NULL, &p));
        assert_int_equal(p.id, r.e[i].id);
        ref_take(&r, i);
    }
    assert_int_equal(heap_size(h), 0);
    gsl_rng_free(g);
    free(dead);
    free(r.e);
}

/* Hold model: with N entries held, each step pops the least and pushes a replacement at a later
 * key. The number of entries never passes N, so after the first N pushes nothing may grow. */
static void test_heap_hold_model_does_not_grow_in_steady_state(void **state)
{
    struct heap h;
    gsl_rng *g = rng_create(99);
    enum { HELD = 1000 };

    (void)state;
    heap_init(&h, sizeof(struct payload), 16);
    assert_int_equal(h.cap, 16);
    for (int i = 0; i < HELD; i++) {
        push_id(&h, gsl_rng_uniform(g) * 10.0, (uint64_t)i);
    }
    uint32_t cap = h.cap;
    assert_true(cap >= HELD);
    assert_true(cap < 4 * HELD); /* geometric growth, not one slot per push */
    unsigned char *nodes = (unsigned char *)h.nodes;
    double last = -INFINITY;
    for (int i = 0; i < 100000; i++) {
        double key;
        struct payload p;
        assert_true(heap_pop(&h, &key, &p));
        assert_true(key >= last); /* the hold model's keys never go backwards */
        last = key;
        push_id(&h, key + gsl_rng_uniform(g) * 10.0, p.id);
    }
    assert_int_equal(h.cap, cap);
    assert_ptr_equal(h.nodes, nodes);
    assert_int_equal(heap_size(&h), HELD);
    gsl_rng_free(g);
    heap_fini(&h);
}

/* The arrays double when full and not before. */
static void test_heap_grows_only_at_a_new_high(void **state)
{
    struct heap h;

    (void)state;
    heap_init(&h, sizeof(struct payload), 4);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++) {
            push_id(&h, i * 1.5, (uint64_t)i);
        }
        assert_int_equal(h.cap, 4);
        while (heap_pop(&h, NULL, NULL)) {
        }
    }
    for (int i = 0; i < 5; i++) {
        push_id(&h, i * 1.5, (uint64_t)i);
    }
    assert_int_equal(h.cap, 8);
    for (int i = 0; i < 5; i++) {
        struct payload p;
        assert_true(heap_pop(&h, NULL, &p));
        assert_int_equal(p.id, (uint64_t)i);
    }
    heap_fini(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_heap_new_heap_is_empty, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_pops_in_key_order_with_payloads, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_equal_keys_leave_in_insertion_order, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_remove_by_handle_takes_that_entry, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_stale_handles_are_rejected_without_effect,
                                        setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_payload_is_writable_in_place, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_clear_makes_handles_stale_and_keeps_memory,
                                        setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(test_heap_matches_sorted_reference_under_random_operations,
                                        setup_heap, teardown_heap),
        cmocka_unit_test(test_heap_hold_model_does_not_grow_in_steady_state),
        cmocka_unit_test(test_heap_grows_only_at_a_new_high),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
