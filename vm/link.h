/* vm/link.h: lazy linking and the slow paths shared by the interpreter and
 * compiled code (vm/link.c), and pre-decoding (vm/interp.c). One
 * implementation of each: the tiers differ only in how they reach it. */
#ifndef MICA_VM_LINK_H
#define MICA_VM_LINK_H

#include "ops.h"
#include "vm.h"

/* Writes [name] with '/' turned into '.' into [buf] ([n] bytes). */
void vm_dotted(const char *name, char *buf, size_t n);

/* Pre-decodes verified method [m] (m->code, handlers, tables, m->heights).
 * 0, or -1 with LinkError/OutOfMemoryError pending. */
int vm_predecode(MicaVM *vm, VmMethod *m);

/* Makes [t] callable: its class linked (natives bound), its code
 * pre-decoded. 0, or -1 with an exception pending. */
int vm_prepare(MicaVM *vm, VmMethod *t);

/* Resolves the METHOD constant of call instruction [o] of [m] for opcode
 * [op] (NEW, INVOKE*, INITSUPER) and quickens it: o->method the method,
 * o->nargs its argument slots, o->cache_cls the class of NEW; calls of the
 * intrinsics become their own ops (vm/ops.h). Initialises the class where
 * the call is its first active use. 0 or -1. */
int vm_resolve_call(MicaVM *vm, VmMethod *m, VmInsn *o, int op);

/* Resolves the FIELD constant of [o] (GET/PUT FIELD/STATIC) and quickens
 * it: o->slot the slot of an instance field, o->addr the address of a
 * static one, o->field the VmField. 0 or -1. */
int vm_resolve_field(MicaVM *vm, VmMethod *m, VmInsn *o, int op);

/* Quickens INSTANCEOF, CHECKCAST or NEWARRAY [o]: o->cls the class. 0 or -1. */
int vm_resolve_type_insn(MicaVM *vm, VmMethod *m, VmInsn *o);

/* Quickens LDC_STR [o]: o->str the interned String. 0 or -1. */
int vm_resolve_ldc(MicaVM *vm, VmMethod *m, VmInsn *o);

/* The method instance call [t] runs on an instance of [recv] (a subclass
 * of t's class, or an implementor of t's interface): the vtable slot for
 * class methods, a per-VM cache then a search by name for interface methods.
 * NULL if there is none. */
VmMethod *vm_dispatch(MicaVM *vm, VmClass *recv, VmMethod *t);

/* The target of quick INVOKEVIRTUAL/INVOKEIFACE [o] for non-null [recv],
 * through the instruction's monomorphic cache. NULL with LinkError pending. */
VmMethod *vm_virtual_target(MicaVM *vm, VmInsn *o, VmObject *recv);

/* The `invoke` method that CALLFN [o] of [m] runs on the function value
 * under its [nargs] argument slots (stack top [sp]), through the
 * instruction's monomorphic cache. NULL with NullError/CastError/LinkError
 * pending. */
VmMethod *vm_callfn_target(MicaVM *vm, VmMethod *m, VmInsn *o, uint64_t *sp, uint32_t *nargs);

/* The handler of frame [fr]'s method that catches the pending exception
 * raised at fr->ip, or NULL (none, or the run is halted or exiting). */
const VmHandler *vm_find_handler(MicaVM *vm, VmFrame *fr);

/* Run-time faults both tiers raise, with one text each. Return -1. */
int vm_throw_null_call(MicaVM *vm, const VmMethod *target);
int vm_throw_null_field(MicaVM *vm, const VmInsn *o);
int vm_throw_bounds(MicaVM *vm, const VmArray *arr, int64_t idx);
int vm_throw_cast(MicaVM *vm, const VmObject *o, const VmClass *c);
/* Raises ArrayStoreError for storing [v] in an array of class [array]; returns -1. */
int vm_throw_array_store(MicaVM *vm, const VmObject *v, const VmClass *array);

#endif
