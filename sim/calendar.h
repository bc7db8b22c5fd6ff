/*
 * calendar — the future event list.
 *
 * Pending events ordered by (time, insertion sequence): events due at the same time run in the
 * order they were scheduled, so a run never depends on the calendar's layout. schedule, pop and
 * cancel are O(log n), peek O(1), and a run in steady state allocates nothing per event (the
 * arrays grow only when the number of pending events reaches a new high).
 *
 * Layout (chosen from the care model's profile: about 16,000 pending events, of which about
 * 600 are due within a week and 10,000 more than a year ahead; most of the run's time went to
 * taking the earliest event off one large heap). Events due before a boundary sit in a near
 * heap, a 4-ary min-heap of 16-byte nodes (time, sequence, slot) whose four children of a node
 * share one 64-byte cache line; events due at or after it sit in an unsorted far array (O(1) to
 * schedule and to cancel). Nearly every event is scheduled and taken in the near heap, which
 * stays small enough for the first-level cache. When the near heap runs empty, the boundary
 * moves a width past the earliest far event and the far events before it come across (two
 * sequential passes over the array); when it grows past near_limit, the boundary moves back to
 * its lower quarter and the width becomes that span. The width doubles when a move brings too
 * few. A calendar with few events (M/M/c) never splits and is the near heap alone. The event
 * itself (action, object, argument) lives in a slot array and never moves while it is pending.
 * The sequence is 32 bits: before it would wrap, the pending events are numbered again in their
 * order (once every 4 billion schedules), which keeps the order exact.
 *
 * Handles: calendar_schedule() returns a non-zero handle (slot and generation), valid until the
 * event runs or is cancelled. A slot's generation is odd while it holds an event and even while
 * free, so cancelling a stale handle is detected and harmless, and owners need not clear
 * handles when their event fires. CALENDAR_NONE (0) is never a valid handle.
 */
#ifndef CCSIM_SIM_CALENDAR_H
#define CCSIM_SIM_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

struct sim;

/* An event's action. obj and arg are whatever the scheduler passed; the kernel never reads
 * them. */
typedef void event_fn(struct sim *sim, void *obj, uint64_t arg);

#define CALENDAR_NONE ((uint64_t)0)

/* An event as stored, and as taken off the calendar by calendar_pop(). */
struct cal_event {
    event_fn *fn;
    void *obj;
    uint64_t arg;
};

/* A heap node: what the ordering reads, nothing else. */
struct cal_node {
    double t;
    uint32_t seq;
    uint32_t slot;
};

/* A slot's bookkeeping, the two words a pop or a cancel reads and writes together (one cache
 * line where two arrays took two). */
struct cal_slot {
    /* Index in the near heap, or CAL_FAR | index in the far array, while pending; the next
     * free slot while free. */
    uint32_t pos;
    uint32_t gen; /* odd while pending */
};

/* A 4-ary heap of nodes (near), or an unsorted array of them (far). */
struct cal_heap {
    struct cal_node *node; /* node[0] is the earliest */
    void *mem;             /* the allocation node points into (aligned for the cache lines) */
    uint32_t n;
};

struct calendar {
    struct cal_heap near;     /* events due before boundary; empty only when far is empty too */
    struct cal_heap far;      /* events due at or after boundary */
    struct cal_event *ev;     /* per slot: the event */
    struct cal_slot *sl;      /* per slot: where its event is, and its generation */
    struct cal_node *scratch; /* per slot: room to choose a new boundary */
    double boundary;          /* +infinity until the near heap first grows past near_limit */
    double width;             /* how far past the earliest far event the boundary moves; 0 unset */
    uint32_t near_limit;      /* near heap size that moves the boundary back */
    uint32_t cap;             /* slots allocated */
    uint32_t free_head;       /* first free slot, or UINT32_MAX */
    uint32_t next_seq;        /* sequence of the next event scheduled */
    uint32_t held;            /* slot of the event calendar_pop_held() took, or UINT32_MAX */
};

#define CAL_FAR UINT32_C(0x80000000)

/* Prepares an empty calendar. Cannot fail (allocation failure exits, see xalloc.h). */
void calendar_init(struct calendar *cal);
/* Frees the calendar. Pending events are dropped. */
void calendar_fini(struct calendar *cal);

/* Schedules fn(sim, obj, arg) at time t (finite). Returns the event's handle. */
uint64_t calendar_schedule(struct calendar *cal, double t, event_fn *fn, void *obj, uint64_t arg);

/* Removes a pending event. Returns true if it was pending, false for a stale or NONE handle. */
bool calendar_cancel(struct calendar *cal, uint64_t handle);

/* Slot of a pending event's handle, or UINT32_MAX for a stale or NONE handle. */
static inline uint32_t calendar_slot(const struct calendar *cal, uint64_t handle)
{
    uint32_t i = (uint32_t)(handle & 0xffffffffu);
    uint32_t g = (uint32_t)(handle >> 32);

    return i < cal->cap && cal->sl[i].gen == g && (g & 1u) ? i : UINT32_MAX;
}

/* True while handle names a pending event. */
static inline bool calendar_is_pending(const struct calendar *cal, uint64_t handle)
{
    return calendar_slot(cal, handle) != UINT32_MAX;
}

/* Due time of a pending event. */
double calendar_due(const struct calendar *cal, uint64_t handle);

static inline uint32_t calendar_size(const struct calendar *cal)
{
    return cal->near.n + cal->far.n - (cal->held != UINT32_MAX);
}

/* Due time of the earliest event; the calendar must not be empty, and no event held (see
 * calendar_pop_held()). */
static inline double calendar_peek_time(const struct calendar *cal)
{
    return cal->near.node[0].t;
}

/* Removes the earliest event into *t and *out. Returns false when empty. */
bool calendar_pop(struct calendar *cal, double *t, struct cal_event *out);

/* As calendar_pop(), for the event loop: the event's handle is stale at once, but its node
 * stays at the top of the near heap until the next calendar call. If that call schedules an
 * event due before the boundary, the new event takes the node's place with one pass down the
 * heap (the "hold" of a simulation's event list: most events schedule one more); any other
 * call takes the node out first. The order of events is the same either way. */
bool calendar_pop_held(struct calendar *cal, double *t, struct cal_event *out);

/* Takes out the node of a held event, if any (the event loop calls it after each event, before
 * calendar_peek_time()). */
void calendar_settle(struct calendar *cal);

/* Calls visit(ctx, event) for every pending event, in no particular order (for consistency
 * checks in debug builds; not for the event loop). */
void calendar_visit(const struct calendar *cal,
                    void (*visit)(void *ctx, const struct cal_event *ev), void *ctx);

#endif
