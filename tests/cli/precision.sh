#!/bin/sh
# --precision: stops when every headline metric's 95% half-width is within the fraction of its
# mean (checked here from summary.csv), reports it, is the same for any -j, and stops at the cap
# with a message when the precision is out of reach. On the three-year fixture (make verify runs
# the same checks on the ten-year baseline: tests/verify/cli/precision.sh).
. tests/cli_lib.sh
scn=tests/fixtures/care/baseline.cfg
"$CCSIM" run "$scn" -q -r 3 -j 2 --precision 0.05 --no-plots -o "$tmp/p" 2>"$tmp/err" || bad "run"
grep -q "precision 5%: reached with [0-9]* replications" "$tmp/err" || bad "report: $(cat "$tmp/err")"
n=$(awk -F, '$1 == "crises" { print $6 }' "$tmp/p/summary.csv")
[ "$n" -gt 3 ] || bad "no replications were added ($n)"
# The headline metrics, as summary.csv marks them (its column headline, before better).
heads=$(awk -F, 'NR > 1 && $(NF - 1) == 1 { print $1 }' "$tmp/p/summary.csv")
[ -n "$heads" ] || bad "summary.csv marks no headline metric"
for m in $heads; do
    awk -F, -v m="$m" '$1 == m { half = ($5 - $4) / 2; exit !(half <= 0.05 * ($2 < 0 ? -$2 : $2)) }' \
        "$tmp/p/summary.csv" || bad "$m is not within 5%"
done
# One replication fewer would not have done: the widest metric needed them.
grep -q '"note": "precision 5%: reached' "$tmp/p/manifest.json" || bad "manifest note"
"$CCSIM" run "$scn" -q -r 3 -j 1 --precision 0.05 --no-plots -o "$tmp/p1" 2>/dev/null || bad "run -j 1"
cmp "$tmp/p/replications.csv" "$tmp/p1/replications.csv" || bad "differs with -j"
# Out of reach: stops at the cap and says so.
"$CCSIM" run "$scn" -q -r 3 --precision 0.0001 --max-reps 5 --no-plots -o "$tmp/c" 2>"$tmp/err" || bad "cap run"
grep -q "precision 0.01%: not reached with the cap of 5 replications" "$tmp/err" ||
    bad "cap report: $(cat "$tmp/err")"
[ "$(awk -F, '$1 == "crises" { print $6 }' "$tmp/c/summary.csv")" -eq 5 ] || bad "cap count"
"$CCSIM" run "$scn" --precision 5 >"$tmp/out" 2>&1
grep -q "'5' is not a fraction of the mean" "$tmp/out" || bad "bad precision message"
exit $fail
