/*
 * The crisis team's gatekeeping of admissions (crisis_team.gatekeeping, docs/model.md 2.2.8).
 *
 * Off, it changes nothing. On, in a controlled scenario whose every crisis is answered by the
 * client's own team (scenarios/verify/w2_care.cfg with risk.process = "poisson", 24-hour team
 * cover, no other feedback), an admission the team considers with probability p is kept only
 * with the probability whose odds are the odds ratio R times p's:
 *
 *   p' = R p / (1 - p + R p)
 *
 * so the share of crises admitted falls from p to p' and the share of admissions considered
 * that the crisis team takes into home treatment is 1 - p' / p, provided it always has a free
 * place; the same holds for clients' own crises in the baseline region with 24-hour team cover.
 * With a crisis team that is always full, nothing is gatekept and the share stays p.
 * Each simulated share is a binomial proportion over the crises of the run (about 720 a year
 * for 20 observed years and 4 replications); the tests accept it within 3.29 standard errors
 * of the closed form (99.9%), so a correct model fails about once in a thousand seeds, and a
 * wrong odds ratio (R or 1 / R, say) misses by many standard errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "models/model.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define W2_SCENARIO "scenarios/verify/w2_care.cfg"
#define BASELINE    "tests/fixtures/care/region_30y.cfg"
#define P_ADMIT     0.385 /* crisis_team.p_admit in the controlled scenario (run_controlled) */
#define GATE_OR     0.19  /* crisis_team.gatekeeping_or there: its default (Johnson et al. 2005) */
#define Z           3.29  /* two-sided 99.9% normal quantile */

/* Loads path with the overrides (NULL-terminated) and runs its own replications and seed. */
static void run_with(struct support_run *r, const char *path, const char *const *sets)
{
    support_run_load(r, path, sets, 0, 0);
}

/* The sum over replications of a metric given per year: a count, once times the years. */
static double total(const struct support_run *r, const char *name)
{
    double s = 0;
    for (long i = 0; i < r->res.replications; i++) {
        s += support_value(r, i, name);
    }
    return s;
}

/* Asserts that num / den lies within Z binomial standard errors of p (den trials). */
static void assert_share(double num, double den, double p, const char *what)
{
    double share = num / den, se = sqrt(p * (1.0 - p) / den);
    fprintf(stderr, "  %-38s %.5f, closed form %.5f +- %.5f\n", what, share, p, Z * se);
    assert_inside(share, p - Z * se, p + Z * se);
}

/* The controlled scenario: W2's network for 20 observed years, 4 replications, every crisis
 * answered by the client's 24-hour team with crisis_team.p_admit, then the extra overrides. */
static void run_controlled(struct support_run *r, const char *const *extra)
{
    static const char *const controlled[] = {
        "horizon=8305.0", /* 1,000 days of warm-up + 20 years */
        "replications=4",
        "coordination.models[0].crisis_cover=\"24h\"",
        "coordination.models[0].crisis_response_hours=0", /* the team answers every crisis */
        "crisis_team.p_admit=0.385",
        "crisis_team.gatekeeping_or=0.19",
        NULL};
    const char *sets[16];

    support_sets_join(sets, 16, controlled, extra);
    run_with(r, W2_SCENARIO, sets);
}

/* Absent and false give the same numbers, bit for bit, and nothing is gatekept. */
static void test_gatekeeping_off_changes_nothing(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const short_run[] = {"horizon=1461", "warmup=730", "replications=2", NULL};
    const char *const off[] = {"horizon=1461", "warmup=730", "replications=2",
                               "crisis_team.gatekeeping=false", NULL};
    run_with(&a, BASELINE, short_run);
    run_with(&b, BASELINE, off);
    assert_int_equal(a.sc->n_metrics, b.sc->n_metrics);
    size_t n = (size_t)a.res.replications * (size_t)a.sc->n_metrics;
    for (size_t i = 0; i < n; i++) {
        double x = a.res.metrics[i], y = b.res.metrics[i];
        assert_true((isnan(x) && isnan(y)) || x == y);
    }
    for (long i = 0; i < a.res.replications; i++) {
        assert_true(support_value(&a, i, "admissions") > 0);
        assert_close(support_value(&a, i, "gatekept_pct"), 0.0, 0, 0);
        assert_close(support_value(&a, i, "crisis_team_diversions_per_year"), 0.0, 0, 0);
    }
    support_run_fini(&a);
    support_run_fini(&b);
}

/* A crisis team with room for everyone: admissions fall from p to p' = R p / (1 - p + R p). */
static void test_free_crisis_team_applies_the_odds_ratio(void **state)
{
    (void)state;
    struct support_run off, on;
    const char *const no_gate[] = {"crisis_team.places=100000", NULL};
    const char *const gate[] = {"crisis_team.places=100000", "crisis_team.gatekeeping=true", NULL};
    const double p = P_ADMIT, pg = GATE_OR * p / (1.0 - p + GATE_OR * p);

    run_controlled(&off, no_gate);
    run_controlled(&on, gate);
    double crises_off = total(&off, "crises_per_year"), crises_on = total(&on, "crises_per_year");
    /* Every crisis is a team response (the ratio of two rates over the same client-years). */
    for (long i = 0; i < on.res.replications; i++) {
        assert_close(support_value(&on, i, "team_crisis_responses"),
                     support_value(&on, i, "crises"), 1e-12, 0);
        assert_close(support_value(&on, i, "crisis_team_contacts"), 0.0, 0, 0);
    }
    /* Scale the per-year totals to counts for the binomial standard errors. */
    double years = (8305.0 - 1000.0) / 365.25;
    assert_share(total(&off, "admissions_per_year") * years, crises_off * years, p,
                 "admitted, gatekeeping off");
    assert_share(total(&on, "admissions_per_year") * years, crises_on * years, pg,
                 "admitted, gatekeeping on");
    /* Every admission considered is either admitted or diverted (no crisis reaches the ED). */
    double considered =
        (total(&on, "admissions_per_year") + total(&on, "crisis_team_diversions_per_year")) * years;
    assert_share(total(&on, "crisis_team_diversions_per_year") * years, considered, 1.0 - pg / p,
                 "gatekept of admissions considered");
    for (long i = 0; i < on.res.replications; i++) {
        double share = support_value(&on, i, "crisis_team_diversions_per_year") /
                       (support_value(&on, i, "crisis_team_diversions_per_year") +
                        support_value(&on, i, "admissions_per_year"));
        assert_close(support_value(&on, i, "gatekept_pct"), 100.0 * share, 1e-9, 0);
    }
    support_run_fini(&off);
    support_run_fini(&on);
}

/* The same share for clients' own crises (risk.process = "states", the baseline region): with
 * 24-hour team cover and room at the crisis team, every admission considered is a team's, with
 * p = crisis_team.p_admit (0.25), and 1 - p' / p of them are gatekept. */
static void test_client_crises_gatekept_in_closed_form(void **state)
{
    (void)state;
    struct support_run r;
    const char *const sets[] = {
        "horizon=1461",
        "warmup=730",
        "replications=2",
        "coordination.models[0].crisis_cover=\"24h\"",
        "coordination.models[0].crisis_response_hours=0", /* the team answers every crisis */
        "crisis_team.places=100000",
        "crisis_team.gatekeeping=true",
        NULL};
    const double p = 0.25, pg = GATE_OR * p / (1.0 - p + GATE_OR * p);
    const double years = (1461.0 - 730.0) / 365.25;

    run_with(&r, BASELINE, sets);
    double gatekept = 0, considered = 0;
    for (long i = 0; i < r.res.replications; i++) {
        assert_close(support_value(&r, i, "ed_visits"), 0.0, 0, 0);
        double g = support_value(&r, i, "crisis_team_diversions_per_year") * years;
        gatekept += g;
        considered += g / (support_value(&r, i, "gatekept_pct") / 100.0);
    }
    assert_share(gatekept, considered, 1.0 - pg / p, "gatekept, clients' own crises");
    support_run_fini(&r);
}

/* A crisis team whose two places are taken for good in the warm-up gatekeeps nothing after. */
static void test_full_crisis_team_gatekeeps_nothing(void **state)
{
    (void)state;
    struct support_run r;
    const char *const full[] = {"crisis_team.places=2", "crisis_team.gatekeeping=true",
                                "crisis_team.episode={dist=\"fixed\";value=100000.0;}", NULL};
    const double years = (8305.0 - 1000.0) / 365.25;

    run_controlled(&r, full);
    for (long i = 0; i < r.res.replications; i++) {
        assert_close(support_value(&r, i, "crisis_team_diversions_per_year"), 0.0, 0, 0);
        assert_close(support_value(&r, i, "gatekept_pct"), 0.0, 0, 0);
    }
    assert_share(total(&r, "admissions_per_year") * years, total(&r, "crises_per_year") * years,
                 P_ADMIT, "admitted, crisis team full");
    support_run_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gatekeeping_off_changes_nothing),
        cmocka_unit_test(test_free_crisis_team_applies_the_odds_ratio),
        cmocka_unit_test(test_client_crises_gatekept_in_closed_form),
        cmocka_unit_test(test_full_crisis_team_gatekeeps_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
