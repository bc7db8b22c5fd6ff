#include "analysis/costeff.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/ci.h"
#include "analysis/csv.h"
#include "sim/xalloc.h"

/* The outcomes a cost is set against, with the words for one unit of each. */
static const struct {
    const char *metric, *one, *many;
} outcomes[] = {
    {"admissions_per_year", "admission", "admissions"},
    {"bed_days_per_year", "bed-day", "bed-days"},
};
enum { N_OUTCOMES = sizeof outcomes / sizeof outcomes[0] };

void costeff_paired(const double *cost_a, const double *cost_b, const double *out_a,
                    const double *out_b, size_t stride, size_t count, double level,
                    struct costeff *out)
{
    double sd = 0, sa = 0;
    for (size_t i = 0; i < count; i++) {
        sd += cost_b[i * stride] - cost_a[i * stride];
        sa += out_a[i * stride] - out_b[i * stride];
    }
    double n = (double)count, d = sd / n, a = sa / n;
    double vdd = 0, vaa = 0, vda = 0;
    for (size_t i = 0; i < count; i++) {
        double x = cost_b[i * stride] - cost_a[i * stride] - d;
        double y = out_a[i * stride] - out_b[i * stride] - a;
        vdd += x * x;
        vaa += y * y;
        vda += x * y;
    }
    /* Variances and covariance of the means. */
    vdd /= (n - 1) * n;
    vaa /= (n - 1) * n;
    vda /= (n - 1) * n;
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, n - 1), t2 = t * t;
    *out = (struct costeff){
        .dc = d,
        .dc_lo = d - t * sqrt(vdd),
        .dc_hi = d + t * sqrt(vdd),
        .da = a,
        .da_lo = a - t * sqrt(vaa),
        .da_hi = a + t * sqrt(vaa),
        .ratio = NAN,
        .lo = NAN,
        .hi = NAN,
    };
    if (out->da_hi < 0) {
        out->kind = COSTEFF_NOT_AVERTED;
        return;
    }
    /* Fieller: R^2 (a^2 - t^2 vaa) - 2 R (d a - t^2 vda) + (d^2 - t^2 vdd) <= 0. */
    double qa = a * a - t2 * vaa, qb = d * a - t2 * vda, qc = d * d - t2 * vdd;
    double disc = qb * qb - qa * qc;
    if (out->da_lo <= 0 || qa <= 0 || disc < 0) {
        out->kind = COSTEFF_UNBOUNDED;
        return;
    }
    out->kind = COSTEFF_RATIO;
    out->ratio = d / a;
    out->lo = (qb - sqrt(disc)) / qa;
    out->hi = (qb + sqrt(disc)) / qa;
}

bool costeff_available(const struct compare_entry *e, int n)
{
    for (int s = 0; s < n; s++) {
        int m = compare_metric_index(&e[s], "cost_per_year");
        if (m < 0 || e[s].res.replications < 2 || !isfinite(e[s].res.metrics[m])) {
            return false;
        }
        for (int k = 0; k < N_OUTCOMES; k++) {
            if (compare_metric_index(&e[s], outcomes[k].metric) < 0) {
                return false;
            }
        }
    }
    return n >= 2;
}

/* Scenario s's cost-effect on outcome k against the first entry. */
static void entry_costeff(const struct compare_entry *e, int s, int k, struct costeff *ce)
{
    const struct compare_entry *a = &e[0], *b = &e[s];
    size_t count = (size_t)(a->res.replications < b->res.replications ? a->res.replications
                                                                      : b->res.replications);
    /* Each scenario's metric through its own index: layouts differ with the models. */
    int ca = compare_metric_index(a, "cost_per_year"),
        cb = compare_metric_index(b, "cost_per_year");
    int oa = compare_metric_index(a, outcomes[k].metric);
    int ob = compare_metric_index(b, outcomes[k].metric);
    size_t na = (size_t)a->sc->n_metrics, nb = (size_t)b->sc->n_metrics;
    /* Gathered into one array of 4 x count (once per row written, not per event). */
    double *buf = xcalloc(4 * count, sizeof *buf);
    for (size_t i = 0; i < count; i++) {
        buf[i] = a->res.metrics[i * na + (size_t)ca];
        buf[count + i] = b->res.metrics[i * nb + (size_t)cb];
        buf[2 * count + i] = a->res.metrics[i * na + (size_t)oa];
        buf[3 * count + i] = b->res.metrics[i * nb + (size_t)ob];
    }
    costeff_paired(buf, buf + count, buf + 2 * count, buf + 3 * count, 1, count, CSV_CI_LEVEL, ce);
    free(buf);
}

/* "GBP per admission averted, 2023 prices" from the cost unit "GBP a year, 2023 prices". */
static void ratio_unit(const struct compare_entry *e, const char *one, char *buf, size_t n)
{
    const char *unit = scenario_metric(e->sc, compare_metric_index(e, "cost_per_year"))->unit;
    const char *year = strstr(unit, " a year");
    if (!year) {
        snprintf(buf, n, "%s per %s averted", unit, one);
        return;
    }
    snprintf(buf, n, "%.*s per %s averted%s", (int)(year - unit), unit, one,
             year + strlen(" a year"));
}

static const char *note(const struct costeff *ce)
{
    switch (ce->kind) {
    case COSTEFF_NOT_AVERTED:
        return "the scenario adds to the outcome: no cost per unit averted";
    case COSTEFF_UNBOUNDED:
        return "the outcome's difference is not distinguished from 0: no finite interval";
    case COSTEFF_RATIO:
        return ce->dc_hi < 0 ? "costs less and averts the outcome (dominant)" : "";
    }
    return "";
}

int costeff_write_csv(const char *path, const struct compare_entry *e, int n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("scenario,outcome,cost_diff,cost_diff_ci_low,cost_diff_ci_high,averted,averted_ci_low,"
          "averted_ci_high,cost_per_averted,ci_low,ci_high,unit,note\n",
          f);
    for (int s = 1; s < n; s++) {
        for (int k = 0; k < N_OUTCOMES; k++) {
            struct costeff ce;
            char unit[160];
            entry_costeff(e, s, k, &ce);
            ratio_unit(&e[0], outcomes[k].one, unit, sizeof unit);
            csv_field(f, e[s].name);
            fputc(',', f);
            csv_field(f, outcomes[k].metric);
            const double v[] = {ce.dc,    ce.dc_lo, ce.dc_hi, ce.da, ce.da_lo,
                                ce.da_hi, ce.ratio, ce.lo,    ce.hi};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
                fputc(',', f);
                csv_number(f, v[i]);
            }
            fputc(',', f);
            csv_field(f, unit);
            fputc(',', f);
            csv_field(f, note(&ce));
            fputc('\n', f);
        }
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

void costeff_print(FILE *out, const struct compare_entry *e, int n)
{
    const char *unit = scenario_metric(e[0].sc, compare_metric_index(e, "cost_per_year"))->unit;
    const char *year = strstr(unit, " a year");
    int cur = year ? (int)(year - unit) : 0; /* the currency: the unit's first word */
    fprintf(out,
            "\ncosts against the outcome averted, each scenario against %s (paired 95%% "
            "intervals; %s):\n",
            e[0].name, unit);
    for (int s = 1; s < n; s++) {
        for (int k = 0; k < N_OUTCOMES; k++) {
            struct costeff ce;
            char a[4][48];
            entry_costeff(e, s, k, &ce);
            csv_amount(fabs(ce.da), a[0], sizeof a[0]);
            csv_amount(ce.da >= 0 ? ce.da_lo : -ce.da_hi, a[1], sizeof a[1]);
            csv_amount(ce.da >= 0 ? ce.da_hi : -ce.da_lo, a[2], sizeof a[2]);
            fprintf(out, "  %s: %s %s a year %s (%s to %s), ", e[s].name, a[0], outcomes[k].many,
                    ce.da >= 0 ? "averted" : "added", a[1], a[2]);
            csv_amount(fabs(ce.dc), a[0], sizeof a[0]);
            csv_amount(ce.dc >= 0 ? ce.dc_lo : -ce.dc_hi, a[1], sizeof a[1]);
            csv_amount(ce.dc >= 0 ? ce.dc_hi : -ce.dc_lo, a[2], sizeof a[2]);
            fprintf(out, "%.*s%s%s a year %s (%s to %s)", cur, unit, cur ? " " : "", a[0],
                    ce.dc >= 0 ? "more" : "less", a[1], a[2]);
            if (ce.kind == COSTEFF_RATIO) {
                /* A negative ratio is a saving per unit averted (the scenario dominates when its
                 * whole cost interval lies below 0). */
                bool saves = ce.ratio < 0;
                csv_amount(fabs(ce.ratio), a[0], sizeof a[0]);
                csv_amount(saves ? -ce.hi : ce.lo, a[1], sizeof a[1]);
                csv_amount(saves ? -ce.lo : ce.hi, a[2], sizeof a[2]);
                fprintf(out, ": %s %.*s%s%s per %s averted (%s to %s)%s", saves ? "saves" : "costs",
                        cur, unit, cur ? " " : "", a[0], outcomes[k].one, a[1], a[2],
                        ce.dc_hi < 0 ? "; dominant" : "");
            } else {
                fprintf(out, ": %s", note(&ce));
            }
            fputc('\n', out);
        }
    }
}
