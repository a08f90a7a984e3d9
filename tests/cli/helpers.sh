# tests/cli/helpers.sh: the words a command-line case (tests/cli/cases/**/NAME.sh,
# tests/cli/examples/NAME.sh) is written in. tests/runner.sh sources this file, then
# the case, in an empty scratch directory, with
#   MICA     the mica executable          SRC      the repository's root
#   CLI      tests/cli (its fixtures)     MKCLASS  tools/mkclass (the class assembler)
# and the case fails at the first expectation that does not hold.

status=0

# fail MESSAGE: the case fails, showing the last run's status, stdout and stderr.
fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- exit status: $status" >&2
    echo "--- stdout ---" >&2
    cat out.txt >&2 2>/dev/null
    echo "--- stderr ---" >&2
    cat err.txt >&2 2>/dev/null
    exit 1
}

# run ARGS...: runs mica, keeping stdout (out.txt), stderr (err.txt) and the status.
run() {
    "$MICA" "$@" >out.txt 2>err.txt
    status=$?
}

expect_status() {
    [ "$status" -eq "$1" ] || fail "expected exit status $1"
}

# expect_out TEXT / expect_err TEXT: the whole stdout / stderr, byte for byte.
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

# The output of tests/cli/app run with the arguments x and "y z".
APP_OUT='app main 2
arg x
arg y z
hello cli
'

# build_app: compiles tests/cli/app into ./classes.
build_app() {
    run build -d classes "$CLI/app/main.mica" "$CLI/app/util.mica"
    expect_status 0
    expect_no_err
    [ -f classes/app/Main.mcl ] || fail "classes/app/Main.mcl was not written"
    [ -f classes/app/Util.mcl ] || fail "classes/app/Util.mcl was not written"
}

# build_app_mar: builds tests/cli/app into ./app.mar.
build_app_mar() {
    run build -o app.mar "$CLI/app"
    expect_status 0
    expect_no_err
    [ -f app.mar ] || fail "app.mar was not written"
}

# corrupt OFFSET BYTE: copies classes to ./broken with byte OFFSET of Main.mcl replaced.
corrupt() {
    rm -rf broken
    cp -r classes broken
    printf "\\$(printf '%03o' "$2")" |
        dd of=broken/app/Main.mcl bs=1 seek="$1" conv=notrunc status=none
}

# write_hello: ./hello.mica, a program printing "hello N" for its N arguments.
write_hello() {
    printf 'fun main(args: String[]) {\n    println("hello ${args.length}");\n}\n' >hello.mica
}
