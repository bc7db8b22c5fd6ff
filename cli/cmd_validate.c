/* validate: published effects against simulated ones. */
#include "cli/cli.h"

/* The index of file among the n files, or -1. */
static int file_index(const char *const *files, int n, const char *file)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(files[i], file) == 0) {
            return i;
        }
    }
    return -1;
}

/* One published effect against its simulated one: a line on stdout and a row of csv (when not
 * NULL). Returns 1 when it passes, 0 when not, or CCSIM_EINPUT when a scenario lacks the
 * metric. */
static int validate_one(const struct validate_row *row, const struct runner *r, int a, int b,
                        FILE *csv)
{
    int ma = runner_metric(r, a, row->metric), mb = runner_metric(r, b, row->metric);
    if (ma < 0 || mb < 0) {
        fprintf(stderr, "ccsim: validate: no metric %s in %s\n", row->metric,
                ma < 0 ? r->v[a].label : r->v[b].label);
        return CCSIM_EINPUT;
    }
    long nreps = r->replications;
    double *x = xcalloc((size_t)nreps, sizeof *x), *y = xcalloc((size_t)nreps, sizeof *y);
    for (long i = 0; i < nreps; i++) {
        x[i] = r->res[a].metrics[i * r->res[a].n_metrics + ma];
        y[i] = r->res[b].metrics[i * r->res[b].n_metrics + mb];
    }
    struct validate_outcome out;
    validate_effect(row, x, y, nreps, &out);
    free(x);
    free(y);
    char pub[64], sim[64];
    const char *kind = row->kind == VALIDATE_RR ? "RR" : "MD";
    if (row->rule == VALIDATE_NOT_BELOW) {
        snprintf(pub, sizeof pub, "%s >= %.3g (%.3g: %.3g-%.3g)", kind, row->lo, row->point,
                 row->lo, row->hi);
    } else {
        snprintf(pub, sizeof pub, "%s %.3g (%.3g to %.3g)", kind, row->point, row->lo, row->hi);
    }
    snprintf(sim, sizeof sim, "%s %.3g (%.3g to %.3g)", kind, out.point, out.lo, out.hi);
    printf("%-62s %-24s %-26s %s\n", row->label, pub, sim, out.pass ? "pass" : "FAIL");
    if (csv) {
        csv_field(csv, row->label);
        fputc(',', csv);
        csv_field(csv, row->source);
        fprintf(csv, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", row->point, row->lo, row->hi, out.point,
                out.lo, out.hi, out.pass ? "pass" : "fail");
    }
    return out.pass ? 1 : 0;
}

/* Every row's metric in both its scenarios, checked once they are loaded and before anything
 * runs; each problem printed. Returns 0 or CCSIM_EINPUT. */
static int check_metrics(const struct runner *r, const struct validate_table *vt,
                         const char *const *files, int n)
{
    int rc = 0;

    for (int i = 0; i < vt->n_rows; i++) {
        const struct validate_row *row = &vt->rows[i];
        const char *pair[2] = {row->reference, row->treatment};
        for (int k = 0; k < 2; k++) {
            int a = file_index(files, n, pair[k]);
            if (runner_metric(r, a, row->metric) >= 0) {
                continue;
            }
            /* The metrics it does report, the first of them when there are many. */
            char list[320];
            size_t len = 0;
            list[0] = '\0';
            for (int m = 0; m < r->sc[a]->n_metrics; m++) {
                const char *name = scenario_metric_name(r->sc[a], m);
                if (len + strlen(name) + 8 > sizeof list) {
                    snprintf(list + len, sizeof list - len, ", ...");
                    break;
                }
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", m ? ", " : "", name);
            }
            fprintf(stderr, "%s:%d: column 'metric': %s reports no metric '%s' (it reports %s)\n",
                    vt->t.path, row->line, pair[k], row->metric, list);
            rc = CCSIM_EINPUT;
        }
    }
    if (rc != 0) {
        fprintf(stderr,
                "ccsim: validate: the table %s names metrics its scenarios do not "
                "report; nothing was run\n",
                vt->t.path);
    }
    return rc;
}

/* Every row of the table: printed, and into validation.csv with -o. */
static int validate_all(struct folder *f, const struct run_opts *o, const struct runner *r,
                        const struct validate_table *vt, const char *const *files, int n)
{
    char path[4096];
    FILE *csv = NULL;

    if (o->outdir) {
        if (!(csv = fopen(folder_file(f, "validation.csv", path, sizeof path), "w"))) {
            return results_wrote(f, -errno, path);
        }
        fputs("row,source,published,published_low,published_high,simulated,simulated_low,"
              "simulated_high,result\n",
              csv);
    }
    printf("validation: %ld replications, seed %llu, scenarios in %s\n\n", r->replications,
           (unsigned long long)r->seed, o->dir);
    printf("%-62s %-24s %-26s %s\n", "published effect", "published (95% CI)", "simulated (95% CI)",
           "result");
    int passed = 0, rc = 0;
    for (int i = 0; rc == 0 && i < vt->n_rows; i++) {
        const struct validate_row *row = &vt->rows[i];
        int a = file_index(files, n, row->reference), b = file_index(files, n, row->treatment);
        int pass = validate_one(row, r, a, b, csv);
        rc = pass < 0 ? pass : 0;
        passed += pass > 0;
    }
    if (rc == 0) {
        printf("\n%d of %d rows pass (see docs/validation.md for the reasons behind any "
               "failure)\n",
               passed, vt->n_rows);
    }
    if (csv) {
        int wrc = results_wrote(f, fclose(csv) != 0 ? -errno : 0, path);
        rc = rc != 0 ? rc : wrc;
    }
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    /* A validation folder holds no file to draw from: no figures are attempted. */
    struct run_opts o = {.cmd = "validate", .reps = -1, .seed = -1, .no_plots = true};
    struct validate_table vt;
    char table_path[4096], err[1024];
    int n_operands = 0, n = 0;

    int rc = options_parse(&cmd_spec_validate, argc, argv, &o, NULL, &n_operands);
    if (rc != 0) {
        return rc == OPTIONS_HELP ? 0 : rc;
    }
    rc = check_outdir(&o);
    if (rc != 0) {
        return rc;
    }
    snprintf(table_path, sizeof table_path, "%s/%s", o.dir, VALIDATE_TABLE);
    rc = validate_table_read(table_path, &vt, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: validate: %s\n", err);
        return rc;
    }
    /* The distinct scenarios of the table, each loaded once, in the order the rows name them. */
    int max_files = 2 * vt.n_rows;
    const char **files = xcalloc((size_t)max_files, sizeof *files);
    char(*paths)[4096] = xcalloc((size_t)max_files, sizeof *paths);
    struct variant *v = xcalloc((size_t)max_files, sizeof *v);
    for (int i = 0; i < vt.n_rows; i++) {
        const char *pair[2] = {vt.rows[i].reference, vt.rows[i].treatment};
        for (int k = 0; k < 2; k++) {
            if (file_index(files, n, pair[k]) < 0) {
                snprintf(paths[n], sizeof paths[n], "%s/%s", o.dir, pair[k]);
                v[n] = (struct variant){.label = pair[k], .path = paths[n]};
                files[n++] = pair[k];
            }
        }
    }
    struct setup s;
    struct runner r;
    struct folder f = {0};
    setup_init(&s, &o, "scenarios");
    s.spec.progress = RUNNER_PROGRESS_OVERALL;
    rc = runner_load(&r, &s.spec, v, n);
    if (rc == 0) {
        rc = check_metrics(&r, &vt, files, n);
    }
    if (rc == 0) {
        rc = results_begin(&f, &o, &r, argc, argv, o.dir);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (rc == 0) {
        rc = validate_all(&f, &o, &r, &vt, files, n);
    }
    rc = results_end(&f, &o, &s, &r, rc);
    runner_fini(&r);
    setup_fini(&s);
    free(v);
    free(paths);
    free(files);
    validate_table_free(&vt);
    return rc;
}
