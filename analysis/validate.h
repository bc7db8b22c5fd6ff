/*
 * validate — published effects against simulated ones.
 *
 * Each row compares two validation scenarios (scenarios/validation/) run on the same clients and
 * random numbers and states the published effect with its 95% interval, the simulated effect
 * with its paired 95% interval, and whether the row passes:
 *   - a mean difference (MD) of a per-100-client-year metric, shown per client-month (/1200);
 *   - a rate ratio (RR) of a metric, from the paired log ratios of the replications;
 * and passes when the simulated point estimate lies inside the published interval, or, for a
 * "not below" row, when the simulated interval does not lie wholly below the bound.
 */
#ifndef CCSIM_ANALYSIS_VALIDATE_H
#define CCSIM_ANALYSIS_VALIDATE_H

#include <stdbool.h>
#include <stdio.h>

enum validate_kind { VALIDATE_MD_MONTH, VALIDATE_RR };
enum validate_rule { VALIDATE_INSIDE, VALIDATE_NOT_BELOW };

struct validate_row {
    const char *label;
    const char *reference; /* scenario file in the validation folder */
    const char *treatment;
    const char *metric;
    enum validate_kind kind;
    enum validate_rule rule;
    double point, lo, hi; /* published; NOT_BELOW uses lo as the bound */
    const char *source;
};

extern const struct validate_row validate_rows[];
extern const int validate_n_rows;

struct validate_outcome {
    double point, lo, hi; /* simulated */
    bool pass;
};

/* Computes the simulated effect of row r from the two scenarios' replications (metric columns
 * already picked out, n paired replications). */
void validate_effect(const struct validate_row *r, const double *ref, const double *treat, long n,
                     struct validate_outcome *out);

#endif
