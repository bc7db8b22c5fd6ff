#!/bin/sh
# The stationarity check (analysis/stationarity.h): a deliberately overloaded region
# (scenarios/care/overloaded.cfg, at the fixture's three years) prints "not steady" for the
# coordination waiting list, naming its metric and its drift a year, writes diagnostics.csv
# with the verdict "drifting" (listed in the manifest, kept in warnings.txt, accepted by
# --force) and the report says so; a region that settles (tests/fixtures/care/steady.cfg)
# prints no such line and every series is steady; a comparison writes each scenario's
# NAME.diagnostics.csv; --warmup auto at MSER-5's limit is kept in warnings.txt; a model
# without weekly series (M/M/1) writes none.
. tests/cli_lib.sh
over=scenarios/care/overloaded.cfg
short="--set horizon=1100 --set warmup=365"

# shellcheck disable=SC2086
"$CCSIM" run "$over" -r 4 -q $short --no-plots -o "$tmp/over" 2>"$tmp/over.err" ||
    bad "run $over: exit status $?"
grep -q '^ccsim: not steady: Clients waiting for a coordinator at the end of the week rises by [0-9.]* clients a year (+[0-9.]*% a year, 95% CI [0-9.]* to [0-9.]*); so does the metric waiting_coordination ' \
    "$tmp/over.err" || {
    bad "overloaded: no warning for the coordination waiting list"
    cat "$tmp/over.err"
}
grep -q '^ccsim: not steady: [0-9]* of 11 weekly series drift after the warm-up, so the results depend on the run length; lengthen the warm-up, or see docs/model.md' \
    "$tmp/over.err" || bad "overloaded: no line saying what to do"
d=$tmp/over/diagnostics.csv
[ "$(head -n 1 "$d")" = "series,metric,unit,label,level,drift_per_year,drift_low,drift_high,relative_drift_per_year,first_half,second_half,change_low,change_high,relative_change_per_year,verdict" ] ||
    bad "diagnostics.csv header: $(head -n 1 "$d")"
[ "$(wc -l <"$d")" -eq 12 ] || bad "diagnostics.csv: $(wc -l <"$d") lines, expected 12"
awk -F, '$1 == "waiting_coordination" { found = 1; ok = $NF == "drifting" && $6 > 0 && $7 > 0 }
    END { exit !(found && ok) }' "$d" || bad "waiting_coordination is not drifting upwards in $d"
grep -q '"diagnostics.csv"' "$tmp/over/manifest.json" || bad "manifest.json does not list diagnostics.csv"
grep -q '^not steady: Clients waiting for a coordinator' "$tmp/over/warnings.txt" ||
    bad "warnings.txt does not keep the warning"
# shellcheck disable=SC2086
"$CCSIM" run "$over" -r 4 -q $short --no-plots -o "$tmp/over" --force 2>/dev/null ||
    bad "--force refused a folder with diagnostics.csv"
text_report "$tmp/over" >/dev/null 2>"$tmp/report.err" || bad "report: $(cat "$tmp/report.err")"
grep -q '<h2>Steady state</h2>' "$tmp/over/report.html" || bad "report: no Steady state section"
grep -q 'class="fail">Not steady: [0-9]* of 11 weekly series drift' "$tmp/over/report.html" ||
    bad "report does not say the run is not steady"
# --warmup auto at MSER-5's limit is the same sign: its note is kept with the warnings.
"$CCSIM" run "$over" -r 4 -q --set horizon=1100 --set warmup=0 --warmup auto --no-plots \
    -o "$tmp/auto" 2>/dev/null || bad "run --warmup auto: exit status $?"
grep -q '^warm-up estimated by MSER-5 .*this is the longest MSER-5 may choose' "$tmp/auto/warnings.txt" ||
    bad "--warmup auto at its limit: not in warnings.txt"
# A malformed diagnostics.csv is refused as any other file.
cp -r "$tmp/over" "$tmp/broken"
printf 'series,level\nx\n' >"$tmp/broken/diagnostics.csv"
"$CCSIM" report "$tmp/broken" >/dev/null 2>"$tmp/broken.err" && bad "report of a malformed diagnostics.csv succeeded"
grep -q 'diagnostics.csv:2' "$tmp/broken.err" || bad "report: $(cat "$tmp/broken.err")"

# A region that settles: no warning, every series steady, and the report says so.
"$CCSIM" run tests/fixtures/care/steady.cfg -q --no-plots -o "$tmp/steady" 2>"$tmp/steady.err" ||
    bad "run steady.cfg: exit status $?"
if grep -q 'not steady' "$tmp/steady.err"; then
    bad "steady.cfg: a warning"
    cat "$tmp/steady.err"
fi
[ "$(awk -F, 'NR > 1 && $NF != "steady"' "$tmp/steady/diagnostics.csv" | wc -l)" -eq 0 ] ||
    bad "steady.cfg: a series is not steady: $(cat "$tmp/steady/diagnostics.csv")"
text_report "$tmp/steady" >/dev/null 2>&1 || bad "report of steady.cfg failed"
grep -q 'class="pass">Steady: no weekly series drifts' "$tmp/steady/report.html" ||
    bad "report of steady.cfg does not say it is steady"

# A comparison: each scenario's diagnostics, its warnings under its name.
# shellcheck disable=SC2086
"$CCSIM" compare "$care" "$over" -r 4 -q $short --no-plots -o "$tmp/cmp" 2>"$tmp/cmp.err" ||
    bad "compare: exit status $?"
for f in baseline.diagnostics.csv overloaded.diagnostics.csv; do
    [ -f "$tmp/cmp/$f" ] || bad "compare: no $f"
done
grep -q '^ccsim: overloaded: not steady: Clients waiting for a coordinator' "$tmp/cmp.err" ||
    bad "compare: no warning under the overloaded scenario's name"
text_report "$tmp/cmp" >/dev/null 2>&1 || bad "report of the comparison failed"
grep -q '<h3>overloaded</h3>' "$tmp/cmp/report.html" || bad "compare report: no overloaded steady state"

# No weekly series: nothing to check, no file.
"$CCSIM" run scenarios/verify/mm1.cfg -r 2 -q --set horizon=2000 --no-plots -o "$tmp/mm1" 2>"$tmp/mm1.err" ||
    bad "mm1: exit status $?"
[ ! -e "$tmp/mm1/diagnostics.csv" ] || bad "mm1: a diagnostics.csv"
grep -q 'not steady' "$tmp/mm1.err" && bad "mm1: a warning"
exit $fail
