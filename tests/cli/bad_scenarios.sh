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
        if [ -e "$tmp/out" ] || ls -a "$tmp" | grep -q partial; then
            echo "FAIL $cmd $cfg: a results folder appeared"
            fail=1
        fi
    done
done
[ "$n" -ge 40 ] || { echo "FAIL: only $n bad scenarios"; fail=1; }
echo "bad scenarios: $n checked"
exit $fail
