/*
 * care — the care-coordination model: scenario, replication, conservation audit, outcomes.
 *
 * See care.h for the parts and docs/model.md for the model as a whole. This file owns the
 * client's place in the pathway (stage counts, the unmet-need count, who is in hospital), the
 * warm-up reset, the weekly series, the audit at the end of every replication and the metrics.
 */
#include "models/care.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

static const struct cfg_key root_keys[] = {
    {.name = "referrals", .type = CFG_GROUP, .is_required = true, .help = "referrals and clients"},
    {.name = "assessment", .type = CFG_GROUP, .is_required = true, .help = "the assessment team"},
    {.name = "coordination",
     .type = CFG_GROUP,
     .is_required = true,
     .help = "triage and the coordination models"},
    {.name = "services", .type = CFG_LIST, .is_required = true, .help = "services meeting needs"},
    {.name = "risk", .type = CFG_GROUP, .is_required = true, .help = "the crisis process"},
    {.name = "crisis_team", .type = CFG_GROUP, .is_required = true, .help = "the crisis team"},
    {.name = "ed", .type = CFG_GROUP, .is_required = true, .help = "the emergency department"},
    {.name = "hospital", .type = CFG_GROUP, .is_required = true, .help = "inpatient beds"},
    {.name = "costs", .type = CFG_GROUP, .help = "unit costs (optional)"},
    {.name = "initial", .type = CFG_GROUP, .help = "the clients present at day 0 (optional)"},
    {.name = "output", .type = CFG_GROUP, .help = "end state and per-year metrics (optional)"},
    {.name = "trial",
     .type = CFG_GROUP,
     .help = "a randomised trial emulated in the region (optional)"},
    {.name = "attributes",
     .type = CFG_LIST,
     .help = "attributes of clients, drawn at referral, by which outcomes are also reported "
             "(optional; see attributes[])"},
};

static const struct cfg_table care_root_table = {
    .path = "",
    .help = "keys of a care-coordination scenario",
    .keys = root_keys,
    .n_keys = sizeof root_keys / sizeof root_keys[0],
};

/* ---- bookkeeping -------------------------------------------------------------------------- */

bool care_counts_after_warmup(const struct care_run *run)
{
    return run->sim.now >= run->warmup;
}

void care_fail(struct care_run *run, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(run->err, run->err_len, "replication %u, day %.2f: ", run->replication,
                     run->sim.now);
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < run->err_len) {
        vsnprintf(run->err + n, run->err_len - (size_t)n, fmt, ap);
    }
    va_end(ap);
    run->failed = true;
    sim_stop(&run->sim);
}

static bool counts_in_service(enum care_stage s)
{
    return s == STAGE_WAIT_ASSESS || s == STAGE_ASSESSING || s == STAGE_WAIT_COORD ||
           s == STAGE_COORDINATED;
}

int care_count_unmet(const struct care_run *run, const struct care_client *c)
{
    /* Clients in the service, and those who left it with needs unmet (disengaged, or
     * signposted for their signposted period), until they leave the model (dormant). */
    bool counted =
        counts_in_service((enum care_stage)c->stage) ||
        (!c->dormant && (c->stage == STAGE_DISENGAGED ||
                         (c->stage == STAGE_SIGNPOSTED && run->sim.now < c->signpost_until)));
    return counted ? __builtin_popcount(c->needs & (uint16_t)~c->met) : 0;
}

void care_unmet_update(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    int now = care_count_unmet(run, c);
    if (now != c->unmet_contrib) {
        run->unmet_now += now - c->unmet_contrib;
        care_groups_unmet(run, id, now - c->unmet_contrib);
        c->unmet_contrib = (uint8_t)now;
        twavg_set(&run->unmet_tw, run->sim.now, (double)run->unmet_now);
    }
}

/* ---- journeys (ccsim run --trace) --------------------------------------------------------- */

static const char *const care_event_names[CARE_N_EVENTS] = {
    [CARE_EV_INITIAL] = "initial",
    [CARE_EV_REFERRAL] = "referral",
    [CARE_EV_SIGNPOSTED] = "signposted",
    [CARE_EV_TRIAGED] = "triaged",
    [CARE_EV_ASSESSMENT_START] = "assessment_start",
    [CARE_EV_ASSESSED] = "assessed",
    [CARE_EV_GAVE_UP_ASSESSMENT] = "gave_up_assessment",
    [CARE_EV_GAVE_UP_COORDINATION] = "gave_up_coordination",
    [CARE_EV_COORDINATED] = "coordinated",
    [CARE_EV_CONTACT] = "contact",
    [CARE_EV_MISSED_CONTACT] = "missed_contact",
    [CARE_EV_CONTACT_NO_HOURS] = "contact_no_hours",
    [CARE_EV_CONTACT_DELAYED] = "contact_delayed",
    [CARE_EV_NEED_REFERRED] = "need_referred",
    [CARE_EV_NEED_WAITING] = "need_waiting",
    [CARE_EV_NEED_MET] = "need_met",
    [CARE_EV_MOVED] = "moved",
    [CARE_EV_STEPPED_DOWN] = "stepped_down",
    [CARE_EV_DISENGAGED] = "disengaged",
    [CARE_EV_DETERIORATING] = "deteriorating",
    [CARE_EV_RECOVERED] = "recovered",
    [CARE_EV_DETECTED] = "detected",
    [CARE_EV_RESOLVED] = "resolved",
    [CARE_EV_CRISIS] = "crisis",
    [CARE_EV_TEAM_RESPONSE] = "team_response",
    [CARE_EV_CRISIS_TEAM] = "crisis_team",
    [CARE_EV_ED_VISIT] = "ed_visit",
    [CARE_EV_HOME_TREATMENT] = "home_treatment",
    [CARE_EV_ADMISSION] = "admission",
    [CARE_EV_BOARDING] = "boarding",
    [CARE_EV_LOCAL_BED] = "local_bed",
    [CARE_EV_OUT_OF_AREA] = "out_of_area",
    [CARE_EV_DISCHARGE] = "discharge",
    [CARE_EV_FOLLOWED_UP] = "followed_up",
    [CARE_EV_CRISIS_TEAM_END] = "crisis_team_end",
    [CARE_EV_EXIT] = "exit",
};

/* The stages of a journey: enum care_stage, then "referred" (N_STAGES) for a referral row. */
static const char *const care_stage_names[N_STAGES + 1] = {
    [STAGE_WAIT_ASSESS] = "waiting_assessment",  [STAGE_ASSESSING] = "assessing",
    [STAGE_WAIT_COORD] = "waiting_coordination", [STAGE_COORDINATED] = "coordinated",
    [STAGE_DISCHARGED] = "discharged",           [STAGE_DISENGAGED] = "disengaged",
    [STAGE_SIGNPOSTED] = "signposted",           [N_STAGES] = "referred",
};

void care_journey_emit(struct care_run *run, uint32_t id, enum care_event ev, int stage,
                       int service)
{
    const struct care_client *c = &run->cl[id];
    struct model_event e = {
        .t = run->sim.now,
        .entity = c->serial,
        .event = (uint8_t)ev,
        .stage = (int8_t)(stage >= 0 && stage < N_STAGES ? stage : N_STAGES),
        .model = (int8_t)(ev == CARE_EV_REFERRAL ? -1 : c->model),
        .service = (int8_t)service,
    };
    run->journey(run->journey_ctx, &e);
}

static const char *care_journey_name(const void *vp, enum model_journey_field field, int i)
{
    const struct care_params *p = vp;
    switch (field) {
    case MODEL_JOURNEY_EVENT:
        return i >= 0 && i < CARE_N_EVENTS ? care_event_names[i] : NULL;
    case MODEL_JOURNEY_STAGE:
        return i >= 0 && i <= N_STAGES ? care_stage_names[i] : NULL;
    case MODEL_JOURNEY_MODEL:
        return i >= 0 && i < p->n_models ? p->model[i].name : NULL;
    case MODEL_JOURNEY_SERVICE:
        return i >= 0 && i < p->n_services ? p->service[i].name : NULL;
    }
    return NULL;
}

static void signpost_over(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    CARE_ASSERT_CLIENT(run, arg);
    run->cl[arg].ev_signpost = 0;
    care_unmet_update(run, (uint32_t)arg);
    care_risk_redraw(run, (uint32_t)arg);
    care_release(run, (uint32_t)arg);
}

static void follow_over(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    CARE_ASSERT_CLIENT(run, arg);
    struct care_client *c = &run->cl[arg];
    (void)sim;
    c->ev_follow = 0;
    c->dormant = true;
    care_journey(run, (uint32_t)arg, CARE_EV_EXIT);
    care_unmet_update(run, (uint32_t)arg);
    care_risk_redraw(run, (uint32_t)arg);
    care_release(run, (uint32_t)arg);
}

void care_set_stage(struct care_run *run, uint32_t id, enum care_stage stage)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;
    bool was = c->stage < N_STAGES && counts_in_service((enum care_stage)c->stage);

    SIM_ASSERT(stage < N_STAGES, "client %u: stage %d", id, (int)stage);
    if (run->trace) {
        run->trace(run->trace_ctx, MODEL_TRACE_STAGE, c->serial, (int)stage, now, 0.0);
    }

    if (c->stage < N_STAGES) {
        run->stage_count[c->stage]--;
    }
    run->stage_count[stage]++;
    c->stage = (uint8_t)stage;
    c->t_stage = now;
    bool is = counts_in_service(stage);
    if (was != is) {
        twavg_add(&run->in_service_tw, now, is ? 1.0 : -1.0);
        care_groups_in_service(run, id, is ? 1 : -1);
    }
    if (stage == STAGE_DISENGAGED && run->p->trial.on) {
        care_trial_lost(run, id);
    }
    if (c->ev_signpost) { /* a signposted period ends early when the client comes back */
        sim_cancel(&run->sim, c->ev_signpost);
        c->ev_signpost = 0;
    }
    if (stage == STAGE_SIGNPOSTED && c->signpost_until > now) {
        c->ev_signpost = sim_schedule_at(&run->sim, c->signpost_until, signpost_over, run, id);
    }
    /* Out of the service: followed for follow_days; back in: followed while in. */
    if (c->ev_follow) {
        sim_cancel(&run->sim, c->ev_follow);
        c->ev_follow = 0;
    }
    c->dormant = false;
    if (!is) {
        /* Followed for follow_days, or until the client leaves the region (moves away or
         * dies: its exit time, drawn at referral, takes effect when it is out of the
         * service). */
        double until = stage == STAGE_SIGNPOSTED ? fmax(c->signpost_until, now) : now;
        double end = fmin(until + run->p->follow_days, fmax(c->t_exit, now));
        c->ev_follow = sim_schedule_at(&run->sim, end, follow_over, run, id);
    }
    care_unmet_update(run, id);
}

void care_follow_from(struct care_run *run, uint32_t id, double since)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    if (c->ev_follow) {
        sim_cancel(&run->sim, c->ev_follow);
    }
    double end = fmin(since + run->p->follow_days, fmax(c->t_exit, now));
    c->ev_follow = sim_schedule_at(&run->sim, fmax(end, now), follow_over, run, id);
}

/* ---- a client's random decisions (enum care_draw) ------------------------------------------ */

/* The seed of client id's next draw of decision what (each draw its own substream). */
static uint64_t draw_seed(struct care_run *run, uint32_t id, enum care_draw what)
{
    SIM_ASSERT(id < run->n_slots && care_client_is_live(&run->cl[id]) && what > 0 &&
                   what < CARE_N_DRAWS,
               "draw %d for client slot %u of %u", (int)what, id, run->n_slots);
    uint32_t k = run->cl[id].n_draws[what]++;
    SIM_ASSERT(k < (1u << 24), "client %u: more than 2^24 draws of decision %d", id, (int)what);
    /* STREAM_CLIENT_RISK or STREAM_CLIENT_CARE, by the decision. */
    uint64_t prefix = what >= CARE_DRAW_RISK_TIME && what <= CARE_DRAW_CRT_EPISODE
                          ? run->risk_prefix
                          : run->care_prefix;
    /* Keyed by the serial, not the slot: a recycled slot changes no draw. */
    uint64_t key = (uint64_t)what << 56 | (uint64_t)k << 32 | run->cl[id].serial;
    return rng_seed_from_prefix(prefix, key);
}

static gsl_rng *draw_rng(struct care_run *run, uint32_t id, enum care_draw what)
{
    rng_sub_init(&run->draw, draw_seed(run, id, what));
    return &run->draw.r;
}

static double traced(struct care_run *run, uint32_t id, enum care_draw what, double v)
{
    if (run->trace) {
        run->trace(run->trace_ctx, MODEL_TRACE_DRAW, run->cl[id].serial, (int)what, run->sim.now,
                   v);
    }
    return v;
}

double care_uniform(struct care_run *run, uint32_t id, enum care_draw what)
{
    return traced(run, id, what, rng_first_uniform(draw_seed(run, id, what)));
}

double care_draw(struct care_run *run, uint32_t id, enum care_draw what, const struct dist *d)
{
    return traced(run, id, what, dist_draw(d, draw_rng(run, id, what)));
}

double care_exponential(struct care_run *run, uint32_t id, enum care_draw what, double mean)
{
    return traced(run, id, what, rng_first_exponential(draw_seed(run, id, what), mean));
}

void care_set_hospital(struct care_run *run, uint32_t id, bool in)
{
    struct care_client *c = &run->cl[id];
    if (c->in_hospital != in) {
        c->in_hospital = in;
        run->in_hospital_count += in ? 1 : -1;
    }
}

/* ---- client slots ------------------------------------------------------------------------ */

#ifdef CCSIM_DEBUG
/* Events whose argument names a client slot (in its low 32 bits), by the names the files give
 * them (care_*_name_events). An event added for a client belongs here. */
static const char *const client_events[] = {
    "signpost_over", "follow_over",    "gave_up",      "assessed",   "episode_end",
    "disengage",     "contact",        "crt_end",      "risk_event", "post_window_end",
    "discharge",     "boarding_limit", "linkage_done",
};

#define N_CLIENT_EVENTS (sizeof client_events / sizeof client_events[0])

/* The actions of client_events, from the run's names; returns how many were found. */
static size_t client_event_fns(const struct sim *sim, event_fn **fns)
{
    size_t n = 0;
    for (int i = 0; i < sim->n_names; i++) {
        for (size_t k = 0; k < N_CLIENT_EVENTS; k++) {
            if (strcmp(sim->names[i].name, client_events[k]) == 0) {
                fns[n++] = sim->names[i].fn;
                break;
            }
        }
    }
    return n;
}

static bool is_one_of(event_fn *fn, event_fn *const *fns, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (fns[k] == fn) {
            return true;
        }
    }
    return false;
}

/* Every pending event of a client names a slot that holds one: a walk over the calendar. */
struct slot_walk {
    struct care_run *run;
    event_fn *fns[SIM_MAX_EVENT_NAMES];
    size_t n_fns;
    bool ok;
};

static void check_event_slot(void *ctx, const struct cal_event *ev)
{
    struct slot_walk *w = ctx;
    struct care_run *run = w->run;
    uint32_t id = (uint32_t)ev->arg;

    if (w->ok && ev->obj == run && is_one_of(ev->fn, w->fns, w->n_fns) &&
        (id >= run->n_slots || !care_client_is_live(&run->cl[id]))) {
        care_fail(run, "client slot %u was released with an event still pending", id);
        w->ok = false;
    }
}

static bool events_name_live_slots(struct care_run *run)
{
    struct slot_walk w = {.run = run, .ok = true};

    w.n_fns = client_event_fns(&run->sim, w.fns);
    calendar_visit(&run->sim.cal, check_event_slot, &w);
    return w.ok;
}

/* Debug builds hold released slots back, CARE_HELD_SLOTS at a time, until a walk over the
 * calendar has found no event naming them; an event that fires meanwhile finds its slot free
 * (CARE_ASSERT_CLIENT). Then they join the free list. One walk per batch keeps the check
 * cheap; slots are assigned differently from release builds, which changes no result. */
static void hold_slot(struct care_run *run, uint32_t id)
{
    run->cl[id].next_free = run->held_head;
    run->held_head = id;
    if (++run->n_held < CARE_HELD_SLOTS) {
        return;
    }
    SIM_DEBUG_ASSERT(events_name_live_slots(run), "%s", run->err);
    uint32_t tail = run->held_head;
    while (run->cl[tail].next_free != CARE_NO_SLOT) {
        tail = run->cl[tail].next_free;
    }
    run->cl[tail].next_free = run->free_head;
    run->free_head = run->held_head;
    run->held_head = CARE_NO_SLOT;
    run->n_held = 0;
}
#endif

void care_release(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];

    if (!c->dormant || c->in_hospital || c->in_crt || c->ev_post || c->ev_signpost ||
        c->ev_follow || c->open_journeys) {
        return;
    }
    SIM_ASSERT(care_client_is_live(c) && c->stage < N_STAGES && !counts_in_service(c->stage) &&
                   c->unmet_contrib == 0 && !c->boarding && !c->ev_risk && !c->ev_wait &&
                   !c->ev_board && !c->q_wait && !c->q_bed && !c->delayed && !c->queued,
               "client slot %u released in stage %d", id, (int)c->stage);
    run->released[c->stage]++;
    run->n_live--;
    c->gen++;
#ifdef CCSIM_DEBUG
    hold_slot(run, id);
#else
    c->next_free = run->free_head;
    run->free_head = id;
#endif
}

/* ---- metrics ---------------------------------------------------------------------------- */

/*
 * The metrics, each declared once: X(name, unit, label, is_headline, better, value). The value is
 * an expression over the locals of compute_metrics() (system metrics), of its per-model loop
 * (rt, cl, ccy, avail, MRATE) or of its per-service loop (rt, places); the list order is the
 * reported order. RATE(x) is x per 100 client-years in the service, MRATE(x) per 100 client-years
 * coordinated by the model (docs/model.md, section 1.2). The headline metrics are the outcomes
 * planners compare scenarios on: --precision watches them, reports and figures lead with them.
 */
#define PER_100_CY "per 100 client-years"
/* The units of the cost metrics, replaced at load by the scenario's currency and price year
 * ("GBP a year, 2023 prices"; describe_metrics()); these texts show only when costs are absent,
 * and then every cost metric is NA. */
static const char COST_YEAR[] = "currency a year";
static const char COST_CY[] = "currency per 100 client-years";
#define CARE_SYSTEM_METRICS(X)                                                                     \
    X(referrals_per_year, "referrals per year", "Referrals per year (new and re-referrals)",       \
      false, METRIC_NEITHER, (double)n->referrals / years)                                         \
    X(referrals_per_100k, "referrals per year per 100,000 adults",                                 \
      "Referrals per year per 100,000 adults", false, METRIC_NEITHER, PER_100K(n->referrals))      \
    X(clients_in_service, "clients", "Clients in the service (time average)", false,               \
      METRIC_NEITHER, twavg_mean(&run->in_service_tw, now))                                        \
    X(caseload, "clients", "Clients coordinated (time average)", false, METRIC_NEITHER, caseload)  \
    X(clients_per_post, "clients per post", "Clients coordinated per filled post (time average)",  \
      false, METRIC_NEITHER, posts_filled > 0 ? caseload / posts_filled : NAN)                     \
    X(caseload_occupancy, "share", "Clients coordinated / caseload places (time average)", false,  \
      METRIC_NEITHER, slots > 0 ? caseload / slots : NAN)                                          \
    X(waiting_assessment, "clients", "Clients waiting for assessment (time average)", false,       \
      METRIC_LOWER_BETTER, twavg_mean(&run->assess_wait.len_tw, now))                              \
    X(waiting_coordination, "clients", "Clients waiting for a coordinator (time average)", false,  \
      METRIC_LOWER_BETTER, waiting_coord)                                                          \
    X(crises, PER_100_CY, "Crises per 100 client-years", true, METRIC_LOWER_BETTER,                \
      RATE(n->crises))                                                                             \
    X(crises_per_year, "crises per year", "Crises per year (all clients)", false,                  \
      METRIC_LOWER_BETTER, (double)n->crises / years)                                              \
    X(crises_per_100k, "crises per year per 100,000 adults",                                       \
      "Crises per year per 100,000 adults (all clients)", false, METRIC_LOWER_BETTER,              \
      PER_100K(n->crises))                                                                         \
    X(ed_visits, PER_100_CY, "ED visits per 100 client-years", true, METRIC_LOWER_BETTER,          \
      RATE(n->ed_visits))                                                                          \
    X(crisis_team_contacts, PER_100_CY, "Crisis-team contacts per 100 client-years", false,        \
      METRIC_NEITHER, RATE(n->crt_contacts))                                                       \
    X(team_crisis_responses, PER_100_CY,                                                           \
      "Crises answered by the coordination team per 100 client-years", false, METRIC_NEITHER,      \
      RATE(n->team_responses))                                                                     \
    X(team_response_unavailable_pct, "percent",                                                    \
      "Crises the team covered but had no hours left to answer (%)", false, METRIC_LOWER_BETTER,   \
      pct(n->team_unavailable, n->team_responses + n->team_unavailable))                           \
    X(linkages_without_hours, PER_100_CY,                                                          \
      "Linkages put off for lack of coordinator hours per 100 client-years", false,                \
      METRIC_LOWER_BETTER, RATE(n->linkage_no_hours))                                              \
    X(in_house_full, PER_100_CY,                                                                   \
      "Needs finding the team's in-house places full per 100 client-years", false,                 \
      METRIC_LOWER_BETTER, RATE(n->in_house_full))                                                 \
    X(in_house_starts_per_year, "places per year", "In-house places taken per year", false,        \
      METRIC_NEITHER, (double)n->in_house_started / years)                                         \
    X(admissions, PER_100_CY, "Admissions per 100 client-years", true, METRIC_LOWER_BETTER,        \
      RATE(n->admissions))                                                                         \
    X(admissions_per_year, "admissions per year", "Admissions per year (all clients)", false,      \
      METRIC_LOWER_BETTER, (double)n->admissions / years)                                          \
    X(admissions_per_100k, "admissions per year per 100,000 adults",                               \
      "Admissions per year per 100,000 adults (all clients)", false, METRIC_LOWER_BETTER,          \
      PER_100K(n->admissions))                                                                     \
    X(gatekept_pct, "percent",                                                                     \
      "Admissions considered by a team or the ED that the crisis team took into home "             \
      "treatment (%)",                                                                             \
      false, METRIC_NEITHER, pct(n->gatekept, n->considered))                                      \
    X(crisis_team_diversions_per_year, "diversions per year",                                      \
      "Admissions diverted to home treatment by the crisis team per year (all clients)", false,    \
      METRIC_NEITHER, (double)n->gatekept / years)                                                 \
    X(bed_days, "bed-days per 100 client-years",                                                   \
      "Bed-days (local and out of area) per 100 client-years", true, METRIC_LOWER_BETTER,          \
      RATE(bed_days + oap_days))                                                                   \
    X(bed_days_per_year, "bed-days per year",                                                      \
      "Bed-days per year (local and out of area, all "                                             \
      "clients)",                                                                                  \
      false, METRIC_LOWER_BETTER, (bed_days + oap_days) / years)                                   \
    X(bed_days_per_100k, "bed-days per year per 100,000 adults",                                   \
      "Bed-days per year per 100,000 adults (local and out of area, all clients)", false,          \
      METRIC_LOWER_BETTER, PER_100K(bed_days + oap_days))                                          \
    X(ed_visits_per_year, "ED visits per year", "ED visits per year (all clients)", false,         \
      METRIC_LOWER_BETTER, (double)n->ed_visits / years)                                           \
    X(ed_visits_per_100k, "ED visits per year per 100,000 adults",                                 \
      "ED visits per year per 100,000 adults (all clients)", false, METRIC_LOWER_BETTER,           \
      PER_100K(n->ed_visits))                                                                      \
    X(readmissions_30d, PER_100_CY, "Readmissions within 30 days per 100 client-years", false,     \
      METRIC_LOWER_BETTER, RATE(n->readmissions_30d))                                              \
    X(out_of_area_placements, PER_100_CY, "Out-of-area placements per 100 client-years", false,    \
      METRIC_LOWER_BETTER, RATE(n->oap))                                                           \
    X(out_of_area_placements_per_year, "placements per year",                                      \
      "Out-of-area placements per year (all clients)", false, METRIC_LOWER_BETTER,                 \
      (double)n->oap / years)                                                                      \
    X(ed_boarding_hours, "hours", "Mean ED boarding time (hours)", false, METRIC_LOWER_BETTER,     \
      tally_mean(&run->boarding))                                                                  \
    X(ed_boarding_hours_p90, "hours", "90th percentile of ED boarding time (hours)", false,        \
      METRIC_LOWER_BETTER, tally_quantile(&run->boarding, 0))                                      \
    X(wait_assessment_days, "days", "Mean wait for assessment (days)", false, METRIC_LOWER_BETTER, \
      tally_mean(&run->wait_assess))                                                               \
    X(wait_assessment_days_p90, "days", "90th percentile of the wait for assessment (days)",       \
      false, METRIC_LOWER_BETTER, tally_quantile(&run->wait_assess, 0))                            \
    X(wait_assessment_days_urgent, "days", "Mean wait for assessment, urgent referrals (days)",    \
      false, METRIC_LOWER_BETTER, tally_mean(&run->wait_assess_urgency[1]))                        \
    X(wait_assessment_days_routine, "days", "Mean wait for assessment, routine referrals (days)",  \
      false, METRIC_LOWER_BETTER, tally_mean(&run->wait_assess_urgency[0]))                        \
    X(assessor_utilisation, "share", "Assessors busy / assessors on duty (time average)", false,   \
      METRIC_NEITHER, run->assessors.capacity > 0 ? pool_utilisation(&run->assessors, now) : NAN)  \
    X(wait_coordination_days, "days", "Mean wait for a coordinator (days)", true,                  \
      METRIC_LOWER_BETTER, tally_mean(&run->wait_coord))                                           \
    X(referral_to_coordination_days, "days",                                                       \
      "Mean time from referral to the start of coordination (days)", false, METRIC_LOWER_BETTER,   \
      n->coord_starts > 0 ? n->referral_to_coord_days / (double)n->coord_starts : NAN)             \
    X(referral_to_coordination_over_28d_pct, "percent",                                            \
      "Coordination begun more than 28 days after referral (%)", false, METRIC_LOWER_BETTER,       \
      pct(n->coord_starts_over_28d, n->coord_starts))                                              \
    X(wait_coordination_days_urgent, "days",                                                       \
      "Mean wait for a coordinator, urgent referrals (days)", false, METRIC_LOWER_BETTER,          \
      tally_mean(&run->wait_coord_urgency[1]))                                                     \
    X(wait_coordination_days_routine, "days",                                                      \
      "Mean wait for a coordinator, routine referrals (days)", false, METRIC_LOWER_BETTER,         \
      tally_mean(&run->wait_coord_urgency[0]))                                                     \
    X(wait_coordination_days_low, "days", "Mean wait for a coordinator, low severity (days)",      \
      false, METRIC_LOWER_BETTER, tally_mean(&run->wait_coord_severity[0]))                        \
    X(wait_coordination_days_moderate, "days",                                                     \
      "Mean wait for a coordinator, moderate severity (days)", false, METRIC_LOWER_BETTER,         \
      tally_mean(&run->wait_coord_severity[1]))                                                    \
    X(wait_coordination_days_high, "days", "Mean wait for a coordinator, high severity (days)",    \
      false, METRIC_LOWER_BETTER, tally_mean(&run->wait_coord_severity[2]))                        \
    X(wait_coordination_days_complex, "days",                                                      \
      "Mean wait for a coordinator, complex severity (days)", false, METRIC_LOWER_BETTER,          \
      tally_mean(&run->wait_coord_severity[3]))                                                    \
    X(abandoned_waits, PER_100_CY, "Clients who gave up waiting per 100 client-years", false,      \
      METRIC_LOWER_BETTER, RATE(n->abandoned_assess + n->abandoned_coord))                         \
    X(unmet_need_days, "need-days per 100 client-years", "Unmet need-days per 100 client-years",   \
      true, METRIC_LOWER_BETTER, RATE(twavg_mean(&run->unmet_tw, now) * span))                     \
    X(unmet_need_days_per_year, "need-days per year", "Unmet need-days per year (all clients)",    \
      false, METRIC_LOWER_BETTER, twavg_mean(&run->unmet_tw, now) * span / years)                  \
    X(needs_linked_30d_pct, "percent", "Needs met within 30 days of coordination (%)", false,      \
      METRIC_HIGHER_BETTER, pct(n->needs_30d_num, n->needs_30d_den))                               \
    X(missed_contacts_pct, "percent", "Contacts missed (%)", false, METRIC_LOWER_BETTER,           \
      pct(n->missed, n->due))                                                                      \
    X(contacts_per_client_week, "contacts per client-week",                                        \
      "Attended contacts per coordinated client-week", false, METRIC_HIGHER_BETTER,                \
      caseload > 0 ? (double)contacts / (caseload * span / 7.0) : NAN)                             \
    X(hours_per_client_week, "contact hours per client-week",                                      \
      "Coordinator contact hours available per coordinated client-week", false,                    \
      METRIC_HIGHER_BETTER, caseload > 0 ? hours_avail / (caseload * span / 7.0) : NAN)            \
    X(contact_effect, "share", "Mean effect of an attended contact (1 = full)", false,             \
      METRIC_HIGHER_BETTER, n->contacts > 0 ? n->effect_sum / (double)n->contacts : NAN)           \
    X(followup_7d_pct, "percent", "Discharges followed up within 7 days (%)", false,               \
      METRIC_HIGHER_BETTER, pct(n->followups, n->discharges))                                      \
    X(disengaged, PER_100_CY, "Disengagements per 100 client-years", false, METRIC_LOWER_BETTER,   \
      RATE(n->disengaged))                                                                         \
    X(disengaged_at_contact_pct, "percent",                                                        \
      "Disengagements at a missed or unengaging contact (%)", false, METRIC_NEITHER,               \
      pct(n->lost_at_contact, n->disengaged))                                                      \
    X(signposted_pct, "percent", "Referrals signposted away at triage (%)", false, METRIC_NEITHER, \
      pct(n->signposted, n->referrals))                                                            \
    X(urgent_referrals_pct, "percent", "Referrals that are urgent (%)", false, METRIC_NEITHER,     \
      pct(n->urgent, n->referrals))                                                                \
    X(coordinator_utilisation, "share", "Coordinator hours used / contact hours available", false, \
      METRIC_NEITHER, hours_avail > 0 ? n->contact_hours_used / hours_avail : NAN)                 \
    X(bed_occupancy, "share", "Local bed occupancy (time average)", false, METRIC_NEITHER,         \
      p->beds > 0 ? twavg_mean(&run->beds_tw, now) / p->beds : NAN)                                \
    X(length_of_stay_days, "days", "Mean length of a completed hospital stay (days)", false,       \
      METRIC_NEITHER, n->stays > 0 ? n->stay_days / (double)n->stays : NAN)                        \
    X(beds_per_100k, "beds per 100,000 adults", "Local beds per 100,000 adults", false,            \
      METRIC_NEITHER, p->population > 0 ? 1e5 * p->beds / p->population : NAN)                     \
    X(cost_per_100_clients_year, COST_CY, "Cost per 100 client-years (when costs are given)",      \
      false, METRIC_LOWER_BETTER, cost)                                                            \
    X(cost_per_year, COST_YEAR,                                                                    \
      "Cost a year: posts, beds, out-of-area placements, ED, crisis "                              \
      "team (when costs are given)",                                                               \
      false, METRIC_LOWER_BETTER, COST(cost_year.total))                                           \
    X(cost_posts_per_year, COST_YEAR, "Cost a year of the coordinator posts filled", false,        \
      METRIC_LOWER_BETTER, COST(cost_year.posts))                                                  \
    X(cost_beds_per_year, COST_YEAR, "Cost a year of local bed-days", false, METRIC_LOWER_BETTER,  \
      COST(cost_year.beds))                                                                        \
    X(cost_out_of_area_per_year, COST_YEAR, "Cost a year of out-of-area bed-days", false,          \
      METRIC_LOWER_BETTER, COST(cost_year.oap))                                                    \
    X(cost_ed_per_year, COST_YEAR, "Cost a year of ED visits", false, METRIC_LOWER_BETTER,         \
      COST(cost_year.ed))                                                                          \
    X(cost_crisis_team_per_year, COST_YEAR,                                                        \
      "Cost a year of crisis-team episodes (home treatment included)", false, METRIC_LOWER_BETTER, \
      COST(cost_year.crt))

/* Per coordination model M, named "M.name"; rates per 100 client-years coordinated by M. */
#define CARE_MODEL_METRICS(X)                                                                      \
    X(caseload, "clients", "clients coordinated (time average)", false, METRIC_NEITHER, cl)        \
    X(referrals_pct, "percent", "referrals triaged to the model (%)", false, METRIC_NEITHER,       \
      pct(rt->assigned, n->referrals))                                                             \
    X(wait_coordination_days, "days", "mean wait for a coordinator (days)", false,                 \
      METRIC_LOWER_BETTER, tally_mean(&rt->wait))                                                  \
    X(followup_7d_pct, "percent",                                                                  \
      "discharges of coordinated clients followed up within 7 days (%)", false,                    \
      METRIC_HIGHER_BETTER, pct(rt->followups, rt->discharges))                                    \
    X(contacts_per_client_week, "contacts per client-week",                                        \
      "attended contacts per coordinated client-week", false, METRIC_HIGHER_BETTER,                \
      cl > 0 ? (double)rt->contacts / (cl * span / 7.0) : NAN)                                     \
    X(missed_contacts_pct, "percent", "contacts missed (%)", false, METRIC_LOWER_BETTER,           \
      pct(rt->missed, rt->due))                                                                    \
    X(crises, "per 100 coordinated client-years", "crises per 100 coordinated client-years",       \
      false, METRIC_LOWER_BETTER, MRATE(rt->crises))                                               \
    X(admissions, "per 100 coordinated client-years",                                              \
      "admissions per 100 coordinated client-years", false, METRIC_LOWER_BETTER,                   \
      MRATE(rt->admissions))                                                                       \
    X(bed_days, "bed-days per 100 coordinated client-years",                                       \
      "bed-days per 100 coordinated client-years", false, METRIC_LOWER_BETTER,                     \
      MRATE(rt->bed_days))                                                                         \
    X(disengaged, "per 100 coordinated client-years",                                              \
      "disengagements per 100 coordinated client-years", false, METRIC_LOWER_BETTER,               \
      MRATE(rt->disengaged))                                                                       \
    X(coordinator_utilisation, "share", "coordinator contact hours used / available", false,       \
      METRIC_NEITHER, avail > 0 ? rt->hours_used / avail : NAN)                                    \
    X(in_house_waiting, "clients", "needs waiting for an in-house place (time average)", false,    \
      METRIC_LOWER_BETTER, in_house_waiting(run, m, now))                                          \
    X(cost_posts_per_year, COST_YEAR, "cost a year of the model's coordinator posts filled",       \
      false, METRIC_LOWER_BETTER,                                                                  \
      COST(care_model_posts_mean(p, m, run->warmup, now) * p->cost_post_year))

/* Per service S, named "S.name". */
#define CARE_SERVICE_METRICS(X)                                                                    \
    X(waiting, "clients", "clients waiting for a place (time average)", false,                     \
      METRIC_LOWER_BETTER, twavg_mean(&rt->waiting.len_tw, now))                                   \
    X(occupancy, "share", "places in use / places (time average)", false, METRIC_NEITHER,          \
      places > 0 ? twavg_mean(&rt->busy_tw, now) / places : NAN)                                   \
    X(starts_per_year, "clients per year", "clients starting a place per year", false,             \
      METRIC_NEITHER, (double)rt->started / years)

/* Per year K of the observed horizon (output.per_year, or a start from a snapshot), named
 * "yearK.name", labelled "label, year K"; values over the locals of compute_metrics()'s per-year
 * loop: d, the totals of the year (struct care_year_mark), len its days, YRATE(x) x per 100
 * client-years in the service in the year. */
#define CARE_YEAR_METRICS(X)                                                                       \
    X(crises, PER_100_CY, "Crises per 100 client-years", false, METRIC_LOWER_BETTER,               \
      YRATE(d.crises))                                                                             \
    X(ed_visits, PER_100_CY, "ED visits per 100 client-years", false, METRIC_LOWER_BETTER,         \
      YRATE(d.ed_visits))                                                                          \
    X(admissions, PER_100_CY, "Admissions per 100 client-years", false, METRIC_LOWER_BETTER,       \
      YRATE(d.admissions))                                                                         \
    X(bed_days, "bed-days per 100 client-years",                                                   \
      "Bed-days (local and out of area) per 100 client-years", false, METRIC_LOWER_BETTER,         \
      YRATE(d.bed_days))                                                                           \
    X(caseload, "clients", "Clients coordinated (time average)", false, METRIC_NEITHER,            \
      d.caseload / len)                                                                            \
    X(waiting_coordination, "clients", "Clients waiting for a coordinator (time average)", false,  \
      METRIC_LOWER_BETTER, d.waiting_coord / len)                                                  \
    X(clients_in_service, "clients", "Clients in the service (time average)", false,               \
      METRIC_NEITHER, d.in_service / len)                                                          \
    X(referrals_per_year, "referrals per year", "Referrals per year", false, METRIC_NEITHER,       \
      (double)d.referrals / (len / CARE_DAYS_PER_YEAR))                                            \
    X(crises_per_year, "crises per year", "Crises per year (all clients)", false,                  \
      METRIC_LOWER_BETTER, (double)d.crises / (len / CARE_DAYS_PER_YEAR))                          \
    X(ed_visits_per_year, "ED visits per year", "ED visits per year (all clients)", false,         \
      METRIC_LOWER_BETTER, (double)d.ed_visits / (len / CARE_DAYS_PER_YEAR))                       \
    X(admissions_per_year, "admissions per year", "Admissions per year (all clients)", false,      \
      METRIC_LOWER_BETTER, (double)d.admissions / (len / CARE_DAYS_PER_YEAR))                      \
    X(bed_days_per_year, "bed-days per year",                                                      \
      "Bed-days per year (local and out of area, all clients)", false, METRIC_LOWER_BETTER,        \
      d.bed_days / (len / CARE_DAYS_PER_YEAR))

/* The weekly series, X(name, unit, label, metric followed or NULL, value of week k), value over
 * week_end()'s locals: wk holds the week's counts and integrals (struct care_week, warm-up
 * included) and WRATE(x) is x per 100 client-years in the service during the week, so that a
 * series following a rate metric is in the metric's unit. */
#define CARE_SERIES(X)                                                                             \
    X(waiting_assessment, "clients", "Clients waiting for assessment at the end of the week",      \
      "waiting_assessment", queue_length(&run->assess_wait))                                       \
    X(waiting_coordination, "clients", "Clients waiting for a coordinator at the end of the week", \
      "waiting_coordination", waiting_coordination_now(run))                                       \
    X(caseload, "clients", "Clients coordinated at the end of the week", "caseload",               \
      (double)run->stage_count[STAGE_COORDINATED])                                                 \
    X(beds_occupied, "beds", "Local beds occupied at the end of the week", NULL, run->beds_busy)   \
    X(crises, "crises per week", "Crises during the week", NULL, (double)run->week_crises)         \
    X(crisis_rate, PER_100_CY, "Crises per 100 client-years during the week", "crises",            \
      WRATE((double)run->week_crises))                                                             \
    X(ed_visits, PER_100_CY, "ED visits per 100 client-years during the week", "ed_visits",        \
      WRATE((double)wk.ed_visits))                                                                 \
    X(admissions, PER_100_CY, "Admissions per 100 client-years during the week", "admissions",     \
      WRATE((double)wk.admissions))                                                                \
    X(bed_days, "bed-days per 100 client-years",                                                   \
      "Bed-days (local and out of area) per 100 client-years during the week", "bed_days",         \
      WRATE(wk.bed_days))                                                                          \
    X(wait_coordination_days, "days",                                                              \
      "Mean wait of the clients given a coordinator during the week (days)",                       \
      "wait_coordination_days", wk.waits > 0 ? wk.wait_days / (double)wk.waits : NAN)              \
    X(unmet_need_days, "need-days per 100 client-years",                                           \
      "Unmet need-days per 100 client-years during the week", "unmet_need_days",                   \
      WRATE(wk.unmet_days))

#define METRIC_DESC(id, unit, label, headline, better, value)                                      \
    {#id, unit, label, headline, better, NULL},
#define METRIC_VALUE(id, unit, label, headline, better, value) value,
#define METRIC_COUNT(id, unit, label, headline, better, value) +1
#define SERIES_DESC(id, unit, label, metric, value)                                                \
    {#id, unit, label, false, METRIC_NEITHER, metric},
#define SERIES_VALUE(id, unit, label, metric, value) value,
#define SERIES_COUNT(id, unit, label, metric, value) +1

static const struct metric_desc system_metrics[] = {CARE_SYSTEM_METRICS(METRIC_DESC)};
static const struct metric_desc model_metrics[] = {CARE_MODEL_METRICS(METRIC_DESC)};
static const struct metric_desc service_metrics[] = {CARE_SERVICE_METRICS(METRIC_DESC)};
static const struct metric_desc series_desc[] = {CARE_SERIES(SERIES_DESC)};
static const struct metric_desc year_metrics[] = {CARE_YEAR_METRICS(METRIC_DESC)};
enum {
    N_PER_YEAR = 0 CARE_YEAR_METRICS(METRIC_COUNT),
    N_SYSTEM = 0 CARE_SYSTEM_METRICS(METRIC_COUNT),
    N_PER_MODEL = 0 CARE_MODEL_METRICS(METRIC_COUNT),
    N_PER_SERVICE = 0 CARE_SERVICE_METRICS(METRIC_COUNT),
    N_SERIES = 0 CARE_SERIES(SERIES_COUNT),
};

/* A per-model or per-service descriptor: "prefix.name", "prefix: label"; both owned. */
static struct metric_desc prefixed(const char *prefix, const struct metric_desc *d)
{
    size_t n = strlen(prefix) + strlen(d->name) + 2;
    size_t l = strlen(prefix) + strlen(d->label) + 3;
    char *name = xmalloc(n), *label = xmalloc(l);

    snprintf(name, n, "%s.%s", prefix, d->name);
    snprintf(label, l, "%s: %s", prefix, d->label);
    return (struct metric_desc){name, d->unit, label, d->is_headline, d->better, NULL};
}

/* Builds p->metric: the system metrics, then per model, then per service. The system ones point
 * into the static table (only per-model and per-service names and labels are owned). */
static void describe_metrics(struct care_params *p)
{
    p->first_year = N_SYSTEM + p->n_models * N_PER_MODEL + p->n_services * N_PER_SERVICE;
    p->first_group = p->first_year + p->n_years * N_PER_YEAR + care_trial_n_metrics(p);
    p->n_metrics = p->first_group + care_groups_n_metrics(p);
    p->metric = xcalloc((size_t)p->n_metrics, sizeof *p->metric);
    int k = 0;
    for (int i = 0; i < N_SYSTEM; i++) {
        p->metric[k++] = system_metrics[i];
    }
    for (int m = 0; m < p->n_models; m++) {
        for (int i = 0; i < N_PER_MODEL; i++) {
            p->metric[k++] = prefixed(p->model[m].name, &model_metrics[i]);
        }
    }
    for (int s = 0; s < p->n_services; s++) {
        for (int i = 0; i < N_PER_SERVICE; i++) {
            p->metric[k++] = prefixed(p->service[s].name, &service_metrics[i]);
        }
    }
    for (int y = 0; y < p->n_years; y++) {
        for (int i = 0; i < N_PER_YEAR; i++) {
            const struct metric_desc *d = &year_metrics[i];
            size_t n = strlen(d->name) + 16, l = strlen(d->label) + 16;
            char *name = xmalloc(n), *label = xmalloc(l);
            snprintf(name, n, "year%d.%s", y + 1, d->name);
            snprintf(label, l, "%s, year %d", d->label, y + 1);
            p->metric[k++] = (struct metric_desc){name, d->unit, label, false, d->better, NULL};
        }
    }
    care_trial_describe(p, p->metric + k);
    for (int i = 0; i < p->first_year && p->cost_unit_year; i++) {
        if (p->metric[i].unit == COST_YEAR) {
            p->metric[i].unit = p->cost_unit_year;
        } else if (p->metric[i].unit == COST_CY) {
            p->metric[i].unit = p->cost_unit_cy;
        }
    }
    care_groups_describe(p, p->metric + p->first_group);
}

/* Years of the observed horizon with metrics of their own: the span after the warm-up in years,
 * rounded (at least 1); the last year runs to the horizon, so it lasts between half a year and
 * a year and a half. */
static int observed_years(double warmup, double horizon)
{
    double y = floor((horizon - warmup) / CARE_DAYS_PER_YEAR + 0.5);
    return y < 1 ? 1 : y > 1000 ? 1000 : (int)y;
}

/* ---- loading ------------------------------------------------------------------------------ */

static void params_destroy(void *vp)
{
    struct care_params *p = vp;
    if (!p) {
        return;
    }
    for (int i = 0; i < p->n_sources; i++) {
        free(p->source_name[i]);
    }
    for (int i = 0; i < p->n_needs; i++) {
        free(p->need[i].name);
    }
    for (int i = 0; i < p->n_services; i++) {
        free(p->service[i].name);
        dist_fini(&p->service[i].length);
    }
    for (int i = 0; i < p->n_models; i++) {
        free(p->model[i].name);
        dist_fini(&p->model[i].episode);
        dist_fini(&p->model[i].patience);
    }
    free(p->currency);
    free(p->cost_unit_year);
    free(p->cost_unit_cy);
    dist_fini(&p->assess_length);
    dist_fini(&p->assess_patience);
    dist_fini(&p->crt_episode);
    dist_fini(&p->los);
    dist_fini(&p->ed_time);
    if (p->has_crt_hours) {
        schedule_fini(&p->crt_hours);
    }
    if (p->has_assess_schedule) {
        schedule_fini(&p->assess_schedule);
    }
    for (int i = N_SYSTEM; i < p->n_metrics; i++) {
        free((char *)p->metric[i].name);
        free((char *)p->metric[i].label);
    }
    free(p->metric);
    free(p->initial);
    care_groups_free(p);
    free(p);
}

/* ---- warnings: legal values that leave part of the system unreachable ---------------------- */

/* Element i of list key of group g, or NULL. */
static const config_setting_t *elem_of(const config_setting_t *g, const char *key, int i)
{
    const config_setting_t *l = g ? config_setting_get_member(g, key) : NULL;

    return l && config_setting_is_aggregate(l) && i < config_setting_length(l)
               ? config_setting_get_elem(l, (unsigned)i)
               : NULL;
}

/* Warns at group.key when it exists, else at the group. */
static void warn_at(struct cfg *c, const config_setting_t *group, const char *key, const char *text)
{
    const config_setting_t *s = group ? config_setting_get_member(group, key) : NULL;

    if (s) {
        cfg_warn(c, s, "%s", text);
    } else {
        cfg_warn_key(c, group, key, "%s", text);
    }
}

/* Checks a loaded scenario for values that are allowed but make part of the system unreachable,
 * and says what follows from each. Warnings only: the scenario stays valid. */
static void care_warn(struct cfg *c, const config_setting_t *root, const struct care_params *p)
{
    char text[512];
    const config_setting_t *hs = config_setting_get_member(root, "horizon");
    double horizon = 0;
    bool has_horizon = hs && cfg_number(c, hs, &horizon);

    /* Plausible horizon, an assumption: a study runs between 4 weeks and 100 years. */
    if (has_horizon && (horizon < 28.0 || horizon > 36525.0)) {
        snprintf(text, sizeof text,
                 "%g days is %s the plausible range 28..36525 days for the care model (4 weeks to "
                 "100 years; a horizon in hours or weeks where days belong?)",
                 horizon, horizon < 28.0 ? "below" : "above");
        cfg_warn(c, hs, "%s", text);
    }

    const config_setting_t *assess = config_setting_get_member(root, "assessment");
    int assess_filled = (int)floor(p->assessors * (1.0 - p->assess_vacancy) + 0.5);
    if (assess_filled <= 0) {
        snprintf(text, sizeof text,
                 "no assessor post is filled (%d posts, vacancy_rate %g): no referral is ever "
                 "assessed, so no client reaches coordination",
                 p->assessors, p->assess_vacancy);
        warn_at(c, assess, p->assessors <= 0 ? "assessors" : "vacancy_rate", text);
    } else if (!(p->assess_hours_each > 0)) {
        snprintf(text, sizeof text,
                 "assessors have no hours left for assessing (hours, admin_share and sickness "
                 "leave 0 a week): no referral is ever assessed");
        warn_at(c, assess, "hours_per_week", text);
    }

    const config_setting_t *coord = config_setting_get_member(root, "coordination");
    int total_filled = 0;
    for (int m = 0; m < p->n_models; m++) {
        total_filled += p->model[m].filled;
    }
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        const config_setting_t *ms = elem_of(coord, "models", m);
        if (md->filled > 0 || md->max_filled > 0) { /* posts now, or from a posts_plan[] day */
            continue;
        }
        if (total_filled == 0) {
            snprintf(text, sizeof text,
                     "every post is vacant (model \"%s\": %d posts, vacancy_rate %g; no model has "
                     "a filled post): no client is ever coordinated",
                     md->name, md->posts, md->vacancy_rate);
        } else {
            snprintf(text, sizeof text,
                     "every post of model \"%s\" is vacant (%d posts, vacancy_rate %g): no client "
                     "is ever coordinated by it, and clients it would take wait or go elsewhere",
                     md->name, md->posts, md->vacancy_rate);
        }
        warn_at(c, ms, md->posts <= 0 ? "posts" : "vacancy_rate", text);
    }

    /* Administration per client that takes all of a post's contact hours before the caseload
     * limit is reached: a coordinator holding more clients has none left for contacts. */
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        double post = md->hours_per_week * (1.0 - md->admin_share) * (1.0 - md->sickness);
        double admin = md->admin_hours_per_client * md->caseload_limit;
        if (md->admin_hours_per_client > 0 && admin >= post) {
            snprintf(text, sizeof text,
                     "model \"%s\": administration per client takes all of a post's %.3g contact "
                     "hours a week from %.0f clients a post on (%g x %d = %.3g hours at the "
                     "caseload limit of %d): a caseload that full has no hours for contacts, "
                     "which are delayed and then missed",
                     md->name, post, ceil(post / md->admin_hours_per_client),
                     md->admin_hours_per_client, md->caseload_limit, admin, md->caseload_limit);
            warn_at(c, elem_of(coord, "models", m), "admin_hours_per_client", text);
        }
    }

    const config_setting_t *ref = config_setting_get_member(root, "referrals");
    for (int i = 0; i < p->n_steps; i++) {
        if (p->step_factor[i] == 0.0) {
            snprintf(text, sizeof text,
                     "factor 0 from day %g: no client is referred from then on%s", p->step_from[i],
                     i + 1 < p->n_steps ? " until a later step" : "");
            warn_at(c, elem_of(ref, "steps", i), "factor", text);
        }
    }

    const config_setting_t *svcs = config_setting_get_member(root, "services");
    for (int s = 0; s < p->n_services; s++) {
        const struct care_service *sv = &p->service[s];
        const config_setting_t *ss =
            svcs && config_setting_is_aggregate(svcs) && s < config_setting_length(svcs)
                ? config_setting_get_elem(svcs, (unsigned)s)
                : NULL;
        int n_linked = 0;
        for (int i = 0; i < p->n_needs; i++) {
            n_linked += p->need[i].service == s;
        }
        if (sv->places <= 0 && n_linked > 0) {
            snprintf(text, sizeof text,
                     "service \"%s\" has 0 places but %d need%s linked to it: no client is ever "
                     "placed there, those needs stay unmet",
                     sv->name, n_linked, n_linked == 1 ? " is" : "s are");
            warn_at(c, ss, "places", text);
        }
        for (int k = 0; k < sv->n_closures && has_horizon; k++) {
            if (sv->closed_from[k] <= 0.0 && sv->closed_to[k] >= horizon) {
                snprintf(text, sizeof text,
                         "service \"%s\" is closed from day %g to %g, the whole horizon (%g days): "
                         "it never takes a client",
                         sv->name, sv->closed_from[k], sv->closed_to[k], horizon);
                const config_setting_t *cs = elem_of(ss, "closures", k);
                warn_at(c, cs, "to", text);
            }
        }
    }
}

static void *care_load(struct cfg *c, const config_setting_t *root)
{
    struct care_params *p = xcalloc(1, sizeof *p);
    bool ok = true;

    /* Services first: needs and models refer to them by name. */
    ok &= care_services_load(c, root, p);
    ok &= care_referral_load(c, root, p);
    ok &= care_coord_load(c, root, p);
    ok &= care_crisis_load(c, root, p);
    if (ok) { /* needs and models by name */
        ok &= care_snapshot_load(c, root, p);
        ok &= care_trial_load(c, root, p);
    }
    ok &= care_groups_load(c, root, p); /* after the moves and output.groups */
    if (!ok || cfg_n_problems(c) > 0) {
        params_destroy(p);
        return NULL;
    }
    care_warn(c, root, p);
    if (p->per_year || p->n_initial > 0) {
        const config_setting_t *hs = config_setting_get_member(root, "horizon");
        const config_setting_t *ws = config_setting_get_member(root, "warmup");
        double horizon = 0, warmup = 0;
        if (hs && cfg_number(c, hs, &horizon) && (!ws || cfg_number(c, ws, &warmup))) {
            p->n_years = observed_years(warmup, horizon);
        }
    }
    describe_metrics(p);
    return p;
}

static const char *care_end_state(const void *vp)
{
    return ((const struct care_params *)vp)->end_state ? "end_state.csv" : NULL;
}

static int care_n_metrics(const void *vp)
{
    return ((const struct care_params *)vp)->n_metrics;
}

static const struct metric_desc *care_metric(const void *vp, int i)
{
    return &((const struct care_params *)vp)->metric[i];
}

static int care_n_series(const void *vp)
{
    (void)vp;
    return N_SERIES;
}

static const struct metric_desc *care_series(const void *vp, int i)
{
    (void)vp;
    return &series_desc[i];
}

/* ---- one replication ---------------------------------------------------------------------- */

static void reset_stats(struct care_run *run)
{
    double now = run->sim.now;
    const struct care_params *p = run->p;

    memset(&run->n, 0, sizeof run->n);
    tally_reset(&run->wait_assess);
    tally_reset(&run->wait_coord);
    for (int k = 0; k < 2; k++) {
        tally_reset(&run->wait_assess_urgency[k]);
        tally_reset(&run->wait_coord_urgency[k]);
    }
    for (int k = 0; k < CARE_N_SEVERITY; k++) {
        tally_reset(&run->wait_coord_severity[k]);
    }
    tally_reset(&run->boarding);
    care_groups_reset(run);
    queue_reset(&run->assess_wait, now);
    pool_reset(&run->assessors, now);
    twavg_reset(&run->beds_tw, now);
    twavg_reset(&run->oap_tw, now);
    twavg_reset(&run->in_service_tw, now);
    twavg_reset(&run->unmet_tw, now);
    for (int m = 0; m < p->n_models; m++) {
        struct care_model_rt *rt = &run->model[m];
        queue_reset(&rt->waiting, now);
        for (int s = 0; s < p->n_services; s++) {
            queue_reset(&rt->in_house_wait[s], now);
        }
        twavg_reset(&rt->caseload_tw, now);
        tally_reset(&rt->wait);
        rt->contacts = rt->missed = rt->delayed = rt->due = 0;
        rt->crises = rt->admissions = rt->disengaged = rt->starts = rt->assigned = 0;
        rt->bed_days = 0;
        rt->hours_used = 0;
    }
    for (int s = 0; s < p->n_services; s++) {
        queue_reset(&run->service[s].waiting, now);
        twavg_reset(&run->service[s].busy_tw, now);
        run->service[s].started = 0;
    }
}

/* The integral of w from its last reset to now. */
static double twavg_integral(const struct twavg *w, double now)
{
    return w->area + w->value * (now - w->t_last);
}

/* The running integrals the week's are differences of, in run->week's integral fields. */
static struct care_week week_integrals(const struct care_run *run)
{
    double now = run->sim.now;
    return (struct care_week){
        .bed_days = twavg_integral(&run->beds_tw, now) + twavg_integral(&run->oap_tw, now),
        .unmet_days = twavg_integral(&run->unmet_tw, now),
        .client_days = twavg_integral(&run->in_service_tw, now),
    };
}

static void warmup_over(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    (void)arg;
    /* The reset restarts the integrals; the week in progress keeps what it has so far. */
    struct care_week before = week_integrals(run);
    reset_stats(run);
    struct care_week *w = &run->week;
    w->bed_days -= before.bed_days;
    w->unmet_days -= before.unmet_days;
    w->client_days -= before.client_days;
}

static double waiting_coordination_now(const struct care_run *run)
{
    double w = 0;
    for (int m = 0; m < run->p->n_models; m++) {
        w += queue_length(&run->model[m].waiting);
    }
    return w;
}

static bool audit(struct care_run *run);

/* Integral of a time average's quantity over [its reset, now]. */
static double tw_area(const struct twavg *w, double now)
{
    return w->area + w->value * (now - w->t_last);
}

/* The running totals behind the per-year metrics, since the warm-up, at now. */
static struct care_year_mark year_totals(const struct care_run *run, double now)
{
    struct care_year_mark t = {
        .referrals = run->n.referrals,
        .crises = run->n.crises,
        .ed_visits = run->n.ed_visits,
        .admissions = run->n.admissions,
        .in_service = tw_area(&run->in_service_tw, now),
        .bed_days = tw_area(&run->beds_tw, now) + tw_area(&run->oap_tw, now),
    };
    for (int m = 0; m < run->p->n_models; m++) {
        t.caseload += tw_area(&run->model[m].caseload_tw, now);
        t.waiting_coord += tw_area(&run->model[m].waiting.len_tw, now);
    }
    return t;
}

/* The end of observed year arg + 1 (of n_years, not the last). */
static void year_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    SIM_ASSERT(arg + 1 < (uint64_t)run->p->n_years, "end of year %llu of %d",
               (unsigned long long)arg + 1, run->p->n_years);
    run->year_mark[arg] = year_totals(run, sim->now);
}

static void week_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    int k = (int)arg;

    /* Debug builds recount every client's place each week (a walk over all clients). */
    SIM_DEBUG_ASSERT(audit(run), "%s", run->err);

    if (run->series && k < run->n_points) {
        struct care_week now = week_integrals(run), wk = run->week;
        wk.bed_days = now.bed_days - wk.bed_days;
        wk.unmet_days = now.unmet_days - wk.unmet_days;
        wk.client_days = now.client_days - wk.client_days;
#define WRATE(x) (wk.client_days > 0 ? 100.0 * (x) / (wk.client_days / CARE_DAYS_PER_YEAR) : NAN)
        double v[N_SERIES] = {CARE_SERIES(SERIES_VALUE)};
#undef WRATE
        for (int s = 0; s < N_SERIES; s++) {
            run->series[(size_t)s * (size_t)run->n_points + (size_t)k] = v[s];
        }
    }
    run->week_crises = 0;
    run->week = week_integrals(run); /* the counts cleared, the integrals so far */
    if (k + 1 < run->n_points) {
        sim_schedule_at(sim, (k + 2) * 7.0, week_end, run, (uint64_t)(k + 1));
    }
}

/* Every referred client is in exactly one place; the running counts match a recount. */
static bool audit(struct care_run *run)
{
    const struct care_params *p = run->p;
    int64_t count[N_STAGES] = {0};
    int64_t hospital = 0, local = 0, boarding = 0, oap = 0, coord_units = 0, waiting_coord = 0;

    uint32_t live = 0;
    for (uint32_t i = 0; i < run->n_slots; i++) {
        const struct care_client *c = &run->cl[i];
        if (!care_client_is_live(c)) {
            continue;
        }
        live++;
        if (c->stage >= N_STAGES) {
            care_fail(run, "conservation audit: client %u is in no place", c->serial);
            return false;
        }
        count[c->stage]++;
        if (c->in_hospital) {
            hospital++;
            boarding += c->boarding;
            oap += c->out_of_area;
            local += !c->boarding && !c->out_of_area;
        }
    }
    int64_t total = 0;
    for (int s = 0; s < N_STAGES; s++) {
        count[s] += run->released[s]; /* released clients stay counted in their last stage */
        total += count[s];
        if (count[s] != run->stage_count[s]) {
            care_fail(run,
                      "conservation audit: %lld clients are in stage %d, the running count says "
                      "%lld",
                      (long long)count[s], s, (long long)run->stage_count[s]);
            return false;
        }
    }
    care_stays_count(run, &local, &boarding, &oap);
    /* Needs waiting for in-house places, by model and service, against the lists' lengths. */
    int64_t in_house_wait[CARE_MAX_MODELS][CARE_MAX_SERVICES] = {{0}};
    bool in_house_ok = true;
    for (uint32_t i = 0; i < run->n_slots; i++) {
        const struct care_client *c = &run->cl[i];
        if (!care_client_is_live(c) || !c->queued_in_house) {
            continue;
        }
        in_house_ok &= c->stage == STAGE_COORDINATED && c->model >= 0 &&
                       (c->queued_in_house & ~c->queued) == 0;
        for (int k = 0; k < p->n_needs && c->model >= 0; k++) {
            in_house_wait[c->model][p->need[k].service] += (c->queued_in_house >> k) & 1u;
        }
    }
    for (int m = 0; m < p->n_models; m++) {
        for (int s = 0; s < p->n_services; s++) {
            const struct care_model_rt *rt = &run->model[m];
            in_house_ok &= in_house_wait[m][s] == (int64_t)queue_length(&rt->in_house_wait[s]) &&
                           rt->in_house_busy[s] >= 0;
        }
    }
    for (int u = 0; u < run->n_units; u++) {
        coord_units += run->unit[u].clients;
    }
    for (int m = 0; m < p->n_models; m++) {
        waiting_coord += queue_length(&run->model[m].waiting);
    }
    const char *bad = NULL;
    if (total != (int64_t)run->n_clients) {
        bad = "the places do not add up to the clients referred";
    } else if (live != run->n_live) {
        bad = "the live client slots do not match their count";
    } else if (hospital != run->in_hospital_count) {
        bad = "the count in hospital is wrong";
    } else if (local != run->beds_busy || local > p->beds) {
        bad = "local beds in use do not match the clients in them";
    } else if (boarding != (int64_t)queue_length(&run->bed_wait)) {
        bad = "clients boarding do not match the queue for beds";
    } else if (oap != run->oap_now) {
        bad = "out-of-area placements do not match";
    } else if (coord_units != count[STAGE_COORDINATED]) {
        bad = "caseloads do not match the clients coordinated";
    } else if (waiting_coord != count[STAGE_WAIT_COORD]) {
        bad = "the coordination waiting lists do not match";
    } else if ((int64_t)queue_length(&run->assess_wait) != count[STAGE_WAIT_ASSESS]) {
        bad = "the assessment waiting list does not match";
    } else if (count[STAGE_ASSESSING] != run->assessors.busy) {
        bad = "assessments in progress do not match";
    } else if (!in_house_ok) {
        bad = "the needs waiting for in-house places do not match their lists";
    }
    if (bad) {
        care_fail(run,
                  "conservation audit failed: %s (referred %u: waiting %lld, coordinated %lld, "
                  "in hospital %lld, discharged %lld, disengaged %lld, signposted %lld)",
                  bad, run->n_clients,
                  (long long)(count[STAGE_WAIT_ASSESS] + count[STAGE_ASSESSING] +
                              count[STAGE_WAIT_COORD]),
                  (long long)count[STAGE_COORDINATED], (long long)hospital,
                  (long long)count[STAGE_DISCHARGED], (long long)count[STAGE_DISENGAGED],
                  (long long)count[STAGE_SIGNPOSTED]);
        return false;
    }
    return true;
}

/* Needs waiting for an in-house place of model m (all its services), time average to now. */
static double in_house_waiting(const struct care_run *run, int m, double now)
{
    double w = 0;
    for (int s = 0; s < run->p->n_services; s++) {
        w += twavg_mean(&run->model[m].in_house_wait[s].len_tw, now);
    }
    return w;
}

static double pct(uint64_t num, uint64_t den)
{
    return den ? 100.0 * (double)num / (double)den : NAN;
}

static int by_serial(const void *a, const void *b)
{
    uint32_t x = ((const struct care_client *const *)a)[0]->serial;
    uint32_t y = ((const struct care_client *const *)b)[0]->serial;
    return (x > y) - (x < y);
}

/* Stays still open at the horizon count their days so far for their model, added in referral
 * order (slots are recycled, so slot order is not referral order, and the sum is rounded in
 * the order of its terms). */
static void add_open_stays(struct care_run *run, double now)
{
    size_t n = 0;
    const struct care_client **open = xcalloc((size_t)run->in_hospital_count + 1, sizeof *open);
    for (uint32_t i = 0; i < run->n_slots; i++) {
        const struct care_client *c = &run->cl[i];
        if (care_client_is_live(c) && c->in_hospital) {
            open[n++] = c;
        }
    }
    qsort(open, n, sizeof *open, by_serial);
    for (size_t i = 0; i < n; i++) {
        const struct care_client *c = open[i];
        if (!c->boarding && c->adm_model_plus1) {
            run->model[c->adm_model_plus1 - 1].bed_days += now - fmax(c->t_admitted, run->warmup);
        }
    }
    free(open);
}

/* The hours that model m's administration per client took over the observed span of `span`
 * days: admin_hours_per_client x the client-weeks it coordinated, at most all its units' hours
 * (the model's weekly budgets never go below 0). */
static double model_admin_hours(const struct care_run *run, int m, double span)
{
    const struct care_model *md = &run->p->model[m];
    const struct care_model_rt *rt = &run->model[m];

    if (md->admin_hours_per_client <= 0) {
        return 0.0;
    }
    double gross = 0;
    for (int u = rt->first_unit; u < rt->first_unit + rt->n_units; u++) {
        gross += run->unit[u].week_hours * span / 7.0;
    }
    double admin =
        md->admin_hours_per_client * twavg_mean(&rt->caseload_tw, run->horizon) * span / 7.0;
    return fmin(admin, gross);
}

static void compute_metrics(struct care_run *run, double *out)
{
    const struct care_params *p = run->p;
    double now = run->horizon, span = run->horizon - run->warmup;
    double years = span / CARE_DAYS_PER_YEAR;
    double cy = twavg_mean(&run->in_service_tw, now) * years; /* client-years in service */
    const struct care_counts *n = &run->n;
#define RATE(x)     (cy > 0 ? 100.0 * (double)(x) / cy : NAN)
#define PER_100K(x) (p->population > 0 ? 1e5 * (double)(x) / years / p->population : NAN)

    add_open_stays(run, now);
    care_stays_close(run, now);
    double bed_days = twavg_mean(&run->beds_tw, now) * span;
    double oap_days = twavg_mean(&run->oap_tw, now) * span;
    double caseload = 0, waiting_coord = 0, hours_avail = 0;
    uint64_t contacts = 0;
    for (int m = 0; m < p->n_models; m++) {
        caseload += twavg_mean(&run->model[m].caseload_tw, now);
        waiting_coord += twavg_mean(&run->model[m].waiting.len_tw, now);
        contacts += run->model[m].contacts;
    }
    double slots = 0;
    for (int u = 0; u < run->n_units; u++) {
        hours_avail += run->unit[u].week_hours * span / 7.0;
        slots += run->unit[u].limit;
    }
    /* Less the administration of the clients held (admin_hours_per_client x client-weeks), at
     * most a model's hours. */
    for (int m = 0; m < p->n_models; m++) {
        hours_avail -= model_admin_hours(run, m, span);
    }
    double posts_filled = 0;
    for (int m = 0; m < p->n_models; m++) {
        posts_filled += p->model[m].filled;
    }
    /* Costs a year by component (docs/model.md 1.2): posts filled x the cost of a post, the
     * bed-days, ED visits and crisis-team episodes (home treatment included) x their costs. */
    double posts_mean = 0; /* time-average filled posts after the warm-up, posts_plan[] in */
    for (int m = 0; m < p->n_models; m++) {
        posts_mean += care_model_posts_mean(p, m, run->warmup, now);
    }
    struct {
        double posts, beds, oap, ed, crt, total;
    } cost_year = {
        .posts = posts_mean * p->cost_post_year,
        .beds = bed_days * p->cost_bed_day / years,
        .oap = oap_days * p->cost_oap_day / years,
        .ed = (double)n->ed_visits * p->cost_ed_visit / years,
        .crt = (double)(n->crt_contacts + n->gatekept) * p->cost_crt_contact / years,
    };
    cost_year.total =
        cost_year.posts + cost_year.beds + cost_year.oap + cost_year.ed + cost_year.crt;
#define COST(x) (p->has_costs ? (x) : NAN)
    double cost = p->has_costs && cy > 0 ? 100.0 * cost_year.total * years / cy : NAN;
    double v[N_SYSTEM] = {CARE_SYSTEM_METRICS(METRIC_VALUE)};
    memcpy(out, v, sizeof v);
    int k = N_SYSTEM;
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model_rt *rt = &run->model[m];
        double cl = twavg_mean(&rt->caseload_tw, now);
        double ccy = cl * years; /* coordinated client-years */
        double avail = 0;
        for (int u = rt->first_unit; u < rt->first_unit + rt->n_units; u++) {
            avail += run->unit[u].week_hours * span / 7.0;
        }
        avail -= model_admin_hours(run, m, span);
#define MRATE(x) (ccy > 0 ? 100.0 * (double)(x) / ccy : NAN)
        double mv[N_PER_MODEL] = {CARE_MODEL_METRICS(METRIC_VALUE)};
#undef MRATE
        memcpy(out + k, mv, sizeof mv);
        k += N_PER_MODEL;
    }
    for (int s = 0; s < p->n_services; s++) {
        const struct care_service_rt *rt = &run->service[s];
        double places = p->service[s].places;
        double sv[N_PER_SERVICE] = {CARE_SERVICE_METRICS(METRIC_VALUE)};
        memcpy(out + k, sv, sizeof sv);
        k += N_PER_SERVICE;
    }
    /* Year y runs from warmup + y years to the next mark, the last to the horizon. */
    struct care_year_mark from = {0}, to;
    for (int y = 0; y < p->n_years; y++) {
        bool last = y + 1 == p->n_years;
        to = last ? year_totals(run, now) : run->year_mark[y];
        double len = (last ? now : run->warmup + (y + 1) * CARE_DAYS_PER_YEAR) -
                     (run->warmup + y * CARE_DAYS_PER_YEAR);
        struct care_year_mark d = {
            .referrals = to.referrals - from.referrals,
            .crises = to.crises - from.crises,
            .ed_visits = to.ed_visits - from.ed_visits,
            .admissions = to.admissions - from.admissions,
            .in_service = to.in_service - from.in_service,
            .caseload = to.caseload - from.caseload,
            .waiting_coord = to.waiting_coord - from.waiting_coord,
            .bed_days = to.bed_days - from.bed_days,
        };
        double ycy = d.in_service / CARE_DAYS_PER_YEAR; /* client-years in service in the year */
#define YRATE(x) (ycy > 0 ? 100.0 * (double)(x) / ycy : NAN)
        double yv[N_PER_YEAR] = {CARE_YEAR_METRICS(METRIC_VALUE)};
#undef YRATE
        memcpy(out + k, yv, sizeof yv);
        k += N_PER_YEAR;
        from = to;
    }
    care_trial_metrics(run, out + k);
    care_groups_metrics(run, out + p->first_group);
#undef COST
#undef RATE
#undef PER_100K
}

static void run_fini(struct care_run *run)
{
    care_groups_fini(run);
    care_crisis_fini(run);
    care_services_fini(run);
    care_coord_fini(run);
    gsl_rng_free(run->arrivals);
    free(run->year_mark);
    free(run->cl);
    sim_fini(&run->sim);
}

static int care_run(const void *vp, uint64_t seed, unsigned replication, double warmup,
                    double horizon, struct model_run *out)
{
    const struct care_params *p = vp;
    struct care_run *run = xcalloc(1, sizeof *run);

    run->p = p;
    run->seed = seed;
    run->replication = replication;
    run->risk_prefix = rng_seed_prefix(seed, replication, STREAM_CLIENT_RISK);
    run->care_prefix = rng_seed_prefix(seed, replication, STREAM_CLIENT_CARE);
    run->warmup = warmup;
    run->horizon = horizon;
    run->err = out->err;
    run->err_len = sizeof out->err;
    run->series = out->series;
    run->n_points = out->series ? (int)floor(horizon / 7.0) : 0;
    run->trace = out->trace;
    run->trace_ctx = out->trace_ctx;
    run->journey = out->journey;
    run->journey_ctx = out->journey_ctx;
    run->free_head = CARE_NO_SLOT;
    run->held_head = CARE_NO_SLOT;
    sim_init(&run->sim, replication);
    run->sim.time_unit = "day";
    sim_name_event(&run->sim, signpost_over, "signpost_over");
    sim_name_event(&run->sim, follow_over, "follow_over");
    sim_name_event(&run->sim, warmup_over, "warmup_over");
    sim_name_event(&run->sim, week_end, "week_end");
    sim_name_event(&run->sim, year_end, "year_end");
    care_coord_name_events(&run->sim);
    care_crisis_name_events(&run->sim);
    care_services_name_events(&run->sim);
    care_referral_name_events(&run->sim);
    run->arrivals = rng_create(rng_seed_derive(seed, replication, STREAM_ARRIVALS, 0));
    twavg_init(&run->in_service_tw, 0.0, 0.0);
    twavg_init(&run->unmet_tw, 0.0, 0.0);
    tally_init(&run->wait_coord, 0, NULL);
    care_coord_init(run);
    care_services_init(run);
    care_crisis_init(run);
    care_groups_init(run);

    care_snapshot_start(run);
    care_referral_start(run);
    care_trial_start(run);
    if (warmup > 0) {
        sim_schedule_at(&run->sim, warmup, warmup_over, run, 0);
    }
    if (run->n_points > 0) {
        sim_schedule_at(&run->sim, 7.0, week_end, run, 0);
    }
    if (p->n_years > 1) {
        run->year_mark = xcalloc((size_t)p->n_years - 1, sizeof *run->year_mark);
        for (int y = 0; y + 1 < p->n_years; y++) {
            sim_schedule_at(&run->sim, warmup + (y + 1) * CARE_DAYS_PER_YEAR, year_end, run,
                            (uint64_t)y);
        }
    }
    sim_run(&run->sim, horizon);

    if (!run->failed && p->fault_lose_client) {
        /* Testing: move one client behind the counters' back, as a bug would. */
        for (uint32_t i = 0; i < run->n_slots; i++) {
            if (care_client_is_live(&run->cl[i]) && run->cl[i].stage != STAGE_DISCHARGED) {
                run->cl[i].stage = STAGE_DISCHARGED;
                break;
            }
        }
    }
    if (!run->failed && audit(run)) {
        compute_metrics(run, out->metrics);
        if (out->end_state && care_snapshot_write(run, out->end_state) != 0) {
            care_fail(run, "cannot write the end state: %s", strerror(errno));
        }
    }
    out->n_events = run->sim.n_events;
    out->n_entities = run->n_clients;
    if (p->probe) {
        *p->probe = (struct care_table_probe){.referred = run->n_clients,
                                              .peak_live = run->peak_live,
                                              .slots = run->n_slots,
                                              .capacity = run->cap_clients};
    }
    int rc = run->failed ? 1 : 0;
    run_fini(run);
    free(run);
    return rc;
}

static const struct cfg_table *const care_tables[] = {
    &care_root_table,    &care_referral_table,
    &care_step_table,    &care_source_table,
    &care_need_table,    &care_assess_table,
    &care_coord_table,   &care_models_table,
    &care_plan_table,    &care_move_table,
    &care_service_table, &care_closure_table,
    &care_risk_table,    &care_crt_table,
    &care_ed_table,      &care_hospital_table,
    &care_cost_table,    &care_initial_table,
    &care_output_table,                    /* output: end state, per-year metrics */
    &care_trial_table,   &care_attr_table, /* attributes[] and their multipliers */
    &care_mult_table,    NULL,
};

const struct model_ops care_ops = {
    .name = "care",
    .help = "the care-coordination service model (docs/model.md)",
    .root_table = &care_root_table,
    .tables = care_tables,
    .load = care_load,
    .destroy = params_destroy,
    .n_metrics = care_n_metrics,
    .metric = care_metric,
    .n_series = care_n_series,
    .series = care_series,
    .series_period = 7.0,
    .time_unit = "days",
    .end_state = care_end_state,
    .journey_name = care_journey_name,
    .run = care_run,
};
