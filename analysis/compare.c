#include "analysis/compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/ci.h"
#include "analysis/csv.h"
#include "sim/error.h"
#include "sim/xalloc.h"

int compare_metric_index(const struct compare_entry *e, const char *name)
{
    for (int m = 0; m < e->sc->n_metrics; m++) {
        if (strcmp(scenario_metric_name(e->sc, m), name) == 0) {
            return m;
        }
    }
    return -1;
}

/* ---- the union of the metrics ------------------------------------------------------------- */

static int union_find(const struct compare_metrics *u, const char *name)
{
    for (int k = 0; k < u->n; k++) {
        if (strcmp(u->desc[k]->name, name) == 0) {
            return k;
        }
    }
    return -1;
}

void compare_metrics_init(struct compare_metrics *u, const struct compare_entry *e, int n)
{
    size_t cap = 0;

    for (int s = 0; s < n; s++) {
        cap += (size_t)e[s].sc->n_metrics;
    }
    u->n = 0;
    u->n_entries = n;
    u->desc = xcalloc(cap ? cap : 1, sizeof *u->desc);
    for (int s = 0; s < n; s++) {
        int at = -1; /* where the metric of entry s last seen sits in the union */
        for (int m = 0; m < e[s].sc->n_metrics; m++) {
            const struct metric_desc *d = scenario_metric(e[s].sc, m);
            int k = union_find(u, d->name);
            if (k < 0) {
                k = at + 1;
                memmove(&u->desc[k + 1], &u->desc[k], (size_t)(u->n - k) * sizeof *u->desc);
                u->desc[k] = d;
                u->n++;
            }
            at = k;
        }
    }
    u->index = xcalloc((size_t)(u->n > 0 ? u->n : 1) * (size_t)n, sizeof *u->index);
    for (int k = 0; k < u->n; k++) {
        for (int s = 0; s < n; s++) {
            u->index[k * n + s] = compare_metric_index(&e[s], u->desc[k]->name);
        }
    }
}

void compare_metrics_fini(struct compare_metrics *u)
{
    free(u->desc);
    free(u->index);
    memset(u, 0, sizeof *u);
}

static int at(const struct compare_metrics *u, int k, int s)
{
    return u->index[k * u->n_entries + s];
}

/* The summary of metric mb of entry b and, when a has the metric (ma >= 0), its paired
 * difference against entry a; NaN otherwise. */
static void row(const struct compare_entry *a, int ma, const struct compare_entry *b, int mb,
                struct ci *level, struct ci *diff)
{
    size_t sa = (size_t)a->sc->n_metrics, sb = (size_t)b->sc->n_metrics;
    size_t n = (size_t)(a->res.replications < b->res.replications ? a->res.replications
                                                                  : b->res.replications);
    ci_t(b->res.metrics + mb, (size_t)b->res.replications, sb, CSV_CI_LEVEL, level);
    if (ma >= 0) {
        ci_paired(a->res.metrics + ma, sa, b->res.metrics + mb, sb, n, CSV_CI_LEVEL, diff);
    } else {
        *diff = (struct ci){.mean = NAN, .sd = NAN, .lo = NAN, .hi = NAN, .n = 0};
    }
}

/* ---- comparison.csv and the files of each scenario ---------------------------------------- */

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
    struct compare_metrics u;
    compare_metrics_init(&u, e, n);
    fputs("metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high", f);
    fputs(described ? "," CSV_DESCRIBE_HEADER "\n" : "\n", f);
    for (int k = 0; k < u.n; k++) {
        const char *name = u.desc[k]->name;
        for (int s = 0; s < n; s++) {
            int ms = at(&u, k, s);
            csv_field(f, name);
            fputc(',', f);
            csv_field(f, e[s].name);
            fputc(',', f);
            if (ms < 0) {
                fputs("NA,NA,NA,NA,NA,NA", f);
            } else {
                struct ci lv, d;
                row(&e[0], s == 0 ? -1 : at(&u, k, 0), &e[s], ms, &lv, &d);
                csv_number(f, lv.mean);
                fputc(',', f);
                csv_number(f, lv.lo);
                fputc(',', f);
                csv_number(f, lv.hi);
                fputc(',', f);
                csv_number(f, d.mean);
                fputc(',', f);
                csv_number(f, d.lo);
                fputc(',', f);
                csv_number(f, d.hi);
            }
            if (described) {
                csv_describe(f, u.desc[k], true);
            }
            fputc('\n', f);
        }
    }
    compare_metrics_fini(&u);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

int compare_write_files(struct folder *f, const struct compare_entry *e, int n)
{
    char path[4096], file[512];

    int rc =
        folder_wrote(f,
                     compare_write_csv_flags(folder_file(f, "comparison.csv", path, sizeof path), e,
                                             n, CSV_DESCRIBED),
                     path);
    for (int i = 0; rc == 0 && i < n; i++) {
        snprintf(file, sizeof file, "%.255s.replications.csv", e[i].name);
        rc = folder_wrote(
            f, csv_write_replications(folder_file(f, file, path, sizeof path), e[i].sc, &e[i].res),
            path);
        if (rc == 0 && e[i].res.series) {
            snprintf(file, sizeof file, "%.255s.timeseries.csv", e[i].name);
            rc = folder_wrote(f,
                              csv_write_timeseries_flags(folder_file(f, file, path, sizeof path),
                                                         e[i].sc, &e[i].res, CSV_DESCRIBED),
                              path);
        }
    }
    return rc;
}

/* ---- settings that differ ----------------------------------------------------------------- */

/* A time t of sc's model in words with its unit, in years as well when the unit is days. */
static void time_words(const struct scenario *sc, double t, char *buf, size_t n)
{
    const char *unit = sc->ops->time_unit ? sc->ops->time_unit : "time units";
    if (strcmp(unit, "days") == 0 && t >= 365.25 / 2) {
        double years = t / 365.25;
        snprintf(buf, n, "%.10g days (%.1f year%s)", t, years, fabs(years - 1) < 0.05 ? "" : "s");
    } else {
        snprintf(buf, n, "%.10g %s", t, unit);
    }
}

static void warn_line(struct warnings *w, FILE *out, const char *line)
{
    if (warnings_add(w, line) && out) {
        fprintf(out, "ccsim: %s\n", line);
    }
}

int compare_warn_settings(const struct compare_entry *e, int n, struct warnings *w, FILE *out)
{
    const struct scenario *a = e[0].sc;
    char line[1600], va[128], vb[128];
    int count = 0;

    for (int s = 1; s < n; s++) {
        const struct scenario *b = e[s].sc;
        if (b->horizon != a->horizon) {
            time_words(b, b->horizon, vb, sizeof vb);
            time_words(a, a->horizon, va, sizeof va);
            snprintf(line, sizeof line,
                     "compare: warning: the horizons differ: %.250s runs %s, %.250s %s; the "
                     "paired differences then set runs of different lengths against each other, "
                     "so give every scenario the same horizon (--set horizon=...)",
                     e[s].name, vb, e[0].name, va);
            warn_line(w, out, line);
            count++;
        }
        if (b->warmup != a->warmup) {
            time_words(b, b->warmup, vb, sizeof vb);
            time_words(a, a->warmup, va, sizeof va);
            snprintf(line, sizeof line,
                     "compare: warning: the warm-ups differ: %.250s discards its first %s, "
                     "%.250s its first %s; the paired differences then set different periods of "
                     "the clients' lives against each other, so give every scenario the same "
                     "warm-up (--set warmup=...)",
                     e[s].name, vb, e[0].name, va);
            warn_line(w, out, line);
            count++;
        }
        if (b->seed != a->seed) {
            snprintf(line, sizeof line,
                     "compare: warning: the seeds differ: %.250s's scenario gives seed %llu, "
                     "%.250s's seed %llu; %.250s ran with seed %llu, the first scenario's, so "
                     "that the paired differences share the same clients and random numbers "
                     "(%.250s.resolved.cfg records it; -s chooses the seed of every scenario)",
                     e[s].name, (unsigned long long)b->seed, e[0].name, (unsigned long long)a->seed,
                     e[s].name, (unsigned long long)a->seed, e[s].name);
            warn_line(w, out, line);
            count++;
        }
    }
    return count;
}

/* ---- the terminal ------------------------------------------------------------------------- */

void compare_print_table(FILE *out, const struct compare_entry *e, int n)
{
    struct compare_metrics u;

    compare_metrics_init(&u, e, n);
    fprintf(out, "%-36s %-22s %12s   %-34s\n", "metric", "scenario", "mean",
            "difference from the first (95% CI)");
    for (int k = 0; k < u.n; k++) {
        const char *name = u.desc[k]->name;
        for (int s = 0; s < n; s++) {
            int ms = at(&u, k, s), m0 = at(&u, k, 0);
            fprintf(out, "%-36s %-22s", s == 0 ? name : "", e[s].name);
            if (ms < 0) {
                fprintf(out, " %12s   %s\n", "NA", "(the scenario has no such metric)");
                continue;
            }
            struct ci lv, d;
            row(&e[0], s == 0 ? -1 : m0, &e[s], ms, &lv, &d);
            fprintf(out, " %12.6g", lv.mean);
            if (s > 0 && m0 >= 0 && isnan(d.lo)) { /* one replication: no interval */
                fprintf(out, "   %+12.6g [NA, NA]", d.mean);
            } else if (s > 0 && m0 >= 0) {
                fprintf(out, "   %+12.6g [%+.6g, %+.6g]", d.mean, d.lo, d.hi);
            } else if (s > 0) {
                fprintf(out, "   %12s (not in %s)", "NA", e[0].name);
            }
            fputc('\n', out);
        }
    }
    compare_metrics_fini(&u);
}

/* Whether m is a count a year for the whole region: its unit is "... per year". */
static bool is_count(const struct metric_desc *m)
{
    static const char tail[] = " per year";
    size_t len = m->unit ? strlen(m->unit) : 0, k = sizeof tail - 1;
    return len > k && strcmp(m->unit + len - k, tail) == 0;
}

/* The precision d's interval allows: decimals that show the half-width to one significant
 * figure (the mean to three when there is no interval); a half-width of 100 or more rounds to
 * its two leading figures instead (*step: 10, 100, ...; 0 otherwise). */
static int precision(const struct ci *d, double *step)
{
    double hw = (d->hi - d->lo) / 2, x;
    *step = 0;
    if (isfinite(hw) && hw >= 100) {
        *step = pow(10, floor(log10(hw)) - 1);
        return 0;
    }
    if (isfinite(hw) && hw > 0) {
        x = -floor(log10(hw));
    } else if (isfinite(d->mean) && d->mean != 0) {
        x = 2 - floor(log10(fabs(d->mean)));
    } else {
        x = 0;
    }
    return x < 0 ? 0 : x > 6 ? 6 : (int)x;
}

/* |x| with dec decimals, or rounded to a multiple of step when step > 0, the thousands of its
 * whole part separated by commas ("1,240"). */
static void amount(double x, int dec, double step, char *buf, size_t n)
{
    char raw[64];
    x = fabs(x);
    if (step > 0) {
        x = round(x / step) * step;
    }
    int len = snprintf(raw, sizeof raw, "%.*f", dec, x);
    const char *dot = strchr(raw, '.');
    int whole = dot ? (int)(dot - raw) : len;
    size_t k = 0;

    for (int i = 0; i < len && k + 2 < n; i++) {
        if (i > 0 && i < whole && (whole - i) % 3 == 0) {
            buf[k++] = ',';
        }
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
}

void compare_describe_diff(const struct metric_desc *m, const struct ci *d, char *buf, size_t n)
{
    bool count = is_count(m);
    const char *less = count ? "fewer" : "lower", *more = count ? "more" : "higher";
    char mean[64], lo[64], hi[64], interval[200];

    if (isnan(d->mean)) {
        snprintf(buf, n, "not known (the metric has no value in any replication)");
        return;
    }
    double step;
    int dec = precision(d, &step);
    amount(d->mean, dec, step, mean, sizeof mean);
    amount(d->lo, dec, step, lo, sizeof lo);
    amount(d->hi, dec, step, hi, sizeof hi);
    bool has_interval = isfinite(d->lo) && isfinite(d->hi);
    bool spans = has_interval && d->lo <= 0 && d->hi >= 0;
    if (!has_interval) {
        snprintf(interval, sizeof interval, "no interval: fewer than two replications");
    } else if (d->lo == d->hi) {
        snprintf(interval, sizeof interval, "the same in every replication");
        if (d->mean == 0) {
            snprintf(buf, n, "no change in any replication");
            return;
        }
    } else if (spans) {
        snprintf(interval, sizeof interval, "%s %s to %s %s", lo, less, hi, more);
    } else if (d->lo > 0) {
        snprintf(interval, sizeof interval, "%s to %s", lo, hi);
    } else {
        snprintf(interval, sizeof interval, "%s to %s", hi, lo);
    }
    const char *verdict = "";
    if (spans && d->lo != d->hi) {
        verdict = ", no clear difference";
    } else if (has_interval && d->mean != 0 && m->better != METRIC_NEITHER) {
        bool lower = d->mean < 0;
        verdict = lower == (m->better == METRIC_LOWER_BETTER) ? ", better" : ", worse";
    }
    if (strspn(mean, "0.,") == strlen(mean)) {
        snprintf(buf, n, "about the same (%s)%s", interval, verdict);
    } else {
        snprintf(buf, n, "%s %s (%s)%s", mean, d->mean < 0 ? less : more, interval, verdict);
    }
}

/* Up to three names of metrics entry s has and entry o has not, with how many in all. */
static void only_in(const struct compare_metrics *u, int s, int o, char *buf, size_t n)
{
    int count = 0;
    size_t k = 0;

    buf[0] = '\0';
    for (int i = 0; i < u->n; i++) {
        if (at(u, i, s) >= 0 && at(u, i, o) < 0) {
            if (count < 3 && k < n) {
                k += (size_t)snprintf(buf + k, n - k, "%s%s", count ? ", " : "", u->desc[i]->name);
            }
            count++;
        }
    }
    if (count > 3 && k < n) {
        snprintf(buf + k, n - k, " and %d more", count - 3);
    }
}

void compare_print_summary(FILE *out, const struct compare_entry *e, int n)
{
    struct compare_metrics u;
    char words[400], names[400];

    compare_metrics_init(&u, e, n);
    for (int s = 1; s < n; s++) {
        long pairs = e[0].res.replications < e[s].res.replications ? e[0].res.replications
                                                                   : e[s].res.replications;
        fprintf(out, "%s against %s (%s minus %s; 95%% intervals from %ld paired replications):\n",
                e[s].name, e[0].name, e[s].name, e[0].name, pairs);
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < u.n; k++) {
                const struct metric_desc *m = u.desc[k];
                int m0 = at(&u, k, 0), ms = at(&u, k, s);
                /* Counts a year for the region first, then the headline rates and times. */
                bool wanted = pass == 0 ? is_count(m) && !strchr(m->name, '.')
                                        : m->is_headline && !is_count(m);
                if (!wanted || m0 < 0 || ms < 0) {
                    continue;
                }
                struct ci lv, d;
                row(&e[0], m0, &e[s], ms, &lv, &d);
                compare_describe_diff(m, &d, words, sizeof words);
                fprintf(out, "  %s: %s\n", m->label ? m->label : m->name, words);
            }
        }
        only_in(&u, s, 0, names, sizeof names);
        if (names[0]) {
            fprintf(out, "  only %s has %s (NA for %s)\n", e[s].name, names, e[0].name);
        }
        only_in(&u, 0, s, names, sizeof names);
        if (names[0]) {
            fprintf(out, "  only %s has %s (NA for %s)\n", e[0].name, names, e[s].name);
        }
    }
    compare_metrics_fini(&u);
}
