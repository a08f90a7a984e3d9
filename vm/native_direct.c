/* vm/native_direct.c: direct typed calls of natives with a common simple
 * signature: up to four arguments, each an integer, a bool or byte, a float
 * or an object pointer, and such a result (or none). The binding still comes
 * from libffi's description (vm/native.c); the call itself is an ordinary C
 * call through a function pointer of the right type, which is several times
 * cheaper than ffi_call. Every other signature goes through ffi_call. */
#include "vm.h"

#include <string.h>

/* short names for the table below */
static inline double F(uint64_t v) { return vm_slot_float(v); }
static inline uint64_t B(double d) { return vm_float_slot(d); }

unsigned vm_native_shape(const char *kinds, uint32_t n, char ret)
{
    /* integers and pointers share the 64-bit integer registers in every
     * ABI Mica runs on; narrower C types are passed widened */
    if (n > 4 || sizeof(void *) != sizeof(int64_t))
        return 0;
    unsigned mask = 0;
    for (uint32_t k = 0; k < n; k++) {
        switch (kinds[k]) {
        case VM_C_FLOAT: mask |= 1u << k; break;
        case VM_C_INT: case VM_C_BOOL: case VM_C_BYTE: case VM_C_ENV: case VM_C_OBJECT: break;
        default: return 0;
        }
    }
    switch (ret) {
    case VM_C_VOID: case VM_C_INT: case VM_C_BOOL: case VM_C_BYTE: case VM_C_OBJECT:
        return VM_NATIVE_SHAPE(n, mask, 0u);
    case VM_C_FLOAT: return VM_NATIVE_SHAPE(n, mask, 1u);
    default: return 0;
    }
}

/* Casting a function pointer to the type it was defined with is the one
 * portable way to call it: the shape says that type. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
#endif
uint64_t vm_native_direct(void (*fn)(void), unsigned shape, const uint64_t *a)
{
    switch (shape) {
    case 0x100: return (uint64_t)((int64_t(*)(void))fn)();
    case 0x101: return B(((double(*)(void))fn)());
    case 0x120: return (uint64_t)((int64_t(*)(int64_t))fn)((int64_t)a[0]);
    case 0x121: return B(((double(*)(int64_t))fn)((int64_t)a[0]));
    case 0x122: return (uint64_t)((int64_t(*)(double))fn)(F(a[0]));
    case 0x123: return B(((double(*)(double))fn)(F(a[0])));
    case 0x140: return (uint64_t)((int64_t(*)(int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1]);
    case 0x141: return B(((double(*)(int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1]));
    case 0x142: return (uint64_t)((int64_t(*)(double, int64_t))fn)(F(a[0]), (int64_t)a[1]);
    case 0x143: return B(((double(*)(double, int64_t))fn)(F(a[0]), (int64_t)a[1]));
    case 0x144: return (uint64_t)((int64_t(*)(int64_t, double))fn)((int64_t)a[0], F(a[1]));
    case 0x145: return B(((double(*)(int64_t, double))fn)((int64_t)a[0], F(a[1])));
    case 0x146: return (uint64_t)((int64_t(*)(double, double))fn)(F(a[0]), F(a[1]));
    case 0x147: return B(((double(*)(double, double))fn)(F(a[0]), F(a[1])));
    case 0x160: return (uint64_t)((int64_t(*)(int64_t, int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2]);
    case 0x161: return B(((double(*)(int64_t, int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2]));
    case 0x162: return (uint64_t)((int64_t(*)(double, int64_t, int64_t))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2]);
    case 0x163: return B(((double(*)(double, int64_t, int64_t))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2]));
    case 0x164: return (uint64_t)((int64_t(*)(int64_t, double, int64_t))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2]);
    case 0x165: return B(((double(*)(int64_t, double, int64_t))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2]));
    case 0x166: return (uint64_t)((int64_t(*)(double, double, int64_t))fn)(F(a[0]), F(a[1]), (int64_t)a[2]);
    case 0x167: return B(((double(*)(double, double, int64_t))fn)(F(a[0]), F(a[1]), (int64_t)a[2]));
    case 0x168: return (uint64_t)((int64_t(*)(int64_t, int64_t, double))fn)((int64_t)a[0], (int64_t)a[1], F(a[2]));
    case 0x169: return B(((double(*)(int64_t, int64_t, double))fn)((int64_t)a[0], (int64_t)a[1], F(a[2])));
    case 0x16a: return (uint64_t)((int64_t(*)(double, int64_t, double))fn)(F(a[0]), (int64_t)a[1], F(a[2]));
    case 0x16b: return B(((double(*)(double, int64_t, double))fn)(F(a[0]), (int64_t)a[1], F(a[2])));
    case 0x16c: return (uint64_t)((int64_t(*)(int64_t, double, double))fn)((int64_t)a[0], F(a[1]), F(a[2]));
    case 0x16d: return B(((double(*)(int64_t, double, double))fn)((int64_t)a[0], F(a[1]), F(a[2])));
    case 0x16e: return (uint64_t)((int64_t(*)(double, double, double))fn)(F(a[0]), F(a[1]), F(a[2]));
    case 0x16f: return B(((double(*)(double, double, double))fn)(F(a[0]), F(a[1]), F(a[2])));
    case 0x180: return (uint64_t)((int64_t(*)(int64_t, int64_t, int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2], (int64_t)a[3]);
    case 0x181: return B(((double(*)(int64_t, int64_t, int64_t, int64_t))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2], (int64_t)a[3]));
    case 0x182: return (uint64_t)((int64_t(*)(double, int64_t, int64_t, int64_t))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2], (int64_t)a[3]);
    case 0x183: return B(((double(*)(double, int64_t, int64_t, int64_t))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2], (int64_t)a[3]));
    case 0x184: return (uint64_t)((int64_t(*)(int64_t, double, int64_t, int64_t))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2], (int64_t)a[3]);
    case 0x185: return B(((double(*)(int64_t, double, int64_t, int64_t))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2], (int64_t)a[3]));
    case 0x186: return (uint64_t)((int64_t(*)(double, double, int64_t, int64_t))fn)(F(a[0]), F(a[1]), (int64_t)a[2], (int64_t)a[3]);
    case 0x187: return B(((double(*)(double, double, int64_t, int64_t))fn)(F(a[0]), F(a[1]), (int64_t)a[2], (int64_t)a[3]));
    case 0x188: return (uint64_t)((int64_t(*)(int64_t, int64_t, double, int64_t))fn)((int64_t)a[0], (int64_t)a[1], F(a[2]), (int64_t)a[3]);
    case 0x189: return B(((double(*)(int64_t, int64_t, double, int64_t))fn)((int64_t)a[0], (int64_t)a[1], F(a[2]), (int64_t)a[3]));
    case 0x18a: return (uint64_t)((int64_t(*)(double, int64_t, double, int64_t))fn)(F(a[0]), (int64_t)a[1], F(a[2]), (int64_t)a[3]);
    case 0x18b: return B(((double(*)(double, int64_t, double, int64_t))fn)(F(a[0]), (int64_t)a[1], F(a[2]), (int64_t)a[3]));
    case 0x18c: return (uint64_t)((int64_t(*)(int64_t, double, double, int64_t))fn)((int64_t)a[0], F(a[1]), F(a[2]), (int64_t)a[3]);
    case 0x18d: return B(((double(*)(int64_t, double, double, int64_t))fn)((int64_t)a[0], F(a[1]), F(a[2]), (int64_t)a[3]));
    case 0x18e: return (uint64_t)((int64_t(*)(double, double, double, int64_t))fn)(F(a[0]), F(a[1]), F(a[2]), (int64_t)a[3]);
    case 0x18f: return B(((double(*)(double, double, double, int64_t))fn)(F(a[0]), F(a[1]), F(a[2]), (int64_t)a[3]));
    case 0x190: return (uint64_t)((int64_t(*)(int64_t, int64_t, int64_t, double))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2], F(a[3]));
    case 0x191: return B(((double(*)(int64_t, int64_t, int64_t, double))fn)((int64_t)a[0], (int64_t)a[1], (int64_t)a[2], F(a[3])));
    case 0x192: return (uint64_t)((int64_t(*)(double, int64_t, int64_t, double))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2], F(a[3]));
    case 0x193: return B(((double(*)(double, int64_t, int64_t, double))fn)(F(a[0]), (int64_t)a[1], (int64_t)a[2], F(a[3])));
    case 0x194: return (uint64_t)((int64_t(*)(int64_t, double, int64_t, double))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2], F(a[3]));
    case 0x195: return B(((double(*)(int64_t, double, int64_t, double))fn)((int64_t)a[0], F(a[1]), (int64_t)a[2], F(a[3])));
    case 0x196: return (uint64_t)((int64_t(*)(double, double, int64_t, double))fn)(F(a[0]), F(a[1]), (int64_t)a[2], F(a[3]));
    case 0x197: return B(((double(*)(double, double, int64_t, double))fn)(F(a[0]), F(a[1]), (int64_t)a[2], F(a[3])));
    case 0x198: return (uint64_t)((int64_t(*)(int64_t, int64_t, double, double))fn)((int64_t)a[0], (int64_t)a[1], F(a[2]), F(a[3]));
    case 0x199: return B(((double(*)(int64_t, int64_t, double, double))fn)((int64_t)a[0], (int64_t)a[1], F(a[2]), F(a[3])));
    case 0x19a: return (uint64_t)((int64_t(*)(double, int64_t, double, double))fn)(F(a[0]), (int64_t)a[1], F(a[2]), F(a[3]));
    case 0x19b: return B(((double(*)(double, int64_t, double, double))fn)(F(a[0]), (int64_t)a[1], F(a[2]), F(a[3])));
    case 0x19c: return (uint64_t)((int64_t(*)(int64_t, double, double, double))fn)((int64_t)a[0], F(a[1]), F(a[2]), F(a[3]));
    case 0x19d: return B(((double(*)(int64_t, double, double, double))fn)((int64_t)a[0], F(a[1]), F(a[2]), F(a[3])));
    case 0x19e: return (uint64_t)((int64_t(*)(double, double, double, double))fn)(F(a[0]), F(a[1]), F(a[2]), F(a[3]));
    case 0x19f: return B(((double(*)(double, double, double, double))fn)(F(a[0]), F(a[1]), F(a[2]), F(a[3])));
    default: return 0;
    }
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
