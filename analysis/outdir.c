#include "analysis/outdir.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "sim/xalloc.h"

#define PARTIAL_TAG ".ccsim-partial-"

/* What a signal handler must remove: the temporary folder and the files named in it. One
 * results folder is written at a time per process. */
static char *volatile active_tmp;
static char *active_files[OUTDIR_MAX_FILES];
static volatile int n_active_files;

void outdir_on_signal(void)
{
    char *tmp = active_tmp;

    if (!tmp) {
        return;
    }
    for (int i = 0; i < n_active_files; i++) {
        unlink(active_files[i]);
    }
    rmdir(tmp);
}

static void forget_active(void)
{
    active_tmp = NULL;
    for (int i = 0; i < n_active_files; i++) {
        free(active_files[i]);
    }
    n_active_files = 0;
}

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

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);

    if (!d) {
        return errno == ENOENT ? 0 : -errno;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = xmalloc(n);
        snprintf(p, n, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            remove_tree(p);
        } else {
            unlink(p);
        }
        free(p);
    }
    closedir(d);
    return rmdir(path) == 0 ? 0 : -errno;
}

/* Removes every ".NAME.ccsim-partial-PID" folder in dir whose process no longer exists: the
 * debris of runs killed outright, whatever folder they were writing. */
static void clean_stale(const char *dir)
{
    DIR *d = opendir(dir);

    if (!d) {
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *tag = e->d_name[0] == '.' ? strstr(e->d_name + 1, PARTIAL_TAG) : NULL;
        if (!tag) {
            continue;
        }
        char *end;
        long pid = strtol(tag + strlen(PARTIAL_TAG), &end, 10);
        if (pid > 0 && *end == '\0' && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            size_t n = strlen(dir) + strlen(e->d_name) + 2;
            char *p = xmalloc(n);
            snprintf(p, n, "%s/%s", dir, e->d_name);
            remove_tree(p);
            free(p);
        }
    }
    closedir(d);
}

int outdir_check(const char *dest, bool force, char *err, size_t err_len)
{
    char *dir, *base;
    struct stat st;
    int rc = 0;

    split(dest, &dir, &base);
    if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        snprintf(err, err_len, "%s: not a usable results folder name", dest);
        rc = -EINVAL;
    } else if (stat(dest, &st) == 0 && !force) {
        snprintf(err, err_len,
                 "%s: exists already; choose another folder or add --force to replace it", dest);
        rc = -EEXIST;
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
    return rc;
}

/* mkdir -p for the parents of a results folder. */
static int make_parents(const char *dir)
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

int outdir_begin(struct outdir *o, const char *dest, bool force, char *err, size_t err_len)
{
    char *dir, *base;

    memset(o, 0, sizeof *o);
    int rc = outdir_check(dest, force, err, err_len);
    if (rc != 0) {
        return rc;
    }
    split(dest, &dir, &base);
    int mk = make_parents(dir);
    if (mk != 0) {
        snprintf(err, err_len, "%s: cannot create the folder %s: %s", dest, dir, strerror(-mk));
        free(dir);
        free(base);
        return mk;
    }
    clean_stale(dir);
    size_t n = strlen(dir) + strlen(base) + strlen(PARTIAL_TAG) + 32;
    o->tmp = xmalloc(n);
    snprintf(o->tmp, n, "%s/.%s%s%ld", dir, base, PARTIAL_TAG, (long)getpid());
    free(dir);
    free(base);
    remove_tree(o->tmp);
    if (mkdir(o->tmp, 0777) != 0) {
        int e = errno;
        snprintf(err, err_len, "%s: cannot create: %s", o->tmp, strerror(e));
        free(o->tmp);
        o->tmp = NULL;
        return -e;
    }
    o->dest = xstrdup(dest);
    o->force = force;
    active_tmp = o->tmp;
    return 0;
}

const char *outdir_file(const struct outdir *o, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", o->tmp, name);
    if (n_active_files < OUTDIR_MAX_FILES) {
        active_files[n_active_files] = xstrdup(buf);
        n_active_files++;
    }
    return buf;
}

int outdir_commit(struct outdir *o, char *err, size_t err_len)
{
    struct stat st;
    char *old = NULL;

    if (stat(o->dest, &st) == 0) {
        if (!o->force) {
            snprintf(err, err_len, "%s: appeared while running; results left in %s", o->dest,
                     o->tmp);
            return -EEXIST;
        }
        /* Move the old folder aside first so the swap leaves one complete folder at dest. */
        size_t n = strlen(o->tmp) + 8;
        old = xmalloc(n);
        snprintf(old, n, "%s.old", o->tmp);
        if (rename(o->dest, old) != 0) {
            int e = errno;
            snprintf(err, err_len, "%s: cannot replace: %s", o->dest, strerror(e));
            free(old);
            return -e;
        }
    }
    if (rename(o->tmp, o->dest) != 0) {
        int e = errno;
        snprintf(err, err_len, "%s: cannot rename %s: %s", o->dest, o->tmp, strerror(e));
        if (old) {
            rename(old, o->dest);
            free(old);
        }
        return -e;
    }
    if (old) {
        remove_tree(old);
        free(old);
    }
    forget_active();
    free(o->tmp);
    free(o->dest);
    o->tmp = o->dest = NULL;
    return 0;
}

void outdir_abort(struct outdir *o)
{
    if (o->tmp) {
        remove_tree(o->tmp);
    }
    forget_active();
    free(o->tmp);
    free(o->dest);
    o->tmp = o->dest = NULL;
}
