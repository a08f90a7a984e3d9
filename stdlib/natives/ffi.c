/* stdlib/natives/ffi.c: the C side of std.ffi: C memory for Memory (allocate,
 * free, typed reads and writes at addresses Memory has bounds-checked). */
#include "natives.h"
#include "cm_mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

static void *at(int64_t addr, int64_t off)
{
    return (void *)(uintptr_t)(addr + off);
}

/* Every block of C memory a VM hands out to Memory sits in a list owned by the
 * VM (through vm_native_own), so that blocks a program never frees go with the
 * VM instead of leaking from a host that creates and destroys VMs. */
typedef union FfiBlock {
    struct {
        union FfiBlock *prev, *next;
        size_t size;     /* bytes held against the heap cap */
    } link;
    max_align_t align;   /* the data after the header stays aligned for any type */
} FfiBlock;

typedef struct FfiHeap {
    FfiBlock *head;
} FfiHeap;

static void ffi_heap_release(void *p)
{
    FfiHeap *h = p;
    for (FfiBlock *b = h->head, *next; b; b = next) {
        next = b->link.next;
        free(b);
    }
    free(h);
}

/* This VM's list of blocks, made on first use; NULL (with OutOfMemoryError
 * pending) when it cannot be made. */
static FfiHeap *ffi_heap(MicaVM *vm)
{
    if (vm->ffi_heap)
        return vm->ffi_heap;
    FfiHeap *h = cm_calloc(1, sizeof *h);
    if (!h) {
        vm_throw(vm, "OutOfMemoryError", "cannot allocate C memory");
        return NULL;
    }
    if (vm_native_own(vm, h, ffi_heap_release) < 0)
        return NULL;
    vm->ffi_heap = h;
    return h;
}

static int64_t std_ffi_malloc(MicaVM *vm, int64_t size)
{
    FfiHeap *h = ffi_heap(vm);
    if (!h)
        return 0;
    /* one byte at least, so that a zero-size Memory still has an address */
    size_t n = size > 0 ? (size_t)size : 1;
    if (n > SIZE_MAX / 2) {
        vm_throw(vm, "OutOfMemoryError", "cannot allocate %lld bytes of C memory",
                 (long long)size);
        return 0;
    }
    /* C memory counts against the heap cap until it is freed */
    if (vm_heap_hold(vm, n, "C memory") < 0)
        return 0;
    FfiBlock *b = cm_calloc(1, sizeof *b + n);
    if (!b) {
        vm_heap_release(vm, n);
        vm_throw(vm, "OutOfMemoryError", "cannot allocate %lld bytes of C memory",
                 (long long)size);
        return 0;
    }
    b->link.size = n;
    b->link.next = h->head;
    if (h->head)
        h->head->link.prev = b;
    h->head = b;
    return (int64_t)(uintptr_t)(b + 1);
}

/* [addr] came from std_ffi_malloc of this VM and is freed once (Memory.free
 * clears its address). */
static void std_ffi_free(MicaVM *vm, int64_t addr)
{
    FfiHeap *h = ffi_heap(vm);
    FfiBlock *b = (FfiBlock *)at(addr, 0) - 1;
    if (!h)
        return;
    if (b->link.prev)
        b->link.prev->link.next = b->link.next;
    else
        h->head = b->link.next;
    if (b->link.next)
        b->link.next->link.prev = b->link.prev;
    vm_heap_release(vm, b->link.size);
    free(b);
}

static int64_t std_ffi_get_i8(MicaVM *vm, int64_t a, int64_t o) { return *(int8_t *)at(a, o); }

static int64_t std_ffi_get_i16(MicaVM *vm, int64_t a, int64_t o)
{
    int16_t v;
    memcpy(&v, at(a, o), sizeof v);
    return v;
}

static int64_t std_ffi_get_i32(MicaVM *vm, int64_t a, int64_t o)
{
    int32_t v;
    memcpy(&v, at(a, o), sizeof v);
    return v;
}

static int64_t std_ffi_get_i64(MicaVM *vm, int64_t a, int64_t o)
{
    int64_t v;
    memcpy(&v, at(a, o), sizeof v);
    return v;
}

static double std_ffi_get_f32(MicaVM *vm, int64_t a, int64_t o)
{
    float v;
    memcpy(&v, at(a, o), sizeof v);
    return v;
}

static double std_ffi_get_f64(MicaVM *vm, int64_t a, int64_t o)
{
    double v;
    memcpy(&v, at(a, o), sizeof v);
    return v;
}

static void std_ffi_set_i8(MicaVM *vm, int64_t a, int64_t o, int64_t v)
{
    *(int8_t *)at(a, o) = (int8_t)v;
}

static void std_ffi_set_i16(MicaVM *vm, int64_t a, int64_t o, int64_t v)
{
    int16_t x = (int16_t)v;
    memcpy(at(a, o), &x, sizeof x);
}

static void std_ffi_set_i32(MicaVM *vm, int64_t a, int64_t o, int64_t v)
{
    int32_t x = (int32_t)v;
    memcpy(at(a, o), &x, sizeof x);
}

static void std_ffi_set_i64(MicaVM *vm, int64_t a, int64_t o, int64_t v)
{
    memcpy(at(a, o), &v, sizeof v);
}

static void std_ffi_set_f32(MicaVM *vm, int64_t a, int64_t o, double v)
{
    float x = (float)v;
    memcpy(at(a, o), &x, sizeof x);
}

static void std_ffi_set_f64(MicaVM *vm, int64_t a, int64_t o, double v)
{
    memcpy(at(a, o), &v, sizeof v);
}

/* The NUL-terminated text at [o], read no further than [max] bytes. */
static VmString *std_ffi_get_string(MicaVM *vm, int64_t a, int64_t o, int64_t max)
{
    const char *p = at(a, o);
    size_t n = 0;
    while ((int64_t)n < max && p[n])
        n++;
    return vm_new_string(vm, p, n);
}

static void std_ffi_set_bytes(MicaVM *vm, int64_t a, int64_t o, VmArray *b, int64_t from,
                              int64_t n)
{
    memcpy(at(a, o), (char *)vm_array_data(b) + from, (size_t)n);
}

static void std_ffi_get_bytes(MicaVM *vm, int64_t a, int64_t o, VmArray *b, int64_t n)
{
    memcpy(vm_array_data(b), at(a, o), (size_t)n);
}

static void std_ffi_set_text(MicaVM *vm, int64_t a, int64_t o, VmString *s)
{
    memcpy(at(a, o), s->bytes, (size_t)s->length + 1);
}

/* Whether this VM lets programs bind C functions: then they may also read
 * through Pointers of unknown extent. */
static bool std_ffi_raw_allowed(MicaVM *vm)
{
    return (vm->caps & MICA_CAP_NATIVE) != 0;
}

/* A Pointer with a known extent (see pointer.mica for the field order). */
static VmObject *std_ffi_make_pointer(MicaVM *vm, int64_t a, int64_t lo, int64_t hi,
                                      VmObject *owner)
{
    VmClass *c = vm_resolve_class(vm, "std/ffi/Pointer");
    VmObject *o = c ? vm_new_object(vm, c) : NULL;
    if (!o)
        return NULL;
    uint64_t *f = vm_object_fields(o);
    f[0] = (uint64_t)a;
    f[1] = (uint64_t)lo;
    f[2] = (uint64_t)hi;
    f[3] = vm_ref_slot(owner);
    return o;
}

/* Bytes [s] takes in C: its UTF-8 and the NUL. */
static int64_t std_ffi_text_size(MicaVM *vm, VmString *s)
{
    return s->length + 1;
}

static VmString *std_ffi_hex(MicaVM *vm, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
    return vm_new_string(vm, buf, (size_t)n);
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_ffi_natives[] = {
    NATIVE(std_ffi_malloc),
    NATIVE(std_ffi_free),
    NATIVE(std_ffi_get_i8),
    NATIVE(std_ffi_get_i16),
    NATIVE(std_ffi_get_i32),
    NATIVE(std_ffi_get_i64),
    NATIVE(std_ffi_get_f32),
    NATIVE(std_ffi_get_f64),
    NATIVE(std_ffi_set_i8),
    NATIVE(std_ffi_set_i16),
    NATIVE(std_ffi_set_i32),
    NATIVE(std_ffi_set_i64),
    NATIVE(std_ffi_set_f32),
    NATIVE(std_ffi_set_f64),
    NATIVE(std_ffi_get_string),
    NATIVE(std_ffi_set_bytes),
    NATIVE(std_ffi_get_bytes),
    NATIVE(std_ffi_set_text),
    NATIVE(std_ffi_text_size),
    NATIVE(std_ffi_raw_allowed),
    NATIVE(std_ffi_make_pointer),
    NATIVE(std_ffi_hex),
    {NULL, NULL},
};
#undef NATIVE
