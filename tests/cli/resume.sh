#!/bin/sh
# --resume DIR: an experiment killed outright (SIGKILL) part-way leaves no results folder but
# the replications it finished, beside it in .DIR.ccsim-units; resumed, it runs only the others
# and writes every file byte for byte as an uninterrupted run does (manifest.json aside: it
# holds times), then removes what it kept. A sweep (one thread), a run (two threads, weekly
# series and replications) and a calibration (its simplex replayed from kept evaluations). A
# run into DIR without --resume says what was kept and starts afresh; --resume of a complete
# folder is refused.
. tests/cli_lib.sh

# wait_units NAME BYTES PID: waits until .NAME.ccsim-units holds BYTES bytes of units, while PID
# runs; status 1 if it ended first.
wait_units() {
    i=0
    while [ $i -lt 1000 ]; do
        n=$(cat "$tmp/.$1.ccsim-units"/units-* 2>/dev/null | wc -c)
        [ "$n" -ge "$2" ] && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.01
        i=$((i + 1))
    done
    return 1
}

# killed NAME BYTES COMMAND...: starts COMMAND -o $tmp/NAME in the background and kills it
# outright once it has kept BYTES bytes of units; checks that it left no results folder.
killed() {
    name=$1
    bytes=$2
    shift 2
    "$@" -o "$tmp/$name" >/dev/null 2>&1 &
    pid=$!
    wait_units "$name" "$bytes" "$pid" || bad "$name: no unit kept before the run ended"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ ! -e "$tmp/$name" ] || bad "$name: the run ended before it was killed (too fast a test)"
    [ -d "$tmp/.$name.ccsim-units" ] || bad "$name: the kept replications are gone"
}

# same REF OUT: every file of REF but manifest.json is in OUT with the same bytes, and no other.
same() {
    [ "$(cd "$1" && ls | grep -v '^manifest.json$')" = "$(cd "$2" && ls | grep -v '^manifest.json$')" ] ||
        bad "$2 holds other files than $1: $(ls "$2")"
    for f in "$1"/*; do
        b=$(basename "$f")
        [ "$b" = manifest.json ] || cmp -s "$f" "$2/$b" || bad "$2/$b differs from an uninterrupted run's"
    done
    [ -s "$2/manifest.json" ] || bad "$2: no manifest.json"
}

# kept ERR TOTAL: the resumed run's account "K of TOTAL replications kept from an interrupted
# run, N run now", with 0 < K < TOTAL and K + N = TOTAL; prints K.
kept() {
    line=$(grep "replications kept from an interrupted run, " "$1")
    k=$(echo "$line" | sed -n 's/^ccsim: \([0-9]*\) of \([0-9]*\) replications kept.*, \([0-9]*\) run now$/\1 \2 \3/p')
    set -- $k "$2"
    [ $# -eq 4 ] && [ "$1" -gt 0 ] && [ "$1" -lt "$4" ] && [ "$2" -eq "$4" ] &&
        [ $(($1 + $3)) -eq "$4" ] || bad "the resumed run's account: '$line'"
}

# A sweep of 4 points of 3 replications on one thread: killed after its first unit, then
# resumed.
sweep="$CCSIM sweep $care $care_short --vary hospital.beds=40:52:4 -r 3 -j 1 -q --no-plots"
$sweep -o "$tmp/ref" 2>/dev/null || bad "the uninterrupted sweep failed"
[ ! -e "$tmp/.ref.ccsim-units" ] || bad "a complete sweep left its kept replications"
killed sw 1 $sweep
ls -a "$tmp" | grep -q '^\.sw\.ccsim-writing-' || bad "no partial folder after SIGKILL"
$sweep --resume "$tmp/sw" 2>"$tmp/sw.err" || bad "the resumed sweep failed: $(cat "$tmp/sw.err")"
grep -q "^ccsim: resuming $tmp/sw: [0-9]* replications* kept from an interrupted run$" \
    "$tmp/sw.err" || bad "no account of what is resumed: $(cat "$tmp/sw.err")"
kept "$tmp/sw.err" 12
same "$tmp/ref" "$tmp/sw"
[ -z "$(ls -a "$tmp" | grep 'ccsim-')" ] || bad "left after the resumed sweep: $(ls -a "$tmp" | grep ccsim-)"

# A run of 12 replications on two threads, weekly series included.
run="$CCSIM run $care $care_short -r 12 -j 2 -q --no-plots"
$run -o "$tmp/rref" 2>/dev/null || bad "the uninterrupted run failed"
killed rn 1 $run
$run --resume "$tmp/rn" 2>"$tmp/rn.err" || bad "the resumed run failed: $(cat "$tmp/rn.err")"
kept "$tmp/rn.err" 12
[ -s "$tmp/rn/timeseries.csv" ] || bad "the resumed run has no weekly series"
same "$tmp/rref" "$tmp/rn"
[ ! -e "$tmp/.rn.ccsim-units" ] || bad "the resumed run left its kept replications"

# Without --resume, what an interrupted run kept is said and not used; it goes once DIR is
# complete.
mm1="$CCSIM run scenarios/verify/mm1.cfg -r 30 -j 1 -q --no-plots --set horizon=100000"
killed m1 1 $mm1
$mm1 -o "$tmp/m1" 2>"$tmp/m1.err" || bad "the fresh run failed: $(cat "$tmp/m1.err")"
grep -q "^ccsim: note: $tmp/.m1.ccsim-units holds [0-9]* replications* kept from an interrupted run into $tmp/m1; --resume $tmp/m1 would use them (this run starts afresh)$" \
    "$tmp/m1.err" || bad "no note of the kept replications: $(cat "$tmp/m1.err")"
! grep -q "kept from an interrupted run, " "$tmp/m1.err" || bad "a fresh run used kept replications"
[ ! -e "$tmp/.m1.ccsim-units" ] || bad "the fresh run left the kept replications"

# A complete folder has nothing to resume; --resume and -o must agree.
$mm1 --resume "$tmp/m1" 2>"$tmp/done.err"
[ $? -ne 0 ] || bad "--resume of a complete folder succeeded"
grep -q "nothing to resume" "$tmp/done.err" || bad "complete folder: $(cat "$tmp/done.err")"
# A folder ccsim did not write is not said to be a finished run (--force would not replace it).
mkdir -p "$tmp/other" && : >"$tmp/other/notes.txt"
$mm1 --resume "$tmp/other" 2>"$tmp/other.err"
[ $? -eq 2 ] || bad "--resume of another folder: exit status"
grep -q "only a results folder that ccsim wrote" "$tmp/other.err" ||
    bad "another folder: $(cat "$tmp/other.err")"
! grep -q "nothing to resume" "$tmp/other.err" || bad "another folder: $(cat "$tmp/other.err")"
$mm1 --resume "$tmp/m2" -o "$tmp/m3" 2>"$tmp/two.err"
[ $? -eq 2 ] || bad "--resume with another -o: status $?"
grep -q "give -o the same folder" "$tmp/two.err" || bad "two folders: $(cat "$tmp/two.err")"
[ ! -e "$tmp/m2" ] && [ ! -e "$tmp/m3" ] || bad "a refused run wrote a folder"

# A calibration replays its simplex: the evaluations kept are found again, and every file of
# the fit is the same. Its reference is a --resume with nothing kept (a fresh start).
cal="$CCSIM calibrate scenarios/verify/mm1.cfg --target q.wait=1.5 -r 4 -j 1 -q
    --free network.stations[0].service.mean=0.5:0.95 --set horizon=50000"
$cal --resume "$tmp/cref" 2>"$tmp/cref.err" || bad "the uninterrupted calibration failed"
grep -q "^ccsim: --resume $tmp/cref: no replications were kept by an earlier run; starting from the beginning$" \
    "$tmp/cref.err" || bad "nothing to resume: $(cat "$tmp/cref.err")"
killed cal 1000 $cal
$cal --resume "$tmp/cal" 2>"$tmp/cal.err" || bad "the resumed calibration failed: $(cat "$tmp/cal.err")"
grep "replications kept from an interrupted run, " "$tmp/cal.err" |
    grep -q '^ccsim: [1-9][0-9]* of ' || bad "the calibration used nothing kept: $(cat "$tmp/cal.err")"
same "$tmp/cref" "$tmp/cal"
[ -z "$(ls -a "$tmp" | grep 'ccsim-')" ] || bad "left at the end: $(ls -a "$tmp" | grep ccsim-)"
# A probabilistic sensitivity analysis of 6 draws, 2 scenarios, 2 replications (24 units) on one
# thread: killed after its first unit, resumed, every file the same.
psa="$CCSIM psa tests/fixtures/care/psa_a.cfg tests/fixtures/care/psa_b.cfg --draws 6 -r 2 -j 1 --set horizon=700
    -q --no-plots"
$psa -o "$tmp/pref" >/dev/null 2>&1 || bad "the uninterrupted psa failed"
killed ps 1 $psa
$psa --resume "$tmp/ps" >/dev/null 2>"$tmp/ps.err" || bad "the resumed psa failed: $(cat "$tmp/ps.err")"
kept "$tmp/ps.err" 24
same "$tmp/pref" "$tmp/ps"
exit $fail
