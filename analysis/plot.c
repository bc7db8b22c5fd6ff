#include "analysis/plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/table.h"
#include "sim/xalloc.h"

extern char **environ;

/* Okabe & Ito (2008), a palette distinguishable with every common colour-vision deficiency. */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                      "#56B4E9", "#CC79A7", "#F0E442", "#000000"};
#define N_PALETTE 8

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Checks that t has every column named; else err names the first missing one. */
static bool has_columns(const struct table *t, const char *path, const char *const *names,
                        char *err, size_t err_len)
{
    for (int i = 0; names[i]; i++) {
        if (table_col(t, names[i]) < 0) {
            snprintf(err, err_len, "%s: no column '%s' (is it a ccsim results file?)", path,
                     names[i]);
            return false;
        }
    }
    return true;
}

/* ---- metrics: which to show, and their units ---------------------------------------------- */

static const char *const headline[] = {
    "crises",          "ed_visits", "admissions", "bed_days", "wait_coordination_days",
    "unmet_need_days", NULL};

struct unit {
    const char *metric;
    const char *axis;    /* axis label */
    const char *averted; /* forest-plot label for a reduction, or NULL: show the change */
};

static const struct unit units[] = {
    {"crises", "crises per 100 clients per year", "crises averted per 100 clients per year"},
    {"ed_visits", "ED visits per 100 clients per year",
     "ED visits averted per 100 clients per year"},
    {"admissions", "admissions per 100 clients per year",
     "admissions averted per 100 clients per year"},
    {"bed_days", "bed-days per 100 clients per year", "bed-days averted per 100 clients per year"},
    {"out_of_area_placements", "placements per 100 clients per year",
     "out-of-area placements averted per 100 clients per year"},
    {"wait_coordination_days", "mean wait for a coordinator (days)", NULL},
    {"wait_assessment_days", "mean wait for assessment (days)", NULL},
    {"unmet_need_days", "unmet need-days per 100 clients per year",
     "unmet need-days averted per 100 clients per year"},
    {"waiting_assessment", "clients waiting for assessment", NULL},
    {"waiting_coordination", "clients waiting for a coordinator", NULL},
    {"caseload", "clients coordinated", NULL},
    {"beds_occupied", "beds occupied", NULL},
};

static const struct unit *unit_of(const char *metric)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(units[i].metric, metric) == 0) {
            return &units[i];
        }
    }
    return NULL;
}

static void axis_label(const char *metric, char *buf, size_t n)
{
    const struct unit *u = unit_of(metric);
    if (u) {
        snprintf(buf, n, "%s", u->axis);
        return;
    }
    size_t len = strlen(metric);
    if (len > 5 && strcmp(metric + len - 5, "_days") == 0) {
        snprintf(buf, n, "%s (days)", metric);
    } else if (len > 4 && strcmp(metric + len - 4, "_pct") == 0) {
        snprintf(buf, n, "%s (%%)", metric);
    } else if (len > 6 && strcmp(metric + len - 6, "_hours") == 0) {
        snprintf(buf, n, "%s (hours)", metric);
    } else {
        snprintf(buf, n, "%s", metric);
    }
}

/* The metrics to draw from a list of names: the care model's headline ones when present, else
 * the first six. Returns how many were put in out. */
static int choose_metrics(char **names, int n, const char **out, int max)
{
    int k = 0;
    for (int h = 0; headline[h] && k < max; h++) {
        for (int i = 0; i < n; i++) {
            if (strcmp(names[i], headline[h]) == 0) {
                out[k++] = headline[h];
                break;
            }
        }
    }
    if (k > 0) {
        return k;
    }
    for (int i = 0; i < n && k < max && k < 6; i++) {
        out[k++] = names[i];
    }
    return k;
}

/* ---- running gnuplot ---------------------------------------------------------------------- */

static const char *gnuplot_program(void)
{
    const char *g = getenv("CCSIM_GNUPLOT");
    return g && *g ? g : "gnuplot";
}

bool plot_available(char *err, size_t err_len)
{
    const char *prog = gnuplot_program();
    if (strchr(prog, '/')) {
        if (access(prog, X_OK) == 0) {
            return true;
        }
    } else {
        const char *path = getenv("PATH");
        char buf[4096];
        for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
            size_t len = strcspn(p, ":");
            snprintf(buf, sizeof buf, "%.*s/%s", (int)len, p, prog);
            if (len > 0 && access(buf, X_OK) == 0) {
                return true;
            }
            p += len;
            if (*p == ':') {
                p++;
            }
        }
    }
    snprintf(err, err_len,
             "gnuplot was not found (%s); install it with 'make deps' or 'apt-get install "
             "gnuplot-nox', or point CCSIM_GNUPLOT at it",
             prog);
    return false;
}

/* s for a gnuplot single-quoted string: a quote is written twice. */
static void gp_quote(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    for (; *s && k + 2 < n; s++) {
        if (*s == '\'') {
            buf[k++] = '\'';
        }
        buf[k++] = *s;
    }
    buf[k] = '\0';
}

/* Runs gnuplot on script with a terminal and output set first; 0 or -1 with err set. */
static int run_gnuplot(const char *dir, const char *name, const char *terminal, const char *ext,
                       char *err, size_t err_len)
{
    char pre[8600], script[4400], out[4400], log[4400];
    snprintf(out, sizeof out, "%.4000s/%.300s.%.8s", dir, name, ext);
    /* The script reads its data by a name relative to its own folder. */
    char qdir[8200];
    gp_quote(dir, qdir, sizeof qdir);
    snprintf(pre, sizeof pre, "cd '%.4000s'; set terminal %s; set output '%.300s.%.8s'", qdir,
             terminal, name, ext);
    snprintf(script, sizeof script, "%.300s.gp", name); /* after the cd into dir */
    snprintf(log, sizeof log, "%.4000s/.%.300s.%.8s.log", dir, name, ext);
    const char *prog = gnuplot_program();
    char *argv[] = {(char *)prog, "-e", pre, script, NULL};

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        snprintf(err, err_len, "cannot run %s: %s", prog, strerror(rc));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, err_len, "waiting for gnuplot: %s", strerror(errno));
            return -1;
        }
    }
    struct stat st;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(out, &st) != 0 || st.st_size == 0) {
        char first[512] = "", line[512];
        FILE *f = fopen(log, "r");
        while (f && !first[0] && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = '\0';
            if (line[strspn(line, " \t^")]) { /* gnuplot underlines with spaces and a caret */
                snprintf(first, sizeof first, "%s", line + strspn(line, " \t"));
            }
        }
        if (f) {
            fclose(f);
        }
        snprintf(err, err_len, "gnuplot failed on %s/%s (%s): %s", dir, script, ext,
                 first[0] ? first : "no output");
        return -1;
    }
    unlink(log);
    return 0;
}

/* Draws dir/name.gp to PNG, SVG and PDF. */
static int render(const char *dir, const char *name, int width, int height, char *err,
                  size_t err_len)
{
    char term[256];
    snprintf(term, sizeof term, "pngcairo size %d,%d font 'Sans,13' linewidth 1.5", width, height);
    if (run_gnuplot(dir, name, term, "png", err, err_len) != 0) {
        return -1;
    }
    snprintf(term, sizeof term, "svg size %d,%d font 'Sans,13' dynamic", width, height);
    if (run_gnuplot(dir, name, term, "svg", err, err_len) != 0) {
        return -1;
    }
    snprintf(term, sizeof term, "pdfcairo size %.2fin,%.2fin font 'Sans,9'", width / 160.0,
             height / 160.0);
    return run_gnuplot(dir, name, term, "pdf", err, err_len);
}

/* Opens dir/name.ext for writing. */
static FILE *open_in(const char *dir, const char *name, const char *ext)
{
    char path[4400];
    snprintf(path, sizeof path, "%.4000s/%.300s.%.8s", dir, name, ext);
    return fopen(path, "w");
}

/* The common head of every script: how to re-run it, and the style. */
static void script_head(FILE *f, const char *name, const char *what)
{
    fprintf(f,
            "# %s: %s\n"
            "# Drawn by ccsim from %s.dat. To restyle, edit and run, e.g.\n"
            "#   gnuplot -e \"set terminal pngcairo size 1600,1000; set output 'x.png'\" %s.gp\n"
            "set datafile separator ','\n"
            "set encoding utf8\n"
            "set border 3 lc rgb '#444444'\n"
            "set tics nomirror textcolor rgb '#222222'\n"
            "set grid ytics lc rgb '#DDDDDD' lt 1\n"
            "set key noautotitle\n"
            "set termoption noenhanced\n",
            name, what, name, name);
}

/* Escapes a label for a gnuplot double-quoted string. */
static void label(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

/* ---- figures ------------------------------------------------------------------------------ */

/* outcomes: one panel per metric, one bar per scenario with its 95% CI. rows are (metric,
 * scenario, mean, lo, hi). */
static int fig_outcomes(const char *dir, const struct table *t, int c_metric, int c_scen,
                        int c_mean, int c_lo, int c_hi, const char *run_label, char *err,
                        size_t err_len)
{
    const char *metrics[8];
    char *names[512];
    int n_names = 0;
    for (int r = 0; r < t->n_rows && n_names < 512; r++) {
        names[n_names++] = (char *)table_at(t, r, c_metric);
    }
    int nm = choose_metrics(names, n_names, metrics, 6);
    /* Scenarios in order of first appearance. */
    const char *scen[16];
    int ns = 0;
    for (int r = 0; c_scen >= 0 && r < t->n_rows && ns < 16; r++) {
        bool seen = false;
        for (int k = 0; k < ns; k++) {
            seen |= strcmp(scen[k], table_at(t, r, c_scen)) == 0;
        }
        if (!seen) {
            scen[ns++] = table_at(t, r, c_scen);
        }
    }
    if (ns == 0) {
        scen[ns++] = run_label;
    }
    FILE *d = open_in(dir, "outcomes", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/outcomes.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("panel,scenario_index,scenario,mean,ci_low,ci_high\n", d);
    for (int m = 0; m < nm; m++) {
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, c_metric), metrics[m]) != 0) {
                continue;
            }
            int si = 0;
            for (int k = 0; c_scen >= 0 && k < ns; k++) {
                si = strcmp(scen[k], table_at(t, r, c_scen)) == 0 ? k : si;
            }
            fprintf(d, "%d,%d,%s,%s,%s,%s\n", m, si, scen[si], table_at(t, r, c_mean),
                    table_at(t, r, c_lo), table_at(t, r, c_hi));
        }
    }
    fclose(d);
    FILE *f = open_in(dir, "outcomes", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/outcomes.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "outcomes", "headline outcomes with 95% confidence intervals");
    int cols = nm > 3 ? 3 : nm, rows = (nm + cols - 1) / cols;
    fprintf(f,
            "set multiplot layout %d,%d title \"Headline outcomes (mean and 95%% CI across "
            "replications)\" font ',16'\n",
            rows, cols);
    fputs("set style fill solid 0.85 border -1\nset boxwidth 0.7\nset yrange [0:*]\n"
          "set offsets 0.5, 0.5, 0, 0\n",
          f);
    fprintf(f, "set xtics %s (", ns > 3 ? "rotate by -30 left" : "norotate");
    for (int k = 0; k < ns; k++) {
        fprintf(f, "%s", k ? ", " : "");
        label(f, scen[k]);
        fprintf(f, " %d", k);
    }
    fputs(")\n", f);
    for (int m = 0; m < nm; m++) {
        char ax[256];
        axis_label(metrics[m], ax, sizeof ax);
        fputs("set title ", f);
        label(f, metrics[m]);
        fputs("\nset ylabel ", f);
        label(f, ax);
        fputs("\n", f);
        fprintf(f,
                "plot for [s=0:%d] 'outcomes.dat' skip 1 using ($1==%d && $2==s ? $2 : NaN):"
                "($1==%d && $2==s ? $4 : NaN) with boxes lc rgb word(\"%s %s %s %s %s "
                "%s %s %s\", (s %% 8) + 1), \\\n"
                "     'outcomes.dat' skip 1 using ($1==%d ? $2 : NaN):($1==%d ? $4 : NaN):"
                "($1==%d ? $5 : NaN):($1==%d ? $6 : NaN) with yerrorbars lc rgb '#222222' pt 0 "
                "lw 2\n",
                ns - 1, m, m, palette[0], palette[1], palette[2], palette[3], palette[4],
                palette[5], palette[6], palette[7], m, m, m, m);
    }
    fputs("unset multiplot\n", f);
    fclose(f);
    return render(dir, "outcomes", 1600, rows > 1 ? 1100 : 600, err, err_len);
}

/* differences: forest plot of each scenario's paired difference against the first. */
static int fig_differences(const char *dir, const struct table *t, char *err, size_t err_len)
{
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario"), cd = table_col(t, "diff"),
        cl = table_col(t, "diff_ci_low"), ch = table_col(t, "diff_ci_high");
    const char *metrics[8];
    char *names[512];
    int n_names = 0;
    for (int r = 0; r < t->n_rows && n_names < 512; r++) {
        names[n_names++] = (char *)table_at(t, r, cm);
    }
    int nm = choose_metrics(names, n_names, metrics, 6);
    FILE *d = open_in(dir, "differences", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/differences.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("panel,row,scenario,effect,ci_low,ci_high\n", d);
    int max_rows = 0, n_rows[8] = {0};
    const char *rowname[8][16];
    for (int m = 0; m < nm; m++) {
        const struct unit *u = unit_of(metrics[m]);
        double sign = u && u->averted ? -1.0 : 1.0; /* averted = minus the change */
        int row = 0;
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) != 0 || isnan(table_num(t, r, cd))) {
                continue;
            }
            double a = sign * table_num(t, r, cl), b = sign * table_num(t, r, ch);
            if (row < 16) {
                rowname[m][row] = table_at(t, r, cs);
            }
            fprintf(d, "%d,%d,%s,%.10g,%.10g,%.10g\n", m, row++, table_at(t, r, cs),
                    sign * table_num(t, r, cd), fmin(a, b), fmax(a, b));
        }
        max_rows = row > max_rows ? row : max_rows;
        n_rows[m] = row < 16 ? row : 16;
    }
    fclose(d);
    if (max_rows == 0) {
        return 0;
    }
    FILE *f = open_in(dir, "differences", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/differences.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "differences",
                "paired differences against the first scenario, 95% confidence intervals");
    int cols = nm > 2 ? 2 : nm, rows = (nm + cols - 1) / cols;
    fprintf(f,
            "set multiplot layout %d,%d title \"Difference from the first scenario (same "
            "clients, paired 95%% CI)\" font ',16'\n",
            rows, cols);
    fprintf(f,
            "set yrange [-0.7:%d.7]\nset ytics scale 0\nunset grid\nset grid xtics lc rgb "
            "'#DDDDDD'\n",
            max_rows - 1);
    for (int m = 0; m < nm; m++) {
        const struct unit *u = unit_of(metrics[m]);
        char ax[256];
        if (u && u->averted) {
            snprintf(ax, sizeof ax, "%s", u->averted);
        } else {
            char base[200];
            axis_label(metrics[m], base, sizeof base);
            snprintf(ax, sizeof ax, "change in %s", base);
        }
        fputs("set title ", f);
        label(f, metrics[m]);
        fputs("\nset xlabel ", f);
        label(f, ax);
        fputs("\nset ytics (", f);
        for (int k = 0; k < n_rows[m]; k++) {
            fprintf(f, "%s", k ? ", " : "");
            label(f, rowname[m][k]);
            fprintf(f, " %d", k);
        }
        fputs(")", f);
        fprintf(f,
                "\nset arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#666666' dt 2\n"
                "plot 'differences.dat' skip 1 using ($1==%d ? $4 : NaN):($1==%d ? $2 : NaN):"
                "($1==%d ? $5 : NaN):($1==%d ? $6 : NaN) with xerrorbars lc rgb '%s' "
                "pt 7 ps 1.6 lw 2.5\n",
                m, m, m, m, palette[0]);
    }
    fputs("unset multiplot\n", f);
    fclose(f);
    return render(dir, "differences", 1600, 300 + 260 * rows + 40 * max_rows, err, err_len) == 0
               ? 1
               : -1;
}

/* timeseries: each weekly series with its CI band. */
static int fig_timeseries(const char *dir, const struct table *t, char *err, size_t err_len)
{
    int cw = table_col(t, "week"), cm = table_col(t, "metric"), cmean = table_col(t, "mean"),
        cl = table_col(t, "ci_low"), ch = table_col(t, "ci_high");
    const char *series[8];
    int n = 0;
    for (int r = 0; r < t->n_rows && n < 8; r++) {
        bool seen = false;
        for (int k = 0; k < n; k++) {
            seen |= strcmp(series[k], table_at(t, r, cm)) == 0;
        }
        if (!seen) {
            series[n++] = table_at(t, r, cm);
        }
    }
    FILE *d = open_in(dir, "timeseries", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/timeseries.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("# week,mean,ci_low,ci_high; one block per series\n", d);
    for (int k = 0; k < n; k++) {
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(series[k], table_at(t, r, cm)) == 0) {
                fprintf(d, "%s,%s,%s,%s\n", table_at(t, r, cw), table_at(t, r, cmean),
                        table_at(t, r, cl), table_at(t, r, ch));
            }
        }
        fputs("\n\n", d);
    }
    fclose(d);
    FILE *f = open_in(dir, "timeseries", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/timeseries.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "timeseries", "weekly series, mean and 95% confidence band");
    int cols = n > 2 ? 2 : n, rows = (n + cols - 1) / cols;
    fprintf(f,
            "set multiplot layout %d,%d title \"Weekly series (mean across replications, 95%% "
            "CI band; warm-up included)\" font ',16'\n",
            rows, cols);
    fputs("set xlabel 'week'\nset style fill transparent solid 0.25 noborder\n", f);
    fputs("set yrange [0:*]\n", f);
    for (int k = 0; k < n; k++) {
        char ax[256];
        if (strcmp(series[k], "crises") == 0) {
            snprintf(ax, sizeof ax, "crises in the week");
        } else {
            axis_label(series[k], ax, sizeof ax);
        }
        fputs("set title ", f);
        label(f, series[k]);
        fputs("\nset ylabel ", f);
        label(f, ax);
        fprintf(f,
                "\nplot 'timeseries.dat' index %d using 1:3:4 with filledcurves lc rgb '%s', "
                "\\\n     '' index %d using 1:2 with lines lc rgb '%s' lw 2\n",
                k, palette[k % N_PALETTE], k, palette[k % N_PALETTE]);
    }
    fputs("unset multiplot\n", f);
    fclose(f);
    return render(dir, "timeseries", 1600, 360 * rows + 120, err, err_len);
}

/* sweep: each chosen metric against the first key, one line per value of the second key. */
static int fig_sweep(const char *dir, const struct table *t, char *err, size_t err_len)
{
    int cm = table_col(t, "metric");
    int n_keys = cm; /* the varied keys come first */
    int cmean = table_col(t, "mean"), cl = table_col(t, "ci_low"), ch = table_col(t, "ci_high");
    const char *metrics[8];
    char *names[512];
    int n_names = 0, drawn = 0;
    for (int r = 0; r < t->n_rows && n_names < 512; r++) {
        names[n_names++] = (char *)table_at(t, r, cm);
    }
    int nm = choose_metrics(names, n_names, metrics, 6);
    for (int m = 0; m < nm; m++) {
        char name[300];
        snprintf(name, sizeof name, "sweep_%s", metrics[m]);
        FILE *d = open_in(dir, name, "dat");
        if (!d) {
            snprintf(err, err_len, "%s/%s.dat: %s", dir, name, strerror(errno));
            return -1;
        }
        fputs("# x,group,mean,ci_low,ci_high; one block per value of the second key\n", d);
        double groups[16];
        int ng = 0;
        for (int r = 0; r < t->n_rows; r++) { /* the groups, in order */
            double g = n_keys > 1 ? table_num(t, r, 1) : 0.0;
            bool seen = false;
            for (int k = 0; k < ng; k++) {
                seen |= groups[k] == g;
            }
            if (!seen && ng < 16) {
                groups[ng++] = g;
            }
        }
        for (int gi = 0; gi < ng; gi++) {
            for (int r = 0; r < t->n_rows; r++) {
                double g = n_keys > 1 ? table_num(t, r, 1) : 0.0;
                if (strcmp(table_at(t, r, cm), metrics[m]) == 0 && g == groups[gi]) {
                    fprintf(d, "%s,%d,%s,%s,%s\n", table_at(t, r, 0), gi, table_at(t, r, cmean),
                            table_at(t, r, cl), table_at(t, r, ch));
                }
            }
            fputs("\n\n", d);
        }
        fclose(d);
        FILE *f = open_in(dir, name, "gp");
        if (!f) {
            snprintf(err, err_len, "%s/%s.gp: %s", dir, name, strerror(errno));
            return -1;
        }
        script_head(f, name, "a sweep: mean and 95% confidence band at each point");
        char ax[256];
        axis_label(metrics[m], ax, sizeof ax);
        fputs("set title ", f);
        label(f, metrics[m]);
        fputs(" font ',16'\nset xlabel ", f);
        label(f, t->header[0]);
        fputs("\nset ylabel ", f);
        label(f, ax);
        fputs("\nset yrange [0:*]\nset style fill transparent solid 0.2 noborder\n"
              "set key outside right title ",
              f);
        label(f, n_keys > 1 ? t->header[1] : "");
        fputs("\nplot ", f);
        for (int g = 0; g < ng; g++) {
            char title[64];
            if (n_keys > 1) {
                snprintf(title, sizeof title, "%.6g", groups[g]);
            } else {
                snprintf(title, sizeof title, "mean");
            }
            fprintf(f,
                    "%s'%s.dat' index %d using 1:4:5 with filledcurves lc rgb '%s' notitle, '' "
                    "index %d using 1:3 with linespoints lc rgb '%s' lw 2 pt 7 title '%s'",
                    g ? ", \\\n     " : "", name, g, palette[g % N_PALETTE], g,
                    palette[g % N_PALETTE], title);
        }
        fputs("\n", f);
        fclose(f);
        if (render(dir, name, 1400, 900, err, err_len) != 0) {
            return -1;
        }
        drawn++;
    }
    return drawn;
}

/* tornado: the low and high ends of each parameter's effect on a metric, widest first. */
static int fig_tornado(const char *dir, const struct table *t, const char *metric, char *err,
                       size_t err_len)
{
    int cp = table_col(t, "parameter"), cm = table_col(t, "metric"), cld = table_col(t, "low_diff"),
        chd = table_col(t, "high_diff"), clo = table_col(t, "low"), chi = table_col(t, "high");
    struct bar {
        int row;
        double width;
    } bars[256];
    int n = 0;
    for (int r = 0; r < t->n_rows && n < 256; r++) {
        if (strcmp(table_at(t, r, cm), metric) == 0) {
            bars[n].row = r;
            bars[n].width = fabs(table_num(t, r, chd) - table_num(t, r, cld));
            n++;
        }
    }
    if (n == 0) {
        return 0;
    }
    for (int i = 1; i < n; i++) { /* widest at the top: sort ascending, drawn bottom-up */
        for (int j = i; j > 0 && bars[j].width < bars[j - 1].width; j--) {
            struct bar tmp = bars[j];
            bars[j] = bars[j - 1];
            bars[j - 1] = tmp;
        }
    }
    char name[300];
    snprintf(name, sizeof name, "tornado_%s", metric);
    FILE *d = open_in(dir, name, "dat");
    if (!d) {
        snprintf(err, err_len, "%s/%s.dat: %s", dir, name, strerror(errno));
        return -1;
    }
    fputs("row,parameter,low_diff,high_diff\n", d);
    for (int i = 0; i < n; i++) {
        int r = bars[i].row;
        fprintf(d, "%d,%s (%s to %s),%s,%s\n", i, table_at(t, r, cp), table_at(t, r, clo),
                table_at(t, r, chi), table_at(t, r, cld), table_at(t, r, chd));
    }
    fclose(d);
    FILE *f = open_in(dir, name, "gp");
    if (!f) {
        snprintf(err, err_len, "%s/%s.gp: %s", dir, name, strerror(errno));
        return -1;
    }
    script_head(f, name, "one-way sensitivity: change at the low and high end of each range");
    char ax[256];
    axis_label(metric, ax, sizeof ax);
    fputs("set title \"One-way sensitivity of ", f);
    fputs(metric, f);
    fputs(" (change from the base, same clients)\" font ',16'\nset xlabel ", f);
    char xl[300];
    snprintf(xl, sizeof xl, "change in %s", ax);
    label(f, xl);
    fprintf(f,
            "\nset yrange [-0.7:%d.7]\nset ytics scale 0 font ',11'\nunset grid\n"
            "set grid xtics lc rgb '#DDDDDD'\nset style fill solid 0.85 noborder\n"
            "set key outside bottom center horizontal\n"
            "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444'\n"
            "plot '%s.dat' skip 1 using (0):1:($3 < 0 ? $3 : 0):($3 < 0 ? 0 : $3):"
            "($1-0.38):($1-0.02):ytic(2) with boxxyerror lc rgb '%s' title 'low end of the "
            "range', \\\n"
            "     '' skip 1 using (0):1:($4 < 0 ? $4 : 0):($4 < 0 ? 0 : $4):($1+0.02):"
            "($1+0.38) with boxxyerror lc rgb '%s' title 'high end of the range'\n",
            n - 1, name, palette[4], palette[3]);
    fclose(f);
    if (render(dir, name, 1500, 300 + 36 * n, err, err_len) != 0) {
        return -1;
    }
    return 1;
}

/* flow: where clients went in a year, from a care run's summary. */
static int fig_flow(const char *dir, const struct table *t, char *err, size_t err_len)
{
    int cm = table_col(t, "metric"), cmean = table_col(t, "mean");
    double v[16];
    const char *want[] = {"referrals_per_year",
                          "signposted_pct",
                          "clients_in_service",
                          "caseload",
                          "crises",
                          "ed_visits",
                          "admissions",
                          "crisis_team_contacts",
                          "team_crisis_responses",
                          "out_of_area_placements",
                          NULL};
    for (int k = 0; want[k]; k++) {
        v[k] = NAN;
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, cm), want[k]) == 0) {
                v[k] = table_num(t, r, cmean);
            }
        }
        if (isnan(v[k])) {
            return 0; /* not a care-model run */
        }
    }
    double per = v[2] / 100.0; /* rates are per 100 clients in service per year */
    double referred = v[0], signposted = v[0] * v[1] / 100.0, accepted = referred - signposted;
    double crises = v[4] * per, ed = v[5] * per, adm = v[6] * per, crt = (v[7] + v[8]) * per,
           oap = v[9] * per;
    FILE *f = open_in(dir, "flow", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/flow.gp: %s", dir, strerror(errno));
        return -1;
    }
    FILE *d = open_in(dir, "flow", "dat");
    if (d) {
        fprintf(d,
                "stage,per_year\nreferred,%.1f\nsignposted,%.1f\naccepted,%.1f\n"
                "coordinated_mean,%.1f\ncrises,%.1f\ncrisis_team,%.1f\ned,%.1f\n"
                "admitted,%.1f\nout_of_area,%.1f\n",
                referred, signposted, accepted, v[3], crises, crt, ed, adm, oap);
        fclose(d);
    }
    script_head(f, "flow", "where clients went in a year (means across replications)");
    fputs("unset border\nunset tics\nunset grid\nset xrange [0:103]\nset yrange [0:60]\n"
          "set title \"Where clients went: a year after warm-up (means across replications)\" "
          "font ',16'\nset style rect fc rgb '#FFFFFF' fs solid 1.0 border lc rgb '#444444'\n",
          f);
    struct box {
        double x, y;
        const char *text;
        double value;
        const char *color;
    } boxes[] = {
        {10, 45, "referred", referred, palette[0]},
        {35, 52, "signposted away", signposted, palette[7]},
        {35, 38, "accepted for assessment", accepted, palette[0]},
        {62, 38, "coordinated (mean caseload)", v[3], palette[2]},
        {62, 22, "crises", crises, palette[3]},
        {88, 38, "crisis or home-treatment team", crt, palette[4]},
        {88, 22, "ED visits", ed, palette[1]},
        {88, 6, "admitted", adm, palette[5]},
        {62, 6, "out of area", oap, palette[3]},
    };
    int nb = (int)(sizeof boxes / sizeof boxes[0]);
    for (int i = 0; i < nb; i++) {
        fprintf(f,
                "set object %d rect center %g,%g size 22,9 fc rgb '%s' fs transparent solid 0.18 "
                "border lc rgb '%s' lw 2\n"
                "set label %d \"%.0f\\n%s\" at %g,%g center font ',13'\n",
                i + 1, boxes[i].x, boxes[i].y, boxes[i].color, boxes[i].color, i + 1,
                boxes[i].value, boxes[i].text, boxes[i].x, boxes[i].y);
    }
    /* Arrows between box edges (boxes are 22 wide and 9 high); the crisis team's admissions
     * go round the right of the ED box. */
    const double arrows[][4] = {
        {21, 45, 24, 52},  {21, 45, 24, 38}, {46, 38, 51, 38},     {62, 33.5, 62, 26.5},
        {73, 22, 77, 38},  {73, 22, 77, 22}, {88, 17.5, 88, 10.5}, {99, 38, 101, 38},
        {101, 38, 101, 6}, {101, 6, 99, 6},  {77, 6, 73, 6},
    };
    for (size_t a = 0; a < sizeof arrows / sizeof arrows[0]; a++) {
        bool head = a != 7 && a != 8; /* the detour's first two legs have no head */
        fprintf(f, "set arrow %zu from %g,%g to %g,%g %s lc rgb '#555555' lw 1.5\n", a + 1,
                arrows[a][0], arrows[a][1], arrows[a][2], arrows[a][3],
                head ? "head filled size 1.5,20" : "nohead");
    }
    fputs(
        "set label 100 \"per year; crises, ED visits and admissions include clients who have left "
        "the service\" at 50,0.5 center font ',10' tc rgb '#555555'\n"
        "plot NaN notitle\n",
        f);
    fclose(f);
    if (render(dir, "flow", 1600, 900, err, err_len) != 0) {
        return -1;
    }
    return 1;
}

/* ---- the folder --------------------------------------------------------------------------- */

/* Removes what an earlier drawing left in ccsim's own figures folder (figures, scripts, data,
 * logs), so that the folder holds this drawing only. */
static void clear_figures(const char *figs)
{
    static const char *const ext[] = {".png", ".svg", ".pdf", ".gp", ".dat", ".log", NULL};
    DIR *d = opendir(figs);
    struct dirent *e;
    char path[8400];
    if (!d) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        for (int i = 0; ext[i]; i++) {
            size_t el = strlen(ext[i]);
            if (len > el && strcmp(e->d_name + len - el, ext[i]) == 0) {
                snprintf(path, sizeof path, "%.4000s/%.4000s", figs, e->d_name);
                unlink(path);
                break;
            }
        }
    }
    closedir(d);
}

/* The scenario's file name (without folder and .cfg) from a manifest.json, if there is one. */
static void manifest_scenario(const char *path, char *buf, size_t n)
{
    char line[4096];
    FILE *f = fopen(path, "r");
    if (!f) {
        return;
    }
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "\"scenario\": \"");
        if (!p) {
            continue;
        }
        p += strlen("\"scenario\": \"");
        const char *end = strchr(p, '"');
        const char *slash = p;
        for (const char *q = p; end && q < end; q++) {
            slash = *q == '/' ? q + 1 : slash;
        }
        if (end && end > slash) {
            size_t len = (size_t)(end - slash);
            if (len > 4 && strncmp(end - 4, ".cfg", 4) == 0) {
                len -= 4;
            }
            snprintf(buf, n, "%.*s", (int)len, slash);
        }
        break;
    }
    fclose(f);
}

int plot_folder(const char *dir, char *err, size_t err_len)
{
    char path[4096], figs[4096];
    struct stat st;
    int drawn = 0;

    errno = 0;
    bool any = false;

    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "%s is not a results folder (%s)", dir,
                 errno ? strerror(errno) : "not a folder");
        return -1;
    }
    if (!plot_available(err, err_len)) {
        return -1;
    }
    static const char *const sources[] = {"summary.csv", "comparison.csv",  "timeseries.csv",
                                          "sweep.csv",   "sensitivity.csv", NULL};
    bool has_source = false;
    for (int i = 0; sources[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, sources[i]);
        has_source |= access(path, F_OK) == 0;
    }
    if (!has_source) {
        snprintf(err, err_len,
                 "%s holds no file to draw from (summary.csv, comparison.csv, timeseries.csv, "
                 "sweep.csv or sensitivity.csv)",
                 dir);
        return -1;
    }
    snprintf(figs, sizeof figs, "%s/figures", dir);
    if (mkdir(figs, 0777) != 0 && errno != EEXIST) {
        snprintf(err, err_len, "cannot create %s: %s", figs, strerror(errno));
        return -1;
    }
    clear_figures(figs);

    struct table t;
    int rc;
    /* comparison.csv: outcomes by scenario and the forest plot. */
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    if ((rc = table_read(path, &t, err, err_len)) < 0) {
        return -1;
    }
    if (rc == 0) {
        static const char *const need[] = {"metric",      "scenario",     "mean",
                                           "ci_low",      "ci_high",      "diff",
                                           "diff_ci_low", "diff_ci_high", NULL};
        any = true;
        if (!has_columns(&t, path, need, err, err_len) ||
            fig_outcomes(figs, &t, table_col(&t, "metric"), table_col(&t, "scenario"),
                         table_col(&t, "mean"), table_col(&t, "ci_low"), table_col(&t, "ci_high"),
                         NULL, err, err_len) < 0) {
            table_free(&t);
            return -1;
        }
        drawn++;
        int k = fig_differences(figs, &t, err, err_len);
        table_free(&t);
        if (k < 0) {
            return -1;
        }
        drawn += k;
    } else {
        /* summary.csv of a run: outcomes and the flow diagram, named after the scenario. */
        char run_name[256] = "this run";
        snprintf(path, sizeof path, "%s/manifest.json", dir);
        manifest_scenario(path, run_name, sizeof run_name);
        snprintf(path, sizeof path, "%s/summary.csv", dir);
        if ((rc = table_read(path, &t, err, err_len)) < 0) {
            return -1;
        }
        if (rc == 0) {
            static const char *const need[] = {"metric", "mean", "ci_low", "ci_high", NULL};
            any = true;
            if (!has_columns(&t, path, need, err, err_len) ||
                fig_outcomes(figs, &t, table_col(&t, "metric"), -1, table_col(&t, "mean"),
                             table_col(&t, "ci_low"), table_col(&t, "ci_high"), run_name, err,
                             err_len) < 0) {
                table_free(&t);
                return -1;
            }
            drawn++;
            int k = fig_flow(figs, &t, err, err_len);
            table_free(&t);
            if (k < 0) {
                return -1;
            }
            drawn += k;
        }
    }
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    if ((rc = table_read(path, &t, err, err_len)) < 0) {
        return -1;
    }
    if (rc == 0) {
        static const char *const need[] = {"week", "metric", "mean", "ci_low", "ci_high", NULL};
        any = true;
        int k = has_columns(&t, path, need, err, err_len) && t.n_rows > 0
                    ? fig_timeseries(figs, &t, err, err_len)
                    : -1;
        if (k == -1 && t.n_rows == 0) {
            snprintf(err, err_len, "%s: no rows", path);
        }
        table_free(&t);
        if (k < 0) {
            return -1;
        }
        drawn++;
    }
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    if ((rc = table_read(path, &t, err, err_len)) < 0) {
        return -1;
    }
    if (rc == 0) {
        static const char *const need[] = {"metric", "mean", "ci_low", "ci_high", "n", NULL};
        any = true;
        int k = has_columns(&t, path, need, err, err_len) && table_col(&t, "metric") >= 1
                    ? fig_sweep(figs, &t, err, err_len)
                    : -1;
        table_free(&t);
        if (k < 0) {
            return -1;
        }
        drawn += k;
    }
    snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
    if ((rc = table_read(path, &t, err, err_len)) < 0) {
        return -1;
    }
    if (rc == 0) {
        static const char *const need[] = {"parameter", "low",       "high", "metric",
                                           "low_diff",  "high_diff", NULL};
        any = true;
        if (!has_columns(&t, path, need, err, err_len)) {
            table_free(&t);
            return -1;
        }
        for (int h = 0; headline[h]; h++) {
            int k = fig_tornado(figs, &t, headline[h], err, err_len);
            if (k < 0) {
                table_free(&t);
                return -1;
            }
            drawn += k;
        }
        if (drawn == 0 && t.n_rows > 0) { /* not the care model: the first metric */
            int k = fig_tornado(figs, &t, table_at(&t, 0, table_col(&t, "metric")), err, err_len);
            drawn += k > 0 ? k : 0;
        }
        table_free(&t);
    }
    if (!any) {
        snprintf(err, err_len,
                 "%s holds no file to draw from (summary.csv, comparison.csv, timeseries.csv, "
                 "sweep.csv or sensitivity.csv)",
                 dir);
        return -1;
    }
    return drawn;
}
