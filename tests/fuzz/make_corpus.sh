#!/bin/bash
# tests/fuzz/make_corpus.sh: builds the seed corpora of the fuzz targets from the test
# programs: class files (reader, verifier, whole VM), sources (compiler) and, for the
# whole VM, one .mar archive per program.
#   make_corpus.sh MICA SOURCE_DIR OUT_DIR
set -u
mica=$1 src=$2 out=$3
rm -rf "$out"
mkdir -p "$out/classes" "$out/sources" "$out/archives" "$out/tmp"
n=0
while IFS= read -r f; do
    base=$(echo "${f#$src/}" | tr '/' '_')
    base=${base%.mica}
    cp "$f" "$out/sources/$base.mica"
    if "$mica" build -d "$out/tmp/$base" "$f" >/dev/null 2>&1; then
        while IFS= read -r c; do
            cp "$c" "$out/classes/${base}_$(basename "$c")"
            n=$((n + 1))
        done < <(find "$out/tmp/$base" -name '*.mcl')
        "$mica" build -o "$out/archives/$base.mar" "$f" >/dev/null 2>&1
    fi
done < <(find "$src/tests/lang" "$src/examples" -name '*.mica' | sort)
rm -rf "$out/tmp"
echo "corpus: $n class files, $(ls "$out/sources" | wc -l) sources, $(ls "$out/archives" | wc -l) archives"
[ "$n" -gt 0 ]
