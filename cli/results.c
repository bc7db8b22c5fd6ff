/* results — the results folder of a command, begun and ended (analysis/folder.h). */
#include "cli/cli.h"

/* What the store of kept replications found, for the user: with --resume, what is resumed;
 * without, that an interrupted run kept some that --resume would use. */
static void say_units(const struct run_opts *o, const struct unitstore *st)
{
    long n = unitstore_n_found(st);

    if (o->resume && n > 0) {
        fprintf(stderr, "ccsim: resuming %s: %ld replication%s kept from an interrupted run\n",
                o->outdir, n, n == 1 ? "" : "s");
    } else if (o->resume) {
        fprintf(stderr,
                "ccsim: --resume %s: no replications were kept by an earlier run; starting from "
                "the beginning\n",
                o->outdir);
    } else if (n > 0) {
        fprintf(stderr,
                "ccsim: note: %s holds %ld replication%s kept from an interrupted run into %s; "
                "--resume %s would use them (this run starts afresh)\n",
                unitstore_folder(st), n, n == 1 ? "" : "s", o->outdir, o->outdir);
    }
}

int results_begin(struct folder *f, const struct run_opts *o, const struct runner *r, int argc,
                  char **argv, const char *scenario)
{
    memset(f, 0, sizeof *f);
    f->m = (struct manifest){
        .argc = argc,
        .argv = argv,
        .scenario = scenario,
        .model = r->sc[0]->ops->name,
        .seed = r->seed,
        .replications = r->replications,
        .threads = r->spec.threads,
        .started = time(NULL),
    };
    /* The partial folder exists from here: an interrupted run removes it (signal handler) or,
     * if killed outright, leaves it, with its lock free, for the next run beside it to remove. */
    if (o->outdir && folder_begin(f, o->outdir, o->force) != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
        return CCSIM_EIO;
    }
    if (o->outdir && r->spec.units) {
        say_units(o, r->spec.units);
    }
    return 0;
}

int results_wrote(struct folder *f, int rc, const char *path)
{
    rc = folder_wrote(f, rc, path);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
    }
    return rc;
}

int results_steady(struct folder *f, struct setup *s, const struct scenario *sc,
                   const struct experiment_result *res, const char *label, const char *name)
{
    char line[1400], path[4096];
    int rc = 0;

    if (sc->n_series == 0 || !res->series) {
        return 0;
    }
    struct stationarity *st = xcalloc((size_t)sc->n_series, sizeof *st);
    int n_drift = stationarity_check(sc, res, st);
    char pre[300] = "";
    if (label) {
        snprintf(pre, sizeof pre, "%.250s: ", label);
    }
    for (int i = 0; i < sc->n_series; i++) {
        if (st[i].verdict == STATIONARITY_DRIFTING) {
            char what[900];
            stationarity_describe(sc, i, &st[i], what, sizeof what);
            snprintf(line, sizeof line, "%snot steady: %s", pre, what);
            fprintf(stderr, "ccsim: %s\n", line);
            warnings_add(&s->warnings, line);
        }
    }
    if (n_drift > 0) {
        snprintf(line, sizeof line,
                 "%snot steady: %d of %d weekly series drift after the warm-up, so the results "
                 "depend on the run length; lengthen the warm-up, or see docs/model.md (4.2, "
                 "steady state)",
                 pre, n_drift, sc->n_series);
        fprintf(stderr, "ccsim: %s\n", line);
        warnings_add(&s->warnings, line);
    }
    if (f->is_open) {
        rc = results_wrote(
            f, stationarity_write_csv(folder_file(f, name, path, sizeof path), sc, st), path);
    }
    free(st);
    return rc;
}

/* Draws the figures of a results folder just written. The results are complete whatever
 * happens here: a missing gnuplot or a failed figure is reported and the run still succeeds. */
static void draw_after(const struct run_opts *o)
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

/* The report of a results folder just written (--report); like the figures, a failure is
 * reported and the results stay complete. */
static int report_after(const struct run_opts *o)
{
    char err[1024];
    if (!o->outdir || !o->report) {
        return 0;
    }
    int rc = report_write(o->outdir, false, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr,
                "ccsim: no report: %s; the results in %s are complete (write it later with "
                "'ccsim report %s')\n",
                err, o->outdir, o->outdir);
    } else if (!o->is_quiet) {
        fprintf(stderr, "ccsim: report in %s/report.html\n", o->outdir);
    }
    return rc;
}

int results_end(struct folder *f, const struct run_opts *o, const struct setup *s,
                const struct runner *r, int rc)
{
    if (!f->is_open) {
        return rc;
    }
    /* Under MPI, a file only rank 0 wrote may have failed: every rank ends alike. */
    rc = par_first_error(rc);
    if (rc != 0) {
        folder_abort(f);
        return rc;
    }
    if (r) {
        f->m.n_events = r->n_events;
        f->m.wall_seconds = r->wall_seconds;
    }
    if (s->units && unitstore_error(s->units)) {
        fprintf(stderr,
                "ccsim: warning: finished replications could not be kept (%s): had the run been "
                "interrupted, --resume would have run them again\n",
                unitstore_error(s->units));
    }
    if (s->units && s->is_resume) {
        long n_used, n_added;
        unitstore_counts(s->units, &n_used, &n_added);
        n_used = par_sum_long(n_used); /* under MPI, each rank kept and ran its own rows */
        n_added = par_sum_long(n_added);
        fprintf(stderr,
                "ccsim: %ld of %ld replications kept from an interrupted run, %ld run now\n",
                n_used, n_used + n_added, n_added);
    }
    rc = folder_commit(f, &s->warnings);
    /* Once the folder is complete, what was kept to resume it is of no more use: this run's
     * results are in place, or (without --force, a failed commit leaving a folder there)
     * another run's finished first, so that --resume would be refused. */
    struct stat st;
    bool is_done = rc == 0 || (!o->force && lstat(o->outdir, &st) == 0 && S_ISDIR(st.st_mode));
    if (s->units && is_done && par_is_root()) { /* rank 0, once its folder is in place */
        int removed = unitstore_remove(s->units);
        if (removed != 0) {
            fprintf(stderr, "ccsim: warning: %s: %s (remove it by hand)\n",
                    unitstore_folder(s->units), strerror(-removed));
        }
    }
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
        return rc;
    }
    draw_after(o);
    (void)report_after(o);
    if (!o->is_quiet) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double secs = (double)(now.tv_sec - s->started.tv_sec) +
                      1e-9 * (double)(now.tv_nsec - s->started.tv_nsec);
        if (secs < 100.0) {
            fprintf(stderr, "ccsim: wrote %s in %.1f s\n", o->outdir, secs);
        } else {
            fprintf(stderr, "ccsim: wrote %s in %.0f s (%.0f min)\n", o->outdir, secs, secs / 60.0);
        }
    }
    return 0;
}
