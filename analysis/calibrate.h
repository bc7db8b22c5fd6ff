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
 *
 * After a fit, calib_uncertainty() measures how well the targets pin the parameters down: the
 * Jacobian of the fit targets' errors (each in its unit, as the objective counts it) by central
 * differences at the optimum on the same random numbers, the parameters' approximate 95%
 * intervals and correlations from it (Gauss-Newton), the singular values of the Jacobian, and
 * whether the targets identify each parameter separately (docs/calibration.md states the rules).
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
    /* The Monte Carlo standard error of each mean at params (NaN when unknown: calib_run()
     * leaves it so; a caller that has the replications fills it for calib_uncertainty()). */
    double se[CALIB_MAX_TARGETS];
    double objective;
    int iterations, evaluations;
    bool converged;
};

/* Minimises eval over the free parameters from the middle of their ranges. log (may be NULL)
 * gets one line per evaluation. */
int calib_run(const struct calib_free *free_, int n_free, int n_targets, calib_eval_fn *eval,
              void *ctx, int max_iter, double tol, struct calib_result *out, FILE *log);

/* The finite-difference step: this share of each parameter's range either way of the optimum
 * (clamped inside the bounds). A share rather than a tiny step: on common random numbers a
 * simulated mean is piecewise constant at fine scale, and a step across many events measures
 * its slope rather than its jumps. */
#define CALIB_FD_SHARE 0.02

/* The identifiability rules (docs/calibration.md): the targets do not separate the parameters
 * when there are fewer fit targets than free parameters, when the condition number of the
 * Jacobian (each parameter across its range) is above CALIB_MAX_CONDITION, when two parameters'
 * correlation is above CALIB_MAX_CORR in absolute value, or when a parameter's 95% interval is
 * wider than CALIB_MAX_WIDTH of its range. */
#define CALIB_MAX_CONDITION 30.0
#define CALIB_MAX_CORR      0.95
#define CALIB_MAX_WIDTH     0.5
/* A parameter is in a weak direction of the Jacobian when its squared share of the directions
 * whose singular value is below the largest / CALIB_MAX_CONDITION is above this. */
#define CALIB_WEAK_SHARE 0.1

enum calib_problem {
    CALIB_FEW_TARGETS = 1u << 0, /* fewer fit targets than free parameters */
    CALIB_ILL_COND = 1u << 1,    /* in a direction the targets hardly see */
    CALIB_CORRELATED = 1u << 2,  /* |correlation| with another parameter above the limit */
    CALIB_WIDE = 1u << 3,        /* 95% interval wider than the limit's share of the range */
};

struct calib_uncert {
    int n_free, n_fit;
    int fit[CALIB_MAX_TARGETS]; /* row i below is target fit[i] of the list */
    /* Row i, column j: d error / d parameter j of fit target fit[i], the error in the target's
     * unit ((mean - target) / scale), by central differences between x_lo[j] and x_hi[j]. */
    double jacobian[CALIB_MAX_TARGETS][CALIB_MAX];
    double x_lo[CALIB_MAX], x_hi[CALIB_MAX];
    /* The standard deviation each fit target is given (its unit): (half-range / 1.96) and the
     * Monte Carlo error of the mean in quadrature; the Monte Carlo error alone without a range
     * (scale / 1.96 when that is unknown too). */
    double target_sd[CALIB_MAX_TARGETS];
    double sd[CALIB_MAX];                      /* of each parameter (INFINITY when not estimable) */
    double ci_lo[CALIB_MAX], ci_hi[CALIB_MAX]; /* value -+ 1.96 sd, clamped to the bounds */
    double width[CALIB_MAX];                   /* 2 x 1.96 sd as a share of the range, unclamped */
    double corr[CALIB_MAX][CALIB_MAX];
    /* Of the Jacobian with column j times parameter j's range (the change of every target, in
     * its unit, across each range), largest first, n_free of them (0 for a missing rank). */
    double singular[CALIB_MAX];
    double condition;       /* singular[0] / singular[n_free - 1]; INFINITY when the last is 0 */
    double weak[CALIB_MAX]; /* squared share of each parameter in the weak directions */
    unsigned problem[CALIB_MAX]; /* enum calib_problem bits; 0: identified */
    unsigned problems;           /* all of them */
    int evaluations;
};

/* The local sensitivity and uncertainty of the fit best (calib_run()'s, with best->se filled
 * or NaN): 2 x n_free evaluations of eval at the optimum moved by CALIB_FD_SHARE of one range
 * either way, the same ctx (hence the same random numbers) as the fit. Only the targets with
 * fit set count. Returns 0, or 1 when an evaluation failed (out holds what was measured). */
int calib_uncertainty(const struct calib_free *free_, int n_free, const struct calib_target *t,
                      int n_targets, calib_eval_fn *eval, void *ctx,
                      const struct calib_result *best, struct calib_uncert *out);

/* The warning when the targets do not identify the parameters separately: a first line
 * starting with head, then one line per problem naming the parameters and a last saying what to
 * do, each starting with item. Writes nothing and returns 0 when every parameter is identified;
 * otherwise returns the lines written. */
int calib_uncert_warn(const struct calib_uncert *u, const struct calib_free *free_, FILE *out,
                      const char *head, const char *item);

/* params.csv: param,value,ci_low,ci_high,lo,hi,sd,identified,problem (a row per parameter;
 * sd Inf when no target bounds the parameter, NA when it could not be measured). */
void calib_uncert_write_csv(FILE *out, const struct calib_uncert *u, const struct calib_free *free_,
                            const struct calib_result *best);

/* The section "Uncertainty of the fitted parameters" of calibration.md: the parameters'
 * table, their correlations, the sensitivity of each target, the singular values, and the
 * warning. */
void calib_uncert_write_md(FILE *out, const struct calib_uncert *u, const struct calib_free *free_,
                           const struct calib_target *t, const struct calib_result *best);

#endif
