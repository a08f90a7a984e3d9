/* jit/helpers.c: the C functions compiled code calls for its slow paths.
 * Each is a thin adapter onto the runtime's shared implementation (vm/link.c,
 * vm/frame.h, vm/exception.c), so both tiers resolve, call, allocate and
 * raise through the same code. Compiled code has published fr->ip and fr->sp
 * before calling any helper that can raise, allocate or call. */
#include "jit_private.h"

#include "cm_assert.h"

#include <math.h>
#include <string.h>

#include "frame.h"

uint64_t jit_h_frem(uint64_t a, uint64_t b)
{
    return vm_float_slot(vm_fmod(vm_slot_float(a), vm_slot_float(b)));
}

uint64_t jit_h_f2i(uint64_t a)
{
    double d = vm_slot_float(a);
    if (isnan(d))
        return 0;
    if (d >= 9223372036854775808.0)
        return (uint64_t)INT64_MAX;
    if (d <= -9223372036854775808.0)
        return (uint64_t)INT64_MIN;
    return (uint64_t)(int64_t)d;
}

int64_t jit_h_poll(MicaVM *vm)
{
    return vm_poll(vm);
}

int64_t jit_h_throw(MicaVM *vm, uint64_t exc)
{
    return vm_throw_object(vm, vm_slot_ref(exc));
}

int64_t jit_h_subclass(VmObject *o, VmClass *c)
{
    return vm_is_subclass(o->cls, c);
}

int64_t jit_h_array_copy(const uint64_t *args)
{
    return vm_array_copy_fast(vm_slot_ref(args[0]), (int64_t)args[1], vm_slot_ref(args[2]),
                              (int64_t)args[3], (int64_t)args[4]);
}

int64_t jit_h_fault(MicaVM *vm, int64_t kind, VmInsn *o, uint64_t a, uint64_t b)
{
    VmMethod *m = vm->frames[vm->nframes - 1].m;
    switch (kind) {
    case JIT_FAULT_DIV0: return vm_throw(vm, "ArithmeticError", "division by zero");
    case JIT_FAULT_NULL_FIELD: return vm_throw_null_field(vm, o);
    case JIT_FAULT_BOUNDS: return vm_throw_bounds(vm, vm_slot_ref(a), (int64_t)b);
    case JIT_FAULT_NULL_LENGTH:
        return vm_throw(vm, "NullError", "cannot read the length of a null array");
    case JIT_FAULT_CAST: return vm_throw_cast(vm, vm_slot_ref(a), o->cls);
    case JIT_FAULT_UNREACHABLE: return vm_unreachable(vm, m, o);
    default: MICA_UNREACHABLE(); /* the templates pass only the kinds above */
    }
}

void *jit_h_ldc(MicaVM *vm, VmInsn *o)
{
    if (vm_resolve_ldc(vm, vm->frames[vm->nframes - 1].m, o) < 0)
        return NULL;
    return o->str;
}

int64_t jit_h_field(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    int op = __atomic_load_n(&o->op, __ATOMIC_ACQUIRE);
    if (op == VM_OP_GETFIELD || op == VM_OP_PUTFIELD || op == VM_OP_GETSTATIC ||
        op == VM_OP_PUTSTATIC) {
        if (vm_resolve_field(vm, vm->frames[vm->nframes - 1].m, o, op) < 0)
            return -1;
        op = o->op;
    }
    switch (op) {
    case VM_OP_GETFIELD_Q: {
        VmObject *obj = vm_slot_ref(sp[-1]);
        if (!obj)
            return vm_throw_null_field(vm, o);
        sp[-1] = vm_object_fields(obj)[o->slot];
        return 0;
    }
    case VM_OP_PUTFIELD_Q:
    case VM_OP_PUTFIELD_B_Q:
    case VM_OP_PUTFIELD_Z_Q: {
        VmObject *obj = vm_slot_ref(sp[-2]);
        if (!obj)
            return vm_throw_null_field(vm, o);
        uint64_t v = sp[-1];
        vm_object_fields(obj)[o->slot] = op == VM_OP_PUTFIELD_B_Q ? (v & 0xFF)
                                    : op == VM_OP_PUTFIELD_Z_Q ? (v != 0) : v;
        return 0;
    }
    case VM_OP_GETSTATIC_Q:
        sp[0] = *o->addr;
        return 0;
    default: {
        uint64_t v = sp[-1];
        *o->addr = op == VM_OP_PUTSTATIC_B_Q ? (v & 0xFF)
                            : op == VM_OP_PUTSTATIC_Z_Q ? (v != 0) : v;
        return 0;
    }
    }
}

int64_t jit_h_type(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    if (vm_resolve_type_insn(vm, vm->frames[vm->nframes - 1].m, o) < 0)
        return -1;
    VmObject *obj = vm_slot_ref(sp[-1]);
    switch (o->op) {
    case VM_OP_INSTANCEOF_Q:
        sp[-1] = obj && vm_is_subclass(obj->cls, o->cls);
        return 0;
    case VM_OP_CHECKCAST_Q:
        if (obj && !vm_is_subclass(obj->cls, o->cls))
            return vm_throw_cast(vm, obj, o->cls);
        return 0;
    default: {
        VmArray *arr = vm_new_array(vm, o->cls, (int64_t)sp[-1]);
        if (!arr)
            return -1;
        sp[-1] = vm_ref_slot(arr);
        return 0;
    }
    }
}

int64_t jit_h_aastore(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    (void)o;
    VmArray *arr = vm_slot_ref(sp[-3]);
    int64_t i = (int64_t)sp[-2];
    if (!arr || (uint64_t)i >= (uint64_t)arr->length)
        return vm_throw_bounds(vm, arr, i);
    VmObject *v = vm_slot_ref(sp[-1]);
    if (!vm_array_store_ok(arr->cls, v))
        return vm_throw_array_store(vm, v, arr->cls);
    ((uint64_t *)vm_array_data(arr))[i] = sp[-1];
    return 0;
}

/* Calls [target] with the argument slots at [args] and leaves its result in
 * args[0]: natives under their own frame, Mica methods in a frame of their
 * own run by its entry point (compiled, or the interpreter when the method is
 * not compiled or the C stack is short). */
int64_t jit_h_call(MicaVM *vm, VmMethod *target, uint64_t *args)
{
    if (!(target->native || target->code) && vm_prepare(vm, target) < 0)
        return -1;
    if (target->flags & CF_ACC_NATIVE) {
        uint64_t rv = 0;
        if (vm_call_native_frame(vm, target, args, &rv) < 0)
            return -1;
        if (target->ret != CF_KIND_VOID)
            args[0] = rv;
        return 0;
    }
    if (target->invocations >= vm->jit_call_threshold && !target->jit_state)
        jit_compile(vm, target);
    if (vm_push_frame(vm, target, args, false) < 0)
        return -1;
    VmFrame *f = &vm->frames[vm->nframes - 1];
    if (target->entry != vm_interp_entry && vm_cstack_room(vm, VM_CSTACK_JIT_ROOM))
        return target->entry(vm, f, NULL);
    return vm_interp_entry(vm, f, NULL);
}

int64_t jit_h_call_native(MicaVM *vm, VmMethod *t, uint64_t *args)
{
    uint64_t rv = 0;
    if (vm_call_native_frame(vm, t, args, &rv) < 0)
        return -1;
    if (t->ret != CF_KIND_VOID)
        args[0] = rv;
    return 0;
}

/* A compiled body entered without room for a callee's frame or for nested
 * compiled code: the interpreter runs its frame (and pops it). */
int64_t jit_h_interpret(MicaVM *vm, VmFrame *fr)
{
    return vm_interp_entry(vm, fr, NULL);
}

int64_t jit_h_charat(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    VmString *str = vm_slot_ref(sp[-2]);
    uint64_t i = sp[-1];
    if (!str || !str->cp_known || !str->ascii || i >= (uint64_t)str->length)
        return 0;
    /* allocates under the native's frame, as the call would (traces) */
    uint64_t *args = sp - 2;
    vm->frames[vm->nframes] = (VmFrame){.m = o->method, .base = args, .sp = sp};
    atomic_signal_fence(memory_order_release);
    vm->nframes++;
    VmString *r = vm_new_string(vm, str->bytes + i, 1);
    vm->nframes--;
    if (!r)
        return -1;
    args[0] = vm_ref_slot(r);
    return 1;
}

int64_t jit_h_substring(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    return vm_substring_fast(vm, o->method, sp - 3);
}

int64_t jit_h_string_bytes_equal(const VmString *a, const VmString *b)
{
    return memcmp(a->bytes + 1, b->bytes + 1, (size_t)a->length - 1) == 0;
}

int64_t jit_h_invoke(MicaVM *vm, VmInsn *o, uint64_t *sp)
{
    VmFrame *fr = &vm->frames[vm->nframes - 1];
    VmMethod *m = fr->m;
    int op = __atomic_load_n(&o->op, __ATOMIC_ACQUIRE);
    switch (op) {
    case VM_OP_NEW: case VM_OP_INVOKESTATIC: case VM_OP_INVOKEVIRTUAL:
    case VM_OP_INVOKESPECIAL: case VM_OP_INVOKEIFACE: case VM_OP_INITSUPER:
        if (vm_resolve_call(vm, m, o, op) < 0)
            return -1;
        op = o->op;
        break;
    default:
        break;
    }
    VmMethod *target = o->method;
    uint32_t nargs = (uint32_t)o->nargs;
    /* an intrinsic makes its call here (vm/ops.h) */
    switch (vm_op_base(op)) {
    case VM_OP_NEW_Q: {
        VmObject *obj = vm_new_object(vm, o->cache_cls);
        if (!obj)
            return -1;
        /* [args] -> [obj obj args]: the lower copy is the result */
        uint32_t n = nargs - 1;
        memmove(sp - n + 2, sp - n, n * sizeof *sp);
        sp[-(int32_t)n] = vm_ref_slot(obj);
        sp[-(int32_t)n + 1] = vm_ref_slot(obj);
        sp += 2;
        fr->sp = sp;
        /* the constructor returns nothing: keep the object in the result slot */
        int64_t r = jit_h_call(vm, target, sp - nargs);
        return r;
    }
    case VM_OP_INVOKE_Q:
        /* a site compiled before its first run still gets Arrays.copy's
         * intrinsic (compiled code is never patched) */
        if (op == VM_OP_ACOPY_Q && vm->nframes < vm->max_frames &&
            jit_h_array_copy(sp - 5))
            return 0;
        break;
    case VM_OP_INVOKESPECIAL_Q:
        if (!sp[-(int32_t)nargs])
            return vm_throw_null_call(vm, target);
        break;
    case VM_OP_INVOKEVIRTUAL_Q:
    case VM_OP_INVOKEIFACE_Q: {
        VmObject *recv = vm_slot_ref(sp[-(int32_t)nargs]);
        if (!recv)
            return vm_throw_null_call(vm, target);
        target = vm_virtual_target(vm, o, recv);
        if (!target)
            return -1;
        break;
    }
    case VM_OP_CALLFN:
        target = vm_callfn_target(vm, m, o, sp, &nargs);
        if (!target)
            return -1;
        break;
    default:
        return vm_throw(vm, "LinkError", "bad call instruction %d", op);
    }
    return jit_h_call(vm, target, sp - nargs);
}

void *jit_h_unwind(MicaVM *vm, VmFrame *fr)
{
    const VmHandler *h = vm_find_handler(vm, fr);
    if (h) {
        void *addr = jit_address(fr->m, h->target);
        if (addr) {
            VmObject *exc = vm->roots->pending;
            vm->roots->pending = NULL;
            fr->base[fr->m->nlocals + h->height] = vm_ref_slot(exc);
            return addr;
        }
    }
    vm_pop_frame(vm);
    return NULL;
}
