#!/bin/sh
# ccsim plot and ccsim report on a folder of `ccsim psa` (the fixture tests/fixtures/psa: two
# scenarios, 50 parameter draws, with costs): the four PSA figures, each as PNG, SVG and PDF,
# with data that are the CSV files' numbers digit for digit (the plane's points are psa.csv's
# differences, admissions averted the negated difference; the intervals, the curves and the
# drivers those of psa_summary.csv, psa_ceac.csv and psa_drivers.csv); the report's section
# "Parameter uncertainty" with sentences whose numbers are the fixture's, the parameters'
# percentiles computed here from psa_parameters.csv, and the caveat that the parameters'
# uncertainty is included; without costs, the joint plot of two headline differences and no
# acceptability curve; a malformed PSA file is an error naming its file and line.
. tests/cli_lib.sh
fix=tests/fixtures/psa
mk() { # mk DIR: a copy of the fixture folder (without its generator)
    mkdir -p "$1" && cp "$fix"/*.csv "$fix"/manifest.json "$1"/
}
mk "$tmp/psa"

# ---- the report's text (no gnuplot: the text alone) ---------------------------------------
text_report "$tmp/psa" >/dev/null 2>"$tmp/err" || bad "report on a psa folder: $(cat "$tmp/err")"
page="$tmp/psa/report.html"
grep -qF '<h1>Probabilistic sensitivity analysis</h1>' "$page" || bad "the title is not a PSA's"
grep -qF '<h2>Parameter uncertainty</h2>' "$page" || bad "no section Parameter uncertainty"
# psa_summary.csv: admissions_per_year of icm_high_use: difference -45.87582989 (-92.19199752
# to -15.00793856), better in 1 (every draw); bed-days -1508.065992 (-2963.981758 to
# -508.8586282); cost -22395.24176 (-655336.7025 to 444154.1212), less in 0.46.
for s in \
    'Over 50 parameter draws, <strong>icm_high_use</strong> had 46 fewer admissions a year than baseline (95% uncertainty interval 15 to 92 fewer); it was better in 100% of draws.' \
    'It had 1,508 fewer bed-days a year (95% uncertainty interval 509 to 2,964 fewer); it was better in 100% of draws.' \
    'It cost GBP 22,395 less a year (95% uncertainty interval GBP 655,337 less to 444,154 more) at 2023 prices; it cost less in 46% of draws.' \
    '<li>Crises per 100 client-years: 2.5 lower than baseline (95% uncertainty interval 0.52 to 5.3 lower); better in 100% of draws.</li>' \
    '<li>Mean wait for a coordinator (days): 2.1 higher than baseline (95% uncertainty interval 1.1 to 3.0 higher); better in 0% of draws.</li>' \
    'costs least in 46% of draws (a willingness to pay of 0); its probability of being cost-effective first reaches 50% at GBP 2,500 per admission averted; it first reaches 95% at GBP 30,000 per admission averted, on a grid in steps of GBP 2,500.' \
    'first reaches 50% at GBP 75 per bed-day averted; it first reaches 95% at GBP 900 per bed-day averted, on a grid in steps of GBP 75.' \
    'the parameter that matters most is <code>coordination.outreach</code> (rank correlation -0.53), then <code>risk.crisis_rate</code> (-0.40).' \
    'include the uncertainty of the 5 parameters drawn from their distributions, over 50 draws'; do
    grep -qF "$s" "$page" || bad "the page lacks: $s"
done
grep -qF "the parameters are taken as known, though" "$page" &&
    bad "a psa folder's limitations say the parameters are taken as known"
# The sentences follow the numbers: with the admissions difference's interval moved across 0,
# the sentence says "fewer to more"; with its share of better draws 0.97, "97%".
mk "$tmp/moved"
awk -F, -v OFS=, '$1 == "admissions_per_year" && $2 == "icm_high_use" { $7 = "-12.4"; $8 = "5.2"; $9 = "0.97" } { print }' \
    "$fix/psa_summary.csv" >"$tmp/moved/psa_summary.csv"
text_report "$tmp/moved" >/dev/null 2>&1 || bad "report on the moved folder"
grep -qF 'had 46 fewer admissions a year than baseline (95% uncertainty interval 12 fewer to 5.2 more); it was better in 97% of draws.' \
    "$tmp/moved/report.html" || bad "the sentence does not follow psa_summary.csv: $(grep -o 'had [^;]*admissions a year[^;]*;[^.]*' "$tmp/moved/report.html")"
# What was drawn: each parameter's median, 2.5% and 97.5% points (linear between order
# statistics at (n - 1) p), computed here from psa_parameters.csv, as the page gives them (%.4g).
for p in risk.scale risk.crisis_rate crisis_team.p_admit coordination.outreach costs.bed_day; do
    awk -F, -v p="$p" '$2 == p { print $3 }' "$fix/psa_parameters.csv" | sort -g |
        awk '{ v[NR] = $1 } END {
            split("0.5 0.025 0.975", q, " ")
            for (i = 1; i <= 3; i++) { h = (NR - 1) * q[i]; lo = int(h)
                x = v[lo + 1] + (h - lo) * (v[lo + 2 > NR ? NR : lo + 2] - v[lo + 1])
                printf "<td class=\"n\">%.4g</td>", x }
            printf "<td class=\"n\">%d</td></tr>\n", NR }' >"$tmp/cells"
    grep -F "<code>$p</code></td>" "$page" | grep -qF "$(cat "$tmp/cells")" ||
        bad "$p: the page's percentiles are not $(cat "$tmp/cells"): $(grep -F "<code>$p</code></td>" "$page")"
done

# ---- the figures and their data ------------------------------------------------------------
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "SKIP: gnuplot is not installed (make deps installs it): the figures are not checked"
    exit $fail
fi
"$CCSIM" plot "$tmp/psa" >"$tmp/out" 2>&1 || bad "plot on a psa folder: $(cat "$tmp/out")"
grep -q "^4 figures" "$tmp/out" || bad "plot: $(cat "$tmp/out")"
for name in psa_plane psa_ceac psa_intervals psa_drivers; do
    for ext in png svg pdf gp dat; do
        [ -s "$tmp/psa/figures/$name.$ext" ] || bad "figures/$name.$ext missing or empty"
    done
done
[ "$(head -c 8 "$tmp/psa/figures/psa_plane.png" | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ] ||
    bad "psa_plane.png is not a PNG"
head -c 5 "$tmp/psa/figures/psa_ceac.pdf" | grep -q '%PDF-' || bad "psa_ceac.pdf is not a PDF"
# The plane: one point per draw of icm_high_use, x = minus the admissions_per_year difference,
# y = the cost_per_year difference of the same draw (psa.csv's digits, the sign in front); then
# the mean, psa_summary.csv's difference.
awk -F, '
    function neg(s) { return substr(s, 1, 1) == "-" ? substr(s, 2) : "-" s }
    FILENAME ~ /psa.csv$/ { if ($2 == "icm_high_use" && $3 == "admissions_per_year") x[$1] = neg($5)
        if ($2 == "icm_high_use" && $3 == "cost_per_year") y[$1] = $5; next }
    FILENAME ~ /psa_summary.csv$/ { if ($2 == "icm_high_use" && $1 == "admissions_per_year") mx = neg($6)
        if ($2 == "icm_high_use" && $1 == "cost_per_year") my = $6; next }
    /^#/ || NF < 5 { next }
    { gsub(/"/, "", $2) }
    $3 == "mean" { means++; if ($4 != mx || $5 != my) { print "mean " $4 "," $5 " != " mx "," my; bad++ } next }
    { seen++; if ($2 != "icm_high_use" || x[$3] != $4 || y[$3] != $5) { print "draw " $3 ": " $4 "," $5 " != " x[$3] "," y[$3]; bad++ } }
    END { if (seen != 50 || means != 1) { print seen " points, " means " means"; bad++ } exit bad > 0 }
' "$fix/psa.csv" "$fix/psa_summary.csv" "$tmp/psa/figures/psa_plane.dat" >"$tmp/out" ||
    bad "psa_plane.dat is not psa.csv's: $(head -n 3 "$tmp/out")"
grep -qF 'set xlabel "admissions averted a year (fewer than baseline)' "$tmp/psa/figures/psa_plane.gp" &&
    grep -qF 'set ylabel "change in cost a year from baseline\n(GBP a year, 2023 prices)"' \
        "$tmp/psa/figures/psa_plane.gp" || bad "psa_plane.gp: the axes are not in words with units"
grep -q 'xzeroaxis' "$tmp/psa/figures/psa_plane.gp" && grep -q 'yzeroaxis' "$tmp/psa/figures/psa_plane.gp" ||
    bad "psa_plane.gp: no axes through 0"
# The curves: every row of psa_ceac.csv, its numbers, in its outcome's panel.
awk -F, '
    FNR == 1 { next }
    NR == FNR { p[$1 "|" $2 "|" $3] = $4; n++; next }
    /^#/ || NF < 5 { next }
    { gsub(/"/, "", $4); o = $1 == 0 ? "admissions" : "bed_days"; k = o "|" $2 "|" $4; seen++
      if (!(k in p) || p[k] != $5) { print k ": " $5 " != " p[k]; bad++ } }
    END { if (seen != n) { print seen " of " n " points"; bad++ } exit bad > 0 }
' "$fix/psa_ceac.csv" "$tmp/psa/figures/psa_ceac.dat" >"$tmp/out" ||
    bad "psa_ceac.dat is not psa_ceac.csv's: $(head -n 3 "$tmp/out")"
grep -qF 'willingness to pay per admission averted\n(GBP, 2023 prices)' "$tmp/psa/figures/psa_ceac.gp" &&
    grep -qF 'willingness to pay per bed-day averted' "$tmp/psa/figures/psa_ceac.gp" ||
    bad "psa_ceac.gp: not one panel per outcome with the currency on the axis"
# The intervals: one row per headline metric of icm_high_use, psa_summary.csv's difference,
# its interval and its share of better draws, digit for digit.
awk -F, '
    FNR == 1 { next }
    NR == FNR { if ($13 == 1 && $6 != "NA") { d[$1 "|" $2] = $6 "|" $7 "|" $8 "|" $9; n++ } next }
    { gsub(/"/, "", $3); gsub(/"/, "", $4); k = $4 "|" $3; seen++
      if (d[k] != $5 "|" $6 "|" $7 "|" $8) { print k ": " $5 "|" $6 "|" $7 "|" $8 " != " d[k]; bad++ } }
    END { if (seen != n || n != 6) { print seen " rows for " n " headline differences"; bad++ } exit bad > 0 }
' "$fix/psa_summary.csv" "$tmp/psa/figures/psa_intervals.dat" >"$tmp/out" ||
    bad "psa_intervals.dat is not psa_summary.csv's: $(head -n 3 "$tmp/out")"
[ "$(sed -n 1p "$fix/psa_summary.csv" | cut -d, -f6-9,13)" = "difference,difference_lower,difference_upper,probability_better,headline" ] ||
    bad "psa_summary.csv: the columns are not where this test reads them"
grep -qF 'lower is better' "$tmp/psa/figures/psa_intervals.gp" || bad "psa_intervals.gp: no better direction"
# The drivers: four panels (the first four headline metrics of icm_high_use), each every
# parameter (five, fewer than ten) with psa_drivers.csv's correlation, smallest |rho| first.
awk -F, '
    FNR == 1 { next }
    NR == FNR { r[$1 "|" $3] = $4; next }
    { gsub(/"/, "", $4); gsub(/"/, "", $5); k = $4 "|" $5; seen++; a = $6 < 0 ? -$6 : $6
      if (r[k] != $6) { print k ": " $6 " != " r[k]; bad++ }
      if ($2 > 0 && a < last) { print k ": not in order of |rho|"; bad++ }
      last = a; panels[$1] = $4 }
    END { if (seen != 20 || panels[0] != "crises" || panels[3] != "bed_days") { print seen " bars, panels " panels[0] " " panels[3]; bad++ }
          exit bad > 0 }
' "$fix/psa_drivers.csv" "$tmp/psa/figures/psa_drivers.dat" >"$tmp/out" ||
    bad "psa_drivers.dat is not psa_drivers.csv's: $(head -n 3 "$tmp/out")"
grep -q '#0072B2' "$tmp/psa/figures/psa_drivers.gp" || bad "psa_drivers.gp: not the palette"
# The report embeds them.
"$CCSIM" report "$tmp/psa" >/dev/null 2>&1 || bad "report with figures"
[ "$(grep -c '<figure><img alt="[^"]*" src="data:image/png;base64,' "$tmp/psa/report.html")" -eq 4 ] ||
    bad "the report does not embed the four PSA figures"

# ---- without costs: the joint plot of two headline differences, no acceptability curve ------
mk "$tmp/nocost"
rm "$tmp/nocost/psa_ceac.csv"
for f in psa.csv psa_summary.csv; do
    awk -F, '$3 != "cost_per_year" && $1 != "cost_per_year"' "$fix/$f" >"$tmp/nocost/$f"
done
"$CCSIM" plot "$tmp/nocost" >"$tmp/out" 2>&1 || bad "plot without costs: $(cat "$tmp/out")"
grep -q "^3 figures" "$tmp/out" || bad "plot without costs: $(cat "$tmp/out")"
[ ! -e "$tmp/nocost/figures/psa_ceac.gp" ] || bad "an acceptability curve without costs"
grep -qF 'set xlabel "Crises per 100 client-years: change from baseline' "$tmp/nocost/figures/psa_plane.gp" &&
    grep -qF 'set ylabel "ED visits per 100 client-years:' "$tmp/nocost/figures/psa_plane.gp" ||
    bad "without costs, psa_plane is not the first two headline differences"
awk -F, 'FILENAME ~ /psa.csv$/ { if ($2 == "icm_high_use" && $3 == "crises") x[$1] = $5; next }
    /^#/ || NF < 5 || $3 == "mean" { next } { n++; if (x[$3] != $4) bad++ } END { exit bad > 0 || n != 50 }' \
    "$tmp/nocost/psa.csv" "$tmp/nocost/figures/psa_plane.dat" || bad "psa_plane.dat without costs is not psa.csv's crises"
text_report "$tmp/nocost" >/dev/null 2>&1 || bad "report without costs"
grep -qF 'The scenarios give no costs' "$tmp/nocost/report.html" || bad "the report does not say there are no costs"

# ---- a malformed PSA file: the file and line, exit 2 ---------------------------------------
mk "$tmp/broken"
awk -F, -v OFS=, 'NR == 3 { $10 = "often" } { print }' "$fix/psa_summary.csv" >"$tmp/broken/psa_summary.csv"
sed -n 3p "$tmp/broken/psa_summary.csv" | grep -q often || bad "the broken fixture is not broken"
"$CCSIM" plot "$tmp/broken" >"$tmp/out" 2>&1
[ $? -eq 2 ] || bad "plot of a broken psa_summary.csv: exit status"
"$CCSIM" report "$tmp/broken" >"$tmp/out2" 2>&1
[ $? -eq 2 ] || bad "report of a broken psa_summary.csv: exit status"
grep -q "psa_summary.csv:3: .*probability_best" "$tmp/out" && grep -q "psa_summary.csv:3:" "$tmp/out2" ||
    bad "broken psa_summary.csv: $(cat "$tmp/out" "$tmp/out2")"
exit $fail
