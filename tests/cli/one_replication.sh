#!/bin/sh
# One replication (-r 1, or replications = 1): a normal run of one long replication. Every
# interval is NA (never NaN, 0 or a crash) in every file, table, figure and report, and the
# output says once that one replication gives no interval.
. tests/cli_lib.sh
scn=scenarios/verify/mm1.cfg
other=tests/scenarios/good/variant.cfg
note="one replication gives no confidence interval"
# once FILE: the note is in FILE exactly once.
once() {
    n=$(grep -c "$note" "$1")
    [ "$n" -eq 1 ] || bad "$2: the note on one replication appears $n times, not once"
}

# run: the table and summary.csv with NA intervals, n = 1.
"$CCSIM" run "$scn" -r 1 >"$tmp/out" 2>"$tmp/err" || bad "run -r 1 exited $?"
once "$tmp/err" "run"
grep -qi "nan" "$tmp/out" && bad "run -r 1: NaN in the table: $(grep -i nan "$tmp/out" | head -n 1)"
grep -Eq "^q\.wait +[0-9.]+ +NA +\[ +NA, +NA\] +1\$" "$tmp/out" || bad "run -r 1: no NA row for q.wait"
"$CCSIM" run "$scn" --set replications=1 -o "$tmp/run" 2>"$tmp/err" || bad "run, replications = 1"
once "$tmp/err" "run -o"
awk -F, 'NR > 1 && ($3 != "NA" || $4 != "NA" || $5 != "NA" || $6 != 1) { bad = 1 } END { exit bad }' \
    "$tmp/run/summary.csv" || bad "summary.csv: sd, ci_low, ci_high not NA or n not 1"
[ "$(wc -l <"$tmp/run/replications.csv")" -eq 2 ] || bad "replications.csv: not one row"
once "$tmp/run/warnings.txt" "warnings.txt"

# compare: paired differences without an interval.
"$CCSIM" compare "$scn" "$other" -r 1 --set horizon=2000 >"$tmp/out" 2>"$tmp/err" ||
    bad "compare -r 1 exited $?"
once "$tmp/err" "compare"
grep -qi "nan" "$tmp/out" && bad "compare -r 1: NaN in the table"
grep -Eq "^ +variant +[0-9.]+ +[-+][0-9.]+ \[NA, NA\]\$" "$tmp/out" ||
    bad "compare -r 1: no difference with [NA, NA]"
"$CCSIM" compare "$scn" "$other" -r 1 --set horizon=2000 -o "$tmp/cmp" 2>"$tmp/err" ||
    bad "compare -r 1 -o exited $?"
awk -F, '$2 == "variant" && ($7 != "NA" || $8 != "NA" || $6 == "NA") { bad = 1 } END { exit bad }' \
    "$tmp/cmp/comparison.csv" || bad "comparison.csv: a difference not given, or an interval not NA"

# sweep: every point once, the note once.
"$CCSIM" sweep "$scn" -r 1 --vary "network.stations[0].servers=1:3:1" --no-plots \
    -o "$tmp/sw" 2>"$tmp/err" || bad "sweep -r 1 exited $?"
once "$tmp/err" "sweep"
awk -F, 'NR > 1 && ($4 != "NA" || $5 != "NA") { bad = 1 } END { exit bad }' "$tmp/sw/sweep.csv" ||
    bad "sweep.csv: an interval not NA"

# check says one replication, and --precision starts from two (no note).
"$CCSIM" check "$scn" -r 1 >"$tmp/out" 2>"$tmp/err" || bad "check -r 1 exited $?"
grep -q "1 replication, seed" "$tmp/out" || bad "check -r 1: not '1 replication'"
"$CCSIM" run "$scn" -r 1 --precision 0.5 -q >"$tmp/out" 2>"$tmp/err" || bad "--precision from -r 1"
grep -q "$note" "$tmp/err" && bad "--precision: the note on one replication, though it ran more"

# Figures and reports: no NaN drawn or written, and the pages say there is no interval.
for d in run cmp sw; do
    if [ -d "$tmp/$d/figures" ]; then
        grep -il "nan" "$tmp/$d/figures/"*.dat && bad "$d: NaN in the data of a figure"
    fi
    "$CCSIM" report "$tmp/$d" >/dev/null 2>"$tmp/err" || bad "report of $d exited $?"
done
for d in run cmp; do
    grep -q "One replication: no confidence interval" "$tmp/$d/report.html" ||
        bad "report of $d: no word that one replication gives no interval"
done
if [ -f "$tmp/cmp/figures/differences.gp" ]; then
    grep -q "one replication: no interval" "$tmp/cmp/figures/differences.gp" ||
        bad "differences figure: its title claims an interval"
fi
exit $fail
