#include "sim/diag.h"

#include <stdarg.h>
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
    }
    diag_init(d);
}

void diag_add(struct diag *d, const char *file, int line, const char *key, const char *fmt, ...)
{
    char text[1024];
    char prefix[640] = "";
    va_list ap;

    if (d->n >= DIAG_MAX) {
        d->n_omitted++;
        return;
    }
    if (file && line > 0) {
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    } else if (file) {
        snprintf(prefix, sizeof prefix, "%s: ", file);
    }
    if (key) {
        size_t len = strlen(prefix);
        snprintf(prefix + len, sizeof prefix - len, "%s: ", key);
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);

    size_t n = strlen(prefix) + strlen(text) + 1;
    char *msg = xmalloc(n);
    snprintf(msg, n, "%s%s", prefix, text);
    d->msgs[d->n++] = msg;
}

void diag_print(const struct diag *d, FILE *out)
{
    for (int i = 0; i < d->n; i++) {
        fprintf(out, "%s\n", d->msgs[i]);
    }
    if (d->n_omitted > 0) {
        fprintf(out, "... and %d more problem%s\n", d->n_omitted, d->n_omitted == 1 ? "" : "s");
    }
}
