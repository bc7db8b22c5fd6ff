#!/bin/sh
# Runs every cmocka suite given as an argument, then the command-line tests, and ends with
# "tests: N passed, N failed". Exit status 1 if anything failed.
pass=0
fail=0
failed=""
for t in "$@"; do
    if "$t" >"$t.log" 2>&1; then
        pass=$((pass + 1))
        echo "  PASS    $(basename "$t")"
    else
        fail=$((fail + 1))
        failed="$failed $(basename "$t")"
        echo "  FAIL    $(basename "$t") (log: $t.log)"
        tail -n 30 "$t.log"
    fi
done
for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    log="${BUILD:-build}/tests/$(basename "$t").log"
    if CCSIM="${BUILD:-build}/ccsim" sh "$t" >"$log" 2>&1; then
        pass=$((pass + 1))
        echo "  PASS    $(basename "$t")"
    else
        fail=$((fail + 1))
        failed="$failed $(basename "$t")"
        echo "  FAIL    $(basename "$t") (log: $log)"
        tail -n 30 "$log"
    fi
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
