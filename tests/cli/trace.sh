#!/bin/sh
# ccsim run --trace: every event of every client of one replication in trace.csv. The rest of
# the folder is byte-identical to a run without it, the same for any -j; the file reads as plain
# CSV (one header, seven fields a row, nothing quoted); its rows after the warm-up reproduce the
# replication's counts in replications.csv; the row limit ends the file with a 'truncated' row
# and says so on stderr and in warnings.txt; bad uses exit 2 with no folder left.
. tests/cli_lib.sh
scn=tests/fixtures/care/trace.cfg
warmup=365.25
horizon=730.5

"$CCSIM" run "$scn" -q --no-plots -o "$tmp/plain" || bad "run without --trace"
"$CCSIM" run "$scn" -q --no-plots --trace 2 -o "$tmp/t2" 2>"$tmp/t2.err" || bad "run --trace 2"
"$CCSIM" run "$scn" -q --no-plots -j 2 --trace=2 -o "$tmp/t2j" || bad "run -j 2 --trace=2"
for f in summary.csv replications.csv timeseries.csv diagnostics.csv scenario.resolved.cfg; do
    cmp "$tmp/plain/$f" "$tmp/t2/$f" || bad "$f differs with --trace"
done
[ "$(cd "$tmp/plain" && ls)" = "$(cd "$tmp/t2" && ls | grep -v '^trace.csv$')" ] ||
    bad "--trace adds more than trace.csv"
grep -q '"trace.csv"' "$tmp/t2/manifest.json" || bad "trace.csv not in the manifest"
cmp "$tmp/t2/trace.csv" "$tmp/t2j/trace.csv" || bad "trace.csv depends on -j"
[ -s "$tmp/t2.err" ] && bad "-q run --trace printed: $(cat "$tmp/t2.err")"

t="$tmp/t2/trace.csv"
[ "$(head -n 1 "$t")" = "replication,time_days,client,event,stage,model,service" ] ||
    bad "trace.csv header: $(head -n 1 "$t")"
awk -F, 'NR > 1 && (NF != 7 || $1 != 2 || $2 !~ /^[0-9.e+-]+$/ || $3 !~ /^[0-9]+$/ || $4 == "" ||
         $5 == "" || /"/) { print "bad row " NR ": " $0; exit 1 }' "$t" || bad "trace.csv rows"
awk -F, 'NR > 2 && $2 + 0 < prev { exit 1 } NR > 1 { prev = $2 + 0 }' "$t" || bad "rows out of time order"
[ "$(wc -l <"$t")" -gt 1000 ] || bad "trace.csv has $(wc -l <"$t") lines"
grep -q ',truncated,' "$t" && bad "an untruncated trace says truncated"

# The rows at or after the warm-up, by event, against replication 2's counts a year.
awk -F, -v w="$warmup" 'NR > 1 && $2 + 0 >= w { n[$4]++ }
    END { for (e in n) print e, n[e] }' "$t" >"$tmp/counts"
for pair in crises_per_year:crisis admissions_per_year:admission ed_visits_per_year:ed_visit \
    referrals_per_year:referral crisis_team_diversions_per_year:home_treatment; do
    m=${pair%%:*}
    e=${pair#*:}
    awk -F, -v m="$m" -v e="$e" -v h="$horizon" -v w="$warmup" -v counts="$tmp/counts" '
        BEGIN { years = (h - w) / 365.25
                while ((getline line < counts) > 0) { split(line, f, " "); n[f[1]] = f[2] } }
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $1 == 2 { want = $col[m] * years; got = n[e] + 0
                  if (want - got > 1e-6 || got - want > 1e-6 || got < 1) {
                      print m " x years = " want ", " e " rows: " got; exit 1 } }' \
        "$tmp/t2/replications.csv" || bad "$e rows against $m"
done

# --trace alone: replication 0; a line on stderr without -q.
"$CCSIM" run "$scn" --no-plots --trace -o "$tmp/t0" 2>"$tmp/t0.err" || bad "run --trace"
awk -F, 'NR > 1 && $1 != 0 { exit 1 }' "$tmp/t0/trace.csv" || bad "--trace alone is not replication 0"
grep -q 'trace.csv: [0-9]* events of replication 0' "$tmp/t0.err" || bad "no account of the trace"

# The limit: 100 rows, then a row saying the file is truncated; stderr and warnings.txt say so.
"$CCSIM" run "$scn" -q --no-plots --trace --trace-rows 100 -o "$tmp/cut" 2>"$tmp/cut.err" ||
    bad "run --trace-rows 100"
[ "$(wc -l <"$tmp/cut/trace.csv")" -eq 102 ] || bad "--trace-rows 100: $(wc -l <"$tmp/cut/trace.csv") lines"
head -n 101 "$tmp/t0/trace.csv" >"$tmp/first"
head -n 101 "$tmp/cut/trace.csv" | cmp - "$tmp/first" || bad "the truncated trace is not the first rows"
tail -n 1 "$tmp/cut/trace.csv" | grep -qx '0,[0-9.]*,,truncated,,,' ||
    bad "last row of a truncated trace: $(tail -n 1 "$tmp/cut/trace.csv")"
grep -q 'trace.csv is truncated: it holds the first 100 events of replication 0' "$tmp/cut.err" ||
    bad "no truncation message: $(cat "$tmp/cut.err")"
grep -q 'trace.csv is truncated' "$tmp/cut/warnings.txt" || bad "warnings.txt does not say truncated"
cmp "$tmp/plain/summary.csv" "$tmp/cut/summary.csv" || bad "summary differs with a truncated trace"

# Bad uses: exit 2, a message, no folder.
expect2() {
    what=$1
    shift
    "$CCSIM" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || bad "$what: exit $rc"
    grep -q "$what" "$tmp/err" || bad "$what: message $(cat "$tmp/err")"
}
expect2 "there is no replication 3" run "$scn" -q --trace 3 -o "$tmp/nope"
[ -e "$tmp/nope" ] && bad "a folder left by a bad --trace"
expect2 "only with -o DIR" run "$scn" -q --trace
expect2 "only with --trace" run "$scn" -q --trace-rows 10 -o "$tmp/nope2"
expect2 "out of range" run "$scn" -q --trace --trace-rows 0 -o "$tmp/nope3"
expect2 "does not report journeys" run scenarios/verify/jackson.cfg -q -r 2 --trace -o "$tmp/nope4"
"$CCSIM" run --help | grep -q -- '--trace \[REP\]' || bad "--help does not show --trace [REP]"
exit $fail
