/* tests/jit/masm_cases.c: writes the bytes the x86-64 macro-assembler emits
 * for a spread of operations, registers and immediates (masm.bin) next to the
 * same instructions as GNU assembler source (expected.s). masm_test.sh
 * assembles expected.s with `as`, disassembles both with `objdump` and
 * compares them instruction by instruction, so the encoder is checked
 * against binutils, not against itself.
 *
 *   masm_cases OUTDIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "masm.h"

static JMasm A;
static FILE *S;

/* Each case emits through the macro-assembler and prints the instructions it
 * must have produced (Intel syntax, ';' between instructions). */
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

static void helper(void) {}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: masm_cases OUTDIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/expected.s", argv[1]);
    S = fopen(path, "w");
    if (!S)
        return 1;
    fprintf(S, ".intel_syntax noprefix\n.text\n");
    masm_init(&A);
    JLabel l = masm_label(&A);
    masm_bind(&A, l);
    fprintf(S, "L0:\n");

    CASE(masm_prologue(&A), "push rbp; mov rbp, rsp; push rbx; push r12; push r13; push r14;"
                            "push r15; sub rsp, 8; mov rbx, rdi; mov r13, rsi; mov rax, rdx");
    CASE(masm_body_enter(&A), "push r12; push r13; sub rsp, 8");
    CASE(masm_body_ret(&A), "add rsp, 8; pop r13; pop r12; ret");
    CASE(masm_call_label(&A, l), "call L0");
    CASE(masm_step(&A, l), "sub r9, 1; jle L0");
    CASE(masm_step_back(&A), "add r9, 1");
    CASE(masm_mov(&A, JR_R0, JR_R5), "mov rax, r8");
    CASE(masm_mov(&A, JR_BASE, JR_VM), "mov r12, rbx");
    CASE(masm_mov(&A, JR_T0, JR_FRAME), "mov r14, r13");
    CASE(masm_mov(&A, JR_R1, JR_SP), "mov rcx, rsp");
    CASE(masm_movi(&A, JR_R0, 0), "mov eax, 0");
    CASE(masm_movi(&A, JR_R5, 1), "mov r8d, 1");
    CASE(masm_movi(&A, JR_R3, -1), "mov rsi, -1");
    CASE(masm_movi(&A, JR_R2, 0x7fffffff), "mov edx, 0x7fffffff");
    CASE(masm_movi(&A, JR_R4, 0xffffffffll), "mov edi, 0xffffffff");
    CASE(masm_movi(&A, JR_T0, -0x80000000ll), "mov r14, -0x80000000");
    CASE(masm_movi(&A, JR_BASE, 0x123456789abcdef0ll), "movabs r12, 0x123456789abcdef0");
    CASE(masm_ld(&A, JR_R0, JR_BASE, 0x18), "mov rax, QWORD PTR [r12+0x18]");
    CASE(masm_ld(&A, JR_R5, JR_FRAME, 0), "mov r8, QWORD PTR [r13+0x0]");
    CASE(masm_ld(&A, JR_R1, JR_VM, -8), "mov rcx, QWORD PTR [rbx-0x8]");
    CASE(masm_ld(&A, JR_T0, JR_R3, 0x12345), "mov r14, QWORD PTR [rsi+0x12345]");
    CASE(masm_ld(&A, JR_R2, JR_SP, 16), "mov rdx, QWORD PTR [rsp+0x10]");
    CASE(masm_ld32s(&A, JR_R2, JR_R1, 0x40), "movsxd rdx, DWORD PTR [rcx+0x40]");
    CASE(masm_ld8(&A, JR_R3, JR_BASE, 0x90), "movzx rsi, BYTE PTR [r12+0x90]");
    CASE(masm_st(&A, JR_R4, JR_BASE, 0x100), "mov QWORD PTR [r12+0x100], rdi");
    CASE(masm_st(&A, JR_VM, JR_R0, 0), "mov QWORD PTR [rax], rbx");
    CASE(masm_st8(&A, JR_R3, JR_BASE, 8), "mov BYTE PTR [r12+0x8], sil");
    CASE(masm_st8(&A, JR_R0, JR_R5, 0), "mov BYTE PTR [r8], al");
    CASE(masm_st32(&A, JR_R1, JR_VM, 0x2c), "mov DWORD PTR [rbx+0x2c], ecx");
    CASE(masm_sti(&A, JR_BASE, 0x20, -5), "mov QWORD PTR [r12+0x20], -5");
    CASE(masm_add32m(&A, JR_VM, 0x580, 1), "add DWORD PTR [rbx+0x580], 0x1");
    CASE(masm_add32m(&A, JR_R5, 0, -1), "add DWORD PTR [r8], 0xffffffff");
    CASE(masm_add32m(&A, JR_FRAME, 8, 300), "add DWORD PTR [r13+0x8], 0x12c");
    CASE(masm_sti(&A, JR_FRAME, 0, 0x12345678), "mov QWORD PTR [r13+0x0], 0x12345678");
    CASE(masm_ldx(&A, JR_R0, JR_R0, JR_R1, 3, 16), "mov rax, QWORD PTR [rax+rcx*8+0x10]");
    CASE(masm_ldx(&A, JR_R5, JR_BASE, JR_T0, 0, 0), "mov r8, QWORD PTR [r12+r14*1]");
    CASE(masm_ldx8(&A, JR_R2, JR_FRAME, JR_R3, 16), "movzx rdx, BYTE PTR [r13+rsi*1+0x10]");
    CASE(masm_stx(&A, JR_R2, JR_R0, JR_R1, 3, 16), "mov QWORD PTR [rax+rcx*8+0x10], rdx");
    CASE(masm_stx8(&A, JR_R4, JR_R0, JR_R1, 16), "mov BYTE PTR [rax+rcx*1+0x10], dil");
    CASE(masm_alu(&A, JA_ADD, JR_R0, JR_R0, JR_R3), "add rax, rsi");
    CASE(masm_alu(&A, JA_ADD, JR_R0, JR_R3, JR_R0), "add rax, rsi");
    CASE(masm_alu(&A, JA_SUB, JR_R0, JR_R3, JR_R0), "mov r11, rax; mov rax, rsi; sub rax, r11");
    CASE(masm_alu(&A, JA_SUB, JR_T0, JR_R1, JR_R2), "mov r14, rcx; sub r14, rdx");
    CASE(masm_alu(&A, JA_MUL, JR_R5, JR_R5, JR_BASE), "imul r8, r12");
    CASE(masm_alu(&A, JA_AND, JR_R2, JR_R2, JR_R4), "and rdx, rdi");
    CASE(masm_alu(&A, JA_OR, JR_R1, JR_R1, JR_R0), "or rcx, rax");
    CASE(masm_alu(&A, JA_XOR, JR_R0, JR_R0, JR_R1), "xor rax, rcx");
    CASE(masm_alu(&A, JA_SHL, JR_R0, JR_R0, JR_R3),
         "mov r11, rax; mov rcx, rsi; shl r11, cl; mov rax, r11");
    CASE(masm_alu(&A, JA_SAR, JR_R3, JR_R4, JR_R1), "mov r11, rdi; sar r11, cl; mov rsi, r11");
    CASE(masm_alu(&A, JA_SHR, JR_R0, JR_R0, JR_R5),
         "mov r11, rax; mov rcx, r8; shr r11, cl; mov rax, r11");
    CASE(masm_alui(&A, JA_ADD, JR_R0, JR_R0, 1), "add rax, 1");
    CASE(masm_alui(&A, JA_ADD, JR_R1, JR_BASE, 0x1000), "lea rcx, [r12+0x1000]");
    CASE(masm_alui(&A, JA_ADD, JR_R5, JR_FRAME, 0x28), "lea r8, [r13+0x28]");
    CASE(masm_alui(&A, JA_SUB, JR_R0, JR_SP, 8), "lea rax, [rsp-0x8]");
    CASE(masm_alui(&A, JA_ADD, JR_R4, JR_R0, 0), "lea rdi, [rax]");
    CASE(masm_alui(&A, JA_SUB, JR_R5, JR_R5, -128), "sub r8, -128");
    CASE(masm_alui(&A, JA_AND, JR_R0, JR_R0, 0xff), "and rax, 0xff");
    CASE(masm_alui(&A, JA_OR, JR_R2, JR_R2, 0x10000), "or rdx, 0x10000");
    CASE(masm_alui(&A, JA_XOR, JR_R3, JR_R3, -1), "xor rsi, -1");
    CASE(masm_alui(&A, JA_MUL, JR_R4, JR_R1, 40), "imul rdi, rcx, 40");
    CASE(masm_alui(&A, JA_SHL, JR_R0, JR_R0, 3), "shl rax, 3");
    CASE(masm_alui(&A, JA_SHR, JR_T0, JR_T0, 63), "shr r14, 63");
    CASE(masm_alui(&A, JA_SAR, JR_R5, JR_R5, 2), "sar r8, 2");
    CASE(masm_neg(&A, JR_R0, JR_R3), "mov rax, rsi; neg rax");
    CASE(masm_sdiv(&A, JR_R0, JR_R3, JR_R5), "mov r11, r8; mov rax, rsi; cqo; idiv r11");
    CASE(masm_srem(&A, JR_R4, JR_R3, JR_R5),
         "mov r11, r8; mov rax, rsi; cqo; idiv r11; mov rdi, rdx");
    CASE(masm_set(&A, JC_LT, JR_R0, JR_R0, JR_R1), "cmp rax, rcx; setl r11b; movzx rax, r11b");
    CASE(masm_set(&A, JC_UGE, JR_R2, JR_R4, JR_R5),
         "cmp rdi, r8; setae r11b; movzx rdx, r11b");
    CASE(masm_seti(&A, JC_NE, JR_R1, JR_R1, 0), "cmp rcx, 0; setne r11b; movzx rcx, r11b");
    CASE(masm_seti(&A, JC_EQ, JR_R0, JR_R3, 1000), "cmp rsi, 1000; sete r11b; movzx rax, r11b");
    CASE(masm_br(&A, JC_GE, JR_R0, JR_R1, l), "cmp rax, rcx; jge L0");
    CASE(masm_br(&A, JC_ULE, JR_R1, JR_R0, l), "cmp rcx, rax; jbe L0");
    CASE(masm_brm(&A, JC_NE, JR_R0, 0, JR_R2, l), "cmp [rax], rdx; jne L0");
    CASE(masm_brm(&A, JC_EQ, JR_T1, 8, JR_R1, l), "cmp [r15+8], rcx; je L0");
    CASE(masm_brm(&A, JC_LT, JR_BASE, 0x400, JR_T0, l), "cmp [r12+0x400], r14; jl L0");
    CASE(masm_brm(&A, JC_UGT, JR_FRAME, 0, JR_R5, l), "cmp [r13+0], r8; ja L0");
    CASE(masm_bri(&A, JC_EQ, JR_R0, 0, l), "test rax, rax; je L0");
    CASE(masm_bri(&A, JC_LE, JR_R5, 1, l), "cmp r8, 1; jle L0");
    CASE(masm_bri(&A, JC_GT, JR_T0, 100000, l), "cmp r14, 100000; jg L0");
    CASE(masm_jmp(&A, l), "jmp L0");
    CASE(masm_jmpr(&A, JR_R0), "jmp rax");
    CASE(masm_jmpr(&A, JR_R5), "jmp r8");
    CASE(masm_callr(&A, JR_R5), "call r8");
    CASE(masm_call(&A, (const void *)helper), "");
    fprintf(S, "    movabs r11, 0x%llx\n    call r11\n",
            (unsigned long long)(uintptr_t)helper);
    CASE(masm_fld(&A, JF0, JR_BASE, 0x28), "movsd xmm0, QWORD PTR [r12+0x28]");
    CASE(masm_fld(&A, JF3, JR_R0, 0), "movsd xmm3, QWORD PTR [rax]");
    CASE(masm_fst(&A, JF1, JR_BASE, 0x30), "movsd QWORD PTR [r12+0x30], xmm1");
    CASE(masm_falu(&A, JFA_ADD, JF0, JF0, JF1), "addsd xmm0, xmm1");
    CASE(masm_falu(&A, JFA_SUB, JF2, JF0, JF1), "movapd xmm2, xmm0; subsd xmm2, xmm1");
    CASE(masm_falu(&A, JFA_DIV, JF1, JF0, JF1),
         "movapd xmm7, xmm0; divsd xmm7, xmm1; movapd xmm1, xmm7");
    CASE(masm_falu(&A, JFA_MUL, JF3, JF3, JF2), "mulsd xmm3, xmm2");
    CASE(masm_fset(&A, JFC_GT, JR_R0, JF0, JF1), "ucomisd xmm0, xmm1; seta r11b; movzx rax, r11b");
    CASE(masm_fset(&A, JFC_LE, JR_R1, JF0, JF1),
         "ucomisd xmm1, xmm0; setae r11b; movzx rcx, r11b");
    CASE(masm_fset(&A, JFC_EQ, JR_R0, JF2, JF3),
         "ucomisd xmm2, xmm3; sete r11b; setnp r10b; and r11b, r10b; movzx rax, r11b");
    CASE(masm_fset(&A, JFC_NE, JR_R0, JF0, JF1),
         "ucomisd xmm0, xmm1; setne r11b; setp r10b; or r11b, r10b; movzx rax, r11b");
    CASE(masm_fbr(&A, JFC_LT, JF0, JF1, l), "ucomisd xmm1, xmm0; ja L0");
    CASE(masm_fbr(&A, JFC_NGT, JF2, JF1, l), "ucomisd xmm2, xmm1; jbe L0");
    CASE(masm_fbr(&A, JFC_NGE, JF0, JF3, l), "ucomisd xmm0, xmm3; jb L0");
    CASE(masm_fbr(&A, JFC_NLT, JF0, JF1, l), "ucomisd xmm1, xmm0; jbe L0");
    CASE(masm_fbr(&A, JFC_NLE, JF4, JF1, l), "ucomisd xmm1, xmm4; jb L0");
    CASE(masm_fset(&A, JFC_NGT, JR_R0, JF0, JF1), "ucomisd xmm0, xmm1; setbe r11b; movzx rax, r11b");
    CASE(masm_fset(&A, JFC_NLE, JR_R2, JF5, JF6), "ucomisd xmm6, xmm5; setb r11b; movzx rdx, r11b");
    CASE(masm_fbr(&A, JFC_NE, JF0, JF1, l), "ucomisd xmm0, xmm1; jp L0; jne L0");
    CASE(masm_i2f(&A, JF0, JR_R0), "cvtsi2sd xmm0, rax");
    CASE(masm_i2f(&A, JF2, JR_T0), "cvtsi2sd xmm2, r14");
    CASE(masm_fsqrt(&A, JF0, JF0), "sqrtsd xmm0, xmm0");
    CASE(masm_fsqrt(&A, JF3, JF1), "sqrtsd xmm3, xmm1");
    CASE(masm_fld(&A, JF6, JR_BASE, 0x100), "movsd xmm6, QWORD PTR [r12+0x100]");
    CASE(masm_falu(&A, JFA_ADD, JF4, JF5, JF6), "movapd xmm4, xmm5; addsd xmm4, xmm6");
    CASE(masm_fmov(&A, JF5, JF2), "movapd xmm5, xmm2");
    CASE(masm_fmov(&A, JF3, JF3), "");
    CASE(masm_fget(&A, JR_R0, JF0), "movq rax, xmm0");
    CASE(masm_fget(&A, JR_T1, JF6), "movq r15, xmm6");
    CASE(masm_fget(&A, JR_R5, JF4), "movq r8, xmm4");
    CASE(masm_fput(&A, JF1, JR_R3), "movq xmm1, rsi");
    CASE(masm_fput(&A, JF5, JR_T0), "movq xmm5, r14");
    CASE(masm_fput(&A, JF2, JR_R5), "movq xmm2, r8");
    CASE(masm_ret(&A), "add rsp, 8; pop r15; pop r14; pop r13; pop r12; pop rbx; pop rbp; ret");
    /* the step counter at home in the VM: the entry loads it, the return
     * and every C call store it, the call loads it again */
    masm_steps(&A, 0x25e0);
    CASE(masm_prologue(&A), "push rbp; mov rbp, rsp; push rbx; push r12; push r13; push r14;"
                            "push r15; sub rsp, 8; mov rbx, rdi; mov r13, rsi; mov rax, rdx;"
                            "mov r9, QWORD PTR [rbx+0x25e0]");
    CASE(masm_step(&A, l), "sub r9, 1; jle L0");
    CASE(masm_ret(&A), "mov QWORD PTR [rbx+0x25e0], r9; add rsp, 8; pop r15; pop r14;"
                       "pop r13; pop r12; pop rbx; pop rbp; ret");
    masm_steps(&A, 8);
    CASE(masm_ret(&A), "mov QWORD PTR [rbx+8], r9; add rsp, 8; pop r15; pop r14;"
                       "pop r13; pop r12; pop rbx; pop rbp; ret");
    fclose(S);
    if (!masm_finish(&A))
        return 1;
    snprintf(path, sizeof path, "%s/masm.bin", argv[1]);
    FILE *b = fopen(path, "wb");
    if (!b || fwrite(A.buf, 1, A.len, b) != A.len)
        return 1;
    fclose(b);
    masm_free(&A);
    return 0;
}
