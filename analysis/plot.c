#define _GNU_SOURCE /* renameat2 (RENAME_EXCHANGE), posix_spawn_file_actions_addchdir_np, flock */
#include "analysis/plot.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/csv.h"
#include "analysis/manifest.h"
#include "analysis/par.h"
#include "analysis/psa.h"
#include "analysis/table.h"
#include "sim/error.h"
#include "sim/fail.h"
#include "sim/xalloc.h"

extern char **environ;

/* Okabe & Ito (2008), a palette distinguishable with every common colour-vision deficiency.
 * Yellow comes last: it fills a bar with a border well, but a thin line of it is faint on
 * white, so lines and points take the first N_LINE_PALETTE only. */
static const char *const palette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                      "#56B4E9", "#CC79A7", "#000000", "#F0E442"};
#define N_PALETTE      8
#define N_LINE_PALETTE 7

/* ---- metrics: which to show, and their words ------------------------------------------------ */

/* Everything below reads a metric's label, unit and headline marker from the results table it
 * draws (table_metric_meta()), so that figures need nothing but the folder. */

/* A figure's title for metric: its label, or its name in a table without labels. */
static const char *title_of(const struct table *t, int c_metric, const char *metric)
{
    struct table_meta mm;
    table_metric_meta(t, c_metric, metric, &mm);
    return mm.label;
}

/* An axis label for metric: its unit, or, in a table without units, the name with a unit
 * guessed from a common suffix of it. Returns whether the unit came from the table. */
static bool axis_label(const struct table *t, int c_metric, const char *metric, char *buf, size_t n)
{
    struct table_meta mm;
    table_metric_meta(t, c_metric, metric, &mm);
    if (mm.unit[0]) {
        snprintf(buf, n, "%s", mm.unit);
        return true;
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
    return false;
}

/* Which direction of metric is better, from the table's column better ("lower", "higher"):
 * -1 lower, 1 higher, 0 neither or not said (a table written before the column existed). */
static int better_of(const struct table *t, int c_metric, const char *metric)
{
    int cb = table_col(t, "better");
    for (int r = 0; cb >= 0 && c_metric >= 0 && r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, c_metric), metric) == 0) {
            const char *b = table_at(t, r, cb);
            return strcmp(b, "lower") == 0 ? -1 : strcmp(b, "higher") == 0 ? 1 : 0;
        }
    }
    return 0;
}

/* Whether metric is a cost: its unit names the price year of its currency, as a model declares
 * a cost's unit ("GBP a year, 2023 prices"). A metric per model or service (a dotted name) is
 * not counted, so that a cost figure shows the region's costs by component. */
static bool is_cost_metric(const struct table *t, int c_metric, const char *metric)
{
    struct table_meta mm;
    table_metric_meta(t, c_metric, metric, &mm);
    size_t len = strlen(mm.unit);
    return len > 7 && strcmp(mm.unit + len - 7, " prices") == 0 && !strchr(metric, '.');
}

/* The metrics to draw: the table's headline ones (every one in a table without the marker),
 * at most six. Returns how many were put in out. */
static int choose_metrics(const struct table *t, int c_metric, const char **out, int max)
{
    max = max < 6 ? max : 6;
    return table_headlines(t, c_metric, out, max);
}

/* ---- staging folders: replaced all at once, removed on a signal ---------------------------- */

/* Two at most at a time: a report's, and the figures it draws. */
#define N_SLOTS 2

/* What a signal handler removes, prepared before anything is written (async-signal-safe use
 * only: the handler reads these and calls kill, waitpid, open, unlinkat, close and rmdir). */
static struct {
    char tmp[PLOT_PATH_MAX];
    char lock[PLOT_PATH_MAX];
    volatile sig_atomic_t is_armed;      /* tmp exists and is ours */
    volatile sig_atomic_t is_lock_armed; /* the lock file exists and is ours */
} slots[N_SLOTS];
static volatile sig_atomic_t gnuplot_pid;

/* The record of a directory entry as getdents64 returns it (the kernel's layout). */
struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Removes the files of a folder and the folder, with async-signal-safe calls only. A staging
 * folder holds files only, so nothing is descended into. */
static void remove_flat_signal_safe(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        char buf[4096] __attribute__((aligned(8)));
        long n;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *e = (struct dirent64_raw *)(void *)(buf + off);
                const char *nm = e->d_name;
                if (!(nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))) {
                    unlinkat(fd, nm, 0);
                }
                off += e->d_reclen;
            }
        }
        close(fd);
    }
    rmdir(path);
}

void plot_on_signal(void)
{
    pid_t pid = (pid_t)gnuplot_pid;
    if (pid > 0) { /* a gnuplot still drawing would write into the folder being removed */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    for (int i = 0; i < N_SLOTS; i++) {
        if (slots[i].is_armed) {
            slots[i].is_armed = 0;
            remove_flat_signal_safe(slots[i].tmp);
        }
        if (slots[i].is_lock_armed) {
            slots[i].is_lock_armed = 0;
            unlink(slots[i].lock);
        }
    }
}

/* Removes path and, when it is a folder, what it holds, without following symbolic links (a
 * link is removed, not its target). Depth is bounded: ccsim's folders are flat. */
static void remove_tree_at(int at, const char *name, int depth)
{
    if (unlinkat(at, name, 0) == 0 || (errno != EISDIR && errno != EPERM) || depth > 8) {
        return;
    }
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            remove_tree_at(dirfd(d), e->d_name, depth + 1);
        }
    }
    closedir(d);
    unlinkat(at, name, AT_REMOVEDIR);
}

static void remove_tree(const char *path)
{
    remove_tree_at(AT_FDCWD, path, 0);
}

/* Takes the lock file of a staging area: exclusive, not waiting. The file is removed at the end,
 * so after locking, the path must still name the file locked (else another process removed it
 * in between, and the lock is taken again). */
static int lock_take(const char *path, char *err, size_t err_len)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        struct stat a, b;
        if (fd < 0) {
            snprintf(err, err_len, "%s: %s", path, strerror(errno));
            return -1;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK) {
                snprintf(err, err_len, "%s: another ccsim is writing there now (wait for it)",
                         path);
            } else {
                snprintf(err, err_len, "%s: %s", path, strerror(e));
            }
            return -1;
        }
        if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            return fd;
        }
        close(fd);
    }
    snprintf(err, err_len, "%s: cannot be locked", path);
    return -1;
}

int plot_stage_begin(struct plot_stage *s, const char *dir, const char *name, char *err,
                     size_t err_len)
{
    char prefix[300];
    memset(s, 0, sizeof *s);
    s->lock_fd = -1;
    s->slot = -1;
    for (int i = 0; i < N_SLOTS && s->slot < 0; i++) {
        s->slot = slots[i].is_armed || slots[i].is_lock_armed ? -1 : i;
    }
    SIM_ASSERT(s->slot >= 0, "more than %d staging folders at once", N_SLOTS);
    snprintf(prefix, sizeof prefix, ".%s.ccsim-partial-", name);
    if (strlen(dir) + strlen(prefix) + 20 >= sizeof s->tmp) {
        snprintf(err, err_len, "%s: the folder name is too long", dir);
        return -1;
    }
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->lock, sizeof s->lock, "%s/.%s.ccsim-lock", dir, name);
    snprintf(s->tmp, sizeof s->tmp, "%s/%sXXXXXX", dir, prefix);
    /* The signal handler's copies are written before anything exists to be removed. */
    memcpy(slots[s->slot].tmp, s->tmp, sizeof s->tmp);
    memcpy(slots[s->slot].lock, s->lock, sizeof s->lock);
    s->lock_fd = lock_take(s->lock, err, err_len);
    if (s->lock_fd < 0) {
        return -1;
    }
    slots[s->slot].is_lock_armed = 1;
    /* Holding the lock, any staging folder of this name is a leftover of a killed process. */
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0) {
            continue;
        }
        char path[PLOT_PATH_MAX + 300], dest[PLOT_PATH_MAX + 300];
        size_t len = strlen(e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(dest, sizeof dest, "%s/%s", dir, name);
        struct stat st, old_st;
        /* A replacement killed between its two renames: the old folder (a real one, never a
         * link) goes back. */
        if (len > 4 && strcmp(e->d_name + len - 4, ".old") == 0 && lstat(path, &old_st) == 0 &&
            S_ISDIR(old_st.st_mode) && lstat(dest, &st) != 0 && errno == ENOENT &&
            rename(path, dest) == 0) {
            continue;
        }
        remove_tree(path);
    }
    if (d) {
        closedir(d);
    }
    slots[s->slot].is_armed = 1;
    if (!mkdtemp(s->tmp)) {
        snprintf(err, err_len, "cannot create a folder in %s: %s", dir, strerror(errno));
        slots[s->slot].is_armed = 0;
        unlink(s->lock);
        slots[s->slot].is_lock_armed = 0;
        close(s->lock_fd);
        s->lock_fd = -1;
        return -1;
    }
    /* mkdtemp filled in the X's: the handler's copy gets them (same length, so a signal in
     * between sees either name, and both are ours). */
    memcpy(slots[s->slot].tmp, s->tmp, sizeof s->tmp);
    return 0;
}

int plot_stage_swap(struct plot_stage *s, const char *name, char *err, size_t err_len)
{
    char dest[PLOT_PATH_MAX + 300], old[PLOT_PATH_MAX + 8];
    struct stat st;
    snprintf(dest, sizeof dest, "%s/%s", s->dir, name);
    if (lstat(dest, &st) != 0) {
        if (errno != ENOENT || rename(s->tmp, dest) != 0) {
            snprintf(err, err_len, "%s: %s", dest, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "%s is not a folder (ccsim's own %s folder is expected there)", dest,
                 name);
        return -1;
    }
    if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
        remove_tree(s->tmp); /* the old one, now under the staging name */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
        snprintf(err, err_len, "%s: %s", dest, strerror(errno));
        return -1;
    }
    /* No atomic exchange on this file system: two renames. A process killed between them leaves
     * the old folder as STAGING.old, which the next plot_stage_begin() puts back. */
    snprintf(old, sizeof old, "%s.old", s->tmp);
    if (rename(dest, old) != 0) {
        snprintf(err, err_len, "%s: %s", dest, strerror(errno));
        return -1;
    }
    if (rename(s->tmp, dest) != 0) {
        int e = errno;
        rename(old, dest);
        snprintf(err, err_len, "%s: %s", dest, strerror(e));
        return -1;
    }
    remove_tree(old);
    return 0;
}

int plot_stage_install(struct plot_stage *s, const char *name, char *err, size_t err_len)
{
    char from[PLOT_PATH_MAX + 300], to[PLOT_PATH_MAX + 300];
    snprintf(from, sizeof from, "%s/%s", s->tmp, name);
    snprintf(to, sizeof to, "%s/%s", s->dir, name);
    if (rename(from, to) != 0) {
        snprintf(err, err_len, "%s: %s", to, strerror(errno));
        return -1;
    }
    return 0;
}

void plot_stage_end(struct plot_stage *s)
{
    if (s->slot < 0) {
        return;
    }
    if (slots[s->slot].is_armed) {
        remove_tree(s->tmp);
        slots[s->slot].is_armed = 0;
    }
    if (s->lock_fd >= 0) {
        unlink(s->lock);
        slots[s->slot].is_lock_armed = 0;
        close(s->lock_fd);
        s->lock_fd = -1;
    }
    s->slot = -1;
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

/* Where figures are drawn: the staging folder, and whether gnuplot is run at all. */
struct draw {
    const char *path;
    bool is_dry;       /* PLOT_DRY_RUN: scripts and data only */
    bool is_write_bad; /* a script or data file could not be written completely */
    char bad_file[400];
};

/* Closes a script or data file, remembering a failed write for render(). */
static void close_out(struct draw *dw, FILE *f)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        dw->is_write_bad = true;
    }
}

/* Runs gnuplot in the drawing folder on NAME.gp with a terminal and output set first; 0 or -1
 * with err set. The folder is gnuplot's working folder, so no path is quoted for it. */
static int run_gnuplot(const char *dir, const char *name, const char *terminal, const char *ext,
                       char *err, size_t err_len)
{
    char pre[600], script[400], out[PLOT_PATH_MAX + 400], log[PLOT_PATH_MAX + 400];
    snprintf(out, sizeof out, "%s/%.300s.%.8s", dir, name, ext);
    snprintf(pre, sizeof pre, "set terminal %s; set output '%.300s.%.8s'", terminal, name, ext);
    snprintf(script, sizeof script, "%.300s.gp", name);
    snprintf(log, sizeof log, "%s/.%.300s.%.8s.log", dir, name, ext);
    const char *prog = gnuplot_program();
    char *argv[] = {(char *)prog, "-e", pre, script, NULL};

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addchdir_np(&fa, dir);
    pid_t pid;
    int rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        snprintf(err, err_len, "cannot run %s: %s", prog, strerror(rc));
        return -1;
    }
    gnuplot_pid = pid;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            gnuplot_pid = 0;
            snprintf(err, err_len, "waiting for gnuplot: %s", strerror(errno));
            return -1;
        }
    }
    gnuplot_pid = 0;
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
        snprintf(err, err_len, "gnuplot failed on figures/%s (%s): %s", script, ext,
                 first[0] ? first : "no output");
        return -1;
    }
    unlink(log);
    return 0;
}

/* Figures are laid out for the width of an A4 or Letter page (7 inches, 1400 pixels at 200
 * pixels an inch), with fonts that stay readable there: when a figure fills the page's width,
 * text is 7 points and titles about 9. PNG and SVG are WIDTH x HEIGHT pixels (cairo's PNG takes
 * a point as a pixel); PDF is the same at 200 pixels an inch. */
#define PLOT_WIDTH     1400
#define PLOT_DPI       200.0
#define PLOT_FONTSCALE (7.0 / 13.0) /* of the base font of 13 points, in the PDF */
#define PLOT_PX_SCALE  (PLOT_FONTSCALE * PLOT_DPI / 72.0)

/* Draws NAME.gp to PNG, SVG and PDF (nothing in a dry run). */
static int render(struct draw *dw, const char *name, int width, int height, char *err,
                  size_t err_len)
{
    char term[256];
    if (dw->is_write_bad) {
        snprintf(err, err_len, "%s: cannot write the script or data of %s: %s", dw->path, name,
                 errno ? strerror(errno) : "write error");
        return -1;
    }
    if (dw->is_dry) {
        return 0;
    }
    snprintf(term, sizeof term, "pngcairo size %d,%d font 'Sans,13' fontscale %.3f linewidth 1.5",
             width, height, PLOT_PX_SCALE);
    if (run_gnuplot(dw->path, name, term, "png", err, err_len) != 0) {
        return -1;
    }
    snprintf(term, sizeof term, "svg size %d,%d font 'Sans,13' fontscale %.3f dynamic", width,
             height, PLOT_PX_SCALE);
    if (run_gnuplot(dw->path, name, term, "svg", err, err_len) != 0) {
        return -1;
    }
    snprintf(term, sizeof term, "pdfcairo size %.2fin,%.2fin font 'Sans,13' fontscale %.3f",
             width / PLOT_DPI, height / PLOT_DPI, PLOT_FONTSCALE);
    return run_gnuplot(dw->path, name, term, "pdf", err, err_len);
}

/* Opens dir/name.ext for writing. */
static FILE *open_in(const char *dir, const char *name, const char *ext)
{
    char path[PLOT_PATH_MAX + 400];
    snprintf(path, sizeof path, "%s/%.300s.%.8s", dir, name, ext);
    return fopen(path, "w");
}

/* A figure's file name from a metric, which may hold any character (metric names carry the
 * names of services and models a scenario gives): letters, digits, '_', '-' and '.' are kept,
 * anything else becomes '_', and the name is cut at 200 bytes. */
static void figure_name(const char *prefix, const char *metric, char *buf, size_t n)
{
    size_t k = (size_t)snprintf(buf, n, "%s", prefix);
    for (const unsigned char *c = (const unsigned char *)metric; *c && k + 1 < n && k < 200; c++) {
        buf[k++] = isalnum(*c) || *c == '_' || *c == '-' || *c == '.' ? (char)*c : '_';
    }
    buf[k] = '\0';
}

void plot_figure_name(const char *prefix, const char *metric, char *buf, size_t n)
{
    figure_name(prefix, metric, buf, n);
}

/* The common head of every script: how to re-run it, and the style. */
static void script_head(FILE *f, const char *name, const char *what)
{
    fprintf(f,
            "# %s: %s\n"
            "# Drawn by ccsim from %s.dat. To restyle, edit and run, e.g.\n"
            "#   gnuplot -e \"set terminal pngcairo size 1400,1000 fontscale 1.5; set output "
            "'x.png'\" %s.gp\n"
            "set datafile separator ','\n"
            "set encoding utf8\n"
            "set border 3 lc rgb '#444444'\n"
            "set tics nomirror textcolor rgb '#222222'\n"
            "set grid ytics lc rgb '#DDDDDD' lt 1\n"
            "set key noautotitle\n"
            "set termoption noenhanced\n",
            name, what, name, name);
}

/* A gnuplot double-quoted string: quote and backslash escaped, control characters (a line end
 * in a name) as octal escapes, so that no name can end the string or the line; a backquote
 * (gnuplot runs `...` as a shell command anywhere on a line) and '@' (a macro) as octal escapes
 * too, so that no name runs anything. */
static void label(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            fputc('\\', f);
            fputc(*c, f);
        } else if (*c == '\n') { /* not as octal: a digit after it would be read into it */
            fputs("\\n", f);
        } else if (*c < 0x20 || *c == 0x7f || *c == '`' || *c == '@') {
            fprintf(f, "\\%03o", *c);
        } else {
            fputc(*c, f);
        }
    }
    fputc('"', f);
}

/* label() for a tic's label, which gnuplot reads as a format: each '%' doubled. */
static void label_tic(FILE *f, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *buf = xmalloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        buf[k++] = s[i];
        if (s[i] == '%') {
            buf[k++] = '%';
        }
    }
    buf[k] = '\0';
    label(f, buf);
    free(buf);
}

/* label() over two lines when s is longer than width bytes: the break is the space nearest the
 * middle (a line end in gnuplot's string), so that a long metric label fits a panel's title. */
static void label_wrapped(FILE *f, const char *s, size_t width)
{
    size_t len = strlen(s), cut = 0;
    for (size_t i = 1; len > width && i + 1 < len; i++) {
        size_t d = i > len / 2 ? i - len / 2 : len / 2 - i,
               best = cut > len / 2 ? cut - len / 2 : len / 2 - cut;
        if (s[i] == ' ' && (cut == 0 || d < best)) {
            cut = i;
        }
    }
    if (cut == 0) {
        label(f, s);
        return;
    }
    char *head = xstrdup(s);
    head[cut] = '\0';
    label(f, head);
    fputs(".\"\\n\".", f);
    label(f, s + cut + 1);
    free(head);
}

/* A name in a figure's data file: one field gnuplot reads as one, whatever the name holds
 * (double-quoted, a quote inside as ', control characters as spaces, as gnuplot reads a data
 * file line by line and has no escape for a quote). */
static void dat_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        fputc(*c == '"' ? '\'' : *c < 0x20 || *c == 0x7f ? ' ' : (char)*c, f);
    }
    fputc('"', f);
}

/* ---- figures ------------------------------------------------------------------------------ */

/* Whether column c of t holds no interval at all (a run of one replication: every bound NA). */
static bool no_interval(const struct table *t, int c)
{
    for (int r = 0; c >= 0 && r < t->n_rows; r++) {
        if (!isnan(table_num(t, r, c))) {
            return false;
        }
    }
    return c >= 0 && t->n_rows > 0;
}

/* outcomes: one panel per metric, one bar per scenario with its 95% CI. rows are (metric,
 * scenario, mean, lo, hi). */
static int fig_outcomes(struct draw *dw, const struct table *t, int c_metric, int c_scen,
                        int c_mean, int c_lo, int c_hi, const char *run_label, char *err,
                        size_t err_len)
{
    const char *dir = dw->path;
    const char *metrics[8];
    int nm = choose_metrics(t, c_metric, metrics, 6);
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
            fprintf(d, "%d,%d,", m, si);
            dat_text(d, scen[si]);
            fprintf(d, ",%s,%s,%s\n", table_at(t, r, c_mean), table_at(t, r, c_lo),
                    table_at(t, r, c_hi));
        }
    }
    close_out(dw, d);
    FILE *f = open_in(dir, "outcomes", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/outcomes.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "outcomes", "headline outcomes with 95% confidence intervals");
    int cols = nm > 2 ? 2 : nm, rows = (nm + cols - 1) / cols;
    fprintf(f, "set multiplot layout %d,%d title \"Headline outcomes (%s)\" font ',16'\n", rows,
            cols,
            no_interval(t, c_lo) ? "one replication: no interval"
                                 : "mean and 95% CI across replications");
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
        axis_label(t, c_metric, metrics[m], ax, sizeof ax);
        fputs("set title ", f);
        label_wrapped(f, title_of(t, c_metric, metrics[m]), 44);
        fputs("\nset ylabel ", f);
        label_wrapped(f, ax, 30);
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
    close_out(dw, f);
    return render(dw, "outcomes", PLOT_WIDTH, 140 + 520 * rows, err, err_len);
}

/* The words of a comparison's sign: "act_move_150 minus baseline" for one scenario against the
 * reference, "each scenario minus baseline" for several. */
static void minus_words(const char *ref, const char *const *scen, int ns, char *buf, size_t n)
{
    if (ns == 1) {
        snprintf(buf, n, "%.200s minus %.200s", scen[0], ref);
    } else {
        snprintf(buf, n, "each scenario minus %.200s", ref);
    }
}

/* The better direction of a metric in words, for a second line of an axis label: "<- lower is
 * better", "higher is better ->", or "" when neither is better. */
static const char *better_words(int better)
{
    return better < 0   ? "\xe2\x86\x90 lower is better"
           : better > 0 ? "higher is better \xe2\x86\x92"
                        : "";
}

/* An axis label for a change in metric from the reference ref: "change from REF (UNIT)", or
 * "change from REF in NAME" without a unit, the unit on a line of its own when the line would
 * be long, the better direction on the last line. Returns the number of lines. */
static int change_from_label(const struct table *t, int c_metric, const char *metric,
                             const char *ref, char *buf, size_t n)
{
    char unit[256];
    bool has_unit = axis_label(t, c_metric, metric, unit, sizeof unit);
    const char *b = better_words(better_of(t, c_metric, metric));
    bool is_long = strlen(ref) + strlen(unit) > 24; /* a line of 40 characters fits a panel */
    snprintf(buf, n,
             has_unit ? "change from %.100s%s(%.140s)%s%s" : "change from %.100s%sin %.140s%s%s",
             ref, is_long ? "\n" : " ", unit, b[0] ? "\n" : "", b);
    return 1 + is_long + (b[0] != '\0');
}

/* A tick step for an axis spanning span, of 1, 2 or 5 times a power of ten, giving at most
 * about four ticks over the intervals (so that long numbers do not run into each other). */
static double tick_step(double span)
{
    if (!(span > 0) || !isfinite(span)) {
        return 1.0;
    }
    double raw = span / 4.0, p = pow(10.0, floor(log10(raw)));
    return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

/* An x range holding 0 and every interval lo[i] to hi[i] (n of them), with room around them
 * (and at the right for the values written after each interval when is_room), and its ticks;
 * with is_words, each tick in words ("250,000", "1.5 million"), as a cost axis wants. */
static void xrange_with_zero(FILE *f, const double *lo, const double *hi, int n, bool is_words,
                             bool is_room)
{
    double a = 0.0, b = 0.0;
    for (int i = 0; i < n; i++) {
        a = isfinite(lo[i]) && lo[i] < a ? lo[i] : a;
        b = isfinite(hi[i]) && hi[i] > b ? hi[i] : b;
    }
    /* Room at the right for the values written after each interval. */
    double pad = b > a ? 0.06 * (b - a) : 1.0, right = !is_room ? pad : b > a ? 0.8 * (b - a) : 1.0;
    /* Numbers of four digits or more: fewer ticks, in words ("-4,000"), so they stay apart. */
    bool is_long = fmax(fabs(a), fabs(b)) >= 1000;
    is_words |= is_long;
    double step = tick_step((b - a + 2 * pad) * (is_long ? 1.6 : is_room ? 1.0 : 0.8));
    fprintf(f, "set xrange [%.10g:%.10g]\n", a - pad, b + right);
    double bmax = b + pad; /* no tick in the room for the values */
    if (!is_words) {
        fprintf(f, "set xtics %.10g, %.10g, %.10g\n", ceil((a - pad) / step) * step, step, bmax);
        return;
    }
    fputs("set xtics (", f);
    long k0 = (long)ceil((a - pad) / step), k1 = (long)floor(bmax / step);
    for (long k = k0; k <= k1 && k - k0 < 20; k++) {
        char w[40];
        double x = (double)k * step;
        fprintf(f, "%s\"%s\" %.10g", k > k0 ? ", " : "", csv_amount(x, w, sizeof w), x);
    }
    fputs(")\n", f);
}

/* "-3.2 (-4.8 to -1.6)": a difference and its interval in words, for the point's label. */
static void diff_text(double d, double lo, double hi, char *buf, size_t n)
{
    char a[3][40];
    if (lo == d && hi == d) { /* the same in every replication: no interval to give */
        snprintf(buf, n, "%s", csv_amount(d, a[0], sizeof a[0]));
        return;
    }
    if (fabs(d) >= 1e6 && fabs(lo) >= 1e6 && fabs(hi) >= 1e6) { /* "12.2 (11.4 to 13) million" */
        snprintf(buf, n, "%.3g (%.3g to %.3g) million", d / 1e6, lo / 1e6, hi / 1e6);
        return;
    }
    snprintf(buf, n, "%s (%s to %s)", csv_amount(d, a[0], sizeof a[0]),
             csv_amount(lo, a[1], sizeof a[1]), csv_amount(hi, a[2], sizeof a[2]));
}

/* The scenarios of a comparison table in order of first appearance (the first is the
 * reference); returns how many, at most max. */
static int scenarios_of(const struct table *t, int cs, const char **out, int max)
{
    int ns = 0;
    for (int r = 0; r < t->n_rows && ns < max; r++) {
        bool seen = false;
        for (int k = 0; k < ns; k++) {
            seen |= strcmp(out[k], table_at(t, r, cs)) == 0;
        }
        if (!seen) {
            out[ns++] = table_at(t, r, cs);
        }
    }
    return ns;
}

/* differences: forest plot of each scenario's paired difference from the reference (the first
 * scenario), scenario minus reference as comparison.csv's diff column, in the metric's unit,
 * the better direction marked; the numbers in differences.dat are the diff, diff_ci_low and
 * diff_ci_high of comparison.csv. */
static int fig_differences(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario"), cd = table_col(t, "diff"),
        cl = table_col(t, "diff_ci_low"), ch = table_col(t, "diff_ci_high");
    const char *metrics[8], *scen[16];
    int nm = choose_metrics(t, cm, metrics, 6), ns = scenarios_of(t, cs, scen, 16);
    FILE *d = open_in(dir, "differences", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/differences.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("panel,row,scenario,metric,diff,diff_ci_low,diff_ci_high,text\n", d);
    int max_rows = 0, n_rows[8] = {0};
    const char *rowname[8][16];
    char rowtext[8][16][128]; /* each row's difference and interval in words */
    double lo[8][16], hi[8][16];
    for (int m = 0; m < nm; m++) {
        int row = 0;
        for (int r = 0; r < t->n_rows && row < 16; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) != 0 || isnan(table_num(t, r, cd))) {
                continue;
            }
            double a = table_num(t, r, cl), b = table_num(t, r, ch), v = table_num(t, r, cd);
            char text[128];
            rowname[m][row] = table_at(t, r, cs);
            lo[m][row] = isnan(a) ? v : fmin(a, b); /* one replication: the point alone */
            hi[m][row] = isnan(b) ? v : fmax(a, b);
            diff_text(v, lo[m][row], hi[m][row], text, sizeof text);
            snprintf(rowtext[m][row], sizeof rowtext[m][row], "%s", text);
            fprintf(d, "%d,%d,", m, row++);
            dat_text(d, table_at(t, r, cs));
            fputc(',', d);
            dat_text(d, metrics[m]);
            fprintf(d, ",%.10g,%.10g,%.10g,", v, lo[m][row - 1], hi[m][row - 1]);
            dat_text(d, text);
            fputc('\n', d);
        }
        max_rows = row > max_rows ? row : max_rows;
        n_rows[m] = row;
    }
    close_out(dw, d);
    if (max_rows == 0) {
        return 0;
    }
    FILE *f = open_in(dir, "differences", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/differences.gp: %s", dir, strerror(errno));
        return -1;
    }
    char minus[500], title[800];
    minus_words(scen[0], scen + 1, ns - 1, minus, sizeof minus);
    script_head(f, "differences",
                "paired differences from the reference, scenario minus reference, 95% "
                "confidence intervals");
    int cols = nm > 2 ? 2 : nm, rows = (nm + cols - 1) / cols;
    snprintf(title, sizeof title, "Change from %.200s: %.400s\n(same clients, %s)", scen[0], minus,
             no_interval(t, cl) ? "one replication: no interval" : "paired 95% CI");
    fprintf(f, "set multiplot layout %d,%d title ", rows, cols);
    label(f, title);
    /* One left margin for every panel, wide enough for the longest row label, so that the
     * panels line up and their titles and axis labels stay within the figure. */
    size_t lm = 8;
    for (int m = 0; m < nm; m++) {
        for (int k = 0; k < n_rows[m]; k++) {
            size_t a = strlen(rowname[m][k]), b = strlen(rowtext[m][k]);
            lm = a > lm ? a : lm;
            lm = b > lm ? b : lm;
        }
    }
    fprintf(f,
            " font ',16'\nset yrange [-0.6:%d.75]\nset ytics scale 0\nunset grid\nset grid "
            "xtics lc rgb '#DDDDDD'\nset lmargin %d\nset rmargin 8\n",
            max_rows - 1, (int)(0.85 * (double)(lm < 40 ? lm : 40)) + 2);
    for (int m = 0; m < nm; m++) {
        char ax[400];
        int lines = change_from_label(t, cm, metrics[m], scen[0], ax, sizeof ax);
        fputs("set title ", f);
        label_wrapped(f, title_of(t, cm, metrics[m]), 34);
        fputs("\nset xlabel ", f);
        label(f, ax);
        fprintf(f, "\nset bmargin %d\nset ytics (", 2 + lines);
        for (int k = 0; k < n_rows[m]; k++) { /* the scenario, its value below */
            char both[400];
            snprintf(both, sizeof both, "%.250s\n%s", rowname[m][k], rowtext[m][k]);
            fprintf(f, "%s", k ? ", " : "");
            label(f, both);
            fprintf(f, " %d", k);
        }
        fputs(")\n", f);
        xrange_with_zero(f, lo[m], hi[m], n_rows[m], is_cost_metric(t, cm, metrics[m]), false);
        fprintf(f,
                "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#666666' dt 2\n"
                "plot 'differences.dat' skip 1 using ($1==%d ? $5 : NaN):($1==%d ? $2 : NaN):"
                "($1==%d ? $6 : NaN):($1==%d ? $7 : NaN) with xerrorbars lc rgb '%s' "
                "pt 7 ps 1.4 lw 2.5\n",
                m, m, m, m, palette[0]);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    return render(dw, "differences", PLOT_WIDTH, 200 + rows * (270 + 70 * max_rows), err,
                  err_len) == 0
               ? 1
               : -1;
}

static int year_of(const char *metric, const char **name);

/* s with line ends put in place of spaces so that no line is longer than width bytes where a
 * space allows (greedy), into buf. Returns the number of lines. */
static int wrap_text(const char *s, size_t width, char *buf, size_t n)
{
    snprintf(buf, n, "%s", s);
    int lines = 1;
    size_t start = 0, last_space = 0;
    for (size_t i = 0; buf[i]; i++) {
        if (buf[i] == ' ') {
            last_space = i;
        }
        if (i - start >= width && last_space > start) {
            buf[last_space] = '\n';
            start = last_space + 1;
            lines++;
        }
    }
    return lines;
}

/* costs: the cost metrics (is_cost_metric(), those sharing the unit most of them have, at most
 * eight) by component, one row each. In a comparison, each scenario's paired change from the
 * reference (scenario minus reference, comparison.csv's diff); in a run, each cost's mean. The
 * axis carries the unit with its currency and price year. Returns 1 when drawn, 0 when the
 * table has no cost. */
static int fig_costs(struct draw *dw, const struct table *t, bool is_comparison,
                     const char *run_label, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric"), cs = is_comparison ? table_col(t, "scenario") : -1;
    int cv = table_col(t, is_comparison ? "diff" : "mean"),
        cl = table_col(t, is_comparison ? "diff_ci_low" : "ci_low"),
        ch = table_col(t, is_comparison ? "diff_ci_high" : "ci_high");
    const char *cost[64], *metrics[8], *scen[16];
    int nc = 0, nm = 0, ns = is_comparison ? scenarios_of(t, cs, scen, 16) : 0;
    for (int r = 0; r < t->n_rows && nc < 64; r++) {
        const char *m = table_at(t, r, cm);
        const char *name;
        bool seen = false;
        for (int k = 0; k < nc; k++) {
            seen |= strcmp(cost[k], m) == 0;
        }
        if (!seen && year_of(m, &name) == 0 && is_cost_metric(t, cm, m)) {
            cost[nc++] = m;
        }
    }
    /* The unit most of them share ("GBP a year, 2023 prices"), and the costs in it. */
    struct table_meta mm, mk;
    const char *unit = NULL;
    int best = 0;
    for (int i = 0; i < nc; i++) {
        int count = 0;
        table_metric_meta(t, cm, cost[i], &mm);
        for (int k = 0; k < nc; k++) {
            table_metric_meta(t, cm, cost[k], &mk);
            count += strcmp(mm.unit, mk.unit) == 0;
        }
        if (count > best) {
            best = count;
            unit = mm.unit;
        }
    }
    for (int i = 0; i < nc && nm < 8; i++) {
        table_metric_meta(t, cm, cost[i], &mm);
        if (strcmp(mm.unit, unit) == 0) {
            metrics[nm++] = cost[i];
        }
    }
    if (nm == 0 || (is_comparison && ns < 2)) {
        return 0;
    }
    int n_series = is_comparison ? ns - 1 : 1;
    FILE *d = open_in(dir, "costs", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/costs.dat: %s", dir, strerror(errno));
        return -1;
    }
    fprintf(d, "row,series,scenario,metric,%s,%s,%s,text\n", t->header[cv], t->header[cl],
            t->header[ch]);
    double lo[8 * 16], hi[8 * 16];
    char texts[8][128]; /* with one series, the text of each row's value */
    int n_pts = 0, rows_of[8];
    for (int m = 0; m < nm; m++) {
        for (int r = 0; r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) != 0 || isnan(table_num(t, r, cv))) {
                continue;
            }
            int si = 0;
            for (int k = 1; is_comparison && k < ns; k++) {
                si = strcmp(scen[k], table_at(t, r, cs)) == 0 ? k - 1 : si;
            }
            double v = table_num(t, r, cv), a = table_num(t, r, cl), b = table_num(t, r, ch);
            a = isnan(a) ? v : a;
            b = isnan(b) ? v : b;
            char text[128];
            diff_text(v, fmin(a, b), fmax(a, b), text, sizeof text);
            if (n_pts < 8 * 16) {
                snprintf(texts[n_pts < 8 ? n_pts : 0], sizeof texts[0], "%s", text);
                rows_of[n_pts < 8 ? n_pts : 0] = nm - 1 - m;
                lo[n_pts] = fmin(a, b);
                hi[n_pts++] = fmax(a, b);
            }
            /* Row 0 at the top: the first cost drawn highest. */
            fprintf(d, "%.4g,%d,",
                    (nm - 1 - m) + (n_series > 1 ? 0.18 - 0.36 * si / (n_series - 1) : 0.0), si);
            dat_text(d, is_comparison ? table_at(t, r, cs) : run_label);
            fputc(',', d);
            dat_text(d, metrics[m]);
            fprintf(d, ",%.10g,%.10g,%.10g,", v, fmin(a, b), fmax(a, b));
            dat_text(d, text);
            fputc('\n', d);
        }
    }
    close_out(dw, d);
    FILE *f = open_in(dir, "costs", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/costs.gp: %s", dir, strerror(errno));
        return -1;
    }
    char title[800], minus[500], ax[600];
    if (is_comparison) {
        script_head(f, "costs",
                    "costs by component: paired change from the reference, scenario minus "
                    "reference, 95% confidence intervals");
        minus_words(scen[0], scen + 1, ns - 1, minus, sizeof minus);
        snprintf(title, sizeof title,
                 "Costs by component: change from %.200s\n%.400s\n(same clients, paired 95%% CI)",
                 scen[0], minus);
        const char *b = better_words(better_of(t, cm, metrics[0]));
        snprintf(ax, sizeof ax, "change from %.200s (%.300s)%s%s", scen[0], unit, b[0] ? "\n" : "",
                 b);
    } else {
        script_head(f, "costs", "costs by component, mean and 95% confidence interval");
        snprintf(title, sizeof title,
                 "Costs by component, %.200s\n(mean and 95%% CI across replications)", run_label);
        snprintf(ax, sizeof ax, "%.500s", unit);
    }
    fputs("set title ", f);
    label(f, title);
    fputs(" font ',16'\nset xlabel ", f);
    label(f, ax);
    fprintf(f, "\nset bmargin %d\nset yrange [-0.6:%d.6]\nset ytics scale 0 (",
            n_series > 1    ? 7
            : is_comparison ? 5
                            : 4,
            nm - 1);
    int label_lines = 1;
    for (int m = 0; m < nm; m++) {
        char w[600];
        int lines = wrap_text(title_of(t, cm, metrics[m]), 34, w, sizeof w);
        label_lines = lines > label_lines ? lines : label_lines;
        fprintf(f, "%s", m ? ", " : "");
        label(f, w);
        fprintf(f, " %d", nm - 1 - m);
    }
    fputs(")\nunset grid\nset grid xtics lc rgb '#DDDDDD'\n", f);
    xrange_with_zero(f, lo, hi, n_pts, true, false);
    if (is_comparison) {
        fputs("set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#666666' dt 2\n", f);
    }
    fputs(n_series > 1 ? "set key outside bottom center horizontal\n" : "unset key\n", f);
    if (n_series == 1) { /* the values in a column at the right, a row each */
        size_t width = 0;
        for (int i = 0; i < n_pts && i < nm; i++) {
            width = strlen(texts[i]) > width ? strlen(texts[i]) : width;
        }
        fprintf(f, "set rmargin %d\n", (int)(0.8 * (double)width) + 3); /* in characters */
        for (int i = 0; i < n_pts && i < nm; i++) {
            fprintf(f, "set label %d ", 10 + i);
            label(f, texts[i]);
            fprintf(f, " at graph 1.02, first %d left textcolor rgb '#222222'\n", rows_of[i]);
        }
    }
    fputs("plot ", f);
    for (int k = 0; k < n_series; k++) {
        fprintf(f,
                "%s'costs.dat' skip 1 using ($2==%d ? $5 : NaN):1:6:7 with xerrorbars lc rgb "
                "'%s' pt 7 ps 1.4 lw 2.5 title ",
                k ? ", \\\n     " : "", k, palette[k % N_LINE_PALETTE]);
        label(f, is_comparison ? scen[k + 1] : run_label);
    }
    fputs("\n", f);
    close_out(dw, f);
    int row_px = 36 + 24 * label_lines + (n_series > 1 ? 24 * n_series : 24);
    return render(dw, "costs", PLOT_WIDTH, 260 + nm * row_px, err, err_len) == 0 ? 1 : -1;
}

/* timeseries: each weekly series with its CI band. */
static int fig_timeseries(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
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
    close_out(dw, d);
    FILE *f = open_in(dir, "timeseries", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/timeseries.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "timeseries", "weekly series, mean and 95% confidence band");
    int cols = n > 2 ? 2 : n, rows = (n + cols - 1) / cols;
    fprintf(f,
            "set multiplot layout %d,%d title \"Weekly series (%s; warm-up included)\" font "
            "',16'\n",
            rows, cols,
            no_interval(t, cl) ? "one replication: no band"
                               : "mean across replications, 95% CI band");
    fputs("set xlabel 'week'\nset style fill transparent solid 0.25 noborder\n", f);
    fputs("set yrange [0:*]\n", f);
    for (int k = 0; k < n; k++) {
        char ax[256];
        axis_label(t, cm, series[k], ax, sizeof ax);
        fputs("set title ", f);
        label_wrapped(f, title_of(t, cm, series[k]), 44);
        fputs("\nset ylabel ", f);
        label(f, ax);
        fprintf(f,
                "\nplot 'timeseries.dat' index %d using 1:3:4 with filledcurves lc rgb '%s', "
                "\\\n     '' index %d using 1:2 with lines lc rgb '%s' lw 2\n",
                k, palette[k % N_LINE_PALETTE], k, palette[k % N_LINE_PALETTE]);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    return render(dw, "timeseries", PLOT_WIDTH, 400 * rows + 130, err, err_len);
}

/* sweep: each chosen metric against the first key, one line per value of the second key. */
static int fig_sweep(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric");
    int n_keys = cm; /* the varied keys come first */
    int cmean = table_col(t, "mean"), cl = table_col(t, "ci_low"), ch = table_col(t, "ci_high");
    const char *metrics[8];
    int drawn = 0;
    int nm = choose_metrics(t, cm, metrics, 6);
    for (int m = 0; m < nm; m++) {
        char name[300];
        figure_name("sweep_", metrics[m], name, sizeof name);
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
        close_out(dw, d);
        FILE *f = open_in(dir, name, "gp");
        if (!f) {
            snprintf(err, err_len, "%s/%s.gp: %s", dir, name, strerror(errno));
            return -1;
        }
        script_head(f, name, "a sweep: mean and 95% confidence band at each point");
        char ax[256];
        axis_label(t, cm, metrics[m], ax, sizeof ax);
        fputs("set title ", f);
        label(f, title_of(t, cm, metrics[m]));
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
                    g ? ", \\\n     " : "", name, g, palette[g % N_LINE_PALETTE], g,
                    palette[g % N_LINE_PALETTE], title);
        }
        fputs("\n", f);
        close_out(dw, f);
        if (render(dw, name, PLOT_WIDTH, 1000, err, err_len) != 0) {
            return -1;
        }
        drawn++;
    }
    return drawn;
}

/* tornado: the low and high ends of each parameter's effect on a metric, widest first. */
static int fig_tornado(struct draw *dw, const struct table *t, const char *metric, char *err,
                       size_t err_len)
{
    const char *dir = dw->path;
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
    figure_name("tornado_", metric, name, sizeof name);
    FILE *d = open_in(dir, name, "dat");
    if (!d) {
        snprintf(err, err_len, "%s/%s.dat: %s", dir, name, strerror(errno));
        return -1;
    }
    fputs("row,parameter,low_diff,high_diff\n", d);
    for (int i = 0; i < n; i++) {
        int r = bars[i].row;
        char what[600];
        snprintf(what, sizeof what, "%.500s (%s to %s)", table_at(t, r, cp), table_at(t, r, clo),
                 table_at(t, r, chi));
        fprintf(d, "%d,", i);
        dat_text(d, what);
        fprintf(d, ",%s,%s\n", table_at(t, r, cld), table_at(t, r, chd));
    }
    close_out(dw, d);
    FILE *f = open_in(dir, name, "gp");
    if (!f) {
        snprintf(err, err_len, "%s/%s.gp: %s", dir, name, strerror(errno));
        return -1;
    }
    script_head(f, name, "one-way sensitivity: change at the low and high end of each range");
    char title[700];
    snprintf(title, sizeof title,
             "One-way sensitivity of\n%.500s\n(change from the base, same clients)",
             title_of(t, cm, metric));
    fputs("set title ", f);
    label(f, title);
    fputs(" font ',16'\nset xlabel ", f);
    char xl[400];
    change_from_label(t, cm, metric, "the base", xl, sizeof xl);
    label(f, xl);
    fprintf(f,
            "\nset yrange [-0.7:%d.7]\nset ytics scale 0 font ',11'\nunset grid\n"
            "set grid xtics lc rgb '#DDDDDD'\nset style fill solid 0.85 noborder\n"
            "set key inside bottom right vertical box opaque\nset bmargin 5\n"
            "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444'\n"
            "plot '%s.dat' skip 1 using (0):1:($3 < 0 ? $3 : 0):($3 < 0 ? 0 : $3):"
            "($1-0.38):($1-0.02):ytic(2) with boxxyerror lc rgb '%s' title 'low end of the "
            "range', \\\n"
            "     '' skip 1 using (0):1:($4 < 0 ? $4 : 0):($4 < 0 ? 0 : $4):($1+0.02):"
            "($1+0.38) with boxxyerror lc rgb '%s' title 'high end of the range'\n",
            n - 1, name, palette[4], palette[3]);
    close_out(dw, f);
    if (render(dw, name, PLOT_WIDTH, 340 + 50 * n, err, err_len) != 0) {
        return -1;
    }
    return 1;
}

/* ---- probabilistic sensitivity analysis (ccsim psa) ----------------------------------------- */

/* The row of (metric, scenario) in psa_summary.csv, or -1. */
static int psa_row(const struct table *t, const char *metric, const char *scenario)
{
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario");
    for (int r = 0; r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, cm), metric) == 0 &&
            (!scenario || strcmp(table_at(t, r, cs), scenario) == 0)) {
            return r;
        }
    }
    return -1;
}

/* Whether a PSA's scenarios have costs: psa_summary.csv has a cost_per_year difference and an
 * admissions_per_year one for some scenario. */
static bool psa_table_has_costs(const struct table *sum)
{
    int cd = table_col(sum, "difference"), cm = table_col(sum, "metric");
    bool cost = false, adm = false;
    for (int r = 0; r < sum->n_rows; r++) {
        if (isnan(table_num(sum, r, cd))) {
            continue;
        }
        cost |= strcmp(table_at(sum, r, cm), "cost_per_year") == 0;
        adm |= strcmp(table_at(sum, r, cm), "admissions_per_year") == 0;
    }
    return cost && adm;
}

/* Ticks for the axis ("x" or "y") spanning a to b, in words ("250,000", "1.5 million"), about
 * four of them. */
static void ticks_in_words(FILE *f, const char *axis, double a, double b)
{
    double step = tick_step(b - a);
    long k0 = (long)ceil(a / step), k1 = (long)floor(b / step);
    fprintf(f, "set %stics (", axis);
    for (long k = k0; k <= k1 && k - k0 < 20; k++) {
        char w[40];
        double x = (double)k * step;
        fprintf(f, "%s\"%s\" %.10g", k > k0 ? ", " : "", csv_amount(x, w, sizeof w), x);
    }
    fputs(")\n", f);
}

/* A range holding 0 and every value of v (n of them), with room around them: into *a, *b. */
static void range_with_zero(const double *v, int n, double *a, double *b)
{
    double lo = 0.0, hi = 0.0;
    for (int i = 0; i < n; i++) {
        lo = isfinite(v[i]) && v[i] < lo ? v[i] : lo;
        hi = isfinite(v[i]) && v[i] > hi ? v[i] : hi;
    }
    double pad = hi > lo ? 0.08 * (hi - lo) : 1.0;
    *a = lo - pad;
    *b = hi + pad;
}

/* psa_plane: for each scenario but the reference, the draws' pairs of differences from the
 * reference, their mean marked (psa_summary.csv's difference), the axes through 0. With costs,
 * the cost-effectiveness plane: admissions averted a year (minus the difference of
 * admissions_per_year) across, the change in cost a year (the difference of cost_per_year) up;
 * without, the first two headline metrics' differences. */
static int fig_psa_plane(struct draw *dw, const struct table *psa, const struct table *sum,
                         char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cs = table_col(psa, "scenario"), cm = table_col(psa, "metric"),
        cdraw = table_col(psa, "draw"), cdiff = table_col(psa, "difference");
    int ss = table_col(sum, "scenario"), sd = table_col(sum, "difference");
    bool costs = psa_table_has_costs(sum);
    const char *scen[16], *mx, *my;
    int ns = scenarios_of(sum, ss, scen, 16);
    const char *heads[8];
    int nh = choose_metrics(sum, table_col(sum, "metric"), heads, 6);
    if (costs) {
        mx = "admissions_per_year";
        my = "cost_per_year";
    } else if (nh >= 2) {
        mx = heads[0];
        my = heads[1];
    } else {
        return 0;
    }
    if (ns < 2) {
        return 0;
    }
    double sign_x = costs ? -1.0 : 1.0; /* admissions averted: minus the difference */
    /* Each draw's pair, per scenario: the rows of psa.csv in order, x and y matched by draw. */
    struct pair {
        long draw;
        double x, y;
        const char *xs, *ys;
    };
    struct pair *pairs = xcalloc((size_t)psa->n_rows + 1, sizeof *pairs);
    int *of = xcalloc((size_t)psa->n_rows + 1, sizeof *of);
    int np = 0;
    for (int r = 0; r < psa->n_rows; r++) {
        if (strcmp(table_at(psa, r, cm), mx) != 0 || isnan(table_num(psa, r, cdiff))) {
            continue;
        }
        int k = -1;
        for (int i = 1; i < ns; i++) {
            k = strcmp(scen[i], table_at(psa, r, cs)) == 0 ? i : k;
        }
        if (k < 0) {
            continue;
        }
        pairs[np] = (struct pair){(long)table_num(psa, r, cdraw), table_num(psa, r, cdiff), NAN,
                                  table_at(psa, r, cdiff), NULL};
        of[np++] = k;
    }
    for (int r = 0; r < psa->n_rows; r++) { /* the y of each pair, by scenario and draw */
        if (strcmp(table_at(psa, r, cm), my) != 0 || isnan(table_num(psa, r, cdiff))) {
            continue;
        }
        long d = (long)table_num(psa, r, cdraw);
        for (int i = 0; i < np; i++) {
            if (pairs[i].draw == d && !pairs[i].ys &&
                strcmp(scen[of[i]], table_at(psa, r, cs)) == 0) {
                pairs[i].y = table_num(psa, r, cdiff);
                pairs[i].ys = table_at(psa, r, cdiff);
                break;
            }
        }
    }
    FILE *d = open_in(dir, "psa_plane", "dat");
    if (!d) {
        free(pairs);
        free(of);
        snprintf(err, err_len, "%s/psa_plane.dat: %s", dir, strerror(errno));
        return -1;
    }
    double *xv = xcalloc((size_t)np + 16, sizeof *xv), *yv = xcalloc((size_t)np + 16, sizeof *yv);
    int nv = 0;
    fprintf(d,
            "# scenario_index,scenario,draw,x,y: x = %s%s, y = %s difference from %s; "
            "then, after two blank lines, the means (psa_summary.csv)\n",
            costs ? "minus " : "", mx, my, scen[0]);
    for (int i = 0; i < np; i++) {
        if (!pairs[i].ys) {
            continue;
        }
        fprintf(d, "%d,", of[i]);
        dat_text(d, scen[of[i]]);
        fprintf(d, ",%ld,%.10g,%.10g\n", pairs[i].draw, sign_x * pairs[i].x, pairs[i].y);
        xv[nv] = sign_x * pairs[i].x;
        yv[nv++] = pairs[i].y;
    }
    fputs("\n\n", d);
    for (int k = 1; k < ns; k++) {
        int rx = psa_row(sum, mx, scen[k]), ry = psa_row(sum, my, scen[k]);
        double x = rx >= 0 ? sign_x * table_num(sum, rx, sd) : NAN,
               y = ry >= 0 ? table_num(sum, ry, sd) : NAN;
        fprintf(d, "%d,", k);
        dat_text(d, scen[k]);
        fprintf(d, ",mean,%.10g,%.10g\n", x, y);
        xv[nv] = x;
        yv[nv++] = y;
    }
    close_out(dw, d);
    free(pairs);
    free(of);
    FILE *f = open_in(dir, "psa_plane", "gp");
    if (!f) {
        free(xv);
        free(yv);
        snprintf(err, err_len, "%s/psa_plane.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "psa_plane",
                costs ? "the cost-effectiveness plane: each parameter draw's admissions averted "
                        "and change in cost, against the reference"
                      : "each parameter draw's differences from the reference in two metrics");
    double xa, xb, ya, yb;
    range_with_zero(xv, nv, &xa, &xb);
    range_with_zero(yv, nv, &ya, &yb);
    free(xv);
    free(yv);
    char title[800], xl[600], yl[600];
    struct table_meta mm;
    if (costs) {
        table_metric_meta(sum, table_col(sum, "metric"), my, &mm);
        snprintf(title, sizeof title,
                 "Cost-effectiveness plane against %.200s\neach point one parameter draw (the "
                 "same clients in every scenario),\na cross the mean over the draws",
                 scen[0]);
        snprintf(xl, sizeof xl, "admissions averted a year (fewer than %.200s) \xe2\x86\x92",
                 scen[0]);
        snprintf(yl, sizeof yl, "change in cost a year from %.150s\n(%.200s)", scen[0],
                 mm.unit[0] ? mm.unit : "cost");
    } else {
        snprintf(title, sizeof title,
                 "Differences from %.200s in two headline outcomes\neach point one parameter "
                 "draw (the same clients in every scenario),\na cross the mean over the draws",
                 scen[0]);
        char ux[300], uy[300];
        change_from_label(sum, table_col(sum, "metric"), mx, scen[0], ux, sizeof ux);
        change_from_label(sum, table_col(sum, "metric"), my, scen[0], uy, sizeof uy);
        snprintf(xl, sizeof xl, "%.200s: %.380s", title_of(sum, table_col(sum, "metric"), mx), ux);
        snprintf(yl, sizeof yl, "%.200s:\n%.380s", title_of(sum, table_col(sum, "metric"), my), uy);
        for (char *c = xl; *c; c++) { /* one line across */
            *c = *c == '\n' ? ' ' : *c;
        }
    }
    fputs("set title ", f);
    label(f, title);
    fputs(" font ',16'\nset xlabel ", f);
    label(f, xl);
    fputs("\nset ylabel ", f);
    label(f, yl);
    fprintf(f, "\nset xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n", xa, xb, ya, yb);
    if (fmax(fabs(xa), fabs(xb)) >= 1000) {
        ticks_in_words(f, "x", xa, xb);
    }
    if (costs || fmax(fabs(ya), fabs(yb)) >= 1000) {
        ticks_in_words(f, "y", ya, yb);
    }
    fputs("set grid xtics ytics lc rgb '#E4E4E4' lt 1\nset lmargin 20\nset rmargin 6\n"
          "set bmargin 7\nset xzeroaxis lt 1 lc rgb '#444444' lw 1.2\n"
          "set yzeroaxis lt 1 lc rgb '#444444' lw 1.2\nset key outside bottom center horizontal\n",
          f);
    if (costs) { /* the quadrants in words */
        fputs("set label 1 \"costs more,\\naverts admissions\" at graph 0.98, graph 0.96 right "
              "tc rgb '#666666'\n"
              "set label 2 \"saves money,\\naverts admissions\" at graph 0.98, graph 0.1 right "
              "tc rgb '#666666'\n"
              "set label 3 \"costs more,\\nmore admissions\" at graph 0.02, graph 0.96 left "
              "tc rgb '#666666'\n"
              "set label 4 \"saves money,\\nmore admissions\" at graph 0.02, graph 0.1 left "
              "tc rgb '#666666'\n",
              f);
    }
    fputs("plot ", f);
    for (int k = 1; k < ns; k++) {
        fprintf(f,
                "%s'psa_plane.dat' index 0 using ($1==%d ? $4 : NaN):5 with points pt 7 ps 0.9 "
                "lc rgb '%s' title ",
                k > 1 ? ", \\\n     " : "", k, palette[(k - 1) % N_LINE_PALETTE]);
        label(f, scen[k]);
    }
    for (int k = 1; k < ns; k++) {
        fprintf(f,
                ", \\\n     'psa_plane.dat' index 1 using ($1==%d ? $4 : NaN):5 with points pt 2 "
                "ps 3.5 lw 4 lc rgb '#000000' title '%s'",
                k, k == 1 ? "mean" : "");
        fprintf(f,
                ", \\\n     'psa_plane.dat' index 1 using ($1==%d ? $4 : NaN):5 with points pt 2 "
                "ps 3 lw 2 lc rgb '%s' notitle",
                k, palette[(k - 1) % N_LINE_PALETTE]);
    }
    fputs("\n", f);
    close_out(dw, f);
    return render(dw, "psa_plane", PLOT_WIDTH, 1000, err, err_len) == 0 ? 1 : -1;
}

/* The words of a CEAC outcome: "admission", "bed-day" (the outcome as psa_ceac.csv names it). */
static const char *ceac_one(const char *outcome)
{
    return strcmp(outcome, "admissions") == 0 ? "admission"
           : strcmp(outcome, "bed_days") == 0 ? "bed-day"
                                              : outcome;
}

/* psa_ceac: the cost-effectiveness acceptability curves, one panel per outcome of
 * psa_ceac.csv (admissions, bed-days averted), one line per scenario: the share of draws in
 * which the scenario has the greatest net benefit at each willingness to pay. */
static int fig_psa_ceac(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int co = table_col(t, "outcome"), cw = table_col(t, "willingness_to_pay"),
        cs = table_col(t, "scenario"), cp = table_col(t, "probability_cost_effective"),
        cc = table_col(t, "currency");
    const char *outcomes[4], *scen[16];
    int no = 0, ns = scenarios_of(t, cs, scen, 16);
    for (int r = 0; r < t->n_rows && no < 4; r++) {
        bool seen = false;
        for (int k = 0; k < no; k++) {
            seen |= strcmp(outcomes[k], table_at(t, r, co)) == 0;
        }
        if (!seen) {
            outcomes[no++] = table_at(t, r, co);
        }
    }
    if (no == 0 || ns == 0) {
        return 0;
    }
    FILE *d = open_in(dir, "psa_ceac", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/psa_ceac.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("# panel,willingness_to_pay,scenario_index,scenario,probability_cost_effective; one "
          "block per outcome and scenario (index = panel * scenarios + scenario_index)\n",
          d);
    double wmax[4] = {0};
    for (int o = 0; o < no; o++) {
        for (int k = 0; k < ns; k++) {
            for (int r = 0; r < t->n_rows; r++) {
                if (strcmp(table_at(t, r, co), outcomes[o]) != 0 ||
                    strcmp(table_at(t, r, cs), scen[k]) != 0) {
                    continue;
                }
                fprintf(d, "%d,%s,%d,", o, table_at(t, r, cw), k);
                dat_text(d, scen[k]);
                fprintf(d, ",%s\n", table_at(t, r, cp));
                wmax[o] = fmax(wmax[o], table_num(t, r, cw));
            }
            fputs("\n\n", d);
        }
    }
    close_out(dw, d);
    FILE *f = open_in(dir, "psa_ceac", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/psa_ceac.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "psa_ceac",
                "cost-effectiveness acceptability curves: the share of parameter draws in which "
                "each scenario has the greatest net benefit");
    fprintf(f,
            "set multiplot layout 1,%d title \"Cost-effectiveness acceptability curves\\n(share "
            "of parameter draws in which each scenario has the greatest net benefit)\" font "
            "',16'\n",
            no);
    fputs("set yrange [0:1.02]\nset ytics (\"0%%\" 0, \"25%%\" 0.25, \"50%%\" 0.5, \"75%%\" "
          "0.75, \"100%%\" 1)\nset label 1 \"95%\" at graph 1.01, first 0.95 left font ',10' "
          "tc rgb '#777777'\nset rmargin 6\nset grid xtics ytics lc rgb '#E4E4E4' lt 1\n"
          "set ylabel \"probability cost-effective\"\nset key inside right center vertical box "
          "opaque\nset bmargin 6\n",
          f);
    for (int o = 0; o < no; o++) {
        char xl[400], tl[200];
        const char *cur = "";
        for (int r = 0; cc >= 0 && r < t->n_rows; r++) {
            if (strcmp(table_at(t, r, co), outcomes[o]) == 0) {
                cur = table_at(t, r, cc);
                break;
            }
        }
        snprintf(tl, sizeof tl, "Per %s averted", ceac_one(outcomes[o]));
        snprintf(xl, sizeof xl, "willingness to pay per %s averted%s%.200s%s",
                 ceac_one(outcomes[o]), cur[0] ? "\n(" : "", cur, cur[0] ? ")" : "");
        fputs("set title ", f);
        label(f, tl);
        fputs("\nset xlabel ", f);
        label(f, xl);
        fprintf(f, "\nset xrange [0:%.10g]\n", wmax[o] > 0 ? wmax[o] : 1.0);
        ticks_in_words(f, "x", 0.0, wmax[o] > 0 ? wmax[o] : 1.0);
        fputs("set arrow 1 from graph 0, first 0.5 to graph 1, first 0.5 nohead lc rgb '#999999' "
              "dt 2\nset arrow 2 from graph 0, first 0.95 to graph 1, first 0.95 nohead lc rgb "
              "'#999999' dt 3\nplot ",
              f);
        for (int k = 0; k < ns; k++) {
            fprintf(f, "%s'psa_ceac.dat' index %d using 2:5 with lines lw 3 lc rgb '%s' title ",
                    k ? ", \\\n     " : "", o * ns + k, palette[k % N_LINE_PALETTE]);
            label(f, scen[k]);
        }
        fputs("\n", f);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    return render(dw, "psa_ceac", PLOT_WIDTH, 720, err, err_len) == 0 ? 1 : -1;
}

/* "in 97% of draws": a share in whole percent, never rounded to 0% or 100% when it is not. */
static void share_words(double p, char *buf, size_t n)
{
    if (isnan(p)) {
        snprintf(buf, n, "NA");
    } else if (p > 0 && p < 0.005) {
        snprintf(buf, n, "<1%%");
    } else if (p < 1 && p > 0.995) {
        snprintf(buf, n, ">99%%");
    } else {
        snprintf(buf, n, "%.0f%%", 100 * p);
    }
}

/* psa_intervals: each headline metric's difference from the reference over the parameter
 * draws, the mean with its 95% uncertainty interval (psa_summary.csv's difference,
 * difference_lower and difference_upper), one row per scenario, the better direction marked
 * and the share of draws in which it is better written beside. */
static int fig_psa_intervals(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario"), cd = table_col(t, "difference"),
        cl = table_col(t, "difference_lower"), ch = table_col(t, "difference_upper"),
        cb = table_col(t, "probability_better");
    const char *metrics[8], *scen[16];
    int nm = choose_metrics(t, cm, metrics, 6), ns = scenarios_of(t, cs, scen, 16);
    FILE *d = open_in(dir, "psa_intervals", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/psa_intervals.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("panel,row,scenario,metric,difference,difference_lower,difference_upper,"
          "probability_better,text\n",
          d);
    int max_rows = 0, n_rows[8] = {0};
    const char *rowname[8][16];
    char rowtext[8][16][160];
    double lo[8][16], hi[8][16];
    for (int m = 0; m < nm; m++) {
        int row = 0;
        for (int r = 0; r < t->n_rows && row < 16; r++) {
            if (strcmp(table_at(t, r, cm), metrics[m]) != 0 || isnan(table_num(t, r, cd))) {
                continue;
            }
            double v = table_num(t, r, cd), a = table_num(t, r, cl), b = table_num(t, r, ch);
            char text[128], share[16];
            lo[m][row] = isnan(a) ? v : fmin(a, b);
            hi[m][row] = isnan(b) ? v : fmax(a, b);
            diff_text(v, lo[m][row], hi[m][row], text, sizeof text);
            share_words(table_num(t, r, cb), share, sizeof share);
            if (isnan(table_num(t, r, cb))) {
                snprintf(rowtext[m][row], sizeof rowtext[m][row], "%s", text);
            } else {
                snprintf(rowtext[m][row], sizeof rowtext[m][row], "%s; better in %s", text, share);
            }
            rowname[m][row] = table_at(t, r, cs);
            fprintf(d, "%d,%d,", m, row);
            dat_text(d, table_at(t, r, cs));
            fputc(',', d);
            dat_text(d, metrics[m]);
            fprintf(d, ",%s,%s,%s,%s,", table_at(t, r, cd), table_at(t, r, cl), table_at(t, r, ch),
                    table_at(t, r, cb));
            dat_text(d, rowtext[m][row]);
            fputc('\n', d);
            row++;
        }
        max_rows = row > max_rows ? row : max_rows;
        n_rows[m] = row;
    }
    close_out(dw, d);
    if (max_rows == 0) {
        return 0;
    }
    FILE *f = open_in(dir, "psa_intervals", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/psa_intervals.gp: %s", dir, strerror(errno));
        return -1;
    }
    char minus[500], title[800];
    minus_words(scen[0], scen + 1, ns - 1, minus, sizeof minus);
    script_head(f, "psa_intervals",
                "differences from the reference over the parameter draws, mean and 95% "
                "uncertainty interval");
    int cols = nm > 2 ? 2 : nm, rows = (nm + cols - 1) / cols;
    snprintf(title, sizeof title,
             "Change from %.200s with parameter uncertainty: %.400s\n(mean over the parameter "
             "draws and 95%% uncertainty interval, same clients)",
             scen[0], minus);
    fprintf(f, "set multiplot layout %d,%d title ", rows, cols);
    label(f, title);
    size_t lm = 8;
    for (int m = 0; m < nm; m++) {
        for (int k = 0; k < n_rows[m]; k++) {
            size_t a = strlen(rowname[m][k]);
            lm = a > lm ? a : lm;
        }
    }
    fprintf(f,
            " font ',16'\nset yrange [-0.6:%d.75]\nset ytics scale 0\nunset grid\nset grid "
            "xtics lc rgb '#DDDDDD'\nset lmargin %d\nset rmargin 8\n",
            max_rows - 1, (int)(0.85 * (double)(lm < 40 ? lm : 40)) + 2);
    for (int m = 0; m < nm; m++) {
        char ax[400];
        int lines = change_from_label(t, cm, metrics[m], scen[0], ax, sizeof ax);
        fputs("set title ", f);
        label_wrapped(f, title_of(t, cm, metrics[m]), 34);
        fputs("\nset xlabel ", f);
        label(f, ax);
        fprintf(f, "\nset bmargin %d\nset ytics (", 2 + lines);
        for (int k = 0; k < n_rows[m]; k++) { /* the scenario; its numbers above the point */
            fprintf(f, "%s", k ? ", " : "");
            label_tic(f, rowname[m][k]);
            fprintf(f, " %d", k);
        }
        fputs(")\n", f);
        xrange_with_zero(f, lo[m], hi[m], n_rows[m], is_cost_metric(t, cm, metrics[m]), false);
        fprintf(
            f,
            "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#666666' dt 2\n"
            "plot 'psa_intervals.dat' skip 1 using ($1==%d ? $5 : NaN):($1==%d ? $2 : NaN):"
            "($1==%d ? $6 : NaN):($1==%d ? $7 : NaN) with xerrorbars lc rgb '%s' "
            "pt 7 ps 1.4 lw 2.5, \\\n     '' skip 1 using ($1==%d ? $5 : NaN):($1==%d ? $2 + 0.32 "
            ": NaN):9 with labels font ',10' tc rgb '#222222'\n",
            m, m, m, m, palette[2], m, m);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    return render(dw, "psa_intervals", PLOT_WIDTH, 200 + rows * (270 + 70 * max_rows), err,
                  err_len) == 0
               ? 1
               : -1;
}

#define PSA_TOP_DRIVERS   10 /* parameters a driver panel shows */
#define PSA_DRIVER_PANELS 4

struct driver_bar {
    int row;
    double weight;
};

static int by_weight(const void *a, const void *b)
{
    const struct driver_bar *x = a, *y = b;
    if (x->weight != y->weight) {
        return (x->weight > y->weight) - (x->weight < y->weight); /* smallest first */
    }
    return (x->row < y->row) - (x->row > y->row); /* ties: the file's order from the top */
}

/* psa_drivers: the parameters whose draws move each headline difference most, as the Spearman
 * rank correlation of psa_drivers.csv: one panel per (scenario, headline metric), the scenarios
 * after the reference in order and each one's first headline metrics in order, four panels
 * shared among them (with one scenario its first four metrics, with two the first two of each,
 * with four or more the first metric of the first four), each the ten parameters of largest
 * absolute correlation as horizontal bars, largest at the top. */
static int fig_psa_drivers(struct draw *dw, const struct table *t, const char *ref, char *err,
                           size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric"), cs = table_col(t, "scenario"), cp = table_col(t, "parameter"),
        cr = table_col(t, "rank_correlation");
    const char *metrics[8], *scen[16];
    int nm = choose_metrics(t, cm, metrics, 6), ns = scenarios_of(t, cs, scen, 16);
    struct {
        const char *scen, *metric;
        int n;
        struct driver_bar bar[PSA_TOP_DRIVERS];
    } panel[PSA_DRIVER_PANELS];
    int np = 0;
    struct driver_bar *all = xcalloc((size_t)t->n_rows + 1, sizeof *all);
    size_t lm = 10;
    /* The panels shared among the scenarios: with two, the first two headline metrics each. */
    int per_scen = ns > 0 && PSA_DRIVER_PANELS / ns > 1 ? PSA_DRIVER_PANELS / ns : 1;
    for (int k = 0; k < ns && np < PSA_DRIVER_PANELS; k++) {
        for (int m = 0, mk = 0; m < nm && mk < per_scen && np < PSA_DRIVER_PANELS; m++) {
            int n = 0;
            for (int r = 0; r < t->n_rows; r++) {
                double rho = table_num(t, r, cr);
                if (strcmp(table_at(t, r, cs), scen[k]) == 0 &&
                    strcmp(table_at(t, r, cm), metrics[m]) == 0 && !isnan(rho)) {
                    all[n++] = (struct driver_bar){r, fabs(rho)};
                }
            }
            if (n == 0) {
                continue;
            }
            qsort(all, (size_t)n, sizeof *all, by_weight);
            int top = n < PSA_TOP_DRIVERS ? n : PSA_TOP_DRIVERS;
            mk++;
            panel[np].scen = scen[k];
            panel[np].metric = metrics[m];
            panel[np].n = top;
            for (int i = 0; i < top; i++) { /* the largest top, smallest of them first */
                panel[np].bar[i] = all[n - top + i];
                size_t len = strlen(table_at(t, all[n - top + i].row, cp));
                lm = len > lm ? len : lm;
            }
            np++;
        }
    }
    free(all);
    if (np == 0) {
        return 0;
    }
    FILE *d = open_in(dir, "psa_drivers", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/psa_drivers.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("panel,row,scenario,metric,parameter,rank_correlation\n", d);
    int max_bars = 0;
    for (int p = 0; p < np; p++) {
        for (int i = 0; i < panel[p].n; i++) {
            int r = panel[p].bar[i].row;
            fprintf(d, "%d,%d,", p, i);
            dat_text(d, panel[p].scen);
            fputc(',', d);
            dat_text(d, panel[p].metric);
            fputc(',', d);
            dat_text(d, table_at(t, r, cp));
            fprintf(d, ",%s\n", table_at(t, r, cr));
        }
        max_bars = panel[p].n > max_bars ? panel[p].n : max_bars;
    }
    close_out(dw, d);
    FILE *f = open_in(dir, "psa_drivers", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/psa_drivers.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "psa_drivers",
                "the parameters that drive each difference from the reference most: Spearman "
                "rank correlation across the parameter draws");
    int cols = np > 1 ? 2 : 1, rows = (np + cols - 1) / cols;
    char title[600];
    if (ns == 1 && strcmp(scen[0], ref) == 0) { /* one scenario: its values */
        snprintf(title, sizeof title,
                 "What drives the uncertainty: the rank correlation of each parameter's draws\n"
                 "with the outcomes of %.200s (the %d largest for each outcome)",
                 ref, PSA_TOP_DRIVERS);
    } else {
        snprintf(title, sizeof title,
                 "What drives the uncertainty: the rank correlation of each parameter's draws\n"
                 "with the change from %.200s (the %d largest for each outcome)",
                 ref, PSA_TOP_DRIVERS);
    }
    bool one_scen = true;
    for (int p = 1; p < np; p++) {
        one_scen &= strcmp(panel[p].scen, panel[0].scen) == 0;
    }
    fprintf(f, "set multiplot layout %d,%d title ", rows, cols);
    label(f, title);
    fprintf(f,
            " font ',16'\nset xrange [-1:1]\nset xtics -1, 0.5, 1\nset ytics scale 0\n"
            "unset grid\nset grid xtics lc rgb '#DDDDDD'\nset style fill solid 0.85 noborder\n"
            "set lmargin %d\nset rmargin 4\nset bmargin 4\n"
            "set xlabel \"Spearman rank correlation\"\n"
            "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#444444'\n",
            (int)(0.85 * (double)(lm < 40 ? lm : 40)) + 2);
    for (int p = 0; p < np; p++) {
        char pt[700];
        if (one_scen) {
            snprintf(pt, sizeof pt, "%s", title_of(t, cm, panel[p].metric));
        } else {
            snprintf(pt, sizeof pt, "%.200s: %.400s", panel[p].scen,
                     title_of(t, cm, panel[p].metric));
        }
        fputs("set title ", f);
        label_wrapped(f, pt, 40);
        fprintf(f, "\nset yrange [-0.7:%d.7]\nset ytics (", max_bars - 1);
        for (int i = 0; i < panel[p].n; i++) {
            fputs(i ? ", " : "", f);
            label_tic(f, table_at(t, panel[p].bar[i].row, cp));
            fprintf(f, " %d", i);
        }
        fprintf(f,
                ")\nplot 'psa_drivers.dat' skip 1 using (0):($1==%d && $6 >= 0 ? $2 : NaN):(0):"
                "6:($2-0.36):($2+0.36) with boxxyerror lc rgb '%s', \\\n"
                "     '' skip 1 using (0):($1==%d && $6 < 0 ? $2 : NaN):6:(0):($2-0.36):"
                "($2+0.36) with boxxyerror lc rgb '%s', \\\n"
                "     '' skip 1 using ($1==%d && $6 >= 0 ? $6 : NaN):2:(sprintf(\"%%.2f\", $6)) "
                "with labels left offset 0.6,0 font ',10', \\\n"
                "     '' skip 1 using ($1==%d && $6 < 0 ? $6 : NaN):2:(sprintf(\"%%.2f\", $6)) "
                "with labels right offset -0.6,0 font ',10'\n",
                p, palette[0], p, palette[3], p, p);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    return render(dw, "psa_drivers", PLOT_WIDTH, 160 + rows * (180 + 42 * max_bars), err,
                  err_len) == 0
               ? 1
               : -1;
}

/* ---- the folder --------------------------------------------------------------------------- */

/* The files of a results folder plot_folder() draws from, read and checked. */
struct sources {
    struct table comparison, summary, timeseries, sweep, sensitivity;
    struct table psa, psa_summary, psa_drivers, psa_ceac; /* ccsim psa */
    bool has_comparison, has_summary, has_timeseries, has_sweep, has_sensitivity;
    bool has_psa, has_psa_summary, has_psa_drivers, has_psa_ceac;
    char run_name[256];
};

static void sources_free(struct sources *s)
{
    table_free(&s->comparison);
    table_free(&s->summary);
    table_free(&s->timeseries);
    table_free(&s->sweep);
    table_free(&s->sensitivity);
    table_free(&s->psa);
    table_free(&s->psa_summary);
    table_free(&s->psa_drivers);
    table_free(&s->psa_ceac);
}

int plot_check_scenario_names(const struct table *t, int c, char *err, size_t err_len)
{
    for (int r = 0; r < t->n_rows; r++) {
        const char *s = table_at(t, r, c);
        if (strchr(s, '/') || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
            snprintf(err, err_len,
                     "%s:%d: column 'scenario': '%.60s' is not a scenario name (a file name "
                     "without '/' is expected)",
                     t->path, t->line[r], s);
            return -1;
        }
    }
    return 0;
}

/* Reads DIR/NAME into t when it exists and checks it against cols: 0 (*present says whether
 * it was there) or -1 with err set. */
static int read_source(const char *dir, const char *name, const struct table_column *cols,
                       struct table *t, bool *present, char *err, size_t err_len)
{
    char path[PLOT_PATH_MAX + 40];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = table_read(path, t, err, err_len);
    *present = rc == 0;
    if (rc < 0) {
        return -1;
    }
    if (rc == 1) {
        return 0;
    }
    return table_check(t, cols, err, err_len);
}

static int read_sources(const char *dir, struct sources *s, char *err, size_t err_len)
{
    static const struct table_column comparison[] = {
        {"metric", TABLE_TEXT},        {"scenario", TABLE_TEXT},       {"mean", TABLE_NUMBER},
        {"ci_low", TABLE_NUMBER},      {"ci_high", TABLE_NUMBER},      {"diff", TABLE_NUMBER},
        {"diff_ci_low", TABLE_NUMBER}, {"diff_ci_high", TABLE_NUMBER}, {NULL, TABLE_TEXT}};
    static const struct table_column summary[] = {{"metric", TABLE_TEXT},
                                                  {"mean", TABLE_NUMBER},
                                                  {"ci_low", TABLE_NUMBER},
                                                  {"ci_high", TABLE_NUMBER},
                                                  {NULL, TABLE_TEXT}};
    static const struct table_column timeseries[] = {
        {"week", TABLE_COUNT},    {"metric", TABLE_TEXT},    {"mean", TABLE_NUMBER},
        {"ci_low", TABLE_NUMBER}, {"ci_high", TABLE_NUMBER}, {NULL, TABLE_TEXT}};
    static const struct table_column sweep[] = {{"metric", TABLE_TEXT},   {"mean", TABLE_NUMBER},
                                                {"ci_low", TABLE_NUMBER}, {"ci_high", TABLE_NUMBER},
                                                {"n", TABLE_COUNT},       {NULL, TABLE_TEXT}};
    static const struct table_column sensitivity[] = {
        {"parameter", TABLE_TEXT}, {"low", TABLE_FINITE},      {"high", TABLE_FINITE},
        {"metric", TABLE_TEXT},    {"low_diff", TABLE_NUMBER}, {"high_diff", TABLE_NUMBER},
        {NULL, TABLE_TEXT}};

    memset(s, 0, sizeof *s);
    snprintf(s->run_name, sizeof s->run_name, "this run");
    if (read_source(dir, "comparison.csv", comparison, &s->comparison, &s->has_comparison, err,
                    err_len) != 0 ||
        (s->has_comparison &&
         plot_check_scenario_names(&s->comparison, table_col(&s->comparison, "scenario"), err,
                                   err_len) != 0)) {
        return -1;
    }
    if (!s->has_comparison) {
        /* summary.csv of a run, named after the scenario in its manifest. */
        char path[PLOT_PATH_MAX + 40];
        struct manifest_info manifest;
        snprintf(path, sizeof path, "%s/manifest.json", dir);
        int rc = manifest_read(path, &manifest, err, err_len);
        if (rc < 0) {
            manifest_info_free(&manifest);
            return -1;
        }
        if (rc == 0) {
            const char *scenario = manifest.scenario ? manifest.scenario : "";
            const char *base = strrchr(scenario, '/') ? strrchr(scenario, '/') + 1 : scenario;
            size_t len = strlen(base);
            if (len > 4 && strcmp(base + len - 4, ".cfg") == 0) {
                len -= 4;
            }
            if (len > 0) {
                snprintf(s->run_name, sizeof s->run_name, "%.*s", (int)(len < 200 ? len : 200),
                         base);
            }
        }
        manifest_info_free(&manifest);
        if (read_source(dir, "summary.csv", summary, &s->summary, &s->has_summary, err, err_len) !=
            0) {
            return -1;
        }
    }
    if (read_source(dir, "timeseries.csv", timeseries, &s->timeseries, &s->has_timeseries, err,
                    err_len) != 0 ||
        read_source(dir, "sweep.csv", sweep, &s->sweep, &s->has_sweep, err, err_len) != 0 ||
        read_source(dir, "sensitivity.csv", sensitivity, &s->sensitivity, &s->has_sensitivity, err,
                    err_len) != 0) {
        return -1;
    }
    /* A PSA: psa_summary.csv, with psa.csv, psa_drivers.csv and psa_ceac.csv when present. */
    if (read_source(dir, "psa_summary.csv", psa_summary_columns, &s->psa_summary,
                    &s->has_psa_summary, err, err_len) != 0 ||
        (s->has_psa_summary &&
         (read_source(dir, "psa.csv", psa_csv_columns, &s->psa, &s->has_psa, err, err_len) != 0 ||
          read_source(dir, "psa_drivers.csv", psa_drivers_columns, &s->psa_drivers,
                      &s->has_psa_drivers, err, err_len) != 0 ||
          read_source(dir, "psa_ceac.csv", psa_ceac_columns, &s->psa_ceac, &s->has_psa_ceac, err,
                      err_len) != 0 ||
          plot_check_scenario_names(&s->psa_summary, table_col(&s->psa_summary, "scenario"), err,
                                    err_len) != 0))) {
        return -1;
    }
    if (s->has_sweep) {
        /* The varied keys come first, one column each, with a number in every row. */
        int cm = table_col(&s->sweep, "metric");
        if (cm < 1) {
            snprintf(err, err_len,
                     "%s:%d: no varied key before 'metric' (a column per varied key, then "
                     "metric, mean, ci_low, ci_high and n, are expected)",
                     s->sweep.path, s->sweep.header_line);
            return -1;
        }
        for (int k = 0; k < cm; k++) {
            if (table_check_column(&s->sweep, k, TABLE_FINITE, err, err_len) != 0) {
                return -1;
            }
        }
    }
    if (!s->has_comparison && !s->has_summary && !s->has_timeseries && !s->has_sweep &&
        !s->has_sensitivity && !s->has_psa_summary) {
        snprintf(err, err_len,
                 "%s holds no file to draw from (summary.csv, comparison.csv, timeseries.csv, "
                 "sweep.csv, sensitivity.csv or psa_summary.csv)",
                 dir);
        return -1;
    }
    return 0;
}

/* The year K and the name NAME of a per-year metric "yearK.NAME" (K >= 1); 0 for another. */
static int year_of(const char *metric, const char **name)
{
    char *end;
    if (strncmp(metric, "year", 4) != 0 || !isdigit((unsigned char)metric[4])) {
        return 0;
    }
    long k = strtol(metric + 4, &end, 10);
    if (*end != '.' || k < 1 || k > 1000) {
        return 0;
    }
    *name = end + 1;
    return (int)k;
}

/* years: the per-year metrics of a run ("yearK.NAME" rows of summary.csv), one panel per NAME
 * (those whose whole-run NAME is a headline metric first, at most six), the mean of each year
 * with its 95% CI. Returns 1 when drawn, 0 when the table has no per-year metric. */
static int fig_years(struct draw *dw, const struct table *t, char *err, size_t err_len)
{
    const char *dir = dw->path;
    int cm = table_col(t, "metric"), cmean = table_col(t, "mean"), cl = table_col(t, "ci_low"),
        ch = table_col(t, "ci_high");
    const char *names[6], *first[6]; /* NAME, and the metric of its first year */
    int n = 0;

    for (int pass = 0; pass < 2; pass++) {
        for (int r = 0; r < t->n_rows && n < 6; r++) {
            const char *name, *metric = table_at(t, r, cm);
            if (year_of(metric, &name) == 0) {
                continue;
            }
            struct table_meta mm;
            table_metric_meta(t, cm, name, &mm);
            bool seen = false;
            for (int k = 0; k < n; k++) {
                seen |= strcmp(names[k], name) == 0;
            }
            if (!seen && mm.is_headline == (pass == 0)) {
                first[n] = metric;
                names[n++] = name;
            }
        }
    }
    if (n == 0) {
        return 0;
    }
    FILE *d = open_in(dir, "years", "dat");
    if (!d) {
        snprintf(err, err_len, "%s/years.dat: %s", dir, strerror(errno));
        return -1;
    }
    fputs("# year,mean,ci_low,ci_high; one block per metric\n", d);
    for (int k = 0; k < n; k++) {
        for (int r = 0; r < t->n_rows; r++) {
            const char *name;
            int y = year_of(table_at(t, r, cm), &name);
            if (y > 0 && strcmp(name, names[k]) == 0) {
                fprintf(d, "%d,%s,%s,%s\n", y, table_at(t, r, cmean), table_at(t, r, cl),
                        table_at(t, r, ch));
            }
        }
        fputs("\n\n", d);
    }
    close_out(dw, d);
    FILE *f = open_in(dir, "years", "gp");
    if (!f) {
        snprintf(err, err_len, "%s/years.gp: %s", dir, strerror(errno));
        return -1;
    }
    script_head(f, "years", "metrics per year of the horizon, mean and 95% confidence interval");
    int cols = n > 2 ? 2 : n, rows = (n + cols - 1) / cols;
    fprintf(f, "set multiplot layout %d,%d title \"Per year of the horizon (%s)\" font ',16'\n",
            rows, cols,
            no_interval(t, cl) ? "one replication: no interval"
                               : "mean and 95% CI across replications");
    fputs("set xlabel 'year'\nset xtics 1\nset offsets 0.3, 0.3, 0, 0\nset yrange [0:*]\n", f);
    for (int k = 0; k < n; k++) {
        char ax[256], title[512];
        axis_label(t, cm, first[k], ax, sizeof ax);
        /* The label of year 1 without its ", year 1". */
        snprintf(title, sizeof title, "%s", title_of(t, cm, first[k]));
        char *cut = strstr(title, ", year ");
        if (cut) {
            *cut = '\0';
        }
        fputs("set title ", f);
        label_wrapped(f, title, 44);
        fputs("\nset ylabel ", f);
        label(f, ax);
        fprintf(f,
                "\nplot 'years.dat' index %d using 1:2:3:4 with yerrorbars lc rgb '%s' pt 7 "
                "lw 2 notitle, \\\n     '' index %d using 1:2 with lines lc rgb '%s' lw 2 "
                "notitle\n",
                k, palette[k % N_LINE_PALETTE], k, palette[k % N_LINE_PALETTE]);
    }
    fputs("unset multiplot\n", f);
    close_out(dw, f);
    if (render(dw, "years", PLOT_WIDTH, 460 * rows + 130, err, err_len) < 0) {
        return -1;
    }
    return 1;
}

/* Draws every figure the sources allow into dw; the number drawn, or -1 with err set. */
static int draw_all(struct draw *dw, struct sources *s, char *err, size_t err_len)
{
    int drawn = 0, k;
    if (s->has_comparison) {
        struct table *t = &s->comparison;
        if (fig_outcomes(dw, t, table_col(t, "metric"), table_col(t, "scenario"),
                         table_col(t, "mean"), table_col(t, "ci_low"), table_col(t, "ci_high"),
                         NULL, err, err_len) < 0 ||
            (k = fig_differences(dw, t, err, err_len)) < 0) {
            return -1;
        }
        drawn += 1 + k;
        if ((k = fig_costs(dw, t, true, NULL, err, err_len)) < 0) {
            return -1;
        }
        drawn += k;
    }
    if (s->has_summary) {
        struct table *t = &s->summary;
        if (fig_outcomes(dw, t, table_col(t, "metric"), -1, table_col(t, "mean"),
                         table_col(t, "ci_low"), table_col(t, "ci_high"), s->run_name, err,
                         err_len) < 0 ||
            (k = fig_years(dw, t, err, err_len)) < 0) {
            return -1;
        }
        drawn += 1 + k;
        if ((k = fig_costs(dw, t, false, s->run_name, err, err_len)) < 0) {
            return -1;
        }
        drawn += k;
    }
    if (s->has_timeseries) {
        if (fig_timeseries(dw, &s->timeseries, err, err_len) < 0) {
            return -1;
        }
        drawn++;
    }
    if (s->has_sweep) {
        if ((k = fig_sweep(dw, &s->sweep, err, err_len)) < 0) {
            return -1;
        }
        drawn += k;
    }
    if (s->has_sensitivity) {
        struct table *t = &s->sensitivity;
        const char *metrics[8];
        int nm = choose_metrics(t, table_col(t, "metric"), metrics, 6);
        for (int m = 0; m < nm; m++) {
            if ((k = fig_tornado(dw, t, metrics[m], err, err_len)) < 0) {
                return -1;
            }
            drawn += k;
        }
    }
    if (s->has_psa_summary) {
        const struct table *t = &s->psa_summary;
        const char *ref[1];
        scenarios_of(t, table_col(t, "scenario"), ref, 1);
        if ((k = s->has_psa ? fig_psa_plane(dw, &s->psa, t, err, err_len) : 0) < 0) {
            return -1;
        }
        drawn += k;
        if ((k = s->has_psa_ceac ? fig_psa_ceac(dw, &s->psa_ceac, err, err_len) : 0) < 0) {
            return -1;
        }
        drawn += k;
        if ((k = fig_psa_intervals(dw, t, err, err_len)) < 0) {
            return -1;
        }
        drawn += k;
        if ((k = s->has_psa_drivers ? fig_psa_drivers(dw, &s->psa_drivers, ref[0], err, err_len)
                                    : 0) < 0) {
            return -1;
        }
        drawn += k;
    }
    return drawn;
}

int plot_folder_flags(const char *dir, unsigned flags, char *err, size_t err_len)
{
    struct stat st;
    struct sources src;
    struct plot_stage stage;

    if (!par_is_root()) {
        return 0; /* under MPI, rank 0 draws (analysis/par.h) */
    }
    if (stat(dir, &st) != 0) {
        snprintf(err, err_len, "%s is not a results folder (%s)", dir, strerror(errno));
        return CCSIM_EINPUT;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, err_len, "%s is not a results folder (not a folder)", dir);
        return CCSIM_EINPUT;
    }
    if (strlen(dir) > PLOT_PATH_MAX - 400) {
        snprintf(err, err_len, "%s: the folder name is too long (at most %d bytes)", dir,
                 PLOT_PATH_MAX - 400);
        return CCSIM_EINPUT;
    }
    /* Everything is read and checked before anything is drawn or replaced. */
    if (read_sources(dir, &src, err, err_len) != 0) {
        sources_free(&src);
        return CCSIM_EINPUT;
    }
    if (!(flags & PLOT_DRY_RUN) && !plot_available(err, err_len)) {
        sources_free(&src);
        return CCSIM_ETOOL;
    }
    if (plot_stage_begin(&stage, dir, "figures", err, err_len) != 0) {
        sources_free(&src);
        return CCSIM_ETOOL;
    }
    struct draw dw = {.path = stage.tmp, .is_dry = (flags & PLOT_DRY_RUN) != 0};
    int drawn = draw_all(&dw, &src, err, err_len);
    sources_free(&src);
    if (drawn >= 0 && !(flags & PLOT_DRY_RUN) &&
        plot_stage_swap(&stage, "figures", err, err_len) != 0) {
        drawn = CCSIM_ETOOL;
    }
    plot_stage_end(&stage);
    return drawn < 0 ? CCSIM_ETOOL : drawn;
}

int plot_folder(const char *dir, char *err, size_t err_len)
{
    return plot_folder_flags(dir, 0, err, err_len);
}
