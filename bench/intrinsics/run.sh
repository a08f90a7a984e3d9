#!/usr/bin/env bash
# bench/intrinsics/run.sh: what an intrinsic saves over a call, in instructions per
# loop iteration counted by callgrind (deterministic, so usable on a loaded machine):
# minmax.mica's loop of Math.min/abs/max against the same loop calling Mica functions,
# with the JIT off and on. Each figure is the difference between runs of N and 3N
# iterations, divided by 2N, so start-up and compilation cancel out. Needs valgrind.
#
#   bench/intrinsics/run.sh [BUILD_DIR] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(dirname "$(dirname "$here")")/build}
n=${2:-100000}
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/mica" run "$@" 2>&1 |
        sed -n 's/.*Collected : //p'
}
printf '%-10s %-10s %s\n' tier variant instructions/iteration
for jit in off on; do
    for v in intrinsic call; do
        a=$(count --jit=$jit "$here/minmax.mica" $v "$n")
        b=$(count --jit=$jit "$here/minmax.mica" $v $((3 * n)))
        printf '%-10s %-10s %s\n' "$jit" "$v" $(((b - a) / (2 * n)))
    done
done
