#!/usr/bin/env bash
# The test suite against an AddressSanitizer + UBSan build of the extension.
# The sanitizer runtime must load before the interpreter (LD_PRELOAD), and
# leak detection is off: CPython's deliberate exit-time leaks would drown
# the report.  Extra arguments go to pytest (default: the unit tests).
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
bash tools/ctest.sh --asan
rm -rf build/asan
mkdir -p build/asan
BRIANC_SANITIZE=1 python setup.py -q build_ext --build-temp build/asan-tmp \
    --build-lib build/asan
cp brianc/*.py build/asan/brianc/
export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS=detect_leaks=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export PYTHONPATH=build/asan
python -m pytest -o pythonpath=build/asan -p no:cacheprovider "${@:-tests/unit}"
