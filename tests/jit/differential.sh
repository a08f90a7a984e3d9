#!/bin/bash
# tests/jit/differential.sh: runs generated programs (gen_programs) and the
# compile fuzzer's source corpus, if given, with --jit=off, --jit=always and
# --jit=on at a low threshold (OSR), and fails on any difference in stdout,
# stderr or exit status.
#   differential.sh MICA GEN WORKDIR SEED COUNT [CORPUS_DIR]
set -u
MICA=$1
GEN=$2
WORK=$3
SEED=$4
COUNT=$5
CORPUS=${6:-}
rm -rf "$WORK" && mkdir -p "$WORK/src" && cd "$WORK" || exit 1
"$GEN" "$SEED" "$COUNT" src || { echo "generator failed"; exit 1; }
if [ -n "$CORPUS" ] && [ -d "$CORPUS" ]; then
    find "$CORPUS" -name '*.mica' | sort | head -"${MICA_DIFF_CORPUS:-40}" | while read -r f; do
        cp "$f" "src/corpus_$(basename "$f")"
    done
fi
fails=0
n=0
run() { # MODE FILE OUT
    timeout 20 "$MICA" run --max-steps=20000000 "$1" "$2" >"$3.out" 2>"$3.err"
    echo "exit $?" >>"$3.out"
}
for f in src/*.mica; do
    n=$((n + 1))
    b=$(basename "$f" .mica)
    run --jit=off "$f" "$b.off"
    run --jit=always "$f" "$b.always"
    timeout 20 "$MICA" run --max-steps=20000000 --jit=on --jit-threshold=3 "$f" \
        >"$b.on.out" 2>"$b.on.err"
    echo "exit $?" >>"$b.on.out"
    for t in always on; do
        if ! cmp -s "$b.off.out" "$b.$t.out" || ! cmp -s "$b.off.err" "$b.$t.err"; then
            echo "DIFFERENT: $f (--jit=off vs $t)"
            diff "$b.off.out" "$b.$t.out" | head -5
            diff "$b.off.err" "$b.$t.err" | head -5
            fails=$((fails + 1))
        fi
    done
done
echo "$n programs, $fails differences"
[ "$fails" -eq 0 ]
