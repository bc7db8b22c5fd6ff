#!/bin/sh
# Starting from a snapshot of the caseload and waiting lists: the run starts full (week 1 holds
# the snapshot's clients), passes the conservation audit, its resolved scenario reproduces it
# from another folder, and bad snapshots are reported line by line (see the bad corpus).
. tests/cli_lib.sh
scn=tests/scenarios/good/snapshot.cfg
# (Figures only where they are checked, at the end: drawing is most of a short run's CPU.)
"$CCSIM" run "$scn" -q -r 3 --set warmup=0 --set horizon=730 --no-plots -o "$tmp/s" ||
    bad "run from snapshot"
"$CCSIM" run tests/fixtures/care/region_30y.cfg -q -r 3 --set warmup=0 --set horizon=730 \
    --no-plots -o "$tmp/e" ||
    bad "run from empty"
# 600 coordinated in the snapshot (minus episodes already over by week 1); an empty start has
# a handful.
awk -F, '$1 == 1 && $2 == "caseload" { exit !($3 > 450) }' "$tmp/s/timeseries.csv" ||
    bad "week 1 caseload from the snapshot"
awk -F, '$1 == 1 && $2 == "caseload" { exit !($3 < 50) }' "$tmp/e/timeseries.csv" ||
    bad "week 1 caseload from empty"
mkdir "$tmp/elsewhere"
cp "$tmp/s/scenario.resolved.cfg" "$tmp/elsewhere/again.cfg"
(cd "$tmp/elsewhere" && "$OLDPWD/$CCSIM" run again.cfg -q --no-plots -o out) ||
    bad "resolved elsewhere"
cmp "$tmp/s/summary.csv" "$tmp/elsewhere/out/summary.csv" || bad "resolved snapshot differs"
# The end state of a run as a snapshot (output.end_state): written into the results folder and
# listed in its manifest; a run from it with no warm-up has metrics per year of the horizon, each
# with its interval, and starts where the first run ended (the week-1 caseload within 5% of the
# coordinated rows: the fixture's region is far from its slots' limit, so the caseload drifts up
# slowly: 857 rows, 865 in week 1; a fresh episode less the days served gave 669).
"$CCSIM" run tests/fixtures/care/baseline.cfg -q -r 2 --set output.end_state=true --no-plots \
    -o "$tmp/end" ||
    bad "run writing its end state"
head -1 "$tmp/end/end_state.csv" | grep -q '^stage,severity,needs,days,model,met,risk,' ||
    bad "end state header"
grep -q '"end_state.csv"' "$tmp/end/manifest.json" || bad "end state in the manifest"
n=$(grep -c '^coordinated,' "$tmp/end/end_state.csv")
"$CCSIM" run tests/fixtures/care/baseline.cfg -q -r 3 --set warmup=0 --set horizon=730 \
    --set "initial.snapshot=\"$tmp/end/end_state.csv\"" -o "$tmp/cont" || bad "run from an end state"
awk -F, -v n="$n" '$1 == 1 && $2 == "caseload" { d = $3 - n; exit !(d < 0.05 * n && -d < 0.05 * n) }' \
    "$tmp/cont/timeseries.csv" || bad "week 1 caseload from the end state ($n coordinated)"
for y in 1 2; do
    awk -F, -v m="year$y.admissions" '$1 == m { ok = $4 != "" && $4 < $2 && $2 < $5 } END { exit !ok }' \
        "$tmp/cont/summary.csv" || bad "year$y.admissions with its interval"
done
grep -q '^year3\.' "$tmp/cont/summary.csv" && bad "a third year in two"
# The figure of the years: a panel per metric (headline outcomes first), a point per year.
if command -v gnuplot >/dev/null 2>&1; then
    [ -s "$tmp/cont/figures/years.png" ] || bad "years figure"
    grep -q 'set title "Admissions per 100 client-years"' "$tmp/cont/figures/years.gp" ||
        bad "years figure titles"
    [ "$(grep -c '^[12],' "$tmp/cont/figures/years.dat")" -eq 12 ] || bad "years figure data"
fi
exit $fail
