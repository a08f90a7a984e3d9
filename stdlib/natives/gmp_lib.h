/* stdlib/natives/gmp_lib.h: GMP, loaded with dlopen the first time a
 * std.math.BigInteger operation needs it. Linked in, it was mapped and relocated
 * at every start-up, for the programs that never use it too. bigint.c calls GMP
 * through this table; the header of GMP is still needed to build. */
#ifndef MICA_STD_GMP_LIB_H
#define MICA_STD_GMP_LIB_H

#include <gmp.h>

/* Every GMP function bigint.c calls, by the names gmp.h gives them (most are
 * macros for __gmpz_* names, which is what the members and dlsym get; mpz_cmp_ui
 * is a function-like macro, so its function is named as itself). */
#define STD_GMP_FUNCS(X)                                                                  \
    X(__gmpz_cmp_ui) X(mp_get_memory_functions) X(mpz_abs) X(mpz_add) X(mpz_add_ui)       \
    X(mpz_and) X(mpz_clear) X(mpz_clears) X(mpz_cmp) X(mpz_cmpabs_ui) X(mpz_com)          \
    X(mpz_export) X(mpz_fdiv_q_2exp) X(mpz_fdiv_r) X(mpz_fdiv_r_2exp) X(mpz_gcd)          \
    X(mpz_get_str) X(mpz_import) X(mpz_init) X(mpz_inits) X(mpz_invert) X(mpz_ior)        \
    X(mpz_mul) X(mpz_mul_2exp) X(mpz_neg) X(mpz_pow_ui) X(mpz_powm)                       \
    X(mpz_probab_prime_p) X(mpz_scan1) X(mpz_set_si) X(mpz_set_str) X(mpz_set_ui)         \
    X(mpz_sizeinbase) X(mpz_sqrt) X(mpz_sub) X(mpz_tdiv_q) X(mpz_tdiv_r) X(mpz_tstbit)    \
    X(mpz_xor)

typedef struct StdGmp {
#define STD_GMP_MEMBER(name) __typeof__(name) *name;
    STD_GMP_FUNCS(STD_GMP_MEMBER)
#undef STD_GMP_MEMBER
} StdGmp;

/* GMP's functions, loaded on the first call (thread-safe; the library
 * stays loaded for the process), or NULL when it cannot be loaded: then
 * std_gmp_error() says why. */
const StdGmp *std_gmp(void);
const char *std_gmp_error(void);

#endif
