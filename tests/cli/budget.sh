#!/bin/sh
# What an experiment needs, estimated before anything starts: check prints memory and time;
# results that cannot fit in memory are refused (exit 2, nothing written) by check and by every
# command; a run of many hours is warned of.
. tests/cli_lib.sh
care=tests/fixtures/care/region_30y.cfg
mm1=scenarios/verify/mm1.cfg

"$CCSIM" check "$mm1" >"$tmp/out" 2>&1 || bad "check of mm1 failed"
grep -q "^a run needs memory about .* for the results, time about" "$tmp/out" ||
    bad "check does not estimate the run: $(head -n 3 "$tmp/out")"

# 10^9 days of weekly series for a million replications: far beyond any machine.
huge="--set horizon=1e9 -r 1000000"
for cmd in run check; do
    if [ $cmd = check ]; then
        # shellcheck disable=SC2086
        "$CCSIM" check "$care" $huge >"$tmp/out" 2>&1
    else
        # shellcheck disable=SC2086
        "$CCSIM" run "$care" $huge -q -o "$tmp/out.d" >"$tmp/out" 2>&1
    fi
    rc=$?
    [ "$rc" -eq 2 ] || bad "$cmd of a run too big for memory exited $rc, expected 2"
    grep -q "of memory to hold its results (1000000 replications), more than this machine can give" \
        "$tmp/out" || bad "$cmd: no memory refusal: $(cat "$tmp/out")"
done
# shellcheck disable=SC2086
"$CCSIM" compare "$care" "$care" $huge -q -o "$tmp/out.d" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "compare of a run too big for memory was not refused"
[ ! -e "$tmp/out.d" ] || bad "a refused run created its results folder"
if ls -a "$tmp" | grep -q "ccsim-"; then
    bad "a refused run left a partial folder"
fi

# 10^11 time units of an M/M/1 queue: hours on any machine; a warning, and check still passes.
"$CCSIM" check "$mm1" --set horizon=1e11 >"$tmp/out" 2>&1 || bad "check of a long run failed"
grep -q "warning: the experiment will take about .* h\|warning: the experiment will take about .* days" \
    "$tmp/out" || bad "no warning for a run of many hours: $(head -n 3 "$tmp/out")"
# A horizon of 10^15 time units: the pilot stays short (it starts from a short horizon whatever
# the full one), and a sweep is judged by its costliest points, not by its first.
sed 's/^horizon = .*/horizon = 1e15;/' "$mm1" >"$tmp/h.cfg"
timeout 20 "$CCSIM" check "$tmp/h.cfg" >"$tmp/out" 2>&1 || bad "check of a 10^15 horizon: $(cat "$tmp/out")"
timeout 20 "$CCSIM" sweep "$mm1" --vary horizon=100000:1e12:999999900000 -r 2 -o "$tmp/sw" \
    >"$tmp/out" 2>&1 &
sweep=$!
i=0
while [ $i -lt 100 ] && ! grep -q "warning: the experiment will take about" "$tmp/out"; do
    sleep 0.1
    i=$((i + 1))
done
kill "$sweep" 2>/dev/null
wait "$sweep" 2>/dev/null
grep -q "warning: the experiment will take about" "$tmp/out" ||
    bad "a sweep whose last point takes days was not warned of: $(cat "$tmp/out")"
exit $fail
