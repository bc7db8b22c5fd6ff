#include "analysis/table.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/fail.h"
#include "sim/xalloc.h"

void table_free(struct table *t)
{
    free(t->header);
    free(t->cell);
    free(t->line);
    free(t->path);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

/* ---- files -------------------------------------------------------------------------------- */

FILE *table_open(const char *path, long *size, char *err, size_t err_len)
{
    /* Non-blocking, so that opening a FIFO returns at once; the kind of file is then checked on
     * the descriptor itself, so a file swapped after a check by name cannot slip through. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    struct stat st;

    if (fd < 0) {
        int e = errno;
        snprintf(err, err_len, "%s: %s", path, strerror(e));
        errno = e;
        return NULL;
    }
    bool stat_ok = fstat(fd, &st) == 0;
    if (!stat_ok || !S_ISREG(st.st_mode)) {
        int e = stat_ok && S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        snprintf(err, err_len, "%s: %s (a regular file is expected)", path,
                 e == EISDIR ? "a folder, not a file" : "not a regular file");
        close(fd);
        errno = e;
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) {
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, err_len, "%s: %s", path, strerror(e));
        close(fd);
        errno = e;
        return NULL;
    }
    if (size) {
        *size = (long)st.st_size;
    }
    return f;
}

char *table_slurp(const char *path, size_t max, size_t *len, char *err, size_t err_len)
{
    long size;
    FILE *f = table_open(path, &size, err, err_len);

    if (!f) {
        return NULL;
    }
    if ((unsigned long)size > max) {
        snprintf(err, err_len, "%s: %ld bytes (at most %zu are expected)", path, size, max);
        fclose(f);
        errno = EFBIG;
        return NULL;
    }
    /* Only the bytes the file held when opened: /proc files are "regular" with size 0, and some
     * of them block when read. */
    char *buf = xmalloc((size_t)size + 1);
    size_t n = 0;
    while (n < (size_t)size) {
        size_t got = fread(buf + n, 1, (size_t)size - n, f);
        if (got == 0) {
            break;
        }
        n += got;
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        snprintf(err, err_len, "%s: %s", path, strerror(e));
        fclose(f);
        free(buf);
        errno = e;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len) {
        *len = n;
    }
    return buf;
}

/* ---- parsing ------------------------------------------------------------------------------ */

struct parser {
    const char *buf; /* the file's text */
    char *out;       /* the fields, unquoted and NUL-terminated, one after the other */
    size_t n, p, w;  /* length of buf, read offset in buf, write offset in out (w <= p + 1) */
    int line;        /* of buf[p] */
    const char *path;
    char *err;
    size_t err_len;
};

static int fail_at(struct parser *ps, int line, const char *what)
{
    snprintf(ps->err, ps->err_len, "%s:%d: %s", ps->path, line, what);
    return -1;
}

/* A byte that has no place in a text file ('\t' and line ends do). */
static bool is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

static int control_error(struct parser *ps, unsigned char c)
{
    return fail_at(ps, ps->line,
                   c == 0 ? "a NUL byte (a text file is expected)"
                          : "a control character (a text file is expected)");
}

static int overlong_error(struct parser *ps)
{
    char what[160];
    snprintf(what, sizeof what, "a line longer than %d bytes (shorter lines are expected)",
             TABLE_MAX_LINE);
    return fail_at(ps, ps->line, what);
}

/* Whether buf[p] ends a line (LF, CRLF or a lone CR); consumes it and counts the line. */
static bool line_end(struct parser *ps)
{
    if (ps->p >= ps->n) {
        return false;
    }
    if (ps->buf[ps->p] == '\n') {
        ps->p++;
    } else if (ps->buf[ps->p] == '\r') {
        ps->p += ps->p + 1 < ps->n && ps->buf[ps->p + 1] == '\n' ? 2 : 1;
    } else {
        return false;
    }
    ps->line++;
    return true;
}

/* One field at p, unquoted into w and NUL-terminated; *out points at it. */
static int field(struct parser *ps, size_t rec_start, char **out)
{
    const char *b = ps->buf;
    char *o = ps->out;
    size_t start = ps->w;

    if (ps->p < ps->n && b[ps->p] == '"') {
        int open_line = ps->line;
        ps->p++;
        for (;;) {
            if (ps->p >= ps->n) {
                return fail_at(ps, open_line,
                               "a quoted field is not closed (a closing '\"' is expected)");
            }
            unsigned char c = (unsigned char)b[ps->p];
            if (c == '"') {
                if (ps->p + 1 < ps->n && b[ps->p + 1] == '"') {
                    o[ps->w++] = '"';
                    ps->p += 2;
                    continue;
                }
                ps->p++;
                break;
            }
            if (c == '\r' || c == '\n') {
                /* A line end inside a field reads as LF, however the file ends its lines. */
                line_end(ps);
                o[ps->w++] = '\n';
            } else if (is_control(c)) {
                return control_error(ps, c);
            } else {
                o[ps->w++] = (char)c;
                ps->p++;
            }
            if (ps->p - rec_start > TABLE_MAX_LINE) {
                return overlong_error(ps);
            }
        }
        if (ps->p < ps->n && b[ps->p] != ',' && b[ps->p] != '\n' && b[ps->p] != '\r') {
            return fail_at(ps, ps->line,
                           "text after a closing quote (a field is quoted whole, with \"\" for "
                           "a quote inside)");
        }
    } else {
        while (ps->p < ps->n && b[ps->p] != ',' && b[ps->p] != '\n' && b[ps->p] != '\r') {
            unsigned char c = (unsigned char)b[ps->p];
            if (c == '"') {
                return fail_at(ps, ps->line,
                               "a quote inside an unquoted field (a field with a quote is quoted "
                               "whole, with \"\" for the quote)");
            }
            if (is_control(c)) {
                return control_error(ps, c);
            }
            o[ps->w++] = (char)c;
            ps->p++;
            if (ps->p - rec_start > TABLE_MAX_LINE) {
                return overlong_error(ps);
            }
        }
    }
    /* Each field takes at most its bytes in the text plus a terminator, and each but the last
     * is followed by a delimiter: out has room with n + 1 bytes. */
    o[ps->w++] = '\0';
    *out = o + start;
    return 0;
}

/* One record at p into *fields (grown as needed); *n_out gets its field count. */
static int record(struct parser *ps, char ***fields, int *cap, int *n_out)
{
    size_t rec_start = ps->p;
    int n = 0;

    for (;;) {
        char *f = NULL;
        if (field(ps, rec_start, &f) != 0) {
            return -1;
        }
        if (n == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            *fields = xreallocarray(*fields, (size_t)*cap, sizeof **fields);
        }
        (*fields)[n++] = f;
        if (ps->p < ps->n && ps->buf[ps->p] == ',') {
            ps->p++;
            continue;
        }
        line_end(ps);
        break;
    }
    *n_out = n;
    return 0;
}

/* Skips empty lines; false at the end of the text. */
static bool skip_blank(struct parser *ps)
{
    while (ps->p < ps->n && line_end(ps)) {
    }
    return ps->p < ps->n;
}

static int check_header(struct parser *ps, char **names, int n, int line)
{
    char what[400];
    for (int i = 0; i < n; i++) {
        if (!names[i][0]) {
            snprintf(what, sizeof what,
                     "column %d has no name (a name for every column is expected)", i + 1);
            return fail_at(ps, line, what);
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(names[i], names[j]) == 0) {
                snprintf(what, sizeof what,
                         "column '%.60s' appears twice (each name once is expected)", names[i]);
                return fail_at(ps, line, what);
            }
        }
    }
    return 0;
}

int table_read(const char *path, struct table *t, char *err, size_t err_len)
{
    size_t n;
    char **fields = NULL;
    int cap = 0, n_fields = 0;
    size_t cell_cap = 0;

    memset(t, 0, sizeof *t);
    errno = 0;
    char *buf = table_slurp(path, TABLE_MAX_BYTES, &n, err, err_len);
    if (!buf) {
        return errno == ENOENT ? 1 : -1;
    }
    struct parser ps = {.buf = buf,
                        .out = xmalloc(n + 1),
                        .n = n,
                        .line = 1,
                        .path = path,
                        .err = err,
                        .err_len = err_len};
    t->buf = ps.out;
    t->path = xstrdup(path);
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) { /* a spreadsheet's byte order mark */
        ps.p = 3;
    }
    if (!skip_blank(&ps)) {
        fail_at(&ps, 1, "empty file (a header line is expected)");
        goto out_fail;
    }
    int header_line = ps.line;
    if (record(&ps, &fields, &cap, &n_fields) != 0 ||
        check_header(&ps, fields, n_fields, header_line) != 0) {
        goto out_fail;
    }
    t->n_cols = n_fields;
    t->header_line = header_line;
    t->header = xcalloc((size_t)n_fields, sizeof *t->header);
    memcpy(t->header, fields, (size_t)n_fields * sizeof *fields);
    while (skip_blank(&ps)) {
        int line = ps.line;
        if (record(&ps, &fields, &cap, &n_fields) != 0) {
            goto out_fail;
        }
        if (n_fields != t->n_cols) {
            char what[200];
            snprintf(what, sizeof what,
                     "%d field%s where the header has %d (one field per column is expected)",
                     n_fields, n_fields == 1 ? "" : "s", t->n_cols);
            fail_at(&ps, line, what);
            goto out_fail;
        }
        if ((size_t)t->n_rows == cell_cap) {
            cell_cap = cell_cap ? 2 * cell_cap : 64;
            t->cell = xreallocarray(t->cell, cell_cap * (size_t)t->n_cols, sizeof *t->cell);
            t->line = xreallocarray(t->line, cell_cap, sizeof *t->line);
        }
        memcpy(t->cell + (size_t)t->n_rows * (size_t)t->n_cols, fields,
               (size_t)n_fields * sizeof *fields);
        t->line[t->n_rows] = line;
        t->n_rows++;
    }
    free(fields);
    free(buf);
    return 0;

out_fail:
    free(fields);
    free(buf);
    table_free(t);
    return -1;
}

/* ---- cells -------------------------------------------------------------------------------- */

int table_col(const struct table *t, const char *name)
{
    for (int i = 0; i < t->n_cols; i++) {
        if (strcmp(t->header[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

const char *table_at(const struct table *t, int row, int c)
{
    SIM_ASSERT(row >= 0 && row < t->n_rows && c >= 0 && c < t->n_cols,
               "table_at(%d, %d) outside %d rows and %d columns of %s", row, c, t->n_rows,
               t->n_cols, t->path ? t->path : "?");
    return t->cell[(size_t)row * (size_t)t->n_cols + (size_t)c];
}

/* The number s holds, strictly: no surrounding space, no hexadecimal, nothing after it. */
static bool parse_number(const char *s, double *v)
{
    char *end;
    if (!*s || isspace((unsigned char)*s) || strpbrk(s, "xX")) {
        return false;
    }
    errno = 0;
    *v = strtod(s, &end);
    return end != s && *end == '\0';
}

double table_num(const struct table *t, int row, int c)
{
    double v;
    return parse_number(table_at(t, row, c), &v) && isfinite(v) ? v : NAN;
}

/* A cell as shown in a message: at most 40 bytes, line ends and tabs as spaces. */
static void shown(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    for (; *s && k + 4 < n && k < 40; s++) {
        buf[k++] = *s == '\n' || *s == '\t' ? ' ' : *s;
    }
    if (*s && k + 4 < n) {
        memcpy(buf + k, "...", 3);
        k += 3;
    }
    buf[k] = '\0';
}

/* Why cell s is not of kind, or NULL when it is. */
static const char *kind_problem(const char *s, enum table_kind kind, char *why, size_t n)
{
    double v;
    char cell[64];
    shown(s, cell, sizeof cell);
    if (kind == TABLE_TEXT) {
        return *s ? NULL : "is empty (a name is expected)";
    }
    if (kind == TABLE_NUMBER && strcmp(s, "NA") == 0) {
        return NULL;
    }
    const char *expected = kind == TABLE_NUMBER   ? "a number or NA is expected"
                           : kind == TABLE_FINITE ? "a number is expected"
                                                  : "a count from 0 to 1000000000 is expected";
    if (!parse_number(s, &v)) {
        snprintf(why, n, "'%s' is not a number (%s)", cell, expected);
    } else if (!isfinite(v)) {
        snprintf(why, n, "'%s' is not a finite number (%s)", cell, expected);
    } else if (fabs(v) > TABLE_MAX_NUM) {
        snprintf(why, n, "'%s' is out of range (a magnitude up to %g is expected)", cell,
                 TABLE_MAX_NUM);
    } else if (kind == TABLE_COUNT && (v < 0 || v > 1e9 || v != floor(v))) {
        snprintf(why, n, "'%s' is not a count (%s)", cell, expected);
    } else {
        return NULL;
    }
    return why;
}

int table_check_column(const struct table *t, int c, enum table_kind kind, char *err,
                       size_t err_len)
{
    char why[200];
    for (int r = 0; r < t->n_rows; r++) {
        const char *p = kind_problem(table_at(t, r, c), kind, why, sizeof why);
        if (p) {
            snprintf(err, err_len, "%s:%d: column '%.60s'%s%s", t->path, t->line[r], t->header[c],
                     p == why ? ": " : " ", p);
            return -1;
        }
    }
    return 0;
}

int table_check(const struct table *t, const struct table_column *cols, char *err, size_t err_len)
{
    for (int i = 0; cols[i].name; i++) {
        if (table_col(t, cols[i].name) < 0) {
            char list[400];
            size_t k = 0;
            for (int j = 0; cols[j].name && k + 1 < sizeof list; j++) {
                int w = snprintf(list + k, sizeof list - k, "%s%s", j ? ", " : "", cols[j].name);
                k += w > 0 ? (size_t)w : 0;
            }
            snprintf(err, err_len, "%s:%d: no column '%s' (the columns %s are expected)", t->path,
                     t->header_line, cols[i].name, list);
            return -1;
        }
    }
    if (t->n_rows == 0) {
        snprintf(err, err_len, "%s:%d: no rows after the header (at least one row is expected)",
                 t->path, t->header_line + 1);
        return -1;
    }
    for (int i = 0; cols[i].name; i++) {
        if (table_check_column(t, table_col(t, cols[i].name), cols[i].kind, err, err_len) != 0) {
            return -1;
        }
    }
    return 0;
}

void table_metric_meta(const struct table *t, int c_metric, const char *metric,
                       struct table_meta *out)
{
    int cu = table_col(t, "unit"), cl = table_col(t, "label"), ch = table_col(t, "headline");

    out->unit = "";
    out->label = metric;
    out->is_headline = true;
    for (int r = 0; c_metric >= 0 && r < t->n_rows; r++) {
        if (strcmp(table_at(t, r, c_metric), metric) != 0) {
            continue;
        }
        if (cu >= 0) {
            out->unit = table_at(t, r, cu);
        }
        if (cl >= 0 && table_at(t, r, cl)[0]) {
            out->label = table_at(t, r, cl);
        }
        if (ch >= 0) {
            out->is_headline = strcmp(table_at(t, r, ch), "1") == 0;
        }
        return;
    }
}

/* Adds the distinct metrics of column c (headline ones only when only_headline) to out. */
static int distinct_metrics(const struct table *t, int c, bool only_headline, const char **out,
                            int max)
{
    int ch = table_col(t, "headline"), k = 0;

    for (int r = 0; r < t->n_rows && k < max; r++) {
        const char *m = table_at(t, r, c);
        if (only_headline && strcmp(table_at(t, r, ch), "1") != 0) {
            continue;
        }
        bool seen = false;
        for (int i = 0; i < k && !seen; i++) {
            seen = strcmp(out[i], m) == 0;
        }
        if (!seen) {
            out[k++] = m;
        }
    }
    return k;
}

int table_headlines(const struct table *t, int c_metric, const char **out, int max)
{
    if (c_metric < 0 || max <= 0) {
        return 0;
    }
    int k = table_col(t, "headline") >= 0 ? distinct_metrics(t, c_metric, true, out, max) : 0;
    return k > 0 ? k : distinct_metrics(t, c_metric, false, out, max);
}

int table_check_known(const struct table *t, const struct table_column *cols, char *err,
                      size_t err_len)
{
    for (int c = 0; c < t->n_cols; c++) {
        bool known = false;
        for (int k = 0; cols[k].name && !known; k++) {
            known = strcmp(t->header[c], cols[k].name) == 0;
        }
        if (!known) {
            char list[1024] = "";
            size_t len = 0;
            for (int k = 0; cols[k].name && len < sizeof list; k++) {
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "",
                                        cols[k].name);
            }
            snprintf(err, err_len,
                     "%s:%d: column '%.60s' is not a column of the table (the columns %s are "
                     "expected)",
                     t->path, t->header_line, t->header[c], list);
            return -1;
        }
    }
    return 0;
}
