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
