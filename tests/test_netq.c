/*
 * Verification of the kernel and the queueing-network model against closed forms.
 *
 * Each test runs R independent replications and asserts that the analytic value lies inside the
 * simulated 99% t interval across replications. With a fixed seed each test is deterministic;
 * the 99% level means that a correct simulator fails a given check for about one seed in a
 * hundred, while a wrong formula (a biased queue, a wrong distribution) moves the estimate far
 * outside intervals this narrow (half-widths of about 1% of the value: a bias of 2% in M/M/1,
 * M/D/1 or the Jackson network fails these checks). Warm-ups are many
 * relaxation times long, so the initial bias is far below the interval width.
 *
 * Run without arguments (make test), every horizon is a tenth of its full length: the same
 * closed forms inside intervals about three times wider, which still catch a wrong formula but
 * not a bias of a few percent. `test_netq --full` (make verify) runs the full horizons and the
 * tight intervals described above. Little's law is checked per replication, so its horizon is
 * the same in both.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/ci.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

/* 1 with --full, 0.1 otherwise: scales the observed part of every horizon (not the warm-up). */
static double horizon_scale = 0.1;

/* The horizon of a check whose full length is FULL days and whose warm-up is WARMUP days. */
static double scaled(double full, double warmup)
{
    return warmup + (full - warmup) * horizon_scale;
}

/* Loads scenario text (failing the test with its diagnostics if it does not load) and runs its
 * own replications with its own seed. */
static void run_text(struct support_run *r, const char *text)
{
    r->sc = support_load_text(&r->cfg, "verify.cfg", text);
    support_run_replications(r, 0, 0, SUPPORT_THREADS);
}

/* Runs scenario text that gives no horizon or warm-up, with these (the horizon scaled). */
static void run_horizon(struct support_run *r, const char *rest, double horizon, double warmup)
{
    char text[4096];

    snprintf(text, sizeof text, "horizon = %.17g; warmup = %.17g;\n%s", scaled(horizon, warmup),
             warmup, rest);
    run_text(r, text);
}

static struct ci metric_ci(const struct support_run *r, const char *name, double level)
{
    struct ci c;
    int m = support_metric_index(r->sc, name);

    ci_t(r->res.metrics + m, (size_t)r->res.replications, (size_t)r->sc->n_metrics, level, &c);
    return c;
}

/* Asserts that the exact value lies in the 99% interval of the metric. */
#define assert_in_ci99(r, name, exact)                                                             \
    do {                                                                                           \
        struct ci c_ = metric_ci((r), (name), 0.99);                                               \
        if (!(c_.lo <= (exact) && (exact) <= c_.hi)) {                                             \
            fprintf(stderr, "%s: exact %.6f outside 99%% CI [%.6f, %.6f] (mean %.6f)\n", (name),   \
                    (double)(exact), c_.lo, c_.hi, c_.mean);                                       \
        }                                                                                          \
        assert_inside((exact), c_.lo, c_.hi);                                                      \
    } while (0)

static const char single_station[] =
    "model = \"network\"; horizon = %g; warmup = %g; replications = %d; seed = %d;\n"
    "network = {\n"
    "  arrivals = ( { to = \"q\"; interarrival = { dist = \"exponential\"; mean = %.17g; }; } );\n"
    "  stations = ( { name = \"q\"; servers = %d; capacity = %d;\n"
    "                 service = %s; } );\n"
    "};\n";

static void run_single(struct support_run *r, double horizon, double warmup, int reps, int seed,
                       double lambda, int servers, int capacity, const char *service)
{
    char text[2048];

    snprintf(text, sizeof text, single_station, scaled(horizon, warmup), warmup, reps, seed,
             1.0 / lambda, servers, capacity, service);
    run_text(r, text);
}

/* Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu < c. */
static double erlang_c(int c, double a)
{
    double term = 1.0, sum = 1.0; /* a^k / k!, summed for k < c */

    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double top = term * a / c * c / (c - a); /* a^c/c! * c/(c - a) */
    return top / (sum + top);
}

/* M/M/1, rho = 0.7: Wq = rho/(mu - lambda), W = 1/(mu - lambda), Lq = rho^2/(1 - rho),
 * L = rho/(1 - rho). */
static void test_mm1_matches_closed_form(void **state)
{
    struct support_run r;
    double lambda = 0.7, mu = 1.0, rho = lambda / mu;

    (void)state;
    run_single(&r, 250000, 2000, 20, 11, lambda, 1, 0, "{ dist = \"exponential\"; mean = 1.0; }");
    assert_in_ci99(&r, "q.wait", rho / (mu - lambda));
    assert_in_ci99(&r, "q.sojourn", 1.0 / (mu - lambda));
    assert_in_ci99(&r, "q.queue_length", rho * rho / (1 - rho));
    assert_in_ci99(&r, "q.in_system", rho / (1 - rho));
    assert_in_ci99(&r, "q.utilisation", rho);
    assert_in_ci99(&r, "q.throughput", lambda);
    support_run_fini(&r);
}

/* M/M/10 at rho = 0.9 (workload W1a): Wq = C(c, a)/(c mu - lambda), Lq = lambda Wq. */
static void test_mmc_matches_erlang_c(void **state)
{
    struct support_run r;
    int c = 10;
    double lambda = 9.0, a = lambda;
    double wq = erlang_c(c, a) / (c - lambda);

    (void)state;
    assert_close(erlang_c(c, a), 0.668732, 0, 1e-6); /* PEERS.md W1a, P(wait) */
    run_single(&r, 40000, 1000, 20, 12, lambda, c, 0, "{ dist = \"exponential\"; mean = 1.0; }");
    assert_in_ci99(&r, "q.wait", wq);
    assert_in_ci99(&r, "q.sojourn", wq + 1.0);
    assert_in_ci99(&r, "q.queue_length", lambda * wq);
    assert_in_ci99(&r, "q.in_system", lambda * (wq + 1.0));
    assert_in_ci99(&r, "q.utilisation", lambda / c);
    support_run_fini(&r);
}

/* M/M/c/K, c = 3, K = 7, offered load a = 3.3 (rho = 1.1, stable only because of the limit).
 * p_n = p0 a^n/n! for n <= c, p0 a^c/c! rho^(n-c) for c < n <= K; blocking p_K;
 * effective rate lambda (1 - p_K); W = L / lambda_eff, Wq = Lq / lambda_eff (Little). */
static void test_mmck_matches_blocking_and_waits(void **state)
{
    struct support_run r;
    int c = 3, k = 7;
    double lambda = 3.3, a = lambda, rho = a / c;
    double p[8], term = 1.0, sum = 0.0;

    (void)state;
    for (int n = 0; n <= k; n++) {
        if (n > 0) {
            term *= n <= c ? a / n : rho;
        }
        p[n] = term;
        sum += term;
    }
    double l = 0, lq = 0;
    for (int n = 0; n <= k; n++) {
        p[n] /= sum;
        l += n * p[n];
        lq += (n > c ? n - c : 0) * p[n];
    }
    double lambda_eff = lambda * (1 - p[k]);

    run_single(&r, 30000, 500, 20, 13, lambda, c, k, "{ dist = \"exponential\"; mean = 1.0; }");
    assert_in_ci99(&r, "q.blocked", p[k]);
    assert_in_ci99(&r, "q.in_system", l);
    assert_in_ci99(&r, "q.queue_length", lq);
    assert_in_ci99(&r, "q.wait", lq / lambda_eff);
    assert_in_ci99(&r, "q.sojourn", l / lambda_eff);
    assert_in_ci99(&r, "q.throughput", lambda_eff);
    support_run_fini(&r);
}

/* Pollaczek-Khinchine: Wq = lambda E[S^2] / (2 (1 - rho)) for M/G/1. */
static double pk_wait(double lambda, double mean, double var)
{
    return lambda * (var + mean * mean) / (2 * (1 - lambda * mean));
}

static void test_md1_matches_pollaczek_khinchine(void **state)
{
    struct support_run r;
    double lambda = 0.75, d = 1.0;

    (void)state;
    run_single(&r, 200000, 2000, 20, 14, lambda, 1, 0, "{ dist = \"fixed\"; value = 1.0; }");
    assert_in_ci99(&r, "q.wait", pk_wait(lambda, d, 0.0));
    assert_in_ci99(&r, "q.sojourn", pk_wait(lambda, d, 0.0) + d);
    support_run_fini(&r);
}

static void test_mg1_gamma_and_lognormal_match_pollaczek_khinchine(void **state)
{
    struct support_run r;
    double lambda = 0.6;

    (void)state;
    /* Gamma service, mean 1.1, sd 0.7 (rho = 0.66). */
    run_single(&r, 200000, 2000, 20, 15, lambda, 1, 0,
               "{ dist = \"gamma\"; mean = 1.1; sd = 0.7; }");
    assert_in_ci99(&r, "q.wait", pk_wait(lambda, 1.1, 0.49));
    assert_in_ci99(&r, "q.queue_length", lambda * pk_wait(lambda, 1.1, 0.49));
    support_run_fini(&r);

    /* Lognormal service, mean 0.9, sd 1.3 (rho = 0.54; heavier tail). */
    run_single(&r, 200000, 2000, 20, 16, lambda, 1, 0,
               "{ dist = \"lognormal\"; mean = 0.9; sd = 1.3; }");
    assert_in_ci99(&r, "q.wait", pk_wait(lambda, 0.9, 1.69));
    support_run_fini(&r);

    /* Uniform service on [0.2, 2.0] (mean 1.1, variance 1.8^2/12). */
    run_single(&r, 200000, 2000, 20, 17, lambda, 1, 0,
               "{ dist = \"uniform\"; min = 0.2; max = 2.0; }");
    assert_in_ci99(&r, "q.wait", pk_wait(lambda, 1.1, 1.8 * 1.8 / 12));
    support_run_fini(&r);
}

/* An open Jackson network with feedback: external arrivals (rate 0.4) join A (1 server,
 * mean 1); A sends everyone to B (2 servers, mean 2); B sends 20% back to A and 80% out.
 * Traffic equations: lambda_A = lambda_B = 0.4 / 0.8 = 0.5. By Jackson's theorem each
 * station behaves as an independent M/M/c: A is M/M/1 with rho 0.5 (L = 1), B is M/M/2 with
 * a = 1 (L = a + C(2,1) * (a/(c-a))... computed below). Total sojourn = (L_A + L_B) / 0.4. */
static void test_jackson_network_with_feedback(void **state)
{
    struct support_run r;
    const char *text =
        "model = \"network\"; replications = 20; seed = 18;\n"
        "network = {\n"
        "  arrivals = ( { to = \"A\"; interarrival = { dist = \"exponential\"; mean = 2.5; }; } "
        ");\n"
        "  stations = (\n"
        "    { name = \"A\"; servers = 1; service = { dist = \"exponential\"; mean = 1.0; };\n"
        "      routing = ( { to = \"B\"; p = 1.0; } ); },\n"
        "    { name = \"B\"; servers = 2; service = { dist = \"exponential\"; mean = 2.0; };\n"
        "      routing = ( { to = \"A\"; p = 0.2; }, { to = \"exit\"; p = 0.8; } ); }\n"
        "  );\n"
        "};\n";
    double lam = 0.5;
    double la = 0.5 / (1 - 0.5); /* M/M/1, rho 0.5 */
    double a_b = lam * 2.0;      /* offered load at B */
    double wq_b = erlang_c(2, a_b) / (2 / 2.0 - lam);
    double lb = lam * (wq_b + 2.0);

    (void)state;
    run_horizon(&r, text, 150000, 2000);
    assert_in_ci99(&r, "A.throughput", lam);
    assert_in_ci99(&r, "B.throughput", lam);
    assert_in_ci99(&r, "A.in_system", la);
    assert_in_ci99(&r, "B.in_system", lb);
    assert_in_ci99(&r, "B.wait", wq_b);
    assert_in_ci99(&r, "system.in_system", la + lb);
    assert_in_ci99(&r, "system.sojourn", (la + lb) / 0.4);
    assert_in_ci99(&r, "system.throughput", 0.4);
    support_run_fini(&r);
}

/* A tandem of two stations without feedback (Burke: the output of M/M/1 is Poisson). */
static void test_tandem_jackson_network(void **state)
{
    struct support_run r;
    const char *text =
        "model = \"network\"; replications = 20; seed = 19;\n"
        "network = {\n"
        "  arrivals = ( { to = \"first\"; interarrival = { dist = \"exponential\"; mean = 1.25; "
        "}; } );\n"
        "  stations = (\n"
        "    { name = \"first\"; servers = 1; service = { dist = \"exponential\"; mean = 0.75; };\n"
        "      routing = ( { to = \"second\"; p = 1.0; } ); },\n"
        "    { name = \"second\"; servers = 3; service = { dist = \"exponential\"; mean = 3.0; }; "
        "}\n"
        "  );\n"
        "};\n";
    double lam = 0.8;
    double w1 = 1 / (1 / 0.75 - lam);
    double wq2 = erlang_c(3, lam * 3.0) / (3 / 3.0 - lam);

    (void)state;
    run_horizon(&r, text, 150000, 2000);
    assert_in_ci99(&r, "first.sojourn", w1);
    assert_in_ci99(&r, "second.wait", wq2);
    assert_in_ci99(&r, "system.sojourn", w1 + wq2 + 3.0);
    support_run_fini(&r);
}

/* Little's law, L = lambda W, holds at every station in every replication up to edge effects of
 * the finite window (customers present at the window's ends), which are far below 1% here. */
static void test_littles_law_at_every_station(void **state)
{
    struct support_run r;
    const char *text =
        "model = \"network\"; horizon = 20000; warmup = 500; replications = 10; seed = 20;\n"
        "network = {\n"
        "  arrivals = ( { to = \"a\"; interarrival = { dist = \"exponential\"; mean = 1.0; }; },\n"
        "               { to = \"b\"; interarrival = { dist = \"uniform\"; min = 1.0; max = 3.0; "
        "}; } );\n"
        "  stations = (\n"
        "    { name = \"a\"; servers = 2; service = { dist = \"gamma\"; mean = 1.2; sd = 0.5; };\n"
        "      routing = ( { to = \"b\"; p = 0.3; }, { to = \"c\"; p = 0.7; } ); },\n"
        "    { name = \"b\"; servers = 1; capacity = 4;\n"
        "      service = { dist = \"triangular\"; min = 0.1; mode = 0.5; max = 1.2; }; },\n"
        "    { name = \"c\"; servers = 1;\n"
        "      service = { dist = \"weibull\"; shape = 1.5; scale = 0.9; };\n"
        "      patience = { dist = \"exponential\"; mean = 2.0; }; }\n"
        "  );\n"
        "};\n";
    const char *stations[] = {"a", "b", "c"};

    (void)state;
    run_text(&r, text);
    for (long rep = 0; rep < r.res.replications; rep++) {
        const double *m = r.res.metrics + rep * r.sc->n_metrics;
        for (int s = 0; s < 3; s++) {
            char name[64];
            snprintf(name, sizeof name, "%s.in_system", stations[s]);
            double l = m[support_metric_index(r.sc, name)];
            snprintf(name, sizeof name, "%s.throughput", stations[s]);
            double x = m[support_metric_index(r.sc, name)];
            snprintf(name, sizeof name, "%s.sojourn", stations[s]);
            double w = m[support_metric_index(r.sc, name)];
            snprintf(name, sizeof name, "%s.queue_length", stations[s]);
            double lq = m[support_metric_index(r.sc, name)];
            snprintf(name, sizeof name, "%s.wait", stations[s]);
            double wq = m[support_metric_index(r.sc, name)];
            if (s == 2) {
                /* Abandoning customers spend time in the queue but are not counted in
                 * throughput or sojourn, so Little's law at c holds for the served alone only
                 * for the server: busy servers = throughput x mean service. */
                snprintf(name, sizeof name, "%s.utilisation", stations[s]);
                assert_close(m[support_metric_index(r.sc, name)], x * 0.9 * tgamma(1 + 1 / 1.5),
                             0.02, 0);
                continue;
            }
            assert_close(l, x * w, 0.01, 0);
            assert_close(lq, x * wq, 0.02, 0.002);
        }
        double l = m[support_metric_index(r.sc, "system.in_system")];
        double x = m[support_metric_index(r.sc, "system.throughput")];
        double w = m[support_metric_index(r.sc, "system.sojourn")];
        assert_true(l > x * w); /* abandoned customers add to L but not to X W */
    }
    support_run_fini(&r);
}

/* Non-preemptive priority M/G/1 with two classes (Cobham 1954): with
 * W0 = sum_i lambda_i E[S_i^2] / 2 and sigma_k = sum_{i <= k} rho_i, the mean wait of class k is
 * W0 / ((1 - sigma_{k-1}) (1 - sigma_k)). Classes share one station, so the station's mean wait
 * is the arrival-weighted mixture; class 1 (priority 0) arrives at 0.3, class 2 at 0.4, both
 * exponential service with mean 1. */
static void test_priority_queue_matches_cobham(void **state)
{
    struct support_run r;
    const char *text =
        "model = \"network\"; replications = 20; seed = 21;\n"
        "network = {\n"
        "  arrivals = ( { to = \"hi\"; priority = 0; name = \"urgent\";\n"
        "                 interarrival = { dist = \"exponential\"; mean = 3.333333333333333; }; "
        "},\n"
        "               { to = \"lo\"; priority = 1; name = \"routine\";\n"
        "                 interarrival = { dist = \"exponential\"; mean = 2.5; }; } );\n"
        "  stations = (\n"
        "    { name = \"hi\"; servers = 1000; service = { dist = \"fixed\"; value = 0.0; };\n"
        "      routing = ( { to = \"srv\"; p = 1.0; } ); },\n"
        "    { name = \"lo\"; servers = 1000; service = { dist = \"fixed\"; value = 0.0; };\n"
        "      routing = ( { to = \"srv\"; p = 1.0; } ); },\n"
        "    { name = \"srv\"; servers = 1; discipline = \"priority\";\n"
        "      service = { dist = \"exponential\"; mean = 1.0; }; }\n"
        "  );\n"
        "};\n";
    double l1 = 0.3, l2 = 0.4;
    double w0 = (l1 + l2) * 2.0 / 2; /* E[S^2] = 2 for exponential mean 1 */
    double wq1 = w0 / (1 - l1);
    double wq2 = w0 / ((1 - l1) * (1 - l1 - l2));
    double mixed = (l1 * wq1 + l2 * wq2) / (l1 + l2);

    (void)state;
    run_horizon(&r, text, 60000, 1000);
    /* By work conservation the mixture equals the FIFO wait 0.7/0.3; the classes do not. */
    assert_in_ci99(&r, "srv.wait", mixed);
    assert_in_ci99(&r, "urgent.sojourn", wq1 + 1.0);
    assert_in_ci99(&r, "routine.sojourn", wq2 + 1.0);
    assert_in_ci99(&r, "urgent.throughput", l1);
    support_run_fini(&r);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--full") == 0) {
        horizon_scale = 1.0;
    } else if (argc > 1) {
        fprintf(stderr, "usage: %s [--full]\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mm1_matches_closed_form),
        cmocka_unit_test(test_mmc_matches_erlang_c),
        cmocka_unit_test(test_mmck_matches_blocking_and_waits),
        cmocka_unit_test(test_md1_matches_pollaczek_khinchine),
        cmocka_unit_test(test_mg1_gamma_and_lognormal_match_pollaczek_khinchine),
        cmocka_unit_test(test_jackson_network_with_feedback),
        cmocka_unit_test(test_tandem_jackson_network),
        cmocka_unit_test(test_littles_law_at_every_station),
        cmocka_unit_test(test_priority_queue_matches_cobham),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
