/*
 * validate_int — what the two files of `ccsim validate` share: cmd_validate.c (the table, its
 * run and its files) and validate_fit.c (the joint fit of --free parameters on the training rows,
 * and --leave-one-out). Internal to cli/.
 */
#ifndef CCSIM_CLI_VALIDATE_INT_H
#define CCSIM_CLI_VALIDATE_INT_H

#include "cli/cli.h"

/* The distinct scenarios of a table, each loaded once, in the order its rows name them. */
struct vcmd_scenarios {
    const char **files; /* as the table names them */
    char (*paths)[4096];
    int n;
};

/* The distinct scenarios of vt (their paths in dir); vcmd_scenarios_fini() frees them. */
void vcmd_scenarios_init(struct vcmd_scenarios *sf, const struct validate_table *vt,
                         const char *dir);
void vcmd_scenarios_fini(struct vcmd_scenarios *sf);
/* The simulated effect of every row (or of the rows flagged in rows, when not NULL: sf then need
 * hold only their scenarios) from a run r of the scenarios sf (their metrics checked) into
 * st[vt->n_rows]; a row not flagged is left as it is. Cannot fail. */
void vcmd_outcomes(const struct runner *r, const struct validate_table *vt,
                   const struct vcmd_scenarios *sf, struct validate_status *st, const bool *rows);
/* Every row's metric in both its scenarios, loaded in r; each problem printed. Returns 0 or
 * CCSIM_EINPUT. */
int vcmd_check_metrics(const struct runner *r, const struct validate_table *vt,
                       const struct vcmd_scenarios *sf);
/* "KIND POINT (LOW to HIGH)" into buf. */
void vcmd_effect_text(char *buf, size_t n, enum validate_kind kind, double point, double lo,
                      double hi);
/* The table of st on stdout with its summary lines, the last naming the failing rows; fitted
 * (may be NULL) follows the first line. Returns how many rows fail. */
int vcmd_print_table(const struct runner *r, const struct run_opts *o,
                     const struct validate_status *st, int n_rows, const char *fitted);
/* validation.csv into the folder f (with -o) and the status file (with --status). Returns 0 or
 * CCSIM_EIO, the problem printed. */
int vcmd_write_files(struct folder *f, const struct run_opts *o, const struct runner *r,
                     const struct validate_status *st, int n_rows);

/* A fit of the free parameters (validate_fit.c). */
struct vcmd_fit {
    const struct run_opts *o;
    const struct setup *s;
    const struct validate_table *vt;
    const struct vcmd_scenarios *sf;
    struct calib_free free_[CALIB_MAX];
    const bool *in_fit;           /* [n_rows]: the rows the objective sums */
    int predict;                  /* a row outside the fit also evaluated (leave-one-out), or -1 */
    int n_fit;                    /* how many */
    struct validate_status *best; /* [n_rows]: every row at the best evaluation */
    double best_f;                /* NaN before any */
};

/* The fit's objective at params (calib_eval_fn): only the scenarios of the rows evaluated (those
 * of the fit, and k->predict) are run; means gets the fit rows' estimates. */
double vcmd_fit_eval(void *vctx, const double *params, double *means);
/* Every scenario of the table with the free parameters at params (the same values in each),
 * labelled with what (NULL: fitted) when given: v[sf->n], assign and ov holding the overrides. */
void vcmd_fit_variants(const struct vcmd_fit *k, const double *params, const char *what,
                       struct variant *v, char (*labels)[4200], char (*assign)[512],
                       struct override *ov);
/* After a fit on the rows of k->in_fit: the parameters' approximate 95% intervals and whether the
 * rows identify them (calib_uncertainty(), on the rows' misfit scale), printed, the warning on
 * stdout and stderr, and params.csv with -o. Returns 0 or a code of sim/error.h. */
int vcmd_uncertainty(struct vcmd_fit *k, const struct calib_result *best, struct folder *f,
                     struct calib_uncert *u);
/* Every row with each free parameter at each end of its interval u (the others at best), beside
 * its estimate at the fitted values st: printed, and across.csv with -o. */
int vcmd_across(struct vcmd_fit *k, struct setup *s, const struct calib_result *best,
                const struct calib_uncert *u, const struct validate_status *st, struct folder *f);

/* The free parameters (parsed into k->free_), the training rows and --leave-one-out checked
 * before anything runs. Returns 0, CCSIM_EINPUT or CCSIM_EUSAGE, the problem printed. */
int vcmd_fit_check(struct vcmd_fit *k);
/* ccsim validate --free: checks every scenario at both ends of the free ranges, begins the
 * folder f, fits on the training rows (evaluations.csv), predicts each row with
 * --leave-one-out (loo.csv), then runs every row at the fitted values into st and prints and
 * writes them (fitted.csv, validation.csv, the status file). *n_fail gets the rows failing at
 * the fitted values. Returns 0 or a code of sim/error.h; the caller ends the folder. */
int vcmd_fitted(struct vcmd_fit *k, struct setup *s, struct folder *f, int argc, char **argv,
                struct validate_status *st, int *n_fail);

#endif
