/*
 * care_int — the care-coordination model's internal declarations, shared by models/care*.c only.
 * Other layers see the model through models/care.h (its model_ops) and models/model.h.
 *
 * Clients are referred (care_referral.c), triaged to a coordination model and assessed
 * (care_coord.c), wait for a coordinator slot, receive contacts under their coordinators'
 * weekly hours, have their needs linked to services (care_services.c), and move through a
 * stable -> deteriorating -> crisis process that ends at the crisis team, the ED or a bed
 * (care_crisis.c). Coordination models are data: presets with published defaults
 * (care_presets.c), overridable key by key. care.c loads the scenario, runs a replication,
 * audits conservation and publishes the metrics. docs/model.md describes the model.
 *
 * Time is in days. Every draw that belongs to a client comes from the client's own
 * substreams, keyed by the client's referral index (its serial number), so that scenarios
 * compared with common random numbers see the same clients. Parameters are immutable after load
 * and shared by threads; a struct care_run belongs to one replication.
 *
 * Client records: run->cl is a table of slots. Events and queues name a client by its slot;
 * substreams and traces by its serial. A client who has left the model for good (dormant, with
 * no event of its own pending) gives its slot back (care_release), and the next referral takes
 * it, so the table follows the clients present rather than every client ever referred. A slot's
 * generation is odd while it holds a client and even while free (care_client_is_live).
 */
#ifndef CCSIM_MODELS_CARE_INT_H
#define CCSIM_MODELS_CARE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "models/care.h"
#include "models/model.h"
#include "sim/dist.h"
#include "sim/pool.h"
#include "sim/queue.h"
#include "sim/rng.h"
#include "sim/schedule.h"
#include "sim/sim.h"
#include "sim/tally.h"

#define CARE_N_SEVERITY    4 /* low, moderate, high, complex */
#define CARE_MAX_NEEDS     8
#define CARE_MAX_MODELS    16
#define CARE_MAX_SERVICES  16
#define CARE_MAX_SOURCES   8
#define CARE_MAX_STEPS     16
#define CARE_MAX_CLOSURES  8
#define CARE_MAX_PLAN      32   /* coordination.posts_plan[] entries */
#define CARE_MAX_MOVES     8    /* coordination.moves[] entries */
#define CARE_SIGNPOST      (-1) /* fallback: signposted away */
#define CARE_DAYS_PER_YEAR 365.25
#define CARE_MAX_ATTRS     8  /* attributes[] entries */
#define CARE_MAX_LEVELS    16 /* levels of one attribute */

extern const char *const care_severity_names[];

/* ---- parameters (immutable, shared) ------------------------------------------------------- */

/* One client of a snapshot (initial.snapshot, docs/model.md section 4.1). */
struct care_initial {
    int stage; /* enum care_stage: waiting, coordinated, or out of the service but followed */
    uint8_t severity;
    uint16_t needs;
    uint16_t met;          /* needs already met */
    double days;           /* already spent in the stage */
    int model;             /* -1: the front door (or none, out of the service) */
    uint8_t risk;          /* enum care_risk */
    int prior_admissions;  /* -1: drawn as at a referral */
    int admissions;        /* since the current referral */
    double frailty;        /* 0: drawn as at a referral */
    double engagement;     /* 0: drawn as at a referral */
    int hospital;          /* 0 none, 1 a local bed, 2 out of area */
    double hospital_days;  /* of the stay so far */
    double discharge_days; /* since the last discharge; NAN: none */
    bool followed_up;      /* the last discharge was followed up within 7 days */
    double episode_factor; /* multiplier on the coordination episode (pressure), 1 unless given */
    bool foreign_model;    /* named a model the scenario does not have: triaged as a referral */
};

struct care_need {
    char *name;
    double p[CARE_N_SEVERITY]; /* probability a client of each severity has it */
    int service;               /* index of the service that meets it */
};

struct care_service {
    char *name;
    int places;
    struct dist length; /* days a place is held */
    bool open_day[7];   /* days of the week intake happens (day 0 = Monday) */
    int n_closures;
    double closed_from[CARE_MAX_CLOSURES], closed_to[CARE_MAX_CLOSURES];
};

enum care_caseload { CASELOAD_INDIVIDUAL, CASELOAD_TEAM };
/* How a contact's effect falls below the full-effect time per client (care_coord.c). */
enum care_effect_shape { EFFECT_NONE, EFFECT_LINEAR, EFFECT_SATURATING };
/* How assessors serve the assessment waiting list: each one client at a time, or the whole
 * team as a single line at the pooled speed. */
enum care_assess_service { ASSESS_INDIVIDUAL, ASSESS_POOLED };
enum care_cover { COVER_NONE, COVER_OFFICE, COVER_24H };
/* The order in which a waiting list is served (assessment.priority, coordination.priority):
 * first come first served, urgent referrals first, highest severity first, or highest individual
 * risk first (the client's deterioration rate, severity x frailty); first come first served
 * among equals. */
enum care_priority { PRIORITY_FIFO, PRIORITY_URGENT_FIRST, PRIORITY_SEVERITY, PRIORITY_RISK };
/* The crisis process: the stable -> deteriorating -> crisis states with their feedback, or a
 * plain Poisson process on the caseload whose crises are journeys of their own. */
enum care_risk_process { RISK_PROCESS_STATES, RISK_PROCESS_POISSON };

/* A coordination model: every mechanism input, from a preset and the scenario. */
struct care_model {
    char *name;
    const char *preset;
    int posts;             /* funded coordinator posts */
    double vacancy_rate;   /* share of posts unfilled */
    double sickness;       /* share of filled hours lost to absence */
    double hours_per_week; /* per post */
    double admin_share;    /* share of hours not available for contacts, whatever the caseload */
    double admin_hours_per_client; /* weekly non-contact hours each client held takes */
    int caseload_limit;            /* clients per filled post */
    enum care_caseload caseload;
    double contact_rate;    /* target contacts per client per week */
    double contact_minutes; /* per contact */
    double dna;             /* probability a contact is missed by the client */
    double detect;          /* probability a contact during deterioration detects it */
    double resolve;         /* probability a detected deterioration is resolved */
    bool in_house[CARE_MAX_SERVICES];
    /* in-house places per filled post of each in-house service; < 0: without limit */
    double in_house_places[CARE_MAX_SERVICES];
    int in_house_refer;           /* in-house places full: 1 refer out, 0 wait for one */
    double linkage;               /* probability a contact links an unmet need by referral */
    double linkage_hours;         /* coordinator hours a linkage takes from its unit */
    double crisis_response_hours; /* coordinator hours the team's crisis response takes */
    double linkage_days;          /* mean delay from the decision to the referral arriving */
    double disengagement;         /* hazard per client-year, other than after a contact */
    double missed_disengage;      /* probability that a missed contact ends the engagement */
    bool assertive;               /* assertive outreach: x (1 - coordination.outreach) */
    bool refer_detected;          /* a detected deterioration not averted goes to crisis services */
    enum care_effect_shape effect_shape;
    double full_effect_hours; /* contact hours per client-week for a contact's full effect */
    double effect_floor;      /* a contact's effect as the time per client tends to 0 */
    enum care_cover crisis_cover;
    double followup_7d;  /* probability of follow-up within 7 days of discharge */
    struct dist episode; /* days of coordination until step-down */
    int min_severity;    /* eligibility: severity in [min, max] and enough prior admissions */
    int max_severity;
    int min_prior_admissions;
    int fallback; /* model index or CARE_SIGNPOST */
    bool has_patience;
    struct dist patience; /* days a client waits for a slot before giving up */
    /* derived */
    int filled;     /* posts filled after vacancies */
    int max_filled; /* the most filled posts at any time of coordination.posts_plan[] */
};

/* A change of a model's funded posts at a day (coordination.posts_plan[], care_coord.c). */
struct care_posts_change {
    double day;
    int model;
    int posts;
    int filled; /* after the model's vacancy rate */
};

/* Who a trial enrols (trial.population, care_trial.c). */
enum care_trial_population { TRIAL_COORDINATED, TRIAL_CRISIS };

/* A randomised trial emulated in the region (the `trial` group, care_trial.c). */
struct care_trial {
    bool on;
    int population;           /* enum care_trial_population */
    double enrol_at;          /* the day of enrolment, or the first day of the enrolment period */
    double enrol_days;        /* population crisis: length of the enrolment period */
    double follow_up;         /* days each participant is followed from enrolment */
    double window;            /* days before enrolment the use criteria look back over */
    int min_admissions;       /* eligible: at least this many admissions in the window, or */
    double min_bed_days;      /*   at least this many bed-days (neither asked: no criterion) */
    int min_severity;         /* eligible from this severity up */
    int from;                 /* model coordinating the participants at enrolment, -1 any */
    int arm;                  /* model the participants move to at enrolment, -1: they stay */
    bool crisis_team;         /* participants may use the crisis team during follow-up */
    int participants;         /* at most this many (0: every eligible client) */
    double subgroup_bed_days; /* window bed-days per month splitting the subgroups, 0: none */
};

/* How a move ranks the clients of its source model (coordination.moves[].rank_by). */
enum care_rank { RANK_RISK, RANK_SEVERITY, RANK_PRIOR_ADMISSIONS, RANK_RECENT_ADMISSIONS };

/* The clients of one model moved to another at a day (coordination.moves[], care_coord.c). */
struct care_move {
    double day;
    int from, to;
    int clients;
    int rank_by; /* enum care_rank */
};

/* A declared attribute of clients (attributes[], care_groups.c): its levels, their shares and
 * their multipliers on the client's rates (1 where the scenario gives none). */
struct care_attribute {
    char *name;
    int n_levels;
    char *level[CARE_MAX_LEVELS];
    double cum[CARE_MAX_LEVELS];       /* cumulative shares, the last 1 */
    double missed[CARE_MAX_LEVELS];    /* on the probability a contact is missed */
    double disengage[CARE_MAX_LEVELS]; /* on the disengagement hazard */
};

struct care_params {
    /* referrals */
    double referral_rate;     /* per day, mean over a week */
    double weekly_profile[7]; /* multipliers, mean 1 */
    double profile_max;
    int n_steps;
    double step_from[CARE_MAX_STEPS], step_factor[CARE_MAX_STEPS];
    int n_sources;
    char *source_name[CARE_MAX_SOURCES];
    double source_cum[CARE_MAX_SOURCES];
    double severity_cum[CARE_N_SEVERITY];     /* the region's (sources without their own) */
    double prior_admissions[CARE_N_SEVERITY]; /* the region's means by severity */
    double urgent;                            /* the region's share of urgent referrals */
    /* each source's own, or the region's where the source gives none (referrals.sources[]) */
    double source_severity_cum[CARE_MAX_SOURCES][CARE_N_SEVERITY];
    double source_prior[CARE_MAX_SOURCES][CARE_N_SEVERITY];
    double source_urgent[CARE_MAX_SOURCES];
    double risk_sd, engagement_sd;
    int n_needs;
    struct care_need need[CARE_MAX_NEEDS];
    double population; /* adults in the region, for reporting */

    /* assessment */
    int assessors;
    enum care_assess_service assess_service;
    double assess_vacancy, assess_sickness, assess_hours, assess_admin, assess_hours_each;
    struct dist assess_length; /* hours */
    bool has_assess_patience;
    struct dist assess_patience;
    bool has_assess_schedule;
    struct schedule assess_schedule;    /* 1 when assessments take place */
    enum care_priority assess_priority; /* order of the assessment waiting list */

    /* coordination */
    int front_door;
    int n_models;
    struct care_model model[CARE_MAX_MODELS];
    struct dist signposted_period;
    enum care_priority coord_priority; /* order of every model's coordination waiting list */
    double detect, resolve; /* every model's, unless it sets its own (coordination.detect) */
    double outreach;        /* share of an assertive model's disengagement hazard it prevents */
    /* pressure of a long coordination waiting list (docs/model.md 2.2.15); off by default */
    double tighten_at, tighten_span, tighten_max; /* triage: clients; share of the lowest band */
    double pressure_at, pressure_factor;          /* allocation: clients; episode multiplier */

    /* services */
    int n_services;
    struct care_service service[CARE_MAX_SERVICES];

    /* risk */
    double deteriorate[CARE_N_SEVERITY]; /* per day */
    double crisis_rate, recovery_rate;   /* per day, from deteriorating */
    double unmet_factor;
    double post_discharge_days, post_discharge_factor, followup_effect;
    double recovered_factor; /* after step-down */
    double follow_days;      /* how long clients out of the service stay at risk in the model */
    double exit_rate;        /* per day: leaving the region (moving away, death) */
    enum care_risk_process risk_process;
    double poisson_rate; /* per day: crises of a coordinated client, with RISK_PROCESS_POISSON */

    /* crisis team, ED, hospital */
    int crt_places;
    bool has_crt_hours;
    struct schedule crt_hours; /* 1 when the crisis team takes new cases */
    struct dist crt_episode;
    double crt_p_admit;
    bool crt_gatekeeping; /* the crisis team assesses every admission the team or ED considers */
    double crt_gatekeeping_or; /* odds ratio on the admission odds when it does */
    double ed_p_admit[CARE_N_SEVERITY];
    double ed_known_factor;
    bool has_ed_time;
    struct dist ed_time; /* days in the ED before an admitted journey joins the bed queue */
    int beds;
    struct dist los;
    double boarding_limit_hours;
    double followup_uncoordinated;
    double office_start, office_end; /* hours of the day of "office" crisis cover, Mon-Fri */

    /* unit costs (0 when absent) */
    bool has_costs;
    double cost_bed_day, cost_oap_day, cost_ed_visit, cost_crt_contact, cost_post_year;
    char *currency;       /* costs.currency, e.g. "GBP" (owned) */
    int price_year;       /* costs.price_year: the year whose prices the costs are in */
    char *cost_unit_year; /* "GBP a year, 2023 prices": the unit of every cost metric (owned) */
    char *cost_unit_cy;   /* the same per 100 client-years (owned) */

    /* metric layout */
    int n_metrics;
    struct metric_desc *metric; /* names and labels past the system metrics owned */

    /* the clients present at day 0 (initial.snapshot), or none */
    struct care_initial *initial;
    int n_initial;
    int snapshot_foreign, snapshot_foreign_line; /* rows naming a model the scenario lacks */
    /* output: the end state asked for (output.end_state); metrics per observed year (n_years
     * of them from metric first_year on; 0: none) */
    bool end_state, per_year;
    int n_years, first_year;

    /* posts over time and moves between models (coordination.posts_plan[], moves[]) */
    int n_plan;
    struct care_posts_change plan[CARE_MAX_PLAN];
    int n_moves;
    struct care_move move[CARE_MAX_MOVES];

    /* attributes of clients and the groups outcomes are reported by (care_groups.c): groups
     * on when output.groups, an attribute or a move is declared; group g of kind k; the
     * metrics of the groups from metric first_group on */
    int n_attrs;
    struct care_attribute attr[CARE_MAX_ATTRS];
    bool output_groups, groups;
    int n_groups, first_group;
    int attr_first[CARE_MAX_ATTRS]; /* group of level 0 of each attribute */
    int group_transfer;             /* group of those not moved; + 1: moved */

    /* a trial emulated in the region, if trial.on */
    struct care_trial trial;

    /* testing only: lose track of one client, so that the audit must catch it */
    bool fault_lose_client;
    /* testing only (one thread): where care_run() reports the client table, or NULL */
    struct care_table_probe *probe;
};

/* ---- one replication ---------------------------------------------------------------------- */

enum care_stage {
    STAGE_WAIT_ASSESS,
    STAGE_ASSESSING,
    STAGE_WAIT_COORD,
    STAGE_COORDINATED,
    STAGE_DISCHARGED,
    STAGE_DISENGAGED,
    STAGE_SIGNPOSTED,
    N_STAGES,
};

enum care_risk { RISK_STABLE, RISK_DETERIORATING };

/*
 * What happens to a client, as its journey reports it (model_run.journey, ccsim run --trace;
 * docs/model.md 4.5 lists them with what each means). Each is recorded where the model does it,
 * after the change it makes, so that a row's stage is where the client is once it has happened
 * (a referral's is "referred": triage comes next). The names are care_event_names[], in this
 * order; the rows counted after the warm-up are the counts the metrics are made of (a crisis
 * row for each crisis of crises_per_year, and so on).
 */
enum care_event {
    CARE_EV_INITIAL,          /* present at day 0 (initial.snapshot), in the stage shown */
    CARE_EV_REFERRAL,         /* referred, or referred again */
    CARE_EV_SIGNPOSTED,       /* turned away at triage */
    CARE_EV_TRIAGED,          /* given a model; waits for assessment */
    CARE_EV_ASSESSMENT_START, /* an assessor takes the client */
    CARE_EV_ASSESSED,         /* waits for a coordinator */
    CARE_EV_GAVE_UP_ASSESSMENT,
    CARE_EV_GAVE_UP_COORDINATION,
    CARE_EV_COORDINATED,      /* given a coordinator (a caseload place) */
    CARE_EV_CONTACT,          /* an attended contact */
    CARE_EV_MISSED_CONTACT,   /* a contact the client did not attend */
    CARE_EV_CONTACT_NO_HOURS, /* a contact missed for want of coordinator hours */
    CARE_EV_CONTACT_DELAYED,  /* a contact put off to the next week (hours) */
    CARE_EV_NEED_REFERRED,    /* a need's linkage begun (service: where it goes) */
    CARE_EV_NEED_WAITING,     /* a need on a service's (or the team's in-house) waiting list */
    CARE_EV_NEED_MET,         /* a need met (a place taken, or in house) */
    CARE_EV_MOVED,            /* moved to another model (coordination.moves[], a trial) */
    CARE_EV_STEPPED_DOWN,     /* the coordination episode ended (stage "discharged") */
    CARE_EV_DISENGAGED,       /* lost contact with the coordinator */
    CARE_EV_DETERIORATING,
    CARE_EV_RECOVERED, /* back to stable by itself */
    CARE_EV_DETECTED,  /* a contact noticed the deterioration */
    CARE_EV_RESOLVED,  /* ... and resolved it */
    CARE_EV_CRISIS,
    CARE_EV_TEAM_RESPONSE,  /* the crisis answered by the client's own team */
    CARE_EV_CRISIS_TEAM,    /* answered by the crisis team */
    CARE_EV_ED_VISIT,       /* answered at the ED */
    CARE_EV_HOME_TREATMENT, /* an admission the crisis team diverted (gatekeeping) */
    CARE_EV_ADMISSION,
    CARE_EV_BOARDING,    /* waiting in the ED for a local bed */
    CARE_EV_LOCAL_BED,   /* a local bed taken (at admission, or after boarding) */
    CARE_EV_OUT_OF_AREA, /* a bed outside the region taken (the boarding limit reached) */
    CARE_EV_DISCHARGE,   /* from hospital */
    CARE_EV_FOLLOWED_UP, /* that discharge followed up within 7 days */
    CARE_EV_CRISIS_TEAM_END,
    CARE_EV_EXIT, /* leaves the model: its follow period over, or it left the region */
    CARE_N_EVENTS,
};

/*
 * The random decisions of a client, each with its own substream. Draw k (k = 0, 1, ...) of
 * decision d for client i comes from a generator seeded with
 *
 *     rng_seed_derive(seed, replication, STREAM_CLIENT_CARE or STREAM_CLIENT_RISK,
 *                     d << 56 | k << 32 | i)
 *
 * so it is the same number in every scenario of a comparison, whatever else the client or any
 * other client did: a rejection sampler (gamma lengths) consumes only its own generator, and a
 * decision skipped in one scenario shifts no other. Decisions taken "per occasion" draw whether
 * or not their branch matters (detection on every attended contact, loss of contact on every
 * contact due, linkage for in-house services too, one admission uniform per crisis), so draw k is
 * the k-th occasion in both scenarios. The values are append-only: renumbering changes every
 * result. Attributes at referral come from the client's STREAM_CLIENT substream in a fixed order
 * (c->attr).
 */
enum care_draw {
    CARE_DRAW_ASSESS_PATIENCE = 1, /* care: patience on the assessment waiting list */
    CARE_DRAW_COORD_PATIENCE = 2,  /* care: patience on a coordination waiting list */
    CARE_DRAW_SIGNPOST = 3,        /* care: length of a signposted period */
    CARE_DRAW_ASSESS_LENGTH = 4,   /* care: assessment hours */
    CARE_DRAW_CONTACT_PHASE = 5,   /* care: first contact within the interval */
    CARE_DRAW_EPISODE = 6,         /* care: coordination episode length */
    CARE_DRAW_DISENGAGE = 7,       /* care: time to disengagement */
    CARE_DRAW_DNA = 8,             /* care: did not attend, per contact held */
    CARE_DRAW_DETECT = 9,          /* care: deterioration noticed, per attended contact */
    CARE_DRAW_RESOLVE = 10,        /* care: detected deterioration resolved */
    CARE_DRAW_LOS = 11,            /* care: length of a hospital stay */
    CARE_DRAW_FOLLOWUP = 12,       /* care: followed up within 7 days, per discharge */
    CARE_DRAW_RISK_TIME = 13,      /* risk: time to the next risk event */
    CARE_DRAW_RISK_CRISIS = 14,    /* risk: crisis or recovery */
    CARE_DRAW_CRISIS_ADMIT = 15,   /* risk: admitted, per crisis (team, crisis team or ED) */
    CARE_DRAW_CRT_EPISODE = 16,    /* risk: length of a crisis-team episode */
    CARE_DRAW_ED_TIME = 17,        /* care: time in the ED of an admitted crisis journey */
    CARE_DRAW_LOSE_CONTACT = 18,   /* care: engagement ends, per contact due */
    CARE_DRAW_TIGHTEN = 19,        /* care: turned away by a tightened threshold, per triage */
    CARE_DRAW_MOVE_PHASE = 20,     /* care: first contact in the model moved to */
    CARE_DRAW_MOVE_EPISODE = 21,   /* care: rest of the episode in the model moved to */
    CARE_DRAW_MOVE_DISENGAGE = 22, /* care: time to disengagement in the model moved to */
    CARE_DRAW_URGENT = 23,         /* care: urgent, per referral (when its source's share > 0) */
    CARE_DRAW_GATEKEEP = 26,       /* risk: length of a home-treatment episode instead of an
                                      admission (crisis_team.gatekeeping) */
    CARE_DRAW_TRIAL = 27,          /* care: place in the random sample of a trial's eligible */
    CARE_DRAW_ATTRIBUTE = 28,      /* care: level of attribute k (draw k), at the first referral */
    CARE_DRAW_LINKAGE = 32,        /* care: + need: linked to its service */
    CARE_DRAW_LINKAGE_DAYS = 48,   /* care: + need: linkage delay */
    CARE_DRAW_SERVICE_LENGTH = 64, /* care: + service: length of a place */
    CARE_N_DRAWS = CARE_DRAW_SERVICE_LENGTH + CARE_MAX_SERVICES,
};

struct care_client {
    uint32_t serial;    /* referral index: keys the client's substreams and traces */
    uint32_t gen;       /* odd while the slot holds a client, even while it is free */
    uint32_t next_free; /* while free: the next free slot, or CARE_NO_SLOT */
    double t_referred;  /* of the current referral */
    double t_stage;     /* when the current stage began */
    double t_discharge; /* last hospital discharge, or -inf */
    double t_coord_start;
    double post_until;     /* end of the post-discharge window */
    double frailty;        /* individual risk multiplier, mean 1 */
    double episode_factor; /* multiplier on the current coordination episode's length (discharge
                              under pressure); 0 until coordination begins, read as 1 */
    double engagement;     /* multiplier on DNA and disengagement, mean 1 */
    double contact_due;    /* when the pending contact was first due */
    uint8_t severity;
    uint8_t source;
    bool urgent;             /* the current referral is urgent */
    uint8_t stage;           /* enum care_stage */
    uint8_t risk;            /* enum care_risk */
    bool in_hospital;        /* admitted (local or out of area) or boarding in the ED */
    bool boarding;           /* in the ED waiting for a bed */
    bool followed_up;        /* the last discharge was followed up within 7 days */
    bool in_crt;             /* under the crisis team */
    uint16_t open_journeys;  /* crisis journeys of the Poisson process not yet discharged */
    bool out_of_area;        /* admitted to a bed outside the region */
    bool dormant;            /* out of the service beyond follow_days: no longer at risk */
    bool via_ed;             /* the current admission came through the ED */
    uint8_t unmet_contrib;   /* unmet needs counted in run->unmet_now */
    uint8_t adm_model_plus1; /* coordination model at admission + 1, 0 if none */
    double t_admitted;
    double signpost_until; /* end of a signposted client's unmet-need period */
    int8_t model;          /* coordination model of the current referral, or -1 */
    int16_t unit;          /* caseload unit while coordinated */
    uint16_t needs;        /* bit i: has need i */
    uint16_t met;          /* bit i: need i met */
    uint16_t prior_admissions;
    uint32_t admissions;
    uint16_t delayed;         /* bit i: need i is on its way (linkage delay) */
    uint16_t queued;          /* bit i: need i waits for a place at its service */
    uint16_t queued_in_house; /* bit i: that place is an in-house one of the client's model */
    uint64_t ev_risk, ev_contact, ev_end, ev_disengage, ev_wait, ev_board, ev_post, ev_follow;
    uint64_t ev_signpost;             /* end of the signposted period */
    double t_exit;                    /* when the client leaves the region (moves, dies) */
    uint64_t q_wait;                  /* handle in the assessment or coordination waiting list */
    uint64_t q_bed;                   /* handle in the queue for beds, while boarding */
    uint64_t ev_need[CARE_MAX_NEEDS]; /* linkage event, or service waiting-list handle */
    uint8_t trial;                    /* TRIAL_IN, TRIAL_HIGH, TRIAL_ADMITTED, TRIAL_LOST */
    uint16_t tr_window_adm;           /* admissions in the trial's window before enrolment */
    double tr_window_bed;             /* bed-days in the window (stays ended so far) */
    double tr_start, tr_length;       /* a participant's enrolment and follow-up (days) */
    struct rng_sub attr;              /* attributes, drawn at referral in a fixed order */
    uint8_t level[CARE_MAX_ATTRS];    /* level of each declared attribute (attributes[]) */
    bool moved;                       /* moved by a transfer (coordination.moves[]) */
    uint16_t beds_held;               /* beds (local or out of area) held now, for groups */
    double missed_factor;             /* the attributes' multipliers: on missed contacts, */
    double disengage_factor;          /*   on the disengagement hazard (1 without any) */
    uint32_t n_draws[CARE_N_DRAWS];   /* draws so far of each enum care_draw */
};

/* A hospital stay of a crisis journey (risk.process = "poisson"): the crisis, not the client,
 * goes through the ED and holds the bed, so a client may have several at once. */
struct care_stay {
    uint32_t client;
    int8_t model;       /* coordination model of the client at the crisis, or -1 */
    bool in_use;        /* a stay, not a free record */
    bool in_ed;         /* still in the ED before its disposition */
    bool boarding;      /* in the ED waiting for a bed */
    bool out_of_area;   /* in a bed outside the region */
    double t_admitted;  /* when the bed (local or out of area) was taken */
    uint64_t q_bed;     /* handle in the queue for beds, while boarding */
    uint64_t ev_board;  /* boarding limit, while boarding */
    uint32_t next_free; /* next free record + 1, 0 for none, while free */
};

/* A caseload unit: one coordinator (individual caseloads) or a whole team. */
struct care_unit {
    int model;
    int limit; /* clients */
    int clients;
    double week_hours; /* contact hours per week */
    double left;       /* contact hours left this week */
    long week;         /* the week `left` belongs to */
};

struct care_model_rt {
    int first_unit, n_units;
    /* Tournament tree over the units (see free_unit): tree[leaves + k] is unit first_unit + k
     * (-1 past the last), tree[i] the better of tree[2i] and tree[2i + 1]; tree[1] the best. */
    int *tree;
    int leaves;
    struct queue waiting;
    struct twavg caseload_tw;
    /* counts after warm-up */
    double client_days; /* coordinated client-days, accumulated through caseload_tw */
    uint64_t contacts, missed, delayed, due;
    uint64_t crises, admissions, disengaged, starts, assigned;
    uint64_t discharges, followups; /* discharges from hospital while coordinated */
    double bed_days;
    double hours_used;
    struct tally wait;
    /* in-house places of each service (care_services.c): the number at the model's filled
     * posts now (-1: without limit), those in use, and the needs waiting for one */
    int in_house_cap[CARE_MAX_SERVICES];
    int in_house_busy[CARE_MAX_SERVICES];
    struct queue in_house_wait[CARE_MAX_SERVICES];
};

struct care_service_rt {
    int busy;
    uint64_t wake; /* pending re-opening event */
    struct queue waiting;
    struct twavg busy_tw;
    uint64_t started;
};

/* A client's part in a trial (struct care_client, trial). */
enum { TRIAL_IN = 1, TRIAL_HIGH = 2, TRIAL_ADMITTED = 4, TRIAL_LOST = 8 };

/* A trial's counts over its participants' follow-up, by subgroup (0 low use, 1 high use; every
 * participant is in 1 when the trial has no subgroups). */
struct care_trial_rt {
    uint64_t participants[2], admitted[2], admissions[2], lost[2];
    double bed_days[2], window_bed_days[2];
    uint64_t eligible, not_moved;
};

struct care_counts {
    uint64_t referrals, rereferrals, signposted, urgent;
    uint64_t crises, ed_visits, crt_contacts, team_responses;
    uint64_t team_unavailable; /* crises the team covered but had no hours left to answer */
    uint64_t linkage_no_hours; /* linkages put off for lack of coordinator hours */
    uint64_t in_house_full;    /* needs that found their model's in-house places full */
    uint64_t in_house_started; /* in-house places taken */
    uint64_t admissions, readmissions_30d, oap;
    uint64_t considered, gatekept; /* admissions considered by the team or ED; taken into home
                                      treatment by the crisis team instead (gatekeeping) */
    uint64_t discharges, followups;
    uint64_t stays;   /* completed hospital stays (local or out of area) */
    double stay_days; /* their lengths */
    uint64_t coord_starts, coord_starts_over_28d; /* coordination begun: all, and more than 28
                                                     days after the referral */
    double referral_to_coord_days;                /* their times from referral */
    uint64_t abandoned_assess, abandoned_coord, disengaged, stepped_down;
    uint64_t contacts, missed, due;
    uint64_t lost_at_contact; /* disengagements at a missed or unengaging contact */
    double effect_sum;        /* sum of the effects of attended contacts */
    uint64_t needs_30d_den, needs_30d_num;
    double bed_days, oap_days, boarding_hours;
    double contact_hours_used;
};

/* Running totals at a year boundary of the observed horizon (per-year metrics): counts, and
 * integrals over time of the time-averaged quantities (client-days, bed-days). */
struct care_year_mark {
    uint64_t referrals, crises, ed_visits, admissions;
    double in_service, caseload, waiting_coord, bed_days;
};

/* What the weekly series count in the week in progress, warm-up or not: events counted where
 * they happen and cleared at each week's end, and the running integrals (since the warm-up
 * reset) at the last week's end, that the week's integrals are differences of (care.c,
 * week_end()). */
struct care_week {
    uint64_t ed_visits, admissions, waits;    /* events; waits: clients given a coordinator */
    double wait_days;                         /* the waits of those clients (days) */
    double bed_days, unmet_days, client_days; /* integrals at the last week's end: beds in use
                                                 (local and out of area), unmet needs, clients
                                                 in the service */
};

/* One group's accumulators (care_groups.c): the integrals over time of its clients in the
 * service, in beds and of their unmet needs, and its counts after the warm-up. */
struct care_group_rt {
    struct twavg in_service, in_bed, unmet;
    uint64_t referrals, crises, ed_visits, admissions, due, missed, disengaged;
    uint64_t waits, assess_waits;
    double wait_days, assess_wait_days;
};

struct care_run {
    const struct care_params *p;
    struct sim sim;
    double warmup, horizon;
    uint64_t seed;
    unsigned replication;
    uint64_t risk_prefix, care_prefix; /* rng_seed_prefix of the clients' two decision streams */
    gsl_rng *arrivals;                 /* referral times and nothing else */

    struct care_client *cl;     /* slots, live or free (see the top of this file) */
    uint32_t n_clients;         /* clients referred so far: serial numbers handed out */
    uint32_t n_slots;           /* slots ever used (live or free) */
    uint32_t cap_clients;       /* slots allocated; doubles only when every slot is live */
    uint32_t n_live, peak_live; /* clients holding a slot, now and at most */
    uint32_t free_head;         /* first free slot, or CARE_NO_SLOT */
    uint32_t held_head, n_held; /* debug builds: released slots not yet free (care_release) */
    /* Clients counted in each stage: the live ones, and the released ones in their last stage
     * (released[] of them). */
    int64_t stage_count[N_STAGES];
    int64_t released[N_STAGES];
    int64_t in_hospital_count;

    /* assessment */
    struct queue assess_wait;
    double assess_left; /* hours left this week */
    long assess_week;
    struct pool assessors; /* one server per filled post, or one for the pooled line */
    uint64_t assess_wake;  /* pending opening of the assessment schedule */
    struct tally wait_assess;
    struct tally wait_assess_urgency[2]; /* routine, urgent */

    struct care_unit *unit;
    int *unit_tree; /* the models' unit trees, one allocation (care_model_rt.tree) */
    int n_units;
    struct care_model_rt model[CARE_MAX_MODELS];
    struct care_service_rt service[CARE_MAX_SERVICES];

    /* crisis team and hospital */
    int crt_busy;
    int beds_busy;
    int oap_now;
    struct queue bed_wait;  /* boarding in the ED: clients, or stays with risk.process poisson */
    struct care_stay *stay; /* crisis journeys' stays (risk.process = "poisson") */
    uint32_t n_stays, cap_stays, free_stay; /* records used, allocated; first free + 1 */
    struct twavg beds_tw;
    struct twavg oap_tw;
    struct tally boarding;      /* hours in the ED before a bed, per admission through the ED */
    struct twavg in_service_tw; /* clients waiting or coordinated */
    struct twavg unmet_tw;      /* unmet needs of clients waiting, coordinated or signposted */
    int64_t unmet_now;

    struct care_counts n;
    struct tally wait_coord;
    struct tally wait_coord_urgency[2]; /* routine, urgent */
    struct tally wait_coord_severity[CARE_N_SEVERITY];

    /* weekly series */
    double *series;
    int n_points;
    uint64_t week_crises;
    struct care_week week;

    /* per-year metrics: marks at the start of observed years 2 .. n_years (year_mark[k] at the
     * end of year k + 1), NULL when the scenario has none */
    struct care_year_mark *year_mark;

    struct care_group_rt *grp; /* per group (p->n_groups), NULL without groups */

    struct rng_sub draw;   /* reseeded for each client draw (care_uniform, care_draw) */
    model_trace_fn *trace; /* testing hook from struct model_run, NULL in normal runs */
    void *trace_ctx;
    model_journey_fn *journey; /* from struct model_run (--trace), NULL in normal runs */
    void *journey_ctx;

    int moved[CARE_MAX_MOVES]; /* clients each move took, once it has happened */
    struct care_trial_rt trial;

    bool failed;
    char *err;
    size_t err_len;
};

#define CARE_NO_SLOT UINT32_MAX
/* Debug builds check released slots against the calendar in batches of this many before they
 * are reused, so the table may hold up to this many slots more than the clients present. */
#ifdef CCSIM_DEBUG
#define CARE_HELD_SLOTS 64
#else
#define CARE_HELD_SLOTS 0
#endif

static inline bool care_client_is_live(const struct care_client *c)
{
    return c->gen & 1u;
}

/* Preconditions of event handlers: arg names a slot that holds a client (an event left pending
 * for a released client would find its slot free, or a later client in it: care_release() checks
 * in debug builds that none is left). */
#define CARE_ASSERT_CLIENT(run, id)                                                                \
    SIM_ASSERT((uint64_t)(id) < (run)->n_slots && care_client_is_live(&(run)->cl[(id)]),           \
               "client slot %llu of %u is free", (unsigned long long)(id), (run)->n_slots)

/* What care_run() reports about the client table of a replication, for tests only. */
struct care_table_probe {
    uint32_t referred;  /* clients referred (snapshot included) */
    uint32_t peak_live; /* most clients holding a slot at once */
    uint32_t slots;     /* slots ever used */
    uint32_t capacity;  /* slots allocated at the end */
};

/* care.c */
/* Draw k of decision what for client id (see enum care_draw): a uniform in [0, 1), a variate of
 * d, an exponential of the given mean. Cannot fail. */
double care_uniform(struct care_run *run, uint32_t id, enum care_draw what);
double care_draw(struct care_run *run, uint32_t id, enum care_draw what, const struct dist *d);
double care_exponential(struct care_run *run, uint32_t id, enum care_draw what, double mean);
void care_set_stage(struct care_run *run, uint32_t id, enum care_stage stage);
void care_set_hospital(struct care_run *run, uint32_t id, bool in);
/* Gives the client's slot back when the client has left the model for good: dormant (out of the
 * service beyond follow_days or past its exit time; nothing brings a dormant client back, a
 * return is a new referral) and with no event of its own pending (not in hospital, not with the
 * crisis team, no post-discharge window, signposted period or follow-up end to come). Does
 * nothing otherwise. Called last by every event that can leave a client in that state; the
 * caller must not touch the record afterwards. */
void care_release(struct care_run *run, uint32_t id);
/* Recomputes the client's contribution to the unmet-need count after any change of stage,
 * needs or met needs. */
void care_unmet_update(struct care_run *run, uint32_t id);
/* A client out of the service since `since` (<= now, a snapshot's past): its follow period runs
 * from then (section 2.2.12 of docs/model.md). */
void care_follow_from(struct care_run *run, uint32_t id, double since);
bool care_counts_after_warmup(const struct care_run *run);
/* Reports event ev of client id to the journey hook, with the stage given (N_STAGES:
 * "referred") and the service (-1: none). Only through care_journey() and
 * care_journey_service(), which cost one test of a pointer set once when nothing is traced. */
void care_journey_emit(struct care_run *run, uint32_t id, enum care_event ev, int stage,
                       int service);
static inline void care_journey(struct care_run *run, uint32_t id, enum care_event ev)
{
    if (run->journey) {
        care_journey_emit(run, id, ev, run->cl[id].stage, -1);
    }
}
static inline void care_journey_service(struct care_run *run, uint32_t id, enum care_event ev,
                                        int service)
{
    if (run->journey) {
        care_journey_emit(run, id, ev, run->cl[id].stage, service);
    }
}
void care_fail(struct care_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int care_count_unmet(const struct care_run *run, const struct care_client *c);

/* The scenario tables of each group, in their files; care_tables lists them all. */
extern const struct cfg_table care_referral_table, care_step_table, care_source_table,
    care_need_table;
extern const struct cfg_table care_assess_table, care_coord_table;
extern const struct cfg_table care_service_table, care_closure_table;
extern const struct cfg_table care_risk_table, care_crt_table, care_ed_table, care_hospital_table,
    care_cost_table;

/* Name each file's event actions for failure reports (sim_name_event). */
void care_coord_name_events(struct sim *sim);
void care_crisis_name_events(struct sim *sim);
void care_services_name_events(struct sim *sim);
void care_referral_name_events(struct sim *sim);

/* care_snapshot.c */
extern const struct cfg_table care_initial_table, care_output_table;
bool care_snapshot_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_snapshot_start(struct care_run *run);
/* Writes the state of the run now as a snapshot file initial.snapshot can start from; returns 0
 * or -1 (a write error, errno set). */
int care_snapshot_write(const struct care_run *run, FILE *f);
/* The remaining length T - s of a quantity T of law d that has lasted s >= 0 so far, given
 * T > s, by inversion of the conditional law at u in [0, 1): F^-1(F(s) + u (1 - F(s))) - s
 * (the upper tail is inverted through the survival function where it is small). A law with no
 * mass above s (a fixed length already past, say) leaves 0; a gamma law whose survival at s
 * underflows leaves an exponential of mean its scale (its limiting hazard). Cannot fail. */
double care_remaining(const struct dist *d, double s, double u);

/* care_referral.c */
uint32_t care_new_client(struct care_run *run);
/* Draws whether the client's current referral is urgent (its source's urgent share; no draw when
 * the share is 0). care_new_client() calls it; care_rerefer() again for each re-referral. */
void care_referral_urgency(struct care_run *run, uint32_t id);
/* Reads a list of exactly n numbers in [lo, hi] (what names them for the message). */
bool care_read_numbers(struct cfg *c, const config_setting_t *list, int n, double lo, double hi,
                       double *out, const char *what);
bool care_referral_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_referral_start(struct care_run *run);
void care_rerefer(struct care_run *run, uint32_t id);

/* care_coord.c */
bool care_coord_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_coord_init(struct care_run *run);
void care_coord_fini(struct care_run *run);
void care_triage(struct care_run *run, uint32_t id);
/* Whether triage, tightened by the length of model m's coordination waiting list, signposts
 * client id whom m would accept (referrals.tighten_*, docs/model.md 2.2.15). */
bool care_triage_tightened(struct care_run *run, uint32_t id, int m);
/* The model that accepts the client: the front door or its fallbacks; CARE_SIGNPOST if none. */
int care_choose_model(const struct care_run *run, const struct care_client *c);
void care_leave_coordination(struct care_run *run, uint32_t id, enum care_stage to);
/* Entry points for a client whose model is set (triage, or a snapshot at day 0). since is when
 * the wait began (<= now); past is the part of the episode already behind the client. */
void care_enter_assessment_wait(struct care_run *run, uint32_t id);
void care_enter_coordination_wait(struct care_run *run, uint32_t id, double since);
void care_enter_coordination(struct care_run *run, uint32_t id, double past);
bool care_team_covers(const struct care_run *run, int model, double t);
/* Takes `hours` of this week's hours left to unit u (the week's budget renewed first, as at a
 * contact), and counts them as used; false, taking nothing, when fewer are left. hours <= 0
 * takes nothing and returns true. Cannot fail. */
bool care_unit_take_hours(struct care_run *run, int u, double hours);
/* As care_unit_take_hours() for urgent work (the team's crisis response): it comes before the
 * routine contacts of the week and may take the hours they would have used (the unit's hours
 * left go below 0, down to a week's hours owed, and the next routine contacts of the week are
 * missed for want of hours); false only for a unit with no hours at all, or already owing a
 * week's. */
bool care_unit_take_urgent_hours(struct care_run *run, int u, double hours);
/* The time-average filled posts of model m from day `from` to day `to`, its posts_plan[]
 * changes applied (the posts at `from` when to <= from). */
double care_model_posts_mean(const struct care_params *p, int m, double from, double to);
/* Caseload places of model m at day t, its posts_plan[] changes up to t applied. */
int care_model_places_at(const struct care_params *p, int m, double t);
extern const struct cfg_table care_plan_table, care_move_table;
/* Moves coordinated client id to a free place of model to (as coordination.moves[] does);
 * false, leaving it where it is, when model to has no free place. */
bool care_move_to(struct care_run *run, uint32_t id, int to);
/* Lets model m's waiting list into its free places. */
void care_coord_refill(struct care_run *run, int m);

/* care_services.c */
bool care_services_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_services_init(struct care_run *run);
void care_services_fini(struct care_run *run);
/* At the start of coordination: counts the needs then unmet (needs_linked_30d_pct). */
void care_needs_start(struct care_run *run, uint32_t id);
/* At an attended contact of the given effect (0..1]: starts linking the client's first unmet
 * need not already on its way, with probability (1 in house, else linkage) x effect, when its
 * unit has the model's linkage_hours left this week (which it takes). */
void care_link_need(struct care_run *run, uint32_t id, double effect);
void care_services_drop(struct care_run *run, uint32_t id);
/* Model m's filled posts changed (or were set at the start): its in-house places follow, and
 * places opened take the needs waiting for them. */
void care_in_house_resize(struct care_run *run, int m, int filled);
/* Client id has just moved from model `from` to its present model: its needs waiting for an
 * in-house place of `from` are routed afresh under the new model, as at the end of a linkage. */
void care_services_moved(struct care_run *run, uint32_t id, int from);

/* care_crisis.c */
bool care_crisis_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_crisis_init(struct care_run *run);
void care_crisis_fini(struct care_run *run);
void care_risk_redraw(struct care_run *run, uint32_t id);
void care_risk_stop(struct care_run *run, uint32_t id);
/* A contact of the given effect (0..1] detected the client's deterioration: resolved with
 * probability resolve x effect. */
void care_detected(struct care_run *run, uint32_t id, double effect);
/* Adds the crisis journeys' stays to the audit's counts of local beds, boarding and out-of-area
 * placements. */
void care_stays_count(const struct care_run *run, int64_t *local, int64_t *boarding, int64_t *oap);
/* Adds the bed-days so far of the journeys' stays still open at now to their models. */
void care_stays_close(struct care_run *run, double now);
/* A snapshot client in hospital at day 0 for `days` so far: wanted 1, a local bed when one is
 * free (else out of area); wanted 2, out of area. The rest of the stay is drawn given its days
 * so far (care_remaining). Counts no admission. */
void care_snapshot_stay(struct care_run *run, uint32_t id, int wanted, double days);

/* care_groups.c: attributes of clients and outcomes by group (docs/model.md section 1.4) */
extern const struct cfg_table care_attr_table, care_mult_table;
bool care_groups_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
void care_groups_free(struct care_params *p);
int care_groups_n_metrics(const struct care_params *p);
void care_groups_describe(const struct care_params *p, struct metric_desc *out);
void care_groups_init(struct care_run *run);
void care_groups_fini(struct care_run *run);
void care_groups_reset(struct care_run *run);
void care_groups_metrics(struct care_run *run, double *out);
/* Draws the new client's attribute levels (CARE_DRAW_ATTRIBUTE) and sets its multipliers. */
void care_groups_draw(struct care_run *run, uint32_t id);
/* What the groups count, each a hook that does nothing without groups. */
enum care_group_count {
    GROUP_REFERRAL,
    GROUP_CRISIS,
    GROUP_ED_VISIT,
    GROUP_ADMISSION,
    GROUP_DUE,
    GROUP_MISSED,
    GROUP_DISENGAGED
};
void care_groups_count(struct care_run *run, uint32_t id, enum care_group_count what);
/* A wait for a coordinator, a wait for assessment (days) ended now. */
void care_groups_wait(struct care_run *run, uint32_t id, double days);
void care_groups_wait_assess(struct care_run *run, uint32_t id, double days);
/* Changes of the client's time-weighted quantities: in the service (+-1), beds held (+-1),
 * unmet needs counted (delta). */
void care_groups_in_service(struct care_run *run, uint32_t id, int delta);
void care_groups_bed(struct care_run *run, uint32_t id, int delta);
void care_groups_unmet(struct care_run *run, uint32_t id, int delta);
/* The client has just been moved by coordination.moves[]: it joins the group "moved". */
void care_groups_moved(struct care_run *run, uint32_t id);

/* care_trial.c */
extern const struct cfg_table care_trial_table;
bool care_trial_load(struct cfg *c, const config_setting_t *root, struct care_params *p);
/* The trial's metrics: how many, their descriptors (names and labels owned), their values at the
 * end of a run (stays still open closed at now). */
int care_trial_n_metrics(const struct care_params *p);
void care_trial_describe(const struct care_params *p, struct metric_desc *out);
void care_trial_metrics(struct care_run *run, double *out);
/* Schedules the enrolment (population coordinated). */
void care_trial_start(struct care_run *run);
/* Hooks: a crisis about to be answered (enrols population crisis); an admission; a discharge
 * (before the stay's record changes); a loss of contact. Each does nothing without a trial. */
void care_trial_crisis(struct care_run *run, uint32_t id);
void care_trial_admitted(struct care_run *run, uint32_t id);
void care_trial_discharged(struct care_run *run, uint32_t id);
void care_trial_lost(struct care_run *run, uint32_t id);
/* Whether client id is a participant in follow-up barred from the crisis team. */
bool care_trial_no_crt(const struct care_run *run, uint32_t id);

/* care_presets.c */
extern const struct cfg_table care_models_table;
bool care_model_load(struct cfg *c, const config_setting_t *s, const struct care_params *p,
                     struct care_model *m);
/* The model's fallback as written ("signpost" or a model name), resolved by care_coord.c. */
const char *care_model_fallback_name(struct cfg *c, const config_setting_t *s);

#endif
