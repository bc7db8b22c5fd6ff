#include "sim/sim.h"

#include "sim/fail.h"

void sim_init(struct sim *sim, unsigned replication)
{
    sim->now = 0.0;
    sim->n_events = 0;
    sim->replication = replication;
    sim->is_stopped = false;
    calendar_init(&sim->cal);
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

    sim->is_stopped = false;
    while (calendar_size(cal) > 0 && calendar_peek_time(cal) <= until) {
        calendar_pop(cal, &t, &ev);
        SIM_DEBUG_ASSERT(t >= sim->now, "time went backwards");
        sim->now = t;
        sim->n_events++;
        ev.fn(sim, ev.obj, ev.arg);
        if (sim->is_stopped) {
            return sim->n_events - start;
        }
    }
    if (until > sim->now) {
        sim->now = until;
    }
    return sim->n_events - start;
}

void sim_stop(struct sim *sim)
{
    sim->is_stopped = true;
}
