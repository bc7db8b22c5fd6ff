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
