/* folder — a results folder from begin to commit (see folder.h). */
#include "analysis/folder.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/par.h"
#include "analysis/plot.h"
#include "analysis/report.h"
#include "sim/error.h"

/* Under MPI only rank 0 has a folder (analysis/par.h): the other ranks go through the same steps,
 * so that every rank takes the same path, but their files go to /dev/null, and rank 0's outcome
 * of creating the folder is every rank's. */
int folder_begin(struct folder *f, const char *dest, bool force)
{
    int rc = 0;

    f->is_open = false;
    if (par_is_root() && outdir_begin(&f->od, dest, force, f->err, sizeof f->err) != 0) {
        rc = CCSIM_EIO;
    }
    rc = par_root_int(rc);
    if (rc != 0) {
        if (!par_is_root()) {
            snprintf(f->err, sizeof f->err, "%s: rank 0 could not create the results folder", dest);
        }
        return rc;
    }
    f->is_open = true;
    return 0;
}

const char *folder_file(struct folder *f, const char *name, char *buf, size_t n)
{
    if (!par_is_root()) {
        snprintf(buf, n, "/dev/null");
        return buf;
    }
    return outdir_file(&f->od, name, buf, n);
}

int folder_wrote(struct folder *f, int rc, const char *path)
{
    if (rc == 0) {
        return 0;
    }
    snprintf(f->err, sizeof f->err, "%s: %s", path, ccsim_strerror(rc));
    return CCSIM_EIO;
}

int folder_write_resolved(struct folder *f, const char *name, const struct cfg *c,
                          const char *scenario)
{
    char path[4096], header[8192], abs[PATH_MAX];
    FILE *out = fopen(folder_file(f, name, path, sizeof path), "w");

    if (!out) {
        return folder_wrote(f, -errno, path);
    }
    if (realpath(scenario, abs)) {
        scenario = abs;
    }
    snprintf(header, sizeof header,
             "The scenario %s as ccsim %s ran it: base files, @include and command-line\n"
             "overrides resolved, every default filled in. Each value's origin follows it.\n"
             "Run it again with: ccsim run <this file>\n",
             scenario, CCSIM_VERSION);
    int rc = cfg_write(c, out, header);
    if (fclose(out) != 0 && rc == 0) {
        rc = -errno;
    }
    return folder_wrote(f, rc, path);
}

int folder_commit(struct folder *f, const struct warnings *w)
{
    char path[4096];
    int rc = 0;

    if (!par_is_root()) {
        f->is_open = false;
        return 0;
    }
    if (!f->m.finished) {
        f->m.finished = time(NULL);
    }
    if (!f->m.ranks) {
        f->m.ranks = par_size();
    }
    if (w && w->n > 0) {
        rc = warnings_write(w, folder_file(f, "warnings.txt", path, sizeof path), f->err,
                            sizeof f->err);
    }
    if (rc == 0) {
        folder_file(f, "manifest.json", path, sizeof path);
        f->m.files = f->od.names;
        f->m.n_files = f->od.n_names;
        rc = folder_wrote(f, manifest_write(path, &f->m), path);
    }
    if (rc == 0 && outdir_commit(&f->od, f->err, sizeof f->err) != 0) {
        rc = CCSIM_EIO;
    }
    if (rc != 0) {
        folder_abort(f);
        return rc;
    }
    f->is_open = false;
    return 0;
}

void folder_abort(struct folder *f)
{
    if (f->is_open) {
        if (par_is_root()) {
            outdir_abort(&f->od);
        }
        f->is_open = false;
    }
}

static void on_signal(int sig)
{
    report_on_signal();
    plot_on_signal();
    outdir_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

void folder_install_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        sigaddset(&sa.sa_mask, sigs[i]);
    }
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigs[i] == SIGHUP && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(sigs[i], &sa, NULL);
    }
}
