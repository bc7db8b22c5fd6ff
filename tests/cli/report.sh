#!/bin/sh
# ccsim report: report.html of a run and of a comparison is one self-contained page (nothing
# loaded from the network or the disk, figures embedded as PNG data URIs) with its sections, the
# scenario's question, parameters with their published sources, and what differs between the
# scenarios; clear errors for a folder that is empty or has no manifest.json. With Chromium on
# PATH (or CCSIM_TEST_CHROMIUM), the page renders headless without console errors and --pdf
# prints a PDF; without it that part is skipped, with a message. The figure checks need gnuplot.
. tests/cli_lib.sh
scn=scenarios/care/baseline.cfg
beds=scenarios/care/beds_minus_2.cfg

is_png() { # is_png FILE: the 8 magic bytes of a PNG
    [ "$(head -c 8 "$1" | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ]
}
escape_html() { # the text of $1 as report.c escapes it
    printf '%s\n' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}
first_comment() { # the first comment line of a scenario file, without "# "
    sed -n '/^#/{s/^#[[:space:]]*//p;q;}' "$1"
}
# self_contained PAGE: every src=, href=, srcset= and CSS url() is a data: URI or an in-page
# anchor; nothing points at http:, https:, file: or a path.
self_contained() {
    # (An attribute follows a space; base64 data has none, so "...src=" inside it cannot match.)
    grep -oiE "[[:space:]](src|href|srcset)[[:space:]]*=[[:space:]]*(\"[^\"]*\"|'[^']*'|[^[:space:]>]+)" \
        "$1" | sed -E "s/^[^=]*=[[:space:]]*[\"']?//" | grep -viE '^(data:|#)' | cut -c 1-120 \
        >"$tmp/ext"
    grep -oiE 'url\([^)]*\)|@import[^;]*' "$1" | grep -viE "^url\([\"']?(data:|#)" |
        cut -c 1-120 >>"$tmp/ext"
    if [ -s "$tmp/ext" ]; then
        bad "$1 is not self-contained: $(tr '\n' ' ' <"$tmp/ext")"
    fi
}
# embedded_pngs PAGE: sets n_png to how many data:image/png;base64 images decode to a real PNG,
# and reports any that does not.
embedded_pngs() {
    rm -rf "$tmp/img"
    mkdir "$tmp/img"
    grep -o 'data:image/png;base64,[A-Za-z0-9+/=]*' "$1" | sed 's/^data:image\/png;base64,//' |
        awk -v d="$tmp/img" '{ print > (d "/" NR ".b64") }'
    n_png=0
    for b in "$tmp"/img/*.b64; do
        [ -f "$b" ] || continue
        if base64 -d "$b" >"${b%.b64}.png" 2>/dev/null && [ -s "${b%.b64}.png" ] &&
            is_png "${b%.b64}.png"; then
            n_png=$((n_png + 1))
        else
            bad "$1: an embedded image is not a PNG ($(basename "$b"))"
        fi
    done
}
has_section() { # has_section PAGE TITLE: a heading with exactly that title
    grep -qE "<h[1-6][^>]*>$2</h[1-6]>" "$1" || bad "$1: no section \"$2\""
}
has_gnuplot=1
if ! command -v gnuplot >/dev/null 2>&1 && [ -z "${CCSIM_GNUPLOT:-}" ]; then
    has_gnuplot=0
    echo "SKIP: gnuplot is not installed (make deps installs it); embedded figures not checked"
fi

# ---- A run ------------------------------------------------------------------------------------
# Five observed years after one of warm-up (the baseline starts from its region's state): the
# page's sections, not its figures. Without figures of the run's own: the report draws them.
# (The short warm-up may call a series not steady; the page says so, which this test does not
# look at: steady.sh does.)
long="-q -r 3 --set warmup=365.25 --set horizon=2191.5 --no-plots"
# shellcheck disable=SC2086
"$CCSIM" run "$scn" $long -o "$tmp/run" || bad "run"
"$CCSIM" report "$tmp/run" >"$tmp/out" 2>&1 || bad "report of a run: $(cat "$tmp/out")"
page="$tmp/run/report.html"
if [ ! -s "$page" ]; then
    bad "$page missing or empty"
else
    grep -q "report.html" "$tmp/out" || bad "report did not say what it wrote: $(cat "$tmp/out")"
    self_contained "$page"
    if [ "$has_gnuplot" -eq 1 ]; then
        embedded_pngs "$page"
        # outcomes and the weekly series
        [ "$n_png" -ge 2 ] || bad "$page embeds $n_png PNG figures, at least 2 expected"
    fi
    for s in "The question" "Headline results" "Figures" "Method" \
        "Parameters and their sources" "Validation status"; do
        has_section "$page" "$s"
    done
    q=$(first_comment "$scn")
    [ -n "$q" ] || bad "no comment line in $scn"
    grep -qF -- "$(escape_html "$q")" "$page" || bad "$page does not quote the question: $q"
    # A parameter with its value and its published source, on one row.
    grep -F 'coordination.models[0].caseload_limit' "$page" | grep -F '<td>30</td>' |
        grep -qF 'Greenwood et al. 2000' ||
        bad "$page: caseload_limit is not shown with its source (Greenwood et al. 2000)"
    # The bid's sections: the summary in words, the counts a year, costs, the year-by-year
    # table (a start from a snapshot has per-year metrics), A4 pages.
    for s in "Summary" "Counts a year for the region" "Costs" "Year by year" "Limitations"; do
        has_section "$page" "$s"
    done
    grep -qF 'This report gives ccsim&#39;s simulated results' "$page" ||
        grep -qF "This report gives ccsim's simulated results" "$page" ||
        bad "$page: no summary in words"
    adm=$(awk -F, '$1 == "admissions_per_year" { printf "%.0f", $2 }' "$tmp/run/summary.csv")
    grep -qE "<td>admissions</td><td class=\"n\">$adm \([0-9,]+ to [0-9,]+\)</td>" "$page" ||
        bad "$page: the counts table has no row of $adm admissions a year with its interval"
    grep -qF "A year, the region has $adm (" "$page" ||
        bad "$page: the summary does not give the $adm admissions a year"
    grep -q 'GBP a year, 2023 prices' "$page" || bad "$page: costs without currency and price year"
    grep -q '<tr><td>5</td>' "$page" || bad "$page: the year-by-year table has no year 5"
    grep -q '@page{size:A4' "$page" || bad "$page: not A4 by default"
    # (On a copy, without figures: the browser below renders the A4 page.)
    cp -r "$tmp/run" "$tmp/letter"
    text_report "$tmp/letter" --paper letter >/dev/null 2>&1 || bad "report --paper letter"
    grep -q '@page{size:letter' "$tmp/letter/report.html" ||
        bad "$page: --paper letter gave no US Letter page"
    "$CCSIM" report "$tmp/run" --paper legal >/dev/null 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] && grep -q "not a paper size (a4 or letter)" "$tmp/err" ||
        bad "report --paper legal: exit $rc, $(cat "$tmp/err")"
    # The headline table: crises with a 95% interval.
    grep -qE '<td>crises</td><td class="n">[0-9.e+-]+</td><td class="n">[0-9.e+-]+ to [0-9.e+-]+</td>' \
        "$page" || bad "$page: no headline row for crises with its interval"
fi

# ---- A comparison -----------------------------------------------------------------------------
# shellcheck disable=SC2086
"$CCSIM" compare "$scn" "$beds" $long -o "$tmp/cmp" || bad "compare"
"$CCSIM" report "$tmp/cmp" >"$tmp/out" 2>&1 || bad "report of a comparison: $(cat "$tmp/out")"
page="$tmp/cmp/report.html"
if [ ! -s "$page" ]; then
    bad "$page missing or empty"
else
    self_contained "$page"
    if [ "$has_gnuplot" -eq 1 ]; then
        embedded_pngs "$page"
        # A comparison allows two figures: outcomes and the paired differences.
        [ "$n_png" -ge 2 ] || bad "$page embeds $n_png PNG figures, at least 2 expected"
    fi
    # Not "Parameters and their sources": a comparison folder has no scenario.resolved.cfg,
    # only NAME.resolved.cfg per scenario, and report.c leaves that section out.
    for s in "The question" "What differs between the scenarios" "Headline results" "Figures" \
        "Method" "Validation status"; do
        has_section "$page" "$s"
    done
    for f in "$scn" "$beds"; do
        q=$(first_comment "$f")
        grep -qF -- "$(escape_html "$q")" "$page" || bad "$page does not quote $f: $q"
    done
    sed -n '/What differs between the scenarios/,/<\/table>/p' "$page" >"$tmp/differs"
    grep -qE '<th>baseline</th><th>beds_minus_2</th>' "$tmp/differs" ||
        bad "what differs: the scenarios are not the columns: $(cat "$tmp/differs")"
    grep -qE '<code>hospital\.beds</code></td><td>50</td><td>48</td>' "$tmp/differs" ||
        bad "what differs: no row hospital.beds 50 48: $(cat "$tmp/differs")"
    [ "$(grep -c '<tr><td><code>' "$tmp/differs")" -eq 1 ] ||
        bad "what differs: rows other than hospital.beds: $(cat "$tmp/differs")"
    # The summary and the counts in words, with the paired difference of the comparison.
    for s in "Summary" "Counts a year for the region" "Costs" \
        "Cost per admission and per bed-day averted"; do
        has_section "$page" "$s"
    done
    grep -qF "compares <strong>beds_minus_2</strong> with <strong>baseline</strong>" "$page" ||
        bad "$page: the summary does not say what was compared"
    d=$(awk -F, '$1 == "bed_days_per_year" && $2 == "beds_minus_2" { print $6 }' \
        "$tmp/cmp/comparison.csv")
    grep -q 'Against baseline, beds_minus_2 has ' "$page" || bad "$page: no sentence of differences"
    [ -s "$tmp/cmp/cost_effect.csv" ] || bad "compare with costs wrote no cost_effect.csv"
    grep -qE '<td>beds_minus_2</td><td>bed-days: ' "$page" ||
        bad "$page: no cost per bed-day averted row (bed-days difference $d)"
    # The paired difference of the second scenario, with its interval.
    grep -qE '<td>Bed-days \(local and out of area\) per 100 client-years</td><td>bed-days per 100 client-years</td><td>bed_days</td><td>beds_minus_2</td>(<td class="n">[^<]*</td>){3}<td class="n">[0-9.e+-]+ to [0-9.e+-]+</td>' \
        "$page" || bad "$page: no paired difference for bed_days"
fi

# ---- The validation status of the scenario's coordination models -----------------------------
# (scenarios/validation/status.csv beside the scenarios: for each preset the scenario uses, the
# rows that validate it with their verdicts, failing ones included, or that none does.)
short_care="-q -r 2 --no-plots --set horizon=400 --set warmup=100"
status=scenarios/validation/status.csv
# shellcheck disable=SC2086
"$CCSIM" run scenarios/care/act.cfg $short_care -o "$tmp/act" || bad "run of act.cfg"
text_report "$tmp/act" >"$tmp/out" 2>&1 || bad "report of act.cfg: $(cat "$tmp/out")"
sed -n '/<h2>Validation status<\/h2>/,/Report written by/p' "$tmp/act/report.html" >"$tmp/vs"
for preset in act standard_care; do
    grep -q "<h3>$preset</h3>" "$tmp/vs" || bad "validation status: no section for $preset"
done
grep -qF "$status" "$tmp/vs" || bad "validation status: the status file is not named"
# Every row of the status file naming act, with the status file's verdict; none other.
awk -F, 'NR > 1 && $2 ~ /(^|;)act(;|$)/ { print $1 "|" $(NF - 3) }' "$status" >"$tmp/act_rows"
[ -s "$tmp/act_rows" ] || bad "the shipped status file has no row for act"
while IFS='|' read -r label verdict; do
    grep -qF "<tr><td>$label</td>" "$tmp/vs" || bad "validation status: no row $label"
    grep -F "<tr><td>$label</td>" "$tmp/vs" | grep -qF "class=\"$verdict\">$verdict</td>" ||
        bad "validation status: $label is not shown as $verdict"
done <"$tmp/act_rows"
sed -n '/<h3>act<\/h3>/,/<h3>standard_care<\/h3>/p' "$tmp/vs" | grep -c '<tr><td>' >"$tmp/n"
[ "$(cat "$tmp/n")" -eq "$(wc -l <"$tmp/act_rows")" ] || bad "validation status: act rows"
# A status file of its own beside a scenario of its own: the fixture table's two rows validate
# standard_care, one passing and one failing; then none.
mkdir -p "$tmp/own/care" "$tmp/own/validation"
printf 'base = "%s/tests/fixtures/care/baseline.cfg";\n' "$PWD" >"$tmp/own/care/x.cfg"
"$CCSIM" validate --dir tests/fixtures/validation -q --status "$tmp/own/validation/status.csv" \
    >/dev/null 2>&1
[ $? -eq 1 ] || bad "validate of the fixture table: exit status"
# shellcheck disable=SC2086
"$CCSIM" run "$tmp/own/care/x.cfg" $short_care -o "$tmp/x" || bad "run of x.cfg"
text_report "$tmp/x" >"$tmp/out" 2>&1 || bad "report of x.cfg: $(cat "$tmp/out")"
page="$tmp/x/report.html"
grep -qF "$(cd "$tmp" && pwd -P)/own/validation/status.csv" "$page" || bad "own status file: not used"
grep -F "<tr><td>No detection: no fewer crises</td>" "$page" | grep -qF 'class="pass">pass' ||
    bad "own status file: the passing row"
grep -F "<tr><td>No detection: 40% fewer crises (unreachable)</td>" "$page" |
    grep -qF 'class="fail">fail' || bad "own status file: the failing row"
grep -qF "<p>1 of 2 published effects reproduced.</p>" "$page" || bad "own status file: count"
sed -i 's/,standard_care,/,act,/' "$tmp/own/validation/status.csv"
text_report "$tmp/x" >"$tmp/out" 2>&1 || bad "report of x.cfg again: $(cat "$tmp/out")"
grep -qF "<p>standard_care: no published effect validates this model.</p>" "$page" ||
    bad "own status file: no row for standard_care is not said"
! grep -qF "No detection" "$page" || bad "own status file: a row of another model is shown"
# No status file anywhere: the page says where it looked.
rm "$tmp/own/validation/status.csv"
text_report "$tmp/x" >"$tmp/out" 2>&1 || bad "report without a status file: $(cat "$tmp/out")"
grep -qF "No validation status file was found (looked for $tmp/own/care/../validation/status.csv" \
    "$page" || bad "no status file: not said"

# ---- Folders that cannot be reported on -------------------------------------------------------
mkdir "$tmp/empty"
"$CCSIM" report "$tmp/empty" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "empty folder: exit status $rc, expected 2"
grep -q "manifest.json is missing" "$tmp/out" || bad "empty folder message: $(cat "$tmp/out")"
[ -z "$(ls -A "$tmp/empty")" ] || bad "report wrote into the empty folder: $(ls -A "$tmp/empty")"
# Results without manifest.json: refused, nothing written.
mkdir "$tmp/nomanifest"
cp "$tmp/run/summary.csv" "$tmp/run/replications.csv" "$tmp/run/scenario.resolved.cfg" \
    "$tmp/nomanifest/"
"$CCSIM" report "$tmp/nomanifest" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "no manifest.json: exit status $rc, expected 2"
grep -q "manifest.json is missing: not a complete ccsim results folder" "$tmp/out" ||
    bad "no manifest.json message: $(cat "$tmp/out")"
[ ! -e "$tmp/nomanifest/report.html" ] || bad "report.html written without manifest.json"
# A manifest and no results; a folder that does not exist; no folder at all.
mkdir "$tmp/onlymanifest"
cp "$tmp/run/manifest.json" "$tmp/onlymanifest/"
"$CCSIM" report "$tmp/onlymanifest" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "manifest only: exit status $rc, expected 2"
grep -q "holds no results to report" "$tmp/out" || bad "manifest only message: $(cat "$tmp/out")"
"$CCSIM" report "$tmp/nowhere" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "missing folder: exit status $rc, expected 2"
grep -q "is not a results folder" "$tmp/out" || bad "missing folder message: $(cat "$tmp/out")"
"$CCSIM" report >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "no folder: exit status $rc, expected 2"
grep -q "give a results folder" "$tmp/out" || bad "no folder message: $(cat "$tmp/out")"

# ---- Files at the edges -------------------------------------------------------------------------
short="-q -r 2 --set horizon=2000"
# shellcheck disable=SC2086
"$CCSIM" run scenarios/verify/mm1.cfg $short -o "$tmp/m" --no-plots || bad "mm1 run"
staging() { # staging DIR: the staging folders and lock files report or plot left in DIR
    ls -A "$1" | grep -E '^\.(figures|report)\.ccsim-' || true
}
# A summary.csv saved by a spreadsheet (byte order mark, CRLF line ends) reports as the original.
cp -r "$tmp/m" "$tmp/sheet"
{ printf '\357\273\277'; sed 's/$/\r/' "$tmp/m/summary.csv"; } >"$tmp/sheet/summary.csv"
text_report "$tmp/m" >"$tmp/out" 2>&1 || bad "report of mm1: $(cat "$tmp/out")"
text_report "$tmp/sheet" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || bad "spreadsheet summary.csv: exit status $rc: $(cat "$tmp/out")"
headline() { sed -n '/Headline results/,/<\/table>/p' "$1"; }
headline "$tmp/m/report.html" >"$tmp/h1"
headline "$tmp/sheet/report.html" >"$tmp/h2" 2>/dev/null
cmp -s "$tmp/h1" "$tmp/h2" || bad "spreadsheet summary.csv: the headline table differs"
# Header only: exit 2 with the file and line (it was a division by zero).
cp -r "$tmp/m" "$tmp/hdr"
head -n 1 "$tmp/m/summary.csv" >"$tmp/hdr/summary.csv"
"$CCSIM" report "$tmp/hdr" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "header-only summary.csv: exit status $rc, expected 2"
grep -q "hdr/summary.csv:2: no rows after the header" "$tmp/out" ||
    bad "header-only summary.csv message: $(cat "$tmp/out")"
# A broken row: the real problem, not "holds no results to report"; the old report stays.
cp "$tmp/m/report.html" "$tmp/old.html"
cp "$tmp/m/summary.csv" "$tmp/summary.good"
printf 'crises,1,2\n' >>"$tmp/m/summary.csv"
n=$(wc -l <"$tmp/m/summary.csv")
"$CCSIM" report "$tmp/m" >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "ragged summary.csv: exit status $rc, expected 2"
grep -q "m/summary.csv:$n: 3 fields where the header has 10" "$tmp/out" ||
    bad "ragged summary.csv message: $(cat "$tmp/out")"
cmp -s "$tmp/m/report.html" "$tmp/old.html" || bad "a failed report replaced report.html"
[ -z "$(staging "$tmp/m")" ] || bad "a failed report left $(staging "$tmp/m")"
cp "$tmp/summary.good" "$tmp/m/summary.csv"
# A failing gnuplot leaves the figures out, says why, and keeps the old figures.
printf '#!/bin/sh\necho "fake gnuplot: cannot draw" >&2\nexit 1\n' >"$tmp/failing"
chmod +x "$tmp/failing"
if [ "$has_gnuplot" -eq 1 ]; then
    "$CCSIM" plot "$tmp/m" >/dev/null 2>&1 || bad "plot of mm1"
    CCSIM_GNUPLOT="$tmp/failing" "$CCSIM" report "$tmp/m" >"$tmp/out" 2>&1 ||
        bad "report with a failing gnuplot: $(cat "$tmp/out")"
    grep -q "fake gnuplot: cannot draw" "$tmp/m/report.html" ||
        bad "the report does not say why the figures are missing"
    [ -s "$tmp/m/figures/outcomes.png" ] || bad "a failing gnuplot removed the old figures"
    [ -z "$(staging "$tmp/m")" ] || bad "a report with a failing gnuplot left $(staging "$tmp/m")"
fi
# Names with a comma, a quote and markup: escaped in the page.
cp scenarios/verify/mm1.cfg "$tmp/a,b.cfg"
cp scenarios/verify/mm1.cfg "$tmp/q\"<i>.cfg"
# shellcheck disable=SC2086
"$CCSIM" compare scenarios/verify/mm1.cfg "$tmp/a,b.cfg" "$tmp/q\"<i>.cfg" $short --no-plots \
    -o "$tmp/names" 2>"$tmp/out" || bad "compare of odd names: $(cat "$tmp/out")"
"$CCSIM" report "$tmp/names" >"$tmp/out" 2>&1 || bad "report of odd names: $(cat "$tmp/out")"
grep -qF '<th>a,b</th>' "$tmp/names/report.html" || bad "report: a,b is not a column"
grep -qF '<th>q&quot;&lt;i&gt;</th>' "$tmp/names/report.html" || bad "report: q\"<i> not escaped"
! grep -qF '<i>' "$tmp/names/report.html" || bad "report: markup from a name reached the page"

# ---- In a browser -----------------------------------------------------------------------------
# CCSIM_TEST_CHROMIUM names the browser; set empty, it skips this part as a machine without one.
chromium=${CCSIM_TEST_CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
    echo "SKIP: chromium is not installed (make deps-browser installs it) or CCSIM_TEST_CHROMIUM is empty"
    exit $fail
fi
limit=""
command -v timeout >/dev/null 2>&1 && limit="timeout 180"
# A profile of its own: nothing written to $HOME, no clash with a browser already running.
$limit "$chromium" --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --user-data-dir="$tmp/profile" --screenshot="$tmp/shot.png" --window-size=1280,4000 \
    "file://$tmp/run/report.html" >"$tmp/chromium.out" 2>"$tmp/chromium.err"
rc=$?
[ "$rc" -eq 0 ] || bad "chromium exited $rc: $(tail -n 5 "$tmp/chromium.err")"
if [ -s "$tmp/shot.png" ] && is_png "$tmp/shot.png"; then
    :
else
    bad "the screenshot $tmp/shot.png is missing, empty or not a PNG"
fi
# Console errors of the page (it has no script, so there should be none at all), and
# resources that failed to load.
grep -E 'CONSOLE.*(Uncaught|Error|error|Failed to load)|Failed to load resource' \
    "$tmp/chromium.err" >"$tmp/console"
[ ! -s "$tmp/console" ] || bad "console errors rendering report.html: $(cat "$tmp/console")"
# --pdf prints through the same browser.
rm -f "$tmp/run/report.pdf"
CCSIM_CHROMIUM="$chromium" $limit "$CCSIM" report "$tmp/run" --pdf >"$tmp/out" 2>&1 ||
    bad "report --pdf: $(cat "$tmp/out")"
grep -q "report.html and report.pdf" "$tmp/out" || bad "report --pdf output: $(cat "$tmp/out")"
if [ -s "$tmp/run/report.pdf" ]; then
    [ "$(head -c 5 "$tmp/run/report.pdf")" = "%PDF-" ] || bad "report.pdf does not start with %PDF-"
else
    bad "report.pdf missing or empty"
fi
exit $fail
