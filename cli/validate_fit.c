/* validate --free: the joint fit of free parameters on the training rows of the table, and
 * --leave-one-out (validate_int.h). */
#include "cli/validate_int.h"

/* Every scenario of the table with the free parameters at params (the same values in each),
 * after the command line's overrides: v[n], with assign and ov holding the overrides. */
void vcmd_fit_variants(const struct vcmd_fit *k, const double *params, const char *what,
                       struct variant *v, char (*labels)[4200], char (*assign)[512],
                       struct override *ov)
{
    for (int i = 0; i < k->o->n_frees; i++) {
        snprintf(assign[i], sizeof assign[i], "%.255s=%.17g", k->free_[i].key, params[i]);
        ov[i] = (struct override){assign[i], what ? "validate --free (an end of its range)"
                                                  : "validate --free (fitted)"};
    }
    for (int j = 0; j < k->sf->n; j++) {
        const char *label = k->sf->files[j];
        if (what) {
            snprintf(labels[j], sizeof labels[j], "%s (%s)", k->sf->files[j], what);
            label = labels[j];
        }
        v[j] = (struct variant){
            .label = label, .path = k->sf->paths[j], .own = ov, .n_own = k->o->n_frees};
    }
}

/* The objective at params: over the rows of the fit, the sum of squared misfits in half-widths
 * of the published interval (validate_misfit); NaN when the point cannot be loaded or run or a
 * row's effect is undefined there. means gets the fitted rows' simulated estimates. Every
 * evaluation runs the same seed and replications; it prints nothing. */
double vcmd_fit_eval(void *vctx, const double *params, double *means)
{
    struct vcmd_fit *k = vctx;
    int n_rows = k->vt->n_rows, n_all = k->sf->n;
    char assign[CALIB_MAX][512];
    struct override ov[CALIB_MAX];
    struct variant *all = xcalloc((size_t)n_all, sizeof *all);
    struct variant *v = xcalloc((size_t)n_all, sizeof *v);
    struct validate_status *st = xcalloc((size_t)n_rows, sizeof *st);
    bool *rows = xcalloc((size_t)n_rows, sizeof *rows),
         *need = xcalloc((size_t)n_all, sizeof *need);
    struct vcmd_scenarios sub = {
        .files = xcalloc((size_t)n_all, sizeof *sub.files),
        .paths = NULL,
        .n = 0,
    };
    struct runner_spec spec = k->s->spec;
    struct runner r;
    double f = NAN;

    /* Only the scenarios of the rows evaluated: those of the fit, and the row predicted. */
    vcmd_fit_variants(k, params, NULL, all, NULL, assign, ov);
    for (int i = 0; i < n_rows; i++) {
        rows[i] = k->in_fit[i] || i == k->predict;
        for (int j = 0; rows[i] && j < n_all; j++) {
            need[j] |= strcmp(k->sf->files[j], k->vt->rows[i].reference) == 0 ||
                       strcmp(k->sf->files[j], k->vt->rows[i].treatment) == 0;
        }
    }
    for (int j = 0; j < n_all; j++) {
        if (need[j]) {
            v[sub.n] = all[j];
            sub.files[sub.n++] = k->sf->files[j];
        }
    }
    spec.progress = RUNNER_PROGRESS_NONE;
    spec.budget = RUNNER_BUDGET_NONE;
    spec.outdir = NULL;
    spec.warnings = NULL;
    spec.msgs = NULL;
    if (runner_load(&r, &spec, v, sub.n) == 0 && runner_run(&r) == 0) {
        vcmd_outcomes(&r, k->vt, &sub, st, rows);
        f = 0;
        for (int i = 0, j = 0; i < n_rows; i++) {
            if (k->in_fit[i]) {
                double m = validate_misfit(st[i].row, st[i].out.point);
                means[j++] = st[i].out.point;
                f += m * m;
            }
        }
    }
    /* The same rule as calib_run's for its best point, so that the two agree. */
    if (!isnan(f) && (isnan(k->best_f) || f < k->best_f)) {
        k->best_f = f;
        memcpy(k->best, st, (size_t)n_rows * sizeof *st);
    }
    runner_fini(&r);
    free((void *)sub.files);
    free(need);
    free(rows);
    free(st);
    free(v);
    free(all);
    return f;
}

/* Fits the free parameters on the rows of in_fit: best gets calib_run's result, k->best every
 * row's outcome there. log (may be NULL) gets a line per evaluation. Returns 0 or CCSIM_ERUN. */
static int fit_rows(struct vcmd_fit *k, const bool *in_fit, struct calib_result *best, FILE *log)
{
    k->in_fit = in_fit;
    k->n_fit = 0;
    for (int i = 0; i < k->vt->n_rows; i++) {
        k->n_fit += in_fit[i];
    }
    k->best_f = NAN;
    int rc = calib_run(k->free_, k->o->n_frees, k->n_fit, vcmd_fit_eval, k, (int)k->o->max_iter,
                       1e-3, best, log);
    if (rc != 0) {
        fprintf(stderr, "ccsim: validate: no point of the free ranges could be evaluated\n");
        return CCSIM_ERUN;
    }
    return 0;
}

/* The free parameters, the training rows and the options that need them checked before
 * anything runs. Returns 0 or CCSIM_EINPUT / CCSIM_EUSAGE, each problem printed. */
int vcmd_fit_check(struct vcmd_fit *k)
{
    char err[1024];
    int n_train = 0;

    if (k->o->is_loo && k->o->n_frees == 0) {
        fprintf(stderr, "ccsim: validate: --leave-one-out needs at least one --free "
                        "KEY=LOW:HIGH\n(see 'ccsim validate --help')\n");
        return CCSIM_EUSAGE;
    }
    for (int i = 0; i < k->o->n_frees; i++) {
        if (!calib_parse_free(k->o->frees[i], &k->free_[i], err, sizeof err)) {
            fprintf(stderr, "ccsim: %s\n(see 'ccsim validate --help')\n", err);
            return CCSIM_EINPUT;
        }
    }
    for (int i = 0; i < k->vt->n_rows; i++) {
        n_train += k->vt->rows[i].is_train;
    }
    if (k->o->n_frees > 0 && n_train == 0) {
        fprintf(stderr,
                "ccsim: validate: %s: no row has use 'train', so there is nothing to fit the "
                "free parameters to (mark the rows of the fit 'train')\n",
                k->vt->t.path);
        return CCSIM_EINPUT;
    }
    if (k->o->n_frees > 0 && n_train > CALIB_MAX_TARGETS) {
        fprintf(stderr, "ccsim: validate: %s: %d training rows, at most %d can be fitted\n",
                k->vt->t.path, n_train, CALIB_MAX_TARGETS);
        return CCSIM_EINPUT;
    }
    return 0;
}

/* Every scenario at both ends of the free ranges, loaded and checked (with every row's metric)
 * before fitting; r keeps them for the manifest. */
static int fit_check_ends(const struct vcmd_fit *k, struct runner *r, struct variant *v,
                          char (*labels)[4200], char (*assign)[CALIB_MAX][512],
                          struct override (*ov)[CALIB_MAX])
{
    double lo[CALIB_MAX], hi[CALIB_MAX];
    struct runner_spec spec = k->s->spec;
    int n = k->sf->n;

    for (int i = 0; i < k->o->n_frees; i++) {
        lo[i] = k->free_[i].lo;
        hi[i] = k->free_[i].hi;
    }
    vcmd_fit_variants(k, lo, "low end", v, labels, assign[0], ov[0]);
    vcmd_fit_variants(k, hi, "high end", v + n, labels + n, assign[1], ov[1]);
    spec.budget = RUNNER_BUDGET_NONE;
    int rc = runner_load(r, &spec, v, 2 * n);
    return rc == 0 ? vcmd_check_metrics(r, k->vt, k->sf) : rc;
}

/* The fitted values: on stdout, and fitted.csv with -o. */
static int write_fitted(struct folder *f, const struct vcmd_fit *k, const struct calib_result *b)
{
    char path[4096];

    printf("fit of %d free parameter%s on %d training row%s: %s after %d iterations (%d "
           "evaluations), sum of squared misfits %.4g\n",
           k->o->n_frees, k->o->n_frees > 1 ? "s" : "", k->n_fit, k->n_fit > 1 ? "s" : "",
           b->converged ? "converged" : "stopped", b->iterations, b->evaluations, b->objective);
    for (int i = 0; i < k->o->n_frees; i++) {
        printf("  %s = %.6g (range %g to %g)\n", k->free_[i].key, b->params[i], k->free_[i].lo,
               k->free_[i].hi);
    }
    if (!k->o->outdir) {
        return 0;
    }
    FILE *csv = fopen(folder_file(f, "fitted.csv", path, sizeof path), "w");
    if (!csv) {
        return results_wrote(f, -errno, path);
    }
    fputs("key,value,low,high\n", csv);
    for (int i = 0; i < k->o->n_frees; i++) {
        csv_field(csv, k->free_[i].key);
        fprintf(csv, ",%.10g,%.10g,%.10g\n", b->params[i], k->free_[i].lo, k->free_[i].hi);
    }
    return results_wrote(f, fclose(csv) != 0 ? -errno : 0, path);
}

/* One row of the leave-one-out table. */
struct loo_row {
    struct validate_status pred; /* predicted from the fit without the row */
    int n_fit;                   /* training rows that fit used; 0: none left to fit */
    double params[CALIB_MAX];
};

/* For every row: a fit on the training rows other than it, and its effect predicted there (a
 * held-out row's fit is the main one, all_best and all_st). */
static int leave_one_out(struct vcmd_fit *k, const struct calib_result *all_best,
                         const struct validate_status *all_st, struct loo_row *loo)
{
    int n_rows = k->vt->n_rows, rc = 0;
    bool *in_fit = xcalloc((size_t)n_rows, sizeof *in_fit);

    for (int i = 0; rc == 0 && i < n_rows; i++) {
        const struct validate_row *row = &k->vt->rows[i];
        loo[i].pred = all_st[i];
        memcpy(loo[i].params, all_best->params, sizeof loo[i].params);
        loo[i].n_fit = k->n_fit;
        if (!row->is_train) {
            continue;
        }
        for (int j = 0; j < n_rows; j++) {
            in_fit[j] = k->vt->rows[j].is_train && j != i;
        }
        struct vcmd_fit one = *k;
        struct calib_result best;
        one.predict = i;
        one.best = xcalloc((size_t)n_rows, sizeof *one.best);
        loo[i].n_fit = 0;
        for (int j = 0; j < n_rows; j++) {
            loo[i].n_fit += in_fit[j];
        }
        if (loo[i].n_fit == 0) {
            /* Nothing else to fit on: no prediction. */
            loo[i].pred.out = (struct validate_outcome){NAN, NAN, NAN, false};
            for (int p = 0; p < CALIB_MAX; p++) {
                loo[i].params[p] = NAN;
            }
        } else if ((rc = fit_rows(&one, in_fit, &best, NULL)) == 0) {
            loo[i].pred = one.best[i];
            memcpy(loo[i].params, best.params, sizeof loo[i].params);
        }
        free(one.best);
    }
    free(in_fit);
    return rc;
}

/* The leave-one-out table on stdout, and loo.csv with -o. */
static int write_loo(struct folder *f, const struct vcmd_fit *k, const struct loo_row *loo)
{
    char path[4096], pub[80], sim[80];
    FILE *csv = NULL;
    int n_rows = k->vt->n_rows;

    if (k->o->outdir && !(csv = fopen(folder_file(f, "loo.csv", path, sizeof path), "w"))) {
        return results_wrote(f, -errno, path);
    }
    printf("leave-one-out: each training row predicted from a fit on the other training rows "
           "(a held-out row from the fit on all of them)\n\n");
    printf("%-62s %-34s %-34s %-8s %s\n", "published effect", "published (95% CI)",
           "predicted (95% CI)", "use", "result");
    if (csv) {
        fputs("row,use,kind,published,published_low,published_high,predicted,predicted_low,"
              "predicted_high,result,fitted_on",
              csv);
        for (int p = 0; p < k->o->n_frees; p++) {
            fputc(',', csv);
            csv_field(csv, k->free_[p].key);
        }
        fputc('\n', csv);
    }
    for (int i = 0; i < n_rows; i++) {
        const struct validate_row *row = &k->vt->rows[i];
        const struct validate_outcome *out = &loo[i].pred.out;
        vcmd_effect_text(pub, sizeof pub, row->kind, row->point, row->lo, row->hi);
        if (loo[i].n_fit == 0) {
            snprintf(sim, sizeof sim, "no other training row");
        } else {
            vcmd_effect_text(sim, sizeof sim, row->kind, out->point, out->lo, out->hi);
        }
        const char *result = loo[i].n_fit == 0 ? "-" : out->pass ? "pass" : "FAIL";
        printf("%-62s %-34s %-34s %-8s %s\n", row->label, pub, sim,
               row->is_train ? "train" : "held-out", result);
        if (!csv) {
            continue;
        }
        csv_field(csv, row->label);
        fprintf(csv, ",%s,%s", row->is_train ? "train" : "held-out", validate_kind_name(row->kind));
        const double v[] = {row->point, row->lo, row->hi, out->point, out->lo, out->hi};
        for (size_t c = 0; c < sizeof v / sizeof v[0]; c++) {
            fputc(',', csv);
            csv_number(csv, v[c]);
        }
        fprintf(csv, ",%s,%d",
                loo[i].n_fit == 0 ? "NA"
                : out->pass       ? "pass"
                                  : "fail",
                loo[i].n_fit);
        for (int p = 0; p < k->o->n_frees; p++) {
            fputc(',', csv);
            csv_number(csv, loo[i].params[p]);
        }
        fputc('\n', csv);
    }
    putchar('\n');
    return csv ? results_wrote(f, fclose(csv) != 0 ? -errno : 0, path) : 0;
}

/* evaluations.csv (with -o): a row per evaluation of the main fit. */
static FILE *open_log(struct folder *f, const struct vcmd_fit *k)
{
    char path[4096];

    if (!k->o->outdir) {
        return NULL;
    }
    FILE *log = fopen(folder_file(f, "evaluations.csv", path, sizeof path), "w");
    if (log) {
        fputs("evaluation", log);
        for (int i = 0; i < k->o->n_frees; i++) {
            fputc(',', log);
            csv_field(log, k->free_[i].key);
        }
        for (int i = 0; i < k->vt->n_rows; i++) {
            if (k->vt->rows[i].is_train) {
                fputc(',', log);
                csv_field(log, k->vt->rows[i].label);
            }
        }
        fputs(",objective\n", log);
    }
    return log;
}

/* ccsim validate --free: the fit on the training rows, the leave-one-out predictions with
 * --leave-one-out, then every row at the fitted values (run again, for the folder's manifest
 * and the progress bar). *n_fail gets the rows failing there. */
int vcmd_fitted(struct vcmd_fit *k, struct setup *s, struct folder *f, int argc, char **argv,
                struct validate_status *st, int *n_fail)
{
    const struct run_opts *o = k->o;
    int n = k->sf->n, n_rows = k->vt->n_rows;
    struct variant *v = xcalloc((size_t)(2 * n), sizeof *v);
    char(*labels)[4200] = xcalloc((size_t)(2 * n), sizeof *labels);
    char assign[2][CALIB_MAX][512];
    struct override ov[2][CALIB_MAX];
    struct runner ends, r = {0};
    struct calib_result best;
    bool *in_fit = xcalloc((size_t)n_rows, sizeof *in_fit);
    struct loo_row *loo = xcalloc((size_t)n_rows, sizeof *loo);

    k->best = xcalloc((size_t)n_rows, sizeof *k->best);
    k->predict = -1;
    int rc = fit_check_ends(k, &ends, v, labels, assign, ov);
    if (rc == 0) {
        rc = results_begin(f, o, &ends, argc, argv, o->dir);
    }
    runner_fini(&ends);
    if (rc == 0) {
        for (int i = 0; i < n_rows; i++) {
            in_fit[i] = k->vt->rows[i].is_train;
        }
        FILE *log = open_log(f, k);
        rc = fit_rows(k, in_fit, &best, log);
        if (log && fclose(log) != 0 && rc == 0) {
            rc = CCSIM_EIO;
        }
    }
    struct calib_uncert u;
    if (rc == 0) {
        /* The fitted point, run again with the usual reporting. */
        vcmd_fit_variants(k, best.params, NULL, v, labels, assign[0], ov[0]);
        rc = runner_load(&r, &s->spec, v, n);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    if (rc == 0) {
        f->m.seed = r.seed;
        f->m.replications = r.replications;
        f->m.n_events = r.n_events;
        vcmd_outcomes(&r, k->vt, k->sf, st, NULL);
        rc = write_fitted(f, k, &best);
    }
    if (rc == 0) {
        rc = vcmd_uncertainty(k, &best, f, &u);
    }
    if (rc == 0) {
        rc = vcmd_across(k, s, &best, &u, st, f);
        putchar('\n');
    }
    /* Each training row from a fit on the others (the evaluations of a fit run only the
     * scenarios of its rows); a held-out row's prediction is the fitted table's. */
    if (rc == 0 && o->is_loo) {
        rc = leave_one_out(k, &best, st, loo);
    }
    if (rc == 0 && o->is_loo) {
        rc = write_loo(f, k, loo);
    }
    if (rc == 0) {
        char fitted[64];
        snprintf(fitted, sizeof fitted, ", at the fitted values");
        *n_fail = vcmd_print_table(&r, o, st, n_rows, fitted);
        rc = vcmd_write_files(f, o, &r, st, n_rows);
    }
    runner_fini(&r);
    free(k->best);
    free(loo);
    free(in_fit);
    free(labels);
    free(v);
    return rc;
}
