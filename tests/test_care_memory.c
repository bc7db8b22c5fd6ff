/*
 * The care model's client table: clients who left the model for good give their slot back, so
 * the table follows the clients present, not every client ever referred (docs/model.md,
 * "Client records").
 *
 * One replication of the baseline region at two horizons, 8 and 32 years: four times the
 * referrals, and the same clients present once the pathway has filled (a client out of the
 * service is followed for at most follow_days, 2 years, before leaving the model). Each run
 * ends with the conservation audit, which counts released clients in their last stage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "models/care_int.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "support.h"

#define BASELINE "tests/fixtures/care/region_30y.cfg"

/* One replication of the baseline at the horizon (days); returns the table as reported. */
static struct care_table_probe run_at(const char *horizon, const char *const *sets)
{
    char set[64];
    const char *const length[] = {set, "warmup=365.0", NULL};
    const char *all[8];
    struct cfg c;
    struct care_table_probe probe = {0};

    snprintf(set, sizeof set, "horizon=%s", horizon);
    struct scenario *sc = support_load(&c, BASELINE, support_sets_join(all, 8, length, sets));
    ((struct care_params *)sc->params)->probe = &probe;
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    struct model_run out = {.metrics = metrics};
    int rc = scenario_run(sc, 7, 0, &out);
    if (rc != 0) {
        fprintf(stderr, "%s\n", out.err);
    }
    assert_int_equal(rc, 0); /* the conservation audit passed */
    assert_int_equal(out.n_entities, probe.referred);
    printf("  horizon %s: %u referred, at most %u present, %u slots used, %u allocated\n", horizon,
           probe.referred, probe.peak_live, probe.slots, probe.capacity);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
    return probe;
}

/* A slot is taken from the free ones first, so the table never holds more slots than the most
 * clients present at once (debug builds: plus the released slots waiting for their check), and
 * it doubles only when every slot is taken. */
static void check_table(const struct care_table_probe *t)
{
    assert_true(t->slots >= t->peak_live && t->slots - t->peak_live <= CARE_HELD_SLOTS);
    assert_true(t->capacity >= t->slots);
    assert_true(t->capacity <= 4096 || t->capacity < 2 * t->slots);
}

static void test_client_table_stays_bounded_in_the_horizon(void **state)
{
    (void)state;
    struct care_table_probe short_run = run_at("2922.0", NULL);
    struct care_table_probe long_run = run_at("11688.0", NULL);

    check_table(&short_run);
    check_table(&long_run);
    /* About four times the clients referred (the rate is constant)... */
    assert_true(long_run.referred > 3 * short_run.referred);
    /* ...and about the same number present at the most (the bound, 1.5x): the pathway
     * is full after 8 years, and the most present grows only as the maximum of a steady process
     * does. Before recycling the table held every client referred, four times the slots. */
    assert_true(2 * long_run.peak_live < 3 * short_run.peak_live);
    assert_true(long_run.slots < long_run.referred / 2);
}

/* Clients leaving the model fast (follow_days 30, exit_rate 2 a year) turn the slots over many
 * times: the audit at the end (and every week in debug builds, where each release also checks
 * that no event names the slot) still finds every client referred in one place. */
static void test_fast_turnover_conserves_clients(void **state)
{
    (void)state;
    static const char *const fast[] = {"risk.follow_days=30.0", "risk.exit_rate=2.0", NULL};
    struct care_table_probe t = run_at("2922.0", fast);

    check_table(&t);
    assert_true(t.slots < t.referred / 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_table_stays_bounded_in_the_horizon),
        cmocka_unit_test(test_fast_turnover_conserves_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
