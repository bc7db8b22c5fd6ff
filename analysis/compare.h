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
 * The metrics compared are the union of every scenario's (struct compare_metrics): the first
 * scenario's in its order, then each metric a later scenario adds (the metrics of an ACT model
 * the first has not, say) placed after the metric it follows in that scenario's own list.
 *
 * comparison.csv: metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high with one row
 * per metric of the union and scenario (in the order given); diff is the scenario's mean minus
 * the first's (B minus A) with the paired 95% interval, NA for the first scenario itself and
 * wherever either of the two lacks the metric; a scenario without the metric has NA for its
 * mean and interval too. Each row ends with unit,label,headline,better: the description of the
 * first scenario that has the metric (see csv_describe()).
 */
#ifndef CCSIM_ANALYSIS_COMPARE_H
#define CCSIM_ANALYSIS_COMPARE_H

#include <stdio.h>

#include "analysis/ci.h"
#include "analysis/experiment.h"
#include "analysis/folder.h"
#include "analysis/warnings.h"
#include "models/model.h"

struct compare_entry {
    const char *name; /* as shown: the file name without folder and .cfg */
    const struct scenario *sc;
    struct experiment_result res;
};

/* The union of the metrics of a comparison's entries (above). Owned by the struct; freed by
 * compare_metrics_fini(). */
struct compare_metrics {
    int n;                           /* metrics in the union */
    int n_entries;                   /* entries it was built from */
    const struct metric_desc **desc; /* [n]: as the first entry that has it describes it */
    int *index;                      /* [m * n_entries + s]: its index in entry s, or -1 */
};

/* The union of the metrics of the n entries (n >= 1). Cannot fail (out of memory is fatal). */
void compare_metrics_init(struct compare_metrics *u, const struct compare_entry *e, int n);
void compare_metrics_fini(struct compare_metrics *u);

/* Index of metric name in e's scenario, or -1. */
int compare_metric_index(const struct compare_entry *e, const char *name);

/* Writes comparison.csv for n entries (n >= 1). Returns 0 or -errno. */
int compare_write_csv(const char *path, const struct compare_entry *e, int n);
/* The same, with the columns unit, label and headline when flags has CSV_DESCRIBED (csv.h). */
int compare_write_csv_flags(const char *path, const struct compare_entry *e, int n, unsigned flags);

/* The files of a comparison in the open folder f: comparison.csv, then for each entry
 * NAME.replications.csv and, when its model publishes weekly series, NAME.timeseries.csv (the
 * replications.csv and timeseries.csv of `ccsim run`, under the scenario's name). Returns 0, or
 * CCSIM_EIO with the path and reason in f->err. */
int compare_write_files(struct folder *f, const struct compare_entry *e, int n);

/* Where the entries' horizons, warm-ups or scenario seeds differ from the first's, a line for
 * each, in words with both values and their unit ("compare: warning: ..."), added to w; each
 * new line is also printed to out ("ccsim: LINE") when out is not NULL. Paired differences
 * assume the same run length and warm-up; the seed each scenario states is overridden by the
 * first's (analysis/runner.h), which the line says. Returns the number of lines (new or not). */
int compare_warn_settings(const struct compare_entry *e, int n, struct warnings *w, FILE *out);

/* Every metric of the union as an aligned table, for a terminal: each scenario's mean and its
 * paired difference from the first, "NA" where a scenario lacks the metric. */
void compare_print_table(FILE *out, const struct compare_entry *e, int n);

/* The summary a planner pastes: for each later scenario against the first, each count a year
 * for the whole region (an undotted metric whose unit is "... per year"), then each headline
 * metric, that the two share: its label and its difference in words with the 95% interval and
 * the metric's better direction, e.g. "Admissions per year (all clients): 37 fewer (31 to 43),
 * better"; then the metrics only one of the two has. */
void compare_print_summary(FILE *out, const struct compare_entry *e, int n);

/* The difference d (B minus A) of a metric described by m in words, into buf: the size of the
 * change, "fewer"/"more" for a count a year and "lower"/"higher" otherwise, rounded to what its
 * interval allows, the interval ("31 to 43", or "12 fewer to 2 more" across zero), and
 * "better" or "worse" by the metric's better direction, or "no clear difference" when the
 * interval holds zero (nothing for a metric better neither way whose interval excludes it). */
void compare_describe_diff(const struct metric_desc *m, const struct ci *d, char *buf, size_t n);

#endif
