#include "analysis/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ci.h"
#include "analysis/csv.h"

static bool parse_number(const char *s, const char *end, double *out)
{
    char buf[64];
    char *stop;
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtod(buf, &stop);
    return *stop == '\0' && isfinite(*out);
}

bool sweep_parse_axis(const char *text, struct sweep_axis *a, char *err, size_t err_len)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || (size_t)(eq - text) >= sizeof a->key) {
        snprintf(err, err_len, "--vary %s: not KEY=FROM:TO:STEP (e.g. hospital.beds=40:50:2)",
                 text);
        return false;
    }
    snprintf(a->key, sizeof a->key, "%.*s", (int)(eq - text), text);
    const char *c1 = strchr(eq + 1, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2 || !parse_number(eq + 1, c1, &a->from) || !parse_number(c1 + 1, c2, &a->to) ||
        !parse_number(c2 + 1, c2 + 1 + strlen(c2 + 1), &a->step)) {
        snprintf(err, err_len,
                 "--vary %s: not KEY=FROM:TO:STEP with three numbers (e.g. "
                 "hospital.beds=40:50:2)",
                 text);
        return false;
    }
    if (!(a->step > 0) || a->to < a->from) {
        snprintf(err, err_len, "--vary %s: needs FROM <= TO and STEP > 0", text);
        return false;
    }
    double n = floor((a->to - a->from) / a->step + 1e-6) + 1;
    if (n > SWEEP_MAX_POINTS) {
        snprintf(err, err_len, "--vary %s: %.0f values (at most %d)", text, n, SWEEP_MAX_POINTS);
        return false;
    }
    a->n = (int)n;
    return true;
}

long sweep_n_points(const struct sweep_axis *axes, int n_axes)
{
    long n = 1;
    for (int k = 0; k < n_axes; k++) {
        n *= axes[k].n;
        if (n > SWEEP_MAX_POINTS) {
            return -1;
        }
    }
    return n;
}

double sweep_value(const struct sweep_axis *axes, int n_axes, long p, int k)
{
    long div = 1;
    for (int j = n_axes - 1; j > k; j--) {
        div *= axes[j].n;
    }
    long i = (p / div) % axes[k].n;
    return axes[k].from + (double)i * axes[k].step;
}

int sweep_write_csv(const char *path, const struct sweep_axis *axes, int n_axes, long n_points,
                    const struct scenario *const *sc, const struct experiment_result *res)
{
    return sweep_write_csv_flags(path, axes, n_axes, n_points, sc, res, 0);
}

int sweep_write_csv_flags(const char *path, const struct sweep_axis *axes, int n_axes,
                          long n_points, const struct scenario *const *sc,
                          const struct experiment_result *res, unsigned flags)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    for (int k = 0; k < n_axes; k++) {
        csv_field(f, axes[k].key);
        fputc(',', f);
    }
    fputs(flags & CSV_DESCRIBED ? "metric,mean,ci_low,ci_high,n," CSV_DESCRIBE_HEADER "\n"
                                : "metric,mean,ci_low,ci_high,n\n",
          f);
    for (long p = 0; p < n_points; p++) {
        for (int m = 0; m < res[p].n_metrics; m++) {
            struct ci c;
            ci_t(res[p].metrics + m, (size_t)res[p].replications, (size_t)res[p].n_metrics,
                 CSV_CI_LEVEL, &c);
            for (int k = 0; k < n_axes; k++) {
                fprintf(f, "%.15g,", sweep_value(axes, n_axes, p, k));
            }
            csv_field(f, scenario_metric_name(sc[p], m));
            fputc(',', f);
            csv_number(f, c.mean);
            fputc(',', f);
            csv_number(f, c.lo);
            fputc(',', f);
            csv_number(f, c.hi);
            fprintf(f, ",%ld", c.n);
            if (flags & CSV_DESCRIBED) {
                csv_describe(f, scenario_metric(sc[p], m), true);
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
