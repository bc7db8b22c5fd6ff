/* compare: the same clients under each scenario, paired differences. */
#include "cli/cli.h"

void scenario_label(const char *path, char *buf, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0) {
        len -= 4;
    }
    snprintf(buf, n, "%.*s", (int)len, base);
}

/* comparison.csv, each scenario's replications and weekly series (compare_write_files()), the
 * cost per outcome averted when the scenarios have costs, then each resolved scenario (each
 * scenario's stationarity diagnostics, NAME.diagnostics.csv, are written before them by
 * results_steady()). */
static int write_compare(struct folder *f, const struct runner *r, const struct compare_entry *e)
{
    char path[4096];

    int rc = compare_write_files(f, e, r->n);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", f->err);
    }
    if (rc == 0 && costeff_available(e, r->n)) {
        rc = results_wrote(
            f, costeff_write_csv(folder_file(f, "cost_effect.csv", path, sizeof path), e, r->n),
            path);
    }
    return rc == 0 ? results_resolved(f, r) : rc;
}

int results_resolved(struct folder *f, const struct runner *r)
{
    for (int i = 0; i < r->n; i++) {
        char file[512];
        snprintf(file, sizeof file, "%.255s.resolved.cfg", r->v[i].label);
        if (folder_write_resolved(f, file, &r->cfg[i], r->v[i].path) != 0) {
            fprintf(stderr, "ccsim: %s\n", f->err);
            return CCSIM_EIO;
        }
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    struct run_opts o = {.cmd = "compare"};
    struct variant v[MAX_SCENARIOS];
    struct compare_entry e[MAX_SCENARIOS];
    char names[MAX_SCENARIOS][256];
    struct setup s;
    struct runner r;
    struct folder f = {0};
    int rc = parse_run(argc, argv, &o);

    if (rc == 0) {
        rc = check_outdir(&o);
    }
    if (rc != 0) {
        return rc;
    }
    for (int i = 0; i < o.n_scenarios; i++) {
        scenario_label(o.scenarios[i], names[i], sizeof names[i]);
        v[i] = (struct variant){.label = names[i], .path = o.scenarios[i]};
    }
    setup_init(&s, &o, "scenarios");
    rc = runner_load(&r, &s.spec, v, o.n_scenarios);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        e[i] = (struct compare_entry){.name = names[i], .sc = r.sc[i]};
    }
    if (rc == 0) {
        /* Before the run, so that a mistake is seen at once; kept for warnings.txt. */
        compare_warn_settings(e, r.n, &s.warnings, stderr);
        rc = results_begin(&f, &o, &r, argc, argv, o.scenario);
    }
    if (rc == 0) {
        rc = runner_run(&r);
    }
    for (int i = 0; rc == 0 && i < r.n; i++) {
        char file[512];
        e[i] = (struct compare_entry){.name = names[i], .sc = r.sc[i], .res = r.res[i]};
        snprintf(file, sizeof file, "%.255s.diagnostics.csv", names[i]);
        rc = results_steady(&f, &s, r.sc[i], &r.res[i], names[i], file);
    }
    if (rc == 0 && o.outdir) {
        rc = write_compare(&f, &r, e);
    } else if (rc == 0) {
        compare_print_table(stdout, e, r.n);
        fputc('\n', stdout);
    }
    rc = results_end(&f, &o, &s, &r, rc);
    if (rc == 0) {
        compare_print_summary(stdout, e, r.n);
        if (costeff_available(e, r.n)) {
            costeff_print(stdout, e, r.n);
        }
    }
    runner_fini(&r);
    setup_fini(&s);
    return rc;
}
