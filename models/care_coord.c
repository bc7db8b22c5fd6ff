/*
 * care_coord — triage, assessment and care coordination.
 *
 * Triage: a referral goes to the front-door model; a model that does not accept the client
 * (severity outside its range, too few admissions in the year before) passes it to its
 * fallback, and so on; a client no model accepts is signposted away, its needs unmet for a
 * signposted period.
 *
 * Assessment: one waiting list (FIFO, or in the order of assessment.priority) served by the filled
 * assessor posts, each assessing one client at a time (a multi-server queue) at the speed of its
 * weekly assessment hours (hours x (1 - admin) x (1 - sickness)): an assessment of L hours takes L
 * x 7 / weekly hours days, or, with an assessment schedule open a share s of the week, L x 7 x s /
 * weekly hours days and starts only while the schedule is open. With service = "pooled" the team is
 * one line at the speed of all its filled posts together. Clients may give up after a patience
 * draw.
 *
 * Coordination: each model has caseload units, one per filled post (individual caseloads) or one
 * for the team, each with a client limit and weekly contact hours. A client waits (FIFO, or in the
 * order of coordination.priority) for a free slot, then holds it for the episode: until step-down
 * (episode length), loss of contact (disengagement hazard x engagement), or the end of the run.
 * Contacts fall due every 7 / contact_rate days; one takes contact_minutes of its unit's hours for
 * the week. When the week's hours are spent the contact waits for the next week; one that cannot
 * happen within a contact interval of its due time is missed. A client misses a contact that
 * happens with probability dna x engagement. So the achieved contact rate is an outcome.
 *
 * Each client held also takes admin_hours_per_client of its unit's hours a week (care plan
 * reviews, risk assessments, records, liaison): a week's contact hours are the unit's hours less
 * that administration for the clients it holds at the week's first contact, and none are left
 * when the administration takes them all (every contact is then delayed or missed).
 *
 * What an attended contact achieves depends on the coordinator's time per client: the unit's
 * weekly contact hours, less the administration of its clients, over the clients it holds at
 * that moment. At or above the model's
 * full_effect_hours the contact's effect is 1; below it the effect falls towards effect_floor,
 * linearly or along a saturating curve (contact_effect()). An attended contact of effect e
 * detects a deterioration with probability detect x e, resolves a detected one with
 * probability resolve x e, and starts linking one unmet need with probability (1 in house,
 * else linkage) x e (care_services.c), at a cost of linkage_hours of the unit's week (the
 * team's own crisis responses take crisis_response_hours of it, care_crisis.c). Every contact that
 * falls due may end the engagement: a missed one (not attended, or no hours) with probability
 * missed_disengage, an attended one with probability missed_disengage x (1 - e); the disengagement
 * hazard covers the other losses of contact.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
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
    A_PRIORITY,
    N_AKEYS
};

static const char *const assess_service_names[] = {"individual", "pooled", NULL};
_Static_assert(ASSESS_INDIVIDUAL == 0 && ASSESS_POOLED == 1, "assess_service_names order");

static const char *const priority_names[] = {"fifo", "urgent_first", "severity", "risk", NULL};
_Static_assert(PRIORITY_FIFO == 0 && PRIORITY_URGENT_FIRST == 1 && PRIORITY_SEVERITY == 2 &&
                   PRIORITY_RISK == 3,
               "priority_names order");
#define PRIORITY_HELP                                                                              \
    "fifo: first come first served; urgent_first: urgent referrals first (referrals.urgent, "      \
    "sources[].urgent); severity: highest severity first; risk: highest deterioration rate "       \
    "first (severity x individual risk, as at joining); first come first served among equals"

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
    [A_PRIORITY] = {.name = "priority",
                    .type = CFG_CHOICE,
                    .choices = priority_names,
                    .def_str = "fifo",
                    .help = "order of the assessment waiting list. " PRIORITY_HELP,
                    .source = "assumption: a service's choice; fifo is the order of a plain "
                              "waiting list",
                    CFG_TARGET_CHOICE(struct care_params, assess_priority)},
};

const struct cfg_table care_assess_table = {
    .path = "assessment",
    .help = "the assessment team and its waiting list",
    .keys = assess_keys,
    .n_keys = N_AKEYS,
};

enum {
    C_FRONT,
    C_MODELS,
    C_SIGNPOST,
    C_PLAN,
    C_MOVES,
    C_PRESSURE_AT,
    C_PRESSURE_FACTOR,
    C_PRIORITY,
    C_DETECT,
    C_RESOLVE,
    C_OUTREACH,
    N_CKEYS
};

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
    [C_PLAN] = {.name = "posts_plan",
                .type = CFG_LIST,
                .help = "changes of a model's funded posts over time (see "
                        "coordination.posts_plan[]); none: the posts of the models throughout"},
    [C_MOVES] = {.name = "moves",
                 .type = CFG_LIST,
                 .help = "clients moved from one model to another at a day (see "
                         "coordination.moves[]); none: clients stay with the model that took "
                         "them"},
    [C_PRESSURE_AT] = {.name = "pressure_at",
                       .type = CFG_REAL,
                       .lo = 0.0,
                       .hi = 1e6,
                       .def = 0.0,
                       .unit = "clients",
                       .help = "length of a model's waiting list at or above which a client given "
                               "a coordinator has its episode shortened by pressure_factor",
                       .source = "assumption: coordinators plan earlier step-down when many wait; "
                                 "no published length",
                       CFG_TARGET_REAL(struct care_params, pressure_at)},
    [C_PRESSURE_FACTOR] = {.name = "pressure_factor",
                           .type = CFG_REAL,
                           .lo = 0.0,
                           .hi = 1.0,
                           .flags = CFG_LO_OPEN,
                           .def = 1.0,
                           .help =
                               "multiplier on the episode of a client given a coordinator while "
                               "the waiting list is at least pressure_at; 1: no discharge "
                               "under pressure",
                           .source = "assumption: no published figure; 1 keeps episodes as drawn",
                           CFG_TARGET_REAL(struct care_params, pressure_factor)},
    [C_PRIORITY] = {.name = "priority",
                    .type = CFG_CHOICE,
                    .choices = priority_names,
                    .def_str = "fifo",
                    .help = "order of every model's coordination waiting list (one order for "
                            "the region). " PRIORITY_HELP,
                    .source = "assumption: a service's choice; fifo is the order of a plain "
                              "waiting list",
                    CFG_TARGET_CHOICE(struct care_params, coord_priority)},
    /* The mechanism's probabilities at a contact of full effect, common to every model: no
     * study measures them, so they are estimated on the training rows of the validation
     * (docs/validation.md); a model differs from another by its published inputs (contacts,
     * their length, caseload, crisis cover, services in house), not by a detection of its own. */
    [C_DETECT] = {.name = "detect",
                  .type = CFG_REAL,
                  .lo = 0.0,
                  .hi = 1.0,
                  .def = 0.5,
                  .plausible_lo = 0.1,
                  .plausible_hi = 0.9,
                  .help = "probability that an attended contact of full effect during a "
                          "deterioration detects it; every model's detect unless it sets its own",
                  .source = "estimated on the validation's training rows (docs/validation.md)",
                  CFG_TARGET_REAL(struct care_params, detect)},
    [C_RESOLVE] = {.name = "resolve",
                   .type = CFG_REAL,
                   .lo = 0.0,
                   .hi = 1.0,
                   .def = 0.5,
                   .plausible_lo = 0.1,
                   .plausible_hi = 0.9,
                   .help = "probability that the response to a deterioration detected at a "
                           "contact of full effect averts it; every model's resolve unless it "
                           "sets its own",
                   .source = "estimated on the validation's training rows (docs/validation.md)",
                   CFG_TARGET_REAL(struct care_params, resolve)},
    [C_OUTREACH] = {.name = "outreach",
                    .type = CFG_REAL,
                    .lo = 0.0,
                    .hi = 1.0,
                    .def = 0.5,
                    .plausible_lo = 0.0,
                    .plausible_hi = 0.9,
                    .help = "share of the disengagement hazard of an assertive model (ICM, ACT: "
                            "key assertive) that its outreach prevents",
                    .source = "estimated on the validation's training rows (docs/validation.md)",
                    CFG_TARGET_REAL(struct care_params, outreach)},
};

const struct cfg_table care_coord_table = {
    .path = "coordination",
    .help = "triage and the coordination models",
    .keys = coord_keys,
    .n_keys = N_CKEYS,
};

enum { P_DAY, P_MODEL, P_POSTS, N_PKEYS };

static const struct cfg_key plan_keys[N_PKEYS] = {
    [P_DAY] = {.name = "day",
               .type = CFG_REAL,
               .is_required = true,
               .lo = 0.0,
               .hi = 36525.0,
               .unit = "days",
               .help = "when the model's posts change (within the horizon)",
               CFG_TARGET_REAL(struct care_posts_change, day)},
    [P_MODEL] = {.name = "model",
                 .type = CFG_STRING,
                 .is_required = true,
                 .help = "the coordination model whose posts change (a name in "
                         "coordination.models)"},
    [P_POSTS] = {.name = "posts",
                 .type = CFG_INT,
                 .is_required = true,
                 .lo = 0,
                 .hi = 10000,
                 .unit = "posts",
                 .help = "funded posts from that day on (the model's vacancy rate applies); "
                         "a post removed takes no new client, and its clients stay until they "
                         "leave as usual",
                 .source = "assumption: a post that goes keeps its caseload until each client "
                           "is discharged; a post that comes takes clients at once",
                 CFG_TARGET_INT(struct care_posts_change, posts)},
};

const struct cfg_table care_plan_table = {
    .path = "coordination.posts_plan[]",
    .help = "a change of a model's funded posts at a day (a recruitment step, a freeze, a cut)",
    .keys = plan_keys,
    .n_keys = N_PKEYS,
};

static const char *const rank_names[] = {"risk", "severity", "prior_admissions",
                                         "recent_admissions", NULL};
_Static_assert(RANK_RISK == 0 && RANK_SEVERITY == 1 && RANK_PRIOR_ADMISSIONS == 2 &&
                   RANK_RECENT_ADMISSIONS == 3,
               "rank_names order");

enum { M_DAY, M_FROM, M_TO, M_CLIENTS, M_RANK, N_MKEYS };

static const struct cfg_key move_keys[N_MKEYS] = {
    [M_DAY] = {.name = "day",
               .type = CFG_REAL,
               .is_required = true,
               .lo = 0.0,
               .hi = 36525.0,
               .unit = "days",
               .help = "when the clients move (within the horizon; at or after the warm-up for "
                       "the metrics to measure the change)",
               CFG_TARGET_REAL(struct care_move, day)},
    [M_FROM] = {.name = "from",
                .type = CFG_STRING,
                .is_required = true,
                .help = "the model whose coordinated clients are ranked"},
    [M_TO] = {.name = "to",
              .type = CFG_STRING,
              .is_required = true,
              .help = "the model they move to (it needs free places at that day: posts of its "
                      "own, or from coordination.posts_plan[])"},
    [M_CLIENTS] = {.name = "clients",
                   .type = CFG_INT,
                   .is_required = true,
                   .lo = 1,
                   .hi = 1000000,
                   .unit = "clients",
                   .help = "how many of the highest-ranked move (fewer if the model holds fewer, "
                           "or the model moved to has fewer free places)",
                   CFG_TARGET_INT(struct care_move, clients)},
    [M_RANK] = {.name = "rank_by",
                .type = CFG_CHOICE,
                .choices = rank_names,
                .def_str = "risk",
                .help = "risk: deteriorating first, then the client's deterioration rate "
                        "(severity x frailty); severity; prior_admissions (in the year before "
                        "referral); recent_admissions (since the current referral). Ties: "
                        "earlier referral first",
                .source = "assumption: the risk measures the model records for each client",
                CFG_TARGET_CHOICE(struct care_move, rank_by)},
};

const struct cfg_table care_move_table = {
    .path = "coordination.moves[]",
    .help = "the highest-ranked clients of one model moved to another at a day",
    .keys = move_keys,
    .n_keys = N_MKEYS,
};

/* The index of the model named by key k of group e, or -1 after reporting it. */
static int model_named(struct cfg *c, const config_setting_t *e, const struct cfg_key *k,
                       const struct care_params *p, const char *names)
{
    const char *name = NULL;
    if (!cfg_get_string(c, e, k, &name) || !name) {
        return -1;
    }
    for (int m = 0; m < p->n_models; m++) {
        if (strcmp(name, p->model[m].name) == 0) {
            return m;
        }
    }
    cfg_error(c, config_setting_get_member(e, k->name), "no model named \"%s\" (%s)", name, names);
    return -1;
}

/* Reads coordination.posts_plan[] and coordination.moves[] once the models are known. */
static bool plan_moves_load(struct cfg *c, const config_setting_t *root, const config_setting_t *g,
                            struct care_params *p, const char *names)
{
    const config_setting_t *l = NULL, *hs = config_setting_get_member(root, "horizon");
    double horizon = HUGE_VAL;
    bool ok = true;

    if (hs && !cfg_number(c, hs, &horizon)) {
        horizon = HUGE_VAL;
    }
    if (!cfg_get_list(c, g, &coord_keys[C_PLAN], &l)) {
        ok = false;
    } else if (l) {
        int n = config_setting_length(l);
        if (n > CARE_MAX_PLAN) {
            cfg_error(c, l, "%d changes of posts (at most %d)", n, CARE_MAX_PLAN);
            return false;
        }
        for (int i = 0; i < n; i++) {
            const config_setting_t *x =
                cfg_elem_group(c, l, i,
                               "a change of posts (a group { day = DAY; model = NAME; "
                               "posts = N; })");
            struct care_posts_change row = {.model = -1};
            if (!x || !cfg_read(c, x, &care_plan_table, &row)) {
                ok = false;
                continue;
            }
            row.model = model_named(c, x, &plan_keys[P_MODEL], p, names);
            if (row.model < 0) {
                ok = false;
                continue;
            }
            if (row.day > horizon) {
                cfg_error(c, config_setting_get_member(x, "day"),
                          "day %g is after the horizon (0 to %g days)", row.day, horizon);
                ok = false;
                continue;
            }
            const struct care_model *md = &p->model[row.model];
            row.filled = (int)floor(row.posts * (1.0 - md->vacancy_rate) + 0.5);
            p->plan[p->n_plan++] = row;
        }
    }
    for (int m = 0; m < p->n_models; m++) {
        p->model[m].max_filled = p->model[m].filled;
    }
    for (int i = 0; i < p->n_plan; i++) {
        struct care_model *md = &p->model[p->plan[i].model];
        if (p->plan[i].filled > md->max_filled) {
            md->max_filled = p->plan[i].filled;
        }
    }

    l = NULL;
    if (!cfg_get_list(c, g, &coord_keys[C_MOVES], &l)) {
        return false;
    }
    if (!l) {
        return ok;
    }
    int n = config_setting_length(l);
    if (n > CARE_MAX_MOVES) {
        cfg_error(c, l, "%d moves (at most %d)", n, CARE_MAX_MOVES);
        return false;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *x = cfg_elem_group(
            c, l, i,
            "a move (a group { day = DAY; from = NAME; to = NAME; clients = N; rank_by = ...; })");
        struct care_move row = {.from = -1, .to = -1};
        if (!x || !cfg_read(c, x, &care_move_table, &row)) {
            ok = false;
            continue;
        }
        row.from = model_named(c, x, &move_keys[M_FROM], p, names);
        row.to = model_named(c, x, &move_keys[M_TO], p, names);
        if (row.from < 0 || row.to < 0) {
            ok = false;
            continue;
        }
        if (row.from == row.to) {
            cfg_error(c, config_setting_get_member(x, "to"),
                      "the clients of \"%s\" cannot move to \"%s\" itself (another model)",
                      p->model[row.from].name, p->model[row.to].name);
            ok = false;
            continue;
        }
        if (row.day > horizon) {
            cfg_error(c, config_setting_get_member(x, "day"),
                      "day %g is after the horizon (0 to %g days)", row.day, horizon);
            ok = false;
            continue;
        }
        const config_setting_t *ws = config_setting_get_member(root, "warmup");
        double warmup = 0;
        if (ws && cfg_number(c, ws, &warmup) && row.day < warmup) {
            cfg_warn(c, config_setting_get_member(x, "day"),
                     "day %g is before the warm-up (%g days): the metrics leave out the change "
                     "itself and see only what remains of it",
                     row.day, warmup);
        }
        int places = care_model_places_at(p, row.to, row.day);
        if (row.clients > places) {
            cfg_warn(c, config_setting_get_member(x, "clients"),
                     "model \"%s\" has %d places at day %g: at most %d of the %d clients move "
                     "(the rest stay with \"%s\"); more posts (posts, posts_plan) or a higher "
                     "caseload_limit make room",
                     p->model[row.to].name, places, row.day, places, row.clients,
                     p->model[row.from].name);
        }
        p->move[p->n_moves++] = row;
    }
    return ok;
}

/* The filled posts of model m at day t (posts_plan[] applied as in care_model_places_at()). */
static int filled_at(const struct care_params *p, int m, double t)
{
    int filled = p->model[m].filled;
    double when = -1.0;
    for (int i = 0; i < p->n_plan; i++) {
        if (p->plan[i].model == m && p->plan[i].day <= t && p->plan[i].day >= when) {
            filled = p->plan[i].filled;
            when = p->plan[i].day;
        }
    }
    return filled;
}

/* The places of model m at day t: its filled posts then (posts_plan[] in order of day, the last
 * change at or before t), times its caseload limit. */
int care_model_places_at(const struct care_params *p, int m, double t)
{
    return filled_at(p, m, t) * p->model[m].caseload_limit;
}

double care_model_posts_mean(const struct care_params *p, int m, double from, double to)
{
    if (!(to > from)) {
        return filled_at(p, m, from);
    }
    /* Piecewise constant between the days of m's changes inside (from, to). */
    double sum = 0, t = from;
    while (t < to) {
        double next = to;
        for (int i = 0; i < p->n_plan; i++) {
            if (p->plan[i].model == m && p->plan[i].day > t && p->plan[i].day < next) {
                next = p->plan[i].day;
            }
        }
        sum += filled_at(p, m, t) * (next - t);
        t = next;
    }
    return sum / (to - from);
}

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
    p->pressure_at = 0.0;
    p->pressure_factor = 1.0;
    ok &= cfg_get_real(c, g, &coord_keys[C_PRESSURE_AT], &p->pressure_at);
    ok &= cfg_get_real(c, g, &coord_keys[C_PRESSURE_FACTOR], &p->pressure_factor);
    int prio = PRIORITY_FIFO;
    ok &= cfg_get_choice(c, g, &coord_keys[C_PRIORITY], &prio);
    p->detect = p->resolve = 0.5;
    ok &= cfg_get_real(c, g, &coord_keys[C_DETECT], &p->detect);
    ok &= cfg_get_real(c, g, &coord_keys[C_RESOLVE], &p->resolve);
    p->outreach = 0.5;
    ok &= cfg_get_real(c, g, &coord_keys[C_OUTREACH], &p->outreach);
    p->coord_priority = (enum care_priority)prio;
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
    ok &= plan_moves_load(c, root, g, p, names);
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

static void posts_change(struct sim *sim, void *obj, uint64_t arg);
static void move_clients(struct sim *sim, void *obj, uint64_t arg);

/* Weekly contact hours of one filled post of the model. */
static double post_hours(const struct care_model *md)
{
    return md->hours_per_week * (1.0 - md->admin_share) * (1.0 - md->sickness);
}

/* The unit that takes a model's next client: the open one (clients < limit) with the fewest
 * clients, the first of equals; -1 when every unit is full. A tournament tree per model keeps
 * the answer at its root, so the choice is O(1) and a change of one unit O(log units) where a
 * scan of the units was O(units) (a region of 3,000 posts allocates as fast as one of 30). */
static int unit_key(const struct care_run *run, int u)
{
    const struct care_unit *un = &run->unit[u];
    return un->clients < un->limit ? un->clients : INT_MAX;
}

static int unit_better(const struct care_run *run, int a, int b)
{
    if (a < 0 || b < 0) {
        return a < 0 ? b : a;
    }
    int ka = unit_key(run, a), kb = unit_key(run, b);
    return kb < ka || (kb == ka && b < a) ? b : a;
}

/* Brings the tree up to date after unit u's clients or limit changed. */
static void unit_changed(struct care_run *run, int u)
{
    const struct care_model_rt *rt = &run->model[run->unit[u].model];
    for (int i = (rt->leaves + u - rt->first_unit) / 2; i >= 1; i /= 2) {
        rt->tree[i] = unit_better(run, rt->tree[2 * i], rt->tree[2 * i + 1]);
    }
}

static void units_rebuild(struct care_run *run, int model)
{
    const struct care_model_rt *rt = &run->model[model];
    for (int k = 0; k < rt->leaves; k++) {
        rt->tree[rt->leaves + k] = k < rt->n_units ? rt->first_unit + k : -1;
    }
    for (int i = rt->leaves - 1; i >= 1; i--) {
        rt->tree[i] = unit_better(run, rt->tree[2 * i], rt->tree[2 * i + 1]);
    }
}

#ifdef CCSIM_DEBUG
/* The scan the tree replaces: debug builds check the two agree on every choice. */
static int free_unit_by_scan(const struct care_run *run, int model)
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
#endif

static int free_unit(const struct care_run *run, int model)
{
    const struct care_model_rt *rt = &run->model[model];
    int best = rt->leaves > 0 ? rt->tree[1] : -1;
    if (best >= 0 && unit_key(run, best) == INT_MAX) {
        best = -1;
    }
    SIM_DEBUG_ASSERT(best == free_unit_by_scan(run, model), "model %d: unit tree chose %d", model,
                     best);
    return best;
}

/* Opens the model's first `filled` places: individual caseloads have a unit for each post it
 * ever fills (max_filled), the ones past `filled` closed (limit 0, their clients kept); a team
 * caseload is one unit of filled x caseload_limit places and filled x the hours of a post. */
static void set_filled(struct care_run *run, int m, int filled)
{
    const struct care_model *md = &run->p->model[m];
    const struct care_model_rt *rt = &run->model[m];
    for (int k = 0; k < rt->n_units; k++) {
        struct care_unit *un = &run->unit[rt->first_unit + k];
        if (md->caseload == CASELOAD_TEAM) {
            un->limit = filled * md->caseload_limit;
            un->week_hours = filled * post_hours(md);
        } else {
            un->limit = k < filled ? md->caseload_limit : 0;
        }
        /* At most this week's hours after the administration of the clients held. */
        un->left =
            fmin(un->left, fmax(0.0, un->week_hours - md->admin_hours_per_client * un->clients));
    }
    units_rebuild(run, m);
}

/* A waiting list in the order given (assessment.priority, coordination.priority): fifo keeps
 * the plain FIFO queue; the others serve the lowest priority() first, FIFO among equals. */
static enum queue_discipline discipline(enum care_priority order)
{
    return order == PRIORITY_FIFO ? QUEUE_FIFO : QUEUE_PRIORITY;
}

/* The client's place in a waiting list of the given order: lower is served first. Fixed when
 * the client joins (a deterioration while waiting does not move it up). */
static double priority(const struct care_run *run, const struct care_client *c,
                       enum care_priority order)
{
    switch (order) {
    case PRIORITY_URGENT_FIRST:
        return c->urgent ? 0.0 : 1.0;
    case PRIORITY_SEVERITY:
        return -(double)c->severity;
    case PRIORITY_RISK:
        return -run->p->deteriorate[c->severity] * c->frailty;
    case PRIORITY_FIFO:
        break;
    }
    return 0.0;
}

void care_coord_init(struct care_run *run)
{
    const struct care_params *p = run->p;
    int n_units = 0;

    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        n_units += md->caseload == CASELOAD_TEAM ? (md->max_filled > 0) : md->max_filled;
    }
    run->unit = xcalloc((size_t)(n_units ? n_units : 1), sizeof *run->unit);
    run->n_units = n_units;
    int u = 0;
    size_t tree_size = 0;
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        int units = md->caseload == CASELOAD_TEAM ? (md->max_filled > 0) : md->max_filled;
        int leaves = 1;
        while (leaves < units) {
            leaves *= 2;
        }
        run->model[m].leaves = leaves;
        tree_size += 2 * (size_t)leaves;
    }
    run->unit_tree = xcalloc(tree_size ? tree_size : 1, sizeof *run->unit_tree);
    for (int m = 0, *t = run->unit_tree; m < p->n_models; t += 2 * run->model[m].leaves, m++) {
        run->model[m].tree = t;
    }
    for (int m = 0; m < p->n_models; m++) {
        const struct care_model *md = &p->model[m];
        struct care_model_rt *rt = &run->model[m];
        double hours = post_hours(md);
        rt->first_unit = u;
        int units = md->caseload == CASELOAD_TEAM ? (md->max_filled > 0) : md->max_filled;
        for (int k = 0; k < units; k++) {
            run->unit[u++] = (struct care_unit){
                .model = m, .limit = md->caseload_limit, .week_hours = hours, .week = -1};
        }
        rt->n_units = u - rt->first_unit;
        set_filled(run, m, md->filled);
        queue_init(&rt->waiting, discipline(p->coord_priority), 0, 0.0);
        twavg_init(&rt->caseload_tw, 0.0, 0.0);
        tally_init(&rt->wait, 0, NULL);
    }
    for (int i = 0; i < p->n_plan; i++) {
        sim_schedule_at(&run->sim, p->plan[i].day, posts_change, run, (uint64_t)i);
    }
    for (int i = 0; i < p->n_moves; i++) {
        sim_schedule_at(&run->sim, p->move[i].day, move_clients, run, (uint64_t)i);
    }
    queue_init(&run->assess_wait, discipline(p->assess_priority), 0, 0.0);
    int servers = p->assess_service == ASSESS_POOLED ? assess_filled(p) > 0 : assess_filled(p);
    pool_init(&run->assessors, &run->sim, assess_server_hours(p) > 0 ? servers : 0, NULL, NULL,
              NULL);
    double p90 = 0.9;
    tally_init(&run->wait_assess, 1, &p90);
    tally_init(&run->wait_coord, 0, NULL);
    for (int k = 0; k < 2; k++) {
        tally_init(&run->wait_assess_urgency[k], 0, NULL);
        tally_init(&run->wait_coord_urgency[k], 0, NULL);
    }
    for (int k = 0; k < CARE_N_SEVERITY; k++) {
        tally_init(&run->wait_coord_severity[k], 0, NULL);
    }
}

void care_coord_fini(struct care_run *run)
{
    for (int m = 0; m < run->p->n_models; m++) {
        queue_fini(&run->model[m].waiting);
    }
    queue_fini(&run->assess_wait);
    pool_fini(&run->assessors, &run->sim);
    free(run->unit);
    free(run->unit_tree);
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
    enum care_event ev;
    if (c->stage == STAGE_WAIT_ASSESS) {
        queue_remove(&run->assess_wait, run->sim.now, c->q_wait, &e);
        if (after) {
            run->n.abandoned_assess++;
        }
        ev = CARE_EV_GAVE_UP_ASSESSMENT;
    } else if (c->stage == STAGE_WAIT_COORD) {
        queue_remove(&run->model[c->model].waiting, run->sim.now, c->q_wait, &e);
        if (after) {
            run->n.abandoned_coord++;
        }
        ev = CARE_EV_GAVE_UP_COORDINATION;
    } else {
        return;
    }
    c->q_wait = 0;
    care_set_stage(run, id, STAGE_DISENGAGED);
    care_journey(run, id, ev);
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

    if (m != CARE_SIGNPOST && care_triage_tightened(run, id, m)) {
        m = CARE_SIGNPOST;
    }
    if (m == CARE_SIGNPOST) {
        c->model = -1;
        c->signpost_until =
            run->sim.now + care_draw(run, id, CARE_DRAW_SIGNPOST, &p->signposted_period);
        if (care_counts_after_warmup(run)) {
            run->n.signposted++;
        }
        care_set_stage(run, id, STAGE_SIGNPOSTED);
        care_journey(run, id, CARE_EV_SIGNPOSTED);
        return;
    }
    c->model = (int8_t)m;
    if (care_counts_after_warmup(run)) {
        run->model[m].assigned++;
    }
    if (run->journey) { /* recorded in the stage it enters, before an assessment can begin */
        care_journey_emit(run, id, CARE_EV_TRIAGED, STAGE_WAIT_ASSESS, -1);
    }
    care_enter_assessment_wait(run, id);
}

void care_enter_assessment_wait(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];

    care_set_stage(run, id, STAGE_WAIT_ASSESS);
    c->q_wait =
        queue_push(&run->assess_wait, run->sim.now, id, priority(run, c, p->assess_priority));
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
    c->q_wait = queue_push(&run->model[c->model].waiting, run->sim.now, id,
                           priority(run, c, run->p->coord_priority));
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
    if (run->journey) { /* recorded in the stage it enters, before a coordinator can take it */
        care_journey_emit(run, id, CARE_EV_ASSESSED, STAGE_WAIT_COORD, -1);
    }
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
    /* Each free assessor takes the next client in turn (in the list's order). */
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
        tally_add(&run->wait_assess_urgency[c->urgent], run->sim.now - c->t_referred);
        care_groups_wait_assess(run, id, run->sim.now - c->t_referred);
    }
    care_set_stage(run, id, STAGE_ASSESSING);
    care_journey(run, id, CARE_EV_ASSESSMENT_START);
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

static double interval(const struct care_model *md)
{
    return 7.0 / md->contact_rate;
}

/* Discharge under pressure (docs/model.md 2.2.15): the multiplier on the episode of a client
 * given a coordinator now, pressure_factor while the model's waiting list (the clients still
 * waiting) holds at least pressure_at, else 1. A client from a snapshot (past > 0) keeps the
 * episode it had. */
static double pressure_factor(const struct care_run *run, int model, double past)
{
    const struct care_params *p = run->p;
    if (p->pressure_factor >= 1.0 || past > 0 ||
        (double)queue_length(&run->model[model].waiting) < p->pressure_at) {
        return 1.0;
    }
    return p->pressure_factor;
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
        tally_add(&run->wait_coord_urgency[c->urgent], w);
        tally_add(&run->wait_coord_severity[c->severity], w);
        care_groups_wait(run, id, w);
        tally_add(&rt->wait, w);
        rt->starts++;
        if (past == 0.0) { /* not a client of a snapshot, coordinated before day 0 */
            double r = now - c->t_referred;
            run->n.coord_starts++;
            run->n.coord_starts_over_28d += r > 28.0;
            run->n.referral_to_coord_days += r;
        }
    }
    run->unit[u].clients++;
    unit_changed(run, u);
    c->unit = (int16_t)u;
    c->t_coord_start = now - past;
    care_set_stage(run, id, STAGE_COORDINATED);
    if (past == 0.0) { /* not a client of a snapshot, coordinated before day 0 */
        care_journey(run, id, CARE_EV_COORDINATED);
    }
    twavg_add(&rt->caseload_tw, now, 1.0);

    c->contact_due = now + care_uniform(run, id, CARE_DRAW_CONTACT_PHASE) * interval(md);
    c->ev_contact = sim_schedule_at(&run->sim, c->contact_due, contact, run, id);
    /* A client from a snapshot has served part of its episode: the rest is drawn from the
     * episode's law given that it has lasted `past` days (one uniform of the same decision). An
     * episode shortened by a factor f (discharge under pressure) is f times one of the law: its
     * rest after `past` days is f times the law's rest after past / f. */
    double f = past > 0 ? (c->episode_factor > 0 ? c->episode_factor : 1.0)
                        : pressure_factor(run, c->model, past);
    double episode = past > 0 ? f * care_remaining(&md->episode, past / f,
                                                   care_uniform(run, id, CARE_DRAW_EPISODE))
                              : f * care_draw(run, id, CARE_DRAW_EPISODE, &md->episode);
    c->episode_factor = f;
    c->ev_end = sim_schedule(&run->sim, episode, episode_end, run, id);
    double hazard = md->disengagement * c->engagement * c->disengage_factor / CARE_DAYS_PER_YEAR;
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
    unit_changed(run, c->unit);
    c->unit = -1;
    twavg_add(&run->model[model].caseload_tw, run->sim.now, -1.0);
    care_services_drop(run, id);
    care_set_stage(run, id, to);
    care_journey(run, id, to == STAGE_DISCHARGED ? CARE_EV_STEPPED_DOWN : CARE_EV_DISENGAGED);
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
        care_groups_count(run, id, GROUP_DISENGAGED);
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
 * Weekly contact hours of unit un while it holds its present clients: its posts' contact hours
 * less the non-contact work each client held takes (admin_hours_per_client: care plan reviews,
 * risk assessments, records, liaison), never below 0. With no administration per client it is
 * week_hours exactly.
 */
static double unit_contact_hours(const struct care_model *md, const struct care_unit *un)
{
    return fmax(0.0, un->week_hours - md->admin_hours_per_client * un->clients);
}

/*
 * The effect (0..1] of a contact by unit un: x = (contact hours / clients) / full_effect_hours,
 * capped at 1, is the coordinator's time per client relative to the time for a full effect;
 * the effect is floor + (1 - floor) x g(x) with g(x) = x (linear) or 1 - (1 - x)^2
 * (saturating: little loss just below the full-effect time, most near none), or 1 (none).
 */
static double contact_effect(const struct care_model *md, const struct care_unit *un)
{
    if (md->effect_shape == EFFECT_NONE || md->full_effect_hours <= 0 || un->clients <= 0) {
        return 1.0;
    }
    double x = fmin(1.0, unit_contact_hours(md, un) / un->clients / md->full_effect_hours);
    double g = md->effect_shape == EFFECT_LINEAR ? x : 1.0 - (1.0 - x) * (1.0 - x);
    return md->effect_floor + (1.0 - md->effect_floor) * g;
}

/* Renews unit un's budget when a new week has begun at now, and returns the week. The week's
 * budget: the hours left after the administration of the clients held now (a client who joins
 * later in the week costs hours from the next week on). */
static long unit_renew(const struct care_model *md, struct care_unit *un, double now)
{
    long week = (long)floor(now / 7.0);
    if (un->week != week) {
        un->week = week;
        un->left = unit_contact_hours(md, un);
    }
    return week;
}

/* Takes hours of unit u's week for routine work (only from the hours left) or urgent work (before
 * the week's routine contacts, down to a week's hours owed; none for a unit without hours). */
static bool take_hours(struct care_run *run, int u, double hours, bool urgent)
{
    SIM_ASSERT(u >= 0 && u < run->n_units, "unit %d of %d", u, run->n_units);
    struct care_unit *un = &run->unit[u];
    const struct care_model *md = &run->p->model[un->model];

    if (hours <= 0) {
        return true;
    }
    unit_renew(md, un, run->sim.now);
    if (urgent ? !(un->week_hours > 0) || un->left - hours < -un->week_hours
               : un->left + 1e-9 < hours) {
        return false;
    }
    un->left = urgent ? un->left - hours : fmax(0.0, un->left - hours);
    if (care_counts_after_warmup(run)) {
        run->n.contact_hours_used += hours;
        run->model[un->model].hours_used += hours;
    }
    return true;
}

bool care_unit_take_urgent_hours(struct care_run *run, int u, double hours)
{
    return take_hours(run, u, hours, true);
}

bool care_unit_take_hours(struct care_run *run, int u, double hours)
{
    return take_hours(run, u, hours, false);
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
    long week = unit_renew(md, un, now);
    double hours = md->contact_minutes / 60.0;
    double effect = 0.0; /* of the contact: 0 unless attended */
    if (un->left + 1e-9 < hours) {
        if (now + 7.0 - fmod(now, 7.0) < c->contact_due + interval(md)) {
            /* Delayed to the start of next week, when the hours are renewed. */
            c->ev_contact = sim_schedule_at(sim, (double)(week + 1) * 7.0, contact, run, id);
            if (after) {
                rt->delayed++;
            }
            care_journey(run, id, CARE_EV_CONTACT_DELAYED);
            return;
        }
        /* No room within an interval of its due time: missed. */
        if (after) {
            run->n.due++;
            run->n.missed++;
            rt->due++;
            rt->missed++;
            care_groups_count(run, id, GROUP_DUE);
            care_groups_count(run, id, GROUP_MISSED);
        }
        care_journey(run, id, CARE_EV_CONTACT_NO_HOURS);
    } else {
        un->left -= hours;
        if (after) {
            run->n.due++;
            rt->due++;
            care_groups_count(run, id, GROUP_DUE);
            run->n.contact_hours_used += hours;
            rt->hours_used += hours;
        }
        double dna = fmin(1.0, md->dna * c->engagement * c->missed_factor);
        if (care_uniform(run, id, CARE_DRAW_DNA) < dna) {
            if (after) {
                run->n.missed++;
                rt->missed++;
                care_groups_count(run, id, GROUP_MISSED);
            }
            care_journey(run, id, CARE_EV_MISSED_CONTACT);
        } else {
            effect = contact_effect(md, un);
            if (after) {
                run->n.contacts++;
                rt->contacts++;
                run->n.effect_sum += effect;
            }
            care_journey(run, id, CARE_EV_CONTACT);
            /* Drawn on every attended contact, so the k-th draw is the k-th such contact. */
            double u = care_uniform(run, id, CARE_DRAW_DETECT);
            if (c->risk == RISK_DETERIORATING && u < md->detect * effect) {
                care_journey(run, id, CARE_EV_DETECTED);
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

/* ---- posts over time and moves between models ------------------------------------------- */

static void posts_change(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    const struct care_posts_change *pc = &run->p->plan[arg];
    (void)sim;

    set_filled(run, pc->model, pc->filled);
    care_in_house_resize(run, pc->model, pc->filled);
    try_allocate(run, pc->model); /* new places take the clients waiting */
}

/* A client's rank in a move: higher keys first, then the earlier referral. */
struct rank_key {
    double k1, k2;
    uint32_t serial, id;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct rank_key *x = a, *y = b;
    if (x->k1 != y->k1) {
        return x->k1 > y->k1 ? -1 : 1;
    }
    if (x->k2 != y->k2) {
        return x->k2 > y->k2 ? -1 : 1;
    }
    return x->serial < y->serial ? -1 : x->serial > y->serial;
}

static struct rank_key rank_of(const struct care_run *run, uint32_t id, enum care_rank by)
{
    const struct care_client *c = &run->cl[id];
    struct rank_key k = {.serial = c->serial, .id = id};
    switch (by) {
    case RANK_RISK:
        k.k1 = c->risk == RISK_DETERIORATING;
        k.k2 = run->p->deteriorate[c->severity] * c->frailty;
        break;
    case RANK_SEVERITY:
        k.k1 = c->severity;
        break;
    case RANK_PRIOR_ADMISSIONS:
        k.k1 = c->prior_admissions;
        break;
    case RANK_RECENT_ADMISSIONS:
        k.k1 = c->admissions;
        break;
    }
    return k;
}

/* The coordinated client id of its model moves to unit u of model to: its slot is freed, its
 * contacts follow the new model from a fresh phase, the rest of its episode is drawn from the new
 * model's episode law given the time it has been coordinated, and its disengagement clock from
 * the new model's hazard. Linked services and the risk process go on as they were. */
static void move_client(struct care_run *run, uint32_t id, int to, int u)
{
    struct care_client *c = &run->cl[id];
    const struct care_model *md = &run->p->model[to];
    double now = run->sim.now;

    sim_cancel(&run->sim, c->ev_contact);
    sim_cancel(&run->sim, c->ev_end);
    sim_cancel(&run->sim, c->ev_disengage);
    c->ev_contact = c->ev_end = c->ev_disengage = 0;
    run->unit[c->unit].clients--;
    unit_changed(run, c->unit);
    twavg_add(&run->model[c->model].caseload_tw, now, -1.0);

    int from = c->model;
    c->model = (int8_t)to;
    c->unit = (int16_t)u;
    care_journey(run, id, CARE_EV_MOVED);
    care_services_moved(run, id, from);
    run->unit[u].clients++;
    unit_changed(run, u);
    twavg_add(&run->model[to].caseload_tw, now, 1.0);
    c->contact_due = now + care_uniform(run, id, CARE_DRAW_MOVE_PHASE) * interval(md);
    c->ev_contact = sim_schedule_at(&run->sim, c->contact_due, contact, run, id);
    double served = fmax(0.0, now - c->t_coord_start);
    double episode =
        care_remaining(&md->episode, served, care_uniform(run, id, CARE_DRAW_MOVE_EPISODE));
    c->ev_end = sim_schedule(&run->sim, episode, episode_end, run, id);
    double hazard = md->disengagement * c->engagement * c->disengage_factor / CARE_DAYS_PER_YEAR;
    if (hazard > 0) {
        c->ev_disengage = sim_schedule(
            &run->sim, care_exponential(run, id, CARE_DRAW_MOVE_DISENGAGE, 1.0 / hazard), disengage,
            run, id);
    }
}

/* Move arg: ranks the clients coordinated by its source model and moves the first `clients`
 * of them (fewer if the model holds fewer or the target has fewer free places), then lets the
 * source's waiting list into the places freed. Once per move: the ranking table is allocated
 * here, not per event of the run. */
static void move_clients(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    const struct care_move *mv = &run->p->move[arg];
    (void)sim;

    uint32_t n = 0;
    for (uint32_t id = 0; id < run->n_slots; id++) {
        const struct care_client *c = &run->cl[id];
        n += care_client_is_live(c) && c->stage == STAGE_COORDINATED && c->model == mv->from;
    }
    struct rank_key *k = xcalloc(n ? n : 1, sizeof *k);
    uint32_t j = 0;
    for (uint32_t id = 0; id < run->n_slots; id++) {
        const struct care_client *c = &run->cl[id];
        if (care_client_is_live(c) && c->stage == STAGE_COORDINATED && c->model == mv->from) {
            k[j++] = rank_of(run, id, (enum care_rank)mv->rank_by);
        }
    }
    qsort(k, n, sizeof *k, rank_cmp);
    int moved = 0, u;
    while (moved < mv->clients && (uint32_t)moved < n && (u = free_unit(run, mv->to)) >= 0) {
        move_client(run, k[moved].id, mv->to, u);
        care_groups_moved(run, k[moved].id);
        moved++;
    }
    free(k);
    run->moved[arg] = moved;
    try_allocate(run, mv->from);
}

bool care_move_to(struct care_run *run, uint32_t id, int to)
{
    int u = free_unit(run, to);
    if (u < 0) {
        return false;
    }
    move_client(run, id, to, u);
    return true;
}

void care_coord_refill(struct care_run *run, int m)
{
    try_allocate(run, m);
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
    sim_name_event(sim, posts_change, "posts_change");
    sim_name_event(sim, move_clients, "move_clients");
}
