#include "sim/cfg.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

void cfg_init(struct cfg *c)
{
    config_init(&c->lc);
    c->path = NULL;
    c->is_loaded = false;
    diag_init(&c->diag);
}

void cfg_fini(struct cfg *c)
{
    config_destroy(&c->lc);
    free(c->path);
    c->path = NULL;
    c->is_loaded = false;
    diag_fini(&c->diag);
}

static void record_parse_error(struct cfg *c)
{
    const char *file = config_error_file(&c->lc);
    const char *text = config_error_text(&c->lc);
    int line = config_error_line(&c->lc);

    if (!file) {
        file = c->path;
    }
    if (text && strcmp(text, "syntax error") == 0) {
        diag_add(&c->diag, file, line, NULL,
                 "syntax error (check this line and the end of the one before it for a missing "
                 "';', quote or bracket)");
    } else {
        diag_add(&c->diag, file, line, NULL, "%s", text ? text : "cannot parse");
    }
}

bool cfg_load_file(struct cfg *c, const char *path)
{
    free(c->path);
    c->path = xstrdup(path);

    FILE *f = fopen(path, "r");
    if (!f) {
        diag_add(&c->diag, path, 0, NULL, "cannot read the scenario: %s", strerror(errno));
        return false;
    }
    fclose(f);

    /* @include resolves relative to the including file's folder. */
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        config_set_include_dir(&c->lc, dir);
    } else {
        config_set_include_dir(&c->lc, ".");
    }
    free(dir);

    if (config_read_file(&c->lc, path) != CONFIG_TRUE) {
        record_parse_error(c);
        return false;
    }
    c->is_loaded = true;
    return true;
}

bool cfg_load_string(struct cfg *c, const char *name, const char *text)
{
    free(c->path);
    c->path = xstrdup(name);
    if (config_read_string(&c->lc, text) != CONFIG_TRUE) {
        record_parse_error(c);
        return false;
    }
    c->is_loaded = true;
    return true;
}

const config_setting_t *cfg_root(const struct cfg *c)
{
    return config_root_setting(&c->lc);
}

void cfg_path(const config_setting_t *s, char *buf, size_t n)
{
    const config_setting_t *chain[64];
    int depth = 0;

    while (s && config_setting_parent(s) && depth < 64) {
        chain[depth++] = s;
        s = config_setting_parent(s);
    }
    size_t len = 0;
    buf[0] = '\0';
    for (int i = depth - 1; i >= 0 && len < n; i--) {
        const config_setting_t *e = chain[i];
        const config_setting_t *parent = config_setting_parent(e);
        int w;
        if (config_setting_is_aggregate(parent) && !config_setting_is_group(parent)) {
            w = snprintf(buf + len, n - len, "[%d]", config_setting_index(e));
        } else {
            w = snprintf(buf + len, n - len, "%s%s", len ? "." : "", config_setting_name(e));
        }
        if (w < 0) {
            break;
        }
        len += (size_t)w;
    }
}

static const char *setting_file(const struct cfg *c, const config_setting_t *s)
{
    const char *f = config_setting_source_file(s);

    return f ? f : c->path;
}

/* libconfig gives the root group line 0; a problem there belongs to the file as a whole, which
 * we report at line 1 so that every message carries a line. */
static int setting_line(const config_setting_t *s)
{
    int line = (int)config_setting_source_line(s);

    return line > 0 ? line : 1;
}

void cfg_error(struct cfg *c, const config_setting_t *s, const char *fmt, ...)
{
    char path[512];
    char text[768];
    va_list ap;

    cfg_path(s, path, sizeof path);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_add(&c->diag, setting_file(c, s), setting_line(s), path[0] ? path : NULL, "%s", text);
}

void cfg_error_key(struct cfg *c, const config_setting_t *group, const char *name,
                   const char *fmt, ...)
{
    char path[512];
    char key[640];
    char text[768];
    va_list ap;

    cfg_path(group, path, sizeof path);
    snprintf(key, sizeof key, "%s%s%s", path, path[0] ? "." : "", name);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_add(&c->diag, setting_file(c, group), setting_line(group), key, "%s", text);
}

int cfg_edit_distance(const char *a, const char *b)
{
    enum { MAXLEN = 64 };
    int row[MAXLEN + 1];
    size_t la = strlen(a), lb = strlen(b);

    if (la > MAXLEN) {
        la = MAXLEN;
    }
    if (lb > MAXLEN) {
        lb = MAXLEN;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = (int)j;
    }
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const struct cfg_key *cfg_table_key(const struct cfg_table *table, const char *name)
{
    for (size_t i = 0; i < table->n_keys; i++) {
        if (strcmp(table->keys[i].name, name) == 0) {
            return &table->keys[i];
        }
    }
    return NULL;
}

bool cfg_check_keys(struct cfg *c, const config_setting_t *group, const struct cfg_table *table)
{
    bool ok = true;
    int n = config_setting_length(group);

    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        if (!name || cfg_table_key(table, name)) {
            continue;
        }
        ok = false;
        /* Suggest the nearest declared key within about a third of the name's length. */
        const char *best = NULL;
        int best_d = (int)strlen(name) / 3 + 1;
        for (size_t k = 0; k < table->n_keys; k++) {
            int d = cfg_edit_distance(name, table->keys[k].name);
            if (d <= best_d && (!best || d < best_d)) {
                best = table->keys[k].name;
                best_d = d;
            }
        }
        char allowed[1024] = "";
        size_t len = 0;
        for (size_t k = 0; k < table->n_keys && len < sizeof allowed; k++) {
            int w = snprintf(allowed + len, sizeof allowed - len, "%s%s", k ? ", " : "",
                             table->keys[k].name);
            len += w > 0 ? (size_t)w : 0;
        }
        if (best) {
            cfg_error(c, s, "unknown key, did you mean '%s'? (allowed here: %s)", best, allowed);
        } else {
            cfg_error(c, s, "unknown key (allowed here: %s)", allowed);
        }
    }
    return ok;
}

static const char *type_name(enum cfg_type t)
{
    switch (t) {
    case CFG_REAL:
        return "real";
    case CFG_INT:
        return "integer";
    case CFG_STRING:
    case CFG_CHOICE:
        return "string";
    case CFG_BOOL:
        return "boolean";
    case CFG_GROUP:
        return "group { ... }";
    case CFG_LIST:
        return "list ( ... )";
    }
    return "?";
}

static const char *setting_type_name(const config_setting_t *s)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        return "an integer";
    case CONFIG_TYPE_FLOAT:
        return "a real";
    case CONFIG_TYPE_STRING:
        return "a string";
    case CONFIG_TYPE_BOOL:
        return "a boolean";
    case CONFIG_TYPE_GROUP:
        return "a group";
    case CONFIG_TYPE_ARRAY:
        return "an array";
    case CONFIG_TYPE_LIST:
        return "a list";
    default:
        return "empty";
    }
}

void cfg_allowed(const struct cfg_key *k, char *buf, size_t n)
{
    if (k->type == CFG_CHOICE) {
        size_t len = (size_t)snprintf(buf, n, "one of ");
        for (int i = 0; k->choices[i] && len < n; i++) {
            int w = snprintf(buf + len, n - len, "%s\"%s\"", i ? ", " : "", k->choices[i]);
            len += w > 0 ? (size_t)w : 0;
        }
        return;
    }
    if (k->type != CFG_REAL && k->type != CFG_INT) {
        snprintf(buf, n, "%s", type_name(k->type));
        return;
    }
    const char *tn = type_name(k->type);
    bool has_lo = isfinite(k->lo), has_hi = isfinite(k->hi);
    bool lo_open = k->flags & CFG_LO_OPEN, hi_open = k->flags & CFG_HI_OPEN;
    const char *unit = k->unit ? k->unit : "";
    const char *sep = k->unit ? " " : "";

    if (has_lo && has_hi && !lo_open && !hi_open) {
        snprintf(buf, n, "%s %.15g..%.15g%s%s", tn, k->lo, k->hi, sep, unit);
    } else if (has_lo && has_hi) {
        snprintf(buf, n, "%s %s %.15g and %s %.15g%s%s", tn, lo_open ? ">" : ">=", k->lo,
                 hi_open ? "<" : "<=", k->hi, sep, unit);
    } else if (has_lo) {
        snprintf(buf, n, "%s %s %.15g%s%s", tn, lo_open ? ">" : ">=", k->lo, sep, unit);
    } else if (has_hi) {
        snprintf(buf, n, "%s %s %.15g%s%s", tn, hi_open ? "<" : "<=", k->hi, sep, unit);
    } else {
        snprintf(buf, n, "%s%s%s", tn, sep, unit);
    }
}

/* Finds group.key; records "missing" for an absent required key. *s is NULL when absent. */
static bool lookup(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                   const config_setting_t **s)
{
    *s = group ? config_setting_get_member(group, k->name) : NULL;
    if (*s || !k->is_required) {
        return true;
    }
    char allowed[512];
    cfg_allowed(k, allowed, sizeof allowed);
    cfg_error_key(c, group, k->name, "missing required key (%s)", allowed);
    return false;
}

static bool wrong_type(struct cfg *c, const config_setting_t *s, const struct cfg_key *k)
{
    char allowed[512];

    cfg_allowed(k, allowed, sizeof allowed);
    cfg_error(c, s, "%s where %s belongs (%s)", setting_type_name(s),
              k->type == CFG_INT ? "an integer" : k->type == CFG_REAL ? "a number"
              : k->type == CFG_BOOL                                  ? "a boolean"
              : k->type == CFG_GROUP                                 ? "a group"
              : k->type == CFG_LIST                                  ? "a list"
                                                                     : "a string",
              allowed);
    return false;
}

static bool in_range(const struct cfg_key *k, double v)
{
    if (isnan(v)) {
        return false;
    }
    if (k->flags & CFG_LO_OPEN ? !(v > k->lo) : !(v >= k->lo)) {
        return false;
    }
    if (k->flags & CFG_HI_OPEN ? !(v < k->hi) : !(v <= k->hi)) {
        return false;
    }
    return true;
}

static bool out_of_range(struct cfg *c, const config_setting_t *s, const struct cfg_key *k,
                         double v)
{
    char allowed[512];

    cfg_allowed(k, allowed, sizeof allowed);
    cfg_error(c, s, "%.15g is out of range (%s)", v, allowed);
    return false;
}

bool cfg_number(struct cfg *c, const config_setting_t *s, double *out)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        *out = (double)config_setting_get_int64(s);
        return true;
    case CONFIG_TYPE_FLOAT:
        *out = config_setting_get_float(s);
        if (!isfinite(*out)) {
            cfg_error(c, s, "value is not a finite number (real)");
            return false;
        }
        return true;
    default:
        cfg_error(c, s, "%s where a number belongs (real)", setting_type_name(s));
        return false;
    }
}

bool cfg_get_real(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  double *out)
{
    const config_setting_t *s;
    double v;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (!s) {
        *out = k->def;
        return true;
    }
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = (double)config_setting_get_int64(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        v = config_setting_get_float(s);
    } else {
        return wrong_type(c, s, k);
    }
    if (!in_range(k, v)) {
        return out_of_range(c, s, k, v);
    }
    *out = v;
    return true;
}

bool cfg_get_int(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                 long long *out)
{
    const config_setting_t *s;
    long long v;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (!s) {
        *out = (long long)k->def;
        return true;
    }
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = config_setting_get_int64(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        char allowed[512];
        cfg_allowed(k, allowed, sizeof allowed);
        cfg_error(c, s, "%g is not a whole number (%s)", config_setting_get_float(s), allowed);
        return false;
    } else {
        return wrong_type(c, s, k);
    }
    if (!in_range(k, (double)v)) {
        return out_of_range(c, s, k, (double)v);
    }
    *out = v;
    return true;
}

bool cfg_get_bool(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  bool *out)
{
    const config_setting_t *s;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (!s) {
        *out = k->def != 0.0;
        return true;
    }
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
        return wrong_type(c, s, k);
    }
    *out = config_setting_get_bool(s);
    return true;
}

bool cfg_get_string(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                    const char **out)
{
    const config_setting_t *s;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (!s) {
        *out = k->def_str;
        return true;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        return wrong_type(c, s, k);
    }
    *out = config_setting_get_string(s);
    return true;
}

bool cfg_get_choice(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                    int *out)
{
    const char *v;
    const config_setting_t *s = group ? config_setting_get_member(group, k->name) : NULL;

    if (!cfg_get_string(c, group, k, &v)) {
        return false;
    }
    if (!v) {
        *out = -1;
        return true;
    }
    for (int i = 0; k->choices[i]; i++) {
        if (strcmp(v, k->choices[i]) == 0) {
            *out = i;
            return true;
        }
    }
    char allowed[512];
    cfg_allowed(k, allowed, sizeof allowed);
    if (s) {
        cfg_error(c, s, "\"%s\" is not a known value (%s)", v, allowed);
    } else {
        cfg_error_key(c, group, k->name, "\"%s\" is not a known value (%s)", v, allowed);
    }
    return false;
}

bool cfg_get_group(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                   const config_setting_t **out)
{
    const config_setting_t *s;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (s && !config_setting_is_group(s)) {
        return wrong_type(c, s, k);
    }
    *out = s;
    return true;
}

bool cfg_get_list(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                  const config_setting_t **out)
{
    const config_setting_t *s;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (s && !config_setting_is_list(s) && !config_setting_is_array(s)) {
        return wrong_type(c, s, k);
    }
    *out = s;
    return true;
}
