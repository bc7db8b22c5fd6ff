/*
 * cfg_read — filling a struct from a declared group: each key of a struct cfg_table that names a
 * target (a field's offset and type) is read by the typed getter of its type and stored there,
 * so that a model's load code keeps only its own logic. See cfg.h.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/cfg.h"
#include "sim/fail.h"
#include "sim/xalloc.h"

/* Whether the target kind can hold a value of k's type, and k's range fits the field. */
static bool target_fits(const struct cfg_key *k)
{
    switch (k->target) {
    case CFG_TO_NONE:
        return true;
    case CFG_TO_DOUBLE:
        return k->type == CFG_REAL;
    case CFG_TO_INT:
        return k->type == CFG_INT && k->lo >= INT_MIN && k->hi <= INT_MAX;
    case CFG_TO_LONG:
        return k->type == CFG_INT && k->lo >= (double)LONG_MIN && k->hi <= (double)LONG_MAX;
    case CFG_TO_INT64:
        return k->type == CFG_INT;
    case CFG_TO_BOOL:
        return k->type == CFG_BOOL;
    case CFG_TO_STRING:
    case CFG_TO_STRDUP:
        return k->type == CFG_STRING;
    case CFG_TO_CHOICE:
        return k->type == CFG_CHOICE;
    }
    return false;
}

/* Reads k from group into its field of base; false after recording a problem. */
static bool read_target(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                        void *base)
{
    char *field = (char *)base + k->offset;
    long long v;
    const char *s;

    SIM_ASSERT(target_fits(k), "key %s: target %d does not fit type %d", k->name, (int)k->target,
               (int)k->type);
    switch (k->target) {
    case CFG_TO_NONE:
        return true;
    case CFG_TO_DOUBLE:
        return cfg_get_real(c, group, k, (double *)field);
    case CFG_TO_INT:
        if (!cfg_get_int(c, group, k, &v)) {
            return false;
        }
        *(int *)field = (int)v;
        return true;
    case CFG_TO_LONG:
        if (!cfg_get_int(c, group, k, &v)) {
            return false;
        }
        *(long *)field = (long)v;
        return true;
    case CFG_TO_INT64:
        if (!cfg_get_int(c, group, k, &v)) {
            return false;
        }
        *(int64_t *)field = (int64_t)v;
        return true;
    case CFG_TO_BOOL:
        return cfg_get_bool(c, group, k, (bool *)field);
    case CFG_TO_STRING:
        return cfg_get_string(c, group, k, (const char **)field);
    case CFG_TO_STRDUP:
        if (!cfg_get_string(c, group, k, &s)) {
            return false;
        }
        *(char **)field = s ? xstrdup(s) : NULL;
        return true;
    case CFG_TO_CHOICE:
        return cfg_get_choice(c, group, k, (int *)field);
    }
    return true;
}

bool cfg_read_targets(struct cfg *c, const config_setting_t *group, const struct cfg_table *t,
                      void *base)
{
    bool ok = true;

    for (size_t i = 0; i < t->n_keys; i++) {
        ok &= read_target(c, group, &t->keys[i], base);
    }
    return ok;
}

bool cfg_read(struct cfg *c, const config_setting_t *group, const struct cfg_table *t, void *base)
{
    bool ok = cfg_check_keys(c, group, t);

    ok &= cfg_read_targets(c, group, t, base);
    return ok;
}

bool cfg_read_group(struct cfg *c, const config_setting_t *parent, const struct cfg_key *k,
                    const struct cfg_table *t, void *base, const config_setting_t **out)
{
    const config_setting_t *g = NULL;

    *out = NULL;
    if (!cfg_get_group(c, parent, k, &g)) {
        return false;
    }
    if (!g) {
        return true;
    }
    *out = g;
    return cfg_read(c, g, t, base);
}

const config_setting_t *cfg_elem_group(struct cfg *c, const config_setting_t *list, int i,
                                       const char *what)
{
    const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);

    if (!e || !config_setting_is_group(e)) {
        cfg_error(c, e ? e : list, "not %s", what);
        return NULL;
    }
    return e;
}
