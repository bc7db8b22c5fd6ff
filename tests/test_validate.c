/*
 * The table of published effects (analysis/validate): the shipped table reads, row by row as
 * docs/validation.md states it; a table with a bad kind, use, rule, models list or number, a
 * missing or unknown column, bounds out of order or no rows is refused with CCSIM_EINPUT and
 * "PATH:LINE: column ..."; the effects (a mean difference per client-month and in the metric's
 * unit, a rate ratio, an odds ratio) on hand-made pairs of replications against values worked by
 * hand; the misfit of a fit; and the status file as written and read back. Run from the project
 * root, as `make test` does.
 */
#include <errno.h>
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

static const char header[] = "label,reference,treatment,metric,kind,point,low,high,use,source\n";

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
    assert_int_equal(vt.n_rows, 11);
    const struct validate_row *r = &vt.rows[0];
    assert_string_equal(r->label, "ICM vs standard care: days in hospital per month");
    assert_string_equal(r->reference, "usual_care.cfg");
    assert_string_equal(r->treatment, "arm_icm.cfg");
    assert_string_equal(r->metric, "trial.bed_days_per_month");
    assert_null(r->metric_low);
    assert_int_equal(r->kind, VALIDATE_MD);
    assert_true(r->point == -0.86 && r->lo == -1.37 && r->hi == -0.34); /* exactly as written */
    assert_true(r->is_train);
    assert_string_equal(r->models, "icm");
    assert_true(validate_row_has_model(r, "icm"));
    assert_false(validate_row_has_model(r, "ic"));
    assert_string_equal(r->source, "Dieterich et al. 2017, Cochrane CD007906, 24 RCTs (S)");
    assert_int_equal(r->line, 2);
    r = &vt.rows[3];
    assert_int_equal(r->kind, VALIDATE_RR);
    assert_string_equal(r->metric, "trial.admitted_pct");
    assert_false(r->is_train);
    /* The slope row names the high-use then the low-use subgroup's metric. */
    r = &vt.rows[5];
    assert_int_equal(r->kind, VALIDATE_SLOPE);
    assert_string_equal(r->metric, "trial.high_use.bed_days_per_month");
    assert_string_equal(r->metric_low, "trial.low_use.bed_days_per_month");
    r = &vt.rows[6];
    assert_int_equal(r->kind, VALIDATE_RR);
    assert_true(r->point == 1.6 && r->lo == 1.2 && r->hi == 2.1);
    assert_string_equal(r->models, "broker");
    assert_string_equal(r->source, "Marshall et al., Cochrane CD000050 (S)");
    assert_int_equal(r->line, 8);
    r = &vt.rows[7];
    assert_int_equal(r->kind, VALIDATE_OR);
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

    put_table(fx,
              "source,models,rule,use,kind,metric,treatment,reference,label,high,low,point\r\n"
              "\"a, b\",act;icm,inside,train,OR,m,t.cfg,r.cfg,\"x \"\"y\"\"\",2.385,1.25,1.5\r\n"
              "s,,inside,held-out,MD,m,t.cfg,r.cfg,z,2.5,-1.5,0.25\r\n");
    int rc = validate_table_read(fx->path, &vt, err, sizeof err);
    if (rc != 0) {
        fail_msg("%d %s", rc, err);
    }
    assert_int_equal(vt.n_rows, 2);
    assert_string_equal(vt.rows[0].label, "x \"y\"");
    assert_string_equal(vt.rows[0].source, "a, b");
    assert_string_equal(vt.rows[0].reference, "r.cfg");
    assert_int_equal(vt.rows[0].kind, VALIDATE_OR);
    assert_true(vt.rows[0].is_train);
    assert_true(validate_row_has_model(&vt.rows[0], "act"));
    assert_true(validate_row_has_model(&vt.rows[0], "icm"));
    assert_false(validate_row_has_model(&vt.rows[0], "act;icm"));
    assert_true(vt.rows[0].point == 1.5 && vt.rows[0].lo == 1.25 && vt.rows[0].hi == 2.385);
    assert_int_equal(vt.rows[1].kind, VALIDATE_MD);
    assert_false(vt.rows[1].is_train);
    assert_string_equal(vt.rows[1].models, "");
    assert_false(validate_row_has_model(&vt.rows[1], "act"));
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
        {"a,r.cfg,t.cfg,m,MD/month,-0.86,-1.37,-0.34,held-out,s\n",
         "2: column 'kind': 'MD/month' is not a kind of effect (RR, OR, MD, MD-per-month or slope "
         "is expected)"},
        {"a,r.cfg,t.cfg,m,slope,-0.44,-0.57,-0.31,held-out,s\n",
         "2: column 'metric': 'm' is not two metrics (a slope names the high subgroup's metric, "
         "';', then the low subgroup's)"},
        {"a,r.cfg,t.cfg,m1;m2;m3,slope,-0.44,-0.57,-0.31,held-out,s\n",
         "2: column 'metric': 'm1;m2;m3' is not two metrics"},
        {"a,r.cfg,t.cfg,m1;m2,MD,-0.44,-0.57,-0.31,held-out,s\n",
         "2: column 'metric': 'm1;m2' is not one metric name (two, separated by ';', only for kind "
         "slope)"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,held-out,s\n"
         "b,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,test,s\n",
         "3: column 'use': 'test' is not a use (train or held-out is expected)"},
        {"!label,reference,treatment,metric,kind,rule,point,low,high,use,source\n"
         "a,r.cfg,t.cfg,m,RR,inside,0.71,0.5,0.97,train,s\n"
         "b,r.cfg,t.cfg,m,RR,not-below,1.6,1.0,2.1,train,s\n",
         "3: column 'rule': 'not-below' is not allowed (every row passes when the simulated "
         "estimate lies inside the published interval: only 'inside' is allowed, or leave the "
         "column out)"},
        {"!label,reference,treatment,metric,kind,point,low,high,use,models,source\n"
         "a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,train,act icm,s\n",
         "2: column 'models': 'act icm' is not a list of presets"},
        {"!label,reference,treatment,metric,kind,point,low,high,use,models,source\n"
         "a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,train,act;,s\n",
         "2: column 'models': 'act;' is not a list of presets"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.5x,0.97,train,s\n",
         "2: column 'low': '0.5x' is not a number (a number is expected)"},
        {"a,r.cfg,t.cfg,m,RR,NA,0.5,0.97,train,s\n",
         "2: column 'point': 'NA' is not a number (a number is expected)"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.5,,train,s\n",
         "2: column 'high': '' is not a number (a number is expected)"},
        {"a,r.cfg,,m,RR,0.71,0.5,0.97,train,s\n", "2: column 'treatment' is empty"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,,s\n", "2: column 'use' is empty"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.75,0.97,train,s\n",
         "2: columns 'low', 'point', 'high': 0.75, 0.71, 0.97 are out of order (low <= point <= "
         "high is expected)"},
        {"a,r.cfg,t.cfg,m,RR,0.71,-0.5,0.97,train,s\n",
         "2: column 'low': -0.5 is not above 0 (a ratio, RR, and its interval above 0 are "
         "expected)"},
        {"a,r.cfg,t.cfg,m,OR,0.71,0,0.97,train,s\n",
         "2: column 'low': 0 is not above 0 (a ratio, OR, and its interval above 0 are "
         "expected)"},
        {"a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,train\n",
         "2: 9 fields where the header has 10 (one field per column is expected)"},
        {"!label,reference,treatment,metric,kind,point,low,high,source\n"
         "a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,s\n",
         "1: no column 'use' (the columns label, reference, treatment, metric, kind, point, low, "
         "high, source, use are expected)"},
        {"!label,reference,treatment,metric,kind,point,low,high,use,source,notes\n"
         "a,r.cfg,t.cfg,m,RR,0.71,0.5,0.97,train,s,n\n",
         "1: column 'notes' is not a column of the table (the columns label, reference, "
         "treatment, metric, kind, point, low, high, source, use, models, rule are expected)"},
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
    struct validate_row row = {.kind = VALIDATE_MD_MONTH, .point = -0.86, .lo = -1.37, .hi = -0.34};
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

    /* A plain MD is the same difference in the metric's own unit. */
    row = (struct validate_row){.kind = VALIDATE_MD, .point = -600, .lo = -900, .hi = -300};
    validate_effect(&row, ref, treat, 3, &out);
    assert_close(out.point, mean, 1e-12, 0);
    assert_close(out.lo, mean - half, 1e-9, 0);
    assert_close(out.hi, mean + half, 1e-9, 0);
    assert_true(out.pass); /* -528 inside -900 to -300 */
    row.lo = -500;
    row.point = -400;
    validate_effect(&row, ref, treat, 3, &out);
    assert_true(!out.pass); /* -528 below -500 */
}

/* Rate ratio: the ratio of the sums (totals 94.25 / 139.75), with the interval from the log
 * ratios log(30/40.25), log(34.75/52.5), log(29.5/47): mean -0.390767853, sd 0.0879842868. */
static void test_rate_ratio_by_hand(void **state)
{
    (void)state;
    const double ref[] = {40.25, 52.5, 47.0}, treat[] = {30.0, 34.75, 29.5};
    struct validate_row row = {.kind = VALIDATE_RR, .point = 0.71, .lo = 0.5, .hi = 0.97};
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

    /* Inside is the one rule: an interval that overlaps the published one does not pass when
     * the point lies outside it. */
    row.point = 1.6;
    row.lo = 0.8;
    row.hi = 2.1;
    validate_effect(&row, ref, treat, 3, &out);
    assert_true(!out.pass); /* 0.674 below 0.8, though the interval reaches 0.84 */
}

/* Odds ratio of percentages: odds p / (100 - p). The point from the arms' means (46.5833 and
 * 31.4167 percent): (31.4167 / 68.5833) / (46.5833 / 53.4167) = 0.525276; the interval from the
 * paired log odds ratios logit(30) - logit(40.25), logit(34.75) - logit(52.5), logit(29.5) -
 * logit(47): mean -0.644482, sd 0.166817 (worked separately from the code). */
static void test_odds_ratio_by_hand(void **state)
{
    (void)state;
    const double ref[] = {40.25, 52.5, 47.0}, treat[] = {30.0, 34.75, 29.5};
    struct validate_row row = {.kind = VALIDATE_OR, .point = 0.6, .lo = 0.4, .hi = 0.9};
    struct validate_outcome out;

    validate_effect(&row, ref, treat, 3, &out);
    double mr = (40.25 + 52.5 + 47.0) / 3, mt = (30.0 + 34.75 + 29.5) / 3;
    assert_close(out.point, (mt / (100 - mt)) / (mr / (100 - mr)), 1e-13, 0);
    assert_close(out.point, 0.5252762157732629, 1e-12, 0);
    assert_close(out.lo, 0.34684455578445716, 1e-9, 0);
    assert_close(out.hi, 0.794465332404656, 1e-9, 0);
    assert_true(out.pass); /* 0.525 inside 0.4 to 0.9 */
    /* The odds ratio is further from 1 than the risk ratio of the same percentages (0.674). */
    struct validate_row rr = {.kind = VALIDATE_RR, .point = 0.6, .lo = 0.4, .hi = 0.9};
    struct validate_outcome out_rr;
    validate_effect(&rr, ref, treat, 3, &out_rr);
    assert_true(out.point < out_rr.point);
    /* A percentage of 0 or 100 has no odds: that pair is left out; none left, NaN. */
    const double ref0[] = {0.0, 52.5, 47.0, 40.25}, all[] = {100.0, 100.0, 100.0, 100.0};
    const double treat0[] = {12.5, 34.75, 29.5, 30.0};
    validate_effect(&row, ref0, treat0, 4, &out);
    assert_close(out.lo, exp(-0.6444822469398419 - T_975_2 * 0.16681696692621778 / sqrt(3.0)), 1e-9,
                 0); /* the three pairs above */
    validate_effect(&row, all, treat0, 4, &out);
    assert_true(isnan(out.point) && isnan(out.lo) && isnan(out.hi));
    assert_true(!out.pass);
}

/* A slope: the change of the effect per unit of the reference arm's level, between two
 * subgroups, from the arms' means; its interval by the delta method. */
static void test_slope_by_hand(void **state)
{
    (void)state;
    /* Per replication: high-use reference, then low-use reference; the same for treatment. */
    const double ref[] = {2.0, 2.4, 2.2, 0.8, 1.0, 0.6};
    const double treat[] = {1.2, 1.5, 1.4, 0.7, 0.8, 0.5};
    struct validate_row row = {.kind = VALIDATE_SLOPE, .point = -0.44, .lo = -0.57, .hi = -0.31};
    struct validate_outcome out;

    validate_effect(&row, ref, treat, 3, &out);
    /* Means: reference 2.2 and 0.8, treatment 1.3667 and 0.6667. */
    double point = ((4.1 / 3 - 2.2) - (2.0 / 3 - 0.8)) / (2.2 - 0.8);
    assert_close(out.point, point, 1e-12, 0);
    /* Delta method: N_i = (T1 - R1) - (T2 - R2), D_i = R1 - R2 per replication. */
    double nn[3] = {(1.2 - 2.0) - (0.7 - 0.8), (1.5 - 2.4) - (0.8 - 1.0),
                    (1.4 - 2.2) - (0.5 - 0.6)};
    double dd[3] = {2.0 - 0.8, 2.4 - 1.0, 2.2 - 0.6};
    double mn = (nn[0] + nn[1] + nn[2]) / 3, md = (dd[0] + dd[1] + dd[2]) / 3;
    double vn = 0, vd = 0, c = 0;
    for (int i = 0; i < 3; i++) {
        vn += (nn[i] - mn) * (nn[i] - mn);
        vd += (dd[i] - md) * (dd[i] - md);
        c += (nn[i] - mn) * (dd[i] - md);
    }
    double q = mn / md;
    double se = sqrt((vn - 2 * q * c + q * q * vd) / 2 / (3 * md * md));
    assert_close(q, point, 1e-12, 0);
    assert_close(out.lo, q - T_975_2 * se, 1e-9, 1e-12);
    assert_close(out.hi, q + T_975_2 * se, 1e-9, 1e-12);
    assert_true(out.pass == (point >= -0.57 && point <= -0.31));
    /* Equal reference levels have no slope. */
    const double flat[] = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    validate_effect(&row, flat, treat, 3, &out);
    assert_true(isnan(out.point) && !out.pass);
}

/* The misfit in half-widths of the published interval, on the log scale for ratios. */
static void test_misfit_in_half_widths(void **state)
{
    (void)state;
    struct validate_row md = {.kind = VALIDATE_MD, .point = -0.86, .lo = -1.37, .hi = -0.35};
    assert_close(validate_misfit(&md, -0.86), 0, 0, 1e-15);
    assert_close(validate_misfit(&md, -0.35), 0.51 / 0.51, 1e-12, 0);
    assert_close(validate_misfit(&md, 0.16), 2.0, 1e-12, 0); /* 1.02 above, 0.51 a half-width */
    struct validate_row rr = {.kind = VALIDATE_RR, .point = 0.7, .lo = 0.35, .hi = 1.4};
    double w = log(4.0) / 2; /* log 1.4 - log 0.35 = log 4 */
    assert_close(validate_misfit(&rr, 1.4), log(2.0) / w, 1e-12, 0);
    assert_close(validate_misfit(&rr, 0.35), -log(2.0) / w, 1e-12, 0); /* symmetric in logs */
    assert_true(isnan(validate_misfit(&rr, 0.0)));
    assert_true(isnan(validate_misfit(&md, NAN)));
    struct validate_row flat = {.kind = VALIDATE_MD, .point = 1, .lo = 1, .hi = 1};
    assert_true(isnan(validate_misfit(&flat, 1.0)));
}

/* The status file: its header, a row per effect with the verdict, NA for no models and an
 * undefined number, and it reads back through the table reader with its columns. */
static void test_status_file_reads_back(void **state)
{
    struct fixture *fx = *state;
    struct validate_row rows[2] = {
        {.label = "ICM, bed-days",
         .kind = VALIDATE_MD_MONTH,
         .point = -0.86,
         .lo = -1.37,
         .hi = -0.34,
         .models = "icm;standard_care",
         .is_train = true},
        {.label = "x, \"y\"",
         .kind = VALIDATE_OR,
         .point = 0.6,
         .lo = 0.5,
         .hi = 0.7,
         .models = ""},
    };
    struct validate_status st[2] = {
        {&rows[0], {.point = -0.451, .lo = -0.468, .hi = -0.435, .pass = true}},
        {&rows[1], {.point = NAN, .lo = NAN, .hi = NAN, .pass = false}},
    };
    assert_int_equal(validate_status_write(fx->path, st, 2, "2026-12-01", 20261126ULL), 0);
    struct table t;
    char err[1024] = "";
    assert_int_equal(table_read(fx->path, &t, err, sizeof err), 0);
    if (table_check(&t, validate_status_columns, err, sizeof err) != 0) {
        fail_msg("%s", err);
    }
    assert_int_equal(t.n_rows, 2);
    assert_int_equal(t.n_cols, 13);
    assert_string_equal(table_at(&t, 0, table_col(&t, "row")), "ICM, bed-days");
    assert_string_equal(table_at(&t, 0, table_col(&t, "models")), "icm;standard_care");
    assert_string_equal(table_at(&t, 0, table_col(&t, "kind")), "MD-per-month");
    assert_true(table_num(&t, 0, table_col(&t, "low")) == -1.37);
    assert_true(table_num(&t, 0, table_col(&t, "sim_high")) == -0.435);
    assert_string_equal(table_at(&t, 0, table_col(&t, "verdict")), "pass");
    assert_string_equal(table_at(&t, 0, table_col(&t, "use")), "train");
    assert_string_equal(table_at(&t, 0, table_col(&t, "date")), "2026-12-01");
    assert_string_equal(table_at(&t, 0, table_col(&t, "seed")), "20261126");
    assert_string_equal(table_at(&t, 1, table_col(&t, "row")), "x, \"y\"");
    assert_string_equal(table_at(&t, 1, table_col(&t, "models")), "NA");
    assert_string_equal(table_at(&t, 1, table_col(&t, "simulated")), "NA");
    assert_string_equal(table_at(&t, 1, table_col(&t, "verdict")), "fail");
    assert_string_equal(table_at(&t, 1, table_col(&t, "use")), "held-out");
    table_free(&t);
    /* No temporary file is left beside it. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test \"$(ls %s | wc -l)\" -eq 1", fx->dir);
    assert_int_equal(system(cmd), 0);
    /* A folder that does not exist: the errno, nothing written. */
    char missing[256];
    snprintf(missing, sizeof missing, "%s/no/status.csv", fx->dir);
    assert_int_equal(validate_status_write(missing, st, 2, "2026-12-01", 1), -ENOENT);
}

/* A pair with a zero reference is left out of the log ratios; with none positive the ratio is
 * NaN and an "inside" row fails. */
static void test_rate_ratio_without_positive_reference(void **state)
{
    (void)state;
    const double ref[] = {40.25, 0.0, 47.0, 52.5}, treat[] = {30.0, 12.5, 29.5, 34.75};
    const double none[] = {0.0, 0.0, 0.0, 0.0};
    struct validate_row row = {.kind = VALIDATE_RR, .point = 0.71, .lo = 0.5, .hi = 0.97};
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
        cmocka_unit_test(test_odds_ratio_by_hand),
        cmocka_unit_test(test_slope_by_hand),
        cmocka_unit_test(test_misfit_in_half_widths),
        cmocka_unit_test_setup_teardown(test_status_file_reads_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
