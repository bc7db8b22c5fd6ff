#!/bin/sh
# ccsim sweep: the grid in order, sweep.csv's columns, identical results for any -j, effects in
# the expected direction along an axis, and every point validated before anything runs. Six
# simulated years (the waiting list needs them to form), without figures (plot.sh draws them);
# make verify runs the ten-year version: tests/verify/cli/sweep.sh.
. tests/cli_lib.sh
scn=tests/fixtures/care/region_30y.cfg
vary="--vary coordination.models[0].posts=33:41:4 --vary hospital.beds=46:50:4
    --set horizon=2200 --set warmup=1100 --no-plots"
# shellcheck disable=SC2086
"$CCSIM" sweep "$scn" $vary -r 4 -j 1 -q -o "$tmp/s1" || bad "sweep -j 1"
# shellcheck disable=SC2086
"$CCSIM" sweep "$scn" $vary -r 4 -j 2 -q -o "$tmp/s2" || bad "sweep -j 2"
cmp "$tmp/s1/sweep.csv" "$tmp/s2/sweep.csv" || bad "sweep.csv differs with -j"
s="$tmp/s1/sweep.csv"
[ "$(head -n 1 "$s")" = "coordination.models[0].posts,hospital.beds,metric,mean,ci_low,ci_high,n,unit,label,headline,better" ] ||
    bad "header: $(head -n 1 "$s")"
# 3 x 2 points in grid order, the last key fastest.
[ "$(awk -F, 'NR > 1 && $3 == "crises" { printf "%s/%s ", $1, $2 }' "$s")" = \
    "33/46 33/50 37/46 37/50 41/46 41/50 " ] || bad "grid order"
# More posts, shorter waits for coordination (at either bed count).
awk -F, 'NR > 1 && $3 == "wait_coordination_days" && $2 == 50 { w[$1] = $4 }
    END { exit !(w[33] > w[37] && w[37] > w[41]) }' "$s" || bad "waits do not fall with posts"
# More beds, fewer out-of-area placements.
awk -F, 'NR > 1 && $3 == "out_of_area_placements" && $1 == 37 { o[$2] = $4 }
    END { exit !(o[46] > o[50]) }' "$s" || bad "placements do not fall with beds"
[ -s "$tmp/s1/manifest.json" ] || bad "manifest.json"
# The best point of each outcome: the lowest mean of sweep.csv for a lower-is-better metric.
b="$tmp/s1/sweep_best.csv"
cmp "$b" "$tmp/s2/sweep_best.csv" || bad "sweep_best.csv differs with -j"
want=$(awk -F, 'NR > 1 && $3 == "wait_coordination_days" && (m == "" || $4 < m) {
    m = $4; p = "coordination.models[0].posts=" $1 " & hospital.beds=" $2 } END { print p }' "$s")
got=$(awk -F, '$1 == "wait_coordination_days" && $2 == "lower" { print $3 }' "$b" | tr -d '"')
[ -n "$want" ] && [ "$got" = "$want" ] ||
    bad "sweep_best.csv: best wait at '$got', the lowest mean of sweep.csv is at '$want'"
# posts_per_year-like constants tie everywhere: a metric that does not vary with the beds has
# the other bed count as good (paired difference 0).
awk -F, '$1 == "cost_posts_per_year" { exit !($7 >= 1) }' "$b" ||
    bad "sweep_best.csv: the cost of posts, equal at both bed counts, has no tied point"
# The sweep's report answers with the best point.
text_report "$tmp/s1" >/dev/null 2>&1 || bad "report of a sweep"
grep -q '<h3>The best point for each outcome</h3>' "$tmp/s1/report.html" ||
    bad "the sweep's report has no best point section"
want_html=$(printf '%s' "$want" | sed -e 's/coordination.models\[0\].//' -e 's/hospital.//' -e 's/&/\&amp;/g')
grep -qF "lowest at $want_html" "$tmp/s1/report.html" ||
    bad "the sweep's report does not give the lowest wait at $want"

# A point that is not valid stops the sweep before it runs, naming the --vary.
"$CCSIM" sweep "$scn" --vary hospital.beds=-2:2:2 -q -o "$tmp/bad" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "invalid point: exit status"
grep -q -- "--vary hospital.beds=-2: hospital.beds: -2 is out of range" "$tmp/out" ||
    bad "invalid point message: $(cat "$tmp/out")"
[ ! -e "$tmp/bad" ] || bad "a folder appeared for an invalid sweep"
"$CCSIM" sweep "$scn" --vary hospital.beds=50:40:2 >"$tmp/out" 2>&1
grep -q "needs FROM <= TO and STEP > 0" "$tmp/out" || bad "backwards range message"
"$CCSIM" sweep "$scn" >"$tmp/out" 2>&1
grep -q "give at least one --vary" "$tmp/out" || bad "no --vary message"
exit $fail
