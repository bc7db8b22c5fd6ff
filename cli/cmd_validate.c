/* validate: published effects against simulated ones. */
#include "cli/cli.h"

int cmd_validate(int argc, char **argv)
{
    struct run_opts vo = {.cmd = "validate", .reps = -1, .seed = -1};
    char err[1024], path[4096];
    int n_operands = 0;

    int parsed = options_parse(&cmd_spec_validate, argc, argv, &vo, NULL, &n_operands);
    if (parsed != 0) {
        return parsed == OPTIONS_HELP ? 0 : parsed;
    }
    const char *dir = vo.dir, *outdir = vo.outdir;
    long long reps = vo.reps, seed = vo.seed, threads = vo.threads;
    bool quiet = vo.is_quiet, force = vo.force;
    if (outdir && outdir_check(outdir, force, err, sizeof err) != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    /* The distinct scenarios, each loaded once. */
    enum { MAXS = 16 };
    const char *files[MAXS];
    struct cfg c[MAXS];
    struct scenario *sc[MAXS] = {0};
    struct experiment_result res[MAXS];
    int n = 0, rc = 0;
    for (int r = 0; r < validate_n_rows; r++) {
        const char *pair[2] = {validate_rows[r].reference, validate_rows[r].treatment};
        for (int k = 0; k < 2; k++) {
            int found = -1;
            for (int i = 0; i < n; i++) {
                if (strcmp(files[i], pair[k]) == 0) {
                    found = i;
                }
            }
            if (found < 0 && n < MAXS) {
                files[n++] = pair[k];
            }
        }
    }
    struct run_opts o = {.cmd = "validate", .reps = reps, .seed = seed};
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        sc[i] = load_scenario(&o, path, &c[i]);
        if (!sc[i]) {
            rc = CCSIM_EINPUT;
        }
    }
    if (rc != 0) {
        for (int i = 0; i < n; i++) {
            scenario_destroy(sc[i]);
            cfg_fini(&c[i]);
        }
        return rc;
    }
    long nreps = sc[0]->replications;
    uint64_t s0 = sc[0]->seed;
    struct budget need;
    budget_init(&need, (int)threads);
    for (int i = 0; rc == 0 && i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        rc = check_inputs(outdir, force, path, &c[i]);
        budget_add(&need, sc[i], nreps, 1, true);
    }
    if (rc == 0) {
        rc = check_budget(&need);
    }
    if (rc != 0) {
        for (int i = 0; i < n; i++) {
            scenario_destroy(sc[i]);
            cfg_fini(&c[i]);
        }
        return rc;
    }
    struct manifest m = {.argc = argc,
                         .argv = argv,
                         .scenario = dir,
                         .model = sc[0]->ops->name,
                         .seed = s0,
                         .replications = nreps,
                         .threads = (int)threads,
                         .started = time(NULL)};
    struct progress bar;
    progress_init(&bar, !quiet && progress_wanted(), n, "scenarios");
    int n_run = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct experiment_spec spec = {
            .sc = sc[i], .replications = nreps, .seed = s0, .threads = (int)threads};
        n_run = i + 1;
        if (experiment_run(&spec, &res[i]) != 0) {
            fprintf(stderr, "ccsim: %s: %s\n", files[i], res[i].err);
            rc = CCSIM_ERUN;
        }
        m.n_events += res[i].n_events;
        progress_step(&bar, 1);
    }
    progress_fini(&bar);
    struct outdir od;
    FILE *csv = NULL;
    if (rc == 0 && outdir) {
        if (outdir_begin(&od, outdir, force, err, sizeof err) != 0) {
            fprintf(stderr, "ccsim: %s\n", err);
            rc = CCSIM_EIO;
        } else if (!(csv = fopen(outdir_file(&od, "validation.csv", path, sizeof path), "w"))) {
            rc = CCSIM_ERUN;
        } else {
            fputs("row,source,published,published_low,published_high,simulated,simulated_low,"
                  "simulated_high,result\n",
                  csv);
        }
    }
    int passed = 0;
    if (rc == 0) {
        printf("validation: %ld replications, seed %llu, scenarios in %s\n\n", nreps,
               (unsigned long long)s0, dir);
        printf("%-62s %-24s %-26s %s\n", "published effect", "published (95% CI)",
               "simulated (95% CI)", "result");
    }
    for (int r = 0; rc == 0 && r < validate_n_rows; r++) {
        const struct validate_row *row = &validate_rows[r];
        int a = -1, b = -1;
        for (int i = 0; i < n; i++) {
            a = strcmp(files[i], row->reference) == 0 ? i : a;
            b = strcmp(files[i], row->treatment) == 0 ? i : b;
        }
        struct compare_entry ea = {.sc = sc[a]}, eb = {.sc = sc[b]};
        int ma = compare_metric_index(&ea, row->metric),
            mb = compare_metric_index(&eb, row->metric);
        if (ma < 0 || mb < 0) {
            fprintf(stderr, "ccsim: validate: no metric %s in %s\n", row->metric,
                    ma < 0 ? files[a] : files[b]);
            rc = CCSIM_EINPUT;
            break;
        }
        double *x = xcalloc((size_t)nreps, sizeof *x), *y = xcalloc((size_t)nreps, sizeof *y);
        for (long i = 0; i < nreps; i++) {
            x[i] = res[a].metrics[i * res[a].n_metrics + ma];
            y[i] = res[b].metrics[i * res[b].n_metrics + mb];
        }
        struct validate_outcome out;
        validate_effect(row, x, y, nreps, &out);
        free(x);
        free(y);
        passed += out.pass;
        char pub[64], sim[64];
        const char *kind = row->kind == VALIDATE_RR ? "RR" : "MD";
        if (row->rule == VALIDATE_NOT_BELOW) {
            snprintf(pub, sizeof pub, "%s >= %.3g (%.3g: %.3g-%.3g)", kind, row->lo, row->point,
                     row->lo, row->hi);
        } else {
            snprintf(pub, sizeof pub, "%s %.3g (%.3g to %.3g)", kind, row->point, row->lo, row->hi);
        }
        snprintf(sim, sizeof sim, "%s %.3g (%.3g to %.3g)", kind, out.point, out.lo, out.hi);
        printf("%-62s %-24s %-26s %s\n", row->label, pub, sim, out.pass ? "pass" : "FAIL");
        if (csv) {
            csv_field(csv, row->label);
            fputc(',', csv);
            csv_field(csv, row->source);
            fprintf(csv, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%s\n", row->point, row->lo, row->hi,
                    out.point, out.lo, out.hi, out.pass ? "pass" : "fail");
        }
    }
    if (rc == 0) {
        printf("\n%d of %d rows pass (see docs/validation.md for the reasons behind any "
               "failure)\n",
               passed, validate_n_rows);
    }
    if (csv) {
        if (fclose(csv) != 0 && rc == 0) {
            rc = CCSIM_ERUN;
        }
        m.finished = time(NULL);
        if (rc == 0 && (write_warnings(&od) || write_manifest(&od, &m, path, sizeof path))) {
            rc = CCSIM_ERUN;
        }
        if (rc == 0 && outdir_commit(&od, err, sizeof err) != 0) {
            fprintf(stderr, "ccsim: %s\n", err);
            rc = CCSIM_EIO;
        }
        if (rc != 0) {
            outdir_abort(&od);
        }
    }
    for (int i = 0; i < n_run; i++) {
        experiment_result_fini(&res[i]);
    }
    for (int i = 0; i < n; i++) {
        scenario_destroy(sc[i]);
        cfg_fini(&c[i]);
    }
    return rc;
}
