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
 * [op] (NEW, INVOKE*, INITSUPER) and quickens it: o->u.p the method, o->c
 * its argument slots, o->b the vtable index, o->cache_cls the class of NEW.
 * Initialises the class where the call is its first active use. 0 or -1. */
int vm_resolve_call(MicaVM *vm, VmMethod *m, VmInsn *o, int op);

/* Resolves the FIELD constant of [o] (GET/PUT FIELD/STATIC) and quickens
 * it: o->b the slot of an instance field, o->u.p the address of a static
 * one, o->cache_target the VmField. 0 or -1. */
int vm_resolve_field(MicaVM *vm, VmMethod *m, VmInsn *o, int op);

/* Quickens INSTANCEOF, CHECKCAST or NEWARRAY [o]: o->u.p the class. 0 or -1. */
int vm_resolve_type_insn(MicaVM *vm, VmMethod *m, VmInsn *o);

/* Quickens LDC_STR [o]: o->u.p the interned String. 0 or -1. */
int vm_resolve_ldc(MicaVM *vm, VmMethod *m, VmInsn *o);

/* The method instance call [t] ([vindex]: its vtable index, -1 for none)
 * runs on an instance of [recv]. NULL if there is none. */
VmMethod *vm_dispatch(VmClass *recv, VmMethod *t, int32_t vindex);

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

#endif
