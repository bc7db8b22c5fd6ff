/*
 * Unit tests of sim/cfg: typed, checked access to scenario text, and its diagnostics.
 *
 * The contract checked here (sim/cfg.h and STYLE.md section 4): every problem is one line
 * "file:line: key: what is wrong (what is allowed)"; reading never stops at the first problem,
 * so every problem is reported; a bad value is reported at its own line and a missing key at
 * the line of its group (line 1 for the root); an integer is accepted where a real is expected;
 * closed and open range bounds are honoured to the last value; choices name what is allowed;
 * unknown keys get a did-you-mean suggestion when one is near. Messages are compared in full,
 * because the bad-input tests of the command line and the users depend on their exact form.
 */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "tests/support.h"

static const char *const disciplines[] = {"fifo", "priority", NULL};

enum {
    K_MEAN,
    K_P,
    K_FRAC,
    K_RHO,
    K_SHIFT,
    K_OFFSET,
    K_LIMIT,
    K_DISCIPLINE,
    K_NAME,
    K_IS_OPEN,
    K_SERVICE,
    K_ROUTING,
    N_KEYS
};

/* Getters keep pointers to their declarations, so these are static. */
static const struct cfg_key keys[N_KEYS] = {
    [K_MEAN] = {.name = "mean",
                .type = CFG_REAL,
                .is_required = true,
                .lo = 0.0,
                .hi = HUGE_VAL,
                .flags = CFG_LO_OPEN,
                .unit = "days"},
    [K_P] = {.name = "p", .type = CFG_REAL, .lo = 0.0, .hi = 1.0, .def = 0.25},
    [K_FRAC] = {.name = "frac", .type = CFG_REAL, .lo = 0.0, .hi = 1.0, .flags = CFG_HI_OPEN},
    [K_RHO] = {.name = "rho",
               .type = CFG_REAL,
               .lo = 0.0,
               .hi = 1.0,
               .flags = CFG_LO_OPEN | CFG_HI_OPEN,
               .def = 0.5},
    [K_SHIFT] = {.name = "shift",
                 .type = CFG_REAL,
                 .lo = -HUGE_VAL,
                 .hi = 5.5,
                 .flags = CFG_HI_OPEN,
                 .def = -1.0},
    [K_OFFSET] = {.name = "offset", .type = CFG_REAL, .lo = -HUGE_VAL, .hi = HUGE_VAL},
    [K_LIMIT] =
        {.name = "caseload_limit", .type = CFG_INT, .is_required = true, .lo = 1, .hi = 200},
    [K_DISCIPLINE] = {.name = "discipline",
                      .type = CFG_CHOICE,
                      .def_str = "fifo",
                      .choices = disciplines},
    [K_NAME] = {.name = "name", .type = CFG_STRING, .is_required = true},
    [K_IS_OPEN] = {.name = "is_open", .type = CFG_BOOL, .def = 1},
    [K_SERVICE] = {.name = "service", .type = CFG_GROUP},
    [K_ROUTING] = {.name = "routing", .type = CFG_LIST},
};

static const struct cfg_table table = {
    .path = "team", .help = "a test group", .keys = keys, .n_keys = N_KEYS};

/* The allowed list of table, as cfg_check_keys() shows it. */
#define ALLOWED                                                                                    \
    "mean, p, frac, rho, shift, offset, caseload_limit, discipline, name, is_open, service, "      \
    "routing"

struct fixture {
    struct cfg c;
};

static int setup_cfg(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f) {
        return -1;
    }
    cfg_init(&f->c);
    *state = f;
    return 0;
}

static int teardown_cfg(void **state)
{
    struct fixture *f = *state;

    cfg_fini(&f->c);
    free(f);
    return 0;
}

/* Loads text as t.cfg, failing the test with the diagnostics if it does not parse. */
static void load(struct cfg *c, const char *text)
{
    if (!cfg_load_string(c, "t.cfg", text)) {
        diag_print(&c->diag, stderr);
        fail_msg("did not load: %s", text);
    }
}

static const config_setting_t *member(const struct cfg *c, const char *name)
{
    const config_setting_t *s = config_setting_get_member(cfg_root(c), name);

    if (!s) {
        fail_msg("no setting %s", name);
    }
    return s;
}

/* Asserts that exactly the messages given were recorded, in this order. */
static void expect_problems(const struct cfg *c, const char *const *msgs, int n)
{
    if (cfg_n_problems(c) != n) {
        diag_print(&c->diag, stderr);
        fail_msg("%d problems recorded, expected %d", cfg_n_problems(c), n);
    }
    for (int i = 0; i < n; i++) {
        assert_string_equal(c->diag.msgs[i], msgs[i]);
    }
}

#define EXPECT(c, ...)                                                                             \
    do {                                                                                           \
        const char *const msgs_[] = {__VA_ARGS__};                                                 \
        expect_problems((c), msgs_, (int)(sizeof msgs_ / sizeof msgs_[0]));                        \
    } while (0)

/* ---- reading values ---- */

static void test_cfg_reads_every_type(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mean = 12.5; p = 0.75; frac = 0.0; rho = 0.125; shift = -40.0;\n"
                       "  offset = -2.385; caseload_limit = 35; discipline = \"priority\";\n"
                       "  name = \"north\"; is_open = false;\n"
                       "  service = { mean = 1.0; }; routing = ( { to = \"a\"; }, 2 );\n"
                       "};\n";
    double mean, p, frac, rho, shift, offset;
    long long limit;
    int disc;
    const char *name;
    bool is_open;
    const config_setting_t *service, *routing;

    load(&f->c, text);
    const config_setting_t *g = member(&f->c, "team");
    assert_true(cfg_check_keys(&f->c, g, &table));
    assert_true(cfg_get_real(&f->c, g, &keys[K_MEAN], &mean));
    assert_true(cfg_get_real(&f->c, g, &keys[K_P], &p));
    assert_true(cfg_get_real(&f->c, g, &keys[K_FRAC], &frac));
    assert_true(cfg_get_real(&f->c, g, &keys[K_RHO], &rho));
    assert_true(cfg_get_real(&f->c, g, &keys[K_SHIFT], &shift));
    assert_true(cfg_get_real(&f->c, g, &keys[K_OFFSET], &offset));
    assert_true(cfg_get_int(&f->c, g, &keys[K_LIMIT], &limit));
    assert_true(cfg_get_choice(&f->c, g, &keys[K_DISCIPLINE], &disc));
    assert_true(cfg_get_string(&f->c, g, &keys[K_NAME], &name));
    assert_true(cfg_get_bool(&f->c, g, &keys[K_IS_OPEN], &is_open));
    assert_true(cfg_get_group(&f->c, g, &keys[K_SERVICE], &service));
    assert_true(cfg_get_list(&f->c, g, &keys[K_ROUTING], &routing));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_true(mean == 12.5 && p == 0.75 && frac == 0.0 && rho == 0.125);
    assert_true(shift == -40.0 && offset == -2.385);
    assert_int_equal(limit, 35);
    assert_int_equal(disc, 1);
    assert_string_equal(name, "north");
    assert_false(is_open);
    assert_non_null(service);
    assert_true(config_setting_is_group(service));
    assert_int_equal(config_setting_length(routing), 2);
}

/* libconfig alone refuses 1 for 1.0; the cfg layer must not. */
static void test_cfg_integer_accepted_where_real_expected(void **state)
{
    struct fixture *f = *state;
    double mean, p, offset, x;

    load(&f->c, "team = { mean = 3; p = 1; offset = -7; big = 5000000000L; };\n"
                "xs = [4, 5];\n");
    const config_setting_t *g = member(&f->c, "team");
    assert_true(cfg_get_real(&f->c, g, &keys[K_MEAN], &mean));
    assert_true(cfg_get_real(&f->c, g, &keys[K_P], &p));
    assert_true(cfg_get_real(&f->c, g, &keys[K_OFFSET], &offset));
    assert_true(mean == 3.0 && p == 1.0 && offset == -7.0);
    /* Elements of lists, through cfg_number(), and 64-bit integers. */
    assert_true(cfg_number(&f->c, config_setting_get_elem(member(&f->c, "xs"), 1), &x));
    assert_true(x == 5.0);
    assert_true(cfg_number(&f->c, config_setting_get_member(g, "big"), &x));
    assert_true(x == 5e9);
    assert_int_equal(cfg_n_problems(&f->c), 0);
}

static void test_cfg_absent_optional_keys_take_defaults(void **state)
{
    struct fixture *f = *state;
    double p = -1, rho = -1, shift = 0;
    int disc = -5;
    bool is_open = false;
    const config_setting_t *service = (const void *)&p;

    load(&f->c, "team = {\n  mean = 2.0;\n};\n");
    const config_setting_t *g = member(&f->c, "team");
    assert_true(cfg_get_real(&f->c, g, &keys[K_P], &p));
    assert_true(cfg_get_real(&f->c, g, &keys[K_RHO], &rho));
    assert_true(cfg_get_real(&f->c, g, &keys[K_SHIFT], &shift));
    assert_true(cfg_get_choice(&f->c, g, &keys[K_DISCIPLINE], &disc));
    assert_true(cfg_get_bool(&f->c, g, &keys[K_IS_OPEN], &is_open));
    assert_true(cfg_get_group(&f->c, g, &keys[K_SERVICE], &service));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_true(p == 0.25 && rho == 0.5 && shift == -1.0);
    assert_int_equal(disc, 0);
    assert_true(is_open);
    assert_null(service);
    /* The default is now part of the resolved tree, marked as a default. */
    const config_setting_t *ps = config_setting_get_member(g, "p");
    assert_non_null(ps);
    struct cfg_origin o;
    cfg_origin_of(&f->c, ps, &o);
    assert_int_equal(o.kind, CFG_FROM_DEFAULT);
    /* Reading again gives the same value and no problem. */
    p = -1;
    assert_true(cfg_get_real(&f->c, g, &keys[K_P], &p));
    assert_true(p == 0.25);
    assert_int_equal(cfg_n_problems(&f->c), 0);
}

/* ---- ranges ---- */

static void test_cfg_closed_bounds_include_their_ends(void **state)
{
    struct fixture *f = *state;
    double p0, p1;
    long long lo, hi;

    load(&f->c, "a = { p = 0; caseload_limit = 1; };\nb = { p = 1.0; caseload_limit = 200; };\n");
    assert_true(cfg_get_real(&f->c, member(&f->c, "a"), &keys[K_P], &p0));
    assert_true(cfg_get_real(&f->c, member(&f->c, "b"), &keys[K_P], &p1));
    assert_true(cfg_get_int(&f->c, member(&f->c, "a"), &keys[K_LIMIT], &lo));
    assert_true(cfg_get_int(&f->c, member(&f->c, "b"), &keys[K_LIMIT], &hi));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_true(p0 == 0.0 && p1 == 1.0);
    assert_int_equal(lo, 1);
    assert_int_equal(hi, 200);
}

static void test_cfg_values_outside_range_are_refused_with_allowed_range(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  caseload_limit = -3;\n"
                       "  p = 1.0000001;\n"
                       "  mean = 0;\n"
                       "  frac = 1.0;\n"
                       "  rho = 0.0;\n"
                       "  shift = 5.5;\n"
                       "};\n"
                       "more = { caseload_limit = 201; p = -0.25; rho = 1; mean = -2.385; };\n"
                       "huge = { caseload_limit = 5000000000L; mean = 1e999; };\n";
    double v = 42.0;
    long long n = 42;

    load(&f->c, text);
    const config_setting_t *g = member(&f->c, "team");
    const config_setting_t *m = member(&f->c, "more");
    const config_setting_t *h = member(&f->c, "huge");
    assert_false(cfg_get_int(&f->c, g, &keys[K_LIMIT], &n));
    assert_false(cfg_get_real(&f->c, g, &keys[K_P], &v));
    assert_false(cfg_get_real(&f->c, g, &keys[K_MEAN], &v));
    assert_false(cfg_get_real(&f->c, g, &keys[K_FRAC], &v));
    assert_false(cfg_get_real(&f->c, g, &keys[K_RHO], &v));
    assert_false(cfg_get_real(&f->c, g, &keys[K_SHIFT], &v));
    assert_false(cfg_get_int(&f->c, m, &keys[K_LIMIT], &n));
    assert_false(cfg_get_real(&f->c, m, &keys[K_P], &v));
    assert_false(cfg_get_real(&f->c, m, &keys[K_RHO], &v));
    assert_false(cfg_get_real(&f->c, m, &keys[K_MEAN], &v));
    assert_false(cfg_get_int(&f->c, h, &keys[K_LIMIT], &n));
    assert_false(cfg_get_real(&f->c, h, &keys[K_MEAN], &v));
    /* A refused value leaves the output alone. */
    assert_true(v == 42.0);
    assert_int_equal(n, 42);
    EXPECT(&f->c, "t.cfg:2: team.caseload_limit: -3 is out of range (integer 1..200)",
           "t.cfg:3: team.p: 1.0000001 is out of range (real 0..1)",
           "t.cfg:4: team.mean: 0 is out of range (real > 0 days)",
           "t.cfg:5: team.frac: 1 is out of range (real >= 0 and < 1)",
           "t.cfg:6: team.rho: 0 is out of range (real > 0 and < 1)",
           "t.cfg:7: team.shift: 5.5 is out of range (real < 5.5)",
           "t.cfg:9: more.caseload_limit: 201 is out of range (integer 1..200)",
           "t.cfg:9: more.p: -0.25 is out of range (real 0..1)",
           "t.cfg:9: more.rho: 1 is out of range (real > 0 and < 1)",
           "t.cfg:9: more.mean: -2.385 is out of range (real > 0 days)",
           "t.cfg:10: huge.caseload_limit: 5000000000 is out of range (integer 1..200)",
           "t.cfg:10: huge.mean: inf is out of range (real > 0 days)");
}

/* Values just inside open bounds are accepted. */
static void test_cfg_open_bounds_accept_values_just_inside(void **state)
{
    struct fixture *f = *state;
    double a, b, c, d;

    load(&f->c,
         "t = { rho = 1e-300; frac = 0.9999999999999999; shift = 5.499999; mean = 5e-324; };");
    const config_setting_t *g = member(&f->c, "t");
    assert_true(cfg_get_real(&f->c, g, &keys[K_RHO], &a));
    assert_true(cfg_get_real(&f->c, g, &keys[K_FRAC], &b));
    assert_true(cfg_get_real(&f->c, g, &keys[K_SHIFT], &c));
    assert_true(cfg_get_real(&f->c, g, &keys[K_MEAN], &d));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_true(a == 1e-300 && b < 1.0 && c == 5.499999 && d > 0);
}

static void test_cfg_allowed_describes_each_kind_of_range(void **state)
{
    char buf[256];
    const struct {
        int k;
        const char *text;
    } cases[] = {
        {K_MEAN, "real > 0 days"},
        {K_P, "real 0..1"},
        {K_FRAC, "real >= 0 and < 1"},
        {K_RHO, "real > 0 and < 1"},
        {K_SHIFT, "real < 5.5"},
        {K_OFFSET, "real"},
        {K_LIMIT, "integer 1..200"},
        {K_DISCIPLINE, "one of \"fifo\", \"priority\""},
        {K_NAME, "string"},
        {K_IS_OPEN, "boolean"},
        {K_SERVICE, "group { ... }"},
        {K_ROUTING, "list ( ... )"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cfg_allowed(&keys[cases[i].k], buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
    /* A short buffer truncates, and stays terminated. */
    cfg_allowed(&keys[K_DISCIPLINE], buf, 12);
    assert_string_equal(buf, "one of \"fif");
}

/* ---- types and choices ---- */

static void test_cfg_wrong_types_are_named(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mean = \"long\";\n"
                       "  caseload_limit = 2.5;\n"
                       "  name = 5;\n"
                       "  is_open = 1;\n"
                       "  service = 3.0;\n"
                       "  routing = \"x\";\n"
                       "  discipline = true;\n"
                       "};\n"
                       "xs = ( \"a\", { }, [1] );\n";
    double v;
    long long n;
    const char *s;
    bool b;
    int k;
    const config_setting_t *out;

    load(&f->c, text);
    const config_setting_t *g = member(&f->c, "team");
    assert_false(cfg_get_real(&f->c, g, &keys[K_MEAN], &v));
    assert_false(cfg_get_int(&f->c, g, &keys[K_LIMIT], &n));
    assert_false(cfg_get_string(&f->c, g, &keys[K_NAME], &s));
    assert_false(cfg_get_bool(&f->c, g, &keys[K_IS_OPEN], &b));
    assert_false(cfg_get_group(&f->c, g, &keys[K_SERVICE], &out));
    assert_false(cfg_get_list(&f->c, g, &keys[K_ROUTING], &out));
    assert_false(cfg_get_choice(&f->c, g, &keys[K_DISCIPLINE], &k));
    const config_setting_t *xs = member(&f->c, "xs");
    for (unsigned i = 0; i < 3; i++) {
        assert_false(cfg_number(&f->c, config_setting_get_elem(xs, i), &v));
    }
    EXPECT(&f->c, "t.cfg:2: team.mean: a string where a number belongs (real > 0 days)",
           "t.cfg:3: team.caseload_limit: 2.5 is not a whole number (integer 1..200)",
           "t.cfg:4: team.name: an integer where a string belongs (string)",
           "t.cfg:5: team.is_open: an integer where a boolean belongs (boolean)",
           "t.cfg:6: team.service: a real where a group belongs (group { ... })",
           "t.cfg:7: team.routing: a string where a list belongs (list ( ... ))",
           "t.cfg:8: team.discipline: a boolean where a string belongs (one of \"fifo\", "
           "\"priority\")",
           "t.cfg:10: xs[0]: a string where a number belongs (real)",
           "t.cfg:10: xs[1]: a group where a number belongs (real)",
           "t.cfg:10: xs[2]: an array where a number belongs (real)");
}

/* A real with no fractional part is still a real: refused for an integer key, as libconfig
 * types it. The message says "3 is not a whole number", which reads oddly for 3.0 (see the
 * report); only the refusal and its location are pinned here. */
static void test_cfg_real_with_zero_fraction_refused_for_integer(void **state)
{
    struct fixture *f = *state;
    long long n = 7;

    load(&f->c, "team = {\n  caseload_limit = 3.0;\n};\n");
    assert_false(cfg_get_int(&f->c, member(&f->c, "team"), &keys[K_LIMIT], &n));
    assert_int_equal(n, 7);
    assert_int_equal(cfg_n_problems(&f->c), 1);
    const char *prefix = "t.cfg:2: team.caseload_limit: ";
    assert_memory_equal(f->c.diag.msgs[0], prefix, strlen(prefix));
    assert_non_null(strstr(f->c.diag.msgs[0], "(integer 1..200)"));
}

static void test_cfg_choices(void **state)
{
    struct fixture *f = *state;
    int a = -9, b = -9, c = -9;

    load(&f->c, "x = { discipline = \"fifo\"; };\n"
                "y = { discipline = \"priority\"; };\n"
                "z = { discipline = \"lifo\"; };\n"
                "w = { discipline = \"FIFO\"; };\n");
    assert_true(cfg_get_choice(&f->c, member(&f->c, "x"), &keys[K_DISCIPLINE], &a));
    assert_true(cfg_get_choice(&f->c, member(&f->c, "y"), &keys[K_DISCIPLINE], &b));
    assert_false(cfg_get_choice(&f->c, member(&f->c, "z"), &keys[K_DISCIPLINE], &c));
    assert_false(cfg_get_choice(&f->c, member(&f->c, "w"), &keys[K_DISCIPLINE], &c));
    assert_int_equal(a, 0);
    assert_int_equal(b, 1);
    assert_int_equal(c, -9);
    EXPECT(&f->c,
           "t.cfg:3: z.discipline: \"lifo\" is not a known value (one of \"fifo\", "
           "\"priority\")",
           "t.cfg:4: w.discipline: \"FIFO\" is not a known value (one of \"fifo\", "
           "\"priority\")");
}

/* ---- missing keys and locations ---- */

static void test_cfg_missing_required_key_reported_at_group_line(void **state)
{
    struct fixture *f = *state;
    const char *text = "# a scenario\n"
                       "\n"
                       "network = {\n"
                       "  stations = (\n"
                       "    { name = \"desk\";\n"
                       "      mean = 2.0;\n"
                       "    },\n"
                       "    {\n"
                       "      name = \"phone\";\n"
                       "      service = {\n"
                       "        mean = 4.0;\n"
                       "      };\n"
                       "    }\n"
                       "  );\n"
                       "};\n";
    long long n;
    double v;

    load(&f->c, text);
    const config_setting_t *net = member(&f->c, "network");
    const config_setting_t *st = config_setting_get_member(net, "stations");
    const config_setting_t *s0 = config_setting_get_elem(st, 0);
    const config_setting_t *s1 = config_setting_get_elem(st, 1);
    assert_false(cfg_get_int(&f->c, s0, &keys[K_LIMIT], &n));
    assert_false(cfg_get_int(&f->c, s1, &keys[K_LIMIT], &n));
    assert_false(cfg_get_real(&f->c, s1, &keys[K_MEAN], &v));
    assert_false(cfg_get_string(&f->c, config_setting_get_member(s1, "service"), &keys[K_NAME],
                                &(const char *){NULL}));
    /* At the root: reported at line 1, the file as a whole. */
    assert_false(cfg_get_real(&f->c, cfg_root(&f->c), &keys[K_MEAN], &v));
    EXPECT(&f->c,
           "t.cfg:5: network.stations[0].caseload_limit: missing required key (integer 1..200)",
           "t.cfg:8: network.stations[1].caseload_limit: missing required key (integer 1..200)",
           "t.cfg:8: network.stations[1].mean: missing required key (real > 0 days)",
           "t.cfg:10: network.stations[1].service.name: missing required key (string)",
           "t.cfg:1: mean: missing required key (real > 0 days)");
}

static void test_cfg_path_names_nested_settings(void **state)
{
    struct fixture *f = *state;
    char buf[128];

    load(&f->c, "network = { stations = ( { service = { at = [0.0, 1.5]; }; },\n"
                "                         { routing = ( { to = \"x\"; } ); } ); };\n");
    const config_setting_t *st = config_setting_get_member(member(&f->c, "network"), "stations");
    const config_setting_t *at = config_setting_get_member(
        config_setting_get_member(config_setting_get_elem(st, 0), "service"), "at");
    cfg_path(config_setting_get_elem(at, 1), buf, sizeof buf);
    assert_string_equal(buf, "network.stations[0].service.at[1]");
    const config_setting_t *to = config_setting_get_member(
        config_setting_get_elem(
            config_setting_get_member(config_setting_get_elem(st, 1), "routing"), 0),
        "to");
    cfg_path(to, buf, sizeof buf);
    assert_string_equal(buf, "network.stations[1].routing[0].to");
    cfg_path(cfg_root(&f->c), buf, sizeof buf);
    assert_string_equal(buf, "");
    /* Truncation keeps the buffer terminated. */
    cfg_path(to, buf, 10);
    assert_string_equal(buf, "network.s");
}

/* ---- unknown keys ---- */

static void test_cfg_unknown_keys_suggest_the_nearest_declared_key(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mena = 2.0;\n"
                       "  caseload_limt = 5;\n"
                       "  Discipline = \"fifo\";\n"
                       "  colour = \"blue\";\n"
                       "  zz = 1;\n"
                       "  mean = 2.0;\n"
                       "};\n";

    load(&f->c, text);
    assert_false(cfg_check_keys(&f->c, member(&f->c, "team"), &table));
    EXPECT(
        &f->c, "t.cfg:2: team.mena: unknown key, did you mean 'mean'? (allowed here: " ALLOWED ")",
        "t.cfg:3: team.caseload_limt: unknown key, did you mean 'caseload_limit'? (allowed "
        "here: " ALLOWED ")",
        "t.cfg:4: team.Discipline: unknown key, did you mean 'discipline'? (allowed here: " ALLOWED
        ")",
        "t.cfg:5: team.colour: unknown key (allowed here: " ALLOWED ")",
        "t.cfg:6: team.zz: unknown key (allowed here: " ALLOWED ")");
}

static void test_cfg_check_keys_accepts_declared_keys(void **state)
{
    struct fixture *f = *state;

    load(&f->c, "team = { mean = 1.0; name = \"a\"; routing = (); };\n");
    assert_true(cfg_check_keys(&f->c, member(&f->c, "team"), &table));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_ptr_equal(cfg_table_key(&table, "routing"), &keys[K_ROUTING]);
    assert_null(cfg_table_key(&table, "Routing"));
}

static void test_cfg_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(cfg_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(cfg_edit_distance("sitting", "kitten"), 3);
    assert_int_equal(cfg_edit_distance("", "abc"), 3);
    assert_int_equal(cfg_edit_distance("abc", ""), 3);
    assert_int_equal(cfg_edit_distance("mean", "mean"), 0);
    assert_int_equal(cfg_edit_distance("mena", "mean"), 2); /* a transposition is two edits */
    assert_int_equal(cfg_edit_distance("horizn", "horizon"), 1);
    assert_int_equal(cfg_edit_distance("flaw", "lawn"), 2);
}

/* ---- reading a group into a struct (cfg_read) ---- */

struct team_row {
    double mean, p;
    int limit;
    long places;
    int64_t budget;
    bool is_open;
    const char *site;
    char *name;
    int discipline;
    double untouched; /* a key without a target: the caller's */
};

static const struct cfg_key row_keys[] = {
    {.name = "mean",
     .type = CFG_REAL,
     .is_required = true,
     .lo = 0.0,
     .hi = HUGE_VAL,
     .flags = CFG_LO_OPEN,
     .unit = "days",
     CFG_TARGET_REAL(struct team_row, mean)},
    {.name = "p",
     .type = CFG_REAL,
     .lo = 0.0,
     .hi = 1.0,
     .def = 0.25,
     CFG_TARGET_REAL(struct team_row, p)},
    {.name = "caseload_limit",
     .type = CFG_INT,
     .is_required = true,
     .lo = 1,
     .hi = 200,
     CFG_TARGET_INT(struct team_row, limit)},
    {.name = "places",
     .type = CFG_INT,
     .lo = 0,
     .hi = 1e10,
     .def = 17,
     CFG_TARGET_LONG(struct team_row, places)},
    {.name = "budget",
     .type = CFG_INT,
     .lo = 0,
     .hi = HUGE_VAL,
     .def = 0,
     CFG_TARGET_INT64(struct team_row, budget)},
    {.name = "is_open", .type = CFG_BOOL, .def = 1, CFG_TARGET_BOOL(struct team_row, is_open)},
    {.name = "site",
     .type = CFG_STRING,
     .def_str = "main",
     CFG_TARGET_STRING(struct team_row, site)},
    {.name = "name",
     .type = CFG_STRING,
     .is_required = true,
     CFG_TARGET_STRDUP(struct team_row, name)},
    {.name = "discipline",
     .type = CFG_CHOICE,
     .def_str = "fifo",
     .choices = disciplines,
     CFG_TARGET_CHOICE(struct team_row, discipline)},
    {.name = "untouched", .type = CFG_REAL, .lo = 0.0, .hi = 1.0, .def = 0.5},
};

static const struct cfg_table row_table = {
    .path = "team", .help = "a test row", .keys = row_keys, .n_keys = 10};

#define ROW_ALLOWED                                                                                \
    "mean, p, caseload_limit, places, budget, is_open, site, name, discipline, "                   \
    "untouched"

static void test_cfg_read_fills_every_target_kind(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mean = 12.5; p = 0.75; caseload_limit = 35; places = 4000000000;\n"
                       "  budget = 9000000000000; is_open = false; site = \"east\";\n"
                       "  name = \"north\"; discipline = \"priority\"; untouched = 0.125;\n"
                       "};\n";
    struct team_row r = {.untouched = -3.5};

    load(&f->c, text);
    assert_true(cfg_read(&f->c, member(&f->c, "team"), &row_table, &r));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_true(r.mean == 12.5 && r.p == 0.75);
    assert_int_equal(r.limit, 35);
    assert_true(r.places == 4000000000L);
    assert_true(r.budget == INT64_C(9000000000000));
    assert_false(r.is_open);
    assert_string_equal(r.site, "east");
    assert_string_equal(r.name, "north");
    assert_int_equal(r.discipline, 1);
    assert_true(r.untouched == -3.5); /* no target: left to the caller */
    free(r.name);
}

static void test_cfg_read_absent_keys_take_defaults(void **state)
{
    struct fixture *f = *state;
    struct team_row r = {.p = -1, .places = -1, .budget = -1, .discipline = -1};

    load(&f->c, "team = {\n  mean = 2.385;\n  caseload_limit = 12;\n  name = \"n\";\n};\n");
    const config_setting_t *g = member(&f->c, "team");
    assert_true(cfg_read(&f->c, g, &row_table, &r));
    assert_true(r.p == 0.25);
    assert_true(r.places == 17);
    assert_true(r.budget == 0);
    assert_true(r.is_open);
    assert_string_equal(r.site, "main");
    assert_int_equal(r.discipline, 0);
    /* The defaults are in the tree, in the table's order, as the getters add them. */
    const char *order[] = {"mean",   "caseload_limit", "name", "p",         "places",
                           "budget", "is_open",        "site", "discipline"};
    assert_int_equal(config_setting_length(g), 9);
    for (int i = 0; i < 9; i++) {
        assert_string_equal(config_setting_name(config_setting_get_elem(g, (unsigned)i)), order[i]);
    }
    assert_null(config_setting_get_member(g, "untouched")); /* not read, not filled */
    free(r.name);
}

/* Every problem is reported at its place, and the reader goes on: good values are stored, a
 * field whose key was wrong keeps its value. */
static void test_cfg_read_reports_every_problem_and_reads_on(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mean = -1.0;\n"
                       "  caseload_limit = 12.5;\n"
                       "  p = 0.3;\n"
                       "  places = \"many\";\n"
                       "  plaecs = 3;\n"
                       "  is_open = 1;\n"
                       "  discipline = \"lifo\";\n"
                       "  site = \"west\";\n"
                       "};\n";
    struct team_row r = {.mean = 7.25, .limit = 9, .places = 3, .is_open = true, .discipline = 1};

    load(&f->c, text);
    assert_false(cfg_read(&f->c, member(&f->c, "team"), &row_table, &r));
    EXPECT(&f->c,
           "t.cfg:6: team.plaecs: unknown key, did you mean 'places'? (allowed here: " ROW_ALLOWED
           ")",
           "t.cfg:2: team.mean: -1 is out of range (real > 0 days)",
           "t.cfg:3: team.caseload_limit: 12.5 is not a whole number (integer 1..200)",
           "t.cfg:5: team.places: a string where an integer belongs (integer 0..10000000000)",
           "t.cfg:7: team.is_open: an integer where a boolean belongs (boolean)",
           "t.cfg:1: team.name: missing required key (string)",
           "t.cfg:8: team.discipline: \"lifo\" is not a known value (one of \"fifo\", "
           "\"priority\")");
    assert_true(r.mean == 7.25 && r.limit == 9 && r.places == 3 && r.is_open);
    assert_int_equal(r.discipline, 1);
    assert_null(r.name);
    assert_true(r.p == 0.3); /* good values are still read */
    assert_string_equal(r.site, "west");
}

/* cfg_read_targets() reads without the check for unknown keys. */
static void test_cfg_read_targets_leaves_unknown_keys_to_the_caller(void **state)
{
    struct fixture *f = *state;
    struct team_row r = {0};

    load(&f->c, "team = {\n  mean = 1.5;\n  caseload_limit = 3;\n  name = \"n\";\n  zz = 1;\n};\n");
    const config_setting_t *g = member(&f->c, "team");
    assert_true(cfg_read_targets(&f->c, g, &row_table, &r));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    free(r.name);
    assert_false(cfg_read(&f->c, g, &row_table, &r));
    assert_int_equal(cfg_n_problems(&f->c), 1);
    assert_non_null(strstr(f->c.diag.msgs[0], "t.cfg:5: team.zz: unknown key"));
    free(r.name);
}

static const struct cfg_key optional_team = {.name = "team", .type = CFG_GROUP};
static const struct cfg_key required_team = {
    .name = "team", .type = CFG_GROUP, .is_required = true};

static void test_cfg_read_group_absent(void **state)
{
    struct fixture *f = *state;
    struct team_row r = {.p = -1};
    const config_setting_t *g = (const config_setting_t *)&r;

    load(&f->c, "other = 1;\n");
    assert_true(cfg_read_group(&f->c, cfg_root(&f->c), &optional_team, &row_table, &r, &g));
    assert_null(g);
    assert_true(r.p == -1); /* nothing read */
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_false(cfg_read_group(&f->c, cfg_root(&f->c), &required_team, &row_table, &r, &g));
    assert_null(g);
    EXPECT(&f->c, "t.cfg:1: team: missing required key (group { ... })");
}

static void test_cfg_read_group_present(void **state)
{
    struct fixture *f = *state;
    struct team_row r = {0};
    const config_setting_t *g = NULL;

    load(&f->c, "team = {\n  mean = 1.5;\n  caseload_limit = 300;\n  name = \"n\";\n};\n");
    assert_false(cfg_read_group(&f->c, cfg_root(&f->c), &optional_team, &row_table, &r, &g));
    assert_ptr_equal(g, member(&f->c, "team"));
    assert_true(r.mean == 1.5 && r.p == 0.25);
    EXPECT(&f->c, "t.cfg:3: team.caseload_limit: 300 is out of range (integer 1..200)");
    free(r.name);
}

static void test_cfg_read_group_not_a_group(void **state)
{
    struct fixture *f = *state;
    struct team_row r = {0};
    const config_setting_t *g = NULL;

    load(&f->c, "x = 1;\nteam = 4;\n");
    assert_false(cfg_read_group(&f->c, cfg_root(&f->c), &optional_team, &row_table, &r, &g));
    assert_null(g);
    EXPECT(&f->c, "t.cfg:2: team: an integer where a group belongs (group { ... })");
}

static void test_cfg_elem_group_names_what_belongs(void **state)
{
    struct fixture *f = *state;

    load(&f->c, "steps = ( { from = 1.0; }, 2 );\n");
    const config_setting_t *l = member(&f->c, "steps");
    assert_non_null(cfg_elem_group(&f->c, l, 0, "a step (a group)"));
    assert_null(cfg_elem_group(&f->c, l, 1, "a step (a group)"));
    EXPECT(&f->c, "t.cfg:1: steps[1]: not a step (a group)");
}

/* ---- every problem at once ---- */

/* A caller reads on after each problem, and the user sees all of them, in the order found. */
static void test_cfg_collects_every_problem(void **state)
{
    struct fixture *f = *state;
    const char *text = "team = {\n"
                       "  mean = -1.0;\n"
                       "  caseload_limit = 12.5;\n"
                       "  discipline = \"lifo\";\n"
                       "  shfit = 3;\n"
                       "  p = 0.3;\n"
                       "};\n";
    double mean, p = 0;
    long long limit;
    int disc;
    const char *name;
    bool ok = true;

    load(&f->c, text);
    const config_setting_t *g = member(&f->c, "team");
    ok &= cfg_check_keys(&f->c, g, &table);
    ok &= cfg_get_real(&f->c, g, &keys[K_MEAN], &mean);
    ok &= cfg_get_int(&f->c, g, &keys[K_LIMIT], &limit);
    ok &= cfg_get_choice(&f->c, g, &keys[K_DISCIPLINE], &disc);
    ok &= cfg_get_string(&f->c, g, &keys[K_NAME], &name);
    ok &= cfg_get_real(&f->c, g, &keys[K_P], &p);
    assert_false(ok);
    assert_true(p == 0.3); /* good values are still read */
    EXPECT(&f->c,
           "t.cfg:5: team.shfit: unknown key, did you mean 'shift'? (allowed here: " ALLOWED ")",
           "t.cfg:2: team.mean: -1 is out of range (real > 0 days)",
           "t.cfg:3: team.caseload_limit: 12.5 is not a whole number (integer 1..200)",
           "t.cfg:4: team.discipline: \"lifo\" is not a known value (one of \"fifo\", "
           "\"priority\")",
           "t.cfg:1: team.name: missing required key (string)");
}

/* Beyond DIAG_MAX problems the rest are counted, and the printout says how many. */
static void test_cfg_problems_beyond_the_cap_are_counted(void **state)
{
    struct fixture *f = *state;
    char text[8192];
    size_t len = 0;
    const int n = DIAG_MAX + 7;

    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "g%d = { mean = -%d; };\n", i, i);
    }
    load(&f->c, text);
    for (int i = 0; i < n; i++) {
        char name[16];
        double v;
        snprintf(name, sizeof name, "g%d", i);
        assert_false(cfg_get_real(&f->c, member(&f->c, name), &keys[K_MEAN], &v));
    }
    assert_int_equal(cfg_n_problems(&f->c), n);
    assert_int_equal(f->c.diag.n, DIAG_MAX);
    assert_string_equal(f->c.diag.msgs[DIAG_MAX - 1],
                        "t.cfg:50: g49.mean: -49 is out of range (real > 0 days)");

    char *out = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&out, &size);
    assert_non_null(fp);
    diag_print(&f->c.diag, fp);
    fclose(fp);
    const char *last = "... and 7 more problems\n";
    assert_true(size > strlen(last));
    assert_string_equal(out + size - strlen(last), last);
    free(out);
}

/* ---- parse errors ---- */

static void test_cfg_syntax_errors_give_line_and_hint(void **state)
{
    struct fixture *f = *state;

    assert_false(cfg_load_string(&f->c, "bad.cfg", "a = 1;\nb = ;\nc = 3;\n"));
    EXPECT(&f->c, "bad.cfg:2: syntax error in 'b = ;' (check this line and the end of the one "
                  "before it for a missing ';', quote or bracket)");
}

static void test_cfg_other_parse_errors_keep_libconfig_text(void **state)
{
    struct fixture *f = *state;

    assert_false(cfg_load_string(&f->c, "mixed.cfg", "ok = 1;\nxs = [1, 2.5];\n"));
    EXPECT(&f->c, "mixed.cfg:2: an array [ ... ] mixes types (its elements are all integers, all "
                  "reals, all strings or all booleans: write reals with a decimal point, 2.0, or "
                  "use a list ( ... ))");
}

/* A required key read from an absent (NULL) group is reported at the file, not a crash. */
static void test_cfg_required_key_of_absent_group(void **state)
{
    struct fixture *f = *state;
    double v;

    load(&f->c, "x = 1;\n");
    assert_false(cfg_get_real(&f->c, NULL, &keys[K_MEAN], &v));
    assert_int_equal(cfg_n_problems(&f->c), 1);
    assert_non_null(strstr(f->c.diag.msgs[0], "mean: missing required key"));
}

/* ---- issue 10: inputs at the edges ---- */

static const struct cfg_key seed_key = {
    .name = "seed", .type = CFG_INT, .lo = 0, .hi = 9223372036854775807.0, .def = 1};
static const struct cfg_key big_key = {
    .name = "n", .type = CFG_INT, .lo = 1, .hi = HUGE_VAL, .def = 1};
static const struct cfg_key plaus_key = {.name = "stay",
                                         .type = CFG_REAL,
                                         .lo = 0.0,
                                         .hi = HUGE_VAL,
                                         .def = 30.0,
                                         .unit = "days",
                                         .plausible_lo = 1.0,
                                         .plausible_hi = 365.0};

/* Item 10: libconfig 1.5 reads 4294967306 as 10; the loader keeps the true value. */
static void test_cfg_integers_beyond_32_bits_keep_their_value(void **state)
{
    struct fixture *f = *state;
    long long v = 0;

    load(&f->c, "n = 4294967306;\nm = -2147483649;\nxs = [1, 2, 4294967296];\n");
    assert_true(cfg_get_int(&f->c, cfg_root(&f->c), &big_key, &v));
    assert_true(v == 4294967306LL);
    const config_setting_t *m = member(&f->c, "m");
    assert_true(config_setting_get_int64(m) == -2147483649LL);
    const config_setting_t *xs = member(&f->c, "xs");
    assert_true(config_setting_get_int64(config_setting_get_elem(xs, 0)) == 1);
    assert_true(config_setting_get_int64(config_setting_get_elem(xs, 2)) == 4294967296LL);
}

/* Item 10: the seed's documented range is exact at both ends of the 64-bit range. */
static void test_cfg_integer_range_is_exact_at_int64_max(void **state)
{
    struct fixture *f = *state;
    long long v = 0;
    char allowed[256];

    load(&f->c, "seed = 9223372036854775807;\n");
    assert_true(cfg_get_int(&f->c, cfg_root(&f->c), &seed_key, &v));
    assert_true(v == LLONG_MAX);
    cfg_allowed(&seed_key, allowed, sizeof allowed);
    assert_string_equal(allowed, "integer 0..9223372036854775807");

    struct cfg c2;
    cfg_init(&c2);
    assert_true(cfg_load_string(&c2, "t.cfg", "seed = 9223372036854775808;\n"));
    assert_false(cfg_get_int(&c2, cfg_root(&c2), &seed_key, &v));
    EXPECT(&c2, "t.cfg:1: seed: 9223372036854775808 is out of range (integer "
                "0..9223372036854775807)");
    cfg_fini(&c2);
}

/* Item 10: an --set (and -s, passed as seed=N) keeps 64 bits too. */
static void test_cfg_set_integer_beyond_32_bits(void **state)
{
    struct fixture *f = *state;
    long long v = 0;

    load(&f->c, "seed = 1;\n");
    assert_true(cfg_set_as(&f->c, "seed=4294967297", "-s 4294967297"));
    assert_true(cfg_get_int(&f->c, cfg_root(&f->c), &seed_key, &v));
    assert_true(v == 4294967297LL);
    assert_true(cfg_set(&f->c, "n=99999999999999999999"));
    assert_false(cfg_get_int(&f->c, cfg_root(&f->c), &big_key, &v));
    EXPECT(&f->c, "--set n=99999999999999999999: n: 100000000000000000000 is out of range "
                  "(integer >= 1)");
}

/* Item 11: one value per override; trailing text is refused, not dropped. */
static void test_cfg_set_refuses_trailing_settings(void **state)
{
    struct fixture *f = *state;

    load(&f->c, "hospital = { beds = 18; };\nseed = 1;\n");
    assert_false(cfg_set(&f->c, "hospital.beds=10;seed=5"));
    EXPECT(&f->c, "--set hospital.beds=10;seed=5: the value '10;seed=5' is more than one value "
                  "(one value per override: a number, \"text\", a bare word, true or false, "
                  "[list], or { group }; give each KEY=VALUE separately)");
    assert_int_equal(config_setting_get_int(member(&f->c, "seed")), 1);
}

/* Item 8: a NUL byte is refused where it is, so nothing after it (an @include) is followed. */
static void test_cfg_nul_byte_is_refused(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "a = 1;\n# \0\n@include \"tests/fuzz/include/nowhere\"\n";

    assert_false(cfg_load_text(&f->c, "nul.cfg", text, sizeof text - 1));
    EXPECT(&f->c, "nul.cfg:2: a NUL byte (scenario files are text)");
}

/* Item 8: an @include of a FIFO is refused (on the file opened, through "link/.."), without
 * blocking; so are a FIFO as the scenario itself and as a base. */
static void test_cfg_include_of_fifo_is_refused(void **state)
{
    struct fixture *f = *state;
    char dir[] = "/tmp/ccsim-test-cfg-XXXXXX", path[512], text[1024];

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/real", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/real/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/real/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    snprintf(path, sizeof path, "%s/fifo", dir); /* what "sub/.." names lexically: harmless */
    FILE *w = fopen(path, "w");
    assert_non_null(w);
    fputs("x = 1;\n", w);
    fclose(w);
    char link[512];
    snprintf(path, sizeof path, "%s/real/sub", dir);
    snprintf(link, sizeof link, "%s/sub", dir);
    assert_int_equal(symlink(path, link), 0);

    snprintf(text, sizeof text, "a = 1;\n@include \"%s/sub/../fifo\"\n", dir);
    assert_false(cfg_load_string(&f->c, "inc.cfg", text));
    assert_int_equal(cfg_n_problems(&f->c), 1);
    assert_non_null(strstr(f->c.diag.msgs[0], "a FIFO, not a regular file"));

    struct cfg c2;
    cfg_init(&c2);
    snprintf(path, sizeof path, "%s/real/fifo", dir);
    assert_false(cfg_load_file(&c2, path));
    assert_non_null(strstr(c2.diag.msgs[0], "cannot read the scenario: a FIFO, not a regular"));
    cfg_fini(&c2);

    cfg_init(&c2);
    snprintf(path, sizeof path, "%s/b.cfg", dir);
    w = fopen(path, "w");
    assert_non_null(w);
    fputs("base = \"real/fifo\";\n", w);
    fclose(w);
    assert_false(cfg_load_file(&c2, path));
    assert_non_null(strstr(c2.diag.msgs[0], "base: cannot read"));
    assert_non_null(strstr(c2.diag.msgs[0], "a FIFO, not a regular file"));
    cfg_fini(&c2);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Item 9: an oversized string or text is refused before libconfig parses it. */
static void test_cfg_oversized_string_and_text_are_refused(void **state)
{
    struct fixture *f = *state;
    size_t n = (size_t)CFG_MAX_STRING + 1;
    char *text = malloc(n + 64);

    assert_non_null(text);
    snprintf(text, 64, "a = 1;\nname = \"");
    size_t len = strlen(text);
    memset(text + len, 'x', n);
    snprintf(text + len + n, 64, "\";\n");
    assert_false(cfg_load_string(&f->c, "s.cfg", text));
    EXPECT(&f->c, "s.cfg:2: name: a string of more than 65536 bytes (a string holds at most "
                  "65536 bytes, 64 KiB)");
    free(text);

    struct cfg c2;
    cfg_init(&c2);
    size_t big = (size_t)CFG_MAX_FILE_SIZE + 1;
    text = malloc(big + 1);
    assert_non_null(text);
    memset(text, ' ', big);
    text[big] = '\0';
    assert_false(cfg_load_string(&c2, "big.cfg", text));
    EXPECT(&c2, "big.cfg: 1048577 bytes, more than a scenario may hold (1048576 bytes, 1 MiB)");
    cfg_fini(&c2);
    free(text);
}

/* Item 9: --set values get the same string limit. */
static void test_cfg_set_oversized_string_is_refused(void **state)
{
    struct fixture *f = *state;
    size_t n = (size_t)CFG_MAX_STRING + 1;
    char *a = malloc(n + 16);

    assert_non_null(a);
    memcpy(a, "name=", 5);
    memset(a + 5, 'x', n);
    a[5 + n] = '\0';
    load(&f->c, "name = \"x\";\n");
    assert_false(cfg_set_as(&f->c, a, "--set name=..."));
    EXPECT(&f->c, "--set name=...: a string of more than 65536 bytes (a string holds at most "
                  "65536 bytes, 64 KiB)");
    free(a);
}

/* Item 9: a text at the size limit, of the kinds libconfig is slowest on, parses quickly. */
static void test_cfg_text_at_the_limit_parses_quickly(void **state)
{
    (void)state;
    size_t cap = (size_t)CFG_MAX_FILE_SIZE;
    char *text = malloc(cap + 1);
    assert_non_null(text);
    /* Groups of CFG_MAX_GROUP_KEYS keys each (libconfig checks each new key against its
     * group's), 100 to an outer group, up to the size limit. */
    size_t len = 0;
    for (int g = 0; len + 20 * CFG_MAX_GROUP_KEYS + 64 < cap; g++) {
        if (g % 100 == 0) {
            len += (size_t)snprintf(text + len, cap - len, "%so%d = {\n", g ? "};\n" : "", g);
        }
        len += (size_t)snprintf(text + len, cap - len, "g%d = {\n", g);
        for (int k = 0; k < CFG_MAX_GROUP_KEYS; k++) {
            len += (size_t)snprintf(text + len, cap - len, "k%d = %d;\n", k, k);
        }
        len += (size_t)snprintf(text + len, cap - len, "};\n");
    }
    len += (size_t)snprintf(text + len, cap + 1 - len, "};");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct cfg c;
    cfg_init(&c);
    bool ok = cfg_load_string(&c, "limit.cfg", text);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!ok) {
        diag_print(&c.diag, stderr);
    }
    assert_true(ok);
    cfg_fini(&c);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    printf("# %zu bytes parsed in %.3f s\n", len, secs);
    /* About 0.2 s at -O2 (libconfig itself takes most); the bound leaves room for the
     * sanitizer build, and a regression to quadratic time takes a minute. */
    assert_true(secs < 3.0);
    free(text);
}

/* Item 9: more keys in one group than any scenario has are refused before libconfig, whose
 * time grows with the square of a group's keys. */
static void test_cfg_group_with_too_many_keys_is_refused(void **state)
{
    struct fixture *f = *state;
    char *text = malloc(20 * (CFG_MAX_GROUP_KEYS + 2));
    size_t len = 0;

    assert_non_null(text);
    for (int k = 0; k <= CFG_MAX_GROUP_KEYS; k++) {
        len += (size_t)sprintf(text + len, "k%d = 1;\n", k);
    }
    assert_false(cfg_load_string(&f->c, "keys.cfg", text));
    EXPECT(&f->c, "keys.cfg:129: the top level holds more than 128 keys (a group holds at most "
                  "128; no scenario needs more)");
    free(text);
}

/* Item 18: a duplicate key is reported with its path and the first place it was set. */
static void test_cfg_duplicate_key_names_the_key(void **state)
{
    struct fixture *f = *state;

    assert_false(cfg_load_string(&f->c, "dup.cfg",
                                 "hospital = {\n  beds = 18;\n  los = 3.0;\n  beds = 20;\n};\n"));
    EXPECT(&f->c, "dup.cfg:4: hospital.beds: set twice in the same group (first at dup.cfg:2; "
                  "each key once; to override a base file's value use base = or set = )");
}

/* Item 18: nesting deeper than any scenario is refused with the limit, not "memory
 * exhausted". */
static void test_cfg_deep_nesting_is_refused(void **state)
{
    struct fixture *f = *state;
    char text[4096];
    size_t len = (size_t)sprintf(text, "a = ");

    for (int i = 0; i < 200; i++) {
        text[len++] = '(';
    }
    text[len] = '\0';
    assert_false(cfg_load_string(&f->c, "deep.cfg", text));
    assert_int_equal(cfg_n_problems(&f->c), 1);
    assert_non_null(strstr(f->c.diag.msgs[0], "nest too deep (at most 64 levels)"));
}

/* Item 14: a value outside its plausible range warns, at its line, without a problem; a
 * default never warns. */
static void test_cfg_implausible_value_warns(void **state)
{
    struct fixture *f = *state;
    double v;
    char *text = NULL;
    size_t len = 0;

    load(&f->c, "a = 1;\nstay = 720.0;\n");
    assert_true(cfg_get_real(&f->c, cfg_root(&f->c), &plaus_key, &v));
    assert_int_equal(cfg_n_problems(&f->c), 0);
    assert_int_equal(cfg_n_warnings(&f->c), 1);
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(cfg_print_warnings(&f->c, out), 0);
    fclose(out);
    assert_string_equal(text, "t.cfg:2: stay: warning: 720 days is above the plausible range "
                              "1..365 days (a value in other units, hours or weeks where days "
                              "belong?)\n");
    free(text);

    struct cfg c2;
    cfg_init(&c2);
    assert_true(cfg_load_string(&c2, "d.cfg", "a = 1;\n"));
    assert_true(cfg_get_real(&c2, cfg_root(&c2), &plaus_key, &v));
    assert_int_equal(cfg_n_warnings(&c2), 0);
    cfg_fini(&c2);
}

/* Item 14: warnings print in file order, whatever order the values were read in. */
static void test_cfg_warnings_print_in_file_order(void **state)
{
    struct fixture *f = *state;
    char *text = NULL;
    size_t len = 0;

    load(&f->c, "a = 1;\nb = 2;\nc = 3;\n");
    cfg_warn(&f->c, member(&f->c, "c"), "third");
    cfg_warn(&f->c, member(&f->c, "a"), "first");
    cfg_warn_key(&f->c, cfg_root(&f->c), "zz", "at the top");
    cfg_warn(&f->c, member(&f->c, "b"), "second");
    cfg_warn(&f->c, member(&f->c, "b"), "second");
    assert_int_equal(cfg_n_warnings(&f->c), 4);
    assert_int_equal(cfg_n_problems(&f->c), 0);
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(cfg_print_warnings(&f->c, out), 0);
    fclose(out);
    assert_string_equal(text, "t.cfg:1: a: warning: first\n"
                              "t.cfg:1: zz: warning: at the top\n"
                              "t.cfg:2: b: warning: second\n"
                              "t.cfg:3: c: warning: third\n");
    free(text);
}

/* Problems print in file order too, whatever order the checks found them in; those without a
 * line (a command-line option) after them, as found. */
static void test_cfg_problems_print_in_file_order(void **state)
{
    struct fixture *f = *state;
    char *text = NULL;
    size_t len = 0;

    load(&f->c, "a = 1;\nb = 2;\nc = 3;\n");
    cfg_error(&f->c, member(&f->c, "c"), "third");
    diag_add(&f->c.diag, "--set c=4", 0, "c", "an option");
    cfg_error(&f->c, member(&f->c, "a"), "first");
    diag_add(&f->c.diag, "other.cfg", 1, "x", "another file");
    cfg_error_key(&f->c, cfg_root(&f->c), "zz", "at the top");
    cfg_error(&f->c, member(&f->c, "b"), "second");
    assert_int_equal(cfg_n_problems(&f->c), 6);
    assert_string_equal(f->c.diag.msgs[0], "t.cfg:3: c: third"); /* kept as found */
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    diag_print(&f->c.diag, out);
    fclose(out);
    assert_string_equal(text, "t.cfg:1: a: first\n"
                              "t.cfg:1: zz: at the top\n"
                              "t.cfg:2: b: second\n"
                              "t.cfg:3: c: third\n"
                              "other.cfg:1: x: another file\n"
                              "--set c=4: c: an option\n");
    free(text);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup_cfg, teardown_cfg)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_cfg_reads_every_type),
        T(test_cfg_integer_accepted_where_real_expected),
        T(test_cfg_absent_optional_keys_take_defaults),
        T(test_cfg_closed_bounds_include_their_ends),
        T(test_cfg_values_outside_range_are_refused_with_allowed_range),
        T(test_cfg_open_bounds_accept_values_just_inside),
        cmocka_unit_test(test_cfg_allowed_describes_each_kind_of_range),
        T(test_cfg_wrong_types_are_named),
        T(test_cfg_real_with_zero_fraction_refused_for_integer),
        T(test_cfg_choices),
        T(test_cfg_missing_required_key_reported_at_group_line),
        T(test_cfg_path_names_nested_settings),
        T(test_cfg_unknown_keys_suggest_the_nearest_declared_key),
        T(test_cfg_check_keys_accepts_declared_keys),
        cmocka_unit_test(test_cfg_edit_distance),
        T(test_cfg_collects_every_problem),
        T(test_cfg_read_fills_every_target_kind),
        T(test_cfg_read_absent_keys_take_defaults),
        T(test_cfg_read_reports_every_problem_and_reads_on),
        T(test_cfg_read_targets_leaves_unknown_keys_to_the_caller),
        T(test_cfg_read_group_absent),
        T(test_cfg_read_group_present),
        T(test_cfg_read_group_not_a_group),
        T(test_cfg_elem_group_names_what_belongs),
        T(test_cfg_problems_beyond_the_cap_are_counted),
        T(test_cfg_syntax_errors_give_line_and_hint),
        T(test_cfg_other_parse_errors_keep_libconfig_text),
        T(test_cfg_required_key_of_absent_group),
        T(test_cfg_integers_beyond_32_bits_keep_their_value),
        T(test_cfg_integer_range_is_exact_at_int64_max),
        T(test_cfg_set_integer_beyond_32_bits),
        T(test_cfg_set_refuses_trailing_settings),
        T(test_cfg_nul_byte_is_refused),
        T(test_cfg_include_of_fifo_is_refused),
        T(test_cfg_oversized_string_and_text_are_refused),
        T(test_cfg_set_oversized_string_is_refused),
        T(test_cfg_text_at_the_limit_parses_quickly),
        T(test_cfg_group_with_too_many_keys_is_refused),
        T(test_cfg_duplicate_key_names_the_key),
        T(test_cfg_deep_nesting_is_refused),
        T(test_cfg_implausible_value_warns),
        T(test_cfg_warnings_print_in_file_order),
        T(test_cfg_problems_print_in_file_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
