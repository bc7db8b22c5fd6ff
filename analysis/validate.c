#include "analysis/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ci.h"
#include "sim/error.h"
#include "sim/xalloc.h"

/* The table's columns, in the order docs/validation.md gives them. */
static const struct table_column columns[] = {
    {"label", TABLE_TEXT},   {"reference", TABLE_TEXT}, {"treatment", TABLE_TEXT},
    {"metric", TABLE_TEXT},  {"kind", TABLE_TEXT},      {"rule", TABLE_TEXT},
    {"point", TABLE_FINITE}, {"low", TABLE_FINITE},     {"high", TABLE_FINITE},
    {"source", TABLE_TEXT},  {NULL, TABLE_TEXT}};

/* Row i of t into *row. Returns 0, or -1 with err set. */
static int parse_row(const struct table *t, int i, struct validate_row *row, char *err,
                     size_t err_len)
{
    const char *kind = table_at(t, i, table_col(t, "kind"));
    const char *rule = table_at(t, i, table_col(t, "rule"));
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
        .line = line,
    };
    if (strcmp(kind, "MD-per-month") == 0) {
        row->kind = VALIDATE_MD_MONTH;
    } else if (strcmp(kind, "RR") == 0) {
        row->kind = VALIDATE_RR;
    } else {
        snprintf(err, err_len,
                 "%s:%d: column 'kind': '%.40s' is not a kind of effect (MD-per-month or RR is "
                 "expected)",
                 t->path, line, kind);
        return -1;
    }
    if (strcmp(rule, "inside") == 0) {
        row->rule = VALIDATE_INSIDE;
    } else if (strcmp(rule, "not-below") == 0) {
        row->rule = VALIDATE_NOT_BELOW;
    } else {
        snprintf(err, err_len,
                 "%s:%d: column 'rule': '%.40s' is not a rule (inside or not-below is expected)",
                 t->path, line, rule);
        return -1;
    }
    if (!(row->lo <= row->point && row->point <= row->hi)) {
        snprintf(err, err_len,
                 "%s:%d: columns 'low', 'point', 'high': %g, %g, %g are out of order "
                 "(low <= point <= high is expected)",
                 t->path, line, row->lo, row->point, row->hi);
        return -1;
    }
    if (row->kind == VALIDATE_RR && !(row->lo > 0)) {
        snprintf(err, err_len,
                 "%s:%d: column 'low': %g is not above 0 (a rate ratio and its interval above 0 "
                 "are expected)",
                 t->path, line, row->lo);
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
    if (table_check_known(&vt->t, columns, err, err_len) != 0 ||
        table_check(&vt->t, columns, err, err_len) != 0) {
        goto out_free;
    }
    vt->n_rows = vt->t.n_rows;
    vt->rows = xcalloc((size_t)vt->n_rows, sizeof *vt->rows);
    for (int i = 0; i < vt->n_rows; i++) {
        if (parse_row(&vt->t, i, &vt->rows[i], err, err_len) != 0) {
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
    table_free(&vt->t);
    memset(vt, 0, sizeof *vt);
}

void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out)
{
    struct ci c;

    if (r->kind == VALIDATE_MD_MONTH) {
        /* The metric is per 100 client-years; 1200 client-months. */
        ci_paired(ref, 1, treat, 1, (size_t)n, 0.95, &c);
        out->point = c.mean / 1200.0;
        out->lo = c.lo / 1200.0;
        out->hi = c.hi / 1200.0;
    } else {
        /* log(treatment / reference) per replication; the ratio of means is the estimate. */
        double *lr = xcalloc((size_t)n, sizeof *lr), sr = 0, st = 0;
        for (long i = 0; i < n; i++) {
            lr[i] = ref[i] > 0 && treat[i] > 0 ? log(treat[i] / ref[i]) : NAN;
            sr += ref[i];
            st += treat[i];
        }
        ci_t(lr, (size_t)n, 1, 0.95, &c);
        out->point = sr > 0 ? st / sr : NAN;
        out->lo = exp(c.lo);
        out->hi = exp(c.hi);
        free(lr);
    }
    if (r->rule == VALIDATE_INSIDE) {
        out->pass = out->point >= r->lo && out->point <= r->hi;
    } else {
        out->pass = !(out->hi < r->lo);
    }
}
