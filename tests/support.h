/*
 * support — helpers shared by the cmocka suites.
 *
 * cmocka 1.1's assert_float_equal compares as float; assert_close() compares doubles with a
 * relative plus absolute tolerance and prints both values when it fails. Include after
 * <cmocka.h>.
 */
#ifndef CCSIM_TESTS_SUPPORT_H
#define CCSIM_TESTS_SUPPORT_H

#include <stdbool.h>

/* True when |a - b| <= abs_tol + rel_tol * |b|; prints the values otherwise. */
bool support_close(double a, double b, double rel_tol, double abs_tol, const char *expr,
                   const char *file, int line);

#define assert_close(a, b, rel_tol, abs_tol)                                                       \
    assert_true(support_close((a), (b), (rel_tol), (abs_tol), #a, __FILE__, __LINE__))

/* True when lo <= x <= hi; prints the values otherwise. */
bool support_inside(double x, double lo, double hi, const char *expr, const char *file, int line);

#define assert_inside(x, lo, hi)                                                                   \
    assert_true(support_inside((x), (lo), (hi), #x, __FILE__, __LINE__))

#endif
