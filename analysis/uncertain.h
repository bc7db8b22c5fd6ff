/*
 * uncertain — parameter uncertainty: distributions declared on numeric scenario keys, fitted
 * from published intervals, and drawn for a probabilistic sensitivity analysis (ccsim psa).
 *
 * A scenario declares which keys are uncertain and how (or takes the defaults that the keys'
 * evidence gives); unc_set_load() reads those declarations from a loaded scenario's
 * configuration, fits each distribution and checks it against the key's allowed range.
 * unc_draw() gives draw d's values: a pure function of the scenario seed, d and each key's path,
 * so a draw is the same in every scenario that declares the key, whatever the order, thread or
 * process that computes it.
 */
#ifndef CCSIM_ANALYSIS_UNCERTAIN_H
#define CCSIM_ANALYSIS_UNCERTAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/cfg.h"
#include "sim/diag.h"

enum unc_dist {
    UNC_BETA,      /* probabilities: a, b the shape parameters */
    UNC_GAMMA,     /* rates, lengths: a the shape, b the scale */
    UNC_LOGNORMAL, /* ratios, rates, lengths: a = mu, b = sigma of the logarithm */
    UNC_NORMAL,    /* differences: a the mean, b the standard deviation */
};

struct unc_param {
    char *path; /* the key's dotted path, as --set takes it */
    enum unc_dist dist;
    double a, b;         /* the fitted distribution's parameters (see enum unc_dist) */
    double ci_lo, ci_hi; /* the 95% interval it was fitted from; NaN when given by its moments */
    double value;        /* the scenario's own value of the key */
    bool is_int;         /* an integer key: draws are rounded */
    char *source;        /* where the distribution comes from, in words */
    char *origin;        /* "FILE:LINE" of the declaration, or "default" */
    /* The key, and its allowed range, which draws are clipped into (see unc_draw()). */
    const struct cfg_key *key;
    double allowed_lo, allowed_hi;
    bool is_lo_open, is_hi_open;
    double p_outside; /* the probability the distribution puts outside that range (< 0.001) */
};

struct unc_set {
    struct unc_param *p;
    int n;
    double *chol; /* n x n lower Cholesky factor of the correlation matrix, row-major; NULL when
                     the parameters are independent */
    double *rho;  /* the n x n correlation matrix itself, row-major; NULL when independent */
    char **notes; /* for check: keys whose default uncertainty is not used, and why */
    int n_notes;
};

/* The scenario's uncertainty group, its parameters and its correlations, declared for the
 * reference (docs/scenarios.md), NULL-terminated. */
extern const struct cfg_table *const unc_tables[];

/* Reads the uncertainty declared in a loaded scenario (and the defaults of its keys that keep
 * their default values). Returns 0, or -1 with the reasons in d (file, line, key, what is
 * allowed). An empty set (n == 0) is not an error. */
int unc_set_load(struct unc_set *u, const struct cfg *c, struct diag *d);
void unc_set_fini(struct unc_set *u);

/* Draw number draw of every parameter into x[0..n): correlated as declared, rounded for integer
 * keys. Parameter k's uniform is rng_first_uniform(rng_seed_derive(seed, draw,
 * STREAM_PARAMETER, rng_key_string(path))) (unc_uniform()); uncorrelated, x_k = F_k^-1(u_k);
 * correlated, the normal scores z = Phi^-1(u) become y = L z (L = chol) and x_k =
 * F_k^-1(Phi(y_k)). A draw outside the key's allowed range (probability p_outside) is clipped
 * to the nearest allowed value. A pure function of (seed, draw, each path): the other
 * parameters of the set change nothing for an uncorrelated one. */
void unc_draw(const struct unc_set *u, uint64_t seed, uint64_t draw, double *x);

/* The uniform draw `draw` of parameter p is made from (see unc_draw()). */
double unc_uniform(const struct unc_param *p, uint64_t seed, uint64_t draw);

/* Fits dist to a 95% interval [lo, hi] (its 2.5% and 97.5% quantiles) into the parameters a, b
 * of enum unc_dist (methods in docs/psa.md). Returns 0, or -1 with the reason (what is allowed)
 * in why when no distribution of that family has the interval to a relative 1e-6. */
int unc_fit_ci(enum unc_dist dist, double lo, double hi, double *a, double *b, char *why, size_t n);
/* Fits dist to a mean and a standard deviation (the method of moments). Returns 0, or -1 with
 * the reason in why. */
int unc_fit_moments(enum unc_dist dist, double mean, double sd, double *a, double *b, char *why,
                    size_t n);

/* The distribution called name ("beta", "gamma", "lognormal", "normal") into *out: 0, or -1. */
int unc_dist_parse(const char *name, enum unc_dist *out);

/* "lognormal(mu -1.67, sigma 0.272)": the fitted distribution with its parameters. */
void unc_describe(const struct unc_param *p, char *buf, size_t n);

/* Quantile of parameter p at probability q in (0, 1), before rounding. */
double unc_quantile(const struct unc_param *p, double q);

/* "path=VALUE" for --set-style overrides, VALUE exact (%.17g, or a whole number for an integer
 * key). Returns the length as snprintf() does. */
int unc_assign(const struct unc_param *p, double x, char *buf, size_t n);

/* The distribution's name in words ("lognormal"). */
const char *unc_dist_name(enum unc_dist dist);

#endif
