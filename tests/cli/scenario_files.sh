#!/bin/sh
# Scenario files: base scenarios, set lists, --set, @include, ccsim check, the resolved scenario
# and manifest in a results folder, and the key reference kept in step with the code.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
variant=tests/scenarios/good/variant.cfg

bad() {
    echo "FAIL: $*"
    fail=1
}

# check: valid, exit 0, and every value with its origin; wrapped to 80 columns when not on a
# terminal (each value on a line, its origin indented under it), a table when $COLUMNS is wide.
# joined FILE: each indented line joined to the one before, so that a row is one line either way.
joined() {
    awk '/^ / { sub(/^ +/, ""); printf " %s", $0; next } NR > 1 { print "" } { printf "%s", $0 }
         END { print "" }' "$1"
}
row() { # row KEY VALUE FROM: the check table holds KEY with VALUE, coming from FROM
    if ! joined "$tmp/check" | grep -E "^$1 +$2 .*$3\$" >/dev/null; then
        bad "check ($layout): no row '$1 = $2' from '$3'"
    fi
}
for layout in 80 table; do
    if [ "$layout" = 80 ]; then
        env -u COLUMNS "$CCSIM" check "$variant" --set network.stations[0].service.mean=1.5 \
            >"$tmp/check" 2>&1 || bad "check of $variant exited $?"
        awk 'length > 80 && index($0, " ") { print; bad = 1 } END { exit bad }' "$tmp/check" ||
            bad "check: lines wider than 80 columns (not a terminal)"
        grep -q "^    scenarios/verify/mm1.cfg:4\$" "$tmp/check" ||
            bad "check: at 80 columns, no origin on its own line under its value"
    else
        COLUMNS=250 "$CCSIM" check "$variant" --set network.stations[0].service.mean=1.5 \
            >"$tmp/check" 2>&1 || bad "check of $variant exited $?"
        grep -qE "^key +value +unit +from\$" "$tmp/check" || bad "check: no table at 250 columns"
    fi
    joined "$tmp/check" | grep -q "^$variant: valid; model \"network\", 10 replications, seed 11" ||
        bad "check ($layout): no summary line"
    row horizon 20000.0 "$variant:4"
    row seed 11 "$variant:5"
    row model '"network"' "scenarios/verify/mm1.cfg:4"
    row 'network.stations\[0\].servers' 2 "$variant:6"
    row 'network.stations\[0\].service.mean' 1.5 "--set network.stations\[0\].service.mean=1.5"
    row 'network.stations\[0\].capacity' 0 default
    row 'network.stations\[0\].discipline' '"fifo"' default
    row 'network.arrivals\[0\].interarrival.mean' 1.4285714285714286 "scenarios/verify/mm1.cfg:10"
    if grep -q "^base\|^set" "$tmp/check"; then
        bad "check: base and set are resolved away, not shown as values"
    fi
done
# "FILE: valid;" stays on one line (scripts look for it), even for a long path with spaces.
long="$tmp/a folder with a name long enough to push the verdict past the eightieth column"
mkdir -p "$long" && cp scenarios/verify/mm1.cfg "$long/mm1.cfg"
env -u COLUMNS "$CCSIM" check "$long/mm1.cfg" | grep -qF "$long/mm1.cfg: valid;" ||
    bad "check: the verdict of a long path is broken across lines"
# Units in words from the key tables: the care model's horizon and warm-up are in days.
"$CCSIM" check tests/fixtures/care/baseline.cfg >"$tmp/check" 2>&1 || bad "check of the care fixture"
layout=80
row horizon '1100.0 days' "tests/fixtures/care/baseline.cfg:6"
row warmup '365.0 days' "tests/fixtures/care/baseline.cfg:7"
! grep -q "time units" "$tmp/check" || bad "check of a care scenario speaks of time units"

# @include: values from the included file carry its path and line.
env -u COLUMNS "$CCSIM" check tests/scenarios/good/with_include.cfg >"$tmp/check" 2>&1 || bad "check with_include"
row 'network.stations\[0\].service.sd' 0.5 "tests/scenarios/good/parts/station.cfg:4"

# A base with overrides runs exactly as the base with the same values set on the command line.
"$CCSIM" run "$variant" -q -r 4 -o "$tmp/v" || bad "run $variant"
"$CCSIM" run scenarios/verify/mm1.cfg -q -r 4 -o "$tmp/m" --set horizon=20000 --set seed=11 \
    --set 'network.stations[0].servers=2' || bad "run mm1 with --set"
cmp "$tmp/v/summary.csv" "$tmp/m/summary.csv" || bad "base + overrides differ from --set"

# --set changes the result, and -r / -s are overrides like any other.
"$CCSIM" run scenarios/verify/mm1.cfg -q -r 4 -o "$tmp/m2" --set horizon=20000 -s 11 ||
    bad "run mm1 -s"
if cmp -s "$tmp/m/summary.csv" "$tmp/m2/summary.csv"; then
    bad "--set network.stations[0].servers=2 made no difference"
fi

# The results folder: every file, and the resolved scenario reproduces summary.csv exactly.
for f in summary.csv replications.csv scenario.resolved.cfg manifest.json; do
    [ -s "$tmp/v/$f" ] || bad "results folder lacks $f"
done
"$CCSIM" run "$tmp/v/scenario.resolved.cfg" -q -o "$tmp/again" || bad "run resolved"
cmp "$tmp/v/summary.csv" "$tmp/again/summary.csv" || bad "resolved scenario: summary differs"
cmp "$tmp/v/replications.csv" "$tmp/again/replications.csv" ||
    bad "resolved scenario: replications differ"
cmp "$tmp/v/scenario.resolved.cfg" "$tmp/again/scenario.resolved.cfg" >/dev/null 2>&1 &&
    bad "the second resolved file should name its own origins"
grep -q '^replications = 4;  # -r 4$' "$tmp/v/scenario.resolved.cfg" ||
    bad "resolved scenario lacks the -r override with its origin"
grep -q 'discipline = "fifo";  # default' "$tmp/v/scenario.resolved.cfg" ||
    bad "resolved scenario lacks a filled-in default"
"$CCSIM" run scenarios/verify/jackson.cfg -q -r 3 -o "$tmp/j" || bad "run jackson"
"$CCSIM" run "$tmp/j/scenario.resolved.cfg" -q -o "$tmp/j2" || bad "run jackson resolved"
cmp "$tmp/j/summary.csv" "$tmp/j2/summary.csv" || bad "jackson: resolved scenario differs"

# manifest.json names what produced the folder.
m="$tmp/v/manifest.json"
for k in ccsim_version git_revision command scenario model seed replications threads started \
    finished wall_seconds events host; do
    grep -q "^  \"$k\": " "$m" || bad "manifest.json lacks $k"
done
grep -q '"seed": 11,' "$m" || bad "manifest seed"
grep -q '"replications": 4,' "$m" || bad "manifest replications"
grep -q "\"scenario\": \"$variant\"" "$m" || bad "manifest scenario"
grep -q '"started": "20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-9:]*Z"' "$m" || bad "manifest time"
# The command, one argument a line (jansson's indented layout).
grep -A2 '^  "command": \[$' "$m" | tr -d ' \n' | grep -q '\[".*ccsim","run",' ||
    bad "manifest command"

# docs/scenarios.md is exactly what the declarations produce (make docs regenerates it).
"$CCSIM" keys >"$tmp/keys.md" || bad "ccsim keys"
cmp "$tmp/keys.md" docs/scenarios.md ||
    bad "docs/scenarios.md is out of date: run 'make docs' and commit it"
for k in horizon warmup replications seed base set servers capacity discipline patience \
    interarrival; do
    grep -q "| \`$k\` |" docs/scenarios.md || bad "docs/scenarios.md lacks $k"
done
exit $fail
