/*
 * report_psa — the section of a report on a probabilistic sensitivity analysis (`ccsim psa`):
 * "Parameter uncertainty" (report.h).
 *
 * From the folder's psa_summary.csv, psa_parameters.csv, psa_drivers.csv and psa_ceac.csv it
 * says, in sentences generated from the numbers: what was drawn (each uncertain parameter's
 * median and 2.5% and 97.5% points over its draws), each scenario's difference from the
 * reference (the first scenario) over the draws with its 95% uncertainty interval and the share
 * of draws in which it is better and in which it is the best of the scenarios; with costs, the
 * willingness to pay per admission or bed-day averted at which each scenario's probability of
 * being cost-effective first reaches 50% and 95% on the grid of psa_ceac.csv; and the
 * parameters whose draws move each headline difference most (Spearman rank correlation).
 *
 * A 95% uncertainty interval is the 2.5% to 97.5% points over the parameter draws of the mean of
 * each draw's replications: the parameters' uncertainty and the simulation's own chance
 * together. Percentiles of the parameters are those of GSL's gsl_stats_quantile_from_sorted_data
 * (linear between order statistics, (n - 1) p).
 *
 * Nothing here reads a file: report.c reads and checks the tables (as plot.c does) and passes
 * them in, with a callback that embeds a figure when the folder has it.
 */
#ifndef CCSIM_ANALYSIS_REPORT_PSA_H
#define CCSIM_ANALYSIS_REPORT_PSA_H

#include <stdio.h>

#include "analysis/table.h"

struct report_psa {
    const struct table *summary;    /* psa_summary.csv (required) */
    const struct table *parameters; /* psa_parameters.csv, or NULL */
    const struct table *drivers;    /* psa_drivers.csv, or NULL */
    const struct table *ceac;       /* psa_ceac.csv, or NULL (the scenarios have no costs) */
    long draws;        /* the number of draws when psa_parameters.csv does not say; 0: unknown */
    long replications; /* replications a draw (0: not known) */
    /* Embeds figures/NAME.png with its caption when it exists (NULL: no figures). */
    void (*figure)(FILE *f, void *ctx, const char *name, const char *caption);
    /* Writes a parameter's dotted path in words, as a table cell's content (NULL: the path). */
    void (*key)(FILE *f, void *ctx, const char *path);
    void *ctx;
};

/* The number of draws: the distinct draws of psa_parameters.csv, else p->draws. */
long report_psa_draws(const struct report_psa *p);

/* Writes the section "Parameter uncertainty". */
void report_psa_section(FILE *f, const struct report_psa *p);

/* One sentence on the parameter uncertainty for a report's limitations: the intervals of the
 * section include the uncertainty of the drawn parameters. Into buf. */
void report_psa_caveat(const struct report_psa *p, char *buf, size_t n);

#endif
