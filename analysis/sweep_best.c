#include "analysis/sweep_best.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ci.h"
#include "analysis/csv.h"
#include "sim/xalloc.h"

/* Index of metric name in sc, or -1; hint first (the points of a sweep share one layout
 * unless a varied key changes it, so the lookup is then one comparison). */
static int index_at(const struct scenario *sc, const char *name, int hint)
{
    if (hint >= 0 && hint < sc->n_metrics && strcmp(scenario_metric_name(sc, hint), name) == 0) {
        return hint;
    }
    for (int m = 0; m < sc->n_metrics; m++) {
        if (strcmp(scenario_metric_name(sc, m), name) == 0) {
            return m;
        }
    }
    return -1;
}

/* Mean of metric m (point p's index) over point p's replications. */
static double point_mean(const struct experiment_result *r, int m, int n_metrics)
{
    double s = 0;
    for (long i = 0; i < r->replications; i++) {
        s += r->metrics[i * n_metrics + m];
    }
    return r->replications > 0 ? s / (double)r->replications : NAN;
}

long sweep_best_point(const struct scenario *const *sc, const struct experiment_result *res,
                      long n_points, int m, unsigned char *tied)
{
    const struct metric_desc *d = scenario_metric(sc[0], m);
    if (d->better == METRIC_NEITHER) {
        return -1;
    }
    long best = -1;
    double best_mean = NAN;
    for (long p = 0; p < n_points; p++) {
        int mp = index_at(sc[p], d->name, m);
        double v = mp < 0 ? NAN : point_mean(&res[p], mp, sc[p]->n_metrics);
        if (isfinite(v) &&
            (best < 0 || (d->better == METRIC_LOWER_BETTER ? v < best_mean : v > best_mean))) {
            best = p;
            best_mean = v;
        }
    }
    if (best < 0 || !tied) {
        return best;
    }
    int mb = index_at(sc[best], d->name, m);
    for (long p = 0; p < n_points; p++) {
        tied[p] = 0;
        int mp = index_at(sc[p], d->name, m);
        if (p == best || mp < 0) {
            continue;
        }
        long n = res[p].replications < res[best].replications ? res[p].replications
                                                              : res[best].replications;
        struct ci diff;
        if (n < 2) {
            continue;
        }
        ci_paired(res[best].metrics + mb, (size_t)sc[best]->n_metrics, res[p].metrics + mp,
                  (size_t)sc[p]->n_metrics, (size_t)n, CSV_CI_LEVEL, &diff);
        tied[p] = isfinite(diff.lo) && diff.lo <= 0 && diff.hi >= 0;
    }
    return best;
}

/* "KEY=VALUE & KEY=VALUE" for point p (no comma, so that a CSV field needs no quotes); with
 * is_short, each key's last part only
 * ("caseload_limit=45"), for a sentence. */
static void point_name_as(const struct sweep_axis *axes, int n_axes, long p, bool is_short,
                          char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < n_axes && len < n; k++) {
        const char *key = axes[k].key, *dot = strrchr(key, '.');
        len += (size_t)snprintf(buf + len, n - len, "%s%s=%.15g", k ? " & " : "",
                                is_short && dot ? dot + 1 : key, sweep_value(axes, n_axes, p, k));
    }
}

static void point_name(const struct sweep_axis *axes, int n_axes, long p, char *buf, size_t n)
{
    point_name_as(axes, n_axes, p, false, buf, n);
}

/* Whether metric m of sc is one sweep_best reports: a direction, and the region's own. */
static bool reported(const struct scenario *sc, int m)
{
    const struct metric_desc *d = scenario_metric(sc, m);
    return d->better != METRIC_NEITHER && !strchr(d->name, '.');
}

int sweep_best_write_csv(const char *path, const struct sweep_axis *axes, int n_axes, long n_points,
                         const struct scenario *const *sc, const struct experiment_result *res)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    unsigned char *tied = xcalloc((size_t)n_points, 1);
    char name[2048];
    fputs("metric,better,best,mean,ci_low,ci_high,n_tied,tied,unit,label\n", f);
    for (int m = 0; m < sc[0]->n_metrics; m++) {
        if (!reported(sc[0], m)) {
            continue;
        }
        long best = sweep_best_point(sc, res, n_points, m, tied);
        if (best < 0) {
            continue;
        }
        const struct metric_desc *d = scenario_metric(sc[0], m);
        int mb = index_at(sc[best], d->name, m);
        struct ci lv;
        ci_t(res[best].metrics + mb, (size_t)res[best].replications, (size_t)sc[best]->n_metrics,
             CSV_CI_LEVEL, &lv);
        csv_field(f, d->name);
        fputs(d->better == METRIC_LOWER_BETTER ? ",lower," : ",higher,", f);
        point_name(axes, n_axes, best, name, sizeof name);
        csv_field(f, name);
        fputc(',', f);
        csv_number(f, lv.mean);
        fputc(',', f);
        csv_number(f, lv.lo);
        fputc(',', f);
        csv_number(f, lv.hi);
        long n_tied = 0;
        for (long p = 0; p < n_points; p++) {
            n_tied += tied[p];
        }
        fprintf(f, ",%ld,", n_tied);
        /* The tied points, "; "-separated, as one field. */
        char *list = NULL;
        size_t list_len = 0;
        FILE *lf = open_memstream(&list, &list_len);
        for (long p = 0, k = 0; lf && p < n_points; p++) {
            if (tied[p]) {
                point_name(axes, n_axes, p, name, sizeof name);
                fprintf(lf, "%s%s", k++ ? "; " : "", name);
            }
        }
        if (lf) {
            fclose(lf);
        }
        csv_field(f, list ? list : "");
        free(list);
        csv_describe(f, d, false);
        fputc('\n', f);
    }
    free(tied);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

void sweep_best_print(FILE *out, const struct sweep_axis *axes, int n_axes, long n_points,
                      const struct scenario *const *sc, const struct experiment_result *res)
{
    unsigned char *tied = xcalloc((size_t)n_points, 1);
    char name[2048], a[3][48];
    bool any = false;
    for (int m = 0; m < sc[0]->n_metrics; m++) {
        const struct metric_desc *d = scenario_metric(sc[0], m);
        size_t len = strlen(d->name);
        bool per_year = len > 9 && strcmp(d->name + len - 9, "_per_year") == 0;
        if (!reported(sc[0], m) || !(d->is_headline || per_year)) {
            continue;
        }
        long best = sweep_best_point(sc, res, n_points, m, tied);
        if (best < 0) {
            continue;
        }
        if (!any) {
            fprintf(out, "\nthe best point for each outcome (paired 95%% intervals; points that "
                         "cannot be told from it in brackets):\n");
            any = true;
        }
        int mb = index_at(sc[best], d->name, m);
        struct ci lv;
        ci_t(res[best].metrics + mb, (size_t)res[best].replications, (size_t)sc[best]->n_metrics,
             CSV_CI_LEVEL, &lv);
        point_name_as(axes, n_axes, best, true, name, sizeof name);
        fprintf(out, "  %s: %s at %s: %s (%s to %s) %s", d->label,
                d->better == METRIC_LOWER_BETTER ? "lowest" : "highest", name,
                csv_amount(lv.mean, a[0], sizeof a[0]), csv_amount(lv.lo, a[1], sizeof a[1]),
                csv_amount(lv.hi, a[2], sizeof a[2]), d->unit);
        int k = 0;
        for (long p = 0; p < n_points; p++) {
            if (tied[p]) {
                point_name_as(axes, n_axes, p, true, name, sizeof name);
                fprintf(out, "%s%s", k++ ? "; " : " [as good: ", name);
            }
        }
        fputs(k ? "]\n" : "\n", out);
    }
    free(tied);
}
