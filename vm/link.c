/* vm/link.c: lazy linking shared by both tiers: resolving constant-pool
 * references on first execution and quickening the instruction (operands
 * first, then the opcode with release order), making a method callable,
 * dispatching instance calls and function values through inline caches held
 * in the instruction (data, never code), finding exception handlers, and
 * raising the run-time faults that both tiers share. */
#include "link.h"
#include "cm_mem.h"

#include <stdlib.h>
#include <string.h>

#include "frame.h"

void vm_dotted(const char *name, char *buf, size_t n)
{
    size_t i = 0;
    for (; name[i] && i + 1 < n; i++)
        buf[i] = name[i] == '/' ? '.' : name[i];
    buf[i] = 0;
}

static int intrinsic_op(const VmMethod *t, int plain);

typedef struct MemberRef {
    const char *cls, *name, *desc;
} MemberRef;

static int member_ref(MicaVM *vm, VmMethod *m, uint16_t idx, uint8_t kind, MemberRef *r)
{
    const CfClass *cf = m->cls->cf;
    if (idx >= cf->ncp || cf->cp[idx].kind != kind)
        return vm_throw(vm, "LinkError", "bad constant #%u in %s", idx, m->cls->name);
    r->cls = cf_class_name(cf, cf->cp[idx].u.ref.cls);
    r->name = cf_utf8(cf, cf->cp[idx].u.ref.name);
    r->desc = cf_utf8(cf, cf->cp[idx].u.ref.desc);
    if (!r->cls || !r->name || !r->desc)
        return vm_throw(vm, "LinkError", "bad constant #%u in %s", idx, m->cls->name);
    return 0;
}

static int no_method(MicaVM *vm, const MemberRef *r, const char *why)
{
    char c[512];
    vm_dotted(r->cls, c, sizeof c);
    if (why)
        return vm_throw(vm, "LinkError", "method %s.%s%s %s", c, r->name, r->desc, why);
    return vm_throw(vm, "LinkError", "no method %s%s in class %s", r->name, r->desc, c);
}

/* Resolves the METHOD constant of [o] for opcode [op] and quickens [o]. */
int vm_resolve_call(MicaVM *vm, VmMethod *m, VmInsn *o, int op)
{
    MemberRef r;
    if (member_ref(vm, m, o->cpi, CF_CONST_METHOD, &r) < 0)
        return -1;
    VmClass *c = vm_resolve_class(vm, r.cls);
    if (!c)
        return -1;
    VmMethod *t;
    if (op == VM_OP_NEW || op == VM_OP_INITSUPER)
        t = vm_find_declared(c, r.name, r.desc);
    else
        t = vm_find_method(c, r.name, r.desc);
    if (!t)
        return no_method(vm, &r, NULL);
    if ((t->flags & CF_ACC_PRIVATE) && t->cls != m->cls)
        return no_method(vm, &r, "is private");
    bool is_static = (t->flags & CF_ACC_STATIC) != 0;
    if (op == VM_OP_INVOKESTATIC && !is_static)
        return no_method(vm, &r, "is not static");
    if (op != VM_OP_INVOKESTATIC && is_static)
        return no_method(vm, &r, "is static");
    if (op == VM_OP_INVOKEIFACE && !c->is_interface)
        return no_method(vm, &r, "does not belong to an interface");
    o->nargs = (int32_t)t->nparams;
    o->method = t;
    switch (op) {
    case VM_OP_NEW:
        if (c->is_abstract) {
            char d[512];
            vm_dotted(c->name, d, sizeof d);
            return vm_throw(vm, "LinkError", "cannot instantiate %s %s",
                            c->is_interface ? "interface" : "abstract class", d);
        }
        if (c->is_string || c->is_array)
            return vm_throw(vm, "LinkError", "cannot instantiate %s with new", c->name);
        if (vm_init_class(vm, c) < 0)
            return -1;
        o->cache_cls = c;
        vm_publish_op(o, VM_OP_NEW_Q);
        break;
    case VM_OP_INVOKESTATIC:
        if (vm_init_class(vm, t->cls) < 0)
            return -1;
        vm_publish_op(o, intrinsic_op(t, VM_OP_INVOKE_Q));
        break;
    case VM_OP_INITSUPER:
        vm_publish_op(o, VM_OP_INVOKE_Q);
        break;
    case VM_OP_INVOKESPECIAL:
        vm_publish_op(o, VM_OP_INVOKESPECIAL_Q);
        break;
    case VM_OP_INVOKEVIRTUAL:
        /* private methods are not in vtables, and String is final: they bind
         * directly */
        vm_publish_op(o, (t->flags & CF_ACC_PRIVATE) ? VM_OP_INVOKESPECIAL_Q
                         : c->is_string ? intrinsic_op(t, VM_OP_INVOKESPECIAL_Q)
                                        : VM_OP_INVOKEVIRTUAL_Q);
        break;
    default:
        vm_publish_op(o, VM_OP_INVOKEIFACE_Q);
        break;
    }
    return 0;
}

int vm_resolve_field(MicaVM *vm, VmMethod *m, VmInsn *o, int op)
{
    MemberRef r;
    if (member_ref(vm, m, o->cpi, CF_CONST_FIELD, &r) < 0)
        return -1;
    VmClass *c = vm_resolve_class(vm, r.cls);
    if (!c)
        return -1;
    VmField *f = vm_find_field(c, r.name);
    char d[512];
    vm_dotted(r.cls, d, sizeof d);
    if (!f || strcmp(f->desc, r.desc) != 0)
        return vm_throw(vm, "LinkError", "no field %s:%s in class %s", r.name, r.desc, d);
    if ((f->flags & CF_ACC_PRIVATE) && f->owner != m->cls)
        return vm_throw(vm, "LinkError", "field %s.%s is private", d, r.name);
    bool is_static = (f->flags & CF_ACC_STATIC) != 0;
    bool want_static = op == VM_OP_GETSTATIC || op == VM_OP_PUTSTATIC;
    if (is_static != want_static)
        return vm_throw(vm, "LinkError", "field %s.%s is %sstatic", d, r.name,
                        is_static ? "" : "not ");
    CfKind k = cf_desc_kind(f->desc);
    o->field = f;
    if (is_static) {
        if (vm_init_class(vm, f->owner) < 0)
            return -1;
        o->addr = &f->owner->statics[f->slot];
        vm_publish_op(o, op == VM_OP_GETSTATIC ? VM_OP_GETSTATIC_Q
                         : k == CF_KIND_BYTE ? VM_OP_PUTSTATIC_B_Q
                         : k == CF_KIND_BOOL ? VM_OP_PUTSTATIC_Z_Q : VM_OP_PUTSTATIC_Q);
    } else {
        o->slot = (int32_t)f->slot;
        vm_publish_op(o, op == VM_OP_GETFIELD ? VM_OP_GETFIELD_Q
                         : k == CF_KIND_BYTE ? VM_OP_PUTFIELD_B_Q
                         : k == CF_KIND_BOOL ? VM_OP_PUTFIELD_Z_Q : VM_OP_PUTFIELD_Q);
    }
    return 0;
}

static VmClass *resolve_type(MicaVM *vm, VmMethod *m, uint16_t idx)
{
    const char *name = cf_class_name(m->cls->cf, idx);
    if (!name) {
        vm_throw(vm, "LinkError", "bad class constant #%u in %s", idx, m->cls->name);
        return NULL;
    }
    MicaStatus st;
    VmClass *c = vm_load_class(vm, name, &st);
    if (!c)
        vm_throw(vm, "LinkError", "%s", vm->last_error);
    return c;
}

/* The method an instance call of [t] runs on an instance of [recv], by
 * name and descriptor (the slow path of vm_dispatch). */
static VmMethod *dispatch_by_name(VmClass *recv, const VmMethod *t)
{
    for (uint32_t i = 0; i < recv->vtable_len; i++)
        if (strcmp(recv->vtable[i]->name, t->name) == 0 &&
            strcmp(recv->vtable[i]->desc, t->desc) == 0)
            return recv->vtable[i];
    return NULL;
}

VmMethod *vm_dispatch(MicaVM *vm, VmClass *recv, VmMethod *t)
{
    /* a subclass of the method's class inherits its vtable layout: the slot
     * is the override, no names compared */
    const VmClass *d = t->cls;
    int32_t vi = t->vtable_index;
    if (vi >= 0 && !d->is_interface && recv->depth >= d->depth &&
        recv->ancestors[d->depth] == d && (uint32_t)vi < recv->vtable_len)
        return recv->vtable[vi];
    /* interface methods (and anything else): a per-VM cache of (class, method)
     * pairs in front of the search by name, so that call sites that see many
     * classes compare no strings once warm */
    if (!vm->dispatch_cache)
        vm->dispatch_cache = cm_calloc(VM_DISPATCH_CACHE, sizeof *vm->dispatch_cache);
    VmDispatchEntry *e = NULL;
    if (vm->dispatch_cache) {
        uintptr_t h = ((uintptr_t)recv >> 4) ^ ((uintptr_t)t >> 3) ^ ((uintptr_t)t >> 11);
        e = &vm->dispatch_cache[h & (VM_DISPATCH_CACHE - 1)];
        if (e->cls == recv && e->decl == t)
            return e->target;
    }
    VmMethod *x = dispatch_by_name(recv, t);
    if (x && e) {
        e->cls = recv;
        e->decl = t;
        e->target = x;
    }
    return x;
}

/* The intrinsic form of a call of [t] (vm/ops.h), or [plain] when [t] is
 * none: a few core methods of std.core (and std.util.Arrays.copy) that both
 * tiers run inline. */
static int intrinsic_op(const VmMethod *t, int plain)
{
    static const struct {
        const char *cls, *name, *desc;
        int op;
    } table[] = {
        {"std/core/Math", "sqrt", "(F)F", VM_OP_FSQRT_Q},
        {"std/core/Math", "abs", "(F)F", VM_OP_FABS_Q},
        {"std/core/Math", "abs", "(I)I", VM_OP_IABS_Q},
        {"std/core/Math", "min", "(II)I", VM_OP_IMIN_Q},
        {"std/core/Math", "max", "(II)I", VM_OP_IMAX_Q},
        {"std/core/Math", "min", "(FF)F", VM_OP_FMIN_Q},
        {"std/core/Math", "max", "(FF)F", VM_OP_FMAX_Q},
        {"std/core/Int", "abs", "(I)I", VM_OP_IABS_Q},
        {"std/core/Int", "min", "(II)I", VM_OP_IMIN_Q},
        {"std/core/Int", "max", "(II)I", VM_OP_IMAX_Q},
        {"std/util/Arrays", "copy", "([II[III)V", VM_OP_ACOPY_Q},
        {"std/util/Arrays", "copy", "([FI[FII)V", VM_OP_ACOPY_Q},
        {"std/util/Arrays", "copy", "([BI[BII)V", VM_OP_ACOPY_Q},
        {"std/util/Arrays", "copy", "([ZI[ZII)V", VM_OP_ACOPY_Q},
        {"std/util/Arrays", "copy", "([Lstd/core/Object;I[Lstd/core/Object;II)V", VM_OP_ACOPY_Q},
        {"std/core/String", "length", "()I", VM_OP_STRLEN_Q},
        {"std/core/String", "charAt", "(I)Lstd/core/String;", VM_OP_CHARAT_Q},
        {"std/core/String", "codePointAt", "(I)I", VM_OP_CODEPOINT_Q},
        {"std/core/String", "equals", "(Lstd/core/Object;)Z", VM_OP_STREQ_Q},
        {"std/core/String", "substring", "(II)Lstd/core/String;", VM_OP_SUBSTR_Q},
    };
    if (!t->cls->is_std)
        return plain;
    for (size_t i = 0; i < sizeof table / sizeof *table; i++)
        if (strcmp(t->name, table[i].name) == 0 && strcmp(t->desc, table[i].desc) == 0 &&
            strcmp(t->cls->name, table[i].cls) == 0)
            return table[i].op;
    return plain;
}

/* Makes [t] callable: its class linked (natives bound), its code pre-decoded. */
int vm_prepare(MicaVM *vm, VmMethod *t)
{
    VmClass *c = t->cls;
    if (c->state == VM_CLASS_LOADED || c->state == VM_CLASS_ERROR) {
        MicaStatus st;
        if (vm_link_class(vm, c, &st) < 0)
            return vm_throw(vm, "LinkError", "%s", vm->last_error);
    }
    if (t->flags & CF_ACC_NATIVE) {
        if (!t->native)
            return vm_throw(vm, "LinkError", "native method %s.%s is not bound", c->name,
                            t->name);
        return 0;
    }
    if (!t->code) {
        if ((t->flags & CF_ACC_ABSTRACT) || !t->cf->code)
            return vm_throw(vm, "LinkError", "abstract method %s.%s%s called", c->name,
                            t->name, t->desc);
        if (!c->info)
            return vm_throw(vm, "LinkError", "class %s is not linked", c->name);
        return vm_predecode(vm, t);
    }
    return 0;
}

static bool handler_matches(MicaVM *vm, VmMethod *m, VmHandler *h, VmObject *exc)
{
    if (h->cls_index == 0)
        return true;
    if (!h->cls) {
        const char *name = cf_class_name(m->cls->cf, h->cls_index);
        MicaStatus st;
        h->cls = name ? vm_load_class(vm, name, &st) : NULL;
        if (!h->cls)
            return false;
    }
    return vm_is_subclass(exc->cls, h->cls);
}

/* ---- instructions with a type or string operand ------------------------------ */

int vm_resolve_type_insn(MicaVM *vm, VmMethod *m, VmInsn *o)
{
    if (o->op == VM_OP_INSTANCEOF_Q || o->op == VM_OP_CHECKCAST_Q || o->op == VM_OP_NEWARRAY_Q)
        return 0;
    VmClass *c = resolve_type(vm, m, o->cpi);
    if (!c)
        return -1;
    o->cls = c;
    vm_publish_op(o, o->op == VM_OP_INSTANCEOF ? VM_OP_INSTANCEOF_Q
                     : o->op == VM_OP_CHECKCAST ? VM_OP_CHECKCAST_Q : VM_OP_NEWARRAY_Q);
    return 0;
}

int vm_resolve_ldc(MicaVM *vm, VmMethod *m, VmInsn *o)
{
    if (o->op == VM_OP_LDC_STR_Q)
        return 0;
    const CfClass *cf = m->cls->cf;
    uint16_t s = cf->cp[o->cpi].kind == CF_CONST_STRING ? cf->cp[o->cpi].u.name : 0;
    const char *text = cf_utf8(cf, s);
    if (!text)
        return vm_throw(vm, "LinkError", "bad string constant #%u in %s", o->cpi, m->cls->name);
    VmString *str = vm_intern(vm, text, cf->cp[s].u.utf8.len);
    if (!str)
        return -1;
    o->str = str;
    vm_publish_op(o, VM_OP_LDC_STR_Q);
    return 0;
}

/* ---- instance calls and function values ------------------------------------- */

VmMethod *vm_virtual_target(MicaVM *vm, VmInsn *o, VmObject *recv)
{
    if (o->cache_cls == recv->cls)
        return o->cache_target;
    VmMethod *t = o->method;
    VmMethod *target = vm_dispatch(vm, recv->cls, t);
    if (!target) {
        char d[512];
        vm_dotted(recv->cls->name, d, sizeof d);
        vm_throw(vm, "LinkError", "no method %s%s in class %s", t->name, t->desc, d);
        return NULL;
    }
    /* a reader checks the class, then uses the target: publish the target first */
    o->cache_target = target;
    __atomic_store_n(&o->cache_cls, recv->cls, __ATOMIC_RELEASE);
    return target;
}

VmMethod *vm_callfn_target(MicaVM *vm, VmMethod *m, VmInsn *o, uint64_t *sp, uint32_t *nargs)
{
    if (o->nargs <= 0) {
        const char *desc = cf_utf8(m->cls->cf, o->cpi);
        uint32_t np = 0;
        if (!desc || !cf_desc_method_ok(desc, &np)) {
            vm_throw(vm, "LinkError", "bad callfn descriptor in %s", m->cls->name);
            return NULL;
        }
        /* every parameter is one slot, the function value one more */
        o->nargs = (int32_t)np + 1;
    }
    *nargs = (uint32_t)o->nargs;
    VmObject *fn = vm_slot_ref(sp[-o->nargs]);
    if (!fn) {
        vm_throw(vm, "NullError", "cannot call a null function");
        return NULL;
    }
    if (o->cache_cls == fn->cls)
        return o->cache_target;
    const char *desc = cf_utf8(m->cls->cf, o->cpi);
    VmMethod *target = NULL;
    /* a call site that sees many function classes: each class remembers its last */
    if (fn->cls->fn_desc && (fn->cls->fn_desc == desc || strcmp(fn->cls->fn_desc, desc) == 0))
        target = fn->cls->fn_target;
    for (uint32_t i = 0; !target && i < fn->cls->vtable_len; i++) {
        VmMethod *x = fn->cls->vtable[i];
        if (strcmp(x->name, "invoke") == 0 && strcmp(x->desc, desc) == 0) {
            target = x;
            break;
        }
    }
    if (!target) {
        char d[512];
        vm_dotted(fn->cls->name, d, sizeof d);
        vm_throw(vm, "CastError", "cannot cast %s to a function %s", d, desc);
        return NULL;
    }
    fn->cls->fn_target = target;
    fn->cls->fn_desc = desc;
    o->cache_target = target;
    __atomic_store_n(&o->cache_cls, fn->cls, __ATOMIC_RELEASE);
    return target;
}

/* ---- exception handlers --------------------------------------------------------- */

const VmHandler *vm_find_handler(MicaVM *vm, VmFrame *fr)
{
    VmMethod *m = fr->m;
    VmObject *exc = vm->roots->pending;
    if (!exc || vm->fatal || vm->exiting || !fr->ip || !m->handlers)
        return NULL;
    uint32_t pc = m->pcs[fr->ip - m->code];
    for (uint32_t i = 0; i < m->nhandlers; i++) {
        VmHandler *h = &m->handlers[i];
        if (pc >= h->start && pc < h->end && handler_matches(vm, m, h, exc))
            return h;
    }
    return NULL;
}

/* ---- shared faults ------------------------------------------------------------ */

int vm_throw_null_call(MicaVM *vm, const VmMethod *target)
{
    return vm_throw(vm, "NullError", "cannot call method %s on null", target->name);
}

int vm_throw_null_field(MicaVM *vm, const VmInsn *o)
{
    return vm_throw(vm, "NullError", "cannot access field %s of null",
                    o->field->name);
}

int vm_throw_bounds(MicaVM *vm, const VmArray *arr, int64_t idx)
{
    if (!arr)
        return vm_throw(vm, "NullError", "cannot index a null array");
    return vm_throw(vm, "IndexError", "index %lld out of bounds for length %lld",
                    (long long)idx, (long long)arr->length);
}

int vm_throw_cast(MicaVM *vm, const VmObject *o, const VmClass *c)
{
    char x[512], y[512];
    vm_dotted(o->cls->name, x, sizeof x);
    vm_dotted(c->name, y, sizeof y);
    return vm_throw(vm, "CastError", "cannot cast %s to %s", x, y);
}

int vm_throw_array_store(MicaVM *vm, const VmObject *v, const VmClass *array)
{
    char x[512], y[512];
    vm_dotted(v->cls->name, x, sizeof x);
    vm_dotted(array->elem_class ? array->elem_class->name : array->name, y, sizeof y);
    return vm_throw(vm, "ArrayStoreError", "cannot store %s in an array of %s", x, y);
}
