#include "sim/sim.h"

#include <stdio.h>

#include "sim/fail.h"

void sim_init(struct sim *sim, unsigned replication)
{
    sim->now = 0.0;
    sim->n_events = 0;
    sim->replication = replication;
    sim->is_stopped = false;
    sim->current = NULL;
    sim->time_unit = "time";
    sim->n_names = 0;
    calendar_init(&sim->cal);
}

void sim_name_event(struct sim *sim, event_fn *fn, const char *name)
{
    for (int i = 0; i < sim->n_names; i++) {
        if (sim->names[i].fn == fn) {
            sim->names[i].name = name;
            return;
        }
    }
    if (sim->n_names < SIM_MAX_EVENT_NAMES) {
        sim->names[sim->n_names].fn = fn;
        sim->names[sim->n_names++].name = name;
    }
}

/* The failure context of a running sim: "replication 3, day 1234.5, event contact". */
static void describe(const void *ctx, char *buf, size_t n)
{
    const struct sim *sim = ctx;
    const char *name = sim->current ? "?" : "between events";

    for (int i = 0; sim->current && i < sim->n_names; i++) {
        if (sim->names[i].fn == sim->current) {
            name = sim->names[i].name;
            break;
        }
    }
    snprintf(buf, n, "replication %u, %s %.10g, event %s", sim->replication, sim->time_unit,
             sim->now, name);
}

void sim_fini(struct sim *sim)
{
    calendar_fini(&sim->cal);
}

uint64_t sim_schedule_at(struct sim *sim, double t, event_fn *fn, void *obj, uint64_t arg)
{
    SIM_ASSERT(t >= sim->now, "replication %u, t=%g: event scheduled in the past (at %g)",
               sim->replication, sim->now, t);
    return calendar_schedule(&sim->cal, t, fn, obj, arg);
}

uint64_t sim_run(struct sim *sim, double until)
{
    struct calendar *cal = &sim->cal;
    uint64_t start = sim->n_events;
    struct cal_event ev;
    double t;

    struct sim_fail_context prev =
        sim_fail_context_set((struct sim_fail_context){.ctx = sim, .describe = describe});

    sim->is_stopped = false;
    while (calendar_size(cal) > 0 && calendar_peek_time(cal) <= until) {
        calendar_pop_held(cal, &t, &ev);
        SIM_DEBUG_ASSERT(t >= sim->now, "time went backwards");
        sim->now = t;
        sim->n_events++;
        sim->current = ev.fn;
        ev.fn(sim, ev.obj, ev.arg);
        calendar_settle(cal);
        if (sim->is_stopped) {
            break;
        }
    }
    sim->current = NULL;
    if (!sim->is_stopped && until > sim->now) {
        sim->now = until;
    }
    sim_fail_context_set(prev);
    return sim->n_events - start;
}

void sim_stop(struct sim *sim)
{
    sim->is_stopped = true;
}
