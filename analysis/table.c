#include "analysis/table.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

void table_free(struct table *t)
{
    for (int i = 0; i < t->n_cols; i++) {
        free(t->header[i]);
    }
    for (long i = 0; i < (long)t->n_rows * t->n_cols; i++) {
        free(t->cell[i]);
    }
    free(t->header);
    free(t->cell);
    memset(t, 0, sizeof *t);
}

/* Splits a CSV line (fields may be quoted with "") into at most max fields. */
static int split(const char *line, char **out, int max)
{
    int n = 0;
    const char *p = line;
    while (n < max) {
        char buf[4096];
        size_t len = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"') {
                    p++;
                }
                if (len + 1 < sizeof buf) {
                    buf[len++] = *p;
                }
                p++;
            }
            if (*p == '"') {
                p++;
            }
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                if (len + 1 < sizeof buf) {
                    buf[len++] = *p;
                }
                p++;
            }
        }
        buf[len] = '\0';
        out[n++] = xstrdup(buf);
        if (*p != ',') {
            break;
        }
        p++;
    }
    return n;
}

int table_read(const char *path, struct table *t, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    char *fields[64];

    memset(t, 0, sizeof *t);
    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? 1 : -1;
    }
    if (!fgets(line, sizeof line, f)) {
        snprintf(err, err_len, "%s: empty file (a header line is expected)", path);
        fclose(f);
        return -1;
    }
    t->n_cols = split(line, fields, 64);
    t->header = xcalloc((size_t)t->n_cols, sizeof *t->header);
    memcpy(t->header, fields, (size_t)t->n_cols * sizeof *fields);
    int cap = 0, lineno = 1;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '\n' || line[0] == '\0') {
            continue;
        }
        int n = split(line, fields, 64);
        if (n != t->n_cols) {
            snprintf(err, err_len, "%s:%d: %d fields where the header has %d", path, lineno, n,
                     t->n_cols);
            for (int i = 0; i < n; i++) {
                free(fields[i]);
            }
            fclose(f);
            table_free(t);
            return -1;
        }
        if (t->n_rows == cap) {
            cap = cap ? 2 * cap : 256;
            t->cell = xreallocarray(t->cell, (size_t)cap * (size_t)t->n_cols, sizeof *t->cell);
        }
        memcpy(t->cell + (size_t)t->n_rows * (size_t)t->n_cols, fields, (size_t)n * sizeof *fields);
        t->n_rows++;
    }
    fclose(f);
    return 0;
}

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
    return t->cell[(size_t)row * (size_t)t->n_cols + (size_t)c];
}

double table_num(const struct table *t, int row, int c)
{
    const char *s = table_at(t, row, c);
    char *end;
    double v = strtod(s, &end);
    return end == s || *end ? NAN : v;
}
