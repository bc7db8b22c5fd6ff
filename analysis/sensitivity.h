/*
 * sensitivity — one-way sensitivity analysis over every parameter with a plausible range.
 *
 * A key declares a plausible range (struct cfg_key: plausible_lo, plausible_hi) where the
 * evidence gives one. Every value in the resolved scenario read by such a key is a parameter:
 * the scenario is run with it at the low end and at the high end of its range, everything else
 * as in the base, all on the base's seed and replications (common random numbers), and each
 * metric's paired difference from the base is reported with its 95% interval.
 *
 * sensitivity.csv: parameter,low,high,metric,base,low_mean,high_mean,low_diff,low_diff_ci_low,
 * low_diff_ci_high,high_diff,high_diff_ci_low,high_diff_ci_high; one row per parameter and
 * metric, parameters in the scenario's order. Ready for a tornado plot: sort by the spread
 * between low_diff and high_diff. Each row ends with unit,label,headline,better (see
 * csv_describe()).
 */
#ifndef CCSIM_ANALYSIS_SENSITIVITY_H
#define CCSIM_ANALYSIS_SENSITIVITY_H

#include <stdio.h>

#include "analysis/experiment.h"
#include "sim/cfg.h"

struct sens_param {
    char path[512];            /* dotted path, as for --set */
    const struct cfg_key *key; /* its declaration, with the plausible range */
    double value;              /* in the base scenario */
};

/* The parameters of a loaded, resolved scenario: xcalloc'ed array, *n set. */
struct sens_param *sens_parameters(const struct cfg *c, int *n);

/* Writes sensitivity.csv. low[i] and high[i] are parameter i's runs. Returns 0 or -errno. */
int sens_write_csv(const char *path, const struct sens_param *params, int n,
                   const struct scenario *base_sc, const struct experiment_result *base,
                   const struct experiment_result *low, const struct experiment_result *high);
/* The same, with the columns unit, label and headline when flags has CSV_DESCRIBED (csv.h). */
int sens_write_csv_flags(const char *path, const struct sens_param *params, int n,
                         const struct scenario *base_sc, const struct experiment_result *base,
                         const struct experiment_result *low, const struct experiment_result *high,
                         unsigned flags);

#endif
