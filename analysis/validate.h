/*
 * validate — published effects against simulated ones.
 *
 * The effects come from a table shipped beside the scenarios they compare (VALIDATE_TABLE in
 * the validation folder, scenarios/validation/ by default; its format is in docs/validation.md):
 * one row per published effect, naming two scenarios of the folder that run on the same clients
 * and random numbers, a metric both report, the kind of effect, the rule for passing, the
 * published estimate with its 95% interval and its source. This module knows nothing of the
 * models or their metrics beyond what the table says.
 *
 * Each row states the published effect with its interval, the simulated effect with its paired
 * 95% interval, and whether the row passes:
 *   - a mean difference (MD) of a per-100-client-year metric, shown per client-month (/1200);
 *   - a rate ratio (RR) of a metric, from the paired log ratios of the replications;
 * and passes when the simulated point estimate lies inside the published interval, or, for a
 * "not below" row, when the simulated interval does not lie wholly below the bound.
 *
 * Ownership: validate_table_read() fills a caller-provided struct validate_table whose strings
 * point into the file's text it holds; validate_table_free() releases it (a no-op on a zeroed or
 * freed table).
 */
#ifndef CCSIM_ANALYSIS_VALIDATE_H
#define CCSIM_ANALYSIS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/table.h"

#define VALIDATE_TABLE "trials.csv" /* the table's name in the validation folder */

enum validate_kind {
    VALIDATE_MD_MONTH, /* "MD-per-month" in the table */
    VALIDATE_RR,       /* "RR" */
};
enum validate_rule {
    VALIDATE_INSIDE,    /* "inside" */
    VALIDATE_NOT_BELOW, /* "not-below" */
};

struct validate_row {
    const char *label;
    const char *reference; /* scenario file in the validation folder */
    const char *treatment;
    const char *metric; /* reported by both scenarios */
    enum validate_kind kind;
    enum validate_rule rule;
    double point, lo, hi; /* published, lo <= point <= hi; NOT_BELOW uses lo as the bound */
    const char *source;
    int line; /* the row's line in the table's file */
};

struct validate_table {
    struct table t;            /* the file as read */
    struct validate_row *rows; /* n_rows, in the file's order */
    int n_rows;
};

/* Reads and checks the table of published effects at path: RFC 4180 CSV (analysis/table.h)
 * with the columns label, reference, treatment, metric, kind, rule, point, low, high, source
 * and no others, at least one row, every text cell non-empty, kind MD-per-month or RR, rule
 * inside or not-below, point, low and high finite numbers with low <= point <= high (all above
 * 0 for RR). Returns 0, or CCSIM_EINPUT with one line in err, "PATH:LINE: column 'NAME': what is
 * wrong (what is allowed)" (a missing or unreadable file: "PATH: reason"); vt is zeroed then. */
int validate_table_read(const char *path, struct validate_table *vt, char *err, size_t err_len);
void validate_table_free(struct validate_table *vt);

struct validate_outcome {
    double point, lo, hi; /* simulated */
    bool pass;
};

/* Computes the simulated effect of row r from the two scenarios' replications (metric columns
 * already picked out, n paired replications), and whether it passes. Cannot fail: the interval
 * is NaN with fewer than two usable pairs (for RR, pairs where both values are above 0), and the
 * RR point NaN when the reference values sum to 0 or less. */
void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out);

#endif
