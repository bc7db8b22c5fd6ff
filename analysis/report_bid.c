#include "analysis/report_bid.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis/csv.h"

/* The counts a planner uses, in the order the report gives them, with their words. */
static const struct {
    const char *metric, *per_100k, *many;
} counts[] = {
    {"referrals_per_year", "referrals_per_100k", "referrals"},
    {"crises_per_year", "crises_per_100k", "crises"},
    {"ed_visits_per_year", "ed_visits_per_100k", "ED visits"},
    {"admissions_per_year", "admissions_per_100k", "admissions"},
    {"bed_days_per_year", "bed_days_per_100k", "bed-days"},
    {"out_of_area_placements_per_year", NULL, "out-of-area placements"},
    {"crisis_team_diversions_per_year", NULL, "admissions diverted to home treatment"},
    {"unmet_need_days_per_year", NULL, "unmet need-days"},
};
enum { N_COUNTS = sizeof counts / sizeof counts[0] };

/* The four counts the summary speaks of. */
static const int summary_counts[] = {3, 4, 2, 1};

static const char *const cost_metrics[] = {
    "cost_posts_per_year", "cost_beds_per_year",        "cost_out_of_area_per_year",
    "cost_ed_per_year",    "cost_crisis_team_per_year", "cost_per_year",
};
enum { N_COST_METRICS = sizeof cost_metrics / sizeof cost_metrics[0] };

/* The row of metric (for scenario, in a comparison; NULL: the reference) or -1. */
static int find(const struct report_bid *b, const char *metric, const char *scenario)
{
    const struct table *t = b->t;
    int cm = table_col(t, "metric"), cs = b->is_compare ? table_col(t, "scenario") : -1;
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, cm), metric) != 0) {
            continue;
        }
        if (cs < 0 || !scenario || strcmp(table_at(t, r, cs), scenario) == 0) {
            return r;
        }
    }
    return -1;
}

static double num(const struct report_bid *b, int r, const char *col)
{
    int c = table_col(b->t, col);
    return r < 0 || c < 0 ? NAN : table_num(b->t, r, c);
}

/* The scenarios of a comparison in order, the reference first; at most max. */
static int scenarios(const struct report_bid *b, const char **out, int max)
{
    if (!b->is_compare) {
        return 0;
    }
    int cs = table_col(b->t, "scenario"), n = 0;
    for (int r = 0; r < b->t->n_rows && n < max; r++) {
        const char *s = table_at(b->t, r, cs);
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

/* "619 (598 to 641)". */
static void value_ci(FILE *f, double mean, double lo, double hi)
{
    char a[3][48];
    if (lo == hi && mean == lo) { /* no variation: an interval of one point says nothing */
        fprintf(f, "%s (every replication)", csv_amount(mean, a[0], sizeof a[0]));
        return;
    }
    fprintf(f, "%s (%s to %s)", csv_amount(mean, a[0], sizeof a[0]),
            csv_amount(lo, a[1], sizeof a[1]), csv_amount(hi, a[2], sizeof a[2]));
}

/* A paired difference in words, of what (NULL: nothing named) and after (" a year" or ""):
 * "37 fewer admissions a year (31 to 43)", "37 more ...", or "no clear difference in admissions
 * a year (-3 to 7)" when its interval includes 0. fewer and more are the words for each sign. */
static void difference(FILE *f, double d, double lo, double hi, const char *fewer, const char *more,
                       const char *what, const char *after)
{
    char a[3][48];
    const char *sep = what ? " " : "";
    what = what ? what : "";
    if (isnan(d)) {
        fputs("NA", f);
    } else if (d == 0 && lo == 0 && hi == 0) {
        fprintf(f, "no difference%s%s%s%s in any replication", what[0] ? " in" : "", sep, what,
                after);
    } else if (lo == hi && d == lo) {
        fprintf(f, "%s %s%s%s%s in every replication", csv_amount(fabs(d), a[0], sizeof a[0]),
                d < 0 ? fewer : more, sep, what, after);
    } else if (!(lo > 0 || hi < 0)) {
        fprintf(f, "no clear difference%s%s%s%s (%s to %s)", what[0] ? " in" : "", sep, what, after,
                csv_amount(lo, a[1], sizeof a[1]), csv_amount(hi, a[2], sizeof a[2]));
    } else if (d < 0) {
        fprintf(f, "%s %s%s%s%s (%s to %s)", csv_amount(-d, a[0], sizeof a[0]), fewer, sep, what,
                after, csv_amount(-hi, a[1], sizeof a[1]), csv_amount(-lo, a[2], sizeof a[2]));
    } else {
        fprintf(f, "%s %s%s%s%s (%s to %s)", csv_amount(d, a[0], sizeof a[0]), more, sep, what,
                after, csv_amount(lo, a[1], sizeof a[1]), csv_amount(hi, a[2], sizeof a[2]));
    }
}

/* The unit of the cost metrics ("GBP a year, 2023 prices") and its currency ("GBP"), or false
 * when the folder has no costs. */
static bool cost_unit(const struct report_bid *b, char *unit, size_t un, char *cur, size_t cn)
{
    int r = find(b, "cost_per_year", NULL), cu = table_col(b->t, "unit");
    if (r < 0 || cu < 0 || isnan(num(b, r, "mean"))) {
        return false;
    }
    const char *u = table_at(b->t, r, cu), *y = strstr(u, " a year");
    snprintf(unit, un, "%s", u);
    snprintf(cur, cn, "%.*s", y ? (int)(y - u) : 0, u);
    return true;
}

/* The cost-effect row of scenario and outcome in b->ce, or -1. */
static int find_ce(const struct report_bid *b, const char *scenario, const char *outcome)
{
    if (!b->ce) {
        return -1;
    }
    int cs = table_col(b->ce, "scenario"), co = table_col(b->ce, "outcome");
    for (int r = 0; cs >= 0 && co >= 0 && r < b->ce->n_rows; r++) {
        if (strcmp(table_at(b->ce, r, cs), scenario) == 0 &&
            strcmp(table_at(b->ce, r, co), outcome) == 0) {
            return r;
        }
    }
    return -1;
}

static double ce_num(const struct report_bid *b, int r, const char *col)
{
    int c = table_col(b->ce, col);
    return r < 0 || c < 0 ? NAN : table_num(b->ce, r, c);
}

/* "GBP 15,677 saved per admission averted (6,756 to 22,797)" or the row's note. */
static void cost_per_averted(FILE *f, const struct report_bid *b, int r, const char *cur,
                             const char *one)
{
    char a[3][48];
    double v = ce_num(b, r, "cost_per_averted"), lo = ce_num(b, r, "ci_low"),
           hi = ce_num(b, r, "ci_high");
    if (isnan(v) || isnan(lo) || isnan(hi)) {
        int cn = table_col(b->ce, "note");
        fprintf(f, "no cost per %s averted: ", one);
        report_html(f, cn >= 0 ? table_at(b->ce, r, cn) : "");
        return;
    }
    bool saves = v < 0;
    fprintf(f, "%s %s %s per %s averted (%s to %s)", cur, csv_amount(fabs(v), a[0], sizeof a[0]),
            saves ? "saved" : "spent", one, csv_amount(saves ? -hi : lo, a[1], sizeof a[1]),
            csv_amount(saves ? -lo : hi, a[2], sizeof a[2]));
}

void report_bid_summary(FILE *f, const struct report_bid *b)
{
    const char *sc[16];
    int ns = scenarios(b, sc, 16);
    char unit[128], cur[32];
    bool costs = cost_unit(b, unit, sizeof unit, cur, sizeof cur);

    fputs("<h2>Summary</h2>\n<p>", f);
    if (b->is_compare && ns >= 2) {
        fputs("This report compares ", f);
        for (int k = 1; k < ns; k++) {
            fputs(k == 1 ? "" : k + 1 == ns ? " and " : ", ", f);
            fputs("<strong>", f);
            report_html(f, sc[k]);
            fputs("</strong>", f);
        }
        fputs(" with <strong>", f);
        report_html(f, sc[0]);
        fputs("</strong>, the reference, on the same simulated clients", f);
        if (b->replications > 0) {
            fprintf(f, " (%ld replications)", b->replications);
        }
        fputs("; every range is a 95% interval of the paired differences.", f);
        for (int k = 1; k < ns; k++) {
            fputs(" Against ", f);
            report_html(f, sc[0]);
            fputs(", ", f);
            report_html(f, sc[k]);
            fputs(" has", f);
            for (size_t i = 0; i < sizeof summary_counts / sizeof summary_counts[0]; i++) {
                int c = summary_counts[i], r = find(b, counts[c].metric, sc[k]);
                fputs(i == 0                                                      ? " "
                      : i + 1 == sizeof summary_counts / sizeof summary_counts[0] ? " and "
                                                                                  : ", ",
                      f);
                difference(f, num(b, r, "diff"), num(b, r, "diff_ci_low"),
                           num(b, r, "diff_ci_high"), "fewer", "more", counts[c].many,
                           i == 0 ? " a year" : "");
            }
            fputc('.', f);
            /* The waits, in days (shorter is better): everyone's, then, where the run has
             * groups (output.groups), those of everyone a transfer did not move. */
            static const struct {
                const char *prefix, *who;
            } waits[] = {{"", " The mean wait"},
                         {"by.transfer.others.", " For everyone else (the clients no transfer "
                                                 "moved), the mean wait"}};
            for (size_t w = 0; w < sizeof waits / sizeof waits[0]; w++) {
                char na[96], nc[96];
                snprintf(na, sizeof na, "%swait_assessment_days", waits[w].prefix);
                snprintf(nc, sizeof nc, "%swait_coordination_days", waits[w].prefix);
                int rw = find(b, na, sc[k]), rwc = find(b, nc, sc[k]);
                if (rw < 0 || rwc < 0) {
                    continue;
                }
                fputs(waits[w].who, f);
                fputs(" for assessment: ", f);
                difference(f, num(b, rw, "diff"), num(b, rw, "diff_ci_low"),
                           num(b, rw, "diff_ci_high"), "days shorter", "days longer", NULL, "");
                fputs("; for a coordinator: ", f);
                difference(f, num(b, rwc, "diff"), num(b, rwc, "diff_ci_low"),
                           num(b, rwc, "diff_ci_high"), "days shorter", "days longer", NULL, "");
                fputc('.', f);
            }
            int rc = find(b, "cost_per_year", sc[k]);
            if (costs && rc >= 0) {
                double d = num(b, rc, "diff"), lo = num(b, rc, "diff_ci_low"),
                       hi = num(b, rc, "diff_ci_high");
                const char *prices = strstr(unit, ", "); /* ", 2023 prices" */
                if (lo > 0 || hi < 0) {
                    fputs(" It costs ", f);
                    report_html(f, cur);
                    fputc(' ', f);
                } else {
                    fputs(" Its cost a year in ", f);
                    report_html(f, cur);
                    fputs(" shows ", f);
                }
                difference(f, d, lo, hi, "less", "more", NULL, lo > 0 || hi < 0 ? " a year" : "");
                if (prices) {
                    fputs(" at", f);
                    report_html(f, prices + 1);
                }
                int ra = find_ce(b, sc[k], "admissions_per_year");
                if (ra >= 0 && !isnan(ce_num(b, ra, "ci_low"))) { /* a ratio with its interval */
                    fputs(", ", f);
                    cost_per_averted(f, b, ra, cur, "admission");
                }
                fputc('.', f);
            }
        }
    } else {
        fputs("This report gives ccsim's simulated results for the scenario", f);
        if (b->replications > 0) {
            fprintf(f, " (%ld replications)", b->replications);
        }
        fputs("; every range is a 95% interval. A year, the region has", f);
        for (size_t i = 0; i < sizeof summary_counts / sizeof summary_counts[0]; i++) {
            int c = summary_counts[i], r = find(b, counts[c].metric, NULL);
            fputs(i == 0                                                      ? " "
                  : i + 1 == sizeof summary_counts / sizeof summary_counts[0] ? " and "
                                                                              : ", ",
                  f);
            value_ci(f, num(b, r, "mean"), num(b, r, "ci_low"), num(b, r, "ci_high"));
            fputc(' ', f);
            fputs(counts[c].many, f);
        }
        fputc('.', f);
        int rc = find(b, "cost_per_year", NULL);
        if (costs) {
            fputs(" It costs ", f);
            report_html(f, cur);
            fputc(' ', f);
            value_ci(f, num(b, rc, "mean"), num(b, rc, "ci_low"), num(b, rc, "ci_high"));
            fputs(" a year (", f);
            report_html(f, unit);
            fputs(").", f);
        }
    }
    fputs("</p>\n<p><strong>Caveats.</strong> ", f);
    if (b->validation && b->validation[0]) {
        report_html(f, b->validation);
        fputc(' ', f);
    }
    if (b->steady && b->steady[0]) {
        report_html(f, b->steady);
        fputc(' ', f);
    }
    if (b->parameters && b->parameters[0]) {
        fputs("The intervals of this summary cover the simulation's own chance only. ", f);
        report_html(f, b->parameters);
        fputs(" The figures are as good as the scenario's inputs: each value and its source is "
              "under Parameters, and a region's own figures should replace the shipped ones "
              "before a bid rests on them.</p>\n",
              f);
    } else {
        fputs("The intervals cover the simulation's own chance only, not the uncertainty of its "
              "parameters. The figures are as good as the scenario's inputs: each value and its "
              "source is under Parameters, and a region's own figures should replace the "
              "shipped ones before a bid rests on them.</p>\n",
              f);
    }
}

void report_bid_counts(FILE *f, const struct report_bid *b)
{
    const char *sc[16];
    int ns = scenarios(b, sc, 16);

    fputs("<h2>Counts a year for the region</h2>\n<table><tr><th>what</th>", f);
    if (b->is_compare) {
        for (int k = 0; k < ns; k++) {
            fputs("<th>", f);
            report_html(f, sc[k]);
            fputs(k == 0 ? " (reference)</th>" : "</th><th>difference from the reference</th>", f);
        }
    } else {
        fputs("<th>a year (95% interval)</th><th>a year per 100,000 adults</th>", f);
    }
    fputs("</tr>\n", f);
    for (int c = 0; c < N_COUNTS; c++) {
        if (find(b, counts[c].metric, NULL) < 0) {
            continue;
        }
        fputs("<tr><td>", f);
        fputs(counts[c].many, f);
        fputs("</td>", f);
        if (b->is_compare) {
            for (int k = 0; k < ns; k++) {
                int r = find(b, counts[c].metric, sc[k]);
                fputs("<td class=\"n\">", f);
                value_ci(f, num(b, r, "mean"), num(b, r, "ci_low"), num(b, r, "ci_high"));
                if (k > 0) {
                    fputs("</td><td>", f);
                    difference(f, num(b, r, "diff"), num(b, r, "diff_ci_low"),
                               num(b, r, "diff_ci_high"), "fewer", "more", NULL, "");
                }
                fputs("</td>", f);
            }
        } else {
            int r = find(b, counts[c].metric, NULL);
            fputs("<td class=\"n\">", f);
            value_ci(f, num(b, r, "mean"), num(b, r, "ci_low"), num(b, r, "ci_high"));
            fputs("</td><td class=\"n\">", f);
            int rp = counts[c].per_100k ? find(b, counts[c].per_100k, NULL) : -1;
            if (rp >= 0) {
                value_ci(f, num(b, rp, "mean"), num(b, rp, "ci_low"), num(b, rp, "ci_high"));
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p class=\"note\">Counts of every client of the region after the warm-up, "
          "a year (365.25 days); a difference is the scenario minus the reference, on the same "
          "clients, with the 95% interval of the paired replications.</p>\n",
          f);
}

static const char *cost_words(const char *metric)
{
    static const struct {
        const char *metric, *words;
    } w[] = {
        {"cost_posts_per_year", "coordinator posts"},
        {"cost_beds_per_year", "local bed-days"},
        {"cost_out_of_area_per_year", "out-of-area bed-days"},
        {"cost_ed_per_year", "ED visits"},
        {"cost_crisis_team_per_year", "crisis-team episodes"},
        {"cost_per_year", "total"},
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        if (strcmp(w[i].metric, metric) == 0) {
            return w[i].words;
        }
    }
    return metric;
}

void report_bid_costs(FILE *f, const struct report_bid *b)
{
    const char *sc[16];
    int ns = scenarios(b, sc, 16);
    char unit[128], cur[32];

    fputs("<h2>Costs</h2>\n", f);
    if (!cost_unit(b, unit, sizeof unit, cur, sizeof cur)) {
        fputs("<p class=\"note\">The scenario gives no unit costs (its <code>costs</code> group, "
              "with <code>currency</code> and <code>price_year</code>), so no cost is "
              "shown.</p>\n",
              f);
        return;
    }
    fputs("<p>Costs a year by component, in ", f);
    report_html(f, unit);
    fputs(" (the scenario's unit costs times the counts; assessors, services and the team's "
          "own crisis responses carry no cost).</p>\n<table><tr><th>component</th>",
          f);
    for (int k = 0; k < (b->is_compare ? ns : 1); k++) {
        fputs("<th>", f);
        report_html(f, b->is_compare ? sc[k] : "a year (95% interval)");
        fputs(b->is_compare && k > 0 ? "</th><th>difference</th>" : "</th>", f);
    }
    fputs("</tr>\n", f);
    for (int i = 0; i < N_COST_METRICS; i++) {
        bool total = strcmp(cost_metrics[i], "cost_per_year") == 0;
        fputs(total ? "<tr><th>" : "<tr><td>", f);
        fputs(cost_words(cost_metrics[i]), f);
        fputs(total ? "</th>" : "</td>", f);
        for (int k = 0; k < (b->is_compare ? ns : 1); k++) {
            int r = find(b, cost_metrics[i], b->is_compare ? sc[k] : NULL);
            fputs("<td class=\"n\">", f);
            value_ci(f, num(b, r, "mean"), num(b, r, "ci_low"), num(b, r, "ci_high"));
            if (b->is_compare && k > 0) {
                fputs("</td><td>", f);
                difference(f, num(b, r, "diff"), num(b, r, "diff_ci_low"),
                           num(b, r, "diff_ci_high"), "less", "more", NULL, "");
            }
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    if (!b->is_compare || !b->ce) {
        return;
    }
    fputs("<h3>Cost per admission and per bed-day averted</h3>\n<p>For each scenario against "
          "the reference: the count averted a year, the cost difference a year and their "
          "ratio, with Fieller's 95% interval from the paired replications (none when the "
          "count averted is not distinguished from 0).</p>\n<table><tr><th>scenario</th>"
          "<th>averted a year</th><th>cost difference a year</th><th>cost per one averted</th>"
          "</tr>\n",
          f);
    static const struct {
        const char *outcome, *one, *many;
    } oc[] = {{"admissions_per_year", "admission", "admissions"},
              {"bed_days_per_year", "bed-day", "bed-days"}};
    for (int k = 1; k < ns; k++) {
        for (size_t o = 0; o < sizeof oc / sizeof oc[0]; o++) {
            int r = find_ce(b, sc[k], oc[o].outcome);
            if (r < 0) {
                continue;
            }
            fputs("<tr><td>", f);
            report_html(f, sc[k]);
            fputs("</td><td>", f);
            fputs(oc[o].many, f);
            fputs(": ", f);
            value_ci(f, ce_num(b, r, "averted"), ce_num(b, r, "averted_ci_low"),
                     ce_num(b, r, "averted_ci_high"));
            fputs("</td><td class=\"n\">", f);
            report_html(f, cur);
            fputc(' ', f);
            value_ci(f, ce_num(b, r, "cost_diff"), ce_num(b, r, "cost_diff_ci_low"),
                     ce_num(b, r, "cost_diff_ci_high"));
            fputs("</td><td>", f);
            cost_per_averted(f, b, r, cur, oc[o].one);
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</table>\n", f);
}

void report_bid_years(FILE *f, const struct report_bid *b)
{
    static const int year_counts[] = {1, 2, 3, 4}; /* crises, ED, admissions, bed-days */
    char name[96];
    int years = 0;
    for (int y = 1; y <= 1000; y++) {
        snprintf(name, sizeof name, "year%d.admissions_per_year", y);
        if (find(b, name, NULL) < 0) {
            break;
        }
        years = y;
    }
    if (years == 0) {
        return;
    }
    const char *sc[16];
    int ns = b->is_compare ? scenarios(b, sc, 16) : 1;
    fputs("<h2>Year by year</h2>\n<p>Each observed year's counts (95% intervals)", f);
    fputs(b->is_compare ? ", per scenario.</p>\n" : ".</p>\n", f);
    for (int k = 0; k < ns; k++) {
        if (b->is_compare) {
            fputs("<h3>", f);
            report_html(f, sc[k]);
            fputs("</h3>\n", f);
        }
        fputs("<table><tr><th>year</th>", f);
        for (size_t i = 0; i < sizeof year_counts / sizeof year_counts[0]; i++) {
            fputs("<th>", f);
            fputs(counts[year_counts[i]].many, f);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        for (int y = 1; y <= years; y++) {
            fprintf(f, "<tr><td>%d</td>", y);
            for (size_t i = 0; i < sizeof year_counts / sizeof year_counts[0]; i++) {
                snprintf(name, sizeof name, "year%d.%s", y, counts[year_counts[i]].metric);
                int r = find(b, name, b->is_compare ? sc[k] : NULL);
                fputs("<td class=\"n\">", f);
                value_ci(f, num(b, r, "mean"), num(b, r, "ci_low"), num(b, r, "ci_high"));
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
}
