#!/bin/sh
# The resolved scenario files reproduce the results they sit beside: after --precision (the
# replications that ran, not the starting count), in a comparison (the first scenario's seed
# and replications, which every scenario ran with); and every command takes a seed beyond 32
# bits the same way (run and sweep agree, check shows it).
. tests/cli_lib.sh
scn=scenarios/verify/mm1.cfg
q="-q --no-plots"

# --precision: the resolved file records the replications that ran.
# shellcheck disable=SC2086
"$CCSIM" run "$scn" $q -r 3 --set horizon=3000 --precision 0.05 --max-reps 40 -o "$tmp/p" \
    2>/dev/null || bad "the --precision run failed"
ran=$(($(wc -l <"$tmp/p/replications.csv") - 1))
[ "$ran" -gt 3 ] || bad "--precision added no replications ($ran): the test shows nothing"
# shellcheck disable=SC2086
"$CCSIM" run "$tmp/p/scenario.resolved.cfg" $q -o "$tmp/p2" || bad "the resolved file did not run"
cmp -s "$tmp/p/summary.csv" "$tmp/p2/summary.csv" ||
    bad "after --precision the resolved file does not reproduce summary.csv ($ran replications)"
grep -q "replications = $ran;.*--precision" "$tmp/p/scenario.resolved.cfg" ||
    bad "the resolved file does not say the replications came from --precision"

# compare: a later scenario with its own seed and replications runs with the first's, and its
# resolved file says so.
sed -e 's/^seed = .*/seed = 77;/' -e 's/^replications = .*/replications = 5;/' "$scn" >"$tmp/other.cfg"
grep -q "^seed = 77;" "$tmp/other.cfg" || bad "the test scenario has no seed line to change"
# shellcheck disable=SC2086
"$CCSIM" compare "$scn" "$tmp/other.cfg" $q -r 3 --set horizon=3000 -o "$tmp/c" ||
    bad "compare failed"
# shellcheck disable=SC2086
"$CCSIM" run "$tmp/c/other.resolved.cfg" $q -o "$tmp/c2" || bad "other.resolved.cfg did not run"
cmp -s "$tmp/c/other.replications.csv" "$tmp/c2/replications.csv" ||
    bad "compare: other.resolved.cfg does not reproduce other.replications.csv"

# A seed beyond 32 bits: the same in run and sweep, shown by check, different from its low bits.
big=4294967297
# shellcheck disable=SC2086
"$CCSIM" run "$scn" $q -r 3 -s $big --set horizon=2000 -o "$tmp/s1" || bad "run -s $big failed"
# shellcheck disable=SC2086
"$CCSIM" run "$scn" $q -r 3 -s 1 --set horizon=2000 -o "$tmp/s0" || bad "run -s 1 failed"
# shellcheck disable=SC2086
"$CCSIM" sweep "$scn" $q -r 3 -s $big --set horizon=2000 --vary "network.stations[0].servers=1:1:1" \
    -o "$tmp/s2" || bad "sweep -s $big failed"
grep -q "\"seed\": $big," "$tmp/s1/manifest.json" || bad "run did not record seed $big"
grep -q "\"seed\": $big," "$tmp/s2/manifest.json" || bad "sweep did not record seed $big"
! cmp -s "$tmp/s0/replications.csv" "$tmp/s1/replications.csv" || bad "seed $big ran as seed 1"
run_mean=$(awk -F, '$1 == "q.wait" { print $2 }' "$tmp/s1/summary.csv")
sweep_mean=$(awk -F, '$2 == "q.wait" { print $3 }' "$tmp/s2/sweep.csv")
[ -n "$run_mean" ] && [ "$run_mean" = "$sweep_mean" ] ||
    bad "run and sweep disagree at seed $big: $run_mean against $sweep_mean"
COLUMNS=1000 "$CCSIM" check "$scn" -s $big | grep -q "seed $big" || bad "check does not show seed $big"
exit $fail
