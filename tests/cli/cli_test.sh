#!/usr/bin/env bash
# tests/cli/cli_test.sh: command-line tests of `mica` and the example programs.
#
#   cli_test.sh MICA SOURCE_DIR WORK_DIR CASE
#
# MICA is the mica executable, SOURCE_DIR the repository root, WORK_DIR a scratch
# directory of this case's own (emptied first). Exits 0 when CASE passes.
set -u

if [ $# -ne 4 ]; then
    echo "usage: cli_test.sh MICA SOURCE_DIR WORK_DIR CASE" >&2
    exit 2
fi
MICA=$1
SRC=$2
WORK=$3
CASE=$4
CLI=$SRC/tests/cli

rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK" || exit 1

fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- exit status: $status" >&2
    echo "--- stdout ---" >&2
    cat out.txt >&2
    echo "--- stderr ---" >&2
    cat err.txt >&2
    exit 1
}

# run ARGS...: runs mica, keeping stdout, stderr and the status.
run() {
    "$MICA" "$@" >out.txt 2>err.txt
    status=$?
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "expected exit status $1"
}

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

expect_out_has() {
    grep -qF -- "$1" out.txt || fail "stdout lacks '$1'"
}

expect_err_has() {
    grep -qF -- "$1" err.txt || fail "stderr lacks '$1'"
}

expect_err_starts() {
    local n=${#1}
    [ "$(head -c "$n" err.txt)" = "$1" ] || fail "stderr does not start with '$1'"
}

expect_no_err() {
    [ ! -s err.txt ] || fail "stderr should be empty"
}

# build_app: compiles tests/cli/app into ./classes.
build_app() {
    run build -d classes "$CLI/app/main.mica" "$CLI/app/util.mica"
    expect_status 0
    expect_no_err
    [ -f classes/app/Main.mcl ] || fail "classes/app/Main.mcl was not written"
    [ -f classes/app/Util.mcl ] || fail "classes/app/Util.mcl was not written"
}

# corrupt OFFSET BYTE: copies classes to ./broken with byte OFFSET of Main.mcl replaced.
corrupt() {
    rm -rf broken
    cp -r classes broken
    printf "\\$(printf '%03o' "$2")" |
        dd of=broken/app/Main.mcl bs=1 seek="$1" conv=notrunc status=none
}

APP_OUT='app main 2
arg x
arg y z
hello cli
'

case $CASE in
version)
    run --version
    expect_status 0
    expect_out 'mica 0.1.0 (class file version 1.0)
'
    expect_no_err
    ;;
help)
    for h in --help help; do
        run "$h"
        expect_status 0
        expect_no_err
        expect_out_has "mica run [--allow-native] [-cp DIR]... SOURCES... [--] [ARGS...]"
        expect_out_has "mica run [--allow-native] -cp DIR[:DIR...] CLASS [ARGS...]"
        expect_out_has "mica build -d OUTDIR [-cp DIR]... SOURCES..."
        expect_out_has "mica disasm FILE.mcl..."
        expect_out_has "--version"
    done
    ;;
bad_usage)
    run frobnicate
    expect_status 2
    expect_err_starts "mica: unknown command 'frobnicate'"
    expect_err_has "usage:"
    [ ! -s out.txt ] || fail "stdout should be empty"
    run
    expect_status 2
    run run
    expect_status 2
    expect_err_starts "mica: "
    run run --bogus "$CLI/app/main.mica"
    expect_status 2
    expect_err_starts "mica: unknown option '--bogus'"
    run build "$CLI/app/main.mica"
    expect_status 2
    run build -d
    expect_status 2
    run disasm
    expect_status 2
    ;;
missing_source)
    run run nosuch.mica
    expect_status 1
    expect_err 'mica: cannot read nosuch.mica: No such file or directory
'
    [ ! -s out.txt ] || fail "stdout should be empty"
    ;;
no_main)
    cp "$CLI/nomain/lib.mica" lib.mica
    run run lib.mica
    expect_status 1
    expect_err 'mica: no main function in lib.mica
'
    ;;
compile_error)
    cp "$CLI/bad/broken.mica" broken.mica
    run run broken.mica
    expect_status 1
    expect_err_starts "broken.mica:3:"
    expect_err_has "error:"
    [ ! -s out.txt ] || fail "stdout should be empty"
    run build -d classes broken.mica
    expect_status 1
    [ ! -e classes ] || fail "a failed build must not write classes"
    ;;
run_sources)
    run run "$CLI/app/main.mica" "$CLI/app/util.mica" x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    expect_no_err
    # a directory contributes its .mica files; -- starts the arguments
    run run "$CLI/app" -- x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    run run "$CLI/app/" -- x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    ;;
build_run_class)
    build_app
    run run -cp classes app.Main x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    expect_no_err
    run run -cp "nowhere:classes" app/Main x "y z"
    expect_status 0
    expect_out "$APP_OUT"
    run run -cp classes app.Missing
    expect_status 1
    expect_err_starts "mica: "
    ;;
build_classpath)
    # a program compiled against classes built earlier, found through -cp
    build_app
    mkdir -p src
    cat >src/useutil.mica <<'EOF'
import app.Util;

fun main(args: String[]) {
    println(Util.greet("class path"));
}
EOF
    run run -cp classes src/useutil.mica
    expect_status 0
    expect_out 'hello class path
'
    run build -cp classes -d out src/useutil.mica
    expect_status 0
    [ -f out/Useutil.mcl ] || fail "out/Useutil.mcl was not written"
    run run -cp out:classes Useutil
    expect_status 0
    expect_out 'hello class path
'
    ;;
disasm)
    build_app
    run disasm classes/app/Main.mcl
    expect_status 0
    expect_no_err
    expect_out_has "app/Main"
    expect_out_has "main"
    ;;
truncated_class)
    build_app
    rm -rf broken
    cp -r classes broken
    head -c 20 classes/app/Main.mcl >broken/app/Main.mcl
    run run -cp broken app.Main
    expect_status 1
    expect_err_starts "mica: "
    run disasm broken/app/Main.mcl
    expect_status 1
    expect_err_starts "mica: "
    # every shorter prefix fails cleanly too
    size=$(wc -c <classes/app/Main.mcl)
    for n in 0 1 4 8 9 $((size / 2)) $((size - 1)); do
        head -c "$n" classes/app/Main.mcl >broken/app/Main.mcl
        run run -cp broken app.Main
        expect_status 1
        expect_err_starts "mica: "
    done
    ;;
bitflip_class)
    build_app
    # byte 5 is the low byte of the major version: 1 -> 3
    corrupt 5 3
    run run -cp broken app.Main
    expect_status 1
    expect_err_starts "mica: "
    expect_err_has "version"
    # byte 0 is the first byte of the magic: 0x4D -> 0x4C
    corrupt 0 76
    run run -cp broken app.Main
    expect_status 1
    expect_err_starts "mica: "
    run disasm broken/app/Main.mcl
    expect_status 1
    expect_err_starts "mica: "
    ;;
oversize_class)
    # one byte over the class-file limit (64 MiB): refused whole with its size, never
    # parsed from a prefix; at the limit exactly the file is read and parsed
    build_app
    cp -r classes big
    truncate -s 67108865 big/app/Main.mcl
    run run -cp big app.Main
    expect_status 1
    expect_err "mica: big/app/Main.mcl: file size 67108865 exceeds the limit of 67108864 bytes
"
    truncate -s 67108864 big/app/Main.mcl
    run run -cp big app.Main
    expect_status 1
    grep -q "file size" err.txt && fail "a file at the limit must be parsed"
    expect_err_starts "mica: big/app/Main.mcl: "
    # an archive one byte over its limit (300 MiB), on the class path
    truncate -s 314572801 big.mar
    run run -cp big.mar app.Main
    expect_status 1
    expect_err_has "big.mar: file size 314572801 exceeds the limit of 314572800 bytes"
    # a resource one byte over its limit (64 MiB) in a class-path directory
    mkdir -p res
    truncate -s 67108865 res/big.txt
    printf 'import std.io.*;\nfun main() {\n    try { Resource.text("big.txt"); }\n    catch (e: IOError) { println(e.message); }\n}\n' >res.mica
    run run -cp res res.mica
    expect_status 0
    expect_out "resource big.txt: file size 67108865 exceeds the limit of 67108864 bytes
"
    ;;
sealed_std)
    # a class-path file named like a library class: the compiler keeps compiling
    # against the embedded library and the VM refuses the file, naming it
    mkdir -p shadow/std/core
    printf 'not a class file' >shadow/std/core/String.mcl
    run run -cp shadow "$SRC/examples/hello.mica"
    expect_status 1
    expect_err "mica: $SRC/examples/hello.mica: Hello.main([Lstd/core/String;)V: local 0: class std/core/String from shadow/std/core/String.mcl: package std is sealed, only the embedded standard library defines its classes
"
    ;;
example_hello)
    run run "$SRC/examples/hello.mica"
    expect_status 0
    expect_out 'Hello, world!
'
    expect_no_err
    ;;
example_fib)
    run run "$SRC/examples/fib.mica"
    expect_status 0
    expect_out 'fib(30) = 832040
'
    run run "$SRC/examples/fib.mica" 20
    expect_status 0
    expect_out 'fib(20) = 6765
'
    expect_no_err
    ;;
example_nbody)
    run run "$SRC/examples/nbody.mica" 1000
    expect_status 0
    expect_out '-0.169075164
-0.169087605
'
    expect_no_err
    ;;
*)
    echo "cli_test.sh: unknown case '$CASE'" >&2
    exit 2
    ;;
esac
exit 0
