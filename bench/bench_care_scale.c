/*
 * bench_care_scale — the care model's cost per event as the region grows.
 *
 * Runs scenarios/care/baseline.cfg as a region 1, 10 and 100 times its size (x1, x10, x100):
 * every rate and capacity of the region multiplied by the factor (population, referral rate,
 * the waiting-list lengths at which triage tightens and discharge is hurried, assessor posts,
 * coordinator posts, posts of any posts plan, clients of any move, service places, crisis-team
 * places, beds). Rates per client (deterioration, contacts, episodes) stay as they are. The
 * scaled regions start empty: the baseline's saved start (initial.snapshot, 876 KB) repeated
 * 10 times exceeds the 1 MB a snapshot file may hold, so every scaled row starts from empty
 * and runs 2 simulated years (x1 100 replications, x10 10, x100 1: the same 100 region-years
 * of the baseline's size a row, in which the region fills to about half its steady number of
 * clients). A further row runs the baseline as shipped, from its saved start (20 replications
 * of 2 years): the care model's rate in its steady state, which the share of the kernel's
 * M/M/c rate uses.
 *
 * Each row is a fresh process on one thread; the time is that of the simulation calls alone
 * (loading excluded) and the peak memory is the whole process's maximum resident set
 * (getrusage()), one replication at a time. The rows run in rounds (bench_mmc's W1a, the
 * baseline, x1, x10, x100, then again), the figures being medians over the rounds.
 *
 * Usage: bench_care_scale [ROUNDS [SCENARIO]]        the table (1 round unless given)
 *        bench_care_scale ONE SCENARIO FACTOR REPS YEARS saved|empty
 *                                                    one row's measurement, printed as numbers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <sys/resource.h>

#include "analysis/progress.h"
#include "models/model.h"
#include "sim/cfg.h"
#include "sim/fail.h"

enum { MAX_ROUNDS = 15 };

/* Multiplies the number at NAME in GROUP (PATH its dotted path) by factor through cfg_set. */
static bool scale_key(struct cfg *c, const config_setting_t *group, const char *path,
                      const char *name, int factor)
{
    const config_setting_t *s = group ? config_setting_get_member(group, name) : NULL;
    char set[512];
    double v;

    if (!s) {
        return true; /* absent: its default (0 or a length, none in the baseline) */
    }
    if (!cfg_number(c, s, &v)) {
        return false;
    }
    if (config_setting_type(s) == CONFIG_TYPE_FLOAT) {
        snprintf(set, sizeof set, "%s.%s=%.17e", path, name, v * factor);
    } else {
        snprintf(set, sizeof set, "%s.%s=%lld", path, name, (long long)v * factor);
    }
    return cfg_set(c, set);
}

/* Every element ELEM of list LIST in GROUP: scale_key of it. */
static bool scale_list(struct cfg *c, const config_setting_t *root, const char *group,
                       const char *list, const char *name, int factor)
{
    const config_setting_t *g = group ? config_setting_get_member(root, group) : root;
    const config_setting_t *l = g ? config_setting_get_member(g, list) : NULL;
    char path[256];
    bool ok = true;

    for (int i = 0; l && i < config_setting_length(l); i++) {
        snprintf(path, sizeof path, "%s%s%s[%d]", group ? group : "", group ? "." : "", list, i);
        ok = scale_key(c, config_setting_get_elem(l, (unsigned)i), path, name, factor) && ok;
    }
    return ok;
}

/* Every rate and capacity of the region times factor. */
static bool scale_region(struct cfg *c, int factor)
{
    const config_setting_t *root = cfg_root(c);
    static const char *const keys[][2] = {
        {"referrals", "population"},   {"referrals", "rate"},       {"referrals", "tighten_at"},
        {"referrals", "tighten_span"}, {"assessment", "assessors"}, {"coordination", "pressure_at"},
        {"crisis_team", "places"},     {"hospital", "beds"},
    };
    bool ok = true;

    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        ok = scale_key(c, config_setting_get_member(root, keys[i][0]), keys[i][0], keys[i][1],
                       factor) &&
             ok;
    }
    ok = scale_list(c, root, "coordination", "models", "posts", factor) && ok;
    ok = scale_list(c, root, "coordination", "posts_plan", "posts", factor) && ok;
    ok = scale_list(c, root, "coordination", "moves", "clients", factor) && ok;
    ok = scale_list(c, root, NULL, "services", "places", factor) && ok;
    return ok;
}

/* One row: prints replications, events, clients in service (mean), seconds, peak KB. */
static int measure(const char *path, int factor, int reps, double years, bool is_empty)
{
    struct cfg c;
    char set[64];

    cfg_init(&c);
    snprintf(set, sizeof set, "horizon=%.2f", years * 365.25);
    bool ok = cfg_load_file(&c, path) && scale_region(&c, factor) &&
              (!is_empty || cfg_set(&c, "initial.snapshot=\"\"")) && cfg_set(&c, set) &&
              cfg_set(&c, "warmup=0.0");
    struct scenario *sc = ok ? scenario_load(&c) : NULL;
    if (!sc) {
        diag_print(&c.diag, stderr);
        return 1;
    }
    int in_service = -1;
    for (int i = 0; i < sc->n_metrics; i++) {
        if (strcmp(scenario_metric_name(sc, i), "clients_in_service") == 0) {
            in_service = i;
        }
    }
    double *metrics = calloc((size_t)sc->n_metrics, sizeof *metrics);
    double *series = calloc((size_t)sc->n_series * (size_t)sc->n_points + 1, sizeof *series);
    unsigned long long events = 0;
    double secs = 0, clients = 0;
    for (int r = 0; r < reps; r++) {
        struct model_run out = {.metrics = metrics, .series = sc->n_series > 0 ? series : NULL};
        double t0 = progress_now();
        if (!metrics || !series || scenario_run(sc, sc->seed, (unsigned)r, &out) != 0) {
            fprintf(stderr, "bench_care_scale: %s\n", out.err);
            return 1;
        }
        secs += progress_now() - t0;
        events += out.n_events;
        clients += in_service >= 0 ? metrics[in_service] / reps : 0.0;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%d %llu %.3f %.6f %ld\n", reps, events, clients, secs, ru.ru_maxrss);
    free(series);
    free(metrics);
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

struct scale_row {
    const char *name;
    int factor, reps;
    double years;
    const char *start;
};

int main(int argc, char **argv)
{
    static const struct scale_row rows[] = {
        {"baseline", 1, 20, 2.0, "saved"},
        {"x1", 1, 100, 2.0, "empty"},
        {"x10", 10, 10, 2.0, "empty"},
        {"x100", 100, 1, 2.0, "empty"},
    };
    enum { N_ROWS = sizeof rows / sizeof rows[0] };

    sim_fail_install_gsl_handler();
    if (argc == 7 && strcmp(argv[1], "ONE") == 0) {
        return measure(argv[2], atoi(argv[3]), atoi(argv[4]), atof(argv[5]),
                       strcmp(argv[6], "empty") == 0);
    }
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    const char *path = argc > 2 ? argv[2] : "scenarios/care/baseline.cfg";
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "bench_care_scale: ROUNDS is 1 to %d\n", MAX_ROUNDS);
        return 2;
    }
    const char *slash = strrchr(argv[0], '/');
    int dir_len = slash ? (int)(slash - argv[0]) + 1 : 0;
    char mmc[2048];
    snprintf(mmc, sizeof mmc, "%.*sbench_mmc ONE 9 80000", dir_len, argv[0]);

    double rate[N_ROWS][MAX_ROUNDS], ns[N_ROWS][MAX_ROUNDS], kb[N_ROWS][MAX_ROUNDS];
    double mmc_rate[MAX_ROUNDS], share[MAX_ROUNDS], clients[N_ROWS] = {0}, events[N_ROWS] = {0};
    for (int k = 0; k < rounds; k++) {
        double c, e, s, m, w;
        FILE *p = popen(mmc, "r");
        if (!p || fscanf(p, "%lf %lf %lf %lf %lf", &c, &e, &s, &m, &w) != 5 || pclose(p) != 0) {
            fprintf(stderr, "bench_care_scale: measurement failed: %s\n", mmc);
            return 1;
        }
        mmc_rate[k] = e / s;
        for (int i = 0; i < N_ROWS; i++) {
            char cmd[4096];
            snprintf(cmd, sizeof cmd, "%s ONE %s %d %d %.17g %s", argv[0], path, rows[i].factor,
                     rows[i].reps, rows[i].years, rows[i].start);
            p = popen(cmd, "r");
            int got_reps = 0;
            if (!p || fscanf(p, "%d %lf %lf %lf %lf", &got_reps, &e, &clients[i], &s, &m) != 5 ||
                pclose(p) != 0) {
                fprintf(stderr, "bench_care_scale: measurement failed: %s\n", cmd);
                return 1;
            }
            events[i] = e;
            rate[i][k] = e / s;
            ns[i][k] = 1e9 * s / e;
            kb[i][k] = m;
        }
        share[k] = rate[0][k] / mmc_rate[k];
    }
    printf("care model, %s and the region scaled x1, x10, x100 (every rate and capacity)\n", path);
    printf("(one thread, a fresh process a row; %d round(s) with M/M/c W1a, medians; simulation "
           "time alone;\n scaled rows from empty, 2 years, 100 region-years a row: x1 100 "
           "replications, x10 10, x100 1)\n\n",
           rounds);
    printf("%-9s %6s %5s %6s %11s %11s %12s %10s %9s %8s\n", "region", "start", "reps", "years",
           "in service", "events", "events/s", "ns/event", "vs x1", "peak MB");
    double ns1 = median(ns[1], rounds);
    for (int i = 0; i < N_ROWS; i++) {
        double ns_i = median(ns[i], rounds);
        printf("%-9s %6s %5d %6.1f %11.0f %11.0f %12.0f %10.0f %8.2fx %8.1f\n", rows[i].name,
               rows[i].start, rows[i].reps, rows[i].years, clients[i], events[i],
               median(rate[i], rounds), ns_i, ns_i / ns1, median(kb[i], rounds) / 1024.0);
    }
    printf("\n(in service: mean clients in the service, a replication; events: all replications "
           "of the row)\n");
    printf("kernel M/M/c W1a (bench_mmc) in the same rounds: %.3g events/s\n",
           median(mmc_rate, rounds));
    printf("care baseline events/s as a share of it: %.0f%% (median of %d round(s)); "
           "target at least 60%%\n",
           100.0 * median(share, rounds), rounds);
    printf("target: cost per event at x10 and x100 within 1.3x of x1's\n\n");
    return 0;
}
