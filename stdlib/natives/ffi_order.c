/* stdlib/natives/ffi_order.c: the C side of std.ffi.Memory's explicit byte orders
 * (getInt32LE, setFloat64BE, ...): reads and writes that give the same bytes on
 * little- and big-endian hosts. Bounds are checked in Mica before these run. */
#include "natives.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vm.h"

static uint8_t *at(int64_t a, int64_t o)
{
    return (uint8_t *)(uintptr_t)a + o;
}

/* The [n] bytes (2, 4 or 8) at a+o as an unsigned number, in the order asked for. */
static uint64_t load(int64_t a, int64_t o, int64_t n, bool big)
{
    const uint8_t *p = at(a, o);
    uint64_t v = 0;
    for (int64_t i = 0; i < n; i++)
        v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
    return v;
}

static void store(int64_t a, int64_t o, int64_t n, bool big, uint64_t v)
{
    uint8_t *p = at(a, o);
    for (int64_t i = 0; i < n; i++)
        p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static int64_t std_ffi_get_ordered(MicaVM *vm, int64_t a, int64_t o, int64_t n, bool big)
{
    uint64_t v = load(a, o, n, big);
    if (n == 2)
        return (int16_t)(uint16_t)v;
    if (n == 4)
        return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

static void std_ffi_set_ordered(MicaVM *vm, int64_t a, int64_t o, int64_t n, bool big, int64_t v)
{
    store(a, o, n, big, (uint64_t)v);
}

static double std_ffi_get_ordered_float(MicaVM *vm, int64_t a, int64_t o, int64_t n, bool big)
{
    uint64_t bits = load(a, o, n, big);
    if (n == 4) {
        uint32_t b32 = (uint32_t)bits;
        float f;
        memcpy(&f, &b32, sizeof f);
        return f;
    }
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static void std_ffi_set_ordered_float(MicaVM *vm, int64_t a, int64_t o, int64_t n, bool big,
                                      double v)
{
    uint64_t bits;
    if (n == 4) {
        float f = (float)v;
        uint32_t b32;
        memcpy(&b32, &f, sizeof b32);
        bits = b32;
    } else {
        memcpy(&bits, &v, sizeof bits);
    }
    store(a, o, n, big, bits);
}

static bool std_ffi_big_endian(MicaVM *vm)
{
    const uint16_t one = 1;
    uint8_t first;
    memcpy(&first, &one, 1);
    return first == 0;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_ffi_order_natives[] = {
    NATIVE(std_ffi_get_ordered),
    NATIVE(std_ffi_set_ordered),
    NATIVE(std_ffi_get_ordered_float),
    NATIVE(std_ffi_set_ordered_float),
    NATIVE(std_ffi_big_endian),
    {NULL, NULL},
};
#undef NATIVE
