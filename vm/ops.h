/* vm/ops.h: the one list of the runtime's own instruction set (both tiers).
 *
 * Pre-decoding (vm/interp.c) turns the bytecode of classfile/opcodes.h into
 * these forms: structure is gone (block, loop, end vanish; if/else/br become
 * jumps), constant-pool operations have a slow form that resolves and
 * rewrites itself into a quick form (vm/link.c), and superinstructions fuse
 * common sequences. The interpreter and the JIT both expand VM_OPS.
 *
 * X(NAME, BASE): BASE is the form whose meaning NAME has for the instruction
 * it stands in (itself for every plain and quick form). A superinstruction
 * (fused form) does the work of the instructions after it too, but those stay
 * in place unchanged, so a consumer that does not fuse may treat a fused
 * form as its BASE and go on with the next instruction. An intrinsic (a
 * quickened call of one of a few core std methods, vm/link.c
 * intrinsic_op) keeps the call's operands (method, nargs), so a consumer
 * without its template may make the call of its BASE instead.
 *
 * A bytecode the runtime runs as it is (vm = 1 in classfile/opcodes.h) joins
 * this instruction set from the table, under its own name; adding one is its
 * line there plus its interpreter case and JIT template. A bytecode that
 * pre-decoding rewrites, and every form below, is listed here. */
#ifndef MICA_VM_OPS_H
#define MICA_VM_OPS_H

#include "opcodes.h"

/* The bytecodes the runtime runs as they are (vm = 1 in classfile/opcodes.h), each as
 * X(NAME, NAME), through an adaptor: a consumer with its own X defines
 *     #define XK(...) VM_KEPT(X, __VA_ARGS__)
 * and expands VM_ALL_OPS(X, XK). */
#define VM_KEPT(X, NAME, str, byte, imm, pops, pushes, types, vm) VM_KEPT_##vm(X, NAME)
#define VM_KEPT_0(X, NAME)
#define VM_KEPT_1(X, NAME) X(NAME, NAME)
#define VM_ALL_OPS(X, XK) MICA_OPCODES(XK) VM_OPS(X)

/* The runtime's own forms: bytecodes that pre-decoding rewrites, quick forms,
 * intrinsics and superinstructions. */
#define VM_OPS(X)                                                                         \
    X(UNREACHABLE, UNREACHABLE) X(JMP, JMP) X(JZ, JZ) X(BR, BR) X(BR_IF, BR_IF)           \
    X(BR_TABLE, BR_TABLE) X(RETURN, RETURN) X(RETURN_V, RETURN_V) X(THROW, THROW)         \
    X(ACONST_NULL, ACONST_NULL) X(ICONST, ICONST) X(LDC_STR, LDC_STR)                     \
    X(LDC_STR_Q, LDC_STR_Q) X(LOAD, LOAD) X(STORE, STORE) X(IINC, IINC)                   \
    /* constant-pool forms and their quick forms */                                       \
    X(NEW_Q, NEW_Q) X(GETFIELD_Q, GETFIELD_Q) X(PUTFIELD_Q, PUTFIELD_Q)                   \
    X(PUTFIELD_B_Q, PUTFIELD_B_Q) X(PUTFIELD_Z_Q, PUTFIELD_Z_Q)                           \
    X(GETSTATIC_Q, GETSTATIC_Q) X(PUTSTATIC_Q, PUTSTATIC_Q)                               \
    X(PUTSTATIC_B_Q, PUTSTATIC_B_Q) X(PUTSTATIC_Z_Q, PUTSTATIC_Z_Q)                       \
    X(INVOKE_Q, INVOKE_Q) X(INVOKESPECIAL_Q, INVOKESPECIAL_Q)                             \
    X(INVOKEVIRTUAL_Q, INVOKEVIRTUAL_Q) X(INVOKEIFACE_Q, INVOKEIFACE_Q)                   \
    X(INSTANCEOF_Q, INSTANCEOF_Q) X(CHECKCAST_Q, CHECKCAST_Q)                             \
    X(NEWARRAY_Q, NEWARRAY_Q)                                                             \
    /* intrinsics: quick calls run inline (static calls, then String's final methods) */  \
    X(FSQRT_Q, INVOKE_Q) X(FABS_Q, INVOKE_Q) X(IABS_Q, INVOKE_Q) X(IMIN_Q, INVOKE_Q)      \
    X(IMAX_Q, INVOKE_Q) X(FMIN_Q, INVOKE_Q) X(FMAX_Q, INVOKE_Q)                           \
    X(STRLEN_Q, INVOKESPECIAL_Q) X(CHARAT_Q, INVOKESPECIAL_Q)                             \
    X(CODEPOINT_Q, INVOKESPECIAL_Q) X(ACOPY_Q, INVOKE_Q)                                  \
    X(STREQ_Q, INVOKESPECIAL_Q) X(SUBSTR_Q, INVOKESPECIAL_Q)                              \
    /* a virtual call site whose inline cache holds a trivial getter or setter (the      \
     * field's slot in [local]); `load r` before a getter site: LOAD_VGET */              \
    X(VGET_Q, INVOKEVIRTUAL_Q) X(VSET_Q, INVOKEVIRTUAL_Q) X(LOAD_VGET, LOAD)              \
    /* superinstructions (vm/interp.c fuse): the first of a pair or triple */             \
    X(LOAD2, LOAD) X(LOAD_ICONST, LOAD) X(ADDI, ICONST) X(SUBI, ICONST)                   \
    X(LOAD_GETFIELD, LOAD) X(LOAD_ADDI, LOAD) X(ILT_JZ, ILT) X(ILE_JZ, ILE)               \
    X(IGT_JZ, IGT) X(IGE_JZ, IGE) X(IEQ_JZ, IEQ) X(INE_JZ, INE) X(ILT_BRIF, ILT)          \
    X(ILE_BRIF, ILE) X(IGT_BRIF, IGT) X(IGE_BRIF, IGE) X(IEQ_BRIF, IEQ)                   \
    X(INE_BRIF, INE) X(ILT_NBRIF, ILT) X(ILE_NBRIF, ILE) X(IGT_NBRIF, IGT)                \
    X(IGE_NBRIF, IGE) X(IEQ_NBRIF, IEQ) X(INE_NBRIF, INE) X(EQZ_BRIF, EQZ)                \
    X(NULL_EQ_JZ, ACONST_NULL) X(NULL_NE_JZ, ACONST_NULL) X(STORE_LOAD, STORE)            \
    /* two locals compared, then a branch: load a; load b; cmp; jz | br_if | eqz br_if */ \
    X(LL_ILT_JZ, LOAD) X(LL_ILE_JZ, LOAD) X(LL_IGT_JZ, LOAD) X(LL_IGE_JZ, LOAD)           \
    X(LL_IEQ_JZ, LOAD) X(LL_INE_JZ, LOAD) X(LL_ILT_BRIF, LOAD) X(LL_ILE_BRIF, LOAD)       \
    X(LL_IGT_BRIF, LOAD) X(LL_IGE_BRIF, LOAD) X(LL_IEQ_BRIF, LOAD) X(LL_INE_BRIF, LOAD)   \
    X(LL_ILT_NBRIF, LOAD) X(LL_ILE_NBRIF, LOAD) X(LL_IGT_NBRIF, LOAD)                     \
    X(LL_IGE_NBRIF, LOAD) X(LL_IEQ_NBRIF, LOAD) X(LL_INE_NBRIF, LOAD)                     \
    /* a local compared with a constant or null, then a branch: load a; iconst k |        \
     * aconst_null; cmp; jz | br_if | eqz br_if (k in [imm]) */                           \
    X(LK_ILT_JZ, LOAD) X(LK_ILE_JZ, LOAD) X(LK_IGT_JZ, LOAD) X(LK_IGE_JZ, LOAD)           \
    X(LK_IEQ_JZ, LOAD) X(LK_INE_JZ, LOAD) X(LK_ILT_BRIF, LOAD) X(LK_ILE_BRIF, LOAD)       \
    X(LK_IGT_BRIF, LOAD) X(LK_IGE_BRIF, LOAD) X(LK_IEQ_BRIF, LOAD) X(LK_INE_BRIF, LOAD)   \
    X(LK_ILT_NBRIF, LOAD) X(LK_ILE_NBRIF, LOAD) X(LK_IGT_NBRIF, LOAD)                     \
    X(LK_IGE_NBRIF, LOAD) X(LK_IEQ_NBRIF, LOAD) X(LK_INE_NBRIF, LOAD)                     \
    /* local arithmetic into a local, and an array index off a local:                     \
     * load a; load b; iadd|isub; store c / load a; iconst k; iadd|isub; store c /        \
     * load a; load b; iconst k; iadd|isub */                                             \
    X(LL_ADD_STORE, LOAD) X(LL_SUB_STORE, LOAD) X(LOAD_ADDI_STORE, LOAD)                  \
    X(LOAD_LOAD_ADDI, LOAD)                                                               \
    /* float arithmetic of two locals: load a; load b; fadd|fsub|fmul (; store c) */        \
    X(LL_FADD, LOAD) X(LL_FSUB, LOAD) X(LL_FMUL, LOAD) X(LL_FADD_STORE, LOAD)             \
    X(LL_FSUB_STORE, LOAD) X(LL_FMUL_STORE, LOAD)                                         \
    /* a br that moves no operands (its target's height is the stack's): loops' back edge */ \
    X(BR_PLAIN, BR)                                                                       \
    /* load a; return / load a; load b; getfield (quickened) / load a; getfield; load b;  \
     * getfield (both quickened) / load r; dup; getfield f; iconst k; iadd|isub;          \
     * putfield f (`r.f += k`, k in [imm]) / load r; dup; getfield (quickened) */       \
    X(LOAD_RETURN, LOAD) X(LOAD2_GETFIELD, LOAD) X(LOAD_GETFIELD2, LOAD)                  \
    X(FIELD_ADDI, LOAD) X(LOAD_DUP_GETFIELD, LOAD)                                        \
    /* the top compared with a constant (K_) or a local (L_), then a branch: iconst k |   \
     * load b; cmp; jz | br_if | eqz br_if */                                             \
    X(K_ILT_JZ, ICONST) X(K_ILE_JZ, ICONST) X(K_IGT_JZ, ICONST) X(K_IGE_JZ, ICONST)       \
    X(K_IEQ_JZ, ICONST) X(K_INE_JZ, ICONST) X(K_ILT_BRIF, ICONST) X(K_ILE_BRIF, ICONST)   \
    X(K_IGT_BRIF, ICONST) X(K_IGE_BRIF, ICONST) X(K_IEQ_BRIF, ICONST)                     \
    X(K_INE_BRIF, ICONST) X(K_ILT_NBRIF, ICONST) X(K_ILE_NBRIF, ICONST)                   \
    X(K_IGT_NBRIF, ICONST) X(K_IGE_NBRIF, ICONST) X(K_IEQ_NBRIF, ICONST)                  \
    X(K_INE_NBRIF, ICONST)                                                                \
    X(L_ILT_JZ, LOAD) X(L_ILE_JZ, LOAD) X(L_IGT_JZ, LOAD) X(L_IGE_JZ, LOAD)               \
    X(L_IEQ_JZ, LOAD) X(L_INE_JZ, LOAD) X(L_ILT_BRIF, LOAD) X(L_ILE_BRIF, LOAD)           \
    X(L_IGT_BRIF, LOAD) X(L_IGE_BRIF, LOAD) X(L_IEQ_BRIF, LOAD) X(L_INE_BRIF, LOAD)       \
    X(L_ILT_NBRIF, LOAD) X(L_ILE_NBRIF, LOAD) X(L_IGT_NBRIF, LOAD) X(L_IGE_NBRIF, LOAD)   \
    X(L_IEQ_NBRIF, LOAD) X(L_INE_NBRIF, LOAD)                                             \
    /* the top and a local: load b; fadd|fsub|fmul|iadd|isub / a local tested:            \
     * load a; jz / load a; eqz; br_if */                                                 \
    X(LOAD_FADD, LOAD) X(LOAD_FSUB, LOAD) X(LOAD_FMUL, LOAD) X(LOAD_IADD, LOAD)           \
    X(LOAD_ISUB, LOAD) X(LOAD_JZ, LOAD) X(LOAD_EQZ_BRIF, LOAD)                            \
    /* a loop's last statement then its back edge (BR_PLAIN): `i += k` and `c = a + b`    \
     * (LOAD_ADDI_STORE, LL_ADD_STORE), a store */                                        \
    X(LOAD_ADDI_STORE_BR, LOAD) X(LL_ADD_STORE_BR, LOAD) X(STORE_BR, STORE)              \
    /* an element at a local index: load i; iaload | faload | aaload / load i; baload */    \
    X(LOAD_ALOAD, LOAD) X(LOAD_BALOAD, LOAD)                                              \
    /* rewritten with the site or field instruction after them: load a; LOAD_VGET /      \
     * fadd | fsub; VSET_Q / iadd; PUTFIELD_Q */                                          \
    X(LOAD2_VGET, LOAD) X(FADD_VSET, FADD) X(FSUB_VSET, FSUB) X(IADD_PUTFIELD, IADD)      \
    /* load a; a quick call (made when the call is quickened) / store a; LOAD_VGET /      \
     * load i; load a; arraylength; ilt; eqz; br_if / iconst k; return | store */         \
    X(LOAD_INVOKE, LOAD) X(LOAD_INVOKESPECIAL, LOAD) X(LOAD_INVOKEVIRTUAL, LOAD)          \
    X(STORE_LOAD_VGET, STORE) X(LL_LEN_ILT_NBRIF, LOAD) X(ICONST_RETURN, ICONST)          \
    X(ICONST_STORE, ICONST)

enum {
#define VM_OP_ENUM(name, base) VM_OP_##name,
#define VM_OP_ENUM_K(...) VM_KEPT(VM_OP_ENUM, __VA_ARGS__)
    VM_ALL_OPS(VM_OP_ENUM, VM_OP_ENUM_K)
#undef VM_OP_ENUM_K
#undef VM_OP_ENUM
    VM_OP_COUNT
};

/* The BASE of op [op] (see above). */
static inline int vm_op_base(int op)
{
    static const uint16_t base[VM_OP_COUNT] = {
#define VM_OP_BASE(name, b) [VM_OP_##name] = VM_OP_##b,
#define VM_OP_BASE_K(...) VM_KEPT(VM_OP_BASE, __VA_ARGS__)
        VM_ALL_OPS(VM_OP_BASE, VM_OP_BASE_K)
#undef VM_OP_BASE_K
#undef VM_OP_BASE
    };
    return op >= 0 && op < VM_OP_COUNT ? base[op] : op;
}

#endif
