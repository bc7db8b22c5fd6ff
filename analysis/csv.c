#include "analysis/csv.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "analysis/ci.h"

void csv_number(FILE *out, double x)
{
    if (isnan(x)) {
        fputs("NA", out);
    } else {
        fprintf(out, "%.10g", x);
    }
}

char *csv_amount(double x, char *buf, size_t n)
{
    double a = fabs(x);
    if (isnan(x)) {
        snprintf(buf, n, "NA");
    } else if (a >= 1e6) {
        snprintf(buf, n, "%.3g million", x / 1e6);
    } else if (a >= 10) {
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", a);
        size_t len = strlen(digits), k = 0;
        if (x < 0 && strcmp(digits, "0") != 0 && k + 1 < n) {
            buf[k++] = '-';
        }
        for (size_t i = 0; i < len && k + 2 < n; i++) {
            if (i > 0 && (len - i) % 3 == 0) {
                buf[k++] = ',';
            }
            buf[k++] = digits[i];
        }
        buf[k] = '\0';
    } else if (a >= 1) {
        snprintf(buf, n, "%.1f", x);
    } else {
        snprintf(buf, n, "%.2g", x);
    }
    return buf;
}

char *csv_format_g(double x, char *buf, size_t n)
{
    if (isnan(x)) {
        snprintf(buf, n, "NA");
    } else {
        snprintf(buf, n, "%.6g", x);
    }
    return buf;
}

void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', out);
        }
        fputc(*s, out);
    }
    fputc('"', out);
}

void csv_describe(FILE *out, const struct metric_desc *d, bool with_headline)
{
    fputc(',', out);
    csv_field(out, d->unit ? d->unit : "");
    fputc(',', out);
    csv_field(out, d->label ? d->label : d->name);
    if (with_headline) {
        fputs(d->is_headline ? ",1," : ",0,", out);
        fputs(d->better == METRIC_LOWER_BETTER    ? "lower"
              : d->better == METRIC_HIGHER_BETTER ? "higher"
                                                  : "neither",
              out);
    }
}

static int close_checked(FILE *f)
{
    int bad = ferror(f);

    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

int csv_write_summary(const char *path, const struct scenario *sc,
                      const struct experiment_result *res)
{
    return csv_write_summary_flags(path, sc, res, 0);
}

int csv_write_summary_flags(const char *path, const struct scenario *sc,
                            const struct experiment_result *res, unsigned flags)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    fputs(flags & CSV_DESCRIBED ? "metric,mean,sd,ci_low,ci_high,n," CSV_DESCRIBE_HEADER "\n"
                                : "metric,mean,sd,ci_low,ci_high,n\n",
          f);
    for (int m = 0; m < res->n_metrics; m++) {
        struct ci c;
        ci_t(res->metrics + m, (size_t)res->replications, (size_t)res->n_metrics, CSV_CI_LEVEL, &c);
        csv_field(f, scenario_metric_name(sc, m));
        fputc(',', f);
        csv_number(f, c.mean);
        fputc(',', f);
        csv_number(f, c.sd);
        fputc(',', f);
        csv_number(f, c.lo);
        fputc(',', f);
        csv_number(f, c.hi);
        fprintf(f, ",%ld", c.n);
        if (flags & CSV_DESCRIBED) {
            csv_describe(f, scenario_metric(sc, m), true);
        }
        fputc('\n', f);
    }
    return close_checked(f);
}

/* Splits "by.KIND.GROUP.METRIC" into its three parts (lengths of kind and group; metric from
 * *metric); false for any other name. */
static bool group_parts(const char *name, size_t *kind, size_t *group, const char **metric)
{
    if (strncmp(name, "by.", 3) != 0) {
        return false;
    }
    const char *k = name + 3, *g = strchr(k, '.');
    const char *m = g ? strchr(g + 1, '.') : NULL;
    if (!g || !m || g == k || m == g + 1 || !m[1]) {
        return false;
    }
    *kind = (size_t)(g - k);
    *group = (size_t)(m - g - 1);
    *metric = m + 1;
    return true;
}

bool csv_has_groups(const struct scenario *sc)
{
    size_t k, g;
    const char *m;
    for (int i = 0; i < sc->n_metrics; i++) {
        if (group_parts(scenario_metric_name(sc, i), &k, &g, &m)) {
            return true;
        }
    }
    return false;
}

int csv_write_groups(const char *path, const struct scenario *sc,
                     const struct experiment_result *res)
{
    FILE *f = fopen(path, "w");
    char buf[512];

    if (!f) {
        return -errno;
    }
    fputs("group_kind,group,metric,mean,ci_low,ci_high,unit,label\n", f);
    for (int i = 0; i < res->n_metrics; i++) {
        const char *name = scenario_metric_name(sc, i), *metric;
        size_t kind, group;
        if (!group_parts(name, &kind, &group, &metric)) {
            continue;
        }
        struct ci c;
        ci_t(res->metrics + i, (size_t)res->replications, (size_t)res->n_metrics, CSV_CI_LEVEL, &c);
        snprintf(buf, sizeof buf, "%.*s", (int)kind, name + 3);
        csv_field(f, buf);
        fputc(',', f);
        snprintf(buf, sizeof buf, "%.*s", (int)group, name + 4 + kind);
        csv_field(f, buf);
        fputc(',', f);
        csv_field(f, metric);
        fputc(',', f);
        csv_number(f, c.mean);
        fputc(',', f);
        csv_number(f, c.lo);
        fputc(',', f);
        csv_number(f, c.hi);
        csv_describe(f, scenario_metric(sc, i), false);
        fputc('\n', f);
    }
    return close_checked(f);
}

int csv_write_timeseries(const char *path, const struct scenario *sc,
                         const struct experiment_result *res)
{
    return csv_write_timeseries_flags(path, sc, res, 0);
}

int csv_write_timeseries_flags(const char *path, const struct scenario *sc,
                               const struct experiment_result *res, unsigned flags)
{
    FILE *f = fopen(path, "w");
    size_t per_rep = (size_t)res->n_series * (size_t)res->n_points;

    if (!f) {
        return -errno;
    }
    fputs(flags & CSV_DESCRIBED ? "week,metric,mean,ci_low,ci_high,unit,label\n"
                                : "week,metric,mean,ci_low,ci_high\n",
          f);
    for (int k = 0; k < res->n_points; k++) {
        for (int s = 0; s < res->n_series; s++) {
            struct ci c;
            ci_t(res->series + (size_t)s * (size_t)res->n_points + (size_t)k,
                 (size_t)res->replications, per_rep, CSV_CI_LEVEL, &c);
            fprintf(f, "%d,", k + 1);
            csv_field(f, scenario_series_name(sc, s));
            fputc(',', f);
            csv_number(f, c.mean);
            fputc(',', f);
            csv_number(f, c.lo);
            fputc(',', f);
            csv_number(f, c.hi);
            if (flags & CSV_DESCRIBED) {
                csv_describe(f, scenario_series(sc, s), false);
            }
            fputc('\n', f);
        }
    }
    return close_checked(f);
}

int csv_write_replications(const char *path, const struct scenario *sc,
                           const struct experiment_result *res)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    fputs("replication", f);
    for (int m = 0; m < res->n_metrics; m++) {
        fputc(',', f);
        csv_field(f, scenario_metric_name(sc, m));
    }
    fputc('\n', f);
    for (long r = 0; r < res->replications; r++) {
        fprintf(f, "%ld", r);
        for (int m = 0; m < res->n_metrics; m++) {
            fputc(',', f);
            csv_number(f, res->metrics[(size_t)r * (size_t)res->n_metrics + (size_t)m]);
        }
        fputc('\n', f);
    }
    return close_checked(f);
}

void csv_print_table(FILE *out, const struct scenario *sc, const struct experiment_result *res)
{
    int width = 6;

    for (int m = 0; m < res->n_metrics; m++) {
        int len = (int)strlen(scenario_metric_name(sc, m));
        width = len > width ? len : width;
    }
    fprintf(out, "%-*s  %12s  %12s  %27s  %4s\n", width, "metric", "mean", "sd",
            "95% confidence interval", "n");
    for (int m = 0; m < res->n_metrics; m++) {
        struct ci c;
        ci_t(res->metrics + m, (size_t)res->replications, (size_t)res->n_metrics, CSV_CI_LEVEL, &c);
        char mean[32], sd[32], lo[32], hi[32];
        csv_format_g(c.mean, mean, sizeof mean);
        csv_format_g(c.sd, sd, sizeof sd);
        csv_format_g(c.lo, lo, sizeof lo);
        csv_format_g(c.hi, hi, sizeof hi);
        fprintf(out, "%-*s  %12s  %12s  [%12s, %12s]  %4ld\n", width, scenario_metric_name(sc, m),
                mean, sd, lo, hi, c.n);
    }
}
