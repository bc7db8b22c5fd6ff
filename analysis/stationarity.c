#include "analysis/stationarity.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/csv.h"
#include "sim/xalloc.h"

/* Mean, and half-width of the t interval at the two-sided level 1 - alpha, of x[0..n-1]; NaN
 * half-width with n < 2. */
static void t_interval(const double *x, long n, double alpha, double *mean, double *half)
{
    double m = 0, ss = 0;

    for (long i = 0; i < n; i++) {
        m += x[i];
    }
    m = n > 0 ? m / (double)n : NAN;
    for (long i = 0; i < n; i++) {
        ss += (x[i] - m) * (x[i] - m);
    }
    *mean = m;
    if (n < 2) {
        *half = NAN;
        return;
    }
    double se = sqrt(ss / (double)(n - 1) / (double)n);
    *half = se > 0 ? gsl_cdf_tdist_Pinv(1.0 - alpha / 2.0, (double)(n - 1)) * se : 0.0;
}

/* The least-squares line of one replication's observed points (t in periods): its slope, its
 * residual sum of squares and degrees of freedom, and the means of the two halves. Points that
 * are NaN are left out; false when fewer than 3 remain or a half is empty. */
struct line_fit {
    double slope, rss, first, second;
    long df;
};

static bool fit_line(const double *x, size_t n, struct line_fit *out)
{
    double st = 0, sx = 0;
    long m = 0;

    for (size_t k = 0; k < n; k++) {
        if (!isnan(x[k])) {
            st += (double)k;
            sx += x[k];
            m++;
        }
    }
    if (m < 3) {
        return false;
    }
    double tbar = st / (double)m, xbar = sx / (double)m, stt = 0, stx = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isnan(x[k])) {
            stt += ((double)k - tbar) * ((double)k - tbar);
            stx += ((double)k - tbar) * (x[k] - xbar);
        }
    }
    out->slope = stt > 0 ? stx / stt : 0.0;
    out->rss = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isnan(x[k])) {
            double e = x[k] - xbar - out->slope * ((double)k - tbar);
            out->rss += e * e;
        }
    }
    out->df = m - 2;
    /* The halves: the first h points and the last h (the middle one dropped when n is odd). */
    size_t h = n / 2;
    double s1 = 0, s2 = 0;
    long n1 = 0, n2 = 0;
    for (size_t k = 0; k < h; k++) {
        if (!isnan(x[k])) {
            s1 += x[k];
            n1++;
        }
        if (!isnan(x[n - h + k])) {
            s2 += x[n - h + k];
            n2++;
        }
    }
    if (n1 == 0 || n2 == 0) {
        return false;
    }
    out->first = s1 / (double)n1;
    out->second = s2 / (double)n2;
    return true;
}

/* Whether an estimate with interval [lo, hi] and relative size rel is a drift. */
static bool is_drift(double lo, double hi, double rel)
{
    return !isnan(lo) && !isnan(rel) && (lo > 0 || hi < 0) && fabs(rel) > STATIONARITY_MAX_DRIFT;
}

void stationarity_test(const double *x, long reps, size_t stride, size_t n_points, size_t first,
                       double period_days, int n_tests, struct stationarity *out)
{
    size_t n = first < n_points ? n_points - first : 0;
    double *slope = xcalloc(reps > 0 ? (size_t)reps : 1, sizeof *slope);
    double *diff = xcalloc(reps > 0 ? (size_t)reps : 1, sizeof *diff);
    double sum_first = 0, sum_second = 0, rss = 0, level_sum = 0;
    long n_fit = 0, df = 0, level_n = 0;

    *out = (struct stationarity){.n_points = (long)n, .verdict = STATIONARITY_UNTESTED};
    for (long r = 0; r < reps; r++) {
        const double *y = x + (size_t)r * stride + first;
        struct line_fit fit;
        for (size_t k = 0; k < n; k++) {
            if (!isnan(y[k])) {
                level_sum += y[k];
                level_n++;
            }
        }
        if (n >= 4 && fit_line(y, n, &fit)) {
            slope[n_fit] = fit.slope;
            diff[n_fit] = fit.second - fit.first;
            sum_first += fit.first;
            sum_second += fit.second;
            rss += fit.rss;
            df += fit.df;
            n_fit++;
        }
    }
    out->n_reps = n_fit;
    out->level = level_n ? level_sum / (double)level_n : NAN;
    double resid_sd = df > 0 ? sqrt(rss / (double)df) : 0.0;
    out->scale = fmax(fabs(out->level), resid_sd);
    if (n_fit < 2) {
        double nan = NAN;
        out->drift_per_year = out->drift_low = out->drift_high = nan;
        out->relative_drift_per_year = out->relative_half_per_year = nan;
        out->first_half = n_fit ? sum_first : nan;
        out->second_half = n_fit ? sum_second : nan;
        out->half_low = out->half_high = nan;
        free(slope);
        free(diff);
        return;
    }
    double alpha = (1.0 - STATIONARITY_LEVEL) / (2.0 * (n_tests > 0 ? n_tests : 1));
    double per_year = STATIONARITY_DAYS_PER_YEAR / period_days, m, half;
    t_interval(slope, n_fit, alpha, &m, &half);
    out->drift_per_year = m * per_year;
    out->drift_low = (m - half) * per_year;
    out->drift_high = (m + half) * per_year;
    t_interval(diff, n_fit, alpha, &m, &half);
    out->first_half = sum_first / (double)n_fit;
    out->second_half = sum_second / (double)n_fit;
    out->half_low = m - half;
    out->half_high = m + half;
    /* The halves' midpoints are n / 2 periods apart (h points each, the last h starting at
     * n - h). */
    double years_apart = (double)(n - n / 2) * period_days / STATIONARITY_DAYS_PER_YEAR;
    if (out->scale > 0) {
        out->relative_drift_per_year = out->drift_per_year / out->scale;
        out->relative_half_per_year = m / out->scale / years_apart;
    } else {
        /* Every observed point is 0: a flat series. */
        out->relative_drift_per_year = out->relative_half_per_year = 0.0;
    }
    bool drifts = is_drift(out->drift_low, out->drift_high, out->relative_drift_per_year) ||
                  is_drift(out->half_low, out->half_high, out->relative_half_per_year);
    out->verdict = drifts ? STATIONARITY_DRIFTING : STATIONARITY_STEADY;
    free(slope);
    free(diff);
}

size_t stationarity_first_point(const struct scenario *sc)
{
    double period = sc->ops->series_period;
    if (!(period > 0) || !(sc->warmup > 0)) {
        return 0;
    }
    /* A period that starts a rounding error before the warm-up counts as starting at it. */
    return (size_t)ceil(sc->warmup / period - 1e-9);
}

int stationarity_check(const struct scenario *sc, const struct experiment_result *res,
                       struct stationarity *out)
{
    size_t np = (size_t)res->n_points, per = (size_t)res->n_series * np;
    size_t first = stationarity_first_point(sc);
    int n_drift = 0;

    for (int s = 0; s < res->n_series; s++) {
        stationarity_test(res->series + (size_t)s * np, res->replications, per, np, first,
                          sc->ops->series_period, res->n_series, &out[s]);
        n_drift += out[s].verdict == STATIONARITY_DRIFTING;
    }
    return n_drift;
}

const char *stationarity_verdict_name(enum stationarity_verdict v)
{
    switch (v) {
    case STATIONARITY_STEADY:
        return "steady";
    case STATIONARITY_DRIFTING:
        return "drifting";
    case STATIONARITY_UNTESTED:
        break;
    }
    return "untested";
}

/* x with about two significant figures, in plain notation. */
static void plain(char *buf, size_t n, double x)
{
    double a = fabs(x);
    snprintf(buf, n, a >= 100 ? "%.0f" : a >= 1 ? "%.1f" : "%.2g", x);
}

void stationarity_describe(const struct scenario *sc, int series, const struct stationarity *st,
                           char *buf, size_t n)
{
    const struct metric_desc *d = scenario_series(sc, series);
    const char *label = d->label ? d->label : d->name, *unit = d->unit ? d->unit : "";
    bool by_slope = is_drift(st->drift_low, st->drift_high, st->relative_drift_per_year);
    char a[32], lo[32], hi[32], metric[512] = "";

    if (d->metric) {
        for (int m = 0; m < sc->n_metrics; m++) {
            const struct metric_desc *md = scenario_metric(sc, m);
            if (strcmp(md->name, d->metric) == 0) {
                snprintf(metric, sizeof metric, "; so does the metric %s (%s)", md->name,
                         md->label ? md->label : md->name);
                break;
            }
        }
    }
    if (by_slope) {
        plain(a, sizeof a, fabs(st->drift_per_year));
        plain(lo, sizeof lo, st->drift_low);
        plain(hi, sizeof hi, st->drift_high);
        snprintf(buf, n, "%s %s by %s %s a year (%+.1f%% a year, 95%% CI %s to %s)%s", label,
                 st->drift_per_year > 0 ? "rises" : "falls", a, unit,
                 100.0 * st->relative_drift_per_year, lo, hi, metric);
    } else {
        plain(a, sizeof a, st->first_half);
        plain(lo, sizeof lo, st->second_half);
        snprintf(buf, n,
                 "%s %s from %s %s in the first half of the observed period to %s in the second "
                 "(%+.1f%% a year)%s",
                 label, st->second_half > st->first_half ? "rises" : "falls", a, unit, lo,
                 100.0 * st->relative_half_per_year, metric);
    }
}

int stationarity_write_csv(const char *path, const struct scenario *sc,
                           const struct stationarity *st)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    fputs("series,metric,unit,label,level,drift_per_year,drift_low,drift_high,"
          "relative_drift_per_year,first_half,second_half,change_low,change_high,"
          "relative_change_per_year,verdict\n",
          f);
    for (int s = 0; s < sc->n_series; s++) {
        const struct metric_desc *d = scenario_series(sc, s);
        const double v[] = {st[s].level,
                            st[s].drift_per_year,
                            st[s].drift_low,
                            st[s].drift_high,
                            st[s].relative_drift_per_year,
                            st[s].first_half,
                            st[s].second_half,
                            st[s].half_low,
                            st[s].half_high,
                            st[s].relative_half_per_year};
        csv_field(f, d->name);
        fputc(',', f);
        csv_field(f, d->metric ? d->metric : "NA");
        csv_describe(f, d, false);
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            fputc(',', f);
            csv_number(f, v[i]);
        }
        fprintf(f, ",%s\n", stationarity_verdict_name(st[s].verdict));
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}
