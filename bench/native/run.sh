#!/usr/bin/env bash
# bench/native/run.sh: the cost of a Mica native call (libffi) against a Mica
# call and a direct C call. Not a test: read the ns/call figures as ratios.
#
#   bench/native/run.sh [BUILD_DIR] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$(dirname "$(dirname "$here")")/build}
n=${2:-10000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 -o "$work/fabs_c" "$here/fabs.c" -lm
"$work/fabs_c" "$n"
"$build/mica" run --allow-native "$here/calls.mica" "$n"
