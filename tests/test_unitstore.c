/*
 * Kept replications (analysis/unitstore.h): units read back exactly from a fresh store, the
 * files of several writers read together, a record cut short or damaged ignored (and only it),
 * the units of an earlier run counted but not used without --resume, the folder removed, the
 * fingerprint following every value, the seed and a data file's content (but not the number of
 * replications), threads appending at once, and an experiment that copies its kept rows
 * instead of running them, with results identical to running them.
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
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/experiment.h"
#include "analysis/unitstore.h"
#include "sim/cfg.h"
#include "tests/support.h"

#define NM 5
#define NS 2
#define NP 3

static char root[256], folder[300];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/ccsim-test-unitstore-XXXXXX");
    assert_non_null(mkdtemp(root));
    snprintf(folder, sizeof folder, "%s/.res.ccsim-units", root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* The unit of replication rep: values that differ in every field and from every other unit. */
struct unit {
    double metrics[NM], series[NS * NP];
    struct unit_value v;
    struct unit_key key;
};

static void make_unit(struct unit *u, uint64_t variant, uint64_t rep)
{
    for (int m = 0; m < NM; m++) {
        u->metrics[m] = 2.385 * (double)(rep + 1) + 0.117 * m + (double)variant * 1e-3;
    }
    for (int k = 0; k < NS * NP; k++) {
        u->series[k] = -4.271 * (double)(rep + 3) + 0.031 * k;
    }
    u->v = (struct unit_value){.metrics = u->metrics,
                               .series = u->series,
                               .n_events = 1000003 * (rep + 1),
                               .n_entities = 977 + rep};
    u->key = (struct unit_key){
        .variant = variant, .replication = rep, .n_metrics = NM, .n_series = NS, .n_points = NP};
}

/* Whether store st returns exactly unit u. */
static bool returns(struct unitstore *st, const struct unit *u)
{
    double metrics[NM], series[NS * NP];
    struct unit_value got = {.metrics = metrics, .series = series};

    memset(metrics, 0, sizeof metrics);
    memset(series, 0, sizeof series);
    if (!unitstore_get(st, &u->key, &got)) {
        return false;
    }
    assert_memory_equal(metrics, u->metrics, sizeof metrics);
    assert_memory_equal(series, u->series, sizeof series);
    assert_int_equal(got.n_events, u->v.n_events);
    assert_int_equal(got.n_entities, u->v.n_entities);
    return true;
}

static void put_units(const char *where, uint64_t variant, int first, int n)
{
    struct unitstore *st = unitstore_create(where, true);
    for (int r = first; r < first + n; r++) {
        struct unit u;
        make_unit(&u, variant, (uint64_t)r);
        assert_int_equal(unitstore_put(st, &u.key, &u.v), 0);
    }
    assert_null(unitstore_error(st));
    unitstore_destroy(st);
}

/* The one file the folder holds, into path. */
static void only_file(char *path, size_t n)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    int count = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            snprintf(path, n, "%s/%s", folder, e->d_name);
            assert_int_equal(strncmp(e->d_name, "units-", 6), 0);
            count++;
        }
    }
    closedir(d);
    assert_int_equal(count, 1);
}

static long file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return (long)sb.st_size;
}

static void test_unitstore_round_trip(void **state)
{
    (void)state;
    struct unit u[3];
    long used, added;

    /* Nothing is created until a unit is kept. */
    struct unitstore *st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 0);
    make_unit(&u[0], 0x5eed, 0);
    assert_false(unitstore_get(st, &u[0].key, &u[0].v));
    assert_int_equal(access(folder, F_OK), -1);
    unitstore_destroy(st);

    put_units(folder, 0x5eed, 0, 3);
    st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 3);
    for (int r = 2; r >= 0; r--) {
        make_unit(&u[r], 0x5eed, (uint64_t)r);
        assert_true(returns(st, &u[r]));
    }
    /* Another replication, variant or shape is another unit. */
    struct unit other;
    make_unit(&other, 0x5eed, 3);
    assert_false(returns(st, &other));
    make_unit(&other, 0x5eee, 1);
    assert_false(returns(st, &other));
    make_unit(&other, 0x5eed, 1);
    other.key.n_points = NP - 1;
    assert_false(unitstore_get(st, &other.key, &other.v));
    /* Asked for again, a unit found is counted once. */
    assert_true(returns(st, &u[1]));
    unitstore_counts(st, &used, &added);
    assert_int_equal(used, 3);
    assert_int_equal(added, 0);

    /* A unit this process keeps is found again, but not counted as one found. */
    make_unit(&other, 0x5eed, 3);
    assert_int_equal(unitstore_put(st, &other.key, &other.v), 0);
    assert_true(returns(st, &other));
    unitstore_counts(st, &used, &added);
    assert_int_equal(used, 3);
    assert_int_equal(added, 1);
    unitstore_destroy(st);

    /* Two writers, two files: both read. */
    put_units(folder, 0x5eed, 10, 2);
    st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 6);
    make_unit(&other, 0x5eed, 11);
    assert_true(returns(st, &other));
    make_unit(&other, 0x5eed, 3);
    assert_true(returns(st, &other));
    assert_int_equal(unitstore_remove(st), 0);
    unitstore_destroy(st);
    assert_int_equal(access(folder, F_OK), -1);
    assert_int_equal(access(root, F_OK), 0);
}

static void test_unitstore_torn_record_ignored(void **state)
{
    (void)state;
    char path[600];
    struct unit u;

    put_units(folder, 7, 0, 3);
    only_file(path, sizeof path);
    long whole = file_size(path), one = whole / 3;
    /* Killed while writing the third: it is cut short, anywhere after its first byte. */
    const long cuts[] = {1, 15, 16, 17, one / 2, one - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal(truncate(path, 2 * one + cuts[i]), 0);
        struct unitstore *st = unitstore_create(folder, true);
        assert_int_equal(unitstore_n_found(st), 2);
        make_unit(&u, 7, 0);
        assert_true(returns(st, &u));
        make_unit(&u, 7, 1);
        assert_true(returns(st, &u));
        make_unit(&u, 7, 2);
        assert_false(returns(st, &u));
        unitstore_destroy(st);
    }
    /* Garbage where a record should start ends the file's records. */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, one, SEEK_SET), 0);
    fputs("garbage!", f);
    assert_int_equal(fclose(f), 0);
    struct unitstore *st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 1);
    unitstore_destroy(st);
}

static void test_unitstore_checksum_mismatch_ignored(void **state)
{
    (void)state;
    char path[600];
    struct unit u;

    put_units(folder, 9, 0, 3);
    only_file(path, sizeof path);
    long one = file_size(path) / 3;
    /* One bit of the second record's last metric flipped, past its header. */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    long at = one + 16 + 64 + 8 * (NM - 1) + 3;
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    fputc(c ^ 0x10, f);
    assert_int_equal(fclose(f), 0);

    struct unitstore *st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 2);
    make_unit(&u, 9, 0);
    assert_true(returns(st, &u));
    make_unit(&u, 9, 1);
    assert_false(returns(st, &u));
    /* The record after the damaged one is still read. */
    make_unit(&u, 9, 2);
    assert_true(returns(st, &u));
    unitstore_destroy(st);
}

static void test_unitstore_not_used_without_resume(void **state)
{
    (void)state;
    struct unit u;
    long used, added;

    put_units(folder, 11, 0, 4);
    struct unitstore *st = unitstore_create(folder, false);
    assert_int_equal(unitstore_n_found(st), 4);
    make_unit(&u, 11, 2);
    assert_false(returns(st, &u));
    /* The run keeps its own beside them, and finds those. */
    assert_int_equal(unitstore_put(st, &u.key, &u.v), 0);
    assert_true(returns(st, &u));
    unitstore_counts(st, &used, &added);
    assert_int_equal(used, 0);
    assert_int_equal(added, 1);
    unitstore_destroy(st);
    st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 4); /* replication 2 twice: one unit */
    assert_int_equal(unitstore_remove(st), 0);
    unitstore_destroy(st);
    assert_int_equal(access(folder, F_OK), -1);
}

/* A folder that cannot be made (a file of that name is in the way): the first unit says why,
 * the store keeps nothing more, and nothing of the user's is removed. */
static void test_unitstore_unwritable_folder_says_why(void **state)
{
    (void)state;
    struct unit u;
    FILE *f = fopen(folder, "w");

    assert_non_null(f);
    fputs("not a folder", f);
    assert_int_equal(fclose(f), 0);
    struct unitstore *st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 0);
    assert_null(unitstore_error(st));
    make_unit(&u, 3, 0);
    assert_true(unitstore_put(st, &u.key, &u.v) < 0);
    assert_non_null(unitstore_error(st));
    assert_non_null(strstr(unitstore_error(st), folder));
    make_unit(&u, 3, 1);
    assert_true(unitstore_put(st, &u.key, &u.v) < 0);
    assert_false(returns(st, &u));
    assert_int_equal(unitstore_remove(st), 0);
    unitstore_destroy(st);
    assert_int_equal(access(folder, F_OK), 0);
}

struct writer {
    struct unitstore *st;
    int id;
};

static void *write_many(void *arg)
{
    struct writer *w = arg;
    for (int r = 0; r < 50; r++) {
        struct unit u;
        make_unit(&u, 100 + (uint64_t)w->id, (uint64_t)r);
        if (unitstore_put(w->st, &u.key, &u.v) != 0) {
            return arg;
        }
    }
    return NULL;
}

static void test_unitstore_threads_append_whole_records(void **state)
{
    (void)state;
    struct unitstore *st = unitstore_create(folder, true);
    pthread_t tid[4];
    struct writer w[4];

    for (int i = 0; i < 4; i++) {
        w[i] = (struct writer){.st = st, .id = i};
        assert_int_equal(pthread_create(&tid[i], NULL, write_many, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *rc;
        assert_int_equal(pthread_join(tid[i], &rc), 0);
        assert_null(rc);
    }
    unitstore_destroy(st);
    st = unitstore_create(folder, true);
    assert_int_equal(unitstore_n_found(st), 200);
    for (int i = 0; i < 4; i++) {
        struct unit u;
        make_unit(&u, 100 + (uint64_t)i, 37);
        assert_true(returns(st, &u));
    }
    unitstore_destroy(st);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static uint64_t fingerprint_of(const char *path, const char *set, uint64_t seed)
{
    struct cfg c;
    cfg_init(&c);
    assert_true(cfg_load_file(&c, path));
    if (set) {
        assert_true(cfg_set(&c, set));
    }
    uint64_t h = unitstore_fingerprint(&c, seed);
    cfg_fini(&c);
    return h;
}

static void test_unitstore_fingerprint_follows_values(void **state)
{
    (void)state;
    char scn[600], data[600];

    snprintf(scn, sizeof scn, "%s/s.cfg", root);
    snprintf(data, sizeof data, "%s/state.csv", root);
    write_text(data, "stage,severity,days\nwaiting,2,14.5\n");
    write_text(scn,
               "model = \"care\";\nreplications = 4;\nseed = 12;\n"
               "hospital = { beds = 48; occupancy = 0.85; };\n"
               "initial = { snapshot = \"state.csv\"; };\nlist = ( { a = 1; }, { a = 2; } );\n");
    uint64_t base = fingerprint_of(scn, NULL, 12);
    assert_int_equal(fingerprint_of(scn, NULL, 12), base);
    /* Any value, anywhere. */
    assert_int_not_equal(fingerprint_of(scn, "hospital.beds=49", 12), base);
    assert_int_not_equal(fingerprint_of(scn, "hospital.occupancy=0.8500000000000001", 12), base);
    assert_int_not_equal(fingerprint_of(scn, "list[1].a=3", 12), base);
    assert_int_not_equal(fingerprint_of(scn, "hospital.extra=true", 12), base);
    assert_int_not_equal(fingerprint_of(scn, "model=\"netq\"", 12), base);
    /* The seed it runs with. */
    assert_int_not_equal(fingerprint_of(scn, NULL, 13), base);
    /* Not the number of replications. */
    assert_int_equal(fingerprint_of(scn, "replications=40", 12), base);
    /* The content of a data file its values name. */
    write_text(data, "stage,severity,days\nwaiting,2,14.6\n");
    uint64_t changed = fingerprint_of(scn, NULL, 12);
    assert_int_not_equal(changed, base);
    write_text(data, "stage,severity,days\nwaiting,2,14.5\n");
    assert_int_equal(fingerprint_of(scn, NULL, 12), base);
}

/* An experiment with a store: the second run copies every row instead of running it (a row
 * planted in the store shows it), and the rows are the same bytes as running them. */
static void test_unitstore_experiment_resumes_exactly(void **state)
{
    (void)state;
    struct cfg c;
    const char *sets[] = {"horizon=3000", NULL};
    struct scenario *sc = support_load(&c, "scenarios/verify/mm1.cfg", sets);
    struct experiment_spec spec = {.sc = sc, .replications = 4, .seed = 5, .threads = 2};
    struct experiment_result plain, first, again;
    long used, added;

    assert_int_equal(experiment_run(&spec, &plain), 0);
    spec.units = unitstore_create(folder, true);
    spec.units_variant = unitstore_fingerprint(&c, 5);
    /* Replications 0 and 1 only, as if the run had been killed after them. */
    spec.replications = 2;
    assert_int_equal(experiment_run(&spec, &first), 0);
    unitstore_destroy(spec.units);

    spec.units = unitstore_create(folder, true);
    spec.replications = 4;
    assert_int_equal(unitstore_n_found(spec.units), 2);
    assert_int_equal(experiment_run(&spec, &again), 0);
    unitstore_counts(spec.units, &used, &added);
    assert_int_equal(used, 2);
    assert_int_equal(added, 2);
    size_t nm = (size_t)plain.n_metrics;
    assert_memory_equal(again.metrics, plain.metrics, 4 * nm * sizeof(double));
    assert_int_equal(again.n_events, plain.n_events);
    assert_int_equal(again.n_entities, plain.n_entities);
    unitstore_destroy(spec.units);

    /* A unit planted for replication 3 (the earlier files removed) is what the row gets:
     * kept rows are copied, not run again. */
    spec.units = unitstore_create(folder, true);
    assert_int_equal(unitstore_remove(spec.units), 0);
    unitstore_destroy(spec.units);
    struct unit_key key = {.variant = spec.units_variant,
                           .replication = 3,
                           .n_metrics = plain.n_metrics,
                           .n_series = plain.n_series,
                           .n_points = plain.n_points};
    size_t per = (size_t)plain.n_series * (size_t)plain.n_points;
    double *metrics = calloc(nm, sizeof *metrics);
    double *series = per ? calloc(per, sizeof *series) : NULL;
    metrics[0] = 123.456;
    struct unit_value planted = {.metrics = metrics, .series = series, .n_events = 17};
    spec.units = unitstore_create(folder, true);
    assert_int_equal(unitstore_put(spec.units, &key, &planted), 0);
    unitstore_destroy(spec.units);
    struct experiment_result three;
    struct experiment_spec bare = spec;
    bare.units = NULL;
    bare.replications = 3;
    assert_int_equal(experiment_run(&bare, &three), 0);
    spec.units = unitstore_create(folder, true);
    experiment_result_fini(&again);
    assert_int_equal(experiment_run(&spec, &again), 0);
    assert_true(again.metrics[3 * nm] == 123.456);
    assert_memory_equal(again.metrics, plain.metrics, 3 * nm * sizeof(double));
    assert_int_equal(again.n_events, three.n_events + 17);
    unitstore_destroy(spec.units);
    experiment_result_fini(&three);

    free(metrics);
    free(series);
    experiment_result_fini(&plain);
    experiment_result_fini(&first);
    experiment_result_fini(&again);
    scenario_destroy(sc);
    cfg_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_unitstore_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_torn_record_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_checksum_mismatch_ignored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_not_used_without_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_unwritable_folder_says_why, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_threads_append_whole_records, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_fingerprint_follows_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unitstore_experiment_resumes_exactly, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
