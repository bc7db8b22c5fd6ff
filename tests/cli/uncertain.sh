#!/bin/sh
# Parameter uncertainty (docs/psa.md, "Declaring uncertainty"): ccsim check's table of the
# uncertain parameters (declared, correlated, taken from a key's default, or given up by setting
# the key), and a run that ignores the declarations: its results are byte-identical with and
# without the uncertainty group.
. tests/cli_lib.sh
short="--set horizon=400 --set warmup=100"
cat >"$tmp/with.cfg" <<CFG
base = "$PWD/$care";
uncertainty = {
  parameters = (
    { key = "crisis_team.p_admit"; dist = "beta"; from_ci = [0.13, 0.45]; source = "EVIDENCE.md 11"; },
    { key = "hospital.length_of_stay.mean"; dist = "gamma"; mean = 33.0; sd = 4.0; },
    { key = "crisis_team.places"; dist = "normal"; from_ci = [10.0, 14.0]; source = "assumption" }
  );
  correlations = ( { keys = ["crisis_team.p_admit", "crisis_team.places"]; rho = 0.4; } );
};
CFG
printf 'base = "%s";\n' "$PWD/$care" >"$tmp/without.cfg"

# check: the table, wide (a table) and at 80 columns (a row a parameter, wrapped).
COLUMNS=250 "$CCSIM" check "$tmp/with.cfg" >"$tmp/check" 2>&1 || bad "check exited $?"
grep -q '^uncertain parameters: 4 ' "$tmp/check" || bad "check: no count of 4 uncertain parameters"
grep -qE '^key +value +distribution +95% interval$' "$tmp/check" ||
    bad "check: no table header at 250 columns"
row() { # row KEY VALUE DIST INTERVAL: a row of the table
    grep -qE "^$1 +$2 +$3 +$4\$" "$tmp/check" || bad "check: no row '$1 $2 $3 $4'"
}
row 'crisis_team\.p_admit' '[0-9.]+' 'beta\(a [0-9.]+, b [0-9.]+\)' '0\.13 to 0\.45'
row 'hospital\.length_of_stay\.mean' '[0-9.]+' 'gamma\(shape 68\.06, scale 0\.4848\)' '[0-9.]+ to [0-9.]+'
row 'crisis_team\.places' 12 'normal\(mean 12, sd 1\.02\)' '10 to 14'
row 'crisis_team\.gatekeeping_or' 0.19 'lognormal\(mu -1\.673, sigma 0\.2724\)' '0\.11 to 0\.32'
grep -q "correlated with crisis_team.places (rho 0.4); source: EVIDENCE.md 11; from $tmp/with.cfg:4" \
    "$tmp/check" || bad "check: p_admit's correlation, source and origin"
grep -q "fitted to a mean and standard deviation; source: the scenario's declaration (no source given)" \
    "$tmp/check" || bad "check: the moments fit and the missing source"
grep -q "Johnson et al. 2005 .*0.11 to 0.32); from the key's default uncertainty" "$tmp/check" ||
    bad "check: the default uncertainty's source"
# The group's own settings are in the table of uncertain parameters, not among the values.
grep -q '^uncertainty\.' "$tmp/check" && bad "check: the uncertainty group listed among the values"
# The values' table is the same as without the group (after the verdict, which names the file,
# and the needs, which are measured).
COLUMNS=250 "$CCSIM" check "$tmp/without.cfg" >"$tmp/check0" 2>&1 || bad "check without exited $?"
values() { awk '/^uncertain parameters/ { exit } seen { print } /^$/ { seen = 1 }' "$1" | sed '$d'; }
values "$tmp/check" >"$tmp/values"
values "$tmp/check0" >"$tmp/values0"
[ "$(wc -l <"$tmp/values")" -gt 50 ] || bad "check: the values' table not found"
cmp -s "$tmp/values" "$tmp/values0" || bad "check: the values' table changed with the group"
env -u COLUMNS "$CCSIM" check "$tmp/with.cfg" >"$tmp/check80" 2>&1 || bad "check exited $?"
awk 'length > 80 && index($0, " ") { print; bad = 1 } END { exit bad }' "$tmp/check80" ||
    bad "check: lines wider than 80 columns (not a terminal)"
grep -qE '^hospital.length_of_stay.mean  [0-9.]+$' "$tmp/check80" || bad "check at 80 columns: no row"

# A key set by the scenario loses its default uncertainty, and check says so.
"$CCSIM" check "$tmp/without.cfg" --set crisis_team.gatekeeping_or=0.5 >"$tmp/lost" 2>&1 ||
    bad "check --set exited $?"
grep -q '^uncertain parameters: 0 ' "$tmp/lost" || bad "check: a set key kept its default uncertainty"
tr '\n' ' ' <"$tmp/lost" | tr -s ' ' | grep -q "note: crisis_team.gatekeeping_or: set by --set crisis_team.gatekeeping_or=0.5, so its default uncertainty (lognormal from the 95% interval 0.11 to 0.32) is not used" ||
    bad "check: no note on the default uncertainty given up"
# A scenario without a group, keeping the default: only the default's row.
"$CCSIM" check "$tmp/without.cfg" >"$tmp/plain" 2>&1 || bad "check exited $?"
grep -q '^uncertain parameters: 1 ' "$tmp/plain" || bad "check: the default uncertainty not listed"

# run: byte-identical results with and without the group.
"$CCSIM" run "$tmp/with.cfg" -q -r 2 $short -o "$tmp/a" || bad "run with the group exited $?"
"$CCSIM" run "$tmp/without.cfg" -q -r 2 $short -o "$tmp/b" || bad "run without the group exited $?"
for f in summary.csv replications.csv timeseries.csv; do
    [ -f "$tmp/a/$f" ] || bad "run: no $f"
    cmp -s "$tmp/a/$f" "$tmp/b/$f" || bad "run: $f differs with the uncertainty group"
done
# The shipped examples are valid and declare the same parameters.
for s in psa_baseline psa_icm; do
    "$CCSIM" check "scenarios/care/$s.cfg" >"$tmp/$s" 2>&1 || bad "check of $s.cfg exited $?"
    grep -q '^uncertain parameters: 3 ' "$tmp/$s" || bad "$s.cfg: not 3 uncertain parameters"
    grep -E '^(coordination|crisis_team)\.' "$tmp/$s" | awk '/beta|lognormal/' >"$tmp/$s.rows"
done
cmp -s "$tmp/psa_baseline.rows" "$tmp/psa_icm.rows" || bad "psa_baseline.cfg and psa_icm.cfg differ"
exit $fail
