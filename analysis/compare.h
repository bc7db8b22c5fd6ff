/*
 * compare — several scenarios on the same clients and random numbers, with paired differences.
 *
 * Every scenario runs the same replications with the same seed. Replication r of each draws
 * from the same streams (sim/rng.h), and every client from its own substreams keyed by its
 * referral index, so the n-th client is the same person in every scenario: common random
 * numbers. The difference of a metric between a scenario and the first is then estimated from
 * the paired replications (analysis/ci.h, ci_paired), which is far narrower than comparing two
 * independent summaries when the scenarios differ in a few mechanisms.
 *
 * comparison.csv: metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high with one row
 * per metric of the first scenario and scenario (in the order given); diff is the scenario's
 * mean minus the first's with the paired 95% interval, NA for the first scenario itself and
 * for a metric the scenario does not have. Each row ends with unit,label,headline: the first
 * scenario's description of the metric (see csv_describe()).
 */
#ifndef CCSIM_ANALYSIS_COMPARE_H
#define CCSIM_ANALYSIS_COMPARE_H

#include <stdio.h>

#include "analysis/experiment.h"
#include "models/model.h"

struct compare_entry {
    const char *name; /* as shown: the file name without folder and .cfg */
    const struct scenario *sc;
    struct experiment_result res;
};

/* Index of metric name in e's scenario, or -1. */
int compare_metric_index(const struct compare_entry *e, const char *name);

/* Writes comparison.csv for n entries (n >= 1). Returns 0 or -errno. */
int compare_write_csv(const char *path, const struct compare_entry *e, int n);
/* The same, with the columns unit, label and headline when flags has CSV_DESCRIBED (csv.h). */
int compare_write_csv_flags(const char *path, const struct compare_entry *e, int n, unsigned flags);
/* The same as an aligned table, for a terminal. */
void compare_print_table(FILE *out, const struct compare_entry *e, int n);

#endif
