/* stdlib/natives/core.c: the C natives of std.core (Object, String, System,
 * Exception) and the "mica" native table. Each takes the MicaVM first. */
#include "natives.h"
#include "cm_mem.h"
#include "std_util.h"

#include <stdio.h>
#include <stdlib.h>
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
    if (self->cls->is_array)
        return std_array_text(vm, (VmArray *)self);
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
    VmString *r = mk(vm, NULL, (size_t)(s->length + o->length));
    if (!r)
        return NULL;
    memcpy(r->bytes, s->bytes, (size_t)s->length);
    memcpy(r->bytes + s->length, o->bytes, (size_t)o->length);
    if (s->cp_known && o->cp_known) {
        r->cp_known = true;
        r->ascii = s->ascii && o->ascii;
        r->cp_length = s->cp_length + o->cp_length;
    }
    return r;
}

static bool std_string_equals(MicaVM *vm, VmString *s, VmObject *o)
{
    return vm_string_equals(s, o);
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
    size_t n = s ? (size_t)s->length : 4;
    /* one write for a line that fits in a small copy; a long one in two */
    char *line = n < 65536 ? cm_malloc(n + 1) : NULL;
    if (!line) {
        vm_write(vm, 2, s ? s->bytes : "null", n);
        vm_write(vm, 2, "\n", 1);
        return;
    }
    memcpy(line, s ? s->bytes : "null", n);
    line[n] = '\n';
    vm_write(vm, 2, line, n + 1);
    free(line);
}

static void std_system_exit(MicaVM *vm, int64_t code)
{
    vm_flush(vm);
    vm->exiting = true;
    vm->exit_code = (int)code;
}

static int64_t std_system_nano_time(MicaVM *vm)
{
    if (std_denied(vm, MICA_CAP_CLOCK, "System.nanoTime", NULL))
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t std_system_current_time_millis(MicaVM *vm)
{
    if (std_denied(vm, MICA_CAP_CLOCK, "System.currentTimeMillis", NULL))
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static VmString *std_system_getenv(MicaVM *vm, VmString *name)
{
    if (!name) {
        vm_throw(vm, "NullError", "the variable name is null");
        return NULL;
    }
    if (std_denied(vm, MICA_CAP_ENV, "read environment variable", name->bytes))
        return NULL;
    const char *v = getenv(name->bytes);
    return v ? mk(vm, v, strlen(v)) : NULL;
}

/* The String[] that main received: the bottom frame is main's, and its first
 * slot is its parameter (Mica parameters cannot be reassigned). */
static VmArray *std_system_args(MicaVM *vm)
{
    if (vm->nframes > 0 && strcmp(vm->frames[0].m->name, "main") == 0 &&
        strcmp(vm->frames[0].m->desc, "([Lstd/core/String;)V") == 0) {
        VmArray *a = vm_slot_ref(vm->frames[0].base[0]);
        if (a)
            return a;
    }
    MicaStatus st;
    VmClass *c = vm_load_class(vm, "[Lstd/core/String;", &st);
    if (!c) {
        vm_throw(vm, "LinkError", "%s", vm->last_error ? vm->last_error : "String[]");
        return NULL;
    }
    return vm_new_array(vm, c, 0);
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

/* The exception's description as an uncaught one prints: type, message, one
 * "    at" line a frame, then its causes. */
/* An upper bound of the bytes vm_describe_exception writes for [exc] (it
 * follows 16 causes): checked against the heap cap before the text is built. */
static size_t describe_bound(MicaVM *vm, VmObject *exc)
{
    size_t n = 0;
    for (int depth = 0; exc && depth < 17; depth++) {
        uint64_t *f = vm_object_fields(exc);
        VmString *msg = vm_slot_ref(f[vm->exc_message_slot]);
        VmArray *tr = vm_slot_ref(f[vm->exc_trace_slot]);
        n += 1024 + (msg ? (size_t)msg->length : 0);
        if (tr && tr->cls->elem_kind == CF_KIND_INT)
            n += (size_t)tr->length / 2 * 1400;
        exc = vm_slot_ref(f[vm->exc_cause_slot]);
    }
    return n;
}

static VmString *std_exception_stack_trace(MicaVM *vm, VmObject *self)
{
    /* the text is built outside the heap, then copied onto it: both must fit */
    if (vm_heap_reserve(vm, 2 * describe_bound(vm, self), "a stack trace") < 0)
        return NULL;
    char *saved = vm->last_error ? cm_strdup(vm->last_error) : NULL;
    vm_describe_exception(vm, self);
    const char *t = vm->last_error ? vm->last_error : "";
    VmString *r = mk(vm, t, strlen(t));
    free(vm->last_error);
    vm->last_error = saved;
    return r;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_core_natives[] = {
    NATIVE(std_object_hash_code),
    NATIVE(std_object_to_string),
    NATIVE(std_string_concat),
    NATIVE(std_string_equals),
    NATIVE(std_string_hash_code),
    NATIVE(std_string_compare_to),
    NATIVE(std_string_byte_at),
    NATIVE(std_string_of_int),
    NATIVE(std_string_of_float),
    NATIVE(std_system_print),
    NATIVE(std_system_println),
    NATIVE(std_system_eprintln),
    NATIVE(std_system_exit),
    NATIVE(std_system_nano_time),
    NATIVE(std_system_current_time_millis),
    NATIVE(std_system_getenv),
    NATIVE(std_system_args),
    NATIVE(std_exception_fill_trace),
    NATIVE(std_exception_type_name),
    NATIVE(std_exception_stack_trace),
    {NULL, NULL},
};
#undef NATIVE
