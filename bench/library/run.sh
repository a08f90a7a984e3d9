#!/usr/bin/env bash
# bench/library/run.sh: the standard library against Java (HotSpot) and Lua 5.4 in
# one run: sorting a million ints, building a million-entry hash map and tree map,
# and String.format in a loop.
#
#   bench/library/run.sh [BUILD_DIR] [--quick]
#
# Needs hyperfine, a JDK and lua5.4. Every program prints a checksum; the script
# stops if the peers disagree. Read hyperfine's "Relative" column (ratios within
# one run), not the seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
build=${1:-$root/build}
runs=5
[ "${2:-}" = "--quick" ] && runs=2
mica="$build/mica"
[ -x "$mica" ] || { echo "bench: $mica not built (cmake --build $build)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

have_java=0
if command -v javac >/dev/null; then
    javac -d "$work" "$here"/*.java && have_java=1
fi
have_lua=0; command -v lua5.4 >/dev/null && have_lua=1

# name, Mica source, Java class, Lua source
while read -r name src cls lua; do
    "$mica" build -d "$work/$name" "$here/$src" >/dev/null
    main=$(basename "$src" .mica); main="$(tr '[:lower:]' '[:upper:]' <<<"${main:0:1}")${main:1}"
    cmds=("$mica run -cp $work/$name $main")
    want=$($mica run -cp "$work/$name" "$main")
    if [ $have_java = 1 ]; then
        got=$(java -cp "$work" "$cls")
        [ "$got" = "$want" ] || { echo "bench: $name: java printed '$got', mica '$want'" >&2; exit 1; }
        cmds+=("java -cp $work $cls")
    fi
    if [ $have_lua = 1 ]; then
        got=$(lua5.4 "$here/$lua")
        [ "$got" = "$want" ] || { echo "bench: $name: lua printed '$got', mica '$want'" >&2; exit 1; }
        cmds+=("lua5.4 $here/$lua")
    fi
    echo "## $name"
    hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$work/$name.md" "${cmds[@]}" >/dev/null
    cat "$work/$name.md"; echo
done <<'LIST'
sort1m sort.mica Sort sort.lua
hashmap1m hashmap.mica HashMapBench hashmap.lua
treemap1m treemap.mica TreeMapBench treemap.lua
format300k format.mica FormatBench format.lua
LIST
