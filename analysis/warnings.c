/* warnings — each warning printed once and kept for warnings.txt (see warnings.h). */
#include "analysis/warnings.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/error.h"
#include "sim/xalloc.h"

void warnings_init(struct warnings *w)
{
    memset(w, 0, sizeof *w);
}

void warnings_fini(struct warnings *w)
{
    for (int i = 0; i < w->n; i++) {
        free(w->lines[i]);
    }
    free(w->lines);
    memset(w, 0, sizeof *w);
}

bool warnings_add(struct warnings *w, const char *line)
{
    for (int i = 0; i < w->n; i++) {
        if (strcmp(w->lines[i], line) == 0) {
            return false;
        }
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->lines = xreallocarray(w->lines, (size_t)w->cap, sizeof *w->lines);
    }
    w->lines[w->n++] = xstrdup(line);
    return true;
}

void warnings_each_line(void (*print)(const void *ctx, FILE *f), const void *ctx,
                        void (*fn)(void *arg, const char *line), void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    if (!mem) {
        /* As xmalloc() does when memory runs out. */
        fprintf(stderr, "ccsim: out of memory (a message buffer)\n");
        exit(1);
    }
    print(ctx, mem);
    fclose(mem);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        fn(arg, line);
    }
    free(text);
}

struct note {
    struct warnings *w;
    FILE *out;
};

static void print_warnings(const void *ctx, FILE *f)
{
    cfg_print_warnings(ctx, f);
}

static void note_line(void *arg, const char *line)
{
    struct note *n = arg;

    if (warnings_add(n->w, line) && n->out) {
        fprintf(n->out, "%s\n", line);
    }
}

void warnings_note(struct warnings *w, const struct cfg *c, FILE *out)
{
    struct note n = {.w = w, .out = out};

    if (cfg_n_warnings(c) == 0) {
        return;
    }
    warnings_each_line(print_warnings, c, note_line, &n);
}

int warnings_write(const struct warnings *w, const char *path, char *err, size_t err_len)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return CCSIM_EIO;
    }
    for (int i = 0; i < w->n; i++) {
        fprintf(f, "%s\n", w->lines[i]);
    }
    int e = ferror(f) ? EIO : 0;
    if (fclose(f) != 0 && e == 0) {
        e = errno;
    }
    if (e != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(e));
        return CCSIM_EIO;
    }
    return 0;
}
