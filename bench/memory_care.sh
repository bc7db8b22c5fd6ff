#!/bin/sh
# memory_care.sh [REV]: peak memory of one replication of the care baseline at 10, 100 and
# 1,000 years, for a build of REV (default main) and for this tree, side by side: each row runs
# bench_care_memory of both builds, one after the other, in fresh processes. The 1,000-year
# rows take about a minute each. Run from anywhere; REV is built in a temporary folder.
set -eu
REV=${1:-main}
TOP=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
git -C "$TOP" archive "$REV" | tar -x -C "$TMP"
cp "$TOP/bench/bench_care_memory.c" "$TMP/bench/"   # REV may predate it: only public headers
make -C "$TMP" -j2 build/bench/bench_care_memory >/dev/null
make -C "$TOP" -j2 build/bench/bench_care_memory >/dev/null
cd "$TOP"
printf '%s (%s) against this tree (%s)\n\n' "$REV" "$(git rev-parse --short "$REV")" \
    "$(git describe --always --dirty)"
printf '%-6s %10s %10s | %10s %9s %7s | %10s %9s %7s\n' years horizon clients \
    "$REV MB" seconds "vs 10y" "after MB" seconds "vs 10y"
b10=; a10=
for h in 3652.0 36525.0 365250.0; do
    set -- $("$TMP/build/bench/bench_care_memory" ONE tests/fixtures/care/region_30y.cfg "$h")
    bc=$1 bs=$3 bk=$4
    set -- $(build/bench/bench_care_memory ONE tests/fixtures/care/region_30y.cfg "$h")
    ac=$1 as=$3 ak=$4
    [ "$bc" = "$ac" ] || { echo "memory_care: the builds referred $bc and $ac clients" >&2; exit 1; }
    [ -n "$b10" ] || { b10=$bk; a10=$ak; }
    awk -v h="$h" -v c="$ac" -v bk="$bk" -v bs="$bs" -v ak="$ak" -v as="$as" -v b10="$b10" \
        -v a10="$a10" 'BEGIN { printf "%-6.0f %10s %10s | %10.1f %9.2f %6.2fx | %10.1f %9.2f %6.2fx\n",
        h / 365.25, h, c, bk / 1024, bs, bk / b10, ak / 1024, as, ak / a10 }'
done
