/*
 * csv — results as CSV files and as a readable table.
 *
 * summary.csv: "metric,mean,sd,ci_low,ci_high,n", one row per metric in the model's order,
 * 95% t interval across replications (see ci.h). replications.csv: "replication" then one
 * column per metric, one row per replication in replication order. Numbers are printed with
 * "%.10g" and undefined values as "NA", so the same results always give the same bytes. Names
 * (metrics, scenarios, keys) are written by csv_field(), quoted as RFC 4180 says only when they
 * hold a comma, a quote or a line end, so that every other file is as it always was; every CSV
 * writer of analysis/ uses it, and analysis/table reads such fields back.
 *
 * Functions return 0 or -errno; they print nothing.
 */
#ifndef CCSIM_ANALYSIS_CSV_H
#define CCSIM_ANALYSIS_CSV_H

#include <stdio.h>

#include "analysis/experiment.h"
#include "models/model.h"

#define CSV_CI_LEVEL 0.95

int csv_write_summary(const char *path, const struct scenario *sc,
                      const struct experiment_result *res);
int csv_write_replications(const char *path, const struct scenario *sc,
                           const struct experiment_result *res);
/* timeseries.csv: "week,metric,mean,ci_low,ci_high", week-major (weeks from 1), for models
 * that publish series. */
int csv_write_timeseries(const char *path, const struct scenario *sc,
                         const struct experiment_result *res);
/* The summary as an aligned table, for a terminal. */
void csv_print_table(FILE *out, const struct scenario *sc, const struct experiment_result *res);
/* Writes x with "%.10g", or "NA" when x is NaN. */
void csv_number(FILE *out, double x);
/* Writes s as one CSV field: as it is, or between double quotes with each quote doubled when s
 * holds a comma, a double quote, a CR or a LF (RFC 4180). */
void csv_field(FILE *out, const char *s);

#endif
