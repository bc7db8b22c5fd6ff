/*
 * warnings — the warnings of the scenarios an experiment loads, each printed once and kept for
 * the results folder's warnings.txt.
 *
 * The variants of one experiment (a sweep's points, a comparison's scenarios sharing a base)
 * mostly repeat each other's warnings: a line already noted is neither printed nor kept again,
 * so the user and warnings.txt see each warning once, in the order the scenarios were loaded.
 *
 * Ownership: the lines are owned by the struct and freed by warnings_fini(). Not thread-safe;
 * scenarios are loaded on one thread.
 */
#ifndef CCSIM_ANALYSIS_WARNINGS_H
#define CCSIM_ANALYSIS_WARNINGS_H

#include <stdio.h>

#include "sim/cfg.h"

struct warnings {
    char **lines; /* distinct lines, in the order first seen */
    int n, cap;
};

/* An empty set of warnings; cannot fail. */
void warnings_init(struct warnings *w);
/* Frees every line; w is empty again. */
void warnings_fini(struct warnings *w);

/* Prints to out (when not NULL) each warning of the loaded c that is not in w yet, and keeps
 * it. Cannot fail (out of memory is fatal, as everywhere). */
void warnings_note(struct warnings *w, const struct cfg *c, FILE *out);

/* Writes every kept line to path (one a line). Returns 0, or CCSIM_EIO with "path: reason" in
 * err. */
int warnings_write(const struct warnings *w, const char *path, char *err, size_t err_len);

/* Splits the lines that print(ctx, FILE *) writes and calls fn(arg, line) on each (the
 * newline removed); the helper behind warnings_note(), also used to report each distinct
 * problem once. */
void warnings_each_line(void (*print)(const void *ctx, FILE *f), const void *ctx,
                        void (*fn)(void *arg, const char *line), void *arg);

/* Adds line to w unless it is there; returns true when it was new. */
bool warnings_add(struct warnings *w, const char *line);

#endif
