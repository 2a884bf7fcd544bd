#!/usr/bin/env bash
# Builds every tests/c/test_*.c against every csrc/core/*.c with the core's
# strict flags (needs only gcc), runs them, and prints one combined
# "N passed, N failed" line.  --asan builds with AddressSanitizer + UBSan.
set -uo pipefail
cd "$(dirname "$0")/.."
CC=${CC:-gcc}
. tools/ctest_lib.sh
flags=("${strict_flags[@]}")
out=build/ctest
if [ "${1:-}" = "--asan" ]; then
    flags+=(-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer
            -fno-sanitize-recover=undefined)
    out=build/ctest-asan
else
    flags+=(-O3)
fi
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
# The kernels written once per instruction set (kernels.h) must give the
# same bits on every path: the tests that check recorded digests and
# accuracy run again under each path this CPU has (BRIANC_ISA).
isa_paths=(baseline)
if grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo &&
   grep -qw bmi2 /proc/cpuinfo; then
    isa_paths+=(avx2)
    if grep -qw avx512f /proc/cpuinfo && grep -qw avx512dq /proc/cpuinfo; then
        isa_paths+=(avx512)
    fi
fi
for isa in "${isa_paths[@]}"; do
    for t in test_vmath test_rng test_expr_vm test_filterbank test_drnl; do
        cp "$out/$t" "$out/${t}_$isa"
        BRIANC_ISA=$isa run_test "$out/${t}_$isa"
    done
done
echo "C tests${1:+ ($1)}:"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
