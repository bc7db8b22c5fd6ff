#!/bin/sh
# make tsan: every test that runs replications on more than one thread, on a ThreadSanitizer
# build ($BUILD, normally build-tsan). A data race fails the test that met it (exit status 66)
# and leaves its report in $BUILD/tests/tsan/; ends with "tsan: N passed, N failed".
B=${BUILD:-build-tsan}
logs="$B/tests/tsan"
rm -rf "$logs"
mkdir -p "$logs"
TSAN_OPTIONS="halt_on_error=1 exitcode=66 log_path=$(pwd)/$logs/report${TSAN_OPTIONS:+ $TSAN_OPTIONS}"
export TSAN_OPTIONS
# Some kernels place memory where ThreadSanitizer cannot shadow it ("unexpected memory mapping");
# without address-space randomisation it can.
prefix=""
if ! "$B/ccsim" --version >/dev/null 2>&1; then
    prefix="setarch $(uname -m) -R"
    $prefix "$B/ccsim" --version >/dev/null 2>&1 || {
        echo "tsan: $B/ccsim does not start, even without address-space randomisation:"
        "$B/ccsim" --version 2>&1 | head -n 5
        exit 1
    }
    echo "tsan: running without address-space randomisation (setarch -R)"
fi
rm -f "$logs"/report.*
pass=0
fail=0
failed=""
run() { # run NAME COMMAND...
    name=$1
    shift
    log="$logs/$name.log"
    start=$(date +%s)
    if $prefix "$@" >"$log" 2>&1 && ! ls "$logs"/report.* >/dev/null 2>&1; then
        pass=$((pass + 1))
        echo "  PASS    $name ($(($(date +%s) - start)) s)"
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "  FAIL    $name (log: $log)"
        tail -n 20 "$log"
        for r in "$logs"/report.*; do
            [ -f "$r" ] || continue
            head -n 40 "$r"
            mv "$r" "$logs/$name.$(basename "$r")"
        done
    fi
}
# The cmocka suites that run experiments on two threads: test_netq, and test_runner (variants
# loaded and run as a whole, with the first one's seed). (test_care runs its many short
# experiments on two threads too, but takes ten minutes under ThreadSanitizer; the care model's
# threaded runs are covered by the command-line tests below, -j 2 and -j 5.)
for t in test_netq test_runner; do
    run "$t" "$B/tests/$t"
done
# The command-line tests with -j cases.
for t in reproducible compare sweep precision validate calibrate sensitivity; do
    run "$t.sh" env CCSIM="$B/ccsim" sh "tests/cli/$t.sh"
done
echo "tsan: $pass passed, $fail failed${failed:+ (failed:$failed)}"
[ "$fail" -eq 0 ]
