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
# The package's Python files beside the TSan extension, and the tests beside
# them, run from build/tsan with an ini file of its own: the source tree's
# brianc (and its normal extension) is then nowhere on sys.path, not even
# for the tests' child processes, which start in the tests' parent folder.
python -c 'import shutil
skip = shutil.ignore_patterns("*.so", "__pycache__")
shutil.copytree("brianc", "build/tsan/brianc", ignore=skip, dirs_exist_ok=True)
shutil.copytree("tests/unit", "build/tsan/tests/unit", ignore=skip)'
printf '[pytest]\npythonpath = . tests/unit\n' > build/tsan/pytest.ini
cd build/tsan
export LD_PRELOAD="$(gcc -print-file-name=libtsan.so)"
python -c 'import os, sys, brianc._core as core
sys.exit(None if os.path.abspath(core.__file__).startswith(os.getcwd())
         else "tsan.sh imports %s, not the TSan build" % core.__file__)'
# pytest holds the test's stderr, and a halted process never prints it:
# the report goes to a file, shown if the run fails.
export TSAN_OPTIONS="$TSAN_OPTIONS log_path=$PWD/report"
python -m pytest -q -p no:cacheprovider \
    "${@:-tests/unit/test_threads.py}" || {
    cat report.* 2>/dev/null
    exit 1
}
