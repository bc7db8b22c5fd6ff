#!/bin/sh
# Golden results: the short cases of tests/golden/cases.sh give exactly the files kept in
# tests/golden/ (the diff is printed when they differ). tests/golden/README.md says when
# regenerating them with `make golden` is legitimate.
. tests/cli_lib.sh
sh tests/golden/cases.sh "$CCSIM" "$tmp/now" || bad "a golden case did not run"
for d in tests/golden/*/; do
    name=$(basename "$d")
    [ -d "$tmp/now/$name" ] || bad "golden case $name gave no results"
done
if ! diff -r -u tests/golden "$tmp/now" -x README.md -x cases.sh >"$tmp/diff"; then
    bad "results differ from tests/golden/ (make golden regenerates them; see tests/golden/README.md):"
    head -n 200 "$tmp/diff"
fi
exit $fail
