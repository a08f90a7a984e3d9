#!/usr/bin/env bash
# tools/valgrind-tests.sh: Mica's tests under Valgrind memcheck.
#
#   tools/valgrind-tests.sh [-j N] BUILD_DIR [REGEX]   program tests and VM unit tests
#   tools/valgrind-tests.sh [-j N] --ci BUILD_DIR      the .ci/run stage: every unit
#                                                      test and the programs of
#                                                      tests/cross/ci.list
#
# BUILD_DIR is an ordinary (not sanitized) build. Program tests (tests/lang/**/NAME.mica
# whose path matches REGEX, default all; with --ci those tests/cross/ci.list names,
# which hold every opcode and std package the whole set uses) run through
# tests/runner.sh with `mica` wrapped in memcheck, so a memcheck error changes the exit
# status (99) and stderr and the test fails; Check unit tests run with CK_FORK=no
# (the unit_vm_* ones, or with --ci all of them). N tests run at once (default 2).
#
# Boehm GC: the collector scans stacks and its heap conservatively, reading words the
# program never initialised, and frees lazily. So:
#   --suppressions=tools/valgrind-boehm.supp  uninitialised-value reports inside
#                                             libgc are suppressed (in Mica's code
#                                             they are errors)
#   --leak-check=no                           leaks are the collector's business
# No GC environment variable or build option is needed. Invalid reads and writes,
# uses of uninitialised values in Mica's code, bad frees and overlaps are reported.
# Exits 0 when all pass.
#
# Time (2026-11-29, -j 2): --ci took 2 min 27 s of CPU (16 unit tests - the archive,
# compiler and verifier ones the longest - and 47 programs), so about 1.5 minutes on 2
# free cores; 7 min 46 s on the same 2 cores with other work keeping the load at 13.
# It is a stage of .ci/run. The whole set (about 290 program tests, 5 to 10 times as
# much) is not: run it by hand after changes to the VM's memory handling:
#   cmake -S . -B build && cmake --build build -j2 && tools/valgrind-tests.sh build
# Skipped: stdlib/os_process (under Valgrind, spawning a missing program "succeeds",
# so its expected IOError cannot appear; nothing to do with memory).
set -uo pipefail
jobs=2
if [ "${1:-}" = -j ]; then
    jobs=${2:?usage: valgrind-tests.sh [-j N] [--ci] BUILD_DIR [REGEX]}
    shift 2
fi
ci=no
if [ "${1:-}" = --ci ]; then
    ci=yes
    shift
fi
build=$(cd "${1:?usage: valgrind-tests.sh [-j N] [--ci] BUILD_DIR [REGEX]}" && pwd)
regex=${2:-.}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg="valgrind -q --error-exitcode=99 --suppressions=$root/tools/valgrind-boehm.supp"
vg+=" --leak-check=no"

cat > "$work/mica" <<WRAP
#!/bin/sh
exec $vg "$build/mica" "\$@"
WRAP
chmod +x "$work/mica"

# the list of tests, one "program PATH" or "unit PATH" a line
{
    if [ $ci = yes ]; then
        # the list's program tests (its examples/ and awfy/ entries are cross-test.sh's own)
        grep -v '^#' "$root/tests/cross/ci.list" | grep -v '^examples/' | grep '\.mica$' |
            sed "s|^|program $root/tests/|"
        for t in "$build"/tests/unit_*; do echo "unit $t"; done
    else
        find "$root/tests/lang" -name '*.mica' | sort | while IFS= read -r src; do
            [[ $src =~ $regex ]] && echo "program $src"
        done
        for t in "$build"/tests/unit_vm_*; do
            [[ $t =~ $regex || $regex == . ]] && echo "unit $t"
        done
    fi
} | grep -v '/stdlib/os_process\.mica$' >"$work/list"

# one test: its output goes to $work/out/N, a failure leaves $work/fail/N
mkdir -p "$work/out" "$work/fail"
export work root vg
one() {
    local n=$1 kind=$2 path=$3 log=$work/out/$1
    if [ "$kind" = program ]; then
        bash "$root/tests/runner.sh" "$work/mica" "$path" >"$log" 2>&1
    else
        CK_FORK=no $vg "$path" >"$log" 2>&1
    fi || { echo "$path" >"$work/fail/$n"; }
}
export -f one
nl -ba -w1 -s' ' "$work/list" | xargs -P "$jobs" -L 1 bash -c 'one "$@"' _

total=$(wc -l <"$work/list")
fail=0
for f in "$work"/fail/*; do
    [ -e "$f" ] || continue
    fail=$((fail + 1))
    echo "FAIL $(cat "$f")"
    head -30 "$work/out/$(basename "$f")"
done
echo "valgrind-tests: $((total - fail)) passed, $fail failed"
[ $fail -eq 0 ]
