/* stdlib/natives/bigint.c: the natives of std.math.BigInteger, on GMP.
 *
 * A BigInteger keeps its value in a Mica byte[] on the GC heap: byte 0 is the
 * sign (0 zero, 1 positive, 2 negative), the rest the magnitude, big-endian,
 * without leading zero bytes. Each operation imports its operands into
 * temporary mpz_t values, computes, exports the result into a new byte[] and
 * clears the temporaries before returning. So no C memory outlives a call
 * (nothing to finalize, nothing to leak when the program drops a number), the
 * heap cap accounts for every number a program holds, and results that could
 * not fit under the cap are refused before GMP is asked to build them (GMP
 * aborts the process when it cannot allocate). The copy in and out costs O(n)
 * per operation, small next to multiplication and division. GMP is loaded
 * when a BigInteger operation first needs it (gmp_lib.h). */
#include "natives.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gmp_lib.h"
#include "std_util.h"

/* GMP's functions, or NULL with LinkError pending when the library cannot be
 * loaded. */
static const StdGmp *gmp(MicaVM *vm)
{
    const StdGmp *g = std_gmp();
    if (!g)
        vm_throw(vm, "LinkError", "%s", std_gmp_error());
    return g;
}

/* Largest result, in bits, GMP is asked for without a heap cap (GMP's own
 * limits on sizes are far beyond this; this keeps a typo such as
 * 10.pow(1e12) an error rather than an abort). */
#define BIGINT_MAX_BITS ((uint64_t)1 << 34)

/* Refuses a result of about [bits] bits (a double, so that estimates such as
 * bits * exponent cannot wrap). */
static int too_large(MicaVM *vm, double bits)
{
    double bytes = bits / 8 + 16;
    if (bits > (double)BIGINT_MAX_BITS || (vm->heap.limit && bytes > (double)vm->heap.limit))
        return vm_throw(vm, "ArithmeticError", "BigInteger result too large (about %.3g bits)",
                        bits);
    /* GMP's temporary and the byte[] result must both fit under the cap now */
    return vm_heap_reserve(vm, 2 * (size_t)bytes, "a BigInteger result");
}

static int load(const StdGmp *G, MicaVM *vm, VmArray *a, mpz_t z)
{
    if (!a)
        return vm_throw(vm, "NullError", "BigInteger value is null");
    const uint8_t *d = vm_array_data(a);
    if (a->length < 1 || d[0] > 2)
        return vm_throw(vm, "IllegalArgumentError", "malformed BigInteger data");
    G->mpz_import(z, (size_t)(a->length - 1), 1, 1, 1, 0, d + 1);
    if (d[0] == 2)
        G->mpz_neg(z, z);
    return 0;
}

static VmArray *store(const StdGmp *G, MicaVM *vm, const mpz_t z)
{
    size_t n = mpz_sgn(z) == 0 ? 0 : (G->mpz_sizeinbase(z, 2) + 7) / 8;
    VmArray *a = std_new_array(vm, "[B", (int64_t)n + 1);
    if (!a)
        return NULL;
    uint8_t *d = vm_array_data(a);
    d[0] = mpz_sgn(z) == 0 ? 0 : mpz_sgn(z) > 0 ? 1 : 2;
    if (n) {
        size_t count = 0;
        G->mpz_export(d + 1, &count, 1, 1, 1, 0, z);
    }
    return a;
}

static VmArray *std_bigint_of_int(MicaVM *vm, int64_t v)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t z;
    G->mpz_init(z);
    /* two halves: mpz_set_si takes a long, which may be 32 bits */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    G->mpz_set_ui(z, (unsigned long)(u >> 32));
    G->mpz_mul_2exp(z, z, 32);
    G->mpz_add_ui(z, z, (unsigned long)(u & 0xFFFFFFFFu));
    if (v < 0)
        G->mpz_neg(z, z);
    VmArray *r = store(G, vm, z);
    G->mpz_clear(z);
    return r;
}

/* The text [s] in base [radix]: an optional sign, then digits of the radix
 * (either case), nothing else. */
static VmArray *std_bigint_parse(MicaVM *vm, VmString *s, int64_t radix)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    if (std_null_arg(vm, s, "the text"))
        return NULL;
    if (radix < 2 || radix > 36) {
        vm_throw(vm, "IllegalArgumentError", "radix %lld out of range 2..36", (long long)radix);
        return NULL;
    }
    const char *p = s->bytes;
    int64_t i = 0;
    bool neg = false;
    if (i < s->length && (p[i] == '+' || p[i] == '-'))
        neg = p[i++] == '-';
    bool ok = i < s->length;
    for (int64_t k = i; k < s->length && ok; k++) {
        int c = (unsigned char)p[k];
        int dv = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : 99;
        ok = dv < radix;
    }
    if (!ok) {
        vm_throw(vm, "IllegalArgumentError", "invalid BigInteger: \"%s\"", p);
        return NULL;
    }
    mpz_t z;
    G->mpz_init(z);
    G->mpz_set_str(z, p + i, (int)radix);
    if (neg)
        G->mpz_neg(z, z);
    VmArray *r = store(G, vm, z);
    G->mpz_clear(z);
    return r;
}

static VmString *std_bigint_to_string(MicaVM *vm, VmArray *a, int64_t radix)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    if (radix < 2 || radix > 36) {
        vm_throw(vm, "IllegalArgumentError", "radix %lld out of range 2..36", (long long)radix);
        return NULL;
    }
    mpz_t z;
    G->mpz_init(z);
    VmString *r = NULL;
    if (load(G, vm, a, z) == 0 &&
        vm_heap_reserve(vm, 2 * (G->mpz_sizeinbase(z, (int)radix) + 2), "BigInteger text") == 0) {
        char *t = G->mpz_get_str(NULL, (int)radix, z);
        if (t) {
            r = vm_new_string(vm, t, strlen(t));
            void (*gmp_free)(void *, size_t);
            G->mp_get_memory_functions(NULL, NULL, &gmp_free);
            gmp_free(t, strlen(t) + 1);
        }
    }
    G->mpz_clear(z);
    return r;
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_MOD, OP_GCD, OP_AND, OP_OR, OP_XOR,
       OP_ANDNOT };

/* a op b. Division truncates (Java's divide/remainder); mod is the
 * non-negative residue and needs b > 0 (Java's mod). */
static VmArray *std_bigint_binop(MicaVM *vm, VmArray *a, VmArray *b, int64_t op)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x, y, r;
    G->mpz_inits(x, y, r, NULL);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0 || load(G, vm, b, y) < 0)
        goto done;
    switch (op) {
    case OP_ADD: G->mpz_add(r, x, y); break;
    case OP_SUB: G->mpz_sub(r, x, y); break;
    case OP_MUL:
        if (too_large(vm, (double)G->mpz_sizeinbase(x, 2) + (double)G->mpz_sizeinbase(y, 2)) < 0)
            goto done;
        G->mpz_mul(r, x, y);
        break;
    case OP_DIV:
    case OP_REM:
        if (mpz_sgn(y) == 0) {
            vm_throw(vm, "ArithmeticError", "BigInteger divide by zero");
            goto done;
        }
        if (op == OP_DIV)
            G->mpz_tdiv_q(r, x, y);
        else
            G->mpz_tdiv_r(r, x, y);
        break;
    case OP_MOD:
        if (mpz_sgn(y) <= 0) {
            vm_throw(vm, "ArithmeticError", "BigInteger modulus not positive");
            goto done;
        }
        G->mpz_fdiv_r(r, x, y);
        break;
    case OP_GCD: G->mpz_gcd(r, x, y); break;
    case OP_AND: G->mpz_and(r, x, y); break;
    case OP_OR: G->mpz_ior(r, x, y); break;
    case OP_XOR: G->mpz_xor(r, x, y); break;
    case OP_ANDNOT:
        G->mpz_com(y, y);
        G->mpz_and(r, x, y);
        break;
    default:
        vm_throw(vm, "IllegalArgumentError", "unknown BigInteger operation %lld", (long long)op);
        goto done;
    }
    out = store(G, vm, r);
done:
    G->mpz_clears(x, y, r, NULL);
    return out;
}

static int64_t std_bigint_compare(MicaVM *vm, VmArray *a, VmArray *b)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return 0;
    mpz_t x, y;
    G->mpz_inits(x, y, NULL);
    int64_t c = 0;
    if (load(G, vm, a, x) == 0 && load(G, vm, b, y) == 0) {
        int k = G->mpz_cmp(x, y);
        c = k < 0 ? -1 : k > 0;
    }
    G->mpz_clears(x, y, NULL);
    return c;
}

static VmArray *std_bigint_pow(MicaVM *vm, VmArray *a, int64_t e)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x;
    G->mpz_init(x);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0)
        goto done;
    if (e < 0) {
        vm_throw(vm, "ArithmeticError", "negative exponent: %lld", (long long)e);
        goto done;
    }
    size_t bits = G->mpz_sizeinbase(x, 2);
    /* 0, 1 and -1 stay small; powers of anything else grow by ~bits per step */
    if (G->mpz_cmpabs_ui(x, 1) > 0 && too_large(vm, (double)bits * (double)e) < 0)
        goto done;
    G->mpz_pow_ui(x, x, (unsigned long)e);
    out = store(G, vm, x);
done:
    G->mpz_clear(x);
    return out;
}

/* a^e mod m (m > 0; a negative e uses the inverse of a). */
static VmArray *std_bigint_mod_pow(MicaVM *vm, VmArray *a, VmArray *e, VmArray *m)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x, y, z, r;
    G->mpz_inits(x, y, z, r, NULL);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0 || load(G, vm, e, y) < 0 || load(G, vm, m, z) < 0)
        goto done;
    if (mpz_sgn(z) <= 0) {
        vm_throw(vm, "ArithmeticError", "BigInteger modulus not positive");
        goto done;
    }
    if (mpz_sgn(y) < 0 && !G->mpz_invert(x, x, z)) {
        vm_throw(vm, "ArithmeticError", "BigInteger not invertible");
        goto done;
    }
    G->mpz_abs(y, y);
    G->mpz_powm(r, x, y, z);
    out = store(G, vm, r);
done:
    G->mpz_clears(x, y, z, r, NULL);
    return out;
}

static VmArray *std_bigint_mod_inverse(MicaVM *vm, VmArray *a, VmArray *m)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x, z, r;
    G->mpz_inits(x, z, r, NULL);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0 || load(G, vm, m, z) < 0)
        goto done;
    if (mpz_sgn(z) <= 0) {
        vm_throw(vm, "ArithmeticError", "BigInteger modulus not positive");
        goto done;
    }
    if (G->__gmpz_cmp_ui(z, 1) == 0) {
        G->mpz_set_ui(r, 0);
    } else if (!G->mpz_invert(r, x, z)) {
        vm_throw(vm, "ArithmeticError", "BigInteger not invertible");
        goto done;
    }
    out = store(G, vm, r);
done:
    G->mpz_clears(x, z, r, NULL);
    return out;
}

/* a * 2^n for n >= 0, floor(a / 2^-n) for n < 0 (Java's shiftLeft/shiftRight). */
static VmArray *std_bigint_shift(MicaVM *vm, VmArray *a, int64_t n)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x;
    G->mpz_init(x);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0)
        goto done;
    if (n >= 0) {
        if (mpz_sgn(x) != 0 && too_large(vm, (double)G->mpz_sizeinbase(x, 2) + (double)n) < 0)
            goto done;
        if (mpz_sgn(x) != 0)
            G->mpz_mul_2exp(x, x, (mp_bitcnt_t)n);
    } else {
        uint64_t k = n == INT64_MIN ? (uint64_t)INT64_MAX + 1 : (uint64_t)-n;
        if (k >= G->mpz_sizeinbase(x, 2) + 1)
            G->mpz_set_si(x, mpz_sgn(x) < 0 ? -1 : 0);
        else
            G->mpz_fdiv_q_2exp(x, x, (mp_bitcnt_t)k);
    }
    out = store(G, vm, x);
done:
    G->mpz_clear(x);
    return out;
}

static VmArray *std_bigint_sqrt(MicaVM *vm, VmArray *a)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return NULL;
    mpz_t x;
    G->mpz_init(x);
    VmArray *out = NULL;
    if (load(G, vm, a, x) < 0)
        goto done;
    if (mpz_sgn(x) < 0) {
        vm_throw(vm, "ArithmeticError", "square root of a negative BigInteger");
        goto done;
    }
    G->mpz_sqrt(x, x);
    out = store(G, vm, x);
done:
    G->mpz_clear(x);
    return out;
}

/* Java's bitLength: bits of the two's complement form without the sign bit. */
static int64_t std_bigint_bit_length(MicaVM *vm, VmArray *a)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return 0;
    mpz_t x;
    G->mpz_init(x);
    int64_t n = 0;
    if (load(G, vm, a, x) == 0) {
        if (mpz_sgn(x) < 0) {
            G->mpz_com(x, x); /* -x - 1 >= 0 has the same bit length */
        }
        n = mpz_sgn(x) == 0 ? 0 : (int64_t)G->mpz_sizeinbase(x, 2);
    }
    G->mpz_clear(x);
    return n;
}

static bool std_bigint_test_bit(MicaVM *vm, VmArray *a, int64_t n)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return false;
    if (n < 0) {
        vm_throw(vm, "ArithmeticError", "negative bit index: %lld", (long long)n);
        return false;
    }
    mpz_t x;
    G->mpz_init(x);
    bool r = false;
    if (load(G, vm, a, x) == 0)
        r = G->mpz_tstbit(x, (mp_bitcnt_t)n);
    G->mpz_clear(x);
    return r;
}

/* The value as an int; ArithmeticError when it does not fit in 64 bits. */
static int64_t std_bigint_to_int(MicaVM *vm, VmArray *a, bool exact)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return 0;
    mpz_t x, lo;
    G->mpz_inits(x, lo, NULL);
    int64_t v = 0;
    if (load(G, vm, a, x) < 0)
        goto done;
    bool neg = mpz_sgn(x) < 0;
    if (exact && (G->mpz_sizeinbase(x, 2) > 64 ||
                  (G->mpz_sizeinbase(x, 2) == 64 &&
                   !(neg && G->mpz_scan1(x, 0) == 63)))) { /* only -2^63 has 64 bits */
        vm_throw(vm, "ArithmeticError", "BigInteger out of int range");
        goto done;
    }
    /* the low 64 bits of the two's complement form (Java's longValue) */
    G->mpz_fdiv_r_2exp(lo, x, 64);
    uint64_t u = 0;
    size_t count = 0;
    uint8_t buf[8] = {0};
    G->mpz_export(buf, &count, 1, 1, 1, 0, lo);
    for (size_t i = 0; i < count; i++)
        u = u << 8 | buf[i];
    memcpy(&v, &u, sizeof v);
done:
    G->mpz_clears(x, lo, NULL);
    return v;
}

/* The nearest float (correctly rounded through the decimal text). */
static double std_bigint_to_float(MicaVM *vm, VmArray *a)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return 0;
    mpz_t x;
    G->mpz_init(x);
    double d = 0;
    if (load(G, vm, a, x) == 0) {
        if (G->mpz_sizeinbase(x, 2) > 1100) {
            d = mpz_sgn(x) < 0 ? -HUGE_VAL : HUGE_VAL;
        } else {
            char *t = G->mpz_get_str(NULL, 10, x);
            if (t) {
                d = strtod(t, NULL);
                void (*gmp_free)(void *, size_t);
                G->mp_get_memory_functions(NULL, NULL, &gmp_free);
                gmp_free(t, strlen(t) + 1);
            }
        }
    }
    G->mpz_clear(x);
    return d;
}

static bool std_bigint_is_probable_prime(MicaVM *vm, VmArray *a, int64_t reps)
{
    const StdGmp *G = gmp(vm);
    if (!G)
        return false;
    mpz_t x;
    G->mpz_init(x);
    bool r = false;
    if (load(G, vm, a, x) == 0)
        r = G->mpz_probab_prime_p(x, reps < 1 ? 1 : reps > 100 ? 100 : (int)reps) > 0;
    G->mpz_clear(x);
    return r;
}

#define NATIVE(f) {#f, (void (*)(void))f}
const StdNative std_bigint_natives[] = {
    NATIVE(std_bigint_of_int),
    NATIVE(std_bigint_parse),
    NATIVE(std_bigint_to_string),
    NATIVE(std_bigint_binop),
    NATIVE(std_bigint_compare),
    NATIVE(std_bigint_pow),
    NATIVE(std_bigint_mod_pow),
    NATIVE(std_bigint_mod_inverse),
    NATIVE(std_bigint_shift),
    NATIVE(std_bigint_sqrt),
    NATIVE(std_bigint_bit_length),
    NATIVE(std_bigint_test_bit),
    NATIVE(std_bigint_to_int),
    NATIVE(std_bigint_to_float),
    NATIVE(std_bigint_is_probable_prime),
    {NULL, NULL},
};
#undef NATIVE
