#include "sim/fail.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

void sim_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    fprintf(stderr, "ccsim: internal error at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
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
