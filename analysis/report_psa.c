#include "analysis/report_psa.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

#include "analysis/csv.h"
#include "analysis/report_bid.h"
#include "sim/xalloc.h"

#define MAX_SCEN    16
#define TOP_DRIVERS 5 /* parameters named for each difference in the table */

/* The counts a year the sentences speak of first, with their words. */
static const struct {
    const char *metric, *many;
} counts[] = {
    {"admissions_per_year", "admissions"},
    {"bed_days_per_year", "bed-days"},
};

static double cell(const struct table *t, int r, const char *col)
{
    int c = table_col(t, col);
    return r < 0 || c < 0 ? NAN : table_num(t, r, c);
}

static const char *text(const struct table *t, int r, const char *col)
{
    int c = table_col(t, col);
    return r < 0 || c < 0 ? "" : table_at(t, r, c);
}

/* The row of (metric, scenario) in t, or -1. */
static int row_of(const struct table *t, const char *metric, const char *scenario)
{
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario");
    for (int r = 0; cm >= 0 && cs >= 0 && r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, cm), metric) == 0 && strcmp(table_at(t, r, cs), scenario) == 0) {
            return r;
        }
    }
    return -1;
}

/* The distinct values of column col in order of first appearance, at most max. */
static int distinct(const struct table *t, const char *col, const char **out, int max)
{
    int c = table_col(t, col), n = 0;
    for (int r = 0; c >= 0 && r < t->n_rows && n < max; r++) {
        const char *s = table_at(t, r, c);
        bool seen = false;
        for (int k = 0; k < n && !seen; k++) {
            seen = strcmp(out[k], s) == 0;
        }
        if (!seen) {
            out[n++] = s;
        }
    }
    return n;
}

long report_psa_draws(const struct report_psa *p)
{
    if (!p->parameters || table_col(p->parameters, "draw") < 0) {
        return p->draws;
    }
    /* Draws are numbered from 0: their number is the largest plus one. */
    double top = -1;
    int c = table_col(p->parameters, "draw");
    for (int r = 0; r < p->parameters->n_rows; r++) {
        double d = table_num(p->parameters, r, c);
        top = d > top ? d : top;
    }
    return top >= 0 ? (long)top + 1 : p->draws;
}

/* "97%": a share of draws in whole percent, never rounded to 0% or 100% when it is not. */
static void share(FILE *f, double x)
{
    if (isnan(x)) {
        fputs("NA", f);
    } else if (x > 0 && x < 0.005) {
        fputs("under 1%", f);
    } else if (x < 1 && x > 0.995) {
        fputs("over 99%", f);
    } else {
        fprintf(f, "%.0f%%", 100 * x);
    }
}

static const char *amount(double x, char *buf, size_t n)
{
    return csv_amount(x, buf, n);
}

/* A difference and its 95% uncertainty interval in words, with the words for each sign:
 * "46 fewer admissions a year than baseline (95% uncertainty interval 15 to 92 fewer)", or
 * "(95% uncertainty interval 12 fewer to 5 more)" when it includes 0. what and than may be "";
 * pre goes before each amount ("GBP "). */
static void difference(FILE *f, double d, double lo, double hi, const char *fewer, const char *more,
                       const char *what, const char *than, const char *pre)
{
    char a[3][48];
    const char *sep = what[0] ? " " : "";
    if (isnan(d)) {
        fputs("NA", f);
        return;
    }
    if (d == 0 && lo == 0 && hi == 0) {
        fprintf(f, "no difference%s%s in any draw", what[0] ? " in " : "", what);
        return;
    }
    fprintf(f, "%s%s %s%s%s%s", pre, amount(fabs(d), a[0], sizeof a[0]), d < 0 ? fewer : more, sep,
            what, than);
    if (isnan(lo) || isnan(hi)) {
        return;
    }
    if (lo == d && hi == d) { /* the same in every draw: no interval to give */
        fputs(" in every draw", f);
        return;
    }
    fputs(" (95% uncertainty interval ", f);
    if (hi < 0) {
        fprintf(f, "%s%s to %s %s)", pre, amount(-hi, a[1], sizeof a[1]),
                amount(-lo, a[2], sizeof a[2]), fewer);
    } else if (lo > 0) {
        fprintf(f, "%s%s to %s %s)", pre, amount(lo, a[1], sizeof a[1]),
                amount(hi, a[2], sizeof a[2]), more);
    } else {
        fprintf(f, "%s%s %s to %s %s)", pre, amount(-lo, a[1], sizeof a[1]), fewer,
                amount(hi, a[2], sizeof a[2]), more);
    }
}

/* The currency of a cost unit ("GBP a year, 2023 prices" or "GBP, 2023 prices": "GBP") and its
 * prices ("2023 prices", or ""). */
static void currency_of(const char *unit, char *cur, size_t cn, char *prices, size_t pn)
{
    size_t len = strcspn(unit, " ,");
    snprintf(cur, cn, "%.*s", (int)len, unit);
    const char *comma = strstr(unit, ", ");
    snprintf(prices, pn, "%s", comma ? comma + 2 : "");
}

static void scenario_name(FILE *f, const char *s)
{
    fputs("<strong>", f);
    report_html(f, s);
    fputs("</strong>", f);
}

/* The sentences of one scenario against the reference: the counts a year, the cost, then each
 * headline metric. */
static void scenario_sentences(FILE *f, const struct report_psa *p, const char *ref,
                               const char *scen, int ns, long draws)
{
    const struct table *t = p->summary;
    bool first = true;
    fputs("<p>", f);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        int r = row_of(t, counts[i].metric, scen);
        if (r < 0 || isnan(cell(t, r, "difference"))) {
            continue;
        }
        char than[300];
        snprintf(than, sizeof than, " a year than %s", ref);
        if (first) {
            fprintf(f, "Over %ld parameter draws, ", draws);
            scenario_name(f, scen);
            fputs(" had ", f);
        } else {
            fputs(" It had ", f);
        }
        difference(f, cell(t, r, "difference"), cell(t, r, "difference_lower"),
                   cell(t, r, "difference_upper"), "fewer", "more", counts[i].many,
                   first ? than : " a year", "");
        fputs("; it was better in ", f);
        share(f, cell(t, r, "probability_better"));
        fputs(" of draws.", f);
        first = false;
    }
    int rc = row_of(t, "cost_per_year", scen);
    if (rc >= 0 && !isnan(cell(t, rc, "difference"))) {
        char cur[64], prices[128], pre[80];
        currency_of(text(t, rc, "unit"), cur, sizeof cur, prices, sizeof prices);
        snprintf(pre, sizeof pre, "%s ", cur);
        if (first) {
            fprintf(f, "Over %ld parameter draws, ", draws);
            scenario_name(f, scen);
        } else {
            fputs(" It", f);
        }
        fputs(" cost ", f);
        char than[300];
        snprintf(than, sizeof than, " a year%s%s", first ? " than " : "", first ? ref : "");
        difference(f, cell(t, rc, "difference"), cell(t, rc, "difference_lower"),
                   cell(t, rc, "difference_upper"), "less", "more", "", than, pre);
        if (prices[0]) {
            fputs(" at ", f);
            report_html(f, prices);
        }
        fputs("; it cost less in ", f);
        share(f, cell(t, rc, "probability_better"));
        fputs(" of draws.", f);
        first = false;
    }
    fputs("</p>\n<ul>\n", f);
    const char *heads[64];
    int nh = table_headlines(t, table_col(t, "metric"), heads, 64);
    for (int h = 0; h < nh; h++) {
        int r = row_of(t, heads[h], scen);
        if (r < 0 || isnan(cell(t, r, "difference"))) {
            continue;
        }
        char than[300];
        snprintf(than, sizeof than, " than %s", ref);
        fputs("<li>", f);
        report_html(f, text(t, r, "label")[0] ? text(t, r, "label") : heads[h]);
        fputs(": ", f);
        difference(f, cell(t, r, "difference"), cell(t, r, "difference_lower"),
                   cell(t, r, "difference_upper"), "lower", "higher", "", than, "");
        double pb = cell(t, r, "probability_better");
        if (!isnan(pb)) {
            fputs("; better in ", f);
            share(f, pb);
            fputs(" of draws", f);
        }
        if (ns > 2 && !isnan(cell(t, r, "probability_best"))) {
            fprintf(f, ", the best of the %d scenarios in ", ns);
            share(f, cell(t, r, "probability_best"));
        }
        fputs(".</li>\n", f);
    }
    fputs("</ul>\n", f);
}

/* "615 (337 to 1,007)" as a table cell. */
static void value_cell(FILE *f, double v, double lo, double hi)
{
    char a[3][48];
    fputs("<td class=\"n\">", f);
    if (!isnan(v)) {
        fputs(amount(v, a[0], sizeof a[0]), f);
        if (!isnan(lo) && !isnan(hi)) {
            fprintf(f, " (%s to %s)", amount(lo, a[1], sizeof a[1]), amount(hi, a[2], sizeof a[2]));
        }
    }
    fputs("</td>", f);
}

/* The table of every headline metric and count a year of psa_summary.csv, per scenario. */
static void summary_table(FILE *f, const struct table *t, const char *ref)
{
    fputs("<table><tr><th>outcome</th><th>unit</th><th>scenario</th><th>mean over the draws "
          "(95% uncertainty interval)</th><th>difference from ",
          f);
    report_html(f, ref);
    fputs(" (95% uncertainty interval)</th><th>better than the reference in</th><th>best in"
          "</th></tr>\n",
          f);
    for (int r = 0; r < t->n_rows; r++) {
        const char *m = text(t, r, "metric");
        bool shown = strcmp(text(t, r, "headline"), "1") == 0 || table_col(t, "headline") < 0 ||
                     strcmp(m, "cost_per_year") == 0;
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
            shown |= strcmp(m, counts[i].metric) == 0;
        }
        if (!shown) {
            continue;
        }
        fputs("<tr><td>", f);
        report_html(f, text(t, r, "label")[0] ? text(t, r, "label") : m);
        fputs("</td><td>", f);
        report_html(f, text(t, r, "unit"));
        fputs("</td><td>", f);
        report_html(f, text(t, r, "scenario"));
        fputs("</td>", f);
        value_cell(f, cell(t, r, "mean"), cell(t, r, "lower"), cell(t, r, "upper"));
        value_cell(f, cell(t, r, "difference"), cell(t, r, "difference_lower"),
                   cell(t, r, "difference_upper"));
        fputs("<td class=\"n\">", f);
        if (!isnan(cell(t, r, "probability_better"))) {
            share(f, cell(t, r, "probability_better"));
        }
        fputs("</td><td class=\"n\">", f);
        if (!isnan(cell(t, r, "probability_best"))) {
            share(f, cell(t, r, "probability_best"));
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* What was drawn: each parameter's median and 2.5% and 97.5% points over its draws. */
static void drawn_table(FILE *f, const struct report_psa *p, long draws)
{
    const struct table *t = p->parameters;
    const char **names = xcalloc((size_t)t->n_rows + 1, sizeof *names);
    double *v = xcalloc((size_t)t->n_rows + 1, sizeof *v);
    int np = distinct(t, "parameter", names, t->n_rows);
    fprintf(f,
            "<p>%d parameter%s %s drawn afresh in each of the %ld draws, each from the "
            "distribution its scenario or default declares (fitted to the published interval "
            "where the evidence gives one; see the resolved scenarios and docs/psa.md). The "
            "table gives the middle of each parameter's draws and the 2.5%% and 97.5%% points "
            "between which 95%% of them fell.</p>\n<table><tr><th>parameter</th><th>median</th>"
            "<th>2.5%%</th><th>97.5%%</th><th>draws</th></tr>\n",
            np, np == 1 ? "" : "s", np == 1 ? "was" : "were", draws);
    int cp = table_col(t, "parameter"), cv = table_col(t, "value");
    for (int k = 0; k < np; k++) {
        int n = 0;
        for (int r = 0; r < t->n_rows; r++) {
            double x = table_num(t, r, cv);
            if (strcmp(table_at(t, r, cp), names[k]) == 0 && !isnan(x)) {
                v[n++] = x;
            }
        }
        qsort(v, (size_t)n, sizeof *v, by_value);
        fputs("<tr><td>", f);
        if (p->key) {
            p->key(f, p->ctx, names[k]);
        } else {
            fputs("<code>", f);
            report_html(f, names[k]);
            fputs("</code>", f);
        }
        fputs("</td>", f);
        for (int q = 0; q < 3; q++) {
            static const double at[] = {0.5, 0.025, 0.975};
            fprintf(f, "<td class=\"n\">%.4g</td>",
                    n > 0 ? gsl_stats_quantile_from_sorted_data(v, 1, (size_t)n, at[q]) : NAN);
        }
        fprintf(f, "<td class=\"n\">%d</td></tr>\n", n);
    }
    fputs("</table>\n", f);
    free(names);
    free(v);
}

/* The first willingness to pay of the curve (outcome, scenario) at which the probability is at
 * least level; NaN when none is. *top gets the curve's highest probability, *wmax its last
 * willingness to pay, *step the grid's first step. */
static double reaches(const struct table *t, const char *outcome, const char *scen, double level,
                      double *top, double *wmax, double *step)
{
    double first = NAN, w0 = NAN;
    *top = 0;
    *wmax = 0;
    *step = NAN;
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(text(t, r, "outcome"), outcome) != 0 ||
            strcmp(text(t, r, "scenario"), scen) != 0) {
            continue;
        }
        double w = cell(t, r, "willingness_to_pay"), pr = cell(t, r, "probability_cost_effective");
        if (isnan(w0)) {
            w0 = w;
        } else if (isnan(*step) && w != w0) {
            *step = w - w0;
        }
        *wmax = fmax(*wmax, w);
        *top = fmax(*top, isnan(pr) ? 0 : pr);
        if (isnan(first) && pr >= level) {
            first = w;
        }
    }
    return first;
}

static const char *one_of(const char *outcome)
{
    return strcmp(outcome, "admissions") == 0 ? "admission"
           : strcmp(outcome, "bed_days") == 0 ? "bed-day"
                                              : outcome;
}

/* The probability at willingness to pay 0 of (outcome, scenario): the share of draws in which
 * it costs least. NaN when the grid does not start at 0. */
static double at_zero(const struct table *t, const char *outcome, const char *scen)
{
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(text(t, r, "outcome"), outcome) == 0 &&
            strcmp(text(t, r, "scenario"), scen) == 0 && cell(t, r, "willingness_to_pay") == 0) {
            return cell(t, r, "probability_cost_effective");
        }
    }
    return NAN;
}

/* The acceptability sentences: for each outcome and scenario but the reference, the share at 0
 * and the willingness to pay at which the probability first reaches 50% and 95%. */
static void ceac_sentences(FILE *f, const struct table *t, const char *const *scen, int ns)
{
    const char *outcomes[8];
    int no = distinct(t, "outcome", outcomes, 8);
    char cur[64] = "", prices[128] = "";
    if (t->n_rows > 0) {
        currency_of(text(t, 0, "currency"), cur, sizeof cur, prices, sizeof prices);
    }
    fputs("<p>A scenario is cost-effective at a willingness to pay W (in ", f);
    report_html(f, cur);
    fputs(" per admission or bed-day averted", f);
    if (prices[0]) {
        fputs(", at ", f);
        report_html(f, prices);
    }
    fputs(") when its net benefit, minus W times the outcome a year minus the cost a year, is the "
          "greatest of the scenarios; the acceptability curve gives the share of draws in which it "
          "is.</p>\n<ul>\n",
          f);
    for (int o = 0; o < no; o++) {
        for (int k = 1; k < ns; k++) {
            double top, wmax, step, w50, w95;
            char a[3][48];
            w50 = reaches(t, outcomes[o], scen[k], 0.5, &top, &wmax, &step);
            w95 = reaches(t, outcomes[o], scen[k], 0.95, &top, &wmax, &step);
            fprintf(f, "<li>Per %s averted: ", one_of(outcomes[o]));
            scenario_name(f, scen[k]);
            double z = at_zero(t, outcomes[o], scen[k]);
            if (!isnan(z)) {
                fputs(" costs least in ", f);
                share(f, z);
                fputs(" of draws (a willingness to pay of 0)", f);
            } else {
                fputs(" has its curve", f);
            }
            for (int lv = 0; lv < 2; lv++) {
                double w = lv == 0 ? w50 : w95;
                const char *pct = lv == 0 ? "50%" : "95%";
                fputs(lv == 0 ? "; its probability of being cost-effective " : "; it ", f);
                if (isnan(w)) {
                    fprintf(f, "does not reach %s up to ", pct);
                    report_html(f, cur);
                    fprintf(f, " %s per %s averted (at most ", amount(wmax, a[0], sizeof a[0]),
                            one_of(outcomes[o]));
                    share(f, top);
                    fputc(')', f);
                } else if (w == 0) {
                    fprintf(f, "is at or above %s from 0", pct);
                } else {
                    fprintf(f, "first reaches %s at ", pct);
                    report_html(f, cur);
                    fprintf(f, " %s per %s averted", amount(w, a[0], sizeof a[0]),
                            one_of(outcomes[o]));
                }
            }
            if (!isnan(step) && step > 0) {
                fputs(", on a grid in steps of ", f);
                report_html(f, cur);
                fprintf(f, " %s", amount(step, a[1], sizeof a[1]));
            }
            fputs(".</li>\n", f);
        }
    }
    fputs("</ul>\n", f);
}

struct driver {
    int row;
    double weight;
};

static int by_weight(const void *a, const void *b)
{
    const struct driver *x = a, *y = b;
    if (x->weight != y->weight) {
        return (x->weight < y->weight) - (x->weight > y->weight); /* largest first */
    }
    return (x->row > y->row) - (x->row < y->row);
}

/* The drivers: for each scenario but the reference and each headline metric, the parameters of
 * largest absolute rank correlation with the difference. */
static void drivers_table(FILE *f, const struct report_psa *p, const char *ref)
{
    const struct table *t = p->drivers;
    const char *scen[MAX_SCEN], *heads[64];
    int ns = distinct(t, "scenario", scen, MAX_SCEN),
        nh = table_headlines(t, table_col(t, "metric"), heads, 64);
    struct driver *d = xcalloc((size_t)t->n_rows + 1, sizeof *d);
    int cp = table_col(t, "parameter");
    bool alone = ns == 1 && strcmp(scen[0], ref) == 0; /* one scenario: its values */
    fputs(alone ? "<p>How much each parameter's draws go with each outcome of "
                : "<p>How much each parameter's draws go with each difference from ",
          f);
    report_html(f, ref);
    fputs(alone ? ": the Spearman rank correlation across the draws (+1: the larger the "
                  "parameter, the larger the outcome, in every draw; -1: the smaller; near 0: no "
                  "steady link)."
                : ": the Spearman rank correlation across the draws (+1: the larger the "
                  "parameter, the larger the difference, scenario minus reference, in every draw; "
                  "-1: the smaller; near 0: no steady link).",
          f);
    fputs(" The parameters with the largest correlations are those whose better evidence would "
          "narrow the answer most.",
          f);
    /* Spearman's r of n independent draws with no link is about normal with sd 1/sqrt(n - 1). */
    long nd = report_psa_draws(p);
    double chance = nd > 2 ? 1.959964 / sqrt((double)(nd - 1)) : 1.0;
    fprintf(f,
            " With %ld draws, a correlation between %.2f and %.2f is what chance alone gives "
            "when a parameter has no link with the difference (the 95%% limits, 1.96 / "
            "&radic;(draws &minus; 1)); the simulation's own noise within a draw can hide a "
            "parameter's effect, and more replications a draw (-r) reduce it.</p>\n",
            nd, -chance, chance);
    for (int pass = 0; pass < 2; pass++) { /* the first difference in a sentence, then all */
        bool said = false;
        if (pass == 1) {
            fputs("<table><tr><th>outcome</th><th>scenario</th><th>parameters, largest rank "
                  "correlation first</th></tr>\n",
                  f);
        }
        for (int k = 0; k < ns && !(pass == 0 && said); k++) {
            for (int h = 0; h < nh && !(pass == 0 && said); h++) {
                int n = 0;
                for (int r = 0; r < t->n_rows; r++) {
                    double rho = cell(t, r, "rank_correlation");
                    if (strcmp(text(t, r, "scenario"), scen[k]) == 0 &&
                        strcmp(text(t, r, "metric"), heads[h]) == 0 && !isnan(rho)) {
                        d[n++] = (struct driver){r, fabs(rho)};
                    }
                }
                if (n == 0) {
                    continue;
                }
                qsort(d, (size_t)n, sizeof *d, by_weight);
                const char *what =
                    text(t, d[0].row, "label")[0] ? text(t, d[0].row, "label") : heads[h];
                if (pass == 0 && d[0].weight < chance) {
                    fputs("<p>For ", f);
                    scenario_name(f, scen[k]);
                    fputs(alone ? "'s " : "'s difference in ", f);
                    report_html(f, what);
                    fputs(", no parameter's draws go with it beyond chance: the largest rank "
                          "correlation, <code>",
                          f);
                    report_html(f, table_at(t, d[0].row, cp));
                    fprintf(f, "</code>'s %.2f, is within &plusmn;%.2f.</p>\n",
                            cell(t, d[0].row, "rank_correlation"), chance);
                    said = true;
                    continue;
                }
                if (pass == 0) {
                    fputs("<p>For ", f);
                    scenario_name(f, scen[k]);
                    fputs(alone ? "'s " : "'s difference in ", f);
                    report_html(f, what);
                    fputs(", the parameter that matters most is <code>", f);
                    report_html(f, table_at(t, d[0].row, cp));
                    fprintf(f, "</code> (rank correlation %.2f)",
                            cell(t, d[0].row, "rank_correlation"));
                    if (n > 1) {
                        fputs(", then <code>", f);
                        report_html(f, table_at(t, d[1].row, cp));
                        fprintf(f, "</code> (%.2f)", cell(t, d[1].row, "rank_correlation"));
                    }
                    fputs(".</p>\n", f);
                    said = true;
                    continue;
                }
                fputs("<tr><td>", f);
                report_html(f, what);
                fputs("</td><td>", f);
                report_html(f, scen[k]);
                fputs("</td><td>", f);
                for (int i = 0; i < n && i < TOP_DRIVERS; i++) {
                    fputs(i ? "; <code>" : "<code>", f);
                    report_html(f, table_at(t, d[i].row, cp));
                    fprintf(f, "</code> %.2f", cell(t, d[i].row, "rank_correlation"));
                }
                fputs("</td></tr>\n", f);
            }
        }
    }
    fputs("</table>\n<p class=\"note\">Every parameter of every difference is in "
          "psa_drivers.csv.</p>\n",
          f);
    free(d);
}

/* The number of distinct parameters of psa_parameters.csv (0 without it). */
static int n_parameters(const struct report_psa *p)
{
    if (!p->parameters) {
        return 0;
    }
    const char **all = xcalloc((size_t)p->parameters->n_rows + 1, sizeof *all);
    int n = distinct(p->parameters, "parameter", all, p->parameters->n_rows);
    free(all);
    return n;
}

void report_psa_caveat(const struct report_psa *p, char *buf, size_t n)
{
    int np = n_parameters(p);
    snprintf(buf, n,
             "The uncertainty intervals under Parameter uncertainty include the uncertainty of "
             "the %d parameter%s drawn from %s distribution%s, over %ld draws, as well as the "
             "simulation's own chance; the parameters not drawn are taken as known.",
             np, np == 1 ? "" : "s", np == 1 ? "its" : "their", np == 1 ? "" : "s",
             report_psa_draws(p));
}

void report_psa_section(FILE *f, const struct report_psa *p)
{
    const struct table *t = p->summary;
    const char *scen[MAX_SCEN];
    int ns = distinct(t, "scenario", scen, MAX_SCEN);
    long draws = report_psa_draws(p);
    if (ns == 0) {
        return;
    }
    fputs("<h2>Parameter uncertainty</h2>\n<p>", f);
    if (ns == 1) {
        fprintf(f,
                "The scenario was run over %ld parameter draws: in each draw every uncertain "
                "parameter took a value from its distribution",
                draws);
    } else {
        fprintf(f,
                "The comparison was repeated over %ld parameter draws: in each draw every "
                "uncertain parameter took a value from its distribution, and every scenario "
                "was run with those values on the same clients and random numbers",
                draws);
    }
    if (p->replications > 0) {
        fprintf(f, " (%ld replication%s a draw)", p->replications, p->replications == 1 ? "" : "s");
    }
    fputs(". A 95% uncertainty interval is the 2.5% to 97.5% points over the draws, so it "
          "includes the uncertainty of the parameters as well as the simulation's own chance. ",
          f);
    if (ns > 1) {
        scenario_name(f, scen[0]);
        fputs(" is the reference.", f);
    }
    fputs("</p>\n", f);
    if (p->parameters && p->parameters->n_rows > 0) {
        fputs("<h3>What was drawn</h3>\n", f);
        drawn_table(f, p, draws);
    }
    fputs(ns > 1 ? "<h3>Differences from the reference</h3>\n" : "<h3>Outcomes</h3>\n", f);
    for (int k = 1; k < ns; k++) {
        scenario_sentences(f, p, scen[0], scen[k], ns, draws);
    }
    summary_table(f, t, scen[0]);
    if (p->figure) {
        p->figure(f, p->ctx, "psa_intervals",
                  "Each headline outcome's difference from the reference over the parameter "
                  "draws: mean and 95% uncertainty interval, with the share of draws in which "
                  "it is better");
    }
    if (p->ceac && p->ceac->n_rows > 0) {
        fputs("<h3>Cost-effectiveness</h3>\n", f);
        ceac_sentences(f, p->ceac, scen, ns);
        if (p->figure) {
            p->figure(f, p->ctx, "psa_plane",
                      "Cost-effectiveness plane: each parameter draw's admissions averted a year "
                      "and change in cost a year against the reference, the mean marked");
            p->figure(f, p->ctx, "psa_ceac",
                      "Cost-effectiveness acceptability curves: the share of draws in which each "
                      "scenario has the greatest net benefit, against the willingness to pay per "
                      "admission and per bed-day averted");
        }
    } else {
        fputs("<p class=\"note\">The scenarios give no costs (the costs keys), so there is no "
              "cost-effectiveness plane or acceptability curve.</p>\n",
              f);
        if (p->figure) {
            p->figure(f, p->ctx, "psa_plane",
                      "Each parameter draw's differences from the reference in the first two "
                      "headline outcomes, the mean marked");
        }
    }
    if (p->drivers && p->drivers->n_rows > 0) {
        fputs("<h3>What drives the uncertainty</h3>\n", f);
        drivers_table(f, p, scen[0]);
        if (p->figure) {
            p->figure(f, p->ctx, "psa_drivers",
                      "The parameters whose draws go with each headline difference most: "
                      "Spearman rank correlation across the draws, the ten largest");
        }
    }
    fputs("<p class=\"note\">Every draw of every metric is in psa.csv, the drawn values in "
          "psa_parameters.csv and these summaries in psa_summary.csv.</p>\n",
          f);
}
