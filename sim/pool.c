#include "sim/pool.h"

#include "sim/fail.h"

static void on_change(struct sim *sim, void *obj, uint64_t arg);

static void schedule_change(struct pool *p, struct sim *sim)
{
    double next = schedule_next_change(p->sched, sim->now);

    p->change_ev = sim_schedule_at(sim, next, on_change, p, 0);
}

static void on_change(struct sim *sim, void *obj, uint64_t arg)
{
    struct pool *p = obj;
    int old = p->capacity;

    (void)arg;
    p->capacity = schedule_value_at(p->sched, sim->now);
    twavg_set(&p->cap_tw, sim->now, p->capacity);
    schedule_change(p, sim);
    if (p->capacity > old && p->on_more) {
        p->on_more(sim, p->owner);
    }
}

void pool_init(struct pool *p, struct sim *sim, int capacity, const struct schedule *sched,
               pool_fn *on_more, void *owner)
{
    p->sched = sched;
    p->capacity = sched ? schedule_value_at(sched, sim->now) : capacity;
    p->busy = 0;
    p->on_more = on_more;
    p->owner = owner;
    p->change_ev = CALENDAR_NONE;
    twavg_init(&p->busy_tw, sim->now, 0);
    twavg_init(&p->cap_tw, sim->now, p->capacity);
    if (sched) {
        schedule_change(p, sim);
    }
}

void pool_fini(struct pool *p, struct sim *sim)
{
    sim_cancel(sim, p->change_ev);
    p->change_ev = CALENDAR_NONE;
}

void pool_reset(struct pool *p, double now)
{
    twavg_reset(&p->busy_tw, now);
    twavg_reset(&p->cap_tw, now);
}

void pool_acquire(struct pool *p, double now)
{
    SIM_ASSERT(p->busy < p->capacity, "pool: acquire with %d of %d busy", p->busy, p->capacity);
    p->busy++;
    twavg_set(&p->busy_tw, now, p->busy);
}

void pool_release(struct pool *p, double now)
{
    SIM_ASSERT(p->busy > 0, "pool: release with none busy");
    p->busy--;
    twavg_set(&p->busy_tw, now, p->busy);
}

double pool_utilisation(const struct pool *p, double now)
{
    double on_duty = twavg_mean(&p->cap_tw, now);

    return on_duty > 0 ? twavg_mean(&p->busy_tw, now) / on_duty : 0.0;
}
