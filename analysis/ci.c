#include "analysis/ci.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

void ci_t(const double *x, size_t count, size_t stride, double level, struct ci *out)
{
    double mean = 0.0, m2 = 0.0;
    long n = 0;

    /* Welford's method: stable when the values share a large offset. */
    for (size_t i = 0; i < count; i++) {
        double v = x[i * stride];
        if (isnan(v)) {
            continue;
        }
        n++;
        double d = v - mean;
        mean += d / (double)n;
        m2 += d * (v - mean);
    }
    out->n = n;
    out->mean = n > 0 ? mean : NAN;
    if (n < 2) {
        out->sd = out->lo = out->hi = NAN;
        return;
    }
    out->sd = sqrt(m2 / (double)(n - 1));
    double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(n - 1));
    double half = t * out->sd / sqrt((double)n);
    out->lo = mean - half;
    out->hi = mean + half;
}

double ci_relative_halfwidth(const struct ci *c)
{
    double half = (c->hi - c->lo) / 2.0;

    return c->mean != 0.0 ? half / fabs(c->mean) : INFINITY;
}
