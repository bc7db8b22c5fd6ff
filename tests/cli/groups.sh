#!/bin/sh
# Outcomes by group (docs/model.md 1.4): a run with an attribute writes groups.csv, listed in
# its manifest, one row per by.KIND.GROUP.METRIC metric of summary.csv with the same mean and
# interval, and its counts per year of each kind add up to the whole's; a run without groups
# writes none.
. tests/cli_lib.sh
attr='attributes=({ name = "age_band"; levels = ["18-34", "35-64", "65+"]; shares = [0.35, 0.5, 0.15]; })'
"$CCSIM" run "$care" -q -r 3 --set "$attr" --no-plots -o "$tmp/g" 2>/dev/null ||
    bad "run with an attribute"
"$CCSIM" run "$care" -q -r 3 --no-plots -o "$tmp/n" 2>/dev/null || bad "run without groups"
[ ! -e "$tmp/n/groups.csv" ] || bad "groups.csv without groups"
grep -q '"groups.csv"' "$tmp/g/manifest.json" || bad "groups.csv not in the manifest"
[ "$(head -1 "$tmp/g/groups.csv")" = "group_kind,group,metric,mean,ci_low,ci_high,unit,label" ] ||
    bad "groups.csv header: $(head -1 "$tmp/g/groups.csv")"
rows=$(($(wc -l <"$tmp/g/groups.csv") - 1))
by=$(grep -c '^by\.' "$tmp/g/summary.csv")
[ "$rows" -gt 0 ] && [ "$rows" -eq "$by" ] || bad "groups.csv has $rows rows, summary.csv $by by. metrics"
# Each row against its summary.csv row: name, mean, ci_low, ci_high.
awk -F, 'NR == FNR { if (FNR > 1 && $1 ~ /^by\./) m[$1] = $2 "," $4 "," $5; next }
    FNR > 1 { k = "by." $1 "." $2 "." $3; if (m[k] != $4 "," $5 "," $6) { print "differs: " k; bad = 1 } }
    END { exit bad }' "$tmp/g/summary.csv" "$tmp/g/groups.csv" || bad "groups.csv differs from summary.csv"
grep -q '^age_band,65+,admissions_per_year,' "$tmp/g/groups.csv" || bad "no row for age_band 65+"
# The admissions per year of the age bands, of the severities: the whole's (means of sums).
for kind in age_band severity; do
    awk -F, -v kind="$kind" 'NR == FNR { if ($1 == "admissions_per_year") whole = $2; next }
        $1 == kind && $3 == "admissions_per_year" { s += $4 }
        END { d = s - whole; if (d < 0) d = -d; exit !(whole > 0 && d <= 1e-6 * whole) }' \
        "$tmp/g/summary.csv" "$tmp/g/groups.csv" || bad "$kind admissions per year do not add up"
done
# The report's equity table: a table per kind, the groups as rows, the highest wait in bold.
text_report "$tmp/g" >/dev/null 2>&1 || bad "report on a folder with groups"
grep -q '<h2>Equity: outcomes by group</h2>' "$tmp/g/report.html" || bad "no equity section"
grep -q '<h3>By age_band</h3>' "$tmp/g/report.html" || bad "no age_band table"
grep -q '<tr><td>65+</td>' "$tmp/g/report.html" || bad "no 65+ row"
text_report "$tmp/n" >/dev/null 2>&1 || bad "report on a folder without groups"
! grep -q 'Equity' "$tmp/n/report.html" || bad "equity section without groups"
exit $fail
