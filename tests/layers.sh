#!/bin/sh
# Includes go downward only: sim/ knows nothing of models/, analysis/ or cli/; models/ nothing
# of analysis/ or cli/; analysis/ sees models/ only through models/model.h.
fail=0
check() { # check DIR FORBIDDEN-PATTERN
    if grep -n -E "#include \"($2)" "$1"/*.[ch] 2>/dev/null; then
        echo "layers: $1/ includes from a layer above it (above)"
        fail=1
    fi
}
check sim 'models/|analysis/|cli/|tests/'
check models 'analysis/|cli/|tests/'
check analysis 'cli/|tests/'
if grep -n '#include "models/' analysis/*.[ch] | grep -v 'models/model.h'; then
    echo "layers: analysis/ may include only models/model.h of models/"
    fail=1
fi
[ $fail -eq 0 ] && echo "layers: ok"
exit $fail
