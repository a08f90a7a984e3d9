#!/usr/bin/env bash
# tools/valgrind-tests.sh: the program tests and the VM unit tests under Valgrind memcheck.
#
#   tools/valgrind-tests.sh BUILD_DIR [REGEX]
#
# BUILD_DIR is an ordinary (not sanitized) build. Every tests/lang/**/NAME.mica whose
# path matches REGEX (default: all) runs through tests/runner.sh with `mica`
# wrapped in memcheck, so a memcheck error changes the exit status (99) and stderr and
# the test fails; unit tests run with CK_FORK=no. Boehm GC scans memory conservatively,
# which reads words the program never initialised, so the setup is:
#   --undef-value-errors=no   (Boehm's stack and heap scans, not Mica bugs)
#   --leak-check=no           (the collector frees lazily; leaks are its business)
# Invalid reads/writes, bad frees and overlaps are still reported. Exits 0 when all pass.
# Not part of .ci/run: it runs one test at a time, about 1.2 s of CPU per program test
# under memcheck (282 program tests: some 6 minutes of CPU before the unit tests), which
# the CI budget of 30 minutes on 2 cores cannot spare next to its other stages. Run it
# by hand after changes to the VM's memory handling:
#   cmake -S . -B build && cmake --build build -j2 && tools/valgrind-tests.sh build
# Skipped: stdlib/os_process (under Valgrind, spawning a missing program "succeeds",
# so its expected IOError cannot appear; nothing to do with memory).
set -uo pipefail
build=$(cd "${1:?usage: valgrind-tests.sh BUILD_DIR [REGEX]}" && pwd)
regex=${2:-.}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vg=(valgrind -q --error-exitcode=99 --undef-value-errors=no --leak-check=no)

cat > "$work/mica" <<WRAP
#!/bin/sh
exec ${vg[*]} "$build/mica" "\$@"
WRAP
chmod +x "$work/mica"

pass=0; fail=0
while IFS= read -r src; do
    [[ $src =~ $regex ]] || continue
    [[ $src == */stdlib/os_process.mica ]] && continue
    if out=$(bash "$root/tests/runner.sh" "$work/mica" "$src" 2>&1); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL $src"; echo "$out" | head -20
    fi
done < <(find "$root/tests/lang" -name '*.mica' | sort)

for t in "$build"/tests/unit_vm_*; do
    [[ $t =~ $regex || $regex == . ]] || continue
    if out=$(CK_FORK=no "${vg[@]}" "$t" 2>&1); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL $t"; echo "$out" | tail -20
    fi
done
echo "valgrind-tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
