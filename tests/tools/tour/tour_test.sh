#!/usr/bin/env bash
# tests/tools/tour/tour_test.sh MICA SOURCE_DIR WORK: runs every program of doc/tour.md.
# Each ```mica block is a complete program, run with `mica run` (```mica test blocks with
# `mica test`) as WORK/N/tour.mica; the ```text block that follows it is its exact
# standard output. A program without its output block, a non-zero exit or a different
# output fails the test, naming the block's line in tour.md.
set -u
export LC_ALL=C
mica=$1; src=$2; work=$3
tour=$src/doc/tour.md
rm -rf "$work" && mkdir -p "$work" || exit 1
# Split the tour: WORK/N/tour.mica, WORK/N/kind (run|test), WORK/N/line, WORK/N/expected.
awk -v dir="$work" '
    function start(k) { n++; system("mkdir -p " dir "/" n); kind = k; mode = "code";
                        print k > (dir "/" n "/kind"); print NR > (dir "/" n "/line") }
    mode == "" && /^```mica( test)?$/ { start($0 ~ /test$/ ? "test" : "run"); next }
    mode == "code" && /^```$/ { mode = "after"; next }
    mode == "code" { print > (dir "/" n "/tour.mica"); next }
    mode == "after" && /^```text$/ { mode = "out"; printf "" > (dir "/" n "/expected"); next }
    mode == "after" && /^[[:space:]]*$/ { next }
    mode == "after" { mode = "" }
    mode == "out" && /^```$/ { mode = ""; next }
    mode == "out" { print > (dir "/" n "/expected"); next }
    END { print n + 0 > (dir "/count") }
' "$tour"
count=$(cat "$work/count")
[ "$count" -ge 10 ] || { echo "FAIL: only $count programs found in doc/tour.md"; exit 1; }
failed=0
for ((i = 1; i <= count; i++)); do
    d=$work/$i
    line=$(cat "$d/line")
    if [ ! -f "$d/expected" ]; then
        echo "FAIL: doc/tour.md:$line: the program has no \`\`\`text block with its output"
        failed=1
        continue
    fi
    if [ "$(cat "$d/kind")" = test ]; then
        (cd "$d" && "$mica" test tour.mica >out 2>err)
    else
        (cd "$d" && "$mica" run tour.mica >out 2>err)
    fi
    rc=$?
    if [ $rc != 0 ] || ! cmp -s "$d/expected" "$d/out"; then
        echo "FAIL: doc/tour.md:$line: exit $rc"
        cat "$d/err"
        diff -u "$d/expected" "$d/out"
        failed=1
    fi
done
[ $failed = 0 ] && echo "ok: $count programs of doc/tour.md"
exit $failed
