#include "sim/queue.h"

void queue_init(struct queue *q, enum queue_discipline discipline, uint32_t max_len, double now)
{
    heap_init(&q->heap, sizeof(struct queue_entry), 0);
    q->discipline = discipline;
    q->max_len = max_len;
    twavg_init(&q->len_tw, now, 0.0);
}

void queue_fini(struct queue *q)
{
    heap_fini(&q->heap);
}

void queue_reset(struct queue *q, double now)
{
    twavg_reset(&q->len_tw, now);
}

uint64_t queue_push(struct queue *q, double now, uint64_t item, double prio)
{
    struct queue_entry e = {.item = item, .t_enter = now};
    uint64_t h = heap_push(&q->heap, q->discipline == QUEUE_PRIORITY ? prio : 0.0, &e);

    twavg_set(&q->len_tw, now, (double)heap_size(&q->heap));
    return h;
}

bool queue_pop(struct queue *q, double now, struct queue_entry *out)
{
    if (!heap_pop(&q->heap, NULL, out)) {
        return false;
    }
    twavg_set(&q->len_tw, now, (double)heap_size(&q->heap));
    return true;
}

bool queue_remove(struct queue *q, double now, uint64_t handle, struct queue_entry *out)
{
    if (!heap_remove(&q->heap, handle, NULL, out)) {
        return false;
    }
    twavg_set(&q->len_tw, now, (double)heap_size(&q->heap));
    return true;
}
