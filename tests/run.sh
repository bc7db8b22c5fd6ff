#!/bin/sh
# Runs every cmocka suite given as an argument, then the command-line tests of tests/cli/, and
# ends with "tests: N passed, N failed". Exit status 1 if anything failed.
#
# The suites run TEST_JOBS at a time (default: the machine's cores, nproc). Each writes its own
# log (the binary's path plus .log; $BUILD/tests/NAME.sh.log for a command-line test), and the
# results are printed in the fixed order above, each with the CPU time it took (user + system,
# its processes included), and the last 30 lines of the log for a failure. The suites that took
# longest in the previous run ($BUILD/tests/times) start first, so that no long one is left to
# run alone at the end; the printed order does not change.
B=${BUILD:-build}
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
case $jobs in '' | *[!0-9]* | 0) jobs=1 ;; esac
res=$(mktemp -d "${TMPDIR:-/tmp}/ccsim-tests.XXXXXX") || exit 1
trap 'rm -rf "$res"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$B/tests"

# The list: one line per suite, "N NAME LOG COMMAND".
n=0
for t in "$@"; do
    n=$((n + 1))
    printf '%s\t%s\t%s\t%s\n' "$n" "$(basename "$t")" "$t.log" "$t" >>"$res/list"
done
for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    n=$((n + 1))
    printf '%s\t%s\t%s\t%s\n' "$n" "$(basename "$t")" "$B/tests/$(basename "$t").log" \
        "sh $t" >>"$res/list"
done
[ "$n" -gt 0 ] || {
    echo "tests: nothing to run"
    exit 1
}
# The order of starting: longest first by the previous run's CPU times (unknown ones first of
# all, in the list's order: they may be long), else the list's order.
if [ -s "$B/tests/times" ]; then
    awk -F'\t' 'NR == FNR { cpu[$1] = $2; next }
        { print (($2 in cpu) ? cpu[$2] : 1e9) "\t" $1 }' "$B/tests/times" "$res/list" |
        sort -t "$(printf '\t')" -k1,1gr -k2,2n | cut -f2 >"$res/order"
else
    cut -f1 "$res/list" >"$res/order"
fi

# run_one N: runs suite N of the list, then leaves its exit status and CPU time in $res/N.done.
run_one() {
    line=$(awk -F'\t' -v n="$1" '$1 == n' "$res/list")
    log=$(printf '%s\n' "$line" | cut -f3)
    cmd=$(printf '%s\n' "$line" | cut -f4)
    (
        # shellcheck disable=SC2086
        CCSIM="$B/ccsim" $cmd >"$log" 2>&1
        echo $? >"$res/$1.rc"
        times >"$res/$1.times"
    )
    # The second line of times: the suite's processes, user and system, as 1m2.5s.
    cpu=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); sub("s", "", a[2])
            s += 60 * a[1] + a[2] } printf "%.1f", s }' "$res/$1.times")
    echo "$(cat "$res/$1.rc" 2>/dev/null || echo 1) $cpu" >"$res/$1.tmp" &&
        mv "$res/$1.tmp" "$res/$1.done"
}
# A worker takes the next suite nobody has taken (mkdir is atomic) until none is left.
worker() {
    while read -r i; do
        mkdir "$res/$i.taken" 2>/dev/null && run_one "$i"
    done <"$res/order"
}
start=$(date +%s)
w=0
while [ "$w" -lt "$jobs" ] && [ "$w" -lt "$n" ]; do
    worker &
    w=$((w + 1))
done

pass=0
fail=0
total=0
i=0
: >"$res/times"
while [ "$i" -lt "$n" ]; do
    i=$((i + 1))
    while [ ! -f "$res/$i.done" ]; do
        sleep 0.1 2>/dev/null || sleep 1
    done
    read -r rc cpu <"$res/$i.done"
    line=$(awk -F'\t' -v n="$i" '$1 == n' "$res/list")
    name=$(printf '%s\n' "$line" | cut -f2)
    log=$(printf '%s\n' "$line" | cut -f3)
    total=$(awk -v a="$total" -v b="$cpu" 'BEGIN { printf "%.1f", a + b }')
    printf '%s\t%s\n' "$name" "$cpu" >>"$res/times"
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        printf '  PASS    %-28s %6s s CPU\n' "$name" "$cpu"
    else
        fail=$((fail + 1))
        printf '  FAIL    %-28s %6s s CPU (exit status %s; log: %s)\n' "$name" "$cpu" "$rc" "$log"
        tail -n 30 "$log"
    fi
done
wait
cp "$res/times" "$B/tests/times"
echo "tests: $total s of CPU in $(($(date +%s) - start)) s, $jobs at a time"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
