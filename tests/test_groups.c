/*
 * Attributes of clients and outcomes by group (models/care_groups.c, docs/model.md 1.4).
 *
 * The groups of each kind (severity, an attribute's levels, moved by a transfer or not) must
 * partition the clients: their counts per year and their clients in the service add up to the
 * whole's, replication by replication. Declaring an attribute without multipliers must change no
 * other result (its draws come from a substream of their own), and a multiplier must move its
 * group's rate the way it says, paired on the same clients.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "models/model.h"
#include "sim/cfg.h"
#include "support.h"

#define FIXTURE "tests/fixtures/care/baseline.cfg"
#define REPS    6
#define SEED    7

#define ATTR_X                                                                                     \
    "attributes=({ name = \"x\"; levels = [\"a\", \"b\", \"c\"]; shares = [0.3, 0.5, 0.2]; })"
#define ATTR_X_MULT                                                                                \
    "attributes=({ name = \"x\"; levels = [\"a\", \"b\", \"c\"]; shares = [0.3, 0.5, 0.2]; "       \
    "multipliers = { missed = [1.0, 2.0, 1.0]; disengage = [1.0, 1.0, 0.25]; }; "                  \
    "source = \"assumption: a test\"; })"

static bool has_groups(const struct scenario *sc)
{
    for (int i = 0; i < sc->n_metrics; i++) {
        if (strncmp(scenario_metric_name(sc, i), "by.", 3) == 0) {
            return true;
        }
    }
    return false;
}

/* The whole's counts per year and their names in a group. */
static const char *const counts[] = {
    "referrals_per_year", "crises_per_year",          "ed_visits_per_year", "admissions_per_year",
    "bed_days_per_year",  "unmet_need_days_per_year", "clients_in_service",
};
#define N_COUNTS (sizeof counts / sizeof counts[0])

/* For every kind of group in r, the groups' counts add up to the whole's in every
 * replication; returns how many kinds were checked. */
static int assert_groups_sum(const struct support_run *r)
{
    const struct scenario *sc = r->sc;
    char kinds[16][64];
    int n_kinds = 0;

    for (int i = 0; i < sc->n_metrics; i++) {
        const char *name = scenario_metric_name(sc, i);
        if (strncmp(name, "by.", 3) != 0) {
            continue;
        }
        const char *dot = strchr(name + 3, '.');
        assert_non_null(dot);
        size_t len = (size_t)(dot - name - 3);
        bool seen = false;
        for (int k = 0; k < n_kinds; k++) {
            seen |= strlen(kinds[k]) == len && strncmp(kinds[k], name + 3, len) == 0;
        }
        if (!seen) {
            assert_true(n_kinds < 16 && len < 64);
            memcpy(kinds[n_kinds], name + 3, len);
            kinds[n_kinds++][len] = '\0';
        }
    }
    for (int k = 0; k < n_kinds; k++) {
        for (size_t m = 0; m < N_COUNTS; m++) {
            for (long rep = 0; rep < r->res.replications; rep++) {
                double sum = 0;
                int n_groups = 0;
                for (int i = 0; i < sc->n_metrics; i++) {
                    const char *name = scenario_metric_name(sc, i);
                    size_t kl = strlen(kinds[k]), ml = strlen(counts[m]);
                    size_t nl = strlen(name);
                    if (strncmp(name, "by.", 3) == 0 && strncmp(name + 3, kinds[k], kl) == 0 &&
                        name[3 + kl] == '.' && nl > ml + 1 && name[nl - ml - 1] == '.' &&
                        strcmp(name + nl - ml, counts[m]) == 0) {
                        double v = support_value(r, rep, name);
                        assert_false(isnan(v));
                        sum += v;
                        n_groups++;
                    }
                }
                assert_true(n_groups >= 2);
                double whole = support_value(r, rep, counts[m]);
                assert_true(whole > 0);
                assert_close(sum, whole, 1e-9, 1e-9);
            }
        }
    }
    return n_kinds;
}

/* A scenario declaring nothing reports no groups (its files are as before groups existed);
 * output.groups turns them on; a bad declaration is refused. */
static void test_groups_only_when_declared(void **state)
{
    (void)state;
    struct cfg c;
    struct scenario *sc = support_load(&c, FIXTURE, NULL);
    assert_false(has_groups(sc));
    int plain = sc->n_metrics;
    scenario_destroy(sc);
    cfg_fini(&c);

    static const char *const on[] = {"output.groups=true", NULL};
    sc = support_load(&c, FIXTURE, on);
    assert_true(has_groups(sc));
    /* severity (4) and transfer (2) groups */
    assert_int_equal((sc->n_metrics - plain) % 6, 0);
    int per_group = (sc->n_metrics - plain) / 6;
    scenario_destroy(sc);
    cfg_fini(&c);

    static const char *const attr[] = {ATTR_X, NULL};
    sc = support_load(&c, FIXTURE, attr);
    assert_int_equal(sc->n_metrics, plain + (6 + 3) * per_group);
    assert_int_equal(support_metric_index(sc, "by.x.b.admissions_per_year") >= 0, 1);
    assert_int_equal(support_metric_index(sc, "by.severity.high.wait_coordination_days") >= 0, 1);
    scenario_destroy(sc);
    cfg_fini(&c);

    static const char *const bad[] = {
        "attributes=({ name = \"x\"; levels = [\"a\", \"b\"]; shares = [0.3, 0.5]; })",
        "attributes=({ name = \"x\"; levels = [\"a\", \"b\"]; shares = [0.3, 0.3, 0.4]; })",
        "attributes=({ name = \"x\"; levels = [\"a\", \"b\"]; shares = [0.5, 0.5]; "
        "multipliers = { missed = [1.0]; }; source = \"assumption: a test\"; })",
        "attributes=({ name = \"x\"; levels = [\"a\", \"b\"]; shares = [0.5, 0.5]; "
        "multipliers = { missed = [1.0, 2.0]; }; })",
        "attributes=({ name = \"x\"; levels = [\"a\", \"a\"]; shares = [0.5, 0.5]; })",
        "attributes=({ name = \"severity\"; levels = [\"a\", \"b\"]; shares = [0.5, 0.5]; })",
        "attributes=({ name = \"x\"; levels = [\"a.1\", \"b\"]; shares = [0.5, 0.5]; })",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg_init(&c);
        assert_true(cfg_load_file(&c, FIXTURE));
        assert_true(cfg_set(&c, bad[i]));
        sc = scenario_load(&c);
        if (sc) {
            fprintf(stderr, "accepted: %s\n", bad[i]);
        }
        assert_null(sc);
        assert_true(cfg_n_problems(&c) > 0);
        cfg_fini(&c);
    }
}

/* Issue 14: the groups of each kind add up to the whole, with a transfer that moves clients
 * (the moved group non-empty) and an attribute. */
static void test_groups_sum_to_the_whole(void **state)
{
    (void)state;
    static const char *const sets[] = {
        ATTR_X,
        "coordination.models=({ name = \"standard\"; preset = \"standard_care\"; posts = 37; }, "
        "{ name = \"act\"; preset = \"act\"; posts = 0; caseload_limit = 13; })",
        "coordination.posts_plan=({ day = 365.0; model = \"act\"; posts = 8; })",
        "coordination.moves=({ day = 365.0; from = \"standard\"; to = \"act\"; clients = 100; "
        "rank_by = \"risk\"; })",
        NULL};
    struct support_run r;

    support_run_load(&r, FIXTURE, sets, REPS, SEED);
    assert_int_equal(assert_groups_sum(&r), 3); /* severity, x, transfer */
    for (long rep = 0; rep < REPS; rep++) {
        assert_true(support_value(&r, rep, "by.transfer.moved.clients_in_service") > 10);
    }
    support_run_fini(&r);
}

/* An attribute without multipliers changes no result: every metric of the run without it has
 * the same value, bit for bit, in the run with it. */
static void test_attribute_changes_no_other_draw(void **state)
{
    (void)state;
    static const char *const off[] = {"output.groups=true", NULL};
    static const char *const on[] = {ATTR_X, NULL};
    struct support_run a, b;

    support_run_load(&a, FIXTURE, off, REPS, SEED);
    support_run_load(&b, FIXTURE, on, REPS, SEED);
    for (int i = 0; i < a.sc->n_metrics; i++) {
        const char *name = scenario_metric_name(a.sc, i);
        for (long rep = 0; rep < REPS; rep++) {
            double x = support_value(&a, rep, name), y = support_value(&b, rep, name);
            if (!(isnan(x) && isnan(y)) && memcmp(&x, &y, sizeof x) != 0) {
                fprintf(stderr, "%s, replication %ld: %.17g without the attribute, %.17g with\n",
                        name, rep + 1, x, y);
                fail();
            }
        }
    }
    assert_groups_sum(&b);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* Multipliers move their level's rates the way they say, on the same clients: missed x 2 at
 * level b raises b's missed contacts, disengage x 0.25 at level c lowers c's disengagements. */
static void test_multipliers_move_their_group(void **state)
{
    (void)state;
    static const char *const plain[] = {ATTR_X, NULL};
    static const char *const mult[] = {ATTR_X_MULT, NULL};
    struct support_run a, b;

    support_run_load(&a, FIXTURE, plain, REPS, SEED);
    support_run_load(&b, FIXTURE, mult, REPS, SEED);
    static const struct {
        const char *name;
        int sign;
    } moves[] = {
        {"by.x.b.missed_contacts_pct", +1},
        {"by.x.c.disengaged", -1},
    };
    for (size_t k = 0; k < sizeof moves / sizeof moves[0]; k++) {
        double d[REPS], m, half;
        for (long i = 0; i < REPS; i++) {
            d[i] = support_value(&b, i, moves[k].name) - support_value(&a, i, moves[k].name);
        }
        support_paired_t(d, REPS, 0.005, &m, &half);
        printf("  %-32s diff %10.4g +- %.3g\n", moves[k].name, m, half);
        assert_true(moves[k].sign > 0 ? m - half > 0 : m + half < 0);
    }
    /* Level b's missed share is about twice level a's (the multiplier on the probability). */
    double ra = 0, rb = 0;
    for (long i = 0; i < REPS; i++) {
        ra += support_value(&b, i, "by.x.a.missed_contacts_pct");
        rb += support_value(&b, i, "by.x.b.missed_contacts_pct");
    }
    assert_inside(rb / ra, 1.6, 2.2);
    support_run_fini(&a);
    support_run_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_only_when_declared),
        cmocka_unit_test(test_groups_sum_to_the_whole),
        cmocka_unit_test(test_attribute_changes_no_other_draw),
        cmocka_unit_test(test_multipliers_move_their_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
