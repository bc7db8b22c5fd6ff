/*
 * bench_ceiling — the bare-machine ceiling for M/M/c, and ccsim's share of it in the same run.
 *
 * The reference loop does what the M/M/10 workload W1a needs and nothing a simulator could
 * skip: Poisson arrivals at 9 per hour, 10 servers with exponential service of mean 1 hour,
 * FIFO, unlimited queue, horizon 80,000 h, warm-up 1,000 h. Its pending events (the next
 * arrival and one end of service per busy server, 11 at most) sit in a binary heap with the
 * time inline; each event draws one uniform from xoshiro256** and takes one logarithm (the
 * exponential variate of the next arrival or of a service); the waiting customers are a ring
 * of arrival times; the mean wait in queue after warm-up is a running sum. The loop checks its
 * own Wq against the exact 0.668732 h (Erlang C), loosely (one replication of 80,000 h varies
 * by a few per cent), so that a broken loop does not pass for a fast one.
 *
 * The table runs the loop and bench_mmc's W1a measurement (scenario_run() on the network
 * model, the simulation call alone) in turn, ceiling then ccsim, each in a fresh process, and
 * prints the medians and ccsim's events per second as a share of the ceiling's, the median of
 * the pairwise ratios, so that a drift in the machine's speed during the run cancels out.
 *
 * Usage: bench_ceiling          the table (runs itself and bench_mmc beside it, pair by pair)
 *        bench_ceiling ONE      one run of the loop, printed as numbers
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>

#include "analysis/progress.h"

enum { SERVERS = 10, HEAP_CAP = SERVERS + 1, PAIRS = 9 };

static const double LAMBDA = 9.0;  /* arrivals per hour */
static const double SERVICE = 1.0; /* mean service, hours */
static const double HORIZON = 80000.0;
static const double WARMUP = 1000.0;
static const double EXACT_WQ = 0.668732; /* Erlang C, M/M/10 at utilisation 0.9 */

/* --- xoshiro256** (Blackman and Vigna), seeded by splitmix64 -------------------------------- */

struct ceil_rng {
    uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static void ceil_rng_init(struct ceil_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        r->s[i] = z ^ (z >> 31);
    }
}

static double ceil_rng_uniform(struct ceil_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return (double)(out >> 11) * 0x1.0p-53; /* [0, 1) */
}

static double ceil_exponential(struct ceil_rng *r, double mean)
{
    return -mean * log(1.0 - ceil_rng_uniform(r));
}

/* --- the pending events: a binary min-heap on the time, kept inline ------------------------- */

struct ceil_event {
    double t;
    int is_arrival;
};

struct ceil_heap {
    struct ceil_event e[HEAP_CAP];
    int n;
};

static void ceil_heap_push(struct ceil_heap *h, double t, int is_arrival)
{
    int i = h->n++;
    while (i > 0) {
        int up = (i - 1) / 2;
        if (h->e[up].t <= t) {
            break;
        }
        h->e[i] = h->e[up];
        i = up;
    }
    h->e[i] = (struct ceil_event){t, is_arrival};
}

static struct ceil_event ceil_heap_take(struct ceil_heap *h)
{
    struct ceil_event top = h->e[0];
    struct ceil_event last = h->e[--h->n];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= h->n) {
            break;
        }
        if (c + 1 < h->n && h->e[c + 1].t < h->e[c].t) {
            c++;
        }
        if (last.t <= h->e[c].t) {
            break;
        }
        h->e[i] = h->e[c];
        i = c;
    }
    h->e[i] = last;
    return top;
}

/* --- the queue: a ring of arrival times, doubled when full (rare, never in steady state) ---- */

struct ceil_ring {
    double *t;
    size_t cap, head, n; /* cap a power of two */
};

static void ceil_ring_put(struct ceil_ring *q, double t)
{
    if (q->n == q->cap) {
        size_t cap = q->cap * 2;
        double *nt = malloc(cap * sizeof *nt);
        if (!nt) {
            fprintf(stderr, "bench_ceiling: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < q->n; i++) {
            nt[i] = q->t[(q->head + i) & (q->cap - 1)];
        }
        free(q->t);
        q->t = nt;
        q->cap = cap;
        q->head = 0;
    }
    q->t[(q->head + q->n++) & (q->cap - 1)] = t;
}

static double ceil_ring_take(struct ceil_ring *q)
{
    double t = q->t[q->head];
    q->head = (q->head + 1) & (q->cap - 1);
    q->n--;
    return t;
}

/* One run of the loop: prints events, seconds, peak resident set (KB) and Wq. */
static int measure(void)
{
    struct ceil_rng r;
    struct ceil_heap h = {.n = 0};
    struct ceil_ring q = {.t = malloc(1024 * sizeof(double)), .cap = 1024};
    if (!q.t) {
        return 1;
    }
    double t0 = progress_now();
    ceil_rng_init(&r, 1);
    int busy = 0;
    uint64_t n_events = 0, n_served = 0;
    double sum_wait = 0.0;
    ceil_heap_push(&h, ceil_exponential(&r, 1.0 / LAMBDA), 1);
    while (h.n > 0) {
        struct ceil_event ev = ceil_heap_take(&h);
        if (ev.t > HORIZON) {
            break;
        }
        double now = ev.t;
        n_events++;
        if (ev.is_arrival) {
            ceil_heap_push(&h, now + ceil_exponential(&r, 1.0 / LAMBDA), 1);
            if (busy < SERVERS) {
                busy++;
                n_served += now >= WARMUP;
                ceil_heap_push(&h, now + ceil_exponential(&r, SERVICE), 0);
            } else {
                ceil_ring_put(&q, now);
            }
        } else if (q.n > 0) {
            double arrived = ceil_ring_take(&q);
            if (now >= WARMUP) {
                n_served++;
                sum_wait += now - arrived;
            }
            ceil_heap_push(&h, now + ceil_exponential(&r, SERVICE), 0);
        } else {
            busy--;
        }
    }
    double secs = progress_now() - t0;
    double wq = n_served > 0 ? sum_wait / (double)n_served : 0.0;
    free(q.t);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%llu %.6f %ld %.6f\n", (unsigned long long)n_events, secs, ru.ru_maxrss, wq);
    /* Loose: one replication's Wq is within a few per cent of the exact value; 15% off means
     * the loop is not simulating M/M/10. */
    if (fabs(wq - EXACT_WQ) > 0.15 * EXACT_WQ) {
        fprintf(stderr, "bench_ceiling: Wq %.4f h is far from the exact %.6f h: a broken loop\n",
                wq, EXACT_WQ);
        return 1;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Runs CMD once and reads events, seconds, peak KB and Wq from it (bench_mmc prints the
 * customers first: skip_first). */
static int run_one(const char *cmd, int skip_first, double *events, double *secs, double *kb,
                   double *wq)
{
    double skip = 0;
    FILE *p = popen(cmd, "r");
    if (!p) {
        return -1;
    }
    int n = skip_first ? fscanf(p, "%lf %lf %lf %lf %lf", &skip, events, secs, kb, wq) - 1
                       : fscanf(p, "%lf %lf %lf %lf", events, secs, kb, wq);
    int rc = pclose(p);
    return n == 4 && rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "ONE") == 0) {
        return measure();
    }
    /* bench_mmc sits beside this program. */
    char self[2048], other[2048];
    const char *slash = strrchr(argv[0], '/');
    int dir_len = slash ? (int)(slash - argv[0]) + 1 : 0;
    snprintf(self, sizeof self, "%s ONE", argv[0]);
    snprintf(other, sizeof other, "%.*sbench_mmc ONE 9 80000", dir_len, argv[0]);

    double ev_c[PAIRS], ev_m[PAIRS], rate_c[PAIRS], rate_m[PAIRS], share[PAIRS];
    double kb_c[PAIRS], kb_m[PAIRS], wq_c = 0, wq_m = 0, secs;
    for (int k = 0; k < PAIRS; k++) {
        if (run_one(self, 0, &ev_c[k], &secs, &kb_c[k], &wq_c) != 0) {
            fprintf(stderr, "bench_ceiling: measurement failed: %s\n", self);
            return 1;
        }
        rate_c[k] = ev_c[k] / secs;
        if (run_one(other, 1, &ev_m[k], &secs, &kb_m[k], &wq_m) != 0) {
            fprintf(stderr, "bench_ceiling: measurement failed: %s\n", other);
            return 1;
        }
        rate_m[k] = ev_m[k] / secs;
        share[k] = rate_m[k] / rate_c[k];
    }
    printf("bare-machine ceiling against ccsim, M/M/10 W1a (9 arrivals an hour, 10 servers, "
           "horizon 80,000 h)\n");
    printf("(%d pairs interleaved, ceiling then ccsim, each a fresh process on one thread; "
           "medians; simulation time alone)\n\n",
           PAIRS);
    printf("%-8s %12s %16s %9s %9s\n", "program", "events", "events/s", "peak MB", "Wq (h)");
    printf("%-8s %12.0f %16.0f %9.1f %9.4f\n", "ceiling", ev_c[0], median(rate_c, PAIRS),
           median(kb_c, PAIRS) / 1024.0, wq_c);
    printf("%-8s %12.0f %16.0f %9.1f %9.4f\n", "ccsim", ev_m[0], median(rate_m, PAIRS),
           median(kb_m, PAIRS) / 1024.0, wq_m);
    double lo = share[0], hi = share[0];
    for (int k = 1; k < PAIRS; k++) {
        lo = share[k] < lo ? share[k] : lo;
        hi = share[k] > hi ? share[k] : hi;
    }
    printf("\nccsim's M/M/c events/s as a share of the ceiling: %.0f%% (median of %d pairs; "
           "%.0f%% to %.0f%%); target at least 80%%\n",
           100.0 * median(share, PAIRS), PAIRS, 100.0 * lo, 100.0 * hi);
    printf("exact Wq 0.668732 h (Erlang C)\n\n");
    return 0;
}
