/*
 * table — the files of a results folder, read back (for figures and reports).
 *
 * This is the one reader of the CSV files ccsim writes (summary.csv, comparison.csv,
 * timeseries.csv, sweep.csv, sensitivity.csv, validation.csv), and it reads them as RFC 4180
 * says, as a spreadsheet may have saved them: a header line, then records of as many
 * comma-separated fields; a field may be quoted with '"', and a quoted field may hold commas,
 * line ends and doubled quotes (""). Records end with LF or CRLF; a UTF-8 byte order mark at the
 * start is skipped; empty lines are skipped.
 *
 * It is strict about everything else, and every error names the file and line and says what
 * was expected ("summary.csv:3: 5 fields where the header has 6 (one field per column is
 * expected)"): a path that is not a regular file (a folder, a FIFO: checked on the descriptor,
 * which is opened non-blocking, so nothing blocks), a file over TABLE_MAX_BYTES, a NUL or other
 * control byte, an unclosed quote, text after a closing quote, a record over TABLE_MAX_LINE bytes,
 * ragged rows, an empty or duplicated column name. table_check() then checks named columns and
 * the kind of every cell in them, so that the code drawing or reporting from a table can trust
 * it.
 *
 * Ownership: table_read() fills a caller-provided struct table; table_free() releases what it
 * holds (and is a no-op on a zeroed or freed table). Cells point into one buffer; reading is
 * linear in the file's size.
 */
#ifndef CCSIM_ANALYSIS_TABLE_H
#define CCSIM_ANALYSIS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_MAX_BYTES (64L * 1024 * 1024) /* bytes in one results file */
#define TABLE_MAX_LINE  65536               /* bytes in one record */
#define TABLE_MAX_NUM   1e15                /* largest magnitude table_check accepts */

struct table {
    int n_cols, n_rows;
    int header_line; /* the line the header is on (1 unless blank lines come first) */
    char **header;   /* n_cols names */
    char **cell;     /* n_rows * n_cols, row-major */
    int *line;       /* n_rows: the line each row starts on (the header is line 1, or more) */
    char *path;      /* as given to table_read, for messages */
    char *buf;       /* the file's text, unquoted in place; header and cells point into it */
};

/* Reads path into t. Returns 0; 1 when the file does not exist (err says so); -1 when it is
 * not a readable regular file or is not well-formed CSV, with "PATH:LINE: what is wrong (what is
 * expected)" in err. On any return other than 0, t is zeroed. */
int table_read(const char *path, struct table *t, char *err, size_t err_len);
void table_free(struct table *t);

/* What the cells of a column must hold. */
enum table_kind {
    TABLE_TEXT,   /* anything but the empty string */
    TABLE_NUMBER, /* a finite number of magnitude <= TABLE_MAX_NUM, or NA */
    TABLE_FINITE, /* the same without NA */
    TABLE_COUNT,  /* a whole number from 0 to 1e9 */
};

struct table_column {
    const char *name;
    enum table_kind kind;
};

/* Checks that t has at least one row and every column of cols (terminated by a NULL name), and
 * that each cell of those columns is of its kind. Returns 0, or -1 with "PATH:LINE: what is
 * wrong (what is expected)" in err. */
int table_check(const struct table *t, const struct table_column *cols, char *err, size_t err_len);
/* Checks that t has no column but those of cols (terminated by a NULL name), so that a misspelt
 * name is not silently ignored. Returns 0, or -1 with "PATH:LINE: column 'X' is not a column of
 * the table (the columns A, B, ... are expected)" in err. */
int table_check_known(const struct table *t, const struct table_column *cols, char *err,
                      size_t err_len);
/* Checks that every cell of column c is of kind; as table_check. */
int table_check_column(const struct table *t, int c, enum table_kind kind, char *err,
                       size_t err_len);

/* Index of the column named name, or -1. */
int table_col(const struct table *t, const char *name);
/* Cell (row, c); both in range (asserted). */
const char *table_at(const struct table *t, int row, int c);
/* Cell (row, c) as a number: NaN for "NA" or anything that is not a finite number. */
double table_num(const struct table *t, int row, int c);

/* What a results table says of a metric in its optional columns unit, label and headline
 * (analysis/csv writes them). A table written before they existed describes a metric by its
 * name, with no unit, and counts it a headline metric. */
struct table_meta {
    const char *unit;  /* "" when not given */
    const char *label; /* the metric's name when not given */
    bool is_headline;
};
/* The description of metric (a value of column c_metric) from its first row in t; the name
 * itself, no unit and a headline when no row names it. Cannot fail; points into t. */
void table_metric_meta(const struct table *t, int c_metric, const char *metric,
                       struct table_meta *out);
/* The distinct metrics of column c_metric in order of first appearance, headline ones only
 * (every one when t has no headline column or marks none), at most max of them into out.
 * Returns how many. */
int table_headlines(const struct table *t, int c_metric, const char **out, int max);

/* Opens path for reading only if it is a regular file, checked on the descriptor opened
 * (non-blocking, so that a FIFO does not block). Returns the stream, or NULL with errno set
 * (ENOENT, EISDIR for a folder, EINVAL for another kind of file) and err saying so. *size gets
 * the file's size when size is not NULL. */
FILE *table_open(const char *path, long *size, char *err, size_t err_len);
/* Reads a whole regular file (as table_open) of at most max bytes into a NUL-terminated
 * buffer the caller frees; *len gets its length. Only the bytes the file held when opened are
 * read (a file whose reads never end, such as some in /proc, reads as empty). NULL with errno
 * and err set on failure (EFBIG when larger than max). */
char *table_slurp(const char *path, size_t max, size_t *len, char *err, size_t err_len);

#endif
