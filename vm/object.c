/* vm/object.c: allocation of objects, arrays and strings, and string interning. */
#include "vm.h"

#include <string.h>

VmObject *vm_new_object(MicaVM *vm, VmClass *c)
{
    size_t n = sizeof(VmObject) + (size_t)c->nslots * sizeof(uint64_t);
    VmObject *o = gc_alloc(&vm->heap, n);
    if (!o) {
        vm_throw(vm, "OutOfMemoryError", "cannot allocate an instance of %s", c->name);
        return NULL;
    }
    o->cls = c;
    return o;
}

VmArray *vm_new_array(MicaVM *vm, VmClass *c, int64_t length)
{
    if (length < 0) {
        vm_throw(vm, "IllegalArgumentError", "negative array size %lld", (long long)length);
        return NULL;
    }
    if ((uint64_t)length > (SIZE_MAX - sizeof(VmArray) - 8) / c->elem_size) {
        vm_throw(vm, "OutOfMemoryError", "array of %lld elements is too large",
                 (long long)length);
        return NULL;
    }
    size_t n = sizeof(VmArray) + (size_t)length * c->elem_size;
    bool refs = c->elem_kind == CF_KIND_REF;
    VmArray *a = refs ? gc_alloc(&vm->heap, n) : gc_alloc_atomic(&vm->heap, n);
    if (!a) {
        vm_throw(vm, "OutOfMemoryError", "cannot allocate an array of %lld elements",
                 (long long)length);
        return NULL;
    }
    a->cls = c;
    a->length = length;
    return a;
}

static VmClass *string_class(MicaVM *vm)
{
    if (!vm->c_string) {
        MicaStatus st;
        vm->c_string = vm_load_class(vm, "std/core/String", &st);
    }
    return vm->c_string;
}

static VmString *new_string(MicaVM *vm, const char *s, size_t n, bool zero)
{
    VmClass *c = string_class(vm);
    if (!c) {
        vm_throw(vm, "LinkError", "%s", vm->last_error);
        return NULL;
    }
    if (n > SIZE_MAX / 2) {
        vm_throw(vm, "OutOfMemoryError", "string too large");
        return NULL;
    }
    size_t size = sizeof(VmString) + n + 1;
    VmString *str = zero ? gc_alloc_atomic(&vm->heap, size)
                         : gc_alloc_atomic_uninit(&vm->heap, size);
    if (!str) {
        vm_throw(vm, "OutOfMemoryError", "cannot allocate a string of %zu bytes", n);
        return NULL;
    }
    if (!zero)
        memset(str, 0, sizeof *str);
    str->cls = c;
    str->length = (int64_t)n;
    if (n && s) /* NULL [s]: zero bytes the caller fills in */
        memcpy(str->bytes, s, n);
    str->bytes[n] = 0;
    return str;
}

VmString *vm_new_string(MicaVM *vm, const char *s, size_t n)
{
    return new_string(vm, s, n, true);
}

VmString *vm_new_string_uninit(MicaVM *vm, size_t n)
{
    return new_string(vm, NULL, n, false);
}

VmString *vm_new_ascii_string(MicaVM *vm, const char *s, size_t n)
{
    VmString *str = new_string(vm, NULL, n, false);
    if (!str)
        return NULL;
    memcpy(str->bytes, s, n);
    str->cp_known = true;
    str->ascii = true;
    str->cp_length = (int64_t)n;
    return str;
}

int vm_substring_fast(MicaVM *vm, VmMethod *m, uint64_t *args)
{
    VmString *str = vm_slot_ref(args[0]);
    uint64_t from = args[1], to = args[2]; /* unsigned: a negative index is out of range */
    if (!str || !str->cp_known || !str->ascii || from > to || to > (uint64_t)str->length)
        return 0;
    if (to - from == (uint64_t)str->length)
        return 1; /* the whole: the string itself, already in args[0] */
    vm->frames[vm->nframes] = (VmFrame){.m = m, .base = args, .sp = args + 3};
    atomic_signal_fence(memory_order_release);
    vm->nframes++;
    VmString *r = vm_new_ascii_string(vm, str->bytes + from, (size_t)(to - from));
    vm->nframes--;
    if (!r)
        return -1;
    args[0] = vm_ref_slot(r);
    return 1;
}

int64_t vm_string_hash(VmString *s)
{
    if (!s->hashed) {
        uint64_t h = 0;
        for (int64_t i = 0; i < s->length; i++)
            h = h * 31u + (uint8_t)s->bytes[i];
        s->hash = (int64_t)h;
        s->hashed = true;
    }
    return s->hash;
}

VmString *vm_intern(MicaVM *vm, const char *s, size_t n)
{
    VmRoots *r = vm->roots;
    if ((r->ninterned + 1) * 2 > r->interned_cap) {
        size_t cap = r->interned_cap ? r->interned_cap * 2 : 256;
        VmString **t = gc_alloc(&vm->heap, cap * sizeof *t);
        if (!t) {
            vm_throw(vm, "OutOfMemoryError", "cannot grow the string table");
            return NULL;
        }
        for (size_t i = 0; i < r->interned_cap; i++) {
            VmString *e = r->interned[i];
            if (!e)
                continue;
            size_t k = (size_t)vm_string_hash(e) & (cap - 1);
            while (t[k])
                k = (k + 1) & (cap - 1);
            t[k] = e;
        }
        r->interned = t;
        r->interned_cap = cap;
    }
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * 31u + (uint8_t)s[i];
    size_t k = (size_t)h & (r->interned_cap - 1);
    for (; r->interned[k]; k = (k + 1) & (r->interned_cap - 1)) {
        VmString *e = r->interned[k];
        if ((size_t)e->length == n && memcmp(e->bytes, s, n) == 0)
            return e;
    }
    VmString *str = vm_new_string(vm, s, n);
    if (!str)
        return NULL;
    r->interned[k] = str;
    r->ninterned++;
    return str;
}
