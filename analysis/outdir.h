/*
 * outdir — a results folder written completely or not at all.
 *
 * outdir_begin() creates a temporary folder beside the destination, named
 * ".NAME.ccsim-partial-PID", into which the caller writes every file; outdir_commit() renames it
 * to the destination in one step; outdir_abort() removes it. An existing destination is refused
 * unless force is set, in which case it is replaced only at commit. Partial folders left by a
 * killed run are recognisable by name; outdir_begin() removes those whose process is gone.
 *
 * Missing parent folders of the destination are created by outdir_begin() (never by
 * outdir_check(), so a refused run leaves nothing behind).
 *
 * Functions return 0 or a negative errno, and fill err with a one-line reason for the user.
 */
#ifndef CCSIM_ANALYSIS_OUTDIR_H
#define CCSIM_ANALYSIS_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct outdir {
    char *dest; /* the folder the user asked for */
    char *tmp;  /* where files are written until commit */
    bool force;
};

/* Checks, before any work, that dest could be written: refused if it exists (without force) or
 * its parent folder is missing. */
int outdir_check(const char *dest, bool force, char *err, size_t err_len);
/* Creates the temporary folder (after outdir_check's checks again). */
int outdir_begin(struct outdir *o, const char *dest, bool force, char *err, size_t err_len);
/* Path of a file inside the temporary folder; buf gets "tmp/name". The path is remembered for
 * outdir_on_signal() (at most OUTDIR_MAX_FILES files). */
#define OUTDIR_MAX_FILES 32
const char *outdir_file(const struct outdir *o, const char *name, char *buf, size_t n);
int outdir_commit(struct outdir *o, char *err, size_t err_len);
/* Removes the temporary folder and its files; safe to call after a failed begin. */
void outdir_abort(struct outdir *o);
/* For a SIGINT/SIGTERM handler: removes the files outdir_file() named and the temporary folder,
 * using only async-signal-safe calls. */
void outdir_on_signal(void);

#endif
