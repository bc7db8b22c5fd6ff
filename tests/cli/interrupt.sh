#!/bin/sh
# A run interrupted part-way (SIGINT, SIGTERM, SIGHUP) leaves no results folder and no partial
# folder, however many files it had written; a run killed outright (SIGKILL) leaves only its
# clearly named partial folder and lock (.NAME.ccsim-writing-XXXXXX), which the next run beside
# it removes; an interrupted --force leaves the old results in place.
. tests/cli_lib.sh
long="scenarios/verify/mm1.cfg -q -r 4 --set horizon=1e9 --no-plots"

# Starts a long run into $tmp/out in the background and waits for its partial folder.
start() {
    # shellcheck disable=SC2086
    "$CCSIM" run $long "$@" -o "$tmp/out" >/dev/null 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 100 ] && ! ls -a "$tmp" | grep -q '^\.out\.ccsim-writing-......$'; do
        sleep 0.1
        i=$((i + 1))
    done
    ls -a "$tmp" | grep -q '^\.out\.ccsim-writing-......$' || bad "no partial folder for $pid"
}

# What an interrupted run leaves besides the replications it finished (.NAME.ccsim-units, kept
# for --resume: resume.sh checks them).
debris() {
    ls -a "$tmp" | grep "ccsim-" | grep -v '^\.[a-z]*\.ccsim-units$'
}

for sig in INT TERM HUP; do
    start
    sleep 0.3
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" -ne 0 ] || bad "SIG$sig: the run reported success"
    [ ! -e "$tmp/out" ] || bad "SIG$sig: a results folder appeared"
    [ -z "$(debris)" ] || bad "SIG$sig: debris left: $(debris)"
done

# SIGKILL cannot be caught: the partial folder stays, clearly named, until the next run.
start
kill -KILL "$pid"
wait "$pid" 2>/dev/null
[ -n "$(debris)" ] || bad "SIGKILL: the partial folder is gone"
"$CCSIM" run scenarios/verify/mm1.cfg -q -r 2 --set horizon=5000 --no-plots -o "$tmp/next" ||
    bad "the next run failed"
[ -s "$tmp/next/summary.csv" ] || bad "the next run wrote no summary"
[ -z "$(debris)" ] || bad "the next run did not clean up: $(debris)"
[ ! -e "$tmp/out" ] || bad "SIGKILL: a results folder appeared"

# An interrupted replacement: the old results stay whole.
"$CCSIM" run scenarios/verify/mm1.cfg -q -r 2 --set horizon=5000 --no-plots -o "$tmp/out" ||
    bad "the first results failed"
cp "$tmp/out/replications.csv" "$tmp/before.csv"
start --force
kill -INT "$pid"
wait "$pid"
cmp -s "$tmp/before.csv" "$tmp/out/replications.csv" || bad "an interrupted --force lost the old results"
[ -z "$(debris)" ] || bad "an interrupted --force left debris: $(debris)"
rm -rf "$tmp/out"

# A comparison of 16 scenarios writes 34 files: interrupted while writing them (each write is
# slowed by strace, when it is here), nothing is left.
i=0
list=""
while [ $i -lt 16 ]; do
    cp scenarios/verify/mm1.cfg "$tmp/s$i.cfg"
    list="$list $tmp/s$i.cfg"
    i=$((i + 1))
done
if command -v strace >/dev/null 2>&1; then
    slow="strace -f -qq -o /dev/null -e trace=openat -e inject=openat:delay_exit=50000"
else
    slow=""
fi
# shellcheck disable=SC2086
$slow "$CCSIM" compare $list -q -r 2 --set horizon=20000 --no-plots -o "$tmp/cmp" >/dev/null 2>&1 &
pid=$!
i=0
# Waits until the partial folder holds a good many files, then interrupts.
while [ $i -lt 300 ]; do
    n=$(ls "$tmp"/.cmp.ccsim-writing-??????/ 2>/dev/null | wc -l)
    [ "$n" -lt 20 ] || break
    sleep 0.1
    i=$((i + 1))
done
# Under strace the run is strace's child: the signal goes to the run itself.
target=$pid
[ -z "$slow" ] || target=$(pgrep -n -P "$pid" || echo "$pid")
[ "$n" -ge 20 ] || [ -z "$slow" ] || bad "the slowed compare never held 20 files ($n)"
kill -INT "$target" 2>/dev/null
wait "$pid"
[ -z "$(debris)" ] || bad "an interrupted 16-scenario compare left debris: $(debris)"
exit $fail
