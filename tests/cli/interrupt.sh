#!/bin/sh
# A run interrupted part-way (SIGINT, SIGTERM) leaves no results folder and no partial folder;
# a run killed outright (SIGKILL) leaves only its clearly named partial folder
# (.NAME.ccsim-partial-PID), which the next run beside it removes.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
long="scenarios/verify/mm1.cfg -q -r 4 --set horizon=1e9"

bad() {
    echo "FAIL: $*"
    fail=1
}

# Starts a long run into $tmp/out in the background and waits for its partial folder.
start() {
    # shellcheck disable=SC2086
    "$CCSIM" run $long -o "$tmp/out" >/dev/null 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! ls -a "$tmp" | grep -q "^\.out\.ccsim-partial-$pid\$"; do
        sleep 0.1
        i=$((i + 1))
    done
    ls -a "$tmp" | grep -q "^\.out\.ccsim-partial-$pid\$" || bad "no partial folder for pid $pid"
}

for sig in INT TERM; do
    start
    sleep 0.3
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" -ne 0 ] || bad "SIG$sig: the run reported success"
    [ ! -e "$tmp/out" ] || bad "SIG$sig: a results folder appeared"
    if ls -a "$tmp" | grep -q partial; then
        bad "SIG$sig: debris left: $(ls -a "$tmp" | grep partial)"
    fi
done

# SIGKILL cannot be caught: the partial folder stays, clearly named, until the next run.
start
kill -KILL "$pid"
wait "$pid" 2>/dev/null
ls -a "$tmp" | grep -q "^\.out\.ccsim-partial-$pid\$" || bad "SIGKILL: the partial folder is gone"
"$CCSIM" run scenarios/verify/mm1.cfg -q -r 2 --set horizon=5000 -o "$tmp/next" ||
    bad "the next run failed"
[ -s "$tmp/next/summary.csv" ] || bad "the next run wrote no summary"
if ls -a "$tmp" | grep -q partial; then
    bad "the next run did not clean up: $(ls -a "$tmp" | grep partial)"
fi
[ ! -e "$tmp/out" ] || bad "SIGKILL: a results folder appeared"
exit $fail
