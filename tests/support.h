/*
 * support — helpers shared by the cmocka suites.
 *
 * cmocka 1.1's assert_float_equal compares as float; assert_close() compares doubles with a
 * relative plus absolute tolerance and prints both values when it fails.
 *
 * The scenario helpers load a scenario file (or text) with overrides and run its replications,
 * failing the test, after printing the scenario's diagnostics, when anything does not load or
 * run. What they load and run is exactly what the test names: no key is set behind its back, so
 * a test's figures depend only on its scenario, overrides, replications and seed (the thread
 * count changes no result, see analysis/experiment.h).
 *
 * The assert_ macros need <cmocka.h>, included before them.
 */
#ifndef CCSIM_TESTS_SUPPORT_H
#define CCSIM_TESTS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/experiment.h"
#include "models/model.h"
#include "sim/cfg.h"

/* True when |a - b| <= abs_tol + rel_tol * |b|; prints the values otherwise. */
bool support_close(double a, double b, double rel_tol, double abs_tol, const char *expr,
                   const char *file, int line);

#define assert_close(a, b, rel_tol, abs_tol)                                                       \
    assert_true(support_close((a), (b), (rel_tol), (abs_tol), #a, __FILE__, __LINE__))

/* True when lo <= x <= hi; prints the values otherwise. */
bool support_inside(double x, double lo, double hi, const char *expr, const char *file, int line);

#define assert_inside(x, lo, hi)                                                                   \
    assert_true(support_inside((x), (lo), (hi), #x, __FILE__, __LINE__))

/* The threads support_run_load() runs replications on. */
#define SUPPORT_THREADS 2

/* A scenario loaded and run: its cfg, the scenario read from it and the experiment's results.
 * Owned by the test; support_run_fini() frees all three. */
struct support_run {
    struct cfg cfg;
    struct scenario *sc;
    struct experiment_result res;
};

/* Initialises c, loads the scenario file at path and applies the overrides of sets in order
 * (KEY=VALUE as for cfg_set(); NULL-terminated; NULL for none), then reads the scenario. Returns
 * it; the caller destroys it, then calls cfg_fini(c). Fails the test, after printing c's
 * diagnostics to stderr, when the file, an override or the scenario does not load. */
struct scenario *support_load(struct cfg *c, const char *path, const char *const *sets);

/* As support_load() for scenario text, called name in diagnostics, with no overrides. */
struct scenario *support_load_text(struct cfg *c, const char *name, const char *text);

/* Runs the replications of r->sc (loaded) with seed on threads into r->res; replications 0
 * runs the scenario's own replications with its own seed (seed ignored). Fails the test, after
 * printing the first failure, when a replication fails (the conservation audit included). */
void support_run_replications(struct support_run *r, long replications, uint64_t seed, int threads);

/* support_load() of path with sets into r, then support_run_replications() on SUPPORT_THREADS
 * threads. Free r with support_run_fini(). */
void support_run_load(struct support_run *r, const char *path, const char *const *sets,
                      long replications, uint64_t seed);

/* Frees what support_run_load() (or support_load() and support_run_replications() into r)
 * holds. */
void support_run_fini(struct support_run *r);

/* Writes the overrides of a then those of b (each NULL-terminated, or NULL for none) into out,
 * NULL-terminated; fails the test when they and the NULL do not fit in cap entries. Returns out,
 * which borrows the strings. */
const char *const *support_sets_join(const char **out, size_t cap, const char *const *a,
                                     const char *const *b);

/* The mean of the n paired differences d (n >= 2) into *mean, and into *half the half-width of
 * their two-sided t interval whose upper tail has probability tail (0.005: a 99% interval).
 * Cannot fail. */
void support_paired_t(const double *d, long n, double tail, double *mean, double *half);

/* The index of the metric called name in sc; fails the test when sc has none. */
int support_metric_index(const struct scenario *sc, const char *name);

/* The value of metric name in replication rep (0 <= rep < r->res.replications) of r. */
double support_value(const struct support_run *r, long rep, const char *name);

#endif
