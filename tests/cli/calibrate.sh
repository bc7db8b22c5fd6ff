#!/bin/sh
# ccsim calibrate: recovers a known parameter from an outcome it produced (same random
# numbers), writes a loadable calibrated scenario with the fitted value marked, and refuses bad
# requests before running. On the three-year fixture (make verify: the ten-year baseline).
. tests/cli_lib.sh
scn=$care
# The outcome at the baseline's crisis rate (18 per year) ...
"$CCSIM" run "$scn" -q -r 4 --no-plots -o "$tmp/truth" || bad "run"
crises=$(awk -F, '$1 == "crises" { print $2 }' "$tmp/truth/summary.csv")
# ... and the crisis rate found from it, starting from the middle of 8..32 (20).
"$CCSIM" calibrate "$scn" --target "crises=$crises" --free risk.crisis_rate=8:32 -r 4 -j 2 -q \
    -o "$tmp/cal" 2>"$tmp/err" || bad "calibrate: $(cat "$tmp/err")"
rate=$(grep '^ *crisis_rate = ' "$tmp/cal/calibrated.cfg" | sed 's/.*= \([0-9.e+-]*\);.*/\1/')
awk -v r="$rate" 'BEGIN { exit !(r > 17.0 && r < 19.0) }' || bad "recovered crisis_rate $rate"
grep -q 'crisis_rate = .*# calibrate (fitted)' "$tmp/cal/calibrated.cfg" || bad "origin comment"
head -n 1 "$tmp/cal/fit.csv" | grep -q '^metric,target,mean,ci_low,ci_high$' || bad "fit.csv"
[ "$(wc -l <"$tmp/cal/evaluations.csv")" -gt 5 ] || bad "evaluations.csv"
"$CCSIM" run "$tmp/cal/calibrated.cfg" -q -r 4 --no-plots -o "$tmp/again" || bad "calibrated.cfg does not run"

"$CCSIM" calibrate "$scn" --target nosuch=3 --free risk.crisis_rate=8:32 >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "unknown metric: exit status"
grep -q "has no metric 'nosuch'" "$tmp/out" || bad "unknown metric message"
"$CCSIM" calibrate "$scn" --target crises=100 --free risk.crisis_rate=-8:32 >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "range outside the key's: exit status"
grep -q "risk.crisis_rate: -8 is out of range" "$tmp/out" || bad "range message"
"$CCSIM" calibrate "$scn" --free risk.crisis_rate=8:32 >"$tmp/out" 2>&1
grep -q "give at least one --target" "$tmp/out" || bad "no target message"
exit $fail
