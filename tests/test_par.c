/*
 * par without MPI: the launcher variables that make the ordinary build refuse to run, one rank
 * whose exchanges are copies, and the agreement helpers as the identity. (The MPI build is
 * tested by make mpi-test, tests/mpi/run.sh.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/par.h"
#include "sim/error.h"
#include "support.h"

static void clear_launcher(void)
{
    unsetenv("OMPI_COMM_WORLD_SIZE");
    unsetenv("PMI_SIZE");
}

/* The size a launcher reports, from either variable; 0 when none or not a count. */
static void test_launched(void **state)
{
    (void)state;
    clear_launcher();
    assert_int_equal(par_launched(), 0);
    setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
    assert_int_equal(par_launched(), 3);
    clear_launcher();
    setenv("PMI_SIZE", "16", 1);
    assert_int_equal(par_launched(), 16);
    setenv("PMI_SIZE", "4x", 1);
    assert_int_equal(par_launched(), 0);
    setenv("PMI_SIZE", "0", 1);
    assert_int_equal(par_launched(), 0);
    clear_launcher();
}

#ifndef CCSIM_MPI
/* The ordinary build refuses one process of several, with a reason naming make MPI=1, and
 * accepts a launch of one. */
static void test_refuses_launcher(void **state)
{
    (void)state;
    char err[512] = "";
    int argc = 1;
    char *args[] = {"ccsim", NULL}, **argv = args;

    setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
    assert_int_equal(par_init(&argc, &argv, err, sizeof err), CCSIM_EUSAGE);
    assert_non_null(strstr(err, "one of 3 processes"));
    assert_non_null(strstr(err, "built without MPI"));
    assert_non_null(strstr(err, "make MPI=1"));
    setenv("OMPI_COMM_WORLD_SIZE", "1", 1);
    err[0] = '\0';
    assert_int_equal(par_init(&argc, &argv, err, sizeof err), 0);
    assert_string_equal(err, "");
    clear_launcher();
    assert_int_equal(par_init(&argc, &argv, err, sizeof err), 0);
    assert_int_equal(par_finalize(2), 2);
}
#endif

/* One rank: rank 0 of 1, the writer; an exchange copies its values to displs[0]. */
static void test_one_rank(void **state)
{
    (void)state;
    assert_int_equal(par_rank(), 0);
    assert_int_equal(par_size(), 1);
    assert_true(par_is_root());
    assert_true(par_cpus() >= 1 && par_cpus() <= 256);

    const double send[] = {1.5, -2.25, 3.0};
    double recv[6] = {0};
    const size_t counts[] = {3}, displs[] = {2};
    par_allgatherv_doubles(send, 3, recv, counts, displs);
    assert_true(recv[0] == 0.0 && recv[1] == 0.0);
    assert_true(recv[2] == 1.5 && recv[3] == -2.25 && recv[4] == 3.0 && recv[5] == 0.0);

    const uint64_t big[] = {UINT64_MAX, 1};
    uint64_t got[2] = {0};
    const size_t c2[] = {2}, d2[] = {0};
    par_allgatherv_u64(big, 2, got, c2, d2);
    assert_true(got[0] == UINT64_MAX && got[1] == 1);

    assert_int_equal(par_min_long(7), 7);
    assert_int_equal(par_max_int(-3), -3);
    assert_int_equal(par_sum_long(5), 5);
    assert_int_equal(par_root_int(CCSIM_EIO), CCSIM_EIO);
    assert_int_equal(par_first_error(0), 0);
    assert_int_equal(par_first_error(CCSIM_EINPUT), CCSIM_EINPUT);
    par_wait();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_launched),
#ifndef CCSIM_MPI
        cmocka_unit_test(test_refuses_launcher),
#endif
        cmocka_unit_test(test_one_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
