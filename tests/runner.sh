#!/usr/bin/env bash
# tests/runner.sh: runs one test written as one file, and checks it (tests/README.md).
#
#   runner.sh MICA FILE.mica        a program test
#   runner.sh MICA FILE.sh [MKCLASS] a command-line case (tests/cli/cases/, examples/)
#
# A program test: runs `mica run [OPTIONS] FILE.mica [ARGS]` in FILE's directory,
# OPTIONS and ARGS coming from the file's `// options:` and `// args:` comments, and
# compares stdout, stderr and the exit status with its `// expect...:` comments.
# A command-line case: a bash script using the words of tests/cli/helpers.sh, run in
# an empty scratch directory (removed when the case passes).
# The environment is passed on (the JIT tiers set MICA_JIT and MICA_JIT_THRESHOLD).
# Exits 0 when the test passes.
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: runner.sh MICA FILE.mica | runner.sh MICA FILE.sh [MKCLASS]" >&2
    exit 2
fi
mica=$1
src=$2
case $mica in /*) ;; *) mica=$PWD/$mica ;; esac
case $src in /*) ;; *) src=$PWD/$src ;; esac
dir=$(dirname "$src")
file=$(basename "$src")
base=${src%.mica}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# ---- a command-line case -----------------------------------------------------
if [ "${src%.sh}" != "$src" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/mica-cli.XXXXXX") || exit 1
    rel=${src#"$root/tests/cli/"}
    (
        set +o pipefail
        export MICA=$mica SRC=$root CLI=$root/tests/cli MKCLASS=${3:-} CASE=${rel%.sh}
        cd "$work" || exit 1
        source "$CLI/helpers.sh"
        source "$src"
        exit 0
    )
    status=$?
    if [ $status -eq 0 ]; then
        rm -rf "$work"
    else
        echo "command-line case $src failed; its scratch directory: $work" >&2
    fi
    exit $status
fi

# ---- a program test ----------------------------------------------------------
[ "$base" != "$src" ] || { echo "runner.sh: $src is neither .mica nor .sh" >&2; exit 2; }
problem() { echo "program test $src: $*" >&2; exit 1; }

# Program tests live in a folder of their feature.
[ "$dir" != "$root/tests/lang" ] ||
    problem "put it into the folder of its feature, tests/lang/FEATURE/ (tests/README.md)"
# Expectations of the old layout would be ignored: refuse them.
for ext in out err errhead exit args opts; do
    [ -e "$base.$ext" ] &&
        problem "$base.$ext: side files are not read; write the expectation into the" \
                "test (tools/inline-expectations.sh converts them, see tests/README.md)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/want.out"
: >"$tmp/want.err"
want_exit=0 err_more=no out_file='' err_file='' opts=() args=() n=0

# words TEXT: TEXT split as a shell would (quotes group, nothing is expanded), one a line.
words() { printf '%s\n' "$1" | xargs -r printf '%s\n'; }

# The comments are read byte by byte (C locale): a test of bad input may hold any bytes.
saved_lc_all=${LC_ALL-}
had_lc_all=${LC_ALL+yes}
LC_ALL=C
re='// (expect|expect error|expect exit|args|options)( escaped| file)?:( ?)(.*)$'
while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    case $line in *//\ expect*|*//\ args:*|*//\ options:*) ;; *) continue ;; esac
    if ! [[ $line =~ $re ]]; then
        [[ $line =~ //\ expect( [a-z ]*)?: ]] && problem "line $n: not an expectation: $line"
        continue
    fi
    kw=${BASH_REMATCH[1]} form=${BASH_REMATCH[2]} text=${BASH_REMATCH[4]}
    [ -n "${BASH_REMATCH[3]}" ] || [ -z "$text" ] ||
        problem "line $n: a space must follow the colon"
    case $kw$form in
      expect|"expect error")
        [ $err_more = no ] || problem "line $n: '// expect error: ...' must come last"
        if [ "$kw" = expect ]; then
            printf '%s\n' "$text" >>"$tmp/want.out"
        elif [ "$text" = ... ]; then
            err_more=yes
        else
            printf '%s\n' "$text" >>"$tmp/want.err"
        fi ;;
      "expect escaped") printf '%b\n' "$text" >>"$tmp/want.out" ;;
      "expect error escaped") printf '%b\n' "$text" >>"$tmp/want.err" ;;
      "expect file") out_file=$dir/$text ;;
      "expect error file") err_file=$dir/$text ;;
      "expect exit")
        [[ $text =~ ^[0-9]+$ ]] || problem "line $n: '// expect exit:' takes a number"
        want_exit=$text ;;
      args) mapfile -t -O ${#args[@]} args < <(words "$text") ;;
      options) mapfile -t -O ${#opts[@]} opts < <(words "$text") ;;
      *) problem "line $n: '// $kw$form:' is not an expectation" ;;
    esac
done <"$src"
if [ -n "$had_lc_all" ]; then LC_ALL=$saved_lc_all; else unset LC_ALL; fi
if [ -n "$out_file" ]; then
    [ -s "$tmp/want.out" ] && problem "both '// expect:' lines and '// expect file:'"
    cp "$out_file" "$tmp/want.out" || problem "cannot read $out_file"
fi
if [ -n "$err_file" ]; then
    [ -s "$tmp/want.err" ] && problem "both '// expect error:' lines and '// expect error file:'"
    cp "$err_file" "$tmp/want.err" || problem "cannot read $err_file"
fi

limit=()
command -v timeout >/dev/null && limit=(timeout -k 5 120)
(cd "$dir" && exec "${limit[@]}" "$mica" run "${opts[@]}" "$file" "${args[@]}") \
    >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?

failed=no
show() {  # show WHAT EXPECTED ACTUAL
    echo "--- $1: expected ---"; cat "$2"; echo "--- $1: actual ---"; cat "$3"
    if command -v diff >/dev/null; then echo "--- $1: diff ---"; diff -u "$2" "$3"; fi
}
if ! cmp -s "$tmp/want.out" "$tmp/out"; then
    failed=yes; echo "stdout differs"; show stdout "$tmp/want.out" "$tmp/out"
fi
if [ $err_more = yes ]; then
    head -c "$(wc -c <"$tmp/want.err")" "$tmp/err" >"$tmp/err.head"
    if ! cmp -s "$tmp/want.err" "$tmp/err.head"; then
        failed=yes; echo "stderr does not start as expected"
        show "stderr (start)" "$tmp/want.err" "$tmp/err"
    fi
elif ! cmp -s "$tmp/want.err" "$tmp/err"; then
    failed=yes; echo "stderr differs"; show stderr "$tmp/want.err" "$tmp/err"
fi
if [ "$status" != "$want_exit" ]; then
    failed=yes; echo "exit status: expected $want_exit, got $status"
fi
if [ $failed = yes ]; then
    echo "program test $src failed" >&2
    exit 1
fi
exit 0
