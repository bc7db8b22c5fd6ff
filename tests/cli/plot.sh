#!/bin/sh
# ccsim plot: every figure a folder allows, each as PNG, SVG and PDF with the right magic bytes
# and its gnuplot script beside it; clear errors for a folder missing its files or a broken file;
# a missing gnuplot leaves the results intact. Skipped, with a message, without gnuplot.
. tests/cli_lib.sh
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "SKIP: gnuplot is not installed (make deps installs it)"
    exit 0
fi
magic() { # magic FILE: checks PNG, SVG or PDF magic bytes by extension
    case "$1" in
    *.png) [ "$(head -c 8 "$1" | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ] ;;
    *.svg) head -c 300 "$1" | grep -q '<svg' ;;
    *.pdf) [ "$(head -c 5 "$1")" = "%PDF-" ] ;;
    esac
}
check_figs() { # check_figs DIR NAME...
    d=$1
    shift
    for name in "$@"; do
        for ext in png svg pdf; do
            f="$d/figures/$name.$ext"
            [ -s "$f" ] || { bad "$f missing or empty"; continue; }
            magic "$f" || bad "$f has the wrong magic bytes"
        done
        [ -s "$d/figures/$name.gp" ] || bad "$d/figures/$name.gp missing"
    done
}
scn=scenarios/care/baseline.cfg
# A run draws by default: outcomes, flow and time series.
"$CCSIM" run "$scn" -q -r 3 -o "$tmp/run" || bad "run"
check_figs "$tmp/run" outcomes flow timeseries
# --no-plots: none.
"$CCSIM" run "$scn" -q -r 3 -o "$tmp/np" --no-plots || bad "run --no-plots"
[ ! -e "$tmp/np/figures" ] || bad "--no-plots drew figures"
# ccsim plot on it afterwards draws them.
"$CCSIM" plot "$tmp/np" >/dev/null || bad "plot"
check_figs "$tmp/np" outcomes flow timeseries
# A relative folder name works too.
(cd "$tmp" && "$OLDPWD/$CCSIM" plot np >/dev/null) || bad "plot with a relative folder"
# compare, sweep, sensitivity.
printf 'base = "%s/%s";\nhospital = { beds = 44; };\n' "$(pwd)" "$scn" >"$tmp/beds44.cfg"
"$CCSIM" compare "$scn" "$tmp/beds44.cfg" -q -r 3 -o "$tmp/cmp" || bad "compare"
check_figs "$tmp/cmp" outcomes differences
grep -q 'admissions averted per 100 clients per year' "$tmp/cmp/figures/differences.gp" ||
    bad "the forest plot is not in a planner's units"
grep -q "beds44" "$tmp/cmp/figures/outcomes.gp" || bad "scenario names not used"
"$CCSIM" sweep "$scn" --vary hospital.beds=46:50:4 -q -r 3 -o "$tmp/sw" || bad "sweep"
check_figs "$tmp/sw" sweep_crises sweep_bed_days
"$CCSIM" sensitivity "$scn" -q -r 3 -o "$tmp/se" --set risk.follow_days=730 || bad "sensitivity"
check_figs "$tmp/se" tornado_crises tornado_admissions
# The palette is the colour-blind-safe one.
grep -q "#0072B2" "$tmp/run/figures/outcomes.gp" || bad "palette"

# A folder missing its files: a clear error, exit 2, nothing half-drawn elsewhere.
mkdir "$tmp/empty"
"$CCSIM" plot "$tmp/empty" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "empty folder: exit status"
grep -q "holds no file to draw from" "$tmp/out" || bad "empty folder message: $(cat "$tmp/out")"
"$CCSIM" plot "$tmp/nowhere" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "missing folder: exit status"
mkdir "$tmp/broken"
printf 'metric,mean\ncrises,1\n' >"$tmp/broken/summary.csv"
"$CCSIM" plot "$tmp/broken" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "broken file: exit status"
grep -q "summary.csv: no column 'ci_low'" "$tmp/out" || bad "broken file message: $(cat "$tmp/out")"
# No gnuplot: the run succeeds, says so, and the results are intact.
CCSIM_GNUPLOT=/nonexistent/gnuplot "$CCSIM" run "$scn" -q -r 3 -o "$tmp/nog" 2>"$tmp/out" ||
    bad "run without gnuplot failed"
grep -q "gnuplot was not found" "$tmp/out" || bad "no gnuplot message: $(cat "$tmp/out")"
[ -s "$tmp/nog/summary.csv" ] && [ -s "$tmp/nog/timeseries.csv" ] || bad "results not intact"
CCSIM_GNUPLOT=/nonexistent/gnuplot "$CCSIM" plot "$tmp/run" >"$tmp/out" 2>&1
[ $? -eq 1 ] || bad "plot without gnuplot: exit status"
exit $fail
