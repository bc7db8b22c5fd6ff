#!/bin/sh
# ccsim compare: comparison.csv with its header, one row per metric and scenario, NA
# differences for the reference, a real difference where the scenarios differ, per-scenario
# files (replications, weekly series, resolved scenario), identical results for any -j, the
# summary in words, the metrics only the second scenario has, the warning when horizons differ,
# and clear errors. On the three-year fixture, without
# figures (make verify runs the ten-year version: tests/verify/cli/compare.sh).
. tests/cli_lib.sh
base=tests/fixtures/care/baseline.cfg
printf 'base = "%s/%s";\nhospital = { beds = 44; };\n' "$(pwd)" "$base" >"$tmp/beds44.cfg"

"$CCSIM" compare "$base" "$tmp/beds44.cfg" -q -r 4 -j 1 --no-plots -o "$tmp/c1" >"$tmp/c1.out" \
    2>"$tmp/c1.err" || bad "compare -j 1"
# The same horizons, warm-ups and seeds: no warning that they differ.
grep -q "differ" "$tmp/c1.err" && bad "a warning of settings that do not differ: $(cat "$tmp/c1.err")"
[ -f "$tmp/c1/warnings.txt" ] && grep -q "differ" "$tmp/c1/warnings.txt" && bad "warnings.txt: settings differ"
# The summary in words on the terminal, with -o too: each count a year, fewer or more (or about
# the same) with its interval; on this short region the beds never run out, so the counts do
# not change at all.
grep -q '^beds44 against baseline (beds44 minus baseline; 95% intervals from 4 paired replications):$' \
    "$tmp/c1.out" || bad "no summary heading: $(head -n 3 "$tmp/c1.out")"
grep -Eq '^  Admissions per year \(all clients\): (([0-9,.]+ (fewer|more)|about the same) \(.* to .*\)|no change in any replication)' \
    "$tmp/c1.out" || bad "no admissions a year in words: $(cat "$tmp/c1.out")"
"$CCSIM" compare "$base" "$tmp/beds44.cfg" -q -r 4 -j 2 --no-plots -o "$tmp/c2" >/dev/null || bad "compare -j 2"
cmp "$tmp/c1/comparison.csv" "$tmp/c2/comparison.csv" || bad "comparison differs with -j"
c="$tmp/c1/comparison.csv"
[ "$(head -n 1 "$c")" = "metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,unit,label,headline,better" ] ||
    bad "header: $(head -n 1 "$c")"
grep -q '^bed_occupancy,baseline,[0-9.]*,[0-9.]*,[0-9.]*,NA,NA,NA,share,Local bed occupancy (time average),0,neither$' "$c" || bad "reference row"
# Fewer beds: occupancy up, with a paired interval above zero.
awk -F, '$1 == "bed_occupancy" && $2 == "beds44" { exit !($6 > 0 && $7 > 0) }' "$c" ||
    bad "bed_occupancy difference is not above zero"
for f in baseline.replications.csv beds44.replications.csv baseline.resolved.cfg \
    beds44.resolved.cfg baseline.timeseries.csv beds44.timeseries.csv manifest.json; do
    [ -s "$tmp/c1/$f" ] || bad "missing $f"
done
n_metrics=$(($(head -n 1 "$tmp/c1/baseline.replications.csv" | tr ',' '\n' | wc -l) - 1))
[ "$(wc -l <"$c")" -eq $((2 * n_metrics + 1)) ] || bad "comparison.csv rows"
# The first scenario's column in a comparison is its own run.
"$CCSIM" run "$base" -q -r 4 --no-plots -o "$tmp/run" || bad "run"
cmp "$tmp/run/replications.csv" "$tmp/c1/baseline.replications.csv" ||
    bad "the reference differs from its own run"
cmp "$tmp/run/timeseries.csv" "$tmp/c1/baseline.timeseries.csv" ||
    bad "the reference's weekly series differ from its own run's"
grep -q '"beds44.timeseries.csv"' "$tmp/c1/manifest.json" || bad "manifest does not list beds44.timeseries.csv"

# A second scenario with an ACT model and another horizon: its act.* metrics are kept, with its
# values and NA for the baseline; the horizons' difference is a warning, in days, with both values.
cat >"$tmp/act.cfg" <<END
base = "$(pwd)/$base";
horizon = 1200.0;
coordination = {
  front_door = "act";
  models = (
    { name = "act"; preset = "act"; posts = 12; fallback = "standard"; },
    { name = "standard"; preset = "standard_care"; posts = 25; }
  );
};
END
"$CCSIM" compare "$base" "$tmp/act.cfg" -q -r 2 --no-plots -o "$tmp/c3" >"$tmp/c3.out" 2>"$tmp/c3.err" ||
    bad "compare with an ACT scenario: $(cat "$tmp/c3.err")"
c3="$tmp/c3/comparison.csv"
grep -q '^act\.caseload,baseline,NA,NA,NA,NA,NA,NA,clients,' "$c3" || bad "act.caseload: no NA row for baseline"
grep -Eq '^act\.caseload,act,[0-9][0-9.e+]*,[0-9.e+-]+,[0-9.e+-]+,NA,NA,NA,clients,' "$c3" ||
    bad "act.caseload: no value for act"
[ "$(grep -c '^act\.' "$c3")" -ge 20 ] || bad "act.* metrics dropped: $(grep -c '^act\.' "$c3") rows"
grep -q "ccsim: compare: warning: the horizons differ: act runs 1200 days (3.3 years), baseline 1100 days (3.0 years)" \
    "$tmp/c3.err" || bad "no warning that the horizons differ: $(cat "$tmp/c3.err")"
grep -q "^compare: warning: the horizons differ: act runs 1200 days" "$tmp/c3/warnings.txt" ||
    bad "warnings.txt lacks the horizons"
grep -q "warm-ups differ\|seeds differ" "$tmp/c3.err" && bad "warm-ups or seeds said to differ"
grep -q "^  only act has act\.caseload, " "$tmp/c3.out" || bad "the summary does not name act's own metrics"
# The report and figures read a folder with NA rows and the per-scenario series beside them.
"$CCSIM" report "$tmp/c3" >"$tmp/out" 2>&1 || bad "report of the ACT comparison: $(cat "$tmp/out")"
grep -q "<td>act</td>" "$tmp/c3/report.html" || bad "the report has no act row"
if command -v gnuplot >/dev/null 2>&1; then
    "$CCSIM" plot "$tmp/c3" >"$tmp/out" 2>&1 || bad "plot of the ACT comparison: $(cat "$tmp/out")"
    [ -s "$tmp/c3/figures/differences.png" ] || bad "no differences figure"
fi

"$CCSIM" compare "$base" >"$tmp/out" 2>&1 && bad "one scenario accepted"
grep -q "at least two scenarios" "$tmp/out" || bad "message for one scenario"
"$CCSIM" compare "$base" "$base" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "two scenarios with one name: exit status"
grep -q "two scenarios are named 'baseline'" "$tmp/out" || bad "message for duplicate names"
exit $fail
