/* jit/masm.h: the macro-assembler that every JIT template is written
 * against, with one backend per architecture (jit/x64/masm_x64.c,
 * jit/a64/masm_a64.c), chosen by the build from the target processor.
 *
 * The model is a plain load/store machine so that it maps onto any 64-bit
 * target: three-operand ALU operations (d may equal a or b), loads and
 * stores at base+displacement or base+index<<scale+displacement, and
 * compare-and-branch / compare-and-set as single operations (no condition
 * flags are visible between operations). Registers are abstract:
 *
 *   JR_R0..JR_R5  scratch, clobbered by calls (masm_call);
 *   JR_VM, JR_BASE, JR_FRAME, JR_T0, JR_T1  preserved across calls (the backend saves
 *                 them in the prologue); JR_SP is readable only;
 *   masm_arg(i)   the register of a C call's i-th integer argument (0..4):
 *                 one of the scratch registers; the result of a call is in JR_R0;
 *   JF0..JF6      float (binary64) scratch registers, clobbered by calls;
 *   masm_farg(i)  the register of a C call's i-th float argument (0..3), and JF0
 *                 a call's float result.
 *
 * masm_sdiv, masm_srem and the register shifts may clobber scratch registers
 * other than their destination. Code is produced into a growable buffer;
 * labels are bound once and may be used before they are bound.
 *
 * Branch reach: a backend whose short conditional branches cannot reach every
 * label of a large method (AArch64: +-1 MiB) sets need_far in masm_finish; the
 * caller then emits the method again into a fresh JMasm with far set, where
 * every branch reaches the whole method. The emitted code must not depend on
 * anything but the operations, so the second pass is the first with longer
 * branches. The code is position-independent: it is copied into the cache. */
#ifndef MICA_JIT_MASM_H
#define MICA_JIT_MASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum JReg {
    JR_R0, JR_R1, JR_R2, JR_R3, JR_R4, JR_R5,
    JR_VM, JR_BASE, JR_FRAME, JR_T0, JR_T1,
    JR_SP,
    JR_COUNT
} JReg;

typedef enum JFReg { JF0, JF1, JF2, JF3, JF4, JF5, JF6 } JFReg;

/* Integer conditions (signed and unsigned). */
typedef enum JCond { JC_EQ, JC_NE, JC_LT, JC_LE, JC_GT, JC_GE, JC_ULT, JC_ULE, JC_UGT, JC_UGE } JCond;

/* Float conditions, IEEE: EQ and the orderings are false on NaN, NE true;
 * NLT .. NGE are the negated orderings ("not less than"), true on NaN. */
typedef enum JFCond {
    JFC_EQ, JFC_NE, JFC_LT, JFC_LE, JFC_GT, JFC_GE, JFC_NLT, JFC_NLE, JFC_NGT, JFC_NGE
} JFCond;

typedef enum JAlu { JA_ADD, JA_SUB, JA_MUL, JA_AND, JA_OR, JA_XOR, JA_SHL, JA_SHR, JA_SAR } JAlu;
typedef enum JFAlu { JFA_ADD, JFA_SUB, JFA_MUL, JFA_DIV } JFAlu;

typedef uint32_t JLabel;

typedef struct JFixup {
    uint32_t at;          /* where the displacement is written            */
    JLabel label;
    uint8_t kind;         /* backend-specific                             */
} JFixup;

typedef struct JMasm {
    uint8_t *buf;
    size_t len, cap;
    int32_t *labels;      /* bound offset or -1                           */
    uint32_t nlabels, labels_cap;
    JFixup *fixups;
    uint32_t nfixups, fixups_cap;
    bool oom;             /* an allocation failed: the result is unusable */
    bool far;             /* in: emit branches that reach anywhere          */
    bool need_far;        /* out: a short branch did not reach (see above)  */
    bool steps;           /* masm_steps was called: the counter's home is   */
    int32_t steps_disp;   /* the word at JR_VM + steps_disp                 */
} JMasm;

/* ---- buffer and labels (jit/masm.c, shared by backends) ---- */
void masm_init(JMasm *m);
void masm_free(JMasm *m);
void masm_emit(JMasm *m, const void *bytes, size_t n);
JLabel masm_label(JMasm *m);
void masm_bind(JMasm *m, JLabel l);
bool masm_bound(const JMasm *m, JLabel l);
int32_t masm_label_offset(const JMasm *m, JLabel l);
void masm_add_fixup(JMasm *m, uint32_t at, JLabel l, uint8_t kind);
static inline uint32_t masm_offset(const JMasm *m) { return (uint32_t)m->len; }

/* ---- the backend's operations ---- */
JReg masm_arg(int i);
/* The float register of a C call's [i]-th float argument (0..3). */
JFReg masm_farg(int i);
/* Resolves every label use; false if a label was never bound or a branch
 * does not reach its label (need_far then says whether far forms would). */
bool masm_finish(JMasm *m);

/* Function entry: saves the preserved registers and moves the first three
 * C arguments into JR_VM, JR_FRAME and JR_R0. masm_ret returns JR_R0's low
 * 32 bits as an int after restoring them. */
void masm_prologue(JMasm *m);
void masm_ret(JMasm *m);

/* A code body called from compiled code (masm_call_label, masm_callr) rather
 * than from C: masm_body_enter saves what the body's calls would clobber of
 * its caller (the return address where the target keeps it in a register)
 * and JR_BASE and JR_FRAME, keeping the stack aligned for C calls;
 * masm_body_ret restores them and returns to the caller, JR_R0 unchanged.
 * The other preserved registers are the body's to keep intact. */
void masm_body_enter(JMasm *m);
void masm_body_ret(JMasm *m);
/* Calls the code at label [l] of this buffer. */
void masm_call_label(JMasm *m, JLabel l);

void masm_mov(JMasm *m, JReg d, JReg s);
void masm_movi(JMasm *m, JReg d, int64_t imm);
void masm_ld(JMasm *m, JReg d, JReg base, int32_t disp);
void masm_ld32s(JMasm *m, JReg d, JReg base, int32_t disp);
void masm_ld8(JMasm *m, JReg d, JReg base, int32_t disp);
void masm_st(JMasm *m, JReg s, JReg base, int32_t disp);
void masm_st8(JMasm *m, JReg s, JReg base, int32_t disp);
void masm_st32(JMasm *m, JReg s, JReg base, int32_t disp);
void masm_sti(JMasm *m, JReg base, int32_t disp, int32_t imm);
/* Adds [imm] (-4096 < imm < 4096) to the 32-bit word at base + disp: one
 * instruction where the target has it (x86-64), else load, add, store with
 * the backend's own temporaries. */
void masm_add32m(JMasm *m, JReg base, int32_t disp, int32_t imm);
/* base + (index << shift) + disp, shift 0 or 3 */
void masm_ldx(JMasm *m, JReg d, JReg base, JReg index, int shift, int32_t disp);
void masm_ldx8(JMasm *m, JReg d, JReg base, JReg index, int32_t disp);
void masm_stx(JMasm *m, JReg s, JReg base, JReg index, int shift, int32_t disp);
void masm_stx8(JMasm *m, JReg s, JReg base, JReg index, int32_t disp);

void masm_alu(JMasm *m, JAlu op, JReg d, JReg a, JReg b);
void masm_alui(JMasm *m, JAlu op, JReg d, JReg a, int32_t imm);
void masm_neg(JMasm *m, JReg d, JReg a);
void masm_sdiv(JMasm *m, JReg d, JReg a, JReg b);
void masm_srem(JMasm *m, JReg d, JReg a, JReg b);
/* d = (a cond b) ? 1 : 0 */
void masm_set(JMasm *m, JCond c, JReg d, JReg a, JReg b);
void masm_seti(JMasm *m, JCond c, JReg d, JReg a, int32_t imm);

void masm_br(JMasm *m, JCond c, JReg a, JReg b, JLabel l);
void masm_bri(JMasm *m, JCond c, JReg a, int32_t imm, JLabel l);
/* To [l] if (the word at [base] + [disp]) cond [b] (a class guard: one
 * compare with a memory operand where the target has one). */
void masm_brm(JMasm *m, JCond c, JReg base, int32_t disp, JReg b, JLabel l);
void masm_jmp(JMasm *m, JLabel l);
/* The step counter: a 64-bit countdown whose home is the word at JR_VM +
 * [disp] (the VM's poll_left) but which lives in a register of the
 * backend's own while compiled code runs (r9, x9), so that counting a step is
 * not a read-modify-write of memory on one long chain. Once masm_steps is
 * called, masm_prologue loads it, masm_ret stores it, and masm_call stores it
 * before its call and loads it after, so C code always finds it at home;
 * compiled code calling compiled code (masm_callr, masm_call_label) hands
 * it over in the register. */
void masm_steps(JMasm *m, int32_t disp);
/* One step off the counter; to [l] if the result is <= 0 (signed). */
void masm_step(JMasm *m, JLabel l);
/* One step back onto the counter (a step taken before a check that failed). */
void masm_step_back(JMasm *m);
void masm_jmpr(JMasm *m, JReg r);
void masm_call(JMasm *m, const void *fn);
void masm_callr(JMasm *m, JReg r);

void masm_fld(JMasm *m, JFReg d, JReg base, int32_t disp);
void masm_fst(JMasm *m, JFReg s, JReg base, int32_t disp);
void masm_falu(JMasm *m, JFAlu op, JFReg d, JFReg a, JFReg b);
void masm_fset(JMasm *m, JFCond c, JReg d, JFReg a, JFReg b);
void masm_fbr(JMasm *m, JFCond c, JFReg a, JFReg b, JLabel l);
void masm_i2f(JMasm *m, JFReg d, JReg s);
/* d = the square root of s, correctly rounded (IEEE 754; NaN for s < 0) */
void masm_fsqrt(JMasm *m, JFReg d, JFReg s);
/* d = s (float registers) */
void masm_fmov(JMasm *m, JFReg d, JFReg s);
/* Moves the 64 bits of a binary64 between register files, unchanged:
 * masm_fget: integer d = the bits of float s; masm_fput: float d = the bits of s. */
void masm_fget(JMasm *m, JReg d, JFReg s);
void masm_fput(JMasm *m, JFReg d, JReg s);

#endif
