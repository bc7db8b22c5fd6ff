/*
 * Results folders: what --force may replace and what it refuses, the lock that keeps a live
 * run's partial folder from being taken, debris of dead runs cleaned (and set-aside results put
 * back), a destination that appears during the run (the results are kept elsewhere, and the
 * message says where), and the signal-time removal of a partial folder of any size.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/manifest.h"
#include "analysis/outdir.h"

static char root[256];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/ccsim-test-outdir-XXXXXX");
    assert_non_null(mkdtemp(root));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *at(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", root, name);
    return buf[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of entries of dir whose name holds part. */
static int count_named(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        n += strstr(e->d_name, part) != NULL;
    }
    closedir(d);
    return n;
}

/* A results folder as ccsim writes it: the files named, and a manifest listing them. */
static void make_results(const char *dest, int n_files)
{
    struct outdir od;
    char err[1024], path[1024], name[64];
    static char *argv[] = {"ccsim", "run", "x.cfg"};

    assert_int_equal(outdir_begin(&od, dest, true, err, sizeof err), 0);
    for (int i = 0; i < n_files; i++) {
        snprintf(name, sizeof name, "file%d.csv", i);
        write_file(outdir_file(&od, name, path, sizeof path), "a,b\n1,2\n");
    }
    outdir_file(&od, "manifest.json", path, sizeof path);
    struct manifest m = {.argc = 3,
                         .argv = argv,
                         .scenario = "x.cfg",
                         .model = "network",
                         .files = od.names,
                         .n_files = od.n_names};
    assert_int_equal(manifest_write(path, &m), 0);
    assert_int_equal(outdir_commit(&od, err, sizeof err), 0);
}

static void test_force_replaces_only_results(void **state)
{
    (void)state;
    char err[1024];

    /* A folder ccsim wrote is replaced, figures and report included. */
    make_results(at("res"), 3);
    assert_int_equal(mkdir(at("res/figures"), 0777), 0);
    write_file(at("res/figures/outcomes.png"), "png");
    write_file(at("res/report.html"), "<html>");
    assert_true(outdir_is_results(at("res"), err, sizeof err));
    assert_int_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_int_not_equal(outdir_check(at("res"), false, err, sizeof err), 0);
    assert_non_null(strstr(err, "exists already"));
    make_results(at("res"), 2);
    assert_false(exists(at("res/file2.csv")));
    assert_false(exists(at("res/figures")));

    /* A file of the user's inside it: refused, naming it. */
    write_file(at("res/notes.txt"), "mine");
    assert_int_not_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "notes.txt"));
    assert_non_null(strstr(err, "did not write"));
    unlink(at("res/notes.txt"));

    /* Not ccsim's at all. */
    assert_int_equal(mkdir(at("study"), 0777), 0);
    write_file(at("study/r.cfg"), "model = \"network\";");
    assert_int_not_equal(outdir_check(at("study"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "no manifest.json"));
    write_file(at("study/manifest.json"), "{\"ccsim_version\": \"0.1.0\"}");
    assert_int_not_equal(outdir_check(at("study"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "not ccsim's"));

    /* A plain file, a link to a results folder, a link to nothing. */
    write_file(at("plain"), "data");
    assert_int_not_equal(outdir_check(at("plain"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "is a file"));
    assert_int_equal(symlink("res", at("link")), 0);
    assert_int_not_equal(outdir_check(at("link"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "symbolic link"));
    assert_int_equal(symlink("nowhere", at("dangling")), 0);
    assert_int_not_equal(outdir_check(at("dangling"), false, err, sizeof err), 0);
    assert_non_null(strstr(err, "link to nothing"));
    assert_int_not_equal(outdir_check(at("dangling"), true, err, sizeof err), 0);
    assert_true(exists(at("res/manifest.json")));
    assert_true(exists(at("study/r.cfg")));
}

static void test_inputs_are_never_removed(void **state)
{
    (void)state;
    char err[1024];
    make_results(at("res"), 1);
    const char *inputs[] = {at("scenario.cfg"), at("res/file0.csv")};
    write_file(inputs[0], "x");

    assert_int_equal(outdir_check_inputs(at("res"), inputs, 1, err, sizeof err), 0);
    assert_int_not_equal(outdir_check_inputs(at("res"), inputs, 2, err, sizeof err), 0);
    assert_non_null(strstr(err, "an input of this run"));
    /* The same file by another name. */
    assert_int_equal(symlink("res/file0.csv", at("alias.csv")), 0);
    const char *alias[] = {at("alias.csv")};
    assert_int_not_equal(outdir_check_inputs(at("res"), alias, 1, err, sizeof err), 0);
    /* A folder whose name merely starts like it is not inside it. */
    make_results(at("res2"), 1);
    const char *beside[] = {at("res2/file0.csv")};
    assert_int_equal(outdir_check_inputs(at("res"), beside, 1, err, sizeof err), 0);
}

static void test_signal_removes_any_number_of_files(void **state)
{
    (void)state;
    struct outdir od;
    char err[1024], path[1024], name[64];

    assert_int_equal(outdir_begin(&od, at("big"), false, err, sizeof err), 0);
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "scenario%d.replications.csv", i);
        write_file(outdir_file(&od, name, path, sizeof path), "x\n");
    }
    /* A file the handler was never told of, and a folder. */
    snprintf(path, sizeof path, "%s/stray", od.tmp);
    write_file(path, "x");
    snprintf(path, sizeof path, "%s/sub", od.tmp);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/sub/f", od.tmp);
    write_file(path, "x");
    outdir_on_signal();
    assert_int_equal(count_named(root, "ccsim-"), 0);
    outdir_abort(&od);
    assert_false(exists(at("big")));
}

/* A run in another process writing dest: it holds its partial folder's lock until
 * live_run_end(), then dies without cleaning up, as a SIGKILLed run would. */
struct live_run {
    pid_t pid;
    int go[2];
};

static void live_run_start(struct live_run *r, const char *dest)
{
    int ready[2];
    char c = 0, err[1024];

    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(r->go), 0);
    r->pid = fork();
    assert_true(r->pid >= 0);
    if (r->pid == 0) {
        struct outdir od;
        if (outdir_begin(&od, dest, false, err, sizeof err) != 0) {
            _exit(1);
        }
        if (write(ready[1], "r", 1) != 1 || read(r->go[0], &c, 1) != 1) {
            _exit(1);
        }
        _exit(0);
    }
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    close(ready[1]);
}

static void live_run_end(struct live_run *r)
{
    int status;
    assert_int_equal(write(r->go[1], "g", 1), 1);
    waitpid(r->pid, &status, 0);
    assert_int_equal(WEXITSTATUS(status), 0);
    close(r->go[0]);
    close(r->go[1]);
}

/* A child process holds the lock of a partial folder while it lives (as a run in another PID
 * namespace would: nothing here looks at its process number). */
static void test_live_partial_kept_dead_removed(void **state)
{
    (void)state;
    struct live_run live;
    live_run_start(&live, at("live"));
    assert_int_equal(count_named(root, ".live.ccsim-writing-"), 2);

    /* Another run beside it leaves it alone. */
    make_results(at("other"), 1);
    assert_int_equal(count_named(root, ".live.ccsim-writing-"), 2);

    live_run_end(&live);
    make_results(at("another"), 1);
    assert_int_equal(count_named(root, ".live.ccsim-writing-"), 0);
}

/* The replications a killed run kept for --resume are not debris: another run beside them (or
 * into the same folder) leaves them, and their name is the one outdir_units_folder() gives. */
static void test_kept_units_are_not_debris(void **state)
{
    (void)state;
    char *units = outdir_units_folder(at("res/"));
    assert_string_equal(units, at(".res.ccsim-units"));
    assert_int_equal(mkdir(units, 0777), 0);
    write_file(at(".res.ccsim-units/units-AbC123"), "kept");
    /* Beside them, the partial folder of the same killed run: that one is debris. */
    assert_int_equal(mkdir(at(".res.ccsim-writing-XyZ789"), 0777), 0);
    write_file(at(".res.ccsim-writing-XyZ789.lock"), "res\nccsim run, process 1 on elsewhere\n");
    make_results(at("other"), 1);
    make_results(at("res"), 1);
    assert_true(exists(at(".res.ccsim-units/units-AbC123")));
    assert_false(exists(at(".res.ccsim-writing-XyZ789")));
    free(units);
}

/* Results set aside by a replacement that died before its second rename go back in place. */
static void test_set_aside_results_restored(void **state)
{
    (void)state;
    /* This version's: the lock file names the destination. */
    assert_int_equal(mkdir(at(".res.ccsim-writing-abcdef.old"), 0777), 0);
    write_file(at(".res.ccsim-writing-abcdef.old/summary.csv"), "old");
    write_file(at(".res.ccsim-writing-abcdef.lock"), "res\nccsim run, process 1 on elsewhere\n");
    /* ccsim 0.1's, named by a process that no longer exists. */
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    char legacy[128];
    snprintf(legacy, sizeof legacy, ".old01.ccsim-partial-%ld.old", (long)pid);
    assert_int_equal(mkdir(at(legacy), 0777), 0);
    snprintf(legacy, sizeof legacy, ".old01.ccsim-partial-%ld.old/summary.csv", (long)pid);
    write_file(at(legacy), "old");

    make_results(at("next"), 1);
    assert_true(exists(at("res/summary.csv")));
    assert_true(exists(at("old01/summary.csv")));
    assert_int_equal(count_named(root, "ccsim-"), 0);
}

static void test_destination_appearing_keeps_results(void **state)
{
    (void)state;
    struct outdir od;
    char err[1024], path[1024];

    assert_int_equal(outdir_begin(&od, at("race"), false, err, sizeof err), 0);
    write_file(outdir_file(&od, "summary.csv", path, sizeof path), "mine");
    make_results(at("race"), 1); /* the other run wins */
    assert_int_not_equal(outdir_commit(&od, err, sizeof err), 0);
    assert_non_null(strstr(err, "another run wrote it"));
    assert_non_null(strstr(err, "race-2"));
    assert_true(exists(at("race-2/summary.csv")));
    assert_true(exists(at("race/file0.csv")));
    outdir_abort(&od);
    assert_true(exists(at("race-2/summary.csv")));
    assert_int_equal(count_named(root, "ccsim-"), 0);
}

/* Hidden entries and figures/ are ccsim's only when named as ccsim names them; a folder in use
 * (a run writing a folder inside it, a drawing) is never replaced; a trailing slash changes
 * nothing. */
static void test_force_is_exact_about_what_is_ccsims(void **state)
{
    (void)state;
    char err[1024];

    make_results(at("res"), 1);
    assert_int_equal(mkdir(at("res/.my.ccsim-backup"), 0777), 0);
    write_file(at("res/.my.ccsim-backup/data"), "precious");
    assert_int_not_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, ".my.ccsim-backup"));
    unlink(at("res/.my.ccsim-backup/data"));
    assert_int_equal(rmdir(at("res/.my.ccsim-backup")), 0);

    assert_int_equal(mkdir(at("res/figures"), 0777), 0);
    write_file(at("res/figures/outcomes.png"), "png");
    write_file(at("res/figures/notes.txt"), "mine");
    assert_int_not_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "figures"));
    unlink(at("res/figures/notes.txt"));
    assert_int_equal(outdir_check(at("res"), true, err, sizeof err), 0);

    /* A run writing res/sub: its partial folder and held lock sit inside res. */
    struct live_run sub;
    live_run_start(&sub, at("res/sub"));
    assert_int_not_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "writing into it now"));
    live_run_end(&sub);
    /* Its debris, once its lock is free, goes with the folder. */
    assert_int_equal(outdir_check(at("res"), true, err, sizeof err), 0);

    /* A drawing in progress holds .figures.ccsim-lock. */
    int fd = open(at("res/.figures.ccsim-lock"), O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_int_not_equal(outdir_check(at("res"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "writing into it now"));
    close(fd);
    assert_int_equal(outdir_check(at("res"), true, err, sizeof err), 0);

    /* A trailing slash names the link, not its target. */
    assert_int_equal(symlink("res", at("link")), 0);
    assert_int_not_equal(outdir_check(at("link/"), true, err, sizeof err), 0);
    assert_non_null(strstr(err, "symbolic link"));
    assert_int_equal(symlink("nowhere", at("dang")), 0);
    assert_int_not_equal(outdir_check(at("dang/"), false, err, sizeof err), 0);
    assert_non_null(strstr(err, "link to nothing"));
    /* And a results folder given with one is replaced in place, not nested. */
    make_results(at("res2"), 1);
    char slash[600];
    snprintf(slash, sizeof slash, "%s/", at("res2"));
    make_results(slash, 2);
    assert_true(exists(at("res2/file1.csv")));
    assert_int_equal(count_named(at("res2"), "-2"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_force_replaces_only_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inputs_are_never_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_removes_any_number_of_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_partial_kept_dead_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kept_units_are_not_debris, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_aside_results_restored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destination_appearing_keeps_results, setup, teardown),
        cmocka_unit_test_setup_teardown(test_force_is_exact_about_what_is_ccsims, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
