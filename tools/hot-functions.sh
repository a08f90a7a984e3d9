#!/usr/bin/env bash
# tools/hot-functions.sh: writes cmake/hot-functions.txt, the order in which the build
# places the binary's code and embedded data at link time (MICA_HOT_ORDER in
# CMakeLists.txt), so that a run pages in a few 64 KiB blocks of the binary instead of
# all of it (the kernel maps a file's pages in such blocks around each page touched).
#
#   tools/hot-functions.sh BUILD_DIR > cmake/hot-functions.txt
#
# BUILD_DIR is a native build with debug information (the default RelWithDebInfo). The
# runs are under valgrind's callgrind, and the list has four groups, each adding only
# what the groups before it lack, so that a run touches a prefix of the list:
#   1. what every run of compiled classes executes: the Are-We-Fast-Yet benchmarks of
#      bench/awfy at small sizes, `mica run --jit=off -cp`: loading, verifying,
#      interpreting, the natives they call;
#   2. `.text`: the code of libgc's and libffi's archives (no section per function),
#      which every run uses;
#   3. what the JIT adds: the same runs with --jit=on and --jit=always;
#   4. what compiling source adds: `mica run examples/hello.mica`.
# Then `.rodata.std_data`, the embedded standard library (tools/embed.c), last of the
# read-only data: its first classes, std.core, sit next to the VM's own constants.
# Names sort within each group so that a regenerated list diffs well. Rerun after large
# changes to start-up paths; a stale list only costs memory, never correctness.
set -euo pipefail
build=$(cd "${1:?usage: hot-functions.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mica=$build/mica

# the functions of one run, one name a line (clone suffixes kept: .part.0, .isra.0)
profile() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$mica" "$@" \
        >/dev/null 2>&1 || true
    callgrind_annotate --threshold=100 "$work/cg.out" 2>/dev/null |
        grep -F "[$mica]" | grep -vF '???:' |
        sed -E "s/.*:([A-Za-z_][A-Za-z_0-9.]*)('[0-9]+)? \[.*/\1/" | sort -u
}

"$mica" build -d "$work/awfy" "$root/bench/awfy" >/dev/null
benches=("Bounce 1 20" "List 1 20" "Mandelbrot 1 10" "NBody 1 100" "Permute 1 10"
         "Queens 1 10" "Sieve 1 10" "Storage 1 10" "Towers 1 20" "CD 1 10"
         "DeltaBlue 1 100" "Havlak 1 1" "Json 1 2" "Richards 1 2")
: >"$work/off"
: >"$work/on"
for b in "${benches[@]}"; do
    # shellcheck disable=SC2086
    profile run --jit=off -cp "$work/awfy" Harness $b >>"$work/off"
    for jit in on always; do
        # shellcheck disable=SC2086
        profile run --jit=$jit -cp "$work/awfy" Harness $b >>"$work/on"
    done
done
profile run "$root/examples/hello.mica" >"$work/hello"
sort -u "$work/off" >"$work/g1"
sort -u "$work/on" | comm -23 - "$work/g1" >"$work/g3"
sort -u "$work/g1" "$work/g3" >"$work/g13"
comm -23 "$work/hello" "$work/g13" >"$work/g4"

echo "# cmake/hot-functions.txt: written by tools/hot-functions.sh (its header says how)."
echo "# The link (MICA_HOT_ORDER) places these sections in this order: a name is a"
echo "# function (.text.NAME), a line starting with '.' a section as it is."
echo "# 1. every run of compiled classes: Are-We-Fast-Yet, small sizes, --jit=off"
cat "$work/g1"
echo "# 2. libgc and libffi"
echo ".text"
echo "# 3. the JIT: the same runs, --jit=on and --jit=always"
cat "$work/g3"
echo "# 4. compiling source: mica run examples/hello.mica"
cat "$work/g4"
echo "# the embedded standard library, after the VM's own read-only data"
echo ".rodata.std_data"
