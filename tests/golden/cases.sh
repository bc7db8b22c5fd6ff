#!/bin/sh
# The golden cases: cases.sh CCSIM DIR runs each short scenario below with CCSIM and keeps its
# results files (not manifest.json, which holds times and hosts; not figures or resolved
# scenarios) in DIR/CASE/. `make golden` writes them into tests/golden/; tests/cli/golden.sh
# writes them into a scratch folder and diffs the two.
set -u
ccsim=$1
out=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
# golden CASE COMMAND ARGS...: runs "CCSIM COMMAND ARGS... -q --no-plots -o FOLDER" and keeps
# its CSV results.
golden() {
    name=$1
    shift
    if ! "$ccsim" "$@" -q --no-plots -o "$scratch/$name" >"$scratch/$name.out" 2>&1; then
        echo "golden: $name failed: ccsim $*"
        cat "$scratch/$name.out"
        status=1
        return
    fi
    rm -rf "${out:?}/$name"
    mkdir -p "$out/$name"
    for f in "$scratch/$name"/*.csv; do
        [ -f "$f" ] && cp "$f" "$out/$name/"
    done
}
golden mm1 run scenarios/verify/mm1.cfg -r 3 --set horizon=2000
golden jackson run scenarios/verify/jackson.cfg -r 3 --set horizon=2000
golden care_2y run scenarios/care/baseline.cfg -r 3 --set horizon=730 --set warmup=365
golden compare_beds compare scenarios/care/baseline.cfg scenarios/care/beds_minus_2.cfg -r 3 \
    --set horizon=730 --set warmup=365
# Twenty posts at a caseload limit of 60 with no administration per client and the shares and
# full-effect time of before it existed: byte-identical to the results of the model without it
# (the files were made by that model).
golden care_20posts_admin0 run scenarios/care/baseline.cfg -r 3 --set horizon=1460 \
    --set warmup=730 --set 'coordination.models[0].posts=20' \
    --set 'coordination.models[0].caseload_limit=60' \
    --set 'coordination.models[0].admin_share=0.5' \
    --set 'coordination.models[0].full_effect_hours=0.51' \
    --set 'coordination.models[0].admin_hours_per_client=0'
exit $status
