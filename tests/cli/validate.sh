#!/bin/sh
# ccsim validate: a row per published effect with both intervals, its use and a verdict;
# validation.csv and the status file; the same table for any -j; exit status 1 with the failing
# rows named on the last line when any row fails (the folder still complete), 0 when all pass;
# and a bad table refused before anything runs.
. tests/cli_lib.sh
# The shipped table (eleven trials emulated in the baseline region) runs under make verify
# (CCSIM_FULL=1); make test checks its fixture twin below and the shipped status file.
if [ -n "${CCSIM_FULL:-}" ]; then
"$CCSIM" validate -r 4 -j 1 -q >"$tmp/a"
rc_a=$?
"$CCSIM" validate -r 4 -j 2 -q -o "$tmp/v" --status "$tmp/status.csv" >"$tmp/b"
rc_b=$?
cmp "$tmp/a" "$tmp/b" || bad "the table differs with -j"
[ "$rc_a" -eq "$rc_b" ] || bad "the exit status differs with -j ($rc_a, $rc_b)"
for row in "ICM vs standard care: days in hospital per month" \
    "ACT vs standard care: admitted to hospital" "ACT vs standard care: lost to follow-up" \
    "ICM vs non-ICM (caseload alone)" "Broker case management vs standard care" \
    "CMHT vs non-team care: drop-outs" "REACT: ACT vs a good CMHT"; do
    grep -q "^$row.* \(held-out\|train\) \+\(pass\|FAIL\)$" "$tmp/a" || bad "no use and verdict for: $row"
done
grep -q "^[0-9]* of 11 rows pass: [0-9] of 9 held-out rows, [0-9] of 2 training rows" "$tmp/a" ||
    bad "no summary line"
grep -q "MD -0.86 (-1.37 to -0.34)" "$tmp/a" || bad "the published column has no kind"
grep -q "slope -0.44 (-0.57 to -0.31)" "$tmp/a" || bad "the slope row"
n_fail=$(grep -c ' FAIL$' "$tmp/a")
if [ "$n_fail" -gt 0 ]; then
    [ "$rc_a" -eq 1 ] || bad "$n_fail rows fail: exit status $rc_a, expected 1"
    tail -n 1 "$tmp/a" | grep -q "^$n_fail of 11 rows FAIL: " || bad "the last line: $(tail -n 1 "$tmp/a")"
else
    [ "$rc_a" -eq 0 ] || bad "every row passes: exit status $rc_a, expected 0"
fi
v="$tmp/v/validation.csv"
[ "$(head -n 1 "$v")" = "row,source,published,published_low,published_high,simulated,simulated_low,simulated_high,result,kind,use,models" ] ||
    bad "validation.csv header"
[ "$(wc -l <"$v")" -eq 12 ] || bad "validation.csv rows"
[ -f "$tmp/v/manifest.json" ] || bad "a failing row left the folder incomplete"
# The ICM row: fewer hospital days than standard care, with the interval below zero.
awk -F, 'NR > 1 && $1 ~ /^ICM vs standard care: days/ { exit !($8 < 0) }' "$v" || bad "ICM effect sign"
awk -F, 'NR > 1 && $1 ~ /^ICM vs standard care: days/ { exit !($(NF - 2) == "MD" && $(NF - 1) == "train" && $NF == "icm") }' \
    "$v" || bad "validation.csv kind, use, models of the ICM row"
# The status file: a row per effect, its verdict as the table's, the seed and today's date.
s="$tmp/status.csv"
[ "$(head -n 1 "$s")" = "row,models,kind,published,low,high,simulated,sim_low,sim_high,verdict,use,date,seed" ] ||
    bad "status.csv header: $(head -n 1 "$s")"
[ "$(grep -c ',fail,\(held-out\|train\),' "$s")" -eq "$n_fail" ] || bad "status.csv: failing rows"
grep -q ",$(date -u +%Y-%m-%d),20261126\$" "$s" || bad "status.csv: date and seed"
fi
# The shipped status file has the shipped table's rows, in its order.
cut -d, -f1 scenarios/validation/trials.csv | tail -n +2 >"$tmp/labels.table"
cut -d, -f1 scenarios/validation/status.csv | tail -n +2 >"$tmp/labels.status"
cmp -s "$tmp/labels.table" "$tmp/labels.status" ||
    bad "scenarios/validation/status.csv is not from trials.csv (make validation-status)"

# ---- A table with a row that cannot pass (tests/fixtures/validation) ---------------------------
fx=tests/fixtures/validation
"$CCSIM" validate --dir "$fx" -q -o "$tmp/fx" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || bad "a row fails: exit status $rc, expected 1: $(cat "$tmp/err")"
[ "$(tail -n 1 "$tmp/out")" = "1 of 2 rows FAIL: No detection: 40% fewer crises (unreachable)" ] ||
    bad "a row fails: the last line is: $(tail -n 1 "$tmp/out")"
grep -q "^1 of 2 rows pass: 0 of 1 held-out rows, 1 of 1 training rows" "$tmp/out" ||
    bad "a row fails: the summary line: $(cat "$tmp/out")"
[ -f "$tmp/fx/manifest.json" ] && [ "$(wc -l <"$tmp/fx/validation.csv")" -eq 3 ] ||
    bad "a row fails: the results folder is not complete"
# The same folder with only the row it can meet: exit 0, no FAIL line.
mkdir "$tmp/pass"
cp "$fx"/*.cfg "$tmp/pass/"
sed -i 's|"\.\./\.\./\.\./scenarios/|"'"$PWD"'/scenarios/|' "$tmp/pass/"*.cfg
head -n 2 "$fx/trials.csv" >"$tmp/pass/trials.csv"
"$CCSIM" validate --dir "$tmp/pass" -q >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || bad "every row passes: exit status $rc, expected 0: $(cat "$tmp/out" "$tmp/err")"
[ "$(tail -n 1 "$tmp/out" | cut -c 1-19)" = "1 of 1 rows pass: 0" ] ||
    bad "every row passes: the last line is: $(tail -n 1 "$tmp/out")"
! grep -q "FAIL" "$tmp/out" || bad "every row passes: a FAIL line"

# ---- A joint fit of a free parameter on the training rows (--free, --leave-one-out) -------------
# The fixture contrast (a model that detects nothing against one that does) grows with the
# resolution probability of the detecting arm, the same value given to both; two training rows on
# crises and admissions ask for a larger contrast than the preset's default, one held-out row on
# bed-days is predicted.
mkdir "$tmp/fit"
cp "$tmp/pass"/*.cfg "$tmp/fit/"
cat >"$tmp/fit/trials.csv" <<'CSV'
label,reference,treatment,metric,kind,point,low,high,use,source
crises,ref.cfg,weak.cfg,cohort.crises,RR,1.38,1.35,1.41,train,fixture
admissions,ref.cfg,weak.cfg,cohort.admissions,RR,1.38,1.3,1.46,train,fixture
bed-days,ref.cfg,weak.cfg,cohort.bed_days,MD,500,0,2000,held-out,fixture
CSV
free="coordination.models[0].resolve=0.2:1"
"$CCSIM" validate --dir "$tmp/fit" -q -r 2 --free "$free" --leave-one-out --max-iter 8 \
    -o "$tmp/fo" >"$tmp/out" 2>"$tmp/err"
rc=$?
n_fail=$(grep -c ' FAIL$' "$tmp/out")
[ -f "$tmp/fo/manifest.json" ] || bad "fit: no results folder: $(cat "$tmp/err")"
for f in fitted.csv evaluations.csv loo.csv validation.csv params.csv across.csv; do
    [ -s "$tmp/fo/$f" ] || bad "fit: no $f"
done
# The fitted parameter's interval holds its value; every row is given across that interval,
# its estimate at the fitted value inside the range it spans.
[ "$(head -n 1 "$tmp/fo/params.csv")" = "param,value,ci_low,ci_high,lo,hi,sd,identified,problem" ] ||
    bad "params.csv header: $(head -n 1 "$tmp/fo/params.csv")"
awk -F, 'NR == 2 { exit !($3 <= $2 && $2 <= $4 && $3 >= 0.2 && $4 <= 1) }' "$tmp/fo/params.csv" ||
    bad "params.csv: the interval does not hold the value: $(cat "$tmp/fo/params.csv")"
[ "$(wc -l <"$tmp/fo/across.csv")" -eq 4 ] || bad "across.csv rows"
awk -F, 'NR > 1 { if (!($7 <= $6 && $6 <= $8 && $10 == 3)) bad = 1 } END { exit bad }' \
    "$tmp/fo/across.csv" || bad "across.csv: $(cat "$tmp/fo/across.csv")"
grep -q "^uncertainty of the fitted parameters" "$tmp/out" || bad "fit: no uncertainty lines"
# The last table (at the fitted values) decides the status.
last=$(sed -n '/^validation: .*at the fitted values$/,$p' "$tmp/out" | grep -c ' FAIL$')
if [ "$last" -gt 0 ]; then [ "$rc" -eq 1 ] || bad "fit: $last rows fail, exit status $rc"; else
    [ "$rc" -eq 0 ] || bad "fit: every row passes, exit status $rc"; fi
[ "$n_fail" -ge "$last" ] || bad "fit: FAIL count"
# The fitted value is inside its range and is the best evaluation's; the rows at the fitted
# values, run again, are that evaluation's (the same random numbers every time); and the
# objective is the sum of the training rows' squared misfits on the log scale.
awk -F, 'NR == 2 { exit !($2 >= 0.2 && $2 <= 1) }' "$tmp/fo/fitted.csv" || bad "fit: value out of range"
awk -F, -v fitted="$(awk -F, 'NR == 2 { print $2 }' "$tmp/fo/fitted.csv")" '
    NR > 1 && (best == "" || $5 < best) { best = $5; p = $2; c = $3; a = $4 }
    NR == 2 { first = $5 }
    END {
        if (!(best < first)) { print "no better than the start"; exit 1 }
        if ((p - fitted)^2 > 1e-16 * fitted^2) { print "fitted " fitted " is not the best " p; exit 1 }
        printf "%.10g %.10g %.10g\n", c, a, best > "/dev/stderr"
    }' "$tmp/fo/evaluations.csv" 2>"$tmp/best" || bad "fit: evaluations.csv: $(cat "$tmp/best")"
read -r c a best <"$tmp/best"
awk -F, -v c="$c" -v a="$a" -v best="$best" '
    function rel(x, y) { return (x - y)^2 <= 1e-16 * y^2 }
    $1 == "crises" { ok_c = rel($6, c); m = log($6 / 1.38) / ((log(1.41) - log(1.35)) / 2); f += m * m }
    $1 == "admissions" { ok_a = rel($6, a); m = log($6 / 1.38) / ((log(1.46) - log(1.3)) / 2); f += m * m }
    END { exit !(ok_c && ok_a && (f - best)^2 <= 1e-12 * best^2) }' "$tmp/fo/validation.csv" ||
    bad "fit: validation.csv at the fitted values is not the best evaluation ($c $a $best)"
# Leave one out: each training row from a fit on the other one, the held-out row from the
# fit on both (its prediction is the fitted table's).
[ "$(head -n 1 "$tmp/fo/loo.csv")" = "row,use,kind,published,published_low,published_high,predicted,predicted_low,predicted_high,result,fitted_on,$(echo "$free" | cut -d= -f1)" ] ||
    bad "loo.csv header: $(head -n 1 "$tmp/fo/loo.csv")"
[ "$(cut -d, -f1,11 "$tmp/fo/loo.csv" | tail -n +2 | tr '\n' ' ')" = "crises,1 admissions,1 bed-days,2 " ] ||
    bad "loo.csv rows: $(cat "$tmp/fo/loo.csv")"
[ "$(awk -F, '$1 == "bed-days" { print $7 }' "$tmp/fo/loo.csv")" = \
    "$(awk -F, '$1 == "bed-days" { print $6 }' "$tmp/fo/validation.csv")" ] ||
    bad "loo.csv: the held-out row is not the fitted table's"
grep -q "^leave-one-out: " "$tmp/out" || bad "fit: no leave-one-out table"
# Refused before anything runs: --leave-one-out alone, no training row, a bad range.
"$CCSIM" validate --dir "$tmp/fit" --leave-one-out >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "--leave-one-out without --free: exit status"
sed 's/,train,/,held-out,/' "$tmp/fit/trials.csv" >"$tmp/pass/trials.csv"
"$CCSIM" validate --dir "$tmp/pass" --free "$free" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "--free without training rows: exit status"
grep -q "no row has use 'train'" "$tmp/out" || bad "--free without training rows: $(cat "$tmp/out")"
"$CCSIM" validate --dir "$tmp/fit" --free "coordination.models[0].resolve=0.2:7" -o "$tmp/bad" \
    >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "--free out of range: exit status"
[ ! -e "$tmp/bad" ] || bad "--free out of range: a results folder was written"

# ---- Tables refused ------------------------------------------------------------------------------
"$CCSIM" validate --dir "$tmp/nowhere" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "missing folder: exit status"
grep -q "^ccsim: validate: $tmp/nowhere/trials.csv: no such file" "$tmp/out" ||
    bad "missing folder message"
# The table without its scenarios; then a table with a bad row, an old table with the rule
# not-below, and one naming a metric the scenarios do not report, each refused before anything
# runs.
mkdir "$tmp/alone"
cp scenarios/validation/trials.csv "$tmp/alone/"
"$CCSIM" validate --dir "$tmp/alone" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "missing scenarios: exit status"
grep -q "cannot read the scenario" "$tmp/out" || bad "missing scenarios message"
sed '6s/,RR,/,HR,/' scenarios/validation/trials.csv >"$tmp/alone/trials.csv"
"$CCSIM" validate --dir "$tmp/alone" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "bad table: exit status"
grep -q "^ccsim: validate: $tmp/alone/trials.csv:6: column 'kind': 'HR' is not a kind of effect (RR, OR, MD, MD-per-month or slope is expected)" "$tmp/out" ||
    bad "bad table message: $(cat "$tmp/out")"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0 ",rule"; next } { print $0 "," (NR == 3 ? "not-below" : "inside") }' \
    scenarios/validation/trials.csv >"$tmp/alone/trials.csv"
"$CCSIM" validate --dir "$tmp/alone" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "not-below: exit status"
grep -q "^ccsim: validate: $tmp/alone/trials.csv:3: column 'rule': 'not-below' is not allowed (.*only 'inside' is allowed" "$tmp/out" ||
    bad "not-below message: $(cat "$tmp/out")"
cp scenarios/validation/*.cfg "$tmp/alone/"
mkdir "$tmp/care"
cp scenarios/care/*.cfg scenarios/care/*.csv "$tmp/care/"
sed 's/,trial.lost_pct,RR,0.68,/,trial.lost,RR,0.68,/' scenarios/validation/trials.csv >"$tmp/alone/trials.csv"
"$CCSIM" validate --dir "$tmp/alone" -r 2 -o "$tmp/w" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "unknown metric: exit status"
grep -q "^$tmp/alone/trials.csv:3: column 'metric': usual_care.cfg reports no metric 'trial.lost'" \
    "$tmp/out" || bad "unknown metric message"
grep -q "nothing was run" "$tmp/out" || bad "unknown metric: nothing was run"
[ ! -e "$tmp/w" ] || bad "unknown metric: a results folder was written"
exit $fail
