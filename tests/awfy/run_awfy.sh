#!/usr/bin/env bash
# tests/awfy/run_awfy.sh: runs one Are-We-Fast-Yet benchmark through the harness and checks it.
#
#   run_awfy.sh MICA AWFY_DIR WORK_DIR MODE NAME INNER REGISTRY|ALL_NAMES|TEST
#
# MODE one: harness + benchmark + som + NAME.mica + REGISTRY (a one-entry suite.mica) must
# verify: exit 0, one runtime line and the total. wrong: the same must exit non-zero with
# the harness's message. unknown: an unknown name or too few arguments fail with exit 1.
# suite_source / suite_classes: the real folder as users run it,
# from source or from `mica build` output; ALL_NAMES (comma-separated) must all exist.
# som: som.mica with the test program EXTRA.mica must print exactly EXTRA.out.
# Exits 77 (skipped) when a benchmark file it needs does not exist yet.
set -u
if [ $# -ne 7 ]; then
    echo "usage: run_awfy.sh MICA AWFY_DIR WORK_DIR MODE NAME INNER REGISTRY|ALL_NAMES|TEST" >&2
    exit 2
fi
MICA=$1 AWFY=$2 WORK=$3 MODE=$4 NAME=$5 INNER=$6 EXTRA=$7

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

fail() {
    echo "FAIL [awfy $MODE $NAME]: $*" >&2
    echo "--- exit status: $status" >&2
    echo "--- stdout ---" >&2
    cat out.txt >&2
    echo "--- stderr ---" >&2
    cat err.txt >&2
    exit 1
}

need() {
    if [ ! -f "$AWFY/$1.mica" ]; then
        echo "skipped: $AWFY/$1.mica does not exist yet"
        exit 77
    fi
}

run() {
    "$MICA" "$@" >out.txt 2>err.txt
    status=$?
}

expect_verified() {
    [ "$status" -eq 0 ] || fail "expected exit status 0"
    grep -Eq "^$NAME: iterations=1 runtime: [0-9]+us\$" out.txt || fail "no runtime line"
    grep -Eq "^Total Runtime: [0-9]+us\$" out.txt || fail "no total line"
    [ ! -s err.txt ] || fail "stderr should be empty"
}

shared=("$AWFY/harness.mica" "$AWFY/benchmark.mica" "$AWFY/som.mica")
case $MODE in
one)
    need "$NAME"
    run run "${shared[@]}" "$AWFY/$NAME.mica" "$EXTRA" -- "$NAME" 1 "$INNER"
    expect_verified
    ;;
wrong)
    need "$NAME"
    run run "${shared[@]}" "$AWFY/$NAME.mica" "$EXTRA" -- "$NAME" 1 "$INNER"
    [ "$status" -ne 0 ] || fail "a wrong result must give a non-zero exit status"
    grep -q "Benchmark failed with incorrect result" err.txt || fail "no failure message"
    ;;
suite_source)
    for n in ${EXTRA//,/ }; do need "$n"; done
    run run "$AWFY" "$NAME" 1 "$INNER"
    expect_verified
    ;;
suite_classes)
    for n in ${EXTRA//,/ }; do need "$n"; done
    run build -d classes "$AWFY"
    [ "$status" -eq 0 ] || fail "mica build failed"
    run run -cp classes Harness "$NAME" 1 "$INNER"
    expect_verified
    ;;
unknown)
    need "$NAME"
    run run "${shared[@]}" "$AWFY/$NAME.mica" "$EXTRA" -- Nope 1 "$INNER"
    [ "$status" -eq 1 ] || fail "an unknown benchmark must give exit status 1"
    grep -q "unknown benchmark 'Nope'" err.txt || fail "no message naming the benchmark"
    run run "${shared[@]}" "$AWFY/$NAME.mica" "$EXTRA" -- "$NAME"
    [ "$status" -eq 1 ] || fail "too few arguments must give exit status 1"
    grep -q "^Harness \[benchmark\]" out.txt || fail "no usage text"
    ;;
som)
    run run "$AWFY/som.mica" "$EXTRA.mica"
    [ "$status" -eq 0 ] || fail "expected exit status 0"
    diff "$EXTRA.out" out.txt >&2 || fail "stdout differs from $EXTRA.out"
    [ ! -s err.txt ] || fail "stderr should be empty"
    ;;
*)
    echo "run_awfy.sh: unknown mode '$MODE'" >&2
    exit 2
    ;;
esac
exit 0
