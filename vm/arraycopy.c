/* vm/arraycopy.c: copying a range of one array into another (std.util.Arrays.copy):
 * the full operation with its checks for the native, and the check-free fast case
 * that both tiers run inline as an intrinsic. The heap (gc/) does not move objects
 * and has no write barrier, so references move as plain words. */
#include "vm.h"

#include "link.h"

#include <string.h>

/* Can every element of an array of class [src] be stored into one of class [dst]
 * without a check failing? (aastore's rule, vm_array_store_ok, for all of them) */
static bool stores_ok(const VmClass *src, const VmClass *dst)
{
    if (src == dst)
        return true;
    if (src->elem_kind != dst->elem_kind || src->elem_size != dst->elem_size)
        return false;
    if (src->elem_kind != CF_KIND_REF)
        return true;
    const VmClass *e = dst->elem_class;
    if (!e || (!e->super && !e->is_interface && !e->is_array))
        return true; /* an Object[] takes anything */
    return src->elem_class && vm_is_subclass(src->elem_class, e);
}

/* Is [from, from + n) inside an array of [length] elements (n >= 0)? */
static bool range_ok(int64_t length, int64_t from, int64_t n)
{
    return from >= 0 && from <= length && n <= length - from;
}

bool vm_array_copy_fast(VmArray *src, int64_t src_pos, VmArray *dst, int64_t dst_pos,
                        int64_t n)
{
    if (!src || !dst || n < 0 || !range_ok(src->length, src_pos, n) ||
        !range_ok(dst->length, dst_pos, n) || !stores_ok(src->cls, dst->cls))
        return false;
    size_t size = src->cls->elem_size;
    memmove((char *)vm_array_data(dst) + (size_t)dst_pos * size,
            (char *)vm_array_data(src) + (size_t)src_pos * size, (size_t)n * size);
    return true;
}

static int throw_range(MicaVM *vm, const char *which, int64_t length, int64_t from, int64_t n)
{
    /* the end as Mica's wrapping arithmetic computes it */
    int64_t to = (int64_t)((uint64_t)from + (uint64_t)n);
    return vm_throw(vm, "IndexError", "%s from %lld, to %lld, length %lld", which,
                    (long long)from, (long long)to, (long long)length);
}

int vm_array_copy(MicaVM *vm, VmArray *src, int64_t src_pos, VmArray *dst, int64_t dst_pos,
                  int64_t n)
{
    if (!src)
        return vm_throw(vm, "NullError", "cannot copy from a null array");
    if (!dst)
        return vm_throw(vm, "NullError", "cannot copy into a null array");
    if (n < 0)
        return vm_throw(vm, "IllegalArgumentError", "negative length: %lld", (long long)n);
    if (!range_ok(src->length, src_pos, n))
        return throw_range(vm, "source", src->length, src_pos, n);
    if (!range_ok(dst->length, dst_pos, n))
        return throw_range(vm, "destination", dst->length, dst_pos, n);
    if (vm_array_copy_fast(src, src_pos, dst, dst_pos, n))
        return 0;
    if (src->cls->elem_kind != CF_KIND_REF || dst->cls->elem_kind != CF_KIND_REF) {
        /* not reachable from verified code: the descriptors match */
        return vm_throw(vm, "ArrayStoreError", "cannot copy a %s into a %s", src->cls->name,
                        dst->cls->name);
    }
    /* references into an array seen through a supertype: each element checked
     * as aastore checks it, in order, those before a failing one stored (as
     * Java's System.arraycopy). [src] and [dst] are different arrays here. */
    VmObject **from = vm_array_data(src), **to = vm_array_data(dst);
    for (int64_t i = 0; i < n; i++) {
        VmObject *v = from[src_pos + i];
        if (!vm_array_store_ok(dst->cls, v))
            return vm_throw_array_store(vm, v, dst->cls);
        to[dst_pos + i] = v;
    }
    return 0;
}
