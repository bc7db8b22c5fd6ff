#include "analysis/manifest.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>

#include "analysis/table.h"
#include "sim/xalloc.h"

#ifndef CCSIM_VERSION
#define CCSIM_VERSION "unknown"
#endif
#ifndef CCSIM_GIT_REV
#define CCSIM_GIT_REV "unknown"
#endif

/* ---- writing ------------------------------------------------------------------------------ */

/* s as a JSON string; one that is not valid UTF-8 with every byte beyond ASCII as '?'. NULL
 * only when out of memory. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j || !s) {
        return j;
    }
    char *copy = xstrdup(s);
    for (char *p = copy; *p; p++) {
        if ((unsigned char)*p >= 0x80) {
            *p = '?';
        }
    }
    j = json_string(copy);
    free(copy);
    return j;
}

static json_t *texts(char *const *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; a && i < n; i++) {
        if (json_array_append_new(a, text(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *iso_time(time_t t)
{
    struct tm tm;
    char buf[32];

    if (gmtime_r(&t, &tm)) {
        strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else {
        snprintf(buf, sizeof buf, "unknown");
    }
    return json_string(buf);
}

int manifest_write(const char *path, const struct manifest *m)
{
    char host[256] = "unknown";
    if (gethostname(host, sizeof host) != 0) {
        snprintf(host, sizeof host, "unknown");
    }
    host[sizeof host - 1] = '\0';

    json_t *o = json_object();
    bool ok = o != NULL;
#define PUT(key, value) (ok = ok && json_object_set_new(o, (key), (value)) == 0)
    PUT("ccsim_version", text(CCSIM_VERSION));
    PUT("git_revision", text(CCSIM_GIT_REV));
    PUT("command", texts(m->argv, m->argc));
    PUT("scenario", text(m->scenario));
    char abs[PATH_MAX];
    if (m->scenario && realpath(m->scenario, abs)) {
        PUT("scenario_file", text(abs));
    }
    PUT("model", text(m->model));
    PUT("seed", json_integer((json_int_t)m->seed));
    PUT("replications", json_integer(m->replications));
    PUT("threads", json_integer(m->threads));
    PUT("ranks", json_integer(m->ranks > 0 ? m->ranks : 1));
    PUT("started", iso_time(m->started));
    PUT("finished", iso_time(m->finished));
    /* to the millisecond: as many significant digits as that takes */
    double ms = round(m->wall_seconds * 1000.0) / 1000.0;
    PUT("wall_seconds", json_real(ms));
    PUT("events", json_integer((json_int_t)m->n_events));
    PUT("host", text(host));
    if (m->note) {
        PUT("note", text(m->note));
    }
    PUT("files", texts(m->files, m->n_files));
#undef PUT
    if (!ok) {
        json_decref(o);
        return -ENOMEM;
    }
    int digits = fabs(ms) >= 1.0 ? (int)floor(log10(fabs(ms))) + 1 : 1;
    size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(digits + 3);

    FILE *out = fopen(path, "w");
    if (!out) {
        int e = errno;
        json_decref(o);
        return -e;
    }
    int rc = json_dumpf(o, out, flags) == 0 && fputc('\n', out) != EOF && !ferror(out) ? 0 : -EIO;
    json_decref(o);
    if (fclose(out) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------ */

static char *get_text(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static long long get_count(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

/* The strings of the array o[key] into *v (xcalloc'ed); their number, or -1 when there is no
 * such array or an element is not a string or fails ok. */
static int get_texts(const json_t *o, const char *key, bool (*ok)(const char *), char ***v)
{
    const json_t *a = json_object_get(o, key);
    *v = NULL;
    if (!json_is_array(a)) {
        return -1;
    }
    size_t n = json_array_size(a);
    if (n > INT_MAX / 2) {
        return -1;
    }
    char **out = xcalloc(n + 1, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(a, i);
        if (!json_is_string(e) || (ok && !ok(json_string_value(e)))) {
            for (size_t k = 0; k < i; k++) {
                free(out[k]);
            }
            free(out);
            return -1;
        }
        out[i] = xstrdup(json_string_value(e));
    }
    *v = out;
    return (int)n;
}

/* A name a folder can hold: not empty, no '/', not "." or "..", at most NAME_MAX bytes. */
static bool plain_name(const char *s)
{
    size_t len = strlen(s);
    return len > 0 && len <= NAME_MAX && !strchr(s, '/') && strcmp(s, ".") != 0 &&
           strcmp(s, "..") != 0;
}

void manifest_info_free(struct manifest_info *m)
{
    char **s[] = {&m->ccsim_version, &m->git_revision, &m->scenario, &m->scenario_file, &m->model,
                  &m->started,       &m->finished,     &m->host,     &m->note};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        free(*s[i]);
    }
    for (int i = 0; i < m->argc; i++) {
        free(m->argv[i]);
    }
    free(m->argv);
    for (int i = 0; i < m->n_files; i++) {
        free(m->files[i]);
    }
    free(m->files);
    *m = (struct manifest_info){.seed = -1,
                                .replications = -1,
                                .threads = -1,
                                .ranks = -1,
                                .n_events = -1,
                                .wall_seconds = -1,
                                .n_files = -1};
}

int manifest_parse(const char *text_, size_t len, struct manifest_info *out, char *err,
                   size_t err_len)
{
    json_error_t je;

    *out = (struct manifest_info){0};
    manifest_info_free(out); /* the empty values */
    json_t *o = json_loadb(text_, len, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        snprintf(err, err_len,
                 "%d: not a JSON object (ccsim's manifest, '{' ... '}', is expected)%s%s",
                 o ? 1 : (je.line > 0 ? je.line : 1), o ? "" : ": ", o ? "" : je.text);
        json_decref(o);
        return -1;
    }
    const json_t *v = json_object_get(o, "ccsim_version");
    if (!json_is_string(v) || json_string_length(v) == 0) {
        snprintf(err, err_len, "1: no \"ccsim_version\" (ccsim's manifest is expected)");
        json_decref(o);
        return -1;
    }
    out->ccsim_version = get_text(o, "ccsim_version");
    out->git_revision = get_text(o, "git_revision");
    out->scenario = get_text(o, "scenario");
    out->scenario_file = get_text(o, "scenario_file");
    out->model = get_text(o, "model");
    out->started = get_text(o, "started");
    out->finished = get_text(o, "finished");
    out->host = get_text(o, "host");
    out->note = get_text(o, "note");
    int argc = get_texts(o, "command", NULL, &out->argv);
    out->argc = argc > 0 ? argc : 0;
    out->seed = get_count(o, "seed");
    out->replications = get_count(o, "replications");
    out->threads = get_count(o, "threads");
    out->ranks = get_count(o, "ranks");
    out->n_events = get_count(o, "events");
    const json_t *w = json_object_get(o, "wall_seconds");
    out->wall_seconds = json_is_number(w) ? json_number_value(w) : -1;
    out->n_files = get_texts(o, "files", plain_name, &out->files);
    json_decref(o);
    return 0;
}

int manifest_read(const char *path, struct manifest_info *out, char *err, size_t err_len)
{
    size_t n;
    char why[1024];

    *out = (struct manifest_info){0};
    manifest_info_free(out);
    errno = 0;
    char *buf = table_slurp(path, 1 << 20, &n, err, err_len);
    if (!buf) {
        return errno == ENOENT ? 1 : -1;
    }
    const char *z = memchr(buf, '\0', n);
    if (z) {
        int line = 1;
        for (const char *c = buf; c < z; c++) {
            line += *c == '\n';
        }
        snprintf(err, err_len, "%s:%d: a NUL byte (a JSON text is expected)", path, line);
        free(buf);
        return -1;
    }
    int rc = manifest_parse(buf, n, out, why, sizeof why);
    free(buf);
    if (rc != 0) {
        snprintf(err, err_len, "%s:%s", path, why);
        return -1;
    }
    return 0;
}

/* Whether c needs no quoting in a shell word. */
static bool shell_plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("_-./=:,+@%", c));
}

void manifest_command_line(const struct manifest_info *m, char *buf, size_t n)
{
    size_t k = 0;

    if (n == 0) {
        return;
    }
#define PUTC(c) (k + 1 < n ? (void)(buf[k++] = (c)) : (void)0)
    for (int i = 0; i < m->argc; i++) {
        const char *a = m->argv[i];
        bool plain = *a != '\0';
        for (const char *c = a; *c && plain; c++) {
            plain = shell_plain((unsigned char)*c);
        }
        if (i > 0) {
            PUTC(' ');
        }
        if (plain) {
            for (const char *c = a; *c; c++) {
                PUTC(*c);
            }
            continue;
        }
        PUTC('\'');
        for (const char *c = a; *c; c++) {
            if (*c == '\'') { /* close, an escaped quote, open again */
                PUTC('\'');
                PUTC('\\');
                PUTC('\'');
            }
            PUTC(*c);
        }
        PUTC('\'');
    }
#undef PUTC
    buf[k] = '\0';
}
