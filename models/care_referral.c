/*
 * care_referral — referrals into the service and the clients they bring.
 *
 * Referrals arrive as a Poisson process whose rate follows a weekly profile and optional step
 * changes (rate x factor from a given day), simulated by thinning against the highest rate.
 * Only the arrival times come from the arrivals stream; everything about a client (referral
 * source, severity, needs, individual risk, engagement, admissions in the year before, whether
 * the referral is urgent) comes from the client's own substreams, keyed by its referral index,
 * so the n-th client is the same person in every scenario of a comparison. A source may bring
 * its own severity mix, prior admissions and urgent share; the region's apply otherwise.
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

enum {
    R_RATE,
    R_PROFILE,
    R_STEPS,
    R_SOURCES,
    R_SEVERITY,
    R_PRIOR,
    R_RISK_SD,
    R_ENGAGE_SD,
    R_NEEDS,
    R_POPULATION,
    R_TIGHTEN_AT,
    R_TIGHTEN_SPAN,
    R_TIGHTEN_MAX,
    R_URGENT,
    N_RKEYS
};

static const struct cfg_key referral_keys[N_RKEYS] = {
    [R_RATE] = {.name = "rate",
                .type = CFG_REAL,
                .is_required = true,
                .lo = 0.0,
                .hi = 1e5,
                .flags = CFG_LO_OPEN,
                .unit = "referrals per day",
                .help = "mean referral rate over a week",
                CFG_TARGET_REAL(struct care_params, referral_rate)},
    [R_PROFILE] = {.name = "weekly_profile",
                   .type = CFG_LIST,
                   .help = "7 relative rates, Monday to Sunday (normalised to mean 1); default "
                           "flat"},
    [R_STEPS] = {.name = "steps",
                 .type = CFG_LIST,
                 .help = "step changes: ( { from = DAY; factor = X; } ... ), each multiplying "
                         "the rate from that day on"},
    [R_SOURCES] = {.name = "sources",
                   .type = CFG_LIST,
                   .help = "referral sources: ( { name = \"gp\"; share = 0.6; } ... ), shares "
                           "summing to 1, each with optional severity, prior_admissions and "
                           "urgent of its own (see referrals.sources[]); default one source "
                           "\"referral\""},
    [R_SEVERITY] = {.name = "severity",
                    .type = CFG_LIST,
                    .is_required = true,
                    .help = "shares of low, moderate, high and complex severity, summing to 1"},
    [R_PRIOR] = {.name = "prior_admissions",
                 .type = CFG_LIST,
                 .is_required = true,
                 .unit = "admissions",
                 .help = "mean admissions in the year before referral, by severity "
                         "(times the client's individual risk)"},
    [R_RISK_SD] = {.name = "risk_sd",
                   .type = CFG_REAL,
                   .lo = 0.0,
                   .hi = 5.0,
                   .def = 0.5,
                   .help = "sd of the individual risk multiplier (lognormal, mean 1)",
                   .source = "derived (assumption): heterogeneity of crisis risk",
                   .plausible_lo = 0.3,
                   .plausible_hi = 0.8,
                   CFG_TARGET_REAL(struct care_params, risk_sd)},
    [R_ENGAGE_SD] = {.name = "engagement_sd",
                     .type = CFG_REAL,
                     .lo = 0.0,
                     .hi = 5.0,
                     .def = 0.3,
                     .help = "sd of the individual engagement multiplier on missed contacts and "
                             "disengagement (lognormal, mean 1)",
                     .source = "derived (assumption)",
                     .plausible_lo = 0.1,
                     .plausible_hi = 0.5,
                     CFG_TARGET_REAL(struct care_params, engagement_sd)},
    [R_NEEDS] = {.name = "needs",
                 .type = CFG_LIST,
                 .is_required = true,
                 .help = "( { name = \"housing\"; p = [low, moderate, high, complex]; service = "
                         "\"housing\"; } ... ): who has each need, and the service that meets "
                         "it"},
    [R_POPULATION] = {.name = "population",
                      .type = CFG_REAL,
                      .lo = 1.0,
                      .hi = 1e9,
                      .flags = CFG_NOT_VARIED,
                      .def = 250000.0,
                      .unit = "adults",
                      .source = "plausible range an assumption: an NHS mental-health trust or "
                                "integrated care board serves 10 thousand to 10 million adults; "
                                "outside it ccsim warns",
                      .plausible_lo = 1e4,
                      .plausible_hi = 1e7,
                      .help = "adults in the region (for reporting beside the rates)",
                      CFG_TARGET_REAL(struct care_params, population)},
    [R_TIGHTEN_AT] = {.name = "tighten_at",
                      .type = CFG_REAL,
                      .lo = 0.0,
                      .hi = 1e6,
                      .def = 0.0,
                      .unit = "clients",
                      .help = "length of the coordination waiting list (of the model a referral "
                              "would join) above which triage turns away some referrals of the "
                              "lowest severity that model accepts (with tighten_max > 0)",
                      .source = "assumption: services raise their thresholds when waiting lists "
                                "are long; no published length",
                      CFG_TARGET_REAL(struct care_params, tighten_at)},
    [R_TIGHTEN_SPAN] = {.name = "tighten_span",
                        .type = CFG_REAL,
                        .lo = 0.0,
                        .hi = 1e6,
                        .flags = CFG_LO_OPEN,
                        .def = 100.0,
                        .unit = "clients",
                        .help = "clients beyond tighten_at over which the share turned away rises "
                                "linearly from 0 to tighten_max",
                        .source = "assumption: a graded response, no published shape",
                        CFG_TARGET_REAL(struct care_params, tighten_span)},
    [R_TIGHTEN_MAX] = {.name = "tighten_max",
                       .type = CFG_REAL,
                       .lo = 0.0,
                       .hi = 1.0,
                       .def = 0.0,
                       .help = "the largest share of the lowest accepted severity signposted when "
                               "the list is long; 0: thresholds never tighten",
                       .source = "assumption: no published share; 0 keeps triage as its models "
                                 "define it",
                       CFG_TARGET_REAL(struct care_params, tighten_max)},
    [R_URGENT] = {.name = "urgent",
                  .type = CFG_REAL,
                  .lo = 0.0,
                  .hi = 1.0,
                  .def = 0.0,
                  .help = "share of referrals that are urgent, for sources without an urgent "
                          "share of their own; urgency orders a waiting list only with priority "
                          "\"urgent_first\" (assessment.priority, coordination.priority)",
                  .source = "assumption: no published region-wide share; 0 marks no referral "
                            "urgent",
                  CFG_TARGET_REAL(struct care_params, urgent)},
};

const struct cfg_table care_referral_table = {
    .path = "referrals",
    .help = "who is referred, when, and with what",
    .keys = referral_keys,
    .n_keys = N_RKEYS,
};

/* A step and a source as read, before they join the parallel arrays of struct care_params. */
struct step_row {
    double from; /* day */
    double factor;
};
struct source_row {
    const char *name; /* borrowed from the tree */
    double share;
};

static const struct cfg_key step_keys[] = {
    {.name = "from",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = HUGE_VAL,
     .unit = "days",
     .help = "day the change takes effect",
     CFG_TARGET_REAL(struct step_row, from)},
    {.name = "factor",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = 100.0,
     .help = "multiplier on the referral rate from that day",
     CFG_TARGET_REAL(struct step_row, factor)},
};

const struct cfg_table care_step_table = {
    .path = "referrals.steps[]",
    .help = "a step change in the referral rate",
    .keys = step_keys,
    .n_keys = 2,
};

enum { S_NAME, S_SHARE, S_SEVERITY, S_PRIOR, S_URGENT, N_SKEYS };

/* A source's severity, prior_admissions and urgent have no default: absent, the region's apply
 * (read by care_referral_load(), not cfg_read(), so that absent stays absent). */
static const struct cfg_key source_keys[N_SKEYS] = {
    [S_NAME] = {.name = "name",
                .type = CFG_STRING,
                .is_required = true,
                .help = "referral source",
                CFG_TARGET_STRING(struct source_row, name)},
    [S_SHARE] = {.name = "share",
                 .type = CFG_REAL,
                 .is_required = true,
                 .lo = 0.0,
                 .hi = 1.0,
                 .help = "share of referrals from this source",
                 CFG_TARGET_REAL(struct source_row, share)},
    [S_SEVERITY] = {.name = "severity",
                    .type = CFG_LIST,
                    .help = "the source's own shares of low, moderate, high and complex "
                            "severity, summing to 1; absent: the region's (referrals.severity)"},
    [S_PRIOR] = {.name = "prior_admissions",
                 .type = CFG_LIST,
                 .unit = "admissions",
                 .help = "the source's own mean admissions in the year before referral, by "
                         "severity; absent: the region's (referrals.prior_admissions)"},
    [S_URGENT] = {.name = "urgent",
                  .type = CFG_REAL,
                  .lo = 0.0,
                  .hi = 1.0,
                  .def_str = "referrals.urgent",
                  .help = "share of the source's referrals that are urgent; absent: the "
                          "region's (referrals.urgent)",
                  .source = "assumption: the baseline's are stated in scenarios/care/baseline.cfg "
                            "and docs/model.md 2.2.1"},
};

const struct cfg_table care_source_table = {
    .path = "referrals.sources[]",
    .help = "a referral source, and what its referrals bring when it differs from the region",
    .keys = source_keys,
    .n_keys = N_SKEYS,
};

static const struct cfg_key need_keys[] = {
    {.name = "name",
     .type = CFG_STRING,
     .is_required = true,
     .help = "the need",
     CFG_TARGET_STRDUP(struct care_need, name)},
    {.name = "p",
     .type = CFG_LIST,
     .is_required = true,
     .help = "probability of the need by severity: [low, moderate, high, complex]"},
    {.name = "service",
     .type = CFG_STRING,
     .is_required = true,
     .help = "name of the service (in services) that meets it"},
};

const struct cfg_table care_need_table = {
    .path = "referrals.needs[]",
    .help = "a need clients may have",
    .keys = need_keys,
    .n_keys = 3,
};

bool care_read_numbers(struct cfg *c, const config_setting_t *list, int n, double lo, double hi,
                       double *out, const char *what)
{
    if (config_setting_length(list) != n) {
        cfg_error(c, list, "%d values (%s: exactly %d)", config_setting_length(list), what, n);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (!cfg_number(c, e, &out[i])) {
            ok = false;
        } else if (!(out[i] >= lo && out[i] <= hi)) {
            cfg_error(c, e, "%g is out of range (real %g..%g)", out[i], lo, hi);
            ok = false;
        }
    }
    return ok;
}

/* Shares that must sum to 1: converts to cumulative. */
static bool shares_to_cum(struct cfg *c, const config_setting_t *s, double *v, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += v[i];
        v[i] = sum;
    }
    if (fabs(sum - 1.0) > 1e-6) {
        cfg_error(c, s, "shares sum to %g (they must sum to 1)", sum);
        return false;
    }
    v[n - 1] = 1.0;
    return true;
}

/* Reads referrals.sources[] once the region's severity mix, prior admissions and urgent share
 * are known: each source takes the region's values for the keys it does not give. */
static bool sources_load(struct cfg *c, const config_setting_t *g, struct care_params *p)
{
    const config_setting_t *l = NULL;
    bool ok = true;

    p->n_sources = 1;
    p->source_name[0] = xstrdup("referral");
    p->source_cum[0] = 1.0;
    for (int i = 0; i < CARE_MAX_SOURCES; i++) {
        memcpy(p->source_severity_cum[i], p->severity_cum, sizeof p->severity_cum);
        memcpy(p->source_prior[i], p->prior_admissions, sizeof p->prior_admissions);
        p->source_urgent[i] = p->urgent;
    }
    if (!cfg_get_list(c, g, &referral_keys[R_SOURCES], &l)) {
        return false;
    }
    if (!l) {
        return true;
    }
    int n = config_setting_length(l);
    if (n < 1 || n > CARE_MAX_SOURCES) {
        cfg_error(c, l, "%d sources (1 to %d)", n, CARE_MAX_SOURCES);
        return false;
    }
    free(p->source_name[0]);
    p->n_sources = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e =
            cfg_elem_group(c, l, i, "a source (a group { name = ...; share = ...; })");
        struct source_row row = {0};
        int k = p->n_sources++;
        if (!e) {
            p->source_name[k] = xstrdup("?");
            ok = false;
            continue;
        }
        ok &= cfg_read(c, e, &care_source_table, &row);
        p->source_name[k] = xstrdup(row.name ? row.name : "?");
        p->source_cum[k] = row.share;
        const config_setting_t *x = NULL;
        if (!cfg_get_list(c, e, &source_keys[S_SEVERITY], &x)) {
            ok = false;
        } else if (x) {
            ok &= care_read_numbers(c, x, CARE_N_SEVERITY, 0.0, 1.0, p->source_severity_cum[k],
                                    "low, moderate, high, complex") &&
                  shares_to_cum(c, x, p->source_severity_cum[k], CARE_N_SEVERITY);
        }
        x = NULL;
        if (!cfg_get_list(c, e, &source_keys[S_PRIOR], &x)) {
            ok = false;
        } else if (x) {
            ok &= care_read_numbers(c, x, CARE_N_SEVERITY, 0.0, 100.0, p->source_prior[k],
                                    "low, moderate, high, complex");
        }
        if (config_setting_get_member(e, source_keys[S_URGENT].name)) {
            ok &= cfg_get_real(c, e, &source_keys[S_URGENT], &p->source_urgent[k]);
        }
    }
    if (ok) {
        ok = shares_to_cum(c, l, p->source_cum, p->n_sources);
    }
    return ok;
}

bool care_referral_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key group_key = {
        .name = "referrals", .type = CFG_GROUP, .is_required = true};
    const config_setting_t *g, *l;
    bool ok = true;

    ok &= cfg_read_group(c, root, &group_key, &care_referral_table, p, &g);
    if (!g) {
        return false;
    }

    for (int i = 0; i < 7; i++) {
        p->weekly_profile[i] = 1.0;
    }
    l = NULL; /* cfg_get_list() leaves it unset when the value has the wrong type */
    if (!cfg_get_list(c, g, &referral_keys[R_PROFILE], &l)) {
        ok = false;
    } else if (l) {
        if (care_read_numbers(c, l, 7, 0.0, 1e3, p->weekly_profile, "Monday to Sunday")) {
            double sum = 0;
            for (int i = 0; i < 7; i++) {
                sum += p->weekly_profile[i];
            }
            if (!(sum > 0)) {
                cfg_error(c, l, "every day is 0 (at least one day above 0)");
                ok = false;
            } else {
                for (int i = 0; i < 7; i++) {
                    p->weekly_profile[i] *= 7.0 / sum;
                }
            }
        } else {
            ok = false;
        }
    }
    p->profile_max = 0;
    for (int i = 0; i < 7; i++) {
        p->profile_max = fmax(p->profile_max, p->weekly_profile[i]);
    }

    l = NULL;
    if (!cfg_get_list(c, g, &referral_keys[R_STEPS], &l)) {
        ok = false;
    } else if (l) {
        int n = config_setting_length(l);
        if (n > CARE_MAX_STEPS) {
            cfg_error(c, l, "%d steps (at most %d)", n, CARE_MAX_STEPS);
            ok = false;
            n = 0;
        }
        for (int i = 0; i < n; i++) {
            const config_setting_t *e =
                cfg_elem_group(c, l, i, "a step (a group { from = DAY; factor = X; })");
            struct step_row row = {0};
            if (!e) {
                ok = false;
                continue;
            }
            ok &= cfg_read(c, e, &care_step_table, &row);
            p->step_from[i] = row.from;
            p->step_factor[i] = row.factor;
            if (i > 0 && !(p->step_from[i] > p->step_from[i - 1])) {
                cfg_error(c, e, "from %g does not come after %g (steps in increasing order)",
                          p->step_from[i], p->step_from[i - 1]);
                ok = false;
            }
        }
        p->n_steps = n;
    }

    l = NULL;
    if (cfg_get_list(c, g, &referral_keys[R_SEVERITY], &l) && l) {
        if (care_read_numbers(c, l, CARE_N_SEVERITY, 0.0, 1.0, p->severity_cum,
                              "low, moderate, high, complex")) {
            ok &= shares_to_cum(c, l, p->severity_cum, CARE_N_SEVERITY);
        } else {
            ok = false;
        }
    } else {
        ok = false;
    }
    l = NULL;
    ok &= cfg_get_list(c, g, &referral_keys[R_PRIOR], &l) && l &&
          care_read_numbers(c, l, CARE_N_SEVERITY, 0.0, 100.0, p->prior_admissions,
                            "low, moderate, high, complex");

    ok &= sources_load(c, g, p);

    l = NULL;
    if (!cfg_get_list(c, g, &referral_keys[R_NEEDS], &l) || !l) {
        return false;
    }
    int n = config_setting_length(l);
    if (n > CARE_MAX_NEEDS) {
        cfg_error(c, l, "%d needs (at most %d)", n, CARE_MAX_NEEDS);
        ok = false;
        n = 0;
    }
    for (int i = 0; i < n; i++) {
        const config_setting_t *e =
            cfg_elem_group(c, l, i, "a need (a group { name = ...; p = [...]; service = ...; })");
        struct care_need *nd = &p->need[i];
        const char *svc = NULL;
        const config_setting_t *pl = NULL;
        if (!e) {
            ok = false;
            continue;
        }
        ok &= cfg_read(c, e, &care_need_table, nd);
        if (!nd->name) {
            nd->name = xstrdup("?");
        }
        ok &= cfg_get_list(c, e, &need_keys[1], &pl) && pl &&
              care_read_numbers(c, pl, CARE_N_SEVERITY, 0.0, 1.0, nd->p,
                                "low, moderate, high, complex");
        nd->service = -1;
        if (cfg_get_string(c, e, &need_keys[2], &svc) && svc) {
            for (int k = 0; k < p->n_services; k++) {
                if (strcmp(p->service[k].name, svc) == 0) {
                    nd->service = k;
                }
            }
            if (nd->service < 0) {
                char list[1024] = "";
                size_t len = 0;
                for (int k = 0; k < p->n_services && len < sizeof list; k++) {
                    int w = snprintf(list + len, sizeof list - len, "%s\"%s\"", k ? ", " : "",
                                     p->service[k].name);
                    len += w > 0 ? (size_t)w : 0;
                }
                cfg_error(c, config_setting_get_member(e, "service"),
                          "no service named \"%s\" (%s)", svc, list);
                ok = false;
            }
        } else {
            ok = false;
        }
        for (int k = 0; k < i; k++) {
            if (p->need[k].name && strcmp(nd->name, p->need[k].name) == 0) {
                cfg_error(c, config_setting_get_member(e, "name"),
                          "a need named \"%s\" exists already (unique names)", nd->name);
                ok = false;
            }
        }
    }
    p->n_needs = n;
    return ok;
}

/* ---- the referral process ----------------------------------------------------------------- */

static double rate_at(const struct care_params *p, double t)
{
    int day = (int)fmod(floor(t), 7.0);
    double r = p->referral_rate * p->weekly_profile[day];
    for (int i = 0; i < p->n_steps && t >= p->step_from[i]; i++) {
        r *= p->step_factor[i];
    }
    return r;
}

static double rate_max(const struct care_params *p)
{
    double f = 1.0, best = 1.0;
    for (int i = 0; i < p->n_steps; i++) {
        f *= p->step_factor[i];
        best = fmax(best, f);
    }
    return p->referral_rate * p->profile_max * best;
}

static void grow_clients(struct care_run *run)
{
    uint32_t cap = run->cap_clients ? run->cap_clients * 2 : 4096;
    run->cl = xreallocarray(run->cl, cap, sizeof *run->cl);
    /* rng_sub points into itself: re-point every moved substream. */
    for (uint32_t i = 0; i < run->n_slots; i++) {
        run->cl[i].attr.r.state = run->cl[i].attr.state;
    }
    run->cap_clients = cap;
}

/* Takes a free slot (one a client left for good: care_release), or a new one, doubling the table
 * only when every slot holds a client. */
static uint32_t take_slot(struct care_run *run)
{
    uint32_t id = run->free_head;
    if (id != CARE_NO_SLOT) {
        run->free_head = run->cl[id].next_free;
    } else {
        if (run->n_slots == run->cap_clients) {
            grow_clients(run);
        }
        id = run->n_slots++;
        run->cl[id].gen = 0;
    }
    run->n_live++;
    if (run->n_live > run->peak_live) {
        run->peak_live = run->n_live;
    }
    return id;
}

/* Draws everything about the new client from its own substreams, keyed by its serial number. */
uint32_t care_new_client(struct care_run *run)
{
    const struct care_params *p = run->p;

    SIM_ASSERT(run->n_clients < UINT32_MAX, "more than %u clients referred", UINT32_MAX - 1);
    uint32_t id = take_slot(run);
    struct care_client *c = &run->cl[id];
    uint32_t gen = c->gen + 1; /* odd: live */
    memset(c, 0, sizeof *c);
    c->gen = gen;
    c->serial = run->n_clients++;
    rng_sub_init(&c->attr, rng_seed_derive(run->seed, run->replication, STREAM_CLIENT, c->serial));
    gsl_rng *r = &c->attr.r;

    double u = gsl_rng_uniform(r);
    c->source = 0;
    while (c->source + 1 < p->n_sources && u > p->source_cum[c->source]) {
        c->source++;
    }
    /* The source's severity mix (the region's unless the source has its own), by the same
     * uniform, so that a client keeps its place in the mix whatever the mix is. */
    const double *severity_cum = p->source_severity_cum[c->source];
    u = gsl_rng_uniform(r);
    c->severity = 0;
    while (c->severity + 1 < CARE_N_SEVERITY && u > severity_cum[c->severity]) {
        c->severity++;
    }
    /* Lognormal multipliers with mean 1: sigma^2 = log(1 + sd^2), mu = -sigma^2 / 2. */
    double s2 = log1p(p->risk_sd * p->risk_sd);
    c->frailty = exp(-0.5 * s2 + sqrt(s2) * gsl_ran_ugaussian(r));
    double e2 = log1p(p->engagement_sd * p->engagement_sd);
    c->engagement = exp(-0.5 * e2 + sqrt(e2) * gsl_ran_ugaussian(r));
    for (int i = 0; i < p->n_needs; i++) {
        if (gsl_rng_uniform(r) < p->need[i].p[c->severity]) {
            c->needs |= (uint16_t)(1u << i);
        }
    }
    /* Always drawn, and before the Poisson count: its sampler's consumption depends on its
     * mean, so it comes last and shifts nothing else. */
    double u_exit = gsl_rng_uniform(r);
    c->t_exit = p->exit_rate > 0 ? run->sim.now - log1p(-u_exit) / p->exit_rate : HUGE_VAL;
    unsigned prior = gsl_ran_poisson(r, p->source_prior[c->source][c->severity] * c->frailty);
    c->prior_admissions = (uint16_t)(prior > 1000 ? 1000 : prior);
    c->t_discharge = -HUGE_VAL;
    c->model = -1;
    c->unit = -1;
    c->stage = N_STAGES; /* none yet: care_set_stage() counts it in */
    care_groups_draw(run, id);
    care_referral_urgency(run, id);
    return id;
}

void care_referral_urgency(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    double share = run->p->source_urgent[c->source];

    /* Its own substream: with no urgent share nothing is drawn, and nothing else moves. */
    c->urgent = share > 0 && care_uniform(run, id, CARE_DRAW_URGENT) < share;
}

static void referral(struct sim *sim, void *obj, uint64_t arg);

static void schedule_next(struct care_run *run)
{
    double m = rate_max(run->p);
    sim_schedule(&run->sim, gsl_ran_exponential(run->arrivals, 1.0 / m), referral, run, 0);
}

static void referral(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    (void)arg;

    /* Thinning: accept with probability rate(t) / max rate. */
    if (gsl_rng_uniform(run->arrivals) * rate_max(run->p) <= rate_at(run->p, sim->now)) {
        uint32_t id = care_new_client(run);
        run->cl[id].t_referred = sim->now;
        if (care_counts_after_warmup(run)) {
            run->n.referrals++;
            run->n.urgent += run->cl[id].urgent;
            care_groups_count(run, id, GROUP_REFERRAL);
        }
        if (run->journey) {
            care_journey_emit(run, id, CARE_EV_REFERRAL, N_STAGES, -1);
        }
        care_triage(run, id);
        care_risk_redraw(run, id);
    }
    schedule_next(run);
}

void care_referral_start(struct care_run *run)
{
    schedule_next(run);
}

void care_rerefer(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    c->t_referred = run->sim.now;
    /* Eligibility now looks at the admissions of the past year in the simulation. */
    c->prior_admissions = (uint16_t)(c->admissions > 1000 ? 1000 : c->admissions);
    c->admissions = 0;
    c->met = 0;
    care_referral_urgency(run, id);
    if (care_counts_after_warmup(run)) {
        run->n.referrals++;
        run->n.rereferrals++;
        run->n.urgent += c->urgent;
        care_groups_count(run, id, GROUP_REFERRAL);
    }
    if (run->journey) {
        care_journey_emit(run, id, CARE_EV_REFERRAL, N_STAGES, -1);
    }
    care_triage(run, id);
}

void care_referral_name_events(struct sim *sim)
{
    sim_name_event(sim, referral, "referral");
}

bool care_triage_tightened(struct care_run *run, uint32_t id, int m)
{
    const struct care_params *p = run->p;
    const struct care_client *c = &run->cl[id];

    if (p->tighten_max <= 0 || c->severity != p->model[m].min_severity) {
        return false;
    }
    /* Drawn at every triage of a client in the band, so the k-th draw is its k-th triage there. */
    double u = care_uniform(run, id, CARE_DRAW_TIGHTEN);
    double over = ((double)queue_length(&run->model[m].waiting) - p->tighten_at) / p->tighten_span;
    return u < p->tighten_max * fmin(1.0, fmax(0.0, over));
}
