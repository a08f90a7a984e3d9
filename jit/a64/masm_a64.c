/* jit/a64/masm_a64.c: the AArch64 backend of the macro-assembler (AAPCS64).
 * Abstract registers: R0..R5 x0..x5 (so masm_arg(i) is x<i> and a call's result
 * is in R0); VM x19, BASE x20, FRAME x21, T0 x22, T1 x23 (callee-saved); x16 and
 * x17 (the intra-procedure-call scratch registers) are the backend's own
 * temporaries; x9 holds the step counter (masm_steps); JF0..JF6 are d0..d6
 * (caller-saved). Every instruction is one 32-bit word.
 *
 * Bodies called from compiled code (masm_body_enter/masm_body_ret) keep the link
 * register x30 and the frame pointer x29 on the stack with BASE and FRAME, 32
 * bytes, so the stack stays 16-byte aligned for C calls.
 *
 * Constants are built in place with movz/movn + movk (at most four words), so the
 * code needs no literal pool, and calls go through x16 (movz/movk, blr): the code
 * is position-independent within itself and may be copied into the code cache.
 * Branches: b reaches +-128 MiB, b.cond and cbz/cbnz +-1 MiB. masm_finish checks
 * every displacement; when a short form does not reach it sets need_far, and the
 * method is emitted again with far set, where every conditional branch becomes the
 * inverted condition over an unconditional b. Floating point uses only the single
 * IEEE operations (fadd, fsub, fmul, fdiv): no fused multiply-add is ever emitted. */
#include "../masm.h"

enum { X16 = 16, X17 = 17, X29 = 29, X30 = 30, XZR = 31, SP = 31 };

static const uint8_t hw[JR_COUNT] = {
    [JR_R0] = 0, [JR_R1] = 1, [JR_R2] = 2, [JR_R3] = 3, [JR_R4] = 4, [JR_R5] = 5,
    [JR_VM] = 19, [JR_BASE] = 20, [JR_FRAME] = 21, [JR_T0] = 22, [JR_T1] = 23,
    [JR_SP] = SP,
};

/* fixup kinds: where the word's displacement field is */
enum { FIX_IMM26, FIX_IMM19 };

/* condition codes */
enum { C_EQ = 0, C_NE = 1, C_HS = 2, C_LO = 3, C_MI = 4, C_PL = 5, C_HI = 8, C_LS = 9,
       C_GE = 10, C_LT = 11, C_GT = 12, C_LE = 13 };

static const uint8_t icc[] = {
    [JC_EQ] = C_EQ, [JC_NE] = C_NE, [JC_LT] = C_LT, [JC_LE] = C_LE, [JC_GT] = C_GT,
    [JC_GE] = C_GE, [JC_ULT] = C_LO, [JC_ULE] = C_LS, [JC_UGT] = C_HI, [JC_UGE] = C_HS,
};

/* After fcmp an unordered pair sets NZCV to 0011: these are false on NaN except NE
 * and the negated orderings. */
static const uint8_t fcc[] = {
    [JFC_EQ] = C_EQ, [JFC_NE] = C_NE, [JFC_LT] = C_MI, [JFC_LE] = C_LS, [JFC_GT] = C_GT,
    [JFC_GE] = C_GE, [JFC_NLT] = C_PL, [JFC_NLE] = C_HI, [JFC_NGT] = C_LE, [JFC_NGE] = C_LT,
};

JReg masm_arg(int i)
{
    return (JReg)(JR_R0 + (i >= 0 && i < 5 ? i : 0));
}

/* AAPCS64 passes float arguments in d0.. and returns one in d0: JF0.. */
JFReg masm_farg(int i)
{
    return (JFReg)(JF0 + (i >= 0 && i < 4 ? i : 0));
}

/* instructions are little-endian whatever the data byte order */
static void w(JMasm *m, uint32_t insn)
{
    uint8_t b[4] = {(uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16),
                    (uint8_t)(insn >> 24)};
    masm_emit(m, b, 4);
}

/* ---- constants ---- */

static void movi(JMasm *m, int d, int64_t imm)
{
    uint64_t u = (uint64_t)imm;
    int zeros = 0, ones = 0;
    for (int k = 0; k < 4; k++) {
        uint32_t h = (uint32_t)(u >> (16 * k)) & 0xFFFF;
        zeros += h == 0;
        ones += h == 0xFFFF;
    }
    bool inverted = ones > zeros;
    uint32_t skip = inverted ? 0xFFFF : 0;
    bool first = true;
    for (uint32_t k = 0; k < 4; k++) {
        uint32_t h = (uint32_t)(u >> (16 * k)) & 0xFFFF;
        if (h == skip)
            continue;
        if (first && inverted)
            w(m, 0x92800000u | k << 21 | (~h & 0xFFFF) << 5 | (uint32_t)d); /* movn */
        else if (first)
            w(m, 0xD2800000u | k << 21 | h << 5 | (uint32_t)d); /* movz */
        else
            w(m, 0xF2800000u | k << 21 | h << 5 | (uint32_t)d); /* movk */
        first = false;
    }
    if (first) /* 0 or -1 */
        w(m, (inverted ? 0x92800000u : 0xD2800000u) | (uint32_t)d);
}

/* The N:immr:imms fields of a logical (bitmask) immediate, or false when [imm]
 * is not one: a run of ones, rotated, repeated in elements of 2..64 bits. */
static bool bitmask_imm(uint64_t imm, uint32_t *fields)
{
    if (imm == 0 || imm == ~(uint64_t)0)
        return false;
    uint32_t size = 64;
    while (size > 2) {
        uint32_t half = size / 2;
        uint64_t mask = ((uint64_t)1 << half) - 1;
        if ((imm & mask) != ((imm >> half) & mask))
            break;
        size = half;
    }
    uint64_t mask = size == 64 ? ~(uint64_t)0 : ((uint64_t)1 << size) - 1;
    uint64_t e = imm & mask;
    uint32_t ones = (uint32_t)__builtin_popcountll(e);
    /* where the run of ones starts: just above the run of zeros */
    uint64_t z = ~e & mask;
    uint32_t start = (e & 1) ? (uint32_t)__builtin_ctzll(z) + (uint32_t)__builtin_popcountll(z)
                             : (uint32_t)__builtin_ctzll(e);
    start %= size;
    uint64_t run = ones == 64 ? ~(uint64_t)0 : ((uint64_t)1 << ones) - 1;
    uint64_t rot = start ? ((run << start) | (run >> (size - start))) & mask : run;
    if (rot != e)
        return false;
    uint32_t immr = (size - start) & (size - 1);
    uint32_t imms = ((~(size * 2 - 1)) & 0x3F) | (ones - 1);
    uint32_t n = size == 64;
    *fields = n << 22 | immr << 16 | imms << 10;
    return true;
}

/* ---- moves, loads and stores ---- */

static void mov_rr(JMasm *m, int d, int s)
{
    if (d == s)
        return;
    if (d == SP || s == SP)
        w(m, 0x91000000u | (uint32_t)s << 5 | (uint32_t)d); /* add d, s, #0 */
    else
        w(m, 0xAA0003E0u | (uint32_t)s << 16 | (uint32_t)d); /* orr d, xzr, s */
}

/* [rn + disp] with the scaled unsigned form, the unscaled signed one, or the
 * register-offset form over x17. */
static void ldst(JMasm *m, uint32_t uimm, uint32_t unscaled, uint32_t reg, int scale, int rt,
                 int rn, int32_t disp)
{
    if (disp >= 0 && (disp & ((1 << scale) - 1)) == 0 && (disp >> scale) < 4096) {
        w(m, uimm | (uint32_t)(disp >> scale) << 10 | (uint32_t)rn << 5 | (uint32_t)rt);
    } else if (disp >= -256 && disp < 256) {
        w(m, unscaled | ((uint32_t)disp & 0x1FF) << 12 | (uint32_t)rn << 5 | (uint32_t)rt);
    } else {
        movi(m, X17, disp);
        w(m, reg | (uint32_t)X17 << 16 | (uint32_t)rn << 5 | (uint32_t)rt);
    }
}

#define LD64 0xF9400000u, 0xF8400000u, 0xF8606800u, 3
#define ST64 0xF9000000u, 0xF8000000u, 0xF8206800u, 3
#define LDSW 0xB9800000u, 0xB8800000u, 0xB8A06800u, 2
#define ST32 0xB9000000u, 0xB8000000u, 0xB8206800u, 2
#define LDB 0x39400000u, 0x38400000u, 0x38606800u, 0
#define STB 0x39000000u, 0x38000000u, 0x38206800u, 0
#define LDD 0xFD400000u, 0xFC400000u, 0xFC606800u, 3
#define STD 0xFD000000u, 0xFC000000u, 0xFC206800u, 3

void masm_mov(JMasm *m, JReg d, JReg s) { mov_rr(m, hw[d], hw[s]); }
void masm_movi(JMasm *m, JReg d, int64_t imm) { movi(m, hw[d], imm); }
void masm_ld(JMasm *m, JReg d, JReg b, int32_t disp) { ldst(m, LD64, hw[d], hw[b], disp); }
void masm_ld32s(JMasm *m, JReg d, JReg b, int32_t disp) { ldst(m, LDSW, hw[d], hw[b], disp); }
void masm_ld8(JMasm *m, JReg d, JReg b, int32_t disp) { ldst(m, LDB, hw[d], hw[b], disp); }
void masm_st(JMasm *m, JReg s, JReg b, int32_t disp) { ldst(m, ST64, hw[s], hw[b], disp); }
void masm_st8(JMasm *m, JReg s, JReg b, int32_t disp) { ldst(m, STB, hw[s], hw[b], disp); }
void masm_st32(JMasm *m, JReg s, JReg b, int32_t disp) { ldst(m, ST32, hw[s], hw[b], disp); }

static bool addsub_imm(JMasm *m, bool sub, int d, int a, int64_t imm, bool flags);

void masm_add32m(JMasm *m, JReg b, int32_t disp, int32_t imm)
{
    /* ldrsw x16, [b, disp]; add/sub x16, x16, #imm; str w16, [b, disp] */
    ldst(m, LDSW, X16, hw[b], disp);
    if (!addsub_imm(m, false, X16, X16, imm, false)) {
        movi(m, X17, imm);
        w(m, 0x8B000000u | (uint32_t)X17 << 16 | (uint32_t)X16 << 5 | X16);
    }
    ldst(m, ST32, X16, hw[b], disp);
}

void masm_sti(JMasm *m, JReg b, int32_t disp, int32_t imm)
{
    int s = XZR;
    if (imm != 0) {
        movi(m, X16, imm);
        s = X16;
    }
    ldst(m, ST64, s, hw[b], disp);
}

/* base + (index << shift) + disp: one register-offset access when disp is 0,
 * else the address in x16 first */
static void ldstx(JMasm *m, uint32_t uimm, uint32_t unscaled, uint32_t reg, int scale, int rt,
                  int base, int index, int shift, int32_t disp)
{
    if (disp == 0 && (shift == 0 || shift == scale)) {
        w(m, reg | (uint32_t)index << 16 | (uint32_t)(shift ? 1 : 0) << 12 |
                 (uint32_t)base << 5 | (uint32_t)rt);
        return;
    }
    /* add x16, base, index, lsl #shift */
    w(m, 0x8B000000u | (uint32_t)index << 16 | (uint32_t)shift << 10 | (uint32_t)base << 5 | X16);
    ldst(m, uimm, unscaled, reg, scale, rt, X16, disp);
}

void masm_ldx(JMasm *m, JReg d, JReg b, JReg x, int shift, int32_t disp)
{
    ldstx(m, LD64, hw[d], hw[b], hw[x], shift, disp);
}

void masm_ldx8(JMasm *m, JReg d, JReg b, JReg x, int32_t disp)
{
    ldstx(m, LDB, hw[d], hw[b], hw[x], 0, disp);
}

void masm_stx(JMasm *m, JReg s, JReg b, JReg x, int shift, int32_t disp)
{
    ldstx(m, ST64, hw[s], hw[b], hw[x], shift, disp);
}

void masm_stx8(JMasm *m, JReg s, JReg b, JReg x, int32_t disp)
{
    ldstx(m, STB, hw[s], hw[b], hw[x], 0, disp);
}

/* ---- integer arithmetic ---- */

static void alu3(JMasm *m, JAlu op, int d, int a, int b)
{
    static const uint32_t ops[] = {
        [JA_ADD] = 0x8B000000u, [JA_SUB] = 0xCB000000u, [JA_MUL] = 0x9B007C00u,
        [JA_AND] = 0x8A000000u, [JA_OR] = 0xAA000000u, [JA_XOR] = 0xCA000000u,
        [JA_SHL] = 0x9AC02000u, [JA_SHR] = 0x9AC02400u, [JA_SAR] = 0x9AC02800u,
    };
    w(m, ops[op] | (uint32_t)b << 16 | (uint32_t)a << 5 | (uint32_t)d);
}

void masm_alu(JMasm *m, JAlu op, JReg d, JReg a, JReg b)
{
    int ra = hw[a], rb = hw[b];
    if (ra == SP) { /* in these forms register 31 is xzr: read sp first */
        mov_rr(m, X17, SP);
        ra = X17;
    }
    if (rb == SP) {
        mov_rr(m, X16, SP);
        rb = X16;
    }
    alu3(m, op, hw[d], ra, rb);
}

/* add/sub d, a, #imm where it encodes (12 bits, optionally shifted by 12) */
static bool addsub_imm(JMasm *m, bool sub, int d, int a, int64_t imm, bool flags)
{
    if (imm < 0) {
        sub = !sub;
        imm = -imm;
    }
    uint32_t base = (sub ? 0xD1000000u : 0x91000000u) | (flags ? 0x20000000u : 0);
    if (imm < 4096) {
        w(m, base | (uint32_t)imm << 10 | (uint32_t)a << 5 | (uint32_t)d);
        return true;
    }
    if ((imm & 0xFFF) == 0 && imm < (1 << 24)) {
        w(m, base | 1u << 22 | (uint32_t)(imm >> 12) << 10 | (uint32_t)a << 5 | (uint32_t)d);
        return true;
    }
    return false;
}

void masm_alui(JMasm *m, JAlu op, JReg dr, JReg ar, int32_t imm)
{
    int d = hw[dr], a = hw[ar];
    uint32_t f;
    switch (op) {
    case JA_ADD:
    case JA_SUB:
        if (addsub_imm(m, op == JA_SUB, d, a, imm, false))
            return;
        break;
    case JA_SHL:
    case JA_SHR:
    case JA_SAR: {
        uint32_t s = (uint32_t)imm & 63;
        if (s == 0) {
            mov_rr(m, d, a);
        } else if (op == JA_SHL) { /* ubfm d, a, #(64-s), #(63-s) */
            w(m, 0xD3400000u | ((64 - s) & 63) << 16 | (63 - s) << 10 | (uint32_t)a << 5 |
                     (uint32_t)d);
        } else { /* ubfm / sbfm d, a, #s, #63 */
            w(m, (op == JA_SHR ? 0xD3400000u : 0x93400000u) | s << 16 | 63u << 10 |
                     (uint32_t)a << 5 | (uint32_t)d);
        }
        return;
    }
    case JA_AND:
    case JA_OR:
    case JA_XOR:
        if (bitmask_imm((uint64_t)(int64_t)imm, &f)) {
            uint32_t base = op == JA_AND ? 0x92000000u : op == JA_OR ? 0xB2000000u : 0xD2000000u;
            w(m, base | f | (uint32_t)a << 5 | (uint32_t)d);
            return;
        }
        break;
    default:
        break;
    }
    movi(m, X16, imm);
    alu3(m, op, d, a, X16);
}

void masm_neg(JMasm *m, JReg d, JReg a)
{
    w(m, 0xCB0003E0u | (uint32_t)hw[a] << 16 | (uint32_t)hw[d]); /* sub d, xzr, a */
}

/* sdiv truncates toward zero like the interpreter's division; the templates
 * deal with a zero divisor and with -1 before they get here. */
void masm_sdiv(JMasm *m, JReg d, JReg a, JReg b)
{
    w(m, 0x9AC00C00u | (uint32_t)hw[b] << 16 | (uint32_t)hw[a] << 5 | (uint32_t)hw[d]);
}

void masm_srem(JMasm *m, JReg d, JReg a, JReg b)
{
    /* sdiv x16, a, b; msub d, x16, b, a */
    w(m, 0x9AC00C00u | (uint32_t)hw[b] << 16 | (uint32_t)hw[a] << 5 | X16);
    w(m, 0x9B008000u | (uint32_t)hw[b] << 16 | (uint32_t)hw[a] << 10 | (uint32_t)X16 << 5 |
             (uint32_t)hw[d]);
}

static void cmp_rr(JMasm *m, int a, int b)
{
    if (b == SP) { /* sp cannot be the second operand */
        mov_rr(m, X16, SP);
        b = X16;
    }
    if (a == SP) /* subs xzr, sp, b, uxtx (the extended form reads sp) */
        w(m, 0xEB206000u | (uint32_t)b << 16 | (uint32_t)SP << 5 | XZR);
    else /* subs xzr, a, b */
        w(m, 0xEB000000u | (uint32_t)b << 16 | (uint32_t)a << 5 | XZR);
}

static void cmp_ri(JMasm *m, int a, int32_t imm)
{
    if (addsub_imm(m, true, XZR, a, imm, true)) /* cmp / cmn */
        return;
    movi(m, X16, imm);
    cmp_rr(m, a, X16);
}

static void cset(JMasm *m, uint32_t cond, int d)
{
    w(m, 0x9A9F07E0u | (cond ^ 1) << 12 | (uint32_t)d); /* csinc d, xzr, xzr, !cond */
}

void masm_set(JMasm *m, JCond c, JReg d, JReg a, JReg b)
{
    cmp_rr(m, hw[a], hw[b]);
    cset(m, icc[c], hw[d]);
}

void masm_seti(JMasm *m, JCond c, JReg d, JReg a, int32_t imm)
{
    cmp_ri(m, hw[a], imm);
    cset(m, icc[c], hw[d]);
}

/* ---- branches ---- */

static void b_to(JMasm *m, JLabel l)
{
    masm_add_fixup(m, masm_offset(m), l, FIX_IMM26);
    w(m, 0x14000000u);
}

/* b.cond l; in far mode b.!cond over b l */
static void bcond(JMasm *m, uint32_t cond, JLabel l)
{
    if (m->far) {
        w(m, 0x54000000u | 2u << 5 | (cond ^ 1));
        b_to(m, l);
        return;
    }
    masm_add_fixup(m, masm_offset(m), l, FIX_IMM19);
    w(m, 0x54000000u | cond);
}

void masm_br(JMasm *m, JCond c, JReg a, JReg b, JLabel l)
{
    cmp_rr(m, hw[a], hw[b]);
    bcond(m, icc[c], l);
}

void masm_brm(JMasm *m, JCond c, JReg base, int32_t disp, JReg b, JLabel l)
{
    /* no memory operands: ldr x17, [base + disp]; cmp x17, b */
    ldst(m, LD64, X17, hw[base], disp);
    cmp_rr(m, X17, hw[b]);
    bcond(m, icc[c], l);
}

void masm_bri(JMasm *m, JCond c, JReg a, int32_t imm, JLabel l)
{
    if (imm == 0 && (c == JC_EQ || c == JC_NE)) {
        uint32_t op = c == JC_EQ ? 0xB4000000u : 0xB5000000u; /* cbz / cbnz */
        if (m->far) {
            w(m, (op ^ 0x01000000u) | 2u << 5 | (uint32_t)hw[a]);
            b_to(m, l);
            return;
        }
        masm_add_fixup(m, masm_offset(m), l, FIX_IMM19);
        w(m, op | (uint32_t)hw[a]);
        return;
    }
    cmp_ri(m, hw[a], imm);
    bcond(m, icc[c], l);
}

void masm_jmp(JMasm *m, JLabel l) { b_to(m, l); }

/* ldr x16, [base+disp]; subs x16, x16, #1; str x16, [base+disp]; b.le l (the
 * store leaves the flags alone; x17 addresses a far displacement) */
/* The step counter's register (masm_steps) and its home. */
enum { XSTEPS = 9 };

static void steps_home(JMasm *m, bool load)
{
    if (!m->steps)
        return;
    if (load)
        ldst(m, LD64, XSTEPS, hw[JR_VM], m->steps_disp);
    else
        ldst(m, ST64, XSTEPS, hw[JR_VM], m->steps_disp);
}

void masm_step(JMasm *m, JLabel l)
{
    w(m, 0xF1000400u | (uint32_t)XSTEPS << 5 | XSTEPS); /* subs x9, x9, #1 */
    bcond(m, C_LE, l);
}

void masm_step_back(JMasm *m)
{
    w(m, 0x91000400u | (uint32_t)XSTEPS << 5 | XSTEPS); /* add x9, x9, #1 */
}

void masm_jmpr(JMasm *m, JReg r) { w(m, 0xD61F0000u | (uint32_t)hw[r] << 5); }

void masm_call(JMasm *m, const void *fn)
{
    steps_home(m, false);
    movi(m, X16, (int64_t)(intptr_t)fn);
    w(m, 0xD63F0000u | (uint32_t)X16 << 5); /* blr x16 */
    steps_home(m, true);
}

void masm_callr(JMasm *m, JReg r) { w(m, 0xD63F0000u | (uint32_t)hw[r] << 5); }

/* ---- entry and return ---- */

void masm_prologue(JMasm *m)
{
    w(m, 0xA9BC7BFDu); /* stp x29, x30, [sp, #-64]! */
    w(m, 0x910003FDu); /* mov x29, sp                */
    w(m, 0xA90153F3u); /* stp x19, x20, [sp, #16]    */
    w(m, 0xA9025BF5u); /* stp x21, x22, [sp, #32]    */
    w(m, 0xF9001BF7u); /* str x23, [sp, #48]         */
    mov_rr(m, hw[JR_VM], 0);
    mov_rr(m, hw[JR_FRAME], 1);
    mov_rr(m, 0, 2);
    steps_home(m, true);
}

void masm_ret(JMasm *m)
{
    steps_home(m, false);
    w(m, 0xA94153F3u); /* ldp x19, x20, [sp, #16]    */
    w(m, 0xA9425BF5u); /* ldp x21, x22, [sp, #32]    */
    w(m, 0xF9401BF7u); /* ldr x23, [sp, #48]         */
    w(m, 0xA8C47BFDu); /* ldp x29, x30, [sp], #64    */
    w(m, 0xD65F03C0u); /* ret                        */
}

void masm_body_enter(JMasm *m)
{
    w(m, 0xA9BE7BFDu); /* stp x29, x30, [sp, #-32]! */
    w(m, 0x910003FDu); /* mov x29, sp                */
    w(m, 0xA90157F4u); /* stp x20, x21, [sp, #16]    */
}

void masm_body_ret(JMasm *m)
{
    w(m, 0xA94157F4u); /* ldp x20, x21, [sp, #16]    */
    w(m, 0xA8C27BFDu); /* ldp x29, x30, [sp], #32    */
    w(m, 0xD65F03C0u); /* ret                        */
}

void masm_call_label(JMasm *m, JLabel l)
{
    masm_add_fixup(m, masm_offset(m), l, FIX_IMM26);
    w(m, 0x94000000u); /* bl */
}

/* ---- binary64 ---- */

void masm_fld(JMasm *m, JFReg d, JReg b, int32_t disp) { ldst(m, LDD, (int)d, hw[b], disp); }
void masm_fst(JMasm *m, JFReg s, JReg b, int32_t disp) { ldst(m, STD, (int)s, hw[b], disp); }

void masm_falu(JMasm *m, JFAlu op, JFReg d, JFReg a, JFReg b)
{
    static const uint32_t ops[] = {[JFA_ADD] = 0x1E602800u, [JFA_SUB] = 0x1E603800u,
                                   [JFA_MUL] = 0x1E600800u, [JFA_DIV] = 0x1E601800u};
    w(m, ops[op] | (uint32_t)b << 16 | (uint32_t)a << 5 | (uint32_t)d);
}

static void fcmp(JMasm *m, int a, int b)
{
    w(m, 0x1E602000u | (uint32_t)b << 16 | (uint32_t)a << 5);
}

void masm_fset(JMasm *m, JFCond c, JReg d, JFReg a, JFReg b)
{
    fcmp(m, (int)a, (int)b);
    cset(m, fcc[c], hw[d]);
}

void masm_fbr(JMasm *m, JFCond c, JFReg a, JFReg b, JLabel l)
{
    fcmp(m, (int)a, (int)b);
    bcond(m, fcc[c], l);
}

void masm_i2f(JMasm *m, JFReg d, JReg s)
{
    w(m, 0x9E620000u | (uint32_t)hw[s] << 5 | (uint32_t)d); /* scvtf d, x */
}

void masm_fmov(JMasm *m, JFReg d, JFReg s)
{
    if (d != s)
        w(m, 0x1E604000u | (uint32_t)s << 5 | (uint32_t)d); /* fmov d, s */
}

void masm_fsqrt(JMasm *m, JFReg d, JFReg s)
{
    w(m, 0x1E61C000u | (uint32_t)s << 5 | (uint32_t)d); /* fsqrt d, s */
}

void masm_fget(JMasm *m, JReg d, JFReg s)
{
    w(m, 0x9E660000u | (uint32_t)s << 5 | (uint32_t)hw[d]); /* fmov x, d */
}

void masm_fput(JMasm *m, JFReg d, JReg s)
{
    w(m, 0x9E670000u | (uint32_t)hw[s] << 5 | (uint32_t)d); /* fmov d, x */
}

bool masm_finish(JMasm *m)
{
    if (m->oom)
        return false;
    for (uint32_t i = 0; i < m->nfixups; i++) {
        JFixup *f = &m->fixups[i];
        int32_t target = masm_label_offset(m, f->label);
        if (target < 0)
            return false;
        int32_t rel = (target - (int32_t)f->at) / 4;
        uint8_t *p = m->buf + f->at;
        uint32_t insn = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                        (uint32_t)p[3] << 24;
        if (f->kind == FIX_IMM26) {
            if (rel < -(1 << 25) || rel >= (1 << 25))
                return false;
            insn |= (uint32_t)rel & 0x3FFFFFFu;
        } else {
            if (rel < -(1 << 18) || rel >= (1 << 18)) {
                m->need_far = true;
                return false;
            }
            insn |= ((uint32_t)rel & 0x7FFFFu) << 5;
        }
        p[0] = (uint8_t)insn;
        p[1] = (uint8_t)(insn >> 8);
        p[2] = (uint8_t)(insn >> 16);
        p[3] = (uint8_t)(insn >> 24);
    }
    return true;
}
