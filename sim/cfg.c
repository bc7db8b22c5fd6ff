#include "sim/cfg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <strings.h>
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

/* Whether the path made of the first n parts is a symlink ("name/.." then does not cancel). */
static bool parts_are_link(char *const *parts, int n, bool is_abs)
{
    char buf[PATH_MAX];
    size_t len = 0;
    struct stat st;

    buf[0] = '\0';
    if (is_abs) {
        buf[len++] = '/';
        buf[len] = '\0';
    }
    for (int i = 0; i < n && len < sizeof buf; i++) {
        int w = snprintf(buf + len, sizeof buf - len, "%s%s", i ? "/" : "", parts[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    return len < sizeof buf && lstat(buf, &st) == 0 && S_ISLNK(st.st_mode);
}

/* Removes "." components and "name/.." pairs from a path, in place, so that messages show
 * scenarios/base.cfg rather than tests/../scenarios/./base.cfg. A "link/.." pair stays: through
 * a symlink, ".." is the parent of the link's target, so the shorter path would name another
 * file. */
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
        if (strcmp(t, "..") == 0 && n > 0 && strcmp(parts[n - 1], "..") != 0 &&
            !parts_are_link(parts, n, is_abs)) {
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

/* ---- reading scenario text ---------------------------------------------------------------- */

/* Opens path without blocking (open(2) of a FIFO would wait for a writer) and checks, on the
 * open file itself, that it is a regular file of at most CFG_MAX_FILE_SIZE bytes: the file
 * checked is the file read, whatever symlinks and ".." along the path do. Returns its text,
 * NUL-terminated, *len bytes (which may hold NUL bytes), with *st; or NULL with why set. */
static char *source_read(const char *path, size_t *len, struct stat *st, char *why, size_t n)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

    if (fd < 0) {
        snprintf(why, n, "%s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, st) != 0) {
        snprintf(why, n, "%s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (S_ISDIR(st->st_mode)) {
        snprintf(why, n, "is a folder, not a file");
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st->st_mode)) {
        snprintf(why, n, "%s, not a regular file",
                 S_ISFIFO(st->st_mode)                          ? "a FIFO"
                 : S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode) ? "a device"
                 : S_ISSOCK(st->st_mode)                        ? "a socket"
                                                                : "a special file");
        close(fd);
        return NULL;
    }
    if (st->st_size > CFG_MAX_FILE_SIZE) {
        snprintf(why, n, "%lld bytes, more than a scenario file may hold (%ld bytes, 1 MiB)",
                 (long long)st->st_size, CFG_MAX_FILE_SIZE);
        close(fd);
        return NULL;
    }
    /* Read to the end, not st_size bytes: the file may be growing. */
    size_t cap = (size_t)st->st_size + 1, used = 0;
    char *text = xmalloc(cap + 1);
    for (;;) {
        if (used == cap) {
            if (cap > (size_t)CFG_MAX_FILE_SIZE) {
                snprintf(why, n, "more than a scenario file may hold (%ld bytes, 1 MiB)",
                         CFG_MAX_FILE_SIZE);
                free(text);
                close(fd);
                return NULL;
            }
            cap *= 2;
            text = xrealloc(text, cap + 1);
        }
        ssize_t got = read(fd, text + used, cap - used);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            snprintf(why, n, "%s", strerror(errno));
            free(text);
            close(fd);
            return NULL;
        }
        if (got == 0) {
            break;
        }
        used += (size_t)got;
    }
    close(fd);
    if (used > (size_t)CFG_MAX_FILE_SIZE) {
        snprintf(why, n, "more than a scenario file may hold (%ld bytes, 1 MiB)",
                 CFG_MAX_FILE_SIZE);
        free(text);
        return NULL;
    }
    text[used] = '\0';
    *len = used;
    return text;
}

/*
 * The scanner reads scenario text before libconfig does, with libconfig's own token rules
 * (comments, strings, names, numbers, the @include directive at the start of a line), and
 * writes the text libconfig parses. It exists because libconfig 1.5 alone:
 *  - wraps integers beyond 32 bits without a word (4294967306 reads as 10): a plain integer
 *    beyond 32 bits gets the 64-bit suffix L, and one beyond 64 bits, which no key allows,
 *    becomes a real (so that a real key reads it, and an integer key says it is out of range);
 *  - follows @include by opening the path itself, after any check of ours (a FIFO blocks it):
 *    the scanner follows @include itself, on the file it checked, and libconfig never sees one;
 *  - takes time that grows with the square of a long string and of a group's number of keys;
 *  - reports a duplicate key, or a parser stack overflow, without the key.
 * Problems are reported with the key's path (tracked through groups, lists and arrays), in file
 * order. The output keeps every line break, and a map gives the file and line of each output
 * line, so libconfig's line numbers lead back to the file that was read.
 */
#define SCAN_KEY_MAX 128

struct scan_frame {
    char kind;              /* '{' group (and the root), '(' list, '[' array */
    int id;                 /* group number, for duplicate keys */
    int n_keys;             /* keys defined so far (groups) */
    int index;              /* current element (lists and arrays) */
    size_t base;            /* length of the enclosing frame's path */
    bool has_key;           /* key holds the setting being defined (groups) */
    char key[SCAN_KEY_MAX]; /* that setting's name */
};

struct scan_name {
    uint64_t hash; /* 0: empty slot */
    int group;
    size_t off, len; /* the name in pool */
    const char *file;
    int line;
};

struct scan {
    struct cfg *c;
    char *out; /* the text for libconfig */
    size_t len, cap;
    const char **map_file; /* output line i + 1 comes from map_file[i]:map_line[i] */
    int *map_line;
    size_t n_map, cap_map;
    const char *dir;   /* folder @include names are relative to; NULL: the working folder */
    bool is_set;       /* a --set value: no @include, no line numbers */
    int include_depth; /* files being read, the first included one is 1 */
    size_t n_read;     /* bytes of source text read, all files together */
    struct scan_frame frames[CFG_MAX_NESTING + 1];
    int depth; /* frames[depth] is the current one; frames[0] is the root */
    int n_groups;
    char path[1024]; /* the current frame's path */
    char cand[SCAN_KEY_MAX];
    bool after_name;   /* the last token was a name (cand), which '=' or ':' makes a key */
    bool after_string; /* the last token was a string: a following one continues it */
    size_t str_total;  /* bytes of the string value being read (adjacent strings join) */
    bool str_reported;
    int last_multiline, last_multiline_end; /* the first string that spans lines, if any */
    size_t *arr_ints; /* ends of plain integers in the current array, for widening */
    size_t n_arr_ints, cap_arr_ints;
    bool arr_wide; /* the current array's integers are 64-bit */
    struct scan_name *tab;
    size_t tab_cap, tab_n;
    char *pool;
    size_t pool_len, pool_cap;
    bool ok;
};

static void scan_put(struct scan *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        while (s->len + n + 1 > s->cap) {
            s->cap = s->cap ? 2 * s->cap : 4096;
        }
        s->out = xrealloc(s->out, s->cap);
    }
    memcpy(s->out + s->len, p, n);
    s->len += n;
    s->out[s->len] = '\0';
}

/* Starts output line n_map + 1, which holds text from file:line. */
static void scan_map(struct scan *s, const char *file, int line)
{
    if (s->n_map == s->cap_map) {
        s->cap_map = s->cap_map ? 2 * s->cap_map : 256;
        s->map_file = xrealloc(s->map_file, s->cap_map * sizeof *s->map_file);
        s->map_line = xrealloc(s->map_line, s->cap_map * sizeof *s->map_line);
    }
    s->map_file[s->n_map] = file;
    s->map_line[s->n_map++] = line;
}

/* A line break of file, whose next line is line. */
static void scan_newline(struct scan *s, const char *file, int line)
{
    scan_put(s, "\n", 1);
    scan_map(s, file, line);
}

/* The file and line of output line line (1-based). */
static void scan_where(const struct scan *s, int line, const char **file, int *fline)
{
    size_t i = line >= 1 ? (size_t)line - 1 : 0;

    if (i >= s->n_map) {
        i = s->n_map - 1;
    }
    *file = s->map_file[i];
    *fline = s->map_line[i];
}

/* The path of the value being read: "group.key" in a group, "list[i]" in a list; "" when a
 * group has no key yet. */
static void scan_value_path(const struct scan *s, char *buf, size_t n)
{
    const struct scan_frame *f = &s->frames[s->depth];

    if (f->kind == '{') {
        if (f->has_key) {
            snprintf(buf, n, "%s%s%s", s->path, s->path[0] ? "." : "", f->key);
        } else {
            snprintf(buf, n, "%s", s->path);
        }
    } else {
        snprintf(buf, n, "%s[%d]", s->path, f->index);
    }
}

static void scan_error(struct scan *s, const char *file, int line, bool with_key, const char *fmt,
                       ...) __attribute__((format(printf, 5, 6)));

static void scan_error(struct scan *s, const char *file, int line, bool with_key, const char *fmt,
                       ...)
{
    char key[1200] = "", text[768];
    va_list ap;

    if (with_key && !s->is_set) { /* an override's label already names its key */
        scan_value_path(s, key, sizeof key);
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_add(&s->c->diag, file, s->is_set ? 0 : line, key[0] ? key : NULL, "%s", text);
    s->ok = false;
}

static uint64_t scan_hash(int group, const char *name, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)group; /* FNV-1a */

    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)name[i]) * 1099511628211ULL;
    }
    return h ? h : 1;
}

/* Notes key name defined at file:line in the current group; reports a second definition. */
static void scan_define(struct scan *s, const char *name, const char *file, int line)
{
    struct scan_frame *f = &s->frames[s->depth];
    size_t n = strlen(name);

    if (++f->n_keys == CFG_MAX_GROUP_KEYS + 1) {
        scan_error(s, file, line, false,
                   "%s holds more than %d keys (a group holds at most %d; no scenario needs "
                   "more)",
                   s->path[0] ? s->path : "the top level", CFG_MAX_GROUP_KEYS, CFG_MAX_GROUP_KEYS);
    }
    if (2 * (s->tab_n + 1) > s->tab_cap) {
        size_t cap = s->tab_cap ? 2 * s->tab_cap : 256;
        struct scan_name *tab = xcalloc(cap, sizeof *tab);
        for (size_t i = 0; i < s->tab_cap; i++) {
            if (s->tab[i].hash) {
                size_t j = s->tab[i].hash & (cap - 1);
                while (tab[j].hash) {
                    j = (j + 1) & (cap - 1);
                }
                tab[j] = s->tab[i];
            }
        }
        free(s->tab);
        s->tab = tab;
        s->tab_cap = cap;
    }
    uint64_t h = scan_hash(f->id, name, n);
    size_t j = h & (s->tab_cap - 1);
    for (; s->tab[j].hash; j = (j + 1) & (s->tab_cap - 1)) {
        const struct scan_name *e = &s->tab[j];
        if (e->hash == h && e->group == f->id && e->len == n &&
            memcmp(s->pool + e->off, name, n) == 0) {
            char where[PATH_MAX + 32];
            if (s->is_set) {
                snprintf(where, sizeof where, "earlier in the value");
            } else {
                snprintf(where, sizeof where, "first at %s:%d", e->file, e->line);
            }
            scan_error(s, file, line, true,
                       "set twice in the same group (%s; each key once; to override a base "
                       "file's value use base = or set = )",
                       where);
            return;
        }
    }
    if (s->pool_len + n > s->pool_cap) {
        while (s->pool_len + n > s->pool_cap) {
            s->pool_cap = s->pool_cap ? 2 * s->pool_cap : 4096;
        }
        s->pool = xrealloc(s->pool, s->pool_cap);
    }
    memcpy(s->pool + s->pool_len, name, n);
    s->tab[j] = (struct scan_name){
        .hash = h, .group = f->id, .off = s->pool_len, .len = n, .file = file, .line = line};
    s->pool_len += n;
    s->tab_n++;
}

/* Inserts the suffix L after every plain integer of the current array so far: libconfig 1.5
 * refuses an array that mixes 32-bit and 64-bit integers. Each byte moves once. */
static void scan_widen_array(struct scan *s)
{
    size_t k = s->n_arr_ints;

    if (s->len + k + 1 > s->cap) {
        /* Doubled, not grown by a page: a file of many integer arrays stays linear. */
        while (s->len + k + 1 > s->cap) {
            s->cap = s->cap ? 2 * s->cap : 4096;
        }
        s->out = xrealloc(s->out, s->cap);
    }
    size_t src_end = s->len;
    for (size_t j = k; j-- > 0;) {
        size_t p = s->arr_ints[j];
        memmove(s->out + p + j + 1, s->out + p, src_end - p);
        s->out[p + j] = 'L';
        src_end = p;
    }
    s->len += k;
    s->out[s->len] = '\0';
    s->n_arr_ints = 0;
    s->arr_wide = true;
}

/* Length of libconfig's longest number token at p (float, integer, hex, with an optional L
 * or LL), 0 if none. *kind is 'f', 'i' or 'x'; *has_l says whether it ends with L. */
static size_t scan_number(const char *p, const char *end, char *kind, bool *has_l)
{
    const char *q = p;
    size_t best = 0;

    *has_l = false;
    if (q < end && (*q == '+' || *q == '-')) {
        q++;
    }
    const char *d0 = q;
    while (q < end && isdigit((unsigned char)*q)) {
        q++;
    }
    size_t nd = (size_t)(q - d0);
    if (nd > 0) {
        best = (size_t)(q - p);
        *kind = 'i';
    }
    if (p == d0 && nd == 1 && *d0 == '0' && q < end && (*q == 'x' || *q == 'X')) {
        const char *h = q + 1;
        while (h < end && isxdigit((unsigned char)*h)) {
            h++;
        }
        if (h > q + 1) {
            best = (size_t)(h - p);
            *kind = 'x';
        }
    }
    const char *f = q;
    bool is_float = false;
    if (f < end && *f == '.') {
        f++;
        while (f < end && isdigit((unsigned char)*f)) {
            f++;
        }
        is_float = true;
    }
    if ((nd > 0 || is_float) && f < end && (*f == 'e' || *f == 'E')) {
        const char *e = f + 1;
        if (e < end && (*e == '+' || *e == '-')) {
            e++;
        }
        const char *e0 = e;
        while (e < end && isdigit((unsigned char)*e)) {
            e++;
        }
        if (e > e0) {
            f = e;
            is_float = true;
        }
    }
    if (is_float && (size_t)(f - p) > best) {
        *kind = 'f';
        return (size_t)(f - p);
    }
    if (best > 0 && p + best < end && p[best] == 'L') {
        best++;
        *has_l = true;
        if (p + best < end && p[best] == 'L') {
            best++;
        }
    }
    return best;
}

/* Writes the integer token tok (n bytes, kind 'i' or 'x') so that libconfig reads its true
 * value, or reports it. */
static void scan_integer(struct scan *s, const char *tok, size_t n, char kind, bool has_l,
                         const char *file, int line)
{
    bool is_neg = tok[0] == '-';
    const char *d = tok + (tok[0] == '-' || tok[0] == '+');
    size_t nd = n - (size_t)(d - tok) - (has_l ? (tok[n - 2] == 'L' ? 2 : 1) : 0);
    unsigned long long v = 0;
    bool is_over = false; /* beyond 2^64 */

    if (kind == 'x') {
        d += 2;
        nd -= 2;
    }
    for (size_t i = 0; i < nd; i++) {
        unsigned digit = kind == 'x' ? (unsigned)(isdigit((unsigned char)d[i])
                                                      ? d[i] - '0'
                                                      : (tolower((unsigned char)d[i]) - 'a' + 10))
                                     : (unsigned)(d[i] - '0');
        unsigned base = kind == 'x' ? 16 : 10;
        if (v > (ULLONG_MAX - digit) / base) {
            is_over = true;
            break;
        }
        v = v * base + digit;
    }
    bool fits32 = !is_over && (is_neg ? v <= 2147483648ULL : v <= 2147483647ULL);
    bool fits64 = !is_over && (is_neg ? v <= 9223372036854775808ULL : v <= 9223372036854775807ULL);
    bool in_array = s->frames[s->depth].kind == '[';
    size_t digits_end = (size_t)(d - tok) + nd;

    if (!fits64) {
        if (in_array || kind == 'x') {
            scan_error(s, file, line, true,
                       "%.*s is out of range (integers are -9223372036854775808.."
                       "9223372036854775807)",
                       (int)digits_end, tok);
            return;
        }
        /* A real: a real key reads it as it is; an integer key reports it out of range. */
        scan_put(s, tok, digits_end);
        scan_put(s, ".0", 2);
        return;
    }
    bool wide = has_l || !fits32;
    if (in_array && (wide || s->arr_wide) && !s->arr_wide) {
        scan_widen_array(s);
    }
    scan_put(s, tok, n);
    if (!has_l && (wide || (in_array && s->arr_wide))) {
        scan_put(s, "L", 1);
    } else if (in_array && !s->arr_wide) {
        if (s->n_arr_ints == s->cap_arr_ints) {
            s->cap_arr_ints = s->cap_arr_ints ? 2 * s->cap_arr_ints : 64;
            s->arr_ints = xrealloc(s->arr_ints, s->cap_arr_ints * sizeof *s->arr_ints);
        }
        s->arr_ints[s->n_arr_ints++] = s->len;
    }
}

static bool is_name_start(char ch)
{
    return isalpha((unsigned char)ch) || ch == '*';
}

static bool is_name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '*' || ch == '_' || ch == '-';
}

static void scan_text(struct scan *s, const char *file, const char *text, size_t len);

/* Follows the @include of file:line whose name (unescaped) is name. */
static void scan_include(struct scan *s, const char *file, int line, const char *name)
{
    char path[PATH_MAX + 1024], shown[PATH_MAX + 1024], why[256];
    const char *dir = s->dir ? s->dir : ".";

    if (s->is_set) {
        scan_error(s, file, line, false,
                   "@include \"%s\": not allowed in an override (give it in a scenario file)",
                   name);
        return;
    }
    if (s->include_depth >= CFG_MAX_DEPTH) {
        scan_error(s, file, line, false,
                   "@include \"%s\": included files nest too deep (at most %d levels)", name,
                   CFG_MAX_DEPTH);
        return;
    }
    /* The path opened is the path as written: the kernel resolves "..", through symlinks. */
    if (name[0] == '/' || strcmp(dir, ".") == 0) {
        snprintf(path, sizeof path, "%s", name);
    } else {
        snprintf(path, sizeof path, "%s/%s", dir, name);
    }
    join_path(dir, name, shown, sizeof shown);
    size_t n;
    struct stat st;
    char *inc = source_read(path, &n, &st, why, sizeof why);
    if (!inc) {
        scan_error(s, file, line, false,
                   "@include \"%s\": cannot read %s: %s (a file relative to %s)", name, shown, why,
                   s->dir ? s->dir : "the working folder");
        return;
    }
    if (s->n_read + n > (size_t)CFG_MAX_FILE_SIZE) {
        scan_error(s, file, line, false,
                   "@include \"%s\": the scenario with its included files would hold more than "
                   "%ld bytes (1 MiB, the most a scenario may hold)",
                   name, CFG_MAX_FILE_SIZE);
        free(inc);
        return;
    }
    s->n_read += n;
    const char *inc_name = arena_strdup(s->c, shown);
    s->include_depth++;
    scan_newline(s, inc_name, 1);
    scan_text(s, inc_name, inc, n);
    s->include_depth--;
    scan_newline(s, file, line);
    free(inc);
}

/* Scans one file's text (len bytes) into s->out; file is its name for messages (interned). */
static void scan_text(struct scan *s, const char *file, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    int line = 1;
    bool bol = true; /* at the start of a line, where @include is a directive */

    while (p < end) {
        char ch = *p;
        if (ch == '\0') {
            scan_error(s, file, line, false, "a NUL byte (scenario files are text)");
            return;
        }
        if (bol) {
            bol = false;
            const char *q = p;
            while (q < end && (*q == ' ' || *q == '\t')) {
                q++;
            }
            if (end - q >= 8 && memcmp(q, "@include", 8) == 0 && q + 8 < end &&
                (q[8] == ' ' || q[8] == '\t')) {
                const char *r = q + 8;
                while (r < end && (*r == ' ' || *r == '\t')) {
                    r++;
                }
                if (r < end && *r == '"') {
                    char name[1024];
                    size_t nn = 0;
                    bool good = true;
                    for (r++; r < end && *r != '"'; r++) {
                        char x = *r;
                        if (x == '\\' && r + 1 < end && (r[1] == '\\' || r[1] == '"')) {
                            x = *++r;
                        } else if (x == '\\' || x == '\n' || x == '\0') {
                            good = false;
                        }
                        if (nn + 1 < sizeof name) {
                            name[nn++] = x;
                        } else {
                            good = false;
                        }
                    }
                    name[nn] = '\0';
                    if (r >= end || !good || nn == 0) {
                        scan_error(s, file, line, false,
                                   "@include: not a file name (@include \"parts/file.cfg\", "
                                   "alone on its line)");
                        return;
                    }
                    scan_put(s, p, (size_t)(q - p));
                    scan_include(s, file, line, name);
                    p = r + 1;
                    /* As in libconfig, the rest of the line is not at a line start. */
                    const char *t = p;
                    while (t < end && (*t == ' ' || *t == '\t')) {
                        t++;
                    }
                    if (t < end && *t == '@') {
                        scan_error(s, file, line, false,
                                   "@include must be alone on its line (one @include a line)");
                        return;
                    }
                    continue;
                }
            }
        }
        if (ch == '\n') {
            line++;
            bol = true;
            scan_newline(s, file, line);
            p++;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f') {
            scan_put(s, p++, 1);
            continue;
        }
        if (ch == '#' || (ch == '/' && p + 1 < end && p[1] == '/')) {
            const char *q = p;
            while (q < end && *q != '\n' && *q != '\0') {
                q++;
            }
            scan_put(s, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (ch == '/' && p + 1 < end && p[1] == '*') {
            int start = line;
            scan_put(s, p, 2);
            p += 2;
            while (p < end && !(*p == '*' && p + 1 < end && p[1] == '/')) {
                if (*p == '\0') {
                    scan_error(s, file, line, false, "a NUL byte (scenario files are text)");
                    return;
                }
                if (*p == '\n') {
                    line++;
                    scan_newline(s, file, line);
                    p++;
                    /* A directive-like line inside a comment is text: keep it so. */
                    const char *q = p;
                    while (q < end && (*q == ' ' || *q == '\t')) {
                        q++;
                    }
                    scan_put(s, p, (size_t)(q - p));
                    p = q;
                    if (p < end && *p == '@') {
                        scan_put(s, " ", 1);
                        p++;
                    }
                    continue;
                }
                scan_put(s, p++, 1);
            }
            if (p >= end) {
                scan_error(s, file, start, false,
                           "a /* comment that is never closed (end it with */)");
                return;
            }
            scan_put(s, "*/", 2);
            p += 2;
            continue;
        }
        if (ch == '"') {
            int start = line;
            const char *q = p + 1;
            while (q < end && *q != '"') {
                if (*q == '\0') {
                    scan_error(s, file, line, false, "a NUL byte (scenario files are text)");
                    return;
                }
                if (*q == '\n') {
                    line++;
                }
                q += *q == '\\' && q + 1 < end ? 2 : 1;
            }
            if (q >= end) {
                if (s->last_multiline > 0) {
                    scan_error(s, file, start, false,
                               "a string that is never closed (a closing \" is missing here or "
                               "earlier: the string from line %d to %d spans lines)",
                               s->last_multiline, s->last_multiline_end);
                } else {
                    scan_error(s, file, start, false,
                               "a string that is never closed (a closing \" is missing)");
                }
                return;
            }
            if (line > start && s->last_multiline == 0) {
                s->last_multiline = start;
                s->last_multiline_end = line;
            }
            size_t n = (size_t)(q - p - 1);
            s->str_total = s->after_string ? s->str_total + n : n;
            if (!s->after_string) {
                s->str_reported = false;
            }
            if (s->str_total > CFG_MAX_STRING && !s->str_reported) {
                s->str_reported = true;
                scan_error(s, file, start, true,
                           "a string of more than %d bytes (a string holds at most %d bytes, "
                           "64 KiB)",
                           CFG_MAX_STRING, CFG_MAX_STRING);
            }
            /* Copy, mapping each line break of a string that spans lines. */
            int l = start;
            const char *from = p;
            for (const char *t = p; t <= q; t++) {
                if (*t == '\n') {
                    scan_put(s, from, (size_t)(t - from));
                    scan_newline(s, file, ++l);
                    from = t + 1;
                }
            }
            scan_put(s, from, (size_t)(q + 1 - from));
            p = q + 1;
            s->after_string = true;
            s->after_name = false;
            continue;
        }
        s->after_string = false;
        if (is_name_start(ch)) {
            const char *q = p;
            while (q < end && is_name_char(*q)) {
                q++;
            }
            size_t n = (size_t)(q - p);
            bool is_bool = (n == 4 && strncasecmp(p, "true", 4) == 0) ||
                           (n == 5 && strncasecmp(p, "false", 5) == 0);
            s->after_name = !is_bool;
            if (!is_bool) {
                snprintf(s->cand, sizeof s->cand, "%.*s", (int)n, p);
            }
            scan_put(s, p, n);
            p = q;
            continue;
        }
        bool was_name = s->after_name;
        s->after_name = false;
        char kind;
        bool has_l;
        size_t n = scan_number(p, end, &kind, &has_l);
        if (n > 0) {
            if (kind == 'f') {
                scan_put(s, p, n);
            } else {
                scan_integer(s, p, n, kind, has_l, file, line);
            }
            p += n;
            continue;
        }
        struct scan_frame *f = &s->frames[s->depth];
        switch (ch) {
        case '=':
        case ':':
            if (was_name && f->kind == '{') {
                f->has_key = true;
                snprintf(f->key, sizeof f->key, "%s", s->cand);
                scan_define(s, f->key, file, line);
            }
            break;
        case ';':
            if (f->kind == '{') {
                f->has_key = false;
            }
            break;
        case ',':
            if (f->kind == '{') {
                f->has_key = false;
            } else {
                f->index++;
            }
            break;
        case '{':
        case '(':
        case '[': {
            if (s->depth >= CFG_MAX_NESTING) {
                scan_error(s, file, line, false,
                           "groups, lists and arrays nest too deep (at most %d levels)",
                           CFG_MAX_NESTING);
                return;
            }
            char vp[sizeof s->path];
            scan_value_path(s, vp, sizeof vp);
            struct scan_frame *g = &s->frames[++s->depth];
            *g = (struct scan_frame){.kind = ch, .base = strlen(s->path)};
            if (ch == '{') {
                g->id = ++s->n_groups;
            }
            if (ch == '[') {
                s->n_arr_ints = 0;
                s->arr_wide = false;
            }
            snprintf(s->path, sizeof s->path, "%s", vp);
            break;
        }
        case '}':
        case ')':
        case ']':
            if (s->depth > 0) {
                s->path[f->base] = '\0';
                s->depth--;
            }
            break;
        default:
            break;
        }
        scan_put(s, p++, 1);
    }
}

static void scan_init(struct scan *s, struct cfg *c, const char *dir, bool is_set)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->dir = dir;
    s->is_set = is_set;
    s->frames[0].kind = '{';
    s->ok = true;
    scan_put(s, "", 0);
}

static void scan_fini(struct scan *s)
{
    free(s->out);
    free(s->map_file);
    free(s->map_line);
    free(s->arr_ints);
    free(s->tab);
    free(s->pool);
}

/* Scans a whole source text (the file name, interned). Returns s->ok. */
static bool scan_source(struct scan *s, const char *file, const char *text, size_t len)
{
    scan_map(s, file, 1);
    s->n_read = len;
    if (len > (size_t)CFG_MAX_FILE_SIZE) {
        diag_add(&s->c->diag, file, 0, NULL,
                 "%zu bytes, more than a scenario may hold (%ld bytes, 1 MiB)", len,
                 CFG_MAX_FILE_SIZE);
        return s->ok = false;
    }
    scan_text(s, file, text, len);
    return s->ok;
}

/* Text of output line line, trimmed and shortened, for a syntax error. */
static void scan_line_text(const struct scan *s, int line, char *buf, size_t n)
{
    const char *p = s->out;

    for (int i = 1; i < line && p; i++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    buf[0] = '\0';
    if (!p) {
        return;
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    size_t len = strcspn(p, "\n");
    while (len > 0 && isspace((unsigned char)p[len - 1])) {
        len--;
    }
    size_t k = 0;
    for (size_t i = 0; i < len && k + 8 < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (i == 60) {
            k += (size_t)snprintf(buf + k, n - k, "...");
            break;
        }
        if (ch < 0x20 || ch == 0x7f) {
            k += (size_t)snprintf(buf + k, n - k, "\\x%02x", ch);
        } else {
            buf[k++] = (char)ch;
        }
    }
    buf[k] = '\0';
}

/* Records libconfig's parse error of s->out in terms the user can act on. */
static void scan_parse_error(struct scan *s, const config_t *lc)
{
    const char *text = config_error_text(lc);
    const char *file;
    int line;
    char near[128];

    scan_where(s, config_error_line(lc), &file, &line);
    if (s->is_set) {
        line = 0;
    }
    if (!text) {
        text = "cannot parse";
    }
    if (strcmp(text, "syntax error") == 0) {
        scan_line_text(s, config_error_line(lc), near, sizeof near);
        if (near[0]) {
            diag_add(&s->c->diag, file, line, NULL,
                     "syntax error in '%s' (check this line and the end of the one before it "
                     "for a missing ';', quote or bracket)",
                     near);
        } else {
            diag_add(&s->c->diag, file, line, NULL,
                     "syntax error (check this line and the end of the one before it for a "
                     "missing ';', quote or bracket)");
        }
    } else if (strcmp(text, "duplicate setting name") == 0) {
        diag_add(&s->c->diag, file, line, NULL,
                 "a key set twice in the same group (each key once; to override a base file's "
                 "value use base = or set = )");
    } else if (strcmp(text, "memory exhausted") == 0) {
        diag_add(&s->c->diag, file, line, NULL,
                 "too deeply nested for the parser (groups, lists and arrays nest at most %d "
                 "levels)",
                 CFG_MAX_NESTING);
    } else if (strcmp(text, "mismatched element type in array") == 0) {
        diag_add(&s->c->diag, file, line, NULL,
                 "an array [ ... ] mixes types (its elements are all integers, all reals, all "
                 "strings or all booleans: write reals with a decimal point, 2.0, or use a list "
                 "( ... ))");
    } else {
        diag_add(&s->c->diag, file, line, NULL, "%s", text);
    }
}

/* Gives every setting of the tree parsed from s->out its file and line. */
static void scan_name_settings(struct cfg *c, const struct scan *s, config_setting_t *st)
{
    if (!config_setting_get_hook(st)) {
        struct cfg_origin *o = arena_alloc(c, sizeof *o);
        const char *file;
        int line;
        scan_where(s, (int)config_setting_source_line(st), &file, &line);
        *o = (struct cfg_origin){.kind = CFG_FROM_FILE, .file = file, .line = line > 0 ? line : 1};
        config_setting_set_hook(st, o);
    }
    if (config_setting_is_aggregate(st)) {
        for (int i = 0; i < config_setting_length(st); i++) {
            scan_name_settings(c, s, config_setting_get_elem(st, (unsigned)i));
        }
    }
}

/* Scans text (the file called name, @include relative to dir) and parses it into lc. */
static bool parse_source(struct cfg *c, config_t *lc, const char *name, const char *text,
                         size_t len, const char *dir)
{
    struct scan s;

    scan_init(&s, c, dir, false);
    bool ok = scan_source(&s, arena_strdup(c, name), text, len);
    if (ok && config_read_string(lc, s.out) != CONFIG_TRUE) {
        scan_parse_error(&s, lc);
        ok = false;
    }
    if (ok) {
        scan_name_settings(c, &s, config_root_setting(lc));
    }
    scan_fini(&s);
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

struct chain {
    dev_t dev[CFG_MAX_DEPTH]; /* the files being read, by device and inode, to detect a cycle */
    ino_t ino[CFG_MAX_DEPTH];
    char shown[CFG_MAX_DEPTH][PATH_MAX]; /* as written, to report it */
    int n;
};

/* Parses text, the file path, into lc (initialised by the caller) and resolves its base,
 * recursively. chain ends with this file. */
static bool load_layer(struct cfg *c, config_t *lc, const char *path, const char *text, size_t len,
                       struct chain *chain)
{
    char why[256], dir[PATH_MAX];

    dir_of(path, dir, sizeof dir);
    if (!parse_source(c, lc, path, text, len, dir)) {
        return false;
    }

    config_setting_t *root = config_root_setting(lc);
    config_setting_t *bs = config_setting_get_member(root, "base");
    if (!bs) {
        return apply_file_sets(c, lc);
    }
    if (config_setting_type(bs) != CONFIG_TYPE_STRING) {
        cfg_error(c, bs, "not a file name (a string: the scenario this one starts from)");
        return false;
    }
    /* Opened as written (the kernel resolves ".." through symlinks), shown tidied. */
    const char *name = config_setting_get_string(bs);
    char bopen[PATH_MAX + 1024], bpath[PATH_MAX + 1024];
    if (name[0] == '/' || strcmp(dir, ".") == 0) {
        snprintf(bopen, sizeof bopen, "%s", name);
    } else {
        snprintf(bopen, sizeof bopen, "%s/%s", dir, name);
    }
    join_path(dir, name, bpath, sizeof bpath);
    size_t blen;
    struct stat st;
    char *btext = source_read(bopen, &blen, &st, why, sizeof why);
    if (!btext) {
        cfg_error(c, bs, "cannot read %s: %s (a scenario file, relative to %s)", bpath, why, dir);
        return false;
    }
    for (int i = 0; i < chain->n; i++) {
        if (chain->dev[i] == st.st_dev && chain->ino[i] == st.st_ino) {
            char cycle[2048] = "";
            size_t clen = 0;
            for (int j = i; j < chain->n && clen < sizeof cycle; j++) {
                int w = snprintf(cycle + clen, sizeof cycle - clen, "%s -> ", chain->shown[j]);
                clen += w > 0 ? (size_t)w : 0;
            }
            if (clen < sizeof cycle) {
                snprintf(cycle + clen, sizeof cycle - clen, "%.*s", (int)(sizeof cycle - clen - 1),
                         bpath);
            }
            cfg_error(c, bs,
                      "base files form a cycle: %s (each base must lead to a scenario "
                      "without base)",
                      cycle);
            free(btext);
            return false;
        }
    }
    if (chain->n >= CFG_MAX_DEPTH) {
        cfg_error(c, bs, "base files nest too deep (at most %d levels)", CFG_MAX_DEPTH);
        free(btext);
        return false;
    }
    chain->dev[chain->n] = st.st_dev;
    chain->ino[chain->n] = st.st_ino;
    snprintf(chain->shown[chain->n++], PATH_MAX, "%.*s", PATH_MAX - 1, bpath);

    config_t blc;
    config_init(&blc);
    bool ok = load_layer(c, &blc, bpath, btext, blen, chain);
    free(btext);
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
    char why[256];
    size_t len;
    struct stat st;

    free(c->path);
    c->path = xstrdup(path);
    char *text = source_read(path, &len, &st, why, sizeof why);
    if (!text) {
        diag_add(&c->diag, path, 0, NULL, "cannot read the scenario: %s", why);
        return false;
    }
    struct chain *chain = xcalloc(1, sizeof *chain);
    chain->dev[0] = st.st_dev;
    chain->ino[0] = st.st_ino;
    snprintf(chain->shown[0], PATH_MAX, "%s", path);
    chain->n = 1;
    bool ok = load_layer(c, &c->lc, path, text, len, chain);
    free(chain);
    free(text);
    c->is_loaded = ok;
    return ok;
}

bool cfg_load_text(struct cfg *c, const char *name, const char *text, size_t len)
{
    free(c->path);
    c->path = xstrdup(name);
    if (!parse_source(c, &c->lc, name, text, len, NULL)) {
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

bool cfg_load_string(struct cfg *c, const char *name, const char *text)
{
    return cfg_load_text(c, name, text, strlen(text));
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

void cfg_warn(struct cfg *c, const config_setting_t *s, const char *fmt, ...)
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
    diag_warn(&c->diag, o.file, o.line, path[0] ? path : NULL, "%s", text);
}

void cfg_warn_key(struct cfg *c, const config_setting_t *group, const char *name, const char *fmt,
                  ...)
{
    char path[512];
    char key[640];
    char text[768];
    va_list ap;
    struct cfg_origin o = {.kind = CFG_FROM_FILE, .file = c->path, .line = 1};

    path[0] = '\0';
    if (group) {
        cfg_origin_of(c, group, &o);
        cfg_path(group, path, sizeof path);
    }
    snprintf(key, sizeof key, "%s%s%s", path, path[0] ? "." : "", name);
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    diag_warn(&c->diag, o.file, o.line, key, "%s", text);
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

static void int_bounds(const struct cfg_key *k, long long *lo, long long *hi);

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
    if (k->type == CFG_INT) {
        /* Integers as integers, exactly, with closed bounds. */
        long long lo, hi;
        const char *unit = k->unit ? k->unit : "";
        const char *sep = k->unit ? " " : "";
        int_bounds(k, &lo, &hi);
        if (has_lo && has_hi) {
            snprintf(buf, n, "integer %lld..%lld%s%s", lo, hi, sep, unit);
        } else if (has_lo) {
            snprintf(buf, n, "integer >= %lld%s%s", lo, sep, unit);
        } else if (has_hi) {
            snprintf(buf, n, "integer <= %lld%s%s", hi, sep, unit);
        } else {
            snprintf(buf, n, "integer%s%s", sep, unit);
        }
        return;
    }
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

/* The integers a CFG_INT key allows, exactly: a double bound cannot hold 2^63 - 1, so a bound at
 * or beyond +-2^63 (or infinite) means the end of the 64-bit range, and open bounds become
 * closed ones. */
static void int_bounds(const struct cfg_key *k, long long *lo, long long *hi)
{
    if (!(k->lo > -0x1p63)) {
        *lo = LLONG_MIN;
    } else {
        *lo = k->flags & CFG_LO_OPEN ? (long long)floor(k->lo) + 1 : (long long)ceil(k->lo);
    }
    if (!(k->hi < 0x1p63)) {
        *hi = LLONG_MAX;
    } else {
        *hi = k->flags & CFG_HI_OPEN ? (long long)ceil(k->hi) - 1 : (long long)floor(k->hi);
    }
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

/* Formats a plausible bound: as an integer for an integer key. */
static void format_bound(const struct cfg_key *k, double v, char *buf, size_t n)
{
    if (k->type == CFG_INT && fabs(v) < 0x1p63) {
        snprintf(buf, n, "%lld", (long long)v);
    } else {
        snprintf(buf, n, "%.15g", v);
    }
}

/* Warns when v, given for k at s, lies outside k's plausible range: legal, but most likely a
 * mistake (a length in hours where days belong, say). */
static void warn_implausible(struct cfg *c, const config_setting_t *s, const struct cfg_key *k,
                             double v)
{
    if (!(k->plausible_hi > k->plausible_lo) || (v >= k->plausible_lo && v <= k->plausible_hi)) {
        return;
    }
    const struct cfg_origin *o = config_setting_get_hook(s);
    if (o && o->kind == CFG_FROM_DEFAULT) {
        return; /* a declared default or a preset's published value, not the user's */
    }
    char lo[64], hi[64], val[64];
    const char *unit = k->unit ? k->unit : "";
    format_bound(k, k->plausible_lo, lo, sizeof lo);
    format_bound(k, k->plausible_hi, hi, sizeof hi);
    format_bound(k, v, val, sizeof val);
    if (k->type == CFG_REAL && v == floor(v) && fabs(v) < 1e15) {
        snprintf(val, sizeof val, "%.0f", v);
    }
    cfg_warn(c, s, "%s%s%s is %s the plausible range %s..%s%s%s (a value in other units%s?)", val,
             k->unit ? " " : "", unit, v < k->plausible_lo ? "below" : "above", lo, hi,
             k->unit ? " " : "", unit,
             k->unit && strcmp(k->unit, "days") == 0 ? ", hours or weeks where days belong"
                                                     : ", or a typing mistake");
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
    warn_implausible(c, s, k, v);
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
    char allowed[512];
    long long lo, hi;
    cfg_allowed(k, allowed, sizeof allowed);
    int_bounds(k, &lo, &hi);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = config_setting_get_int64(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        double x = config_setting_get_float(s);
        if (isfinite(x) && x == floor(x) && fabs(x) >= 0x1p63) {
            /* An integer beyond 64 bits: the scanner made it a real. */
            if (fabs(x) < 1e21) {
                cfg_error(c, s, "%.0f is out of range (%s)", x, allowed);
            } else {
                cfg_error(c, s, "%g is out of range (%s)", x, allowed);
            }
        } else {
            cfg_error(c, s, "%.17g is not a whole number (%s)", x, allowed);
        }
        return false;
    } else {
        return wrong_type(c, s, k);
    }
    if (v < lo || v > hi) {
        cfg_error(c, s, "%lld is out of range (%s)", v, allowed);
        return false;
    }
    warn_implausible(c, s, k, (double)v);
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

/* Parses VALUE of an override (label names it in messages) into a one-key tree; a bare word
 * that is not scenario syntax is taken as a string. Returns the setting (owned by lc), or NULL:
 * *reported says whether a problem was recorded. */
static config_setting_t *parse_set_value(struct cfg *c, config_t *lc, const char *value,
                                         const char *label, bool *reported)
{
    size_t n = strlen(value);
    char *text = xmalloc(n + 16);
    struct scan s;

    *reported = false;
    snprintf(text, n + 16, "v = %s;", value);
    /* The scanner refuses an @include (a value can hold "\n@include ...") and strings over
     * CFG_MAX_STRING, and widens integers beyond 32 bits, as in a file. */
    scan_init(&s, c, NULL, true);
    bool ok = scan_source(&s, label, text, strlen(text));
    *reported = !ok;
    ok = ok && config_read_string(lc, s.out) == CONFIG_TRUE;
    config_setting_t *root = config_root_setting(lc);
    if (ok && (config_setting_length(root) != 1 || !config_setting_get_member(root, "v"))) {
        /* "10;seed=5" parses as two settings: one value per override. */
        diag_add(&c->diag, label, 0, NULL,
                 "the value '%s' is more than one value (one value per override: a number, "
                 "\"text\", a bare word, true or false, [list], or { group }; give each "
                 "KEY=VALUE separately)",
                 value);
        *reported = true;
        ok = false;
    } else if (!ok && !*reported && n > 0 && strcspn(value, "\"{}()[];=,:#/\\\n") == n) {
        config_destroy(lc);
        config_init(lc);
        if (n > (size_t)CFG_MAX_STRING) {
            diag_add(&c->diag, label, 0, NULL,
                     "a string of more than %d bytes (a string holds at most %d bytes, 64 KiB)",
                     CFG_MAX_STRING, CFG_MAX_STRING);
            *reported = true;
        } else {
            config_setting_t *v =
                config_setting_add(config_root_setting(lc), "v", CONFIG_TYPE_STRING);
            if (v) {
                config_setting_set_string(v, value);
                ok = true;
            }
        }
    }
    scan_fini(&s);
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
    bool reported;
    config_setting_t *value = parse_set_value(c, &vlc, eq + 1, where, &reported);
    if (!value) {
        if (!reported) {
            diag_add(&c->diag, where, 0, NULL,
                     "cannot read the value '%s' (a number, \"text\", a bare word, true or "
                     "false, [list], or { group })",
                     eq + 1);
        }
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
