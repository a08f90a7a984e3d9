/* vm/budget.c: what natives use to stay under a run's heap cap: checking a
 * size before taking it, C memory held against the cap, and byte buffers on
 * the collected heap (vm_native_poll, the deadline side, is in vm/vm.c). */
#include "vm.h"

#include <string.h>

int vm_heap_reserve(MicaVM *vm, size_t bytes, const char *what)
{
    if (gc_can_alloc(&vm->heap, bytes))
        return 0;
    vm_throw(vm, "OutOfMemoryError", "cannot allocate %zu bytes for %s", bytes, what);
    return -1;
}

void *vm_scratch(MicaVM *vm, size_t n, const char *what)
{
    void *p = gc_alloc_atomic(&vm->heap, n);
    if (!p)
        vm_throw(vm, "OutOfMemoryError", "cannot allocate %zu bytes for %s", n, what);
    return p;
}

int vm_heap_hold(MicaVM *vm, size_t bytes, const char *what)
{
    if (gc_hold(&vm->heap, bytes))
        return 0;
    vm_throw(vm, "OutOfMemoryError", "cannot allocate %zu bytes for %s", bytes, what);
    return -1;
}

void vm_heap_release(MicaVM *vm, size_t bytes)
{
    gc_release(&vm->heap, bytes);
}

int vm_buf_grow(MicaVM *vm, VmBuf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (more < b->cap - b->n)
        return 0;
    if (more > SIZE_MAX / 4 - b->n) {
        b->failed = true;
        vm_throw(vm, "OutOfMemoryError", "text of more than %zu bytes is too large", b->n);
        return -1;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap <= b->n + more)
        cap *= 2;
    char *p = vm_native_poll(vm) < 0 ? NULL : gc_alloc_atomic(&vm->heap, cap);
    if (!p) {
        b->failed = true;
        if (!vm->halt)
            vm_throw(vm, "OutOfMemoryError", "cannot allocate %zu bytes for text", cap);
        return -1;
    }
    if (b->n)
        memcpy(p, b->p, b->n);
    b->p = p;
    b->cap = cap;
    return 0;
}

int vm_buf_add(MicaVM *vm, VmBuf *b, const void *s, size_t n)
{
    if (vm_buf_grow(vm, b, n) < 0)
        return -1;
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    return 0;
}

int vm_buf_fill(MicaVM *vm, VmBuf *b, char c, size_t n)
{
    if (vm_buf_grow(vm, b, n) < 0)
        return -1;
    while (n) {
        size_t k = n < VM_NATIVE_POLL_BYTES ? n : VM_NATIVE_POLL_BYTES;
        memset(b->p + b->n, c, k);
        b->n += k;
        n -= k;
        if (n && vm_native_poll(vm) < 0) {
            b->failed = true;
            return -1;
        }
    }
    return 0;
}

VmString *vm_buf_string(MicaVM *vm, VmBuf *b)
{
    if (b->failed) {
        if (!vm->roots->pending && !vm->halt)
            vm_throw(vm, "OutOfMemoryError", "text too large");
        return NULL;
    }
    return vm_new_string(vm, b->p ? b->p : "", b->n);
}
