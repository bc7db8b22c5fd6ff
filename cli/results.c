/* results — the results folder of a command, begun and ended (analysis/folder.h). */
#include "cli/cli.h"

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

int results_end(struct folder *f, const struct run_opts *o, const struct setup *s,
                const struct runner *r, int rc)
{
    if (!f->is_open) {
        return rc;
    }
    if (rc != 0) {
        folder_abort(f);
        return rc;
    }
    if (r) {
        f->m.n_events = r->n_events;
        f->m.wall_seconds = r->wall_seconds;
    }
    rc = folder_commit(f, &s->warnings);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
        return rc;
    }
    draw_after(o);
    return 0;
}
