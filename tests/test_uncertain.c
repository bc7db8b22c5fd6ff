/*
 * Unit tests of analysis/uncertain: fitting a distribution to a 95% interval or to moments,
 * reading a scenario's uncertainty group and the keys' default uncertainty, and the draws.
 *
 * Tolerances. A fit must reproduce its interval to a relative 1e-6. Over n = 20,000 draws the
 * share below the declared 2.5% quantile is binomial with sd sqrt(0.025 x 0.975 / n) = 0.0011,
 * and the tests allow 4 of them (0.0044); a correlation of normal scores has sd about (1 -
 * rho^2) / sqrt(n) = 0.0045 and the tests allow 4 (0.018). The seeds are fixed, so the tests
 * are deterministic; a correct implementation fails one of them for about one seed in 10^4.
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
#include <gsl/gsl_cdf.h>

#include "analysis/uncertain.h"
#include "models/model.h"
#include "sim/rng.h"
#include "tests/support.h"

#define N_DRAWS 20000
#define Q_TOL   (4 * 0.0011)

/* A one-station network whose keys the tests make uncertain, with an uncertainty group. */
static const char net_text[] =
    "model = \"network\"; horizon = 100.0; replications = 2; seed = 7;\n"
    "network = {\n"
    "  arrivals = ( { to = \"q\"; interarrival = { dist = \"exponential\"; mean = 1.0; };\n"
    "                 priority = 0.0; } );\n"
    "  stations = ( { name = \"q\"; servers = 2; service = { dist = \"exponential\"; mean = "
    "1.5; };\n"
    "                 routing = ( { to = \"exit\"; p = 1.0; } ); } );\n"
    "};\n";

struct loaded {
    struct cfg cfg;
    struct scenario *sc;
    struct unc_set u;
};

/* Loads net_text followed by extra and reads its uncertainty; fails the test on a problem. */
static void load(struct loaded *l, const char *extra)
{
    char text[8192];

    snprintf(text, sizeof text, "%s%s", net_text, extra);
    l->sc = support_load_text(&l->cfg, "unc.cfg", text);
    assert_non_null(l->sc);
    struct diag d;
    diag_init(&d);
    int rc = unc_set_load(&l->u, &l->cfg, &d);
    if (rc != 0) {
        diag_print(&d, stderr);
    }
    diag_fini(&d);
    assert_int_equal(rc, 0);
}

/* The number of problems unc_set_load() finds in net_text with extra. */
static int problems(const char *extra, char *first, size_t n)
{
    char text[8192];
    struct cfg c;
    struct unc_set u;
    struct diag d;

    snprintf(text, sizeof text, "%s%s", net_text, extra);
    struct scenario *sc = support_load_text(&c, "unc.cfg", text);
    assert_non_null(sc);
    diag_init(&d);
    int rc = unc_set_load(&u, &c, &d);
    int np = diag_count(&d);
    snprintf(first, n, "%s", np > 0 ? d.msgs[0] : "");
    assert_int_equal(rc, np > 0 ? -1 : 0);
    if (rc == 0) {
        unc_set_fini(&u);
    }
    diag_fini(&d);
    scenario_destroy(sc);
    cfg_fini(&c);
    return np;
}

static void unload(struct loaded *l)
{
    unc_set_fini(&l->u);
    scenario_destroy(l->sc);
    cfg_fini(&l->cfg);
}

/* ---- fitting ------------------------------------------------------------------------------- */

struct interval {
    enum unc_dist dist;
    double lo, hi;
};

static const struct interval intervals[] = {
    {UNC_BETA, 0.13, 0.45},     {UNC_BETA, 0.001, 0.02},     {UNC_BETA, 0.6, 0.99},
    {UNC_BETA, 0.3, 0.31},      {UNC_GAMMA, 12.0, 48.0},     {UNC_GAMMA, 0.5, 0.97},
    {UNC_GAMMA, 1e-3, 20.0},    {UNC_GAMMA, 100.0, 104.0},   {UNC_LOGNORMAL, 0.11, 0.32},
    {UNC_LOGNORMAL, 0.5, 0.97}, {UNC_LOGNORMAL, 1e-4, 1e4},  {UNC_NORMAL, -1.37, -0.34},
    {UNC_NORMAL, -0.37, 0.21},  {UNC_NORMAL, 1e6, 1.0001e6},
};

static void test_fit_ci_reproduces_the_interval(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof intervals / sizeof intervals[0]; i++) {
        const struct interval *iv = &intervals[i];
        struct unc_param p = {.dist = iv->dist};
        char why[1024] = "";
        int rc = unc_fit_ci(iv->dist, iv->lo, iv->hi, &p.a, &p.b, why, sizeof why);
        if (rc != 0) {
            fail_msg("%s [%g, %g]: %s", unc_dist_name(iv->dist), iv->lo, iv->hi, why);
        }
        double scale = fmax(fabs(iv->lo), fabs(iv->hi));
        assert_close(unc_quantile(&p, 0.025), iv->lo, 0, 1e-6 * scale);
        assert_close(unc_quantile(&p, 0.975), iv->hi, 0, 1e-6 * scale);
    }
}

/* The stated closed forms: lognormal and normal from the interval's logs or ends. */
static void test_fit_ci_closed_forms(void **state)
{
    double a, b;
    char why[256];

    (void)state;
    assert_int_equal(unc_fit_ci(UNC_LOGNORMAL, 0.11, 0.32, &a, &b, why, sizeof why), 0);
    assert_close(a, 0.5 * (log(0.11) + log(0.32)), 1e-15, 0);
    assert_close(b, (log(0.32) - log(0.11)) / (2 * 1.959964), 1e-6, 0);
    assert_int_equal(unc_fit_ci(UNC_NORMAL, -1.37, -0.34, &a, &b, why, sizeof why), 0);
    assert_close(a, -0.855, 1e-15, 0);
    assert_close(b, 1.03 / (2 * 1.959964), 1e-6, 0);
}

static double mean_of(const struct unc_param *p)
{
    switch (p->dist) {
    case UNC_BETA:
        return p->a / (p->a + p->b);
    case UNC_GAMMA:
        return p->a * p->b;
    case UNC_LOGNORMAL:
        return exp(p->a + 0.5 * p->b * p->b);
    case UNC_NORMAL:
        return p->a;
    }
    return NAN;
}

static double sd_of(const struct unc_param *p)
{
    switch (p->dist) {
    case UNC_BETA: {
        double s = p->a + p->b;
        return sqrt(p->a * p->b / (s * s * (s + 1)));
    }
    case UNC_GAMMA:
        return sqrt(p->a) * p->b;
    case UNC_LOGNORMAL:
        return sqrt(expm1(p->b * p->b)) * exp(p->a + 0.5 * p->b * p->b);
    case UNC_NORMAL:
        return p->b;
    }
    return NAN;
}

static void test_fit_moments_reproduces_mean_and_sd(void **state)
{
    static const struct {
        enum unc_dist dist;
        double mean, sd;
    } cases[] = {{UNC_BETA, 0.3, 0.05}, {UNC_BETA, 0.02, 0.01},    {UNC_GAMMA, 24.0, 6.0},
                 {UNC_GAMMA, 0.4, 1.0}, {UNC_LOGNORMAL, 0.7, 0.1}, {UNC_NORMAL, -0.86, 0.26}};

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct unc_param p = {.dist = cases[i].dist};
        char why[512];
        assert_int_equal(
            unc_fit_moments(cases[i].dist, cases[i].mean, cases[i].sd, &p.a, &p.b, why, sizeof why),
            0);
        assert_close(mean_of(&p), cases[i].mean, 1e-12, 0);
        assert_close(sd_of(&p), cases[i].sd, 1e-12, 0);
    }
}

static void test_fit_refuses_what_no_distribution_has(void **state)
{
    double a, b;
    char why[1024];

    (void)state;
    assert_int_equal(unc_fit_ci(UNC_BETA, 0.5, 1.2, &a, &b, why, sizeof why), -1);
    assert_non_null(strstr(why, "within (0, 1)"));
    assert_int_equal(unc_fit_ci(UNC_BETA, 0.5, 0.5000001, &a, &b, why, sizeof why), -1);
    assert_non_null(strstr(why, "no beta"));
    assert_int_equal(unc_fit_ci(UNC_GAMMA, 0.0, 3.0, &a, &b, why, sizeof why), -1);
    assert_int_equal(unc_fit_ci(UNC_LOGNORMAL, -1.0, 3.0, &a, &b, why, sizeof why), -1);
    assert_int_equal(unc_fit_ci(UNC_NORMAL, 2.0, 1.0, &a, &b, why, sizeof why), -1);
    assert_int_equal(unc_fit_moments(UNC_BETA, 0.3, 0.5, &a, &b, why, sizeof why), -1);
    assert_int_equal(unc_fit_moments(UNC_GAMMA, -1.0, 0.5, &a, &b, why, sizeof why), -1);
}

/* ---- draws --------------------------------------------------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Over N_DRAWS draws of a set holding only p (fitted to iv), the shares below the interval's ends
 * are 2.5% and 97.5% within Q_TOL. */
static void check_draws_match(const struct interval *iv)
{
    struct unc_param p = {
        .path = "some.key", .dist = iv->dist, .allowed_lo = -HUGE_VAL, .allowed_hi = HUGE_VAL};
    char why[1024];
    assert_int_equal(unc_fit_ci(iv->dist, iv->lo, iv->hi, &p.a, &p.b, why, sizeof why), 0);
    struct unc_set u = {.p = &p, .n = 1};
    double *x = malloc(N_DRAWS * sizeof *x);
    int below_lo = 0, below_hi = 0;
    for (int d = 0; d < N_DRAWS; d++) {
        unc_draw(&u, 20261202, (uint64_t)d, &x[d]);
        below_lo += x[d] < iv->lo;
        below_hi += x[d] < iv->hi;
    }
    assert_inside((double)below_lo / N_DRAWS, 0.025 - Q_TOL, 0.025 + Q_TOL);
    assert_inside((double)below_hi / N_DRAWS, 0.975 - Q_TOL, 0.975 + Q_TOL);
    /* The empirical quantiles themselves sit between the distribution's quantiles at 2.5% +- the
     * same tolerance. */
    qsort(x, N_DRAWS, sizeof *x, cmp_double);
    double q_lo = x[(int)(0.025 * N_DRAWS)], q_hi = x[(int)(0.975 * N_DRAWS)];
    assert_inside(q_lo, unc_quantile(&p, 0.025 - Q_TOL), unc_quantile(&p, 0.025 + Q_TOL));
    assert_inside(q_hi, unc_quantile(&p, 0.975 - Q_TOL), unc_quantile(&p, 0.975 + Q_TOL));
    free(x);
}

/* One interval of each distribution, and a skewed beta and gamma (the very concentrated ones of
 * intervals[] cost more per draw and are checked by the fit only). */
static void test_draws_match_the_declared_interval(void **state)
{
    static const struct interval drawn[] = {
        {UNC_BETA, 0.13, 0.45},  {UNC_BETA, 0.001, 0.02},     {UNC_GAMMA, 12.0, 48.0},
        {UNC_GAMMA, 1e-3, 20.0}, {UNC_LOGNORMAL, 0.11, 0.32}, {UNC_NORMAL, -1.37, -0.34},
    };

    (void)state;
    for (size_t i = 0; i < sizeof drawn / sizeof drawn[0]; i++) {
        check_draws_match(&drawn[i]);
    }
}

/* A draw is a pure function of (seed, draw, path): the same in a set of one parameter and in a
 * set where others are added before and after it; another draw, seed or path differs. */
static void test_draws_are_pure_functions_of_seed_draw_and_path(void **state)
{
    struct loaded one, three;

    (void)state;
    load(&one, "uncertainty = { parameters = ( { key = \"network.stations[0].service.mean\"; "
               "dist = \"gamma\"; from_ci = [1.0, 2.0]; } ); };\n");
    load(&three,
         "uncertainty = { parameters = (\n"
         "  { key = \"network.arrivals[0].interarrival.mean\"; dist = \"lognormal\"; from_ci = "
         "[0.8, 1.2]; },\n"
         "  { key = \"network.stations[0].service.mean\"; dist = \"gamma\"; from_ci = [1.0, 2.0]; "
         "},\n"
         "  { key = \"network.arrivals[0].priority\"; dist = \"normal\"; mean = 0.0; sd = 1.0; }\n"
         "); };\n");
    assert_int_equal(one.u.n, 1);
    assert_int_equal(three.u.n, 3);
    assert_string_equal(three.u.p[1].path, "network.stations[0].service.mean");
    double x1, x3[3], prev = NAN;
    for (uint64_t d = 0; d < 200; d++) {
        unc_draw(&one.u, 7, d, &x1);
        unc_draw(&three.u, 7, d, x3);
        assert_true(x1 == x3[1]);
        assert_true(x1 != prev);
        prev = x1;
        double again;
        unc_draw(&one.u, 7, d, &again);
        assert_true(again == x1);
        double other_seed;
        unc_draw(&one.u, 8, d, &other_seed);
        assert_true(other_seed != x1);
        /* The uniform is the documented one. */
        assert_true(
            unc_uniform(&one.u.p[0], 7, d) ==
            rng_first_uniform(rng_seed_derive(7, d, STREAM_PARAMETER,
                                              rng_key_string("network.stations[0].service.mean"))));
        assert_true(x1 == unc_quantile(&one.u.p[0], unc_uniform(&one.u.p[0], 7, d)));
    }
    /* Two parameters' draws are not the same numbers (different keys). */
    double u0 = unc_uniform(&three.u.p[0], 7, 3), u1 = unc_uniform(&three.u.p[1], 7, 3);
    assert_true(u0 != u1);
    unload(&one);
    unload(&three);
}

/* Correlated draws: the normal scores Phi^-1(F(x)) of two parameters correlate as declared, and
 * each keeps its marginal distribution; an uncorrelated third keeps its own draws exactly. */
static void test_correlated_draws(void **state)
{
    struct loaded l, alone;

    (void)state;
    load(&l, "uncertainty = {\n"
             "  parameters = (\n"
             "    { key = \"network.arrivals[0].interarrival.mean\"; dist = \"lognormal\"; from_ci "
             "= [0.8, 1.2]; },\n"
             "    { key = \"network.arrivals[0].priority\"; dist = \"normal\"; mean = 0.0; sd = "
             "1.0; },\n"
             "    { key = \"network.stations[0].service.mean\"; dist = \"gamma\"; from_ci = [1.0, "
             "2.0]; }\n"
             "  );\n"
             "  correlations = ( { keys = [\"network.stations[0].service.mean\", "
             "\"network.arrivals[0].interarrival.mean\"]; rho = 0.6; } );\n"
             "};\n");
    load(&alone, "uncertainty = { parameters = ( { key = \"network.arrivals[0].priority\"; dist = "
                 "\"normal\"; mean = 0.0; sd = 1.0; } ); };\n");
    assert_non_null(l.u.chol);
    assert_close(l.u.rho[0 * 3 + 2], 0.6, 0, 0);
    assert_close(l.u.rho[1 * 3 + 2], 0.0, 0, 0);
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    int below_lo = 0;
    for (int d = 0; d < N_DRAWS; d++) {
        double x[3], y;
        unc_draw(&l.u, 11, (uint64_t)d, x);
        unc_draw(&alone.u, 11, (uint64_t)d, &y);
        assert_true(x[1] == y);
        below_lo += x[2] < 1.0;
        double z0 = (log(x[0]) - l.u.p[0].a) / l.u.p[0].b;
        double z2 = gsl_cdf_ugaussian_Pinv(gsl_cdf_gamma_P(x[2], l.u.p[2].a, l.u.p[2].b));
        sx += z0;
        sy += z2;
        sxx += z0 * z0;
        syy += z2 * z2;
        sxy += z0 * z2;
    }
    double n = N_DRAWS;
    double r = (sxy - sx * sy / n) / sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
    assert_inside(r, 0.6 - 0.018, 0.6 + 0.018);
    assert_inside((double)below_lo / N_DRAWS, 0.025 - Q_TOL, 0.025 + Q_TOL);
    unload(&l);
    unload(&alone);
}

/* An integer key's draws are whole numbers, inside its range, and its assignment says so. */
static void test_integer_keys_are_rounded(void **state)
{
    struct loaded l;
    char buf[256];

    (void)state;
    load(&l, "uncertainty = { parameters = ( { key = \"network.stations[0].servers\"; dist = "
             "\"normal\"; from_ci = [3.0, 7.0]; } ); };\n");
    assert_true(l.u.p[0].is_int);
    int seen[16] = {0};
    for (uint64_t d = 0; d < 2000; d++) {
        double x;
        unc_draw(&l.u, 3, d, &x);
        assert_true(x == floor(x));
        assert_inside(x, 1, 15);
        seen[(int)x]++;
        unc_assign(&l.u.p[0], x, buf, sizeof buf);
        char want[64];
        snprintf(want, sizeof want, "network.stations[0].servers=%d", (int)x);
        assert_string_equal(buf, want);
    }
    /* Rounded, not truncated: 5 (the mean) is the most frequent value. */
    for (int k = 0; k < 16; k++) {
        assert_true(seen[5] >= seen[k]);
    }
    unc_assign(&l.u.p[0], 5.0, buf, sizeof buf);
    assert_string_equal(buf, "network.stations[0].servers=5");
    unload(&l);
}

/* A normal on a bounded key is clipped into the key's range. */
static void test_normal_draws_are_clipped_into_the_range(void **state)
{
    struct unc_param p = {.path = "a.p",
                          .dist = UNC_NORMAL,
                          .a = 0.001,
                          .b = 0.01,
                          .allowed_lo = 0.0,
                          .allowed_hi = 1.0};
    struct unc_set u = {.p = &p, .n = 1};
    int at_zero = 0;

    (void)state;
    for (uint64_t d = 0; d < 1000; d++) {
        double x;
        unc_draw(&u, 1, d, &x);
        assert_inside(x, 0.0, 1.0);
        at_zero += x == 0.0;
    }
    assert_true(at_zero > 300); /* about 46% of this normal lies below 0 */
}

/* ---- the scenario's declarations and the keys' defaults ------------------------------------ */

static void test_declarations_are_read(void **state)
{
    struct loaded l;

    (void)state;
    load(&l, "uncertainty = { parameters = (\n"
             "  { key = \"network.stations[0].routing[0].p\"; dist = \"beta\"; mean = 0.9; sd = "
             "0.05; source = \"a test\"; }\n"
             "); };\n");
    assert_int_equal(l.u.n, 1);
    const struct unc_param *p = &l.u.p[0];
    assert_string_equal(p->path, "network.stations[0].routing[0].p");
    assert_int_equal(p->dist, UNC_BETA);
    assert_true(isnan(p->ci_lo));
    assert_close(p->value, 1.0, 0, 0);
    assert_string_equal(p->source, "a test");
    assert_string_equal(p->origin, "unc.cfg:9");
    assert_close(mean_of(p), 0.9, 1e-12, 0);
    assert_null(l.u.chol);
    unload(&l);
}

static void test_bad_declarations_are_refused(void **state)
{
    char first[1024];

    (void)state;
    assert_int_equal(
        problems("uncertainty = { parameters = ( { key = \"network.stations[0].servrs\"; "
                 "dist = \"normal\"; from_ci = [1.0, 3.0]; } ); };\n",
                 first, sizeof first),
        1);
    assert_non_null(strstr(first, "did you mean 'network.stations[0].servers'"));
    assert_int_equal(
        problems("uncertainty = { parameters = ( { key = \"network.stations[0].name\"; "
                 "dist = \"normal\"; from_ci = [1.0, 3.0]; } ); };\n",
                 first, sizeof first),
        1);
    assert_non_null(strstr(first, "not a numeric key"));
    assert_int_equal(problems("uncertainty = { parameters = ( { key = \"seed\"; dist = \"normal\"; "
                              "from_ci = [1.0, 3.0]; } ); };\n",
                              first, sizeof first),
                     1);
    /* Support: a normal with 2.5% below 0 on a key > 0; a beta on a key of 1 or more. */
    assert_int_equal(
        problems("uncertainty = { parameters = ( { key = \"network.stations[0].service.mean\"; "
                 "dist = \"normal\"; from_ci = [0.0, 2.0]; } ); };\n",
                 first, sizeof first),
        1);
    assert_non_null(strstr(first, "use beta, gamma or lognormal"));
    assert_int_equal(
        problems("uncertainty = { parameters = ( { key = \"network.stations[0].servers\"; "
                 "dist = \"beta\"; from_ci = [0.2, 0.5]; } ); };\n",
                 first, sizeof first),
        1);
    assert_int_equal(problems("uncertainty = { defaults = 1; };\n", first, sizeof first), 1);
    assert_int_equal(problems("uncertainty = { };\n", first, sizeof first), 0);
}

static const char *const care_fixture = "tests/fixtures/care/baseline.cfg";

static void load_care(struct loaded *l, const char *const *sets)
{
    l->sc = support_load(&l->cfg, care_fixture, sets);
    struct diag d;
    diag_init(&d);
    assert_int_equal(unc_set_load(&l->u, &l->cfg, &d), 0);
    diag_fini(&d);
}

/* The crisis team's gatekeeping odds ratio keeps its default, and with it its published
 * interval; set by the scenario, it loses it (a note says so); defaults = false drops it. */
static void test_default_uncertainty(void **state)
{
    struct loaded l;

    (void)state;
    load_care(&l, NULL);
    int k = -1;
    for (int i = 0; i < l.u.n; i++) {
        k = strcmp(l.u.p[i].path, "crisis_team.gatekeeping_or") == 0 ? i : k;
    }
    assert_true(k >= 0);
    const struct unc_param *p = &l.u.p[k];
    assert_int_equal(p->dist, UNC_LOGNORMAL);
    assert_string_equal(p->origin, "default");
    assert_close(p->value, 0.19, 0, 0);
    assert_close(unc_quantile(p, 0.025), 0.11, 1e-6, 0);
    assert_close(unc_quantile(p, 0.975), 0.32, 1e-6, 0);
    assert_non_null(strstr(p->source, "0.11 to 0.32"));
    assert_int_equal(l.u.n_notes, 0);
    unload(&l);

    const char *const set[] = {"crisis_team.gatekeeping_or=0.3", NULL};
    load_care(&l, set);
    for (int i = 0; i < l.u.n; i++) {
        assert_string_not_equal(l.u.p[i].path, "crisis_team.gatekeeping_or");
    }
    assert_int_equal(l.u.n_notes, 1);
    assert_non_null(strstr(l.u.notes[0], "crisis_team.gatekeeping_or: set by --set"));
    unload(&l);

    const char *const off[] = {"uncertainty.defaults=false", NULL};
    load_care(&l, off);
    assert_int_equal(l.u.n, 0);
    assert_int_equal(l.u.n_notes, 1);
    assert_non_null(strstr(l.u.notes[0], "uncertainty.defaults is false"));
    unload(&l);
}

static void check_table_defaults(const struct cfg_table *t, int *n)
{
    for (size_t i = 0; i < t->n_keys; i++) {
        const struct cfg_key *k = &t->keys[i];
        if (!k->uncertain) {
            continue;
        }
        (*n)++;
        enum unc_dist dist;
        assert_int_equal(unc_dist_parse(k->uncertain->dist, &dist), 0);
        assert_true(k->type == CFG_REAL || k->type == CFG_INT);
        assert_false(k->flags & CFG_NOT_VARIED);
        assert_non_null(k->source);
        assert_non_null(k->uncertain->source);
        struct unc_param p = {.dist = dist, .allowed_lo = k->lo, .allowed_hi = k->hi};
        char why[1024];
        if (unc_fit_ci(dist, k->uncertain->lo, k->uncertain->hi, &p.a, &p.b, why, sizeof why)) {
            fail_msg("%s: %s", k->name, why);
        }
        /* The default is the estimate the interval surrounds, inside the key's range with at
         * most 0.1% of the distribution outside it. */
        assert_inside(k->def, k->uncertain->lo, k->uncertain->hi);
        double out = 0;
        if (isfinite(k->lo)) {
            out += dist == UNC_LOGNORMAL ? gsl_cdf_lognormal_P(fmax(k->lo, 1e-300), p.a, p.b)
                   : dist == UNC_NORMAL  ? gsl_cdf_gaussian_P(k->lo - p.a, p.b)
                                         : 0;
        }
        if (isfinite(k->hi)) {
            out += dist == UNC_LOGNORMAL ? gsl_cdf_lognormal_Q(k->hi, p.a, p.b)
                   : dist == UNC_NORMAL  ? gsl_cdf_gaussian_Q(k->hi - p.a, p.b)
                   : dist == UNC_GAMMA   ? gsl_cdf_gamma_Q(k->hi, p.a, p.b)
                                         : 0;
        }
        assert_true(out < 0.001);
    }
}

/* Every default uncertainty in the key tables fits and suits its key. */
static void test_every_default_uncertainty_fits(void **state)
{
    int n = 0;

    (void)state;
    for (int m = 0; model_registry[m]; m++) {
        for (int t = 0; model_registry[m]->tables[t]; t++) {
            check_table_defaults(model_registry[m]->tables[t], &n);
        }
    }
    for (int t = 0; shared_tables[t]; t++) {
        check_table_defaults(shared_tables[t], &n);
    }
    assert_true(n >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_ci_reproduces_the_interval),
        cmocka_unit_test(test_fit_ci_closed_forms),
        cmocka_unit_test(test_fit_moments_reproduces_mean_and_sd),
        cmocka_unit_test(test_fit_refuses_what_no_distribution_has),
        cmocka_unit_test(test_draws_match_the_declared_interval),
        cmocka_unit_test(test_draws_are_pure_functions_of_seed_draw_and_path),
        cmocka_unit_test(test_correlated_draws),
        cmocka_unit_test(test_integer_keys_are_rounded),
        cmocka_unit_test(test_normal_draws_are_clipped_into_the_range),
        cmocka_unit_test(test_declarations_are_read),
        cmocka_unit_test(test_bad_declarations_are_refused),
        cmocka_unit_test(test_default_uncertainty),
        cmocka_unit_test(test_every_default_uncertainty_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
