#!/usr/bin/env bash
# tests/cli/usability_test.sh: how `mica` behaves for people: help everywhere,
# shorthands, programs from -e and stdin, scripts, clear refusals, Ctrl-C.
#
#   usability_test.sh MICA WORK_DIR CASE
set -u

if [ $# -ne 3 ]; then
    echo "usage: usability_test.sh MICA WORK_DIR CASE" >&2
    exit 2
fi
MICA=$1
WORK=$2
CASE=$3

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

status=0
fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- exit status: $status" >&2
    echo "--- stdout ---" >&2
    cat out.txt >&2
    echo "--- stderr ---" >&2
    cat err.txt >&2
    exit 1
}
run() {
    "$MICA" "$@" >out.txt 2>err.txt
    status=$?
}
expect_status() { [ "$status" -eq "$1" ] || fail "expected exit status $1"; }
expect_out() {
    printf '%s' "$1" >want.txt
    cmp -s want.txt out.txt || fail "stdout differs; expected:
$1"
}
expect_err() {
    printf '%s' "$1" >want.txt
    cmp -s want.txt err.txt || fail "stderr differs; expected:
$1"
}
expect_out_has() { grep -qF -- "$1" out.txt || fail "stdout lacks '$1'"; }
expect_no_err() { [ ! -s err.txt ] || fail "stderr should be empty"; }

printf 'fun main(args: String[]) {\n    println("hello ${args.length}");\n}\n' >hello.mica

case "$CASE" in
help_subcommands)
    for c in run build disasm verify test repl; do
        run "$c" --help
        expect_status 0
        expect_no_err
        expect_out_has "usage: mica $c"
    done
    run help run
    expect_status 0
    expect_out_has "usage: mica run"
    run -version
    expect_status 0
    expect_out_has "mica "
    ;;
shorthand)
    run hello.mica a b
    expect_status 0
    expect_out 'hello 2
'
    expect_no_err
    ;;
eval)
    run run -e 'println(1 + 2);'
    expect_status 0
    expect_out '3
'
    run -e 'println(args[0]);' x
    expect_out 'x
'
    run -e 'fun main() { println("whole"); }'
    expect_out 'whole
'
    run -e 'let x: int = "a";'
    expect_status 1
    expect_err '-e:2:14: error: type mismatch: expected int, found String
let x: int = "a";
             ^
'
    ;;
stdin)
    "$MICA" - a <hello.mica >out.txt 2>err.txt
    status=$?
    expect_status 0
    expect_out 'hello 1
'
    "$MICA" run - <hello.mica >out.txt 2>err.txt
    status=$?
    expect_out 'hello 0
'
    ;;
script)
    mkdir bin
    ln -s "$MICA" bin/mica
    printf '#!/usr/bin/env mica\nfun main(args: String[]) {\n    println("script ${args[0]}");\n}\n' >greet
    chmod +x greet
    PATH="$PWD/bin:$PATH" ./greet world >out.txt 2>err.txt
    status=$?
    expect_status 0
    expect_out 'script world
'
    expect_no_err
    ;;
not_source)
    printf 'println("hi");\n' >hello.txt
    run run hello.txt
    expect_status 1
    expect_err 'mica: hello.txt is not a Mica source file: sources end in .mica (or start with a #! line), archives in .mar; anything else names a class
'
    run hello.txt
    expect_status 1
    expect_err 'mica: hello.txt is not a Mica source file: sources end in .mica (or start with a #! line), archives in .mar; anything else names a class
'
    ;;
max_heap_tiny)
    run run --max-heap=1 hello.mica
    expect_status 1
    expect_err "mica: cannot create the virtual machine: a heap of 1 byte (--max-heap) cannot hold the VM's own data; sizes are in bytes unless they end in k, m or g (e.g. --max-heap=64m)
"
    ;;
sigint)
    # Ctrl-C: the output so far is flushed, then "interrupted" and the Mica stack, 130
    printf 'fun spin(n: int): int {\n    var s = 0;\n    while (s >= 0) {\n        s = (s + n) %% 1000;\n    }\n    return s;\n}\n\nfun main() {\n    print("working");\n    println(spin(1));\n}\n' >spin.mica
    "$MICA" run spin.mica >out.txt 2>err.txt &
    pid=$!
    # let it get into the loop (a late signal only means a later stop), then interrupt
    sleep 1
    kill -INT "$pid"
    for _ in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { kill -9 "$pid"; fail "not stopped by SIGINT"; }
    wait "$pid"
    status=$?
    expect_status 130
    expect_out 'working'
    expect_err 'interrupted
    at Spin.spin(spin.mica:4)
    at Spin.main(spin.mica:11)
'
    ;;
warnings)
    printf 'fun main() {\n    let unused = 1;\n    println("ok");\n}\n' >w.mica
    run run w.mica
    expect_status 0
    expect_no_err
    run run -W w.mica
    expect_status 0
    expect_out 'ok
'
    run build -Werror -d classes w.mica
    expect_status 1
    [ -e classes ] && fail "-Werror still wrote classes"
    expect_err "w.mica:2:9: error: unused variable 'unused'
    let unused = 1;
        ^
help: remove it, or start its name with '_' to keep it
"
    ;;
*)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
exit 0
