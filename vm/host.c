/* vm/host.c: host functions: the per-VM registry (mica_register_natives),
 * the signature check at link time, calls with MicaValues, mica_throw. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cm_mem.h"
#include "handles.h"

static void to_internal(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = in[i] == '.' ? '/' : in[i];
    out[i] = 0;
}

static void to_dotted(const char *in, char *out, size_t n)
{
    size_t i = 0;
    for (; in[i] && i + 1 < n; i++)
        out[i] = in[i] == '/' ? '.' : in[i];
    out[i] = 0;
}

/* Is [d] a well-formed method descriptor? */
static bool valid_desc(const char *d)
{
    if (!d || d[0] != '(')
        return false;
    const char *p = d + 1;
    while (*p && *p != ')') {
        size_t l = cf_desc_field_len(p, strlen(p), false);
        if (!l)
            return false;
        p += l;
    }
    if (*p != ')')
        return false;
    p++;
    if (cf_desc_kind(p) == CF_KIND_VOID && !p[1])
        return true;
    size_t l = cf_desc_field_len(p, strlen(p), false);
    return l && !p[l];
}

static VmHostClass *host_class(MicaVM *vm, const char *internal)
{
    for (VmHostClass *h = vm->api->hosts; h; h = h->next)
        if (strcmp(h->cls, internal) == 0)
            return h;
    return NULL;
}

MicaStatus mica_register_natives(MicaVM *vm, const char *cls, const MicaNative *t, size_t n)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (!cls || (n && !t))
        return vm_api_invalid(vm, "mica_register_natives: NULL argument");
    char in[1024];
    to_internal(cls, in, sizeof in);
    VmClass *c = vm_load_class_if_loaded(vm, in);
    if (c && c->state >= VM_CLASS_LINKING)
        return vm_api_invalid(vm, "mica_register_natives: class %s is already linked", cls);
    for (size_t i = 0; i < n; i++) {
        if (!t[i].name || !t[i].fn)
            return vm_api_invalid(vm, "mica_register_natives: entry %zu of %s has no %s", i,
                                  cls, t[i].name ? "function" : "name");
        if (!valid_desc(t[i].desc))
            return vm_api_invalid(vm,
                                  "mica_register_natives: %s.%s: bad descriptor \"%s\"", cls,
                                  t[i].name, t[i].desc ? t[i].desc : "(null)");
        for (size_t k = 0; k < i; k++)
            if (strcmp(t[k].name, t[i].name) == 0)
                return vm_api_invalid(vm, "mica_register_natives: %s.%s registered twice",
                                      cls, t[i].name);
    }
    VmHostClass *h = cm_calloc(1, sizeof *h);
    if (!h)
        goto oom;
    h->cls = cm_strdup(in);
    h->fns = cm_calloc(n ? n : 1, sizeof *h->fns);
    if (!h->cls || !h->fns)
        goto oom_h;
    for (size_t i = 0; i < n; i++) {
        h->fns[i] = t[i];
        h->fns[i].name = cm_strdup(t[i].name);
        h->fns[i].desc = cm_strdup(t[i].desc);
        h->n = i + 1;
        if (!h->fns[i].name || !h->fns[i].desc)
            goto oom_h;
    }
    /* replace an earlier registration */
    for (VmHostClass **pp = &vm->api->hosts; *pp; pp = &(*pp)->next)
        if (strcmp((*pp)->cls, in) == 0) {
            VmHostClass *old = *pp;
            *pp = old->next;
            for (size_t i = 0; i < old->n; i++) {
                free((char *)old->fns[i].name);
                free((char *)old->fns[i].desc);
            }
            free(old->fns);
            free(old->cls);
            free(old);
            break;
        }
    h->next = vm->api->hosts;
    vm->api->hosts = h;
    return MICA_OK;
oom_h:
    for (size_t i = 0; h->fns && i < h->n; i++) {
        free((char *)h->fns[i].name);
        free((char *)h->fns[i].desc);
    }
    free(h->fns);
    free(h->cls);
    free(h);
oom:
    vm_set_error(vm, "out of memory");
    return vm_api_fail(vm, MICA_ERR_OOM);
}

int vm_host_lookup(MicaVM *vm, VmMethod *m, const char *sym, const MicaNative **out)
{
    char cname[512];
    to_dotted(m->cls->name, cname, sizeof cname);
    VmHostClass *h = host_class(vm, m->cls->name);
    const MicaNative *f = NULL;
    for (size_t i = 0; h && i < h->n && !f; i++)
        if (strcmp(h->fns[i].name, sym) == 0)
            f = &h->fns[i];
    if (!f) {
        vm_set_error(vm, "native method %s.%s%s binds host function \"%s\", which the host "
                     "did not register (mica_register_natives for %s)",
                     cname, m->name, m->desc, sym, cname);
        return -1;
    }
    if (strcmp(f->desc, m->desc) != 0) {
        vm_set_error(vm, "host function %s.%s is registered as %s but declared as %s.%s%s", cname,
                     sym, f->desc, cname, m->name, m->desc);
        return -1;
    }
    /* every entry of the table must be declared by the class: a mistyped name
     * is as much a mistake as a mistyped descriptor */
    for (size_t i = 0; i < h->n; i++) {
        bool declared = false;
        for (uint32_t k = 0; k < m->cls->nmethods && !declared; k++) {
            VmMethod *x = &m->cls->methods[k];
            if (!(x->flags & CF_ACC_NATIVE) || !x->cf)
                continue;
            const char *lib = cf_utf8(m->cls->cf, x->cf->native_lib);
            const char *s = cf_utf8(m->cls->cf, x->cf->native_sym);
            declared = lib && s && strcmp(lib, "host") == 0 && strcmp(s, h->fns[i].name) == 0;
        }
        if (!declared) {
            vm_set_error(vm, "host function %s.%s%s is registered but class %s declares no "
                         "@native(\"host\", \"%s\") method",
                         cname, h->fns[i].name, h->fns[i].desc, cname, h->fns[i].name);
            return -1;
        }
    }
    *out = f;
    return 0;
}

int vm_call_host(MicaVM *vm, VmMethod *m, const MicaNative *fn, uint64_t *args, uint64_t *ret)
{
    VmApi *a = vm->api;
    MicaValue vals[257];
    size_t n = 0;
    MicaScope scope = a->nlocal;
    if (!(m->flags & CF_ACC_STATIC) &&
        vm_slot_to_value(vm, CF_KIND_REF, args[n], &vals[n]) != MICA_OK)
        goto oom;
    n += !(m->flags & CF_ACC_STATIC);
    for (const char *p = m->desc + 1; *p != ')' && n < 256; n++) {
        size_t l = cf_desc_field_len(p, strlen(p), false);
        if (vm_slot_to_value(vm, cf_desc_kind(p), args[n], &vals[n]) != MICA_OK)
            goto oom;
        p += l;
    }
    const char *rd = strchr(m->desc, ')') + 1;
    MicaValue rv = {MICA_T_VOID, {0}};
    a->roots->thrown = NULL;
    a->in_host++;
    MicaStatus st = fn->fn(vm, fn->ctx, vals, n, &rv);
    a->in_host--;
    VmObject *thrown = a->roots->thrown;
    a->roots->thrown = NULL;
    if (vm->halt || vm->exiting) {
        vm_handle_release_to(vm, scope);
        vm->fatal = vm->fatal || vm->halt;
        return -1;
    }
    char cname[512];
    to_dotted(m->cls->name, cname, sizeof cname);
    if (st == MICA_ERR_EXCEPTION && thrown) {
        vm_handle_release_to(vm, scope);
        /* the host failed after the exception: a fresh status of its own call
         * must not hide it */
        return vm_throw_object(vm, thrown);
    }
    if (st != MICA_OK) {
        vm_handle_release_to(vm, scope);
        return vm_throw(vm, "Exception", "host function %s.%s failed with %s", cname, fn->name,
                        mica_status_name(st));
    }
    uint64_t out = 0;
    if (cf_desc_kind(rd) != CF_KIND_VOID) {
        char why[256];
        if (vm_value_to_slot(vm, rd, strlen(rd), rv, &out, why, sizeof why) < 0) {
            vm_handle_release_to(vm, scope);
            return vm_throw(vm, "IllegalStateError", "host function %s.%s%s returned a bad value: %s",
                            cname, fn->name, fn->desc, why);
        }
    }
    /* a result object stays reachable through [out] on this thread's stack
     * (scanned by the collector) until the interpreter stores it */
    if (ret)
        *ret = out;
    vm_handle_release_to(vm, scope);
    return 0;
oom:
    vm_handle_release_to(vm, scope);
    return vm_throw(vm, "OutOfMemoryError", "no handle for a host function's argument");
}

MicaStatus mica_throw(MicaVM *vm, const char *cls, const char *fmt, ...)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (!vm->api->in_host)
        return vm_api_invalid(vm, "mica_throw: not inside a host function");
    if (!cls || !fmt)
        return vm_api_invalid(vm, "mica_throw: NULL argument");
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char in[1024];
    if (!strchr(cls, '.') && !strchr(cls, '/'))
        snprintf(in, sizeof in, "std/core/%s", cls);
    else
        to_internal(cls, in, sizeof in);
    VmClass *c = vm_resolve_class(vm, in);
    if (!c || vm_init_class(vm, c) < 0)
        goto pending;
    VmClass *base = vm_resolve_class(vm, "std/core/Exception");
    if (!base || !vm_is_subclass(c, base)) {
        vm->roots->pending = NULL;
        return vm_api_invalid(vm, "mica_throw: %s is not an exception class", cls);
    }
    VmMethod *init = vm_find_declared(c, "<init>", "(Lstd/core/String;)V");
    if (!init) {
        vm->roots->pending = NULL;
        return vm_api_invalid(vm, "mica_throw: %s has no constructor taking a String", cls);
    }
    VmObject *o = vm_new_object(vm, c);
    if (!o)
        goto pending;
    VmString *s = vm_new_string(vm, msg, strlen(msg));
    if (!s)
        goto pending;
    /* keep both reachable while the constructor runs */
    MicaScope sc = vm->api->nlocal;
    MicaRef h1, h2;
    if (vm_handle_local(vm, o, &h1) < 0 || vm_handle_local(vm, (VmObject *)s, &h2) < 0) {
        vm_handle_release_to(vm, sc);
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    uint64_t argv[2] = {vm_ref_slot(o), vm_ref_slot(s)};
    int r = vm_call(vm, init, argv, 2, NULL);
    vm_handle_release_to(vm, sc);
    if (r < 0)
        goto pending;
    vm->api->roots->thrown = o;
    vm_set_error(vm, "%s: %s", c->name, msg);
    return vm_api_fail(vm, MICA_ERR_EXCEPTION);
pending:
    /* making the exception failed: raise what that raised instead */
    if (vm->halt || vm->exiting)
        return vm_api_fail(vm, vm->halt ? vm->halt : MICA_ERR_EXIT);
    vm->api->roots->thrown = vm->roots->pending;
    vm->roots->pending = NULL;
    return vm_api_fail(vm, MICA_ERR_EXCEPTION);
}
