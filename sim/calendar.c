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
/* Near heap size that moves the boundary back: 4,096 nodes are 64 KB. After the move about a
 * quarter stay. */
#define NEAR_LIMIT 4096
/* A refill that moves fewer far events than this (plus 1/64 of those left) doubles the width. */
#define FEW_MOVED 32

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

static inline uint64_t make_handle(uint32_t slot, uint32_t gen)
{
    return ((uint64_t)gen << 32) | slot;
}

static inline bool before(const struct cal_node *a, const struct cal_node *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

/* The near heap keeps node[n] to node[n + 3] later than any event, so that every node with a
 * child has four to compare and the choice among them never branches on how many there are. */
static const struct cal_node SENTINEL = {.t = INFINITY, .seq = UINT32_MAX, .slot = NO_SLOT};

static void set_sentinels(struct cal_heap *h)
{
    for (uint32_t k = 0; k < ARITY; k++) {
        h->node[h->n + k] = SENTINEL;
    }
}

/* Node storage for cap nodes and ARITY sentinels after them, placed so that node[1] starts a
 * cache line: the children of node i, node[4i + 1] to node[4i + 4], then fill one line. */
static void heap_alloc(struct cal_heap *h, uint32_t cap)
{
    h->mem = xmalloc((size_t)cap * sizeof(struct cal_node) + 4 * LINE);
    uintptr_t line = ((uintptr_t)h->mem + LINE - 1) & ~(uintptr_t)(LINE - 1);
    h->node = (struct cal_node *)(line + LINE - sizeof(struct cal_node));
}

static void heap_grow(struct cal_heap *h, uint32_t cap)
{
    struct cal_heap bigger;

    heap_alloc(&bigger, cap);
    memcpy(bigger.node, h->node, (size_t)h->n * sizeof *h->node);
    free(h->mem);
    h->node = bigger.node;
    h->mem = bigger.mem;
    set_sentinels(h);
}

static void link_free(struct calendar *cal, uint32_t from)
{
    for (uint32_t i = from; i < cal->cap; i++) {
        cal->sl[i].pos = i + 1 < cal->cap ? i + 1 : NO_SLOT;
        cal->sl[i].gen = 0;
    }
    cal->free_head = from < cal->cap ? from : NO_SLOT;
}

void calendar_init(struct calendar *cal)
{
    memset(cal, 0, sizeof *cal);
    cal->cap = FIRST_CAP;
    heap_alloc(&cal->near, cal->cap);
    heap_alloc(&cal->far, cal->cap);
    set_sentinels(&cal->near);
    cal->ev = xcalloc(cal->cap, sizeof *cal->ev);
    cal->sl = xcalloc(cal->cap, sizeof *cal->sl);
    cal->scratch = xcalloc(cal->cap, sizeof *cal->scratch);
    cal->boundary = INFINITY;
    cal->width = 0.0;
    cal->near_limit = NEAR_LIMIT;
    cal->held = NO_SLOT;
    link_free(cal, 0);
}

void calendar_fini(struct calendar *cal)
{
    free(cal->near.mem);
    free(cal->far.mem);
    free(cal->ev);
    free(cal->sl);
    free(cal->scratch);
    memset(cal, 0, sizeof *cal);
    cal->free_head = NO_SLOT;
    cal->held = NO_SLOT;
}

static void grow(struct calendar *cal)
{
    uint32_t old = cal->cap;

    SIM_ASSERT(old < CAL_FAR / 2, "calendar: more than %u pending events", old);
    cal->cap = old * 2;
    heap_grow(&cal->near, cal->cap);
    heap_grow(&cal->far, cal->cap);
    cal->ev = xreallocarray(cal->ev, cal->cap, sizeof *cal->ev);
    cal->sl = xreallocarray(cal->sl, cal->cap, sizeof *cal->sl);
    cal->scratch = xreallocarray(cal->scratch, cal->cap, sizeof *cal->scratch);
    /* We grow only when the free list is empty, so the new slots are the whole list. */
    link_free(cal, old);
}

/* ---- one heap ------------------------------------------------------------------------------ */

/* The near heap's functions: h is always &cal->near (the far events are an array). */

/* Moves nd up from hole i; each displaced node is written once. */
static void sift_up(struct calendar *cal, struct cal_heap *h, uint32_t i, struct cal_node nd)
{
    struct cal_node *node = h->node;

    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!before(&nd, &node[parent])) {
            break;
        }
        node[i] = node[parent];
        cal->sl[node[i].slot].pos = i;
        i = parent;
    }
    node[i] = nd;
    cal->sl[nd.slot].pos = i;
}

/* before() without branches, for the choice among children: which child comes first is a coin
 * toss to the branch predictor, and a mispredicted branch costs more than the comparison. */
static inline uint32_t before_bit(const struct cal_node *a, const struct cal_node *b)
{
    return (uint32_t)(a->t < b->t) | ((uint32_t)(a->t == b->t) & (uint32_t)(a->seq < b->seq));
}

/* The earliest of the children of node i (there is at least one; the sentinels fill the
 * last group). */
static inline uint32_t first_child(const struct cal_node *node, uint32_t i)
{
    uint32_t c = ARITY * i + 1;
    uint32_t a = c + before_bit(&node[c + 1], &node[c]);
    uint32_t b = c + 2 + before_bit(&node[c + 3], &node[c + 2]);

    return before_bit(&node[b], &node[a]) ? b : a;
}

/* Fills hole i with nd: the hole first goes down to a leaf along the earliest children, then nd
 * goes up from there. The node that fills a hole is the old last one, which belongs near the
 * bottom, so this saves the comparison with nd at every level on the way down. */
static void sift_down(struct calendar *cal, struct cal_heap *h, uint32_t i, struct cal_node nd)
{
    struct cal_node *node = h->node;
    uint32_t n = h->n;

    while (ARITY * i + 1 < n) {
        /* The hole goes on to the children of one of these four children: their lines are on
         * their way while the four are compared. */
        uint32_t g = ARITY * (ARITY * i + 1) + 1;
        if (g < n) {
            PREFETCH(&node[g]);
            PREFETCH(&node[g + ARITY]);
            PREFETCH(&node[g + 2 * ARITY]);
            PREFETCH(&node[g + 3 * ARITY]);
        }
        uint32_t best = first_child(node, i);
        node[i] = node[best];
        cal->sl[node[i].slot].pos = i;
        i = best;
    }
    sift_up(cal, h, i, nd);
}

static void heap_insert(struct calendar *cal, struct cal_heap *h, struct cal_node nd)
{
    sift_up(cal, h, h->n++, nd);
    h->node[h->n + ARITY - 1] = SENTINEL; /* the others were sentinels already */
}

/* Takes the node at position i out and restores order around the node moved into the hole. */
static void heap_remove_at(struct calendar *cal, struct cal_heap *h, uint32_t i)
{
    struct cal_node last = h->node[--h->n];

    h->node[h->n] = SENTINEL;
    if (i == h->n) {
        return;
    }
    if (i > 0 && before(&last, &h->node[(i - 1) / ARITY])) {
        sift_up(cal, h, i, last);
    } else {
        sift_down(cal, h, i, last);
    }
}

/* ---- the far events: an unsorted array ---------------------------------------------------- */

static void far_append(struct calendar *cal, struct cal_node nd)
{
    struct cal_heap *far = &cal->far;

    far->node[far->n] = nd;
    cal->sl[nd.slot].pos = far->n++ | CAL_FAR;
}

static void far_remove_at(struct calendar *cal, uint32_t i)
{
    struct cal_heap *far = &cal->far;
    struct cal_node last = far->node[--far->n];

    if (i != far->n) {
        far->node[i] = last;
        cal->sl[last.slot].pos = i | CAL_FAR;
    }
}

/* ---- the boundary between near and far ---------------------------------------------------------
 */

static inline void swap_nodes(struct cal_node *x, uint32_t i, uint32_t j)
{
    struct cal_node tmp = x[i];
    x[i] = x[j];
    x[j] = tmp;
}

/* The k-th smallest time of x[0..n) (0-based), reordering x: selection with a three-way
 * partition, so that many equal times (contacts put off to the start of a week) cost O(n), not
 * O(n^2). */
static double select_kth(struct cal_node *x, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n - 1;

    while (lo < hi) {
        double pivot = x[lo + (hi - lo) / 2].t;
        uint32_t lt = lo, i = lo, gt = hi + 1; /* [lo, lt) < pivot, [lt, i) =, [gt, hi] > */
        while (i < gt) {
            if (x[i].t < pivot) {
                swap_nodes(x, lt++, i++);
            } else if (x[i].t > pivot) {
                swap_nodes(x, i, --gt);
            } else {
                i++;
            }
        }
        if (k < lt) {
            hi = lt - 1;
        } else if (k >= gt) {
            lo = gt;
        } else {
            return pivot;
        }
    }
    return x[k].t;
}

/* The near heap has grown past its limit: move the boundary back to the time a quarter of its
 * events come before, and those at or after it to the far events. The width becomes the span of
 * what stays, so later refills bring about as many. O(near) and rare. */
static void split(struct calendar *cal)
{
    struct cal_heap *near = &cal->near;
    uint32_t n = near->n;

    double t0 = near->node[0].t;
    memcpy(cal->scratch, near->node, (size_t)n * sizeof *near->node);
    double b = select_kth(cal->scratch, n, n / 4);
    if (!(b > t0)) {
        b = nextafter(t0, INFINITY); /* at least the earliest time stays near */
    }
    /* The nodes that stay go into the near heap again, the others to the far events. */
    near->n = 0;
    set_sentinels(near);
    for (uint32_t i = 0; i < n; i++) {
        if (cal->scratch[i].t < b) {
            heap_insert(cal, near, cal->scratch[i]);
        } else {
            far_append(cal, cal->scratch[i]);
        }
    }
    cal->boundary = b;
    cal->width = b - t0;
}

/* The near heap is empty and the far events are not: move the boundary a width past the
 * earliest far event and bring the far events before it over. Two sequential passes over the
 * far array: cheaper than taking each event off a far heap, which missed the cache at every
 * level (a third of the care model's events come across). */
static void refill(struct calendar *cal)
{
    struct cal_heap *far = &cal->far;
    double t0 = far->node[0].t;
    uint32_t moved = 0;

    for (uint32_t i = 1; i < far->n; i++) {
        t0 = far->node[i].t < t0 ? far->node[i].t : t0;
    }
    double b = t0 + cal->width;
    if (!(b > t0)) {
        b = nextafter(t0, INFINITY);
    }
    for (uint32_t i = 0; i < far->n;) {
        struct cal_node nd = far->node[i];
        if (nd.t < b) {
            far_remove_at(cal, i); /* the last comes to i: look at i again */
            heap_insert(cal, &cal->near, nd);
            moved++;
        } else {
            i++;
        }
    }
    cal->boundary = b;
    /* Too few came across for two passes over the rest: a wider window next time. */
    if (far->n > 0 && moved < FEW_MOVED + far->n / 64) {
        cal->width *= 2.0;
    }
}

/* ---- the calendar -----------------------------------------------------------------------------
 */

struct seq_rank {
    uint32_t seq;
    uint32_t i; /* position, CAL_FAR set for the far array */
};

static int by_seq(const void *a, const void *b)
{
    uint32_t x = ((const struct seq_rank *)a)->seq;
    uint32_t y = ((const struct seq_rank *)b)->seq;

    return (x > y) - (x < y);
}

/* Numbers the pending events 0, 1, ... in their scheduling order, so that the sequence can go
 * on without wrapping. Relative order is kept, so each heap stays a heap. Runs once every 4
 * billion schedules; the allocation is not per event. */
static void renumber(struct calendar *cal)
{
    uint32_t n = calendar_size(cal);
    struct seq_rank *r = xcalloc(n ? n : 1, sizeof *r);
    uint32_t k = 0;

    for (uint32_t i = 0; i < cal->near.n; i++) {
        r[k++] = (struct seq_rank){.seq = cal->near.node[i].seq, .i = i};
    }
    for (uint32_t i = 0; i < cal->far.n; i++) {
        r[k++] = (struct seq_rank){.seq = cal->far.node[i].seq, .i = i | CAL_FAR};
    }
    qsort(r, n, sizeof *r, by_seq);
    for (uint32_t j = 0; j < n; j++) {
        struct cal_heap *h = r[j].i & CAL_FAR ? &cal->far : &cal->near;
        h->node[r[j].i & ~CAL_FAR].seq = j;
    }
    cal->next_seq = n;
    free(r);
}

/* The event calendar_pop_held() took is still node[0] of the near heap: take its node out now
 * and free its slot. */
static void drop_held(struct calendar *cal)
{
    uint32_t slot = cal->held;

    cal->held = NO_SLOT;
    heap_remove_at(cal, &cal->near, 0);
    if (cal->near.n == 0 && cal->far.n > 0) {
        refill(cal);
    }
    cal->sl[slot].pos = cal->free_head; /* its generation is even already */
    cal->free_head = slot;
}

void calendar_settle(struct calendar *cal)
{
    if (cal->held != NO_SLOT) {
        drop_held(cal);
    }
}

uint64_t calendar_schedule(struct calendar *cal, double t, event_fn *fn, void *obj, uint64_t arg)
{
    SIM_ASSERT(isfinite(t), "calendar: time %g is not finite", t);
    if (cal->held != NO_SLOT) {
        if (t < cal->boundary && cal->near.n > 1 && cal->next_seq != UINT32_MAX) {
            /* The running event's node and slot go to this one: one pass down from the top
             * instead of a pass down to take the old node out and a pass up to put this one
             * in. The order is (time, sequence) whatever the heap's shape. */
            uint32_t slot = cal->held;
            cal->held = NO_SLOT;
            cal->sl[slot].gen++; /* even (free) to odd (pending) */
            cal->ev[slot] = (struct cal_event){.fn = fn, .obj = obj, .arg = arg};
            struct cal_node nd = {.t = t, .seq = cal->next_seq++, .slot = slot};
            sift_down(cal, &cal->near, 0, nd);
            return make_handle(slot, cal->sl[slot].gen);
        }
        drop_held(cal);
    }
    if (cal->free_head == NO_SLOT) {
        grow(cal);
    }
    if (cal->next_seq == UINT32_MAX) {
        renumber(cal);
    }
    uint32_t slot = cal->free_head;

    cal->free_head = cal->sl[slot].pos;
    cal->sl[slot].gen++; /* even (free) to odd (pending) */
    cal->ev[slot] = (struct cal_event){.fn = fn, .obj = obj, .arg = arg};
    struct cal_node nd = {.t = t, .seq = cal->next_seq++, .slot = slot};
    if (cal->near.n == 0 && cal->width > 0) {
        /* Nothing is pending: the boundary may start again from here. */
        cal->boundary = t + cal->width > t ? t + cal->width : nextafter(t, INFINITY);
    }
    if (t < cal->boundary) {
        heap_insert(cal, &cal->near, nd);
        /* Past the limit, or past 1/16 of the far events: a refill must bring 1/64 of them to
         * pay for its passes over the array, so with many far events the near heap is let grow
         * with them (O(log n) a pop) rather than the refills' scans (O(far) each). */
        if (cal->near.n > cal->near_limit && cal->near.n > cal->far.n / 16) {
            split(cal);
        }
    } else {
        far_append(cal, nd);
    }
    return make_handle(slot, cal->sl[slot].gen);
}

static void release_slot(struct calendar *cal, uint32_t slot)
{
    cal->sl[slot].gen++; /* odd (pending) to even (free) */
    cal->sl[slot].pos = cal->free_head;
    cal->free_head = slot;
}

/* Takes the event in slot out of its heap, keeping the near heap non-empty while the far one
 * holds events. */
static void take_out(struct calendar *cal, uint32_t slot)
{
    uint32_t p = cal->sl[slot].pos;

    if (p & CAL_FAR) {
        far_remove_at(cal, p & ~CAL_FAR);
    } else {
        heap_remove_at(cal, &cal->near, p);
        if (cal->near.n == 0 && cal->far.n > 0) {
            refill(cal);
        }
    }
    release_slot(cal, slot);
}

bool calendar_pop(struct calendar *cal, double *t, struct cal_event *out)
{
    calendar_settle(cal);
    if (cal->near.n == 0) {
        return false;
    }
    uint32_t slot = cal->near.node[0].slot;

    *t = cal->near.node[0].t;
    *out = cal->ev[slot];
    take_out(cal, slot);
    if (cal->near.n > 0) {
        /* The next event's action and object: fetched while this one runs. */
        PREFETCH(&cal->ev[cal->near.node[0].slot]);
    }
    return true;
}

bool calendar_pop_held(struct calendar *cal, double *t, struct cal_event *out)
{
    calendar_settle(cal);
    if (cal->near.n == 0) {
        return false;
    }
    uint32_t slot = cal->near.node[0].slot;

    *t = cal->near.node[0].t;
    *out = cal->ev[slot];
    cal->sl[slot].gen++; /* odd (pending) to even: its handle is stale from here */
    cal->held = slot;
    return true;
}

bool calendar_cancel(struct calendar *cal, uint64_t handle)
{
    uint32_t slot = calendar_slot(cal, handle);

    if (slot == NO_SLOT) {
        return false;
    }
    calendar_settle(cal);
    take_out(cal, slot);
    return true;
}

double calendar_due(const struct calendar *cal, uint64_t handle)
{
    uint32_t slot = calendar_slot(cal, handle);

    SIM_ASSERT(slot != NO_SLOT, "calendar: due time of a stale handle");
    uint32_t p = cal->sl[slot].pos;
    return p & CAL_FAR ? cal->far.node[p & ~CAL_FAR].t : cal->near.node[p].t;
}

void calendar_visit(const struct calendar *cal,
                    void (*visit)(void *ctx, const struct cal_event *ev), void *ctx)
{
    for (uint32_t i = cal->held != NO_SLOT; i < cal->near.n; i++) {
        visit(ctx, &cal->ev[cal->near.node[i].slot]);
    }
    for (uint32_t i = 0; i < cal->far.n; i++) {
        visit(ctx, &cal->ev[cal->far.node[i].slot]);
    }
}
