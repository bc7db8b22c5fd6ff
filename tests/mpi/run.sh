#!/bin/sh
# The MPI build against the ordinary one (make mpi-test; docs/cluster.md): every command run
# serially with -j 1, then under mpirun -n 3 with -j 1 a rank (oversubscribed on a small machine)
# and -n 2 with -j 2, must give the same exit status, the same standard output and, file for
# file, the same results folder: every file but manifest.json (whose times, host, command and
# ranks differ by design), that is the CSV files (summary, replications, timeseries, comparison,
# sweep, sensitivity, evaluations, fit, validation, diagnostics, trace, ...), the resolved and
# calibrated scenarios and warnings.txt, byte for byte. Then the failures: a bad scenario and an
# existing folder end every rank with status 2, and nothing hangs.
#
# A new command is one more line: compare_cmd NAME ARGS... (ARGS without -j, -q, -o).
# CCSIM: the ordinary build; CCSIM_MPI: the MPI build; MPIRUN: the launcher and its options.
# MPIRUN and the shared options ($short) are split into words on purpose.
# shellcheck disable=SC2086,SC2016
set -u
CCSIM=$(realpath "${CCSIM:-build/ccsim}")
CCSIM_MPI=$(realpath "${CCSIM_MPI:-build-mpi/ccsim}")
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
# Long enough for the slowest comparison below; a hang (a rank waiting for an exchange that never
# comes) is a failure, not a stuck CI.
LIMIT=${CCSIM_MPI_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
root=$(pwd)
care=$root/tests/fixtures/care/baseline.cfg
short="--set horizon=730 --set warmup=365"

# one DIR RANKS THREADS ARGS...: ccsim ARGS -j THREADS -q -o res in DIR (created), by the
# ordinary build when RANKS is 0, else under mpirun -n RANKS; stdout, stderr and the exit status
# into DIR/out, DIR/err and DIR/rc. The same folder name everywhere, so that messages naming it
# are alike.
one() {
    dir=$1 ranks=$2 threads=$3
    shift 3
    mkdir -p "$dir"
    if [ "$ranks" -eq 0 ]; then
        (cd "$dir" && timeout "$LIMIT" "$CCSIM" "$@" -j "$threads" -q -o res >out 2>err)
    else
        # shellcheck disable=SC2086
        (cd "$dir" && timeout "$LIMIT" $MPIRUN -n "$ranks" "$CCSIM_MPI" "$@" -j "$threads" -q \
            -o res >out 2>err)
    fi
    echo $? >"$dir/rc"
}

# same NAME SERIAL OTHER: the two runs agree (status, stdout, every file but manifest.json).
same() {
    name=$1 a=$2 b=$3
    [ "$(cat "$a/rc")" = "$(cat "$b/rc")" ] ||
        bad "$name: exit status $(cat "$a/rc") serially, $(cat "$b/rc") in $b: $(head -c 600 "$b/err")"
    cmp -s "$a/out" "$b/out" || bad "$name: standard output differs in $b"
    if [ ! -d "$a/res" ]; then
        [ ! -e "$b/res" ] || bad "$name: a results folder in $b, none serially"
        return
    fi
    [ -d "$b/res" ] || {
        bad "$name: no results folder in $b: $(head -c 600 "$b/err")"
        return
    }
    (cd "$a/res" && find . -type f ! -name manifest.json | sort) >"$a/files"
    (cd "$b/res" && find . -type f ! -name manifest.json | sort) >"$b/files"
    cmp -s "$a/files" "$b/files" || bad "$name: other files in $b: $(diff "$a/files" "$b/files" | tr '\n' ' ')"
    while read -r f; do
        [ -f "$b/res/$f" ] || continue
        cmp -s "$a/res/$f" "$b/res/$f" || bad "$name: $f differs in $b"
    done <"$a/files"
    n=$(awk -F'[:,]' '/"ranks"/ { gsub(/ /, "", $2); print $2 }' "$b/res/manifest.json")
    [ "$n" = "$4" ] || bad "$name: manifest.json says ranks $n, not $4"
}

# compare_cmd NAME ARGS...: ccsim ARGS serially with -j 1, under mpirun -n 3 -j 1 and -n 2 -j 2.
compare_cmd() {
    name=$1
    shift
    one "$tmp/$name/serial" 0 1 "$@"
    [ -d "$tmp/$name/serial/res" ] ||
        bad "$name: the serial run wrote no folder: $(head -c 600 "$tmp/$name/serial/err")"
    one "$tmp/$name/n3j1" 3 1 "$@"
    same "$name" "$tmp/$name/serial" "$tmp/$name/n3j1" 3
    one "$tmp/$name/n2j2" 2 2 "$@"
    same "$name" "$tmp/$name/serial" "$tmp/$name/n2j2" 2
    echo "mpi: $name: $(wc -l <"$tmp/$name/serial/files" 2>/dev/null || echo 0) files alike" \
        "(exit status $(cat "$tmp/$name/serial/rc"))"
}

# shellcheck disable=SC2086
{
# run: five replications (rows split 2-2-1 and 3-2), the journey of replication 2 (on rank 0,
# which writes trace.csv), then --precision, which extends the run in steps.
compare_cmd run run "$care" -r 5 $short --no-plots --trace=2
compare_cmd precision run "$care" -r 3 $short --no-plots --precision 0.02 --max-reps 8
printf 'base = "%s";\nhospital = { beds = 44; };\n' "$care" >"$tmp/beds44.cfg"
compare_cmd compare compare "$care" "$tmp/beds44.cfg" -r 3 $short --no-plots
compare_cmd sweep sweep "$care" --vary hospital.beds=44:52:8 -r 3 $short --no-plots
compare_cmd sensitivity sensitivity "$care" -r 3 --set horizon=500 --set warmup=200 --no-plots
# calibrate: one free parameter, a few evaluations of the simplex, each on every rank in step.
compare_cmd calibrate calibrate "$care" --target crises=30 --free risk.crisis_rate=8:32 -r 3 \
    $short --max-iter 4
# validate: the fixture table (one row cannot pass: exit status 1 on every rank).
compare_cmd validate validate --dir "$root/tests/fixtures/validation" -r 3
# psa: parameter draws of two scenarios, the draws divided among the ranks (each draw's values,
# events and time exchanged once all have run).
compare_cmd psa psa "$root/tests/fixtures/care/psa_a.cfg" "$root/tests/fixtures/care/psa_b.cfg" \
    --draws 4 -r 2 --set horizon=500 --set warmup=100 --no-plots
}

# ---- --resume under MPI: a serial run killed part-way, resumed by 3 ranks ---------------------
# The ranks share the kept replications (each reads every file of the store), run the rest,
# and the folder is the uninterrupted run's, byte for byte; rank 0 removes the store.
mkdir -p "$tmp/resume"
(cd "$tmp/resume" && "$CCSIM" run "$care" -r 8 -j 1 -q --no-plots -o res >out 2>err) &
pid=$!
i=0
while [ $i -lt 2000 ]; do
    n=$(cat "$tmp/resume/.res.ccsim-units"/units-* 2>/dev/null | wc -c)
    [ "$n" -ge 30000 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
    i=$((i + 1))
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -e "$tmp/resume/res" ] || [ ! -d "$tmp/resume/.res.ccsim-units" ]; then
    bad "resume: the serial run ended before it was killed (too fast a test)"
else
    (cd "$tmp/resume" && timeout "$LIMIT" $MPIRUN -n 3 "$CCSIM_MPI" run "$care" -r 8 -j 1 \
        --no-plots --resume res >out 2>err) || bad "resume under mpirun: $(cat "$tmp/resume/err")"
    one "$tmp/resume/whole" 0 1 run "$care" -r 8 --no-plots
    for f in "$tmp/resume/whole/res"/*; do
        b=$(basename "$f")
        [ "$b" = manifest.json ] || cmp -s "$f" "$tmp/resume/res/$b" ||
            bad "resume under mpirun: $b differs from an uninterrupted run's"
    done
    [ ! -e "$tmp/resume/.res.ccsim-units" ] || bad "resume under mpirun: the kept replications stay"
    grep -q "^ccsim: [1-7] of 8 replications kept from an interrupted run, [1-7] run now$" \
        "$tmp/resume/err" || bad "resume under mpirun: the account: $(cat "$tmp/resume/err")"
    echo "mpi: resume: $(grep 'replications kept' "$tmp/resume/err")"
fi

# ---- Failures end every rank with the same status, without hanging --------------------------
one "$tmp/badscn" 3 1 run "$tmp/nosuch.cfg" -r 3
[ "$(cat "$tmp/badscn/rc")" -eq 2 ] || bad "a missing scenario: exit status $(cat "$tmp/badscn/rc"), expected 2"
grep -q "nosuch.cfg" "$tmp/badscn/err" || bad "a missing scenario: no message: $(cat "$tmp/badscn/err")"
[ "$(grep -c "^ccsim: .*nosuch.cfg" "$tmp/badscn/err")" -eq 1 ] ||
    bad "a missing scenario: not one message: $(cat "$tmp/badscn/err")"
mkdir -p "$tmp/exists/res"
one "$tmp/exists" 3 1 run "$care" -r 3 $short --no-plots
[ "$(cat "$tmp/exists/rc")" -eq 2 ] || bad "an existing folder: exit status $(cat "$tmp/exists/rc"), expected 2"

# A scenario that one rank cannot load (its own scenarios folder holds a bad copy, as a node
# that sees other files would): every rank ends with status 2, and rank 0, which loaded it,
# says why.
for k in 0 1; do
    mkdir -p "$tmp/sc$k"
    cp "$care" "$tmp/sc$k/fixture.cfg"
    sed -i 's|^base = "region_30y.cfg";|base = "'"$root"'/tests/fixtures/care/region_30y.cfg";|' \
        "$tmp/sc$k/fixture.cfg"
done
echo 'no_such_key = 1;' >>"$tmp/sc1/fixture.cfg"
printf '#!/bin/sh\nCCSIM_SCENARIOS=%s/sc$OMPI_COMM_WORLD_RANK exec %s "$@"\n' "$tmp" "$CCSIM_MPI" \
    >"$tmp/per_rank.sh"
chmod +x "$tmp/per_rank.sh"
mkdir -p "$tmp/apart"
# shellcheck disable=SC2086
(cd "$tmp/apart" && timeout "$LIMIT" $MPIRUN -n 2 "$tmp/per_rank.sh" run fixture -r 2 $short \
    --no-plots -o res >out 2>err)
rc=$?
[ "$rc" -eq 2 ] || bad "a scenario one rank cannot load: exit status $rc, expected 2"
grep -q "another MPI rank could not load" "$tmp/apart/err" ||
    bad "a scenario one rank cannot load: $(cat "$tmp/apart/err")"
[ ! -e "$tmp/apart/res" ] || bad "a scenario one rank cannot load: a folder was written"

# ---- The ordinary build refuses to run under an MPI launcher ----------------------------------
mkdir -p "$tmp/plain"
(cd "$tmp/plain" && timeout "$LIMIT" $MPIRUN -n 2 "$CCSIM" run "$care" -r 2 -q -o res >out 2>err)
rc=$?
[ "$rc" -eq 2 ] || bad "the ordinary build under mpirun: exit status $rc, expected 2"
grep -q "make MPI=1" "$tmp/plain/err" || bad "the ordinary build under mpirun: $(cat "$tmp/plain/err")"
[ ! -e "$tmp/plain/res" ] || bad "the ordinary build under mpirun wrote a folder"

[ "$fail" -eq 0 ] && echo "mpi: ok (serial -j 1 = mpirun -n 3 -j 1 = mpirun -n 2 -j 2)"
exit $fail
