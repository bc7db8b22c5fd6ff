/*
 * care_crisis — risk, crises, the crisis team, the ED and the beds.
 *
 * Risk: each client outside hospital moves stable -> deteriorating at a rate set by severity,
 * the individual risk multiplier, unmet needs (x (1 + unmet_need_factor per unmet need)) and
 * a post-discharge window (x post_discharge_factor, whose excess a follow-up within 7 days
 * scales by followup_effect). From deteriorating the client recovers on its own or reaches a
 * crisis, unless a contact detects the deterioration and the response resolves it. Every rate
 * change redraws the pending transition (exact: the process is Markov).
 *
 * Crisis: answered by the client's own team when its crisis cover includes the moment; else by
 * the crisis team when it is taking cases (hours) and has a free place; else at the ED. Both
 * teams admit with probability crisis_team.p_admit; the ED with ed.p_admit by severity, times
 * ed.known_factor when a coordinator knows the client. With crisis_team.gatekeeping, an
 * admission the client's team or the ED considers is assessed by the crisis team when it is
 * taking cases, which keeps it with the odds times gatekeeping_or and takes the client into
 * home treatment (a place for an episode) otherwise. An admission needs a bed: without one
 * the client boards in the ED (FIFO for beds) and goes out of area after the boarding limit.
 * Stays are drawn from hospital.length_of_stay. A client who is not (or no longer) in the
 * service is re-referred after a crisis.
 *
 * With risk.process = "poisson" the risk states are replaced by crises at a fixed rate per
 * coordinated client, and each crisis is a journey of its own (struct care_stay) that goes
 * through the same teams, ED and beds while the client stays where it is: the feedback-free
 * network of queues that verification scenarios need (docs/model.md, 2.2.14).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

enum {
    K_DETERIORATION,
    K_CRISIS,
    K_RECOVERY,
    K_UNMET,
    K_POST_DAYS,
    K_POST_FACTOR,
    K_FOLLOWUP_EFFECT,
    K_RECOVERED,
    K_FOLLOW,
    K_SCALE,
    K_EXIT,
    K_PROCESS,
    K_POISSON,
    N_RISK
};

static const char *const process_names[] = {"states", "poisson", NULL};
_Static_assert(RISK_PROCESS_STATES == 0 && RISK_PROCESS_POISSON == 1, "process_names order");

static const struct cfg_key risk_keys[N_RISK] = {
    [K_DETERIORATION] = {.name = "deterioration",
                         .type = CFG_LIST,
                         .is_required = true,
                         .unit = "per client-year",
                         .help = "rate of stable -> deteriorating by severity [low, moderate, "
                                 "high, complex], for a client with every need met"},
    [K_CRISIS] = {.name = "crisis_rate",
                  .type = CFG_REAL,
                  .lo = 0.0,
                  .hi = 3650.0,
                  .flags = CFG_LO_OPEN,
                  .def = 18.0,
                  .unit = "per year",
                  .help = "rate of deteriorating -> crisis (about 3 weeks on average)",
                  .source = "derived; calibration parameter (no published estimate)",
                  .plausible_lo = 12,
                  .plausible_hi = 26,
                  CFG_TARGET_REAL(struct care_params, crisis_rate)},
    [K_RECOVERY] = {.name = "recovery_rate",
                    .type = CFG_REAL,
                    .lo = 0.0,
                    .hi = 3650.0,
                    .def = 12.0,
                    .unit = "per year",
                    .help = "rate of deteriorating -> stable without help",
                    .source = "derived; calibration parameter (no published estimate)",
                    .plausible_lo = 6,
                    .plausible_hi = 24,
                    CFG_TARGET_REAL(struct care_params, recovery_rate)},
    [K_UNMET] = {.name = "unmet_need_factor",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 10.0,
                 .def = 0.15,
                 .help = "extra deterioration rate per unmet need (x (1 + f x unmet))",
                 .source = "derived (assumption)",
                 .plausible_lo = 0.05,
                 .plausible_hi = 0.3,
                 CFG_TARGET_REAL(struct care_params, unmet_factor)},
    [K_POST_DAYS] = {.name = "post_discharge_days",
                     .type = CFG_REAL,
                     .lo = 0.0,
                     .hi = 3650.0,
                     .def = 30.0,
                     .unit = "days",
                     .help = "length of the high-risk window after a discharge",
                     .source = "early post-discharge risk (Chung et al. 2017, 2019)",
                     CFG_TARGET_REAL(struct care_params, post_discharge_days)},
    [K_POST_FACTOR] = {.name = "post_discharge_factor",
                       .type = CFG_REAL,
                       .lo = 1.0,
                       .hi = 100.0,
                       .def = 3.0,
                       .help = "deterioration rate multiplier in that window",
                       .source = "derived from post-discharge relapse (CORE: 38% readmitted in "
                                 "a year)",
                       .plausible_lo = 2,
                       .plausible_hi = 5,
                       CFG_TARGET_REAL(struct care_params, post_discharge_factor)},
    [K_FOLLOWUP_EFFECT] = {.name = "followup_effect",
                           .type = CFG_REAL,
                           .lo = 0.0,
                           .hi = 1.0,
                           .def = 0.5,
                           .help = "share of the window's excess risk left after a follow-up "
                                   "within 7 days",
                           .source = "enhanced aftercare protective (Psychiatr Serv 2012); size "
                                     "derived",
                           .plausible_lo = 0.3,
                           .plausible_hi = 0.8,
                           CFG_TARGET_REAL(struct care_params, followup_effect)},
    [K_RECOVERED] = {.name = "recovered_factor",
                     .type = CFG_REAL,
                     .lo = 0.0,
                     .hi = 10.0,
                     .def = 0.5,
                     .help = "deterioration rate multiplier after step-down from coordination "
                             "(recovered)",
                     .source = "derived (assumption): relapse after recovery below the "
                               "in-episode rate",
                     .plausible_lo = 0.3,
                     .plausible_hi = 0.8,
                     CFG_TARGET_REAL(struct care_params, recovered_factor)},
    [K_FOLLOW] = {.name = "follow_days",
                  .type = CFG_REAL,
                  .lo = 0.0,
                  .hi = 36525.0,
                  .def = 730.0,
                  .unit = "days",
                  .help = "how long a client out of the service (stepped down, disengaged, "
                          "signposted) is followed for a crisis that brings it back; after that "
                          "the client leaves the model (moved, recovered for good, or "
                          "re-referred as a new client)",
                  .source = "model boundary (assumption); the baseline's value is calibrated "
                            "(docs/calibration.md)",
                  .plausible_lo = 365,
                  .plausible_hi = 3650,
                  CFG_TARGET_REAL(struct care_params, follow_days)},
    [K_SCALE] = {.name = "scale",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 100.0,
                 .flags = CFG_LO_OPEN,
                 .def = 1.0,
                 .help = "crisis hazard scale: multiplies every deterioration rate (the "
                         "calibration knob for the crisis incidence of a region)",
                 .source = "calibration parameter (1 = the rates as given; the baseline region's "
                           "general CMHT caseload calibrates to about 0.5, docs/calibration.md)",
                 .plausible_lo = 0.3,
                 .plausible_hi = 3.0},
    [K_EXIT] = {.name = "exit_rate",
                .type = CFG_REAL,
                .lo = 0.0,
                .hi = 10.0,
                .def = 0.1,
                .unit = "per client-year",
                .help = "rate of leaving the model (moving away, death, lasting recovery); takes "
                        "effect when "
                        "the client is next out of the service, so that clients who keep "
                        "returning do not accumulate",
                .source = "assumption: SMI mortality 2-3% a year, moving away, lasting "
                          "recovery",
                .plausible_lo = 0.05,
                .plausible_hi = 0.15,
                CFG_TARGET_REAL(struct care_params, exit_rate)},
    [K_PROCESS] = {.name = "process",
                   .type = CFG_CHOICE,
                   .choices = process_names,
                   .def_str = "states",
                   .help = "states: the stable -> deteriorating -> crisis process and its "
                           "feedback (the other risk keys); poisson: crises at a fixed "
                           "poisson_rate per coordinated client, each a journey of its own "
                           "through the crisis services and beds that leaves the client where "
                           "it is (no deterioration, detection, unmet-need or post-discharge "
                           "effect; the other risk keys unused)",
                   .source = "assumption: poisson is for verification against queueing "
                             "networks (docs/model.md, W2)",
                   CFG_TARGET_CHOICE(struct care_params, risk_process)},
    [K_POISSON] = {.name = "poisson_rate",
                   .type = CFG_REAL,
                   .lo = 0.0,
                   .hi = 3650.0,
                   .def = 0.0,
                   .unit = "per client-year",
                   .help = "crises of each coordinated client with process = \"poisson\" "
                           "(0: none)",
                   .source = "assumption: no default rate; a verification scenario gives it",
                   CFG_TARGET_REAL(struct care_params, poisson_rate)},
};

const struct cfg_table care_risk_table = {
    .path = "risk",
    .help = "the stable -> deteriorating -> crisis process",
    .keys = risk_keys,
    .n_keys = N_RISK,
};

enum { T_PLACES, T_HOURS, T_EPISODE, T_ADMIT, T_GATE, T_GATE_OR, N_CRT };

/* The trial's own 95% interval of the odds ratio the default takes (EVIDENCE.md, crisis care). */
static const struct cfg_uncertain gatekeeping_or_uncertain = {
    .dist = "lognormal",
    .lo = 0.11,
    .hi = 0.32,
    .source = "Johnson et al. 2005 (BMJ, DOI 10.1136/bmj.38519.678148.8F): admission within 8 "
              "weeks OR 0.19 (95% CI 0.11 to 0.32)",
};

static const struct cfg_key crt_keys[N_CRT] = {
    [T_PLACES] = {.name = "places",
                  .type = CFG_INT,
                  .is_required = true,
                  .lo = 0,
                  .hi = 100000,
                  .unit = "clients",
                  .help = "clients the crisis team can hold at once (0: no crisis team)",
                  CFG_TARGET_INT(struct care_params, crt_places)},
    [T_HOURS] = {.name = "hours",
                 .type = CFG_GROUP,
                 .help = "when the team takes new cases: a schedule over a week in days, value "
                         "1 open, 0 closed; default 24 hours, 7 days"},
    [T_EPISODE] = {.name = "episode",
                   .type = CFG_GROUP,
                   .is_required = true,
                   .unit = "days",
                   .help = "length of a crisis-team episode (distribution)"},
    [T_ADMIT] = {.name = "p_admit",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 1.0,
                 .def = 0.25,
                 .help = "probability a crisis handled by a crisis or home-treatment team ends in "
                         "admission",
                 .source = "Johnson et al. 2005 OR 0.19 on a 0.45 baseline, shrunk toward Glover "
                           "et al. 2006",
                 .plausible_lo = 0.13,
                 .plausible_hi = 0.45,
                 CFG_TARGET_REAL(struct care_params, crt_p_admit)},
    [T_GATE] = {.name = "gatekeeping",
                .type = CFG_BOOL,
                .def = 0,
                .help = "the crisis team assesses every admission that a coordination team or the "
                        "ED considers, when it is taking cases and has a free place, and takes "
                        "some of those clients into home treatment instead (gatekeeping_or)",
                .source = "assumption: off by default (the crisis team sees only the crises "
                          "routed to it); the mechanism is the gatekeeping crisis team of "
                          "Johnson et al. 2005",
                CFG_TARGET_BOOL(struct care_params, crt_gatekeeping)},
    [T_GATE_OR] = {.name = "gatekeeping_or",
                   .type = CFG_REAL,
                   .lo = 0.0,
                   .hi = 1.0,
                   .flags = CFG_LO_OPEN,
                   .def = 0.19,
                   .help = "odds ratio applied to the odds of an admission considered, when the "
                           "crisis team gatekeeps it (1: no effect); the admissions it prevents "
                           "become home-treatment episodes",
                   .source = "Johnson et al. 2005: admission within 8 weeks OR 0.19 (0.11-0.32), "
                             "a trial's upper bound on the effect; Glover et al. 2006 -10% "
                             "(-23% with 24-hour teams) in the population; Jacobs & Barrenho "
                             "2011 no significant difference (OR 1)",
                   .plausible_lo = 0.19,
                   .plausible_hi = 1.0,
                   CFG_TARGET_REAL(struct care_params, crt_gatekeeping_or),
                   .uncertain = &gatekeeping_or_uncertain},
};

const struct cfg_table care_crt_table = {
    .path = "crisis_team",
    .help = "the crisis resolution team",
    .keys = crt_keys,
    .n_keys = N_CRT,
};

enum { E_ADMIT, E_KNOWN, E_TIME, N_ED };

static const struct cfg_key ed_keys[N_ED] = {
    [E_ADMIT] = {.name = "p_admit",
                 .type = CFG_LIST,
                 .is_required = true,
                 .help = "probability a crisis at the ED ends in admission, by severity [low, "
                         "moderate, high, complex]"},
    [E_KNOWN] = {.name = "known_factor",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 10.0,
                 .def = 0.8,
                 .help = "multiplier on p_admit when a coordinator knows the client",
                 .source = "derived (assumption)",
                 .plausible_lo = 0.6,
                 .plausible_hi = 1.0,
                 CFG_TARGET_REAL(struct care_params, ed_known_factor)},
    [E_TIME] = {.name = "time",
                .type = CFG_GROUP,
                .unit = "days",
                .help = "time in the ED before an admitted crisis joins the queue for beds "
                        "(distribution); only with risk.process = \"poisson\", whose crises are "
                        "journeys of their own; default none (at once)"},
};

const struct cfg_table care_ed_table = {
    .path = "ed",
    .help = "the emergency department",
    .keys = ed_keys,
    .n_keys = N_ED,
};

enum { H_BEDS, H_LOS, H_BOARD, H_FOLLOWUP, N_HOSP };

static const struct cfg_key hosp_keys[N_HOSP] = {
    [H_BEDS] = {.name = "beds",
                .type = CFG_INT,
                .is_required = true,
                .lo = 0,
                .hi = 1000000,
                .unit = "beds",
                .help = "local adult acute beds",
                CFG_TARGET_INT(struct care_params, beds)},
    [H_LOS] = {.name = "length_of_stay",
               .type = CFG_GROUP,
               .is_required = true,
               .unit = "days",
               .help = "length of an inpatient stay (distribution)"},
    [H_BOARD] = {.name = "boarding_limit_hours",
                 .type = CFG_REAL,
                 .lo = 0.0,
                 .hi = 10000.0,
                 .def = 24.0,
                 .unit = "hours",
                 .help = "longest wait in the ED for a local bed before an out-of-area placement",
                 .source = "derived (assumption); ED boarding about 18 h (Nicks & Manthey 2012)",
                 .plausible_lo = 12,
                 .plausible_hi = 48,
                 CFG_TARGET_REAL(struct care_params, boarding_limit_hours)},
    [H_FOLLOWUP] = {.name = "followup_uncoordinated",
                    .type = CFG_REAL,
                    .lo = 0.0,
                    .hi = 1.0,
                    .def = 0.5,
                    .help = "probability of follow-up within 7 days for a client no coordinator "
                            "holds",
                    .source = "derived (assumption)",
                    .plausible_lo = 0.3,
                    .plausible_hi = 0.7,
                    CFG_TARGET_REAL(struct care_params, followup_uncoordinated)},
};

const struct cfg_table care_hospital_table = {
    .path = "hospital",
    .help = "psychiatric inpatient beds",
    .keys = hosp_keys,
    .n_keys = N_HOSP,
};

enum { X_CURRENCY, X_PRICE_YEAR, X_BED, X_OAP, X_ED, X_CRT, X_POST, N_COST };

static const struct cfg_key cost_keys[N_COST] = {
    [X_CURRENCY] = {.name = "currency",
                    .type = CFG_STRING,
                    .is_required = true,
                    .help = "the currency every cost is in, as printed with each cost (e.g. "
                            "\"GBP\", \"EUR\", \"USD\")",
                    CFG_TARGET_STRDUP(struct care_params, currency)},
    [X_PRICE_YEAR] = {.name = "price_year",
                      .type = CFG_INT,
                      .is_required = true,
                      .lo = 1900,
                      .hi = 2200,
                      .unit = "year",
                      .help =
                          "the year whose prices the unit costs are in (printed with each cost)",
                      CFG_TARGET_INT(struct care_params, price_year)},
    [X_BED] = {.name = "bed_day",
               .type = CFG_REAL,
               .is_required = true,
               .lo = 0,
               .hi = 1e7,
               .unit = "currency",
               .help = "cost of a local bed-day"},
    [X_OAP] = {.name = "out_of_area_bed_day",
               .type = CFG_REAL,
               .lo = 0,
               .hi = 1e7,
               .def_str = "bed_day",
               .unit = "currency",
               .help = "cost of an out-of-area bed-day (default: the bed_day cost)",
               CFG_TARGET_REAL(struct care_params, cost_oap_day)},
    [X_ED] = {.name = "ed_visit",
              .type = CFG_REAL,
              .is_required = true,
              .lo = 0,
              .hi = 1e7,
              .unit = "currency",
              .help = "cost of an ED visit",
              CFG_TARGET_REAL(struct care_params, cost_ed_visit)},
    [X_CRT] = {.name = "crisis_team_contact",
               .type = CFG_REAL,
               .is_required = true,
               .lo = 0,
               .hi = 1e7,
               .unit = "currency",
               .help = "cost of a crisis-team episode",
               CFG_TARGET_REAL(struct care_params, cost_crt_contact)},
    [X_POST] = {.name = "coordinator_post",
                .type = CFG_REAL,
                .is_required = true,
                .lo = 0,
                .hi = 1e9,
                .unit = "currency per year",
                .help = "cost of a filled post",
                CFG_TARGET_REAL(struct care_params, cost_post_year)},
};

const struct cfg_table care_cost_table = {
    .path = "costs",
    .help = "unit costs, in the currency and at the prices of the year declared; when given, "
            "costs a year by component and per 100 client-years are reported",
    .keys = cost_keys,
    .n_keys = N_COST,
};

/* Warns when a length distribution's mean lies outside lo..hi days (an assumption stated by the
 * caller): legal, but most likely given in hours or weeks. */
static void warn_mean_days(struct cfg *c, const config_setting_t *d, const struct dist *dist,
                           double lo, double hi, const char *what)
{
    double mean = dist_mean(dist);
    if (!isfinite(mean) || (mean >= lo && mean <= hi)) {
        return;
    }
    const config_setting_t *m = config_setting_get_member(d, "mean");
    cfg_warn(c, m ? m : d,
             "a mean %s of %g days is %s the plausible range %g..%g days (hours or weeks where "
             "days belong?)",
             what, mean, mean < lo ? "below" : "above", lo, hi);
}

bool care_crisis_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key rk = {.name = "risk", .type = CFG_GROUP, .is_required = true};
    static const struct cfg_key tk = {
        .name = "crisis_team", .type = CFG_GROUP, .is_required = true};
    static const struct cfg_key ek = {.name = "ed", .type = CFG_GROUP, .is_required = true};
    static const struct cfg_key hk = {.name = "hospital", .type = CFG_GROUP, .is_required = true};
    static const struct cfg_key xk = {.name = "costs", .type = CFG_GROUP};
    const config_setting_t *g, *l = NULL, *d = NULL;
    bool ok = true;

    /* risk: deterioration first, then the keys with a target, then scale. */
    g = NULL;
    ok &= cfg_get_group(c, root, &rk, &g) && g;
    if (g) {
        ok &= cfg_check_keys(c, g, &care_risk_table);
        if (cfg_get_list(c, g, &risk_keys[K_DETERIORATION], &l) && l &&
            care_read_numbers(c, l, CARE_N_SEVERITY, 0.0, 365.0, p->deteriorate,
                              "low, moderate, high, complex")) {
            for (int i = 0; i < CARE_N_SEVERITY; i++) {
                p->deteriorate[i] /= CARE_DAYS_PER_YEAR;
            }
        } else {
            ok = false;
        }
        ok &= cfg_read_targets(c, g, &care_risk_table, p);
        /* Rates are given per year and used per day. */
        p->crisis_rate /= CARE_DAYS_PER_YEAR;
        p->recovery_rate /= CARE_DAYS_PER_YEAR;
        p->exit_rate /= CARE_DAYS_PER_YEAR;
        p->poisson_rate /= CARE_DAYS_PER_YEAR;
        double scale = 1.0;
        ok &= cfg_get_real(c, g, &risk_keys[K_SCALE], &scale);
        for (int i = 0; i < CARE_N_SEVERITY; i++) {
            p->deteriorate[i] *= scale;
        }
    }

    ok &= cfg_read_group(c, root, &tk, &care_crt_table, p, &g);
    if (g) {
        d = NULL;
        if (!cfg_get_group(c, g, &crt_keys[T_HOURS], &d)) {
            ok = false;
        } else if (d) {
            p->has_crt_hours = schedule_load(c, d, 0, 1, &p->crt_hours);
            ok &= p->has_crt_hours;
        }
        d = NULL;
        if (cfg_get_group(c, g, &crt_keys[T_EPISODE], &d) && d &&
            dist_load(c, d, &p->crt_episode)) {
            /* Assumption: crisis and home-treatment episodes last 1 day to 4 months. */
            warn_mean_days(c, d, &p->crt_episode, 1.0, 120.0, "episode");
        } else {
            ok = false;
        }
    }

    g = NULL;
    ok &= cfg_get_group(c, root, &ek, &g) && g;
    if (g) {
        ok &= cfg_check_keys(c, g, &care_ed_table);
        l = NULL;
        ok &= cfg_get_list(c, g, &ed_keys[E_ADMIT], &l) && l &&
              care_read_numbers(c, l, CARE_N_SEVERITY, 0.0, 1.0, p->ed_p_admit,
                                "low, moderate, high, complex");
        ok &= cfg_read_targets(c, g, &care_ed_table, p);
        d = NULL;
        if (!cfg_get_group(c, g, &ed_keys[E_TIME], &d)) {
            ok = false;
        } else if (d) {
            p->has_ed_time = dist_load(c, d, &p->ed_time);
            ok &= p->has_ed_time;
            if (p->has_ed_time && p->risk_process != RISK_PROCESS_POISSON) {
                cfg_error(c, d,
                          "needs risk.process = \"poisson\" (a client's own crisis has no time "
                          "in the ED)");
                ok = false;
            }
        }
    }

    ok &= cfg_read_group(c, root, &hk, &care_hospital_table, p, &g);
    if (g) {
        d = NULL;
        if (cfg_get_group(c, g, &hosp_keys[H_LOS], &d) && d && dist_load(c, d, &p->los)) {
            /* Assumption: a mean acute psychiatric stay lies between 1 day and a year. */
            warn_mean_days(c, d, &p->los, 1.0, 365.0, "length of stay");
        } else {
            ok = false;
        }
    }

    /* Costs are optional; out_of_area_bed_day defaults to bed_day. Absent, it is filled with
     * bed_day rather than a default out of its own range, which made the resolved scenario
     * fail to load (fuzz finding). */
    const config_setting_t *x = NULL;
    if (cfg_get_group(c, root, &xk, &x) && x) {
        ok &= cfg_check_keys(c, x, &care_cost_table);
        if (cfg_get_real(c, x, &cost_keys[X_BED], &p->cost_bed_day)) {
            cfg_fill(c, x, &cost_keys[X_OAP], p->cost_bed_day, NULL, "same as bed_day");
        } else {
            ok = false;
        }
        ok &= cfg_read_targets(c, x, &care_cost_table, p); /* bed_day has no target */
        p->has_costs = true;
        /* Printed beside every cost: a short word, no spaces or control characters. */
        const char *cur = p->currency;
        bool word = cur && cur[0] != '\0' && strlen(cur) <= 8;
        for (const char *q = cur; word && *q; q++) {
            word = isgraph((unsigned char)*q) != 0;
        }
        if (cur && !word) {
            cfg_error(c, config_setting_get_member(x, "currency"),
                      "\"%s\" is not a currency: give its code or symbol, 1 to 8 characters "
                      "with no spaces (e.g. \"GBP\", \"EUR\", \"USD\")",
                      cur);
            ok = false;
        }
        if (ok && cur) {
            char unit[64];
            snprintf(unit, sizeof unit, "%s a year, %d prices", cur, p->price_year);
            p->cost_unit_year = xstrdup(unit);
            snprintf(unit, sizeof unit, "%s per 100 client-years, %d prices", cur, p->price_year);
            p->cost_unit_cy = xstrdup(unit);
        }
    }
    p->office_start = 9.0;
    p->office_end = 17.0;
    return ok;
}

/* ---- runtime ------------------------------------------------------------------------------ */

void care_crisis_init(struct care_run *run)
{
    queue_init(&run->bed_wait, QUEUE_FIFO, 0, 0.0);
    twavg_init(&run->beds_tw, 0.0, 0.0);
    twavg_init(&run->oap_tw, 0.0, 0.0);
    double p90 = 0.9;
    tally_init(&run->boarding, 1, &p90);
}

void care_crisis_fini(struct care_run *run)
{
    queue_fini(&run->bed_wait);
    free(run->stay);
}

static void risk_event(struct sim *sim, void *obj, uint64_t arg);
static void journey_crisis(struct care_run *run, uint32_t id);

void care_risk_stop(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    if (c->ev_risk) {
        sim_cancel(&run->sim, c->ev_risk);
        c->ev_risk = 0;
    }
}

void care_risk_redraw(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    care_risk_stop(run, id);
    if (p->risk_process == RISK_PROCESS_POISSON) {
        /* A fixed rate while coordinated, whatever else the client's crises are doing. */
        if (c->stage == STAGE_COORDINATED && p->poisson_rate > 0) {
            c->ev_risk = sim_schedule(
                &run->sim, care_exponential(run, id, CARE_DRAW_RISK_TIME, 1.0 / p->poisson_rate),
                risk_event, run, id);
        }
        return;
    }
    if (c->in_hospital || c->in_crt || c->dormant) {
        return;
    }
    double rate;
    if (c->risk == RISK_STABLE) {
        rate =
            p->deteriorate[c->severity] * c->frailty * (1.0 + p->unmet_factor * c->unmet_contrib);
        if (c->stage == STAGE_DISCHARGED) {
            rate *= p->recovered_factor;
        }
        if (now < c->post_until) {
            double excess = p->post_discharge_factor - 1.0;
            rate *= 1.0 + (c->followed_up ? excess * p->followup_effect : excess);
        }
    } else {
        rate = p->crisis_rate + p->recovery_rate;
    }
    if (rate > 0) {
        c->ev_risk =
            sim_schedule(&run->sim, care_exponential(run, id, CARE_DRAW_RISK_TIME, 1.0 / rate),
                         risk_event, run, id);
    }
}

static void post_window_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    CARE_ASSERT_CLIENT(run, arg);
    run->cl[arg].ev_post = 0;
    care_risk_redraw(run, (uint32_t)arg);
    care_release(run, (uint32_t)arg);
}

static void admit(struct care_run *run, uint32_t id, bool via_ed);

static bool in_service(const struct care_client *c)
{
    return c->stage == STAGE_WAIT_ASSESS || c->stage == STAGE_ASSESSING ||
           c->stage == STAGE_WAIT_COORD || c->stage == STAGE_COORDINATED;
}

static bool crt_taking(const struct care_run *run, double t)
{
    const struct care_params *p = run->p;
    if (run->crt_busy >= p->crt_places) {
        return false;
    }
    return !p->has_crt_hours || schedule_value_at(&p->crt_hours, t) > 0;
}

static void crt_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    (void)sim;
    CARE_ASSERT_CLIENT(run, arg);
    SIM_ASSERT(run->crt_busy > 0 && run->cl[id].in_crt,
               "client %u leaves the crisis team (%d busy)", id, run->crt_busy);
    run->crt_busy--;
    run->cl[id].in_crt = false;
    care_journey(run, id, CARE_EV_CRISIS_TEAM_END);
    care_risk_redraw(run, id);
    care_release(run, id);
}

/* Where a crisis was answered, and how it ends: in admission, in home treatment by the crisis
 * team's gatekeeping of an admission the team or the ED considered, or neither. */
enum crisis_route { ROUTE_TEAM, ROUTE_CRT, ROUTE_ED };

struct crisis_answer {
    enum crisis_route route;
    bool is_admitted;
    bool is_gatekept;
};

/*
 * The end of a crisis that the client's team or the ED answered, with admission probability pa
 * and the crisis's uniform u_admit: an admission is considered when u_admit < pa. With
 * crisis_team.gatekeeping and the crisis team taking cases (its hours, a free place), the crisis
 * team assesses it and admits only with the probability pg whose odds are gatekeeping_or times
 * pa's; otherwise the client goes into home treatment (docs/model.md, 2.2.8). The same uniform
 * decides, so the clients diverted are a subset of those admitted without gatekeeping, and
 * everything else the client draws stays in step.
 */
static struct crisis_answer considered(struct care_run *run, uint32_t id, enum crisis_route route,
                                       double pa, double u_admit)
{
    const struct care_params *p = run->p;
    bool after = care_counts_after_warmup(run);

    if (!(u_admit < pa)) {
        return (struct crisis_answer){route, false, false};
    }
    if (after) {
        run->n.considered++;
    }
    if (!p->crt_gatekeeping || !crt_taking(run, run->sim.now) || care_trial_no_crt(run, id)) {
        return (struct crisis_answer){route, true, false};
    }
    /* The odds pa / (1 - pa) times the odds ratio, back to a probability; a pa of 1 or more
     * (ed.known_factor above 1) has infinite odds and stays an admission. */
    double q = fmin(pa, 1.0);
    double pg = p->crt_gatekeeping_or * q / (1.0 - q + p->crt_gatekeeping_or * q);
    if (u_admit < pg) {
        return (struct crisis_answer){route, true, false};
    }
    if (after) {
        run->n.gatekept++;
    }
    care_journey(run, id, CARE_EV_HOME_TREATMENT);
    return (struct crisis_answer){route, false, true};
}

/*
 * Routes a crisis of client id, shared by a client's own crisis and a crisis journey: the
 * client's team when coordinated, its crisis cover includes now and its unit has the response's
 * hours left this week (crisis_response_hours), else the crisis team when it is taking cases,
 * else the ED. Counts the response (after the warm-up) and decides admission
 * with the crisis's one uniform u_admit: crisis_team.p_admit for either team, ed.p_admit by
 * severity (times ed.known_factor when coordinated) at the ED, the crisis team gatekeeping the
 * admissions of the other two when asked to. The caller acts on the answer.
 */
static struct crisis_answer crisis_route(struct care_run *run, uint32_t id, bool coordinated,
                                         double u_admit)
{
    const struct care_params *p = run->p;
    const struct care_client *c = &run->cl[id];
    double now = run->sim.now;
    bool after = care_counts_after_warmup(run);

    if (coordinated && care_team_covers(run, c->model, now)) {
        /* The response takes its hours from the client's unit before its routine contacts (a
         * duty system); a unit with no hours at all cannot answer, and the crisis goes on as if
         * the team did not cover it. */
        if (care_unit_take_urgent_hours(run, c->unit, p->model[c->model].crisis_response_hours)) {
            if (after) {
                run->n.team_responses++;
            }
            care_journey(run, id, CARE_EV_TEAM_RESPONSE);
            return considered(run, id, ROUTE_TEAM, p->crt_p_admit, u_admit);
        }
        if (after) {
            run->n.team_unavailable++;
        }
    }
    if (crt_taking(run, now) && !care_trial_no_crt(run, id)) {
        if (after) {
            run->n.crt_contacts++;
        }
        care_journey(run, id, CARE_EV_CRISIS_TEAM);
        return (struct crisis_answer){ROUTE_CRT, u_admit < p->crt_p_admit, false};
    }
    if (after) {
        run->n.ed_visits++;
        care_groups_count(run, id, GROUP_ED_VISIT);
    }
    care_journey(run, id, CARE_EV_ED_VISIT);
    double pa = p->ed_p_admit[c->severity] * (coordinated ? p->ed_known_factor : 1.0);
    return considered(run, id, ROUTE_ED, pa, u_admit);
}

/* Client id starts a crisis-team episode: answered by the crisis team (CARE_DRAW_CRT_EPISODE), or
 * taken into home treatment by its gatekeeping (CARE_DRAW_GATEKEEP, so that the other episodes'
 * draws stay in step). Its risk process waits for the end. */
static void crt_start(struct care_run *run, uint32_t id, enum care_draw draw)
{
    struct care_client *c = &run->cl[id];

    run->crt_busy++;
    c->in_crt = true;
    care_risk_stop(run, id);
    sim_schedule(&run->sim, care_draw(run, id, draw, &run->p->crt_episode), crt_end, run, id);
}

static bool p_trial_crisis(const struct care_run *run)
{
    return run->p->trial.on && run->p->trial.population == TRIAL_CRISIS;
}

static void crisis(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    bool after = care_counts_after_warmup(run);
    bool coordinated = c->stage == STAGE_COORDINATED;
    /* One admission uniform per crisis, whichever way it goes. */
    double u_admit = care_uniform(run, id, CARE_DRAW_CRISIS_ADMIT);

    c->risk = RISK_STABLE;
    run->week_crises++;
    if (after) {
        run->n.crises++;
        care_groups_count(run, id, GROUP_CRISIS);
        if (coordinated) {
            run->model[c->model].crises++;
        }
    }
    care_journey(run, id, CARE_EV_CRISIS);
    if (p_trial_crisis(run)) {
        care_trial_crisis(run, id); /* enrolled before the crisis is answered */
    }
    if (!in_service(c)) {
        care_rerefer(run, id);
        coordinated = false;
    }
    struct crisis_answer a = crisis_route(run, id, coordinated, u_admit);
    if (a.route == ROUTE_ED) {
        run->week.ed_visits++;
    }
    if (a.is_admitted) {
        admit(run, id, a.route == ROUTE_ED);
    } else if (a.is_gatekept) {
        crt_start(run, id, CARE_DRAW_GATEKEEP);
    } else if (a.route == ROUTE_CRT) {
        crt_start(run, id, CARE_DRAW_CRT_EPISODE);
    } else {
        care_risk_redraw(run, id);
    }
}

static void risk_event(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    CARE_ASSERT_CLIENT(run, arg);
    struct care_client *c = &run->cl[id];
    const struct care_params *p = run->p;
    (void)sim;

    c->ev_risk = 0;
    if (p->risk_process == RISK_PROCESS_POISSON) {
        journey_crisis(run, id);
        care_risk_redraw(run, id);
        return;
    }
    if (c->risk == RISK_STABLE) {
        c->risk = RISK_DETERIORATING;
        care_journey(run, id, CARE_EV_DETERIORATING);
        care_risk_redraw(run, id);
        return;
    }
    double total = p->crisis_rate + p->recovery_rate;
    if (care_uniform(run, id, CARE_DRAW_RISK_CRISIS) * total < p->crisis_rate) {
        crisis(run, id);
    } else {
        c->risk = RISK_STABLE;
        care_journey(run, id, CARE_EV_RECOVERED);
        care_risk_redraw(run, id);
    }
}

void care_detected(struct care_run *run, uint32_t id, double effect)
{
    struct care_client *c = &run->cl[id];
    const struct care_model *md = &run->p->model[c->model];

    if (care_uniform(run, id, CARE_DRAW_RESOLVE) < md->resolve * effect) {
        c->risk = RISK_STABLE;
        care_journey(run, id, CARE_EV_RESOLVED);
        care_risk_redraw(run, id);
    } else if (md->refer_detected) {
        /* Referred on to crisis services: the crisis comes now, answered as any crisis. */
        crisis(run, id);
    }
}

/* ---- beds --------------------------------------------------------------------------------- */

static void discharge(struct sim *sim, void *obj, uint64_t arg);

/* A bed taken now by client id: local, or out of area (counted as a placement after the
 * warm-up). */
static void bed_taken(struct care_run *run, uint32_t id, bool local)
{
    double now = run->sim.now;
    care_groups_bed(run, id, 1);
    if (local) {
        run->beds_busy++;
        twavg_set(&run->beds_tw, now, run->beds_busy);
    } else {
        run->oap_now++;
        twavg_set(&run->oap_tw, now, run->oap_now);
        if (care_counts_after_warmup(run)) {
            run->n.oap++;
        }
    }
}

/* A bed given back now by client id: local or out of area. */
static void bed_left(struct care_run *run, uint32_t id, bool out_of_area)
{
    double now = run->sim.now;
    care_groups_bed(run, id, -1);
    if (out_of_area) {
        run->oap_now--;
        twavg_set(&run->oap_tw, now, run->oap_now);
    } else {
        run->beds_busy--;
        twavg_set(&run->beds_tw, now, run->beds_busy);
    }
}

static void start_stay(struct care_run *run, uint32_t id, bool local)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    c->boarding = false;
    c->t_admitted = now;
    c->out_of_area = !local;
    bed_taken(run, id, local);
    care_journey(run, id, local ? CARE_EV_LOCAL_BED : CARE_EV_OUT_OF_AREA);
    sim_schedule(&run->sim, care_draw(run, id, CARE_DRAW_LOS, &run->p->los), discharge, run, id);
}

static void boarding_limit(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    CARE_ASSERT_CLIENT(run, arg);
    struct care_client *c = &run->cl[id];
    struct queue_entry e;

    SIM_ASSERT(c->boarding && c->in_hospital, "client %u: boarding limit while not boarding", id);
    c->ev_board = 0;
    queue_remove(&run->bed_wait, sim->now, c->q_bed, &e);
    c->q_bed = 0;
    if (care_counts_after_warmup(run) && c->via_ed) {
        tally_add(&run->boarding, (sim->now - e.t_enter) * 24.0);
    }
    start_stay(run, id, false);
}

static void admit(struct care_run *run, uint32_t id, bool via_ed)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;
    bool after = care_counts_after_warmup(run);

    care_risk_stop(run, id);
    c->risk = RISK_STABLE;
    c->admissions++;
    if (run->p->trial.on) {
        care_trial_admitted(run, id);
    }
    c->via_ed = via_ed;
    c->adm_model_plus1 = c->stage == STAGE_COORDINATED ? (uint8_t)(c->model + 1) : 0;
    run->week.admissions++;
    if (after) {
        run->n.admissions++;
        care_groups_count(run, id, GROUP_ADMISSION);
        if (now - c->t_discharge <= 30.0) {
            run->n.readmissions_30d++;
        }
        if (c->adm_model_plus1) {
            run->model[c->model].admissions++;
        }
    }
    care_set_hospital(run, id, true);
    care_journey(run, id, CARE_EV_ADMISSION);
    if (run->beds_busy < run->p->beds) {
        if (after && via_ed) {
            tally_add(&run->boarding, 0.0);
        }
        start_stay(run, id, true);
        return;
    }
    c->boarding = true;
    care_journey(run, id, CARE_EV_BOARDING);
    c->q_bed = queue_push(&run->bed_wait, now, id, 0.0);
    c->ev_board =
        sim_schedule(&run->sim, run->p->boarding_limit_hours / 24.0, boarding_limit, run, id);
}

/* Whether the client discharged now (from a stay begun at t_admitted) is followed up within
 * 7 days, and the discharge counted (after the warm-up): the stay's length, and the follow-up
 * of the model coordinating the client. */
static bool discharge_followed(struct care_run *run, uint32_t id, double t_admitted, bool after)
{
    const struct care_client *c = &run->cl[id];
    const struct care_params *p = run->p;
    bool coordinated = c->stage == STAGE_COORDINATED;
    double pf = coordinated ? p->model[c->model].followup_7d : p->followup_uncoordinated;
    bool followed = care_uniform(run, id, CARE_DRAW_FOLLOWUP) < pf;

    care_journey(run, id, CARE_EV_DISCHARGE);
    if (followed) {
        care_journey(run, id, CARE_EV_FOLLOWED_UP);
    }

    if (after) {
        run->n.discharges++;
        run->n.followups += followed;
        run->n.stays++;
        run->n.stay_days += run->sim.now - t_admitted;
        if (coordinated) {
            run->model[c->model].discharges++;
            run->model[c->model].followups += followed;
        }
    }
    return followed;
}

static void discharge(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t id = (uint32_t)arg;
    CARE_ASSERT_CLIENT(run, arg);
    SIM_ASSERT(run->cl[id].in_hospital && !run->cl[id].boarding, "client %u discharged from no bed",
               id);
    struct care_client *c = &run->cl[id];
    const struct care_params *p = run->p;
    double now = sim->now;
    bool after = care_counts_after_warmup(run);

    if (c->adm_model_plus1 && after) {
        run->model[c->adm_model_plus1 - 1].bed_days += now - fmax(c->t_admitted, run->warmup);
    }
    if (p->trial.on) {
        care_trial_discharged(run, id);
    }
    bed_left(run, id, c->out_of_area);
    if (c->out_of_area) {
        c->out_of_area = false;
    } else {
        struct queue_entry e;
        if (queue_pop(&run->bed_wait, now, &e)) {
            uint32_t next = (uint32_t)e.item;
            struct care_client *b = &run->cl[next];
            sim_cancel(sim, b->ev_board);
            b->ev_board = 0;
            b->q_bed = 0;
            if (after && b->via_ed) {
                tally_add(&run->boarding, (now - e.t_enter) * 24.0);
            }
            start_stay(run, next, true);
        }
    }
    care_set_hospital(run, id, false);
    c->followed_up = discharge_followed(run, id, c->t_admitted, after);
    c->t_discharge = now;
    c->post_until = now + p->post_discharge_days;
    if (c->ev_post) {
        sim_cancel(sim, c->ev_post);
    }
    c->ev_post = p->post_discharge_days > 0
                     ? sim_schedule(sim, p->post_discharge_days, post_window_end, run, id)
                     : 0;
    care_risk_redraw(run, id);
    care_release(run, id);
}

/* ---- crisis journeys (risk.process = "poisson") ------------------------------------------ */

/*
 * Each crisis is a journey of its own, as in a network of queues: it is answered like a
 * client's crisis (the team, the crisis team, or the ED), and an admitted one spends ed.time in
 * the ED (when given), then takes a bed or boards for one, with the same boarding limit, while
 * the client stays where it is (coordinated, its slot held, its contacts going on). So crises
 * go on at the same rate during the journey's stay, and a client may have several journeys in
 * hospital at once. Counts (crises, admissions, bed-days, discharges) are those of the client's
 * crises; the draws are the client's (one admission uniform per crisis, then its stay).
 */

static void journey_discharge(struct sim *sim, void *obj, uint64_t arg);
static void journey_ed_done(struct sim *sim, void *obj, uint64_t arg);

static uint32_t stay_new(struct care_run *run, uint32_t id)
{
    uint32_t s;
    if (run->free_stay) {
        s = run->free_stay - 1;
        run->free_stay = run->stay[s].next_free;
    } else {
        if (run->n_stays == run->cap_stays) {
            run->cap_stays = run->cap_stays ? run->cap_stays * 2 : 64;
            run->stay = xreallocarray(run->stay, run->cap_stays, sizeof *run->stay);
        }
        s = run->n_stays++;
    }
    struct care_client *c = &run->cl[id];
    c->open_journeys++;
    run->stay[s] = (struct care_stay){
        .client = id, .model = c->stage == STAGE_COORDINATED ? c->model : -1, .in_use = true};
    return s;
}

static void stay_free(struct care_run *run, uint32_t s)
{
    run->stay[s] = (struct care_stay){.next_free = run->free_stay};
    run->free_stay = s + 1;
}

static void journey_stay(struct care_run *run, uint32_t s, bool local)
{
    struct care_stay *st = &run->stay[s];
    double now = run->sim.now;

    st->boarding = false;
    st->t_admitted = now;
    st->out_of_area = !local;
    bed_taken(run, st->client, local);
    care_journey(run, st->client, local ? CARE_EV_LOCAL_BED : CARE_EV_OUT_OF_AREA);
    sim_schedule(&run->sim, care_draw(run, st->client, CARE_DRAW_LOS, &run->p->los),
                 journey_discharge, run, s);
}

static void journey_boarding_limit(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t s = (uint32_t)arg;
    struct queue_entry e;

    SIM_ASSERT(s < run->n_stays && run->stay[s].in_use && run->stay[s].boarding,
               "stay %u: boarding limit while not boarding", s);
    run->stay[s].ev_board = 0;
    queue_remove(&run->bed_wait, sim->now, run->stay[s].q_bed, &e);
    run->stay[s].q_bed = 0;
    if (care_counts_after_warmup(run)) {
        tally_add(&run->boarding, (sim->now - e.t_enter) * 24.0);
    }
    journey_stay(run, s, false);
}

/* The admitted journey leaves the ED for a bed, or boards for one. */
static void journey_to_beds(struct care_run *run, uint32_t s)
{
    struct care_stay *st = &run->stay[s];

    st->in_ed = false;
    if (run->beds_busy < run->p->beds) {
        if (care_counts_after_warmup(run)) {
            tally_add(&run->boarding, 0.0);
        }
        journey_stay(run, s, true);
        return;
    }
    st->boarding = true;
    care_journey(run, st->client, CARE_EV_BOARDING);
    st->q_bed = queue_push(&run->bed_wait, run->sim.now, s, 0.0);
    st->ev_board = sim_schedule(&run->sim, run->p->boarding_limit_hours / 24.0,
                                journey_boarding_limit, run, s);
}

static void journey_admit(struct care_run *run, uint32_t id, bool via_ed)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;
    uint32_t s = stay_new(run, id);

    c->admissions++;
    if (care_counts_after_warmup(run)) {
        run->n.admissions++;
        care_groups_count(run, id, GROUP_ADMISSION);
        if (now - c->t_discharge <= 30.0) {
            run->n.readmissions_30d++;
        }
        if (run->stay[s].model >= 0) {
            run->model[run->stay[s].model].admissions++;
        }
    }
    care_journey(run, id, CARE_EV_ADMISSION);
    if (via_ed && run->p->has_ed_time) {
        run->stay[s].in_ed = true;
        sim_schedule(&run->sim, care_draw(run, id, CARE_DRAW_ED_TIME, &run->p->ed_time),
                     journey_ed_done, run, s);
        return;
    }
    journey_to_beds(run, s);
}

static void journey_ed_done(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t s = (uint32_t)arg;
    (void)sim;
    SIM_ASSERT(s < run->n_stays && run->stay[s].in_use && run->stay[s].in_ed,
               "stay %u leaves the ED it is not in", s);
    journey_to_beds(run, s);
}

static void journey_crt_end(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)sim;
    (void)arg;
    SIM_ASSERT(run->crt_busy > 0, "a journey leaves the crisis team (%d busy)", run->crt_busy);
    run->crt_busy--;
}

static void journey_crisis(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];
    bool coordinated = c->stage == STAGE_COORDINATED;
    double u_admit = care_uniform(run, id, CARE_DRAW_CRISIS_ADMIT);

    run->week_crises++;
    if (care_counts_after_warmup(run)) {
        run->n.crises++;
        care_groups_count(run, id, GROUP_CRISIS);
        if (coordinated) {
            run->model[c->model].crises++;
        }
    }
    care_journey(run, id, CARE_EV_CRISIS);
    struct crisis_answer a = crisis_route(run, id, coordinated, u_admit);
    if (a.is_admitted) {
        journey_admit(run, id, a.route == ROUTE_ED);
    } else if (a.is_gatekept || a.route == ROUTE_CRT) {
        enum care_draw draw = a.is_gatekept ? CARE_DRAW_GATEKEEP : CARE_DRAW_CRT_EPISODE;
        run->crt_busy++;
        sim_schedule(&run->sim, care_draw(run, id, draw, &p->crt_episode), journey_crt_end, run,
                     id);
    }
}

static void journey_discharge(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    uint32_t s = (uint32_t)arg;
    SIM_ASSERT(s < run->n_stays && run->stay[s].in_use && !run->stay[s].boarding &&
                   !run->stay[s].in_ed,
               "stay %u discharged from no bed", s);
    struct care_stay *st = &run->stay[s];
    uint32_t id = st->client;
    struct care_client *c = &run->cl[id];
    double now = sim->now;
    bool after = care_counts_after_warmup(run);

    if (st->model >= 0 && after) {
        run->model[st->model].bed_days += now - fmax(st->t_admitted, run->warmup);
    }
    bed_left(run, id, st->out_of_area);
    if (!st->out_of_area) {
        struct queue_entry e;
        if (queue_pop(&run->bed_wait, now, &e)) {
            uint32_t next = (uint32_t)e.item;
            struct care_stay *b = &run->stay[next];
            sim_cancel(sim, b->ev_board);
            b->ev_board = 0;
            b->q_bed = 0;
            if (after) {
                tally_add(&run->boarding, (now - e.t_enter) * 24.0);
            }
            journey_stay(run, next, true);
        }
    }
    double t_admitted = st->t_admitted;
    stay_free(run, s);
    discharge_followed(run, id, t_admitted, after);
    c->t_discharge = now;
    c->open_journeys--;
    care_release(run, id); /* the journey may have been the last thing the client waited on */
}

void care_stays_count(const struct care_run *run, int64_t *local, int64_t *boarding, int64_t *oap)
{
    for (uint32_t s = 0; s < run->n_stays; s++) {
        const struct care_stay *st = &run->stay[s];
        if (st->in_use && !st->in_ed) {
            *boarding += st->boarding;
            *oap += st->out_of_area;
            *local += !st->boarding && !st->out_of_area;
        }
    }
}

void care_stays_close(struct care_run *run, double now)
{
    for (uint32_t s = 0; s < run->n_stays; s++) {
        const struct care_stay *st = &run->stay[s];
        if (st->in_use && !st->in_ed && !st->boarding && st->model >= 0) {
            run->model[st->model].bed_days += now - fmax(st->t_admitted, run->warmup);
        }
    }
}

void care_snapshot_stay(struct care_run *run, uint32_t id, int wanted, double days)
{
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;
    bool local = wanted == 1 && run->beds_busy < run->p->beds;

    care_set_hospital(run, id, true);
    c->t_admitted = now - days;
    care_groups_bed(run, id, 1);
    if (local) {
        run->beds_busy++;
        twavg_set(&run->beds_tw, now, run->beds_busy);
    } else {
        c->out_of_area = true;
        run->oap_now++;
        twavg_set(&run->oap_tw, now, run->oap_now);
    }
    double rest = care_remaining(&run->p->los, days, care_uniform(run, id, CARE_DRAW_LOS));
    sim_schedule(&run->sim, rest, discharge, run, id);
}

void care_crisis_name_events(struct sim *sim)
{
    sim_name_event(sim, journey_discharge, "journey_discharge");
    sim_name_event(sim, journey_ed_done, "journey_ed_done");
    sim_name_event(sim, journey_boarding_limit, "journey_boarding_limit");
    sim_name_event(sim, journey_crt_end, "journey_crt_end");
    sim_name_event(sim, post_window_end, "post_window_end");
    sim_name_event(sim, crt_end, "crt_end");
    sim_name_event(sim, risk_event, "risk_event");
    sim_name_event(sim, boarding_limit, "boarding_limit");
    sim_name_event(sim, discharge, "discharge");
}
