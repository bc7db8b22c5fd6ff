#!/bin/sh
# Every scenario in tests/scenarios/bad/ has one mistake (or, for several_problems, several).
# ccsim must exit with status 2, print exactly the lines in the matching .expected file on
# stderr (file:line: key: problem (allowed), then a count), and create no results folder.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for cfg in tests/scenarios/bad/*.cfg; do
    n=$((n + 1))
    exp="${cfg%.cfg}.expected"
    "$CCSIM" run "$cfg" -q -o "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ "$rc" -ne 2 ]; then
        echo "FAIL $cfg: exit status $rc, expected 2"
        fail=1
    fi
    if ! cmp -s "$exp" "$tmp/stderr"; then
        echo "FAIL $cfg: messages differ from $exp:"
        diff "$exp" "$tmp/stderr"
        fail=1
    fi
    if [ -s "$tmp/stdout" ]; then
        echo "FAIL $cfg: wrote to stdout"
        fail=1
    fi
    if [ -e "$tmp/out" ] || ls -a "$tmp" | grep -q partial; then
        echo "FAIL $cfg: a results folder appeared"
        fail=1
    fi
done
[ "$n" -ge 30 ] || { echo "FAIL: only $n bad scenarios"; fail=1; }
echo "bad scenarios: $n checked"
exit $fail
