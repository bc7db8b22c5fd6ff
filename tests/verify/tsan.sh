#!/bin/sh
# make tsan: the tests that run replications on more than one thread, on a ThreadSanitizer
# build ($BUILD, normally build-tsan), the long ones small (tests/verify/README.md). A data race fails the test that met it (exit status 66)
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
    # (A shell function of this script runs its commands with $prefix itself.)
    p=$prefix
    case $(type "$1" 2>/dev/null) in *function*) p="" ;; esac
    if $p "$@" >"$log" 2>&1 && ! ls "$logs"/report.* >/dev/null 2>&1; then
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
# The cmocka suites that run experiments on two threads: test_netq, test_runner (variants
# loaded and run as a whole, with the first one's seed) and test_unitstore (kept replications
# read and appended by several threads). (test_care runs its many short
# experiments on two threads too, but takes ten minutes under ThreadSanitizer; the care model's
# threaded runs are covered by the command-line tests below, -j 2 and -j 5.)
for t in test_netq test_runner test_unitstore; do
    run "$t" "$B/tests/$t"
done
# The command-line tests with -j cases that are short under ThreadSanitizer (a few seconds of
# CPU each at full speed).
for t in reproducible compare precision; do
    run "$t.sh" env CCSIM="$B/ccsim" sh "tests/cli/$t.sh"
done
# The commands whose results the longer command-line tests check (sweep, sensitivity,
# calibration, validation), each small: ThreadSanitizer needs their threads, two workers over
# several replications and points, not the statistics that make test and make check assert on
# these scripts. The same results with -j 2 as with -j 1 where the table is cheap to compare.
fx=tests/fixtures/care/baseline.cfg
years="--set horizon=400 --set warmup=100"
short="-q --no-plots $years"
out="$logs/out"
rm -rf "$out"
mkdir -p "$out"
same_sweep() { # a sweep of 2 x 2 points, 3 replications, on 2 threads and on 1
    # shellcheck disable=SC2086
    $prefix "$B/ccsim" sweep $fx --vary hospital.beds=46:50:4 \
        --vary coordination.models[0].posts=33:41:8 -r 3 -j 2 $short -o "$out/sweep2" &&
        $prefix "$B/ccsim" sweep $fx --vary hospital.beds=46:50:4 \
            --vary coordination.models[0].posts=33:41:8 -r 3 -j 1 $short -o "$out/sweep1" &&
        cmp "$out/sweep1/sweep.csv" "$out/sweep2/sweep.csv"
}
run "sweep-j2" same_sweep
resumed_sweep() { # a sweep killed once it has kept a replication, resumed on 2 threads
    # shellcheck disable=SC2086
    $prefix "$B/ccsim" sweep $fx --vary hospital.beds=46:50:4 \
        --vary coordination.models[0].posts=33:41:8 -r 3 -j 2 $short -o "$out/resumed" &
    pid=$!
    i=0
    while [ $i -lt 3000 ] && ! [ -s "$(ls "$out"/.resumed.ccsim-units/units-* 2>/dev/null | head -n 1)" ]; do
        sleep 0.01
        i=$((i + 1))
    done
    kill -KILL $pid 2>/dev/null
    wait $pid
    # shellcheck disable=SC2086
    $prefix "$B/ccsim" sweep $fx --vary hospital.beds=46:50:4 \
        --vary coordination.models[0].posts=33:41:8 -r 3 -j 2 $short --resume "$out/resumed" &&
        cmp "$out/sweep1/sweep.csv" "$out/resumed/sweep.csv"
}
run "resume-j2" resumed_sweep
# shellcheck disable=SC2086
run "sensitivity-j2" "$B/ccsim" sensitivity $fx -r 2 -j 2 $short -o "$out/sensitivity"
# shellcheck disable=SC2086
run "calibrate-j2" "$B/ccsim" calibrate $fx --target crises=100 --free risk.crisis_rate=8:32 \
    -r 3 -j 2 --max-iter 3 -q $years -o "$out/calibrate"
same_validate() { # the fixture table (validate.sh), on 2 threads and on 1
    for j in 1 2; do
        $prefix "$B/ccsim" validate --dir tests/fixtures/validation -q -r 3 -j $j \
            -o "$out/validate$j" >"$out/validate$j.txt"
        rc=$?
        [ "$rc" -le 1 ] || return 1
    done
    cmp "$out/validate1/validation.csv" "$out/validate2/validation.csv"
}
run "validate-j2" same_validate
echo "tsan: $pass passed, $fail failed${failed:+ (failed:$failed)}"
[ "$fail" -eq 0 ]
