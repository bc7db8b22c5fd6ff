#include "sim/queue.h"

#include <stdlib.h>

#include "sim/fail.h"
#include "sim/xalloc.h"

#define FIRST_CELLS 64

void queue_init(struct queue *q, enum queue_discipline discipline, uint32_t max_len, double now)
{
    /* Each discipline uses one of the two; the other stays at its smallest. */
    heap_init(&q->heap, sizeof(struct queue_entry), discipline == QUEUE_PRIORITY ? 0 : 1);
    uint32_t cells = discipline == QUEUE_FIFO ? FIRST_CELLS : 1;
    q->fifo = (struct queue_ring){.mask = cells - 1};
    q->fifo.cell = xcalloc(cells, sizeof *q->fifo.cell);
    q->discipline = discipline;
    q->max_len = max_len;
    twavg_init(&q->len_tw, now, 0.0);
}

void queue_fini(struct queue *q)
{
    heap_fini(&q->heap);
    free(q->fifo.cell);
    q->fifo.cell = NULL;
}

void queue_reset(struct queue *q, double now)
{
    twavg_reset(&q->len_tw, now);
}

/* Doubles the ring, each entry to its cell under the new mask. */
static void ring_grow(struct queue_ring *r)
{
    uint32_t cells = r->mask + 1;

    SIM_ASSERT(cells < UINT32_MAX / 2, "queue: more than %u entries", cells);
    struct queue_cell *cell = xcalloc(2 * (size_t)cells, sizeof *cell);
    for (uint64_t k = r->head; k < r->tail; k++) {
        cell[k & (2 * (uint64_t)cells - 1)] = r->cell[k & r->mask];
    }
    free(r->cell);
    r->cell = cell;
    r->mask = 2 * cells - 1;
}

static uint64_t ring_push(struct queue_ring *r, struct queue_entry e)
{
    if (r->tail - r->head > r->mask) {
        ring_grow(r);
    }
    uint64_t k = r->tail++;
    r->cell[k & r->mask] = (struct queue_cell){.e = e, .waiting = true};
    r->n++;
    return k + 1;
}

static bool ring_pop(struct queue_ring *r, struct queue_entry *out)
{
    if (r->n == 0) {
        return false;
    }
    while (!r->cell[r->head & r->mask].waiting) {
        r->head++;
    }
    struct queue_cell *c = &r->cell[r->head++ & r->mask];
    if (out) {
        *out = c->e;
    }
    c->waiting = false;
    r->n--;
    if (r->n == 0) {
        r->head = r->tail; /* removed entries behind the last one need no visit */
    }
    return true;
}

static bool ring_remove(struct queue_ring *r, uint64_t handle, struct queue_entry *out)
{
    if (handle == 0 || handle - 1 < r->head || handle - 1 >= r->tail) {
        return false;
    }
    struct queue_cell *c = &r->cell[(handle - 1) & r->mask];
    if (!c->waiting) {
        return false;
    }
    c->waiting = false;
    if (out) {
        *out = c->e;
    }
    r->n--;
    if (r->n == 0) {
        r->head = r->tail;
    }
    return true;
}

uint64_t queue_push(struct queue *q, double now, uint64_t item, double prio)
{
    struct queue_entry e = {.item = item, .t_enter = now};
    uint64_t h =
        q->discipline == QUEUE_FIFO ? ring_push(&q->fifo, e) : heap_push(&q->heap, prio, &e);

    twavg_set(&q->len_tw, now, (double)queue_length(q));
    return h;
}

bool queue_pop(struct queue *q, double now, struct queue_entry *out)
{
    if (!(q->discipline == QUEUE_FIFO ? ring_pop(&q->fifo, out) : heap_pop(&q->heap, NULL, out))) {
        return false;
    }
    twavg_set(&q->len_tw, now, (double)queue_length(q));
    return true;
}

bool queue_remove(struct queue *q, double now, uint64_t handle, struct queue_entry *out)
{
    if (!(q->discipline == QUEUE_FIFO ? ring_remove(&q->fifo, handle, out)
                                      : heap_remove(&q->heap, handle, NULL, out))) {
        return false;
    }
    twavg_set(&q->len_tw, now, (double)queue_length(q));
    return true;
}
