/* psa: parameter draws, each run for every scenario on the same clients (analysis/psa.h). */
#include <math.h>

#include "analysis/par.h"
#include "analysis/psa.h"
#include "analysis/uncertain.h"
#include "cli/cli.h"

/* The uncertain parameters of every scenario, and their union by path. */
struct params {
    struct unc_set u[MAX_SCENARIOS];
    int n_scen;
    const char **path; /* [n]: the union, first appearance first; borrowed from u */
    int n;
    int *index; /* [s * n + k]: parameter k's index in scenario s's set, or -1 */
};

static void params_fini(struct params *pp)
{
    for (int s = 0; s < pp->n_scen; s++) {
        unc_set_fini(&pp->u[s]);
    }
    free(pp->path);
    free(pp->index);
}

/* Reads each scenario's uncertainty; a parameter that two scenarios declare must be drawn the
 * same in both (the same draw across scenarios), checked on the first draws. */
static int params_load(struct params *pp, const struct runner *r, uint64_t seed)
{
    int total = 0;

    memset(pp, 0, sizeof *pp);
    for (int s = 0; s < r->n; s++) {
        struct diag d;
        diag_init(&d);
        int rc = unc_set_load(&pp->u[s], &r->cfg[s], &d);
        pp->n_scen = s + 1;
        if (rc != 0) {
            diag_print(&d, stderr);
            fprintf(stderr, "ccsim: psa: %s: its uncertainty cannot be used; nothing was run\n",
                    r->v[s].path);
            diag_fini(&d);
            return CCSIM_EINPUT;
        }
        diag_fini(&d);
        total += pp->u[s].n;
    }
    pp->path = xcalloc((size_t)total + 1, sizeof *pp->path);
    for (int s = 0; s < r->n; s++) {
        for (int k = 0; k < pp->u[s].n; k++) {
            bool seen = false;
            for (int j = 0; j < pp->n && !seen; j++) {
                seen = strcmp(pp->path[j], pp->u[s].p[k].path) == 0;
            }
            if (!seen) {
                pp->path[pp->n++] = pp->u[s].p[k].path;
            }
        }
    }
    pp->index = xcalloc((size_t)r->n * (size_t)pp->n + 1, sizeof *pp->index);
    for (int s = 0; s < r->n; s++) {
        for (int j = 0; j < pp->n; j++) {
            pp->index[s * pp->n + j] = -1;
            for (int k = 0; k < pp->u[s].n; k++) {
                if (strcmp(pp->path[j], pp->u[s].p[k].path) == 0) {
                    pp->index[s * pp->n + j] = k;
                }
            }
        }
    }
    /* The same parameter, the same values: compared on the first draws. */
    double *x = xcalloc((size_t)r->n * ((size_t)total + 1), sizeof *x);
    int rc = 0;
    for (uint64_t d = 0; d < 16 && rc == 0; d++) {
        for (int s = 0; s < r->n; s++) {
            unc_draw(&pp->u[s], seed, d, x + (size_t)s * ((size_t)total + 1));
        }
        for (int j = 0; j < pp->n && rc == 0; j++) {
            int s0 = -1;
            for (int s = 0; s < r->n && rc == 0; s++) {
                int k = pp->index[s * pp->n + j];
                if (k < 0) {
                    continue;
                }
                if (s0 < 0) {
                    s0 = s;
                    continue;
                }
                double a = x[(size_t)s0 * ((size_t)total + 1) + (size_t)pp->index[s0 * pp->n + j]];
                double b = x[(size_t)s * ((size_t)total + 1) + (size_t)k];
                if (memcmp(&a, &b, sizeof a) != 0) {
                    fprintf(stderr,
                            "ccsim: psa: %s is uncertain in %s and in %s, but declared "
                            "differently (distribution, interval or correlations); declare it "
                            "the same in every scenario so that a draw is the same in each; "
                            "nothing was run\n",
                            pp->path[j], r->v[s0].path, r->v[s].path);
                    rc = CCSIM_EINPUT;
                }
            }
        }
    }
    free(x);
    if (rc == 0 && pp->n == 0) {
        fprintf(stderr,
                "ccsim: psa: no parameter of %s%s is uncertain: declare some in an uncertainty "
                "group (docs/psa.md), or keep the default uncertainty of keys whose evidence "
                "gives an interval; nothing was run\n",
                r->v[0].path, r->n > 1 ? " or the other scenarios" : "");
        rc = CCSIM_EINPUT;
    }
    return rc;
}

/* The metrics an analysis keeps: the headline ones of any scenario, and the costs and counts
 * a cost-effectiveness analysis needs. */
static bool kept(const struct metric_desc *d)
{
    return d->is_headline || strcmp(d->name, "cost_per_year") == 0 ||
           strcmp(d->name, "admissions_per_year") == 0 || strcmp(d->name, "bed_days_per_year") == 0;
}

/* Draw d: every scenario with the draw's values, its replications d*R .. d*R+R-1; the means into
 * the analysis. */
static int run_draw(struct psa *p, const struct params *pp, const struct setup *s,
                    const struct runner *base, const struct compare_metrics *u, const int *mi,
                    long d, double *xbuf, struct warnings *quiet, uint64_t *events, double *secs)
{
    struct variant v[MAX_SCENARIOS];
    int n = base->n, total = 0;

    for (int i = 0; i < n; i++) {
        total += pp->u[i].n;
    }
    struct override *ov = xcalloc((size_t)total + 1, sizeof *ov);
    char **text = xcalloc((size_t)total + 1, sizeof *text);
    char origin[64];
    snprintf(origin, sizeof origin, "psa draw %ld", d);
    int used = 0;
    for (int i = 0; i < n; i++) {
        const struct unc_set *us = &pp->u[i];
        unc_draw(us, base->seed, (uint64_t)d, xbuf);
        v[i] = (struct variant){
            .label = p->names[i], .path = base->v[i].path, .own = ov + used, .n_own = us->n};
        for (int k = 0; k < us->n; k++) {
            char buf[1200];
            unc_assign(&us->p[k], xbuf[k], buf, sizeof buf);
            text[used] = xstrdup(buf);
            ov[used] = (struct override){.assign = text[used], .origin = origin};
            used++;
        }
        /* The parameters' values of this draw, as the first scenario that has each drew it. */
        for (int j = 0; j < pp->n; j++) {
            int k = pp->index[i * pp->n + j];
            double *x = &p->x[(size_t)d * (size_t)p->n_params + (size_t)j];
            if (k >= 0 && isnan(*x)) {
                *x = xbuf[k];
            }
        }
    }
    struct runner_spec spec = s->spec;
    spec.progress = RUNNER_PROGRESS_NONE;
    spec.show_progress = false;
    spec.report = RUNNER_REPORT_POINTS;
    spec.budget = RUNNER_BUDGET_NONE;
    /* The scenarios' warnings and notes were said once, for the base; a draw's own (a drawn
     * value outside a key's plausible range) go to a set of the draws' that is never printed,
     * and the draws' values are summed up once they are all in (plausible_note()). */
    spec.warnings = quiet;
    spec.msgs = NULL;
    spec.outdir = NULL;
    spec.force = false;
    spec.first_rep = (uint64_t)d * (uint64_t)base->replications;
    spec.no_series = true;
    struct runner r;
    int rc = runner_load(&r, &spec, v, n);
    if (rc != 0) { /* again, to say why */
        runner_fini(&r);
        spec.warnings = NULL;
        spec.msgs = stderr;
        rc = runner_load(&r, &spec, v, n);
        rc = rc != 0 ? rc : CCSIM_EINPUT;
    }
    if (rc == 0) {
        r.spec.msgs = stderr; /* a failed replication is said */
        rc = runner_run(&r);
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        int nm = r.sc[i]->n_metrics;
        for (int m = 0; m < p->n_metrics; m++) {
            int idx = u->index[mi[m] * u->n_entries + i];
            double sum = 0.0;
            long k = 0;
            for (long rep = 0; idx >= 0 && rep < r.res[i].replications; rep++) {
                double x = r.res[i].metrics[rep * nm + idx];
                if (!isnan(x)) {
                    sum += x;
                    k++;
                }
            }
            *psa_at(p, d, i, m) = k > 0 ? sum / (double)k : NAN;
        }
    }
    if (rc == 0) {
        *events = r.n_events;
        *secs = r.wall_seconds;
    } else {
        fprintf(stderr, "ccsim: psa: draw %ld failed; nothing was written\n", d);
    }
    runner_fini(&r);
    for (int i = 0; i < used; i++) {
        free(text[i]);
    }
    free(text);
    free(ov);
    return rc;
}

/* For each parameter whose key declares a plausible range, how many draws fell outside it: one
 * line for all the draws (each draw's own warning is not said), printed and kept for
 * warnings.txt. */
static void plausible_note(const struct psa *p, const struct params *pp, struct warnings *w)
{
    for (int j = 0; j < pp->n; j++) {
        const struct unc_param *up = NULL;
        for (int s = 0; s < pp->n_scen && !up; s++) {
            int k = pp->index[s * pp->n + j];
            up = k >= 0 ? &pp->u[s].p[k] : NULL;
        }
        if (!up || !up->key || !cfg_key_has_plausible(up->key)) {
            continue;
        }
        long out = 0;
        for (long d = 0; d < p->n_draws; d++) {
            double x = p->x[(size_t)d * (size_t)p->n_params + (size_t)j];
            out += x < up->key->plausible_lo || x > up->key->plausible_hi;
        }
        if (out > 0) {
            char line[1200];
            snprintf(line, sizeof line,
                     "psa: %s: warning: %ld of %ld draws are outside its plausible range "
                     "%.6g..%.6g (drawn from the distribution declared for it; docs/psa.md)",
                     pp->path[j], out, p->n_draws, up->key->plausible_lo, up->key->plausible_hi);
            if (warnings_add(w, line)) {
                fprintf(stderr, "ccsim: %s\n", line);
            }
        }
    }
}

/* How many of n draws rank k of P runs (draws k, k + P, ...). */
static long draws_of(long n, int ranks, int k)
{
    return n > k ? (n - 1 - k) / ranks + 1 : 0;
}

/* Every rank's draws to every rank: each draw's values, parameters, events and time, from the
 * rank that ran it. With one rank, nothing to do. */
static void share_draws(struct psa *p, uint64_t *events, double *secs)
{
    int ranks = par_size();
    if (ranks == 1) {
        return;
    }
    size_t nv = (size_t)p->n_scen * (size_t)p->n_metrics, np = (size_t)p->n_params;
    size_t row = nv + np + 1;
    size_t *counts = xcalloc(4 * (size_t)ranks, sizeof *counts), *displs = counts + ranks;
    size_t *counts2 = displs + ranks, *displs2 = counts2 + ranks;
    for (int k = 0; k < ranks; k++) {
        counts[k] = (size_t)draws_of(p->n_draws, ranks, k) * row;
        counts2[k] = (size_t)draws_of(p->n_draws, ranks, k);
        displs[k] = k > 0 ? displs[k - 1] + counts[k - 1] : 0;
        displs2[k] = k > 0 ? displs2[k - 1] + counts2[k - 1] : 0;
    }
    int me = par_rank();
    double *send = xcalloc(counts[me] + 1, sizeof *send);
    double *all = xcalloc(displs[ranks - 1] + counts[ranks - 1] + 1, sizeof *all);
    uint64_t *send2 = xcalloc(counts2[me] + 1, sizeof *send2);
    uint64_t *all2 = xcalloc(displs2[ranks - 1] + counts2[ranks - 1] + 1, sizeof *all2);
    size_t at = 0, at2 = 0;
    for (long d = me; d < p->n_draws; d += ranks) {
        memcpy(send + at, psa_at(p, d, 0, 0), nv * sizeof *send);
        memcpy(send + at + nv, &p->x[(size_t)d * np], np * sizeof *send);
        send[at + nv + np] = secs[d];
        send2[at2++] = events[d];
        at += row;
    }
    par_allgatherv_doubles(send, counts[me], all, counts, displs);
    par_allgatherv_u64(send2, counts2[me], all2, counts2, displs2);
    for (int k = 0; k < ranks; k++) {
        at = displs[k];
        at2 = displs2[k];
        for (long d = k; d < p->n_draws; d += ranks) {
            memcpy(psa_at(p, d, 0, 0), all + at, nv * sizeof *all);
            memcpy(&p->x[(size_t)d * np], all + at + nv, np * sizeof *all);
            secs[d] = all[at + nv + np];
            events[d] = all2[at2++];
            at += row;
        }
    }
    free(all2);
    free(send2);
    free(all);
    free(send);
    free(counts);
}

/* The currency of the cost metric's unit: "GBP a year, 2023 prices" gives "GBP, 2023 prices". */
static void currency_of(const struct psa *p, char *buf, size_t n)
{
    int m = psa_metric(p, "cost_per_year");
    const char *unit = m >= 0 && p->desc[m]->unit ? p->desc[m]->unit : "";
    const char *cut = strstr(unit, " a year");
    if (cut) {
        snprintf(buf, n, "%.*s%s", (int)(cut - unit), unit, cut + strlen(" a year"));
    } else {
        snprintf(buf, n, "%s", unit);
    }
}

static int write_psa(struct folder *f, const struct psa *p, const struct runner *base)
{
    char path[4096], currency[256];
    int rc = results_wrote(f, psa_write_csv(folder_file(f, "psa.csv", path, sizeof path), p), path);

    if (rc == 0) {
        rc = results_wrote(
            f, psa_write_parameters(folder_file(f, "psa_parameters.csv", path, sizeof path), p),
            path);
    }
    if (rc == 0) {
        rc = results_wrote(
            f, psa_write_summary(folder_file(f, "psa_summary.csv", path, sizeof path), p), path);
    }
    if (rc == 0) {
        rc = results_wrote(
            f, psa_write_drivers(folder_file(f, "psa_drivers.csv", path, sizeof path), p), path);
    }
    if (rc == 0 && psa_has_costs(p)) {
        currency_of(p, currency, sizeof currency);
        rc = results_wrote(
            f, psa_write_ceac(folder_file(f, "psa_ceac.csv", path, sizeof path), p, currency),
            path);
    }
    return rc == 0 ? results_resolved(f, base) : rc;
}

int cmd_psa(int argc, char **argv)
{
    struct run_opts o = {.cmd = "psa"};
    struct variant v[MAX_SCENARIOS];
    struct compare_entry e[MAX_SCENARIOS];
    char names[MAX_SCENARIOS][256];
    const char *name_ptr[MAX_SCENARIOS];
    struct setup s;
    struct runner base;
    struct params pp = {0};
    struct compare_metrics u = {0};
    struct psa p = {0};
    struct folder f = {0};
    int *mi = NULL;
    int rc = parse_run(argc, argv, &o);

    if (rc == 0) {
        rc = check_outdir(&o);
    }
    if (rc != 0) {
        return rc;
    }
    for (int i = 0; i < o.n_scenarios; i++) {
        scenario_label(o.scenarios[i], names[i], sizeof names[i]);
        name_ptr[i] = names[i];
        v[i] = (struct variant){.label = names[i], .path = o.scenarios[i]};
    }
    setup_init(&s, &o, "scenarios");
    struct runner_spec bspec = s.spec;
    bspec.budget = RUNNER_BUDGET_NONE;
    bspec.one_rep_ok = true;
    rc = runner_load(&base, &bspec, v, o.n_scenarios);
    for (int i = 0; rc == 0 && i < base.n; i++) {
        e[i] = (struct compare_entry){.name = names[i], .sc = base.sc[i]};
    }
    /* Draw d runs replications d*R .. d*R+R-1, and a replication's number is 32 bits. */
    if (rc == 0 && (uint64_t)o.draws * (uint64_t)base.replications > (uint64_t)UINT_MAX + 1) {
        fprintf(stderr,
                "ccsim: psa: %lld draws of %ld replications are more than the seed's %llu "
                "replications: give fewer draws or replications; nothing was run\n",
                o.draws, base.replications, (unsigned long long)UINT_MAX + 1);
        rc = CCSIM_EUSAGE;
    }
    /* The differences are of one region's outcomes under each scenario: one model. */
    for (int i = 1; rc == 0 && i < base.n; i++) {
        if (strcmp(base.sc[i]->ops->name, base.sc[0]->ops->name) != 0) {
            fprintf(stderr,
                    "ccsim: psa: %s is a %s scenario and %s a %s one: a psa compares scenarios "
                    "of one model (their differences are of the same outcomes); nothing was run\n",
                    base.v[0].path, base.sc[0]->ops->name, base.v[i].path, base.sc[i]->ops->name);
            rc = CCSIM_EINPUT;
        }
    }
    if (rc == 0) {
        compare_warn_settings(e, base.n, &s.warnings, stderr);
        rc = params_load(&pp, &base, base.seed);
    }
    if (rc == 0) {
        compare_metrics_init(&u, e, base.n);
        mi = xcalloc((size_t)u.n + 1, sizeof *mi);
        const struct metric_desc **desc = xcalloc((size_t)u.n + 1, sizeof *desc);
        int nk = 0;
        for (int m = 0; m < u.n; m++) {
            if (kept(u.desc[m])) {
                mi[nk] = m;
                desc[nk++] = u.desc[m];
            }
        }
        psa_init(&p, base.n, name_ptr, o.draws, pp.n, pp.path, nk, desc);
        for (size_t i = 0; i < (size_t)p.n_draws * (size_t)p.n_params; i++) {
            p.x[i] = NAN;
        }
        p.wtp_max[0] = o.wtp_max;
        p.wtp_max[1] = o.wtp_max;
        free(desc);
        rc = results_begin(&f, &o, &base, argc, argv, o.scenario);
    }
    if (rc == 0) {
        int most = 0;
        for (int i = 0; i < pp.n_scen; i++) {
            most = pp.u[i].n > most ? pp.u[i].n : most;
        }
        double *xbuf = xcalloc((size_t)most + 1, sizeof *xbuf);
        uint64_t *events = xcalloc((size_t)o.draws, sizeof *events);
        double *secs = xcalloc((size_t)o.draws, sizeof *secs);
        /* Under MPI, draw d is rank d mod P's alone, run there on the rank's threads. */
        int ranks = par_size(), rank = par_rank();
        struct progress bar;
        progress_init(&bar, s.spec.show_progress, draws_of(o.draws, ranks, rank), "draws");
        struct warnings quiet;
        warnings_init(&quiet);
        par_local(true);
        for (long d = rank; rc == 0 && d < o.draws; d += ranks) {
            rc = run_draw(&p, &pp, &s, &base, &u, mi, d, xbuf, &quiet, &events[d], &secs[d]);
            progress_step(&bar, 1);
        }
        par_local(false);
        warnings_fini(&quiet);
        progress_fini(&bar);
        int any = par_first_error(rc);
        if (any != 0 && rc == 0) {
            fprintf(stderr, "ccsim: psa: a draw failed on another MPI rank; nothing was written\n");
        }
        rc = any;
        if (rc == 0) {
            share_draws(&p, events, secs);
            plausible_note(&p, &pp, &s.warnings);
        }
        for (long d = 0; rc == 0 && d < o.draws; d++) { /* in draw order, on every rank */
            base.n_events += events[d];
            base.wall_seconds += secs[d];
        }
        free(secs);
        free(events);
        free(xbuf);
    }
    if (rc == 0 && o.outdir) {
        rc = write_psa(&f, &p, &base);
    }
    rc = results_end(&f, &o, &s, &base, rc);
    if (rc == 0) {
        psa_print_summary(stdout, &p);
    }
    free(mi);
    psa_fini(&p);
    compare_metrics_fini(&u);
    params_fini(&pp);
    runner_fini(&base);
    setup_fini(&s);
    return rc;
}
