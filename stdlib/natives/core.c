/* stdlib/natives/core.c: the C natives of std.core (Object, String, System,
 * Exception) and the "mica" native table. Each takes the MicaVM first. */
#include "natives.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vm.h"

static VmString *mk(MicaVM *vm, const char *s, size_t n)
{
    return vm_new_string(vm, s, n);
}

/* ---- std/core/Object ---- */

static int64_t std_object_hash_code(MicaVM *vm, VmObject *self)
{
    /* Boehm never moves objects, so the address is a stable identity */
    uint64_t a = (uint64_t)(uintptr_t)self;
    a ^= a >> 29;
    a *= 0xbf58476d1ce4e5b9u;
    a ^= a >> 32;
    return (int64_t)(a & 0x7fffffff);
}

static VmString *std_object_to_string(MicaVM *vm, VmObject *self)
{
    int64_t h;
    VmMethod *hm = NULL;
    for (uint32_t i = 0; i < self->cls->vtable_len; i++) {
        VmMethod *x = self->cls->vtable[i];
        if (strcmp(x->name, "hashCode") == 0 && strcmp(x->desc, "()I") == 0) {
            hm = x;
            break;
        }
    }
    if (hm && !(hm->flags & CF_ACC_NATIVE && hm->cls == vm->c_object)) {
        uint64_t arg = vm_ref_slot(self), r = 0;
        if (vm_call(vm, hm, &arg, 1, &r) < 0)
            return NULL;
        h = (int64_t)r;
    } else {
        h = std_object_hash_code(vm, self);
    }
    char buf[1200];
    size_t k = 0;
    for (const char *p = self->cls->name; *p && k < 1000; p++)
        buf[k++] = *p == '/' ? '.' : *p;
    k += (size_t)snprintf(buf + k, sizeof buf - k, "@%llx", (unsigned long long)(uint64_t)h);
    return mk(vm, buf, k);
}

/* ---- std/core/String ---- */

static int64_t std_string_length(MicaVM *vm, VmString *s)
{
    return s->length;
}

static VmString *std_string_concat(MicaVM *vm, VmString *s, VmString *o)
{
    if (!o) {
        vm_throw(vm, "NullError", "cannot concatenate null");
        return NULL;
    }
    if (o->length == 0)
        return s;
    if (s->length == 0)
        return o;
    if ((uint64_t)s->length > (uint64_t)INT64_MAX / 2 - (uint64_t)o->length) {
        vm_throw(vm, "OutOfMemoryError", "string too large");
        return NULL;
    }
    VmString *r = mk(vm, s->bytes, (size_t)(s->length + o->length));
    if (r)
        memcpy(r->bytes + s->length, o->bytes, (size_t)o->length);
    return r;
}

static bool std_string_equals(MicaVM *vm, VmString *s, VmObject *o)
{
    if ((VmObject *)s == o)
        return true;
    if (!o || o->cls != s->cls)
        return false;
    VmString *t = (VmString *)o;
    return t->length == s->length && memcmp(t->bytes, s->bytes, (size_t)s->length) == 0;
}

static int64_t std_string_hash_code(MicaVM *vm, VmString *s)
{
    return vm_string_hash(s);
}

static int64_t std_string_compare_to(MicaVM *vm, VmString *s, VmString *o)
{
    if (!o) {
        vm_throw(vm, "NullError", "cannot compare a string to null");
        return 0;
    }
    int64_t n = s->length < o->length ? s->length : o->length;
    for (int64_t i = 0; i < n; i++) {
        int d = (uint8_t)s->bytes[i] - (uint8_t)o->bytes[i];
        if (d)
            return d;
    }
    return s->length - o->length;
}

static int64_t std_string_byte_at(MicaVM *vm, VmString *s, int64_t i)
{
    if (i < 0 || i >= s->length) {
        vm_throw(vm, "IndexError", "index %lld out of bounds for length %lld", (long long)i,
                 (long long)s->length);
        return 0;
    }
    return (uint8_t)s->bytes[i];
}

static VmString *std_string_substring(MicaVM *vm, VmString *s, int64_t from, int64_t to)
{
    if (from < 0 || to > s->length || from > to) {
        vm_throw(vm, "IndexError", "begin %lld, end %lld, length %lld", (long long)from,
                 (long long)to, (long long)s->length);
        return NULL;
    }
    if (from == 0 && to == s->length)
        return s;
    return mk(vm, s->bytes + from, (size_t)(to - from));
}

static int64_t std_string_index_of(MicaVM *vm, VmString *s, VmString *sub)
{
    if (!sub) {
        vm_throw(vm, "NullError", "cannot search for null");
        return 0;
    }
    if (sub->length == 0)
        return 0;
    for (int64_t i = 0; i + sub->length <= s->length; i++)
        if (memcmp(s->bytes + i, sub->bytes, (size_t)sub->length) == 0)
            return i;
    return -1;
}

static VmString *std_string_of_int(MicaVM *vm, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    return mk(vm, buf, (size_t)n);
}

static VmString *std_string_of_float(MicaVM *vm, double v)
{
    char buf[40];
    size_t n = std_format_double(v, buf, sizeof buf);
    return mk(vm, buf, n);
}

/* ---- std/core/System ---- */

static void std_system_print(MicaVM *vm, VmString *s)
{
    if (!s)
        vm_out(vm, "null", 4);
    else
        vm_out(vm, s->bytes, (size_t)s->length);
}

static void std_system_println(MicaVM *vm, VmString *s)
{
    std_system_print(vm, s);
    vm_out(vm, "\n", 1);
}

static void std_system_eprintln(MicaVM *vm, VmString *s)
{
    vm_flush(vm);
    if (!s)
        fputs("null", stderr);
    else
        fwrite(s->bytes, 1, (size_t)s->length, stderr);
    fputc('\n', stderr);
    fflush(stderr);
}

static void std_system_exit(MicaVM *vm, int64_t code)
{
    vm_flush(vm);
    vm->exiting = true;
    vm->exit_code = (int)code;
}

static int64_t std_system_nano_time(MicaVM *vm)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- std/core/Exception ---- */

static void std_exception_fill_trace(MicaVM *vm, VmObject *self)
{
    if (vm_fill_trace(vm, self) < 0 && !vm->roots->pending)
        vm_throw(vm, "OutOfMemoryError", "cannot record a stack trace");
}

static VmString *std_exception_type_name(MicaVM *vm, VmObject *self)
{
    char buf[512];
    vm_type_name(self->cls, buf, sizeof buf);
    return mk(vm, buf, strlen(buf));
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_core_natives[] = {
    NATIVE(std_object_hash_code),
    NATIVE(std_object_to_string),
    NATIVE(std_string_length),
    NATIVE(std_string_concat),
    NATIVE(std_string_equals),
    NATIVE(std_string_hash_code),
    NATIVE(std_string_compare_to),
    NATIVE(std_string_byte_at),
    NATIVE(std_string_substring),
    NATIVE(std_string_index_of),
    NATIVE(std_string_of_int),
    NATIVE(std_string_of_float),
    NATIVE(std_system_print),
    NATIVE(std_system_println),
    NATIVE(std_system_eprintln),
    NATIVE(std_system_exit),
    NATIVE(std_system_nano_time),
    NATIVE(std_exception_fill_trace),
    NATIVE(std_exception_type_name),
    {NULL, NULL},
};
#undef NATIVE
