/*
 * fuzz_scenario — libFuzzer entry point for the scenario loader: `make fuzz` (see README.md).
 * The work is in fuzz_one.c, shared with the cmocka replay of the regression inputs.
 *
 * A scenario can name files the loader reads (@include, which fuzz_one() limits to
 * tests/fuzz/include/, and values such as the care model's initial.snapshot). The binary is
 * linked with -Wl,--wrap=fopen so that the loader's own reads are limited to files under the
 * working folder (the project root): the fuzzer must not read whatever the machine holds, and
 * /proc/kmsg, a "regular" file, blocks its reader forever.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "tests/fuzz/fuzz_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

FILE *__wrap_fopen(const char *path, const char *mode)
{
    static char root[PATH_MAX];

    if (mode[0] == 'r' && !strchr(mode, '+')) { /* writes are libFuzzer's (corpus, artifacts) */
        char real[PATH_MAX];
        size_t n;
        if (!root[0] && !getcwd(root, sizeof root)) {
            abort();
        }
        if (!realpath(path, real)) {
            return NULL; /* errno from realpath: the file does not exist, say */
        }
        n = strlen(root);
        if (strncmp(real, root, n) != 0 || real[n] != '/') {
            errno = EACCES;
            return NULL;
        }
    }
    return __real_fopen(path, mode);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* -1 keeps a skipped input (too large, or an @include outside the fixtures) out of the
     * corpus. */
    return fuzz_one(data, size);
}
