/*
 * table — the CSV files ccsim writes, read back (for figures and reports).
 *
 * A header line, then rows of as many comma-separated fields; a field may be quoted with "" (a
 * doubled quote inside). Cells are strings; table_num() reads one as a number (NaN for "NA" or
 * text). table_read() is strict: a row with a different number of fields is an error naming
 * the file and line.
 */
#ifndef CCSIM_ANALYSIS_TABLE_H
#define CCSIM_ANALYSIS_TABLE_H

#include <stddef.h>

struct table {
    int n_cols, n_rows;
    char **header; /* n_cols */
    char **cell;   /* n_rows * n_cols */
};

/* Reads path into t: 0; 1 when the file does not exist; -1 otherwise; err says why. */
int table_read(const char *path, struct table *t, char *err, size_t err_len);
void table_free(struct table *t);

/* Index of the column named name, or -1. */
int table_col(const struct table *t, const char *name);
const char *table_at(const struct table *t, int row, int c);
double table_num(const struct table *t, int row, int c);

#endif
