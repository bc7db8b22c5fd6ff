#!/bin/sh
# ccsim psa: parameter draws, each run for every scenario on the same clients (docs/psa.md).
# On the three-year fixture with two declared parameters and the gatekeeping default, a what-if
# with two more posts; without figures (psa_figures.sh draws them from a fixture folder).
. tests/cli_lib.sh
a=tests/fixtures/care/psa_a.cfg
b=tests/fixtures/care/psa_b.cfg
short="--set horizon=500 --set warmup=100"
# shellcheck disable=SC2086
"$CCSIM" psa "$a" "$b" --draws 6 -r 2 -j 1 $short -q --no-plots -o "$tmp/j1" >"$tmp/out1" 2>&1 ||
    bad "psa -j 1: $(cat "$tmp/out1")"
# shellcheck disable=SC2086
"$CCSIM" psa "$a" "$b" --draws 6 -r 2 -j 2 $short -q --no-plots -o "$tmp/j2" >"$tmp/out2" 2>&1 ||
    bad "psa -j 2"
# Byte-identical whatever the threads; the terminal summary too.
for f in psa.csv psa_parameters.csv psa_summary.csv psa_drivers.csv psa_ceac.csv \
    psa_a.resolved.cfg psa_b.resolved.cfg; do
    [ -f "$tmp/j1/$f" ] || bad "no $f"
    cmp -s "$tmp/j1/$f" "$tmp/j2/$f" || bad "$f differs between -j 1 and -j 2"
done
cmp -s "$tmp/out1" "$tmp/out2" || bad "the summaries differ between -j 1 and -j 2"
grep -q "^psa_b against psa_a, over 6 parameter draws (95% uncertainty intervals):" "$tmp/out1" ||
    bad "summary heading: $(head -n 2 "$tmp/out1")"

p="$tmp/j1/psa_parameters.csv"
[ "$(head -n 1 "$p")" = "draw,parameter,value" ] || bad "parameters header"
# Six draws of three parameters; each parameter's values all differ and stay in range.
[ "$(wc -l <"$p")" -eq 19 ] || bad "parameters rows: $(wc -l <"$p")"
awk -F, 'NR > 1 && $2 == "coordination.models[0].detect" { n++; if ($3 <= 0 || $3 >= 1) bad = 1;
         seen[$3]++ } END { for (v in seen) k++; exit !(n == 6 && k == 6 && !bad) }' "$p" ||
    bad "detect's draws"
awk -F, 'NR > 1 && $2 == "risk.crisis_rate" { if ($3 < 8 || $3 > 40) bad = 1 } END { exit bad }' \
    "$p" || bad "crisis rate's draws out of range"

s="$tmp/j1/psa.csv"
[ "$(head -n 1 "$s")" = "draw,scenario,metric,value,difference,unit,label,headline,better" ] ||
    bad "psa.csv header"
# The reference has no difference; the what-if's is its value minus the reference's, draw by draw.
awk -F, 'NR > 1 && $2 == "psa_a" && $5 != "NA" { exit 1 }' "$s" || bad "reference difference"
awk -F, 'NR > 1 && $2 == "psa_a" && $4 != "NA" { ref[$1 "," $3] = $4 }
         NR > 1 && $2 == "psa_b" && $4 != "NA" { d = $4 - ref[$1 "," $3] - $5;
             if (d > 1e-6 * (1 + ($4 < 0 ? -$4 : $4))) bad = 1; n++ }
         END { exit !(n > 0 && !bad) }' "$s" || bad "difference is not value minus reference"
# Each draw has clients of its own: the reference's crises differ between draws.
k=$(awk -F, 'NR > 1 && $2 == "psa_a" && $3 == "crises" { print $4 }' "$s" | sort -u | wc -l)
[ "$k" -eq 6 ] || bad "crises repeat across draws ($k distinct of 6)"

# The summary's mean is the mean over the draws of psa.csv's values.
awk -F, 'NR == FNR { if (FNR > 1 && $2 == "psa_b" && $3 == "crises") { sum += $4; n++ } next }
         FNR > 1 && $1 == "crises" && $2 == "psa_b" { d = $3 - sum / n;
             exit !(n == 6 && (d < 0 ? -d : d) < 1e-6 * sum / n) }' "$s" "$tmp/j1/psa_summary.csv" ||
    bad "summary mean"
# Probabilities are shares of six draws.
awk -F, 'FNR > 1 && $9 != "NA" { x = $9 * 6; if (x - int(x + 0.5) > 1e-6 || int(x + 0.5) - x > 1e-6)
         bad = 1 } END { exit bad }' "$tmp/j1/psa_summary.csv" || bad "probability_better not k/6"

# A draw's value is the mean of its replications: draw 0 of psa_a equals a run of replications
# 0 and 1 with the same values set.
v=$(awk -F, '$1 == 0 && $2 == "risk.crisis_rate" { print $3 }' "$p")
w=$(awk -F, '$1 == 0 && $2 == "coordination.models[0].detect" { print $3 }' "$p")
g=$(awk -F, '$1 == 0 && $2 == "crisis_team.gatekeeping_or" { print $3 }' "$p")
# shellcheck disable=SC2086
"$CCSIM" run "$a" -r 2 -j 1 $short -q --no-plots --set "risk.crisis_rate=$v" \
    --set "coordination.models[0].detect=$w" --set "crisis_team.gatekeeping_or=$g" \
    -o "$tmp/run0" >/dev/null 2>&1 || bad "run of draw 0"
m1=$(awk -F, '$1 == "crises" { print $2 }' "$tmp/run0/summary.csv")
m2=$(awk -F, '$1 == 0 && $2 == "psa_a" && $3 == "crises" { print $4 }' "$s")
awk -v a="$m1" -v b="$m2" 'BEGIN { d = a - b; exit !((d < 0 ? -d : d) <= 1e-6 * a) }' ||
    bad "draw 0's crises $m2, the run with its values $m1"

# Refusals: no uncertain parameter; the same key declared differently; no --draws.
cat >"$tmp/none.cfg" <<CFG
base = "$PWD/tests/fixtures/care/baseline.cfg";
uncertainty = { defaults = false; };
CFG
"$CCSIM" psa "$tmp/none.cfg" --draws 2 -r 1 -q >"$tmp/e1" 2>&1
[ $? -eq 2 ] || bad "no parameters: exit status"
grep -q "no parameter of $tmp/none.cfg is uncertain" "$tmp/e1" || bad "no parameters: $(cat "$tmp/e1")"
cat >"$tmp/other.cfg" <<CFG
base = "$PWD/tests/fixtures/care/baseline.cfg";
uncertainty = { parameters = ( { key = "risk.crisis_rate"; dist = "gamma";
                                 from_ci = [15.0, 21.0]; source = "another interval"; } ); };
CFG
"$CCSIM" psa "$a" "$tmp/other.cfg" --draws 2 -r 1 -q -o "$tmp/never" >"$tmp/e2" 2>&1
[ $? -eq 2 ] || bad "different declarations: exit status"
grep -q "risk.crisis_rate is uncertain in $a and in $tmp/other.cfg, but declared differently" \
    "$tmp/e2" || bad "different declarations: $(cat "$tmp/e2")"
[ ! -e "$tmp/never" ] || bad "a refused analysis left a folder"
"$CCSIM" psa "$a" -r 1 -q >"$tmp/e3" 2>&1
[ $? -eq 2 ] || bad "no --draws: exit status"
grep -q "psa: --draws N is required" "$tmp/e3" || bad "no --draws: $(cat "$tmp/e3")"
# Scenarios of two models: refused, before anything runs.
"$CCSIM" psa "$a" scenarios/verify/mm1.cfg --draws 2 -r 1 -q -o "$tmp/never" >"$tmp/e6" 2>&1
[ $? -eq 2 ] || bad "two models: exit status"
grep -q "psa: $a is a care scenario and scenarios/verify/mm1.cfg a network one" "$tmp/e6" ||
    bad "two models: $(cat "$tmp/e6")"
[ ! -e "$tmp/never" ] || bad "a refused analysis left a folder"
# More replications than the seed numbers (draw d runs d*R .. d*R+R-1, 32 bits).
"$CCSIM" psa "$a" --draws 1000000 -r 5000 -q -o "$tmp/never" >"$tmp/e4" 2>&1
[ $? -eq 2 ] || bad "too many replications: exit status"
grep -q "more than the seed's 4294967296 replications" "$tmp/e4" ||
    bad "too many replications: $(cat "$tmp/e4")"
[ ! -e "$tmp/never" ] || bad "a refused analysis left a folder"
# One replication a draw is no cause for the note that intervals are NA (a psa's intervals are
# over the draws); a drawn value outside its key's plausible range is said once for all the
# draws, with their count (the gatekeeping odds ratio's plausible range starts at its default,
# 0.19, so about half its draws are below it), not once a draw.
# shellcheck disable=SC2086
"$CCSIM" psa "$a" --draws 6 -r 1 $short -q --no-plots -o "$tmp/r1" >/dev/null 2>"$tmp/e5" ||
    bad "psa -r 1"
! grep -q "one replication gives no confidence interval" "$tmp/e5" ||
    bad "the note of one replication: $(cat "$tmp/e5")"
below=$(awk -F, '$2 == "crisis_team.gatekeeping_or" && $3 < 0.19' "$tmp/r1/psa_parameters.csv" |
    wc -l)
[ "$below" -gt 0 ] || bad "no gatekeeping draw below 0.19: the check below tests nothing"
grep -q "^ccsim: psa: crisis_team.gatekeeping_or: warning: $below of 6 draws are outside its plausible range 0.19..1" \
    "$tmp/e5" || bad "the plausible-range line: $(cat "$tmp/e5")"
[ "$(grep -c "plausible" "$tmp/e5")" -eq 1 ] || bad "plausible range said more than once"
grep -q "^psa: crisis_team.gatekeeping_or: warning: $below of 6 draws" "$tmp/r1/warnings.txt" ||
    bad "warnings.txt: $(cat "$tmp/r1/warnings.txt")"
exit $fail
