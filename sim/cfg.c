#include "sim/cfg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "sim/xalloc.h"

/* ---- arena: origins and interned file names, freed together ------------------------------ */

struct cfg_block {
    struct cfg_block *next;
    size_t used, size;
    max_align_t data[];
};

static void *arena_alloc(struct cfg *c, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    struct cfg_block *b = c->arena;
    if (!b || b->size - b->used < n) {
        size_t size = n > 16384 ? n : 16384;
        b = xmalloc(sizeof *b + size);
        b->next = c->arena;
        b->used = 0;
        b->size = size;
        c->arena = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

static const char *arena_strdup(struct cfg *c, const char *text)
{
    size_t n = strlen(text) + 1;
    char *p = arena_alloc(c, n);
    memcpy(p, text, n);
    return p;
}

void cfg_init(struct cfg *c)
{
    config_init(&c->lc);
    c->path = NULL;
    c->is_loaded = false;
    diag_init(&c->diag);
    c->arena = NULL;
}

void cfg_fini(struct cfg *c)
{
    config_destroy(&c->lc);
    free(c->path);
    c->path = NULL;
    c->is_loaded = false;
    diag_fini(&c->diag);
    while (c->arena) {
        struct cfg_block *next = c->arena->next;
        free(c->arena);
        c->arena = next;
    }
}

/* ---- origins ------------------------------------------------------------------------------ */

void cfg_origin_of(const struct cfg *c, const config_setting_t *s, struct cfg_origin *out)
{
    if (!s) {
        /* A problem reported at a setting that is absent (cfg_error() at a missing member, or
         * cfg_error_key() in a missing group): the file, without a line (fuzz finding). */
        *out = (struct cfg_origin){.kind = CFG_FROM_FILE, .file = c->path};
        return;
    }
    const struct cfg_origin *o = config_setting_get_hook(s);

    if (o) {
        *out = *o;
        return;
    }
    const char *f = config_setting_source_file(s);
    int line = (int)config_setting_source_line(s);
    *out = (struct cfg_origin){
        .kind = CFG_FROM_FILE,
        .file = f ? f : c->path,
        .line = line > 0 ? line : 1, /* the root has line 0: report it at line 1 */
        .key = NULL,
        .source = NULL,
    };
}

/* The origin record of s, created from its file position when it has none yet. */
static struct cfg_origin *origin_for(struct cfg *c, config_setting_t *s)
{
    struct cfg_origin *o = config_setting_get_hook(s);

    if (!o) {
        struct cfg_origin tmp;
        cfg_origin_of(c, s, &tmp);
        o = arena_alloc(c, sizeof *o);
        *o = tmp;
        /* The file name may belong to a parsed tree that is freed before this one. */
        o->file = arena_strdup(c, tmp.file ? tmp.file : "");
        config_setting_set_hook(s, o);
    }
    return o;
}

/* ---- loading ------------------------------------------------------------------------------ */

static void join_path(const char *dir, const char *name, char *buf, size_t n);

/* dir: the include folder, to name an included file by its path from the working folder. */
static void record_parse_error(struct cfg *c, const config_t *lc, const char *path, const char *dir)
{
    const char *file = config_error_file(lc);
    const char *text = config_error_text(lc);
    int line = config_error_line(lc);
    char full[PATH_MAX];

    if (!file) {
        file = path;
    } else if (dir && strcmp(file, path) != 0) {
        join_path(dir, file, full, sizeof full);
        file = full;
    }
    if (text && strcmp(text, "syntax error") == 0) {
        diag_add(&c->diag, file, line, NULL,
                 "syntax error (check this line and the end of the one before it for a missing "
                 "';', quote or bracket)");
    } else {
        diag_add(&c->diag, file, line, NULL, "%s", text ? text : "cannot parse");
    }
}

/* The folder of path, "." for a bare file name. */
static void dir_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');

    if (!slash) {
        snprintf(buf, n, ".");
    } else if (slash == path) {
        snprintf(buf, n, "/");
    } else {
        snprintf(buf, n, "%.*s", (int)(slash - path), path);
    }
}

/* Removes "." components and "name/.." pairs from a path, in place, so that messages show
 * scenarios/base.cfg rather than tests/../scenarios/./base.cfg. */
static void tidy_path(char *path)
{
    char *parts[256];
    int n = 0;
    bool is_abs = path[0] == '/';
    char *save = NULL;

    for (char *t = strtok_r(path, "/", &save); t && n < 256; t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0) {
            continue;
        }
        if (strcmp(t, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0) {
            n--;
            continue;
        }
        if (strcmp(t, "..") == 0 && n == 0 && is_abs) {
            continue;
        }
        parts[n++] = t;
    }
    char out[PATH_MAX];
    size_t len = 0;
    out[0] = '\0';
    if (is_abs) {
        out[len++] = '/';
        out[len] = '\0';
    }
    for (int i = 0; i < n && len < sizeof out; i++) {
        int w = snprintf(out + len, sizeof out - len, "%s%s", i ? "/" : "", parts[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    if (len == 0) {
        snprintf(out, sizeof out, ".");
    }
    memcpy(path, out, strlen(out) + 1);
}

/* name resolved against dir unless absolute, tidied. */
static void join_path(const char *dir, const char *name, char *buf, size_t n)
{
    if (name[0] == '/' || !dir || strcmp(dir, ".") == 0) {
        snprintf(buf, n, "%s", name);
    } else {
        snprintf(buf, n, "%s/%s", dir, name);
    }
    if (buf[0]) {
        tidy_path(buf); /* never lengthens a non-empty path */
    }
}

/* Checks that path names a readable regular file of acceptable size; else explains in why. */
static bool file_ok(const char *path, char *why, size_t n)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        snprintf(why, n, "%s", strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(why, n, "is a folder, not a file");
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, n, "not a regular file");
        return false;
    }
    if (st.st_size > CFG_MAX_FILE_SIZE) {
        snprintf(why, n, "larger than %ld bytes", CFG_MAX_FILE_SIZE);
        return false;
    }
    if (access(path, R_OK) != 0) {
        snprintf(why, n, "%s", strerror(errno));
        return false;
    }
    return true;
}

/* Reads a whole small file; NULL with why set. */
static char *slurp(const char *path, char *why, size_t n)
{
    struct stat st;

    if (!file_ok(path, why, n)) {
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(why, n, "%s", strerror(errno));
        if (f) {
            fclose(f);
        }
        return NULL;
    }
    size_t size = st.st_size > 0 && st.st_size <= CFG_MAX_FILE_SIZE ? (size_t)st.st_size : 0;
    char *text = xmalloc(size + 1);
    size_t len = fread(text, 1, size, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(why, n, "read error");
        free(text);
        return NULL;
    }
    text[len] = '\0';
    return text;
}

/* Before libconfig follows an @include, checks that every included file (and every file they
 * include, up to CFG_MAX_DEPTH) is a readable regular file: libconfig would otherwise read a
 * device or a folder, or stop with a bare "cannot open include file". */
static bool check_includes(struct cfg *c, const char *file, const char *text, const char *dir,
                           int depth)
{
    bool ok = true;
    int line = 1;

    for (const char *p = text; *p; line++) {
        const char *eol = strchr(p, '\n');
        const char *q = p;
        while (*q == ' ' || *q == '\t') {
            q++;
        }
        if (strncmp(q, "@include", 8) == 0) {
            q += 8;
            while (*q == ' ' || *q == '\t') {
                q++;
            }
            const char *close = *q == '"' ? strchr(q + 1, '"') : NULL;
            if (close && (!eol || close < eol)) {
                char name[1024], path[2048], why[256];
                snprintf(name, sizeof name, "%.*s", (int)(close - q - 1), q + 1);
                join_path(dir, name, path, sizeof path);
                char *inc = NULL;
                if (depth >= CFG_MAX_DEPTH) {
                    diag_add(&c->diag, file, line, NULL,
                             "@include \"%s\": included files nest too deep (at most %d levels)",
                             name, CFG_MAX_DEPTH);
                    ok = false;
                } else if (!(inc = slurp(path, why, sizeof why))) {
                    diag_add(&c->diag, file, line, NULL,
                             "@include \"%s\": cannot read %s: %s (a file relative to %s)", name,
                             path, why, dir ? dir : "the working folder");
                    ok = false;
                } else {
                    ok &= check_includes(c, path, inc, dir, depth + 1);
                }
                free(inc);
            }
        }
        if (!eol) {
            break;
        }
        p = eol + 1;
    }
    return ok;
}

/* Deep copy of src as a new member (name) or element (name NULL) of parent, keeping origins,
 * or giving every copied setting the origin force when it is not NULL. */
static void copy_setting(struct cfg *c, config_setting_t *parent, const char *name,
                         config_setting_t *src, const struct cfg_origin *force)
{
    int type = config_setting_type(src);
    config_setting_t *d = config_setting_add(parent, name, type);

    if (!d) {
        return; /* cannot happen for names libconfig parsed; nothing sensible to add */
    }
    struct cfg_origin *o = arena_alloc(c, sizeof *o);
    *o = force ? *force : *origin_for(c, src);
    config_setting_set_hook(d, o);
    config_setting_set_format(d, config_setting_get_format(src));
    switch (type) {
    case CONFIG_TYPE_INT:
        config_setting_set_int(d, config_setting_get_int(src));
        break;
    case CONFIG_TYPE_INT64:
        config_setting_set_int64(d, config_setting_get_int64(src));
        break;
    case CONFIG_TYPE_FLOAT:
        config_setting_set_float(d, config_setting_get_float(src));
        break;
    case CONFIG_TYPE_STRING:
        config_setting_set_string(d, config_setting_get_string(src));
        break;
    case CONFIG_TYPE_BOOL:
        config_setting_set_bool(d, config_setting_get_bool(src));
        break;
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY:
        for (int i = 0; i < config_setting_length(src); i++) {
            config_setting_t *e = config_setting_get_elem(src, (unsigned)i);
            copy_setting(c, d, type == CONFIG_TYPE_GROUP ? config_setting_name(e) : NULL, e, force);
        }
        break;
    default:
        break;
    }
}

/* Fills dst (a file's tree) with what base has and dst lacks: groups merge key by key, any
 * other value in dst replaces the base's whole. */
static void underlay(struct cfg *c, config_setting_t *dst, config_setting_t *base)
{
    for (int i = 0; i < config_setting_length(base); i++) {
        config_setting_t *b = config_setting_get_elem(base, (unsigned)i);
        const char *name = config_setting_name(b);
        config_setting_t *d = config_setting_get_member(dst, name);
        if (!d) {
            copy_setting(c, dst, name, b, NULL);
        } else if (config_setting_is_group(d) && config_setting_is_group(b)) {
            underlay(c, d, b);
        }
    }
}

static bool set_in(struct cfg *c, config_t *lc, const char *assignment, const char *label);

/* Applies the root list `set = ["KEY=VALUE", ...]` of a file, in order, then removes it. */
static bool apply_file_sets(struct cfg *c, config_t *lc)
{
    config_setting_t *root = config_root_setting(lc);
    config_setting_t *list = config_setting_get_member(root, "set");
    bool ok = true;

    if (!list) {
        return true;
    }
    if (!config_setting_is_list(list) && !config_setting_is_array(list)) {
        cfg_error(c, list,
                  "not a list of overrides (a list of strings such as "
                  "[\"network.stations[0].servers=3\"])");
        return false;
    }
    for (int i = 0; i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            cfg_error(c, e, "not an override (a string \"KEY=VALUE\")");
            ok = false;
            continue;
        }
        struct cfg_origin o;
        char label[PATH_MAX + 32];
        cfg_origin_of(c, e, &o);
        snprintf(label, sizeof label, "%s:%d", o.file, o.line);
        ok &= set_in(c, lc, config_setting_get_string(e), label);
    }
    config_setting_remove(root, "set");
    return ok;
}

/* libconfig names a setting from an @include file by the path as written in the directive;
 * give such settings an origin with the path from the working folder, as for every other. */
static void name_included(struct cfg *c, config_setting_t *s, const char *path, const char *dir)
{
    const char *f = config_setting_source_file(s);

    if (f && strcmp(f, path) != 0 && !config_setting_get_hook(s)) {
        char full[PATH_MAX];
        join_path(dir, f, full, sizeof full);
        struct cfg_origin *o = origin_for(c, s);
        o->file = arena_strdup(c, full);
    }
    if (config_setting_is_aggregate(s)) {
        for (int i = 0; i < config_setting_length(s); i++) {
            name_included(c, config_setting_get_elem(s, (unsigned)i), path, dir);
        }
    }
}

struct chain {
    char real[CFG_MAX_DEPTH][PATH_MAX];  /* canonical paths, to detect a cycle */
    char shown[CFG_MAX_DEPTH][PATH_MAX]; /* as written, to report it */
    int n;
};

/* Parses path into lc (initialised by the caller) and resolves its base, recursively. */
static bool load_layer(struct cfg *c, config_t *lc, const char *path, struct chain *chain)
{
    char why[256], dir[PATH_MAX];

    char *text = slurp(path, why, sizeof why);
    if (!text) {
        diag_add(&c->diag, path, 0, NULL, "cannot read the scenario: %s", why);
        return false;
    }
    dir_of(path, dir, sizeof dir);
    bool ok = check_includes(c, path, text, dir, 1);
    free(text);
    if (!ok) {
        return false;
    }
    config_set_include_dir(lc, dir);
    if (config_read_file(lc, path) != CONFIG_TRUE) {
        record_parse_error(c, lc, path, dir);
        return false;
    }
    name_included(c, config_root_setting(lc), path, dir);

    config_setting_t *root = config_root_setting(lc);
    config_setting_t *bs = config_setting_get_member(root, "base");
    if (!bs) {
        return apply_file_sets(c, lc);
    }
    if (config_setting_type(bs) != CONFIG_TYPE_STRING) {
        cfg_error(c, bs, "not a file name (a string: the scenario this one starts from)");
        return false;
    }
    char bpath[PATH_MAX + 1024], breal[PATH_MAX];
    join_path(dir, config_setting_get_string(bs), bpath, sizeof bpath);
    bool readable = file_ok(bpath, why, sizeof why);
    if (readable && !realpath(bpath, breal)) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        readable = false;
    }
    if (!readable) {
        cfg_error(c, bs, "cannot read %s: %s (a scenario file, relative to %s)", bpath, why, dir);
        return false;
    }
    for (int i = 0; i < chain->n; i++) {
        if (strcmp(chain->real[i], breal) == 0) {
            char cycle[2048] = "";
            size_t len = 0;
            for (int j = i; j < chain->n && len < sizeof cycle; j++) {
                int w = snprintf(cycle + len, sizeof cycle - len, "%s -> ", chain->shown[j]);
                len += w > 0 ? (size_t)w : 0;
            }
            if (len < sizeof cycle) {
                snprintf(cycle + len, sizeof cycle - len, "%.*s", (int)(sizeof cycle - len - 1),
                         bpath);
            }
            cfg_error(c, bs,
                      "base files form a cycle: %s (each base must lead to a scenario "
                      "without base)",
                      cycle);
            return false;
        }
    }
    if (chain->n >= CFG_MAX_DEPTH) {
        cfg_error(c, bs, "base files nest too deep (at most %d levels)", CFG_MAX_DEPTH);
        return false;
    }
    snprintf(chain->real[chain->n], PATH_MAX, "%s", breal);
    snprintf(chain->shown[chain->n++], PATH_MAX, "%.*s", PATH_MAX - 1, bpath);

    config_t blc;
    config_init(&blc);
    ok = load_layer(c, &blc, bpath, chain);
    chain->n--;
    if (ok) {
        config_setting_t *broot = config_root_setting(&blc);
        config_setting_remove(root, "base");
        underlay(c, root, broot);
    }
    config_destroy(&blc);
    return ok && apply_file_sets(c, lc);
}

bool cfg_load_file(struct cfg *c, const char *path)
{
    struct chain *chain = xcalloc(1, sizeof *chain);

    free(c->path);
    c->path = xstrdup(path);
    if (!realpath(path, chain->real[0])) {
        snprintf(chain->real[0], PATH_MAX, "%s", path);
    }
    snprintf(chain->shown[0], PATH_MAX, "%s", path);
    chain->n = 1;
    bool ok = load_layer(c, &c->lc, path, chain);
    free(chain);
    c->is_loaded = ok;
    return ok;
}

bool cfg_load_string(struct cfg *c, const char *name, const char *text)
{
    free(c->path);
    c->path = xstrdup(name);
    if (!check_includes(c, name, text, NULL, 1)) {
        return false;
    }
    if (config_read_string(&c->lc, text) != CONFIG_TRUE) {
        record_parse_error(c, &c->lc, name, NULL);
        return false;
    }
    const config_setting_t *bs = config_setting_get_member(config_root_setting(&c->lc), "base");
    if (bs) {
        cfg_error(c, bs, "base is followed only in scenario files (load from a file)");
        return false;
    }
    c->is_loaded = apply_file_sets(c, &c->lc);
    return c->is_loaded;
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

void cfg_error(struct cfg *c, const config_setting_t *s, const char *fmt, ...)
{
    char path[512];
    char text[768];
    va_list ap;

    struct cfg_origin o;

    cfg_origin_of(c, s, &o);
    cfg_path(s, path, sizeof path);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_add(&c->diag, o.file, o.line, path[0] ? path : NULL, "%s", text);
}

void cfg_error_key(struct cfg *c, const config_setting_t *group, const char *name, const char *fmt,
                   ...)
{
    char path[512];
    char key[640];
    char text[768];
    va_list ap;

    struct cfg_origin o = {.kind = CFG_FROM_FILE, .file = c->path, .line = 1};

    path[0] = '\0';
    if (group) { /* NULL: the key's group itself is absent; report at the file */
        cfg_origin_of(c, group, &o);
        cfg_path(group, path, sizeof path);
    }
    snprintf(key, sizeof key, "%s%s%s", path, path[0] ? "." : "", name);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_add(&c->diag, o.file, o.line, key, "%s", text);
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

/* Finds group.key; records "missing" for an absent required key. *s is NULL when absent. A
 * present setting is noted as read by k. */
static bool lookup(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                   const config_setting_t **s)
{
    *s = group ? config_setting_get_member(group, k->name) : NULL;
    if (*s) {
        /* The tree is the cfg's own; origins are bookkeeping beside the values. */
        origin_for(c, (config_setting_t *)*s)->key = k;
        return true;
    }
    if (!k->is_required) {
        return true;
    }
    char allowed[512];
    cfg_allowed(k, allowed, sizeof allowed);
    cfg_error_key(c, group, k->name, "missing required key (%s)", allowed);
    return false;
}

static void fill_value(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                       double v, const char *text, const char *source);

/* Adds k's default to group, so that the resolved tree shows every value the model used. */
static void fill_default(struct cfg *c, const config_setting_t *group, const struct cfg_key *k)
{
    fill_value(c, group, k, k->def, k->def_str, NULL);
}

void cfg_fill(struct cfg *c, const config_setting_t *group, const struct cfg_key *k, double v,
              const char *text, const char *source)
{
    fill_value(c, group, k, v, text, source);
}

static void fill_value(struct cfg *c, const config_setting_t *group, const struct cfg_key *k,
                       double v, const char *text, const char *source)
{
    config_setting_t *g = (config_setting_t *)group;
    config_setting_t *d = NULL;

    if (!g || !config_setting_is_group(g) || config_setting_get_member(g, k->name)) {
        return;
    }
    switch (k->type) {
    case CFG_REAL:
        if ((d = config_setting_add(g, k->name, CONFIG_TYPE_FLOAT))) {
            config_setting_set_float(d, v);
        }
        break;
    case CFG_INT:
        if (fabs(v) < 2147483647.0) {
            if ((d = config_setting_add(g, k->name, CONFIG_TYPE_INT))) {
                config_setting_set_int(d, (int)v);
            }
        } else if ((d = config_setting_add(g, k->name, CONFIG_TYPE_INT64))) {
            config_setting_set_int64(d, (long long)v);
        }
        break;
    case CFG_BOOL:
        if ((d = config_setting_add(g, k->name, CONFIG_TYPE_BOOL))) {
            config_setting_set_bool(d, v != 0.0);
        }
        break;
    case CFG_STRING:
    case CFG_CHOICE:
        if (text && (d = config_setting_add(g, k->name, CONFIG_TYPE_STRING))) {
            config_setting_set_string(d, text);
        }
        break;
    case CFG_GROUP:
    case CFG_LIST:
        break;
    }
    if (d) {
        struct cfg_origin *o = arena_alloc(c, sizeof *o);
        cfg_origin_of(c, group, o);
        o->kind = CFG_FROM_DEFAULT;
        o->key = k;
        o->source = source;
        config_setting_set_hook(d, o);
    }
}

static bool wrong_type(struct cfg *c, const config_setting_t *s, const struct cfg_key *k)
{
    char allowed[512];

    cfg_allowed(k, allowed, sizeof allowed);
    cfg_error(c, s, "%s where %s belongs (%s)", setting_type_name(s),
              k->type == CFG_INT     ? "an integer"
              : k->type == CFG_REAL  ? "a number"
              : k->type == CFG_BOOL  ? "a boolean"
              : k->type == CFG_GROUP ? "a group"
              : k->type == CFG_LIST  ? "a list"
                                     : "a string",
              allowed);
    return false;
}

static bool in_range(const struct cfg_key *k, double v)
{
    /* Not finite: 1e999 reads as inf, which no scenario file can hold (fuzz finding). */
    if (!isfinite(v)) {
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
        fill_default(c, group, k);
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
        fill_default(c, group, k);
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

bool cfg_get_bool(struct cfg *c, const config_setting_t *group, const struct cfg_key *k, bool *out)
{
    const config_setting_t *s;

    if (!lookup(c, group, k, &s)) {
        return false;
    }
    if (!s) {
        *out = k->def != 0.0;
        fill_default(c, group, k);
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
        fill_default(c, group, k);
        return true;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        return wrong_type(c, s, k);
    }
    *out = config_setting_get_string(s);
    return true;
}

bool cfg_get_choice(struct cfg *c, const config_setting_t *group, const struct cfg_key *k, int *out)
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

/* ---- command-line overrides --------------------------------------------------------------- */

/* Parses VALUE of --set into a one-key tree; a bare word that is not scenario syntax is taken
 * as a string. Returns the setting (owned by lc) or NULL. */
static config_setting_t *parse_set_value(config_t *lc, const char *value)
{
    size_t n = strlen(value);
    char *text = xmalloc(n + 16);

    snprintf(text, n + 16, "v = %s;", value);
    /* A value with a line starting "@include" (a set entry can hold "\n@include ...") would
     * make libconfig read a file that check_includes() never saw: a FIFO blocks forever (found
     * while fuzzing). No value needs one. */
    bool has_include = false;
    for (const char *nl = strchr(text, '\n'); nl && !has_include; nl = strchr(nl + 1, '\n')) {
        const char *q = nl + 1;
        q += strspn(q, " \t");
        has_include = strncmp(q, "@include", 8) == 0;
    }
    bool ok = !has_include && config_read_string(lc, text) == CONFIG_TRUE;
    if (!ok && n > 0 && strcspn(value, "\"{}()[];=,:#/\\\n") == n) {
        config_destroy(lc);
        config_init(lc);
        config_setting_t *v = config_setting_add(config_root_setting(lc), "v", CONFIG_TYPE_STRING);
        if (v) {
            config_setting_set_string(v, value);
            ok = true;
        }
    }
    free(text);
    return ok ? config_setting_get_member(config_root_setting(lc), "v") : NULL;
}

/* Whether name can be a scenario key. */
static bool is_key_name(const char *name, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)name[0]) || name[0] == '*')) {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (!(isalnum(ch) || ch == '_' || ch == '-' || ch == '*')) {
            return false;
        }
    }
    return true;
}

bool cfg_set(struct cfg *c, const char *assignment)
{
    return cfg_set_as(c, assignment, NULL);
}

bool cfg_set_as(struct cfg *c, const char *assignment, const char *option)
{
    char opt[1024];

    if (option) {
        snprintf(opt, sizeof opt, "%s", option);
    } else {
        snprintf(opt, sizeof opt, "--set %s", assignment);
    }
    if (!c->is_loaded) {
        diag_add(&c->diag, opt, 0, NULL, "no scenario loaded");
        return false;
    }
    return set_in(c, &c->lc, assignment, opt);
}

/* Applies KEY=VALUE to the tree lc; label names the option in messages and origins. */
static bool set_in(struct cfg *c, config_t *lc, const char *assignment, const char *label)
{
    const char *eq = strchr(assignment, '=');
    const char *where = arena_strdup(c, label);
    const struct cfg_origin from_set = {.kind = CFG_FROM_SET, .file = where, .line = 0};
    if (!eq || eq == assignment) {
        diag_add(&c->diag, where, 0, NULL, "not KEY=VALUE (for example hospital.beds=18)");
        return false;
    }

    config_t vlc;
    config_init(&vlc);
    config_setting_t *value = parse_set_value(&vlc, eq + 1);
    if (!value) {
        diag_add(&c->diag, where, 0, NULL,
                 "cannot read the value '%s' (a number, \"text\", a bare word, true or false, "
                 "[list], or { group })",
                 eq + 1);
        config_destroy(&vlc);
        return false;
    }

    /* Walk the path: name (.name | [index])* */
    config_setting_t *cur = config_root_setting(lc);
    const char *p = assignment;
    char key[512] = "";
    bool ok = true;
    while (ok && p < eq) {
        bool is_index = *p == '[';
        char part[256];
        long idx = -1;
        size_t len;
        if (is_index) {
            char *end;
            errno = 0;
            idx = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || end > eq || errno || idx < 0) {
                diag_add(&c->diag, where, 0, NULL, "bad list index in the key (name[0].key)");
                ok = false;
                break;
            }
            len = (size_t)(end + 1 - p);
        } else {
            len = strcspn(p, ".[=");
            if (!is_key_name(p, len) || len >= sizeof part) {
                diag_add(&c->diag, where, 0, NULL,
                         "'%.*s' is not a key name (letters, digits, '_' and '-', starting with "
                         "a letter)",
                         (int)len, p);
                ok = false;
                break;
            }
        }
        snprintf(part, sizeof part, "%.*s", (int)len, p);
        /* base and set act only while a file loads: set, they would be ignored, but written to
         * the resolved file that then loads differently; a set entry could also free the list it
         * is read from (fuzz findings). */
        if (!is_index && cur == config_root_setting(lc) &&
            (strcmp(part, "base") == 0 || strcmp(part, "set") == 0)) {
            diag_add(&c->diag, where, 0, part,
                     "cannot be overridden (it is read when a file is loaded; give it in the "
                     "scenario file)");
            ok = false;
            break;
        }
        const char *next = p + len;
        bool is_last = next == eq;
        size_t kl = strlen(key);
        snprintf(key + kl, sizeof key - kl, "%s%s", (!is_index && kl) ? "." : "", part);

        if (is_index) {
            if (!config_setting_is_list(cur) && !config_setting_is_array(cur)) {
                diag_add(&c->diag, where, 0, key, "not a list, so it has no elements");
                ok = false;
            } else if (idx >= config_setting_length(cur)) {
                diag_add(&c->diag, where, 0, key, "no such element (the list has %d)",
                         config_setting_length(cur));
                ok = false;
            } else if (is_last) {
                config_setting_t *e = config_setting_get_elem(cur, (unsigned)idx);
                if (config_setting_is_aggregate(e) ||
                    config_setting_type(value) != config_setting_type(e)) {
                    diag_add(&c->diag, where, 0, key,
                             "a list element can be replaced only by a value of its own type "
                             "(set the keys inside it instead)");
                    ok = false;
                } else {
                    /* Same scalar type: rebuild the list with the new element. */
                    config_setting_t *list = cur;
                    int n = config_setting_length(list);
                    config_t tmp;
                    config_init(&tmp);
                    config_setting_t *keep = config_setting_add(config_root_setting(&tmp), "l",
                                                                config_setting_type(list));
                    for (int i = 0; i < n; i++) {
                        copy_setting(c, keep, NULL,
                                     i == idx ? value : config_setting_get_elem(list, (unsigned)i),
                                     i == idx ? &from_set : NULL);
                    }
                    while (config_setting_length(list) > 0) {
                        config_setting_remove_elem(list, 0);
                    }
                    for (int i = 0; i < n; i++) {
                        copy_setting(c, list, NULL, config_setting_get_elem(keep, (unsigned)i),
                                     NULL);
                    }
                    config_destroy(&tmp);
                }
            } else {
                cur = config_setting_get_elem(cur, (unsigned)idx);
            }
        } else {
            if (!config_setting_is_group(cur)) {
                diag_add(&c->diag, where, 0, key, "its parent is not a group, so it has no keys");
                ok = false;
            } else if (is_last) {
                config_setting_remove(cur, part);
                copy_setting(c, cur, part, value, &from_set);
            } else {
                config_setting_t *m = config_setting_get_member(cur, part);
                if (!m) {
                    m = config_setting_add(cur, part, CONFIG_TYPE_GROUP);
                    if (!m) {
                        diag_add(&c->diag, where, 0, key, "cannot be created here");
                        ok = false;
                        break;
                    }
                    struct cfg_origin *o = arena_alloc(c, sizeof *o);
                    *o = from_set;
                    config_setting_set_hook(m, o);
                }
                cur = m;
            }
        }
        p = next;
        if (*p == '.') {
            p++;
            if (p == eq) { /* "network.=1" */
                diag_add(&c->diag, where, 0, key,
                         "the key ends with '.' (a dotted path such as hospital.beds)");
                ok = false;
            }
        }
    }
    config_destroy(&vlc);
    return ok;
}

void cfg_resolve_path(const struct cfg *c, const config_setting_t *s, const char *name, char *buf,
                      size_t n)
{
    struct cfg_origin o;
    char dir[PATH_MAX];

    cfg_origin_of(c, s, &o);
    if (o.kind == CFG_FROM_FILE && o.file) {
        dir_of(o.file, dir, sizeof dir);
    } else {
        snprintf(dir, sizeof dir, "."); /* --set and defaults: the working folder */
    }
    join_path(dir, name, buf, n);
}
