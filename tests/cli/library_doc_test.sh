#!/bin/bash
# tests/cli/library_doc_test.sh: the library reference check reports a public
# member without an entry (here Random.nextGaussian, taken out of a copy of the
# reference) and fails; the real reference passes it.
#
#   library_doc_test.sh MICA SOURCE_DIR CLASS_DIR WORK_DIR
set -u
mica=$1
src=$2
classes=$3
work=$4
rm -rf "$work"
mkdir -p "$work/doc"
cp "$src"/doc/library/*.md "$work/doc/"
sed -i 's/`nextGaussian()`/(gaussian)/' "$work/doc/util.md"
out=$("$src/tools/check_library_doc.sh" "$mica" "$classes" "$work/doc")
status=$?
if [ $status -ne 1 ]; then
    echo "expected exit status 1, got $status: $out"
    exit 1
fi
if ! grep -q "missing member: std.util.Random.nextGaussian" <<<"$out"; then
    echo "the missing entry was not reported: $out"
    exit 1
fi
echo "reported: $out"
