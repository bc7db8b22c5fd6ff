#!/bin/sh
# Every scenario in tests/scenarios/bad/ has one mistake (or, for several_problems, several);
# NAME.args, when present, holds extra command-line words (a bad --set, say) for NAME.cfg.
# Files under tests/scenarios/bad/parts/ are bases and includes used by the cases.
# Both `ccsim run` and `ccsim check` must exit with status 2, print exactly the lines in the
# matching .expected file on stderr (file:line: key: problem (allowed), then a count), print
# nothing on stdout, and create no results folder.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
n=0
for cfg in tests/scenarios/bad/*.cfg; do
    n=$((n + 1))
    exp="${cfg%.cfg}.expected"
    args=""
    [ -f "${cfg%.cfg}.args" ] && args=$(cat "${cfg%.cfg}.args")
    for cmd in run check; do
        if [ "$cmd" = run ]; then
            # shellcheck disable=SC2086 # args are words on purpose
            "$CCSIM" run "$cfg" -q -o "$tmp/out" $args >"$tmp/stdout" 2>"$tmp/stderr"
        else
            # shellcheck disable=SC2086
            "$CCSIM" check "$cfg" $args >"$tmp/stdout" 2>"$tmp/stderr"
        fi
        rc=$?
        if [ "$rc" -ne 2 ]; then
            echo "FAIL $cmd $cfg: exit status $rc, expected 2"
            fail=1
        fi
        if ! cmp -s "$exp" "$tmp/stderr"; then
            echo "FAIL $cmd $cfg: messages differ from $exp:"
            diff "$exp" "$tmp/stderr"
            fail=1
        fi
        if [ -s "$tmp/stdout" ]; then
            echo "FAIL $cmd $cfg: wrote to stdout"
            fail=1
        fi
        if [ -e "$tmp/out" ] || ls -a "$tmp" | grep -q "ccsim-"; then
            echo "FAIL $cmd $cfg: a results folder appeared"
            fail=1
        fi
    done
done
# Cases that cannot live in the repository: a FIFO (as the scenario, a base and an @include,
# also through "link/.."), which must be refused without blocking, and texts over the size
# limits (a string over 64 KiB, a file over 1 MiB), refused before parsing.
gen="$tmp/gen"
mkdir -p "$gen/real/sub"
mkfifo "$gen/real/fifo"
ln -s real/sub "$gen/sub"
printf 'base = "real/fifo";\n' >"$gen/base_fifo.cfg"
printf 'horizon = 800.0;\n@include "sub/../fifo"\n' >"$gen/include_fifo.cfg"
printf 'horizon = 800.0;\n' >"$gen/fifo" # what "sub/../fifo" would name if ".." were lexical
awk 'BEGIN { printf "horizon = 800.0;\nname = \""; for (i = 0; i < 65537; i++) printf "x"; printf "\";\n" }' \
    >"$gen/long_string.cfg"
awk 'BEGIN { for (i = 0; i < 70000; i++) printf "# padding line %07d\n", i }' >"$gen/big.cfg"
gen_case() { # NAME FILE EXPECTED-LINE
    n=$((n + 1))
    timeout 10 "$CCSIM" check "$2" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    [ "$rc" -eq 2 ] || { echo "FAIL $1: exit status $rc, expected 2"; fail=1; }
    if [ "$(head -n 1 "$tmp/stderr")" != "$3" ]; then
        echo "FAIL $1: got '$(head -n 1 "$tmp/stderr")', expected '$3'"
        fail=1
    fi
}
gen_case fifo_scenario "$gen/real/fifo" \
    "$gen/real/fifo: cannot read the scenario: a FIFO, not a regular file"
gen_case base_fifo "$gen/base_fifo.cfg" \
    "$gen/base_fifo.cfg:1: base: cannot read $gen/real/fifo: a FIFO, not a regular file (a scenario file, relative to $gen)"
gen_case include_fifo_through_link "$gen/include_fifo.cfg" \
    "$gen/include_fifo.cfg:2: @include \"sub/../fifo\": cannot read $gen/sub/../fifo: a FIFO, not a regular file (a file relative to $gen)"
gen_case long_string "$gen/long_string.cfg" \
    "$gen/long_string.cfg:2: name: a string of more than 65536 bytes (a string holds at most 65536 bytes, 64 KiB)"
gen_case big_file "$gen/big.cfg" \
    "$gen/big.cfg: cannot read the scenario: 1610000 bytes, more than a scenario file may hold (1048576 bytes, 1 MiB)"

[ "$n" -ge 40 ] || { echo "FAIL: only $n bad scenarios"; fail=1; }
echo "bad scenarios: $n checked"
exit $fail
