/*
 * calibrate — fitting free parameters to target outcomes.
 *
 * Each free parameter KEY=LOW:HIGH is searched inside its bounds through a logistic transform
 * (x = LOW + (HIGH - LOW) / (1 + exp(-u)), u unbounded), by GSL's Nelder-Mead simplex
 * (gsl_multimin_fminimizer_nmsimplex2). The objective is the sum over targets of the squared
 * relative error ((mean - target) / target)^2 of the metric's mean over the replications. Every
 * evaluation uses the same seed and replications (common random numbers), so the objective is a
 * smooth-ish deterministic function of the parameters and the simplex can converge.
 *
 * Targets come from the command line (METRIC=VALUE) or from a target file (calib_targets_read):
 * a CSV with the columns metric, target, low, high, use, source and tag, one row a published
 * figure and the range it allows (scenarios/care/targets.csv beside the baseline). A row whose
 * use is "fit" is a training target: the objective sums its squared error in units of its
 * half-range, ((mean - target) / ((high - low) / 2))^2, so that a tight target weighs more than
 * a loose one. A row whose use is "check" is only reported: inside its range or not. A target of
 * the command line has no range and counts its relative error, as before.
 */
#ifndef CCSIM_ANALYSIS_CALIBRATE_H
#define CCSIM_ANALYSIS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CALIB_MAX         8  /* free parameters, and targets of the command line */
#define CALIB_MAX_TARGETS 32 /* targets in all (a target file) */

struct calib_free {
    char key[256];
    double lo, hi;
};

struct calib_target {
    char metric[256];
    double value;
    double lo, hi; /* the range allowed, NaN for a target of the command line */
    double scale;  /* the error's unit: (hi - lo) / 2, or |value| without a range */
    bool fit;      /* in the objective (use "fit"), or only checked (use "check") */
    char source[512], tag[16];
    int line; /* in the target file, 0 for the command line */
};

/* Whether mean is inside t's range (always true for a target without one). */
bool calib_inside(const struct calib_target *t, double mean);

/* Parses "KEY=LOW:HIGH" and "METRIC=VALUE"; false with a message in err. */
bool calib_parse_free(const char *text, struct calib_free *f, char *err, size_t err_len);
bool calib_parse_target(const char *text, struct calib_target *t, char *err, size_t err_len);

/* Appends the rows of the target file at path to t[*n..] (at most CALIB_MAX_TARGETS in all).
 * Returns 0, or CCSIM_EINPUT with "PATH:LINE: what is wrong (what is expected)" in err. */
int calib_targets_read(const char *path, struct calib_target *t, int *n, char *err, size_t err_len);

/* The objective for one point: returns the metric means for the targets in means[] and the
 * sum of squared relative errors, or NaN when the point could not be evaluated. */
typedef double calib_eval_fn(void *ctx, const double *params, double *means);

struct calib_result {
    double params[CALIB_MAX];
    double means[CALIB_MAX_TARGETS];
    double objective;
    int iterations, evaluations;
    bool converged;
};

/* Minimises eval over the free parameters from the middle of their ranges. log (may be NULL)
 * gets one line per evaluation. */
int calib_run(const struct calib_free *free_, int n_free, int n_targets, calib_eval_fn *eval,
              void *ctx, int max_iter, double tol, struct calib_result *out, FILE *log);

#endif
