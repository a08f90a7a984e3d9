#!/usr/bin/env bash
# bench/embed/run.sh: the embedding API against Lua 5.4's C API in one run
# (needs liblua5.4-dev). Not a test: quote the ratios.
#
#   bench/embed/run.sh [BUILD_DIR] [CALLS] [VMS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
build=${1:-$root/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/embed_bench" "$here/embed_bench.c" -I"$root/include" \
    $(pkg-config --cflags lua5.4) -L"$build/lib" -Wl,-rpath,"$build/lib" -lmica \
    $(pkg-config --libs lua5.4)
"$work/embed_bench" "${2:-5000000}" "${3:-2000}"
