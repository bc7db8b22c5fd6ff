/*
 * report_bid — the sections of a report that go into a funding bid as they stand (report.h):
 * a summary in plain words generated from the results, the counts a year for the region, the
 * costs by component and per admission or bed-day averted, and the year-by-year table.
 *
 * Every figure comes from the folder's own tables (summary.csv for a run, comparison.csv and
 * cost_effect.csv for a comparison) with its 95% interval; a comparison's differences are
 * paired ("B minus A", said as "fewer" or "more"), and a difference whose interval includes 0
 * is said to be no clear difference. Nothing here reads a file: report.c reads and checks the
 * tables and passes them in.
 */
#ifndef CCSIM_ANALYSIS_REPORT_BID_H
#define CCSIM_ANALYSIS_REPORT_BID_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/table.h"

struct report_bid {
    const struct table *t;  /* summary.csv (a run) or comparison.csv (a comparison) */
    bool is_compare;        /* t is comparison.csv: the first scenario is the reference */
    const struct table *ce; /* cost_effect.csv of a comparison, or NULL */
    long replications;      /* as the manifest gives them (0: not known) */
    /* Caveats, each one sentence or "" (report.c writes them from the folder): */
    const char *validation; /* the validation status of the models used, failing rows named */
    const char *steady;     /* the steady-state verdict */
    /* The parameters' uncertainty when a probabilistic sensitivity analysis of the folder
     * includes it (report_psa_caveat()), or NULL: the intervals are the simulation's chance
     * only and the caveats say the parameters are taken as known. */
    const char *parameters;
};

/* The summary paragraph, for the top of the page. */
void report_bid_summary(FILE *f, const struct report_bid *b);
/* The counts a year (and per 100,000 adults) with intervals and, for a comparison, differences. */
void report_bid_counts(FILE *f, const struct report_bid *b);
/* Costs a year by component, in the scenario's currency at its price year, and the cost per
 * admission and bed-day averted of a comparison; a note when the scenarios give no costs. */
void report_bid_costs(FILE *f, const struct report_bid *b);
/* The year-by-year counts, when the run has them (output.per_year, or a start from a
 * snapshot); nothing otherwise. */
void report_bid_years(FILE *f, const struct report_bid *b);

/* HTML-escaped text (report.c's escaper). */
void report_html(FILE *f, const char *s);

#endif
