#include "analysis/compare.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "analysis/ci.h"
#include "analysis/csv.h"

int compare_metric_index(const struct compare_entry *e, const char *name)
{
    for (int m = 0; m < e->sc->n_metrics; m++) {
        if (strcmp(scenario_metric_name(e->sc, m), name) == 0) {
            return m;
        }
    }
    return -1;
}

/* The summary of metric m of entry b and its paired difference against entry a (metric ma). */
static void row(const struct compare_entry *a, int ma, const struct compare_entry *b, int mb,
                struct ci *level, struct ci *diff)
{
    size_t sa = (size_t)a->sc->n_metrics, sb = (size_t)b->sc->n_metrics;
    size_t n = (size_t)(a->res.replications < b->res.replications ? a->res.replications
                                                                  : b->res.replications);
    ci_t(b->res.metrics + mb, (size_t)b->res.replications, sb, CSV_CI_LEVEL, level);
    ci_paired(a->res.metrics + ma, sa, b->res.metrics + mb, sb, n, CSV_CI_LEVEL, diff);
}

int compare_write_csv(const char *path, const struct compare_entry *e, int n)
{
    return compare_write_csv_flags(path, e, n, 0);
}

int compare_write_csv_flags(const char *path, const struct compare_entry *e, int n, unsigned flags)
{
    bool described = flags & CSV_DESCRIBED;
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    fputs("metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high", f);
    fputs(described ? "," CSV_DESCRIBE_HEADER "\n" : "\n", f);
    for (int m = 0; m < e[0].sc->n_metrics; m++) {
        const char *name = scenario_metric_name(e[0].sc, m);
        for (int s = 0; s < n; s++) {
            int ms = compare_metric_index(&e[s], name);
            csv_field(f, name);
            fputc(',', f);
            csv_field(f, e[s].name);
            fputc(',', f);
            if (ms < 0) {
                fputs("NA,NA,NA,NA,NA,NA", f);
                if (described) {
                    csv_describe(f, scenario_metric(e[0].sc, m), true);
                }
                fputc('\n', f);
                continue;
            }
            struct ci lv, d;
            row(&e[0], m, &e[s], ms, &lv, &d);
            csv_number(f, lv.mean);
            fputc(',', f);
            csv_number(f, lv.lo);
            fputc(',', f);
            csv_number(f, lv.hi);
            if (s == 0) {
                fputs(",NA,NA,NA", f);
            } else {
                fputc(',', f);
                csv_number(f, d.mean);
                fputc(',', f);
                csv_number(f, d.lo);
                fputc(',', f);
                csv_number(f, d.hi);
            }
            if (described) {
                csv_describe(f, scenario_metric(e[0].sc, m), true);
            }
            fputc('\n', f);
        }
    }
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

void compare_print_table(FILE *out, const struct compare_entry *e, int n)
{
    fprintf(out, "%-36s %-22s %12s   %-34s\n", "metric", "scenario", "mean",
            "difference from the first (95% CI)");
    for (int m = 0; m < e[0].sc->n_metrics; m++) {
        const char *name = scenario_metric_name(e[0].sc, m);
        for (int s = 0; s < n; s++) {
            int ms = compare_metric_index(&e[s], name);
            if (ms < 0) {
                continue;
            }
            struct ci lv, d;
            row(&e[0], m, &e[s], ms, &lv, &d);
            fprintf(out, "%-36s %-22s %12.6g", s == 0 ? name : "", e[s].name, lv.mean);
            if (s > 0) {
                fprintf(out, "   %+12.6g [%+.6g, %+.6g]", d.mean, d.lo, d.hi);
            }
            fputc('\n', out);
        }
    }
}
