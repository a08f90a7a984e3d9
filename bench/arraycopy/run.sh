#!/usr/bin/env bash
# bench/arraycopy/run.sh: copying int arrays with a Mica element loop against
# Arrays.copy (an intrinsic in both tiers), in Mica with the JIT off and on, and the
# same program in Java (System.arraycopy) for a peer, one after the other in one run.
# Not a test: read the figures as ratios within the run.
#
#   bench/arraycopy/run.sh [BUILD_DIR] [N] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(dirname "$(dirname "$here")")/build}
n=${2:-100000}
rounds=${3:-200}
for jit in off on; do
    echo "== mica --jit=$jit"
    "$build/mica" run --jit=$jit "$here/copy.mica" "$n" "$rounds"
done
if command -v java >/dev/null; then
    echo "== java"
    java "$here/Copy.java" "$n" "$rounds"
fi
