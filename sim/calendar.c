#include "sim/calendar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fail.h"
#include "sim/xalloc.h"

#define NO_SLOT   UINT32_MAX
#define ARITY     4
#define LINE      64
#define FIRST_CAP 64

static inline uint64_t make_handle(uint32_t slot, uint32_t gen)
{
    return ((uint64_t)gen << 32) | slot;
}

static inline bool before(const struct cal_node *a, const struct cal_node *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* Node storage for cap nodes, placed so that node[1] starts a cache line: the children of
 * node i, node[4i + 1] to node[4i + 4], then fill one line. */
static struct cal_node *alloc_nodes(uint32_t cap, void **mem)
{
    *mem = xmalloc((size_t)cap * sizeof(struct cal_node) + 2 * LINE);
    uintptr_t line = ((uintptr_t)*mem + LINE - 1) & ~(uintptr_t)(LINE - 1);
    return (struct cal_node *)(line + LINE - sizeof(struct cal_node));
}

static void link_free(struct calendar *cal, uint32_t from)
{
    for (uint32_t i = from; i < cal->cap; i++) {
        cal->pos[i] = i + 1 < cal->cap ? i + 1 : NO_SLOT;
        cal->gen[i] = 0;
    }
    cal->free_head = from < cal->cap ? from : NO_SLOT;
}

void calendar_init(struct calendar *cal)
{
    cal->cap = FIRST_CAP;
    cal->node = alloc_nodes(cal->cap, &cal->node_mem);
    cal->ev = xcalloc(cal->cap, sizeof *cal->ev);
    cal->pos = xcalloc(cal->cap, sizeof *cal->pos);
    cal->gen = xcalloc(cal->cap, sizeof *cal->gen);
    cal->n = 0;
    cal->next_seq = 0;
    link_free(cal, 0);
}

void calendar_fini(struct calendar *cal)
{
    free(cal->node_mem);
    free(cal->ev);
    free(cal->pos);
    free(cal->gen);
    memset(cal, 0, sizeof *cal);
    cal->free_head = NO_SLOT;
}

static void grow(struct calendar *cal)
{
    uint32_t old = cal->cap;
    void *mem;

    SIM_ASSERT(old < UINT32_MAX / 4, "calendar: more than %u pending events", old);
    cal->cap = old * 2;
    struct cal_node *node = alloc_nodes(cal->cap, &mem);
    memcpy(node, cal->node, (size_t)cal->n * sizeof *node);
    free(cal->node_mem);
    cal->node = node;
    cal->node_mem = mem;
    cal->ev = xreallocarray(cal->ev, cal->cap, sizeof *cal->ev);
    cal->pos = xreallocarray(cal->pos, cal->cap, sizeof *cal->pos);
    cal->gen = xreallocarray(cal->gen, cal->cap, sizeof *cal->gen);
    /* We grow only when the free list is empty, so the new slots are the whole list. */
    link_free(cal, old);
}

struct seq_rank {
    uint32_t seq;
    uint32_t i;
};

static int by_seq(const void *a, const void *b)
{
    uint32_t x = ((const struct seq_rank *)a)->seq;
    uint32_t y = ((const struct seq_rank *)b)->seq;

    return (x > y) - (x < y);
}

/* Numbers the pending events 0, 1, ... in their scheduling order, so that the sequence can go
 * on without wrapping. Relative order is kept, so the heap stays a heap. Runs once every 4
 * billion schedules; the allocation is not per event. */
static void renumber(struct calendar *cal)
{
    struct seq_rank *r = xcalloc(cal->n ? cal->n : 1, sizeof *r);

    for (uint32_t i = 0; i < cal->n; i++) {
        r[i] = (struct seq_rank){.seq = cal->node[i].seq, .i = i};
    }
    qsort(r, cal->n, sizeof *r, by_seq);
    for (uint32_t k = 0; k < cal->n; k++) {
        cal->node[r[k].i].seq = k;
    }
    cal->next_seq = cal->n;
    free(r);
}

/* Moves node up from hole i; each displaced node is written once. */
static void sift_up(struct calendar *cal, uint32_t i, struct cal_node nd)
{
    struct cal_node *node = cal->node;

    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!before(&nd, &node[parent])) {
            break;
        }
        node[i] = node[parent];
        cal->pos[node[i].slot] = i;
        i = parent;
    }
    node[i] = nd;
    cal->pos[nd.slot] = i;
}

/* before() without branches, for the choice among children: which child comes first is a coin
 * toss to the branch predictor, and a mispredicted branch costs more than the comparison. */
static inline uint32_t before_bit(const struct cal_node *a, const struct cal_node *b)
{
    return (uint32_t)(a->t < b->t) | ((uint32_t)(a->t == b->t) & (uint32_t)(a->seq < b->seq));
}

/* The earliest of the children of node i (there is at least one). */
static inline uint32_t first_child(const struct cal_node *node, uint32_t i, uint32_t n)
{
    uint32_t c = ARITY * i + 1;

    if (c + ARITY <= n) {
        uint32_t a = c + before_bit(&node[c + 1], &node[c]);
        uint32_t b = c + 2 + before_bit(&node[c + 3], &node[c + 2]);
        return before_bit(&node[b], &node[a]) ? b : a;
    }
    uint32_t best = c;
    for (uint32_t k = c + 1; k < n; k++) {
        best = before_bit(&node[k], &node[best]) ? k : best;
    }
    return best;
}

/* Fills hole i with nd: the hole first goes down to a leaf along the earliest children, then nd
 * goes up from there. The node that fills a hole is the old last one, which belongs near the
 * bottom, so this saves the comparison with nd at every level on the way down. */
static void sift_down(struct calendar *cal, uint32_t i, struct cal_node nd)
{
    struct cal_node *node = cal->node;
    uint32_t n = cal->n;

    while (ARITY * i + 1 < n) {
        uint32_t best = first_child(node, i, n);
        node[i] = node[best];
        cal->pos[node[i].slot] = i;
        i = best;
    }
    sift_up(cal, i, nd);
}

uint64_t calendar_schedule(struct calendar *cal, double t, event_fn *fn, void *obj, uint64_t arg)
{
    SIM_ASSERT(isfinite(t), "calendar: time %g is not finite", t);
    if (cal->free_head == NO_SLOT) {
        grow(cal);
    }
    if (cal->next_seq == UINT32_MAX) {
        renumber(cal);
    }
    uint32_t slot = cal->free_head;

    cal->free_head = cal->pos[slot];
    cal->gen[slot]++; /* even (free) to odd (pending) */
    cal->ev[slot] = (struct cal_event){.fn = fn, .obj = obj, .arg = arg};
    sift_up(cal, cal->n++, (struct cal_node){.t = t, .seq = cal->next_seq++, .slot = slot});
    return make_handle(slot, cal->gen[slot]);
}

static void release_slot(struct calendar *cal, uint32_t slot)
{
    cal->gen[slot]++; /* odd (pending) to even (free) */
    cal->pos[slot] = cal->free_head;
    cal->free_head = slot;
}

/* Takes the node at position i out and restores order around the node moved into the hole. */
static void remove_at(struct calendar *cal, uint32_t i)
{
    struct cal_node last = cal->node[--cal->n];

    if (i == cal->n) {
        return;
    }
    if (i > 0 && before(&last, &cal->node[(i - 1) / ARITY])) {
        sift_up(cal, i, last);
    } else {
        sift_down(cal, i, last);
    }
}

bool calendar_pop(struct calendar *cal, double *t, struct cal_event *out)
{
    if (cal->n == 0) {
        return false;
    }
    uint32_t slot = cal->node[0].slot;

    *t = cal->node[0].t;
    *out = cal->ev[slot];
    remove_at(cal, 0);
    release_slot(cal, slot);
    return true;
}

bool calendar_cancel(struct calendar *cal, uint64_t handle)
{
    uint32_t slot = calendar_slot(cal, handle);

    if (slot == NO_SLOT) {
        return false;
    }
    remove_at(cal, cal->pos[slot]);
    release_slot(cal, slot);
    return true;
}

double calendar_due(const struct calendar *cal, uint64_t handle)
{
    uint32_t slot = calendar_slot(cal, handle);

    SIM_ASSERT(slot != NO_SLOT, "calendar: due time of a stale handle");
    return cal->node[cal->pos[slot]].t;
}

void calendar_visit(const struct calendar *cal,
                    void (*visit)(void *ctx, const struct cal_event *ev), void *ctx)
{
    for (uint32_t i = 0; i < cal->n; i++) {
        visit(ctx, &cal->ev[cal->node[i].slot]);
    }
}
