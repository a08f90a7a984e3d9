/* vm/native.c: binding native methods at link time (dlopen/dlsym or the VM's
 * own table) and calling them through libffi. */
#include "vm.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "natives.h"

#define NATIVE_MAX_ARGS 64

static void dotted(const VmClass *c, char *buf, size_t n)
{
    size_t i = 0;
    for (; c->name[i] && i + 1 < n; i++)
        buf[i] = c->name[i] == '/' ? '.' : c->name[i];
    buf[i] = 0;
}

static void lib_file(const char *lib, char *buf, size_t n)
{
    if (strchr(lib, '/'))
        snprintf(buf, n, "%s", lib);
    else if (strcmp(lib, "m") == 0)
        snprintf(buf, n, "libm.so.6");
    else if (strcmp(lib, "c") == 0)
        snprintf(buf, n, "libc.so.6");
    else
        snprintf(buf, n, "lib%s.so", lib);
}

static void *open_lib(MicaVM *vm, const char *lib)
{
    for (VmLib *l = vm->libs; l; l = l->next)
        if (strcmp(l->name, lib) == 0)
            return l->handle;
    char file[1100];
    lib_file(lib, file, sizeof file);
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        vm_set_error(vm, "cannot open native library %s: %s", file, why ? why : "unknown");
        return NULL;
    }
    VmLib *l = calloc(1, sizeof *l);
    if (!l || !(l->name = strdup(lib))) {
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

void vm_free_libs(MicaVM *vm)
{
    while (vm->libs) {
        VmLib *l = vm->libs;
        vm->libs = l->next;
        dlclose(l->handle);
        free(l->name);
        free(l);
    }
}

/* The C-side kind of one parameter descriptor. */
static char param_kind(const char *d, bool mica)
{
    switch (d[0]) {
    case 'I': case 'F': case 'Z': case 'B':
        return d[0];
    case '[':
        return mica ? 'L' : 'A';
    default:
        if (!mica && strncmp(d, "Lstd/core/String;", 17) == 0)
            return 'S';
        return 'L';
    }
}

static ffi_type *ffi_of(char k)
{
    switch (k) {
    case 'I': return &ffi_type_sint64;
    case 'F': return &ffi_type_double;
    case 'Z': case 'B': return &ffi_type_uint8;
    case 'V': return &ffi_type_void;
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
    if (!m->cls->is_std && !vm->cfg.allow_native) {
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
        fn = std_native_lookup(sym);
        if (!fn) {
            vm_set_error(vm, "native symbol %s not found in libmica (method %s.%s)", sym, cname,
                         m->name);
            return -1;
        }
    } else {
        void *h = open_lib(vm, lib);
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
    VmNative *nat = calloc(1, sizeof *nat);
    if (!nat)
        goto oom;
    nat->atypes = calloc(nargs + 1, sizeof *nat->atypes);
    nat->kinds = calloc(nargs + 1, 1);
    if (!nat->atypes || !nat->kinds)
        goto oom_nat;
    uint32_t k = 0;
    if (mica) {
        nat->kinds[k] = 'E';
        nat->atypes[k++] = &ffi_type_pointer;
    }
    if (!(m->flags & CF_ACC_STATIC)) {
        nat->kinds[k] = 'L';
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
    char rk = (*p == ')') ? p[1] : 'V';
    if (rk == '[')
        rk = 'L';
    if (!mica && rk == 'L') {
        if (strncmp(p + 1, "Lstd/core/String;", 17) == 0) {
            rk = 'S';
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
    if (ffi_prep_cif(&nat->cif, FFI_DEFAULT_ABI, nat->nargs, ffi_of(rk == 'S' ? 'L' : rk),
                     nat->atypes) != FFI_OK) {
        vm_set_error(vm, "native method %s.%s: libffi cannot describe %s", cname, m->name,
                     m->desc);
        free(nat->atypes);
        free(nat->kinds);
        free(nat);
        return -1;
    }
    nat->fn = fn;
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

int vm_call_native(MicaVM *vm, VmMethod *m, uint64_t *args, uint64_t *ret)
{
    VmNative *nat = m->native;
    NativeArg store[NATIVE_MAX_ARGS];
    void *values[NATIVE_MAX_ARGS];
    uint32_t a = 0;
    for (uint32_t k = 0; k < nat->nargs; k++) {
        uint64_t v = nat->kinds[k] == 'E' ? 0 : args[a++];
        switch (nat->kinds[k]) {
        case 'E': store[k].p = vm; break;
        case 'I': store[k].i = (int64_t)v; break;
        case 'F': memcpy(&store[k].f, &v, sizeof(double)); break;
        case 'Z': store[k].b = v != 0; break;
        case 'B': store[k].b = (uint8_t)v; break;
        case 'S': {
            VmString *s = vm_slot_ref(v);
            store[k].p = s ? s->bytes : NULL;
            break;
        }
        case 'A': {
            VmArray *arr = vm_slot_ref(v);
            store[k].p = arr ? vm_array_data(arr) : NULL;
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
    if (vm->roots->pending || vm->fatal || vm->exiting)
        return -1;
    uint64_t out = 0;
    switch (nat->ret_kind) {
    case 'I': out = (uint64_t)rv.i; break;
    case 'F': memcpy(&out, &rv.f, sizeof out); break;
    case 'Z': out = ((uint8_t)rv.a) != 0; break;
    case 'B': out = (uint8_t)rv.a; break;
    case 'L': out = vm_ref_slot(rv.p); break;
    case 'S':
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
