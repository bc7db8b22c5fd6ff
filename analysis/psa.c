#include "analysis/psa.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis/csv.h"
#include "sim/xalloc.h"

const struct table_column psa_csv_columns[] = {
    {"draw", TABLE_COUNT},   {"scenario", TABLE_TEXT},     {"metric", TABLE_TEXT},
    {"value", TABLE_NUMBER}, {"difference", TABLE_NUMBER}, {NULL, TABLE_TEXT}};
const struct table_column psa_summary_columns[] = {{"metric", TABLE_TEXT},
                                                   {"scenario", TABLE_TEXT},
                                                   {"mean", TABLE_NUMBER},
                                                   {"lower", TABLE_NUMBER},
                                                   {"upper", TABLE_NUMBER},
                                                   {"difference", TABLE_NUMBER},
                                                   {"difference_lower", TABLE_NUMBER},
                                                   {"difference_upper", TABLE_NUMBER},
                                                   {"probability_better", TABLE_NUMBER},
                                                   {"probability_best", TABLE_NUMBER},
                                                   {NULL, TABLE_TEXT}};
const struct table_column psa_parameters_columns[] = {
    {"draw", TABLE_COUNT}, {"parameter", TABLE_TEXT}, {"value", TABLE_NUMBER}, {NULL, TABLE_TEXT}};
const struct table_column psa_drivers_columns[] = {{"metric", TABLE_TEXT},
                                                   {"scenario", TABLE_TEXT},
                                                   {"parameter", TABLE_TEXT},
                                                   {"rank_correlation", TABLE_NUMBER},
                                                   {NULL, TABLE_TEXT}};
const struct table_column psa_ceac_columns[] = {
    {"outcome", TABLE_TEXT},  {"willingness_to_pay", TABLE_FINITE},
    {"scenario", TABLE_TEXT}, {"probability_cost_effective", TABLE_NUMBER},
    {"currency", TABLE_TEXT}, {NULL, TABLE_TEXT}};

static const char *const OUTCOME[2] = {"admissions_per_year", "bed_days_per_year"};
static const char *const OUTCOME_WORD[2] = {"admissions", "bed_days"};

void psa_init(struct psa *p, int n_scen, const char *const *names, long n_draws, int n_params,
              const char *const *params, int n_metrics, const struct metric_desc **desc)
{
    memset(p, 0, sizeof *p);
    p->n_scen = n_scen;
    p->names = names;
    p->n_draws = n_draws;
    p->n_params = n_params;
    p->param = xcalloc((size_t)n_params + 1, sizeof *p->param);
    for (int k = 0; k < n_params; k++) {
        p->param[k] = xstrdup(params[k]);
    }
    p->x = xcalloc((size_t)n_draws * (size_t)n_params + 1, sizeof *p->x);
    p->n_metrics = n_metrics;
    p->desc = xcalloc((size_t)n_metrics + 1, sizeof *p->desc);
    memcpy(p->desc, desc, (size_t)n_metrics * sizeof *desc);
    size_t n = (size_t)n_draws * (size_t)n_scen * (size_t)n_metrics;
    p->value = xcalloc(n + 1, sizeof *p->value);
    for (size_t i = 0; i < n; i++) {
        p->value[i] = NAN;
    }
}

void psa_fini(struct psa *p)
{
    for (int k = 0; k < p->n_params; k++) {
        free(p->param[k]);
    }
    free(p->param);
    free(p->x);
    free(p->desc);
    free(p->value);
    memset(p, 0, sizeof *p);
}

int psa_metric(const struct psa *p, const char *name)
{
    for (int m = 0; m < p->n_metrics; m++) {
        if (strcmp(p->desc[m]->name, name) == 0) {
            return m;
        }
    }
    return -1;
}

bool psa_has_costs(const struct psa *p)
{
    return psa_metric(p, "cost_per_year") >= 0 && psa_metric(p, OUTCOME[0]) >= 0 &&
           psa_metric(p, OUTCOME[1]) >= 0;
}

/* Draw d's value of scenario s on m, or its difference from the reference. */
static double get(const struct psa *p, long d, int s, int m, bool diff)
{
    double v = *psa_at(p, d, s, m);
    return diff ? (s == 0 ? NAN : v - *psa_at(p, d, 0, m)) : v;
}

/* The defined values over the draws, sorted, into buf; returns how many. */
static size_t sorted(const struct psa *p, int s, int m, bool diff, double *buf)
{
    size_t n = 0;
    for (long d = 0; d < p->n_draws; d++) {
        double v = get(p, d, s, m, diff);
        if (!isnan(v)) {
            buf[n++] = v;
        }
    }
    gsl_sort(buf, 1, n);
    return n;
}

void psa_interval(const struct psa *p, int s, int m, bool diff, double *mean, double *lo,
                  double *hi)
{
    double *buf = xcalloc((size_t)p->n_draws + 1, sizeof *buf);
    size_t n = sorted(p, s, m, diff, buf);

    *mean = *lo = *hi = NAN;
    if (n > 0) {
        double sum = 0.0;
        for (long d = 0; d < p->n_draws; d++) { /* in draw order, as the draws were run */
            double v = get(p, d, s, m, diff);
            sum += isnan(v) ? 0.0 : v;
        }
        *mean = sum / (double)n;
        *lo = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.025);
        *hi = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.975);
    }
    free(buf);
}

double psa_p_better(const struct psa *p, int s, int m)
{
    enum metric_better b = p->desc[m]->better;
    long n = 0, better = 0;

    if (s == 0 || b == METRIC_NEITHER) {
        return NAN;
    }
    for (long d = 0; d < p->n_draws; d++) {
        double v = get(p, d, s, m, true);
        if (!isnan(v)) {
            n++;
            better += b == METRIC_LOWER_BETTER ? v < 0.0 : v > 0.0;
        }
    }
    return n > 0 ? (double)better / (double)n : NAN;
}

/* The share of draws in which scenario s has the largest score(d, k) of all scenarios (ties
 * shared); draws where any scenario's score is undefined do not count. */
static double p_top(const struct psa *p, int s,
                    double (*score)(const struct psa *, long, int, const void *), const void *ctx)
{
    double won = 0.0;
    long n = 0;

    for (long d = 0; d < p->n_draws; d++) {
        double top = -INFINITY;
        int ties = 0;
        bool ok = true;
        for (int k = 0; k < p->n_scen && ok; k++) {
            double v = score(p, d, k, ctx);
            ok = !isnan(v);
            if (v > top) {
                top = v;
                ties = 1;
            } else if (v == top) {
                ties++;
            }
        }
        if (!ok) {
            continue;
        }
        n++;
        if (score(p, d, s, ctx) == top) {
            won += 1.0 / (double)ties;
        }
    }
    return n > 0 ? won / (double)n : NAN;
}

static double score_metric(const struct psa *p, long d, int s, const void *ctx)
{
    int m = *(const int *)ctx;
    return (double)p->desc[m]->better * *psa_at(p, d, s, m); /* larger is better */
}

double psa_p_best(const struct psa *p, int s, int m)
{
    if (p->desc[m]->better == METRIC_NEITHER) {
        return NAN;
    }
    return p_top(p, s, score_metric, &m);
}

struct nb {
    int cost, outcome;
    double wtp;
};

static double score_nb(const struct psa *p, long d, int s, const void *ctx)
{
    const struct nb *nb = ctx;
    return -nb->wtp * *psa_at(p, d, s, nb->outcome) - *psa_at(p, d, s, nb->cost);
}

double psa_p_cost_effective(const struct psa *p, int s, int outcome, double wtp)
{
    struct nb nb = {.cost = psa_metric(p, "cost_per_year"), .outcome = outcome, .wtp = wtp};
    return nb.cost < 0 ? NAN : p_top(p, s, score_nb, &nb);
}

static double nice_up(double x)
{
    if (!(x > 0.0) || !isfinite(x)) {
        return 1.0;
    }
    double e = pow(10.0, floor(log10(x)));
    double f = x / e;
    return (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0) * e;
}

double psa_choose_wtp(const struct psa *p, int outcome)
{
    int c = psa_metric(p, "cost_per_year"), o = psa_metric(p, OUTCOME[outcome]);
    double lo, hi, cost, out, best = 0.0;

    if (c < 0 || o < 0) {
        return 1.0;
    }
    psa_interval(p, 0, c, false, &cost, &lo, &hi);
    psa_interval(p, 0, o, false, &out, &lo, &hi);
    if (out > 0.0 && cost > 0.0) {
        best = cost / out;
    }
    for (int s = 1; s < p->n_scen; s++) {
        double dc, dout;
        psa_interval(p, s, c, true, &dc, &lo, &hi);
        psa_interval(p, s, o, true, &dout, &lo, &hi);
        if (dout < 0.0 && dc > 0.0 && dc / -dout > best) {
            best = dc / -dout;
        }
    }
    return nice_up(2.0 * best);
}

double psa_rank_correlation(const struct psa *p, int k, int s, int m)
{
    double *a = xcalloc(2 * (size_t)p->n_draws + 1, sizeof *a), *b = a + p->n_draws;
    double *work = xcalloc(2 * (size_t)p->n_draws + 1, sizeof *work);
    size_t n = 0;
    bool diff = p->n_scen > 1;

    for (long d = 0; d < p->n_draws; d++) {
        double v = get(p, d, s, m, diff), x = p->x[(size_t)d * (size_t)p->n_params + (size_t)k];
        if (!isnan(v) && !isnan(x)) {
            a[n] = x;
            b[n] = v;
            n++;
        }
    }
    double r = n >= 3 ? gsl_stats_spearman(a, 1, b, 1, n, work) : NAN;
    free(a);
    free(work);
    return r;
}

/* ---- files --------------------------------------------------------------------------------- */

static int finish(FILE *f)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        return errno ? -errno : -EIO;
    }
    return 0;
}

static void describe(FILE *f, const struct metric_desc *d)
{
    csv_describe(f, d, true);
    fputc('\n', f);
}

int psa_write_csv(const char *path, const struct psa *p)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("draw,scenario,metric,value,difference," CSV_DESCRIBE_HEADER "\n", f);
    for (long d = 0; d < p->n_draws; d++) {
        for (int s = 0; s < p->n_scen; s++) {
            for (int m = 0; m < p->n_metrics; m++) {
                fprintf(f, "%ld,", d);
                csv_field(f, p->names[s]);
                fputc(',', f);
                csv_field(f, p->desc[m]->name);
                fputc(',', f);
                csv_number(f, get(p, d, s, m, false));
                fputc(',', f);
                csv_number(f, get(p, d, s, m, true));
                describe(f, p->desc[m]);
            }
        }
    }
    return finish(f);
}

int psa_write_parameters(const char *path, const struct psa *p)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("draw,parameter,value\n", f);
    for (long d = 0; d < p->n_draws; d++) {
        for (int k = 0; k < p->n_params; k++) {
            fprintf(f, "%ld,", d);
            csv_field(f, p->param[k]);
            fputc(',', f);
            csv_number(f, p->x[(size_t)d * (size_t)p->n_params + (size_t)k]);
            fputc('\n', f);
        }
    }
    return finish(f);
}

int psa_write_summary(const char *path, const struct psa *p)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("metric,scenario,mean,lower,upper,difference,difference_lower,difference_upper,"
          "probability_better,probability_best," CSV_DESCRIBE_HEADER "\n",
          f);
    for (int m = 0; m < p->n_metrics; m++) {
        for (int s = 0; s < p->n_scen; s++) {
            double v[6];
            psa_interval(p, s, m, false, &v[0], &v[1], &v[2]);
            psa_interval(p, s, m, true, &v[3], &v[4], &v[5]);
            csv_field(f, p->desc[m]->name);
            fputc(',', f);
            csv_field(f, p->names[s]);
            for (int i = 0; i < 6; i++) {
                fputc(',', f);
                csv_number(f, v[i]);
            }
            fputc(',', f);
            csv_number(f, psa_p_better(p, s, m));
            fputc(',', f);
            csv_number(f, psa_p_best(p, s, m));
            describe(f, p->desc[m]);
        }
    }
    return finish(f);
}

int psa_write_drivers(const char *path, const struct psa *p)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("metric,scenario,parameter,rank_correlation," CSV_DESCRIBE_HEADER "\n", f);
    for (int m = 0; m < p->n_metrics; m++) {
        if (!p->desc[m]->is_headline) {
            continue;
        }
        for (int s = p->n_scen > 1; s < p->n_scen; s++) {
            for (int k = 0; k < p->n_params; k++) {
                csv_field(f, p->desc[m]->name);
                fputc(',', f);
                csv_field(f, p->names[s]);
                fputc(',', f);
                csv_field(f, p->param[k]);
                fputc(',', f);
                csv_number(f, psa_rank_correlation(p, k, s, m));
                describe(f, p->desc[m]);
            }
        }
    }
    return finish(f);
}

int psa_write_ceac(const char *path, const struct psa *p, const char *currency)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    fputs("outcome,willingness_to_pay,scenario,probability_cost_effective,currency\n", f);
    for (int o = 0; o < 2; o++) {
        int m = psa_metric(p, OUTCOME[o]);
        double top = p->wtp_max[o] > 0 ? p->wtp_max[o] : psa_choose_wtp(p, o);
        for (int i = 0; m >= 0 && i < PSA_CEAC_POINTS; i++) {
            double wtp = top * (double)i / (double)(PSA_CEAC_POINTS - 1);
            for (int s = 0; s < p->n_scen; s++) {
                fprintf(f, "%s,", OUTCOME_WORD[o]);
                csv_number(f, wtp);
                fputc(',', f);
                csv_field(f, p->names[s]);
                fputc(',', f);
                csv_number(f, psa_p_cost_effective(p, s, m, wtp));
                fputc(',', f);
                csv_field(f, currency);
                fputc('\n', f);
            }
        }
    }
    return finish(f);
}

/* ---- for a terminal ------------------------------------------------------------------------ */

/* "37 fewer" or "12 more" or "no different" for a difference x of a count. */
static const char *words(double x, char *buf, size_t n)
{
    char a[32];
    if (isnan(x)) {
        snprintf(buf, n, "NA");
    } else if (x == 0.0) {
        snprintf(buf, n, "0");
    } else {
        snprintf(buf, n, "%s %s", csv_amount(fabs(x), a, sizeof a), x < 0 ? "lower" : "higher");
    }
    return buf;
}

void psa_print_summary(FILE *out, const struct psa *p)
{
    char w[3][64];

    for (int s = 1; s < p->n_scen; s++) {
        fprintf(out, "%s against %s, over %ld parameter draws (95%% uncertainty intervals):\n",
                p->names[s], p->names[0], p->n_draws);
        for (int m = 0; m < p->n_metrics; m++) {
            const struct metric_desc *d = p->desc[m];
            double mean, lo, hi;
            psa_interval(p, s, m, true, &mean, &lo, &hi);
            if (isnan(mean)) {
                continue;
            }
            fprintf(out, "  %s: %s (%s to %s)", d->label ? d->label : d->name,
                    words(mean, w[0], sizeof w[0]), words(lo, w[1], sizeof w[1]),
                    words(hi, w[2], sizeof w[2]));
            double pb = psa_p_better(p, s, m);
            if (!isnan(pb)) {
                fprintf(out, ", better in %.0f%% of draws", 100.0 * pb);
            }
            fputc('\n', out);
        }
    }
    if (p->n_scen == 1) {
        fprintf(out, "%s over %ld parameter draws (95%% uncertainty intervals):\n", p->names[0],
                p->n_draws);
        for (int m = 0; m < p->n_metrics; m++) {
            const struct metric_desc *d = p->desc[m];
            double mean, lo, hi;
            char a[3][32];
            psa_interval(p, 0, m, false, &mean, &lo, &hi);
            fprintf(out, "  %s: %s (%s to %s)\n", d->label ? d->label : d->name,
                    csv_amount(mean, a[0], sizeof a[0]), csv_amount(lo, a[1], sizeof a[1]),
                    csv_amount(hi, a[2], sizeof a[2]));
        }
    }
}
