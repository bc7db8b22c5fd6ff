#!/bin/sh
# make verify: the long statistical checks. The closed-form queueing checks at full length
# (test_netq --full), W2 of PEERS.md in the care model (test_w2 --full), then the command-line
# checks of tests/cli/ that make test runs short, at full length; ends with
# "verify: N passed, N failed" and exit status 1 if anything failed.
B=${BUILD:-build}
pass=0
fail=0
failed=""
# run NAME LOG COMMAND...: runs the check, prints PASS or FAIL (with the log's tail) and its time.
run() {
    name=$1
    log=$2
    shift 2
    start=$(date +%s)
    if "$@" >"$log" 2>&1; then
        pass=$((pass + 1))
        echo "  PASS    $name ($(($(date +%s) - start)) s)"
    else
        fail=$((fail + 1))
        failed="$failed $name"
        echo "  FAIL    $name (log: $log)"
        tail -n 30 "$log"
    fi
}
mkdir -p "$B/tests/verify"
run "test_netq --full" "$B/tests/verify/test_netq.log" "$B/tests/test_netq" --full
# W2 of PEERS.md in the care model: eight exact values inside their 99% intervals (a minute or
# two of CPU: 20 runs of 1,000 years).
run "test_w2 --full" "$B/tests/verify/test_w2.log" "$B/tests/test_w2" --full
# The command-line checks that make test runs on the three-year fixture, on the ten-year
# baseline (CCSIM_FULL=1: tests/cli_lib.sh).
for name in reproducible sweep compare sensitivity calibrate precision validate; do
    t=tests/cli/$name.sh
    run "$name.sh (full)" "$B/tests/verify/$name.sh.log" env CCSIM="$B/ccsim" CCSIM_FULL=1 sh "$t"
done
# The baseline is steady (docs/model.md 4.2): 10 and 40 observed years after its 5-year
# warm-up from the region's state agree within 5% on every headline metric, and no series is
# called drifting (about half a minute of CPU).
steady_baseline() {
    d=$B/tests/verify/steady_baseline
    rm -rf "$d" && mkdir -p "$d"
    "$B/ccsim" run scenarios/care/baseline.cfg -q --no-plots -o "$d/10" 2>"$d.10.err" || return 1
    "$B/ccsim" run scenarios/care/baseline.cfg -q --no-plots -o "$d/40" --set horizon=16436 \
        2>"$d.40.err" || return 1
    cat "$d.10.err" "$d.40.err"
    if grep -q 'not steady' "$d.10.err" "$d.40.err"; then
        echo "the baseline is called not steady"
        return 1
    fi
    awk -F, 'FNR == 1 { next }
        NR == FNR { if ($9 == 1) ten[$1] = $2; next }
        $1 in ten { n++; d = ($2 - ten[$1]) / ten[$1]; if (d < 0) d = -d
            printf "%s: %g (10 years), %g (40 years), %.1f%%\n", $1, ten[$1], $2, 100 * d
            if (d > 0.05) bad++ }
        END { exit !(n > 0 && !bad) }' "$d/10/summary.csv" "$d/40/summary.csv"
}
run "baseline steady (10 and 40 observed years)" "$B/tests/verify/steady_baseline.log" \
    steady_baseline
# The baseline is calibrated (docs/calibration.md): every target of scenarios/care/targets.csv
# inside its range (ccsim calibrate without --free exits 1 otherwise).
run "baseline calibrated (scenarios/care/targets.csv)" "$B/tests/verify/calibrated.log" \
    "$B/ccsim" calibrate scenarios/care/baseline.cfg --targets scenarios/care/targets.csv -j 2
# --warmup auto ends inside its limit on the baseline run for 20 years (MSER-5, docs/model.md
# 4.1: on the 15-year run the assessment list, parting slowly from the common start, takes
# MSER-5 to its limit of half the run at the baseline's seed).
warmup_inside() {
    "$B/ccsim" run scenarios/care/baseline.cfg -q --no-plots --warmup auto -j 2 --set horizon=7305 \
        -o "$B/tests/verify/warmup_auto" --force 2>&1 | tee "$B/tests/verify/warmup_auto.err"
    grep -q "warm-up estimated by MSER-5" "$B/tests/verify/warmup_auto.err" &&
        ! grep -q "the longest MSER-5 may choose" "$B/tests/verify/warmup_auto.err"
}
run "--warmup auto inside its limit" "$B/tests/verify/warmup_auto.log" warmup_inside
echo "verify: $pass passed, $fail failed${failed:+ (failed:$failed)}"
[ "$fail" -eq 0 ]
