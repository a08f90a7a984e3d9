#!/usr/bin/env bash
# bench/run.sh: time Mica against its peers (C, HotSpot, Lua 5.4, CPython) in one run.
#
#   bench/run.sh [BUILD_DIR] [--quick]
#
# Needs hyperfine, a JDK, lua5.4 and python3 (apt-get install hyperfine default-jdk-headless
# lua5.4 python3). Each benchmark is timed whole-process by hyperfine, every peer in the same
# run; read the "Relative" column: ratios, not seconds, are what compare across machines.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
runs=5
[ "${2:-}" = "--quick" ] && runs=2
mica="$build/mica"
[ -x "$mica" ] || { echo "bench: $mica not built (cmake --build $build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -o "$work/nbody_c" "$here/peers/nbody.c" -lm
gcc -O2 -o "$work/fib_c" "$here/peers/fib.c"
printf '#include <stdio.h>\nint main(void){puts("Hello, world!");return 0;}\n' > "$work/hello.c"
gcc -O2 -o "$work/hello_c" "$work/hello.c"
have_java=0
if command -v javac >/dev/null; then
    printf 'public class Hello{public static void main(String[] a){System.out.println("Hello, world!");}}\n' \
        > "$work/Hello.java"
    javac -d "$work" "$here/peers/NBody.java" "$here/peers/Fib.java" "$work/Hello.java" && have_java=1
fi
have_lua=0; command -v lua5.4 >/dev/null && have_lua=1
have_py=0; command -v python3 >/dev/null && have_py=1
"$mica" build -d "$work/mcl" "$root/examples/nbody.mica" "$root/examples/fib.mica" \
    "$root/examples/hello.mica" >/dev/null

bench() {   # name, then commands for: mica (source), mica (class files), c, java, lua, python
    local name=$1; shift
    local cmds=()
    for c in "$@"; do [ -n "$c" ] && cmds+=("$c"); done
    echo "## $name"
    hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$work/$name.md" "${cmds[@]}" >/dev/null
    cat "$work/$name.md"; echo
}
j() { [ $have_java = 1 ] && echo "java -cp $work $*" || true; }
l() { [ $have_lua = 1 ] && echo "lua5.4 $*" || true; }
p() { [ $have_py = 1 ] && echo "python3 $*" || true; }

printf 'print("Hello, world!")\n' > "$work/hello.lua"
bench hello "$mica run -cp $work/mcl Hello" "$work/hello_c" "$(j Hello)" "$(l "$work/hello.lua")"
bench fib30 "$mica run -cp $work/mcl Fib 30" "$work/fib_c 30" "$(j Fib 30)" "$(l "$here/peers/fib.lua" 30)" \
    "$(p "$here/peers/fib.py" 30)"
bench nbody250k "$mica run -cp $work/mcl Nbody 250000" "$work/nbody_c 250000" "$(j NBody 250000)" \
    "$(l "$here/peers/nbody.lua" 250000)"
