/* stdlib/natives/array_text.c: the text of an array, as Object.toString gives it
 * for arrays: its elements in brackets, "[1, 2, 3]" (spec/corelib.md). */
#include "natives.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

/* The text being built: on the heap, under its cap (vm/vm.h, VmBuf). */
typedef struct Text {
    MicaVM *vm;
    VmBuf b;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    vm_buf_add(t->vm, &t->b, s, n);
}

/* The toString() of element [o] (not null, not the array itself). */
static VmString *element_text(MicaVM *vm, VmObject *o)
{
    VmMethod *m = NULL;
    for (uint32_t i = 0; i < o->cls->vtable_len; i++) {
        VmMethod *x = o->cls->vtable[i];
        if (strcmp(x->name, "toString") == 0 && strcmp(x->desc, "()Lstd/core/String;") == 0) {
            m = x;
            break;
        }
    }
    if (!m)
        return NULL;
    uint64_t arg = vm_ref_slot(o), r = 0;
    if (vm_call(vm, m, &arg, 1, &r) < 0)
        return NULL;
    return vm_slot_ref(r);
}

VmString *std_array_text(MicaVM *vm, VmArray *a)
{
    Text t = {vm, {0}};
    char buf[48];
    put(&t, "[", 1);
    const uint8_t *data = vm_array_data(a);
    CfKind kind = (CfKind)a->cls->elem_kind;
    for (int64_t i = 0; i < a->length && !t.b.failed; i++) {
        if (i > 0)
            put(&t, ", ", 2);
        size_t n = 0;
        switch (kind) {
        case CF_KIND_INT:
            n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)((const int64_t *)data)[i]);
            put(&t, buf, n);
            break;
        case CF_KIND_FLOAT:
            n = std_format_double(((const double *)data)[i], buf, sizeof buf);
            put(&t, buf, n);
            break;
        case CF_KIND_BOOL:
            put(&t, data[i] ? "true" : "false", data[i] ? 4 : 5);
            break;
        case CF_KIND_BYTE:
            n = (size_t)snprintf(buf, sizeof buf, "%u", (unsigned)data[i]);
            put(&t, buf, n);
            break;
        default: {
            VmObject *o = vm_slot_ref(((const uint64_t *)data)[i]);
            if (!o) {
                put(&t, "null", 4);
            } else if ((void *)o == (void *)a) {
                put(&t, "[...]", 5);
            } else {
                VmString *s = element_text(vm, o);
                if (!s)
                    return NULL;   /* the exception thrown by toString() is pending */
                put(&t, s->bytes, (size_t)s->length);
            }
        }
        }
    }
    put(&t, "]", 1);
    return vm_buf_string(vm, &t.b);
}
