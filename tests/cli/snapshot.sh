#!/bin/sh
# Starting from a snapshot of the caseload and waiting lists: the run starts full (week 1 holds
# the snapshot's clients), passes the conservation audit, its resolved scenario reproduces it
# from another folder, and bad snapshots are reported line by line (see the bad corpus).
. tests/cli_lib.sh
scn=tests/scenarios/good/snapshot.cfg
"$CCSIM" run "$scn" -q -r 3 --set warmup=0 --set horizon=730 -o "$tmp/s" || bad "run from snapshot"
"$CCSIM" run scenarios/care/baseline.cfg -q -r 3 --set warmup=0 --set horizon=730 -o "$tmp/e" ||
    bad "run from empty"
# 600 coordinated in the snapshot (minus episodes already over by week 1); an empty start has
# a handful.
awk -F, '$1 == 1 && $2 == "caseload" { exit !($3 > 450) }' "$tmp/s/timeseries.csv" ||
    bad "week 1 caseload from the snapshot"
awk -F, '$1 == 1 && $2 == "caseload" { exit !($3 < 50) }' "$tmp/e/timeseries.csv" ||
    bad "week 1 caseload from empty"
mkdir "$tmp/elsewhere"
cp "$tmp/s/scenario.resolved.cfg" "$tmp/elsewhere/again.cfg"
(cd "$tmp/elsewhere" && "$OLDPWD/$CCSIM" run again.cfg -q -o out) || bad "resolved elsewhere"
cmp "$tmp/s/summary.csv" "$tmp/elsewhere/out/summary.csv" || bad "resolved snapshot differs"
exit $fail
