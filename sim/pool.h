/*
 * pool — a pool of identical servers, with a fixed number on duty or a schedule.
 *
 * busy <= capacity holds except after the schedule lowers capacity: servers then finish what
 * they are doing (no pre-emption) and no new work starts until busy < capacity again. When the
 * schedule raises capacity the pool calls on_more(sim, owner) so that the owner can start
 * waiting work. The pool keeps time-weighted averages of servers busy and on duty; their ratio
 * is the utilisation.
 *
 * A scheduled pool owns one pending calendar event (its next capacity change). The schedule is
 * borrowed and must outlive the pool. O(1) per acquire/release, no allocation.
 */
#ifndef CCSIM_SIM_POOL_H
#define CCSIM_SIM_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/tally.h"

typedef void pool_fn(struct sim *sim, void *owner);

struct pool {
    int capacity;                 /* servers on duty now */
    int busy;                     /* servers busy now */
    struct twavg busy_tw;         /* servers busy, time-weighted */
    struct twavg cap_tw;          /* servers on duty, time-weighted */
    const struct schedule *sched; /* NULL for a fixed capacity */
    pool_fn *on_more;             /* called when capacity rises; may be NULL */
    void *owner;
    uint64_t change_ev; /* pending capacity change event */
};

/* Prepares a pool at sim->now with a fixed capacity (sched NULL) or a schedule, and schedules
 * the first capacity change. Cannot fail. */
void pool_init(struct pool *p, struct sim *sim, int capacity, const struct schedule *sched,
               pool_fn *on_more, void *owner);
/* Cancels the pending capacity change. */
void pool_fini(struct pool *p, struct sim *sim);
/* Restarts the averages at now (end of warm-up). */
void pool_reset(struct pool *p, double now);

static inline bool pool_has_free(const struct pool *p)
{
    return p->busy < p->capacity;
}

/* Takes one free server; pool_has_free() must be true. */
void pool_acquire(struct pool *p, double now);
/* Gives one server back. */
void pool_release(struct pool *p, double now);

/* Mean servers busy / mean servers on duty since the last reset; 0 with nobody on duty. */
double pool_utilisation(const struct pool *p, double now);

#endif
