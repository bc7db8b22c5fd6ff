#!/bin/sh
# The baseline's start (scenarios/care/baseline_state.csv) is the end state of the region from
# empty (baseline_from_empty.cfg) under the model as it is: run again, the same file, so that a
# change to the model or the region cannot leave the baseline starting from a stale state.
. tests/cli_lib.sh
# The state is replication 1's (make baseline-state runs two; the file is the same with one).
"$CCSIM" run scenarios/care/baseline_from_empty.cfg -r 1 -q --no-plots \
    --set output.end_state=true -o "$tmp/s" 2>"$tmp/err" || bad "run: $(cat "$tmp/err")"
cmp -s "$tmp/s/end_state.csv" scenarios/care/baseline_state.csv ||
    bad "scenarios/care/baseline_state.csv is out of date: run 'make baseline-state' and commit it"
# The baseline starts from it: every coordinated client of the state is coordinated at day 0.
"$CCSIM" check scenarios/care/baseline.cfg >"$tmp/check" 2>&1 || bad "check baseline"
grep -q 'initial.snapshot .*baseline_state.csv' "$tmp/check" || bad "baseline: no snapshot start"
exit $fail
