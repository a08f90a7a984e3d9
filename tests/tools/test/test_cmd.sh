#!/usr/bin/env bash
# tests/tools/test/test_cmd.sh MICA SOURCE_DIR WORK CASE: `mica test` on the project in
# project/ (a library in src/, tests in tests/). Limits are step counts, never times.
#   project      every test runs, each in its own VM; output as project.out, exit 1
#   filter       -k picks tests by name; all of them pass: exit 0
#   list         --list prints names and places, runs nothing
#   no_tests     sources without @test functions: exit 1 and a message
#   compile_error a test file that does not compile: the diagnostic, exit 1
#   bad_usage    an unknown option: exit 2
#   classpath    the library compiled apart, as class files and as an archive on -cp
set -u
mica=$1; src=$2; work=$3; case=$4
here=$src/tests/tools/test
rm -rf "$work" && mkdir -p "$work" && cp -r "$here/project" "$work/" && cd "$work/project" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
run() { "$mica" test "$@" >"$work/out" 2>"$work/err"; echo $? >"$work/rc"; }
expect_rc() { [ "$(cat "$work/rc")" = "$1" ] || { cat "$work/out" "$work/err"; fail "exit $(cat "$work/rc"), wanted $1"; }; }
case $case in
    project)
        run --max-steps=100000 src tests
        expect_rc 1
        diff -u "$here/project.out" "$work/out" || fail "output differs"
        [ ! -s "$work/err" ] || { cat "$work/err"; fail "stderr not empty"; } ;;
    filter)
        run -k counter --filter=strings src tests
        expect_rc 0
        printf '%s\n' "ok    Calc_test.counterOnce (tests/calc_test.mica:14)" \
            "ok    Calc_test.counterAgain (tests/calc_test.mica:15)" \
            "ok    more.More_test.stringsCompare (tests/more_test.mica:4)" \
            "3 passed, 0 failed" >"$work/want"
        diff -u "$work/want" "$work/out" || fail "output differs" ;;
    list)
        run --list -k Wrongly src tests
        expect_rc 0
        [ "$(cat "$work/out")" = "Calc_test.addsWrongly (tests/calc_test.mica:6)" ] || fail "list: $(cat "$work/out")" ;;
    no_tests)
        run src
        expect_rc 1
        grep -qF "no @test functions in src/calc.mica" "$work/err" || fail "message: $(cat "$work/err")"
        run -k nothing_matches src tests
        expect_rc 1
        grep -qF "no test matches the filter" "$work/err" || fail "message: $(cat "$work/err")" ;;
    compile_error)
        printf 'import std.test.*;\n@test fun broken() { assertEquals(1, undefinedName); }\n' >tests/broken_test.mica
        run src tests
        expect_rc 1
        grep -qF "tests/broken_test.mica:2:38: error:" "$work/err" || fail "diagnostic: $(cat "$work/err")" ;;
    bad_usage)
        run --frobnicate
        expect_rc 2
        grep -qF "unknown option '--frobnicate'" "$work/err" || fail "message: $(cat "$work/err")" ;;
    classpath)
        "$mica" build -d "$work/classes" src >/dev/null 2>&1 || fail "mica build -d"
        "$mica" build -o "$work/lib.mar" src >/dev/null 2>&1 || fail "mica build -o"
        for cp in "$work/classes" "$work/lib.mar"; do
            run -k counter -cp "$cp" tests
            expect_rc 0
            grep -qx "2 passed, 0 failed" "$work/out" || { cat "$work/out" "$work/err"; fail "-cp $cp"; }
        done ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
