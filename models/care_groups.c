/*
 * care_groups — attributes of clients and the outcomes of each group of clients.
 *
 * A scenario may declare attributes (attributes[]: an age band, deprivation, any it names), each
 * with its levels, their shares and, where evidence gives them, multipliers on a client's rates
 * (missed contacts, disengagement). A client's level of each attribute is drawn at its first
 * referral from its own substream (CARE_DRAW_ATTRIBUTE, draw k for attribute k), so that
 * declaring an attribute changes no other draw of any client.
 *
 * Outcomes are reported by group: by severity, by each level of each attribute, and by the
 * groups a scenario creates (clients moved by a transfer of coordination.moves[], from the move
 * on, against everyone else). Every group has the same metrics, named
 * "by.KIND.GROUP.METRIC" (by.severity.high.admissions): the headline outcomes with the group's
 * own denominator (its client-years in the service), their counts per year, and the rates the
 * multipliers act on. Groups are reported when the scenario declares an attribute or a move, or
 * sets output.groups; otherwise nothing here runs and the results are as without this file.
 *
 * Accumulators are one array of struct care_group_rt per replication, sized at its start; each
 * hook adds to the client's group of every kind (at most 2 + CARE_MAX_ATTRS of them): no
 * allocation and no string work per event. docs/model.md section 1.4 describes them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

/* ---- the scenario: attributes[] ----------------------------------------------------------- */

enum { A_NAME, A_LEVELS, A_SHARES, A_MULTIPLIERS, A_SOURCE, N_AKEYS };

struct attribute_row {
    const char *name; /* borrowed from the tree */
    const char *source;
};

static const struct cfg_key attribute_keys[N_AKEYS] = {
    [A_NAME] = {.name = "name",
                .type = CFG_STRING,
                .is_required = true,
                .help = "the attribute, as outputs name it (lower case letters, digits and _; not "
                        "\"severity\" or \"transfer\"): age_band, deprivation, ...",
                CFG_TARGET_STRING(struct attribute_row, name)},
    [A_LEVELS] = {.name = "levels",
                  .type = CFG_LIST,
                  .is_required = true,
                  .help = "its levels, 1 to 16 distinct names without '.', ',', quotes or spaces: "
                          "[\"18-34\", \"35-64\", \"65+\"]"},
    [A_SHARES] = {.name = "shares",
                  .type = CFG_LIST,
                  .is_required = true,
                  .help = "share of clients at each level, one per level, summing to 1"},
    [A_MULTIPLIERS] = {.name = "multipliers",
                       .type = CFG_GROUP,
                       .help = "multipliers on the rates of clients at each level: { missed = "
                               "[...]; disengage = [...]; } (each one per level; default 1)"},
    [A_SOURCE] = {.name = "source",
                  .type = CFG_STRING,
                  .help = "where the shares and multipliers come from: an EVIDENCE.md entry, or "
                          "\"assumption: ...\"; required with multipliers",
                  .source = "the scenario's own (an output choice when it has no multipliers)",
                  CFG_TARGET_STRING(struct attribute_row, source)},
};

const struct cfg_table care_attr_table = {
    .path = "attributes[]",
    .help = "an attribute of clients, drawn at referral, by which outcomes are also reported: "
            "groups.csv in the results folder (group_kind,group,metric,mean,ci_low,ci_high,unit,"
            "label: a row per metric of each level, of each severity and of the clients moved "
            "by a transfer or not) and summary.csv (by.NAME.LEVEL.METRIC); docs/model.md 1.4",
    .keys = attribute_keys,
    .n_keys = N_AKEYS,
};

enum { M_MISSED, M_DISENGAGE, N_MKEYS };

static const struct cfg_key multiplier_keys[N_MKEYS] = {
    [M_MISSED] = {.name = "missed",
                  .type = CFG_LIST,
                  .help = "multiplier on the probability that a contact is missed (did not "
                          "attend), one per level (real 0..100, default 1); the probability is "
                          "capped at 1",
                  .source = "the attribute's source (attributes[].source)"},
    [M_DISENGAGE] = {.name = "disengage",
                     .type = CFG_LIST,
                     .help = "multiplier on the disengagement hazard of a coordinated client, "
                             "one per level (real 0..100, default 1)",
                     .source = "the attribute's source (attributes[].source)"},
};

const struct cfg_table care_mult_table = {
    .path = "attributes[].multipliers",
    .help = "an attribute's multipliers on rates, by level",
    .keys = multiplier_keys,
    .n_keys = N_MKEYS,
};

static bool name_ok(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            return false;
        }
    }
    return true;
}

static bool level_ok(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch <= ' ' || ch >= 127 || ch == '.' || ch == ',' || ch == '"' || ch == '\'') {
            return false;
        }
    }
    return true;
}

/* Reads one list of multipliers (absent: 1 at every level). */
static bool read_multipliers(struct cfg *c, const config_setting_t *g, const struct cfg_key *k,
                             int n, double *out)
{
    const config_setting_t *l = NULL;
    for (int i = 0; i < n; i++) {
        out[i] = 1.0;
    }
    if (!cfg_get_list(c, g, k, &l)) {
        return false;
    }
    return !l || care_read_numbers(c, l, n, 0.0, 100.0, out, "one multiplier per level");
}

static bool attribute_load(struct cfg *c, const config_setting_t *e, struct care_params *p, int a)
{
    struct care_attribute *at = &p->attr[a];
    struct attribute_row row = {0};
    bool ok = cfg_read(c, e, &care_attr_table, &row);
    const config_setting_t *ns = config_setting_get_member(e, "name");

    at->name = xstrdup(row.name ? row.name : "?");
    if (row.name && !name_ok(row.name)) {
        cfg_error(c, ns, "\"%s\" is not a name for outputs (lower case letters, digits and _)",
                  row.name);
        ok = false;
    } else if (row.name &&
               (strcmp(row.name, "severity") == 0 || strcmp(row.name, "transfer") == 0)) {
        cfg_error(c, ns, "\"%s\" names a group ccsim reports already (another name)", row.name);
        ok = false;
    }
    for (int b = 0; b < a && row.name; b++) {
        if (strcmp(p->attr[b].name, row.name) == 0) {
            cfg_error(c, ns, "an attribute named \"%s\" exists already (unique names)", row.name);
            ok = false;
        }
    }

    const config_setting_t *lv = NULL, *sh = NULL;
    if (!cfg_get_list(c, e, &attribute_keys[A_LEVELS], &lv) || !lv) {
        return false;
    }
    int n = config_setting_length(lv);
    if (n < 1 || n > CARE_MAX_LEVELS) {
        cfg_error(c, lv, "%d levels (1 to %d)", n, CARE_MAX_LEVELS);
        return false;
    }
    at->n_levels = n;
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(lv, (unsigned)i);
        const char *name =
            config_setting_type(s) == CONFIG_TYPE_STRING ? config_setting_get_string(s) : NULL;
        at->level[i] = xstrdup(name ? name : "?");
        if (!name || !level_ok(name)) {
            cfg_error(c, s,
                      "level %d is not a name for outputs (a string without '.', ',', quotes "
                      "or spaces)",
                      i + 1);
            ok = false;
            continue;
        }
        for (int k = 0; k < i; k++) {
            if (strcmp(at->level[k], name) == 0) {
                cfg_error(c, s, "level \"%s\" is given twice (distinct levels)", name);
                ok = false;
            }
        }
    }
    if (!cfg_get_list(c, e, &attribute_keys[A_SHARES], &sh) || !sh) {
        return false;
    }
    if (config_setting_length(sh) != n) {
        cfg_error(c, sh, "%d shares for %d levels (one share per level)", config_setting_length(sh),
                  n);
        return false;
    }
    if (!care_read_numbers(c, sh, n, 0.0, 1.0, at->cum, "one share per level")) {
        return false;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
        sum += at->cum[i];
        at->cum[i] = sum;
    }
    if (fabs(sum - 1.0) > 1e-6) {
        cfg_error(c, sh, "shares sum to %g (they must sum to 1)", sum);
        return false;
    }
    at->cum[n - 1] = 1.0;

    const config_setting_t *m = config_setting_get_member(e, "multipliers");
    for (int i = 0; i < n; i++) {
        at->missed[i] = at->disengage[i] = 1.0;
    }
    if (m) {
        if (!config_setting_is_group(m)) {
            cfg_error(c, m, "not a group (multipliers = { missed = [...]; disengage = [...]; })");
            return false;
        }
        if (!row.source || !*row.source) {
            cfg_error_key(c, e, "source",
                          "multipliers need a source (an EVIDENCE.md entry, or \"assumption: "
                          "...\")");
            ok = false;
        }
        ok &= cfg_check_keys(c, m, &care_mult_table);
        ok &= read_multipliers(c, m, &multiplier_keys[M_MISSED], n, at->missed);
        ok &= read_multipliers(c, m, &multiplier_keys[M_DISENGAGE], n, at->disengage);
    }
    return ok;
}

bool care_groups_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key list_key = {.name = "attributes", .type = CFG_LIST};
    const config_setting_t *l = NULL;
    bool ok = true;

    if (!cfg_get_list(c, root, &list_key, &l)) {
        return false;
    }
    int n = l ? config_setting_length(l) : 0;
    if (n > CARE_MAX_ATTRS) {
        cfg_error(c, l, "%d attributes (at most %d)", n, CARE_MAX_ATTRS);
        return false;
    }
    for (int a = 0; a < n; a++) {
        const config_setting_t *e = cfg_elem_group(
            c, l, a, "an attribute (a group { name = ...; levels = [...]; shares = [...]; })");
        p->n_attrs = a + 1;
        if (!e) {
            p->attr[a].name = xstrdup("?");
            ok = false;
            continue;
        }
        ok &= attribute_load(c, e, p, a);
    }
    if (!ok) {
        return false;
    }
    /* The groups: severity, the levels of each attribute, then those a transfer moved. */
    p->groups = p->output_groups || p->n_attrs > 0 || p->n_moves > 0;
    int g = CARE_N_SEVERITY;
    for (int a = 0; a < p->n_attrs; a++) {
        p->attr_first[a] = g;
        g += p->attr[a].n_levels;
    }
    /* Without moves every client is in "others", which is then the whole: a comparison with a
     * scenario that moves clients pairs it with those not moved. */
    p->group_transfer = g;
    g += 2;
    p->n_groups = p->groups ? g : 0;
    return true;
}

void care_groups_free(struct care_params *p)
{
    for (int a = 0; a < p->n_attrs; a++) {
        free(p->attr[a].name);
        for (int i = 0; i < p->attr[a].n_levels; i++) {
            free(p->attr[a].level[i]);
        }
    }
}

/* ---- metrics ------------------------------------------------------------------------------ */

/*
 * The metrics of each group, X(name, unit, label, better, value): values over the locals of
 * care_groups_metrics(): g the group's accumulators, cy its client-years in the service,
 * years the observed years, bed and unmet its bed-days and unmet need-days; GRATE(x) is x per
 * 100 of the group's client-years (the whole's denominator, docs/model.md 1.2, restricted to the
 * group). The counts per year of the groups of one kind add up to the whole's.
 */
#define PER_100_CY "per 100 client-years"
#define CARE_GROUP_METRICS(X)                                                                      \
    X(clients_in_service, "clients", "Clients in the service (time average)", METRIC_NEITHER,      \
      cy / years)                                                                                  \
    X(referrals_per_year, "referrals per year", "Referrals per year", METRIC_NEITHER,              \
      (double)g->referrals / years)                                                                \
    X(crises, PER_100_CY, "Crises per 100 client-years", METRIC_LOWER_BETTER, GRATE(g->crises))    \
    X(crises_per_year, "crises per year", "Crises per year", METRIC_LOWER_BETTER,                  \
      (double)g->crises / years)                                                                   \
    X(ed_visits, PER_100_CY, "ED visits per 100 client-years", METRIC_LOWER_BETTER,                \
      GRATE(g->ed_visits))                                                                         \
    X(ed_visits_per_year, "ED visits per year", "ED visits per year", METRIC_LOWER_BETTER,         \
      (double)g->ed_visits / years)                                                                \
    X(admissions, PER_100_CY, "Admissions per 100 client-years", METRIC_LOWER_BETTER,              \
      GRATE(g->admissions))                                                                        \
    X(admissions_per_year, "admissions per year", "Admissions per year", METRIC_LOWER_BETTER,      \
      (double)g->admissions / years)                                                               \
    X(bed_days, "bed-days per 100 client-years",                                                   \
      "Bed-days (local and out of area) per 100 client-years", METRIC_LOWER_BETTER, GRATE(bed))    \
    X(bed_days_per_year, "bed-days per year", "Bed-days per year (local and out of area)",         \
      METRIC_LOWER_BETTER, bed / years)                                                            \
    X(wait_assessment_days, "days", "Mean wait for assessment (days)", METRIC_LOWER_BETTER,        \
      g->assess_waits > 0 ? g->assess_wait_days / (double)g->assess_waits : NAN)                   \
    X(wait_coordination_days, "days", "Mean wait for a coordinator (days)", METRIC_LOWER_BETTER,   \
      g->waits > 0 ? g->wait_days / (double)g->waits : NAN)                                        \
    X(unmet_need_days, "need-days per 100 client-years", "Unmet need-days per 100 client-years",   \
      METRIC_LOWER_BETTER, GRATE(unmet))                                                           \
    X(unmet_need_days_per_year, "need-days per year", "Unmet need-days per year",                  \
      METRIC_LOWER_BETTER, unmet / years)                                                          \
    X(missed_contacts_pct, "percent", "Contacts missed (%)", METRIC_LOWER_BETTER,                  \
      g->due > 0 ? 100.0 * (double)g->missed / (double)g->due : NAN)                               \
    X(disengaged, PER_100_CY, "Disengagements per 100 client-years", METRIC_LOWER_BETTER,          \
      GRATE(g->disengaged))

#define GROUP_DESC(id, unit, label, better, value)  {#id, unit, label, false, better, NULL},
#define GROUP_VALUE(id, unit, label, better, value) value,
#define GROUP_COUNT(id, unit, label, better, value) +1

static const struct metric_desc group_metrics[] = {CARE_GROUP_METRICS(GROUP_DESC)};
enum { N_PER_GROUP = 0 CARE_GROUP_METRICS(GROUP_COUNT) };

int care_groups_n_metrics(const struct care_params *p)
{
    return p->n_groups * N_PER_GROUP;
}

/* Group g's kind and name as outputs write them, and its words for labels. */
static void group_names(const struct care_params *p, int g, const char **kind, const char **name,
                        char *words, size_t n)
{
    if (g < CARE_N_SEVERITY) {
        *kind = "severity";
        *name = care_severity_names[g];
        snprintf(words, n, "%s severity", *name);
        return;
    }
    if (g >= p->group_transfer) {
        bool moved = g == p->group_transfer + 1;
        *kind = "transfer";
        *name = moved ? "moved" : "others";
        snprintf(words, n, "%s",
                 moved ? "clients moved by a transfer (from the move on)"
                       : "everyone else (not moved by a transfer)");
        return;
    }
    int a = p->n_attrs - 1;
    while (a > 0 && g < p->attr_first[a]) {
        a--;
    }
    *kind = p->attr[a].name;
    *name = p->attr[a].level[g - p->attr_first[a]];
    snprintf(words, n, "%s %s", *kind, *name);
}

void care_groups_describe(const struct care_params *p, struct metric_desc *out)
{
    int k = 0;
    for (int g = 0; g < p->n_groups; g++) {
        const char *kind, *name;
        char words[256];
        group_names(p, g, &kind, &name, words, sizeof words);
        for (int i = 0; i < N_PER_GROUP; i++) {
            const struct metric_desc *d = &group_metrics[i];
            size_t nn = strlen(kind) + strlen(name) + strlen(d->name) + 8;
            size_t ln = strlen(d->label) + strlen(words) + 4;
            char *mname = xmalloc(nn), *label = xmalloc(ln);
            snprintf(mname, nn, "by.%s.%s.%s", kind, name, d->name);
            snprintf(label, ln, "%s, %s", d->label, words);
            out[k++] = (struct metric_desc){mname, d->unit, label, false, d->better, NULL};
        }
    }
}

/* The integral of w from its last reset to now. */
static double area_to(const struct twavg *w, double now)
{
    return w->area + w->value * (now - w->t_last);
}

void care_groups_metrics(struct care_run *run, double *out)
{
    const struct care_params *p = run->p;
    double now = run->horizon;
    double years = (run->horizon - run->warmup) / CARE_DAYS_PER_YEAR;

    for (int k = 0; k < p->n_groups; k++) {
        const struct care_group_rt *g = &run->grp[k];
        double cy = area_to(&g->in_service, now) / CARE_DAYS_PER_YEAR;
        double bed = area_to(&g->in_bed, now);
        double unmet = area_to(&g->unmet, now);
#define GRATE(x) (cy > 0 ? 100.0 * (double)(x) / cy : NAN)
        double v[N_PER_GROUP] = {CARE_GROUP_METRICS(GROUP_VALUE)};
#undef GRATE
        memcpy(out + (size_t)k * N_PER_GROUP, v, sizeof v);
    }
}

/* ---- one replication ---------------------------------------------------------------------- */

void care_groups_init(struct care_run *run)
{
    const struct care_params *p = run->p;
    if (p->n_groups == 0) {
        return;
    }
    run->grp = xcalloc((size_t)p->n_groups, sizeof *run->grp);
    for (int g = 0; g < p->n_groups; g++) {
        twavg_init(&run->grp[g].in_service, 0.0, 0.0);
        twavg_init(&run->grp[g].in_bed, 0.0, 0.0);
        twavg_init(&run->grp[g].unmet, 0.0, 0.0);
    }
}

void care_groups_fini(struct care_run *run)
{
    free(run->grp);
    run->grp = NULL;
}

void care_groups_reset(struct care_run *run)
{
    double now = run->sim.now;
    for (int k = 0; k < run->p->n_groups; k++) {
        struct care_group_rt *g = &run->grp[k];
        struct care_group_rt fresh = {
            .in_service = g->in_service, .in_bed = g->in_bed, .unmet = g->unmet};
        twavg_reset(&fresh.in_service, now);
        twavg_reset(&fresh.in_bed, now);
        twavg_reset(&fresh.unmet, now);
        *g = fresh;
    }
}

void care_groups_draw(struct care_run *run, uint32_t id)
{
    const struct care_params *p = run->p;
    struct care_client *c = &run->cl[id];

    c->missed_factor = 1.0;
    c->disengage_factor = 1.0;
    for (int a = 0; a < p->n_attrs; a++) {
        const struct care_attribute *at = &p->attr[a];
        double u = care_uniform(run, id, CARE_DRAW_ATTRIBUTE);
        int l = 0;
        while (l + 1 < at->n_levels && u > at->cum[l]) {
            l++;
        }
        c->level[a] = (uint8_t)l;
        c->missed_factor *= at->missed[l];
        c->disengage_factor *= at->disengage[l];
    }
}

/* The client's group of each kind into g; returns how many. */
static int groups_of(const struct care_run *run, const struct care_client *c, int *g)
{
    const struct care_params *p = run->p;
    int n = 0;
    g[n++] = c->severity;
    for (int a = 0; a < p->n_attrs; a++) {
        g[n++] = p->attr_first[a] + c->level[a];
    }
    g[n++] = p->group_transfer + (c->moved ? 1 : 0);
    return n;
}

void care_groups_count(struct care_run *run, uint32_t id, enum care_group_count what)
{
    if (!run->grp) {
        return;
    }
    int g[CARE_MAX_ATTRS + 2];
    int n = groups_of(run, &run->cl[id], g);
    for (int i = 0; i < n; i++) {
        struct care_group_rt *r = &run->grp[g[i]];
        switch (what) {
        case GROUP_REFERRAL:
            r->referrals++;
            break;
        case GROUP_CRISIS:
            r->crises++;
            break;
        case GROUP_ED_VISIT:
            r->ed_visits++;
            break;
        case GROUP_ADMISSION:
            r->admissions++;
            break;
        case GROUP_DUE:
            r->due++;
            break;
        case GROUP_MISSED:
            r->missed++;
            break;
        case GROUP_DISENGAGED:
            r->disengaged++;
            break;
        }
    }
}

void care_groups_wait_assess(struct care_run *run, uint32_t id, double days)
{
    if (!run->grp) {
        return;
    }
    int g[CARE_MAX_ATTRS + 2];
    int n = groups_of(run, &run->cl[id], g);
    for (int i = 0; i < n; i++) {
        run->grp[g[i]].assess_waits++;
        run->grp[g[i]].assess_wait_days += days;
    }
}

void care_groups_wait(struct care_run *run, uint32_t id, double days)
{
    if (!run->grp) {
        return;
    }
    int g[CARE_MAX_ATTRS + 2];
    int n = groups_of(run, &run->cl[id], g);
    for (int i = 0; i < n; i++) {
        run->grp[g[i]].waits++;
        run->grp[g[i]].wait_days += days;
    }
}

enum tw_which { TW_SERVICE, TW_BED, TW_UNMET };

static void tw_add(struct care_run *run, const struct care_client *c, enum tw_which w, double d)
{
    int g[CARE_MAX_ATTRS + 2];
    int n = groups_of(run, c, g);
    double now = run->sim.now;
    for (int i = 0; i < n; i++) {
        struct care_group_rt *r = &run->grp[g[i]];
        twavg_add(w == TW_SERVICE ? &r->in_service : w == TW_BED ? &r->in_bed : &r->unmet, now, d);
    }
}

void care_groups_in_service(struct care_run *run, uint32_t id, int delta)
{
    if (run->grp) {
        tw_add(run, &run->cl[id], TW_SERVICE, delta);
    }
}

void care_groups_bed(struct care_run *run, uint32_t id, int delta)
{
    struct care_client *c = &run->cl[id];
    c->beds_held = (uint16_t)(c->beds_held + delta);
    if (run->grp) {
        tw_add(run, c, TW_BED, delta);
    }
}

void care_groups_unmet(struct care_run *run, uint32_t id, int delta)
{
    if (run->grp && delta != 0) {
        tw_add(run, &run->cl[id], TW_UNMET, delta);
    }
}

void care_groups_moved(struct care_run *run, uint32_t id)
{
    struct care_client *c = &run->cl[id];
    if (c->moved) {
        return;
    }
    if (!run->grp) {
        c->moved = true;
        return;
    }
    /* What the client holds now leaves "others" and joins "moved". */
    struct care_group_rt *from = &run->grp[run->p->group_transfer];
    struct care_group_rt *to = from + 1;
    double now = run->sim.now;
    double in = c->stage <= STAGE_COORDINATED ? 1.0 : 0.0;
    twavg_add(&from->in_service, now, -in);
    twavg_add(&to->in_service, now, in);
    twavg_add(&from->in_bed, now, -(double)c->beds_held);
    twavg_add(&to->in_bed, now, (double)c->beds_held);
    twavg_add(&from->unmet, now, -(double)c->unmet_contrib);
    twavg_add(&to->unmet, now, (double)c->unmet_contrib);
    c->moved = true;
}
