#!/bin/sh
# ccsim validate: a row per published effect with both intervals and a verdict, validation.csv,
# and the same table for any -j.
. tests/cli_lib.sh
"$CCSIM" validate -r 4 -j 1 -q >"$tmp/a" || bad "validate -j 1"
"$CCSIM" validate -r 4 -j 2 -q -o "$tmp/v" >"$tmp/b" || bad "validate -j 2"
cmp "$tmp/a" "$tmp/b" || bad "the table differs with -j"
for row in "ICM vs standard care: hospital days per client-month" \
    "ACT vs standard care: admitted to hospital" "ACT vs standard care: lost to follow-up" \
    "Caseload 12 vs 30 alone" "Broker case management vs standard care"; do
    grep -q "^$row.* \(pass\|FAIL\)$" "$tmp/a" || bad "no verdict for: $row"
done
grep -q "^[0-9] of 5 rows pass" "$tmp/a" || bad "no summary line"
v="$tmp/v/validation.csv"
[ "$(head -n 1 "$v")" = "row,source,published,published_low,published_high,simulated,simulated_low,simulated_high,result" ] ||
    bad "validation.csv header"
[ "$(wc -l <"$v")" -eq 6 ] || bad "validation.csv rows"
# The ICM row: fewer hospital days than standard care, with the interval below zero.
awk -F, 'NR > 1 && $1 ~ /ICM vs standard/ { exit !($8 < 0) }' "$v" || bad "ICM effect sign"
"$CCSIM" validate --dir "$tmp/nowhere" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "missing folder: exit status"
grep -q "^ccsim: validate: $tmp/nowhere/trials.csv: no such file" "$tmp/out" ||
    bad "missing folder message"
# The table without its scenarios; then a table with a bad row, and one naming a metric the
# scenarios do not report, each refused before anything runs.
mkdir "$tmp/alone"
cp scenarios/validation/trials.csv "$tmp/alone/"
"$CCSIM" validate --dir "$tmp/alone" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "missing scenarios: exit status"
grep -q "cannot read the scenario" "$tmp/out" || bad "missing scenarios message"
sed 's/,not-below,/,above,/' scenarios/validation/trials.csv >"$tmp/alone/trials.csv"
"$CCSIM" validate --dir "$tmp/alone" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "bad table: exit status"
grep -q "^ccsim: validate: $tmp/alone/trials.csv:6: column 'rule': 'above' is not a rule" "$tmp/out" ||
    bad "bad table message"
cp scenarios/validation/*.cfg "$tmp/alone/"
mkdir "$tmp/care"
cp scenarios/care/*.cfg "$tmp/care/"
sed 's/,cohort.disengaged,/,cohort.lost,/' scenarios/validation/trials.csv >"$tmp/alone/trials.csv"
"$CCSIM" validate --dir "$tmp/alone" -r 2 -o "$tmp/w" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "unknown metric: exit status"
grep -q "^$tmp/alone/trials.csv:4: column 'metric': cohort.cfg reports no metric 'cohort.lost'" \
    "$tmp/out" || bad "unknown metric message"
grep -q "nothing was run" "$tmp/out" || bad "unknown metric: nothing was run"
[ ! -e "$tmp/w" ] || bad "unknown metric: a results folder was written"
exit $fail
