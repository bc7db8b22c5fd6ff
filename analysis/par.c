/* par — MPI ranks, or one process without MPI (see par.h). */
#define _GNU_SOURCE /* sched_getaffinity */
#include "analysis/par.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sched.h>
#include <unistd.h>

#ifdef CCSIM_MPI
#include <mpi.h>
#endif

#include "sim/error.h"
#include "sim/fail.h"

/* Set once by par_init(), before any thread starts; read-only afterwards. */
static int par_rank_ = 0;
static int par_size_ = 1;
/* par_local(): this rank acts as a world of one (the effective size and rank below). */
static bool is_local = false;
#ifdef CCSIM_MPI
static bool is_started = false;  /* MPI_Init_thread done */
static bool is_finished = false; /* MPI_Finalize done (or about to be) */
#endif

long par_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"};

    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *s = getenv(vars[i]);
        char *end;
        if (s && *s) {
            long n = strtol(s, &end, 10);
            if (*end == '\0' && n > 0) {
                return n;
            }
        }
    }
    return 0;
}

#ifdef CCSIM_MPI
/* A rank that leaves by exit() outside par_finalize() (out of memory, say) takes the others with
 * it rather than leaving them waiting in an exchange. */
static void abort_at_exit(void)
{
    if (is_started && !is_finished) {
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
}
#endif

int par_init(int *argc, char ***argv, char *err, size_t err_len)
{
#ifdef CCSIM_MPI
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        snprintf(err, err_len, "MPI could not be started");
        return CCSIM_EUSAGE;
    }
    is_started = true;
    atexit(abort_at_exit);
    MPI_Comm_rank(MPI_COMM_WORLD, &par_rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &par_size_);
    if (provided < MPI_THREAD_FUNNELED) {
        snprintf(err, err_len,
                 "this MPI library does not allow threads (MPI_THREAD_FUNNELED); run with -j 1 "
                 "per rank or use Open MPI");
        is_finished = true;
        MPI_Finalize();
        return CCSIM_EUSAGE;
    }
    if (par_rank_ != 0) {
        /* Only rank 0 speaks: the others' messages and progress would repeat it P times. */
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) {
            par_abort(1);
        }
    }
#else
    (void)argc;
    (void)argv;
#endif
    long n = par_launched();
    if (n > 1 && par_size_ == 1) {
#ifdef CCSIM_MPI
        snprintf(err, err_len,
                 "started by an MPI launcher as one of %ld processes, but each sees itself alone: "
                 "this ccsim's MPI library is not the launcher's (use the mpirun or srun of the "
                 "MPI it was built with, see docs/cluster.md)",
                 n);
        is_finished = true;
        MPI_Finalize();
#else
        snprintf(err, err_len,
                 "started by an MPI launcher as one of %ld processes, but this ccsim was built "
                 "without MPI: each process would run the whole experiment and write the same "
                 "folder; build it with make MPI=1 (see docs/cluster.md), or run it without "
                 "mpirun",
                 n);
#endif
        return CCSIM_EUSAGE;
    }
    return 0;
}

void par_wait(void)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        MPI_Request req;
        int done = 0;
        const struct timespec ms = {0, 1000000};
        MPI_Ibarrier(MPI_COMM_WORLD, &req);
        for (;;) {
            MPI_Test(&req, &done, MPI_STATUS_IGNORE);
            if (done) {
                break;
            }
            nanosleep(&ms, NULL);
        }
    }
#endif
}

int par_finalize(int status)
{
#ifdef CCSIM_MPI
    if (is_started && !is_finished) {
        /* Everything out before the launcher, seeing a status other than 0, ends the others. */
        fflush(NULL);
        par_wait(); /* while rank 0 writes the results, draws and reports */
        int agreed = status;
        MPI_Allreduce(&status, &agreed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        is_finished = true;
        MPI_Finalize();
        return agreed;
    }
#endif
    return status;
}

int par_cpus(void)
{
    cpu_set_t set;
    long n = 0;

    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        n = CPU_COUNT(&set);
    }
    if (n < 1) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
    }
    return n < 1 ? 1 : n > 256 ? 256 : (int)n;
}

int par_rank(void)
{
    return is_local ? 0 : par_rank_;
}

int par_size(void)
{
    return is_local ? 1 : par_size_;
}

bool par_is_root(void)
{
    return par_rank() == 0;
}

void par_local(bool on)
{
    is_local = on;
}

#ifdef CCSIM_MPI
/* MPI counts are int: the counts and displacements of one exchange, checked. */
static void int_counts(const size_t *counts, const size_t *displs, int *c, int *d)
{
    for (int k = 0; k < par_size_; k++) {
        if (counts[k] > INT_MAX || displs[k] > INT_MAX - counts[k]) {
            sim_fail(__FILE__, __LINE__,
                     "an exchange of %zu values is beyond MPI's int counts; run fewer "
                     "replications in one experiment",
                     displs[k] + counts[k]);
        }
        c[k] = (int)counts[k];
        d[k] = (int)displs[k];
    }
}

static void allgatherv(const void *send, size_t n, void *recv, const size_t *counts,
                       const size_t *displs, MPI_Datatype type)
{
    int *c = malloc((size_t)par_size_ * 2 * sizeof *c);
    if (!c) {
        par_abort(1);
    }
    int_counts(counts, displs, c, c + par_size_);
    MPI_Allgatherv(send, (int)n, type, recv, c, c + par_size_, type, MPI_COMM_WORLD);
    free(c);
}
#endif

void par_allgatherv_doubles(const double *send, size_t n, double *recv, const size_t *counts,
                            const size_t *displs)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        allgatherv(send, n, recv, counts, displs, MPI_DOUBLE);
        return;
    }
#endif
    (void)counts;
    if (n > 0) {
        memmove(recv + displs[0], send, n * sizeof *send);
    }
}

void par_allgatherv_u64(const uint64_t *send, size_t n, uint64_t *recv, const size_t *counts,
                        const size_t *displs)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        allgatherv(send, n, recv, counts, displs, MPI_UINT64_T);
        return;
    }
#endif
    (void)counts;
    if (n > 0) {
        memmove(recv + displs[0], send, n * sizeof *send);
    }
}

long par_min_long(long v)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        long m = v;
        MPI_Allreduce(&v, &m, 1, MPI_LONG, MPI_MIN, MPI_COMM_WORLD);
        return m;
    }
#endif
    return v;
}

int par_max_int(int v)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        int m = v;
        MPI_Allreduce(&v, &m, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        return m;
    }
#endif
    return v;
}

long par_sum_long(long v)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        long m = v;
        MPI_Allreduce(&v, &m, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        return m;
    }
#endif
    return v;
}

void par_bcast(void *buf, size_t n, int root)
{
#ifdef CCSIM_MPI
    if (par_size_ > 1 && !is_local) {
        if (n > INT_MAX) {
            sim_fail(__FILE__, __LINE__, "a broadcast of %zu bytes is beyond MPI's int counts", n);
        }
        MPI_Bcast(buf, (int)n, MPI_BYTE, root, MPI_COMM_WORLD);
    }
#else
    (void)buf;
    (void)n;
    (void)root;
#endif
}

int par_first_error(int rc)
{
    if (par_size() == 1) {
        return rc;
    }
    long k = par_min_long(rc != 0 ? par_rank_ : par_size_);
    if (k >= par_size_) {
        return 0;
    }
    par_bcast(&rc, sizeof rc, (int)k);
    return rc;
}

int par_root_int(int v)
{
    par_bcast(&v, sizeof v, 0);
    return v;
}

noreturn void par_abort(int status)
{
#ifdef CCSIM_MPI
    if (is_started && !is_finished) {
        is_finished = true;
        MPI_Abort(MPI_COMM_WORLD, status);
    }
#endif
    exit(status);
}
