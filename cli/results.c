/* results — writing a results folder: manifest, resolved scenarios, rename into place,
 * figures. */
#include "cli/cli.h"

/* manifest.json, listing every file written into the folder (itself included). */
int write_manifest(struct outdir *od, struct manifest *m, char *path, size_t path_len)
{
    outdir_file(od, "manifest.json", path, path_len);
    m->files = od->names;
    m->n_files = od->n_names;
    return manifest_write(path, m);
}

/* scenario.resolved.cfg: the scenario as run, loadable again. Returns 0 or -errno. */
int write_resolved(const char *path, const struct cfg *c, const char *scenario)
{
    char header[8192];
    FILE *f = fopen(path, "w");

    if (!f) {
        return -errno;
    }
    char abs[PATH_MAX];
    if (realpath(scenario, abs)) {
        scenario = abs;
    }
    snprintf(header, sizeof header,
             "The scenario %s as ccsim %s ran it: base files, @include and command-line\n"
             "overrides resolved, every default filled in. Each value's origin follows it.\n"
             "Run it again with: ccsim run <this file>\n",
             scenario, CCSIM_VERSION);
    int rc = cfg_write(c, f, header);
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

int write_results(struct outdir *od, const struct run_opts *o, struct cfg *c,
                  const struct scenario *sc, const struct experiment_result *res,
                  struct manifest *m)
{
    char err[1024], path[4096];
    int rc;

    rc = csv_write_summary_flags(outdir_file(od, "summary.csv", path, sizeof path), sc, res,
                                 CSV_DESCRIBED);
    if (rc == 0) {
        rc =
            csv_write_replications(outdir_file(od, "replications.csv", path, sizeof path), sc, res);
    }
    if (rc == 0 && res->series) {
        rc = csv_write_timeseries_flags(outdir_file(od, "timeseries.csv", path, sizeof path), sc,
                                        res, CSV_DESCRIBED);
    }
    if (rc == 0) {
        rc = write_resolved(outdir_file(od, "scenario.resolved.cfg", path, sizeof path), c,
                            o->scenario);
    }
    if (rc == 0) {
        rc = write_warnings(od);
    }
    if (rc == 0) {
        rc = write_manifest(od, m, path, sizeof path);
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", path, strerror(-rc));
        return CCSIM_ERUN;
    }
    if (outdir_commit(od, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EIO;
    }
    return 0;
}

/* Draws the figures of a results folder just written. The results are complete whatever
 * happens here: a missing gnuplot or a failed figure is reported and the run still succeeds. */
void draw_after(const struct run_opts *o)
{
    char err[1024];
    if (!o->outdir || o->no_plots) {
        return;
    }
    int n = plot_folder(o->outdir, err, sizeof err);
    if (n < 0) {
        fprintf(stderr,
                "ccsim: no figures: %s; the results in %s are complete (draw them later "
                "with 'ccsim plot %s')\n",
                err, o->outdir, o->outdir);
    } else if (!o->is_quiet) {
        fprintf(stderr, "ccsim: %d figure%s in %s/figures (PNG, SVG, PDF)\n", n, n == 1 ? "" : "s",
                o->outdir);
    }
}

/* The end of a results folder whose own files are written (write_rc 0, or -errno for path):
 * the manifest, the rename into place and the figures; on any failure the partial folder is
 * removed. Returns 0 or CCSIM_EIO. */
int finish_results(struct outdir *od, const struct run_opts *o, struct manifest *m, int write_rc,
                   char *path, size_t path_len)
{
    char err[1024];
    int rc = write_rc;

    m->finished = time(NULL);
    if (rc == 0) {
        rc = write_warnings(od);
    }
    if (rc == 0) {
        rc = write_manifest(od, m, path, path_len);
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s: %s\n", path, strerror(-rc));
        outdir_abort(od);
        return CCSIM_EIO;
    }
    if (outdir_commit(od, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        outdir_abort(od);
        return CCSIM_EIO;
    }
    draw_after(o);
    return 0;
}
