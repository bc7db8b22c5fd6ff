#include "sim/heap.h"

#include <math.h>
#include <stdlib.h>

#include "sim/fail.h"
#include "sim/xalloc.h"

#define NO_SLOT UINT32_MAX

static inline uint64_t make_handle(uint32_t slot, uint32_t gen)
{
    return ((uint64_t)gen << 32) | slot;
}

/* The queue's payload is 16 bytes: a copy of known size is a few moves, not a call. */
static inline void copy_payload(void *dst, const void *src, size_t size)
{
    if (size == 16) {
        memcpy(dst, src, 16);
    } else {
        memcpy(dst, src, size);
    }
}

static inline bool node_before(const struct heap_node *a, const struct heap_node *b)
{
    return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static void link_free(struct heap *h, uint32_t from)
{
    for (uint32_t i = from; i < h->cap; i++) {
        h->pos[i] = i + 1 < h->cap ? i + 1 : NO_SLOT;
        h->gen[i] = 0;
    }
    h->free_head = from < h->cap ? from : NO_SLOT;
}

void heap_init(struct heap *h, size_t payload_size, uint32_t initial_cap)
{
    h->cap = initial_cap ? initial_cap : 64;
    h->payload_size = payload_size;
    h->nodes = xcalloc(h->cap, sizeof *h->nodes);
    h->pos = xcalloc(h->cap, sizeof *h->pos);
    h->gen = xcalloc(h->cap, sizeof *h->gen);
    h->payload = xcalloc(h->cap, payload_size ? payload_size : 1);
    h->n = 0;
    h->next_seq = 0;
    link_free(h, 0);
}

void heap_fini(struct heap *h)
{
    free(h->nodes);
    free(h->pos);
    free(h->gen);
    free(h->payload);
    memset(h, 0, sizeof *h);
    h->free_head = NO_SLOT;
}

static void release_slot(struct heap *h, uint32_t slot)
{
    h->gen[slot]++; /* odd (live) to even (free) */
    h->pos[slot] = h->free_head;
    h->free_head = slot;
}

void heap_clear(struct heap *h)
{
    for (uint32_t i = 0; i < h->n; i++) {
        release_slot(h, h->nodes[i].slot);
    }
    h->n = 0;
}

static void grow(struct heap *h)
{
    uint32_t old = h->cap;

    SIM_ASSERT(old < UINT32_MAX / 2, "heap: more than %u entries", old);
    h->cap = old * 2;
    h->nodes = xreallocarray(h->nodes, h->cap, sizeof *h->nodes);
    h->pos = xreallocarray(h->pos, h->cap, sizeof *h->pos);
    h->gen = xreallocarray(h->gen, h->cap, sizeof *h->gen);
    h->payload = xreallocarray(h->payload, h->cap, h->payload_size ? h->payload_size : 1);
    /* We grow only when the free list is empty, so the new slots are the whole list. */
    link_free(h, old);
}

/* Moves node up from hole i; each displaced node is written once. */
static void sift_up(struct heap *h, uint32_t i, struct heap_node node)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!node_before(&node, &h->nodes[parent])) {
            break;
        }
        h->nodes[i] = h->nodes[parent];
        h->pos[h->nodes[i].slot] = i;
        i = parent;
    }
    h->nodes[i] = node;
    h->pos[node.slot] = i;
}

static void sift_down(struct heap *h, uint32_t i, struct heap_node node)
{
    uint32_t n = h->n;

    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= n) {
            break;
        }
        if (child + 1 < n && node_before(&h->nodes[child + 1], &h->nodes[child])) {
            child++;
        }
        if (!node_before(&h->nodes[child], &node)) {
            break;
        }
        h->nodes[i] = h->nodes[child];
        h->pos[h->nodes[i].slot] = i;
        i = child;
    }
    h->nodes[i] = node;
    h->pos[node.slot] = i;
}

uint64_t heap_push(struct heap *h, double key, const void *payload)
{
    SIM_ASSERT(isfinite(key), "heap: key %g is not finite", key);
    if (h->free_head == NO_SLOT) {
        grow(h);
    }
    uint32_t slot = h->free_head;

    h->free_head = h->pos[slot];
    h->gen[slot]++; /* even (free) to odd (live) */
    copy_payload(h->payload + (size_t)slot * h->payload_size, payload, h->payload_size);
    struct heap_node node = {.key = key, .seq = h->next_seq++, .slot = slot};
    sift_up(h, h->n++, node);
    return make_handle(slot, h->gen[slot]);
}

static bool live_slot(const struct heap *h, uint64_t handle, uint32_t *slot)
{
    uint32_t i = (uint32_t)(handle & 0xffffffffu);
    uint32_t g = (uint32_t)(handle >> 32);

    if (i >= h->cap || h->gen[i] != g || (g & 1u) == 0) {
        return false;
    }
    *slot = i;
    return true;
}

/* Takes the node at position i out and restores order around the node moved into the hole. */
static void remove_at(struct heap *h, uint32_t i)
{
    struct heap_node last = h->nodes[--h->n];

    if (i == h->n) {
        return;
    }
    if (i > 0 && node_before(&last, &h->nodes[(i - 1) / 2])) {
        sift_up(h, i, last);
    } else {
        sift_down(h, i, last);
    }
}

static void take(struct heap *h, uint32_t i, double *key, void *payload)
{
    uint32_t slot = h->nodes[i].slot;

    if (key) {
        *key = h->nodes[i].key;
    }
    if (payload) {
        copy_payload(payload, h->payload + (size_t)slot * h->payload_size, h->payload_size);
    }
    remove_at(h, i);
    release_slot(h, slot);
}

bool heap_pop(struct heap *h, double *key, void *payload)
{
    if (h->n == 0) {
        return false;
    }
    take(h, 0, key, payload);
    return true;
}

bool heap_remove(struct heap *h, uint64_t handle, double *key, void *payload)
{
    uint32_t slot;

    if (!live_slot(h, handle, &slot)) {
        return false;
    }
    take(h, h->pos[slot], key, payload);
    return true;
}

bool heap_contains(const struct heap *h, uint64_t handle)
{
    uint32_t slot;

    return live_slot(h, handle, &slot);
}

double heap_key(const struct heap *h, uint64_t handle)
{
    uint32_t slot;

    SIM_ASSERT(live_slot(h, handle, &slot), "heap: key of a stale handle");
    return h->nodes[h->pos[slot]].key;
}

void *heap_payload(const struct heap *h, uint64_t handle)
{
    uint32_t slot;

    SIM_ASSERT(live_slot(h, handle, &slot), "heap: payload of a stale handle");
    return h->payload + (size_t)slot * h->payload_size;
}
