#!/bin/sh
# ccsim compare: comparison.csv with its header, one row per metric and scenario, NA
# differences for the reference, a real difference where the scenarios differ, per-scenario
# files, identical results for any -j, and clear errors. On the three-year fixture, without
# figures (make verify runs the ten-year version: tests/verify/cli/compare.sh).
. tests/cli_lib.sh
base=tests/fixtures/care/baseline.cfg
printf 'base = "%s/%s";\nhospital = { beds = 44; };\n' "$(pwd)" "$base" >"$tmp/beds44.cfg"

"$CCSIM" compare "$base" "$tmp/beds44.cfg" -q -r 4 -j 1 --no-plots -o "$tmp/c1" || bad "compare -j 1"
"$CCSIM" compare "$base" "$tmp/beds44.cfg" -q -r 4 -j 2 --no-plots -o "$tmp/c2" || bad "compare -j 2"
cmp "$tmp/c1/comparison.csv" "$tmp/c2/comparison.csv" || bad "comparison differs with -j"
c="$tmp/c1/comparison.csv"
[ "$(head -n 1 "$c")" = "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,unit,label,headline" ] ||
    bad "header: $(head -n 1 "$c")"
grep -q '^bed_occupancy,baseline,[0-9.]*,[0-9.]*,[0-9.]*,NA,NA,NA,share,Local bed occupancy (time average),0$' "$c" || bad "reference row"
# Fewer beds: occupancy up, with a paired interval above zero.
awk -F, '$1 == "bed_occupancy" && $2 == "beds44" { exit !($6 > 0 && $7 > 0) }' "$c" ||
    bad "bed_occupancy difference is not above zero"
for f in baseline.replications.csv beds44.replications.csv baseline.resolved.cfg \
    beds44.resolved.cfg manifest.json; do
    [ -s "$tmp/c1/$f" ] || bad "missing $f"
done
n_metrics=$(($(head -n 1 "$tmp/c1/baseline.replications.csv" | tr ',' '\n' | wc -l) - 1))
[ "$(wc -l <"$c")" -eq $((2 * n_metrics + 1)) ] || bad "comparison.csv rows"
# The first scenario's column in a comparison is its own run.
"$CCSIM" run "$base" -q -r 4 --no-plots -o "$tmp/run" || bad "run"
cmp "$tmp/run/replications.csv" "$tmp/c1/baseline.replications.csv" ||
    bad "the reference differs from its own run"

"$CCSIM" compare "$base" >"$tmp/out" 2>&1 && bad "one scenario accepted"
grep -q "at least two scenarios" "$tmp/out" || bad "message for one scenario"
"$CCSIM" compare "$base" "$base" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "two scenarios with one name: exit status"
grep -q "two scenarios are named 'baseline'" "$tmp/out" || bad "message for duplicate names"
exit $fail
