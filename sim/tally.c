#include "sim/tally.h"

#include <math.h>

#include "sim/fail.h"

static void p2_init(struct p2_quantile *q, double p)
{
    q->p = p;
    for (int i = 0; i < 5; i++) {
        q->n[i] = i + 1;
        q->q[i] = 0.0;
    }
    q->np[0] = 1;
    q->np[1] = 1 + 2 * p;
    q->np[2] = 1 + 4 * p;
    q->np[3] = 3 + 2 * p;
    q->np[4] = 5;
    q->dn[0] = 0;
    q->dn[1] = p / 2;
    q->dn[2] = p;
    q->dn[3] = (1 + p) / 2;
    q->dn[4] = 1;
}

void tally_init(struct tally *t, int n_q, const double *p)
{
    SIM_ASSERT(n_q >= 0 && n_q <= TALLY_MAX_QUANTILES, "tally: %d quantiles asked for", n_q);
    t->n_quantiles = n_q;
    for (int i = 0; i < n_q; i++) {
        SIM_ASSERT(p[i] > 0.0 && p[i] < 1.0, "tally: quantile %g outside (0, 1)", p[i]);
        t->quant[i].p = p[i];
    }
    tally_reset(t);
}

void tally_reset(struct tally *t)
{
    t->n = 0;
    t->mean = 0.0;
    t->m2 = 0.0;
    t->min = INFINITY;
    t->max = -INFINITY;
    for (int i = 0; i < t->n_quantiles; i++) {
        p2_init(&t->quant[i], t->quant[i].p);
    }
}

/* Piecewise-parabolic prediction of marker i moved by d (d = +1 or -1). */
static double p2_parabolic(const struct p2_quantile *q, int i, double d)
{
    return q->q[i] +
           d / (q->n[i + 1] - q->n[i - 1]) *
               ((q->n[i] - q->n[i - 1] + d) * (q->q[i + 1] - q->q[i]) / (q->n[i + 1] - q->n[i]) +
                (q->n[i + 1] - q->n[i] - d) * (q->q[i] - q->q[i - 1]) / (q->n[i] - q->n[i - 1]));
}

void tally_p2_add(struct p2_quantile *q, uint64_t count, double x)
{
    /* count is the number of observations including x. */
    if (count <= 5) {
        /* Insertion sort of the first five observations into the marker heights. */
        int i = (int)count - 1;
        while (i > 0 && q->q[i - 1] > x) {
            q->q[i] = q->q[i - 1];
            i--;
        }
        q->q[i] = x;
        return;
    }
    int k;
    if (x < q->q[0]) {
        q->q[0] = x;
        k = 0;
    } else if (x >= q->q[4]) {
        q->q[4] = x;
        k = 3;
    } else {
        k = 0;
        while (k < 3 && x >= q->q[k + 1]) {
            k++;
        }
    }
    for (int i = k + 1; i < 5; i++) {
        q->n[i] += 1;
    }
    for (int i = 0; i < 5; i++) {
        q->np[i] += q->dn[i];
    }
    for (int i = 1; i <= 3; i++) {
        double d = q->np[i] - q->n[i];
        if ((d >= 1 && q->n[i + 1] - q->n[i] > 1) || (d <= -1 && q->n[i - 1] - q->n[i] < -1)) {
            double s = d >= 0 ? 1.0 : -1.0;
            double qp = p2_parabolic(q, i, s);
            if (q->q[i - 1] < qp && qp < q->q[i + 1]) {
                q->q[i] = qp;
            } else {
                int j = i + (int)s;
                q->q[i] += s * (q->q[j] - q->q[i]) / (q->n[j] - q->n[i]);
            }
            q->n[i] += s;
        }
    }
}

double tally_mean(const struct tally *t)
{
    return t->n ? t->mean : NAN;
}

double tally_variance(const struct tally *t)
{
    return t->n > 1 ? t->m2 / (double)(t->n - 1) : NAN;
}

double tally_sd(const struct tally *t)
{
    return sqrt(tally_variance(t));
}

double tally_quantile(const struct tally *t, int i)
{
    SIM_ASSERT(i >= 0 && i < t->n_quantiles, "tally: quantile %d was not asked for", i);
    const struct p2_quantile *q = &t->quant[i];

    if (t->n == 0) {
        return NAN;
    }
    if (t->n <= 5) {
        /* Nearest-rank quantile of the sorted observations held in the markers. */
        int r = (int)ceil(q->p * (double)t->n) - 1;
        return q->q[r < 0 ? 0 : r];
    }
    return q->q[2];
}

void twavg_init(struct twavg *w, double now, double value)
{
    w->t0 = now;
    w->t_last = now;
    w->value = value;
    w->area = 0.0;
    w->max = value;
}

void twavg_reset(struct twavg *w, double now)
{
    twavg_init(w, now, w->value);
}

double twavg_mean(const struct twavg *w, double now)
{
    double span = now - w->t0;

    if (span <= 0.0) {
        return w->value;
    }
    return (w->area + w->value * (now - w->t_last)) / span;
}
