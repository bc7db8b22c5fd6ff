/*
 * tally — statistics accumulators, O(1) per update, no allocation.
 *
 * struct tally: count, mean and variance of observations by Welford's online method (stable
 * for long runs), minimum, maximum, and up to TALLY_MAX_QUANTILES quantile estimates by the P^2
 * algorithm (Jain and Chlamtac, CACM 28(10), 1985), which keeps five markers per quantile.
 * P^2 is exact for the first five observations and converges for continuous distributions; it
 * is an estimate, not an order statistic.
 *
 * struct twavg: the time-weighted average of a piecewise-constant quantity (queue length,
 * servers busy) over [reset time, now], with its maximum. Call twavg_set() whenever the value
 * changes; the area is accumulated in O(1).
 *
 * reset: both discard what they have seen (warm-up) and keep their configuration.
 */
#ifndef CCSIM_SIM_TALLY_H
#define CCSIM_SIM_TALLY_H

#include <stdint.h>

#include "sim/fail.h"

#define TALLY_MAX_QUANTILES 3

struct p2_quantile {
    double p;     /* target probability in (0, 1) */
    double q[5];  /* marker heights */
    double n[5];  /* marker positions (1-based) */
    double np[5]; /* desired positions */
    double dn[5]; /* desired position increments */
};

struct tally {
    uint64_t n;
    double mean;
    double m2; /* sum of squared deviations from the mean */
    double min;
    double max;
    int n_quantiles;
    struct p2_quantile quant[TALLY_MAX_QUANTILES];
};

/* Prepares an empty tally that also estimates the given quantiles (n_q may be 0; at most
 * TALLY_MAX_QUANTILES, each p in (0, 1)). */
void tally_init(struct tally *t, int n_q, const double *p);
/* Forgets every observation; keeps the quantiles asked for. */
void tally_reset(struct tally *t);
/* One observation for one P^2 quantile (the count includes it); for tally_add(). */
void tally_p2_add(struct p2_quantile *q, uint64_t count, double x);

/* Adds one observation. O(1). Inline: models call it on every customer or client event. */
static inline void tally_add(struct tally *t, double x)
{
    t->n++;
    double delta = x - t->mean;
    t->mean += delta / (double)t->n;
    t->m2 += delta * (x - t->mean);
    if (x < t->min) {
        t->min = x;
    }
    if (x > t->max) {
        t->max = x;
    }
    for (int i = 0; i < t->n_quantiles; i++) {
        tally_p2_add(&t->quant[i], t->n, x);
    }
}

static inline uint64_t tally_count(const struct tally *t)
{
    return t->n;
}
/* Mean of the observations; NaN when there are none. */
double tally_mean(const struct tally *t);
/* Sample variance (n - 1 denominator); NaN with fewer than two observations. */
double tally_variance(const struct tally *t);
double tally_sd(const struct tally *t);
/* Estimate of the i-th quantile asked for at init; NaN when there are no observations. */
double tally_quantile(const struct tally *t, int i);

struct twavg {
    double t0;     /* start of the averaging window */
    double t_last; /* time of the last change */
    double value;  /* current value */
    double area;   /* integral of value over [t0, t_last] */
    double max;    /* largest value seen since t0 */
};

/* Starts at time now with the given value. */
void twavg_init(struct twavg *w, double now, double value);
/* Changes the value at time now (>= the last change). O(1). */
static inline void twavg_set(struct twavg *w, double now, double value)
{
    SIM_DEBUG_ASSERT(now >= w->t_last, "twavg: time went backwards");
    w->area += w->value * (now - w->t_last);
    w->t_last = now;
    w->value = value;
    if (value > w->max) {
        w->max = value;
    }
}
/* Adds delta to the current value at time now. */
static inline void twavg_add(struct twavg *w, double now, double delta)
{
    twavg_set(w, now, w->value + delta);
}
/* Restarts the window at now, keeping the current value. */
void twavg_reset(struct twavg *w, double now);
/* Time average over [t0, now]; the current value if the window is empty. */
double twavg_mean(const struct twavg *w, double now);

#endif
