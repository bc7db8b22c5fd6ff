#!/bin/sh
# The command line: help, version, bad options (exit 2, a clear message), results folders that
# exist already (refused without --force, replaced with it), and the summary table.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
scn=scenarios/verify/mm1.cfg

expect() { # expect STATUS PATTERN -- command...
    want=$1
    pat=$2
    shift 3
    "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL: '$*' exited $rc, expected $want"
        cat "$tmp/out"
        fail=1
    elif ! grep -q -- "$pat" "$tmp/out"; then
        echo "FAIL: '$*' did not print '$pat':"
        cat "$tmp/out"
        fail=1
    fi
}

expect 0 "usage: ccsim" -- "$CCSIM" --help
expect 0 "usage: ccsim run" -- "$CCSIM" run --help
expect 0 "^ccsim [0-9]" -- "$CCSIM" --version
expect 2 "usage: ccsim" -- "$CCSIM"
expect 2 "unknown command 'walk'" -- "$CCSIM" walk
# A mistyped command or option: the one meant, exit status 2 as for every usage error.
expect 2 "unknown command 'compar'; did you mean 'compare'?" -- "$CCSIM" compar
expect 2 "unknown command 'sens'; did you mean 'sensitivity'?" -- "$CCSIM" sens
expect 2 "unknown option '--replicatons'; did you mean '--replications'?" -- \
    "$CCSIM" run "$scn" --replicatons 3
expect 2 "unknown option '--replicatons=3'; did you mean '--replications'?" -- \
    "$CCSIM" compare "$scn" "$scn" --replicatons=3
expect 2 "validate: unexpected argument '--fre'; did you mean '--free'?" -- "$CCSIM" validate --fre
"$CCSIM" walk 2>&1 | grep -q "did you mean" && { echo "FAIL: a suggestion for 'walk'"; fail=1; }
expect 2 "run: no scenario file given" -- "$CCSIM" run
expect 2 "unknown option '--fast'" -- "$CCSIM" run "$scn" --fast
expect 2 "\-r: 'ten' is not a whole number (integer 1..1000000)" -- "$CCSIM" run "$scn" -r ten
expect 2 "\-r: 0 is out of range (integer 1..1000000)" -- "$CCSIM" run "$scn" -r 0
expect 2 "\-j: 0 is out of range (integer 1..256)" -- "$CCSIM" run "$scn" -j 0
expect 2 "\-o: needs a folder name" -- "$CCSIM" run "$scn" -o
expect 2 "missing.cfg: cannot read the scenario: No such file or directory" -- \
    "$CCSIM" run "$tmp/missing.cfg"
touch "$tmp/afile"
expect 2 "$tmp/afile is not a folder" -- "$CCSIM" run "$scn" -o "$tmp/afile/out"
# Missing parent folders are created for a run that goes ahead, and only then.
expect 2 "unknown option" -- "$CCSIM" run "$scn" -o "$tmp/new/deeper/out" --bogus
[ ! -e "$tmp/new" ] || { echo "FAIL: a refused run created folders"; fail=1; }
"$CCSIM" run "$scn" -q -r 2 -o "$tmp/new/deeper/out" || { echo "FAIL: nested run"; fail=1; }
[ -s "$tmp/new/deeper/out/summary.csv" ] || { echo "FAIL: nested results folder"; fail=1; }

# A command that writes a folder ends with "wrote DIR in N s" on stderr, and not with -q.
closing() { # closing NAME QUIET -- command...: the closing line of the folder $tmp/NAME
    name=$1
    quiet=$2
    shift 3
    "$@" >/dev/null 2>"$tmp/err" || { echo "FAIL: '$*' failed"; cat "$tmp/err"; fail=1; }
    n=$(grep -cE "^ccsim: wrote $tmp/$name in [0-9]+(\.[0-9])? s( \([0-9]+ min\))?\$" "$tmp/err")
    if [ "$quiet" = no ] && [ "$n" -ne 1 ]; then
        echo "FAIL: '$*': no closing line 'wrote $tmp/$name in N s':"
        cat "$tmp/err"
        fail=1
    elif [ "$quiet" = yes ] && [ -s "$tmp/err" ]; then
        echo "FAIL: '$*' with -q wrote to stderr:"
        cat "$tmp/err"
        fail=1
    fi
}
closing c1 no -- "$CCSIM" run "$scn" -r 2 --no-plots -o "$tmp/c1"
closing c2 yes -- "$CCSIM" run "$scn" -r 2 --no-plots -q -o "$tmp/c2"
closing c3 no -- "$CCSIM" compare "$scn" tests/scenarios/good/variant.cfg -r 2 --no-plots \
    --set horizon=2000 -o "$tmp/c3"
closing c4 no -- "$CCSIM" sweep "$scn" --vary "network.stations[0].servers=1:2:1" -r 2 \
    --no-plots -o "$tmp/c4"
"$CCSIM" run "$scn" -r 2 2>&1 >/dev/null | grep -q "wrote" &&
    { echo "FAIL: a closing line without a folder"; fail=1; }

# keys prints integers as integers (the largest seed in full), and no number in e-notation.
"$CCSIM" keys >"$tmp/keys" || { echo "FAIL: ccsim keys"; fail=1; }
grep -qF '| `seed` | integer 0..9223372036854775807 | `1` |' "$tmp/keys" ||
    { echo "FAIL: keys: the seed's range is not in whole numbers"; fail=1; }
! grep -E '[0-9]e[+-]?[0-9]' "$tmp/keys" || { echo "FAIL: keys: a number in e-notation"; fail=1; }

# The table: a header and one row per metric with a 95% interval.
expect 0 "q.utilisation" -- "$CCSIM" run "$scn" -q -r 3 --replications=3
expect 0 "95% confidence interval" -- "$CCSIM" run "$scn" -q -r 3

# Results folders: created complete, refused when present, replaced with --force.
"$CCSIM" run "$scn" -q -r 3 -o "$tmp/res" || fail=1
[ "$(head -n 1 "$tmp/res/summary.csv")" = "metric,mean,sd,ci_low,ci_high,n,unit,label,headline,better" ] || {
    echo "FAIL: summary.csv header"
    fail=1
}
[ "$(wc -l <"$tmp/res/replications.csv")" -eq 4 ] || {
    echo "FAIL: replications.csv should have a header and 3 rows"
    fail=1
}
expect 2 "exists already; choose another folder, or add --force" -- \
    "$CCSIM" run "$scn" -q -r 3 -o "$tmp/res"
cp "$tmp/res/summary.csv" "$tmp/summary.before"
"$CCSIM" run "$scn" -q -r 4 -o "$tmp/res" --force || fail=1
if cmp -s "$tmp/summary.before" "$tmp/res/summary.csv"; then
    echo "FAIL: --force did not replace the folder"
    fail=1
fi
if ls -a "$tmp" | grep -q "ccsim-"; then
    echo "FAIL: a partial folder was left behind"
    fail=1
fi
exit $fail
