/*
 * sweep — a full grid over one or more scenario keys, each point with confidence intervals.
 *
 * A --vary KEY=FROM:TO:STEP gives the values FROM, FROM + STEP, ... up to TO (inclusive, with a
 * tolerance of a millionth of a step for rounding); several --vary give their Cartesian product,
 * the last varying fastest. Every point is the scenario with those keys set, validated like any
 * --set before anything runs, and run with the same seed and replications, so neighbouring
 * points share their random numbers (common random numbers along the grid).
 *
 * sweep.csv: one column per varied key, then metric,mean,ci_low,ci_high,n; one row per point and
 * metric, points in grid order; each row ends with unit,label,headline,better (see csv_describe()).
 */
#ifndef CCSIM_ANALYSIS_SWEEP_H
#define CCSIM_ANALYSIS_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/experiment.h"

#define SWEEP_MAX_KEYS   8
#define SWEEP_MAX_POINTS 100000

struct sweep_axis {
    char key[256];
    double from, to, step;
    int n; /* values on this axis */
};

/* Parses "KEY=FROM:TO:STEP"; false with a message in err. */
bool sweep_parse_axis(const char *text, struct sweep_axis *a, char *err, size_t err_len);

/* Number of grid points (product of the axes' counts). */
long sweep_n_points(const struct sweep_axis *axes, int n_axes);

/* The value of axis k at grid point p. */
double sweep_value(const struct sweep_axis *axes, int n_axes, long p, int k);

/* Writes sweep.csv. res[p] holds point p's results, names the metrics of point 0's scenario.
 * Returns 0 or -errno. */
int sweep_write_csv(const char *path, const struct sweep_axis *axes, int n_axes, long n_points,
                    const struct scenario *const *sc, const struct experiment_result *res);
/* The same, with the columns unit, label and headline when flags has CSV_DESCRIBED (csv.h). */
int sweep_write_csv_flags(const char *path, const struct sweep_axis *axes, int n_axes,
                          long n_points, const struct scenario *const *sc,
                          const struct experiment_result *res, unsigned flags);

#endif
