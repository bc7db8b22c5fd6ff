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

/* Range flags for CFG_REAL and CFG_INT. */
#define CFG_LO_OPEN 1u /* value must be > lo rather than >= lo */
#define CFG_HI_OPEN 2u /* value must be < hi rather than <= hi */

struct cfg_key {
    const char *name;            /* key within its group */
    enum cfg_type type;
    bool is_required;            /* absent is an error */
    double lo, hi;               /* allowed range (REAL, INT); use -HUGE_VAL/HUGE_VAL for none */
    unsigned flags;              /* CFG_LO_OPEN, CFG_HI_OPEN */
    double def;                  /* default for REAL, INT, BOOL (0 or 1) when not required */
    const char *def_str;         /* default for STRING and CHOICE, NULL for none */
    const char *const *choices;  /* NULL-terminated, for CHOICE */
    const char *unit;            /* unit of the value, or NULL */
    const char *help;            /* one line for docs and check */
    const char *source;          /* published source of the default, or NULL */
};

/* A declared group: the keys one kind of group may hold. */
struct cfg_table {
    const char *path; /* where the group sits, for docs ("network.stations[]") */
    const char *help;
    const struct cfg_key *keys;
    size_t n_keys;
};

struct cfg {
    config_t lc;
    char *path;       /* file name as given by the user, for messages */
    bool is_loaded;   /* lc holds a parsed tree */
    struct diag diag; /* every problem found so far */
};

void cfg_init(struct cfg *c);
void cfg_fini(struct cfg *c);

/* Parses a file; @include paths resolve relative to the file's folder. On failure (missing or
 * unreadable file, syntax error) records the problem and returns false. */
bool cfg_load_file(struct cfg *c, const char *path);
/* Parses text as if it were the file called name (used by tests and --set). */
bool cfg_load_string(struct cfg *c, const char *name, const char *text);

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
void cfg_error_key(struct cfg *c, const config_setting_t *group, const char *name,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reports every key of group that table does not declare, suggesting the closest declared name
 * when it is near. Returns true when there is none. */
bool cfg_check_keys(struct cfg *c, const config_setting_t *group, const struct cfg_table *table);

/* Looks up a declaration by name in a table; NULL if absent. */
const struct cfg_key *cfg_table_key(const struct cfg_table *table, const char *name);

/* Typed getters. Each reads group.key as declared by k. Present and valid: stores the value and
 * returns true. Absent and optional: stores the default and returns true. Otherwise records the
 * problem and returns false, leaving *out unchanged. */
bool cfg_get_real(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  double *out);
bool cfg_get_int(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                 long long *out);
bool cfg_get_bool(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  bool *out);
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

/* Reads a setting that must be a number (integer or real) into *out, or records the problem. */
bool cfg_number(struct cfg *c, const config_setting_t *s, double *out);

/* Describes what k allows ("real > 0", "integer 1..200", "one of \"fifo\", \"priority\"") into
 * buf. */
void cfg_allowed(const struct cfg_key *k, char *buf, size_t n);

/* Levenshtein distance between two short strings (for did-you-mean); capped at 64 characters. */
int cfg_edit_distance(const char *a, const char *b);

#endif
