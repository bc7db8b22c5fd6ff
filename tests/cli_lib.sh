# Shared start of the command-line tests (sourced, not run): strict variables, the ccsim under
# test, a scratch folder removed on exit, and bad() to record a failure and carry on.
set -u
CCSIM=${CCSIM:-build/ccsim}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}
# The care region a test runs: the three-year fixture (tests/fixtures/care), or with
# CCSIM_FULL=1 (make verify) the shipped baseline (15 years from its state: 5 of warm-up, 10 observed), for
# the same checks at full length.
# care_weeks: the weeks of its weekly series.
if [ "${CCSIM_FULL:-0}" = 1 ]; then
    care=scenarios/care/baseline.cfg
    care_weeks=782
    # A shorter baseline, for the tests that need the full region's dynamics but not fifteen years.
    care_short=""
else
    care=tests/fixtures/care/baseline.cfg
    care_weeks=157
    care_short="--set horizon=2200 --set warmup=1100"
fi
# text_report DIR [OPTION]...: ccsim report without drawing the figures (no gnuplot: the page
# says they are missing), for the checks of a page's text. Drawing is most of the CPU of a short
# run's report; plot.sh and report.sh check the figures themselves.
text_report() {
    CCSIM_GNUPLOT=/nonexistent/gnuplot "$CCSIM" report "$@"
}
