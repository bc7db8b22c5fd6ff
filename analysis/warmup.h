/*
 * warmup — estimating the warm-up period from an output series (MSER-5).
 *
 * MSER-5 (White 1997; Franklin & White 2008): the series is cut into batches of 5 and averaged;
 * for each candidate truncation d (in batches, up to half of them) the marginal standard error
 * of the remaining batch means, sum((b_i - mean)^2) / (m - d)^2, is computed; the truncation
 * that minimises it is the warm-up. Applied to the across-replication mean of each weekly series
 * a model publishes, the longest truncation is the warm-up chosen.
 */
#ifndef CCSIM_ANALYSIS_WARMUP_H
#define CCSIM_ANALYSIS_WARMUP_H

#include <stddef.h>

#include "analysis/experiment.h"

/* The MSER-5 truncation of x[0..n-1], in observations (a multiple of 5); 0 when n < 10. NaN
 * values are not allowed. */
size_t warmup_mser5(const double *x, size_t n);

/* Applies MSER-5 to the mean over replications of every series in res; returns the longest
 * truncation in points and sets *which to its series (or -1 when there are none). */
int warmup_estimate(const struct experiment_result *res, int *which);

#endif
