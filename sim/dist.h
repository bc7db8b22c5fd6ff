/*
 * dist — probability distributions read from scenario text and drawn through GSL.
 *
 * A distribution is a group in a scenario: { dist = "gamma"; mean = 12.0; sd = 4.0; }.
 * The forms and their parameters (all in the unit of the quantity they describe):
 *
 *   fixed        value >= 0                     always value
 *   exponential  mean > 0                       rate 1/mean
 *   uniform      min >= 0, max > min
 *   triangular   min >= 0, min <= mode <= max, min < max
 *   normal       mean, sd > 0                   truncated at 0 (draws below 0 are excluded)
 *   lognormal    mean > 0, sd > 0               of the variate itself, not of its logarithm
 *   gamma        mean > 0, sd > 0               shape (mean/sd)^2, scale sd^2/mean
 *   weibull      shape > 0, scale > 0
 *   empirical    values = [...] >= 0, probs = [...] in [0, 1] summing to 1 (within 1e-6)
 *
 * Every parameter is checked at load, because GSL's samplers trust their input. Draws use
 * inversion of the distribution function (one uniform per draw) for every form except gamma,
 * so that scenarios compared with common random numbers stay in step; gamma uses GSL's
 * Marsaglia-Tsang rejection sampler and belongs in streams private to one purpose.
 *
 * Ownership: an empirical distribution owns its tables; dist_fini() frees them. A loaded dist
 * is immutable and may be shared by threads. dist_draw() is O(1) (O(log n) for empirical) and
 * allocates nothing.
 */
#ifndef CCSIM_SIM_DIST_H
#define CCSIM_SIM_DIST_H

#include <stdbool.h>
#include <stddef.h>

#include <gsl/gsl_rng.h>
#include <libconfig.h>

#include "sim/cfg.h"

enum dist_kind {
    DIST_FIXED,
    DIST_EXPONENTIAL,
    DIST_UNIFORM,
    DIST_TRIANGULAR,
    DIST_NORMAL,
    DIST_LOGNORMAL,
    DIST_GAMMA,
    DIST_WEIBULL,
    DIST_EMPIRICAL,
};

struct dist {
    enum dist_kind kind;
    double p[4];    /* parameters as given, in the order of the table above */
    double a, b, c; /* derived constants used by dist_draw() */
    size_t n;       /* empirical: number of values */
    double *values; /* empirical: the values */
    double *cum;    /* empirical: cumulative probabilities, cum[n-1] == 1 */
};

/* The declared keys of a distribution group, for docs and unknown-key checks. */
extern const struct cfg_table dist_table;

/* Reads the distribution group s (a group setting) into *d. Records every problem in c and
 * returns false on any; *d then holds nothing that needs freeing. */
bool dist_load(struct cfg *c, const config_setting_t *s, struct dist *d);

/* Sets *d to a form directly (tests, built-in defaults). Parameters must be valid; returns
 * false otherwise. Not for empirical. */
bool dist_set(struct dist *d, enum dist_kind kind, double p0, double p1, double p2);

/* Frees an empirical distribution's tables; a no-op for the others. */
void dist_fini(struct dist *d);

/* Draws one variate. */
double dist_draw(const struct dist *d, gsl_rng *r);

/* The exact mean and variance of the distribution as configured (after truncation). */
double dist_mean(const struct dist *d);
double dist_variance(const struct dist *d);

/* The name of a form ("gamma"). */
const char *dist_kind_name(enum dist_kind kind);

#endif
