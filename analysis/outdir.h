/*
 * outdir — a results folder written completely or not at all, and never at the cost of
 * anything else.
 *
 * outdir_begin() takes a lock file ".NAME.ccsim-writing-XXXXXX.lock" beside the destination
 * (flock, held until commit or abort) and creates the temporary folder
 * ".NAME.ccsim-writing-XXXXXX" into which the caller writes every file; outdir_commit() moves it
 * to the destination in one step; outdir_abort() removes it. Debris of a run killed outright is
 * recognisable by name, and outdir_begin() removes it only when its lock is free: a live run's
 * folder is never taken, whatever host or PID namespace the run is in (the lock is on the file
 * system, not a process number).
 *
 * An existing destination is refused unless force is set. With force, only a folder that ccsim
 * wrote is replaced: a real folder (not a symbolic link) holding a manifest.json of ccsim's and
 * nothing but the files that manifest lists (plus figures/, report.html, report.pdf, which plot
 * and report add, and ccsim's own hidden temporaries); never a plain file, a link, a folder
 * holding other files, an input of the run (outdir_check_inputs()) or the working folder. The
 * replacement is one atomic exchange (renameat2 RENAME_EXCHANGE), then the old folder is
 * removed; where the file system cannot exchange, the old folder is first renamed to
 * ".NAME.ccsim-writing-XXXXXX.old", and a run that dies between the two renames has the old
 * results put back by the next run beside it.
 *
 * When the destination appears while a run writes (another run to the same -o), the results of
 * this run are not lost: they are moved to the first free "NAME-2", "NAME-3", ... and the error
 * says where.
 *
 * Missing parent folders of the destination are created by outdir_begin() (never by
 * outdir_check(), so a refused run leaves nothing behind).
 *
 * Functions return 0 or a code of sim/error.h (outdir_check and outdir_check_inputs:
 * CCSIM_EEXIST when the folder is in the way, CCSIM_EUSAGE for a name that cannot be a folder;
 * outdir_begin and outdir_commit: CCSIM_EIO), and fill err with a one-line reason for the user.
 */
#ifndef CCSIM_ANALYSIS_OUTDIR_H
#define CCSIM_ANALYSIS_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

struct outdir {
    char *dest; /* the folder the user asked for */
    char *tmp;  /* where files are written until commit */
    char *lock; /* the lock file beside it */
    int lock_fd;
    bool force;
    char **names; /* the files outdir_file() named, for the manifest */
    int n_names, cap_names;
};

/* Checks, before any work, that dest could be written: refused if it is a symbolic link
 * (dangling or not), exists (without force; with force, if it is not a results folder of
 * ccsim's as above), or its nearest existing parent is not a folder. */
int outdir_check(const char *dest, bool force, char *err, size_t err_len);
/* With force and an existing dest: refused when one of the n input files (scenario, base and
 * included files, data files) or the working folder lies inside dest. */
int outdir_check_inputs(const char *dest, const char *const *inputs, int n, char *err,
                        size_t err_len);
/* Takes the lock and creates the temporary folder (after outdir_check's checks again). */
int outdir_begin(struct outdir *o, const char *dest, bool force, char *err, size_t err_len);
/* Path of a file inside the temporary folder; buf gets "tmp/name". */
const char *outdir_file(struct outdir *o, const char *name, char *buf, size_t n);
/* Moves the temporary folder into place (see above) and releases the lock. */
int outdir_commit(struct outdir *o, char *err, size_t err_len);
/* Removes the temporary folder and its files; safe to call after a failed begin. */
void outdir_abort(struct outdir *o);
/* For a SIGINT/SIGTERM/SIGHUP handler: removes the temporary folder, whatever it holds, and the
 * lock file, using only async-signal-safe calls. */
void outdir_on_signal(void);

/* The folder beside dest where a run into dest keeps its finished replications until dest is
 * complete (analysis/unitstore.h): ".NAME.ccsim-units" in dest's parent, NAME being dest's last
 * component (cut to 160 characters). outdir_begin() never takes it for debris. The caller frees
 * the name. Cannot fail. */
char *outdir_units_folder(const char *dest);

/* Whether path is a results folder ccsim wrote (as --force requires); when not, why into err. */
bool outdir_is_results(const char *path, char *err, size_t err_len);

/* mkdir -p: dir and every folder above it that is missing (mode 0777 before the umask). Returns 0
 * or -errno. */
int outdir_make_folders(const char *dir);

#endif
