/*
 * fuzz_one — one input of the scenario-loader fuzzer, shared by the libFuzzer entry point
 * (tests/fuzz/fuzz_scenario.c) and the cmocka replay of the regression inputs
 * (tests/test_fuzz_regressions.c).
 *
 * The input is scenario text, loaded whole with cfg_load_text() (a NUL byte is refused by the
 * loader, so it must not cut the input: fuzzing once missed an @include after a NUL); lines "#set
 * KEY=VALUE" at the start of a line (comments to libconfig) are applied with cfg_set() in order;
 * then scenario_load() reads it. When the scenario loads, the resolved tree is written with
 * cfg_write(), the text is loaded again, and the harness aborts unless it loads without a
 * problem to the same key paths and formatted values (cfg_walk, cfg_format_value) and to the
 * same scenario. Nothing is simulated.
 *
 * Inputs over FUZZ_MAX_INPUT bytes are skipped, and so are inputs that name an @include file
 * outside FUZZ_INCLUDE_DIR (relative to the working folder, which must be the project root):
 * the fuzzer must not read whatever files the machine has (/proc/kmsg is a "regular" file whose
 * reads block forever).
 */
#ifndef CCSIM_TESTS_FUZZ_FUZZ_ONE_H
#define CCSIM_TESTS_FUZZ_FUZZ_ONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_INPUT   (64 * 1024)
#define FUZZ_INCLUDE_DIR "tests/fuzz/include/"
#define FUZZ_MAX_SETS    8 /* "#set" lines applied, at most */

/* What fuzz_one() did with an input. */
struct fuzz_result {
    bool skipped;       /* too large, or an @include outside FUZZ_INCLUDE_DIR */
    bool parsed;        /* cfg_load_text() succeeded */
    int n_sets;         /* "#set" lines applied (successfully or not) */
    bool loaded;        /* scenario_load() returned a scenario */
    bool round_tripped; /* ... and its resolved file loaded back to the same values */
};

/* Runs one input; aborts on a round-trip mismatch. Returns 0, or -1 when the input was skipped
 * (libFuzzer then keeps it out of the corpus). out may be NULL. */
int fuzz_one_ex(const uint8_t *data, size_t size, struct fuzz_result *out);
int fuzz_one(const uint8_t *data, size_t size);

/* The same check for a scenario file loaded with cfg_load_file() (base files, includes relative
 * to it): when it loads, its resolved text must load back to the same values (aborts if not).
 * Prints the problems when it does not load. For the replay of the shipped scenarios. */
void fuzz_check_file(const char *path, struct fuzz_result *out);

#endif
