/*
 * sweep_best — which point of a sweep is best for each metric, and which points cannot be told
 * from it.
 *
 * For every metric with a better direction (models/model.h: lower or higher is better) and no
 * dot in its name (the region's metrics, not a model's, a service's or a year's), the best point
 * is the one with the lowest (or highest) mean. Every point of a sweep runs the same seed and
 * replications, so replication r of each point shares its random numbers with replication r of
 * every other (common random numbers along the grid): each other point's difference from the best
 * is a paired one, and a point whose paired 95% interval includes 0 is not distinguishable from
 * the best. The answer to "which caseload limit minimises unmet need?" is then the best point
 * with the points it cannot be told from.
 *
 * sweep_best.csv: metric,better,best,mean,ci_low,ci_high,n_tied,tied,unit,label; best and tied
 * name points by their keys ("coordination.models[0].caseload_limit=45", several joined by " & "),
 * tied separated by
 * "; ", empty when no other point is within the interval.
 */
#ifndef CCSIM_ANALYSIS_SWEEP_BEST_H
#define CCSIM_ANALYSIS_SWEEP_BEST_H

#include <stdio.h>

#include "analysis/experiment.h"
#include "analysis/sweep.h"

/* The best point of metric m over the n_points results (the metrics of point 0's scenario), and
 * in tied[] (when not NULL; n_points entries) whether each point is not distinguishable from it
 * (the best itself is not marked). Returns the best point, or -1 when m has no direction or no
 * point has a value. */
long sweep_best_point(const struct scenario *const *sc, const struct experiment_result *res,
                      long n_points, int m, unsigned char *tied);

/* Writes sweep_best.csv. Returns 0 or -errno. */
int sweep_best_write_csv(const char *path, const struct sweep_axis *axes, int n_axes, long n_points,
                         const struct scenario *const *sc, const struct experiment_result *res);

/* The same in sentences for the headline metrics and the counts a year, for a terminal. */
void sweep_best_print(FILE *out, const struct sweep_axis *axes, int n_axes, long n_points,
                      const struct scenario *const *sc, const struct experiment_result *res);

#endif
