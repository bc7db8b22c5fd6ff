/*
 * calibrate — fitting free parameters to target outcomes.
 *
 * Each free parameter KEY=LOW:HIGH is searched inside its bounds through a logistic transform
 * (x = LOW + (HIGH - LOW) / (1 + exp(-u)), u unbounded), by GSL's Nelder-Mead simplex
 * (gsl_multimin_fminimizer_nmsimplex2). The objective is the sum over targets of the squared
 * relative error ((mean - target) / target)^2 of the metric's mean over the replications. Every
 * evaluation uses the same seed and replications (common random numbers), so the objective is a
 * smooth-ish deterministic function of the parameters and the simplex can converge.
 */
#ifndef CCSIM_ANALYSIS_CALIBRATE_H
#define CCSIM_ANALYSIS_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CALIB_MAX 8

struct calib_free {
    char key[256];
    double lo, hi;
};

struct calib_target {
    char metric[256];
    double value;
};

/* Parses "KEY=LOW:HIGH" and "METRIC=VALUE"; false with a message in err. */
bool calib_parse_free(const char *text, struct calib_free *f, char *err, size_t err_len);
bool calib_parse_target(const char *text, struct calib_target *t, char *err, size_t err_len);

/* The objective for one point: returns the metric means for the targets in means[] and the
 * sum of squared relative errors, or NaN when the point could not be evaluated. */
typedef double calib_eval_fn(void *ctx, const double *params, double *means);

struct calib_result {
    double params[CALIB_MAX];
    double means[CALIB_MAX];
    double objective;
    int iterations, evaluations;
    bool converged;
};

/* Minimises eval over the free parameters from the middle of their ranges. log (may be NULL)
 * gets one line per evaluation. */
int calib_run(const struct calib_free *free_, int n_free, int n_targets, calib_eval_fn *eval,
              void *ctx, int max_iter, double tol, struct calib_result *out, FILE *log);

#endif
