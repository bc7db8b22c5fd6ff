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
# One target for one parameter identifies it: the interval (from the Monte Carlo error of the
# crises) holds the true 18, inside the range, and no warning.
head -n 1 "$tmp/cal/params.csv" |
    grep -q '^param,value,ci_low,ci_high,lo,hi,sd,identified,problem$' || bad "params.csv header"
awk -F, '$1 == "risk.crisis_rate" { found = 1; ok = $3 <= 18 && 18 <= $4 && $3 >= 8 && $4 <= 32 &&
    $3 < $4 && $5 == 8 && $6 == 32 && $8 == "yes" && $9 == "NA" }
    END { exit !(found && ok) }' "$tmp/cal/params.csv" || bad "params.csv: $(cat "$tmp/cal/params.csv")"
grep -q '^## Uncertainty of the fitted parameters$' "$tmp/cal/calibration.md" || bad "md section"
grep -q 'The targets identify every free parameter separately.' "$tmp/cal/calibration.md" ||
    bad "md: identified"
! grep -q 'do not identify' "$tmp/err" || bad "a warning for an identified parameter"
head -n 1 "$tmp/cal/fit.csv" |
    grep -q '^metric,target,low,high,mean,ci_low,ci_high,inside,use,tag,source$' || bad "fit.csv"
grep -q '^crises,.*,NA,NA,.*,NA,fit,NA,command line$' "$tmp/cal/fit.csv" || bad "fit.csv row"
grep -q '| Crises per 100 client-years (`crises`) |' "$tmp/cal/calibration.md" || bad "calibration.md"
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

# A target file: rows to fit and rows to check, each with its range and source. Without --free
# the scenario is checked as it is: exit status 0 when every target is inside its range, 1 when
# one is not (the folder complete either way), and the table says which.
lo=$(awk -v c="$crises" 'BEGIN { print c * 0.9 }')
hi=$(awk -v c="$crises" 'BEGIN { print c * 1.1 }')
printf 'metric,target,low,high,use,source,tag\ncrises,%s,%s,%s,fit,"the run above, within 10%%",D\nmissed_contacts_pct,20,15.6,28,check,Mitchell & Selmes 2007,R\n' \
    "$crises" "$lo" "$hi" >"$tmp/targets.csv"
"$CCSIM" calibrate "$scn" --targets "$tmp/targets.csv" -r 4 -q -o "$tmp/chk" 2>"$tmp/err" ||
    bad "check inside: $(cat "$tmp/err")"
grep -q '^crises,.*,yes,fit,D,' "$tmp/chk/fit.csv" || bad "check: crises inside"
grep -q '^missed_contacts_pct,20,15.6,28,.*,yes,check,R,Mitchell & Selmes 2007$' "$tmp/chk/fit.csv" ||
    bad "check: missed contacts row"
[ ! -e "$tmp/chk/calibrated.cfg" ] || bad "check: calibrated.cfg written without a fit"
"$CCSIM" calibrate "$scn" --targets "$tmp/targets.csv" -r 4 -q -o "$tmp/chk2" \
    --set risk.scale=2 2>"$tmp/err"
[ $? -eq 1 ] || bad "check outside: exit status"
grep -q "crises .*: OUTSIDE" "$tmp/err" || bad "check outside: message"
grep -q "1 of 2 targets outside their range" "$tmp/err" || bad "check outside: count"
grep -q '^crises,.*,no,fit,' "$tmp/chk2/fit.csv" || bad "check outside: folder"
# ... fitted: the scale found from the crises of the run above, within its range. The fit
# starts at the truth (the middle of the range, on the run's random numbers): three iterations
# write the calibrated scenario as the whole fit does (the recovery is checked above).
"$CCSIM" calibrate "$scn" --targets "$tmp/targets.csv" --free risk.scale=0.5:1.5 -r 4 -j 2 -q \
    --max-iter 3 -o "$tmp/fit" 2>"$tmp/err" || bad "fit from a target file: $(cat "$tmp/err")"
grep -q 'scale = .*# calibrate (fitted)' "$tmp/fit/calibrated.cfg" || bad "fit: calibrated.cfg"

# Two parameters the targets do not separate: crises and admissions produced with the hazard
# scale 1.6 and the crisis rate 22 of the risk state, then both fitted to them. A higher scale
# and a lower rate give the same two outcomes, so the fit cannot tell where on that ridge the
# truth lies: a warning names both and says what to do, params.csv marks both unidentified, and
# calibration.md has the warning. Always on the three-year fixture; short here (2 replications,
# 6 iterations), the whole fit with 4 replications under make verify (CCSIM_FULL=1), where it
# stops far from 1.6 and 22 with both targets met.
fx=tests/fixtures/care/baseline.cfg
reps=2 iters=6
if [ "${CCSIM_FULL:-0}" = 1 ]; then
    reps=4 iters=60
fi
"$CCSIM" run "$fx" -q -r $reps --no-plots --set risk.scale=1.6 --set risk.crisis_rate=22 \
    -o "$tmp/truth2" 2>/dev/null || bad "run at 1.6 and 22"
c2=$(awk -F, '$1 == "crises" { print $2 }' "$tmp/truth2/summary.csv")
a2=$(awk -F, '$1 == "admissions" { print $2 }' "$tmp/truth2/summary.csv")
"$CCSIM" calibrate "$fx" --target "crises=$c2" --target "admissions=$a2" \
    --free risk.scale=0.5:3 --free risk.crisis_rate=8:32 -r $reps --max-iter $iters -j 2 -q \
    -o "$tmp/ident" 2>"$tmp/err" || bad "calibrate two parameters: $(cat "$tmp/err")"
grep -q '^ccsim: calibrate: warning: the targets do not identify the free parameters separately:$' \
    "$tmp/err" || bad "no identifiability warning: $(cat "$tmp/err")"
grep -q 'risk.scale and risk.crisis_rate' "$tmp/err" || bad "warning: parameters not named"
grep -q 'add a target that separates risk.scale and risk.crisis_rate, or fix one of them' \
    "$tmp/err" || bad "warning: what to do"
grep -q '^  risk.scale = .*(95% interval .* of 0.5 to 3): not identified$' "$tmp/err" ||
    bad "stderr: the scale's interval"
[ "$(awk -F, '$8 == "no"' "$tmp/ident/params.csv" | wc -l)" -eq 2 ] ||
    bad "params.csv: both unidentified: $(cat "$tmp/ident/params.csv")"
grep -q '^\*\*Warning\*\*: the targets do not identify' "$tmp/ident/calibration.md" ||
    bad "calibration.md: warning"
grep -q '^| `risk.crisis_rate` | .* | 8 to 32 | \*\*no\*\* |$' "$tmp/ident/calibration.md" ||
    bad "calibration.md: parameter table"
# One target for the same two parameters: too few targets, whatever the fit finds (make verify
# only; test_calibrate checks the rule).
if [ "${CCSIM_FULL:-0}" = 1 ]; then
    "$CCSIM" calibrate "$fx" --target "crises=$c2" --free risk.scale=0.5:3 \
        --free risk.crisis_rate=8:32 -r 2 --max-iter 2 -j 2 -q -o "$tmp/few" 2>"$tmp/err" ||
        bad "calibrate one target: $(cat "$tmp/err")"
    grep -q '  1 fit target for 2 free parameters' "$tmp/err" || bad "few targets: $(cat "$tmp/err")"
    # Both unidentified; the one the target cannot see (which one depends on where the fit
    # stops) unbounded, for too few targets.
    [ "$(awk -F, '$8 == "no"' "$tmp/few/params.csv" | wc -l)" -eq 2 ] &&
        grep -q ',Inf,no,few targets; ill-conditioned' "$tmp/few/params.csv" ||
        bad "few targets: params.csv: $(cat "$tmp/few/params.csv")"
fi

# Bad target files: file, line, column and what is expected; exit status 2, nothing run.
bad_targets() { # $1: what the message must say; the file on stdin
    cat >"$tmp/bad.csv"
    "$CCSIM" calibrate "$scn" --targets "$tmp/bad.csv" -r 4 -o "$tmp/never" >"$tmp/out" 2>&1
    [ $? -eq 2 ] || bad "bad targets ($1): exit status"
    grep -qF "$1" "$tmp/out" || bad "bad targets: '$1' not in: $(cat "$tmp/out")"
    [ ! -e "$tmp/never" ] || bad "bad targets ($1): a folder written"
}
h='metric,target,low,high,use,source,tag'
printf '%s\ncrises,50,40,60,tune,x,D\n' "$h" |
    bad_targets "bad.csv:2: column 'use': 'tune' is not a use (fit or check is expected)"
printf '%s\ncrises,50,60,40,fit,x,D\n' "$h" |
    bad_targets "bad.csv:2: columns 'low', 'target', 'high': 60, 50, 40 are out of order"
printf '%s\ncrises,50,40,60,fit,x,Q\n' "$h" |
    bad_targets "bad.csv:2: column 'tag': 'Q' is not an evidence tag"
printf '%s,weight\ncrises,50,40,60,fit,x,D,2\n' "$h" |
    bad_targets "bad.csv:1: column 'weight' is not a column of the table"
printf '%s\ncrises,50,40,60,fit,x,D\ncrises,5,4,6,fit,x,D\n' "$h" |
    bad_targets "bad.csv:3: column 'metric': 'crises' is a target twice"
printf '%s\nnosuch,50,40,60,fit,x,D\n' "$h" |
    bad_targets "bad.csv:2: column 'metric': the care model has no metric 'nosuch'"
exit $fail
