#!/usr/bin/env bash
# Cross-builds the C core and its C tests for aarch64 with Debian's
# gcc-aarch64-linux-gnu and runs them under qemu-aarch64 (user mode), with
# the core's strict flags; then compiles the binding (csrc/py) against the
# build machine's Python and NumPy headers for aarch64 (compile only), to
# show that no x86 intrinsics leak into the extension.  Skips (exit 0,
# with a message) when the cross tools are absent:
#   apt-get install gcc-aarch64-linux-gnu qemu-user libc6-dev-arm64-cross
set -uo pipefail
cd "$(dirname "$0")/.."
CC=${ARM64_CC:-aarch64-linux-gnu-gcc}
QEMU=${ARM64_QEMU:-qemu-aarch64}
SYSROOT=${ARM64_SYSROOT:-/usr/aarch64-linux-gnu}
if ! command -v "$CC" > /dev/null || ! command -v "$QEMU" > /dev/null; then
    echo "arm64.sh: $CC or $QEMU missing, skipped"
    exit 0
fi
. tools/ctest_lib.sh
flags=("${strict_flags[@]}" -O2)
runner=("$QEMU" -L "$SYSROOT")
label=" (aarch64)"
out=build/arm64
mkdir -p "$out"
objs=()
for src in csrc/core/*.c; do
    obj="$out/$(basename "${src%.c}").o"
    "$CC" "${flags[@]}" -c "$src" -o "$obj" || exit 1
    objs+=("$obj")
done
for test in tests/c/test_*.c; do
    bin="$out/$(basename "${test%.c}")"
    "$CC" "${flags[@]}" "$test" "${objs[@]}" -o "$bin" -lm || exit 1
    run_test "$bin"
done
# The binding: compile every csrc/py file for aarch64 against this
# machine's Python and NumPy headers (their pyconfig.h is x86-64's, but
# the sizes agree on both LP64 targets); compile only.
py_inc=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])' 2>/dev/null)
np_inc=$(python3 -c 'import numpy; print(numpy.get_include())' 2>/dev/null)
if [ -n "$py_inc" ] && [ -n "$np_inc" ]; then
    for src in csrc/py/*.c; do
        "$CC" -std=c11 -Wall -Wextra -Werror -fno-math-errno \
            -fno-trapping-math -ffp-contract=off -pthread -O2 -fPIC \
            -Icsrc/core -Icsrc/py -I"$py_inc" -I"$np_inc" \
            -c "$src" -o "$out/py_$(basename "${src%.c}").o" || {
            echo "arm64.sh: $src does not build for aarch64" >&2
            failed=$((failed + 1))
        }
    done
    echo "binding (csrc/py) compiles for aarch64"
else
    echo "arm64.sh: no Python/NumPy headers, binding not checked"
fi
echo "C tests (aarch64 under qemu):"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
