/*
 * manifest — manifest.json in a results folder: what produced it, so a result can be traced.
 *
 * Fields, in this order: ccsim_version, git_revision ("unknown" outside a git checkout), command
 * (the argument vector), scenario (as given), scenario_file (its full name, when it exists),
 * model, seed, replications, threads (a process's), ranks (the MPI processes that ran it, 1
 * without MPI), started and finished (UTC, ISO 8601), wall_seconds, events,
 * host, note when given, and files: the name of every file the command wrote into the folder
 * (what --force may replace). Everything but the times, wall_seconds, host and ranks is
 * determined by the command line and the scenario.
 *
 * The file is written and read with jansson: UTF-8 JSON, two spaces of indent, one array
 * element a line. A string that is not valid UTF-8 (a file name in another encoding, say) is
 * written with each byte beyond ASCII as '?'.
 */
#ifndef CCSIM_ANALYSIS_MANIFEST_H
#define CCSIM_ANALYSIS_MANIFEST_H

#include <stddef.h>
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
    int ranks; /* MPI processes; 0: as many as run this one (analysis/par.h) */
    time_t started, finished;
    double wall_seconds;
    uint64_t n_events;
    const char *note;   /* how the replications were chosen (--precision), or NULL */
    char *const *files; /* the files written into the results folder */
    int n_files;
};

/* Writes m as JSON to path. Returns 0 or -errno. */
int manifest_write(const char *path, const struct manifest *m);

/* A manifest read back. Every string is owned (manifest_info_free() frees them) and NULL when
 * the field is absent or not a string; a number is -1 when absent or not a number (a manifest
 * of an older ccsim lacks some fields). files is NULL with n_files -1 when there is no list of
 * file names (or one of its elements is not a plain file name). */
struct manifest_info {
    char *ccsim_version, *git_revision, *scenario, *scenario_file, *model;
    char *started, *finished, *host, *note;
    int argc; /* 0 when there is no command */
    char **argv;
    long long seed, replications, threads, ranks, n_events;
    double wall_seconds;
    int n_files;
    char **files;
};

/* Parses the text of a manifest (len bytes, no NUL needed) into *out. Returns 0, or -1 when it
 * is not ccsim's manifest (not a JSON object with a "ccsim_version" string), with "LINE: what is
 * wrong (what is expected)" in err; *out is then empty (free it all the same). */
int manifest_parse(const char *text, size_t len, struct manifest_info *out, char *err,
                   size_t err_len);
/* Reads the manifest.json at path (a regular file of at most 1 MiB) into *out. Returns 0; 1
 * when the file does not exist; -1 when it cannot be read or is not ccsim's manifest, with
 * "PATH:LINE: what is wrong (what is expected)" in err. Free *out in every case. */
int manifest_read(const char *path, struct manifest_info *out, char *err, size_t err_len);
void manifest_info_free(struct manifest_info *m);

/* The command of m as one line a shell reads back as the same arguments: the arguments
 * separated by spaces, each quoted with single quotes when it holds anything but letters,
 * digits and _ - . / = : , + @ % (so --set 'network.stations[0].servers=12' keeps its
 * brackets). "" when m has no command; cut at n - 1 bytes. */
void manifest_command_line(const struct manifest_info *m, char *buf, size_t n);

#endif
