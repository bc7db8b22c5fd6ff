/*
 * care_coord — triage, assessment and care coordination.
 *
 * Triage: a referral goes to the front-door model; a model that does not accept the client
 * (severity outside its range, too few admissions in the year before) passes it to its
 * fallback, and so on; a client no model accepts is signposted away, its needs unmet for a
 * signposted period.
 *
 * Assessment: one FIFO waiting list served by the filled assessor posts, each assessing one
 * client at a time (a multi-server queue) at the speed of its weekly assessment hours
 * (hours x (1 - admin) x (1 - sickness)): an assessment of L hours takes L x 7 / weekly hours
 * days, or, with an assessment schedule open a share s of the week, L x 7 x s / weekly hours
 * days and starts only while the schedule is open. With service = "pooled" the team is one
 * line at the speed of all its filled posts together. Clients may give up after a patience
 * draw.
 *
 * Coordination: each model has caseload units, one per filled post (individual caseloads) or
 * one for the team, each with a client limit and weekly contact hours. A client waits (FIFO)
 * for a free slot, then holds it for the episode: until step-down (episode length), loss of
 * contact (disengagement hazard x engagement), or the end of the run. Contacts fall due every
 * 7 / contact_rate days; one takes contact_minutes of its unit's hours for the week. When the
 * week's hours are spent the contact waits for the next week; one that cannot happen within a
 * contact interval of its due time is missed. A client misses a contact that happens with
 * probability dna x engagement. So the achieved contact rate is an outcome.
 *
 * What an attended contact achieves depends on the coordinator's time per client: the unit's
 * weekly contact hours over the clients it holds at that moment. At or above the model's
 * full_effect_hours the contact's effect is 1; below it the effect falls towards effect_floor,
 * linearly or along a saturating curve (contact_effect()). An attended contact of effect e
 * detects a deterioration with probability detect x e, resolves a detected one with
 * probability resolve x e, and starts linking one unmet need with probability (1 in house,
 * else linkage) x e (care_services.c). Every contact that falls due may end the engagement: a
 * missed one (not attended, or no hours) with probability missed_disengage, an attended one
 * with probability missed_disengage x (1 - e); the disengagement hazard covers the other losses
 * of contact.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

/* ---- scenario keys ------------------------------------------------------------------------ */

enum {
    A_ASSESSORS,
    A_VACANCY,
    A_SICKNESS,
    A_HOURS,
    A_ADMIN,
    A_LENGTH,
    A_PATIENCE,
    A_SCHEDULE,
    A_SERVICE,
    N_AKEYS
};

static const char *const assess_service_names[] = {"individual", "pooled", NULL};
_Static_assert(ASSESS_INDIVIDUAL == 0 && ASSESS_POOLED == 1, "assess_service_names order");

static const struct cfg_key assess_keys[N_AKEYS] = {
    [A_ASSESSORS] = {.name = "assessors",
                     .type = CFG_INT,
                     .is_required = true,
                     .lo = 0,
                     .hi = 10000,
                     .unit = "posts",
                     .help = "funded assessor posts",
                     CFG_TARGET_INT(struct care_params, assessors)},
    [A_VACANCY] = {.name = "vacancy_rate",
                   .type = CFG_REAL,
                   .lo = 0.0,
                   .hi = 1.0,
                   .def = 0.0,
                   .help = "share of assessor posts unfilled",
                   CFG_TARGET_REAL(struct care_params, assess_vacancy)},
    [A_SICKNESS] = {.name = "sickness",
                    .type = CFG_REAL,
                    .lo = 0.0,
                    .hi = 1.0,
                    .def = 0.045,
                    .help = "share of hours lost to sickness absence",
                    .source = "NHS staff sickness absence about 4.5% (assumption)",
                    CFG_TARGET_REAL(struct care_params, assess_sickness)},
    [A_HOURS] = {.name = "hours_per_week",
                 .type = CFG_REAL,
                 .lo = 1.0,
                 .hi = 80.0,
                 .def = 37.5,
                 .unit = "hours",
                 .help = "contracted hours of one post",
                 CFG_TARGET_REAL(struct care_params, assess_hours)},
    [A_ADMIN] = {.name = "admin_share",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 1.0,
                 .flags = CFG_HI_OPEN,
                 .def = 0.5,
                 .help = "share of hours not spent assessing",
                 .source = "derived (assumption)",
                 CFG_TARGET_REAL(struct care_params, assess_admin)},
    [A_LENGTH] = {.name = "length",
                  .type = CFG_GROUP,
                  .is_required = true,
                  .unit = "hours",
                  .help = "assessment time per client, write-up included (distribution)"},
    [A_PATIENCE] = {.name = "patience",
                    .type = CFG_GROUP,
                    .unit = "days",
                    .help = "how long a client waits for assessment before giving up "
                            "(distribution); none: waits indefinitely"},
    [A_SCHEDULE] = {.name = "schedule",
                    .type = CFG_GROUP,
                    .help = "when assessments take place: a schedule over a week in days, value 1 "
                            "open, 0 closed (e.g. 9-17 Monday to Friday); the weekly hours are "
                            "spent within it. Default: spread over the whole week"},
    [A_SERVICE] = {.name = "service",
                   .type = CFG_CHOICE,
                   .choices = assess_service_names,
                   .def_str = "individual",
                   .help = "individual: each filled post assesses one client at a time at its "
                           "own speed (a multi-server queue); pooled: the team is one line "
                           "served at the speed of all its posts together",
                   .source = "assumption: an assessor sees one client at a time (individual); "
                             "pooled is the single-line approximation, kept for comparison",
                   CFG_TARGET_CHOICE(struct care_params, assess_service)},
};

const struct cfg_table care_assess_table = {
    .path = "assessment",
    .help = "the assessment team and its waiting list",
    .keys = assess_keys,
    .n_keys = N_AKEYS,
};

enum { C_FRONT, C_MODELS, C_SIGNPOST, N_CKEYS };

static const struct cfg_key coord_keys[N_CKEYS] = {
    [C_FRONT] = {.name = "front_door",
                 .type = CFG_STRING,
                 .is_required = true,
                 .help = "the model every referral is first offered to (its fallbacks take "
                         "the rest)"},
    [C_MODELS] = {.name = "models",
                  .type = CFG_LIST,
                  .is_required = true,
                  .help = "the coordination models in the region (see coordination.models[])"},
    [C_SIGNPOST] = {.name = "signposted_days",
                    .type = CFG_REAL,
                    .lo = 0.0,
                    .hi = 36525.0,
                    .def = 365.0,
                    .unit = "days",
                    .help = "how long a signposted client's needs count as unmet",
                    .source = "derived (assumption)"},
};

const struct cfg_table care_coord_table = {
    .path = "coordination",
    .help = "triage and the coordination models",
    .keys = coord_keys,
    .n_keys = N_CKEYS,
};

bool care_coord_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key ag = {.name = "assessment", .type = CFG_GROUP, .is_required = true};
    static const struct cfg_key cg = {
        .name = "coordination", .type = CFG_GROUP, .is_required = true};
    const config_setting_t *a, *g = NULL, *l = NULL, *d = NULL;
    bool ok = true;

    ok &= cfg_read_group(c, root, &ag, &care_assess_table, p, &a);
    if (a) {
        if (!cfg_get_group(c, a, &assess_keys[A_LENGTH], &d) || !d ||
            !dist_load(c, d, &p->assess_length)) {
            ok = false;
        }
        d = NULL;
        if (!cfg_get_group(c, a, &assess_keys[A_PATIENCE], &d)) {
            ok = false;
        } else if (d) {
            p->has_assess_patience = dist_load(c, d, &p->assess_patience);
            ok &= p->has_assess_patience;
        }
        p->assess_hours_each =
            p->assess_hours * (1.0 - p->assess_admin) * (1.0 - p->assess_sickness);
        d = NULL;
        if (!cfg_get_group(c, a, &assess_keys[A_SCHEDULE], &d)) {
            ok = false;
        } else if (d) {
            p->has_assess_schedule = schedule_load(c, d, 0, 1, &p->assess_schedule);
            ok &= p->has_assess_schedule;
            if (p->has_assess_schedule && schedule_mean(&p->assess_schedule) <= 0) {
                cfg_error(c, d, "never open (at least one piece with value 1)");
                ok = false;
            }
        }
    }

    if (!cfg_get_group(c, root, &cg, &g) || !g) {
        return false;
    }
    ok &= cfg_check_keys(c, g, &care_coord_table);
    double sp = 365.0;
    ok &= cfg_get_real(c, g, &coord_keys[C_SIGNPOST], &sp);
    dist_set(&p->signposted_period, DIST_FIXED, sp, 0, 0);
    if (!cfg_get_list(c, g, &coord_keys[C_MODELS], &l) || !l) {
        return false;
    }
    int n = config_setting_length(l);
    if (n < 1 || n > CARE_MAX_MODELS) {
        cfg_error(c, l, "%d models (1 to %d)", n, CARE_MAX_MODELS);
        return false;
    }
    const char *fallback[CARE_MAX_MODELS] = {0};
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        ok &= care_model_load(c, e, p, &p->model[i]);
        p->n_models = i + 1;
        if (config_setting_is_group(e)) {
            fallback[i] = care_model_fallback_name(c, e);
        }
        for (int k = 0; k < i; k++) {
            if (strcmp(p->model[k].name, p->model[i].name) == 0) {
                cfg_error(c, config_setting_get_member(e, "name"),
                          "a model named \"%s\" exists already (unique names)", p->model[i].name);
                ok = false;
            }
        }
    }
    /* Names: the front door and the fallbacks. */
    char names[1024] = "";
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof names; i++) {
        int w =
            snprintf(names + len, sizeof names - len, "%s\"%s\"", i ? ", " : "", p->model[i].name);
        len += w > 0 ? (size_t)w : 0;
    }
    const char *front = NULL;
    p->front_door = -1;
    if (cfg_get_string(c, g, &coord_keys[C_FRONT], &front) && front) {
        for (int i = 0; i < n; i++) {
            if (strcmp(front, p->model[i].name) == 0) {
                p->front_door = i;
            }
        }
        if (p->front_door < 0) {
            cfg_error(c, config_setting_get_member(g, "front_door"), "no model named \"%s\" (%s)",
                      front, names);
            ok = false;
        }
    } else {
        ok = false;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        p->model[i].fallback = CARE_SIGNPOST;
        if (!fallback[i] || strcmp(fallback[i], "signpost") == 0) {
            continue;
        }
        int found = -1;
        for (int k = 0; k < n; k++) {
            if (strcmp(fallback[i], p->model[k].name) == 0) {
                found = k;
            }
        }
        if (found < 0) {
            cfg_error(c, config_setting_get_member(e, "fallback"),
                      "no model named \"%s\" (\"signpost\" or %s)", fallback[i], names);
            ok = false;
        } else if (found == i) {
            cfg_error(c, config_setting_get_member(e, "fallback"),
                      "a model cannot fall back to itself (another model or \"signpost\")");
            ok = false;
        } else {
            p->model[i].fallback = found;
        }
    }
    /* Fallback chains must end: walk each for at most n steps. */
    for (int i = 0; ok && i < n; i++) {
        int m = i;
        for (int steps = 0; m != CARE_SIGNPOST && steps <= n; steps++) {
            m = p->model[m].fallback;
        }
        if (m != CARE_SIGNPOST) {
            cfg_error(c, config_setting_get_elem(l, (unsigned)i),
                      "the fallbacks from \"%s\" form a cycle (each chain must end at "
                      "\"signpost\")",
                      p->model[i].name);
            ok = false;
            break;
        }
    }
    return ok;
}

/* ---- runtime ------------------------------------------------------------------------------ */

static int assess_filled(const struct care_params *p)
{
    return (int)floor(p->assessors * (1.0 - p->assess_vacancy) + 0.5);
}

/* Weekly assessment hours of one server: a post, or the pooled team. */
static double assess_server_hours(const struct care_params *p)
{
    return p->assess_service == ASSESS_POOLED ? assess_filled(p) * p->assess_hours_each
                                              : p->assess_hours_each;
}

void care_coord_init(struct care_run *run)
{
    const struct care_params *p = run->p;
    int n_units = 0;

    for (int m = 0; m < p->n_models; m++) {
        n_units +=
            p->model[m].caseload == CASELOAD_TEAM ? (p->model[m].filled > 0) : p->model[m].filled;
    }
    run->unit = xcalloc((size_t)(n_units ? n_units : 1), sizeof *run->unit);
    run->n_units = n_units;
    int u = 0;
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        struct care_model_rt *rt = &run->model[m];
        double hours = md->hours_per_week * (1.0 - md->admin_share) * (1.0 - md->sickness);
        rt->first_unit = u;
        if (md->caseload == CASELOAD_TEAM) {
            if (md->filled > 0) {
                run->unit[u++] = (struct care_unit){.model = m,
                                                    .limit = md->filled * md->caseload_limit,
                                                    .week_hours = md->filled * hours,
                                                    .week = -1};
            }
        } else {
            for (int k = 0; k < md->filled; k++) {
                run->unit[u++] = (struct care_unit){
                    .model = m, .limit = md->caseload_limit, .week_hours = hours, .week = -1};
            }
        }
        rt->n_units = u - rt->first_unit;
        queue_init(&rt->waiting, QUEUE_FIFO, 0, 0.0);
        twavg_init(&rt->caseload_tw, 0.0, 0.0);
        tally_init(&rt->wait, 0, NULL);
    }
    queue_init(&run->assess_wait, QUEUE_FIFO, 0, 0.0);
    int servers = p->assess_service == ASSESS_POOLED ? assess_filled(p) > 0 : assess_filled(p);
    pool_init(&run->assessors, &run->sim, assess_server_hours(p) > 0 ? servers : 0, NULL, NULL,
              NULL);
    double p90 = 0.9;
    tally_init(&run->wait_assess, 1, &p90);
    tally_init(&run->wait_coord, 0, NULL);
}

void care_coord_fini(struct care_run *run)
{
    for (int m = 0; m < run->p->n_models; m++) {
        queue_fini(&run->model[m].waiting);
    }
    queue_fini(&run->assess_wait);
    pool_fini(&run->assessors, &run->sim);
    free(run->unit);
}

static bool eligible(const struct care_model *m, const struct care_client *c)
{
    return c->severity >= m->min_severity && c->severity <= m->max_severity &&
           c->prior_admissions >= m->min_prior_admissions;
}

static void try_assess(struct care_run *run);
static void start_assessment(struct care_run *run, uint32_t id, double open_share);
static void assess_open(struct sim *sim, void *obj, uint64_t arg);
static void try_allocate(struct care_run *run, int model);
static int free_unit(const struct care_run *run, int model);
static void start_coordination(struct care_run *run, uint32_t id, int u, double past);

static void gave_up(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    CARE_ASSERT_CLIENT(run, arg);
    uint32_t id = (uint32_t)arg;
    struct care_client *c = &run->cl[id];
    struct queue_entry e;
    (void)sim;

    c->ev_wait = 0;
    bool after = care_counts_after_warmup(run);
    if (c->stage == STAGE_WAIT_ASSESS) {
        queue_remove(&run->assess_wait, run->sim.now, c->q_wait, &e);
        if (after) {
            run->n.abandoned_assess++;
        }
    } else if (c->stage == STAGE_WAIT_COORD) {
        queue_remove(&run->model[c->model].waiting, run->sim.now, c->q_wait, &e);
        if (after) {
            run->n.abandoned_coord++;
        }
    } else {
        return;
    }
    c->q_wait = 0;
    care_set_stage(run, id, STAGE_DISENGAGED);
}

static void wait_with_patience(struct care_run *run, uint32_t id, const struct dist *patience,
                               enum care_draw what)
{
    struct care_client *c = &run->cl[id];
    if (patience) {
        c->ev_wait = sim_schedule(&run->sim, care_draw(run, id, what, patience), gave_up, run, id);
    }
}

int care_choose_model(const struct care_run *run, const struct care_client *c)
{
    const struct care_params *p = run->p;
    int m = p->front_door;

    for (int steps = 0; m != CARE_SIGNPOST && steps <= p->n_models; steps++) {
        if (eligible(&p->model[m], c)) {
            break;
        }
        m = p->model[m].fallback;
    }
    return m;
}

void care_triage(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];
    int m = care_choose_model(run, c);

    if (m == CARE_SIGNPOST) {
        c->model = -1;
        c->signpost_until =
            run->sim.now + care_draw(run, id, CARE_DRAW_SIGNPOST, &p->signposted_period);
        if (care_counts_after_warmup(run)) {
            run->n.signposted++;
        }
        care_set_stage(run, id, STAGE_SIGNPOSTED);
        return;
    }
    c->model = (int8_t)m;
    if (care_counts_after_warmup(run)) {
        run->model[m].assigned++;
    }
    care_enter_assessment_wait(run, id);
}

void care_enter_assessment_wait(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];

    care_set_stage(run, id, STAGE_WAIT_ASSESS);
    c->q_wait = queue_push(&run->assess_wait, run->sim.now, id, 0.0);
    wait_with_patience(run, id, p->has_assess_patience ? &p->assess_patience : NULL,
                       CARE_DRAW_ASSESS_PATIENCE);
    try_assess(run);
}

void care_enter_coordination_wait(struct care_run *run, uint32_t id, double since)
{
    struct care_client *c = &run->cl[id];
    const struct care_model *md = &run->p->model[c->model];

    care_set_stage(run, id, STAGE_WAIT_COORD);
    c->t_stage = since;
    c->q_wait = queue_push(&run->model[c->model].waiting, run->sim.now, id, 0.0);
    wait_with_patience(run, id, md->has_patience ? &md->patience : NULL, CARE_DRAW_COORD_PATIENCE);
    try_allocate(run, c->model);
}

void care_enter_coordination(struct care_run *run, uint32_t id, double past)
{
    int u = free_unit(run, run->cl[id].model);
    if (u >= 0) {
        start_coordination(run, id, u, past);
    } else {
        care_enter_coordination_wait(run, id, run->sim.now);
    }
}

static void assessed(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;

    CARE_ASSERT_CLIENT(run, arg);
    SIM_ASSERT(run->assessors.busy > 0 && run->cl[id].stage == STAGE_ASSESSING,
               "client %u assessed in stage %d", id, run->cl[id].stage);
    pool_release(&run->assessors, sim->now);
    care_enter_coordination_wait(run, id, sim->now);
    try_assess(run);
}

static void try_assess(struct care_run *run)
{
    const struct care_params *p = run->p;
    struct queue_entry e;

    if (!pool_has_free(&run->assessors) || queue_length(&run->assess_wait) == 0) {
        return;
    }
    /* Outside the assessment schedule: wait for it to open. */
    double open_share = 1.0;
    if (p->has_assess_schedule) {
        double now = run->sim.now;
        if (schedule_value_at(&p->assess_schedule, now) <= 0) {
            if (!run->assess_wake) {
                run->assess_wake = sim_schedule_at(
                    &run->sim, schedule_next_change(&p->assess_schedule, now), assess_open, run, 0);
            }
            return;
        }
        open_share = schedule_mean(&p->assess_schedule);
    }
    /* Each free assessor takes the next client in turn (FIFO). */
    while (pool_has_free(&run->assessors) && queue_pop(&run->assess_wait, run->sim.now, &e)) {
        start_assessment(run, (uint32_t)e.item, open_share);
    }
}

static void start_assessment(struct care_run *run, uint32_t id, double open_share)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];
    if (c->ev_wait) {
        sim_cancel(&run->sim, c->ev_wait);
        c->ev_wait = 0;
    }
    c->q_wait = 0;
    if (care_counts_after_warmup(run)) {
        tally_add(&run->wait_assess, run->sim.now - c->t_referred);
    }
    care_set_stage(run, id, STAGE_ASSESSING);
    pool_acquire(&run->assessors, run->sim.now);
    /* The server's week of assessment hours is spent within the open share of the week. */
    double hours = care_draw(run, id, CARE_DRAW_ASSESS_LENGTH, &p->assess_length);
    sim_schedule(&run->sim, hours * 7.0 * open_share / assess_server_hours(p), assessed, run, id);
}

static void assess_open(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    (void)arg;
    SIM_ASSERT(run->assess_wake != 0, "assessment opened with no wake-up pending");
    run->assess_wake = 0;
    try_assess(run);
}

/* ---- coordination ------------------------------------------------------------------------- */

static void contact(struct sim *sim, void *obj, uint64_t arg);
static void episode_end(struct sim *sim, void *obj, uint64_t arg);
static void disengage(struct sim *sim, void *obj, uint64_t arg);

static int free_unit(const struct care_run *run, int model)
{
    const struct care_model_rt *rt = &run->model[model];
    int best = -1;
    for (int u = rt->first_unit; u < rt->first_unit + rt->n_units; u++) {
        const struct care_unit *un = &run->unit[u];
        if (un->clients < un->limit && (best < 0 || un->clients < run->unit[best].clients)) {
            best = u;
        }
    }
    return best;
}

static double interval(const struct care_model *md)
{
    return 7.0 / md->contact_rate;
}

static void start_coordination(struct care_run *run, uint32_t id, int u, double past)
{
    struct care_client *c = &run->cl[id];
    const struct care_model *md = &run->p->model[c->model];
    struct care_model_rt *rt = &run->model[c->model];
    double now = run->sim.now;
    bool after = care_counts_after_warmup(run);

    if (c->ev_wait) {
        sim_cancel(&run->sim, c->ev_wait);
        c->ev_wait = 0;
    }
    c->q_wait = 0;
    run->week.waits++;
    run->week.wait_days += now - c->t_stage;
    if (after) {
        double w = now - c->t_stage;
        tally_add(&run->wait_coord, w);
        tally_add(&rt->wait, w);
        rt->starts++;
    }
    run->unit[u].clients++;
    c->unit = (int16_t)u;
    c->t_coord_start = now - past;
    care_set_stage(run, id, STAGE_COORDINATED);
    twavg_add(&rt->caseload_tw, now, 1.0);

    c->contact_due = now + care_uniform(run, id, CARE_DRAW_CONTACT_PHASE) * interval(md);
    c->ev_contact = sim_schedule_at(&run->sim, c->contact_due, contact, run, id);
    /* A client from a snapshot has served part of its episode: the rest is drawn from the
     * episode's law given that it has lasted `past` days (one uniform of the same decision). */
    double episode =
        past > 0 ? care_remaining(&md->episode, past, care_uniform(run, id, CARE_DRAW_EPISODE))
                 : care_draw(run, id, CARE_DRAW_EPISODE, &md->episode);
    c->ev_end = sim_schedule(&run->sim, episode, episode_end, run, id);
    double hazard = md->disengagement * c->engagement / CARE_DAYS_PER_YEAR;
    if (hazard > 0) {
        c->ev_disengage =
            sim_schedule(&run->sim, care_exponential(run, id, CARE_DRAW_DISENGAGE, 1.0 / hazard),
                         disengage, run, id);
    }
    care_needs_start(run, id); /* needs are linked at attended contacts */
    care_risk_redraw(run, id); /* a coordinator now knows the client */
}

static void try_allocate(struct care_run *run, int model)
{
    struct queue_entry e;
    int u;

    while ((u = free_unit(run, model)) >= 0 &&
           queue_pop(&run->model[model].waiting, run->sim.now, &e)) {
        start_coordination(run, (uint32_t)e.item, u, 0.0);
    }
}

void care_leave_coordination(struct care_run *run, uint32_t id, enum care_stage to)
{
    struct care_client *c = &run->cl[id];
    int model = c->model;

    if (c->stage != STAGE_COORDINATED) {
        return;
    }
    sim_cancel(&run->sim, c->ev_contact);
    sim_cancel(&run->sim, c->ev_end);
    sim_cancel(&run->sim, c->ev_disengage);
    c->ev_contact = c->ev_end = c->ev_disengage = 0;
    run->unit[c->unit].clients--;
    c->unit = -1;
    twavg_add(&run->model[model].caseload_tw, run->sim.now, -1.0);
    care_services_drop(run, id);
    care_set_stage(run, id, to);
    care_risk_redraw(run, id);
    try_allocate(run, model);
}

static void episode_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    (void)sim;

    CARE_ASSERT_CLIENT(run, arg);
    SIM_ASSERT(run->cl[id].stage == STAGE_COORDINATED, "client %u: episode ends in stage %d", id,
               run->cl[id].stage);
    run->cl[id].ev_end = 0;
    if (care_counts_after_warmup(run)) {
        run->n.stepped_down++;
    }
    care_leave_coordination(run, id, STAGE_DISCHARGED);
}

/* The coordinated client loses contact with its team. */
static void lose_contact(struct care_run *run, uint32_t id)
{
    if (care_counts_after_warmup(run)) {
        run->n.disengaged++;
        run->model[run->cl[id].model].disengaged++;
    }
    care_leave_coordination(run, id, STAGE_DISENGAGED);
}

static void disengage(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    (void)sim;

    CARE_ASSERT_CLIENT(run, arg);
    SIM_ASSERT(run->cl[id].stage == STAGE_COORDINATED && run->cl[id].model >= 0,
               "client %u disengages in stage %d", id, run->cl[id].stage);
    run->cl[id].ev_disengage = 0;
    lose_contact(run, id);
}

/*
 * The effect (0..1] of a contact by unit un: x = (week_hours / clients) / full_effect_hours,
 * capped at 1, is the coordinator's time per client relative to the time for a full effect;
 * the effect is floor + (1 - floor) x g(x) with g(x) = x (linear) or 1 - (1 - x)^2
 * (saturating: little loss just below the full-effect time, most near none), or 1 (none).
 */
static double contact_effect(const struct care_model *md, const struct care_unit *un)
{
    if (md->effect_shape == EFFECT_NONE || md->full_effect_hours <= 0 || un->clients <= 0) {
        return 1.0;
    }
    double x = fmin(1.0, un->week_hours / un->clients / md->full_effect_hours);
    double g = md->effect_shape == EFFECT_LINEAR ? x : 1.0 - (1.0 - x) * (1.0 - x);
    return md->effect_floor + (1.0 - md->effect_floor) * g;
}

static void contact(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    CARE_ASSERT_CLIENT(run, arg);
    struct care_client *c = &run->cl[id];
    SIM_ASSERT(c->stage == STAGE_COORDINATED && c->model >= 0 && c->model < run->p->n_models &&
                   c->unit >= 0 && c->unit < run->n_units,
               "client %u: contact in stage %d (model %d, unit %d)", id, c->stage, c->model,
               c->unit);
    const struct care_model *md = &run->p->model[c->model];
    struct care_model_rt *rt = &run->model[c->model];
    struct care_unit *un = &run->unit[c->unit];
    double now = sim->now;
    bool after = care_counts_after_warmup(run);

    c->ev_contact = 0;
    if (c->in_hospital) {
        /* Contacts pause during an admission; the next falls due an interval later. */
        c->contact_due = now + interval(md);
        c->ev_contact = sim_schedule_at(sim, c->contact_due, contact, run, id);
        return;
    }
    long week = (long)floor(now / 7.0);
    if (un->week != week) {
        un->week = week;
        un->left = un->week_hours;
    }
    double hours = md->contact_minutes / 60.0;
    double effect = 0.0; /* of the contact: 0 unless attended */
    if (un->left + 1e-9 < hours) {
        if (now + 7.0 - fmod(now, 7.0) < c->contact_due + interval(md)) {
            /* Delayed to the start of next week, when the hours are renewed. */
            c->ev_contact = sim_schedule_at(sim, (double)(week + 1) * 7.0, contact, run, id);
            if (after) {
                rt->delayed++;
            }
            return;
        }
        /* No room within an interval of its due time: missed. */
        if (after) {
            run->n.due++;
            run->n.missed++;
            rt->due++;
            rt->missed++;
        }
    } else {
        un->left -= hours;
        if (after) {
            run->n.due++;
            rt->due++;
            run->n.contact_hours_used += hours;
            rt->hours_used += hours;
        }
        double dna = fmin(1.0, md->dna * c->engagement);
        if (care_uniform(run, id, CARE_DRAW_DNA) < dna) {
            if (after) {
                run->n.missed++;
                rt->missed++;
            }
        } else {
            effect = contact_effect(md, un);
            if (after) {
                run->n.contacts++;
                rt->contacts++;
                run->n.effect_sum += effect;
            }
            /* Drawn on every attended contact, so the k-th draw is the k-th such contact. */
            double u = care_uniform(run, id, CARE_DRAW_DETECT);
            if (c->risk == RISK_DETERIORATING && u < md->detect * effect) {
                care_detected(run, id, effect);
            }
            care_link_need(run, id, effect);
        }
    }
    /* Drawn on every contact due. A missed contact ends the engagement with probability
     * missed_disengage (Mitchell & Selmes 2007: up to half of those who miss appointments drop
     * out); an attended one with that probability times the effect it lacked. */
    if (care_uniform(run, id, CARE_DRAW_LOSE_CONTACT) < md->missed_disengage * (1.0 - effect)) {
        if (after) {
            run->n.lost_at_contact++;
        }
        lose_contact(run, id);
        return;
    }
    c->contact_due = now + interval(md);
    c->ev_contact = sim_schedule_at(sim, c->contact_due, contact, run, id);
}

bool care_team_covers(const struct care_run *run, int model, double t)
{
    if (model < 0) {
        return false;
    }
    const struct care_model *md = &run->p->model[model];
    switch (md->crisis_cover) {
    case COVER_24H:
        return true;
    case COVER_OFFICE: {
        double day = fmod(t, 7.0);
        double hour = (day - floor(day)) * 24.0;
        return day < 5.0 && hour >= run->p->office_start && hour < run->p->office_end;
    }
    case COVER_NONE:
        break;
    }
    return false;
}

void care_coord_name_events(struct sim *sim)
{
    sim_name_event(sim, gave_up, "gave_up");
    sim_name_event(sim, assessed, "assessed");
    sim_name_event(sim, assess_open, "assess_open");
    sim_name_event(sim, episode_end, "episode_end");
    sim_name_event(sim, disengage, "disengage");
    sim_name_event(sim, contact, "contact");
}
