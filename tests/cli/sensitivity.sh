#!/bin/sh
# ccsim sensitivity: every parameter with a plausible range at its low and high end, paired
# differences from the base, in sensitivity.csv. On the three-year fixture, without figures
# (plot.sh draws them; make verify runs the six-year version: tests/verify/cli/sensitivity.sh).
. tests/cli_lib.sh
# Three replications: the crisis rate's paired intervals (about -20 to -17 and 14 to 20 crises
# per 100 client-years) stay far from zero, and detection's two ends (+5 and -1) far apart.
"$CCSIM" sensitivity tests/fixtures/care/baseline.cfg -r 3 -j 2 -q --no-plots -o "$tmp/s" ||
    bad "sensitivity"
s="$tmp/s/sensitivity.csv"
[ "$(head -n 1 "$s")" = "parameter,low,high,metric,base,low_mean,high_mean,low_diff,low_diff_ci_low,low_diff_ci_high,high_diff,high_diff_ci_low,high_diff_ci_high,unit,label,headline,better" ] ||
    bad "header: $(head -n 1 "$s")"
# Every parameter the key table gives a plausible range appears, each once per metric.
n_params=$(awk -F, 'NR > 1 && $4 == "crises"' "$s" | wc -l)
[ "$n_params" -ge 15 ] || bad "only $n_params parameters"
grep -q '^risk.crisis_rate,12,26,crises,' "$s" || bad "risk.crisis_rate row"
grep -q '^coordination.models\[0\].detect,0.3,0.7,crises,' "$s" || bad "detect row"
# A faster crisis rate means more crises; a slower one fewer; both certain (paired CI).
awk -F, '$1 == "risk.crisis_rate" && $4 == "crises" { exit !($10 < 0 && $12 > 0) }' "$s" ||
    bad "crisis_rate does not move crises both ways"
# Better detection, fewer crises.
awk -F, '$1 == "coordination.models[0].detect" && $4 == "crises" { exit !($11 < $8) }' "$s" ||
    bad "detection does not lower crises"
"$CCSIM" sensitivity scenarios/verify/mm1.cfg -q >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "no parameters: exit status"
grep -q "no parameter of scenarios/verify/mm1.cfg declares a plausible range" "$tmp/out" ||
    bad "no parameters: message"
exit $fail
