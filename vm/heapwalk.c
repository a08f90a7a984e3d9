/* vm/heapwalk.c: one VM's live bytes, for its heap cap. Boehm's heap is shared
 * by every VM of the process, so its figures cannot say what one VM holds;
 * this walks the objects reachable from the VM's own roots instead. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cm_mem.h"

typedef struct Walk {
    void **set;            /* open addressing, NULL empty */
    size_t cap, n;
    VmObject **stack;
    size_t top, stack_cap;
    VmClass **classes;     /* sorted, for the conservative value-stack test */
    size_t nclasses;
    size_t bytes;
    bool failed;
} Walk;

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(x ^ (x >> 32));
}

static bool set_add(Walk *w, void *p)
{
    if ((w->n + 1) * 2 > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 1024;
        void **ns = cm_calloc(cap, sizeof *ns);
        if (!ns) {
            w->failed = true;
            return false;
        }
        for (size_t i = 0; i < w->cap; i++)
            if (w->set[i]) {
                size_t h = hash_ptr(w->set[i]) & (cap - 1);
                while (ns[h])
                    h = (h + 1) & (cap - 1);
                ns[h] = w->set[i];
            }
        free(w->set);
        w->set = ns;
        w->cap = cap;
    }
    size_t h = hash_ptr(p) & (w->cap - 1);
    while (w->set[h]) {
        if (w->set[h] == p)
            return false;
        h = (h + 1) & (w->cap - 1);
    }
    w->set[h] = p;
    w->n++;
    return true;
}

static void push(Walk *w, VmObject *o)
{
    if (!o || w->failed || !set_add(w, o))
        return;
    size_t size = gc_object_size(o);
    if (!size)
        return;
    w->bytes += size;
    if (w->top == w->stack_cap) {
        size_t cap = w->stack_cap ? w->stack_cap * 2 : 1024;
        VmObject **ns = cm_realloc(w->stack, cap * sizeof *ns);
        if (!ns) {
            w->failed = true;
            return;
        }
        w->stack = ns;
        w->stack_cap = cap;
    }
    w->stack[w->top++] = o;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

static bool is_class(const Walk *w, const void *c)
{
    size_t lo = 0, hi = w->nclasses;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)w->classes[mid] < (uintptr_t)c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->nclasses && w->classes[lo] == c;
}

/* A word of the value stack: an object of this VM only if it points at the
 * start of a collected block whose first word is one of the VM's classes. */
static void push_maybe(Walk *w, uint64_t v)
{
    void *p = vm_slot_ref(v);
    if (!p || ((uintptr_t)p & 7) || gc_object_size(p) < sizeof(VmObject))
        return;
    if (is_class(w, ((VmObject *)p)->cls))
        push(w, p);
}

static bool ref_desc(const char *d)
{
    return d[0] == 'L' || d[0] == '[';
}

static void scan(Walk *w, VmObject *o)
{
    VmClass *c = o->cls;
    size_t size = gc_object_size(o);
    if (c->is_string)
        return;
    if (c->is_array) {
        if (c->elem_kind != 'L' && c->elem_kind != '[')
            return;
        VmArray *a = (VmArray *)o;
        uint64_t *e = vm_array_data(a);
        size_t max = (size - sizeof(VmArray)) / sizeof(uint64_t);
        for (int64_t i = 0; i < a->length && (size_t)i < max; i++)
            push(w, vm_slot_ref(e[i]));
        return;
    }
    uint64_t *f = vm_object_fields(o);
    size_t max = (size - sizeof(VmObject)) / sizeof(uint64_t);
    for (uint32_t d = 0; c->ancestors && d <= c->depth; d++) {
        VmClass *k = c->ancestors[d];
        for (uint32_t i = 0; i < k->nfields; i++) {
            VmField *fd = &k->fields[i];
            if (!(fd->flags & CF_ACC_STATIC) && ref_desc(fd->desc) && fd->slot < max)
                push(w, vm_slot_ref(f[fd->slot]));
        }
    }
}

size_t vm_heap_measure(void *arg)
{
    MicaVM *vm = arg;
    Walk w = {0};
    w.classes = cm_malloc((vm->nclasses + 1) * sizeof *w.classes);
    if (!w.classes)
        return vm->heap.allocated;
    for (size_t i = 0; i < vm->classes_cap; i++)
        for (VmClass *c = vm->classes[i]; c && w.nclasses < vm->nclasses + 1; c = c->hash_next)
            w.classes[w.nclasses++] = c;
    qsort(w.classes, w.nclasses, sizeof *w.classes, cmp_ptr);
    /* roots: the pending exception, interned literals, statics */
    push(&w, vm->roots->pending);
    for (size_t i = 0; vm->roots->interned && i < vm->roots->interned_cap; i++)
        push(&w, (VmObject *)vm->roots->interned[i]);
    for (size_t i = 0; i < w.nclasses; i++) {
        VmClass *c = w.classes[i];
        for (uint32_t k = 0; c->statics && k < c->nfields; k++) {
            VmField *fd = &c->fields[k];
            if ((fd->flags & CF_ACC_STATIC) && ref_desc(fd->desc) && fd->slot < c->nstatics)
                push(&w, vm_slot_ref(c->statics[fd->slot]));
        }
    }
    /* the value stack's used part, conservatively */
    if (vm->nframes) {
        uint64_t *top = vm->frames[vm->nframes - 1].sp;
        if (!top || top > vm->stack_end || top < vm->stack)
            top = vm->stack_end;
        for (uint64_t *p = vm->stack; p < top; p++)
            push_maybe(&w, *p);
    }
    /* the host's handles */
    VmApi *a = vm->api;
    if (a) {
        for (size_t i = 0; i < a->nlocal; i++)
            push(&w, a->local[i]);
        for (size_t i = 0; i < a->nglobal; i++)
            push(&w, a->global[i]);
        push(&w, a->roots->thrown);
        push(&w, a->roots->error_exc);
    }
    while (w.top && !w.failed)
        scan(&w, w.stack[--w.top]);
    size_t bytes = w.failed ? vm->heap.allocated : w.bytes;
    free(w.set);
    free(w.stack);
    free(w.classes);
    return bytes;
}
