/* tests/unit/vm/vm_asm.h: a tiny assembler for the VM's unit tests: code bytes,
 * classes with a source file, and methods with code, built with the classfile
 * builder. Check assertions fail the test on any builder error. Also loading
 * a built class into a VM, and the message of the exception a test's call
 * left pending. */
#ifndef MICA_TEST_VM_ASM_H
#define MICA_TEST_VM_ASM_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "classfile.h"
#include "mica.h"
#include "vm.h"

typedef struct Asm {
    uint8_t b[4096];
    uint32_t n;
} Asm;

static inline void op(Asm *a, uint8_t o)
{
    a->b[a->n++] = o;
}

static inline void op16(Asm *a, uint8_t o, uint16_t v)
{
    op(a, o);
    op(a, (uint8_t)(v >> 8));
    op(a, (uint8_t)v);
}

static inline void op32(Asm *a, uint8_t o, int32_t v)
{
    op(a, o);
    for (int s = 24; s >= 0; s -= 8)
        op(a, (uint8_t)((uint32_t)v >> s));
}

static inline CfClass *new_class(const char *name, const char *super, uint16_t flags)
{
    CfClass *c = cf_class_new();
    ck_assert_ptr_nonnull(c);
    c->flags = flags;
    c->this_class = cf_cp_class(c, name);
    c->super_class = cf_cp_class(c, super ? super : "std/core/Object");
    cf_set_source_file(c, "main.mica");
    return c;
}

static inline void add_code(CfClass *c, uint16_t flags, const char *name, const char *desc,
                     uint16_t max_stack, const char *const *locals, uint16_t nlocals,
                     const Asm *a, const CfLine *lines, uint32_t nlines)
{
    CfMethod *m = cf_add_method(c, flags, name, desc);
    ck_assert_ptr_nonnull(m);
    uint16_t lt[16];
    for (uint16_t i = 0; i < nlocals; i++)
        lt[i] = cf_cp_utf8z(c, locals[i]);
    ck_assert_int_eq(cf_set_code(c, m, max_stack, nlocals, lt, a->b, a->n, lines, nlines), 0);
}

/* Writes class [c], loads it into [vm] and frees it: mica_load_bytes's status. */
/* static int rec(int n) { if (n == 0) return 0; return rec(n - 1) + 1; } in class
 * [cls]: a call n deep. */
static inline void add_rec(CfClass *c, const char *cls)
{
    uint16_t self = cf_cp_method(c, cls, "rec", "(I)I");
    Asm r = {0};
    op16(&r, CF_OP_LOAD, 0);
    op(&r, CF_OP_EQZ);
    op16(&r, CF_OP_IF, 0);
    op32(&r, CF_OP_ICONST, 0);
    op(&r, CF_OP_RETURN);
    op(&r, CF_OP_END);
    op16(&r, CF_OP_LOAD, 0);
    op32(&r, CF_OP_ICONST, 1);
    op(&r, CF_OP_ISUB);
    op16(&r, CF_OP_INVOKESTATIC, self);
    op32(&r, CF_OP_ICONST, 1);
    op(&r, CF_OP_IADD);
    op(&r, CF_OP_RETURN);
    add_code(c, CF_ACC_STATIC, "rec", "(I)I", 2, NULL, 0, &r, NULL, 0);
}

static inline MicaStatus load(MicaVM *vm, CfClass *c)
{
    uint8_t *bytes;
    size_t len;
    CfError err;
    ck_assert_msg(cf_write(c, &bytes, &len, &err) == 0, "%s", err.msg);
    MicaStatus st = mica_load_bytes(vm, bytes, len);
    free(bytes);
    cf_class_free(c);
    return st;
}

/* The message of the pending exception, "(none)" or "(null)". */
static inline const char *pending_message(MicaVM *vm)
{
    VmObject *e = vm->roots->pending;
    if (!e)
        return "(none)";
    VmString *s = vm_slot_ref(vm_object_fields(e)[vm->exc_message_slot]);
    return s ? s->bytes : "(null)";
}

#endif
