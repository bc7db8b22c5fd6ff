/*
 * diag — the problems found in a scenario or command line, collected before giving up, and
 * the warnings about it.
 *
 * Each problem is one line in GNU style: "file:line: key: what is wrong (what is allowed)".
 * Problems are kept in the order found, up to DIAG_MAX; later ones are counted, and
 * diag_print() says how many were left out. They print in file order, as warnings do.
 *
 * Warnings are kept beside the problems, the same way, in a list of their own: a warning says
 * that a value is legal but probably a mistake ("file:line: key: warning: 2 days is below the
 * plausible range ..."). Warnings never make a scenario invalid; diag_count() counts problems
 * only. They are recorded in the order the values are read, which is file order and the same
 * on every run.
 *
 * A struct diag owns its messages; diag_fini() frees them. Not for the event loop: it formats
 * strings.
 */
#ifndef CCSIM_SIM_DIAG_H
#define CCSIM_SIM_DIAG_H

#include <stdio.h>

#define DIAG_MAX 50

struct diag {
    char *msgs[DIAG_MAX];      /* problems, in the order found */
    char *msg_file[DIAG_MAX];  /* each problem's file (NULL: none) and line, to print them in */
    int msg_line[DIAG_MAX];    /* file order */
    int n;                     /* problems kept */
    int n_omitted;             /* problems beyond DIAG_MAX, counted only */
    char *warns[DIAG_MAX];     /* warnings, each "file:line: key: warning: ..." */
    char *warn_file[DIAG_MAX]; /* each warning's file (NULL: none) and line, to print them in */
    int warn_line[DIAG_MAX];   /* file order */
    int n_warns;               /* warnings kept */
    int n_warns_omitted;       /* warnings beyond DIAG_MAX, counted only */
};

void diag_init(struct diag *d);
void diag_fini(struct diag *d);

/* Records a problem. file may be NULL (then only the key is shown), line <= 0 omits the line,
 * key may be NULL. fmt is the description, in lower case, with the allowed values in
 * parentheses at the end. */
void diag_add(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Records a warning, with the same arguments as diag_add(); the text is shown after
 * "warning: ". The order of recording does not matter: warnings print in file order. A warning that
 * repeats one already kept (same location, key and text) is not kept again. */
void diag_warn(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Number of problems recorded, including omitted ones. */
static inline int diag_count(const struct diag *d)
{
    return d->n + d->n_omitted;
}

/* Number of warnings recorded, including omitted ones. */
static inline int diag_n_warnings(const struct diag *d)
{
    return d->n_warns + d->n_warns_omitted;
}

/* Prints one line per problem, in file order as diag_print_warnings() (a key that is not in
 * the file first and a check across keys later may find them in another order), then "... and
 * N more problems" if some were left out. */
void diag_print(const struct diag *d, FILE *out);

/* Prints one line per warning, in file order (files in the order first warned about, lines
 * ascending, warnings on one line in the order recorded), then those without a line (about
 * --set options) in the order recorded, then "... and N more warnings" if some
 * were left out. Prints nothing when there is none. Returns 0, or -errno when out fails. */
int diag_print_warnings(const struct diag *d, FILE *out);

#endif
