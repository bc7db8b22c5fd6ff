/*
 * validate — published effects against simulated ones.
 *
 * The effects come from a table shipped beside the scenarios they compare (VALIDATE_TABLE in
 * the validation folder, scenarios/validation/ by default; its format is in docs/validation.md):
 * one row per published effect, naming two scenarios of the folder that run on the same clients
 * and random numbers, a metric both report, the kind of effect, the published estimate with its
 * 95% interval, its source, whether the row is a training target of a joint fit or held out, and
 * optionally the coordination presets it validates. This module knows nothing of the models or
 * their metrics beyond what the table says.
 *
 * Each row states the published effect with its interval, the simulated effect with its paired
 * 95% interval, and whether the row passes:
 *   - RR: the ratio of the two arms' means (a risk ratio of proportions or a ratio of rates),
 *     with the interval from the paired log ratios of the replications;
 *   - OR: the odds ratio of two percentages p (odds p / (100 - p) in each arm), the point from
 *     the arms' means, the interval from the paired log odds ratios of the replications;
 *   - MD: the mean difference, treatment minus reference, in the metric's own unit, with the
 *     paired interval;
 *   - MD-per-month: the same for a metric per 100 client-years, shown per client-month (/1200);
 * and passes when the simulated point estimate lies inside the published interval (the one
 * rule; a table giving any other gets an error).
 *
 * Ownership: validate_table_read() fills a caller-provided struct validate_table whose strings
 * point into the file's text it holds; validate_table_free() releases it (a no-op on a zeroed or
 * freed table). The status file (validate_status_write) is written whole or not at all.
 */
#ifndef CCSIM_ANALYSIS_VALIDATE_H
#define CCSIM_ANALYSIS_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/table.h"

#define VALIDATE_TABLE  "trials.csv" /* the table's name in the validation folder */
#define VALIDATE_STATUS "status.csv" /* the status file's name in the validation folder */

enum validate_kind {
    VALIDATE_MD_MONTH, /* "MD-per-month" in the table */
    VALIDATE_RR,       /* "RR" */
    VALIDATE_OR,       /* "OR" */
    VALIDATE_MD,       /* "MD" */
    VALIDATE_SLOPE,    /* "slope": of an effect against the reference arm's level, two subgroups */
};

struct validate_row {
    const char *label;
    const char *reference; /* scenario file in the validation folder */
    const char *treatment;
    const char *metric;     /* reported by both scenarios (slope: the high subgroup's) */
    const char *metric_low; /* slope: the low subgroup's metric; NULL for the other kinds */
    enum validate_kind kind;
    double point, lo, hi; /* published, lo <= point <= hi (all above 0 for RR and OR) */
    const char *source;
    bool is_train;      /* use "train": a target of the joint fit; else "held-out" */
    const char *models; /* presets it validates, ';'-separated; "" when not given */
    int line;           /* the row's line in the table's file */
};

struct validate_table {
    struct table t;             /* the file as read */
    char (*metric_buf)[2][256]; /* per row: a slope's two metric names */
    struct validate_row *rows;  /* n_rows, in the file's order */
    int n_rows;
};

/* Reads and checks the table of published effects at path: RFC 4180 CSV (analysis/table.h)
 * with the columns label, reference, treatment, metric, kind, point, low, high, source, use,
 * optionally models and rule, and no others; at least one row, every text cell non-empty (models
 * may be empty), kind RR, OR, MD or MD-per-month, use train or held-out, rule (when present)
 * inside, models names of letters, digits and '_' separated by ';', point, low and high finite
 * numbers with low <= point <= high (all above 0 for RR and OR). Returns 0, or CCSIM_EINPUT with
 * one line in err, "PATH:LINE: column 'NAME': what is wrong (what is allowed)" (a missing or
 * unreadable file: "PATH: reason"); vt is zeroed then. */
int validate_table_read(const char *path, struct validate_table *vt, char *err, size_t err_len);
void validate_table_free(struct validate_table *vt);

/* The kind as the table writes it ("RR", "OR", "MD", "MD-per-month"); never NULL. */
const char *validate_kind_name(enum validate_kind kind);

struct validate_outcome {
    double point, lo, hi; /* simulated */
    bool pass;
};

/* Computes the simulated effect of row r from the two scenarios' replications (metric columns
 * already picked out, n paired replications; for a slope 2n values each, the n of metric then the
 * n of metric_low), and whether it passes. A slope is the difference between the two subgroups'
 * mean differences over the difference of the reference arm's levels, ((T1 - R1) - (T2 - R2)) /
 * (R1 - R2): the change of the effect per unit of the reference level (Burns et al. 2007's
 * meta-regression on control-group use), from the arms' means, with its interval by the delta
 * method over the replications (t quantile, n - 1 degrees of freedom). Cannot fail: the interval
 * is NaN with fewer than two usable pairs (for RR, pairs where both values are above 0; for OR,
 * pairs where both lie strictly between 0 and 100), and the point NaN when it is undefined (RR:
 * reference values summing to 0 or less; OR: a mean percentage outside 0 to 100, ends
 * excluded); a NaN point fails. */
void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out);

/* The misfit of a simulated point estimate to row r, in half-widths of the published interval:
 * (simulated - point) / ((high - low) / 2), on the log scale for RR and OR (log simulated - log
 * point over half the log interval's width). NaN when simulated is NaN (or not above 0 for RR
 * and OR), or the interval has no width. Cannot fail. */
double validate_misfit(const struct validate_row *r, double simulated);

/* Whether row r names preset among its models (exact match of one ';'-separated name). */
bool validate_row_has_model(const struct validate_row *r, const char *preset);

/* One row of the status file. */
struct validate_status {
    const struct validate_row *row;
    struct validate_outcome out;
};

/* Writes the status file path (scenarios/validation/status.csv): a header, then one record per
 * row, with the columns row, models, kind, published, low, high, simulated, sim_low, sim_high,
 * verdict (pass or fail), use, date (YYYY-MM-DD, UTC) and seed; "NA" for a row that names no
 * model and for an undefined number. Written to a temporary file beside path and renamed over
 * it, so a reader sees the old file or the new one. Returns 0, or a negative errno (the caller
 * names the path). */
int validate_status_write(const char *path, const struct validate_status *st, int n,
                          const char *date, unsigned long long seed);

/* The columns of the status file a reader checks (a NULL name ends the list). */
extern const struct table_column validate_status_columns[];

#endif
