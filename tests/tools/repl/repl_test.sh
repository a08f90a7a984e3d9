#!/usr/bin/env bash
# tests/tools/repl/repl_test.sh MICA SOURCE_DIR WORK CASE [HAVE_LIBEDIT]: the REPL.
#   stdin  session.in through standard input (no prompts): stdout and stderr as session.out
#   pty    through a pseudo-terminal (script(1)): prompts, a multi-line input, :type, the
#          libedit history file written at :quit (skipped without script(1))
#   usage  an unknown argument: exit 2
set -u
mica=$1; src=$2; work=$3; case=$4; libedit=${5:-}
here=$src/tests/tools/repl
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
case $case in
    stdin)
        "$mica" repl <"$here/session.in" >out 2>&1; rc=$?
        [ $rc = 0 ] || fail "exit $rc"
        diff -u "$here/session.out" out || fail "session differs" ;;
    pty)
        command -v script >/dev/null || { echo "script(1) not installed"; exit 77; }
        export HOME=$work TERM=dumb
        printf '1 + 2\nfun twice(n: int): int {\nreturn 2 * n; }\nlet x = twice(21)\nx\n:type x > 1\n:quit\n' |
            timeout 60 script -qec "$mica" /dev/null >out 2>&1; rc=$?
        [ $rc = 0 ] || { cat out; fail "exit $rc"; }
        tr -d '\r' <out >clean
        for want in 'Type :help for help' 'mica> ' '  ... ' '^3$' '^42$' '^bool$'; do
            grep -q -- "$want" clean || { cat clean; fail "no '$want' in the terminal output"; }
        done
        case $libedit in
            1|ON|TRUE) grep -q 'twice' .mica_history || fail "no history with the input in .mica_history" ;;
        esac ;;
    usage)
        "$mica" repl --bogus </dev/null >out 2>&1; rc=$?
        [ $rc = 2 ] || fail "exit $rc, wanted 2"
        grep -qF "unexpected argument '--bogus'" out || fail "message: $(cat out)" ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
