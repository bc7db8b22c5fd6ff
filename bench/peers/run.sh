#!/bin/sh
# bench/peers/run.sh [CIMBA_SRC] [PAIRS]: ccsim beside other simulators on the same workload,
# interleaved pairs (the other, then ccsim, then the other again, ...), medians.
#
# - CIMBA_SRC, a checkout of the C simulator cimba (github.com/ambonvik/cimba), built here with
#   meson in a temporary folder as a release build; its own benchmark/MM1_single (M/M/1 at
#   utilisation 0.9, one million customers) against `ccsim run bench/peers/mm1_1m.cfg`, both as
#   whole processes: wall and CPU time and peak memory of each from wait4() (bench_replications
#   TIME). Building cimba 3.0 with gcc 12 needs its C23 keywords bool and static_assert from
#   headers: -include stdbool.h -include assert.h. Needs meson, ninja and nasm.
# - SimPy 2.3.1 (Debian's python3-simpy) on W1a, bench/peers/simpy_mmc.py, against bench_mmc's
#   W1a: customers per second of the simulation call alone for each, and each process's peak
#   memory. Skipped when /usr/bin/python3 cannot import SimPy.
#
# PAIRS defaults to 5, after one run of each not counted. Run from anywhere.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CIMBA=${1:-}
PAIRS=${2:-5}
cd "$TOP"
make -j2 build/ccsim build/bench/bench_mmc build/bench/bench_replications >/dev/null
TIME=build/bench/bench_replications
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# The median of the numbers on standard input, one a line.
med() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# min and max likewise.
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f to %.2f", lo, hi }'; }

printf 'ccsim %s against other simulators, %s interleaved pairs, medians (%s, %s)\n\n' \
    "$(git describe --always --dirty)" "$PAIRS" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(uptime | sed 's/.*load/load/')"

if [ -n "$CIMBA" ]; then
    B=$TMP/cimba-build
    meson setup "$B" "$CIMBA" --buildtype=release -Denable_cuda_tutorials=false \
        -Denable_docs=false -Dc_args="-include assert.h -include stdbool.h" >"$TMP/meson.log" 2>&1 ||
        { cat "$TMP/meson.log"; exit 1; }
    ninja -C "$B" benchmark/MM1_single >"$TMP/ninja.log" 2>&1 || { cat "$TMP/ninja.log"; exit 1; }
    A=$B/benchmark/MM1_single
    C="build/ccsim run bench/peers/mm1_1m.cfg -q"
    $TIME TIME "$A" >/dev/null
    $TIME TIME $C >/dev/null
    i=0
    while [ $i -lt "$PAIRS" ]; do
        $TIME TIME "$A" >>"$TMP/cimba"
        $TIME TIME $C >>"$TMP/ccsim1"
        i=$((i + 1))
    done
    awk '$5 != 0 { print "peers: a run exited with status " $5; exit 1 }' "$TMP/cimba" "$TMP/ccsim1"
    echo "M/M/1 at utilisation 0.9, one million customers, whole process"
    printf '%-24s %10s %10s %10s\n' simulator "wall s" "CPU s" "peak MB"
    for f in cimba ccsim1; do
        printf '%-24s %10.3f %10.3f %10.1f\n' "$([ $f = cimba ] && echo 'cimba (release build)' || echo ccsim)" \
            "$(awk '{ print $1 }' "$TMP/$f" | med)" "$(awk '{ print $2 + $3 }' "$TMP/$f" | med)" \
            "$(awk '{ print $4 / 1024 }' "$TMP/$f" | med)"
    done
    paste "$TMP/ccsim1" "$TMP/cimba" | awk '{ print $1 / $6 }' >"$TMP/r1"
    printf 'ccsim wall / cimba wall: %.2f (median of the pairs; %s)\n' "$(med <"$TMP/r1")" "$(range <"$TMP/r1")"
    paste "$TMP/ccsim1" "$TMP/cimba" | awk '{ print ($2 + $3) / ($7 + $8) }' >"$TMP/c1"
    printf 'ccsim CPU / cimba CPU: %.2f (median of the pairs; %s)\n' "$(med <"$TMP/c1")" "$(range <"$TMP/c1")"
    paste "$TMP/ccsim1" "$TMP/cimba" | awk '{ print $4 / $9 }' >"$TMP/m1"
    printf 'ccsim peak memory / cimba peak memory: %.2f\n\n' "$(med <"$TMP/m1")"
fi

if /usr/bin/python3 -c 'import SimPy' 2>/dev/null; then
    S="/usr/bin/python3 bench/peers/simpy_mmc.py 9 80000"
    M="build/bench/bench_mmc ONE 9 80000"
    $S >/dev/null
    $M >/dev/null
    i=0
    while [ $i -lt "$PAIRS" ]; do
        $S >>"$TMP/simpy"
        $M >>"$TMP/ccsim2"
        i=$((i + 1))
    done
    echo "W1a (M/M/10, utilisation 0.9, 80,000 h), customers per second of the simulation call"
    printf '%-24s %12s %10s %10s\n' simulator "customers/s" "Wq (h)" "peak MB"
    printf '%-24s %12.0f %10.4f %10.1f\n' "SimPy $(/usr/bin/python3 -c 'import SimPy; print(SimPy.__version__)' 2>/dev/null || echo 2.3.1)" \
        "$(awk '{ print $1 / $2 }' "$TMP/simpy" | med)" "$(awk '{ print $3 }' "$TMP/simpy" | med)" \
        "$(awk '{ print $4 / 1024 }' "$TMP/simpy" | med)"
    printf '%-24s %12.0f %10.4f %10.1f\n' ccsim \
        "$(awk '{ print $1 / $3 }' "$TMP/ccsim2" | med)" "$(awk '{ print $5 }' "$TMP/ccsim2" | med)" \
        "$(awk '{ print $4 / 1024 }' "$TMP/ccsim2" | med)"
    paste "$TMP/ccsim2" "$TMP/simpy" | awk '{ print ($1 / $3) / ($6 / $7) }' >"$TMP/r2"
    printf 'ccsim customers/s / SimPy customers/s: %.1f (median of the pairs; %s)\n' "$(med <"$TMP/r2")" "$(range <"$TMP/r2")"
    echo "exact Wq 0.668732 h"
else
    echo "SimPy: /usr/bin/python3 cannot import SimPy (apt-get install python3-simpy); skipped"
fi
