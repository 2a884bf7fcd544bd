#!/usr/bin/env bash
# The whole test suite, exactly what CI runs: a virtual environment with
# brianc and its test extras, the layering check, the C core's tests (plain
# and under AddressSanitizer + UBSan), pytest, then the threaded code under
# ThreadSanitizer (tools/tsan.sh).  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
# Development builds treat compiler warnings as errors (setup.py).
export BRIANC_WERROR=1
. tools/venv.sh
# The core layer is plain C: no Python or NumPy headers (STYLE.md 1).
if grep -rln -e 'Python\.h' -e 'numpy/' csrc/core; then
    echo "csrc/core must not include Python or NumPy headers" >&2
    exit 1
fi
bash tools/ctest.sh
bash tools/ctest.sh --asan
python -m pytest "$@"
bash tools/tsan.sh
