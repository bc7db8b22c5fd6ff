/*
 * cfg — typed, checked access to libconfig scenario files.
 *
 * Every key a scenario may hold is declared once, in a struct cfg_key: name, type, allowed
 * range or choices, unit, default, help and source. The declaration drives validation here and
 * the reference documentation. Reading a key through cfg_get_*() checks its type and range;
 * cfg_check_keys() rejects keys that no declaration names, with a did-you-mean suggestion.
 *
 * Problems never stop the reading: each is added to the cfg's struct diag as
 * "file:line: key: what is wrong (what is allowed)" and the getter returns false, so a caller
 * reads on and the user sees every problem at once. Keys are shown as dotted paths from the
 * root, with list elements as [i] (network.stations[0].service.mean). A missing key is reported
 * at the line of its group.
 *
 * Integers are accepted where reals are expected (libconfig alone would refuse 1 for 1.0).
 *
 * Lifetime: a struct cfg owns the parsed tree; settings handed out are borrowed and live until
 * cfg_fini(). Scenario lifetime: read once at load, never in the event loop.
 */
#ifndef CCSIM_SIM_CFG_H
#define CCSIM_SIM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libconfig.h>

#include "sim/diag.h"

enum cfg_type {
    CFG_REAL,   /* a number; integers accepted */
    CFG_INT,    /* an integer */
    CFG_STRING, /* any string */
    CFG_CHOICE, /* a string from key->choices */
    CFG_BOOL,   /* true or false */
    CFG_GROUP,  /* { ... } */
    CFG_LIST,   /* ( ... ) or [ ... ] */
};

/* Where a key's value goes, for cfg_read(): a field of the caller's struct, at an offset
 * declared with the key (CFG_TARGET_REAL(struct care_params, unmet_factor) and the like, below).
 * A key without a target (CFG_TO_NONE, the zero default) is read by the model itself. */
enum cfg_target {
    CFG_TO_NONE,   /* no target: the caller reads the key */
    CFG_TO_DOUBLE, /* CFG_REAL into a double */
    CFG_TO_INT,    /* CFG_INT into an int (the key's range lies within int's) */
    CFG_TO_LONG,   /* CFG_INT into a long (the key's range lies within long's) */
    CFG_TO_INT64,  /* CFG_INT into an int64_t */
    CFG_TO_BOOL,   /* CFG_BOOL into a bool */
    CFG_TO_STRING, /* CFG_STRING into a const char *, borrowed from the tree (or k->def_str) */
    CFG_TO_STRDUP, /* CFG_STRING into a char *, a copy the caller frees; NULL when absent */
    CFG_TO_CHOICE, /* CFG_CHOICE into an int (or an enum whose values are the indices) */
};

/* Range flags for CFG_REAL and CFG_INT (and CFG_NOT_VARIED, below). For CFG_INT, a bound at
 * or beyond +-2^63 means the end of the 64-bit range (9223372036854775807 has no double). */
#define CFG_LO_OPEN 1u /* value must be > lo rather than >= lo */
#define CFG_HI_OPEN 2u /* value must be < hi rather than <= hi */

/* The default uncertainty of a key whose default is a published estimate with a published
 * interval: the distribution `ccsim psa` draws it from while the key keeps its default value
 * (analysis/uncertain.h fits it). dist is "beta", "gamma", "lognormal" or "normal"; lo and hi
 * are the published 95% interval; source cites the interval. */
struct cfg_uncertain {
    const char *dist;
    double lo, hi;
    const char *source;
};

struct cfg_key {
    const char *name; /* key within its group */
    enum cfg_type type;
    bool is_required;           /* absent is an error */
    double lo, hi;              /* allowed range (REAL, INT); use -HUGE_VAL/HUGE_VAL for none */
    unsigned flags;             /* CFG_LO_OPEN, CFG_HI_OPEN */
    double def;                 /* default for REAL, INT, BOOL (0 or 1) when not required */
    const char *def_str;        /* default for STRING and CHOICE, NULL for none; for a REAL or
                                 * INT whose default is derived from other keys, the text docs
                                 * show (the code fills the value with cfg_fill()) */
    const char *const *choices; /* NULL-terminated, for CHOICE */
    const char *unit;           /* unit of the value, or NULL */
    const char *help;           /* one line for docs and check */
    const char *source;         /* published source of the default, or NULL */
    /* A plausible range (REAL, INT): none when hi <= lo. A value read outside it gets a
     * warning; one-way sensitivity analysis varies the key over it unless CFG_NOT_VARIED. */
    double plausible_lo, plausible_hi;
    enum cfg_target target; /* where cfg_read() stores the value; CFG_TO_NONE: nowhere */
    size_t offset;          /* of the target field in the struct cfg_read() fills */
    /* REAL, INT: the default's published uncertainty, or NULL (no published interval). */
    const struct cfg_uncertain *uncertain;
};

/* Target declarations, each checked against the field's type at compile time, for use inside a
 * key's initializer: {.name = "beds", .type = CFG_INT, ..., CFG_TARGET_INT(struct p, beds)}. The
 * value is stored as read, in the key's unit; a model converts it (per year to per day, say)
 * after cfg_read(). */
#define CFG_TARGET_AS(kind_, ctype_, type_, field_)                                                \
    .target = (kind_),                                                                             \
    .offset = offsetof(type_, field_) + 0 * sizeof(_Generic(((type_ *)0)->field_, ctype_ : 1))
#define CFG_TARGET_REAL(type_, field_)   CFG_TARGET_AS(CFG_TO_DOUBLE, double, type_, field_)
#define CFG_TARGET_INT(type_, field_)    CFG_TARGET_AS(CFG_TO_INT, int, type_, field_)
#define CFG_TARGET_LONG(type_, field_)   CFG_TARGET_AS(CFG_TO_LONG, long, type_, field_)
#define CFG_TARGET_INT64(type_, field_)  CFG_TARGET_AS(CFG_TO_INT64, int64_t, type_, field_)
#define CFG_TARGET_BOOL(type_, field_)   CFG_TARGET_AS(CFG_TO_BOOL, bool, type_, field_)
#define CFG_TARGET_STRING(type_, field_) CFG_TARGET_AS(CFG_TO_STRING, const char *, type_, field_)
#define CFG_TARGET_STRDUP(type_, field_) CFG_TARGET_AS(CFG_TO_STRDUP, char *, type_, field_)
/* An int, or an enum the size of an int whose values are the choices' indices. */
#define CFG_TARGET_CHOICE(type_, field_)                                                           \
    .target = CFG_TO_CHOICE,                                                                       \
    .offset = offsetof(type_, field_) +                                                            \
              0 * sizeof(char[sizeof(((type_ *)0)->field_) == sizeof(int) ? 1 : -1])

/* Flag: the plausible range only guards against mistakes (a horizon in hours, say); it is not a
 * range of uncertainty, and `ccsim sensitivity` does not vary the key. */
#define CFG_NOT_VARIED 4u

/* Whether sensitivity analysis varies k over its plausible range. */
static inline bool cfg_key_has_plausible(const struct cfg_key *k)
{
    return (k->type == CFG_REAL || k->type == CFG_INT) && k->plausible_hi > k->plausible_lo &&
           !(k->flags & CFG_NOT_VARIED);
}

/* A declared group: the keys one kind of group may hold. */
struct cfg_table {
    const char *path; /* where the group sits, for docs ("network.stations[]") */
    const char *help;
    const struct cfg_key *keys;
    size_t n_keys;
};

/* Where a setting's value came from. Every setting of the resolved tree has one. */
enum cfg_origin_kind {
    CFG_FROM_FILE,    /* a scenario file (the one given, a base, or an @include) */
    CFG_FROM_SET,     /* a --set option: file holds "--set KEY=VALUE", line is 0 */
    CFG_FROM_DEFAULT, /* a declared default, filled in when the key was read */
};

struct cfg_origin {
    enum cfg_origin_kind kind;
    const char *file;          /* file name, or the --set option */
    int line;                  /* 0 when not from a file */
    const struct cfg_key *key; /* the declaration the value was read by, NULL if never read */
    const char *source;        /* published source of a default, overriding key->source */
};

struct cfg_block; /* arena for origins and interned strings, owned by the cfg */

struct cfg {
    config_t lc;
    char *path;              /* file name as given by the user, for messages */
    bool is_loaded;          /* lc holds a parsed tree */
    struct diag diag;        /* every problem found so far */
    struct cfg_block *arena; /* origins and file names, freed by cfg_fini() */
};

void cfg_init(struct cfg *c);
void cfg_fini(struct cfg *c);

/*
 * Limits on scenario text, checked before libconfig parses it (libconfig's time grows with the
 * square of a string's length and of a group's number of keys). No real scenario comes near
 * them: the shipped ones are under 10 KiB, with strings under 200 bytes and groups of fewer
 * than 40 keys. At the limits a file parses in well under a second.
 */
/* Largest scenario text accepted, in bytes: a file, a base, or a file with its @include files
 * together (1 MiB). */
#define CFG_MAX_FILE_SIZE (1024L * 1024)
/* Longest string value, in bytes between the quotes (adjacent strings, which join, together):
 * 64 KiB. Also for --set values. */
#define CFG_MAX_STRING (64 * 1024)
/* Most keys in one group (the top level included). */
#define CFG_MAX_GROUP_KEYS 128
/* Deepest nesting of groups, lists and arrays. */
#define CFG_MAX_NESTING 64
/* Deepest chain of base files and of @include files. */
#define CFG_MAX_DEPTH 16

/* Parses a file and resolves it into one tree. @include paths resolve relative to the including
 * file's folder. A root key `base = "other.cfg";` (relative to the file's folder) makes the
 * file start from other.cfg: groups merge key by key, any other value (number, string, list)
 * replaces the base's whole; a base may have a base; a cycle is reported. A root list
 * `set = ["KEY=VALUE", ...];` is applied next, in order, as by cfg_set() (so that a variant can
 * change one key inside a list), with origins at its lines. The file, every base and every
 * included file must be a readable regular file (checked on the file opened, which is opened
 * without blocking: a FIFO or device is refused, never waited on); a file with its included
 * files holds at most CFG_MAX_FILE_SIZE bytes, strings at most CFG_MAX_STRING, groups at most
 * CFG_MAX_GROUP_KEYS keys, and a NUL byte is refused, all before libconfig parses the text.
 * Integers keep their value beyond 32 bits (libconfig 1.5 alone wraps them); one beyond 64 bits
 * reads as a real, so that an integer key reports it out of range. A key given twice in one
 * group is reported with its path. On failure (missing or unreadable file, syntax error, bad
 * base) records every problem and returns false. */
bool cfg_load_file(struct cfg *c, const char *path);
/* Parses len bytes of text as if they were the file called name (tests, fuzzing); the text may
 * hold NUL bytes, which are refused as in a file. @include resolves relative to the working
 * folder; base is not followed from text (a problem is recorded). */
bool cfg_load_text(struct cfg *c, const char *name, const char *text, size_t len);
/* cfg_load_text() of a NUL-terminated text. */
bool cfg_load_string(struct cfg *c, const char *name, const char *text);

/* Applies one command-line override "KEY=VALUE" to the loaded tree. VALUE must be exactly one
 * value ("10;seed=5" is refused) and follows the file rules above (strings, integers). KEY is
 * a dotted path with list indices (coordination.caseload_limit, network.stations[0].servers);
 * missing groups
 * along the path are created, list elements must exist. VALUE is in scenario syntax (12,
 * 0.5, "text", true, [1, 2], { ... }); a bare word is taken as a string. The value replaces
 * what was there and is validated like any other, with messages that name the option. Returns
 * false after recording the problem. */
bool cfg_set(struct cfg *c, const char *assignment);
/* As cfg_set(), naming the option as given (e.g. "-r 20" for replications=20) in messages and
 * origins; option NULL means "--set KEY=VALUE". */
bool cfg_set_as(struct cfg *c, const char *assignment, const char *option);

/* Where s came from (never fails: settings without a recorded origin are from their file). */
void cfg_origin_of(const struct cfg *c, const config_setting_t *s, struct cfg_origin *out);

/* Formats a scalar or an array of scalars in scenario syntax ("12", "0.5", "\"fifo\"",
 * "[1.0, 2.0]"); reals are written with the fewest digits that read back to the same double.
 * Groups and lists are written as "{ ... }" and "( ... )". */
void cfg_format_value(const config_setting_t *s, char *buf, size_t n);

/* Visits every scalar and array of the resolved tree in file order (depth first). */
typedef void cfg_visit_fn(void *ctx, const config_setting_t *s, const char *path,
                          const struct cfg_origin *origin);
void cfg_walk(const struct cfg *c, cfg_visit_fn *fn, void *ctx);

/* Writes the resolved tree as a scenario file that loads to the same values: every key that was
 * set or defaulted, with a comment giving its origin. header (may be NULL) is written first,
 * each line as a comment. Returns 0 or -errno. */
int cfg_write(const struct cfg *c, FILE *out, const char *header);

/* The root group; the cfg must be loaded. */
const config_setting_t *cfg_root(const struct cfg *c);
/* Number of problems recorded so far. */
static inline int cfg_n_problems(const struct cfg *c)
{
    return diag_count(&c->diag);
}

/* Writes the dotted path of s (e.g. "network.stations[0].service") into buf; "" for the root. */
void cfg_path(const config_setting_t *s, char *buf, size_t n);

/* Records a problem at setting s (its file, line and path). */
void cfg_error(struct cfg *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a problem about key name in group (which may not exist): at the group's line. */
void cfg_error_key(struct cfg *c, const config_setting_t *group, const char *name, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

/* Records a warning at setting s (its file, line and path): the value is legal but probably a
 * mistake, or makes part of the system unreachable. Say the consequence ("every post is vacant:
 * no client is ever coordinated"). Warnings do not count as problems (cfg_n_problems()). */
void cfg_warn(struct cfg *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records a warning about key name in group (which may not exist), at the group's line. */
void cfg_warn_key(struct cfg *c, const config_setting_t *group, const char *name, const char *fmt,
                  ...) __attribute__((format(printf, 4, 5)));
/* Number of warnings recorded so far. */
static inline int cfg_n_warnings(const struct cfg *c)
{
    return diag_n_warnings(&c->diag);
}
/* Prints the warnings, one a line ("file:line: key: warning: ..."), in the order found (file
 * order); nothing when there is none. Returns 0 or -errno. */
static inline int cfg_print_warnings(const struct cfg *c, FILE *out)
{
    return diag_print_warnings(&c->diag, out);
}

/* Reports every key of group that table does not declare, suggesting the closest declared name
 * when it is near. Returns true when there is none. */
bool cfg_check_keys(struct cfg *c, const config_setting_t *group, const struct cfg_table *table);

/* Looks up a declaration by name in a table; NULL if absent. */
const struct cfg_key *cfg_table_key(const struct cfg_table *table, const char *name);

/* Typed getters. Each reads group.key as declared by k, which must be static: the tree keeps a
 * pointer to it for `check` and the resolved scenario. Present and valid: stores the value,
 * notes k as the setting's declaration (for check and docs) and returns true. Absent and
 * optional: stores the default, adds it to the tree (origin CFG_FROM_DEFAULT, so the resolved
 * scenario shows it) and returns true. Otherwise records the problem and returns false, leaving
 * *out unchanged. */
bool cfg_get_real(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  double *out);
bool cfg_get_int(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                 long long *out);
bool cfg_get_bool(struct cfg *c, const config_setting_t *group, const struct cfg_key *k, bool *out);
/* The string is borrowed from the tree (or is k->def_str). */
bool cfg_get_string(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                    const char **out);
/* Stores the index of the choice in k->choices. */
bool cfg_get_choice(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                    int *out);
/* Groups and lists: *out is the setting, or NULL when absent and optional. */
bool cfg_get_group(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                   const config_setting_t **out);
bool cfg_get_list(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  const config_setting_t **out);

/*
 * Reading a declared group into a struct. cfg_read() first reports the keys of group that t does
 * not declare (cfg_check_keys()), then reads every key of t that has a target, in t's order, into
 * base + k->offset, exactly as the cfg_get_*() getters read it: the default (added to the tree)
 * when absent and optional, "missing required key" when required, type and range checked, a
 * warning outside the plausible range. Every problem is recorded and reading goes on; a field
 * whose key had a problem is left unchanged. Keys without a target are left to the caller, which
 * reads them before or after (lists, distributions, names to look up). Returns true when no
 * problem was found. t's keys must be static (see the getters). A target that does not fit its
 * key's type is a bug (sim_fail()).
 */
bool cfg_read(struct cfg *c, const config_setting_t *group, const struct cfg_table *t, void *base);
/* As cfg_read(), without the check for unknown keys (the caller has made it). */
bool cfg_read_targets(struct cfg *c, const config_setting_t *group, const struct cfg_table *t,
                      void *base);
/* A group declared by key k of parent (CFG_GROUP), read by cfg_read() into base when present.
 * *out is the group, or NULL when it is absent (or not a group). Returns false after recording
 * a problem: a required group missing, a value that is not a group, or any problem cfg_read()
 * found. */
bool cfg_read_group(struct cfg *c, const config_setting_t *parent, const struct cfg_key *k,
                    const struct cfg_table *t, void *base, const config_setting_t **out);
/* Element i of a list, if it is a group; otherwise records "not WHAT" at the element (what is,
 * e.g., "a step (a group { from = DAY; factor = X; })") and returns NULL. */
const config_setting_t *cfg_elem_group(struct cfg *c, const config_setting_t *list, int i,
                                       const char *what);

/* Fills group.key with a default of its own (a preset's value with its published source),
 * unless the key is present: later reads see it as a default (CFG_FROM_DEFAULT) whose source
 * is `source`. k must be a CFG_REAL, CFG_INT, CFG_BOOL, CFG_STRING or CFG_CHOICE key; the
 * number is used for the first three, text for the others. source is borrowed (static). */
void cfg_fill(struct cfg *c, const config_setting_t *group, const struct cfg_key *k, double v,
              const char *text, const char *source);

/* Resolves a file name given as the value of setting s relative to the folder of the file that
 * set it (absolute names are kept), into buf. */
void cfg_resolve_path(const struct cfg *c, const config_setting_t *s, const char *name, char *buf,
                      size_t n);

/* Reads a setting that must be a number (integer or real) into *out, or records the problem. */
bool cfg_number(struct cfg *c, const config_setting_t *s, double *out);

/* Describes what k allows ("real > 0", "integer 1..200", "one of \"fifo\", \"priority\"") into
 * buf. */
void cfg_allowed(const struct cfg_key *k, char *buf, size_t n);

/* Levenshtein distance between two short strings (for did-you-mean); capped at 64 characters. */
int cfg_edit_distance(const char *a, const char *b);

#endif
