/* runner — a set of variants loaded, checked and run on common random numbers (runner.h). */
#include "analysis/runner.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "analysis/outdir.h"
#include "analysis/par.h"
#include "analysis/progress.h"
#include "analysis/uncertain.h"
#include "analysis/warmup.h"
#include "sim/error.h"
#include "sim/xalloc.h"

/* ---- loading ------------------------------------------------------------------------------ */

static void apply(struct cfg *c, const struct override *ov, int n)
{
    for (int i = 0; i < n; i++) {
        if (ov[i].origin) {
            cfg_set_as(c, ov[i].assign, ov[i].origin);
        } else {
            cfg_set(c, ov[i].assign);
        }
    }
}

static void print_diag(const void *ctx, FILE *f)
{
    diag_print(ctx, f);
}

/* A problem line printed unless an earlier variant of the set printed it. */
struct distinct {
    struct warnings *seen;
    FILE *out;
};

static void distinct_line(void *arg, const char *line)
{
    struct distinct *d = arg;

    if (warnings_add(d->seen, line)) {
        fprintf(d->out, "%s\n", line);
    }
}

/* Loads variant i into r->cfg[i] and r->sc[i] (NULL when it has problems, reported by the
 * set's rule; seen holds the problem lines printed so far, unparsed[k] whether variant k's file
 * failed to parse). */
static void load_one(struct runner *r, int i, struct warnings *seen, bool *unparsed)
{
    const struct variant *v = &r->v[i];
    struct cfg *c = &r->cfg[i];
    FILE *out = r->spec.msgs;
    bool points = r->spec.report == RUNNER_REPORT_POINTS;

    cfg_init(c);
    r->n_loaded = i + 1;
    /* A scenario file that did not parse for an earlier point does not parse now either. */
    for (int k = 0; points && k < i; k++) {
        if (unparsed[k] && strcmp(r->v[k].path, v->path) == 0) {
            unparsed[i] = true;
            r->n_bad++;
            return;
        }
    }
    struct scenario *sc = NULL;
    if (cfg_load_file(c, v->path)) {
        if (v->is_own_first) {
            apply(c, v->own, v->n_own);
        }
        apply(c, r->spec.common, r->spec.n_common);
        if (!v->is_own_first) {
            apply(c, v->own, v->n_own);
        }
        sc = scenario_load(c);
        /* The uncertainty declarations are checked here, for every command; only psa and check
         * use them. */
        struct unc_set u;
        if (sc && unc_set_load(&u, c, &c->diag) == 0) {
            unc_set_fini(&u);
        }
        if (sc && cfg_n_problems(c) > 0) {
            scenario_destroy(sc);
            sc = NULL;
        }
    } else {
        unparsed[i] = true;
    }
    r->sc[i] = sc;
    if (sc) {
        if (r->spec.warnings) {
            warnings_note(r->spec.warnings, c, out);
        }
        return;
    }
    r->n_bad++;
    if (!out) {
        return;
    }
    if (points) {
        struct distinct d = {.seen = seen, .out = out};
        warnings_each_line(print_diag, &c->diag, distinct_line, &d);
        return;
    }
    diag_print(&c->diag, out);
    int n = cfg_n_problems(c);
    fprintf(out, "ccsim: %d problem%s in %s; nothing was run\n", n, n == 1 ? "" : "s", v->path);
}

/* ---- inputs --force must never remove ------------------------------------------------------ */

struct inputs {
    const struct cfg *c;
    struct warnings files; /* distinct paths */
};

/* A string value that names an existing file (a snapshot, say) is an input too. */
static void inputs_string(struct inputs *in, const config_setting_t *s)
{
    const char *v = config_setting_get_string(s);
    char buf[PATH_MAX];
    struct stat st;

    if (v && v[0]) {
        cfg_resolve_path(in->c, s, v, buf, sizeof buf);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
            warnings_add(&in->files, buf);
        }
    }
}

static void inputs_visit(void *ctx, const config_setting_t *s, const char *path,
                         const struct cfg_origin *o)
{
    struct inputs *in = ctx;

    (void)path;
    if (o->kind == CFG_FROM_FILE && o->file) {
        warnings_add(&in->files, o->file);
    }
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        inputs_string(in, s);
    } else if (config_setting_type(s) == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (e && config_setting_type(e) == CONFIG_TYPE_STRING) {
                inputs_string(in, e);
            }
        }
    }
}

/* With --force over an existing folder: refused when it holds an input of variant i (its
 * scenario, a base or included file, or a file a value names). */
static int check_inputs(const struct runner *r, int i)
{
    struct inputs in = {.c = &r->cfg[i]};
    char err[1024];

    warnings_init(&in.files);
    warnings_add(&in.files, r->v[i].path);
    cfg_walk(&r->cfg[i], inputs_visit, &in);
    int rc = outdir_check_inputs(r->spec.outdir, (const char *const *)in.files.lines, in.files.n,
                                 err, sizeof err);
    warnings_fini(&in.files);
    if (rc != 0) {
        if (r->spec.msgs) {
            fprintf(r->spec.msgs, "ccsim: %s\n", err);
        }
        return CCSIM_EEXIST;
    }
    return 0;
}

/* The memory and time of the set against this machine: refused when its results cannot fit,
 * warned when large. */
static int check_budget(struct runner *r)
{
    char msg[1024];
    long reps = r->spec.budget_reps > 0 ? r->spec.budget_reps : r->replications;

    budget_init(&r->budget, r->spec.threads);
    switch (r->spec.budget) {
    case RUNNER_BUDGET_NONE:
        return 0;
    case RUNNER_BUDGET_EACH:
        for (int i = 0; i < r->n; i++) {
            budget_add(&r->budget, r->sc[i], reps, 1, true);
        }
        break;
    case RUNNER_BUDGET_MANY:
        budget_add_many(&r->budget, (const struct scenario *const *)r->sc, r->n, reps);
        break;
    case RUNNER_BUDGET_MEMORY:
        budget_add(&r->budget, r->sc[0], reps, 1, false);
        break;
    }
    enum budget_verdict v = budget_judge(&r->budget, msg, sizeof msg);
    /* Under MPI, rank 0's machine decides for every rank: ranks on machines with other memory
     * must not part ways (analysis/par.h). */
    v = (enum budget_verdict)par_root_int((int)v);
    if (v == BUDGET_REFUSE) {
        if (r->spec.msgs) {
            fprintf(r->spec.msgs, "ccsim: the experiment %s; nothing was run\n", msg);
        }
        return CCSIM_EINPUT;
    }
    if (v == BUDGET_WARN && r->spec.msgs) {
        fprintf(r->spec.msgs, "ccsim: warning: the experiment %s\n", msg);
    }
    return 0;
}

/* The common-random-numbers rule (runner.h): the first variant's seed and replications for
 * all, recorded in the cfg of each variant whose own values differ. */
static void fix_crn(struct runner *r)
{
    char assign[64], origin[128];

    r->replications = r->sc[0]->replications;
    r->seed = r->sc[0]->seed;
    for (int i = 1; i < r->n; i++) {
        if (r->sc[i]->replications != r->replications) {
            snprintf(assign, sizeof assign, "replications=%ld", r->replications);
            snprintf(origin, sizeof origin, "%s (the first scenario's replications)", r->spec.name);
            cfg_set_as(&r->cfg[i], assign, origin);
        }
        if (r->sc[i]->seed != r->seed) {
            snprintf(assign, sizeof assign, "seed=%llu", (unsigned long long)r->seed);
            snprintf(origin, sizeof origin, "%s (the first scenario's seed)", r->spec.name);
            cfg_set_as(&r->cfg[i], assign, origin);
        }
    }
}

int runner_load(struct runner *r, const struct runner_spec *spec, const struct variant *v, int n)
{
    struct warnings seen;
    bool is_dup = false;
    int rc = 0;

    memset(r, 0, sizeof *r);
    r->spec = *spec;
    r->v = v;
    r->n = n;
    r->cfg = xcalloc((size_t)(n > 0 ? n : 1), sizeof *r->cfg);
    r->sc = xcalloc((size_t)(n > 0 ? n : 1), sizeof *r->sc);
    r->res = xcalloc((size_t)(n > 0 ? n : 1), sizeof *r->res);
    if (n < 1) {
        return CCSIM_EINPUT;
    }
    bool *unparsed = xcalloc((size_t)n, sizeof *unparsed);
    warnings_init(&seen);
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < i; k++) {
            if (strcmp(v[k].label, v[i].label) == 0) {
                if (spec->msgs) {
                    fprintf(spec->msgs,
                            "ccsim: %s: two %s are named '%s' (%s and %s); rename one\n",
                            spec->name, spec->unit, v[i].label, v[k].path, v[i].path);
                }
                is_dup = true;
            }
        }
        load_one(r, i, &seen, unparsed);
    }
    warnings_fini(&seen);
    free(unparsed);
    if (r->n_bad > 0 && spec->report == RUNNER_REPORT_POINTS && spec->msgs) {
        fprintf(spec->msgs, "ccsim: %s: %d of %d %s have problems; nothing was run\n", spec->name,
                r->n_bad, n, spec->unit);
    }
    /* Under MPI every rank loaded the same files; one that could not (a file not readable from
     * its node) must not leave the others waiting (analysis/par.h). */
    bool is_bad = r->n_bad > 0 || is_dup;
    if (par_max_int(is_bad) && !is_bad) {
        if (spec->msgs) {
            fprintf(spec->msgs,
                    "ccsim: %s: another MPI rank could not load the %s (the files must be "
                    "readable alike from every node); nothing was run\n",
                    spec->name, spec->unit);
        }
        return CCSIM_EINPUT;
    }
    if (is_bad) {
        return CCSIM_EINPUT;
    }
    fix_crn(r);
    /* A single (long) replication is allowed; said once, and kept for warnings.txt. */
    if (r->replications == 1 && spec->precision <= 0 && !spec->one_rep_ok) {
        const char *line = "one replication gives no confidence interval: every interval (and "
                           "sd) is NA; run 2 or more replications for one";
        if ((!spec->warnings || warnings_add(spec->warnings, line)) && spec->msgs) {
            fprintf(spec->msgs, "ccsim: note: %s\n", line);
        }
    }
    for (int i = 0; rc == 0 && spec->outdir && spec->force && i < n; i++) {
        bool is_new = true;
        for (int k = 0; k < i && is_new; k++) {
            is_new = strcmp(v[k].path, v[i].path) != 0;
        }
        rc = is_new ? check_inputs(r, i) : 0;
    }
    rc = par_root_int(rc); /* rank 0's view of the folder --force replaces */
    return rc == 0 ? check_budget(r) : rc;
}

/* ---- running ------------------------------------------------------------------------------ */

static void report_failure(const struct runner *r, int i)
{
    if (!r->spec.msgs) {
        return;
    }
    if (r->spec.report == RUNNER_REPORT_POINTS) {
        fprintf(r->spec.msgs, "ccsim: %s %s: %s\n", r->spec.name, r->v[i].label, r->res[i].err);
    } else {
        fprintf(r->spec.msgs, "ccsim: %s: %s\n", r->v[i].path, r->res[i].err);
    }
}

/* Variant i, with the set's seed and replications; returns 0 or 1 as experiment_run(). */
static int run_one(struct runner *r, int i)
{
    bool bar = r->spec.show_progress && r->spec.progress == RUNNER_PROGRESS_EACH;
    struct experiment_spec spec = {
        .sc = r->sc[i],
        .replications = r->replications,
        .seed = r->seed,
        .threads = r->spec.threads,
        .show_progress = bar,
        .end_state = i == 0 ? r->end_state : NULL,
        .journey = i == 0 ? r->journey : NULL,
        .journey_ctx = r->journey_ctx,
        .journey_rep = r->journey_rep,
        .first_rep = r->spec.first_rep,
        .no_series = r->spec.no_series,
        .units = r->spec.units,
        .units_variant = r->spec.units ? unitstore_fingerprint(&r->cfg[i], r->seed) : 0,
    };

    if (bar && r->n > 1 && r->spec.msgs) {
        fprintf(r->spec.msgs, "%s:\n", r->v[i].label);
    }
    if (r->spec.precision <= 0) {
        return experiment_run(&spec, &r->res[i]);
    }
    bool reached;
    int failed = experiment_run_precise(&spec, &r->res[i], r->spec.precision, r->spec.max_reps,
                                        &reached, r->note, sizeof r->note);
    /* The resolved scenario records the replications that ran, so that it reproduces the
     * results. */
    char assign[64];
    snprintf(assign, sizeof assign, "replications=%ld", r->res[i].replications);
    cfg_set_as(&r->cfg[i], assign, "--precision");
    if (!failed && r->spec.msgs) {
        fprintf(r->spec.msgs, "ccsim: %s\n", r->note);
    }
    return failed;
}

int runner_run(struct runner *r)
{
    struct progress bar;
    int rc = 0;

    progress_init(&bar, r->spec.show_progress && r->spec.progress == RUNNER_PROGRESS_OVERALL, r->n,
                  r->spec.unit);
    for (int i = 0; rc == 0 && i < r->n; i++) {
        r->n_run = i + 1;
        if (run_one(r, i) != 0) {
            report_failure(r, i);
            rc = CCSIM_ERUN;
        }
        r->n_events += r->res[i].n_events;
        r->wall_seconds += r->res[i].wall_seconds;
        progress_step(&bar, 1);
    }
    progress_fini(&bar);
    return rc;
}

/* ---- --warmup auto ------------------------------------------------------------------------ */

static int warmup_one(struct runner *r, int i, char *note, size_t note_len)
{
    struct scenario **sc = &r->sc[i];
    FILE *out = r->spec.msgs;

    if ((*sc)->n_series == 0 || (*sc)->n_points < 10) {
        if (out) {
            fprintf(out,
                    "ccsim: --warmup auto: the %s model publishes no weekly series to estimate "
                    "it from; give warmup in the scenario\n",
                    (*sc)->ops->name);
        }
        return CCSIM_EINPUT;
    }
    struct experiment_spec pilot = {
        .sc = *sc,
        .replications = (*sc)->replications,
        .seed = (*sc)->seed,
        .threads = r->spec.threads,
        .show_progress = r->spec.show_progress,
        .units = r->spec.units,
        .units_variant = r->spec.units ? unitstore_fingerprint(&r->cfg[i], (*sc)->seed) : 0,
    };
    struct experiment_result res;
    if (experiment_run(&pilot, &res) != 0) {
        if (out) {
            fprintf(out, "ccsim: %s: %s\n", r->v[i].path, res.err);
        }
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
    if (out) {
        fprintf(out, "ccsim: %s\n", note);
    }
    if (at_cap && r->spec.warnings) {
        /* No steady state within the run: kept with the warnings (warnings.txt). */
        warnings_add(r->spec.warnings, note);
    }
    char assign[64];
    snprintf(assign, sizeof assign, "warmup=%.17g", days);
    cfg_set_as(&r->cfg[i], assign, "--warmup auto (MSER-5)");
    scenario_destroy(*sc);
    *sc = scenario_load(&r->cfg[i]);
    if (!*sc) {
        if (out) {
            diag_print(&r->cfg[i].diag, out);
        }
        return CCSIM_EINPUT;
    }
    return 0;
}

int runner_warmup_auto(struct runner *r, char *note, size_t note_len)
{
    int rc = 0;

    for (int i = 0; rc == 0 && i < r->n; i++) {
        rc = warmup_one(r, i, note, note_len);
    }
    return rc;
}

int runner_metric(const struct runner *r, int i, const char *name)
{
    const struct scenario *sc = r->sc[i];

    for (int m = 0; m < sc->n_metrics; m++) {
        if (strcmp(scenario_metric_name(sc, m), name) == 0) {
            return m;
        }
    }
    return -1;
}

void runner_fini(struct runner *r)
{
    for (int i = 0; i < r->n_run; i++) {
        experiment_result_fini(&r->res[i]);
    }
    for (int i = 0; i < r->n_loaded; i++) {
        scenario_destroy(r->sc[i]);
        cfg_fini(&r->cfg[i]);
    }
    free(r->res);
    free(r->sc);
    free(r->cfg);
    memset(r, 0, sizeof *r);
}
