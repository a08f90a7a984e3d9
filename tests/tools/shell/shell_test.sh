#!/usr/bin/env bash
# tests/tools/shell/shell_test.sh MICA SOURCE_DIR BUILD_DIR WORK CASE: the manual page and
# the bash completion.
#   man         the page scdoc rendered from doc/mica.1.scd renders with man(1)/groff, has
#               its sections, and names every option `mica --help` lists
#   install     cmake --install puts mica, the page and the completion under a prefix
#   completion  doc/mica.bash-completion completes subcommands, options, option values
#               and the class names in the -cp directories
set -u
export LC_ALL=C
mica=$1; src=$2; build=$3; work=$4; case=$5
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }
case $case in
    man)
        [ -f "$build/mica.1" ] || { echo "scdoc not installed: no manual page"; exit 77; }
        if command -v man >/dev/null; then
            MANWIDTH=100 man -l "$build/mica.1" >page 2>err || { cat err; fail "man -l failed"; }
        elif command -v groff >/dev/null; then
            groff -man -Tutf8 "$build/mica.1" >page 2>err || { cat err; fail "groff failed"; }
        else
            echo "neither man nor groff"; exit 77
        fi
        for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS 'EXIT STATUS' ENVIRONMENT EXAMPLES; do
            grep -q "^$section" page || fail "no $section section"
        done
        # Every option of the help text is documented (hyphens may be rendered as U+2010).
        sed 's/‐/-/g' page >plain
        "$mica" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >options
        [ -s options ] || fail "no options in mica --help"
        while read -r opt; do
            grep -q -- "$opt" plain || fail "the manual page does not document $opt"
        done <options
        for cmd in run build test repl disasm verify; do
            grep -q "mica $cmd" plain || fail "no synopsis of mica $cmd"
        done ;;
    install)
        cmake --install "$build" --prefix "$work/prefix" >log 2>&1 || { cat log; fail "cmake --install"; }
        [ -x prefix/bin/mica ] || fail "no bin/mica"
        [ -f prefix/share/bash-completion/completions/mica ] || fail "no bash completion"
        if [ -f "$build/mica.1" ]; then
            [ -f prefix/share/man/man1/mica.1 ] || fail "no share/man/man1/mica.1"
            MANPATH=$work/prefix/share/man man -w mica 2>/dev/null | grep -q "$work/prefix" ||
                fail "man does not find the installed page"
        fi ;;
    completion)
        mkdir -p cls/app cls/lib/util && touch cls/app/Main.mcl cls/lib/util/Strings.mcl cls/Top.mcl
        touch prog.mica other.txt
        source "$src/doc/mica.bash-completion" || fail "the script does not load"
        complete -p mica | grep -q _mica || fail "not registered for mica"
        c() { COMP_LINE="$1"; COMP_POINT=${#1}; COMPREPLY=(); _mica; printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' '; }
        expect() { local got; got=$(c "$1"); [ "$got" = "$2" ] || fail "'$1': got '$got', wanted '$2'"; }
        expect "mica " "--help --version build disasm repl run test verify"
        expect "mica te" "test"
        expect "mica test --l" "--list"
        expect "mica run --jit=a" "always"
        expect "mica run --max-h" "--max-heap="
        expect "mica build -" "--main -cp -d -o -r"
        expect "mica run -cp cls " "Top app.Main cls lib.util.Strings prog.mica"
        expect "mica run -cp cls lib." "lib.util.Strings"
        expect "mica run -cp /nonexistent:cl" "cls"
        expect "mica test p" "prog.mica" ;;
    *) fail "unknown case $case" ;;
esac
echo "ok: $case"
