/*
 * care_trial — a randomised trial emulated inside the region (the scenario's `trial` group,
 * docs/model.md section 2.3, docs/validation.md).
 *
 * A trial enrols a cohort at its time zero and follows every participant for the trial's length
 * whatever happens to them (intention to treat): discharge, loss of contact, re-referral. Two
 * scenarios that differ only in the trial's arm (the model the participants are allocated to, or
 * whether they may use the crisis team) are the trial's two arms on common random numbers: the
 * same region and the same clients up to enrolment, the same participants, and from then on each
 * participant's own draws in both.
 *
 * Population "coordinated": at day enrol_at, the clients then coordinated (by model `from`, or
 * any) whose severity is at least min_severity and who had at least min_admissions admissions or
 * min_bed_days bed-days in the `window` days before (either; none asked: all) are eligible; at
 * most `participants` of them, a random sample by each client's own draw, are enrolled, and move
 * to model `arm` when one is named. Population "crisis": a client is enrolled at its first crisis
 * in [enrol_at, enrol_at + enrol_days), before the crisis is answered.
 *
 * Per participant over the follow-up: admitted or not, admissions, bed-days (local and out of
 * area, the part of each stay inside the follow-up), lost to contact (disengaged) or not. The
 * metrics divide by every participant enrolled and the whole follow-up (a participant who leaves
 * the region counts with no further event, as a trial's imputation of none would).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

static const char *const population_names[] = {"coordinated", "crisis", NULL};
_Static_assert(TRIAL_COORDINATED == 0 && TRIAL_CRISIS == 1, "population_names order");

/* What the trial group is read into before the names are resolved. */
struct trial_row {
    struct care_trial t;
    const char *from, *arm;
};

enum {
    T_POPULATION,
    T_ENROL_AT,
    T_ENROL_DAYS,
    T_FOLLOW_UP,
    T_WINDOW,
    T_MIN_ADMISSIONS,
    T_MIN_BED_DAYS,
    T_MIN_SEVERITY,
    T_FROM,
    T_ARM,
    T_CRISIS_TEAM,
    T_PARTICIPANTS,
    T_SUBGROUP,
    N_TKEYS,
};

static const struct cfg_key trial_keys[N_TKEYS] = {
    [T_POPULATION] = {.name = "population",
                      .type = CFG_CHOICE,
                      .choices = population_names,
                      .def_str = "coordinated",
                      .help = "who is enrolled: coordinated (the clients coordinated at day "
                              "enrol_at who meet the criteria) or crisis (each client at its "
                              "first crisis in the enrolment period, before it is answered)",
                      .source = "assumption: the two designs of the trials emulated "
                                "(docs/validation.md)",
                      CFG_TARGET_CHOICE(struct trial_row, t.population)},
    [T_ENROL_AT] = {.name = "enrol_at",
                    .type = CFG_REAL,
                    .is_required = true,
                    .lo = 0.0,
                    .hi = 36525.0,
                    .unit = "days",
                    .help = "the trial's time zero: the day of enrolment (coordinated), or the "
                            "first day of the enrolment period (crisis)",
                    CFG_TARGET_REAL(struct trial_row, t.enrol_at)},
    [T_ENROL_DAYS] = {.name = "enrol_days",
                      .type = CFG_REAL,
                      .def = 365.0,
                      .lo = 1.0,
                      .hi = 36525.0,
                      .unit = "days",
                      .help = "length of the enrolment period (population crisis only)",
                      .source = "assumption: a year of recruitment",
                      CFG_TARGET_REAL(struct trial_row, t.enrol_days)},
    [T_FOLLOW_UP] = {.name = "follow_up",
                     .type = CFG_REAL,
                     .is_required = true,
                     .lo = 1.0,
                     .hi = 36525.0,
                     .unit = "days",
                     .help = "days each participant is followed from enrolment, whatever happens",
                     CFG_TARGET_REAL(struct trial_row, t.follow_up)},
    [T_WINDOW] = {.name = "window",
                  .type = CFG_REAL,
                  .def = 730.0,
                  .lo = 1.0,
                  .hi = 36525.0,
                  .unit = "days",
                  .help = "days before enrolment over which min_admissions and min_bed_days "
                          "count (it must start at or after day 0)",
                  .source = "REACT eligibility: use in the previous 2 years (Killaspy et al. "
                            "2006; EVIDENCE.md 1.1)",
                  CFG_TARGET_REAL(struct trial_row, t.window)},
    [T_MIN_ADMISSIONS] = {.name = "min_admissions",
                          .type = CFG_INT,
                          .def = 0,
                          .lo = 0,
                          .hi = 1000,
                          .unit = "admissions",
                          .help = "eligible with at least this many admissions in the window "
                                  "(or min_bed_days); 0 with min_bed_days 0: no use criterion",
                          .source = "the trial's eligibility (docs/validation.md)",
                          CFG_TARGET_INT(struct trial_row, t.min_admissions)},
    [T_MIN_BED_DAYS] = {.name = "min_bed_days",
                        .type = CFG_REAL,
                        .def = 0.0,
                        .lo = 0.0,
                        .hi = 36525.0,
                        .unit = "bed-days",
                        .help = "eligible with at least this many bed-days in the window (or "
                                "min_admissions)",
                        .source = "the trial's eligibility (docs/validation.md)",
                        CFG_TARGET_REAL(struct trial_row, t.min_bed_days)},
    [T_MIN_SEVERITY] = {.name = "min_severity",
                        .type = CFG_CHOICE,
                        .choices = care_severity_names,
                        .def_str = "low",
                        .help = "eligible from this severity up",
                        .source = "the trial's eligibility (docs/validation.md)",
                        CFG_TARGET_CHOICE(struct trial_row, t.min_severity)},
    [T_FROM] = {.name = "from",
                .type = CFG_STRING,
                .def_str = "",
                .help = "the model coordinating the participants at enrolment; \"\": any "
                        "(population coordinated only)",
                .source = "the trial's setting (docs/validation.md)",
                CFG_TARGET_STRING(struct trial_row, from)},
    [T_ARM] = {.name = "arm",
               .type = CFG_STRING,
               .def_str = "",
               .help = "the model the participants move to at enrolment (it needs places for "
                       "them); \"\": they stay with the care they have (the usual-care arm)",
               .source = "the trial's intervention (docs/validation.md)",
               CFG_TARGET_STRING(struct trial_row, arm)},
    [T_CRISIS_TEAM] = {.name = "crisis_team",
                       .type = CFG_BOOL,
                       .def = 1,
                       .help = "whether participants may use the crisis team during follow-up "
                               "(false: their crises go to the ED, as in standard acute care)",
                       .source = "the trial's comparator (docs/validation.md)",
                       CFG_TARGET_BOOL(struct trial_row, t.crisis_team)},
    [T_PARTICIPANTS] = {.name = "participants",
                        .type = CFG_INT,
                        .def = 0,
                        .lo = 0,
                        .hi = 1000000,
                        .unit = "participants",
                        .help = "at most this many are enrolled, a random sample of the "
                                "eligible (coordinated) or the first (crisis); 0: all",
                        .source = "the trial's size (docs/validation.md)",
                        CFG_TARGET_INT(struct trial_row, t.participants)},
    [T_SUBGROUP] = {.name = "subgroup_bed_days",
                    .type = CFG_REAL,
                    .def = 0.0,
                    .lo = 0.0,
                    .hi = 31.0,
                    .unit = "bed-days per month",
                    .help = "bed-days per month in the window that split the participants into "
                            "a low-use and a high-use subgroup, with metrics of each; 0: none",
                    .source = "Burns et al. 2007: the effect grows with baseline bed use "
                              "(EVIDENCE.md 1.2)",
                    CFG_TARGET_REAL(struct trial_row, t.subgroup_bed_days)},
};

const struct cfg_table care_trial_table = {
    .path = "trial",
    .help = "a randomised trial emulated in the region: enrolment, arm, follow-up (optional)",
    .keys = trial_keys,
    .n_keys = N_TKEYS,
};

/* The model named by key k (value name) of group g, -1 for "" when allowed, or -2 after
 * reporting the problem. */
static int named_model(struct cfg *c, const config_setting_t *g, int k, const char *name,
                       const struct care_params *p)
{
    if (!name || !name[0]) {
        return -1;
    }
    for (int m = 0; m < p->n_models; m++) {
        if (strcmp(name, p->model[m].name) == 0) {
            return m;
        }
    }
    char names[512];
    size_t len = 0;
    names[0] = '\0';
    for (int m = 0; m < p->n_models && len + 40 < sizeof names; m++) {
        len += (size_t)snprintf(names + len, sizeof names - len, "%s\"%.30s\"", m ? ", " : "",
                                p->model[m].name);
    }
    cfg_error(c, config_setting_get_member(g, trial_keys[k].name),
              "no model named \"%s\" (the models are %s)", name, names);
    return -2;
}

bool care_trial_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key group_key = {.name = "trial", .type = CFG_GROUP};
    struct trial_row row = {0};
    const config_setting_t *g;

    if (!cfg_read_group(c, root, &group_key, &care_trial_table, &row, &g)) {
        return false;
    }
    if (!g) {
        return true;
    }
    struct care_trial *t = &row.t;
    bool ok = true;
    t->on = true;
    t->from = named_model(c, g, T_FROM, row.from, p);
    t->arm = named_model(c, g, T_ARM, row.arm, p);
    ok &= t->from > -2 && t->arm > -2;
    if (ok && t->arm >= 0 && t->arm == t->from) {
        cfg_error(c, config_setting_get_member(g, "arm"),
                  "the participants are coordinated by \"%s\" already (an arm is another model, "
                  "or \"\" for usual care)",
                  p->model[t->arm].name);
        ok = false;
    }
    if (t->population == TRIAL_COORDINATED && t->window > t->enrol_at) {
        cfg_error(c, config_setting_get_member(g, "window"),
                  "the window of %g days before enrolment at day %g starts before day 0 (at most "
                  "%g days, or a later enrol_at)",
                  t->window, t->enrol_at, t->enrol_at);
        ok = false;
    }
    if (t->population == TRIAL_CRISIS) {
        const char *bad = t->min_admissions > 0      ? "min_admissions"
                          : t->min_bed_days > 0      ? "min_bed_days"
                          : t->arm >= 0              ? "arm"
                          : t->subgroup_bed_days > 0 ? "subgroup_bed_days"
                                                     : NULL;
        if (bad) {
            cfg_error(c, config_setting_get_member(g, bad),
                      "not with population \"crisis\" (a crisis trial's arms differ in "
                      "crisis_team; its eligibility is min_severity)");
            ok = false;
        }
    }
    if (p->risk_process != RISK_PROCESS_STATES) {
        cfg_error(c, g,
                  "a trial needs risk.process = \"states\" (a trial follows clients, and the "
                  "\"poisson\" process's crises are journeys of their own)");
        ok = false;
    }
    const config_setting_t *hs = config_setting_get_member(root, "horizon");
    double horizon = 0;
    double end = t->enrol_at + (t->population == TRIAL_CRISIS ? t->enrol_days : 0) + t->follow_up;
    if (ok && hs && cfg_number(c, hs, &horizon) && end > horizon + 1e-9) {
        cfg_error(c, config_setting_get_member(g, "follow_up"),
                  "the follow-up ends at day %g, after the horizon (%g days): a horizon of at "
                  "least %g",
                  end, horizon, end);
        ok = false;
    }
    if (ok) {
        p->trial = *t;
    }
    return ok;
}

/* ---- metrics ------------------------------------------------------------------------------- */

#define TRIAL_METRICS(X)                                                                           \
    X(participants, "participants", "Trial: participants enrolled", false, METRIC_NEITHER,         \
      (double)(n0 + n1))                                                                           \
    X(admitted_pct, "percent", "Trial: participants admitted during follow-up (%)", false,         \
      METRIC_LOWER_BETTER, PCT(tr->admitted[0] + tr->admitted[1], n0 + n1))                        \
    X(admissions_per_year, "admissions per participant-year",                                      \
      "Trial: admissions per participant-year of follow-up", false, METRIC_LOWER_BETTER,           \
      PER(tr->admissions[0] + tr->admissions[1], (n0 + n1) * fu_years))                            \
    X(bed_days_per_month, "bed-days per participant-month",                                        \
      "Trial: bed-days per participant-month of follow-up", false, METRIC_LOWER_BETTER,            \
      PER(tr->bed_days[0] + tr->bed_days[1], (n0 + n1) * fu_months))                               \
    X(lost_pct, "percent", "Trial: participants lost to contact during follow-up (%)", false,      \
      METRIC_LOWER_BETTER, PCT(tr->lost[0] + tr->lost[1], n0 + n1))                                \
    X(baseline_bed_days_per_month, "bed-days per participant-month",                               \
      "Trial: bed-days per participant-month in the window before enrolment", false,               \
      METRIC_NEITHER, PER(tr->window_bed_days[0] + tr->window_bed_days[1], (n0 + n1) * w_months))

#define TRIAL_GROUP_METRICS(X)                                                                     \
    X(participants, "participants", "participants enrolled", false, METRIC_NEITHER, (double)ng)    \
    X(bed_days_per_month, "bed-days per participant-month",                                        \
      "bed-days per participant-month of follow-up", false, METRIC_LOWER_BETTER,                   \
      PER(tr->bed_days[g], ng *fu_months))                                                         \
    X(baseline_bed_days_per_month, "bed-days per participant-month",                               \
      "bed-days per participant-month in the window before enrolment", false, METRIC_NEITHER,      \
      PER(tr->window_bed_days[g], ng *w_months))

#define T_DESC(id, unit, label, headline, better, value)                                           \
    {"trial." #id, unit, label, headline, better, NULL},
#define T_VALUE(id, unit, label, headline, better, value) value,
#define T_COUNT(id, unit, label, headline, better, value) +1

static const struct metric_desc trial_metrics[] = {TRIAL_METRICS(T_DESC)};
static const struct metric_desc group_metrics[] = {TRIAL_GROUP_METRICS(T_DESC)};
enum {
    N_TRIAL = 0 TRIAL_METRICS(T_COUNT),
    N_GROUP = 0 TRIAL_GROUP_METRICS(T_COUNT),
};
static const char *const group_names[2] = {"low_use", "high_use"};
static const char *const group_labels[2] = {"low-use subgroup", "high-use subgroup"};

int care_trial_n_metrics(const struct care_params *p)
{
    return p->trial.on ? N_TRIAL + (p->trial.subgroup_bed_days > 0 ? 2 * N_GROUP : 0) : 0;
}

void care_trial_describe(const struct care_params *p, struct metric_desc *out)
{
    int k = 0;
    if (!p->trial.on) {
        return;
    }
    /* Every name and label owned, as the per-model ones (params_destroy frees them). */
    for (int i = 0; i < N_TRIAL; i++) {
        out[k++] = (struct metric_desc){xstrdup(trial_metrics[i].name),  trial_metrics[i].unit,
                                        xstrdup(trial_metrics[i].label), false,
                                        trial_metrics[i].better,         NULL};
    }
    if (!(p->trial.subgroup_bed_days > 0)) {
        return;
    }
    for (int g = 0; g < 2; g++) {
        for (int i = 0; i < N_GROUP; i++) {
            const struct metric_desc *d = &group_metrics[i];
            size_t n = strlen(d->name) + 16, l = strlen(d->label) + 40;
            char *name = xmalloc(n), *label = xmalloc(l);
            snprintf(name, n, "trial.%s.%s", group_names[g], d->name + strlen("trial."));
            snprintf(label, l, "Trial, %s: %s", group_labels[g], d->label);
            out[k++] = (struct metric_desc){name, d->unit, label, false, d->better, NULL};
        }
    }
}

/* Adds the part of a stay [from, to] inside [lo, hi) to *sum. */
static void add_overlap(double *sum, double from, double to, double lo, double hi)
{
    double a = fmax(from, lo), b = fmin(to, hi);
    if (b > a) {
        *sum += b - a;
    }
}

static bool in_follow_up(const struct care_client *c, double t)
{
    return (c->trial & TRIAL_IN) && t >= c->tr_start && t < c->tr_start + c->tr_length;
}

void care_trial_metrics(struct care_run *run, double *out)
{
    const struct care_params *p = run->p;
    struct care_trial_rt *tr = &run->trial;
    if (!p->trial.on) {
        return;
    }
    /* Stays still open at the horizon: their part inside each participant's follow-up. */
    double now = run->horizon;
    for (uint32_t id = 0; id < run->n_slots; id++) {
        const struct care_client *c = &run->cl[id];
        if (care_client_is_live(c) && (c->trial & TRIAL_IN) && c->in_hospital && !c->boarding) {
            add_overlap(&tr->bed_days[(c->trial & TRIAL_HIGH) != 0], c->t_admitted, now,
                        c->tr_start, c->tr_start + c->tr_length);
        }
    }
    double fu_months = p->trial.follow_up / (CARE_DAYS_PER_YEAR / 12.0);
    double fu_years = p->trial.follow_up / CARE_DAYS_PER_YEAR;
    double w_months = p->trial.window / (CARE_DAYS_PER_YEAR / 12.0);
    double n0 = (double)tr->participants[0], n1 = (double)tr->participants[1];
#define PCT(x, n) ((n) > 0 ? 100.0 * (double)(x) / (double)(n) : NAN)
#define PER(x, d) ((d) > 0 ? (double)(x) / (d) : NAN)
    double v[N_TRIAL] = {TRIAL_METRICS(T_VALUE)};
    memcpy(out, v, sizeof v);
    if (p->trial.subgroup_bed_days > 0) {
        for (int g = 0; g < 2; g++) {
            double ng = (double)tr->participants[g];
            double gv[N_GROUP] = {TRIAL_GROUP_METRICS(T_VALUE)};
            memcpy(out + N_TRIAL + g * N_GROUP, gv, sizeof gv);
        }
    }
#undef PCT
#undef PER
}

/* ---- enrolment ----------------------------------------------------------------------------- */

/* Client id becomes a participant now, in the subgroup of its window's bed use. */
static void enrol(struct care_run *run, uint32_t id)
{
    const struct care_trial *t = &run->p->trial;
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    if (c->in_hospital && !c->boarding) { /* the part of the current stay inside the window */
        add_overlap(&c->tr_window_bed, c->t_admitted, now, now - t->window, now);
    }
    double per_month = c->tr_window_bed / (t->window / (CARE_DAYS_PER_YEAR / 12.0));
    bool high = t->subgroup_bed_days > 0 ? per_month >= t->subgroup_bed_days : true;
    int g = high;
    c->trial = (uint8_t)(TRIAL_IN | (high ? TRIAL_HIGH : 0));
    c->tr_start = now;
    c->tr_length = t->follow_up;
    run->trial.participants[g]++;
    run->trial.window_bed_days[g] += c->tr_window_bed;
}

static bool eligible(const struct care_run *run, const struct care_client *c)
{
    const struct care_trial *t = &run->p->trial;
    if (c->severity < t->min_severity) {
        return false;
    }
    if (t->min_admissions <= 0 && !(t->min_bed_days > 0)) {
        return true;
    }
    double bed = c->tr_window_bed;
    if (c->in_hospital && !c->boarding) {
        add_overlap(&bed, c->t_admitted, run->sim.now, run->sim.now - t->window, run->sim.now);
    }
    return (t->min_admissions > 0 && c->tr_window_adm >= t->min_admissions) ||
           (t->min_bed_days > 0 && bed >= t->min_bed_days);
}

struct trial_key {
    double u;
    uint32_t serial, id;
};

static int key_cmp(const void *a, const void *b)
{
    const struct trial_key *x = a, *y = b;
    if (x->u != y->u) {
        return x->u < y->u ? -1 : 1;
    }
    return x->serial < y->serial ? -1 : x->serial > y->serial;
}

static int key_cmp_serial(const void *a, const void *b)
{
    const struct trial_key *x = a, *y = b;
    return x->serial < y->serial ? -1 : x->serial > y->serial;
}

/* The enrolment of population "coordinated": eligible clients coordinated now, a random sample
 * of at most `participants` by each one's own uniform, enrolled and moved to the arm. Once per
 * run: the table is allocated here, not per event. */
static void enrolment(struct sim *sim, void *obj, uint64_t arg)
{
    struct care_run *run = obj;
    const struct care_trial *t = &run->p->trial;
    (void)sim;
    (void)arg;

    uint32_t n = 0;
    struct trial_key *k = xcalloc(run->n_slots ? run->n_slots : 1, sizeof *k);
    for (uint32_t id = 0; id < run->n_slots; id++) {
        struct care_client *c = &run->cl[id];
        if (!care_client_is_live(c) || c->stage != STAGE_COORDINATED ||
            (t->from >= 0 && c->model != t->from) || !eligible(run, c)) {
            continue;
        }
        /* Drawn for every eligible client, in both arms alike. */
        k[n++] = (struct trial_key){care_uniform(run, id, CARE_DRAW_TRIAL), c->serial, id};
    }
    qsort(k, n, sizeof *k, key_cmp);
    uint32_t take =
        t->participants > 0 && (uint32_t)t->participants < n ? (uint32_t)t->participants : n;
    run->trial.eligible = n;
    /* Enrolled in serial order, so that the moves to the arm take places in the same order
     * whatever the sample. */
    qsort(k, take, sizeof *k, key_cmp_serial);
    for (uint32_t i = 0; i < take; i++) {
        enrol(run, k[i].id);
    }
    if (t->arm >= 0) {
        for (uint32_t i = 0; i < take; i++) {
            if (!care_move_to(run, k[i].id, t->arm)) {
                run->trial.not_moved++;
            }
        }
    }
    free(k);
    if (t->from >= 0) {
        care_coord_refill(run, t->from);
    }
}

void care_trial_start(struct care_run *run)
{
    const struct care_trial *t = &run->p->trial;
    sim_name_event(&run->sim, enrolment, "trial_enrolment");
    if (t->on && t->population == TRIAL_COORDINATED) {
        sim_schedule_at(&run->sim, t->enrol_at, enrolment, run, 0);
    }
}

void care_trial_crisis(struct care_run *run, uint32_t id)
{
    const struct care_trial *t = &run->p->trial;
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    if (t->population != TRIAL_CRISIS || (c->trial & TRIAL_IN) || now < t->enrol_at ||
        now >= t->enrol_at + t->enrol_days || c->severity < t->min_severity ||
        (t->participants > 0 &&
         run->trial.participants[0] + run->trial.participants[1] >= (uint64_t)t->participants)) {
        return;
    }
    if (t->from >= 0 && !(c->stage == STAGE_COORDINATED && c->model == t->from)) {
        return;
    }
    enrol(run, id);
}

bool care_trial_no_crt(const struct care_run *run, uint32_t id)
{
    return run->p->trial.on && !run->p->trial.crisis_team &&
           in_follow_up(&run->cl[id], run->sim.now);
}

void care_trial_admitted(struct care_run *run, uint32_t id)
{
    const struct care_trial *t = &run->p->trial;
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    if (t->population == TRIAL_COORDINATED && now >= t->enrol_at - t->window && now < t->enrol_at &&
        c->tr_window_adm < UINT16_MAX) {
        c->tr_window_adm++;
    }
    if (in_follow_up(c, now)) {
        int g = (c->trial & TRIAL_HIGH) != 0;
        run->trial.admissions[g]++;
        if (!(c->trial & TRIAL_ADMITTED)) {
            c->trial |= TRIAL_ADMITTED;
            run->trial.admitted[g]++;
        }
    }
}

void care_trial_discharged(struct care_run *run, uint32_t id)
{
    const struct care_trial *t = &run->p->trial;
    struct care_client *c = &run->cl[id];
    double now = run->sim.now;

    if (t->population == TRIAL_COORDINATED && !(c->trial & TRIAL_IN)) {
        add_overlap(&c->tr_window_bed, c->t_admitted, now, t->enrol_at - t->window, t->enrol_at);
    }
    if (c->trial & TRIAL_IN) {
        add_overlap(&run->trial.bed_days[(c->trial & TRIAL_HIGH) != 0], c->t_admitted, now,
                    c->tr_start, c->tr_start + c->tr_length);
    }
}

void care_trial_lost(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    if (in_follow_up(c, run->sim.now) && !(c->trial & TRIAL_LOST)) {
        c->trial |= TRIAL_LOST;
        run->trial.lost[(c->trial & TRIAL_HIGH) != 0]++;
    }
}
