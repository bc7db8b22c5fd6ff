/*
 * queue — a waiting line with FIFO or priority discipline.
 *
 * Each waiting entry is the caller's 64-bit item (a customer index, a client id) with its time
 * of joining. FIFO serves in order of joining; PRIORITY serves the lowest priority number
 * first and, among equals, in order of joining. Any entry can leave early by its handle
 * (abandonment). PRIORITY is built on struct heap: push, pop and remove are O(log n). FIFO is a
 * ring of entries in order of joining: push and remove are O(1), a pop O(1) amortised (an entry
 * that left early stays in the ring, marked, until the pop reaches it). Neither allocates in
 * steady state.
 *
 * An optional limit on the number waiting (max_len > 0) makes queue_is_full() true at the
 * limit; refusing the arrival is the caller's decision. The queue keeps the time-weighted
 * average of its length (len_tw), reset with queue_reset().
 */
#ifndef CCSIM_SIM_QUEUE_H
#define CCSIM_SIM_QUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/heap.h"
#include "sim/tally.h"

enum queue_discipline {
    QUEUE_FIFO,
    QUEUE_PRIORITY,
};

struct queue_entry {
    uint64_t item;  /* the caller's identifier */
    double t_enter; /* time of joining */
};

/* A FIFO queue's ring: entry k of all pushed (k from 0) sits in cell[k & mask] while
 * head <= k < tail; its handle is k + 1. */
struct queue_cell {
    struct queue_entry e;
    bool waiting; /* false once removed by handle */
};

struct queue_ring {
    struct queue_cell *cell;
    uint64_t head, tail; /* entries head..tail-1 are in the ring, waiting or removed */
    uint32_t mask;       /* cells - 1 (a power of two) */
    uint32_t n;          /* entries waiting */
};

struct queue {
    struct heap heap;       /* PRIORITY: key priority, payload struct queue_entry */
    struct queue_ring fifo; /* FIFO */
    enum queue_discipline discipline;
    uint32_t max_len;    /* most entries waiting, 0 for no limit */
    struct twavg len_tw; /* number waiting, time-weighted */
};

/* Prepares an empty queue at time now. Cannot fail. */
void queue_init(struct queue *q, enum queue_discipline discipline, uint32_t max_len, double now);
void queue_fini(struct queue *q);
/* Restarts the time-weighted length at now (end of warm-up); entries stay. */
void queue_reset(struct queue *q, double now);

static inline uint32_t queue_length(const struct queue *q)
{
    return q->discipline == QUEUE_FIFO ? q->fifo.n : heap_size(&q->heap);
}

static inline bool queue_is_full(const struct queue *q)
{
    return q->max_len > 0 && queue_length(q) >= q->max_len;
}

/* Adds item at time now with priority prio (ignored under FIFO). Returns a handle for
 * queue_remove(). The caller checks queue_is_full() first if it enforces the limit. */
uint64_t queue_push(struct queue *q, double now, uint64_t item, double prio);
/* Takes the next entry to serve into *out. False when empty. */
bool queue_pop(struct queue *q, double now, struct queue_entry *out);
/* Takes the entry named by handle out (abandonment). False if it already left. */
bool queue_remove(struct queue *q, double now, uint64_t handle, struct queue_entry *out);

#endif
