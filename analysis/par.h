/*
 * par — the processes of an MPI run (docs/cluster.md), or the one process of an ordinary one.
 *
 * Under `mpirun -n P ccsim ...` every process (a rank) runs the same command line: it loads the
 * same scenarios and takes the same decisions. The replications of each experiment are divided
 * among the ranks in one place (analysis/experiment.c), and every rank then holds every row,
 * so the results are byte-identical to one process with -j 1. Only rank 0 writes: par_init()
 * sends the other ranks' stdout and stderr to /dev/null, and the results folder, figures,
 * reports and status files are written by rank 0 alone (analysis/folder.c, plot.c, report.c).
 *
 * Built without CCSIM_MPI (the default), this is one rank and no MPI at all. MPI is called from
 * the main thread only (MPI_THREAD_FUNNELED): worker threads never exchange anything.
 *
 * The process-wide rank and size are set once by par_init(), before any other work. Without
 * par_init() (the unit tests) there is one rank.
 */
#ifndef CCSIM_ANALYSIS_PAR_H
#define CCSIM_ANALYSIS_PAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Starts MPI in an MPI build and finds this process's rank. Refuses (CCSIM_EUSAGE, the reason
 * in err) when an MPI launcher started this process as one of several but they cannot work
 * together: a build without MPI (each would run the whole experiment and write the same
 * folder), or an MPI library other than the launcher's. Returns 0 or CCSIM_EUSAGE. */
int par_init(int *argc, char ***argv, char *err, size_t err_len);
/* Ends MPI. Every rank passes its exit status; returns the highest over the ranks, so that they
 * agree. */
int par_finalize(int status);

/* The number of processes launched together as the environment reports them (Open MPI's
 * OMPI_COMM_WORLD_SIZE, PMI_SIZE of MPICH and srun), 0 when not started by a launcher. */
long par_launched(void);

/* The processors this process may run on (its affinity, which mpirun and srun set for each
 * rank), 1..256. */
int par_cpus(void);

int par_rank(void);
int par_size(void);
/* Rank 0: the one that writes. */
bool par_is_root(void);
/* While on, this rank acts as a world of its own: par_rank() is 0, par_size() 1 and every
 * exchange a copy, so that a piece of work a command gives to one rank alone (a psa's draw)
 * runs there with no other rank taking part. Off by default; set only between experiments,
 * never from a worker thread. */
void par_local(bool on);

/* Every rank contributes n values (counts[k] from rank k, counts[rank] == n) and receives them
 * all in rank order: recv[displs[k] ...] gets rank k's. With one rank, a copy. */
void par_allgatherv_doubles(const double *send, size_t n, double *recv, const size_t *counts,
                            const size_t *displs);
void par_allgatherv_u64(const uint64_t *send, size_t n, uint64_t *recv, const size_t *counts,
                        const size_t *displs);
/* Waits until every rank is here, sleeping (a millisecond at a time) rather than spinning as MPI
 * waits do, so that a rank done early leaves its processor to the threads of others sharing the
 * machine. */
void par_wait(void);
/* The smallest v over the ranks. */
long par_min_long(long v);
/* The largest v over the ranks. */
int par_max_int(int v);
/* The sum of v over the ranks. */
long par_sum_long(long v);
/* root's n bytes of buf, on every rank. */
void par_bcast(void *buf, size_t n, int root);
/* An outcome every rank reached on its own (0, or a code of sim/error.h): 0 when it is 0 on
 * every rank, else the code of the lowest-numbered rank where it is not. */
int par_first_error(int rc);
/* Rank 0's v, on every rank (an outcome only rank 0 knows, such as that of creating the results
 * folder). */
int par_root_int(int v);

/* Ends every rank at once with status (an unexpected failure on one rank that the others could
 * otherwise wait for forever). */
noreturn void par_abort(int status);

#endif
