# Sourced by tools/ctest.sh and tools/arm64.sh: the core's strict C flags,
# and run_test, which runs one C test binary (through $runner, e.g. qemu,
# when set), prints its summary line and adds its counts to
# $passed/$failed.  A binary that dies without a summary counts as failed.
strict_flags=(-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
              -Wmissing-prototypes -Wvla -Werror -fno-math-errno
              -fno-trapping-math -ffp-contract=off -pthread -Icsrc/core)
runner=()
label=""
passed=0
failed=0
run_test() {
    local bin=$1 rc line p f
    ${runner[@]+"${runner[@]}"} "$bin" > "$bin.log" 2>&1
    rc=$?
    line=$(tail -n 1 "$bin.log")
    case "$line" in
        *" passed, "*" failed") ;;
        *) cat "$bin.log"; line="0 passed, 1 failed" ;;
    esac
    p=${line%% passed*}
    f=${line#*, }
    f=${f%% failed}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -ne 0 ]; then grep -v " passed, " "$bin.log" | head -n 40; fi
    echo "$(basename "$bin")$label: $line"
    passed=$((passed + p))
    failed=$((failed + f))
}
