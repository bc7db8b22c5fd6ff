/*
 * folder — the one sequence every command that writes a results folder follows.
 *
 *   folder_begin()           the temporary folder and its lock (analysis/outdir.h);
 *   folder_file(), writers   the command's own files, each checked with folder_wrote();
 *   folder_write_resolved()  each scenario as it ran, loadable again;
 *   folder_commit()          warnings.txt (when there are warnings), manifest.json listing
 *                            every file, then the rename into place: all or nothing;
 *   plot_folder()            the figures, drawn after the results are complete (by the caller).
 *
 * Any failure removes the partial folder (folder_commit() does so itself; after a failure
 * elsewhere the caller calls folder_abort()). folder_install_signals() makes SIGINT, SIGTERM
 * and SIGHUP remove whatever is half-written (a results folder, a drawing, a report).
 *
 * Functions return 0 or a code of sim/error.h and put a one-line reason ("PATH: reason") in
 * f->err. The struct is the caller's (on its stack); folder_commit() and folder_abort() release
 * everything it holds.
 */
#ifndef CCSIM_ANALYSIS_FOLDER_H
#define CCSIM_ANALYSIS_FOLDER_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/manifest.h"
#include "analysis/outdir.h"
#include "analysis/warnings.h"
#include "sim/cfg.h"

struct folder {
    struct outdir od;
    bool is_open;      /* between a successful begin and commit or abort */
    struct manifest m; /* filled by the caller; files (and finished, if 0) set at commit */
    char err[4400];    /* why the last call failed (a path and a reason) */
};

/* Takes the lock and creates the temporary folder for dest. Returns 0 or CCSIM_EIO. */
int folder_begin(struct folder *f, const char *dest, bool force);
/* The path of the file name inside the temporary folder, in buf; the file is listed in the
 * manifest. */
const char *folder_file(struct folder *f, const char *name, char *buf, size_t n);
/* The outcome rc (0 or -errno) of writing path: 0, or CCSIM_EIO with "path: reason". */
int folder_wrote(struct folder *f, int rc, const char *path);
/* name: the scenario of c (from the file scenario) as it ran, with a header saying so.
 * Returns 0 or CCSIM_EIO. */
int folder_write_resolved(struct folder *f, const char *name, const struct cfg *c,
                          const char *scenario);
/* warnings.txt (when w holds any), manifest.json, and the rename into place; on failure the
 * partial folder is removed. Returns 0 or CCSIM_EIO. */
int folder_commit(struct folder *f, const struct warnings *w);
/* Removes the partial folder; a no-op when none is open. */
void folder_abort(struct folder *f);

/* SIGINT, SIGTERM and SIGHUP: whatever is half-written goes, then the default action. A hang-up
 * ignored by whoever started ccsim (nohup) stays ignored. */
void folder_install_signals(void);

#endif
