#!/usr/bin/env bash
# The threaded code under ThreadSanitizer: the C tests of the pool, groups,
# networks and connections, then the Python thread tests against a TSan
# build of the extension (runtime preloaded, as for tools/asan.sh).  Any
# race report fails the script.  Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
flags=(-std=c11 -Wall -Wextra -Werror -fno-math-errno -fno-trapping-math
       -ffp-contract=off -pthread -Icsrc/core -O1 -g -fsanitize=thread
       -DBC_NO_CLONES)
out=build/ctest-tsan
rm -rf "$out"
mkdir -p "$out"
for src in csrc/core/*.c; do
    gcc "${flags[@]}" -c "$src" -o "$out/$(basename "${src%.c}").o"
done
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
for t in thread_pool neuron_group network connection random_rows; do
    gcc "${flags[@]}" "tests/c/test_$t.c" "$out"/*.o -lm -o "$out/test_$t"
    (cd tests/c && "../../$out/test_$t" | tail -n 1)
done
rm -rf build/tsan
mkdir -p build/tsan
BRIANC_SANITIZE=thread python setup.py -q build_ext \
    --build-temp build/tsan-tmp --build-lib build/tsan
cp brianc/*.py build/tsan/brianc/
# pytest holds the test's stderr, and a halted process never prints it:
# the report goes to a file, shown if the run fails.
export TSAN_OPTIONS="$TSAN_OPTIONS log_path=$PWD/build/tsan/report"
export LD_PRELOAD="$(gcc -print-file-name=libtsan.so)"
export PYTHONPATH=build/tsan
python -m pytest -q -o pythonpath=build/tsan -p no:cacheprovider \
    "${@:-tests/unit/test_threads.py}" || {
    cat build/tsan/report.* 2>/dev/null
    exit 1
}
