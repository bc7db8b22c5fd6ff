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
scn=tests/fixtures/care/region_30y.cfg
# Figures need results, not precise ones: three simulated years of the baseline.
care="-q -r 3 --set horizon=1100 --set warmup=365"
# A run draws by default: outcomes and time series.
"$CCSIM" run "$scn" $care -o "$tmp/run" || bad "run"
check_figs "$tmp/run" outcomes timeseries
# --no-plots: none.
"$CCSIM" run "$scn" $care -o "$tmp/np" --no-plots || bad "run --no-plots"
[ ! -e "$tmp/np/figures" ] || bad "--no-plots drew figures"
# ccsim plot on it afterwards draws them.
"$CCSIM" plot "$tmp/np" >/dev/null || bad "plot"
check_figs "$tmp/np" outcomes timeseries
# compare, sweep, sensitivity.
printf 'base = "%s/%s";\nhospital = { beds = 44; };\n' "$(pwd)" "$scn" >"$tmp/beds44.cfg"
"$CCSIM" compare "$scn" "$tmp/beds44.cfg" $care -o "$tmp/cmp" || bad "compare"
check_figs "$tmp/cmp" outcomes differences
grep -q 'set title "Admissions per 100 client-years"' "$tmp/cmp/figures/differences.gp" &&
    grep -qF 'set xlabel "change from region_30y\n(per 100 client-years)' \
        "$tmp/cmp/figures/differences.gp" ||
    bad "the forest plot is not titled by the metric's label and its unit"
grep -q "beds44" "$tmp/cmp/figures/outcomes.gp" || bad "scenario names not used"
# The differences are comparison.csv's, B minus A: every row of differences.dat holds the diff
# and interval of its metric and scenario as comparison.csv gives them (same digits), one row
# per headline metric and scenario after the first; the sign is said in words, the better
# direction marked from the better column, and rows are named by scenario, never by index.
awk -F, '
    FNR == 1 { next }
    NR == FNR { if ($(NF - 1) == 1 && $6 != "NA") { d[$1 "|" $2] = $6 "|" $7 "|" $8; n++ } next }
    { gsub(/"/, "", $3); gsub(/"/, "", $4); k = $4 "|" $3; seen++
      if (!(k in d)) { print "row for " k " is not in comparison.csv"; bad++ }
      else if (d[k] != $5 "|" $6 "|" $7) { print k ": " $5 "|" $6 "|" $7 " != " d[k]; bad++ } }
    END { if (seen != n) { print seen " rows for " n " headline differences"; bad++ } exit bad > 0 }
' "$tmp/cmp/comparison.csv" "$tmp/cmp/figures/differences.dat" >"$tmp/out" ||
    bad "differences.dat is not comparison.csv's diff (B minus A): $(cat "$tmp/out")"
[ "$(sed -n 1p "$tmp/cmp/comparison.csv" | cut -d, -f6-8,11,12)" = "diff,diff_ci_low,diff_ci_high,headline,better" ] ||
    bad "comparison.csv: the columns diff, headline, better are not where this test reads them"
grep -qF 'Change from region_30y: beds44 minus region_30y' "$tmp/cmp/figures/differences.gp" ||
    bad "differences.gp does not say the sign (scenario minus reference) in its title"
grep -qF 'lower is better' "$tmp/cmp/figures/differences.gp" ||
    bad "differences.gp does not mark the better direction"
grep -qF 'set ytics ("beds44\n' "$tmp/cmp/figures/differences.gp" ||
    bad "differences.gp does not name its rows by scenario"
# Titles and axes in words: each headline metric's label (those short enough to be on one
# line) titles a panel, and no metric's name is in a title or an axis label.
awk -F, 'NR > 1 && ($NF == "lower" || $NF == "higher" || $NF == "neither") { print $1 }' \
    "$tmp/cmp/comparison.csv" | sort -u >"$tmp/metric_names"
for gp in "$tmp/cmp/figures/"*.gp "$tmp/run/figures/"*.gp; do
    grep -E '^set (title|xlabel|ylabel)' "$gp" | grep -owFf "$tmp/metric_names" | grep '_' |
        sed "s|^|$(basename "$gp"): a metric name in a label: |" >>"$tmp/named"
done
[ ! -s "$tmp/named" ] || bad "$(sort -u "$tmp/named" | head -n 5)"
for label in "Crises per 100 client-years" "ED visits per 100 client-years" \
    "Mean wait for a coordinator (days)"; do
    grep -qF "set title \"$label\"" "$tmp/cmp/figures/outcomes.gp" &&
        grep -qF "set title \"$label\"" "$tmp/cmp/figures/differences.gp" ||
        bad "outcomes.gp or differences.gp is not titled \"$label\""
done
grep -qF 'set ylabel "days"' "$tmp/cmp/figures/outcomes.gp" || bad "outcomes.gp: no unit on an axis"
# Costs: a figure by component whose axis carries the currency and price year, in a
# comparison (the change, B minus A, as comparison.csv's diff) and in a run.
printf 'base = "%s/%s";\ncosts = { currency = "EUR"; price_year = 2024; bed_day = 450.0;\n  ed_visit = 300.0; crisis_team_contact = 1500.0; coordinator_post = 55000.0; };\n' \
    "$(pwd)" "$scn" >"$tmp/costed.cfg"
printf 'base = "%s";\nhospital = { beds = 44; };\n' "$tmp/costed.cfg" >"$tmp/costed44.cfg"
"$CCSIM" compare "$tmp/costed.cfg" "$tmp/costed44.cfg" $care -o "$tmp/cost" || bad "compare with costs"
check_figs "$tmp/cost" outcomes differences costs
grep -qF 'set xlabel "change from costed (EUR a year, 2024 prices)' "$tmp/cost/figures/costs.gp" ||
    bad "costs.gp: the cost axis does not carry the currency: $(grep xlabel "$tmp/cost/figures/costs.gp")"
grep -qF 'Costs by component: change from costed\ncosted44 minus costed\n' \
    "$tmp/cost/figures/costs.gp" || bad "costs.gp does not say the sign in its title"
awk -F, '
    FNR == 1 { next }
    NR == FNR { if ($2 == "costed44") d[$1] = $6; next }
    { gsub(/"/, "", $4); seen++; if (d[$4] != $5) { print $4 ": " $5 " != " d[$4]; bad++ } }
    END { if (seen < 2) { print seen " cost rows"; bad++ } exit bad > 0 }
' "$tmp/cost/comparison.csv" "$tmp/cost/figures/costs.dat" >"$tmp/out" ||
    bad "costs.dat is not comparison.csv's diff: $(cat "$tmp/out")"
"$CCSIM" run "$tmp/costed.cfg" $care -o "$tmp/costrun" || bad "run with costs"
check_figs "$tmp/costrun" outcomes costs
grep -qF 'set xlabel "EUR a year, 2024 prices"' "$tmp/costrun/figures/costs.gp" ||
    bad "a run's costs.gp: the axis does not carry the currency"
"$CCSIM" sweep "$scn" --vary hospital.beds=46:50:4 $care -o "$tmp/sw" || bad "sweep"
check_figs "$tmp/sw" sweep_crises sweep_bed_days
# A sensitivity runs every parameter at both ends (61 runs a replication): two replications of
# two years give the tornado figures at a fifth of the CPU.
"$CCSIM" sensitivity "$scn" -q -r 2 --set horizon=730 --set warmup=365 -o "$tmp/se" \
    --set risk.follow_days=730 || bad "sensitivity"
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
grep -q "summary.csv:1: no column 'ci_low'" "$tmp/out" || bad "broken file message: $(cat "$tmp/out")"
# No gnuplot: the run succeeds, says so, and the results are intact.
CCSIM_GNUPLOT=/nonexistent/gnuplot "$CCSIM" run "$scn" $care -o "$tmp/nog" 2>"$tmp/out" ||
    bad "run without gnuplot failed"
grep -q "gnuplot was not found" "$tmp/out" || bad "no gnuplot message: $(cat "$tmp/out")"
[ -s "$tmp/nog/summary.csv" ] && [ -s "$tmp/nog/timeseries.csv" ] || bad "results not intact"
CCSIM_GNUPLOT=/nonexistent/gnuplot "$CCSIM" plot "$tmp/run" >"$tmp/out" 2>&1
[ $? -eq 1 ] || bad "plot without gnuplot: exit status"

# ---- Files at the edges: each a clear error (exit 2, the file and line), never a crash --------
short="-q -r 2 --set horizon=2000"
# shellcheck disable=SC2086
"$CCSIM" run scenarios/verify/mm1.cfg $short -o "$tmp/m" || bad "mm1 run"
# A relative folder name works too (on the one-figure folder: drawing is the CPU of a plot).
(cd "$tmp" && "$OLDPWD/$CCSIM" plot m >/dev/null) || bad "plot with a relative folder"
check_figs "$tmp/m" outcomes
[ ! -e "$tmp/m/figures/costs.gp" ] || bad "a run without costs drew a costs figure"
staging() { # staging DIR: the staging folders and lock files plot or report left in DIR
    ls -A "$1" | grep -E '^\.(figures|report)\.ccsim-' || true
}
mkdir "$tmp/hdr"
head -n 1 "$tmp/m/summary.csv" >"$tmp/hdr/summary.csv"
"$CCSIM" plot "$tmp/hdr" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || bad "header-only summary.csv: exit status $rc, expected 2"
grep -q "hdr/summary.csv:2: no rows after the header" "$tmp/out" ||
    bad "header-only summary.csv message: $(cat "$tmp/out")"
rm "$tmp/hdr/summary.csv"
printf 'metric,scenario,mean,ci_low,ci_high,diff,diff_ci_low,diff_ci_high\r\n' >"$tmp/hdr/comparison.csv"
"$CCSIM" plot "$tmp/hdr" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || bad "header-only comparison.csv: exit status $rc, expected 2"
grep -q "hdr/comparison.csv:2: no rows after the header" "$tmp/out" ||
    bad "header-only comparison.csv message: $(cat "$tmp/out")"
# A summary.csv saved by a spreadsheet (byte order mark, CRLF) draws as the original.
mkdir "$tmp/sheet"
cp "$tmp/m/manifest.json" "$tmp/sheet/"
printf '\357\273\277' >"$tmp/sheet/summary.csv"
sed 's/$/\r/' "$tmp/m/summary.csv" >>"$tmp/sheet/summary.csv"
"$CCSIM" plot "$tmp/sheet" >"$tmp/out" 2>&1 || bad "spreadsheet summary.csv: $(cat "$tmp/out")"
cmp -s "$tmp/sheet/figures/outcomes.dat" "$tmp/m/figures/outcomes.dat" ||
    bad "spreadsheet summary.csv: outcomes.dat differs from the original's"

# ---- Names with a comma and a quote: quoted in comparison.csv, escaped for gnuplot ----------
cp scenarios/verify/mm1.cfg "$tmp/a,b.cfg"
cp scenarios/verify/mm1.cfg "$tmp/q\"x.cfg"
# shellcheck disable=SC2086
"$CCSIM" compare scenarios/verify/mm1.cfg "$tmp/a,b.cfg" "$tmp/q\"x.cfg" $short -o "$tmp/names" \
    2>"$tmp/out" || bad "compare of a,b and q\"x: $(cat "$tmp/out")"
grep -q '^q\.wait,"a,b",' "$tmp/names/comparison.csv" ||
    bad "comparison.csv does not quote a,b: $(head -n 3 "$tmp/names/comparison.csv")"
grep -q '^q\.wait,"q""x",' "$tmp/names/comparison.csv" ||
    bad "comparison.csv does not quote q\"x: $(head -n 4 "$tmp/names/comparison.csv")"
check_figs "$tmp/names" outcomes differences
grep -qF '"a,b" 1, "q\"x" 2' "$tmp/names/figures/outcomes.gp" ||
    bad "outcomes.gp: names not escaped for gnuplot: $(grep xtics "$tmp/names/figures/outcomes.gp")"

# ---- A failing gnuplot, a signal, a kill: the old figures stay, whole --------------------------
cksum "$tmp/m/figures/"* >"$tmp/before"
printf '#!/bin/sh\necho "fake gnuplot: cannot draw" >&2\nexit 1\n' >"$tmp/failing"
# Writes half a figure, then hangs (at most 5 s).
printf '#!/bin/sh\necho half >half.png\nexec sleep 5\n' >"$tmp/hanging"
chmod +x "$tmp/failing" "$tmp/hanging"
CCSIM_GNUPLOT="$tmp/failing" "$CCSIM" plot "$tmp/m" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || bad "failing gnuplot: exit status $rc, expected 1"
grep -q "fake gnuplot: cannot draw" "$tmp/out" || bad "failing gnuplot message: $(cat "$tmp/out")"
cksum "$tmp/m/figures/"* | cmp -s - "$tmp/before" || bad "a failing gnuplot changed the figures"
[ -z "$(staging "$tmp/m")" ] || bad "a failing gnuplot left $(staging "$tmp/m")"
# wait_staging PID: waits for the staging folder of plot PID to hold its half figure
wait_staging() {
    i=0
    while [ $i -lt 50 ] && ! ls "$tmp/m"/.figures.ccsim-partial-*/half.png >/dev/null 2>&1; do
        sleep 0.1
        i=$((i + 1))
    done
}
CCSIM_GNUPLOT="$tmp/hanging" "$CCSIM" plot "$tmp/m" >/dev/null 2>&1 &
pid=$!
wait_staging
kill -INT $pid
i=0
while [ $i -lt 30 ] && kill -0 $pid 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
    bad "SIGINT during plot did not stop it"
    kill -KILL $pid
    wait $pid 2>/dev/null
else
    wait $pid
    rc=$?
    [ $rc -eq 130 ] || bad "SIGINT during plot: exit status $rc, expected 130"
    [ -z "$(staging "$tmp/m")" ] || bad "SIGINT during plot left $(staging "$tmp/m")"
fi
cksum "$tmp/m/figures/"* | cmp -s - "$tmp/before" || bad "SIGINT during plot changed the figures"
# SIGKILL cannot be caught: the staging folder stays until the next plot of the folder.
CCSIM_GNUPLOT="$tmp/hanging" "$CCSIM" plot "$tmp/m" >/dev/null 2>&1 &
pid=$!
wait_staging
kill -KILL $pid
wait $pid 2>/dev/null
cksum "$tmp/m/figures/"* | cmp -s - "$tmp/before" || bad "SIGKILL during plot changed the figures"
ls -A "$tmp/m" | grep -q '^\.figures\.ccsim-partial-' || bad "SIGKILL: no staging folder left"
"$CCSIM" plot "$tmp/m" >"$tmp/out" 2>&1 || bad "plot after a SIGKILL: $(cat "$tmp/out")"
[ -z "$(staging "$tmp/m")" ] || bad "the next plot did not remove $(staging "$tmp/m")"
[ ! -e "$tmp/m/figures/half.png" ] || bad "a half-drawn figure reached figures/"
check_figs "$tmp/m" outcomes
exit $fail
