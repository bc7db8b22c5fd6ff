/*
 * unitstore — the finished replications of an experiment, kept as they finish so that a run
 * killed part-way can be resumed (--resume DIR) and end with the same results, byte for byte.
 *
 * A unit is one replication of one loaded variant: what experiment_extend() produces for a row
 * (its metrics, its weekly series, its events and entities). Units are keyed by content:
 *
 *   variant      unitstore_fingerprint() of the variant: a 64-bit hash of every value of its
 *                resolved scenario (path, type and value of each setting, whatever its origin;
 *                the contents of every data file a string value names, such as a snapshot), its
 *                seed, and the ccsim version and revision;
 *   replication  the model's replication number (first_rep + row);
 *   n_metrics, n_series, n_points   the shape of the row.
 *
 * A key that differs in anything is simply a miss: a changed scenario, seed or program runs
 * afresh, and the repeated evaluations of a calibration find their units after a resume. The
 * number of replications is not part of the key (replication r's results do not depend on how
 * many there are, analysis/experiment.h), so a resumed run may ask for more or fewer.
 *
 * Layout: a folder (for a results folder DIR, outdir_units_folder(DIR): ".NAME.ccsim-units"
 * beside DIR), holding one file per process that wrote to it, "units-XXXXXX" (mkstemp), created
 * when the process keeps its first unit. No two processes ever write the same file (several
 * MPI ranks, or a run and its resumption). unitstore_create() reads every file there. A file is
 * a sequence of records, each written with one write() under the store's lock:
 *
 *   uint32 magic "CCU1", uint32 payload bytes, uint64 checksum of the payload,
 *   payload: uint64 version hash, variant, replication; int32 n_metrics, n_series, n_points,
 *            0; uint64 n_events, n_entities; double metrics[n_metrics],
 *            series[n_series * n_points]
 *
 * in the machine's byte order (a record of another byte order fails its magic and is ignored).
 * A record cut short (the process killed while writing it) or whose checksum does not match is
 * ignored; scanning a file stops at the first header that is not a record. Records are not
 * synced to disk one by one: a unit lost in a crash is only run again.
 *
 * Threads: unitstore_get() and unitstore_put() may be called from several threads at once.
 *
 * Ownership: unitstore_create() allocates the store; unitstore_destroy() closes and frees it and
 * leaves the folder; unitstore_remove() deletes the folder with every file in it.
 */
#ifndef CCSIM_ANALYSIS_UNITSTORE_H
#define CCSIM_ANALYSIS_UNITSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/cfg.h"

struct unit_key {
    uint64_t variant;     /* unitstore_fingerprint() of the variant */
    uint64_t replication; /* the model's replication number */
    int n_metrics, n_series, n_points;
};

/* What one unit produced. */
struct unit_value {
    double *metrics; /* [n_metrics] */
    double *series;  /* [n_series * n_points]; NULL when that is 0 */
    uint64_t n_events, n_entities;
};

struct unitstore;

/* The store in folder. With use_kept, every unit of this version found in its files can be
 * returned by unitstore_get(); otherwise they are only counted (unitstore_n_found()) and the
 * run keeps its own units beside them. The folder need not exist: it is created, with its
 * parents, at the first unitstore_put(). Never fails (a file that cannot be read is skipped). */
struct unitstore *unitstore_create(const char *folder, bool use_kept);
void unitstore_destroy(struct unitstore *st);

/* The units of this version found in the folder's files when the store was created (each
 * distinct key once). */
long unitstore_n_found(const struct unitstore *st);
/* How many of the units found unitstore_get() has returned so far (each once, however often
 * it was asked for), and how many units unitstore_put() has added. */
void unitstore_counts(const struct unitstore *st, long *n_used, long *n_added);
const char *unitstore_folder(const struct unitstore *st);

/* Copies the unit of key into v (whose buffers hold key's shape) and returns true, or returns
 * false when the store has no such unit (or its record no longer reads back intact). */
bool unitstore_get(struct unitstore *st, const struct unit_key *key, struct unit_value *v);

/* Appends the unit of key to this process's file and to the store. Returns 0, or a negative
 * errno when it could not be written: the store then keeps nothing more, and
 * unitstore_error() says why (the run itself is unaffected). */
int unitstore_put(struct unitstore *st, const struct unit_key *key, const struct unit_value *v);
/* Why keeping units failed, or NULL while it has not. */
const char *unitstore_error(const struct unitstore *st);

/* Deletes every "units-*" file of the folder, then the folder itself if that leaves it empty
 * (what the run's results folder, once complete, makes useless). Returns 0 or a negative
 * errno. */
int unitstore_remove(struct unitstore *st);

/* The fingerprint of a loaded variant as described above; c is its resolved cfg and seed the
 * seed it runs with. Reads the data files its values name. Cannot fail. */
uint64_t unitstore_fingerprint(const struct cfg *c, uint64_t seed);

#endif
