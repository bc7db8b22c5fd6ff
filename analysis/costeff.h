/*
 * costeff — the cost of each unit of an outcome averted, a scenario against the first of a
 * comparison, from the paired replications.
 *
 * For replication i, d_i is the scenario's cost a year minus the first's, and a_i is the
 * first's count of the outcome a year minus the scenario's (what the scenario averts). The
 * estimate is the ratio of the means, D / A, and its interval is Fieller's: the values of R with
 * (D - R A)^2 <= t^2 var(D - R A), t the Student quantile with n - 1 degrees of freedom. The
 * interval is bounded only when A is distinguished from 0 at the same level (A^2 > t^2 var(A));
 * otherwise the ratio has no finite interval, and it is reported as such (docs/scenarios.md,
 * "Costs"). Ratios are reported only where the scenario averts the outcome (A's interval above
 * 0): a scenario that adds admissions has a cost difference and an outcome difference, not a
 * cost per admission averted.
 *
 * cost_effect.csv: scenario,outcome,cost_diff,cost_diff_ci_low,cost_diff_ci_high,averted,
 * averted_ci_low,averted_ci_high,cost_per_averted,ci_low,ci_high,unit,note; a row per scenario
 * after the first and outcome (admissions_per_year, bed_days_per_year), written only when the
 * scenarios have costs (the metric cost_per_year).
 */
#ifndef CCSIM_ANALYSIS_COSTEFF_H
#define CCSIM_ANALYSIS_COSTEFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/compare.h"

enum costeff_kind {
    COSTEFF_RATIO,      /* averted, bounded interval */
    COSTEFF_UNBOUNDED,  /* the outcome's difference is not distinguished from 0 */
    COSTEFF_NOT_AVERTED /* the scenario adds the outcome (its interval lies below 0) */
};

struct costeff {
    double dc, dc_lo, dc_hi; /* cost difference a year, scenario minus first, 95% interval */
    double da, da_lo, da_hi; /* outcome averted a year, first minus scenario, 95% interval */
    double ratio, lo, hi;    /* cost per unit averted and its interval (NAN where none) */
    enum costeff_kind kind;
};

/* Paired cost-effect of count replications: cost_a, cost_b the two scenarios' costs, out_a,
 * out_b their outcome counts, each read with its stride (doubles between replications). count
 * >= 2. */
void costeff_paired(const double *cost_a, const double *cost_b, const double *out_a,
                    const double *out_b, size_t stride, size_t count, double level,
                    struct costeff *out);

/* Whether the entries have costs to compare (every scenario has cost_per_year, not NA). */
bool costeff_available(const struct compare_entry *e, int n);

/* Writes cost_effect.csv for the n entries (n >= 2, costeff_available()). Returns 0 or -errno. */
int costeff_write_csv(const char *path, const struct compare_entry *e, int n);

/* The same in sentences, for a terminal: "icm: 37 admissions a year averted (31 to 43) for
 * GBP 1.2 million a year more (...): GBP 32,400 per admission averted (...)". */
void costeff_print(FILE *out, const struct compare_entry *e, int n);

#endif
