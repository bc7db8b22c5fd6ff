#include "sim/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/xalloc.h"

void diag_init(struct diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_fini(struct diag *d)
{
    for (int i = 0; i < d->n; i++) {
        free(d->msgs[i]);
        free(d->msg_file[i]);
    }
    for (int i = 0; i < d->n_warns; i++) {
        free(d->warns[i]);
        free(d->warn_file[i]);
    }
    diag_init(d);
}

/* "file:line: key: " + tag + the formatted text, in a new string. */
static char *format_line(const char *file, int line, const char *key, const char *tag,
                         const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static char *format_line(const char *file, int line, const char *key, const char *tag,
                         const char *fmt, va_list ap)
{
    char text[1024];
    char prefix[640] = "";

    if (file && line > 0) {
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    } else if (file) {
        snprintf(prefix, sizeof prefix, "%s: ", file);
    }
    if (key) {
        size_t len = strlen(prefix);
        snprintf(prefix + len, sizeof prefix - len, "%s: ", key);
    }
    vsnprintf(text, sizeof text, fmt, ap);

    size_t n = strlen(prefix) + strlen(tag) + strlen(text) + 1;
    char *msg = xmalloc(n);
    snprintf(msg, n, "%s%s%s", prefix, tag, text);
    return msg;
}

/* Where a message sorts: its file (a copy, or NULL) and *line. An override from a file's set
 * list is located as "file:line" with no line of its own: it sorts at that line of that file. */
static char *sort_file(const char *file, int *line)
{
    char *wf = file ? xstrdup(file) : NULL;
    char *colon = wf && *line <= 0 ? strrchr(wf, ':') : NULL;
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        *line = atoi(colon + 1);
        *colon = '\0';
    }
    return wf;
}

void diag_add(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
{
    va_list ap;

    if (d->n >= DIAG_MAX) {
        d->n_omitted++;
        return;
    }
    va_start(ap, fmt);
    d->msgs[d->n] = format_line(file, line, key, "", fmt, ap);
    va_end(ap);
    d->msg_file[d->n] = sort_file(file, &line);
    d->msg_line[d->n++] = line;
}

void diag_warn(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    char *msg = format_line(file, line, key, "warning: ", fmt, ap);
    va_end(ap);
    /* A value read twice (a model's preset and its own check, say) warns once. */
    for (int i = 0; i < d->n_warns; i++) {
        if (strcmp(d->warns[i], msg) == 0) {
            free(msg);
            return;
        }
    }
    if (d->n_warns >= DIAG_MAX) {
        d->n_warns_omitted++;
        free(msg);
        return;
    }
    d->warn_file[d->n_warns] = sort_file(file, &line);
    d->warn_line[d->n_warns] = line;
    d->warns[d->n_warns++] = msg;
}

/* The rank of message i's file: the index of the first message about that file. */
static int file_rank(char *const *file, int i)
{
    for (int j = 0; j < i; j++) {
        const char *a = file[j], *b = file[i];
        if ((!a && !b) || (a && b && strcmp(a, b) == 0)) {
            return j;
        }
    }
    return i;
}

/* Whether message a prints after message b: those with a line first (files in the order first
 * named, lines ascending), then those without one (command-line options) as recorded. */
static bool later(const int *line, const int *rank, int a, int b)
{
    bool a_line = line[a] > 0, b_line = line[b] > 0;

    if (a_line != b_line) {
        return !a_line;
    }
    if (!a_line) {
        return false;
    }
    return rank[a] > rank[b] || (rank[a] == rank[b] && line[a] > line[b]);
}

/* Prints msg[0..n-1] in file order (a stable insertion sort: values are read in model order,
 * which is not file order). */
static void print_in_file_order(char *const *msg, char *const *file, const int *line, int n,
                                FILE *out)
{
    int order[DIAG_MAX], rank[DIAG_MAX];

    for (int i = 0; i < n; i++) {
        rank[i] = file_rank(file, i);
        int j = i;
        while (j > 0 && later(line, rank, order[j - 1], i)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s\n", msg[order[i]]);
    }
}

void diag_print(const struct diag *d, FILE *out)
{
    print_in_file_order(d->msgs, d->msg_file, d->msg_line, d->n, out);
    if (d->n_omitted > 0) {
        fprintf(out, "... and %d more problem%s\n", d->n_omitted, d->n_omitted == 1 ? "" : "s");
    }
}

int diag_print_warnings(const struct diag *d, FILE *out)
{
    print_in_file_order(d->warns, d->warn_file, d->warn_line, d->n_warns, out);
    if (d->n_warns_omitted > 0) {
        fprintf(out, "... and %d more warning%s\n", d->n_warns_omitted,
                d->n_warns_omitted == 1 ? "" : "s");
    }
    if (fflush(out) != 0 || ferror(out)) {
        return -(errno ? errno : EIO);
    }
    return 0;
}
