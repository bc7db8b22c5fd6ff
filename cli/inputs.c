/* inputs — loading scenarios (their warnings printed once and kept), the signal handlers, the
 * inputs --force must not remove, and the budget check. */
#include "cli/cli.h"

/* ---- warnings: printed once each as scenarios load, and kept for warnings.txt ------------- */

static struct {
    char **lines;
    int n, cap;
} warnings;

/* Prints the warnings of a loaded scenario that were not printed yet (a sweep's points share
 * most of theirs), and keeps them for the results folder. */
void note_warnings(const struct cfg *c)
{
    char *text = NULL;
    size_t len = 0;

    if (cfg_n_warnings(c) == 0) {
        return;
    }
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        cfg_print_warnings(c, stderr);
        return;
    }
    cfg_print_warnings(c, mem);
    fclose(mem);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        bool seen = false;
        for (int i = 0; i < warnings.n && !seen; i++) {
            seen = strcmp(warnings.lines[i], line) == 0;
        }
        if (seen) {
            continue;
        }
        fprintf(stderr, "%s\n", line);
        if (warnings.n == warnings.cap) {
            warnings.cap = warnings.cap ? 2 * warnings.cap : 16;
            warnings.lines =
                xreallocarray(warnings.lines, (size_t)warnings.cap, sizeof *warnings.lines);
        }
        warnings.lines[warnings.n++] = xstrdup(line);
    }
    free(text);
}

/* warnings.txt in the results folder, when there are warnings. Returns 0 or -errno. */
int write_warnings(struct outdir *od)
{
    char path[4096];

    if (warnings.n == 0) {
        return 0;
    }
    FILE *f = fopen(outdir_file(od, "warnings.txt", path, sizeof path), "w");
    if (!f) {
        return -errno;
    }
    for (int i = 0; i < warnings.n; i++) {
        fprintf(f, "%s\n", warnings.lines[i]);
    }
    int rc = ferror(f) ? -EIO : 0;
    if (fclose(f) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

/* The command line's overrides, in order: -r, -s, then every --set. */
void apply_overrides(const struct run_opts *o, struct cfg *c)
{
    char assign[64], option[64];

    if (o->reps >= 0) {
        snprintf(assign, sizeof assign, "replications=%lld", o->reps);
        snprintf(option, sizeof option, "-r %lld", o->reps);
        cfg_set_as(c, assign, option);
    }
    if (o->seed >= 0) {
        snprintf(assign, sizeof assign, "seed=%lld", o->seed);
        snprintf(option, sizeof option, "-s %lld", o->seed);
        cfg_set_as(c, assign, option);
    }
    for (int i = 0; i < o->n_sets; i++) {
        cfg_set(c, o->sets[i]);
    }
}

/* Loads the scenario with the command line's overrides applied; prints every problem and
 * returns NULL when there is one. c is initialised here and finalised by the caller. */
struct scenario *load_scenario(const struct run_opts *o, const char *path, struct cfg *c)
{
    struct scenario *sc = NULL;

    cfg_init(c);
    if (cfg_load_file(c, path)) {
        apply_overrides(o, c);
        sc = scenario_load(c);
        if (sc && cfg_n_problems(c) > 0) {
            scenario_destroy(sc);
            sc = NULL;
        }
    }
    if (sc) {
        note_warnings(c);
    } else {
        diag_print(&c->diag, stderr);
        int n = cfg_n_problems(c);
        fprintf(stderr, "ccsim: %d problem%s in %s; nothing was run\n", n, n == 1 ? "" : "s", path);
    }
    return sc;
}

/* SIGINT, SIGTERM and SIGHUP: whatever is half-written goes, then the default action. */
static void on_signal(int sig)
{
    report_on_signal();
    plot_on_signal();
    outdir_on_signal();
    signal(sig, SIG_DFL);
    raise(sig);
}

void install_signals(void)
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
        /* A hang-up ignored by whoever started ccsim (nohup) stays ignored. */
        if (sigs[i] == SIGHUP && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- the inputs of a run, which --force must never remove ---------------------------------- */

struct inputs {
    char **v;
    int n, cap;
};

static void inputs_add(struct inputs *in, const char *path)
{
    for (int i = 0; i < in->n; i++) {
        if (strcmp(in->v[i], path) == 0) {
            return;
        }
    }
    if (in->n == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 16;
        in->v = xreallocarray(in->v, (size_t)in->cap, sizeof *in->v);
    }
    in->v[in->n++] = xstrdup(path);
}

struct inputs_walk {
    const struct cfg *c;
    struct inputs *in;
};

/* A string value that names an existing file (a snapshot, say) is an input too. */
static void inputs_string(struct inputs_walk *w, const config_setting_t *s)
{
    const char *v = config_setting_get_string(s);
    char buf[PATH_MAX];
    struct stat st;

    if (v && v[0]) {
        cfg_resolve_path(w->c, s, v, buf, sizeof buf);
        if (stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
            inputs_add(w->in, buf);
        }
    }
}

static void inputs_visit(void *ctx, const config_setting_t *s, const char *path,
                         const struct cfg_origin *o)
{
    struct inputs_walk *w = ctx;

    (void)path;
    if (o->kind == CFG_FROM_FILE && o->file) {
        inputs_add(w->in, o->file);
    }
    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
        inputs_string(w, s);
    } else if (config_setting_type(s) == CONFIG_TYPE_ARRAY) {
        for (int i = 0; i < config_setting_length(s); i++) {
            const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
            if (e && config_setting_type(e) == CONFIG_TYPE_STRING) {
                inputs_string(w, e);
            }
        }
    }
}

/* With --force over an existing folder: refused (CCSIM_EEXIST) when the folder holds an input of
 * the run: the scenario, a base or included file, or a file a value names. */
int check_inputs(const char *outdir, bool force, const char *scenario, const struct cfg *c)
{
    struct inputs in = {0};
    struct inputs_walk w = {.c = c, .in = &in};
    char err[1024];

    if (!outdir || !force) {
        return 0;
    }
    inputs_add(&in, scenario);
    cfg_walk(c, inputs_visit, &w);
    int rc = outdir_check_inputs(outdir, (const char *const *)in.v, in.n, err, sizeof err);
    for (int i = 0; i < in.n; i++) {
        free(in.v[i]);
    }
    free(in.v);
    if (rc != 0) {
        fprintf(stderr, "ccsim: %s\n", err);
        return CCSIM_EEXIST;
    }
    return 0;
}

/* The memory and time an experiment needs, against what this machine has: refused
 * (CCSIM_EINPUT) when its results cannot fit, warned when large. */
int check_budget(const struct budget *b)
{
    char msg[1024];
    enum budget_verdict v = budget_judge(b, msg, sizeof msg);

    if (v == BUDGET_REFUSE) {
        fprintf(stderr, "ccsim: the experiment %s; nothing was run\n", msg);
        return CCSIM_EINPUT;
    }
    if (v == BUDGET_WARN) {
        fprintf(stderr, "ccsim: warning: the experiment %s\n", msg);
    }
    return 0;
}
