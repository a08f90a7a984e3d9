/* vm/fmod.c: the float remainder (FREM, both tiers), computed here rather than by
 * libm's fmod so that the mica command maps no libm at start-up (fmod was the one
 * libm function the VM called; Math's functions bind libm through dlopen when a
 * program uses them). The result is exact, as C's fmod: x - n*y with n the
 * quotient truncated toward zero, the sign of x, no rounding. */
#include "vm.h"

#include <string.h>

/* [m]'s exponent field and significand with its hidden bit, normalised so that
 * bit 52 is set (a subnormal's exponent then goes to zero or below). */
static inline uint64_t significand(uint64_t m, int *e)
{
    int ex = (int)(m >> 52 & 0x7ff);
    m &= (UINT64_C(1) << 52) - 1;
    if (ex) {
        *e = ex;
        return m | UINT64_C(1) << 52;
    }
    ex = 1;
    while (!(m >> 52)) {
        m <<= 1;
        ex--;
    }
    *e = ex;
    return m;
}

double vm_fmod(double x, double y)
{
    uint64_t ux = vm_float_slot(x), uy = vm_float_slot(y);
    uint64_t sign = ux & UINT64_C(1) << 63;
    uint64_t ax = ux << 1, ay = uy << 1; /* magnitudes, shifted left by one */
    /* y zero or NaN, x infinite or NaN: NaN (x's payload when x is one), as libm */
    if (ay == 0 || ay > UINT64_C(0x7ff) << 53 || ax >= UINT64_C(0x7ff) << 53)
        return (x * y) / (x * y);
    if (ax <= ay)
        return ax == ay ? x * 0.0 : x; /* |x| = |y|: a zero of x's sign; |x| < |y|: x */
    int ex, ey;
    uint64_t mx = significand(ux, &ex), my = significand(uy, &ey);
    /* long division, one quotient bit per step: the remainder stays below 2 * my */
    for (; ex > ey; ex--) {
        if (mx >= my) {
            mx -= my;
            if (mx == 0)
                return x * 0.0;
        }
        mx <<= 1;
    }
    if (mx >= my) {
        mx -= my;
        if (mx == 0)
            return x * 0.0;
    }
    while (!(mx >> 52)) {
        mx <<= 1;
        ex--;
    }
    if (ex > 0)
        mx = (mx & ((UINT64_C(1) << 52) - 1)) | (uint64_t)ex << 52;
    else
        mx >>= 1 - ex; /* subnormal: exact, the remainder is below |y| */
    return vm_slot_float(mx | sign);
}
