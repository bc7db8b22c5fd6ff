/* run and check: one scenario, its replications and summary, or its resolved values. */
#include "cli/cli.h"

int parse_run(int argc, char **argv, struct run_opts *o)
{
    const struct command *cmd = &cmd_spec_run;
    bool is_compare = strcmp(o->cmd, "compare") == 0;
    bool is_sweep = strcmp(o->cmd, "sweep") == 0;
    bool is_calib = strcmp(o->cmd, "calibrate") == 0;

    for (int i = 0; i < n_cmd_specs; i++) {
        if (strcmp(cmd_specs[i]->name, o->cmd) == 0) {
            cmd = cmd_specs[i];
        }
    }
    o->reps = -1; /* from the scenario; the other defaults are the table's */
    o->seed = -1;
    int rc = options_parse(cmd, argc, argv, o, o->scenarios, &o->n_scenarios);
    if (rc == OPTIONS_HELP) {
        exit(0);
    }
    if (rc != 0) {
        return rc;
    }
    o->scenario = o->n_scenarios > 0 ? o->scenarios[0] : NULL;
    if (!o->scenario) {
        return usage_error("%s: no scenario file given", o->cmd);
    }
    if (is_calib && (o->n_targets == 0 || o->n_frees == 0)) {
        return usage_error("calibrate: give at least one --target METRIC=VALUE and one --free "
                           "KEY=LOW:HIGH");
    }
    if (is_sweep && o->n_vary == 0) {
        return usage_error("sweep: give at least one --vary KEY=FROM:TO:STEP");
    }
    if (is_compare && o->n_scenarios < 2) {
        return usage_error("compare: at least two scenarios (the first is the reference)");
    }
    return 0;
}

/* --warmup auto: a pilot run of the scenario as given, MSER-5 on the mean of each weekly
 * series, and the scenario reloaded with the longest truncation as its warm-up. */
static int estimate_warmup(const struct run_opts *o, struct cfg *c, struct scenario **sc,
                           char *note, size_t note_len)
{
    if ((*sc)->n_series == 0 || (*sc)->n_points < 10) {
        fprintf(stderr,
                "ccsim: --warmup auto: the %s model publishes no weekly series to estimate it "
                "from; give warmup in the scenario\n",
                (*sc)->ops->name);
        return CCSIM_EINPUT;
    }
    struct experiment_spec pilot = {
        .sc = *sc,
        .replications = (*sc)->replications,
        .seed = (*sc)->seed,
        .threads = (int)o->threads,
        .show_progress = !o->is_quiet && progress_wanted(),
    };
    struct experiment_result res;
    if (experiment_run(&pilot, &res) != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", o->scenario, res.err);
        experiment_result_fini(&res);
        return CCSIM_ERUN;
    }
    int which;
    int points = warmup_estimate(&res, &which);
    double days = points * (*sc)->ops->series_period;
    experiment_result_fini(&res);
    bool at_cap = points >= 5 * (((*sc)->n_points / 5) / 2);
    snprintf(note, note_len,
             "warm-up estimated by MSER-5 on the weekly series: %g days (%d weeks, from %s)%s",
             days, points, scenario_series_name(*sc, which),
             at_cap ? "; this is the longest MSER-5 may choose (half the run): the series may not "
                      "settle within the horizon, so lengthen it or start from a snapshot"
                    : "");
    fprintf(stderr, "ccsim: %s\n", note);

    char assign[64];
    snprintf(assign, sizeof assign, "warmup=%.17g", days);
    cfg_set_as(c, assign, "--warmup auto (MSER-5)");
    scenario_destroy(*sc);
    *sc = scenario_load(c);
    if (!*sc) {
        diag_print(&c->diag, stderr);
        return CCSIM_EINPUT;
    }
    return 0;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.cmd = "run"};
    struct cfg c;
    struct outdir od;
    char err[1024];
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    if (o.outdir && outdir_check(o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    struct scenario *sc = load_scenario(&o, o.scenario, &c);
    if (!sc) {
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    rc = check_inputs(o.outdir, o.force, o.scenario, &c);
    if (rc == 0) {
        struct budget b;
        budget_init(&b, (int)o.threads);
        budget_add(&b, sc, o.precision > 0 ? o.max_reps : sc->replications, 1, true);
        rc = check_budget(&b);
    }
    if (rc != 0) {
        scenario_destroy(sc);
        cfg_fini(&c);
        return rc;
    }
    char warmup_note[512] = "";
    if (o.warmup_auto) {
        rc = estimate_warmup(&o, &c, &sc, warmup_note, sizeof warmup_note);
        if (rc != 0) {
            scenario_destroy(sc);
            cfg_fini(&c);
            return rc;
        }
    }

    struct experiment_spec spec = {
        .sc = sc,
        .replications = sc->replications,
        .seed = sc->seed,
        .threads = (int)o.threads,
        .show_progress = !o.is_quiet && progress_wanted(),
    };
    struct manifest m = {
        .argc = argc,
        .argv = argv,
        .scenario = o.scenario,
        .model = sc->ops->name,
        .seed = spec.seed,
        .replications = spec.replications,
        .threads = spec.threads,
        .started = time(NULL),
    };
    /* The partial folder exists from here: an interrupted run removes it (signal handler) or,
     * if killed outright, leaves it, with its lock free, for the next run beside it to remove. */
    if (o.outdir && outdir_begin(&od, o.outdir, o.force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        scenario_destroy(sc);
        cfg_fini(&c);
        return CCSIM_ERUN;
    }
    struct experiment_result res;
    char report[512] = "";
    int failed;
    if (o.precision > 0) {
        bool reached;
        failed = experiment_run_precise(&spec, &res, o.precision, o.max_reps, &reached, report,
                                        sizeof report);
        m.replications = res.replications;
        m.note = report;
        /* The resolved scenario records the replications that ran, so that it reproduces the
         * results. */
        char assign[64];
        snprintf(assign, sizeof assign, "replications=%ld", res.replications);
        cfg_set_as(&c, assign, "--precision");
        if (!failed) {
            fprintf(stderr, "ccsim: %s\n", report);
        }
    } else {
        failed = experiment_run(&spec, &res);
    }
    if (warmup_note[0] && !m.note) {
        m.note = warmup_note;
    }
    if (failed) {
        fprintf(stderr, "ccsim: %s: %s\n", o.scenario, res.err);
        rc = CCSIM_ERUN;
        if (o.outdir) {
            outdir_abort(&od);
        }
    } else if (o.outdir) {
        m.finished = time(NULL);
        m.wall_seconds = res.wall_seconds;
        m.n_events = res.n_events;
        rc = write_results(&od, &o, &c, sc, &res, &m);
        if (rc != 0) {
            outdir_abort(&od);
        } else {
            draw_after(&o);
        }
    } else {
        csv_print_table(stdout, sc, &res);
    }
    experiment_result_fini(&res);
    scenario_destroy(sc);
    cfg_fini(&c);
    return rc;
}

/* ---- check -------------------------------------------------------------------------------- */

struct row {
    char *key, *value, *unit, *from;
};

struct rows {
    struct row *v;
    size_t n, cap;
};

static void add_row(void *ctx, const config_setting_t *s, const char *path,
                    const struct cfg_origin *o)
{
    struct rows *rows = ctx;
    char value[512], from[1024];

    if (rows->n == rows->cap) {
        rows->cap = rows->cap ? 2 * rows->cap : 64;
        rows->v = xrealloc(rows->v, rows->cap * sizeof *rows->v);
    }
    cfg_format_value(s, value, sizeof value);
    switch (o->kind) {
    case CFG_FROM_FILE:
        snprintf(from, sizeof from, "%s:%d", o->file, o->line);
        break;
    case CFG_FROM_SET:
        snprintf(from, sizeof from, "%s", o->file);
        break;
    case CFG_FROM_DEFAULT:
        if (o->source || (o->key && o->key->source)) {
            snprintf(from, sizeof from, "default (%s)", o->source ? o->source : o->key->source);
        } else {
            snprintf(from, sizeof from, "default");
        }
        break;
    }
    struct row *r = &rows->v[rows->n++];
    r->key = xstrdup(path);
    r->value = xstrdup(value);
    /* A distribution's parameters carry the unit of the quantity it describes. */
    const char *unit = o->key ? o->key->unit : NULL;
    int type = config_setting_type(s);
    if (!unit && config_setting_parent(s) &&
        (type == CONFIG_TYPE_FLOAT || type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)) {
        const struct cfg_origin *po = config_setting_get_hook(config_setting_parent(s));
        unit = po && po->key ? po->key->unit : NULL;
    }
    r->unit = xstrdup(unit ? unit : "");
    r->from = xstrdup(from);
}

int cmd_check(int argc, char **argv)
{
    struct run_opts o = {.cmd = "check"};
    struct cfg c;
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    struct scenario *sc = load_scenario(&o, o.scenario, &c);
    if (!sc) {
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    struct budget b;
    char need[512];
    budget_init(&b, 1);
    budget_add(&b, sc, sc->replications, 1, true);
    if (check_budget(&b) != 0) {
        scenario_destroy(sc);
        cfg_fini(&c);
        return CCSIM_EINPUT;
    }
    struct rows rows = {0};
    cfg_walk(&c, add_row, &rows);
    int wk = 3, wv = 5, wu = 4;
    for (size_t i = 0; i < rows.n; i++) {
        int k = (int)strlen(rows.v[i].key), v = (int)strlen(rows.v[i].value),
            u = (int)strlen(rows.v[i].unit);
        wk = k > wk ? k : wk;
        wv = v > wv && v <= 32 ? v : wv;
        wu = u > wu ? u : wu;
    }
    budget_describe(&b, need, sizeof need);
    printf("%s: valid; model \"%s\", %ld replications, seed %llu, %d metrics\n", o.scenario,
           sc->ops->name, sc->replications, (unsigned long long)sc->seed, sc->n_metrics);
    printf("a run needs %s\n\n", need);
    printf("%-*s  %-*s  %-*s  %s\n", wk, "key", wv, "value", wu, "unit", "from");
    for (size_t i = 0; i < rows.n; i++) {
        struct row *r = &rows.v[i];
        printf("%-*s  %-*s  %-*s  %s\n", wk, r->key, wv, r->value, wu, r->unit, r->from);
        free(r->key);
        free(r->value);
        free(r->unit);
        free(r->from);
    }
    free(rows.v);
    scenario_destroy(sc);
    cfg_fini(&c);
    return 0;
}
