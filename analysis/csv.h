/*
 * csv — results as CSV files and as a readable table.
 *
 * summary.csv: "metric,mean,sd,ci_low,ci_high,n,unit,label,headline,better", one row per metric
 * in the model's order, 95% t interval across replications (see ci.h); unit and label are the
 * model's words for the metric (struct metric_desc), headline is 1 for a headline metric, else 0,
 * and better is "lower", "higher" or "neither" (which direction is an improvement), so that
 * figures and reports need nothing but the folder. comparison.csv, sweep.csv and
 * sensitivity.csv end with the same four columns, timeseries.csv with unit and label. (The
 * writers without _flags, and with flags 0, write the files without these columns, as ccsim
 * did before them; figures and reports read both.)
 * replications.csv: "replication" then one column per metric, one row per replication in
 * replication order. Numbers are printed with
 * "%.10g" and undefined values as "NA", so the same results always give the same bytes. Names
 * (metrics, scenarios, keys) are written by csv_field(), quoted as RFC 4180 says only when they
 * hold a comma, a quote or a line end, so that every other file is as it always was; every CSV
 * writer of analysis/ uses it, and analysis/table reads such fields back.
 *
 * Functions return 0 or -errno; they print nothing.
 */
#ifndef CCSIM_ANALYSIS_CSV_H
#define CCSIM_ANALYSIS_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/experiment.h"
#include "models/model.h"

#define CSV_CI_LEVEL 0.95

/* What the writers of results files write: CSV_DESCRIBED adds the columns unit, label and
 * headline (see csv_describe()); without it, the files are as before those columns existed. */
#define CSV_DESCRIBED 1u

int csv_write_summary(const char *path, const struct scenario *sc,
                      const struct experiment_result *res);
int csv_write_summary_flags(const char *path, const struct scenario *sc,
                            const struct experiment_result *res, unsigned flags);
int csv_write_replications(const char *path, const struct scenario *sc,
                           const struct experiment_result *res);
/* The columns csv_describe() writes, for a header. */
#define CSV_DESCRIBE_HEADER "unit,label,headline,better"

/* timeseries.csv: "week,metric,mean,ci_low,ci_high,unit,label", week-major (weeks from 1), for
 * models that publish series. */
int csv_write_timeseries(const char *path, const struct scenario *sc,
                         const struct experiment_result *res);
int csv_write_timeseries_flags(const char *path, const struct scenario *sc,
                               const struct experiment_result *res, unsigned flags);
/* groups.csv: "group_kind,group,metric,mean,ci_low,ci_high,unit,label", one row per metric of a
 * group of clients (a metric named "by.KIND.GROUP.METRIC", see struct metric_desc) in the
 * model's order, with the 95% t interval across replications. csv_has_groups() says whether the
 * scenario has any such metric (the file is written only then). */
bool csv_has_groups(const struct scenario *sc);
int csv_write_groups(const char *path, const struct scenario *sc,
                     const struct experiment_result *res);
/* The summary as an aligned table, for a terminal. */
void csv_print_table(FILE *out, const struct scenario *sc, const struct experiment_result *res);
/* Writes x with "%.10g", or "NA" when x is NaN. */
void csv_number(FILE *out, double x);
/* x in words for people: "NA" when NaN; "12.2 million" from a million; whole numbers with
 * thousands separators from 10 ("20,779", "-1,368"); one decimal from 1 ("4.6"); two significant
 * digits below ("0.87"). Into buf (32 bytes are enough); returns buf. */
char *csv_amount(double x, char *buf, size_t n);
/* x with "%.6g" into buf (n bytes), or "NA" when x is NaN (an interval of one replication), for
 * a table on a terminal; returns buf. */
char *csv_format_g(double x, char *buf, size_t n);
/* Writes s as one CSV field: as it is, or between double quotes with each quote doubled when s
 * holds a comma, a double quote, a CR or a LF (RFC 4180). */
void csv_field(FILE *out, const char *s);
/* Writes ",UNIT,LABEL" for d (the label is d's name when it has none), then, when
 * with_headline, ",1" or ",0" for whether it is a headline metric and ",lower", ",higher" or
 * ",neither" for which direction of it is better (struct metric_desc's better). */
void csv_describe(FILE *out, const struct metric_desc *d, bool with_headline);

#endif
