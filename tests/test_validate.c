/*
 * The table of published effects (analysis/validate): the shipped table reads, row by row as
 * docs/validation.md states it; a table with a bad kind, rule or number, a missing or unknown
 * column, bounds out of order or no rows is refused with CCSIM_EINPUT and "PATH:LINE: column
 * ..."; and the effects, a mean difference per client-month and a rate ratio, on three hand-made
 * pairs of replications against values worked by hand. Run from the project root, as `make
 * test` does.
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
#include <unistd.h>

#include "analysis/validate.h"
#include "sim/error.h"
#include "support.h"

#define SHIPPED "scenarios/validation/" VALIDATE_TABLE

static const char header[] = "label,reference,treatment,metric,kind,rule,point,low,high,source\n";

struct fixture {
    char dir[64];
    char path[128]; /* dir/trials.csv */
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx) {
        return -1;
    }
    snprintf(fx->dir, sizeof fx->dir, "/tmp/ccsim-test-validate-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, VALIDATE_TABLE);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void put_table(const struct fixture *fx, const char *text)
{
    FILE *f = fopen(fx->path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* ---- the shipped table -------------------------------------------------------------------- */

static void test_shipped_table_reads(void **state)
{
    (void)state;
    struct validate_table vt;
    char err[1024] = "";

    int rc = validate_table_read(SHIPPED, &vt, err, sizeof err);
    if (rc != 0) {
        fail_msg("%s: %d %s", SHIPPED, rc, err);
    }
    assert_int_equal(vt.n_rows, 5);
    const struct validate_row *r = &vt.rows[0];
    assert_string_equal(r->label, "ICM vs standard care: hospital days per client-month");
    assert_string_equal(r->reference, "cohort.cfg");
    assert_string_equal(r->treatment, "cohort_icm.cfg");
    assert_string_equal(r->metric, "cohort.bed_days");
    assert_int_equal(r->kind, VALIDATE_MD_MONTH);
    assert_int_equal(r->rule, VALIDATE_INSIDE);
    assert_true(r->point == -0.86 && r->lo == -1.37 && r->hi == -0.34); /* exactly as written */
    assert_string_equal(r->source, "Dieterich et al. 2017, Cochrane CD007906 (24 RCTs)");
    assert_int_equal(r->line, 2);
    r = &vt.rows[1];
    assert_int_equal(r->kind, VALIDATE_RR);
    assert_string_equal(r->metric, "cohort.admissions");
    r = &vt.rows[4];
    assert_int_equal(r->kind, VALIDATE_RR);
    assert_int_equal(r->rule, VALIDATE_NOT_BELOW);
    assert_true(r->point == 1.6 && r->lo == 1.0 && r->hi == 2.1);
    assert_string_equal(r->source, "Marshall et al., Cochrane CD000050 (RR 1.6, 1.2-2.1)");
    assert_int_equal(r->line, 6);
    for (int i = 0; i < vt.n_rows; i++) {
        /* Every scenario a row names ships beside the table. */
        char path[256];
        snprintf(path, sizeof path, "scenarios/validation/%s", vt.rows[i].reference);
        assert_int_equal(access(path, R_OK), 0);
        snprintf(path, sizeof path, "scenarios/validation/%s", vt.rows[i].treatment);
        assert_int_equal(access(path, R_OK), 0);
    }
    validate_table_free(&vt);
    validate_table_free(&vt); /* a no-op on a freed table */
}

/* A table in any column order, quoted fields and CRLF line ends (as a spreadsheet saves it). */
static void test_columns_in_any_order(void **state)
{
    struct fixture *fx = *state;
    struct validate_table vt;
    char err[1024] = "";

    put_table(fx, "source,rule,kind,metric,treatment,reference,label,high,low,point\r\n"
                  "\"a, b\",not-below,RR,m,t.cfg,r.cfg,\"x \"\"y\"\"\",2.385,1.25,1.5\r\n");
    assert_int_equal(validate_table_read(fx->path, &vt, err, sizeof err), 0);
    assert_int_equal(vt.n_rows, 1);
    assert_string_equal(vt.rows[0].label, "x \"y\"");
    assert_string_equal(vt.rows[0].source, "a, b");
    assert_string_equal(vt.rows[0].reference, "r.cfg");
    assert_int_equal(vt.rows[0].rule, VALIDATE_NOT_BELOW);
    assert_true(vt.rows[0].point == 1.5 && vt.rows[0].lo == 1.25 && vt.rows[0].hi == 2.385);
    validate_table_free(&vt);
}

/* ---- bad tables --------------------------------------------------------------------------- */

struct bad_case {
    const char *text;    /* after the header, or the whole file when it starts with "!" */
    const char *message; /* after "PATH:" */
};

static void test_bad_tables_are_refused_with_file_and_line(void **state)
{
    struct fixture *fx = *state;
    static const struct bad_case cases[] = {
        {"a,r.cfg,t.cfg,m,MD,inside,-0.86,-1.37,-0.34,s\n",
         "2: column 'kind': 'MD' is not a kind of effect (MD-per-month or RR is expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,0.97,s\n"
         "b,r.cfg,t.cfg,m,RR,above,0.71,0.5,0.97,s\n",
         "3: column 'rule': 'above' is not a rule (inside or not-below is expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,0.5x,0.97,s\n",
         "2: column 'low': '0.5x' is not a number (a number is expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,NA,0.5,0.97,s\n",
         "2: column 'point': 'NA' is not a number (a number is expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,,s\n",
         "2: column 'high': '' is not a number (a number is expected)"},
        {"a,r.cfg,,m,RR,inside,0.71,0.5,0.97,s\n", "2: column 'treatment' is empty"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,0.75,0.97,s\n",
         "2: columns 'low', 'point', 'high': 0.75, 0.71, 0.97 are out of order (low <= point <= "
         "high is expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,-0.5,0.97,s\n",
         "2: column 'low': -0.5 is not above 0 (a rate ratio and its interval above 0 are "
         "expected)"},
        {"a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,0.97\n",
         "2: 9 fields where the header has 10 (one field per column is expected)"},
        {"!label,reference,treatment,metric,kind,rule,point,low,high\n"
         "a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,0.97\n",
         "1: no column 'source' (the columns label, reference, treatment, metric, kind, rule, "
         "point, low, high, source are expected)"},
        {"!label,reference,treatment,metric,kind,rule,point,low,high,source,notes\n"
         "a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,0.97,s,n\n",
         "1: column 'notes' is not a column of the table (the columns label, reference, "
         "treatment, metric, kind, rule, point, low, high, source are expected)"},
        {"", "2: no rows after the header (at least one row is expected)"},
    };
    char text[1024], want[1024], err[1024];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bad_case *c = &cases[i];
        snprintf(text, sizeof text, "%s%s", c->text[0] == '!' ? "" : header,
                 c->text + (c->text[0] == '!'));
        put_table(fx, text);
        snprintf(want, sizeof want, "%s:%s", fx->path, c->message);
        struct validate_table vt;
        err[0] = '\0';
        int rc = validate_table_read(fx->path, &vt, err, sizeof err);
        if (rc != CCSIM_EINPUT || !strstr(err, want)) {
            fail_msg("case %zu: returned %d with '%s', expected CCSIM_EINPUT with '%s'", i, rc, err,
                     want);
        }
        assert_int_equal(vt.n_rows, 0); /* zeroed on failure */
        assert_null(vt.rows);
    }
}

static void test_missing_table_is_refused(void **state)
{
    struct fixture *fx = *state;
    struct validate_table vt;
    char err[1024], want[256];

    assert_int_equal(validate_table_read(fx->path, &vt, err, sizeof err), CCSIM_EINPUT);
    snprintf(want, sizeof want, "%s: no such file", fx->path);
    assert_non_null(strstr(err, want));
}

/* ---- the effects -------------------------------------------------------------------------- */

/* t(0.975; 2), in closed form for two degrees of freedom: 0.95 / sqrt(2 * 0.975 * 0.025). */
#define T_975_2 4.302652729749464

/* Bed-days per 100 client-years; per client-month divided by 1200. Differences (treatment
 * minus reference): -674.8, -621.6, -288.55; mean -528.316667, sd 209.340872 (n - 1), half-width
 * T_975_2 * sd / sqrt(3) = 520.0316; per client-month -0.4403 (-0.8736 to -0.0069). */
static void test_mean_difference_per_month_by_hand(void **state)
{
    (void)state;
    const double ref[] = {2385.0, 3120.5, 2890.25}, treat[] = {1710.2, 2498.9, 2601.7};
    struct validate_row row = {.kind = VALIDATE_MD_MONTH,
                               .rule = VALIDATE_INSIDE,
                               .point = -0.86,
                               .lo = -1.37,
                               .hi = -0.34};
    struct validate_outcome out;

    validate_effect(&row, ref, treat, 3, &out);
    double mean = (-674.8 - 621.6 - 288.55) / 3;
    double half = T_975_2 * 209.34087234301205 / sqrt(3.0);
    assert_close(out.point, mean / 1200, 1e-12, 0);
    assert_close(out.point, -0.44026388888888895, 1e-12, 0);
    assert_close(out.lo, (mean - half) / 1200, 1e-9, 0);
    assert_close(out.lo, -0.8736235185538791, 1e-9, 0);
    assert_close(out.hi, (mean + half) / 1200, 1e-7, 0);
    assert_close(out.hi, -0.006904259223898824, 1e-7, 0);
    assert_true(out.pass); /* -0.44 inside -1.37 to -0.34 */
    row.hi = -0.5;
    validate_effect(&row, ref, treat, 3, &out);
    assert_true(!out.pass); /* outside -1.37 to -0.5 */
}

/* Rate ratio: the ratio of the sums (totals 94.25 / 139.75), with the interval from the log
 * ratios log(30/40.25), log(34.75/52.5), log(29.5/47): mean -0.390767853, sd 0.0879842868. */
static void test_rate_ratio_by_hand(void **state)
{
    (void)state;
    const double ref[] = {40.25, 52.5, 47.0}, treat[] = {30.0, 34.75, 29.5};
    struct validate_row row = {
        .kind = VALIDATE_RR, .rule = VALIDATE_INSIDE, .point = 0.71, .lo = 0.5, .hi = 0.97};
    struct validate_outcome out;

    validate_effect(&row, ref, treat, 3, &out);
    double m = (log(30.0 / 40.25) + log(34.75 / 52.5) + log(29.5 / 47.0)) / 3;
    double half = T_975_2 * 0.08798428676299953 / sqrt(3.0);
    assert_close(out.point, 94.25 / 139.75, 1e-14, 0);
    assert_close(out.lo, exp(m - half), 1e-9, 0);
    assert_close(out.lo, 0.5437134389746093, 1e-9, 0);
    assert_close(out.hi, exp(m + half), 1e-9, 0);
    assert_close(out.hi, 0.8418084641035442, 1e-9, 0);
    assert_true(out.pass); /* 0.674 inside 0.5 to 0.97 */

    /* "Not below" 1.0: fails only when the whole simulated interval lies below the bound. */
    row.rule = VALIDATE_NOT_BELOW;
    row.point = 1.6;
    row.lo = 1.0;
    row.hi = 2.1;
    validate_effect(&row, ref, treat, 3, &out);
    assert_true(!out.pass); /* 0.54 to 0.84, wholly below 1 */
    row.lo = 0.8;
    validate_effect(&row, ref, treat, 3, &out);
    assert_true(out.pass); /* 0.84 reaches above 0.8 */
}

/* A pair with a zero reference is left out of the log ratios; with none positive the ratio is
 * NaN and an "inside" row fails. */
static void test_rate_ratio_without_positive_reference(void **state)
{
    (void)state;
    const double ref[] = {40.25, 0.0, 47.0, 52.5}, treat[] = {30.0, 12.5, 29.5, 34.75};
    const double none[] = {0.0, 0.0, 0.0, 0.0};
    struct validate_row row = {
        .kind = VALIDATE_RR, .rule = VALIDATE_INSIDE, .point = 0.71, .lo = 0.5, .hi = 0.97};
    struct validate_outcome out;

    validate_effect(&row, ref, treat, 4, &out);
    assert_close(out.point, (30.0 + 12.5 + 29.5 + 34.75) / (40.25 + 47.0 + 52.5), 1e-14, 0);
    assert_close(out.lo, 0.5437134389746093, 1e-9, 0); /* the three pairs above */
    validate_effect(&row, none, treat, 4, &out);
    assert_true(isnan(out.point) && isnan(out.lo) && isnan(out.hi));
    assert_true(!out.pass);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_table_reads),
        cmocka_unit_test_setup_teardown(test_columns_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_tables_are_refused_with_file_and_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_missing_table_is_refused, setup, teardown),
        cmocka_unit_test(test_mean_difference_per_month_by_hand),
        cmocka_unit_test(test_rate_ratio_by_hand),
        cmocka_unit_test(test_rate_ratio_without_positive_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
