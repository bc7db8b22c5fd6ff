#include "analysis/report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/manifest.h"
#include "analysis/par.h"
#include "analysis/plot.h"
#include "analysis/psa.h"
#include "analysis/report_bid.h"
#include "analysis/report_psa.h"
#include "analysis/stationarity.h"
#include "analysis/table.h"
#include "analysis/validate.h"
#include "models/model.h"
#include "sim/error.h"
#include "sim/xalloc.h"

extern char **environ;

/* Where an installed ccsim keeps its scenarios (make install; the Makefile passes PREFIX). */
#ifndef CCSIM_DATADIR
#define CCSIM_DATADIR "/usr/local/share/ccsim"
#endif

/* ---- small helpers ------------------------------------------------------------------------ */

/* Chromium while it prints, for report_on_signal(). */
static volatile sig_atomic_t chromium_pid;

/* A text file of the folder (or a scenario file it names) as a stream over a copy in memory:
 * regular files only, opened non-blocking, at most max bytes and only the bytes the file held
 * when opened (analysis/table.h), so that no file can block or exhaust the report. NULL when
 * it cannot be read or is empty; *buf is the copy, freed by the caller after fclose. */
static FILE *open_text(const char *path, size_t max, char **buf)
{
    char err[256];
    size_t n;
    *buf = table_slurp(path, max, &n, err, sizeof err);
    if (!*buf) {
        return NULL;
    }
    FILE *f = n > 0 ? fmemopen(*buf, n, "r") : NULL;
    if (!f) {
        free(*buf);
        *buf = NULL;
    }
    return f;
}

static void html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

void report_html(FILE *f, const char *s)
{
    html(f, s);
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n) {
            v |= (unsigned)p[i + 1] << 8;
        }
        if (i + 2 < n) {
            v |= p[i + 2];
        }
        fputc(tab[(v >> 18) & 63], f);
        fputc(tab[(v >> 12) & 63], f);
        fputc(i + 1 < n ? tab[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? tab[v & 63] : '=', f);
    }
}

/* ---- CSV ---------------------------------------------------------------------------------- */

/* Reads DIR/NAME into t when it exists and checks it against cols: 0 (*present says whether it
 * was there) or -1 with "FILE:LINE: ..." in err. */
static int read_rows(const char *dir, const char *name, const struct table_column *cols,
                     struct table *t, bool *present, char *err, size_t err_len)
{
    char path[4400];
    snprintf(path, sizeof path, "%.4000s/%s", dir, name);
    int rc = table_read(path, t, err, err_len);
    *present = rc == 0;
    if (rc < 0 || (rc == 0 && table_check(t, cols, err, err_len) != 0)) {
        return -1;
    }
    return 0;
}

static void number(FILE *f, const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end) {
        html(f, s);
    } else if (fabs(v) >= 100 || v == floor(v)) {
        fprintf(f, "%.1f", v);
    } else {
        fprintf(f, "%.3g", v);
    }
}

/* ---- resolved scenarios: path, value and origin of every value ----------------------------- */

struct param {
    char *path, *value, *origin;
};

struct params {
    struct param *v;
    int n, cap;
};

static void params_free(struct params *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].value);
        free(p->v[i].origin);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* Reads a scenario.resolved.cfg as ccsim writes it: one value per line with its origin in a
 * comment, groups and lists opened on their own line. */
static void read_params(const char *path, struct params *out)
{
    char *text;
    FILE *f = open_text(path, 16 << 20, &text);
    char line[8192];
    char stack[32][320];
    int index[32], is_list[32], depth = 0;

    memset(out, 0, sizeof *out);
    if (!f) {
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ') {
            p++;
        }
        if (*p == '#' || *p == '\n' || *p == '\0') {
            continue;
        }
        if (*p == '}' || *p == ')') {
            if (depth > 0) {
                depth--;
            }
            continue;
        }
        char name[256] = "";
        char *eq = strstr(p, " = ");
        char *rest = p;
        if (eq && (!strchr(p, '"') || strchr(p, '"') > eq)) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - p), p);
            rest = eq + 3;
        }
        char prefix[1024] = "";
        size_t len = 0;
        for (int d = 0; d < depth && len < sizeof prefix; d++) {
            int w = snprintf(prefix + len, sizeof prefix - len, "%s", stack[d]);
            len += w > 0 ? (size_t)w : 0;
        }
        char elem[300] = "";
        if (!name[0] && depth > 0 && is_list[depth - 1]) {
            snprintf(elem, sizeof elem, "[%d]", index[depth - 1]++);
        } else if (name[0]) {
            snprintf(elem, sizeof elem, "%s%s", len ? "." : "", name);
        }
        if (*rest == '{' || *rest == '(') {
            if (depth < 32) {
                snprintf(stack[depth], sizeof stack[depth], "%s", elem);
                is_list[depth] = *rest == '(';
                index[depth] = 0;
                depth++;
            }
            continue;
        }
        char *hash = strstr(rest, "  # ");
        char value[8192], origin[1024] = "";
        if (hash) {
            snprintf(value, sizeof value, "%.*s", (int)(hash - rest), rest);
            snprintf(origin, sizeof origin, "%s", hash + 4);
            origin[strcspn(origin, "\n")] = '\0';
        } else {
            snprintf(value, sizeof value, "%s", rest);
            value[strcspn(value, "\n")] = '\0';
        }
        size_t vl = strlen(value);
        while (vl > 0 && (value[vl - 1] == ';' || value[vl - 1] == ',' || value[vl - 1] == ' ')) {
            value[--vl] = '\0';
        }
        if (out->n == out->cap) {
            out->cap = out->cap ? 2 * out->cap : 128;
            out->v = xreallocarray(out->v, (size_t)out->cap, sizeof *out->v);
        }
        char full[1400];
        snprintf(full, sizeof full, "%s%s", prefix, elem);
        out->v[out->n].path = xstrdup(full);
        out->v[out->n].value = xstrdup(value);
        out->v[out->n].origin = xstrdup(origin);
        out->n++;
    }
    fclose(f);
    free(text);
}

static const char *param_value(const struct params *p, const char *path)
{
    for (int i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].path, path) == 0) {
            return p->v[i].value;
        }
    }
    return NULL;
}

/* The leading comment block of a scenario file: its question. */
static void question(FILE *f, const char *scenario)
{
    char *text;
    FILE *s = open_text(scenario, 16 << 20, &text);
    char line[2048];
    bool any = false;
    if (!s) {
        fputs("<p class=\"note\">The scenario file ", f);
        html(f, scenario);
        fputs(" is not at hand, so its question cannot be quoted.</p>\n", f);
        return;
    }
    fputs("<blockquote>", f);
    while (fgets(line, sizeof line, s)) {
        if (line[0] != '#') {
            if (any) {
                break;
            }
            continue;
        }
        char *t = line + 1;
        while (*t == ' ') {
            t++;
        }
        t[strcspn(t, "\n")] = '\0';
        if (!*t) {
            fputs("<br><br>", f);
        } else {
            html(f, t);
            fputc(' ', f);
        }
        any = true;
    }
    fclose(s);
    free(text);
    fputs("</blockquote>\n", f);
}

/* ---- the validation status of the scenario's models ------------------------------------- */

#define MAX_PRESETS 16

/* The coordination presets a scenario uses: the values of its keys named "preset" (whatever
 * group holds them), distinct, in the resolved file's order. */
struct presets {
    char name[MAX_PRESETS][64];
    int n;
};

static void presets_add(struct presets *ps, const struct params *p)
{
    for (int i = 0; i < p->n; i++) {
        const char *path = p->v[i].path;
        size_t len = strlen(path);
        if (!(len >= 6 && strcmp(path + len - 6, "preset") == 0 &&
              (len == 6 || path[len - 7] == '.'))) {
            continue;
        }
        char name[64];
        const char *v = p->v[i].value;
        size_t vl = strlen(v);
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
            snprintf(name, sizeof name, "%.*s", (int)(vl - 2), v + 1);
        } else {
            snprintf(name, sizeof name, "%s", v);
        }
        bool seen = false;
        for (int k = 0; k < ps->n; k++) {
            seen |= strcmp(ps->name[k], name) == 0;
        }
        if (!seen && name[0] && ps->n < MAX_PRESETS) {
            snprintf(ps->name[ps->n++], sizeof ps->name[0], "%s", name);
        }
    }
}

/* The status file of the validation (scenarios/validation/status.csv, written by ccsim validate
 * --status): beside the scenarios, that is in the validation folder next to the scenario's own
 * folder or in the scenario's folder itself, else in the installed data folder. The first that
 * exists goes into path; every place looked at into tried. Returns whether one exists. */
static bool status_find(const char *scenario_file, char *path, size_t n, char *tried,
                        size_t tried_len)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", scenario_file);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    char cand[3][4200];
    snprintf(cand[0], sizeof cand[0], "%.4000s/../validation/%s", dir, VALIDATE_STATUS);
    snprintf(cand[1], sizeof cand[1], "%.4000s/%s", dir, VALIDATE_STATUS);
    snprintf(cand[2], sizeof cand[2], "%s/scenarios/validation/%s", CCSIM_DATADIR, VALIDATE_STATUS);
    tried[0] = '\0';
    for (int i = 0; i < 3; i++) {
        struct stat st;
        if (stat(cand[i], &st) == 0 && S_ISREG(st.st_mode)) {
            /* Named without the "..", as the reader would look for it. */
            char *real = realpath(cand[i], NULL);
            snprintf(path, n, "%.4199s", real ? real : cand[i]);
            free(real);
            return true;
        }
        size_t len = strlen(tried);
        snprintf(tried + len, tried_len - len, "%s%s", i ? ", " : "", cand[i]);
    }
    return false;
}

/* An effect as the status file gives it: "KIND POINT (LOW to HIGH)". */
static void status_effect(FILE *f, const struct table *t, int r, const char *point, const char *lo,
                          const char *hi)
{
    html(f, table_at(t, r, table_col(t, "kind")));
    fputc(' ', f);
    number(f, table_at(t, r, table_col(t, point)));
    fputs(" (", f);
    number(f, table_at(t, r, table_col(t, lo)));
    fputs(" to ", f);
    number(f, table_at(t, r, table_col(t, hi)));
    fputc(')', f);
}

/* Whether the ';'-separated list models names preset. */
static bool names_preset(const char *models, const char *preset)
{
    size_t n = strlen(preset);
    for (const char *p = models; *p;) {
        size_t len = strcspn(p, ";");
        if (len == n && strncmp(p, preset, n) == 0) {
            return true;
        }
        p += len + (p[len] == ';');
    }
    return false;
}

static const char validation_pointer[] =
    "<p>ccsim's models with published effects to reproduce are checked against them by "
    "<code>ccsim validate</code> (<code>make validate</code>); the current result and the reasons "
    "behind any failing row are in docs/validation.md of the ccsim sources. Its simulation kernel "
    "is checked against queueing theory by its test suite.</p>\n";

/* The section for a run or a comparison: for each preset of the scenarios, the published
 * effects that validate it, from the status file, with their verdicts, failing ones included;
 * or that none does. A status file that is missing or unreadable is said so on the page (it is
 * not the folder's own file, so the report is still written). */
static void validation_status(FILE *f, const struct presets *ps, const char *scenario_file)
{
    char path[4200], tried[13000], err[1024];
    struct table t = {0};

    if (ps->n == 0) {
        fputs("<p>The scenario uses no coordination preset, so no published effect of one "
              "applies to it.</p>\n",
              f);
        fputs(validation_pointer, f);
        return;
    }
    if (!status_find(scenario_file, path, sizeof path, tried, sizeof tried)) {
        fputs("<p class=\"note\">No validation status file was found (looked for ", f);
        html(f, tried);
        fputs("; <code>make validation-status</code> writes it), so the validation status of "
              "this scenario's models is not shown.</p>\n",
              f);
        fputs(validation_pointer, f);
        return;
    }
    int rc = table_read(path, &t, err, sizeof err);
    if (rc != 0 || table_check(&t, validate_status_columns, err, sizeof err) != 0) {
        fputs("<p class=\"note\">The validation status file could not be read: ", f);
        html(f, err);
        fputs(".</p>\n", f);
        fputs(validation_pointer, f);
        table_free(&t);
        return;
    }
    int c_models = table_col(&t, "models"), c_verdict = table_col(&t, "verdict");
    fputs("<p>The published effects that validate the coordination models this scenario uses "
          "(by preset), with ccsim's simulated effect of the same contrast and whether it lies "
          "inside the published 95% interval, from ",
          f);
    html(f, path);
    fputs(" (<code>ccsim validate</code> on ", f);
    html(f, table_at(&t, 0, table_col(&t, "date")));
    fputs(", seed ", f);
    html(f, table_at(&t, 0, table_col(&t, "seed")));
    fputs("). A failing row means ccsim does not reproduce that published effect: read the "
          "scenario's results for that model with it in mind (docs/validation.md gives the "
          "reasons).</p>\n",
          f);
    for (int k = 0; k < ps->n; k++) {
        int n = 0, n_pass = 0;
        for (int r = 0; r < t.n_rows; r++) {
            if (names_preset(table_at(&t, r, c_models), ps->name[k])) {
                n++;
                n_pass += strcmp(table_at(&t, r, c_verdict), "pass") == 0;
            }
        }
        fputs("<h3>", f);
        html(f, ps->name[k]);
        fputs("</h3>\n", f);
        if (n == 0) {
            fputs("<p>", f);
            html(f, ps->name[k]);
            fputs(": no published effect validates this model.</p>\n", f);
            continue;
        }
        fprintf(f, "<p>%d of %d published effects reproduced.</p>\n", n_pass, n);
        fputs("<table><tr><th>published effect</th><th>published</th><th>simulated</th>"
              "<th>use</th><th>result</th></tr>\n",
              f);
        for (int r = 0; r < t.n_rows; r++) {
            if (!names_preset(table_at(&t, r, c_models), ps->name[k])) {
                continue;
            }
            bool pass = strcmp(table_at(&t, r, c_verdict), "pass") == 0;
            fputs("<tr><td>", f);
            html(f, table_at(&t, r, table_col(&t, "row")));
            fputs("</td><td class=\"n\">", f);
            status_effect(f, &t, r, "published", "low", "high");
            fputs("</td><td class=\"n\">", f);
            status_effect(f, &t, r, "simulated", "sim_low", "sim_high");
            fputs("</td><td>", f);
            html(f, table_at(&t, r, table_col(&t, "use")));
            fputs(pass ? "</td><td class=\"pass\">pass" : "</td><td class=\"fail\">fail", f);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    table_free(&t);
}

/* ---- the page ----------------------------------------------------------------------------- */

static const char style[] =
    "<style>\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1100px;"
    "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
    "h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;"
    "margin-top:2em}\n"
    "table{border-collapse:collapse;width:100%;font-size:.92em;margin:1em 0}\n"
    "th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}\n"
    "th{background:#f2f6fa}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}\n"
    "figcaption{font-size:.9em;color:#555}\n"
    "blockquote{background:#f7f7f7;border-left:4px solid #E69F00;margin:1em 0;padding:.6em 1em}\n"
    ".note{color:#555;font-size:.92em}.pass{color:#009E73;font-weight:600}"
    ".fail{color:#D55E00;font-weight:600}\n"
    "details summary{cursor:pointer;font-weight:600;margin:.5em 0}\n"
    "code{background:#f2f2f2;padding:0 .2em}\n"
    "</style>\n";

static void figure(FILE *f, const char *figs, const char *name, const char *caption)
{
    char path[4400];
    size_t n;
    snprintf(path, sizeof path, "%.4000s/%.200s.png", figs, name);
    char why[256];
    char *png = table_slurp(path, 64 << 20, &n, why, sizeof why);
    if (!png) {
        return;
    }
    fputs("<figure><img alt=\"", f);
    html(f, caption);
    fputs("\" src=\"data:image/png;base64,", f);
    base64(f, (const unsigned char *)png, n);
    fputs("\"><figcaption>", f);
    html(f, caption);
    fputs(" (SVG and PDF beside it in figures/)</figcaption></figure>\n", f);
    free(png);
}

/* Whether row r of t is a headline row: its headline column says 1, or t has no such column
 * (a folder written before it existed: every metric is shown). */
static bool is_headline(const struct table *t, int r)
{
    int ch = table_col(t, "headline");
    return ch < 0 || strcmp(table_at(t, r, ch), "1") == 0;
}

/* Whether t marks any row a headline one (else every row is shown). */
static bool any_headline(const struct table *t)
{
    int ch = table_col(t, "headline");
    for (int r = 0; ch >= 0 && r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, ch), "1") == 0) {
            return true;
        }
    }
    return false;
}

/* The metric of row r as three table cells: in words, its unit, its name (the name, nothing and
 * the name for a table without labels and units). */
static void metric_cells(FILE *f, const struct table *t, int r)
{
    int cm = table_col(t, "metric"), cl = table_col(t, "label"), cu = table_col(t, "unit");
    fputs("<td>", f);
    html(f, cl >= 0 && table_at(t, r, cl)[0] ? table_at(t, r, cl) : table_at(t, r, cm));
    fputs("</td><td>", f);
    html(f, cu >= 0 ? table_at(t, r, cu) : "");
    fputs("</td><td>", f);
    html(f, table_at(t, r, cm));
    fputs("</td>", f);
}

/* ---- equity: the headline outcomes by group (groups.csv) ----------------------------------- */

/*
 * One table per kind of group of groups.csv (severity, each attribute, transfer): a row per
 * group, a column per headline metric of the summary that groups.csv gives by group, each cell
 * its mean and 95% interval; the highest mean of each column is in bold (the longest wait, the
 * most admissions). Nothing when the folder has no groups.csv; a groups.csv that does not read
 * is said in a note, not a failure.
 */
static void equity(FILE *f, const char *dir, const struct table *summary)
{
    static const struct table_column cols[] = {
        {"group_kind", TABLE_TEXT}, {"group", TABLE_TEXT},    {"metric", TABLE_TEXT},
        {"mean", TABLE_NUMBER},     {"ci_low", TABLE_NUMBER}, {"ci_high", TABLE_NUMBER},
        {NULL, TABLE_TEXT}};
    char path[4400], err[512];
    struct table g = {0};

    snprintf(path, sizeof path, "%.4000s/groups.csv", dir);
    int rc = table_read(path, &g, err, sizeof err);
    if (rc == 1) {
        return;
    }
    fputs("<h2>Equity: outcomes by group</h2>\n", f);
    if (rc != 0 || table_check(&g, cols, err, sizeof err) != 0) {
        fputs("<p class=\"note\">groups.csv does not read: ", f);
        html(f, err);
        fputs("</p>\n", f);
        table_free(&g);
        return;
    }
    int ck = table_col(&g, "group_kind"), cg = table_col(&g, "group"), cm = table_col(&g, "metric"),
        cmean = table_col(&g, "mean"), clo = table_col(&g, "ci_low"),
        chi = table_col(&g, "ci_high");
    /* The summary's headline metrics that groups.csv has. */
    const char *head[16];
    int n_head = 0, sm = table_col(summary, "metric");
    for (int r = 0; r < summary->n_rows && n_head < 16; r++) {
        const char *m = table_at(summary, r, sm);
        bool in_groups = false;
        for (int q = 0; q < g.n_rows && !in_groups; q++) {
            in_groups = strcmp(table_at(&g, q, cm), m) == 0;
        }
        if (in_groups && is_headline(summary, r)) {
            head[n_head++] = m;
        }
    }
    fputs("<p>The headline outcomes for each group of clients, mean across replications with its "
          "95% confidence interval; a group's rates are per 100 of its own client-years in the "
          "service. The highest value of each column is in bold: the group that waits longest, "
          "or has the most events. Every metric of every group is in groups.csv.</p>\n",
          f);
    for (int r0 = 0; r0 < g.n_rows; r0++) {
        const char *kind = table_at(&g, r0, ck);
        bool seen = false;
        for (int q = 0; q < r0 && !seen; q++) {
            seen = strcmp(table_at(&g, q, ck), kind) == 0;
        }
        if (seen) {
            continue;
        }
        fputs("<h3>By ", f);
        html(f, kind);
        fputs("</h3>\n<table><tr><th>group</th>", f);
        double top[16];
        for (int h = 0; h < n_head; h++) {
            struct table_meta meta;
            table_metric_meta(summary, sm, head[h], &meta);
            top[h] = -HUGE_VAL;
            for (int r = r0; r < g.n_rows; r++) {
                double v = table_num(&g, r, cmean);
                if (strcmp(table_at(&g, r, ck), kind) == 0 &&
                    strcmp(table_at(&g, r, cm), head[h]) == 0 && !isnan(v) && v > top[h]) {
                    top[h] = v;
                }
            }
            fputs("<th>", f);
            html(f, meta.label);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        for (int r1 = r0; r1 < g.n_rows; r1++) {
            const char *group = table_at(&g, r1, cg);
            bool first = strcmp(table_at(&g, r1, ck), kind) == 0;
            for (int q = r0; q < r1 && first; q++) {
                first = !(strcmp(table_at(&g, q, ck), kind) == 0 &&
                          strcmp(table_at(&g, q, cg), group) == 0);
            }
            if (!first) {
                continue;
            }
            fputs("<tr><td>", f);
            html(f, group);
            fputs("</td>", f);
            for (int h = 0; h < n_head; h++) {
                int row = -1;
                for (int r = r1; r < g.n_rows && row < 0; r++) {
                    if (strcmp(table_at(&g, r, ck), kind) == 0 &&
                        strcmp(table_at(&g, r, cg), group) == 0 &&
                        strcmp(table_at(&g, r, cm), head[h]) == 0) {
                        row = r;
                    }
                }
                fputs("<td class=\"n\">", f);
                if (row >= 0 && !isnan(table_num(&g, row, cmean))) {
                    bool is_top = table_num(&g, row, cmean) == top[h];
                    fputs(is_top ? "<b>" : "", f);
                    number(f, table_at(&g, row, cmean));
                    fputs(" (", f);
                    number(f, table_at(&g, row, clo));
                    fputs(" to ", f);
                    number(f, table_at(&g, row, chi));
                    fputs(is_top ? ")</b>" : ")", f);
                } else {
                    fputs("NA", f);
                }
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    table_free(&g);
}

/* ---- steady state: the stationarity diagnostics (analysis/stationarity.h) ------------------- */

static const struct table_column diagnostics_cols[] = {
    {"series", TABLE_TEXT},           {"level", TABLE_NUMBER},
    {"drift_per_year", TABLE_NUMBER}, {"drift_low", TABLE_NUMBER},
    {"drift_high", TABLE_NUMBER},     {"relative_drift_per_year", TABLE_NUMBER},
    {"first_half", TABLE_NUMBER},     {"second_half", TABLE_NUMBER},
    {"verdict", TABLE_TEXT},          {NULL, TABLE_TEXT}};

/* Whether name is a diagnostics file: diagnostics.csv (a run) or NAME.diagnostics.csv (each
 * scenario of a comparison). */
static bool is_diagnostics(const char *name)
{
    size_t len = strlen(name), k = strlen("diagnostics.csv");
    return strcmp(name, "diagnostics.csv") == 0 ||
           (len > k + 1 && strcmp(name + len - k - 1, ".diagnostics.csv") == 0);
}

/* Checks every diagnostics file of dir, as every other file the report reads: 0, or -1 with
 * "FILE:LINE: ..." in err. */
static int check_diagnostics(const char *dir, char *err, size_t err_len)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    int rc = 0;

    while (dp && rc == 0 && (e = readdir(dp))) {
        if (is_diagnostics(e->d_name)) {
            struct table t = {0};
            bool present;
            rc = read_rows(dir, e->d_name, diagnostics_cols, &t, &present, err, err_len);
            table_free(&t);
        }
    }
    if (dp) {
        closedir(dp);
    }
    return rc;
}

/* A share as a signed percentage with one decimal; nothing for NaN. */
static void percent(FILE *f, double x)
{
    if (!isnan(x)) {
        fprintf(f, "%+.1f%%", 100.0 * x);
    }
}

/* The distinct scenarios of a comparison table, in order of first appearance (the reference
 * first), at most max of them into out. Returns how many. */
static int comparison_names(const struct table *comparison, const char **out, int max)
{
    int cs = table_col(comparison, "scenario"), n = 0;
    for (int r = 0; cs >= 0 && r < comparison->n_rows && n < max; r++) {
        const char *name = table_at(comparison, r, cs);
        bool seen = false;
        for (int k = 0; k < n && !seen; k++) {
            seen = strcmp(out[k], name) == 0;
        }
        if (!seen) {
            out[n++] = name;
        }
    }
    return n;
}

/* One sentence for the summary's caveats: how many of the published effects that validate the
 * scenario's coordination presets ccsim reproduces, and which it does not. "" when the status
 * file is not found (the validation section says so). */
static void validation_caveat(const struct presets *ps, const char *scenario_file, char *out,
                              size_t n)
{
    char path[4200], tried[13000], err[1024];
    struct table t = {0};
    out[0] = '\0';
    if (ps->n == 0 || !status_find(scenario_file, path, sizeof path, tried, sizeof tried) ||
        table_read(path, &t, err, sizeof err) != 0 ||
        table_check(&t, validate_status_columns, err, sizeof err) != 0) {
        table_free(&t);
        return;
    }
    int c_models = table_col(&t, "models"), c_verdict = table_col(&t, "verdict"),
        c_row = table_col(&t, "row");
    int rows = 0, pass = 0;
    char failing[2048] = "";
    for (int r = 0; r < t.n_rows; r++) {
        bool uses = false;
        for (int k = 0; k < ps->n && !uses; k++) {
            uses = names_preset(table_at(&t, r, c_models), ps->name[k]);
        }
        if (!uses) {
            continue;
        }
        rows++;
        if (strcmp(table_at(&t, r, c_verdict), "pass") == 0) {
            pass++;
        } else {
            size_t len = strlen(failing);
            snprintf(failing + len, sizeof failing - len, "%s%s", len ? "; " : "",
                     table_at(&t, r, c_row));
        }
    }
    if (rows == 0) {
        snprintf(out, n,
                 "No published effect validates the coordination models this scenario "
                 "uses.");
    } else if (pass == rows) {
        snprintf(out, n,
                 "ccsim reproduces all %d published effects that validate the coordination "
                 "models used.",
                 rows);
    } else {
        snprintf(out, n,
                 "ccsim reproduces %d of the %d published effects that validate the "
                 "coordination models used; it does not reproduce: %.1800s (see Validation "
                 "status).",
                 pass, rows, failing);
    }
    table_free(&t);
}

/* The drifting series of one diagnostics file into *drift of *series (both added to). */
static void count_drifting(const char *dir, const char *file, int *drift, int *series)
{
    struct table t = {0};
    char err[512];
    bool present = false;
    if (read_rows(dir, file, diagnostics_cols, &t, &present, err, sizeof err) == 0 && present) {
        int cv = table_col(&t, "verdict");
        for (int r = 0; r < t.n_rows; r++) {
            *drift += strcmp(table_at(&t, r, cv), "drifting") == 0;
        }
        *series += t.n_rows;
    }
    table_free(&t);
}

/* The coordination presets of a run's scenario, or of every scenario of a comparison. */
static void collect_presets(const char *dir, const struct table *comparison, bool is_compare,
                            struct presets *ps)
{
    char path[4400];
    struct params p = {0};
    if (!is_compare) {
        snprintf(path, sizeof path, "%.4000s/scenario.resolved.cfg", dir);
        read_params(path, &p);
        presets_add(ps, &p);
        params_free(&p);
        return;
    }
    const char *names[64];
    int n = comparison_names(comparison, names, 64);
    for (int k = 0; k < n; k++) {
        snprintf(path, sizeof path, "%.4000s/%.200s.resolved.cfg", dir, names[k]);
        memset(&p, 0, sizeof p);
        read_params(path, &p);
        presets_add(ps, &p);
        params_free(&p);
    }
}

/* The limitations a bid must state: steady state, validation, the parameters' own uncertainty,
 * and the assumptions among the values used (counted in the reference's resolved scenario, where
 * a default's source says "assumption"), with where their weight is measured. */
static void limitations(FILE *f, const char *dir, const struct table *comparison, bool is_compare,
                        const char *model, const char *validation, const char *steady,
                        const char *psa)
{
    char path[4400];
    const char *names[1];
    if (is_compare && comparison_names(comparison, names, 1) == 1) {
        snprintf(path, sizeof path, "%.4000s/%.200s.resolved.cfg", dir, names[0]);
    } else {
        snprintf(path, sizeof path, "%.4000s/scenario.resolved.cfg", dir);
    }
    struct params p = {0};
    read_params(path, &p);
    int n_assumed = 0;
    for (int i = 0; i < p.n; i++) {
        n_assumed += strstr(p.v[i].origin, "assumption") != NULL;
    }
    fputs("<h2>Limitations</h2>\n<ul>\n", f);
    if (steady[0]) {
        fputs("<li>", f);
        html(f, steady);
        fputs("</li>\n", f);
    }
    if (validation[0]) {
        fputs("<li>", f);
        html(f, validation);
        fputs(" A failing row means the model does not reproduce that trial's effect: an answer "
              "that rests on the same mechanism carries the same doubt.</li>\n",
              f);
    }
    if (psa) { /* a probabilistic sensitivity analysis: the parameters were drawn */
        fputs("<li>", f);
        html(f, psa);
        if (is_compare && table_col(comparison, "diff") >= 0) {
            fputs(" The confidence intervals of the other tables are the simulation's own "
                  "chance (replications) only.",
                  f);
        }
        fputs("</li>\n", f);
    } else {
        fputs("<li>Every interval is the simulation's own chance (replications) only: the "
              "parameters are taken as known, though many come from studies with intervals of "
              "their own or are assumptions.</li>\n",
              f);
    }
    if (p.n > 0) {
        fprintf(f,
                "<li>%d of the %d values the %s uses are built-in defaults whose source is an "
                "assumption (marked so under Parameters); values set in the scenario files say "
                "their source in the files' comments.",
                n_assumed, p.n, is_compare ? "reference scenario" : "scenario");
        fputs(" <code>ccsim sensitivity SCENARIO</code> moves each value that has a plausible "
              "range to the ends of it and shows how far each outcome moves",
              f);
        if (strcmp(model, "care") == 0) {
            fputs("; in the shipped baseline region, admissions move most with the crisis "
                  "hazard scale (<code>risk.scale</code>), then the recovery and crisis rates "
                  "of a deterioration, how long clients out of the service are followed "
                  "(<code>risk.follow_days</code>) and the crisis team's admission probability "
                  "(docs/model.md, 3.4)",
                  f);
        }
        fputs(".</li>\n", f);
    }
    fputs("</ul>\n", f);
    params_free(&p);
}

/* The summary's caveats and the bid sections' data, from the folder. */
static void bid_caveats(const char *dir, const struct table *comparison, bool is_compare,
                        const char *scenario_file, char *validation, size_t vn, char *steady,
                        size_t sn)
{
    struct presets ps = {.n = 0};
    collect_presets(dir, comparison, is_compare, &ps);
    validation_caveat(&ps, scenario_file, validation, vn);
    int drift = 0, series = 0;
    if (!is_compare) {
        count_drifting(dir, "diagnostics.csv", &drift, &series);
    } else {
        const char *names[64];
        int n = comparison_names(comparison, names, 64);
        for (int k = 0; k < n; k++) {
            char file[300];
            snprintf(file, sizeof file, "%.200s.diagnostics.csv", names[k]);
            count_drifting(dir, file, &drift, &series);
        }
    }
    if (series == 0) {
        steady[0] = '\0';
    } else if (drift > 0) {
        snprintf(steady, sn,
                 "The run is not steady: %d of %d weekly series drift after the warm-up, so "
                 "the figures depend on the run's length (see Steady state).",
                 drift, series);
    } else {
        snprintf(steady, sn, "The run is steady: no weekly series drifts after the warm-up.");
    }
}

/* The steady-state account of one diagnostics file (already checked), under title when not
 * NULL; a note when the file is absent. */
static void steady_state(FILE *f, const char *dir, const char *file, const char *title)
{
    struct table t = {0};
    char err[512];
    bool present = false;

    if (title) {
        fputs("<h3>", f);
        html(f, title);
        fputs("</h3>\n", f);
    }
    if (read_rows(dir, file, diagnostics_cols, &t, &present, err, sizeof err) != 0 || !present) {
        fputs("<p class=\"note\">No stationarity diagnostics (", f);
        html(f, file);
        fputs("): the model publishes no weekly series, or the folder was written before ccsim "
              "checked them.</p>\n",
              f);
        table_free(&t);
        return;
    }
    int cs = table_col(&t, "series"), cl = table_col(&t, "label"), cu = table_col(&t, "unit"),
        cm = table_col(&t, "metric"), clev = table_col(&t, "level"),
        cd = table_col(&t, "drift_per_year"), cdl = table_col(&t, "drift_low"),
        cdh = table_col(&t, "drift_high"), crel = table_col(&t, "relative_drift_per_year"),
        c1 = table_col(&t, "first_half"), c2 = table_col(&t, "second_half"),
        cv = table_col(&t, "verdict"), ccl = table_col(&t, "change_low"),
        cch = table_col(&t, "change_high"), ccr = table_col(&t, "relative_change_per_year");
    int n_drift = 0, n_untested = 0;
    for (int r = 0; r < t.n_rows; r++) {
        n_drift += strcmp(table_at(&t, r, cv), "drifting") == 0;
        n_untested += strcmp(table_at(&t, r, cv), "untested") == 0;
    }
    if (n_drift == 0 && n_untested == t.n_rows && t.n_rows > 0) {
        fputs("<p class=\"note\">Untested: the drift of the weekly series after the warm-up "
              "cannot be told from noise without an interval (one replication, or too few "
              "weeks).</p>\n",
              f);
    } else if (n_drift > 0) {
        fprintf(f,
                "<p class=\"fail\">Not steady: %d of %d weekly series drift after the warm-up, "
                "so the results above depend on the run length: a longer run would give other "
                "figures. Lengthen the warm-up or start from a snapshot of the service, and see "
                "the metrics each drifting series follows.</p>\n",
                n_drift, t.n_rows);
    } else {
        fputs("<p class=\"pass\">Steady: no weekly series drifts after the warm-up.</p>\n", f);
    }
    fprintf(f,
            "<p class=\"note\">For each weekly series, over the weeks after the warm-up: the "
            "least-squares slope in each replication, averaged over the replications with a "
            "simultaneous 95%% interval, as a drift per year in the series' unit and relative to "
            "its level; and the means of the first and second halves of those weeks, with a "
            "simultaneous 95%% interval of the change between them (paired replications) and "
            "the change per year between the halves' midpoints. A series drifts when either "
            "interval excludes zero and the drift exceeds %.1f%% of its level a "
            "year (docs/model.md, 4.2).</p>\n<table><tr><th>series</th><th>unit</th>"
            "<th>metric it follows</th><th>level</th><th>drift a year</th><th>95%% CI</th>"
            "<th>relative a year</th><th>first half</th><th>second half</th>"
            "<th>95%% CI of the change</th><th>relative a year</th><th>verdict</th></tr>\n",
            100.0 * STATIONARITY_MAX_DRIFT);
    for (int r = 0; r < t.n_rows; r++) {
        const char *v = table_at(&t, r, cv);
        fputs("<tr><td>", f);
        html(f, cl >= 0 && table_at(&t, r, cl)[0] ? table_at(&t, r, cl) : table_at(&t, r, cs));
        fputs("</td><td>", f);
        html(f, cu >= 0 ? table_at(&t, r, cu) : "");
        fputs("</td><td>", f);
        if (cm >= 0 && strcmp(table_at(&t, r, cm), "NA") != 0) {
            fputs("<code>", f);
            html(f, table_at(&t, r, cm));
            fputs("</code>", f);
        }
        fputs("</td><td class=\"n\">", f);
        number(f, table_at(&t, r, clev));
        fputs("</td><td class=\"n\">", f);
        number(f, table_at(&t, r, cd));
        fputs("</td><td class=\"n\">", f);
        if (strcmp(table_at(&t, r, cdl), "NA") != 0) {
            number(f, table_at(&t, r, cdl));
            fputs(" to ", f);
            number(f, table_at(&t, r, cdh));
        }
        fputs("</td><td class=\"n\">", f);
        percent(f, table_num(&t, r, crel));
        fputs("</td><td class=\"n\">", f);
        number(f, table_at(&t, r, c1));
        fputs("</td><td class=\"n\">", f);
        number(f, table_at(&t, r, c2));
        fputs("</td><td class=\"n\">", f);
        if (ccl >= 0 && cch >= 0 && strcmp(table_at(&t, r, ccl), "NA") != 0) {
            number(f, table_at(&t, r, ccl));
            fputs(" to ", f);
            number(f, table_at(&t, r, cch));
        }
        fputs("</td><td class=\"n\">", f);
        percent(f, ccr >= 0 ? table_num(&t, r, ccr) : NAN);
        fputs(strcmp(v, "drifting") == 0 ? "</td><td class=\"fail\">"
              : strcmp(v, "steady") == 0 ? "</td><td class=\"pass\">"
                                         : "</td><td>",
              f);
        html(f, v);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    table_free(&t);
}

/* ---- scenario keys in words ---------------------------------------------------------------- */

/* The declaration of the key at a dotted path ("coordination.models[0].posts") of a scenario
 * of model, from the model's tables (list indices as "[]") or the keys every scenario shares;
 * NULL when none declares it (a distribution's parameter, say, or a model ccsim no longer
 * has). */
static const struct cfg_key *find_key(const char *model, const char *path)
{
    char norm[600], *name;
    size_t k = 0;

    for (const char *p = path; *p && k + 3 < sizeof norm; p++) {
        norm[k++] = *p;
        if (*p == '[') {
            while (p[1] >= '0' && p[1] <= '9') {
                p++;
            }
        }
    }
    norm[k] = '\0';
    name = strrchr(norm, '.');
    if (name) {
        *name++ = '\0';
    } else {
        name = norm;
    }
    const char *prefix = name == norm ? "" : norm;
    for (int i = 0; model && model_registry[i]; i++) {
        const struct model_ops *ops = model_registry[i];
        if (strcmp(ops->name, model) != 0) {
            continue;
        }
        for (const struct cfg_table *const *t = ops->tables; t && *t; t++) {
            const struct cfg_key *key =
                strcmp((*t)->path, prefix) == 0 ? cfg_table_key(*t, name) : NULL;
            if (key) {
                return key;
            }
        }
    }
    return prefix[0] ? NULL : cfg_table_key(&scenario_table, name);
}

/* A key as a table cell's text: what it is in words, then its path as code; the path alone
 * when no declaration is found. */
static void key_words(FILE *f, const char *model, const char *path)
{
    const struct cfg_key *key = find_key(model, path);
    if (key && key->help) {
        html(f, key->help);
        fputs("<br>", f);
    }
    fputs("<code>", f);
    html(f, path);
    fputs("</code>", f);
}

/* The unit of the key at path, "" when it has none or none is found. */
static const char *key_unit(const char *model, const char *path)
{
    const struct cfg_key *key = find_key(model, path);
    return key && key->unit ? key->unit : "";
}

/* ---- sweeps and one-way sensitivity: their results tables ---------------------------------- */

static const struct table_column sweep_cols[] = {{"metric", TABLE_TEXT},
                                                 {"mean", TABLE_NUMBER},
                                                 {"ci_low", TABLE_NUMBER},
                                                 {"ci_high", TABLE_NUMBER},
                                                 {NULL, TABLE_TEXT}};
static const struct table_column sens_cols[] = {
    {"parameter", TABLE_TEXT}, {"low", TABLE_FINITE},      {"high", TABLE_FINITE},
    {"metric", TABLE_TEXT},    {"low_diff", TABLE_NUMBER}, {"high_diff", TABLE_NUMBER},
    {NULL, TABLE_TEXT}};
/* Columns a table shows when the file has them (sensitivity.csv of ccsim has them all). */
static const char *const sens_optional[] = {"base",
                                            "low_mean",
                                            "high_mean",
                                            "low_diff_ci_low",
                                            "low_diff_ci_high",
                                            "high_diff_ci_low",
                                            "high_diff_ci_high",
                                            NULL};

/* At most this many points of a sweep in each metric's table (every one is in sweep.csv). */
#define REPORT_MAX_POINTS 200

/* Reads sweep.csv and sensitivity.csv of dir when they exist and checks them as the figures
 * do: 0, or -1 with "FILE:LINE: ..." in err. */
static int read_sweep_tables(const char *dir, struct table *sweep, bool *has_sweep,
                             struct table *sens, bool *has_sens, char *err, size_t err_len)
{
    if (read_rows(dir, "sweep.csv", sweep_cols, sweep, has_sweep, err, err_len) != 0 ||
        read_rows(dir, "sensitivity.csv", sens_cols, sens, has_sens, err, err_len) != 0) {
        return -1;
    }
    if (*has_sweep) {
        int cm = table_col(sweep, "metric"), cn = table_col(sweep, "n");
        if (cm < 1) {
            snprintf(err, err_len,
                     "%s:%d: no varied key before 'metric' (a column per varied key, then "
                     "metric, mean, ci_low, ci_high and n, are expected)",
                     sweep->path, sweep->header_line);
            return -1;
        }
        for (int k = 0; k < cm; k++) {
            if (table_check_column(sweep, k, TABLE_FINITE, err, err_len) != 0) {
                return -1;
            }
        }
        if (cn >= 0 && table_check_column(sweep, cn, TABLE_COUNT, err, err_len) != 0) {
            return -1;
        }
    }
    for (int i = 0; *has_sens && sens_optional[i]; i++) {
        int c = table_col(sens, sens_optional[i]);
        if (c >= 0 && table_check_column(sens, c, TABLE_NUMBER, err, err_len) != 0) {
            return -1;
        }
    }
    return 0;
}

/* The metrics a results table shows: the headline ones (every one when the file marks none), in
 * order of first appearance; at most max. */
static int shown_metrics(const struct table *t, const char **out, int max)
{
    return table_headlines(t, table_col(t, "metric"), out, max);
}

/* "LABEL (UNIT)" of metric in t, or its name when t has no label. */
static void metric_title(const struct table *t, const char *metric, char *buf, size_t n)
{
    struct table_meta mm;
    table_metric_meta(t, table_col(t, "metric"), metric, &mm);
    if (mm.unit[0] && !strstr(mm.label, mm.unit)) { /* "Crises per 100 client-years" */
        snprintf(buf, n, "%s (%s)", mm.label, mm.unit);
    } else {
        snprintf(buf, n, "%s", mm.label);
    }
}

/* A value and its interval as cells: "MEAN" then "LOW to HIGH" (empty when NA). */
static void mean_ci_cells(FILE *f, const struct table *t, int r, int cmean, int clo, int chi)
{
    fputs("<td class=\"n\">", f);
    if (cmean >= 0) {
        number(f, table_at(t, r, cmean));
    }
    fputs("</td><td class=\"n\">", f);
    if (clo >= 0 && chi >= 0 && strcmp(table_at(t, r, clo), "NA") != 0) {
        number(f, table_at(t, r, clo));
        fputs(" to ", f);
        number(f, table_at(t, r, chi));
    }
    fputs("</td>", f);
}

/* The best point of a sweep for each outcome (sweep_best.csv, analysis/sweep_best.h), when the
 * folder has it: the answer to "which value is best?" with the points as good. */
/* A point's name from sweep_best.csv ("a.b.key=1 & c.d=2") with each key's last part only
 * ("key=1 & d=2"), for a page. */
static void short_point(FILE *f, const char *point)
{
    char buf[2048];
    size_t k = 0;
    const char *seg = point;
    while (*seg && k + 1 < sizeof buf) {
        const char *end = strstr(seg, " & "), *eq = strchr(seg, '=');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        const char *start = seg;
        for (const char *q = seg; eq && q < eq && q < seg + len; q++) {
            if (*q == '.') {
                start = q + 1;
            }
        }
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%.*s", seg == point ? "" : " & ",
                              (int)(seg + len - start), start);
        if (!end || k >= sizeof buf) {
            break;
        }
        seg = end + 3;
    }
    html(f, buf);
}

static void sweep_best_section(FILE *f, const char *dir, const struct table *sweep)
{
    static const struct table_column cols[] = {{"metric", TABLE_TEXT},   {"better", TABLE_TEXT},
                                               {"best", TABLE_TEXT},     {"mean", TABLE_NUMBER},
                                               {"ci_low", TABLE_NUMBER}, {"ci_high", TABLE_NUMBER},
                                               {"n_tied", TABLE_COUNT},  {NULL, TABLE_TEXT}};
    struct table t = {0};
    char err[512];
    bool present = false;
    if (read_rows(dir, "sweep_best.csv", cols, &t, &present, err, sizeof err) != 0 || !present) {
        table_free(&t);
        return;
    }
    int cm = table_col(&t, "metric"), cl = table_col(&t, "label"), cu = table_col(&t, "unit"),
        cb = table_col(&t, "best"), cbt = table_col(&t, "better"), ct = table_col(&t, "tied"),
        cmean = table_col(&t, "mean"), clo = table_col(&t, "ci_low"),
        chi = table_col(&t, "ci_high");
    fputs("<h3>The best point for each outcome</h3>\n<p>For each headline outcome and count a "
          "year, the point of the grid with the best mean, and the points that cannot be told "
          "from it: every point runs the same clients and random numbers, so each is compared "
          "with the best by the paired 95% interval of its difference (every outcome with a "
          "better direction is in sweep_best.csv).</p>\n"
          "<table><tr><th>outcome</th><th>unit</th><th>best</th><th>there (95% CI)</th>"
          "<th>as good (paired)</th></tr>\n",
          f);
    int sm = table_col(sweep, "metric");
    for (int r = 0; r < t.n_rows; r++) {
        const char *name = table_at(&t, r, cm);
        size_t len = strlen(name);
        struct table_meta meta;
        table_metric_meta(sweep, sm, name, &meta);
        if (!meta.is_headline && !(len > 9 && strcmp(name + len - 9, "_per_year") == 0)) {
            continue;
        }
        fputs("<tr><td>", f);
        html(f, cl >= 0 && table_at(&t, r, cl)[0] ? table_at(&t, r, cl) : table_at(&t, r, cm));
        fputs("</td><td>", f);
        html(f, cu >= 0 ? table_at(&t, r, cu) : "");
        fputs("</td><td>", f);
        html(f, strcmp(table_at(&t, r, cbt), "lower") == 0 ? "lowest at " : "highest at ");
        short_point(f, table_at(&t, r, cb));
        fputs("</td><td class=\"n\">", f);
        char v[3][48];
        fprintf(f, "%s (%s to %s)</td><td>", csv_amount(table_num(&t, r, cmean), v[0], sizeof v[0]),
                csv_amount(table_num(&t, r, clo), v[1], sizeof v[1]),
                csv_amount(table_num(&t, r, chi), v[2], sizeof v[2]));
        if (ct >= 0 && table_at(&t, r, ct)[0]) {
            /* "; "-separated points */
            char list[4096];
            snprintf(list, sizeof list, "%s", table_at(&t, r, ct));
            char *save = NULL;
            int k = 0;
            for (char *pt = strtok_r(list, ";", &save); pt; pt = strtok_r(NULL, ";", &save)) {
                fputs(k++ ? "; " : "", f);
                short_point(f, pt[0] == ' ' ? pt + 1 : pt);
            }
        } else {
            fputs("none", f);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    table_free(&t);
}

/* The sweep's results: what was varied, then for each shown metric a table of its mean and 95%
 * interval at every point of the grid. */
static void sweep_results(FILE *f, const struct table *t, const char *model)
{
    int cm = table_col(t, "metric"), cmean = table_col(t, "mean"), clo = table_col(t, "ci_low"),
        chi = table_col(t, "ci_high"), cn = table_col(t, "n");
    int n_keys = cm;
    const char *metrics[64];
    int nm = shown_metrics(t, metrics, 64);

    fputs("<p>The scenario was run at every point of a grid over ", f);
    for (int k = 0; k < n_keys; k++) {
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        int nv = 0;
        for (int r = 0; r < t->n_rows; r++) {
            double v = table_num(t, r, k);
            bool seen = false;
            for (int q = 0; q < r && !seen; q++) {
                seen = table_num(t, q, k) == v;
            }
            nv += !seen;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        const struct cfg_key *key = find_key(model, t->header[k]);
        const char *unit = key_unit(model, t->header[k]);
        fputs(k == 0 ? "" : k + 1 == n_keys ? " and " : ", ", f);
        fputs("<code>", f);
        html(f, t->header[k]);
        fputs("</code> (", f);
        if (key && key->help) {
            html(f, key->help);
            fputs("; ", f);
        }
        fprintf(f, "%d value%s, %.6g to %.6g", nv, nv == 1 ? "" : "s", lo, hi);
        if (unit[0]) {
            fputc(' ', f);
            html(f, unit);
        }
        fputc(')', f);
    }
    fputs(", every point on the same seed and replications, so that neighbouring points share "
          "their clients and random numbers (common random numbers). Each table gives a "
          "metric's mean across replications at each point with its 95% confidence "
          "interval.</p>\n",
          f);
    for (int m = 0; m < nm; m++) {
        struct table_meta mm;
        char title[1200];
        table_metric_meta(t, cm, metrics[m], &mm);
        metric_title(t, metrics[m], title, sizeof title);
        fputs("<h3>", f);
        html(f, title);
        fputs("</h3>\n<table><tr>", f);
        for (int k = 0; k < n_keys; k++) {
            const char *unit = key_unit(model, t->header[k]);
            fputs("<th>", f);
            key_words(f, model, t->header[k]);
            if (unit[0]) {
                fputs(" (", f);
                html(f, unit);
                fputc(')', f);
            }
            fputs("</th>", f);
        }
        fputs("<th>mean", f);
        if (mm.unit[0]) {
            fputs(" (", f);
            html(f, mm.unit);
            fputc(')', f);
        }
        fputs("</th><th>95% CI</th>", f);
        fputs(cn >= 0 ? "<th>replications</th></tr>\n" : "</tr>\n", f);
        int shown = 0, n_points = 0;
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) != 0) {
                continue;
            }
            if (n_points++ >= REPORT_MAX_POINTS) {
                continue;
            }
            shown++;
            fputs("<tr>", f);
            for (int k = 0; k < n_keys; k++) {
                fputs("<td class=\"n\">", f);
                html(f, table_at(t, r, k));
                fputs("</td>", f);
            }
            mean_ci_cells(f, t, r, cmean, clo, chi);
            if (cn >= 0) {
                fputs("<td class=\"n\">", f);
                html(f, table_at(t, r, cn));
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
        if (shown < n_points) {
            fprintf(f, "<p class=\"note\">The first %d of %d points.</p>\n", shown, n_points);
        }
    }
    fputs("<p class=\"note\">Every metric at every point is in sweep.csv (the column "
          "<code>metric</code> names it).</p>\n",
          f);
}

struct sens_row {
    int row;
    double width;
};

static int by_width(const void *a, const void *b)
{
    const struct sens_row *x = a, *y = b;
    return (x->width < y->width) - (x->width > y->width); /* widest first */
}

/* One end of a parameter's range as cells: the mean there, and the change from the base with
 * its interval. */
static void sens_end_cells(FILE *f, const struct table *t, int r, const char *mean,
                           const char *diff, const char *lo, const char *hi)
{
    int cmean = table_col(t, mean), cd = table_col(t, diff), cl = table_col(t, lo),
        ch = table_col(t, hi);
    fputs("<td class=\"n\">", f);
    if (cmean >= 0) {
        number(f, table_at(t, r, cmean));
    }
    fputs("</td>", f);
    mean_ci_cells(f, t, r, cd, cl, ch);
}

/* The one-way sensitivity results: for each shown metric, every parameter's effect at the low
 * and high end of its plausible range, widest first (as the tornado figure). */
static void sensitivity_results(FILE *f, const struct table *t, const char *model)
{
    int cm = table_col(t, "metric"), cp = table_col(t, "parameter"), cl = table_col(t, "low"),
        ch = table_col(t, "high"), cb = table_col(t, "base"), cld = table_col(t, "low_diff"),
        chd = table_col(t, "high_diff");
    const char *metrics[64];
    int nm = shown_metrics(t, metrics, 64);
    struct sens_row *rows = xcalloc((size_t)t->n_rows + 1, sizeof *rows);

    fputs("<p>Each parameter that declares a plausible range was set to the low and then the "
          "high end of it, everything else as in the base scenario, on the base's seed and "
          "replications (the same clients and random numbers). Each table gives, for one "
          "metric, the mean at each end and its change from the base (the value at that end "
          "minus the base's) with the 95% interval of the paired replications; the parameters "
          "whose range moves the metric most come first.</p>\n",
          f);
    for (int m = 0; m < nm; m++) {
        struct table_meta mm;
        char title[1200];
        int n = 0;
        table_metric_meta(t, cm, metrics[m], &mm);
        metric_title(t, metrics[m], title, sizeof title);
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) == 0) {
                double w = fabs(table_num(t, r, chd) - table_num(t, r, cld));
                rows[n++] = (struct sens_row){r, isnan(w) ? -1 : w};
            }
        }
        qsort(rows, (size_t)n, sizeof *rows, by_width);
        fputs("<h3>", f);
        html(f, title);
        fputs("</h3>\n", f);
        if (cb >= 0 && n > 0) {
            fputs("<p>Base: ", f);
            number(f, table_at(t, rows[0].row, cb));
            if (mm.unit[0]) {
                fputc(' ', f);
                html(f, mm.unit);
            }
            fputs(".</p>\n", f);
        }
        fputs("<table><tr><th>parameter</th><th>plausible range</th><th>mean at the low end"
              "</th><th>change</th><th>95% CI of the change</th><th>mean at the high end</th>"
              "<th>change</th><th>95% CI of the change</th></tr>\n",
              f);
        for (int i = 0; i < n; i++) {
            int r = rows[i].row;
            const char *unit = key_unit(model, table_at(t, r, cp));
            fputs("<tr><td>", f);
            key_words(f, model, table_at(t, r, cp));
            fputs("</td><td class=\"n\">", f);
            html(f, table_at(t, r, cl));
            fputs(" to ", f);
            html(f, table_at(t, r, ch));
            if (unit[0]) {
                fputc(' ', f);
                html(f, unit);
            }
            fputs("</td>", f);
            sens_end_cells(f, t, r, "low_mean", "low_diff", "low_diff_ci_low", "low_diff_ci_high");
            sens_end_cells(f, t, r, "high_mean", "high_diff", "high_diff_ci_low",
                           "high_diff_ci_high");
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
        if (mm.unit[0]) {
            fputs("<p class=\"note\">Means and changes in ", f);
            html(f, mm.unit);
            fputs(".</p>\n", f);
        }
    }
    free(rows);
    fputs("<p class=\"note\">Every metric of every parameter is in sensitivity.csv.</p>\n", f);
}

/* The caption of the sweep or tornado figure name (without ".png") in words, from the table
 * it was drawn from; the metric's name when no row of the table gives it. */
static void sweep_caption(const char *name, const struct table *sweep, bool has_sweep,
                          const struct table *sens, bool has_sens, char *buf, size_t n)
{
    bool is_sweep = strncmp(name, "sweep_", 6) == 0;
    const struct table *t = is_sweep ? (has_sweep ? sweep : NULL) : (has_sens ? sens : NULL);
    int cm = t ? table_col(t, "metric") : -1;
    char title[1200];

    snprintf(title, sizeof title, "%s", strchr(name, '_') + 1);
    for (int r = 0; cm >= 0 && r < t->n_rows; r++) {
        char fig[300];
        plot_figure_name(is_sweep ? "sweep_" : "tornado_", table_at(t, r, cm), fig, sizeof fig);
        if (strcmp(fig, name) == 0) {
            metric_title(t, table_at(t, r, cm), title, sizeof title);
            break;
        }
    }
    if (is_sweep) {
        int n_keys = t ? table_col(t, "metric") : 0;
        snprintf(buf, n, "Sweep: %s at each point, mean and 95%% confidence band, against %s%s%s",
                 title, n_keys > 0 ? t->header[0] : "the first varied key",
                 n_keys > 1 ? ", one line for each value of " : "", n_keys > 1 ? t->header[1] : "");
    } else {
        snprintf(buf, n,
                 "One-way sensitivity: %s, change from the base at the low and high end of each "
                 "parameter's plausible range, widest first",
                 title);
    }
}

static int find_chromium(char *buf, size_t n)
{
    const char *env = getenv("CCSIM_CHROMIUM");
    if (env && *env) {
        snprintf(buf, n, "%s", env);
        return access(buf, X_OK) == 0 ? 0 : -1;
    }
    const char *names[] = {"chromium", "chromium-browser", "google-chrome", NULL};
    const char *path = getenv("PATH");
    for (int k = 0; names[k]; k++) {
        for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
            size_t len = strcspn(p, ":");
            snprintf(buf, n, "%.*s/%s", (int)len, p, names[k]);
            if (len > 0 && access(buf, X_OK) == 0) {
                return 0;
            }
            p += len;
            if (*p == ':') {
                p++;
            }
        }
    }
    return -1;
}

static int print_pdf(const char *dir, char *err, size_t err_len)
{
    char chromium[4096], html_path[4400], pdf[4400], arg[4500], url[4500];
    if (find_chromium(chromium, sizeof chromium) != 0) {
        snprintf(err, err_len,
                 "no Chromium to print the PDF with (make deps-browser installs "
                 "it, or set CCSIM_CHROMIUM)");
        return -2;
    }
    char absdir[4096];
    if (!realpath(dir, absdir)) {
        snprintf(err, err_len, "%.900s: %s", dir, strerror(errno));
        return -2;
    }
    snprintf(html_path, sizeof html_path, "%s/report.html", absdir);
    snprintf(pdf, sizeof pdf, "%s/report.pdf", absdir);
    snprintf(arg, sizeof arg, "--print-to-pdf=%s", pdf);
    /* file:// URL with everything but unreserved characters and '/' percent-encoded */
    size_t k = (size_t)snprintf(url, sizeof url, "file://");
    for (const unsigned char *c = (const unsigned char *)html_path; *c && k + 4 < sizeof url; c++) {
        if (isalnum(*c) || strchr("/-._~", *c)) {
            url[k++] = (char)*c;
        } else {
            k += (size_t)snprintf(url + k, sizeof url - k, "%%%02X", *c);
        }
    }
    url[k] = '\0';
    char *argv[] = {
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", arg,
        url,      NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, chromium, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (rc != 0) {
        snprintf(err, err_len, "cannot run %.900s: %s", chromium, strerror(rc));
        return -2;
    }
    chromium_pid = pid;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            chromium_pid = 0;
            snprintf(err, err_len, "waiting for %.900s: %s", chromium, strerror(errno));
            return -2;
        }
    }
    chromium_pid = 0;
    struct stat st;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(pdf, &st) != 0 || st.st_size == 0) {
        snprintf(err, err_len, "%.900s did not print report.pdf", chromium);
        return -2;
    }
    return 0;
}

/* The --draws N (or --draws=N) of a manifest's command, 0 when it has none. */
static long manifest_draws(const struct manifest_info *m)
{
    for (int i = 0; i < m->argc; i++) {
        const char *a = m->argv[i];
        if (strcmp(a, "--draws") == 0 && i + 1 < m->argc) {
            return strtol(m->argv[i + 1], NULL, 10);
        }
        if (strncmp(a, "--draws=", 8) == 0) {
            return strtol(a + 8, NULL, 10);
        }
    }
    return 0;
}

/* The callbacks of the PSA section (report_psa.h): a figure of figures/ when drawn, a key in
 * words. */
struct psa_ctx {
    const char *figs, *model;
};

static void psa_figure(FILE *f, void *ctx, const char *name, const char *caption)
{
    const struct psa_ctx *c = ctx;
    figure(f, c->figs, name, caption);
}

static void psa_key(FILE *f, void *ctx, const char *path)
{
    const struct psa_ctx *c = ctx;
    key_words(f, c->model, path);
}

void report_on_signal(void)
{
    pid_t pid = (pid_t)chromium_pid;
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    plot_on_signal(); /* removes the report's staging folder with the figures' */
}

int report_write(const char *dir, bool pdf, char *err, size_t err_len)
{
    return report_write_flags(dir, pdf ? REPORT_PDF : 0, err, err_len);
}

int report_write_flags(const char *dir, unsigned flags, char *err, size_t err_len)
{
    static const struct table_column summary_cols[] = {
        {"metric", TABLE_TEXT},    {"mean", TABLE_NUMBER}, {"ci_low", TABLE_NUMBER},
        {"ci_high", TABLE_NUMBER}, {"n", TABLE_COUNT},     {NULL, TABLE_TEXT}};
    static const struct table_column comparison_cols[] = {
        {"metric", TABLE_TEXT},        {"scenario", TABLE_TEXT},       {"mean", TABLE_NUMBER},
        {"ci_low", TABLE_NUMBER},      {"ci_high", TABLE_NUMBER},      {"diff", TABLE_NUMBER},
        {"diff_ci_low", TABLE_NUMBER}, {"diff_ci_high", TABLE_NUMBER}, {NULL, TABLE_TEXT}};
    static const struct table_column validation_cols[] = {{"row", TABLE_TEXT},
                                                          {"published", TABLE_NUMBER},
                                                          {"published_low", TABLE_NUMBER},
                                                          {"published_high", TABLE_NUMBER},
                                                          {"simulated", TABLE_NUMBER},
                                                          {"simulated_low", TABLE_NUMBER},
                                                          {"simulated_high", TABLE_NUMBER},
                                                          {"result", TABLE_TEXT},
                                                          {NULL, TABLE_TEXT}};
    char path[4400], figs[4400], tmp[PLOT_PATH_MAX + 20], buf[1024];
    struct stat st;
    bool pdf = (flags & REPORT_PDF) != 0;

    if (!par_is_root()) {
        return 0; /* under MPI, rank 0 writes the report (analysis/par.h) */
    }

    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "%s is not a results folder", dir);
        return CCSIM_EINPUT;
    }
    if (strlen(dir) > 4000) {
        snprintf(err, err_len, "%.100s...: the folder name is too long (at most 4000 bytes)", dir);
        return CCSIM_EINPUT;
    }
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    struct manifest_info manifest;
    int mrc = manifest_read(path, &manifest, err, err_len);
    if (mrc != 0) {
        if (mrc == 1) {
            snprintf(err, err_len,
                     "%s/manifest.json is missing: not a complete ccsim results folder", dir);
        }
        manifest_info_free(&manifest);
        return CCSIM_EINPUT;
    }
    static const struct table_column cost_effect_cols[] = {{"scenario", TABLE_TEXT},
                                                           {"outcome", TABLE_TEXT},
                                                           {"cost_diff", TABLE_NUMBER},
                                                           {"cost_diff_ci_low", TABLE_NUMBER},
                                                           {"cost_diff_ci_high", TABLE_NUMBER},
                                                           {"averted", TABLE_NUMBER},
                                                           {"averted_ci_low", TABLE_NUMBER},
                                                           {"averted_ci_high", TABLE_NUMBER},
                                                           {"cost_per_averted", TABLE_NUMBER},
                                                           {"ci_low", TABLE_NUMBER},
                                                           {"ci_high", TABLE_NUMBER},
                                                           {NULL, TABLE_TEXT}};
    struct table summary = {0}, comparison = {0}, validation = {0}, cost_effect = {0},
                 sweep_t = {0}, sens_t = {0};
    bool is_compare = false, is_run = false, has_validation = false, has_ce = false;
    bool has_sweep_t = false, has_sens_t = false;
    struct table psa_sum = {0}, psa_par = {0}, psa_drv = {0}, psa_ceac = {0};
    bool is_psa = false, has_psa_par = false, has_psa_drv = false, has_psa_ceac = false;
    if (read_rows(dir, "comparison.csv", comparison_cols, &comparison, &is_compare, err, err_len) !=
            0 ||
        (is_compare && plot_check_scenario_names(&comparison, table_col(&comparison, "scenario"),
                                                 err, err_len) != 0) ||
        (!is_compare &&
         read_rows(dir, "summary.csv", summary_cols, &summary, &is_run, err, err_len) != 0) ||
        read_rows(dir, "validation.csv", validation_cols, &validation, &has_validation, err,
                  err_len) != 0 ||
        (is_compare && read_rows(dir, "cost_effect.csv", cost_effect_cols, &cost_effect, &has_ce,
                                 err, err_len) != 0)) {
        goto out_free;
    }
    if (read_rows(dir, "psa_summary.csv", psa_summary_columns, &psa_sum, &is_psa, err, err_len) !=
            0 ||
        (is_psa &&
         (plot_check_scenario_names(&psa_sum, table_col(&psa_sum, "scenario"), err, err_len) != 0 ||
          read_rows(dir, "psa_parameters.csv", psa_parameters_columns, &psa_par, &has_psa_par, err,
                    err_len) != 0 ||
          read_rows(dir, "psa_drivers.csv", psa_drivers_columns, &psa_drv, &has_psa_drv, err,
                    err_len) != 0 ||
          read_rows(dir, "psa_ceac.csv", psa_ceac_columns, &psa_ceac, &has_psa_ceac, err,
                    err_len) != 0))) {
        goto out_free;
    }
    if (check_diagnostics(dir, err, err_len) != 0 ||
        read_sweep_tables(dir, &sweep_t, &has_sweep_t, &sens_t, &has_sens_t, err, err_len) != 0) {
        goto out_free;
    }
    snprintf(path, sizeof path, "%s/sweep.csv", dir);
    bool is_sweep = lstat(path, &st) == 0;
    snprintf(path, sizeof path, "%s/sensitivity.csv", dir);
    bool is_sens = lstat(path, &st) == 0;
    if (!is_compare && !is_run && !has_validation && !is_sweep && !is_sens && !is_psa) {
        snprintf(err, err_len,
                 "%s holds no results to report (summary.csv, comparison.csv, "
                 "sweep.csv, sensitivity.csv, psa_summary.csv or validation.csv)",
                 dir);
        goto out_free;
    }
    /* Figures: drawn afresh. Bad content is the report's failure too (the plot has read every
     * file, sweep.csv and sensitivity.csv among them); a missing or failing gnuplot only leaves
     * the figures out, and the page says why. */
    snprintf(figs, sizeof figs, "%s/figures", dir);
    char plot_err[1024] = "";
    if (is_run || is_compare || is_sweep || is_sens || is_psa) {
        int prc = plot_folder_flags(dir, flags & REPORT_DRY_RUN ? PLOT_DRY_RUN : 0, plot_err,
                                    sizeof plot_err);
        if (prc == CCSIM_EINPUT) {
            snprintf(err, err_len, "%s", plot_err);
            goto out_free;
        }
        if (prc >= 0) {
            plot_err[0] = '\0';
        }
    }
    struct plot_stage stage;
    if (plot_stage_begin(&stage, dir, "report", err, err_len) != 0) {
        manifest_info_free(&manifest);
        table_free(&summary);
        table_free(&comparison);
        table_free(&validation);
        table_free(&cost_effect);
        table_free(&sweep_t);
        table_free(&sens_t);
        table_free(&psa_sum);
        table_free(&psa_par);
        table_free(&psa_drv);
        table_free(&psa_ceac);
        return CCSIM_ETOOL;
    }

    char model[64], scenario[4096], version[64], rev[64], seed[64], reps[64], threads[64],
        started[64], command[4096], scenario_file[4096];
#define FIELD(buf, s) snprintf(buf, sizeof buf, "%s", (s) ? (s) : "")
#define COUNT(buf, v) ((v) >= 0 ? snprintf(buf, sizeof buf, "%lld", (v)) : FIELD(buf, NULL))
    FIELD(model, manifest.model);
    FIELD(scenario, manifest.scenario);
    FIELD(scenario_file, manifest.scenario_file ? manifest.scenario_file : manifest.scenario);
    FIELD(version, manifest.ccsim_version);
    FIELD(rev, manifest.git_revision);
    FIELD(started, manifest.started);
    COUNT(seed, manifest.seed);
    COUNT(reps, manifest.replications);
    COUNT(threads, manifest.threads);
#undef FIELD
#undef COUNT
    manifest_command_line(&manifest, command, sizeof command);

    snprintf(tmp, sizeof tmp, "%s/report.html", stage.tmp);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
        plot_stage_end(&stage);
        manifest_info_free(&manifest);
        table_free(&summary);
        table_free(&comparison);
        table_free(&validation);
        table_free(&cost_effect);
        table_free(&sweep_t);
        table_free(&sens_t);
        table_free(&psa_sum);
        table_free(&psa_par);
        table_free(&psa_drv);
        table_free(&psa_ceac);
        return CCSIM_EIO;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          f);
    fputs("ccsim report: ", f);
    html(f, scenario);
    fputs("</title>\n", f);
    fputs(style, f);
    /* Printed: A4 unless US Letter is asked for; every section, tables and figures unbroken. */
    fputs(flags & REPORT_LETTER ? "<style>@page{size:letter;margin:15mm}"
                                : "<style>@page{size:A4;margin:15mm}",
          f);
    fputs("@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
          "figure,tr{break-inside:avoid}h2,h3{break-after:avoid}}</style>\n",
          f);
    fputs("</head>\n<body>\n<h1>", f);
    html(f, is_psa                   ? "Probabilistic sensitivity analysis"
            : is_compare             ? "Comparison of scenarios"
            : has_validation         ? "Validation"
            : !is_run && has_sweep_t ? "Sweep"
            : !is_run && has_sens_t  ? "One-way sensitivity"
                                     : "Results");
    fputs("</h1>\n<p class=\"note\">", f);
    html(f, scenario);
    fputs(" &middot; ", f);
    html(f, model);
    fputs(" model &middot; ccsim ", f);
    html(f, version);
    fputs(" (", f);
    html(f, rev);
    fputs(") &middot; run ", f);
    html(f, started);
    fputs("</p>\n", f);

    /* A probabilistic sensitivity analysis (report_psa.h). */
    struct psa_ctx pctx = {.figs = figs, .model = model};
    struct report_psa psa = {.summary = &psa_sum,
                             .parameters = has_psa_par ? &psa_par : NULL,
                             .drivers = has_psa_drv ? &psa_drv : NULL,
                             .ceac = has_psa_ceac ? &psa_ceac : NULL,
                             .draws = manifest_draws(&manifest),
                             .replications = strtol(reps, NULL, 10),
                             .figure = psa_figure,
                             .key = psa_key,
                             .ctx = &pctx};
    char psa_note[600] = "";
    if (is_psa) {
        report_psa_caveat(&psa, psa_note, sizeof psa_note);
    }

    /* The summary for a bid (report_bid.h), from the run's or the comparison's table. */
    char validation_note[2400] = "", steady_note[256] = "";
    struct report_bid bid = {.t = is_compare ? &comparison : &summary,
                             .is_compare = is_compare,
                             .ce = has_ce ? &cost_effect : NULL,
                             .replications = strtol(reps, NULL, 10),
                             .validation = validation_note,
                             .steady = steady_note,
                             .parameters = is_psa ? psa_note : NULL};
    if (is_run || is_compare) {
        bid_caveats(dir, &comparison, is_compare, scenario_file, validation_note,
                    sizeof validation_note, steady_note, sizeof steady_note);
        report_bid_summary(f, &bid);
        /* The report leads with counts: then costs and the years. */
        report_bid_counts(f, &bid);
        report_bid_costs(f, &bid);
        report_bid_years(f, &bid);
        limitations(f, dir, &comparison, is_compare, model, validation_note, steady_note,
                    is_psa ? psa_note : NULL);
    } else if (is_psa) { /* the scenarios from psa_summary.csv */
        bid_caveats(dir, &psa_sum, true, scenario_file, validation_note, sizeof validation_note,
                    steady_note, sizeof steady_note);
        limitations(f, dir, &psa_sum, true, model, validation_note, steady_note, psa_note);
    }

    /* The question and the scenarios. */
    struct params base_params = {0};
    struct presets presets = {.n = 0};
    snprintf(path, sizeof path, "%.4000s/scenario.resolved.cfg", dir);
    read_params(path, &base_params);
    presets_add(&presets, &base_params);
    fputs("<h2>The question</h2>\n", f);
    if (is_compare || is_psa) {
        const struct table *named = is_compare ? &comparison : &psa_sum;
        int cs = table_col(named, "scenario");
        const char *names[16];
        int ns = 0;
        for (int r = 0; r < named->n_rows && ns < 16; r++) {
            bool seen = false;
            for (int k = 0; k < ns; k++) {
                seen |= strcmp(names[k], table_at(named, r, cs)) == 0;
            }
            if (!seen) {
                names[ns++] = table_at(named, r, cs);
            }
        }
        struct params ps[16];
        memset(ps, 0, sizeof ps);
        for (int k = 0; k < ns; k++) {
            snprintf(path, sizeof path, "%.4000s/%.200s.resolved.cfg", dir, names[k]);
            read_params(path, &ps[k]);
            presets_add(&presets, &ps[k]);
            char orig[4096] = "";
            /* The scenario's own file is named in the resolved file's first line. */
            char *rtext;
            FILE *rf = open_text(path, 16 << 20, &rtext);
            if (rf) {
                if (fgets(buf, sizeof buf, rf) && strncmp(buf, "# The scenario ", 15) == 0) {
                    snprintf(orig, sizeof orig, "%s", buf + 15);
                    char *as = strstr(orig, " as ccsim ");
                    if (as) {
                        *as = '\0';
                    }
                }
                fclose(rf);
                free(rtext);
            }
            fputs("<h3>", f);
            html(f, names[k]);
            fputs(k == 0 ? " (the reference)</h3>\n" : "</h3>\n", f);
            if (orig[0]) {
                question(f, orig);
            }
        }
        fputs("<h2>What differs between the scenarios</h2>\n<table><tr><th>key</th>", f);
        for (int k = 0; k < ns; k++) {
            fputs("<th>", f);
            html(f, names[k]);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        int n_diff = 0;
        for (int i = 0; i < ps[0].n; i++) {
            bool differs = false;
            for (int k = 1; k < ns; k++) {
                const char *v = param_value(&ps[k], ps[0].v[i].path);
                differs |= !v || strcmp(v, ps[0].v[i].value) != 0;
            }
            if (!differs || strcmp(ps[0].v[i].path, "seed") == 0) {
                continue;
            }
            n_diff++;
            fputs("<tr><td><code>", f);
            html(f, ps[0].v[i].path);
            fputs("</code></td>", f);
            for (int k = 0; k < ns; k++) {
                const char *v = k ? param_value(&ps[k], ps[0].v[i].path) : ps[0].v[i].value;
                fputs("<td>", f);
                html(f, v ? v : "(absent)");
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        for (int k = 1; k < ns; k++) { /* keys only the others have */
            for (int i = 0; i < ps[k].n; i++) {
                if (!param_value(&ps[0], ps[k].v[i].path)) {
                    n_diff++;
                    fputs("<tr><td><code>", f);
                    html(f, ps[k].v[i].path);
                    fputs("</code></td><td>(absent)</td>", f);
                    for (int j = 1; j < ns; j++) {
                        const char *v = param_value(&ps[j], ps[k].v[i].path);
                        fputs("<td>", f);
                        html(f, v ? v : "(absent)");
                        fputs("</td>", f);
                    }
                    fputs("</tr>\n", f);
                }
            }
        }
        fputs("</table>\n", f);
        bool any_resolved = false;
        for (int k = 0; k < ns; k++) {
            any_resolved |= ps[k].n > 0;
        }
        if (!any_resolved) {
            fputs("<p class=\"note\">The folder holds no resolved scenario (NAME.resolved.cfg) to "
                  "compare.</p>\n",
                  f);
        } else if (n_diff == 0) {
            fputs("<p class=\"note\">The scenarios have the same parameters.</p>\n", f);
        }
        /* Parameters and method below: the reference scenario's. */
        if (ns > 0) {
            params_free(&base_params);
            base_params = ps[0];
            memset(&ps[0], 0, sizeof ps[0]);
        }
        for (int k = 0; k < ns; k++) {
            params_free(&ps[k]);
        }
    } else if (stat(scenario_file, &st) == 0 && S_ISREG(st.st_mode)) {
        question(f, scenario_file);
    } else if (has_validation) {
        fputs("<p>Does ccsim, with parameters from the evidence and one calibration, reproduce "
              "the published effects it is checked against?</p>\n",
              f);
    } else {
        question(f, scenario_file);
    }

    /* Headline results (a PSA's are its section, below). */
    if (!is_psa || is_compare || is_run) {
        fputs("<h2>Headline results</h2>\n", f);
    }
    if (strcmp(reps, "1") == 0 && (!is_psa || is_compare || is_run)) {
        fputs("<p class=\"note\">One replication: no confidence interval (every interval below "
              "is NA). Run two or more replications for one.</p>\n",
              f);
    }
    if (is_compare) {
        int cs = table_col(&comparison, "scenario"), cmean = table_col(&comparison, "mean"),
            clo = table_col(&comparison, "ci_low"), chi = table_col(&comparison, "ci_high"),
            cd = table_col(&comparison, "diff"), cdl = table_col(&comparison, "diff_ci_low"),
            cdh = table_col(&comparison, "diff_ci_high");
        fputs("<p>Mean across replications with its 95% confidence interval, and the difference "
              "from the reference scenario with its 95% interval from the paired replications "
              "(the same clients and random numbers in every scenario).</p>\n<table><tr><th>metric"
              "</th><th>unit</th><th>name</th><th>scenario</th><th>mean"
              "</th><th>95% CI</th><th>difference</th><th>95% CI of the difference</th></tr>\n",
              f);
        bool only = any_headline(&comparison);
        for (int r = 0; r < comparison.n_rows; r++) {
            if (only && !is_headline(&comparison, r)) {
                continue;
            }
            fputs("<tr>", f);
            metric_cells(f, &comparison, r);
            fputs("<td>", f);
            html(f, table_at(&comparison, r, cs));
            fputs("</td><td class=\"n\">", f);
            number(f, table_at(&comparison, r, cmean));
            fputs("</td><td class=\"n\">", f);
            number(f, table_at(&comparison, r, clo));
            fputs(" to ", f);
            number(f, table_at(&comparison, r, chi));
            fputs("</td><td class=\"n\">", f);
            number(f, table_at(&comparison, r, cd));
            fputs("</td><td class=\"n\">", f);
            if (strcmp(table_at(&comparison, r, cd), "NA") != 0) {
                number(f, table_at(&comparison, r, cdl));
                fputs(" to ", f);
                number(f, table_at(&comparison, r, cdh));
            }
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    } else if (is_run) {
        int cmean = table_col(&summary, "mean"), clo = table_col(&summary, "ci_low"),
            chi = table_col(&summary, "ci_high"), cn = table_col(&summary, "n");
        fputs("<p>Mean across replications with its 95% confidence interval.</p>\n<table><tr>"
              "<th>metric</th><th>unit</th><th>name</th><th>mean</th>"
              "<th>95% CI</th><th>replications</th></tr>\n",
              f);
        bool only = any_headline(&summary);
        for (int r = 0; r < summary.n_rows; r++) {
            if (only && !is_headline(&summary, r)) {
                continue;
            }
            fputs("<tr>", f);
            metric_cells(f, &summary, r);
            fputs("<td class=\"n\">", f);
            number(f, table_at(&summary, r, cmean));
            fputs("</td><td class=\"n\">", f);
            number(f, table_at(&summary, r, clo));
            fputs(" to ", f);
            number(f, table_at(&summary, r, chi));
            fputs("</td><td class=\"n\">", f);
            html(f, table_at(&summary, r, cn));
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n<p class=\"note\">Every metric is in summary.csv.</p>\n", f);
        equity(f, dir, &summary);
    } else if (has_sweep_t || has_sens_t) {
        if (has_sweep_t) {
            sweep_best_section(f, dir, &sweep_t);
            sweep_results(f, &sweep_t, model);
        }
        if (has_sens_t) {
            sensitivity_results(f, &sens_t, model);
        }
    } else if (!is_psa) {
        fputs("<p class=\"note\">See the files of this folder.</p>\n", f);
    }
    if (is_psa) {
        report_psa_section(f, &psa);
    }

    /* Steady state. */
    if (is_run || is_compare) {
        fputs("<h2>Steady state</h2>\n", f);
    }
    if (is_run) {
        steady_state(f, dir, "diagnostics.csv", NULL);
    }
    if (is_compare) {
        const char *names[64];
        int n = comparison_names(&comparison, names, 64);
        for (int k = 0; k < n; k++) {
            char file[300];
            snprintf(file, sizeof file, "%.200s.diagnostics.csv", names[k]);
            steady_state(f, dir, file, names[k]);
        }
    }

    /* Figures. */
    fputs("<h2>Figures</h2>\n", f);
    const char *fig_names[] = {"outcomes", "differences", "costs", "timeseries", "years", NULL};
    const char *fig_captions[] = {
        "Headline outcomes: mean and 95% confidence interval",
        "Change from the reference scenario (scenario minus reference): paired 95% confidence "
        "intervals",
        "Costs a year by component (the change from the reference in a comparison), in the "
        "scenario's currency and prices",
        "Weekly series with 95% confidence bands",
        "Per year of the horizon: mean and 95% confidence interval of each year",
        NULL};
    int n_figs = 0;
    for (int i = 0; fig_names[i]; i++) {
        snprintf(path, sizeof path, "%.4000s/%s.png", figs, fig_names[i]);
        if (access(path, R_OK) == 0) {
            figure(f, figs, fig_names[i], fig_captions[i]);
            n_figs++;
        }
    }
    DIR *dp = opendir(figs);
    if (dp) { /* sweeps and tornado plots, in name order */
        char *names[256];
        int nn = 0;
        struct dirent *e;
        while ((e = readdir(dp)) && nn < 256) {
            size_t len = strlen(e->d_name);
            if (len > 4 && strcmp(e->d_name + len - 4, ".png") == 0 &&
                (strncmp(e->d_name, "sweep_", 6) == 0 || strncmp(e->d_name, "tornado_", 8) == 0)) {
                names[nn++] = xstrdup(e->d_name);
            }
        }
        closedir(dp);
        for (int i = 1; i < nn; i++) {
            for (int j = i; j > 0 && strcmp(names[j], names[j - 1]) < 0; j--) {
                char *t = names[j];
                names[j] = names[j - 1];
                names[j - 1] = t;
            }
        }
        for (int i = 0; i < nn; i++) {
            names[i][strlen(names[i]) - 4] = '\0';
            char cap[1600];
            sweep_caption(names[i], &sweep_t, has_sweep_t, &sens_t, has_sens_t, cap, sizeof cap);
            figure(f, figs, names[i], cap);
            n_figs++;
            free(names[i]);
        }
    }
    if (n_figs == 0 && is_psa && !plot_err[0]) {
        fputs("<p class=\"note\">The figures of the analysis are under Parameter uncertainty, "
              "above.</p>\n",
              f);
    } else if (n_figs == 0) {
        fputs("<p class=\"note\">No figures: ", f);
        html(f, plot_err[0] ? plot_err : "none were drawn for this folder");
        fputs(".</p>\n", f);
    } else if (plot_err[0]) {
        fputs("<p class=\"note\">These figures are from an earlier drawing: they could not be "
              "drawn again (",
              f);
        html(f, plot_err);
        fputs(").</p>\n", f);
    }

    /* Method. */
    fputs("<h2>Method</h2>\n<table>\n", f);
    const char *horizon = param_value(&base_params, "horizon");
    const char *warmup = param_value(&base_params, "warmup");
    struct {
        const char *k;
        const char *v;
    } method[] = {
        {"model", model},
        {"replications", reps},
        {"horizon (days)", horizon ? horizon : "see the resolved scenarios"},
        {"warm-up (days)", warmup ? warmup : "see the resolved scenarios"},
        {"seed", seed},
        {"threads", threads},
        {"command", command},
        {"ccsim", version},
        {"revision", rev},
    };
    for (size_t i = 0; i < sizeof method / sizeof method[0]; i++) {
        fputs("<tr><th>", f);
        html(f, method[i].k);
        fputs("</th><td>", f);
        html(f, method[i].v);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p>Each replication is an independent run of the whole region over the "
          "horizon; statistics before the warm-up are discarded. Every random stream is seeded "
          "from the scenario seed, the replication and its purpose, and every client draws from "
          "its own substreams keyed by its referral index, so scenarios compared in one "
          "experiment see the same clients with the same random numbers (common random "
          "numbers), and results are identical for any number of threads. Intervals are "
          "Student t intervals across replications; differences between scenarios use the "
          "paired replications.</p>\n",
          f);
    if (is_psa) {
        fputs("<p>A probabilistic sensitivity analysis repeats the experiment over parameter "
              "draws: each draw gives every uncertain parameter a value from its distribution, "
              "a pure function of the seed, the draw and the parameter's path, and runs every "
              "scenario with it on the same clients. Uncertainty intervals are the 2.5% and "
              "97.5% points over the draws of each draw's mean.</p>\n",
              f);
    }

    /* Parameters. */
    if (base_params.n > 0) {
        fputs("<h2>Parameters and their sources</h2>\n<details open><summary>Every value the model "
              "used",
              f);
        fputs(is_compare ? " in the reference scenario (" : " (", f);
        fprintf(f, "%d", base_params.n);
        fputs(" values), with where it came from: a file and line, a command-line option, or a "
              "built-in default with its published source</summary>\n<table><tr><th>key</th>"
              "<th>value</th><th>from</th></tr>\n",
              f);
        for (int i = 0; i < base_params.n; i++) {
            fputs("<tr><td><code>", f);
            html(f, base_params.v[i].path);
            fputs("</code></td><td>", f);
            html(f, base_params.v[i].value);
            fputs("</td><td>", f);
            html(f, base_params.v[i].origin);
            fputs("</td></tr>\n", f);
        }
        fputs("</table></details>\n", f);
    }

    /* Validation. */
    fputs("<h2>Validation status</h2>\n", f);
    if (has_validation) {
        int cr = table_col(&validation, "row"), cp = table_col(&validation, "published"),
            cpl = table_col(&validation, "published_low"),
            cph = table_col(&validation, "published_high"),
            cs = table_col(&validation, "simulated"), csl = table_col(&validation, "simulated_low"),
            csh = table_col(&validation, "simulated_high"), cres = table_col(&validation, "result");
        fputs("<table><tr><th>published effect</th><th>published</th><th>simulated</th>"
              "<th>result</th></tr>\n",
              f);
        for (int r = 0; r < validation.n_rows; r++) {
            fputs("<tr><td>", f);
            html(f, table_at(&validation, r, cr));
            fputs("</td><td class=\"n\">", f);
            number(f, table_at(&validation, r, cp));
            fputs(" (", f);
            number(f, table_at(&validation, r, cpl));
            fputs(" to ", f);
            number(f, table_at(&validation, r, cph));
            fputs(")</td><td class=\"n\">", f);
            number(f, table_at(&validation, r, cs));
            fputs(" (", f);
            number(f, table_at(&validation, r, csl));
            fputs(" to ", f);
            number(f, table_at(&validation, r, csh));
            fputs(")</td><td class=\"", f);
            bool pass = strcmp(table_at(&validation, r, cres), "pass") == 0;
            fputs(pass ? "pass\">pass" : "fail\">fail", f);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    } else {
        validation_status(f, &presets, scenario_file);
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    fputs("<p class=\"note\">Report written by ccsim ", f);
    html(f, version);
    fputs(" on ", f);
    html(f, buf);
    fputs(".</p>\n</body>\n</html>\n", f);

    params_free(&base_params);
    table_free(&summary);
    table_free(&comparison);
    table_free(&validation);
    table_free(&cost_effect);
    table_free(&sweep_t);
    table_free(&sens_t);
    table_free(&psa_sum);
    table_free(&psa_par);
    table_free(&psa_drv);
    table_free(&psa_ceac);
    manifest_info_free(&manifest);
    bool bad = ferror(f) != 0;
    int rc = 0;
    if (fclose(f) != 0 || bad) {
        snprintf(err, err_len, "%s/report.html: %s", dir, errno ? strerror(errno) : "write error");
        rc = CCSIM_EIO;
    }
    /* The PDF is printed from the page in the staging folder; then each file replaces its old
     * one in one rename. Without a PDF, the page still replaces the old one, and a PDF from
     * before is left as it was. */
    char pdf_err[1024] = "";
    bool has_pdf = rc == 0 && pdf && !(flags & REPORT_DRY_RUN) &&
                   print_pdf(stage.tmp, pdf_err, sizeof pdf_err) == 0;
    if (rc == 0 && has_pdf) {
        rc = plot_stage_install(&stage, "report.pdf", err, err_len) == 0 ? 0 : CCSIM_ETOOL;
    }
    if (rc == 0) {
        rc = plot_stage_install(&stage, "report.html", err, err_len) == 0 ? 0 : CCSIM_ETOOL;
    }
    plot_stage_end(&stage);
    if (rc == 0 && pdf && !has_pdf && !(flags & REPORT_DRY_RUN)) {
        snprintf(err, err_len, "%s; report.html is written, report.pdf is not", pdf_err);
        rc = CCSIM_ETOOL;
    }
    return rc;

out_free:
    manifest_info_free(&manifest);
    table_free(&summary);
    table_free(&comparison);
    table_free(&validation);
    table_free(&cost_effect);
    table_free(&sweep_t);
    table_free(&sens_t);
    table_free(&psa_sum);
    table_free(&psa_par);
    table_free(&psa_drv);
    table_free(&psa_ceac);
    return CCSIM_EINPUT;
}
