/*
 * stationarity — does a run's output settle? A check of every weekly series a model publishes,
 * over the observed period (the points after the warm-up), so that a run whose results depend
 * on its length says so.
 *
 * For each series and each replication, the least-squares slope of the points against time and
 * the means of the first and second halves of the observed points (the middle point dropped
 * when their number is odd). Across replications, which are independent, the mean slope with a
 * Student t interval and the paired t interval of "second half minus first half". Drift is the
 * slope per year (time is in days, as everywhere in ccsim; a year is 365.25 days), in the
 * series' unit, and relative to the series' scale: the absolute value of its level (the mean of
 * its observed points), or the standard deviation of its points about each replication's line
 * when that is larger, so that a nearly empty queue wobbling about zero is not a large relative
 * drift. The halves give a second estimate of the drift per year, (second - first) / scale over
 * the half of the observed span that separates their midpoints; it catches growth that a
 * straight line fits badly, such as a step.
 *
 * A series is "drifting" when either estimate's interval excludes zero and the estimate's
 * relative drift exceeds STATIONARITY_MAX_DRIFT a year; "steady" otherwise; "untested" with
 * fewer than 2 replications or 4 observed points. The intervals are simultaneous: each is at
 * level 1 - 0.05 / (2 x series tested) (Bonferroni), so a run whose every series is steady is
 * called drifting at most 5% of the time, however many series its model publishes.
 *
 * Why 0.3% a year: a headline figure is the mean over the observed period, which sits at the
 * period's midpoint; between a 10-year and a 40-year run with the same warm-up the midpoint
 * moves 15 years, so a drift of 0.33% of the level a year moves the figure by 5% between them.
 * Drifts above that are worth a warning; the figure is rounded down.
 *
 * Pure functions: nothing is printed; the caller owns every buffer. Linear in the number of
 * points.
 */
#ifndef CCSIM_ANALYSIS_STATIONARITY_H
#define CCSIM_ANALYSIS_STATIONARITY_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/experiment.h"
#include "models/model.h"

#define STATIONARITY_MAX_DRIFT     0.003  /* relative drift a year above which a series drifts */
#define STATIONARITY_DAYS_PER_YEAR 365.25 /* days */
#define STATIONARITY_LEVEL         0.95   /* the family-wide confidence level */

enum stationarity_verdict { STATIONARITY_UNTESTED, STATIONARITY_STEADY, STATIONARITY_DRIFTING };

/* The check of one series. Fields are NaN where they cannot be computed. */
struct stationarity {
    long n_reps;                    /* replications with a slope */
    long n_points;                  /* observed points per replication */
    double level;                   /* mean of the observed points, in the series' unit */
    double scale;                   /* max(|level|, residual sd): what relative drift is of */
    double drift_per_year;          /* mean slope, series unit a year */
    double drift_low, drift_high;   /* its simultaneous interval */
    double relative_drift_per_year; /* drift_per_year / scale (0.01 = 1% a year) */
    double first_half, second_half; /* means of the halves of the observed points */
    double half_low, half_high;     /* simultaneous interval of second - first (paired) */
    double relative_half_per_year;  /* (second - first) / scale, per year between midpoints */
    enum stationarity_verdict verdict;
};

/* Checks one series: x[r * stride + k] is point k (k < n_points, time (k + 1) x period_days at
 * its end) of replication r (r < reps); points before first are the warm-up and are left out;
 * NaN points are left out. n_tests is how many series the run checks (>= 1, for the
 * simultaneous intervals). Cannot fail. */
void stationarity_test(const double *x, long reps, size_t stride, size_t n_points, size_t first,
                       double period_days, int n_tests, struct stationarity *out);

/* The first observed point of a scenario's series: the first period that starts at or after the
 * warm-up. */
size_t stationarity_first_point(const struct scenario *sc);

/* Checks every series of res (as run by sc) into out[0 .. res->n_series - 1]; returns how many
 * drift. Cannot fail. */
int stationarity_check(const struct scenario *sc, const struct experiment_result *res,
                       struct stationarity *out);

/* "steady", "drifting" or "untested". */
const char *stationarity_verdict_name(enum stationarity_verdict v);

/* One line for a drifting series d of sc (no newline): "LABEL rises by 7.4 clients a year
 * (+9.1% a year, 95% CI 6.2 to 8.6)", naming the metric it follows when there is one. Cannot
 * fail; truncated to n. */
void stationarity_describe(const struct scenario *sc, int series, const struct stationarity *st,
                           char *buf, size_t n);

/* diagnostics.csv: "series,metric,unit,label,level,drift_per_year,drift_low,drift_high,
 * relative_drift_per_year,first_half,second_half,change_low,change_high,
 * relative_change_per_year,verdict", one row per series in the model's order: the fields of
 * struct stationarity (change_low and change_high are the interval of second_half minus
 * first_half, relative_change_per_year is relative_half_per_year); metric is NA when the series
 * follows none; numbers as csv_number() writes them. Returns 0 or -errno. */
int stationarity_write_csv(const char *path, const struct scenario *sc,
                           const struct stationarity *st);

#endif
