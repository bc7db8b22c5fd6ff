#include "sim/fail.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

/* Per thread: each replication runs on one thread, and its report must name that run. */
static _Thread_local struct sim_fail_context current;

struct sim_fail_context sim_fail_context_set(struct sim_fail_context next)
{
    struct sim_fail_context prev = current;

    current = next;
    return prev;
}

void sim_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    char where[256];

    fflush(stdout);
    fprintf(stderr, "ccsim: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (current.ctx && current.describe) {
        where[0] = '\0';
        current.describe(current.ctx, where, sizeof where);
        fprintf(stderr, " (%s)", where);
    }
    fputc('\n', stderr);
    abort();
}

static void gsl_to_sim_fail(const char *reason, const char *file, int line, int gsl_errno)
{
    sim_fail(file, line, "GSL error %d: %s", gsl_errno, reason);
}

void sim_fail_install_gsl_handler(void)
{
    gsl_set_error_handler(gsl_to_sim_fail);
}
