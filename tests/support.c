#include "tests/support.h"

#include <math.h>
#include <stdio.h>

bool support_close(double a, double b, double rel_tol, double abs_tol, const char *expr,
                   const char *file, int line)
{
    if (fabs(a - b) <= abs_tol + rel_tol * fabs(b)) {
        return true;
    }
    fprintf(stderr, "%s:%d: %s = %.12g, expected %.12g (rel %g, abs %g)\n", file, line, expr, a, b,
            rel_tol, abs_tol);
    return false;
}

bool support_inside(double x, double lo, double hi, const char *expr, const char *file, int line)
{
    if (x >= lo && x <= hi) {
        return true;
    }
    fprintf(stderr, "%s:%d: %s = %.12g, outside [%.12g, %.12g]\n", file, line, expr, x, lo, hi);
    return false;
}
