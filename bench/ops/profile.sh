#!/usr/bin/env bash
# bench/ops/profile.sh: the dynamic profile superinstructions are chosen from.
# Runs the Are-We-Fast-Yet ports (bench/awfy, each benchmark once at a small size)
# and the program tests (tests/lang, --jit=off) under a mica built with
# -DVM_OP_PROFILE=1, which counts every pair of instructions the interpreter
# executes one after the other, and prints the commonest pairs: each suite's
# share, then the two summed with equal weight (so the suite with more
# instructions does not drown the other).
#
#   cmake -S . -B build-prof -DCMAKE_C_FLAGS=-DVM_OP_PROFILE=1 && cmake --build build-prof -j2 --target mica_cli
#   bench/ops/profile.sh build-prof [TOP]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
build=${1:?usage: profile.sh PROFILING_BUILD_DIR [TOP]}
top=${2:-40}
mica=$(cd "$build" && pwd)/mica
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$mica" build -d "$work/awfy" "$root/bench/awfy" >/dev/null
for b in Bounce:2:100 List:2:100 Mandelbrot:2:100 NBody:2:10000 Permute:2:100 Queens:2:100 \
         Sieve:2:100 Storage:2:100 Towers:2:100 CD:2:50 DeltaBlue:2:500 Havlak:1:100 \
         Json:2:10 Richards:2:10; do
    IFS=: read -r name it inner <<<"$b"
    MICA_OP_PROFILE="$work/awfy.pairs" "$mica" run --jit=off -cp "$work/awfy" Harness \
        "$name" "$it" "$inner" >/dev/null 2>&1 || true
done
find "$root/tests/lang" -name '*.mica' | sort | while read -r t; do
    ( cd "$(dirname "$t")" &&
      MICA_OP_PROFILE="$work/tests.pairs" timeout 20 "$mica" run --jit=off "$(basename "$t")" \
          </dev/null >/dev/null 2>&1 || true )
done
# "count A B" lines -> share of each pair within its suite, then the mean share
awk -v top="$top" '
    FNR == 1 { suite++ }
    { n[suite, $2 " " $3] += $1; total[suite] += $1; pairs[$2 " " $3] = 1 }
    END {
        for (p in pairs) {
            a = total[1] ? 100 * n[1, p] / total[1] : 0
            b = total[2] ? 100 * n[2, p] / total[2] : 0
            printf "%7.3f %7.3f %7.3f  %s\n", (a + b) / 2, a, b, p
        }
    }' "$work/awfy.pairs" "$work/tests.pairs" | sort -rn | head -n "$top" |
    { echo "  mean%   awfy%  tests%  pair (first, second)"; cat; }
