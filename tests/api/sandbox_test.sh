#!/usr/bin/env bash
# tests/api/sandbox_test.sh MICA SRC: the mica command's capability flags. By
# default a script reads files; --sandbox denies it with a message naming the
# flag; --allow-read=DIR grants it back under DIR only.
set -euo pipefail
mica=$1 src=$2
prog=$src/tests/api/capcheck.mica
own=$src/tests/api/capcheck.mica
out=$("$mica" run "$prog" -- "$own")
[ "$out" = "read //" ] || { echo "default run: $out"; exit 1; }
out=$("$mica" run --sandbox "$prog" -- "$own")
case $out in "denied: read $own needs the READ capability"*"--allow-read"*) ;; *) echo "sandbox: $out"; exit 1;; esac
out=$("$mica" run --sandbox --allow-read="$src/tests" "$prog" -- "$own")
[ "$out" = "read //" ] || { echo "allow-read=DIR: $out"; exit 1; }
out=$("$mica" run --sandbox --allow-read="$src/tests/api/nowhere" "$prog" -- "$own")
case $out in "denied: read $own: READ is granted only under"*) ;; *) echo "outside DIR: $out"; exit 1;; esac
echo "sandbox ok"
