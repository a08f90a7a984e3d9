/* classfile/opcodes.h: the one opcode table of Mica bytecode.
 *
 * Every consumer (reader, verifier, disassembler, interpreter, JIT, code
 * generator) expands MICA_OPCODES with its own OP(...) definition. Adding an
 * opcode is one line here plus its implementations. spec/bytecode.md is the
 * normative description of each entry.
 *
 * OP(NAME, mnemonic, byte, immediates, pops, pushes, types, vm)
 *   immediates: one of the CF_IMM_* formats below (all multi-byte immediates are
 *               big-endian in the class file).
 *   pops/pushes: the fixed stack effect, or -1 where it depends on an operand
 *               (calls, returns, branches, region instructions).
 *   types:      for a simple opcode, its whole type rule as "popped>pushed" stack
 *               types, top of stack last ("II>I": pops two ints, pushes an int);
 *               0 for an opcode with its own rule in classfile/verify.c.
 *               I int, F float, R any reference, N null.
 *   vm:         1 when the runtime runs the opcode as an instruction of its own with
 *               the same name and no operand rewriting (vm/ops.h adds it to its
 *               instruction set and pre-decoding copies it); 0 when pre-decoding
 *               turns it into something else (structure, immediates, constants).
 *
 * Stack types are int (int, bool and byte values, one 64-bit slot), float
 * (binary64) and ref (an object, array or null). Type rules are in
 * spec/bytecode.md and classfile/verify.c.
 *
 * Who reads what: the reader (cf_insn_decode) and the disassembler take the
 * immediates from cf_op_info; the verifier checks every opcode with a [types]
 * entry from it alone; the code generator (compiler/gen_emit.c) takes the stack
 * effect of each fixed-effect opcode from it; the runtime (vm/ops.h) takes every
 * opcode with vm = 1 into its instruction set, pre-decoding (vm/interp.c) copies
 * those and computes operand-stack heights from the table's stack effects, and
 * the JIT compiles that instruction set against those heights. So a new simple
 * opcode, say "imin" (II>I), is one line here, with vm = 1, plus its
 * implementations: its interpreter case and its JIT template. The reader,
 * disassembler, verifier, code generator and pre-decoder need no change.
 */
#ifndef MICA_CLASSFILE_OPCODES_H
#define MICA_CLASSFILE_OPCODES_H

#include <stdint.h>

/* Immediate formats. */
#define CF_IMM_NONE   0  /* no immediate                                        */
#define CF_IMM_U16    1  /* u16: local index, pool index, depth or block type   */
#define CF_IMM_I32    2  /* s32, sign-extended to 64 bits                       */
#define CF_IMM_U16I32 3  /* u16 local index, then s32 delta (iinc)              */
#define CF_IMM_TABLE  4  /* u16 n, then n u16 depths, then u16 default depth     */

#define MICA_OPCODES(OP)                                                            \
    /* ---- control: structured regions ------------------------------------ */     \
    OP(NOP,           "nop",             0x00, CF_IMM_NONE,   0,  0, 0, 0)          \
    OP(UNREACHABLE,   "unreachable",     0x01, CF_IMM_NONE,   0,  0, 0, 0)          \
    OP(BLOCK,         "block",           0x02, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(LOOP,          "loop",            0x03, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(IF,            "if",              0x04, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(ELSE,          "else",            0x05, CF_IMM_NONE,  -1, -1, 0, 0)          \
    OP(TRY,           "try",             0x06, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(CATCH,         "catch",           0x07, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(END,           "end",             0x08, CF_IMM_NONE,  -1, -1, 0, 0)          \
    OP(BR,            "br",              0x09, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(BR_IF,         "br_if",           0x0A, CF_IMM_U16,   -1, -1, 0, 0)          \
    OP(BR_TABLE,      "br_table",        0x0B, CF_IMM_TABLE, -1, -1, 0, 0)          \
    OP(RETURN,        "return",          0x0C, CF_IMM_NONE,  -1, -1, 0, 0)          \
    OP(THROW,         "throw",           0x0D, CF_IMM_NONE,   1,  0, 0, 0)          \
    /* ---- constants, locals, stack ---------------------------------------- */    \
    OP(ACONST_NULL,   "aconst_null",     0x10, CF_IMM_NONE,   0,  1, ">N", 0)       \
    OP(ICONST,        "iconst",          0x11, CF_IMM_I32,    0,  1, ">I", 0)       \
    OP(LDC,           "ldc",             0x12, CF_IMM_U16,    0,  1, 0, 0)          \
    OP(LOAD,          "load",            0x13, CF_IMM_U16,    0,  1, 0, 0)          \
    OP(STORE,         "store",           0x14, CF_IMM_U16,    1,  0, 0, 0)          \
    OP(IINC,          "iinc",            0x15, CF_IMM_U16I32, 0,  0, 0, 0)          \
    OP(POP,           "pop",             0x16, CF_IMM_NONE,   1,  0, 0, 1)          \
    OP(DUP,           "dup",             0x17, CF_IMM_NONE,   1,  2, 0, 1)          \
    OP(DUP2,          "dup2",            0x18, CF_IMM_NONE,   2,  4, 0, 1)          \
    OP(DUP_X1,        "dup_x1",          0x19, CF_IMM_NONE,   2,  3, 0, 1)          \
    OP(DUP_X2,        "dup_x2",          0x1A, CF_IMM_NONE,   3,  4, 0, 1)          \
    OP(SWAP,          "swap",            0x1B, CF_IMM_NONE,   2,  2, 0, 1)          \
    /* ---- int arithmetic (64-bit, wrapping) -------------------------------- */   \
    OP(IADD,          "iadd",            0x20, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(ISUB,          "isub",            0x21, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IMUL,          "imul",            0x22, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IDIV,          "idiv",            0x23, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IREM,          "irem",            0x24, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(INEG,          "ineg",            0x25, CF_IMM_NONE,   1,  1, "I>I", 1)      \
    OP(IAND,          "iand",            0x26, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IOR,           "ior",             0x27, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IXOR,          "ixor",            0x28, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(ISHL,          "ishl",            0x29, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(ISHR,          "ishr",            0x2A, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IUSHR,         "iushr",           0x2B, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(EQZ,           "eqz",             0x2C, CF_IMM_NONE,   1,  1, "I>I", 1)      \
    /* ---- float arithmetic (IEEE-754 binary64) ----------------------------- */   \
    OP(FADD,          "fadd",            0x30, CF_IMM_NONE,   2,  1, "FF>F", 1)     \
    OP(FSUB,          "fsub",            0x31, CF_IMM_NONE,   2,  1, "FF>F", 1)     \
    OP(FMUL,          "fmul",            0x32, CF_IMM_NONE,   2,  1, "FF>F", 1)     \
    OP(FDIV,          "fdiv",            0x33, CF_IMM_NONE,   2,  1, "FF>F", 1)     \
    OP(FREM,          "frem",            0x34, CF_IMM_NONE,   2,  1, "FF>F", 1)     \
    OP(FNEG,          "fneg",            0x35, CF_IMM_NONE,   1,  1, "F>F", 1)      \
    OP(I2F,           "i2f",             0x38, CF_IMM_NONE,   1,  1, "I>F", 1)      \
    OP(F2I,           "f2i",             0x39, CF_IMM_NONE,   1,  1, "F>I", 1)      \
    OP(I2B,           "i2b",             0x3A, CF_IMM_NONE,   1,  1, "I>I", 1)      \
    /* ---- comparisons: push int 0 or 1 ------------------------------------- */   \
    OP(IEQ,           "ieq",             0x40, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(INE,           "ine",             0x41, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(ILT,           "ilt",             0x42, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(ILE,           "ile",             0x43, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IGT,           "igt",             0x44, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(IGE,           "ige",             0x45, CF_IMM_NONE,   2,  1, "II>I", 1)     \
    OP(FEQ,           "feq",             0x46, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(FNE,           "fne",             0x47, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(FLT,           "flt",             0x48, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(FLE,           "fle",             0x49, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(FGT,           "fgt",             0x4A, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(FGE,           "fge",             0x4B, CF_IMM_NONE,   2,  1, "FF>I", 1)     \
    OP(AEQ,           "aeq",             0x4C, CF_IMM_NONE,   2,  1, "RR>I", 1)     \
    OP(ANE,           "ane",             0x4D, CF_IMM_NONE,   2,  1, "RR>I", 1)     \
    /* ---- objects, fields, calls, types ------------------------------------ */   \
    OP(NEW,           "new",             0x50, CF_IMM_U16,   -1,  1, 0, 1)          \
    OP(GETFIELD,      "getfield",        0x51, CF_IMM_U16,    1,  1, 0, 1)          \
    OP(PUTFIELD,      "putfield",        0x52, CF_IMM_U16,    2,  0, 0, 1)          \
    OP(GETSTATIC,     "getstatic",       0x53, CF_IMM_U16,    0,  1, 0, 1)          \
    OP(PUTSTATIC,     "putstatic",       0x54, CF_IMM_U16,    1,  0, 0, 1)          \
    OP(INVOKESTATIC,  "invokestatic",    0x55, CF_IMM_U16,   -1, -1, 0, 1)          \
    OP(INVOKEVIRTUAL, "invokevirtual",   0x56, CF_IMM_U16,   -1, -1, 0, 1)          \
    OP(INVOKESPECIAL, "invokespecial",   0x57, CF_IMM_U16,   -1, -1, 0, 1)          \
    OP(INVOKEIFACE,   "invokeinterface", 0x58, CF_IMM_U16,   -1, -1, 0, 1)          \
    OP(INITSUPER,     "initsuper",       0x59, CF_IMM_U16,   -1,  0, 0, 1)          \
    OP(CALLFN,        "callfn",          0x5A, CF_IMM_U16,   -1, -1, 0, 1)          \
    OP(INSTANCEOF,    "instanceof",      0x5B, CF_IMM_U16,    1,  1, 0, 1)          \
    OP(CHECKCAST,     "checkcast",       0x5C, CF_IMM_U16,    1,  1, 0, 1)          \
    /* ---- arrays ------------------------------------------------------------ */  \
    OP(NEWARRAY,      "newarray",        0x60, CF_IMM_U16,    1,  1, 0, 1)          \
    OP(ARRAYLENGTH,   "arraylength",     0x61, CF_IMM_NONE,   1,  1, 0, 1)          \
    OP(IALOAD,        "iaload",          0x62, CF_IMM_NONE,   2,  1, 0, 1)          \
    OP(IASTORE,       "iastore",         0x63, CF_IMM_NONE,   3,  0, 0, 1)          \
    OP(FALOAD,        "faload",          0x64, CF_IMM_NONE,   2,  1, 0, 1)          \
    OP(FASTORE,       "fastore",         0x65, CF_IMM_NONE,   3,  0, 0, 1)          \
    OP(BALOAD,        "baload",          0x66, CF_IMM_NONE,   2,  1, 0, 1)          \
    OP(BASTORE,       "bastore",         0x67, CF_IMM_NONE,   3,  0, 0, 1)          \
    OP(AALOAD,        "aaload",          0x68, CF_IMM_NONE,   2,  1, 0, 1)          \
    OP(AASTORE,       "aastore",         0x69, CF_IMM_NONE,   3,  0, 0, 1)

typedef enum {
#define CF_OP_ENUM(NAME, str, byte, imm, pops, pushes, types, vm) CF_OP_##NAME = byte,
    MICA_OPCODES(CF_OP_ENUM)
#undef CF_OP_ENUM
} CfOpcode;

/* Static facts about one opcode byte. */
typedef struct CfOpInfo {
    const char *name;   /* mnemonic, or NULL for an unassigned byte */
    uint8_t imm;        /* CF_IMM_* */
    int8_t pops;        /* -1: operand dependent */
    int8_t pushes;      /* -1: operand dependent */
    const char *types;  /* simple opcodes: "popped>pushed" stack types, else NULL */
} CfOpInfo;

/* The table of all 256 opcode bytes; unassigned bytes have name == NULL. */
extern const CfOpInfo cf_op_info[256];

/* One decoded instruction. */
typedef struct CfInsn {
    uint32_t pc;        /* offset of the opcode byte                          */
    uint32_t size;      /* total encoded size, opcode included                */
    uint8_t op;         /* CfOpcode                                           */
    uint16_t a;         /* first u16 immediate (index, depth, block type, n)  */
    int32_t i;          /* s32 immediate (iconst value, iinc delta)           */
    const uint8_t *table; /* br_table: the n+1 big-endian u16 depths (default last) */
} CfInsn;

/* Decodes the instruction at [pc] of [code] (length [len]) into [out].
 * Returns 0 on success, -1 for an unassigned opcode byte, -2 when the
 * immediates run past the end of the code. Never reads out of bounds. */
int cf_insn_decode(const uint8_t *code, uint32_t len, uint32_t pc, CfInsn *out);

/* Depth [k] (0-based, k <= n; k == n is the default) of a decoded br_table. */
static inline uint16_t cf_insn_table_depth(const CfInsn *in, uint32_t k)
{
    return (uint16_t)((in->table[2 * k] << 8) | in->table[2 * k + 1]);
}

#endif
