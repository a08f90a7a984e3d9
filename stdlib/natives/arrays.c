/* stdlib/natives/arrays.c: the natives of std.util.Arrays: in-place sorting of
 * int[] and float[] ranges (an introsort that allocates nothing, so it cannot
 * exceed the heap cap, and runs in O(n log n) on any input), and copy (the
 * runtime's vm_array_copy, which both tiers also run inline as an intrinsic). */
#include "natives.h"

#include <math.h>
#include <string.h>

#include "std_util.h"

static void insertion(int64_t *a, int64_t lo, int64_t hi)
{
    for (int64_t i = lo + 1; i < hi; i++) {
        int64_t x = a[i], j = i - 1;
        while (j >= lo && a[j] > x) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = x;
    }
}

static void sift(int64_t *a, int64_t lo, int64_t n, int64_t i)
{
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && a[lo + c + 1] > a[lo + c])
            c++;
        if (a[lo + i] >= a[lo + c])
            return;
        int64_t t = a[lo + i];
        a[lo + i] = a[lo + c];
        a[lo + c] = t;
        i = c;
    }
}

static void heapsort_range(int64_t *a, int64_t lo, int64_t hi)
{
    int64_t n = hi - lo;
    for (int64_t i = n / 2 - 1; i >= 0; i--)
        sift(a, lo, n, i);
    for (int64_t end = n - 1; end > 0; end--) {
        int64_t t = a[lo];
        a[lo] = a[lo + end];
        a[lo + end] = t;
        sift(a, lo, end, 0);
    }
}

static int64_t median3(int64_t x, int64_t y, int64_t z)
{
    if (x < y)
        return y < z ? y : (x < z ? z : x);
    return x < z ? x : (y < z ? z : y);
}

/* Sorts a[lo, hi): quicksort with a median-of-three pivot and three-way
 * partitioning (runs of equal keys cost nothing), heapsort past a depth limit. */
static void introsort(int64_t *a, int64_t lo, int64_t hi, int depth)
{
    while (hi - lo > 24) {
        if (depth-- == 0) {
            heapsort_range(a, lo, hi);
            return;
        }
        int64_t p = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
        int64_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            if (a[i] < p) {
                int64_t t = a[lt];
                a[lt++] = a[i];
                a[i++] = t;
            } else if (a[i] > p) {
                int64_t t = a[--gt];
                a[gt] = a[i];
                a[i] = t;
            } else {
                i++;
            }
        }
        /* recurse into the smaller side, loop on the larger */
        if (lt - lo < hi - gt) {
            introsort(a, lo, lt, depth);
            lo = gt;
        } else {
            introsort(a, gt, hi, depth);
            hi = lt;
        }
    }
    insertion(a, lo, hi);
}

static int range_ok(MicaVM *vm, VmArray *arr, int64_t from, int64_t to)
{
    if (!arr)
        return vm_throw(vm, "NullError", "the array is null");
    if (from < 0 || to > arr->length || from > to)
        return vm_throw(vm, "IndexError", "from %lld, to %lld, length %lld", (long long)from,
                        (long long)to, (long long)arr->length);
    return 0;
}

static void sort_keys(int64_t *a, int64_t from, int64_t to)
{
    int depth = 2;
    for (int64_t n = to - from; n > 1; n >>= 1)
        depth += 2;
    introsort(a, from, to, depth);
}

static void std_arrays_sort_ints(MicaVM *vm, VmArray *arr, int64_t from, int64_t to)
{
    if (range_ok(vm, arr, from, to) < 0)
        return;
    sort_keys(vm_array_data(arr), from, to);
}

/* Floats sort in Java's total order (-0.0 before 0.0, NaN last): each double's
 * bits are mapped in place to an int64 that orders the same way, sorted, and
 * mapped back. */
static void std_arrays_sort_floats(MicaVM *vm, VmArray *arr, int64_t from, int64_t to)
{
    if (range_ok(vm, arr, from, to) < 0)
        return;
    int64_t *a = vm_array_data(arr);
    for (int64_t i = from; i < to; i++) {
        double d;
        memcpy(&d, &a[i], sizeof d);
        if (isnan(d)) {
            d = NAN;
            memcpy(&a[i], &d, sizeof d);
        }
        if (a[i] < 0)
            a[i] ^= INT64_MAX;
    }
    sort_keys(a, from, to);
    for (int64_t i = from; i < to; i++)
        if (a[i] < 0)
            a[i] ^= INT64_MAX;
}

/* Arrays.copy for every element type (one descriptor each, the same C function). */
static void std_arrays_copy(MicaVM *vm, VmArray *src, int64_t src_pos, VmArray *dst,
                            int64_t dst_pos, int64_t n)
{
    vm_array_copy(vm, src, src_pos, dst, dst_pos, n);
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_arrays_natives[] = {
    NATIVE(std_arrays_sort_ints),
    NATIVE(std_arrays_sort_floats),
    NATIVE(std_arrays_copy),
    {NULL, NULL},
};
#undef NATIVE
