#include "analysis/ci.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

/* Welford's method over x[i * sx] - (y ? y[i * sy] : 0), NaN left out; then the t interval. */
static void t_interval(const double *x, size_t sx, const double *y, size_t sy, size_t count,
                       double level, struct ci *out)
{
    double mean = 0.0, m2 = 0.0;
    long n = 0;

    for (size_t i = 0; i < count; i++) {
        double v = y ? y[i * sy] - x[i * sx] : x[i * sx];
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

void ci_t(const double *x, size_t count, size_t stride, double level, struct ci *out)
{
    t_interval(x, stride, NULL, 0, count, level, out);
}

void ci_paired(const double *x, size_t stride_x, const double *y, size_t stride_y, size_t count,
               double level, struct ci *out)
{
    t_interval(x, stride_x, y, stride_y, count, level, out);
}

void ci_welch(const double *x, size_t stride_x, const double *y, size_t stride_y, size_t count,
              double level, struct ci *out)
{
    struct ci a, b;

    ci_t(x, count, stride_x, level, &a);
    ci_t(y, count, stride_y, level, &b);
    out->n = a.n < b.n ? a.n : b.n;
    out->mean = b.mean - a.mean;
    if (a.n < 2 || b.n < 2) {
        out->sd = out->lo = out->hi = NAN;
        return;
    }
    double va = a.sd * a.sd / (double)a.n, vb = b.sd * b.sd / (double)b.n;
    double se = sqrt(va + vb);
    /* Welch-Satterthwaite degrees of freedom; identical samples give se 0 and df NaN. */
    double df = (va + vb) * (va + vb) / (va * va / (double)(a.n - 1) + vb * vb / (double)(b.n - 1));
    double t = se > 0 ? gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, df) : 0.0;
    out->sd = se;
    out->lo = out->mean - t * se;
    out->hi = out->mean + t * se;
}

double ci_relative_halfwidth(const struct ci *c)
{
    double half = (c->hi - c->lo) / 2.0;

    return c->mean != 0.0 ? half / fabs(c->mean) : INFINITY;
}
