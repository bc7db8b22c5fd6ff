/*
 * progress — a progress bar with an estimated time to finish, on a terminal only.
 *
 * Drawn on stderr as "[#####.....] 12/40 replications, 3.2 s left", redrawn at most ten times a
 * second and erased when done. Callers decide whether to show it (a terminal and no -q); the
 * bar itself never writes when disabled. Thread-safe: progress_step() may be called from any
 * thread.
 */
#ifndef CCSIM_ANALYSIS_PROGRESS_H
#define CCSIM_ANALYSIS_PROGRESS_H

#include <stdbool.h>

#include <pthread.h>

struct progress {
    bool is_enabled;
    long total;
    long done;
    const char *unit; /* "replications", "points" */
    double t_start;   /* monotonic seconds */
    double t_drawn;
    pthread_mutex_t lock;
};

/* True when stderr is a terminal. */
bool progress_wanted(void);

void progress_init(struct progress *p, bool is_enabled, long total, const char *unit);
/* Counts n more done and redraws if due. */
void progress_step(struct progress *p, long n);
/* Erases the bar. */
void progress_fini(struct progress *p);

/* Monotonic clock in seconds. */
double progress_now(void);

#endif
