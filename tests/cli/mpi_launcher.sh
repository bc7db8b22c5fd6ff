#!/bin/sh
# A ccsim built without MPI, started by an MPI launcher as one of several processes (simulated
# here by the variables the launchers set), refuses to run: each process would run the whole
# experiment and write the same folder. Exit status 2, a message naming make MPI=1, no folder.
# Started as the only process, it runs. (The MPI build itself: make mpi-test, tests/mpi/run.sh.)
. tests/cli_lib.sh
if "$CCSIM" --version | grep -q ', MPI)'; then
    echo "mpi_launcher: skipped (an MPI build)"
    exit 0
fi
for var in OMPI_COMM_WORLD_SIZE PMI_SIZE; do
    env "$var=3" "$CCSIM" run "$care" -r 2 -q --no-plots -o "$tmp/$var" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || bad "$var=3: exit status $rc, expected 2"
    grep -q "^ccsim: started by an MPI launcher as one of 3 processes, but this ccsim was built without MPI.*make MPI=1" \
        "$tmp/err" || bad "$var=3: the message: $(cat "$tmp/err")"
    [ ! -e "$tmp/$var" ] || bad "$var=3: a results folder was written"
    [ ! -s "$tmp/out" ] || bad "$var=3: output on stdout"
done
# One process of one: nothing to refuse.
OMPI_COMM_WORLD_SIZE=1 "$CCSIM" run "$care" -r 2 -q --no-plots --set horizon=400 --set warmup=100 \
    -o "$tmp/one" >"$tmp/out" 2>"$tmp/err" || bad "OMPI_COMM_WORLD_SIZE=1: $(cat "$tmp/err")"
[ -f "$tmp/one/manifest.json" ] || bad "OMPI_COMM_WORLD_SIZE=1: no results folder"
grep -q '"ranks": 1,' "$tmp/one/manifest.json" || bad "manifest.json: no \"ranks\": 1"
exit $fail
