/* jit/compile.c: the template compiler. One linear pass over a method's
 * pre-decoded code emits, per instruction, its template written against the
 * macro-assembler (jit/masm.h); slow paths go out of line to the end.
 *
 * Compiled code keeps the interpreter's frame: locals and operand stack stay
 * in the frame's slots at the height pre-decoding recorded for each
 * instruction, so entering at any instruction (OSR, handlers) is a jump and
 * the collector, traces and handlers see exactly what the interpreter would
 * show them. Within an instruction the operands live in registers; the
 * common compare-and-branch pairs become one compare and one branch. Before
 * any helper call the template publishes fr->ip and fr->sp (the
 * interpreter's SAVE), so a fault's trace and handler search, and the
 * collector's view of the stack, are the interpreter's. That ip is the
 * instruction's own, in the frame of the method the instruction belongs to
 * (an inlined body's slow path makes that frame first: inl_push), and stores
 * to locals are never deferred past it: the collector zeroes the locals not
 * yet stored at a frame's ip (vm/vm.c clear_unstored_locals), so an ip behind
 * a store would lose that store. */
#include "jit_private.h"
#include "cm_mem.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* One entry of the lazy operand stack (see Ctx.vs). */
typedef struct VsEntry {
    uint8_t kind;       /* VS_*                                              */
    uint8_t reg;        /* VS_REG: the JReg; VS_FREG: the JFReg              */
    uint32_t local;     /* VS_LOCAL                                          */
    int64_t k;          /* VS_CONST                                          */
} VsEntry;

#define VS_MAX 6
#define ALIAS_MAX 4

/* What a stub reached from straight-line code must know of the lazy stack
 * there: its entries (below height [top]) are written to their slots first,
 * so that the frame is the interpreter's once anything can see it; a stub
 * that goes back loads the registers among them again after its call. */
typedef struct VsSnap {
    VsEntry vs[VS_MAX];
    uint8_t nv;
    int32_t top;
    uint8_t r0, r1;     /* STUB_BOUNDS, STUB_CAST: where the array (object)
                           and the index are (R0, R1 unless set)             */
    uint8_t res_kind;   /* STUB_TRIVIAL: where the result goes back: VS_REG,  */
    uint8_t res_reg;    /* VS_FREG, or 0 for R0                              */
} VsSnap;

typedef struct Stub {
    JLabel label;
    uint32_t idx;       /* instruction                                       */
    int32_t height;     /* operand height to publish                          */
    uint8_t kind;       /* STUB_*                                             */
    /* the slow paths of calls, kept out of the straight-line code:          */
    JLabel alt;         /* a second way in: give the step back first          */
    JLabel back;        /* where the call's code goes on                      */
    int32_t op;         /* the call's operation                               */
    int32_t arg;        /* DIRECT: the argument slots' offset; TRIVIAL: nargs  */
    bool ret;           /* TRIVIAL: the callee returns a value                */
    VsSnap snap;        /* the lazy stack where the stub is reached from      */
    /* TRIVIAL of an inlined callee: its aliased arguments (Ctx.aliased), from
     * the caller's locals at [alias_src] to their slots at [alias_dst] */
    uint8_t nalias;
    int32_t alias_src[ALIAS_MAX], alias_dst[ALIAS_MAX];
    /* TRIVIAL of a setter: its value is in float register [arg_freg], not R4 */
    bool arg_f;
    uint8_t arg_freg;
} Stub;

enum {
    STUB_POLL, STUB_NULL_FIELD, STUB_BOUNDS, STUB_NULL_LENGTH, STUB_DIV0, STUB_CAST,
    STUB_INVOKE,  /* the call through jit_h_invoke (resolves, dispatches) */
    STUB_DIRECT,  /* target in R3: through jit_h_call                     */
    STUB_MISS,    /* a virtual call's inline cache missed: look again     */
    STUB_TRIVIAL, /* a trivial callee's checks failed: the whole call     */
};

typedef struct Ctx {
    MicaVM *vm;
    VmMethod *m;
    JMasm *a;
    JLabel *labels;     /* per instruction */
    bool *target;       /* per instruction: something jumps there */
    JLabel ret, unwind;
    JLabel body;        /* the body's start (self-recursive calls)          */
    Stub *stubs;
    uint32_t nstubs, stubs_cap;
    bool failed;
    /* The lazy top of the operand stack: the top [nv] slots below height [top]
     * are not in memory yet but described here: a local, a constant, a value in
     * one of the preserved registers JR_T0, JR_T1 (integers and references) or
     * in a float register (JF2..JF6). Templates take their operands from where
     * they are and leave their result in a free register of the right kind
     * (vs_ralloc, falloc: the whole lazy stack is written to memory when none is
     * free). Written back before anything that reads the frame's memory
     * (helpers, calls), before every jump and at every jump target; a check
     * that leaves straight-line code for a stub records the lazy stack there
     * (stub_keep) and the stub writes it. */
    VsEntry vs[VS_MAX];
    uint32_t nv;
    /* The value a store to local [fwd_local] at instruction [fwd_idx] took from
     * a register or a constant: a load of that local after it, with nothing but
     * loads and constants in between and no jump target, takes it from there
     * again (fwd_idx UINT32_MAX: none). */
    uint32_t fwd_idx, fwd_local;
    VsEntry fwd;
    /* The local whose value JR_R5 holds (an object or array loaded there by
     * vpop_obj), or -1: valid across the templates that leave R5 alone and
     * call nothing (obj_keeps), not into a jump target, not past a store to it. */
    int32_t r5_local;
    int32_t top;
    /* What the code being emitted knows of the locals (per local): not null,
     * since a null check of the local passed (its failure leaves this code),
     * until a store to it or a jump target; `this` of an instance method that
     * never stores to it, always. A check it makes unneeded is left out. */
    bool *nonnull;
    bool this_kept;
    /* Per instruction: how many ways lead there (jumps, handlers, the one
     * before it falling through), 2 meaning two or more (scan_method); and,
     * for one reached by a single forward jump and nothing else, what was
     * known of the locals on that jump (recorded when the jump is emitted,
     * taken over at the target instead of forgetting everything), or NULL. */
    uint8_t *npred;
    bool **facts_at;
    /* Inlining (emit_inline_call): [root] is the method being compiled (itself
     * for it); a callee's body emitted at a call site has a Ctx of its own
     * whose frame is [boff] bytes above JR_BASE and whose parent made call
     * [inl_idx] at height [inl_h]. Its frame exists only while a slow path
     * needs it (inl_push); [subs] lists the root's inlined bodies, whose stubs
     * come after the root's. [inl_budget]: instructions left to inline. */
    struct Ctx *root, *inl_parent, *next_sub, *subs;
    int32_t boff;
    bool recv_known;    /* the next emit_call's receiver is not null       */
    uint32_t inl_idx;
    int32_t inl_h;
    int32_t inl_budget;
    /* The root's: value-stack slots from its base (without the spare ones)
     * and frames above its own that its body's entry has checked room for
     * (entry_room); a call or inlined callee within them checks nothing. */
    uint32_t room_slots, room_frames;
    /* While a loop's test is emitted again at its back edge (loop_test_again):
     * [again], and where its compare-and-branch goes when the loop goes on. */
    bool again;
    JLabel again_body;
    /* An inlined body's parameters passed as a local of its caller that it
     * never stores to: read from that local's slot ([alias_off], from
     * JR_BASE) instead of being copied to its own; inl_push copies them when
     * it makes the frame, and the whole call's stub before the call. */
    bool aliased[ALIAS_MAX];
    int32_t alias_off[ALIAS_MAX];
} Ctx;

enum { VS_LOCAL, VS_CONST, VS_REG, VS_FREG };
/* float registers that hold deferred values (JF0, JF1 are the templates' own) */
#define VS_FREG_FIRST JF2
#define VS_FREG_LAST JF6

#define SLOT(k) (c->boff + (int32_t)((c->m->nlocals + (uint32_t)(k)) * 8u))
#define LOC(i) loc_off(c, (uint32_t)(i))

/* Where local [i] of c's method is read from: its slot, or for an inlined
 * body's aliased parameter, its caller's local (Ctx.aliased). Stores go to
 * locals that are never aliased; the frame's start and the result's slot are
 * c->boff. */
static int32_t loc_off(const struct Ctx *c, uint32_t i)
{
    if (i < ALIAS_MAX && c->aliased[i])
        return c->alias_off[i];
    return c->boff + (int32_t)(i * 8u);
}
#define A (c->a)

static void facts_reset(Ctx *c)
{
    memset(c->nonnull, 0, (size_t)c->m->nlocals + 1);
    if (c->this_kept)
        c->nonnull[0] = true;
}

/* The local whose value the lazy stack holds [depth] below its top, or -1. */
static int vlocal_at(const Ctx *c, uint32_t depth)
{
    if (depth >= c->nv || c->vs[c->nv - 1 - depth].kind != VS_LOCAL)
        return -1;
    uint32_t l = c->vs[c->nv - 1 - depth].local;
    return l < c->m->nlocals ? (int)l : -1;
}

/* A null check of the value [depth] below the lazy stack's top, about to be
 * popped into a register, to [fail]: left out when it is a local known not to
 * be null, which it is from here on. */
static bool need_null_check(Ctx *c, uint32_t depth)
{
    int l = vlocal_at(c, depth);
    if (l < 0)
        return true;
    bool known = c->nonnull[l];
    c->nonnull[l] = true;
    return !known;
}

/* A jump about to be emitted to instruction [dst]: when nothing else leads
 * there and it is forward (emitted later, and never an OSR entry), what is
 * known of the locals now holds there too, and with [local] (>= 0) not null
 * on this jump. */
static void facts_jump(Ctx *c, uint32_t from, uint32_t dst, int local)
{
    if (c->again && dst < c->m->ncode) {
        /* a second jump there (a loop's test again at its back edge): what
         * the first one recorded no longer holds alone */
        free(c->facts_at[dst]);
        c->facts_at[dst] = NULL;
        c->npred[dst] = 2;
        return;
    }
    if (dst <= from || dst >= c->m->ncode || c->npred[dst] != 1 || c->facts_at[dst])
        return;
    bool *f = cm_malloc((size_t)c->m->nlocals + 1);
    if (!f)
        return; /* nothing recorded: forgotten at the target, as any other */
    memcpy(f, c->nonnull, (size_t)c->m->nlocals + 1);
    if (local >= 0)
        f[local] = true;
    c->facts_at[dst] = f;
}

/* At jump target [i]: what its single jump recorded, else nothing known. */
static void facts_enter(Ctx *c, uint32_t i)
{
    if (c->facts_at[i])
        memcpy(c->nonnull, c->facts_at[i], (size_t)c->m->nlocals + 1);
    else
        facts_reset(c);
}

static JLabel stub(Ctx *c, uint8_t kind, uint32_t idx, int32_t height)
{
    if (c->nstubs == c->stubs_cap) {
        uint32_t n = c->stubs_cap ? c->stubs_cap * 2 : 32;
        Stub *s = cm_realloc(c->stubs, n * sizeof *s);
        if (!s) {
            c->failed = true;
            return 0;
        }
        c->stubs = s;
        c->stubs_cap = n;
    }
    JLabel l = masm_label(A);
    c->stubs[c->nstubs++] = (Stub){.label = l, .idx = idx, .height = height, .kind = kind,
                                   .snap = {.r0 = JR_R0, .r1 = JR_R1}};
    return l;
}

/* A stub reached with the lazy stack as it is now (see VsSnap). */
static JLabel stub_keep(Ctx *c, uint8_t kind, uint32_t idx, int32_t height)
{
    JLabel l = stub(c, kind, idx, height);
    if (c->failed)
        return l;
    VsSnap *sn = &c->stubs[c->nstubs - 1].snap;
    memcpy(sn->vs, c->vs, c->nv * sizeof *c->vs);
    sn->nv = (uint8_t)c->nv;
    sn->top = c->top;
    return l;
}

/* An array element's checks, array in [ar], index in [ix]: null, then the
 * index against the length (clobbers R2); both fail to one STUB_BOUNDS stub,
 * which publishes the operand stack at [height] and reports the fault with
 * the array and index taken from these registers. */
static void element_check(Ctx *c, uint32_t idx, int32_t height, JReg ar, JReg ix)
{
    JLabel bad = stub_keep(c, STUB_BOUNDS, idx, height);
    if (!c->failed) {
        c->stubs[c->nstubs - 1].snap.r0 = (uint8_t)ar;
        c->stubs[c->nstubs - 1].snap.r1 = (uint8_t)ix;
    }
    masm_bri(A, JC_EQ, ar, 0, bad);
    masm_ld(A, JR_R2, ar, offsetof(VmArray, length));
    masm_br(A, JC_UGE, ix, JR_R2, bad);
}

/* A call's slow path as a stub that goes on at [back]: its Stub, to fill in
 * (valid until the next stub is made). NULL when out of memory. */
static Stub *call_stub(Ctx *c, uint8_t kind, uint32_t idx, int32_t height, JLabel back)
{
    stub(c, kind, idx, height);
    if (c->failed)
        return NULL;
    Stub *st = &c->stubs[c->nstubs - 1];
    st->back = back;
    return st;
}

/* The interpreter's SAVE(): fr->ip and fr->sp (clobbers R0, R1). */
static void sync(Ctx *c, uint32_t idx, int32_t height)
{
    masm_movi(A, JR_R0, (int64_t)(intptr_t)&c->m->code[idx]);
    masm_st(A, JR_R0, JR_FRAME, offsetof(VmFrame, ip));
    masm_alui(A, JA_ADD, JR_R1, JR_BASE, SLOT(height));
    masm_st(A, JR_R1, JR_FRAME, offsetof(VmFrame, sp));
}

static void arg_vm(Ctx *c) { masm_mov(A, masm_arg(0), JR_VM); }

/* In an inlined body (c->inl_parent set): the frame the call would have
 * pushed, made now for a slow path that needs it (a fault, a call, a throw),
 * exactly as the interpreter's would be: the caller's ip and sp published
 * (at its call), then the callee's frame above it, which JR_FRAME points to
 * until inl_pop. A body inlined into an inlined body makes its caller's frame
 * first. Clobbers R0, R1. */
static void inl_push(Ctx *c)
{
    if (!c->inl_parent)
        return;
    inl_push(c->inl_parent);
    sync(c->inl_parent, c->inl_idx, c->inl_h);
    masm_alui(A, JA_ADD, JR_FRAME, JR_FRAME, (int32_t)sizeof(VmFrame));
    /* the aliased arguments into the frame's own slots */
    for (uint32_t k = 0; k < ALIAS_MAX; k++)
        if (c->aliased[k]) {
            masm_ld(A, JR_R0, JR_BASE, c->alias_off[k]);
            masm_st(A, JR_R0, JR_BASE, c->boff + (int32_t)(k * 8u));
        }
    masm_movi(A, JR_R0, (int64_t)(intptr_t)c->m);
    masm_st(A, JR_R0, JR_FRAME, offsetof(VmFrame, m));
    masm_alui(A, JA_ADD, JR_R1, JR_BASE, c->boff);
    masm_st(A, JR_R1, JR_FRAME, offsetof(VmFrame, base));
    /* ip: published by the slow path's own sync (see fast_call for entry) */
    masm_alui(A, JA_ADD, JR_R1, JR_BASE, SLOT(0));
    masm_st(A, JR_R1, JR_FRAME, offsetof(VmFrame, sp));
    /* complete before the stack scanner can see it (as vm_push_frame) */
    masm_add32m(A, JR_VM, offsetof(MicaVM, nframes), 1);
}

/* The frame of inlined body [c] made by inl_push is popped (an exception
 * leaving it, which then unwinds its caller). */
static void inl_pop_own(Ctx *c)
{
    if (!c->inl_parent)
        return;
    masm_add32m(A, JR_VM, offsetof(MicaVM, nframes), -1);
    masm_alui(A, JA_SUB, JR_FRAME, JR_FRAME, (int32_t)sizeof(VmFrame));
}

/* The frames inl_push made are popped (its slow path went on). */
static void inl_pop(Ctx *c)
{
    for (; c->inl_parent; c = c->inl_parent)
        inl_pop_own(c);
}

/* How deep inlined body [c] is: 0 for the root, 1 for a callee inlined into
 * it, 2 for one inlined into that. */
static uint32_t inl_level(const Ctx *c)
{
    uint32_t n = 0;
    for (; c->inl_parent; c = c->inl_parent)
        n++;
    return n;
}

static void check_status(Ctx *c)
{
    masm_bri(A, JC_NE, JR_R0, 0, c->unwind);
}

/* A poll point (back edge): one step off vm->poll_left, vm_poll when it runs out. */
static void poll(Ctx *c, uint32_t idx, int32_t height)
{
    JLabel l = stub(c, STUB_POLL, idx, height);
    masm_step(A, l);
    /* the stub comes back to the label made right after its own */
    masm_bind(A, masm_label(A));
}

/* A taken branch from instruction [idx] with [from] values on the stack:
 * keep the top [arity] at [height], poll if it goes backwards, jump. */
static void take(Ctx *c, uint32_t idx, int32_t from, int32_t height, int32_t arity,
                 uint32_t dst)
{
    if (from - arity != height)
        for (int32_t j = 0; j < arity; j++) {
            masm_ld(A, JR_R0, JR_BASE, SLOT(from - arity + j));
            masm_st(A, JR_R0, JR_BASE, SLOT(height + j));
        }
    if (dst <= idx)
        poll(c, idx, height + arity);
    masm_jmp(A, c->labels[dst]);
}

static JCond icond(int base)
{
    switch (base) {
    case VM_OP_IEQ: case VM_OP_AEQ: return JC_EQ;
    case VM_OP_INE: case VM_OP_ANE: return JC_NE;
    case VM_OP_ILT: return JC_LT;
    case VM_OP_ILE: return JC_LE;
    case VM_OP_IGT: return JC_GT;
    default: return JC_GE;
    }
}

static JCond inverse(JCond k)
{
    static const JCond inv[] = {[JC_EQ] = JC_NE, [JC_NE] = JC_EQ, [JC_LT] = JC_GE,
                                [JC_LE] = JC_GT, [JC_GT] = JC_LE, [JC_GE] = JC_LT,
                                [JC_ULT] = JC_UGE, [JC_ULE] = JC_UGT, [JC_UGT] = JC_ULE,
                                [JC_UGE] = JC_ULT};
    return inv[k];
}

/* The condition that holds of (b, a) when [k] holds of (a, b). */
static JCond swapped(JCond k)
{
    static const JCond sw[] = {[JC_EQ] = JC_EQ, [JC_NE] = JC_NE, [JC_LT] = JC_GT,
                               [JC_LE] = JC_GE, [JC_GT] = JC_LT, [JC_GE] = JC_LE,
                               [JC_ULT] = JC_UGT, [JC_ULE] = JC_UGE, [JC_UGT] = JC_ULT,
                               [JC_UGE] = JC_ULE};
    return sw[k];
}

static JFCond fcond(int base)
{
    switch (base) {
    case VM_OP_FEQ: return JFC_EQ;
    case VM_OP_FNE: return JFC_NE;
    case VM_OP_FLT: return JFC_LT;
    case VM_OP_FLE: return JFC_LE;
    case VM_OP_FGT: return JFC_GT;
    default: return JFC_GE;
    }
}

static bool is_fcmp(int b)
{
    return b >= VM_OP_FEQ && b <= VM_OP_FGE;
}

/* Emits the branch on a condition already known to be in R0 (1 = true) or as
 * a compare; used by the fused forms. [when] is the label jumped to when the
 * branch instruction [bi] is taken. */
static void call_helper3(Ctx *c, const void *fn, uint32_t idx, int32_t height)
{
    inl_push(c);
    sync(c, idx, height);
    arg_vm(c);
    masm_movi(A, masm_arg(1), (int64_t)(intptr_t)&c->m->code[idx]);
    masm_alui(A, JA_ADD, masm_arg(2), JR_BASE, SLOT(height));
    masm_call(A, fn);
    check_status(c);
    inl_pop(c);
}

/* Inline vm_is_subclass of the object (or array) in R0 against resolved
 * class [k] (not Object): jumps to [no] when it is not one. Plain classes
 * check the ancestor at k's depth, interfaces scan the object class's
 * interfaces, arrays of primitives match only themselves (arrays of
 * references, covariant, are left to the helper). Clobbers R1..R4. */
_Static_assert(offsetof(VmArray, cls) == offsetof(VmObject, cls), "class word of objects and arrays");
static void subclass_test(Ctx *c, VmClass *k, JLabel no)
{
    masm_ld(A, JR_R1, JR_R0, offsetof(VmObject, cls));
    masm_movi(A, JR_R2, (int64_t)(intptr_t)k);
    JLabel yes = masm_label(A);
    if (k->is_array) {
        masm_br(A, JC_NE, JR_R1, JR_R2, no);
        return;
    }
    masm_br(A, JC_EQ, JR_R1, JR_R2, yes);
    if (k->is_interface) {
        JLabel loop = masm_label(A);
        masm_mov(A, JR_R4, JR_R2);
        masm_ld32s(A, JR_R2, JR_R1, offsetof(VmClass, nifaces));
        masm_ld(A, JR_R1, JR_R1, offsetof(VmClass, ifaces));
        masm_bind(A, loop);
        masm_bri(A, JC_LE, JR_R2, 0, no);
        masm_ld(A, JR_R3, JR_R1, 0);
        masm_br(A, JC_EQ, JR_R3, JR_R4, yes);
        masm_alui(A, JA_ADD, JR_R1, JR_R1, 8);
        masm_alui(A, JA_SUB, JR_R2, JR_R2, 1);
        masm_jmp(A, loop);
        masm_bind(A, yes);
        return;
    }
    masm_ld32s(A, JR_R2, JR_R1, offsetof(VmClass, depth));
    masm_bri(A, JC_LT, JR_R2, (int32_t)k->depth, no);
    masm_ld(A, JR_R1, JR_R1, offsetof(VmClass, ancestors));
    masm_ld(A, JR_R1, JR_R1, (int32_t)(k->depth * 8u));
    masm_movi(A, JR_R2, (int64_t)(intptr_t)k);
    masm_br(A, JC_NE, JR_R1, JR_R2, no);
    masm_bind(A, yes);
}

static bool plain_class(const VmClass *k)
{
    return k && !k->is_interface && !k->is_array && k->super && k->depth < (1u << 20);
}

/* Whether the frame of [t] with its arguments at operand height [at] of c's
 * frame is inside the value stack without a check: inside c's own frame
 * (whose check covered it), or inside what the root's entry checked. */
static bool room_known(const Ctx *c, int32_t at, const VmMethod *t)
{
    uint64_t own = (uint64_t)at + t->nlocals + t->max_stack;
    if (own <= c->m->max_stack)
        return true;
    return (uint64_t)c->boff / 8u + c->m->nlocals + own <= c->root->room_slots;
}

/* A call whose target method is in R3, arguments at height [h] - [nargs]:
 * when the target is compiled and every check of vm_push_frame passes, the
 * frame is pushed here and the target's body called directly (its frame,
 * in R4, sits right above this one's: this frame is the top one); otherwise
 * (and for every fault) the call through jit_h_call, out of line, which does
 * the same through the runtime. Either way it goes on at [done]. fr->ip and
 * fr->sp are already published. */
static void fast_call(Ctx *c, int32_t h, uint32_t nargs, const VmMethod *known, JLabel done,
                      bool falls)
{
    /* from here on the target is known: every way out that is not the direct
     * call makes the call through jit_h_call (natives, methods not compiled,
     * a check that failed) without looking the target up again */
    int32_t args = SLOT(h - (int32_t)nargs);
    Stub *st = call_stub(c, STUB_DIRECT, 0, 0, done);
    if (!st)
        return;
    JLabel slow = st->label, undo = masm_label(A);
    st->alt = undo;
    st->arg = args;
    /* compiled? (once compiled, always: its body, set before jit_state says
     * so, is never unset); the body's address stays in R1 for the call */
    bool body_in_r1 = false;
    if (known != c->root->m && (!known || known->jit_state != 1 || !known->jit_call)) {
        masm_ld(A, JR_R1, JR_R3, offsetof(VmMethod, jit_call));
        masm_bri(A, JC_EQ, JR_R1, 0, slow);
        body_in_r1 = true;
    }
    /* no depth or C stack check: a compiled body runs only with room for one
     * more frame and for nested compiled code (see the body's entry) */
    /* value stack: args + nlocals + max_stack + spare <= stack_end (implied by
     * this frame's own check when the callee's frame fits inside it) */
    masm_alui(A, JA_ADD, JR_R5, JR_BASE, args);
    if (known) {
        uint64_t need = ((uint64_t)known->nlocals + known->max_stack + VM_FRAME_SPARE_SLOTS) * 8u;
        if (!room_known(c, h - (int32_t)nargs, known)) {
            masm_alui(A, JA_ADD, JR_R4, JR_R5, (int32_t)need);
            masm_brm(A, JC_ULT, JR_VM, offsetof(MicaVM, stack_end), JR_R4, slow);
        }
    } else {
        masm_ld32s(A, JR_R2, JR_R3, offsetof(VmMethod, nlocals));
        masm_ld32s(A, JR_R4, JR_R3, offsetof(VmMethod, max_stack));
        masm_alu(A, JA_ADD, JR_R4, JR_R4, JR_R2);
        masm_alui(A, JA_SHL, JR_R4, JR_R4, 3);
        masm_alu(A, JA_ADD, JR_R4, JR_R4, JR_R5);
        masm_alui(A, JA_ADD, JR_R4, JR_R4, (int32_t)(VM_FRAME_SPARE_SLOTS * 8));
        masm_brm(A, JC_ULT, JR_VM, offsetof(MicaVM, stack_end), JR_R4, slow);
    }
    /* one step; when a poll is due the step is given back and the helper
     * makes the call (and the poll) */
    masm_step(A, undo);
    /* the frame: vm->frames[nframes], right above this one (R4) */
    masm_alui(A, JA_ADD, JR_R4, JR_FRAME, (int32_t)sizeof(VmFrame));
    masm_st(A, JR_R3, JR_R4, offsetof(VmFrame, m));
    masm_st(A, JR_R5, JR_R4, offsetof(VmFrame, base));
    /* not stored: `entry` and `ip`. A frame of compiled code is never run by
     * the interpreter except from its start when its body finds no room
     * (which stores both then: jit_h_interpret), and its ip is published
     * before anything reads it (a helper, a call, a fault) and before any
     * frame goes above it: until then it calls nothing that can allocate, so
     * no collection meets the stale ip (vm/vm.c clear_unstored_locals) */
    /* declared locals start zero: slots [nparams, nlocals), of which only
     * those some path may read before storing them need it (pre-decoding's
     * clear_from, clear_to, as the interpreter's calls) */
    if (known && known->clear_to - known->clear_from <= 16) {
        masm_alui(A, JA_ADD, JR_R2, JR_R5, (int32_t)(known->nlocals * 8u));
        masm_st(A, JR_R2, JR_R4, offsetof(VmFrame, sp));
        for (uint32_t k = known->clear_from; k < known->clear_to; k++)
            masm_sti(A, JR_R5, (int32_t)(k * 8u), 0);
    } else {
        if (known)
            masm_movi(A, JR_R2, known->nlocals);
        else
            masm_ld32s(A, JR_R2, JR_R3, offsetof(VmMethod, nlocals));
        masm_alui(A, JA_SHL, JR_R2, JR_R2, 3);
        masm_alu(A, JA_ADD, JR_R2, JR_R2, JR_R5);
        masm_st(A, JR_R2, JR_R4, offsetof(VmFrame, sp));
        masm_ld32s(A, JR_R0, JR_R3, offsetof(VmMethod, nparams));
        masm_alui(A, JA_SHL, JR_R0, JR_R0, 3);
        masm_alu(A, JA_ADD, JR_R0, JR_R0, JR_R5);
        JLabel zloop = masm_label(A), zdone = masm_label(A);
        masm_bind(A, zloop);
        masm_br(A, JC_UGE, JR_R0, JR_R2, zdone);
        masm_sti(A, JR_R0, 0, 0);
        masm_alui(A, JA_ADD, JR_R0, JR_R0, 8);
        masm_jmp(A, zloop);
        masm_bind(A, zdone);
    }
    /* publish the frame (the callee is compiled: no invocation count needed) */
    masm_add32m(A, JR_VM, offsetof(MicaVM, nframes), 1);
    /* the body: frame in R4, base in R5; status back in R0 */
    if (known == c->root->m) {
        masm_call_label(A, c->body);
    } else if (body_in_r1) {
        masm_callr(A, JR_R1);
    } else {
        masm_ld(A, JR_R0, JR_R3, offsetof(VmMethod, jit_call));
        masm_callr(A, JR_R0);
    }
    masm_bri(A, JC_NE, JR_R0, 0, c->unwind);
    /* [falls]: [done] is bound right here */
    if (!falls)
        masm_jmp(A, done);
}

/* ---- trivial callees, done at the call site ----------------------------------
 * A callee whose whole body is a field read or write of its receiver, a
 * constant or nothing is done inline once the same checks a call makes pass:
 * the receiver is not null (and dispatches to that method), no poll is due,
 * the depth and the value stack have room for its frame. The step is counted
 * as the call would count it. Anything else takes the full call, which
 * repeats the checks and does what the interpreter does (poll, fault, trace). */

enum { TRIV_NONE, TRIV_GET, TRIV_SET, TRIV_CONST, TRIV_EMPTY };

typedef struct Trivial {
    int kind;
    int32_t field;      /* GET, SET: the field's slot                           */
    int set_op;         /* SET: PUTFIELD_Q, PUTFIELD_B_Q or PUTFIELD_Z_Q        */
    int64_t k;          /* CONST                                                */
} Trivial;

static int insn_op(const VmInsn *o) { return __atomic_load_n(&o->op, __ATOMIC_ACQUIRE); }

/* The vtable slot of a quick virtual call's method (the same in every subclass of
 * its class), or -1 (an interface's method, or one too far to encode). */
static int32_t vtable_slot(const VmInsn *o)
{
    const VmMethod *t = o->method;
    if (!t || t->cls->is_interface || t->vtable_index < 0 || t->vtable_index >= (1 << 24))
        return -1;
    return t->vtable_index;
}

static Trivial trivial(const VmMethod *t)
{
    Trivial r = {TRIV_NONE, 0, 0, 0};
    if (!t || !t->code || t->native || (t->flags & (CF_ACC_NATIVE | CF_ACC_ABSTRACT)) ||
        t->nhandlers || t->nlocals != t->nparams)
        return r;
    const VmInsn *c = t->code;
    uint32_t n = t->ncode;
    bool inst = !(t->flags & CF_ACC_STATIC);
    if (n >= 1 && insn_op(&c[0]) == VM_OP_RETURN_V) {
        r.kind = TRIV_EMPTY;
    } else if (n >= 2 && vm_op_base(insn_op(&c[1])) == VM_OP_RETURN &&
               (vm_op_base(insn_op(&c[0])) == VM_OP_ICONST ||
                vm_op_base(insn_op(&c[0])) == VM_OP_ACONST_NULL)) {
        r.kind = TRIV_CONST;
        r.k = vm_op_base(insn_op(&c[0])) == VM_OP_ICONST ? c[0].imm : 0;
    } else if (inst && t->nparams == 1 && n >= 3 && vm_op_base(insn_op(&c[0])) == VM_OP_LOAD &&
               c[0].local == 0 && insn_op(&c[1]) == VM_OP_GETFIELD_Q &&
               vm_op_base(insn_op(&c[2])) == VM_OP_RETURN && c[1].slot >= 0 && c[1].slot < (1 << 24)) {
        r.kind = TRIV_GET;
        r.field = c[1].slot;
    } else if (inst && t->nparams == 2 && n >= 4 && vm_op_base(insn_op(&c[0])) == VM_OP_LOAD &&
               c[0].local == 0 && vm_op_base(insn_op(&c[1])) == VM_OP_LOAD && c[1].local == 1 &&
               (insn_op(&c[2]) == VM_OP_PUTFIELD_Q || insn_op(&c[2]) == VM_OP_PUTFIELD_B_Q ||
                insn_op(&c[2]) == VM_OP_PUTFIELD_Z_Q) &&
               insn_op(&c[3]) == VM_OP_RETURN_V && c[2].slot >= 0 && c[2].slot < (1 << 24)) {
        r.kind = TRIV_SET;
        r.field = c[2].slot;
        r.set_op = insn_op(&c[2]);
    }
    return r;
}

/* The target of call instruction [i] if it is trivial, with the guard that
 * makes it the one the call dispatches to: [guard_cls] (the receiver's class
 * is that one, from the inline cache) or [vguard] (the receiver's vtable slot
 * holds the method). NULL if the call is not done inline. */
static VmMethod *trivial_site(Ctx *c, uint32_t i, int op, Trivial *tv, VmClass **guard_cls,
                              bool *vguard, bool *recv)
{
    VmInsn *o = &c->m->code[i];
    uint32_t nargs = o->nargs > 0 ? (uint32_t)o->nargs : 0;
    VmMethod *t = NULL;
    *guard_cls = NULL;
    *vguard = false;
    *recv = true;
    switch (op) {
    case VM_OP_INVOKE_Q:
        t = o->method;
        *recv = t && !(t->flags & CF_ACC_STATIC);
        break;
    case VM_OP_INVOKESPECIAL_Q:
        t = o->method;
        break;
    case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q: {
        VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
        VmMethod *ct = k ? o->cache_target : NULL;
        if (ct && trivial(ct).kind != TRIV_NONE) {
            t = ct;
            *guard_cls = k;
        } else if (op == VM_OP_INVOKEVIRTUAL_Q && o->method && o->method->vtable_index >= 0 &&
                   o->method->vtable_index < (1 << 24) && !o->method->cls->is_interface) {
            t = o->method;
            *vguard = true;
        }
        break;
    }
    default:
        return NULL;
    }
    *tv = trivial(t);
    if (tv->kind == TRIV_NONE || t->nparams != nargs || nargs > 2 || (nargs == 0 && *recv))
        return NULL;
    if ((tv->kind == TRIV_GET && nargs != 1) || (tv->kind == TRIV_SET && nargs != 2))
        return NULL;
    if (tv->kind == TRIV_CONST ? t->ret == CF_KIND_VOID : (tv->kind == TRIV_GET) != (t->ret != CF_KIND_VOID))
        return NULL;
    return t;
}

static void emit_call(Ctx *c, uint32_t i, int op, int32_t h);
static void jmp_ret(Ctx *c, uint32_t i);
static bool emit_inline_call(Ctx *c, uint32_t i, int op, int32_t h);
static void vflush(Ctx *c);
static void vpop(Ctx *c, JReg r);
static void vpush_r0(Ctx *c);
static void vpush_reg(Ctx *c, JReg r);
static void vpush_freg(Ctx *c, JFReg r);
static JFReg vpop_f(Ctx *c, JFReg tmp);
static bool vtop_is(const Ctx *c, int kind);
static JReg vs_ralloc(Ctx *c, JReg avoid);
static JFReg falloc(Ctx *c);
static void flush_entries(Ctx *c, const VsEntry *vs, uint32_t nv, int32_t top);
static void reload_entries(Ctx *c, const VsEntry *vs, uint32_t nv, int32_t top);

/* The checks of a call of [t] done at its site instead of through a frame
 * (arguments at height [h] - nargs): the value stack as vm_push_frame checks
 * it, to [full] when it has no room for [t]'s frame (implied by this frame's
 * own check when the callee's frame fits in it; the depth has room, by the
 * body's entry), then the step, to [undo] when a poll is due (the step is
 * given back there and the whole call made). */
static void inline_call_checks(Ctx *c, const VmMethod *t, int32_t h, uint32_t nargs,
                               JLabel full, JLabel undo)
{
    if (!room_known(c, h - (int32_t)nargs, t)) {
        uint64_t need = ((uint64_t)t->nlocals + t->max_stack + VM_FRAME_SPARE_SLOTS) * 8u;
        masm_alui(A, JA_ADD, JR_R1, JR_BASE, SLOT(h - (int32_t)nargs) + (int32_t)need);
        masm_brm(A, JC_ULT, JR_VM, offsetof(MicaVM, stack_end), JR_R1, full);
    }
    masm_step(A, undo);
}

/* The receiver in R0 of a call done here instead of made (a trivial callee's
 * template, an inlined body) is the one the call would dispatch to [t] for,
 * else to [full] (the whole call): not null unless [check] is false (known),
 * then its class is [guard_cls], or, with [vguard], its vtable's slot holds [t].
 * Clobbers R1, R2. */
static void receiver_guard(Ctx *c, bool check, VmClass *guard_cls, bool vguard,
                           const VmMethod *t, JLabel full)
{
    if (check)
        masm_bri(A, JC_EQ, JR_R0, 0, full);
    if (guard_cls) {
        masm_movi(A, JR_R2, (int64_t)(intptr_t)guard_cls);
        masm_brm(A, JC_NE, JR_R0, offsetof(VmObject, cls), JR_R2, full);
    } else if (vguard) {
        masm_ld(A, JR_R1, JR_R0, offsetof(VmObject, cls));
        masm_ld32s(A, JR_R2, JR_R1, offsetof(VmClass, vtable_len));
        masm_bri(A, JC_LE, JR_R2, t->vtable_index, full);
        masm_ld(A, JR_R1, JR_R1, offsetof(VmClass, vtable));
        masm_ld(A, JR_R1, JR_R1, (int32_t)(8 * t->vtable_index));
        masm_movi(A, JR_R2, (int64_t)(intptr_t)t);
        masm_br(A, JC_NE, JR_R1, JR_R2, full);
    }
}

/* Call instruction [i] at height [h] on the lazy stack with a trivial target:
 * the arguments are popped into registers, the checks made, the body done
 * inline; when a check fails they go back to their slots and the whole call
 * is made. The result (if any) becomes the lazy top. False if not trivial. */
static bool emit_trivial_call(Ctx *c, uint32_t i, int op, int32_t h)
{
    Trivial tv;
    VmClass *guard_cls;
    bool vguard, recv;
    VmMethod *t = trivial_site(c, i, op, &tv, &guard_cls, &vguard, &recv);
    if (!t)
        return false;
    uint32_t nargs = t->nparams;
    JLabel merge = masm_label(A);
    /* receiver in R0, a setter's value in R4, or a float value where it is
     * in a float register (a null receiver takes the whole call, which raises) */
    bool check = recv && need_null_check(c, nargs - 1);
    bool fset = nargs == 2 && tv.kind == TRIV_SET && tv.set_op == VM_OP_PUTFIELD_Q &&
                vtop_is(c, VS_FREG);
    JFReg fv = JF0;
    if (fset)
        fv = vpop_f(c, JF1);
    else if (nargs == 2)
        vpop(c, JR_R4);
    if (nargs >= 1)
        vpop(c, JR_R0);
    /* the result's register (a float's in a float register), the same on both
     * ways to [merge]; what stays on the lazy stack stays deferred (the stub
     * writes it to the frame around the whole call) */
    bool ret = t->ret != CF_KIND_VOID, fret = tv.kind == TRIV_GET && t->ret == CF_KIND_FLOAT;
    JReg d = JR_R0;
    JFReg fd = JF0;
    if (fret)
        fd = falloc(c);
    else if (ret)
        d = vs_ralloc(c, JR_COUNT);
    /* the whole call, from the frame's slots, out of line */
    Stub *st = call_stub(c, STUB_TRIVIAL, i, h, merge);
    if (!st)
        return true;
    memcpy(st->snap.vs, c->vs, c->nv * sizeof *c->vs);
    st->snap.nv = (uint8_t)c->nv;
    st->snap.top = c->top;
    st->snap.res_kind = fret ? VS_FREG : ret ? VS_REG : 0;
    st->snap.res_reg = fret ? (uint8_t)fd : (uint8_t)d;
    JLabel full = st->label, undo = masm_label(A);
    st->alt = undo;
    st->op = op;
    st->arg = (int32_t)nargs;
    st->ret = ret;
    st->arg_f = fset;
    st->arg_freg = (uint8_t)fv;
    if (recv)
        receiver_guard(c, check, guard_cls, vguard, t, full);
    inline_call_checks(c, t, h, nargs, full, undo);
    switch (tv.kind) {
    case TRIV_GET:
        if (fret)
            masm_fld(A, fd, JR_R0, vm_field_offset(tv.field));
        else
            masm_ld(A, d, JR_R0, vm_field_offset(tv.field));
        break;
    case TRIV_SET:
        if (tv.set_op == VM_OP_PUTFIELD_B_Q)
            masm_alui(A, JA_AND, JR_R4, JR_R4, 0xFF);
        else if (tv.set_op == VM_OP_PUTFIELD_Z_Q)
            masm_seti(A, JC_NE, JR_R4, JR_R4, 0);
        if (fset)
            masm_fst(A, fv, JR_R0, vm_field_offset(tv.field));
        else
            masm_st(A, JR_R4, JR_R0, vm_field_offset(tv.field));
        break;
    case TRIV_CONST:
        masm_movi(A, d, tv.k);
        break;
    default:
        break;
    }
    masm_bind(A, merge);
    if (fret)
        vpush_freg(c, fd);
    else if (ret)
        vpush_reg(c, d);
    return true;
}

/* The intrinsics of small Mica methods (vm/ops.h): Math.abs, min and max of
 * ints (and Int's), min and max of floats, at height [h] on the lazy stack,
 * with the interpreter's semantics (vm/interp.c): the checks the call would
 * make (depth, value stack, a step that is given back when a poll is due) as
 * for a trivial call, then the body inline; when a check fails the operands go
 * back to their slots and the call is made. The result becomes the lazy top.
 * False if [i] is not one of them. */
static bool emit_math_intrinsic(Ctx *c, uint32_t i, int32_t h)
{
    VmInsn *o = &c->m->code[i];
    int op = __atomic_load_n(&o->op, __ATOMIC_ACQUIRE);
    uint32_t nargs = op == VM_OP_IABS_Q ? 1 : 2;
    VmMethod *t = o->method;
    if (op != VM_OP_IABS_Q && op != VM_OP_IMIN_Q && op != VM_OP_IMAX_Q && op != VM_OP_FMIN_Q &&
        op != VM_OP_FMAX_Q)
        return false;
    if (!t || t->nparams != nargs || o->nargs != (int32_t)nargs)
        return false;
    JLabel full = masm_label(A), merge = masm_label(A), undo = masm_label(A);
    JLabel out = masm_label(A);
    /* operands in R0 (and R4); what stays on the lazy stack stays deferred
     * (the call below writes it to the frame around itself) */
    if (nargs == 2)
        vpop(c, JR_R4);
    vpop(c, JR_R0);
    VsEntry keep[VS_MAX];
    uint32_t nkeep = c->nv;
    memcpy(keep, c->vs, nkeep * sizeof *keep);
    int32_t args = SLOT(h - (int32_t)nargs);
    inline_call_checks(c, t, h, nargs, full, undo);
    switch (op) {
    case VM_OP_IABS_Q:
        /* 0 - a for a negative a: Int.MIN stays Int.MIN */
        masm_bri(A, JC_GE, JR_R0, 0, out);
        masm_neg(A, JR_R0, JR_R0);
        break;
    case VM_OP_IMIN_Q:
    case VM_OP_IMAX_Q:
        masm_br(A, op == VM_OP_IMIN_Q ? JC_LT : JC_GT, JR_R0, JR_R4, out);
        masm_mov(A, JR_R0, JR_R4);
        break;
    default: {
        /* a NaN operand gives 0.0 / 0.0 as this machine computes it (as the
         * interpreter and the method's own code do); otherwise a < b ? a : b
         * (min) or a > b ? a : b (max), so of two zeros the second wins */
        JLabel nan = masm_label(A);
        masm_fput(A, JF0, JR_R0);
        masm_fput(A, JF1, JR_R4);
        masm_fbr(A, JFC_NE, JF0, JF0, nan);
        masm_fbr(A, JFC_NE, JF1, JF1, nan);
        masm_fbr(A, op == VM_OP_FMIN_Q ? JFC_LT : JFC_GT, JF0, JF1, out);
        masm_mov(A, JR_R0, JR_R4);
        masm_jmp(A, out);
        masm_bind(A, nan);
        masm_movi(A, JR_R0, 0);
        masm_fput(A, JF0, JR_R0);
        masm_falu(A, JFA_DIV, JF0, JF0, JF0);
        masm_fget(A, JR_R0, JF0);
        break;
    }
    }
    masm_bind(A, out);
    masm_jmp(A, merge);
    /* the whole call, from the frame's slots */
    masm_bind(A, undo);
    masm_mov(A, JR_R3, JR_R0);
    masm_step_back(A);
    masm_mov(A, JR_R0, JR_R3);
    masm_bind(A, full);
    flush_entries(c, keep, nkeep, c->top);
    masm_st(A, JR_R0, JR_BASE, args);
    if (nargs == 2)
        masm_st(A, JR_R4, JR_BASE, args + 8);
    emit_call(c, i, op, h);
    reload_entries(c, keep, nkeep, c->top);
    masm_ld(A, JR_R0, JR_BASE, args);
    masm_bind(A, merge);
    vpush_r0(c);
    return true;
}

/* Calls: the target found inline (quick static/special calls, the inline
 * cache of virtual, interface and function-value calls, then the vtable)
 * and called directly; everything else through jit_h_invoke. */
/* A virtual, interface or function-value call's lookup after its inline
 * cache (receiver class in R0): the cache cell again, then the vtable or the
 * function class's memory; the target found is called directly. */
static void call_lookup(Ctx *c, uint32_t i, int op, int32_t h, JLabel slow, JLabel done,
                        bool falls)
{
    VmInsn *o = &c->m->code[i];
    uint32_t nargs = o->nargs > 0 ? (uint32_t)o->nargs : 0;
    JLabel hit = masm_label(A);
    masm_movi(A, JR_R1, (int64_t)(intptr_t)o);
    masm_ld(A, JR_R3, JR_R1, offsetof(VmInsn, cache_target));
    masm_ld(A, JR_R2, JR_R1, offsetof(VmInsn, cache_cls));
    masm_br(A, JC_EQ, JR_R0, JR_R2, hit);
    int32_t vi = vtable_slot(o);
    if (op == VM_OP_INVOKEVIRTUAL_Q && vi >= 0) {
        /* a miss: the vtable slot (the receiver's class is a subclass of
         * the method's, so its vtable extends the method's class's one) */
        masm_ld32s(A, JR_R2, JR_R0, offsetof(VmClass, vtable_len));
        masm_bri(A, JC_LE, JR_R2, vi, slow);
        masm_ld(A, JR_R0, JR_R0, offsetof(VmClass, vtable));
        masm_ld(A, JR_R3, JR_R0, (int32_t)(8 * vi));
    } else if (op == VM_OP_CALLFN && cf_utf8(c->m->cls->cf, o->cpi)) {
        /* a miss: the function class's own memory of its last `invoke`
         * for this descriptor (vm_callfn_target), when it is this site's */
        masm_ld(A, JR_R2, JR_R0, offsetof(VmClass, fn_desc));
        masm_movi(A, JR_R1, (int64_t)(intptr_t)cf_utf8(c->m->cls->cf, o->cpi));
        masm_br(A, JC_NE, JR_R1, JR_R2, slow);
        masm_ld(A, JR_R3, JR_R0, offsetof(VmClass, fn_target));
        masm_bri(A, JC_EQ, JR_R3, 0, slow);
    } else {
        masm_jmp(A, slow);
    }
    masm_bind(A, hit);
    fast_call(c, h, nargs, NULL, done, falls);
}

/* Calls: the target found inline (quick static/special calls, the inline
 * cache of virtual, interface and function-value calls, then the vtable)
 * and called directly; everything else through jit_h_invoke. What runs
 * only when a check fails is out of line (stubs), so the code that runs
 * is straight. */
/* A call of native [t], bound when this is compiled, with its arguments at
 * height [h] - nargs (fr->ip and fr->sp published), made without jit_h_call (no
 * lookup, no body to find; a native counts no step, and the depth has room, by
 * the body's entry). A plain shape (vm/native.c: the argument slots are the C
 * arguments) is called directly: the native's frame pushed here as
 * vm_call_native_frame pushes it, the arguments loaded into the C argument
 * registers (the VM first for a "mica" native), the function called, the frame
 * popped and the result stored as vm_call_native converts it. Other natives go
 * through jit_h_call_native. False if [t] is not such a native. */
static bool emit_native_call(Ctx *c, int32_t h, uint32_t nargs, const VmMethod *t)
{
    if (!t || !(t->flags & CF_ACC_NATIVE))
        return false;
    const VmNative *nat = __atomic_load_n((VmNative *const *)&t->native, __ATOMIC_ACQUIRE);
    if (!nat)
        return false;
    int32_t args = SLOT(h - (int32_t)nargs);
    if (!nat->plain || nat->nargs > 4) {
        arg_vm(c);
        masm_movi(A, masm_arg(1), (int64_t)(intptr_t)t);
        masm_alui(A, JA_ADD, masm_arg(2), JR_BASE, args);
        masm_call(A, (const void *)jit_h_call_native);
        masm_bri(A, JC_NE, JR_R0, 0, c->unwind);
        return true;
    }
    /* the frame: vm->frames[nframes], right above this one (R4) */
    masm_alui(A, JA_ADD, JR_R4, JR_FRAME, (int32_t)sizeof(VmFrame));
    masm_movi(A, JR_R3, (int64_t)(intptr_t)t);
    masm_st(A, JR_R3, JR_R4, offsetof(VmFrame, m));
    masm_sti(A, JR_R4, offsetof(VmFrame, ip), 0);
    masm_alui(A, JA_ADD, JR_R5, JR_BASE, args);
    masm_st(A, JR_R5, JR_R4, offsetof(VmFrame, base));
    masm_alui(A, JA_ADD, JR_R2, JR_R5, (int32_t)(t->nparams * 8u));
    masm_st(A, JR_R2, JR_R4, offsetof(VmFrame, sp));
    masm_movi(A, JR_R2, 0);
    masm_st8(A, JR_R2, JR_R4, offsetof(VmFrame, entry));
    masm_add32m(A, JR_VM, offsetof(MicaVM, nframes), 1);
    masm_ld(A, JR_R2, JR_R3, offsetof(VmMethod, invocations));
    masm_alui(A, JA_ADD, JR_R2, JR_R2, 1);
    masm_st(A, JR_R2, JR_R3, offsetof(VmMethod, invocations));
    /* the arguments: integers and references in order, floats in theirs */
    int ni = 0, nf = 0;
    int32_t slot = args;
    for (uint32_t k = 0; k < nat->nargs; k++) {
        char kd = nat->kinds[k];
        if (kd == VM_C_ENV) {
            masm_mov(A, masm_arg(ni++), JR_VM);
            continue;
        }
        if (kd == VM_C_FLOAT)
            masm_fld(A, masm_farg(nf++), JR_BASE, slot);
        else
            masm_ld(A, masm_arg(ni++), JR_BASE, slot);
        slot += 8;
    }
    masm_call(A, (const void *)nat->fn);
    masm_add32m(A, JR_VM, offsetof(MicaVM, nframes), -1);
    /* what it raised (or an exit, a fatal fault): vm_call_native's test */
    masm_ld(A, JR_R1, JR_VM, offsetof(MicaVM, roots));
    masm_ld(A, JR_R1, JR_R1, offsetof(VmRoots, pending));
    masm_bri(A, JC_NE, JR_R1, 0, c->unwind);
    masm_ld8(A, JR_R1, JR_VM, offsetof(MicaVM, fatal));
    masm_bri(A, JC_NE, JR_R1, 0, c->unwind);
    masm_ld8(A, JR_R1, JR_VM, offsetof(MicaVM, exiting));
    masm_bri(A, JC_NE, JR_R1, 0, c->unwind);
    switch (nat->ret_kind) {
    case VM_C_VOID:
        break;
    case VM_C_FLOAT:
        masm_fst(A, JF0, JR_BASE, args);
        break;
    case VM_C_BOOL:
    case VM_C_BYTE:
        masm_alui(A, JA_AND, JR_R0, JR_R0, 0xff);
        if (nat->ret_kind == VM_C_BOOL)
            masm_seti(A, JC_NE, JR_R0, JR_R0, 0);
        masm_st(A, JR_R0, JR_BASE, args);
        break;
    default:
        masm_st(A, JR_R0, JR_BASE, args);
        break;
    }
    return true;
}

static void emit_call(Ctx *c, uint32_t i, int op, int32_t h)
{
    VmInsn *o = &c->m->code[i];
    JLabel done = masm_label(A);
    bool recv_known = c->recv_known;
    c->recv_known = false;
    /* in an inlined body, the call is made from the callee's own frame */
    inl_push(c);
    sync(c, i, h);
    uint32_t nargs = o->nargs > 0 ? (uint32_t)o->nargs : 0;
    /* intrinsics not done inline are the calls they stand for */
    op = vm_op_base(op);
    bool fast = nargs > 0 || op == VM_OP_INVOKE_Q;
    if (op == VM_OP_CALLFN && o->nargs <= 0)
        fast = false;
    /* the call through jit_h_invoke (out of line), for what needs a lookup;
     * quick static calls and `new` find their target without it */
    JLabel slow = 0;
    if (!fast || (op != VM_OP_INVOKE_Q && op != VM_OP_NEW_Q)) {
        Stub *st = call_stub(c, STUB_INVOKE, i, h, done);
        if (!st)
            return;
        slow = st->label;
    }
    switch (fast ? op : -1) {
    case VM_OP_INVOKE_Q:
        if (emit_native_call(c, h, nargs, o->method))
            break;
        masm_movi(A, JR_R3, (int64_t)(intptr_t)o->method);
        fast_call(c, h, nargs, o->method, done, true);
        break;
    case VM_OP_INVOKESPECIAL_Q:
        if (!recv_known) {
            masm_ld(A, JR_R0, JR_BASE, SLOT(h - (int32_t)nargs));
            masm_bri(A, JC_EQ, JR_R0, 0, slow);
        }
        if (emit_native_call(c, h, nargs, o->method))
            break;
        masm_movi(A, JR_R3, (int64_t)(intptr_t)o->method);
        fast_call(c, h, nargs, o->method, done, true);
        break;
    case VM_OP_NEW_Q: {
        /* allocate, then [args] -> [obj obj args] and call the constructor; its
         * slow path only calls (the object exists by then) */
        uint32_t n = nargs - 1;
        arg_vm(c);
        masm_movi(A, masm_arg(1), (int64_t)(intptr_t)o->cache_cls);
        masm_call(A, (const void *)vm_new_object);
        masm_bri(A, JC_EQ, JR_R0, 0, c->unwind);
        for (uint32_t k = n; k-- > 0;) {
            masm_ld(A, JR_R1, JR_BASE, SLOT(h - (int32_t)n + (int32_t)k));
            masm_st(A, JR_R1, JR_BASE, SLOT(h - (int32_t)n + (int32_t)k + 2));
        }
        masm_st(A, JR_R0, JR_BASE, SLOT(h - (int32_t)n));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - (int32_t)n + 1));
        sync(c, i, h + 2);
        masm_movi(A, JR_R3, (int64_t)(intptr_t)o->method);
        fast_call(c, h + 2, nargs, o->method, done, true);
        break;
    }
    case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q:
    case VM_OP_CALLFN: {
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - (int32_t)nargs));
        if (!recv_known)
            masm_bri(A, JC_EQ, JR_R0, 0, slow);
        masm_ld(A, JR_R0, JR_R0, offsetof(VmObject, cls));
        /* the receiver class the cache held when this was compiled: its target
         * is known here, and so is the shape of its frame; other classes look
         * again out of line */
        VmClass *k0 = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
        VmMethod *t0 = k0 ? o->cache_target : NULL;
        if (t0 && t0->nparams == nargs) {
            Stub *miss = call_stub(c, STUB_MISS, i, h, done);
            if (!miss)
                return;
            miss->op = op;
            miss->alt = slow;
            masm_movi(A, JR_R1, (int64_t)(intptr_t)k0);
            masm_br(A, JC_NE, JR_R0, JR_R1, miss->label);
            if (!emit_native_call(c, h, nargs, t0)) {
                masm_movi(A, JR_R3, (int64_t)(intptr_t)t0);
                fast_call(c, h, nargs, t0, done, true);
            }
        } else {
            call_lookup(c, i, op, h, slow, done, true);
        }
        break;
    }
    default:
        masm_jmp(A, slow);
        break;
    }
    masm_bind(A, done);
    inl_pop(c);
}


/* ---- the lazy operand stack ------------------------------------------------ */

/* Writes [nv] entries of a lazy stack whose top is at height [top] to their
 * slots (uses R2; every other register is kept). */
static void flush_entries(Ctx *c, const VsEntry *vs, uint32_t nv, int32_t top)
{
    for (uint32_t j = 0; j < nv; j++) {
        int32_t slot = SLOT(top - (int32_t)nv + (int32_t)j);
        switch (vs[j].kind) {
        case VS_LOCAL:
            masm_ld(A, JR_R2, JR_BASE, LOC(vs[j].local));
            masm_st(A, JR_R2, JR_BASE, slot);
            break;
        case VS_CONST:
            if (vs[j].k >= INT32_MIN && vs[j].k <= INT32_MAX) {
                masm_sti(A, JR_BASE, slot, (int32_t)vs[j].k);
            } else {
                masm_movi(A, JR_R2, vs[j].k);
                masm_st(A, JR_R2, JR_BASE, slot);
            }
            break;
        case VS_FREG:
            masm_fst(A, (JFReg)vs[j].reg, JR_BASE, slot);
            break;
        default:
            masm_st(A, (JReg)vs[j].reg, JR_BASE, slot);
            break;
        }
    }
}

/* After a call made from a stub: the registers of the lazy stack written by
 * flush_entries hold their values again (a call keeps neither the float
 * registers nor, when compiled code is called, JR_T0 and JR_T1). */
static void reload_entries(Ctx *c, const VsEntry *vs, uint32_t nv, int32_t top)
{
    for (uint32_t j = 0; j < nv; j++) {
        int32_t slot = SLOT(top - (int32_t)nv + (int32_t)j);
        if (vs[j].kind == VS_FREG)
            masm_fld(A, (JFReg)vs[j].reg, JR_BASE, slot);
        else if (vs[j].kind == VS_REG)
            masm_ld(A, (JReg)vs[j].reg, JR_BASE, slot);
    }
}

/* Writes every deferred value to its slot (uses R2; every other register is kept). */
static void vflush(Ctx *c)
{
    flush_entries(c, c->vs, c->nv, c->top);
    c->nv = 0;
}

static bool vlocal_live(const Ctx *c, uint32_t local)
{
    for (uint32_t j = 0; j < c->nv; j++)
        if (c->vs[j].kind == VS_LOCAL && c->vs[j].local == local)
            return true;
    return false;
}

/* The registers that hold deferred integer values. */
static bool is_vreg(JReg r) { return r == JR_T0 || r == JR_T1; }

static bool vreg_used(const Ctx *c, int kind, int r)
{
    for (uint32_t j = 0; j < c->nv; j++)
        if (c->vs[j].kind == kind && c->vs[j].reg == r)
            return true;
    return false;
}

/* A register for a deferred integer value, not [avoid] (JR_COUNT: any), that
 * no deferred value uses; the lazy stack is written to memory when there is
 * none (uses R2 then). */
static JReg vs_ralloc(Ctx *c, JReg avoid)
{
    if (avoid != JR_T1 && !vreg_used(c, VS_REG, JR_T1))
        return JR_T1;
    if (avoid != JR_T0 && !vreg_used(c, VS_REG, JR_T0))
        return JR_T0;
    vflush(c);
    return avoid == JR_T1 ? JR_T0 : JR_T1;
}

/* The same for a float value: JF2..JF6 (the templates' own are JF0, JF1). */
static JFReg falloc_not(Ctx *c, JFReg avoid)
{
    for (int r = VS_FREG_FIRST; r <= VS_FREG_LAST; r++)
        if (r != (int)avoid && !vreg_used(c, VS_FREG, r))
            return (JFReg)r;
    vflush(c);
    return avoid == VS_FREG_FIRST ? (JFReg)(VS_FREG_FIRST + 1) : VS_FREG_FIRST;
}

static JFReg falloc(Ctx *c) { return falloc_not(c, JF0); }

static bool is_vfreg(JFReg r) { return r >= VS_FREG_FIRST && r <= VS_FREG_LAST; }

/* Pops the top entry (with c->top); false if the top value is in memory. */
static bool vtake(Ctx *c, VsEntry *e)
{
    c->top--;
    if (!c->nv)
        return false;
    *e = c->vs[--c->nv];
    return true;
}

/* Puts the value of entry [e] (or of the slot at c->top, [mem]) into [r]. */
static void vmaterialize(Ctx *c, const VsEntry *e, bool mem, JReg r)
{
    if (mem) {
        masm_ld(A, r, JR_BASE, SLOT(c->top));
        return;
    }
    switch (e->kind) {
    case VS_LOCAL: masm_ld(A, r, JR_BASE, LOC(e->local)); break;
    case VS_CONST: masm_movi(A, r, e->k); break;
    case VS_FREG: masm_fget(A, r, (JFReg)e->reg); break;
    default: masm_mov(A, r, (JReg)e->reg); break;
    }
}

/* Pops the top value into [r]. */
static void vpop(Ctx *c, JReg r)
{
    VsEntry e;
    bool mem = !vtake(c, &e);
    vmaterialize(c, &e, mem, r);
}

/* Pops the top value: the register that holds it, [r] unless it was deferred
 * in a register of its own (which is free from now on). */
static JReg vpop_r(Ctx *c, JReg r)
{
    VsEntry e;
    bool mem = !vtake(c, &e);
    if (!mem && e.kind == VS_REG)
        return (JReg)e.reg;
    vmaterialize(c, &e, mem, r);
    return r;
}

/* Pops the top value into a register that may receive a result deferred on
 * the lazy stack: its own if it has one, else a free one other than [avoid]. */
static JReg vpop_dst(Ctx *c, JReg avoid)
{
    VsEntry e;
    bool mem = !vtake(c, &e);
    if (!mem && e.kind == VS_REG)
        return (JReg)e.reg;
    JReg d = vs_ralloc(c, avoid);
    vmaterialize(c, &e, mem, d);
    return d;
}

/* Pops the top value as a float: the register that holds it ([tmp] unless it
 * was deferred in a register of its own, which is free from now on). */
static JFReg vpop_f(Ctx *c, JFReg tmp)
{
    VsEntry e;
    if (!vtake(c, &e)) {
        masm_fld(A, tmp, JR_BASE, SLOT(c->top));
        return tmp;
    }
    switch (e.kind) {
    case VS_LOCAL: masm_fld(A, tmp, JR_BASE, LOC(e.local)); return tmp;
    case VS_CONST:
        masm_movi(A, JR_R2, e.k);
        masm_fput(A, tmp, JR_R2);
        return tmp;
    case VS_FREG: return (JFReg)e.reg;
    default: masm_fput(A, tmp, (JReg)e.reg); return tmp;
    }
}

static bool vtop_is(const Ctx *c, int kind)
{
    return c->nv && c->vs[c->nv - 1].kind == kind;
}

/* Pops an object or array whose field or element is accessed: a local is
 * loaded into R5 (or found there, see Ctx.r5_local); anything else as vpop_r. */
static JReg vpop_obj(Ctx *c, JReg r)
{
    if (!vtop_is(c, VS_LOCAL) || c->vs[c->nv - 1].local >= c->m->nlocals)
        return vpop_r(c, r);
    int32_t l = (int32_t)c->vs[c->nv - 1].local;
    c->nv--;
    c->top--;
    if (c->r5_local != l) {
        masm_ld(A, JR_R5, JR_BASE, LOC(l));
        c->r5_local = l;
    }
    return JR_R5;
}

/* The templates that keep Ctx.r5_local valid: on the lazy stack, calling
 * nothing and leaving R5 alone (their stubs that come back do not either). */
static bool obj_keeps(int base)
{
    switch (base) {
    case VM_OP_LOAD: case VM_OP_ICONST: case VM_OP_ACONST_NULL: case VM_OP_STORE:
    case VM_OP_DUP: case VM_OP_POP: case VM_OP_GETFIELD_Q: case VM_OP_PUTFIELD_Q: case VM_OP_ARRAYLENGTH:
    case VM_OP_IALOAD: case VM_OP_FALOAD: case VM_OP_AALOAD: case VM_OP_BALOAD:
    case VM_OP_IASTORE: case VM_OP_FASTORE: case VM_OP_BASTORE:
    case VM_OP_IADD: case VM_OP_ISUB: case VM_OP_IMUL: case VM_OP_IAND: case VM_OP_IOR:
    case VM_OP_IXOR: case VM_OP_FADD: case VM_OP_FSUB: case VM_OP_FMUL: case VM_OP_FDIV:
    case VM_OP_I2F: case VM_OP_JZ:
    case VM_OP_EQZ: case VM_OP_IEQ: case VM_OP_INE: case VM_OP_ILT: case VM_OP_ILE:
    case VM_OP_IGT: case VM_OP_IGE: case VM_OP_AEQ: case VM_OP_ANE: case VM_OP_FEQ:
    case VM_OP_FNE: case VM_OP_FLT: case VM_OP_FLE: case VM_OP_FGT: case VM_OP_FGE:
        return true;
    default:
        return false;
    }
}

/* True (and pops it) if the top value is a constant that fits 32 bits. */
static bool vpop_imm(Ctx *c, int32_t *imm)
{
    if (!c->nv || c->vs[c->nv - 1].kind != VS_CONST || c->vs[c->nv - 1].k < INT32_MIN ||
        c->vs[c->nv - 1].k > INT32_MAX)
        return false;
    *imm = (int32_t)c->vs[--c->nv].k;
    c->top--;
    return true;
}

static void vpush(Ctx *c, uint8_t kind, uint32_t local, int64_t k)
{
    if (c->nv == VS_MAX) {
        /* keep the newest ones deferred: flush everything (simple and rare) */
        vflush(c);
    }
    c->vs[c->nv] = (VsEntry){.kind = kind, .local = local, .k = k};
    c->nv++;
    c->top++;
}

/* Pushes the value in [r] (from vs_ralloc, or a popped value's) as the new top. */
static void vpush_reg(Ctx *c, JReg r)
{
    vpush(c, VS_REG, 0, 0);
    c->vs[c->nv - 1].reg = (uint8_t)r;
}

/* Pushes R0 as the new top. */
static void vpush_r0(Ctx *c)
{
    JReg d = vs_ralloc(c, JR_COUNT);
    masm_mov(A, d, JR_R0);
    vpush_reg(c, d);
}

/* Pushes float register [r] (from falloc, or a popped value's) as the new top. */
static void vpush_freg(Ctx *c, JFReg r)
{
    vpush(c, VS_FREG, 0, 0);
    c->vs[c->nv - 1].reg = (uint8_t)r;
}

/* The instructions handled on the lazy stack; true if [base] was emitted. */
static bool emit_lazy(Ctx *c, uint32_t i, int base)
{
    VmInsn *o = &c->m->code[i];
    switch (base) {
    case VM_OP_LOAD:
        if (c->fwd_idx != UINT32_MAX &&
            c->fwd.kind != VS_LOCAL &&
            c->fwd_local == o->local &&
            (c->fwd.kind == VS_CONST || !vreg_used(c, c->fwd.kind, c->fwd.reg))) {
            VsEntry e = c->fwd;
            vpush(c, e.kind, 0, e.k);
            c->vs[c->nv - 1].reg = e.reg;
            return true;
        }
        vpush(c, VS_LOCAL, o->local, 0);
        return true;
    case VM_OP_ICONST:
        vpush(c, VS_CONST, 0, o->imm);
        return true;
    case VM_OP_ACONST_NULL:
        vpush(c, VS_CONST, 0, 0);
        return true;
    case VM_OP_STORE: {
        c->fwd_local = o->local;
        if (c->r5_local == (int32_t)o->local)
            c->r5_local = -1;
        if (vtop_is(c, VS_FREG)) {
            JFReg r = vpop_f(c, JF0);
            if (vlocal_live(c, o->local))
                vflush(c);
            masm_fst(A, r, JR_BASE, LOC(o->local));
            c->fwd_idx = i;
            c->fwd = (VsEntry){.kind = VS_FREG, .reg = (uint8_t)r};
            return true;
        }
        int32_t imm;
        if (vpop_imm(c, &imm)) {
            if (vlocal_live(c, o->local))
                vflush(c);
            masm_sti(A, JR_BASE, LOC(o->local), imm);
            c->fwd_idx = i;
            c->fwd = (VsEntry){.kind = VS_CONST, .k = imm};
            return true;
        }
        JReg r = vpop_r(c, JR_R1);
        if (vlocal_live(c, o->local))
            vflush(c);
        masm_st(A, r, JR_BASE, LOC(o->local));
        if (is_vreg(r)) {
            c->fwd_idx = i;
            c->fwd = (VsEntry){.kind = VS_REG, .reg = (uint8_t)r};
        }
        return true;
    }
    case VM_OP_FADD: case VM_OP_FSUB: case VM_OP_FMUL: case VM_OP_FDIV: {
        JFAlu k = base == VM_OP_FADD ? JFA_ADD : base == VM_OP_FSUB ? JFA_SUB
                : base == VM_OP_FMUL ? JFA_MUL : JFA_DIV;
        if (c->nv >= 2 && vtop_is(c, VS_LOCAL) && c->vs[c->nv - 2].kind == VS_LOCAL &&
            c->vs[c->nv - 2].local == c->vs[c->nv - 1].local) {
            /* x op x: one load */
            c->nv--;
            c->top--;
            JFReg d = falloc(c);
            JFReg r = vpop_f(c, d);
            masm_falu(A, k, d, r, r);
            vpush_freg(c, d);
            return true;
        }
        JFReg rb = vpop_f(c, JF1);
        JFReg ra, d;
        if (vtop_is(c, VS_FREG)) {
            ra = d = vpop_f(c, JF0);
        } else {
            /* a's value straight into the result's register */
            d = falloc_not(c, rb);
            ra = vpop_f(c, d);
        }
        masm_falu(A, k, d, ra, rb);
        vpush_freg(c, d);
        return true;
    }
    case VM_OP_I2F: {
        JReg r = vpop_r(c, JR_R0);
        JFReg d = falloc(c);
        masm_i2f(A, d, r);
        vpush_freg(c, d);
        return true;
    }
    case VM_OP_FNEG:
        vpop(c, JR_R0);
        masm_movi(A, JR_R1, INT64_MIN);
        masm_alu(A, JA_XOR, JR_R0, JR_R0, JR_R1);
        vpush_r0(c);
        return true;
    case VM_OP_DUP:
        if (vtop_is(c, VS_LOCAL) || vtop_is(c, VS_CONST)) {
            VsEntry e = c->vs[c->nv - 1];
            vpush(c, e.kind, e.local, e.k);
            return true;
        }
        return false;
    case VM_OP_IINC:
        if (vlocal_live(c, o->local))
            vflush(c);
        return false;
    case VM_OP_POP:
        if (c->nv) {
            c->nv--;
            c->top--;
            return true;
        }
        return false;
    case VM_OP_IADD: case VM_OP_ISUB: case VM_OP_IMUL: case VM_OP_IAND: case VM_OP_IOR:
    case VM_OP_IXOR: {
        JAlu k = base == VM_OP_IADD ? JA_ADD : base == VM_OP_ISUB ? JA_SUB
               : base == VM_OP_IMUL ? JA_MUL : base == VM_OP_IAND ? JA_AND
               : base == VM_OP_IOR ? JA_OR : JA_XOR;
        int32_t imm;
        JReg d;
        if (vpop_imm(c, &imm)) {
            d = vpop_dst(c, JR_COUNT);
            masm_alui(A, k, d, d, imm);
        } else {
            JReg rb = vpop_r(c, JR_R1);
            d = vpop_dst(c, rb);
            masm_alu(A, k, d, d, rb);
        }
        vpush_reg(c, d);
        return true;
    }
    case VM_OP_GETFIELD_Q: {
        bool check = need_null_check(c, 0);
        JReg r = vpop_obj(c, JR_R0);
        JReg d = is_vreg(r) ? r : vs_ralloc(c, JR_COUNT);
        if (check)
            masm_bri(A, JC_EQ, r, 0, stub_keep(c, STUB_NULL_FIELD, i, c->top + 1));
        masm_ld(A, d, r, vm_field_offset(o->slot));
        vpush_reg(c, d);
        return true;
    }
    case VM_OP_PUTFIELD_Q: {
        bool check = need_null_check(c, 1);
        int32_t imm = 0;
        bool k = vpop_imm(c, &imm);
        JReg v = k ? JR_R1 : vpop_r(c, JR_R1);
        JReg r = vpop_obj(c, JR_R0);
        if (check)
            masm_bri(A, JC_EQ, r, 0, stub_keep(c, STUB_NULL_FIELD, i, c->top + 2));
        if (k)
            masm_sti(A, r, vm_field_offset(o->slot), imm);
        else
            masm_st(A, v, r, vm_field_offset(o->slot));
        return true;
    }
    case VM_OP_ARRAYLENGTH: {
        JReg r = vpop_obj(c, JR_R0);
        JReg d = is_vreg(r) ? r : vs_ralloc(c, JR_COUNT);
        masm_bri(A, JC_EQ, r, 0, stub_keep(c, STUB_NULL_LENGTH, i, c->top + 1));
        masm_ld(A, d, r, offsetof(VmArray, length));
        vpush_reg(c, d);
        return true;
    }
    case VM_OP_IALOAD: case VM_OP_FALOAD: case VM_OP_AALOAD: case VM_OP_BALOAD: {
        JReg ix = vpop_r(c, JR_R1);
        JReg ar = vpop_obj(c, JR_R0);
        JReg d = is_vreg(ar) ? ar : is_vreg(ix) ? ix : vs_ralloc(c, JR_COUNT);
        element_check(c, i, c->top + 2, ar, ix);
        if (base == VM_OP_BALOAD)
            masm_ldx8(A, d, ar, ix, (int32_t)sizeof(VmArray));
        else
            masm_ldx(A, d, ar, ix, 3, (int32_t)sizeof(VmArray));
        vpush_reg(c, d);
        return true;
    }
    case VM_OP_IASTORE: case VM_OP_FASTORE: {
        /* aastore: on the stack (emit_insn), its store check may call a helper */
        JReg v = vpop_r(c, JR_R3);
        JReg ix = vpop_r(c, JR_R1);
        JReg ar = vpop_obj(c, JR_R0);
        element_check(c, i, c->top + 3, ar, ix);
        masm_stx(A, v, ar, ix, 3, (int32_t)sizeof(VmArray));
        return true;
    }
    case VM_OP_BASTORE: {
        /* a byte, or a bool (normalized to 0 or 1) when the array's elements
         * are bools: a constant 0 or 1 is both */
        bool k01 = vtop_is(c, VS_CONST) && (c->vs[c->nv - 1].k == 0 || c->vs[c->nv - 1].k == 1);
        JReg v = vpop_r(c, JR_R3);
        JReg ix = vpop_r(c, JR_R1);
        JReg ar = vpop_obj(c, JR_R0);
        element_check(c, i, c->top + 3, ar, ix);
        if (!k01) {
            JLabel store = masm_label(A);
            masm_ld(A, JR_R2, ar, offsetof(VmArray, cls));
            masm_ld8(A, JR_R2, JR_R2, offsetof(VmClass, elem_kind));
            masm_bri(A, JC_NE, JR_R2, CF_KIND_BOOL, store);
            masm_seti(A, JC_NE, v, v, 0);
            masm_bind(A, store);
        }
        masm_stx8(A, v, ar, ix, (int32_t)sizeof(VmArray));
        return true;
    }
    case VM_OP_JZ: {
        JReg r = vpop_r(c, JR_R0);
        vflush(c);
        facts_jump(c, i, (uint32_t)o->target, -1);
        masm_bri(A, JC_EQ, r, 0, c->labels[o->target]);
        return true;
    }
    case VM_OP_INVOKE_Q: case VM_OP_INVOKESPECIAL_Q: case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q: {
        int op = insn_op(o);
        if (op == VM_OP_FSQRT_Q) {
            /* the native's frame always fits in a compiled body (see emit_intrinsic) */
            JFReg s = vpop_f(c, JF0);
            JFReg d = is_vfreg(s) ? s : falloc(c);
            masm_fsqrt(A, d, s);
            vpush_freg(c, d);
            return true;
        }
        if (base == VM_OP_INVOKE_Q && emit_math_intrinsic(c, i, c->top))
            return true;
        return emit_trivial_call(c, i, base, c->top) || emit_inline_call(c, i, base, c->top);
    }
    case VM_OP_RETURN: {
        JReg r = vpop_r(c, JR_R0);
        c->nv = 0;
        masm_st(A, r, JR_BASE, c->boff);
        jmp_ret(c, i);
        return true;
    }
    default:
        return false;
    }
}


/* Return instruction [i] goes to c->ret, which an inlined body binds right
 * after its last instruction: no jump from the last one that runs. */
static void jmp_ret(Ctx *c, uint32_t i)
{
    if (c->inl_parent) {
        uint32_t k = i + 1;
        while (k < c->m->ncode && c->m->heights[k] < 0)
            k++;
        if (k == c->m->ncode)
            return;
    }
    masm_jmp(A, c->ret);
}

static bool is_cmp(int base)
{
    switch (base) {
    case VM_OP_EQZ: case VM_OP_IEQ: case VM_OP_INE: case VM_OP_ILT: case VM_OP_ILE:
    case VM_OP_IGT: case VM_OP_IGE: case VM_OP_AEQ: case VM_OP_ANE: case VM_OP_FEQ:
    case VM_OP_FNE: case VM_OP_FLT: case VM_OP_FLE: case VM_OP_FGT: case VM_OP_FGE:
        return true;
    default:
        return false;
    }
}

/* Comparisons, fused with what follows when it is [eqz] (jz | br_if) and
 * nothing jumps in between: one compare and one branch. */
static void emit_cmp(Ctx *c, uint32_t i, int base, uint32_t *skip)
{
    VmMethod *m = c->m;
    int nin = base == VM_OP_EQZ ? 1 : 2;
    uint32_t j = i + 1;
    bool negate = false;
    if (base != VM_OP_EQZ && j < m->ncode && !c->target[j] &&
        vm_op_base(m->code[j].op) == VM_OP_EQZ) {
        negate = true;
        j++;
    }
    int nb = j < m->ncode && !c->target[j] ? vm_op_base(m->code[j].op) : -1;
    bool fuse = nb == VM_OP_JZ || nb == VM_OP_BR_IF;
    if (!fuse) {
        negate = false;
        j = i + 1;
    }
    JCond ic = JC_NE;
    JFCond fc = JFC_EQ;
    bool fl = is_fcmp(base);
    bool use_imm = false;
    int32_t imm = 0;
    JFReg fa = JF0, fb = JF1;
    JReg ra = JR_R0, rb = JR_R1;
    int32_t mem_local = -1; /* >= 0: the fused compare is (this local) ic ra */
    /* a local compared with null (pre-decoding made aeq, ane ieq, ine): not
     * null on one way out. (An int local compared with 0 is then "not null"
     * where it is not 0, which nothing asks: a null check is of a reference.) */
    int null_local = -1;
    if (fuse && (base == VM_OP_IEQ || base == VM_OP_INE || base == VM_OP_AEQ ||
                 base == VM_OP_ANE) && c->nv >= 2) {
        const VsEntry *x = &c->vs[c->nv - 2], *y = &c->vs[c->nv - 1];
        if (y->kind == VS_CONST && y->k == 0 && x->kind == VS_LOCAL && x->local < m->nlocals)
            null_local = (int)x->local;
        else if (x->kind == VS_CONST && x->k == 0 && y->kind == VS_LOCAL && y->local < m->nlocals)
            null_local = (int)y->local;
    }
    if (fl) {
        fb = vpop_f(c, JF1);
        fa = vpop_f(c, JF0);
        fc = fcond(base);
    } else if (base == VM_OP_EQZ) {
        ra = vpop_r(c, JR_R0);
        ic = JC_EQ;
        use_imm = true;
    } else if (fuse && vtop_is(c, VS_LOCAL) && c->nv >= 2 && c->vs[c->nv - 2].kind != VS_LOCAL &&
               c->vs[c->nv - 2].kind != VS_CONST) {
        /* a (in a register) against the local b, in memory: b cond' a */
        mem_local = (int32_t)c->vs[c->nv - 1].local;
        c->nv--;
        c->top--;
        ra = vpop_r(c, JR_R0);
        ic = swapped(icond(base));
    } else if (fuse && c->nv >= 2 && c->vs[c->nv - 2].kind == VS_LOCAL && !vtop_is(c, VS_CONST)) {
        /* the local a, in memory, against b */
        rb = vpop_r(c, JR_R1);
        mem_local = (int32_t)c->vs[c->nv - 1].local;
        c->nv--;
        c->top--;
        ra = rb;
        ic = icond(base);
    } else {
        use_imm = vpop_imm(c, &imm);
        if (!use_imm)
            rb = vpop_r(c, JR_R1);
        ra = vpop_r(c, JR_R0);
        ic = icond(base);
    }
    if (!fuse) {
        JReg d = vs_ralloc(c, JR_COUNT);
        if (fl)
            masm_fset(A, fc, d, fa, fb);
        else if (use_imm)
            masm_seti(A, ic, d, ra, imm);
        else
            masm_set(A, ic, d, ra, rb);
        vpush_reg(c, d);
        return;
    }
    /* the branch goes to memory-held state: everything else is written first */
    vflush(c);
    VmInsn *bo = &m->code[j];
    int32_t hb = (int32_t)m->heights[i] - nin + 1; /* height before the branch */
    /* a br_if that is a plain forward jump when taken: one branch there */
    bool direct = nb == VM_OP_BR_IF && (uint32_t)bo->target > j &&
                  (bo->arity == 0 || hb - 1 - bo->arity == (int32_t)bo->height);
    JLabel zero = nb == VM_OP_JZ ? c->labels[bo->target] : masm_label(A);
    /* the compare's value 1 means the local is not null (ANE) or null (AEQ,
     * negated by an eqz); jz jumps on 0, br_if on 1 */
    bool one_nonnull = (base == VM_OP_ANE || base == VM_OP_INE) != negate;
    bool taken_nonnull = (nb == VM_OP_BR_IF) == one_nonnull;
    facts_jump(c, j, (uint32_t)bo->target, taken_nonnull ? null_local : -1);
    JCond when_zero = negate ? ic : inverse(ic);
    JCond cond = direct ? inverse(when_zero) : when_zero;
    JLabel to = direct ? c->labels[bo->target] : zero;
    if (c->again) {
        /* the loop's test again at its back edge (loop_test_again): on to the
         * loop's body on the negation of the way out, else out */
        static const JFCond fnot[] = {[JFC_EQ] = JFC_NE, [JFC_NE] = JFC_EQ, [JFC_LT] = JFC_NLT,
                                      [JFC_LE] = JFC_NLE, [JFC_GT] = JFC_NGT, [JFC_GE] = JFC_NGE};
        if (fl)
            masm_fbr(A, negate != direct ? fnot[fc] : fc, fa, fb, c->again_body);
        else if (mem_local >= 0)
            masm_brm(A, inverse(cond), JR_BASE, LOC(mem_local), ra, c->again_body);
        else if (use_imm)
            masm_bri(A, inverse(cond), ra, imm, c->again_body);
        else
            masm_br(A, inverse(cond), ra, rb, c->again_body);
        masm_jmp(A, to);
        *skip = j - i;
        return;
    }
    if (fl) {
        /* float: on the condition, or on its negation (true on NaN) */
        static const JFCond fnot[] = {[JFC_EQ] = JFC_NE, [JFC_NE] = JFC_EQ, [JFC_LT] = JFC_NLT,
                                      [JFC_LE] = JFC_NLE, [JFC_GT] = JFC_NGT, [JFC_GE] = JFC_NGE};
        masm_fbr(A, negate != direct ? fc : fnot[fc], fa, fb, to);
    } else if (mem_local >= 0) {
        masm_brm(A, cond, JR_BASE, LOC(mem_local), ra, to);
    } else if (use_imm) {
        masm_bri(A, cond, ra, imm, to);
    } else {
        masm_br(A, cond, ra, rb, to);
    }
    if (nb == VM_OP_BR_IF && !direct) {
        take(c, j, hb - 1, (int32_t)bo->height, bo->arity, (uint32_t)bo->target);
        masm_bind(A, zero);
        c->r5_local = -1; /* take: a poll's call */
    } else if (direct) {
        masm_bind(A, zero);
    }
    if (null_local >= 0 && !taken_nonnull)
        c->nonnull[null_local] = true;
    *skip = j - i;
}

/* Intrinsics of natives (vm/ops.h) done inline: Math.sqrt and Math.abs of a
 * float; String.length of a string whose code points are counted and
 * codePointAt in an ASCII one; String.equals up to comparing the bytes of
 * two strings of one length (a C helper); through C helpers that make no call,
 * String.charAt and substring in an ASCII string (they allocate the result
 * under the native's frame, as the interpreter does) and Arrays.copy (which raises
 * nothing: it copies only when no check can fail). The check their native
 * call would make (a frame left for it) always holds in a compiled body (see
 * its entry); when a check of their own fails or a helper declines, the
 * call, which raises what the interpreter's does. True if emitted.
 * (Math.abs, min and max of Mica methods: emit_math_intrinsic.) */
static bool emit_intrinsic(Ctx *c, uint32_t i, int op, int32_t h)
{
    if (op != VM_OP_FSQRT_Q && op != VM_OP_FABS_Q && op != VM_OP_ACOPY_Q &&
        op != VM_OP_STRLEN_Q && op != VM_OP_CODEPOINT_Q && op != VM_OP_CHARAT_Q &&
        op != VM_OP_STREQ_Q && op != VM_OP_SUBSTR_Q)
        return false;
    JLabel call = masm_label(A), done = masm_label(A);
    if (op == VM_OP_CHARAT_Q || op == VM_OP_SUBSTR_Q) {
        /* allocates under the native's frame, above this one: in an inlined
         * body, above the callee's own frame (inl_push) */
        inl_push(c);
        sync(c, i, h);
        arg_vm(c);
        masm_movi(A, masm_arg(1), (int64_t)(intptr_t)&c->m->code[i]);
        masm_alui(A, JA_ADD, masm_arg(2), JR_BASE, SLOT(h));
        masm_call(A, op == VM_OP_CHARAT_Q ? (const void *)jit_h_charat
                                          : (const void *)jit_h_substring);
        masm_bri(A, JC_LT, JR_R0, 0, c->unwind);
        inl_pop(c);
        masm_bri(A, JC_EQ, JR_R0, 0, call);
    } else if (op == VM_OP_STREQ_Q) {
        /* String.equals: the same object, else null, another class, another
         * length or another first byte (a NUL when empty) decide inline, and so
         * does a length of at most 1; longer strings compare the rest in C */
        JLabel yes = masm_label(A), no = masm_label(A);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_bri(A, JC_EQ, JR_R0, 0, call);
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_br(A, JC_EQ, JR_R0, JR_R1, yes);
        masm_bri(A, JC_EQ, JR_R1, 0, no);
        masm_ld(A, JR_R2, JR_R0, offsetof(VmObject, cls));
        masm_brm(A, JC_NE, JR_R1, offsetof(VmObject, cls), JR_R2, no);
        masm_ld(A, JR_R2, JR_R0, offsetof(VmString, length));
        masm_brm(A, JC_NE, JR_R1, offsetof(VmString, length), JR_R2, no);
        masm_ld8(A, JR_R3, JR_R0, offsetof(VmString, bytes));
        masm_ld8(A, JR_R4, JR_R1, offsetof(VmString, bytes));
        masm_br(A, JC_NE, JR_R3, JR_R4, no);
        masm_bri(A, JC_LE, JR_R2, 1, yes);
        masm_ld(A, masm_arg(0), JR_BASE, SLOT(h - 2));
        masm_ld(A, masm_arg(1), JR_BASE, SLOT(h - 1));
        masm_call(A, (const void *)jit_h_string_bytes_equal);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_jmp(A, done);
        masm_bind(A, yes);
        masm_sti(A, JR_BASE, SLOT(h - 2), 1);
        masm_jmp(A, done);
        masm_bind(A, no);
        masm_sti(A, JR_BASE, SLOT(h - 2), 0);
    } else if (op == VM_OP_STRLEN_Q || op == VM_OP_CODEPOINT_Q) {
        int32_t at = SLOT(h - (op == VM_OP_STRLEN_Q ? 1 : 2));
        masm_ld(A, JR_R0, JR_BASE, at);
        masm_bri(A, JC_EQ, JR_R0, 0, call);
        masm_ld8(A, JR_R1, JR_R0, offsetof(VmString, cp_known));
        masm_bri(A, JC_EQ, JR_R1, 0, call);
        if (op == VM_OP_STRLEN_Q) {
            masm_ld(A, JR_R0, JR_R0, offsetof(VmString, cp_length));
        } else {
            /* ASCII: the index is a byte index, unsigned so that a negative
             * one is out of range */
            masm_ld8(A, JR_R1, JR_R0, offsetof(VmString, ascii));
            masm_bri(A, JC_EQ, JR_R1, 0, call);
            masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
            masm_ld(A, JR_R2, JR_R0, offsetof(VmString, length));
            masm_br(A, JC_UGE, JR_R1, JR_R2, call);
            masm_ldx8(A, JR_R0, JR_R0, JR_R1, (int32_t)offsetof(VmString, bytes));
        }
        masm_st(A, JR_R0, JR_BASE, at);
    } else if (op == VM_OP_ACOPY_Q) {
        masm_alui(A, JA_ADD, masm_arg(0), JR_BASE, SLOT(h - 5));
        masm_call(A, (const void *)jit_h_array_copy);
        masm_bri(A, JC_EQ, JR_R0, 0, call);
    } else if (op == VM_OP_FSQRT_Q) {
        masm_fld(A, JF0, JR_BASE, SLOT(h - 1));
        masm_fsqrt(A, JF0, JF0);
        masm_fst(A, JF0, JR_BASE, SLOT(h - 1));
    } else {
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_movi(A, JR_R1, INT64_MAX);
        masm_alu(A, JA_AND, JR_R0, JR_R0, JR_R1);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
    }
    masm_jmp(A, done);
    masm_bind(A, call);
    /* the call [op] stands for (String's: with its null receiver check) */
    emit_call(c, i, op, h);
    masm_bind(A, done);
    return true;
}

static void emit_insn(Ctx *c, uint32_t i, uint32_t *skip);

/* A back edge from [i] to loop header [dst] (nothing left on the lazy stack,
 * the poll made) whose header is only a test that leaves the loop (operands
 * that are locals, constants, their fields or array lengths, a compare, jz or
 * br_if forward past [i]; the checks of fields and lengths are made again with
 * what is known at the back edge, which holds there): the
 * test again here, going back to the instruction after it or out, instead of
 * a jump to the header that makes it (one jump less per iteration). False
 * (nothing emitted) when the header is not such a test. */
static bool loop_test_again(Ctx *c, uint32_t i, uint32_t dst)
{
    const VmMethod *m = c->m;
    uint32_t k = dst, n = 0;
    while (k < m->ncode && k - dst < 4) {
        int op = insn_op(&m->code[k]), b = vm_op_base(op);
        if (b == VM_OP_LOAD || b == VM_OP_ICONST || b == VM_OP_ACONST_NULL)
            n++;
        else if ((op != VM_OP_GETFIELD_Q && op != VM_OP_ARRAYLENGTH) || n == 0)
            break;
        k++;
    }
    if (k >= m->ncode || !is_cmp(vm_op_base(m->code[k].op)))
        return false;
    int cb = vm_op_base(m->code[k].op);
    if (n != (cb == VM_OP_EQZ ? 1u : 2u))
        return false;
    uint32_t j = k + 1;
    if (cb != VM_OP_EQZ && j < m->ncode && vm_op_base(m->code[j].op) == VM_OP_EQZ)
        j++;
    if (j >= m->ncode || j >= i)
        return false;
    for (uint32_t q = dst; q <= j; q++)
        if ((q > dst && c->target[q]) || m->heights[q] < 0)
            return false;
    const VmInsn *bo = &m->code[j];
    int nb = vm_op_base(bo->op);
    if (nb != VM_OP_JZ && !(nb == VM_OP_BR_IF && bo->arity == 0))
        return false;
    if ((uint32_t)bo->target <= i || (uint32_t)bo->target >= m->ncode)
        return false;
    c->again = true;
    c->again_body = c->labels[j + 1];
    for (uint32_t q = dst; q <= k; q++) {
        uint32_t skip = 0;
        emit_insn(c, q, &skip);
    }
    c->again = false;
    return !c->failed;
}

static void emit_insn(Ctx *c, uint32_t i, uint32_t *skip)
{
    VmMethod *m = c->m;
    VmInsn *o = &m->code[i];
    int op = __atomic_load_n(&o->op, __ATOMIC_ACQUIRE);
    int base = vm_op_base(op);
    int32_t h = m->heights[i];
    *skip = 0;
    if ((base == VM_OP_STORE || base == VM_OP_IINC) && o->local < m->nlocals)
        c->nonnull[o->local] = false;
    if (c->nv && c->top != h) {
        /* the lazy stack lost track: never emit wrong code, interpret instead */
        c->failed = true;
        return;
    }
    c->top = h;
    /* a store's register or constant stays valid for its local across
     * instructions that emit nothing (loads, constants), not into a jump target */
    if (c->target[i] || (base != VM_OP_LOAD && base != VM_OP_ICONST && base != VM_OP_ACONST_NULL))
        c->fwd_idx = UINT32_MAX;
    if (c->target[i] || !obj_keeps(base))
        c->r5_local = -1;
    if (is_cmp(base)) {
        emit_cmp(c, i, base, skip);
        return;
    }
    if (emit_lazy(c, i, base))
        return;
    /* a call's receiver (or function value) known not to be null: the call
     * leaves out its check (it is known from here on, as the call raises) */
    bool recv_known = (base == VM_OP_INVOKESPECIAL_Q || base == VM_OP_INVOKEVIRTUAL_Q ||
                       base == VM_OP_INVOKEIFACE_Q || base == VM_OP_CALLFN) &&
                      o->nargs > 0 && !need_null_check(c, (uint32_t)o->nargs - 1);
    vflush(c);
    switch (base) {
    case VM_OP_UNREACHABLE:
        inl_push(c);
        sync(c, i, h);
        arg_vm(c);
        masm_movi(A, masm_arg(1), JIT_FAULT_UNREACHABLE);
        masm_movi(A, masm_arg(2), (int64_t)(intptr_t)o);
        masm_call(A, (const void *)jit_h_fault);
        masm_jmp(A, c->unwind);
        break;
    case VM_OP_JMP:
        if ((uint32_t)o->target <= i) {
            poll(c, i, h);
            if (loop_test_again(c, i, (uint32_t)o->target))
                break;
        }
        facts_jump(c, i, (uint32_t)o->target, -1);
        masm_jmp(A, c->labels[o->target]);
        break;
    case VM_OP_JZ:
        facts_jump(c, i, (uint32_t)o->target, -1);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R0, 0, c->labels[o->target]);
        break;
    case VM_OP_BR:
        if ((uint32_t)o->target <= i && o->arity == 0 && h == (int32_t)o->height) {
            poll(c, i, h);
            if (!loop_test_again(c, i, (uint32_t)o->target))
                masm_jmp(A, c->labels[o->target]);
            break;
        }
        take(c, i, h, (int32_t)o->height, o->arity, (uint32_t)o->target);
        break;
    case VM_OP_BR_IF: {
        JLabel no = masm_label(A);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R0, 0, no);
        take(c, i, h - 1, (int32_t)o->height, o->arity, (uint32_t)o->target);
        masm_bind(A, no);
        break;
    }
    case VM_OP_BR_TABLE: {
        masm_ld(A, JR_T0, JR_BASE, SLOT(h - 1));
        for (uint32_t k = 0; k < o->ncases; k++) {
            JLabel no = masm_label(A);
            masm_bri(A, JC_NE, JR_T0, (int32_t)k, no);
            const VmTarget *t = &o->table[k];
            take(c, i, h - 1, t->height, t->arity, t->idx);
            masm_bind(A, no);
        }
        const VmTarget *t = &o->table[o->ncases];
        take(c, i, h - 1, t->height, t->arity, t->idx);
        break;
    }
    case VM_OP_RETURN:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R0, JR_BASE, c->boff);
        jmp_ret(c, i);
        break;
    case VM_OP_RETURN_V:
        jmp_ret(c, i);
        break;
    case VM_OP_THROW:
        inl_push(c);
        sync(c, i, h);
        arg_vm(c);
        masm_ld(A, masm_arg(1), JR_BASE, SLOT(h - 1));
        masm_call(A, (const void *)jit_h_throw);
        masm_jmp(A, c->unwind);
        break;
    case VM_OP_ACONST_NULL:
        masm_sti(A, JR_BASE, SLOT(h), 0);
        break;
    case VM_OP_ICONST:
        if (o->imm >= INT32_MIN && o->imm <= INT32_MAX) {
            masm_sti(A, JR_BASE, SLOT(h), (int32_t)o->imm);
        } else {
            masm_movi(A, JR_R0, o->imm);
            masm_st(A, JR_R0, JR_BASE, SLOT(h));
        }
        break;
    case VM_OP_LDC_STR_Q:
        masm_movi(A, JR_R0, (int64_t)(intptr_t)o->str);
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        break;
    case VM_OP_LDC_STR:
        inl_push(c);
        sync(c, i, h);
        arg_vm(c);
        masm_movi(A, masm_arg(1), (int64_t)(intptr_t)o);
        masm_call(A, (const void *)jit_h_ldc);
        masm_bri(A, JC_EQ, JR_R0, 0, c->unwind);
        inl_pop(c);
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        break;
    case VM_OP_LOAD:
        masm_ld(A, JR_R0, JR_BASE, LOC(o->local));
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        break;
    case VM_OP_STORE:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R0, JR_BASE, LOC(o->local));
        break;
    case VM_OP_IINC:
        masm_ld(A, JR_R0, JR_BASE, LOC(o->local));
        if (o->imm >= INT32_MIN && o->imm <= INT32_MAX) {
            masm_alui(A, JA_ADD, JR_R0, JR_R0, (int32_t)o->imm);
        } else {
            masm_movi(A, JR_R1, o->imm);
            masm_alu(A, JA_ADD, JR_R0, JR_R0, JR_R1);
        }
        masm_st(A, JR_R0, JR_BASE, LOC(o->local));
        break;
    case VM_OP_POP:
        break;
    case VM_OP_DUP:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        break;
    case VM_OP_DUP2:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        masm_st(A, JR_R1, JR_BASE, SLOT(h + 1));
        break;
    case VM_OP_DUP_X1: /* x y -> y x y */
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R1, JR_BASE, SLOT(h - 2));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R1, JR_BASE, SLOT(h));
        break;
    case VM_OP_DUP_X2: /* x y z -> z x y z */
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 3));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R2, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R2, JR_BASE, SLOT(h - 3));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_st(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R2, JR_BASE, SLOT(h));
        break;
    case VM_OP_SWAP:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_st(A, JR_R1, JR_BASE, SLOT(h - 2));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_IADD: case VM_OP_ISUB: case VM_OP_IMUL: case VM_OP_IAND: case VM_OP_IOR:
    case VM_OP_IXOR: case VM_OP_ISHL: case VM_OP_ISHR: case VM_OP_IUSHR: {
        JAlu k = base == VM_OP_IADD ? JA_ADD : base == VM_OP_ISUB ? JA_SUB
               : base == VM_OP_IMUL ? JA_MUL : base == VM_OP_IAND ? JA_AND
               : base == VM_OP_IOR ? JA_OR : base == VM_OP_IXOR ? JA_XOR
               : base == VM_OP_ISHL ? JA_SHL : base == VM_OP_ISHR ? JA_SAR : JA_SHR;
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R3, JR_BASE, SLOT(h - 1));
        masm_alu(A, k, JR_R0, JR_R0, JR_R3);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        break;
    }
    case VM_OP_IDIV: case VM_OP_IREM: {
        masm_ld(A, JR_R3, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R5, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R5, 0, stub(c, STUB_DIV0, i, h));
        JLabel minus1 = masm_label(A), done = masm_label(A);
        masm_bri(A, JC_EQ, JR_R5, -1, minus1);
        if (base == VM_OP_IDIV)
            masm_sdiv(A, JR_R0, JR_R3, JR_R5);
        else
            masm_srem(A, JR_R0, JR_R3, JR_R5);
        masm_jmp(A, done);
        masm_bind(A, minus1);
        if (base == VM_OP_IDIV)
            masm_neg(A, JR_R0, JR_R3);
        else
            masm_movi(A, JR_R0, 0);
        masm_bind(A, done);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        break;
    }
    case VM_OP_INEG:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_neg(A, JR_R0, JR_R0);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_I2B:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_alui(A, JA_AND, JR_R0, JR_R0, 0xFF);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_FADD: case VM_OP_FSUB: case VM_OP_FMUL: case VM_OP_FDIV: {
        JFAlu k = base == VM_OP_FADD ? JFA_ADD : base == VM_OP_FSUB ? JFA_SUB
                : base == VM_OP_FMUL ? JFA_MUL : JFA_DIV;
        masm_fld(A, JF0, JR_BASE, SLOT(h - 2));
        masm_fld(A, JF1, JR_BASE, SLOT(h - 1));
        masm_falu(A, k, JF0, JF0, JF1);
        masm_fst(A, JF0, JR_BASE, SLOT(h - 2));
        break;
    }
    case VM_OP_FREM:
        masm_ld(A, masm_arg(0), JR_BASE, SLOT(h - 2));
        masm_ld(A, masm_arg(1), JR_BASE, SLOT(h - 1));
        masm_call(A, (const void *)jit_h_frem);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        break;
    case VM_OP_FNEG:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_movi(A, JR_R1, INT64_MIN);
        masm_alu(A, JA_XOR, JR_R0, JR_R0, JR_R1);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_I2F:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_i2f(A, JF0, JR_R0);
        masm_fst(A, JF0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_F2I:
        masm_ld(A, masm_arg(0), JR_BASE, SLOT(h - 1));
        masm_call(A, (const void *)jit_h_f2i);
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_GETFIELD_Q:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R0, 0, stub(c, STUB_NULL_FIELD, i, h));
        masm_ld(A, JR_R0, JR_R0, vm_field_offset(o->slot));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_PUTFIELD_Q: case VM_OP_PUTFIELD_B_Q: case VM_OP_PUTFIELD_Z_Q:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_bri(A, JC_EQ, JR_R0, 0, stub(c, STUB_NULL_FIELD, i, h));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        if (base == VM_OP_PUTFIELD_B_Q)
            masm_alui(A, JA_AND, JR_R1, JR_R1, 0xFF);
        else if (base == VM_OP_PUTFIELD_Z_Q)
            masm_seti(A, JC_NE, JR_R1, JR_R1, 0);
        masm_st(A, JR_R1, JR_R0, vm_field_offset(o->slot));
        break;
    case VM_OP_GETSTATIC_Q:
        masm_movi(A, JR_R1, (int64_t)(intptr_t)o->addr);
        masm_ld(A, JR_R0, JR_R1, 0);
        masm_st(A, JR_R0, JR_BASE, SLOT(h));
        break;
    case VM_OP_PUTSTATIC_Q: case VM_OP_PUTSTATIC_B_Q: case VM_OP_PUTSTATIC_Z_Q:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        if (base == VM_OP_PUTSTATIC_B_Q)
            masm_alui(A, JA_AND, JR_R0, JR_R0, 0xFF);
        else if (base == VM_OP_PUTSTATIC_Z_Q)
            masm_seti(A, JC_NE, JR_R0, JR_R0, 0);
        masm_movi(A, JR_R1, (int64_t)(intptr_t)o->addr);
        masm_st(A, JR_R0, JR_R1, 0);
        break;
    case VM_OP_GETFIELD: case VM_OP_PUTFIELD: case VM_OP_GETSTATIC: case VM_OP_PUTSTATIC:
        /* not resolved yet when compiled: the helper resolves and accesses */
        call_helper3(c, (const void *)jit_h_field, i, h);
        break;
    case VM_OP_INSTANCEOF_Q: case VM_OP_CHECKCAST_Q: {
        VmClass *k = o->cls;
        bool inst = base == VM_OP_INSTANCEOF_Q;
        bool object = k && !k->super && !k->is_interface && !k->is_array;
        /* arrays of references are covariant: vm_is_subclass decides them */
        if (!plain_class(k) && !object &&
            !(k && (k->is_interface || (k->is_array && !k->elem_class)))) {
            call_helper3(c, (const void *)jit_h_type, i, h);
            break;
        }
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        if (inst) {
            JLabel no = masm_label(A), done = masm_label(A);
            masm_bri(A, JC_EQ, JR_R0, 0, no);
            if (!object)
                subclass_test(c, k, no);
            masm_sti(A, JR_BASE, SLOT(h - 1), 1);
            masm_jmp(A, done);
            masm_bind(A, no);
            masm_sti(A, JR_BASE, SLOT(h - 1), 0);
            masm_bind(A, done);
        } else if (!object) {
            JLabel ok = masm_label(A);
            masm_bri(A, JC_EQ, JR_R0, 0, ok);
            subclass_test(c, k, stub(c, STUB_CAST, i, h));
            masm_bind(A, ok);
        }
        break;
    }
    case VM_OP_INSTANCEOF: case VM_OP_CHECKCAST: case VM_OP_NEWARRAY: case VM_OP_NEWARRAY_Q:
        call_helper3(c, (const void *)jit_h_type, i, h);
        break;
    case VM_OP_ARRAYLENGTH:
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R0, 0, stub(c, STUB_NULL_LENGTH, i, h));
        masm_ld(A, JR_R0, JR_R0, offsetof(VmArray, length));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 1));
        break;
    case VM_OP_IALOAD: case VM_OP_FALOAD: case VM_OP_AALOAD: case VM_OP_BALOAD: {
        JLabel bad = stub(c, STUB_BOUNDS, i, h);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 2));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R0, 0, bad);
        masm_ld(A, JR_R2, JR_R0, offsetof(VmArray, length));
        masm_br(A, JC_UGE, JR_R1, JR_R2, bad);
        if (base == VM_OP_BALOAD)
            masm_ldx8(A, JR_R0, JR_R0, JR_R1, (int32_t)sizeof(VmArray));
        else
            masm_ldx(A, JR_R0, JR_R0, JR_R1, 3, (int32_t)sizeof(VmArray));
        masm_st(A, JR_R0, JR_BASE, SLOT(h - 2));
        break;
    }
    case VM_OP_AASTORE: {
        /* arrays of references are covariant: the value must be null, of the
         * element class itself, or the element class is Object; anything else
         * (and every fault) goes through the helper */
        JLabel slow = masm_label(A), store = masm_label(A), done = masm_label(A);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 3));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 2));
        masm_bri(A, JC_EQ, JR_R0, 0, slow);
        masm_ld(A, JR_R2, JR_R0, offsetof(VmArray, length));
        masm_br(A, JC_UGE, JR_R1, JR_R2, slow);
        masm_ld(A, JR_R2, JR_BASE, SLOT(h - 1));
        masm_bri(A, JC_EQ, JR_R2, 0, store);
        masm_ld(A, JR_R3, JR_R0, offsetof(VmArray, cls));
        masm_ld(A, JR_R3, JR_R3, offsetof(VmClass, elem_class));
        masm_movi(A, JR_R4, (int64_t)(intptr_t)c->vm->c_object);
        masm_br(A, JC_EQ, JR_R3, JR_R4, store);
        masm_ld(A, JR_R4, JR_R2, offsetof(VmObject, cls));
        masm_br(A, JC_EQ, JR_R3, JR_R4, store);
        masm_bind(A, slow);
        call_helper3(c, (const void *)jit_h_aastore, i, h);
        masm_jmp(A, done);
        masm_bind(A, store);
        masm_stx(A, JR_R2, JR_R0, JR_R1, 3, (int32_t)sizeof(VmArray));
        masm_bind(A, done);
        break;
    }
    case VM_OP_IASTORE: case VM_OP_FASTORE: case VM_OP_BASTORE: {
        JLabel bad = stub(c, STUB_BOUNDS, i, h);
        masm_ld(A, JR_R0, JR_BASE, SLOT(h - 3));
        masm_ld(A, JR_R1, JR_BASE, SLOT(h - 2));
        masm_bri(A, JC_EQ, JR_R0, 0, bad);
        masm_ld(A, JR_R2, JR_R0, offsetof(VmArray, length));
        masm_br(A, JC_UGE, JR_R1, JR_R2, bad);
        masm_ld(A, JR_R2, JR_BASE, SLOT(h - 1));
        if (base == VM_OP_BASTORE) {
            JLabel byte = masm_label(A), store = masm_label(A);
            masm_ld(A, JR_R3, JR_R0, offsetof(VmArray, cls));
            masm_ld8(A, JR_R3, JR_R3, offsetof(VmClass, elem_kind));
            masm_bri(A, JC_NE, JR_R3, CF_KIND_BOOL, byte);
            masm_seti(A, JC_NE, JR_R2, JR_R2, 0);
            masm_jmp(A, store);
            masm_bind(A, byte);
            masm_bind(A, store);
            masm_stx8(A, JR_R2, JR_R0, JR_R1, (int32_t)sizeof(VmArray));
        } else {
            masm_stx(A, JR_R2, JR_R0, JR_R1, 3, (int32_t)sizeof(VmArray));
        }
        break;
    }
    case VM_OP_NEW: case VM_OP_NEW_Q: case VM_OP_INVOKESTATIC: case VM_OP_INVOKEVIRTUAL:
    case VM_OP_INVOKESPECIAL: case VM_OP_INVOKEIFACE: case VM_OP_INITSUPER:
    case VM_OP_INVOKE_Q: case VM_OP_INVOKESPECIAL_Q: case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q: case VM_OP_CALLFN:
        c->recv_known = recv_known;
        if (op != base && emit_intrinsic(c, i, op, h))
            break;
        c->recv_known = recv_known;
        emit_call(c, i, base, h);
        break;
    default:
        c->failed = true;
        break;
    }
}


/* ---- small callees, inlined ----------------------------------------------------
 * A callee of at most INLINE_MAX instructions with no loop and no handler,
 * every instruction resolved and one whose template needs no frame of its own
 * on its straight path, is emitted at the call site once the checks the call
 * makes pass (as for a trivial callee: receiver, dispatch, value stack, depth,
 * a step that does not make a poll due; else the whole call). Its locals and
 * operand stack are where its frame would put them (the arguments are its
 * first locals), so every slow path of its body that needs the frame (a fault,
 * a call, a throw) makes it there first (inl_push), exactly as the interpreter
 * would have it: traces, handler search and the collector see the same frames.
 * A fault leaves the callee's frame through its own unwind path (no handler:
 * popped), then the caller's. */

#define INLINE_MAX 40
#define INLINE_MAX_LOOP 120     /* at a call site inside a loop */
#define INLINE_BUDGET 600

/* Whether quick call [o] (operation [op], base [b]) is done without a frame
 * of its own on its straight path: an intrinsic or a trivial callee. */
static bool light_call(const VmInsn *o, int op, int b)
{
    if (op != b)
        return true;
    if (b == VM_OP_INVOKE_Q || b == VM_OP_INVOKESPECIAL_Q)
        return trivial(o->method).kind != TRIV_NONE;
    if (b == VM_OP_INVOKEVIRTUAL_Q || b == VM_OP_INVOKEIFACE_Q) {
        VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
        if (k && o->cache_target)
            return trivial(o->cache_target).kind != TRIV_NONE;
        return b == VM_OP_INVOKEVIRTUAL_Q && trivial(o->method).kind != TRIV_NONE;
    }
    return false;
}

static bool inlinable_in(const VmMethod *root, const VmMethod *t, uint32_t max, bool deep,
                         bool nest, bool *calls, uint32_t *nested);

/* Whether the target of heavy call [o] (base [b]) might be inlined into the
 * method holding it, were that one compiled on its own. */
static bool target_inlinable(const VmMethod *holder, const VmInsn *o, int b)
{
    bool calls;
    uint32_t nested;
    if (b == VM_OP_INVOKEVIRTUAL_Q || b == VM_OP_INVOKEIFACE_Q || b == VM_OP_CALLFN) {
        VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
        if (k && o->cache_target &&
            inlinable_in(holder, o->cache_target, INLINE_MAX, false, false, &calls, &nested))
            return true;
    }
    return b != VM_OP_CALLFN && b != VM_OP_NEW_Q &&
           inlinable_in(holder, o->method, INLINE_MAX, false, false, &calls, &nested);
}

/* Whether [t] can be inlined into a method [root] being compiled, with at
 * most [max] instructions; [calls]: its body calls or allocates (then the call
 * site must have room for two frames, the callee's and its callee's). A call
 * made from the body that has run and is not done inline needs the callee's
 * frame each time; when [deep], such a call is taken if its own target would
 * not be inlined into the callee anyway (then the frame made at the call site
 * is cheaper than calling the callee), or, when [nest], if it would be (it is
 * then inlined into the inlined body); else the callee is better called. */
static bool inlinable_in(const VmMethod *root, const VmMethod *t, uint32_t max, bool deep,
                         bool nest, bool *calls, uint32_t *nested)
{
    *calls = false;
    *nested = 0;
    if (!t || !t->code || !t->heights || t->native || (t->flags & (CF_ACC_NATIVE | CF_ACC_ABSTRACT)) ||
        t->nhandlers || t == root || t->ncode > max || t->ncode == 0 ||
        (uint64_t)t->nlocals + t->max_stack + VM_FRAME_SPARE_SLOTS > 4096)
        return false;
    for (uint32_t i = 0; i < t->ncode; i++) {
        const VmInsn *o = &t->code[i];
        if (t->heights[i] < 0)
            continue;
        int op = insn_op(o), b = vm_op_base(op);
        switch (b) {
        case VM_OP_LOAD: case VM_OP_STORE: case VM_OP_ICONST: case VM_OP_ACONST_NULL:
        case VM_OP_LDC_STR_Q: case VM_OP_IINC: case VM_OP_POP: case VM_OP_DUP:
        case VM_OP_DUP2: case VM_OP_DUP_X1: case VM_OP_DUP_X2: case VM_OP_SWAP:
        case VM_OP_IADD: case VM_OP_ISUB: case VM_OP_IMUL: case VM_OP_IAND: case VM_OP_IOR:
        case VM_OP_IXOR: case VM_OP_ISHL: case VM_OP_ISHR: case VM_OP_IUSHR:
        case VM_OP_IDIV: case VM_OP_IREM: case VM_OP_INEG: case VM_OP_I2B:
        case VM_OP_FADD: case VM_OP_FSUB: case VM_OP_FMUL: case VM_OP_FDIV: case VM_OP_FREM:
        case VM_OP_FNEG: case VM_OP_I2F: case VM_OP_F2I:
        case VM_OP_EQZ: case VM_OP_IEQ: case VM_OP_INE: case VM_OP_ILT: case VM_OP_ILE:
        case VM_OP_IGT: case VM_OP_IGE: case VM_OP_AEQ: case VM_OP_ANE: case VM_OP_FEQ:
        case VM_OP_FNE: case VM_OP_FLT: case VM_OP_FLE: case VM_OP_FGT: case VM_OP_FGE:
        case VM_OP_RETURN: case VM_OP_RETURN_V: case VM_OP_THROW: case VM_OP_UNREACHABLE:
        case VM_OP_GETFIELD_Q: case VM_OP_PUTFIELD_Q: case VM_OP_PUTFIELD_B_Q:
        case VM_OP_PUTFIELD_Z_Q: case VM_OP_GETSTATIC_Q: case VM_OP_PUTSTATIC_Q:
        case VM_OP_PUTSTATIC_B_Q: case VM_OP_PUTSTATIC_Z_Q: case VM_OP_ARRAYLENGTH:
        case VM_OP_IALOAD: case VM_OP_FALOAD: case VM_OP_AALOAD: case VM_OP_BALOAD:
        case VM_OP_IASTORE: case VM_OP_FASTORE: case VM_OP_BASTORE: case VM_OP_AASTORE:
        /* not resolved yet (not run): through helpers, under the callee's frame */
        case VM_OP_LDC_STR: case VM_OP_GETFIELD: case VM_OP_PUTFIELD: case VM_OP_GETSTATIC:
        case VM_OP_PUTSTATIC: case VM_OP_INSTANCEOF: case VM_OP_CHECKCAST:
        case VM_OP_NEWARRAY: case VM_OP_NEWARRAY_Q: case VM_OP_INSTANCEOF_Q:
        case VM_OP_CHECKCAST_Q:
            break;
        case VM_OP_NEW: case VM_OP_INVOKESTATIC: case VM_OP_INVOKEVIRTUAL:
        case VM_OP_INVOKESPECIAL: case VM_OP_INVOKEIFACE: case VM_OP_INITSUPER:
            /* a call not made yet: made, if ever, from the callee's frame */
            *calls = true;
            break;
        case VM_OP_JMP: case VM_OP_JZ: case VM_OP_BR: case VM_OP_BR_IF:
            /* forward only: no poll in an inlined body */
            if ((uint32_t)o->target <= i)
                return false;
            break;
        case VM_OP_BR_TABLE:
            for (uint32_t k = 0; k <= o->ncases; k++)
                if (o->table[k].idx <= i)
                    return false;
            break;
        case VM_OP_INVOKE_Q: case VM_OP_INVOKESPECIAL_Q: case VM_OP_INVOKEVIRTUAL_Q:
        case VM_OP_INVOKEIFACE_Q: case VM_OP_NEW_Q: case VM_OP_CALLFN:
            /* String.charAt's and substring's intrinsics allocate under a frame of their own;
             * a call that has been made and is not done inline would need the
             * callee's frame each time: such a callee is better called */
            if (op == VM_OP_CHARAT_Q || op == VM_OP_SUBSTR_Q)
                return false;
            if (!light_call(o, op, b)) {
                if (!deep)
                    return false;
                if (target_inlinable(t, o, b)) {
                    if (!nest)
                        return false;
                    /* the instructions it adds, at most */
                    VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
                    uint32_t n = o->method && o->method->code ? o->method->ncode : 0;
                    if (k && o->cache_target && o->cache_target->ncode > n)
                        n = o->cache_target->ncode;
                    *nested += n;
                }
            }
            *calls = true;
            break;
        default:
            return false;
        }
    }
    return true;
}

/* Whether [t] can be inlined at call [i] of [c]: larger callees inside a loop;
 * into the root, callees whose calls are inlined in turn (one level more). */
static bool inlinable(const Ctx *c, uint32_t i, const VmMethod *t, bool *calls)
{
    if (!t || (int32_t)t->ncode > c->root->inl_budget || t == c->m)
        return false;
    uint32_t max = INLINE_MAX;
    for (uint32_t j = i + 1; j < c->m->ncode && max == INLINE_MAX; j++) {
        const VmInsn *o = &c->m->code[j];
        int b = vm_op_base(o->op);
        if ((b == VM_OP_JMP || b == VM_OP_JZ || b == VM_OP_BR || b == VM_OP_BR_IF) &&
            (uint32_t)o->target <= i)
            max = INLINE_MAX_LOOP;
    }
    uint32_t nested;
    return inlinable_in(c->root->m, t, max, true, !c->inl_parent, calls, &nested) &&
           (int32_t)(t->ncode + nested) <= c->root->inl_budget;
}

/* The target of call [i] to inline, with the guard that makes it the one the
 * call dispatches to (as trivial_site), or NULL. */
static VmMethod *inline_site(Ctx *c, uint32_t i, int op, VmClass **guard_cls, bool *vguard,
                             bool *recv, bool *calls)
{
    VmInsn *o = &c->m->code[i];
    VmMethod *t = NULL;
    *guard_cls = NULL;
    *vguard = false;
    *recv = true;
    switch (op) {
    case VM_OP_INVOKE_Q:
        t = o->method;
        *recv = t && !(t->flags & CF_ACC_STATIC);
        if (!inlinable(c, i, t, calls))
            return NULL;
        break;
    case VM_OP_INVOKESPECIAL_Q:
        t = o->method;
        if (!inlinable(c, i, t, calls))
            return NULL;
        break;
    case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q: {
        VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
        VmMethod *ct = k ? o->cache_target : NULL;
        if (ct && inlinable(c, i, ct, calls)) {
            t = ct;
            *guard_cls = k;
        } else if (op == VM_OP_INVOKEVIRTUAL_Q && o->method && o->method->vtable_index >= 0 &&
                   o->method->vtable_index < (1 << 24) && !o->method->cls->is_interface &&
                   inlinable(c, i, o->method, calls)) {
            t = o->method;
            *vguard = true;
        }
        break;
    }
    default:
        return NULL;
    }
    if (!t || o->nargs < 0 || t->nparams != (uint32_t)o->nargs || (*recv && o->nargs == 0))
        return NULL;
    return t;
}

/* The per-instruction and per-local arrays of c->m's Ctx (zeroed); false when
 * out of memory (scan_free frees what was made). */
static bool scan_alloc(Ctx *c)
{
    size_t n = (size_t)c->m->ncode + 1;
    c->labels = cm_calloc(n, sizeof *c->labels);
    c->target = cm_calloc(n, sizeof *c->target);
    c->npred = cm_calloc(n, sizeof *c->npred);
    c->facts_at = cm_calloc(n, sizeof *c->facts_at);
    c->nonnull = cm_calloc((size_t)c->m->nlocals + 1, sizeof *c->nonnull);
    return c->labels && c->target && c->npred && c->facts_at && c->nonnull;
}

static void scan_free(Ctx *c)
{
    if (c->facts_at)
        for (uint32_t i = 0; i <= c->m->ncode; i++)
            free(c->facts_at[i]);
    free(c->facts_at);
    free(c->npred);
    free(c->labels);
    free(c->target);
    free(c->nonnull);
    free(c->stubs);
}

/* Whether instruction [o] goes on to the one after it when it is done. */
static bool falls_through(const VmInsn *o)
{
    switch (vm_op_base(o->op)) {
    case VM_OP_JMP: case VM_OP_BR: case VM_OP_BR_TABLE: case VM_OP_RETURN:
    case VM_OP_RETURN_V: case VM_OP_THROW: case VM_OP_UNREACHABLE:
        return false;
    default:
        return true;
    }
}

/* What c->m's code tells before its instructions are emitted: whether `this`
 * ([has_this]) is kept (nothing stores to local 0, so it is never null), a
 * label per instruction and one past the end, and what something jumps to
 * (branch targets and handlers). c->labels, c->target and c->nonnull are
 * allocated, the last two zeroed. */
static void scan_method(Ctx *c, bool has_this)
{
    const VmMethod *m = c->m;
    c->this_kept = has_this && m->nlocals > 0;
    for (uint32_t i = 0; i < m->ncode && c->this_kept; i++) {
        int b = vm_op_base(m->code[i].op);
        if ((b == VM_OP_STORE || b == VM_OP_IINC) && m->code[i].local == 0)
            c->this_kept = false;
    }
    facts_reset(c);
    for (uint32_t i = 0; i <= m->ncode; i++)
        c->labels[i] = masm_label(A);
#define PRED(t) (c->npred[t] = c->npred[t] ? 2 : 1)
    for (uint32_t i = 0; i < m->ncode; i++) {
        const VmInsn *o = &m->code[i];
        int b = vm_op_base(o->op);
        if (b == VM_OP_JMP || b == VM_OP_JZ || b == VM_OP_BR || b == VM_OP_BR_IF) {
            c->target[o->target] = true;
            PRED(o->target);
        } else if (b == VM_OP_BR_TABLE) {
            for (uint32_t k = 0; k <= o->ncases; k++) {
                c->target[o->table[k].idx] = true;
                PRED(o->table[k].idx);
            }
        }
        if (m->heights[i] >= 0 && falls_through(o))
            PRED(i + 1);
    }
    for (uint32_t i = 0; i < m->nhandlers; i++) {
        c->target[m->handlers[i].target] = true;
        c->npred[m->handlers[i].target] = 2;
    }
#undef PRED
}

/* Every instruction of c->m in order, each at its label, the lazy stack
 * flushed and the facts forgotten at jump targets, then the label after the
 * last one. [offsets] (NULL for an inlined body, which nothing enters but its
 * call) receives each instruction's code offset, JIT_NO_OFFSET where none may
 * be entered (unreachable, or inside a fused form) and at the end. */
static void emit_insns(Ctx *c, uint32_t *offsets)
{
    const VmMethod *m = c->m;
    for (uint32_t i = 0; i < m->ncode && !c->failed; i++) {
        if (c->target[i])
            facts_enter(c, i);
        if (c->nv && (c->target[i] || m->heights[i] < 0)) {
            c->top = m->heights[i] >= 0 ? m->heights[i] : c->top;
            vflush(c);
        }
        masm_bind(A, c->labels[i]);
        if (offsets)
            offsets[i] = m->heights[i] < 0 ? JIT_NO_OFFSET : masm_offset(A);
        if (m->heights[i] < 0)
            continue;
        uint32_t skip = 0;
        emit_insn(c, i, &skip);
        for (uint32_t k = 1; k <= skip; k++) {
            masm_bind(A, c->labels[i + k]);
            if (offsets)
                offsets[i + k] = JIT_NO_OFFSET;
        }
        i += skip;
    }
    vflush(c);
    masm_bind(A, c->labels[m->ncode]);
    if (offsets)
        offsets[m->ncode] = JIT_NO_OFFSET;
}

/* An inlined callee's instructions (with no code offsets: nothing enters it
 * but its call); its returns end at c->ret. */
static void emit_inline_body(Ctx *c)
{
    emit_insns(c, NULL);
    masm_bind(A, c->ret);
}

/* Call instruction [i] (operation [op], not an intrinsic) at height [h] with a
 * target to inline: the checks, then the callee's body in a Ctx of its own;
 * its result is in the caller's slot as the call would leave it. False if the
 * call is not inlined. */
static bool emit_inline_call(Ctx *c, uint32_t i, int op, int32_t h)
{
    VmInsn *o = &c->m->code[i];
    uint32_t level = inl_level(c) + 1;
    if (level > 2 || insn_op(o) != op)
        return false;
    VmClass *guard_cls;
    bool vguard, recv, calls;
    VmMethod *t = inline_site(c, i, op, &guard_cls, &vguard, &recv, &calls);
    if (!t)
        return false;
    uint32_t nargs = t->nparams;
    Ctx *s = cm_calloc(1, sizeof *s);
    if (s)
        s->m = t;
    if (!s || !scan_alloc(s)) {
        if (s) {
            scan_free(s);
            free(s);
        }
        c->failed = true;
        return true;
    }
    c->root->inl_budget -= (int32_t)t->ncode;
    /* listed first: freed with the root whatever happens next */
    s->next_sub = c->root->subs;
    c->root->subs = s;

    JLabel merge = masm_label(A);
    /* the whole call, from the frame's slots, out of line */
    Stub *st = call_stub(c, STUB_TRIVIAL, i, h, merge);
    if (!st)
        return true;
    JLabel full = st->label, undo = masm_label(A);
    st->alt = undo;
    st->op = op;
    st->arg = 0;
    st->ret = false;
    bool check = recv && need_null_check(c, nargs - 1);
    /* arguments that are locals of this body the callee never stores to stay
     * where they are (aliased); the others go to their slots */
    bool written[ALIAS_MAX] = {false};
    for (uint32_t q = 0; q < t->ncode; q++) {
        int b = vm_op_base(t->code[q].op);
        if ((b == VM_OP_STORE || b == VM_OP_IINC) && t->code[q].local < ALIAS_MAX)
            written[t->code[q].local] = true;
    }
    for (uint32_t j = 0; j < c->nv; j++) {
        int32_t k = (int32_t)j - (int32_t)c->nv + (int32_t)nargs; /* its argument */
        const VsEntry *e = &c->vs[j];
        if (k >= 0 && k < ALIAS_MAX && !written[k] && e->kind == VS_LOCAL &&
            e->local < c->m->nlocals) {
            s->aliased[k] = true;
            s->alias_off[k] = LOC(e->local);
            st->alias_src[st->nalias] = s->alias_off[k];
            st->alias_dst[st->nalias] = SLOT(h - (int32_t)nargs + k);
            st->nalias++;
        } else {
            flush_entries(c, e, 1, c->top - (int32_t)c->nv + (int32_t)j + 1);
        }
    }
    c->nv = 0;
    int32_t args = SLOT(h - (int32_t)nargs);
    if (recv && (check || guard_cls || vguard)) {
        masm_ld(A, JR_R0, JR_BASE, s->aliased[0] ? s->alias_off[0] : args);
        receiver_guard(c, check, guard_cls, vguard, t, full);
    }
    uint32_t frames = level + (calls ? 1u : 0u);
    if (frames > c->root->room_frames) {
        /* room for the frames a slow path makes (the inlined callers', the
         * callee's) and, when it calls, one above them (the body's entry
         * checked room_frames) */
        masm_alui(A, JA_ADD, JR_R1, JR_FRAME, (int32_t)((frames - 1) * sizeof(VmFrame)));
        masm_brm(A, JC_ULE, JR_VM, offsetof(MicaVM, jit_frame_limit), JR_R1, full);
    }
    inline_call_checks(c, t, h, nargs, full, undo);

    /* the callee's body, its frame at [args] */
    s->vm = c->vm;
    s->m = t;
    s->a = c->a;
    s->root = c->root;
    s->inl_parent = c;
    s->inl_idx = i;
    s->inl_h = h;
    s->fwd_idx = UINT32_MAX;
    s->r5_local = -1;
    s->boff = args;
    s->body = c->root->body;
    s->ret = masm_label(A);
    s->unwind = masm_label(A);
    scan_method(s, recv);
    /* declared locals start zero where they may be read first (see fast_call) */
    for (uint32_t k = t->clear_from; k < t->clear_to; k++)
        masm_sti(A, JR_BASE, args + (int32_t)(k * 8u), 0);
    emit_inline_body(s);
    if (s->failed)
        c->failed = true;
    masm_bind(A, merge);
    return true;
}

static void emit_stubs(Ctx *c)
{
    /* the poll stubs must come back after their poll: each poll() bound a
     * label right after its branch, and that label is the stub's label + 1 */
    for (uint32_t s = 0; s < c->nstubs && !c->failed; s++) {
        /* a copy: the calls' stubs make stubs of their own */
        Stub stc = c->stubs[s], *st = &stc;
        VmInsn *o = &c->m->code[st->idx];
        if (st->kind == STUB_DIRECT || st->kind == STUB_TRIVIAL) {
            /* a poll is due: the step goes back, the call's helper polls */
            masm_bind(A, st->alt);
            masm_step_back(A);
        }
        masm_bind(A, st->label);
        /* the lazy stack where the stub was reached from goes to the frame */
        flush_entries(c, st->snap.vs, st->snap.nv, st->snap.top);
        switch (st->kind) {
        case STUB_INVOKE:
            arg_vm(c);
            masm_movi(A, masm_arg(1), (int64_t)(intptr_t)o);
            masm_alui(A, JA_ADD, masm_arg(2), JR_BASE, SLOT(st->height));
            masm_call(A, (const void *)jit_h_invoke);
            check_status(c);
            masm_jmp(A, st->back);
            break;
        case STUB_DIRECT:
            /* the target in R3 */
            masm_mov(A, JR_T0, JR_R3);
            arg_vm(c);
            masm_mov(A, masm_arg(1), JR_T0);
            masm_alui(A, JA_ADD, masm_arg(2), JR_BASE, st->arg);
            masm_call(A, (const void *)jit_h_call);
            check_status(c);
            masm_jmp(A, st->back);
            break;
        case STUB_MISS:
            /* the receiver's class in R0; [alt] is the call's STUB_INVOKE */
            call_lookup(c, st->idx, st->op, st->height, st->alt, st->back, false);
            break;
        case STUB_TRIVIAL: {
            /* an inlined callee's aliased arguments to their slots */
            for (uint32_t k = 0; k < st->nalias; k++) {
                masm_ld(A, JR_R2, JR_BASE, st->alias_src[k]);
                masm_st(A, JR_R2, JR_BASE, st->alias_dst[k]);
            }
            /* the arguments in R0 (and R4) go back to their slots */
            int32_t args = SLOT(st->height - st->arg);
            if (st->arg >= 1)
                masm_st(A, JR_R0, JR_BASE, args);
            if (st->arg == 2 && st->arg_f)
                masm_fst(A, (JFReg)st->arg_freg, JR_BASE, args + 8);
            else if (st->arg == 2)
                masm_st(A, JR_R4, JR_BASE, args + 8);
            emit_call(c, st->idx, st->op, st->height);
            reload_entries(c, st->snap.vs, st->snap.nv, st->snap.top);
            if (st->snap.res_kind == VS_FREG)
                masm_fld(A, (JFReg)st->snap.res_reg, JR_BASE, args);
            else if (st->ret)
                masm_ld(A, (JReg)st->snap.res_reg, JR_BASE, args);
            masm_jmp(A, st->back);
            break;
        }
        case STUB_POLL:
            /* in an inlined body (a loop), from the callee's own frame, as
             * for a fault: the poll may run a hook or make a trace */
            inl_push(c);
            sync(c, st->idx, st->height);
            arg_vm(c);
            masm_call(A, (const void *)jit_h_poll);
            check_status(c);
            inl_pop(c);
            masm_jmp(A, st->label + 1);
            break;
        case STUB_NULL_FIELD:
        case STUB_NULL_LENGTH:
        case STUB_DIV0:
            inl_push(c);
            sync(c, st->idx, st->height);
            arg_vm(c);
            masm_movi(A, masm_arg(1), st->kind == STUB_NULL_FIELD ? JIT_FAULT_NULL_FIELD
                                     : st->kind == STUB_DIV0 ? JIT_FAULT_DIV0
                                                             : JIT_FAULT_NULL_LENGTH);
            masm_movi(A, masm_arg(2), (int64_t)(intptr_t)o);
            masm_call(A, (const void *)jit_h_fault);
            masm_jmp(A, c->unwind);
            break;
        case STUB_BOUNDS:
        case STUB_CAST:
            /* the array or object, the index (in R0, R1 unless the snapshot says) */
            masm_mov(A, JR_R0, (JReg)st->snap.r0);
            masm_mov(A, JR_R1, (JReg)st->snap.r1);
            masm_mov(A, JR_T0, JR_R0);
            masm_mov(A, masm_arg(4), JR_R1);
            inl_push(c);
            sync(c, st->idx, st->height);
            masm_mov(A, masm_arg(3), JR_T0);
            arg_vm(c);
            masm_movi(A, masm_arg(1), st->kind == STUB_BOUNDS ? JIT_FAULT_BOUNDS : JIT_FAULT_CAST);
            masm_movi(A, masm_arg(2), (int64_t)(intptr_t)o);
            masm_call(A, (const void *)jit_h_fault);
            masm_jmp(A, c->unwind);
            break;
        }
    }
}

/* What the root's body entry checks (Ctx.room_slots, room_frames), from its
 * call sites before they are emitted: the frame of each target a site may
 * call or inline (its static target, the one its inline cache holds), when
 * not much larger than the root's own, and a second frame when a site may be
 * inlined with a body that calls. One check at the entry instead of one at
 * each call made. A frame without that room runs in the interpreter, as one
 * without room for a callee does. */
#define ROOM_EXTRA_SLOTS 256
static void entry_room(Ctx *c)
{
    const VmMethod *m = c->m;
    uint64_t own = (uint64_t)m->nlocals + m->max_stack, best = own;
    c->room_frames = 1;
    for (uint32_t i = 0; i < m->ncode; i++) {
        const VmInsn *o = &m->code[i];
        int op = insn_op(o), b = vm_op_base(op);
        if (m->heights[i] < 0 || op != b || o->nargs < 0 || m->heights[i] < o->nargs ||
            (b != VM_OP_INVOKE_Q && b != VM_OP_INVOKESPECIAL_Q && b != VM_OP_INVOKEVIRTUAL_Q &&
             b != VM_OP_INVOKEIFACE_Q))
            continue;
        const VmMethod *cand[2] = {o->method, NULL};
        if (b == VM_OP_INVOKEVIRTUAL_Q || b == VM_OP_INVOKEIFACE_Q) {
            VmClass *k = __atomic_load_n((VmClass **)&o->cache_cls, __ATOMIC_ACQUIRE);
            cand[1] = k ? o->cache_target : NULL;
        }
        for (int j = 0; j < 2; j++) {
            const VmMethod *t = cand[j];
            if (!t || !t->code || (t->flags & (CF_ACC_NATIVE | CF_ACC_ABSTRACT)))
                continue;
            uint64_t need = (uint64_t)m->nlocals + (uint64_t)(m->heights[i] - o->nargs) +
                            t->nlocals + t->max_stack;
            if (need > best && need <= own + ROOM_EXTRA_SLOTS)
                best = need;
        }
        VmClass *g;
        bool vg, recv, calls = false;
        const VmMethod *t = inline_site(c, i, b, &g, &vg, &recv, &calls);
        uint32_t nested = 0;
        if (t && calls && c->room_frames < 2)
            c->room_frames = 2;
        /* a callee inlined into it makes a third frame when it calls */
        if (t && calls &&
            inlinable_in(m, t, INLINE_MAX_LOOP, true, true, &calls, &nested) && nested)
            c->room_frames = 3;
    }
    c->room_slots = (uint32_t)best;
}

bool jit_emit_method(MicaVM *vm, VmMethod *m, JMasm *a, uint32_t *offsets,
                     uint32_t *entry_off, uint32_t *body_off, JitRoom *room)
{
    Ctx ctx = {.vm = vm, .m = m, .a = a, .inl_budget = INLINE_BUDGET, .fwd_idx = UINT32_MAX,
               .r5_local = -1};
    ctx.root = &ctx;
    /* steps are counted in a register (masm_steps); vm->poll_left is its home */
    masm_steps(a, (int32_t)offsetof(MicaVM, poll_left));
    Ctx *c = &ctx;
    bool ok = false;
    if ((uint64_t)(m->nlocals + m->max_stack + VM_FRAME_SPARE_SLOTS) * 8u > (1u << 28))
        return false;
    if (!scan_alloc(c))
        goto fail;
    scan_method(c, !(m->flags & CF_ACC_STATIC));
    entry_room(c);
    room->stack_bytes = (c->room_slots + VM_FRAME_SPARE_SLOTS) * 8u;
    room->frames = c->room_frames;
    c->ret = masm_label(a);
    c->unwind = masm_label(a);
    c->body = masm_label(a);

    /* The body, called by compiled callers (masm_callr) with its frame in R4
     * and its base in R5, or by the entry below. At [osr] it starts at the
     * machine-code address in R0 (OSR, a handler); else at the first
     * instruction. It returns 0, or -1 with an exception pending, having
     * popped its frame either way. */
    JLabel osr = masm_label(a), entry = masm_label(a);
    masm_bind(a, osr);
    masm_body_enter(a);
    masm_mov(a, JR_FRAME, JR_R4);
    masm_mov(a, JR_BASE, JR_R5);
    masm_jmpr(a, JR_R0);
    JLabel body = c->body, cramped = masm_label(a);
    masm_bind(a, body);
    *body_off = masm_offset(a);
    masm_body_enter(a);
    masm_mov(a, JR_FRAME, JR_R4);
    masm_mov(a, JR_BASE, JR_R5);
    /* Room for one more frame and for nested compiled code, checked once here
     * instead of at every call: without it the interpreter runs this frame, and
     * its calls meet the depth limit where the interpreter's would. (The way
     * from C into the middle of a body, OSR, checks the same: vm_jit_room.) */
    if (c->room_frames > 1) {
        masm_alui(a, JA_ADD, JR_R1, JR_FRAME, (int32_t)((c->room_frames - 1) * sizeof(VmFrame)));
        masm_brm(a, JC_ULE, JR_VM, offsetof(MicaVM, jit_frame_limit), JR_R1, cramped);
    } else {
        masm_brm(a, JC_ULE, JR_VM, offsetof(MicaVM, jit_frame_limit), JR_FRAME, cramped);
    }
    masm_brm(a, JC_UGE, JR_VM, offsetof(MicaVM, jit_cstack_limit), JR_SP, cramped);
    if (c->room_slots > (uint64_t)m->nlocals + m->max_stack) {
        /* the value stack for the frames of its calls and inlined callees
         * (the caller checked this frame's own) */
        masm_alui(a, JA_ADD, JR_R1, JR_BASE,
                  (int32_t)((c->room_slots + VM_FRAME_SPARE_SLOTS) * 8u));
        masm_brm(a, JC_ULT, JR_VM, offsetof(MicaVM, stack_end), JR_R1, cramped);
    }

    emit_insns(c, offsets);
    /* nothing verified falls off the end */
    masm_jmp(a, c->ret);

    /* return: the frame is popped here (the callee's half of the protocol) */
    masm_bind(a, c->ret);
    masm_add32m(a, JR_VM, offsetof(MicaVM, nframes), -1);
    masm_movi(a, JR_R0, 0);
    masm_body_ret(a);

    /* an exception: a handler here continues in this code, else pop and return -1 */
    masm_bind(a, c->unwind);
    masm_mov(a, masm_arg(0), JR_VM);
    masm_mov(a, masm_arg(1), JR_FRAME);
    masm_call(a, (const void *)jit_h_unwind);
    JLabel fail_l = masm_label(a);
    masm_bri(a, JC_EQ, JR_R0, 0, fail_l);
    masm_ld(a, JR_BASE, JR_FRAME, offsetof(VmFrame, base));
    masm_jmpr(a, JR_R0);
    masm_bind(a, fail_l);
    masm_movi(a, JR_R0, -1);
    masm_body_ret(a);

    /* no room: the frame runs in the interpreter, from its start, and is popped */
    masm_bind(a, cramped);
    masm_movi(a, JR_R0, (int64_t)(intptr_t)m->code);
    masm_st(a, JR_R0, JR_FRAME, offsetof(VmFrame, ip));
    masm_mov(a, masm_arg(0), JR_VM);
    masm_mov(a, masm_arg(1), JR_FRAME);
    masm_call(a, (const void *)jit_h_interpret);
    masm_body_ret(a);

    /* the entry point from C (m->entry): entry(vm, frame, start) runs the body */
    masm_bind(a, entry);
    *entry_off = masm_offset(a);
    masm_prologue(a);
    masm_mov(a, JR_R4, JR_FRAME);
    masm_ld(a, JR_R5, JR_FRAME, offsetof(VmFrame, base));
    JLabel from = masm_label(a);
    masm_bri(a, JC_NE, JR_R0, 0, from);
    masm_call_label(a, body);
    masm_ret(a);
    masm_bind(a, from);
    masm_call_label(a, osr);
    masm_ret(a);

    emit_stubs(c);
    /* the inlined bodies' slow paths; an exception leaving one pops the
     * callee's frame its slow path made, then unwinds the caller's */
    for (Ctx *s = c->subs; s && !c->failed; s = s->next_sub) {
        emit_stubs(s);
        if (s->failed)
            c->failed = true;
        masm_bind(a, s->unwind);
        inl_pop_own(s);
        masm_jmp(a, s->inl_parent->unwind);
    }
    ok = !c->failed && masm_finish(a);
fail:
    while (c->subs) {
        Ctx *s = c->subs;
        c->subs = s->next_sub;
        scan_free(s);
        free(s);
    }
    scan_free(c);
    return ok;
}
