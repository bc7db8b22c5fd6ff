#!/bin/sh
# Planner mistakes (issue 10 item 14) draw warnings, not errors: `ccsim check` of
# tests/scenarios/good/warnings/planner_mistakes.cfg exits 0 and prints each warning,
# "file:line: key: warning: ...", in file order; `ccsim run` prints the same and writes them to
# warnings.txt in the results folder. A shipped scenario draws none.
set -u
CCSIM=${CCSIM:-build/ccsim}
scn=tests/scenarios/good/warnings/planner_mistakes.cfg
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL $*"
    fail=1
}

cat >"$tmp/expected" <<END
$scn:4: horizon: warning: 87660 days is above the plausible range 28..36525 days for the care model (4 weeks to 100 years; a horizon in hours or weeks where days belong?)
$scn:6: referrals.population: warning: 50000000 adults is above the plausible range 10000..10000000 adults (a value in other units, or a typing mistake?)
$scn:7: referrals.steps[0].factor: warning: factor 0 from day 100: no client is referred from then on
$scn:8: assessment.vacancy_rate: warning: no assessor post is filled (5 posts, vacancy_rate 1): no referral is ever assessed, so no client reaches coordination
$scn:9: coordination.models[0].vacancy_rate: warning: every post is vacant (model "standard": 37 posts, vacancy_rate 1; no model has a filled post): no client is ever coordinated
$scn:10: services[2].places: warning: service "housing" has 0 places but 1 need is linked to it: no client is ever placed there, those needs stay unmet
$scn:11: services[3].closures[0].to: warning: service "employment" is closed from day 0 to 100000, the whole horizon (87660 days): it never takes a client
$scn:13: hospital.length_of_stay.mean: warning: a mean length of stay of 960 days is above the plausible range 1..365 days (hours or weeks where days belong?)
END

"$CCSIM" check "$scn" >"$tmp/out" 2>&1 || bad "check $scn: exit status $?, expected 0"
grep ': warning: ' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/expected" "$tmp/got" || {
    bad "check: warnings differ"
    diff "$tmp/expected" "$tmp/got"
}

# A short run: the horizon warning goes (the --set horizon is plausible), the closure still
# covers the whole horizon.
grep -v ': horizon: ' "$tmp/expected" | sed 's/the whole horizon (87660 days)/the whole horizon (800 days)/' \
    >"$tmp/expected_run"
mv "$tmp/expected_run" "$tmp/expected"
"$CCSIM" run "$scn" -q -r 2 --set horizon=800.0 --set warmup=100.0 -o "$tmp/res" --no-plots \
    >"$tmp/out" 2>&1 || bad "run $scn: exit status $?, expected 0"
grep ': warning: ' "$tmp/out" >"$tmp/got"
cmp -s "$tmp/expected" "$tmp/got" || {
    bad "run: warnings on the terminal differ"
    diff "$tmp/expected" "$tmp/got"
}
if [ -f "$tmp/res/warnings.txt" ]; then
    cmp -s "$tmp/expected" "$tmp/res/warnings.txt" || {
        bad "run: warnings.txt differs"
        diff "$tmp/expected" "$tmp/res/warnings.txt"
    }
else
    bad "run: no warnings.txt in the results folder"
fi

"$CCSIM" check scenarios/care/baseline.cfg >"$tmp/out" 2>&1 || bad "check baseline"
if grep -q ': warning: ' "$tmp/out"; then
    bad "the baseline draws warnings:"
    grep ': warning: ' "$tmp/out"
fi
[ "$fail" -eq 0 ] && echo "warnings: check, run and warnings.txt agree"
exit $fail
