#!/bin/sh
# Same scenario and seed give byte-identical results folders, run to run and for any -j.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
scn=scenarios/verify/jackson.cfg
"$CCSIM" run "$scn" -q -r 6 -j 1 -o "$tmp/a" || fail=1
"$CCSIM" run "$scn" -q -r 6 -j 1 -o "$tmp/b" || fail=1
"$CCSIM" run "$scn" -q -r 6 -j 2 -o "$tmp/c" || fail=1
"$CCSIM" run "$scn" -q -r 6 -j 5 -o "$tmp/d" || fail=1
# Without -j: one thread per online core (the manifest records it), the same results.
"$CCSIM" run "$scn" -q -r 6 -o "$tmp/j" || fail=1
cores=$(getconf _NPROCESSORS_ONLN)
grep -q "\"threads\": $cores," "$tmp/j/manifest.json" || {
    echo "FAIL: without -j, not one thread per online core ($cores): $(grep threads "$tmp/j/manifest.json")"
    fail=1
}
for d in b c d j; do
    for f in summary.csv replications.csv; do
        if ! cmp "$tmp/a/$f" "$tmp/$d/$f"; then
            echo "FAIL: $f differs between run a and run $d"
            fail=1
        fi
    done
done
# A different seed must change the results (the seed is really used).
"$CCSIM" run "$scn" -q -r 6 -s 99 -o "$tmp/e" || fail=1
if cmp -s "$tmp/a/replications.csv" "$tmp/e/replications.csv"; then
    echo "FAIL: seed 99 gave the same replications as the scenario seed"
    fail=1
fi
# The first replications do not depend on how many replications were asked for.
"$CCSIM" run "$scn" -q -r 3 -o "$tmp/f" || fail=1
head -n 4 "$tmp/a/replications.csv" >"$tmp/a3"
if ! cmp "$tmp/a3" "$tmp/f/replications.csv"; then
    echo "FAIL: replication r depends on the number of replications"
    fail=1
fi
# The care model: the same for any -j, time series included, and its resolved scenario
# reproduces the folder. On the three-year fixture (make verify runs the ten-year baseline:
# tests/verify/cli/reproducible.sh).
care=tests/fixtures/care/baseline.cfg
"$CCSIM" run "$care" -q -r 3 -j 1 --no-plots -o "$tmp/c1" || fail=1
"$CCSIM" run "$care" -q -r 3 -j 2 --no-plots -o "$tmp/c2" || fail=1
"$CCSIM" run "$tmp/c1/scenario.resolved.cfg" -q -j 2 --no-plots -o "$tmp/c3" || fail=1
for d in c2 c3; do
    for f in summary.csv replications.csv timeseries.csv; do
        if ! cmp "$tmp/c1/$f" "$tmp/$d/$f"; then
            echo "FAIL: care $f differs between c1 and $d"
            fail=1
        fi
    done
done
[ "$(head -n 1 "$tmp/c1/timeseries.csv")" = "week,metric,mean,ci_low,ci_high,unit,label" ] || {
    echo "FAIL: timeseries.csv header"
    fail=1
}
# 157 weeks in 1100 days, 5 series each, and the header.
[ "$(wc -l <"$tmp/c1/timeseries.csv")" -eq $((157 * 11 + 1)) ] || {
    echo "FAIL: timeseries.csv has $(wc -l <"$tmp/c1/timeseries.csv") lines"
    fail=1
}
exit $fail
