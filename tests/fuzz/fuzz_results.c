/*
 * libFuzzer harness for the readers of a results folder: every file `ccsim plot` and `ccsim
 * report` read (analysis/table.c, analysis/plot.c, analysis/report.c).
 *
 * One input is a whole results folder, as sections that each start with a line "=== NAME":
 *
 *     === summary.csv
 *     metric,mean,sd,ci_low,ci_high,n
 *     ...
 *     === manifest.json
 *     {...}
 *
 * A section's bytes, up to the newline before the next "=== " line (or the end), become the
 * file NAME in a fresh temporary folder. NAME is up to 64 bytes, without '/' or NUL, not
 * starting with '.' (a scenario's resolved file may be "a,b.resolved.cfg"); "NAME/" makes a
 * folder and "NAME|" a FIFO instead, so that files which are not regular files are fuzzed too;
 * other names are ignored. Then plot_folder_flags() with
 * PLOT_DRY_RUN (every file read and checked, every figure's script and data written, no
 * gnuplot) and report_write_flags() with REPORT_DRY_RUN (report.html written, no gnuplot, no
 * Chromium) run on the folder, which is removed afterwards. Each must return what its header
 * says (0 or more for plot, 0 for report; or CCSIM_EINPUT or CCSIM_ETOOL, and for report also
 * CCSIM_EIO, with a message); anything else aborts (CCSIM_ETOOL remains possible here: a folder
 * named report.html cannot be replaced by a file). ASan, UBSan and LeakSanitizer check the
 * rest; a FIFO that were opened blocking would hang, which libFuzzer's -timeout reports.
 *
 * tests/test_results.c includes this file with FUZZ_RESULTS_NO_ENTRY defined, to replay the
 * regression inputs and seeds in `make test` without libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/plot.h"
#include "analysis/report.h"
#include "sim/error.h"

#define FUZZ_RESULTS_MAX_INPUT (1 << 20)
#define FUZZ_RESULTS_MAX_FILES 16

/* Removes a folder the harness made (files, FIFOs and folders, nothing followed). */
static void fuzz_results_remove(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            char sub[4096];
            struct stat st;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
                continue;
            }
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && depth < 8) {
                fuzz_results_remove(sub, depth + 1);
            } else {
                unlink(sub);
            }
        }
        closedir(d);
    }
    rmdir(path);
}

/* A file name the harness creates: any bytes but '/' and NUL, not starting with '.' (so that
 * nothing escapes the folder and the folder's own staging names stay the harness's). */
static bool fuzz_results_name_ok(const char *name, size_t len)
{
    return len > 0 && len <= 64 && name[0] != '.' && !memchr(name, '/', len) &&
           !memchr(name, '\0', len);
}

/* Writes the sections of data as files of dir. */
static void fuzz_results_unpack(const char *dir, const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    int n_files = 0;

    /* The first section starts at a "=== " line at the very start; text before it is ignored. */
    while (p < end && n_files < FUZZ_RESULTS_MAX_FILES) {
        if (end - p < 4 || memcmp(p, "=== ", 4) != 0) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
            continue;
        }
        const char *name = p + 4;
        const char *nl = memchr(name, '\n', (size_t)(end - name));
        const char *name_end = nl ? nl : end;
        const char *body = nl ? nl + 1 : end;
        /* The body ends at the newline before the next section. */
        const char *q = body, *body_end = end;
        while (q < end) {
            const char *next = memchr(q, '\n', (size_t)(end - q));
            if (!next) {
                break;
            }
            if (end - next > 4 && memcmp(next + 1, "=== ", 4) == 0) {
                body_end = next;
                break;
            }
            q = next + 1;
        }
        size_t len = (size_t)(name_end - name);
        char kind = len > 0 && (name[len - 1] == '/' || name[len - 1] == '|') ? name[len - 1] : 0;
        len -= kind ? 1 : 0;
        if (fuzz_results_name_ok(name, len)) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%.*s", dir, (int)len, name);
            if (kind == '/') {
                mkdir(path, 0700);
            } else if (kind == '|') {
                mkfifo(path, 0600);
            } else {
                int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
                if (fd >= 0) {
                    size_t off = 0, total = (size_t)(body_end - body);
                    while (off < total) {
                        ssize_t w = write(fd, body + off, total - off);
                        if (w <= 0) {
                            break;
                        }
                        off += (size_t)w;
                    }
                    close(fd);
                }
            }
            n_files++;
        }
        p = body_end < end ? body_end + 1 : end;
    }
}

/* Runs every reader on the folder data describes, in a fresh folder under base. Returns 0, or
 * -1 for an input too large to try. */
static int fuzz_results_one(const uint8_t *data, size_t size, const char *base)
{
    char dir[4096], err[1024];

    if (size > FUZZ_RESULTS_MAX_INPUT) {
        return -1;
    }
    snprintf(dir, sizeof dir, "%s/case", base);
    fuzz_results_remove(dir, 0);
    if (mkdir(dir, 0700) != 0) {
        abort();
    }
    fuzz_results_unpack(dir, data, size);

    err[0] = '\0';
    int rc = plot_folder_flags(dir, PLOT_DRY_RUN, err, sizeof err);
    if (rc < 0 && ((rc != CCSIM_EINPUT && rc != CCSIM_ETOOL) || !err[0])) {
        fprintf(stderr, "plot_folder_flags returned %d (%s)\n", rc, err);
        abort();
    }
    err[0] = '\0';
    rc = report_write_flags(dir, REPORT_DRY_RUN, err, sizeof err);
    if (rc > 0 ||
        (rc < 0 && ((rc != CCSIM_EINPUT && rc != CCSIM_ETOOL && rc != CCSIM_EIO) || !err[0]))) {
        fprintf(stderr, "report_write_flags returned %d (%s)\n", rc, err);
        abort();
    }
    fuzz_results_remove(dir, 0);
    return 0;
}

#ifndef FUZZ_RESULTS_NO_ENTRY
static char fuzz_results_base[4096];

static void fuzz_results_cleanup(void)
{
    if (fuzz_results_base[0]) {
        fuzz_results_remove(fuzz_results_base, 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!fuzz_results_base[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_results_base, sizeof fuzz_results_base, "%s/ccsim-fuzz-results-XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_results_base)) {
            abort();
        }
        atexit(fuzz_results_cleanup);
    }
    return fuzz_results_one(data, size, fuzz_results_base);
}
#endif
