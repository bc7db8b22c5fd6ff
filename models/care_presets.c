/*
 * care_presets — coordination models as data: the keys of a coordination model and the
 * published defaults of each preset.
 *
 * A scenario names a preset and overrides any key:
 *     { name = "act"; preset = "act"; posts = 12; caseload_limit = 8; }
 * The preset's values are filled in as defaults carrying their own source, so `ccsim check`
 * shows where every number came from. A model with every key given needs no preset at all; a
 * new coordination model is a new block in a scenario, never new C code.
 */
#include <math.h>
#include <string.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

const char *const care_severity_names[] = {"low", "moderate", "high", "complex", NULL};
static const char *const caseload_names[] = {"individual", "team", NULL};
static const char *const cover_names[] = {"none", "office", "24h", NULL};
static const char *const shape_names[] = {"none", "linear", "saturating", NULL};
static const char *const full_names[] = {"wait", "refer", NULL};
/* caseload and crisis_cover are read as choice indices straight into their enums. */
_Static_assert(CASELOAD_INDIVIDUAL == 0 && CASELOAD_TEAM == 1, "caseload_names order");
_Static_assert(COVER_NONE == 0 && COVER_OFFICE == 1 && COVER_24H == 2, "cover_names order");
_Static_assert(EFFECT_NONE == 0 && EFFECT_LINEAR == 1 && EFFECT_SATURATING == 2,
               "shape_names order");
static const char *const preset_names[] = {
    "standard_care", "broker", "clinical_cm",        "strengths",
    "icm",           "act",    "collaborative_care", "crisis_home_treatment",
    "none",          NULL,
};

enum {
    K_NAME,
    K_PRESET,
    K_POSTS,
    K_VACANCY,
    K_SICKNESS,
    K_HOURS,
    K_ADMIN,
    K_ADMIN_CLIENT,
    K_LIMIT,
    K_CASELOAD,
    K_RATE,
    K_MINUTES,
    K_DNA,
    K_DETECT,
    K_RESOLVE,
    K_IN_HOUSE,
    K_LINKAGE,
    K_LINKAGE_DAYS,
    K_DISENGAGE,
    K_COVER,
    K_FOLLOWUP,
    K_EPISODE,
    K_EPISODE_SD,
    K_EPISODE_DIST,
    K_MIN_SEV,
    K_MAX_SEV,
    K_MIN_PRIOR,
    K_FALLBACK,
    K_PATIENCE,
    K_MISSED_DISENGAGE,
    K_EFFECT_SHAPE,
    K_FULL_EFFECT_HOURS,
    K_EFFECT_FLOOR,
    K_ASSERTIVE,
    K_IN_HOUSE_PLACES,
    K_IN_HOUSE_FULL,
    K_LINKAGE_HOURS,
    K_CRISIS_HOURS,
    K_REFER_DETECTED,
    N_KEYS,
};

/* A required probability read into field_ of struct care_model; P with a plausible range. */
#define REAL01(name_, field_, help_)                                                               \
    {                                                                                              \
        .name = name_, .type = CFG_REAL, .is_required = true, .lo = 0.0, .hi = 1.0, .help = help_, \
        CFG_TARGET_REAL(struct care_model, field_)                                                 \
    }
#define REAL01P(name_, field_, help_, plo_, phi_)                                                  \
    {                                                                                              \
        .name = name_, .type = CFG_REAL, .is_required = true, .lo = 0.0, .hi = 1.0, .help = help_, \
        .plausible_lo = plo_, .plausible_hi = phi_, CFG_TARGET_REAL(struct care_model, field_)     \
    }

static const struct cfg_key model_keys[N_KEYS] = {
    [K_NAME] = {.name = "name",
                .type = CFG_STRING,
                .is_required = true,
                .help = "the model's name in this scenario (metrics are prefixed with it)",
                CFG_TARGET_STRDUP(struct care_model, name)},
    [K_PRESET] = {.name = "preset",
                  .type = CFG_CHOICE,
                  .choices = preset_names,
                  .def_str = "standard_care",
                  .help = "published defaults to start from; \"none\" to give every key"},
    [K_POSTS] = {.name = "posts",
                 .type = CFG_INT,
                 .is_required = true,
                 .lo = 0,
                 .hi = 10000,
                 .unit = "posts",
                 .help = "funded coordinator posts (full-time equivalents); 0: none until a "
                         "coordination.posts_plan[] day gives some",
                 CFG_TARGET_INT(struct care_model, posts)},
    [K_VACANCY] = REAL01("vacancy_rate", vacancy_rate, "share of posts unfilled"),
    [K_SICKNESS] = REAL01("sickness", sickness, "share of filled hours lost to sickness absence"),
    [K_HOURS] = {.name = "hours_per_week",
                 .type = CFG_REAL,
                 .is_required = true,
                 .lo = 1.0,
                 .hi = 80.0,
                 .unit = "hours",
                 .help = "contracted hours of one post",
                 CFG_TARGET_REAL(struct care_model, hours_per_week)},
    /* Plausible range derived: a total non-contact share of 0.4-0.6 (Hannigan et al. 2018;
     * COCAPP; Liu et al. 2007) less the part that grows with the caseload, about 0.2 of a post's
     * hours at a preset's own caseload limit (admin_hours_per_client). */
    [K_ADMIN] = {.name = "admin_share",
                 .type = CFG_REAL,
                 .is_required = true,
                 .lo = 0.0,
                 .hi = 1.0,
                 .flags = CFG_HI_OPEN,
                 .help = "share of hours spent on administration that does not grow with the "
                         "caseload (team meetings, supervision, training, duty), not contacts",
                 .plausible_lo = 0.2,
                 .plausible_hi = 0.4,
                 CFG_TARGET_REAL(struct care_model, admin_share)},
    [K_ADMIN_CLIENT] = {.name = "admin_hours_per_client",
                        .type = CFG_REAL,
                        .lo = 0.0,
                        .hi = 40.0,
                        .def = 0.0,
                        .unit = "hours per client-week",
                        .help = "weekly hours of non-contact work each client held takes from its "
                                "coordinator (care plan reviews, risk assessments, records, "
                                "liaison): a post's contact hours are its hours after admin_share "
                                "and sickness less this for every client it holds; 0: none",
                        .source = "assumption: none unless a preset or the scenario gives it",
                        .plausible_lo = 0.1,
                        .plausible_hi = 0.5,
                        CFG_TARGET_REAL(struct care_model, admin_hours_per_client)},
    [K_LIMIT] = {.name = "caseload_limit",
                 .type = CFG_INT,
                 .is_required = true,
                 .lo = 1,
                 .hi = 1000,
                 .unit = "clients per post",
                 .help = "most clients per filled post",
                 CFG_TARGET_INT(struct care_model, caseload_limit)},
    [K_CASELOAD] = {.name = "caseload",
                    .type = CFG_CHOICE,
                    .is_required = true,
                    .choices = caseload_names,
                    .help = "individual caseloads, or one shared team caseload",
                    CFG_TARGET_CHOICE(struct care_model, caseload)},
    [K_RATE] = {.name = "contact_rate",
                .type = CFG_REAL,
                .is_required = true,
                .lo = 0.0,
                .hi = 14.0,
                .flags = CFG_LO_OPEN,
                .unit = "contacts per client per week",
                .help = "target contact rate",
                CFG_TARGET_REAL(struct care_model, contact_rate)},
    [K_MINUTES] = {.name = "contact_minutes",
                   .type = CFG_REAL,
                   .is_required = true,
                   .lo = 1.0,
                   .hi = 480.0,
                   .unit = "minutes",
                   .help = "length of a contact, travel and notes included",
                   CFG_TARGET_REAL(struct care_model, contact_minutes)},
    /* Plausible ranges: DNA 15.6-28% in studies (Mitchell & Selmes 2007); detection and
     * resolution are calibration parameters without published estimates. */
    [K_DNA] = REAL01P("dna", dna, "probability that the client misses a contact (did not attend)",
                      0.156, 0.28),
    [K_DETECT] = REAL01P("detect", detect,
                         "probability that a contact during deterioration detects it", 0.3, 0.7),
    [K_RESOLVE] = REAL01P("resolve", resolve,
                          "probability that the response to a detected deterioration averts "
                          "the crisis",
                          0.3, 0.7),
    [K_IN_HOUSE] = {.name = "in_house",
                    .type = CFG_STRING,
                    .is_required = true,
                    .help = "services the team provides itself, comma-separated (no wait for a "
                            "place); other needs are met by referral"},
    [K_LINKAGE] =
        REAL01P("linkage", linkage,
                "probability that a contact refers an unmet need to its service", 0.3, 0.8),
    [K_LINKAGE_DAYS] = {.name = "linkage_days",
                        .type = CFG_REAL,
                        .is_required = true,
                        .lo = 0.0,
                        .hi = 365.0,
                        .unit = "days",
                        .help = "mean delay from the decision until the need is met in house, "
                                "or the referral reaches the service",
                        CFG_TARGET_REAL(struct care_model, linkage_days)},
    [K_DISENGAGE] = {.name = "disengagement",
                     .type = CFG_REAL,
                     .is_required = true,
                     .lo = 0.0,
                     .hi = 12.0,
                     .unit = "per client-year",
                     .help = "hazard of losing contact while coordinated, other than at a contact "
                             "(missed_disengage covers those)",
                     .plausible_lo = 0.05,
                     .plausible_hi = 0.125,
                     CFG_TARGET_REAL(struct care_model, disengagement)},
    [K_COVER] = {.name = "crisis_cover",
                 .type = CFG_CHOICE,
                 .is_required = true,
                 .choices = cover_names,
                 .help = "when the team itself answers its clients' crises (office: 9-17 "
                         "Monday to Friday)",
                 CFG_TARGET_CHOICE(struct care_model, crisis_cover)},
    [K_FOLLOWUP] = REAL01("followup_7d", followup_7d,
                          "probability of a follow-up within 7 days of a "
                          "discharge from hospital"),
    [K_EPISODE] = {.name = "episode_days",
                   .type = CFG_REAL,
                   .is_required = true,
                   .lo = 1.0,
                   .hi = 36525.0,
                   .flags = CFG_NOT_VARIED,
                   .unit = "days",
                   .help = "mean length of coordination until step-down (lognormal)",
                   .source = "plausible range an assumption: coordination lasts 2 weeks to 20 "
                             "years; outside it ccsim warns (hours where days belong?)",
                   .plausible_lo = 14,
                   .plausible_hi = 7305},
    [K_EPISODE_SD] = {.name = "episode_sd_days",
                      .type = CFG_REAL,
                      .is_required = true,
                      .lo = 0.0,
                      .hi = 36525.0,
                      .flags = CFG_LO_OPEN,
                      .unit = "days",
                      .help = "standard deviation of the episode length"},
    [K_EPISODE_DIST] = {.name = "episode",
                        .type = CFG_GROUP,
                        .unit = "days",
                        .help = "length of coordination until step-down as any distribution, "
                                "instead of episode_days and episode_sd_days (which it excludes); "
                                "default: lognormal with that mean and sd"},
    [K_MIN_SEV] = {.name = "min_severity",
                   .type = CFG_CHOICE,
                   .is_required = true,
                   .choices = care_severity_names,
                   .help = "eligibility: lowest severity accepted",
                   CFG_TARGET_CHOICE(struct care_model, min_severity)},
    [K_MAX_SEV] = {.name = "max_severity",
                   .type = CFG_CHOICE,
                   .choices = care_severity_names,
                   .def_str = "complex",
                   .help = "eligibility: highest severity accepted",
                   CFG_TARGET_CHOICE(struct care_model, max_severity)},
    [K_MIN_PRIOR] = {.name = "min_prior_admissions",
                     .type = CFG_INT,
                     .is_required = true,
                     .lo = 0,
                     .hi = 100,
                     .unit = "admissions",
                     .help = "eligibility: fewest admissions in the year before referral",
                     CFG_TARGET_INT(struct care_model, min_prior_admissions)},
    [K_FALLBACK] = {.name = "fallback",
                    .type = CFG_STRING,
                    .def_str = "signpost",
                    .help = "where clients this model does not accept go: another model's name, "
                            "or \"signpost\" (away, needs unmet)"},
    [K_PATIENCE] = {.name = "patience",
                    .type = CFG_GROUP,
                    .unit = "days",
                    .help = "how long a client waits for a coordinator before giving up "
                            "(distribution); none: waits indefinitely"},
    /* Plausible range derived: at 0.05 a standard-care client's five or so missed contacts in 18
     * months would explain all of the 24% who lose contact in that time. */
    [K_MISSED_DISENGAGE] =
        REAL01P("missed_disengage", missed_disengage,
                "probability that a missed contact (not attended, or no coordinator hours) ends "
                "the client's engagement; an attended contact of effect e ends it with this "
                "probability x (1 - e)",
                /* Plausible up to 0.5: up to half of those who miss appointments drop out of
                 * care that does not chase them (Mitchell & Selmes 2007). */
                0.0, 0.5),
    [K_EFFECT_SHAPE] = {.name = "effect_shape",
                        .type = CFG_CHOICE,
                        .choices = shape_names,
                        .def_str = "linear",
                        .help = "how a contact's effect on detection, resolution, linkage and "
                                "engagement falls when the coordinator's time per client is "
                                "below full_effect_hours: linear, saturating (1 - (1 - x)^2: "
                                "little loss near the full-effect time) or none (no loss)",
                        .source = "assumption: no published shape; a smooth fall without a "
                                  "threshold, as the contact mix changes smoothly with caseload "
                                  "(Burns et al. 2007, BJP)",
                        CFG_TARGET_CHOICE(struct care_model, effect_shape)},
    [K_FULL_EFFECT_HOURS] = {.name = "full_effect_hours",
                             .type = CFG_REAL,
                             .is_required = true,
                             .lo = 0.0,
                             .hi = 168.0,
                             .unit = "contact hours per client-week",
                             .help = "coordinator's time per client (a unit's weekly contact "
                                     "hours over the clients it holds) at or above which a "
                                     "contact has its full effect; 0: always full",
                             CFG_TARGET_REAL(struct care_model, full_effect_hours)},
    [K_EFFECT_FLOOR] = {.name = "effect_floor",
                        .type = CFG_REAL,
                        .lo = 0.0,
                        .hi = 1.0,
                        .def = 0.25,
                        .help = "a contact's effect (share of its full effect) as the "
                                "coordinator's time per client tends to 0",
                        .source = "assumption: a hurried contact still achieves a quarter of a "
                                  "full one; no published estimate (administrative load: "
                                  "Hannigan et al. 2018, COCAPP, Simpson et al. 2016)",
                        .plausible_lo = 0.0,
                        .plausible_hi = 0.5,
                        CFG_TARGET_REAL(struct care_model, effect_floor)},
    [K_ASSERTIVE] = {.name = "assertive",
                     .type = CFG_BOOL,
                     .def = 0,
                     .help = "the team reaches out to a client who drifts away (assertive "
                             "outreach): its disengagement hazard is times 1 - "
                             "coordination.outreach",
                     .source = "assumption: a model's outreach is a yes or no of its definition",
                     CFG_TARGET_BOOL(struct care_model, assertive)},
    [K_REFER_DETECTED] = {.name = "refer_detected",
                          .type = CFG_BOOL,
                          .def = 0,
                          .help = "a deterioration a contact detects and does not avert is "
                                  "referred to crisis services at once (a crisis then, answered "
                                  "as any crisis), rather than left to recover or go on",
                          .source = "assumption: a model that links rather than treats refers "
                                    "what it finds on",
                          CFG_TARGET_BOOL(struct care_model, refer_detected)},
    [K_IN_HOUSE_PLACES] = {.name = "in_house_places",
                           .type = CFG_STRING,
                           .def_str = "",
                           .unit = "places per filled post",
                           .help = "in-house places of each in_house service per filled post, "
                                   "comma-separated SERVICE: PLACES (e.g. \"psychiatry: 20, "
                                   "therapy: 2\"); a need met in house holds one for the "
                                   "service's length; an in_house service not named has no "
                                   "limit; entries for services not in house are unused",
                           .source = "assumption: no limit unless a preset or the scenario "
                                     "gives one"},
    [K_IN_HOUSE_FULL] = {.name = "in_house_full",
                         .type = CFG_CHOICE,
                         .choices = full_names,
                         .def_str = "wait",
                         .help = "a need whose in-house places are all taken: waits for one "
                                 "(the team's own waiting list, first come first served), or is "
                                 "referred to the service's waiting list (refer)",
                         .source = "assumption: teams keep their own waiting lists (CMHT "
                                   "psychology)",
                         CFG_TARGET_CHOICE(struct care_model, in_house_refer)},
    [K_LINKAGE_HOURS] = {.name = "linkage_hours",
                         .type = CFG_REAL,
                         .lo = 0.0,
                         .hi = 40.0,
                         .def = 1.0,
                         .unit = "hours",
                         .help = "coordinator hours one linkage takes (referral letter or "
                                 "call, forms, the handover in house) from the unit's hours of "
                                 "the week; with fewer left the need waits for a later contact; "
                                 "0: none",
                         .source = "assumption: about an hour of referral work per need "
                                   "linked; no published estimate (administrative load: Hannigan "
                                   "et al. 2018, COCAPP)",
                         .plausible_lo = 0.25,
                         .plausible_hi = 3.0,
                         CFG_TARGET_REAL(struct care_model, linkage_hours)},
    [K_CRISIS_HOURS] = {.name = "crisis_response_hours",
                        .type = CFG_REAL,
                        .lo = 0.0,
                        .hi = 40.0,
                        .def = 3.0,
                        .unit = "hours",
                        .help = "coordinator hours the team's own response to a crisis it "
                                "covers takes from the client's unit's hours of the week, before "
                                "its routine contacts (which then lack them); 0: none",
                        .source = "assumption: an urgent same-day assessment, about 2 hours face "
                                  "to face plus travel and notes; no published estimate",
                        .plausible_lo = 1.0,
                        .plausible_hi = 6.0,
                        CFG_TARGET_REAL(struct care_model, crisis_response_hours)},
};

const struct cfg_table care_models_table = {
    .path = "coordination.models[]",
    .help = "a coordination model: a preset of published defaults, any key overridden",
    .keys = model_keys,
    .n_keys = N_KEYS,
};

/* ---- presets ------------------------------------------------------------------------------ */

struct preset_value {
    int key;
    double v;
    const char *text;
    const char *source;
};

#define V(k, x, src)                                                                               \
    {                                                                                              \
        k, x, NULL, src                                                                            \
    }
#define T(k, s, src)                                                                               \
    {                                                                                              \
        k, 0, s, src                                                                               \
    }
#define END                                                                                        \
    {                                                                                              \
        -1, 0, NULL, NULL                                                                          \
    }

/* Shared by every preset unless it says otherwise. */
#define SRC_HOURS   "full-time post (assumption)"
#define SRC_SICK    "NHS staff sickness absence about 4.5% (assumption)"
#define SRC_DERIVED "derived; calibration parameter (no published estimate)"
/* A model's own loss of contact other than at a contact: standard care's, which assertive
 * outreach lowers (coordination.outreach), not a multiplier from the trials it is validated on. */
#define SRC_LOST_HAZARD                                                                            \
    "standard care's 0.09 a year (0.18 / 2: 24% lost contact in 18 months, intensive community "   \
    "support trial, control arm), times 1 - coordination.outreach for an assertive model"
/* Administration per client held under the CPA (docs/model.md 2.2.4): a review every 6 months
 * of about 3 hours (preparing, the meeting, the revised care plan and risk assessment), 3 / 26 =
 * 0.115 hours a week, plus about 8 minutes a week of records and liaison beyond a contact's own
 * notes (GP, pharmacy, housing, carers), 0.13; 0.25 in all. */
#define SRC_ADMIN_CPA                                                                              \
    "assumption, derived: a CPA review every 6 months of about 3 hours (0.115 h a week) plus 8 "   \
    "min a week of records and liaison (0.13 h); administrative demands of coordination: "         \
    "Hannigan et al. 2018; COCAPP, Simpson et al. 2016"
/* Staffing that every preset shares: the scenario sets vacancies for what-ifs. */
#define STAFFING                                                                                   \
    V(K_VACANCY, 0.0, "none unless the scenario says (what-if input)"),                            \
        V(K_SICKNESS, 0.045, SRC_SICK), V(K_HOURS, 37.5, SRC_HOURS)

static const struct preset_value standard_care[] = {
    STAFFING,
    V(K_ADMIN, 0.29,
      "derived: 0.5 in all (Hannigan et al. 2018; COCAPP, Simpson et al. 2016; 0.4-0.55) less "
      "the 0.25 h per client-week at the caseload limit of 30, so that a post keeps its 17.9 "
      "contact hours there (17.93)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 30, "Greenwood et al. 2000; UK700 standard arm 30-35; REACT CMHT 1:35"),
    T(K_CASELOAD, "individual", "CMHT care coordination (Greenwood et al. 2000)"),
    V(K_RATE, 0.35, "48 contacts per FTE-month (Burns et al. 2007) over a caseload of 30"),
    V(K_MINUTES, 95,
      "60 min face to face (FACT evaluation: CMHT 26 min per client-week) plus "
      "travel and notes, so a post makes about 11 contacts a week (Burns et "
      "al. 2007)"),
    V(K_DNA, 0.20, "Mitchell & Selmes 2007: about 20% of psychiatric appointments missed"),
    T(K_IN_HOUSE, "psychiatry, therapy", "CMHT: psychiatry and some psychology in the team"),
    T(K_IN_HOUSE_PLACES, "psychiatry: 20, therapy: 2",
      "assumption: a CMHT of about 10 care coordinators with about 1.5 medical posts holds "
      "outpatient psychiatric reviews for about 200 clients at once, and one clinical "
      "psychologist a therapy caseload of about 20"),
    V(K_LINKAGE, 0.5, SRC_DERIVED),
    V(K_LINKAGE_DAYS, 14, "derived (assumption)"),
    V(K_DISENGAGE, 0.09,
      "0.18 / 2: 24% lost contact in 18 months in standard care (intensive community support "
      "trial, control arm); the other half at missed contacts (missed_disengage, assumption)"),
    V(K_MISSED_DISENGAGE, 0.025,
      "derived: half of 0.18 a year over 3.65 missed contacts a client-year at the target rate "
      "(52.18 x 0.35 x 0.2); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 0.48,
      "derived: a post's contact hours a week at 35 clients over them, (25.43 - 35 x 0.25) / 35. "
      "UK trials found caseloads of 30-35 no worse than 10-15 for the same package (UK700, Byford "
      "et al. 2000; REACT CMHT 1:35; Dieterich et al. 2017, ICM vs non-ICM MD -0.08 days a month), "
      "so the full effect holds to 35"),
    T(K_COVER, "office", "CMHT office hours; crisis team covers the rest"),
    V(K_FOLLOWUP, 0.97,
      "CPA follow-up within 7 days 96.6-97.2% (Department of Health, Mental Health Community "
      "Teams Activity 2010-12)"),
    V(K_EPISODE, 540, "derived (assumption): about 18 months of coordination"),
    V(K_EPISODE_SD, 360, "derived (assumption)"),
    T(K_MIN_SEV, "moderate", "moderate to complex SMI (CMHT eligibility)"),
    V(K_MIN_PRIOR, 0, "no history required"),
    END,
};

static const struct preset_value broker[] = {
    STAFFING,
    V(K_ADMIN, 0.27,
      "derived: 0.55 in all (Liu et al. 2007: more time on ancillary tasks than contact) less the "
      "0.25 h per client-week at the caseload limit of 40 (16.1 contact hours kept)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 40,
      "brokerage caseloads larger than clinical ones (Mueser et al. 1998); 30-50 "
      "derived"),
    T(K_CASELOAD, "individual", "broker case management"),
    V(K_RATE, 0.25, "linkage-focused work, half by telephone (derived)"),
    V(K_MINUTES, 50, "25 min, half by telephone, plus notes and referral work (derived)"),
    V(K_DNA, 0.25, "derived from Mitchell & Selmes 2007 (20%) for less assertive contact"),
    T(K_IN_HOUSE, "", "none: every need by referral"),
    V(K_LINKAGE, 0.7, "referral is the core task (derived)"),
    V(K_LINKAGE_DAYS, 7, "fast referral (derived)"),
    V(K_DISENGAGE, 0.063,
      "0.126 / 2: case management lost to follow-up RR 0.7 (Marshall et al., Cochrane CD000050); "
      "the other half at missed contacts (missed_disengage, assumption)"),
    V(K_MISSED_DISENGAGE, 0.019,
      "derived: half of 0.126 a year over 3.26 missed contacts a client-year at the target rate "
      "(52.18 x 0.25 x 0.25); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 0.31,
      "derived as for standard care: a post's 14.5 contact hours a week at 7/6 of the caseload "
      "limit of 40 (assumption)"),
    T(K_COVER, "office", "office hours"),
    V(K_FOLLOWUP, 0.70, "derived (US-style follow-up rates are lower than CPA's)"),
    V(K_EPISODE, 540, "derived (assumption)"),
    V(K_EPISODE_SD, 360, "derived (assumption)"),
    T(K_MIN_SEV, "moderate", "moderate to complex SMI"),
    V(K_MIN_PRIOR, 0, "no history required"),
    V(K_REFER_DETECTED, 1,
      "case management's extra admissions: detection of need without the means to treat at "
      "home (Marshall et al., Cochrane CD000050; Ziguras & Stuart 2000)"),
    END,
};

static const struct preset_value clinical_cm[] = {
    STAFFING,
    V(K_ADMIN, 0.31,
      "derived: 0.45 in all (assumption) less the 0.25 h per client-week at the caseload limit of "
      "20 (19.7 contact hours kept)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 20, "Issakidis et al. 1999: clinical case management up to 30; 20 derived"),
    T(K_CASELOAD, "individual", "clinical case management"),
    V(K_RATE, 0.5,
      "48 contacts per FTE-month (Burns et al. 2007) over a caseload of 20, "
      "derived"),
    V(K_MINUTES, 90, "45 min face to face plus travel and notes (derived)"),
    V(K_DNA, 0.18, "derived from Mitchell & Selmes 2007"),
    T(K_IN_HOUSE, "psychiatry", "clinical case manager provides treatment"),
    T(K_IN_HOUSE_PLACES, "psychiatry: 20",
      "assumption: treatment by the case manager and the team's doctor for the caseload limit of "
      "20 at most"),
    V(K_LINKAGE, 0.5, SRC_DERIVED),
    V(K_LINKAGE_DAYS, 14, "derived (assumption)"),
    V(K_DISENGAGE, 0.063,
      "0.126 / 2: case management lost to follow-up RR 0.7 (Marshall et al.); the other half at "
      "missed contacts (missed_disengage, assumption)"),
    V(K_MISSED_DISENGAGE, 0.013,
      "derived: half of 0.126 a year over 4.70 missed contacts a client-year at the target rate "
      "(52.18 x 0.5 x 0.18); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 0.81,
      "derived as for standard care: a post's 18.9 contact hours a week at 7/6 of the caseload "
      "limit of 20 (assumption)"),
    T(K_COVER, "office", "office hours"),
    V(K_FOLLOWUP, 0.90, "derived (assumption)"),
    V(K_EPISODE, 540, "derived (assumption)"),
    V(K_EPISODE_SD, 360, "derived (assumption)"),
    T(K_MIN_SEV, "moderate", "moderate to complex SMI"),
    V(K_MIN_PRIOR, 0, "no history required"),
    END,
};

static const struct preset_value strengths[] = {
    STAFFING,
    V(K_ADMIN, 0.30,
      "derived: 0.45 in all (assumption) less the 0.25 h per client-week at the caseload limit of "
      "22 (19.6 contact hours, 19.7 before)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 22, "strengths-based caseloads about 20-25"),
    T(K_CASELOAD, "individual", "strengths-based case management"),
    V(K_RATE, 0.4, "standard-care contact rate, derived"),
    V(K_MINUTES, 95, "60 min face to face plus travel and notes (derived)"),
    V(K_DNA, 0.18, "derived from Mitchell & Selmes 2007"),
    T(K_IN_HOUSE, "", "needs met by referral and community resources"),
    V(K_LINKAGE, 0.8, "fewer unmet needs (Gelkopf et al. 2016; Bjorkman et al. 2002), derived"),
    V(K_LINKAGE_DAYS, 10, "derived (assumption)"),
    V(K_DISENGAGE, 0.072,
      "0.144 / 2: 0.18 x 0.8, derived; the other half at missed contacts (missed_disengage, "
      "assumption)"),
    V(K_MISSED_DISENGAGE, 0.019,
      "derived: half of 0.144 a year over 3.76 missed contacts a client-year at the target rate "
      "(52.18 x 0.4 x 0.18); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 0.73,
      "derived as for standard care: a post's 18.7 contact hours a week at 7/6 of the caseload "
      "limit of 22 (assumption)"),
    T(K_COVER, "office", "office hours"),
    V(K_FOLLOWUP, 0.90, "derived (assumption)"),
    V(K_EPISODE, 540, "derived (assumption)"),
    V(K_EPISODE_SD, 360, "derived (assumption)"),
    T(K_MIN_SEV, "moderate", "moderate to complex SMI"),
    V(K_MIN_PRIOR, 0, "no history required"),
    END,
};

static const struct preset_value icm[] = {
    STAFFING,
    V(K_ADMIN, 0.37,
      "derived: 0.45 in all (assumption) less the 0.25 h per client-week at the caseload limit of "
      "12 (19.6 contact hours, 19.7 before)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 12,
      "Cochrane ICM definition <= 20 (Dieterich et al. 2017); UK700 10-15; REACT "
      "1:12"),
    T(K_CASELOAD, "individual", "intensive case management"),
    V(K_RATE, 0.9, "48 contacts per FTE-month (Burns et al. 2007) over a caseload of 12"),
    V(K_MINUTES, 100,
      "50 min face to face plus travel and notes; about 11 contacts per "
      "post-week (Burns et al. 2007)"),
    V(K_DNA, 0.15, "derived: in-vivo outreach, better engagement (REACT)"),
    T(K_IN_HOUSE, "psychiatry", "ICM team psychiatry"),
    T(K_IN_HOUSE_PLACES, "psychiatry: 12",
      "assumption: the team's psychiatrist reviews the whole caseload (limit 12 per post) at most"),
    V(K_LINKAGE, 0.6, "referral with accompanying (derived)"),
    V(K_LINKAGE_DAYS, 10, "derived (assumption)"),
    V(K_DISENGAGE, 0.09, SRC_LOST_HAZARD),
    V(K_MISSED_DISENGAGE, 0.0097,
      "derived: standard care's 0.025 a missed contact at its 20-day interval, scaled to ICM's "
      "7.8-day interval (a miss leaves a gap of one interval)"),
    V(K_ASSERTIVE, 1, "ICM: in-vivo outreach to clients who disengage (Dieterich et al. 2017)"),
    V(K_FULL_EFFECT_HOURS, 1.36,
      "derived as for standard care: a post's 19.1 contact hours a week at 7/6 of the caseload "
      "limit of 12 (assumption)"),
    T(K_COVER, "office", "extended office hours"),
    V(K_FOLLOWUP, 0.95, "derived (assumption)"),
    V(K_EPISODE, 730, "derived (assumption)"),
    V(K_EPISODE_SD, 365, "derived (assumption)"),
    T(K_MIN_SEV, "high", "high-use SMI (REACT, UK700 eligibility)"),
    V(K_MIN_PRIOR, 1, "high prior hospital use (Burns et al. 2007 BMJ)"),
    END,
};

static const struct preset_value act[] = {
    STAFFING,
    V(K_ADMIN, 0.33,
      "derived: 0.40 in all (assumption) less the 0.25 h per client-week at the caseload limit of "
      "10 (21.5 contact hours a post kept)"),
    V(K_ADMIN_CLIENT, 0.25, SRC_ADMIN_CPA),
    V(K_LIMIT, 10, "DACTS small-caseload anchor 10:1; Stein & Santos 8-12"),
    T(K_CASELOAD, "team", "ACT: shared team caseload (Phillips et al. 2001)"),
    V(K_RATE, 1.5, "about 65 min per client-week face to face under ACT (FACT evaluation)"),
    V(K_MINUTES, 80,
      "45 min face to face (1.5 x 45 = 68 min per client-week) plus travel "
      "and notes (derived)"),
    V(K_DNA, 0.10, "derived: in-vivo, assertive contact"),
    T(K_IN_HOUSE, "psychiatry, substance_use, housing, employment",
      "ACT principles: services provided directly, not brokered (Phillips et al. 2001)"),
    T(K_IN_HOUSE_PLACES, "psychiatry: 10, substance_use: 3, housing: 3, employment: 3",
      "assumption: the team psychiatrist for the whole caseload (10 per post); substance-use, "
      "housing and employment specialists, about 2 of each per 100 clients (DACTS staffing "
      "anchors, Teague, Bond & Drake 1998) with about 15 clients each, 3 per post"),
    V(K_LINKAGE, 0.8, "in-house services (derived)"),
    V(K_LINKAGE_DAYS, 7, "derived (assumption)"),
    V(K_DISENGAGE, 0.09, SRC_LOST_HAZARD),
    V(K_MISSED_DISENGAGE, 0.0058,
      "derived: standard care's 0.025 a missed contact at its 20-day interval, scaled to ACT's "
      "4.7-day interval (a miss leaves a gap of one interval)"),
    V(K_ASSERTIVE, 1, "ACT principles: assertive engagement (Phillips et al. 2001)"),
    V(K_FULL_EFFECT_HOURS, 1.81,
      "derived as for standard care: a post's 21.1 contact hours a week at 7/6 of the caseload "
      "limit of 10 (assumption)"),
    T(K_COVER, "24h", "ACT principles: 24-hour availability"),
    V(K_FOLLOWUP, 0.98, "derived (assumption)"),
    V(K_EPISODE, 1095, "no time limit in ACT; 3 years derived"),
    V(K_EPISODE_SD, 540, "derived (assumption)"),
    T(K_MIN_SEV, "high", "high-use SMI with difficulty engaging (REACT)"),
    V(K_MIN_PRIOR, 1, "REACT eligibility: repeated admissions"),
    END,
};

static const struct preset_value collaborative_care[] = {
    STAFFING,
    V(K_ADMIN, 0.33,
      "derived: 0.55 in all (Liu et al. 2007: ancillary tasks exceed direct contact) less the 0.1 "
      "h per client-week at the caseload limit of 80 (16.0 contact hours, 16.1 before)"),
    V(K_ADMIN_CLIENT, 0.10,
      "assumption: registry upkeep and the weekly caseload review with the consulting "
      "psychiatrist, "
      "about 6 min a client-week; each call's own ancillary work is in contact_minutes (Liu et al. "
      "2007)"),
    V(K_LIMIT, 80, "AIMS Center caseload guidance 60-120 per care manager"),
    T(K_CASELOAD, "individual", "care manager in primary care"),
    V(K_RATE, 0.35, "follow-up every 2-4 weeks by telephone (AIMS, Liu et al. 2007)"),
    V(K_MINUTES, 55, "Liu et al. 2007: follow-up call 51-60 min total incl. ancillary tasks"),
    V(K_DNA, 0.10, "failed call attempts (Liu et al. 2007), derived"),
    T(K_IN_HOUSE, "therapy", "care manager delivers brief psychological care"),
    T(K_IN_HOUSE_PLACES, "therapy: 40",
      "assumption: brief psychological care for half the caseload limit of 80 at once"),
    V(K_LINKAGE, 0.5, SRC_DERIVED),
    V(K_LINKAGE_DAYS, 14, "derived (assumption)"),
    V(K_DISENGAGE, 0.09,
      "0.18 / 2: derived (assumption); the other half at missed contacts (missed_disengage, "
      "assumption)"),
    V(K_MISSED_DISENGAGE, 0.049,
      "derived: half of 0.18 a year over 1.83 missed contacts a client-year at the target rate "
      "(52.18 x 0.35 x 0.1); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 0.16,
      "derived as for standard care: a post's 14.7 contact hours a week at 7/6 of the caseload "
      "limit of 80 (assumption)"),
    T(K_COVER, "none", "primary care"),
    V(K_FOLLOWUP, 0.70, "derived (assumption)"),
    V(K_EPISODE, 365, "IMPACT: up to 12 months of care management"),
    V(K_EPISODE_SD, 90, "derived (assumption)"),
    T(K_MIN_SEV, "low", "depression and anxiety in primary care"),
    V(K_MIN_PRIOR, 0, "no history required"),
    END,
};

static const struct preset_value crisis_home_treatment[] = {
    STAFFING,
    V(K_ADMIN, 0.22,
      "derived: 0.30 in all (assumption) less the 0.5 h per client-week at the caseload limit of 6 "
      "(24.9 contact hours, 25.1 before)"),
    V(K_ADMIN_CLIENT, 0.50,
      "assumption: a handover and risk review of every client each working day, about 6 min, plus "
      "the episode's records"),
    V(K_LIMIT, 6, "derived (assumption): daily visits"),
    T(K_CASELOAD, "team", "crisis resolution team"),
    V(K_RATE, 7.0, "daily home visits (derived)"),
    V(K_MINUTES, 75, "45 min visit plus travel and notes (derived)"),
    V(K_DNA, 0.05, "derived (assumption)"),
    /* A crisis service, not a coordinator's contact: its own detection and resolution. */
    V(K_DETECT, 0.9, SRC_DERIVED),
    V(K_RESOLVE, 0.7,
      "admission avoided in about 55% of home-care episodes (Joy et al. 2006), "
      "derived"),
    T(K_IN_HOUSE, "psychiatry", "crisis team psychiatry"),
    T(K_IN_HOUSE_PLACES, "psychiatry: 6", "assumption: the whole caseload (limit 6 per post)"),
    V(K_LINKAGE, 0.3, SRC_DERIVED),
    V(K_LINKAGE_DAYS, 7, "derived (assumption)"),
    V(K_DISENGAGE, 0.09,
      "0.18 / 2: derived (assumption); the other half at missed contacts (missed_disengage, "
      "assumption)"),
    V(K_MISSED_DISENGAGE, 0.0049,
      "derived: half of 0.18 a year over 18.3 missed contacts a client-year at the target rate "
      "(52.18 x 7.0 x 0.05); Mitchell & Selmes 2007: up to half of those who miss appointments "
      "drop out"),
    V(K_FULL_EFFECT_HOURS, 3.49,
      "derived as for standard care: a post's 24.4 contact hours a week at 7/6 of the caseload "
      "limit of 6 (assumption)"),
    T(K_COVER, "24h", "24-hour crisis resolution teams (Glover et al. 2006)"),
    V(K_FOLLOWUP, 0.95, "derived (assumption)"),
    V(K_EPISODE, 25, "crisis episode about 3-4 weeks"),
    V(K_EPISODE_SD, 10, "derived (assumption)"),
    T(K_MIN_SEV, "high", "crisis severe enough for admission to be considered (Johnson 2005)"),
    V(K_MIN_PRIOR, 0, "no history required"),
    END,
};

static const struct preset_value *const presets[] = {
    standard_care,         broker, clinical_cm, strengths, icm, act, collaborative_care,
    crisis_home_treatment, NULL,
};

#undef V
#undef T
#undef END
#undef STAFFING

/* Parses the comma-separated service list of in_house against the scenario's services. */
static bool parse_in_house(struct cfg *c, const config_setting_t *s, const char *text,
                           const struct care_params *p, struct care_model *m)
{
    bool ok = true;
    char name[128];

    for (const char *q = text; *q;) {
        while (*q == ' ' || *q == ',') {
            q++;
        }
        size_t len = strcspn(q, ", ");
        if (len == 0) {
            break;
        }
        snprintf(name, sizeof name, "%.*s", (int)len, q);
        int found = -1;
        for (int i = 0; i < p->n_services; i++) {
            if (strcmp(p->service[i].name, name) == 0) {
                found = i;
            }
        }
        if (found < 0) {
            char list[1024] = "";
            size_t n = 0;
            for (int i = 0; i < p->n_services && n < sizeof list; i++) {
                int w = snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "",
                                 p->service[i].name);
                n += w > 0 ? (size_t)w : 0;
            }
            const config_setting_t *e = config_setting_get_member(s, "in_house");
            if (e) {
                cfg_error(c, e, "no service named \"%s\" (%s)", name, list);
            } else {
                cfg_error_key(c, s, "in_house", "no service named \"%s\" (%s)", name, list);
            }
            ok = false;
        } else {
            m->in_house[found] = true;
        }
        q += len;
    }
    return ok;
}

/* Parses in_house_places, "SERVICE: PLACES, ..." (places per filled post), against the
 * scenario's services; a service not named keeps no limit (-1). */
static bool parse_in_house_places(struct cfg *c, const config_setting_t *s, const char *text,
                                  const struct care_params *p, struct care_model *m)
{
    const config_setting_t *e = config_setting_get_member(s, "in_house_places");
    char name[128];

    for (int i = 0; i < CARE_MAX_SERVICES; i++) {
        m->in_house_places[i] = -1.0;
    }
    for (const char *q = text; *q;) {
        while (*q == ' ' || *q == ',') {
            q++;
        }
        if (!*q) {
            break;
        }
        size_t len = strcspn(q, ": ,");
        snprintf(name, sizeof name, "%.*s", (int)len, q);
        q += len;
        while (*q == ' ') {
            q++;
        }
        char *end = NULL;
        double v = NAN;
        if (*q == ':') {
            v = strtod(q + 1, &end);
        }
        int found = -1;
        for (int i = 0; i < p->n_services; i++) {
            if (strcmp(p->service[i].name, name) == 0) {
                found = i;
            }
        }
        const char *what = NULL;
        if (len == 0 || !end || end == q + 1 || !(v >= 0.0 && v <= 1000.0)) {
            what = "is not SERVICE: PLACES with PLACES in 0..1000 (e.g. \"psychiatry: 20\")";
        } else if (found < 0) {
            what = "names no service of the scenario";
        }
        if (what) {
            char list[1024] = "";
            size_t n = 0;
            for (int i = 0; found < 0 && i < p->n_services && n < sizeof list; i++) {
                int w = snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : " (",
                                 p->service[i].name);
                n += w > 0 ? (size_t)w : 0;
            }
            const char *close = found < 0 && n > 0 ? ")" : "";
            if (e) {
                cfg_error(c, e, "\"%s\" %s%s%s", name, what, list, close);
            } else {
                cfg_error_key(c, s, "in_house_places", "\"%s\" %s%s%s", name, what, list, close);
            }
            return false;
        }
        m->in_house_places[found] = v;
        q = end;
        while (*q == ' ') {
            q++;
        }
        if (*q && *q != ',') {
            cfg_error(c, e ? e : s, "\"%s\" is not followed by a comma", name);
            return false;
        }
    }
    return true;
}

bool care_model_load(struct cfg *c, const config_setting_t *s, const struct care_params *p,
                     struct care_model *m)
{
    bool ok = true;
    int preset = 0;

    memset(m, 0, sizeof *m);
    if (!config_setting_is_group(s)) {
        cfg_error(c, s, "not a coordination model (a group { name = ...; preset = ...; })");
        m->name = xstrdup("?"); /* never NULL: the caller compares names (fuzz finding) */
        return false;
    }
    ok &= cfg_check_keys(c, s, &care_models_table);
    bool has_preset = cfg_get_choice(c, s, &model_keys[K_PRESET], &preset);
    ok &= has_preset;
    /* Filled even when other keys are wrong, so that only the real mistakes are reported. */
    /* An episode distribution replaces the preset's lognormal mean and sd. */
    const config_setting_t *episode = config_setting_get_member(s, "episode");
    if (has_preset && preset >= 0 && presets[preset]) {
        for (const struct preset_value *pv = presets[preset]; pv->key >= 0; pv++) {
            if (!(episode && (pv->key == K_EPISODE || pv->key == K_EPISODE_SD))) {
                cfg_fill(c, s, &model_keys[pv->key], pv->v, pv->text, pv->source);
            }
        }
    }
    /* Detection and resolution are the region's (coordination.detect, resolve) unless the model
     * sets its own. */
    if (has_preset) {
        cfg_fill(c, s, &model_keys[K_DETECT], p->detect, NULL,
                 "coordination.detect: common to every model, estimated (docs/validation.md)");
        cfg_fill(c, s, &model_keys[K_RESOLVE], p->resolve, NULL,
                 "coordination.resolve: common to every model, estimated (docs/validation.md)");
    }
    m->preset = preset >= 0 ? preset_names[preset] : "none";

    m->max_severity = CARE_N_SEVERITY - 1; /* kept if max_severity is wrong */
    ok &= cfg_read_targets(c, s, &care_models_table, m);
    if (!m->name) {
        m->name = xstrdup("?");
    }
    const char *in_house = NULL;
    ok &= cfg_get_string(c, s, &model_keys[K_IN_HOUSE], &in_house) && in_house &&
          parse_in_house(c, s, in_house, p, m);
    const char *places = NULL;
    ok &= cfg_get_string(c, s, &model_keys[K_IN_HOUSE_PLACES], &places) &&
          parse_in_house_places(c, s, places ? places : "", p, m);
    const config_setting_t *g = NULL;
    if (!cfg_get_group(c, s, &model_keys[K_EPISODE_DIST], &g)) {
        ok = false;
    } else if (g) {
        for (int k = K_EPISODE; k <= K_EPISODE_SD; k++) {
            const config_setting_t *e = config_setting_get_member(s, model_keys[k].name);
            if (e) {
                cfg_error(c, e,
                          "given with episode (either episode, or episode_days and "
                          "episode_sd_days)");
                ok = false;
            }
        }
        ok &= dist_load(c, g, &m->episode);
    } else {
        double ep = 0, ep_sd = 0;
        ok &= cfg_get_real(c, s, &model_keys[K_EPISODE], &ep);
        ok &= cfg_get_real(c, s, &model_keys[K_EPISODE_SD], &ep_sd);
        if (ok) {
            dist_set(&m->episode, DIST_LOGNORMAL, ep, ep_sd, 0.0);
        }
    }
    if (ok && m->max_severity < m->min_severity) {
        cfg_error(c, config_setting_get_member(s, "max_severity"),
                  "\"%s\" is below min_severity \"%s\" (max_severity >= min_severity)",
                  care_severity_names[m->max_severity], care_severity_names[m->min_severity]);
        ok = false;
    }
    g = NULL;
    if (!cfg_get_group(c, s, &model_keys[K_PATIENCE], &g)) {
        ok = false;
    } else if (g) {
        m->has_patience = dist_load(c, g, &m->patience);
        ok &= m->has_patience;
    }
    if (m->assertive) {
        m->disengagement *= 1.0 - p->outreach;
    }
    m->filled = (int)floor(m->posts * (1.0 - m->vacancy_rate) + 0.5);
    return ok;
}

const char *care_model_fallback_name(struct cfg *c, const config_setting_t *s)
{
    const char *f = NULL;
    cfg_get_string(c, s, &model_keys[K_FALLBACK], &f);
    return f;
}
