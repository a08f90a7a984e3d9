/* vm/exception.c: raising run-time faults as Mica exceptions, stack traces and
 * the text of uncaught exceptions. */
#include "vm.h"
#include "cm_mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void vm_set_error(MicaVM *vm, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[1];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    char *s = n >= 0 ? cm_malloc((size_t)n + 1) : NULL;
    if (s) {
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        free(vm->last_error);
        vm->last_error = s;
    }
    va_end(ap);
}

/* Finds std/core/Exception and the slots of its fields. */
static int exception_class(MicaVM *vm)
{
    if (vm->c_exception)
        return 0;
    MicaStatus st;
    VmClass *c = vm_load_class(vm, "std/core/Exception", &st);
    if (!c)
        return -1;
    VmField *msg = vm_find_field(c, "message");
    VmField *cause = vm_find_field(c, "cause");
    VmField *trace = vm_find_field(c, "trace");
    if (!msg || !cause || !trace || (msg->flags & CF_ACC_STATIC) ||
        (cause->flags & CF_ACC_STATIC) || (trace->flags & CF_ACC_STATIC)) {
        vm_set_error(vm, "std/core/Exception lacks the fields message, cause and trace");
        return -1;
    }
    vm->exc_message_slot = msg->slot;
    vm->exc_cause_slot = cause->slot;
    vm->exc_trace_slot = trace->slot;
    vm->c_exception = c;
    return 0;
}

/* When a fault cannot even be described by an exception object (the class is
 * missing, or raising recursed), the run ends with the VM's error text. */
static int fatal(MicaVM *vm)
{
    vm->roots->pending = NULL;
    vm->fatal = true;
    return -1;
}

int vm_throw(MicaVM *vm, const char *simple, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (vm->raising > 2) {
        vm_set_error(vm, "%s: %s (while raising another exception)", simple, msg);
        return fatal(vm);
    }
    vm->raising++;
    /* Raising must work when the heap cap is what failed: the exception
     * object, its message and trace are allocated above the cap. */
    size_t cap = vm->heap.limit;
    vm->heap.limit = 0;
    char name[128];
    snprintf(name, sizeof name, "std/core/%s", simple);
    MicaStatus st;
    VmObject *exc = NULL;
    VmClass *c = NULL;
    VmString *m = NULL;
    if (exception_class(vm) < 0)
        goto fail;
    c = vm_load_class(vm, name, &st);
    if (!c || vm_link_class(vm, c, &st) < 0)
        goto fail;
    exc = gc_alloc(&vm->heap, sizeof(VmObject) + c->nslots * sizeof(uint64_t));
    if (!exc) {
        vm_set_error(vm, "%s: %s (out of memory)", simple, msg);
        goto fail;
    }
    exc->cls = c;
    m = vm_new_string(vm, msg, strlen(msg));
    if (!m)
        goto fail;
    vm_object_fields(exc)[vm->exc_message_slot] = vm_ref_slot(m);
    if (vm_fill_trace(vm, exc) < 0)
        goto fail;
    vm->raising--;
    vm->heap.limit = cap;
    vm->roots->pending = exc;
    if (__builtin_expect(vm->hooks != 0, 0))
        vm_hook_fire(vm, MICA_HOOK_THROW, vm->nframes ? vm->frames[vm->nframes - 1].m : NULL,
                     0, exc);
    return -1;
fail:
    vm->raising--;
    vm->heap.limit = cap;
    if (!vm->roots->pending && !vm->fatal) {
        char *why = cm_strdup(vm->last_error ? vm->last_error : "");
        vm_set_error(vm, "%s: %s (cannot raise it: %s)", simple, msg, why ? why : "");
        free(why);
    }
    if (vm->roots->pending)
        return -1;
    return fatal(vm);
}

int vm_throw_object(MicaVM *vm, VmObject *exc)
{
    if (!exc)
        return vm_throw(vm, "NullError", "cannot throw null");
    vm->roots->pending = exc;
    if (__builtin_expect(vm->hooks != 0, 0))
        vm_hook_fire(vm, MICA_HOOK_THROW, vm->nframes ? vm->frames[vm->nframes - 1].m : NULL,
                     0, exc);
    return -1;
}

int vm_fill_trace(MicaVM *vm, VmObject *exc)
{
    if (exception_class(vm) < 0)
        return -1;
    int32_t top = (int32_t)vm->nframes - 1;
    if (top >= 0 && (vm->frames[top].m->flags & CF_ACC_NATIVE) &&
        strcmp(vm->frames[top].m->name, "fillTrace") == 0)
        top--;
    while (top >= 0 && strcmp(vm->frames[top].m->name, "<init>") == 0 &&
           vm->frames[top].base[0] == vm_ref_slot(exc))
        top--;
    int64_t n = top + 1;
    if (n > VM_MAX_TRACE_FRAMES)
        n = VM_MAX_TRACE_FRAMES;
    MicaStatus st;
    VmClass *ia = vm_load_class(vm, "[I", &st);
    if (!ia)
        return -1;
    VmArray *a = gc_alloc_atomic(&vm->heap, sizeof(VmArray) + (size_t)n * 16);
    if (!a) {
        vm_set_error(vm, "out of memory filling a stack trace");
        return -1;
    }
    a->cls = ia;
    a->length = n * 2;
    int64_t *d = vm_array_data(a);
    for (int64_t i = 0; i < n; i++) {
        VmFrame *f = &vm->frames[top - i];
        d[2 * i] = (int64_t)(uintptr_t)f->m;
        d[2 * i + 1] = f->ip ? (int64_t)vm_line_of(f->m, f->ip) : -1;
    }
    vm_object_fields(exc)[vm->exc_trace_slot] = vm_ref_slot(a);
    return 0;
}

void vm_type_name(const VmClass *c, char *buf, size_t n)
{
    const char *name = c->name;
    if (strncmp(name, "std/core/", 9) == 0 && !strchr(name + 9, '/')) {
        snprintf(buf, n, "%s", name + 9);
        return;
    }
    size_t i = 0;
    for (; name[i] && i + 1 < n; i++)
        buf[i] = name[i] == '/' ? '.' : name[i];
    if (n)
        buf[i] = 0;
}

typedef struct Text {
    char *s;
    size_t len, cap;
} Text;

static void text_add(Text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap * 2 : 256);
        while (cap < t->len + n + 1)
            cap *= 2;
        char *ns = cm_realloc(t->s, cap);
        if (!ns)
            return;
        t->s = ns;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
}

static void text_addz(Text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* "\n    at pkg.C.m(file.mica:12)" for method [m] at [line] (-1: native). */
static void add_frame(Text *t, VmMethod *m, int64_t line)
{
    char cls[512];
    size_t k = 0;
    for (; m->cls->name[k] && k + 1 < sizeof cls; k++)
        cls[k] = m->cls->name[k] == '/' ? '.' : m->cls->name[k];
    cls[k] = 0;
    const char *mname = m->name;
    if (strcmp(mname, "<init>") == 0)
        mname = "init";
    else if (strcmp(mname, "<clinit>") == 0)
        mname = "clinit";
    char where[600];
    const char *src = m->cls->cf ? cf_utf8(m->cls->cf, m->cls->cf->source_file) : NULL;
    if (line < 0)
        snprintf(where, sizeof where, "native");
    else if (!src)
        snprintf(where, sizeof where, "Unknown Source");
    else if (line == 0)
        snprintf(where, sizeof where, "%s", src);
    else
        snprintf(where, sizeof where, "%s:%lld", src, (long long)line);
    char buf[1400];
    snprintf(buf, sizeof buf, "\n    at %s.%s(%s)", cls, mname, where);
    text_addz(t, buf);
}

/* The [n] frames of trace [d] (method, line pairs), innermost first; a run of
 * identical frames (deep recursion) shows once, then "... N more identical
 * frames". */
static void add_frames(Text *t, const int64_t *d, int64_t n)
{
    for (int64_t i = 0; i < n;) {
        int64_t run = 1;
        while (i + run < n && d[2 * (i + run)] == d[2 * i] &&
               d[2 * (i + run) + 1] == d[2 * i + 1])
            run++;
        add_frame(t, (VmMethod *)(uintptr_t)d[2 * i], d[2 * i + 1]);
        if (run > 2) {
            char buf[96];
            snprintf(buf, sizeof buf, "\n    ... %lld more identical frames",
                     (long long)(run - 1));
            text_addz(t, buf);
        } else if (run == 2) {
            add_frame(t, (VmMethod *)(uintptr_t)d[2 * i], d[2 * i + 1]);
        }
        i += run;
    }
}

char *vm_stack_text(MicaVM *vm, const char *head)
{
    Text t = {0};
    text_addz(&t, head);
    int64_t n = vm->nframes < VM_MAX_TRACE_FRAMES ? (int64_t)vm->nframes : VM_MAX_TRACE_FRAMES;
    int64_t *d = cm_malloc(sizeof(int64_t) * 2 * (size_t)(n ? n : 1));
    if (!d)
        return t.s;
    for (int64_t i = 0; i < n; i++) {
        VmFrame *f = &vm->frames[(int64_t)vm->nframes - 1 - i];
        d[2 * i] = (int64_t)(uintptr_t)f->m;
        d[2 * i + 1] = (f->m->flags & CF_ACC_NATIVE) ? -1
                       : f->ip ? (int64_t)vm_line_of(f->m, f->ip) : 0;
    }
    add_frames(&t, d, n);
    free(d);
    return t.s;
}

static void describe_one(MicaVM *vm, Text *t, VmObject *exc)
{
    char name[512];
    vm_type_name(exc->cls, name, sizeof name);
    text_addz(t, name);
    uint64_t *f = vm_object_fields(exc);
    VmString *msg = vm_slot_ref(f[vm->exc_message_slot]);
    if (msg) {
        text_addz(t, ": ");
        text_add(t, msg->bytes, (size_t)msg->length);
    }
    VmArray *tr = vm_slot_ref(f[vm->exc_trace_slot]);
    if (!tr || tr->cls->elem_kind != 'I')
        return;
    int64_t *d = vm_array_data(tr);
    add_frames(t, d, tr->length / 2);
}

void vm_describe_exception(MicaVM *vm, VmObject *exc)
{
    Text t = {0};
    if (exception_class(vm) < 0 || !vm_is_subclass(exc->cls, vm->c_exception)) {
        vm_set_error(vm, "uncaught exception of class %s", exc->cls->name);
        return;
    }
    describe_one(vm, &t, exc);
    VmObject *cause = vm_slot_ref(vm_object_fields(exc)[vm->exc_cause_slot]);
    for (int depth = 0; cause && depth < 16; depth++) {
        text_addz(&t, "\nCaused by: ");
        describe_one(vm, &t, cause);
        cause = vm_slot_ref(vm_object_fields(cause)[vm->exc_cause_slot]);
    }
    if (t.s) {
        free(vm->last_error);
        vm->last_error = t.s;
    }
}
