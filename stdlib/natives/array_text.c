/* stdlib/natives/array_text.c: the text of an array, as Object.toString gives it
 * for arrays: its elements in brackets, "[1, 2, 3]" (spec/corelib.md). */
#include "natives.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

typedef struct Text {
    char *s;
    size_t n, cap;
    bool oom;
} Text;

static void put(Text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        while (cap < t->n + n + 1)
            cap *= 2;
        char *ns = realloc(t->s, cap);
        if (!ns) {
            t->oom = true;
            return;
        }
        t->s = ns;
        t->cap = cap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
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
    Text t = {0};
    char buf[48];
    put(&t, "[", 1);
    const uint8_t *data = vm_array_data(a);
    char kind = a->cls->elem_kind;
    for (int64_t i = 0; i < a->length && !t.oom; i++) {
        if (i > 0)
            put(&t, ", ", 2);
        size_t n = 0;
        switch (kind) {
        case 'I':
            n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)((const int64_t *)data)[i]);
            put(&t, buf, n);
            break;
        case 'F':
            n = std_format_double(((const double *)data)[i], buf, sizeof buf);
            put(&t, buf, n);
            break;
        case 'Z':
            put(&t, data[i] ? "true" : "false", data[i] ? 4 : 5);
            break;
        case 'B':
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
                if (!s) {
                    free(t.s);
                    return NULL;   /* the exception thrown by toString() is pending */
                }
                put(&t, s->bytes, (size_t)s->length);
            }
        }
        }
    }
    put(&t, "]", 1);
    if (t.oom) {
        free(t.s);
        vm_throw(vm, "OutOfMemoryError", "array text too large");
        return NULL;
    }
    VmString *r = vm_new_string(vm, t.s, t.n);
    free(t.s);
    return r;
}
