#!/bin/bash
# tests/jit/masm_test.sh: checks the x86-64 macro-assembler against binutils.
#   masm_test.sh MASM_CASES WORKDIR
# masm_cases writes the encoder's bytes (masm.bin) and the same instructions as
# assembler source (expected.s); both are disassembled by objdump and must read
# the same, instruction by instruction (branch targets aside: the encoder always
# uses 32-bit displacements, `as` picks the shortest).
set -u
CASES=$1
WORK=$2
if ! command -v as >/dev/null || ! command -v objdump >/dev/null; then
    echo "binutils (as, objdump) not found: skipped"
    exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
"$CASES" . || { echo "masm_cases failed"; exit 1; }
as --64 -o expected.o expected.s || { echo "as rejected expected.s"; exit 1; }
normalize() {
    # keep the instruction text; drop addresses, bytes and branch targets
    sed -n 's/^ *[0-9a-f]*:\t//p' | sed -E 's/ +/ /g; s/ *$//' |
        sed -E 's/^(j[a-z]+|call) [0-9a-fx]+( <.*>)?$/\1 TARGET/' |
        sed -E 's/\[r13\+0x0\]/[r13+0x0]/'
}
objdump -d -M intel --no-show-raw-insn expected.o | normalize >want.txt
objdump -D -b binary -m i386:x86-64 -M intel --no-show-raw-insn masm.bin | normalize >got.txt
if ! diff -u want.txt got.txt; then
    echo "FAIL: the encoder's bytes disassemble differently from binutils' encoding"
    exit 1
fi
echo "$(wc -l <got.txt) instructions match"
