/*
 * psa — a probabilistic sensitivity analysis: the results of many parameter draws, each run for
 * every scenario on the same clients, and what they say about the decision.
 *
 * Draw d gives every uncertain parameter a value (analysis/uncertain.h); each scenario then runs
 * R replications with those values, replications d*R to d*R + R - 1 of the scenario seed, so
 * that within a draw every scenario has the same clients (common random numbers) and each draw
 * has clients of its own (the Monte Carlo noise averages out over the draws instead of sitting
 * in every one). A draw's value of a metric is the mean over its replications; its difference is
 * the scenario's value minus the first (reference) scenario's in the same draw.
 *
 * The files (numbers "%.10g", "NA" when undefined; each metric's unit,label,headline,better
 * last, as csv.h describes):
 *   psa.csv             draw,scenario,metric,value,difference
 *   psa_parameters.csv  draw,parameter,value
 *   psa_summary.csv     metric,scenario,mean,lower,upper,difference,difference_lower,
 *                       difference_upper,probability_better,probability_best
 *       over the draws: the mean and the 2.5% and 97.5% points (the 95% uncertainty interval)
 *       of the value and of the difference (NA for the reference); the share of draws in
 *       which the difference is in the metric's better direction (NA for the reference or
 *       when neither direction is better); the share in which the scenario is the best of all
 *       (a tie shared equally).
 *   psa_drivers.csv     metric,scenario,parameter,rank_correlation
 *       Spearman's rank correlation over the draws of each parameter with each later
 *       scenario's difference of each headline metric (with one scenario, its value).
 *   psa_ceac.csv        outcome,willingness_to_pay,scenario,probability_cost_effective,currency
 *       only when the scenarios have costs: for admissions and bed-days, at each willingness to
 *       pay per one averted (0 to a maximum, 101 points), the share of draws in which the
 *       scenario has the greatest net benefit, -wtp x outcome a year - cost a year (ties
 *       shared).
 * Writers return 0 or -errno and print nothing.
 */
#ifndef CCSIM_ANALYSIS_PSA_H
#define CCSIM_ANALYSIS_PSA_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/table.h"
#include "models/model.h"

#define PSA_CEAC_POINTS 101

struct psa {
    int n_scen;
    const char *const *names; /* [n_scen], borrowed; names[0] is the reference */
    long n_draws;
    int n_params;
    char **param; /* [n_params]: the parameters' paths, owned */
    double *x;    /* [d * n_params + k]: draw d's value of parameter k */
    int n_metrics;
    const struct metric_desc **desc; /* [n_metrics], borrowed from the loaded scenarios */
    double *value;     /* [(d * n_scen + s) * n_metrics + m]; NaN where the scenario lacks it */
    double wtp_max[2]; /* the acceptability curves' largest willingness to pay (admissions,
                          bed-days); 0: chosen from the draws (psa_choose_wtp()) */
};

/* An empty analysis of n_draws draws of n_params parameters and n_metrics metrics; every value
 * NaN. Cannot fail (out of memory is fatal). */
void psa_init(struct psa *p, int n_scen, const char *const *names, long n_draws, int n_params,
              const char *const *params, int n_metrics, const struct metric_desc **desc);
void psa_fini(struct psa *p);

static inline double *psa_at(const struct psa *p, long d, int s, int m)
{
    return &p->value[((size_t)d * (size_t)p->n_scen + (size_t)s) * (size_t)p->n_metrics +
                     (size_t)m];
}

/* Index of metric name, or -1. */
int psa_metric(const struct psa *p, const char *name);
/* Whether the analysis has costs and both outcomes of the acceptability curves. */
bool psa_has_costs(const struct psa *p);

/* Over the draws of scenario s and metric m (diff: of the difference from the reference): the
 * mean, the 2.5% and 97.5% points; NaN when no draw has a value. */
void psa_interval(const struct psa *p, int s, int m, bool diff, double *mean, double *lo,
                  double *hi);
/* The share of draws in which scenario s is better than the reference on metric m (NaN for the
 * reference or a metric neither way better), and in which it is the best of all. */
double psa_p_better(const struct psa *p, int s, int m);
double psa_p_best(const struct psa *p, int s, int m);
/* Spearman's rank correlation of parameter k with scenario s's difference on metric m (its value
 * when there is one scenario), over the draws where both are defined; NaN with fewer than 3. */
double psa_rank_correlation(const struct psa *p, int k, int s, int m);
/* The share of draws in which scenario s has the greatest net benefit at willingness to pay wtp
 * per one of outcome (metric index) averted. */
double psa_p_cost_effective(const struct psa *p, int s, int outcome, double wtp);
/* The acceptability curves' largest willingness to pay for outcome (0 admissions, 1 bed-days):
 * twice the largest of the later scenarios' mean cost per one averted and the reference's mean
 * cost per one, rounded up to 1, 2 or 5 times a power of ten. */
double psa_choose_wtp(const struct psa *p, int outcome);

/* The columns the readers of a psa folder require (analysis/table.h), file by file: psa.csv,
 * psa_summary.csv, psa_parameters.csv, psa_drivers.csv, psa_ceac.csv. */
extern const struct table_column psa_csv_columns[], psa_summary_columns[], psa_parameters_columns[],
    psa_drivers_columns[], psa_ceac_columns[];

int psa_write_csv(const char *path, const struct psa *p);
int psa_write_parameters(const char *path, const struct psa *p);
int psa_write_summary(const char *path, const struct psa *p);
int psa_write_drivers(const char *path, const struct psa *p);
/* currency: "GBP, 2023 prices", written on every row. */
int psa_write_ceac(const char *path, const struct psa *p, const char *currency);

/* For a terminal: each later scenario's headline differences and counts a year in words, with
 * their 95% uncertainty intervals and the probability of being better. */
void psa_print_summary(FILE *out, const struct psa *p);

#endif
