/*
 * manifest — manifest.json in a results folder: what produced it, so a result can be traced.
 *
 * Fields: ccsim_version, git_revision ("unknown" outside a git checkout), command (the argument
 * vector), scenario (as given), scenario_file (its full name, when it exists), model, seed,
 * replications, threads, started and finished (UTC, ISO 8601), wall_seconds, events, host, note
 * when given, and files: the name of every file the command wrote into the folder (what --force
 * may replace). Everything but the times, wall_seconds and host is determined by the command line
 * and the scenario.
 */
#ifndef CCSIM_ANALYSIS_MANIFEST_H
#define CCSIM_ANALYSIS_MANIFEST_H

#include <stdint.h>
#include <time.h>

struct manifest {
    int argc;
    char *const *argv;
    const char *scenario;
    const char *model;
    uint64_t seed;
    long replications;
    int threads;
    time_t started, finished;
    double wall_seconds;
    uint64_t n_events;
    const char *note;   /* how the replications were chosen (--precision), or NULL */
    char *const *files; /* the files written into the results folder */
    int n_files;
};

/* Writes m as JSON to path. Returns 0 or -errno. */
int manifest_write(const char *path, const struct manifest *m);

#endif
