/* tests/jit/masm_cases_a64.c: writes the bytes the AArch64 macro-assembler
 * emits for a spread of operations, registers and immediates (masm.bin) next to
 * the same instructions as GNU assembler source (expected.s). masm_test_a64.sh
 * assembles expected.s with aarch64-linux-gnu-as and compares the two byte for
 * byte (every instruction is one word and the labels sit at the same offsets,
 * so branch displacements are compared too), so the encoder is checked against
 * binutils, not against itself. It runs on any host: the encoder only writes
 * bytes. Far branches: the same operations in far mode are among the cases, and
 * a branch over more than 1 MiB must make masm_finish ask for them.
 *
 *   masm_cases_a64 OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "masm.h"

static JMasm A;
static FILE *S;

/* Each case emits through the macro-assembler and prints the instructions it
 * must have produced (';' between instructions). */
#define CASE(emit, text)                                                                  \
    do {                                                                                  \
        emit;                                                                             \
        const char *t_ = text;                                                            \
        while (*t_) {                                                                     \
            const char *e_ = strchr(t_, ';');                                             \
            size_t n_ = e_ ? (size_t)(e_ - t_) : strlen(t_);                              \
            fprintf(S, "    %.*s\n", (int)n_, t_);                                        \
            t_ += n_ + (e_ ? 1 : 0);                                                      \
            while (*t_ == ' ')                                                            \
                t_++;                                                                     \
        }                                                                                 \
    } while (0)

/* A branch from offset 0 to a label more than 1 MiB ahead: the short form must
 * be refused with need_far, the far form accepted and correct. */
static int check_far(void)
{
    for (int far = 0; far <= 1; far++) {
        JMasm m;
        masm_init(&m);
        m.far = far;
        JLabel l = masm_label(&m);
        masm_bri(&m, JC_EQ, JR_R0, 0, l);
        masm_br(&m, JC_LT, JR_R0, JR_R1, l);
        static const uint8_t nop[4] = {0x1F, 0x20, 0x03, 0xD5};
        for (int k = 0; k < (1 << 18) + 16; k++)
            masm_emit(&m, nop, 4);
        masm_bind(&m, l);
        bool ok = masm_finish(&m);
        if (!far && (ok || !m.need_far)) {
            fprintf(stderr, "a branch over 1 MiB was not refused with need_far\n");
            return 1;
        }
        if (far) {
            uint32_t w[4];
            memcpy(w, m.buf, sizeof w);
            /* cbnz x0, .+8; b L; cmp x0, x1 (at 8); b.ge .+8 (12); b L (16) */
            uint32_t to1 = (uint32_t)((masm_label_offset(&m, l) - 4) / 4);
            if (!ok || w[0] != 0xB5000040u || w[1] != (0x14000000u | to1) ||
                w[3] != 0x5400004Au) {
                fprintf(stderr, "far branches wrong: %08x %08x %08x\n", w[0], w[1], w[3]);
                return 1;
            }
        }
        masm_free(&m);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: masm_cases_a64 OUTDIR\n");
        return 2;
    }
    if (check_far())
        return 1;
    char path[4096];
    snprintf(path, sizeof path, "%s/expected.s", argv[1]);
    S = fopen(path, "w");
    if (!S)
        return 1;
    fprintf(S, ".text\n");
    masm_init(&A);
    JLabel l = masm_label(&A), fwd = masm_label(&A);
    masm_bind(&A, l);
    fprintf(S, "L0:\n");

    CASE(masm_prologue(&A), "stp x29, x30, [sp, #-64]!; mov x29, sp; stp x19, x20, [sp, #16];"
                            "stp x21, x22, [sp, #32]; str x23, [sp, #48]; mov x19, x0;"
                            "mov x21, x1; mov x0, x2");
    CASE(masm_mov(&A, JR_R0, JR_R5), "mov x0, x5");
    CASE(masm_mov(&A, JR_BASE, JR_VM), "mov x20, x19");
    CASE(masm_mov(&A, JR_T0, JR_FRAME), "mov x22, x21");
    CASE(masm_mov(&A, JR_R1, JR_SP), "mov x1, sp");
    CASE(masm_mov(&A, JR_R2, JR_R2), "");
    CASE(masm_movi(&A, JR_R0, 0), "movz x0, #0");
    CASE(masm_movi(&A, JR_R5, 1), "movz x5, #1");
    CASE(masm_movi(&A, JR_R3, -1), "movn x3, #0");
    CASE(masm_movi(&A, JR_R2, 0x7fffffff), "movz x2, #0xffff; movk x2, #0x7fff, lsl #16");
    CASE(masm_movi(&A, JR_R4, 0xffffffffll), "movz x4, #0xffff; movk x4, #0xffff, lsl #16");
    CASE(masm_movi(&A, JR_T0, -0x80000000ll), "movn x22, #0xffff; movk x22, #0x8000, lsl #16");
    CASE(masm_movi(&A, JR_BASE, 0x123456789abcdef0ll),
         "movz x20, #0xdef0; movk x20, #0x9abc, lsl #16; movk x20, #0x5678, lsl #32;"
         "movk x20, #0x1234, lsl #48");
    CASE(masm_movi(&A, JR_R1, 0x10000), "movz x1, #1, lsl #16");
    CASE(masm_movi(&A, JR_R1, -0x10001), "movn x1, #1, lsl #16");
    CASE(masm_movi(&A, JR_T1, INT64_MIN), "movz x23, #0x8000, lsl #48");
    CASE(masm_ld(&A, JR_R0, JR_BASE, 0x18), "ldr x0, [x20, #24]");
    CASE(masm_ld(&A, JR_R5, JR_FRAME, 0), "ldr x5, [x21]");
    CASE(masm_ld(&A, JR_R1, JR_VM, -8), "ldur x1, [x19, #-8]");
    CASE(masm_ld(&A, JR_R0, JR_BASE, 12), "ldur x0, [x20, #12]");
    CASE(masm_ld(&A, JR_R0, JR_BASE, 32760), "ldr x0, [x20, #32760]");
    CASE(masm_ld(&A, JR_T0, JR_R3, 0x12345),
         "movz x17, #0x2345; movk x17, #1, lsl #16; ldr x22, [x3, x17]");
    CASE(masm_ld(&A, JR_R1, JR_R3, -0x1000), "movn x17, #0xfff; ldr x1, [x3, x17]");
    CASE(masm_ld(&A, JR_R2, JR_SP, 16), "ldr x2, [sp, #16]");
    CASE(masm_ld32s(&A, JR_R2, JR_R1, 0x40), "ldrsw x2, [x1, #64]");
    CASE(masm_ld32s(&A, JR_R2, JR_R1, -4), "ldursw x2, [x1, #-4]");
    CASE(masm_ld8(&A, JR_R3, JR_BASE, 0x90), "ldrb w3, [x20, #144]");
    CASE(masm_ld8(&A, JR_R3, JR_BASE, -1), "ldurb w3, [x20, #-1]");
    CASE(masm_ld32s(&A, JR_R0, JR_R1, 0x40000), "movz x17, #4, lsl #16; ldrsw x0, [x1, x17]");
    CASE(masm_ld8(&A, JR_R0, JR_R1, 0x1000), "movz x17, #0x1000; ldrb w0, [x1, x17]");
    CASE(masm_st8(&A, JR_R0, JR_R1, -0x200), "movn x17, #0x1ff; strb w0, [x1, x17]");
    CASE(masm_st32(&A, JR_R0, JR_R1, 0x4000), "movz x17, #0x4000; str w0, [x1, x17]");
    CASE(masm_fld(&A, JF2, JR_R1, 0x8001), "movz x17, #0x8001; ldr d2, [x1, x17]");
    CASE(masm_sti(&A, JR_R1, 0x9000, 7), "movz x16, #7; movz x17, #0x9000; str x16, [x1, x17]");
    CASE(masm_alui(&A, JA_SUB, JR_R0, JR_R1, INT32_MIN), "movn x16, #0xffff; movk x16, #0x8000, lsl #16; sub x0, x1, x16");
    CASE(masm_seti(&A, JC_ULT, JR_R0, JR_R1, 0x5000), "cmp x1, #5, lsl #12; cset x0, lo");
    CASE(masm_st(&A, JR_R4, JR_BASE, 0x100), "str x4, [x20, #256]");
    CASE(masm_st(&A, JR_VM, JR_R0, 0), "str x19, [x0]");
    CASE(masm_st(&A, JR_R1, JR_R0, 0x9000), "movz x17, #0x9000; str x1, [x0, x17]");
    CASE(masm_st8(&A, JR_R3, JR_BASE, 8), "strb w3, [x20, #8]");
    CASE(masm_st32(&A, JR_R1, JR_VM, 0x2c), "str w1, [x19, #44]");
    CASE(masm_st32(&A, JR_R1, JR_VM, 0x2e), "stur w1, [x19, #46]");
    CASE(masm_sti(&A, JR_BASE, 0x20, -5), "movn x16, #4; str x16, [x20, #32]");
    CASE(masm_sti(&A, JR_FRAME, 0, 0x12345678),
         "movz x16, #0x5678; movk x16, #0x1234, lsl #16; str x16, [x21]");
    CASE(masm_sti(&A, JR_BASE, 8, 0), "str xzr, [x20, #8]");
    CASE(masm_add32m(&A, JR_VM, 0x580, 1), "ldrsw x16, [x19, #1408]; add x16, x16, #0x1; str w16, [x19, #1408]");
    CASE(masm_add32m(&A, JR_R1, 0x4000, -1),
         "movz x17, #0x4000; ldrsw x16, [x1, x17]; sub x16, x16, #0x1; movz x17, #0x4000; str w16, [x1, x17]");
    CASE(masm_ldx(&A, JR_R0, JR_R0, JR_R1, 3, 16), "add x16, x0, x1, lsl #3; ldr x0, [x16, #16]");
    CASE(masm_ldx(&A, JR_R5, JR_BASE, JR_T0, 0, 0), "ldr x5, [x20, x22]");
    CASE(masm_ldx(&A, JR_R0, JR_R0, JR_R1, 3, 0), "ldr x0, [x0, x1, lsl #3]");
    CASE(masm_ldx8(&A, JR_R2, JR_FRAME, JR_R3, 16), "add x16, x21, x3; ldrb w2, [x16, #16]");
    CASE(masm_stx(&A, JR_R2, JR_R0, JR_R1, 3, 16), "add x16, x0, x1, lsl #3; str x2, [x16, #16]");
    CASE(masm_stx(&A, JR_R2, JR_R0, JR_R1, 3, 0), "str x2, [x0, x1, lsl #3]");
    CASE(masm_stx8(&A, JR_R4, JR_R0, JR_R1, 16), "add x16, x0, x1; strb w4, [x16, #16]");
    CASE(masm_stx8(&A, JR_R4, JR_R0, JR_R1, 0), "strb w4, [x0, x1]");
    CASE(masm_alu(&A, JA_ADD, JR_R0, JR_R0, JR_R3), "add x0, x0, x3");
    CASE(masm_alu(&A, JA_ADD, JR_R0, JR_R3, JR_R0), "add x0, x3, x0");
    CASE(masm_alu(&A, JA_SUB, JR_R0, JR_R3, JR_R0), "sub x0, x3, x0");
    CASE(masm_alu(&A, JA_SUB, JR_T0, JR_R1, JR_R2), "sub x22, x1, x2");
    CASE(masm_alu(&A, JA_MUL, JR_R5, JR_R5, JR_BASE), "mul x5, x5, x20");
    CASE(masm_alu(&A, JA_AND, JR_R2, JR_R2, JR_R4), "and x2, x2, x4");
    CASE(masm_alu(&A, JA_OR, JR_R1, JR_R1, JR_R0), "orr x1, x1, x0");
    CASE(masm_alu(&A, JA_XOR, JR_R0, JR_R0, JR_R1), "eor x0, x0, x1");
    CASE(masm_alu(&A, JA_SHL, JR_R0, JR_R0, JR_R3), "lsl x0, x0, x3");
    CASE(masm_alu(&A, JA_SAR, JR_R3, JR_R4, JR_R1), "asr x3, x4, x1");
    CASE(masm_alu(&A, JA_SHR, JR_R0, JR_R0, JR_R5), "lsr x0, x0, x5");
    CASE(masm_alui(&A, JA_ADD, JR_R0, JR_R0, 1), "add x0, x0, #1");
    CASE(masm_alui(&A, JA_ADD, JR_R1, JR_BASE, 0x1000), "add x1, x20, #1, lsl #12");
    CASE(masm_alui(&A, JA_ADD, JR_R1, JR_BASE, 0x1008), "movz x16, #0x1008; add x1, x20, x16");
    CASE(masm_alui(&A, JA_SUB, JR_R5, JR_R5, -128), "add x5, x5, #128");
    CASE(masm_alui(&A, JA_ADD, JR_R0, JR_R0, -8), "sub x0, x0, #8");
    CASE(masm_alui(&A, JA_SUB, JR_R0, JR_R0, 1), "sub x0, x0, #1");
    CASE(masm_alui(&A, JA_AND, JR_R0, JR_R0, 0xff), "and x0, x0, #0xff");
    CASE(masm_alui(&A, JA_OR, JR_R2, JR_R2, 0x10000), "orr x2, x2, #0x10000");
    CASE(masm_alui(&A, JA_OR, JR_R0, JR_R0, 0x7ffffffe), "orr x0, x0, #0x7ffffffe");
    CASE(masm_alui(&A, JA_AND, JR_R1, JR_R1, -16), "and x1, x1, #0xfffffffffffffff0");
    CASE(masm_alui(&A, JA_XOR, JR_R4, JR_R4, INT32_MIN), "eor x4, x4, #0xffffffff80000000");
    CASE(masm_alui(&A, JA_AND, JR_R1, JR_R1, 0x0f0f0f0f),
         "movz x16, #0xf0f; movk x16, #0xf0f, lsl #16; and x1, x1, x16");
    CASE(masm_alui(&A, JA_XOR, JR_R3, JR_R3, -1), "movn x16, #0; eor x3, x3, x16");
    CASE(masm_alui(&A, JA_MUL, JR_R4, JR_R1, 40), "movz x16, #40; mul x4, x1, x16");
    CASE(masm_alui(&A, JA_SHL, JR_R0, JR_R0, 3), "lsl x0, x0, #3");
    CASE(masm_alui(&A, JA_SHL, JR_R0, JR_R0, 32), "lsl x0, x0, #32");
    CASE(masm_alui(&A, JA_SHR, JR_T0, JR_T0, 63), "lsr x22, x22, #63");
    CASE(masm_alui(&A, JA_SAR, JR_R5, JR_R5, 2), "asr x5, x5, #2");
    CASE(masm_alui(&A, JA_SHL, JR_R0, JR_R1, 0), "mov x0, x1");
    CASE(masm_neg(&A, JR_R0, JR_R3), "neg x0, x3");
    CASE(masm_sdiv(&A, JR_R0, JR_R3, JR_R5), "sdiv x0, x3, x5");
    CASE(masm_srem(&A, JR_R4, JR_R3, JR_R5), "sdiv x16, x3, x5; msub x4, x16, x5, x3");
    CASE(masm_set(&A, JC_LT, JR_R0, JR_R0, JR_R1), "cmp x0, x1; cset x0, lt");
    CASE(masm_set(&A, JC_UGE, JR_R2, JR_R4, JR_R5), "cmp x4, x5; cset x2, hs");
    CASE(masm_set(&A, JC_UGT, JR_R2, JR_R4, JR_R5), "cmp x4, x5; cset x2, hi");
    CASE(masm_seti(&A, JC_NE, JR_R1, JR_R1, 0), "cmp x1, #0; cset x1, ne");
    CASE(masm_seti(&A, JC_EQ, JR_R0, JR_R3, 1000), "cmp x3, #1000; cset x0, eq");
    CASE(masm_seti(&A, JC_GT, JR_R0, JR_R3, -7), "cmn x3, #7; cset x0, gt");
    CASE(masm_seti(&A, JC_LE, JR_R0, JR_R3, 100000),
         "movz x16, #0x86a0; movk x16, #1, lsl #16; cmp x3, x16; cset x0, le");
    CASE(masm_br(&A, JC_GE, JR_R0, JR_R1, l), "cmp x0, x1; b.ge L0");
    CASE(masm_br(&A, JC_ULE, JR_R1, JR_R0, l), "cmp x1, x0; b.ls L0");
    CASE(masm_br(&A, JC_EQ, JR_R1, JR_R0, fwd), "cmp x1, x0; b.eq L1");
    CASE(masm_brm(&A, JC_NE, JR_R0, 0, JR_R2, l), "ldr x17, [x0]; cmp x17, x2; b.ne L0");
    CASE(masm_brm(&A, JC_EQ, JR_T1, 8, JR_R1, fwd), "ldr x17, [x23, #8]; cmp x17, x1; b.eq L1");
    CASE(masm_brm(&A, JC_LT, JR_BASE, -8, JR_T0, l), "ldur x17, [x20, #-8]; cmp x17, x22; b.lt L0");
    CASE(masm_bri(&A, JC_EQ, JR_R0, 0, l), "cbz x0, L0");
    CASE(masm_bri(&A, JC_NE, JR_T1, 0, fwd), "cbnz x23, L1");
    CASE(masm_bri(&A, JC_LE, JR_R5, 1, l), "cmp x5, #1; b.le L0");
    CASE(masm_bri(&A, JC_ULT, JR_R2, 4096, l), "cmp x2, #1, lsl #12; b.lo L0");
    CASE(masm_bri(&A, JC_GT, JR_T0, 100000, l),
         "movz x16, #0x86a0; movk x16, #1, lsl #16; cmp x22, x16; b.gt L0");
    CASE(masm_step(&A, l), "subs x9, x9, #1; b.le L0");
    CASE(masm_step(&A, fwd), "subs x9, x9, #1; b.le L1");
    CASE(masm_step_back(&A), "add x9, x9, #1");
    CASE(masm_jmp(&A, l), "b L0");
    CASE(masm_jmp(&A, fwd), "b L1");
    CASE(masm_jmpr(&A, JR_R0), "br x0");
    CASE(masm_jmpr(&A, JR_R5), "br x5");
    CASE(masm_callr(&A, JR_R5), "blr x5");
    CASE(masm_call(&A, (const void *)(uintptr_t)0x0000aaaabbbbccccull),
         "movz x16, #0xcccc; movk x16, #0xbbbb, lsl #16; movk x16, #0xaaaa, lsl #32; blr x16");
    CASE(masm_fld(&A, JF0, JR_BASE, 0x28), "ldr d0, [x20, #40]");
    CASE(masm_fld(&A, JF3, JR_R0, 0), "ldr d3, [x0]");
    CASE(masm_fld(&A, JF1, JR_R0, -8), "ldur d1, [x0, #-8]");
    CASE(masm_fst(&A, JF1, JR_BASE, 0x30), "str d1, [x20, #48]");
    CASE(masm_fst(&A, JF2, JR_BASE, 0x10000), "movz x17, #1, lsl #16; str d2, [x20, x17]");
    CASE(masm_falu(&A, JFA_ADD, JF0, JF0, JF1), "fadd d0, d0, d1");
    CASE(masm_falu(&A, JFA_SUB, JF2, JF0, JF1), "fsub d2, d0, d1");
    CASE(masm_falu(&A, JFA_DIV, JF1, JF0, JF1), "fdiv d1, d0, d1");
    CASE(masm_falu(&A, JFA_MUL, JF3, JF3, JF2), "fmul d3, d3, d2");
    CASE(masm_fset(&A, JFC_GT, JR_R0, JF0, JF1), "fcmp d0, d1; cset x0, gt");
    CASE(masm_fset(&A, JFC_GE, JR_R0, JF0, JF1), "fcmp d0, d1; cset x0, ge");
    CASE(masm_fset(&A, JFC_LT, JR_R0, JF0, JF1), "fcmp d0, d1; cset x0, mi");
    CASE(masm_fset(&A, JFC_LE, JR_R1, JF0, JF1), "fcmp d0, d1; cset x1, ls");
    CASE(masm_fset(&A, JFC_EQ, JR_R0, JF2, JF3), "fcmp d2, d3; cset x0, eq");
    CASE(masm_fset(&A, JFC_NE, JR_R0, JF0, JF1), "fcmp d0, d1; cset x0, ne");
    CASE(masm_fbr(&A, JFC_LT, JF0, JF1, l), "fcmp d0, d1; b.mi L0");
    CASE(masm_fbr(&A, JFC_LE, JF0, JF1, l), "fcmp d0, d1; b.ls L0");
    CASE(masm_fbr(&A, JFC_NE, JF0, JF1, l), "fcmp d0, d1; b.ne L0");
    CASE(masm_fbr(&A, JFC_NLT, JF0, JF1, l), "fcmp d0, d1; b.pl L0");
    CASE(masm_fbr(&A, JFC_NLE, JF2, JF1, l), "fcmp d2, d1; b.hi L0");
    CASE(masm_fbr(&A, JFC_NGT, JF0, JF3, fwd), "fcmp d0, d3; b.le L1");
    CASE(masm_fbr(&A, JFC_NGE, JF0, JF1, l), "fcmp d0, d1; b.lt L0");
    CASE(masm_fset(&A, JFC_NGE, JR_R2, JF4, JF5), "fcmp d4, d5; cset x2, lt");
    CASE(masm_i2f(&A, JF0, JR_R0), "scvtf d0, x0");
    CASE(masm_i2f(&A, JF2, JR_T0), "scvtf d2, x22");
    CASE(masm_fld(&A, JF6, JR_BASE, 0x100), "ldr d6, [x20, #256]");
    CASE(masm_falu(&A, JFA_ADD, JF4, JF5, JF6), "fadd d4, d5, d6");
    CASE(masm_fmov(&A, JF5, JF2), "fmov d5, d2");
    CASE(masm_fmov(&A, JF3, JF3), "");
    CASE(masm_fsqrt(&A, JF0, JF1), "fsqrt d0, d1");
    CASE(masm_fsqrt(&A, JF6, JF6), "fsqrt d6, d6");
    CASE(masm_fget(&A, JR_R0, JF0), "fmov x0, d0");
    CASE(masm_fget(&A, JR_T1, JF6), "fmov x23, d6");
    CASE(masm_fput(&A, JF1, JR_R3), "fmov d1, x3");
    CASE(masm_fput(&A, JF5, JR_T0), "fmov d5, x22");
    CASE(masm_body_enter(&A), "stp x29, x30, [sp, #-32]!; mov x29, sp; stp x20, x21, [sp, #16]");
    CASE(masm_body_ret(&A), "ldp x20, x21, [sp, #16]; ldp x29, x30, [sp], #32; ret");
    CASE(masm_call_label(&A, l), "bl L0");
    CASE(masm_call_label(&A, fwd), "bl L1");
    CASE(masm_br(&A, JC_ULE, JR_SP, JR_R0, l), "cmp sp, x0; b.ls L0");
    CASE(masm_set(&A, JC_ULT, JR_R1, JR_R2, JR_SP), "mov x16, sp; cmp x2, x16; cset x1, lo");
    CASE(masm_alu(&A, JA_SUB, JR_R1, JR_SP, JR_R2), "mov x17, sp; sub x1, x17, x2");
    /* far forms: the inverted condition over an unconditional branch */
    A.far = true;
    CASE(masm_br(&A, JC_LT, JR_R0, JR_R1, l), "cmp x0, x1; b.ge .+8; b L0");
    CASE(masm_bri(&A, JC_EQ, JR_R0, 0, l), "cbnz x0, .+8; b L0");
    CASE(masm_brm(&A, JC_NE, JR_R0, 0, JR_R2, l), "ldr x17, [x0]; cmp x17, x2; b.eq .+8; b L0");
    CASE(masm_bri(&A, JC_NE, JR_R3, 0, fwd), "cbz x3, .+8; b L1");
    CASE(masm_bri(&A, JC_UGE, JR_R3, 5, fwd), "cmp x3, #5; b.lo .+8; b L1");
    CASE(masm_fbr(&A, JFC_GT, JF0, JF1, l), "fcmp d0, d1; b.le .+8; b L0");
    CASE(masm_fbr(&A, JFC_LT, JF0, JF1, l), "fcmp d0, d1; b.pl .+8; b L0");
    CASE(masm_step(&A, l), "subs x9, x9, #1; b.gt .+8; b L0");
    A.far = false;
    masm_bind(&A, fwd);
    fprintf(S, "L1:\n");
    CASE(masm_ret(&A), "ldp x19, x20, [sp, #16]; ldp x21, x22, [sp, #32]; ldr x23, [sp, #48];"
                       "ldp x29, x30, [sp], #64; ret");
    /* the step counter at home in the VM: the entry loads it, the return
     * and every C call store it, the call loads it again */
    masm_steps(&A, 0x25e0);
    CASE(masm_prologue(&A), "stp x29, x30, [sp, #-64]!; mov x29, sp; stp x19, x20, [sp, #16];"
                            "stp x21, x22, [sp, #32]; str x23, [sp, #48]; mov x19, x0;"
                            "mov x21, x1; mov x0, x2; ldr x9, [x19, #9696]");
    CASE(masm_call(&A, (const void *)(uintptr_t)0x0000aaaabbbbccccull),
         "str x9, [x19, #9696]; movz x16, #0xcccc; movk x16, #0xbbbb, lsl #16;"
         "movk x16, #0xaaaa, lsl #32; blr x16; ldr x9, [x19, #9696]");
    CASE(masm_ret(&A), "str x9, [x19, #9696]; ldp x19, x20, [sp, #16]; ldp x21, x22, [sp, #32];"
                       "ldr x23, [sp, #48]; ldp x29, x30, [sp], #64; ret");
    fclose(S);
    if (!masm_finish(&A))
        return 1;
    /* no fused multiply-add: fmadd, fmsub, fnmadd, fnmsub are the class 0x1f000000 */
    for (size_t k = 0; k + 4 <= A.len; k += 4) {
        uint32_t insn = (uint32_t)A.buf[k] | (uint32_t)A.buf[k + 1] << 8 |
                        (uint32_t)A.buf[k + 2] << 16 | (uint32_t)A.buf[k + 3] << 24;
        if ((insn & 0x1F000000u) == 0x1F000000u) {
            fprintf(stderr, "a fused multiply-add at offset %zu\n", k);
            return 1;
        }
    }
    snprintf(path, sizeof path, "%s/masm.bin", argv[1]);
    FILE *b = fopen(path, "wb");
    if (!b || fwrite(A.buf, 1, A.len, b) != A.len)
        return 1;
    fclose(b);
    masm_free(&A);
    return 0;
}
