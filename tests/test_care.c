/*
 * The care-coordination model: conservation, reproducibility and mechanisms.
 *
 * Every mechanism test runs the baseline region twice with one change, on the same clients and
 * random numbers (common random numbers: same seed, client-keyed substreams), and asserts the
 * direction of the effect with a paired 99% confidence interval over the replications that
 * excludes zero. The runs are 10 years, 5 of them warm-up (the baseline's own length until it
 * took 20 years of warm-up): the pathway fills in that time, though its client population does
 * not settle, which paired comparisons do not need.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/ci.h"
#include "models/care_int.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/sim.h"
#include "support.h"

#define BASELINE "tests/fixtures/care/region_30y.cfg"
#define REPS     8

/* Loads the baseline over 6 years, 3 of them warm-up, with the overrides (NULL-terminated)
 * and runs REPS replications. */
static void run_with(struct support_run *r, const char *const *sets)
{
    static const char *const six_years[] = {"horizon=2191", "warmup=1096", NULL};
    const char *all[16];

    support_run_load(r, BASELINE, support_sets_join(all, 16, six_years, sets), REPS, 11);
}

/* The runs several tests share, made once: a run is a function of its scenario, seed and
 * replications alone (test_reproducible checks it on a fresh run), so sharing changes no
 * result. shared[0] is the baseline; shared[1] and shared[2] the five-year runs with 30 and 50
 * posts, triage and discharge as the baseline's (run_five_years(r, posts, 0, 1)). */
static struct support_run shared[3];
static bool shared_done[3];

static const struct support_run *baseline(void)
{
    if (!shared_done[0]) {
        run_with(&shared[0], NULL);
        shared_done[0] = true;
    }
    return &shared[0];
}

static int free_shared(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        if (shared_done[i]) {
            support_run_fini(&shared[i]);
            shared_done[i] = false;
        }
    }
    return 0;
}

static double mean(const struct support_run *r, const char *name)
{
    double s = 0;
    for (long i = 0; i < REPS; i++) {
        s += support_value(r, i, name);
    }
    return s / REPS;
}

/* Asserts that b - a is positive (sign +1) or negative (-1) with 99% confidence, paired. */
static void assert_paired(const struct support_run *a, const struct support_run *b,
                          const char *name, int sign)
{
    double d[REPS], m, half;
    for (long i = 0; i < REPS; i++) {
        d[i] = support_value(b, i, name) - support_value(a, i, name);
    }
    support_paired_t(d, REPS, 0.005, &m, &half);
    printf("  %-40s %12.4g -> %12.4g  diff %10.4g +- %.3g\n", name, mean(a, name), mean(b, name), m,
           half);
    if (sign > 0) {
        assert_true(m - half > 0);
    } else {
        assert_true(m + half < 0);
    }
}

/* Loads the baseline with the overrides (NULL-terminated) without running it; returns the
 * scenario, NULL when it does not load (support_load() would fail the test). */
static struct scenario *load_with(struct cfg *c, const char *const *sets)
{
    cfg_init(c);
    assert_true(cfg_load_file(c, BASELINE));
    for (int i = 0; sets && sets[i]; i++) {
        assert_true(cfg_set(c, sets[i]));
    }
    return scenario_load(c);
}

/* The warnings of c, one a line. Freed by the caller. */
static char *warnings_of(const struct cfg *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    assert_non_null(out);
    assert_int_equal(cfg_print_warnings(c, out), 0);
    fclose(out);
    return text;
}

/* Issue 10 item 14: the shipped baseline draws no warning. */
static void test_baseline_has_no_warnings(void **state)
{
    struct cfg c;
    (void)state;

    struct scenario *sc = support_load(&c, BASELINE, NULL);
    assert_int_equal(cfg_n_warnings(&c), 0);
    scenario_destroy(sc);
    cfg_fini(&c);
}

/* Issue 10 item 14: planner mistakes each warn, naming the key and the consequence, and the
 * scenario stays valid. (File order: tests/cli/warnings.sh and test_cfg.) */
static void test_planner_mistakes_warn(void **state)
{
    static const char *const sets[] = {"horizon=87660.0",
                                       "referrals.population=50000000.0",
                                       "referrals.steps=({ from = 100.0; factor = 0.0; })",
                                       "assessment.assessors=0",
                                       "coordination.models[0].vacancy_rate=1.0",
                                       "services[2].places=0",
                                       "services[3].closures=({ from = 0.0; to = 90000.0; })",
                                       "hospital.length_of_stay.mean=960.0",
                                       "coordination.models[0].episode_days=13000.0",
                                       NULL};
    static const char *const expected[] = {
        "horizon: warning: 87660 days is above the plausible range 28..36525 days",
        "referrals.population: warning: 50000000 adults is above the plausible range",
        "referrals.steps[0].factor: warning: factor 0 from day 100: no client is referred",
        "assessment.assessors: warning: no assessor post is filled (0 posts",
        "coordination.models[0].vacancy_rate: warning: every post is vacant",
        "services[2].places: warning: service \"housing\" has 0 places but 1 need is linked to "
        "it",
        "services[3].closures[0].to: warning: service \"employment\" is closed from day 0 to "
        "90000, the whole horizon",
        "hospital.length_of_stay.mean: warning: a mean length of stay of 960 days is above",
        "coordination.models[0].episode_days: warning: 13000 days is above the plausible range",
    };
    struct cfg c;
    (void)state;

    struct scenario *sc = support_load(&c, BASELINE, sets);
    assert_int_equal(cfg_n_problems(&c), 0);
    char *text = warnings_of(&c);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        if (!strstr(text, expected[i])) {
            fail_msg("warning %zu not found: %s\n---\n%s", i, expected[i], text);
        }
    }
    assert_int_equal(cfg_n_warnings(&c), (int)(sizeof expected / sizeof expected[0]));
    free(text);
    scenario_destroy(sc);
    cfg_fini(&c);
}

/* Issue 10 item 17: weekly_profile, steps or sources of the wrong type are reported (valgrind
 * found an uninitialised read there). */
static void test_referral_lists_of_wrong_type_are_reported(void **state)
{
    static const char *const keys[] = {"weekly_profile", "steps", "sources"};
    (void)state;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char set[128], want[128];
        const char *const sets[] = {set, NULL};
        struct cfg c;
        snprintf(set, sizeof set, "referrals.%s=5", keys[i]);
        snprintf(want, sizeof want, "referrals.%s: an integer where a list belongs", keys[i]);
        assert_null(load_with(&c, sets));
        assert_int_equal(cfg_n_problems(&c), 1);
        if (!strstr(c.diag.msgs[0], want)) {
            fail_msg("expected '%s' in '%s'", want, c.diag.msgs[0]);
        }
        cfg_fini(&c);
    }
}

/* Every metric and series describes itself: non-empty unique name, a unit and a label. */
static void assert_descriptors(const struct scenario *sc)
{
    for (int i = 0; i < sc->n_metrics; i++) {
        const struct metric_desc *d = scenario_metric(sc, i);
        assert_non_null(d);
        assert_true(d->name && d->name[0] && d->unit && d->unit[0] && d->label && d->label[0]);
        assert_true(d->better >= METRIC_LOWER_BETTER && d->better <= METRIC_HIGHER_BETTER);
        assert_string_equal(scenario_metric_name(sc, i), d->name);
        for (int j = 0; j < i; j++) {
            if (strcmp(scenario_metric(sc, j)->name, d->name) == 0) {
                fail_msg("metric %s appears twice", d->name);
            }
        }
    }
    for (int i = 0; i < sc->n_series; i++) {
        const struct metric_desc *d = scenario_series(sc, i);
        assert_true(d->name && d->name[0] && d->unit && d->unit[0] && d->label && d->label[0]);
    }
}

static void test_metrics_describe_themselves(void **state)
{
    (void)state;
    struct cfg c, q;
    struct scenario *sc = support_load(&c, BASELINE, NULL);
    struct scenario *mm1 = support_load(&q, "scenarios/verify/mm1.cfg", NULL);

    assert_descriptors(sc);
    assert_descriptors(mm1);
    /* The headline outcomes docs/model.md (section 1.2) names, and no other. */
    static const char *const headline[] = {
        "crises",         "ed_visits", "admissions", "bed_days", "wait_coordination_days",
        "unmet_need_days"};
    int n_headline = 0;
    for (int i = 0; i < sc->n_metrics; i++) {
        bool listed = false;
        for (size_t k = 0; k < sizeof headline / sizeof headline[0]; k++) {
            listed |= strcmp(scenario_metric_name(sc, i), headline[k]) == 0;
        }
        assert_int_equal(scenario_is_headline(sc, i), listed);
        n_headline += listed;
    }
    assert_int_equal(n_headline, 6);
    for (int i = 0; i < mm1->n_metrics; i++) {
        assert_true(scenario_is_headline(mm1, i)); /* every network metric, as before */
    }
    const struct metric_desc *crises = NULL;
    for (int i = 0; i < sc->n_metrics; i++) {
        if (strcmp(scenario_metric_name(sc, i), "crises") == 0) {
            crises = scenario_metric(sc, i);
        }
    }
    assert_non_null(crises);
    assert_string_equal(crises->unit, "per 100 client-years");
    assert_int_equal(crises->better, METRIC_LOWER_BETTER);
    scenario_destroy(mm1);
    cfg_fini(&q);
    scenario_destroy(sc);
    cfg_fini(&c);
}

static void boom(struct sim *sim, void *obj, uint64_t arg)
{
    (void)obj;
    SIM_ASSERT(arg == 0, "test: the precondition fails (arg %llu)", (unsigned long long)arg);
    (void)sim;
}

/* A failed assertion inside an event reports the replication, the simulated time and the event
 * (the kernel's per-thread failure context). Run in a child, which aborts. */
static void test_assert_report_names_replication_time_event(void **state)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        struct sim sim;
        sim_init(&sim, 3);
        sim.time_unit = "day";
        sim_name_event(&sim, boom, "boom");
        sim_schedule_at(&sim, 1234.5, boom, NULL, 7);
        sim_run(&sim, 2000.0);
        _exit(0);
    }
    close(fd[1]);
    char buf[1024] = {0};
    size_t n = 0;
    ssize_t k;
    while (n + 1 < sizeof buf && (k = read(fd[0], buf + n, sizeof buf - 1 - n)) > 0) {
        n += (size_t)k;
    }
    close(fd[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    printf("  %s", buf);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    assert_non_null(strstr(buf, "test: the precondition fails (arg 7)"));
    assert_non_null(strstr(buf, "(replication 3, day 1234.5, event boom)"));
}

/* Every replication ends with the audit passing (a failure would fail experiment_run). */
static void test_baseline_runs_and_audits(void **state)
{
    (void)state;
    const struct support_run *r = baseline();
    assert_true(mean(r, "caseload") > 100);
    assert_true(mean(r, "crises") > 0);
    /* Sanity of the outcome scales. */
    assert_inside(mean(r, "bed_occupancy"), 0.0, 1.0);
    assert_inside(mean(r, "missed_contacts_pct"), 0.0, 100.0);
    assert_inside(mean(r, "followup_7d_pct"), 0.0, 100.0);
    /* Each value sits next to its name: identities between metrics computed in different rows
     * hold (the caseload is the sum of the models', a referral goes to a model or is
     * signposted). */
    double caseload = 0, referred = 0;
    for (int i = 0; i < r->sc->n_metrics; i++) {
        const char *name = scenario_metric_name(r->sc, i);
        const char *dot = strchr(name, '.');
        if (dot && strcmp(dot, ".caseload") == 0) {
            caseload += mean(r, name);
        } else if (dot && strcmp(dot, ".referrals_pct") == 0) {
            referred += mean(r, name);
        }
    }
    assert_close(mean(r, "caseload"), caseload, 1e-9, 1e-9);
    assert_close(referred + mean(r, "signposted_pct"), 100.0, 1e-9, 1e-9);
}

/* The audit catches a client that a bug moved behind the counters' back. */
static void test_audit_catches_a_lost_client(void **state)
{
    (void)state;
    struct cfg c;
    const char *const short_run[] = {"horizon=400.0", "warmup=100.0", NULL};
    struct scenario *sc = support_load(&c, BASELINE, short_run);
    ((struct care_params *)sc->params)->fault_lose_client = true;
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    struct model_run out = {.metrics = metrics};
    assert_int_not_equal(scenario_run(sc, 1, 0, &out), 0);
    printf("  %s\n", out.err);
    assert_non_null(strstr(out.err, "conservation audit"));
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
}

/* Same scenario, seed and replication: identical metrics; and the first replications do not
 * depend on how many were run. */
static void test_reproducible(void **state)
{
    (void)state;
    const struct support_run *a = baseline();
    struct support_run b;
    run_with(&b, NULL);
    assert_memory_equal(a->res.metrics, b.res.metrics,
                        sizeof(double) * (size_t)REPS * (size_t)a->sc->n_metrics);
    support_run_fini(&b);
}

static void test_more_coordinators_shorten_the_wait(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const fewer[] = {"coordination.models[0].posts=34", NULL};
    const char *const more[] = {"coordination.models[0].posts=42", NULL};
    run_with(&a, fewer);
    run_with(&b, more);
    assert_paired(&a, &b, "wait_coordination_days", -1);
    assert_paired(&a, &b, "waiting_coordination", -1);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* The same clients coordinated (slots to spare in both), each coordinator holding 15 or 60:
 * at 60 the weekly hours cannot give the target contact rate. */
static void test_lower_caseload_more_contacts_fewer_crises(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const high[] = {"coordination.models[0].caseload_limit=60",
                                "coordination.models[0].posts=25", NULL};
    const char *const low[] = {"coordination.models[0].caseload_limit=15",
                               "coordination.models[0].posts=100", NULL};
    run_with(&a, high);
    run_with(&b, low);
    assert_paired(&a, &b, "standard.contacts_per_client_week", +1);
    assert_paired(&a, &b, "standard.crises", -1);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* The same 20 posts working to a moderate (30) or a very high (80) caseload limit: at 80 they
 * coordinate more clients, but each gets fewer attended contacts, each contact achieves less
 * (less coordinator time per client) and needs, linked one per attended contact, are met more
 * slowly. */
static void test_high_caseload_fewer_contacts_slower_linkage(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const moderate[] = {"coordination.models[0].posts=20",
                                    "coordination.models[0].caseload_limit=30", NULL};
    const char *const high[] = {"coordination.models[0].posts=20",
                                "coordination.models[0].caseload_limit=80", NULL};
    run_with(&a, moderate);
    run_with(&b, high);
    assert_paired(&a, &b, "caseload", +1);
    assert_paired(&a, &b, "standard.contacts_per_client_week", -1);
    assert_paired(&a, &b, "hours_per_client_week", -1);
    assert_paired(&a, &b, "contact_effect", -1);
    assert_paired(&a, &b, "needs_linked_30d_pct", -1);
    assert_paired(&a, &b, "standard.disengaged", +1);
    support_run_fini(&a);
    support_run_fini(&b);
}

/* More missed appointments (dna 0.2 -> 0.35), nothing else changed: each missed contact may end
 * the engagement (missed_disengage), so more coordinated clients lose contact. */
static void test_missed_contacts_raise_disengagement(void **state)
{
    (void)state;
    const struct support_run *a = baseline();
    struct support_run b;
    const char *const more_missed[] = {"coordination.models[0].dna=0.35", NULL};
    run_with(&b, more_missed);
    assert_paired(a, &b, "missed_contacts_pct", +1);
    assert_paired(a, &b, "standard.disengaged", +1);
    assert_paired(a, &b, "disengaged_at_contact_pct", +1);
    support_run_fini(&b);
}

static void test_fewer_beds_more_boarding_and_out_of_area(void **state)
{
    (void)state;
    struct support_run a, b;
    const char *const beds[] = {"hospital.beds=50", NULL};
    const char *const fewer[] = {"hospital.beds=42", NULL};
    run_with(&a, beds);
    run_with(&b, fewer);
    assert_paired(&a, &b, "ed_boarding_hours", +1);
    assert_paired(&a, &b, "out_of_area_placements", +1);
    assert_paired(&a, &b, "bed_occupancy", +1);
    support_run_fini(&a);
    support_run_fini(&b);
}

static void test_service_closure_raises_unmet_need(void **state)
{
    (void)state;
    const struct support_run *a = baseline();
    struct support_run b;
    /* Housing closed to new clients for the whole observed period. */
    const char *const closed[] = {"services[2].closures=({from=1826.0;to=3652.0;})", NULL};
    run_with(&b, closed);
    assert_paired(a, &b, "unmet_need_days", +1);
    assert_paired(a, &b, "housing.waiting", +1);
    support_run_fini(&b);
}

/* With no crisis-team hours and no team cover, every crisis goes to the ED. */
static void test_no_crisis_team_hours_all_to_ed(void **state)
{
    (void)state;
    struct support_run r;
    const char *const none[] = {"crisis_team.hours={period=7.0;at=[0.0];value=[0];}",
                                "coordination.models[0].crisis_cover=none", NULL};
    run_with(&r, none);
    for (long i = 0; i < REPS; i++) {
        assert_true(support_value(&r, i, "crises") > 0);
        assert_close(support_value(&r, i, "ed_visits"), support_value(&r, i, "crises"), 1e-12, 0);
        assert_close(support_value(&r, i, "crisis_team_contacts"), 0.0, 0, 0);
        assert_close(support_value(&r, i, "team_crisis_responses"), 0.0, 0, 0);
    }
    support_run_fini(&r);
}

/* A 24-hour crisis team takes crises the office-hours one sends to the ED. */
static void test_24h_crisis_team_fewer_ed_visits(void **state)
{
    (void)state;
    struct support_run a;
    const struct support_run *b = baseline();
    const char *const office[] = {
        "crisis_team.hours={period=7.0;at=[0.0,0.375,0.7083,1.0,1.375,1.7083,2.0,2.375,2.7083,"
        "3.0,3.375,3.7083,4.0,4.375,4.7083,5.0];value=[0,1,0,0,1,0,0,1,0,0,1,0,0,1,0,0];}",
        NULL};
    run_with(&a, office);
    assert_paired(&a, b, "ed_visits", -1);
    assert_paired(&a, b, "crisis_team_contacts", +1);
    support_run_fini(&a);
}

/* Common random numbers: on the same runs, the paired interval of a difference is much
 * narrower than the unpaired one. */
static void test_paired_much_narrower_than_unpaired(void **state)
{
    (void)state;
    const struct support_run *a = baseline();
    struct support_run b;
    const char *const fewer[] = {"hospital.beds=45", NULL};
    run_with(&b, fewer);
    const char *names[] = {"crises",
                           "ed_visits",
                           "admissions",
                           "bed_days",
                           "wait_coordination_days",
                           "unmet_need_days",
                           "caseload",
                           "standard.contacts_per_client_week"};
    enum { N = sizeof names / sizeof names[0] };
    double ratio[N];
    for (size_t i = 0; i < N; i++) {
        int ma = support_metric_index(a->sc, names[i]), mb = support_metric_index(b.sc, names[i]);
        size_t sa = (size_t)a->sc->n_metrics, sb = (size_t)b.sc->n_metrics;
        struct ci p, w;
        ci_paired(a->res.metrics + ma, sa, b.res.metrics + mb, sb, REPS, 0.95, &p);
        ci_welch(a->res.metrics + ma, sa, b.res.metrics + mb, sb, REPS, 0.95, &w);
        printf("  %-26s paired +-%-10.4g unpaired +-%-10.4g ratio %.3f\n", names[i],
               (p.hi - p.lo) / 2, (w.hi - w.lo) / 2, (p.hi - p.lo) / (w.hi - w.lo));
        ratio[i] = (p.hi - p.lo) / (w.hi - w.lo);
        assert_true(ratio[i] < 1.0);
    }
    /* Much narrower: the median ratio is below 0.4 (beds move admissions and bed-days
     * themselves, which keeps their ratios higher than the rest; and clients share their
     * unit's hours for linkage and crisis responses and the team's in-house places, so one
     * client's changed path moves others', which loosens the pairing: below a third before the
     * team's own work had a capacity). */
    for (size_t i = 1; i < N; i++) { /* insertion sort */
        for (size_t j = i; j > 0 && ratio[j] < ratio[j - 1]; j--) {
            double t = ratio[j];
            ratio[j] = ratio[j - 1];
            ratio[j - 1] = t;
        }
    }
    double median = (ratio[N / 2 - 1] + ratio[N / 2]) / 2.0;
    printf("  median ratio %.3f\n", median);
    assert_true(median < 0.4);
    support_run_fini(&b);
}

/* The baseline over 5 years (2 of warm-up) with these coordination posts, the most triage may
 * tighten (referrals.tighten_max) and the pressure factor of discharge under pressure. */
static void run_five_years(struct support_run *r, int posts, double tighten_max,
                           double pressure_factor)
{
    char set_posts[64], set_tighten[64], set_pressure[64];
    const char *const sets[] = {set_posts,   "horizon=1826", "warmup=730",
                                set_tighten, set_pressure,   NULL};

    snprintf(set_posts, sizeof set_posts, "coordination.models[0].posts=%d", posts);
    snprintf(set_tighten, sizeof set_tighten, "referrals.tighten_max=%g", tighten_max);
    snprintf(set_pressure, sizeof set_pressure, "coordination.pressure_factor=%g", pressure_factor);
    run_with(r, sets);
}

/* The five-year run with these posts, triage and discharge as the baseline's (shared). */
static const struct support_run *five_years_as_baseline(int posts)
{
    int k = posts == 30 ? 1 : 2;
    assert_true(posts == 30 || posts == 50);
    if (!shared_done[k]) {
        run_five_years(&shared[k], posts, 0, 1);
        shared_done[k] = true;
    }
    return &shared[k];
}

/* Thresholds that tighten (referrals.tighten_*), over 5 years (2 of warm-up): with too few posts
 * the waiting list is long, so triage turns away more referrals and fewer wait; with posts to spare
 * the list never passes tighten_at and the results are the same to the bit (the draw has its own
 * substream). */
static void test_long_waiting_list_tightens_triage(void **state)
{
    (void)state;
    const struct support_run *a = five_years_as_baseline(30);
    struct support_run b;
    run_five_years(&b, 30, 0.8, 1);
    assert_paired(a, &b, "signposted_pct", +1);
    assert_paired(a, &b, "waiting_coordination", -1);
    support_run_fini(&b);
    a = five_years_as_baseline(50);
    run_five_years(&b, 50, 0.8, 1);
    assert_memory_equal(a->res.metrics, b.res.metrics,
                        sizeof(double) * (size_t)REPS * (size_t)a->sc->n_metrics);
    support_run_fini(&b);
}

/* Discharge under pressure (coordination.pressure_*), over 5 years: with a long list, shorter
 * episodes free slots sooner, so fewer wait and the wait is shorter; with a short list nothing
 * changes. */
static void test_pressure_discharge_only_when_the_list_is_long(void **state)
{
    (void)state;
    const struct support_run *a = five_years_as_baseline(30);
    struct support_run b;
    run_five_years(&b, 30, 0, 0.5);
    assert_paired(a, &b, "waiting_coordination", -1);
    assert_paired(a, &b, "wait_coordination_days", -1);
    support_run_fini(&b);
    a = five_years_as_baseline(50);
    run_five_years(&b, 50, 0, 0.5);
    assert_memory_equal(a->res.metrics, b.res.metrics,
                        sizeof(double) * (size_t)REPS * (size_t)a->sc->n_metrics);
    support_run_fini(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_has_no_warnings),
        cmocka_unit_test(test_planner_mistakes_warn),
        cmocka_unit_test(test_referral_lists_of_wrong_type_are_reported),
        cmocka_unit_test(test_metrics_describe_themselves),
        cmocka_unit_test(test_assert_report_names_replication_time_event),
        cmocka_unit_test(test_baseline_runs_and_audits),
        cmocka_unit_test(test_audit_catches_a_lost_client),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_more_coordinators_shorten_the_wait),
        cmocka_unit_test(test_lower_caseload_more_contacts_fewer_crises),
        cmocka_unit_test(test_high_caseload_fewer_contacts_slower_linkage),
        cmocka_unit_test(test_missed_contacts_raise_disengagement),
        cmocka_unit_test(test_fewer_beds_more_boarding_and_out_of_area),
        cmocka_unit_test(test_service_closure_raises_unmet_need),
        cmocka_unit_test(test_no_crisis_team_hours_all_to_ed),
        cmocka_unit_test(test_24h_crisis_team_fewer_ed_visits),
        cmocka_unit_test(test_paired_much_narrower_than_unpaired),
        cmocka_unit_test(test_long_waiting_list_tightens_triage),
        cmocka_unit_test(test_pressure_discharge_only_when_the_list_is_long),
    };
    return cmocka_run_group_tests(tests, NULL, free_shared);
}
