/* jit/x64/masm_x64.c: the x86-64 backend of the macro-assembler (System V
 * ABI). Abstract registers: R0 rax, R1 rcx, R2 rdx, R3 rsi, R4 rdi, R5 r8;
 * VM rbx, BASE r12, FRAME r13, T0 r14, T1 r15 (callee-saved); JF0..JF6
 * xmm0..xmm6; r10, r11 and xmm7 are
 * the backend's own temporaries; r9 holds the step counter (masm_steps). Labels are 32-bit relative displacements. */
#include "../masm.h"

#include <string.h>

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7,
       R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15 };

static const uint8_t hw[JR_COUNT] = {
    [JR_R0] = RAX, [JR_R1] = RCX, [JR_R2] = RDX, [JR_R3] = RSI, [JR_R4] = RDI,
    [JR_R5] = R8, [JR_VM] = RBX, [JR_BASE] = R12, [JR_FRAME] = R13, [JR_T0] = R14,
    [JR_T1] = R15,
    [JR_SP] = RSP,
};

JReg masm_arg(int i)
{
    static const JReg args[5] = {JR_R4, JR_R3, JR_R2, JR_R1, JR_R5};
    return args[i >= 0 && i < 5 ? i : 0];
}

/* System V passes float arguments in xmm0.. and returns one in xmm0: JF0.. */
JFReg masm_farg(int i)
{
    return (JFReg)(JF0 + (i >= 0 && i < 4 ? i : 0));
}

static void b1(JMasm *m, uint8_t x) { masm_emit(m, &x, 1); }
static void b4(JMasm *m, int32_t x) { masm_emit(m, &x, 4); }
static void b8(JMasm *m, int64_t x) { masm_emit(m, &x, 8); }

static void rex(JMasm *m, int w, int reg, int index, int base, bool force)
{
    uint8_t r = (uint8_t)(0x40 | (w << 3) | ((reg >> 3) << 2) | ((index >> 3) << 1) | (base >> 3));
    if (r != 0x40 || force)
        b1(m, r);
}

/* ModRM (+SIB, displacement) for [base + disp] with reg field [reg]. */
static void mem(JMasm *m, int reg, int base, int32_t disp)
{
    int mod = (disp == 0 && (base & 7) != RBP) ? 0 : (disp >= -128 && disp <= 127) ? 1 : 2;
    b1(m, (uint8_t)((mod << 6) | ((reg & 7) << 3) | (base & 7)));
    if ((base & 7) == RSP)
        b1(m, 0x24);
    if (mod == 1)
        b1(m, (uint8_t)(int8_t)disp);
    else if (mod == 2)
        b4(m, disp);
}

/* [base + index << scale + disp] */
static void memx(JMasm *m, int reg, int base, int index, int scale, int32_t disp)
{
    int mod = (disp == 0 && (base & 7) != RBP) ? 0 : (disp >= -128 && disp <= 127) ? 1 : 2;
    b1(m, (uint8_t)((mod << 6) | ((reg & 7) << 3) | 4));
    b1(m, (uint8_t)((scale << 6) | ((index & 7) << 3) | (base & 7)));
    if (mod == 1)
        b1(m, (uint8_t)(int8_t)disp);
    else if (mod == 2)
        b4(m, disp);
}

static void op_rr(JMasm *m, uint8_t op, int reg, int rm)
{
    rex(m, 1, reg, 0, rm, false);
    b1(m, op);
    b1(m, (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm & 7)));
}

static void mov_rr(JMasm *m, int d, int s)
{
    if (d != s)
        op_rr(m, 0x89, s, d);
}

static void movi(JMasm *m, int d, int64_t imm)
{
    if (imm >= 0 && imm <= 0xFFFFFFFFll) {
        rex(m, 0, 0, 0, d, false);
        b1(m, (uint8_t)(0xB8 + (d & 7)));
        b4(m, (int32_t)(uint32_t)imm);
    } else if (imm >= INT32_MIN && imm <= INT32_MAX) {
        rex(m, 1, 0, 0, d, false);
        b1(m, 0xC7);
        b1(m, (uint8_t)(0xC0 | (d & 7)));
        b4(m, (int32_t)imm);
    } else {
        rex(m, 1, 0, 0, d, false);
        b1(m, (uint8_t)(0xB8 + (d & 7)));
        b8(m, imm);
    }
}

/* The step counter's register and its home (masm_steps). */
static void steps_home(JMasm *m, uint8_t opcode)
{
    if (!m->steps)
        return;
    rex(m, 1, R9, 0, RBX, false);
    b1(m, opcode);
    mem(m, R9, RBX, m->steps_disp);
}

void masm_prologue(JMasm *m)
{
    static const uint8_t code[] = {
        0x55,                   /* push rbp       */
        0x48, 0x89, 0xE5,       /* mov rbp, rsp   */
        0x53,                   /* push rbx       */
        0x41, 0x54,             /* push r12       */
        0x41, 0x55,             /* push r13       */
        0x41, 0x56,             /* push r14       */
        0x41, 0x57,             /* push r15       */
        0x48, 0x83, 0xEC, 0x08, /* sub rsp, 8     */
        0x48, 0x89, 0xFB,       /* mov rbx, rdi   */
        0x49, 0x89, 0xF5,       /* mov r13, rsi   */
        0x48, 0x89, 0xD0,       /* mov rax, rdx   */
    };
    masm_emit(m, code, sizeof code);
    steps_home(m, 0x8B);
}

void masm_ret(JMasm *m)
{
    steps_home(m, 0x89);
    static const uint8_t code[] = {
        0x48, 0x83, 0xC4, 0x08, /* add rsp, 8 */
        0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5B, 0x5D, 0xC3,
    };
    masm_emit(m, code, sizeof code);
}

void masm_body_enter(JMasm *m)
{
    static const uint8_t code[] = {
        0x41, 0x54,             /* push r12     */
        0x41, 0x55,             /* push r13     */
        0x48, 0x83, 0xEC, 0x08, /* sub rsp, 8   */
    };
    masm_emit(m, code, sizeof code);
}

void masm_body_ret(JMasm *m)
{
    static const uint8_t code[] = {
        0x48, 0x83, 0xC4, 0x08, /* add rsp, 8 */
        0x41, 0x5D, 0x41, 0x5C, 0xC3,
    };
    masm_emit(m, code, sizeof code);
}

void masm_call_label(JMasm *m, JLabel l)
{
    b1(m, 0xE8);
    masm_add_fixup(m, masm_offset(m), l, 0);
    b4(m, 0);
}

void masm_mov(JMasm *m, JReg d, JReg s) { mov_rr(m, hw[d], hw[s]); }
void masm_movi(JMasm *m, JReg d, int64_t imm) { movi(m, hw[d], imm); }

void masm_ld(JMasm *m, JReg d, JReg base, int32_t disp)
{
    rex(m, 1, hw[d], 0, hw[base], false);
    b1(m, 0x8B);
    mem(m, hw[d], hw[base], disp);
}

void masm_ld32s(JMasm *m, JReg d, JReg base, int32_t disp)
{
    rex(m, 1, hw[d], 0, hw[base], false);
    b1(m, 0x63);
    mem(m, hw[d], hw[base], disp);
}

void masm_ld8(JMasm *m, JReg d, JReg base, int32_t disp)
{
    rex(m, 1, hw[d], 0, hw[base], false);
    b1(m, 0x0F);
    b1(m, 0xB6);
    mem(m, hw[d], hw[base], disp);
}

void masm_st(JMasm *m, JReg s, JReg base, int32_t disp)
{
    rex(m, 1, hw[s], 0, hw[base], false);
    b1(m, 0x89);
    mem(m, hw[s], hw[base], disp);
}

void masm_st8(JMasm *m, JReg s, JReg base, int32_t disp)
{
    rex(m, 0, hw[s], 0, hw[base], hw[s] >= 4);
    b1(m, 0x88);
    mem(m, hw[s], hw[base], disp);
}

void masm_st32(JMasm *m, JReg s, JReg base, int32_t disp)
{
    rex(m, 0, hw[s], 0, hw[base], false);
    b1(m, 0x89);
    mem(m, hw[s], hw[base], disp);
}

void masm_add32m(JMasm *m, JReg base, int32_t disp, int32_t imm)
{
    /* add dword [base + disp], imm (imm8 form when it fits) */
    rex(m, 0, 0, 0, hw[base], false);
    bool small = imm >= -128 && imm <= 127;
    b1(m, small ? 0x83 : 0x81);
    mem(m, 0, hw[base], disp);
    if (small)
        b1(m, (uint8_t)(int8_t)imm);
    else
        b4(m, imm);
}

void masm_sti(JMasm *m, JReg base, int32_t disp, int32_t imm)
{
    rex(m, 1, 0, 0, hw[base], false);
    b1(m, 0xC7);
    mem(m, 0, hw[base], disp);
    b4(m, imm);
}

void masm_ldx(JMasm *m, JReg d, JReg base, JReg index, int shift, int32_t disp)
{
    rex(m, 1, hw[d], hw[index], hw[base], false);
    b1(m, 0x8B);
    memx(m, hw[d], hw[base], hw[index], shift, disp);
}

void masm_ldx8(JMasm *m, JReg d, JReg base, JReg index, int32_t disp)
{
    rex(m, 1, hw[d], hw[index], hw[base], false);
    b1(m, 0x0F);
    b1(m, 0xB6);
    memx(m, hw[d], hw[base], hw[index], 0, disp);
}

void masm_stx(JMasm *m, JReg s, JReg base, JReg index, int shift, int32_t disp)
{
    rex(m, 1, hw[s], hw[index], hw[base], false);
    b1(m, 0x89);
    memx(m, hw[s], hw[base], hw[index], shift, disp);
}

void masm_stx8(JMasm *m, JReg s, JReg base, JReg index, int32_t disp)
{
    rex(m, 0, hw[s], hw[index], hw[base], hw[s] >= 4);
    b1(m, 0x88);
    memx(m, hw[s], hw[base], hw[index], 0, disp);
}

/* op d, s for the two-operand ALU forms (r/m = d, reg = s) */
static void alu2(JMasm *m, JAlu op, int d, int s)
{
    switch (op) {
    case JA_ADD: op_rr(m, 0x01, s, d); break;
    case JA_SUB: op_rr(m, 0x29, s, d); break;
    case JA_AND: op_rr(m, 0x21, s, d); break;
    case JA_OR: op_rr(m, 0x09, s, d); break;
    case JA_XOR: op_rr(m, 0x31, s, d); break;
    case JA_MUL: /* imul d, s */
        rex(m, 1, d, 0, s, false);
        b1(m, 0x0F);
        b1(m, 0xAF);
        b1(m, (uint8_t)(0xC0 | ((d & 7) << 3) | (s & 7)));
        break;
    default: break;
    }
}

void masm_alu(JMasm *m, JAlu op, JReg dr, JReg ar, JReg br)
{
    int d = hw[dr], a = hw[ar], b = hw[br];
    if (op == JA_SHL || op == JA_SHR || op == JA_SAR) {
        mov_rr(m, R11, a);
        mov_rr(m, RCX, b);
        rex(m, 1, 0, 0, R11, false);
        b1(m, 0xD3);
        b1(m, (uint8_t)(0xC0 | ((op == JA_SHL ? 4 : op == JA_SHR ? 5 : 7) << 3) | (R11 & 7)));
        mov_rr(m, d, R11);
        return;
    }
    bool commutes = op != JA_SUB;
    if (d == a) {
        alu2(m, op, d, b);
    } else if (d == b && commutes) {
        alu2(m, op, d, a);
    } else if (d == b) {
        mov_rr(m, R11, b);
        mov_rr(m, d, a);
        alu2(m, op, d, R11);
    } else {
        mov_rr(m, d, a);
        alu2(m, op, d, b);
    }
}

void masm_alui(JMasm *m, JAlu op, JReg dr, JReg ar, int32_t imm)
{
    int d = hw[dr], a = hw[ar];
    if (op == JA_MUL) {
        rex(m, 1, d, 0, a, false);
        b1(m, 0x69);
        b1(m, (uint8_t)(0xC0 | ((d & 7) << 3) | (a & 7)));
        b4(m, imm);
        return;
    }
    if (d != a && (op == JA_ADD || (op == JA_SUB && imm != INT32_MIN))) {
        /* lea d, [a + imm]: one instruction (no flags are visible between operations) */
        rex(m, 1, d, 0, a, false);
        b1(m, 0x8D);
        mem(m, d, a, op == JA_ADD ? imm : -imm);
        return;
    }
    mov_rr(m, d, a);
    if (op == JA_SHL || op == JA_SHR || op == JA_SAR) {
        rex(m, 1, 0, 0, d, false);
        b1(m, 0xC1);
        b1(m, (uint8_t)(0xC0 | ((op == JA_SHL ? 4 : op == JA_SHR ? 5 : 7) << 3) | (d & 7)));
        b1(m, (uint8_t)(imm & 63));
        return;
    }
    int ext = op == JA_ADD ? 0 : op == JA_OR ? 1 : op == JA_AND ? 4 : op == JA_SUB ? 5 : 6;
    rex(m, 1, 0, 0, d, false);
    if (imm >= -128 && imm <= 127) {
        b1(m, 0x83);
        b1(m, (uint8_t)(0xC0 | (ext << 3) | (d & 7)));
        b1(m, (uint8_t)(int8_t)imm);
    } else {
        b1(m, 0x81);
        b1(m, (uint8_t)(0xC0 | (ext << 3) | (d & 7)));
        b4(m, imm);
    }
}

void masm_neg(JMasm *m, JReg dr, JReg ar)
{
    int d = hw[dr];
    mov_rr(m, d, hw[ar]);
    rex(m, 1, 0, 0, d, false);
    b1(m, 0xF7);
    b1(m, (uint8_t)(0xD8 | (d & 7)));
}

static void divide(JMasm *m, int d, int a, int b, bool rem)
{
    mov_rr(m, R11, b);
    mov_rr(m, RAX, a);
    b1(m, 0x48); b1(m, 0x99);               /* cqo       */
    b1(m, 0x49); b1(m, 0xF7); b1(m, 0xFB);  /* idiv r11  */
    mov_rr(m, d, rem ? RDX : RAX);
}

void masm_sdiv(JMasm *m, JReg d, JReg a, JReg b) { divide(m, hw[d], hw[a], hw[b], false); }
void masm_srem(JMasm *m, JReg d, JReg a, JReg b) { divide(m, hw[d], hw[a], hw[b], true); }

static const uint8_t cc[] = {
    [JC_EQ] = 0x4, [JC_NE] = 0x5, [JC_LT] = 0xC, [JC_LE] = 0xE, [JC_GT] = 0xF, [JC_GE] = 0xD,
    [JC_ULT] = 0x2, [JC_ULE] = 0x6, [JC_UGT] = 0x7, [JC_UGE] = 0x3,
};

static void cmp_rr(JMasm *m, int a, int b) { op_rr(m, 0x39, b, a); }

static void cmp_ri(JMasm *m, int a, int32_t imm)
{
    rex(m, 1, 0, 0, a, false);
    if (imm >= -128 && imm <= 127) {
        b1(m, 0x83);
        b1(m, (uint8_t)(0xF8 | (a & 7)));
        b1(m, (uint8_t)(int8_t)imm);
    } else {
        b1(m, 0x81);
        b1(m, (uint8_t)(0xF8 | (a & 7)));
        b4(m, imm);
    }
}

/* setcc r11b; movzx d, r11b */
static void setcc_to(JMasm *m, uint8_t code, int d)
{
    b1(m, 0x41); b1(m, 0x0F); b1(m, (uint8_t)(0x90 | code)); b1(m, 0xC3);
    rex(m, 1, d, 0, R11, false);
    b1(m, 0x0F); b1(m, 0xB6);
    b1(m, (uint8_t)(0xC0 | ((d & 7) << 3) | (R11 & 7)));
}

void masm_set(JMasm *m, JCond c, JReg d, JReg a, JReg b)
{
    cmp_rr(m, hw[a], hw[b]);
    setcc_to(m, cc[c], hw[d]);
}

void masm_seti(JMasm *m, JCond c, JReg d, JReg a, int32_t imm)
{
    cmp_ri(m, hw[a], imm);
    setcc_to(m, cc[c], hw[d]);
}

static void jcc(JMasm *m, uint8_t code, JLabel l)
{
    b1(m, 0x0F);
    b1(m, (uint8_t)(0x80 | code));
    masm_add_fixup(m, masm_offset(m), l, 0);
    b4(m, 0);
}

void masm_br(JMasm *m, JCond c, JReg a, JReg b, JLabel l)
{
    cmp_rr(m, hw[a], hw[b]);
    jcc(m, cc[c], l);
}

void masm_brm(JMasm *m, JCond c, JReg base, int32_t disp, JReg b, JLabel l)
{
    /* cmp [base + disp], b */
    rex(m, 1, hw[b], 0, hw[base], false);
    b1(m, 0x39);
    mem(m, hw[b], hw[base], disp);
    jcc(m, cc[c], l);
}

void masm_bri(JMasm *m, JCond c, JReg a, int32_t imm, JLabel l)
{
    if (imm == 0 && (c == JC_EQ || c == JC_NE)) {
        op_rr(m, 0x85, hw[a], hw[a]); /* test a, a */
    } else {
        cmp_ri(m, hw[a], imm);
    }
    jcc(m, cc[c], l);
}

void masm_step(JMasm *m, JLabel l)
{
    b1(m, 0x49); b1(m, 0x83); b1(m, 0xE9); b1(m, 1); /* sub r9, 1 */
    jcc(m, cc[JC_LE], l);
}

void masm_step_back(JMasm *m)
{
    b1(m, 0x49); b1(m, 0x83); b1(m, 0xC1); b1(m, 1); /* add r9, 1 */
}

void masm_jmp(JMasm *m, JLabel l)
{
    b1(m, 0xE9);
    masm_add_fixup(m, masm_offset(m), l, 0);
    b4(m, 0);
}

void masm_jmpr(JMasm *m, JReg r)
{
    rex(m, 0, 0, 0, hw[r], false);
    b1(m, 0xFF);
    b1(m, (uint8_t)(0xE0 | (hw[r] & 7)));
}

void masm_call(JMasm *m, const void *fn)
{
    steps_home(m, 0x89);
    movi(m, R11, (int64_t)(intptr_t)fn);
    b1(m, 0x41); b1(m, 0xFF); b1(m, 0xD3); /* call r11 */
    steps_home(m, 0x8B);
}

void masm_callr(JMasm *m, JReg r)
{
    rex(m, 0, 0, 0, hw[r], false);
    b1(m, 0xFF);
    b1(m, (uint8_t)(0xD0 | (hw[r] & 7)));
}

/* ---- binary64 ---- */

static void sse(JMasm *m, uint8_t prefix, uint8_t op, int reg, int rm_reg)
{
    b1(m, prefix);
    rex(m, 0, reg, 0, rm_reg, false);
    b1(m, 0x0F);
    b1(m, op);
    b1(m, (uint8_t)(0xC0 | ((reg & 7) << 3) | (rm_reg & 7)));
}

void masm_fld(JMasm *m, JFReg d, JReg base, int32_t disp)
{
    b1(m, 0xF2);
    rex(m, 0, (int)d, 0, hw[base], false);
    b1(m, 0x0F); b1(m, 0x10);
    mem(m, (int)d, hw[base], disp);
}

void masm_fst(JMasm *m, JFReg s, JReg base, int32_t disp)
{
    b1(m, 0xF2);
    rex(m, 0, (int)s, 0, hw[base], false);
    b1(m, 0x0F); b1(m, 0x11);
    mem(m, (int)s, hw[base], disp);
}

void masm_falu(JMasm *m, JFAlu op, JFReg d, JFReg a, JFReg b)
{
    static const uint8_t ops[] = {[JFA_ADD] = 0x58, [JFA_SUB] = 0x5C, [JFA_MUL] = 0x59,
                                  [JFA_DIV] = 0x5E};
    if (d == a) {
        sse(m, 0xF2, ops[op], d, b);
    } else if (d != b) {
        b1(m, 0x66); b1(m, 0x0F); b1(m, 0x28); b1(m, (uint8_t)(0xC0 | (d << 3) | a)); /* movapd */
        sse(m, 0xF2, ops[op], d, b);
    } else {
        b1(m, 0x66); b1(m, 0x0F); b1(m, 0x28); b1(m, (uint8_t)(0xC0 | (7 << 3) | a));
        sse(m, 0xF2, ops[op], 7, b);
        b1(m, 0x66); b1(m, 0x0F); b1(m, 0x28); b1(m, (uint8_t)(0xC0 | (d << 3) | 7));
    }
}

static void ucomisd(JMasm *m, int a, int b)
{
    b1(m, 0x66); b1(m, 0x0F); b1(m, 0x2E); b1(m, (uint8_t)(0xC0 | (a << 3) | b));
}

void masm_fset(JMasm *m, JFCond c, JReg dr, JFReg a, JFReg b)
{
    int d = hw[dr];
    switch (c) {
    case JFC_GT: ucomisd(m, a, b); setcc_to(m, 0x7, d); break;
    case JFC_GE: ucomisd(m, a, b); setcc_to(m, 0x3, d); break;
    case JFC_LT: ucomisd(m, b, a); setcc_to(m, 0x7, d); break;
    case JFC_LE: ucomisd(m, b, a); setcc_to(m, 0x3, d); break;
    /* unordered sets ZF, PF and CF: below (or equal) holds */
    case JFC_NGT: ucomisd(m, a, b); setcc_to(m, 0x6, d); break;
    case JFC_NGE: ucomisd(m, a, b); setcc_to(m, 0x2, d); break;
    case JFC_NLT: ucomisd(m, b, a); setcc_to(m, 0x6, d); break;
    case JFC_NLE: ucomisd(m, b, a); setcc_to(m, 0x2, d); break;
    case JFC_EQ:
    case JFC_NE:
        ucomisd(m, a, b);
        /* setcc r11b; setcc r10b (parity); and/or r11b, r10b; movzx d, r11b */
        b1(m, 0x41); b1(m, 0x0F); b1(m, c == JFC_EQ ? 0x94 : 0x95); b1(m, 0xC3);
        b1(m, 0x41); b1(m, 0x0F); b1(m, c == JFC_EQ ? 0x9B : 0x9A); b1(m, 0xC2);
        b1(m, 0x45); b1(m, c == JFC_EQ ? 0x20 : 0x08); b1(m, 0xD3);
        rex(m, 1, d, 0, R11, false);
        b1(m, 0x0F); b1(m, 0xB6);
        b1(m, (uint8_t)(0xC0 | ((d & 7) << 3) | (R11 & 7)));
        break;
    }
}

void masm_fbr(JMasm *m, JFCond c, JFReg a, JFReg b, JLabel l)
{
    switch (c) {
    case JFC_GT: ucomisd(m, a, b); jcc(m, 0x7, l); break;
    case JFC_GE: ucomisd(m, a, b); jcc(m, 0x3, l); break;
    case JFC_LT: ucomisd(m, b, a); jcc(m, 0x7, l); break;
    case JFC_LE: ucomisd(m, b, a); jcc(m, 0x3, l); break;
    case JFC_NGT: ucomisd(m, a, b); jcc(m, 0x6, l); break;
    case JFC_NGE: ucomisd(m, a, b); jcc(m, 0x2, l); break;
    case JFC_NLT: ucomisd(m, b, a); jcc(m, 0x6, l); break;
    case JFC_NLE: ucomisd(m, b, a); jcc(m, 0x2, l); break;
    case JFC_EQ:
        ucomisd(m, a, b);
        b1(m, 0x7A); b1(m, 0x06); /* jp over the je rel32 */
        jcc(m, 0x4, l);
        break;
    case JFC_NE:
        ucomisd(m, a, b);
        jcc(m, 0xA, l);
        jcc(m, 0x5, l);
        break;
    }
}

void masm_fsqrt(JMasm *m, JFReg d, JFReg s)
{
    sse(m, 0xF2, 0x51, d, s); /* sqrtsd */
}

void masm_i2f(JMasm *m, JFReg d, JReg s)
{
    b1(m, 0xF2);
    rex(m, 1, (int)d, 0, hw[s], false);
    b1(m, 0x0F); b1(m, 0x2A);
    b1(m, (uint8_t)(0xC0 | (((int)d & 7) << 3) | (hw[s] & 7)));
}

void masm_fmov(JMasm *m, JFReg d, JFReg s)
{
    if (d != s) {
        b1(m, 0x66); b1(m, 0x0F); b1(m, 0x28); b1(m, (uint8_t)(0xC0 | (d << 3) | s)); /* movapd */
    }
}

/* movq between an xmm register and a 64-bit register (66 REX.W 0F 6E/7E /r) */
static void movq_x(JMasm *m, uint8_t op, int x, int r)
{
    b1(m, 0x66);
    rex(m, 1, x, 0, r, false);
    b1(m, 0x0F);
    b1(m, op);
    b1(m, (uint8_t)(0xC0 | ((x & 7) << 3) | (r & 7)));
}

void masm_fget(JMasm *m, JReg d, JFReg s) { movq_x(m, 0x7E, (int)s, hw[d]); }
void masm_fput(JMasm *m, JFReg d, JReg s) { movq_x(m, 0x6E, (int)d, hw[s]); }

bool masm_finish(JMasm *m)
{
    if (m->oom)
        return false;
    for (uint32_t i = 0; i < m->nfixups; i++) {
        JFixup *f = &m->fixups[i];
        int32_t target = masm_label_offset(m, f->label);
        if (target < 0)
            return false;
        int32_t rel = target - (int32_t)(f->at + 4);
        memcpy(m->buf + f->at, &rel, 4);
    }
    return true;
}
