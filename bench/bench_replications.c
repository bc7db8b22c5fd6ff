/*
 * bench_replications — 1,000 replications of 5 simulated years of the care baseline on two
 * threads, as a user runs them: the whole `ccsim run` process, from start to exit.
 *
 * scenarios/care/baseline.cfg starts from the region's saved state (initial.snapshot), so the
 * run takes horizon 1826.25 days (5 years) and no warm-up: 5 simulated years, all observed.
 * Two rows: the summary table alone (printed to standard output, thrown away here), and the
 * results folder written as well (-o, figures included, as by default). Each runs once, in
 * turn; the figures are wall time, CPU time (user and system) and peak memory of the process
 * (maximum resident set), all from wait4(), the kernel's own accounting of the finished child.
 *
 * The number of replications is 1,000 unless CCSIM_BENCH_REPS gives another (make bench
 * BENCH_REPS=N), for a quicker look; the target is stated for 1,000.
 *
 * Usage: bench_replications                 the table (build/ccsim beside build/bench/)
 *        bench_replications TIME CMD ARG...  CMD as a whole process (its output thrown away):
 *                                            wall seconds, user, system, peak KB, exit status
 */
/* wait4() */
#define _DEFAULT_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analysis/progress.h"

struct whole {
    double wall, user, sys;
    long peak_kb;
    int status;
};

/* Runs argv[0] with its arguments as a child, output to /dev/null; 0 when it was reaped. */
static int whole_run(char *const argv[], struct whole *w)
{
    struct rusage ru;
    int status = 0;
    double t0 = progress_now();
    pid_t pid = fork();

    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid) {
        return -1;
    }
    w->wall = progress_now() - t0;
    w->user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
    w->sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    w->peak_kb = ru.ru_maxrss;
    w->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return 0;
}

int main(int argc, char **argv)
{
    struct whole w;

    if (argc >= 3 && strcmp(argv[1], "TIME") == 0) {
        if (whole_run(argv + 2, &w) != 0) {
            fprintf(stderr, "bench_replications: cannot run %s\n", argv[2]);
            return 1;
        }
        printf("%.6f %.6f %.6f %ld %d\n", w.wall, w.user, w.sys, w.peak_kb, w.status);
        return 0;
    }

    /* ccsim sits one folder above this program (build/ccsim beside build/bench/). */
    char ccsim[2048], tmp[] = "/tmp/ccsim-bench-reps-XXXXXX", out[64], rm[128];
    const char *slash = strrchr(argv[0], '/');
    int dir_len = slash ? (int)(slash - argv[0]) + 1 : 0;
    snprintf(ccsim, sizeof ccsim, "%.*s../ccsim", dir_len, argv[0]);
    if (!mkdtemp(tmp)) {
        perror("bench_replications: mkdtemp");
        return 1;
    }
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(rm, sizeof rm, "rm -rf '%s'", tmp);
    const char *env = getenv("CCSIM_BENCH_REPS");
    long n_reps = env && *env ? strtol(env, NULL, 10) : 1000;
    if (n_reps < 1 || n_reps > 1000000) {
        fprintf(stderr, "bench_replications: CCSIM_BENCH_REPS is 1 to 1000000\n");
        return 2;
    }
    char reps[32];
    snprintf(reps, sizeof reps, "%ld", n_reps);

    char *alone[] = {ccsim,
                     "run",
                     "scenarios/care/baseline.cfg",
                     "-r",
                     reps,
                     "-j",
                     "2",
                     "-q",
                     "--set",
                     "horizon=1826.25",
                     "--set",
                     "warmup=0",
                     NULL,
                     NULL,
                     NULL};
    char *folder[sizeof alone / sizeof alone[0]];
    memcpy(folder, alone, sizeof alone);
    folder[12] = "-o";
    folder[13] = out;

    printf("care baseline: %ld replications of 5 simulated years (horizon 1826.25 days, no "
           "warm-up: it starts from its saved state), 2 threads, the whole ccsim process, once "
           "each\n\n",
           n_reps);
    printf("%-32s %10s %10s %9s\n", "run", "wall s", "CPU s", "peak MB");
    struct {
        const char *name;
        char **argv;
    } rows[] = {{"summary table only", alone}, {"results folder written (-o)", folder}};
    int rc = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (whole_run(rows[i].argv, &w) != 0 || w.status != 0) {
            fprintf(stderr, "bench_replications: %s failed (exit status %d)\n", rows[i].name,
                    w.status);
            rc = 1;
            break;
        }
        printf("%-32s %10.2f %10.2f %9.1f\n", rows[i].name, w.wall, w.user + w.sys,
               (double)w.peak_kb / 1024.0);
    }
    printf("\ntarget: 1,000 replications in under 15 s of wall time on two cores\n\n");
    if (system(rm) != 0) {
        fprintf(stderr, "bench_replications: could not remove %s\n", tmp);
    }
    return rc;
}
