/* renameat2 (RENAME_EXCHANGE, RENAME_NOREPLACE), mkstemps and getdents64 are GNU interfaces. */
#define _GNU_SOURCE
#include "analysis/outdir.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "analysis/manifest.h"
#include "sim/error.h"
#include "sim/xalloc.h"

#define WRITING_TAG ".ccsim-writing-"
/* Folders of ccsim 0.1 before locks: ".NAME.ccsim-partial-PID" and "....PID.old". */
#define LEGACY_TAG ".ccsim-partial-"
/* The longest part of NAME that goes into a temporary name, so that it stays within NAME_MAX. */
#define NAME_IN_TMP 160

/* What a signal handler must remove, prepared in static storage before it is needed. */
static char sig_tmp[PATH_MAX];
static char sig_old[PATH_MAX];
static char sig_lock[PATH_MAX];
static volatile sig_atomic_t sig_active;

/* ---- removing folders ----------------------------------------------------------------------- */

/* Removes the tree at name inside the folder dirfd, never following a symbolic link, using only
 * async-signal-safe calls (getdents64 is a plain system call). depth bounds the recursion. */
static bool remove_at_sigsafe(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) {
        return true;
    }
    if (depth <= 0) {
        return false;
    }
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    char buf[4096];
    /* Passes over the listing until one removes nothing (entries removed while listing may
     * shift it); a pass that removes nothing ends even if something could not be removed. */
    for (int pass = 0; pass < 64; pass++) {
        int removed = 0;
        ssize_t n;
        while ((n = getdents64(fd, buf, sizeof buf)) > 0) {
            for (ssize_t off = 0; off < n;) {
                struct dirent64 *e = (struct dirent64 *)(void *)(buf + off);
                off += e->d_reclen;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                    continue;
                }
                removed += remove_at_sigsafe(fd, e->d_name, depth - 1);
            }
        }
        if (removed == 0 || lseek(fd, 0, SEEK_SET) != 0) {
            break;
        }
    }
    close(fd);
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
}

static void remove_tree(const char *path)
{
    remove_at_sigsafe(AT_FDCWD, path, 8);
}

void outdir_on_signal(void)
{
    if (!sig_active) {
        return;
    }
    remove_tree(sig_tmp);
    if (sig_old[0]) {
        /* Between the two renames of a replacement without exchange: the old results stay for
         * the next run to put back, so keep the lock file that names the destination. */
        return;
    }
    unlink(sig_lock);
}

/* ---- names ---------------------------------------------------------------------------------- */

/* Splits dest into its folder ("." when none) and last component. */
static void split(const char *dest, char **dir, char **base)
{
    char *copy = xstrdup(dest);
    size_t n = strlen(copy);

    while (n > 1 && copy[n - 1] == '/') {
        copy[--n] = '\0';
    }
    char *slash = strrchr(copy, '/');
    if (!slash) {
        *dir = xstrdup(".");
        *base = xstrdup(copy);
    } else if (slash == copy) {
        *dir = xstrdup("/");
        *base = xstrdup(slash + 1);
    } else {
        *slash = '\0';
        *dir = xstrdup(copy);
        *base = xstrdup(slash + 1);
    }
    free(copy);
}

/* dest without trailing slashes ("res/" names res itself, never what a link res points to). */
static char *normalise(const char *dest)
{
    char *d = xstrdup(dest);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/') {
        d[--n] = '\0';
    }
    return d;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

char *outdir_units_folder(const char *dest)
{
    char *dir, *base;

    split(dest, &dir, &base);
    size_t n = strlen(dir) + NAME_IN_TMP + 32;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/.%.*s.ccsim-units", dir, NAME_IN_TMP, base);
    free(dir);
    free(base);
    return p;
}

/* ---- is it a results folder? ---------------------------------------------------------------- */

/* Reads at most max bytes of a regular file, never blocking on a FIFO or following a link.
 * Returns a NUL-terminated copy or NULL. */
static char *read_small(const char *path, size_t max)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
        close(fd);
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    buf[got] = '\0';
    close(fd);
    return buf;
}

static bool listed(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The files ccsim 0.1 wrote before manifests listed them. */
static bool known_name(const char *name)
{
    static const char *const exact[] = {
        "summary.csv",     "replications.csv", "timeseries.csv",  "scenario.resolved.cfg",
        "comparison.csv",  "sweep.csv",        "sensitivity.csv", "fit.csv",
        "evaluations.csv", "calibrated.cfg",   "validation.csv",  "warnings.txt",
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        if (strcmp(name, exact[i]) == 0) {
            return true;
        }
    }
    return ends_with(name, ".replications.csv") || ends_with(name, ".resolved.cfg") ||
           ends_with(name, ".timeseries.csv");
}

/* figures/ as plot writes it: a real folder of regular files, each a figure (PNG, SVG, PDF),
 * its gnuplot script or its data. */
static bool figures_ok(const char *path)
{
    static const char *const kinds[] = {".png", ".svg", ".pdf", ".gp", ".dat"};
    DIR *d = opendir(path);
    bool ok = d != NULL;
    struct dirent *e;

    while (ok && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        bool known = false;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            known |= ends_with(e->d_name, kinds[i]);
        }
        char *p = join(path, e->d_name);
        struct stat st;
        ok = known && lstat(p, &st) == 0 && S_ISREG(st.st_mode);
        free(p);
    }
    if (d) {
        closedir(d);
    }
    return ok;
}

/* Whether the lock file at path is free (its run is over): takes it for a moment. */
static bool lock_is_free(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT;
    }
    bool is_free = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return is_free;
}

/* Whether s is six characters of a mkstemp name, optionally followed by tail. */
static bool temp_suffix(const char *s, const char *tail)
{
    for (int i = 0; i < 6; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return s[6] == '\0' || (tail && strcmp(s + 6, tail) == 0);
}

/* One of ccsim's own temporaries inside a results folder: plot's and report's staging folders
 * and locks (".figures.ccsim-partial-XXXXXX", ".figures.ccsim-lock", the same for report),
 * and the partial folder and lock of a run writing a folder inside this one. Anything else
 * hidden is not ccsim's. When it is, *lock gets the lock file that says whether its writer is
 * still alive (the caller frees it). */
static bool own_temporary(const char *dir, const char *name, char **lock)
{
    static const char *const stages[] = {".figures", ".report"};
    *lock = NULL;
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
        size_t n = strlen(stages[i]);
        if (strncmp(name, stages[i], n) != 0) {
            continue;
        }
        const char *rest = name + n;
        if (strcmp(rest, ".ccsim-lock") == 0 ||
            (strncmp(rest, ".ccsim-partial-", 15) == 0 && temp_suffix(rest + 15, ".old"))) {
            char lock_name[32];
            snprintf(lock_name, sizeof lock_name, "%s.ccsim-lock", stages[i]);
            *lock = join(dir, lock_name);
            return true;
        }
    }
    const char *tag = strstr(name + 1, WRITING_TAG);
    if (!tag) {
        return false;
    }
    const char *sfx = tag + strlen(WRITING_TAG);
    if (!temp_suffix(sfx, ".lock") && !temp_suffix(sfx, ".old")) {
        return false;
    }
    char lock_name[NAME_MAX + 8];
    snprintf(lock_name, sizeof lock_name, "%.*s.lock", (int)(sfx + 6 - name), name);
    *lock = join(dir, lock_name);
    return true;
}

bool outdir_is_results(const char *path, char *err, size_t err_len)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return false;
    }
    if (S_ISLNK(st.st_mode)) {
        snprintf(err, err_len,
                 "%s: is a symbolic link; --force never follows or replaces a link (remove the "
                 "link, or choose another folder)",
                 path);
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, err_len,
                 "%s: is a file, not a results folder; --force replaces only a results folder "
                 "that ccsim wrote (choose another folder)",
                 path);
        return false;
    }
    char *mpath = join(path, "manifest.json");
    char *text = read_small(mpath, 1 << 20);
    free(mpath);
    /* ccsim's: an object with ccsim_version, and the command and model every ccsim wrote. */
    struct manifest_info m = {0};
    char why[256];
    bool had = text != NULL;
    bool ours = had && manifest_parse(text, strlen(text), &m, why, sizeof why) == 0 && m.argc > 0 &&
                m.model;
    free(text);
    if (!ours) {
        snprintf(err, err_len,
                 "%s: not a results folder of ccsim (%s); --force replaces only a folder that "
                 "ccsim wrote (choose another folder)",
                 path, had ? "its manifest.json is not ccsim's" : "no manifest.json");
        manifest_info_free(&m);
        return false;
    }

    DIR *d = opendir(path);
    bool ok = d != NULL;
    if (!d) {
        snprintf(err, err_len, "%s: cannot read: %s", path, strerror(errno));
    }
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
            continue;
        }
        char *p = join(path, name);
        bool got = lstat(p, &st) == 0;
        bool is_reg = got && S_ISREG(st.st_mode), is_dir = got && S_ISDIR(st.st_mode);
        bool fine;
        if (strcmp(name, "figures") == 0) {
            fine = is_dir && figures_ok(p);
        } else if (name[0] == '.') {
            char *lock = NULL;
            fine = (is_reg || is_dir) && own_temporary(path, name, &lock);
            if (fine && !lock_is_free(lock)) {
                snprintf(err, err_len,
                         "%s: ccsim is writing into it now (%s is held); --force never replaces "
                         "a folder in use (wait for it to finish)",
                         path, lock);
                free(lock);
                free(p);
                ok = false;
                break;
            }
            free(lock);
        } else if (strcmp(name, "manifest.json") == 0 || strcmp(name, "report.html") == 0 ||
                   strcmp(name, "report.pdf") == 0) {
            fine = is_reg;
        } else {
            fine = is_reg && (m.files ? listed(m.files, m.n_files, name) : known_name(name));
        }
        free(p);
        if (!fine) {
            snprintf(err, err_len,
                     "%s: holds %s, which ccsim did not write; --force replaces only a folder "
                     "that ccsim wrote (move it out, or choose another folder)",
                     path, name);
            ok = false;
        }
    }
    if (d) {
        closedir(d);
    }
    manifest_info_free(&m);
    return ok;
}

/* ---- checks before any work ----------------------------------------------------------------- */

static int check(const char *dest_given, bool force, char *err, size_t err_len)
{
    char *dir, *base, *dest = normalise(dest_given);
    struct stat st;
    int rc = 0;

    split(dest, &dir, &base);
    if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        snprintf(err, err_len, "%s: not a usable results folder name", dest);
        rc = -EINVAL;
    } else if (strlen(base) > NAME_MAX) {
        snprintf(err, err_len, "%s: the name is longer than %d characters", dest, NAME_MAX);
        rc = -ENAMETOOLONG;
    } else if (lstat(dest, &st) == 0) {
        if (S_ISLNK(st.st_mode) && stat(dest, &st) != 0) {
            snprintf(err, err_len,
                     "%s: is a symbolic link to nothing; ccsim never writes through a link "
                     "(remove it, or choose another folder)",
                     dest);
            rc = -EEXIST;
        } else if (!force) {
            snprintf(err, err_len,
                     "%s: exists already; choose another folder, or add --force to replace it "
                     "(only a results folder that ccsim wrote is replaced)",
                     dest);
            rc = -EEXIST;
        } else if (!outdir_is_results(dest, err, err_len)) {
            rc = -EEXIST;
        }
    } else if (errno != ENOENT && errno != ENOTDIR) {
        snprintf(err, err_len, "%s: %s", dest, strerror(errno));
        rc = -errno;
    } else {
        /* Missing parent folders are created at outdir_begin(): the nearest one that exists
         * must be a folder. */
        char *anc = xstrdup(dir);
        while (stat(anc, &st) != 0 && errno == ENOENT) {
            char *slash = strrchr(anc, '/');
            if (!slash || slash == anc) {
                snprintf(anc, strlen(anc) + 1, "%s", slash == anc ? "/" : ".");
                break;
            }
            *slash = '\0';
        }
        if (stat(anc, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, err_len, "%s: %s is not a folder", dest, anc);
            rc = -ENOTDIR;
        }
        free(anc);
    }
    free(dir);
    free(base);
    free(dest);
    return rc;
}

/* Whether the real path of inner lies inside (or is) the folder whose real path is outer. */
static bool inside(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    return strncmp(inner, outer, n) == 0 &&
           (inner[n] == '/' || inner[n] == '\0' || (n == 1 && outer[0] == '/'));
}

static int check_inputs(const char *dest, const char *const *inputs, int n, char *err,
                        size_t err_len)
{
    char real_dest[PATH_MAX], real[PATH_MAX];
    char *d = normalise(dest);
    bool there = realpath(d, real_dest) != NULL;

    free(d);
    if (!there) {
        return 0; /* nothing there to replace */
    }
    for (int i = 0; i < n; i++) {
        if (inputs[i] && realpath(inputs[i], real) && inside(real_dest, real)) {
            snprintf(err, err_len,
                     "%s: holds %s, an input of this run; --force never removes a run's inputs "
                     "(copy it out of the folder first, or choose another folder)",
                     dest, inputs[i]);
            return -EEXIST;
        }
    }
    if (getcwd(real, sizeof real) && inside(real_dest, real)) {
        snprintf(err, err_len,
                 "%s: holds the working folder; --force never removes the folder it runs in "
                 "(choose another folder)",
                 dest);
        return -EEXIST;
    }
    return 0;
}

/* ---- debris of runs that died --------------------------------------------------------------- */

/* The destination a lock file names (its first line), into buf; false when unreadable. */
static bool lock_destination(const char *path, char *buf, size_t n)
{
    char *text = read_small(path, 4096);
    if (!text) {
        return false;
    }
    char *nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
    }
    bool ok = text[0] != '\0' && !strchr(text, '/') && strlen(text) < n;
    if (ok) {
        snprintf(buf, n, "%s", text);
    }
    free(text);
    return ok;
}

/* Removes the debris of dead runs in dir: every ".NAME.ccsim-writing-S" folder whose lock file
 * ".NAME.ccsim-writing-S.lock" is free or gone, and its lock file; an ".old" folder (the
 * results being replaced when the run died) goes back to its destination if that is missing.
 * Legacy ".NAME.ccsim-partial-PID" folders are removed when no such process exists. A
 * ".NAME.ccsim-units" folder is never debris: it holds the replications an interrupted run
 * finished, for --resume, and its run removes it once its results folder is complete. */
static void clean_stale(const char *dir)
{
    char stem[NAME_MAX + 1], lock_name[NAME_MAX + 8], old_name[NAME_MAX + 8];
    char dest_name[NAME_MAX + 1];
    struct stat st;

    /* Two passes: folders first, then the lock files whose folders are gone. */
    for (int pass = 0; pass < 2; pass++) {
        DIR *d = opendir(dir);
        if (!d) {
            return;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            const char *name = e->d_name;
            if (name[0] != '.') {
                continue;
            }
            if (strstr(name + 1, WRITING_TAG)) {
                bool is_lock = ends_with(name, ".lock"), is_old = ends_with(name, ".old");
                if (is_lock != (pass == 1)) {
                    continue;
                }
                size_t stem_len = strlen(name) - (is_lock ? 5 : is_old ? 4 : 0);
                snprintf(stem, sizeof stem, "%.*s", (int)stem_len, name);
                snprintf(lock_name, sizeof lock_name, "%s.lock", stem);
                snprintf(old_name, sizeof old_name, "%s.old", stem);
                char *lock = join(dir, lock_name), *path = join(dir, name);
                char *folder = join(dir, stem), *old = join(dir, old_name);
                if (!lock_is_free(lock)) {
                    /* A live run's. */
                } else if (is_old && lock_destination(lock, dest_name, sizeof dest_name)) {
                    char *dest = join(dir, dest_name);
                    if (lstat(dest, &st) != 0 && errno == ENOENT) {
                        rename(path, dest);
                    }
                    free(dest);
                    remove_tree(path);
                } else if (!is_lock) {
                    remove_tree(path);
                } else if (lstat(folder, &st) != 0 && lstat(old, &st) != 0) {
                    unlink(path);
                }
                free(lock);
                free(path);
                free(folder);
                free(old);
                continue;
            }
            const char *tag = strstr(name + 1, LEGACY_TAG);
            if (tag && pass == 0) {
                char *end;
                long pid = strtol(tag + strlen(LEGACY_TAG), &end, 10);
                if (pid > 0 && (*end == '\0' || strcmp(end, ".old") == 0) &&
                    kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
                    char *path = join(dir, name);
                    if (*end != '\0') {
                        /* Old results a replacement had set aside: back in place if their
                         * folder is missing. */
                        snprintf(dest_name, sizeof dest_name, "%.*s", (int)(tag - name - 1),
                                 name + 1);
                        char *dest = join(dir, dest_name);
                        if (dest_name[0] && lstat(dest, &st) != 0 && errno == ENOENT) {
                            rename(path, dest);
                        }
                        free(dest);
                    }
                    remove_tree(path);
                    free(path);
                }
            }
        }
        closedir(d);
    }
}

/* ---- writing -------------------------------------------------------------------------------- */

int outdir_make_folders(const char *dir)
{
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *q = p + 1; rc == 0; q++) {
        if (*q == '/' || *q == '\0') {
            char c = *q;
            *q = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = -errno;
            }
            *q = c;
            if (c == '\0') {
                break;
            }
        }
    }
    free(p);
    return rc;
}

/* Creates and locks ".NAME.ccsim-writing-XXXXXX.lock" in dir; o->lock and o->lock_fd. A
 * cleaner may remove a lock file between its creation and its flock; then it is made again. */
static int take_lock(struct outdir *o, const char *dir, const char *base, char *err, size_t err_len)
{
    for (int attempt = 0; attempt < 100; attempt++) {
        size_t n = strlen(dir) + NAME_IN_TMP + 64;
        char *path = xmalloc(n);
        snprintf(path, n, "%s/.%.*s%sXXXXXX.lock", dir, NAME_IN_TMP, base, WRITING_TAG);
        int fd = mkstemps(path, 5);
        if (fd < 0) {
            int e = errno;
            snprintf(err, err_len, "%s: cannot create a lock file: %s", dir, strerror(e));
            free(path);
            return -e;
        }
        struct stat st;
        if (flock(fd, LOCK_EX) != 0 || fstat(fd, &st) != 0 || st.st_nlink == 0) {
            close(fd);
            free(path);
            continue;
        }
        /* The lock file says which run it is and where the results go (for the debris). */
        char line[NAME_MAX + 256], host[128] = "unknown";
        gethostname(host, sizeof host - 1);
        int len = snprintf(line, sizeof line, "%s\nccsim run, process %ld on %s\n", base,
                           (long)getpid(), host);
        if (len > 0 && write(fd, line, (size_t)len) != len) {
            /* The lock still holds; only the note is short. */
        }
        o->lock = path;
        o->lock_fd = fd;
        return 0;
    }
    snprintf(err, err_len, "%s: cannot take a lock file (removed each time by another run)", dir);
    return -EAGAIN;
}

static void release_lock(struct outdir *o)
{
    if (o->lock) {
        unlink(o->lock);
        close(o->lock_fd);
        free(o->lock);
        o->lock = NULL;
        o->lock_fd = -1;
    }
}

static void forget(struct outdir *o)
{
    sig_active = 0;
    sig_old[0] = '\0';
    release_lock(o);
    for (int i = 0; i < o->n_names; i++) {
        free(o->names[i]);
    }
    free(o->names);
    free(o->tmp);
    free(o->dest);
    o->names = NULL;
    o->n_names = o->cap_names = 0;
    o->tmp = o->dest = NULL;
}

static int begin(struct outdir *o, const char *dest, bool force, char *err, size_t err_len)
{
    char *dir, *base;

    memset(o, 0, sizeof *o);
    o->lock_fd = -1;
    int rc = check(dest, force, err, err_len);
    if (rc != 0) {
        return rc;
    }
    split(dest, &dir, &base);
    rc = outdir_make_folders(dir);
    if (rc != 0) {
        snprintf(err, err_len, "%s: cannot create the folder %s: %s", dest, dir, strerror(-rc));
    } else {
        clean_stale(dir);
        rc = take_lock(o, dir, base, err, err_len);
    }
    free(dir);
    free(base);
    if (rc != 0) {
        return rc;
    }
    /* The folder is the lock file's name without ".lock". */
    o->tmp = xstrdup(o->lock);
    o->tmp[strlen(o->tmp) - 5] = '\0';
    if (strlen(o->tmp) + 8 > sizeof sig_tmp) {
        snprintf(err, err_len, "%s: the path is too long", dest);
        forget(o);
        return -ENAMETOOLONG;
    }
    snprintf(sig_tmp, sizeof sig_tmp, "%s", o->tmp);
    snprintf(sig_lock, sizeof sig_lock, "%s", o->lock);
    sig_old[0] = '\0';
    sig_active = 1;
    if (mkdir(o->tmp, 0777) != 0) {
        int e = errno;
        snprintf(err, err_len, "%s: cannot create: %s", o->tmp, strerror(e));
        forget(o);
        return -e;
    }
    o->dest = normalise(dest);
    o->force = force;
    return 0;
}

const char *outdir_file(struct outdir *o, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", o->tmp, name);
    for (int i = 0; i < o->n_names; i++) {
        if (strcmp(o->names[i], name) == 0) {
            return buf;
        }
    }
    if (o->n_names == o->cap_names) {
        o->cap_names = o->cap_names ? 2 * o->cap_names : 16;
        o->names = xreallocarray(o->names, (size_t)o->cap_names, sizeof *o->names);
    }
    o->names[o->n_names++] = xstrdup(name);
    return buf;
}

/* rename without replacing anything: -EEXIST when to exists. */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) {
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS) {
        return errno == ENOTEMPTY ? -EEXIST : -errno;
    }
    /* No RENAME_NOREPLACE here: check, then rename (a race could replace an empty folder). */
    struct stat st;
    if (lstat(to, &st) == 0) {
        return -EEXIST;
    }
    return rename(from, to) == 0 ? 0 : -errno;
}

/* Keeps this run's results when dest cannot take them: the first free "DEST-2", "DEST-3", ...
 * The reason (why) and where they went go into err. */
static int rescue(struct outdir *o, const char *why, char *err, size_t err_len)
{
    size_t n = strlen(o->dest) + 16;
    char *alt = xmalloc(n);
    int rc = -EEXIST;

    for (int k = 2; k < 1000; k++) {
        snprintf(alt, n, "%s-%d", o->dest, k);
        rc = rename_noreplace(o->tmp, alt);
        if (rc != -EEXIST) {
            break;
        }
    }
    if (rc == 0) {
        snprintf(err, err_len, "%s; this run's complete results are in %s", why, alt);
        sig_active = 0;
    } else {
        snprintf(err, err_len, "%s; this run's results could not be kept (%s)", why, strerror(-rc));
    }
    free(alt);
    return -EEXIST;
}

static int commit(struct outdir *o, char *err, size_t err_len)
{
    char why[2048];
    struct stat st;
    int rc;

    if (lstat(o->dest, &st) != 0) {
        rc = rename_noreplace(o->tmp, o->dest);
        if (rc == -EEXIST) {
            snprintf(why, sizeof why, "%s: another run wrote it while this one ran", o->dest);
            rc = rescue(o, why, err, err_len);
        } else if (rc != 0) {
            snprintf(err, err_len, "%s: cannot move the results into place: %s", o->dest,
                     strerror(-rc));
        }
    } else if (!o->force) {
        snprintf(why, sizeof why, "%s: another run wrote it while this one ran", o->dest);
        rc = rescue(o, why, err, err_len);
    } else if (!outdir_is_results(o->dest, why, sizeof why)) {
        /* It changed while the run ran: it is no longer ccsim's to replace. */
        rc = rescue(o, why, err, err_len);
    } else if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->dest, RENAME_EXCHANGE) == 0) {
        /* One step: the new results are in place, the old ones at tmp. */
        remove_tree(o->tmp);
        rc = 0;
    } else if (errno == EINVAL || errno == ENOSYS) {
        /* No exchange on this file system: old aside (put back by the next run if this one
         * dies before the second rename), new in, old removed. */
        char old[PATH_MAX];
        snprintf(old, sizeof old, "%s.old", o->tmp);
        snprintf(sig_old, sizeof sig_old, "%s", old);
        if (rename(o->dest, old) != 0) {
            snprintf(err, err_len, "%s: cannot replace: %s", o->dest, strerror(errno));
            sig_old[0] = '\0';
            rc = -EIO;
        } else if (rename(o->tmp, o->dest) != 0) {
            snprintf(err, err_len, "%s: cannot replace: %s", o->dest, strerror(errno));
            rename(old, o->dest);
            sig_old[0] = '\0';
            rc = -EIO;
        } else {
            sig_old[0] = '\0';
            remove_tree(old);
            rc = 0;
        }
    } else {
        snprintf(err, err_len, "%s: cannot replace: %s", o->dest, strerror(errno));
        rc = -errno;
    }
    if (rc == 0 || rc == -EEXIST) {
        forget(o);
    }
    return rc;
}

/* ---- the interface: the codes of sim/error.h ------------------------------------------------ */

int outdir_check(const char *dest, bool force, char *err, size_t err_len)
{
    int rc = check(dest, force, err, err_len);

    if (rc == -EINVAL || rc == -ENAMETOOLONG) {
        return CCSIM_EUSAGE;
    }
    return rc == 0 ? 0 : CCSIM_EEXIST;
}

int outdir_check_inputs(const char *dest, const char *const *inputs, int n, char *err,
                        size_t err_len)
{
    return check_inputs(dest, inputs, n, err, err_len) == 0 ? 0 : CCSIM_EEXIST;
}

int outdir_begin(struct outdir *o, const char *dest, bool force, char *err, size_t err_len)
{
    return begin(o, dest, force, err, err_len) == 0 ? 0 : CCSIM_EIO;
}

int outdir_commit(struct outdir *o, char *err, size_t err_len)
{
    return commit(o, err, err_len) == 0 ? 0 : CCSIM_EIO;
}

void outdir_abort(struct outdir *o)
{
    if (o->tmp) {
        remove_tree(o->tmp);
    }
    forget(o);
}
