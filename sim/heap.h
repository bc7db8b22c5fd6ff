/*
 * heap — an indexed binary min-heap with handles: the priority queues' (sim/queue.h). The
 * calendar has a layout of its own (sim/calendar.h).
 *
 * Entries are ordered by (key, insertion sequence), so equal keys leave in the order they came.
 * Each entry carries a fixed-size payload chosen at init. Push, pop and remove-by-handle are
 * O(log n); top is O(1).
 *
 * Memory: payloads live in a slot array with a free list; the heap array holds
 * (key, sequence, slot) triples so that comparisons touch one cache line. Arrays grow
 * geometrically when the number of entries reaches a new high and never shrink, so steady
 * state allocates nothing.
 *
 * Handles: a push returns a non-zero handle (slot index plus generation), valid until the entry
 * is popped or removed. A slot's generation is odd while it holds an entry and even while free,
 * so a stale handle is detected and harmless. HEAP_NONE (0) is never a valid handle.
 */
#ifndef CCSIM_SIM_HEAP_H
#define CCSIM_SIM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HEAP_NONE ((uint64_t)0)

struct heap_node {
    double key;
    uint64_t seq;
    uint32_t slot;
};

struct heap {
    struct heap_node *nodes;
    uint32_t *pos;          /* per slot: index in nodes while live, next free slot while free */
    uint32_t *gen;          /* per slot: odd while live */
    unsigned char *payload; /* per slot: payload_size bytes */
    size_t payload_size;
    uint32_t n;         /* live entries */
    uint32_t cap;       /* slots allocated */
    uint32_t free_head; /* first free slot, or UINT32_MAX */
    uint64_t next_seq;
};

/* Prepares an empty heap whose entries carry payload_size bytes; initial_cap 0 picks a
 * default. Cannot fail. */
void heap_init(struct heap *h, size_t payload_size, uint32_t initial_cap);
void heap_fini(struct heap *h);
/* Drops every entry but keeps the memory; earlier handles become stale. */
void heap_clear(struct heap *h);

/* Inserts an entry with the given key (finite) and a copy of payload. Returns its handle. */
uint64_t heap_push(struct heap *h, double key, const void *payload);
/* Removes the least entry, copying its key and payload out (either may be NULL). False when
 * empty. */
bool heap_pop(struct heap *h, double *key, void *payload);
/* Removes the entry named by handle, copying its key and payload out (either may be NULL).
 * False for a stale or NONE handle. */
bool heap_remove(struct heap *h, uint64_t handle, double *key, void *payload);
/* True while handle names a live entry. */
bool heap_contains(const struct heap *h, uint64_t handle);
/* Key of a live entry. */
double heap_key(const struct heap *h, uint64_t handle);
/* Payload of a live entry, writable in place (not its key). */
void *heap_payload(const struct heap *h, uint64_t handle);

static inline uint32_t heap_size(const struct heap *h)
{
    return h->n;
}

/* Least key; the heap must not be empty. */
static inline double heap_top_key(const struct heap *h)
{
    return h->nodes[0].key;
}

#endif
