/*
 * sim — one simulation run's context: the clock and the calendar.
 *
 * A struct sim is owned by one replication on one thread; nothing in it is shared, so any
 * number of runs may proceed side by side. The clock only moves forward: sim_run() pops events
 * in (time, sequence) order, sets now to each event's time and calls its action. Time is a
 * double in the model's unit (days in the service model, whatever the scenario says in the
 * queueing network).
 *
 * The kernel draws no random numbers and does no I/O; per event it does the heap operation,
 * records which action runs (for failure reports: see sim/fail.h) and the call, nothing else.
 * While sim_run() runs, a failed assertion on its thread reports the run's replication, time
 * and event (named by sim_name_event(), or "?" when unnamed).
 */
#ifndef CCSIM_SIM_SIM_H
#define CCSIM_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/calendar.h"
#include "sim/fail.h"

/* Most event actions a run can name for failure reports (sim_name_event). */
#define SIM_MAX_EVENT_NAMES 48

struct sim {
    double now;            /* current simulated time */
    struct calendar cal;   /* pending events */
    uint64_t n_events;     /* events executed so far */
    unsigned replication;  /* replication index, for failure reports */
    bool is_stopped;       /* set by sim_stop(); sim_run() returns at the next event boundary */
    event_fn *current;     /* action of the event being executed, NULL between events */
    const char *time_unit; /* for failure reports: "time" unless the model says ("day") */
    int n_names;
    struct {
        event_fn *fn;
        const char *name; /* static text */
    } names[SIM_MAX_EVENT_NAMES];
};

/* Prepares a run at time 0 with an empty calendar. Cannot fail. */
void sim_init(struct sim *sim, unsigned replication);
void sim_fini(struct sim *sim);

/* Names an event action for failure reports ("contact"); name must outlive the run (a string
 * literal). Names beyond SIM_MAX_EVENT_NAMES are ignored. Cannot fail. */
void sim_name_event(struct sim *sim, event_fn *fn, const char *name);

/* Schedules fn(sim, obj, arg) after delay >= 0. Returns the event handle. */
static inline uint64_t sim_schedule(struct sim *sim, double delay, event_fn *fn, void *obj,
                                    uint64_t arg)
{
    SIM_ASSERT(delay >= 0.0, "replication %u, t=%g: negative delay %g", sim->replication, sim->now,
               delay);
    return calendar_schedule(&sim->cal, sim->now + delay, fn, obj, arg);
}

/* Schedules at absolute time t >= now. */
uint64_t sim_schedule_at(struct sim *sim, double t, event_fn *fn, void *obj, uint64_t arg);

/* Cancels a pending event; false if the handle was stale. */
static inline bool sim_cancel(struct sim *sim, uint64_t handle)
{
    return calendar_cancel(&sim->cal, handle);
}

/* Runs every event due at or before until, then sets now = until (unless stopped earlier).
 * Installs sim as the thread's failure context meanwhile (restoring the previous one).
 * Returns the number of events executed by this call. */
uint64_t sim_run(struct sim *sim, double until);

/* Makes sim_run() return after the current event. */
void sim_stop(struct sim *sim);

#endif
