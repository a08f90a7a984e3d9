/* vm/native.c: binding native methods at link time (dlopen/dlsym or the VM's
 * own table) and calling them through libffi. */
#include "vm.h"
#include "cm_mem.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define NATIVE_MAX_ARGS 64

static void dotted(const VmClass *c, char *buf, size_t n)
{
    size_t i = 0;
    for (; c->name[i] && i + 1 < n; i++)
        buf[i] = c->name[i] == '/' ? '.' : c->name[i];
    buf[i] = 0;
}

/* The file that portable library name [lib] stands for on this host: a path is
 * taken as written; "m" and "c" are the C library's parts. */
static void lib_file(const char *lib, char *buf, size_t n)
{
    if (strchr(lib, '/'))
        snprintf(buf, n, "%s", lib);
#if defined(__APPLE__)
    else if (strcmp(lib, "m") == 0 || strcmp(lib, "c") == 0)
        snprintf(buf, n, "libSystem.B.dylib");
    else
        snprintf(buf, n, "lib%s.dylib", lib);
#else
    else if (strcmp(lib, "m") == 0)
        snprintf(buf, n, "libm.so.6");
    else if (strcmp(lib, "c") == 0)
        snprintf(buf, n, "libc.so.6");
    else
        snprintf(buf, n, "lib%s.so", lib);
#endif
}

static void *open_lib(MicaVM *vm, const char *lib, const char *sym, const char *cname,
                      const char *mname)
{
    for (VmLib *l = vm->libs; l; l = l->next)
        if (!l->release && strcmp(l->name, lib) == 0)
            return l->handle;
    char file[1100];
    lib_file(lib, file, sizeof file);
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        vm_set_error(vm, "cannot open native library %s for symbol %s (method %s.%s): %s", file,
                     sym, cname, mname, why ? why : "unknown");
        return NULL;
    }
    VmLib *l = cm_calloc(1, sizeof *l);
    if (!l || !(l->name = cm_strdup(lib))) {
        free(l);
        dlclose(h);
        vm_set_error(vm, "out of memory");
        return NULL;
    }
    l->handle = h;
    l->next = vm->libs;
    vm->libs = l;
    return h;
}

int vm_register_raw_natives(MicaVM *vm, const char *lib, const VmRawNative *table)
{
    uint32_t max = sizeof vm->raw_natives / sizeof vm->raw_natives[0];
    if (vm->nraw_natives >= max)
        return -1;
    vm->raw_natives[vm->nraw_natives].lib = lib;
    vm->raw_natives[vm->nraw_natives++].table = table;
    return 0;
}

static void (*raw_lookup(MicaVM *vm, const char *lib, const char *name))(void)
{
    for (uint32_t t = 0; t < vm->nraw_natives; t++) {
        if (strcmp(vm->raw_natives[t].lib, lib) != 0)
            continue;
        for (const VmRawNative *n = vm->raw_natives[t].table; n->name; n++)
            if (strcmp(n->name, name) == 0)
                return n->fn;
    }
    return NULL;
}

void vm_free_libs(MicaVM *vm)
{
    while (vm->libs) {
        VmLib *l = vm->libs;
        vm->libs = l->next;
        if (l->release)
            l->release(l->handle);
        else
            dlclose(l->handle);
        free(l->name);
        free(l);
    }
}

int vm_native_own(MicaVM *vm, void *p, void (*release)(void *))
{
    VmLib *l = cm_calloc(1, sizeof *l);
    if (!l) {
        release(p);
        return vm_throw(vm, "OutOfMemoryError", "cannot record a native resource");
    }
    l->handle = p;
    l->release = release;
    l->next = vm->libs;
    vm->libs = l;
    return 0;
}

#define POINTER_CLASS "std/ffi/Pointer"
#define POINTER_DESC "L" POINTER_CLASS ";"

/* The C-side kind (VmCKind) of one parameter descriptor: the primitives as
 * themselves; for a C function, VM_C_STRING (char *), VM_C_ARRAY (its elements),
 * VM_C_POINTER (its address) and VM_C_OTHER for any other reference, sorted out per
 * call (a Pointer, or a function value passed as a C callback); for a "mica" native,
 * VM_C_OBJECT (the object itself). */
static char param_kind(const char *d, bool mica)
{
    CfKind kd = cf_desc_kind(d);
    switch (kd) {
    case CF_KIND_INT:
    case CF_KIND_FLOAT:
    case CF_KIND_BOOL:
    case CF_KIND_BYTE:
        return (char)kd;
    default:
        if (mica)
            return VM_C_OBJECT;
        if (d[0] == '[')
            return VM_C_ARRAY;
        if (strncmp(d, "Lstd/core/String;", 17) == 0)
            return VM_C_STRING;
        if (strncmp(d, POINTER_DESC, strlen(POINTER_DESC)) == 0)
            return VM_C_POINTER;
        return VM_C_OTHER;
    }
}

static ffi_type *ffi_of(char k)
{
    switch (k) {
    case VM_C_INT:
        return &ffi_type_sint64;
    case VM_C_FLOAT:
        return &ffi_type_double;
    case VM_C_BOOL:
    case VM_C_BYTE:
        return &ffi_type_uint8;
    case VM_C_VOID:
        return &ffi_type_void;
    default: return &ffi_type_pointer;
    }
}

int vm_bind_native(MicaVM *vm, VmMethod *m)
{
    const CfClass *cf = m->cls->cf;
    const char *lib = cf_utf8(cf, m->cf->native_lib);
    const char *sym = cf_utf8(cf, m->cf->native_sym);
    char cname[512];
    dotted(m->cls, cname, sizeof cname);
    if (!lib || !sym) {
        vm_set_error(vm, "native method %s.%s has no Native attribute", cname, m->name);
        return -1;
    }
    char file[1100];
    lib_file(lib, file, sizeof file);
    if (strcmp(lib, "host") == 0) {
        /* a host function: registered by the embedder, no capability needed */
        const MicaNative *h;
        if (vm_host_lookup(vm, m, sym, &h) < 0)
            return -1;
        VmNative *hn = cm_calloc(1, sizeof *hn);
        if (!hn) {
            vm_set_error(vm, "out of memory binding %s.%s", cname, m->name);
            return -1;
        }
        hn->host = h;
        hn->ret_kind = (char)m->ret;
        m->native = hn;
        return 0;
    }
    if (!m->cls->is_std && !(vm->caps & MICA_CAP_NATIVE)) {
        /* name the library as the user wrote it: libfoo, or the path */
        char shown[1100];
        snprintf(shown, sizeof shown, strchr(lib, '/') ? "%s" : "lib%s", lib);
        vm_set_error(vm, "native method %s.%s binds %s: run with --allow-native to allow",
                     cname, m->name, shown);
        return -1;
    }
    bool mica = strcmp(lib, "mica") == 0;
    void (*fn)(void) = NULL;
    if (mica) {
        fn = raw_lookup(vm, lib, sym);
        if (!fn) {
            vm_set_error(vm, "native symbol %s not found in libmica (method %s.%s)", sym, cname,
                         m->name);
            return -1;
        }
    } else {
        void *h = open_lib(vm, lib, sym, cname, m->name);
        if (!h)
            return -1;
        void *p = dlsym(h, sym);
        if (!p) {
            vm_set_error(vm, "native symbol %s not found in %s (method %s.%s)", sym, file, cname,
                         m->name);
            return -1;
        }
        memcpy(&fn, &p, sizeof fn);
    }
    uint32_t nargs = m->nparams + (mica ? 1 : 0);
    if (nargs > NATIVE_MAX_ARGS) {
        vm_set_error(vm, "native method %s.%s has too many parameters", cname, m->name);
        return -1;
    }
    VmNative *nat = cm_calloc(1, sizeof *nat);
    if (!nat)
        goto oom;
    nat->atypes = cm_calloc(nargs + 1, sizeof *nat->atypes);
    nat->kinds = cm_calloc(nargs + 1, 1);
    if (!nat->atypes || !nat->kinds)
        goto oom_nat;
    uint32_t k = 0;
    if (mica) {
        nat->kinds[k] = VM_C_ENV;
        nat->atypes[k++] = &ffi_type_pointer;
    }
    if (!(m->flags & CF_ACC_STATIC)) {
        nat->kinds[k] = VM_C_OBJECT;
        nat->atypes[k++] = &ffi_type_pointer;
    }
    const char *p = m->desc + 1;
    while (*p && *p != ')') {
        size_t l = cf_desc_field_len(p, strlen(p), false);
        if (!l)
            break;
        char kd = param_kind(p, mica);
        nat->kinds[k] = kd;
        nat->atypes[k++] = ffi_of(kd);
        p += l;
    }
    nat->nargs = k;
    nat->mica = mica;
    char rk = (*p == ')') ? (char)cf_desc_kind(p + 1) : VM_C_VOID;
    if (!mica && rk == VM_C_OBJECT) {
        if (strncmp(p + 1, "Lstd/core/String;", 17) == 0) {
            rk = VM_C_STRING;
        } else if (strncmp(p + 1, POINTER_DESC, strlen(POINTER_DESC)) == 0) {
            rk = VM_C_POINTER;
        } else {
            vm_set_error(vm, "native method %s.%s: a C function cannot return %s", cname,
                         m->name, p + 1);
            free(nat->atypes);
            free(nat->kinds);
            free(nat);
            return -1;
        }
    }
    nat->ret_kind = rk;
    nat->kinds[k] = 0;
    if (ffi_prep_cif(&nat->cif, FFI_DEFAULT_ABI, nat->nargs, ffi_of(rk),
                     nat->atypes) != FFI_OK) {
        vm_set_error(vm, "native method %s.%s: libffi cannot describe %s", cname, m->name,
                     m->desc);
        free(nat->atypes);
        free(nat->kinds);
        free(nat);
        return -1;
    }
    nat->fn = fn;
    nat->shape = (uint16_t)vm_native_shape(nat->kinds, nat->nargs, rk);
    nat->plain = nat->shape != 0;
    for (uint32_t j = 0; j < nat->nargs; j++)
        if (nat->kinds[j] == VM_C_BOOL || nat->kinds[j] == VM_C_BYTE)
            nat->plain = false;
    m->native = nat;
    return 0;
oom_nat:
    free(nat->atypes);
    free(nat->kinds);
    free(nat);
oom:
    vm_set_error(vm, "out of memory binding %s.%s", cname, m->name);
    return -1;
}

typedef union NativeArg {
    int64_t i;
    double f;
    uint8_t b;
    void *p;
} NativeArg;

/* ---- std.ffi.Pointer ------------------------------------------------------ */

/* The linked std/ffi/Pointer class, or NULL with an exception pending. */
static VmClass *pointer_class(MicaVM *vm)
{
    VmClass *c = vm_load_class_if_loaded(vm, POINTER_CLASS);
    if (c && c->state >= VM_CLASS_LINKED && c->state != VM_CLASS_ERROR)
        return c;
    return vm_resolve_class(vm, POINTER_CLASS);
}

/* The slots of std/ffi/Pointer's fields, in declaration order (pointer.mica
 * keeps them so): the address, then the readable extent [lo, hi) (hi 0 when
 * unknown) and the Memory block it points into. */
enum { PTR_ADDRESS, PTR_LO, PTR_HI, PTR_OWNER };

/* A range of memory a native call hands to C: an array's elements, or the
 * extent of a Pointer argument. Pointers that C gives back into one of them
 * (callback arguments, results) get that extent. */
typedef struct Range {
    uintptr_t lo, hi;
    VmObject *owner;
} Range;

#define NATIVE_MAX_RANGES 8

/* A new Pointer for [p] (NULL becomes Mica null), with the extent of the
 * range of [ranges] that contains it, if any. */
static int wrap_pointer(MicaVM *vm, void *p, const Range *ranges, uint32_t nranges,
                        uint64_t *out)
{
    *out = 0;
    if (!p)
        return 0;
    VmClass *c = pointer_class(vm);
    VmObject *o = c ? vm_new_object(vm, c) : NULL;
    if (!o)
        return -1;
    uintptr_t a = (uintptr_t)p;
    uint64_t *f = vm_object_fields(o);
    f[PTR_ADDRESS] = (uint64_t)a;
    for (uint32_t i = 0; i < nranges; i++) {
        if (a >= ranges[i].lo && a < ranges[i].hi) {
            f[PTR_LO] = (uint64_t)ranges[i].lo;
            f[PTR_HI] = (uint64_t)ranges[i].hi;
            f[PTR_OWNER] = vm_ref_slot(ranges[i].owner);
            break;
        }
    }
    *out = vm_ref_slot(o);
    return 0;
}

static bool is_pointer(const VmObject *o)
{
    return o && strcmp(o->cls->name, POINTER_CLASS) == 0;
}

static void *pointer_address(VmObject *o)
{
    return o ? (void *)(uintptr_t)vm_object_fields(o)[PTR_ADDRESS] : NULL;
}

/* ---- function values as C callbacks --------------------------------------- */

/* One C callback made for one native call: a libffi closure whose handler calls
 * the function value's `invoke`. It lives for the duration of that call, like
 * the comparator given to qsort; [fn] stays reachable through the argument
 * slots of the native's frame. */
typedef struct Callback {
    ffi_closure *closure;
    void *code;
    ffi_cif cif;
    ffi_type *atypes[NATIVE_MAX_ARGS];
    char kinds[NATIVE_MAX_ARGS];
    char ret_kind;
    uint32_t nparams;
    MicaVM *vm;
    VmObject *fn;
    VmMethod *invoke;
    const Range *ranges;   /* of the native call, which outlives the callback */
    uint32_t nranges;
    struct Callback *next;
} Callback;

static void callback_handler(ffi_cif *cif, void *ret, void **cargs, void *user)
{
    Callback *cb = user;
    MicaVM *vm = cb->vm;
    uint64_t slots[NATIVE_MAX_ARGS + 1];
    uint64_t r = 0;
    switch (cb->ret_kind) {
    case VM_C_FLOAT:
        *(double *)ret = 0;
        break;
    case VM_C_POINTER:
        *(void **)ret = NULL;
        break;
    case VM_C_VOID:
        break;
    default: *(ffi_arg *)ret = 0; break;
    }
    /* once a callback has thrown, the rest return the default value at once:
     * the exception is raised when the native returns */
    if (vm->roots->pending || vm->fatal || vm->exiting)
        return;
    slots[0] = vm_ref_slot(cb->fn);
    for (uint32_t k = 0; k < cb->nparams; k++) {
        uint64_t *v = &slots[k + 1];
        switch (cb->kinds[k]) {
        case VM_C_INT:
            *v = (uint64_t) * (int64_t *)cargs[k];
            break;
        case VM_C_FLOAT:
            memcpy(v, cargs[k], sizeof(double));
            break;
        case VM_C_BOOL:
            *v = *(uint8_t *)cargs[k] != 0;
            break;
        case VM_C_BYTE:
            *v = *(uint8_t *)cargs[k];
            break;
        case VM_C_STRING: {
            const char *p = *(const char **)cargs[k];
            VmString *s = p ? vm_new_string(vm, p, strlen(p)) : NULL;
            if (p && !s)
                return;
            *v = vm_ref_slot(s);
            break;
        }
        default:
            if (wrap_pointer(vm, *(void **)cargs[k], cb->ranges, cb->nranges, v) < 0)
                return;
            break;
        }
    }
    if (vm_call(vm, cb->invoke, slots, cb->nparams + 1, &r) < 0)
        return;
    switch (cb->ret_kind) {
    case VM_C_INT:
        *(ffi_arg *)ret = (ffi_arg)(int64_t)r;
        break;
    case VM_C_BOOL:
    case VM_C_BYTE:
        *(ffi_arg *)ret = (ffi_arg)(uint8_t)r;
        break;
    case VM_C_FLOAT:
        memcpy(ret, &r, sizeof(double));
        break;
    case VM_C_POINTER:
        *(void **)ret = pointer_address(vm_slot_ref(r));
        break;
    default: break;
    }
}

/* The kind of one callback parameter or result: primitives, String, Pointer. */
static char callback_kind(const char *d)
{
    switch (d[0]) {
    case CF_KIND_INT:
    case CF_KIND_FLOAT:
    case CF_KIND_BOOL:
    case CF_KIND_BYTE:
    case CF_KIND_VOID:
        return d[0];
    default:
        if (strncmp(d, "Lstd/core/String;", 17) == 0)
            return VM_C_STRING;
        if (strncmp(d, POINTER_DESC, strlen(POINTER_DESC)) == 0)
            return VM_C_POINTER;
        return VM_C_NONE;
    }
}

/* The `invoke` method of function value [o]'s class (the most derived one). */
static VmMethod *find_invoke(VmObject *o)
{
    VmClass *c = o->cls;
    for (uint32_t i = c->vtable_len; i-- > 0;) {
        VmMethod *x = c->vtable[i];
        if (strcmp(x->name, "invoke") == 0 && !(x->flags & CF_ACC_ABSTRACT))
            return x;
    }
    return NULL;
}

/* Makes a C callback for function value [o] and chains it on [list]. 0, or -1
 * with an exception pending. */
static int make_callback(MicaVM *vm, VmMethod *m, VmObject *o, const Range *ranges,
                         uint32_t nranges, Callback **list, void **out)
{
    VmMethod *inv = find_invoke(o);
    char cname[512];
    vm_type_name(o->cls, cname, sizeof cname);
    if (!inv)
        return vm_throw(vm, "IllegalArgumentError",
                        "native %s.%s: a %s is neither a Pointer nor a function value",
                        m->cls->name, m->name, cname);
    Callback *cb = cm_calloc(1, sizeof *cb);
    if (!cb)
        return vm_throw(vm, "OutOfMemoryError", "cannot make a C callback");
    cb->vm = vm;
    cb->ranges = ranges;
    cb->nranges = nranges;
    cb->fn = o;
    cb->invoke = inv;
    cb->next = *list;
    *list = cb;
    const char *p = inv->desc + 1;
    while (*p && *p != ')') {
        size_t l = cf_desc_field_len(p, strlen(p), false);
        char k = l ? callback_kind(p) : VM_C_NONE;
        if (!k || k == VM_C_VOID || cb->nparams >= NATIVE_MAX_ARGS)
            return vm_throw(vm, "IllegalArgumentError",
                            "native %s.%s: a callback cannot take %s (%s.invoke%s)",
                            m->cls->name, m->name, l ? p : "this", cname, inv->desc);
        cb->kinds[cb->nparams] = k;
        cb->atypes[cb->nparams++] = ffi_of(k);
        p += l;
    }
    cb->ret_kind = *p == ')' ? callback_kind(p + 1) : VM_C_NONE;
    if (!cb->ret_kind || cb->ret_kind == VM_C_STRING)
        return vm_throw(vm, "IllegalArgumentError",
                        "native %s.%s: a callback cannot return %s (%s.invoke%s)",
                        m->cls->name, m->name, *p == ')' ? p + 1 : "?", cname, inv->desc);
    if (ffi_prep_cif(&cb->cif, FFI_DEFAULT_ABI, cb->nparams, ffi_of(cb->ret_kind),
                     cb->atypes) != FFI_OK)
        return vm_throw(vm, "IllegalArgumentError", "libffi cannot describe callback %s",
                        inv->desc);
    cb->closure = ffi_closure_alloc(sizeof(ffi_closure), &cb->code);
    if (!cb->closure)
        return vm_throw(vm, "OutOfMemoryError", "cannot allocate a C callback");
    if (ffi_prep_closure_loc(cb->closure, &cb->cif, callback_handler, cb, cb->code) != FFI_OK)
        return vm_throw(vm, "IllegalArgumentError", "libffi cannot make callback %s",
                        inv->desc);
    *out = cb->code;
    return 0;
}

static void free_callbacks(Callback *cb)
{
    while (cb) {
        Callback *n = cb->next;
        if (cb->closure)
            ffi_closure_free(cb->closure);
        free(cb);
        cb = n;
    }
}

/* ---- calls ---------------------------------------------------------------- */

static int call_native_general(MicaVM *vm, VmMethod *m, uint64_t *args, uint64_t *ret);

/* A shape's direct typed call, then what every native call checks after it: an
 * exception or exit the native raised, and the result narrowed to its kind. */
static inline int direct_call(MicaVM *vm, const VmNative *nat, const uint64_t *a, uint64_t *ret)
{
    uint64_t r = vm_native_direct(nat->fn, nat->shape, a);
    if (vm->roots->pending || vm->fatal || vm->exiting)
        return -1;
    if (ret)
        *ret = nat->ret_kind == VM_C_BOOL ? (uint8_t)r != 0
             : nat->ret_kind == VM_C_BYTE ? (uint8_t)r
             : nat->ret_kind == VM_C_VOID ? 0 : r;
    return 0;
}

int vm_call_native(MicaVM *vm, VmMethod *m, uint64_t *args, uint64_t *ret)
{
    const VmNative *nat = m->native;
    if (nat->plain) {
        /* the common case (every std String/Math native, libm's functions): the
         * argument slots as they are, after the VM for a "mica" native; kept
         * apart from the general path, whose large frame costs every call */
        uint64_t a[4];
        const uint64_t *p = args;
        if (nat->mica) {
            uint32_t n = nat->nargs; /* at most 4: a shape */
            a[0] = (uint64_t)(uintptr_t)vm;
            if (n > 1)
                a[1] = args[0];
            if (n > 2)
                a[2] = args[1];
            if (n > 3)
                a[3] = args[2];
            p = a;
        }
        return direct_call(vm, nat, p, ret);
    }
    return call_native_general(vm, m, args, ret);
}

/* vm_call_native for host functions, shapes with bool or byte arguments, and
 * everything ffi_call makes. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int call_native_general(MicaVM *vm, VmMethod *m, uint64_t *args, uint64_t *ret)
{
    VmNative *nat = m->native;
    if (nat->host)
        return vm_call_host(vm, m, nat->host, args, ret);
    if (nat->shape) {
        /* a common simple signature: a direct typed call, no ffi_call */
        uint64_t a[4];
        for (uint32_t k = 0, j = 0; k < nat->nargs; k++) {
            char kd = nat->kinds[k];
            uint64_t v = kd == VM_C_ENV ? (uint64_t)(uintptr_t)vm : args[j++];
            a[k] = kd == VM_C_BOOL ? v != 0 : kd == VM_C_BYTE ? (uint8_t)v : v;
        }
        return direct_call(vm, nat, a, ret);
    }
    NativeArg store[NATIVE_MAX_ARGS];
    void *values[NATIVE_MAX_ARGS];
    Callback *callbacks = NULL;
    Range ranges[NATIVE_MAX_RANGES];
    uint32_t nranges = 0, a = 0;
    for (uint32_t k = 0, j = 0; !nat->mica && k < nat->nargs && nranges < NATIVE_MAX_RANGES;
         k++) {
        char kd = nat->kinds[k];
        if (kd == VM_C_ENV)
            continue;
        VmObject *o = (kd == VM_C_ARRAY || kd == VM_C_POINTER || kd == VM_C_OTHER)
                          ? vm_slot_ref(args[j])
                          : NULL;
        j++;
        if (!o)
            continue;
        if (kd == VM_C_ARRAY) {
            VmArray *arr = (VmArray *)o;
            uintptr_t lo = (uintptr_t)vm_array_data(arr);
            ranges[nranges++] = (Range){lo, lo + (uintptr_t)arr->length * o->cls->elem_size, NULL};
        } else if (is_pointer(o) && vm_object_fields(o)[PTR_HI]) {
            uint64_t *f = vm_object_fields(o);
            ranges[nranges++] =
                (Range){(uintptr_t)f[PTR_LO], (uintptr_t)f[PTR_HI], vm_slot_ref(f[PTR_OWNER])};
        }
    }
    /* every reference passed stays reachable through [args], the slots of the
     * native's frame, until the call returns; Boehm never moves objects, so
     * String bytes and array elements stay where C sees them */
    for (uint32_t k = 0; k < nat->nargs; k++) {
        uint64_t v = nat->kinds[k] == VM_C_ENV ? 0 : args[a++];
        switch (nat->kinds[k]) {
        case VM_C_ENV:
            store[k].p = vm;
            break;
        case VM_C_INT:
            store[k].i = (int64_t)v;
            break;
        case VM_C_FLOAT:
            memcpy(&store[k].f, &v, sizeof(double));
            break;
        case VM_C_BOOL:
            store[k].b = v != 0;
            break;
        case VM_C_BYTE:
            store[k].b = (uint8_t)v;
            break;
        case VM_C_STRING: {
            VmString *s = vm_slot_ref(v);
            store[k].p = s ? s->bytes : NULL;
            break;
        }
        case VM_C_ARRAY: {
            VmArray *arr = vm_slot_ref(v);
            store[k].p = arr ? vm_array_data(arr) : NULL;
            break;
        }
        case VM_C_POINTER:
            store[k].p = pointer_address(vm_slot_ref(v));
            break;
        case VM_C_OTHER: {
            VmObject *o = vm_slot_ref(v);
            store[k].p = NULL;
            if (!o)
                break;
            if (is_pointer(o)) {
                store[k].p = pointer_address(o);
            } else if (make_callback(vm, m, o, ranges, nranges, &callbacks, &store[k].p) < 0) {
                free_callbacks(callbacks);
                return -1;
            }
            break;
        }
        default: store[k].p = vm_slot_ref(v); break;
        }
        values[k] = &store[k];
    }
    union {
        ffi_arg a;
        int64_t i;
        double f;
        void *p;
    } rv;
    memset(&rv, 0, sizeof rv);
    ffi_call(&nat->cif, nat->fn, &rv, values);
    free_callbacks(callbacks);
    if (vm->roots->pending || vm->fatal || vm->exiting)
        return -1;
    uint64_t out = 0;
    switch (nat->ret_kind) {
    case VM_C_INT:
        out = (uint64_t)rv.i;
        break;
    case VM_C_FLOAT:
        memcpy(&out, &rv.f, sizeof out);
        break;
    case VM_C_BOOL:
        out = ((uint8_t)rv.a) != 0;
        break;
    case VM_C_BYTE:
        out = (uint8_t)rv.a;
        break;
    case VM_C_OBJECT:
        out = vm_ref_slot(rv.p);
        break;
    case VM_C_POINTER:
        if (wrap_pointer(vm, rv.p, ranges, nranges, &out) < 0)
            return -1;
        break;
    case VM_C_STRING:
        if (rv.p) {
            VmString *s = vm_new_string(vm, rv.p, strlen(rv.p));
            if (!s)
                return -1;
            out = vm_ref_slot(s);
        }
        break;
    default: break;
    }
    if (ret)
        *ret = out;
    return 0;
}
