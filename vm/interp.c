/* vm/interp.c: pre-decoding of verified methods and the interpreter loop
 * (computed-goto dispatch, quickening, frames on the VM value stack,
 * exception dispatch through the verifier's handler table). */
#include "vm.h"
#include "cm_mem.h"

#include "frame.h"
#include "link.h"
#include "jit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* short names for the handlers' float arithmetic (vm.h) */
static inline double as_f(uint64_t v) { return vm_slot_float(v); }
static inline uint64_t of_f(double d) { return vm_float_slot(d); }

/* 0.0 / 0.0 as the machine computes it at run time (Math.min and max give it
 * for a NaN operand, as their Mica code does): never folded by the compiler. */
static uint64_t vm_float_nan(void)
{
    volatile double zero = 0.0;
    return of_f(zero / zero);
}

uint32_t vm_line_of(const VmMethod *m, const VmInsn *ip)
{
    if (!ip || !m->cf || !m->cf->code)
        return 0;
    return cf_line_of(m->cf->code, m->pcs[ip - m->code]);
}

/* ---- pre-decoding -------------------------------------------------------- */

/* Superinstructions for the commonest sequences, chosen from the dynamic
 * profile of bench/ops/profile.sh (bench/README.md). The first instruction of a
 * sequence becomes the fused one, which does the work of all and skips the
 * rest; the others stay as they were, so a jump into the middle of a sequence
 * still runs correct code and no branch target needs to be known. */
static int cmp_index(uint16_t op)
{
    static const uint16_t cmp[6] = {VM_OP_ILT, VM_OP_ILE, VM_OP_IGT, VM_OP_IGE, VM_OP_IEQ,
                                    VM_OP_INE};
    /* references compare as 64-bit words: AEQ and ANE fuse as IEQ and INE */
    op = op == VM_OP_AEQ ? VM_OP_IEQ : op == VM_OP_ANE ? VM_OP_INE : op;
    for (int k = 0; k < 6; k++)
        if (op == cmp[k])
            return k;
    return -1;
}

/* The signed addend of `iconst k; iadd` (k) or `iconst k; isub` (-k, wrapping). */
static int64_t addend(const VmInsn *iconst, uint16_t op)
{
    return op == VM_OP_ISUB ? (int64_t)(0 - (uint64_t)iconst->imm) : iconst->imm;
}

static void fuse(VmInsn *code, uint32_t n, const int32_t *heights)
{
    for (uint32_t i = 0; i + 1 < n; i++) {
        VmInsn *o = &code[i];
        uint16_t next = code[i + 1].op;
        uint16_t op3 = i + 2 < n ? code[i + 2].op : VM_OP_UNREACHABLE;
        uint16_t op4 = i + 3 < n ? code[i + 3].op : VM_OP_UNREACHABLE;
        int k3 = cmp_index(op3);
        if (o->op == VM_OP_LOAD && next == VM_OP_LOAD && k3 >= 0 &&
            (op4 == VM_OP_JZ || op4 == VM_OP_BR_IF ||
             (op4 == VM_OP_EQZ && i + 4 < n && code[i + 4].op == VM_OP_BR_IF))) {
            /* the loop test `i < n` of two locals */
            o->op = (uint16_t)((op4 == VM_OP_JZ      ? VM_OP_LL_ILT_JZ
                                : op4 == VM_OP_BR_IF ? VM_OP_LL_ILT_BRIF
                                                     : VM_OP_LL_ILT_NBRIF) +
                               k3);
        } else if (o->op == VM_OP_LOAD &&
                   (next == VM_OP_ICONST || next == VM_OP_ACONST_NULL) && k3 >= 0 &&
                   (op4 == VM_OP_JZ || op4 == VM_OP_BR_IF ||
                    (op4 == VM_OP_EQZ && i + 4 < n && code[i + 4].op == VM_OP_BR_IF))) {
            /* `i < 10`, `x === null` (null is the word 0) */
            o->op = (uint16_t)((op4 == VM_OP_JZ      ? VM_OP_LK_ILT_JZ
                                : op4 == VM_OP_BR_IF ? VM_OP_LK_ILT_BRIF
                                                     : VM_OP_LK_ILT_NBRIF) +
                               k3);
            o->imm = next == VM_OP_ICONST ? code[i + 1].imm : 0;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_LOAD &&
                   (op3 == VM_OP_IADD || op3 == VM_OP_ISUB) && op4 == VM_OP_STORE) {
            o->op = op3 == VM_OP_IADD ? VM_OP_LL_ADD_STORE : VM_OP_LL_SUB_STORE;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_LOAD &&
                   (op3 == VM_OP_FADD || op3 == VM_OP_FSUB || op3 == VM_OP_FMUL)) {
            /* float expressions of locals (Mandelbrot's zr * zr, NBody's dx * dx) */
            int k = op3 == VM_OP_FADD ? 0 : op3 == VM_OP_FSUB ? 1 : 2;
            o->op = (uint16_t)((op4 == VM_OP_STORE ? VM_OP_LL_FADD_STORE : VM_OP_LL_FADD) + k);
        } else if (o->op == VM_OP_LOAD && next == VM_OP_ICONST &&
                   (op3 == VM_OP_IADD || op3 == VM_OP_ISUB) && op4 == VM_OP_STORE) {
            /* `i += k` */
            o->op = VM_OP_LOAD_ADDI_STORE;
            o->imm = addend(&code[i + 1], op3);
        } else if (o->op == VM_OP_LOAD && next == VM_OP_LOAD && op3 == VM_OP_ICONST &&
                   (op4 == VM_OP_IADD || op4 == VM_OP_ISUB)) {
            /* `a[i - 1]` */
            o->op = VM_OP_LOAD_LOAD_ADDI;
            o->imm = addend(&code[i + 2], op4);
        } else if (o->op == VM_OP_LOAD && next == VM_OP_LOAD && op3 == VM_OP_ARRAYLENGTH &&
                   op4 == VM_OP_ILT && i + 5 < n && code[i + 4].op == VM_OP_EQZ &&
                   code[i + 5].op == VM_OP_BR_IF) {
            /* the loop test `i < a.length` */
            o->op = VM_OP_LL_LEN_ILT_NBRIF;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_LOAD) {
            o->op = VM_OP_LOAD2;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_RETURN) {
            o->op = VM_OP_LOAD_RETURN;
        } else if (o->op == VM_OP_LOAD &&
                   (next == VM_OP_FADD || next == VM_OP_FSUB || next == VM_OP_FMUL ||
                    next == VM_OP_IADD || next == VM_OP_ISUB)) {
            /* `zr * zi` with zr computed, `acc + x` */
            o->op = next == VM_OP_FADD   ? VM_OP_LOAD_FADD
                    : next == VM_OP_FSUB ? VM_OP_LOAD_FSUB
                    : next == VM_OP_FMUL ? VM_OP_LOAD_FMUL
                    : next == VM_OP_IADD ? VM_OP_LOAD_IADD
                                         : VM_OP_LOAD_ISUB;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_JZ) {
            o->op = VM_OP_LOAD_JZ;
        } else if (o->op == VM_OP_LOAD && (next == VM_OP_IALOAD || next == VM_OP_FALOAD ||
                                           next == VM_OP_AALOAD || next == VM_OP_BALOAD)) {
            /* `a[i]` with the array computed (a field, `a[i][j]`) */
            o->op = next == VM_OP_BALOAD ? VM_OP_LOAD_BALOAD : VM_OP_LOAD_ALOAD;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_EQZ && op3 == VM_OP_BR_IF) {
            /* `while (flag)` */
            o->op = VM_OP_LOAD_EQZ_BRIF;
        } else if (o->op == VM_OP_LOAD && next == VM_OP_DUP && op3 == VM_OP_GETFIELD &&
                   op4 == VM_OP_ICONST && i + 5 < n &&
                   (code[i + 4].op == VM_OP_IADD || code[i + 4].op == VM_OP_ISUB) &&
                   code[i + 5].op == VM_OP_PUTFIELD && code[i + 5].cpi == code[i + 2].cpi) {
            /* `r.f += k`: runs as the plain load until both field instructions
             * are quickened */
            o->op = VM_OP_FIELD_ADDI;
            o->imm = addend(&code[i + 3], code[i + 4].op);
        } else if (o->op == VM_OP_LOAD && next == VM_OP_ICONST &&
                   (op3 == VM_OP_IADD || op3 == VM_OP_ISUB)) {
            o->op = VM_OP_LOAD_ADDI;
            o->imm = addend(&code[i + 1], op3);
        } else if (o->op == VM_OP_LOAD && next == VM_OP_ICONST) {
            o->op = VM_OP_LOAD_ICONST;
        } else if ((o->op == VM_OP_ICONST || o->op == VM_OP_LOAD) && cmp_index(next) >= 0 &&
                   (op3 == VM_OP_JZ || op3 == VM_OP_BR_IF ||
                    (op3 == VM_OP_EQZ && op4 == VM_OP_BR_IF))) {
            /* `x < 10`, `x > limit` of a computed x (the top) */
            bool k = o->op == VM_OP_ICONST;
            o->op = (uint16_t)((op3 == VM_OP_JZ ? (k ? VM_OP_K_ILT_JZ : VM_OP_L_ILT_JZ)
                                : op3 == VM_OP_BR_IF ? (k ? VM_OP_K_ILT_BRIF : VM_OP_L_ILT_BRIF)
                                                     : (k ? VM_OP_K_ILT_NBRIF : VM_OP_L_ILT_NBRIF)) +
                               cmp_index(next));
        } else if (o->op == VM_OP_ICONST && (next == VM_OP_IADD || next == VM_OP_ISUB)) {
            o->op = next == VM_OP_ISUB ? VM_OP_SUBI : VM_OP_ADDI;
        } else if (o->op == VM_OP_ICONST && next == VM_OP_RETURN) {
            o->op = VM_OP_ICONST_RETURN;
        } else if (o->op == VM_OP_ICONST && next == VM_OP_STORE) {
            o->op = VM_OP_ICONST_STORE;
        } else if (o->op == VM_OP_EQZ && next == VM_OP_BR_IF) {
            o->op = VM_OP_EQZ_BRIF;
        } else if (o->op == VM_OP_ACONST_NULL && (next == VM_OP_AEQ || next == VM_OP_ANE) &&
                   i + 2 < n && code[i + 2].op == VM_OP_JZ) {
            o->op = next == VM_OP_AEQ ? VM_OP_NULL_EQ_JZ : VM_OP_NULL_NE_JZ;
        } else if (o->op == VM_OP_STORE && next == VM_OP_LOAD) {
            o->op = VM_OP_STORE_LOAD;
        } else if (o->op == VM_OP_BR && heights[i] >= 0 &&
                   (int64_t)heights[i] - o->arity == (int64_t)o->height) {
            o->op = VM_OP_BR_PLAIN;
        } else if (cmp_index(o->op) >= 0) {
            int k = cmp_index(o->op);
            if (next == VM_OP_JZ)
                o->op = (uint16_t)(VM_OP_ILT_JZ + k);
            else if (next == VM_OP_BR_IF)
                o->op = (uint16_t)(VM_OP_ILT_BRIF + k);
            else if (next == VM_OP_EQZ && op3 == VM_OP_BR_IF)
                o->op = (uint16_t)(VM_OP_ILT_NBRIF + k);
        }
    }
    /* a loop body's last statement and the loop's back edge (a BR_PLAIN, made
     * above): `i += k`, `c = a + b`, a store */
    for (uint32_t i = 0; i + 1 < n; i++) {
        VmInsn *o = &code[i];
        if ((o->op == VM_OP_LOAD_ADDI_STORE || o->op == VM_OP_LL_ADD_STORE) && i + 4 < n &&
            code[i + 4].op == VM_OP_BR_PLAIN)
            o->op = o->op == VM_OP_LOAD_ADDI_STORE ? VM_OP_LOAD_ADDI_STORE_BR
                                                   : VM_OP_LL_ADD_STORE_BR;
        else if (o->op == VM_OP_STORE && code[i + 1].op == VM_OP_BR_PLAIN)
            o->op = VM_OP_STORE_BR;
    }
}

enum { RF_WORDS = 4 }; /* read_first: 256 declared locals at most */

/* read_first: what is stored on every path to instruction [to] so far ([in])
 * meets what a predecessor stores ([out]). */
static void meet(uint64_t *in, uint32_t to, uint32_t n, const uint64_t *out, bool *changed)
{
    uint64_t *t = &in[(size_t)(to <= n ? to : n) * RF_WORDS];
    for (int w = 0; w < RF_WORDS; w++)
        if (t[w] & ~out[w]) {
            t[w] &= out[w];
            *changed = true;
        }
}

/* The declared locals of [m] that some instruction of [code] may read before
 * any store to them (a forward "definitely stored" analysis over the
 * pre-decoded code, base forms only), as the range [*lo, *hi) that covers
 * them; false when the analysis is not made (more than 256 declared locals,
 * or no memory), and then every declared local counts as read first. Paths
 * end at returns, throws and unreachable; a method with handlers is not
 * analysed (a handler sees the locals of any point of its range). Fused and
 * quick forms count as their base (a fused form keeps the instructions after
 * its first), so the analysis also holds over code already fused. [keep]: the
 * sets per instruction (RF_WORDS words each) are kept there instead of freed. */
static bool read_first(const VmMethod *m, const VmInsn *code, uint32_t n, uint32_t *lo,
                       uint32_t *hi, uint64_t **keep)
{
    enum { W = RF_WORDS };
    uint32_t nd = m->nlocals - m->nparams;
    if (nd > 64 * W)
        return false;
    uint64_t *in = cm_malloc(((size_t)n + 1) * W * sizeof *in);
    if (!in)
        return false;
    /* nothing stored on entry; unknown (everything) elsewhere until reached */
    for (uint32_t i = 0; i <= n; i++)
        for (int w = 0; w < W; w++)
            in[(size_t)i * W + w] = i ? ~(uint64_t)0 : 0;
    bool changed = true;
    while (changed) {
        changed = false;
        for (uint32_t i = 0; i < n; i++) {
            const VmInsn *o = &code[i];
            uint64_t out[W];
            memcpy(out, &in[(size_t)i * W], sizeof out);
            if (vm_op_base(o->op) == VM_OP_STORE && o->local >= m->nparams && o->local < m->nlocals) {
                uint32_t l = o->local - m->nparams;
                out[l / 64] |= (uint64_t)1 << (l % 64);
            }
            switch (vm_op_base(o->op)) {
            case VM_OP_JMP: case VM_OP_BR: meet(in, (uint32_t)o->target, n, out, &changed); break;
            case VM_OP_JZ: case VM_OP_BR_IF:
                meet(in, (uint32_t)o->target, n, out, &changed);
                meet(in, i + 1, n, out, &changed);
                break;
            case VM_OP_BR_TABLE:
                for (uint32_t k = 0; k <= o->ncases; k++)
                    meet(in, o->table[k].idx, n, out, &changed);
                break;
            case VM_OP_RETURN: case VM_OP_RETURN_V: case VM_OP_THROW: case VM_OP_UNREACHABLE:
                break;
            default: meet(in, i + 1, n, out, &changed); break;
            }
        }
    }
    *lo = m->nlocals;
    *hi = m->nparams;
    for (uint32_t i = 0; i < n; i++) {
        const VmInsn *o = &code[i];
        if ((vm_op_base(o->op) == VM_OP_LOAD || vm_op_base(o->op) == VM_OP_IINC) &&
            o->local >= m->nparams &&
            o->local < m->nlocals) {
            uint32_t l = o->local - m->nparams;
            if (!(in[(size_t)i * W + l / 64] >> (l % 64) & 1)) {
                if (o->local < *lo)
                    *lo = o->local;
                if (o->local + 1u > *hi)
                    *hi = o->local + 1u;
            }
        }
    }
    if (keep)
        *keep = in;
    else
        free(in);
    if (*lo >= *hi)
        *lo = *hi = m->nparams;
    return true;
}

const uint64_t *vm_stored_before(VmMethod *m, uint32_t idx)
{
    if (!m->stored_at && !m->stored_unknown) {
        uint32_t lo, hi;
        uint64_t *in = NULL;
        if (m->nhandlers || !read_first(m, m->code, m->ncode, &lo, &hi, &in) || !in)
            m->stored_unknown = true;
        m->stored_at = in;
    }
    return m->stored_at && idx < m->ncode ? &m->stored_at[(size_t)idx * RF_WORDS] : NULL;
}

/* What a call of [m] needs (before fusing, base forms only): the size of its
 * frame, which declared locals it must zero (those some path may read before
 * storing them, read_first), and whether it is a trivial accessor. */
static void call_facts(VmMethod *m, const VmInsn *code, uint32_t n, uint32_t nhandlers)
{
    m->frame_slots = m->nlocals + m->max_stack + VM_FRAME_SPARE_SLOTS;
    m->clear_from = m->nparams;
    m->clear_to = m->nlocals;
    uint32_t lo, hi;
    if (!nhandlers && m->nlocals > m->nparams && read_first(m, code, n, &lo, &hi, NULL)) {
        m->clear_from = lo;
        m->clear_to = hi;
    }
    /* `return this.f` and `this.f = v` (then return) */
    m->accessor = VM_ACCESSOR_NONE;
    if (!(m->flags & CF_ACC_STATIC) && !nhandlers) {
        if (n >= 3 && m->nparams == 1 && code[0].op == VM_OP_LOAD && code[0].local == 0 &&
            code[1].op == VM_OP_GETFIELD && code[2].op == VM_OP_RETURN)
            m->accessor = VM_ACCESSOR_GET;
        else if (n >= 4 && m->nparams == 2 && code[0].op == VM_OP_LOAD && code[0].local == 0 &&
                 code[1].op == VM_OP_LOAD && code[1].local == 1 &&
                 code[2].op == VM_OP_PUTFIELD && code[3].op == VM_OP_RETURN_V)
            m->accessor = VM_ACCESSOR_SET;
    }
}

static bool emits(uint8_t op)
{
    return op != CF_OP_NOP && op != CF_OP_BLOCK && op != CF_OP_LOOP && op != CF_OP_TRY &&
           op != CF_OP_END;
}

/* The stack effect of a call instruction, from its descriptor (verified). */
static bool call_effect(const CfClass *cf, const VmInsn *o, int op, int *pops, int *pushes)
{
    const char *desc;
    if (op == VM_OP_CALLFN) {
        desc = cf_utf8(cf, o->cpi);
    } else {
        if (o->cpi >= cf->ncp || cf->cp[o->cpi].kind != CF_CONST_METHOD)
            return false;
        desc = cf_utf8(cf, cf->cp[o->cpi].u.ref.desc);
    }
    uint32_t np = 0;
    if (!desc || !cf_desc_method_ok(desc, &np))
        return false;
    const char *r = strchr(desc, ')');
    bool has_ret = r && cf_desc_kind(r + 1) != CF_KIND_VOID;
    switch (op) {
    case VM_OP_INVOKESTATIC: *pops = (int)np; *pushes = has_ret; break;
    case VM_OP_NEW: *pops = (int)np; *pushes = 1; break;
    case VM_OP_INITSUPER: *pops = (int)np + 1; *pushes = 0; break;
    default: *pops = (int)np + 1; *pushes = has_ret; break;
    }
    return true;
}

/* The operand-stack height before each instruction of [code] (-1 where no
 * path reaches), for the JIT and for tools: straight-line effects, branch
 * targets from the verifier's heights, handlers at their height plus the
 * exception. Runs before fusing (it reads base forms only); [pcs] gives each
 * instruction's bytecode offset, whose opcode-table entry has the fixed effects. */
static int32_t *stack_heights(const VmMethod *m, const VmInsn *code, const uint32_t *pcs,
                              uint32_t n, const VmHandler *handlers, uint32_t nhandlers)
{
    int32_t *h = cm_malloc(((size_t)n + 1) * sizeof *h);
    if (!h)
        return NULL;
    for (uint32_t i = 0; i <= n; i++)
        h[i] = -1;
    h[0] = 0;
    for (uint32_t i = 0; i < nhandlers; i++)
        if (handlers[i].target < n)
            h[handlers[i].target] = handlers[i].height + 1;
    bool changed = true;
    for (int pass = 0; changed && pass < 8; pass++) {
        changed = false;
#define SET(idx, v)                                                                       \
    do {                                                                                  \
        uint32_t i_ = (uint32_t)(idx);                                                    \
        if (i_ <= n && h[i_] < 0) {                                                       \
            h[i_] = (v);                                                                  \
            changed = true;                                                               \
        }                                                                                 \
    } while (0)
        for (uint32_t i = 0; i < n; i++) {
            const VmInsn *o = &code[i];
            int32_t cur = h[i];
            if (cur < 0)
                continue;
            int pops = 0, pushes = 0;
            switch (o->op) {
            case VM_OP_JMP: SET(o->target, cur); continue;
            case VM_OP_JZ: SET(o->target, cur - 1); SET(i + 1, cur - 1); continue;
            case VM_OP_BR: SET(o->target, o->height + o->arity); continue;
            case VM_OP_BR_IF: SET(o->target, o->height + o->arity); SET(i + 1, cur - 1); continue;
            case VM_OP_BR_TABLE:
                for (uint32_t k = 0; k <= o->ncases; k++)
                    SET(o->table[k].idx, o->table[k].height + o->table[k].arity);
                continue;
            case VM_OP_RETURN: case VM_OP_RETURN_V: case VM_OP_THROW: case VM_OP_UNREACHABLE:
                continue;
            case VM_OP_NEW: case VM_OP_INVOKESTATIC: case VM_OP_INVOKEVIRTUAL:
            case VM_OP_INVOKESPECIAL: case VM_OP_INVOKEIFACE: case VM_OP_INITSUPER:
            case VM_OP_CALLFN:
                if (!call_effect(m->cls->cf, o, o->op, &pops, &pushes)) {
                    free(h);
                    return NULL;
                }
                break;
            default: {
                /* every other form has the fixed stack effect of its bytecode */
                const CfOpInfo *ci = &cf_op_info[m->cf->code->code[pcs[i]]];
                pops = ci->pops;
                pushes = ci->pushes;
                break;
            }
            }
            SET(i + 1, cur - pops + pushes);
        }
#undef SET
    }
    return h;
}

/* For each bytecode the runtime runs as it is (vm = 1 in classfile/opcodes.h), its
 * instruction plus one; 0 for the others, which vm_predecode rewrites itself. */
static const uint16_t kept[256] = {
#define KEPT_0(NAME) 0
#define KEPT_1(NAME) VM_OP_##NAME + 1
#define KEPT(NAME, str, byte, imm, pops, pushes, types, vm) [byte] = KEPT_##vm(NAME),
    MICA_OPCODES(KEPT)
#undef KEPT
#undef KEPT_1
#undef KEPT_0
};

int vm_predecode(MicaVM *vm, VmMethod *m)
{
    const CfCode *code = m->cf->code;
    const CfMethodInfo *info = &m->cls->info[m->index];
    uint32_t *pc2idx = NULL, *pcs = NULL;
    VmInsn *out = NULL;
    VmTarget *tables = NULL;
    VmHandler *handlers = NULL;
    uint32_t count = 0, ntables = 0;
    CfInsn in;

    pc2idx = cm_malloc(((size_t)code->code_len + 1) * sizeof *pc2idx);
    if (!pc2idx)
        goto oom;
    for (uint32_t pc = 0; pc < code->code_len; pc += in.size) {
        if (cf_insn_decode(code->code, code->code_len, pc, &in) != 0)
            goto bad;
        pc2idx[pc] = count;
        if (emits(in.op))
            count++;
        if (in.op == CF_OP_BR_TABLE)
            ntables += in.a + 1u;
    }
    pc2idx[code->code_len] = count;
    /* a trailing guard: nothing verified reaches it */
    out = cm_calloc((size_t)count + 1, sizeof *out);
    pcs = cm_malloc(((size_t)count + 1) * sizeof *pcs);
    tables = cm_calloc((size_t)ntables + 1, sizeof *tables);
    if (!out || !pcs || !tables)
        goto oom;
    uint32_t k = 0, nb = 0, t = 0;
    const CfConst *cp = m->cls->cf->cp;
    for (uint32_t pc = 0; pc < code->code_len; pc += in.size) {
        cf_insn_decode(code->code, code->code_len, pc, &in);
        while (nb < info->nbranches && info->branches[nb].pc < pc)
            nb++;
        const CfBranch *br = (nb < info->nbranches && info->branches[nb].pc == pc)
                                 ? &info->branches[nb] : NULL;
        if (!emits(in.op))
            continue;
        VmInsn *o = &out[k++];
        pcs[k - 1] = pc;
        o->cpi = in.a; /* the local of LOAD, STORE and IINC */
        switch (in.op) {
        case CF_OP_UNREACHABLE: o->op = VM_OP_UNREACHABLE; break;
        case CF_OP_IF:
        case CF_OP_ELSE:
        case CF_OP_CATCH:
        case CF_OP_BR:
        case CF_OP_BR_IF:
            if (!br)
                goto bad;
            o->target = (int32_t)pc2idx[br->target];
            o->arity = br->arity;
            o->height = br->height;
            o->op = in.op == CF_OP_IF ? VM_OP_JZ
                  : in.op == CF_OP_BR ? VM_OP_BR
                  : in.op == CF_OP_BR_IF ? VM_OP_BR_IF : VM_OP_JMP;
            break;
        case CF_OP_BR_TABLE:
            if (!br || nb + in.a >= info->nbranches + 0u)
                goto bad;
            o->op = VM_OP_BR_TABLE;
            o->table = tables + t;
            for (uint32_t j = 0; j <= in.a; j++) {
                const CfBranch *e = &info->branches[nb + j];
                tables[t].idx = pc2idx[e->target];
                tables[t].height = e->height;
                tables[t].arity = e->arity;
                t++;
            }
            break;
        case CF_OP_RETURN: o->op = m->ret == CF_KIND_VOID ? VM_OP_RETURN_V : VM_OP_RETURN; break;
        case CF_OP_THROW: o->op = VM_OP_THROW; break;
        case CF_OP_ACONST_NULL: o->op = VM_OP_ACONST_NULL; break;
        case CF_OP_ICONST: o->op = VM_OP_ICONST; o->imm = in.i; break;
        case CF_OP_LDC:
            if (in.a >= m->cls->cf->ncp)
                goto bad;
            if (cp[in.a].kind == CF_CONST_INT) {
                o->op = VM_OP_ICONST;
                o->imm = cp[in.a].u.i;
            } else if (cp[in.a].kind == CF_CONST_FLOAT) {
                o->op = VM_OP_ICONST;
                o->imm = (int64_t)of_f(cp[in.a].u.f);
            } else {
                o->op = VM_OP_LDC_STR;
            }
            break;
        case CF_OP_LOAD: o->op = VM_OP_LOAD; break;
        case CF_OP_STORE: o->op = VM_OP_STORE; break;
        case CF_OP_IINC: o->op = VM_OP_IINC; o->imm = in.i; break;
        default:
            /* an opcode the runtime runs as it is (vm = 1 in the table) */
            if (!kept[in.op])
                goto bad;
            o->op = (uint16_t)(kept[in.op] - 1);
            break;
        }
    }
    out[count].op = VM_OP_UNREACHABLE;
    pcs[count] = code->code_len;
    if (info->nhandlers) {
        handlers = cm_calloc(info->nhandlers, sizeof *handlers);
        if (!handlers)
            goto oom;
        for (uint32_t i = 0; i < info->nhandlers; i++) {
            const CfHandler *h = &info->handlers[i];
            uint32_t target = h->handler;
            /* tolerate a handler that names the catch instruction itself */
            if (target < code->code_len && code->code[target] == CF_OP_CATCH)
                target += 3;
            handlers[i].start = h->start;
            handlers[i].end = h->end;
            handlers[i].target = pc2idx[target <= code->code_len ? target : code->code_len];
            handlers[i].height = h->height;
            handlers[i].cls_index = h->cls;
        }
    }
    free(pc2idx);
    int32_t *hts = stack_heights(m, out, pcs, count, handlers, info->nhandlers);
    if (!hts) {
        free(handlers);
        free(out);
        free(pcs);
        free(tables);
        return vm_throw(vm, "LinkError", "%s.%s%s: code does not match the verifier's tables",
                        m->cls->name, m->name, m->desc);
    }
    call_facts(m, out, count, info->nhandlers);
    fuse(out, count, hts);
    m->heights = hts;
    m->pcs = pcs;
    m->entry = vm_interp_entry;
    m->code = out;
    m->ncode = count;
    m->tables = tables;
    m->handlers = handlers;
    m->nhandlers = info->nhandlers;
    return 0;
bad:
    free(pc2idx);
    free(pcs);
    free(out);
    free(tables);
    return vm_throw(vm, "LinkError", "%s.%s%s: code does not match the verifier's tables",
                    m->cls->name, m->name, m->desc);
oom:
    free(pc2idx);
    free(pcs);
    free(out);
    free(tables);
    return vm_throw(vm, "OutOfMemoryError", "cannot prepare %s.%s", m->cls->name, m->name);
}

/* ---- call sites of trivial accessors ------------------------------------------------ */

/* Rewrites virtual call site [ip] of [m], whose inline cache now holds trivial
 * accessor [t] of the field in slot [slot], into [op] (VGET_Q, VSET_Q): the
 * call's other operands stay (the JIT and the full call read them), the slot
 * goes in [local]; a plain `load` just before a getter site becomes
 * LOAD_VGET. Not done for a frame larger than the rewritten site checks. */
static void rewrite_accessor_site(VmMethod *m, VmInsn *ip, const VmMethod *t, int32_t slot,
                                  int op)
{
    if (t->frame_slots > VM_ACCESSOR_FRAME_SLOTS || slot < 0 || slot > UINT16_MAX)
        return;
    ip->local = (uint16_t)slot;
    vm_publish_op(ip, op);
    if (op == VM_OP_VGET_Q && ip > m->code &&
        (ip[-1].op == VM_OP_LOAD || ip[-1].op == VM_OP_LOAD_INVOKEVIRTUAL)) {
        vm_publish_op(&ip[-1], VM_OP_LOAD_VGET);
        if (ip - 1 > m->code && ip[-2].op == VM_OP_LOAD2)
            vm_publish_op(&ip[-2], VM_OP_LOAD2_VGET);
        else if (ip - 1 > m->code && ip[-2].op == VM_OP_STORE_LOAD)
            vm_publish_op(&ip[-2], VM_OP_STORE_LOAD_VGET);
    } else if (op == VM_OP_VSET_Q && ip > m->code &&
               (ip[-1].op == VM_OP_FADD || ip[-1].op == VM_OP_FSUB)) {
        vm_publish_op(&ip[-1], ip[-1].op == VM_OP_FADD ? VM_OP_FADD_VSET : VM_OP_FSUB_VSET);
    }
}

/* A call site just quickened ([ip]): a plain `load a` just before it runs
 * with it (the fused form checks the call is still the one it was made for). */
static void fuse_call_site(VmMethod *m, VmInsn *ip)
{
    if (ip == m->code || ip[-1].op != VM_OP_LOAD)
        return;
    int op = ip->op == VM_OP_INVOKE_Q            ? VM_OP_LOAD_INVOKE
             : ip->op == VM_OP_INVOKESPECIAL_Q   ? VM_OP_LOAD_INVOKESPECIAL
             : ip->op == VM_OP_INVOKEVIRTUAL_Q   ? VM_OP_LOAD_INVOKEVIRTUAL
                                                 : -1;
    if (op >= 0)
        vm_publish_op(&ip[-1], op);
}

/* Undoes rewrite_accessor_site at [ip] (its inline cache is about to change). */
static void unrewrite_accessor_site(VmMethod *m, VmInsn *ip)
{
    if (ip - 1 > m->code && ip[-2].op == VM_OP_LOAD2_VGET)
        vm_publish_op(&ip[-2], VM_OP_LOAD2);
    if (ip - 1 > m->code && ip[-2].op == VM_OP_STORE_LOAD_VGET)
        vm_publish_op(&ip[-2], VM_OP_STORE_LOAD);
    if (ip > m->code && ip[-1].op == VM_OP_LOAD_VGET)
        vm_publish_op(&ip[-1], VM_OP_LOAD);
    if (ip > m->code && (ip[-1].op == VM_OP_FADD_VSET || ip[-1].op == VM_OP_FSUB_VSET))
        vm_publish_op(&ip[-1], ip[-1].op == VM_OP_FADD_VSET ? VM_OP_FADD : VM_OP_FSUB);
    vm_publish_op(ip, VM_OP_INVOKEVIRTUAL_Q);
}

/* ---- the interpreter loop ----------------------------------------------------- */

#define BOUNDS(arr, idx)                                                                  \
    do {                                                                                  \
        if (!(arr)) {                                                                     \
            SAVE();                                                                       \
            vm_throw(vm, "NullError", "cannot index a null array");                      \
            goto exception;                                                               \
        }                                                                                 \
        if ((uint64_t)(idx) >= (uint64_t)(arr)->length) {                                 \
            SAVE();                                                                       \
            vm_throw(vm, "IndexError", "index %lld out of bounds for length %lld",       \
                     (long long)(idx), (long long)(arr)->length);                         \
            goto exception;                                                               \
        }                                                                                 \
    } while (0)

/* The instructions with a form for the top of the stack in a register (run():
 * T_name); the others store it first (T_FLUSH). */
#define VM_TOS_OPS(T)                                                                     \
    T(LOAD) T(ICONST) T(ACONST_NULL) T(LDC_STR_Q) T(GETSTATIC_Q) T(STORE) T(IINC) T(POP)   \
    T(DUP) T(PUTSTATIC_Q) T(IADD) T(ISUB) T(IMUL) T(IAND) T(IOR) T(IXOR) T(ISHL) T(ISHR)   \
    T(IUSHR) T(IEQ) T(INE) T(ILT) T(ILE) T(IGT) T(IGE) T(AEQ) T(ANE) T(INEG) T(EQZ)        \
    T(I2B) T(FADD) T(FSUB) T(FMUL) T(FDIV) T(FEQ) T(FNE) T(FLT) T(FLE) T(FGT) T(FGE)       \
    T(FNEG) T(I2F) T(JZ) T(BR_IF) T(EQZ_BRIF) T(NULL_EQ_JZ) T(NULL_NE_JZ) T(ADDI) T(SUBI)  \
    T(ILT_JZ) T(ILE_JZ) T(IGT_JZ) T(IGE_JZ) T(IEQ_JZ) T(INE_JZ) T(ILT_BRIF) T(ILE_BRIF)    \
    T(IGT_BRIF) T(IGE_BRIF) T(IEQ_BRIF) T(INE_BRIF) T(ILT_NBRIF) T(ILE_NBRIF)              \
    T(IGT_NBRIF) T(IGE_NBRIF) T(IEQ_NBRIF) T(INE_NBRIF) T(RETURN) T(GETFIELD_Q)            \
    T(PUTFIELD_Q) T(ARRAYLENGTH) T(IALOAD) T(FALOAD) T(AALOAD) T(BALOAD) T(IASTORE)        \
    T(FASTORE) T(BASTORE) T(STORE_LOAD) T(LL_ADD_STORE) T(LL_SUB_STORE)                    \
    T(LOAD_ADDI_STORE) T(LOAD2) T(LOAD_ICONST) T(LOAD_ADDI) T(LOAD_LOAD_ADDI)              \
    T(LOAD_GETFIELD) T(INVOKE_Q) T(INVOKEVIRTUAL_Q) T(INVOKESPECIAL_Q) T(INVOKEIFACE_Q)    \
    T(NEW_Q) T(FSQRT_Q) T(FABS_Q) T(STRLEN_Q) T(CHARAT_Q) T(CODEPOINT_Q) T(INSTANCEOF_Q)   \
    T(STREQ_Q) T(SUBSTR_Q)                                                                \
    T(CHECKCAST_Q) T(VGET_Q) T(VSET_Q) T(LOAD_VGET) T(LOAD2_GETFIELD) T(LOAD_GETFIELD2)    \
    T(FIELD_ADDI) T(LOAD_DUP_GETFIELD) T(PUTFIELD_B_Q) T(PUTFIELD_Z_Q) T(PUTSTATIC_B_Q)    \
    T(PUTSTATIC_Z_Q) T(K_ILT_JZ) T(K_ILE_JZ) T(K_IGT_JZ) T(K_IGE_JZ) T(K_IEQ_JZ)           \
    T(K_INE_JZ) T(K_ILT_BRIF) T(K_ILE_BRIF) T(K_IGT_BRIF) T(K_IGE_BRIF) T(K_IEQ_BRIF)      \
    T(K_INE_BRIF) T(K_ILT_NBRIF) T(K_ILE_NBRIF) T(K_IGT_NBRIF) T(K_IGE_NBRIF)              \
    T(K_IEQ_NBRIF) T(K_INE_NBRIF) T(L_ILT_JZ) T(L_ILE_JZ) T(L_IGT_JZ) T(L_IGE_JZ)          \
    T(L_IEQ_JZ) T(L_INE_JZ) T(L_ILT_BRIF) T(L_ILE_BRIF) T(L_IGT_BRIF) T(L_IGE_BRIF)        \
    T(L_IEQ_BRIF) T(L_INE_BRIF) T(L_ILT_NBRIF) T(L_ILE_NBRIF) T(L_IGT_NBRIF)               \
    T(L_IGE_NBRIF) T(L_IEQ_NBRIF) T(L_INE_NBRIF) T(LOAD_FADD) T(LOAD_FSUB) T(LOAD_FMUL)    \
    T(LOAD_IADD) T(LOAD_ISUB)                                                             \
    T(CALLFN) T(JMP) T(BR) T(BR_PLAIN) T(IDIV) T(IREM) T(F2I) T(IABS_Q) T(IMIN_Q)          \
    T(IMAX_Q) T(FMIN_Q) T(FMAX_Q) T(ACOPY_Q) T(NEWARRAY_Q) T(THROW) T(DUP_X1) T(SWAP)      \
    T(LL_FADD) T(LL_FSUB) T(LL_FMUL) T(LL_FADD_STORE) T(LL_FSUB_STORE) T(LL_FMUL_STORE)   \
    T(STORE_BR) T(LOAD_ADDI_STORE_BR) T(LL_ADD_STORE_BR) T(LOAD_ALOAD) T(LOAD_BALOAD)    \
    T(LOAD2_VGET) T(FADD_VSET) T(FSUB_VSET) T(IADD_PUTFIELD) T(LOAD_INVOKE)               \
    T(LOAD_INVOKESPECIAL) T(LOAD_INVOKEVIRTUAL) T(STORE_LOAD_VGET) T(LL_LEN_ILT_NBRIF)     \
    T(ICONST_RETURN) T(ICONST_STORE)

#if VM_OP_PROFILE
/* Counts the pair (previous op, [op]) (config.h VM_OP_PROFILE). */
static void op_profile(MicaVM *vm, int op)
{
    if (!vm->op_pairs)
        vm->op_pairs = cm_calloc((size_t)VM_OP_COUNT * VM_OP_COUNT, sizeof *vm->op_pairs);
    if (vm->op_pairs)
        vm->op_pairs[(size_t)vm->op_prev * VM_OP_COUNT + (size_t)op]++;
    vm->op_prev = op;
}

void vm_op_profile_write(MicaVM *vm)
{
    static const char *const names[VM_OP_COUNT] = {
#define VM_OP_NAME(name, base) [VM_OP_##name] = #name,
#define VM_OP_NAME_K(...) VM_KEPT(VM_OP_NAME, __VA_ARGS__)
        VM_ALL_OPS(VM_OP_NAME, VM_OP_NAME_K)
#undef VM_OP_NAME_K
#undef VM_OP_NAME
    };
    const char *path = getenv("MICA_OP_PROFILE");
    FILE *f = path && vm->op_pairs ? fopen(path, "a") : NULL;
    for (size_t i = 0; f && i < (size_t)VM_OP_COUNT * VM_OP_COUNT; i++)
        if (vm->op_pairs[i])
            fprintf(f, "%llu %s %s\n", (unsigned long long)vm->op_pairs[i],
                    names[i / VM_OP_COUNT], names[i % VM_OP_COUNT]);
    if (f)
        fclose(f);
    free(vm->op_pairs);
    vm->op_pairs = NULL;
}
#endif

/* What runs in place of [op] while line or return hooks are on: a fused form
 * that ends in a return or a branch runs as its first instruction (the one
 * it stands in for), so the last one is reported at its own instruction. */
static inline int hook_op(int op)
{
    switch (op) {
    case VM_OP_LOAD_RETURN: return VM_OP_LOAD;
    case VM_OP_LOAD_ADDI_STORE_BR: return VM_OP_LOAD_ADDI_STORE;
    case VM_OP_LL_ADD_STORE_BR: return VM_OP_LL_ADD_STORE;
    case VM_OP_STORE_BR: return VM_OP_STORE;
    case VM_OP_LOAD_INVOKE: case VM_OP_LOAD_INVOKESPECIAL: case VM_OP_LOAD_INVOKEVIRTUAL:
    case VM_OP_LL_LEN_ILT_NBRIF: return VM_OP_LOAD;
    case VM_OP_ICONST_RETURN: return VM_OP_ICONST;
    default: return op;
    }
}

/* Runs from the top frame (index [entry]) until that frame returns. */
static int run(MicaVM *vm, uint32_t entry, uint64_t *ret)
{
    VmFrame *fr;
    VmMethod *m;
    VmInsn *ip;
    uint64_t *sp, *locals; /* the operand stack starts at locals + m->nlocals */
    uint64_t a, b;
    VmMethod *target;
    uint32_t nargs;

#define SAVE() (fr->ip = ip, fr->sp = sp)
#define RELOAD()                                                                          \
    (fr = &vm->frames[vm->nframes - 1], m = fr->m, ip = fr->ip, sp = fr->sp,               \
     locals = fr->base)
/* after a return popped [fr] (not an entry frame): the caller's frame is the
 * one below it (frames are contiguous and [fr] is always the top one), and
 * its operand stack ends where the callee's arguments began, [dst] */
#define POP_RELOAD(dst)                                                                   \
    (fr--, m = fr->m, ip = fr->ip, sp = (dst), locals = fr->base)

    const VmMethod *hook_m = NULL;   /* the last line reported (MICA_HOOK_LINE) */
    uint32_t hook_line = 0;
    /* The top of the operand stack in a register: an instruction runs in one of
     * two states. In the first every operand is in memory, [locals + m->nlocals, sp). In the
     * second the top operand is in [tos] and the rest in memory: it is
     * entered by DISPATCH1 after an instruction that left its result in [tos],
     * and runs the instruction's second form (T_name) where it has one, which
     * takes its operand from [tos] (`load; load; iadd; store` moves one value
     * through memory instead of four); the others (T_FLUSH) store [tos] to the
     * stack first. Everything that leaves the loop or lets anything see the
     * stack (calls, polls, throws, allocation, branches that move operands,
     * hooks, the JIT and OSR) runs in the first state, so frames, traces and
     * the collector see the stack as before. */
    uint64_t tos = 0;
    /* The second state needs computed gotos and VM_TOS_REGISTER (config.h),
     * which is off for clang: clang 14 keeps [tos] in a register but spills
     * ip, locals and the table in the hot handlers to make room, which costs
     * more than it saves. Without it, and in the switch build, an instruction
     * that leaves its result in [tos] stores it at once and everything runs
     * in the first state. */
#if defined(__GNUC__) && !VM_NO_COMPUTED_GOTO
#if VM_TOS_REGISTER
#define VM_TOS_STATES 2
#else
#define VM_TOS_STATES 1
#endif
    /* [0, VM_OP_COUNT): the first state; [VM_OP_COUNT, 2 * VM_OP_COUNT): the second */
#if VM_TOS_STATES == 2
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
    static const void *const labels[VM_TOS_STATES * VM_OP_COUNT] = {
#define VM_OP_LABEL(name, base) [VM_OP_##name] = &&L_##name,
#define VM_OP_LABEL_K(...) VM_KEPT(VM_OP_LABEL, __VA_ARGS__)
        VM_ALL_OPS(VM_OP_LABEL, VM_OP_LABEL_K)
#undef VM_OP_LABEL_K
#undef VM_OP_LABEL
#if VM_TOS_STATES == 2
        [VM_OP_COUNT ... 2 * VM_OP_COUNT - 1] = &&T_FLUSH,
#define VM_TOS_LABEL(name) [VM_OP_COUNT + VM_OP_##name] = &&T_##name,
        VM_TOS_OPS(VM_TOS_LABEL)
#undef VM_TOS_LABEL
#endif
    };
#if VM_TOS_STATES == 2
#pragma GCC diagnostic pop
#endif
    /* Line and return hooks take a separate dispatch path: every opcode first
     * goes through L_HOOK_LINE, which reports returns and line changes, then
     * dispatches for real. The table is chosen per run (hooks cannot change
     * while the VM runs), so with hooks off dispatch is exactly as before. */
    static const void *const hooked[VM_TOS_STATES * VM_OP_COUNT] = {
        [0 ... VM_OP_COUNT - 1] = &&L_HOOK_LINE,
#if VM_TOS_STATES == 2
        [VM_OP_COUNT ... 2 * VM_OP_COUNT - 1] = &&T_FLUSH,
#endif
    };
    const void *const *const table =
        (vm->hooks & (MICA_HOOK_LINE | MICA_HOOK_RETURN)) ? hooked : labels;
#define CASE(name) L_##name:
#if VM_OP_PROFILE
#define DISPATCH0() do { op_profile(vm, ip->op); goto *table[ip->op]; } while (0)
#else
#define DISPATCH0() goto *table[ip->op]
#endif
#if VM_TOS_STATES == 2
/* [tos] is dead in the first state: saying so (a zero idiom) keeps it from
 * being live across every call of the loop, which would cost its register */
#define DISPATCH() do { tos = 0; DISPATCH0(); } while (0)
#if VM_OP_PROFILE
#define DISPATCH1() do { op_profile(vm, ip->op); goto *table[VM_OP_COUNT + ip->op]; } while (0)
#else
#define DISPATCH1() goto *table[VM_OP_COUNT + ip->op]
#endif
#else
#define DISPATCH() DISPATCH0()
#define DISPATCH1() do { *sp++ = tos; DISPATCH0(); } while (0)
#endif
#else
#define VM_TOS_STATES 1
#define CASE(name) case VM_OP_##name:
#define DISPATCH() goto dispatch
#define DISPATCH1() do { *sp++ = tos; goto dispatch; } while (0)
#endif
#define NEXT() do { ip++; DISPATCH(); } while (0)
#define NEXT1() do { ip++; DISPATCH1(); } while (0)
#define BIN_I(expr)                                                                        \
    do { b = sp[-1]; a = sp[-2]; sp -= 2; tos = (uint64_t)(expr); NEXT1(); } while (0)
#define BIN_F(expr)                                                                        \
    do { double y = as_f(sp[-1]), x = as_f(sp[-2]); sp -= 2; tos = (expr); NEXT1(); }     \
    while (0)

    RELOAD();
#if defined(__GNUC__) && !VM_NO_COMPUTED_GOTO
    DISPATCH();
L_HOOK_LINE:
    {
        if ((ip->op == VM_OP_RETURN || ip->op == VM_OP_RETURN_V) &&
            (vm->hooks & MICA_HOOK_RETURN)) {
            SAVE();
            vm_hook_fire(vm, MICA_HOOK_RETURN, m, vm_line_of(m, ip), NULL);
        }
        uint32_t line = (vm->hooks & MICA_HOOK_LINE) ? vm_line_of(m, ip) : 0;
        if (line && (line != hook_line || m != hook_m)) {
            hook_m = m;
            hook_line = line;
            SAVE();
            vm_hook_fire(vm, MICA_HOOK_LINE, m, line, NULL);
        }
        /* a fused form that ends in a return or a back edge runs as its
         * first instruction, so the return (or the branch's line) is reported
         * at its own instruction */
        goto *labels[hook_op(ip->op)];
    }
#else
dispatch:
    if (vm->hooks & (MICA_HOOK_LINE | MICA_HOOK_RETURN)) {
        if ((ip->op == VM_OP_RETURN || ip->op == VM_OP_RETURN_V) &&
            (vm->hooks & MICA_HOOK_RETURN)) {
            SAVE();
            vm_hook_fire(vm, MICA_HOOK_RETURN, m, vm_line_of(m, ip), NULL);
        }
        uint32_t line = (vm->hooks & MICA_HOOK_LINE) ? vm_line_of(m, ip) : 0;
        if (line && (line != hook_line || m != hook_m)) {
            hook_m = m;
            hook_line = line;
            SAVE();
            vm_hook_fire(vm, MICA_HOOK_LINE, m, line, NULL);
        }
    }
    /* under hooks a fused form that ends in a return runs as its load (L_HOOK_LINE) */
    switch ((vm->hooks & (MICA_HOOK_LINE | MICA_HOOK_RETURN)) ? hook_op(ip->op) : ip->op) {
#endif
    CASE(UNREACHABLE) {
        SAVE();
        vm_unreachable(vm, m, ip);
        goto exception;
    }
    CASE(JMP) {
        VmInsn *dst = m->code + ip->target;
        if (dst <= ip && --vm->poll_left <= 0) {
            SAVE();
            if (vm_poll(vm) < 0)
                goto exception;
        }
        ip = dst;
        DISPATCH();
    }
    CASE(JZ) {
        if (*--sp == 0)
            ip = m->code + ip->target;
        else
            ip++;
        DISPATCH();
    }
    CASE(BR_IF) {
        if (*--sp == 0)
            NEXT();
        goto do_br; /* taken */
    }
    /* A taken branch: cut the stack to [height] keeping the [arity] values on
     * top, then go to instruction [idx]; a backward one counts as a back edge
     * and is a poll point. */
#define TAKE_BRANCH(height, arity, idx)                                                   \
    do {                                                                                  \
        uint64_t *to_ = locals + m->nlocals + (height);                                   \
        uint32_t k_ = (arity);                                                            \
        if (sp - k_ != to_) {                                                             \
            memmove(to_, sp - k_, k_ * sizeof *sp);                                       \
            sp = to_ + k_;                                                                \
        }                                                                                 \
        JUMP_TO(idx);                                                                     \
    } while (0)
#define JUMP_TO(idx)                                                                      \
    do {                                                                                  \
        VmInsn *dst_ = m->code + (idx);                                                   \
        if (dst_ <= ip) {                                                                 \
            if (--vm->poll_left <= 0) {                                                   \
                SAVE();                                                                   \
                if (vm_poll(vm) < 0)                                                      \
                    goto exception;                                                       \
            }                                                                             \
            if (++m->backedges >= vm->jit_loop_threshold) {                               \
                ip = dst_;                                                                \
                goto osr;                                                                 \
            }                                                                             \
        }                                                                                 \
        ip = dst_;                                                                        \
        DISPATCH();                                                                       \
    } while (0)
    CASE(BR) {
    do_br:
        TAKE_BRANCH(ip->height, ip->arity, ip->target);
    }
    CASE(BR_PLAIN) { JUMP_TO(ip->target); }
    CASE(BR_TABLE) {
        uint64_t i = *--sp;
        const VmTarget *t = &ip->table[i < ip->ncases ? i : ip->ncases];
        TAKE_BRANCH(t->height, t->arity, t->idx);
    }
    CASE(RETURN) {
        a = sp[-1];
    do_return:;
        uint64_t *dst = fr->base;
        bool was_entry = fr->entry;
        vm->nframes--;
        if (was_entry) {
            if (ret)
                *ret = a;
            return 0;
        }
        POP_RELOAD(dst);
        tos = a;
        NEXT1();
    }
    CASE(RETURN_V) {
        uint64_t *dst = fr->base;
        bool was_entry = fr->entry;
        vm->nframes--;
        if (was_entry) {
            if (ret)
                *ret = 0;
            return 0;
        }
        POP_RELOAD(dst);
        NEXT();
    }
    CASE(THROW) {
        SAVE();
        vm_throw_object(vm, vm_slot_ref(sp[-1]));
        goto exception;
    }
    CASE(ACONST_NULL) { tos = 0; NEXT1(); }
    CASE(ICONST) { tos = (uint64_t)ip->imm; NEXT1(); }
    CASE(LDC_STR) {
        SAVE();
        if (vm_resolve_ldc(vm, m, ip) < 0)
            goto exception;
        DISPATCH();
    }
    CASE(LDC_STR_Q) { tos = vm_ref_slot(ip->str); NEXT1(); }
    CASE(LOAD) { tos = locals[ip->local]; NEXT1(); }
    CASE(STORE) { locals[ip->local] = *--sp; NEXT(); }
    CASE(IINC) { locals[ip->local] += (uint64_t)ip->imm; NEXT(); }
    CASE(POP) { sp--; NEXT(); }
    CASE(DUP) { sp[0] = sp[-1]; sp++; NEXT(); }
    CASE(DUP2) { sp[0] = sp[-2]; sp[1] = sp[-1]; sp += 2; NEXT(); }
    CASE(DUP_X1) {
        a = sp[-2]; b = sp[-1];
        sp[-2] = b; sp[-1] = a; sp[0] = b; sp++;
        NEXT();
    }
    CASE(DUP_X2) {
        uint64_t x = sp[-3], y = sp[-2], z = sp[-1];
        sp[-3] = z; sp[-2] = x; sp[-1] = y; sp[0] = z; sp++;
        NEXT();
    }
    CASE(SWAP) { a = sp[-1]; sp[-1] = sp[-2]; sp[-2] = a; NEXT(); }
    CASE(IADD) BIN_I(a + b);
    CASE(ISUB) BIN_I(a - b);
    CASE(IMUL) BIN_I(a * b);
    CASE(IDIV) {
        b = sp[-1]; a = sp[-2];
        if (b == 0) {
            SAVE();
            vm_throw(vm, "ArithmeticError", "division by zero");
            goto exception;
        }
        sp--;
        sp[-1] = (int64_t)b == -1 ? 0 - a : (uint64_t)((int64_t)a / (int64_t)b);
        NEXT();
    }
    CASE(IREM) {
        b = sp[-1]; a = sp[-2];
        if (b == 0) {
            SAVE();
            vm_throw(vm, "ArithmeticError", "division by zero");
            goto exception;
        }
        sp--;
        sp[-1] = (int64_t)b == -1 ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
        NEXT();
    }
    CASE(INEG) { sp[-1] = 0 - sp[-1]; NEXT(); }
    CASE(IAND) BIN_I(a & b);
    CASE(IOR) BIN_I(a | b);
    CASE(IXOR) BIN_I(a ^ b);
    CASE(ISHL) BIN_I(a << (b & 63));
    CASE(ISHR) BIN_I((int64_t)a < 0 ? ~(~a >> (b & 63)) : a >> (b & 63));
    CASE(IUSHR) BIN_I(a >> (b & 63));
    CASE(EQZ) { sp[-1] = sp[-1] == 0; NEXT(); }
    CASE(FADD) BIN_F(of_f(x + y));
    CASE(FSUB) BIN_F(of_f(x - y));
    CASE(FMUL) BIN_F(of_f(x * y));
    CASE(FDIV) BIN_F(of_f(x / y));
    CASE(FREM) BIN_F(of_f(vm_fmod(x, y)));
    CASE(FNEG) { sp[-1] = of_f(-as_f(sp[-1])); NEXT(); }
    CASE(I2F) { sp[-1] = of_f((double)(int64_t)sp[-1]); NEXT(); }
    CASE(F2I) {
        double d = as_f(sp[-1]);
        int64_t v;
        if (isnan(d))
            v = 0;
        else if (d >= 9223372036854775808.0)
            v = INT64_MAX;
        else if (d <= -9223372036854775808.0)
            v = INT64_MIN;
        else
            v = (int64_t)d;
        sp[-1] = (uint64_t)v;
        NEXT();
    }
    CASE(I2B) { sp[-1] &= 0xFF; NEXT(); }
    CASE(IEQ) BIN_I(a == b);
    CASE(INE) BIN_I(a != b);
    CASE(ILT) BIN_I((int64_t)a < (int64_t)b);
    CASE(ILE) BIN_I((int64_t)a <= (int64_t)b);
    CASE(IGT) BIN_I((int64_t)a > (int64_t)b);
    CASE(IGE) BIN_I((int64_t)a >= (int64_t)b);
    CASE(FEQ) BIN_F(x == y);
    CASE(FNE) BIN_F(x != y);
    CASE(FLT) BIN_F(x < y);
    CASE(FLE) BIN_F(x <= y);
    CASE(FGT) BIN_F(x > y);
    CASE(FGE) BIN_F(x >= y);
    CASE(AEQ) BIN_I(a == b);
    CASE(ANE) BIN_I(a != b);

    /* ---- objects and calls ---- */
    CASE(NEW)
    CASE(INVOKESTATIC)
    CASE(INVOKEVIRTUAL)
    CASE(INVOKESPECIAL)
    CASE(INVOKEIFACE)
    CASE(INITSUPER) {
        SAVE();
        if (vm_resolve_call(vm, m, ip, ip->op) < 0)
            goto exception;
        fuse_call_site(m, ip);
        DISPATCH();
    }
    CASE(NEW_Q) {
        SAVE();
        VmObject *obj = vm_new_object(vm, ip->cache_cls);
        if (!obj)
            goto exception;
        target = ip->method;
        nargs = (uint32_t)ip->nargs;
        /* [args] -> [obj obj args]: the lower copy is the result */
        uint32_t n = nargs - 1;
        memmove(sp - n + 2, sp - n, n * sizeof *sp);
        sp[-(int32_t)n] = vm_ref_slot(obj);
        sp[-(int32_t)n + 1] = vm_ref_slot(obj);
        sp += 2;
        goto invoke;
    }
    CASE(INVOKE_Q) {
        target = ip->method;
        nargs = (uint32_t)ip->nargs;
        goto invoke;
    }
    CASE(INVOKESPECIAL_Q) {
        target = ip->method;
        nargs = (uint32_t)ip->nargs;
        if (!sp[-(int32_t)nargs])
            goto null_call;
        goto invoke_instance;
    }
    CASE(INVOKEVIRTUAL_Q)
    CASE(INVOKEIFACE_Q) {
    invoke_virtual:
        nargs = (uint32_t)ip->nargs;
        VmObject *recv = vm_slot_ref(sp[-(int32_t)nargs]);
        if (!recv) {
            target = ip->method;
            goto null_call;
        }
        /* the inline cache: the writer publishes the target before the class */
        if (__atomic_load_n(&ip->cache_cls, __ATOMIC_ACQUIRE) == recv->cls) {
            target = ip->cache_target;
        } else {
            /* a site rewritten for its cached accessor is a plain call again
             * before the cache changes (the accessor may be another's now) */
            if (ip->op == VM_OP_VGET_Q || ip->op == VM_OP_VSET_Q)
                unrewrite_accessor_site(m, ip);
            SAVE();
            target = vm_virtual_target(vm, ip, recv);
            if (!target)
                goto exception;
        }
        goto invoke_instance;
    }
    /* ---- a virtual call of a trivial accessor (rewritten by invoke_instance):
     * the inline cache's class, the call's checks (its one poll step, the depth
     * and a frame of VM_ACCESSOR_FRAME_SLOTS), then the field moved, no frame;
     * anything else makes the call as INVOKEVIRTUAL_Q ---- */
#define ACCESSOR_FITS(o, base)                                                            \
    ((o) && (o)->cls == __atomic_load_n(&ip->cache_cls, __ATOMIC_ACQUIRE) &&              \
     vm_call_fits_above(vm, fr, (base), VM_ACCESSOR_FRAME_SLOTS))
    CASE(VGET_Q) {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!ACCESSOR_FITS(o, sp - 1))
            goto invoke_virtual;
        vm->poll_left--;
        sp--;
        tos = vm_object_fields(o)[ip->local];
        NEXT1();
    }
    CASE(VSET_Q) {
        VmObject *o = vm_slot_ref(sp[-2]);
        if (!ACCESSOR_FITS(o, sp - 2))
            goto invoke_virtual;
        vm->poll_left--;
        vm_object_fields(o)[ip->local] = sp[-1];
        sp -= 2;
        NEXT();
    }
    /* load r; VGET_Q (its instruction): each form that ends in it has a copy of
     * its own, so that each dispatches from a place of its own (a shared tail
     * makes one indirect jump serve several successors, which predicts worse:
     * List ran 7% slower with one) */
#define LOAD_VGET_BODY()                                                                  \
    do {                                                                                  \
        uint64_t r_ = locals[ip->local];                                                  \
        VmObject *o_ = vm_slot_ref(r_);                                                   \
        ip++;                                                                             \
        if (!ACCESSOR_FITS(o_, sp)) {                                                     \
            tos = r_;                                                                     \
            DISPATCH1();                                                                  \
        }                                                                                 \
        vm->poll_left--;                                                                  \
        tos = vm_object_fields(o_)[ip->local];                                            \
        NEXT1();                                                                          \
    } while (0)
    CASE(LOAD_VGET) { LOAD_VGET_BODY(); }
    /* ---- intrinsics: the call's checks (a poll step, the depth and the
     * value stack for Mica methods, the frame count for natives), then the
     * work inline; anything unusual makes the call ---- */
#define INTRINSIC_FITS(nat)                                                               \
    ((nat) ? vm->nframes < vm->max_frames                                                 \
           : vm_call_fits(vm, sp - ip->nargs,                                             \
                          ip->method->nlocals + ip->method->max_stack + VM_FRAME_SPARE_SLOTS))
#define INTRINSIC_CALL()                                                                  \
    do {                                                                                  \
        target = ip->method;                                                              \
        nargs = (uint32_t)ip->nargs;                                                      \
        goto invoke;                                                                      \
    } while (0)
    CASE(FSQRT_Q) {
        if (!INTRINSIC_FITS(true))
            INTRINSIC_CALL();
        sp[-1] = of_f(sqrt(as_f(sp[-1])));
        NEXT();
    }
    CASE(FABS_Q) {
        if (!INTRINSIC_FITS(true))
            INTRINSIC_CALL();
        sp[-1] = of_f(fabs(as_f(sp[-1])));
        NEXT();
    }
    CASE(IABS_Q) {
        if (!INTRINSIC_FITS(false))
            INTRINSIC_CALL();
        vm->poll_left--;
        a = sp[-1];
        sp[-1] = (int64_t)a < 0 ? 0 - a : a;
        NEXT();
    }
    CASE(IMIN_Q) {
        if (!INTRINSIC_FITS(false))
            INTRINSIC_CALL();
        vm->poll_left--;
        BIN_I((int64_t)a < (int64_t)b ? a : b);
    }
    CASE(IMAX_Q) {
        if (!INTRINSIC_FITS(false))
            INTRINSIC_CALL();
        vm->poll_left--;
        BIN_I((int64_t)a > (int64_t)b ? a : b);
    }
    CASE(FMIN_Q) {
        if (!INTRINSIC_FITS(false))
            INTRINSIC_CALL();
        vm->poll_left--;
        BIN_F(x != x || y != y ? vm_float_nan() : of_f(x < y ? x : y));
    }
    CASE(FMAX_Q) {
        if (!INTRINSIC_FITS(false))
            INTRINSIC_CALL();
        vm->poll_left--;
        BIN_F(x != x || y != y ? vm_float_nan() : of_f(x > y ? x : y));
    }
    CASE(STRLEN_Q) {
        VmString *str = vm_slot_ref(sp[-1]);
        if (!str || !str->cp_known || !INTRINSIC_FITS(true))
            goto string_call;
        sp[-1] = (uint64_t)str->cp_length;
        NEXT();
    }
    CASE(CODEPOINT_Q) {
        VmString *str = vm_slot_ref(sp[-2]);
        uint64_t i = sp[-1];
        if (!str || !str->cp_known || !str->ascii || i >= (uint64_t)str->length ||
            !INTRINSIC_FITS(true))
            goto string_call;
        sp--;
        sp[-1] = (uint8_t)str->bytes[i];
        NEXT();
    }
    CASE(CHARAT_Q) {
        VmString *str = vm_slot_ref(sp[-2]);
        uint64_t i = sp[-1];
        if (!str || !str->cp_known || !str->ascii || i >= (uint64_t)str->length ||
            !INTRINSIC_FITS(true))
            goto string_call;
        SAVE();
        /* allocates under the native's frame, as the call would (traces) */
        uint64_t *args = sp - 2;
        vm->frames[vm->nframes] = (VmFrame){.m = ip->method, .base = args, .sp = sp};
        atomic_signal_fence(memory_order_release);
        vm->nframes++;
        VmString *r = vm_new_string(vm, str->bytes + i, 1);
        vm->nframes--;
        if (!r)
            goto exception;
        sp--;
        sp[-1] = vm_ref_slot(r);
        NEXT();
    }
    CASE(STREQ_Q) {
        /* String.equals: no frame needed (it allocates and raises nothing) */
        VmString *str = vm_slot_ref(sp[-2]);
        if (!str || !INTRINSIC_FITS(true))
            goto string_call;
        sp--;
        sp[-1] = vm_string_equals(str, vm_slot_ref(sp[0]));
        NEXT();
    }
    CASE(SUBSTR_Q) {
        /* String.substring of an ASCII string, in range (vm_substring_fast) */
        if (!INTRINSIC_FITS(true))
            goto string_call;
        SAVE();
        int done = vm_substring_fast(vm, ip->method, sp - 3);
        if (done < 0)
            goto exception;
        if (!done)
            goto string_call;
        sp -= 2;
        NEXT();
    }
    CASE(ACOPY_Q) {
        if (!INTRINSIC_FITS(true) ||
            !vm_array_copy_fast(vm_slot_ref(sp[-5]), (int64_t)sp[-4], vm_slot_ref(sp[-3]),
                                (int64_t)sp[-2], (int64_t)sp[-1]))
            INTRINSIC_CALL();
        sp -= 5;
        NEXT();
    }
string_call:
    target = ip->method;
    nargs = (uint32_t)ip->nargs;
    if (!sp[-(int32_t)nargs])
        goto null_call;
    goto invoke;
#undef INTRINSIC_FITS
#undef INTRINSIC_CALL
    CASE(CALLFN) {
        SAVE();
        target = vm_callfn_target(vm, m, ip, sp, &nargs);
        if (!target)
            goto exception;
        goto invoke;
    }
    CASE(GETFIELD)
    CASE(PUTFIELD)
    CASE(GETSTATIC)
    CASE(PUTSTATIC) {
        SAVE();
        if (vm_resolve_field(vm, m, ip, ip->op) < 0)
            goto exception;
        /* a plain load of the receiver just before becomes load+getfield; a
         * load of two locals before, load+load+getfield; a load+getfield
         * before that, two of them */
        if (ip->op == VM_OP_GETFIELD_Q && ip > m->code && ip[-1].op == VM_OP_LOAD) {
            vm_publish_op(&ip[-1], VM_OP_LOAD_GETFIELD);
            if (ip - 1 > m->code && ip[-2].op == VM_OP_LOAD2)
                vm_publish_op(&ip[-2], VM_OP_LOAD2_GETFIELD);
            else if (ip - 2 > m->code && ip[-3].op == VM_OP_LOAD_GETFIELD &&
                     ip[-2].op == VM_OP_GETFIELD_Q)
                vm_publish_op(&ip[-3], VM_OP_LOAD_GETFIELD2);
        } else if (ip->op == VM_OP_GETFIELD_Q && ip - 1 > m->code && ip[-1].op == VM_OP_DUP &&
                   ip[-2].op == VM_OP_LOAD) {
            /* `r.f = r.f ...`: the receiver twice, the field on top */
            vm_publish_op(&ip[-2], VM_OP_LOAD_DUP_GETFIELD);
        } else if (ip->op == VM_OP_PUTFIELD_Q && ip > m->code && ip[-1].op == VM_OP_IADD) {
            /* `r.f = a + b`, `r.f += g` */
            vm_publish_op(&ip[-1], VM_OP_IADD_PUTFIELD);
        }
        DISPATCH();
    }
    CASE(GETFIELD_Q) {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!o)
            goto null_field;
        sp--;
        tos = vm_object_fields(o)[ip->slot];
        NEXT1();
    }
    CASE(LOAD_GETFIELD) {
    load_getfield:;
        VmObject *o = vm_slot_ref(locals[ip->local]);
        if (!o) {
            *sp++ = 0;
            ip++;
            goto null_field;
        }
        tos = vm_object_fields(o)[ip[1].slot];
        ip += 2;
        DISPATCH1();
    }
    CASE(LOAD2_GETFIELD) {
        /* load a; load b; getfield: LOAD2 when b is null (the getfield throws) */
        VmObject *o = vm_slot_ref(locals[ip[1].local]);
        if (!o)
            goto load2;
        *sp++ = locals[ip->local];
        tos = vm_object_fields(o)[ip[2].slot];
        ip += 3;
        DISPATCH1();
    }
    CASE(LOAD_GETFIELD2) {
        /* two LOAD_GETFIELDs: the first alone when either receiver is null */
        VmObject *o = vm_slot_ref(locals[ip->local]);
        VmObject *o2 = vm_slot_ref(locals[ip[2].local]);
        if (!o || !o2)
            goto load_getfield;
        *sp++ = vm_object_fields(o)[ip[1].slot];
        tos = vm_object_fields(o2)[ip[3].slot];
        ip += 4;
        DISPATCH1();
    }
    CASE(FIELD_ADDI) {
        VmObject *o = vm_slot_ref(locals[ip->local]);
        if (!o || __atomic_load_n(&ip[2].op, __ATOMIC_ACQUIRE) != VM_OP_GETFIELD_Q ||
            __atomic_load_n(&ip[5].op, __ATOMIC_ACQUIRE) != VM_OP_PUTFIELD_Q) {
            /* the plain load: the rest runs (resolves, throws) one by one */
            tos = locals[ip->local];
            NEXT1();
        }
        vm_object_fields(o)[ip[5].slot] = vm_object_fields(o)[ip[2].slot] + (uint64_t)ip->imm;
        ip += 6;
        DISPATCH();
    }
    CASE(LOAD_DUP_GETFIELD) {
        /* a null receiver: the load (the getfield throws) */
        VmObject *o = vm_slot_ref(locals[ip->local]);
        if (!o) {
            tos = locals[ip->local];
            NEXT1();
        }
        *sp++ = locals[ip->local];
        tos = vm_object_fields(o)[ip[2].slot];
        ip += 3;
        DISPATCH1();
    }
    /* the top (first operand) and a local (second) */
    CASE(LOAD_FADD) { tos = of_f(as_f(*--sp) + as_f(locals[ip->local])); ip += 2; DISPATCH1(); }
    CASE(LOAD_FSUB) { tos = of_f(as_f(*--sp) - as_f(locals[ip->local])); ip += 2; DISPATCH1(); }
    CASE(LOAD_FMUL) { tos = of_f(as_f(*--sp) * as_f(locals[ip->local])); ip += 2; DISPATCH1(); }
    CASE(LOAD_IADD) { tos = *--sp + locals[ip->local]; ip += 2; DISPATCH1(); }
    CASE(LOAD_ISUB) { tos = *--sp - locals[ip->local]; ip += 2; DISPATCH1(); }
    CASE(LOAD_JZ) {
        ip = locals[ip->local] == 0 ? m->code + ip[1].target : ip + 2;
        DISPATCH();
    }
    CASE(LOAD_EQZ_BRIF) {
        if (locals[ip->local] == 0) {
            ip += 2;
            goto do_br;
        }
        ip += 3;
        DISPATCH();
    }
    CASE(LOAD_RETURN) {
        a = locals[ip->local];
        goto do_return;
    }
    /* ---- superinstructions ---- */
    CASE(LOAD2) {
    load2:
        *sp++ = locals[ip->local];
        tos = locals[ip[1].local];
        ip += 2;
        DISPATCH1();
    }
    CASE(LOAD_ICONST) {
        *sp++ = locals[ip->local];
        tos = (uint64_t)ip[1].imm;
        ip += 2;
        DISPATCH1();
    }
    CASE(LOAD_ADDI) {
        tos = locals[ip->local] + (uint64_t)ip->imm;
        ip += 3;
        DISPATCH1();
    }
    CASE(ADDI) {
        sp[-1] += (uint64_t)ip->imm;
        ip += 2;
        DISPATCH();
    }
    CASE(SUBI) {
        sp[-1] -= (uint64_t)ip->imm;
        ip += 2;
        DISPATCH();
    }
    CASE(NULL_EQ_JZ) {
        /* aconst_null; aeq; jz: on to the code after the jz when the value is null */
        ip = *--sp == 0 ? ip + 3 : m->code + ip[2].target;
        DISPATCH();
    }
    CASE(NULL_NE_JZ) {
        ip = *--sp != 0 ? ip + 3 : m->code + ip[2].target;
        DISPATCH();
    }
    CASE(STORE_LOAD) {
        locals[ip->local] = *--sp;
        tos = locals[ip[1].local];
        ip += 2;
        DISPATCH1();
    }
    CASE(EQZ_BRIF) {
        if (*--sp == 0) {
            ip++;
            goto do_br;
        }
        ip += 2;
        DISPATCH();
    }
#define CMP_FUSED(NAME, OP)                                                                \
    CASE(NAME##_JZ) {                                                                      \
        b = sp[-1]; a = sp[-2]; sp -= 2;                                                   \
        ip = ((int64_t)a OP (int64_t)b) ? ip + 2 : m->code + ip[1].target;                      \
        DISPATCH();                                                                        \
    }                                                                                      \
    CASE(NAME##_BRIF) {                                                                    \
        b = sp[-1]; a = sp[-2]; sp -= 2;                                                   \
        if ((int64_t)a OP (int64_t)b) {                                                    \
            ip++;                                                                          \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 2;                                                                           \
        DISPATCH();                                                                        \
    }                                                                                      \
    CASE(NAME##_NBRIF) {                                                                   \
        b = sp[-1]; a = sp[-2]; sp -= 2;                                                   \
        if (!((int64_t)a OP (int64_t)b)) {                                                 \
            ip += 2;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 3;                                                                           \
        DISPATCH();                                                                        \
    }
    CMP_FUSED(ILT, <)
    CMP_FUSED(ILE, <=)
    CMP_FUSED(IGT, >)
    CMP_FUSED(IGE, >=)
    CMP_FUSED(IEQ, ==)
    CMP_FUSED(INE, !=)
#undef CMP_FUSED
    /* the same with the operands from a local and a local (LL_) or a constant
     * (LK_): two instructions more */
#define CMP_FUSED_LL(PFX, NAME, OP, B)                                                     \
    CASE(PFX##_##NAME##_JZ) {                                                              \
        a = locals[ip->local]; b = (B);                                                    \
        ip = ((int64_t)a OP (int64_t)b) ? ip + 4 : m->code + ip[3].target;                 \
        DISPATCH();                                                                        \
    }                                                                                      \
    CASE(PFX##_##NAME##_BRIF) {                                                            \
        a = locals[ip->local]; b = (B);                                                    \
        if ((int64_t)a OP (int64_t)b) {                                                    \
            ip += 3;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 4;                                                                           \
        DISPATCH();                                                                        \
    }                                                                                      \
    CASE(PFX##_##NAME##_NBRIF) {                                                           \
        a = locals[ip->local]; b = (B);                                                    \
        if (!((int64_t)a OP (int64_t)b)) {                                                 \
            ip += 4;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 5;                                                                           \
        DISPATCH();                                                                        \
    }
#define CMP_FUSED_LL_ALL(PFX, B)                                                           \
    CMP_FUSED_LL(PFX, ILT, <, B)                                                           \
    CMP_FUSED_LL(PFX, ILE, <=, B)                                                          \
    CMP_FUSED_LL(PFX, IGT, >, B)                                                           \
    CMP_FUSED_LL(PFX, IGE, >=, B)                                                          \
    CMP_FUSED_LL(PFX, IEQ, ==, B)                                                          \
    CMP_FUSED_LL(PFX, INE, !=, B)
    CMP_FUSED_LL_ALL(LL, locals[ip[1].local])
    CMP_FUSED_LL_ALL(LK, (uint64_t)ip->imm)
#undef CMP_FUSED_LL_ALL
#undef CMP_FUSED_LL
    /* the top (first operand) compared with a constant (K_) or a local (L_):
     * one instruction more than the plain compare-and-branch forms; [A] is the
     * top, *--sp in the first state and [tos] in the second */
#define CMP_FUSED_1(LBL, PFX, NAME, OP, A, B)                                              \
    LBL(PFX##_##NAME##_JZ) {                                                               \
        a = (A); b = (B);                                                                  \
        ip = ((int64_t)a OP (int64_t)b) ? ip + 3 : m->code + ip[2].target;                 \
        DISPATCH();                                                                        \
    }                                                                                      \
    LBL(PFX##_##NAME##_BRIF) {                                                             \
        a = (A); b = (B);                                                                  \
        if ((int64_t)a OP (int64_t)b) {                                                    \
            ip += 2;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 3;                                                                           \
        DISPATCH();                                                                        \
    }                                                                                      \
    LBL(PFX##_##NAME##_NBRIF) {                                                            \
        a = (A); b = (B);                                                                  \
        if (!((int64_t)a OP (int64_t)b)) {                                                 \
            ip += 3;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 4;                                                                           \
        DISPATCH();                                                                        \
    }
#define CMP_FUSED_1_ALL(LBL, PFX, A, B)                                                    \
    CMP_FUSED_1(LBL, PFX, ILT, <, A, B)                                                    \
    CMP_FUSED_1(LBL, PFX, ILE, <=, A, B)                                                   \
    CMP_FUSED_1(LBL, PFX, IGT, >, A, B)                                                    \
    CMP_FUSED_1(LBL, PFX, IGE, >=, A, B)                                                   \
    CMP_FUSED_1(LBL, PFX, IEQ, ==, A, B)                                                   \
    CMP_FUSED_1(LBL, PFX, INE, !=, A, B)
    CMP_FUSED_1_ALL(CASE, K, *--sp, (uint64_t)ip->imm)
    CMP_FUSED_1_ALL(CASE, L, *--sp, locals[ip->local])
    CASE(LL_ADD_STORE) {
        locals[ip[3].local] = locals[ip->local] + locals[ip[1].local];
        ip += 4;
        DISPATCH();
    }
    CASE(LL_SUB_STORE) {
        locals[ip[3].local] = locals[ip->local] - locals[ip[1].local];
        ip += 4;
        DISPATCH();
    }
    CASE(LOAD_ADDI_STORE) {
        locals[ip[3].local] = locals[ip->local] + (uint64_t)ip->imm;
        ip += 4;
        DISPATCH();
    }
    /* the same, then the loop's back edge (the BR_PLAIN they stand before) */
    CASE(LOAD_ADDI_STORE_BR) {
        locals[ip[3].local] = locals[ip->local] + (uint64_t)ip->imm;
        ip += 4;
        JUMP_TO(ip->target);
    }
    CASE(LL_ADD_STORE_BR) {
        locals[ip[3].local] = locals[ip->local] + locals[ip[1].local];
        ip += 4;
        JUMP_TO(ip->target);
    }
    CASE(STORE_BR) {
        locals[ip->local] = *--sp;
        ip++;
        JUMP_TO(ip->target);
    }
    CASE(LL_FADD) {
        tos = of_f(as_f(locals[ip->local]) + as_f(locals[ip[1].local]));
        ip += 3;
        DISPATCH1();
    }
    CASE(LL_FSUB) {
        tos = of_f(as_f(locals[ip->local]) - as_f(locals[ip[1].local]));
        ip += 3;
        DISPATCH1();
    }
    CASE(LL_FMUL) {
        tos = of_f(as_f(locals[ip->local]) * as_f(locals[ip[1].local]));
        ip += 3;
        DISPATCH1();
    }
    CASE(LL_FADD_STORE) {
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) + as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH();
    }
    CASE(LL_FSUB_STORE) {
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) - as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH();
    }
    CASE(LL_FMUL_STORE) {
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) * as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH();
    }
    CASE(LOAD_LOAD_ADDI) {
        *sp++ = locals[ip->local];
        tos = locals[ip[1].local] + (uint64_t)ip->imm;
        ip += 4;
        DISPATCH1();
    }
    /* ---- a result moved into a field at once: `load a; load r; getter`,
     * `r.setF(x + y)`, `r.f = a + b` (rewritten with the site or the field
     * instruction after them; the second forms are the ones that usually run) */
    /* ---- load a; a quick call (made when the call is quickened): anything
     * else at the call (an accessor site, a fused form taken back) dispatches ---- */
    CASE(LOAD_INVOKE) {
        *sp++ = locals[ip->local];
        ip++;
        if (ip->op != VM_OP_INVOKE_Q)
            DISPATCH();
        target = ip->method;
        nargs = (uint32_t)ip->nargs;
        goto invoke;
    }
    CASE(LOAD_INVOKESPECIAL) {
        *sp++ = locals[ip->local];
        ip++;
        if (ip->op != VM_OP_INVOKESPECIAL_Q)
            DISPATCH();
        target = ip->method;
        nargs = (uint32_t)ip->nargs;
        if (!sp[-(int32_t)nargs])
            goto null_call;
        goto invoke_instance;
    }
    CASE(LOAD_INVOKEVIRTUAL) {
        *sp++ = locals[ip->local];
        ip++;
        if (ip->op != VM_OP_INVOKEVIRTUAL_Q)
            DISPATCH();
        goto invoke_virtual;
    }
    CASE(STORE_LOAD_VGET) {
        /* store a; LOAD_VGET (its second instruction) */
        locals[ip->local] = *--sp;
        ip++;
        LOAD_VGET_BODY();
    }
    CASE(LL_LEN_ILT_NBRIF) {
        /* load i; load a; arraylength; ilt; eqz; br_if: a null array runs the
         * loads (the arraylength throws) */
        VmArray *arr = vm_slot_ref(locals[ip[1].local]);
        if (!arr)
            goto load2;
        if (!((int64_t)locals[ip->local] < (int64_t)arr->length)) {
            ip += 5;
            goto do_br;
        }
        ip += 6;
        DISPATCH();
    }
    CASE(ICONST_RETURN) {
        a = (uint64_t)ip->imm;
        goto do_return;
    }
    CASE(ICONST_STORE) {
        locals[ip[1].local] = (uint64_t)ip->imm;
        ip += 2;
        DISPATCH();
    }
    CASE(LOAD2_VGET) {
        /* load a; LOAD_VGET (its second instruction) */
        *sp++ = locals[ip->local];
        ip++;
        LOAD_VGET_BODY();
    }
    /* fadd | fsub; VSET_Q: anything unusual runs the arithmetic, then the call */
#define ARITH_VSET(NAME, OP)                                                              \
    CASE(NAME) {                                                                          \
        VmObject *o = vm_slot_ref(sp[-3]);                                                \
        uint64_t r = of_f(as_f(sp[-2]) OP as_f(sp[-1]));                                  \
        ip++;                                                                             \
        if (!ACCESSOR_FITS(o, sp - 3)) {                                                  \
            sp -= 2;                                                                      \
            tos = r;                                                                      \
            DISPATCH1();                                                                  \
        }                                                                                 \
        vm->poll_left--;                                                                  \
        vm_object_fields(o)[ip->local] = r;                                               \
        sp -= 3;                                                                          \
        NEXT();                                                                           \
    }
    ARITH_VSET(FADD_VSET, +)
    ARITH_VSET(FSUB_VSET, -)
#undef ARITH_VSET
    CASE(IADD_PUTFIELD) {
        /* iadd; PUTFIELD_Q: a null receiver runs the iadd (the putfield throws) */
        VmObject *o = vm_slot_ref(sp[-3]);
        if (!o)
            BIN_I(a + b);
        vm_object_fields(o)[ip[1].slot] = sp[-2] + sp[-1];
        sp -= 3;
        ip += 2;
        DISPATCH();
    }
    CASE(PUTFIELD_Q) {
        VmObject *o = vm_slot_ref(sp[-2]);
        if (!o)
            goto null_field;
        vm_object_fields(o)[ip->slot] = sp[-1];
        sp -= 2;
        NEXT();
    }
    CASE(PUTFIELD_B_Q) {
        VmObject *o = vm_slot_ref(sp[-2]);
        if (!o)
            goto null_field;
        vm_object_fields(o)[ip->slot] = sp[-1] & 0xFF;
        sp -= 2;
        NEXT();
    }
    CASE(PUTFIELD_Z_Q) {
        VmObject *o = vm_slot_ref(sp[-2]);
        if (!o)
            goto null_field;
        vm_object_fields(o)[ip->slot] = sp[-1] != 0;
        sp -= 2;
        NEXT();
    }
    CASE(GETSTATIC_Q) { tos = *ip->addr; NEXT1(); }
    CASE(PUTSTATIC_Q) { *ip->addr = *--sp; NEXT(); }
    CASE(PUTSTATIC_B_Q) { *ip->addr = *--sp & 0xFF; NEXT(); }
    CASE(PUTSTATIC_Z_Q) { *ip->addr = *--sp != 0; NEXT(); }
    CASE(INSTANCEOF)
    CASE(CHECKCAST)
    CASE(NEWARRAY) {
        SAVE();
        if (vm_resolve_type_insn(vm, m, ip) < 0)
            goto exception;
        DISPATCH();
    }
    CASE(INSTANCEOF_Q) {
        VmObject *o = vm_slot_ref(sp[-1]);
        sp[-1] = o && vm_is_subclass(o->cls, ip->cls);
        NEXT();
    }
    CASE(CHECKCAST_Q) {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (o && !vm_is_subclass(o->cls, ip->cls)) {
            SAVE();
            vm_throw_cast(vm, o, ip->cls);
            goto exception;
        }
        NEXT();
    }
    CASE(NEWARRAY_Q) {
        SAVE();
        VmArray *arr = vm_new_array(vm, ip->cls, (int64_t)sp[-1]);
        if (!arr)
            goto exception;
        sp[-1] = vm_ref_slot(arr);
        NEXT();
    }
    CASE(ARRAYLENGTH) {
        VmArray *arr = vm_slot_ref(sp[-1]);
        if (!arr) {
            SAVE();
            vm_throw(vm, "NullError", "cannot read the length of a null array");
            goto exception;
        }
        sp[-1] = (uint64_t)arr->length;
        NEXT();
    }
    CASE(IALOAD)
    CASE(FALOAD)
    CASE(AALOAD) {
        VmArray *arr = vm_slot_ref(sp[-2]);
        int64_t i = (int64_t)sp[-1];
        BOUNDS(arr, i);
        sp -= 2;
        tos = ((uint64_t *)vm_array_data(arr))[i];
        NEXT1();
    }
    CASE(IASTORE)
    CASE(FASTORE) {
        VmArray *arr = vm_slot_ref(sp[-3]);
        int64_t i = (int64_t)sp[-2];
        BOUNDS(arr, i);
        ((uint64_t *)vm_array_data(arr))[i] = sp[-1];
        sp -= 3;
        NEXT();
    }
    CASE(AASTORE) {
        VmArray *arr = vm_slot_ref(sp[-3]);
        int64_t i = (int64_t)sp[-2];
        BOUNDS(arr, i);
        VmObject *v = vm_slot_ref(sp[-1]);
        if (!vm_array_store_ok(arr->cls, v)) {
            SAVE();
            vm_throw_array_store(vm, v, arr->cls);
            goto exception;
        }
        ((uint64_t *)vm_array_data(arr))[i] = sp[-1];
        sp -= 3;
        NEXT();
    }
    /* load i; [ifa]aload | baload: anything unusual runs the load, then the
     * array instruction (which throws) */
    CASE(LOAD_ALOAD) {
        VmArray *arr = vm_slot_ref(sp[-1]);
        uint64_t i = locals[ip->local];
        if (!arr || i >= (uint64_t)arr->length) {
            tos = i;
            NEXT1();
        }
        tos = ((uint64_t *)vm_array_data(arr))[i];
        sp--;
        ip += 2;
        DISPATCH1();
    }
    CASE(LOAD_BALOAD) {
        VmArray *arr = vm_slot_ref(sp[-1]);
        uint64_t i = locals[ip->local];
        if (!arr || i >= (uint64_t)arr->length) {
            tos = i;
            NEXT1();
        }
        tos = ((uint8_t *)vm_array_data(arr))[i];
        sp--;
        ip += 2;
        DISPATCH1();
    }
    CASE(BALOAD) {
        VmArray *arr = vm_slot_ref(sp[-2]);
        int64_t i = (int64_t)sp[-1];
        BOUNDS(arr, i);
        sp -= 2;
        tos = ((uint8_t *)vm_array_data(arr))[i];
        NEXT1();
    }
    CASE(BASTORE) {
        VmArray *arr = vm_slot_ref(sp[-3]);
        int64_t i = (int64_t)sp[-2];
        BOUNDS(arr, i);
        uint64_t v = sp[-1];
        ((uint8_t *)vm_array_data(arr))[i] =
            (uint8_t)(arr->cls->elem_kind == CF_KIND_BOOL ? v != 0 : (v & 0xFF));
        sp -= 3;
        NEXT();
    }
#if VM_TOS_STATES == 2
    /* ---- the second state: the top operand in [tos] (see the tables) ---- */
T_FLUSH:
    *sp++ = tos;
    goto *table[ip->op];
#define T_FWD(name) T_##name: *sp++ = tos; goto L_##name;
#define BIN1_I(name, expr)                                                                \
    T_##name: a = *--sp; b = tos; tos = (uint64_t)(expr); NEXT1();
#define BIN1_F(name, expr)                                                                \
    T_##name: { double y = as_f(tos), x = as_f(*--sp); tos = (expr); NEXT1(); }
    T_LOAD: *sp++ = tos; tos = locals[ip->local]; NEXT1();
    T_ICONST: *sp++ = tos; tos = (uint64_t)ip->imm; NEXT1();
    T_ACONST_NULL: *sp++ = tos; tos = 0; NEXT1();
    T_LDC_STR_Q: *sp++ = tos; tos = vm_ref_slot(ip->str); NEXT1();
    T_GETSTATIC_Q: *sp++ = tos; tos = *ip->addr; NEXT1();
    T_STORE: locals[ip->local] = tos; NEXT();
    T_STORE_BR: locals[ip->local] = tos; ip++; JUMP_TO(ip->target);
    T_IINC: locals[ip->local] += (uint64_t)ip->imm; NEXT1();
    T_POP: NEXT();
    T_DUP: *sp++ = tos; NEXT1();
    T_PUTSTATIC_Q: *ip->addr = tos; NEXT();
    BIN1_I(IADD, a + b)
    BIN1_I(ISUB, a - b)
    BIN1_I(IMUL, a * b)
    BIN1_I(IAND, a & b)
    BIN1_I(IOR, a | b)
    BIN1_I(IXOR, a ^ b)
    BIN1_I(ISHL, a << (b & 63))
    BIN1_I(ISHR, (int64_t)a < 0 ? ~(~a >> (b & 63)) : a >> (b & 63))
    BIN1_I(IUSHR, a >> (b & 63))
    BIN1_I(IEQ, a == b)
    BIN1_I(INE, a != b)
    BIN1_I(ILT, (int64_t)a < (int64_t)b)
    BIN1_I(ILE, (int64_t)a <= (int64_t)b)
    BIN1_I(IGT, (int64_t)a > (int64_t)b)
    BIN1_I(IGE, (int64_t)a >= (int64_t)b)
    BIN1_I(AEQ, a == b)
    BIN1_I(ANE, a != b)
    BIN1_F(FADD, of_f(x + y))
    BIN1_F(FSUB, of_f(x - y))
    BIN1_F(FMUL, of_f(x * y))
    BIN1_F(FDIV, of_f(x / y))
    BIN1_F(FEQ, x == y)
    BIN1_F(FNE, x != y)
    BIN1_F(FLT, x < y)
    BIN1_F(FLE, x <= y)
    BIN1_F(FGT, x > y)
    BIN1_F(FGE, x >= y)
    T_INEG: tos = 0 - tos; NEXT1();
    T_EQZ: tos = tos == 0; NEXT1();
    T_I2B: tos &= 0xFF; NEXT1();
    T_FNEG: tos = of_f(-as_f(tos)); NEXT1();
    T_I2F: tos = of_f((double)(int64_t)tos); NEXT1();
    T_JZ: ip = tos == 0 ? m->code + ip->target : ip + 1; DISPATCH();
    T_BR_IF:
        if (tos == 0)
            NEXT();
        goto do_br;
    T_EQZ_BRIF:
        if (tos == 0) {
            ip++;
            goto do_br;
        }
        ip += 2;
        DISPATCH();
    T_NULL_EQ_JZ: ip = tos == 0 ? ip + 3 : m->code + ip[2].target; DISPATCH();
    T_NULL_NE_JZ: ip = tos != 0 ? ip + 3 : m->code + ip[2].target; DISPATCH();
    T_ADDI: tos += (uint64_t)ip->imm; ip += 2; DISPATCH1();
    T_SUBI: tos -= (uint64_t)ip->imm; ip += 2; DISPATCH1();
#define CMP1_FUSED(NAME, OP)                                                               \
    T_##NAME##_JZ:                                                                         \
        a = *--sp; b = tos;                                                                \
        ip = ((int64_t)a OP (int64_t)b) ? ip + 2 : m->code + ip[1].target;                 \
        DISPATCH();                                                                        \
    T_##NAME##_BRIF:                                                                       \
        a = *--sp; b = tos;                                                                \
        if ((int64_t)a OP (int64_t)b) {                                                    \
            ip++;                                                                          \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 2;                                                                           \
        DISPATCH();                                                                        \
    T_##NAME##_NBRIF:                                                                      \
        a = *--sp; b = tos;                                                                \
        if (!((int64_t)a OP (int64_t)b)) {                                                 \
            ip += 2;                                                                       \
            goto do_br;                                                                    \
        }                                                                                  \
        ip += 3;                                                                           \
        DISPATCH();
    CMP1_FUSED(ILT, <)
    CMP1_FUSED(ILE, <=)
    CMP1_FUSED(IGT, >)
    CMP1_FUSED(IGE, >=)
    CMP1_FUSED(IEQ, ==)
    CMP1_FUSED(INE, !=)
#undef CMP1_FUSED
#define T_LABEL(name) T_##name:
    CMP_FUSED_1_ALL(T_LABEL, K, tos, (uint64_t)ip->imm)
    CMP_FUSED_1_ALL(T_LABEL, L, tos, locals[ip->local])
#undef T_LABEL
    T_LOAD_FADD: tos = of_f(as_f(tos) + as_f(locals[ip->local])); ip += 2; DISPATCH1();
    T_LOAD_FSUB: tos = of_f(as_f(tos) - as_f(locals[ip->local])); ip += 2; DISPATCH1();
    T_LOAD_FMUL: tos = of_f(as_f(tos) * as_f(locals[ip->local])); ip += 2; DISPATCH1();
    T_LOAD_IADD: tos += locals[ip->local]; ip += 2; DISPATCH1();
    T_LOAD_ISUB: tos -= locals[ip->local]; ip += 2; DISPATCH1();
    T_RETURN: a = tos; goto do_return;
    T_GETFIELD_Q: {
        VmObject *o = vm_slot_ref(tos);
        if (!o) {
            *sp++ = tos;
            goto null_field;
        }
        tos = vm_object_fields(o)[ip->slot];
        NEXT1();
    }
    T_STORE_LOAD_VGET:
        locals[ip->local] = tos;
        ip++;
        LOAD_VGET_BODY();
    T_ICONST_RETURN:
        a = (uint64_t)ip->imm;
        goto do_return;
#define ARITH_VSET1(NAME, OP)                                                             \
    T_##NAME: {                                                                           \
        VmObject *o = vm_slot_ref(sp[-2]);                                                \
        uint64_t r = of_f(as_f(sp[-1]) OP as_f(tos));                                     \
        ip++;                                                                             \
        if (!ACCESSOR_FITS(o, sp - 2)) {                                                  \
            sp--;                                                                         \
            tos = r;                                                                      \
            DISPATCH1();                                                                  \
        }                                                                                 \
        vm->poll_left--;                                                                  \
        vm_object_fields(o)[ip->local] = r;                                               \
        sp -= 2;                                                                          \
        NEXT();                                                                           \
    }
    ARITH_VSET1(FADD_VSET, +)
    ARITH_VSET1(FSUB_VSET, -)
#undef ARITH_VSET1
    T_IADD_PUTFIELD: {
        VmObject *o = vm_slot_ref(sp[-2]);
        if (!o) {
            tos += *--sp;
            NEXT1();
        }
        vm_object_fields(o)[ip[1].slot] = sp[-1] + tos;
        sp -= 2;
        ip += 2;
        DISPATCH();
    }
    T_PUTFIELD_Q: {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!o) {
            *sp++ = tos;
            goto null_field;
        }
        vm_object_fields(o)[ip->slot] = tos;
        sp--;
        NEXT();
    }
    T_PUTFIELD_B_Q: {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!o)
            goto T_FLUSH;
        vm_object_fields(o)[ip->slot] = tos & 0xFF;
        sp--;
        NEXT();
    }
    T_PUTFIELD_Z_Q: {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!o)
            goto T_FLUSH;
        vm_object_fields(o)[ip->slot] = tos != 0;
        sp--;
        NEXT();
    }
    T_VGET_Q: {
        VmObject *o = vm_slot_ref(tos);
        if (!ACCESSOR_FITS(o, sp)) {
            *sp++ = tos;
            goto invoke_virtual;
        }
        vm->poll_left--;
        tos = vm_object_fields(o)[ip->local];
        NEXT1();
    }
    T_VSET_Q: {
        VmObject *o = vm_slot_ref(sp[-1]);
        if (!ACCESSOR_FITS(o, sp - 1)) {
            *sp++ = tos;
            goto invoke_virtual;
        }
        vm->poll_left--;
        vm_object_fields(o)[ip->local] = tos;
        sp--;
        NEXT();
    }
    T_PUTSTATIC_B_Q: *ip->addr = tos & 0xFF; NEXT();
    T_PUTSTATIC_Z_Q: *ip->addr = tos != 0; NEXT();
    T_ARRAYLENGTH: {
        VmArray *arr = vm_slot_ref(tos);
        if (!arr)
            goto T_FLUSH;
        tos = (uint64_t)arr->length;
        NEXT1();
    }
    /* array accesses: anything unusual runs the first form, which throws */
    T_IALOAD:
    T_FALOAD:
    T_AALOAD: {
        VmArray *arr = vm_slot_ref(sp[-1]);
        if (!arr || tos >= (uint64_t)arr->length)
            goto T_FLUSH;
        tos = ((uint64_t *)vm_array_data(arr))[tos];
        sp--;
        NEXT1();
    }
    T_LOAD_ALOAD: {
        VmArray *arr = vm_slot_ref(tos);
        uint64_t i = locals[ip->local];
        if (!arr || i >= (uint64_t)arr->length) {
            *sp++ = tos;
            tos = i;
            NEXT1();
        }
        tos = ((uint64_t *)vm_array_data(arr))[i];
        ip += 2;
        DISPATCH1();
    }
    T_LOAD_BALOAD: {
        VmArray *arr = vm_slot_ref(tos);
        uint64_t i = locals[ip->local];
        if (!arr || i >= (uint64_t)arr->length) {
            *sp++ = tos;
            tos = i;
            NEXT1();
        }
        tos = ((uint8_t *)vm_array_data(arr))[i];
        ip += 2;
        DISPATCH1();
    }
    T_BALOAD: {
        VmArray *arr = vm_slot_ref(sp[-1]);
        if (!arr || tos >= (uint64_t)arr->length)
            goto T_FLUSH;
        tos = ((uint8_t *)vm_array_data(arr))[tos];
        sp--;
        NEXT1();
    }
    T_IASTORE:
    T_FASTORE: {
        VmArray *arr = vm_slot_ref(sp[-2]);
        uint64_t i = sp[-1];
        if (!arr || i >= (uint64_t)arr->length)
            goto T_FLUSH;
        ((uint64_t *)vm_array_data(arr))[i] = tos;
        sp -= 2;
        NEXT();
    }
    T_BASTORE: {
        VmArray *arr = vm_slot_ref(sp[-2]);
        uint64_t i = sp[-1];
        if (!arr || i >= (uint64_t)arr->length)
            goto T_FLUSH;
        ((uint8_t *)vm_array_data(arr))[i] =
            (uint8_t)(arr->cls->elem_kind == CF_KIND_BOOL ? tos != 0 : (tos & 0xFF));
        sp -= 2;
        NEXT();
    }
    T_STORE_LOAD:
        locals[ip->local] = tos;
        tos = locals[ip[1].local];
        ip += 2;
        DISPATCH1();
    /* arithmetic between locals leaves the operands as they are */
    T_LL_ADD_STORE:
        locals[ip[3].local] = locals[ip->local] + locals[ip[1].local];
        ip += 4;
        DISPATCH1();
    T_LL_SUB_STORE:
        locals[ip[3].local] = locals[ip->local] - locals[ip[1].local];
        ip += 4;
        DISPATCH1();
    T_LOAD_ADDI_STORE:
        locals[ip[3].local] = locals[ip->local] + (uint64_t)ip->imm;
        ip += 4;
        DISPATCH1();
    T_LL_FADD_STORE:
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) + as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH1();
    T_LL_FSUB_STORE:
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) - as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH1();
    T_LL_FMUL_STORE:
        locals[ip[3].local] = of_f(as_f(locals[ip->local]) * as_f(locals[ip[1].local]));
        ip += 4;
        DISPATCH1();
    /* the rest store the top and run their first form */
    T_FWD(LOAD2)
    T_FWD(LOAD_ICONST)
    T_FWD(LOAD_ADDI)
    T_FWD(LOAD_LOAD_ADDI)
    T_FWD(LL_FADD)
    T_FWD(LL_FSUB)
    T_FWD(LL_FMUL)
    T_FWD(LOAD_GETFIELD)
    T_FWD(LOAD_VGET)
    T_FWD(LOAD2_VGET)
    T_FWD(LOAD_INVOKE)
    T_FWD(LOAD_INVOKESPECIAL)
    T_FWD(LOAD_INVOKEVIRTUAL)
    T_FWD(LL_LEN_ILT_NBRIF)
    T_FWD(ICONST_STORE)
    T_FWD(LOAD2_GETFIELD)
    T_FWD(LOAD_GETFIELD2)
    T_FWD(FIELD_ADDI)
    T_FWD(LOAD_DUP_GETFIELD)
    T_FWD(INVOKE_Q)
    T_FWD(INVOKEVIRTUAL_Q)
    T_FWD(INVOKESPECIAL_Q)
    T_FWD(INVOKEIFACE_Q)
    T_FWD(NEW_Q)
    T_FWD(FSQRT_Q)
    T_FWD(FABS_Q)
    T_FWD(STRLEN_Q)
    T_FWD(CHARAT_Q)
    T_FWD(CODEPOINT_Q)
    T_FWD(STREQ_Q)
    T_FWD(SUBSTR_Q)
    T_FWD(INSTANCEOF_Q)
    T_FWD(CHECKCAST_Q)
    T_FWD(CALLFN)
    T_FWD(JMP)
    T_FWD(BR)
    T_FWD(BR_PLAIN)
    T_FWD(LOAD_ADDI_STORE_BR)
    T_FWD(LL_ADD_STORE_BR)
    T_FWD(IDIV)
    T_FWD(IREM)
    T_FWD(F2I)
    T_FWD(IABS_Q)
    T_FWD(IMIN_Q)
    T_FWD(IMAX_Q)
    T_FWD(FMIN_Q)
    T_FWD(FMAX_Q)
    T_FWD(ACOPY_Q)
    T_FWD(NEWARRAY_Q)
    T_FWD(THROW)
    T_FWD(DUP_X1)
    T_FWD(SWAP)
#undef T_FWD
#undef BIN1_I
#undef BIN1_F
#endif
#if !(defined(__GNUC__) && !VM_NO_COMPUTED_GOTO)
    default:
        SAVE();
        vm_throw(vm, "LinkError", "bad internal opcode %u", ip->op);
        goto exception;
    }
#endif

invoke_instance:
    /* a trivial accessor on a non-null receiver, once its field instruction
     * is quickened: the field moves, no frame (the call's checks still run) */
    if (target->accessor && vm_call_fits_above(vm, fr, sp - nargs, target->frame_slots)) {
        const VmInsn *f = &target->code[target->accessor == VM_ACCESSOR_GET ? 1 : 2];
        int fop = __atomic_load_n(&f->op, __ATOMIC_ACQUIRE);
        if (fop == VM_OP_GETFIELD_Q) {
            if (ip->op == VM_OP_INVOKEVIRTUAL_Q)
                rewrite_accessor_site(m, ip, target, f->slot, VM_OP_VGET_Q);
            vm->poll_left--;
            sp--;
            tos = vm_object_fields(vm_slot_ref(*sp))[f->slot];
            NEXT1();
        }
        if (fop == VM_OP_PUTFIELD_Q || fop == VM_OP_PUTFIELD_B_Q || fop == VM_OP_PUTFIELD_Z_Q) {
            if (fop == VM_OP_PUTFIELD_Q && ip->op == VM_OP_INVOKEVIRTUAL_Q)
                rewrite_accessor_site(m, ip, target, f->slot, VM_OP_VSET_Q);
            vm->poll_left--;
            b = sp[-1];
            vm_object_fields(vm_slot_ref(sp[-2]))[f->slot] =
                fop == VM_OP_PUTFIELD_Q ? b : fop == VM_OP_PUTFIELD_B_Q ? (b & 0xFF) : b != 0;
            sp -= 2;
            NEXT();
        }
    }
    /* fall through */
invoke:
    SAVE();
    /* the common case inline: an interpreted callee whose frame fits and no
     * poll due (one test, vm_call_fits_above: [fr] is the top frame); the
     * frame is vm_push_frame's (vm/frame.h), the next one after [fr], its
     * declared locals zeroed where the code may read them before writing */
    if (target->entry == vm_interp_entry &&
        (target->invocations < vm->jit_call_threshold || target->jit_state)) {
        uint64_t *base = sp - nargs;
        if (vm_call_fits_above(vm, fr, base, target->frame_slots)) {
            vm->poll_left--;
            for (uint32_t k = target->clear_from; k < target->clear_to; k++)
                base[k] = 0;
            /* the new ip and sp computed before the fence, which would
             * otherwise make the compiler load them from [target] again */
            ip = target->code;
            sp = base + target->nlocals;
            fr++;
            fr->m = target;
            fr->base = base;
            fr->entry = false;
            fr->ip = ip;
            fr->sp = sp;
            atomic_signal_fence(memory_order_release);
            vm->nframes++;
            target->invocations++;
            m = target;
            locals = base;
            DISPATCH();
        }
    }
    if (!(target->native || target->code) && vm_prepare(vm, target) < 0)
        goto exception;
    if (target->flags & CF_ACC_NATIVE) {
        const VmNative *nat = target->native;
        if (nat->shape == VM_NATIVE_SHAPE(1, 1u, 1u) && vm->nframes < vm->max_frames) {
            /* a C function of one float (libm's): its frame and the typed call
             * inline (a callback it was handed before may still have thrown) */
            vm->frames[vm->nframes] = (VmFrame){.m = target, .base = sp - 1, .sp = sp};
            atomic_signal_fence(memory_order_release);
            vm->nframes++;
            target->invocations++;
            double (*fn)(double);
            memcpy(&fn, &nat->fn, sizeof fn);
            double r = fn(as_f(sp[-1]));
            vm->nframes--;
            if (vm->roots->pending || vm->fatal || vm->exiting)
                goto exception;
            sp[-1] = of_f(r);
            NEXT();
        }
        uint64_t rv = 0;
        if (vm_call_native_frame(vm, target, sp - nargs, &rv) < 0)
            goto exception;
        sp -= nargs;
        if (target->ret != CF_KIND_VOID)
            *sp++ = rv;
        NEXT();
    }
    if (target->invocations >= vm->jit_call_threshold && !target->jit_state)
        jit_compile(vm, target);
    /* compiled code is not entered while hooks are on (vm->hooks): the
     * interpreter is what reports their events */
    if (target->entry != vm_interp_entry && !vm->hooks &&
        vm_cstack_room(vm, VM_CSTACK_JIT_ROOM)) {
        /* compiled callee: it runs on the C stack and pops its own frame */
        uint64_t *args = sp - nargs;
        if (vm_push_frame(vm, target, args, false) < 0)
            goto exception;
        if (target->entry(vm, &vm->frames[vm->nframes - 1], NULL) < 0)
            goto exception;
        sp = args + (target->ret != CF_KIND_VOID);
        NEXT();
    }
    if (vm_push_frame(vm, target, sp - nargs, false) < 0)
        goto exception;
    RELOAD();
    DISPATCH();

osr:
    /* a hot loop: continue in compiled code at the loop header [ip] (same frame
     * layout, so it is a jump); the compiled code pops the frame */
    {
        void *addr = NULL;
        if (!m->jit_state)
            jit_compile(vm, m);
        if (m->jit && vm_jit_room(vm))
            addr = jit_address(m, (uint32_t)(ip - m->code));
        if (!addr) {
            m->backedges = 0;
            DISPATCH();
        }
        SAVE();
        bool was_entry = fr->entry;
        uint64_t *dst = fr->base;
        bool has_ret = m->ret != CF_KIND_VOID;
        jit_count_osr(vm);
        if (m->entry(vm, fr, addr) < 0) {
            if (was_entry)
                return -1;
            goto exception;
        }
        if (was_entry) {
            if (ret)
                *ret = has_ret ? dst[0] : 0;
            return 0;
        }
        RELOAD();
        sp = dst + has_ret;
        NEXT();
    }

null_call:
    SAVE();
    vm_throw_null_call(vm, target);
    goto exception;

null_field:
    SAVE();
    vm_throw_null_field(vm, ip);
    goto exception;

exception:
    for (;;) {
        fr = &vm->frames[vm->nframes - 1];
        m = fr->m;
        const VmHandler *h = vm_find_handler(vm, fr);
        if (h) {
            VmObject *exc = vm->roots->pending;
            vm->roots->pending = NULL;
            locals = fr->base;
            sp = locals + m->nlocals + h->height;
            *sp++ = vm_ref_slot(exc);
            ip = m->code + h->target;
            DISPATCH();
        }
        bool was_entry = fr->entry;
        vm->nframes--;
        if (was_entry || vm->nframes <= entry)
            return -1;
    }
#undef ACCESSOR_FITS
#undef LOAD_VGET_BODY
#undef CMP_FUSED_1_ALL
#undef CMP_FUSED_1
#undef SAVE
#undef RELOAD
#undef POP_RELOAD
#undef CASE
#undef DISPATCH
#undef NEXT
#undef NEXT1
#undef DISPATCH1
#undef VM_TOS_STATES
#undef DISPATCH0
#undef BIN_I
#undef BIN_F
}

int vm_call(MicaVM *vm, VmMethod *m, const uint64_t *args, uint32_t nargs, uint64_t *ret)
{
    uint64_t *base = vm_stack_top(vm);
    if (!vm->nframes)
        vm_cstack_init(vm);
    if (nargs != m->nparams) {
        vm_set_error(vm, "%s.%s%s takes %u argument slots, not %u", m->cls->name, m->name,
                     m->desc, m->nparams, nargs);
        vm->fatal = true;
        return -1;
    }
    if (base + nargs + 1 > vm->stack_end)
        return vm_throw(vm, "StackOverflowError", "value stack exhausted");
    if (nargs)
        memcpy(base, args, nargs * sizeof *base);
    if (!(m->native || m->code) && vm_prepare(vm, m) < 0)
        return -1;
    if (m->flags & CF_ACC_NATIVE)
        return vm_call_native_frame(vm, m, base, ret);
    if (vm->c_depth >= VM_MAX_NESTED_RUNS || !vm_cstack_room(vm, VM_CSTACK_RUN_ROOM))
        return vm_throw(vm, "StackOverflowError",
                        "too many nested calls between natives and Mica (%u)", vm->c_depth);
    if (m->invocations >= vm->jit_call_threshold && !m->jit_state)
        jit_compile(vm, m);
    if (vm_push_frame(vm, m, base, true) < 0)
        return -1;
    vm->c_depth++;
    int r = vm_run_frame(vm, ret);
    vm->c_depth--;
    return r;
}

int vm_interp_entry(MicaVM *vm, VmFrame *fr, void *start)
{
    uint64_t r = 0;
    uint64_t *base = fr->base;
    fr->entry = true;
    if (run(vm, vm->nframes - 1, &r) < 0)
        return -1;
    base[0] = r;
    return 0;
}

int vm_run_frame(MicaVM *vm, uint64_t *ret)
{
    VmFrame *fr = &vm->frames[vm->nframes - 1];
    VmMethod *m = fr->m;
    uint64_t *base = fr->base;
    if (m->entry != vm_interp_entry && !vm->hooks && vm_cstack_room(vm, VM_CSTACK_JIT_ROOM)) {
        if (m->entry(vm, fr, NULL) < 0)
            return -1;
        if (ret)
            *ret = m->ret != CF_KIND_VOID ? base[0] : 0;
        return 0;
    }
    return run(vm, vm->nframes - 1, ret);
}

int vm_call_static(MicaVM *vm, const char *cls, const char *name, const char *desc,
                   const uint64_t *args, uint32_t nargs, uint64_t *ret, MicaStatus *status)
{
    MicaStatus dummy;
    MicaStatus *st = status ? status : &dummy;
    char internal[1024];
    size_t i = 0;
    for (; cls[i] && i + 1 < sizeof internal; i++)
        internal[i] = cls[i] == '.' ? '/' : cls[i];
    internal[i] = 0;
    VmClass *c = vm_load_class(vm, internal, st);
    if (!c || vm_link_class(vm, c, st) < 0)
        return -1;
    VmMethod *m = vm_find_declared(c, name, desc);
    if (!m || !(m->flags & CF_ACC_STATIC)) {
        char d[1024];
        vm_dotted(internal, d, sizeof d);
        vm_set_error(vm, "no static method %s%s in class %s", name, desc, d);
        *st = MICA_ERR_LINK;
        return -1;
    }
    *st = MICA_ERR_EXCEPTION;
    if (!vm->nframes) {
        vm->halt = MICA_OK;
        vm->fatal = false;
        vm_start_limits(vm);
    }
    if (vm_init_class(vm, c) < 0 || vm_call(vm, m, args, nargs, ret) < 0) {
        if (vm->halt)
            *st = vm->halt;
        return -1;
    }
    *st = MICA_OK;
    return 0;
}
