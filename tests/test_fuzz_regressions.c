/*
 * Replays the scenario-loader fuzzer's regression inputs (tests/fuzz/regressions/) and its seeds
 * through the same one-input function as the libFuzzer harness (tests/fuzz/fuzz_one.c), built
 * with the normal toolchain: under gcc in `make test`, under ASan and UBSan in `make check`.
 *
 * fuzz_one() aborts when a loaded scenario's resolved file does not load back to the same
 * values, so each replay checks the round trip; leaks show under `make check`. Run from the
 * project root (as `make test` does): the inputs' @include paths are relative to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

/* The harness body, compiled into this test (the Makefile builds tests/test_*.c alone). */
#include "fuzz/fuzz_one.c"

struct file_list {
    char **paths;
    size_t n, cap;
};

static void list_add(struct file_list *l, const char *path)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 32;
        l->paths = realloc(l->paths, l->cap * sizeof *l->paths);
        assert_non_null(l->paths);
    }
    l->paths[l->n] = strdup(path);
    assert_non_null(l->paths[l->n]);
    l->n++;
}

/* Adds the regular files of dir whose names end in suffix ("" for any), descending into
 * sub-folders when recursive. */
static void list_dir(struct file_list *l, const char *dir, const char *suffix, bool recursive)
{
    DIR *d = opendir(dir);

    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char path[1024];
        struct stat st;
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        assert_int_equal(stat(path, &st), 0);
        size_t n = strlen(e->d_name), ns = strlen(suffix);
        if (S_ISDIR(st.st_mode)) {
            if (recursive) {
                list_dir(l, path, suffix, true);
            }
        } else if (S_ISREG(st.st_mode) && n >= ns && strcmp(e->d_name + n - ns, suffix) == 0) {
            list_add(l, path);
        }
    }
    closedir(d);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_sort(struct file_list *l)
{
    if (l->n > 1) {
        qsort(l->paths, l->n, sizeof *l->paths, compare_paths);
    }
}

static void list_free(struct file_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
    }
    free(l->paths);
}

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t n = 0, cap = 0;

    assert_non_null(f);
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? 2 * cap : 8192;
            data = realloc(data, cap);
            assert_non_null(data);
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    assert_false(ferror(f));
    fclose(f);
    *size = n;
    return data;
}

/* Runs one file through fuzz_one_ex(); unless allow_skip, the harness must not skip it. */
static struct fuzz_result replay(const char *path, bool allow_skip)
{
    size_t size;
    uint8_t *data = read_all(path, &size);
    struct fuzz_result res;

    print_message("  replay %s\n", path);
    int rc = fuzz_one_ex(data, size, &res);
    free(data);
    if (rc != 0 && !allow_skip) {
        fail_msg("%s: skipped by the harness (over %d bytes, or an @include outside %s)", path,
                 FUZZ_MAX_INPUT, FUZZ_INCLUDE_DIR);
    }
    return res;
}

static void test_fuzz_regression_inputs_replay_cleanly(void **state)
{
    struct file_list l = {0};

    (void)state;
    list_dir(&l, "tests/fuzz/regressions", "", false);
    list_sort(&l);
    assert_true(l.n > 0);
    for (size_t i = 0; i < l.n; i++) {
        (void)replay(l.paths[i], false);
    }
    list_free(&l);
}

/* The harness's own seeds (include fixtures, a snapshot, set lists, #set lines) load and round
 * trip. */
static void test_fuzz_own_seeds_round_trip(void **state)
{
    struct file_list l = {0};

    (void)state;
    list_dir(&l, "tests/fuzz/seeds", "", false);
    list_sort(&l);
    assert_true(l.n > 0);
    for (size_t i = 0; i < l.n; i++) {
        struct fuzz_result res = replay(l.paths[i], false);
        assert_true(res.n_sets > 0);
        assert_true(res.round_tripped);
    }
    list_free(&l);
}

/* The shipped scenarios load (as files: some start from a base), and their resolved files load
 * back to the same values; as text (base is not followed from text) they are replayed like any
 * input. */
static void test_fuzz_seed_scenarios_round_trip(void **state)
{
    struct file_list l = {0};

    (void)state;
    list_dir(&l, "scenarios", ".cfg", true);
    list_sort(&l);
    assert_true(l.n > 0);
    for (size_t i = 0; i < l.n; i++) {
        struct fuzz_result res;
        fuzz_check_file(l.paths[i], &res);
        if (!res.loaded) {
            fail_msg("%s does not load", l.paths[i]);
        }
        assert_true(res.round_tripped);
        (void)replay(l.paths[i], true);
    }
    list_free(&l);
}

/* Whether the bad scenario path comes with command-line arguments (NAME.args) that make it bad. */
static bool has_args(const char *path)
{
    char args[1024];
    struct stat st;
    size_t n = strlen(path);

    snprintf(args, sizeof args, "%.*s.args", (int)(n > 4 ? n - 4 : n), path);
    return stat(args, &st) == 0;
}

/* The bad scenarios of the command-line tests are rejected (those bad through their NAME.args
 * are only replayed), without a crash or a leak. Those that @include files outside the fixtures
 * are skipped, as the fuzzer skips them. */
static void test_fuzz_bad_scenarios_are_rejected(void **state)
{
    struct file_list l = {0};
    size_t n_run = 0;

    (void)state;
    list_dir(&l, "tests/scenarios/bad", ".cfg", false);
    list_sort(&l);
    for (size_t i = 0; i < l.n; i++) {
        struct fuzz_result res = replay(l.paths[i], true);
        if (!has_args(l.paths[i])) {
            assert_false(res.loaded);
        }
        n_run += !res.skipped;
    }
    assert_true(n_run > 0);
    list_free(&l);
}

static struct fuzz_result run_string(const char *text, int expect_rc)
{
    struct fuzz_result res;

    assert_int_equal(fuzz_one_ex((const uint8_t *)text, strlen(text), &res), expect_rc);
    return res;
}

static const char scenario_head[] = "model = \"network\";\n"
                                    "horizon = 100.0;\n"
                                    "network = {\n";

/* The harness itself: #set lines, include fixtures, skipped inputs. */
static void test_fuzz_harness_applies_sets_and_fixture_includes(void **state)
{
    char text[2048];

    (void)state;
    /* The include fixtures make a loadable network; #set lines are applied in order. */
    snprintf(text, sizeof text,
             "%s@include \"tests/fuzz/include/nested.cfg\"\n};\n"
             "#set seed=3\n#set network.stations[0].servers=3\n",
             scenario_head);
    struct fuzz_result res = run_string(text, 0);
    assert_true(res.parsed);
    assert_int_equal(res.n_sets, 2);
    assert_true(res.loaded);
    assert_true(res.round_tripped);

    /* A #set that fails makes the scenario fail to load (its problem is recorded). */
    snprintf(
        text, sizeof text,
        "%s@include \"tests/fuzz/include/nested.cfg\"\n};\n#set network.stations[7].servers=3\n",
        scenario_head);
    res = run_string(text, 0);
    assert_int_equal(res.n_sets, 1);
    assert_false(res.loaded);

    /* An include that nests itself stops at the loader's depth limit. */
    res = run_string("@include \"tests/fuzz/include/self.cfg\"\n", 0);
    assert_false(res.parsed);

    /* Files outside the fixtures are never read; nor are over-long inputs. */
    res = run_string("@include \"/proc/kmsg\"\n", -1);
    assert_true(res.skipped);
    res = run_string("@include \"tests/fuzz/include/../../../README.md\"\n", -1);
    assert_true(res.skipped);
    res = run_string("@include \"tests/fuzz/include/\\x2e\\x2e/x\"\n", -1);
    assert_true(res.skipped);
    char *big = malloc(FUZZ_MAX_INPUT + 2);
    assert_non_null(big);
    memset(big, ' ', FUZZ_MAX_INPUT + 1);
    big[FUZZ_MAX_INPUT + 1] = '\0';
    res = run_string(big, -1);
    assert_true(res.skipped);
    free(big);

    /* Empty input and embedded NUL bytes. */
    assert_int_equal(fuzz_one((const uint8_t *)"", 0), 0);
    assert_int_equal(fuzz_one((const uint8_t *)"a = 1;\0b", 8), 0);
}

/* A set entry cannot smuggle an @include past the loader's check of included files (found
 * while fuzzing): with a FIFO, libconfig would block in open() forever. An alarm turns a
 * regression into a failure rather than a hang. */
static void test_fuzz_set_entry_cannot_include_a_fifo(void **state)
{
    char dir[] = "/tmp/ccsim_fuzz_XXXXXX", fifo[64], text[512];
    struct cfg c;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snprintf(text, sizeof text,
             "model = \"network\";\nset = [\"horizon=1.0\\n\\x40include \\\"%s\\\"\"];\n", fifo);
    alarm(20);
    cfg_init(&c);
    bool ok = cfg_load_string(&c, "fifo.cfg", text);
    alarm(0);
    if (ok || cfg_n_problems(&c) != 1) {
        diag_print(&c.diag, stderr);
    }
    assert_false(ok);
    assert_int_equal(cfg_n_problems(&c), 1);
    cfg_fini(&c);
    unlink(fifo);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_regression_inputs_replay_cleanly),
        cmocka_unit_test(test_fuzz_own_seeds_round_trip),
        cmocka_unit_test(test_fuzz_seed_scenarios_round_trip),
        cmocka_unit_test(test_fuzz_bad_scenarios_are_rejected),
        cmocka_unit_test(test_fuzz_harness_applies_sets_and_fixture_includes),
        cmocka_unit_test(test_fuzz_set_entry_cannot_include_a_fifo),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
