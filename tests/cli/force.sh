#!/bin/sh
# --force replaces only a results folder that ccsim wrote, never follows a link, never removes
# an input of the run; a dangling link at -o is refused before the run; two runs to the same
# -o: the second to finish keeps its results beside the first's and says where; a live run's
# partial folder is never taken by a run beside it, whatever its process number.
. tests/cli_lib.sh
scn=scenarios/verify/mm1.cfg
quick="-q -r 2 --set horizon=2000"

expect() { # expect STATUS PATTERN -- command...
    want=$1
    pat=$2
    shift 3
    "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "'$*' exited $rc, expected $want: $(cat "$tmp/out")"
    elif ! grep -q -- "$pat" "$tmp/out"; then
        bad "'$*' did not print '$pat': $(cat "$tmp/out")"
    fi
}

x="$tmp/x"
mkdir -p "$x/elsewhere"
echo p >"$x/elsewhere/t"

# 1. A symbolic link at -o: never followed, its target untouched.
ln -s elsewhere "$x/link"
# shellcheck disable=SC2086
expect 2 "symbolic link" -- "$CCSIM" run "$scn" $quick --force -o "$x/link"
[ -f "$x/elsewhere/t" ] || bad "--force over a link emptied its target"
"$CCSIM" run "$scn" $quick -o "$x/res" || bad "a plain run failed"
ln -s res "$x/reslink"
expect 2 "symbolic link" -- "$CCSIM" run "$scn" $quick --force -o "$x/reslink"

# 2. A folder ccsim did not write, one holding a file of the user's, one holding the scenario,
#    a plain file: all refused, nothing removed.
mkdir -p "$x/study"
cp "$scn" "$x/study/r.cfg"
expect 2 "not a results folder of ccsim" -- "$CCSIM" run "$x/study/r.cfg" $quick --force -o "$x/study"
[ -f "$x/study/r.cfg" ] || bad "--force deleted the scenario's folder"
echo "my notes" >"$x/res/notes.txt"
expect 2 "holds notes.txt, which ccsim did not write" -- \
    "$CCSIM" run "$scn" $quick --force -o "$x/res"
[ -f "$x/res/notes.txt" ] || bad "--force removed a file of the user's"
rm "$x/res/notes.txt"
expect 2 "an input of this run" -- \
    "$CCSIM" run "$x/res/scenario.resolved.cfg" $quick --force -o "$x/res"
[ -f "$x/res/scenario.resolved.cfg" ] || bad "--force removed the run's own scenario"
echo data >"$x/plain"
expect 2 "is a file, not a results folder" -- "$CCSIM" run "$scn" $quick --force -o "$x/plain"
[ "$(cat "$x/plain")" = data ] || bad "--force replaced a plain file"
# The same refusals for the other commands that write folders.
expect 2 "not a results folder of ccsim" -- \
    "$CCSIM" compare "$scn" "$x/study/r.cfg" $quick --force -o "$x/study"
expect 2 "symbolic link" -- \
    "$CCSIM" sweep "$scn" $quick --vary "network.arrivals[0].interarrival.mean=1.4:1.5:0.1" --force -o "$x/link"

# A folder ccsim wrote, with its figures and report: replaced, and nothing left beside it.
mkdir -p "$x/res/figures"
echo png >"$x/res/figures/a.png"
echo html >"$x/res/report.html"
old=$(cat "$x/res/replications.csv")
"$CCSIM" run "$scn" -q -r 3 --set horizon=2000 --no-plots --force -o "$x/res" ||
    bad "--force over a results folder failed"
[ "$(cat "$x/res/replications.csv")" != "$old" ] || bad "--force did not replace the results"
[ ! -e "$x/res/report.html" ] || bad "the old report survived the replacement"
if ls -a "$x" | grep -q "ccsim-"; then
    bad "debris beside the results: $(ls -a "$x" | grep ccsim-)"
fi

# 5. A dangling link at -o is refused before the run, whatever its length.
ln -s nowhere "$x/dangling"
start=$(date +%s)
expect 2 "symbolic link to nothing" -- "$CCSIM" run "$scn" -q -r 4 --set horizon=1e9 -o "$x/dangling"
[ $(($(date +%s) - start)) -lt 5 ] || bad "the dangling link was refused only after the run"
[ ! -e "$x/nowhere" ] || bad "a run wrote through a dangling link"

# 4. A live run's partial folder, locked by a process ccsim cannot see (flock holds the lock as
#    a run in another PID namespace would): kept by the runs beside it, removed once free.
mkdir "$x/.live.ccsim-writing-AbC123"
echo kept >"$x/.live.ccsim-writing-AbC123/summary.csv"
flock -o "$x/.live.ccsim-writing-AbC123.lock" sleep 30 &
holder=$!
i=0
while [ ! -e "$x/.live.ccsim-writing-AbC123.lock" ] && [ $i -lt 50 ]; do
    sleep 0.1
    i=$((i + 1))
done
"$CCSIM" run "$scn" $quick -o "$x/beside" || bad "a run beside a live one failed"
[ -f "$x/.live.ccsim-writing-AbC123/summary.csv" ] || bad "a live run's partial folder was taken"
kill "$holder"
wait "$holder" 2>/dev/null
"$CCSIM" run "$scn" $quick -o "$x/beside2" || bad "a run after the live one failed"
[ ! -e "$x/.live.ccsim-writing-AbC123" ] || bad "a dead run's partial folder was left"

# 4. Two runs to the same -o: the one that finishes second keeps its results in DIR-2 and says
#    so (the folder it names exists and is complete).
"$CCSIM" run "$scn" -q -r 4 --set horizon=3e6 --no-plots -o "$x/race" 2>"$tmp/slow.err" &
slow=$!
sleep 0.3
"$CCSIM" run "$scn" $quick --no-plots -o "$x/race" || bad "the quick run of the race failed"
wait "$slow"
rc=$?
[ "$rc" -eq 1 ] || bad "the run that lost the race exited $rc, expected 1"
grep -q "another run wrote it while this one ran; this run's complete results are in $x/race-2" \
    "$tmp/slow.err" || bad "the race was not reported: $(cat "$tmp/slow.err")"
[ -s "$x/race-2/summary.csv" ] && [ -s "$x/race-2/manifest.json" ] ||
    bad "the results named after the race are not there"
[ -s "$x/race/summary.csv" ] || bad "the winner's results are gone"
if ls -a "$x" | grep -q "ccsim-"; then
    bad "debris after the race: $(ls -a "$x" | grep ccsim-)"
fi
exit $fail
