#!/bin/bash
# tests/jit/masm_test_a64.sh: checks the AArch64 macro-assembler against binutils.
#   masm_test_a64.sh MASM_CASES_A64 WORKDIR
# masm_cases_a64 writes the encoder's bytes (masm.bin) and the same instructions as
# assembler source (expected.s); aarch64-linux-gnu-as assembles the source and the
# two must be the same bytes (every instruction is one word and both have their labels
# at the same offsets, so branch displacements are compared too). On a difference,
# both disassemblies are shown side by side.
set -u
CASES=$1
WORK=$2
AS=aarch64-linux-gnu-as OBJCOPY=aarch64-linux-gnu-objcopy OBJDUMP=aarch64-linux-gnu-objdump
if [ "$(uname -m)" = aarch64 ] && ! command -v $AS >/dev/null; then
    AS=as OBJCOPY=objcopy OBJDUMP=objdump
fi
for t in $AS $OBJCOPY $OBJDUMP; do
    command -v $t >/dev/null || { echo "$t not found (binutils-aarch64-linux-gnu): skipped"; exit 77; }
done
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
"$CASES" . || { echo "masm_cases_a64 failed"; exit 1; }
$AS -o expected.o expected.s || { echo "as rejected expected.s"; exit 1; }
$OBJCOPY -O binary -j .text expected.o expected.bin || exit 1
if ! cmp -s expected.bin masm.bin; then
    dis() { $OBJDUMP -D -b binary -m aarch64 "$1" | sed -n 's/^ *\([0-9a-f]*:\)/\1/p'; }
    diff -u <(dis expected.bin) <(dis masm.bin)
    echo "FAIL: the encoder's bytes differ from binutils' encoding (- as, + masm)"
    exit 1
fi
echo "$(($(stat -c %s masm.bin) / 4)) instructions match"
