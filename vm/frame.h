/* vm/frame.h: frames on the VM value stack, shared by the interpreter and
 * compiled code: pushing a frame for a call, calling a native, the top of
 * the used value stack.
 *
 * The frame layout is the same in both tiers: locals[] ++ operand stack[] in
 * 64-bit slots from fr->base; a caller's pushed arguments become the callee's
 * first locals, and a callee's result replaces them (it lands in base[0]).
 * A host hook on calls belongs in vm_push_frame (every Mica call of either
 * tier goes through it) and on returns where the tiers pop (vm_pop_frame). */
#ifndef MICA_VM_FRAME_H
#define MICA_VM_FRAME_H

#include <string.h>

#include "vm.h"

/* The first free value-stack slot: above the top frame's saved operands. */
static inline uint64_t *vm_stack_top(MicaVM *vm)
{
    return vm->nframes ? vm->frames[vm->nframes - 1].sp : vm->stack;
}

/* The checks of a call, in one test: a poll step to spare (the call takes one,
 * and the last one is the poll's), a frame below the depth limit, and the
 * callee's frame of [slots] value slots from [base] inside the value stack.
 * Each margin is negative when its check fails, so their bitwise or is
 * negative when any one fails: one branch where there were three. */
static inline bool vm_call_fits(const MicaVM *vm, const uint64_t *base, uint32_t slots)
{
    int64_t margin = (vm->poll_left - 2) |
                     ((int64_t)vm->max_depth - 1 - (int64_t)vm->nframes) |
                     ((int64_t)(vm->stack_end - base) - (int64_t)slots);
    return margin >= 0;
}

/* vm_call_fits for a call made while [top] is the top frame (&frames[nframes - 1],
 * as the interpreter keeps it): the depth test compares the next frame's place
 * with jit_frame_limit (&frames[max_depth - 1]) and the stack's margin is in
 * bytes, so no frame count is loaded and nothing is scaled. */
static inline bool vm_call_fits_above(const MicaVM *vm, const VmFrame *top,
                                      const uint64_t *base, uint32_t slots)
{
    int64_t margin = (vm->poll_left - 2) |
                     ((const char *)vm->jit_frame_limit - (const char *)(top + 1)) |
                     (((const char *)vm->stack_end - (const char *)base) -
                      (int64_t)slots * (int64_t)sizeof *base);
    return margin >= 0;
}

/* Pushes a frame for [m] (pre-decoded) whose arguments start at [base]: a
 * poll point (one step), then the depth and value-stack checks; declared
 * locals start zero. [entry]: returning from this frame ends the run of the
 * interpreter that executes it. 0, or -1 with StackOverflowError pending (or
 * the VM halted by vm_poll). */
static inline int vm_push_frame(MicaVM *vm, VmMethod *m, uint64_t *base, bool entry)
{
    uint32_t slots = m->nlocals + m->max_stack + VM_FRAME_SPARE_SLOTS;
    if (vm_call_fits(vm, base, slots)) {
        vm->poll_left--;
    } else {
        /* the poll's slow path also reports MICA_HOOK_CALL: while hooks are on,
         * every poll event takes it (vm_poll), so hooks cost nothing here when off */
        if (--vm->poll_left <= 0 && vm_poll_call(vm, m) < 0)
            return -1;
        if (vm->nframes >= vm->max_depth || base + slots > vm->stack_end)
            return vm_throw(vm, "StackOverflowError", "call depth exceeded %u frames",
                            vm->max_depth);
    }
    VmFrame *f = &vm->frames[vm->nframes];
    f->m = m;
    f->base = base;
    f->entry = entry;
    f->ip = m->code;
    f->sp = base + m->nlocals;
    if (m->nlocals > m->nparams)
        memset(base + m->nparams, 0, (m->nlocals - m->nparams) * sizeof(uint64_t));
    /* the collector may stop this thread anywhere (another thread collecting):
     * the frame must be complete before the stack scanner can see it */
    atomic_signal_fence(memory_order_release);
    vm->nframes++;
    m->invocations++;
    return 0;
}

/* Pops the top frame (a return, or an exception leaving it). */
static inline void vm_pop_frame(MicaVM *vm)
{
    vm->nframes--;
}

/* Calls native [t] with argument slots [args] under a frame of its own (so
 * traces and callbacks see it). 0, or -1 with an exception pending. */
static inline int vm_call_native_frame(MicaVM *vm, VmMethod *t, uint64_t *args, uint64_t *ret)
{
    if (vm->nframes >= vm->max_frames)
        return vm_throw(vm, "StackOverflowError", "call depth exceeded %u frames",
                        vm->max_depth);
    VmFrame *f = &vm->frames[vm->nframes];
    f->m = t;
    f->ip = NULL;
    f->base = args;
    f->sp = args + t->nparams;
    f->entry = false;
    atomic_signal_fence(memory_order_release);
    vm->nframes++;
    t->invocations++;
    int r = vm_call_native(vm, t, args, ret);
    vm->nframes--;
    return r;
}

/* Publishes a quickened instruction: its operands were written before, the
 * new opcode is stored with release order, so any reader that sees the quick
 * opcode also sees its operands. */
static inline void vm_publish_op(VmInsn *o, int op)
{
    __atomic_store_n(&o->op, (uint16_t)op, __ATOMIC_RELEASE);
}

#endif
