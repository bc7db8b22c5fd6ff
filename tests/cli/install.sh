#!/bin/sh
# make install into a staged tree (DESTDIR and PREFIX), then the installed program from another
# folder: every shipped file in place, scenarios run and checked by name (their base = paths and
# data files working), a missing name naming where it was looked for, `ccsim scenarios` listing
# every shipped scenario with its question, CCSIM_SCENARIOS, --help naming the folders, the
# citation's version, and make uninstall removing everything.
. tests/cli_lib.sh
build=$(dirname "$CCSIM")
top=$(pwd)
dest="$tmp/dest"
prefix=/opt/ccsim
inst="$dest$prefix"
# The make of this test is its own: none of the calling make's flags or job server.
mk() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory BUILD="$build" \
        DESTDIR="$dest" PREFIX="$prefix" "$@"
}
mk install >"$tmp/install.log" 2>&1 || {
    bad "make install failed:"
    cat "$tmp/install.log"
    exit 1
}

# Every file of scenarios/ in the same folders; the documents; the program and its page.
(cd scenarios && find . -type f ! -name '.*' | sort) >"$tmp/shipped"
(cd "$inst/share/ccsim/scenarios" && find . -type f | sort) >"$tmp/installed"
cmp -s "$tmp/shipped" "$tmp/installed" || {
    bad "installed scenarios differ from scenarios/:"
    diff "$tmp/shipped" "$tmp/installed"
}
for f in bin/ccsim share/man/man1/ccsim.1 share/doc/ccsim/README.md share/doc/ccsim/LICENSE \
    share/doc/ccsim/CITATION.cff share/doc/ccsim/docs/model.md share/doc/ccsim/docs/scenarios.md \
    share/doc/ccsim/docs/validation.md share/ccsim/scenarios/care/baseline_state.csv \
    share/ccsim/scenarios/care/targets.csv share/ccsim/scenarios/validation/trials.csv; do
    [ -s "$inst/$f" ] || bad "make install did not put $prefix/$f"
done
for f in docs/*.md docs/figures/*; do
    cmp -s "$f" "$inst/share/doc/ccsim/$f" || bad "installed $f differs or is missing"
done
[ -x "$inst/bin/ccsim" ] || bad "installed ccsim is not executable"
[ -f "$inst/share/doc/ccsim/scenarios/care/baseline.cfg" ] ||
    bad "the documents' link to the scenarios does not lead to them"
cc="$inst/bin/ccsim"

# From another folder, with no scenario folder named: the installed scenarios by name.
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
unset CCSIM_SCENARIOS
short="-r 2 -q --set horizon=730 --set warmup=365"
# shellcheck disable=SC2086
"$cc" run care/baseline $short -o out >"$tmp/run.log" 2>&1 || {
    bad "installed ccsim run care/baseline from another folder failed:"
    cat "$tmp/run.log"
}
[ -s out/summary.csv ] || bad "run care/baseline wrote no summary.csv"
grep -q "^admissions," out/summary.csv || bad "run care/baseline: no admissions rate"
grep -q "\"scenario\": \"$inst/share/ccsim/scenarios/care/baseline.cfg\"" out/manifest.json ||
    bad "the manifest does not name the installed scenario file"
# With .cfg; a base = file beside it; a base two folders away with the region's state.
# shellcheck disable=SC2086
"$cc" compare care/baseline.cfg care/beds_minus_2 $short >"$tmp/cmp.log" 2>&1 ||
    bad "installed compare care/baseline.cfg care/beds_minus_2 failed: $(tail -n 3 "$tmp/cmp.log")"
"$cc" check validation/region_no_crisis_team -r 2 --set horizon=730 --set warmup=365 >"$tmp/chk.log" 2>&1 ||
    bad "installed check validation/region_no_crisis_team failed: $(tail -n 3 "$tmp/chk.log")"
grep -q "^$inst/share/ccsim/scenarios/validation/region_no_crisis_team.cfg: valid" "$tmp/chk.log" ||
    bad "check validation/region_no_crisis_team: not the installed file: $(head -n 1 "$tmp/chk.log")"

# A name found nowhere: exit 2, naming the files looked for.
"$cc" run care/no_such -q >"$tmp/miss.log" 2>&1
rc=$?
[ "$rc" -eq 2 ] || bad "run care/no_such exited $rc, expected 2"
grep -q "care/no_such: no such scenario" "$tmp/miss.log" || bad "no 'no such scenario' message"
grep -q "$inst/share/ccsim/scenarios/care/no_such.cfg" "$tmp/miss.log" ||
    bad "the message does not say where it looked: $(cat "$tmp/miss.log")"
# An explicit path is never looked up.
"$cc" run ./care/baseline -q >"$tmp/explicit.log" 2>&1
[ $? -eq 2 ] && grep -q "cannot read the scenario" "$tmp/explicit.log" ||
    bad "./care/baseline was looked up, or not refused: $(cat "$tmp/explicit.log")"

# ccsim scenarios: every shipped scenario, under its folder, with a question.
"$cc" scenarios >"$tmp/list" 2>&1 || bad "installed ccsim scenarios failed"
grep -q "^[0-9]* scenarios in $inst/share/ccsim/scenarios " "$tmp/list" ||
    bad "ccsim scenarios does not name the installed folder: $(head -n 1 "$tmp/list")"
awk '/^[^ ].*\/$/ { dir = substr($0, 1, length($0) - 1); next }
     /^  [^ ]/ && dir != "" { print "./" dir "/" $1 ".cfg" }' "$tmp/list" | sort >"$tmp/listed"
(cd "$top/scenarios" && find . -name '*.cfg' | sort) >"$tmp/cfgs"
cmp -s "$tmp/cfgs" "$tmp/listed" || {
    bad "ccsim scenarios does not list exactly the shipped scenarios:"
    diff "$tmp/cfgs" "$tmp/listed"
}
if awk '/^  [^ ]/ && NF < 2 { exit 1 }' "$tmp/list"; then :; else
    bad "a scenario is listed without its question"
fi
# The question is the file's own: mm1's, from its "Question:" line, up to the question mark.
q=$(sed -n 's/^# Question: \([^?]*?\).*/\1/p' "$top/scenarios/verify/mm1.cfg")
[ -n "$q" ] || bad "scenarios/verify/mm1.cfg states no question on a Question: line"
first=$(printf '%s' "$q" | cut -c1 | tr '[:lower:]' '[:upper:]')
grep -qF "mm1  " "$tmp/list" && grep -F "  mm1 " "$tmp/list" | grep -qF "$first$(printf '%s' "$q" | cut -c2-)" ||
    bad "mm1 is not listed with its question '$q'"

# --help names the installed folders.
"$cc" --help >"$tmp/help" 2>&1
grep -q "^  $inst/share/ccsim/scenarios (the one installed with this program)" "$tmp/help" ||
    bad "--help does not name the installed scenarios folder"
grep -q "^  $inst/share/doc/ccsim$" "$tmp/help" || bad "--help does not name the documents"
grep -q "CCSIM_SCENARIOS" "$tmp/help" || bad "--help does not say how to name another folder"

# CCSIM_SCENARIOS names another folder, for runs and for the list.
mkdir -p "$tmp/mine/queues"
cat >"$tmp/mine/queues/tiny.cfg" <<EOF
# A tiny queue.
# Question: does a scenario of my own run by name?
base = "$inst/share/ccsim/scenarios/verify/mm1.cfg";
horizon = 2000.0;
warmup = 100.0;
EOF
CCSIM_SCENARIOS="$tmp/mine" "$cc" run queues/tiny -q -r 2 >"$tmp/mine.log" 2>&1 ||
    bad "CCSIM_SCENARIOS: run queues/tiny failed: $(tail -n 3 "$tmp/mine.log")"
CCSIM_SCENARIOS="$tmp/mine" "$cc" scenarios >"$tmp/mine.list" 2>&1
grep -q "^  tiny  *Does a scenario of my own run by name?$" "$tmp/mine.list" ||
    bad "CCSIM_SCENARIOS: ccsim scenarios does not list tiny: $(cat "$tmp/mine.list")"
CCSIM_SCENARIOS="$tmp/mine" "$cc" check care/baseline >"$tmp/mine.miss" 2>&1
[ $? -eq 2 ] && grep -q "$tmp/mine/care/baseline.cfg" "$tmp/mine.miss" ||
    bad "CCSIM_SCENARIOS: care/baseline not refused there: $(cat "$tmp/mine.miss")"
"$cc" scenarios --dir "$tmp/mine" | grep -q "^queues/$" || bad "scenarios --dir DIR"
cd "$top" || exit 1

# The citation's version is the program's.
v=$("$cc" --version | awk '{ print $2 }')
grep -q "^version: $v$" CITATION.cff || bad "CITATION.cff does not give version $v"
grep -q "^license: GPL-3.0-or-later$" CITATION.cff || bad "CITATION.cff licence"
grep -q "GNU GENERAL PUBLIC LICENSE" LICENSE && grep -q "Version 3, 29 June 2007" LICENSE ||
    bad "LICENSE is not the GPL version 3"

# make uninstall leaves nothing behind.
mk uninstall >"$tmp/uninstall.log" 2>&1 || bad "make uninstall failed: $(cat "$tmp/uninstall.log")"
left=$(find "$dest" ! -type d | head -n 5)
[ -z "$left" ] || bad "make uninstall left: $left"
exit $fail
