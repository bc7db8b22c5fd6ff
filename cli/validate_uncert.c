/* validate --free: the uncertainty of the fitted mechanism parameters (their approximate 95%
 * intervals and whether the training rows identify them, analysis/calibrate.h) and every row
 * of the table across those intervals (validate_int.h). */
#include "cli/validate_int.h"

/* A row's estimate on the scale its misfit is counted on: the log for a ratio. */
static double on_fit_scale(const struct validate_row *row, double x)
{
    bool ratio = row->kind == VALIDATE_RR || row->kind == VALIDATE_OR;
    return ratio ? (x > 0 ? log(x) : NAN) : x;
}

/* The fit's evaluation, with the training rows' estimates on the scale of their misfit, so that
 * calib_uncertainty() reads errors in half-widths as the fit's objective counts them. */
static double uncert_eval(void *vctx, const double *params, double *means)
{
    struct vcmd_fit *k = vctx;
    double f = vcmd_fit_eval(k, params, means);
    for (int i = 0, j = 0; i < k->vt->n_rows; i++) {
        if (k->in_fit[i]) {
            means[j] = on_fit_scale(&k->vt->rows[i], means[j]);
            j++;
        }
    }
    return f;
}

int vcmd_uncertainty(struct vcmd_fit *k, const struct calib_result *best, struct folder *f,
                     struct calib_uncert *u)
{
    struct calib_target t[CALIB_MAX_TARGETS];
    struct calib_result b = *best;
    int n = 0;

    for (int i = 0; i < k->vt->n_rows && n < CALIB_MAX_TARGETS; i++) {
        const struct validate_row *row = &k->vt->rows[i];
        if (!k->in_fit[i]) {
            continue;
        }
        t[n] = (struct calib_target){
            .value = on_fit_scale(row, row->point),
            .lo = on_fit_scale(row, row->lo),
            .hi = on_fit_scale(row, row->hi),
            .fit = true,
        };
        t[n].scale = (t[n].hi - t[n].lo) / 2;
        snprintf(t[n].metric, sizeof t[n].metric, "%.250s", row->label);
        b.means[n] = on_fit_scale(row, best->means[n]);
        b.se[n] = NAN; /* the published interval is the target's uncertainty */
        n++;
    }
    k->predict = -1;
    if (calib_uncertainty(k->free_, k->o->n_frees, t, n, uncert_eval, k, &b, u) != 0) {
        fprintf(stderr, "ccsim: validate: the sensitivity of the training rows to the free "
                        "parameters could not be measured at every point\n");
        return CCSIM_ERUN;
    }
    printf("uncertainty of the fitted parameters (approximate 95%% intervals from the training "
           "rows' published intervals, condition number %.3g):\n",
           u->condition);
    for (int i = 0; i < k->o->n_frees; i++) {
        printf("  %s = %.4g (%.4g to %.4g)%s\n", k->free_[i].key, best->params[i], u->ci_lo[i],
               u->ci_hi[i], u->problem[i] ? ", not identified" : "");
    }
    calib_uncert_warn(u, k->free_, stdout, "warning: ", "  ");
    calib_uncert_warn(u, k->free_, stderr, "ccsim: validate: warning: ", "  ");
    if (!k->o->outdir) {
        return 0;
    }
    char path[4096];
    FILE *csv = fopen(folder_file(f, "params.csv", path, sizeof path), "w");
    if (!csv) {
        return results_wrote(f, -errno, path);
    }
    calib_uncert_write_csv(csv, u, k->free_, best);
    return results_wrote(f, fclose(csv) != 0 ? -errno : 0, path);
}

int vcmd_across(struct vcmd_fit *k, struct setup *s, const struct calib_result *best,
                const struct calib_uncert *u, const struct validate_status *st, struct folder *f)
{
    int n_rows = k->vt->n_rows, n = k->sf->n, n_free = k->o->n_frees, rc = 0;
    int n_pts = 2 * n_free;
    double *at = xcalloc((size_t)(n_pts * n_rows), sizeof *at);
    struct variant *v = xcalloc((size_t)n, sizeof *v);
    char(*labels)[4200] = xcalloc((size_t)n, sizeof *labels);
    struct validate_status *one = xcalloc((size_t)n_rows, sizeof *one);
    char assign[CALIB_MAX][512];
    struct override ov[CALIB_MAX];

    /* Each parameter at each end of its interval, the others at their fitted values. */
    for (int p = 0; rc == 0 && p < n_pts; p++) {
        double params[CALIB_MAX];
        memcpy(params, best->params, sizeof params);
        params[p / 2] = p % 2 ? u->ci_hi[p / 2] : u->ci_lo[p / 2];
        vcmd_fit_variants(k, params, p % 2 ? "interval high end" : "interval low end", v, labels,
                          assign, ov);
        struct runner r;
        struct runner_spec spec = s->spec;
        spec.progress = RUNNER_PROGRESS_NONE;
        spec.budget = RUNNER_BUDGET_NONE;
        spec.outdir = NULL;
        spec.warnings = NULL;
        spec.msgs = NULL;
        rc = runner_load(&r, &spec, v, n);
        if (rc == 0) {
            rc = runner_run(&r);
        }
        if (rc == 0) {
            vcmd_outcomes(&r, k->vt, k->sf, one, NULL);
            for (int i = 0; i < n_rows; i++) {
                at[p * n_rows + i] = one[i].out.point;
            }
        }
        runner_fini(&r);
    }
    char path[4096];
    FILE *csv = NULL;
    if (rc == 0 && k->o->outdir &&
        !(csv = fopen(folder_file(f, "across.csv", path, sizeof path), "w"))) {
        rc = results_wrote(f, -errno, path);
    }
    if (rc == 0) {
        printf("\neach row across the fitted parameters' intervals (each parameter at each end, "
               "the others fitted):\n\n%-62s %-10s %-12s %-24s %s\n",
               "published effect", "published", "fitted", "across the intervals", "verdict");
        if (csv) {
            fputs("row,kind,published,published_low,published_high,fitted,lowest,highest,"
                  "passes_at,points",
                  csv);
            for (int p = 0; p < n_pts; p++) {
                fprintf(csv, ",%s at %s", k->free_[p / 2].key, p % 2 ? "ci_high" : "ci_low");
            }
            fputc('\n', csv);
        }
    }
    for (int i = 0; rc == 0 && i < n_rows; i++) {
        const struct validate_row *row = &k->vt->rows[i];
        double lo = st[i].out.point, hi = lo;
        int passes = st[i].out.pass;
        for (int p = 0; p < n_pts; p++) {
            double x = at[p * n_rows + i];
            lo = isnan(x) || x < lo ? x : lo;
            hi = isnan(x) || x > hi ? x : hi;
            passes += x >= row->lo && x <= row->hi;
        }
        const char *verdict = passes == n_pts + 1 ? "pass throughout"
                              : passes == 0       ? "FAIL throughout"
                                                  : "depends on the parameters";
        char range[64];
        snprintf(range, sizeof range, "%.3g to %.3g", lo, hi);
        printf("%-62s %-10.3g %-12.3g %-24s %s\n", row->label, row->point, st[i].out.point, range,
               verdict);
        if (csv) {
            csv_field(csv, row->label);
            fprintf(csv, ",%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%d,%d", validate_kind_name(row->kind),
                    row->point, row->lo, row->hi, st[i].out.point, lo, hi, passes, n_pts + 1);
            for (int p = 0; p < n_pts; p++) {
                fprintf(csv, ",%.6g", at[p * n_rows + i]);
            }
            fputc('\n', csv);
        }
    }
    if (csv) {
        int wrc = results_wrote(f, fclose(csv) != 0 ? -errno : 0, path);
        rc = rc != 0 ? rc : wrc;
    }
    free(one);
    free(labels);
    free(v);
    free(at);
    return rc;
}
