/* vm/foreign.c: Mica objects that own host resources, released by the
 * collector (a finalizer) or when their VM is freed, whichever comes first. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cm_mem.h"
#include "handles.h"

/* One owned resource. Finalizers run on whatever thread allocates when the
 * collector finds the object dead, possibly after its VM is gone, so the
 * records and their per-VM lists are guarded by one process-wide lock (like
 * Boehm's own state, the only way to hand a record between threads). */
typedef struct VmForeign {
    void *data;
    void (*finalize)(void *);
    MicaVM *vm;                 /* NULL once the VM let go of it           */
    uintptr_t obj;              /* the object, hidden from the collector   */
    struct VmForeign *prev, *next;
} VmForeign;

static pthread_mutex_t foreign_lock;
static pthread_once_t foreign_once = PTHREAD_ONCE_INIT;

/* Recursive: a collection inside gc_clear_finalizer may run a finalizer on
 * this thread while it holds the lock. */
static void foreign_init(void)
{
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&foreign_lock, &at);
    pthread_mutexattr_destroy(&at);
}

static void lock(void)
{
    pthread_once(&foreign_once, foreign_init);
    pthread_mutex_lock(&foreign_lock);
}

/* Foreign objects made by mica_foreign_new carry two words after their
 * fields: this mark (xor the VM) and their record. */
#define FOREIGN_MARK 0x4D4943414652474Eull

static void unlink_rec(VmForeign *r)
{
    if (!r->vm)
        return;
    if (r->prev)
        r->prev->next = r->next;
    else
        r->vm->api->foreign = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
    r->vm = NULL;
}

static void on_collect(void *obj, void *arg)
{
    (void)obj;
    VmForeign *r = arg;
    lock();
    unlink_rec(r);
    void (*fin)(void *) = r->finalize;
    r->finalize = NULL;
    pthread_mutex_unlock(&foreign_lock);
    if (fin)
        fin(r->data);
    free(r);
}

static VmForeign *attach(MicaVM *vm, VmObject *o, void *data, void (*finalize)(void *))
{
    VmForeign *r = cm_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->data = data;
    r->finalize = finalize;
    r->obj = ~(uintptr_t)o;
    lock();
    r->vm = vm;
    r->next = vm->api->foreign;
    if (r->next)
        r->next->prev = r;
    vm->api->foreign = r;
    pthread_mutex_unlock(&foreign_lock);
    gc_set_finalizer(o, on_collect, r);
    return r;
}

int vm_foreign_attach(MicaVM *vm, VmObject *o, void *data, void (*finalize)(void *))
{
    if (!attach(vm, o, data, finalize)) {
        if (finalize)
            finalize(data);
        return vm_throw(vm, "OutOfMemoryError", "cannot record a native resource");
    }
    return 0;
}

void vm_foreign_release_all(MicaVM *vm)
{
    VmForeign *todo = NULL;
    lock();
    while (vm->api->foreign) {
        VmForeign *r = vm->api->foreign;
        unlink_rec(r);
        void *obj = (void *)~r->obj;
        if (gc_clear_finalizer(obj)) {
            /* ours alone now */
            r->next = todo;
            todo = r;
        } else if (r->finalize) {
            /* its finalizer is queued: run the host's now, the queued one
             * just frees the record */
            VmForeign *copy = cm_malloc(sizeof *copy);
            if (copy) {
                *copy = *r;
                copy->next = todo;
                todo = copy;
            }
            r->finalize = NULL;
        }
    }
    pthread_mutex_unlock(&foreign_lock);
    while (todo) {
        VmForeign *r = todo;
        todo = r->next;
        if (r->finalize)
            r->finalize(r->data);
        free(r);
    }
}

MicaStatus mica_foreign_new(MicaVM *vm, const char *cls, void *data, void (*finalize)(void *),
                            MicaValue *out)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    if (!cls || !out)
        return vm_api_invalid(vm, "mica_foreign_new: NULL argument");
    *out = mica_null();
    MicaClass *mc;
    MicaStatus st = mica_find_class(vm, cls, &mc);
    if (st != MICA_OK)
        return st;
    VmClass *c = (VmClass *)mc;
    if (c->is_abstract || c->is_interface || c->is_array || c->is_string)
        return vm_api_invalid(vm, "mica_foreign_new: cannot instantiate %s", c->name);
    size_t n = sizeof(VmObject) + ((size_t)c->nslots + 2) * sizeof(uint64_t);
    VmObject *o = gc_alloc(&vm->heap, n);
    if (!o) {
        vm_set_error(vm, "cannot allocate a foreign %s", c->name);
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    o->cls = c;
    VmForeign *r = attach(vm, o, data, finalize);
    if (!r) {
        vm_set_error(vm, "out of memory");
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    uint64_t *f = vm_object_fields(o);
    f[c->nslots] = FOREIGN_MARK ^ (uint64_t)(uintptr_t)vm;
    f[c->nslots + 1] = (uint64_t)(uintptr_t)r;
    out->type = MICA_T_REF;
    if (vm_handle_local(vm, o, &out->as.ref) < 0) {
        *out = mica_null();
        vm_set_error(vm, "out of memory for a handle");
        return vm_api_fail(vm, MICA_ERR_OOM);
    }
    return MICA_OK;
}

MicaStatus mica_foreign_data(MicaVM *vm, MicaValue v, void **data)
{
    if (!vm)
        return MICA_ERR_INVALID;
    vm_api_enter(vm);
    VmObject *o;
    if (!data || v.type != MICA_T_REF || vm_handle_get(vm, v.as.ref, &o) < 0)
        return vm_api_invalid(vm, "mica_foreign_data: not a live handle");
    if (!o || o->cls->is_array || o->cls->is_string)
        return vm_api_invalid(vm, "mica_foreign_data: not a foreign object");
    size_t need = sizeof(VmObject) + ((size_t)o->cls->nslots + 2) * sizeof(uint64_t);
    uint64_t *f = vm_object_fields(o);
    if (gc_object_size(o) < need ||
        f[o->cls->nslots] != (FOREIGN_MARK ^ (uint64_t)(uintptr_t)vm))
        return vm_api_invalid(vm, "mica_foreign_data: a %s is not a foreign object",
                              o->cls->name);
    VmForeign *r = (VmForeign *)(uintptr_t)f[o->cls->nslots + 1];
    *data = r->data;
    return MICA_OK;
}
