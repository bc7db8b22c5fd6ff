#include "analysis/validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/ci.h"
#include "analysis/csv.h"
#include "sim/error.h"
#include "sim/xalloc.h"

/* The table's required columns, in the order docs/validation.md gives them. */
static const struct table_column required[] = {
    {"label", TABLE_TEXT},  {"reference", TABLE_TEXT}, {"treatment", TABLE_TEXT},
    {"metric", TABLE_TEXT}, {"kind", TABLE_TEXT},      {"point", TABLE_FINITE},
    {"low", TABLE_FINITE},  {"high", TABLE_FINITE},    {"source", TABLE_TEXT},
    {"use", TABLE_TEXT},    {NULL, TABLE_TEXT}};
/* Every column the table may have: the required ones, then the optional ones. */
static const struct table_column known[] = {
    {"label", TABLE_TEXT},  {"reference", TABLE_TEXT}, {"treatment", TABLE_TEXT},
    {"metric", TABLE_TEXT}, {"kind", TABLE_TEXT},      {"point", TABLE_FINITE},
    {"low", TABLE_FINITE},  {"high", TABLE_FINITE},    {"source", TABLE_TEXT},
    {"use", TABLE_TEXT},    {"models", TABLE_TEXT},    {"rule", TABLE_TEXT},
    {NULL, TABLE_TEXT}};

const struct table_column validate_status_columns[] = {
    {"row", TABLE_TEXT},         {"models", TABLE_TEXT},    {"kind", TABLE_TEXT},
    {"published", TABLE_NUMBER}, {"low", TABLE_NUMBER},     {"high", TABLE_NUMBER},
    {"simulated", TABLE_NUMBER}, {"sim_low", TABLE_NUMBER}, {"sim_high", TABLE_NUMBER},
    {"verdict", TABLE_TEXT},     {"use", TABLE_TEXT},       {"date", TABLE_TEXT},
    {"seed", TABLE_TEXT},        {NULL, TABLE_TEXT}};

static const struct {
    const char *name;
    enum validate_kind kind;
} kinds[] = {
    {"RR", VALIDATE_RR},       {"OR", VALIDATE_OR},
    {"MD", VALIDATE_MD},       {"MD-per-month", VALIDATE_MD_MONTH},
    {"slope", VALIDATE_SLOPE},
};

const char *validate_kind_name(enum validate_kind kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].kind == kind) {
            return kinds[i].name;
        }
    }
    return "?";
}

/* Whether models is empty or names of [A-Za-z0-9_] separated by single ';'. */
static bool models_ok(const char *models)
{
    if (!models[0]) {
        return true;
    }
    bool in_name = false;
    for (const char *p = models; *p; p++) {
        if (*p == ';') {
            if (!in_name) {
                return false;
            }
            in_name = false;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '_') {
            in_name = true;
        } else {
            return false;
        }
    }
    return in_name;
}

/* Row i of t into *row. Returns 0, or -1 with err set. */
static int parse_row(const struct table *t, int i, struct validate_row *row, char (*buf)[256],
                     char *err, size_t err_len)
{
    const char *kind = table_at(t, i, table_col(t, "kind"));
    const char *use = table_at(t, i, table_col(t, "use"));
    int c_models = table_col(t, "models"), c_rule = table_col(t, "rule");
    int line = t->line[i];

    *row = (struct validate_row){
        .label = table_at(t, i, table_col(t, "label")),
        .reference = table_at(t, i, table_col(t, "reference")),
        .treatment = table_at(t, i, table_col(t, "treatment")),
        .metric = table_at(t, i, table_col(t, "metric")),
        .point = table_num(t, i, table_col(t, "point")),
        .lo = table_num(t, i, table_col(t, "low")),
        .hi = table_num(t, i, table_col(t, "high")),
        .source = table_at(t, i, table_col(t, "source")),
        .models = c_models >= 0 ? table_at(t, i, c_models) : "",
        .line = line,
    };
    size_t k = 0;
    while (k < sizeof kinds / sizeof kinds[0] && strcmp(kind, kinds[k].name) != 0) {
        k++;
    }
    if (k == sizeof kinds / sizeof kinds[0]) {
        snprintf(err, err_len,
                 "%s:%d: column 'kind': '%.40s' is not a kind of effect (RR, OR, MD, "
                 "MD-per-month or slope is expected)",
                 t->path, line, kind);
        return -1;
    }
    row->kind = kinds[k].kind;
    size_t cut = strcspn(row->metric, ";");
    if ((row->kind == VALIDATE_SLOPE) != (row->metric[cut] == ';') ||
        (row->metric[cut] == ';' && strchr(row->metric + cut + 1, ';')) || cut == 0 ||
        cut >= sizeof buf[0] || strlen(row->metric + cut) >= sizeof buf[1]) {
        snprintf(err, err_len, "%s:%d: column 'metric': '%.80s' %s", t->path, line, row->metric,
                 row->kind == VALIDATE_SLOPE
                     ? "is not two metrics (a slope names the high subgroup's metric, ';', "
                       "then the low subgroup's)"
                     : "is not one metric name (two, separated by ';', only for kind slope)");
        return -1;
    }
    if (row->kind == VALIDATE_SLOPE) {
        memcpy(buf[0], row->metric, cut);
        buf[0][cut] = '\0';
        snprintf(buf[1], sizeof buf[1], "%s", row->metric + cut + 1);
        row->metric = buf[0];
        row->metric_low = buf[1];
    }
    if (strcmp(use, "train") == 0 || strcmp(use, "held-out") == 0) {
        row->is_train = use[0] == 't';
    } else {
        snprintf(err, err_len,
                 "%s:%d: column 'use': '%.40s' is not a use (train or held-out is expected)",
                 t->path, line, use);
        return -1;
    }
    if (c_rule >= 0 && strcmp(table_at(t, i, c_rule), "inside") != 0) {
        snprintf(err, err_len,
                 "%s:%d: column 'rule': '%.40s' is not allowed (every row passes when the "
                 "simulated estimate lies inside the published interval: only 'inside' is "
                 "allowed, or leave the column out)",
                 t->path, line, table_at(t, i, c_rule));
        return -1;
    }
    if (!models_ok(row->models)) {
        snprintf(err, err_len,
                 "%s:%d: column 'models': '%.60s' is not a list of presets (names of letters, "
                 "digits and '_' separated by ';', e.g. icm;standard_care, or empty)",
                 t->path, line, row->models);
        return -1;
    }
    if (!(row->lo <= row->point && row->point <= row->hi)) {
        snprintf(err, err_len,
                 "%s:%d: columns 'low', 'point', 'high': %g, %g, %g are out of order "
                 "(low <= point <= high is expected)",
                 t->path, line, row->lo, row->point, row->hi);
        return -1;
    }
    if ((row->kind == VALIDATE_RR || row->kind == VALIDATE_OR) && !(row->lo > 0)) {
        snprintf(err, err_len,
                 "%s:%d: column 'low': %g is not above 0 (a ratio, %s, and its interval above 0 "
                 "are expected)",
                 t->path, line, row->lo, validate_kind_name(row->kind));
        return -1;
    }
    return 0;
}

int validate_table_read(const char *path, struct validate_table *vt, char *err, size_t err_len)
{
    memset(vt, 0, sizeof *vt);
    int rc = table_read(path, &vt->t, err, err_len);
    if (rc == 1) {
        snprintf(err, err_len,
                 "%s: no such file (the table of published effects is expected there, beside "
                 "the scenarios it compares)",
                 path);
    }
    if (rc != 0) {
        return CCSIM_EINPUT;
    }
    if (table_check_known(&vt->t, known, err, err_len) != 0 ||
        table_check(&vt->t, required, err, err_len) != 0) {
        goto out_free;
    }
    int c_rule = table_col(&vt->t, "rule");
    if (c_rule >= 0 && table_check_column(&vt->t, c_rule, TABLE_TEXT, err, err_len) != 0) {
        goto out_free;
    }
    vt->n_rows = vt->t.n_rows;
    vt->rows = xcalloc((size_t)vt->n_rows, sizeof *vt->rows);
    vt->metric_buf = xcalloc((size_t)vt->n_rows, sizeof *vt->metric_buf);
    for (int i = 0; i < vt->n_rows; i++) {
        if (parse_row(&vt->t, i, &vt->rows[i], vt->metric_buf[i], err, err_len) != 0) {
            goto out_free;
        }
    }
    return 0;

out_free:
    validate_table_free(vt);
    return CCSIM_EINPUT;
}

void validate_table_free(struct validate_table *vt)
{
    free(vt->rows);
    free(vt->metric_buf);
    table_free(&vt->t);
    memset(vt, 0, sizeof *vt);
}

/* The log odds of a percentage, NaN outside 0 to 100 (ends excluded). */
static double log_odds(double pct)
{
    return pct > 0 && pct < 100 ? log(pct / (100 - pct)) : NAN;
}

void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out)
{
    struct ci c;

    if (r->kind == VALIDATE_SLOPE) {
        /* The slope N / D, N the difference of the subgroups' effects and D of the reference
         * levels: a ratio of means, its interval by the delta method over the replications
         * (a replication's own ratio is unstable when its D is near 0). */
        double sn = 0, sd = 0;
        for (long i = 0; i < n; i++) {
            sn += (treat[i] - ref[i]) - (treat[n + i] - ref[n + i]);
            sd += ref[i] - ref[n + i];
        }
        double mn = n > 0 ? sn / (double)n : NAN, md = n > 0 ? sd / (double)n : NAN;
        out->point = md != 0 ? mn / md : NAN;
        double vn = 0, vd = 0, cnd = 0;
        for (long i = 0; i < n; i++) {
            double a = (treat[i] - ref[i]) - (treat[n + i] - ref[n + i]) - mn;
            double b = ref[i] - ref[n + i] - md;
            vn += a * a;
            vd += b * b;
            cnd += a * b;
        }
        out->lo = out->hi = NAN;
        if (n >= 2 && isfinite(out->point)) {
            double q = out->point;
            double var = (vn - 2 * q * cnd + q * q * vd) / (double)(n - 1) / ((double)n * md * md);
            double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sqrt(fmax(var, 0.0));
            out->lo = q - half;
            out->hi = q + half;
        }
    } else if (r->kind == VALIDATE_MD_MONTH || r->kind == VALIDATE_MD) {
        /* MD-per-month: the metric is per 100 client-years, 1200 client-months. */
        double unit = r->kind == VALIDATE_MD_MONTH ? 1200.0 : 1.0;
        ci_paired(ref, 1, treat, 1, (size_t)n, 0.95, &c);
        out->point = c.mean / unit;
        out->lo = c.lo / unit;
        out->hi = c.hi / unit;
    } else {
        /* Per replication the log ratio (RR) or log odds ratio (OR) of treatment to reference;
         * the point estimate from the arms' means. */
        double *lr = xcalloc((size_t)n, sizeof *lr), sr = 0, st = 0;
        for (long i = 0; i < n; i++) {
            if (r->kind == VALIDATE_RR) {
                lr[i] = ref[i] > 0 && treat[i] > 0 ? log(treat[i] / ref[i]) : NAN;
            } else {
                lr[i] = log_odds(treat[i]) - log_odds(ref[i]);
            }
            sr += ref[i];
            st += treat[i];
        }
        ci_t(lr, (size_t)n, 1, 0.95, &c);
        if (r->kind == VALIDATE_RR) {
            out->point = sr > 0 ? st / sr : NAN;
        } else {
            out->point = n > 0 ? exp(log_odds(st / (double)n) - log_odds(sr / (double)n)) : NAN;
        }
        out->lo = exp(c.lo);
        out->hi = exp(c.hi);
        free(lr);
    }
    out->pass = out->point >= r->lo && out->point <= r->hi;
}

double validate_misfit(const struct validate_row *r, double simulated)
{
    if (r->kind == VALIDATE_RR || r->kind == VALIDATE_OR) {
        double w = (log(r->hi) - log(r->lo)) / 2;
        return simulated > 0 && w > 0 ? (log(simulated) - log(r->point)) / w : NAN;
    }
    double w = (r->hi - r->lo) / 2;
    return w > 0 && !isnan(simulated) ? (simulated - r->point) / w : NAN;
}

bool validate_row_has_model(const struct validate_row *r, const char *preset)
{
    size_t n = strlen(preset);
    for (const char *p = r->models; *p;) {
        size_t len = strcspn(p, ";");
        if (len == n && strncmp(p, preset, n) == 0) {
            return true;
        }
        p += len + (p[len] == ';');
    }
    return false;
}

int validate_status_write(const char *path, const struct validate_status *st, int n,
                          const char *date, unsigned long long seed)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp) {
        return -ENAMETOOLONG;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        return -errno;
    }
    /* A shipped, installed file: readable by all, as the file it replaces was. */
    (void)fchmod(fd, 0644);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return -e;
    }
    fputs("row,models,kind,published,low,high,simulated,sim_low,sim_high,verdict,use,date,seed\n",
          f);
    for (int i = 0; i < n; i++) {
        const struct validate_row *r = st[i].row;
        csv_field(f, r->label);
        fputc(',', f);
        csv_field(f, r->models[0] ? r->models : "NA");
        fprintf(f, ",%s,", validate_kind_name(r->kind));
        const double v[] = {r->point, r->lo, r->hi, st[i].out.point, st[i].out.lo, st[i].out.hi};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            csv_number(f, v[k]);
            fputc(',', f);
        }
        fprintf(f, "%s,%s,%s,%llu\n", st[i].out.pass ? "pass" : "fail",
                r->is_train ? "train" : "held-out", date, seed);
    }
    int e = ferror(f) ? EIO : 0;
    if (fclose(f) != 0 && e == 0) {
        e = errno;
    }
    if (e == 0 && rename(tmp, path) != 0) {
        e = errno;
    }
    if (e != 0) {
        unlink(tmp);
        return -e;
    }
    return 0;
}
