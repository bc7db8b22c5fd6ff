/* unitstore — finished replications kept by content, for resuming an experiment (unitstore.h). */
#include "analysis/unitstore.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/outdir.h"
#include "sim/rng.h"
#include "sim/xalloc.h"

#ifndef CCSIM_VERSION
#define CCSIM_VERSION "unknown"
#endif
#ifndef CCSIM_GIT_REV
#define CCSIM_GIT_REV "unknown"
#endif

#define MAGIC     UINT32_C(0x31554343) /* "CCU1" in little-endian order */
#define HEADER    16                   /* magic, payload bytes, checksum */
#define FIXED     64                   /* the payload before the doubles */
#define FILE_STEM "units-"

/* FNV-1a over bytes (the offset basis and prime of the 64-bit variant), finished with MurmurHash3's
 * fmix64 (rng_mix64) so that every input bit reaches every output bit. */
#define HASH_START UINT64_C(0xcbf29ce484222325)

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;

    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

static uint64_t checksum(const void *p, size_t n)
{
    return rng_mix64(hash_bytes(HASH_START, p, n));
}

static uint64_t version_hash(void)
{
    static const char text[] = "ccsim " CCSIM_VERSION " " CCSIM_GIT_REV;
    return checksum(text, sizeof text);
}

struct entry {
    struct unit_key key;
    int file;       /* index into fds */
    off_t off;      /* of the payload */
    uint32_t len;   /* payload bytes */
    uint64_t sum;   /* the payload's checksum */
    bool was_found; /* in the folder when the store was created */
    bool was_used;  /* found, and returned by unitstore_get() at least once */
};

struct unitstore {
    char *folder;
    bool use_kept;
    uint64_t version;
    pthread_mutex_t lock;
    int *fds; /* every file read, then this process's own */
    int n_fds, cap_fds;
    int own;       /* index of this process's file in fds, or -1 before the first put */
    off_t own_end; /* its length */
    struct entry *e;
    size_t n, cap;
    size_t *table; /* open addressing: entry index + 1, 0 empty; size a power of two */
    size_t table_size;
    long n_found, n_used, n_added;
    int failed; /* the negative errno that stopped keeping, or 0 */
    char err[600];
};

/* ---- the index ------------------------------------------------------------------------------ */

static uint64_t key_hash(const struct unit_key *k)
{
    uint64_t h = rng_mix64(k->variant ^ rng_mix64(k->replication + RNG_GOLDEN));
    return rng_mix64(h + (uint64_t)k->n_metrics * 31 + (uint64_t)k->n_series * 7 +
                     (uint64_t)k->n_points);
}

static bool key_equal(const struct unit_key *a, const struct unit_key *b)
{
    return a->variant == b->variant && a->replication == b->replication &&
           a->n_metrics == b->n_metrics && a->n_series == b->n_series && a->n_points == b->n_points;
}

/* The entry of key, or -1. */
static long find(const struct unitstore *st, const struct unit_key *key)
{
    if (st->table_size == 0) {
        return -1;
    }
    size_t mask = st->table_size - 1;
    for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
        size_t slot = st->table[i];
        if (slot == 0) {
            return -1;
        }
        if (key_equal(&st->e[slot - 1].key, key)) {
            return (long)(slot - 1);
        }
    }
}

static void place(struct unitstore *st, size_t idx)
{
    size_t mask = st->table_size - 1;
    size_t i = key_hash(&st->e[idx].key) & mask;
    while (st->table[i] != 0) {
        i = (i + 1) & mask;
    }
    st->table[i] = idx + 1;
}

/* Adds e unless its key is there already (the first record of a key wins: every record of one
 * key holds the same results). */
static void insert(struct unitstore *st, const struct entry *e)
{
    if (find(st, &e->key) >= 0) {
        return;
    }
    if (st->n == st->cap) {
        st->cap = st->cap ? 2 * st->cap : 256;
        st->e = xreallocarray(st->e, st->cap, sizeof *st->e);
    }
    st->e[st->n++] = *e;
    if (2 * st->n > st->table_size) {
        free(st->table);
        st->table_size = st->table_size ? 2 * st->table_size : 1024;
        st->table = xcalloc(st->table_size, sizeof *st->table);
        for (size_t i = 0; i < st->n; i++) {
            place(st, i);
        }
    } else {
        place(st, st->n - 1);
    }
}

static void forget_all(struct unitstore *st)
{
    for (int i = 0; i < st->n_fds; i++) {
        close(st->fds[i]);
    }
    st->n_fds = 0;
    st->own = -1;
    free(st->e);
    free(st->table);
    st->e = NULL;
    st->table = NULL;
    st->n = st->cap = st->table_size = 0;
}

/* ---- records -------------------------------------------------------------------------------- */

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* The key and counts of a payload; false when it is not one of this version or its length
 * does not fit its shape. */
static bool parse(const struct unitstore *st, const unsigned char *p, uint32_t len,
                  struct unit_key *k, uint64_t *n_events, uint64_t *n_entities)
{
    int32_t shape[3];

    if (len < FIXED || get64(p) != st->version) {
        return false;
    }
    k->variant = get64(p + 8);
    k->replication = get64(p + 16);
    memcpy(shape, p + 24, sizeof shape);
    *n_events = get64(p + 40);
    *n_entities = get64(p + 48);
    if (shape[0] < 0 || shape[1] < 0 || shape[2] < 0) {
        return false;
    }
    k->n_metrics = shape[0];
    k->n_series = shape[1];
    k->n_points = shape[2];
    uint64_t doubles = (uint64_t)shape[0] + (uint64_t)shape[1] * (uint64_t)shape[2];
    return (uint64_t)len == FIXED + 8 * doubles;
}

/* Reads the records of file fds[file] into the index. */
static void scan(struct unitstore *st, int file)
{
    int fd = st->fds[file];
    struct stat sb;
    unsigned char hdr[HEADER];
    unsigned char *buf = NULL;
    size_t cap = 0;

    if (fstat(fd, &sb) != 0) {
        return;
    }
    for (off_t pos = 0; pos + HEADER <= sb.st_size;) {
        if (pread(fd, hdr, HEADER, pos) != HEADER) {
            break;
        }
        uint32_t len = get32(hdr + 4);
        if (get32(hdr) != MAGIC || len < FIXED || (len - FIXED) % 8 != 0 ||
            (off_t)len > sb.st_size - pos - HEADER) {
            break; /* not a record, or one cut short: nothing after it can be trusted */
        }
        if (len > cap) {
            cap = len;
            buf = xreallocarray(buf, cap, 1);
        }
        if (pread(fd, buf, len, pos + HEADER) != (ssize_t)len) {
            break;
        }
        struct entry e = {.file = file, .off = pos + HEADER, .len = len, .was_found = true};
        uint64_t n_events, n_entities;
        e.sum = get64(hdr + 8);
        if (checksum(buf, len) == e.sum && parse(st, buf, len, &e.key, &n_events, &n_entities)) {
            insert(st, &e);
        }
        pos += HEADER + (off_t)len;
    }
    free(buf);
}

static void add_fd(struct unitstore *st, int fd)
{
    if (st->n_fds == st->cap_fds) {
        st->cap_fds = st->cap_fds ? 2 * st->cap_fds : 8;
        st->fds = xreallocarray(st->fds, (size_t)st->cap_fds, sizeof *st->fds);
    }
    st->fds[st->n_fds++] = fd;
}

static bool is_unit_file(const char *name)
{
    return strncmp(name, FILE_STEM, strlen(FILE_STEM)) == 0;
}

struct unitstore *unitstore_create(const char *folder, bool use_kept)
{
    struct unitstore *st = xcalloc(1, sizeof *st);

    st->folder = xstrdup(folder);
    st->use_kept = use_kept;
    st->version = version_hash();
    st->own = -1;
    pthread_mutex_init(&st->lock, NULL);
    DIR *d = opendir(folder);
    if (d) {
        /* In name order, so that which of two records of one key is used never depends on the
         * order the directory lists them in (they hold the same results anyway). */
        struct dirent **names;
        int n = scandir(folder, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            if (is_unit_file(names[i]->d_name)) {
                int fd = openat(dirfd(d), names[i]->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                struct stat sb;
                if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
                    add_fd(st, fd);
                    scan(st, st->n_fds - 1);
                } else if (fd >= 0) {
                    close(fd);
                }
            }
            free(names[i]);
        }
        if (n > 0) {
            free(names);
        }
        closedir(d);
    }
    st->n_found = (long)st->n;
    if (!use_kept) {
        forget_all(st); /* counted, not used: this run starts afresh beside them */
    }
    return st;
}

void unitstore_destroy(struct unitstore *st)
{
    if (!st) {
        return;
    }
    forget_all(st);
    pthread_mutex_destroy(&st->lock);
    free(st->fds);
    free(st->folder);
    free(st);
}

long unitstore_n_found(const struct unitstore *st)
{
    return st->n_found;
}

void unitstore_counts(const struct unitstore *st, long *n_used, long *n_added)
{
    *n_used = st->n_used;
    *n_added = st->n_added;
}

const char *unitstore_folder(const struct unitstore *st)
{
    return st->folder;
}

const char *unitstore_error(const struct unitstore *st)
{
    return st->failed ? st->err : NULL;
}

bool unitstore_get(struct unitstore *st, const struct unit_key *key, struct unit_value *v)
{
    pthread_mutex_lock(&st->lock);
    long i = find(st, key);
    struct entry e = i >= 0 ? st->e[i] : (struct entry){0};
    int fd = i >= 0 ? st->fds[e.file] : -1;
    pthread_mutex_unlock(&st->lock);
    if (i < 0) {
        return false;
    }
    /* Read again and checked again: the file is on disk, and may have changed since. */
    unsigned char *buf = xmalloc(e.len);
    struct unit_key k;
    uint64_t n_events, n_entities;
    bool ok = pread(fd, buf, e.len, e.off) == (ssize_t)e.len && checksum(buf, e.len) == e.sum &&
              parse(st, buf, e.len, &k, &n_events, &n_entities) && key_equal(&k, key);
    if (ok) {
        size_t per = (size_t)key->n_series * (size_t)key->n_points;
        memcpy(v->metrics, buf + FIXED, (size_t)key->n_metrics * sizeof(double));
        if (per > 0) {
            memcpy(v->series, buf + FIXED + (size_t)key->n_metrics * sizeof(double),
                   per * sizeof(double));
        }
        v->n_events = n_events;
        v->n_entities = n_entities;
    }
    free(buf);
    if (ok && e.was_found) {
        pthread_mutex_lock(&st->lock);
        if (!st->e[i].was_used) {
            st->e[i].was_used = true;
            st->n_used++;
        }
        pthread_mutex_unlock(&st->lock);
    }
    return ok;
}

/* ---- writing -------------------------------------------------------------------------------- */

/* This process's file, created on its first unit; under the lock. */
static int open_own(struct unitstore *st)
{
    int rc = outdir_make_folders(st->folder);
    if (rc != 0) {
        return rc;
    }
    size_t n = strlen(st->folder) + sizeof "/" FILE_STEM "XXXXXX";
    char *name = xmalloc(n);
    snprintf(name, n, "%s/" FILE_STEM "XXXXXX", st->folder);
    int fd = mkstemp(name);
    free(name);
    if (fd < 0) {
        return -errno;
    }
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    add_fd(st, fd);
    st->own = st->n_fds - 1;
    st->own_end = 0;
    return 0;
}

static void fail(struct unitstore *st, int rc)
{
    st->failed = rc;
    snprintf(st->err, sizeof st->err, "%s: %s", st->folder, strerror(-rc));
}

int unitstore_put(struct unitstore *st, const struct unit_key *key, const struct unit_value *v)
{
    size_t per = (size_t)key->n_series * (size_t)key->n_points;
    size_t doubles = (size_t)key->n_metrics + per;

    if (doubles > (UINT32_MAX - FIXED) / 8) {
        pthread_mutex_lock(&st->lock);
        if (!st->failed) {
            fail(st, -EFBIG);
        }
        pthread_mutex_unlock(&st->lock);
        return -EFBIG;
    }
    uint32_t len = (uint32_t)(FIXED + 8 * doubles);
    unsigned char *rec = xcalloc(HEADER + (size_t)len, 1);
    unsigned char *p = rec + HEADER;
    uint64_t u64[3] = {st->version, key->variant, key->replication};
    int32_t shape[4] = {key->n_metrics, key->n_series, key->n_points, 0};
    uint64_t counts[2] = {v->n_events, v->n_entities};
    memcpy(p, u64, sizeof u64);
    memcpy(p + 24, shape, sizeof shape);
    memcpy(p + 40, counts, sizeof counts);
    memcpy(p + FIXED, v->metrics, (size_t)key->n_metrics * sizeof(double));
    if (per > 0) {
        memcpy(p + FIXED + (size_t)key->n_metrics * sizeof(double), v->series,
               per * sizeof(double));
    }
    uint32_t magic = MAGIC;
    uint64_t sum = checksum(p, len);
    memcpy(rec, &magic, 4);
    memcpy(rec + 4, &len, 4);
    memcpy(rec + 8, &sum, 8);

    int rc = 0;
    pthread_mutex_lock(&st->lock);
    if (st->failed) {
        rc = st->failed;
    } else if (st->own < 0) {
        rc = open_own(st);
    }
    size_t total = HEADER + (size_t)len, done = 0;
    while (rc == 0 && done < total) {
        ssize_t w = write(st->fds[st->own], rec + done, total - done);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno != EINTR) {
            rc = -errno;
        } else if (w == 0) {
            rc = -EIO;
        }
    }
    if (rc == 0) {
        struct entry e = {.key = *key,
                          .file = st->own,
                          .off = st->own_end + HEADER,
                          .len = len,
                          .sum = sum,
                          .was_found = false};
        insert(st, &e);
        st->own_end += (off_t)total;
        st->n_added++;
    } else if (!st->failed) {
        if (st->own >= 0 && done > 0) {
            /* No torn record left behind where it can be helped (a reader ignores one anyway). */
            (void)ftruncate(st->fds[st->own], st->own_end);
        }
        fail(st, rc);
    }
    pthread_mutex_unlock(&st->lock);
    free(rec);
    return rc;
}

int unitstore_remove(struct unitstore *st)
{
    int rc = 0;

    forget_all(st);
    DIR *d = opendir(st->folder);
    if (!d) {
        return errno == ENOENT || errno == ENOTDIR ? 0 : -errno; /* nothing of ours there */
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (is_unit_file(de->d_name) && unlinkat(dirfd(d), de->d_name, 0) != 0 && rc == 0) {
            rc = -errno;
        }
    }
    closedir(d);
    if (rmdir(st->folder) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

/* ---- fingerprints --------------------------------------------------------------------------- */

/* Data files beyond this size are fingerprinted by size and modification time only. */
#define CONTENT_MAX (1024L * 1024 * 1024)

static uint64_t hash_file(uint64_t h, const char *path)
{
    struct stat sb;

    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        return h;
    }
    int64_t size = (int64_t)sb.st_size;
    h = hash_bytes(h, "file", 4);
    h = hash_bytes(h, &size, sizeof size);
    FILE *f = size <= CONTENT_MAX ? fopen(path, "rb") : NULL;
    if (!f) {
        int64_t mtime[2] = {(int64_t)sb.st_mtim.tv_sec, (int64_t)sb.st_mtim.tv_nsec};
        return hash_bytes(h, mtime, sizeof mtime);
    }
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        h = hash_bytes(h, buf, got);
    }
    fclose(f);
    return h;
}

static uint64_t hash_setting(const struct cfg *c, uint64_t h, const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    unsigned char type = (unsigned char)config_setting_type(s);

    h = hash_bytes(h, name ? name : "", name ? strlen(name) + 1 : 1);
    h = hash_bytes(h, &type, 1);
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: {
        long long v = config_setting_get_int64(s);
        if (config_setting_type(s) == CONFIG_TYPE_INT) {
            v = config_setting_get_int(s);
        }
        h = hash_bytes(h, &v, sizeof v);
        break;
    }
    case CONFIG_TYPE_FLOAT: {
        double v = config_setting_get_float(s);
        h = hash_bytes(h, &v, sizeof v);
        break;
    }
    case CONFIG_TYPE_BOOL: {
        unsigned char v = config_setting_get_bool(s) ? 1 : 0;
        h = hash_bytes(h, &v, 1);
        break;
    }
    case CONFIG_TYPE_STRING: {
        const char *v = config_setting_get_string(s);
        h = hash_bytes(h, v ? v : "", v ? strlen(v) + 1 : 1);
        if (v && v[0]) {
            /* A value naming a data file (a snapshot of the state, say): its content counts. */
            char path[PATH_MAX];
            cfg_resolve_path(c, s, v, path, sizeof path);
            h = hash_file(h, path);
        }
        break;
    }
    case CONFIG_TYPE_GROUP:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_ARRAY: {
        int n = config_setting_length(s);
        h = hash_bytes(h, &n, sizeof n);
        for (int i = 0; i < n; i++) {
            h = hash_setting(c, h, config_setting_get_elem(s, (unsigned)i));
        }
        break;
    }
    default:
        break;
    }
    return h;
}

uint64_t unitstore_fingerprint(const struct cfg *c, uint64_t seed)
{
    const config_setting_t *root = cfg_root(c);
    uint64_t h = hash_bytes(HASH_START, &seed, sizeof seed);
    uint64_t version = version_hash();

    h = hash_bytes(h, &version, sizeof version);
    for (int i = 0; i < config_setting_length(root); i++) {
        const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
        const char *name = config_setting_name(s);
        /* A replication's results do not depend on how many there are. */
        if (name && strcmp(name, "replications") == 0) {
            continue;
        }
        h = hash_setting(c, h, s);
    }
    return rng_mix64(h);
}
