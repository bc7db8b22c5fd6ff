/*
 * fail — the one place where ccsim stops on a bug.
 *
 * Every failed assertion and every GSL error ends in sim_fail(), so a single breakpoint catches
 * all of them. A failure report names the source location and, when a simulation is running on
 * the calling thread, the simulated time, the replication and the event being executed:
 *
 *     ccsim: internal error at models/care_coord.c:640: ... (replication 3, day 1234.5, event
 *     contact)
 *
 * The context is per thread: sim_run() installs its struct sim for the length of the run (one
 * store per run; per event the kernel stores only the event's action, and names are looked up
 * only when a report is printed). sim_fail() prints one line to stderr and aborts; it never
 * returns.
 *
 * SIM_ASSERT stays in release builds (cheap preconditions). SIM_DEBUG_ASSERT is compiled only
 * when CCSIM_DEBUG is defined (walks over heaps or lists).
 */
#ifndef CCSIM_SIM_FAIL_H
#define CCSIM_SIM_FAIL_H

#include <stddef.h>
#include <stdnoreturn.h>

/* Prints "ccsim: internal error at FILE:LINE: message" and aborts. Cannot return. */
noreturn void sim_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The failure context of the calling thread: describe(ctx, buf, n) writes the text between the
 * parentheses of a report (no newline). sim_fail_context_set() returns the previous context's
 * ctx so that a caller can restore it with the previous describe; NULL ctx clears it. Cannot
 * fail. */
typedef void sim_fail_describe_fn(const void *ctx, char *buf, size_t n);
struct sim_fail_context {
    const void *ctx;
    sim_fail_describe_fn *describe;
};
struct sim_fail_context sim_fail_context_set(struct sim_fail_context next);

/* Routes GSL's error handler to sim_fail(). Inputs are validated before they reach GSL, so a
 * GSL error is a ccsim bug. Safe to call more than once. */
void sim_fail_install_gsl_handler(void);

#define SIM_ASSERT(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            sim_fail(__FILE__, __LINE__, __VA_ARGS__);                                             \
        }                                                                                          \
    } while (0)

#ifdef CCSIM_DEBUG
#define SIM_DEBUG_ASSERT(cond, ...) SIM_ASSERT(cond, __VA_ARGS__)
#else
#define SIM_DEBUG_ASSERT(cond, ...)                                                                \
    do {                                                                                           \
    } while (0)
#endif

#endif
