/*
 * ci — confidence intervals across replications.
 *
 * Replications are independent and identically distributed, so a metric's mean over n
 * replications has the Student t interval mean +- t(1 - (1 - level)/2, n - 1) * sd / sqrt(n),
 * with sd the sample standard deviation (n - 1 denominator). NaN values (a metric undefined in
 * some replication) are left out and n counts the rest. With n < 2 the interval is NaN.
 */
#ifndef CCSIM_ANALYSIS_CI_H
#define CCSIM_ANALYSIS_CI_H

#include <stddef.h>

struct ci {
    double mean;
    double sd;
    double lo;
    double hi;
    long n; /* values used */
};

/* The t interval at confidence level (e.g. 0.95) of x[0], x[stride], ..., x[(count-1)*stride].
 * Cannot fail. */
void ci_t(const double *x, size_t count, size_t stride, double level, struct ci *out);

/* The paired t interval of the differences y[i] - x[i] (pairs where both are numbers): the
 * interval for "y minus x" when replication i of both ran on the same random numbers. */
void ci_paired(const double *x, size_t stride_x, const double *y, size_t stride_y, size_t count,
               double level, struct ci *out);

/* The unpaired (Welch) interval for mean(y) - mean(x), treating the samples as independent;
 * sd is the standard error of the difference. For comparison with ci_paired(). */
void ci_welch(const double *x, size_t stride_x, const double *y, size_t stride_y, size_t count,
              double level, struct ci *out);

/* Half-width of the interval relative to |mean|; infinite when the mean is 0. */
double ci_relative_halfwidth(const struct ci *c);

#endif
