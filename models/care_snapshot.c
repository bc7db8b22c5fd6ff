/*
 * care_snapshot — starting a run from a current caseload and lists, and writing a run's end state
 * as such a start.
 *
 * Community services never start empty. `initial = { snapshot = "caseload.csv"; };` names a CSV
 * file (relative to the scenario that names it) whose header names its columns, in any order:
 *
 *     stage,severity,needs,days,model                  (required: stage, severity, days)
 *     met,risk,prior_admissions,admissions,frailty,engagement,
 *     hospital,hospital_days,discharge_days,followed_up,episode_factor (optional)
 *
 * and one row per client present at day 0: in the service (waiting for assessment or a
 * coordinator, coordinated) or out of it and still followed (discharged, disengaged,
 * signposted). docs/model.md (section 4.1) gives every column, its unit and what is allowed.
 * Every problem is reported as file:line: column: what is wrong (what is allowed).
 *
 * The snapshot's clients are clients 0..n-1 of every replication, with their own substreams
 * like any other, so scenarios compared on the same snapshot start with the same people; the
 * referral process numbers new clients from n. What has lasted for a while (a coordination
 * episode, a hospital stay) goes on for a remaining length drawn from its law given the time
 * already served (care_remaining(): one uniform of the client's own decision substream, by
 * inversion of the conditional law), never a fresh length less the past.
 *
 * `output = { end_state = true; };` asks a run for its state at the horizon as such a file
 * (care_snapshot_write(), the model's end_state hook: replication 1, end_state.csv in the
 * results folder); started from it with no warm-up, a region goes on as it was.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <sys/stat.h>

#include "models/care_int.h"
#include "sim/xalloc.h"

struct initial_row {
    const char *snapshot; /* file name as written, borrowed from the tree */
};

static const struct cfg_key initial_keys[] = {
    {.name = "snapshot",
     .type = CFG_STRING,
     .help = "CSV of the clients present at day 0, one a row, with a header naming its columns: "
             "stage,severity,needs,days,model and optionally met,risk,prior_admissions,"
             "admissions,frailty,engagement,hospital,hospital_days,discharge_days,followed_up,"
             "episode_factor (see docs/model.md); \"\": an empty start (as without the key, for a "
             "scenario whose base starts from a snapshot)",
     CFG_TARGET_STRING(struct initial_row, snapshot)},
};

const struct cfg_table care_initial_table = {
    .path = "initial",
    .help = "the state of the service at day 0 (default: empty)",
    .keys = initial_keys,
    .n_keys = 1,
};

static const struct cfg_key output_keys[] = {
    {.name = "end_state",
     .type = CFG_BOOL,
     .def = 0,
     .help = "write the state at the horizon of replication 1 as a snapshot file (end_state.csv "
             "in the results folder) that initial.snapshot can start from",
     .source = "assumption: an output choice; results are unchanged",
     CFG_TARGET_BOOL(struct care_params, end_state)},
    {.name = "per_year",
     .type = CFG_BOOL,
     .def = 0,
     .help = "also give the main metrics per year of the observed horizon (year1.admissions, "
             "...); always on for a run from initial.snapshot",
     .source = "assumption: an output choice; the other metrics are unchanged",
     CFG_TARGET_BOOL(struct care_params, per_year)},
    {.name = "groups",
     .type = CFG_BOOL,
     .def = 0,
     .help = "also give the main metrics by group (by.severity.high.admissions, ...; groups.csv "
             "in the results folder); always on when the scenario declares attributes[] or "
             "coordination.moves[]",
     .source = "assumption: an output choice; the other metrics are unchanged",
     CFG_TARGET_BOOL(struct care_params, output_groups)},
};

const struct cfg_table care_output_table = {
    .path = "output",
    .help = "what a run writes besides the metrics (default: nothing more)",
    .keys = output_keys,
    .n_keys = 3,
};

/* ---- the remaining length given the time served ------------------------------------------ */

/* Survival function of the triangular law (lo, mode, hi) at x. */
static double triangular_q(double lo, double mode, double hi, double x)
{
    if (x <= lo) {
        return 1.0;
    }
    if (x >= hi) {
        return 0.0;
    }
    if (x < mode) {
        return 1.0 - (x - lo) * (x - lo) / ((hi - lo) * (mode - lo));
    }
    return (hi - x) * (hi - x) / ((hi - lo) * (hi - mode));
}

double care_remaining(const struct dist *d, double s, double u)
{
    /* v = 1 - u is in (0, 1]: the conditional survival the remaining length must reach, so that
     * T = Q^-1(v Q(s)) with Q the survival function (exact in the upper tail, where 1 - F
     * loses every digit). */
    double v = 1.0 - u, q, t;

    s = s > 0 ? s : 0.0;
    switch (d->kind) {
    case DIST_FIXED:
        return d->p[0] > s ? d->p[0] - s : 0.0;
    case DIST_EXPONENTIAL:
        /* Memoryless: the remaining length has the law of a fresh one. */
        return -d->p[0] * log(v);
    case DIST_UNIFORM: {
        double lo = fmax(d->p[0], s), hi = d->p[1];
        return lo < hi ? lo + (hi - lo) * u - s : 0.0;
    }
    case DIST_TRIANGULAR: {
        double lo = d->p[0], mode = d->p[1], hi = d->p[2];
        q = triangular_q(lo, mode, hi, s) * v;
        if (!(q > 0)) {
            return 0.0;
        }
        /* Invert Q on the piece that holds q; Q(mode) = 1 - F(mode). */
        if (q > 1.0 - d->a) {
            t = lo + sqrt((1.0 - q) * (hi - lo) * (mode - lo));
        } else {
            t = hi - sqrt(q * (hi - lo) * (hi - mode));
        }
        break;
    }
    case DIST_NORMAL:
        /* Truncated at 0, and s >= 0: the tail above s of the untruncated normal. */
        q = gsl_cdf_gaussian_Q(s - d->p[0], d->p[1]) * v;
        if (!(q > 0)) {
            return 0.0;
        }
        t = d->p[0] + gsl_cdf_gaussian_Qinv(q, d->p[1]);
        break;
    case DIST_LOGNORMAL:
        q = (s > 0 ? gsl_cdf_lognormal_Q(s, d->a, d->b) : 1.0) * v;
        if (!(q > 0)) {
            return 0.0;
        }
        t = gsl_cdf_lognormal_Qinv(q, d->a, d->b);
        break;
    case DIST_GAMMA:
        q = (s > 0 ? gsl_cdf_gamma_Q(s, d->a, d->b) : 1.0) * v;
        if (!(q > 0)) {
            /* Beyond the doubles' reach the hazard has reached its limit 1 / scale: the
             * remaining length is exponential with mean the scale. */
            return -d->b * log(v);
        }
        t = gsl_cdf_gamma_Qinv(q, d->a, d->b);
        break;
    case DIST_WEIBULL: {
        /* Q(x) = exp(-(x / scale)^shape): closed form, with no underflow. */
        double k = d->p[0], scale = d->p[1];
        t = scale * pow(pow(s / scale, k) - log(v), 1.0 / k);
        break;
    }
    case DIST_EMPIRICAL: {
        /* The values above s, with their probabilities renormalised. */
        double above = 0, prev = 0;
        for (size_t i = 0; i < d->n; prev = d->cum[i], i++) {
            above += d->values[i] > s ? d->cum[i] - prev : 0.0;
        }
        if (!(above > 0)) {
            return 0.0;
        }
        double target = u * above, acc = 0, last = s;
        prev = 0;
        for (size_t i = 0; i < d->n; prev = d->cum[i], i++) {
            if (d->values[i] > s) {
                acc += d->cum[i] - prev;
                last = d->values[i];
                if (acc > target) {
                    break;
                }
            }
        }
        return last - s;
    }
    default:
        return 0.0;
    }
    return t > s ? t - s : 0.0;
}

/* ---- reading a snapshot ------------------------------------------------------------------ */

static const char *const stage_names[] = {
    "waiting_assessment", "waiting_coordination", "coordinated", "discharged",
    "disengaged",         "signposted",           NULL};
static const enum care_stage stage_of[] = {STAGE_WAIT_ASSESS, STAGE_WAIT_COORD, STAGE_COORDINATED,
                                           STAGE_DISCHARGED,  STAGE_DISENGAGED, STAGE_SIGNPOSTED};
static const char *const risk_names[] = {"stable", "deteriorating", NULL};
static const char *const hospital_names[] = {"", "local", "out_of_area", NULL};

enum column {
    COL_STAGE,
    COL_SEVERITY,
    COL_NEEDS,
    COL_DAYS,
    COL_MODEL,
    COL_MET,
    COL_RISK,
    COL_PRIOR,
    COL_ADMISSIONS,
    COL_FRAILTY,
    COL_ENGAGEMENT,
    COL_HOSPITAL,
    COL_HOSPITAL_DAYS,
    COL_DISCHARGE_DAYS,
    COL_FOLLOWED_UP,
    COL_EPISODE_FACTOR,
    N_COLUMNS
};

static const char *const column_names[N_COLUMNS + 1] = {
    "stage",         "severity",         "needs",       "days",           "model",      "met",
    "risk",          "prior_admissions", "admissions",  "frailty",        "engagement", "hospital",
    "hospital_days", "discharge_days",   "followed_up", "episode_factor", NULL};

#define COLUMN_LIST                                                                                \
    "stage, severity, needs, days, model, met, risk, prior_admissions, admissions, frailty, "      \
    "engagement, hospital, hospital_days, discharge_days, followed_up, episode_factor"

/* Splits line into at most max fields at commas (no quoting); returns the count. */
static int split_csv(char *line, char **field, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        field[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) {
            break;
        }
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ')) {
        s[--n] = '\0';
    }
    size_t k = strspn(s, " ");
    memmove(s, s + k, n - k + 1);
}

static int lookup(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], s) == 0) {
            return i;
        }
    }
    return -1;
}

/* Reads a list of need names separated by '|' into a bit set; false after recording a
 * problem per unknown name. */
static bool read_needs(struct cfg *c, const struct care_params *p, const char *path, int lineno,
                       const char *column, char *text, uint16_t *out)
{
    bool ok = true;
    for (char *save = NULL, *t = strtok_r(text, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        trim(t);
        int found = -1;
        for (int i = 0; i < p->n_needs; i++) {
            if (strcmp(p->need[i].name, t) == 0) {
                found = i;
            }
        }
        if (found < 0) {
            char list[512] = "";
            size_t len = 0;
            for (int i = 0; i < p->n_needs && len < sizeof list; i++) {
                int w =
                    snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", p->need[i].name);
                len += w > 0 ? (size_t)w : 0;
            }
            diag_add(&c->diag, path, lineno, column, "\"%s\" is not a need (%s)", t, list);
            ok = false;
        } else {
            *out |= (uint16_t)(1u << found);
        }
    }
    return ok;
}

/* A real in [lo, hi] (hi may be HUGE_VAL); "" leaves *out as it is when empty_ok. */
static bool read_real(struct cfg *c, const char *path, int lineno, const char *column,
                      const char *text, double lo, bool lo_open, bool empty_ok, double *out,
                      const char *allowed)
{
    if (text[0] == '\0' && empty_ok) {
        return true;
    }
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !isfinite(v) || v < lo || (lo_open && v <= lo)) {
        diag_add(&c->diag, path, lineno, column, "\"%s\" is not %s", text, allowed);
        return false;
    }
    *out = v;
    return true;
}

/* An integer in [0, hi]; "" leaves *out as it is. */
static bool read_count(struct cfg *c, const char *path, int lineno, const char *column,
                       const char *text, long hi, int *out)
{
    if (text[0] == '\0') {
        return true;
    }
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno || v < 0 || v > hi) {
        diag_add(&c->diag, path, lineno, column, "\"%s\" is not a count (integer 0..%ld)", text,
                 hi);
        return false;
    }
    *out = (int)v;
    return true;
}

/* Parses one data row (fields by column, col[k] the field of column k or NULL); false after
 * recording its problems. */
static bool read_row(struct cfg *c, const struct care_params *p, const char *path, int lineno,
                     char *const *col, struct care_initial *rec)
{
    static char empty[] = "";
    char *f[N_COLUMNS];
    bool ok = true;

    for (int k = 0; k < N_COLUMNS; k++) {
        f[k] = col[k] ? col[k] : empty;
        trim(f[k]);
    }
    *rec = (struct care_initial){.model = -1, .prior_admissions = -1, .discharge_days = NAN};
    int st = lookup(stage_names, f[COL_STAGE]);
    if (st < 0) {
        diag_add(&c->diag, path, lineno, "stage",
                 "\"%s\" is not a stage (waiting_assessment, waiting_coordination, coordinated, "
                 "discharged, disengaged, signposted)",
                 f[COL_STAGE]);
        ok = false;
    } else {
        rec->stage = (int)stage_of[st];
    }
    int sev = lookup(care_severity_names, f[COL_SEVERITY]);
    if (sev < 0) {
        diag_add(&c->diag, path, lineno, "severity",
                 "\"%s\" is not a severity (low, moderate, high, complex)", f[COL_SEVERITY]);
        ok = false;
    } else {
        rec->severity = (uint8_t)sev;
    }
    ok &= read_needs(c, p, path, lineno, "needs", f[COL_NEEDS], &rec->needs);
    uint16_t met = 0;
    if (read_needs(c, p, path, lineno, "met", f[COL_MET], &met)) {
        if (met & (uint16_t)~rec->needs) {
            diag_add(&c->diag, path, lineno, "met",
                     "\"%s\" holds a need the client does not have (a subset of needs)",
                     col[COL_MET]);
            ok = false;
        }
        rec->met = met & rec->needs;
    } else {
        ok = false;
    }
    rec->days = NAN;
    ok &= read_real(c, path, lineno, "days", f[COL_DAYS], 0.0, false, false, &rec->days,
                    "a number of days (real >= 0)");
    if (f[COL_MODEL][0]) {
        for (int i = 0; i < p->n_models; i++) {
            if (strcmp(p->model[i].name, f[COL_MODEL]) == 0) {
                rec->model = i;
            }
        }
        if (rec->model < 0) {
            /* A model this scenario does not have (a scenario that replaces the baseline's
             * model and starts from its state): the client is triaged by the front door, as a
             * referral is; counted, and said once when the file is read. */
            rec->foreign_model = true;
        }
    }
    if (f[COL_RISK][0]) {
        int r = lookup(risk_names, f[COL_RISK]);
        if (r < 0) {
            diag_add(&c->diag, path, lineno, "risk",
                     "\"%s\" is not a risk state (stable, deteriorating, or empty for stable)",
                     f[COL_RISK]);
            ok = false;
        } else {
            rec->risk = (uint8_t)r;
        }
    }
    ok &=
        read_count(c, path, lineno, "prior_admissions", f[COL_PRIOR], 1000, &rec->prior_admissions);
    ok &= read_count(c, path, lineno, "admissions", f[COL_ADMISSIONS], 1000000, &rec->admissions);
    ok &= read_real(c, path, lineno, "frailty", f[COL_FRAILTY], 0.0, true, true, &rec->frailty,
                    "a risk multiplier (real > 0, or empty to draw it)");
    ok &= read_real(c, path, lineno, "engagement", f[COL_ENGAGEMENT], 0.0, true, true,
                    &rec->engagement, "an engagement multiplier (real > 0, or empty to draw it)");
    int h = lookup(hospital_names, f[COL_HOSPITAL]);
    if (h < 0) {
        diag_add(&c->diag, path, lineno, "hospital",
                 "\"%s\" is not a place in hospital (local, out_of_area, or empty for none)",
                 f[COL_HOSPITAL]);
        ok = false;
    } else {
        rec->hospital = h;
    }
    ok &= read_real(c, path, lineno, "hospital_days", f[COL_HOSPITAL_DAYS], 0.0, false, true,
                    &rec->hospital_days, "a number of days (real >= 0, or empty for 0)");
    if (rec->hospital == 0 && f[COL_HOSPITAL_DAYS][0] && rec->hospital_days > 0) {
        diag_add(&c->diag, path, lineno, "hospital_days",
                 "%s days of a stay for a client not in hospital (empty, or a hospital column "
                 "of local or out_of_area)",
                 f[COL_HOSPITAL_DAYS]);
        ok = false;
    }
    ok &= read_real(c, path, lineno, "discharge_days", f[COL_DISCHARGE_DAYS], 0.0, false, true,
                    &rec->discharge_days,
                    "a number of days since the last discharge (real >= 0, or empty for none)");
    if (f[COL_FOLLOWED_UP][0]) {
        if (strcmp(f[COL_FOLLOWED_UP], "0") != 0 && strcmp(f[COL_FOLLOWED_UP], "1") != 0) {
            diag_add(&c->diag, path, lineno, "followed_up",
                     "\"%s\" is not 0 or 1 (1: the last discharge was followed up within 7 "
                     "days; empty for 0)",
                     f[COL_FOLLOWED_UP]);
            ok = false;
        }
        rec->followed_up = f[COL_FOLLOWED_UP][0] == '1';
    }
    rec->episode_factor = 1.0;
    ok &= read_real(c, path, lineno, "episode_factor", f[COL_EPISODE_FACTOR], 0.0, true, true,
                    &rec->episode_factor,
                    "the multiplier on a coordinated client's episode (real > 0 and <= 1: below 1 "
                    "when it was shortened under pressure; or empty for 1)");
    if (rec->episode_factor > 1.0) {
        diag_add(&c->diag, path, lineno, "episode_factor",
                 "%s is above 1 (a multiplier > 0 and <= 1, or empty for 1)",
                 f[COL_EPISODE_FACTOR]);
        ok = false;
    }
    return ok;
}

/* Maps the header's names to columns; false after recording a problem. */
static bool read_header(struct cfg *c, const char *path, char *line, int *where)
{
    char *field[N_COLUMNS + 2];
    int nf = split_csv(line, field, N_COLUMNS + 1);
    bool ok = true;

    for (int k = 0; k < N_COLUMNS; k++) {
        where[k] = -1;
    }
    if (nf > N_COLUMNS) {
        diag_add(&c->diag, path, 1, NULL, "the header has more than %d columns (%s)", N_COLUMNS,
                 COLUMN_LIST);
        return false;
    }
    for (int i = 0; i < nf; i++) {
        trim(field[i]);
        int k = lookup(column_names, field[i]);
        if (k < 0) {
            diag_add(&c->diag, path, 1, NULL, "column %d: \"%s\" is not a column (%s)", i + 1,
                     field[i], COLUMN_LIST);
            ok = false;
        } else if (where[k] >= 0) {
            diag_add(&c->diag, path, 1, NULL, "column %d: \"%s\" is given twice (each column once)",
                     i + 1, field[i]);
            ok = false;
        } else {
            where[k] = i;
        }
    }
    static const int required[] = {COL_STAGE, COL_SEVERITY, COL_DAYS};
    for (size_t r = 0; ok && r < sizeof required / sizeof required[0]; r++) {
        if (where[required[r]] < 0) {
            diag_add(&c->diag, path, 1, NULL,
                     "the header has no column %s (stage, severity and days are required; "
                     "a header such as stage,severity,needs,days,model)",
                     column_names[required[r]]);
            ok = false;
        }
    }
    return ok;
}

bool care_snapshot_load(struct cfg *c, const config_setting_t *root, struct care_params *p)
{
    static const struct cfg_key group_key = {.name = "initial", .type = CFG_GROUP};
    static const struct cfg_key output_key = {.name = "output", .type = CFG_GROUP};
    const config_setting_t *g, *og;
    struct initial_row row = {0};
    char path[4096], line[4096];

    bool ok = cfg_read_group(c, root, &output_key, &care_output_table, p, &og);
    ok &= cfg_read_group(c, root, &group_key, &care_initial_table, &row, &g);
    if (!g || !row.snapshot || !row.snapshot[0]) { /* "": an empty start, as with no key */
        return ok;
    }
    const char *name = row.snapshot;
    const config_setting_t *s = config_setting_get_member(g, "snapshot");
    cfg_resolve_path(c, s, name, path, sizeof path);
    struct stat fst;
    const char *why = NULL;
    if (stat(path, &fst) != 0) {
        why = strerror(errno);
    } else if (!S_ISREG(fst.st_mode)) {
        why = "not a regular file";
    } else if (fst.st_size > CFG_MAX_FILE_SIZE) {
        why = "too large";
    }
    FILE *f = why ? NULL : fopen(path, "r");
    if (!f) {
        cfg_error(c, s, "cannot read %s: %s (a CSV file, relative to this scenario)", path,
                  why ? why : strerror(errno));
        return false;
    }
    /* The resolved scenario must find the file from wherever it is written: keep the file's
     * full name in the tree. */
    char full[PATH_MAX];
    if (realpath(path, full)) {
        config_setting_set_string((config_setting_t *)s, full);
    }
    int lineno = 0, n_bad = 0, where[N_COLUMNS], n_header = 0;
    size_t cap = 0; /* records allocated: doubled as rows come, not one more a row */
    while (fgets(line, sizeof line, f)) {
        lineno++;
        trim(line);
        if (lineno == 1) {
            if (!read_header(c, path, line, where)) {
                n_bad++;
                break;
            }
            for (int k = 0; k < N_COLUMNS; k++) {
                n_header += where[k] >= 0;
            }
            continue;
        }
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        char *field[N_COLUMNS + 1], *col[N_COLUMNS];
        int nf = split_csv(line, field, N_COLUMNS + 1);
        if (nf != n_header) {
            diag_add(&c->diag, path, lineno, NULL, "%d fields (%d, one per column of the header)",
                     nf, n_header);
            n_bad++;
            continue;
        }
        for (int k = 0; k < N_COLUMNS; k++) {
            col[k] = where[k] >= 0 ? field[where[k]] : NULL;
        }
        struct care_initial rec;
        if (read_row(c, p, path, lineno, col, &rec)) {
            if ((size_t)p->n_initial == cap) {
                cap = cap ? 2 * cap : 256;
                p->initial = xreallocarray(p->initial, cap, sizeof *p->initial);
            }
            if (rec.foreign_model && p->snapshot_foreign++ == 0) {
                p->snapshot_foreign_line = lineno;
            }
            p->initial[p->n_initial++] = rec;
        } else {
            n_bad++;
        }
        if (n_bad >= DIAG_MAX) {
            break;
        }
    }
    if (ferror(f)) {
        diag_add(&c->diag, path, lineno, NULL, "read error");
        n_bad++;
    }
    fclose(f);
    if (lineno == 0) {
        diag_add(&c->diag, path, 1, NULL, "empty file (a header stage,severity,needs,days,model)");
        n_bad++;
    }
    if (p->snapshot_foreign > 0) {
        diag_warn(&c->diag, path, p->snapshot_foreign_line, "model",
                  "%d rows from here on name a coordination model this scenario does not have: "
                  "those clients are triaged by the front door, as referrals are",
                  p->snapshot_foreign);
    }
    return ok && n_bad == 0;
}

/* ---- starting from a snapshot ------------------------------------------------------------ */

void care_snapshot_start(struct care_run *run)
{
    const struct care_params *p = run->p;

    for (int i = 0; i < p->n_initial; i++) {
        const struct care_initial *rec = &p->initial[i];
        uint32_t id = care_new_client(run);
        struct care_client *c = &run->cl[id];
        /* The row's attributes replace those drawn at creation; the substreams stay as they
         * are, so a row that gives them shifts nothing else. */
        c->severity = rec->severity;
        c->needs = rec->needs;
        c->met = rec->met;
        c->risk = rec->risk;
        c->admissions = (uint32_t)rec->admissions;
        if (rec->prior_admissions >= 0) {
            c->prior_admissions = (uint16_t)rec->prior_admissions;
        }
        if (rec->frailty > 0) {
            c->frailty = rec->frailty;
        }
        if (rec->engagement > 0) {
            c->engagement = rec->engagement;
        }
        c->episode_factor = rec->episode_factor;
        c->t_referred = -rec->days;
        if (!isnan(rec->discharge_days)) {
            c->t_discharge = -rec->discharge_days;
            c->followed_up = rec->followed_up;
            c->post_until = c->t_discharge + p->post_discharge_days;
        }
        int m = rec->model;
        bool in_service = rec->stage == STAGE_WAIT_ASSESS || rec->stage == STAGE_WAIT_COORD ||
                          rec->stage == STAGE_COORDINATED;
        if (in_service && m < 0) {
            /* A row without a model is triaged like a referral: the front door's eligibility
             * and fallbacks. */
            m = care_choose_model(run, c);
        }
        c->model = (int8_t)m;
        if (run->journey) {
            care_journey_emit(run, id, CARE_EV_INITIAL, rec->stage, -1);
        }
        if (rec->hospital) {
            c->adm_model_plus1 = rec->stage == STAGE_COORDINATED && m >= 0 ? (uint8_t)(m + 1) : 0;
            care_snapshot_stay(run, id, rec->hospital, rec->hospital_days);
        }
        if (in_service && m == CARE_SIGNPOST) {
            /* No model accepts the client: signposted, as at a referral. */
            care_triage(run, id);
            care_risk_redraw(run, id);
            continue;
        }
        switch (rec->stage) {
        case STAGE_WAIT_ASSESS:
            care_enter_assessment_wait(run, id);
            break;
        case STAGE_WAIT_COORD:
            care_enter_coordination_wait(run, id, -rec->days);
            break;
        case STAGE_COORDINATED:
            care_enter_coordination(run, id, rec->days);
            break;
        case STAGE_SIGNPOSTED:
            /* The signposted period has run for days already. */
            c->signpost_until = dist_mean(&p->signposted_period) - rec->days;
            care_set_stage(run, id, STAGE_SIGNPOSTED);
            care_follow_from(run, id, c->signpost_until);
            break;
        default: /* discharged or disengaged, days ago */
            care_set_stage(run, id, (enum care_stage)rec->stage);
            care_follow_from(run, id, -rec->days);
            break;
        }
        if (rec->stage != STAGE_COORDINATED) {
            /* In the stage since days ago (a coordinated client's episode start is set by
             * care_enter_coordination(); one left waiting for a slot waits from now). */
            c->t_stage = -rec->days;
        }
        care_risk_redraw(run, id);
    }
}

/* ---- writing the end state --------------------------------------------------------------- */

/* Order of the rows: the coordinated first (they take their slots before any waiting client is
 * offered one), then the waiting lists in their order (the client being assessed first), then
 * the clients out of the service. Within a group, the longest in its stage first. */
static int row_group(const struct care_client *c)
{
    switch ((enum care_stage)c->stage) {
    case STAGE_COORDINATED:
        return 0;
    case STAGE_ASSESSING:
        return 1;
    case STAGE_WAIT_ASSESS:
        return 2;
    case STAGE_WAIT_COORD:
        return 3;
    default:
        return 4;
    }
}

struct row_key {
    int group;
    double since;    /* start of the stage */
    uint32_t serial; /* referral order breaks ties, whatever slot the client holds */
    uint32_t id;     /* its slot */
};

static int row_cmp(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;
    if (x->group != y->group) {
        return x->group < y->group ? -1 : 1;
    }
    if (x->since != y->since) {
        return x->since < y->since ? -1 : 1;
    }
    return x->serial < y->serial ? -1 : x->serial > y->serial;
}

static void write_needs(FILE *f, const struct care_params *p, uint16_t set)
{
    bool first = true;
    for (int i = 0; i < p->n_needs; i++) {
        if (set & (1u << i)) {
            fprintf(f, "%s%s", first ? "" : "|", p->need[i].name);
            first = false;
        }
    }
}

int care_snapshot_write(const struct care_run *run, FILE *f)
{
    const struct care_params *p = run->p;
    double now = run->sim.now;
    struct row_key *key = xcalloc(run->n_slots ? run->n_slots : 1, sizeof *key);
    uint32_t n = 0;

    /* Dormant clients have left the model (no risk, no return): they are not part of it; nor
     * are free slots. */
    for (uint32_t i = 0; i < run->n_slots; i++) {
        const struct care_client *c = &run->cl[i];
        if (!care_client_is_live(c) || c->stage >= N_STAGES || c->dormant) {
            continue;
        }
        double since = c->stage == STAGE_COORDINATED ? c->t_coord_start
                       : c->stage == STAGE_ASSESSING ? c->t_referred
                                                     : c->t_stage;
        key[n++] = (struct row_key){row_group(c), since, c->serial, i};
    }
    qsort(key, n, sizeof *key, row_cmp);
    fprintf(f, "stage,severity,needs,days,model,met,risk,prior_admissions,admissions,frailty,"
               "engagement,hospital,hospital_days,discharge_days,followed_up,episode_factor\n");
    for (uint32_t k = 0; k < n; k++) {
        const struct care_client *c = &run->cl[key[k].id];
        enum care_stage st = (enum care_stage)c->stage;
        const char *stage = st == STAGE_ASSESSING     ? "waiting_assessment"
                            : st == STAGE_WAIT_ASSESS ? "waiting_assessment"
                            : st == STAGE_WAIT_COORD  ? "waiting_coordination"
                            : st == STAGE_COORDINATED ? "coordinated"
                            : st == STAGE_DISCHARGED  ? "discharged"
                            : st == STAGE_DISENGAGED  ? "disengaged"
                                                      : "signposted";
        double days = now - key[k].since;
        if (st == STAGE_SIGNPOSTED) {
            /* Days into the signposted period, whose end the reader derives from them. */
            days = dist_mean(&p->signposted_period) - (c->signpost_until - now);
        }
        fprintf(f, "%s,%s,", stage, care_severity_names[c->severity]);
        write_needs(f, p, c->needs);
        fprintf(f, ",%.17g,%s,", fmax(days, 0.0), c->model >= 0 ? p->model[c->model].name : "");
        write_needs(f, p, c->met & c->needs);
        /* A client boarding in the ED waits for a local bed: written as in one, from now. */
        const char *hospital = !c->in_hospital ? "" : c->out_of_area ? "out_of_area" : "local";
        double stay = c->in_hospital && !c->boarding ? now - c->t_admitted : 0.0;
        fprintf(f, ",%s,%u,%u,%.17g,%.17g,%s,",
                c->risk == RISK_DETERIORATING ? "deteriorating" : "stable",
                (unsigned)c->prior_admissions, (unsigned)c->admissions, c->frailty, c->engagement,
                hospital);
        if (c->in_hospital) {
            fprintf(f, "%.17g", stay);
        }
        fputc(',', f);
        if (isfinite(c->t_discharge)) {
            fprintf(f, "%.17g", now - c->t_discharge);
        }
        fprintf(f, ",%d,", c->followed_up ? 1 : 0);
        if (st == STAGE_COORDINATED) {
            fprintf(f, "%.17g", c->episode_factor > 0 ? c->episode_factor : 1.0);
        }
        fputc('\n', f);
    }
    free(key);
    return ferror(f) ? -1 : 0;
}
