#include "analysis/warmup.h"

#include <math.h>
#include <stdlib.h>

#include "sim/xalloc.h"

size_t warmup_mser5(const double *x, size_t n)
{
    size_t m = n / 5;
    if (m < 2) {
        return 0;
    }
    double *b = xcalloc(m, sizeof *b);
    for (size_t i = 0; i < m; i++) {
        for (size_t k = 0; k < 5; k++) {
            b[i] += x[5 * i + k] / 5.0;
        }
    }
    /* Suffix sums give each candidate's mean and squared deviations in O(m). */
    double *s1 = xcalloc(m + 1, sizeof *s1), *s2 = xcalloc(m + 1, sizeof *s2);
    for (size_t i = m; i-- > 0;) {
        s1[i] = s1[i + 1] + b[i];
        s2[i] = s2[i + 1] + b[i] * b[i];
    }
    size_t best = 0;
    double best_se = INFINITY;
    for (size_t d = 0; d <= m / 2; d++) {
        double k = (double)(m - d);
        double mean = s1[d] / k;
        double ss = s2[d] - k * mean * mean;
        if (ss < 0) {
            ss = 0; /* rounding */
        }
        double se = ss / (k * k);
        if (se < best_se) {
            best_se = se;
            best = d;
        }
    }
    free(b);
    free(s1);
    free(s2);
    return 5 * best;
}

int warmup_estimate(const struct experiment_result *res, int *which)
{
    size_t np = (size_t)res->n_points, per = (size_t)res->n_series * np;
    double *mean = np ? xcalloc(np, sizeof *mean) : NULL;
    size_t longest = 0;

    *which = -1;
    for (int s = 0; s < res->n_series; s++) {
        for (size_t k = 0; k < np; k++) {
            double sum = 0;
            long n = 0;
            for (long r = 0; r < res->replications; r++) {
                double v = res->series[(size_t)r * per + (size_t)s * np + k];
                if (!isnan(v)) {
                    sum += v;
                    n++;
                }
            }
            mean[k] = n ? sum / (double)n : 0.0;
        }
        size_t d = warmup_mser5(mean, np);
        if (*which < 0 || d > longest) {
            longest = d;
            *which = s;
        }
    }
    free(mean);
    return (int)longest;
}
