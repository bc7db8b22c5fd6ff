/*
 * calendar — the future event list.
 *
 * Pending events ordered by (time, insertion sequence): events due at the same time run in the
 * order they were scheduled, so a run never depends on heap layout. Built on struct heap:
 * schedule, pop and cancel are O(log n), peek O(1), and a run in steady state allocates
 * nothing per event (the arrays grow only when the number of pending events reaches a new
 * high).
 *
 * Handles: calendar_schedule() returns a non-zero handle, valid until the event runs or is
 * cancelled. Cancelling a stale handle is detected and harmless, so owners need not clear
 * handles when their event fires. CALENDAR_NONE (0) is never a valid handle.
 */
#ifndef CCSIM_SIM_CALENDAR_H
#define CCSIM_SIM_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/heap.h"

struct sim;

/* An event's action. obj and arg are whatever the scheduler passed; the kernel never reads
 * them. */
typedef void event_fn(struct sim *sim, void *obj, uint64_t arg);

#define CALENDAR_NONE HEAP_NONE

/* An event as stored, and as taken off the calendar by calendar_pop(). */
struct cal_event {
    event_fn *fn;
    void *obj;
    uint64_t arg;
};

struct calendar {
    struct heap heap; /* key: due time; payload: struct cal_event */
};

/* Prepares an empty calendar. Cannot fail (allocation failure exits, see xalloc.h). */
void calendar_init(struct calendar *cal);
/* Frees the calendar. Pending events are dropped. */
void calendar_fini(struct calendar *cal);

/* Schedules fn(sim, obj, arg) at time t (finite). Returns the event's handle. */
static inline uint64_t calendar_schedule(struct calendar *cal, double t, event_fn *fn, void *obj,
                                         uint64_t arg)
{
    struct cal_event ev = {.fn = fn, .obj = obj, .arg = arg};

    return heap_push(&cal->heap, t, &ev);
}

/* Removes a pending event. Returns true if it was pending, false for a stale or NONE handle. */
static inline bool calendar_cancel(struct calendar *cal, uint64_t handle)
{
    return heap_remove(&cal->heap, handle, NULL, NULL);
}

/* True while handle names a pending event. */
static inline bool calendar_is_pending(const struct calendar *cal, uint64_t handle)
{
    return heap_contains(&cal->heap, handle);
}

/* Due time of a pending event. */
static inline double calendar_due(const struct calendar *cal, uint64_t handle)
{
    return heap_key(&cal->heap, handle);
}

static inline uint32_t calendar_size(const struct calendar *cal)
{
    return heap_size(&cal->heap);
}

/* Due time of the earliest event; the calendar must not be empty. */
static inline double calendar_peek_time(const struct calendar *cal)
{
    return heap_top_key(&cal->heap);
}

/* Removes the earliest event into *t and *out. Returns false when empty. */
static inline bool calendar_pop(struct calendar *cal, double *t, struct cal_event *out)
{
    return heap_pop(&cal->heap, t, out);
}

#endif
