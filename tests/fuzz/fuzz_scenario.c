/*
 * fuzz_scenario — libFuzzer entry point for the scenario loader: `make fuzz` (see README.md).
 * The work is in fuzz_one.c, shared with the cmocka replay of the regression inputs.
 *
 * A scenario can name files the loader reads (@include, which fuzz_one() limits to
 * tests/fuzz/include/, and values such as the care model's initial.snapshot). The binary is
 * linked with -Wl,--wrap=fopen (and, for the loader's own open(2) of scenario files, with
 * -Wl,--wrap=open) so that the loader's reads are limited to files under the working folder
 * (the project root): the fuzzer must not read whatever the machine holds, and /proc/kmsg, a
 * "regular" file, blocks its reader forever. __wrap_open calls openat(), not __real_open, so
 * that the harness links with or without --wrap=open.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static bool under_root(const char *path);

FILE *__wrap_fopen(const char *path, const char *mode)
{
    if (mode[0] == 'r' && !strchr(mode, '+') && !under_root(path)) {
        return NULL; /* writes are libFuzzer's (corpus, artifacts) */
    }
    return __real_fopen(path, mode);
}

/* Whether path, opened for reading, lies under the working folder (errno set when not). */
static bool under_root(const char *path)
{
    static char root[PATH_MAX];
    char real[PATH_MAX];
    size_t n;

    if (!root[0] && !getcwd(root, sizeof root)) {
        abort();
    }
    if (!realpath(path, real)) {
        return false; /* errno from realpath: the file does not exist, say */
    }
    n = strlen(root);
    if (strncmp(real, root, n) != 0 || real[n] != '/') {
        errno = EACCES;
        return false;
    }
    return true;
}

int __wrap_open(const char *path, int flags, ...);

int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    if (flags & O_CREAT) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if ((flags & O_ACCMODE) == O_RDONLY && !under_root(path)) {
        return -1;
    }
    return openat(AT_FDCWD, path, flags, mode);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* -1 keeps a skipped input (too large, or an @include outside the fixtures) out of the
     * corpus. */
    return fuzz_one(data, size);
}
