/* vm/handles.c: the host's references to Mica objects: scoped local handles
 * and global handles, both GC roots, checked on every use. */
#include "handles.h"
#include "cm_mem.h"

#include <stdlib.h>
#include <string.h>

/* A handle: bit 63 global, bits 48..62 the VM's tag, bits 32..47 the slot's
 * generation, bits 0..31 the slot index + 1 (so no handle is 0 = null). */
#define H_GLOBAL (1ull << 63)
#define H_TAG_MASK (0x7FFFull << 48)

static uint64_t make_handle(const VmApi *a, bool global, uint16_t gen, uint32_t idx)
{
    return (global ? H_GLOBAL : 0) | a->tag | ((uint64_t)gen << 32) | (uint64_t)(idx + 1);
}

/* Grows a root array of object pointers to [cap] entries (uncollectable). */
static VmObject **grow_roots(VmObject **old, size_t n, size_t cap)
{
    VmObject **p = gc_alloc_root(NULL, cap * sizeof *p);
    if (!p)
        return NULL;
    if (old) {
        memcpy(p, old, n * sizeof *p);
        gc_free_root(old);
    }
    return p;
}

int vm_handle_local(MicaVM *vm, VmObject *o, MicaRef *out)
{
    VmApi *a = vm->api;
    if (!o) {
        *out = 0;
        return 0;
    }
    if (a->nlocal == a->local_cap) {
        size_t cap = a->local_cap ? a->local_cap * 2 : 64;
        if (cap > UINT32_MAX - 1)
            return -1;
        uint16_t *g = cm_realloc(a->local_gen, cap * sizeof *g);
        if (!g)
            return -1;
        a->local_gen = g;
        memset(g + a->local_cap, 0, (cap - a->local_cap) * sizeof *g);
        VmObject **p = grow_roots(a->local, a->nlocal, cap);
        if (!p)
            return -1;
        a->local = p;
        a->local_cap = cap;
    }
    size_t i = a->nlocal++;
    a->local[i] = o;
    *out = make_handle(a, false, a->local_gen[i], (uint32_t)i);
    return 0;
}

int vm_handle_global(MicaVM *vm, VmObject *o, MicaRef *out)
{
    VmApi *a = vm->api;
    if (!o) {
        *out = 0;
        return 0;
    }
    if (a->global_free == UINT32_MAX) {
        if (a->nglobal == a->global_cap) {
            size_t cap = a->global_cap ? a->global_cap * 2 : 16;
            if (cap > UINT32_MAX - 1)
                return -1;
            VmObject **p = grow_roots(a->global, a->nglobal, cap);
            if (!p)
                return -1;
            a->global = p;
            uint16_t *g = cm_realloc(a->global_gen, cap * sizeof *g);
            if (!g)
                return -1;
            a->global_gen = g;
            uint32_t *nx = cm_realloc(a->global_next, cap * sizeof *nx);
            if (!nx)
                return -1;
            a->global_next = nx;
            memset(g + a->global_cap, 0, (cap - a->global_cap) * sizeof *g);
            a->global_cap = cap;
        }
        a->global_next[a->nglobal] = UINT32_MAX;
        a->global_free = (uint32_t)a->nglobal++;
    }
    uint32_t i = a->global_free;
    a->global_free = a->global_next[i];
    a->global_next[i] = UINT32_MAX - 1;   /* in use */
    a->global[i] = o;
    a->global_live++;
    *out = make_handle(a, true, a->global_gen[i], i);
    return 0;
}

int vm_handle_get(MicaVM *vm, MicaRef h, VmObject **out)
{
    VmApi *a = vm->api;
    *out = NULL;
    if (!h)
        return 0;
    if ((h & H_TAG_MASK) != a->tag)
        return -1;
    uint32_t idx = (uint32_t)(h & 0xFFFFFFFFu);
    uint16_t gen = (uint16_t)(h >> 32);
    if (!idx)
        return -1;
    idx--;
    if (h & H_GLOBAL) {
        if (idx >= a->nglobal || a->global_gen[idx] != gen ||
            a->global_next[idx] != UINT32_MAX - 1)
            return -1;
        *out = a->global[idx];
    } else {
        if (idx >= a->nlocal || a->local_gen[idx] != gen)
            return -1;
        *out = a->local[idx];
    }
    return *out ? 0 : -1;
}

int vm_handle_unref(MicaVM *vm, MicaRef h)
{
    VmApi *a = vm->api;
    VmObject *o;
    if (!h || !(h & H_GLOBAL) || vm_handle_get(vm, h, &o) < 0)
        return -1;
    uint32_t idx = (uint32_t)(h & 0xFFFFFFFFu) - 1;
    a->global[idx] = NULL;
    a->global_gen[idx]++;
    a->global_next[idx] = a->global_free;
    a->global_free = idx;
    a->global_live--;
    return 0;
}

void vm_handle_release_to(MicaVM *vm, size_t mark)
{
    VmApi *a = vm->api;
    while (a->nlocal > mark) {
        size_t i = --a->nlocal;
        a->local[i] = NULL;
        a->local_gen[i]++;
    }
}

void vm_handles_free(VmApi *a)
{
    gc_free_root(a->local);
    gc_free_root(a->global);
    free(a->local_gen);
    free(a->global_gen);
    free(a->global_next);
}
