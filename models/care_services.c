/*
 * care_services — needs, and the services that meet them.
 *
 * Each need is met by one service. At every attended contact the coordinator acts on one need:
 * the first, in the order of referrals.needs, still unmet and not yet on its way. A need the
 * team meets in house is taken up with probability effect; any other is referred with
 * probability linkage x effect. Taking a need up costs linkage_hours of the unit's hours of the
 * week; without them it waits for a later contact. After the linkage delay (exponential, mean
 * linkage_days) an in-house need takes one of the model's in-house places of the service
 * (in_house_places per filled post; none named: no limit) and is met; when they are all taken
 * it waits on the model's own list for the service, or, with in_house_full = "refer", joins the
 * service's list as a referred need does. The effect (0..1] is the contact's, from the
 * coordinator's time per client (care_coord.c). So needs are linked at the pace of attended
 * contacts, one at a time.
 *
 * A service takes clients from its list (FIFO) while it has a free place, on its intake days
 * and outside its closures; the need is met when the client starts, and the place is held for
 * the service length; an in-house place likewise, for the service's length. A met need lowers
 * the client's crisis risk (care_crisis.c) and stops counting as unmet need. Leaving
 * coordination withdraws the needs still on their way; a move between models routes the needs
 * waiting for in-house places afresh under the new model.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

enum { S_NAME, S_PLACES, S_LENGTH, S_INTAKE, S_CLOSURES, N_SKEYS };

static const struct cfg_key service_keys[N_SKEYS] = {
    [S_NAME] = {.name = "name",
                .type = CFG_STRING,
                .is_required = true,
                .help = "the service",
                CFG_TARGET_STRDUP(struct care_service, name)},
    [S_PLACES] = {.name = "places",
                  .type = CFG_INT,
                  .is_required = true,
                  .lo = 0,
                  .hi = 1000000,
                  .unit = "clients",
                  .help = "clients the service can take at once",
                  CFG_TARGET_INT(struct care_service, places)},
    [S_LENGTH] = {.name = "length",
                  .type = CFG_GROUP,
                  .is_required = true,
                  .unit = "days",
                  .help = "how long a client holds a place (distribution)"},
    [S_INTAKE] = {.name = "intake_days",
                  .type = CFG_LIST,
                  .help = "7 flags, Monday to Sunday: 1 on days the service takes new clients; "
                          "default Monday to Friday"},
    [S_CLOSURES] = {.name = "closures",
                    .type = CFG_LIST,
                    .help = "periods without intake: ( { from = DAY; to = DAY; } ... )"},
};

const struct cfg_table care_service_table = {
    .path = "services[]",
    .help = "a service that meets a need",
    .keys = service_keys,
    .n_keys = N_SKEYS,
};

/* A closure as read, before it joins its service's closed_from[] and closed_to[]. */
struct closure_row {
    double from, to; /* days */
};

static const struct cfg_key closure_keys[] = {
    {.name = "from",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = HUGE_VAL,
     .unit = "days",
     .help = "first day of the closure",
     CFG_TARGET_REAL(struct closure_row, from)},
    {.name = "to",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = HUGE_VAL,
     .unit = "days",
     .help = "day intake resumes",
     CFG_TARGET_REAL(struct closure_row, to)},
};

const struct cfg_table care_closure_table = {
    .path = "services[].closures[]",
    .help = "a period in which a service takes no new clients",
    .keys = closure_keys,
    .n_keys = 2,
};

bool care_services_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key lk = {.name = "services", .type = CFG_LIST, .is_required = true};
    const config_setting_t *l = NULL;
    bool ok = true;

    if (!cfg_get_list(c, root, &lk, &l) || !l) {
        return false;
    }
    int n = config_setting_length(l);
    if (n < 1 || n > CARE_MAX_SERVICES) {
        cfg_error(c, l, "%d services (1 to %d)", n, CARE_MAX_SERVICES);
        return false;
    }
    for (int i = 0; i < n; i++) {
        struct care_service *sv = &p->service[i];
        const config_setting_t *e = cfg_elem_group(
            c, l, i, "a service (a group { name = ...; places = ...; length = ...; })");

        p->n_services = i + 1;
        sv->name = NULL;
        if (!e) {
            ok = false;
            sv->name = xstrdup("?");
            continue;
        }
        ok &= cfg_read(c, e, &care_service_table, sv);
        if (!sv->name) {
            sv->name = xstrdup("?");
        }
        for (int k = 0; k < i; k++) {
            if (strcmp(p->service[k].name, sv->name) == 0) {
                cfg_error(c, config_setting_get_member(e, "name"),
                          "a service named \"%s\" exists already (unique names)", sv->name);
                ok = false;
            }
        }
        const config_setting_t *g = NULL;
        if (!cfg_get_group(c, e, &service_keys[S_LENGTH], &g) || !g ||
            !dist_load(c, g, &sv->length)) {
            ok = false;
        }
        for (int d = 0; d < 7; d++) {
            sv->open_day[d] = d < 5;
        }
        const config_setting_t *il = NULL;
        if (!cfg_get_list(c, e, &service_keys[S_INTAKE], &il)) {
            ok = false;
        } else if (il) {
            if (config_setting_length(il) != 7) {
                cfg_error(c, il, "%d values (Monday to Sunday: exactly 7)",
                          config_setting_length(il));
                ok = false;
            } else {
                bool any = false;
                for (int d = 0; d < 7; d++) {
                    const config_setting_t *x = config_setting_get_elem(il, (unsigned)d);
                    double f;
                    if (!cfg_number(c, x, &f)) {
                        ok = false;
                    } else if (f != 0.0 && f != 1.0) {
                        cfg_error(c, x, "%g is not 0 or 1 (1 = takes new clients)", f);
                        ok = false;
                    } else {
                        sv->open_day[d] = f == 1.0;
                        any |= sv->open_day[d];
                    }
                }
                if (ok && !any) {
                    cfg_error(c, il, "no intake day (at least one 1)");
                    ok = false;
                }
            }
        }
        const config_setting_t *cl = NULL;
        if (!cfg_get_list(c, e, &service_keys[S_CLOSURES], &cl)) {
            ok = false;
        } else if (cl) {
            int nc = config_setting_length(cl);
            if (nc > CARE_MAX_CLOSURES) {
                cfg_error(c, cl, "%d closures (at most %d)", nc, CARE_MAX_CLOSURES);
                ok = false;
                nc = 0;
            }
            for (int k = 0; k < nc; k++) {
                const config_setting_t *x =
                    cfg_elem_group(c, cl, k, "a closure (a group { from = DAY; to = DAY; })");
                struct closure_row row = {0};
                if (!x) {
                    ok = false;
                    continue;
                }
                bool got = cfg_read(c, x, &care_closure_table, &row);
                if (got && !(row.to > row.from)) {
                    cfg_error(c, config_setting_get_member(x, "to"),
                              "%g is not after from %g (to > from)", row.to, row.from);
                    got = false;
                }
                sv->closed_from[k] = row.from;
                sv->closed_to[k] = row.to;
                ok &= got;
            }
            sv->n_closures = nc;
        }
    }
    return ok;
}

/* ---- runtime ------------------------------------------------------------------------------ */

#define ITEM(id, need) ((uint64_t)(id) | ((uint64_t)(need) << 32))

void care_services_init(struct care_run *run)
{
    const struct care_params *p = run->p;

    for (int s = 0; s < p->n_services; s++) {
        struct care_service_rt *rt = &run->service[s];
        queue_init(&rt->waiting, QUEUE_FIFO, 0, 0.0);
        twavg_init(&rt->busy_tw, 0.0, 0.0);
    }
    for (int m = 0; m < p->n_models; m++) {
        for (int s = 0; s < p->n_services; s++) {
            queue_init(&run->model[m].in_house_wait[s], QUEUE_FIFO, 0, 0.0);
        }
        care_in_house_resize(run, m, p->model[m].filled);
    }
}

void care_services_fini(struct care_run *run)
{
    for (int s = 0; s < run->p->n_services; s++) {
        queue_fini(&run->service[s].waiting);
    }
    for (int m = 0; m < run->p->n_models; m++) {
        for (int s = 0; s < run->p->n_services; s++) {
            queue_fini(&run->model[m].in_house_wait[s]);
        }
    }
}

/* Whether service s takes new clients at t; else *next is when it may next. */
static bool open_at(const struct care_service *sv, double t, double *next)
{
    for (int k = 0; k < sv->n_closures; k++) {
        if (t >= sv->closed_from[k] && t < sv->closed_to[k]) {
            *next = sv->closed_to[k];
            return false;
        }
    }
    int day = (int)fmod(floor(t), 7.0);
    if (!sv->open_day[day]) {
        *next = floor(t) + 1.0;
        return false;
    }
    return true;
}

static void need_met(struct care_run *run, uint32_t id, int need)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    c->met |= (uint16_t)(1u << need);
    c->delayed &= (uint16_t) ~(1u << need);
    c->queued &= (uint16_t) ~(1u << need);
    c->ev_need[need] = 0;
    if (c->t_coord_start >= run->warmup && c->t_coord_start <= run->horizon - 30.0 &&
        now - c->t_coord_start <= 30.0) {
        run->n.needs_30d_num++;
    }
    care_journey_service(run, id, CARE_EV_NEED_MET, run->p->need[need].service);
    care_unmet_update(run, id);
    care_risk_redraw(run, id);
}

static void service_end(struct sim *sim, void *obj, uint64_t arg);
static void service_wake(struct sim *sim, void *obj, uint64_t arg);

static void try_start(struct care_run *run, int s)
{
    const struct care_service *sv = &run->p->service[s];
    struct care_service_rt *rt = &run->service[s];
    double now = run->sim.now, next;
    struct queue_entry e;

    while (rt->busy < sv->places && queue_length(&rt->waiting) > 0) {
        if (!open_at(sv, now, &next)) {
            if (!rt->wake) {
                rt->wake = sim_schedule_at(&run->sim, next, service_wake, run, (uint64_t)s);
            }
            return;
        }
        queue_pop(&rt->waiting, now, &e);
        uint32_t id = (uint32_t)(e.item & 0xffffffffu);
        int need = (int)(e.item >> 32);
        rt->busy++;
        twavg_set(&rt->busy_tw, now, rt->busy);
        if (care_counts_after_warmup(run)) {
            rt->started++;
        }
        need_met(run, id, need);
        sim_schedule(&run->sim, care_draw(run, id, CARE_DRAW_SERVICE_LENGTH + s, &sv->length),
                     service_end, run, (uint64_t)s);
    }
}

static void service_wake(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    SIM_ASSERT(arg < (uint64_t)run->p->n_services, "service %llu", (unsigned long long)arg);
    run->service[arg].wake = 0;
    try_start(run, (int)arg);
}

static void service_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    SIM_ASSERT(arg < (uint64_t)run->p->n_services, "service %llu", (unsigned long long)arg);
    struct care_service_rt *rt = &run->service[arg];

    SIM_ASSERT(rt->busy > 0, "service %llu ends a place with none in use", (unsigned long long)arg);
    rt->busy--;
    twavg_set(&rt->busy_tw, sim->now, rt->busy);
    try_start(run, (int)arg);
}

/* ---- in-house places ---------------------------------------------------------------------- */

/* arg of an in-house place's end: model m, service s. */
#define IN_HOUSE_ARG(m, s) ((uint64_t)(m) << 8 | (uint64_t)(s))

static void in_house_end(struct sim *sim, void *obj, uint64_t arg);

/* Client id takes an in-house place of service s of model m: its need is met, and the place is
 * held for the service's length, whatever happens to the client (as a service's place is). The
 * length is the client's next draw of the service's length, in house or not. */
static void in_house_start(struct care_run *run, uint32_t id, int need, int m, int s)
{
    struct care_model_rt *rt = &run->model[m];

    rt->in_house_busy[s]++;
    if (care_counts_after_warmup(run)) {
        run->n.in_house_started++;
    }
    need_met(run, id, need);
    sim_schedule(&run->sim,
                 care_draw(run, id, CARE_DRAW_SERVICE_LENGTH + s, &run->p->service[s].length),
                 in_house_end, run, IN_HOUSE_ARG(m, s));
}

/* Model m's in-house places of service s take the needs waiting for them, first come first
 * served, while any is free. */
static void in_house_try(struct care_run *run, int m, int s)
{
    struct care_model_rt *rt = &run->model[m];
    struct queue_entry e;

    while (rt->in_house_busy[s] < rt->in_house_cap[s] && queue_length(&rt->in_house_wait[s]) > 0) {
        queue_pop(&rt->in_house_wait[s], run->sim.now, &e);
        uint32_t id = (uint32_t)(e.item & 0xffffffffu);
        int need = (int)(e.item >> 32);
        struct care_client *c = &run->cl[id];
        c->queued &= (uint16_t) ~(1u << need);
        c->queued_in_house &= (uint16_t) ~(1u << need);
        c->ev_need[need] = 0;
        in_house_start(run, id, need, m, s);
    }
}

static void in_house_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    int m = (int)(arg >> 8), s = (int)(arg & 0xff);
    (void)sim;
    SIM_ASSERT(m < run->p->n_models && s < run->p->n_services && run->model[m].in_house_busy[s] > 0,
               "in-house place of model %d, service %d ends with none in use", m, s);
    run->model[m].in_house_busy[s]--;
    in_house_try(run, m, s);
}

void care_in_house_resize(struct care_run *run, int m, int filled)
{
    const struct care_model *md = &run->p->model[m];
    struct care_model_rt *rt = &run->model[m];

    for (int s = 0; s < run->p->n_services; s++) {
        double per_post = md->in_house_places[s];
        rt->in_house_cap[s] = per_post < 0 ? -1 : (int)floor(per_post * filled + 0.5);
        if (rt->in_house_cap[s] >= 0) {
            in_house_try(run, m, s);
        }
    }
}

static void link_arrive(struct care_run *run, uint32_t id, int need);

void care_services_moved(struct care_run *run, uint32_t id, int from)
{
    struct care_client *c = &run->cl[id];
    struct queue_entry e;

    for (int i = 0; i < run->p->n_needs; i++) {
        if (c->queued_in_house & (1u << i)) {
            queue_remove(&run->model[from].in_house_wait[run->p->need[i].service], run->sim.now,
                         c->ev_need[i], &e);
            c->queued &= (uint16_t) ~(1u << i);
            c->queued_in_house &= (uint16_t) ~(1u << i);
            c->ev_need[i] = 0;
            link_arrive(run, id, i);
        }
    }
}

/* The linkage of need `need` of client id has arrived under its present model: met in house
 * (a place free, or no limit), waiting for an in-house place, or on the service's waiting list
 * (referred, or in house but full under in_house_full = "refer"). */
static void link_arrive(struct care_run *run, uint32_t id, int need)
{
    struct care_client *c = &run->cl[id];
    const struct care_model *md = &run->p->model[c->model];
    struct care_model_rt *mrt = &run->model[c->model];
    int s = run->p->need[need].service;

    if (md->in_house[s]) {
        int cap = mrt->in_house_cap[s];
        if (cap < 0) {
            need_met(run, id, need);
            return;
        }
        if (mrt->in_house_busy[s] < cap && queue_length(&mrt->in_house_wait[s]) == 0) {
            in_house_start(run, id, need, c->model, s);
            return;
        }
        if (care_counts_after_warmup(run)) {
            run->n.in_house_full++;
        }
        if (!md->in_house_refer) {
            c->queued |= (uint16_t)(1u << need);
            c->queued_in_house |= (uint16_t)(1u << need);
            c->ev_need[need] =
                queue_push(&mrt->in_house_wait[s], run->sim.now, ITEM(id, need), 0.0);
            care_journey_service(run, id, CARE_EV_NEED_WAITING, s);
            return;
        }
    }
    c->queued |= (uint16_t)(1u << need);
    c->ev_need[need] = queue_push(&run->service[s].waiting, run->sim.now, ITEM(id, need), 0.0);
    care_journey_service(run, id, CARE_EV_NEED_WAITING, s);
    try_start(run, s);
}

static void linkage_done(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)(arg & 0xffffffffu);
    int need = (int)(arg >> 32);
    CARE_ASSERT_CLIENT(run, id);
    struct care_client *c = &run->cl[id];
    SIM_ASSERT(need < run->p->n_needs && c->model >= 0 && (c->delayed & (1u << need)),
               "client %u: linkage of need %d (model %d)", id, need, c->model);
    (void)sim;

    c->ev_need[need] = 0;
    c->delayed &= (uint16_t) ~(1u << need);
    link_arrive(run, id, need);
}

void care_needs_start(struct care_run *run, uint32_t id)
{
    const struct care_client *c = &run->cl[id];

    if (c->t_coord_start >= run->warmup && c->t_coord_start <= run->horizon - 30.0) {
        run->n.needs_30d_den += (uint64_t)__builtin_popcount(c->needs & (uint16_t)~c->met);
    }
}

void care_link_need(struct care_run *run, uint32_t id, double effect)
{
    struct care_client *c = &run->cl[id];
    const struct care_params *p = run->p;
    const struct care_model *md = &p->model[c->model];
    unsigned open_needs = c->needs & (uint16_t) ~(c->met | c->delayed | c->queued);

    if (!open_needs) {
        return;
    }
    /* One need a contact, in the order of referrals.needs: the coordinator's priorities. */
    int i = __builtin_ctz(open_needs);
    bool in_house = md->in_house[p->need[i].service];
    /* Both drawn on every attempt, in-house or not, linked or not: the k-th draws of a need
     * belong to its k-th attempt in every scenario. */
    double u = care_uniform(run, id, CARE_DRAW_LINKAGE + i);
    double days = care_uniform(run, id, CARE_DRAW_LINKAGE_DAYS + i);
    if (u >= (in_house ? 1.0 : md->linkage) * effect) {
        return;
    }
    /* The linkage's own work comes from the unit's hours of the week; without them the need
     * waits for a later contact (draws taken as on any attempt). */
    if (!care_unit_take_hours(run, c->unit, md->linkage_hours)) {
        if (care_counts_after_warmup(run)) {
            run->n.linkage_no_hours++;
        }
        return;
    }
    /* Exponential of mean linkage_days by inversion. */
    double delay = md->linkage_days > 0 ? -md->linkage_days * log1p(-days) : 0.0;
    c->delayed |= (uint16_t)(1u << i);
    c->ev_need[i] = sim_schedule(&run->sim, delay, linkage_done, run, ITEM(id, i));
    care_journey_service(run, id, CARE_EV_NEED_REFERRED, p->need[i].service);
}

void care_services_drop(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    struct queue_entry e;

    for (int i = 0; i < run->p->n_needs; i++) {
        if (c->delayed & (1u << i)) {
            sim_cancel(&run->sim, c->ev_need[i]);
        } else if (c->queued_in_house & (1u << i)) {
            queue_remove(&run->model[c->model].in_house_wait[run->p->need[i].service], run->sim.now,
                         c->ev_need[i], &e);
        } else if (c->queued & (1u << i)) {
            queue_remove(&run->service[run->p->need[i].service].waiting, run->sim.now,
                         c->ev_need[i], &e);
        }
        c->ev_need[i] = 0;
    }
    c->delayed = 0;
    c->queued = 0;
    c->queued_in_house = 0;
}

void care_services_name_events(struct sim *sim)
{
    sim_name_event(sim, service_wake, "service_wake");
    sim_name_event(sim, service_end, "service_end");
    sim_name_event(sim, linkage_done, "linkage_done");
    sim_name_event(sim, in_house_end, "in_house_end");
}
