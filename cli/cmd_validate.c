/* validate: published effects against simulated ones. */
#include "cli/validate_int.h"

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

void vcmd_scenarios_init(struct vcmd_scenarios *sf, const struct validate_table *vt,
                         const char *dir)
{
    int max = 2 * vt->n_rows;
    sf->files = xcalloc((size_t)max, sizeof *sf->files);
    sf->paths = xcalloc((size_t)max, sizeof *sf->paths);
    sf->n = 0;
    for (int i = 0; i < vt->n_rows; i++) {
        const char *pair[2] = {vt->rows[i].reference, vt->rows[i].treatment};
        for (int k = 0; k < 2; k++) {
            if (file_index(sf->files, sf->n, pair[k]) < 0) {
                snprintf(sf->paths[sf->n], sizeof sf->paths[sf->n], "%s/%s", dir, pair[k]);
                sf->files[sf->n++] = pair[k];
            }
        }
    }
}

void vcmd_scenarios_fini(struct vcmd_scenarios *sf)
{
    free(sf->files);
    free(sf->paths);
}

/* The simulated effect of every row from a run of the scenarios (their metrics checked). */
void vcmd_outcomes(const struct runner *r, const struct validate_table *vt,
                   const struct vcmd_scenarios *sf, struct validate_status *st, const bool *rows)
{
    long nreps = r->replications;
    /* Room for a slope's two metrics. */
    double *x = xcalloc((size_t)(2 * nreps), sizeof *x),
           *y = xcalloc((size_t)(2 * nreps), sizeof *y);
    for (int i = 0; i < vt->n_rows; i++) {
        const struct validate_row *row = &vt->rows[i];
        if (rows && !rows[i]) {
            continue;
        }
        int a = file_index(sf->files, sf->n, row->reference);
        int b = file_index(sf->files, sf->n, row->treatment);
        const char *metric[2] = {row->metric, row->metric_low};
        for (int h = 0; h < 2 && metric[h]; h++) {
            int ma = runner_metric(r, a, metric[h]), mb = runner_metric(r, b, metric[h]);
            for (long k = 0; k < nreps; k++) {
                x[h * nreps + k] = r->res[a].metrics[k * r->res[a].n_metrics + ma];
                y[h * nreps + k] = r->res[b].metrics[k * r->res[b].n_metrics + mb];
            }
        }
        st[i].row = row;
        validate_effect(row, x, y, nreps, &st[i].out);
    }
    free(x);
    free(y);
}

/* Every row's metric in both its scenarios, checked once they are loaded and before anything
 * runs; each problem printed. Returns 0 or CCSIM_EINPUT. */
int vcmd_check_metrics(const struct runner *r, const struct validate_table *vt,
                       const struct vcmd_scenarios *sf)
{
    int rc = 0;

    for (int i = 0; i < vt->n_rows; i++) {
        const struct validate_row *row = &vt->rows[i];
        const char *pair[2] = {row->reference, row->treatment};
        for (int k = 0; k < 4; k++) {
            const char *metric = k < 2 ? row->metric : row->metric_low;
            int a = file_index(sf->files, sf->n, pair[k % 2]);
            if (!metric || runner_metric(r, a, metric) >= 0) {
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
                    vt->t.path, row->line, pair[k % 2], metric, list);
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

/* An effect as printed: its kind, the estimate and the interval. */
void vcmd_effect_text(char *buf, size_t n, enum validate_kind kind, double point, double lo,
                      double hi)
{
    const char *name = kind == VALIDATE_MD_MONTH ? "MD/month" : validate_kind_name(kind);
    if (isnan(lo) || isnan(hi)) { /* one replication */
        snprintf(buf, n, "%s %.3g (no interval)", name, point);
    } else {
        snprintf(buf, n, "%s %.3g (%.3g to %.3g)", name, point, lo, hi);
    }
}

/* One row of validation.csv. */
static void csv_row(FILE *csv, const struct validate_status *s)
{
    const struct validate_row *row = s->row;
    csv_field(csv, row->label);
    fputc(',', csv);
    csv_field(csv, row->source);
    const double v[] = {row->point, row->lo, row->hi, s->out.point, s->out.lo, s->out.hi};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        fputc(',', csv);
        csv_number(csv, v[k]);
    }
    fprintf(csv, ",%s,%s,%s,", s->out.pass ? "pass" : "fail", validate_kind_name(row->kind),
            row->is_train ? "train" : "held-out");
    csv_field(csv, row->models[0] ? row->models : "NA");
    fputc('\n', csv);
}

/* The table on stdout, with the summary lines: the last says which rows fail, if any. Returns
 * how many fail. */
int vcmd_print_table(const struct runner *r, const struct run_opts *o,
                     const struct validate_status *st, int n_rows, const char *fitted)
{
    char pub[80], sim[80];
    int passed[2] = {0, 0}, rows[2] = {0, 0}; /* held-out, train */

    printf("validation: %ld replication%s, seed %llu, scenarios in %s%s\n\n", r->replications,
           r->replications == 1 ? "" : "s", (unsigned long long)r->seed, o->dir,
           fitted ? fitted : "");
    printf("%-62s %-34s %-34s %-8s %s\n", "published effect", "published (95% CI)",
           "simulated (95% CI)", "use", "result");
    for (int i = 0; i < n_rows; i++) {
        const struct validate_row *row = st[i].row;
        vcmd_effect_text(pub, sizeof pub, row->kind, row->point, row->lo, row->hi);
        vcmd_effect_text(sim, sizeof sim, row->kind, st[i].out.point, st[i].out.lo, st[i].out.hi);
        printf("%-62s %-34s %-34s %-8s %s\n", row->label, pub, sim,
               row->is_train ? "train" : "held-out", st[i].out.pass ? "pass" : "FAIL");
        rows[row->is_train]++;
        passed[row->is_train] += st[i].out.pass;
    }
    int n_fail = n_rows - passed[0] - passed[1];
    printf("\n%d of %d rows pass: %d of %d held-out rows, %d of %d training rows (see "
           "docs/validation.md for the reasons behind any failure)\n",
           passed[0] + passed[1], n_rows, passed[0], rows[0], passed[1], rows[1]);
    if (n_fail > 0) {
        printf("%d of %d rows FAIL: ", n_fail, n_rows);
        for (int i = 0, k = 0; i < n_rows; i++) {
            if (!st[i].out.pass) {
                printf("%s%s", k++ ? "; " : "", st[i].row->label);
            }
        }
        putchar('\n');
    }
    fflush(stdout);
    return n_fail;
}

/* validation.csv into the folder (with -o) and the status file (with --status). */
int vcmd_write_files(struct folder *f, const struct run_opts *o, const struct runner *r,
                     const struct validate_status *st, int n_rows)
{
    char path[4096];
    int rc = 0;

    if (o->outdir) {
        FILE *csv = fopen(folder_file(f, "validation.csv", path, sizeof path), "w");
        if (!csv) {
            return results_wrote(f, -errno, path);
        }
        fputs("row,source,published,published_low,published_high,simulated,simulated_low,"
              "simulated_high,result,kind,use,models\n",
              csv);
        for (int i = 0; i < n_rows; i++) {
            csv_row(csv, &st[i]);
        }
        rc = results_wrote(f, fclose(csv) != 0 ? -errno : 0, path);
    }
    if (rc == 0 && o->status_file && par_is_root()) {
        char date[16];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        int wrc =
            validate_status_write(o->status_file, st, n_rows, date, (unsigned long long)r->seed);
        if (wrc != 0) {
            fprintf(stderr, "ccsim: validate: %s: %s\n", o->status_file, ccsim_strerror(wrc));
            rc = CCSIM_EIO;
        }
    }
    return rc;
}

int cmd_validate(int argc, char **argv)
{
    /* A validation folder holds no file to draw from: no figures are attempted. */
    struct run_opts o = {.cmd = "validate", .reps = -1, .seed = -1, .no_plots = true};
    struct validate_table vt;
    struct vcmd_scenarios sf;
    char table_path[4096], err[1024];
    int n_operands = 0;

    int rc = options_parse(&cmd_spec_validate, argc, argv, &o, NULL, &n_operands);
    if (rc != 0) {
        return rc == OPTIONS_HELP ? 0 : rc;
    }
    rc = check_outdir(&o);
    if (rc != 0) {
        return rc;
    }
    char found[4096];
    o.dir = scenarios_folder_resolve(o.dir, found, sizeof found); /* run from any folder */
    snprintf(table_path, sizeof table_path, "%s/%s", o.dir, VALIDATE_TABLE);
    rc = validate_table_read(table_path, &vt, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "ccsim: validate: %s\n", err);
        return rc;
    }
    vcmd_scenarios_init(&sf, &vt, o.dir);
    struct setup s;
    struct vcmd_fit k = {.o = &o, .s = &s, .vt = &vt, .sf = &sf};
    rc = vcmd_fit_check(&k);
    if (rc != 0) {
        vcmd_scenarios_fini(&sf);
        validate_table_free(&vt);
        return rc;
    }
    struct variant *v = xcalloc((size_t)sf.n, sizeof *v);
    for (int i = 0; i < sf.n; i++) {
        v[i] = (struct variant){.label = sf.files[i], .path = sf.paths[i]};
    }
    struct validate_status *st = xcalloc((size_t)vt.n_rows, sizeof *st);
    struct runner r = {0};
    struct folder f = {0};
    int n_fail = 0;
    setup_init(&s, &o, "scenarios");
    s.spec.progress = RUNNER_PROGRESS_OVERALL;
    if (o.n_frees > 0) {
        rc = vcmd_fitted(&k, &s, &f, argc, argv, st, &n_fail);
        rc = results_end(&f, &o, &s, NULL, rc);
        goto out;
    }
    rc = runner_load(&r, &s.spec, v, sf.n);
    if (rc == 0) {
        rc = vcmd_check_metrics(&r, &vt, &sf);
    }
    if (rc == 0) {
        rc = results_begin(&f, &o, &r, argc, argv, o.dir);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (rc == 0) {
        vcmd_outcomes(&r, &vt, &sf, st, NULL);
        n_fail = vcmd_print_table(&r, &o, st, vt.n_rows, NULL);
        rc = vcmd_write_files(&f, &o, &r, st, vt.n_rows);
    }
    /* Nothing is printed after the table when the files are written: the verdict stays last. */
    rc = results_end(&f, &o, &s, &r, rc);
out:
    runner_fini(&r);
    setup_fini(&s);
    free(st);
    free(v);
    vcmd_scenarios_fini(&sf);
    validate_table_free(&vt);
    /* A row failing is the run's outcome, not an error: the folder is complete, and the status
     * says so (as ccsim calibrate does for a target missed). */
    return rc == 0 && n_fail > 0 ? CCSIM_EMISSED : rc;
}
