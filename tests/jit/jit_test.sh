#!/bin/bash
# tests/jit/jit_test.sh: the JIT's command-line tools and options.
#   jit_test.sh MICA SOURCE_DIR WORKDIR CASE
set -u
MICA=$1
SRC=$2
WORK=$3
CASE=$4
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail() { echo "FAIL ($CASE): $*"; echo "--- stdout"; cat out.txt; echo "--- stderr"; cat err.txt; exit 1; }
run() { "$MICA" "$@" >out.txt 2>err.txt; status=$?; }
cat >loop.mica <<'MICA'
fun sq(x: int): int { return x * x; }
fun main() {
    var s = 0;
    for (var i = 0; i < 100000; i++) { s = s + sq(i % 100); }
    println(s);
}
MICA
case $CASE in
osr_stats)
    run run --jit=on --jit-threshold=100 --jit-stats loop.mica
    [ $status -eq 0 ] || fail "status $status"
    [ "$(cat out.txt)" = "328350000" ] || fail "wrong output"
    # sq is inlined into main once main is compiled: it is never compiled on its own
    grep -Eq "^jit: 1 methods compiled, 0 left to the interpreter, 1 OSR entries, [0-9]+ bytes of code, [0-9.]+ ms compiling$" err.txt ||
        fail "stats line"
    run run --jit=off --jit-stats loop.mica
    [ -s err.txt ] && fail "--jit=off prints JIT statistics"
    ;;
print_jit)
    run run --jit=always --print-jit=Loop.sq loop.mica
    [ $status -eq 0 ] || fail "status $status"
    grep -q "^jit: Loop.sq(I)I, [0-9]* bytes at " err.txt || fail "no header"
    [ "$(grep -c '^  [0-9a-f]\{16\} ' err.txt)" -gt 5 ] || fail "no code listed"
    grep -q "Loop.main" err.txt && fail "printed another method"
    ;;
perf_map)
    run run --jit=always --perf-map loop.mica
    [ $status -eq 0 ] || fail "status $status"
    # the map is named after the process; find the newest one that names this program
    map=$(grep -l "mica:Loop.sq(I)I" /tmp/perf-*.map 2>/dev/null | head -1)
    [ -n "$map" ] || fail "no /tmp/perf-PID.map entry"
    grep -Eq "^[0-9a-f]+ [0-9a-f]+ mica:Loop.main\(\)V$" "$map" || fail "bad map line"
    rm -f "$map"
    ;;
cache_cap)
    run run --jit=always --jit-cache=1k --jit-stats "$SRC/bench/awfy" -- Towers 1 10
    [ $status -eq 0 ] || fail "status $status"
    grep -Eq "^jit: [0-9]+ methods compiled, [1-9][0-9]* left to the interpreter" err.txt ||
        fail "nothing was left to the interpreter"
    ;;
threshold_env)
    cat >five.mica <<'MICA'
fun f(x: int): int { return x + 1; }
fun main() { println(f(f(f(f(f(0)))))); }
MICA
    # MICA_JIT_THRESHOLD is the default of --jit-threshold: f compiles at its 3rd call
    MICA_JIT_THRESHOLD=3 run run --jit=on --jit-stats five.mica
    [ $status -eq 0 ] && [ "$(cat out.txt)" = "5" ] || fail "status $status"
    grep -q "^jit: 1 methods compiled" err.txt || fail "threshold 3 compiled no method"
    # without it, 1000; and the option wins over the environment
    run run --jit=on --jit-stats five.mica
    grep -q "^jit: 0 methods compiled" err.txt || fail "default threshold compiled a method"
    MICA_JIT_THRESHOLD=3 run run --jit=on --jit-threshold=1000 --jit-stats five.mica
    grep -q "^jit: 0 methods compiled" err.txt || fail "the environment won over the option"
    # a value that is not a count is reported and ignored
    MICA_JIT_THRESHOLD=soon run run --jit=on --jit-stats five.mica
    [ $status -eq 0 ] && [ "$(cat out.txt)" = "5" ] || fail "status $status with a bad value"
    grep -q "^mica: ignoring MICA_JIT_THRESHOLD=soon: not a count from 1 to 4294967295$" err.txt ||
        fail "bad value not reported"
    grep -q "^jit: 0 methods compiled" err.txt || fail "bad value not ignored"
    ;;
bad_options)
    run run --jit=sometimes loop.mica
    [ $status -eq 2 ] || fail "status $status"
    grep -q "bad JIT mode in '--jit=sometimes'" err.txt || fail "message"
    run run --jit-threshold=0 loop.mica
    [ $status -eq 2 ] || fail "threshold 0 accepted"
    run run --jit-cache=lots loop.mica
    [ $status -eq 2 ] || fail "bad cache size accepted"
    ;;
*)
    echo "unknown case $CASE"
    exit 2
    ;;
esac
echo "ok"
