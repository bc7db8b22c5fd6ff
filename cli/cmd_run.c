/* run and check: one scenario, its replications and summary, or its resolved values. */
#include "cli/cli.h"

/* The files of a run's folder: summary, replications, weekly series, the scenario as it ran
 * (the stationarity diagnostics are written before them, by results_steady()). */
static int write_run(struct folder *f, const struct run_opts *o, const struct runner *r)
{
    const struct scenario *sc = r->sc[0];
    const struct experiment_result *res = &r->res[0];
    char path[4096];

    int rc = results_wrote(f,
                           csv_write_summary_flags(folder_file(f, "summary.csv", path, sizeof path),
                                                   sc, res, CSV_DESCRIBED),
                           path);
    if (rc == 0) {
        rc = results_wrote(
            f,
            csv_write_replications(folder_file(f, "replications.csv", path, sizeof path), sc, res),
            path);
    }
    if (rc == 0 && csv_has_groups(sc)) {
        rc = results_wrote(
            f, csv_write_groups(folder_file(f, "groups.csv", path, sizeof path), sc, res), path);
    }
    if (rc == 0 && res->series) {
        rc = results_wrote(
            f,
            csv_write_timeseries_flags(folder_file(f, "timeseries.csv", path, sizeof path), sc, res,
                                       CSV_DESCRIBED),
            path);
    }
    if (rc == 0 && folder_write_resolved(f, "scenario.resolved.cfg", &r->cfg[0], o->scenario)) {
        fprintf(stderr, "ccsim: %s\n", f->err);
        rc = CCSIM_EIO;
    }
    return rc;
}

/* --trace: the model must report journeys, and the replication must be one the run has. */
static int trace_begin(const struct run_opts *o, struct runner *r, struct trace *tr)
{
    const struct scenario *sc = r->sc[0];

    if (!sc->ops->journey_name) {
        return usage_error("--trace: the %s model does not report journeys (the care model does)",
                           sc->ops->name);
    }
    if (o->trace_rep >= r->replications) {
        return usage_error("--trace: there is no replication %lld (they are numbered 0 to %ld)",
                           o->trace_rep, r->replications - 1);
    }
    trace_init(tr, (long)o->trace_rep, (size_t)o->trace_rows);
    r->journey = trace_record;
    r->journey_ctx = tr;
    r->journey_rep = (long)o->trace_rep;
    return 0;
}

/* DIR/trace.csv, and when it had to stop short, a warning on stderr and in warnings.txt. */
static int trace_end(struct folder *f, const struct run_opts *o, struct setup *s,
                     const struct scenario *sc, const struct trace *tr)
{
    char path[4096], line[512];
    int rc =
        results_wrote(f, trace_write(folder_file(f, TRACE_FILE, path, sizeof path), sc, tr), path);

    if (rc == 0 && trace_truncation(tr, TRACE_FILE, line, sizeof line)) {
        fprintf(stderr, "ccsim: %s\n", line);
        warnings_add(&s->warnings, line);
    } else if (rc == 0 && !o->is_quiet) {
        fprintf(stderr, "ccsim: %s: %zu events of replication %ld\n", TRACE_FILE, tr->n,
                tr->replication);
    }
    return rc;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {.cmd = "run"};
    struct setup s;
    struct runner r;
    struct folder f = {0};
    struct trace tr = {0};
    char warmup_note[512] = "";
    int rc = parse_run(argc, argv, &o);

    if (rc == 0) {
        rc = check_outdir(&o);
    }
    if (rc != 0) {
        return rc;
    }
    setup_init(&s, &o, "scenarios");
    s.spec.precision = o.precision;
    s.spec.max_reps = o.max_reps;
    s.spec.budget_reps = o.precision > 0 ? o.max_reps : 0;
    struct variant v = {.label = o.scenario, .path = o.scenario};
    rc = runner_load(&r, &s.spec, &v, 1);
    if (rc == 0 && o.warmup_auto) {
        rc = runner_warmup_auto(&r, warmup_note, sizeof warmup_note);
    }
    if (rc == 0 && o.trace_rep >= 0) {
        rc = trace_begin(&o, &r, &tr);
    }
    if (rc == 0) {
        rc = results_begin(&f, &o, &r, argc, argv, o.scenario);
    }
    /* The end state the scenario asks for (output.end_state), written by replication 1. */
    const char *end_name = rc == 0 && o.outdir ? scenario_end_state(r.sc[0]) : NULL;
    char end_path[4096];
    if (end_name) {
        r.end_state = fopen(folder_file(&f, end_name, end_path, sizeof end_path), "w");
        rc = r.end_state ? 0 : results_wrote(&f, -errno, end_path);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (r.end_state) {
        int closed = fclose(r.end_state) == 0 ? 0 : -errno;
        r.end_state = NULL;
        rc = rc == 0 ? results_wrote(&f, closed, end_path) : rc;
    }
    if (rc == 0 && o.precision > 0) {
        f.m.replications = r.res[0].replications;
        f.m.note = r.note;
    } else if (rc == 0 && warmup_note[0]) {
        f.m.note = warmup_note;
    }
    if (rc == 0) {
        rc = results_steady(&f, &s, r.sc[0], &r.res[0], NULL, "diagnostics.csv");
    }
    if (rc == 0 && o.outdir) {
        rc = write_run(&f, &o, &r);
        if (rc == 0 && o.trace_rep >= 0) {
            rc = trace_end(&f, &o, &s, r.sc[0], &tr);
        }
    } else if (rc == 0) {
        csv_print_table(stdout, r.sc[0], &r.res[0]);
    }
    rc = results_end(&f, &o, &s, &r, rc);
    trace_fini(&tr);
    runner_fini(&r);
    setup_fini(&s);
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

    /* The uncertainty group has a table of its own (print_uncertain()). */
    if (strncmp(path, "uncertainty.", 12) == 0) {
        return;
    }

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

/* One row of check's table in width columns. As a table (key, value, unit, origin in columns,
 * the origin wrapped within its column) when from_col leaves room for it; otherwise the key, value
 * and unit on one line (the value wrapped from column value_col) and the origin wrapped under
 * them, indented. */
static void print_row(const struct row *row, int wk, int wv, int wu, int width, bool is_table)
{
    char text[1200];

    if (is_table) {
        printf("%-*s  %-*s  %-*s  ", wk, row->key, wv, row->value, wu, row->unit);
        int col = wk + wv + wu + 6;
        int len = (int)(strlen(row->key) > (size_t)wk ? strlen(row->key) : (size_t)wk) + 2 +
                  (int)(strlen(row->value) > (size_t)wv ? strlen(row->value) : (size_t)wv) + 2 +
                  (int)(strlen(row->unit) > (size_t)wu ? strlen(row->unit) : (size_t)wu) + 2;
        options_put_wrapped(stdout, row->from, len, col, width);
        putchar('\n');
        return;
    }
    int value_col = wk + 2 <= width - 28 ? wk + 2 : 4;
    fputs(row->key, stdout);
    int col = (int)strlen(row->key);
    if (col + 2 <= value_col) {
        printf("%*s", value_col - col, "");
        col = value_col;
    } else if (value_col == 4) {
        fputs("  ", stdout);
        col += 2;
    } else {
        printf("\n%*s", value_col, "");
        col = value_col;
    }
    snprintf(text, sizeof text, "%s%s%s", row->value, row->unit[0] ? " " : "", row->unit);
    options_put_wrapped(stdout, text, col, value_col, width);
    putchar('\n');
    options_put_wrapped(stdout, row->from, 0, 4, width);
    putchar('\n');
}

/* check's table of the uncertain parameters, after the values, when the scenario has any (or an
 * uncertainty group, or a key whose default uncertainty it gives up): key, value, the fitted
 * distribution and its 95% interval, then correlation, source and origin wrapped under them. */
static void print_uncertain(const struct runner *r, int width)
{
    struct unc_set u;
    struct diag d;
    char text[4096], dist[256], ival[128];

    diag_init(&d);
    int rc = unc_set_load(&u, &r->cfg[0], &d);
    diag_fini(&d);
    if (rc != 0) { /* checked when the scenario was loaded */
        return;
    }
    bool has_group = config_setting_get_member(cfg_root(&r->cfg[0]), "uncertainty") != NULL;
    if (u.n == 0 && u.n_notes == 0 && !has_group) {
        unc_set_fini(&u);
        return;
    }
    putchar('\n');
    snprintf(text, sizeof text,
             "uncertain parameters: %d (what ccsim psa draws; docs/psa.md, \"Declaring "
             "uncertainty\")",
             u.n);
    options_put_wrapped(stdout, text, 2, 2, width);
    putchar('\n');
    int wk = 3, wv = 5, wd = 12;
    for (int i = 0; i < u.n; i++) {
        unc_describe(&u.p[i], dist, sizeof dist);
        int k = (int)strlen(u.p[i].path), v, dd = (int)strlen(dist);
        char value[64];
        v = snprintf(value, sizeof value, "%.10g", u.p[i].value);
        wk = k > wk ? k : wk;
        wv = v > wv ? v : wv;
        wd = dd > wd ? dd : wd;
    }
    bool is_table = wk + wv + wd + 6 + 20 <= width;
    if (u.n > 0) {
        if (is_table) {
            printf("%-*s  %-*s  %-*s  %s\n", wk, "key", wv, "value", wd, "distribution",
                   "95% interval");
        } else {
            printf("key  value\n    distribution, 95%% interval; how it was fitted, source\n");
        }
    }
    for (int i = 0; i < u.n; i++) {
        const struct unc_param *p = &u.p[i];
        unc_describe(p, dist, sizeof dist);
        snprintf(ival, sizeof ival, "%.6g to %.6g", unc_quantile(p, 0.025), unc_quantile(p, 0.975));
        char value[64];
        snprintf(value, sizeof value, "%.10g", p->value);
        if (is_table) {
            printf("%-*s  %-*s  %-*s  %s\n", wk, p->path, wv, value, wd, dist, ival);
        } else {
            printf("%s  %s\n", p->path, value);
            snprintf(text, sizeof text, "%s, 95%% interval %s", dist, ival);
            options_put_wrapped(stdout, text, 0, 4, width);
            putchar('\n');
        }
        size_t len = 0;
        if (!isnan(p->ci_lo)) {
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "fitted to the 95%% interval %.10g to %.10g; ", p->ci_lo,
                                    p->ci_hi);
        } else {
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "fitted to a mean and standard deviation; ");
        }
        for (int j = 0; u.rho && j < u.n && len < sizeof text; j++) {
            double rho = u.rho[i * u.n + j];
            if (j != i && rho != 0) {
                len += (size_t)snprintf(text + len, sizeof text - len,
                                        "correlated with %s (rho %.6g); ", u.p[j].path, rho);
            }
        }
        if (p->p_outside >= 1e-6 && len < sizeof text) {
            len += (size_t)snprintf(text + len, sizeof text - len,
                                    "%.2g%% of draws fall outside the allowed range and are "
                                    "clipped; ",
                                    100 * p->p_outside);
        }
        if (len < sizeof text) {
            snprintf(text + len, sizeof text - len, "source: %s; from %s", p->source,
                     strcmp(p->origin, "default") == 0 ? "the key's default uncertainty"
                                                       : p->origin);
        }
        printf("    ");
        options_put_wrapped(stdout, text, 4, 4, width);
        putchar('\n');
    }
    for (int i = 0; i < u.n_notes; i++) {
        snprintf(text, sizeof text, "note: %s", u.notes[i]);
        options_put_wrapped(stdout, text, 4, 4, width);
        putchar('\n');
    }
    unc_set_fini(&u);
}

/* What check prints of a valid scenario: the verdict, what a run needs, every resolved value,
 * wrapped to the terminal's width (options_out_width()). */
static void print_check(const struct run_opts *o, const struct runner *r)
{
    const struct scenario *sc = r->sc[0];
    char need[512], line[1024];
    int width = options_out_width();

    struct rows rows = {0};
    cfg_walk(&r->cfg[0], add_row, &rows);
    int wk = 3, wv = 5, wu = 4, wf = 4;
    for (size_t i = 0; i < rows.n; i++) {
        int k = (int)strlen(rows.v[i].key), v = (int)strlen(rows.v[i].value),
            u = (int)strlen(rows.v[i].unit), f = (int)strlen(rows.v[i].from);
        wk = k > wk ? k : wk;
        wv = v > wv && v <= 32 ? v : wv;
        wu = u > wu ? u : wu;
        wf = f > wf ? f : wf;
    }
    budget_describe(&r->budget, need, sizeof need);
    /* "FILE: valid;" is never broken (scripts look for it), even by a space in the path: '\x01'
     * is a space put_wrapped() keeps. */
    snprintf(line, sizeof line,
             "%s:\x01valid; model \"%s\", %ld replication%s, seed %llu, %d metrics", o->scenario,
             sc->ops->name, sc->replications, sc->replications == 1 ? "" : "s",
             (unsigned long long)sc->seed, sc->n_metrics);
    for (char *c = line; *c && c < line + strlen(o->scenario); c++) {
        *c = *c == ' ' ? '\x01' : *c;
    }
    /* From column 0, continued at column 2 (starting "at" column 2 leaves the first line so). */
    options_put_wrapped(stdout, line, 2, 2, width);
    snprintf(line, sizeof line, "a run needs %s", need);
    putchar('\n');
    options_put_wrapped(stdout, line, 2, 2, width);
    fputs("\n\n", stdout);
    /* A table while the origins have a column of 24 or more; below that, one row a key. */
    int from_col = wk + wv + wu + 6;
    bool is_table = from_col + (wf < 24 ? wf : 24) <= width;
    if (is_table) {
        struct row head = {"key", "value", "unit", "from"};
        print_row(&head, wk, wv, wu, width, true);
    } else {
        printf("%-*s  value and unit\n    from\n", wk + 2 <= width - 28 ? wk : 0, "key");
    }
    for (size_t i = 0; i < rows.n; i++) {
        struct row *row = &rows.v[i];
        print_row(row, wk, wv, wu, width, is_table);
        free(row->key);
        free(row->value);
        free(row->unit);
        free(row->from);
    }
    free(rows.v);
    print_uncertain(r, width);
}

int cmd_check(int argc, char **argv)
{
    struct run_opts o = {.cmd = "check"};
    struct setup s;
    struct runner r;
    int rc = parse_run(argc, argv, &o);

    if (rc != 0) {
        return rc;
    }
    setup_init(&s, &o, "scenarios");
    struct variant v = {.label = o.scenario, .path = o.scenario};
    rc = runner_load(&r, &s.spec, &v, 1);
    if (rc == 0) {
        print_check(&o, &r);
    }
    runner_fini(&r);
    setup_fini(&s);
    return rc;
}
