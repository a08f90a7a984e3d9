#!/usr/bin/env bash
# tools/hot-functions.sh: writes cmake/hot-functions.txt, the functions that short runs
# execute, which the build places together at link time (MICA_HOT_ORDER in
# CMakeLists.txt) so that a run pages in a few blocks of the binary's code instead of
# all of it.
#
#   tools/hot-functions.sh BUILD_DIR > cmake/hot-functions.txt
#
# BUILD_DIR is a native build with debug information (the default RelWithDebInfo). The
# runs, under valgrind's callgrind: `mica run examples/hello.mica` (its functions come
# first: every run starts with them), then a few Are-We-Fast-Yet benchmarks of
# bench/awfy at small sizes with the JIT on and off. Only Mica's own functions are
# listed (libgc's and libffi's archives have no section per function). Names sort
# within each group so that a regenerated list diffs well. Rerun after large changes to
# start-up paths; a stale list only costs memory, never correctness.
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

profile run "$root/examples/hello.mica" >"$work/hello"
"$mica" build -d "$work/awfy" "$root/bench/awfy" >/dev/null
: >"$work/more"
for b in "Towers 1 20" "Richards 1 2" "Json 1 2" "DeltaBlue 1 100" "Bounce 1 20"; do
    for jit in off on; do
        # shellcheck disable=SC2086
        profile run --jit=$jit -cp "$work/awfy" Harness $b >>"$work/more"
    done
done
echo "# cmake/hot-functions.txt: written by tools/hot-functions.sh (its header says how)."
echo "# The functions \`mica run examples/hello.mica\` executes, then those that small"
echo "# Are-We-Fast-Yet runs add, one a line; the link (MICA_HOT_ORDER) puts them together."
echo "# hello"
cat "$work/hello"
echo "# Are-We-Fast-Yet, small sizes, --jit=off and --jit=on"
sort -u "$work/more" | comm -23 - "$work/hello"
