/*
 * diag — the problems found in a scenario or command line, collected before giving up.
 *
 * Each problem is one line in GNU style: "file:line: key: what is wrong (what is allowed)".
 * Problems are kept in the order found, up to DIAG_MAX; later ones are counted, and
 * diag_print() says how many were left out. A struct diag owns its messages; diag_fini() frees
 * them. Not for the event loop: it formats strings.
 */
#ifndef CCSIM_SIM_DIAG_H
#define CCSIM_SIM_DIAG_H

#include <stdio.h>

#define DIAG_MAX 50

struct diag {
    char *msgs[DIAG_MAX];
    int n;         /* messages kept */
    int n_omitted; /* messages beyond DIAG_MAX, counted only */
};

void diag_init(struct diag *d);
void diag_fini(struct diag *d);

/* Records a problem. file may be NULL (then only the key is shown), line <= 0 omits the line,
 * key may be NULL. fmt is the description, in lower case, with the allowed values in
 * parentheses at the end. */
void diag_add(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Number of problems recorded, including omitted ones. */
static inline int diag_count(const struct diag *d)
{
    return d->n + d->n_omitted;
}

/* Prints one line per problem, then "... and N more problems" if some were left out. */
void diag_print(const struct diag *d, FILE *out);

#endif
